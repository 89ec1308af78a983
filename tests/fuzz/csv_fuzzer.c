/*
 * csv_fuzzer.c - arbitrary bytes into the CSV reader and its parsers:
 *  - the public reader API over the whole input (see fuzz_reader.h), with an option set that
 *    the input's length picks: detected delimiter; a map with Dutch decimals and a zone; ';'
 *    with a default score scale;
 *  - the tokenizer alone, twice: with a buffer that holds the input and with one of 1 to 64 bytes
 *    (picked by the first byte), so that refills cut every record everywhere. Both runs must
 *    give the same records, lines, errors and raw bytes, or the fuzzer aborts;
 *  - the first line as a timestamp (a parsed value must survive kr_time_format and parsing
 *    again), as money with each decimal separator, and as a duration.
 *
 *     build/asan/tests/fuzz/csv_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/csv
 */
#include <fcntl.h>
#include <string.h>

#include "fuzz_reader.h"
#include "ingest/csv.h"
#include "klantreis/parse.h"

/* The value parsers on the first line, copied to an exact-size buffer so that ASan catches a
   read past the view. */
static void fuzz_values(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl ? (size_t)(nl - data) : size;
    char *copy = malloc(n ? n : 1);
    if (!copy)
        abort();
    memcpy(copy, data, n);
    kr_str s = {copy, n};
    int64_t v, again;
    if (kr_time_parse(&v, s, NULL) == KR_OK) {
        char buf[32];
        size_t len = kr_time_format(buf, sizeof buf, v);
        if (len == 0 || len >= sizeof buf)
            abort();
        /* years 0..9999 read back; others have more digits than the parser takes */
        if (v >= INT64_C(-62167219200000) && v < INT64_C(253402300800000) &&
            (kr_time_parse(&again, (kr_str){buf, len}, NULL) != KR_OK || again != v))
            abort();
    }
    static kr_tz *ams;
    if (!ams && kr_tz_open(&ams, "Europe/Amsterdam") != KR_OK)
        ams = NULL;
    (void)kr_time_parse(&v, s, ams);
    const char decimals[3] = {0, '.', ','};
    for (int i = 0; i < 3; i++) {
        int rc = kr_money_parse(&v, s, decimals[i]);
        if (rc != KR_OK && rc != KR_EPARSE && rc != KR_ETOOBIG)
            abort();
    }
    (void)kr_duration_parse(&v, s);
    free(copy);
}

/* A running digest of everything the tokenizer returns. */
static uint64_t mix(uint64_t h, const void *p, size_t len)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < len; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h ^ len;
}

/* Tokenizes the file behind fd from its start with a first buffer of cap bytes. */
static uint64_t tokenize(int fd, size_t cap, char delim)
{
    if (lseek(fd, 0, SEEK_SET) != 0)
        abort();
    kr__input in = {fd, malloc(cap), cap, 0, 0, false, 0, 0};
    kr__csv c;
    if (!in.buf || kr__csv_init(&c, &in, delim) != KR_OK)
        abort();
    kr__csv_record rec;
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    int rc;
    while ((rc = kr__csv_next(&c, &rec)) > 0) {
        h = mix(h, &rec.line, sizeof rec.line);
        h = mix(h, rec.raw.ptr, rec.raw.len);
        if (rec.error) {
            h = mix(h, rec.error, strlen(rec.error));
            continue;
        }
        for (size_t i = 0; i < rec.count; i++)
            h = mix(h, rec.fields[i].ptr, rec.fields[i].len);
    }
    if (rc < 0)
        abort();
    kr__csv_finish(&c);
    free(in.buf);
    return h;
}

static void fuzz_tokenizer(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        char tmpl[] = "/tmp/kr_fuzz_csv_XXXXXX";
        fd = mkstemp(tmpl);
        if (fd < 0)
            abort();
        unlink(tmpl);
    }
    if (ftruncate(fd, 0) != 0)
        abort();
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            abort();
        done += (size_t)n;
    }
    char delim = size % 4 == 3 ? '\t' : 0;
    size_t small = size ? 1 + data[0] % 64 : 1;
    /* "whole": the input fits at once (cheaper than the reader's 256 KiB for small inputs) */
    if (tokenize(fd, size + 1, delim) != tokenize(fd, small, delim))
        abort(); /* the records depend on where the buffer was refilled */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_values(data, size);
    fuzz_tokenizer(data, size);
    static kr_tz *tz;
    if (!tz && kr_tz_open(&tz, "+01:00") != KR_OK)
        abort();
    kr_read_options o = KR_READ_OPTIONS_INIT;
    o.format = KR_FORMAT_CSV;
    switch (size % 3) {
    case 1:
        o.map = "timestamp=ts,user_id=uid,event=name,value=amount";
        o.decimal = ',';
        o.tz = tz;
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
