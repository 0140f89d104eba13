#include "core/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static unsigned gate_width, gate_queue; /* 0 until first use or auth_gate_configure */
static unsigned gate_running, gate_waiting;

static void gate_defaults(void)
{
    if (!gate_width) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        gate_width = n > 1 ? (unsigned)n / 2 : 1;
    }
    if (!gate_queue)
        gate_queue = 4 * gate_width;
}

void auth_gate_configure(unsigned width, unsigned queue)
{
    pthread_mutex_lock(&gate_mu);
    gate_width = width;
    gate_queue = queue;
    gate_defaults();
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

bool auth_gate_enter(unsigned wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&gate_mu);
    gate_defaults();
    bool ok = gate_running < gate_width;
    if (!ok && gate_waiting < gate_queue && wait_ms > 0) {
        gate_waiting++;
        while (gate_running >= gate_width &&
               pthread_cond_timedwait(&gate_cv, &gate_mu, &until) == 0)
            ;
        gate_waiting--;
        ok = gate_running < gate_width;
    }
    if (ok)
        gate_running++;
    pthread_mutex_unlock(&gate_mu);
    return ok;
}

void auth_gate_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    if (gate_running > 0)
        gate_running--;
    pthread_cond_signal(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

enum auth_check auth_verify_password_gated(const char *hash, const char *password, unsigned wait_ms)
{
    if (!auth_gate_enter(wait_ms))
        return AUTH_CHECK_BUSY;
    bool ok = auth_verify_password(hash, password);
    auth_gate_leave();
    return ok ? AUTH_CHECK_OK : AUTH_CHECK_WRONG;
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
