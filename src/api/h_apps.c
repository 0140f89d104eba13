/* Applications: create, list, read, lifecycle actions, attachments, links. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "api/jsonw.h"
#include "core/app.h"
#include "core/policy.h"
#include "core/repeat.h"
#include "core/routing.h"
#include "core/tracking.h"
#include "nlp/turkish.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

static const struct api_field create_spec[] = { { "kind", F_STR, false, 16 },
                                                { "channel", F_STR, true, 16 },
                                                { "priority", F_STR, false, 16 },
                                                { "text", F_STR, true, CORE_TEXT_MAX },
                                                { "category", F_STR, false, 40 },
                                                { "district_id", F_INT, false, 0 },
                                                { "neighbourhood_id", F_INT, false, 0 },
                                                { "address", F_STR, false, CORE_ADDRESS_MAX },
                                                { "lat", F_NUM, false, 0 },
                                                { "lon", F_NUM, false, 0 },
                                                { "citizen_id", F_INT, false, 0 },
                                                { "route", F_BOOL, false, 0 },
                                                { 0 } };

/* Fill an app_input from the checked body (strings borrowed from r->body). */
static bool read_input(struct api_req *r, struct app_input *in)
{
    memset(in, 0, sizeof(*in));
    in->kind = api_str(r, "kind");
    in->channel = api_str(r, "channel");
    in->priority = api_str(r, "priority");
    in->text = api_str(r, "text");
    in->category = api_str(r, "category");
    in->district_id = api_int(r, "district_id");
    in->neighbourhood_id = api_int(r, "neighbourhood_id");
    in->address = api_str(r, "address");
    in->citizen_id = api_int(r, "citizen_id");
    in->route = json_is_true(json_object_get(r->body, "route"));
    if (in->category && !*in->category)
        in->category = NULL;
    if (api_has(r, "lat") != api_has(r, "lon")) {
        api_fail(r, ERR_INVALID, NULL, api_has(r, "lat") ? "lon" : "lat",
                 "give both lat and lon, or neither");
        return false;
    }
    if (api_has(r, "lat")) {
        in->has_geo = true;
        in->lat = json_number_value(json_object_get(r->body, "lat"));
        in->lon = json_number_value(json_object_get(r->body, "lon"));
    }
    return true;
}

/* Open applications that this one may repeat (same category, nearby, last 14 days). */
json_t *api_repeats_json(struct api_req *r, const struct app *a)
{
    struct repeat_query q = { .category_id = a->category_id,
                              .district_id = a->district_id,
                              .neighbourhood_id = a->neighbourhood_id,
                              .has_geo = a->has_geo,
                              .lat = a->lat,
                              .lon = a->lon,
                              .text = a->text,
                              .exclude_id = a->id,
                              .now = time_now() };
    struct repeat_hit *hits = NULL;
    size_t n = 0;
    json_t *arr = json_array();
    /* without a place (coordinates or a neighbourhood) nothing can match: skip the search */
    if (!a->category_id || (!a->has_geo && !a->neighbourhood_id) ||
        repeat_find(r->st, &q, 5, &hits, &n) != ERR_OK)
        return arr;
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:o, s:f}", "id", (json_int_t)hits[i].app.id,
                           "tracking", hits[i].app.tracking, "status",
                           lifecycle_status_name(hits[i].app.status), "text",
                           hits[i].app.text ? hits[i].app.text : "", "distance_m",
                           hits[i].distance_m >= 0 ? json_real(hits[i].distance_m) : json_null(),
                           "similarity", hits[i].similarity));
    repeat_hits_free(hits, n);
    return arr;
}

/* Reply 201 with the application, its access code, the routing suggestion, possible
 * repeats and Location. */
static void reply_created(struct api_req *r, struct app *a, const struct routing_result *rr)
{
    char loc[64];
    json_t *o = api_app_json(r, a, true);
    json_object_set_new(o, "access_code", json_string(a->access_code));
    json_object_set_new(o, "routing", rr ? api_routing_json(rr) : json_null());
    json_object_set_new(o, "possible_duplicates", api_repeats_json(r, a));
    snprintf(loc, sizeof(loc), "/api/v1/applications/%lld", (long long)a->id);
    http_set_header(r->resp, "Location", loc);
    api_reply(r, 201, o);
}

