/* Reference data: departments, categories, institutions, districts and neighbourhoods. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "nlp/turkish.h"
#include "util/banned.h"

static json_t *dept_json(const struct department *d, const struct department *all, size_t n)
{
    const char *parent = NULL;
    for (size_t i = 0; i < n && d->parent_id; i++)
        if (all[i].id == d->parent_id)
            parent = all[i].code;
    return json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:b}", "id", (json_int_t)d->id, "code",
                     d->code, "parent", parent ? json_string(parent) : json_null(), "institution",
                     d->institution_code, "name", d->name_tr, "name_en", d->name_en, "active",
                     d->active);
}

void h_departments(struct api_req *r)
{
    struct department *d = NULL;
    size_t n = 0;
    if (store_department_list(r->st, &d, &n) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "listing failed");
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, dept_json(&d[i], d, n));
    free(d);
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

static bool valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 39)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static bool check_name(struct api_req *r, const char *field)
{
    const char *v = api_str(r, field);
    if (v && (!*v || !nlp_utf8_valid(v, strlen(v)))) {
        api_fail(r, ERR_INVALID, NULL, field, "%s must be non-empty UTF-8 text", field);
        return false;
    }
    return true;
}

/* POST creates (code in the body), PATCH /:code updates the given fields. */
void h_department_write(struct api_req *r)
{
    static const struct api_field spec[] = {
        { "code", F_STR, false, 39 },        { "parent", F_STR, false, 39 },
        { "institution", F_STR, false, 39 }, { "name", F_STR, false, 159 },
        { "name_en", F_STR, false, 159 },    { "active", F_BOOL, false, 0 },
        { 0 }
    };
    struct department d = { 0 }, parent;
    struct err_detail ed = { 0 };
    bool create = r->params[0] == NULL;
    if (!api_check_fields(r, spec) || !check_name(r, "name") || !check_name(r, "name_en"))
        return;
    const char *code = create ? api_str(r, "code") : r->params[0];
    if (create) {
        if (!code || !valid_code(code)) {
            api_fail(r, ERR_INVALID, NULL, "code", "code must be 2-39 of A-Z, 0-9 and _");
            return;
        }
        if (!api_str(r, "name")) {
            api_fail(r, ERR_INVALID, "missing_field", "name", "name is required");
            return;
        }
        if (store_department_by_code(r->st, code, &d) == ERR_OK) {
            api_fail(r, ERR_CONFLICT, NULL, "code", "department %s already exists", code);
            return;
        }
        memset(&d, 0, sizeof(d));
        snprintf(d.code, sizeof(d.code), "%s", code);
        d.active = true;
        if (store_institution_id(r->st, "METRO", &d.institution_id) != ERR_OK)
            d.institution_id = 1;
    } else if (api_has(r, "code")) {
        api_fail(r, ERR_INVALID, NULL, "code", "a department's code cannot change");
        return;
    } else if (store_department_by_code(r->st, code, &d) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such department");
        return;
    }
    if (api_str(r, "institution") &&
        store_institution_id(r->st, api_str(r, "institution"), &d.institution_id) != ERR_OK) {
        api_fail(r, ERR_UNPROCESSABLE, NULL, "institution", "unknown institution");
        return;
    }
    if (api_str(r, "parent")) {
        if (store_department_by_code(r->st, api_str(r, "parent"), &parent) != ERR_OK) {
            api_fail(r, ERR_UNPROCESSABLE, NULL, "parent", "unknown parent department");
            return;
        }
        if (!create && store_department_within(r->st, parent.id, d.id)) {
            api_fail(r, ERR_UNPROCESSABLE, NULL, "parent", "a department cannot be below itself");
            return;
        }
        d.parent_id = parent.id;
        d.institution_id = parent.institution_id;
    }
    if (api_str(r, "name"))
        snprintf(d.name_tr, sizeof(d.name_tr), "%s", api_str(r, "name"));
    if (api_str(r, "name_en"))
        snprintf(d.name_en, sizeof(d.name_en), "%s", api_str(r, "name_en"));
    else if (create)
        snprintf(d.name_en, sizeof(d.name_en), "%s", d.name_tr);
    if (api_has(r, "active"))
        d.active = json_is_true(json_object_get(r->body, "active"));
    if (store_department_upsert(r->st, &d, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    store_department_get(r->st, d.id, &d);
    bool has_parent = d.parent_id && store_department_get(r->st, d.parent_id, &parent) == ERR_OK;
    api_reply(r, create ? 201 : 200, dept_json(&d, &parent, has_parent ? 1 : 0));
}

static json_t *cat_json(const struct category *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:s, s:o, s:b}", "id",
                     (json_int_t)c->id, "code", c->code, "department", c->department_code, "name",
                     c->name_tr, "name_en", c->name_en, "keywords", c->keywords,
                     "first_response_days", c->first_response_days, "sla_days", c->sla_days,
                     "working_days", c->working_days, "priority", c->priority, "redirect",
                     c->redirect[0] ? json_string(c->redirect) : json_null(), "active",
                     c->active);
}

