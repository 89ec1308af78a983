/*
 * attention.c - the attention monitor (docs/attention.md): company-initiated touches per
 * customer in the period, per tier of the customer pyramid (value_pyramid.c, so the tiers are
 * those of `klantreis value pyramid`), against the tier's revenue share; and two gap lists: top
 * and large customers that had no touch in the last silent days, and the small customers with
 * the most touches.
 *
 *     kr_attention a;
 *     kr_attention_run(&a, t, &o, err, sizeof err);  // a.tiers[KR_PYRAMID_TOP].ratio
 *     kr_attention_finish(&a);
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/attention.h"
#include "value_internal.h"

/* Per event: whether it is a company touch. NULL *out when out of memory. */
static int company_mask(uint8_t **out, const kr_table *t, const kr_attention_options *o,
                        uint32_t *touchpoints, char *errbuf, size_t errlen)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    *out = calloc(c.count ? c.count : 1, 1);
    if (!*out)
        return KR_ENOMEM;
    uint8_t *mask = *out;
    if (o->event_count) {
        uint32_t names = kr_table_dict_count(t, KR_DICT_NAME);
        uint8_t *is = calloc(names ? names : 1, 1);
        if (!is)
            return KR_ENOMEM;
        for (size_t k = 0; k < o->event_count; k++) {
            uint32_t code;
            if (!o->events[k] || !o->events[k][0]) {
                free(is);
                snprintf(errbuf, errlen, "an empty company event name");
                return KR_EINVAL;
            }
            if (kr_table_dict_find(t, KR_DICT_NAME, kr_str_from_cstr(o->events[k]), &code) == KR_OK)
                is[code] = 1;
        }
        for (size_t i = 0; i < c.count; i++)
            mask[i] = is[c.name[i]];
        free(is);
        *touchpoints = (uint32_t)o->event_count;
        return KR_OK;
    }
    if (!o->model || !o->match) {
        snprintf(errbuf, errlen, "name the company touches: a journey model or event names");
        return KR_EINVAL;
    }
    const kr_model_info *info = kr_model_get(o->model);
    uint8_t company[KR_MODEL_MAX_TOUCHPOINTS] = {0};
    uint32_t n = 0;
    for (size_t k = 0; k < info->touchpoint_count && k < KR_MODEL_MAX_TOUCHPOINTS; k++)
        if (info->touchpoints[k].initiated_by == KR_INITIATOR_COMPANY && (company[k] = 1))
            n++;
    if (!n) {
        snprintf(errbuf, errlen,
                 "the model has no touchpoint with initiated_by: company (or name the events)");
        return KR_EINVAL;
    }
    const uint16_t *tp = kr_model_match_events(o->match);
    for (size_t i = 0; i < c.count; i++)
        mask[i] = tp[i] != KR_MODEL_NONE && tp[i] < KR_MODEL_MAX_TOUCHPOINTS && company[tp[i]];
    *touchpoints = n;
    return KR_OK;
}

static int cmp_silent(const void *a, const void *b)
{
    const kr_attention_customer *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->last_touch_ms != y->last_touch_ms)
        return x->last_touch_ms < y->last_touch_ms ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

