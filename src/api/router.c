/* The mounts and their route tables, admission, authentication, body parsing, dispatch, and
 * the one err_code → HTTP map. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api_int.h"
#include "api/metrics.h"
#include "core/auth.h"
#include "core/audit.h"
#include "core/rights.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

#define SESSION_COOKIE "alo153_session"

/* Dispatch is data: method, pattern (below /api/v1), handler, who may call it, what its body is
 * and its own cap (0 = the default of its kind). More specific patterns come first. */
static const struct api_route v1_routes[] = {
    /* a login is a name and a password of 256 bytes at most: anyone may call it, so no more */
    { "POST", "/session", h_session_create, ACC_PUBLIC, BODY_JSON, 16 << 10 },
    { "DELETE", "/session", h_session_delete, ACC_PUBLIC, BODY_NONE, 0 },
    { "GET", "/me", h_me, ACC_USER, BODY_NONE, 0 },
    { "GET", "/meta", h_meta, ACC_PUBLIC, BODY_NONE, 0 },
    { "POST", "/citizens", h_citizen_create, ACC_FRONT, BODY_JSON, 0 },
    { "GET", "/citizens", h_citizen_find, ACC_FRONT, BODY_NONE, 0 },
    { "GET", "/citizens/:id", h_citizen_get, ACC_FRONT, BODY_NONE, 0 },
    /* KVKK (issue 12): the data-protection officer and admin */
    { "GET", "/citizens/:id/export", h_kvkk_export, ACC_PRIVACY, BODY_NONE, 0 },
    { "POST", "/citizens/:id/anonymise", h_kvkk_anonymise, ACC_PRIVACY, BODY_JSON, 0 },
    { "GET", "/kvkk/citizens", h_kvkk_find, ACC_PRIVACY, BODY_NONE, 0 },
    { "GET", "/view-log", h_view_log, ACC_PRIVACY, BODY_NONE, 0 },
    { "POST", "/applications", h_app_create, ACC_FRONT, BODY_JSON, 0 },
    { "GET", "/applications", h_app_list, ACC_USER, BODY_NONE, 0 },
    { "GET", "/applications/by-tracking/:t", h_app_by_tracking, ACC_USER, BODY_NONE, 0 },
    { "GET", "/applications/similar", h_app_similar, ACC_USER, BODY_NONE, 0 },
    { "GET", "/applications/:id", h_app_get, ACC_USER, BODY_NONE, 0 },
    { "GET", "/applications/:id/citizen-phone", h_app_citizen_phone, ACC_USER, BODY_NONE, 0 },
    { "POST", "/applications/:id/attachments", h_app_attach, ACC_USER, BODY_FILE, 0 },
    { "GET", "/applications/:id/attachments/:aid", h_app_attachment_get, ACC_USER, BODY_NONE, 0 },
    { "POST", "/applications/:id/links", h_app_link, ACC_USER, BODY_JSON, 0 },
    { "POST", "/applications/:id/:action", h_app_action, ACC_USER, BODY_JSON, 0 },
    { "POST", "/public/applications", h_public_create, ACC_PUBLIC, BODY_JSON, 0 },
    { "GET", "/public/applications/:t", h_public_get, ACC_PUBLIC, BODY_NONE, 0 },
    { "GET", "/public/applications/:t/photos/:aid", h_public_photo, ACC_PUBLIC, BODY_NONE, 0 },
    { "GET", "/field/jobs", h_field_jobs, ACC_USER, BODY_NONE, 0 },
    { "POST", "/public/applications/:t/attachments", h_public_attach, ACC_PUBLIC, BODY_FILE,
      4 << 20 }, /* PORTAL_PHOTO_BYTES: the citizen's photo after the browser's resize */
    { "POST", "/public/classify", h_public_classify, ACC_PUBLIC, BODY_JSON, 64 << 10 },
    { "GET", "/public/notice", h_public_notice, ACC_PUBLIC, BODY_NONE, 0 },
    { "GET", "/departments", h_departments, ACC_USER, BODY_NONE, 0 },
    { "POST", "/departments", h_department_write, ACC_ADMIN, BODY_JSON, 0 },
    { "PATCH", "/departments/:code", h_department_write, ACC_ADMIN, BODY_JSON, 0 },
    { "GET", "/categories", h_categories, ACC_PUBLIC, BODY_NONE, 0 },
    { "POST", "/categories", h_category_write, ACC_ADMIN, BODY_JSON, 0 },
    { "PATCH", "/categories/:code", h_category_write, ACC_ADMIN, BODY_JSON, 0 },
    { "GET", "/institutions", h_institutions, ACC_USER, BODY_NONE, 0 },
    { "GET", "/districts", h_districts, ACC_PUBLIC, BODY_NONE, 0 },
    { "POST", "/districts", h_district_create, ACC_ADMIN, BODY_JSON, 0 },
    { "GET", "/districts/:id/neighbourhoods", h_neighbourhoods, ACC_PUBLIC, BODY_NONE, 0 },
    { "POST", "/districts/:id/neighbourhoods", h_neighbourhood_create, ACC_ADMIN, BODY_JSON, 0 },
    { "GET", "/holidays", h_holidays, ACC_USER, BODY_NONE, 0 },
    { "POST", "/holidays", h_holiday_set, ACC_ADMIN, BODY_JSON, 0 },
    { "DELETE", "/holidays/:date", h_holiday_delete, ACC_ADMIN, BODY_NONE, 0 },
    { "POST", "/classify", h_classify, ACC_USER, BODY_JSON, 0 },
    { "GET", "/routing/quality", h_routing_quality, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "GET", "/routing/models", h_routing_models, ACC_ADMIN, BODY_NONE, 0 },
    { "GET", "/routing/corrections", h_routing_corrections, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "GET", "/stats", h_stats, ACC_USER, BODY_NONE, 0 },
    { "GET", "/reports/summary", h_report_summary, ACC_USER, BODY_NONE, 0 },
    { "GET", "/reports/export", h_report_export, ACC_USER, BODY_NONE, 0 },
    { "GET", "/settings", h_settings, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "PATCH", "/settings", h_settings_update, ACC_ADMIN, BODY_JSON, 0 },
    { "GET", "/users", h_users, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "POST", "/users", h_user_create, ACC_ADMIN, BODY_JSON, 0 },
    { "PATCH", "/users/:id", h_user_update, ACC_ADMIN, BODY_JSON, 0 },
    /* rights and the audit log (issue 12, h_rights.c) */
    { "GET", "/users/:id/grants", h_grants, ACC_ADMIN, BODY_NONE, 0 },
    { "POST", "/users/:id/grants", h_grant_set, ACC_ADMIN, BODY_JSON, 0 },
    { "DELETE", "/users/:id/grants/:code", h_grant_delete, ACC_ADMIN, BODY_NONE, 0 },
    { "POST", "/me/password", h_me_password, ACC_USER, BODY_JSON, 16 << 10 },
    { "GET", "/tokens", h_tokens, ACC_ADMIN, BODY_NONE, 0 },
    { "POST", "/tokens", h_token_create, ACC_ADMIN, BODY_JSON, 0 },
    { "DELETE", "/tokens/:id", h_token_delete, ACC_ADMIN, BODY_NONE, 0 },
    { "GET", "/audit", h_audit, ACC_ADMIN, BODY_NONE, 0 },
    /* the contact centre (issue 10) */
    { "POST", "/contacts", h_contact_create, ACC_FRONT, BODY_JSON, 0 },
    { "GET", "/contacts", h_contact_list, ACC_FRONT, BODY_NONE, 0 },
    { "GET", "/contacts/:id", h_contact_get, ACC_FRONT, BODY_NONE, 0 },
    { "POST", "/contacts/:id/close", h_contact_close, ACC_FRONT, BODY_JSON, 0 },
    /* up to 500 events of some 300 bytes each */
    { "POST", "/telephony/events", h_telephony_events, ACC_TELEPHONY, BODY_JSON, 256 << 10 },
    { "GET", "/agents/me/state", h_agent_state_get, ACC_FRONT, BODY_NONE, 0 },
    { "PUT", "/agents/me/state", h_agent_state_set, ACC_FRONT, BODY_JSON, 0 },
    { "GET", "/agents/me/events", h_agent_events, ACC_FRONT, BODY_NONE, 0 },
    { "GET", "/agents", h_agents, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "GET", "/kpi/live", h_kpi_live, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "GET", "/live", h_live, ACC_USER, BODY_NONE, 0 }, /* server-sent events (h_live.c) */
    { "GET", "/kpi/calls", h_kpi_calls, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "GET", "/kpi/contacts", h_kpi_contacts, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "GET", "/kb/articles", h_kb_list, ACC_USER, BODY_NONE, 0 },
    { "GET", "/kb/articles/:id", h_kb_get, ACC_USER, BODY_NONE, 0 },
    { "POST", "/kb/articles", h_kb_write, ACC_EDITOR, BODY_JSON, 0 },
    { "PATCH", "/kb/articles/:id", h_kb_write, ACC_EDITOR, BODY_JSON, 0 },
    { "DELETE", "/kb/articles/:id", h_kb_delete, ACC_EDITOR, BODY_NONE, 0 },
    /* CİMER (issue 15, h_cimer.c): an import file of up to 5,000 applications */
    { "POST", "/cimer/import", h_cimer_import, ACC_FRONT, BODY_FILE, 0 },
    { "POST", "/cimer/applications", h_cimer_create, ACC_FRONT, BODY_JSON, 0 },
    { "GET", "/cimer/applications", h_cimer_list, ACC_FRONT, BODY_NONE, 0 },
    { "GET", "/cimer/applications/:id/answer", h_cimer_answer, ACC_FRONT, BODY_NONE, 0 },
    { "POST", "/cimer/applications/:id/answered", h_cimer_answered, ACC_FRONT, BODY_JSON, 0 },
    { "POST", "/cimer/applications/:id/redirect", h_cimer_redirect, ACC_FRONT, BODY_JSON, 0 },
    { "GET", "/cimer/applications/:id", h_cimer_get, ACC_FRONT, BODY_NONE, 0 },
    /* outgoing messages and surveys (issue 15: h_outbox.c) */
    { "GET", "/outbox", h_outbox_list, ACC_ADMIN, BODY_NONE, 0 },
    { "POST", "/outbox/:id/resend", h_outbox_resend, ACC_ADMIN, BODY_NONE, 0 },
    { "GET", "/message-templates", h_templates, ACC_ADMIN, BODY_NONE, 0 },
    { "PUT", "/message-templates/:purpose/:channel/:lang", h_template_put, ACC_ADMIN, BODY_JSON,
      0 },
    { "GET", "/public/surveys/:token", h_survey_get, ACC_PUBLIC, BODY_NONE, 0 },
    { "POST", "/public/surveys/:token", h_survey_post, ACC_PUBLIC, BODY_JSON, 0 },
    { "GET", "/satisfaction", h_satisfaction, ACC_OVERSIGHT, BODY_NONE, 0 },
    { "PUT", "/citizens/:id/consent", h_citizen_consent, ACC_FRONT, BODY_JSON, 0 },
    { "PUT", "/citizens/:id/lang", h_citizen_lang, ACC_FRONT, BODY_JSON, 0 }, /* issue 15 */
    /* Open311's questions of a category (issue 16) */
    { "GET", "/categories/:code/attributes", h_o311_attrs_get, ACC_PUBLIC, BODY_NONE, 0 },
    { "PUT", "/categories/:code/attributes", h_o311_attrs_put, ACC_ADMIN, BODY_JSON, 0 },
};

