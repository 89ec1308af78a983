/*
 * jsonl.c - reads events from JSON Lines: one JSON object per line, either a flat record with
 * the canonical field names of fields.h or a Segment-spec message
 * (https://segment.com/docs/connections/spec/: track, identify, page, screen, alias, group).
 *
 *     kr_read_options o = KR_READ_OPTIONS_INIT;
 *     o.format = KR_FORMAT_JSONL;          // or a .jsonl / .ndjson / .json name, or '{' first
 *     kr_reader_open(&r, "segment-export.jsonl", &o);
 *     kr_reader_run(r, &h);                // reader.c calls kr__jsonl_read_events(r, &h)
 *
 * Lines. LF or CRLF; a UTF-8 BOM before the first line is skipped; blank lines (only spaces,
 * tabs, CRs) are skipped; a line longer than KR_MAX_RECORD_LEN bytes (line ending excluded) is
 * rejected, its raw view holding only its first REJECT_RAW_MAX bytes, and reading goes on at
 * the next line. A line that is not valid JSON (duplicate keys included) is rejected with
 * jansson's message and column; so is valid JSON that is not an object.
 *
 * Values. Canonical fields take strings or numbers (null = absent; objects, arrays and booleans
 * reject the line). Numbers become text for kr__event_from_fields: integers as digits; other
 * numbers as the shortest text that reads back as the same double ("19.99"). Money written as a
 * number is decimal-point money whatever o->decimal says (12.5 is 12.50); a fractional number
 * timestamp is unix seconds, or milliseconds from 1e11 up, rounded to the millisecond.
 * Properties: strings as they are, numbers as above, booleans "true"/"false", objects and arrays
 * as compact JSON, null dropped, an empty key dropped; the first of two equal keys wins; more
 * than KR_MAX_PROPERTIES rejects the line.
 *
 * Shape. A line is a Segment message when it has anonymousId, userId or messageId, or when it
 * has "type" but no key that names anonymous_id or user_id (a flat record needs one of those,
 * so such a line can only be Segment). Otherwise it is flat. An object with a "batch" array
 * and no "type" (Segment's batch envelope) is rejected: the reader expects one message a line.
 *
 * Flat: every top-level key that kr__field_lookup() knows (case-insensitive) fills its field,
 * a field named twice rejects the line, and every other key becomes a property.
 *
 * Segment:
 *   type -> type; messageId -> event_id; anonymousId, userId, previousId -> their ids;
 *   groupId, else context.groupId -> account_id;
 *   timestamp, else originalTimestamp, else sentAt, else receivedAt -> timestamp;
 *   page and screen: name, else event -> event (kr__event_from_fields defaults it to the
 *   type's name); other types: event -> event;
 *   properties.revenue, else .value, else .total (the first that is a string or number)
 *   -> value; properties.score -> score; properties.score_scale, else .scale -> score_scale;
 *   every other member of properties -> a property of the same name;
 *   traits (identify, group) -> properties "trait_<key>" (prefixed so that a trait never
 *   shadows a property of the same name);
 *   context.device.type -> device; context.campaign.source -> channel, and every string member
 *   of context.campaign (source, medium, name, term, content) -> "campaign_<key>";
 *   top-level snake-case canonical keys (anonymous_id, user_id, account_id, device, value,
 *   score, score_scale, previous_id, event_id) fill fields still empty, so that flat exports
 *   with a camel-case userId lose nothing. Top-level "channel" is Segment's library channel
 *   ("server", "browser"), not a marketing channel, and is dropped.
 *   Everything else is dropped, not an error; in particular context.ip and the rest of
 *   context (user agent, page, locale, traits copy) are never stored, for privacy and size.
 *   Identify traits are kept as given: they may hold personal data such as an e-mail address.
 *
 * The map option (o->map, "canonical=source,...") applies to top-level keys in both shapes: a
 * key named as a source fills that field (in Segment, it overrides the mapping above), and in
 * flat records a key whose own name is a field that the map takes from elsewhere becomes a
 * property.
 *
 * Lifetimes. The texts handed to kr__event_from_fields point into the input buffer (raw),
 * jansson's strings (freed by json_decref after the callbacks) and a per-line scratch arena that
 * is reset for every line. The arena starts small; a line that needs more is gathered again
 * from the start with a larger one (views never move while they are in use), up to ARENA_CAP:
 * memory is bounded by the largest line, never by the number of lines.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "fields.h"
#include "reader_internal.h"

/* Progress is reported about this often; the 4 MB input buffer refills twice in between. */
#define PROGRESS_EVERY ((uint64_t)8 << 20)

