#ifndef ALO_CORE_USERS_H
#define ALO_CORE_USERS_H
/*
 * Users: the one place they are created and changed, for the API and `alo153 user`.
 * Each function validates (username, role, the role's department, password length) and
 * writes in one store transaction. NULL / -1 inputs mean "not given" (on an update:
 * unchanged).
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

struct user_input {
    const char *username;      /* create: required, 2..63 of a-z 0-9 . _ - */
    const char *full_name;     /* valid UTF-8; create default: "" */
    const char *role;          /* create: required; a role name of model/role.h */
    const char *department;    /* department code: required for staff and managers, refused
                                * for the other roles; "" = not given */
    const char *password;      /* create: required (or password_hash); AUTH_PASSWORD_MIN..MAX
                                * characters */
    const char *password_hash; /* instead of password: an auth_hash_password() result made
                                * once for many users (demo data) */
    int disabled;              /* 1, 0, or -1 = not given */
};

/* Create a user. ERR_INVALID for bad input (name "missing_field" for a missing department),
 * ERR_UNPROCESSABLE for an unknown department, ERR_CONFLICT when the username is taken.
 * *out is the stored user. */
int core_user_create(struct store *st, const struct user_input *in, struct user *out,
                     struct err_detail *ed);
/* Change the given fields of user id (username cannot change: ERR_INVALID); ERR_NOT_FOUND
 * when there is no such user; other errors as core_user_create. *out is the stored user. */
int core_user_update(struct store *st, int64_t id, const struct user_input *in, struct user *out,
                     struct err_detail *ed);
/* Self-service (POST /me/password): check current through the password gate (core/auth.h, at
 * most gate_wait_ms for a turn), then store new_password and end every session of user id, with
 * its audit row. ERR_INVALID named "wrong_password" (field current), "password_length" or
 * "same_password" (field new); ERR_UNAVAILABLE "login_busy" when the gate had no turn. */
int core_user_change_password(struct store *st, int64_t id, const char *current,
                              const char *new_password, unsigned gate_wait_ms,
                              struct err_detail *ed);

#endif
