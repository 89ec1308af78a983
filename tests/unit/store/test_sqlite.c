/*
 * test_sqlite.c - the SQLite store: schema version, idempotent inserts by key, transactions,
 * scanning back exactly what went in, refusing a store from a newer version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "klantreis/store.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kr-store-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/test.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static kr_event purchase(int64_t t, const char *user, int64_t cents)
{
    kr_event ev = KR_EVENT_INIT;
    ev.time_ms = t;
    ev.user_id = kr_str_from_cstr(user);
    ev.event = kr_str_from_cstr("purchase");
    ev.channel = kr_str_from_cstr("email");
    ev.has_value = true;
    ev.value_cents = cents;
    return ev;
}

static void insert_is_idempotent_by_key(void **state)
{
    (void)state;
    kr_store *s;
    assert_int_equal(kr_store_open(&s, path, NULL), KR_OK);
    kr_event ev = purchase(1000, "u1", 1250);
    assert_int_equal(kr_store_begin(s), KR_OK);
    assert_int_equal(kr_store_insert(s, &ev, kr_str_from_cstr("k1")), 1);
    assert_int_equal(kr_store_insert(s, &ev, kr_str_from_cstr("k1")), 0);
    assert_int_equal(kr_store_insert(s, &ev, kr_str_from_cstr("k2")), 1);
    assert_int_equal(kr_store_commit(s), KR_OK);
    uint64_t n;
    assert_int_equal(kr_store_count(s, &n), KR_OK);
    assert_int_equal(n, 2);
    kr_store_free(s);

    /* Reopened: still there, still deduplicated. */
    assert_int_equal(kr_store_open(&s, path, NULL), KR_OK);
    assert_int_equal(kr_store_insert(s, &ev, kr_str_from_cstr("k2")), 0);
    assert_int_equal(kr_store_count(s, &n), KR_OK);
    assert_int_equal(n, 2);
    kr_store_free(s);
}

static void rollback_loses_only_the_open_batch(void **state)
{
    (void)state;
    kr_store *s;
    assert_int_equal(kr_store_open(&s, path, NULL), KR_OK);
    kr_event ev = purchase(1000, "u2", 100);
    assert_int_equal(kr_store_begin(s), KR_OK);
    assert_int_equal(kr_store_insert(s, &ev, kr_str_from_cstr("r1")), 1);
    assert_int_equal(kr_store_rollback(s), KR_OK);
    /* An open transaction at close is rolled back too. */
    assert_int_equal(kr_store_begin(s), KR_OK);
    assert_int_equal(kr_store_insert(s, &ev, kr_str_from_cstr("r2")), 1);
    kr_store_free(s);
    assert_int_equal(kr_store_open(&s, path, NULL), KR_OK);
    uint64_t n;
    assert_int_equal(kr_store_count(s, &n), KR_OK);
    assert_int_equal(n, 2); /* k1 and k2 from the previous test only */
    kr_store_free(s);
}

static int collect(const kr_event *ev, void *payload)
{
    kr_event *out = payload;
    if (kr_str_eq_cstr(ev->user_id, "u3")) {
        *out = *ev;
        out->user_id = KR_STR_NULL; /* views die after the callback */
        out->event = KR_STR_NULL;
        out->channel = KR_STR_NULL;
        out->device = KR_STR_NULL;
        out->anonymous_id = KR_STR_NULL;
        out->account_id = KR_STR_NULL;
        out->previous_id = KR_STR_NULL;
        out->event_id = KR_STR_NULL;
    }
    return KR_OK;
}

