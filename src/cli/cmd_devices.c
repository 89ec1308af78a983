/*
 * cmd_devices.c - klantreis devices [SOURCE]: persons and conversion per device combination
 * and per device path, and the lift of "viewed on mobile, bought on desktop" against
 * single-device persons. A thin client of kr_devices_run (src/engine/devices.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "klantreis/devices.h"

static const char help[] =
    "usage: klantreis devices [OPTIONS] [SOURCE]\n\n"
    "Cross-device journeys: persons per device combination (the set of devices they used)\n"
    "and per device path (the order in which their devices first appear), with the share\n"
    "that converted; and the lift of persons who started on mobile and converted on desktop\n"
    "against the conversion rate of single-device persons (docs/devices.md). SOURCE is a\n"
    "CSV/JSONL file or a store; without SOURCE, the store (--db).\n\n"
    "options:\n"
    "  --conversion EVENT    the conversion event (default purchase)\n"
    "  --first-device D      the cross-device case's first device (default mobile)\n"
    "  --convert-device D    ... and the device it converts on (default desktop)\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid query.\n";

enum {
    OPT_CONVERSION = CLI_OPT_FIRST_FREE,
    OPT_FIRST_DEVICE,
    OPT_CONVERT_DEVICE,
    OPT_FORMAT,
};

static void print_groups(const char *title, const kr_devices_group *g, size_t n)
{
    printf("%-32s %10s %10s %8s\n", title, "persons", "converted", "rate");
    for (size_t i = 0; i < n; i++) {
        /* pad by characters, not bytes: labels hold UTF-8 arrows */
        int width = 32;
        for (const char *c = g[i].label; *c; c++)
            width += ((unsigned char)*c & 0xC0) == 0x80;
        printf("%-*s %10" PRIu64 " %10" PRIu64 " %7.1f%%\n", width, g[i].label, g[i].persons,
               g[i].converted, 100 * g[i].rate);
    }
}

static void print_table(const kr_devices_result *r, const kr_devices_options *o)
{
    print_groups("devices", r->combinations, r->combination_count);
    putchar('\n');
    print_groups("path", r->paths, r->path_count);
    printf("\nno device: %" PRIu64 " persons, %" PRIu64 " converted\n", r->persons_without_device,
           r->converted_without_device);
    printf("single device: %" PRIu64 " persons, %.1f%% converted\n", r->single.persons,
           100 * r->single.rate);
    printf("first on %s, also on %s: %" PRIu64 " persons, %.1f%% converted on %s\n",
           o->first_device, o->convert_device, r->cross.persons, 100 * r->cross.rate,
           o->convert_device);
    if (isnan(r->lift))
        printf("lift: -\n");
    else
        printf("lift: %+.1f%%\n", 100 * r->lift);
}

static void print_csv(const kr_devices_result *r)
{
    printf("kind,group,persons,converted,rate\n");
    for (size_t i = 0; i < r->combination_count; i++) {
        fputs("devices,", stdout);
        cli_csv_field(stdout, kr_str_from_cstr(r->combinations[i].label));
        printf(",%" PRIu64 ",%" PRIu64 ",%.6f\n", r->combinations[i].persons,
               r->combinations[i].converted, r->combinations[i].rate);
    }
    for (size_t i = 0; i < r->path_count; i++) {
        fputs("path,", stdout);
        cli_csv_field(stdout, kr_str_from_cstr(r->paths[i].label));
        printf(",%" PRIu64 ",%" PRIu64 ",%.6f\n", r->paths[i].persons, r->paths[i].converted,
               r->paths[i].rate);
    }
    printf("single_device,,%" PRIu64 ",%" PRIu64 ",%.6f\n", r->single.persons, r->single.converted,
           r->single.rate);
    printf("cross_device,,%" PRIu64 ",%" PRIu64 ",%.6f\n", r->cross.persons, r->cross.converted,
           r->cross.rate);
}

int cmd_devices(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"conversion", required_argument, NULL, OPT_CONVERSION},
        {"first-device", required_argument, NULL, OPT_FIRST_DEVICE},
        {"convert-device", required_argument, NULL, OPT_CONVERT_DEVICE},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_devices_options o = KR_DEVICES_OPTIONS_INIT;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_devices_result r = {0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_CONVERSION:
            o.conversion_event = optarg;
            break;
        case OPT_FIRST_DEVICE:
            o.first_device = optarg;
            break;
        case OPT_CONVERT_DEVICE:
            o.convert_device = optarg;
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("devices", "--format takes table, csv or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("devices", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("devices", "at most one SOURCE");
        goto done;
    }
    if ((exit_code = cli_load_table(&t, optind < argc ? argv[optind] : NULL, &rd)) != 0)
        goto done;
    char err[256];
    int rc = kr_devices_run(&r, t, &o, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "klantreis devices: %s\n", *err ? err : kr_strerror(rc));
        exit_code = rc == KR_ENOMEM ? KR_EXIT_INPUT : KR_EXIT_MODEL;
        goto done;
    }
    if (format == CLI_FORMAT_JSON) {
        char *json = kr_devices_to_json(&r, &o, true);
        if (json)
            printf("%s\n", json);
        free(json);
    } else if (format == CLI_FORMAT_CSV) {
        print_csv(&r);
    } else {
        print_table(&r, &o);
    }
done:
    kr_devices_result_finish(&r);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
