/*
 * table.c - loading a file into a table, the table's accessors, and freeing it.
 * (The builder, which stitches and sorts, is table_builder.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/table_internal.h"

void kr_table_free(kr_table *t)
{
    if (!t)
        return;
    for (int i = 0; i < KR_DICT_COUNT; i++)
        kr__dict_finish(&t->dicts[i]);
    free(t->time_ms);
    free(t->person);
    free(t->name);
    free(t->channel);
    free(t->device);
    free(t->flags);
    free(t->aux);
    free(t->value_cents);
    free(t->score);
    free(t->person_start);
    free(t->person_id);
    free(t->person_account);
    free(t->person_known);
    free(t->id_person);
    free(t->person_ids_start);
    free(t->person_ids);
    kr__dict_finish(&t->prop_keys);
    for (uint32_t k = 0; k < t->prop_count; k++) {
        kr__dict_finish(&t->prop_values[k]);
        free(t->prop_codes[k]);
    }
    free(t->prop_values);
    free(t->prop_codes);
    free(t);
}

const char *kr_table_errmsg(const kr_table *t)
{
    return t ? t->errmsg : "out of memory";
}

void kr_table_get_columns(const kr_table *t, kr_table_columns *c)
{
    c->count = t->count;
    c->time_ms = t->time_ms;
    c->person = t->person;
    c->name = t->name;
    c->channel = t->channel;
    c->device = t->device;
    c->flags = t->flags;
    c->aux = t->aux;
    c->value_cents = t->value_cents;
    c->score = t->score;
    c->person_count = t->person_count;
    c->person_start = t->person_start;
    c->person_id = t->person_id;
    c->person_account = t->person_account;
    c->person_known = t->person_known;
}

kr_str kr_table_dict_get(const kr_table *t, kr_dict_kind kind, uint32_t code)
{
    if ((unsigned)kind >= KR_DICT_COUNT || code >= t->dicts[kind].count)
        return (kr_str){"", 0};
    return kr__dict_get(&t->dicts[kind], code);
}

uint32_t kr_table_dict_count(const kr_table *t, kr_dict_kind kind)
{
    return (unsigned)kind < KR_DICT_COUNT ? t->dicts[kind].count : 0;
}

int kr_table_dict_find(const kr_table *t, kr_dict_kind kind, kr_str s, uint32_t *out)
{
    if ((unsigned)kind >= KR_DICT_COUNT)
        return KR_EINVAL;
    return kr__dict_find(&t->dicts[kind], s, out);
}

int kr_table_find_person(const kr_table *t, kr_str id, uint32_t *out)
{
    uint32_t code;
    if (id.len == 0 || kr__dict_find(&t->dicts[KR_DICT_ID], id, &code) < 0 ||
        t->id_person[code] == UINT32_MAX)
        return KR_ENOTFOUND;
    *out = t->id_person[code];
    return KR_OK;
}

size_t kr_table_person_ids(const kr_table *t, uint32_t p, const uint32_t **ids)
{
    if (p >= t->person_count) {
        *ids = NULL;
        return 0;
    }
    *ids = t->person_ids + t->person_ids_start[p];
    return t->person_ids_start[p + 1] - t->person_ids_start[p];
}

int kr_table_property_column(const kr_table *t, kr_str key, const uint32_t **codes, uint32_t *prop)
{
    uint32_t code;
    *codes = NULL;
    if (!t->prop_count || kr__dict_find(&t->prop_keys, key, &code) < 0 || code == 0)
        return KR_ENOTFOUND;
    *codes = t->prop_codes[code - 1];
    *prop = code - 1;
    return KR_OK;
}

uint32_t kr_table_property_value_count(const kr_table *t, uint32_t prop)
{
    return prop < t->prop_count ? t->prop_values[prop].count : 0;
}

kr_str kr_table_property_value(const kr_table *t, uint32_t prop, uint32_t code)
{
    if (prop >= t->prop_count || code >= t->prop_values[prop].count)
        return (kr_str){"", 0};
    return kr__dict_get(&t->prop_values[prop], code);
}

size_t kr_table_event_bytes(const kr_table *t)
{
    size_t per_event = sizeof *t->time_ms + sizeof *t->person + sizeof *t->name +
                       sizeof *t->channel + sizeof *t->device + sizeof *t->flags + sizeof *t->aux +
                       t->prop_count * sizeof(uint32_t);
    return t->count * per_event + t->aux_count * (sizeof *t->value_cents + sizeof *t->score);
}

/* --- loading a file ----------------------------------------------------------------------- */

