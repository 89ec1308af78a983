/*
 * retention.c - cohort retention over the table (docs/retention.md states the rules).
 *
 *     kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
 *     o.start_event = "signup"; o.return_event = "purchase"; o.period = KR_PERIOD_MONTH;
 *     if (kr_retention_run(&r, table, &o, err, sizeof err) == KR_OK) ...r.cohorts[i].rate[k]...
 *     kr_retention_result_finish(&r);
 *
 * Two passes over the persons. The first finds each person's first start event (and stops
 * there); the distinct periods of those events, sorted, are the cohorts. The second reads each
 * person's events once: after the start event it maps return events to a period offset and
 * counts each offset once per person (a stamp per offset instead of a per-person set), and it
 * collects the gaps between consecutive purchases. Event names are compared as dictionary
 * codes; the period of an event is recomputed only when the time leaves the period of the
 * previous one. No allocation or hashing per event (the gap buffer grows by doubling).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/retention.h"

#define MS_PER_DAY INT64_C(86400000)
#define NONE UINT32_MAX /* an event name the table does not have */
#define NO_COHORT UINT32_MAX

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Howard Hinnant's civil-date arithmetic (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int64_t kr_period_index(kr_period p, int64_t ms)
{
    int64_t d = floor_div(ms, MS_PER_DAY);
    switch (p) {
    case KR_PERIOD_DAY:
        return d;
    case KR_PERIOD_WEEK:
        return floor_div(d + 3, 7); /* 1970-01-01 was a Thursday: day 0 is weekday 3 from Monday */
    case KR_PERIOD_MONTH: {
        int64_t y;
        unsigned m;
        civil_from_days(d, &y, &m);
        return (y - 1970) * 12 + (int64_t)m - 1;
    }
    }
    return d;
}

int64_t kr_period_start_ms(kr_period p, int64_t i)
{
    switch (p) {
    case KR_PERIOD_DAY:
        return i * MS_PER_DAY;
    case KR_PERIOD_WEEK:
        return (i * 7 - 3) * MS_PER_DAY;
    case KR_PERIOD_MONTH: {
        int64_t y = 1970 + floor_div(i, 12);
        unsigned m = (unsigned)(i - floor_div(i, 12) * 12) + 1;
        return days_from_civil(y, m, 1) * MS_PER_DAY;
    }
    }
    return i * MS_PER_DAY;
}

const char *kr_period_name(kr_period p)
{
    return p == KR_PERIOD_DAY ? "day" : p == KR_PERIOD_MONTH ? "month" : "week";
}

int kr_period_parse(kr_period *out, const char *name)
{
    if (strcmp(name, "day") == 0)
        *out = KR_PERIOD_DAY;
    else if (strcmp(name, "week") == 0)
        *out = KR_PERIOD_WEEK;
    else if (strcmp(name, "month") == 0)
        *out = KR_PERIOD_MONTH;
    else
        return KR_EINVAL;
    return KR_OK;
}

/* The period of a time, cached over [lo, hi): consecutive events mostly share a period. */
typedef struct period_cache {
    kr_period p;
    int64_t lo, hi, index;
} period_cache;

static int64_t period_of(period_cache *pc, int64_t ms)
{
    if (ms < pc->lo || ms >= pc->hi) {
        pc->index = kr_period_index(pc->p, ms);
        pc->lo = kr_period_start_ms(pc->p, pc->index);
        pc->hi = kr_period_start_ms(pc->p, pc->index + 1);
    }
    return pc->index;
}

static uint32_t name_code(const kr_table *t, const char *name)
{
    uint32_t code;
    if (kr_table_dict_find(t, KR_DICT_NAME, kr_str_from_cstr(name), &code) < 0)
        return NONE;
    return code;
}

static size_t lower_bound(const int64_t *time, size_t lo, size_t hi, int64_t ts)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] < ts)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Index of v in the sorted, distinct keys[0..n); v is known to be there. */
static uint32_t find_key(const int64_t *keys, size_t n, int64_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static int fail(char *errbuf, size_t errlen, const char *msg)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s", msg);
    return KR_EINVAL;
}

