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
/* The password gate: argon2id takes 64 MiB and most of a core per check, so a burst of logins
 * on every HTTP worker at once starved the server (issue 12: /healthz 2 ms → 240 ms). At most
 * `width` checks run at once (half the processors, at least 1); up to `queue` callers wait for
 * a turn, at most wait_ms each; the others are turned away at once. */
enum auth_check { AUTH_CHECK_OK, AUTH_CHECK_WRONG, AUTH_CHECK_BUSY };
/* auth_verify_password() through the gate: AUTH_CHECK_BUSY when no turn came in wait_ms. */
enum auth_check auth_verify_password_gated(const char *hash, const char *password,
                                           unsigned wait_ms);
/* Take / give back a turn (what auth_verify_password_gated does around the check). */
bool auth_gate_enter(unsigned wait_ms);
void auth_gate_leave(void);
/* Set the gate's width and queue (tests; 0 = the default). */
void auth_gate_configure(unsigned width, unsigned queue);
/* A new random token (hex) to hand to a client. */
void auth_new_token(char out[AUTH_TOKEN_LEN]);
/* What is stored for a token: its BLAKE2b hash as hex (a stolen database holds no live tokens). */
void auth_token_hash(const char *token, char out[AUTH_TOKEN_LEN]);

#endif
