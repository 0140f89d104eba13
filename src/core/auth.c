#include "core/auth.h"

#include <sodium.h>
#include <string.h>

#include "util/banned.h"

_Static_assert(AUTH_HASH_LEN == crypto_pwhash_STRBYTES, "hash buffer size");

bool auth_hash_password(const char *password, char out[AUTH_HASH_LEN])
{
    size_t n = strlen(password);
    if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX)
        return false;
    return crypto_pwhash_str_alg(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0;
}

bool auth_verify_password(const char *hash, const char *password)
{
    if (!hash || !*hash || !password)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_new_token(char out[AUTH_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, AUTH_TOKEN_LEN, raw, sizeof(raw));
}

void auth_token_hash(const char *token, char out[AUTH_TOKEN_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, AUTH_TOKEN_LEN, h, sizeof(h));
}
