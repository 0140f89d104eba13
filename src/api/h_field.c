/* The field team's phone (issue 16): today's jobs nearest first, photos with their time and
 * place, the stripped public copy of a photo, and idempotency keys for re-sent actions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "api/jsonw.h"
#include "core/app.h"
#include "core/idem.h"
#include "core/lifecycle.h"
#include "core/policy.h"
#include "core/tracking.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define FIELD_JOBS_MAX 200 /* open jobs looked at for one list (deadline order) */

void api_attachment_write(struct strbuf *sb, const struct attachment *at)
{
    bool first = true;
    strbuf_addch(sb, '{');
    jw_int(sb, &first, "id", at->id);
    jw_string(sb, &first, "filename", at->filename);
    jw_string(sb, &first, "mime", at->mime);
    jw_int(sb, &first, "size", at->size);
    jw_string(sb, &first, "sha256", at->hash);
    jw_time(sb, &first, "created_at", at->created_at);
    jw_string(sb, &first, "stage", at->stage);
    jw_int(sb, &first, "width", at->width);
    jw_int(sb, &first, "height", at->height);
    jw_time(sb, &first, "taken_at", at->taken_at);
    if (at->has_geo) {
        jw_real(sb, &first, "lat", at->lat);
        jw_real(sb, &first, "lon", at->lon);
        jw_string(sb, &first, "geo_source", at->geo_source);
    } else {
        jw_null(sb, &first, "lat");
        jw_null(sb, &first, "lon");
        jw_null(sb, &first, "geo_source");
    }
    strbuf_addch(sb, '}');
}

json_t *api_attachment_json(const struct attachment *at)
{
    struct strbuf sb = STRBUF_INIT;
    api_attachment_write(&sb, at);
    json_t *v = json_loadb(sb.buf, sb.len, 0, NULL);
    strbuf_release(&sb);
    return v;
}

/* ---- idempotency keys (router.c calls these around every handler) ---- */

bool api_idem_begin(struct api_req *r, char key[CORE_IDEM_KEY_MAX + 1])
{
    key[0] = 0;
    const char *k = http_header(r->http, "Idempotency-Key");
    if (!k || strcmp(r->http->method, "POST") != 0 || !r->authed || r->user.id <= 0)
        return true;
    if (!core_idem_key_ok(k)) {
        api_fail(
            r, ERR_INVALID, NULL, "Idempotency-Key",
            "Idempotency-Key must be 1..%d characters of A-Z a-z 0-9 - _ . :", CORE_IDEM_KEY_MAX);
        return false;
    }
    enum core_idem state;
    int status;
    char *body = NULL;
    int rc = core_idem_claim(r->st, r->user.id, k, &state, &status, &body);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "database busy");
        return false;
    }
    if (state == IDEM_BUSY) {
        api_fail(r, ERR_CONFLICT, "idempotency_in_progress", "Idempotency-Key",
                 "a request with this Idempotency-Key is still running");
        return false;
    }
    if (state == IDEM_REPLAY) {
        r->resp->status = status;
        r->resp->content_type = "application/json";
        strbuf_reset(&r->resp->body);
        strbuf_adds(&r->resp->body, body ? body : "");
        http_set_header(r->resp, "Idempotency-Replayed", "true");
        free(body);
        return false;
    }
    memcpy(key, k, strlen(k) + 1);
    return true;
}

void api_idem_end(struct api_req *r, const char *key)
{
    if (!key[0])
        return;
    const char *body = r->resp->raw || r->resp->stream ? NULL : r->resp->body.buf;
    core_idem_finish(r->st, r->user.id, key, r->resp->status, body ? body : "");
}

/* ---- the field list ---- */

struct job {
    struct app a;
    double dist; /* metres; INFINITY without coordinates or without near */
};

static int job_cmp(const void *x, const void *y)
{
    const struct job *a = x, *b = y;
    if (a->dist != b->dist)
        return a->dist < b->dist ? -1 : 1;
    int64_t da = a->a.resolution_due ? a->a.resolution_due : INT64_MAX;
    int64_t db = b->a.resolution_due ? b->a.resolution_due : INT64_MAX;
    if (da != db)
        return da < db ? -1 : 1;
    return a->a.id < b->a.id ? -1 : a->a.id > b->a.id;
}

static double metres(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 6371000.0 * 2 * atan2(sqrt(h), sqrt(1 - h));
}

/* "lat,lon" */
static bool parse_near(const char *s, double *lat, double *lon)
{
    char *end;
    *lat = strtod(s, &end);
    if (end == s || *end != ',')
        return false;
    const char *p = end + 1;
    *lon = strtod(p, &end);
    return end != p && !*end && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}

