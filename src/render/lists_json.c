/*
 * lists_json.c - an action list as JSON (see lists.h and docs/lists.md): the CLI's
 * --format json. The figures have the names of the CSV columns:
 *
 *     {"list": "at-risk", "as_of": "...", "count": 1, "rows": [{"person": "u1", "ids": ["a1",
 *      "u1"], "reason": "At risk", "segment": "At risk", "recency_days": 120, ...}]}
 */
#include <jansson.h>

#include "klantreis/lists.h"
#include "klantreis/parse.h"

static json_t *time_json(int64_t ms)
{
    char buf[40];
    kr_time_format(buf, sizeof buf, ms);
    return json_string(buf);
}

static json_t *str_json(kr_str s)
{
    return json_stringn(s.ptr ? s.ptr : "", s.len);
}

/* The list's figures into j; -1 when out of memory. */
static int figures(json_t *j, const kr_list *l, const kr_list_row *r)
{
    const double day = 86400000.0;
    switch (l->kind) {
    case KR_LIST_ABANDONED_CARTS:
        return json_object_set_new(j, "last_cart_at", time_json(r->time_ms)) |
               json_object_set_new(j, "cart_value_cents",
                                   r->has_cents ? json_integer(r->cents) : json_null()) |
               json_object_set_new(j, "purchases", json_integer(r->count));
    case KR_LIST_AT_RISK:
        return json_object_set_new(j, "segment",
                                   json_string(kr_rfm_segment_name((kr_rfm_segment)r->code))) |
               json_object_set_new(j, "recency_days", json_integer(r->days)) |
               json_object_set_new(j, "frequency", json_integer(r->count)) |
               json_object_set_new(j, "monetary_cents", json_integer(r->cents)) |
               json_object_set_new(j, "last_purchase_at", time_json(r->time_ms));
    case KR_LIST_AMBASSADORS:
        return json_object_set_new(j, "nps", json_real(r->score)) |
               json_object_set_new(j, "scored_at", time_json(r->time_ms)) |
               json_object_set_new(j, "purchases", json_integer(r->count)) |
               json_object_set_new(j, "revenue_cents", json_integer(r->cents));
    case KR_LIST_WIN_BACK:
        return json_object_set_new(j, "tier_before",
                                   json_string(kr_pyramid_tier_name(r->before_code))) |
               json_object_set_new(j, "tier_now", json_string(kr_pyramid_tier_name(r->code))) |
               json_object_set_new(j, "revenue_before_cents", json_integer(r->before_cents)) |
               json_object_set_new(j, "revenue_now_cents", json_integer(r->cents));
    case KR_LIST_NEXT_PURCHASE:
        return json_object_set_new(j, "purchases", json_integer(r->count)) |
               json_object_set_new(j, "last_purchase_at", time_json(r->time_ms)) |
               json_object_set_new(j, "interval_days", json_real((double)r->interval_ms / day)) |
               json_object_set_new(j, "days_since_last", json_integer(r->days)) |
               json_object_set_new(j, "overdue_days", json_real((double)r->overdue_ms / day));
    }
    return -1;
}

char *kr_list_to_json(const kr_list *l, const kr_table *t, bool pretty)
{
    json_t *root =
        json_pack("{s:s, s:o}", "list", kr_list_name(l->kind), "as_of", time_json(l->as_of_ms));
    json_t *rows = NULL;
    if (!root ||
        (l->kind == KR_LIST_WIN_BACK &&
         json_object_set_new(root, "compare_to", time_json(l->compare_to_ms)) < 0) ||
        json_object_set_new(root, "count", json_integer(l->count)) < 0 ||
        json_object_set_new(root, "rows", rows = json_array()) < 0)
        goto fail;
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    for (uint32_t i = 0; i < l->count; i++) {
        const kr_list_row *r = &l->rows[i];
        json_t *ids = json_array();
        json_t *j = json_pack("{s:o, s:o, s:s}", "person",
                              str_json(kr_table_dict_get(t, KR_DICT_ID, c.person_id[r->person])),
                              "ids", ids ? ids : json_null(), "reason", kr_list_reason(l, r));
        if (!ids || !j || json_array_append_new(rows, j) < 0)
            goto fail;
        const uint32_t *codes;
        size_t n = kr_table_person_ids(t, r->person, &codes);
        for (size_t k = 0; k < n; k++)
            if (json_array_append_new(ids, str_json(kr_table_dict_get(t, KR_DICT_ID, codes[k]))) <
                0)
                goto fail;
        if (figures(j, l, r) < 0)
            goto fail;
    }
    char *text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(12));
    json_decref(root);
    return text;
fail:
    json_decref(root);
    return NULL;
}
