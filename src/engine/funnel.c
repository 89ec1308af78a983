/*
 * funnel.c - funnels over the table: ClickHouse windowFunnel semantics for ordered and
 * strict, PostHog's for exclusions and breakdowns (docs/funnels.md states them exactly).
 *
 *     kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
 *     o.steps = steps; o.step_count = 3; o.window_ms = 7 * 86400000;
 *     if (kr_funnel_run(&r, table, &o, err, sizeof err) == KR_OK) ...r.steps[k].persons...
 *     kr_funnel_result_finish(&r);
 *
 * Speed: steps and exclusions are compiled once into a 64-bit mask per event-name code (bits
 * 0-31 steps, 32-63 exclusions), plus a per-event check for the few conditions that test
 * channel, device, type or tag. The loop over a person's events then does one lookup per event
 * and touches the time column only for the events that match; there is no allocation or
 * hashing per event. Per person the work is O(events + advances * steps).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/select.h"
#include "engine/table_internal.h"
#include "klantreis/funnel.h"

#define ANY UINT32_MAX   /* condition absent */
#define NEVER (ANY - 1u) /* the value does not occur in the table: the condition never holds */
#define XBIT(j) (UINT64_C(1) << (32 + (j)))
#define STEP_BITS UINT64_C(0xFFFFFFFF)

typedef struct rule {
    uint32_t name, channel, device, type, tag, group;
} rule;

typedef struct compiled {
    size_t n;                                                   /* steps */
    size_t x;                                                   /* exclusions */
    rule rules[KR_FUNNEL_MAX_STEPS + KR_FUNNEL_MAX_EXCLUSIONS]; /* steps, then exclusions */
    uint64_t *name_mask; /* per name code: the steps and exclusions whose name condition holds */
    uint64_t extra_mask; /* the ones with a channel, device, type or tag condition */
    uint32_t xslots[KR_FUNNEL_MAX_EXCLUSIONS]; /* per exclusion: slots (level - 1) it guards */
    const uint16_t *tags;
    const uint16_t *groups;
} compiled;

static uint32_t lookup(const kr_table *t, kr_dict_kind kind, const char *v, size_t len)
{
    uint32_t code;
    return kr_table_dict_find(t, kind, (kr_str){v, len}, &code) == KR_OK ? code : NEVER;
}

static bool key_is(const char *p, size_t len, const char *key)
{
    return strlen(key) == len && memcmp(p, key, len) == 0;
}

/* "tag=N" / "group=N": N a number up to UINT16_MAX. */
static int parse_tag(uint32_t *out, const char *spec, const char *v, size_t vlen, char *err,
                     size_t errlen)
{
    char num[8] = {0};
    char *end;
    memcpy(num, v, vlen < sizeof num - 1 ? vlen : sizeof num - 1);
    unsigned long tag = strtoul(num, &end, 10);
    if (vlen == 0 || vlen >= sizeof num || *end || tag > UINT16_MAX) {
        snprintf(err, errlen, "step '%s': tag and group take a number", spec);
        return KR_EINVAL;
    }
    *out = (uint32_t)tag;
    return KR_OK;
}

/* Parses "purchase" or "event=purchase&channel=email" (keys event channel device type, and
   tag and group when the caller gave those columns). */
static int parse_rule(rule *r, const kr_table *t, const char *spec, const kr_funnel_tags *tags,
                      char *err, size_t errlen)
{
    *r = (rule){ANY, ANY, ANY, ANY, ANY, ANY};
    if (!*spec) {
        snprintf(err, errlen, "empty step");
        return KR_EINVAL;
    }
    if (!strchr(spec, '=')) {
        r->name = lookup(t, KR_DICT_NAME, spec, strlen(spec));
        return KR_OK;
    }
    for (const char *p = spec; *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || eq == p) {
            snprintf(err, errlen, "step '%s': '%.*s' is not key=value", spec, (int)len, p);
            return KR_EINVAL;
        }
        size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
        const char *v = eq + 1;
        if (key_is(p, klen, "event")) {
            r->name = lookup(t, KR_DICT_NAME, v, vlen);
        } else if (key_is(p, klen, "channel")) {
            r->channel = lookup(t, KR_DICT_CHANNEL, v, vlen);
        } else if (key_is(p, klen, "device")) {
            r->device = lookup(t, KR_DICT_DEVICE, v, vlen);
        } else if (key_is(p, klen, "type")) {
            kr_event_type type;
            if (kr_event_type_parse(&type, (kr_str){v, vlen}) < 0) {
                snprintf(err, errlen, "step '%s': unknown type '%.*s'", spec, (int)vlen, v);
                return KR_EINVAL;
            }
            r->type = (uint32_t)type;
        } else if (key_is(p, klen, "tag") && tags->tags) {
            if (parse_tag(&r->tag, spec, v, vlen, err, errlen) < 0)
                return KR_EINVAL;
        } else if (key_is(p, klen, "group") && tags->groups) {
            if (parse_tag(&r->group, spec, v, vlen, err, errlen) < 0)
                return KR_EINVAL;
        } else {
            snprintf(err, errlen, "step '%s': unknown key '%.*s' (event, channel, device, type)",
                     spec, (int)klen, p);
            return KR_EINVAL;
        }
        p = amp ? amp + 1 : p + len;
    }
    return KR_OK;
}

