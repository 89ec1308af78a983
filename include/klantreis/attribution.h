/*
 * klantreis/attribution.h - credit for conversions per channel (or touchpoint): first touch,
 * last touch, linear, time decay, position based (40/20/40) and data-driven (Markov chain
 * removal effect, order 1), side by side, for conversions and their revenue.
 *
 *     kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
 *     o.conversion = "purchase";
 *     kr_attribution_result r;
 *     char err[256];
 *     if (kr_attribution_run(&r, table, &o, err, sizeof err) == KR_OK)
 *         use(r.rows[0].conversions[KR_ATTR_MARKOV]);
 *     kr_attribution_finish(&r);
 *
 * Which touches count (docs/attribution.md has the whole definition and examples):
 * - a touch is an event, other than a conversion event, with a channel (KR_ATTR_TOUCH_CHANNEL)
 *   or with a tag (KR_ATTR_TOUCH_TAG: the caller's touchpoint per event), at or before as_of;
 * - a conversion is an event named o->conversion at or before as_of; its value (value_cents)
 *   is its revenue, 0 without a value;
 * - each conversion gets the person's touches since their previous conversion (a touch at the
 *   same millisecond as a conversion belongs to it) that lie within the lookback:
 *   conversion time - touch time <= lookback_ms;
 * - a conversion without such touches is credited to the row "(no touch)" in every model, so
 *   every model's column sums to the conversions and their revenue.
 * The Markov chain is estimated from one path per person: the touches credited to the
 * person's first conversion, ending in the conversion state, or, for a person who never
 * converts, all their touches up to as_of, ending in the null state. Empty paths are left out.
 */
#ifndef KLANTREIS_ATTRIBUTION_H
#define KLANTREIS_ATTRIBUTION_H

#include "table.h"

typedef enum {
    KR_ATTR_FIRST = 0,    /* all credit to the first touch */
    KR_ATTR_LAST = 1,     /* all credit to the last touch */
    KR_ATTR_LINEAR = 2,   /* 1/n to each of the n touches */
    KR_ATTR_DECAY = 3,    /* weight 2^(-(conversion - touch)/half_life), normalised */
    KR_ATTR_POSITION = 4, /* 40% first, 40% last, 20% shared by the middle; 1: 100%, 2: 50/50 */
    KR_ATTR_MARKOV = 5,   /* conversions x removal effect / sum of removal effects */
} kr_attribution_model;
#define KR_ATTR_MODEL_COUNT 6

typedef enum {
    KR_ATTR_TOUCH_CHANNEL = 0, /* the event's channel (events without one are no touch) */
    KR_ATTR_TOUCH_TAG = 1,     /* tags[i] < tag_count names the touch; other values: none */
} kr_attribution_touch;

/* The Markov model is solved exactly (Gaussian elimination, once per channel): above this
   many channels in the paths it is left out (kr_attribution_result.markov_ok false). */
#define KR_ATTR_MARKOV_MAX_STATES 256

typedef struct kr_attribution_options {
    const char *conversion; /* the conversion's event name, compared exactly; borrowed */
    kr_attribution_touch touch;
    /* KR_ATTR_TOUCH_TAG: one tag per event (e.g. kr_model_match_events(): touchpoint index,
       UINT16_MAX for none) and the names of tags 0..tag_count-1. Borrowed. */
    const uint16_t *tags;
    const kr_str *tag_names;
    size_t tag_count;
    int64_t lookback_ms;  /* > 0 */
    int64_t half_life_ms; /* > 0, time decay */
    bool has_as_of;       /* default: the table's last event */
    int64_t as_of_ms;     /* events after it are left out */
} kr_attribution_options;

/* Channels, a 30-day lookback, a 7-day half-life, as of the last event. */
#define KR_ATTRIBUTION_OPTIONS_INIT                                                                \
    {                                                                                              \
        NULL, KR_ATTR_TOUCH_CHANNEL, NULL, NULL, 0, INT64_C(30) * 86400000, INT64_C(7) * 86400000, \
            false, 0                                                                               \
    }

