/*
 * model_fuzzer.c - feeds arbitrary bytes to the journey model reader; a model that loads is
 * also compiled against a small fixed table and run through the phase analysis, so rules,
 * personas and goals of any shape are exercised end to end.
 *
 *     build/asan/tests/fuzz/model_fuzzer -max_total_time=30 corpus-dir tests/fuzz/corpus/model
 *
 * A broken model must give an error message with a position, never a crash or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/phases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kr_table *table(void)
{
    static kr_table *t;
    if (t)
        return t;
    static const char *const names[] = {"page_view", "Product Viewed", "add_to_cart",
                                        "purchase",  "review",         "x"};
    static const char *const devices[] = {"mobile", "desktop", ""};
    kr_table_builder *b;
    if (kr_table_builder_new(&b) < 0)
        abort();
    for (int i = 0; i < 60; i++) {
        kr_event ev = KR_EVENT_INIT;
        char user[16];
        snprintf(user, sizeof user, "u%d", i % 7);
        ev.time_ms = INT64_C(1735689600000) + (int64_t)((i * 7919) % 1000) * 1000;
        ev.user_id = kr_str_from_cstr(user);
        ev.event = kr_str_from_cstr(names[i % 6]);
        ev.device = kr_str_from_cstr(devices[i % 3]);
        ev.channel = kr_str_from_cstr(i % 4 ? "web" : "email");
        ev.account_id = kr_str_from_cstr(i % 5 ? "" : "acme");
        ev.type = i % 9 ? KR_TYPE_TRACK : KR_TYPE_PAGE;
        if (kr_table_builder_add(b, &ev) < 0)
            abort();
    }
    if (kr_table_builder_finish(b, &t) < 0)
        abort();
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kr_model *m = NULL;
    int rc = kr_model_load_string(&m, (const char *)data, size, "fuzz.yaml");
    if (rc == KR_OK) {
        for (size_t i = 0; i < kr_model_warning_count(m); i++)
            if (!kr_model_warning(m, i)[0])
                abort();
        kr_model_match *mm = NULL;
        if (kr_model_match_new(&mm, m, table()) == KR_OK) {
            kr_phases_options o = KR_PHASES_OPTIONS_INIT;
            o.by = (kr_phases_by)(size % 4);
            kr_phases_result r;
            if (kr_phases_run(&r, table(), m, mm, &o) == KR_OK) {
                char *json = kr_phases_to_json(&r, m, false);
                free(json);
            }
            kr_phases_finish(&r);
        }
        kr_model_match_free(mm);
    } else if (m && strncmp(kr_model_errmsg(m), "fuzz.yaml", 9) != 0) {
        abort(); /* every error names the file */
    }
    kr_model_free(m);
    return 0;
}
