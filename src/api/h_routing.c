/* Routing suggestions, repeats, routing quality and the live counts of the supervisor view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/repeat.h"
#include "core/routing.h"
#include "nlp/turkish.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/banned.h"

json_t *api_routing_json(const struct routing_result *rr)
{
    json_t *list = json_array();
    for (int i = 0; i < rr->n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:f}", "category",
                                              rr->s[i].category, "category_name",
                                              rr->s[i].category_name, "department",
                                              rr->s[i].department, "department_name",
                                              rr->s[i].department_name, "probability",
                                              rr->s[i].p));
    json_t *words = json_array();
    for (const char *p = rr->urgency.words; *p;) {
        size_t l = strcspn(p, ",");
        json_array_append_new(words, json_stringn(p, l));
        p += l;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return json_pack("{s:o, s:b, s:f, s:b, s:o, s:o, s:o, s:o}", "suggestions", list, "confident",
                     rr->confident, "threshold", rr->threshold, "urgent", rr->urgency.urgent,
                     "urgent_rule",
                     rr->urgency.urgent ? json_string(rr->urgency.rule) : json_null(),
                     "urgent_words", words, "redirect",
                     rr->redirect[0] ? json_string(rr->redirect) : json_null(), "model",
                     rr->model[0] ? json_string(rr->model) : json_null());
}

void h_classify(struct api_req *r)
{
    static const struct api_field spec[] = { { "text", F_STR, true, CORE_TEXT_MAX },
                                             { "district_id", F_INT, false, 0 },
                                             { 0 } };
    struct routing_result rr;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    const char *text = api_str(r, "text");
    size_t visible = 0;
    for (const char *p = text; *p; p++)
        visible += *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r';
    if (!visible) {
        api_error(r, 400, "invalid_field", "text", "text is empty");
        return;
    }
    if (!nlp_utf8_valid(text, strlen(text))) {
        api_error(r, 400, "invalid_field", "text", "text is not valid UTF-8");
        return;
    }
    int rc = routing_classify(r->st, text, &rr, &ed);
    if (rc == ERR_UNSUPPORTED) {
        api_error(r, 503, "no_model", NULL, "%s", ed.message);
        return;
    }
    if (rc != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, api_routing_json(&rr));
}

/* Parse the optional geo/neighbourhood query of a repeat search. */
void h_app_similar(struct api_req *r)
{
    struct repeat_query q = { 0 };
    struct category cat;
    struct repeat_hit *hits = NULL;
    size_t n = 0;
    const char *code = http_query(r->http, "category");
    const char *lat = http_query(r->http, "lat"), *lon = http_query(r->http, "lon");
    if (!code || store_category_by_code(r->st, code, &cat) != ERR_OK) {
        api_error(r, 400, "invalid_field", "category", "give ?category= with a known category");
        return;
    }
    if (!api_query_id(r, "district_id", &q.district_id) ||
        !api_query_id(r, "neighbourhood_id", &q.neighbourhood_id))
        return;
    if (lat || lon) {
        if (!lat || !lon || !parse_double(lat, -90, 90, &q.lat) ||
            !parse_double(lon, -180, 180, &q.lon)) {
            api_error(r, 400, "invalid_field", lat ? "lon" : "lat",
                      "give both lat and lon as numbers in range");
            return;
        }
        q.has_geo = true;
    }
    q.text = http_query(r->http, "text");
    if (q.text && (strlen(q.text) > CORE_TEXT_MAX || !nlp_utf8_valid(q.text, strlen(q.text)))) {
        api_error(r, 400, "invalid_field", "text", "text must be valid UTF-8 of at most %d bytes",
                  CORE_TEXT_MAX);
        return;
    }
    q.category_id = cat.id;
    q.now = time_now();
    if (repeat_find(r->st, &q, 10, &hits, &n) != ERR_OK) {
        api_error(r, 500, "store_error", NULL, "search failed");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!core_app_visible(r->st, &r->user, &hits[i].app))
            continue;
        json_t *o = api_app_json(r, &hits[i].app, false);
        json_object_set_new(o, "distance_m", hits[i].distance_m >= 0
                                                 ? json_real(hits[i].distance_m)
                                                 : json_null());
        json_object_set_new(o, "similarity", json_real(hits[i].similarity));
        json_array_append_new(items, o);
    }
    repeat_hits_free(hits, n);
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

struct quality {
    size_t total, routed, cat_ok, dept_ok;
    json_t *by_dept;
    struct store *st;
};

