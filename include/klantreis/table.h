/*
 * klantreis/table.h - the columnar event table every analysis reads: the events of a file or
 * a store in memory, identities stitched into persons, sorted by (person, time), strings
 * dictionary-encoded.
 *
 *     kr_table *t;
 *     if (kr_table_load_file(&t, "events.csv", NULL, NULL) < 0) { ...kr_table_errmsg(t)... }
 *     kr_table_columns c;
 *     kr_table_get_columns(t, &c);
 *     for (uint32_t p = 0; p < c.person_count; p++)
 *         for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) use(c.time_ms[i]);
 *     kr_table_free(t);
 *
 * Memory: 24 bytes per event in the columns below (8 time + 4 person + 4 name + 2 channel
 * + 1 device + 1 flags + 4 aux), plus 12 bytes per event that carries a value or a score
 * (aux side arrays), plus 4 bytes per event per kept property key (none unless asked for),
 * plus the dictionaries and per-person arrays.
 *
 * Identity stitching (exact over the whole history, whatever the order of arrival): every id
 * (anonymous ids, user ids, previous ids share one namespace) is a node; an event with both
 * an anonymous_id and a user_id links them, an alias links previous_id to user_id (and to its
 * anonymous_id). A person is a connected component. Its id is its user id seen first in time
 * (ties: the smaller string), or, with no user id, its anonymous id seen first. Its account is
 * the account_id of its latest event that carries one (group events set it).
 */
#ifndef KLANTREIS_TABLE_H
#define KLANTREIS_TABLE_H

#include "event.h"
#include "reader.h"

typedef struct kr_table kr_table;
typedef struct kr_table_builder kr_table_builder;

/* flags byte per event: bits 0-2 type, 3-5 score scale, 6 has value, 7 has score. */
#define KR_FLAG_TYPE(f) ((kr_event_type)((f)&7u))
#define KR_FLAG_SCALE(f) ((kr_score_scale)(((f) >> 3) & 7u))
#define KR_FLAG_HAS_VALUE 0x40u
#define KR_FLAG_HAS_SCORE 0x80u

/* Dictionary overflow: values past these limits share the code of "(other)". */
#define KR_MAX_CHANNELS 65535u
#define KR_MAX_DEVICES 255u

/** The table's columns, borrowed (valid while the table lives). Index i is one event. */
typedef struct kr_table_columns {
    size_t count;            /* events */
    const int64_t *time_ms;  /* UTC ms */
    const uint32_t *person;  /* person index */
    const uint32_t *name;    /* event-name code (KR_DICT_NAME) */
    const uint16_t *channel; /* channel code (KR_DICT_CHANNEL); 0 = none */
    const uint8_t *device;   /* device code (KR_DICT_DEVICE); 0 = none */
    const uint8_t *flags;    /* KR_FLAG_* */
    const uint32_t *aux;     /* 0 = no value/score, else index + 1 into value_cents/score */
    const int64_t *value_cents;
    const float *score;
    uint32_t person_count;
    const size_t *person_start;     /* person p's events are [person_start[p], person_start[p+1]) */
    const uint32_t *person_id;      /* id code (KR_DICT_ID) that names person p */
    const uint32_t *person_account; /* account code (KR_DICT_ACCOUNT); 0 = none */
    const uint8_t *person_known;    /* 1 when the person has a user id (is identified) */
} kr_table_columns;

typedef enum {
    KR_DICT_NAME = 0,
    KR_DICT_CHANNEL = 1,
    KR_DICT_DEVICE = 2,
    KR_DICT_ID = 3, /* anonymous ids, user ids, previous ids */
    KR_DICT_ACCOUNT = 4,
} kr_dict_kind;
#define KR_DICT_COUNT 5

/** Starts an empty builder. Returns KR_OK or KR_ENOMEM. */
KR_EXTERN int kr_table_builder_new(kr_table_builder **out);

/**
 * Adds one event (strings are copied). Returns KR_OK, KR_ENOMEM or KR_ETOOBIG (a dictionary
 * or the table is full: at most 2^32 - 2 events).
 */
KR_EXTERN int kr_table_builder_add(kr_table_builder *b, const kr_event *ev);

/**
 * Stitches identities, sorts and returns the table; always consumes (frees) the builder.
 * Returns KR_OK or KR_ENOMEM (KR_ETOOBIG past 2^32 - 2 events, which kr_table_builder_add
 * refuses first).
 */
KR_EXTERN int kr_table_builder_finish(kr_table_builder *b, kr_table **out);

/**
 * Makes room for events events in one step (a hint: adding more still works). Growing the
 * columns by doubling copies them and touches their memory page by page; a load that knows
 * its size up front (kr_table_load_file reserves from the file's size) avoids both. Memory
 * that no event uses is reserved but never touched, so it costs address space, not RAM.
 * Returns KR_OK or KR_ENOMEM (the builder is unchanged and still usable).
 */
KR_EXTERN int kr_table_builder_reserve(kr_table_builder *b, size_t events);

/** Frees an unfinished builder; NULL is fine. */
KR_EXTERN void kr_table_builder_free(kr_table_builder *b);

/* Free properties the table can keep: at most this many keys (each costs 4 bytes per event). */
#define KR_TABLE_MAX_PROPERTY_KEYS 64

