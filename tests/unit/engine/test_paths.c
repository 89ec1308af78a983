/*
 * test_paths.c - paths on tables built by hand; every expected answer is worked out in the
 * comment above it (docs/paths.md states the rules).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/paths.h"

typedef struct ev {
    const char *user;
    int64_t t;
    const char *name;
    const char *channel;
} ev;

static kr_table *build(const ev *e, size_t n)
{
    kr_table_builder *b;
    assert_int_equal(kr_table_builder_new(&b), KR_OK);
    for (size_t i = 0; i < n; i++) {
        kr_event x = KR_EVENT_INIT;
        x.user_id = kr_str_from_cstr(e[i].user);
        x.time_ms = e[i].t;
        x.event = kr_str_from_cstr(e[i].name);
        x.channel = kr_str_from_cstr(e[i].channel);
        assert_int_equal(kr_table_builder_add(b, &x), KR_OK);
    }
    kr_table *t;
    assert_int_equal(kr_table_builder_finish(b, &t), KR_OK);
    return t;
}

/* The paths of r as "a>b=2;c=1" (count after '='), top first. */
static const char *show(const kr_paths_result *r)
{
    static char buf[1024];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->path_count; i++) {
        const kr_paths_path *p = &r->paths[i];
        if (i)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ";");
        for (size_t k = 0; k < p->len; k++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.*s", k ? ">" : "",
                                  (int)p->steps[k].len, p->steps[k].ptr);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "=%llu", (unsigned long long)p->count);
    }
    return buf;
}

static const char *run(const kr_table *t, const kr_paths_options *o)
{
    kr_paths_result r;
    char err[128];
    assert_int_equal(kr_paths_run(&r, t, o, err, sizeof err), KR_OK);
    const char *s = show(&r);
    kr_paths_result_finish(&r);
    return s;
}

/* ann: view view cart view buy -> view>cart>view>buy (the repeated view is one step) */
static const ev one[] = {
    {"ann", 0, "view", NULL},    {"ann", 1000, "view", NULL}, {"ann", 2000, "cart", NULL},
    {"ann", 3000, "view", NULL}, {"ann", 4000, "buy", NULL},
};

static void collapse_and_depth(void **state)
{
    (void)state;
    kr_table *t = build(one, 5);
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    assert_string_equal(run(t, &o), "view>cart>view>buy=1");
    o.depth = 3; /* the first 3 steps */
    assert_string_equal(run(t, &o), "view>cart>view=1");
    o.depth = 1;
    assert_string_equal(run(t, &o), "view=1");
    o.depth = 32; /* 32 codes do not fit one 64-bit key: the unpacked path set */
    assert_string_equal(run(t, &o), "view>cart>view>buy=1");
    kr_table_free(t);
}

static void from_and_to(void **state)
{
    (void)state;
    kr_table *t = build(one, 5);
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    /* starts at the first cart */
    o.from = "cart";
    assert_string_equal(run(t, &o), "cart>view>buy=1");
    /* ends at the first buy after the start */
    o.to = "buy";
    assert_string_equal(run(t, &o), "cart>view>buy=1");
    /* from = to: the next occurrence after the start ends it */
    o.from = "view";
    o.to = "view";
    assert_string_equal(run(t, &o), "view>cart>view=1");
    /* a from/to the person never reaches (or the table lacks) leaves the person out */
    o.from = "cart";
    o.to = "home";
    assert_string_equal(run(t, &o), "");
    o.from = "nope";
    o.to = NULL;
    assert_string_equal(run(t, &o), "");
    /* without from, the first step can itself be the end */
    o.from = NULL;
    o.to = "view";
    assert_string_equal(run(t, &o), "view=1");
    /* to without from keeps the last depth steps: view>cart>view>buy -> view>buy */
    o.to = "buy";
    o.depth = 2;
    assert_string_equal(run(t, &o), "view>buy=1");
    o.depth = 4;
    assert_string_equal(run(t, &o), "view>cart>view>buy=1");
    /* from and to with a longer path: the first depth steps, and the person counts because
       the path reaches buy: view>cart>view>buy -> view>cart */
    o.from = "view";
    o.depth = 2;
    assert_string_equal(run(t, &o), "view>cart=1");
    kr_table_free(t);
}

/*
 * Sessions with a 30 minute gap: bea's events at 0, 30:00 (a gap of exactly 30 minutes: the
 * same session) and 60:00.001 (a gap of 30:00.001: a new session).
 *   per person: a>b>c
 *   per session: a>b and c
 */
static const ev gaps[] = {
    {"bea", 0, "a", NULL},
    {"bea", 1800000, "b", NULL},
    {"bea", 3600001, "c", NULL},
};

