#ifndef ALO_MODEL_LIFECYCLE_H
#define ALO_MODEL_LIFECYCLE_H
/*
 * The lifecycle's vocabulary: an application's statuses and the actions taken on it, with
 * their names as used in the API and the database. Which action is legal in which status,
 * and who may take it, are rules: they live in core/lifecycle.h. Pure tables, no I/O.
 */

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

/* Names ("in_progress", "reject-answer"); "?" for a value out of range. The *_parse
 * functions return the enum value, or -1 for an unknown name or NULL. */
const char *lifecycle_status_name(enum app_status s);
int lifecycle_status_parse(const char *name);
const char *lifecycle_action_name(enum app_action a);
int lifecycle_action_parse(const char *name);

#endif
