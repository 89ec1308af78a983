/*
 * cli_groups.c - --per account and --by persona over any analysis (see cli_groups.h).
 *
 * The analysis prints as it always does; for a breakdown its standard output is captured per
 * group (a temporary file under stdout's descriptor) and re-emitted inside the grouping, so
 * the analyses need no grouping code of their own.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_groups.h"

int cli_groups_per(cli_groups *g, const char *command, const char *arg)
{
    if (strcmp(arg, "person") == 0)
        g->per_account = false;
    else if (strcmp(arg, "account") == 0)
        g->per_account = true;
    else
        return cli_usage_error(command, "--per takes person or account");
    return 0;
}

int cli_groups_by(cli_groups *g, const char *command, const char *arg)
{
    if (strcmp(arg, "persona") != 0)
        return cli_usage_error(command, "--by takes persona");
    g->by_persona = true;
    return 0;
}

int cli_capture(cli_analysis fn, const kr_table *t, void *payload, char **text, int *exit_code)
{
    *text = NULL;
    fflush(stdout);
    FILE *tmp = tmpfile();
    int saved = dup(STDOUT_FILENO);
    if (!tmp || saved < 0 || dup2(fileno(tmp), STDOUT_FILENO) < 0) {
        if (tmp)
            fclose(tmp);
        if (saved >= 0)
            close(saved);
        return -1;
    }
    *exit_code = fn(t, payload);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    long len = ftell(tmp);
    char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
    rewind(tmp);
    if (!buf || fread(buf, 1, (size_t)len, tmp) != (size_t)len) {
        free(buf);
        fclose(tmp);
        return -1;
    }
    buf[len] = '\0';
    fclose(tmp);
    *text = buf;
    return 0;
}

/* Writes one group's captured output in the grouping of format. */
static void emit(cli_format format, kr_str key, uint64_t persons, char *text, bool first)
{
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
        text[--len] = '\0';
    if (format == CLI_FORMAT_JSON) {
        json_t *k = json_stringn(key.ptr ? key.ptr : "", key.len);
        char *ks = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
        printf("%s    {\"key\": %s, \"persons\": %llu, \"result\": %s}", first ? "" : ",\n",
               ks ? ks : "\"\"", (unsigned long long)persons, len ? text : "null");
        free(ks);
        json_decref(k);
    } else if (format == CLI_FORMAT_CSV) {
        char *line = text, *next;
        bool header = true;
        for (; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            if (header) {
                if (first)
                    printf("persona,%s\n", line);
            } else {
                cli_csv_field(stdout, key);
                printf(",%s\n", line);
            }
            header = false;
        }
    } else {
        printf("%s== persona: %.*s (%llu persons)\n%s\n", first ? "" : "\n",
               key.len ? (int)key.len : 6, key.len ? key.ptr : "(none)",
               (unsigned long long)persons, text);
    }
}

int cli_groups_run(const cli_groups *g, const char *command, kr_table **t, const kr_model *m,
                   cli_format format, cli_analysis fn, void *payload)
{
    if (g->has_as_of) {
        kr_table *until;
        if (kr_table_select(&until, *t, NULL, g->as_of_ms) < 0) {
            fprintf(stderr, "klantreis %s: out of memory applying --as-of\n", command);
            return KR_EXIT_INPUT;
        }
        kr_table_free(*t);
        *t = until;
    }
    if (g->per_account) {
        kr_table *accounts;
        if (kr_table_by_account(&accounts, *t) < 0) {
            fprintf(stderr, "klantreis %s: out of memory making the account table\n", command);
            return KR_EXIT_INPUT;
        }
        kr_table_free(*t);
        *t = accounts;
    }
    if (!g->by_persona || !m)
        return fn(*t, payload);

    kr_model_match *mm = NULL;
    kr_table_columns c;
    kr_table_get_columns(*t, &c);
    uint8_t *keep = malloc(c.person_count ? c.person_count : 1);
    if (!keep || kr_model_match_new(&mm, m, *t) < 0) {
        free(keep);
        fprintf(stderr, "klantreis %s: out of memory\n", command);
        return KR_EXIT_INPUT;
    }
    const kr_model_info *info = kr_model_get(m);
    const uint32_t *persona = kr_model_match_personas(mm);
    int exit_code = KR_EXIT_OK;
    bool first = true;
    if (format == CLI_FORMAT_JSON)
        printf("{\n  \"by\": \"persona\",\n  \"groups\": [\n");
    /* the personas in file order, then the persons no persona takes */
    for (size_t i = 0; i <= info->persona_count && exit_code == KR_EXIT_OK; i++) {
        uint64_t persons = 0;
        for (uint32_t p = 0; p < c.person_count; p++) {
            bool in = i < info->persona_count ? persona[p] == i : persona[p] >= info->persona_count;
            keep[p] = in;
            persons += in;
        }
        if (!persons)
            continue;
        kr_table *sub = NULL;
        char *text = NULL;
        int code = KR_EXIT_OK;
        if (kr_table_select_persons(&sub, *t, keep) < 0 ||
            cli_capture(fn, sub, payload, &text, &code) < 0) {
            fprintf(stderr, "klantreis %s: out of memory\n", command);
            exit_code = KR_EXIT_INPUT;
        } else {
            kr_str key = i < info->persona_count ? info->personas[i].id : KR_STR_NULL;
            emit(format, key, persons, text, first);
            first = false;
            exit_code = code;
        }
        free(text);
        kr_table_free(sub);
    }
    if (format == CLI_FORMAT_JSON)
        printf("\n  ]\n}\n");
    kr_model_match_free(mm);
    free(keep);
    return exit_code;
}

