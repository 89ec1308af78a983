/*
 * dict.c - string interning (see dict.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/dict.h"
#include "core/hash.h"

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
        uint64_t h = kr__hash64(s.ptr, s.len, 0);
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
        if (slot->tag == tag &&
            (s.len < 255 ? same_bytes(slot->bytes, s.ptr, s.len)
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
    uint64_t h = kr__hash64(s.ptr, s.len, 0);
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
    uint64_t h = kr__hash64(s.ptr, s.len, 0);
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
