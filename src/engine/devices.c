/*
 * devices.c - cross-device journeys over the table (docs/devices.md states the definitions).
 *
 *     kr_devices_options o = KR_DEVICES_OPTIONS_INIT;
 *     if (kr_devices_run(&r, table, &o, err, sizeof err) == KR_OK) ...r.paths[0].label...
 *     kr_devices_result_finish(&r);
 *
 * One pass over each person's events: a stamp per device code (person + 1) tells whether the
 * device is new for the person, and new devices are appended to a path packed into a 64-bit
 * key (one byte per device, its rank by name + 1) and set in a 64-bit combination mask. The
 * per-person keys are then sorted and counted in runs. No allocation or hashing per event.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/devices.h"

#define NONE UINT32_MAX
#define MORE UINT64_C(0xFF) /* path byte after KR_DEVICES_MAX_PATH devices: there are more */

typedef struct pkey {
    uint64_t key;
    uint64_t converted;
} pkey;

static int cmp_str(kr_str x, kr_str y)
{
    size_t n = x.len < y.len ? x.len : y.len;
    int c = n ? memcmp(x.ptr, y.ptr, n) : 0;
    return c ? c : (x.len > y.len) - (x.len < y.len);
}

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = ((const pkey *)a)->key, y = ((const pkey *)b)->key;
    return (x > y) - (x < y);
}

static int cmp_group(const void *a, const void *b)
{
    const kr_devices_group *x = a, *y = b;
    if (x->persons != y->persons)
        return x->persons < y->persons ? 1 : -1;
    return strcmp(x->label, y->label);
}

static uint32_t dict_code(const kr_table *t, kr_dict_kind kind, const char *s)
{
    uint32_t code;
    if (!s || kr_table_dict_find(t, kind, kr_str_from_cstr(s), &code) < 0)
        return NONE;
    return code;
}

/* Appends s to buf (of cap bytes) at *len, truncating; buf stays NUL-terminated. */
static void append(char *buf, size_t cap, size_t *len, kr_str s)
{
    size_t n = s.len < cap - 1 - *len ? s.len : cap - 1 - *len;
    if (n)
        memcpy(buf + *len, s.ptr, n);
    *len += n;
    buf[*len] = '\0';
}

static char *combination_label(const kr_table *t, const uint32_t *by_rank, uint64_t mask)
{
    char buf[1024];
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned r = 0; r < 64; r++) {
        if (!(mask >> r & 1))
            continue;
        if (len)
            append(buf, sizeof buf, &len, kr_str_from_cstr("+"));
        append(buf, sizeof buf, &len, kr_table_dict_get(t, KR_DICT_DEVICE, by_rank[r]));
    }
    return strdup(buf);
}

static char *path_label(const kr_table *t, const uint32_t *by_rank, uint64_t path)
{
    char buf[1024];
    size_t len = 0;
    buf[0] = '\0';
    unsigned n = 0;
    for (unsigned k = 0; k < 8; k++) {
        uint64_t b = path >> (56 - 8 * k) & 0xFF;
        if (!b)
            break;
        if (n++)
            append(buf, sizeof buf, &len, kr_str_from_cstr(" \xe2\x86\x92 "));
        if (b == MORE)
            append(buf, sizeof buf, &len, kr_str_from_cstr("\xe2\x80\xa6"));
        else
            append(buf, sizeof buf, &len, kr_table_dict_get(t, KR_DICT_DEVICE, by_rank[b - 1]));
    }
    if (n == 1)
        append(buf, sizeof buf, &len, kr_str_from_cstr(" only"));
    return strdup(buf);
}

/* Groups keys[0..n) (sorted here) into *out, labelled by label(); returns KR_OK or KR_ENOMEM. */
static int group(kr_devices_group **out, size_t *count, pkey *keys, size_t n, const kr_table *t,
                 const uint32_t *by_rank,
                 char *(*label)(const kr_table *, const uint32_t *, uint64_t))
{
    qsort(keys, n, sizeof *keys, cmp_key);
    size_t runs = 0;
    for (size_t i = 0; i < n; i++)
        runs += !i || keys[i].key != keys[i - 1].key;
    *out = calloc(runs ? runs : 1, sizeof **out);
    if (!*out)
        return KR_ENOMEM;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!i || keys[i].key != keys[i - 1].key) {
            kr_devices_group *g = &(*out)[(*count)++];
            if (!(g->label = label(t, by_rank, keys[i].key)))
                return KR_ENOMEM;
        }
        kr_devices_group *g = &(*out)[*count - 1];
        g->persons++;
        g->converted += keys[i].converted;
    }
    for (size_t i = 0; i < *count; i++)
        (*out)[i].rate = (double)(*out)[i].converted / (double)(*out)[i].persons;
    qsort(*out, *count, sizeof **out, cmp_group);
    return KR_OK;
}

