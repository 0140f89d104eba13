/*
 * Rights and the audit log (issue 12): department grants of a user, the caller's own password,
 * API tokens, and the audit log. Admins only, except /me/password (every signed-in user).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/rights.h"
#include "core/users.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define SESSION_COOKIE "alo153_session"
#define PASSWORD_GATE_WAIT_MS 3000u /* as a login waits for the password gate (h_session.c) */

static json_t *grant_json(const struct grant *g)
{
    return json_pack("{s:s, s:b, s:o}", "department", g->department_code, "act", g->act,
                     "created_at", api_time(g->created_at));
}

static void reply_grants(struct api_req *r, int64_t user_id, int status)
{
    struct grant *g = NULL;
    size_t n = 0;
    if (store_grant_list(r->st, user_id, &g, &n) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "could not read the grants");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, grant_json(&g[i]));
    free(g);
    api_reply(r, status, json_pack("{s:o}", "items", items));
}

/* GET /users/:id/grants */
void h_grants(struct api_req *r)
{
    int64_t id;
    struct user u;
    if (!api_param_id(r, 0, &id))
        return;
    if (store_user_get(r->st, id, &u) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such user");
        return;
    }
    reply_grants(r, id, 200);
}

/* POST /users/:id/grants {"department": CODE, "act": bool} — add or change; the user's grants */
void h_grant_set(struct api_req *r)
{
    static const struct api_field spec[] = { { "department", F_STR, true, 39 },
                                             { "act", F_BOOL, false, 0 },
                                             { 0 } };
    int64_t id;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    bool act = json_is_true(json_object_get(r->body, "act"));
    if (core_grant_set(r->st, id, api_str(r, "department"), act, NULL, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    reply_grants(r, id, 200);
}

/* DELETE /users/:id/grants/:code */
void h_grant_delete(struct api_req *r)
{
    int64_t id;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id))
        return;
    if (core_grant_revoke(r->st, id, r->params[1], &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    r->resp->status = 204;
}

/* POST /me/password {"current", "new"}: the caller's own password. Every session of the user
 * ends, this one too; a new session is handed out in its place (Set-Cookie). */
void h_me_password(struct api_req *r)
{
    static const struct api_field spec[] = { { "current", F_STR, true, AUTH_PASSWORD_MAX },
                                             { "new", F_STR, true, AUTH_PASSWORD_MAX + 1 },
                                             { 0 } };
    struct err_detail ed = { 0 };
    char token[AUTH_TOKEN_LEN], th[AUTH_TOKEN_LEN], cookie[256];
    if (!api_check_fields(r, spec))
        return;
    if (strncmp(r->user.username, "token.", 6) == 0) {
        api_fail(r, ERR_FORBIDDEN, NULL, NULL, "an API token has no password");
        return;
    }
    if (core_user_change_password(r->st, r->user.id, api_str(r, "current"), api_str(r, "new"),
                                  PASSWORD_GATE_WAIT_MS, &ed) != ERR_OK) {
        if (ed.code == ERR_UNAVAILABLE)
            api_retry_after(r, 1);
        api_error_ed(r, &ed);
        return;
    }
    bool cookie_session = http_cookie(r->http, SESSION_COOKIE) != NULL;
    if (cookie_session) {
        int64_t now = time_now(), max = now + (int64_t)r->api->cfg.session_hours * 3600;
        int64_t expires = now + (int64_t)api_session_idle_seconds(r->api);
        if (expires > max)
            expires = max;
        auth_new_token(token);
        auth_token_hash(token, th);
        if (store_session_create(r->st, th, r->user.id, expires, max) == ERR_OK) {
            snprintf(cookie, sizeof(cookie),
                     SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
                     r->api->cfg.session_hours * 3600,
                     r->api->cfg.secure_cookies || r->http->secure ? "; Secure" : "");
            http_set_header(r->resp, "Set-Cookie", cookie);
        }
    }
    api_reply(r, 200, json_pack("{s:b}", "changed", 1));
}

static json_t *token_json(const struct api_token *t, int64_t now)
{
    const char *state = t->revoked_at                           ? "revoked"
                        : t->expires_at && t->expires_at <= now ? "expired"
                                                                : "active";
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)t->id, "name",
                     t->name, "user", t->username, "state", state, "created_at",
                     api_time(t->created_at), "expires_at", api_time(t->expires_at), "revoked_at",
                     api_time(t->revoked_at), "last_used_at", api_time(t->last_used_at));
}

