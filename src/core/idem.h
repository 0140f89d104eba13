/*
 * Idempotency keys (issue 16): the field phone queues actions while offline and sends each with
 * an Idempotency-Key; when an answer is lost and the phone sends the action again, the first
 * answer is repeated and the action is not done twice.
 */
#ifndef ALO_CORE_IDEM_H
#define ALO_CORE_IDEM_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define CORE_IDEM_KEY_MAX 64  /* bytes of a key: A-Z a-z 0-9 - _ . : */
#define CORE_IDEM_STALE_S 120 /* a claim pending longer belongs to a request that died */

enum core_idem {
    IDEM_NEW,    /* claimed: do the action, then core_idem_finish */
    IDEM_REPLAY, /* done before: *status and *body are its answer */
    IDEM_BUSY,   /* the same key is being done right now */
};

/* Whether key is a well-formed idempotency key. */
bool core_idem_key_ok(const char *key);

/* Claim key for user_id in its own transaction. On IDEM_REPLAY *body is malloc'd (caller
 * frees). ERR_* from the store (the request should then be answered 503). */
int core_idem_claim(struct store *st, int64_t user_id, const char *key, enum core_idem *state,
                    int *status, char **body);

/* Store the answer of a claimed key (status < 500 and body non-NULL), else release the claim
 * so that the action may be sent again. */
void core_idem_finish(struct store *st, int64_t user_id, const char *key, int status,
                      const char *body);

#endif
