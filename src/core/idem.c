/* Idempotency keys of actions (idem.h). */
#include "core/idem.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/timeutil.h"
#include "util/banned.h"

bool core_idem_key_ok(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n == 0 || n > CORE_IDEM_KEY_MAX)
        return false;
    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.' || *p == ':'))
            return false;
    return true;
}

int core_idem_claim(struct store *st, int64_t user_id, const char *key, enum core_idem *state,
                    int *status, char **body)
{
    int s = 0, rc;
    int64_t now = time_now();
    *body = NULL;
    *status = 0;
    if ((rc = store_begin(st)) != ERR_OK)
        return rc;
    rc = store_idem_claim(st, user_id, key, now, now - CORE_IDEM_STALE_S, &s, status, body);
    if (rc == ERR_OK)
        rc = store_commit(st);
    if (rc != ERR_OK) {
        store_rollback(st);
        free(*body);
        *body = NULL;
        return rc;
    }
    *state = s == 0 ? IDEM_NEW : s == 1 ? IDEM_REPLAY : IDEM_BUSY;
    return ERR_OK;
}

void core_idem_finish(struct store *st, int64_t user_id, const char *key, int status,
                      const char *body)
{
    if (store_begin(st) != ERR_OK)
        return;
    if (store_idem_finish(st, user_id, key, status, status < 500 ? body : NULL) == ERR_OK &&
        store_commit(st) == ERR_OK)
        return;
    store_rollback(st);
}
