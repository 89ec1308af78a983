/*
 * test_derive.c - tables made from tables: the persons of a group, and accounts as units.
 * The source: ann (cookie c1, then logged in; account acme; a purchase of 12.50 with utm
 * google), bob (account acme, an NPS 9), cees (anonymous c7, no account, utm bing).
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

static void add(kr_table_builder *b, int64_t t, const char *anon, const char *user,
                const char *account, const char *name, int64_t cents, double nps, const char *utm)
{
    kr_event ev = KR_EVENT_INIT;
    kr_property prop = {kr_str_from_cstr("utm"), kr_str_from_cstr(utm)};
    ev.time_ms = t;
    ev.anonymous_id = kr_str_from_cstr(anon);
    ev.user_id = kr_str_from_cstr(user);
    ev.account_id = kr_str_from_cstr(account);
    ev.event = kr_str_from_cstr(name);
    ev.has_value = cents != 0;
    ev.value_cents = cents;
    ev.has_score = nps >= 0;
    ev.score = nps;
    ev.score_scale = nps >= 0 ? KR_SCALE_NPS : KR_SCALE_NONE;
    ev.props = &prop;
    ev.prop_count = utm ? 1 : 0;
    assert_int_equal(kr_table_builder_add(b, &ev), KR_OK);
}

static kr_table *source(void)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("utm")), KR_OK);
    add(b, 10, "c1", NULL, NULL, "view", 0, -1, "google");
    add(b, 20, "c1", "ann", "acme", "login", 0, -1, NULL);
    add(b, 30, NULL, "ann", NULL, "purchase", 1250, -1, "google");
    add(b, 15, NULL, "bob", "acme", "view", 0, -1, NULL);
    add(b, 40, NULL, "bob", NULL, "survey", 0, 9, NULL);
    add(b, 5, "c7", NULL, NULL, "view", 0, -1, "bing");
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

static kr_str id_of(const kr_table *t, uint32_t p)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    return kr_table_dict_get(t, KR_DICT_ID, c.person_id[p]);
}

static void select_keeps_persons_whole(void **state)
{
    (void)state;
    kr_table *t = source();
    uint32_t ann, cees;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr("c1"), &ann), KR_OK);
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr("c7"), &cees), KR_OK);
    uint8_t keep[3] = {0};
    keep[ann] = keep[cees] = 1;
    kr_table *s;
    assert_int_equal(kr_table_select_persons(&s, t, keep), KR_OK);
    kr_table_columns c;
    kr_table_get_columns(s, &c);
    assert_int_equal(c.count, 4);
    assert_int_equal(c.person_count, 2);
    /* persons by name: ann (identified), c7 (anonymous, stays anonymous) */
    assert_true(kr_str_eq_cstr(id_of(s, 0), "ann"));
    assert_int_equal(c.person_known[0], 1);
    assert_true(kr_str_eq_cstr(id_of(s, 1), "c7"));
    assert_int_equal(c.person_known[1], 0);
    assert_true(kr_str_eq_cstr(kr_table_dict_get(s, KR_DICT_ACCOUNT, c.person_account[0]), "acme"));
    assert_int_equal(c.person_account[1], 0);
    /* ann's events in time order, the purchase's value and the kept property */
    assert_int_equal(c.time_ms[0], 10);
    assert_int_equal(c.time_ms[2], 30);
    assert_true(c.flags[2] & KR_FLAG_HAS_VALUE);
    assert_int_equal(c.value_cents[c.aux[2] - 1], 1250);
    const uint32_t *utm;
    uint32_t prop;
    assert_int_equal(kr_table_property_column(s, kr_str_from_cstr("utm"), &utm, &prop), KR_OK);
    assert_true(kr_str_eq_cstr(kr_table_property_value(s, prop, utm[0]), "google"));
    assert_int_equal(utm[1], 0);
    assert_true(kr_str_eq_cstr(kr_table_property_value(s, prop, utm[3]), "bing"));
    kr_table_free(s);
    kr_table_free(t);
}

static void accounts_become_units(void **state)
{
    (void)state;
    kr_table *t = source();
    kr_table *a;
    assert_int_equal(kr_table_by_account(&a, t), KR_OK);
    kr_table_columns c;
    kr_table_get_columns(a, &c);
    assert_int_equal(c.count, 6);
    assert_int_equal(c.person_count, 2); /* account:acme (ann and bob), c7 */
    assert_true(kr_str_eq_cstr(id_of(a, 0), "account:acme"));
    assert_int_equal(c.person_known[0], 1);
    assert_int_equal(c.person_start[1], 5);
    static const int64_t times[] = {10, 15, 20, 30, 40};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(c.time_ms[i], times[i]);
    assert_true(c.flags[4] & KR_FLAG_HAS_SCORE);
    assert_true(c.score[c.aux[4] - 1] == 9.0f);
    assert_int_equal(KR_FLAG_SCALE(c.flags[4]), KR_SCALE_NPS);
    assert_true(kr_str_eq_cstr(id_of(a, 1), "c7"));
    assert_int_equal(c.person_known[1], 0);
    kr_table_free(a);
    kr_table_free(t);
}

/* Up to a reference date: events after it go, persons without events left go too. */
static void select_until_a_date(void **state)
{
    (void)state;
    kr_table *t = source();
    kr_table *s;
    assert_int_equal(kr_table_select(&s, t, NULL, 15), KR_OK);
    kr_table_columns c;
    kr_table_get_columns(s, &c);
    assert_int_equal(c.count, 3); /* ann's view at 10, bob's view at 15, cees's view at 5 */
    assert_int_equal(c.person_count, 3);
    kr_table_free(s);
    assert_int_equal(kr_table_select(&s, t, NULL, 9), KR_OK);
    kr_table_get_columns(s, &c);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.person_count, 1);
    assert_true(kr_str_eq_cstr(id_of(s, 0), "c7"));
    kr_table_free(s);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_keeps_persons_whole),
        cmocka_unit_test(accounts_become_units),
        cmocka_unit_test(select_until_a_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
