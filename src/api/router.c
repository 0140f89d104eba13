/* The route table, authentication, body parsing and the one err_code → HTTP map. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/auth.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define SESSION_COOKIE "alo153_session"

/* Dispatch is data: method, pattern, handler, who may call it, what its body is (its cap).
 * More specific patterns come first. */
static const struct api_route api_routes[] = {
    { "GET", "/healthz", h_health, ACC_PUBLIC, BODY_NONE },
    { "POST", "/api/v1/session", h_session_create, ACC_PUBLIC, BODY_JSON },
    { "DELETE", "/api/v1/session", h_session_delete, ACC_PUBLIC, BODY_NONE },
    { "GET", "/api/v1/me", h_me, ACC_USER, BODY_NONE },
    { "GET", "/api/v1/meta", h_meta, ACC_PUBLIC, BODY_NONE },
    { "POST", "/api/v1/citizens", h_citizen_create, ACC_FRONT, BODY_JSON },
    { "GET", "/api/v1/citizens", h_citizen_find, ACC_FRONT, BODY_NONE },
    { "GET", "/api/v1/citizens/:id", h_citizen_get, ACC_FRONT, BODY_NONE },
    { "POST", "/api/v1/applications", h_app_create, ACC_FRONT, BODY_JSON },
    { "GET", "/api/v1/applications", h_app_list, ACC_USER, BODY_NONE },
    { "GET", "/api/v1/applications/by-tracking/:t", h_app_by_tracking, ACC_USER, BODY_NONE },
    { "GET", "/api/v1/applications/similar", h_app_similar, ACC_USER, BODY_NONE },
    { "GET", "/api/v1/applications/:id", h_app_get, ACC_USER, BODY_NONE },
    { "POST", "/api/v1/applications/:id/attachments", h_app_attach, ACC_USER, BODY_FILE },
    { "GET", "/api/v1/applications/:id/attachments/:aid", h_app_attachment_get, ACC_USER, BODY_NONE },
    { "POST", "/api/v1/applications/:id/links", h_app_link, ACC_USER, BODY_JSON },
    { "POST", "/api/v1/applications/:id/:action", h_app_action, ACC_USER, BODY_JSON },
    { "POST", "/api/v1/public/applications", h_public_create, ACC_PUBLIC, BODY_JSON },
    { "GET", "/api/v1/public/applications/:t", h_public_get, ACC_PUBLIC, BODY_NONE },
    { "GET", "/api/v1/departments", h_departments, ACC_USER, BODY_NONE },
    { "POST", "/api/v1/departments", h_department_write, ACC_ADMIN, BODY_JSON },
    { "PATCH", "/api/v1/departments/:code", h_department_write, ACC_ADMIN, BODY_JSON },
    { "GET", "/api/v1/categories", h_categories, ACC_PUBLIC, BODY_NONE },
    { "POST", "/api/v1/categories", h_category_write, ACC_ADMIN, BODY_JSON },
    { "PATCH", "/api/v1/categories/:code", h_category_write, ACC_ADMIN, BODY_JSON },
    { "GET", "/api/v1/institutions", h_institutions, ACC_USER, BODY_NONE },
    { "GET", "/api/v1/districts", h_districts, ACC_PUBLIC, BODY_NONE },
    { "POST", "/api/v1/districts", h_district_create, ACC_ADMIN, BODY_JSON },
    { "GET", "/api/v1/districts/:id/neighbourhoods", h_neighbourhoods, ACC_PUBLIC, BODY_NONE },
    { "POST", "/api/v1/districts/:id/neighbourhoods", h_neighbourhood_create, ACC_ADMIN, BODY_JSON },
    { "GET", "/api/v1/holidays", h_holidays, ACC_USER, BODY_NONE },
    { "POST", "/api/v1/holidays", h_holiday_set, ACC_ADMIN, BODY_JSON },
    { "DELETE", "/api/v1/holidays/:date", h_holiday_delete, ACC_ADMIN, BODY_NONE },
    { "POST", "/api/v1/classify", h_classify, ACC_USER, BODY_JSON },
    { "GET", "/api/v1/routing/quality", h_routing_quality, ACC_OVERSIGHT, BODY_NONE },
    { "GET", "/api/v1/stats", h_stats, ACC_USER, BODY_NONE },
    { "GET", "/api/v1/settings", h_settings, ACC_OVERSIGHT, BODY_NONE },
    { "PATCH", "/api/v1/settings", h_settings_update, ACC_ADMIN, BODY_JSON },
    { "GET", "/api/v1/users", h_users, ACC_OVERSIGHT, BODY_NONE },
    { "POST", "/api/v1/users", h_user_create, ACC_ADMIN, BODY_JSON },
    { "PATCH", "/api/v1/users/:id", h_user_update, ACC_ADMIN, BODY_JSON },
};

