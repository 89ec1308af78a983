/*
 * match.c - a model compiled against a table: the touchpoint of every event and the persona of
 * every person, so that analyses read one array entry per event instead of evaluating rules.
 *
 *     kr_model_match *mm;
 *     if (kr_model_match_new(&mm, model, table) < 0) return KR_ENOMEM;
 *     const uint16_t *tp = kr_model_match_events(mm);   // tp[i]: touchpoint of event i
 *     kr_model_match_free(mm);
 *
 * Rules are resolved per dictionary code, not per event: for each distinct event name the
 * touchpoints whose name condition holds (in file order), for each channel and device code
 * whether each touchpoint's condition holds. The per-event loop then walks a short candidate
 * list (usually one or two touchpoints) and tests two bits and a type mask. Property
 * conditions are resolved the same way, per value code of the property's column in the table
 * (kr_table_property_column): one byte per code says whether the condition holds, so the
 * per-event test is one look-up per condition. A key the table did not keep matches nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model_internal.h"

struct kr_model_match {
    const kr_model *m;
    uint16_t *event_tp;
    size_t event_count;
    uint32_t *persona;
    uint32_t person_count;
    uint64_t *tp_events;
    uint64_t *persona_persons;
    uint8_t *name_goal;    /* per name code: bit 0 conversion event, bit 1 repeat event */
    const uint32_t *names; /* the table's name column (borrowed) */
};

/* Event names compare case-insensitively, with ' ' and '-' read as '_'. */
static int norm(char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch + 32;
    if (ch == ' ' || ch == '-')
        return '_';
    return (unsigned char)ch;
}

static int name_cmp(kr_str a, kr_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++) {
        int x = norm(a.ptr[i]), y = norm(b.ptr[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

static bool in_names(const kr_str *list, size_t count, kr_str s)
{
    for (size_t i = 0; i < count; i++)
        if (name_cmp(list[i], s) == 0)
            return true;
    return false;
}

static bool in_caseless(const kr_str *list, size_t count, kr_str s)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].len == s.len && strncasecmp(list[i].ptr, s.ptr, s.len) == 0)
            return true;
    return false;
}

typedef struct name_entry {
    kr_str name;
    uint16_t tp;
} name_entry;

static int entry_cmp(const void *a, const void *b)
{
    const name_entry *x = a, *y = b;
    int c = name_cmp(x->name, y->name);
    return c ? c : (x->tp > y->tp) - (x->tp < y->tp);
}

static int u16_cmp(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return (x > y) - (x < y);
}

/* Per code of one dictionary, whether it is in list (case-insensitive). */
static uint8_t *code_set(const kr_table *t, kr_dict_kind kind, const kr_str *list, size_t count)
{
    uint32_t n = kr_table_dict_count(t, kind);
    uint8_t *ok = calloc(n ? n : 1, 1);
    if (!ok)
        return NULL;
    for (uint32_t code = 1; code < n; code++)
        ok[code] = in_caseless(list, count, kr_table_dict_get(t, kind, code));
    return ok;
}

/* One property condition resolved against the table: ok[code] per value code of its column. */
typedef struct prop_check {
    const uint32_t *codes; /* the key's column; NULL when the table did not keep the key */
    uint8_t *ok;
} prop_check;

/* Values compare exactly (case-sensitive): property values are ids, URLs, campaign codes. */
static bool value_holds(const kr_model_prop_rule *r, kr_str v)
{
    for (size_t i = 0; i < r->value_count; i++) {
        kr_str w = r->values[i];
        if (r->op == KR_PROP_PREFIX ? v.len >= w.len && memcmp(v.ptr, w.ptr, w.len) == 0
                                    : kr_str_eq(v, w))
            return true;
    }
    return false;
}

static void prop_checks_free(prop_check *pc, size_t count)
{
    for (size_t k = 0; pc && k < count; k++)
        free(pc[k].ok);
    free(pc);
}

