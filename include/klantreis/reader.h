/*
 * klantreis/reader.h - reads events from CSV and JSONL files (flat or Segment-spec), one
 * callback per good event, one per rejected row.
 *
 *     kr_reader *r;
 *     kr_read_options o = KR_READ_OPTIONS_INIT;
 *     kr_read_handler h = {.on_event = my_event, .on_reject = my_reject, .payload = &ctx};
 *     if (kr_reader_open(&r, "events.csv", &o) == KR_OK && kr_reader_run(r, &h) < 0)
 *         fprintf(stderr, "%s\n", kr_reader_errmsg(r));
 *     kr_reader_free(r);
 */
#ifndef KLANTREIS_READER_H
#define KLANTREIS_READER_H

#include <stdio.h>

#include "event.h"
#include "parse.h"

typedef enum {
    KR_FORMAT_AUTO = 0, /* by file name (.csv .tsv .txt / .jsonl .ndjson .json), else by content */
    KR_FORMAT_CSV = 1,
    KR_FORMAT_JSONL = 2,
} kr_format;

/* Limits: untrusted input never grows memory without bound. */
#define KR_MAX_RECORD_LEN (1u << 20) /* one CSV record or JSON line, bytes */
#define KR_MAX_FIELDS 1024           /* CSV columns */
#define KR_MAX_PROPERTIES 256        /* free properties per event */

typedef struct kr_read_options {
    kr_format format;
    char delimiter;   /* CSV: ',', ';', '\t', or 0 to detect from the header line */
    char decimal;     /* money decimal separator, 0 = per value (see kr_money_parse) */
    const char *map;  /* "timestamp=event_time,event=event_type": canonical=source, or NULL */
    const kr_tz *tz;  /* zone of timestamps without offset; NULL = UTC; borrowed */
    const char *name; /* the name used in messages; NULL = the path */
    kr_score_scale default_scale; /* scale of a score without score_scale; NONE = reject */
} kr_read_options;

#define KR_READ_OPTIONS_INIT                                                                       \
    {                                                                                              \
        KR_FORMAT_AUTO, 0, 0, NULL, NULL, NULL, KR_SCALE_NONE                                      \
    }

/** Where a record came from and why it was rejected. All pointers valid during the callback. */
typedef struct kr_reject {
    const char *file;   /* the source name */
    size_t line;        /* 1-based physical line where the record starts */
    const char *field;  /* canonical field name, or NULL when the record as a whole is bad */
    const char *reason; /* one line, lower case: "bad timestamp '2024-13-01'" */
    kr_str raw;         /* the record as it stood in the file, without its line ending */
} kr_reject;

typedef struct kr_read_handler {
    /* One good event. raw is the record's bytes (for content hashing), line its first line.
       Return KR_OK to go on, a negative code to stop the run with that code. */
    int (*on_event)(const kr_event *ev, kr_str raw, size_t line, void *payload);
    /* One rejected record; NULL = ignore. */
    void (*on_reject)(const kr_reject *rej, void *payload);
    /* Progress in bytes, called every few MB; total is 0 when unknown (a pipe). NULL = none. */
    void (*on_progress)(uint64_t done, uint64_t total, void *payload);
    void *payload;
} kr_read_handler;

typedef struct kr_reader kr_reader;

/**
 * Opens path ("-" = standard input) for reading with options o (NULL = defaults, copied).
 * On failure *out still holds a reader whose errmsg says why (free it), or NULL on KR_ENOMEM.
 */
KR_EXTERN int kr_reader_open(kr_reader **out, const char *path, const kr_read_options *o);

/**
 * Reads every record, calling the handler. Returns KR_OK when the input was read to its end
 * (rejected rows do not fail the run), KR_EIO / KR_EPARSE when the file as a whole cannot be
 * read (no header, unreadable), or the code an on_event callback stopped with.
 */
KR_EXTERN int kr_reader_run(kr_reader *r, const kr_read_handler *h);

/** The format in use (after detection). */
KR_EXTERN kr_format kr_reader_format(const kr_reader *r);

/** The last error message; "" when none. Borrowed, valid while r lives. */
KR_EXTERN const char *kr_reader_errmsg(const kr_reader *r);

/** Closes and frees; NULL is fine. */
KR_EXTERN void kr_reader_free(kr_reader *r);

#endif
