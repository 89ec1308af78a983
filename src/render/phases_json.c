/*
 * phases_json.c - the phase table as JSON (see phases.h): the same text for the CLI's
 * --format json and the HTTP API.
 *
 *     char *json = kr_phases_to_json(&result, model, true);   // caller frees
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "klantreis/phases.h"

static json_t *str_json(kr_str s)
{
    json_t *v = json_stringn(s.ptr ? s.ptr : "", s.len);
    return v ? v : json_string("(invalid utf-8)");
}

static json_t *rate_json(double r)
{
    return isnan(r) ? json_null() : json_real(round(r * 10000.0) / 10000.0);
}

static json_t *touch_json(const kr_model *m, uint32_t tp, uint64_t persons)
{
    const kr_model_touchpoint *t = &kr_model_get(m)->touchpoints[tp];
    json_t *o = json_object();
    json_object_set_new(o, "id", str_json(t->id));
    json_object_set_new(o, "name", str_json(kr_model_text_get(m, t->name, t->id)));
    json_object_set_new(o, "persons", json_integer((json_int_t)persons));
    return o;
}

static json_t *group_json(const kr_phases_result *r, const kr_phases_group *g, const kr_model *m)
{
    const kr_model_info *info = kr_model_get(m);
    json_t *o = json_object();
    json_object_set_new(o, "key", str_json(g->key));
    json_object_set_new(o, "persons", json_integer((json_int_t)g->persons));
    json_object_set_new(o, "in_journey", json_integer((json_int_t)g->in_journey));
    json_object_set_new(o, "converted",
                        info->conversion.defined ? json_integer((json_int_t)g->converted)
                                                 : json_null());
    json_object_set_new(o, "repeat",
                        info->repeat.defined ? json_integer((json_int_t)g->repeat) : json_null());
    json_t *rows = json_array();
    for (size_t k = 0; k < r->phase_count; k++) {
        const kr_phases_row *row = &g->rows[k];
        const kr_model_phase *ph = &info->phases[k];
        json_t *p = json_object();
        json_object_set_new(p, "id", str_json(ph->id));
        json_object_set_new(p, "name", str_json(kr_model_text_get(m, ph->name, ph->id)));
        json_object_set_new(p, "reached", json_integer((json_int_t)row->reached));
        json_object_set_new(p, "entered", json_integer((json_int_t)row->entered));
        json_object_set_new(p, "dropped", json_integer((json_int_t)row->dropped));
        json_object_set_new(p, "conversion_prev", rate_json(row->conversion_prev));
        json_object_set_new(p, "conversion_first", rate_json(row->conversion_first));
        json_object_set_new(p, "expected_conversion",
                            ph->has_expected_conversion ? json_real(ph->expected_conversion)
                                                        : json_null());
        json_object_set_new(p, "to_next", json_integer((json_int_t)row->to_next_count));
        bool t = row->to_next_count > 0;
        json_object_set_new(p, "median_to_next_s",
                            t ? json_real((double)row->median_to_next_ms / 1000.0) : json_null());
        json_object_set_new(p, "p90_to_next_s",
                            t ? json_real((double)row->p90_to_next_ms / 1000.0) : json_null());
        json_t *last = json_array();
        for (size_t i = 0; i < row->last_touchpoint_count; i++)
            json_array_append_new(last, touch_json(m, row->last_touchpoints[i].touchpoint,
                                                   row->last_touchpoints[i].persons));
        json_object_set_new(p, "last_touchpoints", last);
        json_t *micro = json_array();
        for (size_t i = 0; i < ph->micro_count; i++)
            json_array_append_new(micro, touch_json(m, ph->micro[i], row->micro_persons[i]));
        json_object_set_new(p, "micro_conversions", micro);
        json_array_append_new(rows, p);
    }
    json_object_set_new(o, "phases", rows);
    return o;
}

char *kr_phases_to_json(const kr_phases_result *r, const kr_model *m, bool pretty)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "by", json_string(kr_phases_by_name(r->by)));
    if (r->by == KR_PHASES_BY_PROPERTY)
        json_object_set_new(o, "property", json_stringn(r->property.ptr, r->property.len));
    json_object_set_new(o, "events", json_integer((json_int_t)r->events));
    json_object_set_new(o, "matched_events", json_integer((json_int_t)r->matched_events));
    json_t *groups = json_array();
    for (size_t g = 0; g < r->group_count; g++)
        json_array_append_new(groups, group_json(r, &r->groups[g], m));
    json_object_set_new(o, "groups", groups);
    char *text = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}
