/*
 * test_devices.c - device combinations, paths and the mobile-to-desktop lift on tables built
 * by hand; the expected numbers are worked out in the comments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/devices.h"

typedef struct ev {
    const char *user;
    int64_t t;
    const char *name;
    const char *device;
} ev;

static kr_table *build(const ev *e, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.time_ms = 1700000000000 + e[i].t * 1000;
        x.event = kr_str_from_cstr(e[i].name);
        x.device = kr_str_from_cstr(e[i].device);
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

static void assert_group(const kr_devices_group *g, const char *label, uint64_t persons,
                         uint64_t converted)
{
    assert_string_equal(g->label, label);
    assert_int_equal(g->persons, persons);
    assert_int_equal(g->converted, converted);
    assert_true(fabs(g->rate - (double)converted / (double)persons) < 1e-12);
}

#define M "mobile"
#define D "desktop"
#define T "tablet"
/*
 *   a  mobile view, desktop view, desktop purchase   {d,m}  mobile → desktop  conv (desktop)
 *   b  mobile view, mobile purchase, desktop view    {d,m}  mobile → desktop  conv (mobile)
 *   c  desktop view, mobile view                     {d,m}  desktop → mobile  -
 *   d  mobile view, mobile view                      {m}    mobile only       -
 *   e  mobile view, mobile purchase                  {m}    mobile only       conv
 *   f  desktop view, desktop purchase                {d}    desktop only      conv
 *   g  desktop view                                  {d}    desktop only      -
 *   h  email (no device), purchase (no device)       no device                conv
 *   i  none, tablet, mobile, desktop, desktop buy    {d,m,t} tablet → mobile → desktop conv
 *   j  none, mobile view, desktop purchase           {d,m}  mobile → desktop  conv (desktop)
 * single device: d e f g = 4, converted 2: 0.5
 * cross (first device mobile, used desktop): a b j = 3, converted on desktop a j = 2: 2/3
 * lift = (2/3) / 0.5 - 1 = 1/3
 */
static const ev people[] = {
    {"a", 1, "view", M},     {"a", 2, "view", D},        {"a", 3, "purchase", D},
    {"b", 1, "view", M},     {"b", 2, "purchase", M},    {"b", 3, "view", D},
    {"c", 1, "view", D},     {"c", 2, "view", M},        {"d", 1, "view", M},
    {"d", 2, "view", M},     {"e", 1, "view", M},        {"e", 2, "purchase", M},
    {"f", 1, "view", D},     {"f", 2, "purchase", D},    {"g", 1, "view", D},
    {"h", 1, "email", NULL}, {"h", 2, "purchase", NULL}, {"i", 1, "email", NULL},
    {"i", 2, "view", T},     {"i", 3, "view", M},        {"i", 4, "view", D},
    {"i", 5, "purchase", D}, {"j", 1, "email", NULL},    {"j", 2, "view", M},
    {"j", 3, "purchase", D},
};

