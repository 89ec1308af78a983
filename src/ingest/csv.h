/*
 * csv.h - a streaming RFC 4180 tokenizer over the reader's buffered input (kr__input):
 * quoted fields, "" inside quotes, line breaks inside quotes, CRLF, LF or CR line ends, an
 * optional UTF-8 byte-order mark, and ',' ';' or tab as the delimiter, given or detected.
 *
 *     kr__csv c;
 *     kr__csv_record rec;
 *     if (kr__csv_init(&c, &r->in, 0) < 0) return KR_ENOMEM;
 *     while ((rc = kr__csv_next(&c, &rec)) > 0)
 *         rec.error ? reject(rec.line, rec.error, rec.raw) : use(rec.fields, rec.count);
 *     kr__csv_finish(&c);
 *
 * Fields are views: straight into the input buffer, or into a scratch buffer for a quoted
 * field that held "". They, and rec.raw, stay valid until the next kr__csv_next call.
 *
 * Leniencies: a quote inside an unquoted field is kept as a character (5" screen); blanks
 * between a closing quote and the delimiter are dropped. Any other text after a closing quote
 * makes the record bad ("unexpected text after a closing quote").
 *
 * Bad records: one longer than KR_MAX_RECORD_LEN bytes, one with more than KR_MAX_FIELDS
 * fields, the text above, and an unterminated quote at the end of the input. Such a record is
 * returned once with rec.error set, its first line and its raw bytes (at most
 * KR_MAX_RECORD_LEN of them); the tokenizer then skips to the next line end outside quotes and
 * carries on with the record after it.
 */
#ifndef KR_INGEST_CSV_H
#define KR_INGEST_CSV_H

#include "ingest/reader_internal.h"

typedef struct kr__csv_record {
    const kr_str *fields; /* count views; a blank line is one empty field */
    size_t count;
    kr_str raw;        /* the record as in the file, without its line end */
    size_t line;       /* 1-based physical line where the record starts */
    const char *error; /* NULL for a good record; else why it is bad (static text) */
} kr__csv_record;

typedef struct kr__csv {
    kr__input *in;
    char delim;     /* 0 until detected from the header line */
    bool started;   /* byte-order mark and delimiter handled */
    size_t line;    /* physical line of in->buf[in->start] */
    kr_str *fields; /* KR_MAX_FIELDS views */
    char *scratch;  /* unescaped fields; KR_MAX_RECORD_LEN bytes, allocated on first "" */
    int skip;       /* the rest of a bad record is still being skipped: a skip state */
    bool skip_cr;   /* skipping: the last byte seen was a CR (a following LF ends no line) */
} kr__csv;

/**
 * Prepares c to read in from its current position. delimiter is ',', ';', '\t' (or any other
 * byte but '"', CR and LF), or 0 to detect it from the first line. Returns KR_OK, KR_EINVAL for
 * an impossible delimiter, or KR_ENOMEM.
 */
int kr__csv_init(kr__csv *c, kr__input *in, char delimiter);

/** Frees what c holds (not the input). Safe on a zeroed or finished c. */
void kr__csv_finish(kr__csv *c);

/**
 * Reads the next record into *rec. Returns 1 for a record (good, or bad with rec->error set),
 * 0 at the end of the input, KR_EIO or KR_ENOMEM.
 */
int kr__csv_next(kr__csv *c, kr__csv_record *rec);

/** The delimiter in use: the given one, or the detected one after the first kr__csv_next. */
char kr__csv_delimiter(const kr__csv *c);

#endif
