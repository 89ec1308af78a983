/*
 * value_json.c - the value analyses as JSON (see value.h and docs/value.md): the CLI's
 * --format json and the HTTP API's answer. Every object starts with the same header:
 *
 *     {"analysis": "pareto", "per": "person", "purchase": "purchase",
 *      "as_of": "2024-05-01T00:00:00Z", "from": "2023-05-02T00:00:00Z" | null, ...}
 */
#include <jansson.h>

#include "klantreis/parse.h"
#include "klantreis/value.h"

const char *kr_value_per_name(kr_value_per per)
{
    return per == KR_VALUE_PER_ACCOUNT ? "account" : "person";
}

static json_t *time_or_null(int64_t ms, bool null)
{
    if (null)
        return json_null();
    char buf[40];
    kr_time_format(buf, sizeof buf, ms);
    return json_string(buf);
}

/* The common header; from is INT64_MIN for all history. NULL when out of memory. */
static json_t *header(const char *analysis, const kr_value_options *o, int64_t as_of, int64_t from)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "analysis", analysis, "per",
                     kr_value_per_name(o->per), "purchase", o->purchase ? o->purchase : "purchase",
                     "as_of", time_or_null(as_of, false), "from",
                     time_or_null(from, from == INT64_MIN));
}

static char *dump(json_t *root, bool pretty)
{
    char *text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(12));
    json_decref(root);
    return text;
}

char *kr_value_pareto_to_json(const kr_value_pareto *r, const kr_value_options *o, bool pretty)
{
    json_t *root = header("pareto", o, r->as_of_ms, r->from_ms);
    json_t *curve = NULL;
    if (!root || json_object_set_new(root, "customers", json_integer(r->customers)) < 0 ||
        json_object_set_new(root, "revenue_cents", json_integer(r->revenue_cents)) < 0 ||
        json_object_set_new(root, "share_top_20", json_real(r->share_top_20)) < 0 ||
        json_object_set_new(root, "customers_for_80", json_real(r->customers_for_80)) < 0 ||
        json_object_set_new(root, "customers_for_80_count",
                            json_integer(r->customers_for_80_count)) < 0 ||
        json_object_set_new(root, "curve", curve = json_array()) < 0) {
        json_decref(root); /* set_new takes curve, also when it fails */
        return NULL;
    }
    for (int k = 0; k < KR_PARETO_POINTS; k++) {
        const kr_pareto_point *p = &r->curve[k];
        json_t *j = json_pack("{s:i, s:I, s:I, s:f}", "percent", (int)p->percent, "customers",
                              (json_int_t)p->customers, "revenue_cents",
                              (json_int_t)p->revenue_cents, "share", p->share);
        if (!j || json_array_append_new(curve, j) < 0) {
            json_decref(root);
            return NULL;
        }
    }
    return dump(root, pretty);
}

