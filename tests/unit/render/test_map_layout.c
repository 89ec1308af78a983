/*
 * test_map_layout.c - the journey-map poster's layout: for every template in both languages,
 * with and without figures from data, no two text boxes overlap, every box lies on the page,
 * every text fits its box as pango lays it out, and every touchpoint has its card with its
 * name. A synthetic model with 40 touchpoints and very long Dutch words still passes, with a
 * readable font. Also the Mermaid export of a small model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pango/pangocairo.h>

#include "klantreis/map.h"
#include "render/map_internal.h"

#define EPS 0.01

static kr_model *load(const char *text)
{
    kr_model *m = NULL;
    int rc = kr_model_load_string(&m, text, strlen(text), "test.yaml");
    if (rc != KR_OK)
        fail_msg("model: %s", kr_model_errmsg(m));
    return m;
}

/* Figures as kr_phases_run would give them, with large numbers and full drop-off lists. */
typedef struct figures {
    kr_phases_result r;
    kr_phases_group g;
    kr_phases_row rows[KR_MODEL_MAX_PHASES];
    kr_phases_touch touch[3];
    uint64_t tp_persons[KR_MODEL_MAX_TOUCHPOINTS];
} figures;

static void make_figures(figures *f, const kr_model *m)
{
    const kr_model_info *info = kr_model_get(m);
    memset(f, 0, sizeof *f);
    uint64_t reached = 987654321;
    for (size_t k = 0; k < info->phase_count; k++) {
        f->rows[k].phase = (uint32_t)k;
        f->rows[k].reached = reached;
        f->rows[k].dropped = reached / 3;
        f->rows[k].conversion_prev = k ? 0.6667 : 1.0;
        f->rows[k].conversion_first = 0.5;
        f->rows[k].last_touchpoints = f->touch;
        f->rows[k].last_touchpoint_count = info->touchpoint_count < 3 ? info->touchpoint_count : 3;
        reached = reached * 2 / 3;
    }
    for (uint32_t i = 0; i < 3; i++)
        f->touch[i] =
            (kr_phases_touch){info->touchpoint_count - 1 - i % info->touchpoint_count, 123456789};
    for (size_t i = 0; i < info->touchpoint_count; i++)
        f->tp_persons[i] = 1234567890123u;
    f->g.persons = 2000000000;
    f->g.in_journey = 1999999999;
    f->g.converted = 1000000;
    f->g.rows = f->rows;
    f->g.touchpoint_persons = f->tp_persons;
    f->r.phase_count = info->phase_count;
    f->r.touchpoint_count = info->touchpoint_count;
    f->r.groups = &f->g;
    f->r.group_count = 1;
}

static bool overlap(const kr_map_box *a, const kr_map_box *b)
{
    return a->x < b->x + b->w - EPS && b->x < a->x + a->w - EPS && a->y < b->y + b->h - EPS &&
           b->y < a->y + a->h - EPS;
}

/* Every check of the layout; what names the case in failure messages. */
static void check_layout(const kr_map_layout *l, const kr_model *m, const char *lang,
                         const char *what)
{
    const kr_model_info *info = kr_model_get(m);
    bool en = kr__map_lang_en(m, lang);
    assert_true(l->width >= 1191 - EPS && l->height >= 842 - EPS);
    assert_true(l->card_font >= 6.0);
    PangoContext *ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    kr__map_pango_setup(ctx);
    PangoLayout *pl = pango_layout_new(ctx);
    for (size_t i = 0; i < l->box_count; i++) {
        const kr_map_box *a = &l->boxes[i];
        if (a->x < -EPS || a->y < -EPS || a->x + a->w > l->width + EPS ||
            a->y + a->h > l->height + EPS || a->w <= 0 || a->h < 0)
            fail_msg("%s: box %zu (%.1f,%.1f %.1fx%.1f) '%s' is not on the %.0fx%.0f page", what, i,
                     a->x, a->y, a->w, a->h, a->text ? a->text : "", l->width, l->height);
        if (!a->text)
            continue;
        /* The text as pango lays it out fits inside its box. */
        kr__map_pango_box(pl, a);
        int pw, ph;
        pango_layout_get_size(pl, &pw, &ph);
        if ((double)pw / PANGO_SCALE > a->w - 2 * a->pad + EPS ||
            (double)ph / PANGO_SCALE > a->h - 2 * a->pad + EPS)
            fail_msg("%s: text '%s' (%.1fx%.1f) overflows its box %.1fx%.1f", what, a->text,
                     (double)pw / PANGO_SCALE, (double)ph / PANGO_SCALE, a->w, a->h);
        for (size_t j = i + 1; j < l->box_count; j++) {
            const kr_map_box *b = &l->boxes[j];
            if (b->text && overlap(a, b))
                fail_msg("%s: '%s' (%.1f,%.1f %.1fx%.1f) overlaps '%s' (%.1f,%.1f %.1fx%.1f)", what,
                         a->text, a->x, a->y, a->w, a->h, b->text, b->x, b->y, b->w, b->h);
        }
    }
    g_object_unref(pl);
    g_object_unref(ctx);
    for (uint32_t t = 0; t < info->touchpoint_count; t++) {
        const kr_model_touchpoint *tp = &info->touchpoints[t];
        kr_str name = kr__map_text(tp->name, en, tp->id);
        bool found = false;
        for (size_t i = 0; i < l->box_count && !found; i++) {
            const kr_map_box *b = &l->boxes[i];
            found = b->kind == KR_MAP_BOX_CARD && b->touchpoint == t && b->text &&
                    strncmp(b->text, name.ptr, name.len) == 0;
        }
        if (!found)
            fail_msg("%s: no card for touchpoint '%.*s'", what, (int)name.len, name.ptr);
    }
    for (uint32_t k = 0; k < info->phase_count; k++) {
        kr_str name = kr__map_text(info->phases[k].name, en, info->phases[k].id);
        bool found = false;
        for (size_t i = 0; i < l->box_count && !found; i++)
            found = l->boxes[i].text && strlen(l->boxes[i].text) == name.len &&
                    memcmp(l->boxes[i].text, name.ptr, name.len) == 0;
        if (!found)
            fail_msg("%s: no box with the name of phase %u", what, k);
    }
}

