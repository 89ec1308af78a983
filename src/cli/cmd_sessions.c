/*
 * cmd_sessions.c - klantreis sessions [SOURCE] [--session-gap 30m]: sessions, sessions per
 * person, duration and events per session, and sessions by device. A thin client of
 * kr_sessions_run (src/engine/sessions.c) and kr_sessions_to_json.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_model.h"
#include "klantreis/sessions.h"

static const char help[] =
    "usage: klantreis sessions [OPTIONS] [SOURCE]\n\n"
    "A person's events split into sessions where the gap between two consecutive events is\n"
    "more than --session-gap: the number of sessions and persons, sessions per person (mean,\n"
    "median), session duration (median, mean, p90; from the first to the last event, so a\n"
    "session of one event lasts 0), events per session (mean, median), and the sessions by\n"
    "the device of their first event. Medians and p90 are nearest-rank. See docs/paths.md.\n"
    "SOURCE is a CSV/JSONL file or a store; without SOURCE, the store (--db).\n\n"
    "options:\n"
    "  --session-gap D       a gap of more than D starts a new session (default 30m)\n"
    "  --timing              print the analysis' time and ns per event on stderr\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error.\n";

enum { OPT_GAP = CLI_OPT_FIRST_FREE, OPT_FORMAT, OPT_TIMING };

/* "klantreis CMD: N events in X ms: Y ns/event" on stderr. */
static void timing_line(const char *cmd, const struct timespec *t0, const struct timespec *t1,
                        uint64_t events)
{
    double ns = (double)(t1->tv_sec - t0->tv_sec) * 1e9 + (double)(t1->tv_nsec - t0->tv_nsec);
    fprintf(stderr, "klantreis %s: %" PRIu64 " events in %.1f ms: %.2f ns/event\n", cmd, events,
            ns / 1e6, events ? ns / (double)events : 0.0);
}

static void print_table(const kr_sessions_result *r)
{
    char a[32], b[32], c[32], gap[32];
    cli_duration(gap, sizeof gap, r->gap_ms);
    printf("sessions             %" PRIu64 " (gap > %s)\n", r->sessions, gap);
    printf("persons              %" PRIu64 "\n", r->persons);
    printf("sessions per person  mean %.2f, median %" PRIu64 "\n", r->sessions_per_person_mean,
           r->sessions_per_person_median);
    cli_duration(a, sizeof a, r->duration_median_ms);
    cli_duration(b, sizeof b, (int64_t)r->duration_mean_ms);
    cli_duration(c, sizeof c, r->duration_p90_ms);
    printf("duration             median %s, mean %s, p90 %s\n", a, b, c);
    printf("events per session   mean %.2f, median %" PRIu64 "\n", r->events_per_session_mean,
           r->events_per_session_median);
    printf("\n%-20s %10s %7s %14s %11s\n", "device", "sessions", "share", "mean duration",
           "mean events");
    for (size_t i = 0; i < r->device_count; i++) {
        const kr_sessions_device *d = &r->devices[i];
        cli_duration(a, sizeof a, (int64_t)d->mean_duration_ms);
        printf("%-20.*s %10" PRIu64 " %6.1f%% %14s %11.2f\n",
               d->device.len ? (int)d->device.len : 6, d->device.len ? d->device.ptr : "(none)",
               d->sessions, 100.0 * d->share, a, d->mean_events);
    }
}

/* One row per device, then a row "(all)" with the totals. */
static void print_csv(const kr_sessions_result *r)
{
    printf("device,sessions,share,mean_duration_ms,mean_events\n");
    for (size_t i = 0; i < r->device_count; i++) {
        const kr_sessions_device *d = &r->devices[i];
        cli_csv_field(stdout, d->device);
        printf(",%" PRIu64 ",%.6f,%.1f,%.4f\n", d->sessions, d->share, d->mean_duration_ms,
               d->mean_events);
    }
    printf("(all),%" PRIu64 ",%.6f,%.1f,%.4f\n", r->sessions, r->sessions ? 1.0 : 0.0,
           r->duration_mean_ms, r->events_per_session_mean);
}

int cmd_sessions(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"session-gap", required_argument, NULL, OPT_GAP},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"timing", no_argument, NULL, OPT_TIMING},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_sessions_options o = KR_SESSIONS_OPTIONS_INIT;
    int exit_code = KR_EXIT_OK, opt;
    bool timing = false;
    kr_table *t = NULL;
    kr_sessions_result r = {0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_GAP:
            if (kr_duration_parse(&o.gap_ms, kr_str_from_cstr(optarg)) < 0 || o.gap_ms < 0) {
                exit_code = cli_usage_error("sessions", "--session-gap takes a duration: 30m, 1h");
                goto done;
            }
            break;
        case OPT_TIMING:
            timing = true;
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("sessions", "--format takes table, csv or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("sessions", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("sessions", "at most one SOURCE");
        goto done;
    }
    if ((exit_code = cli_load_table(&t, optind < argc ? argv[optind] : NULL, &rd)) != 0)
        goto done;
    char *json = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = kr_sessions_run(&r, t, &o);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (timing && rc == KR_OK)
        timing_line("sessions", &t0, &t1, r.events);
    if (rc < 0 || (format == CLI_FORMAT_JSON && !(json = kr_sessions_to_json(&r, true)))) {
        fprintf(stderr, "klantreis sessions: out of memory\n");
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    if (json) {
        printf("%s\n", json);
        free(json);
    } else if (format == CLI_FORMAT_CSV) {
        print_csv(&r);
    } else {
        print_table(&r);
    }
done:
    kr_sessions_result_finish(&r);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
