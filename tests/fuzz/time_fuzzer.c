/*
 * time_fuzzer.c - arbitrary bytes into the timestamp parser and formatter, with oracles:
 *  - kr_time_parse returns KR_OK or KR_EPARSE, and leaves its output untouched on KR_EPARSE;
 *  - a parsed value is formatted (kr_time_format) into at most 31 bytes and, for years
 *    0..9999, parses back to the same value;
 *  - surrounding blanks change nothing;
 *  - in Europe/Amsterdam a value parses exactly when it parses in UTC, and lies 0 to 2 hours
 *    before it in whole seconds (0 for values with their own offset and unix times; 1 or 2
 *    hours for local ones; the local mean time +00:19:32 before 1892 and +00:20 in 1937-40,
 *    which the first fuzz run found: corpus/time/regress_lmt_year229);
 *  - the first 8 bytes as any int64 ms format without overflow and, in range, parse back.
 *
 *     build/asan/tests/fuzz/time_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/time
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/parse.h"

#define SENTINEL INT64_C(0x5eed5eed5eed)

static bool in_range(int64_t v)
{
    return v >= INT64_C(-62167219200000) && v < INT64_C(253402300800000);
}

static void round_trip(int64_t v)
{
    char buf[32];
    size_t len = kr_time_format(buf, sizeof buf, v);
    if (len == 0 || len >= sizeof buf || buf[len] != '\0')
        abort();
    int64_t again = SENTINEL;
    if (in_range(v) && (kr_time_parse(&again, (kr_str){buf, len}, NULL) != KR_OK || again != v))
        abort();
    /* a buffer too small is cut, never overrun */
    char small[8];
    kr_time_format(small, sizeof small, v);
    if (memchr(small, '\0', sizeof small) == NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    /* exact-size copies, so that ASan catches a read past the view */
    char *copy = malloc(size ? size : 1);
    char *padded = malloc(size + 2);
    if (!copy || !padded)
        abort();
    memcpy(copy, data, size);
    padded[0] = ' ';
    memcpy(padded + 1, data, size);
    padded[size + 1] = '\t';
    kr_str s = {copy, size};

    int64_t utc = SENTINEL;
    int rc = kr_time_parse(&utc, s, NULL);
    if (rc != KR_OK && (rc != KR_EPARSE || utc != SENTINEL))
        abort();
    if (rc == KR_OK) {
        round_trip(utc);
        int64_t p = SENTINEL;
        if (kr_time_parse(&p, (kr_str){padded, size + 2}, NULL) != KR_OK || p != utc)
            abort();
    }

    static kr_tz *ams;
    static bool tried;
    if (!tried) {
        tried = true;
        if (kr_tz_open(&ams, "Europe/Amsterdam") != KR_OK)
            ams = NULL;
    }
    if (ams) {
        int64_t local = SENTINEL;
        int lrc = kr_time_parse(&local, s, ams);
        if (lrc != KR_OK && (lrc != KR_EPARSE || local != SENTINEL))
            abort();
        if ((lrc == KR_OK) != (rc == KR_OK))
            abort();
        if (lrc == KR_OK && in_range(utc)) {
            int64_t d = utc - local;
            if (d < 0 || d > 7200000 || d % 1000 != 0)
                abort();
        }
    }

    if (size >= 8) {
        int64_t v;
        memcpy(&v, data, sizeof v);
        round_trip(v);
    }
    free(padded);
    free(copy);
    return 0;
}
