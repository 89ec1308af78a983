/*
 * klantreis/emotion.h - how customers feel along the journey: from score events (surveys,
 * reviews), NPS, CSAT, CES and one emotion scale -2..+2 they all map onto, per touchpoint and
 * per phase of the journey model (or per event name without one), with counts and 95%
 * confidence intervals, the expected emotion (journey 1.0) beside the measured one, and the
 * pain points: touchpoints with low emotion and high drop-off after them.
 *
 *     kr_emotion_result r;
 *     if (kr_emotion_run(&r, table, model, match, NULL) == KR_OK)   // model, match may be NULL
 *         use(r.rows[0].stats.nps);
 *     kr_emotion_finish(&r);
 *
 * Definitions (docs/emotion.md): a score event is an event with a score and a scale
 * (KR_FLAG_HAS_SCORE, KR_FLAG_SCALE); scores without a scale are left out.
 * - NPS (nps 0..10): 100 x (promoters 9-10 - detractors 0-6) / answers; its interval is the t
 *   interval of the mean of +100 / 0 / -100 per answer.
 * - CSAT (csat 1..5): the share of 4 and 5; Wilson score interval.
 * - CES (ces 1..7, CES 2.0: "the company made it easy", 7 = easiest): the mean; t interval.
 * - emotion: the mean over all score events after mapping each linearly onto -2..+2:
 *   csat s - 3, nps (s - 5) x 2/5, ces (s - 4) x 2/3, emotion as is; t interval.
 * - drop-off after a touchpoint (event name): of the persons who had it, the share whose last
 *   touchpoint event (last event) it is and who did not reach the model's conversion.
 * - pain = (2 - emotion) / 4 x drop-off, in 0..1; pain points are the rows with score events,
 *   most pain first.
 * All intervals are 95%, clamped to the scale; NaN where they cannot be computed (no answers; one
 * answer for a mean).
 */
#ifndef KLANTREIS_EMOTION_H
#define KLANTREIS_EMOTION_H

#include "model.h"

typedef struct kr_emotion_stats {
    uint64_t count; /* score events with a scale */
    uint64_t nps_count, promoters, passives, detractors;
    double nps, nps_lo, nps_hi; /* -100..100 */
    uint64_t csat_count, csat_satisfied;
    double csat, csat_lo, csat_hi; /* 0..1 */
    uint64_t ces_count;
    double ces, ces_lo, ces_hi;             /* 1..7 */
    double emotion, emotion_lo, emotion_hi; /* -2..+2, over all count scores */
} kr_emotion_stats;

typedef struct kr_emotion_row {
    kr_str key;    /* touchpoint id, or event name; "(none)": score events of no touchpoint */
    int32_t phase; /* phase index of the touchpoint; -1 without a model or for "(none)" */
    bool has_expected;
    double expected; /* journey 1.0: the touchpoint's expected_emotion, else its phase's */
    kr_emotion_stats stats;
    uint64_t persons; /* persons who had the touchpoint (event name) */
    uint64_t dropped; /* of whom it was the last and who did not convert */
    double drop_off;  /* dropped / persons; NaN for 0 persons */
    double pain;      /* (2 - emotion) / 4 x drop_off; NaN without scores */
} kr_emotion_row;

typedef struct kr_emotion_phase {
    uint32_t phase;
    bool has_expected;
    double expected;
    kr_emotion_stats stats; /* the score events of its touchpoints */
} kr_emotion_phase;

typedef struct kr_emotion_options {
    size_t top; /* pain points listed; default 5 */
} kr_emotion_options;

#define KR_EMOTION_OPTIONS_INIT                                                                    \
    {                                                                                              \
        5                                                                                          \
    }

typedef struct kr_emotion_result {
    bool by_touchpoint;     /* with a model */
    kr_emotion_stats total; /* all score events */
    uint64_t unscaled;      /* score events without a scale (left out) */
    kr_emotion_row *rows;   /* model: every touchpoint in model order, then "(none)" when it has
                               scores; else event names with scores, most first, then by name */
    size_t row_count;
    kr_emotion_phase *phases; /* model order; none without a model */
    size_t phase_count;
    size_t *pain; /* indices into rows, most pain first */
    size_t pain_count;
} kr_emotion_result;

/**
 * Measures emotion in table t, per touchpoint of model m compiled as mm (kr_model_match_new),
 * or per event name when m and mm are NULL. o may be NULL (defaults). Keys are borrowed from t
 * and m. Call kr_emotion_finish afterwards, also on failure. Returns KR_OK or KR_ENOMEM.
 */
KR_EXTERN int kr_emotion_run(kr_emotion_result *out, const kr_table *t, const kr_model *m,
                             const kr_model_match *mm, const kr_emotion_options *o);

/** Frees what a result holds; the struct can be reused. */
KR_EXTERN void kr_emotion_finish(kr_emotion_result *r);

/** A score mapped onto -2..+2 (see above); NaN for KR_SCALE_NONE. */
KR_EXTERN double kr_emotion_map(kr_score_scale scale, double score);

/** Wilson score interval of k successes in n at z (1.96 for 95%); NaN, NaN for n = 0. */
KR_EXTERN void kr_emotion_wilson(double *lo, double *hi, uint64_t k, uint64_t n, double z);

/** The two-sided 95% quantile of Student's t with df degrees of freedom (df >= 1). */
KR_EXTERN double kr_emotion_t975(uint64_t df);

/**
 * The result as JSON: {"by": "touchpoint"|"event", "total": {stats}, "unscaled", "rows":
 * [{"key", "phase", "expected_emotion", stats..., "persons", "dropped", "drop_off", "pain"}],
 * "phases": [{"id", "expected_emotion", stats...}], "pain_points": [{"key", "emotion",
 * "drop_off", "pain"}]}; a stats object is {"count", "nps": {"count", "promoters", "passives",
 * "detractors", "value", "lo", "hi"}, "csat": {"count", "satisfied", "value", "lo", "hi"},
 * "ces": {"count", "value", "lo", "hi"}, "emotion": {"value", "lo", "hi"}}; NaN as null.
 * m may be NULL. malloc'd; NULL when out of memory.
 */
KR_EXTERN char *kr_emotion_to_json(const kr_emotion_result *r, const kr_model *m, bool pretty);

#endif
