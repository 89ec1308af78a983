/*
 * test_csv.c - the CSV reader through the public kr_reader API, on small files written to a
 * temporary folder: RFC 4180 edge cases, delimiter detection, the header and --map, rejected
 * records with their exact physical line numbers, limits, and the buffer boundary.
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

#include "klantreis/reader.h"

#define MAX_SEEN 64

/* What the handlers saw, with strings copied (views die after each callback). */
typedef struct seen {
    size_t events;
    size_t rejects;
    char event[MAX_SEEN][64];
    char user[MAX_SEEN][64];
    int64_t time_ms[MAX_SEEN];
    int64_t value[MAX_SEEN];
    bool has_value[MAX_SEEN];
    double score[MAX_SEEN];
    kr_score_scale scale[MAX_SEEN];
    size_t event_line[MAX_SEEN];
    char props[MAX_SEEN][256];
    size_t reject_line[MAX_SEEN];
    char reject_field[MAX_SEEN][32];
    char reject_reason[MAX_SEEN][128];
    size_t raw_len[MAX_SEEN];
} seen;

static void copy(char *dst, size_t cap, kr_str s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.ptr ? s.ptr : "", n);
    dst[n] = '\0';
}

static int on_event(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    seen *s = payload;
    (void)raw;
    size_t i = s->events++;
    if (i >= MAX_SEEN)
        return KR_OK;
    copy(s->event[i], sizeof s->event[i], ev->event);
    copy(s->user[i], sizeof s->user[i], ev->user_id);
    s->time_ms[i] = ev->time_ms;
    s->value[i] = ev->value_cents;
    s->has_value[i] = ev->has_value;
    s->score[i] = ev->score;
    s->scale[i] = ev->has_score ? ev->score_scale : KR_SCALE_NONE;
    s->event_line[i] = line;
    s->props[i][0] = '\0';
    for (size_t k = 0; k < ev->prop_count; k++) {
        size_t used = strlen(s->props[i]);
        snprintf(s->props[i] + used, sizeof s->props[i] - used, "%s%.*s=%.*s", k ? ";" : "",
                 (int)ev->props[k].key.len, ev->props[k].key.ptr, (int)ev->props[k].value.len,
                 ev->props[k].value.ptr);
    }
    return KR_OK;
}

static void on_reject(const kr_reject *rej, void *payload)
{
    seen *s = payload;
    size_t i = s->rejects++;
    if (i >= MAX_SEEN)
        return;
    s->reject_line[i] = rej->line;
    snprintf(s->reject_field[i], sizeof s->reject_field[i], "%s", rej->field ? rej->field : "");
    snprintf(s->reject_reason[i], sizeof s->reject_reason[i], "%s", rej->reason);
    s->raw_len[i] = rej->raw.len;
}

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kr-csv-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

/* Reads data as a CSV file with options o; returns the run's code. */
static int read_csv(seen *s, const char *data, size_t len, const kr_read_options *o, char *errmsg,
                    size_t errlen)
{
    memset(s, 0, sizeof *s);
    const char *path = write_file("in.csv", data, len);
    kr_reader *r = NULL;
    kr_read_handler h = {on_event, on_reject, NULL, s};
    int rc = kr_reader_open(&r, path, o);
    if (rc == KR_OK)
        rc = kr_reader_run(r, &h);
    if (errmsg)
        snprintf(errmsg, errlen, "%s", kr_reader_errmsg(r));
    kr_reader_free(r);
    return rc;
}

#define READ(s, text) read_csv((s), (text), sizeof(text) - 1, NULL, NULL, 0)

static void quotes_escapes_and_embedded_newlines(void **state)
{
    (void)state;
    seen s;
    assert_int_equal(READ(&s, "timestamp,user_id,event,note\n"
                              "2024-01-01,u1,\"say \"\"hoi\"\"\",\"a,b\"\n"
                              "2024-01-02,u1,\"two\nlines\",\"\"\n"
                              "2024-01-03,\"u2\",plain,\n"),
                     KR_OK);
    assert_int_equal(s.events, 3);
    assert_int_equal(s.rejects, 0);
    assert_string_equal(s.event[0], "say \"hoi\"");
    assert_string_equal(s.props[0], "note=a,b");
    assert_string_equal(s.event[1], "two\nlines");
    assert_string_equal(s.props[1], ""); /* empty values are no property */
    assert_string_equal(s.user[2], "u2");
    /* physical lines: the quoted newline moves the third record to line 5 */
    assert_int_equal(s.event_line[0], 2);
    assert_int_equal(s.event_line[1], 3);
    assert_int_equal(s.event_line[2], 5);
}

