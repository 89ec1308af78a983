/*
 * table_builder.c - gathers events into growing columns, then stitches identities into persons
 * and sorts the events by (person, time): the one way every table is made.
 *
 *     kr_table_builder *b;
 *     kr_table_builder_new(&b);
 *     kr_table_builder_add(b, &ev);   // once per event, any order
 *     kr_table_builder_finish(b, &t); // stitches, sorts, frees b
 */
#include <stdlib.h>
#include <string.h>

#include "core/memory.h"
#include "engine/table_internal.h"

/* An alias event's previous id, kept aside: aliases are rare. */
typedef struct alias_link {
    uint32_t previous;
    uint32_t user;
} alias_link;

struct kr_table_builder {
    kr__dict dicts[KR_DICT_COUNT];
    size_t count;
    size_t cap;
    int64_t *time_ms;
    uint32_t *anon;
    uint32_t *user;
    uint32_t *name;
    uint32_t *account;
    uint16_t *channel;
    uint8_t *device;
    uint8_t *flags;
    uint32_t *aux;
    int64_t *value_cents;
    float *score;
    size_t aux_count;
    size_t aux_cap;
    alias_link *aliases;
    size_t alias_count;
    size_t alias_cap;
    /* Kept free properties: key code k (in prop_keys, initialised with the first key) is
       property k - 1, with its values and one value code per event. */
    kr__dict prop_keys;
    uint32_t prop_count;
    kr__dict prop_values[KR_TABLE_MAX_PROPERTY_KEYS];
    uint32_t *prop_codes[KR_TABLE_MAX_PROPERTY_KEYS];
};

static const uint32_t dict_limits[KR_DICT_COUNT] = {
    [KR_DICT_NAME] = UINT32_MAX - 1,       [KR_DICT_CHANNEL] = KR_MAX_CHANNELS + 1,
    [KR_DICT_DEVICE] = KR_MAX_DEVICES + 1, [KR_DICT_ID] = UINT32_MAX - 1,
    [KR_DICT_ACCOUNT] = UINT32_MAX - 1,
};

void kr_table_builder_free(kr_table_builder *b)
{
    if (!b)
        return;
    for (int i = 0; i < KR_DICT_COUNT; i++)
        kr__dict_finish(&b->dicts[i]);
    free(b->time_ms);
    free(b->anon);
    free(b->user);
    free(b->name);
    free(b->account);
    free(b->channel);
    free(b->device);
    free(b->flags);
    free(b->aux);
    free(b->value_cents);
    free(b->score);
    free(b->aliases);
    kr__dict_finish(&b->prop_keys);
    for (uint32_t k = 0; k < b->prop_count; k++) {
        kr__dict_finish(&b->prop_values[k]);
        free(b->prop_codes[k]);
    }
    free(b);
}

int kr_table_builder_keep_property(kr_table_builder *b, kr_str key)
{
    if (b->cap || key.len == 0)
        return KR_EINVAL;
    uint32_t code;
    if (b->prop_count && kr__dict_find(&b->prop_keys, key, &code) == KR_OK)
        return KR_OK;
    if (b->prop_count == KR_TABLE_MAX_PROPERTY_KEYS)
        return KR_ETOOBIG;
    if (!b->prop_count && kr__dict_init(&b->prop_keys, KR_TABLE_MAX_PROPERTY_KEYS + 1) < 0)
        return KR_ENOMEM;
    if (kr__dict_init(&b->prop_values[b->prop_count], UINT32_MAX - 1) < 0)
        return KR_ENOMEM;
    int rc = kr__dict_intern(&b->prop_keys, key, &code);
    if (rc < 0) {
        kr__dict_finish(&b->prop_values[b->prop_count]);
        return rc;
    }
    b->prop_count++; /* code == prop_count: keys are interned in order */
    return KR_OK;
}

int kr_table_builder_new(kr_table_builder **out)
{
    kr_table_builder *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return KR_ENOMEM;
    for (int i = 0; i < KR_DICT_COUNT; i++) {
        if (kr__dict_init(&b->dicts[i], dict_limits[i]) < 0) {
            kr_table_builder_free(b);
            return KR_ENOMEM;
        }
    }
    *out = b;
    return KR_OK;
}

