/*
 * value_internal.h - what the value analyses (value_pareto.c, value_rfm.c, value_pyramid.c)
 * share: one pass over the table that sums, per customer (person or account), the purchases
 * and revenue up to as-of and within a period.
 *
 *     kr__value_units u;
 *     if (kr__value_collect(&u, t, o, as_of, from, errbuf, errlen) == KR_OK) use(u.units[i]);
 *     kr__value_units_finish(&u);
 */
#ifndef KR_VALUE_INTERNAL_H
#define KR_VALUE_INTERNAL_H

#include "klantreis/value.h"

typedef struct kr__value_unit {
    int64_t revenue_cents;        /* purchases with time <= as-of */
    int64_t period_revenue_cents; /* purchases with from < time <= as-of */
    uint32_t purchases;
    uint32_t period_purchases;
    int64_t last_purchase_ms; /* INT64_MIN when none */
    bool seen;                /* has any event with time <= as-of */
    bool engaged;             /* has a track, page or screen event with time <= as-of */
} kr__value_unit;

typedef struct kr__value_units {
    uint32_t count; /* persons, or the account dictionary's size (code 0 = no account) */
    kr__value_unit *units;
} kr__value_units;

/** The as-of of o: its as_of_ms, else the last event's time (0 for an empty table). */
int64_t kr__value_as_of(const kr_table *t, const kr_value_options *o);

/** The start of the period (exclusive) for as_of: as_of - period, or INT64_MIN for all. */
int64_t kr__value_from(const kr_value_options *o, int64_t as_of);

/** Checks o; KR_OK or KR_EINVAL with the reason in errbuf. */
int kr__value_check(const kr_value_options *o, char *errbuf, size_t errlen);

/**
 * Sums per customer the events with time <= as_of (period: from < time <= as_of). Returns
 * KR_OK or KR_ENOMEM. Units without a customer (account code 0) stay zero and unseen.
 */
int kr__value_collect(kr__value_units *out, const kr_table *t, const kr_value_options *o,
                      int64_t as_of, int64_t from);

void kr__value_units_finish(kr__value_units *u);

#endif
