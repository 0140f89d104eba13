#include "core/rights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/policy.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define ISTANBUL_OFFSET (3 * 3600) /* UTC+3 all year since 2016 */
#define TOKEN_USE_STEP 60          /* last_used_at is written at most once a minute */

/* Commit when rc is ERR_OK, else roll back; a failure without detail is named by what. */
static int finish(struct store *st, int rc, const char *what, struct err_detail *ed)
{
    if (rc == ERR_OK)
        rc = store_commit(st);
    if (rc != ERR_OK) {
        store_rollback(st);
        if (ed && ed->code == ERR_OK)
            err_set(ed, rc, NULL, "could not store the %s", what);
    }
    return rc;
}

/* The user and department of a grant, checked; object "username:CODE" for the audit row. */
static int grant_start(struct store *st, int64_t user_id, const char *dept_code, struct user *u,
                       struct department *d, char object[128], struct err_detail *ed)
{
    int rc = store_user_get(st, user_id, u);
    if (rc == ERR_NOT_FOUND)
        return err_set(ed, ERR_NOT_FOUND, NULL, "no such user");
    if (rc != ERR_OK)
        return rc;
    if (!dept_code || !*dept_code)
        return err_set_named(ed, ERR_INVALID, "missing_field", "department",
                             "department is required");
    rc = store_department_by_code(st, dept_code, d);
    if (rc == ERR_NOT_FOUND)
        return err_set(ed, ERR_UNPROCESSABLE, "department", "unknown department %s", dept_code);
    if (rc != ERR_OK)
        return rc;
    snprintf(object, 128, "%s:%s", u->username, d->code);
    return ERR_OK;
}

/* {"department":CODE,"act":bool} into sb, or "" when g is NULL. */
static const char *grant_json(struct strbuf *sb, const char *code, const struct grant *g)
{
    strbuf_init(sb, 0);
    if (!g)
        return sb->buf;
    audit_json_begin(sb);
    audit_json_str(sb, "department", code);
    audit_json_bool(sb, "act", g->act);
    return audit_json_end(sb);
}

/* The grant of user_id on department_id, when there is one. */
static bool grant_find(struct store *st, int64_t user_id, int64_t department_id, struct grant *out)
{
    struct grant *g = NULL;
    size_t n = 0;
    bool found = false;
    if (store_grant_list(st, user_id, &g, &n) != ERR_OK)
        return false;
    for (size_t i = 0; i < n && !found; i++)
        if (g[i].department_id == department_id) {
            *out = g[i];
            found = true;
        }
    free(g);
    return found;
}

int core_grant_set(struct store *st, int64_t user_id, const char *dept_code, bool act,
                   struct grant *out, struct err_detail *ed)
{
    struct user u;
    struct department d;
    struct grant was, g = { 0 };
    struct strbuf b, a;
    char object[128];
    int rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = grant_start(st, user_id, dept_code, &u, &d, object, ed)) != ERR_OK)
        goto out;
    if (!policy_may_hold_grants(u.role)) {
        rc = err_set_named(ed, ERR_INVALID, "role_without_grants", "user",
                           "only staff and managers hold department grants");
        goto out;
    }
    if (u.department_id && store_department_within(st, d.id, u.department_id)) {
        rc = err_set_named(ed, ERR_INVALID, "own_department", "department",
                           "the user works in %s already", d.code);
        goto out;
    }
    bool had = grant_find(st, user_id, d.id, &was);
    g.user_id = user_id;
    g.department_id = d.id;
    g.act = act;
    g.created_at = had ? was.created_at : time_now();
    str_copy(g.department_code, sizeof(g.department_code), d.code);
    grant_json(&b, d.code, had ? &was : NULL);
    grant_json(&a, d.code, &g);
    struct dept_reach reach; /* every list and count must still be able to take the reach */
    if ((rc = store_grant_set(st, &g)) == ERR_OK &&
        (rc = policy_reach(st, &u, POL_APP_READ, &reach)) == ERR_TOO_BIG)
        rc = err_set_named(ed, ERR_INVALID, "too_many_grants", "department",
                           "a user reaches at most %d separate departments", DEPT_REACH_MAX);
    if (rc == ERR_OK)
        rc = core_audit(st, "grant", object, b.buf, a.buf);
    strbuf_release(&b);
    strbuf_release(&a);
    if (out)
        *out = g;
out:
    return finish(st, rc, "grant", ed);
}

int core_grant_revoke(struct store *st, int64_t user_id, const char *dept_code,
                      struct err_detail *ed)
{
    struct user u;
    struct department d;
    struct grant was;
    struct strbuf b;
    char object[128];
    int rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = grant_start(st, user_id, dept_code, &u, &d, object, ed)) != ERR_OK)
        goto out;
    if (!grant_find(st, user_id, d.id, &was)) {
        rc = err_set(ed, ERR_NOT_FOUND, NULL, "no such grant");
        goto out;
    }
    grant_json(&b, d.code, &was);
    if ((rc = store_grant_delete(st, user_id, d.id)) == ERR_OK)
        rc = core_audit(st, "grant", object, b.buf, "");
    strbuf_release(&b);
out:
    return finish(st, rc, "grant", ed);
}

bool core_token_parse_expiry(const char *s, int64_t now, int64_t *out)
{
    int64_t days;
    *out = 0;
    if (!s || !*s)
        return true;
    size_t n = strlen(s);
    if (n >= 2 && n <= 5 && s[n - 1] == 'd') {
        int64_t v = 0;
        for (size_t i = 0; i + 1 < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v = v * 10 + (s[i] - '0');
        }
        if (v < 1)
            return false;
        *out = now + v * 86400;
        return true;
    }
    if (time_parse_date(s, &days))
        *out = days * 86400 - ISTANBUL_OFFSET;
    else if (!time_parse(s, out))
        return false;
    return *out > now;
}

