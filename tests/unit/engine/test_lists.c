/*
 * test_lists.c - the action lists on tables built by hand; every expected row is worked out
 * in the comment beside it (docs/lists.md has the rules).
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

#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

#include "klantreis/lists.h"

#define HOUR INT64_C(3600000)
#define DAY INT64_C(86400000)
#define T0 INT64_C(1714521600000) /* 2024-05-01T00:00:00Z */

typedef struct ev {
    const char *user;
    int64_t ms; /* after T0 */
    const char *name;
    int64_t cents; /* < 0: no value */
    kr_score_scale scale;
    double score;
} ev;

static kr_table *build(const ev *e, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.time_ms = T0 + e[i].ms;
        x.event = kr_str_from_cstr(e[i].name);
        if (e[i].cents >= 0) {
            x.value_cents = e[i].cents;
            x.has_value = true;
        }
        if (e[i].scale != KR_SCALE_NONE) {
            x.has_score = true;
            x.score_scale = e[i].scale;
            x.score = e[i].score;
        }
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

#define P(u, ms, c)                                                                                \
    {                                                                                              \
        u, ms, "purchase", c, KR_SCALE_NONE, 0                                                     \
    }
#define PD(u, d, c) P(u, (d)*DAY, c)
#define CART(u, ms, c)                                                                             \
    {                                                                                              \
        u, ms, "add_to_cart", c, KR_SCALE_NONE, 0                                                  \
    }
#define NPS(u, d, s)                                                                               \
    {                                                                                              \
        u, (d)*DAY, "survey", -1, KR_SCALE_NPS, s                                                  \
    }

/* The row of person id, or NULL. */
static const kr_list_row *row_of(const kr_list *l, const kr_table *t, const char *id)
{
    uint32_t p;
    if (kr_table_find_person(t, kr_str_from_cstr(id), &p) < 0)
        return NULL;
    for (uint32_t i = 0; i < l->count; i++)
        if (l->rows[i].person == p)
            return &l->rows[i];
    return NULL;
}

static kr_table *run(kr_list *l, const ev *e, size_t n, kr_list_kind kind,
                     const kr_lists_options *o)
{
    kr_table *t = build(e, n);
    char err[128];
    assert_int_equal(kr_list_run(l, t, kind, o, err, sizeof err), KR_OK);
    return t;
}

static void abandoned_carts_window_boundaries(void **state)
{
    (void)state;
    kr_lists_options o = KR_LISTS_OPTIONS_INIT; /* 24 hours */
    o.value.has_as_of = true;
    o.value.as_of_ms = T0 + 100 * HOUR;
    ev e[] = {
        /* a: bought exactly 24 h after the cart: bought, not listed */
        CART("a", 0, -1),
        P("a", 24 * HOUR, 1000),
        /* b: bought 24 h + 1 ms after: too late, listed (one purchase, no cart value) */
        CART("b", 0, -1),
        P("b", 24 * HOUR + 1, 1000),
        /* c: never bought; the cart's value 15.00 */
        CART("c", 0, 1500),
        /* d: cart exactly 24 h before as-of: its window has closed, listed */
        CART("d", 76 * HOUR, -1),
        /* e: cart 1 ms later: window still open, not listed */
        CART("e", 76 * HOUR + 1, -1),
        /* f: bought after a first cart, then a second cart never bought: listed at 10 h */
        CART("f", 0, 500),
        P("f", HOUR, 500),
        CART("f", 10 * HOUR, 700),
        /* g: purchase at the same instant as the cart: bought */
        CART("g", 5 * HOUR, -1),
        P("g", 5 * HOUR, 100),
        /* h: a first cart abandoned, the latest one bought: not listed */
        CART("h", 0, -1),
        CART("h", 30 * HOUR, -1),
        P("h", 31 * HOUR, 100),
        /* i: a purchase only before its cart: listed */
        P("i", 0, 100),
        CART("i", 2 * HOUR, -1),
        /* j: a cart after as-of only: not listed */
        CART("j", 101 * HOUR, -1),
    };
    kr_list l;
    kr_table *t = run(&l, e, sizeof e / sizeof *e, KR_LIST_ABANDONED_CARTS, &o);
    assert_int_equal(l.count, 5);
    assert_null(row_of(&l, t, "a"));
    const kr_list_row *r = row_of(&l, t, "b");
    assert_non_null(r);
    assert_int_equal(r->time_ms, T0);
    assert_false(r->has_cents);
    assert_int_equal(r->count, 1);
    assert_non_null(r = row_of(&l, t, "c"));
    assert_true(r->has_cents);
    assert_int_equal(r->cents, 1500);
    assert_int_equal(r->count, 0);
    assert_non_null(r = row_of(&l, t, "d"));
    assert_null(row_of(&l, t, "e"));
    assert_non_null(r = row_of(&l, t, "f"));
    assert_int_equal(r->time_ms, T0 + 10 * HOUR);
    assert_int_equal(r->cents, 700);
    assert_null(row_of(&l, t, "g"));
    assert_null(row_of(&l, t, "h"));
    assert_non_null(row_of(&l, t, "i"));
    assert_null(row_of(&l, t, "j"));
    assert_string_equal(kr_list_reason(&l, r), "cart not bought within the window");
    kr_list_finish(&l);

    /* --hours 0: only a purchase at the cart's instant counts; d, e, b, f, i, c, h, a: every
       cart is listed except g's (bought at the same ms) and j's (after as-of) */
    o.window_ms = 0;
    kr_table_free(t);
    t = run(&l, e, sizeof e / sizeof *e, KR_LIST_ABANDONED_CARTS, &o);
    assert_int_equal(l.count, 8);
    assert_null(row_of(&l, t, "g"));
    kr_list_finish(&l);
    kr_table_free(t);
}

static void at_risk_from_rfm(void **state)
{
    (void)state;
    kr_lists_options o = KR_LISTS_OPTIONS_INIT;
    o.value.has_as_of = true;
    o.value.as_of_ms = T0 + 100 * DAY;
    /* five customers, all values distinct, so each score is 1 + the customers worse:
       a last day 10, 5 x 10.00: R1 F5 M5, FM 5: Cannot lose them (recency 90)
       b last day 20, 4 x 10.00: R2 F4 M4, FM 4: At risk (recency 80)
       c last day 30, 3 purchases: R3 FM3 Need attention; d R4 FM2 Potential loyalist;
       e R5 FM1 New */
    ev e[] = {
        PD("a", 6, 1000),  PD("a", 7, 1000),  PD("a", 8, 1000),  PD("a", 9, 1000),
        PD("a", 10, 1000), PD("b", 17, 1000), PD("b", 18, 1000), PD("b", 19, 1000),
        PD("b", 20, 1000), PD("c", 28, 1000), PD("c", 29, 1000), PD("c", 30, 1000),
        PD("d", 39, 1000), PD("d", 40, 1000), PD("e", 50, 1000),
    };
    kr_list l;
    kr_table *t = run(&l, e, sizeof e / sizeof *e, KR_LIST_AT_RISK, &o);
    assert_int_equal(l.count, 2);
    const kr_list_row *r = row_of(&l, t, "a");
    assert_non_null(r);
    assert_int_equal(r->code, KR_RFM_CANNOT_LOSE);
    assert_int_equal(r->days, 90);
    assert_int_equal(r->count, 5);
    assert_int_equal(r->cents, 5000);
    assert_int_equal(r->time_ms, T0 + 10 * DAY);
    assert_string_equal(kr_list_reason(&l, r), "RFM segment Cannot lose them");
    assert_non_null(r = row_of(&l, t, "b"));
    assert_int_equal(r->code, KR_RFM_AT_RISK);
    assert_int_equal(r->days, 80);
    assert_int_equal(r->count, 4);
    assert_string_equal(kr_list_reason(&l, r), "RFM segment At risk");
    kr_list_finish(&l);
    kr_table_free(t);
}

static void ambassadors_latest_nps(void **state)
{
    (void)state;
    kr_lists_options o = KR_LISTS_OPTIONS_INIT;
    o.value.has_as_of = true;
    o.value.as_of_ms = T0 + 100 * DAY;
    ev e[] = {
        /* a: NPS 9 (the boundary), 2 purchases: listed */
        NPS("a", 5, 9),
        PD("a", 1, 1000),
        PD("a", 2, 500),
        /* b: 10, later 6: the latest counts, not listed */
        NPS("b", 5, 10),
        NPS("b", 6, 6),
        PD("b", 1, 1000),
        PD("b", 2, 1000),
        /* c: 6, later 10, 3 purchases: listed */
        NPS("c", 5, 6),
        NPS("c", 6, 10),
        PD("c", 1, 100),
        PD("c", 2, 100),
        PD("c", 3, 100),
        /* d: 10 but one purchase: not listed */
        NPS("d", 5, 10),
        PD("d", 1, 1000),
        /* e: NPS 10, a later CSAT 5 (not NPS): listed */
        NPS("e", 5, 10),
        {"e", 6 * DAY, "review", -1, KR_SCALE_CSAT, 5},
        PD("e", 1, 200),
        PD("e", 2, 300),
        /* f: NPS 3, and a 10 after as-of: not listed */
        NPS("f", 5, 3),
        NPS("f", 101, 10),
        PD("f", 1, 1000),
        PD("f", 2, 1000),
        /* g: NPS 10, the second purchase after as-of: not listed */
        NPS("g", 5, 10),
        PD("g", 1, 1000),
        PD("g", 102, 1000),
        /* h: NPS 8: a passive, not listed */
        NPS("h", 5, 8),
        PD("h", 1, 1000),
        PD("h", 2, 1000),
    };
    kr_list l;
    kr_table *t = run(&l, e, sizeof e / sizeof *e, KR_LIST_AMBASSADORS, &o);
    assert_int_equal(l.count, 3);
    const kr_list_row *r = row_of(&l, t, "a");
    assert_non_null(r);
    assert_near(r->score, 9);
    assert_int_equal(r->count, 2);
    assert_int_equal(r->cents, 1500);
    assert_int_equal(r->time_ms, T0 + 5 * DAY);
    assert_non_null(r = row_of(&l, t, "c"));
    assert_near(r->score, 10);
    assert_int_equal(r->count, 3);
    assert_int_equal(r->time_ms, T0 + 6 * DAY);
    assert_non_null(r = row_of(&l, t, "e"));
    assert_int_equal(r->cents, 500);
    kr_list_finish(&l);
    kr_table_free(t);
}

static void win_back_tier_dropped(void **state)
{
    (void)state;
    kr_lists_options o = KR_LISTS_OPTIONS_INIT;
    o.value.has_as_of = true;
    o.value.as_of_ms = T0 + 80 * DAY;
    o.value.has_compare_to = true;
    o.value.compare_to_ms = T0 + 40 * DAY;
    o.value.period_ms = 30 * DAY;
    o.value.tiers[0] = 10;
    o.value.tiers[1] = 20;
    o.value.tiers[2] = 30;
    /* then, (day 10, day 40]: 10 active, limits 1, 3, 6: a 500 top, b 300 and c 200 large,
       d e f 100 medium (rank 4), g h i j 50 small (rank 7).
       now, (day 50, day 80]: 10 active, limits 1, 3, 6: k 2000 top, b 1000 large, d e f 100
       rank 3 large, a g h i j 50 rank 6 medium; c bought nothing: inactive.
       dropped: a (top -> medium), c (large -> inactive). k arrived (none then); l only
       viewed (prospect then and now). */
    ev e[] = {
        PD("a", 20, 500), PD("b", 20, 300),  PD("c", 20, 200),
        PD("d", 20, 100), PD("e", 20, 100),  PD("f", 20, 100),
        PD("g", 20, 50),  PD("h", 20, 50),   PD("i", 20, 50),
        PD("j", 20, 50),  PD("a", 60, 50),   PD("b", 60, 1000),
        PD("d", 60, 100), PD("e", 60, 100),  PD("f", 60, 100),
        PD("g", 60, 50),  PD("h", 60, 50),   PD("i", 60, 50),
        PD("j", 60, 50),  PD("k", 60, 2000), {"l", 20 * DAY, "view", -1, KR_SCALE_NONE, 0},
    };
    kr_list l;
    kr_table *t = run(&l, e, sizeof e / sizeof *e, KR_LIST_WIN_BACK, &o);
    assert_int_equal(l.count, 2);
    const kr_list_row *r = row_of(&l, t, "a");
    assert_non_null(r);
    assert_int_equal(r->before_code, KR_PYRAMID_TOP);
    assert_int_equal(r->code, KR_PYRAMID_MEDIUM);
    assert_int_equal(r->before_cents, 500);
    assert_int_equal(r->cents, 50);
    assert_non_null(r = row_of(&l, t, "c"));
    assert_int_equal(r->before_code, KR_PYRAMID_LARGE);
    assert_int_equal(r->code, KR_PYRAMID_INACTIVE);
    assert_int_equal(r->cents, 0);
    kr_list_finish(&l);

    /* without a comparison date: refused */
    char err[128];
    o.value.has_compare_to = false;
    assert_int_equal(kr_list_run(&l, t, KR_LIST_WIN_BACK, &o, err, sizeof err), KR_EINVAL);
    kr_list_finish(&l);
    kr_table_free(t);
}

static void next_purchase_median_gap(void **state)
{
    (void)state;
    kr_lists_options o = KR_LISTS_OPTIONS_INIT;
    o.value.has_as_of = true;
    o.value.as_of_ms = T0 + 100 * DAY;
    ev e[] = {
        /* a: days 10 20 30, median gap 10, 70 days since: overdue 60 */
        PD("a", 10, 100),
        PD("a", 20, 100),
        PD("a", 30, 100),
        /* b: days 70 80 90, gap 10, exactly 10 days since: listed, overdue 0 */
        PD("b", 70, 100),
        PD("b", 80, 100),
        PD("b", 90, 100),
        /* c: days 71 81 91: 9 days since, not yet */
        PD("c", 71, 100),
        PD("c", 81, 100),
        PD("c", 91, 100),
        /* d: two purchases only */
        PD("d", 10, 100),
        PD("d", 20, 100),
        /* e: days 0 10 40 60: gaps 10 30 20, median 20, 40 since: overdue 20 */
        PD("e", 0, 100),
        PD("e", 10, 100),
        PD("e", 40, 100),
        PD("e", 60, 100),
        /* f: days 45 50 60 80 85: gaps 5 10 20 5, median (5 + 10) / 2 = 7.5, 15 since:
           overdue 7.5 */
        PD("f", 45, 100),
        PD("f", 50, 100),
        PD("f", 60, 100),
        PD("f", 80, 100),
        PD("f", 85, 100),
        /* g: the third purchase after as-of: two up to as-of, not listed */
        PD("g", 10, 100),
        PD("g", 20, 100),
        PD("g", 101, 100),
    };
    kr_list l;
    kr_table *t = run(&l, e, sizeof e / sizeof *e, KR_LIST_NEXT_PURCHASE, &o);
    assert_int_equal(l.count, 4);
    const kr_list_row *r = row_of(&l, t, "a");
    assert_non_null(r);
    assert_int_equal(r->interval_ms, 10 * DAY);
    assert_int_equal(r->overdue_ms, 60 * DAY);
    assert_int_equal(r->days, 70);
    assert_int_equal(r->count, 3);
    assert_non_null(r = row_of(&l, t, "b"));
    assert_int_equal(r->overdue_ms, 0);
    assert_null(row_of(&l, t, "c"));
    assert_null(row_of(&l, t, "d"));
    assert_non_null(r = row_of(&l, t, "e"));
    assert_int_equal(r->interval_ms, 20 * DAY);
    assert_non_null(r = row_of(&l, t, "f"));
    assert_int_equal(r->interval_ms, 7 * DAY + DAY / 2);
    assert_int_equal(r->overdue_ms, 7 * DAY + DAY / 2);
    assert_int_equal(r->time_ms, T0 + 85 * DAY);
    assert_null(row_of(&l, t, "g"));
    kr_list_finish(&l);

    /* grace 10 days: a (60) and e (20) stay; b (0) and f (7.5) go */
    o.grace_ms = 10 * DAY;
    kr_table_free(t);
    t = run(&l, e, sizeof e / sizeof *e, KR_LIST_NEXT_PURCHASE, &o);
    assert_int_equal(l.count, 2);
    assert_non_null(row_of(&l, t, "a"));
    assert_non_null(row_of(&l, t, "e"));
    kr_list_finish(&l);
    kr_table_free(t);
}

static void names_and_options(void **state)
{
    (void)state;
    kr_list_kind k;
    for (int i = 0; i < KR_LIST_KINDS; i++) {
        assert_int_equal(kr_list_kind_parse(kr_list_name((kr_list_kind)i), &k), KR_OK);
        assert_int_equal(k, i);
    }
    assert_int_equal(kr_list_kind_parse("nope", &k), KR_ENOTFOUND);
    assert_null(kr_list_name(KR_LIST_KINDS));
    ev e[] = {PD("a", 1, 100)};
    kr_table *t = build(e, 1);
    kr_lists_options o = KR_LISTS_OPTIONS_INIT;
    kr_list l;
    char err[128];
    o.value.per = KR_VALUE_PER_ACCOUNT;
    assert_int_equal(kr_list_run(&l, t, KR_LIST_AT_RISK, &o, err, sizeof err), KR_EINVAL);
    kr_list_finish(&l);
    o.value.per = KR_VALUE_PER_PERSON;
    o.cart = "";
    assert_int_equal(kr_list_run(&l, t, KR_LIST_ABANDONED_CARTS, &o, err, sizeof err), KR_EINVAL);
    kr_list_finish(&l);
    /* no cart events at all: an empty list */
    o.cart = NULL;
    assert_int_equal(kr_list_run(&l, t, KR_LIST_ABANDONED_CARTS, &o, err, sizeof err), KR_OK);
    assert_int_equal(l.count, 0);
    kr_list_finish(&l);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(abandoned_carts_window_boundaries),
        cmocka_unit_test(at_risk_from_rfm),
        cmocka_unit_test(ambassadors_latest_nps),
        cmocka_unit_test(win_back_tier_dropped),
        cmocka_unit_test(next_purchase_median_gap),
        cmocka_unit_test(names_and_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
