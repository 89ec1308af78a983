/*
 * lists.c - action lists (docs/lists.md): abandoned carts, at-risk customers (RFM),
 * ambassadors (promoters who bought again), win-back (pyramid tier dropped) and next purchase
 * (the usual interval has passed). One row per person, ordered by person index. The RFM and
 * pyramid lists reuse value_rfm.c and value_pyramid.c, so the lists agree with `value`.
 *
 *     kr_list l;
 *     kr_list_run(&l, t, KR_LIST_AT_RISK, &o, err, sizeof err);   // l.rows[0..l.count)
 *     kr_list_finish(&l);
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/lists.h"
#include "value_internal.h"

#define DAY_MS INT64_C(86400000)

static const char *const list_names[KR_LIST_KINDS] = {
    "abandoned-carts", "at-risk", "ambassadors", "win-back", "next-purchase",
};

const char *kr_list_name(kr_list_kind kind)
{
    return (unsigned)kind < KR_LIST_KINDS ? list_names[kind] : NULL;
}

int kr_list_kind_parse(const char *name, kr_list_kind *out)
{
    for (int k = 0; k < KR_LIST_KINDS; k++) {
        if (strcmp(name, list_names[k]) == 0) {
            *out = (kr_list_kind)k;
            return KR_OK;
        }
    }
    return KR_ENOTFOUND;
}

const char *kr_list_reason(const kr_list *l, const kr_list_row *row)
{
    switch (l->kind) {
    case KR_LIST_ABANDONED_CARTS:
        return "cart not bought within the window";
    case KR_LIST_AT_RISK:
        return row->code == KR_RFM_CANNOT_LOSE ? "RFM segment Cannot lose them"
                                               : "RFM segment At risk";
    case KR_LIST_AMBASSADORS:
        return "promoter who bought again";
    case KR_LIST_WIN_BACK:
        return "pyramid tier dropped";
    case KR_LIST_NEXT_PURCHASE:
        return "usual purchase interval passed";
    }
    return "";
}

/* Appends a zeroed row for person p; NULL when out of memory. */
static kr_list_row *push(kr_list *l, uint32_t *cap, uint32_t p)
{
    if (l->count == *cap) {
        uint32_t n = *cap ? *cap * 2 : 64;
        kr_list_row *r = realloc(l->rows, (size_t)n * sizeof *r);
        if (!r)
            return NULL;
        l->rows = r;
        *cap = n;
    }
    kr_list_row *row = &l->rows[l->count++];
    *row = (kr_list_row){0};
    row->person = p;
    return row;
}

static bool code_of(const kr_table *t, const char *name, uint32_t *out)
{
    return kr_table_dict_find(t, KR_DICT_NAME, kr_str_from_cstr(name), out) == KR_OK;
}

static int64_t cents_of(const kr_table_columns *c, size_t i)
{
    return (c->flags[i] & KR_FLAG_HAS_VALUE) && c->aux[i] ? c->value_cents[c->aux[i] - 1] : 0;
}

/*
 * The latest cart event at or before as-of (ties in time: the last one in the table) is
 * abandoned when cart + window <= as-of and no purchase has cart <= time <= cart + window (a
 * purchase exactly window later counts as bought).
 */
static int abandoned_carts(kr_list *l, const kr_table *t, const kr_lists_options *o)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    uint32_t cart, purchase, cap = 0;
    if (!code_of(t, o->cart ? o->cart : "add_to_cart", &cart))
        return KR_OK;
    bool has_purchase = code_of(t, o->value.purchase ? o->value.purchase : "purchase", &purchase);
    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t last = SIZE_MAX;
        uint32_t purchases = 0;
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1] && c.time_ms[i] <= l->as_of_ms;
             i++) {
            if (c.name[i] == cart)
                last = i;
            else if (has_purchase && c.name[i] == purchase)
                purchases++;
        }
        if (last == SIZE_MAX)
            continue;
        int64_t at = c.time_ms[last];
        if (at > l->as_of_ms - o->window_ms)
            continue; /* the window has not closed yet */
        bool bought = false;
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1] && !bought; i++)
            bought = has_purchase && c.name[i] == purchase && c.time_ms[i] >= at &&
                     c.time_ms[i] - at <= o->window_ms;
        if (bought)
            continue;
        kr_list_row *row = push(l, &cap, p);
        if (!row)
            return KR_ENOMEM;
        row->time_ms = at;
        row->has_cents = (c.flags[last] & KR_FLAG_HAS_VALUE) && c.aux[last];
        row->cents = cents_of(&c, last);
        row->count = purchases;
    }
    return KR_OK;
}