static bool access_allows(enum api_access acc, enum role role)
{
    switch (acc) {
    case ACC_PUBLIC:
    case ACC_USER:
        return true;
    case ACC_FRONT:
        return role_policy(role)->front_office;
    case ACC_ADMIN:
        return role_policy(role)->administers;
    case ACC_OVERSIGHT:
        return role_policy(role)->oversight;
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
    }
    return "?";
}

bool api_route_info(size_t i, struct api_route_info *out)
{
    if (i >= sizeof(api_routes) / sizeof(api_routes[0]))
        return false;
    out->method = api_routes[i].method;
    out->pattern = api_routes[i].pattern;
    out->access = access_name(api_routes[i].access);
    out->body = api_routes[i].body == BODY_JSON ? "json" : api_routes[i].body == BODY_FILE ? "file" : "-";
    return true;
}

struct api *api_new(const struct api_config *cfg)
{
    struct api *api = xcalloc(1, sizeof(*api));
    api->cfg = *cfg;
    api->db_path = xstrdup(cfg->db_path);
    api->cfg.db_path = api->db_path;
    pthread_mutex_init(&api->lock, NULL);
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
    store_pool_free(api->pool);
    pthread_mutex_destroy(&api->lock);
    free(api->db_path);
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
 * from api_status_of. */
void api_error_ed(struct api_req *r, const struct err_detail *ed)
{
    const char *code = ed->name[0] ? ed->name : err_name(ed->code);
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message",
                          ed->message[0] ? ed->message : err_name(ed->code));
    if (ed->field[0])
        json_object_set_new(e, "field", json_string(ed->field));
    if (ed->has_allowed)
        json_object_set_new(e, "allowed", api_actions_json(ed->allowed, NULL));
    api_reply(r, api_status_of(ed->code), json_pack("{s:o}", "error", e));
}

void api_fail(struct api_req *r, int err, const char *name, const char *field, const char *fmt,
              ...)
{
    struct err_detail ed = { 0 };
    va_list ap;
    va_start(ap, fmt);
    err_vset(&ed, err, name, field, fmt, ap);
    va_end(ap);
    api_error_ed(r, &ed);
}

void api_error(struct api_req *r, int status, const char *code, const char *field,
               const char *fmt, ...)
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

static void authenticate(struct api_req *r)
{
    char hash[AUTH_TOKEN_LEN];
    const char *authz = http_header(r->http, "Authorization");
    if (authz && strncmp(authz, "Bearer ", 7) == 0) {
        auth_token_hash(authz + 7, hash);
        r->authed = store_token_user(r->st, hash, &r->user) == ERR_OK;
        return;
    }
    const char *cookie = http_cookie(r->http, SESSION_COOKIE);
    if (cookie && strlen(cookie) == AUTH_TOKEN_LEN - 1) {
        auth_token_hash(cookie, hash);
        r->authed = store_session_user(r->st, hash, time_now(), &r->user) == ERR_OK;
    }
}

static bool parse_body(struct api_req *r)
{
    const char *ct = http_header(r->http, "Content-Type");
    if (r->http->body_too_big) {
        api_error(r, 413, "too_large", NULL, "request body is larger than the limit");
        return false;
    }
    if (r->http->body_len == 0) {
        r->body = json_object(); /* actions without parameters may send no body */
        return true;
    }
    if (!ct || strncmp(ct, "application/json", 16) != 0) {
        api_error(r, 415, "unsupported_media_type", NULL,
                  "send the body as Content-Type: application/json");
        return false;
    }
    json_error_t je;
    r->body = json_loadb(r->http->body, r->http->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!r->body) {
        api_error(r, 400, "invalid_json", NULL, "invalid JSON at line %d column %d: %s", je.line,
                  je.column, je.text);
        return false;
    }
    if (!json_is_object(r->body)) {
        api_error(r, 400, "invalid_json", NULL, "the body must be a JSON object");
        return false;
    }
    return true;
}

/* The route for req (r->params filled), or NULL after replying 404 or 405. */
static const struct api_route *route_find(struct api_req *r)
{
    bool path_known = false;
    for (size_t i = 0; i < sizeof(api_routes) / sizeof(api_routes[0]); i++) {
        if (!route_match(api_routes[i].pattern, r->http->path, r))
            continue;
        path_known = true;
        if (strcmp(api_routes[i].method, r->http->method) == 0)
            return &api_routes[i];
    }
    if (path_known)
        api_error(r, 405, "method_not_allowed", NULL, "%s is not allowed here", r->http->method);
    else
        api_error(r, 404, "not_found", NULL, "no such endpoint");
    return NULL;
}

/* Authenticate r's caller and check route's access class; replies 503/401/403 and returns
 * false when refused. */
