/*
 * csv.c - CSV into events: an RFC 4180 tokenizer over the reader's buffered input, the header
 * mapped to canonical fields (--map applied), and each record validated by fields.c.
 *
 * Tokenizer: a record is parsed in place in the input buffer; unquoted fields and quoted ones
 * without "" are views into it, only fields with "" are unescaped into a scratch buffer. When a
 * record runs past the bytes read, the buffer is refilled (which moves it) and the record is
 * parsed again from its start. A record longer than KR_MAX_RECORD_LEN, with more than
 * KR_MAX_FIELDS fields, or with an unterminated quote at the end of the input is rejected with
 * its line and skipped; reading resumes after the next line end outside quotes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/fields.h"
#include "ingest/reader_internal.h"

typedef struct csv_record {
    kr_str fields[KR_MAX_FIELDS];
    size_t count;
    kr_str raw;      /* without line ending */
    size_t line;     /* first physical line */
    size_t newlines; /* physical line ends the record spans, its own included */
} csv_record;

typedef enum {
    REC_OK,
    REC_EOF,
    REC_TOO_LONG,
    REC_TOO_MANY,
    REC_UNTERMINATED,
    REC_IO,
    REC_NOMEM
} rec_status;

typedef struct csv_state {
    kr_reader *r;
    char delim;
    char *scratch;
    size_t line; /* next record's first line */
    csv_record rec;
} csv_state;

/* Parses one record starting at in->start. REC_OK: rec filled, in->start past it. */
static rec_status parse_record(csv_state *cs)
{
    kr__input *in = &cs->r->in;
    csv_record *rec = &cs->rec;
    const char delim = cs->delim;
retry:;
    const char *base = in->buf + in->start, *end = in->buf + in->end;
    const char *p = base;
    size_t scratch_used = 0, newlines = 0, count = 0;
    if (p == end && in->eof)
        return REC_EOF;
    for (;;) {
        /* one field */
        if (count == KR_MAX_FIELDS)
            return REC_TOO_MANY;
        if (p < end && *p == '"') {
            const char *q = p + 1;
            bool escaped = false;
            for (;;) {
                const char *hit = memchr(q, '"', (size_t)(end - q));
                if (!hit)
                    goto need_more;
                for (const char *c = q; c < hit; c++)
                    newlines += *c == '\n';
                if (hit + 1 < end && hit[1] == '"') {
                    escaped = true;
                    q = hit + 2;
                    continue;
                }
                if (hit + 1 == end && !in->eof)
                    goto need_more;
                /* closing quote */
                if (escaped) {
                    /* The record-length check comes when the record ends; the copy must not
                       outrun the scratch buffer before that. */
                    if (scratch_used + (size_t)(hit - p) > KR_MAX_RECORD_LEN) {
                        in->start = (size_t)(base - in->buf);
                        return REC_TOO_LONG;
                    }
                    /* Allocated on first use: most files have no "" escapes at all. */
                    if (!cs->scratch && !(cs->scratch = malloc(KR_MAX_RECORD_LEN + 1)))
                        return REC_NOMEM;
                    char *dst = cs->scratch + scratch_used;
                    size_t n = 0;
                    for (const char *c = p + 1; c < hit; c++) {
                        dst[n++] = *c;
                        if (*c == '"')
                            c++;
                    }
                    rec->fields[count++] = (kr_str){dst, n};
                    scratch_used += n;
                } else {
                    rec->fields[count++] = (kr_str){p + 1, (size_t)(hit - p - 1)};
                }
                p = hit + 1;
                /* Text after the closing quote up to the delimiter is kept leniently. */
                while (p < end && *p != delim && *p != '\n' && *p != '\r')
                    p++;
                break;
            }
        } else {
            const char *q = p;
            while (q < end && *q != delim && *q != '\n')
                q++;
            const char *fe = q;
            if (fe > p && fe[-1] == '\r' && (q == end || *q == '\n'))
                fe--;
            rec->fields[count++] = (kr_str){p, (size_t)(fe - p)};
            p = q;
        }
        if (p == end) {
            if (!in->eof)
                goto need_more;
            rec->raw = (kr_str){base, (size_t)(p - base)};
            in->start = in->end;
            break;
        }
        if (*p == delim) {
            p++;
            continue;
        }
        if (*p == '\r' && p + 1 < end && p[1] == '\n')
            p++;
        else if (*p == '\r' && p + 1 == end && !in->eof)
            goto need_more;
        if (*p == '\r' || *p == '\n') {
            const char *raw_end = p;
            if (*p == '\n' && raw_end > base && raw_end[-1] == '\r')
                raw_end--;
            rec->raw = (kr_str){base, (size_t)(raw_end - base)};
            newlines++;
            in->start = (size_t)(p + 1 - in->buf);
            break;
        }
    }
    if (in->start - (size_t)(base - in->buf) > KR_MAX_RECORD_LEN) {
        /* Complete, but too long: rewind, so that the caller skips it like any bad record. */
        in->start = (size_t)(base - in->buf);
        return REC_TOO_LONG;
    }
    rec->count = count;
    rec->line = cs->line;
    rec->newlines = newlines;
    cs->line += newlines;
    return REC_OK;

need_more:
    if ((size_t)(end - base) >= KR_MAX_RECORD_LEN)
        return REC_TOO_LONG;
    if (in->eof)
        return REC_UNTERMINATED;
    if (kr__input_fill(in) < 0)
        return REC_IO;
    goto retry;
}

