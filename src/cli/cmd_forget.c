/*
 * cmd_forget.c - klantreis forget PERSON_OR_ID: erasure of one person from the store (GDPR
 * art. 17). The id is resolved to its person by identity stitching over the whole store, then
 * kr_store_forget deletes every event of every id of that person, logs the erasure (counts
 * only) and rewrites the files so the bytes are gone.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char help[] =
    "usage: klantreis forget [OPTIONS] PERSON_OR_ID\n\n"
    "Erases a person from the store: the person that ID (any anonymous id, user id or earlier\n"
    "id) belongs to after identity stitching, with every event that carries any of their ids\n"
    "(aliases that link them included). The store logs that an erasure happened (time and\n"
    "counts, never the ids), then VACUUM and a WAL checkpoint remove the deleted bytes from\n"
    "the database files. Files you imported from, --rejects files and backups are not touched.\n\n"
    "options:\n"
    "  --db PATH             the store (default $KLANTREIS_DB or ./klantreis.db)\n"
    "  --pseudonymise FILE   ID is a raw id: forget its pseudonym under this secret (for a\n"
    "                        store imported with import --pseudonymise FILE)\n"
    "  -q, --quiet           no summary line\n"
    "  -h, --help            this help\n\n"
    "exit codes: 0 erased, 1 usage, 2 store error, 3 no person with that id (nothing erased).\n";

int cmd_forget(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, CLI_OPT_DB},
        {"pseudonymise", required_argument, NULL, CLI_OPT_FIRST_FREE},
        {"pseudonymize", required_argument, NULL, CLI_OPT_FIRST_FREE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    int exit_code = KR_EXIT_OK, opt;
    bool quiet = false;
    kr_store *store = NULL;
    kr_table *t = NULL;
    kr_str *ids = NULL;
    const char *secret_path = NULL;
    char pseudonym[KR_PSEUDONYM_SIZE];
    optind = 0;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case 'q':
            quiet = true;
            break;
        case CLI_OPT_FIRST_FREE:
            secret_path = optarg;
            break;
        case '?':
            exit_code = cli_usage_error("forget", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind != 1 || !argv[optind][0]) {
        exit_code = cli_usage_error("forget", "name one PERSON_OR_ID");
        goto done;
    }
    const char *id = argv[optind];
    if (secret_path) {
        if ((exit_code = cli_pseudonym(pseudonym, "forget", secret_path, id)) != 0)
            goto done;
        id = pseudonym;
    }
    struct stat sb;
    const char *path = strncmp(rd.db, "sqlite:", 7) == 0 ? rd.db + 7 : rd.db;
    if (stat(path, &sb) != 0) { /* opening would create an empty store */
        fprintf(stderr, "klantreis forget: no store at %s\n", path);
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    if (kr_store_open(&store, rd.db, NULL) < 0 || kr_store_load_table(store, &t) < 0) {
        fprintf(stderr, "klantreis forget: %s\n", kr_store_errmsg(store));
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    uint32_t p;
    if (kr_table_find_person(t, kr_str_from_cstr(id), &p) < 0) {
        /* Perhaps an earlier forget of this person was interrupted after its delete: finish
           it, so that running forget again always leaves no bytes behind. */
        bool finished = false;
        if (kr_store_finish_erasures(store, &finished) < 0) {
            fprintf(stderr, "klantreis forget: %s\n", kr_store_errmsg(store));
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        if (finished && !quiet)
            printf("finished an interrupted erasure (VACUUM and WAL checkpoint)\n");
        fprintf(stderr, "klantreis forget: no person with id '%s' in %s: nothing erased\n", id,
                rd.db);
        exit_code = KR_EXIT_MODEL;
        goto done;
    }
    const uint32_t *codes;
    size_t n = kr_table_person_ids(t, p, &codes);
    ids = calloc(n ? n : 1, sizeof *ids);
    if (!ids) {
        fprintf(stderr, "klantreis forget: out of memory\n");
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = kr_table_dict_get(t, KR_DICT_ID, codes[i]);
    uint64_t deleted = 0;
    if (kr_store_forget(store, ids, n, &deleted) < 0) {
        fprintf(stderr, "klantreis forget: %s\n", kr_store_errmsg(store));
        exit_code = KR_EXIT_INPUT;
        goto done;
    }
    if (!quiet)
        printf("forgot 1 person: %zu ids, %" PRIu64 " events\n", n, deleted);
done:
    free(ids);
    kr_table_free(t);
    kr_store_free(store);
    cli_read_finish(&rd);
    return exit_code;
}
