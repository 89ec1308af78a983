/*
 * cmd_attention.c - klantreis attention [SOURCE]: the attention monitor, company-initiated
 * touches per tier of the customer pyramid against the tier's share of the revenue, and the
 * customers with the largest gap either way. A thin client of src/engine/attention.c and
 * src/render/attention_json.c; the rules are in docs/attention.md.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_model.h"
#include "klantreis/attention.h"

static const char help[] =
    "usage: klantreis attention [OPTIONS] [SOURCE]\n\n"
    "Is our effort going to the customers who matter? Company-initiated touches (events of a\n"
    "touchpoint with initiated_by: company in the journey model, or the events named by\n"
    "--company-events) per customer in the period, summed per tier of the customer pyramid\n"
    "(klantreis value pyramid), against each tier's share of the revenue:\n"
    "  ratio = attention share / value share (1 = attention in proportion to value,\n"
    "  below 1 = under-served, above 1 = over-served)\n"
    "and the gaps: top and large customers without a company touch in the last --silent-days,\n"
    "and the small customers with the most touches (docs/attention.md).\n"
    "\nSOURCE is a CSV/JSONL file or a store; without SOURCE, the store (--db).\n\n"
    "options:\n"
    "  --company-events A,B  these event names are the company's touches (instead of the\n"
    "                        model's initiated_by: company touchpoints)\n" CLI_MODEL_HELP
    "  --as-of DATE          reference date (a plain date: the end of that day; default:\n"
    "                        the last event)\n"
    "  --period D            touches and revenue in (as-of - D, as-of] (default 365d, or all)\n"
    "  --per P               person (default) or account\n"
    "  --purchase EVENT      the purchase event (default purchase)\n"
    "  --tiers A,B,C         pyramid percentages of top, large, medium (default 1,4,15)\n"
    "  --silent-days N       top/large customers without a touch in [as-of - N days, as-of]\n"
    "                        (default 90)\n"
    "  --top N               customers per gap list (default 10; 0 = all)\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid model or query.\n";

enum {
    OPT_AS_OF = CLI_OPT_FIRST_FREE,
    OPT_PER,
    OPT_PURCHASE,
    OPT_PERIOD,
    OPT_FORMAT,
    OPT_TIERS,
    OPT_EVENTS,
    OPT_SILENT,
    OPT_TOP,
    OPT_MODEL,
    OPT_TEMPLATE,
    OPT_LANG,
};

static int parse_count(const char *arg, long long max, long long *out)
{
    char *end;
    *out = strtoll(arg, &end, 10);
    return end == arg || *end || *out < 0 || *out > max ? -1 : 0;
}

/* Splits a copy of "a,b,c" into names (pointers into *copy); -1 for an empty name. */
static int split_names(const char *arg, char **copy, const char ***names, size_t *count)
{
    size_t n = 1;
    for (const char *p = arg; *p; p++)
        n += *p == ',';
    *copy = malloc(strlen(arg) + 1);
    *names = malloc(n * sizeof **names);
    if (!*copy || !*names)
        return -1;
    memcpy(*copy, arg, strlen(arg) + 1);
    char *s = *copy;
    *count = 0;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (!*s)
            return -1;
        (*names)[(*count)++] = s;
        if (!comma)
            return 0;
        s = comma + 1;
    }
}

static void print_time(const char *label, int64_t ms)
{
    char buf[40];
    kr_time_format(buf, sizeof buf, ms);
    printf("%s%s", label, buf);
}

static void print_customers_csv(const char *list, const kr_attention_customer *c, uint32_t n,
                                const kr_table *t, const kr_attention_options *o)
{
    for (uint32_t i = 0; i < n; i++) {
        printf("%s,", list);
        cli_csv_field(stdout, kr_value_unit_name(t, o->value.per, c[i].unit));
        printf(",%s,%" PRIu32 ",%" PRId64 ",%" PRIu32 ",", kr_pyramid_tier_name(c[i].tier),
               c[i].rank, c[i].revenue_cents, c[i].touches);
        if (c[i].last_touch_ms != INT64_MIN)
            print_time("", c[i].last_touch_ms);
        putchar('\n');
    }
}

