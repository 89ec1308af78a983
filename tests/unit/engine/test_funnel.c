/*
 * test_funnel.c - funnels on tables built by hand. The first cases are ClickHouse's own
 * windowFunnel tests (tests/queries/0_stateless/00632_aggregation_window_funnel.sql), with
 * seconds as milliseconds here; the rest are worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/funnel.h"

typedef struct ev {
    const char *user;
    int64_t t;
    const char *name;
    const char *channel;
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
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

/* The level of the single person of t for steps (comma-separated). */
static unsigned level(const kr_table *t, const char *steps_csv, int64_t window,
                      kr_funnel_order order)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", steps_csv);
    const char *steps[KR_FUNNEL_MAX_STEPS];
    size_t n = 0;
    for (char *p = buf; p;) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        steps[n++] = p;
        p = c ? c + 1 : NULL;
    }
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.steps = steps;
    o.step_count = n;
    o.window_ms = window;
    o.order = order;
    kr_funnel_result r;
    char err[128];
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_OK);
    unsigned l = r.person_count ? r.level[0] : 0;
    kr_funnel_result_finish(&r);
    return l;
}

static const ev ch_events[] = {
    {"u", 0, "1000", NULL}, {"u", 1, "1001", NULL}, {"u", 2, "1002", NULL},
    {"u", 3, "1003", NULL}, {"u", 4, "1004", NULL}, {"u", 5, "1005", NULL},
    {"u", 6, "1006", NULL}, {"u", 7, "1007", NULL}, {"u", 8, "1008", NULL},
};

static void clickhouse_window_funnel_cases(void **state)
{
    (void)state;
    kr_table *t = build(ch_events, 9);
    assert_int_equal(level(t, "1000", 10000, KR_FUNNEL_ORDERED), 1);
    assert_int_equal(level(t, "1000,1001", 10000, KR_FUNNEL_ORDERED), 2);
    assert_int_equal(level(t, "1000,1001,1002", 10000, KR_FUNNEL_ORDERED), 3);
    assert_int_equal(level(t, "1000,1001,1002,1008", 10000, KR_FUNNEL_ORDERED), 4);
    assert_int_equal(level(t, "1000", 1, KR_FUNNEL_ORDERED), 1);
    /* the window's end is inclusive: 1005 at 5 = 3 + 2 counts */
    assert_int_equal(level(t, "1003,1004,1005,1006,1007", 2, KR_FUNNEL_ORDERED), 3);
    assert_int_equal(level(t, "1003,1004,1005,1006,1007", 3, KR_FUNNEL_ORDERED), 4);
    assert_int_equal(level(t, "1003,1004,1005,1006,1007", 4, KR_FUNNEL_ORDERED), 5);
    /* steps out of order never chain */
    assert_int_equal(level(t, "1008,1001", 10000, KR_FUNNEL_ORDERED), 1);
    assert_int_equal(level(t, "1001,1008", 10000, KR_FUNNEL_ORDERED), 2);
    kr_table_free(t);
}

static void later_first_step_restarts_and_can_go_further(void **state)
{
    (void)state;
    /* window 10: A@0 B@5 A@8 B@9 C@15: the attempt from A@8 reaches C (15 - 8 <= 10) */
    ev e[] = {{"u", 0, "A", NULL},
              {"u", 5, "B", NULL},
              {"u", 8, "A", NULL},
              {"u", 9, "B", NULL},
              {"u", 15, "C", NULL}};
    kr_table *t = build(e, 5);
    assert_int_equal(level(t, "A,B,C", 10, KR_FUNNEL_ORDERED), 3);
    assert_int_equal(level(t, "A,B,C", 6, KR_FUNNEL_ORDERED), 2);
    kr_table_free(t);
}

static void strict_order_stops_at_another_event(void **state)
{
    (void)state;
    /* ClickHouse's example: A->B->D->C gives 2 in strict order, 3 otherwise */
    ev e[] = {{"u", 1, "A", NULL}, {"u", 2, "B", NULL}, {"u", 3, "D", NULL}, {"u", 4, "C", NULL}};
    kr_table *t = build(e, 4);
    assert_int_equal(level(t, "A,B,C", 100, KR_FUNNEL_STRICT), 2);
    assert_int_equal(level(t, "A,B,C", 100, KR_FUNNEL_ORDERED), 3);
    kr_table_free(t);
    /* an event before the first step does not stop it */
    ev f[] = {{"u", 0, "D", NULL}, {"u", 1, "A", NULL}, {"u", 2, "B", NULL}, {"u", 3, "C", NULL}};
    t = build(f, 4);
    assert_int_equal(level(t, "A,B,C", 100, KR_FUNNEL_STRICT), 3);
    kr_table_free(t);
    /* a later step before its previous one stops it too: A C B */
    ev g[] = {{"u", 1, "A", NULL}, {"u", 2, "C", NULL}, {"u", 3, "B", NULL}};
    t = build(g, 3);
    assert_int_equal(level(t, "A,B,C", 100, KR_FUNNEL_STRICT), 1);
    assert_int_equal(level(t, "A,B,C", 100, KR_FUNNEL_ORDERED), 2);
    kr_table_free(t);
}