void h_categories(struct api_req *r)
{
    struct category *c = NULL;
    size_t n = 0;
    const char *q = http_query(r->http, "q");
    const char *dept = http_query(r->http, "department");
    if (q && (strlen(q) > 100 || !nlp_utf8_valid(q, strlen(q)))) {
        api_fail(r, ERR_INVALID, NULL, "q", "q must be UTF-8 text of at most 100 bytes");
        return;
    }
    if (store_category_list(r->st, q, &c, &n) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "listing failed");
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        if ((!dept || strcmp(dept, c[i].department_code) == 0) && (c[i].active || !q))
            json_array_append_new(arr, cat_json(&c[i]));
    free(c);
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

void h_category_write(struct api_req *r)
{
    static const struct api_field spec[] = {
        { "code", F_STR, false, 39 },       { "department", F_STR, false, 39 },
        { "name", F_STR, false, 159 },      { "name_en", F_STR, false, 159 },
        { "keywords", F_STR, false, 500 },  { "first_response_days", F_INT, false, 365 },
        { "sla_days", F_INT, false, 365 },  { "working_days", F_BOOL, false, 0 },
        { "priority", F_STR, false, 16 },   { "redirect", F_STR, false, 255 },
        { "active", F_BOOL, false, 0 },     { 0 }
    };
    struct category c = { 0 };
    struct department d;
    struct err_detail ed = { 0 };
    bool create = r->params[0] == NULL;
    if (!api_check_fields(r, spec) || !check_name(r, "name") || !check_name(r, "name_en") ||
        !check_name(r, "keywords") || !check_name(r, "redirect"))
        return;
    if (create) {
        const char *code = api_str(r, "code");
        if (!code || !valid_code(code)) {
            api_fail(r, ERR_INVALID, NULL, "code", "code must be 2-39 of A-Z, 0-9 and _");
            return;
        }
        static const char *const need[] = { "department", "name", "sla_days", NULL };
        for (int i = 0; need[i]; i++)
            if (!api_has(r, need[i])) {
                api_fail(r, ERR_INVALID, "missing_field", need[i], "%s is required", need[i]);
                return;
            }
        if (store_category_by_code(r->st, code, &c) == ERR_OK) {
            api_fail(r, ERR_CONFLICT, NULL, "code", "category %s already exists", code);
            return;
        }
        memset(&c, 0, sizeof(c));
        snprintf(c.code, sizeof(c.code), "%s", code);
        snprintf(c.priority, sizeof(c.priority), "normal");
        c.working_days = true;
        c.first_response_days = 1;
        c.active = true;
    } else if (api_has(r, "code")) {
        api_fail(r, ERR_INVALID, NULL, "code", "a category's code cannot change");
        return;
    } else if (store_category_by_code(r->st, r->params[0], &c) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such category");
        return;
    }
    if (api_str(r, "department")) {
        if (store_department_by_code(r->st, api_str(r, "department"), &d) != ERR_OK) {
            api_fail(r, ERR_UNPROCESSABLE, NULL, "department", "unknown department");
            return;
        }
        c.department_id = d.id;
    }
    if (api_str(r, "name"))
        snprintf(c.name_tr, sizeof(c.name_tr), "%s", api_str(r, "name"));
    if (api_str(r, "name_en"))
        snprintf(c.name_en, sizeof(c.name_en), "%s", api_str(r, "name_en"));
    else if (create)
        snprintf(c.name_en, sizeof(c.name_en), "%s", c.name_tr);
    if (api_str(r, "keywords"))
        snprintf(c.keywords, sizeof(c.keywords), "%s", api_str(r, "keywords"));
    if (api_str(r, "redirect"))
        snprintf(c.redirect, sizeof(c.redirect), "%s", api_str(r, "redirect"));
    if (api_has(r, "first_response_days"))
        c.first_response_days = (int)api_int(r, "first_response_days");
    if (api_has(r, "sla_days"))
        c.sla_days = (int)api_int(r, "sla_days");
    if (api_has(r, "working_days"))
        c.working_days = json_is_true(json_object_get(r->body, "working_days"));
    if (api_has(r, "active"))
        c.active = json_is_true(json_object_get(r->body, "active"));
    if (api_str(r, "priority")) {
        if (!core_word_in(core_priorities, api_str(r, "priority"))) {
            api_fail(r, ERR_INVALID, NULL, "priority", "priority must be low, normal, high or urgent");
            return;
        }
        snprintf(c.priority, sizeof(c.priority), "%s", api_str(r, "priority"));
    }
    if (c.sla_days < 1 || c.first_response_days > c.sla_days) {
        api_fail(r, ERR_INVALID, NULL, "sla_days",
                  "sla_days must be at least 1 and not below first_response_days");
        return;
    }
    if (store_category_upsert(r->st, &c, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    store_category_get(r->st, c.id, &c);
    api_reply(r, create ? 201 : 200, cat_json(&c));
}

static int inst_json(void *ctx, int64_t id, const char *code, const char *name, const char *kind)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "code",
                                         code, "name", name, "kind", kind));
    return 0;
}