/*
 * The scratch arena of one line. Formatting can make a line's texts longer than the line
 * ("1e14" becomes "100000000000000"); twice the longest line covers anything but such
 * contrived input, which is rejected as too big. It starts at ARENA_START, which ordinary
 * lines (a few KB) never outgrow, so that a reader of small files allocates little.
 */
#define ARENA_CAP ((size_t)2 * KR_MAX_RECORD_LEN)
#define ARENA_START ((size_t)64 << 10)

/* An over-long line is shown in its reject by this many bytes from its start. */
#define REJECT_RAW_MAX 256

#define TRAIT_PREFIX "trait_"
#define CAMPAIGN_PREFIX "campaign_"

/* What a number is formatted for. */
typedef enum { TEXT_PLAIN, TEXT_MONEY, TEXT_TIME } text_kind;

typedef struct jsonl {
    kr_reader *r;
    const kr_read_handler *h;
    kr_str map[KR_FIELD_COUNT]; /* source key per field from r->opts.map; len 0 = not mapped */
    bool has_map;
    kr__event_fields f;
    char *arena; /* arena_cap bytes, reset per line */
    size_t arena_len;
    size_t arena_cap;
    bool arena_full;       /* the line needed more than arena_cap */
    const char *bad_field; /* the canonical field at fault when a line is rejected, or NULL */
    char reason[256];
} jsonl;

/* Records why the line is rejected; returns code (KR_EPARSE or KR_ETOOBIG). */
static int fail(jsonl *j, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(jsonl *j, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->reason, sizeof j->reason, fmt, ap);
    va_end(ap);
    j->bad_field = field;
    return code;
}

static int too_big(jsonl *j)
{
    j->arena_full = true;
    return fail(j, KR_ETOOBIG, NULL, "line too large once formatted (more than %zu bytes)",
                (size_t)ARENA_CAP);
}

/* --- the per-line arena ------------------------------------------------------------------ */

static char *arena_alloc(jsonl *j, size_t n)
{
    if (n > j->arena_cap - j->arena_len)
        return NULL;
    char *p = j->arena + j->arena_len;
    j->arena_len += n;
    return p;
}

static bool arena_put(jsonl *j, const char *s, size_t n)
{
    char *p = arena_alloc(j, n);
    if (!p)
        return false;
    if (n)
        memcpy(p, s, n);
    return true;
}

/* Gives back the unused tail of the last allocation of `had` bytes that used only `used`. */
static void arena_trim(jsonl *j, size_t had, size_t used)
{
    j->arena_len -= had - used;
}

/* --- numbers as text --------------------------------------------------------------------- */

/*
 * Rewrites a number printed by printf in the current locale to the C locale: whatever is not a
 * digit, sign or exponent letter is the decimal point (which may be several bytes). In place.
 */
static size_t c_locale_number(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E')
            s[o++] = c;
        else if (o == 0 || s[o - 1] != '.')
            s[o++] = '.';
    }
    s[o] = '\0';
    return o;
}

/*
 * The shortest "%g" text (15 to 17 digits) that reads back as v: "19.99", not
 * "19.989999999999998". buf must hold 32 bytes. Returns the length.
 */
static size_t real_text(char *buf, size_t len, double v)
{
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return c_locale_number(buf, n > 0 ? (size_t)n : 0);
}

/* Money from a JSON number: decimal-point text, in fixed notation so that money parses it. */
static size_t money_text(char *buf, size_t len, double v, char decimal)
{
    size_t n = real_text(buf, len, v);
    if (memchr(buf, 'e', n) && fabs(v) < 1e30) {
        int m = snprintf(buf, len, "%.10f", v);
        n = c_locale_number(buf, m > 0 ? (size_t)m : 0);
    }
    if (decimal == ',') {
        char *dot = memchr(buf, '.', n);
        if (dot)
            *dot = ',';
    }
    return n;
}