static bool valid_token_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 40)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return false;
    return true;
}

/* A token as {"name","role","department","expires_at"} for the audit log into sb. */
static const char *token_json(struct strbuf *sb, const struct api_token *t, const struct user *u)
{
    audit_json_begin(sb);
    audit_json_str(sb, "name", t->name);
    audit_json_str(sb, "role", role_name(u->role));
    audit_json_str(sb, "department", u->department_code);
    audit_json_int(sb, "expires_at", t->expires_at);
    if (t->revoked_at)
        audit_json_int(sb, "revoked_at", t->revoked_at);
    return audit_json_end(sb);
}

int core_token_create(struct store *st, const char *name, const char *role, const char *dept_code,
                      int64_t expires_at, char secret[AUTH_TOKEN_LEN], struct api_token *out,
                      struct err_detail *ed)
{
    struct user u = { 0 };
    struct department d;
    struct api_token t = { 0 };
    char th[AUTH_TOKEN_LEN];
    struct strbuf a;
    int r, rc;
    memset(out, 0, sizeof(*out));
    if (!name || !valid_token_name(name))
        return err_set(ed, ERR_INVALID, "name", "use 2-40 of a-z, 0-9, '.', '_' and '-'");
    if (!role || (r = role_parse(role)) < 0)
        return err_set(ed, ERR_INVALID, "role", "unknown role");
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    /* a token acts as a user of its own that cannot log in, so history names the integration */
    snprintf(u.username, sizeof(u.username), "token.%s", name);
    snprintf(u.full_name, sizeof(u.full_name), "%s (API)", name);
    u.role = (enum role)r;
    u.created_at = time_now();
    if (dept_code && *dept_code) {
        if ((rc = store_department_by_code(st, dept_code, &d)) != ERR_OK) {
            if (rc == ERR_NOT_FOUND)
                rc = err_set(ed, ERR_UNPROCESSABLE, "department", "unknown department %s",
                             dept_code);
            goto out;
        }
        u.department_id = d.id;
        str_copy(u.department_code, sizeof(u.department_code), d.code);
    }
    auth_new_token(secret);
    auth_token_hash(secret, th);
    str_copy(t.name, sizeof(t.name), name);
    str_copy(t.username, sizeof(t.username), u.username);
    t.created_at = u.created_at;
    t.expires_at = expires_at;
    /* the password hash "!" can never verify: the account cannot log in interactively */
    if ((rc = store_user_create(st, &u, "!", ed)) != ERR_OK) {
        if (rc == ERR_CONFLICT)
            rc = err_set(ed, ERR_CONFLICT, "name", "a token named %s exists", name);
        goto out;
    }
    t.user_id = u.id;
    if ((rc = store_token_create(st, &t, th)) != ERR_OK) {
        if (rc == ERR_CONFLICT)
            rc = err_set(ed, ERR_CONFLICT, "name", "a token named %s exists", name);
        goto out;
    }
    rc = core_audit(st, "token", name, "", token_json(&a, &t, &u));
    strbuf_release(&a);
    *out = t;
out:
    if (rc != ERR_OK)
        memset(secret, 0, AUTH_TOKEN_LEN);
    return finish(st, rc, "token", ed);
}

int core_token_revoke(struct store *st, int64_t id, struct err_detail *ed)
{
    struct api_token t;
    struct user u;
    struct strbuf b, a;
    int rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    rc = store_token_get(st, id, &t);
    if (rc == ERR_NOT_FOUND)
        rc = err_set(ed, ERR_NOT_FOUND, NULL, "no such token");
    if (rc != ERR_OK || (rc = store_user_get(st, t.user_id, &u)) != ERR_OK)
        goto out;
    if (t.revoked_at) {
        rc = err_set_named(ed, ERR_CONFLICT, "token_revoked", NULL, "the token is revoked already");
        goto out;
    }
    token_json(&b, &t, &u);
    t.revoked_at = time_now();
    token_json(&a, &t, &u);
    if ((rc = store_token_revoke(st, id, t.revoked_at)) == ERR_OK)
        rc = core_audit(st, "token", t.name, b.buf, a.buf);
    strbuf_release(&b);
    strbuf_release(&a);
out:
    return finish(st, rc, "token", ed);
}

int core_token_authenticate(struct store *st, const char *secret, int64_t now, struct user *out,
                            struct err_detail *ed)
{
    char th[AUTH_TOKEN_LEN];
    struct api_token t;
    auth_token_hash(secret, th);
    int rc = store_token_by_hash(st, th, &t);
    if (rc == ERR_NOT_FOUND)
        return err_set_named(ed, ERR_UNAUTH, "invalid_token", NULL, "unknown token");
    if (rc != ERR_OK)
        return rc;
    if (t.revoked_at)
        return err_set_named(ed, ERR_UNAUTH, "token_revoked", NULL, "the token was revoked");
    if (t.expires_at && t.expires_at <= now)
        return err_set_named(ed, ERR_UNAUTH, "token_expired", NULL, "the token has expired");
    rc = store_token_user(st, th, now, out);
    if (rc == ERR_NOT_FOUND)
        return err_set_named(ed, ERR_UNAUTH, "invalid_token", NULL, "the token's user is disabled");
    if (rc != ERR_OK)
        return rc;
    /* a failed note only means the time shown is older */
    if (t.last_used_at + TOKEN_USE_STEP <= now)
        store_token_used(st, t.id, now);
    return ERR_OK;
}