static void per_session_gap_boundary(void **state)
{
    (void)state;
    kr_table *t = build(gaps, 3);
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    kr_paths_result r;
    char err[128];
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.units, 1);
    assert_string_equal(show(&r), "a>b>c=1");
    kr_paths_result_finish(&r);
    o.per = KR_PATHS_PER_SESSION;
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.units, 2);
    assert_string_equal(show(&r), "a>b=1;c=1");
    assert_true(r.paths[0].share == 0.5);
    kr_paths_result_finish(&r);
    /* a gap of 1 ms less: every gap is larger, three sessions */
    o.session_gap_ms = 1799999;
    assert_string_equal(run(t, &o), "a=1;b=1;c=1");
    /* from applies per session: only the session with b has a path */
    o.session_gap_ms = 1800000;
    o.from = "b";
    assert_string_equal(run(t, &o), "b=1");
    kr_table_free(t);
}

/*
 * Ranking and Sankey. Paths: p1 view>cart>buy, p2 view>cart, p3 home>view, p4 view>cart.
 * Top: view>cart=2, then the ties by name: home>view, view>cart>buy.
 * Nodes: step 0 view 3, home 1; step 1 cart 3, view 1; step 2 buy 1.
 * Links: 0:view->1:cart 3, 0:home->1:view 1, 1:cart->2:buy 1.
 */
static const ev many[] = {
    {"p1", 0, "view", NULL}, {"p1", 1, "cart", NULL}, {"p1", 2, "buy", NULL},
    {"p2", 0, "view", NULL}, {"p2", 1, "cart", NULL}, {"p3", 0, "home", NULL},
    {"p3", 1, "view", NULL}, {"p4", 5, "view", NULL}, {"p4", 9, "cart", NULL},
};

static void ranking_and_sankey(void **state)
{
    (void)state;
    kr_table *t = build(many, 9);
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    kr_paths_result r;
    char err[128];
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_int_equal(r.units, 4);
    assert_int_equal(r.distinct, 3);
    assert_string_equal(show(&r), "view>cart=2;home>view=1;view>cart>buy=1");
    assert_true(r.paths[0].share == 0.5);
    static const struct {
        uint32_t step;
        const char *name;
        uint64_t value;
    } nodes[] = {{0, "view", 3}, {0, "home", 1}, {1, "cart", 3}, {1, "view", 1}, {2, "buy", 1}};
    assert_int_equal(r.node_count, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(r.nodes[i].step, nodes[i].step);
        assert_true(kr_str_eq_cstr(r.nodes[i].name, nodes[i].name));
        assert_int_equal(r.nodes[i].value, nodes[i].value);
    }
    static const struct {
        uint32_t step;
        const char *source, *target;
        uint64_t value;
    } links[] = {{0, "view", "cart", 3}, {0, "home", "view", 1}, {1, "cart", "buy", 1}};
    assert_int_equal(r.link_count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(r.links[i].step, links[i].step);
        assert_true(kr_str_eq_cstr(r.links[i].source, links[i].source));
        assert_true(kr_str_eq_cstr(r.links[i].target, links[i].target));
        assert_int_equal(r.links[i].value, links[i].value);
    }
    char *json = kr_paths_to_json(&r, &o, false);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"paths\":[{\"path\":[\"view\",\"cart\"],\"persons\":2,"
                                 "\"share\":0.5}"));
    assert_non_null(strstr(json, "{\"id\":\"0:view\",\"step\":0,\"name\":\"view\",\"value\":3}"));
    assert_non_null(strstr(json, "{\"source\":\"0:view\",\"target\":\"1:cart\",\"value\":3}"));
    free(json);
    kr_paths_result_finish(&r);
    /* the same with paths that do not fit one 64-bit key */
    o.depth = 32;
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_string_equal(show(&r), "view>cart=2;home>view=1;view>cart>buy=1");
    assert_int_equal(r.node_count, 5);
    assert_int_equal(r.link_count, 3);
    assert_int_equal(r.links[0].value, 3);
    kr_paths_result_finish(&r);
    o.depth = 5;
    /* top 1 keeps the first path only; the Sankey still covers every path */
    o.top = 1;
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_OK);
    assert_string_equal(show(&r), "view>cart=2");
    assert_int_equal(r.link_count, 3);
    kr_paths_result_finish(&r);
    kr_table_free(t);
}

/* Channels: events without a channel are skipped and do not break a repeat:
   cas: email, (none), email, ad -> email>ad */
static const ev chans[] = {
    {"cas", 0, "view", "email"},
    {"cas", 1, "view", NULL},
    {"cas", 2, "cart", "email"},
    {"cas", 3, "buy", "ad"},
};

static void of_channel(void **state)
{
    (void)state;
    kr_table *t = build(chans, 4);
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    o.of = KR_PATHS_OF_CHANNEL;
    assert_string_equal(run(t, &o), "email>ad=1");
    o.from = "ad";
    assert_string_equal(run(t, &o), "ad=1");
    kr_table_free(t);
}