static int compile(compiled *c, const kr_table *t, const kr_funnel_options *o, char *err,
                   size_t errlen)
{
    c->n = o->step_count;
    c->x = o->exclusion_count;
    c->tags = o->tags.tags;
    c->groups = o->tags.groups;
    uint32_t names = kr_table_dict_count(t, KR_DICT_NAME);
    c->name_mask = calloc(names ? names : 1, sizeof *c->name_mask);
    if (!c->name_mask)
        return KR_ENOMEM;
    for (size_t k = 0; k < c->n + c->x; k++) {
        bool is_step = k < c->n;
        size_t j = k - c->n;
        const char *spec = is_step ? o->steps[k] : o->exclusions[j].event;
        int rc = parse_rule(&c->rules[k], t, spec ? spec : "", &o->tags, err, errlen);
        if (rc < 0)
            return rc;
        uint64_t bit = is_step ? UINT64_C(1) << k : XBIT(j);
        const rule *r = &c->rules[k];
        if (r->name == ANY) {
            for (uint32_t code = 0; code < names; code++)
                c->name_mask[code] |= bit;
        } else if (r->name != NEVER) {
            c->name_mask[r->name] |= bit;
        }
        if (r->channel != ANY || r->device != ANY || r->type != ANY || r->tag != ANY ||
            r->group != ANY)
            c->extra_mask |= bit;
        if (!is_step) {
            unsigned a = o->exclusions[j].from_step, b = o->exclusions[j].to_step;
            if (a == 0 && b == 0) {
                a = 1;
                b = (unsigned)c->n;
            }
            if (a < 1 || b <= a || b > c->n) {
                snprintf(err, errlen,
                         "exclusion '%s': steps %u-%u are not a range A-B with 1 <= A < B <= %zu",
                         spec, a, b, c->n);
                return KR_EINVAL;
            }
            /* guards the attempts standing at levels A .. B-1, i.e. slots A-1 .. B-2 */
            for (unsigned s = a - 1; s + 1 < b; s++)
                c->xslots[j] |= UINT32_C(1) << s;
        }
    }
    return KR_OK;
}

/* The steps and exclusions event i matches. */
static inline uint64_t event_mask(const compiled *c, const kr_table *t, size_t i)
{
    uint64_t m = c->name_mask[t->name[i]];
    uint64_t extra = m & c->extra_mask;
    while (extra) {
        unsigned k = (unsigned)__builtin_ctzll(extra);
        extra &= extra - 1;
        const rule *r = &c->rules[k < 32 ? k : c->n + (k - 32)];
        if ((r->channel != ANY && r->channel != t->channel[i]) ||
            (r->device != ANY && r->device != t->device[i]) ||
            (r->type != ANY && r->type != (uint32_t)KR_FLAG_TYPE(t->flags[i])) ||
            (r->tag != ANY && (!c->tags || r->tag != c->tags[i])) ||
            (r->group != ANY && (!c->groups || r->group != c->groups[i])))
            m &= ~(UINT64_C(1) << k);
    }
    return m;
}

/* The person's outcome: level (0..n, or KR_FUNNEL_EXCLUDED) and the events of the counted
   attempt's steps. */
typedef struct outcome {
    unsigned level;
    size_t path[KR_FUNNEL_MAX_STEPS];
} outcome;

/* The person's earliest step-1 event in [lo, hi) (breakdown first touch); hi when none. */
static size_t first_step1(const compiled *c, const kr_table *t, size_t lo, size_t hi)
{
    while (lo < hi && !(event_mask(c, t, lo) & 1u))
        lo++;
    return lo;
}

