/*
 * model_internal.h - the model's storage, shared by the reader (model.c) and the matcher
 * (match.c). Everything a kr_model holds lives in its arena or in the fixed arrays below.
 */
#ifndef KR_MODEL_MODEL_INTERNAL_H
#define KR_MODEL_MODEL_INTERNAL_H

#include "klantreis/model.h"

#define KR_MODEL_MAX_WARNINGS 256
/* Distinct property keys a model may name: each is a table column of 4 bytes per event, and
   the table keeps at most KR_TABLE_MAX_PROPERTY_KEYS (one more for phases --by PROPERTY). */
#define KR_MODEL_MAX_PROPERTY_KEYS 32

struct kr__model_chunk;

struct kr_model {
    struct kr__model_chunk *chunks; /* arena: strings, lists, warnings */
    kr_str name;                    /* file name used in messages */
    kr_model_info info;             /* filled from the arrays below on success */
    kr_model_phase *phases;         /* KR_MODEL_MAX_PHASES */
    size_t phase_count;
    kr_model_touchpoint *touchpoints; /* KR_MODEL_MAX_TOUCHPOINTS */
    size_t touchpoint_count;
    kr_model_persona *personas; /* KR_MODEL_MAX_PERSONAS */
    size_t persona_count;
    kr_model_text *brand_values;
    size_t brand_value_count;
    kr_str prop_keys[KR_MODEL_MAX_PROPERTY_KEYS]; /* views into the arena, in file order */
    size_t prop_key_count;
    const char *warnings[KR_MODEL_MAX_WARNINGS];
    size_t warning_count;
    char errmsg[512];
};

#endif
