/*
 * test_money.c - money into integer cents: Dutch and English separators, thousands grouping,
 * currency signs, Dutch whole amounts, rounding half away from zero, and the int64 limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "klantreis/parse.h"

static int64_t cents(const char *s, char decimal)
{
    int64_t v = -1;
    int rc = kr_money_parse(&v, kr_str_from_cstr(s), decimal);
    if (rc != KR_OK)
        fail_msg("'%s' did not parse (%d)", s, rc);
    return v;
}

static void bad(const char *s, char decimal)
{
    int64_t v = 99;
    int rc = kr_money_parse(&v, kr_str_from_cstr(s), decimal);
    if (rc != KR_EPARSE)
        fail_msg("'%s' gave %d (%lld), not a parse error", s, rc, (long long)v);
    assert_int_equal(v, 99); /* untouched */
}

static void decided_per_value(void **state)
{
    (void)state;
    assert_int_equal(cents("12.50", 0), 1250);
    assert_int_equal(cents("12,50", 0), 1250);
    assert_int_equal(cents("1.234,50", 0), 123450);
    assert_int_equal(cents("1,234.50", 0), 123450);
    assert_int_equal(cents("1.234.567", 0), 123456700); /* repeated: thousands */
    assert_int_equal(cents("1,234,567", 0), 123456700);
    assert_int_equal(cents("1.234.567,89", 0), 123456789);
    assert_int_equal(cents("12.500", 0), 1250); /* once: the decimal separator */
    assert_int_equal(cents("12", 0), 1200);
    assert_int_equal(cents("0", 0), 0);
    assert_int_equal(cents("007", 0), 700);
    assert_int_equal(cents("0.5", 0), 50);
    assert_int_equal(cents(".5", 0), 50);
    assert_int_equal(cents("5.", 0), 500);
    assert_int_equal(cents("-3", 0), -300);
    assert_int_equal(cents("-1.234,56", 0), -123456);
    assert_int_equal(cents("+7,1", 0), 710);
    assert_int_equal(cents("-0,01", 0), -1);
    /* the UCI and REES46 exports */
    assert_int_equal(cents("2.55", 0), 255);
    assert_int_equal(cents("543.10", 0), 54310);
}

static void currency_and_blanks(void **state)
{
    (void)state;
    assert_int_equal(cents("\xE2\x82\xAC 12,50", 0), 1250); /* € 12,50 */
    assert_int_equal(cents("\xE2\x82\xAC"
                           "12,50",
                           0),
                     1250);
    assert_int_equal(cents("12,50 \xE2\x82\xAC", 0), 1250);
    assert_int_equal(cents("$1,234.50", 0), 123450);
    assert_int_equal(cents("1,234.50$", 0), 123450);
    assert_int_equal(cents("\xC2\xA3"
                           "3.99",
                           0),
                     399); /* £3.99 */
    assert_int_equal(cents("EUR 5", 0), 500);
    assert_int_equal(cents("5 EUR", 0), 500);
    assert_int_equal(cents("eur 5", 0), 500);
    assert_int_equal(cents("  42.00  ", 0), 4200);
    assert_int_equal(cents("\t42.00\r\n", 0), 4200);
    assert_int_equal(cents("\xC2\xA0"
                           "42,00\xC2\xA0",
                           0),
                     4200); /* no-break spaces */
    assert_int_equal(cents("-\xE2\x82\xAC 5,00", 0), -500);
    assert_int_equal(cents("\xE2\x82\xAC -5,00", 0), -500);
    assert_int_equal(cents("- 5", 0), -500);
    bad("\xE2\x82\xAC", 0);
    bad("\xE2\x82\xAC \xE2\x82\xAC 5", 0); /* one currency sign */
    bad("\xE2\x82\xAC 5 \xE2\x82\xAC", 0);
    bad("USD 5", 0);
    bad("5 kr", 0);
}

