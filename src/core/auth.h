#ifndef ALO_CORE_AUTH_H
#define ALO_CORE_AUTH_H
/* Passwords (argon2id via libsodium) and bearer/session tokens. sodium_init() first. */
#include <stdbool.h>
#include <stddef.h>

#define AUTH_HASH_LEN 128 /* crypto_pwhash_STRBYTES */
#define AUTH_TOKEN_LEN 65 /* 32 random bytes as hex + NUL */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 256

/* Hash a password for storage; false when it is shorter than AUTH_PASSWORD_MIN or longer
 * than AUTH_PASSWORD_MAX, or on out of memory. */
bool auth_hash_password(const char *password, char out[AUTH_HASH_LEN]);
/* Constant-time verification of password against a stored hash. */
bool auth_verify_password(const char *hash, const char *password);
/* A new random token (hex) to hand to a client. */
void auth_new_token(char out[AUTH_TOKEN_LEN]);
/* What is stored for a token: its BLAKE2b hash as hex (a stolen database holds no live tokens). */
void auth_token_hash(const char *token, char out[AUTH_TOKEN_LEN]);

#endif