/* Inbound webhooks (issue 15, h_whatsapp.c): signed by the sender, not by a session. */
static const struct api_route hook_routes[] = {
    { "GET", "/whatsapp", h_whatsapp_verify, ACC_PUBLIC, BODY_NONE, 0 },
    { "POST", "/whatsapp", h_whatsapp_event, ACC_PUBLIC, BODY_JSON, 1 << 20 },
};

/* Open311 GeoReport v2 (h_open311.c): the format is the last segment's extension
 * (services.xml, requests/2026-000001.json), so the patterns capture whole segments. */
static const struct api_route o311_routes[] = {
    { "GET", "/:doc", h_o311_discovery, ACC_PUBLIC, BODY_NONE, 0 },
    { "GET", "/v2/:doc", h_o311_get, ACC_PUBLIC, BODY_NONE, 0 },
    /* a report is a few kB of text: the photo is a media_url, never uploaded here */
    { "POST", "/v2/:doc", h_o311_post, ACC_PUBLIC, BODY_FORM, 64 << 10 },
    { "GET", "/v2/services/:code", h_o311_service_def, ACC_PUBLIC, BODY_NONE, 0 },
    { "GET", "/v2/requests/:id", h_o311_request, ACC_PUBLIC, BODY_NONE, 0 },
    { "GET", "/v2/tokens/:id", h_o311_token, ACC_PUBLIC, BODY_NONE, 0 },
};

