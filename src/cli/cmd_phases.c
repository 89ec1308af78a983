/*
 * cmd_phases.c - klantreis phases [SOURCE] --model FILE: per phase of the journey model, who
 * reached it, conversion, drop-off and after which touchpoint (afhaakmomenten), time to the
 * next phase and micro-conversions; --by persona|channel|device|PROPERTY breaks it down.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"

static const char help[] =
    "usage: klantreis phases [OPTIONS] [SOURCE]\n\n"
    "The journey from data: per phase of the model, the persons who reached it (their furthest\n"
    "phase is this one or later), conversion from the previous and from the first phase, the\n"
    "expected conversion (journey 1.0), drop-off (furthest phase is this one) and the last\n"
    "touchpoints of those who dropped off, the median and p90 time from entering this phase\n"
    "to entering the next, and micro-conversions. SOURCE is a CSV/JSONL file or a store;\n"
    "without SOURCE, the store (--db). The semantics are in docs/journey-model.md.\n\n"
    "options:\n" CLI_MODEL_HELP
    "  --by B                break every figure down by persona, or by the channel, device\n"
    "                        or property B (property:B for a property named like those)\n"
    "                        of the person's first event\n"
    "  --top N               last touchpoints listed per phase (default 5)\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid model.\n";

enum { OPT_MODEL = CLI_OPT_FIRST_FREE, OPT_TEMPLATE, OPT_LANG, OPT_BY, OPT_TOP, OPT_FORMAT };

static void pct(char *buf, size_t len, double r)
{
    if (isnan(r))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.1f%%", 100.0 * r);
}

static void print_str(kr_str s, int width)
{
    /* Pads by bytes; names are short and mostly ASCII. */
    printf("%-*.*s", width, (int)s.len, s.ptr);
}

static void print_group(const kr_phases_result *r, const kr_phases_group *g, const kr_model *m)
{
    const kr_model_info *info = kr_model_get(m);
    printf("persons %" PRIu64 ", in the journey %" PRIu64, g->persons, g->in_journey);
    if (info->conversion.defined)
        printf(", customers %" PRIu64, g->converted);
    if (info->repeat.defined)
        printf(", repeat %" PRIu64, g->repeat);
    printf("\n\n  %-22s %9s %8s %8s %8s %9s %10s %10s\n", "phase", "reached", "of prev", "of first",
           "expected", "dropped", "to next", "p90");
    for (size_t k = 0; k < r->phase_count; k++) {
        const kr_phases_row *row = &g->rows[k];
        const kr_model_phase *ph = &info->phases[k];
        char prev[16], first[16], exp[16] = "-", med[32] = "-", p90[32] = "-";
        pct(prev, sizeof prev, row->conversion_prev);
        pct(first, sizeof first, row->conversion_first);
        if (ph->has_expected_conversion)
            pct(exp, sizeof exp, ph->expected_conversion);
        if (row->to_next_count) {
            cli_duration(med, sizeof med, row->median_to_next_ms);
            cli_duration(p90, sizeof p90, row->p90_to_next_ms);
        }
        printf("%zu ", k + 1);
        print_str(kr_model_text_get(m, ph->name, ph->id), 22);
        printf(" %9" PRIu64 " %8s %8s %8s %9" PRIu64 " %10s %10s\n", row->reached, prev, first, exp,
               row->dropped, med, p90);
    }
    printf("\ndrop-off: last touchpoint of those whose furthest phase it is\n");
    for (size_t k = 0; k < r->phase_count; k++) {
        const kr_phases_row *row = &g->rows[k];
        if (!row->last_touchpoint_count)
            continue;
        const kr_model_phase *ph = &info->phases[k];
        kr_str name = kr_model_text_get(m, ph->name, ph->id);
        printf("  %.*s (%" PRIu64 "):", (int)name.len, name.ptr, row->dropped);
        for (size_t i = 0; i < row->last_touchpoint_count; i++) {
            const kr_model_touchpoint *tp = &info->touchpoints[row->last_touchpoints[i].touchpoint];
            kr_str tn = kr_model_text_get(m, tp->name, tp->id);
            printf("%s %.*s %" PRIu64, i ? "," : "", (int)tn.len, tn.ptr,
                   row->last_touchpoints[i].persons);
        }
        printf("\n");
    }
    bool any = false;
    for (size_t k = 0; k < r->phase_count; k++) {
        const kr_model_phase *ph = &info->phases[k];
        if (!ph->micro_count)
            continue;
        if (!any)
            printf("\nmicro-conversions (persons)\n");
        any = true;
        kr_str name = kr_model_text_get(m, ph->name, ph->id);
        printf("  %.*s:", (int)name.len, name.ptr);
        for (size_t i = 0; i < ph->micro_count; i++) {
            const kr_model_touchpoint *tp = &info->touchpoints[ph->micro[i]];
            kr_str tn = kr_model_text_get(m, tp->name, tp->id);
            printf("%s %.*s %" PRIu64, i ? "," : "", (int)tn.len, tn.ptr,
                   g->rows[k].micro_persons[i]);
        }
        printf("\n");
    }
}

