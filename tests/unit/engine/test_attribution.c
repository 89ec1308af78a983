/*
 * test_attribution.c - attribution models on tables and Markov chains worked out by hand
 * (the numbers are derived in the comments; docs/attribution.md has the definitions).
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

#include "klantreis/attribution.h"

#define H INT64_C(3600000)
#define D (24 * H)
#define EPS 1e-9

typedef struct ev {
    const char *user;
    int64_t t;
    const char *name;
    const char *channel;
    int64_t value; /* -1: none */
} ev;

static kr_table *build(const ev *e, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.time_ms = e[i].t;
        x.event = kr_str_from_cstr(e[i].name);
        x.channel = kr_str_from_cstr(e[i].channel);
        if (e[i].value >= 0) {
            x.value_cents = e[i].value;
            x.has_value = true;
        }
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

static const kr_attribution_row *row(const kr_attribution_result *r, const char *key)
{
    for (size_t i = 0; i < r->row_count; i++)
        if (kr_str_eq_cstr(r->rows[i].key, key))
            return &r->rows[i];
    fail_msg("no row %s", key);
    return NULL;
}

/*
 * ann:  email 0h, search 1h, ad 2h, purchase 3h (10.00)
 *   first email, last ad, linear 1/3 each, position .4/.2/.4; time decay with a 1h half-life:
 *   ages 3h, 2h, 1h weigh 1/8, 1/4, 1/2 (sum 7/8): email 1/7, search 2/7, ad 4/7.
 * bob:  search 0h, purchase 1h (5.00), email 2h, email 3h, purchase 4h (3.00)
 *   the first purchase: search in every model; the second: only the touches since the first
 *   purchase, email twice (position: 50/50, both email).
 * cees: ad 0h, purchase 40d (2.00): the ad is outside the 30-day lookback -> (no touch).
 * dirk: social 0h, never converts -> a null path for Markov.
 * eva:  purchase with channel email (no value): a conversion is never a touch -> (no touch).
 */
static const ev people[] = {
    {"ann", 0, "page", "email", -1},          {"ann", 1 * H, "page", "search", -1},
    {"ann", 2 * H, "page", "ad", -1},         {"ann", 3 * H, "purchase", NULL, 1000},
    {"bob", 0, "page", "search", -1},         {"bob", 1 * H, "purchase", NULL, 500},
    {"bob", 2 * H, "mail_open", "email", -1}, {"bob", 3 * H, "page", "email", -1},
    {"bob", 4 * H, "purchase", NULL, 300},    {"cees", 0, "page", "ad", -1},
    {"cees", 40 * D, "purchase", NULL, 200},  {"dirk", 0, "page", "social", -1},
    {"eva", 5 * H, "purchase", "email", -1},
};

static void rule_based_models(void **state)
{
    (void)state;
    kr_table *t = build(people, sizeof people / sizeof people[0]);
    kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
    o.conversion = "purchase";
    o.half_life_ms = H;
    kr_attribution_result r;
    char err[128];
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.persons, 5);
    assert_int_equal(r.conversions, 5);
    assert_int_equal(r.converted_persons, 4);
    assert_int_equal(r.touched_conversions, 3);
    assert_int_equal(r.revenue_cents, 2000);
    assert_int_equal(r.touched_revenue_cents, 1800);

    const kr_attribution_row *email = row(&r, "email"), *search = row(&r, "search");
    const kr_attribution_row *ad = row(&r, "ad"), *none = row(&r, "(no touch)");
    assert_true(none->no_touch);
    assert_int_equal(email->touches, 3);
    assert_int_equal(search->touches, 2);
    assert_int_equal(ad->touches, 1);

    assert_float_equal(email->conversions[KR_ATTR_FIRST], 2, EPS);
    assert_float_equal(search->conversions[KR_ATTR_FIRST], 1, EPS);
    assert_float_equal(ad->conversions[KR_ATTR_FIRST], 0, EPS);
    assert_float_equal(ad->conversions[KR_ATTR_LAST], 1, EPS);
    assert_float_equal(email->conversions[KR_ATTR_LAST], 1, EPS);
    assert_float_equal(search->conversions[KR_ATTR_LAST], 1, EPS);
    assert_float_equal(email->conversions[KR_ATTR_LINEAR], 4.0 / 3, EPS);
    assert_float_equal(search->conversions[KR_ATTR_LINEAR], 4.0 / 3, EPS);
    assert_float_equal(ad->conversions[KR_ATTR_LINEAR], 1.0 / 3, EPS);
    assert_float_equal(email->conversions[KR_ATTR_DECAY], 1 + 1.0 / 7, EPS);
    assert_float_equal(search->conversions[KR_ATTR_DECAY], 1 + 2.0 / 7, EPS);
    assert_float_equal(ad->conversions[KR_ATTR_DECAY], 4.0 / 7, EPS);
    assert_float_equal(email->conversions[KR_ATTR_POSITION], 1.4, EPS);
    assert_float_equal(search->conversions[KR_ATTR_POSITION], 1.2, EPS);
    assert_float_equal(ad->conversions[KR_ATTR_POSITION], 0.4, EPS);
    for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++) {
        assert_float_equal(none->conversions[m], 2, EPS);
        assert_float_equal(none->revenue_cents[m], 200, EPS);
        double sum = 0, rev = 0;
        for (size_t i = 0; i < r.row_count; i++) {
            sum += r.rows[i].conversions[m];
            rev += r.rows[i].revenue_cents[m];
        }
        assert_float_equal(sum, 5, EPS);
        assert_float_equal(rev, 2000, EPS);
    }
    assert_float_equal(email->revenue_cents[KR_ATTR_LINEAR], 1000.0 / 3 + 300, EPS);
    assert_float_equal(search->revenue_cents[KR_ATTR_LINEAR], 1000.0 / 3 + 500, EPS);
    assert_float_equal(ad->revenue_cents[KR_ATTR_DECAY], 4000.0 / 7, EPS);
    assert_float_equal(search->revenue_cents[KR_ATTR_POSITION], 200 + 500, EPS);

    /*
     * Markov paths: ann email>search>ad>conv, bob search>conv (his first purchase), dirk
     * social>null (cees converted without touches: no path; eva too).
     * p(ad) = 1, p(search) = 1/2 + 1/2 p(ad) = 1, p(email) = 1, p(social) = 0;
     * P = (1 + 1 + 0)/3 = 2/3. Without email: 1/3 (RE 1/2); without search: 0 (RE 1);
     * without ad: p(search) = 1/2, p(email) = 1/2, P = 1/3 (RE 1/2); without social: RE 0.
     * Sum 2: the 3 touched conversions go 0.75 / 1.5 / 0.75; revenue 1800 the same way.
     */
    assert_true(r.markov_ok);
    assert_int_equal(r.markov_states, 4);
    assert_int_equal(r.paths_converting, 2);
    assert_int_equal(r.paths_null, 1);
    assert_float_equal(r.p_conversion, 2.0 / 3, EPS);
    assert_float_equal(email->removal_effect, 0.5, EPS);
    assert_float_equal(search->removal_effect, 1.0, EPS);
    assert_float_equal(ad->removal_effect, 0.5, EPS);
    assert_float_equal(row(&r, "social")->removal_effect, 0.0, EPS);
    assert_float_equal(email->conversions[KR_ATTR_MARKOV], 0.75, EPS);
    assert_float_equal(search->conversions[KR_ATTR_MARKOV], 1.5, EPS);
    assert_float_equal(ad->conversions[KR_ATTR_MARKOV], 0.75, EPS);
    assert_float_equal(search->revenue_cents[KR_ATTR_MARKOV], 900, EPS);
    /* Rows: most linear conversions first, ties by key; (no touch) last. */
    assert_true(kr_str_eq_cstr(r.rows[0].key, "email"));
    assert_true(kr_str_eq_cstr(r.rows[1].key, "search"));
    assert_true(r.rows[r.row_count - 1].no_touch);
    kr_attribution_finish(&r);

    /* As of 2h: only bob's first purchase; null paths: ann email>search>ad, cees ad, dirk
       social. p(ad) = 0, p(search) = 1/2 (search -> conv, ad), p(email) = 1/2; P = 1/4.
       Without email 1/8 (RE 1/2), without search 0 (RE 1), ad and social RE 0: the one
       conversion goes 2/3 to search, 1/3 to email. */
    o.has_as_of = true;
    o.as_of_ms = 2 * H;
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.conversions, 1);
    assert_int_equal(r.paths_null, 3);
    assert_float_equal(r.p_conversion, 0.25, EPS);
    assert_float_equal(row(&r, "search")->conversions[KR_ATTR_MARKOV], 2.0 / 3, EPS);
    assert_float_equal(row(&r, "email")->conversions[KR_ATTR_MARKOV], 1.0 / 3, EPS);
    assert_float_equal(row(&r, "ad")->conversions[KR_ATTR_MARKOV], 0, EPS);
    kr_attribution_finish(&r);

    /* A 90-minute lookback: ann's purchase keeps search and ad only. */
    o.has_as_of = false;
    o.lookback_ms = 2 * H;
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_float_equal(row(&r, "search")->conversions[KR_ATTR_FIRST], 2, EPS);
    assert_float_equal(row(&r, "email")->conversions[KR_ATTR_FIRST], 1, EPS);
    kr_attribution_finish(&r);

    o.conversion = "nothing";
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.conversions, 0);
    kr_attribution_finish(&r);
    o.lookback_ms = 0;
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_attribution_finish(&r);
    kr_table_free(t);
}

