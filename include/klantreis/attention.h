/*
 * klantreis/attention.h - the attention monitor: company-initiated touches (calls, visits,
 * mailings, service contacts) per customer in a period, summed per tier of the customer
 * pyramid and set against each tier's share of the revenue, and the customers with the largest
 * gap either way (docs/attention.md has the exact rules).
 *
 *     kr_attention_options o = KR_ATTENTION_OPTIONS_INIT;
 *     const char *calls[] = {"sales_call", "visit"};
 *     o.events = calls; o.event_count = 2;          // or o.model + o.match
 *     kr_attention a;
 *     if (kr_attention_run(&a, table, &o, err, sizeof err) == KR_OK)
 *         printf("top: %.2f\n", a.tiers[KR_PYRAMID_TOP].ratio);
 *     kr_attention_finish(&a);
 */
#ifndef KLANTREIS_ATTENTION_H
#define KLANTREIS_ATTENTION_H

#include "model.h"
#include "value.h"

typedef struct kr_attention_options {
    /* purchase, as-of, per (person or account), period, tiers of the pyramid */
    kr_value_options value;
    /* Company touches by event name (borrowed); when event_count is 0, the events that match a
       touchpoint with initiated_by: company in model (match compiled for the same table). */
    const char *const *events;
    size_t event_count;
    const kr_model *model;
    const kr_model_match *match;
    int64_t silent_ms; /* top and large customers without a touch this long before as-of */
    uint32_t top;      /* at most this many customers per gap list; 0 = all */
} kr_attention_options;

/* value defaults, no events or model, 90 days silent, top 10 */
#define KR_ATTENTION_OPTIONS_INIT                                                                  \
    {                                                                                              \
        KR_VALUE_OPTIONS_INIT, NULL, 0, NULL, NULL, INT64_C(90) * 86400000, 10                     \
    }

typedef struct kr_attention_tier {
    uint32_t customers;
    uint32_t touched;       /* customers with at least one touch in the period */
    int64_t revenue_cents;  /* in the period */
    double value_share;     /* revenue_cents / all revenue in the period (0 when none) */
    uint64_t touches;       /* company touches in the period */
    double attention_share; /* touches / all touches in the period (0 when none) */
    bool has_ratio;         /* value_share > 0 */
    double ratio;           /* attention_share / value_share: 1 = in proportion to value */
} kr_attention_tier;

typedef struct kr_attention_customer {
    uint32_t unit; /* person index or account code (kr_value_unit_name) */
    uint8_t tier;  /* kr_pyramid_tier */
    uint32_t rank;
    int64_t revenue_cents; /* in the period */
    uint32_t touches;      /* company touches in the period */
    int64_t last_touch_ms; /* the last company touch at or before as-of; INT64_MIN: none */
} kr_attention_customer;

typedef struct kr_attention {
    int64_t as_of_ms;
    int64_t from_ms;       /* the period is (from_ms, as_of_ms]; INT64_MIN for all history */
    uint64_t touches;      /* all company touches in the period (of customers) */
    int64_t revenue_cents; /* all revenue in the period */
    uint32_t touchpoints;  /* model: touchpoints with initiated_by: company; else event names */
    kr_attention_tier tiers[KR_PYRAMID_TIERS];
    /* top and large customers without a touch in [as-of - silent, as-of]: by rank, then the
       older last touch (none first), then unit; at most o->top (owned) */
    uint32_t silent_total;
    uint32_t silent_count;
    kr_attention_customer *silent;
    /* small customers with touches in the period: most touches first, then less revenue,
       then unit; at most o->top (owned) */
    uint32_t busy_total;
    uint32_t busy_count;
    kr_attention_customer *busy;
} kr_attention;

/**
 * The attention monitor over the table. A pure function of (table, options). Returns KR_OK,
 * KR_EINVAL (bad options; neither events nor a model; a model without company touchpoints;
 * reason in errbuf) or KR_ENOMEM. Call kr_attention_finish in every case.
 */
KR_EXTERN int kr_attention_run(kr_attention *out, const kr_table *t, const kr_attention_options *o,
                               char *errbuf, size_t errlen);

/** Frees the lists; the result can be reused. */
KR_EXTERN void kr_attention_finish(kr_attention *a);

/**
 * The result as JSON: {"analysis": "attention", "per", "as_of", "from", "touches",
 * "revenue_cents", "tiers": [{"tier", "customers", "touched", "revenue_cents", "value_share",
 * "touches", "attention_share", "ratio" (null without value)}] (7), "silent_days",
 * "silent_total", "silent": [customer], "busy_total", "busy": [customer]} with customer
 * {"customer", "tier", "rank", "revenue_cents", "touches", "last_touch" (null: none)}.
 * Borrows names from t. malloc'd; NULL when out of memory.
 */
KR_EXTERN char *kr_attention_to_json(const kr_attention *a, const kr_table *t,
                                     const kr_attention_options *o, bool pretty);

#endif
