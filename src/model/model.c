/*
 * model.c - reads journey.yaml with libyaml's document loader and validates it into a
 * kr_model: fixed schema, every error names file:line:column and what was expected.
 *
 *     kr_model *m;
 *     if (kr_model_load_string(&m, text, len, "journey.yaml") < 0)
 *         puts(kr_model_errmsg(m));
 *     printf("%zu phases\n", kr_model_get(m)->phase_count);
 *     kr_model_free(m);
 *
 * The walker only descends into the structure the schema names, never generically, so
 * aliases (which libyaml loads as shared, possibly cyclic, node references) cannot make it
 * loop or blow up: every list it reads is capped (KR_MODEL_MAX_*).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "model/model_internal.h"

/* --- arena ---------------------------------------------------------------------------------- */

typedef struct kr__model_chunk {
    struct kr__model_chunk *next;
    size_t used, cap;
    max_align_t data[];
} chunk;

static void *arena_alloc(kr_model *m, size_t len)
{
    len = (len + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (len == 0)
        len = sizeof(max_align_t);
    chunk *c = m->chunks;
    if (!c || c->cap - c->used < len) {
        size_t cap = len > 16384 ? len : 16384;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = m->chunks;
        c->used = 0;
        c->cap = cap;
        m->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += len;
    memset(p, 0, len);
    return p;
}

static kr_str arena_str(kr_model *m, const char *s, size_t len, bool *ok)
{
    char *p = arena_alloc(m, len + 1);
    if (!p) {
        *ok = false;
        return KR_STR_NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return (kr_str){p, len};
}

/* --- messages ------------------------------------------------------------------------------ */

typedef struct ctx {
    kr_model *m;
    yaml_document_t *doc;
    const char *name;
    /* Per phase, the node of its micro_conversions list: resolved once all touchpoints exist. */
    yaml_node_t *micro_nodes[KR_MODEL_MAX_PHASES];
} ctx;

static int failv(ctx *c, const yaml_node_t *n, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int failv(ctx *c, const yaml_node_t *n, const char *fmt, va_list ap)
{
    kr_model *m = c->m;
    int off =
        snprintf(m->errmsg, sizeof m->errmsg, "%s:%zu:%zu: ", c->name,
                 n ? (size_t)n->start_mark.line + 1 : 1, n ? (size_t)n->start_mark.column + 1 : 1);
    if (off > 0 && (size_t)off < sizeof m->errmsg)
        vsnprintf(m->errmsg + off, sizeof m->errmsg - (size_t)off, fmt, ap);
    return KR_EPARSE;
}

static int fail(ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = failv(c, n, fmt, ap);
    va_end(ap);
    return rc;
}

static int nomem(ctx *c)
{
    snprintf(c->m->errmsg, sizeof c->m->errmsg, "%s: out of memory", c->name);
    return KR_ENOMEM;
}

static int warn(ctx *c, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int warn(ctx *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
    kr_model *m = c->m;
    if (m->warning_count == KR_MODEL_MAX_WARNINGS)
        return KR_OK;
    char buf[512];
    int off = snprintf(buf, sizeof buf, "%s:%u:%u: warning: ", c->name, line, col);
    va_list ap;
    va_start(ap, fmt);
    if (off > 0 && (size_t)off < sizeof buf)
        vsnprintf(buf + off, sizeof buf - (size_t)off, fmt, ap);
    va_end(ap);
    bool ok = true;
    kr_str s = arena_str(m, buf, strlen(buf), &ok);
    if (!ok)
        return nomem(c);
    m->warnings[m->warning_count++] = s.ptr;
    return KR_OK;
}

/* --- node helpers -------------------------------------------------------------------------- */

static const char *kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return "a string";
    }
}

static yaml_node_t *get_node(ctx *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

static kr_str scalar(const yaml_node_t *n)
{
    return (kr_str){(const char *)n->data.scalar.value, n->data.scalar.length};
}

/* A plain empty scalar, "~" or "null" means "absent" (YAML's null). */
static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    kr_str s = scalar(n);
    return s.len == 0 || kr_str_eq_cstr(s, "~") || kr_str_eq_cstr(s, "null");
}

/*
 * Reads mapping n whose allowed keys are keys[] (NULL-terminated): vals[i] is the value of
 * keys[i], or NULL when absent or null. what names the mapping in messages.
 */
static int read_map(ctx *c, const yaml_node_t *n, const char *what, const char *const *keys,
                    yaml_node_t **vals)
{
    size_t nkeys = 0;
    while (keys[nkeys])
        vals[nkeys++] = NULL;
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "expected a mapping for %s, found %s", what, kind(n));
    bool seen[32] = {false};
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = get_node(c, p->key), *v = get_node(c, p->value);
        if (!k || !v)
            return fail(c, n, "broken mapping in %s", what);
        if (k->type != YAML_SCALAR_NODE)
            return fail(c, k, "expected a key (a string) in %s, found %s", what, kind(k));
        kr_str key = scalar(k);
        size_t i = 0;
        while (i < nkeys && !kr_str_eq_cstr(key, keys[i]))
            i++;
        if (i == nkeys) {
            char expected[400];
            size_t off = 0;
            for (size_t j = 0; j < nkeys && off < sizeof expected; j++) {
                int w =
                    snprintf(expected + off, sizeof expected - off, "%s%s", j ? ", " : "", keys[j]);
                if (w < 0)
                    break;
                off += (size_t)w;
            }
            return fail(c, k, "unknown key '%.*s' in %s (expected %s)",
                        (int)(key.len > 60 ? 60 : key.len), key.ptr, what, expected);
        }
        if (seen[i])
            return fail(c, k, "duplicate key '%s' in %s", keys[i], what);
        seen[i] = true;
        vals[i] = is_null(v) ? NULL : v;
    }
    return KR_OK;
}

static int get_str(ctx *c, const yaml_node_t *n, const char *what, kr_str *out)
{
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n, "expected a string for %s, found %s", what, kind(n));
    kr_str s = scalar(n);
    bool ok = true;
    *out = arena_str(c->m, s.ptr, s.len, &ok);
    return ok ? KR_OK : nomem(c);
}

