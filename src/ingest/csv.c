/*
 * csv.c - the streaming RFC 4180 tokenizer (see csv.h for the contract).
 *
 *     kr__csv c;
 *     kr__csv_record rec;
 *     kr__csv_init(&c, &r->in, 0);
 *     while (kr__csv_next(&c, &rec) > 0) ...;
 *     kr__csv_finish(&c);
 *
 * Speed: the record is parsed in place. An unquoted field is found with one 16-byte SSE2
 * compare against the delimiter, LF and CR (SWAR on 8-byte words without SSE2), a quoted one
 * by the same scan for '"', LF and CR (line ends are counted, since line numbers are physical).
 * No call per byte, no allocation per field: fields without "" are views into the buffer, only
 * fields with "" are copied, into one scratch buffer per tokenizer. About 2 GB/s for typical
 * exports on one core (bench figure in the commit that added this file).
 *
 * Buffer refills: a record that runs past the bytes read is parsed again from its start after
 * kr__input_fill() (which moves the buffer, so no view may survive it). Records are far
 * smaller than the buffer, so this costs one re-parse per buffer refill.
 *
 * Bad records: rather than tracking where the fast path stopped, the record is scanned again
 * from its start by a byte-at-a-time state machine (skip_run) that only looks for its end.
 * Bad records are rare, and this keeps the fast path free of that bookkeeping.
 */
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ingest/csv.h"

_Static_assert(KR_MAX_RECORD_LEN == 1048576 && KR_MAX_FIELDS == 1024,
               "the reasons below spell the limits out");
#define REASON_TOO_LONG "record longer than 1048576 bytes"
#define REASON_TOO_MANY "more than 1024 fields"
#define REASON_UNTERMINATED "unterminated quoted field"
#define REASON_AFTER_QUOTE "unexpected text after a closing quote"

/* Where the skipping of a bad record stands (kr__csv.skip). */
enum {
    SKIP_NONE = 0,    /* not skipping */
    SKIP_FIELD_START, /* at the start of a field */
    SKIP_UNQUOTED,    /* inside an unquoted field (or after a closed quote) */
    SKIP_QUOTED,      /* inside quotes */
    SKIP_QUOTE_SEEN,  /* a quote inside quotes: "" or the closing one, the next byte tells */
    SKIP_AFTER_CR,    /* the record ended with a CR at the end of the buffer: drop a next LF */
};

enum { PARSE_OK, PARSE_BAD, PARSE_MORE };

/* ---- scanning for one of three bytes ----------------------------------------------------- */

typedef struct scan3 {
#if defined(__SSE2__)
    __m128i va, vb, vc;
#else
    uint64_t wa, wb, wc;
#endif
    char a, b, c;
} scan3;

static inline scan3 scan3_make(char a, char b, char c)
{
    scan3 s;
#if defined(__SSE2__)
    s.va = _mm_set1_epi8(a);
    s.vb = _mm_set1_epi8(b);
    s.vc = _mm_set1_epi8(c);
#else
    s.wa = UINT64_C(0x0101010101010101) * (unsigned char)a;
    s.wb = UINT64_C(0x0101010101010101) * (unsigned char)b;
    s.wc = UINT64_C(0x0101010101010101) * (unsigned char)c;
#endif
    s.a = a;
    s.b = b;
    s.c = c;
    return s;
}

#if !defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* High bit set in each byte of x that is zero; the lowest flagged byte is always a true zero
   (a borrow only travels upwards from one), which is all that the scan needs. */
static inline uint64_t zero_bytes(uint64_t x)
{
    return (x - UINT64_C(0x0101010101010101)) & ~x & UINT64_C(0x8080808080808080);
}
#endif

/* The first byte in [p, end) that is s->a, s->b or s->c; end when there is none. */
static inline const char *scan3_find(const scan3 *s, const char *p, const char *end)
{
#if defined(__SSE2__)
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, s->va), _mm_cmpeq_epi8(x, s->vb)),
                                 _mm_cmpeq_epi8(x, s->vc));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return p + __builtin_ctz(bits);
        p += 16;
    }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        uint64_t m = zero_bytes(x ^ s->wa) | zero_bytes(x ^ s->wb) | zero_bytes(x ^ s->wc);
        if (m)
            return p + (__builtin_ctzll(m) >> 3);
        p += 8;
    }