static void dutch_whole_amounts(void **state)
{
    (void)state;
    assert_int_equal(cents("12,-", 0), 1200);
    assert_int_equal(cents("12,--", 0), 1200);
    assert_int_equal(cents("\xE2\x82\xAC 1.250,-", 0), 125000);
    assert_int_equal(cents("1.250,-", ','), 125000);
    assert_int_equal(cents("12.-", 0), 1200);
    bad("12,-", '.');
    bad("-", 0);
    bad(",-", 0);
    bad("12-", 0);
}

static void thousands_group_by_three(void **state)
{
    (void)state;
    assert_int_equal(cents("1 234,50", 0), 123450);
    assert_int_equal(cents("1'234.50", 0), 123450);
    assert_int_equal(cents("123,456,789.01", 0), 12345678901);
    bad("1.2.3", 0);
    bad("12.34.56", 0);
    bad("1.5.2024", 0); /* a date in a money column */
    bad("1,2345,678", 0);
    bad("1234,567,890", 0);
    bad(",123,456", 0);
    bad("1,234,", 0);
    bad("1..234", 0);
}

static void rounding_half_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(cents("2.555", 0), 256);
    assert_int_equal(cents("2.554", 0), 255);
    assert_int_equal(cents("2.5549999", 0), 255);
    assert_int_equal(cents("-2.555", 0), -256);
    assert_int_equal(cents("-2.554", 0), -255);
    assert_int_equal(cents("0.425", 0), 43);
    assert_int_equal(cents("0.00499", 0), 0);
    assert_int_equal(cents("0.005", 0), 1);
    assert_int_equal(cents("-0.005", 0), -1);
    assert_int_equal(cents("9.995", 0), 1000);
    assert_int_equal(cents("1,999", ','), 200);
}

static void forced_separator(void **state)
{
    (void)state;
    /* "12.500" is twelve thousand five hundred in Dutch, when the user says so */
    assert_int_equal(cents("12.500", ','), 1250000);
    assert_int_equal(cents("12,5", ','), 1250);
    assert_int_equal(cents("1.234", '.'), 123);
    assert_int_equal(cents("1,234", '.'), 123400);
    /* a separator that cannot be a thousands one under the forced reading is an error */
    bad("1,5", '.');
    bad("12.50", ',');
    bad("1,2", '.');
    bad("1.5,3", '.');
    int64_t v;
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("5"), ';'), KR_EPARSE);
}

static void garbage(void **state)
{
    (void)state;
    const char *texts[] = {"",    "   ",  "abc",   "12.5x", "--5", "+-5", "5-",  ",",   ".",
                           "1e3", "0x10", "12 50", "NaN",   "inf", "(5)", "5..", "1,,5"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        bad(texts[i], 0);
    int64_t v = 99;
    assert_int_equal(kr_money_parse(&v, KR_STR_NULL, 0), KR_EPARSE);
    assert_int_equal(kr_money_parse(&v, (kr_str){"12.50junk", 5}, 0), KR_OK);
    assert_int_equal(v, 1250);
}

static void int64_limits(void **state)
{
    (void)state;
    int64_t v = 99;
    assert_int_equal(cents("92233720368547758.07", 0), INT64_MAX);
    assert_int_equal(cents("-92233720368547758.08", 0), INT64_MIN);
    assert_int_equal(cents("92.233.720.368.547.758,07", 0), INT64_MAX);
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("92233720368547758.08"), 0), KR_ETOOBIG);
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("-92233720368547758.09"), 0), KR_ETOOBIG);
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("92233720368547758.075"), 0),
                     KR_ETOOBIG); /* rounding up passes the limit */
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("92233720368547759"), 0), KR_ETOOBIG);
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("99999999999999999999"), 0), KR_ETOOBIG);
    assert_int_equal(v, 99);
    assert_int_equal(cents("9223372036854775", 0), INT64_C(922337203685477500));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decided_per_value),
        cmocka_unit_test(currency_and_blanks),
        cmocka_unit_test(dutch_whole_amounts),
        cmocka_unit_test(thousands_group_by_three),
        cmocka_unit_test(rounding_half_away_from_zero),
        cmocka_unit_test(forced_separator),
        cmocka_unit_test(garbage),
        cmocka_unit_test(int64_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
