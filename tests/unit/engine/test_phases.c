/*
 * test_phases.c - phases reached, drop-off, entry times and breakdowns on a small data set
 * worked out by hand (skips, returns, two personas), and touchpoint matching.
 *
 * Model: phases A (touchpoint a: event x), B (b: event y; b2: event y2 on channel email;
 * micro-conversion b2), C (c: event "z_event"). Personas: mob (first device mobile), rest.
 * Conversion: touchpoint c. Repeat: event x at least twice.
 *
 *   person  device   events (seconds)                 furthest  last tp  entries A/B/C
 *   p1      mobile   x@0 y@10 "Z Event"@30            C         c        0 / 10 / 30
 *   p2      desktop  x@0 "z-event"@100                C (skips B) c      0 / 100 / 100
 *   p3      desktop  x@0 y2(email)@50 x@60            B (return) a       0 / 50
 *   p4      mobile   y@0 x@20                         B          a       0 / 0  (A after B)
 *   p5      mobile   foo@0                            -          -       not in the journey
 *   p6      desktop  x@0 y2(web)@5                    A          a       0  (y2 on web: none)
 *
 * All:   reached 5/4/2, entered 5/3/2, dropped 1/2/2; A->B times 10,100,50,0 -> median
 *        (nearest rank 2 of 4) 10 s, p90 (rank 4) 100 s; B->C 20,0 -> median 0, p90 20 s.
 * mob:   p1 p4 p5: persons 3, in journey 2, reached 2/2/1, dropped 0/1/1.
 * rest:  p2 p3 p6: persons 3, in journey 3, reached 3/2/1, dropped 1/1/1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/phases.h"

static const char model_yaml[] = "personas:\n"
                                 "  - {id: mob, match: {first_device: Mobile}}\n"
                                 "  - {id: rest}\n"
                                 "phases:\n"
                                 "  - id: A\n"
                                 "    touchpoints:\n"
                                 "      - {id: a, match: {event: x}}\n"
                                 "  - id: B\n"
                                 "    micro_conversions: [b2]\n"
                                 "    touchpoints:\n"
                                 "      - {id: b, match: {event: y}}\n"
                                 "      - {id: b2, match: {event: y2, channel: email}}\n"
                                 "  - id: C\n"
                                 "    touchpoints:\n"
                                 "      - {id: c, match: {event: z_event}}\n"
                                 "conversion: {touchpoint: c}\n"
                                 "repeat: {event: X, min_count: 2}\n";

typedef struct row {
    const char *user, *device, *event, *channel;
    int64_t seconds;
} row;

static const row rows[] = {
    {"p1", "mobile", "x", "", 0},          {"p1", "mobile", "y", "", 10},
    {"p1", "mobile", "Z Event", "", 30},   {"p2", "desktop", "x", "", 0},
    {"p2", "desktop", "z-event", "", 100}, {"p3", "desktop", "x", "", 0},
    {"p3", "desktop", "y2", "email", 50},  {"p3", "desktop", "x", "", 60},
    {"p4", "mobile", "y", "", 0},          {"p4", "mobile", "x", "", 20},
    {"p5", "mobile", "foo", "", 0},        {"p6", "desktop", "x", "", 0},
    {"p6", "desktop", "y2", "web", 5},
};

typedef struct fixture {
    kr_table *t;
    kr_model *m;
    kr_model_match *mm;
} fixture;

static int setup(void **state)
{
    static fixture f;
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        kr_event ev = KR_EVENT_INIT;
        ev.time_ms = INT64_C(1735689600000) + rows[i].seconds * 1000;
        ev.user_id = kr_str_from_cstr(rows[i].user);
        ev.device = kr_str_from_cstr(rows[i].device);
        ev.event = kr_str_from_cstr(rows[i].event);
        ev.channel = kr_str_from_cstr(rows[i].channel);
        assert_int_equal(kr_table_builder_add(b, &ev), KR_OK);
    }
    assert_int_equal(kr_table_builder_finish(b, &f.t), KR_OK);
    assert_int_equal(kr_model_load_string(&f.m, model_yaml, sizeof model_yaml - 1, "m.yaml"),
                     KR_OK);
    assert_int_equal(kr_model_match_new(&f.mm, f.m, f.t), KR_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kr_model_match_free(f->mm);
    kr_model_free(f->m);
    kr_table_free(f->t);
    return 0;
}

static uint32_t person(const fixture *f, const char *id)
{
    uint32_t p;
    assert_int_equal(kr_table_find_person(f->t, kr_str_from_cstr(id), &p), KR_OK);
    return p;
}

static void test_matching(void **state)
{
    fixture *f = *state;
    kr_table_columns c;
    kr_table_get_columns(f->t, &c);
    const uint16_t *tp = kr_model_match_events(f->mm);
    /* p1: a, b, c (case and separators ignored); p3: a, b2, a; p6: a, none (web, not email). */
    uint32_t p1 = person(f, "p1"), p3 = person(f, "p3"), p5 = person(f, "p5"), p6 = person(f, "p6");
    size_t s = c.person_start[p1];
    assert_int_equal(tp[s], 0);
    assert_int_equal(tp[s + 1], 1);
    assert_int_equal(tp[s + 2], 3);
    s = c.person_start[p3];
    assert_int_equal(tp[s + 1], 2);
    assert_int_equal(tp[s + 2], 0);
    assert_int_equal(tp[c.person_start[p5]], KR_MODEL_NONE);
    assert_int_equal(tp[c.person_start[p6] + 1], KR_MODEL_NONE);
    assert_int_equal(kr_model_match_touchpoint_events(f->mm, 0), 6);
    assert_int_equal(kr_model_match_touchpoint_events(f->mm, 2), 1);
    const uint32_t *ps = kr_model_match_personas(f->mm);
    assert_int_equal(ps[p1], 0);
    assert_int_equal(ps[p5], 0);
    assert_int_equal(ps[p3], 1);
    assert_int_equal(kr_model_match_persona_persons(f->mm, 0), 3);
}