/* Touchpoints given as tags: ann's five events tagged 0, none, 1, 1, 0 -> tp0>tp1>tp0 */
static void of_touchpoint(void **state)
{
    (void)state;
    kr_table *t = build(one, 5);
    static const uint16_t tags[] = {0, KR_PATHS_NO_TAG, 1, 1, 0};
    kr_str names[] = {kr_str_from_cstr("tp0"), kr_str_from_cstr("tp1")};
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    o.of = KR_PATHS_OF_TOUCHPOINT;
    o.tags = tags;
    o.tag_names = names;
    o.tag_count = 2;
    assert_string_equal(run(t, &o), "tp0>tp1>tp0=1");
    o.from = "tp1";
    assert_string_equal(run(t, &o), "tp1>tp0=1");
    kr_table_free(t);
}

/*
 * After drop-off, funnel view,cart,buy (in order, no window, greedy on collapsed steps):
 *   d1: view home view cart buy       -> reaches 3: never a drop-off
 *   d2: home view home exit           -> reaches 1 at its view: view>home>exit
 *   d3: view cart home home view      -> reaches 2 at its cart: cart>home>view
 *   d4: cart view                     -> reaches 1 (the earlier cart does not count): view
 *   d5: view a b c d cart             -> reaches 2 at its cart, after the depth: not a drop-off
 *                                        at 1 even with depth 2; at 2: cart
 * N = 1: view=1; view>home>exit=1 (d1, d3 and d5 reach cart later)
 * N = 2: cart=1; cart>home>view=1
 */
static const ev drops[] = {
    {"d1", 0, "view", NULL}, {"d1", 1, "home", NULL}, {"d1", 2, "view", NULL},
    {"d1", 3, "cart", NULL}, {"d1", 4, "buy", NULL},  {"d2", 0, "home", NULL},
    {"d2", 1, "view", NULL}, {"d2", 2, "home", NULL}, {"d2", 3, "exit", NULL},
    {"d3", 0, "view", NULL}, {"d3", 1, "cart", NULL}, {"d3", 2, "home", NULL},
    {"d3", 3, "home", NULL}, {"d3", 4, "view", NULL}, {"d4", 0, "cart", NULL},
    {"d4", 1, "view", NULL}, {"d5", 0, "view", NULL}, {"d5", 1, "a", NULL},
    {"d5", 2, "b", NULL},    {"d5", 3, "c", NULL},    {"d5", 4, "d", NULL},
    {"d5", 5, "cart", NULL},
};

static void after_drop_off(void **state)
{
    (void)state;
    kr_table *t = build(drops, sizeof drops / sizeof *drops);
    const char *steps[] = {"view", "cart", "buy"};
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    o.steps = steps;
    o.step_count = 3;
    o.after_drop_off = 1;
    assert_string_equal(run(t, &o), "view=1;view>home>exit=1");
    o.depth = 2;
    assert_string_equal(run(t, &o), "view=1;view>home=1");
    o.after_drop_off = 2;
    assert_string_equal(run(t, &o), "cart=1;cart>home=1");
    o.depth = 5;
    assert_string_equal(run(t, &o), "cart=1;cart>home>view=1");
    /* a step the data lacks: nobody reaches it, so nobody drops off after it */
    const char *missing[] = {"nope", "cart"};
    o.steps = missing;
    o.step_count = 2;
    o.after_drop_off = 1;
    assert_string_equal(run(t, &o), "");
    /* the drop-off step must come before the last step; not with from */
    kr_paths_result r;
    char err[128];
    o.after_drop_off = 2;
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_paths_result_finish(&r);
    o.after_drop_off = 1;
    o.from = "view";
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_paths_result_finish(&r);
    kr_table_free(t);
}

static void bad_options(void **state)
{
    (void)state;
    kr_table *t = build(one, 5);
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    kr_paths_result r;
    char err[128];
    o.depth = 0;
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    assert_string_equal(err, "depth must be 1 to 32 steps");
    kr_paths_result_finish(&r);
    o.depth = 5;
    o.of = KR_PATHS_OF_TOUCHPOINT; /* no tags */
    assert_int_equal(kr_paths_run(&r, t, &o, err, sizeof err), KR_EINVAL);
    kr_paths_result_finish(&r);
    kr_paths_of of;
    assert_int_equal(kr_paths_of_parse(&of, "channel"), KR_OK);
    assert_int_equal(of, KR_PATHS_OF_CHANNEL);
    assert_int_equal(kr_paths_of_parse(&of, "phase"), KR_EINVAL);
    kr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collapse_and_depth),
        cmocka_unit_test(from_and_to),
        cmocka_unit_test(per_session_gap_boundary),
        cmocka_unit_test(ranking_and_sankey),
        cmocka_unit_test(of_channel),
        cmocka_unit_test(of_touchpoint),
        cmocka_unit_test(after_drop_off),
        cmocka_unit_test(bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