static double ratio(int64_t a, int64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

/* [5 counts] of one dimension's scores. */
static json_t *score_counts(const uint32_t counts[5])
{
    json_t *a = json_array();
    for (int k = 0; a && k < 5; k++)
        if (json_array_append_new(a, json_integer(counts[k])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

char *kr_value_rfm_to_json(const kr_value_rfm *r, const kr_table *t, const kr_value_options *o,
                           bool list, bool pretty)
{
    json_t *root = header("rfm", o, r->as_of_ms, INT64_MIN);
    json_t *segs = NULL, *scores = NULL;
    if (!root || json_object_set_new(root, "customers", json_integer(r->count)) < 0 ||
        json_object_set_new(root, "revenue_cents", json_integer(r->revenue_cents)) < 0 ||
        json_object_set_new(root, "segments", segs = json_array()) < 0 ||
        json_object_set_new(root, "scores",
                            scores = json_pack("{s:o, s:o, s:o}", "r", score_counts(r->scores[0]),
                                               "f", score_counts(r->scores[1]), "m",
                                               score_counts(r->scores[2]))) < 0)
        goto fail;
    for (int s = 0; s < KR_RFM_SEGMENTS; s++) {
        const kr_rfm_total *x = &r->segments[s];
        json_t *j = json_pack("{s:s, s:I, s:f, s:I, s:f}", "segment",
                              kr_rfm_segment_name((kr_rfm_segment)s), "customers",
                              (json_int_t)x->customers, "share", ratio(x->customers, r->count),
                              "revenue_cents", (json_int_t)x->revenue_cents, "revenue_share",
                              ratio(x->revenue_cents, r->revenue_cents));
        if (!j || json_array_append_new(segs, j) < 0)
            goto fail;
    }
    if (list) {
        json_t *l;
        if (json_object_set_new(root, "list", l = json_array()) < 0)
            goto fail;
        for (uint32_t i = 0; i < r->count; i++) {
            const kr_rfm_customer *c = &r->customers[i];
            kr_str name = kr_value_unit_name(t, o->per, c->unit);
            json_t *j = json_pack(
                "{s:s%, s:I, s:I, s:I, s:i, s:i, s:i, s:s}", "customer", name.ptr ? name.ptr : "",
                name.len, "recency_days", (json_int_t)c->recency_days, "frequency",
                (json_int_t)c->frequency, "monetary_cents", (json_int_t)c->monetary_cents, "r",
                c->r, "f", c->f, "m", c->m, "segment", kr_rfm_segment_name(c->segment));
            if (!j || json_array_append_new(l, j) < 0)
                goto fail;
        }
    }
    return dump(root, pretty);
fail:
    json_decref(root);
    return NULL;
}

static const char *direction(unsigned then, unsigned now)
{
    return then == KR_PYRAMID_NONE ? "new" : now < then ? "up" : now > then ? "down" : "same";
}

char *kr_value_pyramid_to_json(const kr_value_pyramid *r, const kr_table *t,
                               const kr_value_options *o, bool list, bool pretty)
{
    json_t *root = header("pyramid", o, r->as_of_ms, r->from_ms);
    json_t *tiers = NULL;
    if (!root ||
        json_object_set_new(root, "tiers_percent",
                            json_pack("[f, f, f]", o->tiers[0], o->tiers[1], o->tiers[2])) < 0 ||
        json_object_set_new(root, "active", json_integer(r->active)) < 0 ||
        json_object_set_new(root, "revenue_cents", json_integer(r->revenue_cents)) < 0 ||
        json_object_set_new(
            root, "limits",
            json_pack("[i, i, i]", (int)r->limits[0], (int)r->limits[1], (int)r->limits[2])) < 0 ||
        json_object_set_new(root, "tiers", tiers = json_array()) < 0)
        goto fail;
    for (int k = 0; k < KR_PYRAMID_TIERS; k++) {
        const kr_pyramid_total *x = &r->tiers[k];
        json_t *j = json_pack("{s:s, s:I, s:I, s:f}", "tier", kr_pyramid_tier_name(k), "customers",
                              (json_int_t)x->customers, "revenue_cents",
                              (json_int_t)x->revenue_cents, "revenue_share", x->revenue_share);
        if (!j || json_array_append_new(tiers, j) < 0)
            goto fail;
    }
    if (r->compared) {
        json_t *moves = NULL;
        json_t *cmp = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "as_of",
                                time_or_null(r->before_as_of_ms, false), "from",
                                time_or_null(r->before_from_ms, r->before_from_ms == INT64_MIN),
                                "up", (json_int_t)r->moved_up, "down", (json_int_t)r->moved_down,
                                "same", (json_int_t)r->stayed, "new", (json_int_t)r->arrived);
        if (!cmp || json_object_set_new(root, "compare", cmp) < 0 ||
            json_object_set_new(cmp, "moves", moves = json_array()) < 0)
            goto fail;
        for (int a = 0; a <= KR_PYRAMID_TIERS; a++)
            for (int b = 0; b <= KR_PYRAMID_TIERS; b++) {
                if (!r->moves[a][b])
                    continue;
                json_t *j =
                    json_pack("{s:s, s:s, s:I}", "from", kr_pyramid_tier_name(a), "to",
                              kr_pyramid_tier_name(b), "customers", (json_int_t)r->moves[a][b]);
                if (!j || json_array_append_new(moves, j) < 0)
                    goto fail;
            }
    }
    if (list) {
        json_t *l;
        if (json_object_set_new(root, "list", l = json_array()) < 0)
            goto fail;
        for (uint32_t i = 0; i < r->unit_count; i++) {
            unsigned now = r->tier[i];
            if (now == KR_PYRAMID_NONE)
                continue;
            if (r->compared && (r->before[i] == KR_PYRAMID_NONE || r->before[i] == now))
                continue; /* compared: only who moved up or down */
            kr_str name = kr_value_unit_name(t, o->per, i);
            json_t *j =
                json_pack("{s:s%, s:s, s:I, s:I}", "customer", name.ptr ? name.ptr : "", name.len,
                          "tier", kr_pyramid_tier_name(now), "rank", (json_int_t)r->rank[i],
                          "revenue_cents", (json_int_t)r->revenue[i]);
            if (!j || json_array_append_new(l, j) < 0)
                goto fail;
            if (r->compared &&
                (json_object_set_new(j, "before", json_string(kr_pyramid_tier_name(r->before[i]))) <
                     0 ||
                 json_object_set_new(j, "before_revenue_cents",
                                     json_integer(r->before_revenue[i])) < 0 ||
                 json_object_set_new(j, "direction", json_string(direction(r->before[i], now))) <
                     0))
                goto fail;
        }
    }
    return dump(root, pretty);
fail:
    json_decref(root);
    return NULL;
}