void h_app_create(struct api_req *r)
{
    struct app_input in;
    struct app a;
    struct err_detail ed = { 0 };
    struct routing_result rr;
    if (!api_check_fields(r, create_spec) || !read_input(r, &in))
        return;
    /* classify before the write transaction: CPU work never holds the database lock */
    if (in.text && nlp_utf8_valid(in.text, strlen(in.text)) &&
        routing_classify(r->st, in.text, &rr, NULL) == ERR_OK)
        in.routing = &rr;
    if (core_app_create(r->st, &r->user, &in, &a, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    reply_created(r, &a, in.routing);
    app_release(&a);
}

/* Parse the list filters of DESIGN.md from the query string.
 * Long on purpose: one short block per query parameter of GET /applications, in the order the API
 * documents them.
 */
static bool read_filter(struct api_req *r, struct app_filter *f)
{
    const char *v;
    int64_t n;
    struct category cat;
    struct department dept;
    memset(f, 0, sizeof(*f));
    f->limit = 50;
    f->now = time_now();
    /* status=forwarded or status=forwarded,in_progress */
    for (v = http_query(r->http, "status"); v && *v;) {
        char name[32];
        size_t l = strcspn(v, ",");
        snprintf(name, sizeof(name), "%.*s", (int)(l < sizeof(name) ? l : sizeof(name) - 1), v);
        int sidx = l < sizeof(name) ? lifecycle_status_parse(name) : -1;
        if (sidx < 0) {
            api_fail(r, ERR_INVALID, NULL, "status", "unknown status %s", name);
            return false;
        }
        f->statuses |= 1u << sidx;
        v += l + (v[l] == ',');
    }
    if ((v = http_query(r->http, "sort")) && *v) {
        if (strcmp(v, "due") && strcmp(v, "newest")) {
            api_fail(r, ERR_INVALID, NULL, "sort", "sort must be newest or due");
            return false;
        }
        f->by_due = strcmp(v, "due") == 0;
    }
    if ((v = http_query(r->http, "department")) && *v) {
        if (store_department_by_code(r->st, v, &dept) != ERR_OK) {
            api_fail(r, ERR_INVALID, NULL, "department", "unknown department %s", v);
            return false;
        }
        f->department_id = dept.id;
    }
    if ((v = http_query(r->http, "category")) && *v) {
        if (store_category_by_code(r->st, v, &cat) != ERR_OK) {
            api_fail(r, ERR_INVALID, NULL, "category", "unknown category %s", v);
            return false;
        }
        f->category_id = cat.id;
    }
    if (!api_query_id(r, "district", &f->district_id) ||
        !api_query_id(r, "neighbourhood", &f->neighbourhood_id) ||
        !api_query_id(r, "citizen", &f->citizen_id))
        return false;
    static const struct {
        const char *name;
        const char *const *list;
        size_t off;
    } words[] = {
        { "channel", core_channels, offsetof(struct app_filter, channel) },
        { "kind", core_kinds, offsetof(struct app_filter, kind) },
        { "priority", core_priorities, offsetof(struct app_filter, priority) },
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (!(v = http_query(r->http, words[i].name)) || !*v)
            continue;
        if (!core_word_in(words[i].list, v)) {
            api_fail(r, ERR_INVALID, NULL, words[i].name, "unknown %s %s", words[i].name, v);
            return false;
        }
        str_copy((char *)f + words[i].off, MODEL_WORD_LEN, v);
    }
    if (!api_query_time(r, "from", false, &f->from) || !api_query_time(r, "to", true, &f->to))
        return false;
    if ((v = http_query(r->http, "overdue")) && *v) {
        if (strcmp(v, "true") && strcmp(v, "1") && strcmp(v, "false") && strcmp(v, "0")) {
            api_fail(r, ERR_INVALID, NULL, "overdue", "overdue must be true or false");
            return false;
        }
        f->overdue = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
    }
    if ((v = http_query(r->http, "q")) && *v) {
        if (strlen(v) > 200) {
            api_fail(r, ERR_INVALID, "too_long", "q", "the search is longer than 200 bytes");
            return false;
        }
        f->q = v;
    }
    if ((v = http_query(r->http, "limit")) && *v) {
        if (!parse_i64(v, 1, 500, &n)) {
            api_fail(r, ERR_INVALID, NULL, "limit", "limit must be 1..500");
            return false;
        }
        f->limit = (int)n;
    }
    if ((v = http_query(r->http, "after")) && *v) {
        /* newest first: an id; by deadline: "DUE.ID" as returned in next */
        const char *dot = f->by_due ? strchr(v, '.') : NULL;
        char due[24];
        bool ok = !f->by_due ? parse_i64(v, 1, INT64_MAX, &f->after)
                             : dot && (size_t)(dot - v) < sizeof(due) &&
                                   (snprintf(due, sizeof(due), "%.*s", (int)(dot - v), v), 1) &&
                                   parse_i64(due, 0, INT64_MAX, &f->after_due) &&
                                   parse_i64(dot + 1, 1, INT64_MAX, &f->after);
        if (!ok) {
            api_fail(r, ERR_INVALID, NULL, "after",
                     "after must be the next value of the previous page");
            return false;
        }
    }
    /* role isolation: department staff see their own subtree and their grants' (policy_reach,
     * the one decision for every list, count and report) */
    int rc = policy_reach(r->st, &r->user, POL_APP_READ, &f->reach);
    if (rc != ERR_OK) {
        /* a store error (503 when it is down); past DEPT_REACH_MAX subtrees, which the grants
         * refuse to reach (core/rights.c), an internal error */
        api_fail(r, rc == ERR_TOO_BIG ? ERR_INTERNAL : rc, NULL, NULL,
                 "the departments this user may read could not be decided");
        return false;
    }
    return true;
}

/* Who registered an application, for the list's column: {"username","name"}, or null for the
 * public web form and integrations without a user. A page names few users: each is read once
 * (users, up to USERS_SEEN of them; past that, read again). */
#define USERS_SEEN 16

struct user_seen {
    int64_t id;
    bool found;
    char username[sizeof(((struct user *)0)->username)];
    char name[sizeof(((struct user *)0)->full_name)];
};

static void write_registered_by(struct api_req *r, struct strbuf *sb, struct user_seen *seen,
                                size_t *nseen, int64_t id)
{
    struct user_seen *s = NULL, one;
    struct user u;
    bool first = true;
    if (!id) {
        jw_null(sb, &first, "registered_by");
        return;
    }
    for (size_t i = 0; i < *nseen && !s; i++)
        if (seen[i].id == id)
            s = &seen[i];
    if (!s) {
        s = *nseen < USERS_SEEN ? &seen[(*nseen)++] : &one;
        memset(s, 0, sizeof(*s));
        memset(&u, 0, sizeof(u));
        s->id = id;
        s->found = store_user_get(r->st, id, &u) == ERR_OK;
        if (s->found) {
            str_copy(s->username, sizeof(s->username), u.username);
            str_copy(s->name, sizeof(s->name), u.full_name[0] ? u.full_name : u.username);
        }
    }
    jw_key(sb, &first, "registered_by");
    if (!s->found) {
        strbuf_adds(sb, "null");
        return;
    }
    first = true;
    strbuf_addch(sb, '{');
    jw_str_or_null(sb, &first, "username", s->username);
    jw_str_or_null(sb, &first, "name", s->name);
    strbuf_addch(sb, '}');
}

/* Counting stops here: a list's total is exact up to this, else shown as "1.000+". The
 * environment's ALO153_LIST_COUNT_CAP (1..1000000) changes it, for tests. */
#define LIST_COUNT_CAP 1000

static int64_t list_count_cap(void)
{
    const char *v = getenv("ALO153_LIST_COUNT_CAP");
    int64_t n;
    return v && parse_i64(v, 1, 1000000, &n) ? n : LIST_COUNT_CAP;
}

void h_app_list(struct api_req *r)
{
    struct app_filter f;
    struct app *apps = NULL;
    size_t n = 0;
    int64_t next = 0, next_due = 0;
    if (!read_filter(r, &f))
        return;
    int rc = store_app_list(r->st, &f, &apps, &n, &next, &next_due);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, rc == ERR_INVALID ? "q" : NULL,
                 rc == ERR_INVALID ? "the search text is not valid" : "listing failed");
        return;
    }
    /* the page is written straight as JSON text (api/jsonw.h): the same bytes as a jansson
     * tree of api_app_json objects dumped by api_reply, at a fraction of the CPU */
    struct strbuf *sb = &r->resp->body;
    struct user_seen seen[USERS_SEEN];
    size_t nseen = 0;
    int64_t now = time_now();
    bool first = true;
    r->resp->status = 200;
    r->resp->content_type = "application/json; charset=utf-8";
    strbuf_adds(sb, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_addch(sb, ',');
        api_app_write(sb, &apps[i], now); /* left open after its last member */
        strbuf_addch(sb, ',');
        write_registered_by(r, sb, seen, &nseen, apps[i].created_by);
        strbuf_addch(sb, '}');
        app_release(&apps[i]);
    }
    free(apps);
    strbuf_addch(sb, ']');
    first = false;
    if (next && f.by_due) {
        char buf[48];
        snprintf(buf, sizeof(buf), "%lld.%lld", (long long)next_due, (long long)next);
        jw_key(sb, &first, "next");
        jw_str(sb, buf);
    } else {
        jw_id(sb, &first, "next", next);
    }
    /* the first page carries the total: exact up to the cap, then "1.000+" */
    if (!f.after) {
        int64_t total = 0, cap = list_count_cap();
        f.count_cap = cap;
        if (store_app_count(r->st, &f, &total) == ERR_OK) {
            jw_int(sb, &first, "total", total > cap ? cap : total);
            jw_bool(sb, &first, "total_capped", total > cap);
        }
    }
    strbuf_addch(sb, '}');
}

