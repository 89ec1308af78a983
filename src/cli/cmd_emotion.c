/*
 * cmd_emotion.c - klantreis emotion [SOURCE] [--model FILE]: NPS, CSAT, CES and emotion per
 * touchpoint and phase of the journey model (or per event name), with 95% intervals, the
 * expected emotion beside the measured one, and pain points. A thin client of kr_emotion_run
 * (src/engine/emotion.c) and kr_emotion_to_json.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_groups.h"
#include "cli_model.h"
#include "klantreis/emotion.h"

static const char help[] =
    "usage: klantreis emotion [OPTIONS] [SOURCE]\n\n"
    "How customers feel along the journey, from score events (surveys, reviews): NPS\n"
    "(promoters 9-10 minus detractors 0-6), CSAT (share of 4-5), CES (mean, 1-7) and one\n"
    "emotion scale -2..+2 that every score maps onto, with counts and 95% intervals. With a\n"
    "journey model (--model or --template): per touchpoint of the score event and per phase,\n"
    "beside the expected emotion (journey 1.0); without: per event name. Pain points: rows\n"
    "with low emotion and high drop-off after them. SOURCE is a CSV/JSONL file or a store;\n"
    "without SOURCE, the store (--db). Definitions: docs/emotion.md.\n\n"
    "options:\n"
    "  --model FILE          the journey model (per touchpoint and phase)\n"
    "  --template NAME       use a built-in model: five-phases, touch-tell-sell-care, b2b\n"
    "  --lang L              nl or en: the language of a --template\n"
    "  --top N               pain points listed (default 5)\n"
    "  --as-of DATE          leave out events after DATE (a plain date: after that "
    "day)\n" CLI_GROUPS_HELP
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid model.\n";

enum {
    OPT_MODEL = CLI_OPT_FIRST_FREE,
    OPT_TEMPLATE,
    OPT_LANG,
    OPT_TOP,
    OPT_FORMAT,
    OPT_PER,
    OPT_BY,
    OPT_AS_OF
};

static void cell(char *buf, size_t len, double v, const char *unit, double scale)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.1f%s", v * scale, unit);
}

static void ci(char *buf, size_t len, double lo, double hi, double scale)
{
    if (isnan(lo))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "[%.1f,%.1f]", lo * scale, hi * scale);
}

static void ci2(char *buf, size_t len, double lo, double hi)
{
    if (isnan(lo))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "[%.2f,%.2f]", lo, hi);
}

static void print_stats_cols(const kr_emotion_stats *s)
{
    char a[32], b[40], d[32], e[40], f[32], g[32], h[40];
    cell(a, sizeof a, s->nps, "", 1);
    ci(b, sizeof b, s->nps_lo, s->nps_hi, 1);
    cell(d, sizeof d, s->csat, "%", 100);
    ci(e, sizeof e, s->csat_lo, s->csat_hi, 100);
    if (isnan(s->ces))
        snprintf(f, sizeof f, "-");
    else
        snprintf(f, sizeof f, "%.2f", s->ces);
    if (isnan(s->emotion))
        snprintf(g, sizeof g, "-");
    else
        snprintf(g, sizeof g, "%+.2f", s->emotion);
    ci2(h, sizeof h, s->emotion_lo, s->emotion_hi);
    printf(" %6" PRIu64 " %6s %-15s %6s %-13s %5s %6s %-13s", s->count, a, b, d, e, f, g, h);
}

static void print_table(const kr_emotion_result *r, const kr_model *m)
{
    const kr_model_info *info = m ? kr_model_get(m) : NULL;
    printf("%-22s %-14s %6s %6s %-15s %6s %-13s %5s %6s %-13s %8s %8s\n",
           r->by_touchpoint ? "touchpoint" : "event", "phase", "scores", "NPS", "95% CI", "CSAT",
           "95% CI", "CES", "emo", "95% CI", "expected", "drop-off");
    for (size_t i = 0; i < r->row_count; i++) {
        const kr_emotion_row *row = &r->rows[i];
        kr_str ph = info && row->phase >= 0 ? info->phases[row->phase].id : kr_str_from_cstr("");
        printf("%-22.*s %-14.*s", (int)(row->key.len > 22 ? 22 : row->key.len), row->key.ptr,
               (int)(ph.len > 14 ? 14 : ph.len), ph.ptr ? ph.ptr : "");
        print_stats_cols(&row->stats);
        char ex[16] = "-", dr[16] = "-";
        if (!isnan(row->expected))
            snprintf(ex, sizeof ex, "%+.1f", row->expected);
        if (!isnan(row->drop_off))
            snprintf(dr, sizeof dr, "%.1f%%", 100 * row->drop_off);
        printf(" %8s %8s\n", ex, dr);
    }
    printf("%-22s %-14s", "(all)", "");
    print_stats_cols(&r->total);
    putchar('\n');
    if (info && r->phase_count) {
        printf("\n%-37s %6s %6s %-15s %6s %-13s %5s %6s %-13s %8s\n", "phase", "scores", "NPS",
               "95% CI", "CSAT", "95% CI", "CES", "emo", "95% CI", "expected");
        for (size_t k = 0; k < r->phase_count; k++) {
            kr_str id = info->phases[r->phases[k].phase].id;
            printf("%-37.*s", (int)(id.len > 37 ? 37 : id.len), id.ptr);
            print_stats_cols(&r->phases[k].stats);
            char ex[16] = "-";
            if (!isnan(r->phases[k].expected))
                snprintf(ex, sizeof ex, "%+.1f", r->phases[k].expected);
            printf(" %8s\n", ex);
        }
    }
    printf("\npain points (pain = (2 - emotion)/4 x drop-off):\n");
    if (!r->pain_count)
        printf("  none\n");
    for (size_t i = 0; i < r->pain_count; i++) {
        const kr_emotion_row *row = &r->rows[r->pain[i]];
        printf("  %zu. %-22.*s emotion %+.2f, drop-off %.1f%%, pain %.3f\n", i + 1,
               (int)row->key.len, row->key.ptr, row->stats.emotion, 100 * row->drop_off, row->pain);
    }
}

static void csv_num(double v)
{
    if (isnan(v))
        fputs(",", stdout);
    else
        printf(",%.6f", v);
}

static void csv_stats(const kr_emotion_stats *s)
{
    printf(",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, s->count, s->nps_count,
           s->promoters, s->passives, s->detractors);
    csv_num(s->nps);
    csv_num(s->nps_lo);
    csv_num(s->nps_hi);
    printf(",%" PRIu64 ",%" PRIu64, s->csat_count, s->csat_satisfied);
    csv_num(s->csat);
    csv_num(s->csat_lo);
    csv_num(s->csat_hi);
    printf(",%" PRIu64, s->ces_count);
    csv_num(s->ces);
    csv_num(s->ces_lo);
    csv_num(s->ces_hi);
    csv_num(s->emotion);
    csv_num(s->emotion_lo);
    csv_num(s->emotion_hi);
}

/* One table: level (touchpoint/event, phase, all), key, phase, the stats, expected, drop-off,
   pain and the pain rank (empty when not a pain point). */
