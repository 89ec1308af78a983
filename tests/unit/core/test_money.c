/*
 * test_money.c - money into integer cents: Dutch and English separators, thousands, currency
 * signs, rounding, overflow.
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

static void bad(const char *s)
{
    int64_t v = 99;
    if (kr_money_parse(&v, kr_str_from_cstr(s), 0) == KR_OK)
        fail_msg("'%s' parsed", s);
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
    assert_int_equal(cents("12", 0), 1200);
    assert_int_equal(cents("0.5", 0), 50);
    assert_int_equal(cents(".5", 0), 50);
    assert_int_equal(cents("-3", 0), -300);
    assert_int_equal(cents("-1.234,56", 0), -123456);
    assert_int_equal(cents("+7,1", 0), 710);
}

static void currency_and_blanks(void **state)
{
    (void)state;
    assert_int_equal(cents("\xE2\x82\xAC 12,50", 0), 1250); /* € 12,50 */
    assert_int_equal(cents("12,50 \xE2\x82\xAC", 0), 1250);
    assert_int_equal(cents("$1,234.50", 0), 123450);
    assert_int_equal(cents("\xC2\xA3"
                           "3.99",
                           0),
                     399); /* £3.99 */
    assert_int_equal(cents("EUR 5", 0), 500);
    assert_int_equal(cents("  42.00  ", 0), 4200);
    assert_int_equal(cents("-\xE2\x82\xAC 5,00", 0), -500);
}

static void rounding_half_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(cents("2.555", 0), 256);
    assert_int_equal(cents("2.554", 0), 255);
    assert_int_equal(cents("-2.555", 0), -256);
    assert_int_equal(cents("0.425", 0), 43);
    assert_int_equal(cents("0.00499", 0), 0);
}

static void forced_separator(void **state)
{
    (void)state;
    /* "12.500" is twelve thousand five hundred in Dutch, when the user says so */
    assert_int_equal(cents("12.500", ','), 1250000);
    assert_int_equal(cents("12.500", 0), 1250);
    assert_int_equal(cents("12,5", ','), 1250);
    assert_int_equal(cents("1,5", '.'), 1500); /* ',' is a thousands separator then */
}

static void rejects(void **state)
{
    (void)state;
    bad("");
    bad("   ");
    bad("abc");
    bad("12,50,30.1.2");
    bad("1.2.3,4,5");
    bad("12.5x");
    bad("--5");
    bad("\xE2\x82\xAC");
    bad(",");
    int64_t v;
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("99999999999999999999"), 0), KR_ETOOBIG);
    assert_int_equal(kr_money_parse(&v, kr_str_from_cstr("92233720368547758.07"), 0), KR_ETOOBIG);
    assert_int_equal(cents("9223372036854775", 0), INT64_C(922337203685477500));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decided_per_value),
        cmocka_unit_test(currency_and_blanks),
        cmocka_unit_test(rounding_half_away_from_zero),
        cmocka_unit_test(forced_separator),
        cmocka_unit_test(rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