static int get_id(ctx *c, const yaml_node_t *n, const char *what, kr_str *out)
{
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n, "expected an id (a string) for %s, found %s", what, kind(n));
    kr_str s = scalar(n);
    bool good = s.len > 0 && s.len <= 64;
    for (size_t i = 0; good && i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        good = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '-' || ch == '_' || ch == '.';
    }
    if (!good)
        return fail(c, n, "bad id '%.*s' for %s: use 1-64 letters, digits, '-', '_' or '.'",
                    (int)(s.len > 60 ? 60 : s.len), s.ptr, what);
    return get_str(c, n, what, out);
}

/* One string or a non-empty list of strings. */
static int get_list(ctx *c, const yaml_node_t *n, const char *what, const kr_str **out,
                    size_t *count)
{
    if (n->type == YAML_SCALAR_NODE) {
        kr_str *a = arena_alloc(c->m, sizeof *a);
        if (!a)
            return nomem(c);
        *out = a;
        *count = 1;
        return get_str(c, n, what, a);
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(c, n, "expected a string or a list of strings for %s, found %s", what, kind(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (len == 0)
        return fail(c, n, "empty list for %s: name at least one value", what);
    if (len > KR_MODEL_MAX_LIST)
        return fail(c, n, "too many values for %s (at most %d)", what, KR_MODEL_MAX_LIST);
    kr_str *a = arena_alloc(c->m, len * sizeof *a);
    if (!a)
        return nomem(c);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = get_node(c, n->data.sequence.items.start[i]);
        if (!item)
            return fail(c, n, "broken list in %s", what);
        if (item->type != YAML_SCALAR_NODE)
            return fail(c, item, "expected a string in the list for %s, found %s", what,
                        kind(item));
        int rc = get_str(c, item, what, &a[i]);
        if (rc < 0)
            return rc;
    }
    *out = a;
    *count = len;
    return KR_OK;
}

/* A plain string (both languages) or {nl: ..., en: ...}. */
static int get_text(ctx *c, const yaml_node_t *n, const char *what, kr_model_text *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        int rc = get_str(c, n, what, &out->nl);
        out->en = out->nl;
        return rc;
    }
    static const char *const keys[] = {"nl", "en", NULL};
    yaml_node_t *v[2];
    char where[96];
    snprintf(where, sizeof where, "%s", what);
    int rc = read_map(c, n, where, keys, v);
    if (rc < 0)
        return rc;
    if (!v[0] && !v[1])
        return fail(c, n, "expected nl and/or en in %s", what);
    if (v[0] && (rc = get_str(c, v[0], what, &out->nl)) < 0)
        return rc;
    if (v[1] && (rc = get_str(c, v[1], what, &out->en)) < 0)
        return rc;
    return KR_OK;
}

/* A number in [lo, hi]; with percent, "40%" reads as 0.4. */
static int get_num(ctx *c, const yaml_node_t *n, const char *what, double lo, double hi,
                   bool percent, double *out)
{
    if (n->type != YAML_SCALAR_NODE)
        return fail(c, n, "expected a number for %s, found %s", what, kind(n));
    kr_str s = scalar(n);
    char buf[64];
    if (s.len == 0 || s.len >= sizeof buf)
        return fail(c, n, "expected a number for %s", what);
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (percent && end != buf && *end == '%' && end[1] == '\0') {
        v /= 100.0;
        end++;
    }
    if (end == buf || *end || errno || !isfinite(v))
        return fail(c, n, "expected a number for %s, not '%s'", what, buf);
    if (v < lo || v > hi)
        return fail(c, n, "%s must lie between %g and %g, not %s", what, lo, hi, buf);
    *out = v;
    return KR_OK;
}

static int get_bool(ctx *c, const yaml_node_t *n, const char *what, bool *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        kr_str s = scalar(n);
        static const char *const yes[] = {"true", "yes", "ja", "on"};
        static const char *const no[] = {"false", "no", "nee", "off"};
        for (size_t i = 0; i < 4; i++) {
            if (s.len == strlen(yes[i]) && strncasecmp(s.ptr, yes[i], s.len) == 0) {
                *out = true;
                return KR_OK;
            }
            if (s.len == strlen(no[i]) && strncasecmp(s.ptr, no[i], s.len) == 0) {
                *out = false;
                return KR_OK;
            }
        }
    }
    return fail(c, n, "expected true or false for %s", what);
}

