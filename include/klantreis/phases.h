/*
 * klantreis/phases.h - the journey from data: per phase of the model, how many persons reached
 * it, conversion from the previous and from the first phase, drop-off and the touchpoints after
 * which those persons left (afhaakmomenten), time to the next phase, micro-conversions;
 * optionally broken down by persona, or the first channel, device or a property value.
 *
 *     kr_phases_options o = KR_PHASES_OPTIONS_INIT;
 *     kr_phases_result r;
 *     if (kr_phases_run(&r, table, model, match, &o) == KR_OK)
 *         printf("%" PRIu64 " reached %s\n", r.groups[0].rows[1].reached, "phase 2");
 *     kr_phases_finish(&r);
 *
 * Semantics (docs/journey-model.md): a person's furthest phase is the latest phase, in model
 * order, with an event that matches one of its touchpoints; they reached that phase and every
 * phase before it. Entry time into a phase is the first event in it, or, when the person's
 * first event in a later phase came earlier (or the phase was skipped), that earlier time: the
 * entry into phase k is the earliest first event in phases k..last, so it never comes after
 * the entry into a later phase.
 */
#ifndef KLANTREIS_PHASES_H
#define KLANTREIS_PHASES_H

#include "model.h"

typedef enum {
    KR_PHASES_BY_NONE = 0,
    KR_PHASES_BY_PERSONA = 1,
    KR_PHASES_BY_CHANNEL = 2,  /* the channel of the person's first event */
    KR_PHASES_BY_DEVICE = 3,   /* the device of the person's first event */
    KR_PHASES_BY_PROPERTY = 4, /* the value of a free property on the person's first event */
} kr_phases_by;

/* Breakdowns keep the largest groups; the rest are counted together as "(other)". */
#define KR_PHASES_MAX_GROUPS 50

typedef struct kr_phases_options {
    kr_phases_by by;
    size_t top; /* last touchpoints listed per phase (drop-off); at most 20 */
    /* KR_PHASES_BY_PROPERTY: the property key. The table must keep it (kr_table_load_file_props);
       when it does not, every person falls in the group "(none)". */
    kr_str property;
} kr_phases_options;

#define KR_PHASES_OPTIONS_INIT                                                                     \
    {                                                                                              \
        KR_PHASES_BY_NONE, 5, KR_STR_INIT                                                          \
    }

/** A touchpoint and how many persons it applies to. */
typedef struct kr_phases_touch {
    uint32_t touchpoint;
    uint64_t persons;
} kr_phases_touch;

typedef struct kr_phases_row {
    uint32_t phase;
    uint64_t reached;       /* furthest phase is this one or a later one */
    uint64_t entered;       /* had an event in this phase (reached without skipping it) */
    uint64_t dropped;       /* furthest phase is this one */
    double conversion_prev; /* reached / reached of the previous phase (the first: 1); NaN if 0/0 */
    double conversion_first;   /* reached / reached of the first phase; NaN if 0/0 */
    uint64_t to_next_count;    /* persons who went on to the next phase */
    int64_t median_to_next_ms; /* from entering this phase to entering the next (nearest rank) */
    int64_t p90_to_next_ms;    /* both 0 when to_next_count is 0 */
    kr_phases_touch *last_touchpoints; /* of those who dropped off here, most persons first */
    size_t last_touchpoint_count;
    uint64_t *micro_persons; /* per micro-conversion of the phase (kr_model_phase.micro) */
} kr_phases_row;

typedef struct kr_phases_group {
    /* "" for everyone; else the persona id, channel, device or property value ("(none)",
       "(other)") */
    kr_str key;
    uint64_t persons;             /* persons in the group */
    uint64_t in_journey;          /* persons with at least one event that matches a touchpoint */
    uint64_t converted;           /* persons with the model's conversion (0 when it has none) */
    uint64_t repeat;              /* persons with the model's repeat */
    uint64_t *touchpoint_persons; /* per touchpoint: persons with an event that matched it */
    kr_phases_row *rows;          /* one per phase, in model order */
} kr_phases_group;

typedef struct kr_phases_result {
    kr_phases_by by;
    kr_str property; /* KR_PHASES_BY_PROPERTY: the key (borrowed from the options) */
    size_t phase_count;
    size_t touchpoint_count;
    uint64_t events;
    uint64_t matched_events;
    kr_phases_group *groups; /* groups[0] is everyone; then the breakdown, largest first */
    size_t group_count;
} kr_phases_result;

/**
 * Computes the phase table of table t with model m, compiled as mm (kr_model_match_new of m
 * and t). o may be NULL (defaults). Group keys are borrowed from t and m. Call
 * kr_phases_finish afterwards, also on failure. Returns KR_OK or KR_ENOMEM.
 */
KR_EXTERN int kr_phases_run(kr_phases_result *out, const kr_table *t, const kr_model *m,
                            const kr_model_match *mm, const kr_phases_options *o);

/** Frees what a result holds; the struct can be reused. */
KR_EXTERN void kr_phases_finish(kr_phases_result *r);

/** "none", "persona", "channel", "device", "property". */
KR_EXTERN const char *kr_phases_by_name(kr_phases_by by);

/** Parses a --by name (persona, channel, device; not property); KR_EINVAL for anything else. */
KR_EXTERN int kr_phases_by_parse(kr_phases_by *out, const char *name);

/**
 * The result as JSON: {"by", "property" (only when by property), "events", "matched_events",
 * "groups": [{"key", "persons", "in_journey", "converted", "repeat", "phases": [{"id", "name",
 * "reached", "entered", "dropped", "conversion_prev", "conversion_first", "expected_conversion",
 * "to_next", "median_to_next_s", "p90_to_next_s", "last_touchpoints": [{"id", "name", "persons"}],
 * "micro_conversions": [{"id", "name", "persons"}]}]}]}. Rates are null for 0/0.
 * Returns a malloc'd string, or NULL when out of memory.
 */
KR_EXTERN char *kr_phases_to_json(const kr_phases_result *r, const kr_model *m, bool pretty);

#endif
