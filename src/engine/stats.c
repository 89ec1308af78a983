/*
 * stats.c - the table overview (see stats.h): one pass over the columns, counts per
 * dictionary code, no hashing.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/table_internal.h"
#include "klantreis/stats.h"

static int cmp_count(const void *pa, const void *pb)
{
    const kr_count *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
    int c = n ? memcmp(a->key.ptr, b->key.ptr, n) : 0;
    return c ? c : (a->key.len > b->key.len) - (a->key.len < b->key.len);
}

/* Turns per-code counts into a sorted list of the codes that occur. */
static int make_list(kr_count_list *out, const uint64_t *counts, uint32_t n, const kr_table *t,
                     kr_dict_kind kind)
{
    size_t used = 0;
    for (uint32_t c = 0; c < n; c++)
        used += counts[c] > 0;
    out->items = calloc(used ? used : 1, sizeof *out->items);
    if (!out->items)
        return KR_ENOMEM;
    out->count = 0;
    for (uint32_t c = 0; c < n; c++) {
        if (!counts[c])
            continue;
        kr_str key = kind == KR_DICT_COUNT ? kr_str_from_cstr(kr_event_type_name((kr_event_type)c))
                                           : kr_table_dict_get(t, kind, c);
        out->items[out->count++] = (kr_count){key, counts[c]};
    }
    qsort(out->items, out->count, sizeof *out->items, cmp_count);
    return KR_OK;
}

int kr_stats_compute(kr_stats *st, const kr_table *t)
{
    memset(st, 0, sizeof *st);
    uint32_t n_names = kr_table_dict_count(t, KR_DICT_NAME);
    uint32_t n_channels = kr_table_dict_count(t, KR_DICT_CHANNEL);
    uint32_t n_devices = kr_table_dict_count(t, KR_DICT_DEVICE);
    uint64_t *names = calloc(n_names, sizeof *names);
    uint64_t *channels = calloc(n_channels, sizeof *channels);
    uint64_t *devices = calloc(n_devices, sizeof *devices);
    uint64_t types[KR_TYPE_COUNT] = {0};
    int rc = KR_ENOMEM;
    if (!names || !channels || !devices)
        goto done;

    st->events = t->count;
    st->persons = t->person_count;
    st->accounts = kr_table_dict_count(t, KR_DICT_ACCOUNT) - 1;
    st->first_ms = t->count ? INT64_MAX : 0;
    st->last_ms = t->count ? INT64_MIN : 0;
    for (size_t i = 0; i < t->count; i++) {
        names[t->name[i]]++;
        channels[t->channel[i]]++;
        devices[t->device[i]]++;
        types[KR_FLAG_TYPE(t->flags[i])]++;
        if (t->time_ms[i] < st->first_ms)
            st->first_ms = t->time_ms[i];
        if (t->time_ms[i] > st->last_ms)
            st->last_ms = t->time_ms[i];
        if (t->flags[i] & KR_FLAG_HAS_VALUE) {
            st->value_events++;
            st->revenue_cents += t->value_cents[t->aux[i] - 1];
        }
        if (t->flags[i] & KR_FLAG_HAS_SCORE)
            st->score_events++;
    }

    /* Distinct devices per person: a 256-bit set per person (device codes are 8-bit). */
    uint64_t device_sum = 0, with_device = 0;
    for (uint32_t p = 0; p < t->person_count; p++) {
        uint64_t seen[4] = {0, 0, 0, 0};
        unsigned distinct = 0;
        for (size_t i = t->person_start[p]; i < t->person_start[p + 1]; i++) {
            unsigned d = t->device[i];
            if (d && !(seen[d >> 6] & (UINT64_C(1) << (d & 63)))) {
                seen[d >> 6] |= UINT64_C(1) << (d & 63);
                distinct++;
            }
        }
        if (distinct) {
            with_device++;
            device_sum += distinct;
        }
        if (distinct > 1)
            st->multi_device_persons++;
        if (t->person_account[p])
            st->persons_with_account++;
        st->identified_persons += t->person_known[p];
    }
    st->devices_per_person = with_device ? (double)device_sum / (double)with_device : 0.0;
    if ((rc = make_list(&st->by_name, names, n_names, t, KR_DICT_NAME)) < 0 ||
        (rc = make_list(&st->by_channel, channels, n_channels, t, KR_DICT_CHANNEL)) < 0 ||
        (rc = make_list(&st->by_device, devices, n_devices, t, KR_DICT_DEVICE)) < 0 ||
        (rc = make_list(&st->by_type, types, KR_TYPE_COUNT, t, KR_DICT_COUNT)) < 0)
        goto done;
    rc = KR_OK;
done:
    free(names);
    free(channels);
    free(devices);
    return rc;
}

void kr_stats_finish(kr_stats *st)
{
    free(st->by_name.items);
    free(st->by_channel.items);
    free(st->by_device.items);
    free(st->by_type.items);
    memset(st, 0, sizeof *st);
}
