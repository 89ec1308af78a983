/*
 * cmd_value.c - klantreis value rfm|pyramid|pareto [SOURCE]: customer value at a reference
 * date, per person or per account. A thin client of src/engine/value_*.c and
 * src/render/value_json.c; the rules are in docs/value.md.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_groups.h"
#include "cli_model.h"
#include "klantreis/value.h"

static const char help[] =
    "usage: klantreis value rfm|pyramid|pareto [OPTIONS] [SOURCE]\n\n"
    "Customer value at a reference date (as-of), per person or per account (docs/value.md):\n"
    "  pareto    the share of revenue from the top 1, 5, 10, 20, 50 % of the customers and\n"
    "            the smallest share of customers that brings 80 % (customers: revenue > 0 in\n"
    "            the period, ranked by revenue; the top p % are the first ceil(n*p/100))\n"
    "  rfm       recency (days since the last purchase), frequency (purchases) and monetary\n"
    "            value (revenue) up to as-of, each scored 1-5 by rank over the customers (equal\n"
    "            values, equal scores), and the segments Champions .. Lost from R and\n"
    "            FM = (F + M + 1) / 2\n"
    "  pyramid   the customer pyramid (Curry): customers with a purchase in the period ranked\n"
    "            by revenue into top (1 %), large (4 %), medium (15 %) and small (the rest);\n"
    "            inactive (bought before the period), prospects (engaged, never bought),\n"
    "            suspects (known, not engaged); limits ceil(n * %), ties to the better tier\n"
    "\nSOURCE is a CSV/JSONL file or a store; without SOURCE, the store (--db).\n\n"
    "options:\n"
    "  --as-of DATE          reference date: events after it are ignored; a plain date\n"
    "                        (YYYY-MM-DD, YYYYMMDD) means the end of that day (default:\n"
    "                        the last event)\n"
    "  --per P               person (default) or account (the sum over its persons;\n"
    "                        persons without an account take no part)\n"
    "  --purchase EVENT      the event that is a purchase (default purchase); revenue is\n"
    "                        its value\n"
    "  --tiers A,B,C         pyramid: the percentages of top, large, medium (default\n"
    "                        1,4,15; small is the rest)\n"
    "  --compare-to DATE     pyramid: also the pyramid at DATE (same period length) and\n"
    "                        the moves from then to now (a from x to table)\n"
    "  --period D            pareto and pyramid: the period (as-of - D, as-of], e.g.\n"
    "                        365d (default), 90d, or all\n"
    "  --list                one line per customer, CSV (in JSON \"list\"): rfm: customer,\n"
    "                        recency_days, frequency, monetary_cents, r, f, m, segment;\n"
    "                        pyramid: customer, tier, rank, revenue_cents; with\n"
    "                        --compare-to only who moved up or down, with before,\n"
    "                        before_revenue_cents, direction\n"
    "  --by persona          one result per persona of the journey model (--model FILE,\n"
    "                        --template NAME, else ./journey.yaml or five-phases)\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid query.\n";

enum {
    OPT_AS_OF = CLI_OPT_FIRST_FREE,
    OPT_PER,
    OPT_PURCHASE,
    OPT_PERIOD,
    OPT_FORMAT,
    OPT_LIST,
    OPT_TIERS,
    OPT_COMPARE_TO,
    OPT_BY,
    OPT_MODEL,
    OPT_TEMPLATE,
    OPT_LANG,
};

typedef enum { ANALYSIS_PARETO, ANALYSIS_RFM, ANALYSIS_PYRAMID } analysis;

/* A date (YYYY-MM-DD, or YYYYMMDD as kr_time_parse reads it) means the end of that day;
   anything else is an instant. */
static void print_time(const char *label, int64_t ms)
{
    char buf[40];
    kr_time_format(buf, sizeof buf, ms);
    printf("%s%s", label, buf);
}

static void print_period(int64_t as_of, int64_t from)
{
    print_time("as of ", as_of);
    if (from == INT64_MIN) {
        printf(", all history\n");
    } else {
        print_time(", period from (exclusive) ", from);
        printf("\n");
    }
}