static void print_csv(const kr_emotion_result *r, const kr_model *m)
{
    const kr_model_info *info = m ? kr_model_get(m) : NULL;
    printf("level,key,phase,scores,nps_count,promoters,passives,detractors,nps,nps_lo,nps_hi,"
           "csat_count,csat_satisfied,csat,csat_lo,csat_hi,ces_count,ces,ces_lo,ces_hi,emotion,"
           "emotion_lo,emotion_hi,expected_emotion,persons,dropped,drop_off,pain,pain_rank\n");
    for (size_t i = 0; i < r->row_count; i++) {
        const kr_emotion_row *row = &r->rows[i];
        printf("%s,", r->by_touchpoint ? "touchpoint" : "event");
        cli_csv_field(stdout, row->key);
        putchar(',');
        if (info && row->phase >= 0)
            cli_csv_field(stdout, info->phases[row->phase].id);
        csv_stats(&row->stats);
        csv_num(row->expected);
        printf(",%" PRIu64 ",%" PRIu64, row->persons, row->dropped);
        csv_num(row->drop_off);
        csv_num(row->pain);
        putchar(',');
        for (size_t k = 0; k < r->pain_count; k++)
            if (r->pain[k] == i)
                printf("%zu", k + 1);
        putchar('\n');
    }
    for (size_t k = 0; info && k < r->phase_count; k++) {
        printf("phase,");
        cli_csv_field(stdout, info->phases[r->phases[k].phase].id);
        putchar(',');
        cli_csv_field(stdout, info->phases[r->phases[k].phase].id);
        csv_stats(&r->phases[k].stats);
        csv_num(r->phases[k].expected);
        printf(",,,,,\n");
    }
    printf("all,(all),");
    csv_stats(&r->total);
    printf(",,,,,,\n");
}