/*
 * Ordered and strict: ClickHouse's getEventLevel, extended with PostHog's exclusions.
 *
 * Entries are (time, step) in time order, then step order: an event that matches several
 * steps gives one entry per step, and all entries at one time are taken in step order,
 * whatever the order of the events in the table (that is what ClickHouse's sort gives). Slot
 * s holds the latest-starting attempt that reached step s + 1 (a later start never reaches
 * less far): its start time and its step events. In strict mode an event that matches no step
 * sorts before the steps at its time and ends the scan once a first step has been seen.
 *
 * Exclusions are taken after the steps at the same time, and hit an attempt standing at a
 * guarded level strictly after its last step's time and within its window; a hit attempt
 * cannot advance. The counted attempt is the first to reach the furthest level (replaced by
 * a later one at the same level if it was hit), as PostHog's max_step.
 */
static void scan_ordered(outcome *out, const compiled *c, const kr_table *t, int64_t window,
                         bool strict, size_t lo, size_t hi)
{
    /* path[s][0..s]: the step events of the attempt in slot s; its start is time[path[s][0]],
       read only when needed: the time column is not touched for most step-1 events */
    size_t path[KR_FUNNEL_MAX_STEPS][KR_FUNNEL_MAX_STEPS];
    uint32_t reached = 0, hit = 0; /* bit s: slot s holds an attempt; that attempt is hit */
    unsigned best = 0;             /* level of the counted attempt */
    bool best_hit = false, first_event = false;
    const unsigned n = (unsigned)c->n;
    const int64_t *time = t->time_ms;
    const uint32_t *name = t->name;
    const uint64_t *name_mask = c->name_mask;
    const bool extra = c->extra_mask != 0;
    /* A step-1 entry only restarts slot 0, and only the latest one before the next entry of
       another step matters: the hot loop notes it (a conditional move, no branch) instead of
       leaving the loop, and it is applied before that entry. Not with per-event conditions
       (the name alone does not decide) or in strict mode (every event counts). */
    const uint64_t stop = extra ? ~UINT64_C(0) : ~UINT64_C(1);
    size_t pending = SIZE_MAX;
#define STEP1(j)                                                                                   \
    do {                                                                                           \
        path[0][0] = (j);                                                                          \
        reached |= 1u;                                                                             \
        hit &= ~1u;                                                                                \
        first_event = true;                                                                        \
        if (best == 0 || (best == 1 && best_hit)) {                                                \
            best = 1;                                                                              \
            best_hit = false;                                                                      \
            out->path[0] = (j);                                                                    \
        }                                                                                          \
    } while (0)
    for (size_t i = lo;; i++) {
        uint64_t m = 0;
        if (!strict) {
            /* the hot loop: most events match nothing, many only step 1 */
            for (; i < hi; i++) {
                m = name_mask[name[i]];
                if (m & stop)
                    break;
                pending = m ? i : pending;
            }
            if (pending != SIZE_MAX) {
                STEP1(pending);
                pending = SIZE_MAX;
            }
        }
        if (i >= hi)
            break;
        if (strict)
            m = name_mask[name[i]];
        if (extra)
            m = event_mask(c, t, i);
        /* the other events at this time: their entries are taken together, in step order */
        int64_t ts = time[i];
        bool none = !(m & STEP_BITS);
        while (i + 1 < hi && time[i + 1] == ts) {
            uint64_t mj = extra ? event_mask(c, t, i + 1) : name_mask[name[i + 1]];
            none |= !(mj & STEP_BITS);
            m |= mj;
            i++;
        }
        if (!m)
            goto interrupted;
        if (strict && none && first_event)
            goto exclusions; /* ClickHouse breaks at the no-step entry; exclusions still count */
        for (uint32_t sm = (uint32_t)m; sm; sm &= sm - 1) {
            unsigned k = (unsigned)__builtin_ctz(sm);
            if (k == 0) {
                STEP1(i);
                continue;
            }
            uint32_t prev = UINT32_C(1) << (k - 1);
            if (strict && first_event && !(reached & prev))
                goto done; /* ClickHouse: step k without step k-1 ends a strict scan */
            if (!(reached & prev) || (hit & prev) || ts - time[path[k - 1][0]] > window)
                continue;
            memcpy(path[k], path[k - 1], k * sizeof path[k][0]);
            path[k][k] = i;
            reached |= prev << 1;
            hit &= ~(prev << 1);
            if (k + 1 > best || (k + 1 == best && best_hit)) {
                best = k + 1;
                best_hit = false;
                memcpy(out->path, path[k], (k + 1) * sizeof out->path[0]);
                if (best == n)
                    goto done;
            }
        }
    exclusions:
        for (uint32_t xm = (uint32_t)(m >> 32); xm; xm &= xm - 1) {
            uint32_t slots = c->xslots[__builtin_ctz(xm)] & reached & ~hit;
            for (; slots; slots &= slots - 1) {
                unsigned s = (unsigned)__builtin_ctz(slots);
                bool advanced = s + 1 < n && (reached & (UINT32_C(1) << (s + 1))) &&
                                time[path[s + 1][0]] == time[path[s][0]];
                if (ts > time[path[s][s]] && ts - time[path[s][0]] <= window && !advanced)
                    hit |= UINT32_C(1) << s;
            }
            if (best >= 1 && !best_hit && (c->xslots[__builtin_ctz(xm)] >> (best - 1) & 1u) &&
                ts > time[out->path[best - 1]] && ts - time[out->path[0]] <= window)
                best_hit = true;
        }
        /* another attempt that reached the same level and was not hit is counted instead */
        if (best_hit && (reached >> (best - 1) & 1u) && !(hit >> (best - 1) & 1u)) {
            best_hit = false;
            memcpy(out->path, path[best - 1], best * sizeof out->path[0]);
        }
    interrupted:
        if (strict && none && first_event)
            goto done;
    }
done:
#undef STEP1
    out->level = best_hit ? KR_FUNNEL_EXCLUDED : best;
}