static void print_pareto(const kr_value_pareto *r, cli_format format)
{
    char money[32];
    if (format == CLI_FORMAT_CSV) {
        printf("key,value\ncustomers,%" PRIu32 "\nrevenue_cents,%" PRId64 "\n", r->customers,
               r->revenue_cents);
        for (int k = 0; k < KR_PARETO_POINTS; k++)
            printf("share_top_%u,%.6f\n", r->curve[k].percent, r->curve[k].share);
        printf("customers_for_80,%.6f\ncustomers_for_80_count,%" PRIu32 "\n", r->customers_for_80,
               r->customers_for_80_count);
        return;
    }
    print_period(r->as_of_ms, r->from_ms);
    printf("customers with revenue: %" PRIu32 ", revenue %s\n\n", r->customers,
           cli_money(money, sizeof money, r->revenue_cents));
    printf("%-10s %10s %14s %9s\n", "top", "customers", "revenue", "share");
    for (int k = 0; k < KR_PARETO_POINTS; k++) {
        const kr_pareto_point *p = &r->curve[k];
        printf("%3u%%       %10" PRIu32 " %14s %8.1f%%\n", p->percent, p->customers,
               cli_money(money, sizeof money, p->revenue_cents), 100 * p->share);
    }
    printf("\n80%% of the revenue comes from %.1f%% of the customers (%" PRIu32 ")\n",
           100 * r->customers_for_80, r->customers_for_80_count);
}

static void print_rfm(const kr_value_rfm *r, const kr_table *t, const kr_value_options *o,
                      cli_format format, bool list)
{
    char money[32];
    if (list) {
        printf("customer,recency_days,frequency,monetary_cents,r,f,m,segment\n");
        for (uint32_t i = 0; i < r->count; i++) {
            const kr_rfm_customer *c = &r->customers[i];
            cli_csv_field(stdout, kr_value_unit_name(t, o->per, c->unit));
            printf(",%" PRId64 ",%" PRIu32 ",%" PRId64 ",%u,%u,%u,%s\n", c->recency_days,
                   c->frequency, c->monetary_cents, c->r, c->f, c->m,
                   kr_rfm_segment_name(c->segment));
        }
        return;
    }
    if (format == CLI_FORMAT_CSV) {
        printf("segment,customers,share,revenue_cents,revenue_share\n");
        for (int s = 0; s < KR_RFM_SEGMENTS; s++) {
            const kr_rfm_total *x = &r->segments[s];
            printf("%s,%" PRIu32 ",%.6f,%" PRId64 ",%.6f\n", kr_rfm_segment_name((kr_rfm_segment)s),
                   x->customers, r->count ? (double)x->customers / r->count : 0.0, x->revenue_cents,
                   r->revenue_cents ? (double)x->revenue_cents / (double)r->revenue_cents : 0.0);
        }
        return;
    }
    print_time("as of ", r->as_of_ms);
    printf(", all history\ncustomers: %" PRIu32 ", revenue %s\n\n", r->count,
           cli_money(money, sizeof money, r->revenue_cents));
    printf("%-20s %10s %7s %14s %7s\n", "segment", "customers", "share", "revenue", "share");
    for (int s = 0; s < KR_RFM_SEGMENTS; s++) {
        const kr_rfm_total *x = &r->segments[s];
        printf("%-20s %10" PRIu32 " %6.1f%% %14s %6.1f%%\n", kr_rfm_segment_name((kr_rfm_segment)s),
               x->customers, r->count ? 100.0 * x->customers / r->count : 0.0,
               cli_money(money, sizeof money, x->revenue_cents),
               r->revenue_cents ? 100.0 * (double)x->revenue_cents / (double)r->revenue_cents
                                : 0.0);
    }
}

