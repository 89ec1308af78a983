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
static json_t *header(const char *analysis, const kr_value_options *o, int64_t as_of,
                      int64_t from)
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
    if (!root ||
        json_object_set_new(root, "customers", json_integer(r->customers)) < 0 ||
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
