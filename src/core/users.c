#include "core/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/str.h"
#include "util/banned.h"

static bool valid_username(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 63)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return false;
    return true;
}

/* Apply role, full name and disabled from in to u. */
static int apply_fields(const struct user_input *in, struct user *u, struct err_detail *ed)
{
    if (in->role) {
        int role = role_parse(in->role);
        if (role < 0)
            return err_set(ed, ERR_INVALID, "role", "unknown role");
        u->role = (enum role)role;
    }
    if (in->full_name) {
        if (!nlp_utf8_valid(in->full_name, strlen(in->full_name)))
            return err_set(ed, ERR_INVALID, "full_name", "not valid UTF-8");
        if (!str_copy(u->full_name, sizeof(u->full_name), in->full_name))
            return err_set(ed, ERR_INVALID, "full_name", "full_name too long");
    }
    if (in->disabled >= 0)
        u->disabled = in->disabled != 0;
    return ERR_OK;
}

/* Roles that work inside one department need one; the others must not have one. */
static int check_role_department(struct store *st, struct user *u, const char *dept_code,
                                 struct err_detail *ed)
{
    struct department d;
    bool needs = role_policy(u->role)->in_department;
    if (dept_code && *dept_code) {
        int rc = store_department_by_code(st, dept_code, &d);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_UNPROCESSABLE, "department", "unknown department %s", dept_code);
        if (rc != ERR_OK)
            return rc;
        u->department_id = d.id;
    }
    if (needs && !u->department_id)
        return err_set_named(ed, ERR_INVALID, "missing_field", "department",
                             "staff and managers need a department");
    if (!needs && u->department_id)
        return err_set(ed, ERR_INVALID, "department",
                       "only staff and managers belong to a department");
    return ERR_OK;
}

/* Would the centre be left without an enabled admin if user id stopped being one? Every
 * admin could otherwise demote or disable themselves (the last one locking everybody out of
 * users, settings and categories for good). */
static int keep_one_admin(struct store *st, int64_t id, struct err_detail *ed)
{
    struct user *all = NULL;
    size_t n = 0, admins = 0;
    int rc = store_user_list(st, &all, &n);
    if (rc != ERR_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        admins += all[i].role == ROLE_ADMIN && !all[i].disabled && all[i].id != id;
    free(all);
    if (admins == 0)
        return err_set_named(ed, ERR_CONFLICT, "last_admin", "role",
                             "the last enabled admin cannot be demoted or disabled");
    return ERR_OK;
}

/* Hash password when given into hash (""); ERR_INVALID for a bad length. */
static int hash_password(const char *password, char hash[AUTH_HASH_LEN], struct err_detail *ed)
{
    hash[0] = '\0';
    if (password && !auth_hash_password(password, hash))
        return err_set(ed, ERR_INVALID, "password", "the password needs %d to %d characters",
                       AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
    return ERR_OK;
}

/* The audit row of a user change (core/audit.h): the user as stored now (read back inside the
 * transaction, id 0: u as given) against was (NULL for a new user); a password reset is named,
 * never shown. */
static int audit_user(struct store *st, int64_t id, const struct user *u, const struct user *was,
                      bool password)
{
    struct user now = *u;
    struct strbuf b, a;
    int rc;
    if (id && (rc = store_user_get(st, id, &now)) != ERR_OK)
        return rc;
    if (!id && now.department_id) {
        struct department d;
        if (store_department_get(st, now.department_id, &d) == ERR_OK)
            str_copy(now.department_code, sizeof(now.department_code), d.code);
    }
    audit_user_json(&b, was);
    audit_user_json(&a, &now);
    if (password) { /* {"...","password":"reset"} */
        a.len--;
        a.buf[a.len] = '\0';
        audit_json_str(&a, "password", "reset");
        audit_json_end(&a);
    }
    rc = core_audit(st, was ? "user" : "user_add", now.username, b.buf, a.buf);
    strbuf_release(&b);
    strbuf_release(&a);
    return rc;
}

/* Commit when rc is ERR_OK and read the user back into *out, else roll back. */
static int finish(struct store *st, int rc, int64_t id, struct user *out, struct err_detail *ed)
{
    if (rc == ERR_OK && (rc = store_commit(st)) == ERR_OK)
        rc = store_user_get(st, id, out);
    if (rc != ERR_OK) {
        store_rollback(st);
        if (ed && ed->code == ERR_OK)
            err_set(ed, rc, NULL, "could not store the user");
    }
    return rc;
}

int core_user_create(struct store *st, const struct user_input *in, struct user *out,
                     struct err_detail *ed)
{
    struct user u = { 0 };
    char hash[AUTH_HASH_LEN];
    int rc;
    memset(out, 0, sizeof(*out));
    if (!in->username || !valid_username(in->username))
        return err_set(ed, ERR_INVALID, "username", "use 2-63 of a-z, 0-9, '.', '_' and '-'");
    if (!in->role || role_parse(in->role) < 0)
        return err_set(ed, ERR_INVALID, "role", "unknown role");
    str_copy(u.username, sizeof(u.username), in->username);
    u.created_at = time_now();
    if ((rc = apply_fields(in, &u, ed)) != ERR_OK)
        return rc;
    if (!in->password && !in->password_hash)
        return err_set_named(ed, ERR_INVALID, "missing_field", "password", "password is required");
    /* hashing is slow on purpose: never while holding the database's write lock */
    struct err_detail pw_ed = { 0 };
    int pw_rc = ERR_OK;
    if (in->password_hash)
        str_copy(hash, sizeof(hash), in->password_hash);
    else
        pw_rc = hash_password(in->password, hash, &pw_ed);
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = check_role_department(st, &u, in->department, ed)) != ERR_OK)
        goto out;
    if ((rc = pw_rc) != ERR_OK) {
        if (ed)
            *ed = pw_ed;
        goto out;
    }
    if ((rc = store_user_create(st, &u, hash, ed)) == ERR_OK)
        rc = audit_user(st, 0, &u, NULL, false);
out:
    return finish(st, rc, u.id, out, ed);
}

