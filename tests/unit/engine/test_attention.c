/*
 * test_attention.c - the attention monitor on a table built by hand; every expected figure is
 * worked out in the comment beside it (docs/attention.md has the rules).
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

#include "klantreis/attention.h"

#define DAY INT64_C(86400000)
#define T0 INT64_C(1714521600000) /* 2024-05-01T00:00:00Z */

typedef struct ev {
    const char *user;
    int64_t ms; /* after T0 */
    const char *name;
    int64_t cents; /* < 0: no value */
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
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

#define P(u, d, c)                                                                                 \
    {                                                                                              \
        u, (d)*DAY, "purchase", c                                                                  \
    }
#define CALL(u, ms)                                                                                \
    {                                                                                              \
        u, ms, "call", -1                                                                          \
    }

/*
 * as-of day 100, tiers 10,20,30, 10 active customers: limits 1, 3, 6.
 * revenue: a 1000 (top); b, c 450 (rank 2, large); d, e, f 100 (rank 4, medium); g h i j 50
 * (rank 7, small); k only viewed (prospect). Total 2400: value shares top 1000/2400, large
 * 900/2400, medium 300/2400, small 200/2400.
 * calls: a 1 at day 10 (exactly 90 days before as-of: a contact), b 1 at day 10 - 1 ms
 * (silent), c none (silent, never), d 2, g 3, h 4, i 1, k 2; j one at day -300 (before the
 * 365-day period: not counted, but its last touch) and one after as-of (ignored).
 * touches 14: top 1, large 1, medium 2, small 8, prospect 2.
 * ratios: top (1/14)/(1000/2400) = 0.171428..., large (1/14)/(900/2400) = 0.190476...,
 * medium (2/14)/(300/2400) = 1.142857..., small (8/14)/(200/2400) = 6.857142...
 * silent: c (rank 2, never) before b (rank 2, day 10 - 1 ms): none first.
 * busy (small with touches): h 4, g 3, i 1.
 */
static const ev data[] = {
    P("a", 50, 1000),
    P("b", 50, 450),
    P("c", 50, 450),
    P("d", 50, 100),
    P("e", 50, 100),
    P("f", 50, 100),
    P("g", 50, 50),
    P("h", 50, 50),
    P("i", 50, 50),
    P("j", 50, 50),
    {"k", 50 * DAY, "view", -1},
    CALL("a", 10 * DAY),
    CALL("b", 10 * DAY - 1),
    CALL("d", 20 * DAY),
    CALL("d", 21 * DAY),
    CALL("g", 1 * DAY),
    CALL("g", 2 * DAY),
    CALL("g", 3 * DAY),
    CALL("h", 1 * DAY),
    CALL("h", 2 * DAY),
    CALL("h", 3 * DAY),
    CALL("h", 4 * DAY),
    CALL("i", 60 * DAY),
    CALL("k", 60 * DAY),
    CALL("k", 61 * DAY),
    CALL("j", -300 * DAY),
    CALL("j", 101 * DAY),
};

static kr_attention_options options(void)
{
    kr_attention_options o = KR_ATTENTION_OPTIONS_INIT;
    static const char *const calls[] = {"call"};
    o.events = calls;
    o.event_count = 1;
    o.value.has_as_of = true;
    o.value.as_of_ms = T0 + 100 * DAY;
    o.value.tiers[0] = 10;
    o.value.tiers[1] = 20;
    o.value.tiers[2] = 30;
    return o;
}

static const char *name(const kr_table *t, uint32_t unit)
{
    static char buf[64];
    kr_str s = kr_value_unit_name(t, KR_VALUE_PER_PERSON, unit);
    snprintf(buf, sizeof buf, "%.*s", (int)s.len, s.ptr);
    return buf;
}

static void check(const kr_attention *a, const kr_table *t)
{
    assert_int_equal(a->touches, 14);
    assert_int_equal(a->revenue_cents, 2400);
    const kr_attention_tier *x = a->tiers;
    assert_int_equal(x[KR_PYRAMID_TOP].customers, 1);
    assert_int_equal(x[KR_PYRAMID_TOP].touches, 1);
    assert_near(x[KR_PYRAMID_TOP].ratio, (1.0 / 14) / (1000.0 / 2400));
    assert_int_equal(x[KR_PYRAMID_LARGE].customers, 2);
    assert_int_equal(x[KR_PYRAMID_LARGE].touched, 1);
    assert_near(x[KR_PYRAMID_LARGE].ratio, (1.0 / 14) / (900.0 / 2400));
    assert_int_equal(x[KR_PYRAMID_MEDIUM].touches, 2);
    assert_near(x[KR_PYRAMID_MEDIUM].ratio, 8.0 / 7);
    assert_int_equal(x[KR_PYRAMID_SMALL].customers, 4);
    assert_int_equal(x[KR_PYRAMID_SMALL].touches, 8);
    assert_int_equal(x[KR_PYRAMID_SMALL].touched, 3);
    assert_near(x[KR_PYRAMID_SMALL].attention_share, 8.0 / 14);
    assert_near(x[KR_PYRAMID_SMALL].value_share, 200.0 / 2400);
    assert_near(x[KR_PYRAMID_SMALL].ratio, 48.0 / 7);
    assert_int_equal(x[KR_PYRAMID_PROSPECT].touches, 2);
    assert_false(x[KR_PYRAMID_PROSPECT].has_ratio);
    assert_int_equal(a->silent_total, 2);
    assert_int_equal(a->silent_count, 2);
    assert_string_equal(name(t, a->silent[0].unit), "c");
    assert_int_equal(a->silent[0].last_touch_ms, INT64_MIN);
    assert_int_equal(a->silent[0].rank, 2);
    assert_string_equal(name(t, a->silent[1].unit), "b");
    assert_int_equal(a->silent[1].last_touch_ms, T0 + 10 * DAY - 1);
    assert_int_equal(a->busy_total, 3);
}

static void attention_by_event_names(void **state)
{
    (void)state;
    kr_table *t = build(data, sizeof data / sizeof *data);
    kr_attention_options o = options();
    kr_attention a;
    char err[128];
    assert_int_equal(kr_attention_run(&a, t, &o, err, sizeof err), KR_OK);
    check(&a, t);
    assert_int_equal(a.busy_count, 3);
    assert_string_equal(name(t, a.busy[0].unit), "h");
    assert_int_equal(a.busy[0].touches, 4);
    assert_string_equal(name(t, a.busy[1].unit), "g");
    assert_string_equal(name(t, a.busy[2].unit), "i");
    kr_attention_finish(&a);

    /* --top 1 cuts the lists, not the totals; 91 silent days make b's call a contact */
    o.top = 1;
    o.silent_ms = 91 * DAY;
    assert_int_equal(kr_attention_run(&a, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(a.silent_total, 1);
    assert_int_equal(a.silent_count, 1);
    assert_string_equal(name(t, a.silent[0].unit), "c");
    assert_int_equal(a.busy_total, 3);
    assert_int_equal(a.busy_count, 1);
    kr_attention_finish(&a);

    /* an event name not in the table: no touches, ratios 0, every top/large customer silent */
    static const char *const none[] = {"visit"};
    o = options();
    o.events = none;
    assert_int_equal(kr_attention_run(&a, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(a.touches, 0);
    assert_near(a.tiers[KR_PYRAMID_TOP].ratio, 0);
    assert_int_equal(a.silent_total, 3);
    kr_attention_finish(&a);
    kr_table_free(t);
}

static void attention_by_model(void **state)
{
    (void)state;
    static const char yaml[] = "phases:\n"
                               "  - id: A\n"
                               "    touchpoints:\n"
                               "      - {id: view, initiated_by: customer, match: {event: view}}\n"
                               "      - {id: call, initiated_by: company, match: {event: call}}\n"
                               "      - {id: buy, match: {event: purchase}}\n";
    kr_model *m;
    assert_int_equal(kr_model_load_string(&m, yaml, sizeof yaml - 1, "m.yaml"), KR_OK);
    kr_table *t = build(data, sizeof data / sizeof *data);
    kr_model_match *mm;
    assert_int_equal(kr_model_match_new(&mm, m, t), KR_OK);
    kr_attention_options o = options();
    o.events = NULL;
    o.event_count = 0;
    o.model = m;
    o.match = mm;
    kr_attention a;
    char err[128];
    assert_int_equal(kr_attention_run(&a, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(a.touchpoints, 1);
    check(&a, t);
    kr_attention_finish(&a);
    kr_model_match_free(mm);
    kr_model_free(m);

    /* a model without company touchpoints, and no model at all: refused */
    static const char plain[] = "phases:\n"
                                "  - id: A\n"
                                "    touchpoints:\n"
                                "      - {id: call, match: {event: call}}\n";
    assert_int_equal(kr_model_load_string(&m, plain, sizeof plain - 1, "p.yaml"), KR_OK);
    assert_int_equal(kr_model_match_new(&mm, m, t), KR_OK);
    o.model = m;
    o.match = mm;
    assert_int_equal(kr_attention_run(&a, t, &o, err, sizeof err), KR_EINVAL);
    kr_attention_finish(&a);
    o.model = NULL;
    o.match = NULL;
    assert_int_equal(kr_attention_run(&a, t, &o, err, sizeof err), KR_EINVAL);
    kr_attention_finish(&a);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
}

static void attention_per_account(void **state)
{
    (void)state;
    /* accounts X (u1 30.00, u2 70.00 = 100.00) and Y (u3 10.00); u4 has no account (ignored,
       its call too). Tiers 1,4,15 with 2 active: limits 1, 1, 1: X top, Y small.
       calls: u1 1, u3 2, u4 5: touches 3, top 1/3 vs 100/110, small 2/3 vs 10/110. */
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    struct {
        const char *user, *account, *name;
        int64_t day, cents;
    } e[] = {
        {"u1", "X", "purchase", 1, 3000}, {"u2", "X", "purchase", 1, 7000},
        {"u3", "Y", "purchase", 1, 1000}, {"u4", NULL, "purchase", 1, 9000},
        {"u1", "X", "call", 2, -1},       {"u3", "Y", "call", 2, -1},
        {"u3", "Y", "call", 3, -1},       {"u4", NULL, "call", 2, -1},
    };
    for (size_t i = 0; i < sizeof e / sizeof *e; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.account_id = kr_str_from_cstr(e[i].account);
        x.time_ms = T0 + e[i].day * DAY;
        x.event = kr_str_from_cstr(e[i].name);
        if (e[i].cents >= 0) {
            x.value_cents = e[i].cents;
            x.has_value = true;
        }
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    kr_attention_options o = KR_ATTENTION_OPTIONS_INIT;
    static const char *const calls[] = {"call"};
    o.events = calls;
    o.event_count = 1;
    o.value.per = KR_VALUE_PER_ACCOUNT;
    kr_attention a;
    char err[128];
    assert_int_equal(kr_attention_run(&a, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(a.touches, 3);
    assert_int_equal(a.tiers[KR_PYRAMID_TOP].customers, 1);
    assert_near(a.tiers[KR_PYRAMID_TOP].ratio, (1.0 / 3) / (100.0 / 110));
    assert_near(a.tiers[KR_PYRAMID_SMALL].ratio, (2.0 / 3) / (10.0 / 110));
    assert_int_equal(a.busy_total, 1);
    kr_str n = kr_value_unit_name(t, KR_VALUE_PER_ACCOUNT, a.busy[0].unit);
    assert_true(kr_str_eq_cstr(n, "Y"));
    kr_attention_finish(&a);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attention_by_event_names),
        cmocka_unit_test(attention_by_model),
        cmocka_unit_test(attention_per_account),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
