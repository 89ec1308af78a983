/*
 * test_retention.c - cohort retention on tables built by hand; every expected number is worked
 * out in the comment beside it. 2024-01-01 is a Monday; 2024 is a leap year.
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

#include "klantreis/parse.h"
#include "klantreis/retention.h"

typedef struct ev {
    const char *user;
    const char *time; /* ISO 8601, UTC */
    const char *name;
} ev;

static int64_t ts(const char *iso)
{
    int64_t ms;
    assert_int_equal(kr_time_parse(&ms, kr_str_from_cstr(iso), NULL), KR_OK);
    return ms;
}

static kr_table *build(const ev *e, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.time_ms = ts(e[i].time);
        x.event = kr_str_from_cstr(e[i].name);
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

static void run(kr_retention_result *r, const kr_table *t, kr_retention_options *o)
{
    char err[128];
    assert_int_equal(kr_retention_run(r, t, o, err, sizeof err), KR_OK);
}

static void assert_returned(const kr_retention_cohort *co, const uint64_t *want, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (co->returned[k] != want[k])
            fail_msg("period %zu: returned %llu, want %llu", k, (unsigned long long)co->returned[k],
                     (unsigned long long)want[k]);
        assert_true(fabs(co->rate[k] - (double)want[k] / (double)co->size) < 1e-12);
    }
}

static void period_index_week(void **state)
{
    (void)state;
    kr_period w = KR_PERIOD_WEEK;
    /* Monday 2024-01-01 00:00 starts a week; Sunday 23:59:59.999 is in it; Monday 01-08 not. */
    int64_t mon = ts("2024-01-01T00:00:00Z");
    assert_int_equal(kr_period_index(w, mon), kr_period_index(w, ts("2024-01-07T23:59:59.999Z")));
    assert_int_equal(kr_period_index(w, mon) + 1, kr_period_index(w, ts("2024-01-08T00:00:00Z")));
    assert_int_equal(kr_period_index(w, mon) - 1, kr_period_index(w, ts("2023-12-31T23:59:59Z")));
    assert_int_equal(kr_period_start_ms(w, kr_period_index(w, ts("2024-01-03T12:00:00Z"))), mon);
    /* 1970-01-01 was a Thursday: its week starts on Monday 1969-12-29 (negative times). */
    assert_int_equal(kr_period_index(w, 0), 0);
    assert_int_equal(kr_period_start_ms(w, 0), ts("1969-12-29T00:00:00Z"));
    assert_int_equal(kr_period_index(w, ts("1969-12-28T23:00:00Z")), -1);
    /* Week across a year end: Monday 2024-12-30 to Sunday 2025-01-05. */
    assert_int_equal(kr_period_index(w, ts("2024-12-30T00:00:00Z")),
                     kr_period_index(w, ts("2025-01-05T23:00:00Z")));
    /* Leap day: Thursday 2024-02-29 is in the week of Monday 2024-02-26. */
    assert_int_equal(kr_period_start_ms(w, kr_period_index(w, ts("2024-02-29T12:00:00Z"))),
                     ts("2024-02-26T00:00:00Z"));
}

static void period_index_month_day(void **state)
{
    (void)state;
    kr_period m = KR_PERIOD_MONTH, d = KR_PERIOD_DAY;
    assert_int_equal(kr_period_index(m, 0), 0);
    assert_int_equal(kr_period_index(m, -1), -1); /* 1969-12-31T23:59:59.999 */
    assert_int_equal(kr_period_start_ms(m, -1), ts("1969-12-01T00:00:00Z"));
    assert_int_equal(kr_period_index(m, ts("2024-01-31T23:59:59.999Z")), (2024 - 1970) * 12 + 0);
    assert_int_equal(kr_period_index(m, ts("2024-02-01T00:00:00Z")), (2024 - 1970) * 12 + 1);
    assert_int_equal(kr_period_index(m, ts("2024-02-29T23:59:59Z")), (2024 - 1970) * 12 + 1);
    assert_int_equal(kr_period_index(m, ts("2024-03-01T00:00:00Z")), (2024 - 1970) * 12 + 2);
    assert_int_equal(kr_period_index(m, ts("2023-12-31T12:00:00Z")), (2023 - 1970) * 12 + 11);
    assert_int_equal(kr_period_start_ms(m, (2024 - 1970) * 12 + 2), ts("2024-03-01"));
    assert_int_equal(kr_period_start_ms(m, (2024 - 1970) * 12 + 12), ts("2025-01-01"));
    /* Days: the leap day is a day of its own. */
    assert_int_equal(kr_period_index(d, ts("2024-02-28T23:59:59Z")) + 1,
                     kr_period_index(d, ts("2024-02-29T00:00:00Z")));
    assert_int_equal(kr_period_index(d, ts("2024-02-29T23:59:59Z")) + 1,
                     kr_period_index(d, ts("2024-03-01T00:00:00Z")));
    assert_int_equal(kr_period_index(d, -1), -1);
    kr_period p;
    assert_int_equal(kr_period_parse(&p, "month"), KR_OK);
    assert_int_equal(p, KR_PERIOD_MONTH);
    assert_int_equal(kr_period_parse(&p, "year"), KR_EINVAL);
    assert_string_equal(kr_period_name(KR_PERIOD_DAY), "day");
}

