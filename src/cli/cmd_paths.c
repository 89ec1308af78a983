/*
 * cmd_paths.c - klantreis paths [SOURCE]: the most common paths (sequences of events, channels
 * or touchpoints) of persons or sessions, and their step-to-step transitions as Sankey data.
 * A thin client of kr_paths_run (src/engine/paths.c) and kr_paths_to_json.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_model.h"
#include "klantreis/paths.h"

static const char help[] =
    "usage: klantreis paths [OPTIONS] [SOURCE]\n\n"
    "The most common paths: the sequence of a person's (or a session's) events, channels or\n"
    "touchpoints, consecutive repeats collapsed into one step, cut to --depth steps; with the\n"
    "share of persons (sessions) per path and, in JSON, the transitions from step k to k+1 as\n"
    "Sankey data. See docs/paths.md. SOURCE is a CSV/JSONL file or a store; without SOURCE,\n"
    "the store (--db).\n\n"
    "options:\n"
    "  --of W                event (default), channel (events without one are skipped) or\n"
    "                        touchpoint (of the journey model; events matching none are skipped)\n"
    "  --per U               person (default) or session\n"
    "  --session-gap D       with --per session: a gap of more than D starts a new session\n"
    "                        (default 30m)\n"
    "  --from X              the path starts at the first step X (units without X are left out)\n"
    "  --to Y                the path ends at the first step Y after the start (units that never\n"
    "                        reach Y are left out); without --from, the last --depth steps\n"
    "                        leading to Y are kept\n"
    "  --after-drop-off N    with --steps: only the units that reached funnel step N and not\n"
    "                        N+1 (in order, no window), from the step that reached N\n"
    "  --steps A,B,C         the funnel steps of --after-drop-off (values like the path's)\n"
    "  --sankey              with table or csv: the transitions (Sankey links) instead of\n"
    "                        the paths: step, source, target, units (JSON has both)\n"
    "  --depth K             steps per path, 1 to 32 (default 5); longer paths are cut\n"
    "  --top N               paths listed, 1 to 1000 (default 10)\n"
    "  --timing              print the analysis' time and ns per event on stderr\n"
    "  --format F            table, csv or json (default: table on a terminal, else "
    "json)\n" CLI_MODEL_HELP CLI_READ_HELP "  -h, --help            this help\n\n"
    "exit codes: 0 ok, 1 usage, 2 input error, 3 invalid model or query.\n";

enum {
    OPT_OF = CLI_OPT_FIRST_FREE,
    OPT_PER,
    OPT_GAP,
    OPT_FROM,
    OPT_TO,
    OPT_DEPTH,
    OPT_TOP,
    OPT_FORMAT,
    OPT_MODEL,
    OPT_TEMPLATE,
    OPT_LANG,
    OPT_TIMING,
    OPT_STEPS,
    OPT_DROP,
    OPT_SANKEY,
};

/* "klantreis CMD: N events in X ms: Y ns/event" on stderr. */
static void timing_line(const char *cmd, const struct timespec *t0, const struct timespec *t1,
                        uint64_t events)
{
    double ns = (double)(t1->tv_sec - t0->tv_sec) * 1e9 + (double)(t1->tv_nsec - t0->tv_nsec);
    fprintf(stderr, "klantreis %s: %" PRIu64 " events in %.1f ms: %.2f ns/event\n", cmd, events,
            ns / 1e6, events ? ns / (double)events : 0.0);
}

static void print_path(const kr_paths_path *p, const char *sep)
{
    for (size_t k = 0; k < p->len; k++)
        printf("%s%.*s", k ? sep : "", (int)p->steps[k].len, p->steps[k].ptr);
}

static void print_table(const kr_paths_result *r, const kr_paths_options *o)
{
    const char *unit = r->per == KR_PATHS_PER_SESSION ? "sessions" : "persons";
    printf("%s with a path: %" PRIu64 ", distinct paths: %" PRIu64 "\n\n", unit, r->units,
           r->distinct);
    printf("%4s %10s %7s  path (%s, at most %zu steps)\n", "#", unit, "share",
           kr_paths_of_name(o->of), o->depth);
    for (size_t i = 0; i < r->path_count; i++) {
        const kr_paths_path *p = &r->paths[i];
        printf("%4zu %10" PRIu64 " %6.1f%%  ", i + 1, p->count, 100.0 * p->share);
        print_path(p, " > ");
        putchar('\n');
    }
}

