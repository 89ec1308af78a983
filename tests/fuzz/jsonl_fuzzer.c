/*
 * jsonl_fuzzer.c - feeds arbitrary bytes to the JSONL reader through the public API.
 *
 *     build/asan/tests/fuzz/jsonl_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/jsonl
 *
 * The input goes into an unlinked temporary file that the reader opens again as
 * /proc/self/fd/N, so no file is left behind however the run ends. The handlers touch every
 * byte of what they get (so ASan sees a read of a dangling view) and do nothing else. The
 * input's length picks one of three option sets, so that every input also exercises the map
 * and the decimal-comma and default-scale paths without spending input bytes on options.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
    char tmpl[] = "/tmp/kr_jsonl_fuzz_XXXXXX";
    input_fd = mkstemp(tmpl);
    if (input_fd < 0)
        return -1;
    unlink(tmpl);
    snprintf(input_path, sizeof input_path, "/proc/self/fd/%d", input_fd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (input_fd < 0 && open_input() < 0)
        abort();
    if (ftruncate(input_fd, 0) != 0)
        abort();
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(input_fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            abort();
        done += (size_t)n;
    }

    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.format = KR_FORMAT_JSONL;
    switch (size % 3) {
    case 1:
        o.map = "timestamp=ts,user_id=uid,event=name,value=amount";
        o.decimal = ',';
        break;
    case 2:
        o.default_scale = KR_SCALE_NPS;
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
