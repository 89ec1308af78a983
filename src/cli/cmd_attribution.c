/*
 * cmd_attribution.c - klantreis attribution [SOURCE] --conversion EVENT: conversions and
 * revenue credited per channel (or touchpoint of the journey model) under first touch, last
 * touch, linear, time decay, position based and Markov removal effect, side by side. A thin
 * client of kr_attribution_run (src/engine/attribution.c) and kr_attribution_to_json.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_groups.h"
#include "cli_model.h"

static const char help[] =
    "usage: klantreis attribution [OPTIONS] [SOURCE] --conversion EVENT\n\n"
    "Which channels bring conversions: each conversion event is credited to the person's\n"
    "touches (events with a channel, or with a touchpoint of the journey model) since their\n"
    "previous conversion and within the lookback, under six models side by side: first\n"
    "touch, last touch, linear, time decay, position based (40/20/40) and markov (data-driven:\n"
    "removal effect in an order-1 Markov chain). Conversions without a touch are shown as\n"
    "(no touch). Revenue is the conversion events' value. SOURCE is a CSV/JSONL file or a\n"
    "store; without SOURCE, the store (--db). Definitions: docs/attribution.md.\n\n"
    "options:\n"
    "  --conversion EVENT    the conversion's event name (required)\n"
    "  --touch T             channel (default) or touchpoint (of the journey model)\n"
    "  --method M            show one attribution model: first_touch, last_touch, linear,\n"
    "                        time_decay, position_based, markov (default: all)\n"
    "  --lookback D          touches at most D before the conversion count (default 30d)\n"
    "  --half-life D         time decay: a touch D older gets half the weight (default 7d)\n"
    "  --as-of DATE          leave out events after DATE (default: the last event)\n"
    "  --model FILE          the journey model for --touch touchpoint (default\n"
    "                        ./journey.yaml, else the five-phases template)\n"
    "  --template NAME       a built-in journey model: five-phases, touch-tell-sell-care, b2b\n"
    "  --lang L              nl or en: the language of a --template\n" CLI_GROUPS_HELP
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid model or query.\n";

enum {
    OPT_CONVERSION = CLI_OPT_FIRST_FREE,
    OPT_TOUCH,
    OPT_MODEL,
    OPT_LOOKBACK,
    OPT_HALF_LIFE,
    OPT_AS_OF,
    OPT_JOURNEY,
    OPT_TEMPLATE,
    OPT_LANG,
    OPT_FORMAT,
    OPT_PER,
    OPT_BY,
};

static const char *short_name(int m)
{
    static const char *const names[KR_ATTR_MODEL_COUNT] = {"first", "last",     "linear",
                                                           "decay", "position", "markov"};
    return names[m];
}

static void print_num(double x)
{
    if (isnan(x))
        printf(" %11s", "-");
    else
        printf(" %11.2f", x);
}

static void print_table(const kr_attribution_result *r, const kr_attribution_options *o,
                        bool only_one, kr_attribution_model only)
{
    char money[32];
    printf("conversion %s: %" PRIu64 " conversions by %" PRIu64 " of %" PRIu64 " persons, %" PRIu64
           " with a touch; revenue %s\n",
           o->conversion, r->conversions, r->converted_persons, r->persons, r->touched_conversions,
           cli_money(money, sizeof money, r->revenue_cents));
    if (r->markov_ok)
        printf("markov: %zu states, P(conversion) %.4f, %" PRIu64 " converting and %" PRIu64
               " null paths\n",
               r->markov_states, r->p_conversion, r->paths_converting, r->paths_null);
    else
        printf("markov: left out (%zu channels, at most %d)\n", r->markov_states,
               KR_ATTR_MARKOV_MAX_STATES);
    for (int block = 0; block < 2; block++) {
        printf("\n%-24s", block                           ? "revenue"
                          : o->touch == KR_ATTR_TOUCH_TAG ? "touchpoint"
                                                          : "channel");
        if (!block)
            printf(" %8s %8s", "touches", "removal");
        for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++)
            if (!only_one || m == (int)only)
                printf(" %11s", short_name(m));
        putchar('\n');
        for (size_t i = 0; i < r->row_count; i++) {
            const kr_attribution_row *row = &r->rows[i];
            printf("%-24.*s", (int)(row->key.len > 24 ? 24 : row->key.len), row->key.ptr);
            if (!block) {
                printf(" %8" PRIu64, row->touches);
                if (row->no_touch)
                    printf(" %8s", "-");
                else
                    printf(" %7.1f%%", 100 * row->removal_effect);
            }
            for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++)
                if (!only_one || m == (int)only)
                    print_num(block ? row->revenue_cents[m] / 100 : row->conversions[m]);
            putchar('\n');
        }
    }
}

static void print_csv(const kr_attribution_result *r, const kr_attribution_options *o,
                      bool only_one, kr_attribution_model only)
{
    printf("%s,touches,removal_effect", o->touch == KR_ATTR_TOUCH_TAG ? "touchpoint" : "channel");
    for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++)
        if (!only_one || m == (int)only)
            printf(",%s_conversions,%s_revenue", kr_attribution_model_name(m),
                   kr_attribution_model_name(m));
    putchar('\n');
    for (size_t i = 0; i < r->row_count; i++) {
        const kr_attribution_row *row = &r->rows[i];
        cli_csv_field(stdout, row->key);
        printf(",%" PRIu64 ",", row->touches);
        if (!row->no_touch)
            printf("%.6f", row->removal_effect);
        for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++) {
            if (only_one && m != (int)only)
                continue;
            if (isnan(row->conversions[m]))
                printf(",,");
            else
                printf(",%.6f,%.2f", row->conversions[m], row->revenue_cents[m] / 100);
        }
        putchar('\n');
    }
}

/* What one run of the analysis needs besides the table. */
typedef struct attribution_job {
    kr_attribution_options o;
    const kr_model *m; /* --touch touchpoint: the journey model, matched on each table */
    cli_format format;
    bool only_one;
    kr_attribution_model only;
} attribution_job;

