/*
 * test_demo.c - the demo generator: byte-identical output for the same options, a summary that
 * equals what this test recounts from the file on its own (rows, accounts, purchases, revenue,
 * buyers, and persons by a union-find over the ids written on one row), the canonical header,
 * well-formed fields, a funnel that looks like a webshop's, and clear errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "klantreis/demo.h"
#include "klantreis/stats.h"
#include "klantreis/table.h"

#define WORK KR_BUILD_DIR "/test_demo.work"
#define START_MS INT64_C(1735689600000) /* 2025-01-01T00:00:00Z */
#define DAY_MS INT64_C(86400000)

static const char canonical[] = "timestamp,anonymous_id,user_id,account_id,event,channel,device,"
                                "value,score,score_scale,type,previous_id";

enum {
    F_TIME,
    F_ANON,
    F_USER,
    F_ACCOUNT,
    F_EVENT,
    F_CHANNEL,
    F_DEVICE,
    F_VALUE,
    F_SCORE,
    F_SCALE,
    F_TYPE,
    F_PREVIOUS,
    F_CANONICAL
};
enum { MAX_FIELDS = 32 };

static kr_demo_summary write_demo(const char *dir, uint32_t persons, uint64_t seed)
{
    kr_demo_options o = KR_DEMO_OPTIONS_INIT;
    o.persons = persons;
    o.seed = seed;
    o.out_dir = dir;
    kr_demo_summary s;
    char err[512];
    int rc = kr_demo_write(&s, &o, err, sizeof err);
    if (rc != KR_OK)
        fail_msg("kr_demo_write: %s", err);
    return s;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* --- a small CSV reader: fields of one line as views (quotes are allowed, not expected) --- */

static size_t split(const char *line, size_t len, kr_str *fields, size_t max)
{
    size_t n = 0, i = 0;
    for (;;) {
        assert_true(n < max);
        const char *start = line + i;
        if (i < len && line[i] == '"') {
            start++;
            i++;
            while (i < len && !(line[i] == '"' && (i + 1 == len || line[i + 1] != '"')))
                i += line[i] == '"' ? 2 : 1;
            fields[n++] = (kr_str){start, (size_t)(line + i - start)};
            i++; /* the closing quote */
        } else {
            while (i < len && line[i] != ',')
                i++;
            fields[n++] = (kr_str){start, (size_t)(line + i - start)};
        }
        if (i >= len)
            return n;
        assert_int_equal(line[i], ',');
        i++;
    }
}

static bool is(kr_str s, const char *text)
{
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

/* "49.95" -> 4995; the demo writes money with a dot and two decimals. */
static int64_t cents_of(kr_str s)
{
    assert_true(s.len >= 4 && s.ptr[s.len - 3] == '.');
    int64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (i == s.len - 3)
            continue;
        assert_true(s.ptr[i] >= '0' && s.ptr[i] <= '9');
        v = v * 10 + (s.ptr[i] - '0');
    }
    return v;
}

static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            fail_msg("not a digit in a timestamp: '%.20s'", p);
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* "2025-01-03T10:15:00Z" -> ms since the epoch; anything else fails the test. */
static int64_t time_of(kr_str s)
{
    if (s.len != 20 || s.ptr[4] != '-' || s.ptr[7] != '-' || s.ptr[10] != 'T' || s.ptr[13] != ':' ||
        s.ptr[16] != ':' || s.ptr[19] != 'Z')
        fail_msg("bad timestamp '%.*s'", (int)s.len, s.ptr);
    int y = digits(s.ptr, 4), m = digits(s.ptr + 5, 2), d = digits(s.ptr + 8, 2);
    int hh = digits(s.ptr + 11, 2), mm = digits(s.ptr + 14, 2), ss = digits(s.ptr + 17, 2);
    assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31 && hh < 24 && mm < 60 && ss < 60);
    /* Days from civil (proleptic Gregorian). */
    y -= m <= 2;
    int64_t era = y / 400, yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return ((days * 24 + hh) * 60 + mm) * 60000 + ss * 1000;
}

/* --- ids: an open-addressing set of views, and a union-find over their numbers ------------ */

typedef struct ids {
    kr_str *keys;
    uint32_t *slot_index; /* slot -> id number + 1, 0 = empty */
    uint32_t *parent;
    size_t cap, count;
} ids;

