/*
 * table_derive.c - tables made from a table: the persons of a group (a persona, a breakdown
 * value), or accounts as the units of analysis (B2B: an account's contacts count as one).
 * Every analysis runs unchanged on the result, which is how --by persona and --per account
 * reach the analyses that have no breakdown of their own.
 *
 * Both rebuild through the table builder: each person's events are added again under one id
 * (the person's, or the account's), so stitching, sorting and dictionaries are the builder's,
 * and the result is a table like any other. Cost: one builder pass over the selected events.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/table_internal.h"

/* Adds event i of t for the unit named by id (as user_id when known, else anonymous_id). */
static int add_again(kr_table_builder *b, const kr_table *t, size_t i, kr_str id, bool known,
                     kr_str account, kr_property *props)
{
    kr_event ev = KR_EVENT_INIT;
    uint8_t f = t->flags[i];
    ev.time_ms = t->time_ms[i];
    if (known)
        ev.user_id = id;
    else
        ev.anonymous_id = id;
    ev.account_id = account;
    ev.type = KR_FLAG_TYPE(f);
    if (ev.type == KR_TYPE_ALIAS)
        ev.type = KR_TYPE_TRACK; /* its link is already in id; no previous id to join */
    ev.event = kr__dict_get(&t->dicts[KR_DICT_NAME], t->name[i]);
    ev.channel = kr__dict_get(&t->dicts[KR_DICT_CHANNEL], t->channel[i]);
    ev.device = kr__dict_get(&t->dicts[KR_DICT_DEVICE], t->device[i]);
    uint32_t aux = t->aux[i];
    if (aux) {
        ev.has_value = (f & KR_FLAG_HAS_VALUE) != 0;
        ev.value_cents = t->value_cents[aux - 1];
        ev.has_score = (f & KR_FLAG_HAS_SCORE) != 0;
        ev.score = t->score[aux - 1];
        ev.score_scale = KR_FLAG_SCALE(f);
    }
    size_t n = 0;
    for (uint32_t k = 0; k < t->prop_count; k++) {
        uint32_t code = t->prop_codes[k][i];
        if (code) {
            props[n].key = kr__dict_get(&t->prop_keys, k + 1);
            props[n].value = kr__dict_get(&t->prop_values[k], code);
            n++;
        }
    }
    ev.props = props;
    ev.prop_count = n;
    return kr_table_builder_add(b, &ev);
}

/* A builder that keeps the same property keys as t. */
static int builder_like(kr_table_builder **b, const kr_table *t)
{
    int rc = kr_table_builder_new(b);
    for (uint32_t k = 0; rc == KR_OK && k < t->prop_count; k++)
        rc = kr_table_builder_keep_property(*b, kr__dict_get(&t->prop_keys, k + 1));
    return rc;
}

int kr_table_select_persons(kr_table **out, const kr_table *t, const uint8_t *keep)
{
    return kr_table_select(out, t, keep, INT64_MAX);
}

int kr_table_select(kr_table **out, const kr_table *t, const uint8_t *keep, int64_t until_ms)
{
    *out = NULL;
    kr_table_builder *b = NULL;
    kr_property props[KR_TABLE_MAX_PROPERTY_KEYS];
    int rc = builder_like(&b, t);
    size_t n = 0;
    for (uint32_t p = 0; rc == KR_OK && p < t->person_count; p++)
        if (!keep || keep[p])
            n += t->person_start[p + 1] - t->person_start[p];
    if (rc == KR_OK)
        rc = kr_table_builder_reserve(b, n);
    for (uint32_t p = 0; rc == KR_OK && p < t->person_count; p++) {
        if (keep && !keep[p])
            continue;
        kr_str id = kr__dict_get(&t->dicts[KR_DICT_ID], t->person_id[p]);
        kr_str account = kr__dict_get(&t->dicts[KR_DICT_ACCOUNT], t->person_account[p]);
        /* events are in time order within a person: stop at the first one after until_ms */
        for (size_t i = t->person_start[p];
             rc == KR_OK && i < t->person_start[p + 1] && t->time_ms[i] <= until_ms; i++)
            rc = add_again(b, t, i, id, t->person_known[p], account, props);
    }
    if (rc == KR_OK)
        return kr_table_builder_finish(b, out);
    kr_table_builder_free(b);
    return rc;
}

int kr_table_by_account(kr_table **out, const kr_table *t)
{
    *out = NULL;
    kr_table_builder *b = NULL;
    kr_property props[KR_TABLE_MAX_PROPERTY_KEYS];
    int rc = builder_like(&b, t);
    if (rc == KR_OK)
        rc = kr_table_builder_reserve(b, t->count);
    for (uint32_t p = 0; rc == KR_OK && p < t->person_count; p++) {
        uint32_t a = t->person_account[p];
        /* An account is named "account:<id>" so that it never meets a person id; a person
           without an account stays a unit of its own. */
        kr_str account = kr__dict_get(&t->dicts[KR_DICT_ACCOUNT], a);
        char name[1024];
        kr_str id;
        bool known = true;
        if (a) {
            if (account.len > sizeof name - 8) {
                rc = KR_ETOOBIG;
                break;
            }
            memcpy(name, "account:", 8);
            memcpy(name + 8, account.ptr, account.len);
            id = (kr_str){name, account.len + 8};
        } else {
            id = kr__dict_get(&t->dicts[KR_DICT_ID], t->person_id[p]);
            known = t->person_known[p];
        }
        for (size_t i = t->person_start[p]; rc == KR_OK && i < t->person_start[p + 1]; i++)
            rc = add_again(b, t, i, id, known, account, props);
    }
    if (rc == KR_OK)
        return kr_table_builder_finish(b, out);
    kr_table_builder_free(b);
    return rc;
}
