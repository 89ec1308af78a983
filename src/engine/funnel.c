/*
 * funnel.c - funnels over the table, with ClickHouse windowFunnel semantics (docs/funnels.md).
 *
 * Steps are compiled once into a bitmask per event-name code (plus a per-event check for the
 * steps that also test channel, device or type), so the loop over a person's events does one
 * array lookup per event and no allocation or hashing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/table_internal.h"
#include "klantreis/funnel.h"

#define ANY UINT32_MAX   /* condition absent */
#define NEVER (ANY - 1u) /* the value does not occur in the table: the step never matches */

typedef struct step_rule {
    uint32_t name, channel, device, type;
} step_rule;

typedef struct compiled {
    size_t n;
    step_rule rules[KR_FUNNEL_MAX_STEPS];
    uint32_t *name_mask; /* per name code: steps whose name condition holds */
    uint32_t extra_mask; /* steps with a channel, device or type condition */
} compiled;

static uint32_t lookup(const kr_table *t, kr_dict_kind kind, const char *v, size_t len)
{
    uint32_t code;
    return kr_table_dict_find(t, kind, (kr_str){v, len}, &code) == KR_OK ? code : NEVER;
}

/* Parses "purchase" or "event=purchase&channel=email". */
static int parse_step(step_rule *r, const kr_table *t, const char *spec, char *err, size_t errlen)
{
    *r = (step_rule){ANY, ANY, ANY, ANY};
    if (!strchr(spec, '=')) {
        if (!*spec) {
            snprintf(err, errlen, "empty step");
            return KR_EINVAL;
        }
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
        if (klen == 5 && strncmp(p, "event", 5) == 0) {
            r->name = lookup(t, KR_DICT_NAME, v, vlen);
        } else if (klen == 7 && strncmp(p, "channel", 7) == 0) {
            r->channel = lookup(t, KR_DICT_CHANNEL, v, vlen);
        } else if (klen == 6 && strncmp(p, "device", 6) == 0) {
            r->device = lookup(t, KR_DICT_DEVICE, v, vlen);
        } else if (klen == 4 && strncmp(p, "type", 4) == 0) {
            kr_event_type type;
            if (kr_event_type_parse(&type, (kr_str){v, vlen}) < 0) {
                snprintf(err, errlen, "step '%s': unknown type '%.*s'", spec, (int)vlen, v);
                return KR_EINVAL;
            }
            r->type = (uint32_t)type;
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
    c->extra_mask = 0;
    uint32_t names = kr_table_dict_count(t, KR_DICT_NAME);
    c->name_mask = calloc(names ? names : 1, sizeof *c->name_mask);
    if (!c->name_mask)
        return KR_ENOMEM;
    for (size_t k = 0; k < c->n; k++) {
        int rc = parse_step(&c->rules[k], t, o->steps[k], err, errlen);
        if (rc < 0)
            return rc;
        const step_rule *r = &c->rules[k];
        if (r->name == ANY) {
            for (uint32_t code = 0; code < names; code++)
                c->name_mask[code] |= UINT32_C(1) << k;
        } else if (r->name != NEVER) {
            c->name_mask[r->name] |= UINT32_C(1) << k;
        }
        if (r->channel != ANY || r->device != ANY || r->type != ANY)
            c->extra_mask |= UINT32_C(1) << k;
    }
    return KR_OK;
}

/* The steps event i matches. */
static inline uint32_t event_mask(const compiled *c, const kr_table *t, size_t i)
{
    uint32_t m = c->name_mask[t->name[i]];
    uint32_t extra = m & c->extra_mask;
    while (extra) {
        unsigned k = (unsigned)__builtin_ctz(extra);
        extra &= extra - 1;
        const step_rule *r = &c->rules[k];
        if ((r->channel != ANY && r->channel != t->channel[i]) ||
            (r->device != ANY && r->device != t->device[i]) ||
            (r->type != ANY && r->type != (uint32_t)KR_FLAG_TYPE(t->flags[i])))
            m &= ~(UINT32_C(1) << k);
    }
    return m;
}

static inline bool in_range(const kr_funnel_options *o, int64_t ts)
{
    return (!o->has_from || ts >= o->from_ms) && (!o->has_to || ts < o->to_ms);
}

/*
 * Ordered and strict: ClickHouse's getEventLevel. Entries are (time, step) sorted by time,
 * then step; an event that matches several steps gives one entry per step, and in strict mode
 * an event that matches none gives an entry that sorts before the steps at its time. first[k]
 * is the start time of the latest chain that reached step k (a later start never reaches
 * less far), path[k] its step times.
 */
static unsigned level_ordered(const compiled *c, const kr_table *t, const kr_funnel_options *o,
                              size_t lo, size_t hi, int64_t path_out[KR_FUNNEL_MAX_STEPS])
{
    int64_t first[KR_FUNNEL_MAX_STEPS];
    int64_t path[KR_FUNNEL_MAX_STEPS][KR_FUNNEL_MAX_STEPS];
    uint32_t reached = 0; /* bit k: step k has a chain */
    bool first_event = false, strict = o->order == KR_FUNNEL_STRICT;
    const unsigned n = (unsigned)c->n;
    const int64_t window = o->window_ms;
    unsigned level = 0;
    for (size_t i = lo; i < hi;) {
        int64_t ts = t->time_ms[i];
        /* The group of events at this time: the union of their steps. */
        uint32_t gmask = 0;
        bool gnone = false;
        size_t j = i;
        for (; j < hi && t->time_ms[j] == ts; j++) {
            if (!in_range(o, ts))
                continue;
            uint32_t m = event_mask(c, t, j);
            gmask |= m;
            gnone |= m == 0;
        }
        i = j;
        if (!in_range(o, ts))
            continue;
        if (strict && gnone && first_event)
            goto done;
        for (uint32_t m = gmask; m; m &= m - 1) {
            unsigned k = (unsigned)__builtin_ctz(m);
            if (k == 0) {
                first[0] = ts;
                path[0][0] = ts;
                reached |= 1u;
                first_event = true;
            } else if (strict && first_event && !(reached & (UINT32_C(1) << (k - 1)))) {
                goto done;
            } else if ((reached & (UINT32_C(1) << (k - 1))) && ts - first[k - 1] <= window) {
                first[k] = first[k - 1];
                memcpy(path[k], path[k - 1], k * sizeof path[k][0]);
                path[k][k] = ts;
                reached |= UINT32_C(1) << k;
                if (k + 1 == n)
                    goto done;
            }
        }
    }
done:
    /* Levels are set in order (k needs k - 1), so the level is the count of trailing ones. */
    level = reached == UINT32_MAX ? 32u : (unsigned)__builtin_ctz(~reached);
    if (level)
        memcpy(path_out, path[level - 1], level * sizeof path_out[0]);
    return level;
}

/* Unordered: the most distinct steps within any window [t, t + window] that starts at a step
   event. An event that matches several steps counts for each. */
static unsigned level_unordered(const compiled *c, const kr_table *t, const kr_funnel_options *o,
                                size_t lo, size_t hi)
{
    unsigned counts[KR_FUNNEL_MAX_STEPS] = {0}, distinct = 0, best = 0;
    size_t b = lo;
    for (size_t a = lo; a < hi; a++) {
        uint32_t ma = in_range(o, t->time_ms[a]) ? event_mask(c, t, a) : 0;
        if (!ma)
            continue;
        if (b < a)
            b = a;
        for (; b < hi && t->time_ms[b] - t->time_ms[a] <= o->window_ms; b++) {
            uint32_t mb = in_range(o, t->time_ms[b]) ? event_mask(c, t, b) : 0;
            for (; mb; mb &= mb - 1)
                distinct += counts[__builtin_ctz(mb)]++ == 0;
        }
        if (distinct > best)
            best = distinct;
        for (; ma; ma &= ma - 1)
            distinct -= --counts[__builtin_ctz(ma)] == 0;
    }
    return best;
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

/* Nearest rank: the smallest value with at least p of the values at or below it. */
static int64_t nearest_rank(const int64_t *sorted, size_t n, double p)
{
    size_t rank = (size_t)((double)n * p);
    if ((double)rank < (double)n * p)
        rank++;
    return sorted[rank ? rank - 1 : 0];
}

void kr_funnel_result_finish(kr_funnel_result *r)
{
    for (size_t k = 0; r->steps && k < r->step_count; k++)
        free(r->steps[k].name);
    free(r->steps);
    free(r->level);
    memset(r, 0, sizeof *r);
}

int kr_funnel_run(kr_funnel_result *out, const kr_table *t, const kr_funnel_options *o,
                  char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    compiled c = {0};
    int64_t *deltas = NULL;
    size_t *delta_count = NULL;
    int rc = KR_OK;
    if (o->step_count == 0 || o->step_count > KR_FUNNEL_MAX_STEPS) {
        snprintf(errbuf, errlen, "a funnel has 1 to %d steps", KR_FUNNEL_MAX_STEPS);
        return KR_EINVAL;
    }
    if (o->window_ms <= 0) {
        snprintf(errbuf, errlen, "the window must be positive");
        return KR_EINVAL;
    }
    if ((rc = compile(&c, t, o, errbuf, errlen)) < 0)
        goto done;
    size_t n = o->step_count;
    out->step_count = n;
    out->person_count = t->person_count;
    out->steps = calloc(n, sizeof *out->steps);
    out->level = calloc(t->person_count ? t->person_count : 1, 1);
    /* Time from the previous step, per step, for every person who reached it. */
    deltas = malloc((t->person_count ? t->person_count : 1) * n * sizeof *deltas);
    delta_count = calloc(n, sizeof *delta_count);
    if (!out->steps || !out->level || !deltas || !delta_count) {
        rc = KR_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(o->steps[k]);
        out->steps[k].name = malloc(len + 1);
        if (!out->steps[k].name) {
            rc = KR_ENOMEM;
            goto done;
        }
        memcpy(out->steps[k].name, o->steps[k], len + 1);
    }
    uint64_t at_level[KR_FUNNEL_MAX_STEPS + 1] = {0};
    int64_t path[KR_FUNNEL_MAX_STEPS];
    for (uint32_t p = 0; p < t->person_count; p++) {
        size_t lo = t->person_start[p], hi = t->person_start[p + 1];
        unsigned level = o->order == KR_FUNNEL_UNORDERED ? level_unordered(&c, t, o, lo, hi)
                                                         : level_ordered(&c, t, o, lo, hi, path);
        out->level[p] = (uint8_t)level;
        at_level[level]++;
        if (o->order != KR_FUNNEL_UNORDERED)
            for (unsigned k = 1; k < level; k++)
                deltas[k * t->person_count + delta_count[k]++] = path[k] - path[k - 1];
    }
    uint64_t reached = 0;
    for (size_t k = n; k > 0; k--) {
        reached += at_level[k];
        out->steps[k - 1].persons = reached;
        out->steps[k - 1].dropped = at_level[k];
    }
    for (size_t k = 0; k < n; k++) {
        kr_funnel_step *s = &out->steps[k];
        uint64_t prev = k ? out->steps[k - 1].persons : s->persons;
        s->conversion_from_previous = prev ? (double)s->persons / (double)prev : 0.0;
        s->conversion_from_first =
            out->steps[0].persons ? (double)s->persons / (double)out->steps[0].persons : 0.0;
        size_t m = delta_count[k];
        if (k && m) {
            int64_t *d = deltas + k * t->person_count;
            qsort(d, m, sizeof *d, cmp_i64);
            double sum = 0;
            for (size_t i = 0; i < m; i++)
                sum += (double)d[i];
            s->mean_ms = sum / (double)m;
            s->median_ms = nearest_rank(d, m, 0.5);
            s->p90_ms = nearest_rank(d, m, 0.9);
        }
    }
done:
    free(c.name_mask);
    free(deltas);
    free(delta_count);
    if (rc == KR_ENOMEM)
        snprintf(errbuf, errlen, "out of memory");
    return rc;
}
