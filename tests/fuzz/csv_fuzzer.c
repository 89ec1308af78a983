/*
 * csv_fuzzer.c - feeds arbitrary bytes to the CSV reader through the public API (see
 * fuzz_reader.h), and the first line to the timestamp, money and duration parsers.
 *
 *     build/asan/tests/fuzz/csv_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/csv
 *
 * The input's length picks an option set: detected delimiter, a map with Dutch decimals, or ';'
 * with a default score scale.
 */
#include <string.h>

#include "fuzz_reader.h"

/* The value parsers on the first line, copied to an exact-size buffer so that ASan catches a
   read past the view. */
static void fuzz_values(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl ? (size_t)(nl - data) : size;
    char *copy = malloc(n ? n : 1);
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
    fuzz_values(data, size);
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
    fuzz_read(data, size, &o);
    return 0;
}
