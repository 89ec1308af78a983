/*
 * dict.c - string interning (see dict.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/dict.h"

/* Strings are copied into chunks of at least this size; one larger string gets its own. */
#define CHUNK_SIZE ((size_t)64 << 10)

struct kr__dict_chunk {
    kr__dict_chunk *next;
    size_t used;
    size_t cap;
    char data[];
};

int kr__dict_init(kr__dict *d, uint32_t max_count)
{
    memset(d, 0, sizeof *d);
    d->max_count = max_count ? max_count : 1;
    d->cap = 64;
    d->strings = malloc(d->cap * sizeof *d->strings);
    d->slot_mask = 127;
    d->slots = calloc(d->slot_mask + 1, sizeof *d->slots);
    if (!d->strings || !d->slots) {
        kr__dict_finish(d);
        return KR_ENOMEM;
    }
    d->strings[0] = (kr_str){"", 0};
    d->count = 1;
    return KR_OK;
}

void kr__dict_finish(kr__dict *d)
{
    for (kr__dict_chunk *c = d->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(d->strings);
    free(d->slots);
    memset(d, 0, sizeof *d);
}

static const char *store_bytes(kr__dict *d, kr_str s)
{
    kr__dict_chunk *c = d->chunks;
    if (!c || c->cap - c->used < s.len) {
        size_t cap = s.len > CHUNK_SIZE ? s.len : CHUNK_SIZE;
        kr__dict_chunk *n = malloc(sizeof *n + cap);
        if (!n)
            return NULL;
        n->used = 0;
        n->cap = cap;
        /* A big one-off string goes behind the current chunk, which keeps filling. */
        if (c && s.len > CHUNK_SIZE) {
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            d->chunks = n;
        }
        c = n;
    }
    char *p = c->data + c->used;
    memcpy(p, s.ptr, s.len);
    c->used += s.len;
    d->bytes += s.len;
    return p;
}

/* One 64x64 -> 128-bit multiply, folded: the mixing step of wyhash-like hashes. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The dictionary's own hash, never stored anywhere (content ids use kr__hash64, which must
   not change): dictionary keys are mostly short (event names, channels, ids of ~20 bytes), so
   up to 16 bytes are read as two overlapping words and mixed by one multiply, instead of a
   byte loop for the tail. */
static inline uint64_t dict_hash(const char *p, size_t len)
{
    const uint64_t k0 = UINT64_C(0xa0761d6478bd642f), k1 = UINT64_C(0xe7037ed1a0b428db);
    uint64_t a, b, seed = k0 ^ (uint64_t)len;
    if (len > 16) {
        size_t i = 0;
        for (; i + 16 < len; i += 16) {
            memcpy(&a, p + i, 8);
            memcpy(&b, p + i + 8, 8);
            seed = fold_mul(a ^ k1, b ^ seed);
        }
        memcpy(&a, p + len - 16, 8);
        memcpy(&b, p + len - 8, 8);
    } else if (len >= 8) {
        memcpy(&a, p, 8);
        memcpy(&b, p + len - 8, 8);
    } else if (len >= 4) {
        uint32_t x, y;
        memcpy(&x, p, 4);
        memcpy(&y, p + len - 4, 4);
        a = x;
        b = y;
    } else {
        a = len ? ((uint64_t)(unsigned char)p[0] << 16) |
                      ((uint64_t)(unsigned char)p[len / 2] << 8) | (unsigned char)p[len - 1]
                : 0;
        b = 0;
    }
    return fold_mul(a ^ k1, b ^ seed) * UINT64_C(0x9e3779b97f4a7c15);
}

/* The slot tag of a string: hash bits above, its length (capped) in the low byte. */
static inline uint32_t slot_tag(uint64_t h, size_t len)
{
    return ((uint32_t)(h >> 32) & ~UINT32_C(0xFF)) | (uint32_t)(len < 255 ? len : 255);
}

/* Equality of n bytes, inline: dictionary keys are short, and a libc call per compare cost
   more than the compare (9% of a table load in a profile). */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (size_t i = 0; i + 8 <= n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return false;
        }
        memcpy(&x, a + n - 8, 8); /* the tail, overlapping what was compared */
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static int grow_slots(kr__dict *d)
{
    size_t n = (d->slot_mask + 1) * 2;
    kr__dict_slot *slots = calloc(n, sizeof *slots);
    if (!slots)
        return KR_ENOMEM;
    for (uint32_t code = 1; code < d->count; code++) {
        kr_str s = d->strings[code];
        uint64_t h = dict_hash(s.ptr, s.len);
        size_t i = (size_t)h & (n - 1);
        while (slots[i].code_plus1)
            i = (i + 1) & (n - 1);
        slots[i] = (kr__dict_slot){slot_tag(h, s.len), code + 1, s.ptr};
    }
    free(d->slots);
    d->slots = slots;
    d->slot_mask = n - 1;
    return KR_OK;
}

/* Returns the slot where s is, or the empty slot where it would go. */
static size_t probe(const kr__dict *d, kr_str s, uint64_t h)
{
    uint32_t tag = slot_tag(h, s.len);
    size_t i = (size_t)h & d->slot_mask;
    for (;;) {
        const kr__dict_slot *slot = &d->slots[i];
        if (!slot->code_plus1)
            return i;
        if (slot->tag == tag && (s.len < 255 ? same_bytes(slot->bytes, s.ptr, s.len)
                                             : kr_str_eq(d->strings[slot->code_plus1 - 1], s)))
            return i;
        i = (i + 1) & d->slot_mask;
    }
}

int kr__dict_find(const kr__dict *d, kr_str s, uint32_t *code)
{
    if (s.len == 0) {
        *code = 0;
        return KR_OK;
    }
    uint64_t h = dict_hash(s.ptr, s.len);
    size_t i = probe(d, s, h);
    if (!d->slots[i].code_plus1)
        return KR_ENOTFOUND;
    *code = d->slots[i].code_plus1 - 1;
    return KR_OK;
}

int kr__dict_intern(kr__dict *d, kr_str s, uint32_t *code)
{
    if (s.len == 0) {
        *code = 0;
        return KR_OK;
    }
    kr_str last = d->last_str;
    if (last.len == s.len && same_bytes(last.ptr, s.ptr, s.len)) {
        *code = d->last;
        return KR_OK;
    }
    uint64_t h = dict_hash(s.ptr, s.len);
    size_t i = probe(d, s, h);
    if (d->slots[i].code_plus1) {
        *code = d->last = d->slots[i].code_plus1 - 1;
        d->last_str = (kr_str){d->slots[i].bytes, s.len};
        return KR_OK;
    }
    if (d->count >= d->max_count)
        return KR_ETOOBIG;
    if (d->count == d->cap) {
        uint32_t cap = d->cap > UINT32_MAX / 2 ? UINT32_MAX : d->cap * 2;
        kr_str *strings = realloc(d->strings, (size_t)cap * sizeof *strings);
        if (!strings)
            return KR_ENOMEM;
        d->strings = strings;
        d->cap = cap;
    }
    const char *p = store_bytes(d, s);
    if (!p)
        return KR_ENOMEM;
    uint32_t c = d->count++;
    d->strings[c] = (kr_str){p, s.len};
    d->slots[i] = (kr__dict_slot){slot_tag(h, s.len), c + 1, p};
    /* Keep the load factor under 1/2 so probes stay short. */
    if ((size_t)d->count * 2 > d->slot_mask + 1 && grow_slots(d) < 0) {
        d->slots[i].code_plus1 = 0; /* it was the last insert: nothing probed past it */
        d->count--;
        return KR_ENOMEM;
    }
    *code = d->last = c;
    d->last_str = (kr_str){p, s.len};
    return KR_OK;
}