/* "1,4,15" (decimals allowed): three percentages above 0 adding up to less than 100. */
static void print_pyramid(const kr_value_pyramid *r, const kr_table *t, const kr_value_options *o,
                          cli_format format, bool list)
{
    char money[32];
    if (list) {
        printf(r->compared ? "customer,tier,rank,revenue_cents,before,before_revenue_cents,"
                             "direction\n"
                           : "customer,tier,rank,revenue_cents\n");
        for (uint32_t i = 0; i < r->unit_count; i++) {
            unsigned now = r->tier[i];
            if (now == KR_PYRAMID_NONE)
                continue;
            if (r->compared && (r->before[i] == KR_PYRAMID_NONE || r->before[i] == now))
                continue;
            cli_csv_field(stdout, kr_value_unit_name(t, o->per, i));
            printf(",%s,%" PRIu32 ",%" PRId64, kr_pyramid_tier_name(now), r->rank[i],
                   r->revenue[i]);
            if (r->compared)
                printf(",%s,%" PRId64 ",%s", kr_pyramid_tier_name(r->before[i]),
                       r->before_revenue[i], now < r->before[i] ? "up" : "down");
            putchar('\n');
        }
        return;
    }
    if (format == CLI_FORMAT_CSV) {
        printf("tier,customers,revenue_cents,revenue_share\n");
        for (int k = 0; k < KR_PYRAMID_TIERS; k++)
            printf("%s,%" PRIu32 ",%" PRId64 ",%.6f\n", kr_pyramid_tier_name(k),
                   r->tiers[k].customers, r->tiers[k].revenue_cents, r->tiers[k].revenue_share);
        if (r->compared) {
            printf("\nfrom,to,customers\n");
            for (int a = 0; a <= KR_PYRAMID_TIERS; a++)
                for (int b = 0; b <= KR_PYRAMID_TIERS; b++)
                    if (r->moves[a][b])
                        printf("%s,%s,%" PRIu32 "\n", kr_pyramid_tier_name(a),
                               kr_pyramid_tier_name(b), r->moves[a][b]);
        }
        return;
    }
    print_period(r->as_of_ms, r->from_ms);
    printf("active customers: %" PRIu32 ", revenue %s; rank limits %" PRIu32 ", %" PRIu32
           ", %" PRIu32 "\n\n",
           r->active, cli_money(money, sizeof money, r->revenue_cents), r->limits[0], r->limits[1],
           r->limits[2]);
    printf("%-10s %10s %14s %7s\n", "tier", "customers", "revenue", "share");
    for (int k = 0; k < KR_PYRAMID_TIERS; k++)
        printf("%-10s %10" PRIu32 " %14s %6.1f%%\n", kr_pyramid_tier_name(k), r->tiers[k].customers,
               cli_money(money, sizeof money, r->tiers[k].revenue_cents),
               100 * r->tiers[k].revenue_share);
    if (!r->compared)
        return;
    printf("\nmoves since ");
    print_time("", r->before_as_of_ms);
    printf(": %" PRIu32 " up, %" PRIu32 " down, %" PRIu32 " same, %" PRIu32 " new\n", r->moved_up,
           r->moved_down, r->stayed, r->arrived);
    printf("%-10s", "then\\now");
    for (int b = 0; b < KR_PYRAMID_TIERS; b++)
        printf(" %9s", kr_pyramid_tier_name(b));
    putchar('\n');
    for (int a = 0; a <= KR_PYRAMID_TIERS; a++) {
        printf("%-10s", kr_pyramid_tier_name(a));
        for (int b = 0; b < KR_PYRAMID_TIERS; b++)
            printf(" %9" PRIu32, r->moves[a][b]);
        putchar('\n');
    }
}

/* What one run needs besides the table. */
typedef struct value_job {
    analysis what;
    kr_value_options o;
    cli_format format;
    bool list;
} value_job;

/* Runs the analysis on t and prints it. */
static int analyse(const kr_table *t, void *payload)
{
    const value_job *job = payload;
    const kr_value_options *po = &job->o;
    const cli_format format = job->format;
    const bool list = job->list;
    const analysis what = job->what;
    kr_value_pareto pareto = {0};
    kr_value_rfm rfm = {0};
    kr_value_pyramid pyramid = {0};
    int exit_code = KR_EXIT_OK;
    char err[256];
    int rc = KR_EINVAL;
    char *json = NULL;
    if (what == ANALYSIS_PARETO) {
        rc = kr_value_pareto_run(&pareto, t, po, err, sizeof err);
        if (rc == KR_OK && format == CLI_FORMAT_JSON &&
            !(json = kr_value_pareto_to_json(&pareto, po, true)))
            rc = KR_ENOMEM;
        else if (rc == KR_OK && format != CLI_FORMAT_JSON)
            print_pareto(&pareto, format);
    }
    if (what == ANALYSIS_RFM) {
        rc = kr_value_rfm_run(&rfm, t, po, err, sizeof err);
        if (rc == KR_OK && format == CLI_FORMAT_JSON &&
            !(json = kr_value_rfm_to_json(&rfm, t, po, list, true)))
            rc = KR_ENOMEM;
        else if (rc == KR_OK && format != CLI_FORMAT_JSON)
            print_rfm(&rfm, t, po, format, list);
    }
    if (what == ANALYSIS_PYRAMID) {
        rc = kr_value_pyramid_run(&pyramid, t, po, err, sizeof err);
        if (rc == KR_OK && format == CLI_FORMAT_JSON &&
            !(json = kr_value_pyramid_to_json(&pyramid, t, po, list, true)))
            rc = KR_ENOMEM;
        else if (rc == KR_OK && format != CLI_FORMAT_JSON)
            print_pyramid(&pyramid, t, po, format, list);
    }
    if (rc < 0) {
        fprintf(stderr, "klantreis value: %s\n", rc == KR_ENOMEM ? kr_strerror(rc) : err);
        exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
        goto out;
    }
    if (json)
        printf("%s\n", json);
    free(json);
out:
    kr_value_pareto_finish(&pareto);
    kr_value_rfm_finish(&rfm);
    kr_value_pyramid_finish(&pyramid);
    return exit_code;
}

