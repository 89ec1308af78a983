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

/* Runs steps over t with the options in o (steps and count set here). */
static void run(kr_funnel_result *r, const kr_table *t, kr_funnel_options *o, const char **steps,
                size_t n)
{
    o->steps = steps;
    o->step_count = n;
    char err[160];
    int rc = kr_funnel_run(r, t, o, err, sizeof err);
    if (rc != KR_OK)
        fail_msg("kr_funnel_run: %s", err);
}

static unsigned level_of(const kr_table *t, const kr_funnel_result *r, const char *person)
{
    uint32_t p;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr(person), &p), KR_OK);
    return r->level[p];
}

static void window_edge_and_latest_restart(void **state)
{
    (void)state;
    /* the end of the window counts: B at exactly start + window */
    ev e[] = {{"u", 0, "A", NULL}, {"u", 10, "B", NULL}};
    kr_table *t = build(e, 2);
    assert_int_equal(level(t, "A,B", 10, KR_FUNNEL_ORDERED), 2);
    assert_int_equal(level(t, "A,B", 9, KR_FUNNEL_ORDERED), 1);
    assert_int_equal(level(t, "A,B", 10, KR_FUNNEL_STRICT), 2);
    assert_int_equal(level(t, "A,B", 10, KR_FUNNEL_UNORDERED), 2);
    assert_int_equal(level(t, "A,B", 9, KR_FUNNEL_UNORDERED), 1);
    kr_table_free(t);
    /* several step-1 events: the latest before B starts the attempt; B's time counts from it */
    ev f[] = {{"u", 0, "A", NULL}, {"u", 3, "X", NULL}, {"u", 5, "A", NULL}, {"u", 12, "B", NULL}};
    t = build(f, 4);
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.window_ms = 10;
    kr_funnel_result r;
    const char *steps[] = {"A", "B"};
    run(&r, t, &o, steps, 2);
    assert_int_equal(r.steps[1].persons, 1);
    assert_int_equal(r.steps[1].median_ms, 7);
    kr_funnel_result_finish(&r);
    /* equal times across a restart: A@0, then B@5 listed before A@5; window 3 */
    ev g[] = {{"u", 0, "A", NULL}, {"u", 5, "B", NULL}, {"u", 5, "A", NULL}};
    kr_table_free(t);
    t = build(g, 3);
    assert_int_equal(level(t, "A,B", 3, KR_FUNNEL_ORDERED), 2);
    assert_int_equal(level(t, "A,B", 3, KR_FUNNEL_STRICT), 2);
    kr_table_free(t);
}

/* window 100, steps view,cart,buy, --exclude other:1-2; levels worked out by hand */
static const ev excl_events[] = {
    /* p1: other between view and cart: excluded */
    {"p1", 0, "view", NULL},
    {"p1", 5, "other", NULL},
    {"p1", 10, "cart", NULL},
    {"p1", 20, "buy", NULL},
    /* p2: other between cart and buy: not for 1-2 (level 3), excluded for 2-3 and 1-3 */
    {"p2", 0, "view", NULL},
    {"p2", 10, "cart", NULL},
    {"p2", 15, "other", NULL},
    {"p2", 20, "buy", NULL},
    /* p3: the first attempt is hit, a later clean one reaches cart: level 2 */
    {"p3", 0, "view", NULL},
    {"p3", 5, "other", NULL},
    {"p3", 30, "view", NULL},
    {"p3", 40, "cart", NULL},
    /* p4: other at the time of view does not count (strictly after): level 2 */
    {"p4", 0, "other", NULL},
    {"p4", 0, "view", NULL},
    {"p4", 10, "cart", NULL},
    /* p5: other at the time of cart does not count (strictly before): level 2 */
    {"p5", 0, "view", NULL},
    {"p5", 10, "cart", NULL},
    {"p5", 10, "other", NULL},
    /* p6: other after the window: level 1 */
    {"p6", 0, "view", NULL},
    {"p6", 200, "other", NULL},
    /* p7: never reaches cart, other inside the window: excluded */
    {"p7", 0, "view", NULL},
    {"p7", 50, "other", NULL},
};

