/*
 * test_csv_events.c - CSV files into events through the public kr_reader API, on small files
 * written to a temporary folder: exact line numbers of rejected rows (also after multi-line
 * quoted fields), the header and --map, properties, Dutch money, score scales, event types,
 * every timestamp form, the file-level errors, and stopping.
 *
 * What the handlers see is recorded as one line of text per event or rejected row, e.g.
 * "2 t=1709283600000 u=c1 e=view v=1250" and "3 timestamp: bad timestamp '2024-13-01'".
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

typedef struct seen {
    char out[65536];
    size_t len;
    size_t events, rejects, progress;
    int stop_after; /* on_event returns KR_ESTOP after this many events (0: never) */
} seen;

static void add(seen *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(seen *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->out + s->len, sizeof s->out - s->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof s->out - s->len);
    s->len += (size_t)n;
}

static void add_str(seen *s, const char *key, kr_str v)
{
    if (v.len)
        add(s, " %s=%.*s", key, (int)v.len, v.ptr);
}

static int on_event(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    seen *s = payload;
    assert_non_null(raw.ptr);
    add(s, "%zu t=%lld", line, (long long)ev->time_ms);
    if (ev->type != KR_TYPE_TRACK)
        add(s, " type=%s", kr_event_type_name(ev->type));
    add_str(s, "a", ev->anonymous_id);
    add_str(s, "u", ev->user_id);
    add_str(s, "p", ev->previous_id);
    add_str(s, "acc", ev->account_id);
    add_str(s, "id", ev->event_id);
    add_str(s, "e", ev->event);
    add_str(s, "c", ev->channel);
    add_str(s, "d", ev->device);
    if (ev->has_value)
        add(s, " v=%lld", (long long)ev->value_cents);
    if (ev->has_score)
        add(s, " s=%g/%s", ev->score, kr_score_scale_name(ev->score_scale));
    for (size_t i = 0; i < ev->prop_count; i++)
        add(s, " [%.*s=%.*s]", (int)ev->props[i].key.len, ev->props[i].key.ptr,
            (int)ev->props[i].value.len, ev->props[i].value.ptr);
    add(s, "\n");
    s->events++;
    return s->stop_after && (int)s->events >= s->stop_after ? KR_ESTOP : KR_OK;
}

static void on_reject(const kr_reject *rej, void *payload)
{
    seen *s = payload;
    assert_non_null(rej->file);
    add(s, "%zu %s%s%s\n", rej->line, rej->field ? rej->field : "", rej->field ? ": " : "",
        rej->reason);
    s->rejects++;
}

static void on_progress(uint64_t done, uint64_t total, void *payload)
{
    seen *s = payload;
    assert_true(done <= total);
    s->progress++;
}

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kr-csv-events-XXXXXX");
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
    assert_int_equal(fclose(f), 0);
    return path;
}

static char errmsg[512];

/* Reads data as the CSV file "in.csv" with options o (NULL: defaults); returns the code. */
static int read_len(seen *s, const char *data, size_t len, const kr_read_options *o)
{
    int stop_after = s->stop_after;
    memset(s, 0, sizeof *s);
    s->stop_after = stop_after;
    const char *path = write_file("in.csv", data, len);
    static const kr_read_options defaults = KR_READ_OPTIONS_INIT;
    kr_read_options named = o ? *o : defaults;
    named.name = "in.csv"; /* messages start with the name, not the temporary path */
    kr_reader *r = NULL;
    kr_read_handler h = {on_event, on_reject, on_progress, s};
    int rc = kr_reader_open(&r, path, &named);
    if (rc == KR_OK)
        rc = kr_reader_run(r, &h);
    snprintf(errmsg, sizeof errmsg, "%s", kr_reader_errmsg(r));
    kr_reader_free(r);
    return rc;
}

static int read_text(seen *s, const char *data, const kr_read_options *o)
{
    return read_len(s, data, strlen(data), o);
}

#define EXPECT(data, opts, want)                                                                   \
    do {                                                                                           \
        seen s_ = {.stop_after = 0};                                                               \
        assert_int_equal(read_text(&s_, (data), (opts)), KR_OK);                                   \
        assert_string_equal(s_.out, (want));                                                       \
    } while (0)

