/*
 * phases.c - phases reached, drop-off and time between phases (see phases.h for the
 * semantics): a pure function of (table, model, compiled match, options) -> result.
 *
 *     kr_phases_result r;
 *     kr_phases_run(&r, table, model, match, NULL);
 *     kr_phases_finish(&r);
 *
 * One pass over each person's events (sorted by time) finds the first event per phase, the
 * furthest phase and the last touchpoint; everything else is counting. Times to the next phase
 * are kept per person (8 bytes per person and phase reached) so that medians are exact.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/select.h"
#include "klantreis/phases.h"

/* Per group, while counting. */
typedef struct acc {
    kr_str key;
    uint64_t persons, in_journey, converted, repeat;
    uint64_t *reached, *entered, *dropped; /* per phase */
    uint64_t *last;                        /* per (furthest phase, touchpoint) */
    uint64_t *tp_persons;                  /* per touchpoint */
    int64_t **gaps;                        /* per phase: times to the next phase */
    size_t *gap_count, *gap_cap;
} acc;

static int acc_init(acc *a, size_t phases, size_t tps)
{
    memset(a, 0, sizeof *a);
    a->reached = calloc(phases, sizeof *a->reached);
    a->entered = calloc(phases, sizeof *a->entered);
    a->dropped = calloc(phases, sizeof *a->dropped);
    a->last = calloc(phases * (tps ? tps : 1), sizeof *a->last);
    a->tp_persons = calloc(tps ? tps : 1, sizeof *a->tp_persons);
    a->gaps = calloc(phases, sizeof *a->gaps);
    a->gap_count = calloc(phases, sizeof *a->gap_count);
    a->gap_cap = calloc(phases, sizeof *a->gap_cap);
    return a->reached && a->entered && a->dropped && a->last && a->tp_persons && a->gaps &&
                   a->gap_count && a->gap_cap
               ? KR_OK
               : KR_ENOMEM;
}

static void acc_finish(acc *a, size_t phases)
{
    for (size_t k = 0; a->gaps && k < phases; k++)
        free(a->gaps[k]);
    free(a->reached);
    free(a->entered);
    free(a->dropped);
    free(a->last);
    free(a->tp_persons);
    free(a->gaps);
    free(a->gap_count);
    free(a->gap_cap);
}

static int acc_gap(acc *a, size_t k, int64_t ms)
{
    if (a->gap_count[k] == a->gap_cap[k]) {
        size_t cap = a->gap_cap[k] ? a->gap_cap[k] * 2 : 64;
        int64_t *p = realloc(a->gaps[k], cap * sizeof *p);
        if (!p)
            return KR_ENOMEM;
        a->gaps[k] = p;
        a->gap_cap[k] = cap;
    }
    a->gaps[k][a->gap_count[k]++] = ms;
    return KR_OK;
}

static double rate(uint64_t num, uint64_t den)
{
    return den ? (double)num / (double)den : NAN;
}

typedef struct person_state {
    int64_t *first;  /* per phase: first event time, INT64_MAX when none */
    uint32_t *stamp; /* per touchpoint: last person (plus one) that had it */
} person_state;

