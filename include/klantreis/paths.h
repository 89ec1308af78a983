/*
 * klantreis/paths.h - paths: the most common sequences of events, channels or touchpoints of a
 * person or a session, consecutive repeats collapsed, and the transitions between step k and
 * k + 1 as Sankey data. docs/paths.md states the semantics exactly.
 *
 *     kr_paths_options o = KR_PATHS_OPTIONS_INIT;
 *     o.from = "product_view"; o.depth = 4;
 *     kr_paths_result r;
 *     char err[256];
 *     if (kr_paths_run(&r, table, &o, err, sizeof err) == KR_OK) print(r.paths[0].count);
 *     kr_paths_result_finish(&r);
 */
#ifndef KLANTREIS_PATHS_H
#define KLANTREIS_PATHS_H

#include "table.h"

#define KR_PATHS_MAX_DEPTH 32
#define KR_PATHS_MAX_TOP 1000
#define KR_PATHS_MAX_STEPS 32 /* funnel steps of after_drop_off */

/* "No touchpoint" in kr_paths_options.tags (= KR_MODEL_NONE). */
#define KR_PATHS_NO_TAG UINT16_MAX

/* What a step of a path is. */
typedef enum {
    KR_PATHS_OF_EVENT = 0,      /* the event name */
    KR_PATHS_OF_CHANNEL = 1,    /* the channel; events without a channel are skipped */
    KR_PATHS_OF_TOUCHPOINT = 2, /* the tag the caller gives each event (options.tags) */
} kr_paths_of;

/* What one path belongs to. */
typedef enum {
    KR_PATHS_PER_PERSON = 0,  /* all of a person's events */
    KR_PATHS_PER_SESSION = 1, /* a person's events split where the gap is > session_gap_ms */
} kr_paths_per;

typedef struct kr_paths_options {
    kr_paths_of of;
    kr_paths_per per;
    int64_t session_gap_ms; /* per session: a gap of more than this starts a new session */
    const char *from;       /* NULL, or the path starts at the unit's first step with this value */
    const char *to;         /* NULL, or the path ends at the first step with this value after the
                               start (or at the start itself without from); units that never
                               reach it are left out */
    size_t depth;           /* 1..KR_PATHS_MAX_DEPTH steps; longer paths are cut */
    size_t top;             /* paths listed, 1..KR_PATHS_MAX_TOP */
    /* KR_PATHS_OF_TOUCHPOINT: tags[i] is the touchpoint of event i (kr_model_match_events(),
       KR_PATHS_NO_TAG for none), tag_names[tag] its name (tag_count of them). Borrowed. */
    const uint16_t *tags;
    const kr_str *tag_names;
    size_t tag_count;
    /* Paths after drop-off: with after_drop_off = N (1..step_count - 1; 0 = off), only the
       units that reach funnel step N and not N + 1 have a path, and it starts at the step that
       reached N. The funnel is ordered and has no window: step k is reached at the first step
       with value steps[k-1] after the one that reached k - 1 (greedy, on the collapsed steps).
       Not together with from or to. steps are values of the path's kind; borrowed. */
    const char *const *steps;
    size_t step_count;
    size_t after_drop_off;
} kr_paths_options;

/* Events, per person, 30 minutes, no from/to, 5 steps, top 10, no drop-off. */
#define KR_PATHS_OPTIONS_INIT                                                                      \
    {                                                                                              \
        KR_PATHS_OF_EVENT, KR_PATHS_PER_PERSON, INT64_C(30) * 60000, NULL, NULL, 5, 10, NULL,      \
            NULL, 0, NULL, 0, 0                                                                    \
    }

typedef struct kr_paths_path {
    size_t len;          /* steps, 1..depth */
    const kr_str *steps; /* len names, borrowed from the table or tag_names */
    uint64_t count;      /* persons or sessions with exactly this path */
    double share;        /* count / units */
} kr_paths_path;

/* A Sankey node: a value at step k (from 0) of the counted paths. */
typedef struct kr_paths_node {
    uint32_t step;
    kr_str name;
    uint64_t value; /* units whose path has this value at this step */
} kr_paths_node;

/* A Sankey link: units whose path has source at step `step` and target at step + 1. */
typedef struct kr_paths_link {
    uint32_t step;
    kr_str source;
    kr_str target;
    uint64_t value;
} kr_paths_link;

typedef struct kr_paths_result {
    kr_paths_per per;
    uint64_t units;          /* persons (or sessions) with a path: the share's denominator */
    uint64_t distinct;       /* distinct paths among them */
    size_t path_count;       /* the top paths: most units first, then by names */
    kr_paths_path *paths;    /* owned */
    size_t node_count;       /* nodes by step, then value (most first), then name */
    kr_paths_node *nodes;    /* owned */
    size_t link_count;       /* links by step, then value (most first), then names */
    kr_paths_link *links;    /* owned */
    kr_str *names;           /* owned storage behind paths[].steps */
    uint64_t events_scanned; /* events of the table read */
} kr_paths_result;

/**
 * Counts the paths of the table: a pure function of (table, options). Returns KR_OK,
 * KR_EINVAL for bad options (the reason, one line, in errbuf), or KR_ENOMEM. A from or to
 * value that does not occur in the table is no error: no unit has a path then. The result
 * borrows strings from the table and tag_names: free it first. Call kr_paths_result_finish
 * afterwards in every case.
 */
KR_EXTERN int kr_paths_run(kr_paths_result *out, const kr_table *t, const kr_paths_options *o,
                           char *errbuf, size_t errlen);

/** Frees the result; it can be reused. A zeroed result is fine. */
KR_EXTERN void kr_paths_result_finish(kr_paths_result *r);

/** "event", "channel", "touchpoint"; parse returns KR_EINVAL for anything else. */
KR_EXTERN const char *kr_paths_of_name(kr_paths_of of);
KR_EXTERN int kr_paths_of_parse(kr_paths_of *out, const char *name);

/**
 * The result as JSON: {"of": "event", "per": "person", "depth": 5, "persons": units,
 * "distinct_paths": n, "paths": [{"path": ["a", "b"], "persons": n, "share": f}],
 * "sankey": {"nodes": [{"id": "0:a", "step": 0, "name": "a", "value": n}], "links":
 * [{"source": "0:a", "target": "1:b", "value": n}]}}. Per session the counts are named
 * "sessions" instead of "persons". malloc'd; NULL when out of memory.
 */
KR_EXTERN char *kr_paths_to_json(const kr_paths_result *r, const kr_paths_options *o, bool pretty);

#endif