/*
 * Weekly cohorts:
 *   ann  signup Mon 01-01 10:00; buy 01-01 09:00 (before the start: not a return),
 *        buy Sun 01-07 23:00 (w0, after the start), buy Mon 01-08 00:00 (w1)
 *   bob  signup Wed 01-03; signup again 01-10 (only the first counts); buy Sat 01-20 (w2)
 *   cees signup Mon 01-08 10:00, buy at the same millisecond (not after: not w0); no return
 *   dirk buy only: in no cohort
 * cohort 2024-01-01: ann, bob: size 2, returned [1, 1, 1, 0]
 * cohort 2024-01-08: cees: size 1, returned [0, 0, 0, 0]
 */
static const ev weekly[] = {
    {"ann", "2024-01-01T10:00:00Z", "signup"}, {"ann", "2024-01-01T09:00:00Z", "buy"},
    {"ann", "2024-01-07T23:00:00Z", "buy"},    {"ann", "2024-01-08T00:00:00Z", "buy"},
    {"bob", "2024-01-03T10:00:00Z", "signup"}, {"bob", "2024-01-10T10:00:00Z", "signup"},
    {"bob", "2024-01-20T10:00:00Z", "buy"},    {"cees", "2024-01-08T10:00:00Z", "signup"},
    {"cees", "2024-01-08T10:00:00Z", "buy"},   {"dirk", "2024-01-02T10:00:00Z", "buy"},
};

static void weekly_cohorts(void **state)
{
    (void)state;
    kr_table *t = build(weekly, sizeof weekly / sizeof *weekly);
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    o.start_event = "signup";
    o.return_event = "buy";
    o.purchase_event = "buy";
    o.periods = 3;
    kr_retention_result r;
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 2);
    assert_int_equal(r.persons, 3);
    assert_int_equal(r.cohorts[0].start_ms, ts("2024-01-01"));
    assert_int_equal(r.cohorts[0].size, 2);
    assert_returned(&r.cohorts[0], (const uint64_t[]){1, 1, 1, 0}, 4);
    assert_int_equal(r.cohorts[1].start_ms, ts("2024-01-08"));
    assert_int_equal(r.cohorts[1].size, 1);
    assert_returned(&r.cohorts[1], (const uint64_t[]){0, 0, 0, 0}, 4);
    /* buyers: ann 3, bob 1, cees 1, dirk 1 -> 4 buyers, 1 repeat. Gaps (ann): 01-01 09:00 ->
       01-07 23:00 = 6d14h, -> 01-08 00:00 = 1h; median of two = (6d14h + 1h) / 2 = 3.3125 d */
    assert_int_equal(r.purchasers, 4);
    assert_int_equal(r.repeat_purchasers, 1);
    assert_true(fabs(r.repeat_rate - 0.25) < 1e-12);
    assert_int_equal(r.purchase_gaps, 2);
    assert_true(fabs(r.median_days_between_purchases - 3.3125) < 1e-9);

    /* --periods 1: returns two weeks out are no longer counted. */
    kr_retention_result_finish(&r);
    o.periods = 1;
    run(&r, t, &o);
    assert_returned(&r.cohorts[0], (const uint64_t[]){1, 1}, 2);
    /* --periods 0: only the start week. */
    kr_retention_result_finish(&r);
    o.periods = 0;
    run(&r, t, &o);
    assert_returned(&r.cohorts[0], (const uint64_t[]){1}, 1);
    kr_retention_result_finish(&r);
    kr_table_free(t);
}

/* Start and return the same event: the start event itself is not a return, a second one in
   the same week is. ann: buy Tue 01-02, buy Fri 01-05 (w0), buy 01-16 (w2): [1, 0, 1].
   bob: buy once: [0, 0, 0]. Repeat: ann of ann and bob = 0.5; gaps 3d and 11d: median 7 d. */