/* GET /tokens */
void h_tokens(struct api_req *r)
{
    struct api_token *v = NULL;
    size_t n = 0;
    int64_t now = time_now();
    if (store_token_list(r->st, &v, &n) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "could not read the tokens");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = token_json(&v[i], now);
        struct user u;
        if (store_user_get(r->st, v[i].user_id, &u) == ERR_OK) {
            json_object_set_new(o, "role", json_string(role_name(u.role)));
            json_object_set_new(o, "department",
                                u.department_code[0] ? json_string(u.department_code)
                                                     : json_null());
        }
        json_array_append_new(items, o);
    }
    free(v);
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

/* POST /tokens {"name", "role", "department"?, "expires"?: "90d" | date} — the secret once */
void h_token_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "name", F_STR, true, 40 },
                                             { "role", F_STR, true, 16 },
                                             { "department", F_STR, false, 39 },
                                             { "expires", F_STR, false, 40 },
                                             { 0 } };
    struct err_detail ed = { 0 };
    struct api_token t;
    char secret[AUTH_TOKEN_LEN];
    int64_t expires_at, now = time_now();
    if (!api_check_fields(r, spec))
        return;
    if (!core_token_parse_expiry(api_str(r, "expires"), now, &expires_at)) {
        api_fail(r, ERR_INVALID, NULL, "expires",
                 "expires takes a number of days (90d) or a future date (YYYY-MM-DD)");
        return;
    }
    if (core_token_create(r->st, api_str(r, "name"), api_str(r, "role"), api_str(r, "department"),
                          expires_at, secret, &t, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    json_t *o = token_json(&t, now);
    json_object_set_new(o, "token", json_string(secret));
    api_reply(r, 201, o);
}

/* DELETE /tokens/:id */
void h_token_delete(struct api_req *r)
{
    int64_t id;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id))
        return;
    if (core_token_revoke(r->st, id, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    r->resp->status = 204;
}

/* A stored JSON text as a value (null for ""; the text itself if it is not JSON). */
static json_t *json_of(const char *s)
{
    if (!s || !*s)
        return json_null();
    json_t *v = json_loads(s, 0, NULL);
    return v ? v : json_string(s);
}

/* GET /audit?from=&to=&actor=&kind=&after=&limit= — newest first, keyset paged by id */
void h_audit(struct api_req *r)
{
    struct audit_filter f = { .limit = 50 };
    const char *lim = http_query(r->http, "limit");
    int64_t limit = 50;
    if (lim && !parse_i64(lim, 1, 500, &limit)) {
        api_fail(r, ERR_INVALID, NULL, "limit", "limit must be 1..500");
        return;
    }
    if (!api_query_time(r, "from", false, &f.from) || !api_query_time(r, "to", true, &f.to) ||
        !api_query_id(r, "after", &f.after))
        return;
    f.limit = (int)limit;
    f.actor = http_query(r->http, "actor");
    f.kind = http_query(r->http, "kind");
    struct audit_entry *v = NULL;
    size_t n = 0;
    int64_t next = 0;
    if (store_audit_list(r->st, &f, &v, &n, &next) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "could not read the audit log");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(items, json_pack("{s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:o, s:o}",
                                               "id", (json_int_t)v[i].id, "at", api_time(v[i].at),
                                               "actor_id", (json_int_t)v[i].actor_id, "actor",
                                               v[i].actor, "kind", v[i].kind, "object", v[i].object,
                                               "address", v[i].address, "before",
                                               json_of(v[i].before), "after", json_of(v[i].after)));
        audit_entry_release(&v[i]);
    }
    free(v);
    api_reply(
        r, 200,
        json_pack("{s:o, s:o}", "items", items, "next", next ? json_integer(next) : json_null()));
}