/*
 * A timestamp from a JSON number. Whole numbers keep their meaning as integers (unix seconds,
 * milliseconds from 1e11, YYYYMMDD); a fraction is rounded to the millisecond and written as
 * ISO 8601, since an integer below 1e11 would read as seconds.
 */
static size_t time_text(char *buf, size_t len, double v)
{
    if (v == trunc(v) && fabs(v) < 9e18)
        return (size_t)snprintf(buf, len, "%lld", (long long)v);
    if (v >= 0 && v < 1e14) { /* up to the year 5138; anything else is left to be rejected */
        int64_t ms = (int64_t)llround(v >= 1e11 ? v : v * 1000.0);
        return kr_time_format(buf, len, ms);
    }
    return real_text(buf, len, v);
}

/*
 * The text of a string or number: strings are borrowed from v (valid until json_decref),
 * numbers are formatted into the arena. Returns KR_OK, KR_EINVAL for any other kind of value,
 * or KR_ETOOBIG when the arena is full.
 */
static int scalar_text(jsonl *j, const json_t *v, text_kind kind, kr_str *out)
{
    if (json_is_string(v)) {
        *out = (kr_str){json_string_value(v), json_string_length(v)};
        return KR_OK;
    }
    if (!json_is_number(v))
        return KR_EINVAL;
    /* 64 bytes hold every form below: "%.10f" of a value under 1e30 is at most 42. */
    const size_t cap = 64;
    char *buf = arena_alloc(j, cap);
    if (!buf)
        return too_big(j);
    size_t n;
    if (json_is_integer(v))
        n = (size_t)snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (kind == TEXT_MONEY)
        n = money_text(buf, cap, json_real_value(v), j->r->opts.decimal);
    else if (kind == TEXT_TIME)
        n = time_text(buf, cap, json_real_value(v));
    else
        n = real_text(buf, cap, json_real_value(v));
    if (n >= cap)
        n = cap - 1;
    arena_trim(j, cap, n);
    *out = (kr_str){buf, n};
    return KR_OK;
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

/* --- compact JSON for nested property values --------------------------------------------- */

static bool dump_string(jsonl *j, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (!arena_put(j, "\"", 1))
        return false;
    size_t plain = 0; /* start of the run of bytes that need no escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc;
        char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        size_t esc_len = 2;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        default:
            if (c >= 0x20)
                continue;
            esc = u;
            esc_len = sizeof u;
        }
        if (!arena_put(j, s + plain, i - plain) || !arena_put(j, esc, esc_len))
            return false;
        plain = i + 1;
    }
    return arena_put(j, s + plain, n - plain) && arena_put(j, "\"", 1);
}

/* Writes v as compact JSON at the end of the arena. Depth is bounded by jansson's parser. */
static bool dump_json(jsonl *j, json_t *v)
{
    char num[32];
    size_t n;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *member;
        bool first = true;
        if (!arena_put(j, "{", 1))
            return false;
        json_object_foreach(v, key, member)
        {
            if ((!first && !arena_put(j, ",", 1)) || !dump_string(j, key, strlen(key)) ||
                !arena_put(j, ":", 1) || !dump_json(j, member))
                return false;
            first = false;
        }
        return arena_put(j, "}", 1);
    }
    case JSON_ARRAY: {
        if (!arena_put(j, "[", 1))
            return false;
        for (size_t i = 0; i < json_array_size(v); i++)
            if ((i > 0 && !arena_put(j, ",", 1)) || !dump_json(j, json_array_get(v, i)))
                return false;
        return arena_put(j, "]", 1);
    }
    case JSON_STRING:
        return dump_string(j, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return arena_put(j, num, n);
    case JSON_REAL:
        n = real_text(num, sizeof num, json_real_value(v));
        return arena_put(j, num, n);
    case JSON_TRUE:
        return arena_put(j, "true", 4);
    case JSON_FALSE:
        return arena_put(j, "false", 5);
    case JSON_NULL:
        return arena_put(j, "null", 4);
    }
    return false;
}

/* --- fields and properties --------------------------------------------------------------- */

/* Fills field fld from v (null = leave as is). key names v in the reject reason. */
static int set_field(jsonl *j, kr_field fld, const json_t *v, const char *key)
{
    if (!v || json_is_null(v))
        return KR_OK;
    text_kind kind = fld == KR_FIELD_VALUE       ? TEXT_MONEY
                     : fld == KR_FIELD_TIMESTAMP ? TEXT_TIME
                                                 : TEXT_PLAIN;
    int rc = scalar_text(j, v, kind, &j->f.text[fld]);
    if (rc == KR_EINVAL)
        return fail(j, KR_EPARSE, kr__field_name(fld), "'%s' must be a string or a number, not %s",
                    key, json_kind(v));
    return rc;
}

/* Fills fld from v only when v is a string or a number; anything else is dropped. */
static int set_field_if_scalar(jsonl *j, kr_field fld, const json_t *v)
{
    if (!v || !(json_is_string(v) || json_is_number(v)))
        return KR_OK;
    return set_field(j, fld, v, "");
}

static int add_prop(jsonl *j, kr_str key, json_t *v)
{
    if (json_is_null(v) || key.len == 0)
        return KR_OK;
    for (size_t i = 0; i < j->f.prop_count; i++)
        if (kr_str_eq(j->f.props[i].key, key))
            return KR_OK;
    if (j->f.prop_count == KR_MAX_PROPERTIES)
        return fail(j, KR_ETOOBIG, NULL, "more than %d properties", KR_MAX_PROPERTIES);

    kr_str value;
    if (json_is_true(v)) {
        value = kr_str_from_cstr("true");
    } else if (json_is_false(v)) {
        value = kr_str_from_cstr("false");
    } else if (json_is_object(v) || json_is_array(v)) {
        size_t start = j->arena_len;
        if (!dump_json(j, v))
            return too_big(j);
        value = (kr_str){j->arena + start, j->arena_len - start};
    } else {
        int rc = scalar_text(j, v, TEXT_PLAIN, &value);
        if (rc < 0)
            return rc;
    }
    j->f.props[j->f.prop_count++] = (kr_property){key, value};
    return KR_OK;
}

/* Adds a property whose key is prefix + key, the key built in the arena. */
static int add_prefixed_prop(jsonl *j, const char *prefix, const char *key, json_t *v)
{
    if (json_is_null(v) || key[0] == '\0')
        return KR_OK;
    size_t p = strlen(prefix), k = strlen(key);
    char *buf = arena_alloc(j, p + k);
    if (!buf)
        return too_big(j);
    memcpy(buf, prefix, p);
    memcpy(buf + p, key, k);
    return add_prop(j, (kr_str){buf, p + k}, v);
}

static bool ieq(kr_str a, kr_str b)
{
    return a.len == b.len && (a.len == 0 || strncasecmp(a.ptr, b.ptr, a.len) == 0);
}

/* The field a key names through the map, or KR_FIELD_PROPERTY. */
static kr_field mapped_field(const jsonl *j, kr_str key)
{
    if (!j->has_map)
        return KR_FIELD_PROPERTY;
    for (int f = 0; f < KR_FIELD_COUNT; f++)
        if (j->map[f].len && ieq(j->map[f], key))
            return (kr_field)f;
    return KR_FIELD_PROPERTY;
}

/* The field a flat key fills: by the map first, else by its own name unless mapped away. */
static kr_field key_field(const jsonl *j, kr_str key)
{
    kr_field f = mapped_field(j, key);
    if (f != KR_FIELD_PROPERTY)
        return f;
    f = kr__field_lookup(key);
    if (f != KR_FIELD_PROPERTY && j->map[f].len)
        return KR_FIELD_PROPERTY;
    return f;
}

static int flat_fields(jsonl *j, json_t *obj)
{
    bool seen[KR_FIELD_COUNT] = {false};
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        kr_str k = kr_str_from_cstr(key);
        kr_field fld = key_field(j, k);
        int rc;
        if (fld == KR_FIELD_PROPERTY) {
            rc = add_prop(j, k, v);
        } else if (seen[fld]) {
            rc = fail(j, KR_EPARSE, kr__field_name(fld), "field %s given twice (again as '%s')",
                      kr__field_name(fld), key);
        } else {
            seen[fld] = true;
            rc = set_field(j, fld, v, key);
        }
        if (rc < 0)
            return rc;
    }
    return KR_OK;
}

