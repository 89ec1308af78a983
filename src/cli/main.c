/*
 * main.c - klantreis: the command table, global help and version. Each subcommand lives in
 * its own cmd_<verb>.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
    {"demo", cmd_demo, "write a demo data set of a Dutch webshop, import it, show its stats"},
    {"import", cmd_import, "read CSV/JSONL files into the store (validated, deduplicated)"},
    {"stats", cmd_stats, "overview: events, persons, accounts, devices, time range"},
    {"person", cmd_person, "one person's timeline: all their ids and events"},
    {"init", cmd_init, "write a journey model from a template (five-phases, b2b, ...)"},
    {"check", cmd_check, "validate a journey model, and lint it against data"},
    {"funnel", cmd_funnel, "persons per step, conversion, drop-off, time between steps"},
    {"paths", cmd_paths, "top paths of persons or sessions, and transitions as Sankey data"},
    {"sessions", cmd_sessions, "sessions per person, duration, events per session, by device"},
    {"phases", cmd_phases, "the journey from data: reach, drop-off and time per phase"},
    {"devices", cmd_devices, "cross-device: persons and conversion per device set and path"},
    {"retention", cmd_retention, "cohorts by first start event: who came back 0..N periods later"},
    {"map", cmd_map, "the journey map as a poster (PDF/PNG/SVG) or Mermaid diagram"},
    {"export", cmd_export, "the events after identity stitching, as CSV (for other tools)"},
    {"value", cmd_value, "customer value: RFM segments, customer pyramid, 80/20 (Pareto)"},
    {"attribution", cmd_attribution, "conversions and revenue credited per channel, six models"},
    {"emotion", cmd_emotion, "NPS, CSAT, CES and emotion per touchpoint and phase, pain points"},
    {"attention", cmd_attention, "attention monitor: company touches per pyramid tier vs value"},
    {"lists", cmd_lists, "persons to act on: abandoned carts, at-risk, ambassadors, ... (CSV)"},
    {"forget", cmd_forget, "erase a person: every event of all their ids, bytes included"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: klantreis COMMAND [OPTIONS] [ARGS]\n\n"
               "klantreis maps the journey your customers make, from the events you already "
               "have.\n\ncommands:\n");
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-12s %s\n", c->name, c->summary);
    fprintf(f, "\n'klantreis COMMAND --help' explains one command.\n"
               "\nexit codes: 0 ok, 1 usage error, 2 input or I/O error (unreadable file,\n"
               "too many rejected rows, store error), 3 invalid journey model or query.\n"
               "\nquick start:  klantreis demo\n"
               "              klantreis import events.csv && klantreis stats\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return KR_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (const cli_command *c = cli_commands; c->name; c++) {
                if (strcmp(c->name, argv[2]) == 0) {
                    char *args[] = {argv[2], "--help", NULL};
                    return c->run(2, args);
                }
            }
        }
        usage(stdout);
        return KR_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("klantreis %s\n", KR_VERSION);
        return KR_EXIT_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "klantreis: unknown command '%s'\n\n", name);
    usage(stderr);
    return KR_EXIT_USAGE;
}
