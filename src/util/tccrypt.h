#ifndef ALO_UTIL_TCCRYPT_H
#define ALO_UTIL_TCCRYPT_H
/*
 * T.C. identity numbers at rest (KVKK, issue 12; docs/KVKK.md): sealed with libsodium's
 * secretbox (XSalsa20-Poly1305, a random nonce each time) under a key derived from the key
 * file, and looked up by a keyed hash (BLAKE2b under a second derived key), so equal numbers
 * have equal hashes but the database alone reveals neither.
 *
 * The key is process-wide: load it once at start (before any thread), then every store
 * connection seals and opens with it. The key file holds 64 hexadecimal digits (32 bytes) and
 * a newline; it must be backed up apart from the database: without it the sealed numbers are
 * lost for good.
 */
#include <stdbool.h>
#include <stddef.h>

#define TCCRYPT_KEY_BYTES 32
#define TCCRYPT_SEALED_LEN 96 /* "v1:" + base64url(nonce 24 + MAC 16 + 11 digits) + NUL */
#define TCCRYPT_HASH_LEN 65   /* 64 hex digits + NUL */
#define TCCRYPT_PREFIX "v1:"
#define TCCRYPT_ID_LEN 17 /* a key's id: 16 hex digits + NUL */

/* A key held apart from the process's key (rotation reads the old and the new one). */
struct tccrypt_key {
    bool have;
    unsigned char seal[32];
    unsigned char hash[32];
    char id[TCCRYPT_ID_LEN]; /* derived from the key, one-way: names the key, reveals nothing */
};

/* Read the key file path and make it the process's key. false with a reason in err (errlen
 * bytes) when it cannot be read, is not 64 hex digits, or is readable by group or others. */
bool tccrypt_key_load(const char *path, char *err, size_t errlen);
/* Read the key file path into k (not the process's key); as tccrypt_key_load. Wipe k with
 * tccrypt_key_forget when done. */
bool tccrypt_key_read(const char *path, struct tccrypt_key *k, char *err, size_t errlen);
void tccrypt_key_forget(struct tccrypt_key *k);
/* The id of the process's key (16 hex digits) or "" without one. Each sealed number records
 * the id of the key that sealed it (citizens.tc_key), so a wrong key or an unfinished
 * rotation is found before anything is shown or written. */
const char *tccrypt_key_id(void);
/* Seal, open and hash as below, with k instead of the process's key. */
bool tccrypt_seal_with(const struct tccrypt_key *k, const char *tc, char out[TCCRYPT_SEALED_LEN]);
bool tccrypt_open_with(const struct tccrypt_key *k, const char *sealed, char *out, size_t outlen);
bool tccrypt_hash_with(const struct tccrypt_key *k, const char *tc, char out[TCCRYPT_HASH_LEN]);
/* Write a new random key to path, mode 0600; false with a reason when path exists already or
 * cannot be written (nothing is overwritten). Does not load it. */
bool tccrypt_key_create(const char *path, char *err, size_t errlen);
/* Make key (32 bytes) the process's key (tests); NULL forgets the key. */
void tccrypt_key_set(const unsigned char *key);
/* Is a key loaded? */
bool tccrypt_have_key(void);
/* Does the stored value v hold a sealed number ("v1:…")? */
bool tccrypt_is_sealed(const char *v);
/* Seal the number tc into out ("v1:…", NUL-terminated). false without a key or when tc is
 * longer than 11 bytes. */
bool tccrypt_seal(const char *tc, char out[TCCRYPT_SEALED_LEN]);
/* Open a sealed value into out (outlen bytes, at least 12). false without the key, with a
 * wrong key, or when sealed was changed (out is "" then). */
bool tccrypt_open(const char *sealed, char *out, size_t outlen);
/* The keyed hash of tc as 64 hex digits; false without a key. */
bool tccrypt_hash(const char *tc, char out[TCCRYPT_HASH_LEN]);

#endif
