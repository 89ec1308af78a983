/*
 * klantreis/demo.h - a realistic, deterministic demo data set: a Dutch webshop and its
 * customers' journeys, written as CSV, with the true counts the generator knows.
 *
 *     kr_demo_options o = KR_DEMO_OPTIONS_INIT;
 *     kr_demo_summary s;
 *     char err[256];
 *     if (kr_demo_write(&s, &o, err, sizeof err) == KR_OK)
 *         printf("%s: %llu events\n", s.events_path, (unsigned long long)s.events);
 */
#ifndef KLANTREIS_DEMO_H
#define KLANTREIS_DEMO_H

#include "common.h"

typedef struct kr_demo_options {
    uint32_t persons;    /* people who meet the shop; B2B contacts are among them */
    uint64_t seed;       /* the same seed and persons give byte-identical files */
    const char *out_dir; /* created when missing */
    int64_t start_ms;    /* first day of the demo period (UTC ms) */
} kr_demo_options;

/* 2000 persons, seed 42, ./klantreis-demo, starting 2025-01-01T00:00:00Z. */
#define KR_DEMO_OPTIONS_INIT                                                                       \
    {                                                                                              \
        2000, 42, "klantreis-demo", INT64_C(1735689600000)                                         \
    }

/** What the generator wrote, counted while writing (the truth a test compares with). */
typedef struct kr_demo_summary {
    uint64_t events;    /* rows in events.csv */
    uint64_t persons;   /* persons after identity stitching */
    uint64_t accounts;  /* distinct B2B accounts */
    uint64_t buyers;    /* persons with at least one purchase */
    uint64_t purchases; /* purchase events */
    int64_t revenue_cents;
    char events_path[4096]; /* out_dir/events.csv */
} kr_demo_summary;

/**
 * Writes out_dir/events.csv (canonical header plus property columns; written to a temporary
 * name and renamed, so a failure never leaves half a file). Returns KR_OK; KR_EIO when the
 * folder or file cannot be written; KR_EINVAL for persons == 0 or above 10 million, a NULL or
 * too long out_dir, or a start_ms before 1970 or far in the future; KR_ENOMEM. The message is
 * in errbuf.
 */
KR_EXTERN int kr_demo_write(kr_demo_summary *out, const kr_demo_options *o, char *errbuf,
                            size_t errlen);

#endif