/* Operations endpoints at the root of the site. */
static const struct api_route ops_routes[] = {
    { "GET", "", h_health, ACC_PUBLIC, BODY_NONE, 0 },
};

/* Readiness for a load balancer (h_ready): like /healthz, and also "not draining". */
static const struct api_route ready_routes[] = {
    { "GET", "", h_ready, ACC_PUBLIC, BODY_NONE, 0 },
};

/* Prometheus scrapes: an admin session, or an address of serve --metrics-allow (h_metrics). */
static const struct api_route metrics_routes[] = {
    { "GET", "", h_metrics, ACC_PUBLIC, BODY_NONE, 0 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Every prefix the site answers under, most specific first; the web console takes the rest.
 * /open311 (GeoReport v2, with its own routes and error format) and /hooks (inbound webhooks)
 * are reserved, so that until they are mounted their paths get our 404 and not the console. */
static const struct api_mount api_mounts[] = {
    { "/healthz", ops_routes, COUNT(ops_routes), api_error, false },
    { "/readyz", ready_routes, COUNT(ready_routes), api_error, false },
    { "/metrics", metrics_routes, COUNT(metrics_routes), api_error, false },
    { "/api/v1", v1_routes, COUNT(v1_routes), api_error, false },
    { "/api", NULL, 0, api_error, false },
    { "/open311", o311_routes, COUNT(o311_routes), api_o311_error, false },
    { "/hooks", hook_routes, COUNT(hook_routes), api_error, false },
    { "", NULL, 0, api_error, true },
};

static bool access_allows(enum api_access acc, enum role role)
{
    switch (acc) {
    case ACC_PUBLIC:
    case ACC_USER: return true;
    case ACC_FRONT: return role_policy(role)->front_office;
    case ACC_ADMIN: return role_policy(role)->administers;
    case ACC_OVERSIGHT: return role_policy(role)->oversight;
    case ACC_EDITOR: return role_policy(role)->editor;
    case ACC_TELEPHONY: return role_policy(role)->telephony;
    case ACC_PRIVACY: return role_policy(role)->privacy;
    }
    return false;
}

static const char *access_name(enum api_access acc)
{
    switch (acc) {
    case ACC_PUBLIC: return "public";
    case ACC_USER: return "user";
    case ACC_FRONT: return "front";
    case ACC_ADMIN: return "admin";
    case ACC_OVERSIGHT: return "oversight";
    case ACC_EDITOR: return "editor";
    case ACC_TELEPHONY: return "telephony";
    case ACC_PRIVACY: return "privacy";
    }
    return "?";
}

static const char *body_name(enum api_body body)
{
    switch (body) {
    case BODY_NONE: return "-";
    case BODY_JSON: return "json";
    case BODY_FORM: return "form";
    case BODY_FILE: return "file";
    }
    return "?";
}

bool api_route_info(size_t i, struct api_route_info *out)
{
    for (size_t m = 0; m < COUNT(api_mounts); m++) {
        const struct api_mount *mt = &api_mounts[m];
        if (i >= mt->nroutes) {
            i -= mt->nroutes;
            continue;
        }
        const struct api_route *rt = &mt->routes[i];
        out->method = rt->method;
        snprintf(out->pattern, sizeof(out->pattern), "%s%s", mt->prefix, rt->pattern);
        out->access = access_name(rt->access);
        out->body = body_name(rt->body);
        out->body_max = rt->body_max;
        return true;
    }
    return false;
}

/* route's index in api_route_info's order (the metrics' slot); past the end when NULL. */
static size_t route_index(const struct api_route *route)
{
    size_t base = 0;
    for (size_t m = 0; m < COUNT(api_mounts); m++) {
        const struct api_mount *mt = &api_mounts[m];
        if (route && mt->nroutes && route >= mt->routes && route < mt->routes + mt->nroutes)
            return base + (size_t)(route - mt->routes);
        base += mt->nroutes;
    }
    return base;
}

static uint64_t since_us(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (uint64_t)((t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000);
}

void api_set_draining(struct api *api)
{
    atomic_store(&api->draining, true);
}

struct api *api_new(const struct api_config *cfg)
{
    struct api *api = xcalloc(1, sizeof(*api));
    char perr[128];
    api->metrics = api_metrics_new(route_index(NULL));
    api->started = time_now();
    if (!proxy_list_parse(cfg->metrics_allow, &api->metrics_allow, perr, sizeof(perr)))
        log_error("msg=\"--metrics-allow ignored\" err=\"%s\"", perr);
    api->cfg = *cfg;
    api->db_path = xstrdup(cfg->db_path);
    api->cfg.db_path = api->db_path;
    api->web_root = cfg->web_root ? xstrdup(cfg->web_root) : NULL;
    api->cfg.web_root = api->web_root;
    api->limits = limiter_new(API_LIMITER_ENTRIES);
    api->live = live_hub_new(api);
    if (store_pool_new(api->db_path, API_MAX_THREADS, &api->pool) != ERR_OK) {
        api_free(api);
        return NULL;
    }
    return api;
}

void api_free(struct api *api)
{
    if (!api)
        return;
    live_hub_free(api->live); /* its thread holds a pool connection */
    api_metrics_free(api->metrics);
    store_pool_free(api->pool);
    limiter_free(api->limits);
    free(api->db_path);
    free(api->web_root);
    free(api);
}

/* Each worker thread keeps one connection (from the pool) for its lifetime. */
static struct store *thread_store(struct api *api)
{
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    if (store_pool_get(api->pool, &st, &ed) != ERR_OK) {
        log_error("msg=\"cannot open database\" err=\"%s\"", ed.message);
        return NULL;
    }
    return st;
}

int api_session_idle_seconds(const struct api *api)
{
    int m = api->cfg.session_idle_minutes > 0 ? api->cfg.session_idle_minutes
                                              : API_SESSION_IDLE_DEFAULT;
    return m * 60;
}

/* The one err_code → HTTP status map; every error reply goes through it. */
int api_status_of(int err)
{
    switch (err) {
    case ERR_OK: return 200;
    case ERR_INVALID: return 400;
    case ERR_UNAUTH: return 401;
    case ERR_FORBIDDEN: return 403;
    case ERR_NOT_FOUND: return 404;
    case ERR_METHOD: return 405;
    case ERR_CONFLICT: return 409;
    case ERR_TOO_BIG: return 413;
    case ERR_UNSUPPORTED: return 415;
    case ERR_UNPROCESSABLE: return 422;
    case ERR_RATE: return 429;
    case ERR_UNAVAILABLE: return 503;
    default: return 500;
    }
}

void api_reply(struct api_req *r, int status, json_t *v)
{
    r->resp->status = status;
    r->resp->content_type = "application/json; charset=utf-8";
    char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(v);
    if (!s) {
        strbuf_adds(&r->resp->body, "{}");
        return;
    }
    strbuf_adds(&r->resp->body, s);
    free(s);
}

/* The error of DESIGN.md: {"error":{"code","message","field"?,"allowed"?}}, its status
 * from api_status_of; a 503 (the database is unavailable for now) says when to try again. */
void api_error_ed(struct api_req *r, const struct err_detail *ed)
{
    if (ed->code == ERR_UNAVAILABLE)
        api_retry_after(r, API_RETRY_AFTER);
    const char *code = ed->name[0] ? ed->name : err_name(ed->code);
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message",
                          ed->message[0] ? ed->message : err_name(ed->code));
    if (ed->field[0])
        json_object_set_new(e, "field", json_string(ed->field));
    if (ed->reason[0])
        json_object_set_new(e, "reason", json_string(ed->reason));
    if (ed->has_allowed)
        json_object_set_new(e, "allowed", api_actions_json(ed->allowed, NULL));
    api_reply(r, api_status_of(ed->code), json_pack("{s:o}", "error", e));
}

void api_fail(struct api_req *r, int err, const char *name, const char *field, const char *fmt, ...)
{
    struct err_detail ed = { 0 };
    va_list ap;
    va_start(ap, fmt);
    err_vset(&ed, err, name, field, fmt, ap);
    va_end(ap);
    api_error_ed(r, &ed);
}

void api_error(struct api_req *r, int status, const char *code, const char *field, const char *fmt,
               ...)
{
    struct err_detail ed = { 0 };
    int err = ERR_INTERNAL;
    /* the err_code whose mapped status this is, so the reply still goes through the map */
    for (int e = ERR_INVALID; e >= ERR_METHOD; e--)
        if (api_status_of(e) == status) {
            err = e;
            break;
        }
    va_list ap;
    va_start(ap, fmt);
    err_vset(&ed, err, code, field, fmt, ap);
    va_end(ap);
    api_error_ed(r, &ed);
}

/* Split "/a/b/c" and match against a pattern; ":x" segments capture. */
static bool route_match(const char *pattern, const char *path, struct api_req *r)
{
    int np = 0;
    const char *p = pattern, *u = path;
    while (*p && *u) {
        if (*p != '/' || *u != '/')
            return false;
        p++, u++;
        size_t pl = strcspn(p, "/"), ul = strcspn(u, "/");
        if (*p == ':') {
            if (ul == 0 || ul >= sizeof(r->param_buf[0]) || np >= API_MAX_PARAMS)
                return false;
            memcpy(r->param_buf[np], u, ul);
            r->param_buf[np][ul] = '\0';
            r->params[np] = r->param_buf[np];
            np++;
        } else if (pl != ul || strncmp(p, u, pl) != 0) {
            return false;
        }
        p += pl, u += ul;
    }
    return *p == '\0' && (*u == '\0' || (u[0] == '/' && u[1] == '\0'));
}

/* The mount that owns path (the first whose prefix is path or a whole-segment ancestor of it;
 * the root mount when none is) and, in *rest, the path below its prefix. */
static const struct api_mount *mount_find(const char *path, const char **rest)
{
    const struct api_mount *m = &api_mounts[COUNT(api_mounts) - 1];
    for (size_t i = 0; i < COUNT(api_mounts); i++) {
        size_t n = strlen(api_mounts[i].prefix);
        if (strncmp(path, api_mounts[i].prefix, n) == 0 && (path[n] == '/' || path[n] == '\0')) {
            m = &api_mounts[i];
            break;
        }
    }
    *rest = path + strlen(m->prefix);
    return m;
}

/* Set up r for req and find its mount; returns the path below the mount's prefix. */
static const char *request_begin(struct api_req *r, struct api *api, struct http_request *req,
                                 struct http_response *resp)
{
    const char *rest;
    r->api = api;
    r->http = req;
    r->resp = resp;
    r->mount = mount_find(req->path, &rest);
    return rest;
}

/* Look up r's caller; returns the store's error when the lookup could not be made
 * (ERR_UNAVAILABLE: the database is down, which is not "logged out"), else ERR_OK. */
static int authenticate(struct api_req *r)
{
    char hash[AUTH_TOKEN_LEN];
    int rc = ERR_NOT_FOUND;
    const char *authz = http_header(r->http, "Authorization");
    const char *cookie = http_cookie(r->http, SESSION_COOKIE);
    if (authz && strncmp(authz, "Bearer ", 7) == 0) {
        /* an expired or revoked token is told apart (core/rights.h), so clients know why */
        struct err_detail ed = { 0 };
        rc = core_token_authenticate(r->st, authz + 7, time_now(), &r->user, &ed);
        /* an unknown token stays "unauthorized": only a known one's end is told */
        if (rc == ERR_UNAUTH && strcmp(ed.name, "invalid_token") != 0)
            str_copy(r->auth_error, sizeof(r->auth_error), ed.name);
    } else if (cookie && strlen(cookie) == AUTH_TOKEN_LEN - 1) {
        auth_token_hash(cookie, hash);
        int64_t now = time_now();
        struct session_times times;
        int64_t idle = now + api_session_idle_seconds(r->api);
        rc = store_session_user(r->st, hash, now, &r->user, &times);
        /* activity: the session slides on (a failed write only means it does not, this time);
         * the touch is sent only when it would write */
        if (rc == ERR_OK && store_session_slides(&times, idle) &&
            store_session_touch(r->st, hash, now, idle) != ERR_OK)
            log_warn("msg=\"session not extended\" user=%s", r->user.username);
    }
    r->authed = rc == ERR_OK;
    return rc == ERR_UNAVAILABLE ? rc : ERR_OK;
}

/* Is the Content-Type header ct of media type type ("application/json")? Parameters
 * ("; charset=utf-8") are ignored; the type is compared without regard to case (RFC 9110). */
static bool media_type_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    if (!ct || strncasecmp(ct, type, n) != 0)
        return false;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

/* Read r's body as its route's kind says: a JSON object into r->body, a form into r->form
 * (413 when it was over the cap, 415 for another Content-Type — an empty body too, so an
 * empty cross-site form post is no action without parameters —, 400 when malformed; an empty
 * body without a Content-Type is an empty object or form); none and file bodies are left to the
 * handler. Replies and returns false when refused. */
static bool read_body(struct api_req *r, const struct api_route *route)
{
    static const char *const types[] = {
        [BODY_JSON] = "application/json", [BODY_FORM] = "application/x-www-form-urlencoded"
    };
    struct http_request *req = r->http;
    struct err_detail ed = { 0 };
    if (route->body != BODY_JSON && route->body != BODY_FORM)
        return true;
    if (req->body_too_big) {
        r->mount->error(r, 413, "too_large", NULL, "request body is larger than the limit");
        return false;
    }
    const char *ct = http_header(req, "Content-Type");
    if (req->body_len == 0 && (!ct || media_type_is(ct, types[route->body]))) {
        if (route->body == BODY_JSON)
            r->body = json_object(); /* actions without parameters may send no body */
        return true;
    }
    if (!media_type_is(ct, types[route->body])) { /* an empty body of another type, too */
        r->mount->error(r, 415, "unsupported_media_type", NULL, "send the body as Content-Type: %s",
                        types[route->body]);
        return false;
    }
    if (route->body == BODY_FORM) {
        if (form_parse(req->body, req->body_len, &r->form, &ed) == ERR_OK)
            return true;
        r->mount->error(r, 400, "invalid_form", ed.field, "%s", ed.message);
        return false;
    }
    json_error_t je;
    r->body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!r->body) {
        r->mount->error(r, 400, "invalid_json", NULL, "invalid JSON at line %d column %d: %s",
                        je.line, je.column, je.text);
        return false;
    }
    if (!json_is_object(r->body)) {
        r->mount->error(r, 400, "invalid_json", NULL, "the body must be a JSON object");
        return false;
    }
    return true;
}

/* The route of r's mount for path (the path below the mount's prefix; r->params filled), or
 * NULL after replying 404 or 405 in the mount's error format. */
static const struct api_route *route_find(struct api_req *r, const char *path)
{
    bool path_known = false;
    for (size_t i = 0; i < r->mount->nroutes; i++) {
        const struct api_route *rt = &r->mount->routes[i];
        if (!route_match(rt->pattern, path, r))
            continue;
        path_known = true;
        if (strcmp(rt->method, r->http->method) == 0)
            return rt;
    }
    if (path_known)
        r->mount->error(r, 405, "method_not_allowed", NULL, "%s is not allowed here",
                        r->http->method);
    else
        r->mount->error(r, 404, "not_found", NULL, "no such endpoint");
    return NULL;
}

/* Did a browser send this state-changing request from another site (CSRF)? Its
 * Sec-Fetch-Site is not same-origin (or none: typed by the user), or, from a browser without
 * it, its Origin is not this host. A request with neither header is not a browser's form post
 * (browsers send Origin with every POST, PATCH and DELETE). */
static bool cross_site(struct api_req *r)
{
    const char *m = r->http->method;
    if (!strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS"))
        return false;
    const char *site = http_header(r->http, "Sec-Fetch-Site");
    if (site)
        return strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
    const char *origin = http_header(r->http, "Origin");
    if (!origin)
        return false;
    const char *host = http_header(r->http, "Host"), *o = strstr(origin, "://");
    return !host || !o || strcasecmp(o + 3, host) != 0; /* "null" (a sandbox) is cross-site */
}

/* What api_admit found out about a request without a body, for api_dispatch
 * (http_request.admitted): its dispatch follows at once, so the caller it looked up is still
 * the caller, and the session is not looked up a second time (two statements, 5 % of a get). */
struct admitted {
    const struct api_route *route;
    struct user user;
    bool authed;
};

/* A load balancer's question (/healthz, /readyz): one read, on the HTTP thread, for nobody. */
static bool route_is_probe(const struct api_route *route)
{
    return route->handler == h_health || route->handler == h_ready;
}

/* Authenticate r's caller (or take ad's, found at admission) and check route's access class;
 * replies 503/401/403 and returns false when refused. A state-changing request that rides on
 * the session cookie (or logs in) must come from our own pages: SameSite=Strict alone leaves
 * older browsers and same-site subdomains; bearer tokens are not sent by browsers on their
 * own, so they are not checked. */
static bool route_admits(struct api_req *r, const struct api_route *route,
                         const struct admitted *ad)
{
    bool probe = route_is_probe(route);
    if (!(r->st = thread_store(r->api))) {
        if (probe)
            return true; /* they report the database's state themselves */
        r->mount->error(r, 503, "unavailable", NULL, "the database is not available");
        return false;
    }
    const char *authz = http_header(r->http, "Authorization");
    bool bearer = authz && strncmp(authz, "Bearer ", 7) == 0;
    if (!bearer && (http_cookie(r->http, SESSION_COOKIE) || route->handler == h_session_create) &&
        cross_site(r)) {
        r->mount->error(r, 403, "cross_site", NULL,
                        "a state-changing request with a session must come from this site "
                        "(Origin / Sec-Fetch-Site)");
        return false;
    }
    if (probe)
        return true; /* nobody's session is looked up */
    if (ad) {
        r->user = ad->user;
        r->authed = ad->authed;
    } else if (authenticate(r) == ERR_UNAVAILABLE) {
        r->mount->error(r, 503, "unavailable", NULL, "the database is not available");
        return false;
    }
    if (route->access == ACC_PUBLIC)
        return true;
    if (!r->authed) {
        if (r->auth_error[0])
            r->mount->error(r, 401, r->auth_error, NULL, "the bearer token is not valid (%s)",
                            r->auth_error);
        else
            r->mount->error(r, 401, "unauthorized", NULL, "log in first");
        return false;
    }
    if (!access_allows(route->access, r->user.role)) {
        r->mount->error(r, 403, "forbidden", NULL, "a %s may not do this", role_name(r->user.role));
        return false;
    }
    return true;
}

/* The bytes route's body may have: its own cap, else the default of its kind. */
static size_t route_cap(const struct api *api, const struct api_route *route)
{
    if (route->body_max)
        return route->body_max;
    return route->body == BODY_FILE ? api->cfg.upload_max : api->cfg.body_max;
}

bool api_admit(void *ctx, struct http_request *req, size_t *body_max, struct http_response *resp)
{
    struct api_req r = { 0 };
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *rest = request_begin(&r, ctx, req, resp);
    if (r.mount->web) {
        req->quick = true; /* a file: never waits on the database */
        return true;       /* static files: http's default cap */
    }
    const struct api_route *route = route_find(&r, rest);
    if (!route || !route_admits(&r, route, NULL)) {
        /* refused before the body: counted here, as api_dispatch will not run */
        api_metrics_record(r.api->metrics, route_index(route), resp->status, since_us(&t0));
        return false;
    }
    *body_max = route_cap(r.api, route);
    /* the load balancer's questions: one read, answered on the HTTP thread */
    req->quick = route_is_probe(route);
    if (route->body == BODY_NONE && !req->quick) {
        struct admitted *ad = xmalloc(sizeof(*ad));
        ad->route = route;
        ad->user = r.user;
        ad->authed = r.authed;
        req->admitted = ad;
    }
    const char *cl = http_header(req, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > *body_max) {
        if (route->body == BODY_FILE)
            r.mount->error(&r, 413, "too_large", "file",
                           "the file is larger than the upload "
                           "limit (%zu bytes)",
                           *body_max);
        else
            r.mount->error(&r, 413, "too_large", NULL,
                           "request body is larger than the limit "
                           "(%zu bytes)",
                           *body_max);
        api_metrics_record(r.api->metrics, route_index(route), resp->status, since_us(&t0));
        return false;
    }
    return true;
}

bool api_admit_health(void *ctx, struct http_request *req, size_t *body_max,
                      struct http_response *resp)
{
    struct api_req r = { 0 };
    r.api = ctx;
    r.http = req;
    r.resp = resp;
    if ((strcmp(req->path, "/healthz") == 0 || strcmp(req->path, "/readyz") == 0) &&
        strcmp(req->method, "GET") == 0) {
        *body_max = 1024;
        req->quick = true;
        return true;
    }
    api_error(&r, 404, "not_found", NULL, "this port answers GET /healthz and GET /readyz only");
    return false;
}

/* The web console under r's mount: the file at path (below the mount's prefix), else for an
 * extension-less GET path the console's index.html (it routes on the client, so deep links
 * like /basvurular/42 must load it), else 404. Vendored libraries are immutable per install;
 * everything else revalidates each time. */
static void web_serve(struct api_req *r, const char *path)
{
    const char *root = r->api->web_root;
    const char *cache = strstr(path, "/vendor/") ? "public, max-age=86400" : "no-cache";
    if (!*path)
        path = "/";
    if (root && http_serve_file(r->http, root, path, cache, r->resp)) {
        /* the portal's service worker (web/sw.js) controls the whole site (docs/PORTAL.md) */
        if (strcmp(path, "/sw.js") == 0)
            http_set_header(r->resp, "Service-Worker-Allowed", "/");
        return;
    }
    if (root && strcmp(r->http->method, "GET") == 0 && !strchr(path + 1, '.') &&
        http_serve_file(r->http, root, "/index.html", "no-cache", r->resp))
        return;
    r->mount->error(r, 404, "not_found", NULL, "no such page");
}

void api_dispatch(void *ctx, struct http_request *req, struct http_response *resp)
{
    struct api_req r = { 0 };
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *rest = request_begin(&r, ctx, req, resp);
    const struct api_route *route = NULL;

    if (r.mount->web) {
        web_serve(&r, rest);
        goto out;
    }
    /* api_admit did this before the body; again when there was a body, as the session may
     * have ended while it came in */
    const struct admitted *ad = req->admitted;
    if (!(route = route_find(&r, rest)) ||
        !route_admits(&r, route, ad && ad->route == route && !req->body_len ? ad : NULL))
        goto out;
    if (!read_body(&r, route))
        goto out;
    char idem[65];
    if (!api_idem_begin(&r, idem))
        goto out;
    /* the actor of the changes this request makes, for their audit rows (core/audit.h) */
    struct audit_actor who = { .id = r.authed ? r.user.id : 0 };
    if (r.authed)
        str_copy(who.name, sizeof(who.name), r.user.username);
    str_copy(who.address, sizeof(who.address), r.http->remote);
    audit_set_actor(&who);
    route->handler(&r);
    audit_set_actor(NULL);
    api_idem_end(&r, idem);
out:
    /* a stream's answer is its first bytes: its status now, not its lifetime */
    api_metrics_record(r.api->metrics, route_index(route), resp->status, since_us(&t0));
    if (r.st)                 /* NULL only for /healthz when the database is unreachable */
        store_rollback(r.st); /* no-op unless a handler left a transaction open */
    json_decref(r.body);
    form_release(&r.form);
}

/* ---- input helpers ---- */

static const char *type_name(enum api_ftype t)
{
    switch (t) {
    case F_STR: return "a string";
    case F_INT: return "an integer";
    case F_NUM: return "a number";
    case F_BOOL: return "true or false";
    case F_ID_OR_TRACKING: return "an id or a tracking number";
    }
    return "?";
}

bool api_check_fields(struct api_req *r, const struct api_field *spec)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->body, key, v)
    {
        const struct api_field *f = spec;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            api_error(r, 400, "unknown_field", key, "unknown field %s", key);
            return false;
        }
    }
    for (const struct api_field *f = spec; f->name; f++) {
        v = json_object_get(r->body, f->name);
        if (!v || json_is_null(v)) {
            if (f->required) {
                api_error(r, 400, "missing_field", f->name, "%s is required", f->name);
                return false;
            }
            continue;
        }
        bool ok =
            (f->type == F_STR && json_is_string(v)) || (f->type == F_INT && json_is_integer(v)) ||
            (f->type == F_NUM && json_is_number(v)) || (f->type == F_BOOL && json_is_boolean(v)) ||
            (f->type == F_ID_OR_TRACKING && (json_is_integer(v) || json_is_string(v)));
        if (!ok) {
            api_error(r, 400, "invalid_type", f->name, "%s must be %s", f->name,
                      type_name(f->type));
            return false;
        }
        if (f->type == F_STR && f->max && json_string_length(v) > f->max) {
            api_error(r, 400, "too_long", f->name, "%s is longer than %zu bytes", f->name, f->max);
            return false;
        }
        if (f->type == F_STR && strlen(json_string_value(v)) != json_string_length(v)) {
            api_error(r, 400, "invalid_field", f->name, "%s contains a NUL character", f->name);
            return false;
        }
        if (f->type == F_INT &&
            (json_integer_value(v) < 0 || (f->max && (size_t)json_integer_value(v) > f->max))) {
            api_error(r, 400, "invalid_field", f->name, "%s is out of range", f->name);
            return false;
        }
    }
    return true;
}

