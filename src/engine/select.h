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

/* Nearest rank: the smallest value with at least p of the n values at or below it (n > 0;
   reorders v). The index is ceil(n * p) - 1, at least 0. */
static inline int64_t kr__nearest_rank(int64_t *v, size_t n, double p)
{
    size_t rank = (size_t)((double)n * p);
    if ((double)rank < (double)n * p)
        rank++;
    return kr__select_kth(v, n, rank ? rank - 1 : 0);
}

#endif
