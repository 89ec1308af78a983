/*
 * memory.h - hints for the big per-event arrays of the table.
 *
 *     int64_t *times = malloc(n * sizeof *times);
 *     kr__advise_huge(times, n * sizeof *times);
 *
 * Loading a table first-touches tens of bytes per event; with 4 KiB pages that is one page
 * fault per ~100 events, and on virtual machines a fault costs microseconds (a third of a
 * 1M-event load in bench/RESULTS.md). Asking for transparent huge pages makes it one fault
 * per 2 MiB. The hint changes nothing else: the memory stays an ordinary malloc block.
 */
#ifndef KR_CORE_MEMORY_H
#define KR_CORE_MEMORY_H

#include <stddef.h>

/** Asks the kernel for huge pages over the 2 MiB-aligned part of [p, p + len); no-op when
    the block is smaller or the system has no such hint. */
void kr__advise_huge(void *p, size_t len);

#endif
