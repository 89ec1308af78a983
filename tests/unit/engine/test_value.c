/*
 * test_value.c - the value analyses (Pareto, RFM, pyramid) on tables built by hand; every
 * expected figure is worked out in the comment beside it (docs/value.md has the rules).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Debian's cmocka predates assert_double_equal. */
#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

#include "klantreis/value.h"

#define DAY INT64_C(86400000)
#define T0 INT64_C(1714521600000) /* 2024-05-01T00:00:00Z */

typedef struct ev {
    const char *user;
    int64_t day; /* days after T0 */
    const char *name;
    int64_t cents; /* < 0: no value */
    const char *account;
    kr_event_type type;
} ev;

static kr_table *build(const ev *e, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.time_ms = T0 + e[i].day * DAY;
        x.event = kr_str_from_cstr(e[i].name);
        x.type = e[i].type;
        x.account_id = kr_str_from_cstr(e[i].account);
        if (e[i].cents >= 0) {
            x.value_cents = e[i].cents;
            x.has_value = true;
        }
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

#define P(u, d, c)                                                                                 \
    {                                                                                              \
        u, d, "purchase", c, NULL, KR_TYPE_TRACK                                                   \
    }

static kr_value_pareto pareto(const ev *e, size_t n, const kr_value_options *o)
{
    kr_table *t = build(e, n);
    kr_value_pareto r;
    char err[128];
    assert_int_equal(kr_value_pareto_run(&r, t, o, err, sizeof err), KR_OK);
    kr_value_pareto_finish(&r);
    kr_table_free(t);
    return r;
}

static void pareto_equal_revenues(void **state)
{
    (void)state;
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    /* five customers with 10.00 each: the top 20 % is ceil(5 * 0.2) = 1 customer with 20 %;
       80 % needs 4 of 5 customers */
    ev five[] = {P("a", 0, 1000), P("b", 0, 1000), P("c", 0, 1000), P("d", 0, 1000),
                 P("e", 0, 1000)};
    kr_value_pareto r = pareto(five, 5, &o);
    assert_int_equal(r.customers, 5);
    assert_int_equal(r.revenue_cents, 5000);
    assert_int_equal(r.curve[3].customers, 1);
    assert_near(r.share_top_20, 0.2);
    assert_int_equal(r.curve[4].customers, 3); /* ceil(2.5) */
    assert_near(r.curve[4].share, 0.6);
    assert_int_equal(r.customers_for_80_count, 4);
    assert_near(r.customers_for_80, 0.8);
    /* three equal customers: top 20 % = ceil(0.6) = 1 customer = 1/3 of the revenue; two
       bring 2/3 < 80 %, so all three are needed */
    r = pareto(five, 3, &o);
    assert_int_equal(r.curve[3].customers, 1);
    assert_near(r.share_top_20, 1.0 / 3);
    assert_int_equal(r.customers_for_80_count, 3);
    assert_near(r.customers_for_80, 1.0);
    /* one customer: every point is that customer */
    r = pareto(five, 1, &o);
    assert_int_equal(r.curve[0].customers, 1);
    assert_near(r.curve[0].share, 1.0);
    assert_near(r.customers_for_80, 1.0);
}

static void pareto_skewed_and_exact_80(void **state)
{
    (void)state;
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    /* 80, 5, 5, 5, 5: one customer (20 %) brings exactly 80 % */
    ev e[] = {P("a", 0, 8000), P("b", 0, 500), P("c", 0, 500), P("d", 0, 500), P("e", 0, 500)};
    kr_value_pareto r = pareto(e, 5, &o);
    assert_near(r.share_top_20, 0.8);
    assert_int_equal(r.customers_for_80_count, 1);
    assert_near(r.customers_for_80, 0.2);
    /* 7999 instead of 8000 (total 9999): 7999 < 0.8 * 9999 = 7999.2, so two are needed */
    e[0].cents = 7999;
    r = pareto(e, 5, &o);
    assert_int_equal(r.customers_for_80_count, 2);
    /* several purchases of one customer add up: a = 10 + 30, b = 40 -> tie at 40 */
    ev f[] = {P("a", 0, 1000), P("a", 1, 3000), P("b", 1, 4000), P("c", 1, 2000)};
    r = pareto(f, 4, &o);
    assert_int_equal(r.customers, 3);
    assert_int_equal(r.revenue_cents, 10000);
    assert_int_equal(r.curve[3].revenue_cents, 4000);
    assert_int_equal(r.customers_for_80_count, 2); /* 40 + 40 = 80 % */
}

static void pareto_as_of_period_and_who_counts(void **state)
{
    (void)state;
    ev e[] = {
        P("a", 0, 1000),                               /* day 0 */
        P("a", 10, 1000),                              /* day 10 */
        P("b", 5, 3000),                               /* day 5 */
        P("c", 20, 9000),                              /* after the as-of below */
        P("d", 5, 0),                                  /* zero revenue: no customer */
        {"e", 5, "purchase", -1, NULL, KR_TYPE_TRACK}, /* no value: no customer */
        {"f", 5, "refund", 5000, NULL, KR_TYPE_TRACK}, /* not a purchase */
    };
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    o.has_as_of = true;
    o.as_of_ms = T0 + 10 * DAY; /* inclusive: a's purchase on day 10 counts, c's does not */
    kr_value_pareto r = pareto(e, 7, &o);
    assert_int_equal(r.customers, 2);
    assert_int_equal(r.revenue_cents, 5000);
    assert_int_equal(r.curve[3].revenue_cents, 3000);
    /* period 7 days: (day 3, day 10]: a has 10.00 (day 10), b 30.00 (day 5) */
    o.period_ms = 7 * DAY;
    r = pareto(e, 7, &o);
    assert_int_equal(r.revenue_cents, 4000);
    /* period 5 days: (day 5, day 10]: b's purchase at exactly day 5 is outside */
    o.period_ms = 5 * DAY;
    r = pareto(e, 7, &o);
    assert_int_equal(r.customers, 1);
    assert_int_equal(r.revenue_cents, 1000);
    /* default as-of is the last event (day 20): c is in */
    kr_value_options d = KR_VALUE_OPTIONS_INIT;
    r = pareto(e, 7, &d);
    assert_int_equal(r.as_of_ms, T0 + 20 * DAY);
    assert_int_equal(r.customers, 3);
    /* another purchase event name */
    d.purchase = "refund";
    r = pareto(e, 7, &d);
    assert_int_equal(r.customers, 1);
    assert_int_equal(r.revenue_cents, 5000);
}

static void pareto_per_account(void **state)
{
    (void)state;
    /* account X: a 10 + b 20 = 30; account Y: c 50; d has no account and takes no part */
    ev e[] = {
        {"a", 0, "purchase", 1000, "X", KR_TYPE_TRACK},
        {"b", 0, "purchase", 2000, "X", KR_TYPE_TRACK},
        {"c", 0, "purchase", 5000, "Y", KR_TYPE_TRACK},
        {"d", 0, "purchase", 9000, NULL, KR_TYPE_TRACK},
    };
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    o.per = KR_VALUE_PER_ACCOUNT;
    kr_value_pareto r = pareto(e, 4, &o);
    assert_int_equal(r.customers, 2);
    assert_int_equal(r.revenue_cents, 8000);
    assert_int_equal(r.curve[3].revenue_cents, 5000);
    assert_int_equal(r.customers_for_80_count, 2); /* 50 / 80 < 80 % */
}

static void options_are_checked(void **state)
{
    (void)state;
    ev e[] = {P("a", 0, 1000)};
    kr_table *t = build(e, 1);
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    o.tiers[0] = 50, o.tiers[1] = 30, o.tiers[2] = 20;
    kr_value_pareto r;
    char err[128];
    assert_int_equal(kr_value_pareto_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    assert_non_null(strstr(err, "100"));
    kr_table_free(t);
}

static const kr_rfm_customer *rfm_of(const kr_value_rfm *r, const kr_table *t, const char *who)
{
    for (uint32_t i = 0; i < r->count; i++)
        if (kr_str_eq_cstr(kr_value_unit_name(t, KR_VALUE_PER_PERSON, r->customers[i].unit), who))
            return &r->customers[i];
    fail_msg("no customer %s", who);
    return NULL;
}

static void rfm_hand_worked_with_ties(void **state)
{
    (void)state;
    /* as-of day 100. days since the last purchase, purchases, revenue:
         a  1  1  10.00   (its purchase on day 101 is after as-of)
         b 10  2  40.00
         c 50  1  10.00
         d 50  3  15.00
         e 100 1 100.00
       R: worse = customers with more days: a 4, b 3, c 1, d 1, e 0 -> 1 + 5w/5 = 5 4 2 2 1
          (c and d tie at 50 days: both 2)
       F: worse = fewer purchases: a 0, b 3, c 0, d 4, e 0 -> 1 4 1 5 1 (three tie at 1: all 1)
       M: worse = less revenue: a 0, b 3, c 0, d 2, e 4 -> 1 4 1 3 5
       FM = (F + M + 1) / 2: a 1, b 4, c 1, d 4, e 3
       segments: a R5 FM1 New, b R4 FM4 Champions, c R2 FM1 Hibernating, d R2 FM4 At risk,
       e R1 FM3 At risk; f only looked, g bought after as-of: neither is a customer */
    ev e[] = {
        P("a", 99, 1000), P("a", 101, 50000),
        P("b", 80, 2000), P("b", 90, 2000),
        P("c", 50, 1000), P("d", 10, 500),
        P("d", 30, 500),  P("d", 50, 500),
        P("e", 0, 10000), {"f", 5, "view", -1, NULL, KR_TYPE_TRACK},
        P("g", 101, 700),
    };
    kr_table *t = build(e, sizeof e / sizeof *e);
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    o.has_as_of = true;
    o.as_of_ms = T0 + 100 * DAY;
    kr_value_rfm r;
    char err[128];
    assert_int_equal(kr_value_rfm_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.count, 5);
    assert_int_equal(r.revenue_cents, 1000 + 4000 + 1000 + 1500 + 10000);
    static const struct {
        const char *who;
        int64_t days;
        uint32_t freq;
        int64_t cents;
        uint8_t r, f, m;
        kr_rfm_segment seg;
    } want[] = {
        {"a", 1, 1, 1000, 5, 1, 1, KR_RFM_NEW},
        {"b", 10, 2, 4000, 4, 4, 4, KR_RFM_CHAMPIONS},
        {"c", 50, 1, 1000, 2, 1, 1, KR_RFM_HIBERNATING},
        {"d", 50, 3, 1500, 2, 5, 3, KR_RFM_AT_RISK},
        {"e", 100, 1, 10000, 1, 1, 5, KR_RFM_AT_RISK},
    };
    for (size_t k = 0; k < 5; k++) {
        const kr_rfm_customer *c = rfm_of(&r, t, want[k].who);
        assert_int_equal(c->recency_days, want[k].days);
        assert_int_equal(c->frequency, want[k].freq);
        assert_int_equal(c->monetary_cents, want[k].cents);
        assert_int_equal(c->r, want[k].r);
        assert_int_equal(c->f, want[k].f);
        assert_int_equal(c->m, want[k].m);
        assert_int_equal(c->segment, want[k].seg);
    }
    assert_int_equal(r.segments[KR_RFM_AT_RISK].customers, 2);
    assert_int_equal(r.segments[KR_RFM_AT_RISK].revenue_cents, 11500);
    assert_int_equal(r.scores[0][0], 1);
    assert_int_equal(r.scores[0][1], 2);
    assert_int_equal(r.scores[0][2], 0);
    assert_int_equal(r.scores[1][0], 3);
    kr_value_rfm_finish(&r);
    kr_table_free(t);
}

static void rfm_quintiles_distinct_and_all_equal(void **state)
{
    (void)state;
    /* ten customers bought on days 0..9, customer k once with k + 1 euro: distinct values
       give two customers per score, as NTILE(5) would; as-of day 9 */
    ev e[10];
    static const char *names[10] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"};
    for (int k = 0; k < 10; k++)
        e[k] = (ev)P(names[k], k, 100 * (k + 1));
    kr_table *t = build(e, 10);
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    kr_value_rfm r;
    char err[128];
    assert_int_equal(kr_value_rfm_run(&r, t, &o, err, sizeof err), KR_OK);
    for (int k = 0; k < 10; k++) {
        const kr_rfm_customer *c = rfm_of(&r, t, names[k]);
        assert_int_equal(c->recency_days, 9 - k);
        assert_int_equal(c->r, 1 + k / 2); /* the most recent (k9) scores 5 */
        assert_int_equal(c->m, 1 + k / 2);
        assert_int_equal(c->f, 1); /* all bought once: a tie, all 1 */
    }
    for (int s = 0; s < 5; s++) {
        assert_int_equal(r.scores[0][s], 2);
        assert_int_equal(r.scores[2][s], 2);
    }
    assert_int_equal(r.scores[1][0], 10);
    kr_value_rfm_finish(&r);
    kr_table_free(t);
    /* seven customers, values 1 1 2 2 2 3 9: worse counts 0 0 2 2 2 5 6 ->
       scores 1 + 5w/7 = 1 1 2 2 2 4 5 */
    ev f[] = {P("a", 0, 100), P("b", 0, 100), P("c", 0, 200), P("d", 0, 200),
              P("e", 0, 200), P("f", 0, 300), P("g", 0, 900)};
    t = build(f, 7);
    assert_int_equal(kr_value_rfm_run(&r, t, &o, err, sizeof err), KR_OK);
    static const uint8_t m[7] = {1, 1, 2, 2, 2, 4, 5};
    for (int k = 0; k < 7; k++) {
        char who[2] = {(char)('a' + k), 0};
        assert_int_equal(rfm_of(&r, t, who)->m, m[k]);
        assert_int_equal(rfm_of(&r, t, who)->r, 1); /* same day: all tie */
    }
    kr_value_rfm_finish(&r);
    kr_table_free(t);
}

static void rfm_segment_grid(void **state)
{
    (void)state;
    /* every one of the eleven segments has a cell; the corners */
    bool seen[KR_RFM_SEGMENTS] = {false};
    for (unsigned r = 1; r <= 5; r++)
        for (unsigned fm = 1; fm <= 5; fm++)
            seen[kr_rfm_segment_of(r, fm)] = true;
    for (int s = 0; s < KR_RFM_SEGMENTS; s++)
        assert_true(seen[s]);
    assert_int_equal(kr_rfm_segment_of(5, 5), KR_RFM_CHAMPIONS);
    assert_int_equal(kr_rfm_segment_of(1, 1), KR_RFM_LOST);
    assert_int_equal(kr_rfm_segment_of(1, 5), KR_RFM_CANNOT_LOSE);
    assert_int_equal(kr_rfm_segment_of(5, 1), KR_RFM_NEW);
    assert_int_equal(kr_rfm_segment_of(3, 3), KR_RFM_NEED_ATTENTION);
    assert_string_equal(kr_rfm_segment_name(KR_RFM_POTENTIAL_LOYALIST), "Potential loyalist");
    assert_null(kr_rfm_segment_name((kr_rfm_segment)KR_RFM_SEGMENTS));
}

static kr_value_pyramid pyramid(const kr_table *t, const kr_value_options *o)
{
    kr_value_pyramid r;
    char err[128];
    assert_int_equal(kr_value_pyramid_run(&r, t, o, err, sizeof err), KR_OK);
    return r;
}

static kr_pyramid_tier tier_of(const kr_value_pyramid *r, const kr_table *t, const char *who)
{
    uint32_t p;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr(who), &p), KR_OK);
    return (kr_pyramid_tier)r->tier[p];
}

