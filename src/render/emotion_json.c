/*
 * emotion_json.c - an emotion result as JSON (see emotion.h): the CLI's --format json and the
 * HTTP API's answer. Shape:
 *
 *     {"by": "touchpoint", "total": {"count": 39, "nps": {...}, "csat": {...}, ...},
 *      "rows": [{"key": "survey", "phase": "loyalty", "expected_emotion": 2, ...}],
 *      "phases": [{"id": "loyalty", ...}], "pain_points": [{"key", "emotion", ...}]}
 */
#include <math.h>

#include <jansson.h>

#include "klantreis/emotion.h"

static json_t *num(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *stats_json(const kr_emotion_stats *s)
{
    return json_pack(
        "{s:I, s:{s:I, s:I, s:I, s:I, s:o, s:o, s:o}, s:{s:I, s:I, s:o, s:o, s:o}, "
        "s:{s:I, s:o, s:o, s:o}, s:{s:o, s:o, s:o}}",
        "count", (json_int_t)s->count, "nps", "count", (json_int_t)s->nps_count, "promoters",
        (json_int_t)s->promoters, "passives", (json_int_t)s->passives, "detractors",
        (json_int_t)s->detractors, "value", num(s->nps), "lo", num(s->nps_lo), "hi", num(s->nps_hi),
        "csat", "count", (json_int_t)s->csat_count, "satisfied", (json_int_t)s->csat_satisfied,
        "value", num(s->csat), "lo", num(s->csat_lo), "hi", num(s->csat_hi), "ces", "count",
        (json_int_t)s->ces_count, "value", num(s->ces), "lo", num(s->ces_lo), "hi", num(s->ces_hi),
        "emotion", "value", num(s->emotion), "lo", num(s->emotion_lo), "hi", num(s->emotion_hi));
}

static json_t *str_json(kr_str s)
{
    return json_stringn(s.ptr ? s.ptr : "", s.len);
}

char *kr_emotion_to_json(const kr_emotion_result *r, const kr_model *m, bool pretty)
{
    char *text = NULL;
    const kr_model_info *info = m ? kr_model_get(m) : NULL;
    json_t *root = json_pack("{s:s, s:o, s:I}", "by", r->by_touchpoint ? "touchpoint" : "event",
                             "total", stats_json(&r->total), "unscaled", (json_int_t)r->unscaled);
    json_t *rows = json_array(), *phases = json_array(), *pain = json_array();
    if (!root || json_object_set_new(root, "rows", rows) < 0 ||
        json_object_set_new(root, "phases", phases) < 0 ||
        json_object_set_new(root, "pain_points", pain) < 0 || !rows || !phases || !pain)
        goto done;
    for (size_t i = 0; i < r->row_count; i++) {
        const kr_emotion_row *row = &r->rows[i];
        json_t *j = json_pack(
            "{s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "key", str_json(row->key), "phase",
            info && row->phase >= 0 ? str_json(info->phases[row->phase].id) : json_null(),
            "expected_emotion", num(row->expected), "scores", stats_json(&row->stats), "persons",
            (json_int_t)row->persons, "dropped", (json_int_t)row->dropped, "drop_off",
            num(row->drop_off), "pain", num(row->pain));
        if (!j || json_array_append_new(rows, j) < 0)
            goto done;
    }
    for (size_t k = 0; info && k < r->phase_count; k++) {
        const kr_emotion_phase *ph = &r->phases[k];
        json_t *j =
            json_pack("{s:o, s:o, s:o}", "id", str_json(info->phases[ph->phase].id),
                      "expected_emotion", num(ph->expected), "scores", stats_json(&ph->stats));
        if (!j || json_array_append_new(phases, j) < 0)
            goto done;
    }
    for (size_t i = 0; i < r->pain_count; i++) {
        const kr_emotion_row *row = &r->rows[r->pain[i]];
        json_t *j = json_pack("{s:o, s:o, s:o, s:o}", "key", str_json(row->key), "emotion",
                              num(row->stats.emotion), "drop_off", num(row->drop_off), "pain",
                              num(row->pain));
        if (!j || json_array_append_new(pain, j) < 0)
            goto done;
    }
    text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(10));
done:
    json_decref(root);
    return text;
}