static void quotes_escapes_and_line_numbers(void **state)
{
    (void)state;
    EXPECT("timestamp,user_id,event,note\n"                 /* 1 */
           "2024-01-01,u1,\"say \"\"hoi\"\"\",\"a,b\"\n"    /* 2 */
           "2024-01-02,u1,\"two\nlines\",\"\"\n"            /* 3-4 */
           "2024-01-03,\"u2\",plain,\n"                     /* 5 */
           "2024-13-03,u2,bad,\n"                           /* 6 */
           "2024-01-04,u2,\"three\r\nmore\r\nlines\",x\r\n" /* 7-9 */
           "2024-01-05,u2\n",                               /* 10 */
           NULL,
           "2 t=1704067200000 u=u1 e=say \"hoi\" [note=a,b]\n"
           "3 t=1704153600000 u=u1 e=two\nlines\n"
           "5 t=1704240000000 u=u2 e=plain\n"
           "6 timestamp: bad timestamp '2024-13-03'\n"
           "7 t=1704326400000 u=u2 e=three\r\nmore\r\nlines [note=x]\n"
           "10 expected 4 fields, found 2\n");
}

static void bom_crlf_blank_lines_and_no_final_newline(void **state)
{
    (void)state;
    seen s = {.stop_after = 0};
    /* a byte-order mark counts only as the very first bytes: here it is part of a name */
    assert_int_equal(read_text(&s, "\r\n\xEF\xBB\xBFtimestamp,user_id,event\r\n", NULL), KR_EINVAL);
    EXPECT("\xEF\xBB\xBF", NULL, "");
    EXPECT("\xEF\xBB\xBFtimestamp,user_id,event\r\n" /* 1 */
           "2024-01-01,u1,view\r\n"                  /* 2 */
           "\r\n"                                    /* 3: blank */
           ",,\r\n"                                  /* 4: only delimiters: blank too */
           "2024-01-03,u1,buy",                      /* 5 */
           NULL,
           "2 t=1704067200000 u=u1 e=view\n"
           "5 t=1704240000000 u=u1 e=buy\n");
    /* blank lines before the header are skipped */
    EXPECT("\n\ntimestamp,user_id,event\n2024-01-01,u1,view\n", NULL,
           "4 t=1704067200000 u=u1 e=view\n");
}

static void delimiters(void **state)
{
    (void)state;
    EXPECT("timestamp;user_id;event;value\n2024-01-01;u1;buy;12,50\n", NULL,
           "2 t=1704067200000 u=u1 e=buy v=1250\n");
    EXPECT("timestamp\tuser_id\tevent\tvalue\n2024-01-01\tu1\tview\t1,234.50\n", NULL,
           "2 t=1704067200000 u=u1 e=view v=123450\n");
    /* delimiters inside quotes do not count for detection */
    EXPECT("\"a,b,c,d\";timestamp;user_id;event\nx;2024-01-01;u1;view\n", NULL,
           "2 t=1704067200000 u=u1 e=view [a,b,c,d=x]\n");
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.delimiter = '|';
    EXPECT("timestamp|user_id|event\n2024-01-01|u1|a,b\n", &o, "2 t=1704067200000 u=u1 e=a,b\n");
    o.delimiter = '"';
    seen s = {.stop_after = 0};
    assert_int_equal(read_text(&s, "timestamp\n", &o), KR_EINVAL);
    assert_non_null(strstr(errmsg, "cannot be the delimiter"));
}