static void pyramid_limits_and_ties(void **state)
{
    (void)state;
    /* ten active customers, tiers 10,20,30 %: limits ceil(1), ceil(3), ceil(6) = 1, 3, 6.
       revenues a 100, b 100, c..f 50, g..j 10: ranks 1 1 3 3 3 3 7 7 7 7.
       a and b tie at rank 1 <= 1: both top (the top holds 2, more than its 10 %);
       c..f rank 3 <= 3: all large; no rank falls in 4..6: medium is empty; g..j small */
    ev e[] = {P("a", 1, 10000), P("b", 1, 10000), P("c", 1, 5000), P("d", 1, 5000),
              P("e", 1, 5000),  P("f", 1, 5000),  P("g", 1, 1000), P("h", 1, 1000),
              P("i", 1, 1000),  P("j", 1, 1000)};
    kr_table *t = build(e, 10);
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    o.tiers[0] = 10, o.tiers[1] = 20, o.tiers[2] = 30;
    kr_value_pyramid r = pyramid(t, &o);
    assert_int_equal(r.active, 10);
    assert_int_equal(r.limits[0], 1);
    assert_int_equal(r.limits[1], 3);
    assert_int_equal(r.limits[2], 6);
    assert_int_equal(r.tiers[KR_PYRAMID_TOP].customers, 2);
    assert_int_equal(r.tiers[KR_PYRAMID_LARGE].customers, 4);
    assert_int_equal(r.tiers[KR_PYRAMID_MEDIUM].customers, 0);
    assert_int_equal(r.tiers[KR_PYRAMID_SMALL].customers, 4);
    assert_int_equal(r.tiers[KR_PYRAMID_TOP].revenue_cents, 20000);
    assert_near(r.tiers[KR_PYRAMID_TOP].revenue_share, 20000.0 / 44000);
    assert_int_equal(tier_of(&r, t, "b"), KR_PYRAMID_TOP);
    assert_int_equal(tier_of(&r, t, "f"), KR_PYRAMID_LARGE);
    kr_value_pyramid_finish(&r);
    /* the default 1,4,15 on ten: limits ceil(0.1), ceil(0.5), ceil(2) = 1, 1, 2: a and b top
       (tie), c..f rank 3 > 2: small; large and medium empty */
    kr_value_options d = KR_VALUE_OPTIONS_INIT;
    r = pyramid(t, &d);
    assert_int_equal(r.limits[0], 1);
    assert_int_equal(r.limits[1], 1);
    assert_int_equal(r.limits[2], 2);
    assert_int_equal(r.tiers[KR_PYRAMID_TOP].customers, 2);
    assert_int_equal(r.tiers[KR_PYRAMID_LARGE].customers, 0);
    assert_int_equal(r.tiers[KR_PYRAMID_MEDIUM].customers, 0);
    assert_int_equal(r.tiers[KR_PYRAMID_SMALL].customers, 8);
    kr_value_pyramid_finish(&r);
    /* 100 customers with distinct revenues: exactly 1, 4, 15, 80 */
    kr_table_free(t);
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (int k = 0; k < 100; k++) {
        char id[8];
        snprintf(id, sizeof id, "c%d", k);
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(id);
        x.time_ms = T0;
        x.event = kr_str_from_cstr("purchase");
        x.value_cents = 100 + k;
        x.has_value = true;
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    r = pyramid(t, &d);
    assert_int_equal(r.tiers[KR_PYRAMID_TOP].customers, 1);
    assert_int_equal(r.tiers[KR_PYRAMID_LARGE].customers, 4);
    assert_int_equal(r.tiers[KR_PYRAMID_MEDIUM].customers, 15);
    assert_int_equal(r.tiers[KR_PYRAMID_SMALL].customers, 80);
    assert_int_equal(tier_of(&r, t, "c99"), KR_PYRAMID_TOP);
    assert_int_equal(tier_of(&r, t, "c95"), KR_PYRAMID_LARGE);
    assert_int_equal(tier_of(&r, t, "c94"), KR_PYRAMID_MEDIUM);
    assert_int_equal(tier_of(&r, t, "c79"), KR_PYRAMID_SMALL);
    kr_value_pyramid_finish(&r);
    kr_table_free(t);
}

static void pyramid_lower_tiers_period_and_moves(void **state)
{
    (void)state;
    /* as-of day 400, period 365 days = (day 35, day 400]:
         a buys 50.00 on day 100 and 10.00 on day 390      active, 60.00
         b buys 20.00 on day 10                             inactive (before the period)
         c buys 30.00 on day 35, exactly at the period's    inactive
           start, which is outside
         p views on day 200                                 prospect
         s only an identify on day 300                      suspect
         z buys on day 401                                  after as-of: not there at all
       compared to day 200 (period (day -165, day 200]): a active 50.00, c 30.00, b 20.00:
       ranks a 1, c 2, b 3; tiers 34,33,32 % of 3 give limits ceil(1.02) = 2, ceil(2.01) = 3,
       ceil(2.97) = 3: a and c top, b large; p prospect; s not there yet. Now: a top (alone,
       same), b inactive (down from large), c inactive (down from top), p prospect (same),
       s suspect (new). */
    ev e[] = {P("a", 100, 5000),
              P("a", 390, 1000),
              P("b", 10, 2000),
              P("c", 35, 3000),
              {"p", 200, "view", -1, NULL, KR_TYPE_TRACK},
              {"s", 300, "identify", -1, NULL, KR_TYPE_IDENTIFY},
              P("z", 401, 9000)};
    kr_table *t = build(e, 7);
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    o.has_as_of = true;
    o.as_of_ms = T0 + 400 * DAY;
    o.tiers[0] = 34, o.tiers[1] = 33, o.tiers[2] = 32;
    o.has_compare_to = true;
    o.compare_to_ms = T0 + 200 * DAY;
    kr_value_pyramid r = pyramid(t, &o);
    assert_int_equal(r.active, 1);
    assert_int_equal(r.revenue_cents, 6000);
    assert_int_equal(tier_of(&r, t, "a"), KR_PYRAMID_TOP);
    assert_int_equal(tier_of(&r, t, "b"), KR_PYRAMID_INACTIVE);
    assert_int_equal(tier_of(&r, t, "c"), KR_PYRAMID_INACTIVE);
    assert_int_equal(tier_of(&r, t, "p"), KR_PYRAMID_PROSPECT);
    assert_int_equal(tier_of(&r, t, "s"), KR_PYRAMID_SUSPECT);
    assert_int_equal(tier_of(&r, t, "z"), KR_PYRAMID_NONE);
    assert_int_equal(r.tiers[KR_PYRAMID_INACTIVE].customers, 2);
    assert_int_equal(r.tiers[KR_PYRAMID_INACTIVE].revenue_cents, 0);
    assert_int_equal(r.tiers[KR_PYRAMID_SUSPECT].customers, 1);
    uint32_t p;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr("a"), &p), KR_OK);
    assert_int_equal(r.before[p], KR_PYRAMID_TOP);
    assert_int_equal(r.before_revenue[p], 5000);
    assert_int_equal(r.moves[KR_PYRAMID_TOP][KR_PYRAMID_TOP], 1);
    assert_int_equal(r.moves[KR_PYRAMID_TOP][KR_PYRAMID_INACTIVE], 1);   /* c */
    assert_int_equal(r.moves[KR_PYRAMID_LARGE][KR_PYRAMID_INACTIVE], 1); /* b */
    assert_int_equal(r.moves[KR_PYRAMID_PROSPECT][KR_PYRAMID_PROSPECT], 1);
    assert_int_equal(r.moves[KR_PYRAMID_NONE][KR_PYRAMID_SUSPECT], 1);
    assert_int_equal(r.moved_up, 0);
    assert_int_equal(r.moved_down, 2);
    assert_int_equal(r.stayed, 2);
    assert_int_equal(r.arrived, 1);
    kr_value_pyramid_finish(&r);
    /* compare-to must lie before as-of */
    o.compare_to_ms = o.as_of_ms;
    char err[128];
    assert_int_equal(kr_value_pyramid_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_value_pyramid_finish(&r);
    kr_table_free(t);
}