/* One link of the application's "links" array, written as text (ctx: struct link_out). */
struct link_out {
    struct strbuf *sb;
    size_t n;
};

static int link_write(void *ctx, int64_t other, const char *tracking, const char *kind)
{
    struct link_out *lo = ctx;
    bool first = true;
    strbuf_adds(lo->sb, lo->n++ ? ",{" : "{");
    jw_int(lo->sb, &first, "id", other);
    jw_string(lo->sb, &first, "tracking", tracking);
    jw_string(lo->sb, &first, "kind", kind);
    strbuf_addch(lo->sb, '}');
    return 0;
}

/* The application in full, with its citizen. Showing the citizen is a view of their record
 * (KVKK) and is logged first; when that log cannot be written the record is not shown: a read
 * answers 503, and after a committed change (after_write) the application is sent without
 * its citizen ("citizen_withheld": true) so the client does not repeat the change. */
static void reply_app(struct api_req *r, struct app *a, bool after_write)
{
    struct citizen c;
    bool have_citizen = false, withheld = false;
    if (a->citizen_id && store_citizen_get(r->st, a->citizen_id, &c) == ERR_OK) {
        have_citizen = api_log_citizen_view(r, c.id, "application view", !after_write);
        if (!have_citizen) {
            citizen_release(&c);
            if (!after_write)
                return;
            withheld = true;
        }
    }
    /* written as text (api/jsonw.h) like the list rows, its parts too (history, links, files,
     * citizen): building them as jansson trees and dumping those was a third of a get */
    struct strbuf *sb = &r->resp->body;
    bool first = false; /* api_app_write leaves the object open after a member */
    r->resp->status = 200;
    r->resp->content_type = "application/json; charset=utf-8";
    api_app_write(sb, a, time_now());
    api_app_write_full(sb, r, a);
    jw_key(sb, &first, "history");
    api_events_write(sb, r, a->id, false);
    jw_key(sb, &first, "links");
    struct link_out lo = { sb, 0 };
    strbuf_addch(sb, '[');
    store_link_each(r->st, a->id, link_write, &lo);
    strbuf_addch(sb, ']');
    struct attachment *at = NULL;
    size_t n = 0;
    jw_key(sb, &first, "attachments");
    strbuf_addch(sb, '[');
    if (store_attachment_list(r->st, a->id, &at, &n) == ERR_OK) {
        for (size_t i = 0; i < n; i++) {
            if (i)
                strbuf_addch(sb, ',');
            api_attachment_write(sb, &at[i]);
        }
        free(at);
    }
    strbuf_addch(sb, ']');
    if (have_citizen) {
        jw_key(sb, &first, "citizen");
        api_citizen_write(sb, r, &c, false);
        citizen_release(&c);
    } else if (withheld) {
        jw_bool(sb, &first, "citizen_withheld", true);
    }
    strbuf_addch(sb, '}');
}