/* realloc that leaves *p untouched on failure. */
static int grow(void **p, size_t count, size_t size)
{
    void *n = realloc(*p, count * size);
    if (!n)
        return KR_ENOMEM;
    kr__advise_huge(n, count * size);
    *p = n;
    return KR_OK;
}

/* Gives every per-event column room for cap events. */
static int grow_columns(kr_table_builder *b, size_t cap)
{
    if (grow((void **)&b->time_ms, cap, sizeof *b->time_ms) < 0 ||
        grow((void **)&b->anon, cap, sizeof *b->anon) < 0 ||
        grow((void **)&b->user, cap, sizeof *b->user) < 0 ||
        grow((void **)&b->name, cap, sizeof *b->name) < 0 ||
        grow((void **)&b->account, cap, sizeof *b->account) < 0 ||
        grow((void **)&b->channel, cap, sizeof *b->channel) < 0 ||
        grow((void **)&b->device, cap, sizeof *b->device) < 0 ||
        grow((void **)&b->flags, cap, sizeof *b->flags) < 0 ||
        grow((void **)&b->aux, cap, sizeof *b->aux) < 0)
        return KR_ENOMEM;
    for (uint32_t k = 0; k < b->prop_count; k++)
        if (grow((void **)&b->prop_codes[k], cap, sizeof *b->prop_codes[k]) < 0)
            return KR_ENOMEM;
    b->cap = cap;
    return KR_OK;
}

static int reserve_events(kr_table_builder *b)
{
    if (b->count < b->cap)
        return KR_OK;
    if (b->count >= UINT32_MAX - 1) /* finish() numbers events in 32 bits */
        return KR_ETOOBIG;
    return grow_columns(b, b->cap ? b->cap * 2 : 4096);
}

int kr_table_builder_reserve(kr_table_builder *b, size_t events)
{
    if (events <= b->cap)
        return KR_OK;
    if (events >= UINT32_MAX - 1)
        events = UINT32_MAX - 1;
    return grow_columns(b, events);
}

/* Interns s; when a small dictionary is full, new strings share the code of "(other)". */
static int intern_capped(kr__dict *d, kr_str s, uint32_t *code)
{
    if (d->count + 1 < d->max_count)
        return kr__dict_intern(d, s, code);
    if (kr__dict_find(d, s, code) == KR_OK)
        return KR_OK;
    return kr__dict_intern(d, kr_str_from_cstr("(other)"), code);
}