static void pyramid_per_account(void **state)
{
    (void)state;
    /* X: a 10 + b 30 = 40 (top), Y: c 20 (small with 1,4,15 on 2: limits 1, 1, 1);
       Z: d only viewed (prospect); e has no account */
    ev e[] = {
        {"a", 0, "purchase", 1000, "X", KR_TYPE_TRACK},
        {"b", 0, "purchase", 3000, "X", KR_TYPE_TRACK},
        {"c", 0, "purchase", 2000, "Y", KR_TYPE_TRACK},
        {"d", 0, "view", -1, "Z", KR_TYPE_TRACK},
        {"e", 0, "purchase", 9000, NULL, KR_TYPE_TRACK},
    };
    kr_table *t = build(e, 5);
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    o.per = KR_VALUE_PER_ACCOUNT;
    kr_value_pyramid r = pyramid(t, &o);
    assert_int_equal(r.active, 2);
    assert_int_equal(r.revenue_cents, 6000);
    assert_int_equal(r.tiers[KR_PYRAMID_TOP].customers, 1);
    assert_int_equal(r.tiers[KR_PYRAMID_TOP].revenue_cents, 4000);
    assert_int_equal(r.tiers[KR_PYRAMID_SMALL].customers, 1);
    assert_int_equal(r.tiers[KR_PYRAMID_PROSPECT].customers, 1);
    uint32_t x;
    assert_int_equal(kr_table_dict_find(t, KR_DICT_ACCOUNT, kr_str_from_cstr("X"), &x), KR_OK);
    assert_int_equal(r.tier[x], KR_PYRAMID_TOP);
    assert_true(kr_str_eq_cstr(kr_value_unit_name(t, KR_VALUE_PER_ACCOUNT, x), "X"));
    kr_value_pyramid_finish(&r);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pareto_equal_revenues),
        cmocka_unit_test(pareto_skewed_and_exact_80),
        cmocka_unit_test(pareto_as_of_period_and_who_counts),
        cmocka_unit_test(pareto_per_account),
        cmocka_unit_test(options_are_checked),
        cmocka_unit_test(rfm_hand_worked_with_ties),
        cmocka_unit_test(rfm_quintiles_distinct_and_all_equal),
        cmocka_unit_test(rfm_segment_grid),
        cmocka_unit_test(pyramid_limits_and_ties),
        cmocka_unit_test(pyramid_lower_tiers_period_and_moves),
        cmocka_unit_test(pyramid_per_account),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