static void layout_both(const kr_model *m, const char *lang, const char *what)
{
    char label[160];
    figures *f = malloc(sizeof *f);
    assert_non_null(f);
    make_figures(f, m);
    for (int with = 0; with < 2; with++) {
        kr_map_options o = KR_MAP_OPTIONS_INIT;
        o.lang = lang;
        kr_map_layout l;
        assert_int_equal(kr_map_layout_run(&l, m, with ? &f->r : NULL, &o), KR_OK);
        snprintf(label, sizeof label, "%s, %s", what, with ? "with data" : "without data");
        check_layout(&l, m, lang, label);
        if (with) { /* the figures are on it */
            bool found = false;
            for (size_t i = 0; i < l.box_count && !found; i++)
                found = l.boxes[i].text && strstr(l.boxes[i].text, "987654321");
            assert_true(found);
        }
        kr_map_layout_finish(&l);
    }
    free(f);
}

static void test_templates(void **state)
{
    (void)state;
    const char *const *names = kr_model_template_names();
    for (size_t i = 0; names[i]; i++) {
        for (int en = 0; en < 2; en++) {
            const char *lang = en ? "en" : "nl";
            char *text = NULL, what[96];
            assert_int_equal(kr_model_template(&text, names[i], lang), KR_OK);
            kr_model *m = load(text);
            snprintf(what, sizeof what, "%s (%s)", names[i], lang);
            layout_both(m, NULL, what);
            /* A template leaves room on A3: its fonts are larger than the normal size. */
            kr_map_layout l;
            assert_int_equal(kr_map_layout_run(&l, m, NULL, NULL), KR_OK);
            if (!(l.card_font > 8.5 && l.height <= 842 + EPS))
                fail_msg("%s: cards at %.2f pt on a page %.0f high", what, l.card_font, l.height);
            kr_map_layout_finish(&l);
            /* The other language's labels and names on the same model. */
            snprintf(what, sizeof what, "%s (%s, --lang %s)", names[i], lang, en ? "nl" : "en");
            layout_both(m, en ? "nl" : "en", what);
            kr_model_free(m);
            free(text);
        }
    }
}