static void equal_times_take_steps_in_order(void **state)
{
    (void)state;
    /* B and A at the same time, B first in the input: sorted as A, B (ClickHouse) */
    ev e[] = {{"u", 5, "B", NULL}, {"u", 5, "A", NULL}};
    kr_table *t = build(e, 2);
    assert_int_equal(level(t, "A,B", 10, KR_FUNNEL_ORDERED), 2);
    kr_table_free(t);
    /* one event may be two steps that it both matches */
    ev f[] = {{"u", 5, "view", NULL}};
    t = build(f, 1);
    assert_int_equal(level(t, "view,view", 10, KR_FUNNEL_ORDERED), 2);
    kr_table_free(t);
}

static void unordered_counts_distinct_steps_in_a_window(void **state)
{
    (void)state;
    ev e[] = {{"u", 0, "C", NULL},
              {"u", 3, "A", NULL},
              {"u", 4, "C", NULL},
              {"u", 20, "B", NULL},
              {"u", 21, "A", NULL}};
    kr_table *t = build(e, 5);
    assert_int_equal(level(t, "A,B,C", 5, KR_FUNNEL_UNORDERED), 2);  /* {C,A} at 0..5 */
    assert_int_equal(level(t, "A,B,C", 20, KR_FUNNEL_UNORDERED), 3); /* C@0 .. B@20 */
    assert_int_equal(level(t, "A,B,C", 20, KR_FUNNEL_ORDERED), 2);   /* A@3 B@20; no C after */
    kr_table_free(t);
}

static void rules_ranges_and_the_result_table(void **state)
{
    (void)state;
    ev e[] = {
        {"p1", 100, "view", "ad"},    {"p1", 200, "cart", NULL}, {"p1", 400, "buy", NULL},
        {"p2", 100, "view", "email"}, {"p2", 150, "cart", NULL}, {"p3", 100, "view", "ad"},
        {"p3", 5000, "cart", NULL},   {"p4", 10, "other", NULL},
    };
    kr_table *t = build(e, 8);
    const char *steps[] = {"view", "cart", "buy"};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.steps = steps;
    o.step_count = 3;
    o.window_ms = 1000;
    kr_funnel_result r;
    char err[128];
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.person_count, 4);
    assert_int_equal(r.steps[0].persons, 3);
    assert_int_equal(r.steps[1].persons, 2); /* p3's cart is outside the window */
    assert_int_equal(r.steps[2].persons, 1);
    assert_int_equal(r.steps[0].dropped, 1);
    assert_int_equal(r.steps[1].dropped, 1);
    assert_true(r.steps[1].conversion_from_previous == 2.0 / 3.0);
    assert_true(r.steps[2].conversion_from_first == 1.0 / 3.0);
    /* times from view to cart: p1 100, p2 50 -> nearest-rank median 50, p90 100, mean 75 */
    assert_int_equal(r.steps[1].median_ms, 50);
    assert_int_equal(r.steps[1].p90_ms, 100);
    assert_true(r.steps[1].mean_ms == 75.0);
    assert_int_equal(r.steps[2].median_ms, 200);
    kr_funnel_result_finish(&r);

    /* a rule: only views from an ad */
    const char *rule[] = {"event=view&channel=ad", "cart"};
    o.steps = rule;
    o.step_count = 2;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.steps[0].persons, 2);
    assert_int_equal(r.steps[1].persons, 1);
    kr_funnel_result_finish(&r);

    /* a date range: events from 150 on only; p1 and p2 have no view left */
    o.steps = steps;
    o.step_count = 3;
    o.has_from = true;
    o.from_ms = 150;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.steps[0].persons, 0);
    kr_funnel_result_finish(&r);

    /* an unknown name is a step nobody reaches, not an error; a bad rule is */
    const char *unknown[] = {"view", "nothing"};
    o.has_from = false;
    o.steps = unknown;
    o.step_count = 2;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.steps[1].persons, 0);
    kr_funnel_result_finish(&r);
    const char *bad[] = {"view", "colour=red"};
    o.steps = bad;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    assert_string_equal(err,
                        "step 'colour=red': unknown key 'colour' (event, channel, device, type)");
    kr_funnel_result_finish(&r);
    o.step_count = 0;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_funnel_result_finish(&r);

    char *json;
    o.steps = steps;
    o.step_count = 3;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_OK);
    json = kr_funnel_to_json(&r, &o, false);
    assert_non_null(strstr(json, "\"steps\":[{\"step\":\"view\",\"persons\":3,"));
    free(json);
    kr_funnel_result_finish(&r);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clickhouse_window_funnel_cases),
        cmocka_unit_test(later_first_step_restarts_and_can_go_further),
        cmocka_unit_test(strict_order_stops_at_another_event),
        cmocka_unit_test(equal_times_take_steps_in_order),
        cmocka_unit_test(unordered_counts_distinct_steps_in_a_window),
        cmocka_unit_test(rules_ranges_and_the_result_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
