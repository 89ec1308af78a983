/*
 * cmd_map.c - klantreis map [SOURCE] --out FILE: the journey model as a poster (PDF, PNG, SVG;
 * with SOURCE, the figures per phase from data) or as Mermaid's journey diagram (.mmd).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "klantreis/map.h"

static const char help[] =
    "usage: klantreis map [OPTIONS] [SOURCE] --out FILE\n\n"
    "The journey map: scope on the left, a column per phase with its goal, touchpoints as\n"
    "cards in their channel's colour, the expected emotion curve, KPIs and brand values.\n"
    "With SOURCE (a CSV/JSONL file or a store) also the persons who reached each phase,\n"
    "the conversion between phases and the drop-off. See docs/map.md.\n\n"
    "options:\n" CLI_MODEL_HELP
    "                        and of the map's labels and names (default: the model's)\n"
    "  -o, --out FILE        map.pdf (A3 landscape), map.png (150 dpi), map.svg, or\n"
    "                        map.mmd (Mermaid journey diagram, for Markdown)\n" CLI_READ_HELP
    "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input or I/O error, 3 invalid model.\n";

enum { OPT_MODEL = CLI_OPT_FIRST_FREE, OPT_TEMPLATE, OPT_LANG };

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t len = strlen(text);
    bool ok = fwrite(text, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int cmd_map(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    const char *model_path = NULL, *template_name = NULL, *lang = NULL, *out = NULL;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_model *m = NULL;
    kr_model_match *mm = NULL;
    kr_phases_result res = {0};
    kr_map_layout layout = {0};
    kr_map_format format;
    char *text = NULL;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
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
            if (strcmp(optarg, "nl") != 0 && strcmp(optarg, "en") != 0) {
                exit_code = cli_usage_error("map", "--lang takes nl or en");
                goto done;
            }
            lang = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case '?':
            exit_code = cli_usage_error("map", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("map", "at most one SOURCE");
        goto done;
    }
    if (!out) {
        exit_code = cli_usage_error("map", "--out FILE is needed (.pdf, .png, .svg or .mmd)");
        goto done;
    }
    if (kr_map_format_from_path(&format, out) < 0) {
        exit_code = cli_usage_error("map", "--out must end in .pdf, .png, .svg or .mmd");
        goto done;
    }
    if (model_path && template_name) {
        exit_code = cli_usage_error("map", "give --model or --template, not both");
        goto done;
    }
    char used[256];
    if ((exit_code =
             cli_load_model(&m, "map", model_path, template_name, lang, used, sizeof used)) != 0)
        goto done;
    if (format == KR_MAP_MERMAID) {
        if (optind < argc) {
            exit_code = cli_usage_error("map", "the Mermaid diagram shows no data: drop SOURCE");
            goto done;
        }
        if (!(text = kr_map_to_mermaid(m, lang))) {
            fprintf(stderr, "klantreis map: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        if (write_text(out, text) < 0) {
            fprintf(stderr, "klantreis map: %s: cannot write\n", out);
            exit_code = KR_EXIT_INPUT;
        }
        goto done;
    }
    if (optind < argc) {
        if ((exit_code = cli_load_model_table(&t, m, NULL, argv[optind], &rd)) != 0)
            goto done;
        if (kr_model_match_new(&mm, m, t) < 0 || kr_phases_run(&res, t, m, mm, NULL) < 0) {
            fprintf(stderr, "klantreis map: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
    }
    kr_map_options mo = KR_MAP_OPTIONS_INIT;
    mo.lang = lang;
    int rc = kr_map_layout_run(&layout, m, t ? &res : NULL, &mo);
    if (rc == KR_OK)
        rc = kr_map_render_file(&layout, format, out);
    if (rc < 0) {
        fprintf(stderr, "klantreis map: %s: %s\n", out, kr_strerror(rc));
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    fprintf(stderr, "wrote %s: %s, %.0f x %.0f pt\n", out, used, layout.width, layout.height);
done:
    free(text);
    kr_map_layout_finish(&layout);
    kr_phases_finish(&res);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
