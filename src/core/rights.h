#ifndef ALO_CORE_RIGHTS_H
#define ALO_CORE_RIGHTS_H
/*
 * Rights beyond the six roles (issue 12): department grants (what they allow is decided in
 * core/policy.h) and API tokens that are listed, expire and are revoked. Every change writes its
 * audit row (core/audit.h) in the change's transaction, for the API and `alo153` alike.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/auth.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

/* Grant user_id read (act false) or read and act (act true) on department dept_code's subtree,
 * or change the grant's act. ERR_NOT_FOUND: no such user; ERR_UNPROCESSABLE: unknown
 * department; ERR_INVALID named "role_without_grants" for a user whose role is not bound to a
 * department (the others see every department already), "own_department" for their own. */
int core_grant_set(struct store *st, int64_t user_id, const char *dept_code, bool act,
                   struct grant *out, struct err_detail *ed);
/* Remove the grant; ERR_NOT_FOUND when there is none. */
int core_grant_revoke(struct store *st, int64_t user_id, const char *dept_code,
                      struct err_detail *ed);

/* Parse an expiry: "" or NULL = none (0), "90d" = now + 90 days, "YYYY-MM-DD" = the start of
 * that day (Istanbul). false when malformed or not in the future. */
bool core_token_parse_expiry(const char *s, int64_t now, int64_t *out);
/* A new API token NAME acting as role (and department for staff/managers) through a user
 * "token.NAME" of its own that cannot log in; secret receives the bearer token (shown once; only
 * its hash is stored). ERR_INVALID for a bad name/role, ERR_UNPROCESSABLE for an unknown
 * department, ERR_CONFLICT when the name is taken. */
int core_token_create(struct store *st, const char *name, const char *role, const char *dept_code,
                      int64_t expires_at, char secret[AUTH_TOKEN_LEN], struct api_token *out,
                      struct err_detail *ed);
/* Revoke token id; ERR_NOT_FOUND when unknown, ERR_CONFLICT when already revoked. */
int core_token_revoke(struct store *st, int64_t id, struct err_detail *ed);
/* The user behind bearer secret at now. ERR_UNAUTH with ed->name "token_expired",
 * "token_revoked" or "invalid_token"; the store's error when it could not be asked. Notes the
 * use (at most once a minute per token). */
int core_token_authenticate(struct store *st, const char *secret, int64_t now, struct user *out,
                            struct err_detail *ed);

#endif