static void check_row(const kr_phases_row *r, uint64_t reached, uint64_t entered, uint64_t dropped)
{
    assert_int_equal(r->reached, reached);
    assert_int_equal(r->entered, entered);
    assert_int_equal(r->dropped, dropped);
}

static void test_phase_table(void **state)
{
    fixture *f = *state;
    kr_phases_result r;
    assert_int_equal(kr_phases_run(&r, f->t, f->m, f->mm, NULL), KR_OK);
    assert_int_equal(r.group_count, 1);
    assert_int_equal(r.events, 13);
    assert_int_equal(r.matched_events, 11);
    const kr_phases_group *g = &r.groups[0];
    assert_int_equal(g->persons, 6);
    assert_int_equal(g->in_journey, 5);
    assert_int_equal(g->converted, 2); /* p1, p2 had touchpoint c */
    assert_int_equal(g->repeat, 1);    /* p3 did x twice */
    check_row(&g->rows[0], 5, 5, 1);
    check_row(&g->rows[1], 4, 3, 2);
    check_row(&g->rows[2], 2, 2, 2);
    assert_true(g->rows[0].conversion_prev == 1.0);
    assert_true(g->rows[1].conversion_prev == 0.8);
    assert_true(g->rows[2].conversion_prev == 0.5);
    assert_true(g->rows[2].conversion_first == 0.4);
    assert_int_equal(g->rows[0].to_next_count, 4);
    assert_int_equal(g->rows[0].median_to_next_ms, 10000);
    assert_int_equal(g->rows[0].p90_to_next_ms, 100000);
    assert_int_equal(g->rows[1].to_next_count, 2);
    assert_int_equal(g->rows[1].median_to_next_ms, 0);
    assert_int_equal(g->rows[1].p90_to_next_ms, 20000);
    assert_int_equal(g->rows[2].to_next_count, 0);
    /* Drop-off: A by p6 after a; B by p3 and p4, both after a (they went back); C after c. */
    assert_int_equal(g->rows[0].last_touchpoint_count, 1);
    assert_int_equal(g->rows[0].last_touchpoints[0].touchpoint, 0);
    assert_int_equal(g->rows[1].last_touchpoint_count, 1);
    assert_int_equal(g->rows[1].last_touchpoints[0].touchpoint, 0);
    assert_int_equal(g->rows[1].last_touchpoints[0].persons, 2);
    assert_int_equal(g->rows[2].last_touchpoints[0].touchpoint, 3);
    assert_int_equal(g->rows[2].last_touchpoints[0].persons, 2);
    assert_int_equal(g->rows[1].micro_persons[0], 1);
    assert_int_equal(g->touchpoint_persons[0], 5);
    char *json = kr_phases_to_json(&r, f->m, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"id\":\"B\",\"name\":\"B\",\"reached\":4,\"entered\":3,"
                                 "\"dropped\":2,\"conversion_prev\":0.8"));
    assert_non_null(strstr(json, "\"median_to_next_s\":10.0,\"p90_to_next_s\":100.0"));
    free(json);
    kr_phases_finish(&r);
}

