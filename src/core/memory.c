/*
 * memory.c - huge-page hints (see memory.h).
 */
#include <stdint.h>
#include <sys/mman.h>

#include "core/memory.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)

void kr__advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t end = ((uintptr_t)p + len) & ~(HUGE_PAGE - 1);
    if (p && end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE); /* only a hint */
#else
    (void)p;
    (void)len;
#endif
}
