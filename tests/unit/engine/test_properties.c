/*
 * test_properties.c - free properties kept as table columns, property rules in the journey
 * model (equals, prefix, one_of; touchpoints and personas) and phases --by PROPERTY, on a
 * small data set worked out by hand.
 *
 * Model: phase A (shop: event view with url prefix "/shop/"; ad: utm equals google, any
 * event), phase B (paid: event signup with plan one of basis, plus). Personas: google (an event
 * with utm google), rest.
 *
 *   person  events (seconds) {properties}                 touchpoints      persona  first utm
 *   q1      view@0 {url /shop/shoes, utm google}          shop, paid       google   google
 *           signup@10 {plan plus}
 *   q2      view@0 {url /blog/x, utm bing}                -, -             rest     bing
 *           signup@5 {plan pro}
 *   q3      ad_click@0 {utm google} view@20 {url          ad, shop, paid   google   google
 *           /shop/bag} signup@30 {plan basis}
 *   q4      view@0 {}                                     -                rest     (none)
 *
 * Touchpoint events: shop 2, ad 1, paid 2. All: persons 4, in the journey 2, reached A 2, B 2.
 * By utm: google (q1 q3) reached 2/2; then the one-person groups by value code: (none) (q4,
 * code 0) before bing (q2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/phases.h"

static const char model_yaml[] =
    "personas:\n"
    "  - {id: google, match: {properties: [{key: utm, equals: google}]}}\n"
    "  - {id: rest}\n"
    "phases:\n"
    "  - id: A\n"
    "    touchpoints:\n"
    "      - {id: shop, match: {event: view, properties: [{key: url, prefix: /shop/}]}}\n"
    "      - {id: ad, match: {properties: [{key: utm, equals: google}]}}\n"
    "  - id: B\n"
    "    touchpoints:\n"
    "      - {id: paid, match: {event: signup, properties: [{key: plan, one_of: [basis, "
    "plus]}]}}\n";

typedef struct row {
    const char *user, *event;
    int64_t seconds;
    const char *url, *utm, *plan; /* NULL: absent */
} row;

/* Deliberately not in (person, time) order, so that the property columns must be permuted. */
static const row rows[] = {
    {"q3", "signup", 30, NULL, NULL, "basis"},   {"q1", "view", 0, "/shop/shoes", "google", NULL},
    {"q2", "view", 0, "/blog/x", "bing", NULL},  {"q3", "view", 20, "/shop/bag", NULL, NULL},
    {"q1", "signup", 10, NULL, NULL, "plus"},    {"q2", "signup", 5, NULL, NULL, "pro"},
    {"q3", "ad_click", 0, NULL, "google", NULL}, {"q4", "view", 0, NULL, NULL, NULL},
};

static kr_table *build(bool keep)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    if (keep) {
        assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("url")), KR_OK);
        assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("utm")), KR_OK);
        assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("plan")), KR_OK);
        assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("utm")), KR_OK);
        assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("")), KR_EINVAL);
    }
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        kr_event ev = KR_EVENT_INIT;
        kr_property props[4];
        size_t n = 0;
        ev.time_ms = INT64_C(1735689600000) + rows[i].seconds * 1000;
        ev.user_id = kr_str_from_cstr(rows[i].user);
        ev.event = kr_str_from_cstr(rows[i].event);
        if (rows[i].url)
            props[n++] = (kr_property){kr_str_from_cstr("url"), kr_str_from_cstr(rows[i].url)};
        if (rows[i].utm)
            props[n++] = (kr_property){kr_str_from_cstr("utm"), kr_str_from_cstr(rows[i].utm)};
        if (rows[i].plan)
            props[n++] = (kr_property){kr_str_from_cstr("plan"), kr_str_from_cstr(rows[i].plan)};
        props[n++] = (kr_property){kr_str_from_cstr("other"), kr_str_from_cstr("dropped")};
        ev.props = props;
        ev.prop_count = n;
        assert_int_equal(kr_table_builder_add(b, &ev), KR_OK);
    }
    /* Keys are given before the first event. */
    assert_int_equal(kr_table_builder_keep_property(b, kr_str_from_cstr("late")), KR_EINVAL);
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

static kr_model *model(void)
{
    kr_model *m = NULL;
    assert_int_equal(kr_model_load_string(&m, model_yaml, sizeof model_yaml - 1, "p.yaml"), KR_OK);
    assert_int_equal(kr_model_warning_count(m), 0); /* property rules are evaluated */
    size_t count;
    const kr_str *keys = kr_model_property_keys(m, &count);
    assert_int_equal(count, 3); /* touchpoints' keys first, once each */
    assert_true(kr_str_eq_cstr(keys[0], "url"));
    assert_true(kr_str_eq_cstr(keys[1], "utm"));
    assert_true(kr_str_eq_cstr(keys[2], "plan"));
    return m;
}

