/*
 * cli.c - helpers shared by the subcommands (see cli.h).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "klantreis %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'klantreis %s --help')\n", command);
    return KR_EXIT_USAGE;
}

int cli_format_parse(const char *s, cli_format *out)
{
    if (strcmp(s, "table") == 0)
        *out = CLI_FORMAT_TABLE;
    else if (strcmp(s, "csv") == 0)
        *out = CLI_FORMAT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = CLI_FORMAT_JSON;
    else
        return -1;
    return 0;
}

cli_format cli_format_default(void)
{
    return isatty(STDOUT_FILENO) ? CLI_FORMAT_TABLE : CLI_FORMAT_JSON;
}

void cli_read_init(cli_read *r)
{
    static const kr_read_options defaults = KR_READ_OPTIONS_INIT;
    memset(r, 0, sizeof *r);
    r->read = defaults;
    const char *env = getenv("KLANTREIS_DB");
    r->db = env && *env ? env : "klantreis.db";
}

void cli_read_finish(cli_read *r)
{
    kr_tz_free(r->tz);
    r->tz = NULL;
}

int cli_read_option(cli_read *r, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_MAP:
        r->read.map = arg;
        return 0;
    case CLI_OPT_DELIMITER:
        if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
            r->read.delimiter = '\t';
        else if (strlen(arg) == 1 && strchr(",;\t|", arg[0]))
            r->read.delimiter = arg[0];
        else
            return cli_usage_error("import", "--delimiter takes , ; | or tab, not '%s'", arg);
        return 0;
    case CLI_OPT_TZ:
        kr_tz_free(r->tz);
        r->tz = NULL;
        if (kr_tz_open(&r->tz, arg) < 0)
            return cli_usage_error("import", "unknown time zone '%s'", arg);
        r->read.tz = r->tz;
        return 0;
    case CLI_OPT_DECIMAL:
        if (strcmp(arg, ".") != 0 && strcmp(arg, ",") != 0)
            return cli_usage_error("import", "--decimal takes . or , not '%s'", arg);
        r->read.decimal = arg[0];
        return 0;
    case CLI_OPT_INPUT_FORMAT:
        if (strcmp(arg, "csv") == 0)
            r->read.format = KR_FORMAT_CSV;
        else if (strcmp(arg, "jsonl") == 0 || strcmp(arg, "json") == 0)
            r->read.format = KR_FORMAT_JSONL;
        else
            return cli_usage_error("import", "--input-format takes csv or jsonl, not '%s'", arg);
        return 0;
    case CLI_OPT_SCORE_SCALE:
        if (kr_score_scale_parse(&r->read.default_scale, kr_str_from_cstr(arg)) < 0)
            return cli_usage_error("import", "--score-scale takes csat nps ces or emotion");
        return 0;
    case CLI_OPT_DB:
        r->db = arg;
        return 0;
    default:
        return KR_EXIT_USAGE;
    }
}

void cli_rejects_report(const kr_reject *rej, void *payload)
{
    cli_rejects *r = payload;
    r->total++;
    if (r->shown < r->limit) {
        r->shown++;
        fprintf(stderr, "%s:%zu: %s%s%s\n", rej->file, rej->line, rej->field ? rej->field : "",
                rej->field ? ": " : "", rej->reason);
    }
    if (r->file) {
        fprintf(r->file, "%zu,", rej->line);
        cli_csv_field(r->file, kr_str_from_cstr(rej->file));
        fputc(',', r->file);
        cli_csv_field(r->file, kr_str_from_cstr(rej->field ? rej->field : ""));
        fputc(',', r->file);
        cli_csv_field(r->file, kr_str_from_cstr(rej->reason));
        fputc(',', r->file);
        cli_csv_field(r->file, rej->raw);
        fputc('\n', r->file);
    }
}

void cli_rejects_summary(const cli_rejects *r)
{
    if (r->total > r->shown)
        fprintf(stderr, "... and %" PRIu64 " more rejected rows%s\n", r->total - r->shown,
                r->file ? " (all are in the --rejects file)" : " (--rejects FILE lists them all)");
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p, const char *label)
{
    p->label = label;
    p->enabled = isatty(STDERR_FILENO);
    p->last = 0;
}

void cli_progress_update(uint64_t done, uint64_t total, void *payload)
{
    cli_progress *p = payload;
    if (!p || !p->enabled)
        return;
    double t = now_seconds();
    if (t - p->last < 0.1)
        return;
    p->last = t;
    if (total) {
        int pct = (int)(done * 100 / total);
        int bar = pct / 4;
        fprintf(stderr, "\r%-24.24s [%.*s%*s] %3d%% %" PRIu64 " MB", p->label, bar,
                "=========================", 25 - bar, "", pct, done >> 20);
    } else {
        fprintf(stderr, "\r%-24.24s %" PRIu64 " MB", p->label, done >> 20);
    }
    fflush(stderr);
}

void cli_progress_done(cli_progress *p)
{
    if (p->enabled && p->last > 0)
        fprintf(stderr, "\r%*s\r", 70, "");
}

void cli_csv_field(FILE *f, kr_str s)
{
    bool quote = false;
    for (size_t i = 0; i < s.len && !quote; i++)
        quote = s.ptr[i] == ',' || s.ptr[i] == '"' || s.ptr[i] == '\n' || s.ptr[i] == '\r';
    if (!quote) {
        fwrite(s.ptr, 1, s.len, f);
        return;
    }
    fputc('"', f);
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '"')
            fputc('"', f);
        fputc(s.ptr[i], f);
    }
    fputc('"', f);
}

const char *cli_money(char *buf, size_t len, int64_t cents)
{
    uint64_t abs = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(buf, len, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", abs / 100, abs % 100);
    return buf;
}

/* An SQLite database file starts with this 16-byte header. */
static bool is_sqlite_file(const char *path)
{
    char head[16];
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool yes =
        fread(head, 1, sizeof head, f) == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
    fclose(f);
    return yes;
}