int kr_retention_run(kr_retention_result *out, const kr_table *t, const kr_retention_options *o,
                     char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->median_days_between_purchases = NAN;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!o->start_event || !*o->start_event)
        return fail(errbuf, errlen, "name the start event (--start EVENT)");
    if (!o->return_event || !*o->return_event)
        return fail(errbuf, errlen, "name the return event (--return EVENT)");
    if (o->period != KR_PERIOD_DAY && o->period != KR_PERIOD_WEEK && o->period != KR_PERIOD_MONTH)
        return fail(errbuf, errlen, "the period is day, week or month");
    if (o->periods > KR_RETENTION_MAX_PERIODS)
        return fail(errbuf, errlen, "at most 1000 periods");
    out->period = o->period;
    out->periods = o->periods;

    int rc = KR_ENOMEM;
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const uint32_t start = name_code(t, o->start_event), ret = name_code(t, o->return_event);
    const uint32_t purchase = name_code(t, o->purchase_event ? o->purchase_event : "purchase");
    const size_t width = (size_t)o->periods + 1;
    const uint32_t np = c.person_count;

    size_t *first = malloc((np ? np : 1) * sizeof *first);    /* first start event, or SIZE_MAX */
    int64_t *period = malloc((np ? np : 1) * sizeof *period); /* its period */
    int64_t *keys = malloc((np ? np : 1) * sizeof *keys);     /* distinct cohort periods */
    uint32_t *stamp = calloc(width, sizeof *stamp);           /* person + 1 that counted k */
    int64_t *gaps = NULL;
    size_t gap_count = 0, gap_cap = 0;
    if (!first || !period || !keys || !stamp)
        goto done;

    /* Pass 1: each person's first start event in the range. */
    size_t key_count = 0;
    for (uint32_t p = 0; p < np; p++) {
        size_t lo = c.person_start[p], hi = c.person_start[p + 1];
        if (o->has_from)
            lo = lower_bound(c.time_ms, lo, hi, o->from_ms);
        if (o->has_to)
            hi = lower_bound(c.time_ms, lo, hi, o->to_ms);
        first[p] = SIZE_MAX;
        if (start == NONE)
            continue;
        for (size_t i = lo; i < hi; i++) {
            if (c.name[i] == start) {
                first[p] = i;
                period[p] = kr_period_index(o->period, c.time_ms[i]);
                keys[key_count++] = period[p];
                break;
            }
        }
    }
    qsort(keys, key_count, sizeof *keys, cmp_i64);
    size_t distinct = 0;
    for (size_t k = 0; k < key_count; k++)
        if (!distinct || keys[distinct - 1] != keys[k])
            keys[distinct++] = keys[k];
    out->cohorts = calloc(distinct ? distinct : 1, sizeof *out->cohorts);
    if (!out->cohorts)
        goto done;
    out->cohort_count = distinct;
    for (size_t k = 0; k < distinct; k++) {
        kr_retention_cohort *co = &out->cohorts[k];
        co->start_ms = kr_period_start_ms(o->period, keys[k]);
        co->returned = calloc(width, sizeof *co->returned);
        co->rate = calloc(width, sizeof *co->rate);
        if (!co->returned || !co->rate)
            goto done;
    }

    /* Pass 2: returns after the start event, and purchases. */
    period_cache pc = {o->period, 0, 0, 0};
    pc.hi = pc.lo; /* empty: the first lookup computes */
    for (uint32_t p = 0; p < np; p++) {
        size_t lo = c.person_start[p], hi = c.person_start[p + 1];
        if (o->has_from)
            lo = lower_bound(c.time_ms, lo, hi, o->from_ms);
        if (o->has_to)
            hi = lower_bound(c.time_ms, lo, hi, o->to_ms);
        out->events_scanned += hi - lo;
        if (first[p] != SIZE_MAX) {
            kr_retention_cohort *co = &out->cohorts[find_key(keys, distinct, period[p])];
            co->size++;
            const int64_t t0 = c.time_ms[first[p]], p0 = period[p];
            for (size_t i = first[p] + 1; i < hi; i++) {
                if (c.name[i] != ret || c.time_ms[i] <= t0)
                    continue;
                int64_t k = period_of(&pc, c.time_ms[i]) - p0;
                if (k >= (int64_t)width)
                    break; /* times only grow: later returns are further out */
                if (stamp[k] != p + 1) {
                    stamp[k] = p + 1;
                    co->returned[k]++;
                }
            }
        }
        if (purchase == NONE)
            continue;
        uint64_t bought = 0;
        int64_t prev = 0;
        for (size_t i = lo; i < hi; i++) {
            if (c.name[i] != purchase)
                continue;
            if (bought++) {
                if (gap_count == gap_cap) {
                    size_t cap = gap_cap ? gap_cap * 2 : 1024;
                    int64_t *g = realloc(gaps, cap * sizeof *g);
                    if (!g)
                        goto done;
                    gaps = g;
                    gap_cap = cap;
                }
                gaps[gap_count++] = c.time_ms[i] - prev;
            }
            prev = c.time_ms[i];
        }
        out->purchasers += bought >= 1;
        out->repeat_purchasers += bought >= 2;
    }

    for (size_t k = 0; k < distinct; k++) {
        kr_retention_cohort *co = &out->cohorts[k];
        out->persons += co->size;
        for (size_t j = 0; j < width; j++)
            co->rate[j] = co->size ? (double)co->returned[j] / (double)co->size : 0.0;
    }
    out->repeat_rate =
        out->purchasers ? (double)out->repeat_purchasers / (double)out->purchasers : 0.0;
    out->purchase_gaps = gap_count;
    if (gap_count) {
        qsort(gaps, gap_count, sizeof *gaps, cmp_i64);
        double mid = gap_count % 2
                         ? (double)gaps[gap_count / 2]
                         : ((double)gaps[gap_count / 2 - 1] + (double)gaps[gap_count / 2]) / 2;
        out->median_days_between_purchases = mid / (double)MS_PER_DAY;
    }
    rc = KR_OK;
done:
    free(first);
    free(period);
    free(keys);
    free(stamp);
    free(gaps);
    return rc;
}

void kr_retention_result_finish(kr_retention_result *r)
{
    if (!r)
        return;
    for (size_t k = 0; r->cohorts && k < r->cohort_count; k++) {
        free(r->cohorts[k].returned);
        free(r->cohorts[k].rate);
    }
    free(r->cohorts);
    r->cohorts = NULL;
    r->cohort_count = 0;
}
