/*
 * attention_json.c - the attention monitor as JSON (see attention.h and docs/attention.md):
 *
 *     {"analysis": "attention", "per": "person", "as_of": "...", "from": "..." | null,
 *      "touches": 12, "revenue_cents": 50000, "tiers": [{"tier": "top", ..., "ratio": 0.5}],
 *      "silent_days": 90, "silent_total": 1, "silent": [...], "busy_total": 2, "busy": [...]}
 */
#include <jansson.h>

#include "klantreis/attention.h"
#include "klantreis/parse.h"

static json_t *time_or_null(int64_t ms, bool null)
{
    if (null)
        return json_null();
    char buf[40];
    kr_time_format(buf, sizeof buf, ms);
    return json_string(buf);
}

static json_t *customers(const kr_attention_customer *c, uint32_t n, const kr_table *t,
                         const kr_attention_options *o)
{
    json_t *a = json_array();
    for (uint32_t i = 0; a && i < n; i++) {
        kr_str name = kr_value_unit_name(t, o->value.per, c[i].unit);
        json_t *j = json_pack(
            "{s:s%, s:s, s:I, s:I, s:I, s:o}", "customer", name.ptr ? name.ptr : "", name.len,
            "tier", kr_pyramid_tier_name(c[i].tier), "rank", (json_int_t)c[i].rank, "revenue_cents",
            (json_int_t)c[i].revenue_cents, "touches", (json_int_t)c[i].touches, "last_touch",
            time_or_null(c[i].last_touch_ms, c[i].last_touch_ms == INT64_MIN));
        if (!j || json_array_append_new(a, j) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

char *kr_attention_to_json(const kr_attention *a, const kr_table *t, const kr_attention_options *o,
                           bool pretty)
{
    json_t *root =
        json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:I}", "analysis", "attention", "per",
                  kr_value_per_name(o->value.per), "as_of", time_or_null(a->as_of_ms, false),
                  "from", time_or_null(a->from_ms, a->from_ms == INT64_MIN), "touchpoints",
                  (json_int_t)a->touchpoints, "touches", (json_int_t)a->touches, "revenue_cents",
                  (json_int_t)a->revenue_cents);
    json_t *tiers = json_array();
    if (!root || !tiers || json_object_set_new(root, "tiers", tiers) < 0)
        goto fail;
    for (int k = 0; k < KR_PYRAMID_TIERS; k++) {
        const kr_attention_tier *x = &a->tiers[k];
        json_t *j =
            json_pack("{s:s, s:I, s:I, s:I, s:f, s:I, s:f, s:o}", "tier", kr_pyramid_tier_name(k),
                      "customers", (json_int_t)x->customers, "touched", (json_int_t)x->touched,
                      "revenue_cents", (json_int_t)x->revenue_cents, "value_share", x->value_share,
                      "touches", (json_int_t)x->touches, "attention_share", x->attention_share,
                      "ratio", x->has_ratio ? json_real(x->ratio) : json_null());
        if (!j || json_array_append_new(tiers, j) < 0)
            goto fail;
    }
    if (json_object_set_new(root, "silent_days", json_real((double)o->silent_ms / 86400000.0)) <
            0 ||
        json_object_set_new(root, "silent_total", json_integer(a->silent_total)) < 0 ||
        json_object_set_new(root, "silent", customers(a->silent, a->silent_count, t, o)) < 0 ||
        json_object_set_new(root, "busy_total", json_integer(a->busy_total)) < 0 ||
        json_object_set_new(root, "busy", customers(a->busy, a->busy_count, t, o)) < 0)
        goto fail;
    char *text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(12));
    json_decref(root);
    return text;
fail:
    json_decref(root);
    return NULL;
}