static void print_customers_table(const kr_attention_customer *c, uint32_t n, const kr_table *t,
                                  const kr_attention_options *o, int64_t as_of)
{
    char money[32];
    printf("%-24s %-8s %6s %14s %8s %s\n", "customer", "tier", "rank", "revenue", "touches",
           "last touch (days ago)");
    for (uint32_t i = 0; i < n; i++) {
        kr_str name = kr_value_unit_name(t, o->value.per, c[i].unit);
        printf("%-24.*s %-8s %6" PRIu32 " %14s %8" PRIu32 " ", (int)name.len,
               name.ptr ? name.ptr : "", kr_pyramid_tier_name(c[i].tier), c[i].rank,
               cli_money(money, sizeof money, c[i].revenue_cents), c[i].touches);
        if (c[i].last_touch_ms == INT64_MIN) {
            printf("never\n");
        } else {
            print_time("", c[i].last_touch_ms);
            printf(" (%" PRId64 ")\n", (as_of - c[i].last_touch_ms) / INT64_C(86400000));
        }
    }
}

static void print_attention(const kr_attention *a, const kr_table *t, const kr_attention_options *o,
                            cli_format format, long long silent)
{
    char money[32];
    if (format == CLI_FORMAT_CSV) {
        printf("tier,customers,touched,revenue_cents,value_share,touches,attention_share,ratio\n");
        for (int k = 0; k < KR_PYRAMID_TIERS; k++) {
            const kr_attention_tier *x = &a->tiers[k];
            printf("%s,%" PRIu32 ",%" PRIu32 ",%" PRId64 ",%.6f,%" PRIu64 ",%.6f,",
                   kr_pyramid_tier_name(k), x->customers, x->touched, x->revenue_cents,
                   x->value_share, x->touches, x->attention_share);
            if (x->has_ratio)
                printf("%.6f", x->ratio);
            putchar('\n');
        }
        printf("\nlist,customer,tier,rank,revenue_cents,touches,last_touch\n");
        print_customers_csv("silent", a->silent, a->silent_count, t, o);
        print_customers_csv("busy", a->busy, a->busy_count, t, o);
        return;
    }
    print_time("as of ", a->as_of_ms);
    if (a->from_ms == INT64_MIN) {
        printf(", all history\n");
    } else {
        print_time(", period from (exclusive) ", a->from_ms);
        putchar('\n');
    }
    printf("company touches: %" PRIu64 ", revenue %s\n\n", a->touches,
           cli_money(money, sizeof money, a->revenue_cents));
    printf("%-10s %10s %8s %14s %7s %8s %10s %6s\n", "tier", "customers", "touched", "revenue",
           "value", "touches", "attention", "ratio");
    for (int k = 0; k < KR_PYRAMID_TIERS; k++) {
        const kr_attention_tier *x = &a->tiers[k];
        printf("%-10s %10" PRIu32 " %8" PRIu32 " %14s %6.1f%% %8" PRIu64 " %9.1f%% ",
               kr_pyramid_tier_name(k), x->customers, x->touched,
               cli_money(money, sizeof money, x->revenue_cents), 100 * x->value_share, x->touches,
               100 * x->attention_share);
        if (x->has_ratio)
            printf("%6.2f\n", x->ratio);
        else
            printf("%6s\n", "-");
    }
    printf("\ntop and large customers without a company touch in %lld days: %" PRIu32 "\n", silent,
           a->silent_total);
    if (a->silent_count)
        print_customers_table(a->silent, a->silent_count, t, o, a->as_of_ms);
    printf("\nsmall customers with company touches: %" PRIu32 ", most touched first\n",
           a->busy_total);
    if (a->busy_count)
        print_customers_table(a->busy, a->busy_count, t, o, a->as_of_ms);
}