static void test_columns(void **state)
{
    (void)state;
    kr_table *t = build(true);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.count, 8);
    const uint32_t *utm, *plan;
    uint32_t utm_i, plan_i;
    assert_int_equal(kr_table_property_column(t, kr_str_from_cstr("utm"), &utm, &utm_i), KR_OK);
    assert_int_equal(kr_table_property_column(t, kr_str_from_cstr("plan"), &plan, &plan_i), KR_OK);
    const uint32_t *none = (const uint32_t *)1;
    uint32_t none_i;
    assert_int_equal(kr_table_property_column(t, kr_str_from_cstr("other"), &none, &none_i),
                     KR_ENOTFOUND);
    assert_null(none);
    /* utm values: "", google, bing; plan: "", basis, plus, pro (order of arrival). */
    assert_int_equal(kr_table_property_value_count(t, utm_i), 3);
    assert_int_equal(kr_table_property_value_count(t, plan_i), 4);
    /* Sorted by person then time: q1 view, q1 signup, q2 view, q2 signup, q3 ad_click, q3
       view, q3 signup, q4 view. */
    static const char *const want_utm[] = {"google", "", "bing", "", "google", "", "", ""};
    static const char *const want_plan[] = {"", "plus", "", "pro", "", "", "basis", ""};
    for (size_t i = 0; i < c.count; i++) {
        assert_true(kr_str_eq_cstr(kr_table_property_value(t, utm_i, utm[i]), want_utm[i]));
        assert_true(kr_str_eq_cstr(kr_table_property_value(t, plan_i, plan[i]), want_plan[i]));
    }
    assert_int_equal(utm[1], 0); /* absent is code 0 */
    assert_int_equal(kr_table_event_bytes(t), 8 * (24 + 3 * 4));
    kr_table_free(t);
}

static void test_match(void **state)
{
    (void)state;
    kr_table *t = build(true);
    kr_model *m = model();
    kr_model_match *mm;
    assert_int_equal(kr_model_match_new(&mm, m, t), KR_OK);
    enum { SHOP = 0, AD = 1, PAID = 2, NONE = KR_MODEL_NONE };
    static const uint16_t want[] = {SHOP, PAID, NONE, NONE, AD, SHOP, PAID, NONE};
    const uint16_t *tp = kr_model_match_events(mm);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(tp[i], want[i]);
    assert_int_equal(kr_model_match_touchpoint_events(mm, SHOP), 2);
    assert_int_equal(kr_model_match_touchpoint_events(mm, AD), 1);
    assert_int_equal(kr_model_match_touchpoint_events(mm, PAID), 2);
    const uint32_t *persona = kr_model_match_personas(mm);
    assert_int_equal(persona[0], 0); /* q1 google */
    assert_int_equal(persona[1], 1); /* q2 rest */
    assert_int_equal(persona[2], 0); /* q3 google */
    assert_int_equal(persona[3], 1); /* q4 rest */
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
}

static void test_keys_not_kept(void **state)
{
    (void)state;
    kr_table *t = build(false);
    kr_model *m = model();
    kr_model_match *mm;
    assert_int_equal(kr_model_match_new(&mm, m, t), KR_OK);
    for (uint32_t k = 0; k < 3; k++)
        assert_int_equal(kr_model_match_touchpoint_events(mm, k), 0);
    assert_int_equal(kr_model_match_persona_persons(mm, 0), 0);
    assert_int_equal(kr_model_match_persona_persons(mm, 1), 4);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
}

static void test_phases_by_property(void **state)
{
    (void)state;
    kr_table *t = build(true);
    kr_model *m = model();
    kr_model_match *mm;
    assert_int_equal(kr_model_match_new(&mm, m, t), KR_OK);
    kr_phases_options o = KR_PHASES_OPTIONS_INIT;
    o.by = KR_PHASES_BY_PROPERTY;
    o.property = kr_str_from_cstr("utm");
    kr_phases_result r;
    assert_int_equal(kr_phases_run(&r, t, m, mm, &o), KR_OK);
    assert_string_equal(kr_phases_by_name(r.by), "property");
    assert_true(kr_str_eq_cstr(r.property, "utm"));
    assert_int_equal(r.group_count, 4);
    assert_int_equal(r.groups[0].persons, 4);
    assert_int_equal(r.groups[0].in_journey, 2);
    assert_int_equal(r.groups[0].rows[0].reached, 2);
    assert_int_equal(r.groups[0].rows[1].reached, 2);
    static const char *const keys[] = {"", "google", "(none)", "bing"};
    static const uint64_t persons[] = {4, 2, 1, 1}, in_journey[] = {2, 2, 0, 0};
    for (size_t g = 1; g < 4; g++) {
        assert_true(kr_str_eq_cstr(r.groups[g].key, keys[g]));
        assert_int_equal(r.groups[g].persons, persons[g]);
        assert_int_equal(r.groups[g].in_journey, in_journey[g]);
    }
    assert_int_equal(r.groups[1].rows[1].reached, 2);
    char *json = kr_phases_to_json(&r, m, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"by\":\"property\",\"property\":\"utm\""));
    free(json);
    kr_phases_finish(&r);

    /* A key the table did not keep: everyone is "(none)". */
    o.property = kr_str_from_cstr("missing");
    assert_int_equal(kr_phases_run(&r, t, m, mm, &o), KR_OK);
    assert_int_equal(r.group_count, 2);
    assert_true(kr_str_eq_cstr(r.groups[1].key, "(none)"));
    assert_int_equal(r.groups[1].persons, 4);
    kr_phases_finish(&r);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_keys_not_kept),
        cmocka_unit_test(test_phases_by_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
