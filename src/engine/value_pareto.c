/*
 * value_pareto.c - the 80/20 rule on the data: customers with positive revenue in the period,
 * ranked by revenue (highest first); the share of revenue of the top 1, 5, 10, 20 and 50 %
 * (the top p % are the first ceil(n * p / 100) customers, so ties at the cut do not matter:
 * tied customers have the same revenue), and the smallest share of customers that brings at
 * least 80 % of the revenue. Integer arithmetic throughout, so the figures are exact.
 *
 *     kr_value_pareto p;
 *     kr_value_pareto_run(&p, t, &o, err, sizeof err);   // p.share_top_20, p.customers_for_80
 */
#include <stdlib.h>

#include "value_internal.h"

static int by_revenue_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

int kr_value_pareto_run(kr_value_pareto *out, const kr_table *t, const kr_value_options *o,
                        char *errbuf, size_t errlen)
{
    static const unsigned percents[KR_PARETO_POINTS] = {1, 5, 10, 20, 50};
    *out = (kr_value_pareto){0};
    int rc = kr__value_check(o, errbuf, errlen);
    if (rc < 0)
        return rc;
    kr__value_units u = {0};
    int64_t *rev = NULL;
    out->as_of_ms = kr__value_as_of(t, o);
    out->from_ms = kr__value_from(o, out->as_of_ms);
    if ((rc = kr__value_collect(&u, t, o, out->as_of_ms, out->from_ms)) < 0)
        goto done;
    rev = malloc((u.count ? u.count : 1) * sizeof *rev);
    if (!rev) {
        rc = KR_ENOMEM;
        goto done;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < u.count; i++)
        if (u.units[i].period_revenue_cents > 0)
            rev[n++] = u.units[i].period_revenue_cents;
    qsort(rev, n, sizeof *rev, by_revenue_desc);
    int64_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += rev[i];
    out->customers = n;
    out->revenue_cents = total;
    for (int k = 0; k < KR_PARETO_POINTS; k++) {
        kr_pareto_point *pt = &out->curve[k];
        pt->percent = percents[k];
        pt->customers = (uint32_t)(((uint64_t)n * percents[k] + 99) / 100);
        for (uint32_t i = 0; i < pt->customers; i++)
            pt->revenue_cents += rev[i];
        pt->share = total ? (double)pt->revenue_cents / (double)total : 0.0;
    }
    out->share_top_20 = out->curve[3].share;
    /* the fewest k with 5 * (top k revenue) >= 4 * total; ceil(4 * total / 5) is
       total - floor(total / 5), which cannot overflow */
    int64_t need = total - total / 5, cum = 0;
    uint32_t k = 0;
    while (k < n && cum < need)
        cum += rev[k++];
    out->customers_for_80_count = k;
    out->customers_for_80 = n ? (double)k / (double)n : 0.0;
done:
    free(rev);
    kr__value_units_finish(&u);
    return rc;
}

void kr_value_pareto_finish(kr_value_pareto *r)
{
    (void)r;
}
