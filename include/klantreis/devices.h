/*
 * klantreis/devices.h - cross-device journeys: persons per device combination (the set of
 * devices they used) and per device path (the order in which their devices first appear),
 * the conversion rate of each, and the lift of "viewed on mobile, bought on desktop" against
 * the conversion rate of single-device persons (docs/devices.md states the definitions).
 *
 *     kr_devices_options o = KR_DEVICES_OPTIONS_INIT;
 *     kr_devices_result r;
 *     char err[256];
 *     if (kr_devices_run(&r, table, &o, err, sizeof err) == KR_OK) print(r.lift);
 *     kr_devices_result_finish(&r);
 */
#ifndef KLANTREIS_DEVICES_H
#define KLANTREIS_DEVICES_H

#include "table.h"

/* Distinct device names the analysis handles (one bit each in a combination). */
#define KR_DEVICES_MAX 64u
/* Devices spelled out in a path; a longer path ends in " → …" and groups with its prefix. */
#define KR_DEVICES_MAX_PATH 7u

typedef struct kr_devices_options {
    const char *conversion_event; /* default "purchase"; borrowed */
    const char *first_device;     /* the cross-device case: first device (default "mobile") */
    const char *convert_device;   /* ... and the device of the conversion (default "desktop") */
} kr_devices_options;

#define KR_DEVICES_OPTIONS_INIT                                                                    \
    {                                                                                              \
        "purchase", "mobile", "desktop"                                                            \
    }

typedef struct kr_devices_group {
    char *label; /* "desktop+mobile" (combination) or "mobile → desktop" (path); owned */
    uint64_t persons;
    uint64_t converted; /* persons with at least one conversion event */
    double rate;        /* converted / persons */
} kr_devices_group;

typedef struct kr_devices_result {
    uint64_t persons;                  /* all persons of the table */
    uint64_t persons_without_device;   /* persons none of whose events has a device */
    uint64_t converted_without_device; /* ... of whom converted */
    size_t combination_count;
    kr_devices_group *combinations; /* most persons first, then label; owned */
    size_t path_count;
    kr_devices_group *paths; /* most persons first, then label; owned */
    kr_devices_group single; /* persons with exactly one device (label NULL) */
    /* Persons whose first device is first_device and who used convert_device too; converted
       = those whose first conversion event is on convert_device. */
    kr_devices_group cross;
    double lift; /* cross.rate / single.rate - 1 (0.7: 70% more likely); NaN when undefined */
} kr_devices_result;

/**
 * Computes the device figures: a pure function of (table, options). Returns KR_OK, KR_EINVAL
 * (bad options, reason in errbuf), KR_ETOOBIG (more than KR_DEVICES_MAX device names) or
 * KR_ENOMEM. Call kr_devices_result_finish afterwards in every case.
 */
KR_EXTERN int kr_devices_run(kr_devices_result *out, const kr_table *t, const kr_devices_options *o,
                             char *errbuf, size_t errlen);

/** Frees the result; it can be reused. NULL members are fine. */
KR_EXTERN void kr_devices_result_finish(kr_devices_result *r);

/**
 * The result as JSON: {"conversion_event", "persons", "persons_without_device",
 * "combinations": [{"devices", "persons", "converted", "rate"}], "paths": [{"path", ...}],
 * "single_device": {...}, "cross_device": {"first", "converted_on", ...}, "lift"};
 * malloc'd, NULL when out of memory.
 */
KR_EXTERN char *kr_devices_to_json(const kr_devices_result *r, const kr_devices_options *o,
                                   bool pretty);

#endif
