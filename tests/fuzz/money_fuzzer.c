/*
 * money_fuzzer.c - arbitrary bytes into the money parser, with oracles:
 *  - kr_money_parse returns KR_OK, KR_EPARSE or KR_ETOOBIG with each decimal separator (none,
 *    '.', ','), and leaves its output untouched unless KR_OK;
 *  - surrounding blanks change nothing;
 *  - a value that starts with a digit and parses, parses negated with a '-' in front;
 *  - the first 8 bytes as any int64 cents, written "units.cc" (and "units,cc"), parse back to
 *    exactly that amount, with the separator given and decided per value.
 *
 *     build/asan/tests/fuzz/money_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/money
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/parse.h"

#define SENTINEL INT64_C(0x5eed5eed5eed)

static int parse(int64_t *out, const char *p, size_t len, char decimal)
{
    char *copy = malloc(len ? len : 1); /* exact size: ASan sees a read past the view */
    if (!copy)
        abort();
    memcpy(copy, p, len);
    *out = SENTINEL;
    int rc = kr_money_parse(out, (kr_str){copy, len}, decimal);
    free(copy);
    if (rc != KR_OK && rc != KR_EPARSE && rc != KR_ETOOBIG)
        abort();
    if (rc != KR_OK && *out != SENTINEL)
        abort();
    return rc;
}

static void round_trip(int64_t cents)
{
    uint64_t abs = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    const char seps[2] = {'.', ','};
    for (int i = 0; i < 2; i++) {
        char buf[48];
        int n = snprintf(buf, sizeof buf, "%s%" PRIu64 "%c%02" PRIu64, cents < 0 ? "-" : "",
                         abs / 100, seps[i], abs % 100);
        int64_t v;
        if (parse(&v, buf, (size_t)n, seps[i]) != KR_OK || v != cents)
            abort();
        if (parse(&v, buf, (size_t)n, 0) != KR_OK || v != cents)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    const char *s = (const char *)data;
    char *padded = malloc(size + 3);
    if (!padded)
        abort();
    const char decimals[3] = {0, '.', ','};
    for (int d = 0; d < 3; d++) {
        int64_t v, w;
        int rc = parse(&v, s, size, decimals[d]);
        padded[0] = ' ';
        memcpy(padded + 1, s, size);
        padded[size + 1] = ' ';
        if (parse(&w, padded, size + 2, decimals[d]) != rc || (rc == KR_OK && w != v))
            abort();
        if (rc == KR_OK && size > 0 && s[0] >= '0' && s[0] <= '9') {
            padded[0] = '-';
            memcpy(padded + 1, s, size);
            if (parse(&w, padded, size + 1, decimals[d]) == KR_OK && w != -v)
                abort();
        }
    }
    if (size >= 8) {
        int64_t cents;
        memcpy(&cents, data, sizeof cents);
        round_trip(cents);
    }
    free(padded);
    return 0;
}