static void test_by_persona(void **state)
{
    fixture *f = *state;
    kr_phases_options o = KR_PHASES_OPTIONS_INIT;
    o.by = KR_PHASES_BY_PERSONA;
    kr_phases_result r;
    assert_int_equal(kr_phases_run(&r, f->t, f->m, f->mm, &o), KR_OK);
    assert_int_equal(r.group_count, 3);
    /* Equal sizes: the lower persona index first. */
    const kr_phases_group *mob = &r.groups[1], *rest = &r.groups[2];
    assert_true(kr_str_eq_cstr(mob->key, "mob"));
    assert_true(kr_str_eq_cstr(rest->key, "rest"));
    assert_int_equal(mob->persons, 3);
    assert_int_equal(mob->in_journey, 2);
    check_row(&mob->rows[0], 2, 2, 0);
    check_row(&mob->rows[1], 2, 2, 1);
    check_row(&mob->rows[2], 1, 1, 1);
    assert_int_equal(rest->persons, 3);
    assert_int_equal(rest->in_journey, 3);
    check_row(&rest->rows[0], 3, 3, 1);
    check_row(&rest->rows[1], 2, 1, 1);
    check_row(&rest->rows[2], 1, 1, 1);
    /* The groups add up to the whole. */
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(mob->rows[k].reached + rest->rows[k].reached, r.groups[0].rows[k].reached);
    kr_phases_finish(&r);

    o.by = KR_PHASES_BY_DEVICE;
    assert_int_equal(kr_phases_run(&r, f->t, f->m, f->mm, &o), KR_OK);
    assert_int_equal(r.group_count, 3);
    assert_true(kr_str_eq_cstr(r.groups[1].key, "mobile")); /* code 1: first seen */
    assert_int_equal(r.groups[1].in_journey, 2);
    kr_phases_finish(&r);

    o.by = KR_PHASES_BY_CHANNEL;
    assert_int_equal(kr_phases_run(&r, f->t, f->m, f->mm, &o), KR_OK);
    assert_int_equal(r.group_count, 2); /* every first event has no channel */
    assert_true(kr_str_eq_cstr(r.groups[1].key, "(none)"));
    kr_phases_finish(&r);
}

static void test_empty_table(void **state)
{
    fixture *f = *state;
    kr_table_builder *b;
    kr_table *t;
    kr_model_match *mm;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    assert_int_equal(kr_model_match_new(&mm, f->m, t), KR_OK);
    kr_phases_result r;
    assert_int_equal(kr_phases_run(&r, t, f->m, mm, NULL), KR_OK);
    assert_int_equal(r.groups[0].persons, 0);
    assert_true(r.groups[0].rows[1].conversion_prev != r.groups[0].rows[1].conversion_prev);
    char *json = kr_phases_to_json(&r, f->m, false);
    assert_non_null(strstr(json, "\"conversion_prev\":null"));
    free(json);
    kr_phases_finish(&r);
    kr_model_match_free(mm);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_phase_table),
        cmocka_unit_test(test_by_persona),
        cmocka_unit_test(test_empty_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