int kr_table_builder_add(kr_table_builder *b, const kr_event *ev)
{
    if (reserve_events(b) < 0)
        return KR_ENOMEM;
    uint32_t anon, user, name, account, channel, device, previous = 0;
    int rc;
    if ((rc = kr__dict_intern(&b->dicts[KR_DICT_ID], ev->anonymous_id, &anon)) < 0 ||
        (rc = kr__dict_intern(&b->dicts[KR_DICT_ID], ev->user_id, &user)) < 0 ||
        (rc = kr__dict_intern(&b->dicts[KR_DICT_NAME], ev->event, &name)) < 0 ||
        (rc = kr__dict_intern(&b->dicts[KR_DICT_ACCOUNT], ev->account_id, &account)) < 0 ||
        (rc = intern_capped(&b->dicts[KR_DICT_CHANNEL], ev->channel, &channel)) < 0 ||
        (rc = intern_capped(&b->dicts[KR_DICT_DEVICE], ev->device, &device)) < 0)
        return rc;
    if (ev->type == KR_TYPE_ALIAS && ev->previous_id.len) {
        if ((rc = kr__dict_intern(&b->dicts[KR_DICT_ID], ev->previous_id, &previous)) < 0)
            return rc;
        if (b->alias_count == b->alias_cap) {
            size_t cap = b->alias_cap ? b->alias_cap * 2 : 64;
            if (grow((void **)&b->aliases, cap, sizeof *b->aliases) < 0)
                return KR_ENOMEM;
            b->alias_cap = cap;
        }
        b->aliases[b->alias_count++] = (alias_link){previous, user ? user : anon};
    }
    uint32_t aux = 0;
    if (ev->has_value || ev->has_score) {
        if (b->aux_count == b->aux_cap) {
            size_t cap = b->aux_cap ? b->aux_cap * 2 : 1024;
            if (grow((void **)&b->value_cents, cap, sizeof *b->value_cents) < 0 ||
                grow((void **)&b->score, cap, sizeof *b->score) < 0)
                return KR_ENOMEM;
            b->aux_cap = cap;
        }
        if (b->aux_count >= UINT32_MAX - 1)
            return KR_ETOOBIG;
        b->value_cents[b->aux_count] = ev->has_value ? ev->value_cents : 0;
        b->score[b->aux_count] = ev->has_score ? (float)ev->score : 0.0f;
        aux = (uint32_t)++b->aux_count;
    }
    size_t i = b->count;
    for (uint32_t k = 0; k < b->prop_count; k++)
        b->prop_codes[k][i] = 0;
    for (size_t k = 0; b->prop_count && k < ev->prop_count; k++) {
        uint32_t key, value;
        if (kr__dict_find(&b->prop_keys, ev->props[k].key, &key) < 0)
            continue;
        if ((rc = kr__dict_intern(&b->prop_values[key - 1], ev->props[k].value, &value)) < 0)
            return rc;
        b->prop_codes[key - 1][i] = value;
    }
    b->count++;
    b->time_ms[i] = ev->time_ms;
    b->anon[i] = anon;
    b->user[i] = user;
    b->name[i] = name;
    b->account[i] = account;
    b->channel[i] = (uint16_t)channel;
    b->device[i] = (uint8_t)device;
    b->flags[i] = (uint8_t)((unsigned)ev->type | ((unsigned)ev->score_scale << 3) |
                            (ev->has_value ? KR_FLAG_HAS_VALUE : 0u) |
                            (ev->has_score ? KR_FLAG_HAS_SCORE : 0u));
    b->aux[i] = aux;
    return KR_OK;
}

/* --- identity stitching: union-find over id codes ------------------------------------------ */

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving */
        x = parent[x];
    }
    return x;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    if (!a || !b)
        return;
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    /* The smaller code becomes the root: deterministic whatever the order of unions. */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* Is id code a (first seen at ta) a better person name than b (at tb)? Earlier, then smaller. */
static bool better_name(const kr__dict *ids, uint32_t a, int64_t ta, uint32_t b, int64_t tb)
{
    if (!b)
        return true;
    if (ta != tb)
        return ta < tb;
    kr_str sa = kr__dict_get(ids, a), sb = kr__dict_get(ids, b);
    size_t n = sa.len < sb.len ? sa.len : sb.len;
    int c = n ? memcmp(sa.ptr, sb.ptr, n) : 0;
    return c < 0 || (c == 0 && sa.len < sb.len);
}

static const kr__dict *sort_ids_dict; /* qsort has no payload; finish() is not reentrant */

static int cmp_person_names(const void *pa, const void *pb)
{
    kr_str a = kr__dict_get(sort_ids_dict, *(const uint32_t *)pa);
    kr_str b = kr__dict_get(sort_ids_dict, *(const uint32_t *)pb);
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c;
    return (a.len > b.len) - (a.len < b.len);
}

/* One event while the table is sorted: the columns that move together, packed so that the
   sort by person is one scattered write per event instead of one scattered read per column. */
typedef struct event_row {
    int64_t time_ms;
    uint32_t name;
    uint32_t account;
    uint32_t aux;
    uint16_t channel;
    uint8_t device;
    uint8_t flags;
} event_row;

/* Stable sort of rows[0..n) by time (and src alongside, when not NULL): insertion sort for
   the short runs most persons have, merge sort through tmp (n rows, n srcs) for long ones. */