int cmd_attention(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"per", required_argument, NULL, OPT_PER},
        {"purchase", required_argument, NULL, OPT_PURCHASE},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"tiers", required_argument, NULL, OPT_TIERS},
        {"company-events", required_argument, NULL, OPT_EVENTS},
        {"silent-days", required_argument, NULL, OPT_SILENT},
        {"top", required_argument, NULL, OPT_TOP},
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_attention_options o = KR_ATTENTION_OPTIONS_INIT;
    const char *as_of_arg = NULL, *events_arg = NULL;
    const char *model_path = NULL, *template_name = NULL, *lang = NULL;
    char *names_copy = NULL;
    const char **names = NULL;
    long long silent = 90, top;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_model *m = NULL;
    kr_model_match *mm = NULL;
    kr_attention a = {0};
    char *json = NULL;
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
                o.value.per = KR_VALUE_PER_PERSON;
            } else if (strcmp(optarg, "account") == 0) {
                o.value.per = KR_VALUE_PER_ACCOUNT;
            } else {
                exit_code = cli_usage_error("attention", "--per takes person or account");
                goto done;
            }
            break;
        case OPT_PURCHASE:
            o.value.purchase = optarg;
            break;
        case OPT_PERIOD:
            if (strcmp(optarg, "all") == 0) {
                o.value.period_ms = 0;
            } else if (kr_duration_parse(&o.value.period_ms, kr_str_from_cstr(optarg)) < 0 ||
                       o.value.period_ms <= 0) {
                exit_code = cli_usage_error("attention", "--period takes a duration (365d) or all");
                goto done;
            }
            break;
        case OPT_TIERS:
            if (cli_parse_tiers(optarg, o.value.tiers) < 0) {
                exit_code = cli_usage_error("attention", "--tiers takes three percentages above 0 "
                                                         "that add up to less than 100: 1,4,15");
                goto done;
            }
            break;
        case OPT_EVENTS:
            events_arg = optarg;
            break;
        case OPT_SILENT:
            if (parse_count(optarg, 100000, &silent) < 0) {
                exit_code = cli_usage_error("attention", "--silent-days takes a number of days");
                goto done;
            }
            o.silent_ms = (int64_t)silent * INT64_C(86400000);
            break;
        case OPT_TOP:
            if (parse_count(optarg, UINT32_MAX, &top) < 0) {
                exit_code = cli_usage_error("attention", "--top takes a number (0 = all)");
                goto done;
            }
            o.top = (uint32_t)top;
            break;
        case OPT_MODEL:
            model_path = optarg;
            break;
        case OPT_TEMPLATE:
            template_name = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("attention", "--format takes table, csv or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("attention", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("attention", "at most one SOURCE");
        goto done;
    }
    if (model_path && template_name) {
        exit_code = cli_usage_error("attention", "give --model or --template, not both");
        goto done;
    }
    if (events_arg && (model_path || template_name)) {
        exit_code =
            cli_usage_error("attention", "give --company-events or a model (--model, --template)");
        goto done;
    }
    if (events_arg && split_names(events_arg, &names_copy, &names, &o.event_count) < 0) {
        exit_code = cli_usage_error("attention", "--company-events takes event names: a,b,c");
        goto done;
    }
    o.events = names;
    if (as_of_arg && (o.value.has_as_of = true) &&
        cli_parse_as_of(as_of_arg, &o.value.as_of_ms, &rd) < 0) {
        exit_code = cli_usage_error("attention", "--as-of takes a date or timestamp");
        goto done;
    }
    const char *source = optind < argc ? argv[optind] : NULL;
    if (!events_arg) {
        char used[256];
        if ((exit_code = cli_load_model(&m, "attention", model_path, template_name, lang, used,
                                        sizeof used)) != 0 ||
            (exit_code = cli_load_model_table(&t, m, NULL, source, &rd)) != 0)
            goto done;
        if (kr_model_match_new(&mm, m, t) < 0) {
            fprintf(stderr, "klantreis attention: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        o.model = m;
        o.match = mm;
    } else if ((exit_code = cli_load_table(&t, source, &rd)) != 0) {
        goto done;
    }
    char err[256];
    int rc = kr_attention_run(&a, t, &o, err, sizeof err);
    if (rc == KR_OK && format == CLI_FORMAT_JSON && !(json = kr_attention_to_json(&a, t, &o, true)))
        rc = KR_ENOMEM;
    if (rc < 0) {
        fprintf(stderr, "klantreis attention: %s\n", rc == KR_ENOMEM ? kr_strerror(rc) : err);
        exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
        goto done;
    }
    if (json)
        printf("%s\n", json);
    else
        print_attention(&a, t, &o, format, silent);
done:
    free(json);
    free(names_copy);
    free(names);
    kr_attention_finish(&a);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