static const char *dept_of(struct store *st, const char *category, char *buf, size_t len)
{
    struct category c;
    if (!*category || store_category_by_code(st, category, &c) != ERR_OK)
        return NULL;
    snprintf(buf, len, "%s", c.department_code);
    return buf;
}

static int quality_row(void *ctx, const char *suggested, const char *final)
{
    struct quality *q = ctx;
    char a[64], b[64];
    q->total++;
    if (!*final)
        return 0;
    q->routed++;
    const char *ds = dept_of(q->st, suggested, a, sizeof(a));
    const char *df = dept_of(q->st, final, b, sizeof(b));
    bool cat_ok = strcmp(suggested, final) == 0, dept_ok = ds && df && strcmp(ds, df) == 0;
    q->cat_ok += cat_ok;
    q->dept_ok += dept_ok;
    if (df) {
        json_t *d = json_object_get(q->by_dept, df);
        if (!d) {
            d = json_pack("{s:i, s:i}", "n", 0, "correct", 0);
            json_object_set_new(q->by_dept, df, d);
        }
        json_object_set_new(d, "n", json_integer(json_integer_value(json_object_get(d, "n")) + 1));
        json_object_set_new(d, "correct",
                            json_integer(json_integer_value(json_object_get(d, "correct")) +
                                         dept_ok));
    }
    return 0;
}

void h_routing_quality(struct api_req *r)
{
    int64_t from = 0, to = 0;
    if (!api_query_time(r, "from", false, &from) || !api_query_time(r, "to", true, &to))
        return;
    struct quality q = { .by_dept = json_object(), .st = r->st };
    if (store_app_suggestion_each(r->st, from, to, quality_row, &q) != ERR_OK) {
        json_decref(q.by_dept);
        api_error(r, 500, "store_error", NULL, "report failed");
        return;
    }
    api_reply(r, 200,
              json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "from", api_time(from),
                        "to", api_time(to), "with_suggestion", (json_int_t)q.total, "routed",
                        (json_int_t)q.routed, "category_correct", (json_int_t)q.cat_ok,
                        "department_correct", (json_int_t)q.dept_ok, "category_accuracy",
                        q.routed ? json_real((double)q.cat_ok / (double)q.routed) : json_null(),
                        "department_accuracy",
                        q.routed ? json_real((double)q.dept_ok / (double)q.routed) : json_null(),
                        "by_department", q.by_dept));
}

static int count_into(void *ctx, const char *key, int64_t n)
{
    json_object_set_new(ctx, key, json_integer(n));
    return 0;
}

static json_t *period(struct api_req *r, int64_t from, int64_t to, int64_t scope)
{
    static const char *const dims[] = { "status", "department", "channel" };
    static const char *const names[] = { "by_status", "by_department", "by_channel" };
    json_t *o = json_object();
    int64_t total = 0;
    for (int i = 0; i < 3; i++) {
        json_t *m = json_object();
        store_app_group_count(r->st, dims[i], from, to, scope, count_into, m);
        json_object_set_new(o, names[i], m);
    }
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(o, "by_status"), key, v)
        total += json_integer_value(v);
    json_object_set_new(o, "total", json_integer(total));
    json_object_set_new(o, "from", api_time(from));
    return o;
}

void h_stats(struct api_req *r)
{
    int64_t now = time_now();
    int64_t today = time_istanbul_day(now);
    struct civil_date cd = time_civil_from_days(today);
    int64_t day0 = today * 86400 - TIME_ISTANBUL_OFFSET;
    int64_t month0 = time_days_from_civil(cd.year, cd.month, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    /* the same scope as the list: a department role without a department sees nothing */
    int64_t scope = role_sees_all_departments(r->user.role) ? 0
                    : r->user.department_id                 ? r->user.department_id
                                                            : -1;
    struct app_filter f = { .overdue = true, .now = now, .scope_department_id = scope };
    int64_t overdue = 0, open = 0;
    store_app_count(r->st, &f, &overdue);
    f.overdue = false;
    f.statuses = 1u << ST_NEW | 1u << ST_FORWARDED | 1u << ST_IN_PROGRESS;
    store_app_count(r->st, &f, &open);
    api_reply(r, 200, json_pack("{s:o, s:o, s:I, s:I, s:o}", "today", period(r, day0, 0, scope),
                                "month", period(r, month0, 0, scope), "open", (json_int_t)open,
                                "overdue", (json_int_t)overdue, "at", api_time(now)));
}
