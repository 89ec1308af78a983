/*
 * cmd_lists.c - klantreis lists NAME [SOURCE]: the persons to act on (abandoned carts,
 * at-risk, ambassadors, win-back, next purchase) as CSV for a mailing tool, or JSON. A thin
 * client of src/engine/lists.c and src/render/lists_json.c; the rules are in docs/lists.md.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_groups.h"
#include "klantreis/lists.h"

static const char help[] =
    "usage: klantreis lists NAME [OPTIONS] [SOURCE]\n\n"
    "Persons to act on, one line each: person, ids (all ids known for the person, separated\n"
    "by ';'), reason, and the list's figures (docs/lists.md). NAME is one of:\n"
    "  abandoned-carts  the latest cart event (at least --hours before as-of) has no purchase\n"
    "                   within --hours after it (a purchase exactly --hours later counts as\n"
    "                   bought): last_cart_at, cart_value_cents, purchases\n"
    "  at-risk          RFM segments At risk and Cannot lose them (klantreis value rfm):\n"
    "                   segment, recency_days, frequency, monetary_cents, last_purchase_at\n"
    "  ambassadors      latest NPS score 9 or 10 and at least 2 purchases: nps, scored_at,\n"
    "                   purchases, revenue_cents\n"
    "  win-back         active in the pyramid at --compare-to (top .. small) and in a worse\n"
    "                   tier at as-of: tier_before, tier_now, revenue_before_cents,\n"
    "                   revenue_now_cents\n"
    "  next-purchase    at least 3 purchases and the median gap between them has passed\n"
    "                   since the last one (by at least --grace): purchases,\n"
    "                   last_purchase_at, interval_days, days_since_last, overdue_days\n"
    "\nSOURCE is a CSV/JSONL file or a store; without SOURCE, the store (--db).\n\n"
    "options:\n"
    "  --as-of DATE          reference date: events after it are ignored; a plain date\n"
    "                        means the end of that day (default: the last event)\n"
    "  --purchase EVENT      the purchase event (default purchase)\n"
    "  --cart EVENT          abandoned-carts: the cart event (default add_to_cart)\n"
    "  --hours N             abandoned-carts: the purchase window in hours (default 24)\n"
    "  --compare-to DATE     win-back (required): the earlier pyramid\n"
    "  --period D            win-back: the pyramid period (default 365d, or all)\n"
    "  --tiers A,B,C         win-back: the pyramid percentages (default 1,4,15)\n"
    "  --grace D             next-purchase: overdue by at least D (default 0d)\n"
    "  --format F            csv (default: for a mailing tool), table or json\n" CLI_READ_HELP
    "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid query.\n";

enum {
    OPT_AS_OF = CLI_OPT_FIRST_FREE,
    OPT_PURCHASE,
    OPT_CART,
    OPT_HOURS,
    OPT_COMPARE_TO,
    OPT_PERIOD,
    OPT_TIERS,
    OPT_GRACE,
    OPT_FORMAT,
};

/* A date (YYYY-MM-DD, YYYYMMDD) means the end of that day; anything else is an instant. */
static void print_time(int64_t ms)
{
    char buf[40];
    kr_time_format(buf, sizeof buf, ms);
    fputs(buf, stdout);
}

static const char *const columns[KR_LIST_KINDS] = {
    "last_cart_at,cart_value_cents,purchases",
    "segment,recency_days,frequency,monetary_cents,last_purchase_at",
    "nps,scored_at,purchases,revenue_cents",
    "tier_before,tier_now,revenue_before_cents,revenue_now_cents",
    "purchases,last_purchase_at,interval_days,days_since_last,overdue_days",
};

