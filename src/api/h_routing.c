/* Routing suggestions, repeats, routing quality and the live counts of the supervisor view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/learn.h"
#include "core/policy.h"
#include "core/split.h"
#include "core/repeat.h"
#include "core/routing.h"
#include "nlp/turkish.h"
#include "report/report.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/banned.h"

json_t *api_routing_json(const struct routing_result *rr)
{
    json_t *list = json_array();
    for (int i = 0; i < rr->n; i++)
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:s, s:f}", "category", rr->s[i].category,
                                        "category_name", rr->s[i].category_name, "department",
                                        rr->s[i].department, "department_name",
                                        rr->s[i].department_name, "probability", rr->s[i].p));
    json_t *words = json_array();
    for (const char *p = rr->urgency.words; *p;) {
        size_t l = strcspn(p, ",");
        json_array_append_new(words, json_stringn(p, l));
        p += l;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return json_pack(
        "{s:o, s:b, s:f, s:b, s:o, s:o, s:o, s:o}", "suggestions", list, "confident", rr->confident,
        "threshold", rr->threshold, "urgent", rr->urgency.urgent, "urgent_rule",
        rr->urgency.urgent ? json_string(rr->urgency.rule) : json_null(), "urgent_words", words,
        "redirect", rr->redirect[0] ? json_string(rr->redirect) : json_null(), "model",
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
    json_t *o = api_routing_json(&rr);
    /* issue 13: two requests in one text */
    static _Thread_local struct split_result sp; /* two routing results: off the stack */
    if (rr.n && split_find(r->st, text, &sp) == ERR_OK && sp.found) {
        json_t *parts = json_array();
        for (int i = 0; i < 2; i++) {
            json_t *p = api_routing_json(&sp.part[i].rr);
            json_t *top = json_incref(json_object_get(p, "suggestions"));
            json_array_append_new(parts, json_pack("{s:s%, s:o, s:b}", "text",
                                                   text + sp.part[i].off, sp.part[i].len, "top",
                                                   top, "confident", sp.part[i].rr.confident));
            json_decref(p);
        }
        json_object_set_new(o, "split", parts);
    }
    api_reply(r, 200, o);
}

static json_t *gate_json(const struct learn_gate *g)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:f, s:I, s:f, s:o, s:f, s:f, s:I, s:I, s:s}", "verdict",
                     g->verdict, "reason", g->reason, "file", g->file, "n", (json_int_t)g->n,
                     "top1", g->top1, "decoys_n", (json_int_t)g->decoys_n, "decoys", g->decoys,
                     "against", g->against[0] ? json_string(g->against) : json_null(),
                     "against_top1", g->against_top1, "against_decoys", g->against_decoys,
                     "examples", (json_int_t)g->examples, "corrections", (json_int_t)g->corrections,
                     "at", g->at);
}

void h_routing_models(struct api_req *r)
{
    struct learn_model *v = NULL;
    size_t n = 0;
    const char *dir = learn_models_dir();
    learn_models_list(dir, 200, &v, &n); /* no folder yet: no models */
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:s, s:b, s:b, s:I, s:o}", "name", v[i].name, "current",
                             v[i].current, "rejected", strncmp(v[i].name, "rejected-", 9) == 0,
                             "size", (json_int_t)v[i].size, "gate",
                             v[i].has_gate ? gate_json(&v[i].gate) : json_null()));
    free(v);
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

static int correction_json(void *ctx, const struct correction *c)
{
    json_array_append_new(
        ctx, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)c->id,
                       "app_id", (json_int_t)c->app_id, "action", c->action, "text", c->text,
                       "suggested", c->suggested[0] ? json_string(c->suggested) : json_null(),
                       "previous", c->previous[0] ? json_string(c->previous) : json_null(), "final",
                       c->final[0] ? json_string(c->final) : json_null(), "user_id",
                       c->user_id ? json_integer(c->user_id) : json_null(), "at", api_time(c->at)));
    return 0;
}

