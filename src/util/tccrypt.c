#include "util/tccrypt.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/str.h"
#include "util/banned.h"

#define TC_MAX 11

_Static_assert(sizeof(((struct tccrypt_key *)0)->seal) == crypto_secretbox_KEYBYTES, "seal key");
_Static_assert(sizeof(((struct tccrypt_key *)0)->hash) == crypto_generichash_KEYBYTES, "hash key");

static struct tccrypt_key key;

static void fail(char *err, size_t errlen, const char *what, const char *path)
{
    if (!err || !errlen)
        return;
    size_t n = strlen(what);
    str_copy(err, errlen, what);
    if (n + 2 < errlen) {
        str_copy(err + n, errlen - n, ": ");
        str_copy(err + n + 2, errlen - n - 2, path);
    }
}

static void derive(struct tccrypt_key *k, const unsigned char *master)
{
    unsigned char id[16];
    /* two independent keys from the one in the file: one seals, one hashes; a third names it */
    crypto_kdf_derive_from_key(k->seal, sizeof(k->seal), 1, "alo153tc", master);
    crypto_kdf_derive_from_key(k->hash, sizeof(k->hash), 2, "alo153tc", master);
    crypto_kdf_derive_from_key(id, sizeof(id), 3, "alo153tc", master);
    sodium_bin2hex(k->id, sizeof(k->id), id, 8);
    k->have = true;
}

void tccrypt_key_set(const unsigned char *master)
{
    if (!master) {
        sodium_memzero(&key, sizeof(key));
        return;
    }
    derive(&key, master);
}

void tccrypt_key_forget(struct tccrypt_key *k)
{
    sodium_memzero(k, sizeof(*k));
}

const char *tccrypt_key_id(void)
{
    return key.have ? key.id : "";
}

bool tccrypt_have_key(void)
{
    return key.have;
}

bool tccrypt_key_read(const char *path, struct tccrypt_key *k, char *err, size_t errlen)
{
    memset(k, 0, sizeof(*k));
    struct stat sb;
    char hex[2 * TCCRYPT_KEY_BYTES + 8] = "";
    unsigned char master[TCCRYPT_KEY_BYTES];
    size_t len = 0;
    const char *end = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(err, errlen, "cannot read the T.C. key file", path);
        return false;
    }
    if (fstat(fd, &sb) != 0 || (sb.st_mode & 077)) {
        close(fd);
        fail(err, errlen, "the T.C. key file must be readable by its owner only (chmod 600)", path);
        return false;
    }
    ssize_t got = read(fd, hex, sizeof(hex) - 1);
    close(fd);
    if (got > 0)
        hex[got] = '\0';
    if (got < 2 * TCCRYPT_KEY_BYTES ||
        sodium_hex2bin(master, sizeof(master), hex, (size_t)got, " \n\r", &len, &end) != 0 ||
        len != TCCRYPT_KEY_BYTES) {
        fail(err, errlen, "the T.C. key file does not hold 64 hexadecimal digits", path);
        return false;
    }
    derive(k, master);
    sodium_memzero(master, sizeof(master));
    return true;
}

bool tccrypt_key_load(const char *path, char *err, size_t errlen)
{
    struct tccrypt_key k;
    if (!tccrypt_key_read(path, &k, err, errlen))
        return false;
    key = k;
    tccrypt_key_forget(&k);
    return true;
}

bool tccrypt_key_create(const char *path, char *err, size_t errlen)
{
    unsigned char master[TCCRYPT_KEY_BYTES];
    char hex[2 * TCCRYPT_KEY_BYTES + 2];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail(err, errlen,
             errno == EEXIST ? "the T.C. key file exists already"
                             : "cannot create the T.C. key file",
             path);
        return false;
    }
    randombytes_buf(master, sizeof(master));
    sodium_bin2hex(hex, sizeof(hex), master, sizeof(master));
    sodium_memzero(master, sizeof(master));
    size_t n = strlen(hex);
    hex[n++] = '\n';
    bool ok = write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
    sodium_memzero(hex, sizeof(hex));
    if (close(fd) != 0)
        ok = false;
    if (!ok) {
        unlink(path);
        fail(err, errlen, "cannot write the T.C. key file", path);
    }
    return ok;
}

bool tccrypt_is_sealed(const char *v)
{
    return v && strncmp(v, TCCRYPT_PREFIX, strlen(TCCRYPT_PREFIX)) == 0;
}

bool tccrypt_seal_with(const struct tccrypt_key *k, const char *tc, char out[TCCRYPT_SEALED_LEN])
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TC_MAX];
    size_t n = tc ? strlen(tc) : 0;
    out[0] = '\0';
    if (!k->have || !tc || n > TC_MAX)
        return false;
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)tc, n, box,
                          k->seal);
    size_t boxlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    str_copy(out, TCCRYPT_SEALED_LEN, TCCRYPT_PREFIX);
    size_t pre = strlen(TCCRYPT_PREFIX);
    sodium_bin2base64(out + pre, TCCRYPT_SEALED_LEN - pre, box, boxlen,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return true;
}

bool tccrypt_open_with(const struct tccrypt_key *k, const char *sealed, char *out, size_t outlen)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TC_MAX + 8];
    unsigned char plain[TC_MAX + 8];
    size_t boxlen = 0;
    if (outlen)
        out[0] = '\0';
    if (!k->have || !tccrypt_is_sealed(sealed) || outlen < TC_MAX + 1)
        return false;
    const char *b64 = sealed + strlen(TCCRYPT_PREFIX);
    if (sodium_base642bin(box, sizeof(box), b64, strlen(b64), NULL, &boxlen, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        boxlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ||
        boxlen > crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TC_MAX)
        return false;
    size_t n = boxlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (crypto_secretbox_open_easy(plain, box + crypto_secretbox_NONCEBYTES,
                                   boxlen - crypto_secretbox_NONCEBYTES, box, k->seal) != 0)
        return false;
    memcpy(out, plain, n);
    out[n] = '\0';
    sodium_memzero(plain, sizeof(plain));
    return true;
}

bool tccrypt_hash_with(const struct tccrypt_key *k, const char *tc, char out[TCCRYPT_HASH_LEN])
{
    unsigned char h[32];
    out[0] = '\0';
    if (!k->have || !tc)
        return false;
    crypto_generichash(h, sizeof(h), (const unsigned char *)tc, strlen(tc), k->hash,
                       sizeof(k->hash));
    sodium_bin2hex(out, TCCRYPT_HASH_LEN, h, sizeof(h));
    return true;
}

bool tccrypt_seal(const char *tc, char out[TCCRYPT_SEALED_LEN])
{
    return tccrypt_seal_with(&key, tc, out);
}

bool tccrypt_open(const char *sealed, char *out, size_t outlen)
{
    return tccrypt_open_with(&key, sealed, out, outlen);
}

bool tccrypt_hash(const char *tc, char out[TCCRYPT_HASH_LEN])
{
    return tccrypt_hash_with(&key, tc, out);
}
