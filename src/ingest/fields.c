/*
 * fields.c - canonical field names and the validation that turns a record's texts into an
 * event (see fields.h). CSV and JSONL both come through here, so they reject alike.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/fields.h"

static const char *const field_names[KR_FIELD_COUNT] = {
    "timestamp", "anonymous_id", "user_id",     "account_id", "event",       "channel",  "device",
    "value",     "score",        "score_scale", "type",       "previous_id", "event_id",
};

const char *kr__field_name(kr_field f)
{
    return f >= 0 && f < KR_FIELD_COUNT ? field_names[f] : "";
}

kr_field kr__field_lookup(kr_str name)
{
    for (int i = 0; i < KR_FIELD_COUNT; i++) {
        size_t n = strlen(field_names[i]);
        if (name.len == n && strncasecmp(name.ptr, field_names[i], n) == 0)
            return (kr_field)i;
    }
    return KR_FIELD_PROPERTY;
}

void kr__event_fields_reset(kr__event_fields *f)
{
    memset(f->text, 0, sizeof f->text);
    f->prop_count = 0;
}

static kr_str trim(kr_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len &&
           (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' || s.ptr[s.len - 1] == '\r'))
        s.len--;
    return s;
}

/* The bad text, quoted and cut to 40 bytes, for a reason. */
static int quoted(char *buf, size_t len, kr_str s)
{
    return snprintf(buf, len, "'%.*s%s'", (int)(s.len > 40 ? 40 : s.len), s.ptr ? s.ptr : "",
                    s.len > 40 ? "..." : "");
}

static int fail(const char **field, kr_field f, char *reason, size_t reason_len, const char *what,
                kr_str text)
{
    *field = f == KR_FIELD_PROPERTY ? NULL : field_names[f];
    char q[64];
    if (text.ptr) {
        quoted(q, sizeof q, text);
        snprintf(reason, reason_len, "%s %s", what, q);
    } else {
        snprintf(reason, reason_len, "%s", what);
    }
    return KR_EPARSE;
}

static bool parse_number(kr_str s, double *out)
{
    char buf[64];
    if (s.len == 0 || s.len >= sizeof buf)
        return false;
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    for (size_t i = 0; i < s.len; i++)
        if (buf[i] == ',')
            buf[i] = '.'; /* a Dutch decimal comma in a score */
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

int kr__event_from_fields(kr_event *ev, const kr__event_fields *f, const kr_read_options *o,
                          const char **field, char *reason, size_t reason_len)
{
    static const kr_event empty = KR_EVENT_INIT;
    *ev = empty;
    *field = NULL;
    kr_str t;

    t = trim(f->text[KR_FIELD_TYPE]);
    if (t.len && kr_event_type_parse(&ev->type, t) < 0)
        return fail(field, KR_FIELD_TYPE, reason, reason_len, "unknown type", t);

    t = f->text[KR_FIELD_TIMESTAMP];
    if (trim(t).len == 0)
        return fail(field, KR_FIELD_TIMESTAMP, reason, reason_len, "missing timestamp",
                    KR_STR_NULL);
    if (kr_time_parse(&ev->time_ms, t, o ? o->tz : NULL) < 0)
        return fail(field, KR_FIELD_TIMESTAMP, reason, reason_len, "bad timestamp", trim(t));

    ev->anonymous_id = trim(f->text[KR_FIELD_ANONYMOUS_ID]);
    ev->user_id = trim(f->text[KR_FIELD_USER_ID]);
    ev->previous_id = trim(f->text[KR_FIELD_PREVIOUS_ID]);
    ev->account_id = trim(f->text[KR_FIELD_ACCOUNT_ID]);
    ev->event = trim(f->text[KR_FIELD_EVENT]);
    ev->channel = trim(f->text[KR_FIELD_CHANNEL]);
    ev->device = trim(f->text[KR_FIELD_DEVICE]);
    ev->event_id = trim(f->text[KR_FIELD_EVENT_ID]);

    if (ev->type == KR_TYPE_ALIAS) {
        if (!ev->user_id.len)
            return fail(field, KR_FIELD_USER_ID, reason, reason_len, "alias without user_id",
                        KR_STR_NULL);
        if (!ev->previous_id.len)
            return fail(field, KR_FIELD_PREVIOUS_ID, reason, reason_len,
                        "alias without previous_id", KR_STR_NULL);
    } else if (!ev->anonymous_id.len && !ev->user_id.len) {
        return fail(field, KR_FIELD_PROPERTY, reason, reason_len, "no anonymous_id or user_id",
                    KR_STR_NULL);
    }
    if (ev->type == KR_TYPE_GROUP && !ev->account_id.len)
        return fail(field, KR_FIELD_ACCOUNT_ID, reason, reason_len, "group without account_id",
                    KR_STR_NULL);
    if (!ev->event.len) {
        if (ev->type == KR_TYPE_TRACK)
            return fail(field, KR_FIELD_EVENT, reason, reason_len, "missing event name",
                        KR_STR_NULL);
        ev->event = kr_str_from_cstr(kr_event_type_name(ev->type));
    }

    t = trim(f->text[KR_FIELD_VALUE]);
    if (t.len) {
        int rc = kr_money_parse(&ev->value_cents, t, o ? o->decimal : 0);
        if (rc == KR_ETOOBIG)
            return fail(field, KR_FIELD_VALUE, reason, reason_len, "value too large", t);
        if (rc < 0)
            return fail(field, KR_FIELD_VALUE, reason, reason_len, "bad money value", t);
        ev->has_value = true;
    }

    t = trim(f->text[KR_FIELD_SCORE_SCALE]);
    kr_score_scale scale = KR_SCALE_NONE;
    if (t.len && (kr_score_scale_parse(&scale, t) < 0 || scale == KR_SCALE_NONE))
        return fail(field, KR_FIELD_SCORE_SCALE, reason, reason_len,
                    "unknown score_scale (csat, nps, ces, emotion):", t);
    kr_str st = trim(f->text[KR_FIELD_SCORE]);
    if (st.len) {
        if (!parse_number(st, &ev->score))
            return fail(field, KR_FIELD_SCORE, reason, reason_len, "bad score", st);
        if (scale == KR_SCALE_NONE)
            scale = o ? o->default_scale : KR_SCALE_NONE;
        if (scale == KR_SCALE_NONE)
            return fail(field, KR_FIELD_SCORE_SCALE, reason, reason_len,
                        "score without score_scale (csat, nps, ces or emotion)", KR_STR_NULL);
        if (!kr_score_in_range(scale, ev->score)) {
            static const char *const ranges[KR_SCALE_COUNT] = {"", "1..5", "0..10", "1..7",
                                                               "-2..2"};
            char q[64];
            quoted(q, sizeof q, st);
            *field = field_names[KR_FIELD_SCORE];
            snprintf(reason, reason_len, "score %s out of range for %s (%s)", q,
                     kr_score_scale_name(scale), ranges[scale]);
            return KR_EPARSE;
        }
        ev->has_score = true;
        ev->score_scale = scale;
    }
    ev->props = f->props;
    ev->prop_count = f->prop_count;
    return KR_OK;
}