static void exclusions_leave_persons_out(void **state)
{
    (void)state;
    kr_table *t = build(excl_events, sizeof excl_events / sizeof excl_events[0]);
    const char *steps[] = {"view", "cart", "buy"};
    kr_funnel_exclusion x = {"other", 1, 2};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.window_ms = 100;
    o.exclusions = &x;
    o.exclusion_count = 1;
    kr_funnel_result r;
    run(&r, t, &o, steps, 3);
    assert_int_equal(level_of(t, &r, "p1"), KR_FUNNEL_EXCLUDED);
    assert_int_equal(level_of(t, &r, "p2"), 3);
    assert_int_equal(level_of(t, &r, "p3"), 2);
    assert_int_equal(level_of(t, &r, "p4"), 2);
    assert_int_equal(level_of(t, &r, "p5"), 2);
    assert_int_equal(level_of(t, &r, "p6"), 1);
    assert_int_equal(level_of(t, &r, "p7"), KR_FUNNEL_EXCLUDED);
    assert_int_equal(r.total.excluded, 2);
    assert_int_equal(r.steps[0].persons, 5);
    assert_int_equal(r.steps[1].persons, 4);
    assert_int_equal(r.steps[2].persons, 1);
    kr_funnel_result_finish(&r);

    x = (kr_funnel_exclusion){"other", 2, 3};
    run(&r, t, &o, steps, 3);
    assert_int_equal(level_of(t, &r, "p1"), 3); /* other before cart: not in 2-3 */
    assert_int_equal(level_of(t, &r, "p2"), KR_FUNNEL_EXCLUDED);
    assert_int_equal(level_of(t, &r, "p5"), 2); /* at the time of cart: not after it */
    assert_int_equal(level_of(t, &r, "p7"), 1);
    kr_funnel_result_finish(&r);

    x = (kr_funnel_exclusion){"other", 0, 0}; /* the whole funnel */
    run(&r, t, &o, steps, 3);
    assert_int_equal(level_of(t, &r, "p1"), KR_FUNNEL_EXCLUDED);
    assert_int_equal(level_of(t, &r, "p2"), KR_FUNNEL_EXCLUDED);
    assert_int_equal(level_of(t, &r, "p6"), 1);
    kr_funnel_result_finish(&r);

    /* strict: an exclusion event also interrupts; the person is still left out */
    x = (kr_funnel_exclusion){"other", 1, 2};
    o.order = KR_FUNNEL_STRICT;
    run(&r, t, &o, steps, 3);
    assert_int_equal(level_of(t, &r, "p1"), KR_FUNNEL_EXCLUDED);
    assert_int_equal(level_of(t, &r, "p2"), 2); /* other after cart stops it at 2 */
    kr_funnel_result_finish(&r);

    /* bad ranges and unordered are refused */
    char err[160];
    x = (kr_funnel_exclusion){"other", 2, 4};
    o.order = KR_FUNNEL_ORDERED;
    o.steps = steps;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_funnel_result_finish(&r);
    x = (kr_funnel_exclusion){"other", 1, 2};
    o.order = KR_FUNNEL_UNORDERED;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    assert_string_equal(err, "exclusions need --order ordered or strict");
    kr_funnel_result_finish(&r);
    kr_table_free(t);
}

static void exclusion_arguments(void **state)
{
    (void)state;
    kr_funnel_exclusion x;
    char a[] = "other:1-2", b[] = "page:view", c[] = "other", d[] = "other:2-1", e[] = ":1-2";
    assert_int_equal(kr_funnel_exclusion_parse(&x, a), KR_OK);
    assert_string_equal(x.event, "other");
    assert_int_equal(x.from_step, 1);
    assert_int_equal(x.to_step, 2);
    assert_int_equal(kr_funnel_exclusion_parse(&x, b), KR_OK);
    assert_string_equal(x.event, "page:view");
    assert_int_equal(x.to_step, 0);
    assert_int_equal(kr_funnel_exclusion_parse(&x, c), KR_OK);
    assert_int_equal(kr_funnel_exclusion_parse(&x, d), KR_EINVAL);
    assert_int_equal(kr_funnel_exclusion_parse(&x, e), KR_EINVAL);
}