static void ids_init(ids *s, size_t max)
{
    s->cap = 1;
    while (s->cap < 2 * max)
        s->cap <<= 1;
    s->keys = calloc(s->cap, sizeof *s->keys);
    s->slot_index = calloc(s->cap, sizeof *s->slot_index);
    s->parent = calloc(max, sizeof *s->parent);
    s->count = 0;
    assert_true(s->keys && s->slot_index && s->parent);
}

static void ids_free(ids *s)
{
    free(s->keys);
    free(s->slot_index);
    free(s->parent);
}

static uint32_t id_of(ids *s, kr_str key)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < key.len; i++)
        h = (h ^ (unsigned char)key.ptr[i]) * 1099511628211u;
    size_t i = (size_t)h & (s->cap - 1);
    while (s->slot_index[i]) {
        if (kr_str_eq(s->keys[i], key))
            return s->slot_index[i] - 1;
        i = (i + 1) & (s->cap - 1);
    }
    uint32_t n = (uint32_t)s->count++;
    s->keys[i] = key;
    s->slot_index[i] = n + 1;
    s->parent[n] = n;
    return n;
}

static uint32_t root(ids *s, uint32_t x)
{
    while (s->parent[x] != x) {
        s->parent[x] = s->parent[s->parent[x]];
        x = s->parent[x];
    }
    return x;
}

static void unite(ids *s, uint32_t a, uint32_t b)
{
    a = root(s, a);
    b = root(s, b);
    if (a != b)
        s->parent[a] = b;
}

/* --- the recount ---------------------------------------------------------------------------- */

typedef struct recount {
    uint64_t rows, persons, accounts, buyers, purchases, group_rows, alias_rows, identify_rows;
    uint64_t cart_persons, checkout_persons, repeat_buyers, anonymous_persons, multi_device;
    uint64_t surveys, service_contacts, reviews;
    int64_t revenue_cents;
    size_t columns;
} recount;

/* Walks the lines of the file; calls fn(fields, n, line number, payload) per data row. */
static void each_row(char *csv, size_t len, size_t *columns,
                     void (*fn)(kr_str *f, size_t n, size_t line, void *payload), void *payload)
{
    char *nl = memchr(csv, '\n', len);
    assert_non_null(nl);
    kr_str head[MAX_FIELDS];
    *columns = split(csv, (size_t)(nl - csv), head, MAX_FIELDS);
    size_t line = 1;
    for (char *p = nl + 1; p < csv + len; line++) {
        char *end = memchr(p, '\n', (size_t)(csv + len - p));
        assert_non_null(end); /* every row ends with a newline */
        kr_str f[MAX_FIELDS];
        size_t n = split(p, (size_t)(end - p), f, MAX_FIELDS);
        if (n != *columns)
            fail_msg("line %zu: %zu fields, the header has %zu", line + 1, n, *columns);
        fn(f, n, line + 1, payload);
        p = end + 1;
    }
}

typedef struct pass1 {
    ids *ids;
    uint64_t rows;
} pass1;

static void link_row(kr_str *f, size_t n, size_t line, void *payload)
{
    (void)n;
    (void)line;
    pass1 *p = payload;
    p->rows++;
    uint32_t a = f[F_ANON].len ? id_of(p->ids, f[F_ANON]) : UINT32_MAX;
    uint32_t u = f[F_USER].len ? id_of(p->ids, f[F_USER]) : UINT32_MAX;
    uint32_t prev = f[F_PREVIOUS].len ? id_of(p->ids, f[F_PREVIOUS]) : UINT32_MAX;
    if (a != UINT32_MAX && u != UINT32_MAX)
        unite(p->ids, a, u);
    if (is(f[F_TYPE], "alias")) {
        assert_true(u != UINT32_MAX && prev != UINT32_MAX);
        unite(p->ids, prev, u);
    }
}

typedef struct pass2 {
    ids *ids;
    recount *rc;
    /* per id number, meaningful at the roots: bits 0 cart, 1 checkout, 2 known, 3 multi */
    uint8_t *flags;
    uint32_t *purchases;
    uint32_t *anon_seen; /* per root: the first anonymous id + 1 */
    ids accounts;
    uint32_t *contacts; /* per account: group rows */
    uint32_t prev_root;
    int64_t prev_ms;
} pass2;

