/*
 * test_jsonl.c - the JSONL reader through the public API: flat objects, every Segment message
 * type, value formatting, rejects with their line numbers, line endings, limits, the map
 * option, and the sample file tests/data/segment_sample.jsonl.
 *
 * Each test writes a small file into a temporary folder, reads it with kr_reader_open and
 * kr_reader_run, and checks what the handlers recorded (copies of every string).
 * Timestamps: 2024-03-01T09:00:00Z is 1709283600 s (date -u -d 2024-03-01T09:00:00Z +%s).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "klantreis/reader.h"

#define T0 INT64_C(1709283600000) /* 2024-03-01T09:00:00Z in ms */
#define TS "\"2024-03-01T09:00:00Z\""

/* --- recording handlers ------------------------------------------------------------------- */

typedef struct rec_event {
    size_t line;
    char *raw;
    int64_t time_ms;
    kr_event_type type;
    char *event_id, *anonymous_id, *user_id, *previous_id, *account_id, *event, *channel, *device;
    bool has_value, has_score;
    int64_t value_cents;
    kr_score_scale score_scale;
    double score;
    size_t prop_count;
    char **keys, **values;
} rec_event;

typedef struct rec_reject {
    size_t line;
    char *file, *field, *reason, *raw;
} rec_reject;

typedef struct rec {
    rec_event *events;
    size_t count, cap;
    rec_reject *rejects;
    size_t reject_count, reject_cap;
    bool count_only;  /* big inputs: count events, keep nothing */
    size_t stop_at;   /* on_event returns KR_ESTOP at this event (1-based); 0 = never */
    size_t last_line; /* line of the last event */
    size_t progress_calls;
    uint64_t progress_done;
} rec;

static char *dup_str(kr_str s)
{
    char *d = malloc(s.len + 1);
    assert_non_null(d);
    if (s.len)
        memcpy(d, s.ptr, s.len);
    d[s.len] = '\0';
    return d;
}

static char *dup_cstr(const char *s)
{
    return s ? dup_str(kr_str_from_cstr(s)) : NULL;
}

static int on_event(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    rec *r = payload;
    r->last_line = line;
    if (r->count_only) {
        r->count++;
        return KR_OK;
    }
    if (r->count == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->events = realloc(r->events, r->cap * sizeof *r->events);
        assert_non_null(r->events);
    }
    rec_event *e = &r->events[r->count++];
    memset(e, 0, sizeof *e);
    e->line = line;
    e->raw = dup_str(raw);
    e->time_ms = ev->time_ms;
    e->type = ev->type;
    e->event_id = dup_str(ev->event_id);
    e->anonymous_id = dup_str(ev->anonymous_id);
    e->user_id = dup_str(ev->user_id);
    e->previous_id = dup_str(ev->previous_id);
    e->account_id = dup_str(ev->account_id);
    e->event = dup_str(ev->event);
    e->channel = dup_str(ev->channel);
    e->device = dup_str(ev->device);
    e->has_value = ev->has_value;
    e->value_cents = ev->value_cents;
    e->has_score = ev->has_score;
    e->score_scale = ev->score_scale;
    e->score = ev->score;
    e->prop_count = ev->prop_count;
    e->keys = calloc(ev->prop_count + 1, sizeof *e->keys);
    e->values = calloc(ev->prop_count + 1, sizeof *e->values);
    assert_non_null(e->keys);
    assert_non_null(e->values);
    for (size_t i = 0; i < ev->prop_count; i++) {
        e->keys[i] = dup_str(ev->props[i].key);
        e->values[i] = dup_str(ev->props[i].value);
    }
    return r->stop_at && r->count == r->stop_at ? KR_ESTOP : KR_OK;
}

static void on_reject(const kr_reject *rej, void *payload)
{
    rec *r = payload;
    if (r->reject_count == r->reject_cap) {
        r->reject_cap = r->reject_cap ? 2 * r->reject_cap : 16;
        r->rejects = realloc(r->rejects, r->reject_cap * sizeof *r->rejects);
        assert_non_null(r->rejects);
    }
    rec_reject *x = &r->rejects[r->reject_count++];
    x->line = rej->line;
    x->file = dup_cstr(rej->file);
    x->field = dup_cstr(rej->field);
    x->reason = dup_cstr(rej->reason);
    x->raw = dup_str(rej->raw);
}

static void on_progress(uint64_t done, uint64_t total, void *payload)
{
    rec *r = payload;
    (void)total;
    r->progress_calls++;
    r->progress_done = done;
}

static void rec_free(rec *r)
{
    for (size_t i = 0; i < r->count && !r->count_only; i++) {
        rec_event *e = &r->events[i];
        char *strs[] = {e->raw,        e->event_id, e->anonymous_id, e->user_id, e->previous_id,
                        e->account_id, e->event,    e->channel,      e->device};
        for (size_t k = 0; k < sizeof strs / sizeof *strs; k++)
            free(strs[k]);
        for (size_t k = 0; k < e->prop_count; k++) {
            free(e->keys[k]);
            free(e->values[k]);
        }
        free(e->keys);
        free(e->values);
    }
    for (size_t i = 0; i < r->reject_count; i++) {
        free(r->rejects[i].file);
        free(r->rejects[i].field);
        free(r->rejects[i].reason);
        free(r->rejects[i].raw);
    }
    free(r->events);
    free(r->rejects);
    memset(r, 0, sizeof *r);
}

