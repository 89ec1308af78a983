/*
 * csv_events.c - CSV records into events: the header names the columns, --map renames them,
 * fields.c validates each record, and every other column becomes a property.
 *
 *     kr_read_options o = KR_READ_OPTIONS_INIT;
 *     o.map = "timestamp=event_time,event=event_type,anonymous_id=user_session";
 *     kr_reader_open(&r, "2019-Oct.csv", &o);
 *     kr_reader_run(r, &h); // reader.c calls kr__csv_read_events(r, &h)
 *
 * Header rules:
 *  - names are matched to canonical fields ASCII case-insensitively after trimming blanks;
 *  - a canonical name that occurs twice: the first column is the field, later ones are
 *    properties under their own name (the file says nothing about which one is meant, and
 *    keeping the first is what a reader of the file would assume);
 *  - an empty header name becomes the property "column<N>" (1-based), as in
 *    pandas' "Unnamed: 0" for an index column ("airline_passenger_satisfaction" has one);
 *  - --map "canonical=source,...": the source column (exact name, else ASCII
 *    case-insensitive) becomes the field and the column that the header itself named so
 *    becomes a property. An unknown canonical name, a missing source column, or a field or
 *    column mapped twice is an error for the whole file (KR_EINVAL).
 *
 * Records: a blank line, or one with only empty unquoted fields (",,,," rows that spreadsheet
 * exports add at the end), is skipped silently. Any other record with a field count other
 * than the header's is rejected. Empty property values are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/csv.h"
#include "ingest/fields.h"

/* How often on_progress is called, in bytes of input. */
#define PROGRESS_EVERY ((uint64_t)8 << 20)

_Static_assert(KR_MAX_PROPERTIES == 256, "the reason below spells the limit out");

typedef struct csv_header {
    size_t count;
    kr_field *field; /* per column */
    kr_str *name;    /* per column: trimmed, owned by names */
    char *names;
} csv_header;