static size_t seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static int expect_seq(ctx *c, const yaml_node_t *n, const char *what, size_t max)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(c, n, "expected a list for %s, found %s", what, kind(n));
    if (seq_len(n) > max)
        return fail(c, n, "too many %s (at most %zu)", what, max);
    return KR_OK;
}

static uint32_t line_of(const yaml_node_t *n)
{
    return (uint32_t)n->start_mark.line + 1;
}

/* --- rules --------------------------------------------------------------------------------- */

/* Lists key among the model's property keys (kr_model_property_keys), once. */
static int note_prop_key(ctx *c, const yaml_node_t *n, kr_str key)
{
    kr_model *m = c->m;
    for (size_t i = 0; i < m->prop_key_count; i++)
        if (kr_str_eq(m->prop_keys[i], key))
            return KR_OK;
    if (m->prop_key_count == KR_MODEL_MAX_PROPERTY_KEYS)
        return fail(c, n, "too many property keys: a model names at most %d distinct keys",
                    KR_MODEL_MAX_PROPERTY_KEYS);
    m->prop_keys[m->prop_key_count++] = key;
    return KR_OK;
}

static int read_props(ctx *c, const yaml_node_t *n, const char *what,
                      const kr_model_prop_rule **out, size_t *count)
{
    int rc = expect_seq(c, n, "property rules", KR_MODEL_MAX_LIST);
    if (rc < 0)
        return rc;
    size_t len = seq_len(n);
    if (len == 0)
        return fail(c, n, "empty list of property rules in %s", what);
    kr_model_prop_rule *a = arena_alloc(c->m, len * sizeof *a);
    if (!a)
        return nomem(c);
    static const char *const keys[] = {"key", "equals", "prefix", "one_of", NULL};
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = get_node(c, n->data.sequence.items.start[i]), *v[4];
        if (!item)
            return fail(c, n, "broken list in %s", what);
        if ((rc = read_map(c, item, "a property rule", keys, v)) < 0)
            return rc;
        if (!v[0])
            return fail(c, item, "bad rule: a property rule needs 'key'");
        if ((rc = get_str(c, v[0], "key", &a[i].key)) < 0)
            return rc;
        if (a[i].key.len == 0)
            return fail(c, v[0], "bad rule: empty property key");
        if ((rc = note_prop_key(c, v[0], a[i].key)) < 0)
            return rc;
        int ops = (v[1] != NULL) + (v[2] != NULL) + (v[3] != NULL);
        if (ops != 1)
            return fail(c, item,
                        "bad rule: a property rule needs exactly one of equals, prefix, one_of");
        if (v[3]) {
            a[i].op = KR_PROP_ONE_OF;
            if (v[3]->type != YAML_SEQUENCE_NODE)
                return fail(c, v[3], "expected a list for one_of, found %s", kind(v[3]));
            rc = get_list(c, v[3], "one_of", &a[i].values, &a[i].value_count);
        } else {
            a[i].op = v[1] ? KR_PROP_EQUALS : KR_PROP_PREFIX;
            rc = get_list(c, v[1] ? v[1] : v[2], v[1] ? "equals" : "prefix", &a[i].values,
                          &a[i].value_count);
            if (rc == KR_OK && a[i].value_count != 1)
                return fail(c, v[1] ? v[1] : v[2], "bad rule: %s takes one value",
                            v[1] ? "equals" : "prefix");
        }
        if (rc < 0)
            return rc;
    }
    *out = a;
    *count = len;
    return KR_OK;
}

static int read_rule(ctx *c, const yaml_node_t *n, kr_model_rule *r)
{
    static const char *const keys[] = {"event", "channel", "device", "type", "properties", NULL};
    yaml_node_t *v[5];
    int rc = read_map(c, n, "a match rule", keys, v);
    if (rc < 0)
        return rc;
    if (!v[0] && !v[1] && !v[2] && !v[3] && !v[4])
        return fail(c, n,
                    "bad rule: match needs at least one of event, channel, device, type, "
                    "properties");
    if (v[0] && (rc = get_list(c, v[0], "event", &r->events, &r->event_count)) < 0)
        return rc;
    if (v[1] && (rc = get_list(c, v[1], "channel", &r->channels, &r->channel_count)) < 0)
        return rc;
    if (v[2] && (rc = get_list(c, v[2], "device", &r->devices, &r->device_count)) < 0)
        return rc;
    if (v[3]) {
        const kr_str *types;
        size_t count;
        if ((rc = get_list(c, v[3], "type", &types, &count)) < 0)
            return rc;
        for (size_t i = 0; i < count; i++) {
            kr_event_type t;
            if (kr_event_type_parse(&t, types[i]) < 0)
                return fail(c, v[3],
                            "bad rule: unknown event type '%.*s' (expected track, identify, "
                            "page, screen, alias or group)",
                            (int)(types[i].len > 40 ? 40 : types[i].len), types[i].ptr);
            r->types |= 1u << t;
        }
    }
    if (v[4] && (rc = read_props(c, v[4], "a match rule", &r->props, &r->prop_count)) < 0)
        return rc;
    return KR_OK;
}