static void crlf_bom_and_no_final_newline(void **state)
{
    (void)state;
    seen s;
    assert_int_equal(READ(&s, "\xEF\xBB\xBFtimestamp,user_id,event\r\n"
                              "2024-01-01,u1,view\r\n"
                              "2024-01-02,u1,\"cart\r\nline\"\r\n"
                              "2024-01-03,u1,buy"),
                     KR_OK);
    assert_int_equal(s.events, 3);
    assert_string_equal(s.event[0], "view"); /* no \r kept */
    assert_string_equal(s.event[1], "cart\r\nline");
    assert_string_equal(s.event[2], "buy");
    assert_int_equal(s.event_line[2], 5);
}

static void delimiters_detected(void **state)
{
    (void)state;
    seen s;
    assert_int_equal(READ(&s, "timestamp;user_id;event;value\n2024-01-01;u1;buy;12,50\n"), KR_OK);
    assert_int_equal(s.events, 1);
    assert_int_equal(s.value[0], 1250);
    assert_int_equal(READ(&s, "timestamp\tuser_id\tevent\n2024-01-01\tu1\tview\n"), KR_OK);
    assert_int_equal(s.events, 1);
    assert_string_equal(s.event[0], "view");
    /* commas inside quotes do not count for detection */
    assert_int_equal(READ(&s, "\"a,b,c,d\";timestamp;user_id;event\nx;2024-01-01;u1;view\n"),
                     KR_OK);
    assert_int_equal(s.events, 1);
    assert_string_equal(s.props[0], "a,b,c,d=x");
    /* given explicitly */
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.delimiter = '|';
    assert_int_equal(read_csv(&s, "timestamp|user_id|event\n2024-01-01|u1|a,b\n", 41, &o, NULL, 0),
                     KR_OK);
    assert_int_equal(s.events, 1);
    assert_string_equal(s.event[0], "a,b");
}

static void rejected_rows_keep_their_line_and_the_rest_is_kept(void **state)
{
    (void)state;
    seen s;
    assert_int_equal(READ(&s, "timestamp,user_id,event,value,score,score_scale\n" /* 1 */
                              "2024-13-01,u1,view,,,\n"                           /* 2 */
                              "2024-01-01,u1,\"multi\n\nline\",,,\n"              /* 3-5 */
                              "2024-01-01,,view,,,\n"                             /* 6 */
                              "\n"                                                /* 7 */
                              "2024-01-01,u1,,,,\n"                               /* 8 */
                              "2024-01-01,u1,buy,12x,,\n"                         /* 9 */
                              "2024-01-01,u1,survey,,11,nps\n"                    /* 10 */
                              "2024-01-01,u1,survey,,4,\n"                        /* 11 */
                              "2024-01-01,u1,survey,,4,happy\n"                   /* 12 */
                              "2024-01-01,u1,view\n"                              /* 13 */
                              "2024-01-01,u1,survey,,9,NPS\n"),                   /* 14 */
                     KR_OK);
    assert_int_equal(s.events, 2);
    assert_int_equal(s.event_line[0], 3);
    assert_int_equal(s.event_line[1], 14);
    assert_int_equal(s.scale[1], KR_SCALE_NPS);
    assert_true(s.score[1] == 9.0);
    assert_int_equal(s.rejects, 8);
    const size_t lines[] = {2, 6, 8, 9, 10, 11, 12, 13};
    const char *fields[] = {"timestamp",   "", "event", "value", "score", "score_scale",
                            "score_scale", ""};
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(s.reject_line[i], lines[i]);
        assert_string_equal(s.reject_field[i], fields[i]);
    }
    assert_string_equal(s.reject_reason[0], "bad timestamp '2024-13-01'");
    assert_string_equal(s.reject_reason[1], "no anonymous_id or user_id");
    assert_string_equal(s.reject_reason[4], "score '11' out of range for nps (0..10)");
    assert_string_equal(s.reject_reason[7], "expected 6 fields, found 3");
}

