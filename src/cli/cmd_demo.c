/*
 * cmd_demo.c - klantreis demo: writes the demo data set, imports it into a store beside it,
 * and shows its stats. Later steps (the report) hang off the same flow.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: klantreis demo [OPTIONS]\n\n"
    "Writes a realistic, deterministic demo data set of a Dutch webshop (persons who meet the\n"
    "shop through ads, search, social and word of mouth, browse on a phone and buy on a\n"
    "laptop, abandon carts, buy, contact service, answer surveys, buy again; B2B accounts with\n"
    "several contacts) to DIR/events.csv, imports it into DIR/klantreis.db and prints its\n"
    "stats.\n\n"
    "options:\n"
    "  --persons N           persons (default 2000)\n"
    "  --seed S              random seed; the same seed gives the same data (default 42)\n"
    "  --out DIR             output folder (default ./klantreis-demo)\n"
    "  --db PATH             store to import into (default DIR/klantreis.db)\n"
    "  -h, --help            this help\n";

enum { OPT_PERSONS = CLI_OPT_FIRST_FREE, OPT_SEED, OPT_OUT, OPT_DB };

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"persons", required_argument, NULL, OPT_PERSONS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"out", required_argument, NULL, OPT_OUT},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    kr_demo_options o = KR_DEMO_OPTIONS_INIT;
    const char *db = NULL;
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return KR_EXIT_OK;
        case OPT_PERSONS: {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || v == 0 || v > 10000000 || optarg[0] == '-')
                return cli_usage_error("demo", "--persons takes a number 1..10000000");
            o.persons = (uint32_t)v;
            break;
        }
        case OPT_SEED: {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || optarg[0] == '-' || !optarg[0])
                return cli_usage_error("demo", "--seed takes a number");
            o.seed = v;
            break;
        }
        case OPT_OUT:
            o.out_dir = optarg;
            break;
        case OPT_DB:
            db = optarg;
            break;
        default:
            return cli_usage_error("demo", "unknown or incomplete option");
        }
    }
    if (optind < argc)
        return cli_usage_error("demo", "takes no arguments");

    kr_demo_summary sum;
    char err[512];
    if (kr_demo_write(&sum, &o, err, sizeof err) < 0) {
        fprintf(stderr, "klantreis demo: %s\n", err);
        return KR_EXIT_INPUT;
    }
    printf("wrote %s: %" PRIu64 " events of %" PRIu64 " persons (%" PRIu64 " accounts)\n",
           sum.events_path, sum.events, sum.persons, sum.accounts);

    char db_path[4200];
    if (!db) {
        snprintf(db_path, sizeof db_path, "%s/klantreis.db", o.out_dir);
        db = db_path;
    }
    char *import_argv[] = {"import", "--db", (char *)db, sum.events_path, NULL};
    int rc = cmd_import(4, import_argv);
    if (rc != KR_EXIT_OK)
        return rc;
    printf("\n");
    char *stats_argv[] = {"stats", "--db", (char *)db, "--format", "table", NULL};
    return cmd_stats(5, stats_argv);
}
