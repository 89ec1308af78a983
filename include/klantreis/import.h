/*
 * klantreis/import.h - reads files into a store: validated, deduplicated, in batched
 * transactions, with every rejected row reported.
 *
 *     kr_import_options o = KR_IMPORT_OPTIONS_INIT;
 *     kr_import_stats st;
 *     int rc = kr_import_file(store, "events.csv", &o, &st);
 *     printf("%llu imported, %llu duplicates, %llu rejected\n", ...);
 *
 * Event ids: an event's key is its messageId / event_id when it has one; otherwise a 64-bit
 * hash of the record's bytes plus how many identical records came before it in the same
 * file ("h:<hex>" or "h:<hex>.<n>"). Re-importing a file therefore adds nothing, while two
 * genuinely identical rows stay two.
 */
#ifndef KLANTREIS_IMPORT_H
#define KLANTREIS_IMPORT_H

#include "privacy.h"
#include "reader.h"
#include "store.h"

typedef struct kr_import_stats {
    uint64_t read;       /* records seen: imported + duplicates + rejected */
    uint64_t imported;   /* new events, committed */
    uint64_t duplicates; /* events whose key was already stored */
    uint64_t rejected;   /* bad records */
} kr_import_stats;

typedef struct kr_import_options {
    kr_read_options read;
    size_t batch_size;   /* events per transaction */
    uint64_t max_errors; /* stop after this many rejects (UINT64_MAX = never) */
    void (*on_reject)(const kr_reject *rej, void *payload);
    void (*on_progress)(uint64_t done, uint64_t total, void *payload);
    void *payload;
    /* When set, every anonymous_id, user_id, previous_id and account_id is replaced by its
       pseudonym (privacy.h) before it is stored, and content-hash keys are keyed with it too;
       messageId / event_id keys are kept. Borrowed for the call. */
    const kr_pseudo_key *pseudonymise;
    /* Called after each transaction committed, with the file's events imported so far: from
       then on those events are durable (acknowledged). */
    void (*on_commit)(uint64_t imported, void *payload);
} kr_import_options;

/* 50,000 events per transaction: chosen by bench/import.sh, where larger batches gained < 3%. */
#define KR_IMPORT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        KR_READ_OPTIONS_INIT, 50000, UINT64_MAX, NULL, NULL, NULL, NULL, NULL                      \
    }

/**
 * Imports one file (path "-" = standard input). Returns KR_OK when the file was read to the
 * end; KR_ETOOBIG when more than max_errors records were rejected (reading stops there, the
 * good events before it stay imported); KR_EIO / KR_EPARSE / KR_EINVAL when the file cannot be
 * read at all; KR_EDB on a store failure (the open batch is rolled back, earlier batches stay).
 * stats is filled in every case. The message is written to errbuf.
 */
KR_EXTERN int kr_import_file(kr_store *store, const char *path, const kr_import_options *o,
                             kr_import_stats *stats, char *errbuf, size_t errlen);

#endif
