/*
 * test_sessions.c - sessions on a table built by hand; the expected figures are worked out in
 * the comments (nearest-rank medians and p90, docs/paths.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/sessions.h"

typedef struct ev {
    const char *user;
    int64_t t;
    const char *device;
} ev;

#define MIN 60000

/*
 * gap 30 minutes:
 *   ann (mobile):  0, 10m, 40m (gap 30m exactly: same session)   -> 1 session, 40m, 3 events
 *   bob (desktop): 0, then 30m + 1 ms (new session), then 100m  -> 3 sessions of 0 ms, 1 event
 *                  (the second session's first event is on mobile)
 *   cas (none):    0, 5m                                       -> 1 session, 5m, 2 events
 * sessions 5, persons 3; per person 1, 3, 1 -> mean 5/3, median 1
 * durations 0, 0, 0, 5m, 40m -> median (rank 3) 0, p90 (rank 5) 40m, mean 9m
 * events 1, 1, 1, 2, 3 -> median 1, mean 8/5
 * by device of the first event: desktop 2, mobile 2 (ann + bob's second), "" 1
 */
static const ev evs[] = {
    {"ann", 0, "mobile"},  {"ann", 10 * MIN, "mobile"},     {"ann", 40 * MIN, "mobile"},
    {"bob", 0, "desktop"}, {"bob", 30 * MIN + 1, "mobile"}, {"bob", 100 * MIN, "desktop"},
    {"cas", 0, NULL},      {"cas", 5 * MIN, NULL},
};

static kr_table *build(void)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < sizeof evs / sizeof *evs; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(evs[i].user);
        x.time_ms = evs[i].t;
        x.event = kr_str_from_cstr("e");
        x.device = kr_str_from_cstr(evs[i].device);
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

static void worked_example(void **state)
{
    (void)state;
    kr_table *t = build();
    kr_sessions_options o = KR_SESSIONS_OPTIONS_INIT;
    kr_sessions_result r;
    assert_int_equal(kr_sessions_run(&r, t, &o), KR_OK);
    assert_int_equal(r.sessions, 5);
    assert_int_equal(r.persons, 3);
    assert_int_equal(r.events, 8);
    assert_true(r.sessions_per_person_mean > 5.0 / 3 - 1e-9 &&
                r.sessions_per_person_mean < 5.0 / 3 + 1e-9);
    assert_int_equal(r.sessions_per_person_median, 1);
    assert_int_equal(r.duration_median_ms, 0);
    assert_int_equal(r.duration_p90_ms, 40 * MIN);
    assert_true(r.duration_mean_ms == 9.0 * MIN);
    assert_int_equal(r.events_per_session_median, 1);
    assert_true(r.events_per_session_mean == 1.6);
    assert_int_equal(r.device_count, 3);
    /* 2 sessions each: desktop before mobile by name; then none */
    assert_true(kr_str_eq_cstr(r.devices[0].device, "desktop"));
    assert_int_equal(r.devices[0].sessions, 2);
    assert_true(r.devices[0].mean_duration_ms == 0.0);
    assert_true(kr_str_eq_cstr(r.devices[1].device, "mobile"));
    assert_int_equal(r.devices[1].sessions, 2);
    assert_true(r.devices[1].mean_duration_ms == 20.0 * MIN); /* (40m + 0) / 2 */
    assert_true(r.devices[1].mean_events == 2.0);
    assert_int_equal(r.devices[2].device.len, 0);
    assert_true(r.devices[2].share == 0.2);
    char *json = kr_sessions_to_json(&r, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"sessions\":5,\"persons\":3,\"events\":8"));
    assert_non_null(
        strstr(json, "\"duration_ms\":{\"median\":0,\"mean\":540000.0,\"p90\":2400000}"));
    free(json);
    kr_sessions_result_finish(&r);
    kr_table_free(t);
}

/* A gap of 30m - 1 ms splits ann's 30-minute gap too (6 sessions); a gap of 1 day joins
   everything into one session per person (3). A negative gap is refused. */
static void gap_boundary(void **state)
{
    (void)state;
    kr_table *t = build();
    kr_sessions_options o = {30 * MIN - 1};
    kr_sessions_result r;
    assert_int_equal(kr_sessions_run(&r, t, &o), KR_OK);
    assert_int_equal(r.sessions, 6);
    kr_sessions_result_finish(&r);
    o.gap_ms = 30 * MIN + 1; /* bob's 30m + 1 ms gap is not more than this */
    assert_int_equal(kr_sessions_run(&r, t, &o), KR_OK);
    assert_int_equal(r.sessions, 4);
    kr_sessions_result_finish(&r);
    o.gap_ms = 86400000;
    assert_int_equal(kr_sessions_run(&r, t, &o), KR_OK);
    assert_int_equal(r.sessions, 3);
    assert_int_equal(r.duration_p90_ms, 100 * MIN);
    kr_sessions_result_finish(&r);
    o.gap_ms = -1;
    assert_int_equal(kr_sessions_run(&r, t, &o), KR_EINVAL);
    kr_sessions_result_finish(&r);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example),
        cmocka_unit_test(gap_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
