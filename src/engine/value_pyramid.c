/*
 * value_pyramid.c - the customer pyramid (Curry): the active customers (a purchase in the
 * period) ranked by their revenue in the period into top, large, medium and small by
 * percentages (1, 4, 15 and the other 80 % by default); below them the inactive (bought
 * before the period), prospects (engaged, never bought) and suspects (known, not engaged).
 * With a comparison date, the same pyramid then and the movement between the two.
 *
 * Rank limits: with n active customers and cumulative percentages c1 <= c2 <= c3, the limits
 * are ceil(n * c / 100) (a set of 50 customers has a top of 1, not 0). A customer's rank is
 * 1 + the number of active customers with more revenue (SQL RANK() ORDER BY revenue DESC), so
 * equal revenues share a rank and a tier: a tie across a limit goes to the better tier and
 * that tier holds more than its share (docs/value.md).
 *
 *     kr_value_pyramid p;
 *     kr_value_pyramid_run(&p, t, &o, err, sizeof err);   // p.tiers[KR_PYRAMID_TOP].customers
 *     kr_value_pyramid_finish(&p);
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "value_internal.h"

static const char *const tier_names[KR_PYRAMID_TIERS + 1] = {
    "top", "large", "medium", "small", "inactive", "prospect", "suspect", "none",
};

const char *kr_pyramid_tier_name(kr_pyramid_tier tier)
{
    return (unsigned)tier <= KR_PYRAMID_NONE ? tier_names[tier] : NULL;
}

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

/* The number of values in desc[0..n) (sorted, highest first) that are > v. */
static uint32_t count_above(const int64_t *desc, uint32_t n, int64_t v)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (desc[mid] > v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One pyramid at as_of: tiers, revenue and rank per unit, totals and limits. */
static int classify(const kr_table *t, const kr_value_options *o, int64_t as_of, int64_t from,
                    uint8_t *tier, int64_t *revenue, uint32_t *rank, kr_value_pyramid *totals)
{
    kr__value_units u = {0};
    int64_t *desc = NULL;
    int rc = kr__value_collect(&u, t, o, as_of, from);
    if (rc < 0)
        goto done;
    desc = malloc((u.count ? u.count : 1) * sizeof *desc);
    if (!desc) {
        rc = KR_ENOMEM;
        goto done;
    }
    uint32_t n = 0;
    int64_t total = 0;
    for (uint32_t i = 0; i < u.count; i++) {
        if (u.units[i].period_purchases) {
            desc[n++] = u.units[i].period_revenue_cents;
            total += u.units[i].period_revenue_cents;
        }
    }
    qsort(desc, n, sizeof *desc, cmp_desc);
    uint32_t limits[3];
    double cum = 0;
    for (int k = 0; k < 3; k++) {
        cum += o->tiers[k];
        /* the epsilon keeps 100 * 3 / 100 at 3 when the percentage is not exact in binary */
        limits[k] = (uint32_t)ceil((double)n * cum / 100.0 - 1e-9);
    }
    if (totals) {
        totals->active = n;
        totals->revenue_cents = total;
        for (int k = 0; k < 3; k++)
            totals->limits[k] = limits[k];
    }
    for (uint32_t i = 0; i < u.count; i++) {
        const kr__value_unit *v = &u.units[i];
        kr_pyramid_tier x;
        uint32_t r = 0;
        if (!v->seen) {
            x = KR_PYRAMID_NONE;
        } else if (v->period_purchases) {
            r = 1 + count_above(desc, n, v->period_revenue_cents);
            x = r <= limits[0]   ? KR_PYRAMID_TOP
                : r <= limits[1] ? KR_PYRAMID_LARGE
                : r <= limits[2] ? KR_PYRAMID_MEDIUM
                                 : KR_PYRAMID_SMALL;
        } else if (v->purchases) {
            x = KR_PYRAMID_INACTIVE;
        } else if (v->engaged) {
            x = KR_PYRAMID_PROSPECT;
        } else {
            x = KR_PYRAMID_SUSPECT;
        }
        tier[i] = (uint8_t)x;
        revenue[i] = v->period_revenue_cents;
        if (rank)
            rank[i] = r;
        if (totals && x != KR_PYRAMID_NONE) {
            totals->tiers[x].customers++;
            totals->tiers[x].revenue_cents += v->period_revenue_cents;
        }
    }
    if (totals)
        for (int k = 0; k < KR_PYRAMID_TIERS; k++)
            totals->tiers[k].revenue_share =
                total ? (double)totals->tiers[k].revenue_cents / (double)total : 0.0;
done:
    free(desc);
    kr__value_units_finish(&u);
    return rc;
}

int kr_value_pyramid_run(kr_value_pyramid *out, const kr_table *t, const kr_value_options *o,
                         char *errbuf, size_t errlen)
{
    *out = (kr_value_pyramid){0};
    int rc = kr__value_check(o, errbuf, errlen);
    if (rc < 0)
        return rc;
    out->as_of_ms = kr__value_as_of(t, o);
    out->from_ms = kr__value_from(o, out->as_of_ms);
    if (o->has_compare_to && o->compare_to_ms >= out->as_of_ms) {
        snprintf(errbuf, errlen, "the comparison date must lie before the as-of date");
        return KR_EINVAL;
    }
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    uint32_t count =
        o->per == KR_VALUE_PER_ACCOUNT ? kr_table_dict_count(t, KR_DICT_ACCOUNT) : c.person_count;
    size_t alloc = count ? count : 1;
    out->unit_count = count;
    out->tier = malloc(alloc);
    out->revenue = malloc(alloc * sizeof *out->revenue);
    out->rank = malloc(alloc * sizeof *out->rank);
    if (!out->tier || !out->revenue || !out->rank)
        return KR_ENOMEM;
    if ((rc = classify(t, o, out->as_of_ms, out->from_ms, out->tier, out->revenue, out->rank,
                       out)) < 0)
        return rc;
    if (!o->has_compare_to)
        return KR_OK;
    out->compared = true;
    out->before_as_of_ms = o->compare_to_ms;
    out->before_from_ms = kr__value_from(o, o->compare_to_ms);
    out->before = malloc(alloc);
    out->before_revenue = malloc(alloc * sizeof *out->before_revenue);
    if (!out->before || !out->before_revenue)
        return KR_ENOMEM;
    if ((rc = classify(t, o, out->before_as_of_ms, out->before_from_ms, out->before,
                       out->before_revenue, NULL, NULL)) < 0)
        return rc;
    for (uint32_t i = 0; i < count; i++) {
        unsigned then = out->before[i], now = out->tier[i];
        if (now == KR_PYRAMID_NONE)
            continue; /* unit 0 of the accounts, or never seen */
        out->moves[then][now]++;
        if (then == KR_PYRAMID_NONE)
            out->arrived++;
        else if (now < then)
            out->moved_up++;
        else if (now > then)
            out->moved_down++;
        else
            out->stayed++;
    }
    return KR_OK;
}

void kr_value_pyramid_finish(kr_value_pyramid *r)
{
    free(r->tier);
    free(r->revenue);
    free(r->rank);
    free(r->before);
    free(r->before_revenue);
    *r = (kr_value_pyramid){0};
}