/* Unordered: the most distinct steps among the events in any window [t, t + window] that
   starts at a step event; an event that matches several steps counts for each. The counted
   attempt's path is not kept (its step order is not defined); path[0] is the window's first
   event and path[level - 1] its last step event. */
static void scan_unordered(outcome *out, const compiled *c, const kr_table *t, int64_t window,
                           size_t lo, size_t hi)
{
    unsigned counts[KR_FUNNEL_MAX_STEPS] = {0}, distinct = 0, best = 0;
    size_t b = lo, last_step = lo;
    for (size_t a = lo; a < hi; a++) {
        uint32_t ma = (uint32_t)event_mask(c, t, a);
        if (!ma)
            continue;
        if (b < a)
            b = a;
        for (; b < hi && t->time_ms[b] - t->time_ms[a] <= window; b++) {
            uint32_t mb = (uint32_t)event_mask(c, t, b);
            if (mb)
                last_step = b;
            for (; mb; mb &= mb - 1)
                distinct += counts[__builtin_ctz(mb)]++ == 0;
        }
        if (distinct > best) {
            best = distinct;
            out->path[0] = a;
            out->path[best - 1] = last_step;
        }
        for (; ma; ma &= ma - 1)
            distinct -= --counts[__builtin_ctz(ma)] == 0;
    }
    out->level = best;
}

/* First index in [lo, hi) with time >= ts (the table is sorted by time within a person). */
static size_t lower_bound(const int64_t *time, size_t lo, size_t hi, int64_t ts)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] < ts)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double mean_of(const int64_t *v, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)v[i];
    return sum / (double)n;
}

/* Bin edges of the time to convert: readable units rather than equal widths, so that
   funnels with different windows can be compared by eye. */
static const int64_t bin_edges[KR_FUNNEL_BINS] = {
    0,        60000,     300000,    900000,    3600000,    10800000,   43200000,
    86400000, 172800000, 259200000, 604800000, 1209600000, 2592000000,
};

static int group_finish_alloc(kr_funnel_group *g, const kr_funnel_options *o)
{
    g->steps = calloc(o->step_count, sizeof *g->steps);
    if (!g->steps)
        return KR_ENOMEM;
    for (size_t k = 0; k < o->step_count; k++) {
        const char *label = o->labels && o->labels[k] ? o->labels[k] : o->steps[k];
        size_t len = strlen(label);
        g->steps[k].name = malloc(len + 1);
        if (!g->steps[k].name)
            return KR_ENOMEM;
        memcpy(g->steps[k].name, label, len + 1);
    }
    for (size_t b = 0; b < KR_FUNNEL_BINS; b++) {
        g->bins[b].lo_ms = bin_edges[b];
        g->bins[b].hi_ms = b + 1 < KR_FUNNEL_BINS ? bin_edges[b + 1] : INT64_MAX;
    }
    return KR_OK;
}