static void start_equals_return(void **state)
{
    (void)state;
    static const ev e[] = {
        {"ann", "2024-01-02T08:00:00Z", "purchase"},
        {"ann", "2024-01-05T08:00:00Z", "purchase"},
        {"ann", "2024-01-16T08:00:00Z", "purchase"},
        {"bob", "2024-01-03T08:00:00Z", "purchase"},
    };
    kr_table *t = build(e, 4);
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    o.start_event = "purchase";
    o.return_event = "purchase";
    o.periods = 2;
    kr_retention_result r;
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 1);
    assert_int_equal(r.cohorts[0].size, 2);
    assert_returned(&r.cohorts[0], (const uint64_t[]){1, 0, 1}, 3);
    assert_true(fabs(r.repeat_rate - 0.5) < 1e-12);
    assert_true(fabs(r.median_days_between_purchases - 7.0) < 1e-9);
    kr_retention_result_finish(&r);
    kr_table_free(t);
}

/*
 * Monthly cohorts across the leap day:
 *   ann  signup 2024-01-31 23:00; login 2024-02-29 (m1), 2024-03-01 00:00 (m2)
 *   bob  signup 2024-02-29 12:00; login 2024-02-29 13:00 (m0), 2024-04-30 (m2)
 *   cees signup 2024-02-01 00:00; no login
 * cohort 2024-01: ann: [0, 1, 1]; cohort 2024-02: bob, cees: [1, 0, 1]
 */
static void monthly_leap(void **state)
{
    (void)state;
    static const ev e[] = {
        {"ann", "2024-01-31T23:00:00Z", "signup"},  {"ann", "2024-02-29T10:00:00Z", "login"},
        {"ann", "2024-03-01T00:00:00Z", "login"},   {"bob", "2024-02-29T12:00:00Z", "signup"},
        {"bob", "2024-02-29T13:00:00Z", "login"},   {"bob", "2024-04-30T23:59:59Z", "login"},
        {"cees", "2024-02-01T00:00:00Z", "signup"},
    };
    kr_table *t = build(e, sizeof e / sizeof *e);
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    o.start_event = "signup";
    o.return_event = "login";
    o.period = KR_PERIOD_MONTH;
    o.periods = 2;
    kr_retention_result r;
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 2);
    assert_int_equal(r.cohorts[0].start_ms, ts("2024-01-01"));
    assert_int_equal(r.cohorts[0].size, 1);
    assert_returned(&r.cohorts[0], (const uint64_t[]){0, 1, 1}, 3);
    assert_int_equal(r.cohorts[1].start_ms, ts("2024-02-01"));
    assert_int_equal(r.cohorts[1].size, 2);
    assert_returned(&r.cohorts[1], (const uint64_t[]){1, 0, 1}, 3);
    /* no purchase events: no buyers, rate 0, median undefined */
    assert_int_equal(r.purchasers, 0);
    assert_true(r.repeat_rate == 0.0);
    assert_true(isnan(r.median_days_between_purchases));
    kr_retention_result_finish(&r);

    /* Daily: ann's day is 01-31; 02-29 is 29 days later, outside --periods 2. bob: login the
       same day, after the signup: d0. cohorts 01-31, 02-01, 02-29. */
    o.period = KR_PERIOD_DAY;
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 3);
    assert_int_equal(r.cohorts[0].start_ms, ts("2024-01-31"));
    assert_returned(&r.cohorts[0], (const uint64_t[]){0, 0, 0}, 3);
    assert_int_equal(r.cohorts[1].start_ms, ts("2024-02-01"));
    assert_int_equal(r.cohorts[2].start_ms, ts("2024-02-29"));
    assert_returned(&r.cohorts[2], (const uint64_t[]){1, 0, 0}, 3);
    kr_retention_result_finish(&r);
    kr_table_free(t);
}

/* Daily across the leap day: signup 02-28 23:00, returns 02-29 01:00 (d1), 03-01 (d2). */
static void daily_leap(void **state)
{
    (void)state;
    static const ev e[] = {
        {"ann", "2024-02-28T23:00:00Z", "signup"},
        {"ann", "2024-02-29T01:00:00Z", "visit"},
        {"ann", "2024-03-01T05:00:00Z", "visit"},
        {"ann", "2024-03-01T06:00:00Z", "visit"}, /* same day again: counted once */
    };
    kr_table *t = build(e, 4);
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    o.start_event = "signup";
    o.return_event = "visit";
    o.period = KR_PERIOD_DAY;
    o.periods = 3;
    kr_retention_result r;
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 1);
    assert_returned(&r.cohorts[0], (const uint64_t[]){0, 1, 1, 0}, 4);
    kr_retention_result_finish(&r);
    kr_table_free(t);
}

