/*
 * cli_model.h - how the commands that use a journey model find it: --model FILE, or
 * --template NAME, or ./journey.yaml when it exists, or the five-phases template.
 */
#ifndef KR_CLI_MODEL_H
#define KR_CLI_MODEL_H

#include "cli.h"

#define CLI_MODEL_HELP                                                                             \
    "  --model FILE          the journey model (default ./journey.yaml, else the\n"                \
    "                        five-phases template)\n"                                              \
    "  --template NAME       use a built-in model: five-phases, touch-tell-sell-care, b2b\n"       \
    "  --lang L              nl or en: the language of a --template\n"

/**
 * Loads the model named by path (a file) or template_name (a built-in, in lang); with neither,
 * ./journey.yaml when present, else the five-phases template. *used says which ("journey.yaml",
 * "template five-phases"). Errors go to stderr as "klantreis COMMAND: file:line:col: ...".
 * Returns KR_EXIT_OK, KR_EXIT_MODEL (invalid model, unknown template) or KR_EXIT_INPUT.
 */
int cli_load_model(kr_model **out, const char *command, const char *path, const char *template_name,
                   const char *lang, char *used, size_t used_len);

/**
 * Loads the table from source (see cli_load_table) for model m: keeps the property keys the
 * model's rules name, and extra_key too when not NULL (phases --by PROPERTY).
 */
int cli_load_model_table(kr_table **out, const kr_model *m, const char *extra_key,
                         const char *source, cli_read *r);

/** Where a command's journey model comes from: --model, --template, --lang. */
typedef struct cli_model_args {
    const char *path;
    const char *template_name;
    const char *lang;
} cli_model_args;

/**
 * Loads what an analysis reads: with want_model the model first (see cli_load_model; --model
 * and --template together are a usage error) and the table keeping its property keys and
 * extra_key (cli_load_model_table); without, *m stays NULL and the table keeps only extra_key
 * (NULL: none). Returns an exit code (0 when both loaded).
 */
int cli_load_source(kr_model **m, kr_table **t, const char *command, bool want_model,
                    const cli_model_args *a, const char *extra_key, const char *source,
                    cli_read *r);

/** A duration as "45s", "12m 5s", "3h 10m", "4d 3h" (rounded down). */
const char *cli_duration(char *buf, size_t len, int64_t ms);

#endif
