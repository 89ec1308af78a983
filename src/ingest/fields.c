/*
 * fields.c - the canonical field names, and the one validation that turns a record's texts
 * into an event (see fields.h), so that CSV rows and JSON lines are rejected alike.
 *
 *     kr__event_fields f;
 *     kr__event_fields_reset(&f);
 *     f.text[kr__field_lookup(kr_str_from_cstr("Timestamp"))] = kr_str_from_cstr("2024-03-01");
 *     if (kr__event_from_fields(&ev, &f, opts, &field, reason, sizeof reason) < 0)
 *         report(field, reason); // "timestamp", "bad timestamp '2024-13-01'"
 *
 * Reasons are one line and lower case; the offending text is quoted, cut to QUOTE_MAX bytes at
 * a UTF-8 character boundary, with control characters escaped (a quoted CSV field can hold a
 * newline, and a reason must stay on one line).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ingest/fields.h"

#define QUOTE_MAX 40

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
    if (name.len < 4 || name.len > 12) /* "type" .. "anonymous_id" */
        return KR_FIELD_PROPERTY;
    for (int i = 0; i < KR_FIELD_COUNT; i++) {
        const char *f = field_names[i];
        if (strlen(f) == name.len && strncasecmp(name.ptr, f, name.len) == 0)
            return (kr_field)i;
    }
    return KR_FIELD_PROPERTY;
}

void kr__event_fields_reset(kr__event_fields *f)
{
    /* props[] is not cleared: prop_count says how many are valid. */
    memset(f->text, 0, sizeof f->text);
    f->prop_count = 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static kr_str trim(kr_str s)
{
    while (s.len && is_blank(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len && is_blank(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

/* Writes s for a reason into buf (at least 4 * QUOTE_MAX + 8 bytes): cut at QUOTE_MAX bytes
   on a character boundary ("..." added), control bytes as \n, \r, \t or \xNN. */
static void quote_text(char *buf, size_t len, kr_str s)
{
    size_t n = s.len;
    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
            n--; /* do not split a UTF-8 sequence */
    }
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 0x20 && c != 0x7f) {
            buf[o++] = (char)c;
        } else {
            static const char hex[] = "0123456789abcdef";
            buf[o++] = '\\';
            if (c == '\n' || c == '\r' || c == '\t') {
                buf[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            } else {
                buf[o++] = 'x';
                buf[o++] = hex[c >> 4];
                buf[o++] = hex[c & 15];
            }
        }
    }
    if (n < s.len && o + 4 <= len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o < len ? o : len - 1] = '\0';
}

/* Sets the field at fault and the reason "<what> '<text>'" (no text when text.ptr is NULL). */
static int fail(const char **field, kr_field f, char *reason, size_t reason_len, const char *what,
                kr_str text)
{
    *field = f == KR_FIELD_PROPERTY ? NULL : field_names[f];
    if (!reason || reason_len == 0)
        return KR_EPARSE;
    if (text.ptr) {
        char q[4 * QUOTE_MAX + 8];
        quote_text(q, sizeof q, text);
        snprintf(reason, reason_len, "%s '%s'", what, q);
    } else {
        snprintf(reason, reason_len, "%s", what);
    }
    return KR_EPARSE;
}

/*
 * A score: [+-]digits[(.|,)digits], "4", "-2", "+1", "4.5", "4,5" (a Dutch decimal comma).
 * Parsed by hand: strtod would depend on the C locale and accept "inf", "0x1p3" and "1e3".
 */
static bool parse_score(kr_str s, double *out)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    double v = 0, scale = 1;
    size_t digits = 0;
    for (; p < end && (unsigned)(*p - '0') <= 9; p++, digits++) {
        if (digits > 15)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (p < end && (*p == '.' || *p == ',')) {
        for (p++; p < end && (unsigned)(*p - '0') <= 9; p++, digits++) {
            if (scale > 1e-15) {
                scale /= 10;
                v += (*p - '0') * scale;
            }
        }
    }
    if (p != end || digits == 0)
        return false;
    *out = neg ? -v : v;
    return true;
}

int kr__event_from_fields(kr_event *ev, const kr__event_fields *f, const kr_read_options *o,
                          const char **field, char *reason, size_t reason_len)
{
    static const kr_event empty = KR_EVENT_INIT;
    *ev = empty;
    *field = NULL;
    kr_str t;

    t = trim(f->text[KR_FIELD_TIMESTAMP]);
    if (t.len == 0)
        return fail(field, KR_FIELD_TIMESTAMP, reason, reason_len, "missing timestamp",
                    KR_STR_NULL);
    if (kr_time_parse(&ev->time_ms, t, o ? o->tz : NULL) < 0)
        return fail(field, KR_FIELD_TIMESTAMP, reason, reason_len, "bad timestamp", t);

    t = trim(f->text[KR_FIELD_TYPE]);
    if (t.len && kr_event_type_parse(&ev->type, t) < 0)
        return fail(field, KR_FIELD_TYPE, reason, reason_len,
                    "unknown type (track, identify, page, screen, alias, group):", t);

    ev->anonymous_id = trim(f->text[KR_FIELD_ANONYMOUS_ID]);
    ev->user_id = trim(f->text[KR_FIELD_USER_ID]);
    ev->previous_id = trim(f->text[KR_FIELD_PREVIOUS_ID]);
    ev->account_id = trim(f->text[KR_FIELD_ACCOUNT_ID]);
    ev->event_id = trim(f->text[KR_FIELD_EVENT_ID]);
    ev->event = trim(f->text[KR_FIELD_EVENT]);
    /* Kept as given apart from blanks: analyses decide how to group "Email" and "email". */
    ev->channel = trim(f->text[KR_FIELD_CHANNEL]);
    ev->device = trim(f->text[KR_FIELD_DEVICE]);

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
    /* A group event says which account a person belongs to: without one it says nothing. */
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
            return fail(field, KR_FIELD_VALUE, reason, reason_len, "bad value", t);
        ev->has_value = true;
    }

    /* A scale is checked even without a score: a bad value in a column is a bad value. */
    t = trim(f->text[KR_FIELD_SCORE_SCALE]);
    kr_score_scale scale = KR_SCALE_NONE;
    if (t.len && (kr_score_scale_parse(&scale, t) < 0 || scale == KR_SCALE_NONE))
        return fail(field, KR_FIELD_SCORE_SCALE, reason, reason_len,
                    "unknown score_scale (csat, nps, ces, emotion):", t);
    t = trim(f->text[KR_FIELD_SCORE]);
    if (t.len) {
        if (!parse_score(t, &ev->score))
            return fail(field, KR_FIELD_SCORE, reason, reason_len, "bad score", t);
        if (scale == KR_SCALE_NONE && o)
            scale = o->default_scale;
        if (scale == KR_SCALE_NONE)
            return fail(field, KR_FIELD_SCORE_SCALE, reason, reason_len,
                        "score without score_scale (csat, nps, ces or emotion)", KR_STR_NULL);
        if (!kr_score_in_range(scale, ev->score)) {
            static const char *const ranges[KR_SCALE_COUNT] = {"", "1..5", "0..10", "1..7",
                                                               "-2..2"};
            char q[4 * QUOTE_MAX + 8];
            quote_text(q, sizeof q, t);
            *field = field_names[KR_FIELD_SCORE];
            if (reason && reason_len)
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