/* Segment's batch envelope, {"batch": [...], "sentAt": ...}. */
static bool is_batch(json_t *obj)
{
    return json_is_array(json_object_get(obj, "batch")) && !json_object_get(obj, "type");
}

static bool is_segment(const jsonl *j, json_t *obj)
{
    if (json_object_get(obj, "anonymousId") || json_object_get(obj, "userId") ||
        json_object_get(obj, "messageId"))
        return true;
    if (!json_object_get(obj, "type"))
        return false;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        kr_field f = key_field(j, kr_str_from_cstr(key));
        if (f == KR_FIELD_ANONYMOUS_ID || f == KR_FIELD_USER_ID)
            return false;
    }
    return true;
}

/* The first member of obj among keys that is a string or a number, or NULL. */
static json_t *first_scalar(json_t *obj, const char *const *keys, size_t count, size_t *which)
{
    for (size_t i = 0; i < count; i++) {
        json_t *v = json_object_get(obj, keys[i]);
        if (v && (json_is_string(v) || json_is_number(v))) {
            *which = i;
            return v;
        }
    }
    return NULL;
}

static int segment_properties(jsonl *j, json_t *props)
{
    static const char *const value_keys[] = {"revenue", "value", "total"};
    static const char *const scale_keys[] = {"score_scale", "scale"};
    const char *used[3] = {NULL, NULL, NULL}; /* members that went into fields */
    size_t which;
    int rc;

    json_t *v = first_scalar(props, value_keys, 3, &which);
    if (v) {
        used[0] = value_keys[which];
        if ((rc = set_field(j, KR_FIELD_VALUE, v, value_keys[which])) < 0)
            return rc;
    }
    static const char *const score_key[] = {"score"};
    v = first_scalar(props, score_key, 1, &which);
    if (v) {
        used[1] = "score";
        if ((rc = set_field(j, KR_FIELD_SCORE, v, "score")) < 0)
            return rc;
    }
    v = first_scalar(props, scale_keys, 2, &which);
    if (v) {
        used[2] = scale_keys[which];
        if ((rc = set_field(j, KR_FIELD_SCORE_SCALE, v, scale_keys[which])) < 0)
            return rc;
    }

    const char *key;
    json_object_foreach(props, key, v)
    {
        bool skip = false;
        for (size_t i = 0; i < 3; i++)
            skip |= used[i] && strcmp(used[i], key) == 0;
        if (!skip && (rc = add_prop(j, kr_str_from_cstr(key), v)) < 0)
            return rc;
    }
    return KR_OK;
}