static void header_map_and_properties(void **state)
{
    (void)state;
    seen s;
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.map = "timestamp=event_time,event=event_type,anonymous_id=user_session,value=price";
    static const char data[] = "event_time,event_type,price,user_id,user_session,brand\n"
                               "2019-10-01 00:00:00 UTC,view,35.79,541312140,72d7,shiseido\n";
    assert_int_equal(read_csv(&s, data, sizeof data - 1, &o, NULL, 0), KR_OK);
    assert_int_equal(s.events, 1);
    assert_string_equal(s.event[0], "view");
    assert_int_equal(s.value[0], 3579);
    assert_int_equal(s.time_ms[0], INT64_C(1569888000000));
    assert_string_equal(s.props[0], "brand=shiseido");

    /* A column that the header names like a mapped field becomes a property. */
    o.map = "event=kind";
    static const char data2[] = "timestamp,user_id,event,kind\n2024-01-01,u,old,new\n";
    assert_int_equal(read_csv(&s, data2, sizeof data2 - 1, &o, NULL, 0), KR_OK);
    assert_string_equal(s.event[0], "new");
    assert_string_equal(s.props[0], "event=old");

    char err[512];
    o.map = "timestamp=when";
    assert_int_equal(read_csv(&s, data2, sizeof data2 - 1, &o, err, sizeof err), KR_EINVAL);
    assert_non_null(strstr(err, "no column 'when'"));
    o.map = "colour=kind";
    assert_int_equal(read_csv(&s, data2, sizeof data2 - 1, &o, err, sizeof err), KR_EINVAL);
    assert_non_null(strstr(err, "'colour' is not a canonical field"));

    assert_int_equal(read_csv(&s, "user_id,event\nu,view\n", 21, NULL, err, sizeof err), KR_EINVAL);
    assert_non_null(strstr(err, "no timestamp column"));
}

static void empty_and_header_only(void **state)
{
    (void)state;
    seen s;
    assert_int_equal(read_csv(&s, "", 0, NULL, NULL, 0), KR_OK);
    assert_int_equal(s.events + s.rejects, 0);
    assert_int_equal(READ(&s, "timestamp,user_id,event\n"), KR_OK);
    assert_int_equal(s.events + s.rejects, 0);
}

static void unterminated_quote_is_rejected(void **state)
{
    (void)state;
    seen s;
    assert_int_equal(READ(&s, "timestamp,user_id,event\n2024-01-01,u1,view\n"
                              "2024-01-02,u1,\"open\nand never closed\n"),
                     KR_OK);
    assert_int_equal(s.events, 1);
    assert_int_equal(s.rejects, 1);
    assert_int_equal(s.reject_line[0], 3);
    assert_string_equal(s.reject_reason[0], "unterminated quoted field");
}

static void too_long_record_is_skipped_and_the_next_kept(void **state)
{
    (void)state;
    size_t big = KR_MAX_RECORD_LEN + 100;
    const char *head = "timestamp,user_id,event\n2024-01-01,u1,first\n2024-01-01,u1,";
    const char *tail = "\n2024-01-02,u1,after\n";
    size_t len = strlen(head) + big + strlen(tail);
    char *data = malloc(len);
    assert_non_null(data);
    memcpy(data, head, strlen(head));
    memset(data + strlen(head), 'x', big);
    memcpy(data + strlen(head) + big, tail, strlen(tail));
    seen s;
    assert_int_equal(read_csv(&s, data, len, NULL, NULL, 0), KR_OK);
    free(data);
    assert_int_equal(s.events, 2);
    assert_string_equal(s.event[1], "after");
    assert_int_equal(s.event_line[1], 4);
    assert_int_equal(s.rejects, 1);
    assert_int_equal(s.reject_line[0], 3);
    assert_string_equal(s.reject_reason[0], "record longer than 1 MiB");
}

