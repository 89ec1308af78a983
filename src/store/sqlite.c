/*
 * sqlite.c - the embedded store on SQLite: one file, WAL journal, prepared statements only,
 * schema versioned by PRAGMA user_version with an ordered list of migrations.
 *
 * Durability: an event is acknowledged (counted as imported, or answered 200 by the server)
 * only after the COMMIT of its transaction returned; synchronous=FULL makes that commit
 * survive power loss in WAL mode, not just a crash of the process.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/store.h"

struct kr_store {
    sqlite3 *db;
    sqlite3_stmt *insert;
    bool in_transaction;
    char errmsg[512];
};

/*
 * Migrations, in order: migrations[v] takes a store from version v to v + 1. Never edit a
 * released entry; add a new one.
 */
static const char *const migrations[] = {
    "CREATE TABLE events ("
    "  seq INTEGER PRIMARY KEY,"        /* insertion order */
    "  event_key TEXT NOT NULL UNIQUE," /* messageId, event_id, or a content hash */
    "  ts INTEGER NOT NULL,"            /* UTC ms */
    "  type INTEGER NOT NULL,"          /* kr_event_type */
    "  anonymous_id TEXT, user_id TEXT, previous_id TEXT, account_id TEXT,"
    "  event TEXT NOT NULL, channel TEXT, device TEXT,"
    "  value_cents INTEGER, score REAL, score_scale TEXT,"
    "  properties TEXT" /* JSON object, NULL when none */
    ");"
    "CREATE INDEX events_ts ON events(ts);"
    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, source TEXT NOT NULL,"
    "  read INTEGER NOT NULL, imported INTEGER NOT NULL, duplicates INTEGER NOT NULL,"
    "  rejected INTEGER NOT NULL);",
    /* v2: an event's identity is (ts, event_key), in one unique index that also serves time
       ranges. The v1 unique index on the key alone sent inserts to random pages (keys are
       hashes): once it outgrew the page cache, a 10M-event import ran 4x slower per event than
       a 1M one (bench/RESULTS.md). Exports arrive roughly in time order, so (ts, key) inserts
       land near the index's right edge. */
    "CREATE TABLE events_v2 ("
    "  seq INTEGER PRIMARY KEY,"
    "  event_key TEXT NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  type INTEGER NOT NULL,"
    "  anonymous_id TEXT, user_id TEXT, previous_id TEXT, account_id TEXT,"
    "  event TEXT NOT NULL, channel TEXT, device TEXT,"
    "  value_cents INTEGER, score REAL, score_scale TEXT,"
    "  properties TEXT"
    ");"
    "INSERT INTO events_v2 SELECT seq, event_key, ts, type, anonymous_id, user_id, previous_id,"
    "  account_id, event, channel, device, value_cents, score, score_scale, properties"
    "  FROM events ORDER BY seq;"
    "DROP TABLE events;"
    "ALTER TABLE events_v2 RENAME TO events;"
    "CREATE UNIQUE INDEX events_ts_key ON events(ts, event_key);",
    /* v3: the erasure log (kr_store_forget). It says that and when a person was erased and
       how much, never who: the ids are exactly what must not remain. */
    "CREATE TABLE erasures ("
    "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL," /* UTC ms */
    "  ids INTEGER NOT NULL, events INTEGER NOT NULL,"
    "  completed INTEGER NOT NULL DEFAULT 0);", /* 1 once VACUUM and the checkpoint ran */
};
#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof *migrations))
_Static_assert(MIGRATION_COUNT == KR_STORE_SCHEMA_VERSION, "one migration per schema version");