/* person, ids joined by ';', reason, figures. Returns -1 when out of memory. */
static int print_csv(const kr_list *l, const kr_table *t)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    printf("person,ids,reason,%s\n", columns[l->kind]);
    for (uint32_t i = 0; i < l->count; i++) {
        const kr_list_row *r = &l->rows[i];
        cli_csv_field(stdout, kr_table_dict_get(t, KR_DICT_ID, c.person_id[r->person]));
        putchar(',');
        const uint32_t *codes;
        size_t n = kr_table_person_ids(t, r->person, &codes), len = 0;
        for (size_t k = 0; k < n; k++)
            len += kr_table_dict_get(t, KR_DICT_ID, codes[k]).len + 1;
        char *buf = malloc(len + 1);
        if (!buf)
            return -1;
        len = 0;
        for (size_t k = 0; k < n; k++) {
            kr_str s = kr_table_dict_get(t, KR_DICT_ID, codes[k]);
            if (k)
                buf[len++] = ';';
            memcpy(buf + len, s.ptr, s.len);
            len += s.len;
        }
        cli_csv_field(stdout, (kr_str){buf, len});
        free(buf);
        putchar(',');
        cli_csv_field(stdout, kr_str_from_cstr(kr_list_reason(l, r)));
        putchar(',');
        switch (l->kind) {
        case KR_LIST_ABANDONED_CARTS:
            print_time(r->time_ms);
            putchar(',');
            if (r->has_cents)
                printf("%" PRId64, r->cents);
            printf(",%" PRIu32, r->count);
            break;
        case KR_LIST_AT_RISK:
            printf("%s,%" PRId64 ",%" PRIu32 ",%" PRId64 ",",
                   kr_rfm_segment_name((kr_rfm_segment)r->code), r->days, r->count, r->cents);
            print_time(r->time_ms);
            break;
        case KR_LIST_AMBASSADORS:
            printf("%g,", r->score);
            print_time(r->time_ms);
            printf(",%" PRIu32 ",%" PRId64, r->count, r->cents);
            break;
        case KR_LIST_WIN_BACK:
            printf("%s,%s,%" PRId64 ",%" PRId64, kr_pyramid_tier_name(r->before_code),
                   kr_pyramid_tier_name(r->code), r->before_cents, r->cents);
            break;
        case KR_LIST_NEXT_PURCHASE:
            printf("%" PRIu32 ",", r->count);
            print_time(r->time_ms);
            printf(",%.2f,%" PRId64 ",%.2f", (double)r->interval_ms / 86400000.0, r->days,
                   (double)r->overdue_ms / 86400000.0);
            break;
        }
        putchar('\n');
    }
    return 0;
}

/* print_csv as an analysis for cli_capture: the payload is the list. */
static int csv_of(const kr_table *t, void *payload)
{
    return print_csv(payload, t) < 0 ? KR_EXIT_INPUT : KR_EXIT_OK;
}

/* The CSV rows, aligned for reading on a terminal. */
static int print_table(kr_list *l, const kr_table *t)
{
    char *text = NULL;
    int code = KR_EXIT_OK;
    if (cli_capture(csv_of, t, l, &text, &code) < 0 || code != KR_EXIT_OK) {
        free(text);
        return KR_ENOMEM;
    }
    cli_print_csv_table(text);
    free(text);
    return KR_OK;
}