static const ev shop[] = {
    {"p1", 100, "view", "ad"},   {"p1", 200, "cart", "email"}, {"p1", 400, "buy", NULL},
    {"p2", 90, "view", "email"}, {"p2", 100, "view", "ad"},    {"p2", 150, "cart", NULL},
    {"p3", 100, "view", "ad"},   {"p3", 5000, "cart", NULL},   {"p4", 10, "other", NULL},
};

static void breakdown_by_channel(void **state)
{
    (void)state;
    kr_table *t = build(shop, sizeof shop / sizeof shop[0]);
    const char *steps[] = {"view", "cart", "buy"};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.window_ms = 1000;
    o.by = KR_FUNNEL_BY_CHANNEL;
    kr_funnel_result r;
    /* first touch: the earliest view: p1 ad, p2 email (not the ad view that starts its
       counted attempt), p3 ad */
    run(&r, t, &o, steps, 3);
    assert_int_equal(r.group_count, 2);
    assert_true(kr_str_eq_cstr(r.groups[0].value, "ad"));
    assert_int_equal(r.groups[0].steps[0].persons, 2);
    assert_int_equal(r.groups[0].steps[1].persons, 1);
    assert_int_equal(r.groups[0].steps[2].persons, 1);
    assert_true(kr_str_eq_cstr(r.groups[1].value, "email"));
    assert_int_equal(r.groups[1].steps[0].persons, 1);
    assert_int_equal(r.groups[1].steps[1].persons, 1);
    assert_int_equal(r.groups[1].steps[2].persons, 0);
    uint32_t p2;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr("p2"), &p2), KR_OK);
    assert_int_equal(r.group[p2], 1);
    char *json = kr_funnel_to_json(&r, &o, false);
    assert_non_null(strstr(json, "\"breakdown\":{\"by\":\"channel\",\"attribution\":\"first\","
                                 "\"values\":[{\"value\":\"ad\",\"excluded\":0,\"steps\":"));
    free(json);
    kr_funnel_result_finish(&r);
    /* last: the furthest step's event: p1 buy (no channel), p2 cart (none), p3 view (ad) */
    o.by_attribution = KR_FUNNEL_ATTR_LAST;
    run(&r, t, &o, steps, 3);
    assert_int_equal(r.group_count, 2);
    assert_int_equal(r.groups[0].value.len, 0);
    assert_int_equal(r.groups[0].steps[0].persons, 2);
    assert_true(kr_str_eq_cstr(r.groups[1].value, "ad"));
    kr_funnel_result_finish(&r);
    kr_table_free(t);
}