static void count_row(kr_str *f, size_t n, size_t line, void *payload)
{
    (void)n;
    pass2 *p = payload;
    recount *rc = p->rc;
    int64_t ms = time_of(f[F_TIME]);
    if (ms < START_MS || ms >= START_MS + 183 * DAY_MS)
        fail_msg("line %zu: time outside the six months", line);
    kr_str key = f[F_USER].len ? f[F_USER] : f[F_ANON];
    assert_true(key.len > 0);
    uint32_t r = root(p->ids, id_of(p->ids, key));
    /* Rows come grouped by person, in time order within a person. */
    if (r == p->prev_root && ms <= p->prev_ms)
        fail_msg("line %zu: time does not increase within a person", line);
    p->prev_root = r;
    p->prev_ms = ms;

    kr_str ev = f[F_EVENT], type = f[F_TYPE];
    assert_true(type.len == 0 || is(type, "identify") || is(type, "alias") || is(type, "group"));
    assert_true(type.len > 0 || ev.len > 0); /* a track names its event */
    if (f[F_USER].len)
        p->flags[r] |= 4;
    if (f[F_ANON].len) {
        uint32_t a = id_of(p->ids, f[F_ANON]) + 1;
        if (!p->anon_seen[r])
            p->anon_seen[r] = a;
        else if (p->anon_seen[r] != a)
            p->flags[r] |= 8;
    }
    if (f[F_ACCOUNT].len) {
        uint32_t a = id_of(&p->accounts, f[F_ACCOUNT]);
        if (is(type, "group"))
            p->contacts[a]++;
    }
    if (is(type, "group"))
        rc->group_rows++;
    if (is(type, "alias"))
        rc->alias_rows++;
    if (is(type, "identify"))
        rc->identify_rows++;
    if (is(ev, "add_to_cart"))
        p->flags[r] |= 1;
    if (is(ev, "checkout_started"))
        p->flags[r] |= 2;
    if (is(ev, "survey"))
        rc->surveys++;
    if (is(ev, "service_contact"))
        rc->service_contacts++;
    if (is(ev, "review"))
        rc->reviews++;
    if (f[F_VALUE].len) {
        assert_true(is(ev, "purchase")); /* only purchases carry money */
        rc->revenue_cents += cents_of(f[F_VALUE]);
    }
    if (is(ev, "purchase")) {
        assert_true(f[F_VALUE].len > 0 && f[F_USER].len > 0);
        rc->purchases++;
        p->purchases[r]++;
    }
    kr_str score = f[F_SCORE], scale = f[F_SCALE];
    if (score.len || scale.len) {
        assert_true(score.len > 0 && score.len <= 2);
        int v = score.len == 1 ? digits(score.ptr, 1) : digits(score.ptr, 2);
        if (is(scale, "csat"))
            assert_true(v >= 1 && v <= 5);
        else if (is(scale, "nps"))
            assert_true(v >= 0 && v <= 10);
        else
            fail_msg("line %zu: scale '%.*s'", line, (int)scale.len, scale.ptr);
    }
}