const char *api_str(struct api_req *r, const char *name)
{
    return json_string_value(json_object_get(r->body, name));
}

int64_t api_int(struct api_req *r, const char *name)
{
    return json_integer_value(json_object_get(r->body, name));
}

bool api_has(struct api_req *r, const char *name)
{
    json_t *v = json_object_get(r->body, name);
    return v && !json_is_null(v);
}

bool api_param_id(struct api_req *r, int i, int64_t *id)
{
    if (!parse_i64(r->params[i], 1, INT64_MAX, id)) {
        api_error(r, 404, "not_found", NULL, "no such object");
        return false;
    }
    return true;
}

/* The limiter key of kind for r's client. */
static void rate_key(struct api_req *r, const char *kind, char key[LIMITER_KEY_MAX])
{
    snprintf(key, LIMITER_KEY_MAX, "%s|%s", kind, r->http->remote);
}

bool api_rate_take(struct api_req *r, const char *kind, int limit)
{
    char key[LIMITER_KEY_MAX];
    rate_key(r, kind, key);
    return limiter_take(r->api->limits, key, time_now() / 3600, limit);
}

void api_rate_give_back(struct api_req *r, const char *kind)
{
    char key[LIMITER_KEY_MAX];
    rate_key(r, kind, key);
    limiter_give_back(r->api->limits, key, time_now() / 3600);
}