/* Fills g from the persons who[0..count): counts, conversions, times. dt holds per person
   (person-major, n per person) the time from the previous step; scratch has room for count. */
static void summarise(kr_funnel_group *g, const kr_funnel_result *r, const int64_t *dt, size_t n,
                      const uint32_t *who, size_t count, int64_t *scratch, bool times)
{
    uint64_t at_level[KR_FUNNEL_MAX_STEPS + 1] = {0};
    for (size_t i = 0; i < count; i++) {
        uint8_t l = r->level[who[i]];
        if (l == KR_FUNNEL_EXCLUDED)
            g->excluded++;
        else
            at_level[l]++;
    }
    uint64_t reached = 0;
    for (size_t k = n; k > 0; k--) {
        reached += at_level[k];
        g->steps[k - 1].persons = reached;
        g->steps[k - 1].dropped = at_level[k];
    }
    for (size_t k = 0; k < n; k++) {
        kr_funnel_step *s = &g->steps[k];
        uint64_t prev = k ? g->steps[k - 1].persons : s->persons;
        s->conversion_from_previous = prev ? (double)s->persons / (double)prev : 0.0;
        s->conversion_from_first =
            g->steps[0].persons ? (double)s->persons / (double)g->steps[0].persons : 0.0;
        if (!times || k == 0)
            continue;
        size_t m = 0;
        for (size_t i = 0; i < count; i++) {
            uint8_t l = r->level[who[i]];
            if (l != KR_FUNNEL_EXCLUDED && l > k)
                scratch[m++] = dt[(size_t)who[i] * n + k];
        }
        if (!m)
            continue;
        s->mean_ms = mean_of(scratch, m);
        s->median_ms = kr__nearest_rank(scratch, m, 0.5);
        s->p90_ms = kr__nearest_rank(scratch, m, 0.9);
    }
    if (!times)
        return;
    size_t m = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t p = who[i];
        if (r->level[p] != n)
            continue;
        int64_t d = 0; /* step 1 to the last step: the sum of the step times */
        for (size_t k = 1; k < n; k++)
            d += dt[(size_t)p * n + k];
        scratch[m++] = d;
        size_t b = KR_FUNNEL_BINS - 1;
        while (b > 0 && d < bin_edges[b])
            b--;
        g->bins[b].persons++;
    }
    if (m) {
        g->mean_convert_ms = mean_of(scratch, m);
        g->median_convert_ms = kr__nearest_rank(scratch, m, 0.5);
    }
}

static void group_finish(kr_funnel_group *g, size_t n)
{
    for (size_t k = 0; g->steps && k < n; k++)
        free(g->steps[k].name);
    free(g->steps);
}

void kr_funnel_result_finish(kr_funnel_result *r)
{
    group_finish(&r->total, r->step_count);
    for (size_t i = 0; r->groups && i < r->group_count; i++)
        group_finish(&r->groups[i], r->step_count);
    free(r->groups);
    free(r->level);
    free(r->group);
    memset(r, 0, sizeof *r);
}

const char *kr_funnel_order_name(kr_funnel_order order)
{
    return order == KR_FUNNEL_STRICT      ? "strict"
           : order == KR_FUNNEL_UNORDERED ? "unordered"
                                          : "ordered";
}

int kr_funnel_order_parse(kr_funnel_order *out, const char *name)
{
    static const kr_funnel_order all[] = {KR_FUNNEL_ORDERED, KR_FUNNEL_STRICT, KR_FUNNEL_UNORDERED};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, kr_funnel_order_name(all[i])) == 0) {
            *out = all[i];
            return KR_OK;
        }
    }
    return KR_EINVAL;
}

