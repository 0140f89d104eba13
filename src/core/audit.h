#ifndef ALO_CORE_AUDIT_H
#define ALO_CORE_AUDIT_H
/*
 * The audit log (issue 12): every login (and failed login), logout, user, grant, setting,
 * category, holiday, message-template, API-token and department change, with who, when, from
 * where and the record before and after (flat JSON objects; never a password or its hash).
 * core_audit() writes the row in the caller's transaction, so a change and its row commit or
 * roll back together: when the row cannot be written the change fails too (fail closed).
 *
 * Who: the HTTP layer names the caller of each request with audit_set_actor() (a thread-local
 * value: every change path gets its actor without threading it through every core call); with
 * none set (the command line) the actor is id 0 "cli".
 */
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"
#include "util/strbuf.h"

struct audit_actor {
    int64_t id;       /* 0: nobody (a failed login) */
    char name[64];    /* the user's name, or the name tried */
    char address[64]; /* the client's address */
};

/* Name the actor of the current thread's changes (NULL: the command line). Copied. */
void audit_set_actor(const struct audit_actor *a);
/* The current thread's actor (the command line's when none is set). */
void audit_get_actor(struct audit_actor *out);

/* Write one row of kind about object with before/after JSON ("" or NULL = none) at the current
 * time, inside the caller's transaction (or its own when there is none). */
int core_audit(struct store *st, const char *kind, const char *object, const char *before,
               const char *after);

/* A flat JSON object built field by field (core has no JSON library): begin, fields, end;
 * sb->buf is the text. Strings are escaped; the caller releases sb. */
void audit_json_begin(struct strbuf *sb);
void audit_json_str(struct strbuf *sb, const char *key, const char *v);
void audit_json_int(struct strbuf *sb, const char *key, int64_t v);
void audit_json_bool(struct strbuf *sb, const char *key, bool v);
const char *audit_json_end(struct strbuf *sb);
/* A user as {"username","full_name","role","department","disabled"} into sb (released by the
 * caller); u NULL gives "". */
const char *audit_user_json(struct strbuf *sb, const struct user *u);

#endif
