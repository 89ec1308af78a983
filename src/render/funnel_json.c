/*
 * funnel_json.c - a funnel result as JSON (see funnel.h): the CLI's --format json and the
 * HTTP API's answer.
 */
#include <jansson.h>

#include "klantreis/funnel.h"

static const char *order_name(kr_funnel_order order)
{
    return order == KR_FUNNEL_STRICT      ? "strict"
           : order == KR_FUNNEL_UNORDERED ? "unordered"
                                          : "ordered";
}

char *kr_funnel_to_json(const kr_funnel_result *r, const kr_funnel_options *o, bool pretty)
{
    json_t *root = json_object();
    json_t *steps = json_array();
    if (!root || !steps) {
        json_decref(root);
        json_decref(steps);
        return NULL;
    }
    json_object_set_new(root, "order", json_string(order_name(o->order)));
    json_object_set_new(root, "window_ms", json_integer(o->window_ms));
    json_object_set_new(root, "persons_total", json_integer((json_int_t)r->person_count));
    for (size_t k = 0; k < r->step_count; k++) {
        const kr_funnel_step *s = &r->steps[k];
        json_t *step = json_object();
        json_object_set_new(step, "step", json_string(s->name));
        json_object_set_new(step, "persons", json_integer((json_int_t)s->persons));
        json_object_set_new(step, "conversion_from_previous",
                            json_real(s->conversion_from_previous));
        json_object_set_new(step, "conversion_from_first", json_real(s->conversion_from_first));
        json_object_set_new(step, "dropped", json_integer((json_int_t)s->dropped));
        json_object_set_new(step, "median_ms_from_previous", json_integer(s->median_ms));
        json_object_set_new(step, "mean_ms_from_previous", json_real(s->mean_ms));
        json_object_set_new(step, "p90_ms_from_previous", json_integer(s->p90_ms));
        json_array_append_new(steps, step);
    }
    json_object_set_new(root, "steps", steps);
    char *text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}
