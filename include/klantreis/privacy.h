/*
 * klantreis/privacy.h - pseudonymisation: ids replaced by a keyed hash before they are stored,
 * so that stitching and every analysis work while the store holds no raw id.
 *
 *     kr_pseudo_key k;
 *     if (kr_pseudo_key_load(&k, "secret.key", err, sizeof err) < 0) { ...err... }
 *     char p[KR_PSEUDONYM_SIZE];
 *     kr_pseudonymise(p, &k, kr_str_from_cstr("klant-42"));   // "p:" + 22 base64url chars
 *
 * The key is BLAKE2b (libsodium crypto_generichash) of the secret file's bytes, exactly as
 * they are (a trailing newline counts); a pseudonym is the 128-bit keyed BLAKE2b of the id,
 * base64url without padding. The same id with the same secret always gives the same pseudonym;
 * without the secret a pseudonym cannot be computed from a guessed id.
 */
#ifndef KLANTREIS_PRIVACY_H
#define KLANTREIS_PRIVACY_H

#include "common.h"

/** The fewest bytes a secret file may hold. */
#define KR_PSEUDO_SECRET_MIN 16
/** The most bytes a secret file may hold (it is a key, not data). */
#define KR_PSEUDO_SECRET_MAX 4096
/** Length of a pseudonym: "p:" and 22 base64url characters. */
#define KR_PSEUDONYM_LEN 24
/** Bytes for a pseudonym and its NUL. */
#define KR_PSEUDONYM_SIZE (KR_PSEUDONYM_LEN + 1)

typedef struct kr_pseudo_key {
    unsigned char key[32];
} kr_pseudo_key;

/**
 * Derives the key from a secret of len bytes. Returns KR_OK, or KR_EINVAL when len is below
 * KR_PSEUDO_SECRET_MIN or above KR_PSEUDO_SECRET_MAX, or KR_ENOMEM when libsodium cannot start.
 */
KR_EXTERN int kr_pseudo_key_from_bytes(kr_pseudo_key *out, const void *secret, size_t len);

/**
 * Reads the secret file at path and derives the key. Returns KR_OK; KR_EIO (unreadable),
 * KR_EINVAL (shorter than KR_PSEUDO_SECRET_MIN bytes or longer than KR_PSEUDO_SECRET_MAX),
 * with a message naming the path in errbuf. The secret's bytes are wiped from memory.
 */
KR_EXTERN int kr_pseudo_key_load(kr_pseudo_key *out, const char *path, char *errbuf, size_t errlen);

/** Writes the pseudonym of id (KR_PSEUDONYM_LEN characters and a NUL) to out. */
KR_EXTERN void kr_pseudonymise(char out[KR_PSEUDONYM_SIZE], const kr_pseudo_key *k, kr_str id);

/**
 * A keyed 64-bit hash of bytes (for event keys that are content hashes of a record, so that
 * the key cannot confirm a guessed raw record either).
 */
KR_EXTERN uint64_t kr_pseudo_hash64(const kr_pseudo_key *k, const void *data, size_t len);

#endif