#endif
    for (; p < end; p++)
        if (*p == s->a || *p == s->b || *p == s->c)
            return p;
    return end;
}

/* ---- set-up ------------------------------------------------------------------------------- */

int kr__csv_init(kr__csv *c, kr__input *in, char delimiter)
{
    memset(c, 0, sizeof *c);
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
        return KR_EINVAL;
    c->in = in;
    c->delim = delimiter;
    c->line = 1;
    c->fields = malloc(KR_MAX_FIELDS * sizeof *c->fields);
    return c->fields ? KR_OK : KR_ENOMEM;
}

void kr__csv_finish(kr__csv *c)
{
    free(c->fields);
    free(c->scratch);
    c->fields = NULL;
    c->scratch = NULL;
}

char kr__csv_delimiter(const kr__csv *c)
{
    return c->delim;
}

/*
 * Counts ',' ';' and tab outside quotes on the first line into counts[]; returns whether the
 * whole first line is in the buffer.
 */
static bool first_line_counts(const kr__input *in, size_t counts[3])
{
    static const char cands[3] = {',', ';', '\t'};
    const char *p = in->buf + in->start, *end = in->buf + in->end;
    bool quoted = false;
    counts[0] = counts[1] = counts[2] = 0;
    for (; p < end; p++) {
        char ch = *p;
        if (ch == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (ch == '\n' || ch == '\r')
            return true;
        else
            for (int k = 0; k < 3; k++)
                counts[k] += ch == cands[k];
    }
    return false;
}

/*
 * Before the first record: makes sure the first line is buffered (up to the record limit),
 * skips a byte-order mark, and picks the delimiter if none was given: the most frequent of
 * ',' ';' and tab outside quotes on that line, ',' on a tie or when there is none.
 */
static int start(kr__csv *c)
{
    static const char cands[3] = {',', ';', '\t'};
    kr__input *in = c->in;
    size_t counts[3];
    for (;;) {
        size_t avail = in->end - in->start;
        if (in->eof || avail >= KR_MAX_RECORD_LEN ||
            (avail >= 3 && (c->delim || first_line_counts(in, counts))))
            break;
        int n = kr__input_fill(in);
        if (n < 0)
            return n;
    }
    if (in->end - in->start >= 3 && memcmp(in->buf + in->start, "\xEF\xBB\xBF", 3) == 0)
        in->start += 3;
    if (!c->delim) {
        first_line_counts(in, counts);
        int best = 0;
        for (int k = 1; k < 3; k++)
            if (counts[k] > counts[best])
                best = k;
        c->delim = cands[best];
    }
    c->started = true;
    return KR_OK;
}

/* ---- skipping a bad record ---------------------------------------------------------------- */

/* Where skipping stands; kept in kr__csv between calls. */
typedef struct skipper {
    int st;
    bool cr; /* the last byte was a CR: an LF now ends no further line */
    size_t line;
} skipper;

/*
 * Runs the skip state machine over [p, end), counting lines. Returns where it stopped: after
 * the record's line end (*done true, *stop where its text ended), or at end (*done false,
 * unless the input ends there: an unterminated quote runs to the end of the input).
 */
static const char *skip_scan(skipper *k, char delim, const char *p, const char *end, bool eof,
                             bool *done, const char **stop)
{
    int st = k->st;
    bool cr = k->cr;
    size_t line = k->line;
    *done = false;
    *stop = end;
    if (st == SKIP_AFTER_CR) {
        if (p == end && !eof)
            return p;
        if (p < end && *p == '\n')
            p++;
        st = SKIP_NONE;
        *done = true;
    }
    while (!*done && p < end) {
        char ch = *p;
        if (st == SKIP_QUOTED) {
            if (ch == '"')
                st = SKIP_QUOTE_SEEN;
            else if (ch == '\r' || (ch == '\n' && !cr))
                line++;
            cr = ch == '\r';
            p++;
            continue;
        }
        if ((st == SKIP_QUOTE_SEEN || st == SKIP_FIELD_START) && ch == '"') {
            st = SKIP_QUOTED; /* "" inside quotes, or a quote that opens a field */
            cr = false;
            p++;
            continue;
        }
        st = SKIP_UNQUOTED;
        if (ch == delim) {
            st = SKIP_FIELD_START;
        } else if (ch == '\n' || ch == '\r') {
            *stop = p;
            line++;
            *done = true;
            st = SKIP_NONE;
            if (ch == '\r') {
                if (p + 1 < end)
                    p += p[1] == '\n';
                else if (!eof)
                    st = SKIP_AFTER_CR;
            }
        }
        p++;
    }
    if (!*done && eof) {
        *done = true;
        st = SKIP_NONE;
    }
    k->st = st;
    k->cr = cr;
    k->line = line;
    return p;
}

/* Finishes skipping a bad record that went past the buffer, refilling as needed. */
static int finish_skip(kr__csv *c)
{
    kr__input *in = c->in;
    skipper k = {c->skip, c->skip_cr, c->line};
    while (k.st != SKIP_NONE) {
        if (in->start == in->end && !in->eof) {
            int n = kr__input_fill(in);
            if (n < 0)
                return n;
        }
        bool done;
        const char *stop;
        const char *p =
            skip_scan(&k, c->delim, in->buf + in->start, in->buf + in->end, in->eof, &done, &stop);
        in->start = (size_t)(p - in->buf);
    }
    c->skip = SKIP_NONE;
    c->line = k.line;
    return KR_OK;
}

/*
 * Reports the record at in->start as bad and skips it as far as the buffer allows. Its raw
 * bytes are reported whole (up to KR_MAX_RECORD_LEN): while the buffer holds less of an
 * unfinished record than that, PARSE_MORE asks for a refill and the record is parsed again.
 */
static int bad_record(kr__csv *c, kr__csv_record *rec, const char *error)
{
    kr__input *in = c->in;
    const char *base = in->buf + in->start, *end = in->buf + in->end, *stop;
    skipper k = {SKIP_FIELD_START, false, c->line};
    bool done;
    const char *p = skip_scan(&k, c->delim, base, end, in->eof, &done, &stop);
    if (!done && (size_t)(end - base) <= KR_MAX_RECORD_LEN &&
        !(in->start == 0 && in->end == in->cap && in->cap >= KR_INPUT_BUF_CAP))
        return PARSE_MORE;
    rec->error = error;
    rec->line = c->line;
    rec->fields = c->fields;
    rec->count = 0;
    size_t len = (size_t)(stop - base);
    rec->raw = (kr_str){base, len > KR_MAX_RECORD_LEN ? KR_MAX_RECORD_LEN : len};
    in->start = (size_t)(p - in->buf);
    c->line = k.line;
    c->skip = k.st;
    c->skip_cr = k.cr;
    return PARSE_BAD;
}

/* ---- the fast path ------------------------------------------------------------------------ */

/* Copies the quoted text [p, q) into the scratch buffer, "" becoming ". */
static kr_str unescape(char *dst, const char *p, const char *q)
{
    char *d = dst;
    while (p < q) {
        const char *h = memchr(p, '"', (size_t)(q - p));
        if (!h)
            h = q;
        memcpy(d, p, (size_t)(h - p));
        d += h - p;
        if (h == q)
            break;
        *d++ = '"';
        p = h + 2; /* the parser only lets "" through */
    }
    return (kr_str){dst, (size_t)(d - dst)};
}

/*
 * Parses the record at in->start. PARSE_OK: *rec filled and in->start past its line end.
 * PARSE_MORE: the record runs past the buffered bytes. PARSE_BAD: see bad_record.
 */
static int parse_record(kr__csv *c, kr__csv_record *rec)
{
    kr__input *in = c->in;
    const char delim = c->delim;
    const bool eof = in->eof;
    const char *const base = in->buf + in->start, *const end = in->buf + in->end;
    /* A record's text may be KR_MAX_RECORD_LEN bytes: its line end lies at most there. */
    const char *const lim =
        (size_t)(end - base) > KR_MAX_RECORD_LEN ? base + KR_MAX_RECORD_LEN + 1 : end;
    const scan3 unquoted = scan3_make(delim, '\n', '\r');
    const scan3 quoted = scan3_make('"', '\n', '\r');
    kr_str *const fields = c->fields;
    size_t count = 0, newlines = 0, scratch_used = 0;
    const char *p = base;

    for (;;) {
        kr_str v;
        if (p < lim && *p == '"') {
            const char *q = p + 1;
            bool escaped = false;
            for (;;) {
                q = scan3_find(&quoted, q, lim);
                if (q == lim)
                    goto more;
                if (q + 1 == end && !eof)
                    goto more; /* "" or the closing quote? CRLF or a lone CR? */
                if (*q == '"') {
                    if (q + 1 < end && q[1] == '"') {
                        escaped = true;
                        q += 2;
                        continue;
                    }
                    break;
                }
                if (*q == '\n' || q + 1 == end || q[1] != '\n')
                    newlines++; /* LF, or a CR that no LF follows */
                q++;
            }
            if (escaped) {
                if (scratch_used + (size_t)(q - p) > KR_MAX_RECORD_LEN)
                    return bad_record(c, rec, REASON_TOO_LONG);
                if (!c->scratch && !(c->scratch = malloc(KR_MAX_RECORD_LEN)))
                    return KR_ENOMEM;
                v = unescape(c->scratch + scratch_used, p + 1, q);
                scratch_used += v.len;
            } else {
                v = (kr_str){p + 1, (size_t)(q - p - 1)};
            }
            p = q + 1;
            while (p < lim && (*p == ' ' || (*p == '\t' && delim != '\t')))
                p++;
            if (p == lim && (lim < end || !eof))
                goto more;
            if (p < end && *p != delim && *p != '\n' && *p != '\r')
                return bad_record(c, rec, REASON_AFTER_QUOTE);
        } else {
            const char *q = scan3_find(&unquoted, p, lim);
            if (q == lim && (lim < end || !eof))
                goto more;
            v = (kr_str){p, (size_t)(q - p)};
            p = q;
        }
        if (count == KR_MAX_FIELDS)
            return bad_record(c, rec, REASON_TOO_MANY);
        fields[count++] = v;

        if (p == end) { /* the last record, without a line end */
            rec->raw = (kr_str){base, (size_t)(end - base)};
            in->start = in->end;
            break;
        }
        if (*p == delim) {
            p++;
            continue;
        }
        rec->raw = (kr_str){base, (size_t)(p - base)};
        if (*p == '\r') {
            if (p + 1 == end && !eof)
                goto more;
            p += p + 1 < end && p[1] == '\n' ? 2 : 1;
        } else {
            p++;
        }
        newlines++;
        in->start = (size_t)(p - in->buf);
        break;
    }
    rec->fields = fields;
    rec->count = count;
    rec->line = c->line;
    rec->error = NULL;
    c->line += newlines;
    return PARSE_OK;

more:
    if (lim < end)
        return bad_record(c, rec, REASON_TOO_LONG);
    if (eof)
        return bad_record(c, rec, REASON_UNTERMINATED);
    if (in->start == 0 && in->end == in->cap && in->cap >= KR_INPUT_BUF_CAP)
        return bad_record(c, rec, REASON_TOO_LONG); /* cannot happen while MAX < CAP */
    return PARSE_MORE;
}

int kr__csv_next(kr__csv *c, kr__csv_record *rec)
{
    kr__input *in = c->in;
    int rc;
    if (!c->started && (rc = start(c)) < 0)
        return rc;
    if (c->skip != SKIP_NONE && (rc = finish_skip(c)) < 0)
        return rc;
    for (;;) {
        if (in->start == in->end) {
            if (in->eof)
                return 0;
            if ((rc = kr__input_fill(in)) < 0)
                return rc;
            continue;
        }
        rc = parse_record(c, rec);
        if (rc < 0)
            return rc;
        if (rc != PARSE_MORE)
            return 1;
        if ((rc = kr__input_fill(in)) < 0)
            return rc;
    }
}
