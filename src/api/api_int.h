#ifndef ALO_API_API_INT_H
#define ALO_API_API_INT_H
/* Internals shared by the handler files: the per-request context, helpers, the route table. */
#include <jansson.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdbool.h>

#include "api/api.h"
#include "core/citizen.h"
#include "http/form.h"
#include "http/proxy.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"
#include "util/limiter.h"

#define API_MAX_THREADS 136 /* HTTP threads and handlers (64 each at most), the health listener */
#define API_LIMITER_ENTRIES 8192 /* rate-limit and backoff keys kept (about 2 MiB) */

struct api_metrics;

struct api {
    struct api_config cfg;
    char *db_path;
    char *web_root;          /* cfg.web_root's copy (NULL = no web console) */
    struct store_pool *pool; /* every worker thread's connection */
    /* rate limits by "kind|client address" and login backoff by "account|address": whole keys
     * in bounded memory (util/limiter.h) */
    struct limiter *limits;
    struct live_hub *live;           /* the /live streams of this process (h_live.c) */
    struct api_metrics *metrics;     /* GET /metrics's counters (metrics.c) */
    struct proxy_list metrics_allow; /* who may scrape /metrics without a session */
    int64_t started;                 /* when api_new ran (Unix time) */
    atomic_bool draining;            /* api_set_draining: /readyz answers 503 */
};

#define API_MAX_PARAMS 3

/* One request being handled: borrowed pieces plus what the router resolved. */
struct api_req {
    struct api *api;
    struct http_request *http;
    struct http_response *resp;
    struct store *st;
    struct user user; /* the caller (valid when authed) */
    bool authed;
    char auth_error[32]; /* why a bearer token was refused ("token_expired", ...), "" = none */
    const char *params[API_MAX_PARAMS]; /* path segments matched by ":" in the pattern */
    char param_buf[API_MAX_PARAMS][128];
    json_t *body;                  /* parsed JSON body (owned, freed by the router) */
    struct form form;              /* parsed form body of a BODY_FORM route (freed by the router) */
    const struct api_mount *mount; /* the mount the path is under (its error format) */
};

typedef void (*api_handler)(struct api_req *r);

/* Who may call a route. */
enum api_access {
    ACC_PUBLIC,    /* no login needed */
    ACC_USER,      /* any logged-in user */
    ACC_FRONT,     /* agent, desk, supervisor, admin: register citizens and applications */
    ACC_ADMIN,     /* admin only */
    ACC_OVERSIGHT, /* supervisor and admin */
    ACC_EDITOR,    /* the editor right: knowledge-base writes (supervisor, admin) */
    ACC_TELEPHONY, /* the telephone exchange's token */
    ACC_PRIVACY,   /* KVKK: the data-protection officer and admin */
};

/* A route's body: none (read all the same, up to the default cap, and ignored), a JSON object
 * parsed before the handler (r->body), an application/x-www-form-urlencoded form parsed before
 * the handler (r->form), or a file the handler reads raw (r->http->body). A body of the wrong
 * Content-Type gets 415 before the handler runs (JSON and form; an empty body is accepted). */
enum api_body { BODY_NONE, BODY_JSON, BODY_FORM, BODY_FILE };

struct api_route {
    const char *method;
    const char *pattern; /* below the mount's prefix: "/applications/:id/:action" */
    api_handler handler;
    enum api_access access;
    enum api_body body; /* what the body is, hence how it is read */
    size_t body_max;    /* bytes (413 above, from Content-Length before the body is
                         * read); 0 = the default of its kind: cfg.upload_max for
                         * BODY_FILE, cfg.body_max for the others */
};

/* Writes an error the router (or a helper) found, in the format of the mount the request is
 * under: ours is {"error":{"code","message","field"?}} (api_error); Open311's is a list. */