/* --- touchpoints and phases ---------------------------------------------------------------- */

static int find_touchpoint(const kr_model *m, kr_str id, uint32_t *out)
{
    for (uint32_t i = 0; i < m->touchpoint_count; i++) {
        if (kr_str_eq(m->touchpoints[i].id, id)) {
            *out = i;
            return KR_OK;
        }
    }
    return KR_ENOTFOUND;
}

static bool brand_value_known(const kr_model *m, kr_str v)
{
    for (size_t i = 0; i < m->brand_value_count; i++) {
        const kr_model_text *t = &m->brand_values[i];
        if ((t->nl.len == v.len && strncasecmp(t->nl.ptr, v.ptr, v.len) == 0) ||
            (t->en.len == v.len && strncasecmp(t->en.ptr, v.ptr, v.len) == 0))
            return true;
    }
    return false;
}

static int read_touchpoint(ctx *c, const yaml_node_t *n, uint32_t phase)
{
    kr_model *m = c->m;
    if (m->touchpoint_count == KR_MODEL_MAX_TOUCHPOINTS)
        return fail(c, n, "too many touchpoints (at most %d)", KR_MODEL_MAX_TOUCHPOINTS);
    static const char *const keys[] = {"id",     "name",         "channel",     "online",
                                       "direct", "initiated_by", "brand_value", "expected_emotion",
                                       "match",  "description",  NULL};
    yaml_node_t *v[10];
    int rc = read_map(c, n, "a touchpoint", keys, v);
    if (rc < 0)
        return rc;
    kr_model_touchpoint *tp = &m->touchpoints[m->touchpoint_count];
    memset(tp, 0, sizeof *tp);
    tp->phase = phase;
    tp->line = line_of(n);
    tp->online = tp->direct = -1;
    if (!v[0])
        return fail(c, n, "a touchpoint needs an 'id'");
    if ((rc = get_id(c, v[0], "touchpoint id", &tp->id)) < 0)
        return rc;
    uint32_t dup;
    if (find_touchpoint(m, tp->id, &dup) == KR_OK)
        return fail(c, v[0], "duplicate touchpoint id '%s' (first on line %u)", tp->id.ptr,
                    m->touchpoints[dup].line);
    if (v[1]) {
        if ((rc = get_text(c, v[1], "touchpoint name", &tp->name)) < 0)
            return rc;
    } else {
        tp->name.nl = tp->name.en = tp->id;
    }
    if (v[2] && (rc = get_str(c, v[2], "channel", &tp->channel)) < 0)
        return rc;
    bool b;
    if (v[3]) {
        if ((rc = get_bool(c, v[3], "online", &b)) < 0)
            return rc;
        tp->online = b;
    }
    if (v[4]) {
        if ((rc = get_bool(c, v[4], "direct", &b)) < 0)
            return rc;
        tp->direct = b;
    }
    if (v[5]) {
        kr_str who;
        if ((rc = get_str(c, v[5], "initiated_by", &who)) < 0)
            return rc;
        if (kr_str_eq_cstr(who, "customer") || kr_str_eq_cstr(who, "klant"))
            tp->initiated_by = KR_INITIATOR_CUSTOMER;
        else if (kr_str_eq_cstr(who, "company") || kr_str_eq_cstr(who, "bedrijf"))
            tp->initiated_by = KR_INITIATOR_COMPANY;
        else
            return fail(c, v[5], "expected customer or company for initiated_by, not '%s'",
                        who.ptr);
    }
    if (v[6]) {
        if ((rc = get_str(c, v[6], "brand_value", &tp->brand_value)) < 0)
            return rc;
        if (m->brand_value_count && !brand_value_known(m, tp->brand_value))
            return fail(c, v[6], "unknown brand value '%s' (not in brand_values)",
                        tp->brand_value.ptr);
    }
    if (v[7]) {
        if ((rc = get_num(c, v[7], "expected_emotion", -2, 2, false, &tp->expected_emotion)) < 0)
            return rc;
        tp->has_expected_emotion = true;
    }
    if (v[8]) {
        if ((rc = read_rule(c, v[8], &tp->match)) < 0)
            return rc;
        tp->has_match = true;
    }
    m->touchpoint_count++;
    if (!tp->has_match)
        return warn(c, tp->line, (uint32_t)n->start_mark.column + 1,
                    "touchpoint '%s' has no match rule: it is on the map, but no event can "
                    "match it",
                    tp->id.ptr);
    return KR_OK;
}

/*
 * Names that are a channel or an action, not a stage of the customer's life: a phase named like
 * this with a single touchpoint is a touchpoint used as a chapter (seed 002).
 */
