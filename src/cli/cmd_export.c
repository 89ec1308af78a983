/*
 * cmd_export.c - klantreis export [SOURCE]: the events after identity stitching, as CSV in
 * the canonical header, one row per event, sorted by person and time. The person's id is in
 * the user_id column (anonymous_id for a person without a user id), so the output imports again
 * as the same persons, and other tools (SQL, a spreadsheet, the benchmarks' peers) see the
 * persons klantreis sees.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: klantreis export [OPTIONS] [SOURCE]\n\n"
    "Writes the events after identity stitching as CSV on standard output, sorted by person\n"
    "and time: timestamp,anonymous_id,user_id,account_id,event,channel,device,value,score,\n"
    "score_scale, where user_id is the person's id (every id of a person maps to it;\n"
    "anonymous_id instead for a person who never had a user id) and account_id the\n"
    "person's account. Re-importing the output gives the same persons. SOURCE is a CSV/JSONL\n"
    "file or a store; without SOURCE, the store (--db). Free properties are not written.\n\n"
    "options:\n"
    "  --time T              iso (default: 2024-05-01T10:00:00.000Z) or ms (milliseconds\n"
    "                        since 1970, UTC)\n" CLI_READ_HELP
    "  -h, --help            this help\n";

enum { OPT_TIME = CLI_OPT_FIRST_FREE };

static void write_events(const kr_table *t, bool iso)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    printf("timestamp,anonymous_id,user_id,account_id,event,channel,device,value,score,"
           "score_scale\n");
    for (uint32_t p = 0; p < c.person_count; p++) {
        kr_str person = kr_table_dict_get(t, KR_DICT_ID, c.person_id[p]);
        kr_str account = kr_table_dict_get(t, KR_DICT_ACCOUNT, c.person_account[p]);
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) {
            char when[40];
            if (iso)
                kr_time_format(when, sizeof when, c.time_ms[i]);
            else
                snprintf(when, sizeof when, "%" PRId64, c.time_ms[i]);
            fputs(when, stdout);
            putchar(',');
            if (!c.person_known[p])
                cli_csv_field(stdout, person);
            putchar(',');
            if (c.person_known[p])
                cli_csv_field(stdout, person);
            putchar(',');
            cli_csv_field(stdout, account);
            putchar(',');
            cli_csv_field(stdout, kr_table_dict_get(t, KR_DICT_NAME, c.name[i]));
            putchar(',');
            cli_csv_field(stdout, kr_table_dict_get(t, KR_DICT_CHANNEL, c.channel[i]));
            putchar(',');
            cli_csv_field(stdout, kr_table_dict_get(t, KR_DICT_DEVICE, c.device[i]));
            putchar(',');
            uint8_t f = c.flags[i];
            if ((f & KR_FLAG_HAS_VALUE) && c.aux[i]) {
                int64_t v = c.value_cents[c.aux[i] - 1];
                /* cents as a decimal amount, exactly (no floating point) */
                printf("%s%" PRId64 ".%02" PRId64, v < 0 ? "-" : "", (v < 0 ? -(v / 100) : v / 100),
                       v < 0 ? -(v % 100) : v % 100);
            }
            putchar(',');
            if ((f & KR_FLAG_HAS_SCORE) && c.aux[i])
                printf("%g,%s", (double)c.score[c.aux[i] - 1],
                       kr_score_scale_name(KR_FLAG_SCALE(f)));
            else
                putchar(',');
            putchar('\n');
        }
    }
}

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"time", required_argument, NULL, OPT_TIME},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    bool iso = true;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_TIME:
            if (strcmp(optarg, "iso") != 0 && strcmp(optarg, "ms") != 0) {
                exit_code = cli_usage_error("export", "--time takes iso or ms");
                goto done;
            }
            iso = strcmp(optarg, "iso") == 0;
            break;
        case '?':
            exit_code = cli_usage_error("export", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("export", "at most one SOURCE");
        goto done;
    }
    if ((exit_code = cli_load_table(&t, optind < argc ? argv[optind] : NULL, &rd)) != 0)
        goto done;
    write_events(t, iso);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "klantreis export: writing the output failed\n");
        exit_code = KR_EXIT_INPUT;
    }
done:
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