static int store_error(kr_store *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int store_error(kr_store *s, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

static int db_error(kr_store *s, const char *what)
{
    return store_error(s, KR_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(kr_store *s, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        store_error(s, KR_EDB, "%s", err ? err : sqlite3_errmsg(s->db));
        sqlite3_free(err);
        return KR_EDB;
    }
    return KR_OK;
}

static int schema_version(kr_store *s, int *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, "reading the schema version");
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? KR_OK : db_error(s, "reading the schema version");
}

static int migrate(kr_store *s, bool read_only)
{
    int version;
    int rc = schema_version(s, &version);
    if (rc < 0)
        return rc;
    if (version > KR_STORE_SCHEMA_VERSION)
        return store_error(s, KR_EINVAL,
                           "store schema version %d is newer than this klantreis (%d): upgrade",
                           version, KR_STORE_SCHEMA_VERSION);
    if (version == KR_STORE_SCHEMA_VERSION)
        return KR_OK;
    if (read_only)
        return store_error(s, KR_EINVAL, "store schema version %d needs a migration to %d", version,
                           KR_STORE_SCHEMA_VERSION);
    if ((rc = exec(s, "BEGIN IMMEDIATE")) < 0)
        return rc;
    for (int v = version; v < MIGRATION_COUNT; v++) {
        if ((rc = exec(s, migrations[v])) < 0)
            goto fail;
    }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", KR_STORE_SCHEMA_VERSION);
    if ((rc = exec(s, pragma)) < 0 || (rc = exec(s, "COMMIT")) < 0)
        goto fail;
    return KR_OK;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int kr_store_open(kr_store **out, const char *uri, const kr_store_options *o)
{
    kr_store *s = calloc(1, sizeof *s);
    *out = s;
    if (!s)
        return KR_ENOMEM;
    bool read_only = o && o->read_only;
    const char *path = uri;
    if (strncmp(uri, "sqlite:", 7) == 0)
        path = uri + 7;
    else if (strstr(uri, "://"))
        return store_error(s, KR_EINVAL, "%s: unsupported store (use a file path or sqlite:PATH)",
                           uri);
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int code = s->db ? KR_EIO : KR_ENOMEM;
        store_error(s, code, "%s: cannot open store: %s", path,
                    s->db ? sqlite3_errmsg(s->db) : "out of memory");
        return code;
    }
    sqlite3_busy_timeout(s->db, 5000);
    int rc;
    /* 64 MB of page cache: event keys are hashes, so inserts touch the key index at random
       and a small cache turns each one into I/O (bench/import.sh: 35k -> see RESULTS.md). */
    if ((rc = exec(s, "PRAGMA cache_size=-65536")) < 0 ||
        (!read_only && ((rc = exec(s, "PRAGMA journal_mode=WAL")) < 0 ||
                        (rc = exec(s, "PRAGMA synchronous=FULL")) < 0)) ||
        (rc = migrate(s, read_only)) < 0) {
        char why[sizeof s->errmsg];
        memcpy(why, s->errmsg, sizeof why); /* the message is rewritten from itself */
        return store_error(s, rc, "%s: %.400s", path, why);
    }
    return KR_OK;
}

void kr_store_free(kr_store *s)
{
    if (!s)
        return;
    if (s->in_transaction)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(s->insert);
    sqlite3_close(s->db);
    free(s);
}

const char *kr_store_errmsg(const kr_store *s)
{
    return s ? s->errmsg : "out of memory";
}

int kr_store_begin(kr_store *s)
{
    int rc = exec(s, "BEGIN IMMEDIATE");
    if (rc == KR_OK)
        s->in_transaction = true;
    return rc;
}

int kr_store_commit(kr_store *s)
{
    int rc = exec(s, "COMMIT");
    if (rc == KR_OK)
        s->in_transaction = false;
    return rc;
}

int kr_store_rollback(kr_store *s)
{
    s->in_transaction = false;
    return exec(s, "ROLLBACK");
}

static int bind_text(sqlite3_stmt *st, int col, kr_str v)
{
    if (v.len == 0)
        return sqlite3_bind_null(st, col);
    return sqlite3_bind_text(st, col, v.ptr, (int)v.len, SQLITE_STATIC);
}

/* Properties as a JSON object; NULL (no allocation) when there are none. */
static char *properties_json(const kr_event *ev)
{
    if (ev->prop_count == 0)
        return NULL;
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    for (size_t i = 0; i < ev->prop_count; i++) {
        /* Checked variants: a value or key that is not UTF-8 is left out, not stored as
           invalid JSON. */
        json_t *v = json_stringn(ev->props[i].value.ptr, ev->props[i].value.len);
        /* Keys need not be NUL-terminated in the reader's buffer: copy them. */
        char key[256];
        size_t klen = ev->props[i].key.len < sizeof key - 1 ? ev->props[i].key.len : sizeof key - 1;
        memcpy(key, ev->props[i].key.ptr, klen);
        key[klen] = '\0';
        if (v)
            json_object_set_new(obj, key, v);
    }
    char *text = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(obj);
    return text;
}

int kr_store_insert(kr_store *s, const kr_event *ev, kr_str key)
{
    if (key.len == 0 || key.len > 1024)
        return store_error(s, KR_EINVAL, "event key must be 1..1024 bytes");
    if (!s->insert &&
        sqlite3_prepare_v3(s->db,
                           "INSERT OR IGNORE INTO events(event_key, ts, type, anonymous_id, "
                           "user_id, previous_id, account_id, event, channel, device, "
                           "value_cents, score, score_scale, properties) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->insert, NULL) != SQLITE_OK)
        return db_error(s, "preparing insert");
    sqlite3_stmt *st = s->insert;
    char *props = properties_json(ev);
    if (ev->prop_count && !props)
        return store_error(s, KR_ENOMEM, "out of memory encoding properties");
    bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, ev->time_ms);
    sqlite3_bind_int(st, 3, (int)ev->type);
    bind_text(st, 4, ev->anonymous_id);
    bind_text(st, 5, ev->user_id);
    bind_text(st, 6, ev->previous_id);
    bind_text(st, 7, ev->account_id);
    sqlite3_bind_text(st, 8, ev->event.ptr ? ev->event.ptr : "", (int)ev->event.len, SQLITE_STATIC);
    bind_text(st, 9, ev->channel);
    bind_text(st, 10, ev->device);
    if (ev->has_value)
        sqlite3_bind_int64(st, 11, ev->value_cents);
    else
        sqlite3_bind_null(st, 11);
    if (ev->has_score) {
        sqlite3_bind_double(st, 12, ev->score);
        sqlite3_bind_text(st, 13, kr_score_scale_name(ev->score_scale), -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, 12);
        sqlite3_bind_null(st, 13);
    }
    if (props)
        sqlite3_bind_text(st, 14, props, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 14);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    free(props);
    if (rc != SQLITE_DONE)
        return db_error(s, "inserting an event");
    return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int kr_store_count(kr_store *s, uint64_t *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM events", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, "counting events");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? KR_OK : db_error(s, "counting events");
}

static kr_str column_str(sqlite3_stmt *st, int col)
{
    const char *p = (const char *)sqlite3_column_text(st, col);
    return (kr_str){p ? p : "", p ? (size_t)sqlite3_column_bytes(st, col) : 0};
}

/* The columns of EVENT_COLUMNS, in that order, into ev (views valid until the next step). */
#define EVENT_COLUMNS                                                                              \
    "ts, type, anonymous_id, user_id, previous_id, account_id, event, channel, device, "           \
    "value_cents, score, score_scale, event_key, properties"

static void row_event(sqlite3_stmt *st, kr_event *out)
{
    kr_event ev = KR_EVENT_INIT;
    ev.time_ms = sqlite3_column_int64(st, 0);
    int type = sqlite3_column_int(st, 1);
    ev.type = type >= 0 && type < KR_TYPE_COUNT ? (kr_event_type)type : KR_TYPE_TRACK;
    ev.anonymous_id = column_str(st, 2);
    ev.user_id = column_str(st, 3);
    ev.previous_id = column_str(st, 4);
    ev.account_id = column_str(st, 5);
    ev.event = column_str(st, 6);
    ev.channel = column_str(st, 7);
    ev.device = column_str(st, 8);
    if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
        ev.has_value = true;
        ev.value_cents = sqlite3_column_int64(st, 9);
    }
    if (sqlite3_column_type(st, 10) != SQLITE_NULL) {
        ev.has_score = true;
        ev.score = sqlite3_column_double(st, 10);
        kr_score_scale_parse(&ev.score_scale, column_str(st, 11));
    }
    ev.event_id = column_str(st, 12);
    *out = ev;
}

/* Scans the events; with key_count > 0 the properties named by keys are parsed out of each
   event's JSON object (values that are not strings are skipped: the store writes strings). */
static int scan_events(kr_store *s, const kr_str *keys, size_t key_count,
                       int (*cb)(const kr_event *ev, void *payload), void *payload)
{
    sqlite3_stmt *st = NULL;
    int rc = KR_OK;
    kr_property props[KR_TABLE_MAX_PROPERTY_KEYS];
    if (key_count > KR_TABLE_MAX_PROPERTY_KEYS)
        key_count = KR_TABLE_MAX_PROPERTY_KEYS;
    if (sqlite3_prepare_v2(s->db, "SELECT " EVENT_COLUMNS " FROM events ORDER BY seq", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(s, "reading events");
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        kr_event ev;
        row_event(st, &ev);
        json_t *obj = NULL;
        if (key_count && sqlite3_column_type(st, 13) != SQLITE_NULL) {
            kr_str text = column_str(st, 13);
            obj = json_loadb(text.ptr, text.len, 0, NULL);
            for (size_t k = 0; json_is_object(obj) && k < key_count; k++) {
                json_t *v = json_object_getn(obj, keys[k].ptr, keys[k].len);
                if (json_is_string(v))
                    props[ev.prop_count++] =
                        (kr_property){keys[k], {json_string_value(v), json_string_length(v)}};
            }
            ev.props = props;
        }
        rc = cb(&ev, payload);
        json_decref(obj);
        if (rc < 0)
            break;
    }
    if (rc == KR_OK && step != SQLITE_DONE)
        rc = db_error(s, "reading events");
    sqlite3_finalize(st);
    return rc;
}

int kr_store_scan(kr_store *s, int (*cb)(const kr_event *ev, void *payload), void *payload)
{
    return scan_events(s, NULL, 0, cb, payload);
}

static int add_to_builder(const kr_event *ev, void *payload)
{
    return kr_table_builder_add(payload, ev);
}

int kr_store_load_table(kr_store *s, kr_table **out)
{
    return kr_store_load_table_props(s, NULL, 0, out);
}

int kr_store_load_table_props(kr_store *s, const kr_str *keys, size_t key_count, kr_table **out)
{
    kr_table_builder *b;
    *out = NULL;
    int rc = kr_table_builder_new(&b);
    if (rc < 0)
        return store_error(s, rc, "out of memory");
    for (size_t k = 0; k < key_count; k++) {
        if ((rc = kr_table_builder_keep_property(b, keys[k])) < 0) {
            kr_table_builder_free(b);
            return store_error(s, rc, "property '%.*s': %s", (int)keys[k].len, keys[k].ptr,
                               kr_strerror(rc));
        }
    }
    rc = scan_events(s, keys, key_count, add_to_builder, b);
    if (rc < 0) {
        kr_table_builder_free(b);
        if (rc != KR_EDB)
            store_error(s, rc, "loading events: %s", kr_strerror(rc));
        return rc;
    }
    rc = kr_table_builder_finish(b, out);
    return rc < 0 ? store_error(s, rc, "out of memory building the table") : KR_OK;
}

int kr_store_log_import(kr_store *s, const char *source, uint64_t read, uint64_t imported,
                        uint64_t duplicates, uint64_t rejected)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO imports(at, source, read, imported, duplicates, rejected) "
                           "VALUES (CAST(strftime('%s','now') AS INTEGER) * 1000, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(s, "logging the import");
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)read);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)imported);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)duplicates);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)rejected);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? KR_OK : db_error(s, "logging the import");
}

