/*
 * csv_fuzzer.c - feeds arbitrary bytes to the CSV reader through the public API, and the
 * first line to the timestamp, money and duration parsers.
 *
 *     build/asan/tests/fuzz/csv_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/csv
 *
 * As in jsonl_fuzzer.c, the input goes into an unlinked temporary file opened again as
 * /proc/self/fd/N, the handlers touch every byte they get (so ASan sees a dangling view), and
 * the input's length picks an option set: detected delimiter, a map with Dutch decimals, or ';'
 * with a default score scale.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klantreis/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void touch(kr_str s)
{
    unsigned h = 0;
    for (size_t i = 0; i < s.len; i++)
        h = h * 31 + (unsigned char)s.ptr[i];
    sink += h;
}

static int on_event(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    (void)payload;
    touch(raw);
    kr_str strs[] = {ev->event_id,   ev->anonymous_id, ev->user_id, ev->previous_id,
                     ev->account_id, ev->event,        ev->channel, ev->device};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        touch(strs[i]);
    for (size_t i = 0; i < ev->prop_count; i++) {
        touch(ev->props[i].key);
        touch(ev->props[i].value);
    }
    sink += (unsigned)line + (unsigned)ev->time_ms + (unsigned)ev->value_cents;
    return KR_OK;
}

static void on_reject(const kr_reject *rej, void *payload)
{
    (void)payload;
    touch(rej->raw);
    touch(kr_str_from_cstr(rej->reason));
    touch(kr_str_from_cstr(rej->field));
    sink += (unsigned)rej->line;
}

static int input_fd = -1;
static char input_path[64];

static int open_input(void)
{
    char tmpl[] = "/tmp/kr_csv_fuzz_XXXXXX";
    input_fd = mkstemp(tmpl);
    if (input_fd < 0)
        return -1;
    unlink(tmpl);
    snprintf(input_path, sizeof input_path, "/proc/self/fd/%d", input_fd);
    return 0;
}

/* The value parsers on the first line, which ASan checks for reads past its end. */
static void fuzz_values(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl ? (size_t)(nl - data) : size;
    char *copy = malloc(n ? n : 1); /* exact size: a read past the view is caught */
    if (!copy)
        return;
    memcpy(copy, data, n);
    kr_str s = {copy, n};
    int64_t v;
    if (kr_time_parse(&v, s, NULL) == KR_OK) {
        char buf[40];
        kr_time_format(buf, sizeof buf, v);
    }
    kr_money_parse(&v, s, 0);
    kr_money_parse(&v, s, ',');
    kr_duration_parse(&v, s);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (input_fd < 0 && open_input() < 0)
        abort();
    fuzz_values(data, size);
    if (ftruncate(input_fd, 0) != 0)
        abort();
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(input_fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            abort();
        done += (size_t)n;
    }
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.format = KR_FORMAT_CSV;
    switch (size % 3) {
    case 1:
        o.map = "timestamp=ts,user_id=uid,event=name,value=amount";
        o.decimal = ',';
        break;
    case 2:
        o.delimiter = ';';
        o.default_scale = KR_SCALE_CSAT;
        break;
    default:
        break;
    }
    kr_reader *r = NULL;
    kr_read_handler h = {on_event, on_reject, NULL, NULL};
    if (kr_reader_open(&r, input_path, &o) == KR_OK)
        (void)kr_reader_run(r, &h);
    kr_reader_free(r);
    return 0;
}