void h_routing_corrections(struct api_req *r)
{
    int64_t app_id = 0, limit = 50;
    const char *l = http_query(r->http, "limit");
    if (!api_query_id(r, "app_id", &app_id))
        return;
    if (l && !parse_i64(l, 1, 500, &limit)) {
        api_error(r, 400, "invalid_field", "limit", "limit must be 1..500");
        return;
    }
    json_t *items = json_array();
    if (store_correction_each(r->st, app_id, (int)limit, correction_json, items) != ERR_OK) {
        json_decref(items);
        api_error(r, 500, "store_error", NULL, "could not read the corrections");
        return;
    }
    api_reply(r, 200, json_pack("{s:o}", "items", items));
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
        json_object_set_new(o, "distance_m",
                            hits[i].distance_m >= 0 ? json_real(hits[i].distance_m) : json_null());
        json_object_set_new(o, "similarity", json_real(hits[i].similarity));
        json_array_append_new(items, o);
    }
    repeat_hits_free(hits, n);
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

/* A report table as a JSON object: key → count (one column) or key → {column: count}. */
static json_t *table_json(const struct report_table *t)
{
    json_t *o = json_object();
    for (size_t i = 0; i < t->nrows; i++) {
        const struct report_row *row = &t->rows[i];
        json_t *v;
        if (t->ncols == 1) {
            v = json_integer(row->v[0]);
        } else {
            v = json_object();
            for (size_t c = 0; c < t->ncols; c++)
                json_object_set_new(v, t->cols[c], json_integer(row->v[c]));
        }
        json_object_set_new(o, row->key, v);
    }
    return o;
}

static json_t *ratio_json(int64_t part, int64_t whole)
{
    return whole ? json_real((double)part / (double)whole) : json_null();
}

void h_routing_quality(struct api_req *r)
{
    int64_t from = 0, to = 0;
    struct report_quality *q = NULL;
    if (!api_query_time(r, "from", false, &from) || !api_query_time(r, "to", true, &to))
        return;
    if (report_routing_quality(r->st, from, to, &q, NULL) != ERR_OK) {
        api_error(r, 500, "store_error", NULL, "report failed");
        return;
    }
    api_reply(r, 200,
              json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "from",
                        api_time(from), "to", api_time(to), "with_suggestion",
                        (json_int_t)q->with_suggestion, "routed", (json_int_t)q->routed,
                        "category_correct", (json_int_t)q->category_correct, "department_correct",
                        (json_int_t)q->department_correct, "category_accuracy",
                        ratio_json(q->category_correct, q->routed), "department_accuracy",
                        ratio_json(q->department_correct, q->routed), "by_department",
                        table_json(&q->by_department), "by_week", table_json(&q->by_week)));
    report_quality_free(q);
}

static json_t *period_json(const struct report_period *p)
{
    return json_pack("{s:o, s:o, s:o, s:I, s:o}", "by_status", table_json(&p->by_status),
                     "by_department", table_json(&p->by_department), "by_channel",
                     table_json(&p->by_channel), "total", (json_int_t)p->total, "from",
                     api_time(p->from));
}

void h_stats(struct api_req *r)
{
    struct report_stats *s = NULL;
    /* the same reach as the list: the own department's subtree and the granted ones (a
     * department role with neither sees nothing) */
    struct dept_reach reach;
    if (policy_reach(r->st, &r->user, POL_APP_READ, &reach) != ERR_OK) {
        api_error(r, 500, "store_error", NULL, "report failed");
        return;
    }
    if (report_stats(r->st, time_now(), &reach, &s, NULL) != ERR_OK) {
        api_error(r, 500, "store_error", NULL, "report failed");
        return;
    }
    json_t *o = json_pack("{s:o, s:o, s:I, s:I, s:o}", "today", period_json(&s->today), "month",
                          period_json(&s->month), "open", (json_int_t)s->open, "overdue",
                          (json_int_t)s->overdue, "at", api_time(s->at));
    report_stats_free(s);
    /* ?from=&to=: the dashboard's period (h_dashboard.c) */
    if (!api_stats_period(r, &reach, o)) {
        json_decref(o);
        return;
    }
    api_reply(r, 200, o);
}
