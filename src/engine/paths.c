/*
 * paths.c - the top paths of persons or sessions and their step-to-step transitions (Sankey
 * data); docs/paths.md states the semantics exactly.
 *
 *     kr_paths_options o = KR_PATHS_OPTIONS_INIT;
 *     o.per = KR_PATHS_PER_SESSION; o.to = "purchase";
 *     if (kr_paths_run(&r, table, &o, err, sizeof err) == KR_OK) ...r.paths[0].steps...
 *     kr_paths_result_finish(&r);
 *
 * Speed: one pass over the columns; per event one array read (name, channel or tag code), a
 * compare with the previous step (collapsing repeats) and a store into a fixed buffer of at
 * most KR_PATHS_MAX_DEPTH codes. Each finished path is hashed once into an open-addressing
 * table of distinct paths (packed into one 64-bit key when its codes fit, see packed_set). Ranking
 * and the Sankey work on the distinct paths, not on events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "klantreis/paths.h"

#define NONE UINT32_MAX        /* the event has no value of this kind / no from or to given */
#define NEVER (UINT32_MAX - 1) /* a from or to value the table does not have */

/* The distinct paths: codes with stride depth, their lengths and counts. */
typedef struct path_set {
    size_t depth;
    size_t count, cap;
    uint32_t *codes;
    uint8_t *len;
    uint64_t *n;
    uint32_t *slots; /* index + 1 into the paths; 0 = empty; power of two */
    size_t slot_count;
} path_set;

static void set_free(path_set *s)
{
    free(s->codes);
    free(s->len);
    free(s->n);
    free(s->slots);
}

/* A path's hash: one multiply per code and a final mix (paths are at most 32 short codes;
   cheaper than the byte-wise kr__hash64 on the per-session hot path). */
static uint64_t path_hash(const uint32_t *p, size_t len)
{
    uint64_t h = len;
    for (size_t k = 0; k < len; k++)
        h = (h ^ p[k]) * UINT64_C(0x9fb21c651e98df25);
    return kr__hash_mix(h);
}

static bool path_eq(const uint32_t *a, const uint32_t *b, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

static int set_grow_slots(path_set *s)
{
    size_t nslots = s->slot_count ? s->slot_count * 2 : 1024;
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return KR_ENOMEM;
    for (size_t i = 0; i < s->count; i++) {
        uint64_t h = path_hash(s->codes + i * s->depth, s->len[i]);
        size_t j = (size_t)h & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = (uint32_t)(i + 1);
    }
    free(s->slots);
    s->slots = slots;
    s->slot_count = nslots;
    return KR_OK;
}

/* Adds n units with path p (len codes). */
static int set_add(path_set *s, const uint32_t *p, size_t len, uint64_t n)
{
    if (2 * (s->count + 1) > s->slot_count && set_grow_slots(s) < 0)
        return KR_ENOMEM;
    uint64_t h = path_hash(p, len);
    size_t j = (size_t)h & (s->slot_count - 1);
    for (; s->slots[j]; j = (j + 1) & (s->slot_count - 1)) {
        size_t i = s->slots[j] - 1;
        if (s->len[i] == len && path_eq(s->codes + i * s->depth, p, len)) {
            s->n[i] += n;
            return KR_OK;
        }
    }
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        if (cap > UINT32_MAX - 1)
            return KR_ETOOBIG;
        uint32_t *codes = realloc(s->codes, cap * s->depth * sizeof *codes);
        if (!codes)
            return KR_ENOMEM;
        s->codes = codes;
        uint8_t *l = realloc(s->len, cap);
        if (!l)
            return KR_ENOMEM;
        s->len = l;
        uint64_t *counts = realloc(s->n, cap * sizeof *counts);
        if (!counts)
            return KR_ENOMEM;
        s->n = counts;
        s->cap = cap;
    }
    memcpy(s->codes + s->count * s->depth, p, len * sizeof *p);
    s->len[s->count] = (uint8_t)len;
    s->n[s->count] = n;
    s->slots[j] = (uint32_t)(++s->count);
    return KR_OK;
}

