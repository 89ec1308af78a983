/*
 * table_internal.h - the table's layout, shared by the table code and the analyses.
 */
#ifndef KR_ENGINE_TABLE_INTERNAL_H
#define KR_ENGINE_TABLE_INTERNAL_H

#include "core/dict.h"
#include "klantreis/table.h"

struct kr_table {
    kr__dict dicts[KR_DICT_COUNT];
    size_t count;
    int64_t *time_ms;
    uint32_t *person;
    uint32_t *name;
    uint16_t *channel;
    uint8_t *device;
    uint8_t *flags;
    uint32_t *aux;
    int64_t *value_cents; /* by aux index */
    float *score;         /* by aux index */
    size_t aux_count;
    uint32_t person_count;
    size_t *person_start; /* person_count + 1 */
    uint32_t *person_id;  /* id code naming each person */
    uint32_t *person_account;
    uint8_t *person_known;    /* 1 when the person has a user id */
    uint32_t *id_person;      /* by id code: the person (UINT32_MAX for code 0) */
    size_t *person_ids_start; /* person_count + 1 */
    uint32_t *person_ids;     /* id codes grouped by person */
    kr__dict prop_keys;       /* kept property keys: key code k is property k - 1 */
    uint32_t prop_count;
    kr__dict *prop_values; /* per kept property: its values */
    uint32_t **prop_codes; /* per kept property: value code per event (0 = absent) */
    char errmsg[512];
};

#endif