static int segment_context(jsonl *j, json_t *context)
{
    int rc;
    if (!j->f.text[KR_FIELD_ACCOUNT_ID].len &&
        (rc = set_field_if_scalar(j, KR_FIELD_ACCOUNT_ID, json_object_get(context, "groupId"))) < 0)
        return rc;
    json_t *device = json_object_get(context, "device");
    if (json_is_object(device) &&
        (rc = set_field_if_scalar(j, KR_FIELD_DEVICE, json_object_get(device, "type"))) < 0)
        return rc;
    json_t *campaign = json_object_get(context, "campaign");
    if (!json_is_object(campaign))
        return KR_OK;
    json_t *source = json_object_get(campaign, "source");
    if (json_is_string(source) && (rc = set_field(j, KR_FIELD_CHANNEL, source, "source")) < 0)
        return rc;
    const char *key;
    json_t *v;
    json_object_foreach(campaign, key, v)
    {
        if (json_is_string(v) && (rc = add_prefixed_prop(j, CAMPAIGN_PREFIX, key, v)) < 0)
            return rc;
    }
    return KR_OK;
}

static int segment_fields(jsonl *j, json_t *obj)
{
    static const char *const time_keys[] = {"timestamp", "originalTimestamp", "sentAt",
                                            "receivedAt"};
    static const struct {
        const char *key;
        kr_field field;
    } id_keys[] = {{"messageId", KR_FIELD_EVENT_ID},
                   {"anonymousId", KR_FIELD_ANONYMOUS_ID},
                   {"userId", KR_FIELD_USER_ID},
                   {"previousId", KR_FIELD_PREVIOUS_ID},
                   {"groupId", KR_FIELD_ACCOUNT_ID}};
    int rc;
    json_t *type = json_object_get(obj, "type");
    kr_event_type t = KR_TYPE_TRACK;
    if ((rc = set_field(j, KR_FIELD_TYPE, type, "type")) < 0)
        return rc;
    if (json_is_string(type))
        (void)kr_event_type_parse(&t, j->f.text[KR_FIELD_TYPE]); /* a bad one is rejected later */

    for (size_t i = 0; i < sizeof id_keys / sizeof *id_keys; i++) {
        json_t *v = json_object_get(obj, id_keys[i].key);
        if ((rc = set_field(j, id_keys[i].field, v, id_keys[i].key)) < 0)
            return rc;
    }

    for (size_t i = 0; i < sizeof time_keys / sizeof *time_keys; i++) {
        json_t *v = json_object_get(obj, time_keys[i]);
        if (v && !json_is_null(v)) {
            if ((rc = set_field(j, KR_FIELD_TIMESTAMP, v, time_keys[i])) < 0)
                return rc;
            break;
        }
    }

    json_t *name = json_object_get(obj, "name");
    if ((t == KR_TYPE_PAGE || t == KR_TYPE_SCREEN) && name && !json_is_null(name))
        rc = set_field(j, KR_FIELD_EVENT, name, "name");
    else
        rc = set_field(j, KR_FIELD_EVENT, json_object_get(obj, "event"), "event");
    if (rc < 0)
        return rc;

    json_t *props = json_object_get(obj, "properties");
    if (json_is_object(props) && (rc = segment_properties(j, props)) < 0)
        return rc;
    json_t *traits = json_object_get(obj, "traits");
    if (json_is_object(traits)) {
        const char *key;
        json_t *v;
        json_object_foreach(traits, key, v)
        {
            if ((rc = add_prefixed_prop(j, TRAIT_PREFIX, key, v)) < 0)
                return rc;
        }
    }
    json_t *context = json_object_get(obj, "context");
    if (json_is_object(context) && (rc = segment_context(j, context)) < 0)
        return rc;

    /* Snake-case canonical keys fill what is still empty; the map overrides everything. */
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        kr_str k = kr_str_from_cstr(key);
        kr_field f = mapped_field(j, k);
        if (f != KR_FIELD_PROPERTY) {
            j->f.text[f] = KR_STR_NULL;
            rc = set_field(j, f, v, key);
        } else {
            f = kr__field_lookup(k);
            bool fallback =
                f == KR_FIELD_ANONYMOUS_ID || f == KR_FIELD_USER_ID || f == KR_FIELD_ACCOUNT_ID ||
                f == KR_FIELD_DEVICE || f == KR_FIELD_VALUE || f == KR_FIELD_SCORE ||
                f == KR_FIELD_SCORE_SCALE || f == KR_FIELD_PREVIOUS_ID || f == KR_FIELD_EVENT_ID;
            rc = fallback && !j->map[f].len && !j->f.text[f].len ? set_field(j, f, v, key) : KR_OK;
        }
        if (rc < 0)
            return rc;
    }
    return KR_OK;
}

