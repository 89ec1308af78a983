/*
 * klantreis/funnel.h - funnels: how many persons go from step to step within a conversion
 * window, with ClickHouse windowFunnel semantics for the order and PostHog's for exclusions
 * and breakdowns (docs/funnels.md states them exactly).
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
#define KR_FUNNEL_MAX_EXCLUSIONS 32

/* kr_funnel_result.level of a person left out by an exclusion. */
#define KR_FUNNEL_EXCLUDED 0xFFu

typedef enum {
    KR_FUNNEL_ORDERED = 0,   /* steps in order, other events may come between */
    KR_FUNNEL_STRICT = 1,    /* ClickHouse strict_order: no other event after the first step */
    KR_FUNNEL_UNORDERED = 2, /* k distinct steps within one window, in any order */
} kr_funnel_order;

/* What a breakdown groups persons by: the value on one of their events (see by_attribution). */
typedef enum {
    KR_FUNNEL_BY_NONE = 0,
    KR_FUNNEL_BY_CHANNEL = 1,
    KR_FUNNEL_BY_DEVICE = 2,
    KR_FUNNEL_BY_PROPERTY = 3, /* a kept free property of the event (by_property) */
    KR_FUNNEL_BY_PERSON = 4,   /* a group the caller gives each person (by_person: personas) */
} kr_funnel_by;

/* KR_FUNNEL_BY_PERSON: group[p] < count names the group of person p (names[group[p]]); any
   other value puts the person in "(none)". Borrowed. */
typedef struct kr_funnel_person_groups {
    const uint32_t *group; /* the table's person count entries */
    const kr_str *names;
    uint32_t count;
    const char *kind; /* what the groups are, for output ("persona"); NULL = "group" */
} kr_funnel_person_groups;

typedef enum {
    /* PostHog's first_touch: the person's earliest step-1 event (in --from/--to) */
    KR_FUNNEL_ATTR_FIRST = 0,
    /* the event of the furthest step of the person's counted attempt */
    KR_FUNNEL_ATTR_LAST = 1,
    /* the event of step by_step of the counted attempt; "(none)" for persons who did not
       reach that step */
    KR_FUNNEL_ATTR_STEP = 2,
} kr_funnel_attribution;

/* --exclude X[:A-B]: persons whose counted attempt has X after its step-A event and before its
   step-B event (or the end of its window when it never reaches B) are left out. */
typedef struct kr_funnel_exclusion {
    const char *event;  /* an event name or a rule, as a step; borrowed */
    unsigned from_step; /* A, from 1 */
    unsigned to_step;   /* B, A < B <= step_count; 0 and 0 mean 1 and step_count */
} kr_funnel_exclusion;

/*
 * Hook for phase and touchpoint steps (journey model, --model): when set, tags[i] is a
 * number the caller gives event i (e.g. the touchpoint index + 1, 0 for none), and a step or
 * rule "tag=N" matches the events with that number; groups[i] likewise for "group=N" (e.g.
 * the phase index + 1). The caller maps names to numbers; the engine knows nothing of the
 * model. Borrowed, table length; either may be NULL.
 */
typedef struct kr_funnel_tags {
    const uint16_t *tags;
    const uint16_t *groups;
} kr_funnel_tags;

typedef struct kr_funnel_options {
    /* Each step: an event name ("purchase"), or a rule "event=purchase&channel=email" with
       the keys event, channel, device, type and tag. Borrowed. */
    const char *const *steps;
    size_t step_count;
    int64_t window_ms; /* from the first step's event; a step at exactly start + window counts */
    kr_funnel_order order;
    bool has_from; /* only events with from_ms <= time < to_ms take part */
    int64_t from_ms;
    bool has_to;
    int64_t to_ms;
    const kr_funnel_exclusion *exclusions; /* borrowed; ordered and strict only */
    size_t exclusion_count;
    kr_funnel_by by;
    kr_funnel_attribution by_attribution;
    kr_funnel_tags tags;
    kr_str by_property;                /* KR_FUNNEL_BY_PROPERTY: the key (the table must keep it) */
    kr_funnel_person_groups by_person; /* KR_FUNNEL_BY_PERSON */
    unsigned by_step;                  /* KR_FUNNEL_ATTR_STEP: the step, from 1 */
    /* What to call the steps in the result (kr_funnel_step.name), e.g. the names a user gave
       before they were rewritten to rules; NULL (or a NULL entry) = the step itself. */
    const char *const *labels;
} kr_funnel_options;

