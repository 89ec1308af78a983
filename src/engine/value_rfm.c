/*
 * value_rfm.c - RFM: per customer (a person or an account with at least one purchase up to
 * as-of) the recency (whole days since the last purchase), the frequency (purchases) and the
 * monetary value (revenue), each scored 1..5 by rank, and the segment from R and FM.
 *
 * Scores are rank-based so that equal values get equal scores whatever the input order:
 * with n customers and w = the number of customers with a strictly worse value (for R: more
 * days; for F and M: less), score = 1 + floor(5 * w / n). This is SQL's
 * 1 + 5 * (RANK() OVER (ORDER BY value worst first) - 1) / n. With distinct values it gives
 * exact quintiles (NTILE(5) when 5 divides n); ties all take the score of the lowest rank, so
 * a value shared by most customers (one purchase) scores low.
 *
 *     kr_value_rfm r;
 *     kr_value_rfm_run(&r, t, &o, err, sizeof err);  // r.segments[KR_RFM_CHAMPIONS].customers
 *     kr_value_rfm_finish(&r);
 */
#include <stdlib.h>

#include "value_internal.h"

#define DAY_MS INT64_C(86400000)

static const char *const segment_names[KR_RFM_SEGMENTS] = {
    "Champions",      "Loyal",   "Potential loyalist", "New",         "Promising", "Need attention",
    "About to sleep", "At risk", "Cannot lose them",   "Hibernating", "Lost",
};

/* rows R = 1..5 (top to bottom), columns FM = 1..5: docs/value.md, after the widely used
   R x F&M ranges (Champions R 4-5 FM 4-5, Loyal R 2-5 FM 3-5, ...) made into one cell each */
static const kr_rfm_segment grid[5][5] = {
    {KR_RFM_LOST, KR_RFM_LOST, KR_RFM_AT_RISK, KR_RFM_CANNOT_LOSE, KR_RFM_CANNOT_LOSE},
    {KR_RFM_HIBERNATING, KR_RFM_HIBERNATING, KR_RFM_AT_RISK, KR_RFM_AT_RISK, KR_RFM_AT_RISK},
    {KR_RFM_PROMISING, KR_RFM_ABOUT_TO_SLEEP, KR_RFM_NEED_ATTENTION, KR_RFM_LOYAL, KR_RFM_LOYAL},
    {KR_RFM_PROMISING, KR_RFM_POTENTIAL_LOYALIST, KR_RFM_LOYAL, KR_RFM_CHAMPIONS, KR_RFM_CHAMPIONS},
    {KR_RFM_NEW, KR_RFM_POTENTIAL_LOYALIST, KR_RFM_POTENTIAL_LOYALIST, KR_RFM_CHAMPIONS,
     KR_RFM_CHAMPIONS},
};

const char *kr_rfm_segment_name(kr_rfm_segment s)
{
    return (unsigned)s < KR_RFM_SEGMENTS ? segment_names[s] : NULL;
}

kr_rfm_segment kr_rfm_segment_of(unsigned r, unsigned fm)
{
    r = r < 1 ? 1 : r > 5 ? 5 : r;
    fm = fm < 1 ? 1 : fm > 5 ? 5 : fm;
    return grid[r - 1][fm - 1];
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The number of values in sorted[0..n) that are < v. */
static uint32_t count_below(const int64_t *sorted, uint32_t n, int64_t v)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint8_t score(uint32_t worse, uint32_t n)
{
    return (uint8_t)(1 + (uint64_t)5 * worse / n);
}

int kr_value_rfm_run(kr_value_rfm *out, const kr_table *t, const kr_value_options *o, char *errbuf,
                     size_t errlen)
{
    *out = (kr_value_rfm){0};
    int rc = kr__value_check(o, errbuf, errlen);
    if (rc < 0)
        return rc;
    kr__value_units u = {0};
    int64_t *sorted = NULL;
    out->as_of_ms = kr__value_as_of(t, o);
    if ((rc = kr__value_collect(&u, t, o, out->as_of_ms, INT64_MIN)) < 0)
        goto done;
    uint32_t n = 0;
    for (uint32_t i = 0; i < u.count; i++)
        n += u.units[i].purchases > 0;
    out->customers = calloc(n ? n : 1, sizeof *out->customers);
    sorted = malloc((size_t)3 * (n ? n : 1) * sizeof *sorted);
    if (!out->customers || !sorted) {
        rc = KR_ENOMEM;
        goto done;
    }
    out->count = n;
    int64_t *days = sorted, *freq = sorted + n, *money = sorted + 2 * (size_t)n;
    uint32_t k = 0;
    for (uint32_t i = 0; i < u.count; i++) {
        const kr__value_unit *v = &u.units[i];
        if (!v->purchases)
            continue;
        kr_rfm_customer *c = &out->customers[k];
        c->unit = i;
        c->last_purchase_ms = v->last_purchase_ms;
        c->recency_days = (out->as_of_ms - v->last_purchase_ms) / DAY_MS; /* both >= 0 */
        c->frequency = v->purchases;
        c->monetary_cents = v->revenue_cents;
        days[k] = c->recency_days;
        freq[k] = c->frequency;
        money[k] = c->monetary_cents;
        out->revenue_cents += v->revenue_cents;
        k++;
    }
    qsort(days, n, sizeof *days, cmp_i64);
    qsort(freq, n, sizeof *freq, cmp_i64);
    qsort(money, n, sizeof *money, cmp_i64);
    for (uint32_t i = 0; i < n; i++) {
        kr_rfm_customer *c = &out->customers[i];
        /* recency: worse = more days = n - (customers with at most as many days) */
        uint32_t at_most = count_below(days, n, c->recency_days + 1);
        c->r = score(n - at_most, n);
        c->f = score(count_below(freq, n, c->frequency), n);
        c->m = score(count_below(money, n, c->monetary_cents), n);
        c->fm = (uint8_t)((c->f + c->m + 1) / 2);
        c->segment = kr_rfm_segment_of(c->r, c->fm);
        out->segments[c->segment].customers++;
        out->segments[c->segment].revenue_cents += c->monetary_cents;
        out->scores[0][c->r - 1]++;
        out->scores[1][c->f - 1]++;
        out->scores[2][c->m - 1]++;
    }
done:
    free(sorted);
    kr__value_units_finish(&u);
    return rc;
}

void kr_value_rfm_finish(kr_value_rfm *r)
{
    free(r->customers);
    r->customers = NULL;
    r->count = 0;
}
