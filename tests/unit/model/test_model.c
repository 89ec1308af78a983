/*
 * test_model.c - the journey model reader: every template (both languages) passes check with
 * no warnings; broken models give an exact "file:line:column: message"; lints; limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "klantreis/model.h"

static void test_templates_pass_check(void **state)
{
    (void)state;
    static const size_t phases[] = {5, 4, 5};
    const char *const *names = kr_model_template_names();
    for (size_t i = 0; names[i]; i++) {
        for (int l = 0; l < 2; l++) {
            const char *lang = l ? "en" : "nl";
            char *text = NULL;
            assert_int_equal(kr_model_template(&text, names[i], lang), KR_OK);
            kr_model *m = NULL;
            int rc = kr_model_load_string(&m, text, strlen(text), names[i]);
            if (rc != KR_OK)
                fail_msg("%s (%s): %s", names[i], lang, kr_model_errmsg(m));
            const kr_model_info *info = kr_model_get(m);
            assert_int_equal(info->phase_count, phases[i]);
            assert_true(kr_str_eq_cstr(info->lang, lang));
            assert_true(info->conversion.defined);
            for (size_t w = 0; w < kr_model_warning_count(m); w++)
                fail_msg("%s (%s): %s", names[i], lang, kr_model_warning(m, w));
            /* Names in both languages, whatever lang is. */
            assert_true(info->phases[0].name.nl.len > 0 && info->phases[0].name.en.len > 0);
            assert_null(strstr(text, "[["));
            assert_null(strstr(text, "]]"));
            kr_model_free(m);
            free(text);
        }
    }
    char *text = NULL;
    assert_int_equal(kr_model_template(&text, "nope", "nl"), KR_ENOTFOUND);
    assert_int_equal(kr_model_template(&text, "b2b", "de"), KR_ENOTFOUND);
    assert_null(text);
}

static void test_template_languages(void **state)
{
    (void)state;
    char *nl = NULL, *en = NULL;
    assert_int_equal(kr_model_template(&nl, "five-phases", NULL), KR_OK);
    assert_int_equal(kr_model_template(&en, "five-phases", "en"), KR_OK);
    assert_non_null(strstr(nl, "lang: nl\n"));
    assert_non_null(strstr(en, "lang: en\n"));
    assert_non_null(strstr(nl, "kpis: [bereik, nieuwe bezoekers]"));
    assert_non_null(strstr(en, "kpis: [reach, new visitors]"));
    kr_model *m = NULL;
    assert_int_equal(kr_model_load_string(&m, en, strlen(en), "t"), KR_OK);
    const kr_model_info *info = kr_model_get(m);
    kr_str name = kr_model_text_get(m, info->phases[1].name, info->phases[1].id);
    assert_true(kr_str_eq_cstr(name, "Consideration"));
    assert_true(kr_str_eq_cstr(info->phases[1].name.nl, "Overweging"));
    kr_model_free(m);
    free(nl);
    free(en);
}

typedef struct broken {
    const char *yaml;
    const char *message;
} broken;