static void set_rate(kr_devices_group *g)
{
    g->rate = g->persons ? (double)g->converted / (double)g->persons : 0.0;
}

int kr_devices_run(kr_devices_result *out, const kr_table *t, const kr_devices_options *o,
                   char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->lift = NAN;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!o->conversion_event || !*o->conversion_event || !o->first_device || !o->convert_device) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "name the conversion event and the two devices");
        return KR_EINVAL;
    }
    uint32_t dcount = kr_table_dict_count(t, KR_DICT_DEVICE); /* code 0 (none) included */
    if (dcount > KR_DEVICES_MAX + 1) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%u device names: at most %u", dcount - 1, KR_DEVICES_MAX);
        return KR_ETOOBIG;
    }
    /* Ranks by name, so that combinations are spelled in one order whatever the input. */
    uint32_t by_rank[KR_DEVICES_MAX], rank[KR_DEVICES_MAX + 1] = {0};
    for (uint32_t d = 1; d < dcount; d++) { /* insertion sort: at most 64 names */
        uint32_t r = d - 1;
        kr_str name = kr_table_dict_get(t, KR_DICT_DEVICE, d);
        while (r > 0 && cmp_str(kr_table_dict_get(t, KR_DICT_DEVICE, by_rank[r - 1]), name) > 0) {
            by_rank[r] = by_rank[r - 1];
            r--;
        }
        by_rank[r] = d;
    }
    for (uint32_t r = 0; r + 1 < dcount; r++)
        rank[by_rank[r]] = r;

    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const uint32_t conv = dict_code(t, KR_DICT_NAME, o->conversion_event);
    const uint32_t first_dev = dict_code(t, KR_DICT_DEVICE, o->first_device);
    const uint32_t conv_dev = dict_code(t, KR_DICT_DEVICE, o->convert_device);
    const uint32_t np = c.person_count;
    pkey *combos = malloc((np ? np : 1) * sizeof *combos);
    pkey *paths = malloc((np ? np : 1) * sizeof *paths);
    uint32_t stamp[KR_DEVICES_MAX + 1] = {0};
    int rc = KR_ENOMEM;
    if (!combos || !paths)
        goto done;
    size_t n = 0;
    out->persons = np;
    for (uint32_t p = 0; p < np; p++) {
        uint64_t mask = 0, path = 0;
        unsigned len = 0;
        bool converted = false;
        uint32_t first = NONE, at_conversion = NONE;
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) {
            uint32_t d = c.device[i];
            if (d && stamp[d] != p + 1) {
                stamp[d] = p + 1;
                mask |= UINT64_C(1) << rank[d];
                if (first == NONE)
                    first = d;
                if (len < KR_DEVICES_MAX_PATH)
                    path |= (uint64_t)(rank[d] + 1) << (56 - 8 * len);
                else if (len == KR_DEVICES_MAX_PATH)
                    path |= MORE << (56 - 8 * len);
                len++;
            }
            if (!converted && c.name[i] == conv) {
                converted = true;
                at_conversion = d;
            }
        }
        if (!mask) {
            out->persons_without_device++;
            out->converted_without_device += converted;
            continue;
        }
        combos[n] = (pkey){mask, converted};
        paths[n] = (pkey){path, converted};
        n++;
        if (len == 1) {
            out->single.persons++;
            out->single.converted += converted;
        }
        if (first_dev != NONE && conv_dev != NONE && first == first_dev &&
            stamp[conv_dev] == p + 1) {
            out->cross.persons++;
            out->cross.converted += converted && at_conversion == conv_dev;
        }
    }
    set_rate(&out->single);
    set_rate(&out->cross);
    if (out->single.rate > 0 && out->cross.persons)
        out->lift = out->cross.rate / out->single.rate - 1;
    if ((rc = group(&out->combinations, &out->combination_count, combos, n, t, by_rank,
                    combination_label)) < 0 ||
        (rc = group(&out->paths, &out->path_count, paths, n, t, by_rank, path_label)) < 0)
        goto done;
    rc = KR_OK;
done:
    free(combos);
    free(paths);
    return rc;
}

void kr_devices_result_finish(kr_devices_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->combinations && i < r->combination_count; i++)
        free(r->combinations[i].label);
    for (size_t i = 0; r->paths && i < r->path_count; i++)
        free(r->paths[i].label);
    free(r->combinations);
    free(r->paths);
    r->combinations = r->paths = NULL;
    r->combination_count = r->path_count = 0;
}
