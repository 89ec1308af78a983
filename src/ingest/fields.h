/*
 * fields.h - the canonical field names that CSV headers and flat JSON keys share, and the one
 * place that turns their texts into a validated kr_event (so CSV and JSONL reject alike).
 *
 *     kr__event_fields f; kr__event_fields_reset(&f);
 *     f.text[KR_FIELD_TIMESTAMP] = kr_str_from_cstr("2024-03-01 10:00:00");
 *     ...
 *     if (kr__event_from_fields(&ev, &f, opts, &field, reason, sizeof reason) < 0) reject(...);
 */
#ifndef KR_INGEST_FIELDS_H
#define KR_INGEST_FIELDS_H

#include "klantreis/reader.h"

typedef enum kr_field {
    KR_FIELD_PROPERTY = -1, /* not a canonical name: a free property */
    KR_FIELD_TIMESTAMP = 0,
    KR_FIELD_ANONYMOUS_ID,
    KR_FIELD_USER_ID,
    KR_FIELD_ACCOUNT_ID,
    KR_FIELD_EVENT,
    KR_FIELD_CHANNEL,
    KR_FIELD_DEVICE,
    KR_FIELD_VALUE,
    KR_FIELD_SCORE,
    KR_FIELD_SCORE_SCALE,
    KR_FIELD_TYPE,        /* track / identify / page / screen / alias / group; default track */
    KR_FIELD_PREVIOUS_ID, /* alias */
    KR_FIELD_EVENT_ID,    /* an id that makes re-imports idempotent */
    KR_FIELD_COUNT
} kr_field;

/** The canonical name ("timestamp", "anonymous_id", ...); "" for KR_FIELD_PROPERTY. */
const char *kr__field_name(kr_field f);

/** The field a header / key names (ASCII case-insensitive, exact), or KR_FIELD_PROPERTY. */
kr_field kr__field_lookup(kr_str name);

/** The raw texts of one record, gathered by a reader before validation. */
typedef struct kr__event_fields {
    kr_str text[KR_FIELD_COUNT]; /* len 0 = absent or empty */
    kr_property props[KR_MAX_PROPERTIES];
    size_t prop_count;
} kr__event_fields;

/** Empties f (all fields absent, no properties). */
void kr__event_fields_reset(kr__event_fields *f);

/**
 * Validates f and fills ev (whose views then point into f's texts). Rules: a timestamp is
 * required; a track needs an event name (other types default it to the type's name); at least
 * one of anonymous_id and user_id (alias: user_id and previous_id); value is money; score is a
 * number within its scale (score_scale, else o->default_scale, else rejected). Surrounding
 * blanks of the identity and name fields are trimmed. On failure returns KR_EPARSE, sets
 * *field to the canonical name at fault (NULL for the record) and writes a one-line reason.
 */
int kr__event_from_fields(kr_event *ev, const kr__event_fields *f, const kr_read_options *o,
                          const char **field, char *reason, size_t reason_len);

#endif
