/*
 * funnel_model.c - touchpoint and phase steps and the persona breakdown for funnels (see
 * funnel_model.h). The engine knows nothing of models: it matches numbers (tags) that this
 * file gives every event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_model.h"

/* Index of the touchpoint (or phase) with id v, or -1. */
static long find_touchpoint(const kr_model_info *info, kr_str v)
{
    for (size_t i = 0; i < info->touchpoint_count; i++)
        if (kr_str_eq(info->touchpoints[i].id, v))
            return (long)i;
    return -1;
}

static long find_phase(const kr_model_info *info, kr_str v)
{
    for (size_t i = 0; i < info->phase_count; i++)
        if (kr_str_eq(info->phases[i].id, v))
            return (long)i;
    return -1;
}

/* Appends text to buf (cap bytes, *len used); false when it does not fit. */
static bool append(char *buf, size_t cap, size_t *len, const char *text, size_t n)
{
    if (*len + n + 1 > cap)
        return false;
    memcpy(buf + *len, text, n);
    *len += n;
    buf[*len] = '\0';
    return true;
}

int funnel_model_rewrite(funnel_model *fm, const kr_model *m, const char *spec, const char **out,
                         char *err, size_t errlen)
{
    const kr_model_info *info = kr_model_get(m);
    *out = spec;
    if (!strchr(spec, '=')) {
        kr_str v = kr_str_from_cstr(spec);
        long tp = find_touchpoint(info, v), ph = tp < 0 ? find_phase(info, v) : -1;
        if (tp < 0 && ph < 0)
            return KR_OK; /* an event name */
        char rule[32];
        snprintf(rule, sizeof rule, "%s=%ld", tp >= 0 ? "tag" : "group", (tp >= 0 ? tp : ph) + 1);
        if (fm->spec_count == sizeof fm->specs / sizeof *fm->specs)
            return KR_ENOMEM; /* the CLI caps steps and exclusions below this */
        if (!(fm->specs[fm->spec_count] = strdup(rule)))
            return KR_ENOMEM;
        *out = fm->specs[fm->spec_count++];
        return KR_OK;
    }
    /* A rule: rewrite its touchpoint= and phase= conditions. */
    size_t cap = strlen(spec) + 64, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return KR_ENOMEM;
    buf[0] = '\0';
    bool changed = false;
    for (const char *p = spec; *p;) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        kr_str value = eq ? (kr_str){eq + 1, n - (size_t)(eq + 1 - p)} : KR_STR_NULL;
        bool is_tp = eq && (size_t)(eq - p) == 10 && memcmp(p, "touchpoint", 10) == 0;
        bool is_ph = eq && (size_t)(eq - p) == 5 && memcmp(p, "phase", 5) == 0;
        char part[32];
        const char *piece = p;
        size_t piece_len = n;
        if (is_tp || is_ph) {
            long i = is_tp ? find_touchpoint(info, value) : find_phase(info, value);
            if (i < 0) {
                snprintf(err, errlen, "step '%s': the model has no %s '%.*s'", spec,
                         is_tp ? "touchpoint" : "phase", (int)value.len, value.ptr);
                free(buf);
                return KR_EINVAL;
            }
            piece_len =
                (size_t)snprintf(part, sizeof part, "%s=%ld", is_tp ? "tag" : "group", i + 1);
            piece = part;
            changed = true;
        }
        if ((len && !append(buf, cap, &len, "&", 1)) || !append(buf, cap, &len, piece, piece_len)) {
            free(buf);
            return KR_ENOMEM; /* cannot happen: each rewritten part is shorter than 32 */
        }
        p = amp ? amp + 1 : p + n;
    }
    if (!changed || fm->spec_count == sizeof fm->specs / sizeof *fm->specs) {
        free(buf);
        return changed ? KR_ENOMEM : KR_OK;
    }
    fm->specs[fm->spec_count++] = buf;
    *out = buf;
    return KR_OK;
}

int funnel_model_bind(funnel_model *fm, const kr_model *m, const kr_model_match *mm,
                      const kr_table *t, bool by_persona, kr_funnel_options *o)
{
    const kr_model_info *info = kr_model_get(m);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    size_t n = c.count ? c.count : 1;
    fm->tags = malloc(n * sizeof *fm->tags);
    fm->groups = malloc(n * sizeof *fm->groups);
    if (!fm->tags || !fm->groups)
        return KR_ENOMEM;
    const uint16_t *tp = kr_model_match_events(mm);
    for (size_t i = 0; i < c.count; i++) {
        bool none = tp[i] == KR_MODEL_NONE;
        fm->tags[i] = none ? 0 : (uint16_t)(tp[i] + 1);
        fm->groups[i] = none ? 0 : (uint16_t)(info->touchpoints[tp[i]].phase + 1);
    }
    o->tags.tags = fm->tags;
    o->tags.groups = fm->groups;
    if (by_persona) {
        fm->persona_names =
            malloc((info->persona_count ? info->persona_count : 1) * sizeof *fm->persona_names);
        if (!fm->persona_names)
            return KR_ENOMEM;
        for (size_t i = 0; i < info->persona_count; i++)
            fm->persona_names[i] = info->personas[i].id;
        o->by = KR_FUNNEL_BY_PERSON;
        o->by_person = (kr_funnel_person_groups){kr_model_match_personas(mm), fm->persona_names,
                                                 (uint32_t)info->persona_count, "persona"};
    }
    return KR_OK;
}

void funnel_model_finish(funnel_model *fm)
{
    free(fm->tags);
    free(fm->groups);
    for (size_t i = 0; i < fm->spec_count; i++)
        free(fm->specs[i]);
    free(fm->persona_names);
    memset(fm, 0, sizeof *fm);
}
