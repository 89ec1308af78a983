/*
 * pseudonym.c - keyed hashing of ids (see klantreis/privacy.h) with libsodium's BLAKE2b.
 *
 *     kr_pseudo_key k;
 *     kr_pseudo_key_load(&k, "secret.key", err, sizeof err);
 *     char p[KR_PSEUDONYM_SIZE];
 *     kr_pseudonymise(p, &k, id);
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "klantreis/privacy.h"

/* Domain separation: the secret is keyed by this label, so the same file used as a key
   elsewhere gives unrelated hashes here. Changing it changes every pseudonym: never do. */
static const char key_label[] = "klantreis pseudonym key v1";

int kr_pseudo_key_from_bytes(kr_pseudo_key *out, const void *secret, size_t len)
{
    if (len < KR_PSEUDO_SECRET_MIN || len > KR_PSEUDO_SECRET_MAX)
        return KR_EINVAL;
    if (sodium_init() < 0)
        return KR_ENOMEM;
    crypto_generichash(out->key, sizeof out->key, secret, len, (const unsigned char *)key_label,
                       sizeof key_label - 1);
    return KR_OK;
}

int kr_pseudo_key_load(kr_pseudo_key *out, const char *path, char *errbuf, size_t errlen)
{
    unsigned char buf[KR_PSEUDO_SECRET_MAX + 1];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errbuf, errlen, "%s: cannot read the secret: %s", path, strerror(errno));
        return KR_EIO;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    bool bad = ferror(f);
    fclose(f);
    int rc = KR_OK;
    if (bad) {
        snprintf(errbuf, errlen, "%s: cannot read the secret", path);
        rc = KR_EIO;
    } else if (n < KR_PSEUDO_SECRET_MIN || n > KR_PSEUDO_SECRET_MAX) {
        snprintf(errbuf, errlen, "%s: a secret must hold %d to %d bytes (this one: %s%zu)", path,
                 KR_PSEUDO_SECRET_MIN, KR_PSEUDO_SECRET_MAX, n > KR_PSEUDO_SECRET_MAX ? "> " : "",
                 n > KR_PSEUDO_SECRET_MAX ? (size_t)KR_PSEUDO_SECRET_MAX : n);
        rc = KR_EINVAL;
    } else if ((rc = kr_pseudo_key_from_bytes(out, buf, n)) < 0) {
        snprintf(errbuf, errlen, "%s: cannot derive a key: %s", path, kr_strerror(rc));
    }
    sodium_memzero(buf, sizeof buf);
    return rc;
}

void kr_pseudonymise(char out[KR_PSEUDONYM_SIZE], const kr_pseudo_key *k, kr_str id)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)id.ptr, id.len, k->key, sizeof k->key);
    out[0] = 'p';
    out[1] = ':';
    /* 16 bytes -> 22 characters and the NUL */
    sodium_bin2base64(out + 2, KR_PSEUDONYM_SIZE - 2, h, sizeof h,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

uint64_t kr_pseudo_hash64(const kr_pseudo_key *k, const void *data, size_t len)
{
    unsigned char h[8];
    crypto_generichash(h, sizeof h, data, len, k->key, sizeof k->key);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | h[i];
    return v;
}