/*
 * The common case, packed: when every code fits in `bits` bits and depth * bits + 6 <= 64, a
 * path is one 64-bit key (its length in the low 6 bits, then the codes), counted in an
 * open-addressing table of (key, count) slots: one probe per unit, usually one cache line.
 * The distinct keys go into the path set at the end.
 */
typedef struct packed_set {
    uint64_t *keys; /* 0 = empty (a key's length is never 0) */
    uint64_t *n;
    size_t count, slot_count;
} packed_set;

static int packed_grow(packed_set *ps)
{
    size_t nslots = ps->slot_count ? ps->slot_count * 2 : 1024;
    uint64_t *keys = calloc(nslots, sizeof *keys);
    uint64_t *n = malloc(nslots * sizeof *n);
    if (!keys || !n) {
        free(keys);
        free(n);
        return KR_ENOMEM;
    }
    for (size_t i = 0; i < ps->slot_count; i++) {
        if (!ps->keys[i])
            continue;
        size_t j = (size_t)kr__hash_mix(ps->keys[i]) & (nslots - 1);
        while (keys[j])
            j = (j + 1) & (nslots - 1);
        keys[j] = ps->keys[i];
        n[j] = ps->n[i];
    }
    free(ps->keys);
    free(ps->n);
    ps->keys = keys;
    ps->n = n;
    ps->slot_count = nslots;
    return KR_OK;
}

static int packed_add(packed_set *ps, uint64_t key)
{
    if (2 * (ps->count + 1) > ps->slot_count && packed_grow(ps) < 0)
        return KR_ENOMEM;
    size_t mask = ps->slot_count - 1;
    size_t j = (size_t)kr__hash_mix(key) & mask;
    for (; ps->keys[j]; j = (j + 1) & mask) {
        if (ps->keys[j] == key) {
            ps->n[j]++;
            return KR_OK;
        }
    }
    ps->keys[j] = key;
    ps->n[j] = 1;
    ps->count++;
    return KR_OK;
}

typedef struct namer {
    const kr_table *t;
    const kr_paths_options *o;
} namer;

static kr_str name_of(const namer *nm, uint32_t code)
{
    switch (nm->o->of) {
    case KR_PATHS_OF_CHANNEL:
        return kr_table_dict_get(nm->t, KR_DICT_CHANNEL, code);
    case KR_PATHS_OF_TOUCHPOINT:
        return code < nm->o->tag_count ? nm->o->tag_names[code] : (kr_str){"", 0};
    default:
        return kr_table_dict_get(nm->t, KR_DICT_NAME, code);
    }
}

static int str_cmp(kr_str a, kr_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

typedef struct named {
    kr_str name;
    uint32_t code;
} named;

static int cmp_named(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = str_cmp(x->name, y->name);
    return c ? c : (x->code > y->code) - (x->code < y->code);
}

/* Resolves a from/to value to its code: NONE when not given, NEVER when absent. */
static uint32_t resolve(const namer *nm, const char *s)
{
    if (!s)
        return NONE;
    kr_str v = kr_str_from_cstr(s);
    uint32_t code;
    switch (nm->o->of) {
    case KR_PATHS_OF_CHANNEL:
        return kr_table_dict_find(nm->t, KR_DICT_CHANNEL, v, &code) == KR_OK && code ? code : NEVER;
    case KR_PATHS_OF_TOUCHPOINT:
        for (size_t i = 0; i < nm->o->tag_count; i++)
            if (kr_str_eq(nm->o->tag_names[i], v))
                return (uint32_t)i;
        return NEVER;
    default:
        return kr_table_dict_find(nm->t, KR_DICT_NAME, v, &code) == KR_OK && code ? code : NEVER;
    }
}

/* A distinct path ready for ranking: its codes mapped to name ranks. */
typedef struct ranked {
    uint64_t n;
    const uint32_t *rank; /* len name ranks */
    size_t len;
    size_t index; /* into the path set */
} ranked;

static int cmp_ranks(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    for (size_t k = 0; k < n; k++)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return (alen > blen) - (alen < blen);
}

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return cmp_ranks(x->rank, x->len, y->rank, y->len);
}

