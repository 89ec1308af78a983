/*
 * klantreis/value.h - customer value: the 80/20 (Pareto) curve, RFM scores and segments and
 * the customer pyramid, per person or per account, at a reference date (as-of). The exact
 * rules (ranks, ties, rounding at boundaries) are in docs/value.md.
 *
 *     kr_value_options o = KR_VALUE_OPTIONS_INIT;   // purchases are "purchase" events
 *     kr_value_pareto p;
 *     char err[256];
 *     if (kr_value_pareto_run(&p, table, &o, err, sizeof err) == KR_OK)
 *         printf("top 20%% bring %.0f%%\n", 100 * p.share_top_20);
 *     kr_value_pareto_finish(&p);
 */
#ifndef KLANTREIS_VALUE_H
#define KLANTREIS_VALUE_H

#include "table.h"

/** Who a customer is: a person, or an account (the sum over its persons). */
typedef enum {
    KR_VALUE_PER_PERSON = 0,
    KR_VALUE_PER_ACCOUNT = 1, /* persons without an account take no part */
} kr_value_per;

typedef struct kr_value_options {
    const char *purchase; /* the event name of a purchase; NULL = "purchase". Borrowed. */
    bool has_as_of;       /* only events with time <= as_of_ms count; without it, as-of is */
    int64_t as_of_ms;     /* the time of the table's last event */
    kr_value_per per;
    /* Pareto and pyramid: the period is (as_of - period_ms, as_of]; 0 = all events up to
       as-of. */
    int64_t period_ms;
    /* Pyramid: the percentages of the active customers in top, large and medium (the rest is
       small); each > 0, sum < 100. */
    double tiers[3];
    /* Pyramid movement: the tiers at this earlier as-of (same period length) against now. */
    bool has_compare_to;
    int64_t compare_to_ms;
} kr_value_options;

/* "purchase", as-of the last event, per person, a 365-day period, tiers 1, 4, 15 %. */
#define KR_VALUE_OPTIONS_INIT                                                                      \
    {                                                                                              \
        NULL, false, 0, KR_VALUE_PER_PERSON, INT64_C(365) * 86400000, {1.0, 4.0, 15.0}, false, 0   \
    }

/** "person" or "account". */
KR_EXTERN const char *kr_value_per_name(kr_value_per per);

/** The name of a customer: a person id or an account (KR_VALUE_PER_*); borrowed from t. */
KR_EXTERN kr_str kr_value_unit_name(const kr_table *t, kr_value_per per, uint32_t unit);

/* ---- Pareto ------------------------------------------------------------------------------ */

#define KR_PARETO_POINTS 5 /* the curve at 1, 5, 10, 20 and 50 % of the customers */

typedef struct kr_pareto_point {
    unsigned percent;      /* 1, 5, 10, 20, 50 */
    uint32_t customers;    /* ceil(n * percent / 100): the top customers counted */
    int64_t revenue_cents; /* their revenue */
    double share;          /* revenue_cents / the total (0 when the total is 0) */
} kr_pareto_point;

typedef struct kr_value_pareto {
    int64_t as_of_ms;
    int64_t from_ms;       /* the period is (from_ms, as_of_ms]; INT64_MIN for all history */
    uint32_t customers;    /* n: customers with revenue > 0 in the period */
    int64_t revenue_cents; /* their total */
    kr_pareto_point curve[KR_PARETO_POINTS];
    double share_top_20;             /* = curve[3].share */
    uint32_t customers_for_80_count; /* the fewest top customers with >= 80 % of the revenue */
    double customers_for_80;         /* that count / n (0 when n is 0) */
} kr_value_pareto;

/**
 * The 80/20 figures over the table: customers with positive revenue in the period ranked by
 * revenue, highest first. A pure function of (table, options). Returns KR_OK, KR_EINVAL (bad
 * options, reason in errbuf) or KR_ENOMEM. Call kr_value_pareto_finish in every case.
 */
KR_EXTERN int kr_value_pareto_run(kr_value_pareto *out, const kr_table *t,
                                  const kr_value_options *o, char *errbuf, size_t errlen);

/** Frees what the result holds (nothing yet; kept for symmetry). */
KR_EXTERN void kr_value_pareto_finish(kr_value_pareto *r);

