/*
 * test_time.c - timestamp parsing and formatting, time zones and durations. Expected values
 * were computed independently with GNU date, e.g. `date -u -d '2024-02-29T23:59:59+01:00' +%s`
 * and `TZ=America/New_York date -d '2024-11-03 01:30' +%s`, not with this code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        fail_msg("'%s' parsed as %lld", s, (long long)v);
    assert_int_equal(v, 7); /* untouched on failure */
}

static void iso_8601_forms(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2024-02-29T23:59:59.999+01:00", NULL), INT64_C(1709247599999));
    assert_int_equal(parse_ok("2024-03-01T10:00:00+01:00", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T10:00:00+0100", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T10:00:00+01", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T09:00:00Z", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01t09:00:00z", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01 09:00:00Z", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T04:00:00-05:00", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01T14:30:00+05:30", NULL), INT64_C(1709283600000));
    /* dunnhumby's export */
    assert_int_equal(parse_ok("2017-01-28T14:06:53-0500", NULL), INT64_C(1485630413000));
    /* an offset after a blank, as some logs write it */
    assert_int_equal(parse_ok("2024-03-01 10:00:00 +0100", NULL), INT64_C(1709283600000));
    /* fractions: one digit, a comma, and more than three digits (truncated to ms) */
    assert_int_equal(parse_ok("2024-03-01T09:00:00.5Z", NULL), INT64_C(1709283600500));
    assert_int_equal(parse_ok("2024-03-01T09:00:00,25Z", NULL), INT64_C(1709283600250));
    assert_int_equal(parse_ok("2024-03-01T09:00:00.123456789Z", NULL), INT64_C(1709283600123));
    assert_int_equal(parse_ok("2024-03-01T09:00:00.999999+00:00", NULL), INT64_C(1709283600999));
    /* no seconds */
    assert_int_equal(parse_ok("2024-03-01T09:00Z", NULL), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01 09:00", NULL), INT64_C(1709283600000));
    /* blanks around */
    assert_int_equal(parse_ok("  2024-03-01T09:00:00Z \r\n", NULL), INT64_C(1709283600000));
    /* before 1970 and far ahead */
    assert_int_equal(parse_ok("1969-07-20T20:17:40Z", NULL), INT64_C(-14182940000));
    assert_int_equal(parse_ok("9999-12-31T23:59:59Z", NULL), INT64_C(253402300799000));
    assert_int_equal(parse_ok("0001-01-01", NULL), INT64_C(-62135596800000));
}

static void local_forms_are_utc_without_zone(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2024-03-01 09:00:00", NULL), INT64_C(1709283600000));
    /* REES46 export */
    assert_int_equal(parse_ok("2019-10-01 00:00:00 UTC", NULL), INT64_C(1569888000000));
    assert_int_equal(parse_ok("2019-10-01 00:00:00 utc", NULL), INT64_C(1569888000000));
    assert_int_equal(parse_ok("2019-10-01 00:00:00 GMT", NULL), INT64_C(1569888000000));
    assert_int_equal(parse_ok("2019-10-01 UTC", NULL), INT64_C(1569888000000));
    assert_int_equal(parse_ok("2019-10-01", NULL), INT64_C(1569888000000));
    assert_int_equal(parse_ok("2000-01-01", NULL), INT64_C(946684800000));
}

static void leap_days(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2024-02-29", NULL), INT64_C(1709164800000));
    assert_int_equal(parse_ok("2000-02-29", NULL), INT64_C(951782400000)); /* 400-year rule */
    assert_int_equal(parse_ok("2024-02-29T23:59:59Z", NULL) + 1000,
                     parse_ok("2024-03-01T00:00:00Z", NULL));
    parse_bad("2023-02-29");
    parse_bad("2100-02-29"); /* a century that is no leap year */
    parse_bad("1900-02-29");
    parse_bad("2024-02-30");
}

static void numbers_seconds_millis_and_dates(void **state)
{
    (void)state;
    /* Taobao: unix seconds */
    assert_int_equal(parse_ok("1511544070", NULL), INT64_C(1511544070000));
    assert_int_equal(parse_ok("1709283600123", NULL), INT64_C(1709283600123));
    assert_int_equal(parse_ok("0", NULL), 0);
    assert_int_equal(parse_ok("-1", NULL), -1000); /* JSON numbers can be negative */
    assert_int_equal(parse_ok(" 42 ", NULL), 42000);
    /* CDNOW: YYYYMMDD, 1900 to 2100 */
    assert_int_equal(parse_ok("19970101", NULL), INT64_C(852076800000));
    assert_int_equal(parse_ok("19000101", NULL), INT64_C(-2208988800000));
    assert_int_equal(parse_ok("21001231", NULL), INT64_C(4133894400000));
    /* 8 digits that are no date in range stay seconds */
    assert_int_equal(parse_ok("19971340", NULL), INT64_C(19971340000));
    assert_int_equal(parse_ok("21010101", NULL), INT64_C(21010101000));
    assert_int_equal(parse_ok("18991231", NULL), INT64_C(18991231000));
    assert_int_equal(parse_ok("20230229", NULL), INT64_C(20230229000));
    /* 99,999,999,999 is the largest number read as seconds */
    assert_int_equal(parse_ok("99999999999", NULL), INT64_C(99999999999000));
    assert_int_equal(parse_ok("100000000000", NULL), INT64_C(100000000000));
    assert_int_equal(parse_ok("9223372036854775807", NULL), INT64_MAX);
    parse_bad("9223372036854775808");
    parse_bad("99999999999999999999");
    parse_bad("+5");
    parse_bad("-");
    parse_bad("1e9");
    parse_bad("1511544070.5");
}

static void invalid_dates_and_garbage(void **state)
{
    (void)state;
    parse_bad("");
    parse_bad("   ");
    parse_bad("2024-13-01");
    parse_bad("2024-00-10");
    parse_bad("2024-01-00");
    parse_bad("2024-01-32");
    parse_bad("2024-04-31");
    parse_bad("2024-1-01");
    parse_bad("2024/01/01");
    parse_bad("24-01-01");
    parse_bad("2024-03-01T24:00:00Z");
    parse_bad("2024-03-01T24:00");
    parse_bad("2024-03-01T10:60:00Z");
    parse_bad("2024-03-01T10:00:60Z");
    parse_bad("2024-03-01T1:00:00Z");
    parse_bad("2024-03-01T10:00:0Z");
    parse_bad("2024-03-01T10:00:00+25:00");
    parse_bad("2024-03-01T10:00:00+01:60");
    parse_bad("2024-03-01T10:00:00+1");
    parse_bad("2024-03-01T10:00:00+01:0");
    parse_bad("2024-03-01T10:00:00 Europe");
    parse_bad("2024-03-01T10:00:00ZZ");
    parse_bad("2024-03-01T10:00:00 UTC+1");
    parse_bad("2024-03-01T10:00:00.Z");
    parse_bad("2024-03-01T");
    parse_bad("2024-03-01X10:00:00");
    parse_bad("2024-03-01Z");
    parse_bad("yesterday");
    parse_bad("12abc");
    int64_t v = 7;
    assert_int_equal(kr_time_parse(&v, KR_STR_NULL, NULL), KR_EPARSE);
    /* a view is read only as far as its length */
    assert_int_equal(kr_time_parse(&v, (kr_str){"2024-03-01T09:00:00Zjunk", 20}, NULL), KR_OK);
    assert_int_equal(v, INT64_C(1709283600000));
}

static void fixed_offset_zones(void **state)
{
    (void)state;
    kr_tz *tz;
    assert_int_equal(kr_tz_open(&tz, "+02:00"), KR_OK);
    assert_int_equal(parse_ok("2024-03-01 11:00:00", tz), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-03-01", tz), INT64_C(1709244000000));
    assert_int_equal(parse_ok("20240301", tz), INT64_C(1709244000000));
    /* an explicit offset or UTC wins over the zone; unix times have none */
    assert_int_equal(parse_ok("2024-03-01T09:00:00Z", tz), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2019-10-01 00:00:00 UTC", tz), INT64_C(1569888000000));
    assert_int_equal(parse_ok("1511544070", tz), INT64_C(1511544070000));
    kr_tz_free(tz);
    assert_int_equal(kr_tz_open(&tz, "-0530"), KR_OK);
    assert_int_equal(parse_ok("2024-03-01 03:30", tz), INT64_C(1709283600000));
    kr_tz_free(tz);
    const char *utc[] = {"UTC", "utc", "Z", "GMT", "Etc/UTC"};
    for (size_t i = 0; i < sizeof utc / sizeof *utc; i++) {
        assert_int_equal(kr_tz_open(&tz, utc[i]), KR_OK);
        assert_int_equal(parse_ok("2024-03-01 09:00", tz), INT64_C(1709283600000));
        kr_tz_free(tz);
    }
    assert_int_equal(kr_tz_open(&tz, "+24:00"), KR_ENOTFOUND);
    assert_null(tz);
    kr_tz_free(NULL);
}

static void iana_zones(void **state)
{
    (void)state;
    kr_tz *tz;
    assert_int_equal(kr_tz_open(&tz, "Europe/Amsterdam"), KR_OK);
    assert_int_equal(parse_ok("2024-03-01 10:00:00", tz), INT64_C(1709283600000)); /* CET */
    assert_int_equal(parse_ok("2024-07-01 10:00:00", tz), INT64_C(1719820800000)); /* CEST */
    /* spring forward, 2024-03-31 02:00 -> 03:00: a time in the gap reads with the old
       offset, so 02:30 is 03:30 summer time */
    assert_int_equal(parse_ok("2024-03-31 02:30:00", tz), INT64_C(1711848600000));
    assert_int_equal(parse_ok("2024-03-31 03:30:00", tz), INT64_C(1711848600000));
    /* fall back, 2024-10-27 03:00 -> 02:00: 02:30 happens twice; the first one is taken */
    assert_int_equal(parse_ok("2024-10-27 02:30:00", tz), INT64_C(1729989000000));
    assert_int_equal(parse_ok("2024-10-27 03:30:00", tz), INT64_C(1729996200000));
    /* past the transitions listed in the file: from its POSIX rule */
    assert_int_equal(parse_ok("2150-07-01 12:00", tz), INT64_C(5695956000000));
    assert_int_equal(parse_ok("2150-01-01 12:00", tz), INT64_C(5680321200000));
    /* before standard time: local mean time, +00:19:32 */
    assert_int_equal(parse_ok("1900-01-01 00:00", tz), INT64_C(-2208989972000));
    kr_tz_free(tz);

    assert_int_equal(kr_tz_open(&tz, "America/New_York"), KR_OK);
    assert_int_equal(parse_ok("2024-03-10 02:30", tz), INT64_C(1710055800000)); /* gap */
    assert_int_equal(parse_ok("2024-11-03 01:30", tz), INT64_C(1730611800000)); /* twice */
    assert_int_equal(parse_ok("2024-11-03 02:30", tz), INT64_C(1730619000000));
    assert_int_equal(parse_ok("2150-07-01 12:00", tz), INT64_C(5695977600000));
    kr_tz_free(tz);

    assert_int_equal(kr_tz_open(&tz, "Australia/Sydney"), KR_OK); /* summer in January */
    assert_int_equal(parse_ok("2024-07-01 10:00", tz), INT64_C(1719792000000));
    assert_int_equal(parse_ok("2024-01-15 10:00", tz), INT64_C(1705273200000));
    kr_tz_free(tz);

    assert_int_equal(kr_tz_open(&tz, "Asia/Kolkata"), KR_OK);
    assert_int_equal(parse_ok("2024-06-01 12:00", tz), INT64_C(1717223400000));
    kr_tz_free(tz);

    assert_int_equal(kr_tz_open(&tz, "Nowhere/Atlantis"), KR_ENOTFOUND);
    assert_null(tz);
    assert_int_equal(kr_tz_open(&tz, "../../etc/passwd"), KR_ENOTFOUND);
    assert_int_equal(kr_tz_open(&tz, "/etc/passwd"), KR_ENOTFOUND);
    assert_int_equal(kr_tz_open(&tz, "Europe"), KR_ENOTFOUND); /* a folder */
    assert_int_equal(kr_tz_open(&tz, ""), KR_ENOTFOUND);
    assert_int_equal(kr_tz_open(&tz, NULL), KR_ENOTFOUND);
}

/* The hour cache must never hand out another hour's offset, whatever the order of calls. */
static void hour_cache_across_a_transition(void **state)
{
    (void)state;
    kr_tz *tz;
    assert_int_equal(kr_tz_open(&tz, "Europe/Amsterdam"), KR_OK);
    char buf[32];
    for (int round = 0; round < 2; round++) {
        for (int h = 0; h < 48; h++) {
            int hh = round ? 47 - h : h;
            int day = 26 + hh / 24, hour = hh % 24;
            for (int m = 0; m < 60; m += 29) {
                snprintf(buf, sizeof buf, "2024-10-%02d %02d:%02d", day, hour, m);
                int64_t local = INT64_C(1729900800000) + ((int64_t)hh * 60 + m) * 60000;
                /* CEST until the first 02:59 of the 27th, CET from 03:00 on */
                int64_t off = hh < 24 + 3 ? 7200000 : 3600000;
                assert_int_equal(parse_ok(buf, tz), local - off);
                assert_int_equal(parse_ok(buf, tz), local - off); /* again, from the cache */
            }
        }
    }
    kr_tz_free(tz);
}

/* A TZif v2 file with no transitions, only a footer rule, in a temporary TZDIR. */
static void write_slim_zone(const char *dir, const char *name, const char *rule, int32_t off)
{
    unsigned char hdr[44] = {'T', 'Z', 'i', 'f', '2'};
    hdr[39] = 1; /* typecnt */
    hdr[43] = 4; /* charcnt */
    unsigned char data[10] = {(unsigned char)(off >> 24),
                              (unsigned char)(off >> 16),
                              (unsigned char)(off >> 8),
                              (unsigned char)off,
                              0,
                              0,
                              'X',
                              'X',
                              'X',
                              0};
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(hdr, 1, sizeof hdr, f);
    fwrite(data, 1, sizeof data, f);
    fwrite(hdr, 1, sizeof hdr, f);
    fwrite(data, 1, sizeof data, f);
    fprintf(f, "\n%s\n", rule);
    fclose(f);
}

static void posix_rules_of_slim_zone_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/kr-test-tz-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_slim_zone(dir, "eu", "CET-1CEST,M3.5.0,M10.5.0/3", 3600);
    write_slim_zone(dir, "au", "AEST-10AEDT,M10.1.0,M4.1.0/3", 36000);
    write_slim_zone(dir, "ie", "IST-1GMT0,M10.5.0,M3.5.0/1", 3600); /* negative DST */
    write_slim_zone(dir, "ir", "<+0330>-3:30", 12600);
    write_slim_zone(dir, "bad", "not a rule", 0);
    char *old = getenv("TZDIR") ? strdup(getenv("TZDIR")) : NULL;
    setenv("TZDIR", dir, 1);
    kr_tz *tz;
    assert_int_equal(kr_tz_open(&tz, "eu"), KR_OK);
    assert_int_equal(parse_ok("2024-07-01 10:00:00", tz), INT64_C(1719820800000));
    assert_int_equal(parse_ok("2024-03-01 10:00:00", tz), INT64_C(1709283600000));
    assert_int_equal(parse_ok("2024-10-27 02:30:00", tz), INT64_C(1729989000000));
    kr_tz_free(tz);
    assert_int_equal(kr_tz_open(&tz, "au"), KR_OK);
    assert_int_equal(parse_ok("2024-07-01 10:00", tz), INT64_C(1719792000000));
    assert_int_equal(parse_ok("2024-01-15 10:00", tz), INT64_C(1705273200000));
    kr_tz_free(tz);
    assert_int_equal(kr_tz_open(&tz, "ie"), KR_OK);
    assert_int_equal(parse_ok("2024-07-01 12:00", tz), INT64_C(1719831600000));
    assert_int_equal(parse_ok("2024-01-01 12:00", tz), INT64_C(1704110400000));
    kr_tz_free(tz);
    assert_int_equal(kr_tz_open(&tz, "ir"), KR_OK);
    assert_int_equal(parse_ok("2024-06-01 12:00", tz), INT64_C(1717230600000));
    kr_tz_free(tz);
    /* a footer that is no rule is ignored: the file's one offset holds */
    assert_int_equal(kr_tz_open(&tz, "bad"), KR_OK);
    assert_int_equal(parse_ok("2024-06-01 12:00", tz), INT64_C(1717243200000));
    kr_tz_free(tz);
    /* not a TZif file */
    char path[256];
    snprintf(path, sizeof path, "%s/junk", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("TZif2 but nothing after it", f);
    fclose(f);
    assert_int_equal(kr_tz_open(&tz, "junk"), KR_ENOTFOUND);
    if (old) {
        setenv("TZDIR", old, 1);
        free(old);
    } else {
        unsetenv("TZDIR");
    }
    const char *names[] = {"eu", "au", "ie", "ir", "bad", "junk"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void formatting(void **state)
{
    (void)state;
    char buf[40];
    assert_int_equal(kr_time_format(buf, sizeof buf, INT64_C(1709283600000)), 20);
    assert_string_equal(buf, "2024-03-01T09:00:00Z");
    assert_int_equal(kr_time_format(buf, sizeof buf, INT64_C(1709247599999)), 24);
    assert_string_equal(buf, "2024-02-29T22:59:59.999Z");
    kr_time_format(buf, sizeof buf, INT64_C(1709283600050));
    assert_string_equal(buf, "2024-03-01T09:00:00.050Z");
    kr_time_format(buf, sizeof buf, -1000);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    kr_time_format(buf, sizeof buf, -1);
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    kr_time_format(buf, sizeof buf, INT64_C(-62135596800000));
    assert_string_equal(buf, "0001-01-01T00:00:00Z");
    /* the extremes fit in 32 bytes */
    assert_int_equal(kr_time_format(buf, 32, INT64_MAX), 29);
    assert_string_equal(buf, "292278994-08-17T07:12:55.807Z");
    assert_int_equal(kr_time_format(buf, 32, INT64_MIN), 30);
    assert_string_equal(buf, "-292275055-05-16T16:47:04.192Z");
    /* a short buffer gets what fits, NUL-terminated */
    assert_int_equal(kr_time_format(buf, 11, INT64_C(1709283600000)), 10);
    assert_string_equal(buf, "2024-03-01");
    assert_int_equal(kr_time_format(buf, 0, 0), 0);
    /* round trip over a range of days, leap years included */
    for (int64_t ms = -INT64_C(100000) * 86400000; ms < INT64_C(80000) * 86400000;
         ms += INT64_C(86400000) * 37 + 1234567) {
        kr_time_format(buf, sizeof buf, ms);
        assert_int_equal(parse_ok(buf, NULL), ms);
    }
}

static int64_t duration_ok(const char *s)
{
    int64_t v = -1;
    if (kr_duration_parse(&v, kr_str_from_cstr(s)) != KR_OK)
        fail_msg("'%s' did not parse", s);
    return v;
}

static void durations(void **state)
{
    (void)state;
    assert_int_equal(duration_ok("30m"), 30 * 60000);
    assert_int_equal(duration_ok("1h"), 3600000);
    assert_int_equal(duration_ok("14d"), INT64_C(14) * 86400000);
    assert_int_equal(duration_ok("2w"), INT64_C(14) * 86400000);
    assert_int_equal(duration_ok("1.5h"), 5400000);
    assert_int_equal(duration_ok("0.5s"), 500);
    assert_int_equal(duration_ok("1.0005s"), 1001); /* rounded to the ms */
    assert_int_equal(duration_ok("45"), 45000);
    assert_int_equal(duration_ok("250ms"), 250);
    assert_int_equal(duration_ok(" 7 d "), INT64_C(7) * 86400000);
    assert_int_equal(duration_ok("0"), 0);
    int64_t v = 99;
    const char *bad[] = {"7x",          "h",    "",           " ",     "-1h",
                         "1.5.2h",      "1e3s", "30 minutes", "1h30m", "99999999999999999999w",
                         "15250284453w"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (kr_duration_parse(&v, kr_str_from_cstr(bad[i])) != KR_EPARSE)
            fail_msg("'%s' parsed", bad[i]);
    assert_int_equal(v, 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_8601_forms),
        cmocka_unit_test(local_forms_are_utc_without_zone),
        cmocka_unit_test(leap_days),
        cmocka_unit_test(numbers_seconds_millis_and_dates),
        cmocka_unit_test(invalid_dates_and_garbage),
        cmocka_unit_test(fixed_offset_zones),
        cmocka_unit_test(iana_zones),
        cmocka_unit_test(hour_cache_across_a_transition),
        cmocka_unit_test(posix_rules_of_slim_zone_files),
        cmocka_unit_test(formatting),
        cmocka_unit_test(durations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
