/*
 * reader_internal.h - what the format readers (csv_events.c, jsonl.c) share with reader.c:
 * the reader struct, a buffered input, and the error helper.
 */
#ifndef KR_INGEST_READER_INTERNAL_H
#define KR_INGEST_READER_INTERNAL_H

#include "klantreis/reader.h"

/*
 * A buffered input over a file descriptor. buf[start..end) holds bytes read but not yet
 * consumed; kr__input_fill() moves them to the front and reads more, growing the buffer from
 * KR_INPUT_BUF_START when one record fills it. It never grows past KR_INPUT_BUF_CAP: a record
 * longer than that is the caller's to reject. (Starting small keeps opening a reader cheap,
 * which the fuzzers and the server's small requests do often.)
 */
#define KR_INPUT_BUF_START ((size_t)256 << 10)
#define KR_INPUT_BUF_CAP ((size_t)4 << 20)

typedef struct kr__input {
    int fd;
    char *buf;
    size_t cap;
    size_t start;      /* first unconsumed byte */
    size_t end;        /* one past the last byte read */
    bool eof;          /* read() returned 0 */
    uint64_t consumed; /* bytes before buf[0], for progress */
    uint64_t total;    /* file size, 0 for a pipe */
} kr__input;

/**
 * Reads more: moves buf[start..end) to the front (growing the buffer when that is all of it),
 * then reads until the buffer is full or the input ends. Pointers into buf are invalid
 * afterwards. Returns the number of new bytes (0 at end of input), KR_EIO or KR_ENOMEM.
 */
int kr__input_fill(kr__input *in);

struct kr_reader {
    kr_read_options opts;
    char *path;
    char *name; /* for messages */
    kr_format format;
    kr__input in;
    char errmsg[512];
};

/** Formats r->errmsg and returns code. */
int kr__reader_error(kr_reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Progress callback, if any, from the input's position. */
void kr__reader_progress(kr_reader *r, const kr_read_handler *h);

/* The format readers: consume r->in from its current position to the end. */
int kr__csv_read_events(kr_reader *r, const kr_read_handler *h);
int kr__jsonl_read_events(kr_reader *r, const kr_read_handler *h);

#endif
