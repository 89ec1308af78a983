/*
 * test_emotion.c - NPS, CSAT, CES, emotion, intervals, drop-off and pain points on tables
 * worked out by hand (the numbers are derived in the comments; docs/emotion.md has the
 * definitions).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/emotion.h"

#define EPS 1e-9

typedef struct ev {
    const char *user;
    int64_t t;
    const char *name;
    kr_score_scale scale;
    double score;
} ev;

static kr_table *build(const ev *e, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.time_ms = e[i].t;
        x.event = kr_str_from_cstr(e[i].name);
        if (e[i].scale != KR_SCALE_NONE || e[i].score != 0) {
            x.has_score = true;
            x.score_scale = e[i].scale;
            x.score = e[i].score;
        }
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

static const kr_emotion_row *row(const kr_emotion_result *r, const char *key)
{
    for (size_t i = 0; i < r->row_count; i++)
        if (kr_str_eq_cstr(r->rows[i].key, key))
            return &r->rows[i];
    fail_msg("no row %s", key);
    return NULL;
}

/* Wilson score intervals from the literature (e.g. Newcombe 1998, table I): 8/10, 3/5, 0/10. */
static void wilson_values(void **state)
{
    (void)state;
    double lo, hi;
    kr_emotion_wilson(&lo, &hi, 8, 10, 1.959963984540054);
    assert_float_equal(lo, 0.4902, 1e-4);
    assert_float_equal(hi, 0.9433, 1e-4);
    kr_emotion_wilson(&lo, &hi, 3, 5, 1.959963984540054);
    assert_float_equal(lo, 0.2307, 1e-4);
    assert_float_equal(hi, 0.8824, 1e-4);
    kr_emotion_wilson(&lo, &hi, 0, 10, 1.959963984540054);
    assert_float_equal(lo, 0.0, 1e-12);
    assert_float_equal(hi, 0.2775, 1e-4);
    kr_emotion_wilson(&lo, &hi, 0, 0, 1.96);
    assert_true(isnan(lo) && isnan(hi));
    /* Student's t, 97.5% quantile: table values and the expansion above 30. */
    assert_float_equal(kr_emotion_t975(1), 12.7062, 1e-4);
    assert_float_equal(kr_emotion_t975(10), 2.2281, 1e-4);
    assert_float_equal(kr_emotion_t975(40), 2.0211, 1e-4);
    assert_float_equal(kr_emotion_t975(100), 1.9840, 1e-4);
    assert_float_equal(kr_emotion_t975(1000), 1.9623, 1e-4);
}

static void mapping(void **state)
{
    (void)state;
    assert_float_equal(kr_emotion_map(KR_SCALE_CSAT, 1), -2, EPS);
    assert_float_equal(kr_emotion_map(KR_SCALE_CSAT, 5), 2, EPS);
    assert_float_equal(kr_emotion_map(KR_SCALE_NPS, 0), -2, EPS);
    assert_float_equal(kr_emotion_map(KR_SCALE_NPS, 10), 2, EPS);
    assert_float_equal(kr_emotion_map(KR_SCALE_NPS, 9), 1.6, EPS);
    assert_float_equal(kr_emotion_map(KR_SCALE_CES, 1), -2, EPS);
    assert_float_equal(kr_emotion_map(KR_SCALE_CES, 7), 2, EPS);
    assert_float_equal(kr_emotion_map(KR_SCALE_EMOTION, -1), -1, EPS);
    assert_true(isnan(kr_emotion_map(KR_SCALE_NONE, 3)));
}

/*
 * nps:    9, 10, 10, 8 (no detractors): NPS = 100 x (3 - 0)/4 = 75; per answer +100 x3, 0:
 *         sd = sqrt((30000 - 300^2/4)/3) = 50, half = t(3) 3.1824 x 50/2 = 79.56:
 *         [-4.56, 100 (clamped)]. Emotion 1.6, 2, 2, 1.2.
 * csat:   5, 4, 3, 2, 5: 3/5 = 60%, Wilson [0.2307, 0.8824]. Emotion 2, 1, 0, -1, 2.
 * ces:    7, 5, 6: mean 6, sd 1, half = t(2) 4.3027/sqrt(3) = 2.4842: [3.5158, 7 (clamped)].
 *         Emotion 2, 2/3, 4/3.
 * a score without a scale is left out (unscaled).
 */
