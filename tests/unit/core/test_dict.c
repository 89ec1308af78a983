/*
 * test_dict.c - string interning: dense codes in order of first appearance, stable views,
 * growth past many rehashes, limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/dict.h"

static kr_str S(const char *s)
{
    return kr_str_from_cstr(s);
}

static void codes_in_order_of_first_appearance(void **state)
{
    (void)state;
    kr__dict d;
    assert_int_equal(kr__dict_init(&d, 100), KR_OK);
    uint32_t a, b, a2, empty;
    assert_int_equal(kr__dict_intern(&d, S("view"), &a), KR_OK);
    assert_int_equal(kr__dict_intern(&d, S("purchase"), &b), KR_OK);
    assert_int_equal(kr__dict_intern(&d, S("view"), &a2), KR_OK);
    assert_int_equal(kr__dict_intern(&d, S(""), &empty), KR_OK);
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_int_equal(a2, 1);
    assert_int_equal(empty, 0);
    assert_int_equal(d.count, 3);
    assert_true(kr_str_eq_cstr(kr__dict_get(&d, 2), "purchase"));
    uint32_t found;
    assert_int_equal(kr__dict_find(&d, S("purchase"), &found), KR_OK);
    assert_int_equal(found, 2);
    assert_int_equal(kr__dict_find(&d, S("cart"), &found), KR_ENOTFOUND);
    kr__dict_finish(&d);
}

static void many_strings_survive_rehashing(void **state)
{
    (void)state;
    kr__dict d;
    assert_int_equal(kr__dict_init(&d, UINT32_MAX), KR_OK);
    char buf[32];
    for (uint32_t i = 0; i < 100000; i++) {
        int n = snprintf(buf, sizeof buf, "id-%u", i);
        uint32_t code;
        assert_int_equal(kr__dict_intern(&d, (kr_str){buf, (size_t)n}, &code), KR_OK);
        assert_int_equal(code, i + 1);
    }
    /* Views made before later growth still read right: strings never move. */
    assert_true(kr_str_eq_cstr(kr__dict_get(&d, 1), "id-0"));
    assert_true(kr_str_eq_cstr(kr__dict_get(&d, 100000), "id-99999"));
    uint32_t code;
    assert_int_equal(kr__dict_find(&d, S("id-54321"), &code), KR_OK);
    assert_int_equal(code, 54322);
    kr__dict_finish(&d);
}

static void limit_gives_etoobig(void **state)
{
    (void)state;
    kr__dict d;
    assert_int_equal(kr__dict_init(&d, 3), KR_OK); /* "", and two more */
    uint32_t code;
    assert_int_equal(kr__dict_intern(&d, S("a"), &code), KR_OK);
    assert_int_equal(kr__dict_intern(&d, S("b"), &code), KR_OK);
    assert_int_equal(kr__dict_intern(&d, S("c"), &code), KR_ETOOBIG);
    assert_int_equal(kr__dict_intern(&d, S("a"), &code), KR_OK); /* known ones still work */
    assert_int_equal(code, 1);
    kr__dict_finish(&d);
}

static void long_strings_and_binary_bytes(void **state)
{
    (void)state;
    kr__dict d;
    assert_int_equal(kr__dict_init(&d, 10), KR_OK);
    static char big[100000];
    memset(big, 'x', sizeof big);
    uint32_t c1, c2, c3;
    assert_int_equal(kr__dict_intern(&d, (kr_str){big, sizeof big}, &c1), KR_OK);
    assert_int_equal(kr__dict_intern(&d, (kr_str){"a\0b", 3}, &c2), KR_OK);
    assert_int_equal(kr__dict_intern(&d, (kr_str){"a\0c", 3}, &c3), KR_OK);
    assert_int_not_equal(c2, c3);
    assert_int_equal(kr__dict_get(&d, c1).len, sizeof big);
    kr__dict_finish(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_in_order_of_first_appearance),
        cmocka_unit_test(many_strings_survive_rehashing),
        cmocka_unit_test(limit_gives_etoobig),
        cmocka_unit_test(long_strings_and_binary_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