/* The checks of count rules (NULL for none); KR_ENOMEM. */
static int prop_checks_new(prop_check **out, const kr_table *t, const kr_model_prop_rule *rules,
                           size_t count)
{
    *out = NULL;
    if (!count)
        return KR_OK;
    prop_check *pc = calloc(count, sizeof *pc);
    if (!pc)
        return KR_ENOMEM;
    for (size_t k = 0; k < count; k++) {
        uint32_t prop;
        if (kr_table_property_column(t, rules[k].key, &pc[k].codes, &prop) < 0)
            continue;
        uint32_t n = kr_table_property_value_count(t, prop);
        if (!(pc[k].ok = calloc(n ? n : 1, 1))) {
            prop_checks_free(pc, count);
            return KR_ENOMEM;
        }
        for (uint32_t code = 1; code < n; code++) /* code 0: absent, never holds */
            pc[k].ok[code] = value_holds(&rules[k], kr_table_property_value(t, prop, code));
    }
    *out = pc;
    return KR_OK;
}

static bool props_hold(const prop_check *pc, size_t count, size_t i)
{
    for (size_t k = 0; k < count; k++)
        if (!pc[k].codes || !pc[k].ok[pc[k].codes[i]])
            return false;
    return true;
}

static bool tp_usable(const kr_model_touchpoint *tp)
{
    return tp->has_match;
}

