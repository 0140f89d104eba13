/* CİMER: import (CSV or JSON), the queue, one application's form, the answer exported back,
 * answered-in-CİMER and "belongs to another institution" (core/cimer.h, docs/INTAKE.md). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api_int.h"
#include "core/cimer.h"
#include "http/http.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static json_t *cimer_json(const struct cimer_rec *c, int64_t now)
{
    bool open = !c->answered_at && !c->institution_id;
    int left = core_cimer_days_left(c->promise_due, now);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:i, s:b, s:o, s:o, s:o, s:b}", "app_id",
        (json_int_t)c->app_id, "cimer_no", c->cimer_no, "tracking", c->tracking, "status",
        lifecycle_status_name(c->status), "filed_at", api_time(c->filed_at), "promise_due",
        api_time(c->promise_due), "legal_due", api_time(c->legal_due), "imported_at",
        api_time(c->imported_at), "days_left", left, "legal_days_left",
        core_cimer_days_left(c->legal_due, now), "late", open && left < CIMER_RED_DAYS,
        "answered_at", api_time(c->answered_at), "department",
        c->department_code[0] ? json_string(c->department_code) : json_null(), "institution",
        c->institution_code[0] ? json_string(c->institution_code) : json_null(), "open", open);
    json_object_set_new(o, "note", c->note[0] ? json_string(c->note) : json_null());
    return o;
}

/* An import error names the line: {"error":{code, message, field, line}}. */
static void import_error(struct api_req *r, const struct err_detail *ed, int line)
{
    const char *code = ed->name[0] ? ed->name : err_name(ed->code);
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", ed->message);
    if (ed->field[0])
        json_object_set_new(e, "field", json_string(ed->field));
    if (line > 0)
        json_object_set_new(e, "line", json_integer(line));
    api_reply(r, api_status_of(ed->code), json_pack("{s:o}", "error", e));
}

static char *jstr_dup(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v)) { /* a CİMER number sent as a number */
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
        return xstrdup(buf);
    }
    return NULL;
}

/* One JSON application into an item: the fields of a CSV row, the citizen flat or as
 * "citizen": {name, phone, email, tc, address}. */
static bool json_item(json_t *o, struct cimer_item *it, struct err_detail *ed)
{
    if (!json_is_object(o)) {
        err_set(ed, ERR_INVALID, "file", "line %d: an application must be an object", it->line);
        return false;
    }
    json_t *cz = json_object_get(o, "citizen");
    json_t *who = json_is_object(cz) ? cz : o;
    it->cimer_no = jstr_dup(o, "cimer_no");
    it->filed = jstr_dup(o, "filed_at");
    it->kind = jstr_dup(o, "kind");
    it->text = jstr_dup(o, "text");
    it->name = jstr_dup(who, "name");
    it->phone = jstr_dup(who, "phone");
    it->email = jstr_dup(who, "email");
    it->tc = jstr_dup(who, "tc");
    it->address = jstr_dup(who, "address");
    return true;
}

/* A JSON import: an array of applications or {"applications": [...]}; item k is "line" k. */
static int parse_json(const char *body, size_t len, struct cimer_batch *b, int *line,
                      struct err_detail *ed)
{
    json_error_t je;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    *line = 0;
    if (!doc) {
        *line = je.line > 0 ? je.line : 1;
        return err_set(ed, ERR_INVALID, "file", "line %d: not JSON: %s", *line, je.text);
    }
    json_t *arr = json_is_array(doc) ? doc : json_object_get(doc, "applications");
    int rc = ERR_OK;
    if (!json_is_array(arr)) {
        rc = err_set(ed, ERR_INVALID, "file", "send an array of applications");
        goto out;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (!json_item(v, cimer_batch_add(b, (int)i + 1), ed)) {
            *line = (int)i + 1;
            rc = ERR_INVALID;
            break;
        }
    }
out:
    json_decref(doc);
    return rc;
}

static json_t *import_json(const struct cimer_import_result *res, int64_t now)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < res->n; i++)
        json_array_append_new(rows, cimer_json(&res->rows[i], now));
    return json_pack("{s:I, s:I, s:o}", "created", (json_int_t)res->created, "skipped",
                     (json_int_t)res->skipped, "applications", rows);
}

void h_cimer_import(struct api_req *r)
{
    struct cimer_batch b = { 0 };
    struct cimer_import_result res;
    struct err_detail ed = { 0 };
    int line = 0, rc;
    int64_t now = time_now();
    if (r->http->body_too_big) {
        api_fail(r, ERR_TOO_BIG, NULL, "file", "the file is larger than the upload limit");
        return;
    }
    const char *ct = http_header(r->http, "Content-Type");
    if (ct && strncasecmp(ct, "application/json", 16) == 0) {
        rc = parse_json(r->http->body, r->http->body_len, &b, &line, &ed);
    } else if (ct &&
               (strncasecmp(ct, "text/csv", 8) == 0 || strncasecmp(ct, "text/plain", 10) == 0)) {
        rc = core_cimer_parse_csv(r->http->body, r->http->body_len, &b, &line, &ed);
    } else {
        api_fail(r, ERR_UNSUPPORTED, "unsupported_media_type", NULL,
                 "send the file as Content-Type: text/csv or application/json");
        return;
    }
    if (rc == ERR_OK)
        rc = core_cimer_import(r->st, &r->user, &b, false, now, &res, &line, &ed);
    cimer_batch_free(&b);
    if (rc != ERR_OK) {
        import_error(r, &ed, line);
        return;
    }
    api_reply(r, res.created ? 201 : 200, import_json(&res, now));
    cimer_import_result_free(&res);
}