/* Load an application the caller may see, or reply 404. */
static bool load_visible(struct api_req *r, int64_t id, const char *tracking, struct app *a)
{
    int rc = tracking ? store_app_by_tracking(r->st, tracking, a) : store_app_get(r->st, id, a);
    if (rc == ERR_OK && core_app_visible(r->st, &r->user, a))
        return true;
    if (rc == ERR_OK)
        app_release(a);
    if (rc == ERR_OK || rc == ERR_NOT_FOUND)
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such application");
    else
        api_fail(r, rc == ERR_UNAVAILABLE ? rc : ERR_STORE, NULL, NULL,
                 "could not read the application");
    return false;
}

void h_app_get(struct api_req *r)
{
    int64_t id;
    struct app a;
    if (!api_param_id(r, 0, &id) || !load_visible(r, id, NULL, &a))
        return;
    reply_app(r, &a, false);
    app_release(&a);
}

/* "Numarayı göster": the whole phone number of an application's citizen, for those who may
 * work on it (its department's staff see numbers masked elsewhere, so a field crew does not
 * call citizens back by itself; a clerk who must call one asks here). Each answer is a KVKK
 * view of the record, logged before it is shown. */
void h_app_citizen_phone(struct api_req *r)
{
    int64_t id;
    struct app a;
    struct citizen c;
    if (!api_param_id(r, 0, &id) || !load_visible(r, id, NULL, &a))
        return;
    bool may = policy_allows(r->st, &r->user, POL_APP_WORK, a.department_id);
    int64_t cid = a.citizen_id;
    app_release(&a);
    if (!may) {
        api_fail(r, ERR_FORBIDDEN, NULL, NULL, "only its department may see the number");
        return;
    }
    int rc = cid ? store_citizen_get(r->st, cid, &c) : ERR_NOT_FOUND;
    if (rc != ERR_OK) {
        api_fail(r, rc == ERR_NOT_FOUND ? ERR_NOT_FOUND : ERR_STORE, NULL, "phone",
                 "the application has no citizen");
        return;
    }
    if (!c.phone[0]) {
        citizen_release(&c);
        api_fail(r, ERR_NOT_FOUND, NULL, "phone", "the citizen gave no phone number");
        return;
    }
    if (api_log_citizen_view(r, c.id, "phone reveal", true))
        api_reply(r, 200,
                  json_pack("{s:I, s:s}", "citizen_id", (json_int_t)c.id, "phone", c.phone));
    citizen_release(&c);
}

