/*
 * klantreis/store.h - the durable event store. The embedded back end is SQLite (one file,
 * WAL journal, schema versioned with migrations); the URI selects the back end.
 *
 *     kr_store *s;
 *     if (kr_store_open(&s, "klantreis.db", NULL) < 0) { ...kr_store_errmsg(s)...; }
 *     kr_store_begin(s);
 *     int added = kr_store_insert(s, &ev, key);   // 1 new, 0 already there
 *     kr_store_commit(s);
 *     kr_store_free(s);
 */
#ifndef KLANTREIS_STORE_H
#define KLANTREIS_STORE_H

#include "event.h"
#include "table.h"

typedef struct kr_store kr_store;

typedef struct kr_store_options {
    bool read_only; /* open an existing store for reading only */
} kr_store_options;

#define KR_STORE_OPTIONS_INIT                                                                      \
    {                                                                                              \
        false                                                                                      \
    }

/** The schema version this build writes; older stores are migrated when opened for writing. */
#define KR_STORE_SCHEMA_VERSION 3

/**
 * Opens (creating when missing, unless read_only) the store at uri: a file path or
 * "sqlite:PATH". Returns KR_OK, KR_EDB, KR_EIO or KR_EINVAL (unknown scheme, a store written
 * by a newer klantreis). On failure *out still holds a handle whose errmsg says why (free it),
 * or NULL on KR_ENOMEM.
 */
KR_EXTERN int kr_store_open(kr_store **out, const char *uri, const kr_store_options *o);

/** Closes the store (rolling back an open transaction); NULL is fine. */
KR_EXTERN void kr_store_free(kr_store *s);

/** The last error message, "" when none; borrowed, valid until the next call on s. */
KR_EXTERN const char *kr_store_errmsg(const kr_store *s);

/** Starts a transaction: inserts until commit are durable together or not at all. */
KR_EXTERN int kr_store_begin(kr_store *s);

/** Commits; when it returns KR_OK the events are on disk. */
KR_EXTERN int kr_store_commit(kr_store *s);

/** Rolls back the open transaction. */
KR_EXTERN int kr_store_rollback(kr_store *s);

/**
 * Inserts one event under key (its unique id: messageId, event_id or a content hash). Returns
 * 1 when inserted, 0 when an event with that key is already stored, or KR_EDB / KR_ETOOBIG.
 */
KR_EXTERN int kr_store_insert(kr_store *s, const kr_event *ev, kr_str key);

/** Number of stored events. */
KR_EXTERN int kr_store_count(kr_store *s, uint64_t *out);

/**
 * Calls cb for every stored event in insertion order; properties are not passed (prop_count
 * 0). The event's views are valid during the call. A negative return from cb stops the scan
 * and is returned.
 */
KR_EXTERN int kr_store_scan(kr_store *s, int (*cb)(const kr_event *ev, void *payload),
                            void *payload);

/** Loads all events into a columnar table (see table.h). */
KR_EXTERN int kr_store_load_table(kr_store *s, kr_table **out);

/**
 * Like kr_store_load_table, and keeps the free properties named by keys (key_count of them;
 * at most KR_TABLE_MAX_PROPERTY_KEYS) as property columns of the table: each event's stored
 * JSON object is parsed for them (string values only). Returns KR_OK, KR_EINVAL or
 * KR_ETOOBIG for keys the table cannot keep, KR_EDB or KR_ENOMEM.
 */
KR_EXTERN int kr_store_load_table_props(kr_store *s, const kr_str *keys, size_t key_count,
                                        kr_table **out);

/** Records one import run (source name and counts) in the store's import log. */
KR_EXTERN int kr_store_log_import(kr_store *s, const char *source, uint64_t read, uint64_t imported,
                                  uint64_t duplicates, uint64_t rejected);

/**
 * Erasure (GDPR art. 17): deletes every event that carries one of ids (count of them, a
 * person's ids as identity stitching found them) as its anonymous_id or user_id, and every
 * alias that names one as its previous_id; a previous_id of another kind of event (which
 * stitching does not follow) is set to NULL instead. Then records the erasure in the store's
 * erasure log (time, id count and event count: never the ids), and runs VACUUM and a WAL
 * checkpoint (TRUNCATE) so that the deleted bytes leave the database and WAL files. With
 * secure_delete on during the delete, freed pages are overwritten with zeros too.
 *
 * *deleted (may be NULL) receives the number of events deleted. Must not be called inside a
 * transaction. Returns KR_OK; KR_EINVAL (no ids, an empty id); KR_EDB when the delete failed
 * (nothing was deleted) or when VACUUM / the checkpoint could not run (the events are deleted,
 * but bytes may remain until the next erasure or VACUUM: the message says so).
 */
KR_EXTERN int kr_store_forget(kr_store *s, const kr_str *ids, size_t count, uint64_t *deleted);

/**
 * Access (GDPR art. 15): calls cb for every stored event that carries one of ids (count of
 * them) as its anonymous_id, user_id or previous_id, ordered by time then insertion: the same
 * events kr_store_forget would erase. ev->event_id is the event's key; properties is the
 * stored JSON object of its free properties ("" when none). Views are valid during the call.
 * A negative return from cb stops the scan and is returned; else KR_OK, KR_EINVAL (an id not
 * UTF-8), KR_ENOMEM or KR_EDB.
 */
KR_EXTERN int kr_store_scan_ids(kr_store *s, const kr_str *ids, size_t count,
                                int (*cb)(const kr_event *ev, kr_str properties, void *payload),
                                void *payload);

/**
 * Finishes erasures that a crash or a busy reader interrupted after their delete committed:
 * runs VACUUM and the WAL checkpoint (TRUNCATE) when the erasure log has an erasure not yet
 * marked complete, then marks it. kr_store_forget calls it itself. *ran (may be NULL) says
 * whether there was anything to finish. Returns KR_OK or KR_EDB.
 */
KR_EXTERN int kr_store_finish_erasures(kr_store *s, bool *ran);

/** Number of erasures the store has logged (see kr_store_forget). */
KR_EXTERN int kr_store_erasure_count(kr_store *s, uint64_t *out);

#endif
