/*
 * cmd_stats.c - klantreis stats [SOURCE]: the overview of a file or the store.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
    "usage: klantreis stats [OPTIONS] [SOURCE]\n\n"
    "An overview: events, persons (after identity stitching), accounts, devices per person,\n"
    "time range, and events per name, channel, device and type. SOURCE is a CSV/JSONL file\n"
    "(analysed directly, without a store) or a store; without SOURCE, the store (--db).\n\n"
    "options:\n"
    "  --format F            table, csv or json (default: table on a terminal, else json)\n"
    "  --top N               rows per list in the table (default 10; json has all)\n" CLI_READ_HELP
    "  -h, --help            this help\n";

enum { OPT_FORMAT = CLI_OPT_FIRST_FREE, OPT_TOP };

static void print_list(const char *title, const kr_count_list *l, size_t top, uint64_t total)
{
    printf("\n%-28s %12s %7s\n", title, "events", "share");
    for (size_t i = 0; i < l->count && i < top; i++) {
        kr_str k = l->items[i].key;
        printf("  %-26.*s %12" PRIu64 " %6.1f%%\n", k.len ? (int)(k.len > 26 ? 26 : k.len) : 6,
               k.len ? k.ptr : "(none)", l->items[i].count,
               total ? 100.0 * (double)l->items[i].count / (double)total : 0.0);
    }
    if (l->count > top)
        printf("  ... %zu more\n", l->count - top);
}

static void print_table(const kr_stats *st, size_t top)
{
    char first[40] = "-", last[40] = "-", money[40];
    if (st->events) {
        kr_time_format(first, sizeof first, st->first_ms);
        kr_time_format(last, sizeof last, st->last_ms);
    }
    printf("events                 %12" PRIu64 "\n", st->events);
    printf("persons                %12" PRIu64 "  (%" PRIu64 " identified)\n", st->persons,
           st->identified_persons);
    printf("accounts               %12" PRIu64 "  (%" PRIu64 " persons in an account)\n",
           st->accounts, st->persons_with_account);
    printf("devices per person     %12.2f  (%" PRIu64 " persons on several devices)\n",
           st->devices_per_person, st->multi_device_persons);
    printf("revenue                %12s  (%" PRIu64 " events with a value)\n",
           cli_money(money, sizeof money, st->revenue_cents), st->value_events);
    printf("scores                 %12" PRIu64 "\n", st->score_events);
    printf("from                   %s\nto                     %s\n", first, last);
    print_list("event", &st->by_name, top, st->events);
    print_list("channel", &st->by_channel, top, st->events);
    print_list("device", &st->by_device, top, st->events);
    print_list("type", &st->by_type, top, st->events);
}

static void print_csv(const kr_stats *st)
{
    printf("list,value,events\n");
    const struct {
        const char *name;
        const kr_count_list *l;
    } lists[] = {{"event", &st->by_name},
                 {"channel", &st->by_channel},
                 {"device", &st->by_device},
                 {"type", &st->by_type}};
    printf("total,events,%" PRIu64 "\ntotal,persons,%" PRIu64 "\ntotal,accounts,%" PRIu64 "\n",
           st->events, st->persons, st->accounts);
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
        for (size_t i = 0; i < lists[k].l->count; i++) {
            printf("%s,", lists[k].name);
            cli_csv_field(stdout, lists[k].l->items[i].key);
            printf(",%" PRIu64 "\n", lists[k].l->items[i].count);
        }
    }
}

int cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"top", required_argument, NULL, OPT_TOP},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    size_t top = 10;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_stats st = {0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("stats", "--format takes table, csv or json");
                goto done;
            }
            break;
        case OPT_TOP: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1) {
                exit_code = cli_usage_error("stats", "--top takes a positive number");
                goto done;
            }
            top = (size_t)v;
            break;
        }
        case '?':
            exit_code = cli_usage_error("stats", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("stats", "at most one SOURCE");
        goto done;
    }
    if ((exit_code = cli_load_table(&t, optind < argc ? argv[optind] : NULL, &rd)) != 0)
        goto done;
    if (kr_stats_compute(&st, t) < 0) {
        fprintf(stderr, "klantreis stats: out of memory\n");
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    if (format == CLI_FORMAT_JSON) {
        char *json = kr_stats_to_json(&st, true);
        if (!json) {
            fprintf(stderr, "klantreis stats: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        printf("%s\n", json);
        free(json);
    } else if (format == CLI_FORMAT_CSV) {
        print_csv(&st);
    } else {
        print_table(&st, top);
    }
done:
    kr_stats_finish(&st);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