/*
 * Three channels (Bryl's example): paths C1>C2>C3>conv, C1>null, C2>C3>null.
 * start: C1 2, C2 1; C1: C2 1, null 1; C2: C3 2; C3: conv 1, null 1.
 * p3 = 1/2, p2 = 1/2, p1 = 1/4; P = (2 * 1/4 + 1/2)/3 = 1/3.
 * Without C1: P = 1/6 (RE 1/2); without C2 or C3: P = 0 (RE 1). Shares .2 .4 .4.
 */
static void markov_three_channels(void **state)
{
    (void)state;
    enum { N = 3 };
    double start[N] = {2, 1, 0};
    double trans[N * (N + 2)] = {
        0, 1, 0, 0, 1, /* C1 -> C2, null */
        0, 0, 2, 0, 0, /* C2 -> C3 */
        0, 0, 0, 1, 1, /* C3 -> conv, null */
    };
    double re[N], p;
    assert_int_equal(kr_attribution_markov(re, &p, start, trans, N), KR_OK);
    assert_float_equal(p, 1.0 / 3, EPS);
    assert_float_equal(re[0], 0.5, EPS);
    assert_float_equal(re[1], 1.0, EPS);
    assert_float_equal(re[2], 1.0, EPS);

    /* The same on a table: one person per path. */
    static const ev paths[] = {
        {"p1", 0, "v", "C1", -1},   {"p1", 1, "v", "C2", -1}, {"p1", 2, "v", "C3", -1},
        {"p1", 3, "buy", NULL, -1}, {"p2", 0, "v", "C1", -1}, {"p3", 0, "v", "C2", -1},
        {"p3", 1, "v", "C3", -1},
    };
    kr_table *t = build(paths, sizeof paths / sizeof paths[0]);
    kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
    o.conversion = "buy";
    kr_attribution_result r;
    char err[128];
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_float_equal(r.p_conversion, 1.0 / 3, EPS);
    assert_float_equal(row(&r, "C1")->conversions[KR_ATTR_MARKOV], 0.2, EPS);
    assert_float_equal(row(&r, "C2")->conversions[KR_ATTR_MARKOV], 0.4, EPS);
    assert_float_equal(row(&r, "C3")->conversions[KR_ATTR_MARKOV], 0.4, EPS);
    kr_attribution_finish(&r);
    kr_table_free(t);
}

