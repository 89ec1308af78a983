/*
 * test_stitch.c - identity stitching and the table's order, on events built by hand: late
 * identify, alias chains, two devices, merges of two known users, sorting by (person, time),
 * person naming, accounts from group events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/table.h"

typedef struct spec {
    int64_t t;
    const char *anon;
    const char *user;
    const char *name;
    kr_event_type type;
    const char *previous;
    const char *account;
} spec;

static kr_table *build(const spec *s, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event ev = KR_EVENT_INIT;
        ev.time_ms = s[i].t;
        ev.anonymous_id = kr_str_from_cstr(s[i].anon);
        ev.user_id = kr_str_from_cstr(s[i].user);
        ev.event = kr_str_from_cstr(s[i].name ? s[i].name : "x");
        ev.type = s[i].type;
        ev.previous_id = kr_str_from_cstr(s[i].previous);
        ev.account_id = kr_str_from_cstr(s[i].account);
        assert_int_equal(kr_table_builder_add(b, &ev), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

/* The person's name, by any of its ids. */
static const char *person_of(const kr_table *t, const char *id, char *buf, size_t len)
{
    uint32_t p;
    if (kr_table_find_person(t, kr_str_from_cstr(id), &p) < 0)
        return "(none)";
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    kr_str s = kr_table_dict_get(t, KR_DICT_ID, c.person_id[p]);
    snprintf(buf, len, "%.*s", (int)s.len, s.ptr);
    return buf;
}

static void late_identify_links_earlier_anonymous_events(void **state)
{
    (void)state;
    /* The linking event comes last in the file and last in time. */
    spec s[] = {
        {1000, "a1", NULL, "page_view", KR_TYPE_PAGE, NULL, NULL},
        {2000, "a1", NULL, "add_to_cart", KR_TYPE_TRACK, NULL, NULL},
        {9000, "a1", "u1", "identify", KR_TYPE_IDENTIFY, NULL, NULL},
    };
    kr_table *t = build(s, 3);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.person_count, 1);
    assert_int_equal(c.count, 3);
    char buf[64];
    assert_string_equal(person_of(t, "a1", buf, sizeof buf), "u1");
    assert_int_equal(c.person_known[0], 1);
    kr_table_free(t);
}

static void two_devices_become_one_person(void **state)
{
    (void)state;
    spec s[] = {
        {1000, "phone", NULL, "product_view", KR_TYPE_TRACK, NULL, NULL},
        {5000, "laptop", NULL, "product_view", KR_TYPE_TRACK, NULL, NULL},
        {6000, "laptop", "klant-1", "purchase", KR_TYPE_TRACK, NULL, NULL},
        {7000, "tablet", NULL, "page_view", KR_TYPE_TRACK, NULL, NULL}, /* someone else */
        {8000, "phone", "klant-1", "login", KR_TYPE_TRACK, NULL, NULL},
    };
    kr_table *t = build(s, 5);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.person_count, 2);
    char b1[64], b2[64];
    assert_string_equal(person_of(t, "phone", b1, sizeof b1), "klant-1");
    assert_string_equal(person_of(t, "laptop", b2, sizeof b2), "klant-1");
    assert_string_equal(person_of(t, "tablet", b1, sizeof b1), "tablet");
    uint32_t p;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr("phone"), &p), KR_OK);
    assert_int_equal(c.person_start[p + 1] - c.person_start[p], 4);
    /* All ids of the person, whatever order they came in. */
    const uint32_t *ids;
    assert_int_equal(kr_table_person_ids(t, p, &ids), 3);
    kr_table_free(t);
}