static recount recount_file(const char *path)
{
    size_t len;
    char *csv = slurp(path, &len);
    recount rc;
    memset(&rc, 0, sizeof rc);
    /* Every row has at most three ids: rows * 3 bounds the ids. */
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += csv[i] == '\n';
    ids id;
    ids_init(&id, 3 * lines + 1);
    pass1 p1 = {&id, 0};
    each_row(csv, len, &rc.columns, link_row, &p1);
    rc.rows = p1.rows;

    pass2 p2;
    memset(&p2, 0, sizeof p2);
    p2.ids = &id;
    p2.rc = &rc;
    p2.flags = calloc(id.count + 1, 1);
    p2.purchases = calloc(id.count + 1, sizeof *p2.purchases);
    p2.anon_seen = calloc(id.count + 1, sizeof *p2.anon_seen);
    p2.contacts = calloc(lines + 1, sizeof *p2.contacts);
    p2.prev_root = UINT32_MAX;
    assert_true(p2.flags && p2.purchases && p2.anon_seen && p2.contacts);
    ids_init(&p2.accounts, lines + 1);
    each_row(csv, len, &rc.columns, count_row, &p2);

    for (uint32_t i = 0; i < id.count; i++) {
        if (root(&id, i) != i)
            continue;
        rc.persons++;
        rc.buyers += p2.purchases[i] > 0;
        rc.repeat_buyers += p2.purchases[i] > 1;
        rc.cart_persons += (p2.flags[i] & 1) != 0;
        rc.checkout_persons += (p2.flags[i] & 2) != 0;
        rc.anonymous_persons += (p2.flags[i] & 4) == 0;
        rc.multi_device += (p2.flags[i] & 8) != 0;
    }
    rc.accounts = p2.accounts.count;
    for (size_t a = 0; a < p2.accounts.count; a++) /* the DMU: 1 (the last account) to 5 */
        assert_true(p2.contacts[a] >= 1 && p2.contacts[a] <= 5);
    ids_free(&p2.accounts);
    free(p2.flags);
    free(p2.purchases);
    free(p2.anon_seen);
    free(p2.contacts);
    ids_free(&id);
    free(csv);
    return rc;
}

/* --- tests ------------------------------------------------------------------------------- */

/* FNV-1a over a file's bytes. */
static uint64_t file_hash(const char *path)
{
    size_t len;
    char *x = slurp(path, &len);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)x[i]) * UINT64_C(0x100000001b3);
    free(x);
    return h;
}

