/*
 * cmd_import.c - klantreis import FILE... : files into the store.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: klantreis import [OPTIONS] FILE...\n\n"
    "Reads CSV or JSONL files (flat objects or Segment messages; '-' is standard input) into\n"
    "the store. Each row is validated; a bad row is reported with its file, line, field and\n"
    "reason and left out, the good rows are kept. Importing the same file again adds nothing.\n\n"
    "CSV header: timestamp,anonymous_id,user_id,account_id,event,channel,device,value,score,\n"
    "score_scale (optional: type, previous_id, event_id); any other column is a property.\n\n"
    "options:\n" CLI_READ_HELP
    "  --rejects FILE        write every rejected row to FILE (CSV: line,file,field,reason,raw)\n"
    "  --max-errors N        stop a file after N rejected rows and exit 2 (default: no limit)\n"
    "  --batch N             events per transaction (default 50000)\n"
    "  --pseudonymise FILE   store a keyed hash (\"p:\" + 22 characters) of every id instead of\n"
    "                        the id: anonymous_id, user_id, previous_id, account_id; the key is\n"
    "                        derived from FILE's bytes (16 or more; see docs/privacy.md)\n"
    "  -v, --verbose         after each committed transaction: 'FILE: N committed' on stderr\n"
    "  -q, --quiet           no summary lines\n"
    "  -h, --help            this help\n\n"
    "exit codes: 0 ok (rejected rows alone do not fail an import), 1 usage, 2 a file could\n"
    "not be read, --max-errors was exceeded, a file had no good rows, or the store failed.\n";

enum { OPT_REJECTS = CLI_OPT_FIRST_FREE, OPT_MAX_ERRORS, OPT_BATCH, OPT_PSEUDONYMISE };

static int parse_count(const char *arg, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || arg[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* Rejects and progress share the import's one payload. */
typedef struct import_ui {
    cli_rejects *rejects;
    cli_progress progress;
    const char *file; /* with --verbose: named in the commit lines */
} import_ui;

/* --verbose: one line per commit, flushed at once, so that a test that kills the importer
   knows which events were acknowledged (docs/durability.md). */
static void ui_commit(uint64_t imported, void *payload)
{
    import_ui *ui = payload;
    if (!ui->file)
        return;
    cli_progress_done(&ui->progress);
    fprintf(stderr, "%s: %" PRIu64 " committed\n", ui->file, imported);
    fflush(stderr);
}

static void ui_reject(const kr_reject *rej, void *payload)
{
    import_ui *ui = payload;
    cli_progress_done(&ui->progress);
    cli_rejects_report(rej, ui->rejects);
}

static void ui_progress(uint64_t done, uint64_t total, void *payload)
{
    import_ui *ui = payload;
    cli_progress_update(done, total, &ui->progress);
}

int cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"rejects", required_argument, NULL, OPT_REJECTS},
        {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"pseudonymise", required_argument, NULL, OPT_PSEUDONYMISE},
        {"pseudonymize", required_argument, NULL, OPT_PSEUDONYMISE},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    kr_import_options o = KR_IMPORT_OPTIONS_INIT;
    const char *rejects_path = NULL, *secret_path = NULL;
    bool quiet = false, verbose = false;
    kr_pseudo_key pseudo_key;
    int exit_code = KR_EXIT_OK, opt;
    kr_store *store = NULL;
    cli_rejects rej = {NULL, 0, 10, 0};
    optind = 0;
    while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        uint64_t n;
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case 'q':
            quiet = true;
            break;
        case 'v':
            verbose = true;
            break;
        case OPT_PSEUDONYMISE:
            secret_path = optarg;
            break;
        case OPT_REJECTS:
            rejects_path = optarg;
            break;
        case OPT_MAX_ERRORS:
            if (parse_count(optarg, &o.max_errors) < 0) {
                exit_code = cli_usage_error("import", "--max-errors takes a number");
                goto done;
            }
            break;
        case OPT_BATCH:
            if (parse_count(optarg, &n) < 0 || n == 0 || n > 10000000) {
                exit_code = cli_usage_error("import", "--batch takes a number 1..10000000");
                goto done;
            }
            o.batch_size = (size_t)n;
            break;
        case '?':
            exit_code = cli_usage_error("import", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (optind >= argc) {
        exit_code = cli_usage_error("import", "name at least one FILE");
        goto done;
    }
    if (secret_path) {
        char err[600];
        if (kr_pseudo_key_load(&pseudo_key, secret_path, err, sizeof err) < 0) {
            fprintf(stderr, "klantreis import: --pseudonymise %s\n", err);
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        o.pseudonymise = &pseudo_key;
    }
    if (rejects_path) {
        rej.file = fopen(rejects_path, "w");
        if (!rej.file) {
            fprintf(stderr, "klantreis import: cannot write %s\n", rejects_path);
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        fputs("line,file,field,reason,raw\n", rej.file);
    }
    if (kr_store_open(&store, rd.db, NULL) < 0) {
        fprintf(stderr, "klantreis import: %s\n", kr_store_errmsg(store));
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    kr_import_stats total = {0, 0, 0, 0};
    for (int i = optind; i < argc; i++) {
        import_ui ui = {&rej, {NULL, false, 0}, verbose ? argv[i] : NULL};
        cli_progress_init(&ui.progress, argv[i]);
        o.read = rd.read;
        o.on_reject = ui_reject;
        o.on_progress = ui_progress;
        o.on_commit = ui_commit;
        o.payload = &ui;
        kr_import_stats st;
        char err[600];
        int rc = kr_import_file(store, argv[i], &o, &st, err, sizeof err);
        cli_progress_done(&ui.progress);
        total.read += st.read;
        total.imported += st.imported;
        total.duplicates += st.duplicates;
        total.rejected += st.rejected;
        if (rc < 0) {
            fprintf(stderr, "klantreis import: %s\n", err);
            exit_code = KR_EXIT_INPUT;
        } else if (st.rejected > 0 && st.imported + st.duplicates == 0) {
            fprintf(stderr, "klantreis import: %s: no good rows\n", argv[i]);
            exit_code = KR_EXIT_INPUT;
        }
        if (!quiet)
            printf("%s: %" PRIu64 " read, %" PRIu64 " imported, %" PRIu64 " duplicates, %" PRIu64
                   " rejected\n",
                   argv[i], st.read, st.imported, st.duplicates, st.rejected);
    }
    cli_rejects_summary(&rej);
    if (!quiet && argc - optind > 1)
        printf("total: %" PRIu64 " read, %" PRIu64 " imported, %" PRIu64 " duplicates, %" PRIu64
               " rejected\n",
               total.read, total.imported, total.duplicates, total.rejected);
done:
    memset(&pseudo_key, 0, sizeof pseudo_key);
    if (rej.file && fclose(rej.file) != 0 && exit_code == KR_EXIT_OK)
        exit_code = KR_EXIT_INPUT;
    kr_store_free(store);
    cli_read_finish(&rd);
    return exit_code;
}