static bool channel_or_action(kr_str s)
{
    static const char *const words[] = {
        "ad",          "ads",          "advertentie", "advertenties", "advertising",
        "banner",      "email",        "e_mail",      "mail",         "mailing",
        "newsletter",  "nieuwsbrief",  "google",      "seo",          "sea",
        "social",      "social_media", "facebook",    "instagram",    "linkedin",
        "youtube",     "tiktok",       "website",     "site",         "web",
        "webshop",     "app",          "phone",       "telefoon",     "call",
        "store",       "winkel",       "chat",        "whatsapp",     "referral",
        "tv",          "radio",        "print",       "folder",       "view",
        "page_view",   "click",        "klik",        "klikken",      "visit",
        "bezoek",      "search",       "zoeken",      "buy",          "kopen",
        "bestellen",   "order",        "checkout",    "afrekenen",    "pay",
        "betalen",     "signup",       "sign_up",     "aanmelden",    "inschrijven",
        "register",    "registreren",  "download",    "login",        "inloggen",
        "add_to_cart", "cart",         "winkelwagen", "bellen",       NULL};
    char buf[64];
    if (s.len == 0 || s.len >= sizeof buf)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        buf[i] = (ch == ' ' || ch == '-') ? '_' : (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
    }
    buf[s.len] = '\0';
    for (size_t i = 0; words[i]; i++)
        if (strcmp(buf, words[i]) == 0)
            return true;
    return false;
}

static int read_phase(ctx *c, const yaml_node_t *n)
{
    kr_model *m = c->m;
    static const char *const keys[] = {"id",
                                       "name",
                                       "description",
                                       "goal",
                                       "touchpoints",
                                       "kpis",
                                       "micro_conversions",
                                       "expected_conversion",
                                       "expected_emotion",
                                       NULL};
    yaml_node_t *v[9];
    int rc = read_map(c, n, "a phase", keys, v);
    if (rc < 0)
        return rc;
    uint32_t index = (uint32_t)m->phase_count;
    kr_model_phase *ph = &m->phases[index];
    memset(ph, 0, sizeof *ph);
    ph->line = line_of(n);
    if (!v[0])
        return fail(c, n, "a phase needs an 'id'");
    if ((rc = get_id(c, v[0], "phase id", &ph->id)) < 0)
        return rc;
    for (size_t i = 0; i < index; i++)
        if (kr_str_eq(m->phases[i].id, ph->id))
            return fail(c, v[0], "duplicate phase id '%s' (first on line %u)", ph->id.ptr,
                        m->phases[i].line);
    if (v[1]) {
        if ((rc = get_text(c, v[1], "phase name", &ph->name)) < 0)
            return rc;
    } else {
        ph->name.nl = ph->name.en = ph->id;
    }
    if (v[2] && (rc = get_text(c, v[2], "description", &ph->description)) < 0)
        return rc;
    if (v[3] && (rc = get_text(c, v[3], "goal", &ph->goal)) < 0)
        return rc;
    if (v[5] && (rc = get_list(c, v[5], "kpis", &ph->kpis, &ph->kpi_count)) < 0)
        return rc;
    if (v[7]) {
        if ((rc = get_num(c, v[7], "expected_conversion", 0, 1, true, &ph->expected_conversion)) <
            0)
            return rc;
        ph->has_expected_conversion = true;
    }
    if (v[8]) {
        if ((rc = get_num(c, v[8], "expected_emotion", -2, 2, false, &ph->expected_emotion)) < 0)
            return rc;
        ph->has_expected_emotion = true;
    }
    if (!v[4])
        return fail(c, n,
                    "phase '%s' has no touchpoints: a phase (chapter) holds the "
                    "touchpoints where it happens",
                    ph->id.ptr);
    if ((rc = expect_seq(c, v[4], "touchpoints", KR_MODEL_MAX_TOUCHPOINTS)) < 0)
        return rc;
    if (seq_len(v[4]) == 0)
        return fail(c, v[4],
                    "phase '%s' has no touchpoints: a phase (chapter) holds the "
                    "touchpoints where it happens",
                    ph->id.ptr);
    ph->first_touchpoint = (uint32_t)m->touchpoint_count;
    for (size_t i = 0; i < seq_len(v[4]); i++) {
        yaml_node_t *item = get_node(c, v[4]->data.sequence.items.start[i]);
        if (!item)
            return fail(c, v[4], "broken list of touchpoints");
        if ((rc = read_touchpoint(c, item, index)) < 0)
            return rc;
    }
    ph->touchpoint_count = (uint32_t)m->touchpoint_count - ph->first_touchpoint;
    c->micro_nodes[index] = v[6];
    m->phase_count++;

    uint32_t col = (uint32_t)n->start_mark.column + 1;
    if (ph->touchpoint_count == 1 && (channel_or_action(ph->id) || channel_or_action(ph->name.nl) ||
                                      channel_or_action(ph->name.en)))
        if ((rc = warn(c, ph->line, col,
                       "phase '%s' has one touchpoint and is named after a channel or an "
                       "action: is a touchpoint used as a chapter? a phase is a stage the "
                       "customer goes through, holding several touchpoints",
                       ph->id.ptr)) < 0)
            return rc;
    bool measurable = false;
    for (uint32_t t = ph->first_touchpoint; t < m->touchpoint_count; t++)
        measurable |= m->touchpoints[t].has_match;
    if (!measurable)
        return warn(c, ph->line, col,
                    "phase '%s' cannot be seen in data: none of its touchpoints has a match "
                    "rule",
                    ph->id.ptr);
    return KR_OK;
}

