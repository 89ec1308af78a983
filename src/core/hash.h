/*
 * hash.h - a fast 64-bit hash for dictionary lookups and content ids.
 *
 *     uint64_t h = kr__hash64(row.ptr, row.len, 0);
 *
 * Not cryptographic: never use it where an attacker must not find collisions (the keyed
 * pseudonymisation hash is a different function). Quality: every input bit affects every
 * output bit (multiply-xorshift rounds plus the splitmix64 finaliser).
 */
#ifndef KR_CORE_HASH_H
#define KR_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t kr__hash_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

static inline uint64_t kr__hash64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (UINT64_C(0x9e3779b97f4a7c15) * (len + 1));
    while (len >= 8) {
        uint64_t k;
        memcpy(&k, p, 8);
        h = (h ^ kr__hash_mix(k)) * UINT64_C(0x9fb21c651e98df25);
        p += 8;
        len -= 8;
    }
    uint64_t k = 0;
    for (size_t i = 0; i < len; i++)
        k |= (uint64_t)p[i] << (8 * i);
    h = (h ^ kr__hash_mix(k ^ len)) * UINT64_C(0x9fb21c651e98df25);
    return kr__hash_mix(h);
}

#endif