static void header_names_and_properties(void **state)
{
    (void)state;
    /* canonical names in any case and with blanks; other columns are properties (empty values
       left out), in column order; an empty header name becomes column<N> */
    EXPECT(",  Timestamp , USER_ID,Event,brand,size\n"
           "0,2024-01-01,u1,view,acme,\n"
           "1,2024-01-01,u1,view,,XL\n",
           NULL,
           "2 t=1704067200000 u=u1 e=view [column1=0] [brand=acme]\n"
           "3 t=1704067200000 u=u1 e=view [column1=1] [size=XL]\n");
    /* a canonical name twice: the first column is the field, the second a property */
    EXPECT("timestamp,user_id,event,event\n2024-01-01,u1,first,second\n", NULL,
           "2 t=1704067200000 u=u1 e=first [event=second]\n");
    /* identity, name, channel and device fields are trimmed; case is kept */
    EXPECT("timestamp,anonymous_id,user_id,account_id,event,channel,device,event_id\n"
           "2024-01-01, a1 ,\tu1\t, acme , Page View , Email , Mobile , e-1 \n",
           NULL, "2 t=1704067200000 a=a1 u=u1 acc=acme id=e-1 e=Page View c=Email d=Mobile\n");
    /* more than 256 non-empty properties */
    char data[8192];
    size_t n = (size_t)snprintf(data, sizeof data, "timestamp,user_id,event");
    for (int i = 0; i < 257; i++)
        n += (size_t)snprintf(data + n, sizeof data - n, ",p%d", i);
    n += (size_t)snprintf(data + n, sizeof data - n, "\n2024-01-01,u,e");
    for (int i = 0; i < 257; i++)
        n += (size_t)snprintf(data + n, sizeof data - n, ",x");
    n += (size_t)snprintf(data + n, sizeof data - n, "\n2024-01-01,u,e");
    for (int i = 0; i < 257; i++)
        n += (size_t)snprintf(data + n, sizeof data - n, i ? ",x" : ",");
    snprintf(data + n, sizeof data - n, "\n");
    seen s = {.stop_after = 0};
    assert_int_equal(read_text(&s, data, NULL), KR_OK);
    assert_int_equal(s.rejects, 1);
    assert_int_equal(s.events, 1);
    assert_non_null(strstr(s.out, "2 more than 256 properties\n3 t=1704067200000 u=u e=e [p1=x]"));
}