/* --from/--to: only events in [from, to) exist. With from = 2024-01-04, bob's first signup
   (01-03) is gone and his 01-10 signup makes him cohort 2024-01-08, where his buy on 01-20 is
   w1; ann's signup is gone (no cohort); cees stays. to = 2024-01-20 also drops bob's buy. */
static void date_range(void **state)
{
    (void)state;
    kr_table *t = build(weekly, sizeof weekly / sizeof *weekly);
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    o.start_event = "signup";
    o.return_event = "buy";
    o.purchase_event = "buy";
    o.periods = 2;
    o.has_from = true;
    o.from_ms = ts("2024-01-04");
    kr_retention_result r;
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 1);
    assert_int_equal(r.cohorts[0].start_ms, ts("2024-01-08"));
    assert_int_equal(r.cohorts[0].size, 2);
    assert_returned(&r.cohorts[0], (const uint64_t[]){0, 1, 0}, 3);
    /* buyers in range: ann (01-07, 01-08: 2 -> repeat), bob (01-20), cees (01-08) */
    assert_int_equal(r.purchasers, 3);
    assert_int_equal(r.repeat_purchasers, 1);
    kr_retention_result_finish(&r);
    o.has_to = true;
    o.to_ms = ts("2024-01-20T10:00:00Z"); /* exclusive: the buy at exactly this time is out */
    run(&r, t, &o);
    assert_returned(&r.cohorts[0], (const uint64_t[]){0, 0, 0}, 3);
    assert_int_equal(r.purchasers, 2);
    kr_retention_result_finish(&r);
    kr_table_free(t);
}

static void unknown_events_and_errors(void **state)
{
    (void)state;
    kr_table *t = build(weekly, sizeof weekly / sizeof *weekly);
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    kr_retention_result r;
    char err[128];
    /* events nobody did: no cohorts, not an error */
    o.start_event = "nope";
    o.return_event = "nope2";
    o.purchase_event = "nope3";
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 0);
    assert_int_equal(r.persons, 0);
    assert_int_equal(r.purchasers, 0);
    char *json = kr_retention_to_json(&r, &o, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"cohorts\":[]"));
    assert_non_null(strstr(json, "\"median_days_between_purchases\":null"));
    free(json);
    kr_retention_result_finish(&r);
    /* start known, return unknown: a cohort with no returns */
    o.start_event = "signup";
    run(&r, t, &o);
    assert_int_equal(r.cohort_count, 2);
    assert_returned(&r.cohorts[0], (const uint64_t[]){0, 0, 0, 0, 0, 0, 0, 0, 0}, 9);
    kr_retention_result_finish(&r);

    o.start_event = NULL;
    assert_int_equal(kr_retention_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    assert_non_null(strstr(err, "--start"));
    kr_retention_result_finish(&r);
    o.start_event = "signup";
    o.return_event = "";
    assert_int_equal(kr_retention_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_retention_result_finish(&r);
    o.return_event = "buy";
    o.periods = KR_RETENTION_MAX_PERIODS + 1;
    assert_int_equal(kr_retention_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_retention_result_finish(&r);
    kr_table_free(t);
}

static void json_shape(void **state)
{
    (void)state;
    kr_table *t = build(weekly, sizeof weekly / sizeof *weekly);
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    o.start_event = "signup";
    o.return_event = "buy";
    o.purchase_event = "buy";
    o.periods = 1;
    kr_retention_result r;
    run(&r, t, &o);
    char *json = kr_retention_to_json(&r, &o, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"period\":\"week\""));
    assert_non_null(strstr(json, "{\"start\":\"2024-01-01\",\"size\":2,\"returned\":[1,1],"
                                 "\"rate\":[0.5,0.5]}"));
    assert_non_null(strstr(json, "\"repeat_rate\":0.25"));
    assert_non_null(strstr(json, "\"median_days_between_purchases\":3.3125"));
    free(json);
    kr_retention_result_finish(&r);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(period_index_week), cmocka_unit_test(period_index_month_day),
        cmocka_unit_test(weekly_cohorts),    cmocka_unit_test(start_equals_return),
        cmocka_unit_test(monthly_leap),      cmocka_unit_test(daily_leap),
        cmocka_unit_test(date_range),        cmocka_unit_test(unknown_events_and_errors),
        cmocka_unit_test(json_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
