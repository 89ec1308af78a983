/*
 * test_pseudonym.c - keyed pseudonyms: shape, determinism, a different secret or id gives a
 * different pseudonym, the secret's length limits, unreadable files. (The known values are
 * checked against Python's hashlib.blake2b in tests/integration/test_pseudonymise.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/privacy.h"

static void pseudonyms_are_stable_and_keyed(void **state)
{
    (void)state;
    kr_pseudo_key a, b;
    assert_int_equal(kr_pseudo_key_from_bytes(&a, "0123456789abcdef", 16), KR_OK);
    assert_int_equal(kr_pseudo_key_from_bytes(&b, "0123456789abcdeF", 16), KR_OK);
    char p1[KR_PSEUDONYM_SIZE], p2[KR_PSEUDONYM_SIZE], p3[KR_PSEUDONYM_SIZE], p4[KR_PSEUDONYM_SIZE];
    kr_pseudonymise(p1, &a, kr_str_from_cstr("klant-42"));
    kr_pseudonymise(p2, &a, kr_str_from_cstr("klant-42"));
    kr_pseudonymise(p3, &b, kr_str_from_cstr("klant-42"));
    kr_pseudonymise(p4, &a, kr_str_from_cstr("klant-43"));
    assert_int_equal(strlen(p1), KR_PSEUDONYM_LEN);
    assert_memory_equal(p1, "p:", 2);
    for (size_t i = 2; i < KR_PSEUDONYM_LEN; i++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", p1[i]));
    assert_string_equal(p1, p2);
    assert_string_not_equal(p1, p3);
    assert_string_not_equal(p1, p4);
    assert_int_not_equal(kr_pseudo_hash64(&a, "x", 1), kr_pseudo_hash64(&b, "x", 1));
}

static void secrets_must_be_long_enough(void **state)
{
    (void)state;
    kr_pseudo_key k;
    assert_int_equal(kr_pseudo_key_from_bytes(&k, "0123456789abcde", 15), KR_EINVAL);
    char path[] = "/tmp/kr-secret-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("short\n", f);
    fclose(f);
    char err[256];
    assert_int_equal(kr_pseudo_key_load(&k, path, err, sizeof err), KR_EINVAL);
    assert_non_null(strstr(err, "16 to 4096 bytes"));
    f = fopen(path, "w");
    fputs("long enough secret\n", f);
    fclose(f);
    assert_int_equal(kr_pseudo_key_load(&k, path, err, sizeof err), KR_OK);
    remove(path);
    assert_int_equal(kr_pseudo_key_load(&k, path, err, sizeof err), KR_EIO);
    assert_non_null(strstr(err, "cannot read"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pseudonyms_are_stable_and_keyed),
        cmocka_unit_test(secrets_must_be_long_enough),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