static void scan_returns_what_was_stored(void **state)
{
    (void)state;
    kr_store *s;
    assert_int_equal(kr_store_open(&s, path, NULL), KR_OK);
    kr_event ev = KR_EVENT_INIT;
    ev.time_ms = 1700000000123;
    ev.type = KR_TYPE_TRACK;
    ev.user_id = kr_str_from_cstr("u3");
    ev.event = kr_str_from_cstr("survey");
    ev.has_score = true;
    ev.score = 8;
    ev.score_scale = KR_SCALE_NPS;
    kr_property props[] = {{kr_str_from_cstr("touchpoint"), kr_str_from_cstr("na \"levering\"")}};
    ev.props = props;
    ev.prop_count = 1;
    assert_int_equal(kr_store_insert(s, &ev, kr_str_from_cstr("s1")), 1);
    kr_event got = KR_EVENT_INIT;
    assert_int_equal(kr_store_scan(s, collect, &got), KR_OK);
    assert_int_equal(got.time_ms, 1700000000123);
    assert_true(got.has_score);
    assert_true(got.score == 8.0);
    assert_int_equal(got.score_scale, KR_SCALE_NPS);
    assert_false(got.has_value);
    kr_store_free(s);

    /* Properties are stored as JSON, escaped. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT properties, score_scale FROM events "
                                        "WHERE event_key = 's1'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "{\"touchpoint\":\"na \\\"levering\\\"\"}");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "nps");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void schema_is_versioned(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), KR_STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    kr_store *s;
    assert_int_equal(kr_store_open(&s, path, NULL), KR_EINVAL);
    assert_non_null(strstr(kr_store_errmsg(s), "newer"));
    kr_store_free(s);
}

/* A store written by schema v1 (the key alone unique) is migrated on open: its events stay,
   with their order, and a re-insert of one of them is still a duplicate. */
static void v1_store_is_migrated(void **state)
{
    (void)state;
    char p1[160];
    snprintf(p1, sizeof p1, "%s/v1.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p1, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE events (seq INTEGER PRIMARY KEY, event_key TEXT NOT NULL "
                     "UNIQUE, ts INTEGER NOT NULL, type INTEGER NOT NULL, anonymous_id TEXT, "
                     "user_id TEXT, previous_id TEXT, account_id TEXT, event TEXT NOT NULL, "
                     "channel TEXT, device TEXT, value_cents INTEGER, score REAL, "
                     "score_scale TEXT, properties TEXT);"
                     "CREATE INDEX events_ts ON events(ts);"
                     "CREATE TABLE imports (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, "
                     "source TEXT NOT NULL, read INTEGER NOT NULL, imported INTEGER NOT NULL, "
                     "duplicates INTEGER NOT NULL, rejected INTEGER NOT NULL);"
                     "INSERT INTO events(event_key, ts, type, user_id, event, value_cents) "
                     "VALUES ('k2', 2000, 0, 'u1', 'purchase', 1250), "
                     "('k1', 1000, 0, 'u1', 'view', NULL);"
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    kr_store *s;
    assert_int_equal(kr_store_open(&s, p1, NULL), KR_OK);
    uint64_t n = 0;
    assert_int_equal(kr_store_count(s, &n), KR_OK);
    assert_int_equal(n, 2);
    kr_event again = purchase(2000, "u1", 1250);
    assert_int_equal(kr_store_begin(s), KR_OK);
    assert_int_equal(kr_store_insert(s, &again, kr_str_from_cstr("k2")), 0);
    assert_int_equal(kr_store_insert(s, &again, kr_str_from_cstr("k3")), 1);
    assert_int_equal(kr_store_commit(s), KR_OK);
    kr_store_free(s);

    assert_int_equal(sqlite3_open(p1, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(event_key, ',') FROM "
                                        "(SELECT event_key FROM events ORDER BY seq)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "k2,k1,k3");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), KR_STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void unknown_scheme_is_refused(void **state)
{
    (void)state;
    kr_store *s;
    assert_int_equal(kr_store_open(&s, "mongodb://x/y", NULL), KR_EINVAL);
    assert_non_null(strstr(kr_store_errmsg(s), "unsupported store"));
    kr_store_free(s);
}

static void load_table_stitches_stored_events(void **state)
{
    (void)state;
    char p2[160];
    snprintf(p2, sizeof p2, "%s/t.db", dir);
    kr_store *s;
    assert_int_equal(kr_store_open(&s, p2, NULL), KR_OK);
    kr_event a = KR_EVENT_INIT, b = KR_EVENT_INIT;
    a.time_ms = 1;
    a.anonymous_id = kr_str_from_cstr("phone");
    a.event = kr_str_from_cstr("view");
    b.time_ms = 2;
    b.anonymous_id = kr_str_from_cstr("phone");
    b.user_id = kr_str_from_cstr("klant-7");
    b.event = kr_str_from_cstr("login");
    assert_int_equal(kr_store_insert(s, &b, kr_str_from_cstr("b")), 1);
    assert_int_equal(kr_store_insert(s, &a, kr_str_from_cstr("a")), 1);
    kr_table *t;
    assert_int_equal(kr_store_load_table(s, &t), KR_OK);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.person_count, 1);
    assert_int_equal(c.time_ms[0], 1);
    assert_true(kr_str_eq_cstr(kr_table_dict_get(t, KR_DICT_ID, c.person_id[0]), "klant-7"));
    kr_table_free(t);
    kr_store_free(s);
}

static kr_event ids_event(int64_t t, const char *anon, const char *user, const char *prev,
                          kr_event_type type)
{
    kr_event ev = KR_EVENT_INIT;
    ev.time_ms = t;
    ev.type = type;
    ev.anonymous_id = kr_str_from_cstr(anon);
    ev.user_id = kr_str_from_cstr(user);
    ev.previous_id = kr_str_from_cstr(prev);
    ev.event = kr_str_from_cstr("e");
    return ev;
}

static uint64_t count_where(const char *p, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    uint64_t n = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Appends each event's time (1..9) as a decimal digit: the order is checked too. */
static int collect_times(const kr_event *ev, kr_str properties, void *payload)
{
    int64_t *digits = payload;
    assert_int_equal(properties.len, 0);
    assert_true(ev->event_id.len > 0);
    *digits = *digits * 10 + ev->time_ms;
    return KR_OK;
}

static void forget_deletes_a_persons_events_and_logs_only_counts(void **state)
{
    (void)state;
    char p3[160];
    snprintf(p3, sizeof p3, "%s/f.db", dir);
    kr_store *s;
    assert_int_equal(kr_store_open(&s, p3, NULL), KR_OK);
    kr_event evs[] = {
        ids_event(1, "phone", "", "", KR_TYPE_TRACK),
        ids_event(2, "phone", "anna", "", KR_TYPE_IDENTIFY),
        ids_event(3, "", "anna", "old-anna", KR_TYPE_ALIAS),
        ids_event(4, "laptop", "bob", "", KR_TYPE_TRACK),
        /* a previous_id outside an alias: stitching does not follow it, bob's event stays */
        ids_event(5, "laptop", "", "phone", KR_TYPE_TRACK),
    };
    assert_int_equal(kr_store_begin(s), KR_OK);
    for (size_t i = 0; i < sizeof evs / sizeof *evs; i++) {
        char key[8];
        snprintf(key, sizeof key, "k%zu", i);
        assert_int_equal(kr_store_insert(s, &evs[i], kr_str_from_cstr(key)), 1);
    }
    assert_int_equal(kr_store_commit(s), KR_OK);
    kr_str ids[] = {kr_str_from_cstr("phone"), kr_str_from_cstr("anna"),
                    kr_str_from_cstr("old-anna")};
    /* access: the person's events and bob's event that names phone as its previous id */
    int64_t seen = 0;
    assert_int_equal(kr_store_scan_ids(s, ids, 3, collect_times, &seen), KR_OK);
    assert_int_equal(seen, 1235);
    uint64_t deleted = 99, n = 0;
    assert_int_equal(kr_store_forget(s, ids, 0, &deleted), KR_EINVAL);
    assert_int_equal(kr_store_forget(s, ids, 3, &deleted), KR_OK);
    assert_int_equal(deleted, 3);
    assert_int_equal(kr_store_count(s, &n), KR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(kr_store_erasure_count(s, &n), KR_OK);
    assert_int_equal(n, 1);
    /* again: nothing left to delete, and that is no error */
    assert_int_equal(kr_store_forget(s, ids, 3, &deleted), KR_OK);
    assert_int_equal(deleted, 0);
    kr_store_free(s);
    assert_int_equal(count_where(p3, "SELECT count(*) FROM events WHERE anonymous_id = 'phone' "
                                     "OR user_id IN ('anna') OR previous_id IS NOT NULL"),
                     0);
    assert_int_equal(count_where(p3, "SELECT count(*) FROM events WHERE user_id = 'bob' OR "
                                     "anonymous_id = 'laptop'"),
                     2);
    assert_int_equal(count_where(p3, "SELECT sum(events) FROM erasures"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(insert_is_idempotent_by_key),
        cmocka_unit_test(rollback_loses_only_the_open_batch),
        cmocka_unit_test(scan_returns_what_was_stored),
        cmocka_unit_test(unknown_scheme_is_refused),
        cmocka_unit_test(load_table_stitches_stored_events),
        cmocka_unit_test(schema_is_versioned),
        cmocka_unit_test(v1_store_is_migrated),
        cmocka_unit_test(forget_deletes_a_persons_events_and_logs_only_counts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