void h_institutions(struct api_req *r)
{
    json_t *arr = json_array();
    store_institution_each(r->st, inst_json, arr);
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

static int district_json(void *ctx, int64_t id, const char *name, const char *province)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", name,
                                         "province", province));
    return 0;
}

void h_districts(struct api_req *r)
{
    json_t *arr = json_array();
    store_district_each(r->st, district_json, arr);
    http_set_header(r->resp, "Cache-Control", "public, max-age=300");
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

static int nb_json(void *ctx, int64_t id, const char *name)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name));
    return 0;
}

void h_neighbourhoods(struct api_req *r)
{
    int64_t id;
    char name[128];
    if (!api_param_id(r, 0, &id))
        return;
    if (store_district_name(r->st, id, name, sizeof(name)) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such district");
        return;
    }
    json_t *arr = json_array();
    store_neighbourhood_each(r->st, id, nb_json, arr);
    http_set_header(r->resp, "Cache-Control", "public, max-age=300");
    api_reply(r, 200, json_pack("{s:I, s:s, s:o}", "district_id", (json_int_t)id, "district",
                                name, "items", arr));
}

void h_district_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "name", F_STR, true, 100 }, { 0 } };
    char province[16];
    int64_t id;
    if (!api_check_fields(r, spec) || !check_name(r, "name"))
        return;
    if (store_setting_get(r->st, "province", province, sizeof(province)) != ERR_OK ||
        store_district_upsert(r->st, province, api_str(r, "name"), &id) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "could not store the district");
        return;
    }
    api_reply(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name",
                                api_str(r, "name"), "province", province));
}

void h_neighbourhood_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "name", F_STR, true, 100 }, { 0 } };
    char name[128];
    int64_t did, id;
    if (!api_param_id(r, 0, &did) || !api_check_fields(r, spec) || !check_name(r, "name"))
        return;
    if (store_district_name(r->st, did, name, sizeof(name)) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such district");
        return;
    }
    if (store_neighbourhood_upsert(r->st, did, api_str(r, "name"), &id) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "could not store the neighbourhood");
        return;
    }
    api_reply(r, 201, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "name",
                                api_str(r, "name"), "district_id", (json_int_t)did));
}