static int resolve_micro(ctx *c)
{
    kr_model *m = c->m;
    for (size_t p = 0; p < m->phase_count; p++) {
        yaml_node_t *n = c->micro_nodes[p];
        if (!n)
            continue;
        const kr_str *ids;
        size_t count;
        int rc = get_list(c, n, "micro_conversions", &ids, &count);
        if (rc < 0)
            return rc;
        uint32_t *idx = arena_alloc(m, count * sizeof *idx);
        if (!idx)
            return nomem(c);
        for (size_t i = 0; i < count; i++) {
            if (find_touchpoint(m, ids[i], &idx[i]) < 0)
                return fail(c, n,
                            "unknown touchpoint '%s' in micro_conversions (a micro-conversion "
                            "names a touchpoint id)",
                            ids[i].ptr);
            for (size_t j = 0; j < i; j++)
                if (idx[j] == idx[i])
                    return fail(c, n, "touchpoint '%s' is listed twice in micro_conversions",
                                ids[i].ptr);
        }
        m->phases[p].micro = idx;
        m->phases[p].micro_count = count;
    }
    return KR_OK;
}

/* --- personas, goals, scope ---------------------------------------------------------------- */

static int read_persona(ctx *c, const yaml_node_t *n)
{
    kr_model *m = c->m;
    static const char *const keys[] = {"id", "name", "description", "match", NULL};
    yaml_node_t *v[4];
    int rc = read_map(c, n, "a persona", keys, v);
    if (rc < 0)
        return rc;
    kr_model_persona *p = &m->personas[m->persona_count];
    memset(p, 0, sizeof *p);
    p->line = line_of(n);
    p->account = -1;
    p->did_touchpoint = KR_MODEL_NONE;
    if (!v[0])
        return fail(c, n, "a persona needs an 'id'");
    if ((rc = get_id(c, v[0], "persona id", &p->id)) < 0)
        return rc;
    for (size_t i = 0; i < m->persona_count; i++)
        if (kr_str_eq(m->personas[i].id, p->id))
            return fail(c, v[0], "duplicate persona id '%s' (first on line %u)", p->id.ptr,
                        m->personas[i].line);
    if (v[1]) {
        if ((rc = get_text(c, v[1], "persona name", &p->name)) < 0)
            return rc;
    } else {
        p->name.nl = p->name.en = p->id;
    }
    if (v[2] && (rc = get_text(c, v[2], "description", &p->description)) < 0)
        return rc;
    if (v[3]) {
        static const char *const rkeys[] = {
            "first_channel", "first_device",   "account",    "account_id",
            "did_event",     "did_touchpoint", "properties", NULL};
        yaml_node_t *r[7];
        if ((rc = read_map(c, v[3], "a persona rule", rkeys, r)) < 0)
            return rc;
        if (!r[0] && !r[1] && !r[2] && !r[3] && !r[4] && !r[5] && !r[6])
            return fail(c, v[3],
                        "bad rule: a persona rule needs at least one of first_channel, "
                        "first_device, account, account_id, did_event, did_touchpoint, "
                        "properties");
        p->has_match = true;
        if (r[0] && (rc = get_list(c, r[0], "first_channel", &p->first_channels,
                                   &p->first_channel_count)) < 0)
            return rc;
        if (r[1] &&
            (rc = get_list(c, r[1], "first_device", &p->first_devices, &p->first_device_count)) < 0)
            return rc;
        if (r[2]) {
            bool b;
            if ((rc = get_bool(c, r[2], "account", &b)) < 0)
                return rc;
            p->account = b;
        }
        if (r[3] && (rc = get_list(c, r[3], "account_id", &p->accounts, &p->account_count)) < 0)
            return rc;
        if (r[4] && (rc = get_list(c, r[4], "did_event", &p->did_events, &p->did_event_count)) < 0)
            return rc;
        if (r[5]) {
            kr_str id;
            uint32_t tp;
            if ((rc = get_str(c, r[5], "did_touchpoint", &id)) < 0)
                return rc;
            if (find_touchpoint(m, id, &tp) < 0)
                return fail(c, r[5], "unknown touchpoint '%s' in did_touchpoint", id.ptr);
            p->did_touchpoint = tp;
        }
        if (r[6] && (rc = read_props(c, r[6], "a persona rule", &p->props, &p->prop_count)) < 0)
            return rc;
    }
    m->persona_count++;
    return KR_OK;
}

static int read_goal(ctx *c, const yaml_node_t *n, const char *what, kr_model_goal *g,
                     uint32_t default_min)
{
    static const char *const keys[] = {"touchpoint", "event", "min_count", NULL};
    yaml_node_t *v[3];
    int rc = read_map(c, n, what, keys, v);
    if (rc < 0)
        return rc;
    if ((v[0] != NULL) == (v[1] != NULL))
        return fail(c, n, "bad rule: %s needs either 'touchpoint' or 'event'", what);
    g->defined = true;
    g->touchpoint = KR_MODEL_NONE;
    g->min_count = default_min;
    if (v[0]) {
        kr_str id;
        uint32_t tp;
        if ((rc = get_str(c, v[0], "touchpoint", &id)) < 0)
            return rc;
        if (find_touchpoint(c->m, id, &tp) < 0)
            return fail(c, v[0], "unknown touchpoint '%s' in %s", id.ptr, what);
        g->touchpoint = tp;
    } else if ((rc = get_list(c, v[1], "event", &g->events, &g->event_count)) < 0) {
        return rc;
    }
    if (v[2]) {
        double d;
        if ((rc = get_num(c, v[2], "min_count", 1, 1000000, false, &d)) < 0)
            return rc;
        if (d != floor(d))
            return fail(c, v[2], "min_count must be a whole number");
        g->min_count = (uint32_t)d;
    }
    return KR_OK;
}

