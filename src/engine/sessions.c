/*
 * sessions.c - a person's events split into sessions where the gap between consecutive events
 * is more than the session gap; docs/paths.md ("Sessions") states the semantics.
 *
 *     kr_sessions_options o = KR_SESSIONS_OPTIONS_INIT;
 *     o.gap_ms = 15 * 60000;
 *     if (kr_sessions_run(&r, table, &o) == KR_OK) ...r.sessions, r.duration_p90_ms...
 *     kr_sessions_result_finish(&r);
 *
 * Speed: two passes over the time column (count the sessions, then fill one duration and one
 * event count per session); the medians and p90 select (quickselect) in those per-session
 * arrays. No allocation or hashing per event.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/select.h"
#include "klantreis/sessions.h"


/* Nearest rank: the smallest value with at least p of the n values at or below it is the
   one at this 0-based index of the sorted values (n > 0). */
static size_t rank_index(size_t n, double p)
{
    size_t rank = (size_t)((double)n * p);
    if ((double)rank < (double)n * p)
        rank++;
    return rank ? rank - 1 : 0;
}

static int64_t nearest_rank(int64_t *v, size_t n, double p)
{
    return n ? kr__select_kth(v, n, rank_index(n, p)) : 0;
}

/* Nearest rank of small counts (events per session, sessions per person): a counting pass
   when the largest value is small, which beats quickselect; else nearest_rank. Returns -1 when
   out of memory. */
static int64_t nearest_rank_counts(int64_t *v, size_t n, double p)
{
    int64_t max = 0;
    for (size_t i = 0; i < n; i++)
        max = v[i] > max ? v[i] : max;
    if (!n || max > 65536)
        return nearest_rank(v, n, p);
    uint32_t *hist = calloc((size_t)max + 1, sizeof *hist);
    if (!hist)
        return -1;
    for (size_t i = 0; i < n; i++)
        hist[v[i]]++;
    size_t rank = rank_index(n, p) + 1;
    size_t seen = 0;
    int64_t x = 0;
    for (; x <= max; x++) {
        seen += hist[x];
        if (seen >= rank)
            break;
    }
    free(hist);
    return x;
}

static double mean_of(const int64_t *v, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)v[i];
    return n ? sum / (double)n : 0.0;
}

typedef struct dev_acc {
    uint32_t code;
    uint64_t sessions;
    double duration_sum;
    uint64_t events;
} dev_acc;

typedef struct dev_sort {
    kr_str name;
    const dev_acc *acc;
} dev_sort;

static int cmp_dev(const void *a, const void *b)
{
    const dev_sort *x = a, *y = b;
    if (x->acc->sessions != y->acc->sessions)
        return x->acc->sessions > y->acc->sessions ? -1 : 1;
    size_t n = x->name.len < y->name.len ? x->name.len : y->name.len;
    int c = n ? memcmp(x->name.ptr, y->name.ptr, n) : 0;
    return c ? c : (x->name.len > y->name.len) - (x->name.len < y->name.len);
}

int kr_sessions_run(kr_sessions_result *out, const kr_table *t, const kr_sessions_options *o)
{
    memset(out, 0, sizeof *out);
    out->gap_ms = o->gap_ms;
    if (o->gap_ms < 0)
        return KR_EINVAL;
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const int64_t gap = o->gap_ms;
    size_t n = 0;
    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t s = c.person_start[p], e = c.person_start[p + 1];
        if (s == e)
            continue;
        out->persons++;
        n++;
        for (size_t i = s + 1; i < e; i++)
            n += c.time_ms[i] - c.time_ms[i - 1] > gap;
    }
    int rc = KR_ENOMEM;
    int64_t *dur = malloc((n + 1) * sizeof *dur);
    int64_t *evs = malloc((n + 1) * sizeof *evs);
    int64_t *per = malloc((out->persons + 1) * sizeof *per);
    dev_acc dev[KR_MAX_DEVICES + 1];
    dev_sort sorted[KR_MAX_DEVICES + 1];
    if (!dur || !evs || !per)
        goto done;
    memset(dev, 0, sizeof dev);
    size_t k = 0, q = 0;
    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t s = c.person_start[p], e = c.person_start[p + 1];
        if (s == e)
            continue;
        size_t before = k;
        for (size_t i = s; i < e;) {
            size_t j = i + 1;
            while (j < e && c.time_ms[j] - c.time_ms[j - 1] <= gap)
                j++;
            dur[k] = c.time_ms[j - 1] - c.time_ms[i];
            evs[k] = (int64_t)(j - i);
            dev_acc *d = &dev[c.device[i]];
            d->sessions++;
            d->duration_sum += (double)dur[k];
            d->events += j - i;
            k++;
            i = j;
        }
        per[q++] = (int64_t)(k - before);
        out->events += e - s;
    }
    out->sessions = n;
    out->duration_mean_ms = mean_of(dur, n);
    out->events_per_session_mean = mean_of(evs, n);
    out->sessions_per_person_mean = mean_of(per, q);
    if (n) {
        /* The median's select leaves every value at or above it after it: p90 is there. */
        size_t m = rank_index(n, 0.5), k90 = rank_index(n, 0.9);
        out->duration_median_ms = kr__select_kth(dur, n, m);
        out->duration_p90_ms = kr__select_kth(dur + m, n - m, k90 - m);
    }
    int64_t ev_med = nearest_rank_counts(evs, n, 0.5);
    int64_t per_med = nearest_rank_counts(per, q, 0.5);
    if (ev_med < 0 || per_med < 0)
        goto done;
    out->events_per_session_median = (uint64_t)ev_med;
    out->sessions_per_person_median = (uint64_t)per_med;
    size_t nd = 0;
    for (uint32_t d = 0; d <= KR_MAX_DEVICES; d++) {
        if (!dev[d].sessions)
            continue;
        dev[d].code = d;
        sorted[nd++] = (dev_sort){kr_table_dict_get(t, KR_DICT_DEVICE, d), &dev[d]};
    }
    qsort(sorted, nd, sizeof *sorted, cmp_dev);
    out->devices = calloc(nd + 1, sizeof *out->devices);
    if (!out->devices)
        goto done;
    for (size_t i = 0; i < nd; i++) {
        const dev_acc *a = sorted[i].acc;
        out->devices[i] = (kr_sessions_device){
            sorted[i].name, a->sessions, (double)a->sessions / (double)n,
            a->duration_sum / (double)a->sessions, (double)a->events / (double)a->sessions};
    }
    out->device_count = nd;
    rc = KR_OK;
done:
    free(dur);
    free(evs);
    free(per);
    return rc;
}

void kr_sessions_result_finish(kr_sessions_result *r)
{
    free(r->devices);
    memset(r, 0, sizeof *r);
}