void h_field_jobs(struct api_req *r)
{
    double lat = 0, lon = 0;
    const char *near = http_query(r->http, "near");
    bool have_near = near && *near;
    if (have_near && !parse_near(near, &lat, &lon)) {
        api_fail(r, ERR_INVALID, NULL, "near", "near must be lat,lon in degrees");
        return;
    }
    struct app_filter f = { 0 };
    f.statuses = 1u << ST_FORWARDED | 1u << ST_IN_PROGRESS;
    /* the department's own work and the granted departments' (policy_reach) */
    if (policy_reach(r->st, &r->user, POL_APP_READ, &f.reach) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "listing failed");
        return;
    }
    if (r->user.department_id && !f.reach.limited)
        f.department_id = r->user.department_id; /* the crew's own department's work */
    f.by_due = true;
    f.now = time_now();
    f.limit = FIELD_JOBS_MAX;
    struct app *apps = NULL;
    size_t n = 0;
    int64_t next = 0, next_due = 0;
    if (store_app_list(r->st, &f, &apps, &n, &next, &next_due) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "listing failed");
        return;
    }
    struct job *jobs = xmalloc((n ? n : 1) * sizeof(*jobs));
    for (size_t i = 0; i < n; i++) {
        jobs[i].a = apps[i];
        jobs[i].dist =
            have_near && apps[i].has_geo ? metres(lat, lon, apps[i].lat, apps[i].lon) : INFINITY;
    }
    free(apps);
    qsort(jobs, n, sizeof(*jobs), job_cmp);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = api_app_json(r, &jobs[i].a, false);
        json_object_set_new(o, "distance_m",
                            isfinite(jobs[i].dist) ? json_integer((json_int_t)llround(jobs[i].dist))
                                                   : json_null());
        json_array_append_new(items, o);
        app_release(&jobs[i].a);
    }
    free(jobs);
    api_reply(r, 200, json_pack("{s:o, s:b}", "items", items, "more", next != 0));
}

/* ---- photos ---- */

/* POST /applications/:id/attachments?filename=&stage=&lat=&lon= */
void h_app_attach(struct api_req *r)
{
    int64_t id;
    struct attachment at;
    struct err_detail ed = { 0 };
    struct attach_opts opts = { .stage = http_query(r->http, "stage") };
    if (!api_param_id(r, 0, &id))
        return;
    if (r->http->body_too_big) {
        api_fail(r, ERR_TOO_BIG, NULL, "file", "the file is larger than the upload limit");
        return;
    }
    const char *la = http_query(r->http, "lat"), *lo = http_query(r->http, "lon");
    if ((la && *la) || (lo && *lo)) {
        char *e1 = NULL, *e2 = NULL;
        opts.lat = la ? strtod(la, &e1) : 0;
        opts.lon = lo ? strtod(lo, &e2) : 0;
        if (!la || !lo || e1 == la || *e1 || e2 == lo || *e2 || !isfinite(opts.lat) ||
            !isfinite(opts.lon)) {
            api_fail(r, ERR_INVALID, NULL, "lat", "lat and lon must both be numbers");
            return;
        }
        opts.has_geo = true;
    }
    if (core_app_attach_photo(r->st, &r->user, id, r->http->body, r->http->body_len,
                              http_query(r->http, "filename"), http_header(r->http, "Content-Type"),
                              &opts, &at, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 201, api_attachment_json(&at));
}

/* The application of a public request (tracking number and access code), or false with the
 * same 404 for every failure. */
static bool public_app(struct api_req *r, struct app *a)
{
    int year;
    int64_t seq;
    char tr[TRACKING_LEN];
    const char *code = http_query(r->http, "code");
    if (!api_rate_take(r, "track-fail", r->api->cfg.tracking_failures_per_hour)) {
        api_retry_after(r, 3600 - time_now() % 3600);
        api_fail(r, ERR_RATE, "too_many_lookups", NULL,
                 "too many wrong tracking lookups from this address");
        return false;
    }
    if (!tracking_normalise(r->params[0], tr) || !tracking_parse(tr, &year, &seq) || !code ||
        store_app_by_tracking(r->st, tr, a) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no application with this number and code");
        return false;
    }
    if (!tracking_code_matches(a->access_code, code)) {
        app_release(a);
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no application with this number and code");
        return false;
    }
    api_rate_give_back(r, "track-fail");
    return true;
}

/* GET /public/applications/:t/photos/:aid?code= — the photo without its metadata. */
void h_public_photo(struct api_req *r)
{
    struct app a;
    int64_t aid;
    if (!api_param_id(r, 1, &aid) || !public_app(r, &a))
        return;
    void *data = NULL;
    size_t len = 0;
    const char *mime = NULL;
    int rc = core_app_public_photo(r->st, a.id, aid, &data, &len, &mime);
    app_release(&a);
    if (rc != ERR_OK) {
        api_fail(r, rc == ERR_NOT_FOUND ? ERR_NOT_FOUND : rc, NULL, NULL, "no such photo");
        return;
    }
    r->resp->status = 200;
    r->resp->content_type = mime;
    r->resp->raw = data;
    r->resp->raw_len = len;
    http_set_header(r->resp, "Cache-Control", "private, max-age=3600");
}

json_t *api_public_photos_json(struct api_req *r, int64_t app_id)
{
    struct attachment *at = NULL;
    size_t n = 0;
    json_t *arr = json_array();
    if (store_attachment_list(r->st, app_id, &at, &n) != ERR_OK)
        return arr;
    for (size_t i = 0; i < n; i++)
        if (strncmp(at[i].mime, "image/", 6) == 0)
            json_array_append_new(arr,
                                  json_pack("{s:I, s:s, s:s, s:i, s:i}", "id", (json_int_t)at[i].id,
                                            "mime", at[i].mime, "stage", at[i].stage, "width",
                                            at[i].width, "height", at[i].height));
    free(at);
    return arr;
}