static int read_scope(ctx *c, const yaml_node_t *n)
{
    kr_model_scope *s = &c->m->info.scope;
    static const char *const keys[] = {"goal", "scope", "stakeholders", "version", "owner",
                                       "date", NULL};
    yaml_node_t *v[6];
    int rc = read_map(c, n, "scope", keys, v);
    if (rc < 0)
        return rc;
    if (v[0] && (rc = get_str(c, v[0], "goal", &s->goal)) < 0)
        return rc;
    if (v[1] && (rc = get_str(c, v[1], "scope", &s->scope)) < 0)
        return rc;
    if (v[2] &&
        (rc = get_list(c, v[2], "stakeholders", &s->stakeholders, &s->stakeholder_count)) < 0)
        return rc;
    if (v[3]) {
        if ((rc = get_str(c, v[3], "version", &s->version)) < 0)
            return rc;
        if (!kr_str_eq_cstr(s->version, "1.0") && !kr_str_eq_cstr(s->version, "2.0"))
            return fail(c, v[3],
                        "expected version 1.0 (assumed) or 2.0 (validated with customers), "
                        "not '%s'",
                        s->version.ptr);
    }
    if (v[4] && (rc = get_str(c, v[4], "owner", &s->owner)) < 0)
        return rc;
    if (v[5] && (rc = get_str(c, v[5], "date", &s->date)) < 0)
        return rc;
    return KR_OK;
}

static int read_brand_values(ctx *c, const yaml_node_t *n)
{
    kr_model *m = c->m;
    int rc = expect_seq(c, n, "brand_values", KR_MODEL_MAX_LIST);
    if (rc < 0)
        return rc;
    size_t len = seq_len(n);
    m->brand_values = arena_alloc(m, (len ? len : 1) * sizeof *m->brand_values);
    if (!m->brand_values)
        return nomem(c);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = get_node(c, n->data.sequence.items.start[i]);
        if (!item)
            return fail(c, n, "broken list of brand values");
        if ((rc = get_text(c, item, "a brand value", &m->brand_values[i])) < 0)
            return rc;
        m->brand_value_count++;
    }
    return KR_OK;
}

static int read_model(ctx *c, const yaml_node_t *root)
{
    kr_model *m = c->m;
    static const char *const keys[] = {"lang",         "scope",      "personas", "phases",
                                       "brand_values", "conversion", "repeat",   NULL};
    yaml_node_t *v[7];
    int rc = read_map(c, root, "the model", keys, v);
    if (rc < 0)
        return rc;
    m->info.lang = kr_str_from_cstr("nl");
    if (v[0]) {
        kr_str lang;
        if ((rc = get_str(c, v[0], "lang", &lang)) < 0)
            return rc;
        if (!kr_str_eq_cstr(lang, "nl") && !kr_str_eq_cstr(lang, "en"))
            return fail(c, v[0], "expected nl or en for lang, not '%s'", lang.ptr);
        m->info.lang = lang;
    }
    if (v[1] && (rc = read_scope(c, v[1])) < 0)
        return rc;
    if (v[4] && (rc = read_brand_values(c, v[4])) < 0)
        return rc;
    if (!v[3])
        return fail(c, root, "the model needs 'phases': the ordered chapters of the journey");
    if ((rc = expect_seq(c, v[3], "phases", KR_MODEL_MAX_PHASES)) < 0)
        return rc;
    if (seq_len(v[3]) == 0)
        return fail(c, v[3], "empty list of phases: name at least one phase");
    for (size_t i = 0; i < seq_len(v[3]); i++) {
        yaml_node_t *item = get_node(c, v[3]->data.sequence.items.start[i]);
        if (!item)
            return fail(c, v[3], "broken list of phases");
        if ((rc = read_phase(c, item)) < 0)
            return rc;
    }
    if ((rc = resolve_micro(c)) < 0)
        return rc;
    if (v[2]) {
        if ((rc = expect_seq(c, v[2], "personas", KR_MODEL_MAX_PERSONAS)) < 0)
            return rc;
        for (size_t i = 0; i < seq_len(v[2]); i++) {
            yaml_node_t *item = get_node(c, v[2]->data.sequence.items.start[i]);
            if (!item)
                return fail(c, v[2], "broken list of personas");
            if ((rc = read_persona(c, item)) < 0)
                return rc;
        }
    }
    if (v[5] && (rc = read_goal(c, v[5], "conversion", &m->info.conversion, 1)) < 0)
        return rc;
    if (v[6] && (rc = read_goal(c, v[6], "repeat", &m->info.repeat, 2)) < 0)
        return rc;
    return KR_OK;
}