int cmd_value(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"per", required_argument, NULL, OPT_PER},
        {"purchase", required_argument, NULL, OPT_PURCHASE},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"list", no_argument, NULL, OPT_LIST},
        {"tiers", required_argument, NULL, OPT_TIERS},
        {"compare-to", required_argument, NULL, OPT_COMPARE_TO},
        {"by", required_argument, NULL, OPT_BY},
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_value_options o = KR_VALUE_OPTIONS_INIT;
    const char *as_of_arg = NULL, *compare_arg = NULL;
    bool list = false;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_model *m = NULL;
    cli_model_args ma = {NULL, NULL, NULL};
    cli_groups groups = CLI_GROUPS_INIT;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_AS_OF:
            as_of_arg = optarg;
            break;
        case OPT_PER:
            if (strcmp(optarg, "person") == 0) {
                o.per = KR_VALUE_PER_PERSON;
            } else if (strcmp(optarg, "account") == 0) {
                o.per = KR_VALUE_PER_ACCOUNT;
            } else {
                exit_code = cli_usage_error("value", "--per takes person or account");
                goto done;
            }
            break;
        case OPT_PURCHASE:
            o.purchase = optarg;
            break;
        case OPT_PERIOD:
            if (strcmp(optarg, "all") == 0) {
                o.period_ms = 0;
            } else if (kr_duration_parse(&o.period_ms, kr_str_from_cstr(optarg)) < 0 ||
                       o.period_ms <= 0) {
                exit_code = cli_usage_error("value", "--period takes a duration (365d) or all");
                goto done;
            }
            break;
        case OPT_TIERS:
            if (cli_parse_tiers(optarg, o.tiers) < 0) {
                exit_code = cli_usage_error("value", "--tiers takes three percentages above 0 "
                                                     "that add up to less than 100: 1,4,15");
                goto done;
            }
            break;
        case OPT_COMPARE_TO:
            compare_arg = optarg;
            break;
        case OPT_BY:
            if ((exit_code = cli_groups_by(&groups, "value", optarg)) != 0)
                goto done;
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
        case OPT_LIST:
            list = true;
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("value", "--format takes table, csv or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("value", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (optind >= argc) {
        exit_code = cli_usage_error("value", "name the analysis: rfm, pyramid or pareto");
        goto done;
    }
    analysis what;
    if (strcmp(argv[optind], "pareto") == 0) {
        what = ANALYSIS_PARETO;
    } else if (strcmp(argv[optind], "rfm") == 0) {
        what = ANALYSIS_RFM;
    } else if (strcmp(argv[optind], "pyramid") == 0) {
        what = ANALYSIS_PYRAMID;
    } else {
        exit_code =
            cli_usage_error("value", "unknown analysis '%s': rfm, pyramid or pareto", argv[optind]);
        goto done;
    }
    optind++;
    if (list && what == ANALYSIS_PARETO) {
        exit_code = cli_usage_error("value", "--list goes with rfm or pyramid");
        goto done;
    }
    if (compare_arg && what != ANALYSIS_PYRAMID) {
        exit_code = cli_usage_error("value", "--compare-to goes with pyramid");
        goto done;
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("value", "at most one SOURCE");
        goto done;
    }
    if (as_of_arg && (o.has_as_of = true) && cli_parse_as_of(as_of_arg, &o.as_of_ms, &rd) < 0) {
        exit_code = cli_usage_error("value", "--as-of takes a date or timestamp");
        goto done;
    }
    if (compare_arg && (o.has_compare_to = true) &&
        cli_parse_as_of(compare_arg, &o.compare_to_ms, &rd) < 0) {
        exit_code = cli_usage_error("value", "--compare-to takes a date or timestamp");
        goto done;
    }
    const char *source = optind < argc ? argv[optind] : NULL;
    if ((exit_code = cli_load_source(&m, &t, "value", groups.by_persona, &ma, NULL, source, &rd)) !=
        0)
        goto done;
    value_job job = {what, o, format, list};
    exit_code = cli_groups_run(&groups, "value", &t, m, format, analyse, &job);
done:
    kr_model_free(m);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
