/*
 * test_builder.c - the table builder's reservation hint: reserving less, more, or after events
 * were added never changes the table, and the sort by (person, time) keeps input order for
 * equal times (the packed-row scatter and the per-person merge sort of finish()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/table.h"

/* 3000 events of three persons, times running backwards in blocks so that every person's run
   needs sorting (more than 32 events: the merge sort, not only the insertion sort). */
static kr_table *build(size_t reserve_before, size_t reserve_after_100)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    if (reserve_before)
        assert_int_equal(kr_table_builder_reserve(b, reserve_before), KR_OK);
    static const char *users[] = {"ann", "bob", "cees"};
    for (int i = 0; i < 3000; i++) {
        if (i == 100 && reserve_after_100)
            assert_int_equal(kr_table_builder_reserve(b, reserve_after_100), KR_OK);
        char name[16];
        snprintf(name, sizeof name, "e%d", i);
        kr_event ev = KR_EVENT_INIT;
        ev.user_id = kr_str_from_cstr(users[i % 3]);
        ev.time_ms = (int64_t)(3000 - i) / 7; /* runs of 7 equal times, descending */
        ev.event = kr_str_from_cstr(name);
        ev.channel = kr_str_from_cstr(i % 2 ? "ad" : "email");
        ev.has_value = i % 5 == 0;
        ev.value_cents = i;
        assert_int_equal(kr_table_builder_add(b, &ev), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

/* The input position i of event name "e<i>" (dictionary views are not NUL-terminated). */
static int input_of(kr_str name)
{
    char buf[16] = {0};
    assert_true(name.len > 1 && name.len < sizeof buf);
    memcpy(buf, name.ptr, name.len);
    return (int)strtol(buf + 1, NULL, 10);
}

static void check(const kr_table *t)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.count, 3000);
    assert_int_equal(c.person_count, 3);
    for (uint32_t p = 0; p < 3; p++) {
        assert_int_equal(c.person_start[p + 1] - c.person_start[p], 1000);
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) {
            assert_int_equal(c.person[i], p);
            int input = input_of(kr_table_dict_get(t, KR_DICT_NAME, c.name[i]));
            assert_int_equal(input % 3, (int)p); /* persons sort by name: ann, bob, cees */
            assert_int_equal(c.time_ms[i], (3000 - input) / 7);
            kr_str ch = kr_table_dict_get(t, KR_DICT_CHANNEL, c.channel[i]);
            assert_true(kr_str_eq_cstr(ch, input % 2 ? "ad" : "email"));
            assert_int_equal((c.flags[i] & KR_FLAG_HAS_VALUE) != 0, input % 5 == 0);
            if (input % 5 == 0)
                assert_int_equal(c.value_cents[c.aux[i] - 1], input);
            if (i > c.person_start[p]) {
                int before = input_of(kr_table_dict_get(t, KR_DICT_NAME, c.name[i - 1]));
                /* by time; equal times in input order */
                assert_true(c.time_ms[i - 1] < c.time_ms[i] ||
                            (c.time_ms[i - 1] == c.time_ms[i] && before < input));
            }
        }
    }
}

static void reservations_never_change_the_table(void **state)
{
    (void)state;
    const size_t cases[][2] = {{0, 0}, {10, 0}, {3000, 0}, {1000000, 0}, {0, 5000}, {50, 200}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        kr_table *t = build(cases[k][0], cases[k][1]);
        check(t);
        kr_table_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reservations_never_change_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