static void print_table(const kr_phases_result *r, const kr_model *m, const char *used)
{
    printf("model: %s\n", used);
    printf("events %" PRIu64 ", matching a touchpoint %" PRIu64 "\n", r->events, r->matched_events);
    print_group(r, &r->groups[0], m);
    for (size_t g = 1; g < r->group_count; g++) {
        kr_str key = r->groups[g].key;
        kr_str by = r->by == KR_PHASES_BY_PROPERTY ? r->property
                                                   : kr_str_from_cstr(kr_phases_by_name(r->by));
        printf("\n== %.*s: %.*s\n", (int)by.len, by.ptr, (int)key.len, key.ptr);
        print_group(r, &r->groups[g], m);
    }
}

static void csv_rate(double v)
{
    if (!isnan(v))
        printf("%.4f", v);
}

static void print_csv(const kr_phases_result *r, const kr_model *m)
{
    const kr_model_info *info = kr_model_get(m);
    printf("group,phase,name,reached,entered,dropped,conversion_prev,conversion_first,"
           "expected_conversion,to_next,median_to_next_s,p90_to_next_s,last_touchpoints,"
           "micro_conversions\n");
    for (size_t g = 0; g < r->group_count; g++) {
        const kr_phases_group *grp = &r->groups[g];
        for (size_t k = 0; k < r->phase_count; k++) {
            const kr_phases_row *row = &grp->rows[k];
            const kr_model_phase *ph = &info->phases[k];
            cli_csv_field(stdout, g ? grp->key : kr_str_from_cstr("(all)"));
            putchar(',');
            cli_csv_field(stdout, ph->id);
            putchar(',');
            cli_csv_field(stdout, kr_model_text_get(m, ph->name, ph->id));
            printf(",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", row->reached, row->entered,
                   row->dropped);
            csv_rate(row->conversion_prev);
            putchar(',');
            csv_rate(row->conversion_first);
            putchar(',');
            if (ph->has_expected_conversion)
                printf("%g", ph->expected_conversion);
            printf(",%" PRIu64 ",", row->to_next_count);
            if (row->to_next_count)
                printf("%.3f,%.3f", (double)row->median_to_next_ms / 1000.0,
                       (double)row->p90_to_next_ms / 1000.0);
            else
                putchar(',');
            putchar(',');
            /* id:persons;id:persons (ids are [A-Za-z0-9_.-], so no quoting is needed) */
            for (size_t i = 0; i < row->last_touchpoint_count; i++)
                printf("%s%s:%" PRIu64, i ? ";" : "",
                       info->touchpoints[row->last_touchpoints[i].touchpoint].id.ptr,
                       row->last_touchpoints[i].persons);
            putchar(',');
            for (size_t i = 0; i < ph->micro_count; i++)
                printf("%s%s:%" PRIu64, i ? ";" : "", info->touchpoints[ph->micro[i]].id.ptr,
                       row->micro_persons[i]);
            putchar('\n');
        }
    }
}

int cmd_phases(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"by", required_argument, NULL, OPT_BY},
        {"top", required_argument, NULL, OPT_TOP},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_phases_options po = KR_PHASES_OPTIONS_INIT;
    const char *model_path = NULL, *template_name = NULL, *lang = NULL, *by_property = NULL;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_model *m = NULL;
    kr_model_match *mm = NULL;
    kr_phases_result res = {0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_MODEL:
            model_path = optarg;
            break;
        case OPT_TEMPLATE:
            template_name = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_BY:
            /* Any other name is a property; "property:NAME" for one named like the others. */
            if (strncmp(optarg, "property:", 9) == 0 || kr_phases_by_parse(&po.by, optarg) < 0) {
                by_property = strncmp(optarg, "property:", 9) == 0 ? optarg + 9 : optarg;
                if (!*by_property) {
                    exit_code = cli_usage_error(
                        "phases", "--by takes persona, channel, device or a property name");
                    goto done;
                }
                po.by = KR_PHASES_BY_PROPERTY;
                po.property = kr_str_from_cstr(by_property);
            }
            break;
        case OPT_TOP: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 20) {
                exit_code = cli_usage_error("phases", "--top takes a number from 1 to 20");
                goto done;
            }
            po.top = (size_t)v;
            break;
        }
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("phases", "--format takes table, csv or json");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("phases", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("phases", "at most one SOURCE");
        goto done;
    }
    if (model_path && template_name) {
        exit_code = cli_usage_error("phases", "give --model or --template, not both");
        goto done;
    }
    char used[256];
    if ((exit_code =
             cli_load_model(&m, "phases", model_path, template_name, lang, used, sizeof used)) != 0)
        goto done;
    if ((exit_code = cli_load_model_table(&t, m, by_property, optind < argc ? argv[optind] : NULL,
                                          &rd)) != 0)
        goto done;
    if (kr_model_match_new(&mm, m, t) < 0 || kr_phases_run(&res, t, m, mm, &po) < 0) {
        fprintf(stderr, "klantreis phases: out of memory\n");
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    if (format == CLI_FORMAT_JSON) {
        char *json = kr_phases_to_json(&res, m, true);
        if (!json) {
            fprintf(stderr, "klantreis phases: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        printf("%s\n", json);
        free(json);
    } else if (format == CLI_FORMAT_CSV) {
        print_csv(&res, m);
    } else {
        print_table(&res, m, used);
    }
done:
    kr_phases_finish(&res);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
