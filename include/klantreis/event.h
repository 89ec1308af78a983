/*
 * klantreis/event.h - the event: one touchpoint occurrence, as every reader produces it and
 * every store and table consumes it.
 *
 *     kr_event ev = KR_EVENT_INIT;
 *     ev.time_ms = 1700000000000;
 *     ev.user_id = kr_str_from_cstr("c-42");
 *     ev.event = kr_str_from_cstr("purchase");
 *     ev.value_cents = 1250; ev.has_value = true;
 */
#ifndef KLANTREIS_EVENT_H
#define KLANTREIS_EVENT_H

#include "common.h"

/** Segment-style message types. A CSV row or flat JSON object is a track. */
typedef enum {
    KR_TYPE_TRACK = 0,
    KR_TYPE_IDENTIFY = 1,
    KR_TYPE_PAGE = 2,
    KR_TYPE_SCREEN = 3,
    KR_TYPE_ALIAS = 4,
    KR_TYPE_GROUP = 5,
} kr_event_type;
#define KR_TYPE_COUNT 6

/** Satisfaction scales and their valid ranges. */
typedef enum {
    KR_SCALE_NONE = 0,
    KR_SCALE_CSAT = 1,    /* 1..5 */
    KR_SCALE_NPS = 2,     /* 0..10 */
    KR_SCALE_CES = 3,     /* 1..7 */
    KR_SCALE_EMOTION = 4, /* -2..+2 */
} kr_score_scale;
#define KR_SCALE_COUNT 5

/** A free property; key and value are views into the reader's buffer. */
typedef struct kr_property {
    kr_str key;
    kr_str value;
} kr_property;

/*
 * An event as a reader hands it out. Every kr_str is borrowed from the reader and valid only
 * during the callback that receives the event: copy what you keep.
 * An empty view (len 0) means "absent".
 */
typedef struct kr_event {
    int64_t time_ms; /* UTC, milliseconds since the epoch */
    kr_event_type type;
    kr_str event_id;     /* messageId / event_id column; empty: the importer derives one */
    kr_str anonymous_id; /* device or cookie id */
    kr_str user_id;      /* known customer id */
    kr_str previous_id;  /* alias: the id that userId replaces */
    kr_str account_id;   /* B2B organisation (group: the groupId) */
    kr_str event;        /* event name; page/screen name for page and screen */
    kr_str channel;      /* ad, search, email, social, referral, direct, store, phone, ... */
    kr_str device;       /* mobile, desktop, tablet, ... */
    int64_t value_cents; /* money, in cents of the shop's currency */
    bool has_value;
    bool has_score;
    kr_score_scale score_scale;
    double score;
    const kr_property *props;
    size_t prop_count;
} kr_event;

#define KR_EVENT_INIT                                                                              \
    {                                                                                              \
        0, KR_TYPE_TRACK, KR_STR_INIT, KR_STR_INIT, KR_STR_INIT, KR_STR_INIT, KR_STR_INIT,         \
            KR_STR_INIT, KR_STR_INIT, KR_STR_INIT, 0, false, false, KR_SCALE_NONE, 0.0, NULL, 0    \
    }

/** "track", "identify", ...; NULL for an out-of-range value. */
KR_EXTERN const char *kr_event_type_name(kr_event_type type);

/** Parses a type name (case-insensitive); returns KR_OK or KR_EPARSE. */
KR_EXTERN int kr_event_type_parse(kr_event_type *out, kr_str name);

/** "csat", "nps", "ces", "emotion", or "" for none. */
KR_EXTERN const char *kr_score_scale_name(kr_score_scale scale);

/** Parses a scale name (case-insensitive, "" gives NONE); returns KR_OK or KR_EPARSE. */
KR_EXTERN int kr_score_scale_parse(kr_score_scale *out, kr_str name);

/** True when score lies inside the scale's range (any finite value for NONE). */
KR_EXTERN bool kr_score_in_range(kr_score_scale scale, double score);

#endif