static bool parse_step_number(const char *s, size_t len, unsigned *out)
{
    if (len == 0 || len > 2)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

int kr_funnel_exclusion_parse(kr_funnel_exclusion *out, char *arg)
{
    *out = (kr_funnel_exclusion){arg, 0, 0};
    /* the range is the part after the last ':' when it reads A-B (digits); otherwise the whole
       argument is the event, so that names such as "page:view" need no escaping */
    char *colon = strrchr(arg, ':');
    const char *range = colon ? colon + 1 : NULL, *dash = range ? strchr(range, '-') : NULL;
    unsigned a, b;
    if (dash && parse_step_number(range, (size_t)(dash - range), &a) &&
        parse_step_number(dash + 1, strlen(dash + 1), &b)) {
        if (a < 1 || b <= a || colon == arg)
            return KR_EINVAL;
        out->from_step = a;
        out->to_step = b;
        *colon = '\0';
    }
    return *arg ? KR_OK : KR_EINVAL;
}

/* A breakdown group and its index before sorting. */
typedef struct ranked {
    kr_funnel_group g;
    uint32_t old;
} ranked;

/* Sorts breakdown groups: most persons at step 1 first, then by value. */
static int cmp_group(const void *pa, const void *pb)
{
    const kr_funnel_group *a = &((const ranked *)pa)->g, *b = &((const ranked *)pb)->g;
    uint64_t na = a->steps[0].persons, nb = b->steps[0].persons;
    if (na != nb)
        return na > nb ? -1 : 1;
    size_t len = a->value.len < b->value.len ? a->value.len : b->value.len;
    int c = len ? memcmp(a->value.ptr, b->value.ptr, len) : 0;
    return c ? c : (a->value.len > b->value.len) - (a->value.len < b->value.len);
}

/* What a breakdown reads: the value codes of one event column, or of the caller's groups. */
typedef struct by_source {
    const uint32_t *prop_codes; /* KR_FUNNEL_BY_PROPERTY: the kept column, NULL if not kept */
    uint32_t prop;
    uint32_t codes; /* value codes 0 .. codes-1 */
} by_source;

static by_source by_source_of(const kr_table *t, const kr_funnel_options *o)
{
    by_source b = {NULL, 0, 1};
    switch (o->by) {
    case KR_FUNNEL_BY_CHANNEL:
        b.codes = kr_table_dict_count(t, KR_DICT_CHANNEL);
        break;
    case KR_FUNNEL_BY_DEVICE:
        b.codes = kr_table_dict_count(t, KR_DICT_DEVICE);
        break;
    case KR_FUNNEL_BY_PROPERTY:
        /* a key the table did not keep: everyone has no value, like phases --by */
        if (kr_table_property_column(t, o->by_property, &b.prop_codes, &b.prop) == KR_OK)
            b.codes = kr_table_property_value_count(t, b.prop);
        break;
    case KR_FUNNEL_BY_PERSON:
        b.codes = o->by_person.count + 1; /* the last one is "(none)" */
        break;
    case KR_FUNNEL_BY_NONE:
        break;
    }
    if (b.codes == 0)
        b.codes = 1;
    return b;
}

/* The value code of person p for the breakdown, from event e (SIZE_MAX: no such event). */
static uint32_t by_value(const by_source *b, const kr_table *t, const kr_funnel_options *o,
                         uint32_t p, size_t e)
{
    if (o->by == KR_FUNNEL_BY_PERSON) {
        uint32_t g = o->by_person.group[p];
        return g < o->by_person.count ? g : o->by_person.count;
    }
    if (e == SIZE_MAX)
        return 0;
    if (o->by == KR_FUNNEL_BY_CHANNEL)
        return t->channel[e];
    if (o->by == KR_FUNNEL_BY_DEVICE)
        return t->device[e];
    return b->prop_codes ? b->prop_codes[e] : 0;
}

static kr_str by_value_name(const by_source *b, const kr_table *t, const kr_funnel_options *o,
                            uint32_t v)
{
    switch (o->by) {
    case KR_FUNNEL_BY_CHANNEL:
        return kr_table_dict_get(t, KR_DICT_CHANNEL, v);
    case KR_FUNNEL_BY_DEVICE:
        return kr_table_dict_get(t, KR_DICT_DEVICE, v);
    case KR_FUNNEL_BY_PROPERTY:
        return b->prop_codes ? kr_table_property_value(t, b->prop, v) : KR_STR_NULL;
    case KR_FUNNEL_BY_PERSON:
        return v < o->by_person.count ? o->by_person.names[v] : KR_STR_NULL;
    case KR_FUNNEL_BY_NONE:
        break;
    }
    return KR_STR_NULL;
}

/* Breakdown: the persons in the funnel grouped by the value on one of their events, or by
   the caller's person groups; fills r->groups and r->group. who/scratch have room for
   person_count. */
static int breakdown(kr_funnel_result *r, const kr_table *t, const kr_funnel_options *o,
                     const by_source *bs, const uint32_t *value_of, const int64_t *dt,
                     uint32_t *who, int64_t *scratch)
{
    uint32_t codes = bs->codes;
    size_t *first = calloc((size_t)codes + 1, sizeof *first);
    uint32_t *index = malloc(((size_t)codes ? codes : 1) * sizeof *index);
    ranked *sorted = NULL;
    uint32_t *order = NULL;
    int rc = KR_OK;
    if (!first || !index) {
        rc = KR_ENOMEM;
        goto done;
    }
    /* counting sort of the persons by code; persons outside the funnel have value UINT32_MAX */
    for (uint32_t p = 0; p < r->person_count; p++)
        if (value_of[p] != UINT32_MAX)
            first[value_of[p] + 1]++;
    for (uint32_t v = 0; v < codes; v++) {
        index[v] = first[v + 1] ? (uint32_t)r->group_count++ : UINT32_MAX;
        first[v + 1] += first[v];
    }
    r->groups = calloc(r->group_count ? r->group_count : 1, sizeof *r->groups);
    r->group = malloc((r->person_count ? r->person_count : 1) * sizeof *r->group);
    if (!r->groups || !r->group) {
        rc = KR_ENOMEM;
        goto done;
    }
    for (uint32_t p = 0; p < r->person_count; p++) {
        r->group[p] = value_of[p] == UINT32_MAX ? UINT32_MAX : index[value_of[p]];
        if (value_of[p] != UINT32_MAX)
            who[first[value_of[p]]++] = p;
    }
    /* first[v] is now the end of code v's persons */
    size_t begin = 0;
    for (uint32_t v = 0; v < codes; v++) {
        if (index[v] == UINT32_MAX)
            continue;
        kr_funnel_group *g = &r->groups[index[v]];
        if ((rc = group_finish_alloc(g, o)) < 0)
            goto done;
        g->value = by_value_name(bs, t, o, v);
        summarise(g, r, dt, o->step_count, who + begin, first[v] - begin, scratch,
                  o->order != KR_FUNNEL_UNORDERED);
        begin = first[v];
    }
    /* sort the groups, and renumber the persons' group indices to match */
    sorted = malloc((r->group_count ? r->group_count : 1) * sizeof *sorted);
    order = malloc((r->group_count ? r->group_count : 1) * sizeof *order);
    if (!sorted || !order) {
        rc = KR_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < r->group_count; i++)
        sorted[i] = (ranked){r->groups[i], (uint32_t)i};
    qsort(sorted, r->group_count, sizeof *sorted, cmp_group);
    for (size_t i = 0; i < r->group_count; i++) {
        r->groups[i] = sorted[i].g;
        order[sorted[i].old] = (uint32_t)i;
    }
    for (uint32_t p = 0; p < r->person_count; p++)
        if (r->group[p] != UINT32_MAX)
            r->group[p] = order[r->group[p]];
done:
    free(first);
    free(index);
    free(sorted);
    free(order);
    return rc;
}

int kr_funnel_run(kr_funnel_result *out, const kr_table *t, const kr_funnel_options *o,
                  char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    compiled c = {0};
    int64_t *dt = NULL, *scratch = NULL;
    uint32_t *who = NULL, *value_of = NULL;
    int rc = KR_OK;
    if (o->step_count == 0 || o->step_count > KR_FUNNEL_MAX_STEPS) {
        snprintf(errbuf, errlen, "a funnel has 1 to %d steps", KR_FUNNEL_MAX_STEPS);
        return KR_EINVAL;
    }
    if (o->window_ms <= 0) {
        snprintf(errbuf, errlen, "the window must be positive");
        return KR_EINVAL;
    }
    if (o->exclusion_count > KR_FUNNEL_MAX_EXCLUSIONS) {
        snprintf(errbuf, errlen, "at most %d exclusions", KR_FUNNEL_MAX_EXCLUSIONS);
        return KR_EINVAL;
    }
    if (o->exclusion_count && o->order == KR_FUNNEL_UNORDERED) {
        snprintf(errbuf, errlen, "exclusions need --order ordered or strict");
        return KR_EINVAL;
    }
    if (o->by != KR_FUNNEL_BY_NONE && o->by_attribution == KR_FUNNEL_ATTR_STEP &&
        (o->by_step < 1 || o->by_step > o->step_count)) {
        snprintf(errbuf, errlen, "attribution step %u: the funnel has steps 1 to %zu", o->by_step,
                 o->step_count);
        return KR_EINVAL;
    }
    if (o->by == KR_FUNNEL_BY_PERSON &&
        (!o->by_person.group || (o->by_person.count && !o->by_person.names))) {
        snprintf(errbuf, errlen, "a breakdown by person group needs the groups");
        return KR_EINVAL;
    }
    if (o->by == KR_FUNNEL_BY_PROPERTY && o->by_property.len == 0) {
        snprintf(errbuf, errlen, "a breakdown by property needs the property's name");
        return KR_EINVAL;
    }
    const by_source bs = by_source_of(t, o);
    if ((rc = compile(&c, t, o, errbuf, errlen)) < 0)
        goto done;
    const size_t n = o->step_count, persons = t->person_count ? t->person_count : 1;
    const bool times = o->order != KR_FUNNEL_UNORDERED;
    out->step_count = n;
    out->person_count = t->person_count;
    out->level = calloc(persons, 1);
    /* only the entries of the steps a person reached are written and read */
    dt = times ? malloc(persons * n * sizeof *dt) : NULL;
    if (o->by != KR_FUNNEL_BY_NONE)
        value_of = malloc(persons * sizeof *value_of);
    if ((rc = group_finish_alloc(&out->total, o)) < 0 || !out->level || (times && !dt) ||
        (o->by != KR_FUNNEL_BY_NONE && !value_of)) {
        rc = KR_ENOMEM;
        goto done;
    }
    out->steps = out->total.steps;
    const bool ranged = o->has_from || o->has_to;
    const bool strict = o->order == KR_FUNNEL_STRICT;
    outcome oc;
    for (uint32_t p = 0; p < t->person_count; p++) {
        size_t lo = t->person_start[p], hi = t->person_start[p + 1];
        if (ranged) {
            if (o->has_from)
                lo = lower_bound(t->time_ms, lo, hi, o->from_ms);
            if (o->has_to)
                hi = lower_bound(t->time_ms, lo, hi, o->to_ms);
        }
        out->events_scanned += hi - lo;
        if (p + 2 < t->person_count) {
            /* The scan reads the time column only at the few events that advance a step, too
               sparsely for the hardware prefetcher: fetch the person after next's times now
               (at most 8 cache lines), so that those reads do not wait for memory. */
            size_t a = t->person_start[p + 2], z = t->person_start[p + 3];
            for (size_t k = 0; a < z && k < 8; a += 8, k++)
                __builtin_prefetch(&t->time_ms[a]);
        }
        if (times)
            scan_ordered(&oc, &c, t, o->window_ms, strict, lo, hi);
        else
            scan_unordered(&oc, &c, t, o->window_ms, lo, hi);
        unsigned level = oc.level;
        out->level[p] = (uint8_t)level;
        if (value_of)
            value_of[p] = UINT32_MAX;
        if (level == 0 || level == KR_FUNNEL_EXCLUDED)
            continue;
        if (times)
            for (unsigned k = 1; k < level; k++)
                dt[(size_t)p * n + k] = t->time_ms[oc.path[k]] - t->time_ms[oc.path[k - 1]];
        if (value_of) {
            size_t e;
            if (o->by_attribution == KR_FUNNEL_ATTR_LAST) {
                e = oc.path[level - 1];
            } else if (o->by_attribution == KR_FUNNEL_ATTR_STEP) {
                e = level >= o->by_step ? oc.path[o->by_step - 1] : SIZE_MAX;
            } else {
                e = first_step1(&c, t, lo, hi);
                if (e == hi) /* unordered: a person can be in the funnel without a step-1 event */
                    e = oc.path[0];
            }
            value_of[p] = by_value(&bs, t, o, p, e);
        }
    }
    who = malloc(persons * sizeof *who);
    scratch = malloc(persons * sizeof *scratch);
    if (!who || !scratch) {
        rc = KR_ENOMEM;
        goto done;
    }
    for (uint32_t p = 0; p < t->person_count; p++)
        who[p] = p;
    summarise(&out->total, out, dt, n, who, t->person_count, scratch, times);
    if (value_of)
        rc = breakdown(out, t, o, &bs, value_of, dt, who, scratch);
done:
    free(c.name_mask);
    free(dt);
    free(scratch);
    free(who);
    free(value_of);
    if (rc == KR_ENOMEM)
        snprintf(errbuf, errlen, "out of memory");
    return rc;
}