static int add_person(acc *const *targets, size_t ntargets, const kr_table_columns *c,
                      const kr_model_info *info, const kr_model_match *mm, uint32_t p,
                      person_state *st)
{
    const uint16_t *ev_tp = kr_model_match_events(mm);
    size_t phases = info->phase_count, tps = info->touchpoint_count;
    if (p + 2 < c->person_count) {
        /* Times are read only at a phase's first event, too sparsely for the hardware
           prefetcher: fetch the person after next's now (as the funnel does). */
        size_t a = c->person_start[p + 2], z = c->person_start[p + 3];
        for (size_t k = 0; a < z && k < 8; a += 8, k++)
            __builtin_prefetch(&c->time_ms[a]);
    }
    for (size_t k = 0; k < phases; k++)
        st->first[k] = INT64_MAX;
    int furthest = -1;
    uint16_t last_tp = KR_MODEL_NONE;
    uint64_t conv = 0, rep = 0;
    /* the goals, resolved once: by touchpoint (compare the event's) or by name (a bit) */
    const uint8_t *name_goal = kr_model_match_name_goals(mm);
    const uint32_t conv_tp = info->conversion.defined ? info->conversion.touchpoint : UINT32_MAX;
    const uint32_t rep_tp = info->repeat.defined ? info->repeat.touchpoint : UINT32_MAX;
    const uint8_t conv_bit = info->conversion.defined && conv_tp == KR_MODEL_NONE ? 1 : 0;
    const uint8_t rep_bit = info->repeat.defined && rep_tp == KR_MODEL_NONE ? 2 : 0;
    for (size_t i = c->person_start[p]; i < c->person_start[p + 1]; i++) {
        uint16_t tp = ev_tp[i];
        uint8_t goals = name_goal[c->name[i]];
        conv += conv_bit ? (goals & conv_bit) != 0 : tp == conv_tp;
        rep += rep_bit ? (goals & rep_bit) != 0 : tp == rep_tp;
        if (tp == KR_MODEL_NONE)
            continue;
        uint32_t k = info->touchpoints[tp].phase;
        if (st->first[k] == INT64_MAX)
            st->first[k] = c->time_ms[i];
        if ((int)k > furthest)
            furthest = (int)k;
        last_tp = tp;
        if (st->stamp[tp] != p + 1) {
            st->stamp[tp] = p + 1;
            for (size_t g = 0; g < ntargets; g++)
                targets[g]->tp_persons[tp]++;
        }
    }
    for (size_t g = 0; g < ntargets; g++)
        for (size_t k = 0; k < phases; k++)
            targets[g]->entered[k] += st->first[k] != INT64_MAX;
    /* Entry into phase k: the earliest first event in phases k..furthest (suffix minimum). */
    for (int k = furthest - 1; k >= 0; k--)
        if (st->first[k + 1] < st->first[k])
            st->first[k] = st->first[k + 1];
    for (size_t g = 0; g < ntargets; g++) {
        acc *a = targets[g];
        a->persons++;
        a->converted += info->conversion.defined && conv >= info->conversion.min_count;
        a->repeat += info->repeat.defined && rep >= info->repeat.min_count;
        if (furthest < 0)
            continue;
        a->in_journey++;
        a->dropped[furthest]++;
        a->last[(size_t)furthest * tps + last_tp]++;
        for (int k = 0; k <= furthest; k++) {
            a->reached[k]++;
            if (k < furthest && acc_gap(a, (size_t)k, st->first[k + 1] - st->first[k]) < 0)
                return KR_ENOMEM;
        }
    }
    return KR_OK;
}

static int cmp_touch(const void *pa, const void *pb)
{
    const kr_phases_touch *a = pa, *b = pb;
    if (a->persons != b->persons)
        return a->persons < b->persons ? 1 : -1;
    return (a->touchpoint > b->touchpoint) - (a->touchpoint < b->touchpoint);
}

static int make_group(kr_phases_group *out, acc *a, const kr_model_info *info, size_t top)
{
    size_t phases = info->phase_count, tps = info->touchpoint_count;
    out->key = a->key;
    out->persons = a->persons;
    out->in_journey = a->in_journey;
    out->converted = a->converted;
    out->repeat = a->repeat;
    out->touchpoint_persons = a->tp_persons;
    a->tp_persons = NULL;
    out->rows = calloc(phases, sizeof *out->rows);
    if (!out->rows)
        return KR_ENOMEM;
    for (size_t k = 0; k < phases; k++) {
        kr_phases_row *r = &out->rows[k];
        const kr_model_phase *ph = &info->phases[k];
        r->phase = (uint32_t)k;
        r->reached = a->reached[k];
        r->entered = a->entered[k];
        r->dropped = a->dropped[k];
        r->conversion_prev =
            k ? rate(a->reached[k], a->reached[k - 1]) : rate(a->reached[0], a->reached[0]);
        r->conversion_first = rate(a->reached[k], a->reached[0]);
        r->to_next_count = a->gap_count[k];
        if (a->gap_count[k]) {
            r->median_to_next_ms = kr__nearest_rank(a->gaps[k], a->gap_count[k], 0.5);
            r->p90_to_next_ms = kr__nearest_rank(a->gaps[k], a->gap_count[k], 0.9);
        }
        size_t n = 0;
        for (size_t t = 0; t < tps; t++)
            n += a->last[k * tps + t] > 0;
        r->last_touchpoints = calloc(n ? n : 1, sizeof *r->last_touchpoints);
        r->micro_persons = calloc(ph->micro_count ? ph->micro_count : 1, sizeof(uint64_t));
        if (!r->last_touchpoints || !r->micro_persons)
            return KR_ENOMEM;
        n = 0;
        for (size_t t = 0; t < tps; t++)
            if (a->last[k * tps + t])
                r->last_touchpoints[n++] = (kr_phases_touch){(uint32_t)t, a->last[k * tps + t]};
        qsort(r->last_touchpoints, n, sizeof *r->last_touchpoints, cmp_touch);
        r->last_touchpoint_count = n < top ? n : top;
        for (size_t i = 0; i < ph->micro_count; i++)
            r->micro_persons[i] = out->touchpoint_persons[ph->micro[i]];
    }
    return KR_OK;
}