/* The fields of one CSV record starting at *p (RFC 4180 quoting), written into cells (each
   NUL-terminated, in place); advances *p past the record. Returns the field count. */
static size_t csv_record(char **p, char **cells, size_t max)
{
    size_t n = 0;
    char *r = *p;
    while (*r && n < max) {
        char *w = r, *start = r;
        if (*r == '"') {
            r++;
            for (;;) {
                if (!*r)
                    break;
                if (*r == '"' && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    *w++ = *r++;
                }
            }
        } else {
            while (*r && *r != ',' && *r != '\n')
                *w++ = *r++;
        }
        char end = *r;
        *w = '\0';
        cells[n++] = start;
        if (end == ',') {
            r++;
            continue;
        }
        if (end == '\n')
            r++;
        break;
    }
    *p = r;
    return n;
}

#define TABLE_MAX_COLUMNS 32
#define TABLE_MAX_WIDTH 40

void cli_print_csv_table(char *csv)
{
    /* two passes over the parsed records: widths, then the aligned rows */
    size_t widths[TABLE_MAX_COLUMNS] = {0}, rows = 0;
    char **cells = NULL;
    size_t *counts = NULL, cap = 0;
    for (char *p = csv; *p;) {
        if (rows == cap) {
            cap = cap ? cap * 2 : 64;
            char **nc = realloc(cells, cap * TABLE_MAX_COLUMNS * sizeof *nc);
            size_t *nn = realloc(counts, cap * sizeof *nn);
            if (nc)
                cells = nc;
            if (nn)
                counts = nn;
            if (!nc || !nn) {
                fputs(csv, stdout); /* out of memory: the CSV is still the answer */
                goto done;
            }
        }
        size_t n = csv_record(&p, cells + rows * TABLE_MAX_COLUMNS, TABLE_MAX_COLUMNS);
        counts[rows] = n;
        for (size_t k = 0; k < n; k++) {
            size_t w = strlen(cells[rows * TABLE_MAX_COLUMNS + k]);
            w = w > TABLE_MAX_WIDTH ? TABLE_MAX_WIDTH : w;
            widths[k] = w > widths[k] ? w : widths[k];
        }
        rows++;
    }
    for (size_t i = 0; i < rows; i++) {
        for (size_t k = 0; k < counts[i]; k++) {
            const char *v = cells[i * TABLE_MAX_COLUMNS + k];
            size_t len = strlen(v);
            bool cut = len > TABLE_MAX_WIDTH;
            bool last = k + 1 == counts[i]; /* no trailing blanks */
            printf("%s%-*.*s%s", k ? "  " : "",
                   last ? 0 : (int)(cut ? TABLE_MAX_WIDTH - 3 : widths[k]),
                   (int)(cut ? TABLE_MAX_WIDTH - 3 : len), v, cut ? "..." : "");
        }
        putchar('\n');
    }
done:
    free(cells);
    free(counts);
}
