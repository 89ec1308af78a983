/*
 * select.h - the k-th smallest value of an array (nearest-rank medians and percentiles of
 * the analyses): selecting is O(n) expected where sorting is O(n log n).
 */
#ifndef KR_ENGINE_SELECT_H
#define KR_ENGINE_SELECT_H

#include <stddef.h>
#include <stdint.h>

/* The k-th smallest of v[0..n) (0-based, k < n; reorders v): Hoare's quickselect. */
static inline int64_t kr__select_kth(int64_t *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int64_t pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                int64_t tmp = v[i];
                v[i] = v[j];
                v[j] = tmp;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

#endif