static int at_risk(kr_list *l, const kr_table *t, const kr_lists_options *o, char *errbuf,
                   size_t errlen)
{
    kr_value_rfm r;
    uint32_t cap = 0;
    int rc = kr_value_rfm_run(&r, t, &o->value, errbuf, errlen);
    for (uint32_t i = 0; rc == KR_OK && i < r.count; i++) {
        const kr_rfm_customer *x = &r.customers[i];
        if (x->segment != KR_RFM_AT_RISK && x->segment != KR_RFM_CANNOT_LOSE)
            continue;
        kr_list_row *row = push(l, &cap, x->unit);
        if (!row) {
            rc = KR_ENOMEM;
            break;
        }
        row->time_ms = x->last_purchase_ms;
        row->count = x->frequency;
        row->has_cents = true;
        row->cents = x->monetary_cents;
        row->days = x->recency_days;
        row->code = (uint8_t)x->segment;
    }
    kr_value_rfm_finish(&r);
    return rc;
}

/* The latest NPS score at or before as-of (ties: the last in the table) is 9 or 10, and the
   person has at least two purchases at or before as-of. */
static int ambassadors(kr_list *l, const kr_table *t, const kr_lists_options *o)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    uint32_t purchase, cap = 0;
    bool has_purchase = code_of(t, o->value.purchase ? o->value.purchase : "purchase", &purchase);
    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t last = SIZE_MAX;
        uint32_t purchases = 0;
        int64_t revenue = 0;
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1] && c.time_ms[i] <= l->as_of_ms;
             i++) {
            if ((c.flags[i] & KR_FLAG_HAS_SCORE) && c.aux[i] &&
                KR_FLAG_SCALE(c.flags[i]) == KR_SCALE_NPS)
                last = i;
            if (has_purchase && c.name[i] == purchase) {
                purchases++;
                revenue += cents_of(&c, i);
            }
        }
        if (last == SIZE_MAX || purchases < 2 || !(c.score[c.aux[last] - 1] >= 9))
            continue;
        kr_list_row *row = push(l, &cap, p);
        if (!row)
            return KR_ENOMEM;
        row->time_ms = c.time_ms[last];
        row->score = c.score[c.aux[last] - 1];
        row->count = purchases;
        row->has_cents = true;
        row->cents = revenue;
    }
    return KR_OK;
}

