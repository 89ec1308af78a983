/*
 * cli_model.c - finding and loading the journey model for a command (see cli_model.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_model.h"

int cli_load_model(kr_model **out, const char *command, const char *path, const char *template_name,
                   const char *lang, char *used, size_t used_len)
{
    *out = NULL;
    if (!path && !template_name) {
        if (access("journey.yaml", F_OK) == 0) {
            path = "journey.yaml";
        } else {
            template_name = "five-phases";
            fprintf(stderr,
                    "klantreis %s: no journey.yaml here: using the five-phases template "
                    "('klantreis init' writes one to edit)\n",
                    command);
        }
    }
    int rc;
    if (path) {
        snprintf(used, used_len, "%s", path);
        rc = kr_model_load_file(out, path);
    } else {
        char *text = NULL;
        rc = kr_model_template(&text, template_name, lang);
        if (rc == KR_ENOTFOUND) {
            fprintf(stderr,
                    "klantreis %s: unknown template '%s' or language '%s' (templates: "
                    "five-phases, touch-tell-sell-care, b2b; languages: nl, en)\n",
                    command, template_name, lang ? lang : "nl");
            return KR_EXIT_MODEL;
        }
        if (rc < 0) {
            fprintf(stderr, "klantreis %s: out of memory\n", command);
            return KR_EXIT_INPUT;
        }
        snprintf(used, used_len, "template %s", template_name);
        char name[96];
        snprintf(name, sizeof name, "(template %s)", template_name);
        rc = kr_model_load_string(out, text, strlen(text), name);
        free(text);
    }
    if (rc < 0) {
        fprintf(stderr, "klantreis %s: %s\n", command, kr_model_errmsg(*out));
        kr_model_free(*out);
        *out = NULL;
        return rc == KR_EPARSE || rc == KR_ETOOBIG ? KR_EXIT_MODEL : KR_EXIT_INPUT;
    }
    return KR_EXIT_OK;
}

int cli_load_model_table(kr_table **out, const kr_model *m, const char *extra_key,
                         const char *source, cli_read *r)
{
    size_t count = 0;
    const kr_str *model_keys = kr_model_property_keys(m, &count);
    kr_str keys[KR_TABLE_MAX_PROPERTY_KEYS];
    if (count > KR_TABLE_MAX_PROPERTY_KEYS - 1) /* the model reader caps it lower */
        count = KR_TABLE_MAX_PROPERTY_KEYS - 1;
    if (count)
        memcpy(keys, model_keys, count * sizeof *keys);
    if (extra_key)
        keys[count++] = kr_str_from_cstr(extra_key);
    return cli_load_table_props(out, source, r, keys, count);
}

int cli_load_source(kr_model **m, kr_table **t, const char *command, bool want_model,
                    const cli_model_args *a, const char *extra_key, const char *source, cli_read *r)
{
    *m = NULL;
    if (a->path && a->template_name)
        return cli_usage_error(command, "give --model or --template, not both");
    if (want_model) {
        char used[256];
        int exit_code =
            cli_load_model(m, command, a->path, a->template_name, a->lang, used, sizeof used);
        return exit_code ? exit_code : cli_load_model_table(t, *m, extra_key, source, r);
    }
    kr_str key = kr_str_from_cstr(extra_key ? extra_key : "");
    return cli_load_table_props(t, source, r, extra_key ? &key : NULL, extra_key ? 1 : 0);
}

const char *cli_duration(char *buf, size_t len, int64_t ms)
{
    int64_t s = ms / 1000;
    if (s < 60)
        snprintf(buf, len, "%" PRId64 "s", s);
    else if (s < 3600)
        snprintf(buf, len, "%" PRId64 "m %" PRId64 "s", s / 60, s % 60);
    else if (s < 86400)
        snprintf(buf, len, "%" PRId64 "h %" PRId64 "m", s / 3600, s / 60 % 60);
    else
        snprintf(buf, len, "%" PRId64 "d %" PRId64 "h", s / 86400, s / 3600 % 24);
    return buf;
}