typedef struct load_ctx {
    kr_table_builder *builder;
    void (*on_reject)(const kr_reject *rej, void *payload);
    void *payload;
    kr_load_stats stats;
} load_ctx;

static int load_event(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    (void)raw;
    (void)line;
    load_ctx *ctx = payload;
    ctx->stats.read++;
    return kr_table_builder_add(ctx->builder, ev);
}

static void load_reject(const kr_reject *rej, void *payload)
{
    load_ctx *ctx = payload;
    ctx->stats.rejected++;
    if (ctx->on_reject)
        ctx->on_reject(rej, ctx->payload);
}

int kr_table_load_file(kr_table **out, const char *path, const kr_read_options *o,
                       void (*on_reject)(const kr_reject *rej, void *payload), void *payload,
                       kr_load_stats *stats)
{
    return kr_table_load_file_props(out, path, o, NULL, 0, on_reject, payload, stats);
}

int kr_table_load_file_props(kr_table **out, const char *path, const kr_read_options *o,
                             const kr_str *keys, size_t key_count,
                             void (*on_reject)(const kr_reject *rej, void *payload), void *payload,
                             kr_load_stats *stats)
{
    kr_reader *r = NULL;
    load_ctx ctx = {NULL, on_reject, payload, {0, 0}};
    char msg[sizeof((kr_table *)0)->errmsg] = "";
    *out = NULL;
    int rc = kr_table_builder_new(&ctx.builder);
    if (rc < 0)
        goto done;
    for (size_t k = 0; k < key_count; k++) {
        if ((rc = kr_table_builder_keep_property(ctx.builder, keys[k])) < 0) {
            snprintf(msg, sizeof msg, "property '%.*s': %s", (int)keys[k].len, keys[k].ptr,
                     kr_strerror(rc));
            goto done;
        }
    }
    rc = kr_reader_open(&r, path, o);
    struct stat st;
    if (rc == KR_OK && stat(path, &st) == 0 && S_ISREG(st.st_mode))
        /* CSV and JSONL rows take at least ~32 bytes, so this is room for every event of
           all but the tersest files; only what is used gets touched. A refusal is harmless. */
        (void)kr_table_builder_reserve(ctx.builder, (size_t)st.st_size / 32 + 1024);
    if (rc == KR_OK) {
        kr_read_handler h = {load_event, load_reject, NULL, &ctx};
        rc = kr_reader_run(r, &h);
    }
    if (rc < 0) {
        if (rc == KR_ENOMEM || rc == KR_ETOOBIG)
            snprintf(msg, sizeof msg, "%s: %s while loading", path, kr_strerror(rc));
        else
            snprintf(msg, sizeof msg, "%s", kr_reader_errmsg(r));
        goto done;
    }
    rc = kr_table_builder_finish(ctx.builder, out);
    ctx.builder = NULL;
done:
    kr_table_builder_free(ctx.builder);
    kr_reader_free(r);
    if (stats)
        *stats = ctx.stats;
    if (rc < 0) {
        /* An empty table carries the message, as the header promises. */
        kr_table_builder *empty = NULL;
        if (!*out && kr_table_builder_new(&empty) == KR_OK)
            kr_table_builder_finish(empty, out);
        if (*out)
            snprintf((*out)->errmsg, sizeof(*out)->errmsg, "%s", msg);
    }
    return rc;
}