typedef struct group_count {
    uint32_t key;
    uint64_t persons;
} group_count;

static int cmp_group(const void *pa, const void *pb)
{
    const group_count *a = pa, *b = pb;
    if (a->persons != b->persons)
        return a->persons < b->persons ? 1 : -1;
    return (a->key > b->key) - (a->key < b->key);
}

/* The breakdown key of each person: a persona index, channel, device or property value code
   (prop: the property's column, NULL when the table did not keep it). */
static uint32_t person_key(kr_phases_by by, const kr_table_columns *c, const uint32_t *persona,
                           const uint32_t *prop, uint32_t p)
{
    size_t first = c->person_start[p];
    switch (by) {
    case KR_PHASES_BY_PERSONA:
        return persona[p];
    case KR_PHASES_BY_CHANNEL:
        return first < c->person_start[p + 1] ? c->channel[first] : 0;
    case KR_PHASES_BY_DEVICE:
        return first < c->person_start[p + 1] ? c->device[first] : 0;
    case KR_PHASES_BY_PROPERTY:
        return prop && first < c->person_start[p + 1] ? prop[first] : 0;
    default:
        return 0;
    }
}

int kr_phases_run(kr_phases_result *out, const kr_table *t, const kr_model *m,
                  const kr_model_match *mm, const kr_phases_options *o)
{
    static const kr_phases_options defaults = KR_PHASES_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    memset(out, 0, sizeof *out);
    const kr_model_info *info = kr_model_get(m);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    size_t phases = info->phase_count, tps = info->touchpoint_count;
    size_t top = o->top > 20 ? 20 : o->top;
    out->by = o->by;
    if (o->by == KR_PHASES_BY_PROPERTY)
        out->property = o->property;
    out->phase_count = phases;
    out->touchpoint_count = tps;
    out->events = c.count;
    const uint16_t *ev_tp = kr_model_match_events(mm);
    for (size_t i = 0; i < c.count; i++)
        out->matched_events += ev_tp[i] != KR_MODEL_NONE;
    const uint32_t *persona = kr_model_match_personas(mm);

    int rc = KR_ENOMEM;
    acc *accs = NULL;
    size_t nacc = 1;
    uint32_t *slot = NULL;    /* per key: its accumulator (0 = merged into "(other)") */
    group_count *keys = NULL; /* breakdown keys by persons */
    size_t key_space = 0, kept = 0;
    person_state st = {NULL, NULL};
    st.first = malloc((phases ? phases : 1) * sizeof *st.first);
    st.stamp = calloc(tps ? tps : 1, sizeof *st.stamp);
    if (!st.first || !st.stamp)
        goto done;

    const uint32_t *prop = NULL;
    uint32_t prop_index = 0;
    if (o->by == KR_PHASES_BY_PROPERTY &&
        kr_table_property_column(t, o->property, &prop, &prop_index) < 0)
        prop = NULL;
    if (o->by != KR_PHASES_BY_NONE) {
        key_space = o->by == KR_PHASES_BY_PERSONA   ? info->persona_count + 1
                    : o->by == KR_PHASES_BY_CHANNEL ? kr_table_dict_count(t, KR_DICT_CHANNEL)
                    : o->by == KR_PHASES_BY_DEVICE  ? kr_table_dict_count(t, KR_DICT_DEVICE)
                    : prop                          ? kr_table_property_value_count(t, prop_index)
                                                    : 1;
        keys = calloc(key_space ? key_space : 1, sizeof *keys);
        slot = calloc(key_space ? key_space : 1, sizeof *slot);
        if (!keys || !slot)
            goto done;
        for (size_t k = 0; k < key_space; k++)
            keys[k].key = (uint32_t)k;
        for (uint32_t p = 0; p < c.person_count; p++) {
            uint32_t k = person_key(o->by, &c, persona, prop, p);
            /* Persons without a persona go last in the key space. */
            keys[k == KR_MODEL_NO_PERSONA ? key_space - 1 : k].persons++;
        }
        qsort(keys, key_space, sizeof *keys, cmp_group);
        size_t used = 0;
        while (used < key_space && keys[used].persons)
            used++;
        kept = used > KR_PHASES_MAX_GROUPS ? KR_PHASES_MAX_GROUPS - 1 : used;
        nacc = 1 + kept + (used > kept);
        for (size_t i = 0; i < kept; i++)
            slot[keys[i].key] = (uint32_t)(i + 1);
        for (size_t i = kept; i < used; i++)
            slot[keys[i].key] = (uint32_t)(kept + 1);
    }
    accs = calloc(nacc, sizeof *accs);
    if (!accs)
        goto done;
    for (size_t g = 0; g < nacc; g++)
        if (acc_init(&accs[g], phases, tps) < 0) {
            nacc = g + 1;
            goto done;
        }
    for (size_t i = 1; i < nacc; i++) {
        if (i > kept) {
            accs[i].key = kr_str_from_cstr("(other)");
            continue;
        }
        uint32_t k = keys[i - 1].key;
        if (o->by == KR_PHASES_BY_PERSONA)
            accs[i].key = k + 1 == key_space ? kr_str_from_cstr("(none)") : info->personas[k].id;
        else if (o->by == KR_PHASES_BY_PROPERTY)
            accs[i].key = kr_table_property_value(t, prop_index, k);
        else
            accs[i].key = kr_table_dict_get(
                t, o->by == KR_PHASES_BY_CHANNEL ? KR_DICT_CHANNEL : KR_DICT_DEVICE, k);
        if (accs[i].key.len == 0)
            accs[i].key = kr_str_from_cstr("(none)");
    }

    for (uint32_t p = 0; p < c.person_count; p++) {
        acc *targets[2] = {&accs[0], NULL};
        size_t ntargets = 1;
        if (o->by != KR_PHASES_BY_NONE) {
            uint32_t k = person_key(o->by, &c, persona, prop, p);
            targets[ntargets++] = &accs[slot[k == KR_MODEL_NO_PERSONA ? key_space - 1 : k]];
        }
        if ((rc = add_person(targets, ntargets, &c, info, mm, p, &st)) < 0)
            goto done;
    }
    rc = KR_ENOMEM;
    out->groups = calloc(nacc, sizeof *out->groups);
    if (!out->groups)
        goto done;
    out->group_count = nacc;
    for (size_t g = 0; g < nacc; g++)
        if (make_group(&out->groups[g], &accs[g], info, top) < 0)
            goto done;
    rc = KR_OK;
done:
    for (size_t g = 0; accs && g < nacc; g++)
        acc_finish(&accs[g], phases);
    free(accs);
    free(keys);
    free(slot);
    free(st.first);
    free(st.stamp);
    return rc;
}

void kr_phases_finish(kr_phases_result *r)
{
    for (size_t g = 0; r->groups && g < r->group_count; g++) {
        kr_phases_group *grp = &r->groups[g];
        for (size_t k = 0; grp->rows && k < r->phase_count; k++) {
            free(grp->rows[k].last_touchpoints);
            free(grp->rows[k].micro_persons);
        }
        free(grp->rows);
        free(grp->touchpoint_persons);
    }
    free(r->groups);
    memset(r, 0, sizeof *r);
}

const char *kr_phases_by_name(kr_phases_by by)
{
    static const char *const names[] = {"none", "persona", "channel", "device", "property"};
    return (unsigned)by < 5 ? names[by] : "none";
}

int kr_phases_by_parse(kr_phases_by *out, const char *name)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, kr_phases_by_name((kr_phases_by)i)) == 0) {
            *out = (kr_phases_by)i;
            return KR_OK;
        }
    }
    return KR_EINVAL;
}
