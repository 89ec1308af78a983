/*
 * import.c - a file into the store: each good event gets its key (see import.h) and is
 * inserted with INSERT OR IGNORE in batches of batch_size per transaction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "klantreis/import.h"

/*
 * Occurrences of each record hash in this file: open addressing over (hash, count). Holds one
 * slot per distinct record, 16 bytes each at load <= 1/2.
 */
typedef struct seen_slot {
    uint64_t hash; /* 0 = empty (a real hash of 0 is stored as 1) */
    uint64_t count;
} seen_slot;

typedef struct seen_set {
    seen_slot *slots;
    size_t mask;
    size_t used;
} seen_set;

static int seen_grow(seen_set *s)
{
    size_t n = s->slots ? (s->mask + 1) * 2 : 1024;
    seen_slot *slots = calloc(n, sizeof *slots);
    if (!slots)
        return KR_ENOMEM;
    for (size_t i = 0; s->slots && i <= s->mask; i++) {
        if (!s->slots[i].hash)
            continue;
        size_t j = (size_t)s->slots[i].hash & (n - 1);
        while (slots[j].hash)
            j = (j + 1) & (n - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->mask = n - 1;
    return KR_OK;
}

/* How many records with this hash came before; counts this one. */
static int seen_count(seen_set *s, uint64_t h, uint64_t *before)
{
    if (!h)
        h = 1;
    if ((!s->slots || (s->used + 1) * 2 > s->mask + 1) && seen_grow(s) < 0)
        return KR_ENOMEM;
    size_t i = (size_t)h & s->mask;
    while (s->slots[i].hash && s->slots[i].hash != h)
        i = (i + 1) & s->mask;
    if (!s->slots[i].hash) {
        s->slots[i].hash = h;
        s->used++;
    }
    *before = s->slots[i].count++;
    return KR_OK;
}

typedef struct import_ctx {
    kr_store *store;
    const kr_import_options *o;
    kr_import_stats *stats;
    seen_set seen;
    size_t in_batch;       /* events in the open transaction */
    size_t batch_imported; /* of which new */
    bool stopped_for_errors;
    size_t stop_line;
} import_ctx;

static int on_event(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    (void)line;
    import_ctx *ctx = payload;
    char keybuf[64];
    const kr_pseudo_key *pk = ctx->o->pseudonymise;
    kr_event pseudo;
    char names[4][KR_PSEUDONYM_SIZE];
    if (pk) {
        pseudo = *ev;
        kr_str *ids[4] = {&pseudo.anonymous_id, &pseudo.user_id, &pseudo.previous_id,
                          &pseudo.account_id};
        for (int i = 0; i < 4; i++) {
            if (ids[i]->len == 0)
                continue;
            kr_pseudonymise(names[i], pk, *ids[i]);
            *ids[i] = (kr_str){names[i], KR_PSEUDONYM_LEN};
        }
        ev = &pseudo;
    }
    kr_str key = ev->event_id;
    if (key.len == 0) {
        uint64_t h = pk ? kr_pseudo_hash64(pk, raw.ptr, raw.len) : kr__hash64(raw.ptr, raw.len, 0);
        uint64_t before;
        if (seen_count(&ctx->seen, h, &before) < 0)
            return KR_ENOMEM;
        int n = before ? snprintf(keybuf, sizeof keybuf, "h:%016" PRIx64 ".%" PRIu64, h, before)
                       : snprintf(keybuf, sizeof keybuf, "h:%016" PRIx64, h);
        key = (kr_str){keybuf, (size_t)n};
    }
    if (ctx->in_batch == 0) {
        int rc = kr_store_begin(ctx->store);
        if (rc < 0)
            return rc;
    }
    int added = kr_store_insert(ctx->store, ev, key);
    if (added < 0)
        return added;
    ctx->stats->read++;
    if (added) {
        ctx->stats->imported++;
        ctx->batch_imported++;
    } else {
        ctx->stats->duplicates++;
    }
    if (++ctx->in_batch >= ctx->o->batch_size) {
        int rc = kr_store_commit(ctx->store);
        if (rc < 0)
            return rc;
        ctx->in_batch = 0;
        ctx->batch_imported = 0;
        if (ctx->o->on_commit)
            ctx->o->on_commit(ctx->stats->imported, ctx->o->payload);
    }
    return KR_OK;
}

static void on_reject(const kr_reject *rej, void *payload)
{
    import_ctx *ctx = payload;
    if (ctx->stopped_for_errors)
        return;
    ctx->stats->read++;
    ctx->stats->rejected++;
    if (ctx->o->on_reject)
        ctx->o->on_reject(rej, ctx->o->payload);
    if (ctx->stats->rejected > ctx->o->max_errors) {
        ctx->stopped_for_errors = true;
        ctx->stop_line = rej->line;
    }
}

static void on_progress(uint64_t done, uint64_t total, void *payload)
{
    import_ctx *ctx = payload;
    if (ctx->o->on_progress)
        ctx->o->on_progress(done, total, ctx->o->payload);
}

/* Wraps on_event so that passing max_errors stops the reader at the next good record. */
static int on_event_checked(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    import_ctx *ctx = payload;
    if (ctx->stopped_for_errors)
        return KR_ESTOP;
    return on_event(ev, raw, line, payload);
}

int kr_import_file(kr_store *store, const char *path, const kr_import_options *o,
                   kr_import_stats *stats, char *errbuf, size_t errlen)
{
    static const kr_import_options defaults = KR_IMPORT_OPTIONS_INIT;
    kr_import_options opts = o ? *o : defaults;
    if (opts.batch_size == 0)
        opts.batch_size = defaults.batch_size;
    memset(stats, 0, sizeof *stats);
    if (errlen)
        errbuf[0] = '\0';
    import_ctx ctx = {store, &opts, stats, {NULL, 0, 0}, 0, 0, false, 0};
    kr_reader *r = NULL;
    int rc = kr_reader_open(&r, path, &opts.read);
    if (rc < 0) {
        snprintf(errbuf, errlen, "%s", kr_reader_errmsg(r));
        goto done;
    }
    kr_read_handler h = {on_event_checked, on_reject, on_progress, &ctx};
    rc = kr_reader_run(r, &h);
    if (rc == KR_ESTOP || (rc == KR_OK && ctx.stopped_for_errors)) {
        rc = KR_ETOOBIG;
        snprintf(errbuf, errlen, "%s: stopped at line %zu: more than %" PRIu64 " rejected records",
                 opts.read.name ? opts.read.name : path, ctx.stop_line, opts.max_errors);
    } else if (rc == KR_EDB) {
        snprintf(errbuf, errlen, "%s", kr_store_errmsg(store));
    } else if (rc < 0) {
        snprintf(errbuf, errlen, "%s", kr_reader_errmsg(r));
    }
    /* What was read before a stop is good and stays: commit the open batch, unless the store
       itself failed. */
    if (ctx.in_batch) {
        if (rc == KR_EDB) {
            kr_store_rollback(store);
            /* Those events were counted but are not stored. */
            stats->imported -= ctx.batch_imported;
        } else if (kr_store_commit(store) < 0) {
            rc = KR_EDB;
            snprintf(errbuf, errlen, "%s", kr_store_errmsg(store));
        } else if (opts.on_commit) {
            opts.on_commit(stats->imported, opts.payload);
        }
    }
    if (rc != KR_EDB)
        kr_store_log_import(store, opts.read.name ? opts.read.name : path, stats->read,
                            stats->imported, stats->duplicates, stats->rejected);
done:
    kr_reader_free(r);
    free(ctx.seen.slots);
    return rc;
}
