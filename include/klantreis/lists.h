/*
 * klantreis/lists.h - action lists: the persons to act on now, one row per person with the
 * reason and the key figures, ready for a mailing tool (docs/lists.md has the exact rules).
 *
 *     kr_lists_options o = KR_LISTS_OPTIONS_INIT;
 *     kr_list l;
 *     char err[256];
 *     if (kr_list_run(&l, t, KR_LIST_ABANDONED_CARTS, &o, err, sizeof err) == KR_OK)
 *         for (uint32_t i = 0; i < l.count; i++) use(l.rows[i].person, l.rows[i].time_ms);
 *     kr_list_finish(&l);
 */
#ifndef KLANTREIS_LISTS_H
#define KLANTREIS_LISTS_H

#include "value.h"

typedef enum {
    KR_LIST_ABANDONED_CARTS = 0, /* latest cart without a purchase within the window */
    KR_LIST_AT_RISK,             /* RFM "At risk" and "Cannot lose them" */
    KR_LIST_AMBASSADORS,         /* latest NPS score 9-10 and at least 2 purchases */
    KR_LIST_WIN_BACK,            /* pyramid tier dropped since the comparison date */
    KR_LIST_NEXT_PURCHASE,       /* >= 3 purchases, the median gap has passed */
} kr_list_kind;
#define KR_LIST_KINDS 5

typedef struct kr_lists_options {
    /* purchase event, as-of, period and tiers (win-back), compare-to (win-back: required).
       Lists are per person: value.per must be KR_VALUE_PER_PERSON. */
    kr_value_options value;
    const char *cart;  /* abandoned carts: the cart event; NULL = "add_to_cart". Borrowed. */
    int64_t window_ms; /* abandoned carts: a purchase within this long after the cart */
    int64_t grace_ms;  /* next purchase: overdue by at least this long */
} kr_lists_options;

/* value defaults, "add_to_cart", 24 hours, no grace */
#define KR_LISTS_OPTIONS_INIT                                                                      \
    {                                                                                              \
        KR_VALUE_OPTIONS_INIT, NULL, INT64_C(24) * 3600000, 0                                      \
    }

/**
 * One person on a list. Which fields mean what depends on the list (docs/lists.md):
 *   abandoned carts: time_ms the latest cart, cents its value (has_cents), count purchases
 *   at-risk: time_ms the last purchase, count frequency, cents monetary, days recency,
 *            code the kr_rfm_segment
 *   ambassadors: time_ms the latest NPS score's time, score it, count purchases, cents revenue
 *   win-back: code the tier now, before_code the tier then, cents the revenue in the period
 *             now, before_cents then (kr_pyramid_tier)
 *   next purchase: time_ms the last purchase, count purchases, interval_ms the median gap,
 *                  days the whole days since the last purchase, overdue_ms = as-of - last -
 *                  interval
 */
typedef struct kr_list_row {
    uint32_t person;
    int64_t time_ms;
    bool has_cents;
    int64_t cents;
    int64_t before_cents;
    uint32_t count;
    double score;
    int64_t days;
    int64_t interval_ms;
    int64_t overdue_ms;
    uint8_t code;
    uint8_t before_code;
} kr_list_row;

typedef struct kr_list {
    kr_list_kind kind;
    int64_t as_of_ms;
    int64_t compare_to_ms; /* win-back only */
    uint32_t count;
    kr_list_row *rows; /* count, ordered by person index (owned) */
} kr_list;

/** "abandoned-carts", "at-risk", "ambassadors", "win-back", "next-purchase"; NULL if unknown. */
KR_EXTERN const char *kr_list_name(kr_list_kind kind);

/** The kind named by name (kr_list_name); KR_ENOTFOUND for an unknown name. */
KR_EXTERN int kr_list_kind_parse(const char *name, kr_list_kind *out);

/** The reason of a row, in words ("cart not bought within the window", "At risk", ...). */
KR_EXTERN const char *kr_list_reason(const kr_list *l, const kr_list_row *row);

/**
 * Builds the list kind over the table. A pure function of (table, options). Returns KR_OK,
 * KR_EINVAL (bad options, win-back without compare-to; reason in errbuf) or KR_ENOMEM. Call
 * kr_list_finish in every case.
 */
KR_EXTERN int kr_list_run(kr_list *out, const kr_table *t, kr_list_kind kind,
                          const kr_lists_options *o, char *errbuf, size_t errlen);

/** Frees the rows; the result can be reused. */
KR_EXTERN void kr_list_finish(kr_list *l);

/**
 * The list as JSON: {"list", "as_of", ["compare_to",] "count", "rows": [{"person", "ids":
 * [...], "reason", and the list's figures}]} with the same names as the CSV columns
 * (docs/lists.md). malloc'd; NULL when out of memory.
 */
KR_EXTERN char *kr_list_to_json(const kr_list *l, const kr_table *t, bool pretty);

#endif