int core_user_update(struct store *st, int64_t id, const struct user_input *in, struct user *out,
                     struct err_detail *ed)
{
    struct user u;
    char hash[AUTH_HASH_LEN];
    int rc;
    memset(out, 0, sizeof(*out));
    if (in->username)
        return err_set(ed, ERR_INVALID, "username", "a user's name cannot change");
    /* hashing is slow on purpose: never while holding the database's write lock */
    struct err_detail pw_ed = { 0 };
    int pw_rc = hash_password(in->password, hash, &pw_ed);
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    rc = store_user_get(st, id, &u);
    if (rc == ERR_NOT_FOUND)
        rc = err_set(ed, ERR_NOT_FOUND, NULL, "no such user");
    struct user was = u;
    if (rc != ERR_OK || (rc = apply_fields(in, &u, ed)) != ERR_OK)
        goto out;
    /* a clerk who becomes a call-taker or a supervisor leaves their department with the role
     * (naming one for such a role is still an error) */
    if (u.role != was.role && !role_policy(u.role)->in_department &&
        !(in->department && *in->department))
        u.department_id = 0;
    if ((rc = check_role_department(st, &u, in->department, ed)) != ERR_OK)
        goto out;
    if (was.role == ROLE_ADMIN && !was.disabled && (u.role != ROLE_ADMIN || u.disabled) &&
        (rc = keep_one_admin(st, u.id, ed)) != ERR_OK)
        goto out;
    if ((rc = pw_rc) != ERR_OK) {
        if (ed)
            *ed = pw_ed;
        goto out;
    }
    if ((rc = store_user_update(st, &u)) != ERR_OK ||
        (in->password && (rc = store_user_set_password(st, u.id, hash)) != ERR_OK) ||
        (rc = store_user_set_disabled(st, u.id, u.disabled)) != ERR_OK)
        goto out;
    rc = audit_user(st, u.id, &u, &was, in->password != NULL);
out:
    return finish(st, rc, id, out, ed);
}

int core_user_change_password(struct store *st, int64_t id, const char *current,
                              const char *new_password, unsigned gate_wait_ms,
                              struct err_detail *ed)
{
    struct user u;
    char hash[AUTH_HASH_LEN];
    int rc;
    if (!current || !new_password)
        return err_set_named(ed, ERR_INVALID, "missing_field", current ? "new" : "current",
                             "current and new are required");
    if ((rc = store_user_get(st, id, &u)) != ERR_OK ||
        (rc = store_user_by_name(st, u.username, &u, hash, sizeof(hash))) != ERR_OK)
        return err_set(ed, rc == ERR_NOT_FOUND ? ERR_UNAUTH : rc, NULL, "no such user");
    /* the same gate as a login: argon2id is slow and large on purpose */
    enum auth_check ok = auth_verify_password_gated(hash, current, gate_wait_ms);
    if (ok == AUTH_CHECK_BUSY)
        return err_set_named(ed, ERR_UNAVAILABLE, "login_busy", NULL,
                             "too many password checks at this moment; retry in a second");
    if (ok != AUTH_CHECK_OK)
        return err_set_named(ed, ERR_INVALID, "wrong_password", "current",
                             "the current password is wrong");
    size_t n = strlen(new_password);
    if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX)
        return err_set_named(ed, ERR_INVALID, "password_length", "new",
                             "the new password needs %d to %d characters", AUTH_PASSWORD_MIN,
                             AUTH_PASSWORD_MAX);
    if (strcmp(current, new_password) == 0)
        return err_set_named(ed, ERR_INVALID, "same_password", "new",
                             "the new password is the current one");
    if (!auth_hash_password(new_password, hash))
        return err_set(ed, ERR_INTERNAL, NULL, "could not hash the password");
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    /* store_user_set_password ends every session of the user (the caller starts a new one) */
    if ((rc = store_user_set_password(st, id, hash)) == ERR_OK)
        rc = core_audit(st, "password_change", u.username, "", "");
    return finish(st, rc, id, &u, ed);
}
