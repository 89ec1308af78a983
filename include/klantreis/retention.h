/*
 * klantreis/retention.h - cohort retention: persons grouped by the period (UTC day, ISO week
 * from Monday, calendar month) of their first start event, and per cohort how many did a
 * return event 0, 1, ..., N periods later; plus the repeat-purchase rate and the median time
 * between consecutive purchases (docs/retention.md states the rules exactly).
 *
 *     kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
 *     o.start_event = "signup"; o.return_event = "purchase"; o.period = KR_PERIOD_WEEK;
 *     kr_retention_result r;
 *     char err[256];
 *     if (kr_retention_run(&r, table, &o, err, sizeof err) == KR_OK) print(r.cohorts[0].size);
 *     kr_retention_result_finish(&r);
 */
#ifndef KLANTREIS_RETENTION_H
#define KLANTREIS_RETENTION_H

#include "table.h"

/* --periods: at most this many periods after period 0. */
#define KR_RETENTION_MAX_PERIODS 1000u

typedef enum {
    KR_PERIOD_DAY = 0,   /* UTC calendar day */
    KR_PERIOD_WEEK = 1,  /* ISO week: Monday 00:00 UTC to the next Monday */
    KR_PERIOD_MONTH = 2, /* UTC calendar month */
} kr_period;

typedef struct kr_retention_options {
    const char *start_event;    /* event name that puts a person in a cohort; borrowed */
    const char *return_event;   /* event name that counts as a return; borrowed */
    const char *purchase_event; /* for the repeat-purchase figures (default "purchase") */
    kr_period period;
    unsigned
        periods;   /* N: periods 0..N are counted (default 8), at most KR_RETENTION_MAX_PERIODS */
    bool has_from; /* only events with from_ms <= time < to_ms take part */
    int64_t from_ms;
    bool has_to;
    int64_t to_ms;
} kr_retention_options;

#define KR_RETENTION_OPTIONS_INIT                                                                  \
    {                                                                                              \
        NULL, NULL, "purchase", KR_PERIOD_WEEK, 8, false, 0, false, 0                              \
    }

typedef struct kr_retention_cohort {
    int64_t start_ms;   /* first instant of the cohort's period (UTC) */
    uint64_t size;      /* persons whose first start event lies in this period */
    uint64_t *returned; /* periods + 1 entries: persons with a return event k periods later */
    double *rate;       /* returned[k] / size */
} kr_retention_cohort;

typedef struct kr_retention_result {
    kr_period period;
    unsigned periods;                     /* N; each cohort has N + 1 entries */
    size_t cohort_count;                  /* non-empty cohorts, oldest first */
    kr_retention_cohort *cohorts;         /* owned */
    uint64_t persons;                     /* persons in a cohort (sum of the sizes) */
    uint64_t purchasers;                  /* persons with at least one purchase event */
    uint64_t repeat_purchasers;           /* persons with at least two */
    double repeat_rate;                   /* repeat_purchasers / purchasers (0 when none) */
    uint64_t purchase_gaps;               /* pairs of consecutive purchases of one person */
    double median_days_between_purchases; /* median gap in days (NaN when no pairs) */
    uint64_t events_scanned;              /* events in the persons' ranges (after --from/--to) */
} kr_retention_result;

/**
 * Computes the cohort table: a pure function of (table, options). Returns KR_OK, KR_EINVAL
 * for bad options (the reason, one line, in errbuf), or KR_ENOMEM. An event name that does
 * not occur in the table is not an error: nobody did it. Call kr_retention_result_finish
 * afterwards in every case.
 */
KR_EXTERN int kr_retention_run(kr_retention_result *out, const kr_table *t,
                               const kr_retention_options *o, char *errbuf, size_t errlen);

/** Frees the result; it can be reused. NULL members are fine. */
KR_EXTERN void kr_retention_result_finish(kr_retention_result *r);

/** The period (day, week or month) that contains ms, as a number that counts periods since
    1970-01 (months), the week of 1970-01-01 (weeks) or 1970-01-01 (days). */
KR_EXTERN int64_t kr_period_index(kr_period p, int64_t ms);

/** The first instant (UTC ms) of period index i. */
KR_EXTERN int64_t kr_period_start_ms(kr_period p, int64_t i);

/** "day", "week", "month"; parse returns KR_EINVAL for anything else. */
KR_EXTERN const char *kr_period_name(kr_period p);
KR_EXTERN int kr_period_parse(kr_period *out, const char *name);

/**
 * The result as JSON: {"period": "week", "periods": 8, "start": ..., "return": ...,
 * "cohorts": [{"start": "2024-01-01", "size": n, "returned": [n0, ...], "rate": [f0, ...]}],
 * "persons": n, "purchase": ..., "purchasers": n, "repeat_purchasers": n, "repeat_rate": f,
 * "median_days_between_purchases": f or null}; malloc'd, NULL when out of memory.
 */
KR_EXTERN char *kr_retention_to_json(const kr_retention_result *r, const kr_retention_options *o,
                                     bool pretty);

#endif