static const ev scores[] = {
    {"a", 1, "nps", KR_SCALE_NPS, 9},    {"b", 1, "nps", KR_SCALE_NPS, 10},
    {"c", 1, "nps", KR_SCALE_NPS, 10},   {"d", 1, "nps", KR_SCALE_NPS, 8},
    {"a", 2, "csat", KR_SCALE_CSAT, 5},  {"b", 2, "csat", KR_SCALE_CSAT, 4},
    {"c", 2, "csat", KR_SCALE_CSAT, 3},  {"d", 2, "csat", KR_SCALE_CSAT, 2},
    {"e", 2, "csat", KR_SCALE_CSAT, 5},  {"a", 3, "ces", KR_SCALE_CES, 7},
    {"b", 3, "ces", KR_SCALE_CES, 5},    {"c", 3, "ces", KR_SCALE_CES, 6},
    {"e", 3, "other", KR_SCALE_NONE, 4},
};

static void per_event(void **state)
{
    (void)state;
    kr_table *t = build(scores, sizeof scores / sizeof scores[0]);
    kr_emotion_result r;
    assert_int_equal(kr_emotion_run(&r, t, NULL, NULL, NULL), KR_OK);
    assert_false(r.by_touchpoint);
    assert_int_equal(r.unscaled, 1);
    assert_int_equal(r.row_count, 3);
    assert_true(kr_str_eq_cstr(r.rows[0].key, "csat")); /* most scores first */
    const kr_emotion_row *nps = row(&r, "nps"), *csat = row(&r, "csat"), *ces = row(&r, "ces");
    assert_int_equal(nps->stats.promoters, 3);
    assert_int_equal(nps->stats.passives, 1);
    assert_int_equal(nps->stats.detractors, 0);
    assert_float_equal(nps->stats.nps, 75, EPS);
    assert_float_equal(nps->stats.nps_lo, 75 - 3.1824 * 25, 1e-3);
    assert_float_equal(nps->stats.nps_hi, 100, EPS);
    assert_float_equal(nps->stats.emotion, (1.6 + 2 + 2 + 1.2) / 4, EPS);
    assert_true(isnan(nps->stats.csat));
    assert_float_equal(csat->stats.csat, 0.6, EPS);
    assert_float_equal(csat->stats.csat_lo, 0.2307, 1e-4);
    assert_float_equal(csat->stats.csat_hi, 0.8824, 1e-4);
    assert_float_equal(csat->stats.emotion, 0.8, EPS);
    assert_float_equal(ces->stats.ces, 6, EPS);
    assert_float_equal(ces->stats.ces_lo, 6 - 4.3027 / sqrt(3), 1e-4);
    assert_float_equal(ces->stats.ces_hi, 7, EPS);
    assert_float_equal(ces->stats.emotion, 4.0 / 3, EPS);
    assert_int_equal(r.total.count, 12);
    assert_float_equal(r.total.nps, 75, EPS);
    /* Drop-off without a model: the person's last event. a, b, c end with ces, d with csat,
       e with other: ces 3/3, csat 1/5, nps 0/4. Pain = (2 - emotion)/4 x drop-off. */
    assert_float_equal(ces->drop_off, 1, EPS);
    assert_float_equal(csat->drop_off, 0.2, EPS);
    assert_float_equal(nps->drop_off, 0, EPS);
    assert_float_equal(ces->pain, (2 - 4.0 / 3) / 4, EPS);
    assert_float_equal(csat->pain, (2 - 0.8) / 4 * 0.2, EPS);
    assert_int_equal(r.pain_count, 3);
    assert_true(kr_str_eq_cstr(r.rows[r.pain[0]].key, "ces"));
    assert_true(kr_str_eq_cstr(r.rows[r.pain[1]].key, "csat"));
    kr_emotion_finish(&r);
    kr_table_free(t);
}