/* Ten (and more) broken models and the exact message each must give. */
static const broken broken_models[] = {
    {"phases:\n  - id: a\n    touchpoint: []\n",
     "j.yaml:3:5: unknown key 'touchpoint' in a phase (expected id, name, description, goal, "
     "touchpoints, kpis, micro_conversions, expected_conversion, expected_emotion)"},
    {"phases: {a: 1}\n", "j.yaml:1:9: expected a list for phases, found a mapping"},
    {"phases:\n  - id: a\n    touchpoints:\n      - {id: t1, match: {event: x}}\n"
     "  - id: a\n    touchpoints:\n      - {id: t2, match: {event: y}}\n",
     "j.yaml:5:9: duplicate phase id 'a' (first on line 2)"},
    {"phases:\n  - id: a\n    name: Alpha\n",
     "j.yaml:2:5: phase 'a' has no touchpoints: a phase (chapter) holds the touchpoints where "
     "it happens"},
    {"phases:\n  - id: a\n    touchpoints:\n      - id: t1\n        match: {}\n",
     "j.yaml:5:16: bad rule: match needs at least one of event, channel, device, type, "
     "properties"},
    {"phases:\n  - id: a\n    touchpoints:\n      - id: t1\n        match: {type: click}\n",
     "j.yaml:5:23: bad rule: unknown event type 'click' (expected track, identify, page, "
     "screen, alias or group)"},
    {"phases:\n  - id: a\n    expected_emotion: 3\n    touchpoints:\n"
     "      - {id: t1, match: {event: x}}\n",
     "j.yaml:3:23: expected_emotion must lie between -2 and 2, not 3"},
    {"phases:\n  - id: a\n    micro_conversions: [nieuwsbrief]\n    touchpoints:\n"
     "      - {id: t1, match: {event: x}}\n",
     "j.yaml:3:24: unknown touchpoint 'nieuwsbrief' in micro_conversions (a micro-conversion "
     "names a touchpoint id)"},
    {"phases:\n  - id: a\n    touchpoints: [\n", "j.yaml:4:1: not valid YAML: did not find "
                                                 "expected node content while parsing a flow "
                                                 "node"},
    {"phases:\n  - id: a\n    touchpoints:\n      - {id: t1, match: {event: x}}\n"
     "  - id: b\n    touchpoints:\n      - {id: t1, match: {event: y}}\n",
     "j.yaml:7:14: duplicate touchpoint id 't1' (first on line 4)"},
    {"phases:\n  - id: a\n    id: b\n", "j.yaml:3:5: duplicate key 'id' in a phase"},
    {"scope:\n  goal: x\n", "j.yaml:1:1: the model needs 'phases': the ordered chapters of the "
                            "journey"},
    {"phases:\n  - id: a\n    touchpoints:\n      - id: t1\n        match:\n"
     "          properties:\n            - {key: utm, equals: x, prefix: y}\n",
     "j.yaml:7:15: bad rule: a property rule needs exactly one of equals, prefix, one_of"},
    {"phases:\n  - id: a\n    touchpoints:\n      - id: t1\n        match:\n"
     "          properties:\n            - {key: '', equals: x}\n",
     "j.yaml:7:21: bad rule: empty property key"},
    {"phases:\n  - id: 'a b'\n    touchpoints: []\n",
     "j.yaml:2:9: bad id 'a b' for phase id: use 1-64 letters, digits, '-', '_' or '.'"},
    {"phases:\n  - id: a\n    touchpoints:\n      - {id: t1, initiated_by: someone, match: "
     "{event: x}}\n",
     "j.yaml:4:32: expected customer or company for initiated_by, not 'someone'"},
    {"", "j.yaml:1:1: empty model: expected a mapping with 'phases'"},
    {"- a\n- b\n", "j.yaml:1:1: expected a mapping for the model, found a list"},
    {"lang: de\nphases: []\n", "j.yaml:1:7: expected nl or en for lang, not 'de'"},
    {"phases:\n  - id: a\n    touchpoints:\n      - {id: t1, brand_value: Snel, match: "
     "{event: x}}\nbrand_values: [Persoonlijk]\n",
     "j.yaml:4:31: unknown brand value 'Snel' (not in brand_values)"},
    {"scope: {version: 3}\nphases: []\n",
     "j.yaml:1:18: expected version 1.0 (assumed) or 2.0 (validated with customers), not '3'"},
    {"phases:\n  - id: a\n    touchpoints:\n      - {id: t1, match: {event: x}}\n"
     "conversion: {touchpoint: t2}\n",
     "j.yaml:5:26: unknown touchpoint 't2' in conversion"},
    {"phases:\n  - &p {id: a, touchpoints: [{id: t1, match: {event: x}}]}\n  - *p\n",
     "j.yaml:2:13: duplicate phase id 'a' (first on line 2)"},
};

static void test_broken_models(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof broken_models / sizeof *broken_models; i++) {
        const broken *b = &broken_models[i];
        kr_model *m = NULL;
        int rc = kr_model_load_string(&m, b->yaml, strlen(b->yaml), "j.yaml");
        assert_int_equal(rc, KR_EPARSE);
        if (strcmp(kr_model_errmsg(m), b->message) != 0)
            fail_msg("case %zu:\n  got      %s\n  expected %s", i, kr_model_errmsg(m), b->message);
        kr_model_free(m);
    }
}

static void test_lints(void **state)
{
    (void)state;
    static const char yaml[] = "phases:\n"
                               "  - id: email\n"
                               "    touchpoints:\n"
                               "      - {id: mail, match: {event: email_open}}\n"
                               "  - id: gesprek\n"
                               "    name: Gesprek\n"
                               "    touchpoints:\n"
                               "      - {id: mond_tot_mond, name: Mond-tot-mondreclame}\n"
                               "      - id: bron\n"
                               "        match:\n"
                               "          properties: [{key: utm_source, one_of: [a, b]}]\n";
    kr_model *m = NULL;
    assert_int_equal(kr_model_load_string(&m, yaml, sizeof yaml - 1, "l.yaml"), KR_OK);
    assert_int_equal(kr_model_warning_count(m), 2);
    assert_string_equal(kr_model_warning(m, 0),
                        "l.yaml:2:5: warning: phase 'email' has one touchpoint and is named "
                        "after a channel or an action: is a touchpoint used as a chapter? a "
                        "phase is a stage the customer goes through, holding several "
                        "touchpoints");
    assert_string_equal(kr_model_warning(m, 1),
                        "l.yaml:8:9: warning: touchpoint 'mond_tot_mond' has no match rule: "
                        "it is on the map, but no event can match it");
    /* Property rules are evaluated: 'bron' is measurable, so 'gesprek' can be seen. */
    size_t key_count;
    const kr_str *keys = kr_model_property_keys(m, &key_count);
    assert_int_equal(key_count, 1);
    assert_true(kr_str_eq_cstr(keys[0], "utm_source"));
    const kr_model_info *info = kr_model_get(m);
    assert_int_equal(info->touchpoints[2].match.prop_count, 1);
    assert_int_equal(info->touchpoints[2].match.props[0].op, KR_PROP_ONE_OF);
    assert_int_equal(info->touchpoints[2].match.props[0].value_count, 2);
    kr_model_free(m);
}