/* Runs one prepared statement once per id (bound as ?1); adds the changed rows to *changes. */
static int run_per_id(kr_store *s, const char *sql, const kr_str *ids, size_t count,
                      uint64_t *changes)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(s, "preparing the erasure");
    int rc = KR_OK;
    for (size_t i = 0; i < count && rc == KR_OK; i++) {
        sqlite3_bind_text(st, 1, ids[i].ptr, (int)ids[i].len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(s, "erasing events");
        else if (changes)
            *changes += (uint64_t)sqlite3_changes(s->db);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

_Static_assert(KR_TYPE_ALIAS == 4, "the erasure's SQL names alias events by number");

int kr_store_forget(kr_store *s, const kr_str *ids, size_t count, uint64_t *deleted)
{
    uint64_t n = 0;
    if (deleted)
        *deleted = 0;
    if (count == 0)
        return store_error(s, KR_EINVAL, "no ids to forget");
    for (size_t i = 0; i < count; i++)
        if (ids[i].len == 0 || ids[i].len > INT32_MAX)
            return store_error(s, KR_EINVAL, "an id to forget is empty or too long");
    int rc;
    /* Freed pages are zeroed as they are freed, in the WAL too; VACUUM below then rebuilds
       the file without them. */
    if ((rc = exec(s, "PRAGMA secure_delete=ON")) < 0 || (rc = kr_store_begin(s)) < 0)
        return rc;
    sqlite3_stmt *st = NULL;
    if ((rc = run_per_id(s,
                         "DELETE FROM events WHERE anonymous_id = ?1 OR user_id = ?1 "
                         "OR (type = 4 AND previous_id = ?1)",
                         ids, count, &n)) < 0 ||
        (rc = run_per_id(s, "UPDATE events SET previous_id = NULL WHERE previous_id = ?1", ids,
                         count, NULL)) < 0)
        goto fail;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO erasures(at, ids, events) "
                           "VALUES (CAST(strftime('%s','now') AS INTEGER) * 1000, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(s, "logging the erasure");
        goto fail;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)count);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
    rc = sqlite3_step(st) == SQLITE_DONE ? KR_OK : db_error(s, "logging the erasure");
    sqlite3_finalize(st);
    if (rc < 0 || (rc = kr_store_commit(s)) < 0)
        goto fail;
    if (deleted)
        *deleted = n;
    exec(s, "PRAGMA secure_delete=OFF");
    /* The deleted rows are committed; now their bytes must leave the files. */
    return kr_store_finish_erasures(s, NULL);
fail:
    kr_store_rollback(s);
    exec(s, "PRAGMA secure_delete=OFF");
    return rc;
}

