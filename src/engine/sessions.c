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

/* A histogram of small counts (events per session, sessions per person): counting them as
   they come needs no per-session array, and its nearest rank is one pass over the counts. */
typedef struct count_hist {
    uint64_t *n;
    size_t cap;
} count_hist;

static int hist_add(count_hist *h, size_t v)
{
    if (v >= h->cap) {
        size_t cap = h->cap ? h->cap : 64;
        while (cap <= v)
            cap *= 2;
        uint64_t *n = realloc(h->n, cap * sizeof *n);
        if (!n)
            return KR_ENOMEM;
        memset(n + h->cap, 0, (cap - h->cap) * sizeof *n);
        h->n = n;
        h->cap = cap;
    }
    h->n[v]++;
    return KR_OK;
}

/* Nearest rank p of the total values counted in h. */
static uint64_t hist_rank(const count_hist *h, uint64_t total, double p)
{
    if (!total)
        return 0;
    uint64_t rank = rank_index((size_t)total, p) + 1, seen = 0;
    for (size_t x = 0; x < h->cap; x++) {
        seen += h->n[x];
        if (seen >= rank)
            return x;
    }
    return h->cap ? h->cap - 1 : 0;
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
    count_hist evs = {NULL, 0}, per = {NULL, 0};
    dev_acc dev[KR_MAX_DEVICES + 1];
    dev_sort sorted[KR_MAX_DEVICES + 1];
    if (!dur)
        goto done;
    memset(dev, 0, sizeof dev);
    size_t k = 0;
    double duration_sum = 0;
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
            duration_sum += (double)dur[k];
            if (hist_add(&evs, j - i) < 0)
                goto done;
            dev_acc *d = &dev[c.device[i]];
            d->sessions++;
            d->duration_sum += (double)dur[k];
            d->events += j - i;
            k++;
            i = j;
        }
        if (hist_add(&per, k - before) < 0)
            goto done;
        out->events += e - s;
    }
    out->sessions = n;
    out->duration_mean_ms = n ? duration_sum / (double)n : 0.0;
    out->events_per_session_mean = n ? (double)out->events / (double)n : 0.0;
    out->sessions_per_person_mean = out->persons ? (double)n / (double)out->persons : 0.0;
    if (n) {
        /* The median's select leaves every value at or above it after it: p90 is there. */
        size_t m = rank_index(n, 0.5), k90 = rank_index(n, 0.9);
        out->duration_median_ms = kr__select_kth(dur, n, m);
        out->duration_p90_ms = kr__select_kth(dur + m, n - m, k90 - m);
    }
    out->events_per_session_median = hist_rank(&evs, n, 0.5);
    out->sessions_per_person_median = hist_rank(&per, out->persons, 0.5);
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
    free(evs.n);
    free(per.n);
    return rc;
}

void kr_sessions_result_finish(kr_sessions_result *r)
{
    free(r->devices);
    memset(r, 0, sizeof *r);
}
