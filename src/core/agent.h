#ifndef ALO_CORE_AGENT_H
#define ALO_CORE_AGENT_H
/*
 * Agents' states. An agent sets ready, paused (with a reason: break, training, meeting,
 * after-call work) or logged out; on-call and wrap-up follow from their calls: a call of
 * theirs answered and not ended is on-call, an ended call whose contact is still open is
 * wrap-up. Rules: no pause while logged out (log in first: ready), no logging out during a
 * call, derived states cannot be set.
 */
#include <stdint.h>

#include "model/contact.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

/* u's state as others see it (derived from the calls when on a call or wrapping up); an agent
 * who never set one is logged out since 0. */
int core_agent_state(struct store *st, int64_t user_id, struct agent_state *out);
/* u sets their own state (state name, reason for paused) at now. ERR_INVALID for an unknown
 * state or reason (field named), ERR_CONFLICT for a transition the rules refuse,
 * ERR_FORBIDDEN when u is not a contact handler. *out the state after. */
int core_agent_set(struct store *st, const struct user *u, const char *state, const char *reason,
                   int64_t now, struct agent_state *out, struct err_detail *ed);
/* The transition rule alone (pure): may an agent now in `from` set `to`? ERR_OK or
 * ERR_CONFLICT with a message in ed. */
int agent_transition_check(enum agent_state_kind from, enum agent_state_kind to,
                           struct err_detail *ed);
/* Every agent with a state, as core_agent_state; *out malloc'd (caller frees). */
int core_agent_list(struct store *st, struct agent_state **out, size_t *n);

#endif
