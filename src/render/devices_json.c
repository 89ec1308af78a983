/*
 * devices_json.c - a devices result as JSON (see devices.h): the CLI's --format json and the
 * HTTP API's answer. Shape:
 *
 *     {"conversion_event": "purchase", "persons": 400, "persons_without_device": 3,
 *      "converted_without_device": 0,
 *      "combinations": [{"devices": "desktop+mobile", "persons": 90, "converted": 30,
 *                        "rate": 0.333}],
 *      "paths": [{"path": "mobile → desktop", "persons": 60, "converted": 22, "rate": 0.367}],
 *      "single_device": {"persons": 300, "converted": 45, "rate": 0.15},
 *      "cross_device": {"first": "mobile", "converted_on": "desktop", "persons": 60,
 *                       "converted": 16, "rate": 0.267},
 *      "lift": 0.78}
 */
#include <jansson.h>
#include <math.h>

#include "klantreis/devices.h"

static json_t *groups(const kr_devices_group *g, size_t n, const char *key)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *j =
            json_pack("{s:s, s:I, s:I, s:f}", key, g[i].label, "persons", (json_int_t)g[i].persons,
                      "converted", (json_int_t)g[i].converted, "rate", g[i].rate);
        if (!j || json_array_append_new(arr, j) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

char *kr_devices_to_json(const kr_devices_result *r, const kr_devices_options *o, bool pretty)
{
    char *text = NULL;
    json_t *root = json_pack(
        "{s:s, s:I, s:I, s:I, s:o, s:o, s:{s:I, s:I, s:f}, s:{s:s, s:s, s:I, s:I, s:f}, s:o}",
        "conversion_event", o->conversion_event, "persons", (json_int_t)r->persons,
        "persons_without_device", (json_int_t)r->persons_without_device, "converted_without_device",
        (json_int_t)r->converted_without_device, "combinations",
        groups(r->combinations, r->combination_count, "devices"), "paths",
        groups(r->paths, r->path_count, "path"), "single_device", "persons",
        (json_int_t)r->single.persons, "converted", (json_int_t)r->single.converted, "rate",
        r->single.rate, "cross_device", "first", o->first_device, "converted_on", o->convert_device,
        "persons", (json_int_t)r->cross.persons, "converted", (json_int_t)r->cross.converted,
        "rate", r->cross.rate, "lift", isnan(r->lift) ? json_null() : json_real(r->lift));
    if (root)
        text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}
