/*
 * funnel_json.c - a funnel result as JSON (see funnel.h): the CLI's --format json and the
 * HTTP API's answer. Shape:
 *
 *     {"order": "ordered", "window_ms": 1209600000, "persons_total": 9, "excluded": 0,
 *      "steps": [{"step": "view", "persons": 2017, "conversion_from_previous": 1.0, ...}],
 *      "time_to_convert": {"median_ms": ..., "mean_ms": ..., "bins": [...]},
 *      "breakdown": {"by": "channel", "attribution": "first",
 *                    "values": [{"value": "email", "excluded": 0, "steps": [...], ...}]}}
 */
#include <jansson.h>

#include "klantreis/funnel.h"

static const char *by_name(const kr_funnel_options *o)
{
    switch (o->by) {
    case KR_FUNNEL_BY_CHANNEL:
        return "channel";
    case KR_FUNNEL_BY_DEVICE:
        return "device";
    case KR_FUNNEL_BY_PROPERTY:
        return "property";
    case KR_FUNNEL_BY_PERSON:
        return o->by_person.kind ? o->by_person.kind : "group";
    case KR_FUNNEL_BY_NONE:
        break;
    }
    return "none";
}

static const char *attribution_name(kr_funnel_attribution a)
{
    return a == KR_FUNNEL_ATTR_LAST ? "last" : a == KR_FUNNEL_ATTR_STEP ? "step" : "first";
}

/* Adds "steps" and "time_to_convert" of g to obj; returns -1 when out of memory. */
static int add_group(json_t *obj, const kr_funnel_group *g, size_t n, bool times)
{
    json_t *steps = json_array();
    if (!steps || json_object_set_new(obj, "steps", steps) < 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        const kr_funnel_step *s = &g->steps[k];
        json_t *step = json_pack("{s:s, s:I, s:f, s:f, s:I}", "step", s->name, "persons",
                                 (json_int_t)s->persons, "conversion_from_previous",
                                 s->conversion_from_previous, "conversion_from_first",
                                 s->conversion_from_first, "dropped", (json_int_t)s->dropped);
        if (!step || json_array_append_new(steps, step) < 0)
            return -1;
        if (times &&
            (json_object_set_new(step, "median_ms_from_previous", json_integer(s->median_ms)) < 0 ||
             json_object_set_new(step, "mean_ms_from_previous", json_real(s->mean_ms)) < 0 ||
             json_object_set_new(step, "p90_ms_from_previous", json_integer(s->p90_ms)) < 0))
            return -1;
    }
    if (!times)
        return 0;
    json_t *bins = json_array();
    json_t *ttc = json_pack("{s:I, s:f, s:o}", "median_ms", (json_int_t)g->median_convert_ms,
                            "mean_ms", g->mean_convert_ms, "bins", bins);
    if (!ttc || json_object_set_new(obj, "time_to_convert", ttc) < 0)
        return -1;
    for (size_t b = 0; b < KR_FUNNEL_BINS; b++) {
        const kr_funnel_bin *bin = &g->bins[b];
        json_t *j = json_pack("{s:I, s:o, s:I}", "from_ms", (json_int_t)bin->lo_ms, "to_ms",
                              bin->hi_ms == INT64_MAX ? json_null() : json_integer(bin->hi_ms),
                              "persons", (json_int_t)bin->persons);
        if (!j || json_array_append_new(bins, j) < 0)
            return -1;
    }
    return 0;
}

char *kr_funnel_to_json(const kr_funnel_result *r, const kr_funnel_options *o, bool pretty)
{
    char *text = NULL;
    bool times = o->order != KR_FUNNEL_UNORDERED;
    json_t *root =
        json_pack("{s:s, s:I, s:I, s:I}", "order", kr_funnel_order_name(o->order), "window_ms",
                  (json_int_t)o->window_ms, "persons_total", (json_int_t)r->person_count,
                  "excluded", (json_int_t)r->total.excluded);
    if (!root || add_group(root, &r->total, r->step_count, times) < 0)
        goto done;
    if (o->by != KR_FUNNEL_BY_NONE) {
        json_t *bd = json_pack("{s:s}", "by", by_name(o));
        if (!bd || json_object_set_new(root, "breakdown", bd) < 0)
            goto done;
        if (o->by == KR_FUNNEL_BY_PROPERTY &&
            json_object_set_new(bd, "property",
                                json_stringn(o->by_property.ptr, o->by_property.len)) < 0)
            goto done;
        if (json_object_set_new(bd, "attribution",
                                json_string(attribution_name(o->by_attribution))) < 0 ||
            (o->by_attribution == KR_FUNNEL_ATTR_STEP &&
             json_object_set_new(bd, "attribution_step", json_integer(o->by_step)) < 0))
            goto done;
        json_t *values = json_array();
        if (json_object_set_new(bd, "values", values) < 0) /* steals values, also on failure */
            goto done;
        for (size_t i = 0; i < r->group_count; i++) {
            const kr_funnel_group *g = &r->groups[i];
            json_t *v = json_pack("{s:s%, s:I}", "value", g->value.ptr ? g->value.ptr : "",
                                  g->value.len, "excluded", (json_int_t)g->excluded);
            if (!v || json_array_append_new(values, v) < 0 ||
                add_group(v, g, r->step_count, times) < 0)
                goto done;
        }
    }
    text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
done:
    json_decref(root);
    return text;
}