/* step:N attribution, caller-given person groups (personas) and step labels. */
static void breakdown_by_step_and_person_groups(void **state)
{
    (void)state;
    kr_table *t = build(shop, sizeof shop / sizeof shop[0]);
    const char *steps[] = {"view", "cart", "buy"};
    const char *labels[] = {"Bekeken", NULL, "Gekocht"};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.window_ms = 1000;
    o.by = KR_FUNNEL_BY_CHANNEL;
    o.by_attribution = KR_FUNNEL_ATTR_STEP;
    o.by_step = 2;
    o.labels = labels;
    kr_funnel_result r;
    /* step 2's event: p1 cart (email), p2 cart (no channel); p3's cart is outside the window,
       so p3 did not reach step 2: (none) */
    run(&r, t, &o, steps, 3);
    assert_string_equal(r.steps[0].name, "Bekeken");
    assert_string_equal(r.steps[1].name, "cart");
    assert_string_equal(r.steps[2].name, "Gekocht");
    assert_int_equal(r.group_count, 2);
    assert_int_equal(r.groups[0].value.len, 0);
    assert_int_equal(r.groups[0].steps[0].persons, 2);
    assert_int_equal(r.groups[0].steps[1].persons, 1);
    assert_int_equal(r.groups[0].steps[2].persons, 0);
    assert_true(kr_str_eq_cstr(r.groups[1].value, "email"));
    assert_int_equal(r.groups[1].steps[2].persons, 1);
    char *json = kr_funnel_to_json(&r, &o, false);
    assert_non_null(strstr(json, "\"breakdown\":{\"by\":\"channel\",\"attribution\":\"step\","
                                 "\"attribution_step\":2,\"values\":"));
    free(json);
    kr_funnel_result_finish(&r);
    char err[128];
    o.by_step = 4;
    o.steps = steps;
    assert_int_equal(kr_funnel_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    assert_string_equal(err, "attribution step 4: the funnel has steps 1 to 3");
    kr_funnel_result_finish(&r);

    /* person groups: p1 x, p2 y, p3 none (any number past the names), p4 x (not in the
       funnel); equal counts sort by name, "(none)" (empty) first */
    uint32_t group[4], p;
    const char *who[] = {"p1", "p2", "p3", "p4"};
    const uint32_t of[] = {0, 1, 7, 0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(kr_table_find_person(t, kr_str_from_cstr(who[i]), &p), KR_OK);
        group[p] = of[i];
    }
    const kr_str names[] = {kr_str_from_cstr("x"), kr_str_from_cstr("y")};
    o = (kr_funnel_options)KR_FUNNEL_OPTIONS_INIT;
    o.window_ms = 1000;
    o.by = KR_FUNNEL_BY_PERSON;
    o.by_person = (kr_funnel_person_groups){group, names, 2, "persona"};
    run(&r, t, &o, steps, 3);
    assert_int_equal(r.group_count, 3);
    assert_int_equal(r.groups[0].value.len, 0);
    assert_int_equal(r.groups[0].steps[0].persons, 1);
    assert_int_equal(r.groups[0].steps[1].persons, 0);
    assert_true(kr_str_eq_cstr(r.groups[1].value, "x"));
    assert_int_equal(r.groups[1].steps[2].persons, 1);
    assert_true(kr_str_eq_cstr(r.groups[2].value, "y"));
    assert_int_equal(r.groups[2].steps[1].persons, 1);
    assert_int_equal(r.groups[2].steps[2].persons, 0);
    json = kr_funnel_to_json(&r, &o, false);
    assert_non_null(strstr(json, "\"breakdown\":{\"by\":\"persona\","));
    free(json);
    kr_funnel_result_finish(&r);
    kr_table_free(t);
}

/* A kept free property of the first step-1 event; absent = (none); a key the table did not
   keep puts everyone in (none). */
static void breakdown_by_property(void **state)
{
    (void)state;
    static const struct {
        const char *user;
        int64_t t;
        const char *name, *utm;
    } rows[] = {
        {"p1", 100, "view", "google"}, {"p1", 150, "view", "bing"}, {"p1", 200, "cart", NULL},
        {"p2", 100, "view", "bing"},   {"p3", 100, "view", NULL},   {"p3", 300, "cart", "mail"},
    };
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("utm")), KR_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        kr_event x = KR_EVENT_INIT;
        kr_property prop = {kr_str_from_cstr("utm"), kr_str_from_cstr(rows[i].utm)};
        x.user_id = kr_str_from_cstr(rows[i].user);
        x.time_ms = rows[i].t;
        x.event = kr_str_from_cstr(rows[i].name);
        x.props = &prop;
        x.prop_count = rows[i].utm ? 1 : 0;
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    const char *steps[] = {"view", "cart"};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.by = KR_FUNNEL_BY_PROPERTY;
    o.by_property = kr_str_from_cstr("utm");
    kr_funnel_result r;
    run(&r, t, &o, steps, 2);
    /* p1: google (its first view), p2: bing, p3: (none) although its cart has one */
    assert_int_equal(r.group_count, 3);
    assert_int_equal(r.groups[0].value.len, 0);
    assert_int_equal(r.groups[0].steps[1].persons, 1);
    assert_true(kr_str_eq_cstr(r.groups[1].value, "bing"));
    assert_int_equal(r.groups[1].steps[1].persons, 0);
    assert_true(kr_str_eq_cstr(r.groups[2].value, "google"));
    assert_int_equal(r.groups[2].steps[1].persons, 1);
    char *json = kr_funnel_to_json(&r, &o, false);
    assert_non_null(strstr(json, "\"breakdown\":{\"by\":\"property\",\"property\":\"utm\","));
    free(json);
    kr_funnel_result_finish(&r);
    o.by_property = kr_str_from_cstr("campaign");
    run(&r, t, &o, steps, 2);
    assert_int_equal(r.group_count, 1);
    assert_int_equal(r.groups[0].value.len, 0);
    assert_int_equal(r.groups[0].steps[0].persons, 3);
    kr_funnel_result_finish(&r);
    kr_table_free(t);
}