static void alias_chain_merges_old_and_new_ids(void **state)
{
    (void)state;
    /* old-1 -> mid-1 -> new-1 by two aliases, which arrive before the events they link. */
    spec s[] = {
        {100, NULL, "new-1", "alias", KR_TYPE_ALIAS, "mid-1", NULL},
        {200, NULL, "mid-1", "alias", KR_TYPE_ALIAS, "old-1", NULL},
        {10, NULL, "old-1", "purchase", KR_TYPE_TRACK, NULL, NULL},
        {300, NULL, "new-1", "purchase", KR_TYPE_TRACK, NULL, NULL},
        {50, "dev-9", "mid-1", "login", KR_TYPE_TRACK, NULL, NULL},
    };
    kr_table *t = build(s, 5);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.person_count, 1);
    char buf[64];
    /* The person is named by the user id seen first in time: old-1 at t=10. */
    assert_string_equal(person_of(t, "new-1", buf, sizeof buf), "old-1");
    assert_string_equal(person_of(t, "dev-9", buf, sizeof buf), "old-1");
    /* Events sorted by time within the person. */
    for (size_t i = 1; i < c.count; i++)
        assert_true(c.time_ms[i - 1] <= c.time_ms[i]);
    assert_int_equal(c.time_ms[0], 10);
    assert_int_equal(c.time_ms[4], 300);
    kr_table_free(t);
}

static void merge_of_two_known_users(void **state)
{
    (void)state;
    /* A shared device links two user ids: one person, named by the earlier user id. */
    spec s[] = {
        {5000, "d1", "zeta", "login", KR_TYPE_TRACK, NULL, NULL},
        {6000, "d1", "alpha", "login", KR_TYPE_TRACK, NULL, NULL},
        {1000, NULL, "zeta", "purchase", KR_TYPE_TRACK, NULL, NULL},
    };
    kr_table *t = build(s, 3);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.person_count, 1);
    char buf[64];
    assert_string_equal(person_of(t, "alpha", buf, sizeof buf), "zeta");
    kr_table_free(t);
}

static void equal_first_times_name_by_smaller_string(void **state)
{
    (void)state;
    spec s[] = {
        {1000, "d1", "bob", "login", KR_TYPE_TRACK, NULL, NULL},
        {1000, "d1", "ann", "login", KR_TYPE_TRACK, NULL, NULL},
    };
    kr_table *t = build(s, 2);
    char buf[64];
    assert_string_equal(person_of(t, "bob", buf, sizeof buf), "ann");
    kr_table_free(t);
}

static void result_does_not_depend_on_input_order(void **state)
{
    (void)state;
    spec s[] = {
        {1, "a", NULL, "e1", KR_TYPE_TRACK, NULL, NULL},
        {2, "b", NULL, "e2", KR_TYPE_TRACK, NULL, NULL},
        {3, "a", "u", "e3", KR_TYPE_TRACK, NULL, NULL},
        {4, "c", NULL, "e4", KR_TYPE_TRACK, NULL, NULL},
        {5, "b", "u", "e5", KR_TYPE_TRACK, NULL, NULL},
        {6, "d", "v", "e6", KR_TYPE_TRACK, NULL, NULL},
    };
    spec r[6];
    for (int i = 0; i < 6; i++)
        r[i] = s[5 - i];
    kr_table *t1 = build(s, 6), *t2 = build(r, 6);
    kr_table_columns c1, c2;
    kr_table_get_columns(t1, &c1);
    kr_table_get_columns(t2, &c2);
    assert_int_equal(c1.person_count, 3); /* u (a, b), c, v (d) */
    assert_int_equal(c2.person_count, 3);
    for (size_t i = 0; i < c1.count; i++) {
        assert_int_equal(c1.time_ms[i], c2.time_ms[i]);
        assert_int_equal(c1.person[i], c2.person[i]);
        kr_str n1 = kr_table_dict_get(t1, KR_DICT_NAME, c1.name[i]);
        kr_str n2 = kr_table_dict_get(t2, KR_DICT_NAME, c2.name[i]);
        assert_true(kr_str_eq(n1, n2));
    }
    /* Persons in the order of their names: c, u, v. */
    assert_true(kr_str_eq_cstr(kr_table_dict_get(t1, KR_DICT_ID, c1.person_id[0]), "c"));
    assert_true(kr_str_eq_cstr(kr_table_dict_get(t1, KR_DICT_ID, c1.person_id[1]), "u"));
    assert_true(kr_str_eq_cstr(kr_table_dict_get(t1, KR_DICT_ID, c1.person_id[2]), "v"));
    kr_table_free(t1);
    kr_table_free(t2);
}

