/*
 * jsonl_fuzzer.c - feeds arbitrary bytes to the JSONL reader through the public API (see
 * fuzz_reader.h).
 *
 *     build/asan/tests/fuzz/jsonl_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/jsonl
 *
 * The input's length picks one of three option sets, so that every input also exercises the
 * map and the decimal-comma and default-scale paths without spending input bytes on options.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
    fuzz_read(data, size, &o);
    return 0;
}