/* --- lines -------------------------------------------------------------------------------- */

static void send_reject(jsonl *j, kr_str raw, size_t line, const char *field, const char *reason)
{
    if (!j->h->on_reject)
        return;
    kr_reject rej = {j->r->name, line, field, reason, raw};
    j->h->on_reject(&rej, j->h->payload);
}

/* Gathers one parsed line into j->f: KR_OK, or KR_EPARSE / KR_ETOOBIG with the reason set. */
static int gather(jsonl *j, json_t *root)
{
    j->arena_len = 0;
    j->arena_full = false;
    j->bad_field = NULL;
    kr__event_fields_reset(&j->f);
    if (!json_is_object(root))
        return fail(j, KR_EPARSE, NULL, "expected a json object, not %s", json_kind(root));
    if (is_batch(root))
        return fail(j, KR_EPARSE, NULL, "a segment batch: expected one message per line");
    return is_segment(j, root) ? segment_fields(j, root) : flat_fields(j, root);
}

/*
 * Parses one non-blank line and hands out its event or its reject. Returns KR_OK (rejects
 * included), KR_ENOMEM, or the code the event callback stopped with.
 */
static int handle_line(jsonl *j, kr_str raw, size_t line)
{
    json_error_t err;
    json_t *root = json_loadb(raw.ptr, raw.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!root) {
        if (json_error_code(&err) == json_error_out_of_memory)
            return kr__reader_error(j->r, KR_ENOMEM, "%s: line %zu: out of memory", j->r->name,
                                    line);
        fail(j, KR_EPARSE, NULL, "invalid json at column %d: %s", err.column, err.text);
        send_reject(j, raw, line, NULL, j->reason);
        return KR_OK;
    }

    int rc = gather(j, root);
    while (rc == KR_ETOOBIG && j->arena_full && j->arena_cap < ARENA_CAP) {
        /* Nothing points into the arena outside this line: grow it and gather again. */
        size_t cap = j->arena_cap * 2 < ARENA_CAP ? j->arena_cap * 2 : ARENA_CAP;
        char *bigger = realloc(j->arena, cap);
        if (!bigger) {
            json_decref(root);
            return kr__reader_error(j->r, KR_ENOMEM, "%s: line %zu: out of memory", j->r->name,
                                    line);
        }
        j->arena = bigger;
        j->arena_cap = cap;
        rc = gather(j, root);
    }

    kr_event ev = KR_EVENT_INIT;
    if (rc == KR_OK) {
        const char *field = NULL;
        rc = kr__event_from_fields(&ev, &j->f, &j->r->opts, &field, j->reason, sizeof j->reason);
        j->bad_field = field;
    }
    if (rc < 0) {
        send_reject(j, raw, line, j->bad_field, j->reason);
        rc = KR_OK;
    } else if (j->h->on_event) {
        rc = j->h->on_event(&ev, raw, line, j->h->payload);
        if (rc < 0)
            kr__reader_error(j->r, rc, "%s: line %zu: stopped by the event handler (%s)",
                             j->r->name, line, kr_strerror(rc));
    }
    json_decref(root);
    return rc;
}

