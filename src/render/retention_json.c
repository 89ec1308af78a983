/*
 * retention_json.c - a retention result as JSON (see retention.h): the CLI's --format json and
 * the HTTP API's answer. Shape:
 *
 *     {"period": "week", "periods": 8, "start_event": "signup", "return_event": "purchase",
 *      "cohorts": [{"start": "2024-01-01", "size": 40, "returned": [3, 12, ...],
 *                   "rate": [0.075, 0.3, ...]}],
 *      "persons": 40, "purchase_event": "purchase", "purchasers": 25, "repeat_purchasers": 9,
 *      "repeat_rate": 0.36, "median_days_between_purchases": 12.5}
 */
#include <jansson.h>
#include <math.h>

#include "klantreis/parse.h"
#include "klantreis/retention.h"

char *kr_retention_to_json(const kr_retention_result *r, const kr_retention_options *o, bool pretty)
{
    char *text = NULL;
    json_t *cohorts = json_array();
    json_t *root =
        json_pack("{s:s, s:I, s:s, s:s, s:o}", "period", kr_period_name(r->period), "periods",
                  (json_int_t)r->periods, "start_event", o->start_event ? o->start_event : "",
                  "return_event", o->return_event ? o->return_event : "", "cohorts", cohorts);
    if (!root)
        goto done;
    for (size_t i = 0; i < r->cohort_count; i++) {
        const kr_retention_cohort *co = &r->cohorts[i];
        char date[40];
        kr_time_format(date, sizeof date, co->start_ms);
        json_t *returned = json_array(), *rate = json_array();
        json_t *j = json_pack("{s:s%, s:I, s:o, s:o}", "start", date, (size_t)10, "size",
                              (json_int_t)co->size, "returned", returned, "rate", rate);
        if (!j || json_array_append_new(cohorts, j) < 0)
            goto done;
        for (size_t k = 0; k <= r->periods; k++)
            if (json_array_append_new(returned, json_integer((json_int_t)co->returned[k])) < 0 ||
                json_array_append_new(rate, json_real(co->rate[k])) < 0)
                goto done;
    }
    if (json_object_set_new(root, "persons", json_integer((json_int_t)r->persons)) < 0 ||
        json_object_set_new(root, "purchase_event",
                            json_string(o->purchase_event ? o->purchase_event : "purchase")) < 0 ||
        json_object_set_new(root, "purchasers", json_integer((json_int_t)r->purchasers)) < 0 ||
        json_object_set_new(root, "repeat_purchasers",
                            json_integer((json_int_t)r->repeat_purchasers)) < 0 ||
        json_object_set_new(root, "repeat_rate", json_real(r->repeat_rate)) < 0 ||
        json_object_set_new(root, "purchase_gaps", json_integer((json_int_t)r->purchase_gaps)) <
            0 ||
        json_object_set_new(root, "median_days_between_purchases",
                            isnan(r->median_days_between_purchases)
                                ? json_null()
                                : json_real(r->median_days_between_purchases)) < 0)
        goto done;
    text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
done:
    json_decref(root);
    return text;
}