static void print_csv(const kr_paths_result *r)
{
    printf("rank,%s,share,steps,path\n", r->per == KR_PATHS_PER_SESSION ? "sessions" : "persons");
    for (size_t i = 0; i < r->path_count; i++) {
        const kr_paths_path *p = &r->paths[i];
        printf("%zu,%" PRIu64 ",%.6f,%zu,", i + 1, p->count, p->share, p->len);
        /* the steps joined by " > " as one field */
        size_t len = 0;
        for (size_t k = 0; k < p->len; k++)
            len += p->steps[k].len + 3;
        char *buf = malloc(len + 1);
        if (!buf)
            return;
        size_t n = 0;
        for (size_t k = 0; k < p->len; k++) {
            if (k) {
                memcpy(buf + n, " > ", 3);
                n += 3;
            }
            if (p->steps[k].len)
                memcpy(buf + n, p->steps[k].ptr, p->steps[k].len);
            n += p->steps[k].len;
        }
        cli_csv_field(stdout, (kr_str){buf, n});
        free(buf);
        putchar('\n');
    }
}

/* The Sankey links: steps numbered from 1 here, as a person would count them. */
static void print_links(const kr_paths_result *r, bool csv)
{
    const char *unit = r->per == KR_PATHS_PER_SESSION ? "sessions" : "persons";
    if (csv)
        printf("step,source,target,%s\n", unit);
    else
        printf("%4s  %-24s %-24s %10s\n", "step", "from", "to", unit);
    for (size_t i = 0; i < r->link_count; i++) {
        const kr_paths_link *l = &r->links[i];
        if (csv) {
            printf("%" PRIu32 ",", l->step + 1);
            cli_csv_field(stdout, l->source);
            putchar(',');
            cli_csv_field(stdout, l->target);
            printf(",%" PRIu64 "\n", l->value);
        } else {
            printf("%4" PRIu32 "  %-24.*s %-24.*s %10" PRIu64 "\n", l->step + 1, (int)l->source.len,
                   l->source.ptr, (int)l->target.len, l->target.ptr, l->value);
        }
    }
}

static int parse_count(const char *arg, long lo, long hi, size_t *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < lo || v > hi)
        return -1;
    *out = (size_t)v;
    return 0;
}