enum { LINE_EOF = 0, LINE_OK = 1, LINE_TOO_LONG = 2 };

/*
 * Finds the next line in in. LINE_OK: *out is the line with its '\n' (not its '\r') removed,
 * and *next the index where the following line starts. LINE_TOO_LONG: no '\n' within
 * KR_MAX_RECORD_LEN + 2 bytes; *out holds what is buffered. LINE_EOF, or KR_EIO.
 */
static int next_line(kr__input *in, kr_str *out, size_t *next)
{
    size_t scan = in->start;
    for (;;) {
        const char *nl = memchr(in->buf + scan, '\n', in->end - scan);
        if (nl) {
            size_t e = (size_t)(nl - in->buf);
            *out = (kr_str){in->buf + in->start, e - in->start};
            *next = e + 1;
            return LINE_OK;
        }
        if (in->eof) {
            if (in->start == in->end)
                return LINE_EOF;
            *out = (kr_str){in->buf + in->start, in->end - in->start};
            *next = in->end;
            return LINE_OK;
        }
        /* Room for the longest line plus "\r": more without '\n' is too long. The buffer
           (KR_INPUT_BUF_CAP) is larger, so kr__input_fill below always has room. */
        if (in->end - in->start > KR_MAX_RECORD_LEN + 1) {
            *out = (kr_str){in->buf + in->start, in->end - in->start};
            return LINE_TOO_LONG;
        }
        size_t scanned = in->end - in->start;
        int rc = kr__input_fill(in);
        if (rc < 0)
            return rc;
        scan = in->start + scanned;
    }
}

/* Drops input up to and including the next '\n' (or to the end). */
static int skip_line(kr__input *in)
{
    for (;;) {
        const char *nl = memchr(in->buf + in->start, '\n', in->end - in->start);
        if (nl) {
            in->start = (size_t)(nl - in->buf) + 1;
            return KR_OK;
        }
        in->start = in->end;
        if (in->eof)
            return KR_OK;
        int rc = kr__input_fill(in);
        if (rc < 0)
            return rc;
    }
}

static bool is_blank(kr_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] != ' ' && s.ptr[i] != '\t' && s.ptr[i] != '\r')
            return false;
    return true;
}