static void times_histogram_and_ranges(void **state)
{
    (void)state;
    /* ten persons with A -> B after 1..10 minutes, B -> C 1 s later */
    ev e[30];
    char names[10][4];
    for (int i = 0; i < 10; i++) {
        snprintf(names[i], sizeof names[i], "u%d", i);
        int64_t d = (int64_t)((i * 7) % 10 + 1) * 60000; /* shuffled */
        e[3 * i] = (ev){names[i], 0, "A", NULL};
        e[3 * i + 1] = (ev){names[i], d, "B", NULL};
        e[3 * i + 2] = (ev){names[i], d + 1000, "C", NULL};
    }
    kr_table *t = build(e, 30);
    const char *steps[] = {"A", "B", "C"};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    kr_funnel_result r;
    run(&r, t, &o, steps, 3);
    assert_int_equal(r.steps[2].persons, 10);
    assert_int_equal(r.steps[1].median_ms, 5 * 60000); /* nearest rank 5 of 10 */
    assert_int_equal(r.steps[1].p90_ms, 9 * 60000);
    assert_true(r.steps[1].mean_ms == 5.5 * 60000);
    assert_int_equal(r.steps[2].median_ms, 1000);
    /* time to convert 1m1s .. 10m1s: bins [1m,5m) 4, [5m,15m) 6 */
    assert_int_equal(r.total.bins[0].persons, 0);
    assert_int_equal(r.total.bins[1].persons, 4);
    assert_int_equal(r.total.bins[2].persons, 6);
    assert_int_equal(r.total.median_convert_ms, 5 * 60000 + 1000);
    kr_funnel_result_finish(&r);
    /* --to 5m: only events before 5 minutes: B and C (1 s later) for 4 persons */
    o.has_to = true;
    o.to_ms = 5 * 60000;
    run(&r, t, &o, steps, 3);
    assert_int_equal(r.steps[0].persons, 10);
    assert_int_equal(r.steps[1].persons, 4);
    assert_int_equal(r.steps[2].persons, 4);
    assert_int_equal(r.steps[0].dropped, 6);
    kr_funnel_result_finish(&r);
    /* --from after A: nobody starts */
    o.has_to = false;
    o.has_from = true;
    o.from_ms = 1;
    run(&r, t, &o, steps, 3);
    assert_int_equal(r.steps[0].persons, 0);
    kr_funnel_result_finish(&r);
    kr_table_free(t);
}

static void strict_ignores_events_outside_the_range(void **state)
{
    (void)state;
    ev e[] = {{"u", 0, "A", NULL}, {"u", 5, "X", NULL}, {"u", 6, "A", NULL}, {"u", 7, "B", NULL}};
    kr_table *t = build(e, 4);
    const char *steps[] = {"A", "B"};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.order = KR_FUNNEL_STRICT;
    kr_funnel_result r;
    run(&r, t, &o, steps, 2);
    assert_int_equal(r.steps[1].persons, 0); /* X after the first A ends the scan */
    kr_funnel_result_finish(&r);
    o.has_from = true;
    o.from_ms = 6;
    run(&r, t, &o, steps, 2);
    assert_int_equal(r.steps[1].persons, 1);
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
        cmocka_unit_test(window_edge_and_latest_restart),
        cmocka_unit_test(exclusions_leave_persons_out),
        cmocka_unit_test(exclusion_arguments),
        cmocka_unit_test(breakdown_by_channel),
        cmocka_unit_test(breakdown_by_step_and_person_groups),
        cmocka_unit_test(breakdown_by_property),
        cmocka_unit_test(times_histogram_and_ranges),
        cmocka_unit_test(strict_ignores_events_outside_the_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