void h_app_by_tracking(struct api_req *r)
{
    int year;
    int64_t seq;
    struct app a;
    char tr[TRACKING_LEN];
    if (!tracking_normalise(r->params[0], tr) || !tracking_parse(tr, &year, &seq)) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "not a tracking number (YYYY-NNNNNN)");
        return;
    }
    if (!load_visible(r, 0, tr, &a))
        return;
    reply_app(r, &a, false);
    app_release(&a);
}

void h_app_action(struct api_req *r)
{
    static const struct api_field spec[] = { { "note", F_STR, false, CORE_NOTE_MAX },
                                             { "response", F_STR, false, CORE_NOTE_MAX },
                                             { "category", F_STR, false, 40 },
                                             { "department", F_STR, false, 40 },
                                             { "institution", F_STR, false, 500 },
                                             { "duplicate_of", F_ID_OR_TRACKING, false, 0 },
                                             { 0 } };
    int64_t id;
    struct app a;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id))
        return;
    int action = lifecycle_action_parse(r->params[1]);
    if (action < 0) {
        api_fail(r, ERR_NOT_FOUND, NULL, "action", "unknown action %s", r->params[1]);
        return;
    }
    if (!api_check_fields(r, spec))
        return;
    /* duplicate_of: an id, or the tracking number the agent reads off the screen */
    struct act_input in = {
        .note = api_str(r, "note"),
        .response = api_str(r, "response"),
        .category = api_str(r, "category"),
        .department = api_str(r, "department"),
        .institution = api_str(r, "institution"),
        .duplicate_of = api_int(r, "duplicate_of"),
        .duplicate_of_tracking = api_str(r, "duplicate_of"),
    };
    if (core_app_act(r->st, &r->user, id, (enum app_action)action, &in, &a, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    reply_app(r, &a, true);
    app_release(&a);
}

void h_app_attachment_get(struct api_req *r)
{
    int64_t id, aid;
    struct app a;
    struct attachment meta;
    void *data = NULL;
    size_t len = 0;
    if (!api_param_id(r, 0, &id) || !api_param_id(r, 1, &aid) || !load_visible(r, id, NULL, &a))
        return;
    app_release(&a);
    if (store_attachment_get(r->st, id, aid, &meta, &data, &len) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such attachment");
        return;
    }
    static const char *const types[] = { "image/jpeg", "image/png", "image/webp",
                                         "application/pdf" };
    r->resp->content_type = "application/octet-stream";
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i], meta.mime) == 0)
            r->resp->content_type = types[i];
    r->resp->status = 200;
    r->resp->raw = data;
    r->resp->raw_len = len;
    http_set_header(r->resp, "Cache-Control", "private, max-age=3600");
}

void h_app_link(struct api_req *r)
{
    static const struct api_field spec[] = { { "other_id", F_INT, true, 0 },
                                             { "note", F_STR, false, CORE_NOTE_MAX },
                                             { 0 } };
    int64_t id;
    struct app a;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    if (core_app_link(r->st, &r->user, id, api_int(r, "other_id"), api_str(r, "note"), &a, &ed) !=
        ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    reply_app(r, &a, true);
    app_release(&a);
}

/* The public web form and the citizen's tracking page live in h_public.c but reuse these. */
void h_public_create(struct api_req *r);