int kr_store_finish_erasures(kr_store *s, bool *ran)
{
    if (ran)
        *ran = false;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM erasures WHERE completed = 0", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(s, "reading the erasure log");
    int step = sqlite3_step(st);
    int64_t pending = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (step != SQLITE_ROW)
        return db_error(s, "reading the erasure log");
    if (pending == 0)
        return KR_OK;
    /* VACUUM rewrites the database (through the WAL) without the freed pages; the erasures
       are marked complete; the checkpoint copies everything into the main file and truncates
       the WAL to zero bytes. A crash anywhere here leaves completed = 0, and the next call
       (every forget makes one) does it again. A reader holding an old snapshot makes the
       checkpoint report busy. */
    if (exec(s, "VACUUM") < 0)
        return store_error(s, KR_EDB, "events erased, but VACUUM failed (run forget again): %.300s",
                           sqlite3_errmsg(s->db));
    if (exec(s, "UPDATE erasures SET completed = 1 WHERE completed = 0") < 0)
        return KR_EDB;
    int log_frames = 0, done_frames = 0;
    if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                  &done_frames) != SQLITE_OK)
        return store_error(s, KR_EDB,
                           "events erased, but the WAL checkpoint failed (close other readers "
                           "and run forget again): %.300s",
                           sqlite3_errmsg(s->db));
    if (ran)
        *ran = true;
    return KR_OK;
}