static int cmp_busy(const void *a, const void *b)
{
    const kr_attention_customer *x = a, *y = b;
    if (x->touches != y->touches)
        return x->touches > y->touches ? -1 : 1;
    if (x->revenue_cents != y->revenue_cents)
        return x->revenue_cents < y->revenue_cents ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

int kr_attention_run(kr_attention *out, const kr_table *t, const kr_attention_options *o,
                     char *errbuf, size_t errlen)
{
    *out = (kr_attention){0};
    uint8_t *mask = NULL;
    uint32_t *touches = NULL;
    int64_t *last = NULL;
    kr_value_pyramid p = {0};
    int rc = kr__value_check(&o->value, errbuf, errlen);
    if (rc < 0)
        return rc;
    if (o->silent_ms < 0) {
        snprintf(errbuf, errlen, "the silent days must not be negative");
        return KR_EINVAL;
    }
    if ((rc = company_mask(&mask, t, o, &out->touchpoints, errbuf, errlen)) < 0)
        goto done;
    kr_value_options vo = o->value;
    vo.has_compare_to = false;
    if ((rc = kr_value_pyramid_run(&p, t, &vo, errbuf, errlen)) < 0)
        goto done;
    out->as_of_ms = p.as_of_ms;
    out->from_ms = p.from_ms;
    out->revenue_cents = p.revenue_cents;
    size_t alloc = p.unit_count ? p.unit_count : 1;
    touches = calloc(alloc, sizeof *touches);
    last = malloc(alloc * sizeof *last);
    if (!touches || !last) {
        rc = KR_ENOMEM;
        goto done;
    }
    for (uint32_t u = 0; u < p.unit_count; u++)
        last[u] = INT64_MIN;
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    for (uint32_t q = 0; q < c.person_count; q++) {
        uint32_t unit = q;
        if (o->value.per == KR_VALUE_PER_ACCOUNT && (unit = c.person_account[q]) == 0)
            continue;
        for (size_t i = c.person_start[q]; i < c.person_start[q + 1]; i++) {
            if (c.time_ms[i] > out->as_of_ms)
                break;
            if (!mask[i])
                continue;
            if (c.time_ms[i] > last[unit])
                last[unit] = c.time_ms[i];
            if (c.time_ms[i] > out->from_ms)
                touches[unit]++;
        }
    }
    for (uint32_t u = 0; u < p.unit_count; u++) {
        if (p.tier[u] == KR_PYRAMID_NONE)
            continue;
        kr_attention_tier *x = &out->tiers[p.tier[u]];
        x->touches += touches[u];
        x->touched += touches[u] > 0;
        out->touches += touches[u];
        unsigned tier = p.tier[u];
        bool silent = (tier == KR_PYRAMID_TOP || tier == KR_PYRAMID_LARGE) &&
                      (last[u] == INT64_MIN || last[u] < out->as_of_ms - o->silent_ms);
        bool busy = tier == KR_PYRAMID_SMALL && touches[u] > 0;
        out->silent_total += silent;
        out->busy_total += busy;
    }
    for (int k = 0; k < KR_PYRAMID_TIERS; k++) {
        kr_attention_tier *x = &out->tiers[k];
        x->customers = p.tiers[k].customers;
        x->revenue_cents = p.tiers[k].revenue_cents;
        x->value_share = p.tiers[k].revenue_share;
        x->attention_share = out->touches ? (double)x->touches / (double)out->touches : 0.0;
        x->has_ratio = x->value_share > 0;
        x->ratio = x->has_ratio ? x->attention_share / x->value_share : 0.0;
    }
    out->silent = malloc((out->silent_total ? out->silent_total : 1) * sizeof *out->silent);
    out->busy = malloc((out->busy_total ? out->busy_total : 1) * sizeof *out->busy);
    if (!out->silent || !out->busy) {
        rc = KR_ENOMEM;
        goto done;
    }
    for (uint32_t u = 0; u < p.unit_count; u++) {
        unsigned tier = p.tier[u];
        kr_attention_customer x = {u, (uint8_t)tier, p.rank[u], p.revenue[u], touches[u], last[u]};
        if ((tier == KR_PYRAMID_TOP || tier == KR_PYRAMID_LARGE) &&
            (last[u] == INT64_MIN || last[u] < out->as_of_ms - o->silent_ms))
            out->silent[out->silent_count++] = x;
        else if (tier == KR_PYRAMID_SMALL && touches[u] > 0)
            out->busy[out->busy_count++] = x;
    }
    qsort(out->silent, out->silent_count, sizeof *out->silent, cmp_silent);
    qsort(out->busy, out->busy_count, sizeof *out->busy, cmp_busy);
    if (o->top && out->silent_count > o->top)
        out->silent_count = o->top;
    if (o->top && out->busy_count > o->top)
        out->busy_count = o->top;
done:
    free(mask);
    free(touches);
    free(last);
    kr_value_pyramid_finish(&p);
    return rc;
}

void kr_attention_finish(kr_attention *a)
{
    free(a->silent);
    free(a->busy);
    *a = (kr_attention){0};
}