/* The value of property key, or NULL. */
static const char *prop(const rec_event *e, const char *key)
{
    for (size_t i = 0; i < e->prop_count; i++)
        if (strcmp(e->keys[i], key) == 0)
            return e->values[i];
    return NULL;
}

/* --- files ---------------------------------------------------------------------------------- */

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/kr_jsonl_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(tmpdir);
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(tmpdir);
}

static void path_of(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *data, size_t len)
{
    char path[512];
    path_of(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Reads path with options o (NULL = defaults) into out; returns kr_reader_run's code. */
static int read_path(rec *out, const char *path, const kr_read_options *o)
{
    kr_reader *r = NULL;
    int rc = kr_reader_open(&r, path, o);
    if (rc == KR_OK) {
        kr_read_handler h = {on_event, on_reject, on_progress, out};
        rc = kr_reader_run(r, &h);
        if (rc == KR_OK)
            assert_int_equal(kr_reader_format(r), KR_FORMAT_JSONL);
        else
            assert_string_not_equal(kr_reader_errmsg(r), "");
    }
    kr_reader_free(r);
    return rc;
}

/* Writes text to name in the temporary folder and reads it. */
static int read_text(rec *out, const char *name, const char *text, const kr_read_options *o)
{
    char path[512];
    write_file(name, text, strlen(text));
    path_of(path, sizeof path, name);
    return read_path(out, path, o);
}

/* --- flat objects ------------------------------------------------------------------------- */

static void flat_objects(void **state)
{
    (void)state;
    rec r = {0};
    const char *text =
        "{\"timestamp\":\"2024-03-01T10:00:00+01:00\",\"anonymous_id\":\"a-1\",\"user_id\":\"u-1\","
        "\"account_id\":\"acme\",\"event\":\"purchase\",\"channel\":\"email\",\"device\":"
        "\"mobile\",\"value\":\"12.50\",\"event_id\":\"e-1\",\"product\":\"bonen\",\"qty\":2,"
        "\"price\":4.25,\"gift\":true,\"coupon\":null,\"tags\":[\"a\",\"b\"],"
        "\"meta\":{\"x\":1,\"y\":\"z\\\"q\",\"n\":null,\"f\":0.1}}\n"
        "{\"timestamp\":1709283600,\"user_id\":\"u-2\",\"event\":\"survey\",\"value\":12.5,"
        "\"score\":9,\"score_scale\":\"nps\"}\n"
        "{\"type\":\"identify\",\"timestamp\":" TS ",\"anonymous_id\":\"a-1\",\"user_id\":\"u-1\","
        "\"plan\":\"pro\"}\n";
    assert_int_equal(read_text(&r, "flat.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 3);

    const rec_event *e = &r.events[0];
    assert_int_equal(e->line, 1);
    assert_int_equal(e->time_ms, T0); /* 10:00 at +01:00 is 09:00 UTC */
    assert_int_equal(e->type, KR_TYPE_TRACK);
    assert_string_equal(e->anonymous_id, "a-1");
    assert_string_equal(e->user_id, "u-1");
    assert_string_equal(e->account_id, "acme");
    assert_string_equal(e->event, "purchase");
    assert_string_equal(e->channel, "email");
    assert_string_equal(e->device, "mobile");
    assert_string_equal(e->event_id, "e-1");
    assert_true(e->has_value);
    assert_int_equal(e->value_cents, 1250);
    assert_false(e->has_score);
    /* Properties in key order; null dropped; numbers, booleans, nested values as JSON text. */
    assert_int_equal(e->prop_count, 6);
    assert_string_equal(e->keys[0], "product");
    assert_string_equal(e->values[0], "bonen");
    assert_string_equal(e->keys[1], "qty");
    assert_string_equal(e->values[1], "2");
    assert_string_equal(e->keys[2], "price");
    assert_string_equal(e->values[2], "4.25");
    assert_string_equal(e->keys[3], "gift");
    assert_string_equal(e->values[3], "true");
    assert_string_equal(e->keys[4], "tags");
    assert_string_equal(e->values[4], "[\"a\",\"b\"]");
    assert_string_equal(e->keys[5], "meta");
    assert_string_equal(e->values[5], "{\"x\":1,\"y\":\"z\\\"q\",\"n\":null,\"f\":0.1}");
    assert_null(prop(e, "coupon"));

    e = &r.events[1];
    assert_int_equal(e->line, 2);
    assert_int_equal(e->time_ms, T0); /* unix seconds */
    assert_string_equal(e->user_id, "u-2");
    assert_string_equal(e->anonymous_id, "");
    assert_true(e->has_value);
    assert_int_equal(e->value_cents, 1250); /* the JSON number 12.5 is 12.50 */
    assert_true(e->has_score);
    assert_int_equal(e->score_scale, KR_SCALE_NPS);
    assert_true(e->score == 9.0);
    assert_int_equal(e->prop_count, 0);

    /* A flat record may carry a type; it stays flat because it names anonymous_id. */
    e = &r.events[2];
    assert_int_equal(e->type, KR_TYPE_IDENTIFY);
    assert_string_equal(e->event, "identify");
    assert_int_equal(e->prop_count, 1);
    assert_string_equal(prop(e, "plan"), "pro");
    rec_free(&r);
}

static void number_formatting(void **state)
{
    (void)state;
    rec r = {0};
    /* Reals print as the shortest text that reads back (19.99, not 19.989999999999998);
       a fractional timestamp is unix seconds rounded to the ms; ids may be numbers. */
    const char *text =
        "{\"timestamp\":1709283600.25,\"user_id\":3.5,\"anonymous_id\":12345678901234,"
        "\"event\":\"x\",\"value\":19.99,\"a\":19.99,\"b\":-0.5,\"c\":1e3,"
        "\"d\":[1.5,2e-7,false],\"e\":0.30000000000000004}\n"
        "{\"timestamp\":1709283600250,\"user_id\":\"u\",\"event\":\"x\",\"value\":7}\n"
        "{\"timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"x\",\"value\":0.005}\n";
    assert_int_equal(read_text(&r, "numbers.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 3);
    const rec_event *e = &r.events[0];
    assert_int_equal(e->time_ms, T0 + 250);
    assert_string_equal(e->user_id, "3.5");
    assert_string_equal(e->anonymous_id, "12345678901234");
    assert_int_equal(e->value_cents, 1999);
    assert_string_equal(prop(e, "a"), "19.99");
    assert_string_equal(prop(e, "b"), "-0.5");
    assert_string_equal(prop(e, "c"), "1000");
    assert_string_equal(prop(e, "d"), "[1.5,2e-07,false]");
    assert_string_equal(prop(e, "e"), "0.30000000000000004");
    assert_int_equal(r.events[1].time_ms, T0 + 250); /* milliseconds from 1e11 up */
    assert_int_equal(r.events[1].value_cents, 700);
    /* 0.005 written as 0.005 rounds half away from zero to one cent */
    assert_int_equal(r.events[2].value_cents, 1);
    rec_free(&r);
}

static void decimal_comma_option(void **state)
{
    (void)state;
    rec r = {0};
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.decimal = ',';
    /* A JSON number is decimal-point money whatever the option says; strings follow it. */
    const char *text =
        "{\"timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"x\",\"value\":12.5}\n"
        "{\"timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"x\",\"value\":\"1.234,50\"}\n";
    assert_int_equal(read_text(&r, "comma.jsonl", text, &o), KR_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.events[0].value_cents, 1250);
    assert_int_equal(r.events[1].value_cents, 123450);
    rec_free(&r);
}

/* --- Segment messages ---------------------------------------------------------------------- */

static void segment_track(void **state)
{
    (void)state;
    rec r = {0};
    const char *text =
        "{\"type\":\"track\",\"messageId\":\"m-1\",\"anonymousId\":\"anon-1\",\"userId\":null,"
        "\"event\":\"Order Completed\",\"channel\":\"server\",\"properties\":{\"orderId\":\"o-17\","
        "\"revenue\":34.9,\"total\":39.85,\"currency\":\"EUR\",\"products\":[{\"sku\":\"K-1\","
        "\"price\":17.45}]},\"context\":{\"ip\":\"203.0.113.7\",\"device\":{\"type\":\"mobile\"},"
        "\"campaign\":{\"source\":\"nieuwsbrief\",\"medium\":\"email\",\"name\":\"voorjaar\"},"
        "\"userAgent\":\"Mozilla/5.0\"},\"timestamp\":\"2024-03-01T09:00:00.250Z\"}\n";
    assert_int_equal(read_text(&r, "track.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 1);
    const rec_event *e = &r.events[0];
    assert_int_equal(e->type, KR_TYPE_TRACK);
    assert_int_equal(e->time_ms, T0 + 250);
    assert_string_equal(e->event_id, "m-1");
    assert_string_equal(e->anonymous_id, "anon-1");
    assert_string_equal(e->user_id, "");
    assert_string_equal(e->event, "Order Completed");
    assert_true(e->has_value);
    assert_int_equal(e->value_cents, 3490); /* revenue before total */
    assert_string_equal(e->channel, "nieuwsbrief");
    assert_string_equal(e->device, "mobile");
    /* properties (revenue went into value), then the campaign; nothing else of context */
    assert_int_equal(e->prop_count, 7);
    assert_string_equal(e->keys[0], "orderId");
    assert_string_equal(e->values[0], "o-17");
    assert_string_equal(e->keys[1], "total");
    assert_string_equal(e->values[1], "39.85");
    assert_string_equal(e->keys[2], "currency");
    assert_string_equal(e->values[2], "EUR");
    assert_string_equal(e->keys[3], "products");
    assert_string_equal(e->values[3], "[{\"sku\":\"K-1\",\"price\":17.45}]");
    assert_string_equal(e->keys[4], "campaign_source");
    assert_string_equal(e->values[4], "nieuwsbrief");
    assert_string_equal(e->keys[5], "campaign_medium");
    assert_string_equal(e->values[5], "email");
    assert_string_equal(e->keys[6], "campaign_name");
    assert_string_equal(e->values[6], "voorjaar");
    for (size_t i = 0; i < e->prop_count; i++) {
        assert_null(strstr(e->keys[i], "ip"));
        assert_null(strstr(e->values[i], "203.0.113.7"));
        assert_string_not_equal(e->values[i], "server"); /* Segment's library channel */
    }
    assert_null(prop(e, "revenue"));
    rec_free(&r);
}

static void segment_identify_page_screen(void **state)
{
    (void)state;
    rec r = {0};
    const char *text =
        "{\"type\":\"identify\",\"anonymousId\":\"anon-1\",\"userId\":\"klant-1042\","
        "\"traits\":{\"email\":\"sanne@example.nl\",\"plan\":\"pro\",\"age\":34,\"x\":null},"
        "\"originalTimestamp\":\"2024-03-01T10:05:00+01:00\",\"sentAt\":\"2024-03-01T09:05:01Z\"}\n"
        "{\"type\":\"page\",\"anonymousId\":\"anon-2\",\"name\":\"Home\",\"properties\":{\"path\":"
        "\"/\",\"title\":\"Koffie\"},\"timestamp\":" TS "}\n"
        "{\"type\":\"page\",\"anonymousId\":\"anon-2\",\"properties\":{\"path\":\"/bonen\"},"
        "\"timestamp\":" TS "}\n"
        "{\"type\":\"screen\",\"userId\":\"u-9\",\"name\":\"Winkelmand\",\"context\":{\"device\":"
        "{\"type\":\"ios\"}},\"timestamp\":" TS "}\n";
    assert_int_equal(read_text(&r, "identify.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 4);

    const rec_event *e = &r.events[0];
    assert_int_equal(e->type, KR_TYPE_IDENTIFY);
    assert_int_equal(e->time_ms, T0 + 300000); /* originalTimestamp wins over sentAt */
    assert_string_equal(e->anonymous_id, "anon-1");
    assert_string_equal(e->user_id, "klant-1042");
    assert_string_equal(e->event, "identify");
    assert_int_equal(e->prop_count, 3);
    assert_string_equal(e->keys[0], "trait_email");
    assert_string_equal(e->values[0], "sanne@example.nl");
    assert_string_equal(e->keys[1], "trait_plan");
    assert_string_equal(e->values[1], "pro");
    assert_string_equal(e->keys[2], "trait_age");
    assert_string_equal(e->values[2], "34");

    e = &r.events[1];
    assert_int_equal(e->type, KR_TYPE_PAGE);
    assert_string_equal(e->event, "Home");
    assert_int_equal(e->prop_count, 2);
    assert_string_equal(prop(e, "path"), "/");
    assert_string_equal(prop(e, "title"), "Koffie");

    e = &r.events[2];
    assert_int_equal(e->type, KR_TYPE_PAGE);
    assert_string_equal(e->event, "page"); /* no name: the type's name */

    e = &r.events[3];
    assert_int_equal(e->type, KR_TYPE_SCREEN);
    assert_string_equal(e->event, "Winkelmand");
    assert_string_equal(e->user_id, "u-9");
    assert_string_equal(e->device, "ios");
    rec_free(&r);
}

static void segment_alias_group(void **state)
{
    (void)state;
    rec r = {0};
    const char *text =
        "{\"type\":\"alias\",\"previousId\":\"nb-88\",\"userId\":\"klant-1042\",\"timestamp\":" TS
        "}\n"
        "{\"type\":\"group\",\"userId\":\"klant-2077\",\"groupId\":\"org-hendriks\",\"traits\":"
        "{\"name\":\"Kantoor Hendriks BV\",\"employees\":40},\"timestamp\":" TS "}\n"
        "{\"type\":\"track\",\"userId\":\"klant-2077\",\"event\":\"Order Completed\",\"context\":"
        "{\"groupId\":\"org-hendriks\"},\"properties\":{\"value\":5,\"total\":7},\"timestamp\":" TS
        "}\n";
    assert_int_equal(read_text(&r, "alias.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 3);

    const rec_event *e = &r.events[0];
    assert_int_equal(e->type, KR_TYPE_ALIAS);
    assert_string_equal(e->previous_id, "nb-88");
    assert_string_equal(e->user_id, "klant-1042");
    assert_int_equal(e->prop_count, 0);

    e = &r.events[1];
    assert_int_equal(e->type, KR_TYPE_GROUP);
    assert_string_equal(e->account_id, "org-hendriks");
    assert_string_equal(e->user_id, "klant-2077");
    assert_string_equal(e->event, "group");
    assert_int_equal(e->prop_count, 2);
    assert_string_equal(prop(e, "trait_name"), "Kantoor Hendriks BV");
    assert_string_equal(prop(e, "trait_employees"), "40");

    e = &r.events[2];
    assert_string_equal(e->account_id, "org-hendriks"); /* from context.groupId */
    assert_int_equal(e->value_cents, 500);              /* value before total */
    assert_int_equal(e->prop_count, 1);
    assert_string_equal(prop(e, "total"), "7");
    rec_free(&r);
}

static void segment_numbers_and_score(void **state)
{
    (void)state;
    rec r = {0};
    const char *text =
        "{\"type\":\"track\",\"userId\":1042,\"anonymousId\":12345678901234,\"messageId\":7,"
        "\"event\":\"Login\",\"timestamp\":1709283600}\n"
        "{\"userId\":\"u\",\"event\":\"Survey Answered\",\"timestamp\":" TS ",\"properties\":"
        "{\"score\":9,\"scale\":\"nps\",\"comment\":\"snel geleverd\",\"answers\":{\"q1\":[1,2],"
        "\"q2\":\"ja\"}}}\n";
    assert_int_equal(read_text(&r, "segnum.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 2);
    const rec_event *e = &r.events[0];
    assert_string_equal(e->user_id, "1042");
    assert_string_equal(e->anonymous_id, "12345678901234");
    assert_string_equal(e->event_id, "7");
    assert_int_equal(e->time_ms, T0);

    e = &r.events[1]; /* no type: a track */
    assert_int_equal(e->type, KR_TYPE_TRACK);
    assert_true(e->has_score);
    assert_int_equal(e->score_scale, KR_SCALE_NPS);
    assert_true(e->score == 9.0);
    assert_false(e->has_value);
    assert_int_equal(e->prop_count, 2);
    assert_string_equal(prop(e, "comment"), "snel geleverd");
    assert_string_equal(prop(e, "answers"), "{\"q1\":[1,2],\"q2\":\"ja\"}");
    rec_free(&r);
}

/* --- rejects -------------------------------------------------------------------------------- */

#define GOOD(ev) "{\"timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"" ev "\"}"

static void invalid_json_lines(void **state)
{
    (void)state;
    rec r = {0};
    /* clang-format off */
    const char *text =
        GOOD("a") "\n"
        "{\"event\":\"a\",}\n"                                 /* line 2 */
        GOOD("b") "\n"
        "\n"                                                   /* line 4: blank */
        "not json\n"                                           /* line 5 */
        "{\"a\":1,\"a\":2}\n"                                  /* line 6 */
        GOOD("c") "\n"
        "[1,2]\n"                                              /* line 8 */
        "\"hello\"\n"                                          /* line 9 */
        "42\n"                                                 /* line 10 */
        "{\"batch\":[{\"type\":\"track\"}],\"sentAt\":" TS "}\n" /* line 11 */
        GOOD("d");                                             /* line 12, no final LF */
    /* clang-format on */
    assert_int_equal(read_text(&r, "invalid.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.count, 4);
    assert_int_equal(r.events[0].line, 1);
    assert_int_equal(r.events[1].line, 3);
    assert_int_equal(r.events[2].line, 7);
    assert_int_equal(r.events[3].line, 12);
    assert_string_equal(r.events[3].event, "d");
    assert_string_equal(r.events[3].raw, GOOD("d"));

    assert_int_equal(r.reject_count, 7);
    /* {"event":"a",} : the '}' in column 14 is where a key was expected */
    assert_int_equal(r.rejects[0].line, 2);
    assert_null(r.rejects[0].field);
    assert_string_equal(r.rejects[0].reason,
                        "invalid json at column 14: string or '}' expected near '}'");
    assert_string_equal(r.rejects[0].raw, "{\"event\":\"a\",}");
    assert_true(strstr(r.rejects[0].file, "invalid.jsonl") != NULL);
    assert_int_equal(r.rejects[1].line, 5);
    assert_string_equal(r.rejects[1].reason, "invalid json at column 3: invalid token near 'not'");
    assert_int_equal(r.rejects[2].line, 6);
    assert_string_equal(r.rejects[2].reason,
                        "invalid json at column 10: duplicate object key near '\"a\"'");
    assert_int_equal(r.rejects[3].line, 8);
    assert_string_equal(r.rejects[3].reason, "expected a json object, not an array");
    assert_int_equal(r.rejects[4].line, 9);
    assert_string_equal(r.rejects[4].reason, "expected a json object, not a string");
    assert_int_equal(r.rejects[5].line, 10);
    assert_string_equal(r.rejects[5].reason, "expected a json object, not a number");
    assert_int_equal(r.rejects[6].line, 11);
    assert_string_equal(r.rejects[6].reason, "a segment batch: expected one message per line");
    rec_free(&r);
}

static void field_rejects(void **state)
{
    (void)state;
    rec r = {0};
    const char *text =
        "{\"user_id\":\"u\",\"event\":\"x\"}\n"                   /* 1: no timestamp */
        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\"}\n" /* 2: Segment, no timestamp */
        "{\"timestamp\":" TS ",\"user_id\":{\"a\":1},\"event\":\"x\"}\n"                  /* 3 */
        "{\"timestamp\":" TS ",\"Timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"x\"}\n" /* 4 */
        "{\"type\":\"track\",\"userId\":true,\"event\":\"x\",\"timestamp\":" TS "}\n"     /* 5 */
        GOOD("ok") "\n";
    assert_int_equal(read_text(&r, "fields.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.events[0].line, 6);
    assert_int_equal(r.reject_count, 5);
    assert_int_equal(r.rejects[0].line, 1);
    assert_string_equal(r.rejects[0].field, "timestamp");
    assert_string_not_equal(r.rejects[0].reason, "");
    assert_int_equal(r.rejects[1].line, 2);
    assert_string_equal(r.rejects[1].field, "timestamp");
    assert_int_equal(r.rejects[2].line, 3);
    assert_string_equal(r.rejects[2].field, "user_id");
    assert_string_equal(r.rejects[2].reason,
                        "'user_id' must be a string or a number, not an object");
    assert_int_equal(r.rejects[3].line, 4);
    assert_string_equal(r.rejects[3].field, "timestamp");
    assert_string_equal(r.rejects[3].reason, "field timestamp given twice (again as 'Timestamp')");
    assert_int_equal(r.rejects[4].line, 5);
    assert_string_equal(r.rejects[4].field, "user_id");
    assert_string_equal(r.rejects[4].reason,
                        "'userId' must be a string or a number, not a boolean");
    rec_free(&r);
}

static void crlf_bom_blank_lines(void **state)
{
    (void)state;
    rec r = {0};
    /* clang-format off */
    const char *text =
        "\xEF\xBB\xBF" GOOD("a") "\r\n" /* line 1, after a BOM */
        "\r\n"
        "  \t \r\n"
        GOOD("b") "\r\n"                /* line 4 */
        "\n"
        GOOD("c") "\r";                 /* line 6: a CR and no LF at the end */
    /* clang-format on */
    assert_int_equal(read_text(&r, "crlf.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.events[0].line, 1);
    assert_string_equal(r.events[0].raw, GOOD("a")); /* without BOM and CR */
    assert_int_equal(r.events[1].line, 4);
    assert_string_equal(r.events[1].raw, GOOD("b"));
    assert_int_equal(r.events[2].line, 6);
    assert_string_equal(r.events[2].raw, GOOD("c"));
    rec_free(&r);
}

static void empty_and_blank_files(void **state)
{
    (void)state;
    rec r = {0};
    assert_int_equal(read_text(&r, "empty.jsonl", "", NULL), KR_OK);
    assert_int_equal(r.count + r.reject_count, 0);
    assert_int_equal(read_text(&r, "blank.jsonl", "\xEF\xBB\xBF\n\n  \r\n", NULL), KR_OK);
    assert_int_equal(r.count + r.reject_count, 0);
    rec_free(&r);
}

/* A good event line padded to exactly len bytes with a "pad" property. */
static char *padded_line(size_t len)
{
    const char *head = "{\"timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"big\",\"pad\":\"";
    size_t h = strlen(head);
    assert_true(len >= h + 2);
    char *s = malloc(len + 1);
    assert_non_null(s);
    memcpy(s, head, h);
    memset(s + h, 'x', len - h - 2);
    memcpy(s + len - 2, "\"}", 2);
    s[len] = '\0';
    return s;
}

static void over_long_lines(void **state)
{
    (void)state;
    rec r = {0};
    size_t max = KR_MAX_RECORD_LEN;
    char *exact = padded_line(max);     /* the longest line allowed, with CRLF */
    char *over = padded_line(max + 1);  /* one byte too long, with LF */
    char *huge = padded_line(5u << 20); /* longer than the input buffer */
    size_t cap = 3 * max + (5u << 20) + 1024;
    char *text = malloc(cap);
    assert_non_null(text);
    int n = snprintf(text, cap, "%s\n%s\r\n%s\n%s\n%s\n%s", GOOD("a"), exact, over, GOOD("b"), huge,
                     GOOD("c"));
    assert_true(n > 0 && (size_t)n < cap);
    char path[512];
    write_file("long.jsonl", text, (size_t)n);
    path_of(path, sizeof path, "long.jsonl");
    assert_int_equal(read_path(&r, path, NULL), KR_OK);

    assert_int_equal(r.count, 4);
    assert_int_equal(r.events[0].line, 1);
    assert_int_equal(r.events[1].line, 2);
    assert_string_equal(r.events[1].event, "big");
    assert_int_equal(strlen(prop(&r.events[1], "pad")), max - 73); /* 71 head + 2 tail bytes */
    assert_int_equal(r.events[2].line, 4);
    assert_string_equal(r.events[2].event, "b");
    assert_int_equal(r.events[3].line, 6);
    assert_string_equal(r.events[3].event, "c");

    assert_int_equal(r.reject_count, 2);
    assert_int_equal(r.rejects[0].line, 3);
    assert_null(r.rejects[0].field);
    assert_string_equal(r.rejects[0].reason, "line longer than 1048576 bytes");
    assert_int_equal(strlen(r.rejects[0].raw), 256); /* the first 256 bytes only */
    assert_memory_equal(r.rejects[0].raw, over, 256);
    assert_int_equal(r.rejects[1].line, 5);
    assert_string_equal(r.rejects[1].reason, "line longer than 1048576 bytes");
    assert_memory_equal(r.rejects[1].raw, huge, 256);
    free(text);
    free(exact);
    free(over);
    free(huge);
    rec_free(&r);
}

static void properties_limit(void **state)
{
    (void)state;
    rec r = {0};
    /* 256 properties are fine, 257 reject the line */
    size_t cap = 2 * 257 * 16 + 256;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = 0;
    for (int line = 0; line < 2; line++) {
        len += (size_t)snprintf(text + len, cap - len, "%s",
                                "{\"timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"x\"");
        for (int i = 0; i < 256 + line; i++)
            len += (size_t)snprintf(text + len, cap - len, ",\"p%d\":%d", i, i);
        len += (size_t)snprintf(text + len, cap - len, "}\n");
    }
    assert_true(len < cap);
    assert_int_equal(read_text(&r, "props.jsonl", text, NULL), KR_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.events[0].prop_count, 256);
    assert_string_equal(prop(&r.events[0], "p255"), "255");
    assert_int_equal(r.reject_count, 1);
    assert_int_equal(r.rejects[0].line, 2);
    assert_string_equal(r.rejects[0].reason, "more than 256 properties");
    free(text);
    rec_free(&r);
}

/* A line with an array of n copies of 1e14, which formats as 15 digits instead of 4 bytes. */
static size_t append_e14_line(char *buf, size_t cap, size_t n)
{
    size_t len = (size_t)snprintf(
        buf, cap, "%s", "{\"timestamp\":" TS ",\"user_id\":\"u\",\"event\":\"x\",\"a\":[");
    for (size_t i = 0; i < n; i++) {
        assert_true(len + 6 < cap);
        memcpy(buf + len, i ? ",1e14" : "1e14", i ? 5 : 4);
        len += i ? 5 : 4;
    }
    len += (size_t)snprintf(buf + len, cap - len, "]}\n");
    assert_true(len < cap);
    return len;
}

static void formatted_text_limits(void **state)
{
    (void)state;
    rec r = {0};
    size_t cap = 2u << 20;
    char *text = malloc(cap);
    assert_non_null(text);
    /* line 1: 320001 formatted bytes, past the arena's first size: it grows and the line is
       read; line 2: under 1 MB as written, 3.2 MB formatted: past the 2 MB cap, rejected. */
    size_t len = append_e14_line(text, cap, 20000);
    len += append_e14_line(text + len, cap - len, 200000);
    len += (size_t)snprintf(text + len, cap - len, "%s\n", GOOD("after"));
    assert_true(len < cap);
    char path[512];
    write_file("formatted.jsonl", text, len);
    path_of(path, sizeof path, "formatted.jsonl");
    assert_int_equal(read_path(&r, path, NULL), KR_OK);
    assert_int_equal(r.count, 2);
    const char *a = prop(&r.events[0], "a");
    assert_int_equal(strlen(a), 2 + 20000 * 15 + 19999);
    assert_memory_equal(a, "[100000000000000,100000000000000,", 33);
    assert_int_equal(r.events[1].line, 3);
    assert_int_equal(r.reject_count, 1);
    assert_int_equal(r.rejects[0].line, 2);
    assert_string_equal(r.rejects[0].reason,
                        "line too large once formatted (more than 2097152 bytes)");
    free(text);
    rec_free(&r);
}

/* --- options and control -------------------------------------------------------------------- */

static void map_option(void **state)
{
    (void)state;
    rec r = {0};
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.map = " timestamp = ts , user_id=klant,event=actie,channel=kanaal";
    const char *text =
        "{\"ts\":" TS ",\"klant\":\"k-1\",\"actie\":\"bestelling\",\"timestamp\":\"nonsense\","
        "\"Kanaal\":\"email\",\"event\":\"also a property\"}\n"
        /* in a Segment message the map overrides: "actie" beats "event" */
        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"actie\":\"y\",\"timestamp\":" TS
        "}\n";
    assert_int_equal(read_text(&r, "map.jsonl", text, &o), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 2);
    const rec_event *e = &r.events[0];
    assert_int_equal(e->time_ms, T0);
    assert_string_equal(e->user_id, "k-1");
    assert_string_equal(e->event, "bestelling");
    assert_string_equal(e->channel, "email"); /* map sources match case-insensitively */
    assert_int_equal(e->prop_count, 2);
    assert_string_equal(prop(e, "timestamp"), "nonsense");
    assert_string_equal(prop(e, "event"), "also a property");
    assert_string_equal(r.events[1].event, "y");
    rec_free(&r);

    const char *bad[] = {"nonsense=x", "timestamp", "timestamp=", "event=a,event=b",
                         "event=a,user_id=a"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.map = bad[i];
        assert_int_equal(read_text(&r, "badmap.jsonl", GOOD("a") "\n", &o), KR_EINVAL);
        assert_int_equal(r.count, 0);
    }
    rec_free(&r);
}

static void callback_stops_the_run(void **state)
{
    (void)state;
    rec r = {0};
    r.stop_at = 2;
    const char *text = GOOD("a") "\n" GOOD("b") "\n" GOOD("c") "\n";
    char path[512];
    write_file("stop.jsonl", text, strlen(text));
    path_of(path, sizeof path, "stop.jsonl");
    kr_reader *rd = NULL;
    assert_int_equal(kr_reader_open(&rd, path, NULL), KR_OK);
    kr_read_handler h = {on_event, on_reject, NULL, &r};
    assert_int_equal(kr_reader_run(rd, &h), KR_ESTOP);
    assert_non_null(strstr(kr_reader_errmsg(rd), "line 2"));
    kr_reader_free(rd);
    assert_int_equal(r.count, 2);
    rec_free(&r);
}

static void format_detected_by_content(void **state)
{
    (void)state;
    rec r = {0};
    /* no .jsonl name: the first '{' after BOM and blanks decides */
    assert_int_equal(read_text(&r, "events.log", "\xEF\xBB\xBF\n" GOOD("a") "\n", NULL), KR_OK);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.events[0].line, 2);
    rec_free(&r);
}

static void many_lines_across_buffer_refills(void **state)
{
    (void)state;
    /* 150000 lines of about 100 bytes: 15 MB, several 4 MB buffer fills, progress at 8 MB */
    const size_t lines = 150000;
    char path[512];
    path_of(path, sizeof path, "many.jsonl");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 1; i <= lines; i++)
        fprintf(f,
                "{\"timestamp\":%zu,\"anonymous_id\":\"device-%06zu\",\"event\":\"view\","
                "\"page\":\"/product/%zu\"}\n",
                (size_t)1709283600 + i, i % 1000, i);
    assert_int_equal(fclose(f), 0);
    rec r = {0};
    r.count_only = true;
    assert_int_equal(read_path(&r, path, NULL), KR_OK);
    assert_int_equal(r.count, lines);
    assert_int_equal(r.last_line, lines);
    assert_int_equal(r.reject_count, 0);
    assert_true(r.progress_calls >= 2); /* one past 8 MB, one at the end */
    rec_free(&r);
}

static void sample_file(void **state)
{
    (void)state;
    rec r = {0};
    assert_int_equal(read_path(&r, KR_TEST_DATA "/segment_sample.jsonl", NULL), KR_OK);
    assert_int_equal(r.reject_count, 0);
    assert_int_equal(r.count, 30);

    size_t types[KR_TYPE_COUNT] = {0}, orders = 0, ips = 0;
    int64_t revenue = 0;
    for (size_t i = 0; i < r.count; i++) {
        const rec_event *e = &r.events[i];
        char id[32];
        snprintf(id, sizeof id, "msg-%04zu", i + 1);
        assert_string_equal(e->event_id, id);
        assert_int_equal(e->line, i + 1);
        types[e->type]++;
        if (strcmp(e->event, "Order Completed") == 0) {
            orders++;
            assert_true(e->has_value);
            revenue += e->value_cents;
        }
        for (size_t k = 0; k < e->prop_count; k++)
            ips += strstr(e->values[k], "198.51.100.") || strstr(e->values[k], "203.0.113.");
    }
    assert_int_equal(types[KR_TYPE_TRACK], 14);
    assert_int_equal(types[KR_TYPE_PAGE], 7);
    assert_int_equal(types[KR_TYPE_SCREEN], 2);
    assert_int_equal(types[KR_TYPE_IDENTIFY], 4);
    assert_int_equal(types[KR_TYPE_ALIAS], 1);
    assert_int_equal(types[KR_TYPE_GROUP], 2);
    assert_int_equal(orders, 3);
    assert_int_equal(revenue, 2585 + 1790 + 9800);
    assert_int_equal(ips, 0);

    const rec_event *e = &r.events[0]; /* page Home on the phone, via Google Ads */
    assert_string_equal(e->event, "Home");
    assert_string_equal(e->channel, "google");
    assert_string_equal(e->device, "mobile");
    assert_string_equal(prop(e, "campaign_medium"), "cpc");
    e = &r.events[9]; /* alias */
    assert_int_equal(e->type, KR_TYPE_ALIAS);
    assert_string_equal(e->previous_id, "nb-88213");
    assert_string_equal(e->user_id, "klant-1042");
    e = &r.events[13];                                    /* Sanne's order */
    assert_int_equal(e->time_ms, INT64_C(1709713072688)); /* 2024-03-06T08:17:52.688Z */
    assert_int_equal(e->value_cents, 2585);
    assert_string_equal(e->anonymous_id, "7b2d4e10-8c3a-4f5e-b6d7-0a1b2c3d4e02");
    assert_string_equal(e->channel, "nieuwsbrief");
    e = &r.events[17]; /* NPS survey */
    assert_true(e->has_score);
    assert_int_equal(e->score_scale, KR_SCALE_NPS);
    assert_true(e->score == 9.0);
    assert_int_equal(e->time_ms, INT64_C(1711015364000));
    e = &r.events[21]; /* group */
    assert_int_equal(e->type, KR_TYPE_GROUP);
    assert_string_equal(e->account_id, "org-hendriks");
    assert_string_equal(prop(e, "trait_employees"), "40");
    e = &r.events[27]; /* the B2B order, account from context.groupId */
    assert_string_equal(e->account_id, "org-hendriks");
    assert_int_equal(e->value_cents, 9800);
    e = &r.events[14]; /* app screen */
    assert_int_equal(e->type, KR_TYPE_SCREEN);
    assert_string_equal(e->device, "ios");
    e = &r.events[29]; /* only originalTimestamp 12:30 +01:00 */
    assert_int_equal(e->time_ms, INT64_C(1711107000000));
    rec_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flat_objects),
        cmocka_unit_test(number_formatting),
        cmocka_unit_test(decimal_comma_option),
        cmocka_unit_test(segment_track),
        cmocka_unit_test(segment_identify_page_screen),
        cmocka_unit_test(segment_alias_group),
        cmocka_unit_test(segment_numbers_and_score),
        cmocka_unit_test(invalid_json_lines),
        cmocka_unit_test(field_rejects),
        cmocka_unit_test(crlf_bom_blank_lines),
        cmocka_unit_test(empty_and_blank_files),
        cmocka_unit_test(over_long_lines),
        cmocka_unit_test(properties_limit),
        cmocka_unit_test(formatted_text_limits),
        cmocka_unit_test(map_option),
        cmocka_unit_test(callback_stops_the_run),
        cmocka_unit_test(format_detected_by_content),
        cmocka_unit_test(many_lines_across_buffer_refills),
        cmocka_unit_test(sample_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
