/*
 * cmd_funnel.c - klantreis funnel [SOURCE] --steps A,B,C: persons per step, conversion,
 * drop-off and time between steps, with exclusions and a breakdown. A thin client of
 * kr_funnel_run (src/engine/funnel.c) and kr_funnel_to_json.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_model.h"
#include "funnel_model.h"
#include "klantreis/funnel.h"

static const char help[] =
    "usage: klantreis funnel [OPTIONS] [SOURCE] --steps A,B,C\n\n"
    "How many persons go from step to step within a conversion window: per step the persons\n"
    "who reached it, conversion from the previous and the first step, drop-off, and the\n"
    "median, mean and p90 time from the previous step. A person counts once, at the furthest\n"
    "step reached (ClickHouse windowFunnel semantics; see docs/funnels.md). SOURCE is a\n"
    "CSV/JSONL file or a store; without SOURCE, the store (--db).\n\n"
    "options:\n"
    "  --steps LIST          steps, comma-separated: event names, or rules such as\n"
    "                        event=purchase&channel=email (keys: event channel device type,\n"
    "                        and with a model touchpoint and phase); with --model a bare\n"
    "                        touchpoint or phase id is that touchpoint or phase\n"
    "  --window D            conversion window from the first step: 30m, 1h, 7d (default 14d)\n"
    "  --order O             ordered (default), strict (no other event after the first\n"
    "                        step), unordered (distinct steps within one window)\n"
    "  --from DATE           only events at or after DATE count\n"
    "  --to DATE             only events before DATE count\n"
    "  --exclude X[:A-B]     leave out persons whose counted attempt has event (or rule) X\n"
    "                        after its step A and before its step B (default: the whole\n"
    "                        funnel); repeatable; ordered and strict only\n"
    "  --by B                breakdown: channel, device or property B (property:B for one\n"
    "                        named like the others) of the person's first step-1 event, or\n"
    "                        persona (of the model)\n"
    "  --by-attribution A    first (default: earliest step-1 event), last (the furthest\n"
    "                        step's event of the counted attempt) or step:N (its step-N\n"
    "                        event; (none) for persons who did not reach step N)\n" CLI_MODEL_HELP
    "  --people-at N         list the persons who reached step N (CSV: person,level[,B])\n"
    "  --dropped             with --people-at: only those who got no further\n"
    "  --histogram           with the table: the time to convert from step 1 to the last\n"
    "                        step as a histogram (always in JSON)\n"
    "  --timing              print the funnel's time and ns per event on stderr\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid steps or query.\n";

enum {
    OPT_STEPS = CLI_OPT_FIRST_FREE,
    OPT_WINDOW,
    OPT_ORDER,
    OPT_FROM,
    OPT_TO,
    OPT_PEOPLE_AT,
    OPT_DROPPED,
    OPT_FORMAT,
    OPT_EXCLUDE,
    OPT_BY,
    OPT_BY_ATTRIBUTION,
    OPT_TIMING,
    OPT_HISTOGRAM,
    OPT_MODEL,
    OPT_TEMPLATE,
    OPT_LANG,
};

/* Splits a comma-separated list in place; returns the count, or -1 when there are too many. */
static int split_steps(char *list, const char **steps, int max)
{
    int n = 0;
    for (char *p = list; p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (n == max)
            return -1;
        steps[n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

static void format_duration(char *buf, size_t len, double ms)
{
    if (ms < 60e3)
        snprintf(buf, len, "%.0fs", ms / 1e3);
    else if (ms < 3600e3)
        snprintf(buf, len, "%.1fm", ms / 60e3);
    else if (ms < 86400e3)
        snprintf(buf, len, "%.1fh", ms / 3600e3);
    else
        snprintf(buf, len, "%.1fd", ms / 86400e3);
}

static void print_steps_table(const kr_funnel_group *g, size_t n, bool times)
{
    printf("%-28s %10s %9s %9s %10s %9s %9s\n", "step", "persons", "of prev", "of first", "dropped",
           "median", "p90");
    for (size_t k = 0; k < n; k++) {
        const kr_funnel_step *s = &g->steps[k];
        char med[32] = "-", p90[32] = "-";
        if (times && k && s->persons) {
            format_duration(med, sizeof med, (double)s->median_ms);
            format_duration(p90, sizeof p90, (double)s->p90_ms);
        }
        printf("%-28.28s %10" PRIu64 " %8.1f%% %8.1f%% %10" PRIu64 " %9s %9s\n", s->name,
               s->persons, 100 * s->conversion_from_previous, 100 * s->conversion_from_first,
               s->dropped, med, p90);
    }
    if (g->excluded)
        printf("excluded: %" PRIu64 " persons\n", g->excluded);
}

static void print_histogram(const kr_funnel_group *g, size_t n)
{
    uint64_t total = 0, most = 0;
    for (size_t b = 0; b < KR_FUNNEL_BINS; b++) {
        total += g->bins[b].persons;
        most = g->bins[b].persons > most ? g->bins[b].persons : most;
    }
    if (!total || n < 2)
        return;
    char med[32], mean[32];
    format_duration(med, sizeof med, (double)g->median_convert_ms);
    format_duration(mean, sizeof mean, g->mean_convert_ms);
    printf("\ntime to convert (step 1 to %zu): median %s, mean %s\n", n, med, mean);
    size_t lo_bin = 0, hi_bin = KR_FUNNEL_BINS;
    while (!g->bins[lo_bin].persons)
        lo_bin++;
    while (!g->bins[hi_bin - 1].persons)
        hi_bin--;
    for (size_t b = lo_bin; b < hi_bin; b++) {
        const kr_funnel_bin *bin = &g->bins[b];
        char lo[32], hi[32] = "";
        format_duration(lo, sizeof lo, (double)bin->lo_ms);
        if (bin->hi_ms != INT64_MAX)
            format_duration(hi, sizeof hi, (double)bin->hi_ms);
        int bar = (int)(40 * bin->persons / most);
        printf("  %6s - %-6s %10" PRIu64 " %.*s\n", lo, hi, bin->persons, bar,
               "########################################");
    }
}

static void print_table(const kr_funnel_result *r, const kr_funnel_options *o, const char *by,
                        bool histogram)
{
    bool times = o->order != KR_FUNNEL_UNORDERED;
    print_steps_table(&r->total, r->step_count, times);
    if (times && histogram)
        print_histogram(&r->total, r->step_count);
    for (size_t i = 0; i < r->group_count; i++) {
        const kr_funnel_group *g = &r->groups[i];
        printf("\n%s = %.*s\n", by, (int)g->value.len, g->value.len ? g->value.ptr : "(none)");
        print_steps_table(g, r->step_count, times);
    }
}

static void print_csv_group(const kr_funnel_group *g, size_t n, bool with_value)
{
    for (size_t k = 0; k < n; k++) {
        const kr_funnel_step *s = &g->steps[k];
        if (with_value) {
            cli_csv_field(stdout, g->value);
            putchar(',');
        }
        cli_csv_field(stdout, kr_str_from_cstr(s->name));
        printf(",%" PRIu64 ",%.6f,%.6f,%" PRIu64 ",%" PRId64 ",%.1f,%" PRId64 "\n", s->persons,
               s->conversion_from_previous, s->conversion_from_first, s->dropped, s->median_ms,
               s->mean_ms, s->p90_ms);
    }
}

/* Without a breakdown one row per step; with one, a first column with the value and the rows
   of every value (the total is the sum of the values plus the excluded). */
static void print_csv(const kr_funnel_result *r, const char *by)
{
    if (by)
        printf("%s,", by);
    printf("step,persons,conversion_from_previous,conversion_from_first,dropped,"
           "median_ms_from_previous,mean_ms_from_previous,p90_ms_from_previous\n");
    if (!by) {
        print_csv_group(&r->total, r->step_count, false);
        return;
    }
    for (size_t i = 0; i < r->group_count; i++)
        print_csv_group(&r->groups[i], r->step_count, true);
}

static int parse_date(const char *arg, int64_t *out, const cli_read *rd)
{
    return kr_time_parse(out, kr_str_from_cstr(arg), rd->read.tz);
}

int cmd_funnel(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"steps", required_argument, NULL, OPT_STEPS},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"order", required_argument, NULL, OPT_ORDER},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"people-at", required_argument, NULL, OPT_PEOPLE_AT},
        {"dropped", no_argument, NULL, OPT_DROPPED},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"by", required_argument, NULL, OPT_BY},
        {"by-attribution", required_argument, NULL, OPT_BY_ATTRIBUTION},
        {"timing", no_argument, NULL, OPT_TIMING},
        {"histogram", no_argument, NULL, OPT_HISTOGRAM},
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    const char *steps[KR_FUNNEL_MAX_STEPS];
    char *steps_arg = NULL;
    const char *from_arg = NULL, *to_arg = NULL;
    long people_at = 0;
    bool dropped = false, timing = false, histogram = false;
    kr_funnel_exclusion exclusions[KR_FUNNEL_MAX_EXCLUSIONS];
    const char *by = NULL, *by_property = NULL;
    cli_model_args ma = {NULL, NULL, NULL};
    bool by_persona = false;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_model *m = NULL;
    kr_model_match *mm = NULL;
    funnel_model fm = {0};
    kr_funnel_result r = {0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_STEPS:
            free(steps_arg);
            steps_arg = strdup(optarg);
            break;
        case OPT_WINDOW:
            if (kr_duration_parse(&o.window_ms, kr_str_from_cstr(optarg)) < 0 || o.window_ms <= 0) {
                exit_code = cli_usage_error("funnel", "--window takes a duration: 30m, 1h, 7d");
                goto done;
            }
            break;
        case OPT_ORDER:
            if (kr_funnel_order_parse(&o.order, optarg) < 0) {
                exit_code = cli_usage_error("funnel", "--order takes ordered, strict or unordered");
                goto done;
            }
            break;
        case OPT_EXCLUDE:
            if (o.exclusion_count == KR_FUNNEL_MAX_EXCLUSIONS) {
                exit_code =
                    cli_usage_error("funnel", "at most %d exclusions", KR_FUNNEL_MAX_EXCLUSIONS);
                goto done;
            }
            /* optarg points into argv, which lives as long as the command */
            if (kr_funnel_exclusion_parse(&exclusions[o.exclusion_count], optarg) < 0) {
                exit_code = cli_usage_error("funnel", "--exclude takes X or X:A-B (1 <= A < B)");
                goto done;
            }
            o.exclusion_count++;
            o.exclusions = exclusions;
            break;
        case OPT_BY:
            by = optarg;
            by_persona = false;
            by_property = NULL;
            if (strcmp(optarg, "channel") == 0) {
                o.by = KR_FUNNEL_BY_CHANNEL;
            } else if (strcmp(optarg, "device") == 0) {
                o.by = KR_FUNNEL_BY_DEVICE;
            } else if (strcmp(optarg, "persona") == 0) {
                by_persona = true; /* o.by is set when the model is bound */
            } else {
                by_property = strncmp(optarg, "property:", 9) == 0 ? optarg + 9 : optarg;
                if (!*by_property) {
                    exit_code = cli_usage_error("funnel", "--by property: needs a name");
                    goto done;
                }
                by = by_property;
                o.by = KR_FUNNEL_BY_PROPERTY;
                o.by_property = kr_str_from_cstr(by_property);
            }
            break;
        case OPT_MODEL:
            ma.path = optarg;
            break;
        case OPT_TEMPLATE:
            ma.template_name = optarg;
            break;
        case OPT_LANG:
            ma.lang = optarg;
            break;
        case OPT_BY_ATTRIBUTION:
            if (strcmp(optarg, "first") == 0) {
                o.by_attribution = KR_FUNNEL_ATTR_FIRST;
            } else if (strcmp(optarg, "last") == 0) {
                o.by_attribution = KR_FUNNEL_ATTR_LAST;
            } else {
                char *end = NULL;
                long step = strncmp(optarg, "step:", 5) == 0 ? strtol(optarg + 5, &end, 10) : 0;
                if (!end || *end || end == optarg + 5 || step < 1 || step > KR_FUNNEL_MAX_STEPS) {
                    exit_code =
                        cli_usage_error("funnel", "--by-attribution takes first, last or step:N");
                    goto done;
                }
                o.by_attribution = KR_FUNNEL_ATTR_STEP;
                o.by_step = (unsigned)step;
            }
            break;
        case OPT_TIMING:
            timing = true;
            break;
        case OPT_HISTOGRAM:
            histogram = true;
            break;
        case OPT_FROM:
            from_arg = optarg;
            break;
        case OPT_TO:
            to_arg = optarg;
            break;
        case OPT_PEOPLE_AT: {
            char *end;
            people_at = strtol(optarg, &end, 10);
            if (*end || people_at < 1 || people_at > KR_FUNNEL_MAX_STEPS) {
                exit_code = cli_usage_error("funnel", "--people-at takes a step number from 1");
                goto done;
            }
            break;
        }
        case OPT_DROPPED:
            dropped = true;
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("funnel", "--format takes table, csv or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("funnel", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (!steps_arg) {
        exit_code = cli_usage_error("funnel", "name the steps with --steps A,B,C");
        goto done;
    }
    int n = split_steps(steps_arg, steps, KR_FUNNEL_MAX_STEPS);
    if (n < 0) {
        exit_code = cli_usage_error("funnel", "at most %d steps", KR_FUNNEL_MAX_STEPS);
        goto done;
    }
    o.steps = steps;
    o.step_count = (size_t)n;
    const char *labels[KR_FUNNEL_MAX_STEPS];
    memcpy(labels, steps, (size_t)n * sizeof *labels);
    o.labels = labels; /* --model rewrites steps; results keep the names given */
    if (people_at > n) {
        exit_code =
            cli_usage_error("funnel", "--people-at %ld: the funnel has %d steps", people_at, n);
        goto done;
    }
    if (dropped && !people_at) {
        exit_code = cli_usage_error("funnel", "--dropped goes with --people-at N");
        goto done;
    }
    if ((from_arg && (o.has_from = true) && parse_date(from_arg, &o.from_ms, &rd) < 0) ||
        (to_arg && (o.has_to = true) && parse_date(to_arg, &o.to_ms, &rd) < 0)) {
        exit_code = cli_usage_error("funnel", "--from and --to take a date or timestamp");
        goto done;
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("funnel", "at most one SOURCE");
        goto done;
    }
    char err[256];
    const char *source = optind < argc ? argv[optind] : NULL;
    /* The model first: the table keeps the property keys its rules name. */
    if ((exit_code = cli_load_source(&m, &t, "funnel", ma.path || ma.template_name || by_persona,
                                     &ma, by_property, source, &rd)) != 0)
        goto done;
    if (m) {
        int rc = kr_model_match_new(&mm, m, t);
        if (rc == KR_OK)
            rc = funnel_model_bind(&fm, m, mm, t, by_persona, &o);
        for (size_t k = 0; rc == KR_OK && k < o.step_count; k++)
            rc = funnel_model_rewrite(&fm, m, steps[k], &steps[k], err, sizeof err);
        for (size_t k = 0; rc == KR_OK && k < o.exclusion_count; k++)
            rc = funnel_model_rewrite(&fm, m, exclusions[k].event, &exclusions[k].event, err,
                                      sizeof err);
        if (rc < 0) {
            fprintf(stderr, "klantreis funnel: %s\n", rc == KR_EINVAL ? err : "out of memory");
            exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
            goto done;
        }
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = kr_funnel_run(&r, t, &o, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (timing && rc == KR_OK) {
        double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
        fprintf(stderr,
                "klantreis funnel: %" PRIu64 " events, %" PRIu32 " persons in %.1f ms: %.2f "
                "ns/event\n",
                r.events_scanned, r.person_count, ns / 1e6,
                r.events_scanned ? ns / (double)r.events_scanned : 0.0);
    }
    if (rc < 0) {
        fprintf(stderr, "klantreis funnel: %s\n", err);
        exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
        goto done;
    }
    if (people_at) {
        kr_table_columns c;
        kr_table_get_columns(t, &c);
        printf(by ? "person,level,%s\n" : "person,level\n", by);
        for (uint32_t p = 0; p < r.person_count; p++) {
            unsigned l = r.level[p];
            bool at = l != KR_FUNNEL_EXCLUDED && (dropped ? l == people_at : l >= people_at);
            if (!at)
                continue;
            cli_csv_field(stdout, kr_table_dict_get(t, KR_DICT_ID, c.person_id[p]));
            printf(",%u", l);
            if (by) {
                putchar(',');
                cli_csv_field(stdout, r.groups[r.group[p]].value);
            }
            putchar('\n');
        }
    } else if (format == CLI_FORMAT_JSON) {
        char *json = kr_funnel_to_json(&r, &o, true);
        if (json)
            printf("%s\n", json);
        free(json);
    } else if (format == CLI_FORMAT_CSV) {
        print_csv(&r, by);
    } else {
        print_table(&r, &o, by, histogram);
    }
done:
    kr_funnel_result_finish(&r);
    funnel_model_finish(&fm);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
    free(steps_arg);
    cli_read_finish(&rd);
    return exit_code;
}