/*
 * A loop, so that the chain needs a real solve: start -> a, c (1 each); a -> b, null (1/2
 * each); b -> a, conv (1/2 each); c -> a, conv (1/2 each).
 * pa = pb/2, pb = pa/2 + 1/2 -> pa = 1/3, pb = 2/3, pc = 1/6 + 1/2 = 2/3; P = 1/2.
 * Without a: pb = pc = 1/2, P = 1/4 (RE 1/2). Without b: pa = 0, pc = 1/2, P = 1/4 (RE 1/2).
 * Without c: P = (1/3)/2 = 1/6 (RE 2/3).
 */
static void markov_loop(void **state)
{
    (void)state;
    enum { N = 3 };
    double start[N] = {1, 0, 1};
    double trans[N * (N + 2)] = {
        0, 1, 0, 0, 1, /* a -> b, null */
        1, 0, 0, 1, 0, /* b -> a, conv */
        1, 0, 0, 1, 0, /* c -> a, conv */
    };
    double re[N], p;
    assert_int_equal(kr_attribution_markov(re, &p, start, trans, N), KR_OK);
    assert_float_equal(p, 0.5, EPS);
    assert_float_equal(re[0], 0.5, EPS);
    assert_float_equal(re[1], 0.5, EPS);
    assert_float_equal(re[2], 2.0 / 3, EPS);
    /* Self-loops change nothing in an absorbing chain. */
    trans[0] = 5;
    assert_int_equal(kr_attribution_markov(re, &p, start, trans, N), KR_OK);
    assert_float_equal(p, 0.5, EPS);
    assert_float_equal(re[2], 2.0 / 3, EPS);
    assert_int_equal(kr_attribution_markov(re, &p, start, trans, KR_ATTR_MARKOV_MAX_STATES + 1),
                     KR_EINVAL);
}