static void header_free(csv_header *hd)
{
    free(hd->field);
    free(hd->name);
    free(hd->names);
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

static bool str_ieq(kr_str a, kr_str b)
{
    return a.len == b.len && (a.len == 0 || strncasecmp(a.ptr, b.ptr, a.len) == 0);
}

/* Copies the header's names (they live only until the next record) and maps them. */
static int header_read(kr_reader *r, csv_header *hd, const kr__csv_record *rec)
{
    size_t bytes = 0;
    for (size_t i = 0; i < rec->count; i++)
        bytes += rec->fields[i].len + 24; /* room for "column<N>" too */
    hd->count = rec->count;
    hd->field = malloc(rec->count * sizeof *hd->field);
    hd->name = malloc(rec->count * sizeof *hd->name);
    hd->names = malloc(bytes);
    if (!hd->field || !hd->name || !hd->names)
        return kr__reader_error(r, KR_ENOMEM, "out of memory");
    char *dst = hd->names;
    bool seen[KR_FIELD_COUNT] = {false};
    for (size_t i = 0; i < rec->count; i++) {
        kr_str name = trim(rec->fields[i]);
        if (name.len) {
            memcpy(dst, name.ptr, name.len);
        } else {
            int n = snprintf(dst, 24, "column%zu", i + 1);
            name.len = n > 0 ? (size_t)n : 0;
        }
        hd->name[i] = (kr_str){dst, name.len};
        dst += name.len;
        kr_field f = kr__field_lookup(hd->name[i]);
        if (f != KR_FIELD_PROPERTY && seen[f])
            f = KR_FIELD_PROPERTY;
        if (f != KR_FIELD_PROPERTY)
            seen[f] = true;
        hd->field[i] = f;
    }
    return KR_OK;
}

static int map_error_field(kr_reader *r, kr_str canon)
{
    return kr__reader_error(r, KR_EINVAL,
                            "%s: --map: '%.*s' is not a canonical field (timestamp, anonymous_id, "
                            "user_id, account_id, event, channel, device, value, score, "
                            "score_scale, type, previous_id, event_id)",
                            r->name, (int)canon.len, canon.ptr);
}

/* Applies r->opts.map, "canonical=source,...", to the header. */
static int header_map(kr_reader *r, csv_header *hd)
{
    const char *m = r->opts.map;
    bool mapped_field[KR_FIELD_COUNT] = {false};
    size_t *mapped_col = NULL;
    size_t mapped = 0;
    int rc = KR_OK;
    if (!m || !*m)
        return KR_OK;
    mapped_col = malloc((strlen(m) / 2 + 1) * sizeof *mapped_col);
    if (!mapped_col)
        return kr__reader_error(r, KR_ENOMEM, "out of memory");
    while (*m) {
        const char *stop = strchr(m, ',');
        if (!stop)
            stop = m + strlen(m);
        kr_str entry = trim((kr_str){m, (size_t)(stop - m)});
        m = *stop ? stop + 1 : stop;
        if (entry.len == 0)
            continue;
        const char *eq = memchr(entry.ptr, '=', entry.len);
        if (!eq) {
            rc = kr__reader_error(r, KR_EINVAL, "%s: --map: '%.*s' is not canonical=column",
                                  r->name, (int)entry.len, entry.ptr);
            goto done;
        }
        kr_str canon = trim((kr_str){entry.ptr, (size_t)(eq - entry.ptr)});
        kr_str source = trim((kr_str){eq + 1, (size_t)(entry.ptr + entry.len - eq - 1)});
        kr_field f = kr__field_lookup(canon);
        if (f == KR_FIELD_PROPERTY) {
            rc = map_error_field(r, canon);
            goto done;
        }
        if (mapped_field[f]) {
            rc = kr__reader_error(r, KR_EINVAL, "%s: --map: %s mapped twice", r->name,
                                  kr__field_name(f));
            goto done;
        }
        size_t col = hd->count;
        for (size_t i = 0; i < hd->count && col == hd->count; i++)
            if (kr_str_eq(hd->name[i], source))
                col = i;
        for (size_t i = 0; i < hd->count && col == hd->count; i++)
            if (str_ieq(hd->name[i], source))
                col = i;
        if (col == hd->count) {
            rc = kr__reader_error(r, KR_EINVAL,
                                  "%s: --map %.*s=%.*s: no column '%.*s' in the header", r->name,
                                  (int)canon.len, canon.ptr, (int)source.len, source.ptr,
                                  (int)source.len, source.ptr);
            goto done;
        }
        for (size_t k = 0; k < mapped; k++) {
            if (mapped_col[k] == col) {
                rc = kr__reader_error(r, KR_EINVAL, "%s: --map: column '%.*s' mapped twice",
                                      r->name, (int)source.len, source.ptr);
                goto done;
            }
        }
        for (size_t i = 0; i < hd->count; i++)
            if (hd->field[i] == f)
                hd->field[i] = KR_FIELD_PROPERTY;
        hd->field[col] = f;
        mapped_field[f] = true;
        mapped_col[mapped++] = col;
    }
done:
    free(mapped_col);
    return rc;
}

static void reject(kr_reader *r, const kr_read_handler *h, size_t line, const char *field,
                   const char *reason, kr_str raw)
{
    if (!h->on_reject)
        return;
    kr_reject rej = {r->name, line, field, reason, raw};
    h->on_reject(&rej, h->payload);
}

/* A blank line, or only delimiters: n fields in n - 1 bytes are all empty and unquoted. */
static bool record_is_blank(const kr__csv_record *rec)
{
    return rec->raw.len + 1 == rec->count || rec->raw.len == 0;
}

int kr__csv_read_events(kr_reader *r, const kr_read_handler *h)
{
    kr__input *in = &r->in;
    kr__csv csv;
    kr__csv_record rec;
    csv_header hd = {0, NULL, NULL, NULL};
    kr__event_fields *fields = NULL;
    char reason[256];
    int rc = kr__csv_init(&csv, in, r->opts.delimiter);
    if (rc == KR_EINVAL) {
        rc = kr__reader_error(r, KR_EINVAL, "%s: '%c' cannot be the delimiter", r->name,
                              r->opts.delimiter);
        goto done;
    }
    fields = malloc(sizeof *fields);
    if (rc < 0 || !fields) {
        rc = kr__reader_error(r, KR_ENOMEM, "out of memory");
        goto done;
    }

    /* The header: the first record that is not a blank line. An empty file has no events. */
    while ((rc = kr__csv_next(&csv, &rec)) > 0 && !rec.error && rec.raw.len == 0)
        ;
    if (rc == 0)
        goto done;
    if (rc < 0)
        goto io_error;
    if (rec.error) {
        rc = kr__reader_error(r, KR_EPARSE, "%s: line %zu: bad header: %s", r->name, rec.line,
                              rec.error);
        goto done;
    }
    if ((rc = header_read(r, &hd, &rec)) < 0 || (rc = header_map(r, &hd)) < 0)
        goto done;
    bool has_timestamp = false;
    for (size_t i = 0; i < hd.count; i++)
        has_timestamp |= hd.field[i] == KR_FIELD_TIMESTAMP;
    if (!has_timestamp) {
        rc = kr__reader_error(
            r, KR_EINVAL, "%s: no timestamp column (map one with --map timestamp=COLUMN)", r->name);
        goto done;
    }

    uint64_t next_progress = PROGRESS_EVERY;
    while ((rc = kr__csv_next(&csv, &rec)) > 0) {
        if (in->consumed + in->start >= next_progress) {
            kr__reader_progress(r, h);
            next_progress = in->consumed + in->start + PROGRESS_EVERY;
        }
        if (rec.error) {
            reject(r, h, rec.line, NULL, rec.error, rec.raw);
            continue;
        }
        if (record_is_blank(&rec))
            continue;
        if (rec.count != hd.count) {
            snprintf(reason, sizeof reason, "expected %zu fields, found %zu", hd.count, rec.count);
            reject(r, h, rec.line, NULL, reason, rec.raw);
            continue;
        }
        kr__event_fields_reset(fields);
        bool too_many = false;
        for (size_t i = 0; i < hd.count; i++) {
            kr_field f = hd.field[i];
            kr_str v = rec.fields[i];
            if (f != KR_FIELD_PROPERTY) {
                fields->text[f] = v;
            } else if (v.len) {
                if (fields->prop_count == KR_MAX_PROPERTIES) {
                    too_many = true;
                    break;
                }
                fields->props[fields->prop_count++] = (kr_property){hd.name[i], v};
            }
        }
        if (too_many) {
            reject(r, h, rec.line, NULL, "more than 256 properties", rec.raw);
            continue;
        }
        kr_event ev;
        const char *field;
        if (kr__event_from_fields(&ev, fields, &r->opts, &field, reason, sizeof reason) < 0) {
            reject(r, h, rec.line, field, reason, rec.raw);
            continue;
        }
        if (h->on_event && (rc = h->on_event(&ev, rec.raw, rec.line, h->payload)) < 0) {
            kr__reader_error(r, rc, "%s: line %zu: stopped: %s", r->name, rec.line,
                             kr_strerror(rc));
            goto done;
        }
    }
    if (rc < 0)
        goto io_error;
    rc = KR_OK;
    goto done;

io_error:
    rc = rc == KR_ENOMEM ? kr__reader_error(r, KR_ENOMEM, "out of memory")
                         : kr__reader_error(r, KR_EIO, "%s: read error", r->name);
done:
    header_free(&hd);
    free(fields);
    kr__csv_finish(&csv);
    return rc;
}