static void records_across_the_buffer_boundary(void **state)
{
    (void)state;
    /* ~6 MiB of records, with quoted multi-line fields, so several refills cut records. */
    const char *header = "timestamp,user_id,event,note\n";
    size_t n = 60000, cap = 120 * n, len = strlen(header);
    char *data = malloc(cap);
    assert_non_null(data);
    memcpy(data, header, len);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(
            data + len, cap - len,
            "2024-01-01T00:00:00Z,u%06zu,\"ev\"\"%zu\",\"line one\nline two\"\n", i, i);
    seen s;
    memset(&s, 0, sizeof s);
    const char *path = write_file("big.csv", data, len);
    free(data);
    kr_reader *r;
    kr_read_handler h = {on_event, on_reject, NULL, &s};
    assert_int_equal(kr_reader_open(&r, path, NULL), KR_OK);
    assert_int_equal(kr_reader_run(r, &h), KR_OK);
    kr_reader_free(r);
    assert_int_equal(s.events, n);
    assert_int_equal(s.rejects, 0);
    assert_string_equal(s.event[63], "ev\"63");
    assert_int_equal(s.event_line[63], 2 + 63 * 2);
}

static void long_escaped_field_is_rejected_and_skipped(void **state)
{
    (void)state;
    /* A record of almost 1 MiB (kept), then a quoted field of 1.5 MiB full of "" escapes:
       rejected as too long with its line, and reading resumes after it (the skip must pair
       the escaped quotes). csv.c also bounds the unescaped copy itself, for a buffer that
       holds such a record whole. */
    const char *head = "timestamp,user_id,event\n2024-01-01,u1,";
    size_t first = KR_MAX_RECORD_LEN - 100, second = KR_MAX_RECORD_LEN + KR_MAX_RECORD_LEN / 2;
    size_t cap = strlen(head) + first + second + 200, len = 0;
    char *data = malloc(cap);
    assert_non_null(data);
    len += (size_t)snprintf(data, cap, "%s", head);
    memset(data + len, 'x', first);
    len += first;
    len += (size_t)snprintf(data + len, cap - len, "\n2024-01-02,u1,\"");
    for (size_t i = 0; i < second / 2; i++) {
        data[len++] = '"';
        data[len++] = '"';
    }
    len += (size_t)snprintf(data + len, cap - len, "\"\n2024-01-03,u1,last\n");
    seen s;
    assert_int_equal(read_csv(&s, data, len, NULL, NULL, 0), KR_OK);
    free(data);
    assert_int_equal(s.events, 2);
    assert_int_equal(s.event_line[1], 4);
    assert_string_equal(s.event[1], "last");
    assert_int_equal(s.rejects, 1);
    assert_int_equal(s.reject_line[0], 3);
    assert_string_equal(s.reject_reason[0], "record longer than 1 MiB");
}

static void too_many_fields(void **state)
{
    (void)state;
    size_t cap = 8 * KR_MAX_FIELDS;
    char *data = malloc(cap);
    assert_non_null(data);
    size_t len = (size_t)snprintf(data, cap, "timestamp,user_id,event\n");
    for (size_t i = 0; i < KR_MAX_FIELDS + 5; i++)
        data[len++] = ',';
    len += (size_t)snprintf(data + len, cap - len, "\n2024-01-01,u,ok\n");
    seen s;
    assert_int_equal(read_csv(&s, data, len, NULL, NULL, 0), KR_OK);
    free(data);
    assert_int_equal(s.rejects, 1);
    assert_int_equal(s.reject_line[0], 2);
    assert_int_equal(s.events, 1);
    assert_int_equal(s.event_line[0], 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quotes_escapes_and_embedded_newlines),
        cmocka_unit_test(crlf_bom_and_no_final_newline),
        cmocka_unit_test(delimiters_detected),
        cmocka_unit_test(rejected_rows_keep_their_line_and_the_rest_is_kept),
        cmocka_unit_test(header_map_and_properties),
        cmocka_unit_test(empty_and_header_only),
        cmocka_unit_test(unterminated_quote_is_rejected),
        cmocka_unit_test(too_long_record_is_skipped_and_the_next_kept),
        cmocka_unit_test(records_across_the_buffer_boundary),
        cmocka_unit_test(long_escaped_field_is_rejected_and_skipped),
        cmocka_unit_test(too_many_fields),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