static int match_events(kr_model_match *mm, const kr_table *t)
{
    const kr_model_info *info = &mm->m->info;
    size_t ntp = info->touchpoint_count;
    uint32_t names = kr_table_dict_count(t, KR_DICT_NAME);
    int rc = KR_ENOMEM;
    name_entry *entries = NULL;
    size_t entry_count = 0, entry_cap = 0;
    uint16_t *wild = malloc((ntp ? ntp : 1) * sizeof *wild), *cand = NULL;
    size_t wild_count = 0;
    size_t *start = calloc((size_t)names + 1, sizeof *start);
    uint8_t **chan = calloc(ntp ? ntp : 1, sizeof *chan);
    uint8_t **dev = calloc(ntp ? ntp : 1, sizeof *dev);
    prop_check **props = calloc(ntp ? ntp : 1, sizeof *props);
    if (!wild || !start || !chan || !dev || !props)
        goto done;
    for (size_t i = 0; i < ntp; i++) {
        const kr_model_touchpoint *tp = &info->touchpoints[i];
        if (!tp_usable(tp))
            continue;
        if (tp->match.channel_count &&
            !(chan[i] = code_set(t, KR_DICT_CHANNEL, tp->match.channels, tp->match.channel_count)))
            goto done;
        if (tp->match.device_count &&
            !(dev[i] = code_set(t, KR_DICT_DEVICE, tp->match.devices, tp->match.device_count)))
            goto done;
        if (prop_checks_new(&props[i], t, tp->match.props, tp->match.prop_count) < 0)
            goto done;
        if (tp->match.event_count == 0) {
            wild[wild_count++] = (uint16_t)i;
            continue;
        }
        for (size_t k = 0; k < tp->match.event_count; k++) {
            if (entry_count == entry_cap) {
                size_t cap = entry_cap ? entry_cap * 2 : 64;
                name_entry *p = realloc(entries, cap * sizeof *p);
                if (!p)
                    goto done;
                entries = p;
                entry_cap = cap;
            }
            entries[entry_count++] = (name_entry){tp->match.events[k], (uint16_t)i};
        }
    }
    if (entry_count)
        qsort(entries, entry_count, sizeof *entries, entry_cmp);

    /* Candidates per name code (CSR layout): named touchpoints plus the wildcards, by index. */
    size_t cand_cap = 256;
    if (!(cand = malloc(cand_cap * sizeof *cand)))
        goto done;
    for (uint32_t code = 0; code < names; code++) {
        kr_str name = kr_table_dict_get(t, KR_DICT_NAME, code);
        size_t lo = 0, hi = entry_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (name_cmp(entries[mid].name, name) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t first = start[code], n = first;
        size_t need = first + wild_count + (entry_count - lo);
        if (need > cand_cap) {
            size_t cap = cand_cap;
            while (cap < need)
                cap *= 2;
            uint16_t *p = realloc(cand, cap * sizeof *p);
            if (!p)
                goto done;
            cand = p;
            cand_cap = cap;
        }
        for (size_t e = lo; e < entry_count && name_cmp(entries[e].name, name) == 0; e++)
            if (n == first || cand[n - 1] != entries[e].tp) /* a name listed twice */
                cand[n++] = entries[e].tp;
        memcpy(cand + n, wild, wild_count * sizeof *wild);
        n += wild_count;
        qsort(cand + first, n - first, sizeof *cand, u16_cmp);
        start[code + 1] = n;
    }

    kr_table_columns c;
    kr_table_get_columns(t, &c);
    for (size_t i = 0; i < c.count; i++) {
        uint16_t hit = KR_MODEL_NONE;
        uint32_t code = c.name[i];
        for (size_t k = start[code]; k < start[code + 1]; k++) {
            uint16_t tpi = cand[k];
            const kr_model_touchpoint *tp = &info->touchpoints[tpi];
            if (chan[tpi] && !chan[tpi][c.channel[i]])
                continue;
            if (dev[tpi] && !dev[tpi][c.device[i]])
                continue;
            if (tp->match.types && !(tp->match.types & (1u << KR_FLAG_TYPE(c.flags[i]))))
                continue;
            if (props[tpi] && !props_hold(props[tpi], tp->match.prop_count, i))
                continue;
            hit = tpi;
            break;
        }
        mm->event_tp[i] = hit;
        if (hit != KR_MODEL_NONE)
            mm->tp_events[hit]++;
    }

    for (uint32_t code = 0; code < names; code++) {
        kr_str name = kr_table_dict_get(t, KR_DICT_NAME, code);
        const kr_model_goal *g = &info->conversion;
        if (g->defined && g->touchpoint == KR_MODEL_NONE &&
            in_names(g->events, g->event_count, name))
            mm->name_goal[code] |= 1;
        g = &info->repeat;
        if (g->defined && g->touchpoint == KR_MODEL_NONE &&
            in_names(g->events, g->event_count, name))
            mm->name_goal[code] |= 2;
    }
    rc = KR_OK;
done:
    for (size_t i = 0; chan && dev && props && i < ntp; i++) {
        free(chan[i]);
        free(dev[i]);
        prop_checks_free(props[i], info->touchpoints[i].match.prop_count);
    }
    free(chan);
    free(dev);
    free(props);
    free(entries);
    free(wild);
    free(cand);
    free(start);
    return rc;
}

static bool persona_holds(const kr_model_persona *ps, const prop_check *pc, const kr_table *t,
                          const kr_table_columns *c, const uint16_t *event_tp, uint32_t p)
{
    if (!ps->has_match)
        return true;
    size_t first = c->person_start[p], end = c->person_start[p + 1];
    if (first == end)
        return false;
    if (ps->first_channel_count &&
        !in_caseless(ps->first_channels, ps->first_channel_count,
                     kr_table_dict_get(t, KR_DICT_CHANNEL, c->channel[first])))
        return false;
    if (ps->first_device_count &&
        !in_caseless(ps->first_devices, ps->first_device_count,
                     kr_table_dict_get(t, KR_DICT_DEVICE, c->device[first])))
        return false;
    if (ps->account >= 0 && (c->person_account[p] != 0) != (ps->account == 1))
        return false;
    if (ps->account_count &&
        (c->person_account[p] == 0 ||
         !in_caseless(ps->accounts, ps->account_count,
                      kr_table_dict_get(t, KR_DICT_ACCOUNT, c->person_account[p]))))
        return false;
    if (ps->did_event_count) {
        bool did = false;
        for (size_t i = first; i < end && !did; i++)
            did = in_names(ps->did_events, ps->did_event_count,
                           kr_table_dict_get(t, KR_DICT_NAME, c->name[i]));
        if (!did)
            return false;
    }
    if (ps->did_touchpoint != KR_MODEL_NONE) {
        bool did = false;
        for (size_t i = first; i < end && !did; i++)
            did = event_tp[i] == ps->did_touchpoint;
        if (!did)
            return false;
    }
    if (ps->prop_count) { /* one event of the person meets every property condition */
        bool did = false;
        for (size_t i = first; i < end && !did; i++)
            did = props_hold(pc, ps->prop_count, i);
        if (!did)
            return false;
    }
    return true;
}

int kr_model_match_new(kr_model_match **out, const kr_model *m, const kr_table *t)
{
    *out = NULL;
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const kr_model_info *info = &m->info;
    kr_model_match *mm = calloc(1, sizeof *mm);
    if (!mm)
        return KR_ENOMEM;
    mm->m = m;
    mm->names = c.name;
    mm->event_count = c.count;
    mm->person_count = c.person_count;
    mm->event_tp = malloc((c.count ? c.count : 1) * sizeof *mm->event_tp);
    mm->persona = malloc((c.person_count ? c.person_count : 1) * sizeof *mm->persona);
    mm->tp_events = calloc(info->touchpoint_count + 1, sizeof *mm->tp_events);
    mm->persona_persons = calloc(info->persona_count + 1, sizeof *mm->persona_persons);
    mm->name_goal = calloc(kr_table_dict_count(t, KR_DICT_NAME) + 1, 1);
    if (!mm->event_tp || !mm->persona || !mm->tp_events || !mm->persona_persons || !mm->name_goal ||
        match_events(mm, t) < 0) {
        kr_model_match_free(mm);
        return KR_ENOMEM;
    }
    prop_check **pcs = calloc(info->persona_count + 1, sizeof *pcs);
    bool ok = pcs != NULL;
    for (size_t k = 0; ok && k < info->persona_count; k++)
        ok = prop_checks_new(&pcs[k], t, info->personas[k].props, info->personas[k].prop_count) ==
             KR_OK;
    /* Persons: the first persona, in file order, whose rule holds. */
    for (uint32_t p = 0; ok && p < c.person_count; p++) {
        uint32_t hit = KR_MODEL_NO_PERSONA;
        for (uint32_t k = 0; k < info->persona_count && hit == KR_MODEL_NO_PERSONA; k++)
            if (persona_holds(&info->personas[k], pcs[k], t, &c, mm->event_tp, p))
                hit = k;
        mm->persona[p] = hit;
        if (hit != KR_MODEL_NO_PERSONA)
            mm->persona_persons[hit]++;
    }
    for (size_t k = 0; pcs && k < info->persona_count; k++)
        prop_checks_free(pcs[k], info->personas[k].prop_count);
    free(pcs);
    if (!ok) {
        kr_model_match_free(mm);
        return KR_ENOMEM;
    }
    *out = mm;
    return KR_OK;
}

void kr_model_match_free(kr_model_match *mm)
{
    if (!mm)
        return;
    free(mm->event_tp);
    free(mm->persona);
    free(mm->tp_events);
    free(mm->persona_persons);
    free(mm->name_goal);
    free(mm);
}

const uint16_t *kr_model_match_events(const kr_model_match *mm)
{
    return mm->event_tp;
}

const uint32_t *kr_model_match_personas(const kr_model_match *mm)
{
    return mm->persona;
}

uint64_t kr_model_match_touchpoint_events(const kr_model_match *mm, uint32_t tp)
{
    return tp < mm->m->info.touchpoint_count ? mm->tp_events[tp] : 0;
}

uint64_t kr_model_match_persona_persons(const kr_model_match *mm, uint32_t i)
{
    return i < mm->m->info.persona_count ? mm->persona_persons[i] : 0;
}

const uint8_t *kr_model_match_name_goals(const kr_model_match *mm)
{
    return mm->name_goal;
}

bool kr_model_match_goal_event(const kr_model_match *mm, const kr_model_goal *g, size_t event_index)
{
    if (!g->defined || event_index >= mm->event_count)
        return false;
    if (g->touchpoint != KR_MODEL_NONE)
        return mm->event_tp[event_index] == g->touchpoint;
    /* Goals by event name are precomputed per name code for the model's own two goals. */
    uint8_t bit = g == &mm->m->info.conversion ? 1 : g == &mm->m->info.repeat ? 2 : 0;
    return bit && (mm->name_goal[mm->names[event_index]] & bit);
}