static void group_sets_the_account_and_ties_keep_input_order(void **state)
{
    (void)state;
    spec s[] = {
        {100, NULL, "c1", "first", KR_TYPE_TRACK, NULL, NULL},
        {100, NULL, "c1", "second", KR_TYPE_TRACK, NULL, NULL},
        {50, NULL, "c1", "group", KR_TYPE_GROUP, NULL, "acct-1"},
        {60, NULL, "c2", "group", KR_TYPE_GROUP, NULL, "acct-1"},
    };
    kr_table *t = build(s, 4);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.person_count, 2); /* group links a user to an account, not to users */
    assert_int_equal(kr_table_dict_count(t, KR_DICT_ACCOUNT), 2);
    uint32_t p;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr("c1"), &p), KR_OK);
    assert_true(
        kr_str_eq_cstr(kr_table_dict_get(t, KR_DICT_ACCOUNT, c.person_account[p]), "acct-1"));
    size_t i = c.person_start[p];
    assert_true(kr_str_eq_cstr(kr_table_dict_get(t, KR_DICT_NAME, c.name[i]), "group"));
    assert_true(kr_str_eq_cstr(kr_table_dict_get(t, KR_DICT_NAME, c.name[i + 1]), "first"));
    assert_true(kr_str_eq_cstr(kr_table_dict_get(t, KR_DICT_NAME, c.name[i + 2]), "second"));
    kr_table_free(t);
}

static void values_and_scores_in_side_arrays(void **state)
{
    (void)state;
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    kr_event ev = KR_EVENT_INIT;
    ev.user_id = kr_str_from_cstr("u");
    ev.event = kr_str_from_cstr("purchase");
    ev.time_ms = 2;
    ev.has_value = true;
    ev.value_cents = 4995;
    assert_int_equal(kr_table_builder_add(b, &ev), KR_OK);
    kr_event sv = KR_EVENT_INIT;
    sv.user_id = kr_str_from_cstr("u");
    sv.event = kr_str_from_cstr("survey");
    sv.time_ms = 1;
    sv.has_score = true;
    sv.score = 9;
    sv.score_scale = KR_SCALE_NPS;
    assert_int_equal(kr_table_builder_add(b, &sv), KR_OK);
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_true(c.flags[0] & KR_FLAG_HAS_SCORE);
    assert_int_equal(KR_FLAG_SCALE(c.flags[0]), KR_SCALE_NPS);
    assert_true(c.score[c.aux[0] - 1] == 9.0f);
    assert_true(c.flags[1] & KR_FLAG_HAS_VALUE);
    assert_int_equal(c.value_cents[c.aux[1] - 1], 4995);
    /* 24 bytes per event plus 12 per event with a value or score. */
    assert_int_equal(kr_table_event_bytes(t), 2 * 24 + 2 * 12);
    kr_table_free(t);
}

static void empty_table(void **state)
{
    (void)state;
    kr_table *t = build(NULL, 0);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.count, 0);
    assert_int_equal(c.person_count, 0);
    uint32_t p;
    assert_int_equal(kr_table_find_person(t, kr_str_from_cstr("x"), &p), KR_ENOTFOUND);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(late_identify_links_earlier_anonymous_events),
        cmocka_unit_test(two_devices_become_one_person),
        cmocka_unit_test(alias_chain_merges_old_and_new_ids),
        cmocka_unit_test(merge_of_two_known_users),
        cmocka_unit_test(equal_first_times_name_by_smaller_string),
        cmocka_unit_test(result_does_not_depend_on_input_order),
        cmocka_unit_test(group_sets_the_account_and_ties_keep_input_order),
        cmocka_unit_test(values_and_scores_in_side_arrays),
        cmocka_unit_test(empty_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
