/*
 * value_common.c - the pass over the table that the value analyses share: per customer
 * (person or account) the purchases, revenue and last purchase up to as-of and within the
 * period, and whether the customer was seen or engaged at all. See docs/value.md.
 *
 *     int64_t as_of = kr__value_as_of(t, o);
 *     kr__value_units u;
 *     kr__value_collect(&u, t, o, as_of, kr__value_from(o, as_of));
 */
#include <stdio.h>
#include <stdlib.h>

#include "value_internal.h"

kr_str kr_value_unit_name(const kr_table *t, kr_value_per per, uint32_t unit)
{
    if (per == KR_VALUE_PER_ACCOUNT)
        return kr_table_dict_get(t, KR_DICT_ACCOUNT, unit);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    if (unit >= c.person_count)
        return KR_STR_NULL;
    return kr_table_dict_get(t, KR_DICT_ID, c.person_id[unit]);
}

int64_t kr__value_as_of(const kr_table *t, const kr_value_options *o)
{
    if (o->has_as_of)
        return o->as_of_ms;
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    int64_t last = 0;
    bool any = false;
    for (size_t i = 0; i < c.count; i++) {
        if (!any || c.time_ms[i] > last)
            last = c.time_ms[i];
        any = true;
    }
    return last;
}

int64_t kr__value_from(const kr_value_options *o, int64_t as_of)
{
    if (o->period_ms <= 0 || as_of < INT64_MIN + o->period_ms)
        return INT64_MIN;
    return as_of - o->period_ms;
}

int kr__value_check(const kr_value_options *o, char *errbuf, size_t errlen)
{
    if (o->per != KR_VALUE_PER_PERSON && o->per != KR_VALUE_PER_ACCOUNT) {
        snprintf(errbuf, errlen, "per: person or account");
        return KR_EINVAL;
    }
    if (o->period_ms < 0) {
        snprintf(errbuf, errlen, "the period must not be negative");
        return KR_EINVAL;
    }
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        if (!(o->tiers[k] > 0)) {
            snprintf(errbuf, errlen, "tier percentages must be above 0");
            return KR_EINVAL;
        }
        sum += o->tiers[k];
    }
    if (!(sum < 100)) {
        snprintf(errbuf, errlen, "tier percentages must add up to less than 100");
        return KR_EINVAL;
    }
    if (o->purchase && !o->purchase[0]) {
        snprintf(errbuf, errlen, "the purchase event name is empty");
        return KR_EINVAL;
    }
    return KR_OK;
}

int kr__value_collect(kr__value_units *out, const kr_table *t, const kr_value_options *o,
                      int64_t as_of, int64_t from)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    out->count =
        o->per == KR_VALUE_PER_ACCOUNT ? kr_table_dict_count(t, KR_DICT_ACCOUNT) : c.person_count;
    out->units = calloc(out->count ? out->count : 1, sizeof *out->units);
    if (!out->units)
        return KR_ENOMEM;
    for (uint32_t u = 0; u < out->count; u++)
        out->units[u].last_purchase_ms = INT64_MIN;
    uint32_t purchase = 0;
    bool has_purchase = kr_table_dict_find(t, KR_DICT_NAME,
                                           kr_str_from_cstr(o->purchase ? o->purchase : "purchase"),
                                           &purchase) == KR_OK;
    for (uint32_t p = 0; p < c.person_count; p++) {
        uint32_t unit = p;
        if (o->per == KR_VALUE_PER_ACCOUNT) {
            unit = c.person_account[p];
            if (unit == 0)
                continue; /* no account: not a customer of any account */
        }
        kr__value_unit *u = &out->units[unit];
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) {
            int64_t ts = c.time_ms[i];
            if (ts > as_of)
                break; /* a person's events are sorted by time */
            u->seen = true;
            kr_event_type type = KR_FLAG_TYPE(c.flags[i]);
            if (type == KR_TYPE_TRACK || type == KR_TYPE_PAGE || type == KR_TYPE_SCREEN)
                u->engaged = true;
            if (!has_purchase || c.name[i] != purchase)
                continue;
            int64_t cents = 0;
            if ((c.flags[i] & KR_FLAG_HAS_VALUE) && c.aux[i])
                cents = c.value_cents[c.aux[i] - 1];
            u->purchases++;
            u->revenue_cents += cents;
            if (ts > u->last_purchase_ms)
                u->last_purchase_ms = ts;
            if (ts > from) {
                u->period_purchases++;
                u->period_revenue_cents += cents;
            }
        }
    }
    return KR_OK;
}

void kr__value_units_finish(kr__value_units *u)
{
    free(u->units);
    u->units = NULL;
    u->count = 0;
}
