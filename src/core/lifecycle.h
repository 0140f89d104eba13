#ifndef ALO_CORE_LIFECYCLE_H
#define ALO_CORE_LIFECYCLE_H
/*
 * The application lifecycle of DESIGN.md, in one place:
 *
 *   new ──route──▶ forwarded ──accept──▶ in_progress ──respond──▶ resolved ──close──▶ closed
 *    ▲                │  ▲ transfer          │  transfer            │ reject-answer     │
 *    └────return──────┘  └───────────────────┘                      └──▶ in_progress     └─reopen─▶ forwarded
 *   new ──out-of-scope──▶ out_of_scope      new ──duplicate──▶ duplicate
 *
 * plus actions that keep the status: note (internal note, any status), hold/resume (the
 * deadline clock pauses while an in_progress application waits on the citizen).
 * Everything else is illegal (HTTP 409 listing the allowed actions). Pure tables, no I/O.
 */
#include <stdbool.h>
#include <stddef.h>

enum app_status {
    ST_NEW,
    ST_FORWARDED,
    ST_IN_PROGRESS,
    ST_RESOLVED,
    ST_CLOSED,
    ST_OUT_OF_SCOPE,
    ST_DUPLICATE,
    ST__COUNT
};

enum app_action {
    ACT_ROUTE,
    ACT_ACCEPT,
    ACT_RETURN,
    ACT_TRANSFER,
    ACT_RESPOND,
    ACT_REJECT_ANSWER,
    ACT_CLOSE,
    ACT_REOPEN,
    ACT_OUT_OF_SCOPE,
    ACT_DUPLICATE,
    ACT_NOTE,
    ACT_HOLD,
    ACT_RESUME,
    ACT__COUNT
};

enum role {
    ROLE_AGENT,      /* call-taker (çağrı karşılama) */
    ROLE_DESK,       /* Beyaz Masa clerk */
    ROLE_STAFF,      /* department clerk */
    ROLE_MANAGER,    /* department manager */
    ROLE_SUPERVISOR, /* centre supervisor: sees everything */
    ROLE_ADMIN,      /* administrator */
    ROLE__COUNT
};

/* Names as used in the API and database ("in_progress", "reject-answer", "supervisor").
 * The *_parse functions return -1 for unknown names. */
const char *lifecycle_status_name(enum app_status s);
int lifecycle_status_parse(const char *name);
const char *lifecycle_action_name(enum app_action a);
int lifecycle_action_parse(const char *name);
const char *role_name(enum role r);
int role_parse(const char *name);

/* Status after applying action a in status s, or -1 when the transition is illegal.
 * Actions that keep the status (note, hold, resume, transfer from forwarded) return s. */
int lifecycle_next(enum app_status s, enum app_action a);

/* May a user of role r perform action a at all (before department scoping)? */
bool lifecycle_role_may(enum role r, enum app_action a);

/* Comma-separated names of the actions legal in status s, written into out (NUL-terminated). */
void lifecycle_allowed(enum app_status s, char *out, size_t outlen);

/* Is s a final status (closed, out_of_scope, duplicate) whose deadline no longer runs? */
bool lifecycle_is_final(enum app_status s);

/* Do staff and managers of other departments see an application in this status only if
 * it is theirs? (always true; kept as the one place to change that policy). Roles that see
 * every department: supervisor, admin, and agent/desk (they register and relay for all). */
bool role_sees_all_departments(enum role r);

#endif