int kr_store_erasure_count(kr_store *s, uint64_t *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM erasures", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, "counting erasures");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? KR_OK : db_error(s, "counting erasures");
}

int kr_store_scan_ids(kr_store *s, const kr_str *ids, size_t count,
                      int (*cb)(const kr_event *ev, kr_str properties, void *payload),
                      void *payload)
{
    /* The ids travel as one JSON array parameter, read back by json_each: one prepared
       statement whatever their number. */
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < count; i++) {
        json_t *v = json_stringn(ids[i].ptr, ids[i].len);
        if (!v) {
            json_decref(arr);
            return store_error(s, KR_EINVAL, "an id is not valid UTF-8");
        }
        json_array_append_new(arr, v);
    }
    char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
    json_decref(arr);
    if (!text)
        return store_error(s, KR_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = KR_OK, step;
    if (sqlite3_prepare_v2(s->db,
                           "WITH ids(id) AS (SELECT value FROM json_each(?1)) "
                           "SELECT " EVENT_COLUMNS " FROM events "
                           "WHERE anonymous_id IN ids OR user_id IN ids OR previous_id IN ids "
                           "ORDER BY ts, seq",
                           -1, &st, NULL) != SQLITE_OK) {
        free(text);
        return db_error(s, "reading a person's events");
    }
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        kr_event ev;
        row_event(st, &ev);
        if ((rc = cb(&ev, column_str(st, 13), payload)) < 0)
            break;
    }
    if (rc == KR_OK && step != SQLITE_DONE)
        rc = db_error(s, "reading a person's events");
    sqlite3_finalize(st);
    free(text);
    return rc;
}
