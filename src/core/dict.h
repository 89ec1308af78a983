/*
 * dict.h - string interning: each distinct string gets a dense code 0, 1, 2, ... in order of
 * first appearance; code 0 is always the empty string ("absent").
 *
 *     kr__dict d; kr__dict_init(&d, UINT32_MAX);
 *     uint32_t code;
 *     if (kr__dict_intern(&d, name, &code) < 0) ...;
 *     kr_str again = kr__dict_get(&d, code);
 *     kr__dict_finish(&d);
 *
 * Strings live in chunks that never move, so views returned by kr__dict_get stay valid until
 * kr__dict_finish. Lookups are open addressing over (hash, length, code, bytes) slots.
 */
#ifndef KR_CORE_DICT_H
#define KR_CORE_DICT_H

#include "klantreis/common.h"

/* A slot holds what a lookup needs, so that a hit reads the slot and the string's bytes and
   nothing else (the by-code array is a third cache miss on big dictionaries). */
typedef struct kr__dict_slot {
    uint32_t tag;        /* upper hash bits, low byte the length (255 = 255 or more) */
    uint32_t code_plus1; /* 0 = empty slot */
    const char *bytes;   /* the string's bytes */
} kr__dict_slot;

typedef struct kr__dict_chunk kr__dict_chunk;

typedef struct kr__dict {
    kr_str *strings; /* by code */
    uint32_t count;
    uint32_t cap;
    uint32_t max_count; /* interning more gives KR_ETOOBIG */
    kr__dict_slot *slots;
    size_t slot_mask; /* slot count - 1 (a power of two) */
    kr__dict_chunk *chunks;
    size_t bytes;    /* string bytes held */
    uint32_t last;   /* code of the last string interned or found: exports repeat values on
                        consecutive rows (same user, same channel), and one compare beats a hash */
    kr_str last_str; /* its bytes, here: reading them through strings[] missed the cache */
} kr__dict;

/** Prepares an empty dictionary holding at most max_count strings (the empty one included). */
int kr__dict_init(kr__dict *d, uint32_t max_count);

/** Frees everything; the dictionary can be initialised again. */
void kr__dict_finish(kr__dict *d);

/** The code of s, adding a copy when new. Returns KR_OK, KR_ENOMEM or KR_ETOOBIG. */
int kr__dict_intern(kr__dict *d, kr_str s, uint32_t *code);

/** The code of s without adding it; KR_ENOTFOUND when absent. */
int kr__dict_find(const kr__dict *d, kr_str s, uint32_t *code);

/** The string of a code (code < count). */
static inline kr_str kr__dict_get(const kr__dict *d, uint32_t code)
{
    return d->strings[code];
}

#endif