/* A model with `phases` phases and 40 touchpoints spread over them, named with long words. */
static char *big_model(size_t phases, size_t per_phase[])
{
    static const char *const words[] = {
        "Arbeidsongeschiktheidsverzekeringsaanvraagformulierbehandelingsprocedure",
        "Klanttevredenheidsonderzoeksresultatenpresentatiebijeenkomst",
        "Hypotheekrenteaftrekberekeningshulpmiddel", "Kort",
        "Meervoudigepersoonlijkheidsstoornissenbehandelingscentrumwachtlijst"};
    kr__map_buf b = {0};
    kr__map_buf_printf(
        &b,
        "lang: nl\nscope:\n  goal: \"%s %s\"\n  scope: \"%s\"\n"
        "  stakeholders: [%s, %s]\n  version: \"2.0\"\n  date: \"2026-11-25\"\n"
        "brand_values: [%s, %s, %s, %s, %s]\npersonas:\n  - id: p\n    name: %s\nphases:\n",
        words[0], words[1], words[2], words[4], words[3], words[0], words[1], words[2], words[3],
        words[4], words[0]);
    size_t tp = 0;
    for (size_t k = 0; k < phases; k++) {
        kr__map_buf_printf(&b,
                           "  - id: fase%zu\n    name: %s%zu\n    goal: \"%s %s\"\n"
                           "    kpis: [%s, %s]\n    expected_emotion: %d\n    touchpoints:\n",
                           k, words[k % 5], k, words[(k + 1) % 5], words[(k + 2) % 5],
                           words[(k + 3) % 5], words[k % 5], (int)(k % 5) - 2);
        for (size_t i = 0; i < per_phase[k]; i++, tp++)
            kr__map_buf_printf(&b,
                               "      - {id: tp%zu, name: \"%s %zu\", channel: kanaal%zu, "
                               "brand_value: %s, expected_emotion: %d, match: {event: e%zu}}\n",
                               tp, words[tp % 5], tp, tp % 13, words[(tp + 1) % 5],
                               (int)(tp % 5) - 2, tp);
    }
    assert_false(b.failed);
    return b.ptr;
}

static void test_forty_touchpoints(void **state)
{
    (void)state;
    struct {
        size_t phases;
        size_t per_phase[20];
    } cases[] = {
        {5, {8, 8, 8, 8, 8}},
        {4, {37, 1, 1, 1}},
        {12, {4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 2}},
        {1, {40}},
        {20, {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}}, /* a wider page */
        {12, {29, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},                        /* a taller page */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *text = big_model(cases[c].phases, cases[c].per_phase);
        kr_model *m = load(text);
        assert_int_equal(kr_model_get(m)->touchpoint_count, 40);
        char what[64];
        snprintf(what, sizeof what, "40 touchpoints in %zu phases", cases[c].phases);
        layout_both(m, NULL, what);
        kr_map_layout l;
        assert_int_equal(kr_map_layout_run(&l, m, NULL, NULL), KR_OK);
        /* Readable: cards no smaller than 6 pt; a poster taller than A3 only when needed. */
        assert_true(l.card_font >= 6.0);
        if (cases[c].phases == 5)
            assert_true(l.height <= 842 + EPS);
        if (cases[c].phases == 1) /* 40 cards in a wide column: four sub-columns fit A3 */
            assert_true(l.height <= 842 + EPS);
        if (cases[c].phases == 12 && cases[c].per_phase[0] == 29) /* 29 cards in 80 pt */
            assert_true(l.card_font == 6.0 && l.height > 842 && l.width > 1191);
        if (cases[c].phases == 20) /* columns of at least 80 pt */
            assert_true(l.width > 1191);
        kr_map_layout_finish(&l);
        kr_model_free(m);
        free(text);
    }
}

static void test_bad_lang(void **state)
{
    (void)state;
    kr_model *m =
        load("phases:\n  - id: a\n    touchpoints:\n      - {id: x, match: {event: x}}\n");
    kr_map_options o = {"de"};
    kr_map_layout l;
    assert_int_equal(kr_map_layout_run(&l, m, NULL, &o), KR_EINVAL);
    kr_map_layout_finish(&l);
    kr_model_free(m);
}

static void test_mermaid(void **state)
{
    (void)state;
    kr_model *m =
        load("lang: en\nscope:\n  goal: \"Why; #1\"\n"
             "phases:\n"
             "  - id: a\n    name: {nl: Oriëntatie, en: \"Look: around\"}\n"
             "    expected_emotion: -1\n    touchpoints:\n"
             "      - {id: x, name: \"Ad: big\", initiated_by: company, match: {event: x}}\n"
             "      - {id: y, expected_emotion: 1.5, match: {event: y}}\n"
             "      - {id: z, expected_emotion: -2, match: {event: z}}\n"
             "  - id: b\n    touchpoints:\n"
             "      - {id: w, expected_emotion: 0.4, match: {event: w}}\n");
    char *s = kr_map_to_mermaid(m, NULL);
    assert_string_equal(s, "journey\n"
                           "    title Why 1\n"
                           "    section Look around\n"
                           "        Ad big: 2: Company\n"
                           "        y: 5: Customer\n"
                           "        z: 1: Customer\n"
                           "    section b\n"
                           "        w: 3: Customer\n");
    free(s);
    s = kr_map_to_mermaid(m, "nl");
    assert_non_null(
        strstr(s, "    title Why 1\n    section Oriëntatie\n        Ad big: 2: Organisatie\n"));
    free(s);
    kr_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_forty_touchpoints),
        cmocka_unit_test(test_bad_lang),
        cmocka_unit_test(test_mermaid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