/* Skips the bad record at in->start: to the next line end outside quotes (or the end). */
static void skip_record(csv_state *cs, size_t *raw_len_out)
{
    kr__input *in = &cs->r->in;
    bool quoted = false;
    size_t raw = 0;
    for (;;) {
        while (in->start < in->end) {
            char c = in->buf[in->start++];
            if (c == '"')
                quoted = !quoted;
            else if (c == '\n') {
                cs->line++;
                if (!quoted) {
                    *raw_len_out = raw;
                    return;
                }
            }
            raw++;
        }
        if (in->eof || kr__input_fill(in) <= 0) {
            *raw_len_out = raw;
            return;
        }
    }
}

static char detect_delimiter(const kr__input *in)
{
    size_t counts[3] = {0, 0, 0};
    const char cands[3] = {',', ';', '\t'};
    bool quoted = false;
    for (size_t i = in->start; i < in->end; i++) {
        char c = in->buf[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == '\n')
            break;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                counts[k] += c == cands[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return cands[best];
}

static void reject(csv_state *cs, const kr_read_handler *h, size_t line, const char *field,
                   const char *reason, kr_str raw)
{
    if (!h->on_reject)
        return;
    kr_reject rej = {cs->r->name, line, field, reason, raw};
    h->on_reject(&rej, h->payload);
}

/* Applies "canonical=source,..." to the header: column_field[i] for each column. */
static int apply_map(kr_reader *r, const csv_record *hdr, kr_field *column_field)
{
    const char *m = r->opts.map;
    while (m && *m) {
        const char *comma = strchr(m, ',');
        const char *stop = comma ? comma : m + strlen(m);
        const char *eq = memchr(m, '=', (size_t)(stop - m));
        if (!eq)
            return kr__reader_error(r, KR_EINVAL, "--map: '%.*s' is not canonical=column",
                                    (int)(stop - m), m);
        kr_str canon = {m, (size_t)(eq - m)}, source = {eq + 1, (size_t)(stop - eq - 1)};
        kr_field f = kr__field_lookup(canon);
        if (f == KR_FIELD_PROPERTY)
            return kr__reader_error(r, KR_EINVAL,
                                    "--map: '%.*s' is not a canonical field (timestamp, "
                                    "anonymous_id, user_id, account_id, event, channel, device, "
                                    "value, score, score_scale, type, previous_id, event_id)",
                                    (int)canon.len, canon.ptr);
        size_t col = hdr->count;
        for (size_t i = 0; i < hdr->count; i++)
            if (kr_str_eq(hdr->fields[i], source))
                col = i;
        if (col == hdr->count)
            return kr__reader_error(r, KR_EINVAL,
                                    "%s: --map %.*s=%.*s: no column '%.*s' in the header", r->name,
                                    (int)canon.len, canon.ptr, (int)source.len, source.ptr,
                                    (int)source.len, source.ptr);
        /* The column named like the field by the header itself becomes a property. */
        for (size_t i = 0; i < hdr->count; i++)
            if (column_field[i] == f)
                column_field[i] = KR_FIELD_PROPERTY;
        column_field[col] = f;
        m = comma ? comma + 1 : stop;
    }
    return KR_OK;
}

int kr__csv_read_events(kr_reader *r, const kr_read_handler *h)
{
    kr__input *in = &r->in;
    csv_state cs = {r, r->opts.delimiter, NULL, 1, {{{0}}, 0, {0}, 0, 0}};
    csv_record *hdr_rec = NULL;
    kr__event_fields *fields = NULL;
    kr_field *column_field = NULL;
    char **header_names = NULL;
    size_t header_count = 0;
    int rc = KR_OK;
    fields = malloc(sizeof *fields);
    if (!fields) {
        rc = kr__reader_error(r, KR_ENOMEM, "out of memory");
        goto done;
    }
    if (in->end - in->start >= 3 && memcmp(in->buf + in->start, "\xEF\xBB\xBF", 3) == 0)
        in->start += 3;
    if (!cs.delim)
        cs.delim = detect_delimiter(in);

    /* Header; blank lines before it are skipped. */
    rec_status st;
    do {
        st = parse_record(&cs);
    } while (st == REC_OK && cs.rec.count == 1 && cs.rec.fields[0].len == 0);
    if (st == REC_EOF)
        goto done;
    if (st != REC_OK) {
        rc = st == REC_NOMEM ? kr__reader_error(r, KR_ENOMEM, "out of memory")
                             : kr__reader_error(r, st == REC_IO ? KR_EIO : KR_EPARSE,
                                                "%s:%zu: unreadable header line", r->name, cs.line);
        goto done;
    }
    header_count = cs.rec.count;
    column_field = calloc(header_count, sizeof *column_field);
    header_names = calloc(header_count, sizeof *header_names);
    if (!column_field || !header_names) {
        rc = kr__reader_error(r, KR_ENOMEM, "out of memory");
        goto done;
    }
    bool seen[KR_FIELD_COUNT] = {false};
    for (size_t i = 0; i < header_count; i++) {
        kr_str name = cs.rec.fields[i];
        header_names[i] = malloc(name.len + 1);
        if (!header_names[i]) {
            rc = kr__reader_error(r, KR_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(header_names[i], name.ptr, name.len);
        header_names[i][name.len] = '\0';
        kr_field f = kr__field_lookup(name);
        /* A field named twice: the first column is the field, later ones are properties. */
        if (f != KR_FIELD_PROPERTY && seen[f])
            f = KR_FIELD_PROPERTY;
        if (f != KR_FIELD_PROPERTY)
            seen[f] = true;
        column_field[i] = f;
    }
    {
        csv_record hdr = {{{0}}, 0, {0}, 0, 0};
        hdr_rec = malloc(sizeof *hdr_rec);
        if (!hdr_rec) {
            rc = kr__reader_error(r, KR_ENOMEM, "out of memory");
            goto done;
        }
        (void)hdr;
        hdr_rec->count = header_count;
        for (size_t i = 0; i < header_count; i++)
            hdr_rec->fields[i] = kr_str_from_cstr(header_names[i]);
        if ((rc = apply_map(r, hdr_rec, column_field)) < 0)
            goto done;
    }
    bool has_timestamp = false;
    for (size_t i = 0; i < header_count; i++)
        has_timestamp |= column_field[i] == KR_FIELD_TIMESTAMP;
    if (!has_timestamp) {
        rc = kr__reader_error(
            r, KR_EINVAL, "%s: no timestamp column (map one with --map timestamp=COLUMN)", r->name);
        goto done;
    }

    uint64_t next_progress = 8u << 20;
    char reason[256];
    for (;;) {
        size_t line = cs.line;
        st = parse_record(&cs);
        if (st == REC_EOF)
            break;
        if (st == REC_IO) {
            rc = kr__reader_error(r, KR_EIO, "%s: read error", r->name);
            break;
        }
        if (st == REC_NOMEM) {
            rc = kr__reader_error(r, KR_ENOMEM, "out of memory");
            break;
        }
        if (st != REC_OK) {
            size_t raw_start = in->start, raw_len;
            const char *why = st == REC_TOO_LONG   ? "record longer than 1 MiB"
                              : st == REC_TOO_MANY ? "more than 1024 fields"
                                                   : "unterminated quoted field";
            if (st == REC_UNTERMINATED) {
                kr_str raw = {in->buf + raw_start, in->end - raw_start};
                raw.len = raw.len > 200 ? 200 : raw.len;
                reject(&cs, h, line, NULL, why, raw);
                in->start = in->end;
                break;
            }
            kr_str raw = {in->buf + raw_start,
                          in->end - raw_start > 200 ? 200 : in->end - raw_start};
            reject(&cs, h, line, NULL, why, raw);
            skip_record(&cs, &raw_len);
            continue;
        }
        if (cs.rec.count == 1 && cs.rec.fields[0].len == 0)
            continue; /* a blank line */
        if (cs.rec.count != header_count) {
            snprintf(reason, sizeof reason, "expected %zu fields, found %zu", header_count,
                     cs.rec.count);
            reject(&cs, h, line, NULL, reason, cs.rec.raw);
            continue;
        }
        kr__event_fields_reset(fields);
        bool too_many_props = false;
        for (size_t i = 0; i < header_count; i++) {
            kr_field f = column_field[i];
            kr_str v = cs.rec.fields[i];
            if (f != KR_FIELD_PROPERTY) {
                fields->text[f] = v;
            } else if (v.len) {
                if (fields->prop_count == KR_MAX_PROPERTIES) {
                    too_many_props = true;
                    break;
                }
                fields->props[fields->prop_count++] =
                    (kr_property){kr_str_from_cstr(header_names[i]), v};
            }
        }
        if (too_many_props) {
            reject(&cs, h, line, NULL, "more than 256 properties", cs.rec.raw);
            continue;
        }
        kr_event ev;
        const char *field;
        if (kr__event_from_fields(&ev, fields, &r->opts, &field, reason, sizeof reason) < 0) {
            reject(&cs, h, line, field, reason, cs.rec.raw);
            continue;
        }
        if ((rc = h->on_event(&ev, cs.rec.raw, line, h->payload)) < 0)
            break;
        if (in->consumed + in->start >= next_progress) {
            kr__reader_progress(r, h);
            next_progress += 8u << 20;
        }
    }
done:
    for (size_t i = 0; header_names && i < header_count; i++)
        free(header_names[i]);
    free(header_names);
    free(column_field);
    free(hdr_rec);
    free(fields);
    free(cs.scratch);
    return rc;
}