/* 14 days, ordered, no date range, no exclusions, no breakdown. */
#define KR_FUNNEL_OPTIONS_INIT                                                                     \
    {                                                                                              \
        NULL, 0, INT64_C(14) * 86400000, KR_FUNNEL_ORDERED, false, 0, false, 0, NULL, 0,           \
            KR_FUNNEL_BY_NONE, KR_FUNNEL_ATTR_FIRST, {NULL, NULL}, KR_STR_INIT,                    \
            {NULL, NULL, 0, NULL}, 0, NULL                                                         \
    }

typedef struct kr_funnel_step {
    char *name;                      /* the step as given (owned) */
    uint64_t persons;                /* persons whose level is this step or further */
    double conversion_from_previous; /* persons / persons of the previous step (1 for step 1) */
    double conversion_from_first;
    uint64_t dropped; /* persons whose level is exactly this step (drop-off after it) */
    /* Time from the previous step's event to this one in the counted attempts of the persons
       who reached this step (ordered and strict; 0 for step 1): nearest-rank median and p90,
       and the mean. */
    int64_t median_ms;
    int64_t p90_ms;
    double mean_ms;
} kr_funnel_step;

/* Time to convert (step 1 to the last step) of the persons who reached the last step. */
#define KR_FUNNEL_BINS 13
typedef struct kr_funnel_bin {
    int64_t lo_ms; /* lo_ms <= time < hi_ms */
    int64_t hi_ms; /* INT64_MAX for the last bin */
    uint64_t persons;
} kr_funnel_bin;

/* One funnel: the whole population, or one breakdown value. */
typedef struct kr_funnel_group {
    kr_str value; /* breakdown value, borrowed from the table ("" = none); empty for the total */
    uint64_t excluded;     /* persons left out by an exclusion */
    kr_funnel_step *steps; /* step_count entries (owned) */
    kr_funnel_bin bins[KR_FUNNEL_BINS];
    int64_t median_convert_ms; /* of the persons who reached the last step; 0 when none */
    double mean_convert_ms;
} kr_funnel_group;

typedef struct kr_funnel_result {
    size_t step_count;
    kr_funnel_step *steps; /* = total.steps */
    kr_funnel_group total;
    size_t group_count;      /* breakdown values, by persons at step 1 (most first), then name */
    kr_funnel_group *groups; /* owned */
    uint32_t person_count;
    uint8_t *level;          /* per person (table order): 0..step_count, or KR_FUNNEL_EXCLUDED */
    uint32_t *group;         /* per person: index into groups (UINT32_MAX: not in the funnel); NULL
                                without a breakdown */
    uint64_t events_scanned; /* events in the persons' ranges (after --from/--to) */
} kr_funnel_result;

/**
 * Runs the funnel over the table: a pure function of (table, options). Returns KR_OK,
 * KR_EINVAL for bad steps or options (the reason, one line, in errbuf), or KR_ENOMEM. The
 * result borrows strings from the table (breakdown values): free it before the table. Call
 * kr_funnel_result_finish afterwards in every case.
 */
KR_EXTERN int kr_funnel_run(kr_funnel_result *out, const kr_table *t, const kr_funnel_options *o,
                            char *errbuf, size_t errlen);

/** Frees the result; it can be reused. NULL members are fine. */
KR_EXTERN void kr_funnel_result_finish(kr_funnel_result *r);

/** "ordered", "strict", "unordered"; parse returns KR_EINVAL for anything else. */
KR_EXTERN const char *kr_funnel_order_name(kr_funnel_order order);
KR_EXTERN int kr_funnel_order_parse(kr_funnel_order *out, const char *name);

/**
 * Parses an --exclude argument "X" or "X:A-B" into out (event borrows from arg: keep arg
 * alive). Returns KR_OK or KR_EINVAL; steps are checked by kr_funnel_run.
 */
KR_EXTERN int kr_funnel_exclusion_parse(kr_funnel_exclusion *out, char *arg);

/**
 * The result as JSON: {"order": ..., "window_ms": ..., "steps": [{"step": ..., "persons":
 * ...}, ...], "time_to_convert": {...}, "breakdown": {"by": "channel" | "device" | "property"
 * | the person groups' kind, "property": KEY (by property only), "attribution": "first" |
 * "last" | "step", "attribution_step": N (step only), "values": [{"value": ..., "steps":
 * [...]}, ...]}}; malloc'd, NULL when out of memory.
 */
KR_EXTERN char *kr_funnel_to_json(const kr_funnel_result *r, const kr_funnel_options *o,
                                  bool pretty);

#endif