/* --- loading ------------------------------------------------------------------------------- */

static kr_model *model_new(const char *name)
{
    kr_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->phases = calloc(KR_MODEL_MAX_PHASES, sizeof *m->phases);
    m->personas = calloc(KR_MODEL_MAX_PERSONAS, sizeof *m->personas);
    /* All KR_MODEL_MAX_TOUCHPOINTS up front (about 200 KB): the array never moves, so
       nothing read earlier can dangle, and aliases cannot make a count blow up. */
    m->touchpoints = calloc(KR_MODEL_MAX_TOUCHPOINTS, sizeof *m->touchpoints);
    bool ok = m->phases && m->personas && m->touchpoints;
    if (ok)
        m->name = arena_str(m, name, strlen(name), &ok);
    if (!ok) {
        kr_model_free(m);
        return NULL;
    }
    return m;
}

int kr_model_load_string(kr_model **out, const char *text, size_t len, const char *name)
{
    if (!name)
        name = "(model)";
    kr_model *m = *out = model_new(name);
    if (!m)
        return KR_ENOMEM;
    ctx c = {.m = m, .name = m->name.ptr};
    if (len > KR_MODEL_MAX_BYTES) {
        snprintf(m->errmsg, sizeof m->errmsg, "%s: model too big (%zu bytes; at most %u)", c.name,
                 len, KR_MODEL_MAX_BYTES);
        return KR_ETOOBIG;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return nomem(&c);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc;
    if (!yaml_parser_load(&parser, &doc)) {
        if (parser.error == YAML_MEMORY_ERROR) {
            rc = nomem(&c);
        } else {
            yaml_mark_t mark = parser.problem_mark;
            snprintf(m->errmsg, sizeof m->errmsg, "%s:%zu:%zu: not valid YAML: %s%s%s", c.name,
                     mark.line + 1, mark.column + 1, parser.problem ? parser.problem : "error",
                     parser.context ? " " : "", parser.context ? parser.context : "");
            rc = KR_EPARSE;
        }
        yaml_parser_delete(&parser);
        return rc;
    }
    c.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        rc = fail(&c, NULL, "empty model: expected a mapping with 'phases'");
    } else {
        rc = read_model(&c, root);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc == KR_OK) {
        kr_model_info *i = &m->info;
        i->personas = m->personas;
        i->persona_count = m->persona_count;
        i->phases = m->phases;
        i->phase_count = m->phase_count;
        i->touchpoints = m->touchpoints;
        i->touchpoint_count = m->touchpoint_count;
        i->brand_values = m->brand_values;
        i->brand_value_count = m->brand_value_count;
    }
    return rc;
}

int kr_model_load_file(kr_model **out, const char *path)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int err = errno;
        kr_model *m = *out = model_new(path);
        if (!m)
            return KR_ENOMEM;
        snprintf(m->errmsg, sizeof m->errmsg, "%s: cannot open: %s", path, strerror(err));
        return KR_EIO;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    int rc = buf ? KR_OK : KR_ENOMEM;
    while (rc == KR_OK) {
        if (len == cap) {
            if (cap > KR_MODEL_MAX_BYTES) {
                rc = KR_ETOOBIG;
                break;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                rc = KR_ENOMEM;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                rc = KR_EIO;
            break;
        }
    }
    fclose(f);
    if (rc == KR_OK) {
        rc = kr_model_load_string(out, buf, len, path);
    } else {
        kr_model *m = *out = model_new(path);
        if (m && rc == KR_EIO)
            snprintf(m->errmsg, sizeof m->errmsg, "%s: read error", path);
        else if (m && rc == KR_ETOOBIG)
            snprintf(m->errmsg, sizeof m->errmsg, "%s: model too big (at most %u bytes)", path,
                     KR_MODEL_MAX_BYTES);
        else if (m)
            snprintf(m->errmsg, sizeof m->errmsg, "%s: out of memory", path);
        if (!m)
            rc = KR_ENOMEM;
    }
    free(buf);
    return rc;
}

void kr_model_free(kr_model *m)
{
    if (!m)
        return;
    for (chunk *c = m->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(m->phases);
    free(m->personas);
    free(m->touchpoints);
    free(m);
}

const char *kr_model_errmsg(const kr_model *m)
{
    return m ? m->errmsg : "out of memory";
}

const kr_str *kr_model_property_keys(const kr_model *m, size_t *count)
{
    *count = m->prop_key_count;
    return m->prop_keys;
}

const kr_model_info *kr_model_get(const kr_model *m)
{
    return &m->info;
}

size_t kr_model_warning_count(const kr_model *m)
{
    return m->warning_count;
}

const char *kr_model_warning(const kr_model *m, size_t i)
{
    return i < m->warning_count ? m->warnings[i] : "";
}

kr_str kr_model_text_get(const kr_model *m, kr_model_text t, kr_str fallback)
{
    bool en = kr_str_eq_cstr(m->info.lang, "en");
    kr_str first = en ? t.en : t.nl, second = en ? t.nl : t.en;
    return first.len ? first : second.len ? second : fallback;
}
