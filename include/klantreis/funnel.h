/*
 * klantreis/funnel.h - funnels: how many persons go from step to step within a conversion
 * window, with ClickHouse windowFunnel semantics (docs/funnels.md).
 *
 *     const char *steps[] = {"product_view", "add_to_cart", "purchase"};
 *     kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
 *     o.steps = steps; o.step_count = 3;
 *     kr_funnel_result r;
 *     char err[256];
 *     if (kr_funnel_run(&r, table, &o, err, sizeof err) == KR_OK) print(r.steps[2].persons);
 *     kr_funnel_result_finish(&r);
 */
#ifndef KLANTREIS_FUNNEL_H
#define KLANTREIS_FUNNEL_H

#include "table.h"

#define KR_FUNNEL_MAX_STEPS 32

typedef enum {
    KR_FUNNEL_ORDERED = 0,   /* steps in order, other events may come between */
    KR_FUNNEL_STRICT = 1,    /* ClickHouse strict_order: no other event after the first step */
    KR_FUNNEL_UNORDERED = 2, /* k distinct steps within one window, in any order */
} kr_funnel_order;

typedef struct kr_funnel_options {
    /* Each step: an event name ("purchase"), or a rule "event=purchase&channel=email" with
       the keys event, channel, device and type. Borrowed. */
    const char *const *steps;
    size_t step_count;
    int64_t window_ms; /* from the first step's event; a step at exactly start + window counts */
    kr_funnel_order order;
    bool has_from; /* only events with from_ms <= time < to_ms take part */
    int64_t from_ms;
    bool has_to;
    int64_t to_ms;
} kr_funnel_options;

/* 14 days, ordered, no date range. */
#define KR_FUNNEL_OPTIONS_INIT                                                                     \
    {                                                                                              \
        NULL, 0, INT64_C(14) * 86400000, KR_FUNNEL_ORDERED, false, 0, false, 0                     \
    }

typedef struct kr_funnel_step {
    char *name;                      /* the step as given (owned) */
    uint64_t persons;                /* persons whose best level is this step or further */
    double conversion_from_previous; /* persons / persons of the previous step (1 for step 1) */
    double conversion_from_first;
    uint64_t dropped; /* persons whose best level is exactly this step */
    /* Time from the previous step's event to this one, over the persons who reached this step
       (ordered and strict only; 0 for the first step): nearest-rank median and p90, mean. */
    int64_t median_ms;
    int64_t p90_ms;
    double mean_ms;
} kr_funnel_step;

typedef struct kr_funnel_result {
    size_t step_count;
    kr_funnel_step *steps;
    uint32_t person_count;
    uint8_t *level; /* per person (table order): the best level reached, 0..step_count */
} kr_funnel_result;

/**
 * Runs the funnel over the table. Returns KR_OK, KR_EINVAL for bad steps or options (the
 * reason in errbuf), or KR_ENOMEM. Call kr_funnel_result_finish afterwards in every case.
 */
KR_EXTERN int kr_funnel_run(kr_funnel_result *out, const kr_table *t, const kr_funnel_options *o,
                            char *errbuf, size_t errlen);

/** Frees the result; it can be reused. */
KR_EXTERN void kr_funnel_result_finish(kr_funnel_result *r);

/** The result as JSON: {"order": ..., "window_ms": ..., "steps": [{"step": ..., "persons":
 *  ...}, ...]}; malloc'd, NULL when out of memory. */
KR_EXTERN char *kr_funnel_to_json(const kr_funnel_result *r, const kr_funnel_options *o,
                                  bool pretty);

#endif