static void combinations_paths_lift(void **state)
{
    (void)state;
    kr_table *t = build(people, sizeof people / sizeof *people);
    kr_devices_options o = KR_DEVICES_OPTIONS_INIT;
    kr_devices_result r;
    char err[128];
    assert_int_equal(kr_devices_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.persons, 10);
    assert_int_equal(r.persons_without_device, 1);
    assert_int_equal(r.converted_without_device, 1);
    assert_int_equal(r.combination_count, 4);
    assert_group(&r.combinations[0], "desktop+mobile", 4, 3);
    assert_group(&r.combinations[1], "desktop", 2, 1);
    assert_group(&r.combinations[2], "mobile", 2, 1);
    assert_group(&r.combinations[3], "desktop+mobile+tablet", 1, 1);
    assert_int_equal(r.path_count, 5);
    assert_group(&r.paths[0], "mobile \xe2\x86\x92 desktop", 3, 3);
    assert_group(&r.paths[1], "desktop only", 2, 1);
    assert_group(&r.paths[2], "mobile only", 2, 1);
    assert_group(&r.paths[3], "desktop \xe2\x86\x92 mobile", 1, 0);
    assert_group(&r.paths[4], "tablet \xe2\x86\x92 mobile \xe2\x86\x92 desktop", 1, 1);
    assert_int_equal(r.single.persons, 4);
    assert_int_equal(r.single.converted, 2);
    assert_int_equal(r.cross.persons, 3);
    assert_int_equal(r.cross.converted, 2);
    assert_true(fabs(r.lift - 1.0 / 3.0) < 1e-12);

    char *json = kr_devices_to_json(&r, &o, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "{\"devices\":\"desktop+mobile\",\"persons\":4,\"converted\":3,"
                                 "\"rate\":0.75}"));
    assert_non_null(strstr(json, "\"cross_device\":{\"first\":\"mobile\",\"converted_on\":"
                                 "\"desktop\",\"persons\":3,\"converted\":2,"));
    free(json);
    kr_devices_result_finish(&r);

    /* The other way round: first on desktop, converted on mobile: c only (not converted);
       single-device rate 0.5: rate 0, lift -1. */
    o.first_device = "desktop";
    o.convert_device = "mobile";
    assert_int_equal(kr_devices_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.cross.persons, 1);
    assert_int_equal(r.cross.converted, 0);
    assert_true(fabs(r.lift + 1.0) < 1e-12);
    kr_devices_result_finish(&r);

    /* Conversion "email": h, i, j did it, none of them single-device: single rate 0, so the
       lift is undefined; "desktop+mobile" has j (1 of 4). A device nobody used: no cross. */
    o.conversion_event = "email";
    o.first_device = "watch";
    assert_int_equal(kr_devices_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_group(&r.combinations[0], "desktop+mobile", 4, 1);
    assert_int_equal(r.single.converted, 0);
    assert_int_equal(r.cross.persons, 0);
    assert_true(isnan(r.lift));
    kr_devices_result_finish(&r);

    o.conversion_event = "";
    assert_int_equal(kr_devices_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_devices_result_finish(&r);
    kr_table_free(t);
}

/* Paths longer than KR_DEVICES_MAX_PATH (7): p9 used d1..d9, p8 d1..d8: both are
   "d1 → ... → d7 → …"; their combinations differ. */
static void long_paths(void **state)
{
    (void)state;
    ev e[17];
    char names[9][4];
    size_t n = 0;
    for (int k = 0; k < 9; k++) {
        snprintf(names[k], sizeof names[k], "d%d", k + 1);
        e[n++] = (ev){"p9", k, "view", names[k]};
        if (k < 8)
            e[n++] = (ev){"p8", k, "view", names[k]};
    }
    kr_table *t = build(e, n);
    kr_devices_options o = KR_DEVICES_OPTIONS_INIT;
    kr_devices_result r;
    assert_int_equal(kr_devices_run(&r, t, &o, NULL, 0), KR_OK);
    assert_int_equal(r.path_count, 1);
    assert_group(&r.paths[0],
                 "d1 \xe2\x86\x92 d2 \xe2\x86\x92 d3 \xe2\x86\x92 d4 \xe2\x86\x92 d5 \xe2\x86\x92 "
                 "d6 \xe2\x86\x92 d7 \xe2\x86\x92 \xe2\x80\xa6",
                 2, 0);
    assert_int_equal(r.combination_count, 2);
    assert_group(&r.combinations[0], "d1+d2+d3+d4+d5+d6+d7+d8", 1, 0);
    assert_group(&r.combinations[1], "d1+d2+d3+d4+d5+d6+d7+d8+d9", 1, 0);
    kr_devices_result_finish(&r);
    kr_table_free(t);
}

/* More than 64 device names: KR_ETOOBIG, not a wrong answer. */
static void too_many_devices(void **state)
{
    (void)state;
    ev e[65];
    char names[65][8];
    for (int k = 0; k < 65; k++) {
        snprintf(names[k], sizeof names[k], "dev%d", k);
        e[k] = (ev){"u", k, "view", names[k]};
    }
    kr_table *t = build(e, 64);
    kr_devices_options o = KR_DEVICES_OPTIONS_INIT;
    kr_devices_result r;
    char err[128];
    assert_int_equal(kr_devices_run(&r, t, &o, err, sizeof err), KR_OK); /* 64: fine */
    assert_int_equal(r.combination_count, 1);
    kr_devices_result_finish(&r);
    kr_table_free(t);
    t = build(e, 65);
    assert_int_equal(kr_devices_run(&r, t, &o, err, sizeof err), KR_ETOOBIG);
    assert_non_null(strstr(err, "65 device names"));
    kr_devices_result_finish(&r);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(combinations_paths_lift),
        cmocka_unit_test(long_paths),
        cmocka_unit_test(too_many_devices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
