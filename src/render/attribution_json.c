/*
 * attribution_json.c - an attribution result as JSON (see attribution.h): the CLI's --format
 * json and the HTTP API's answer. Shape:
 *
 *     {"conversion": "purchase", "touch": "channel", "lookback_ms": ..., "conversions": 42,
 *      "markov": {"ok": true, "states": 5, "p_conversion": 0.31, ...},
 *      "models": ["first_touch", ...],
 *      "rows": [{"key": "email", "touches": 17, "removal_effect": 0.4,
 *                "first_touch": {"conversions": 6.0, "revenue_cents": 41250.0}, ...}]}
 */
#include <math.h>

#include <jansson.h>

#include "klantreis/attribution.h"

/* A number, or null for NaN (Markov left out). */
static json_t *num(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

char *kr_attribution_to_json(const kr_attribution_result *r, const kr_attribution_options *o,
                             bool only_one, kr_attribution_model only, bool pretty)
{
    char *text = NULL;
    json_t *root = json_pack(
        "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "conversion",
        o->conversion ? o->conversion : "", "touch",
        o->touch == KR_ATTR_TOUCH_TAG ? "touchpoint" : "channel", "lookback_ms",
        (json_int_t)o->lookback_ms, "half_life_ms", (json_int_t)o->half_life_ms, "as_of_ms",
        (json_int_t)r->as_of_ms, "persons", (json_int_t)r->persons, "converted_persons",
        (json_int_t)r->converted_persons, "conversions", (json_int_t)r->conversions,
        "touched_conversions", (json_int_t)r->touched_conversions, "revenue_cents",
        (json_int_t)r->revenue_cents);
    if (!root)
        return NULL;
    json_t *markov = json_pack(
        "{s:b, s:I, s:o, s:I, s:I}", "ok", r->markov_ok, "states", (json_int_t)r->markov_states,
        "p_conversion", r->markov_ok ? json_real(r->p_conversion) : json_null(), "paths_converting",
        (json_int_t)r->paths_converting, "paths_null", (json_int_t)r->paths_null);
    json_t *models = json_array(), *rows = json_array();
    if (json_object_set_new(root, "markov", markov) < 0 ||
        json_object_set_new(root, "models", models) < 0 ||
        json_object_set_new(root, "rows", rows) < 0 || !markov || !models || !rows)
        goto done;
    for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++)
        if ((!only_one || m == (int)only) &&
            json_array_append_new(models, json_string(kr_attribution_model_name(m))) < 0)
            goto done;
    for (size_t i = 0; i < r->row_count; i++) {
        const kr_attribution_row *row = &r->rows[i];
        json_t *j = json_pack("{s:s%, s:I, s:o}", "key", row->key.ptr ? row->key.ptr : "",
                              row->key.len, "touches", (json_int_t)row->touches, "removal_effect",
                              row->no_touch ? json_null() : num(row->removal_effect));
        if (!j || json_array_append_new(rows, j) < 0)
            goto done;
        for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++) {
            if (only_one && m != (int)only)
                continue;
            json_t *mj = json_pack("{s:o, s:o}", "conversions", num(row->conversions[m]),
                                   "revenue_cents", num(row->revenue_cents[m]));
            if (!mj || json_object_set_new(j, kr_attribution_model_name(m), mj) < 0)
                goto done;
        }
    }
    text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(10));
done:
    json_decref(root);
    return text;
}
