/*
 * cmd_retention.c - klantreis retention [SOURCE] --start EVENT --return EVENT: the cohort
 * table (persons by the period of their first start event, and the share that returned 0..N
 * periods later), the repeat-purchase rate and the median days between purchases. A thin
 * client of kr_retention_run (src/engine/retention.c) and kr_retention_to_json.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "klantreis/retention.h"

static const char help[] =
    "usage: klantreis retention [OPTIONS] [SOURCE] --start EVENT --return EVENT\n\n"
    "Cohort retention: persons grouped by the period (UTC day, ISO week from Monday, or\n"
    "calendar month) of their first start event; per cohort its size and how many of it did a\n"
    "return event in the same period (period 0, only after the start event) and 1..N periods\n"
    "later. Also the repeat-purchase rate (persons with two or more purchase events among\n"
    "those with one or more) and the median days between consecutive purchases\n"
    "(docs/retention.md). SOURCE is a CSV/JSONL file or a store; without SOURCE, the store\n"
    "(--db).\n\n"
    "options:\n"
    "  --start EVENT         the event that puts a person in a cohort (its first occurrence)\n"
    "  --return EVENT        the event that counts as coming back\n"
    "  --period P            day, week (default) or month\n"
    "  --periods N           count periods 0..N after the start (default 8, at most 1000)\n"
    "  --purchase EVENT      the purchase event for the repeat figures (default purchase)\n"
    "  --from DATE           only events at or after DATE count\n"
    "  --to DATE             only events before DATE count\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid query.\n";

enum {
    OPT_START = CLI_OPT_FIRST_FREE,
    OPT_RETURN,
    OPT_PERIOD,
    OPT_PERIODS,
    OPT_PURCHASE,
    OPT_FROM,
    OPT_TO,
    OPT_FORMAT,
};

static void print_table(const kr_retention_result *r)
{
    printf("%-10s %8s", "cohort", "persons");
    for (unsigned k = 0; k <= r->periods; k++) {
        char h[16];
        snprintf(h, sizeof h, "%c%u", kr_period_name(r->period)[0], k);
        printf(" %6s", h);
    }
    putchar('\n');
    for (size_t i = 0; i < r->cohort_count; i++) {
        const kr_retention_cohort *co = &r->cohorts[i];
        char date[40];
        kr_time_format(date, sizeof date, co->start_ms);
        printf("%-10.10s %8" PRIu64, date, co->size);
        for (unsigned k = 0; k <= r->periods; k++)
            printf(" %5.1f%%", 100 * co->rate[k]);
        putchar('\n');
    }
    printf("\npersons in cohorts: %" PRIu64 "\n", r->persons);
    printf("repeat purchase rate: %.1f%% (%" PRIu64 " of %" PRIu64 " buyers bought again)\n",
           100 * r->repeat_rate, r->repeat_purchasers, r->purchasers);
    if (isnan(r->median_days_between_purchases))
        printf("median days between purchases: -\n");
    else
        printf("median days between purchases: %.1f\n", r->median_days_between_purchases);
}

/* One row per cohort and period. */
static void print_csv(const kr_retention_result *r)
{
    printf("cohort,size,period,returned,rate\n");
    for (size_t i = 0; i < r->cohort_count; i++) {
        const kr_retention_cohort *co = &r->cohorts[i];
        char date[40];
        kr_time_format(date, sizeof date, co->start_ms);
        for (unsigned k = 0; k <= r->periods; k++)
            printf("%.10s,%" PRIu64 ",%u,%" PRIu64 ",%.6f\n", date, co->size, k, co->returned[k],
                   co->rate[k]);
    }
}

int cmd_retention(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"start", required_argument, NULL, OPT_START},
        {"return", required_argument, NULL, OPT_RETURN},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"periods", required_argument, NULL, OPT_PERIODS},
        {"purchase", required_argument, NULL, OPT_PURCHASE},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    const char *from_arg = NULL, *to_arg = NULL;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_retention_result r = {0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_START:
            o.start_event = optarg;
            break;
        case OPT_RETURN:
            o.return_event = optarg;
            break;
        case OPT_PURCHASE:
            o.purchase_event = optarg;
            break;
        case OPT_PERIOD:
            if (kr_period_parse(&o.period, optarg) < 0) {
                exit_code = cli_usage_error("retention", "--period takes day, week or month");
                goto done;
            }
            break;
        case OPT_PERIODS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 0 || n > (long)KR_RETENTION_MAX_PERIODS) {
                exit_code = cli_usage_error("retention", "--periods takes a number from 0 to %u",
                                            KR_RETENTION_MAX_PERIODS);
                goto done;
            }
            o.periods = (unsigned)n;
            break;
        }
        case OPT_FROM:
            from_arg = optarg;
            break;
        case OPT_TO:
            to_arg = optarg;
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("retention", "--format takes table, csv or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("retention", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (!o.start_event || !o.return_event) {
        exit_code =
            cli_usage_error("retention", "name the events with --start EVENT --return EVENT");
        goto done;
    }
    if ((from_arg && (o.has_from = true) &&
         kr_time_parse(&o.from_ms, kr_str_from_cstr(from_arg), rd.read.tz) < 0) ||
        (to_arg && (o.has_to = true) &&
         kr_time_parse(&o.to_ms, kr_str_from_cstr(to_arg), rd.read.tz) < 0)) {
        exit_code = cli_usage_error("retention", "--from and --to take a date or timestamp");
        goto done;
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("retention", "at most one SOURCE");
        goto done;
    }
    if ((exit_code = cli_load_table(&t, optind < argc ? argv[optind] : NULL, &rd)) != 0)
        goto done;
    char err[256];
    int rc = kr_retention_run(&r, t, &o, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "klantreis retention: %s\n", rc == KR_EINVAL ? err : kr_strerror(rc));
        exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
        goto done;
    }
    if (format == CLI_FORMAT_JSON) {
        char *json = kr_retention_to_json(&r, &o, true);
        if (json)
            printf("%s\n", json);
        free(json);
    } else if (format == CLI_FORMAT_CSV) {
        print_csv(&r);
    } else {
        print_table(&r);
    }
done:
    kr_retention_result_finish(&r);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