/* Sankey edges before merging: node (step, a) with b = NONE, or link (step, a -> b). */
typedef struct edge {
    uint32_t step;
    uint32_t a, b; /* name ranks */
    uint64_t n;
} edge;

static int cmp_edge_key(const void *x_, const void *y_)
{
    const edge *x = x_, *y = y_;
    if (x->step != y->step)
        return x->step < y->step ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

static int cmp_edge_out(const void *x_, const void *y_)
{
    const edge *x = x_, *y = y_;
    if (x->step != y->step)
        return x->step < y->step ? -1 : 1;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return cmp_edge_key(x_, y_);
}

/* Sorts and merges equal keys, then orders for output; returns the merged count. */
static size_t merge_edges(edge *e, size_t n)
{
    if (!n)
        return 0;
    qsort(e, n, sizeof *e, cmp_edge_key);
    size_t m = 0;
    for (size_t i = 1; i < n; i++) {
        if (cmp_edge_key(&e[m], &e[i]) == 0)
            e[m].n += e[i].n;
        else
            e[++m] = e[i];
    }
    m++;
    qsort(e, m, sizeof *e, cmp_edge_out);
    return m;
}

static int fail(char *errbuf, size_t errlen, const char *msg)
{
    if (errlen)
        snprintf(errbuf, errlen, "%s", msg);
    return KR_EINVAL;
}

int kr_paths_run(kr_paths_result *out, const kr_table *t, const kr_paths_options *o, char *errbuf,
                 size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->per = o->per;
    if (errlen)
        errbuf[0] = '\0';
    if (o->depth < 1 || o->depth > KR_PATHS_MAX_DEPTH)
        return fail(errbuf, errlen, "depth must be 1 to 32 steps");
    if (o->top < 1 || o->top > KR_PATHS_MAX_TOP)
        return fail(errbuf, errlen, "top must be 1 to 1000 paths");
    if (o->per == KR_PATHS_PER_SESSION && o->session_gap_ms < 0)
        return fail(errbuf, errlen, "the session gap must not be negative");
    if (o->of == KR_PATHS_OF_TOUCHPOINT && (!o->tags || o->tag_count > KR_PATHS_NO_TAG))
        return fail(errbuf, errlen, "paths of touchpoints need a journey model");
    if (o->after_drop_off) {
        if (o->step_count < 2 || o->step_count > KR_PATHS_MAX_STEPS || !o->steps)
            return fail(errbuf, errlen, "paths after drop-off need 2 to 32 funnel steps");
        if (o->after_drop_off >= o->step_count)
            return fail(errbuf, errlen, "the drop-off step must be before the last step");
        if (o->from || o->to)
            return fail(errbuf, errlen, "paths after drop-off go without from and to");
    }

    namer nm = {t, o};
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const uint32_t from = resolve(&nm, o->from), to = resolve(&nm, o->to);
    /* after drop-off: the funnel steps' codes, N and the code of step N + 1 */
    uint32_t fsteps[KR_PATHS_MAX_STEPS];
    const size_t drop = o->after_drop_off;
    for (size_t k = 0; drop && k < o->step_count; k++)
        fsteps[k] = resolve(&nm, o->steps[k]);
    const uint32_t next = drop ? fsteps[drop] : NONE;
    const size_t depth = o->depth;
    const bool keep_last = to != NONE && from == NONE; /* the steps that lead to `to` */
    const bool per_session = o->per == KR_PATHS_PER_SESSION;
    const bool simple =
        o->of == KR_PATHS_OF_EVENT && !drop && from == NONE && to == NONE && !keep_last;
    const int64_t gap = o->session_gap_ms;
    path_set set = {.depth = depth};
    packed_set ps = {0};
    const size_t vcount = o->of == KR_PATHS_OF_EVENT     ? kr_table_dict_count(t, KR_DICT_NAME)
                          : o->of == KR_PATHS_OF_CHANNEL ? kr_table_dict_count(t, KR_DICT_CHANNEL)
                                                         : o->tag_count;
    unsigned bits = 1;
    while (bits < 32 && (vcount > 0 ? (uint64_t)(vcount - 1) : 0) >> bits)
        bits++;
    const bool packed = depth * bits + 6 <= 64;
    const uint64_t code_mask = (UINT64_C(1) << bits) - 1;
    ranked *order = NULL;
    uint32_t *rank = NULL, *ranks = NULL;
    named *names = NULL;
    edge *nodes = NULL, *links = NULL;
    int rc = KR_OK;

    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t end = c.person_start[p + 1];
        for (size_t i = c.person_start[p]; i < end;) {
            size_t j = i + 1;
            if (per_session)
                while (j < end && c.time_ms[j] - c.time_ms[j - 1] <= gap)
                    j++;
            else
                j = end;
            /* The unit is [i, j). */
            uint32_t buf[KR_PATHS_MAX_DEPTH];
            size_t total = 0;
            uint32_t last = NONE;
            size_t level = 0; /* after drop-off: funnel steps reached */
            bool started = false, ended = false, converted = false;
            if (simple) {
                /* The default (events, no from/to, no drop-off): the first depth distinct
                   consecutive names, without the general loop's branches per event. */
                for (size_t k = i; k < j && total < depth; k++) {
                    uint32_t v = c.name[k];
                    if (v && v != last)
                        buf[total++] = last = v;
                }
                started = true;
            }
            for (size_t k = simple ? j : i; k < j; k++) {
                uint32_t v;
                if (o->of == KR_PATHS_OF_EVENT)
                    v = c.name[k] ? c.name[k] : NONE;
                else if (o->of == KR_PATHS_OF_CHANNEL)
                    v = c.channel[k] ? c.channel[k] : NONE;
                else
                    v = o->tags[k] < o->tag_count ? o->tags[k] : NONE;
                if (v == NONE || v == last)
                    continue;
                last = v;
                if (drop) {
                    if (started && v == next) {
                        converted = true; /* reached step N + 1: no drop-off */
                        break;
                    }
                    if (!started) {
                        if (v == fsteps[level])
                            level++;
                        if (level < drop)
                            continue;
                        started = true;
                    }
                    /* past depth, keep reading: step N + 1 may still come */
                } else if (!started) {
                    if (from != NONE && v != from)
                        continue;
                    started = true;
                } else if (to == NONE && total >= depth) {
                    break; /* cut: nothing after the first depth steps matters */
                }
                if (keep_last)
                    buf[total % depth] = v;
                else if (total < depth)
                    buf[total] = v;
                total++;
                /* The start step ends the path only when no from was given. */
                if (v == to && (from == NONE || total > 1)) {
                    ended = true;
                    break;
                }
            }
            out->events_scanned += j - i;
            i = j;
            if (!started || converted || (to != NONE && !ended))
                continue;
            size_t len = total < depth ? total : depth;
            uint32_t path[KR_PATHS_MAX_DEPTH];
            if (keep_last && total > depth)
                for (size_t k = 0; k < len; k++)
                    path[k] = buf[(total - len + k) % depth];
            else
                memcpy(path, buf, len * sizeof *path);
            if (packed) {
                uint64_t key = len;
                for (size_t k = 0; k < len; k++)
                    key |= (uint64_t)path[k] << (6 + k * bits);
                rc = packed_add(&ps, key);
            } else {
                rc = set_add(&set, path, len, 1);
            }
            if (rc < 0)
                goto done;
            out->units++;
        }
    }
    if (packed) {
        for (size_t j = 0; j < ps.slot_count; j++) {
            uint64_t key = ps.keys[j];
            if (!key)
                continue;
            size_t len = (size_t)(key & 63u);
            uint32_t path[KR_PATHS_MAX_DEPTH];
            for (size_t k = 0; k < len; k++)
                path[k] = (uint32_t)((key >> (6 + k * bits)) & code_mask);
            if ((rc = set_add(&set, path, len, ps.n[j])) < 0)
                goto done;
        }
    }
    out->distinct = set.count;

    /* Name ranks of every value code, so that ties sort by name without a context. */
    rc = KR_ENOMEM;
    names = malloc((vcount ? vcount : 1) * sizeof *names);
    rank = malloc((vcount ? vcount : 1) * sizeof *rank);
    ranks = malloc((set.count * depth + 1) * sizeof *ranks);
    order = malloc((set.count + 1) * sizeof *order);
    if (!names || !rank || !ranks || !order)
        goto done;
    for (size_t v = 0; v < vcount; v++)
        names[v] = (named){name_of(&nm, (uint32_t)v), (uint32_t)v};
    qsort(names, vcount, sizeof *names, cmp_named);
    for (size_t v = 0; v < vcount; v++)
        rank[names[v].code] = (uint32_t)v;
    size_t edge_count = 0;
    for (size_t i = 0; i < set.count; i++) {
        for (size_t k = 0; k < set.len[i]; k++)
            ranks[i * depth + k] = rank[set.codes[i * depth + k]];
        order[i] = (ranked){set.n[i], ranks + i * depth, set.len[i], i};
        edge_count += set.len[i];
    }
    qsort(order, set.count, sizeof *order, cmp_ranked);

    /* The top paths. */
    out->path_count = set.count < o->top ? set.count : o->top;
    size_t name_total = 0;
    for (size_t i = 0; i < out->path_count; i++)
        name_total += order[i].len;
    out->paths = calloc(out->path_count + 1, sizeof *out->paths);
    out->names = malloc((name_total + 1) * sizeof *out->names);
    if (!out->paths || !out->names)
        goto done;
    kr_str *np = out->names;
    for (size_t i = 0; i < out->path_count; i++) {
        kr_paths_path *pp = &out->paths[i];
        pp->len = order[i].len;
        pp->steps = np;
        pp->count = order[i].n;
        pp->share = (double)pp->count / (double)out->units;
        for (size_t k = 0; k < pp->len; k++)
            *np++ = names[order[i].rank[k]].name;
    }

    /* The Sankey over every counted path, not only the top ones. */
    nodes = malloc((edge_count + 1) * sizeof *nodes);
    links = malloc((edge_count + 1) * sizeof *links);
    if (!nodes || !links)
        goto done;
    size_t nn = 0, nl = 0;
    for (size_t i = 0; i < set.count; i++) {
        const uint32_t *r = ranks + i * depth;
        for (size_t k = 0; k < set.len[i]; k++) {
            nodes[nn++] = (edge){(uint32_t)k, r[k], NONE, set.n[i]};
            if (k + 1 < set.len[i])
                links[nl++] = (edge){(uint32_t)k, r[k], r[k + 1], set.n[i]};
        }
    }
    nn = merge_edges(nodes, nn);
    nl = merge_edges(links, nl);
    out->nodes = malloc((nn + 1) * sizeof *out->nodes);
    out->links = malloc((nl + 1) * sizeof *out->links);
    if (!out->nodes || !out->links)
        goto done;
    for (size_t i = 0; i < nn; i++)
        out->nodes[i] = (kr_paths_node){nodes[i].step, names[nodes[i].a].name, nodes[i].n};
    for (size_t i = 0; i < nl; i++)
        out->links[i] = (kr_paths_link){links[i].step, names[links[i].a].name,
                                        names[links[i].b].name, links[i].n};
    out->node_count = nn;
    out->link_count = nl;
    rc = KR_OK;
done:
    if (rc < 0 && errlen)
        snprintf(errbuf, errlen, "%s", kr_strerror(rc));
    free(nodes);
    free(links);
    free(order);
    free(ranks);
    free(rank);
    free(names);
    set_free(&set);
    free(ps.keys);
    free(ps.n);
    return rc;
}

void kr_paths_result_finish(kr_paths_result *r)
{
    free(r->paths);
    free(r->nodes);
    free(r->links);
    free(r->names);
    memset(r, 0, sizeof *r);
}

static const char *const of_names[] = {"event", "channel", "touchpoint"};

const char *kr_paths_of_name(kr_paths_of of)
{
    return (unsigned)of < 3 ? of_names[of] : "?";
}

int kr_paths_of_parse(kr_paths_of *out, const char *name)
{
    for (unsigned i = 0; i < 3; i++) {
        if (strcmp(name, of_names[i]) == 0) {
            *out = (kr_paths_of)i;
            return KR_OK;
        }
    }
    return KR_EINVAL;
}