static void sort_rows_by_time(event_row *rows, uint32_t *src, size_t n, event_row *tmp,
                              uint32_t *tmp_src)
{
    if (n <= 32) {
        for (size_t k = 1; k < n; k++) {
            event_row r = rows[k];
            uint32_t s = src ? src[k] : 0;
            size_t j = k;
            for (; j > 0 && rows[j - 1].time_ms > r.time_ms; j--) {
                rows[j] = rows[j - 1];
                if (src)
                    src[j] = src[j - 1];
            }
            rows[j] = r;
            if (src)
                src[j] = s;
        }
        return;
    }
    size_t half = n / 2;
    sort_rows_by_time(rows, src, half, tmp, tmp_src);
    sort_rows_by_time(rows + half, src ? src + half : NULL, n - half, tmp, tmp_src);
    size_t a = 0, b = half, o = 0;
    while (a < half && b < n) {
        size_t from = rows[b].time_ms < rows[a].time_ms ? b++ : a++; /* ties: left first */
        tmp[o] = rows[from];
        if (src)
            tmp_src[o] = src[from];
        o++;
    }
    for (; a < half; a++, o++) {
        tmp[o] = rows[a];
        if (src)
            tmp_src[o] = src[a];
    }
    for (; b < n; b++, o++) {
        tmp[o] = rows[b];
        if (src)
            tmp_src[o] = src[b];
    }
    memcpy(rows, tmp, n * sizeof *rows);
    if (src)
        memcpy(src, tmp_src, n * sizeof *src);
}

