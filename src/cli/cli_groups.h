/*
 * cli_groups.h - --per account and --by persona for the analyses that have no breakdown of
 * their own: the analysis runs on a derived table (accounts as units; the persons of one
 * persona) and the CLI stitches the results together, per format.
 */
#ifndef KR_CLI_GROUPS_H
#define KR_CLI_GROUPS_H

#include "cli.h"
#include "klantreis/model.h"

typedef struct cli_groups {
    bool per_account; /* --per account */
    bool by_persona;  /* --by persona */
    bool has_as_of;   /* --as-of, for analyses without one of their own: events after it go */
    int64_t as_of_ms;
} cli_groups;

#define CLI_GROUPS_INIT                                                                            \
    {                                                                                              \
        false, false, false, 0                                                                     \
    }

#define CLI_GROUPS_HELP                                                                            \
    "  --per U               person (default) or account: with account, the contacts of an\n"      \
    "                        account count as one customer\n"                                      \
    "  --by persona          one result per persona of the journey model (./journey.yaml,\n"       \
    "                        else the five-phases template, or --model / --template)\n"

/** Parses the value of --per (person, account) or --by (persona); prints a usage error and
    returns its exit code, or 0. */
int cli_groups_per(cli_groups *g, const char *command, const char *arg);
int cli_groups_by(cli_groups *g, const char *command, const char *arg);

/* An analysis that prints its result for table t on stdout in the chosen format; returns an
   exit code. */
typedef int (*cli_analysis)(const kr_table *t, void *payload);

/**
 * Runs fn on *t as g asks: with has_as_of first leaves out the events after as_of_ms
 * (kr_table_select); with per_account then replaces *t by its account table
 * (kr_table_by_account; a model matched on the old table no longer applies: fn matches its
 * own); with by_persona once per persona of m that has persons (and "(none)"), each on the
 * table of its persons, with the output joined: a "== persona: X (N persons)" heading per
 * group in a table, a first "persona" column in CSV (one header), and in JSON
 * {"by": "persona", "groups": [{"key": X, "persons": N, "result": ...}]}. Returns the first
 * non-zero exit code of fn, or KR_EXIT_INPUT when out of memory.
 */
int cli_groups_run(const cli_groups *g, const char *command, kr_table **t, const kr_model *m,
                   cli_format format, cli_analysis fn, void *payload);

/** Runs fn(t, payload) with stdout going to a temporary file: *text (malloc'd, NUL-terminated)
    is what it printed, *exit_code what it returned. Returns 0, or -1 when capturing failed. */
int cli_capture(cli_analysis fn, const kr_table *t, void *payload, char **text, int *exit_code);

/** Prints CSV text (RFC 4180, a header first) as aligned columns: two spaces between columns,
    values over 40 characters cut with "...". Modifies csv. */
void cli_print_csv_table(char *csv);

#endif
