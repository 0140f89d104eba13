/* Health, login/logout, who am I, and the vocabularies the UI needs. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/routing.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define SESSION_COOKIE "alo153_session"
/* how long a login waits for its turn at the password gate (core/auth.h) before 503 */
#define LOGIN_GATE_WAIT_MS 3000u

/* 5 failures free, then 1, 2, 4, … 60 s between tries; forgotten after an hour without one */
static const struct limiter_backoff login_backoff = {
    .free_failures = 5, .base_ms = 1000, .max_ms = 60000, .forget_ms = 3600000
};

/* 200 {"status":"ok","database":"ok","schema":N}, or 503 {"status":"degraded","database":
 * "unavailable"|"damaged"} with Retry-After when the database cannot be reached (r->st is NULL
 * when no connection could be opened) or a damaged page was met (store_check: writes are
 * refused then, and a load balancer should send the traffic elsewhere). */
/* The database's state for /healthz and /readyz: "ok", "damaged" or "unavailable". */
static const char *db_state(struct api_req *r)
{
    char v[16];
    struct err_detail ed = { 0 };
    bool damaged = r->st && store_check(r->st, false, &ed) == ERR_STORE;
    bool db = r->st && !damaged && store_setting_get(r->st, "province", v, sizeof(v)) == ERR_OK;
    if (!db && r->st && !damaged) /* the read may just have met the damage */
        damaged = store_check(r->st, false, &ed) == ERR_STORE;
    return db ? "ok" : damaged ? "damaged" : "unavailable";
}

void h_health(struct api_req *r)
{
    const char *state = db_state(r);
    bool db = strcmp(state, "ok") == 0, damaged = strcmp(state, "damaged") == 0;
    if (!db)
        api_retry_after(r, API_RETRY_AFTER);
    api_reply(r, db ? 200 : 503,
              json_pack("{s:s, s:s, s:i}", "status", db ? "ok" : "degraded", "database",
                        db        ? "ok"
                        : damaged ? "damaged"
                                  : "unavailable",
                        "schema", db ? store_schema_version(r->st) : 0));
}

/* GET /readyz: may a load balancer send this process requests? 200 {"status":"ready",
 * "database":"ok","web":"ok"|"none","model":"loaded"|"none","draining":false}, or 503
 * {"status":"not_ready",…} with Retry-After when the database is unavailable or damaged, the
 * web console's files are missing, or the process is draining before it stops (SIGTERM with
 * serve --drain-seconds). A missing routing model is reported, not a reason to refuse: the
 * console works without suggestions. */
void h_ready(struct api_req *r)
{
    const char *db = db_state(r);
    char index[4096];
    const char *web = "none";
    bool web_ok = true;
    if (r->api->web_root) {
        int n = snprintf(index, sizeof(index), "%s/index.html", r->api->web_root);
        web_ok = n > 0 && (size_t)n < sizeof(index) && access(index, R_OK) == 0;
        web = web_ok ? "ok" : "missing";
    }
    bool draining = atomic_load(&r->api->draining);
    bool ready = strcmp(db, "ok") == 0 && web_ok && !draining;
    if (!ready)
        api_retry_after(r, API_RETRY_AFTER);
    api_reply(r, ready ? 200 : 503,
              json_pack("{s:s, s:s, s:s, s:s, s:b}", "status", ready ? "ready" : "not_ready",
                        "database", db, "web", web, "model",
                        routing_available() ? "loaded" : "none", "draining", draining));
}

