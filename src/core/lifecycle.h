#ifndef ALO_CORE_LIFECYCLE_H
#define ALO_CORE_LIFECYCLE_H
/*
 * The application lifecycle of DESIGN.md, in one place:
 *
 *   new ──route──▶ forwarded ──accept──▶ in_progress ──respond──▶ resolved ──close──▶ closed
 *    ▲                │  ▲ transfer          │  transfer            │ reject-answer     │
 *    └────return──────┘  └───────────────────┘                      └──▶ in_progress     └─reopen─▶
 * forwarded new ──out-of-scope──▶ out_of_scope      new ──duplicate──▶ duplicate
 *
 * plus actions that keep the status: note (internal note, any status), hold/resume (the
 * deadline clock pauses while an in_progress application waits on the citizen).
 * Everything else is illegal (HTTP 409 listing the allowed actions). The statuses, actions
 * and roles themselves and their names are model/lifecycle.h and model/role.h. Pure tables,
 * no I/O.
 */
#include <stdbool.h>
#include <stddef.h>

#include "model/lifecycle.h"
#include "model/role.h"

/* Status after applying action a in status s, or -1 when the transition is illegal.
 * Actions that keep the status (note, hold, resume, transfer from forwarded) return s. */
int lifecycle_next(enum app_status s, enum app_action a);

/* May a user of role r perform action a at all (before department scoping)? */
bool lifecycle_role_may(enum role r, enum app_action a);

/* The actions legal in status s: bit (1 << enum app_action) per action. */
unsigned lifecycle_allowed_mask(enum app_status s);
/* The actions a user of role r can really take on an application in status s, given what
 * the status alone does not say: whether it waits on the citizen (on_hold: resume is
 * possible, hold is not; the reverse when not) and whether it has a category (reopen needs
 * one). Department scope is the caller's (the user must see the application at all). This is
 * the allowed_actions list the API sends: every action in it succeeds with valid input. */
unsigned lifecycle_actions_for(enum app_status s, bool on_hold, bool has_category, enum role r);
/* Comma-separated names of the actions legal in status s, written into out (NUL-terminated). */
void lifecycle_allowed(enum app_status s, char *out, size_t outlen);

/* Is s a final status (closed, out_of_scope, duplicate) whose deadline no longer runs? */
bool lifecycle_is_final(enum app_status s);

#endif