/**
 * The result as a JSON object: {"analysis": "pareto", "per", "purchase", "as_of", "from",
 * "customers", "revenue_cents", "share_top_20", "customers_for_80", "customers_for_80_count",
 * "curve": [{"percent", "customers", "revenue_cents", "share"}]} (docs/value.md). o is the
 * options of the run. Returns a malloc'd string, NULL when out of memory.
 */
KR_EXTERN char *kr_value_pareto_to_json(const kr_value_pareto *r, const kr_value_options *o,
                                        bool pretty);

/* ---- RFM ---------------------------------------------------------------------------------- */

/* The segments, from the recency score R and FM = (F + M + 1) / 2 (docs/value.md has the grid). */
typedef enum {
    KR_RFM_CHAMPIONS = 0,
    KR_RFM_LOYAL,
    KR_RFM_POTENTIAL_LOYALIST,
    KR_RFM_NEW,
    KR_RFM_PROMISING,
    KR_RFM_NEED_ATTENTION,
    KR_RFM_ABOUT_TO_SLEEP,
    KR_RFM_AT_RISK,
    KR_RFM_CANNOT_LOSE,
    KR_RFM_HIBERNATING,
    KR_RFM_LOST,
} kr_rfm_segment;
#define KR_RFM_SEGMENTS 11

typedef struct kr_rfm_customer {
    uint32_t unit;            /* person index or account code (kr_value_unit_name) */
    int64_t last_purchase_ms; /* the last purchase at or before as-of */
    int64_t recency_days;     /* floor((as-of - last purchase) / 1 day) */
    uint32_t frequency;       /* purchases up to as-of */
    int64_t monetary_cents;   /* revenue up to as-of */
    uint8_t r, f, m;          /* scores 1..5: 1 + floor(5 * worse / n), see docs/value.md */
    uint8_t fm;               /* (f + m + 1) / 2 */
    kr_rfm_segment segment;
} kr_rfm_customer;

typedef struct kr_rfm_total {
    uint32_t customers;
    int64_t revenue_cents;
} kr_rfm_total;

typedef struct kr_value_rfm {
    int64_t as_of_ms;
    uint32_t count;             /* customers: at least one purchase up to as-of */
    kr_rfm_customer *customers; /* count, by unit (owned) */
    int64_t revenue_cents;      /* theirs, in total */
    kr_rfm_total segments[KR_RFM_SEGMENTS];
    uint32_t scores[3][5]; /* customers per score: [0] R, [1] F, [2] M; [k] = score k + 1 */
} kr_value_rfm;

/**
 * RFM over all purchases up to as-of (the period is not used): recency, frequency and
 * monetary value per customer, each scored 1..5 by rank (equal values get equal scores), and
 * the segment. A pure function of (table, options). Returns KR_OK, KR_EINVAL (reason in
 * errbuf) or KR_ENOMEM. Call kr_value_rfm_finish in every case.
 */
KR_EXTERN int kr_value_rfm_run(kr_value_rfm *out, const kr_table *t, const kr_value_options *o,
                               char *errbuf, size_t errlen);

/** Frees the customers; the result can be reused. */
KR_EXTERN void kr_value_rfm_finish(kr_value_rfm *r);

/** The segment of a recency score and an FM score (both 1..5; others are clamped). */
KR_EXTERN kr_rfm_segment kr_rfm_segment_of(unsigned r, unsigned fm);

/** "Champions", "Loyal", ..., "Lost"; NULL for an out-of-range value. */
KR_EXTERN const char *kr_rfm_segment_name(kr_rfm_segment s);

/**
 * The result as JSON: {"analysis": "rfm", "per", "purchase", "as_of", "from": null,
 * "customers", "revenue_cents", "segments": [{"segment", "customers", "share",
 * "revenue_cents", "revenue_share"}] (all eleven, in enum order), "scores": {"r": [5 counts],
 * "f": [...], "m": [...]}, and with list "list": [{"customer", "recency_days", "frequency",
 * "monetary_cents", "r", "f", "m", "segment"}]}. Borrows names from t. malloc'd; NULL when
 * out of memory.
 */
KR_EXTERN char *kr_value_rfm_to_json(const kr_value_rfm *r, const kr_table *t,
                                     const kr_value_options *o, bool list, bool pretty);

/* ---- Customer pyramid ----------------------------------------------------------------------- */

