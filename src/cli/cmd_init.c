/*
 * cmd_init.c - klantreis init [--template NAME] [--lang nl|en] [FILE]: writes a journey model
 * from a built-in template, to edit and keep under version control.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char help[] =
    "usage: klantreis init [OPTIONS] [FILE]\n\n"
    "Writes a journey model (default FILE: journey.yaml; '-' writes to standard output) from a\n"
    "built-in template: scope, personas, phases with their touchpoints and match rules,\n"
    "micro-conversions and the conversion. The match rules recognise the usual event names of\n"
    "webshop and analytics exports, so 'klantreis phases events.csv' works before any editing.\n"
    "The format is described in docs/journey-model.md.\n\n"
    "options:\n"
    "  --template NAME       five-phases (default), touch-tell-sell-care, b2b\n"
    "  --lang L              nl (default) or en: comments, descriptions, the model's language\n"
    "  --force               overwrite FILE when it exists\n"
    "  -h, --help            this help\n\n"
    "exit codes: 0 written, 1 usage (unknown template or language), 2 cannot write FILE.\n";

enum { OPT_TEMPLATE = CLI_OPT_FIRST_FREE, OPT_LANG, OPT_FORCE };

int cmd_init(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *template_name = "five-phases", *lang = "nl", *path = "journey.yaml";
    bool force = false;
    int opt, exit_code = KR_EXIT_OK;
    char *text = NULL;
    kr_model *m = NULL;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            return KR_EXIT_OK;
        case OPT_TEMPLATE:
            template_name = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_FORCE:
            force = true;
            break;
        default:
            return cli_usage_error("init", "unknown or incomplete option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error("init", "at most one FILE");
    if (optind < argc)
        path = argv[optind];
    if (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
        return cli_usage_error("init", "--lang takes nl or en, not '%s'", lang);
    int rc = kr_model_template(&text, template_name, lang);
    if (rc == KR_ENOTFOUND)
        return cli_usage_error("init",
                               "unknown template '%s' (five-phases, touch-tell-sell-care, b2b)",
                               template_name);
    if (rc < 0) {
        fprintf(stderr, "klantreis init: out of memory\n");
        return KR_EXIT_INPUT;
    }
    /* A template that does not pass check is a bug: catch it here, not in the user's editor. */
    if (kr_model_load_string(&m, text, strlen(text), template_name) < 0) {
        fprintf(stderr, "klantreis init: internal error: %s\n", kr_model_errmsg(m));
        exit_code = KR_EXIT_MODEL;
        goto done;
    }
    if (strcmp(path, "-") == 0) {
        fputs(text, stdout);
        goto done;
    }
    if (!force && access(path, F_OK) == 0) {
        fprintf(stderr, "klantreis init: %s exists; --force overwrites it\n", path);
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "klantreis init: cannot write %s\n", path);
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    const kr_model_info *info = kr_model_get(m);
    printf("wrote %s: template %s (%s), %zu phases, %zu touchpoints, %zu personas\n"
           "next: klantreis check %s --data EVENTS.csv; klantreis phases EVENTS.csv --model %s\n",
           path, template_name, lang, info->phase_count, info->touchpoint_count,
           info->persona_count, path, path);
done:
    kr_model_free(m);
    free(text);
    return exit_code;
}