static bool route_admits(struct api_req *r, const struct api_route *route)
{
    if (!(r->st = thread_store(r->api))) {
        api_error(r, 503, "unavailable", NULL, "the database is not available");
        return false;
    }
    authenticate(r);
    if (route->access == ACC_PUBLIC)
        return true;
    if (!r->authed) {
        api_error(r, 401, "unauthorized", NULL, "log in first");
        return false;
    }
    if (!access_allows(route->access, r->user.role)) {
        api_error(r, 403, "forbidden", NULL, "a %s may not do this", role_name(r->user.role));
        return false;
    }
    return true;
}

bool api_admit(void *ctx, struct http_request *req, size_t *body_max, struct http_response *resp)
{
    struct api *api = ctx;
    struct api_req r = { 0 };
    r.api = api;
    r.http = req;
    r.resp = resp;
    if (strncmp(req->path, "/api/", 5) != 0 && strcmp(req->path, "/healthz") != 0)
        return true; /* static files: http's default cap */
    const struct api_route *route = route_find(&r);
    if (!route || !route_admits(&r, route))
        return false;
    *body_max = route->body == BODY_FILE ? api->cfg.upload_max : api->cfg.body_max;
    const char *cl = http_header(req, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > *body_max) {
        if (route->body == BODY_FILE)
            api_error(&r, 413, "too_large", "file", "the file is larger than the upload limit "
                      "(%zu bytes)", *body_max);
        else
            api_error(&r, 413, "too_large", NULL, "request body is larger than the limit "
                      "(%zu bytes)", *body_max);
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
    if (strcmp(req->path, "/healthz") == 0 && strcmp(req->method, "GET") == 0) {
        *body_max = 1024;
        return true;
    }
    api_error(&r, 404, "not_found", NULL, "this port answers GET /healthz only");
    return false;
}

void api_dispatch(void *ctx, struct http_request *req, struct http_response *resp)
{
    struct api *api = ctx;
    struct api_req r = { 0 };
    r.api = api;
    r.http = req;
    r.resp = resp;
    const struct api_route *route;

    if (strncmp(req->path, "/api/", 5) != 0 && strcmp(req->path, "/healthz") != 0) {
        if (http_serve_static(req, resp))
            return;
        if (strcmp(req->method, "GET") == 0 && !strchr(req->path + 1, '.')) {
            /* single-page app: unknown paths without an extension get the shell */
            struct http_request shell = *req;
            shell.path = "/index.html";
            if (http_serve_static(&shell, resp))
                return;
        }
        api_error(&r, 404, "not_found", NULL, "no such page");
        return;
    }
    /* api_admit already did this before the body; again, as the session may have ended since */
    if (!(route = route_find(&r)) || !route_admits(&r, route))
        return;
    if (route->body == BODY_JSON && !parse_body(&r))
        goto out;
    route->handler(&r);
out:
    store_rollback(r.st); /* no-op unless a handler left a transaction open */
    json_decref(r.body);
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
    json_object_foreach(r->body, key, v) {
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
        bool ok = (f->type == F_STR && json_is_string(v)) ||
                  (f->type == F_INT && json_is_integer(v)) ||
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
        if (f->type == F_INT && (json_integer_value(v) < 0 ||
                                 (f->max && (size_t)json_integer_value(v) > f->max))) {
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

bool api_rate_take(struct api_req *r, const char *kind, int limit)
{
    struct api *api = r->api;
    int64_t hour = time_now() / 3600;
    char key[80];
    snprintf(key, sizeof(key), "%s|%s", kind, r->http->remote);
    size_t h = 5381;
    for (const char *p = key; *p; p++)
        h = h * 33 + (unsigned char)*p;
    pthread_mutex_lock(&api->lock);
    struct rate_slot *s = &api->rate[h % (sizeof(api->rate) / sizeof(api->rate[0]))];
    if (strcmp(s->addr, key) != 0 || s->window != hour) {
        snprintf(s->addr, sizeof(s->addr), "%s", key);
        s->window = hour;
        s->count = 0;
    }
    bool ok = s->count < limit;
    if (ok)
        s->count++;
    pthread_mutex_unlock(&api->lock);
    return ok;
}

void api_rate_give_back(struct api_req *r, const char *kind)
{
    struct api *api = r->api;
    char key[80];
    snprintf(key, sizeof(key), "%s|%s", kind, r->http->remote);
    size_t h = 5381;
    for (const char *p = key; *p; p++)
        h = h * 33 + (unsigned char)*p;
    pthread_mutex_lock(&api->lock);
    struct rate_slot *s = &api->rate[h % (sizeof(api->rate) / sizeof(api->rate[0]))];
    if (strcmp(s->addr, key) == 0 && s->count > 0)
        s->count--;
    pthread_mutex_unlock(&api->lock);
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
        api_error(r, 400, "invalid_field", name, "%s must be a date (YYYY-MM-DD) or an RFC 3339 time",
                  name);
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
