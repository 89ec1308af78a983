/*
 * cli.h - what the subcommands share: exit codes, the command table, opening a SOURCE (a file
 * or a store), the options that every reading command takes, output formats, progress and
 * reject reporting. Each subcommand lives in cmd_<verb>.c and is a thin client of the library.
 */
#ifndef KR_CLI_H
#define KR_CLI_H

#include <stdio.h>

#include "klantreis/klantreis.h"

/* Exit codes, documented in --help and klantreis(1). */
enum {
    KR_EXIT_OK = 0,
    KR_EXIT_USAGE = 1, /* bad command line */
    KR_EXIT_INPUT = 2, /* input or I/O: unreadable file, too many rejected rows, store error */
    KR_EXIT_MODEL = 3, /* invalid journey model or query */
};

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
} cli_command;

extern const cli_command cli_commands[];

int cmd_import(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_phases(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_funnel(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_value(int argc, char **argv);
int cmd_attribution(int argc, char **argv);
int cmd_emotion(int argc, char **argv);
int cmd_paths(int argc, char **argv);
int cmd_sessions(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_attention(int argc, char **argv);
int cmd_forget(int argc, char **argv);

/* Output formats of the reporting commands. */
typedef enum { CLI_FORMAT_TABLE, CLI_FORMAT_CSV, CLI_FORMAT_JSON } cli_format;

/** Parses "table|csv|json"; returns -1 for anything else. */
int cli_format_parse(const char *s, cli_format *out);

/** Table on a terminal, JSON when standard output is a pipe or file. */
cli_format cli_format_default(void);

/*
 * The reading options shared by import, stats, person and the analyses: --map, --delimiter,
 * --tz, --decimal, --input-format, --score-scale, --db. CLI_READ_LONG_OPTIONS goes into a
 * getopt_long table; cli_read_option() handles those options' codes.
 */
typedef struct cli_read {
    kr_read_options read;
    kr_tz *tz;
    const char *db; /* --db, else $KLANTREIS_DB, else ./klantreis.db */
} cli_read;

enum {
    CLI_OPT_MAP = 1000,
    CLI_OPT_DELIMITER,
    CLI_OPT_TZ,
    CLI_OPT_DECIMAL,
    CLI_OPT_INPUT_FORMAT,
    CLI_OPT_SCORE_SCALE,
    CLI_OPT_DB,
    CLI_OPT_FIRST_FREE, /* commands number their own long options from here */
};

#define CLI_READ_LONG_OPTIONS                                                                      \
    {"map", required_argument, NULL, CLI_OPT_MAP},                                                 \
        {"delimiter", required_argument, NULL, CLI_OPT_DELIMITER},                                 \
        {"tz", required_argument, NULL, CLI_OPT_TZ},                                               \
        {"decimal", required_argument, NULL, CLI_OPT_DECIMAL},                                     \
        {"input-format", required_argument, NULL, CLI_OPT_INPUT_FORMAT},                           \
        {"score-scale", required_argument, NULL, CLI_OPT_SCORE_SCALE},                             \
    {                                                                                              \
        "db", required_argument, NULL, CLI_OPT_DB                                                  \
    }

#define CLI_READ_HELP                                                                              \
    "  --db PATH             the store (default $KLANTREIS_DB or ./klantreis.db)\n"                \
    "  --map C=SRC,...       read canonical column C from column SRC\n"                            \
    "                        (e.g. timestamp=event_time,event=event_type,user_id=customer)\n"      \
    "  --delimiter C         CSV delimiter: , ; tab (default: detected from the header)\n"         \
    "  --input-format F      csv or jsonl (default: from the file name, else its content)\n"       \
    "  --tz ZONE             zone of timestamps without offset (UTC, +01:00, Europe/Amsterdam)\n"  \
    "  --decimal C           money decimal separator . or , (default: decided per value)\n"        \
    "  --score-scale S       scale of scores without score_scale: csat nps ces emotion\n"

void cli_read_init(cli_read *r);
void cli_read_finish(cli_read *r);

/** Handles one of the CLI_OPT_* read options; returns 0, or KR_EXIT_USAGE after a message. */
int cli_read_option(cli_read *r, int opt, const char *arg);

/**
 * Loads a table from source: a CSV/JSONL file (read directly), an SQLite store file, or,
 * when source is NULL, the store named by r->db. Rejected rows are reported on stderr (the
 * first ten, then a count). Returns KR_EXIT_OK, or an exit code after printing the error.
 */
int cli_load_table(kr_table **out, const char *source, cli_read *r);

/** Like cli_load_table, keeping the free properties named by keys (see table.h). */
int cli_load_table_props(kr_table **out, const char *source, cli_read *r, const kr_str *keys,
                         size_t key_count);

/**
 * Parses a reference date (--as-of, --compare-to): a timestamp, or a plain date (YYYY-MM-DD,
 * YYYYMMDD) that means the end of that day, so that "--as-of 2024-06-30" includes that day.
 * Returns KR_OK or an error (see kr_time_parse).
 */
int cli_parse_as_of(const char *arg, int64_t *out, const cli_read *rd);

/** Parses --tiers A,B,C: three positive percentages that sum to less than 100; 0 or -1. */
int cli_parse_tiers(const char *arg, double out[3]);

/** Reports rejected rows on stderr: the first `limit` in full, then a count at the end. */
typedef struct cli_rejects {
    FILE *file; /* --rejects FILE: every rejected row as CSV, or NULL */
    uint64_t shown;
    uint64_t limit;
    uint64_t total;
} cli_rejects;

void cli_rejects_report(const kr_reject *rej, void *payload);
void cli_rejects_summary(const cli_rejects *r);

/** A progress line on stderr, only when stderr is a terminal; throttled to 10 per second. */
typedef struct cli_progress {
    const char *label;
    bool enabled;
    double last;
} cli_progress;

void cli_progress_init(cli_progress *p, const char *label);
void cli_progress_update(uint64_t done, uint64_t total, void *payload);
void cli_progress_done(cli_progress *p);

/** Writes s as a CSV field (quoted when needed). */
void cli_csv_field(FILE *f, kr_str s);

/** Formats cents as "1234.50" into buf (at least 32 bytes). */
const char *cli_money(char *buf, size_t len, int64_t cents);

/**
 * --pseudonymise FILE for commands that take an ID: writes the pseudonym of id under the
 * secret in FILE to out. Returns 0, or KR_EXIT_INPUT after a message naming command.
 */
int cli_pseudonym(char out[KR_PSEUDONYM_SIZE], const char *command, const char *secret_path,
                  const char *id);

/** Prints a usage error naming the command, and returns KR_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