/* Position based with 1, 2, 3 and 5 touches. */
static void position_based(void **state)
{
    (void)state;
    static const ev e[] = {
        {"a", 0, "v", "x", -1},
        {"a", 1, "buy", NULL, -1}, /* x 1 */
        {"b", 0, "v", "x", -1},
        {"b", 1, "v", "y", -1},
        {"b", 2, "buy", NULL, -1}, /* .5 .5 */
        {"c", 0, "v", "x", -1},
        {"c", 1, "v", "y", -1},
        {"c", 2, "v", "z", -1},
        {"c", 3, "buy", NULL, -1}, /* .4 .2 .4 */
        {"d", 0, "v", "z", -1},
        {"d", 1, "v", "x", -1},
        {"d", 2, "v", "y", -1},
        {"d", 3, "v", "x", -1},
        {"d", 4, "v", "x", -1},
        {"d", 5, "buy", NULL, -1}, /* z .4,
        x .2/3*2 + .4, y .2/3 */
    };
    kr_table *t = build(e, sizeof e / sizeof e[0]);
    kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
    o.conversion = "buy";
    kr_attribution_result r;
    char err[128];
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_float_equal(row(&r, "x")->conversions[KR_ATTR_POSITION], 1 + .5 + .4 + .4 + .4 / 3, EPS);
    assert_float_equal(row(&r, "y")->conversions[KR_ATTR_POSITION], .5 + .2 + .2 / 3, EPS);
    assert_float_equal(row(&r, "z")->conversions[KR_ATTR_POSITION], .4 + .4, EPS);
    assert_float_equal(row(&r, "x")->conversions[KR_ATTR_LINEAR], 1 + .5 + 1.0 / 3 + .6, EPS);
    kr_attribution_finish(&r);
    kr_table_free(t);
}

/* A touch at the same millisecond as the conversion counts for it, also when it comes after
   the conversion in the input; a second conversion at that millisecond gets no touch. */
static void same_millisecond(void **state)
{
    (void)state;
    static const ev e[] = {
        {"a", 5, "buy", NULL, 100},
        {"a", 5, "v", "x", -1},
        {"a", 5, "buy", NULL, 50},
        {"a", 6, "v", "y", -1},
    };
    kr_table *t = build(e, sizeof e / sizeof e[0]);
    kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
    o.conversion = "buy";
    kr_attribution_result r;
    char err[128];
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.conversions, 2);
    assert_int_equal(r.touched_conversions, 1);
    assert_float_equal(row(&r, "x")->conversions[KR_ATTR_LAST], 1, EPS);
    assert_float_equal(row(&r, "x")->revenue_cents[KR_ATTR_LAST], 100, EPS);
    assert_float_equal(row(&r, "(no touch)")->revenue_cents[KR_ATTR_LINEAR], 50, EPS);
    assert_int_equal(r.row_count, 2); /* y comes after the last conversion: no row */
    kr_attribution_finish(&r);
    kr_table_free(t);
}

/* Touchpoints (tags) instead of channels: events with a tag >= tag_count are no touch. */
static void touchpoints(void **state)
{
    (void)state;
    static const ev e[] = {
        {"a", 0, "view", NULL, -1},
        {"a", 1, "mail", "email", -1},
        {"a", 2, "other", NULL, -1},
        {"a", 3, "buy", NULL, 700},
    };
    kr_table *t = build(e, sizeof e / sizeof e[0]);
    /* the table keeps the events of one person in time order: view, mail, other, buy */
    static const uint16_t tags[] = {0, 1, UINT16_MAX, UINT16_MAX};
    const kr_str names[] = {kr_str_from_cstr("productpagina"), kr_str_from_cstr("nieuwsbrief")};
    kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
    o.conversion = "buy";
    o.touch = KR_ATTR_TOUCH_TAG;
    o.tags = tags;
    o.tag_names = names;
    o.tag_count = 2;
    kr_attribution_result r;
    char err[128];
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.row_count, 2);
    assert_float_equal(row(&r, "productpagina")->conversions[KR_ATTR_FIRST], 1, EPS);
    assert_float_equal(row(&r, "nieuwsbrief")->revenue_cents[KR_ATTR_LAST], 700, EPS);
    assert_float_equal(row(&r, "nieuwsbrief")->conversions[KR_ATTR_LINEAR], 0.5, EPS);
    kr_attribution_finish(&r);
    o.tags = NULL;
    assert_int_equal(kr_attribution_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_attribution_finish(&r);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rule_based_models), cmocka_unit_test(markov_three_channels),
        cmocka_unit_test(markov_loop),       cmocka_unit_test(position_based),
        cmocka_unit_test(same_millisecond),  cmocka_unit_test(touchpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