/* Matches the model's touchpoints on t (touchpoint mode), runs the analysis and prints it. */
static int analyse(const kr_table *t, void *payload)
{
    const attribution_job *job = payload;
    kr_attribution_options o = job->o;
    kr_model_match *mm = NULL;
    kr_str *names = NULL;
    kr_attribution_result r = {0};
    int exit_code = KR_EXIT_OK;
    if (job->m) {
        const kr_model_info *info = kr_model_get(job->m);
        names = calloc(info->touchpoint_count ? info->touchpoint_count : 1, sizeof *names);
        if (!names || kr_model_match_new(&mm, job->m, t) < 0) {
            fprintf(stderr, "klantreis attribution: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        for (size_t i = 0; i < info->touchpoint_count; i++)
            names[i] = info->touchpoints[i].id;
        o.tags = kr_model_match_events(mm);
        o.tag_names = names;
        o.tag_count = info->touchpoint_count;
    }
    char err[256];
    int rc = kr_attribution_run(&r, t, &o, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "klantreis attribution: %s\n", rc == KR_EINVAL ? err : "out of memory");
        exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
        goto done;
    }
    if (r.conversions == 0)
        fprintf(stderr, "klantreis attribution: no '%s' events (up to --as-of)\n", o.conversion);
    if (job->format == CLI_FORMAT_JSON) {
        char *json = kr_attribution_to_json(&r, &o, job->only_one, job->only, true);
        if (!json) {
            fprintf(stderr, "klantreis attribution: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        printf("%s\n", json);
        free(json);
    } else if (job->format == CLI_FORMAT_CSV) {
        print_csv(&r, &o, job->only_one, job->only);
    } else {
        print_table(&r, &o, job->only_one, job->only);
    }
done:
    kr_attribution_finish(&r);
    kr_model_match_free(mm);
    free(names);
    return exit_code;
}

int cmd_attribution(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"conversion", required_argument, NULL, OPT_CONVERSION},
        {"touch", required_argument, NULL, OPT_TOUCH},
        {"method", required_argument, NULL, OPT_MODEL},
        {"lookback", required_argument, NULL, OPT_LOOKBACK},
        {"half-life", required_argument, NULL, OPT_HALF_LIFE},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"model", required_argument, NULL, OPT_JOURNEY},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"per", required_argument, NULL, OPT_PER},
        {"by", required_argument, NULL, OPT_BY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
    kr_attribution_model only = KR_ATTR_FIRST;
    bool only_one = false;
    cli_model_args ma = {NULL, NULL, NULL};
    const char *as_of = NULL;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_model *m = NULL;
    cli_groups groups = CLI_GROUPS_INIT;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_CONVERSION:
            o.conversion = optarg;
            break;
        case OPT_TOUCH:
            if (strcmp(optarg, "channel") == 0) {
                o.touch = KR_ATTR_TOUCH_CHANNEL;
            } else if (strcmp(optarg, "touchpoint") == 0) {
                o.touch = KR_ATTR_TOUCH_TAG;
            } else {
                exit_code = cli_usage_error("attribution", "--touch takes channel or touchpoint");
                goto done;
            }
            break;
        case OPT_MODEL:
            if (strcmp(optarg, "all") == 0) {
                only_one = false;
            } else if (kr_attribution_model_parse(&only, optarg) < 0) {
                exit_code = cli_usage_error(
                    "attribution", "--method takes first_touch, last_touch, linear, time_decay, "
                                   "position_based, markov or all");
                goto done;
            } else {
                only_one = true;
            }
            break;
        case OPT_LOOKBACK:
        case OPT_HALF_LIFE: {
            int64_t *dst = opt == OPT_LOOKBACK ? &o.lookback_ms : &o.half_life_ms;
            if (kr_duration_parse(dst, kr_str_from_cstr(optarg)) < 0 || *dst <= 0) {
                exit_code = cli_usage_error("attribution", "--%s takes a duration: 12h, 7d, 30d",
                                            opt == OPT_LOOKBACK ? "lookback" : "half-life");
                goto done;
            }
            break;
        }
        case OPT_AS_OF:
            as_of = optarg;
            break;
        case OPT_JOURNEY:
            ma.path = optarg;
            break;
        case OPT_TEMPLATE:
            ma.template_name = optarg;
            break;
        case OPT_LANG:
            ma.lang = optarg;
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("attribution", "--format takes table, csv or json");
                goto done;
            }
            break;
        case OPT_PER:
            if ((exit_code = cli_groups_per(&groups, "attribution", optarg)) != 0)
                goto done;
            break;
        case OPT_BY:
            if ((exit_code = cli_groups_by(&groups, "attribution", optarg)) != 0)
                goto done;
            break;
        case '?':
            exit_code = cli_usage_error("attribution", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (!o.conversion) {
        exit_code = cli_usage_error("attribution", "name the conversion with --conversion EVENT");
        goto done;
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("attribution", "at most one SOURCE");
        goto done;
    }
    if (as_of) {
        o.has_as_of = true;
        if (cli_parse_as_of(as_of, &o.as_of_ms, &rd) < 0) {
            exit_code = cli_usage_error("attribution", "--as-of takes a date or timestamp");
            goto done;
        }
    }
    const char *source = optind < argc ? argv[optind] : NULL;
    if ((exit_code = cli_load_source(&m, &t, "attribution",
                                     o.touch == KR_ATTR_TOUCH_TAG || groups.by_persona, &ma, NULL,
                                     source, &rd)) != 0)
        goto done;
    attribution_job job = {o, o.touch == KR_ATTR_TOUCH_TAG ? m : NULL, format, only_one, only};
    exit_code = cli_groups_run(&groups, "attribution", &t, m, format, analyse, &job);
done:
    kr_model_free(m);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