void h_session_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "username", F_STR, true, 64 },
                                             { "password", F_STR, true, AUTH_PASSWORD_MAX },
                                             { 0 } };
    char hash[AUTH_HASH_LEN], token[AUTH_TOKEN_LEN], th[AUTH_TOKEN_LEN], cookie[256];
    struct user u;
    if (!api_check_fields(r, spec))
        return;
    /* Failed logins slow down per account and address: a few typos cost nothing, then each
     * failure doubles the wait of that pair (LOGIN_BACKOFF), so guessing one account is slow
     * while the other users behind the same address (one NAT = a whole call centre) log in as
     * usual, and the right password works again as soon as the pair's short wait is over.
     * Only far more failures from one address than an office makes (login_failures_per_hour)
     * stop every login from it until the hour ends. Refused attempts are not verified. */
    char pair[LIMITER_KEY_MAX];
    snprintf(pair, sizeof(pair), "login|%s|%s", r->http->remote, api_str(r, "username"));
    int64_t wait = limiter_wait(r->api->limits, pair, limiter_clock_ms());
    if (wait > 0) {
        api_retry_after(r, (wait + 999) / 1000);
        api_fail(r, ERR_RATE, "login_wait", NULL,
                 "too many failed logins for this account from this address; retry in %lld s",
                 (long long)((wait + 999) / 1000));
        return;
    }
    if (!api_rate_take(r, "login-fail", r->api->cfg.login_failures_per_hour)) {
        api_retry_after(r, 3600 - time_now() % 3600);
        api_fail(r, ERR_RATE, "too_many_logins", NULL,
                 "too many failed logins from this address; try later");
        return;
    }
    int rc = store_user_by_name(r->st, api_str(r, "username"), &u, hash, sizeof(hash));
    /* verify even for unknown users, so timing does not reveal which names exist */
    enum auth_check ok =
        auth_verify_password_gated(rc == ERR_OK ? hash
                                                : "$argon2id$v=19$m=65536,t=2,p=1$"
                                                  "c29tZXNhbHRzb21lc2FsdA$"
                                                  "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
                                   api_str(r, "password"), LOGIN_GATE_WAIT_MS);
    if (ok == AUTH_CHECK_BUSY) {
        /* too many logins at once: not a failure of this account, try again in a moment */
        api_rate_give_back(r, "login-fail");
        api_retry_after(r, 1);
        api_fail(r, ERR_UNAVAILABLE, "login_busy", NULL,
                 "too many logins at this moment; retry in a second");
        return;
    }
    struct audit_actor who = { .id = 0 };
    str_copy(who.name, sizeof(who.name), api_str(r, "username"));
    str_copy(who.address, sizeof(who.address), r->http->remote);
    if (rc != ERR_OK || ok != AUTH_CHECK_OK || u.disabled) {
        limiter_fail(r->api->limits, pair, limiter_clock_ms(), &login_backoff);
        /* the name tried, from where; a row that cannot be written does not change the answer */
        audit_set_actor(&who);
        if (core_audit(r->st, "login_failed", api_str(r, "username"), "", "") != ERR_OK)
            log_warn("msg=\"failed login not audited\" user=%s", api_str(r, "username"));
        api_fail(r, ERR_UNAUTH, "invalid_credentials", NULL, "wrong username or password");
        return;
    }
    api_rate_give_back(r, "login-fail"); /* only failures count */
    limiter_clear(r->api->limits, pair);
    auth_new_token(token);
    auth_token_hash(token, th);
    /* the session slides with activity (router.c touches it) up to the absolute limit */
    int64_t now = time_now(), max = now + (int64_t)r->api->cfg.session_hours * 3600;
    int64_t expires = now + (int64_t)api_session_idle_seconds(r->api);
    if (expires > max)
        expires = max;
    /* the session and its audit row together: no login without its row */
    who.id = u.id;
    audit_set_actor(&who);
    if (store_begin(r->st) != ERR_OK ||
        store_session_create(r->st, th, u.id, expires, max) != ERR_OK ||
        core_audit(r->st, "login", u.username, "", "") != ERR_OK || store_commit(r->st) != ERR_OK) {
        store_rollback(r->st);
        api_fail(r, ERR_STORE, NULL, NULL, "could not create the session");
        return;
    }
    snprintf(cookie, sizeof(cookie),
             SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
             r->api->cfg.session_hours * 3600,
             r->api->cfg.secure_cookies || r->http->secure ? "; Secure" : "");
    http_set_header(r->resp, "Set-Cookie", cookie);
    r->user = u;
    r->authed = true;
    api_reply(r, 200,
              json_pack("{s:o, s:o}", "user", api_user_json(&u), "expires_at", api_time(expires)));
}

void h_session_delete(struct api_req *r)
{
    char th[AUTH_TOKEN_LEN];
    const char *cookie = http_cookie(r->http, SESSION_COOKIE);
    struct user u;
    if (cookie) {
        auth_token_hash(cookie, th);
        /* a live session's end is audited with it (an unknown cookie is only cleared) */
        if (store_session_user(r->st, th, time_now(), &u, NULL) == ERR_OK) {
            struct audit_actor who = { .id = u.id };
            str_copy(who.name, sizeof(who.name), u.username);
            str_copy(who.address, sizeof(who.address), r->http->remote);
            audit_set_actor(&who);
            if (store_begin(r->st) != ERR_OK || store_session_delete(r->st, th) != ERR_OK ||
                core_audit(r->st, "logout", u.username, "", "") != ERR_OK ||
                store_commit(r->st) != ERR_OK) {
                store_rollback(r->st);
                api_fail(r, ERR_UNAVAILABLE, NULL, NULL, "could not end the session");
                return;
            }
        } else {
            store_session_delete(r->st, th);
        }
    }
    http_set_header(r->resp, "Set-Cookie",
                    r->api->cfg.secure_cookies || r->http->secure
                        ? SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
                        : SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    r->resp->status = 204;
}

void h_me(struct api_req *r)
{
    api_reply(r, 200, api_user_json(&r->user));
}

static json_t *word_list(const char *const *list)
{
    json_t *a = json_array();
    for (; *list; list++)
        json_array_append_new(a, json_string(*list));
    return a;
}

void h_meta(struct api_req *r)
{
    char province[64] = "", name[128] = "";
    json_t *statuses = json_array(), *actions = json_array(), *roles = json_array();
    for (int i = 0; i < ST__COUNT; i++)
        json_array_append_new(statuses, json_string(lifecycle_status_name((enum app_status)i)));
    for (int i = 0; i < ACT__COUNT; i++)
        json_array_append_new(actions, json_string(lifecycle_action_name((enum app_action)i)));
    for (int i = 0; i < ROLE__COUNT; i++)
        json_array_append_new(roles, json_string(role_name((enum role)i)));
    store_setting_get(r->st, "province", province, sizeof(province));
    store_setting_get(r->st, "municipality", name, sizeof(name));
    api_reply(r, 200,
              json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s}", "kinds", word_list(core_kinds),
                        "channels", word_list(core_channels), "priorities",
                        word_list(core_priorities), "statuses", statuses, "actions", actions,
                        "roles", roles, "province", province, "municipality", name));
}
