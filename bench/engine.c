/*
 * engine.c - kr_bench_engine: the analyses alone on a loaded table, best of several runs, so
 * that their cost is not lost in the noise of a whole command (loading dominates that).
 *
 *     kr_bench_engine bench/out/events-10M.csv [--runs 7]
 *
 * Loads the file once (and reports the load), then times, on the same table: the 3-step
 * funnel (product_view, add_to_cart, purchase; 1 day), paths per person and per session,
 * sessions, phases (five-phases template), retention (weekly, account_created -> purchase),
 * and prints ms, ns per event, and the ratio to the funnel. Figures go into
 * bench/RESULTS.md; nothing here is a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "klantreis/klantreis.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct ctx {
    const kr_table *t;
    const kr_model *m;
    const kr_model_match *mm;
} ctx;

static int run_funnel(const ctx *c)
{
    static const char *steps[] = {"product_view", "add_to_cart", "purchase"};
    kr_funnel_options o = KR_FUNNEL_OPTIONS_INIT;
    o.steps = steps;
    o.step_count = 3;
    o.window_ms = 86400000;
    kr_funnel_result r;
    char err[128];
    int rc = kr_funnel_run(&r, c->t, &o, err, sizeof err);
    kr_funnel_result_finish(&r);
    return rc;
}

static int run_paths(const ctx *c, bool sessions)
{
    kr_paths_options o = KR_PATHS_OPTIONS_INIT;
    o.per = sessions ? KR_PATHS_PER_SESSION : KR_PATHS_PER_PERSON;
    kr_paths_result r;
    char err[128];
    int rc = kr_paths_run(&r, c->t, &o, err, sizeof err);
    kr_paths_result_finish(&r);
    return rc;
}

static int run_paths_person(const ctx *c)
{
    return run_paths(c, false);
}

static int run_paths_session(const ctx *c)
{
    return run_paths(c, true);
}

static int run_sessions(const ctx *c)
{
    kr_sessions_options o = KR_SESSIONS_OPTIONS_INIT;
    kr_sessions_result r;
    int rc = kr_sessions_run(&r, c->t, &o);
    kr_sessions_result_finish(&r);
    return rc;
}

static int run_phases(const ctx *c)
{
    kr_phases_options o = KR_PHASES_OPTIONS_INIT;
    kr_phases_result r;
    int rc = kr_phases_run(&r, c->t, c->m, c->mm, &o);
    kr_phases_finish(&r);
    return rc;
}

static int run_retention(const ctx *c)
{
    kr_retention_options o = KR_RETENTION_OPTIONS_INIT;
    o.start_event = "account_created";
    o.return_event = "purchase";
    kr_retention_result r;
    char err[128];
    int rc = kr_retention_run(&r, c->t, &o, err, sizeof err);
    kr_retention_result_finish(&r);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fprintf(stderr, "usage: kr_bench_engine EVENTS.csv [--runs N]\n");
        return argc < 2 ? 1 : 0;
    }
    int runs = argc > 3 && strcmp(argv[2], "--runs") == 0 ? (int)strtol(argv[3], NULL, 10) : 7;
    if (runs < 1)
        runs = 1;
    kr_read_options ro = KR_READ_OPTIONS_INIT;
    kr_table *t = NULL;
    kr_load_stats st;
    double t0 = now_ms();
    if (kr_table_load_file(&t, argv[1], &ro, NULL, NULL, &st) < 0) {
        fprintf(stderr, "kr_bench_engine: %s\n", kr_table_errmsg(t));
        kr_table_free(t);
        return 2;
    }
    double load_ms = now_ms() - t0;
    kr_table_columns cols;
    kr_table_get_columns(t, &cols);
    char *yaml = NULL;
    kr_model *m = NULL;
    kr_model_match *mm = NULL;
    t0 = now_ms();
    if (kr_model_template(&yaml, "five-phases", "en") < 0 ||
        kr_model_load_string(&m, yaml, strlen(yaml), "five-phases") < 0 ||
        kr_model_match_new(&mm, m, t) < 0) {
        fprintf(stderr, "kr_bench_engine: the five-phases template did not load\n");
        return 2;
    }
    double match_ms = now_ms() - t0;
    ctx c = {t, m, mm};
    printf("%zu events, %u persons; load %.0f ms (%.0f ns/event), %.1f bytes/event in columns;"
           " model match %.1f ms\n\n",
           cols.count, cols.person_count, load_ms, load_ms * 1e6 / (double)cols.count,
           (double)kr_table_event_bytes(t) / (double)cols.count, match_ms);
    static const struct {
        const char *name;
        int (*fn)(const ctx *);
    } jobs[] = {
        {"funnel (3 steps, 1 day)", run_funnel},       {"paths per person", run_paths_person},
        {"paths per session", run_paths_session},      {"sessions", run_sessions},
        {"phases (five-phases, matched)", run_phases}, {"retention (weekly)", run_retention},
    };
    double funnel_ms = 0;
    printf("%-32s %10s %10s %10s\n", "analysis", "best ms", "ns/event", "x funnel");
    for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
        double best = 1e300;
        for (int r = 0; r < runs; r++) {
            double a = now_ms();
            if (jobs[j].fn(&c) < 0) {
                fprintf(stderr, "kr_bench_engine: %s failed\n", jobs[j].name);
                return 2;
            }
            double d = now_ms() - a;
            if (d < best)
                best = d;
        }
        if (j == 0)
            funnel_ms = best;
        printf("%-32s %10.1f %10.2f %10.2f\n", jobs[j].name, best, best * 1e6 / (double)cols.count,
               best / funnel_ms);
    }
    kr_model_match_free(mm);
    kr_model_free(m);
    free(yaml);
    kr_table_free(t);
    return 0;
}