int cmd_paths(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"of", required_argument, NULL, OPT_OF},
        {"per", required_argument, NULL, OPT_PER},
        {"session-gap", required_argument, NULL, OPT_GAP},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"depth", required_argument, NULL, OPT_DEPTH},
        {"top", required_argument, NULL, OPT_TOP},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"timing", no_argument, NULL, OPT_TIMING},
        {"steps", required_argument, NULL, OPT_STEPS},
        {"after-drop-off", required_argument, NULL, OPT_DROP},
        {"sankey", no_argument, NULL, OPT_SANKEY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    const char *model_path = NULL, *template_name = NULL, *lang = NULL;
    int exit_code = KR_EXIT_OK, opt;
    bool timing = false, sankey = false, gap_given = false;
    char *steps_arg = NULL;
    const char *steps[KR_PATHS_MAX_STEPS];
    kr_table *t = NULL;
    kr_model *m = NULL;
    kr_model_match *mm = NULL;
    kr_str *tag_names = NULL;
    kr_paths_result r = {0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_OF:
            if (kr_paths_of_parse(&o.of, optarg) < 0) {
                exit_code = cli_usage_error("paths", "--of takes event, channel or touchpoint");
                goto done;
            }
            break;
        case OPT_PER:
            if (strcmp(optarg, "person") == 0) {
                o.per = KR_PATHS_PER_PERSON;
            } else if (strcmp(optarg, "session") == 0) {
                o.per = KR_PATHS_PER_SESSION;
            } else {
                exit_code = cli_usage_error("paths", "--per takes person or session");
                goto done;
            }
            break;
        case OPT_GAP:
            if (kr_duration_parse(&o.session_gap_ms, kr_str_from_cstr(optarg)) < 0 ||
                o.session_gap_ms < 0) {
                exit_code = cli_usage_error("paths", "--session-gap takes a duration: 30m, 1h");
                goto done;
            }
            gap_given = true;
            break;
        case OPT_FROM:
            o.from = optarg;
            break;
        case OPT_TO:
            o.to = optarg;
            break;
        case OPT_DEPTH:
            if (parse_count(optarg, 1, KR_PATHS_MAX_DEPTH, &o.depth) < 0) {
                exit_code = cli_usage_error("paths", "--depth takes a number from 1 to %d",
                                            KR_PATHS_MAX_DEPTH);
                goto done;
            }
            break;
        case OPT_TOP:
            if (parse_count(optarg, 1, KR_PATHS_MAX_TOP, &o.top) < 0) {
                exit_code =
                    cli_usage_error("paths", "--top takes a number from 1 to %d", KR_PATHS_MAX_TOP);
                goto done;
            }
            break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("paths", "--format takes table, csv or json");
                goto done;
            }
            break;
        case OPT_MODEL:
            model_path = optarg;
            break;
        case OPT_TEMPLATE:
            template_name = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_TIMING:
            timing = true;
            break;
        case OPT_STEPS:
            free(steps_arg);
            if (!(steps_arg = strdup(optarg))) {
                fprintf(stderr, "klantreis paths: out of memory\n");
                exit_code = KR_EXIT_INPUT;
                goto done;
            }
            break;
        case OPT_SANKEY:
            sankey = true;
            break;
        case OPT_DROP:
            if (parse_count(optarg, 1, KR_PATHS_MAX_STEPS - 1, &o.after_drop_off) < 0) {
                exit_code = cli_usage_error("paths", "--after-drop-off takes a step number from 1");
                goto done;
            }
            break;
        case '?':
            exit_code = cli_usage_error("paths", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind > 1) {
        exit_code = cli_usage_error("paths", "at most one SOURCE");
        goto done;
    }
    if (model_path && template_name) {
        exit_code = cli_usage_error("paths", "give --model or --template, not both");
        goto done;
    }
    if ((model_path || template_name) && o.of != KR_PATHS_OF_TOUCHPOINT) {
        exit_code = cli_usage_error("paths", "--model and --template go with --of touchpoint");
        goto done;
    }
    if (gap_given && o.per != KR_PATHS_PER_SESSION) {
        exit_code = cli_usage_error("paths", "--session-gap goes with --per session");
        goto done;
    }
    if (!steps_arg != !o.after_drop_off) {
        exit_code = cli_usage_error("paths", "--after-drop-off N and --steps A,B,C go together");
        goto done;
    }
    if (steps_arg) {
        /* split in place: steps point into steps_arg */
        for (char *p = steps_arg; p;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            if (o.step_count == KR_PATHS_MAX_STEPS) {
                exit_code = cli_usage_error("paths", "at most %d steps", KR_PATHS_MAX_STEPS);
                goto done;
            }
            steps[o.step_count++] = p;
            p = comma ? comma + 1 : NULL;
        }
        o.steps = steps;
        if (o.after_drop_off >= o.step_count) {
            exit_code = cli_usage_error("paths",
                                        "--after-drop-off %zu: give a step before the "
                                        "last of the %zu steps",
                                        o.after_drop_off, o.step_count);
            goto done;
        }
        if (o.from || o.to) {
            exit_code = cli_usage_error("paths", "--after-drop-off goes without --from and --to");
            goto done;
        }
    }
    const char *source = optind < argc ? argv[optind] : NULL;
    if (o.of == KR_PATHS_OF_TOUCHPOINT) {
        char used[256];
        if ((exit_code = cli_load_model(&m, "paths", model_path, template_name, lang, used,
                                        sizeof used)) != 0 ||
            (exit_code = cli_load_model_table(&t, m, NULL, source, &rd)) != 0)
            goto done;
        const kr_model_info *info = kr_model_get(m);
        tag_names = malloc((info->touchpoint_count + 1) * sizeof *tag_names);
        if (!tag_names || kr_model_match_new(&mm, m, t) < 0) {
            fprintf(stderr, "klantreis paths: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        /* touchpoints are named by their ids: stable, and what --from and --to take */
        for (size_t i = 0; i < info->touchpoint_count; i++)
            tag_names[i] = info->touchpoints[i].id;
        o.tags = kr_model_match_events(mm);
        o.tag_names = tag_names;
        o.tag_count = info->touchpoint_count;
    } else if ((exit_code = cli_load_table(&t, source, &rd)) != 0) {
        goto done;
    }
    char err[256];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = kr_paths_run(&r, t, &o, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (timing && rc == KR_OK)
        timing_line("paths", &t0, &t1, r.events_scanned);
    if (rc < 0) {
        fprintf(stderr, "klantreis paths: %s\n", err);
        exit_code = rc == KR_EINVAL ? KR_EXIT_MODEL : KR_EXIT_INPUT;
        goto done;
    }
    if (format == CLI_FORMAT_JSON) {
        char *json = kr_paths_to_json(&r, &o, true);
        if (!json) {
            fprintf(stderr, "klantreis paths: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        printf("%s\n", json);
        free(json);
    } else if (sankey) {
        print_links(&r, format == CLI_FORMAT_CSV);
    } else if (format == CLI_FORMAT_CSV) {
        print_csv(&r);
    } else {
        print_table(&r, &o);
    }
done:
    kr_paths_result_finish(&r);
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
    free(tag_names);
    free(steps_arg);
    cli_read_finish(&rd);
    return exit_code;
}