static void column_map(void **state)
{
    (void)state;
    kr_read_options o = KR_READ_OPTIONS_INIT;
    /* REES46, as the README maps it */
    o.map = "timestamp=event_time,event=event_type,anonymous_id=user_session,value=price";
    EXPECT("event_time,event_type,price,user_id,user_session,brand\n"
           "2019-10-01 00:00:00 UTC,view,35.79,541312140,72d7,shiseido\n",
           &o, "2 t=1569888000000 a=72d7 u=541312140 e=view v=3579 [brand=shiseido]\n");
    /* map entries override the header's own names: that column becomes a property; blanks
       around entries and a case-insensitive column name are fine */
    o.map = " event = KIND ,, ";
    EXPECT("timestamp,user_id,event,kind\n2024-01-01,u,old,new\n", &o,
           "2 t=1704067200000 u=u e=new [event=old]\n");
    /* the exact name wins over a case-insensitive one */
    o.map = "event=Kind";
    EXPECT("timestamp,user_id,kind,Kind\n2024-01-01,u,lower,upper\n", &o,
           "2 t=1704067200000 u=u e=upper [kind=lower]\n");

    seen s = {.stop_after = 0};
    const char *data = "timestamp,user_id,event,kind\n2024-01-01,u,old,new\n";
    struct {
        const char *map, *message;
    } bad[] = {
        {"timestamp=when", "in.csv: --map timestamp=when: no column 'when' in the header"},
        {"colour=kind", "in.csv: --map: 'colour' is not a canonical field (timestamp, "},
        {"event", "in.csv: --map: 'event' is not canonical=column"},
        {"event=kind,event=user_id", "in.csv: --map: event mapped twice"},
        {"event=kind,channel=kind", "in.csv: --map: column 'kind' mapped twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.map = bad[i].map;
        assert_int_equal(read_text(&s, data, &o), KR_EINVAL);
        if (strncmp(errmsg, bad[i].message, strlen(bad[i].message)) != 0)
            fail_msg("--map %s: '%s'", bad[i].map, errmsg);
        assert_int_equal(s.events + s.rejects, 0);
    }
    assert_int_equal(read_text(&s, "user_id,event\nu,view\n", NULL), KR_EINVAL);
    assert_string_equal(errmsg,
                        "in.csv: no timestamp column (map one with --map timestamp=COLUMN)");
    /* mapping the timestamp away leaves none */
    o.map = "event=timestamp";
    assert_int_equal(read_text(&s, data, &o), KR_EINVAL);
    assert_non_null(strstr(errmsg, "no timestamp column"));
}

static void rejected_rows_keep_their_physical_line(void **state)
{
    (void)state;
    EXPECT("timestamp,user_id,event,value,score,score_scale,type\n" /* 1 */
           "2024-13-01,u1,view,,,,\n"                               /* 2 */
           "2024-01-01,u1,\"multi\n\nline\",,,,\n"                  /* 3-5 */
           "2024-01-01,,view,,,,\n"                                 /* 6 */
           "\n"                                                     /* 7 */
           ",u1,view,,,,\n"                                         /* 8 */
           "2024-01-01,u1,,,,,\n"                                   /* 9 */
           "2024-01-01,u1,buy,12x,,,\n"                             /* 10 */
           "2024-01-01,u1,\"a\nb\",\"99999999999999999999\",,,\n"   /* 11-12 */
           "2024-01-01,u1,survey,,11,nps,\n"                        /* 13 */
           "2024-01-01,u1,survey,,4,,\n"                            /* 14 */
           "2024-01-01,u1,survey,,4,happy,\n"                       /* 15 */
           "2024-01-01,u1,survey,,four,csat,\n"                     /* 16 */
           "2024-01-01,u1,x,,,,purchase\n"                          /* 17 */
           "2024-01-01,u1,x,,,,alias\n"                             /* 18 */
           "2024-01-01,u1,x,,,,group\n"                             /* 19 */
           "2024-01-01,u1,view\n"                                   /* 20 */
           "2024-01-01,u1,survey,,9,NPS,\n",                        /* 21 */
           NULL,
           "2 timestamp: bad timestamp '2024-13-01'\n"
           "3 t=1704067200000 u=u1 e=multi\n\nline\n"
           "6 no anonymous_id or user_id\n"
           "8 timestamp: missing timestamp\n"
           "9 event: missing event name\n"
           "10 value: bad value '12x'\n"
           "11 value: value too large '99999999999999999999'\n"
           "13 score: score 11 out of range for nps (0..10)\n"
           "14 score_scale: score without score_scale (csat, nps, ces or emotion)\n"
           "15 score_scale: unknown score_scale (csat, nps, ces, emotion): 'happy'\n"
           "16 score: bad score 'four'\n"
           "17 type: unknown type (track, identify, page, screen, alias, group): 'purchase'\n"
           "18 previous_id: alias without previous_id\n"
           "19 account_id: group without account_id\n"
           "20 expected 7 fields, found 3\n"
           "21 t=1704067200000 u=u1 e=survey s=9/nps\n");
}

static void reasons_quote_at_most_40_bytes_on_one_line(void **state)
{
    (void)state;
    EXPECT("timestamp,user_id,event\n"
           "\"2024-01-01 \x01\x7f\",u,e\n"
           "\"2024-\n01\",u,e\n"
           "x12345678901234567890123456789012345678\xC3\xA9tc,u,e\n",
           NULL,
           "2 timestamp: bad timestamp '2024-01-01 \\x01\\x7f'\n"
           "3 timestamp: bad timestamp '2024-\\n01'\n"
           /* cut at 40 bytes, but not inside the two bytes of the e-acute */
           "5 timestamp: bad timestamp 'x12345678901234567890123456789012345678...'\n");
}

static void bad_records_from_the_tokenizer(void **state)
{
    (void)state;
    EXPECT("timestamp,user_id,event\n"                 /* 1 */
           "2024-01-01,u1,\"a\"b\n"                    /* 2 */
           "2024-01-02,u1,ok\n"                        /* 3 */
           "2024-01-02,u1,\"open\nand never closed\n", /* 4-5 */
           NULL,
           "2 unexpected text after a closing quote\n"
           "3 t=1704153600000 u=u1 e=ok\n"
           "4 unterminated quoted field\n");

    /* too long: rejected whole, with its line, and the next record is read */
    size_t big = KR_MAX_RECORD_LEN + 100;
    const char *head = "timestamp,user_id,event\n2024-01-01,u1,first\n2024-01-01,u1,\"";
    const char *tail = "\"\n2024-01-02,u1,after\n";
    size_t len = strlen(head) + big + strlen(tail);
    char *data = malloc(len);
    assert_non_null(data);
    memcpy(data, head, strlen(head));
    for (size_t i = 0; i < big; i++)
        data[strlen(head) + i] = i % 1000 == 999 ? '\n' : 'x';
    memcpy(data + strlen(head) + big, tail, strlen(tail));
    seen *s = calloc(1, sizeof *s);
    assert_non_null(s);
    assert_int_equal(read_len(s, data, len, NULL), KR_OK);
    free(data);
    assert_string_equal(s->out,
                        "2 t=1704067200000 u=u1 e=first\n"
                        "3 record longer than 1048576 bytes\n"
                        "1052 t=1704153600000 u=u1 e=after\n"); /* 3 + 1048 line breaks + 1 */

    /* too many fields */
    size_t cap = 8 * KR_MAX_FIELDS;
    data = malloc(cap);
    assert_non_null(data);
    len = (size_t)snprintf(data, cap, "timestamp,user_id,event\n");
    for (size_t i = 0; i < KR_MAX_FIELDS + 5; i++)
        data[len++] = ',';
    len += (size_t)snprintf(data + len, cap - len, "x\n2024-01-01,u,ok\n");
    assert_int_equal(read_len(s, data, len, NULL), KR_OK);
    free(data);
    assert_string_equal(s->out, "2 more than 1024 fields\n3 t=1704067200000 u=u e=ok\n");
    free(s);
}

static void money_values(void **state)
{
    (void)state;
    EXPECT("timestamp;user_id;event;value\n"
           "2024-01-01;u;buy;12,50\n"
           "2024-01-01;u;buy;\xE2\x82\xAC 1.234,50\n"
           "2024-01-01;u;buy;12,-\n"
           "2024-01-01;u;refund;-3\n"
           "2024-01-01;u;buy;1,234.50\n"
           "2024-01-01;u;buy;12.500\n",
           NULL,
           "2 t=1704067200000 u=u e=buy v=1250\n"
           "3 t=1704067200000 u=u e=buy v=123450\n"
           "4 t=1704067200000 u=u e=buy v=1200\n"
           "5 t=1704067200000 u=u e=refund v=-300\n"
           "6 t=1704067200000 u=u e=buy v=123450\n"
           "7 t=1704067200000 u=u e=buy v=1250\n");
    /* --decimal , : a dot separates thousands */
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.decimal = ',';
    EXPECT("timestamp;user_id;event;value\n"
           "2024-01-01;u;buy;12.500\n"
           "2024-01-01;u;buy;12.50\n",
           &o,
           "2 t=1704067200000 u=u e=buy v=1250000\n"
           "3 value: bad value '12.50'\n");
}

static void score_scales(void **state)
{
    (void)state;
    EXPECT("timestamp,user_id,event,score,score_scale\n"
           "2024-01-01,u,s,5,csat\n"
           "2024-01-01,u,s,0,NPS\n"
           "2024-01-01,u,s,7,Ces\n"
           "2024-01-01,u,s,-2,emotion\n"
           "2024-01-01,u,s,+2,EMOTION\n"
           "2024-01-01,u,s,\"4,5\",csat\n"
           "2024-01-01,u,s,0,csat\n"
           "2024-01-01,u,s,6,csat\n"
           "2024-01-01,u,s,8,ces\n"
           "2024-01-01,u,s,-3,emotion\n"
           "2024-01-01,u,s,10.5,nps\n"
           "2024-01-01,u,s,,csat\n"
           "2024-01-01,u,s,,nope\n",
           NULL,
           "2 t=1704067200000 u=u e=s s=5/csat\n"
           "3 t=1704067200000 u=u e=s s=0/nps\n"
           "4 t=1704067200000 u=u e=s s=7/ces\n"
           "5 t=1704067200000 u=u e=s s=-2/emotion\n"
           "6 t=1704067200000 u=u e=s s=2/emotion\n"
           "7 t=1704067200000 u=u e=s s=4.5/csat\n"
           "8 score: score 0 out of range for csat (1..5)\n"
           "9 score: score 6 out of range for csat (1..5)\n"
           "10 score: score 8 out of range for ces (1..7)\n"
           "11 score: score -3 out of range for emotion (-2..2)\n"
           "12 score: score 10.5 out of range for nps (0..10)\n"
           "13 t=1704067200000 u=u e=s\n"
           "14 score_scale: unknown score_scale (csat, nps, ces, emotion): 'nope'\n");
    /* a default scale for scores without one; an explicit one still wins */
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.default_scale = KR_SCALE_NPS;
    EXPECT("timestamp,user_id,event,score,score_scale\n"
           "2024-01-01,u,s,9,\n"
           "2024-01-01,u,s,9,csat\n",
           &o,
           "2 t=1704067200000 u=u e=s s=9/nps\n"
           "3 score: score 9 out of range for csat (1..5)\n");
}

static void event_types(void **state)
{
    (void)state;
    EXPECT("timestamp,type,anonymous_id,user_id,previous_id,account_id,event\n"
           "2024-01-01,identify,a1,u1,,,\n"
           "2024-01-01,PAGE,a1,,,,Home\n"
           "2024-01-01,screen,a1,,,,\n"
           "2024-01-01,alias,,u1,a1,,\n"
           "2024-01-01,group,,u1,,acme,\n"
           "2024-01-01,track,a1,,,,\n"
           "2024-01-01,,a1,,,,click\n",
           NULL,
           "2 t=1704067200000 type=identify a=a1 u=u1 e=identify\n"
           "3 t=1704067200000 type=page a=a1 e=Home\n"
           "4 t=1704067200000 type=screen a=a1 e=screen\n"
           "5 t=1704067200000 type=alias u=u1 p=a1 e=alias\n"
           "6 t=1704067200000 type=group u=u1 acc=acme e=group\n"
           "7 event: missing event name\n"
           "8 t=1704067200000 a=a1 e=click\n");
}

static void timestamp_forms(void **state)
{
    (void)state;
    const char *data = "timestamp,user_id,event\n"
                       "2024-03-01T10:00:00+01:00,u,iso\n"
                       "2024-03-01T09:00:00Z,u,zulu\n"
                       "2024-03-01T09:00:00.250Z,u,millis\n"
                       "2017-01-28T14:06:53-0500,u,dunnhumby\n"
                       "2019-10-01 00:00:00 UTC,u,rees46\n"
                       "2024-03-01 10:00:00,u,local\n"
                       "2024-03-01 10:00,u,local-minutes\n"
                       "2024-03-01,u,date\n"
                       "1511544070,u,seconds\n"
                       "1709283600123,u,millis\n"
                       "19970101,u,cdnow\n"
                       "\" 2024-03-01T09:00:00Z \",u,blanks\n";
    EXPECT(data, NULL,
           "2 t=1709283600000 u=u e=iso\n"
           "3 t=1709283600000 u=u e=zulu\n"
           "4 t=1709283600250 u=u e=millis\n"
           "5 t=1485630413000 u=u e=dunnhumby\n"
           "6 t=1569888000000 u=u e=rees46\n"
           "7 t=1709287200000 u=u e=local\n"
           "8 t=1709287200000 u=u e=local-minutes\n"
           "9 t=1709251200000 u=u e=date\n"
           "10 t=1511544070000 u=u e=seconds\n"
           "11 t=1709283600123 u=u e=millis\n"
           "12 t=852076800000 u=u e=cdnow\n"
           "13 t=1709283600000 u=u e=blanks\n");
    /* with --tz Europe/Amsterdam, only the forms without an offset move */
    kr_tz *tz;
    assert_int_equal(kr_tz_open(&tz, "Europe/Amsterdam"), KR_OK);
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.tz = tz;
    EXPECT(data, &o,
           "2 t=1709283600000 u=u e=iso\n"
           "3 t=1709283600000 u=u e=zulu\n"
           "4 t=1709283600250 u=u e=millis\n"
           "5 t=1485630413000 u=u e=dunnhumby\n"
           "6 t=1569888000000 u=u e=rees46\n"
           "7 t=1709283600000 u=u e=local\n"
           "8 t=1709283600000 u=u e=local-minutes\n"
           "9 t=1709247600000 u=u e=date\n"
           "10 t=1511544070000 u=u e=seconds\n"
           "11 t=1709283600123 u=u e=millis\n"
           "12 t=852073200000 u=u e=cdnow\n"
           "13 t=1709283600000 u=u e=blanks\n");
    kr_tz_free(tz);
}

static void empty_files(void **state)
{
    (void)state;
    EXPECT("", NULL, "");
    EXPECT("\n\r\n\n", NULL, "");
    EXPECT("timestamp,user_id,event\n", NULL, "");
    EXPECT("timestamp,user_id,event", NULL, "");
    /* a header that is a bad record is an error for the file */
    seen s = {.stop_after = 0};
    assert_int_equal(read_text(&s, "\"timestamp,user_id\n", NULL), KR_EPARSE);
    assert_string_equal(errmsg, "in.csv: line 1: bad header: unterminated quoted field");
}

static void raw_bytes_and_stopping(void **state)
{
    (void)state;
    seen s = {.stop_after = 2};
    assert_int_equal(read_text(&s,
                               "timestamp,user_id,event\n2024-01-01,u,a\n2024-01-01,u,b\n"
                               "2024-01-01,u,c\n",
                               NULL),
                     KR_ESTOP);
    assert_int_equal(s.events, 2);
    assert_non_null(strstr(errmsg, "line 3"));
}

static int check_raw(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    (void)ev;
    (void)payload;
    static const char *const want[] = {"", "", "2024-01-01,u,\"a,\"\"b\"\"\"",
                                       "2024-01-01,u,\"c\r\nd\""};
    assert_true(line == 2 || line == 3);
    assert_int_equal(raw.len, strlen(want[line]));
    assert_memory_equal(raw.ptr, want[line], raw.len);
    return KR_OK;
}

static void raw_is_the_record_as_in_the_file(void **state)
{
    (void)state;
    const char *data = "timestamp,user_id,event\r\n2024-01-01,u,\"a,\"\"b\"\"\"\r\n"
                       "2024-01-01,u,\"c\r\nd\"\r\n";
    const char *path = write_file("raw.csv", data, strlen(data));
    kr_reader *r;
    kr_read_handler h = {check_raw, NULL, NULL, NULL};
    assert_int_equal(kr_reader_open(&r, path, NULL), KR_OK);
    assert_int_equal(kr_reader_run(r, &h), KR_OK);
    assert_int_equal(kr_reader_format(r), KR_FORMAT_CSV);
    kr_reader_free(r);
}

static void progress_every_8_mb(void **state)
{
    (void)state;
    const char *row = "2024-01-01T00:00:00Z,user-0000001,page_view,some property text here\n";
    size_t rows = 20u * 1000 * 1000 / strlen(row);
    size_t len = strlen("timestamp,user_id,event,note\n") + rows * strlen(row);
    char *data = malloc(len);
    assert_non_null(data);
    size_t n = (size_t)snprintf(data, len, "timestamp,user_id,event,note\n");
    for (size_t i = 0; i < rows; i++, n += strlen(row))
        memcpy(data + n, row, strlen(row));
    const char *path = write_file("big.csv", data, len);
    free(data);
    seen *s = calloc(1, sizeof *s);
    assert_non_null(s);
    kr_reader *r;
    kr_read_handler h = {NULL, on_reject, on_progress, s};
    assert_int_equal(kr_reader_open(&r, path, NULL), KR_OK);
    assert_int_equal(kr_reader_run(r, &h), KR_OK);
    kr_reader_free(r);
    /* 20 MB: at 8 and 16 MB, and once at the end */
    assert_int_equal(s->progress, 3);
    assert_int_equal(s->rejects, 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quotes_escapes_and_line_numbers),
        cmocka_unit_test(bom_crlf_blank_lines_and_no_final_newline),
        cmocka_unit_test(delimiters),
        cmocka_unit_test(header_names_and_properties),
        cmocka_unit_test(column_map),
        cmocka_unit_test(rejected_rows_keep_their_physical_line),
        cmocka_unit_test(reasons_quote_at_most_40_bytes_on_one_line),
        cmocka_unit_test(bad_records_from_the_tokenizer),
        cmocka_unit_test(money_values),
        cmocka_unit_test(score_scales),
        cmocka_unit_test(event_types),
        cmocka_unit_test(timestamp_forms),
        cmocka_unit_test(empty_files),
        cmocka_unit_test(raw_bytes_and_stopping),
        cmocka_unit_test(raw_is_the_record_as_in_the_file),
        cmocka_unit_test(progress_every_8_mb),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