/*
 * A model: phase A (expected emotion 1) with touchpoints a (event x) and s (survey, expected
 * -1); phase B (no expectation) with b (event buy), the conversion.
 *   p1: x, survey emotion -2, buy         -> converted: no drop-off
 *   p2: x, survey emotion 0               -> last touchpoint s, dropped
 *   p3: x, survey emotion -1, x           -> last touchpoint a, dropped
 *   p4: unmatched event "feedback" csat 5 -> row "(none)"
 * s: emotion mean -1, persons 3, dropped 1 -> drop-off 1/3, pain (2 + 1)/4 x 1/3 = 0.25.
 * a: no scores (no pain), persons 3, dropped 1. Phase A: the scores of a and s.
 */
static void per_touchpoint(void **state)
{
    (void)state;
    static const char yaml[] = "phases:\n"
                               "  - id: A\n"
                               "    expected_emotion: 1\n"
                               "    touchpoints:\n"
                               "      - {id: a, match: {event: x}}\n"
                               "      - {id: s, expected_emotion: -1, match: {event: survey}}\n"
                               "  - id: B\n"
                               "    touchpoints:\n"
                               "      - {id: b, match: {event: buy}}\n"
                               "conversion: {touchpoint: b}\n";
    kr_model *m;
    assert_int_equal(kr_model_load_string(&m, yaml, sizeof yaml - 1, "m.yaml"), KR_OK);
    static const ev e[] = {
        {"p1", 1, "x", KR_SCALE_NONE, 0},          {"p1", 2, "survey", KR_SCALE_EMOTION, -2},
        {"p1", 3, "buy", KR_SCALE_NONE, 0},        {"p2", 1, "x", KR_SCALE_NONE, 0},
        {"p2", 2, "survey", KR_SCALE_EMOTION, 0},  {"p3", 1, "x", KR_SCALE_NONE, 0},
        {"p3", 2, "survey", KR_SCALE_EMOTION, -1}, {"p3", 3, "x", KR_SCALE_NONE, 0},
        {"p4", 1, "feedback", KR_SCALE_CSAT, 5},
    };
    kr_table *t = build(e, sizeof e / sizeof e[0]);
    kr_model_match *mm;
    assert_int_equal(kr_model_match_new(&mm, m, t), KR_OK);
    kr_emotion_result r;
    assert_int_equal(kr_emotion_run(&r, t, m, mm, NULL), KR_OK);
    assert_true(r.by_touchpoint);
    assert_int_equal(r.row_count, 4); /* a, s, b, (none) */
    const kr_emotion_row *a = row(&r, "a"), *s = row(&r, "s"), *none = row(&r, "(none)");
    assert_int_equal(s->stats.count, 3);
    assert_float_equal(s->stats.emotion, -1, EPS);
    assert_float_equal(s->expected, -1, EPS);
    assert_float_equal(a->expected, 1, EPS); /* the phase's */
    assert_true(isnan(row(&r, "b")->expected));
    assert_int_equal(s->persons, 3);
    assert_int_equal(s->dropped, 1);
    assert_int_equal(a->dropped, 1);
    assert_float_equal(s->pain, 0.25, EPS);
    assert_true(isnan(a->pain));
    assert_int_equal(none->stats.count, 1);
    assert_float_equal(none->stats.csat, 1, EPS);
    assert_int_equal(r.phase_count, 2);
    assert_int_equal(r.phases[0].stats.count, 3);
    assert_float_equal(r.phases[0].expected, 1, EPS);
    assert_int_equal(r.phases[1].stats.count, 0);
    assert_true(isnan(r.phases[1].stats.emotion));
    assert_int_equal(r.pain_count, 1); /* (none) has no persons */
    assert_true(kr_str_eq_cstr(r.rows[r.pain[0]].key, "s"));
    char *json = kr_emotion_to_json(&r, m, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"pain_points\":[{\"key\":\"s\""));
    free(json);
    kr_emotion_finish(&r);
    kr_model_match_free(mm);
    kr_table_free(t);
    kr_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wilson_values),
        cmocka_unit_test(mapping),
        cmocka_unit_test(per_event),
        cmocka_unit_test(per_touchpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
