/*
 * sessions_json.c - a sessions result as JSON (see sessions.h): the CLI's --format json and
 * the HTTP API's answer. Shape:
 *
 *     {"session_gap_ms": 1800000, "sessions": 12, "persons": 9, "events": 40,
 *      "sessions_per_person": {"mean": 1.33, "median": 1},
 *      "duration_ms": {"median": 60000, "mean": 95000.0, "p90": 300000},
 *      "events_per_session": {"mean": 3.3, "median": 3},
 *      "by_device": [{"device": "mobile", "sessions": 7, "share": 0.58, ...}]}
 */
#include <jansson.h>

#include "klantreis/sessions.h"

char *kr_sessions_to_json(const kr_sessions_result *r, bool pretty)
{
    char *text = NULL;
    json_t *devices = json_array();
    json_t *root = json_pack(
        "{s:I, s:I, s:I, s:I, s:{s:f, s:I}, s:{s:I, s:f, s:I}, s:{s:f, s:I}, s:O}",
        "session_gap_ms", (json_int_t)r->gap_ms, "sessions", (json_int_t)r->sessions, "persons",
        (json_int_t)r->persons, "events", (json_int_t)r->events, "sessions_per_person", "mean",
        r->sessions_per_person_mean, "median", (json_int_t)r->sessions_per_person_median,
        "duration_ms", "median", (json_int_t)r->duration_median_ms, "mean", r->duration_mean_ms,
        "p90", (json_int_t)r->duration_p90_ms, "events_per_session", "mean",
        r->events_per_session_mean, "median", (json_int_t)r->events_per_session_median, "by_device",
        devices);
    if (!root)
        goto done;
    for (size_t i = 0; i < r->device_count; i++) {
        const kr_sessions_device *d = &r->devices[i];
        json_t *j =
            json_pack("{s:s%, s:I, s:f, s:f, s:f}", "device", d->device.ptr ? d->device.ptr : "",
                      d->device.len, "sessions", (json_int_t)d->sessions, "share", d->share,
                      "mean_duration_ms", d->mean_duration_ms, "mean_events", d->mean_events);
        if (!j || json_array_append_new(devices, j) < 0)
            goto done;
    }
    text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
done:
    json_decref(devices);
    json_decref(root);
    return text;
}