static kr_str trim(kr_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

/* Reads r->opts.map, "canonical=source,...", into j->map. */
static int parse_map(jsonl *j)
{
    kr_reader *r = j->r;
    const char *p = r->opts.map;
    if (!p)
        return KR_OK;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        kr_str entry = trim((kr_str){p, n});
        p += n + (comma != NULL);
        if (entry.len == 0)
            continue;
        const char *eq = memchr(entry.ptr, '=', entry.len);
        if (!eq)
            return kr__reader_error(r, KR_EINVAL, "%s: map entry '%.*s' is not canonical=source",
                                    r->name, (int)entry.len, entry.ptr);
        kr_str name = trim((kr_str){entry.ptr, (size_t)(eq - entry.ptr)});
        kr_str src = trim((kr_str){eq + 1, entry.len - (size_t)(eq - entry.ptr) - 1});
        kr_field f = kr__field_lookup(name);
        if (f == KR_FIELD_PROPERTY)
            return kr__reader_error(r, KR_EINVAL, "%s: map entry '%.*s': unknown field '%.*s'",
                                    r->name, (int)entry.len, entry.ptr, (int)name.len, name.ptr);
        if (src.len == 0)
            return kr__reader_error(r, KR_EINVAL, "%s: map entry '%.*s' has no source key", r->name,
                                    (int)entry.len, entry.ptr);
        if (j->map[f].len)
            return kr__reader_error(r, KR_EINVAL, "%s: map names field %s twice", r->name,
                                    kr__field_name(f));
        for (int g = 0; g < KR_FIELD_COUNT; g++)
            if (ieq(j->map[g], src))
                return kr__reader_error(r, KR_EINVAL, "%s: map takes both %s and %s from '%.*s'",
                                        r->name, kr__field_name((kr_field)g), kr__field_name(f),
                                        (int)src.len, src.ptr);
        j->map[f] = src;
        j->has_map = true;
    }
    return KR_OK;
}

int kr__jsonl_read_events(kr_reader *r, const kr_read_handler *h)
{
    kr__input *in = &r->in;
    int rc;
    jsonl *j = calloc(1, sizeof *j);
    if (!j)
        return kr__reader_error(r, KR_ENOMEM, "%s: out of memory", r->name);
    j->r = r;
    j->h = h;
    if ((rc = parse_map(j)) < 0)
        goto done;
    j->arena_cap = ARENA_START;
    j->arena = malloc(j->arena_cap);
    if (!j->arena) {
        rc = kr__reader_error(r, KR_ENOMEM, "%s: out of memory", r->name);
        goto done;
    }

    size_t line = 0;
    uint64_t next_progress = PROGRESS_EVERY;
    for (;;) {
        kr_str text;
        size_t next = 0;
        int got = next_line(in, &text, &next);
        if (got < 0) {
            rc = kr__reader_error(r, KR_EIO, "%s: read error after line %zu: %s", r->name, line,
                                  strerror(errno));
            goto done;
        }
        if (got == LINE_EOF)
            break;
        line++;
        if (line == 1 && text.len >= 3 && memcmp(text.ptr, "\xEF\xBB\xBF", 3) == 0) {
            text.ptr += 3;
            text.len -= 3;
        }
        if (got == LINE_TOO_LONG) {
            fail(j, KR_ETOOBIG, NULL, "line longer than %u bytes", KR_MAX_RECORD_LEN);
            text.len = text.len < REJECT_RAW_MAX ? text.len : REJECT_RAW_MAX;
            send_reject(j, text, line, NULL, j->reason);
            if (skip_line(in) < 0) {
                rc = kr__reader_error(r, KR_EIO, "%s: read error in line %zu: %s", r->name, line,
                                      strerror(errno));
                goto done;
            }
        } else {
            if (text.len && text.ptr[text.len - 1] == '\r')
                text.len--;
            if (text.len > KR_MAX_RECORD_LEN) {
                fail(j, KR_ETOOBIG, NULL, "line longer than %u bytes", KR_MAX_RECORD_LEN);
                send_reject(j, (kr_str){text.ptr, REJECT_RAW_MAX}, line, NULL, j->reason);
            } else if (!is_blank(text) && (rc = handle_line(j, text, line)) < 0) {
                goto done;
            }
            in->start = next;
        }
        if (in->consumed + in->start >= next_progress) {
            kr__reader_progress(r, h);
            next_progress = in->consumed + in->start + PROGRESS_EVERY;
        }
    }
    rc = KR_OK;
done:
    free(j->arena);
    free(j);
    return rc;
}
