/*
 * fuzz_reader.h - what the reader fuzzers share: handlers that touch every byte they are given
 * (so ASan sees a read of a dangling view) and running the public reader API over the input,
 * which goes into an unlinked temporary file opened again as /proc/self/fd/N (nothing is left
 * behind however a run ends).
 *
 *     int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
 *     {
 *         kr_read_options o = KR_READ_OPTIONS_INIT;
 *         o.format = KR_FORMAT_CSV;
 *         fuzz_read(data, size, &o);
 *         return 0;
 *     }
 */
#ifndef KR_FUZZ_READER_H
#define KR_FUZZ_READER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "klantreis/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned fuzz_sink;

static void fuzz_touch(kr_str s)
{
    unsigned h = 0;
    for (size_t i = 0; i < s.len; i++)
        h = h * 31 + (unsigned char)s.ptr[i];
    fuzz_sink += h;
}

static int fuzz_on_event(const kr_event *ev, kr_str raw, size_t line, void *payload)
{
    (void)payload;
    fuzz_touch(raw);
    kr_str strs[] = {ev->event_id,   ev->anonymous_id, ev->user_id, ev->previous_id,
                     ev->account_id, ev->event,        ev->channel, ev->device};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        fuzz_touch(strs[i]);
    for (size_t i = 0; i < ev->prop_count; i++) {
        fuzz_touch(ev->props[i].key);
        fuzz_touch(ev->props[i].value);
    }
    fuzz_sink += (unsigned)line + (unsigned)ev->time_ms + (unsigned)ev->value_cents;
    return KR_OK;
}

static void fuzz_on_reject(const kr_reject *rej, void *payload)
{
    (void)payload;
    fuzz_touch(rej->raw);
    fuzz_touch(kr_str_from_cstr(rej->reason));
    fuzz_touch(kr_str_from_cstr(rej->field));
    fuzz_sink += (unsigned)rej->line;
}

/* Writes the input to the temporary file and reads it with options o. */
static void fuzz_read(const uint8_t *data, size_t size, const kr_read_options *o)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        char tmpl[] = "/tmp/kr_fuzz_XXXXXX";
        fd = mkstemp(tmpl);
        if (fd < 0)
            abort();
        unlink(tmpl);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0)
        abort();
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            abort();
        done += (size_t)n;
    }
    kr_reader *r = NULL;
    kr_read_handler h = {fuzz_on_event, fuzz_on_reject, NULL, NULL};
    if (kr_reader_open(&r, path, o) == KR_OK)
        (void)kr_reader_run(r, &h);
    kr_reader_free(r);
}

#endif