static bool same_bytes(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    bool same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static void same_options_give_the_same_bytes(void **state)
{
    (void)state;
    kr_demo_summary a = write_demo(WORK "/a", 300, 42);
    kr_demo_summary b = write_demo(WORK "/b", 300, 42);
    kr_demo_summary c = write_demo(WORK "/c", 300, 43);
    assert_true(same_bytes(a.events_path, b.events_path));
    assert_false(same_bytes(a.events_path, c.events_path));
    /*
     * The same bytes with every compiler, too (gcc in dev, clang in asan): a draw whose order
     * of evaluation C leaves open would change them. Update the hash when the journeys are
     * changed on purpose.
     */
    assert_int_equal(file_hash(a.events_path), UINT64_C(0x189365e00a327a9a));
    assert_int_equal(a.events, b.events);
    assert_string_equal(a.events_path, WORK "/a/events.csv");
    /* No temporary file is left behind. */
    assert_int_not_equal(access(WORK "/a/events.csv.tmp", F_OK), 0);
}

static void summary_equals_a_recount_of_the_file(void **state)
{
    (void)state;
    kr_demo_summary s = write_demo(WORK "/count", 3000, 7);
    recount rc = recount_file(s.events_path);
    assert_int_equal(rc.rows, s.events);
    assert_int_equal(rc.persons, s.persons);
    assert_int_equal(rc.persons, 3000); /* one generated person is one component */
    assert_int_equal(rc.accounts, s.accounts);
    assert_int_equal(rc.buyers, s.buyers);
    assert_int_equal(rc.purchases, s.purchases);
    assert_int_equal(rc.revenue_cents, s.revenue_cents);
    /* Each contact has one group row; 5% of the persons are contacts, ~4 per account. */
    assert_int_equal(rc.group_rows, 3000 / 20);
    assert_in_range(rc.accounts, 3000 / 20 / 5, 3000 / 20 / 3);
}

static void header_is_canonical_and_rows_are_complete(void **state)
{
    (void)state;
    kr_demo_summary s = write_demo(WORK "/header", 200, 1);
    size_t len;
    char *csv = slurp(s.events_path, &len);
    assert_true(len > sizeof canonical);
    assert_memory_equal(csv, canonical, sizeof canonical - 1);
    assert_true(csv[sizeof canonical - 1] == ',' || csv[sizeof canonical - 1] == '\n');
    free(csv);
    /* recount_file checks every row's field count, timestamp, money, score and type. */
    recount rc = recount_file(s.events_path);
    assert_true(rc.columns >= F_CANONICAL);
    assert_int_equal(rc.rows, s.events);
}

static void the_funnel_looks_like_a_webshop(void **state)
{
    (void)state;
    kr_demo_summary s = write_demo(WORK "/funnel", 4000, 42);
    recount rc = recount_file(s.events_path);
    double n = (double)rc.persons;
    /* Most only look; a third reaches the cart, 10-20% buy, some buy again. */
    assert_in_range((uint64_t)(100 * (double)rc.cart_persons / n), 30, 40);
    assert_in_range((uint64_t)(100 * (double)rc.buyers / n), 10, 20);
    assert_true(rc.checkout_persons > rc.buyers && rc.cart_persons > rc.checkout_persons);
    assert_true(rc.repeat_buyers > rc.buyers / 10);
    assert_true(rc.anonymous_persons > rc.persons / 2); /* most never identify */
    assert_true(rc.multi_device > rc.persons / 50);     /* phone to laptop, linked by a login */
    assert_true(rc.identify_rows > 0 && rc.alias_rows > 0);
    assert_true(rc.surveys > 0 && rc.service_contacts > 0 && rc.reviews > 0);
    assert_true(s.revenue_cents > 0);
}

static void the_library_stitches_the_same_persons(void **state)
{
    (void)state;
    kr_demo_summary s = write_demo(WORK "/library", 1000, 3);
    kr_table *t = NULL;
    kr_load_stats ls;
    int rc = kr_table_load_file(&t, s.events_path, NULL, NULL, NULL, &ls);
    if (rc != KR_OK)
        fail_msg("load: %s", t ? kr_table_errmsg(t) : "out of memory");
    assert_int_equal(ls.rejected, 0);
    kr_stats st;
    assert_int_equal(kr_stats_compute(&st, t), KR_OK);
    assert_int_equal(st.events, s.events);
    assert_int_equal(st.persons, s.persons);
    assert_int_equal(st.accounts, s.accounts);
    assert_int_equal(st.revenue_cents, s.revenue_cents);
    kr_stats_finish(&st);
    kr_table_free(t);
}

static void creates_missing_folders(void **state)
{
    (void)state;
    kr_demo_summary s = write_demo(WORK "/deep/er/still//", 20, 5);
    struct stat st;
    assert_int_equal(stat(WORK "/deep/er/still/events.csv", &st), 0);
    assert_int_equal((uint64_t)st.st_size > 0, 1);
    assert_true(s.events > 0 && s.persons == 20);
}

static void bad_options_are_refused_with_the_path(void **state)
{
    (void)state;
    kr_demo_options o = KR_DEMO_OPTIONS_INIT;
    kr_demo_summary s;
    char err[512];
    o.out_dir = WORK "/refused";
    o.persons = 0;
    assert_int_equal(kr_demo_write(&s, &o, err, sizeof err), KR_EINVAL);
    assert_non_null(strstr(err, "persons"));
    o.persons = 10000001;
    assert_int_equal(kr_demo_write(&s, &o, err, sizeof err), KR_EINVAL);

    /* A folder below a regular file cannot be made: the message names the path. */
    FILE *f = fopen(WORK "/plain-file", "w");
    assert_non_null(f);
    fclose(f);
    o.persons = 10;
    o.out_dir = WORK "/plain-file/demo";
    assert_int_equal(kr_demo_write(&s, &o, err, sizeof err), KR_EIO);
    assert_non_null(strstr(err, WORK "/plain-file"));
    o.out_dir = WORK "/plain-file";
    assert_int_equal(kr_demo_write(&s, &o, err, sizeof err), KR_EIO);
    assert_non_null(strstr(err, WORK "/plain-file"));
    /* No room for a message is fine too. */
    assert_int_equal(kr_demo_write(&s, &o, NULL, 0), KR_EIO);
}

static int setup(void **state)
{
    (void)state;
    /* Left from an earlier run: the folders that creates_missing_folders must make. */
    remove(WORK "/deep/er/still/events.csv");
    remove(WORK "/deep/er/still");
    remove(WORK "/deep/er");
    remove(WORK "/deep");
    return mkdir(WORK, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_options_give_the_same_bytes),
        cmocka_unit_test(summary_equals_a_recount_of_the_file),
        cmocka_unit_test(header_is_canonical_and_rows_are_complete),
        cmocka_unit_test(the_funnel_looks_like_a_webshop),
        cmocka_unit_test(the_library_stitches_the_same_persons),
        cmocka_unit_test(creates_missing_folders),
        cmocka_unit_test(bad_options_are_refused_with_the_path),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
