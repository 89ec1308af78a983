/*
 * reader.c - opens an input, decides its format, and hands it to the CSV or JSONL reader.
 * The buffered input lives here too, so that format detection can peek without losing bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader_internal.h"

int kr__reader_error(kr_reader *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int kr__input_fill(kr__input *in)
{
    if (in->start > 0) {
        memmove(in->buf, in->buf + in->start, in->end - in->start);
        in->end -= in->start;
        in->consumed += in->start;
        in->start = 0;
    }
    /* Full of one unfinished record: grow, up to the cap (records longer than the readers'
       limit are rejected before that). */
    if (in->start == 0 && in->end == in->cap && in->cap < KR_INPUT_BUF_CAP) {
        size_t cap = in->cap * 2 < KR_INPUT_BUF_CAP ? in->cap * 2 : KR_INPUT_BUF_CAP;
        char *buf = realloc(in->buf, cap);
        if (!buf)
            return KR_ENOMEM;
        in->buf = buf;
        in->cap = cap;
    }
    size_t before = in->end;
    while (!in->eof && in->end < in->cap) {
        ssize_t n = read(in->fd, in->buf + in->end, in->cap - in->end);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return KR_EIO;
        }
        if (n == 0)
            in->eof = true;
        in->end += (size_t)n;
    }
    return (int)(in->end - before > (size_t)INT32_MAX ? INT32_MAX : in->end - before);
}

void kr__reader_progress(kr_reader *r, const kr_read_handler *h)
{
    if (h->on_progress)
        h->on_progress(r->in.consumed + r->in.start, r->in.total, h->payload);
}

static char *dup_cstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static kr_format format_from_name(const char *path)
{
    static const char *const csv[] = {".csv", ".tsv", ".txt", ".csv.part"};
    static const char *const jsonl[] = {".jsonl", ".ndjson", ".json", ".jsonl.part"};
    for (size_t i = 0; i < sizeof csv / sizeof *csv; i++)
        if (ends_with(path, csv[i]))
            return KR_FORMAT_CSV;
    for (size_t i = 0; i < sizeof jsonl / sizeof *jsonl; i++)
        if (ends_with(path, jsonl[i]))
            return KR_FORMAT_JSONL;
    return KR_FORMAT_AUTO;
}

/* By content: the first non-blank byte after an optional UTF-8 BOM is '{' for JSONL. */
static kr_format format_from_content(const kr__input *in)
{
    size_t i = in->start;
    if (in->end - i >= 3 && memcmp(in->buf + i, "\xEF\xBB\xBF", 3) == 0)
        i += 3;
    while (i < in->end &&
           (in->buf[i] == ' ' || in->buf[i] == '\t' || in->buf[i] == '\r' || in->buf[i] == '\n'))
        i++;
    return i < in->end && in->buf[i] == '{' ? KR_FORMAT_JSONL : KR_FORMAT_CSV;
}

int kr_reader_open(kr_reader **out, const char *path, const kr_read_options *o)
{
    static const kr_read_options defaults = KR_READ_OPTIONS_INIT;
    kr_reader *r = calloc(1, sizeof *r);
    *out = r;
    if (!r)
        return KR_ENOMEM;
    r->opts = o ? *o : defaults;
    r->in.fd = -1;
    r->path = dup_cstr(path);
    r->name = dup_cstr(r->opts.name ? r->opts.name : path);
    r->in.cap = KR_INPUT_BUF_START;
    r->in.buf = malloc(r->in.cap);
    if (!r->path || !r->name || !r->in.buf)
        return kr__reader_error(r, KR_ENOMEM, "out of memory");
    r->opts.name = r->name;

    if (strcmp(path, "-") == 0) {
        r->in.fd = STDIN_FILENO;
    } else {
        r->in.fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->in.fd < 0)
            return kr__reader_error(r, KR_EIO, "%s: cannot open: %s", r->name, strerror(errno));
        struct stat st;
        if (fstat(r->in.fd, &st) == 0 && S_ISREG(st.st_mode))
            r->in.total = (uint64_t)st.st_size;
        if (fstat(r->in.fd, &st) == 0 && S_ISDIR(st.st_mode))
            return kr__reader_error(r, KR_EIO, "%s: is a directory", r->name);
    }
    r->format = r->opts.format;
    if (r->format == KR_FORMAT_AUTO)
        r->format = format_from_name(path);
    return KR_OK;
}

int kr_reader_run(kr_reader *r, const kr_read_handler *h)
{
    if (r->in.fd < 0)
        return kr__reader_error(r, KR_EIO, "%s: not open", r->name);
    if (r->in.end == r->in.start && kr__input_fill(&r->in) < 0)
        return kr__reader_error(r, KR_EIO, "%s: read error: %s", r->name, strerror(errno));
    if (r->format == KR_FORMAT_AUTO)
        r->format = format_from_content(&r->in);
    int rc = r->format == KR_FORMAT_JSONL ? kr__jsonl_read_events(r, h) : kr__csv_read_events(r, h);
    kr__reader_progress(r, h);
    return rc;
}

kr_format kr_reader_format(const kr_reader *r)
{
    return r->format;
}

const char *kr_reader_errmsg(const kr_reader *r)
{
    return r ? r->errmsg : "out of memory";
}

void kr_reader_free(kr_reader *r)
{
    if (!r)
        return;
    if (r->in.fd > STDIN_FILENO)
        close(r->in.fd);
    free(r->in.buf);
    free(r->path);
    free(r->name);
    free(r);
}