void h_cimer_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "cimer_no", F_STR, true, CIMER_NO_LEN - 1 },
                                             { "filed_at", F_STR, true, 40 },
                                             { "text", F_STR, true, 8000 },
                                             { "kind", F_STR, false, 20 },
                                             { "name", F_STR, false, 200 },
                                             { "phone", F_STR, false, 40 },
                                             { "email", F_STR, false, 254 },
                                             { "tc", F_STR, false, 20 },
                                             { "address", F_STR, false, 500 },
                                             { 0 } };
    struct cimer_batch b = { 0 };
    struct cimer_import_result res;
    struct err_detail ed = { 0 };
    int line = 0;
    int64_t now = time_now();
    if (!api_check_fields(r, spec))
        return;
    json_item(r->body, cimer_batch_add(&b, 1), &ed);
    int rc = core_cimer_import(r->st, &r->user, &b, true, now, &res, &line, &ed);
    cimer_batch_free(&b);
    if (rc != ERR_OK) {
        if (strncmp(ed.message, "line 1: ", 8) == 0) /* one application: no line to name */
            memmove(ed.message, ed.message + 8, strlen(ed.message + 8) + 1);
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 201, cimer_json(&res.rows[0], now));
    cimer_import_result_free(&res);
}

void h_cimer_list(struct api_req *r)
{
    struct cimer_rec *v;
    size_t n;
    struct err_detail ed = { 0 };
    const char *all = http_query(r->http, "all");
    if (core_cimer_list(r->st, &r->user, !(all && strcmp(all, "1") == 0), &v, &n, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    int64_t now = time_now();
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, cimer_json(&v[i], now));
    free(v);
    api_reply(r, 200, json_pack("{s:o, s:i}", "items", items, "red_days", CIMER_RED_DAYS));
}

void h_cimer_get(struct api_req *r)
{
    int64_t id;
    struct cimer_rec c;
    struct err_detail ed = { 0 };
    char *text = NULL;
    if (!api_param_id(r, 0, &id))
        return;
    if (core_cimer_get(r->st, &r->user, id, &c, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    json_t *o = cimer_json(&c, time_now());
    struct err_detail ignored = { 0 };
    json_object_set_new(o, "answer_text",
                        core_cimer_answer_text(r->st, &r->user, id, &text, &ignored) == ERR_OK
                            ? json_string(text)
                            : json_null());
    free(text);
    api_reply(r, 200, o);
}

/* The answer as a file to upload into CİMER (text/plain, UTF-8). */
void h_cimer_answer(struct api_req *r)
{
    int64_t id;
    struct cimer_rec c;
    struct err_detail ed = { 0 };
    char *text = NULL;
    if (!api_param_id(r, 0, &id))
        return;
    if (core_cimer_get(r->st, &r->user, id, &c, &ed) != ERR_OK ||
        core_cimer_answer_text(r->st, &r->user, id, &text, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    char disp[128];
    char safe[CIMER_NO_LEN];
    size_t k = 0;
    for (const char *p = c.cimer_no; *p && k + 1 < sizeof(safe); p++)
        safe[k++] = (*p == '/' || *p == '.') ? '-' : *p;
    safe[k] = '\0';
    snprintf(disp, sizeof(disp), "attachment; filename=\"cimer-cevap-%s.txt\"", safe);
    r->resp->status = 200;
    r->resp->content_type = "text/plain; charset=utf-8";
    r->resp->raw = text;
    r->resp->raw_len = strlen(text);
    http_set_header(r->resp, "Content-Disposition", disp);
}

void h_cimer_answered(struct api_req *r)
{
    static const struct api_field spec[] = { { "answered_at", F_STR, false, 40 }, { 0 } };
    int64_t id, at = 0;
    struct cimer_rec c;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    const char *when = api_str(r, "answered_at");
    if (when && (!time_parse(when, &at) || at > time_now() + 86400)) {
        api_fail(r, ERR_INVALID, NULL, "answered_at",
                 "answered_at must be a date, not in the future");
        return;
    }
    if (core_cimer_answered(r->st, &r->user, id, at, &c, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, cimer_json(&c, time_now()));
}

void h_cimer_redirect(struct api_req *r)
{
    static const struct api_field spec[] = { { "institution", F_STR, true, 40 },
                                             { "note", F_STR, true, CIMER_NOTE_LEN - 1 },
                                             { 0 } };
    int64_t id;
    struct cimer_rec c;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    if (core_cimer_redirect(r->st, &r->user, id, api_str(r, "institution"), api_str(r, "note"), 0,
                            &c, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, cimer_json(&c, time_now()));
}