int cmd_lists(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"purchase", required_argument, NULL, OPT_PURCHASE},
        {"cart", required_argument, NULL, OPT_CART},
        {"hours", required_argument, NULL, OPT_HOURS},
        {"compare-to", required_argument, NULL, OPT_COMPARE_TO},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"tiers", required_argument, NULL, OPT_TIERS},
        {"grace", required_argument, NULL, OPT_GRACE},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    bool json = false, table = false;
    kr_lists_options o = KR_LISTS_OPTIONS_INIT;
    const char *as_of_arg = NULL, *compare_arg = NULL;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_list list = {0};
    char *text = NULL;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_AS_OF:
            as_of_arg = optarg;
            break;
        case OPT_COMPARE_TO:
            compare_arg = optarg;
            break;
        case OPT_PURCHASE:
            o.value.purchase = optarg;
            break;
        case OPT_CART:
            o.cart = optarg;
            break;
        case OPT_HOURS: {
            char *end;
            long long h = strtoll(optarg, &end, 10);
            if (end == optarg || *end || h < 0 || h > 24LL * 365 * 100) {
                exit_code = cli_usage_error("lists", "--hours takes a whole number of hours");
                goto done;
            }
            o.window_ms = (int64_t)h * 3600000;
            break;
        }
        case OPT_PERIOD:
            if (strcmp(optarg, "all") == 0) {
                o.value.period_ms = 0;
            } else if (kr_duration_parse(&o.value.period_ms, kr_str_from_cstr(optarg)) < 0 ||
                       o.value.period_ms <= 0) {
                exit_code = cli_usage_error("lists", "--period takes a duration (365d) or all");
                goto done;
            }
            break;
        case OPT_TIERS:
            if (cli_parse_tiers(optarg, o.value.tiers) < 0) {
                exit_code = cli_usage_error("lists", "--tiers takes three percentages above 0 "
                                                     "that add up to less than 100: 1,4,15");
                goto done;
            }
            break;
        case OPT_GRACE:
            if (kr_duration_parse(&o.grace_ms, kr_str_from_cstr(optarg)) < 0 || o.grace_ms < 0) {
                exit_code = cli_usage_error("lists", "--grace takes a duration (0d, 7d)");
                goto done;
            }
            break;
        case OPT_FORMAT:
            json = strcmp(optarg, "json") == 0;
            table = strcmp(optarg, "table") == 0;
            if (!json && !table && strcmp(optarg, "csv") != 0) {
                exit_code = cli_usage_error("lists", "--format takes csv, table or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("lists", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (optind >= argc) {
        exit_code = cli_usage_error("lists", "name the list: abandoned-carts, at-risk, "
                                             "ambassadors, win-back or next-purchase");
        goto done;
    }
    kr_list_kind kind;
    if (kr_list_kind_parse(argv[optind], &kind) < 0) {
        exit_code = cli_usage_error("lists",
                                    "unknown list '%s': abandoned-carts, at-risk, ambassadors, "
                                    "win-back or next-purchase",
                                    argv[optind]);
        goto done;
    }
    optind++;
    if (argc - optind > 1) {
        exit_code = cli_usage_error("lists", "at most one SOURCE");
        goto done;
    }
    if (kind == KR_LIST_WIN_BACK && !compare_arg) {
        exit_code = cli_usage_error("lists", "win-back needs --compare-to DATE");
        goto done;
    }
    if (compare_arg && kind != KR_LIST_WIN_BACK) {
        exit_code = cli_usage_error("lists", "--compare-to goes with win-back");
        goto done;
    }
    if (as_of_arg && (o.value.has_as_of = true) &&
        cli_parse_as_of(as_of_arg, &o.value.as_of_ms, &rd) < 0) {
        exit_code = cli_usage_error("lists", "--as-of takes a date or timestamp");
        goto done;
    }
    if (compare_arg && (o.value.has_compare_to = true) &&
        cli_parse_as_of(compare_arg, &o.value.compare_to_ms, &rd) < 0) {
        exit_code = cli_usage_error("lists", "--compare-to takes a date or timestamp");
        goto done;
    }
    if ((exit_code = cli_load_table(&t, optind < argc ? argv[optind] : NULL, &rd)) != 0)
        goto done;
    char err[256];
    int rc = kr_list_run(&list, t, kind, &o, err, sizeof err);
    if (rc == KR_OK && json && !(text = kr_list_to_json(&list, t, true)))
        rc = KR_ENOMEM;
    else if (rc == KR_OK && !json && !table && print_csv(&list, t) < 0)
        rc = KR_ENOMEM;
    else if (rc == KR_OK && table)
        rc = print_table(&list, t);
    if (rc < 0) {
        fprintf(stderr, "klantreis lists: %s\n", rc == KR_ENOMEM ? kr_strerror(rc) : err);
        exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
        goto done;
    }
    if (text)
        printf("%s\n", text);
done:
    free(text);
    kr_list_finish(&list);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