/* What one run of the analysis needs besides the table. */
typedef struct emotion_job {
    const kr_model *m;
    kr_emotion_options eo;
    cli_format format;
} emotion_job;

/* Matches the model on t (when there is one), runs the analysis and prints it. */
static int analyse(const kr_table *t, void *payload)
{
    const emotion_job *job = payload;
    kr_model_match *mm = NULL;
    kr_emotion_result res = {0};
    int exit_code = KR_EXIT_OK;
    if ((job->m && kr_model_match_new(&mm, job->m, t) < 0) ||
        kr_emotion_run(&res, t, job->m, mm, &job->eo) < 0) {
        fprintf(stderr, "klantreis emotion: out of memory\n");
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    if (res.total.count == 0)
        fprintf(stderr, "klantreis emotion: no score events with a scale (see --score-scale)\n");
    if (job->format == CLI_FORMAT_JSON) {
        char *json = kr_emotion_to_json(&res, job->m, true);
        if (!json) {
            fprintf(stderr, "klantreis emotion: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        printf("%s\n", json);
        free(json);
    } else if (job->format == CLI_FORMAT_CSV) {
        print_csv(&res, job->m);
    } else {
        print_table(&res, job->m);
    }
done:
    kr_emotion_finish(&res);
    kr_model_match_free(mm);
    return exit_code;
}

int cmd_emotion(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"top", required_argument, NULL, OPT_TOP},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"per", required_argument, NULL, OPT_PER},
        {"by", required_argument, NULL, OPT_BY},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_emotion_options eo = KR_EMOTION_OPTIONS_INIT;
    cli_model_args ma = {NULL, NULL, NULL};
    const char *as_of_arg = NULL;
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    kr_model *m = NULL;
    cli_groups groups = CLI_GROUPS_INIT;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_MODEL:
            ma.path = optarg;
            break;
        case OPT_TEMPLATE:
            ma.template_name = optarg;
            break;
        case OPT_LANG:
            ma.lang = optarg;
            break;
        case OPT_TOP: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 100) {
                exit_code = cli_usage_error("emotion", "--top takes a number from 1 to 100");
                goto done;
            }
            eo.top = (size_t)v;
            break;
        }
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("emotion", "--format takes table, csv or json");
                goto done;
            }
            break;
        case OPT_PER:
            if ((exit_code = cli_groups_per(&groups, "emotion", optarg)) != 0)
                goto done;
            break;
        case OPT_BY:
            if ((exit_code = cli_groups_by(&groups, "emotion", optarg)) != 0)
                goto done;
            break;
        case OPT_AS_OF:
            as_of_arg = optarg;
            break;
        case '?':
            exit_code = cli_usage_error("emotion", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("emotion", "at most one SOURCE");
        goto done;
    }
    if (as_of_arg && (groups.has_as_of = true) &&
        cli_parse_as_of(as_of_arg, &groups.as_of_ms, &rd) < 0) {
        exit_code = cli_usage_error("emotion", "--as-of takes a date or timestamp");
        goto done;
    }
    const char *source = optind < argc ? argv[optind] : NULL;
    if ((exit_code =
             cli_load_source(&m, &t, "emotion", ma.path || ma.template_name || groups.by_persona,
                             &ma, NULL, source, &rd)) != 0)
        goto done;
    emotion_job job = {m, eo, format};
    exit_code = cli_groups_run(&groups, "emotion", &t, m, format, analyse, &job);
done:
    kr_model_free(m);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
