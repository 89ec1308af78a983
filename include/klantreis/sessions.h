/*
 * klantreis/sessions.h - sessions: a person's events split where the gap between two
 * consecutive events is more than the session gap; counts, sessions per person, duration and
 * events per session, and a breakdown by the device of each session's first event.
 * docs/paths.md ("Sessions") states the semantics exactly.
 *
 *     kr_sessions_options o = KR_SESSIONS_OPTIONS_INIT;
 *     kr_sessions_result r;
 *     if (kr_sessions_run(&r, table, &o) == KR_OK) print(r.sessions, r.duration_median_ms);
 *     kr_sessions_result_finish(&r);
 */
#ifndef KLANTREIS_SESSIONS_H
#define KLANTREIS_SESSIONS_H

#include "table.h"

typedef struct kr_sessions_options {
    int64_t gap_ms; /* a gap of more than this (not equal) starts a new session; >= 0 */
} kr_sessions_options;

#define KR_SESSIONS_OPTIONS_INIT                                                                   \
    {                                                                                              \
        INT64_C(30) * 60000                                                                        \
    }

/* The sessions whose first event has one device ("" = none). */
typedef struct kr_sessions_device {
    kr_str device; /* borrowed from the table */
    uint64_t sessions;
    double share;            /* of all sessions */
    double mean_duration_ms; /* of these sessions */
    double mean_events;
} kr_sessions_device;

typedef struct kr_sessions_result {
    int64_t gap_ms;
    uint64_t sessions;
    uint64_t persons; /* persons with at least one event */
    uint64_t events;
    double sessions_per_person_mean;
    uint64_t sessions_per_person_median; /* nearest rank: the lower middle for an even count */
    /* duration = last event - first event of the session (0 for one event) */
    int64_t duration_median_ms; /* nearest rank */
    double duration_mean_ms;
    int64_t duration_p90_ms; /* nearest rank */
    double events_per_session_mean;
    uint64_t events_per_session_median; /* nearest rank */
    size_t device_count;
    kr_sessions_device *devices; /* most sessions first, then by name; owned */
} kr_sessions_result;

/**
 * Splits every person's events into sessions: a pure function of (table, options). Returns
 * KR_OK, KR_EINVAL (a negative gap) or KR_ENOMEM. The result borrows device names from the
 * table: free it first. Call kr_sessions_result_finish afterwards in every case.
 */
KR_EXTERN int kr_sessions_run(kr_sessions_result *out, const kr_table *t,
                              const kr_sessions_options *o);

/** Frees the result; it can be reused. A zeroed result is fine. */
KR_EXTERN void kr_sessions_result_finish(kr_sessions_result *r);

/**
 * The result as JSON: {"session_gap_ms": ..., "sessions": n, "persons": n, "events": n,
 * "sessions_per_person": {"mean": f, "median": n}, "duration_ms": {"median": n, "mean": f,
 * "p90": n}, "events_per_session": {"mean": f, "median": n}, "by_device": [{"device": "mobile",
 * "sessions": n, "share": f, "mean_duration_ms": f, "mean_events": f}]}; malloc'd, NULL when
 * out of memory.
 */
KR_EXTERN char *kr_sessions_to_json(const kr_sessions_result *r, bool pretty);

#endif
