/*
 * stats_json.c - the table overview as JSON (see render.h).
 */
#include <jansson.h>
#include <stdlib.h>

#include "klantreis/parse.h"
#include "klantreis/render.h"

static json_t *count_list(const kr_count_list *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < l->count; i++) {
        json_t *item =
            json_pack("{s:s%,s:I}", "value", l->items[i].key.ptr ? l->items[i].key.ptr : "",
                      l->items[i].key.len, "events", (json_int_t)l->items[i].count);
        /* A key that is not UTF-8 cannot be JSON text: say so rather than drop the count. */
        if (!item)
            item = json_pack("{s:s,s:I}", "value", "(invalid utf-8)", "events",
                             (json_int_t)l->items[i].count);
        json_array_append_new(arr, item);
    }
    return arr;
}

static json_t *time_or_null(int64_t ms, bool present)
{
    if (!present)
        return json_null();
    char buf[40];
    kr_time_format(buf, sizeof buf, ms);
    return json_string(buf);
}

char *kr_stats_to_json(const kr_stats *st, bool pretty)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "events", json_integer((json_int_t)st->events));
    json_object_set_new(o, "persons", json_integer((json_int_t)st->persons));
    json_object_set_new(o, "identified_persons", json_integer((json_int_t)st->identified_persons));
    json_object_set_new(o, "accounts", json_integer((json_int_t)st->accounts));
    json_object_set_new(o, "persons_with_account",
                        json_integer((json_int_t)st->persons_with_account));
    json_object_set_new(o, "devices_per_person", json_real(st->devices_per_person));
    json_object_set_new(o, "multi_device_persons",
                        json_integer((json_int_t)st->multi_device_persons));
    json_object_set_new(o, "first", time_or_null(st->first_ms, st->events > 0));
    json_object_set_new(o, "last", time_or_null(st->last_ms, st->events > 0));
    json_object_set_new(o, "value_events", json_integer((json_int_t)st->value_events));
    json_object_set_new(o, "revenue_cents", json_integer((json_int_t)st->revenue_cents));
    json_object_set_new(o, "score_events", json_integer((json_int_t)st->score_events));
    json_object_set_new(o, "by_event", count_list(&st->by_name));
    json_object_set_new(o, "by_channel", count_list(&st->by_channel));
    json_object_set_new(o, "by_device", count_list(&st->by_device));
    json_object_set_new(o, "by_type", count_list(&st->by_type));
    char *text = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}