void api_retry_after(struct api_req *r, int64_t seconds)
{
    for (int i = 0; i < r->resp->nheaders; i++)
        if (strcasecmp(r->resp->headers[i].name, "Retry-After") == 0)
            return;
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)(seconds > 0 ? seconds : 1));
    http_set_header(r->resp, "Retry-After", v);
}

bool api_query_time(struct api_req *r, const char *name, bool end_of_day, int64_t *t)
{
    const char *v = http_query(r->http, name);
    int64_t day;
    *t = 0;
    if (!v || !*v)
        return true;
    if (time_parse_date(v, &day)) {
        /* a plain date is a day in Istanbul; as an upper bound it includes that whole day */
        *t = (day + (end_of_day ? 1 : 0)) * 86400 - TIME_ISTANBUL_OFFSET;
        return true;
    }
    if (!time_parse(v, t)) {
        api_error(r, 400, "invalid_field", name,
                  "%s must be a date (YYYY-MM-DD) or an RFC 3339 time", name);
        return false;
    }
    return true;
}

bool api_query_id(struct api_req *r, const char *name, int64_t *id)
{
    const char *v = http_query(r->http, name);
    *id = 0;
    if (!v || !*v)
        return true;
    if (!parse_i64(v, 1, INT64_MAX, id)) {
        api_error(r, 400, "invalid_field", name, "%s must be a positive integer id", name);
        return false;
    }
    return true;
}