typedef void (*api_error_fn)(struct api_req *r, int status, const char *code, const char *field,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A mount: every path at or below prefix (whole segments: "/api" takes "/api/x", not "/apix")
 * belongs to it. The first mount in the table whose prefix matches owns the path.
 * - routes: the route table (patterns below prefix); unknown paths get 404, known paths with
 *   another method 405, both through error;
 * - no routes and not static: a reserved prefix (a later API or webhooks): every path 404;
 * - static: the web console's files (cfg.web_root); extension-less GET paths that name no file
 *   get index.html, since the console routes on the client (deep links). */
struct api_mount {
    const char *prefix; /* "/api/v1"; "" for the root */
    const struct api_route *routes;
    size_t nroutes;
    api_error_fn error; /* the mount's error format */
    bool web;           /* serve cfg.web_root here */
};

/* ---- replies ---- */
/* Send a JSON value (steals the reference) with the status. */
void api_reply(struct api_req *r, int status, json_t *v);
/* Every error goes through one map: err_code → HTTP status (api_status_of), and the body of
 * DESIGN.md {"error":{"code","message","field"?,"allowed"?}} where code is ed->name, or
 * err_name(ed->code) when that is empty. */
/* Send ed as an error. */
void api_error_ed(struct api_req *r, const struct err_detail *ed);
/* Send an error made here: err is an enum err_code, name a specific error name (NULL =
 * err_name(err)), field the offending input (NULL = none). */
void api_fail(struct api_req *r, int err, const char *name, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same for callers that still name an HTTP status: status is turned back into the
 * err_code that maps to it. Prefer api_fail. */
void api_error(struct api_req *r, int status, const char *code, const char *field, const char *fmt,
               ...) __attribute__((format(printf, 5, 6)));
/* Seconds without a request after which a session ends (cfg.session_idle_minutes). */
int api_session_idle_seconds(const struct api *api);
/* Map an err_code to its HTTP status. */
int api_status_of(int err);
/* Seconds a client should wait after a 503 (the database unavailable for now); every
 * ERR_UNAVAILABLE reply gets it through api_error_ed. */
#define API_RETRY_AFTER 5

/* ---- input ---- */
enum api_ftype {
    F_STR,
    F_INT,
    F_NUM,
    F_BOOL,
    F_ID_OR_TRACKING /* positive integer or "YYYY-NNNNNN" */
};
struct api_field {
    const char *name;
    enum api_ftype type;
    bool required;
    size_t max; /* F_STR: max bytes; F_INT: max value (0 = any positive) */
};
/* Check r->body against spec: unknown fields, types, required, lengths → 400 sent and false. */
bool api_check_fields(struct api_req *r, const struct api_field *spec);
/* Convenience getters on r->body (NULL/0 when absent or JSON null). */
const char *api_str(struct api_req *r, const char *name);
int64_t api_int(struct api_req *r, const char *name);
bool api_has(struct api_req *r, const char *name);
/* Path parameter i as a positive id; sends 404 and returns false when it is not one. */
bool api_param_id(struct api_req *r, int i, int64_t *id);
/* Count one event of kind (e.g. "form", "login-failure") for the client's address in this
 * clock hour; false (and nothing counted) when limit is already reached. */
bool api_rate_take(struct api_req *r, const char *kind, int limit);
/* Undo one api_rate_take (e.g. the login succeeded, so it was not a failure). */
void api_rate_give_back(struct api_req *r, const char *kind);
/* Add Retry-After: seconds (at least 1) to r's reply, unless it already has one. */
void api_retry_after(struct api_req *r, int64_t seconds);
/* Query parameter as a time (0 when absent): RFC 3339, or a date meaning that Istanbul day
 * (its start, or with end_of_day the start of the next day); 400 and false when bad. */
bool api_query_time(struct api_req *r, const char *name, bool end_of_day, int64_t *t);
/* Query parameter as a positive id (0 when absent); sends 400 and returns false when bad. */
bool api_query_id(struct api_req *r, const char *name, int64_t *id);

/* Read and validate the citizen fields of r->body (name, phone, email, tc, address — those
 * present) into *c (core_citizen_read; caller releases with citizen_release); replies 400
 * and returns false (nothing to release) on a bad value or when need is not met. */
bool api_read_citizen(struct api_req *r, enum citizen_need need, struct citizen *c);
/* KVKK: log that the caller views citizen_id's record (purpose: "record view", …). When the
 * log row cannot be written the record must not be shown: replies 503 with Retry-After (when
 * reply is true) and returns false. */
bool api_log_citizen_view(struct api_req *r, int64_t citizen_id, const char *purpose, bool reply);

/* ---- rendering ---- */
json_t *api_time(int64_t t); /* RFC 3339 string or null */
/* Names of the actions in mask (bit 1 << enum app_action), in enum order; with u, only
 * those u's role may take. A new array. */
json_t *api_actions_json(unsigned mask, const struct user *u);
json_t *api_app_json(struct api_req *r, const struct app *a, bool full);
/* api_app_json(r, a, false) written straight into sb as JSON text, byte for byte what
 * api_reply would make of that object, but left open (no closing '}') so that the caller can
 * add members; now is time_now() (once per page). For lists and searches (api/jsonw.h). */
void api_app_write(struct strbuf *sb, const struct app *a, int64_t now);
/* The members api_app_json(r, a, true) has beyond those: access_code (to those who see
 * personal data) and allowed_actions; after api_app_write, the object still open. */
void api_app_write_full(struct strbuf *sb, struct api_req *r, const struct app *a);
json_t *api_user_json(const struct user *u);
json_t *api_citizen_json(struct api_req *r, const struct citizen *c, bool mask);
json_t *api_events_json(struct api_req *r, int64_t app_id, bool public_only);
/* The same three written straight into sb as JSON text (api/jsonw.h), whole ({...} and
 * [...]): the *_json forms above parse what these write, so both say the same. */
void api_citizen_write(struct strbuf *sb, struct api_req *r, const struct citizen *c, bool mask);
void api_events_write(struct strbuf *sb, struct api_req *r, int64_t app_id, bool public_only);
void api_attachment_write(struct strbuf *sb, const struct attachment *at);
bool api_role_sees_personal(const struct user *u);

/* ---- handlers (h_*.c) ---- */
void h_health(struct api_req *r);
void h_ready(struct api_req *r);
void h_session_create(struct api_req *r);
void h_session_delete(struct api_req *r);
void h_me(struct api_req *r);
void h_citizen_create(struct api_req *r);
void h_citizen_find(struct api_req *r);
void h_citizen_get(struct api_req *r);
/* KVKK (issue 12: h_kvkk.c) */
void h_kvkk_export(struct api_req *r);
void h_kvkk_anonymise(struct api_req *r);
void h_kvkk_find(struct api_req *r);
void h_view_log(struct api_req *r);
/* CİMER and the WhatsApp webhook (issue 15: h_cimer.c, h_whatsapp.c) */
void h_cimer_import(struct api_req *r);
void h_cimer_create(struct api_req *r);
void h_cimer_list(struct api_req *r);
void h_cimer_get(struct api_req *r);
void h_cimer_answer(struct api_req *r);
void h_cimer_answered(struct api_req *r);
void h_cimer_redirect(struct api_req *r);
void h_whatsapp_verify(struct api_req *r);
void h_whatsapp_event(struct api_req *r);
void h_app_create(struct api_req *r);
void h_app_list(struct api_req *r);
void h_app_get(struct api_req *r);
void h_app_citizen_phone(struct api_req *r);
void h_app_by_tracking(struct api_req *r);
void h_app_action(struct api_req *r);
void h_app_attach(struct api_req *r);
void h_app_attachment_get(struct api_req *r);
/* h_field.c (issue 16): the field list, the public photo, attachments as JSON, and the
 * Idempotency-Key of POSTs (api_idem_begin false: answered already, replayed or refused;
 * key is "" when the request has none; api_idem_end stores the answer). */
void h_field_jobs(struct api_req *r);
void h_public_photo(struct api_req *r);
json_t *api_attachment_json(const struct attachment *at);
json_t *api_public_photos_json(struct api_req *r, int64_t app_id);
bool api_idem_begin(struct api_req *r, char key[65]);
void api_idem_end(struct api_req *r, const char *key);
void h_app_link(struct api_req *r);
void h_public_create(struct api_req *r);
void h_public_get(struct api_req *r);
void h_public_attach(struct api_req *r);
void h_public_classify(struct api_req *r);
void h_public_notice(struct api_req *r);
void h_departments(struct api_req *r);
void h_department_write(struct api_req *r);
void h_categories(struct api_req *r);
void h_category_write(struct api_req *r);
void h_institutions(struct api_req *r);
void h_districts(struct api_req *r);
void h_neighbourhoods(struct api_req *r);
void h_district_create(struct api_req *r);
void h_neighbourhood_create(struct api_req *r);
void h_holidays(struct api_req *r);
void h_holiday_set(struct api_req *r);
void h_holiday_delete(struct api_req *r);
void h_users(struct api_req *r);
void h_user_create(struct api_req *r);
void h_user_update(struct api_req *r);
/* rights and the audit log (issue 12, h_rights.c) */
void h_grants(struct api_req *r);
void h_grant_set(struct api_req *r);
void h_grant_delete(struct api_req *r);
void h_me_password(struct api_req *r);
void h_tokens(struct api_req *r);
void h_token_create(struct api_req *r);
void h_token_delete(struct api_req *r);
void h_audit(struct api_req *r);
void h_meta(struct api_req *r);
void h_settings(struct api_req *r);
void h_settings_update(struct api_req *r);
void h_classify(struct api_req *r);
void h_app_similar(struct api_req *r);
void h_routing_quality(struct api_req *r);
void h_routing_models(struct api_req *r);      /* issue 13 */
void h_routing_corrections(struct api_req *r); /* issue 13 */
void h_stats(struct api_req *r);
/* GET /stats?from=YYYY-MM-DD&to=YYYY-MM-DD: add "period" to out within reach (policy_reach);
 * true and nothing added without from and to; false when it replied 400 or 503
 * (h_dashboard.c). */
bool api_stats_period(struct api_req *r, const struct dept_reach *reach, json_t *out);
/* The reach of the caller's reports (policy_report_reach) into *out; false when it replied 403
 * (or the store's error) (h_reports.c). */
bool api_report_reach(struct api_req *r, struct dept_reach *out);
void h_report_summary(struct api_req *r);
void h_contact_create(struct api_req *r);
void h_contact_list(struct api_req *r);
void h_contact_get(struct api_req *r);
void h_contact_close(struct api_req *r);
void h_telephony_events(struct api_req *r);
void h_agent_state_get(struct api_req *r);
void h_agent_state_set(struct api_req *r);
void h_agent_events(struct api_req *r);
void h_agents(struct api_req *r);
void h_kpi_live(struct api_req *r);
void h_kpi_calls(struct api_req *r);
void h_kpi_contacts(struct api_req *r);
/* h_report_export.c */
void h_report_export(struct api_req *r);
void h_kb_list(struct api_req *r);
void h_kb_get(struct api_req *r);
void h_kb_write(struct api_req *r);
/* outgoing messages (issue 15: h_outbox.c) */
void h_outbox_list(struct api_req *r);
void h_outbox_resend(struct api_req *r);
void h_templates(struct api_req *r);
void h_template_put(struct api_req *r);
void h_survey_get(struct api_req *r);
void h_survey_post(struct api_req *r);
void h_satisfaction(struct api_req *r);
void h_citizen_consent(struct api_req *r);
void h_citizen_lang(struct api_req *r); /* issue 15 */
/* A telephony body of type "survey": handled (true, answer sent) or not one (false). */
bool api_survey_event(struct api_req *r);
void h_live(struct api_req *r);
void h_metrics(struct api_req *r);

/* ---- live (h_live.c; the pop and the figures are rendered in h_contacts.c) ---- */
/* A screen pop as the long-poll and the stream send it: the event, its contact and the
 * caller's card (a new object). */
json_t *api_pop_json(struct api_req *r, const struct agent_event *e);
/* Today's figures of GET /kpi/live into *out (a new object); the store's error otherwise. */
int api_kpi_live_json(struct api_req *r, json_t **out);
struct live_hub;
/* The hub of api's streams (its thread starts with the first stream); NULL-safe free, after
 * the http server stopped. */
struct live_hub *live_hub_new(struct api *api);
void live_hub_free(struct live_hub *h);
/* A screen pop was queued in this process: look at once rather than at the next tick. */
void live_wake(struct api *api);

void h_kb_delete(struct api_req *r);

/* ---- Open311 GeoReport v2 at /open311 (h_open311.c; docs/OPEN311.md) ---- */
/* The mount's error format: the spec's list of {code, description}, XML or JSON by the path's
 * extension. */
void api_o311_error(struct api_req *r, int status, const char *code, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void h_o311_get(struct api_req *r);
void h_o311_discovery(struct api_req *r);
void h_o311_post(struct api_req *r);
void h_o311_service_def(struct api_req *r);
void h_o311_request(struct api_req *r);
void h_o311_token(struct api_req *r);
void h_o311_attrs_get(struct api_req *r);
void h_o311_attrs_put(struct api_req *r);
struct routing_result;
json_t *api_routing_json(const struct routing_result *rr);
json_t *api_repeats_json(struct api_req *r, const struct app *a);

#endif
