#ifndef ALO_API_API_H
#define ALO_API_API_H
/*
 * Everything a request can reach, by mount: the JSON API under /api/v1, GET /healthz, the web
 * console's files at the root, and prefixes reserved for later APIs (/open311, /hooks). Maps
 * HTTP requests to core calls; no SQL here. One api context serves all worker threads; each
 * thread takes its own store connection from the pool.
 */
#include <jansson.h>

#include "http/http.h"

struct api;

/* Minutes without a request after which a console session ends (serve --session-idle). */
#define API_SESSION_IDLE_DEFAULT 30

struct api_config {
    const char *db_path;            /* the database every worker opens */
    int session_hours;              /* a session's absolute lifetime from login */
    int session_idle_minutes;       /* a session ends after this long without a request
                                     * (0 = API_SESSION_IDLE_DEFAULT) */
    int public_rate_per_hour;       /* public web-form submissions per client address */
    int login_failures_per_hour;    /* failed logins per client address and hour before every
                                     * login from it is refused (far above an office's typos) */
    int tracking_failures_per_hour; /* wrong public tracking lookups per client address */
    bool secure_cookies;            /* add Secure to the session cookie (behind TLS) */
    size_t body_max;                /* bytes of a request body (JSON); 413 above */
    size_t upload_max;              /* bytes of a file upload (routes marked upload); 413 above */
    const char *web_root;           /* the web console's folder, served at "/"; NULL = none */
    unsigned threads;               /* worker threads: screen-pop long-polls wait in at most half */
    const char *metrics_allow;      /* CIDRs that may GET /metrics without a session (NULL none) */
    int open311_rate_per_hour;      /* Open311 POSTs per API key and hour (0 = the default) */
};

/* Create the API context (copies cfg). Caller frees with api_free() after the server stopped. */
/* NULL when the connection pool cannot be set up. Free with api_free(). */
struct api *api_new(const struct api_config *cfg);
void api_free(struct api *api);
/* From now on GET /readyz answers 503 "draining" (GET /healthz stays 200): serve calls it on
 * SIGTERM and keeps serving for --drain-seconds, so that a load balancer polling /readyz stops
 * sending new requests before the process stops. Thread-safe. */
void api_set_draining(struct api *api);
/* The http_dispatch_fn to pass to http_server_start with the api as ctx. */
void api_dispatch(void *api, struct http_request *req, struct http_response *resp);
/* The http_admit_fn to pass with it: before a body is read, resolves the route, authenticates
 * and authorises the caller from the headers and sets the body cap from the route table;
 * refuses with 401/403/404/405/413 (or 503 without a database) so no body is ever read for a
 * request that would be refused. */
bool api_admit(void *api, struct http_request *req, size_t *body_max, struct http_response *resp);
/* The admit function of a health listener: GET /healthz only, everything else 404. */
bool api_admit_health(void *api, struct http_request *req, size_t *body_max,
                      struct http_response *resp);

/* One row of the route tables as text: method, full pattern with its mount's prefix
 * ("/api/v1/x/:id"), access class ("public" "user" "front" "admin" "oversight" "editor"
 * "telephony"), body kind
 * ("json", "form", "file" for a binary upload, "-" for none) and the route's own body cap in
 * bytes (0 = the default of its kind: api_config.upload_max for "file", body_max otherwise). */
struct api_route_info {
    const char *method;
    char pattern[160];
    const char *access;
    const char *body;
    size_t body_max;
};
/* The i-th route (0-based, mount by mount in dispatch order); false when i is past the end. */
bool api_route_info(size_t i, struct api_route_info *out);

/* The report of docs/REPORTS.md as JSON (a new reference): titles and headers in lang ("tr",
 * default, or "en"); department_code names the scope (NULL or "" = the whole centre). Used by
 * GET /api/v1/reports/summary and by `alo153 report --format json`. */
struct report_summary;
json_t *api_report_summary_json(const struct report_summary *s, const char *department_code,
                                const char *lang);

#endif
