/*
 * test_time.c - timestamp parsing and formatting. Expected values were computed with
 * `date -u -d ... +%s` (GNU coreutils), independently of this code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/parse.h"

static int64_t parse_ok(const char *s, const kr_tz *tz)
{
    int64_t v = -42;
    int rc = kr_time_parse(&v, kr_str_from_cstr(s), tz);
    if (rc != KR_OK)
        fail_msg("'%s' did not parse", s);
    return v;
}

static void parse_bad(const char *s)
{
    int64_t v = 7;
    if (kr_time_parse(&v, kr_str_from_cstr(s), NULL) != KR_EPARSE)
        fail_msg("'%s' parsed", s);
    assert_int_equal(v, 7); /* untouched on failure */
}

static void iso_8601_forms(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2024-02-29T23:59:59.999+01:00", NULL), INT64_C(1709247599999));
    assert_int_equal(parse_ok("2024-03-01T10:00:00+01:00", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T09:00:00Z", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01t09:00:00z", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01 09:00:00Z", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T04:00:00-0500", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T10:00:00+01", NULL), INT64_C(1709283600000));
    /* dunnhumby's export */
    assert_int_equal(parse_ok("2017-01-28T14:06:53-0500", NULL), INT64_C(1485630413000));
    /* fractions: one digit, and more than three (truncated to ms) */
    assert_int_equal(parse_ok("2024-03-01T09:00:00.5Z", NULL), INT64_C(1709283600500));
    assert_int_equal(parse_ok("2024-03-01T09:00:00.123456Z", NULL), INT64_C(1709283600123));
    /* no seconds */
    assert_int_equal(parse_ok("2024-03-01T09:00Z", NULL), INT64_C(1709283600000));
    /* blanks around */
    assert_int_equal(parse_ok("  2024-03-01T09:00:00Z \r", NULL), INT64_C(1709283600000));
}

static void local_forms_are_utc_without_zone(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2024-03-01 09:00:00", NULL), INT64_C(1709283600000));
    /* REES46 export */
    assert_int_equal(parse_ok("2019-10-01 00:00:00 UTC", NULL), INT64_C(1569888000000));
    assert_int_equal(parse_ok("2019-10-01", NULL), INT64_C(1569888000000));
    assert_int_equal(parse_ok("2000-01-01", NULL), INT64_C(946684800000));
}

static void numbers_seconds_millis_and_dates(void **state)
{
    (void)state;
    /* Taobao: unix seconds */
    assert_int_equal(parse_ok("1511544070", NULL), INT64_C(1511544070000));
    assert_int_equal(parse_ok("1709283600123", NULL), INT64_C(1709283600123));
    assert_int_equal(parse_ok("0", NULL), 0);
    assert_int_equal(parse_ok("-1", NULL), -1000);
    /* CDNOW: YYYYMMDD */
    assert_int_equal(parse_ok("19970101", NULL), INT64_C(852076800000));
    /* 8 digits that are no valid date stay seconds */
    assert_int_equal(parse_ok("19971340", NULL), INT64_C(19971340000));
    /* 99,999,999,999 is the largest number read as seconds */
    assert_int_equal(parse_ok("99999999999", NULL), INT64_C(99999999999000));
    assert_int_equal(parse_ok("100000000000", NULL), INT64_C(100000000000));
}

static void invalid_dates_and_garbage(void **state)
{
    (void)state;
    parse_bad("");
    parse_bad("   ");
    parse_bad("2024-13-01");
    parse_bad("2024-00-10");
    parse_bad("2023-02-29"); /* not a leap year */
    parse_bad("2100-02-29"); /* not a leap year either */
    parse_bad("2024-04-31");
    parse_bad("2024-03-01T24:00:00Z");
    parse_bad("2024-03-01T10:60:00Z");
    parse_bad("2024-03-01T10:00:00+25:00");
    parse_bad("2024-03-01T10:00:00 Europe");
    parse_bad("2024-03-01X10:00:00");
    parse_bad("yesterday");
    parse_bad("12abc");
    parse_bad("2024-03-01T10:00:00.Z");
    assert_int_equal(parse_ok("2000-02-29", NULL), INT64_C(951782400000)); /* 400-year leap */
}

static void zones(void **state)
{
    (void)state;
    kr_tz *tz;
    assert_int_equal(kr_tz_open(&tz, "+02:00"), KR_OK);
    assert_int_equal(parse_ok("2024-03-01 11:00:00", tz), INT64_C(1709283600000));
    /* an explicit offset wins over the zone */
    assert_int_equal(parse_ok("2024-03-01T09:00:00Z", tz), INT64_C(1709283600000));
    kr_tz_free(tz);

    assert_int_equal(kr_tz_open(&tz, "Europe/Amsterdam"), KR_OK);
    /* winter: UTC+1; summer: UTC+2 */
    assert_int_equal(parse_ok("2024-03-01 10:00:00", tz), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-07-01 10:00:00", tz), INT64_C(1719820800000));
    /* just after the spring change (02:00 -> 03:00 local on 2024-03-31): 03:30 CEST */
    assert_int_equal(parse_ok("2024-03-31 03:30:00", tz), INT64_C(1711848600000));
    kr_tz_free(tz);

    assert_int_equal(kr_tz_open(&tz, "Nowhere/Atlantis"), KR_ENOTFOUND);
    assert_null(tz);
    assert_int_equal(kr_tz_open(&tz, "../../etc/passwd"), KR_ENOTFOUND);
}

static void formatting(void **state)
{
    (void)state;
    char buf[40];
    assert_int_equal(kr_time_format(buf, sizeof buf, INT64_C(1709283600000)), 20);
    assert_string_equal(buf, "2024-03-01T09:00:00Z");
    kr_time_format(buf, sizeof buf, INT64_C(1709247599999));
    assert_string_equal(buf, "2024-02-29T22:59:59.999Z");
    kr_time_format(buf, sizeof buf, -1000);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    kr_time_format(buf, sizeof buf, -1);
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    /* round trip over a range of days, leap years included */
    for (int64_t ms = -INT64_C(100000) * 86400000; ms < INT64_C(80000) * 86400000;
         ms += INT64_C(86400000) * 37 + 1234567) {
        kr_time_format(buf, sizeof buf, ms);
        assert_int_equal(parse_ok(buf, NULL), ms);
    }
}

static void durations(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("30m")), KR_OK);
    assert_int_equal(v, 30 * 60000);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("1h")), KR_OK);
    assert_int_equal(v, 3600000);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("14d")), KR_OK);
    assert_int_equal(v, INT64_C(14) * 86400000);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("2w")), KR_OK);
    assert_int_equal(v, INT64_C(14) * 86400000);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("1.5h")), KR_OK);
    assert_int_equal(v, 5400000);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("45")), KR_OK);
    assert_int_equal(v, 45000);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("250ms")), KR_OK);
    assert_int_equal(v, 250);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("7x")), KR_EPARSE);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("h")), KR_EPARSE);
    assert_int_equal(kr_duration_parse(&v, kr_str_from_cstr("")), KR_EPARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_8601_forms),
        cmocka_unit_test(local_forms_are_utc_without_zone),
        cmocka_unit_test(numbers_seconds_millis_and_dates),
        cmocka_unit_test(invalid_dates_and_garbage),
        cmocka_unit_test(zones),
        cmocka_unit_test(formatting),
        cmocka_unit_test(durations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