/* Tiers from best to worst; KR_PYRAMID_NONE: not in the data yet at that as-of. */
typedef enum {
    KR_PYRAMID_TOP = 0,  /* active, rank <= ceil(n * t1 / 100) */
    KR_PYRAMID_LARGE,    /* active, rank <= ceil(n * (t1 + t2) / 100) */
    KR_PYRAMID_MEDIUM,   /* active, rank <= ceil(n * (t1 + t2 + t3) / 100) */
    KR_PYRAMID_SMALL,    /* the other active customers */
    KR_PYRAMID_INACTIVE, /* bought before the period, not in it */
    KR_PYRAMID_PROSPECT, /* never bought, has a track, page or screen event */
    KR_PYRAMID_SUSPECT,  /* never bought, only identify, alias or group events */
    KR_PYRAMID_NONE,
} kr_pyramid_tier;
#define KR_PYRAMID_TIERS 7 /* without NONE */

typedef struct kr_pyramid_total {
    uint32_t customers;
    int64_t revenue_cents; /* in the period */
    double revenue_share;  /* of all revenue in the period (0 when there is none) */
} kr_pyramid_total;

typedef struct kr_value_pyramid {
    int64_t as_of_ms;
    int64_t from_ms;       /* the period is (from_ms, as_of_ms]; INT64_MIN: all history */
    uint32_t active;       /* n: customers with a purchase in the period */
    int64_t revenue_cents; /* their revenue in the period */
    uint32_t limits[3];    /* the rank limits of top, large and medium */
    kr_pyramid_total tiers[KR_PYRAMID_TIERS];
    uint32_t unit_count; /* persons, or the account dictionary's size */
    uint8_t *tier;       /* per unit: kr_pyramid_tier (owned) */
    int64_t *revenue;    /* per unit: revenue in the period (owned) */
    uint32_t *rank;      /* per unit: 1 + active customers with more revenue; 0 if inactive */
    /* With has_compare_to: the same at compare_to_ms (same period length) and the moves. */
    bool compared;
    int64_t before_as_of_ms;
    int64_t before_from_ms;
    uint8_t *before;         /* per unit: the tier then (owned) */
    int64_t *before_revenue; /* per unit: the revenue in that period (owned) */
    uint32_t moves[KR_PYRAMID_TIERS + 1][KR_PYRAMID_TIERS + 1]; /* [then][now], NONE included */
    uint32_t moved_up, moved_down, stayed, arrived;             /* arrived: NONE then */
} kr_value_pyramid;

/**
 * The customer pyramid (Curry) at as-of over the period, and with o->has_compare_to the
 * movement from the pyramid at compare_to_ms. Ranks: 1 + the number of active customers with
 * more revenue, so customers with equal revenue share a rank and a tier (a tie across a limit
 * goes to the better tier). A pure function of (table, options). Returns KR_OK, KR_EINVAL
 * (bad tiers, compare-to not before as-of; reason in errbuf) or KR_ENOMEM. Call
 * kr_value_pyramid_finish in every case.
 */
KR_EXTERN int kr_value_pyramid_run(kr_value_pyramid *out, const kr_table *t,
                                   const kr_value_options *o, char *errbuf, size_t errlen);

/** Frees the per-unit arrays; the result can be reused. */
KR_EXTERN void kr_value_pyramid_finish(kr_value_pyramid *r);

/** "top", "large", "medium", "small", "inactive", "prospect", "suspect", "none". */
KR_EXTERN const char *kr_pyramid_tier_name(kr_pyramid_tier tier);

/**
 * The result as JSON: the header, "tiers_percent": [t1, t2, t3], "active", "revenue_cents",
 * "limits": [3 ranks], "tiers": [{"tier", "customers", "revenue_cents", "revenue_share"}] (7),
 * with a comparison "compare": {"as_of", "from", "up", "down", "same", "new", "moves": [{"from",
 * "to", "customers"}] (non-zero cells)}, and with list "list": the customers (or, compared,
 * the ones who moved up or down) [{"customer", "tier", "rank", "revenue_cents"[, "before",
 * "before_revenue_cents", "direction"]}]. malloc'd; NULL when out of memory.
 */
KR_EXTERN char *kr_value_pyramid_to_json(const kr_value_pyramid *r, const kr_table *t,
                                         const kr_value_options *o, bool list, bool pretty);

#endif
