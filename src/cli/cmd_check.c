/*
 * cmd_check.c - klantreis check [MODEL] [--data SOURCE]: validates a journey model and lints
 * it, on its own and against data.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli_model.h"

static const char help[] =
    "usage: klantreis check [OPTIONS] [MODEL]\n\n"
    "Validates a journey model (default ./journey.yaml). Errors name file:line:column and say\n"
    "what is expected; exit code 3. Warnings do not fail the check: a phase with one\n"
    "touchpoint named after a channel or action (a touchpoint used as a chapter), touchpoints\n"
    "without a match rule, phases no event can reach. With --data, also: touchpoints that no\n"
    "event matches, the most frequent events that match no touchpoint, personas that match\n"
    "nobody.\n\n"
    "options:\n"
    "  --data SOURCE         check against a CSV/JSONL file or a store\n"
    "  --template NAME       check a built-in model: five-phases, touch-tell-sell-care, b2b\n"
    "  --lang L              nl or en: the language of a --template\n"
    "  --top N               unmatched events listed (default 10)\n" CLI_READ_HELP
    "  -h, --help            this help\n\n"
    "exit codes: 0 valid (warnings allowed), 1 usage, 2 unreadable model or data,\n"
    "3 invalid model.\n";

enum { OPT_DATA = CLI_OPT_FIRST_FREE, OPT_TEMPLATE, OPT_LANG, OPT_TOP };

typedef struct name_count {
    uint32_t code;
    uint64_t count;
} name_count;

static int cmp_name_count(const void *pa, const void *pb)
{
    const name_count *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return (a->code > b->code) - (a->code < b->code);
}

static int check_data(const kr_model *m, const kr_table *t, size_t top)
{
    const kr_model_info *info = kr_model_get(m);
    kr_model_match *mm = NULL;
    uint32_t names = kr_table_dict_count(t, KR_DICT_NAME);
    name_count *counts = calloc(names ? names : 1, sizeof *counts);
    if (!counts || kr_model_match_new(&mm, m, t) < 0) {
        free(counts);
        fprintf(stderr, "klantreis check: out of memory\n");
        return KR_EXIT_INPUT;
    }
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const uint16_t *tp = kr_model_match_events(mm);
    uint64_t matched = 0;
    for (uint32_t i = 0; i < names; i++)
        counts[i].code = i;
    for (size_t i = 0; i < c.count; i++) {
        kr_event_type type = KR_FLAG_TYPE(c.flags[i]);
        if (tp[i] != KR_MODEL_NONE)
            matched++;
        else if (type != KR_TYPE_IDENTIFY && type != KR_TYPE_ALIAS && type != KR_TYPE_GROUP)
            counts[c.name[i]].count++; /* identity calls are no touchpoints: not listed */
    }
    printf("data: %zu events of %" PRIu32 " persons, %" PRIu64 " (%.1f%%) match a touchpoint\n",
           c.count, c.person_count, matched,
           c.count ? 100.0 * (double)matched / (double)c.count : 0.0);
    for (size_t i = 0; i < info->touchpoint_count; i++) {
        const kr_model_touchpoint *p = &info->touchpoints[i];
        if (p->has_match && kr_model_match_touchpoint_events(mm, (uint32_t)i) == 0)
            printf("warning: touchpoint '%s' (phase %s) matches no event\n", p->id.ptr,
                   info->phases[p->phase].id.ptr);
    }
    for (size_t i = 0; i < info->persona_count; i++)
        if (kr_model_match_persona_persons(mm, (uint32_t)i) == 0)
            printf("warning: persona '%s' matches nobody\n", info->personas[i].id.ptr);
    qsort(counts, names, sizeof *counts, cmp_name_count);
    if (names && counts[0].count) {
        printf("events that match no touchpoint, most frequent first:\n");
        for (size_t i = 0; i < names && i < top && counts[i].count; i++) {
            kr_str n = kr_table_dict_get(t, KR_DICT_NAME, counts[i].code);
            printf("  %10" PRIu64 "  %.*s\n", counts[i].count, n.len ? (int)n.len : 6,
                   n.len ? n.ptr : "(none)");
        }
    }
    kr_model_match_free(mm);
    free(counts);
    return KR_EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"data", required_argument, NULL, OPT_DATA},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"top", required_argument, NULL, OPT_TOP},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    const char *data = NULL, *template_name = NULL, *lang = NULL;
    size_t top = 10;
    int exit_code = KR_EXIT_OK, opt;
    kr_model *m = NULL;
    kr_table *t = NULL;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_DATA:
            data = optarg;
            break;
        case OPT_TEMPLATE:
            template_name = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_TOP: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1) {
                exit_code = cli_usage_error("check", "--top takes a positive number");
                goto done;
            }
            top = (size_t)v;
            break;
        }
        case '?':
            exit_code = cli_usage_error("check", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1 || (template_name && argc - optind == 1)) {
        exit_code = cli_usage_error("check", "name one MODEL, or a --template");
        goto done;
    }
    const char *path = optind < argc ? argv[optind] : NULL;
    if (!path && !template_name)
        path = "journey.yaml";
    char used[256];
    if ((exit_code = cli_load_model(&m, "check", path, template_name, lang, used, sizeof used)))
        goto done;
    const kr_model_info *info = kr_model_get(m);
    printf("%s: valid: %zu phases, %zu touchpoints, %zu personas\n", used, info->phase_count,
           info->touchpoint_count, info->persona_count);
    for (size_t i = 0; i < kr_model_warning_count(m); i++)
        printf("%s\n", kr_model_warning(m, i));
    if (data) {
        if ((exit_code = cli_load_model_table(&t, m, NULL, data, &rd)) != 0)
            goto done;
        exit_code = check_data(m, t, top);
    }
done:
    kr_table_free(t);
    kr_model_free(m);
    cli_read_finish(&rd);
    return exit_code;
}