typedef struct kr_attribution_row {
    kr_str key;       /* channel or tag name, borrowed; "(no touch)" for the unattributed row */
    bool no_touch;    /* the "(no touch)" row */
    uint64_t touches; /* touches credited to conversions (in their lookback) */
    uint64_t path_touches; /* times the key occurs in the Markov paths */
    double removal_effect; /* 1 - P(conversion without key)/P(conversion); 0 when not in paths */
    double conversions[KR_ATTR_MODEL_COUNT];
    double revenue_cents[KR_ATTR_MODEL_COUNT];
} kr_attribution_row;

typedef struct kr_attribution_result {
    int64_t as_of_ms;
    uint64_t persons;
    uint64_t converted_persons;
    uint64_t conversions;          /* conversion events at or before as_of */
    uint64_t touched_conversions;  /* of which with at least one touch in their lookback */
    int64_t revenue_cents;         /* of all conversions */
    int64_t touched_revenue_cents; /* of the touched conversions */
    uint64_t paths_converting;     /* Markov paths ending in conversion */
    uint64_t paths_null;           /* Markov paths ending in null */
    bool markov_ok;                /* false: more than KR_ATTR_MARKOV_MAX_STATES channels */
    size_t markov_states;          /* channels in the paths */
    double p_conversion;           /* P(start reaches conversion) in the full chain */
    kr_attribution_row *rows;      /* most linear conversions first, then key; "(no touch)" last */
    size_t row_count;
} kr_attribution_result;

/**
 * Credits the conversions of table t (a pure function of table and options). Returns KR_OK,
 * KR_EINVAL for bad options (reason in errbuf, one line) or KR_ENOMEM. A conversion name the
 * table does not have gives zero conversions. Row keys are borrowed from t and o->tag_names.
 * Call kr_attribution_finish afterwards in every case.
 */
KR_EXTERN int kr_attribution_run(kr_attribution_result *out, const kr_table *t,
                                 const kr_attribution_options *o, char *errbuf, size_t errlen);

/** Frees what a result holds; the struct can be reused. */
KR_EXTERN void kr_attribution_finish(kr_attribution_result *r);

/**
 * Removal effects of an order-1 Markov chain given as counts: start[j] transitions from start
 * to state j, trans[i * (n + 2) + j] from state i to state j (j = n: conversion, j = n + 1:
 * null). Writes P(conversion) to *p_conv and removal_effect[i] for each of the n states
 * (transitions into a removed state go to null). Returns KR_OK, KR_EINVAL (n over
 * KR_ATTR_MARKOV_MAX_STATES) or KR_ENOMEM.
 */
KR_EXTERN int kr_attribution_markov(double *removal_effect, double *p_conv, const double *start,
                                    const double *trans, size_t n);

/** "first_touch", "last_touch", "linear", "time_decay", "position_based", "markov". */
KR_EXTERN const char *kr_attribution_model_name(kr_attribution_model m);

/** Parses a model name (also first, last, position, data_driven); KR_EINVAL otherwise. */
KR_EXTERN int kr_attribution_model_parse(kr_attribution_model *out, const char *name);

/**
 * The result as JSON: {"conversion", "touch", "lookback_ms", "half_life_ms", "as_of_ms",
 * "persons", "converted_persons", "conversions", "touched_conversions", "revenue_cents",
 * "markov": {"ok", "states", "p_conversion", "paths_converting", "paths_null"}, "models":
 * [names], "rows": [{"key", "touches", "removal_effect", "<model>": {"conversions",
 * "revenue_cents"}, ...}]}; only model `only` when only_one. malloc'd; NULL when out of memory.
 */
KR_EXTERN char *kr_attribution_to_json(const kr_attribution_result *r,
                                       const kr_attribution_options *o, bool only_one,
                                       kr_attribution_model only, bool pretty);

#endif