int cli_load_table(kr_table **out, const char *source, cli_read *r)
{
    return cli_load_table_props(out, source, r, NULL, 0);
}

int cli_load_table_props(kr_table **out, const char *source, cli_read *r, const kr_str *keys,
                         size_t key_count)
{
    *out = NULL;
    if (source && !is_sqlite_file(source) && strncmp(source, "sqlite:", 7) != 0) {
        cli_rejects rej = {NULL, 0, 10, 0};
        kr_load_stats st;
        int rc = kr_table_load_file_props(out, source, &r->read, keys, key_count,
                                          cli_rejects_report, &rej, &st);
        cli_rejects_summary(&rej);
        if (rc < 0) {
            fprintf(stderr, "klantreis: %s\n", kr_table_errmsg(*out));
            kr_table_free(*out);
            *out = NULL;
            return KR_EXIT_INPUT;
        }
        if (st.read == 0 && st.rejected > 0) {
            fprintf(stderr, "klantreis: %s: no good rows (%" PRIu64 " rejected)\n", source,
                    st.rejected);
            kr_table_free(*out);
            *out = NULL;
            return KR_EXIT_INPUT;
        }
        return KR_EXIT_OK;
    }
    const char *uri = source ? source : r->db;
    struct stat st;
    const char *path = strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
    if (stat(path, &st) != 0) {
        fprintf(stderr,
                "klantreis: no store at %s: import data first ('klantreis import FILE'), "
                "or name a CSV/JSONL file to analyse directly\n",
                path);
        return KR_EXIT_INPUT;
    }
    kr_store *s = NULL;
    kr_store_options so = {.read_only = true};
    int rc = kr_store_open(&s, uri, &so);
    if (rc == KR_OK)
        rc = kr_store_load_table_props(s, keys, key_count, out);
    if (rc < 0)
        fprintf(stderr, "klantreis: %s\n", kr_store_errmsg(s));
    kr_store_free(s);
    return rc < 0 ? KR_EXIT_INPUT : KR_EXIT_OK;
}

int cli_parse_as_of(const char *arg, int64_t *out, const cli_read *rd)
{
    size_t len = strlen(arg);
    int rc = kr_time_parse(out, kr_str_from_cstr(arg), rd->read.tz);
    bool digits = len == 8 && strspn(arg, "0123456789") == 8;
    if (rc == KR_OK && ((len == 10 && arg[4] == '-' && arg[7] == '-') || digits))
        *out += INT64_C(86400000) - 1;
    return rc;
}

int cli_parse_tiers(const char *arg, double out[3])
{
    const char *p = arg;
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || !(v > 0) || *end != (k < 2 ? ',' : '\0'))
            return -1;
        out[k] = v;
        sum += v;
        p = end + 1;
    }
    return sum < 100 ? 0 : -1;
}

int cli_pseudonym(char out[KR_PSEUDONYM_SIZE], const char *command, const char *secret_path,
                  const char *id)
{
    kr_pseudo_key k;
    char err[600];
    if (kr_pseudo_key_load(&k, secret_path, err, sizeof err) < 0) {
        fprintf(stderr, "klantreis %s: --pseudonymise %s\n", command, err);
        return KR_EXIT_INPUT;
    }
    kr_pseudonymise(out, &k, kr_str_from_cstr(id));
    memset(&k, 0, sizeof k);
    return KR_EXIT_OK;
}
