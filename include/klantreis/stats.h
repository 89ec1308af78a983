/*
 * klantreis/stats.h - the overview of a table: events, persons, accounts, devices per person,
 * time range, and events per name, channel, device and type.
 *
 *     kr_stats st;
 *     if (kr_stats_compute(&st, table) == KR_OK) { print(st.events, st.persons); }
 *     kr_stats_finish(&st);
 */
#ifndef KLANTREIS_STATS_H
#define KLANTREIS_STATS_H

#include "table.h"

/** One value and how many events carry it. key is borrowed from the table. */
typedef struct kr_count {
    kr_str key;
    uint64_t count;
} kr_count;

typedef struct kr_count_list {
    kr_count *items; /* by count descending, then key ascending */
    size_t count;
} kr_count_list;

typedef struct kr_stats {
    uint64_t events;
    uint64_t persons;
    uint64_t identified_persons; /* persons with at least one user id */
    uint64_t accounts;           /* distinct account ids */
    uint64_t persons_with_account;
    int64_t first_ms; /* 0 when there are no events */
    int64_t last_ms;
    double devices_per_person; /* mean distinct devices over persons with a device */
    uint64_t multi_device_persons;
    uint64_t value_events;
    int64_t revenue_cents; /* sum of all values */
    uint64_t score_events;
    kr_count_list by_name;
    kr_count_list by_channel; /* events without a channel are counted under "" */
    kr_count_list by_device;
    kr_count_list by_type;
} kr_stats;

/** Computes the overview; call kr_stats_finish afterwards, also on failure. */
KR_EXTERN int kr_stats_compute(kr_stats *out, const kr_table *t);

/** Frees the lists; the struct can be reused. */
KR_EXTERN void kr_stats_finish(kr_stats *st);

#endif