/* Active then (top .. small) and a worse tier now (a lower tier, inactive, ...). */
static int win_back(kr_list *l, const kr_table *t, const kr_lists_options *o, char *errbuf,
                    size_t errlen)
{
    kr_value_pyramid r;
    uint32_t cap = 0;
    int rc = kr_value_pyramid_run(&r, t, &o->value, errbuf, errlen);
    for (uint32_t i = 0; rc == KR_OK && i < r.unit_count; i++) {
        unsigned then = r.before[i], now = r.tier[i];
        if (then > KR_PYRAMID_SMALL || now <= then || now == KR_PYRAMID_NONE)
            continue;
        kr_list_row *row = push(l, &cap, i);
        if (!row) {
            rc = KR_ENOMEM;
            break;
        }
        row->code = (uint8_t)now;
        row->before_code = (uint8_t)then;
        row->has_cents = true;
        row->cents = r.revenue[i];
        row->before_cents = r.before_revenue[i];
    }
    kr_value_pyramid_finish(&r);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* At least 3 purchases at or before as-of; the usual interval is the median of the gaps
   between consecutive purchases (an even count: the mean of the middle two, rounded down to
   the ms); listed when as-of - last purchase >= interval + grace. */
static int next_purchase(kr_list *l, const kr_table *t, const kr_lists_options *o)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    uint32_t purchase, cap = 0;
    if (!code_of(t, o->value.purchase ? o->value.purchase : "purchase", &purchase))
        return KR_OK;
    int64_t *gaps = NULL;
    size_t gap_cap = 0;
    int rc = KR_OK;
    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t n = 0;
        int64_t prev = 0, last = 0;
        uint32_t purchases = 0;
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1] && c.time_ms[i] <= l->as_of_ms;
             i++) {
            if (c.name[i] != purchase)
                continue;
            if (purchases++) {
                if (n == gap_cap) {
                    size_t m = gap_cap ? gap_cap * 2 : 64;
                    int64_t *g = realloc(gaps, m * sizeof *g);
                    if (!g) {
                        rc = KR_ENOMEM;
                        goto done;
                    }
                    gaps = g;
                    gap_cap = m;
                }
                gaps[n++] = c.time_ms[i] - prev;
            }
            prev = last = c.time_ms[i];
        }
        if (purchases < 3)
            continue;
        qsort(gaps, n, sizeof *gaps, cmp_i64);
        int64_t interval =
            n % 2 ? gaps[n / 2] : gaps[n / 2 - 1] + (gaps[n / 2] - gaps[n / 2 - 1]) / 2;
        int64_t since = l->as_of_ms - last;
        if (since - interval < o->grace_ms)
            continue;
        kr_list_row *row = push(l, &cap, p);
        if (!row) {
            rc = KR_ENOMEM;
            goto done;
        }
        row->time_ms = last;
        row->count = purchases;
        row->interval_ms = interval;
        row->days = since / DAY_MS;
        row->overdue_ms = since - interval;
    }
done:
    free(gaps);
    return rc;
}

int kr_list_run(kr_list *out, const kr_table *t, kr_list_kind kind, const kr_lists_options *o,
                char *errbuf, size_t errlen)
{
    *out = (kr_list){0};
    out->kind = kind;
    if ((unsigned)kind >= KR_LIST_KINDS) {
        snprintf(errbuf, errlen, "unknown list");
        return KR_EINVAL;
    }
    int rc = kr__value_check(&o->value, errbuf, errlen);
    if (rc < 0)
        return rc;
    if (o->value.per != KR_VALUE_PER_PERSON) {
        snprintf(errbuf, errlen, "lists are per person");
        return KR_EINVAL;
    }
    if (o->window_ms < 0 || o->grace_ms < 0) {
        snprintf(errbuf, errlen, "the hours and the grace must not be negative");
        return KR_EINVAL;
    }
    if (o->cart && !o->cart[0]) {
        snprintf(errbuf, errlen, "the cart event name is empty");
        return KR_EINVAL;
    }
    if (kind == KR_LIST_WIN_BACK && !o->value.has_compare_to) {
        snprintf(errbuf, errlen, "win-back needs a comparison date (--compare-to)");
        return KR_EINVAL;
    }
    out->as_of_ms = kr__value_as_of(t, &o->value);
    out->compare_to_ms = o->value.has_compare_to ? o->value.compare_to_ms : 0;
    switch (kind) {
    case KR_LIST_ABANDONED_CARTS:
        return abandoned_carts(out, t, o);
    case KR_LIST_AT_RISK:
        return at_risk(out, t, o, errbuf, errlen);
    case KR_LIST_AMBASSADORS:
        return ambassadors(out, t, o);
    case KR_LIST_WIN_BACK:
        return win_back(out, t, o, errbuf, errlen);
    case KR_LIST_NEXT_PURCHASE:
        return next_purchase(out, t, o);
    }
    return KR_EINVAL;
}

void kr_list_finish(kr_list *l)
{
    free(l->rows);
    *l = (kr_list){0};
}
