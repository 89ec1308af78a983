/*
 * test_csv.c - the CSV tokenizer (src/ingest/csv.c) on its own, over a kr__input reading a
 * temporary file: every RFC 4180 edge case, delimiter detection, bad records and how reading
 * resumes after them, and records cut by buffer refills (every split of a tricky input, and
 * records across the 4 MiB boundary of a 9 MB file).
 *
 * Records are compared as text dumps: "2:[a][b]" is a good record on line 2 with fields a and
 * b; "3!unterminated quoted field:<raw>" a bad one. Control bytes are shown as \n and \r.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/csv.h"

static char tmp_path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_path, sizeof tmp_path, "/tmp/kr-test-csv-XXXXXX");
    int fd = mkstemp(tmp_path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return unlink(tmp_path);
}

/* A growable text for dumps. */
typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void put_escaped(text *t, kr_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '\n')
            put(t, "\\n", 2);
        else if (s.ptr[i] == '\r')
            put(t, "\\r", 2);
        else
            put(t, s.ptr + i, 1);
    }
}

static void write_tmp(const char *data, size_t len)
{
    FILE *f = fopen(tmp_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* An input over the temporary file with a buffer of cap bytes to start with. */
static void input_open(kr__input *in, size_t cap)
{
    memset(in, 0, sizeof *in);
    in->fd = open(tmp_path, O_RDONLY);
    assert_true(in->fd >= 0);
    in->cap = cap;
    in->buf = malloc(cap);
    assert_non_null(in->buf);
}

static void input_close(kr__input *in)
{
    close(in->fd);
    free(in->buf);
}

/*
 * Tokenizes data with a starting buffer of cap bytes and returns the dump (caller frees).
 * raw_max limits how much of a bad record's raw bytes is shown. *delim_out gets the delimiter.
 */
static char *tokenize_cap(const char *data, size_t len, char delim, size_t cap, char *delim_out)
{
    write_tmp(data, len);
    kr__input in;
    input_open(&in, cap);
    kr__csv c;
    assert_int_equal(kr__csv_init(&c, &in, delim), KR_OK);
    kr__csv_record rec;
    text t = {NULL, 0, 0};
    put(&t, "", 0);
    int rc;
    char num[32];
    while ((rc = kr__csv_next(&c, &rec)) > 0) {
        /* raw is the record as in the file */
        assert_true(rec.raw.len <= KR_MAX_RECORD_LEN);
        snprintf(num, sizeof num, "%zu", rec.line);
        put(&t, num, strlen(num));
        if (rec.error) {
            put(&t, "!", 1);
            put(&t, rec.error, strlen(rec.error));
            put(&t, ":", 1);
            put_escaped(&t, (kr_str){rec.raw.ptr, rec.raw.len > 40 ? 40 : rec.raw.len});
        } else {
            put(&t, ":", 1);
            for (size_t i = 0; i < rec.count; i++) {
                put(&t, "[", 1);
                put_escaped(&t, rec.fields[i]);
                put(&t, "]", 1);
            }
        }
        put(&t, "\n", 1);
    }
    assert_int_equal(rc, 0);
    if (delim_out)
        *delim_out = kr__csv_delimiter(&c);
    kr__csv_finish(&c);
    input_close(&in);
    return t.p;
}

static char *tokenize(const char *data, char delim)
{
    return tokenize_cap(data, strlen(data), delim, KR_INPUT_BUF_START, NULL);
}

#define EXPECT(data, delim, want)                                                                  \
    do {                                                                                           \
        char *got_ = tokenize((data), (delim));                                                    \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void plain_records_and_last_line_without_newline(void **state)
{
    (void)state;
    EXPECT("a,b,c\n1,2,3\n", ',', "1:[a][b][c]\n2:[1][2][3]\n");
    EXPECT("a,b\n1,2", ',', "1:[a][b]\n2:[1][2]\n");
    EXPECT("", ',', "");
    EXPECT("x", ',', "1:[x]\n");
}

static void empty_fields(void **state)
{
    (void)state;
    EXPECT(",a,,b,\n", ',', "1:[][a][][b][]\n");
    EXPECT(",\n", ',', "1:[][]\n");
    EXPECT("\"\",\"\"\n", ',', "1:[][]\n");
    EXPECT("a,\n", ',', "1:[a][]\n");
    EXPECT("a,", ',', "1:[a][]\n");
}

static void quotes_and_escaped_quotes(void **state)
{
    (void)state;
    EXPECT("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n", ',', "1:[a,b][say \"hi\"][\"]\n");
    /* "" alone is an empty field; """""" is two quotes */
    EXPECT("\"\"\"\"\"\"\n", ',', "1:[\"\"]\n");
    /* a quote inside an unquoted field is a character */
    EXPECT("5\" screen,x\n", ',', "1:[5\" screen][x]\n");
    /* blanks after a closing quote are dropped, blanks before an opening one are text */
    EXPECT("\"a\"  ,b\n", ',', "1:[a][b]\n");
    EXPECT(" \"a\",b\n", ',', "1:[ \"a\"][b]\n");
    /* escaped fields in one record each keep their own text (one scratch buffer) */
    EXPECT("\"x\"\"1\",\"y\"\"2\",\"z\"\"3\"\n", ',', "1:[x\"1][y\"2][z\"3]\n");
}

static void line_breaks_inside_quotes_and_line_numbers(void **state)
{
    (void)state;
    EXPECT("h\n\"a\nb\"\nc\n", ',', "1:[h]\n2:[a\\nb]\n4:[c]\n");
    EXPECT("h\r\n\"a\r\nb\r\n\"\r\nc\r\n", ',', "1:[h]\n2:[a\\r\\nb\\r\\n]\n5:[c]\n");
    /* a lone CR inside quotes is a line break too */
    EXPECT("\"a\rb\"\nc\n", ',', "1:[a\\rb]\n3:[c]\n");
    EXPECT("\"\n\n\n\",x\ny\n", ',', "1:[\\n\\n\\n][x]\n5:[y]\n");
}

static void line_ends(void **state)
{
    (void)state;
    EXPECT("a,b\r\nc,d\r\n", ',', "1:[a][b]\n2:[c][d]\n");
    EXPECT("a,b\rc,d\r", ',', "1:[a][b]\n2:[c][d]\n"); /* old Mac */
    EXPECT("a\r\n\r\nb\n\nc", ',', "1:[a]\n2:[]\n3:[b]\n4:[]\n5:[c]\n");
    EXPECT("\"q\"\r\nx\n", ',', "1:[q]\n2:[x]\n");
}

static void byte_order_mark(void **state)
{
    (void)state;
    EXPECT("\xEF\xBB\xBF"
           "a;b\n1;2\n",
           0, "1:[a][b]\n2:[1][2]\n");
    EXPECT("\xEF\xBB\xBF", 0, "");
    /* only at the start */
    EXPECT("a\n\xEF\xBB\xBF"
           "b\n",
           ',',
           "1:[a]\n2:[\xEF\xBB\xBF"
           "b]\n");
}

static void delimiter_detection(void **state)
{
    (void)state;
    char d = 0;
    char *got = tokenize_cap("a,b;c,d\n1,2;3,4\n", 16, 0, 64, &d);
    assert_int_equal(d, ',');
    assert_string_equal(got, "1:[a][b;c][d]\n2:[1][2;3][4]\n");
    free(got);
    got = tokenize_cap("a;b;c,d\n", 8, 0, 64, &d);
    assert_int_equal(d, ';');
    assert_string_equal(got, "1:[a][b][c,d]\n");
    free(got);
    got = tokenize_cap("a\tb\tc;d\n1\t2\t3\n", 14, 0, 64, &d);
    assert_int_equal(d, '\t');
    assert_string_equal(got, "1:[a][b][c;d]\n2:[1][2][3]\n");
    free(got);
    /* delimiters inside quotes do not count */
    got = tokenize_cap("\"a,b,c\";d;e\n", 12, 0, 64, &d);
    assert_int_equal(d, ';');
    free(got);
    /* only the first line counts; a tie or none at all gives ',' */
    got = tokenize_cap("a;b,c\nx;y;z\n", 12, 0, 64, &d);
    assert_int_equal(d, ',');
    free(got);
    got = tokenize_cap("abc\n", 4, 0, 64, &d);
    assert_int_equal(d, ',');
    free(got);
    /* a given delimiter is used as given */
    EXPECT("a|b,c\n", '|', "1:[a][b,c]\n");
    kr__csv c;
    assert_int_equal(kr__csv_init(&c, NULL, '"'), KR_EINVAL);
    kr__csv_finish(&c);
}

static void text_after_closing_quote_is_a_bad_record(void **state)
{
    (void)state;
    EXPECT("\"a\"b,c\nd\n", ',', "1!unexpected text after a closing quote:\"a\"b,c\n2:[d]\n");
    /* the skip pairs quotes from the start of the record: the newline inside is no line end */
    EXPECT("\"a\"b,\"x\ny\"\nd\n", ',',
           "1!unexpected text after a closing quote:\"a\"b,\"x\\ny\"\n3:[d]\n");
}

static void unterminated_quote(void **state)
{
    (void)state;
    EXPECT("a\n\"b\nc\n", ',', "1:[a]\n2!unterminated quoted field:\"b\\nc\\n\n");
    EXPECT("a\n\"", ',', "1:[a]\n2!unterminated quoted field:\"\n");
    /* a closing quote as the very last byte is fine */
    EXPECT("a\n\"b\"", ',', "1:[a]\n2:[b]\n");
}

/* data = head + n times fill + tail, in a malloc'ed buffer. */
static char *build(const char *head, char fill, size_t n, const char *tail, size_t *len)
{
    size_t h = strlen(head), t = strlen(tail);
    char *d = malloc(h + n + t + 1);
    assert_non_null(d);
    memcpy(d, head, h);
    memset(d + h, fill, n);
    memcpy(d + h + n, tail, t + 1);
    *len = h + n + t;
    return d;
}

static void too_long_records_are_skipped_and_reading_goes_on(void **state)
{
    (void)state;
    size_t len;
    /* exactly KR_MAX_RECORD_LEN bytes is fine, one more is not */
    char *data = build("a\n", 'x', KR_MAX_RECORD_LEN, "\n", &len);
    char *got = tokenize_cap(data, len, ',', KR_INPUT_BUF_START, NULL);
    assert_int_equal(strlen(got), strlen("1:[a]\n2:[]\n") + KR_MAX_RECORD_LEN);
    free(got);
    free(data);

    data = build("a\n", 'x', KR_MAX_RECORD_LEN + 1, "\nb\n", &len);
    got = tokenize_cap(data, len, ',', KR_INPUT_BUF_START, NULL);
    assert_string_equal(got, "1:[a]\n2!record longer than 1048576 bytes:"
                             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n3:[b]\n");
    free(got);
    free(data);

    /* over-long and full of quoted line breaks: skipped up to the line end outside quotes */
    size_t n = KR_MAX_RECORD_LEN / 2 + 10;
    text t = {NULL, 0, 0};
    put(&t, "a\n\"", 3);
    for (size_t i = 0; i < n; i++)
        put(&t, i % 2 ? "\"\"" : "\n\n", 2);
    put(&t, "\",z\nb,c\n", 8);
    got = tokenize_cap(t.p, t.len, ',', KR_INPUT_BUF_START, NULL);
    text want = {NULL, 0, 0};
    put(&want, "1:[a]\n2!record longer than 1048576 bytes:", 41);
    put_escaped(&want, (kr_str){t.p + 2, 40});
    char tail[64];
    snprintf(tail, sizeof tail, "\n%zu:[b][c]\n", 2 + n + 1); /* n is even: n line breaks */
    put(&want, tail, strlen(tail));
    assert_string_equal(got, want.p);
    free(want.p);
    free(got);
    free(t.p);

    /* an over-long record at the end of the input, without a line end */
    data = build("a\n", 'y', KR_MAX_RECORD_LEN + 5, "", &len);
    got = tokenize_cap(data, len, ',', KR_INPUT_BUF_START, NULL);
    assert_string_equal(got, "1:[a]\n2!record longer than 1048576 bytes:"
                             "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n");
    free(got);
    free(data);
}

static void too_many_fields(void **state)
{
    (void)state;
    size_t len;
    char *data = build("", ',', KR_MAX_FIELDS - 1, "\n", &len);
    char *got = tokenize_cap(data, len, ',', 64, NULL);
    assert_int_equal(strlen(got), strlen("1:\n") + 2 * KR_MAX_FIELDS);
    free(got);
    free(data);

    data = build("h\n", ',', KR_MAX_FIELDS, "\"a\nb\"\nnext\n", &len);
    got = tokenize_cap(data, len, ',', 64, NULL);
    assert_string_equal(got, "1:[h]\n2!more than 1024 fields:,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"
                             ",,,,,,,\n4:[next]\n");
    free(got);
    free(data);
}

static const char tricky[] = "\xEF\xBB\xBFid,\"na,me\",note\r\n"
                             "1,\"a\"\"b\",\"multi\r\nline\"\r\n"
                             "\r\n"
                             "2,,\"\"\n"
                             "3,\"x\ry\",\"z\"  \n"
                             "\"a\"junk,\"q\nq\",w\n"
                             "4,5\" tall,\"\"\"\"\n"
                             "5,\"last\",\"open\n";

/* Every starting buffer size from 1 byte on: refills cut records everywhere. */
static void every_buffer_split_gives_the_same_records(void **state)
{
    (void)state;
    char *want = tokenize_cap(tricky, sizeof tricky - 1, 0, KR_INPUT_BUF_START, NULL);
    assert_string_equal(want, "1:[id][na,me][note]\n"
                              "2:[1][a\"b][multi\\r\\nline]\n"
                              "4:[]\n"
                              "5:[2][][]\n"
                              "6:[3][x\\ry][z]\n"
                              "8!unexpected text after a closing quote:\"a\"junk,\"q\\nq\",w\n"
                              "10:[4][5\" tall][\"]\n"
                              "11!unterminated quoted field:5,\"last\",\"open\\n\n");
    for (size_t cap = 1; cap <= sizeof tricky + 1; cap++) {
        char *got = tokenize_cap(tricky, sizeof tricky - 1, 0, cap, NULL);
        if (strcmp(got, want) != 0)
            fail_msg("buffer of %zu bytes:\n%s", cap, got);
        free(got);
    }
    free(want);
}

/*
 * A 9 MB file read with the largest buffer: records of many lengths, quoted line breaks and
 * escapes, and one record of exactly KR_MAX_RECORD_LEN bytes, so that the 4 MiB boundary
 * cuts records, fields, "" pairs and CRLFs. Checked field by field against the generator.
 */
static size_t gen_record(char *out, size_t i)
{
    /* fields: i, a run of i % 97 letters, a quoted field with "" and a CRLF every 5th record */
    size_t n = (size_t)snprintf(out, 32, "%zu,", i);
    memset(out + n, 'a' + (int)(i % 26), i % 97);
    n += i % 97;
    n += (size_t)snprintf(out + n, 64, ",\"q\"\"%zu%s\"\r\n", i, i % 5 == 0 ? "\r\nx" : "");
    return n;
}

static void records_across_the_4_mib_boundary(void **state)
{
    (void)state;
    text t = {NULL, 0, 0};
    char rec[256];
    size_t count = 0;
    while (t.len < 9000000) {
        if (count == 30000) { /* one record of exactly the limit, wherever it lands */
            put(&t, "big,", 4);
            size_t fill = KR_MAX_RECORD_LEN - 4 - 2;
            char *x = malloc(fill);
            assert_non_null(x);
            memset(x, 'b', fill);
            put(&t, x, fill);
            free(x);
            put(&t, ",z\r\n", 4);
        } else {
            put(&t, rec, gen_record(rec, count));
        }
        count++;
    }
    write_tmp(t.p, t.len);
    kr__input in;
    input_open(&in, KR_INPUT_BUF_CAP);
    kr__csv c;
    assert_int_equal(kr__csv_init(&c, &in, ','), KR_OK);
    kr__csv_record r;
    size_t i = 0, line = 1;
    char want[256];
    while (kr__csv_next(&c, &r) > 0) {
        assert_null(r.error);
        assert_int_equal(r.line, line);
        assert_int_equal(r.count, 3);
        if (i == 30000) {
            assert_int_equal(r.raw.len, KR_MAX_RECORD_LEN);
            assert_int_equal(r.fields[1].len, KR_MAX_RECORD_LEN - 6);
            line++;
        } else {
            size_t n = gen_record(want, i);
            assert_int_equal(r.raw.len, n - 2); /* without CRLF */
            assert_memory_equal(r.raw.ptr, want, n - 2);
            int m = snprintf(want, sizeof want, "q\"%zu%s", i, i % 5 == 0 ? "\r\nx" : "");
            assert_int_equal(r.fields[2].len, (size_t)m);
            assert_memory_equal(r.fields[2].ptr, want, (size_t)m);
            assert_int_equal(r.fields[1].len, i % 97);
            line += i % 5 == 0 ? 2 : 1;
        }
        i++;
    }
    assert_int_equal(i, count);
    assert_true(in.consumed > KR_INPUT_BUF_CAP); /* the buffer really was refilled */
    kr__csv_finish(&c);
    input_close(&in);
    free(t.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_records_and_last_line_without_newline),
        cmocka_unit_test(empty_fields),
        cmocka_unit_test(quotes_and_escaped_quotes),
        cmocka_unit_test(line_breaks_inside_quotes_and_line_numbers),
        cmocka_unit_test(line_ends),
        cmocka_unit_test(byte_order_mark),
        cmocka_unit_test(delimiter_detection),
        cmocka_unit_test(text_after_closing_quote_is_a_bad_record),
        cmocka_unit_test(unterminated_quote),
        cmocka_unit_test(too_long_records_are_skipped_and_reading_goes_on),
        cmocka_unit_test(too_many_fields),
        cmocka_unit_test(every_buffer_split_gives_the_same_records),
        cmocka_unit_test(records_across_the_4_mib_boundary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