/**
 * Keeps the free property key (compared exactly; the string is copied) as a column of the
 * table: one value code per event, into a dictionary of that key's values (code 0 = the event
 * has no such property). Call before the first kr_table_builder_add; keeping a key twice keeps
 * it once. Other properties are dropped, so only kept keys cost memory. Returns KR_OK,
 * KR_EINVAL (called after an event was added, or an empty key), KR_ETOOBIG (more than
 * KR_TABLE_MAX_PROPERTY_KEYS keys) or KR_ENOMEM.
 */
KR_EXTERN int kr_table_builder_keep_property(kr_table_builder *b, kr_str key);

/** Counts of the last file load: rejected records are reported through the handler. */
typedef struct kr_load_stats {
    uint64_t read;
    uint64_t rejected;
} kr_load_stats;

/**
 * Loads a CSV or JSONL file straight into a table (no store). on_reject, when given, is called
 * for each rejected record (payload passed through). On failure *out is a table whose errmsg
 * says why (free it), or NULL on KR_ENOMEM.
 */
KR_EXTERN int kr_table_load_file(kr_table **out, const char *path, const kr_read_options *o,
                                 void (*on_reject)(const kr_reject *rej, void *payload),
                                 void *payload, kr_load_stats *stats);

/**
 * Like kr_table_load_file, and keeps the free properties named by keys (key_count of them;
 * NULL with 0 keeps none) as property columns (kr_table_builder_keep_property). Fails with
 * KR_EINVAL or KR_ETOOBIG for keys the builder refuses.
 */
KR_EXTERN int kr_table_load_file_props(kr_table **out, const char *path, const kr_read_options *o,
                                       const kr_str *keys, size_t key_count,
                                       void (*on_reject)(const kr_reject *rej, void *payload),
                                       void *payload, kr_load_stats *stats);

/** Frees a table; NULL is fine. */
KR_EXTERN void kr_table_free(kr_table *t);

/** Error message of a failed load; "" when none. */
KR_EXTERN const char *kr_table_errmsg(const kr_table *t);

/** Fills c with borrowed views of the columns. */
KR_EXTERN void kr_table_get_columns(const kr_table *t, kr_table_columns *c);

/** The string of a code in one of the dictionaries (empty view for an unknown code). */
KR_EXTERN kr_str kr_table_dict_get(const kr_table *t, kr_dict_kind kind, uint32_t code);

/** Number of strings in a dictionary, the empty string (code 0) included. */
KR_EXTERN uint32_t kr_table_dict_count(const kr_table *t, kr_dict_kind kind);

/** The code of s in a dictionary; KR_ENOTFOUND when the table has no such string. */
KR_EXTERN int kr_table_dict_find(const kr_table *t, kr_dict_kind kind, kr_str s, uint32_t *out);

/** The person that any of their ids (anonymous, user or previous) belongs to. */
KR_EXTERN int kr_table_find_person(const kr_table *t, kr_str id, uint32_t *out);

/** All id codes (KR_DICT_ID) of person p, sorted by code; borrowed. */
KR_EXTERN size_t kr_table_person_ids(const kr_table *t, uint32_t p, const uint32_t **ids);

/**
 * The column of a kept property key (see kr_table_builder_keep_property): *codes (borrowed,
 * one per event, 0 = absent) and *prop, the key's index for kr_table_property_value. Returns
 * KR_OK, or KR_ENOTFOUND when the table did not keep key (*codes NULL).
 */
KR_EXTERN int kr_table_property_column(const kr_table *t, kr_str key, const uint32_t **codes,
                                       uint32_t *prop);

/** Number of values of kept property prop, the empty value (code 0) included; 0 if unknown. */
KR_EXTERN uint32_t kr_table_property_value_count(const kr_table *t, uint32_t prop);

/** The value of code in kept property prop (empty view for code 0 or an unknown code). */
KR_EXTERN kr_str kr_table_property_value(const kr_table *t, uint32_t prop, uint32_t code);

/**
 * A new table with the events of the persons p for which keep[p] is non-zero (keep has the
 * table's person count entries): a persona, a breakdown value. Each person stays one person
 * under the same id (identified or not); values, scores, types and kept properties are kept
 * (an alias event becomes a track event: its link is already made). Returns KR_OK,
 * KR_ENOMEM or KR_ETOOBIG; free the result with kr_table_free.
 */
KR_EXTERN int kr_table_select_persons(kr_table **out, const kr_table *t, const uint8_t *keep);

/**
 * Like kr_table_select_persons (keep NULL keeps every person), and leaves out the events after
 * until_ms (INT64_MAX: none): the table as it was at a reference date (--as-of). A person
 * with no event left is not in the result; a person keeps the account and identification of
 * the whole history (the table's naming, not re-derived from the earlier events).
 */
KR_EXTERN int kr_table_select(kr_table **out, const kr_table *t, const uint8_t *keep,
                              int64_t until_ms);

/**
 * A new table whose units are accounts: all events of an account's persons belong to one
 * person named "account:<account id>" (identified); persons without an account stay as they
 * are. Any analysis run on it answers per account (B2B: a decision-making unit of several
 * contacts is one customer). Returns KR_OK, KR_ENOMEM or KR_ETOOBIG (an account id over
 * 1000 bytes).
 */
KR_EXTERN int kr_table_by_account(kr_table **out, const kr_table *t);

/** Bytes held by the per-event columns and side arrays (dictionaries excluded). */
KR_EXTERN size_t kr_table_event_bytes(const kr_table *t);

#endif