static void test_full_model_fields(void **state)
{
    (void)state;
    static const char yaml[] =
        "lang: en\n"
        "scope: {goal: g, scope: s, stakeholders: [a, b], version: '2.0', owner: o, date: "
        "'2025-01-01'}\n"
        "brand_values: [{nl: Snel, en: Fast}]\n"
        "personas:\n"
        "  - {id: mob, match: {first_device: mobile, account: false}}\n"
        "  - {id: rest}\n"
        "phases:\n"
        "  - id: a\n"
        "    name: {nl: Eerste, en: First}\n"
        "    expected_conversion: 40%\n"
        "    kpis: k1\n"
        "    micro_conversions: t2\n"
        "    touchpoints:\n"
        "      - {id: t1, channel: web, online: yes, direct: nee, initiated_by: klant,\n"
        "         brand_value: fast, expected_emotion: -1.5,\n"
        "         match: {event: [x, Y Z], channel: [Web], device: mobile, type: [track, "
        "page]}}\n"
        "      - {id: t2, match: {event: s}}\n"
        "conversion: {event: [buy]}\n"
        "repeat: {touchpoint: t1, min_count: 3}\n";
    kr_model *m = NULL;
    int rc = kr_model_load_string(&m, yaml, sizeof yaml - 1, "f.yaml");
    if (rc)
        fail_msg("%s", kr_model_errmsg(m));
    const kr_model_info *i = kr_model_get(m);
    assert_true(kr_str_eq_cstr(i->scope.version, "2.0"));
    assert_int_equal(i->scope.stakeholder_count, 2);
    assert_int_equal(i->persona_count, 2);
    assert_int_equal(i->personas[0].account, 0);
    assert_false(i->personas[1].has_match);
    const kr_model_phase *p = &i->phases[0];
    assert_true(p->has_expected_conversion);
    assert_true(p->expected_conversion > 0.399 && p->expected_conversion < 0.401);
    assert_int_equal(p->micro_count, 1);
    assert_int_equal(p->micro[0], 1);
    const kr_model_touchpoint *t = &i->touchpoints[0];
    assert_int_equal(t->online, 1);
    assert_int_equal(t->direct, 0);
    assert_int_equal(t->initiated_by, KR_INITIATOR_CUSTOMER);
    assert_true(t->expected_emotion < -1.49 && t->expected_emotion > -1.51);
    assert_int_equal(t->match.event_count, 2);
    assert_int_equal(t->match.types, (1u << KR_TYPE_TRACK) | (1u << KR_TYPE_PAGE));
    assert_int_equal(i->conversion.touchpoint, KR_MODEL_NONE);
    assert_int_equal(i->conversion.min_count, 1);
    assert_int_equal(i->repeat.touchpoint, 0);
    assert_int_equal(i->repeat.min_count, 3);
    kr_model_free(m);
}

static void test_limits_and_files(void **state)
{
    (void)state;
    kr_model *m = NULL;
    assert_int_equal(kr_model_load_file(&m, "/nonexistent/journey.yaml"), KR_EIO);
    assert_string_equal(kr_model_errmsg(m),
                        "/nonexistent/journey.yaml: cannot open: No such file or directory");
    kr_model_free(m);
    /* 65 phases: one too many. */
    size_t cap = 65 * 64 + 16, len = 0;
    char *big = malloc(cap);
    len += (size_t)snprintf(big, cap, "phases:\n");
    for (int i = 0; i < 65; i++)
        len +=
            (size_t)snprintf(big + len, cap - len,
                             "  - {id: p%d, touchpoints: [{id: t%d, match: {event: e}}]}\n", i, i);
    assert_int_equal(kr_model_load_string(&m, big, len, "big.yaml"), KR_EPARSE);
    assert_string_equal(kr_model_errmsg(m), "big.yaml:2:3: too many phases (at most 64)");
    kr_model_free(m);
    free(big);
    kr_model_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates_pass_check), cmocka_unit_test(test_template_languages),
        cmocka_unit_test(test_broken_models),        cmocka_unit_test(test_lints),
        cmocka_unit_test(test_full_model_fields),    cmocka_unit_test(test_limits_and_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