int kr_table_builder_finish(kr_table_builder *b, kr_table **out)
{
    *out = NULL;
    int rc;
    kr_table *t = calloc(1, sizeof *t);
    uint32_t *parent = NULL, *best_user = NULL, *best_anon = NULL, *roots = NULL;
    int64_t *first_user = NULL, *first_anon = NULL;
    event_row *rows = NULL, *tmp_rows = NULL;
    uint32_t *src = NULL, *tmp_src = NULL;
    size_t tmp_cap = 0;
    if (!t)
        goto nomem;
    const kr__dict *ids = &b->dicts[KR_DICT_ID];
    uint32_t id_count = ids->count;
    size_t n = b->count;

    parent = malloc((size_t)id_count * sizeof *parent);
    first_user = malloc((size_t)id_count * sizeof *first_user);
    first_anon = malloc((size_t)id_count * sizeof *first_anon);
    best_user = calloc(id_count, sizeof *best_user);
    best_anon = calloc(id_count, sizeof *best_anon);
    t->id_person = malloc((size_t)id_count * sizeof *t->id_person);
    if (!parent || !first_user || !first_anon || !best_user || !best_anon || !t->id_person)
        goto nomem;
    for (uint32_t c = 0; c < id_count; c++) {
        parent[c] = c;
        first_user[c] = INT64_MAX;
        first_anon[c] = INT64_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        uf_union(parent, b->anon[i], b->user[i]);
        if (b->user[i] && b->time_ms[i] < first_user[b->user[i]])
            first_user[b->user[i]] = b->time_ms[i];
        if (b->anon[i] && b->time_ms[i] < first_anon[b->anon[i]])
            first_anon[b->anon[i]] = b->time_ms[i];
    }
    for (size_t i = 0; i < b->alias_count; i++)
        uf_union(parent, b->aliases[i].previous, b->aliases[i].user);

    /* Name each component: its earliest user id, else its earliest anonymous id. */
    for (uint32_t c = 1; c < id_count; c++) {
        uint32_t r = uf_find(parent, c);
        if (first_user[c] != INT64_MAX) {
            uint32_t cur = best_user[r];
            if (better_name(ids, c, first_user[c], cur, cur ? first_user[cur] : 0))
                best_user[r] = c;
        } else if (first_anon[c] != INT64_MAX) {
            uint32_t cur = best_anon[r];
            if (better_name(ids, c, first_anon[c], cur, cur ? first_anon[cur] : 0))
                best_anon[r] = c;
        }
    }
    /* Persons in the order of their names, so that output never depends on input order. */
    uint32_t person_count = 0;
    roots = malloc((size_t)id_count * sizeof *roots);
    if (!roots)
        goto nomem;
    for (uint32_t c = 1; c < id_count; c++) {
        if (uf_find(parent, c) == c) {
            uint32_t name = best_user[c] ? best_user[c] : best_anon[c];
            if (name) /* a lone previous_id of an alias without user: not a person */
                roots[person_count++] = name;
        }
    }
    sort_ids_dict = ids;
    qsort(roots, person_count, sizeof *roots, cmp_person_names);
    t->person_count = person_count;
    t->person_id = malloc(((size_t)person_count + 1) * sizeof *t->person_id);
    t->person_account = calloc((size_t)person_count + 1, sizeof *t->person_account);
    t->person_start = calloc((size_t)person_count + 1, sizeof *t->person_start);
    t->person_known = calloc((size_t)person_count + 1, sizeof *t->person_known);
    if (!t->person_id || !t->person_account || !t->person_start || !t->person_known)
        goto nomem;
    /* best_anon is reused as root -> person index + 1. */
    memset(best_anon, 0, (size_t)id_count * sizeof *best_anon);
    for (uint32_t p = 0; p < person_count; p++) {
        t->person_id[p] = roots[p];
        t->person_known[p] = first_user[roots[p]] != INT64_MAX;
        best_anon[uf_find(parent, roots[p])] = p + 1;
    }
    t->id_person[0] = UINT32_MAX;
    for (uint32_t c = 1; c < id_count; c++) {
        uint32_t p1 = best_anon[uf_find(parent, c)];
        t->id_person[c] = p1 ? p1 - 1 : UINT32_MAX;
    }

    /* Sort by (person, time), ties in input order. A counting sort by person scatters each
       event once as a packed row (input order kept within a person); each person's run is
       then sorted by time, which exports that are ordered by time already skip; then the rows
       go back into the builder's columns, which are faulted in already. Kept properties
       follow through src, the input position of each row. */
    if (n >= UINT32_MAX) { /* src holds input positions in 32 bits */
        rc = KR_ETOOBIG;
        goto fail;
    }
    rows = malloc((n ? n : 1) * sizeof *rows);
    if (!rows)
        goto nomem;
    kr__advise_huge(rows, n * sizeof *rows);
    if (b->prop_count && !(src = malloc((n ? n : 1) * sizeof *src)))
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        /* Every event has an id (readers reject those without), so p is always found. */
        uint32_t p = t->id_person[b->user[i] ? b->user[i] : b->anon[i]];
        t->person_start[(p == UINT32_MAX ? 0 : p) + 1]++;
    }
    for (uint32_t p = 0; p < person_count; p++)
        t->person_start[p + 1] += t->person_start[p];
    {
        size_t *next = malloc(((size_t)person_count + 1) * sizeof *next);
        if (!next)
            goto nomem;
        memcpy(next, t->person_start, ((size_t)person_count + 1) * sizeof *next);
        for (size_t i = 0; i < n; i++) {
            uint32_t p = t->id_person[b->user[i] ? b->user[i] : b->anon[i]];
            size_t to = next[p == UINT32_MAX ? 0 : p]++;
            rows[to] = (event_row){b->time_ms[i], b->name[i],   b->account[i], b->aux[i],
                                   b->channel[i], b->device[i], b->flags[i]};
            if (src)
                src[to] = (uint32_t)i;
        }
        free(next);
    }
    for (uint32_t p = 0; p < person_count; p++) {
        size_t lo = t->person_start[p], hi = t->person_start[p + 1];
        bool sorted = true;
        for (size_t k = lo + 1; k < hi && sorted; k++)
            sorted = rows[k - 1].time_ms <= rows[k].time_ms;
        if (sorted)
            continue;
        if (hi - lo > tmp_cap) {
            event_row *nt = realloc(tmp_rows, (hi - lo) * sizeof *tmp_rows);
            if (!nt)
                goto nomem;
            tmp_rows = nt;
            uint32_t *ns = realloc(tmp_src, (hi - lo) * sizeof *tmp_src);
            if (!ns)
                goto nomem;
            tmp_src = ns;
            tmp_cap = hi - lo;
        }
        sort_rows_by_time(rows + lo, src ? src + lo : NULL, hi - lo, tmp_rows, tmp_src);
    }
    /* The anonymous-id column becomes the person column; the account goes to the person (the
       latest event that names one). */
    t->person = b->anon;
    b->anon = NULL;
    for (uint32_t p = 0; p < person_count; p++) {
        for (size_t k = t->person_start[p]; k < t->person_start[p + 1]; k++) {
            const event_row *r = &rows[k];
            t->person[k] = p;
            b->time_ms[k] = r->time_ms;
            b->name[k] = r->name;
            b->aux[k] = r->aux;
            b->channel[k] = r->channel;
            b->device[k] = r->device;
            b->flags[k] = r->flags;
            if (r->account)
                t->person_account[p] = r->account;
        }
    }
    free(rows);
    rows = NULL;
    for (uint32_t k = 0; k < b->prop_count; k++) {
        uint32_t *codes = malloc((n ? n : 1) * sizeof *codes);
        if (!codes)
            goto nomem;
        for (size_t i = 0; i < n; i++)
            codes[i] = b->prop_codes[k][src[i]];
        free(b->prop_codes[k]);
        b->prop_codes[k] = codes;
    }
    if (b->prop_count) {
        t->prop_values = calloc(b->prop_count, sizeof *t->prop_values);
        t->prop_codes = calloc(b->prop_count, sizeof *t->prop_codes);
        if (!t->prop_values || !t->prop_codes)
            goto nomem;
    }

    /* Each person's ids, grouped (codes ascending within a person). */
    t->person_ids_start = calloc((size_t)person_count + 1, sizeof *t->person_ids_start);
    t->person_ids = malloc((id_count ? id_count : 1) * sizeof *t->person_ids);
    if (!t->person_ids_start || !t->person_ids)
        goto nomem;
    for (uint32_t c = 1; c < id_count; c++)
        if (t->id_person[c] != UINT32_MAX)
            t->person_ids_start[t->id_person[c] + 1]++;
    for (uint32_t p = 0; p < person_count; p++)
        t->person_ids_start[p + 1] += t->person_ids_start[p];
    memset(best_user, 0, (size_t)id_count * sizeof *best_user); /* reused as fill counts */
    for (uint32_t c = 1; c < id_count; c++) {
        uint32_t p = t->id_person[c];
        if (p != UINT32_MAX)
            t->person_ids[t->person_ids_start[p] + best_user[p]++] = c;
    }

    /* Hand the columns and dictionaries over to the table. */
    t->count = n;
    t->time_ms = b->time_ms;
    t->name = b->name;
    t->channel = b->channel;
    t->device = b->device;
    t->flags = b->flags;
    t->aux = b->aux;
    t->value_cents = b->value_cents;
    t->score = b->score;
    t->aux_count = b->aux_count;
    b->time_ms = NULL;
    b->name = NULL;
    b->channel = NULL;
    b->device = NULL;
    b->flags = NULL;
    b->aux = NULL;
    b->value_cents = NULL;
    b->score = NULL;
    memcpy(t->dicts, b->dicts, sizeof t->dicts);
    memset(b->dicts, 0, sizeof b->dicts);
    t->prop_keys = b->prop_keys;
    memset(&b->prop_keys, 0, sizeof b->prop_keys);
    for (uint32_t k = 0; k < b->prop_count; k++) {
        t->prop_values[k] = b->prop_values[k];
        t->prop_codes[k] = b->prop_codes[k];
        b->prop_codes[k] = NULL;
    }
    t->prop_count = b->prop_count;
    b->prop_count = 0;
    *out = t;
    kr_table_builder_free(b);
    free(parent);
    free(first_user);
    free(first_anon);
    free(best_user);
    free(best_anon);
    free(roots);
    free(rows);
    free(src);
    free(tmp_rows);
    free(tmp_src);
    return KR_OK;

nomem:
    rc = KR_ENOMEM;
fail:
    kr_table_builder_free(b);
    kr_table_free(t);
    free(parent);
    free(first_user);
    free(first_anon);
    free(best_user);
    free(best_anon);
    free(roots);
    free(rows);
    free(src);
    free(tmp_rows);
    free(tmp_src);
    return rc;
}
