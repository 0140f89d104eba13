/* Reference data: departments, categories, institutions, districts and neighbourhoods. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/admin.h"
#include "model/place.h"
#include "nlp/turkish.h"
#include "report/population.h"
#include "util/str.h"
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

/* 1, 0, or -1 when the boolean field is absent or null. */
static int tristate(struct api_req *r, const char *name)
{
    return api_has(r, name) ? json_is_true(json_object_get(r->body, name)) : -1;
}

/* An integer field, or -1 when it is absent or null (the specs allow no negatives). */
static int int_or_absent(struct api_req *r, const char *name)
{
    return api_has(r, name) ? (int)api_int(r, name) : -1;
}

/* POST creates (code in the body), PATCH /:code updates the given fields. */
void h_department_write(struct api_req *r)
{
    static const struct api_field spec[] = { { "code", F_STR, false, 39 },
                                             { "parent", F_STR, false, 39 },
                                             { "institution", F_STR, false, 39 },
                                             { "name", F_STR, false, MODEL_NAME_LEN - 1 },
                                             { "name_en", F_STR, false, MODEL_NAME_LEN - 1 },
                                             { "active", F_BOOL, false, 0 },
                                             { 0 } };
    struct dept_result d;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    struct dept_input in = { .code = api_str(r, "code"),
                             .parent = api_str(r, "parent"),
                             .institution = api_str(r, "institution"),
                             .name = api_str(r, "name"),
                             .name_en = api_str(r, "name_en"),
                             .active = tristate(r, "active") };
    if (core_department_write(r->st, r->params[0], &in, &d, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    struct department parent = { .id = d.d.parent_id };
    str_copy(parent.code, sizeof(parent.code), d.parent_code);
    api_reply(r, r->params[0] ? 200 : 201, dept_json(&d.d, &parent, d.parent_code[0] ? 1 : 0));
}

static json_t *cat_json(const struct category *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:s, s:o, s:b, s:b}", "id",
                     (json_int_t)c->id, "code", c->code, "department", c->department_code, "name",
                     c->name_tr, "name_en", c->name_en, "keywords", c->keywords,
                     "first_response_days", c->first_response_days, "sla_days", c->sla_days,
                     "working_days", c->working_days, "priority", c->priority, "redirect",
                     c->redirect[0] ? json_string(c->redirect) : json_null(), "active", c->active,
                     "proof_required", c->proof_required);
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
    static const struct api_field spec[] = { { "code", F_STR, false, 39 },
                                             { "department", F_STR, false, 39 },
                                             { "name", F_STR, false, MODEL_NAME_LEN - 1 },
                                             { "name_en", F_STR, false, MODEL_NAME_LEN - 1 },
                                             { "keywords", F_STR, false, 500 },
                                             { "first_response_days", F_INT, false, 365 },
                                             { "sla_days", F_INT, false, 365 },
                                             { "working_days", F_BOOL, false, 0 },
                                             { "priority", F_STR, false, 16 },
                                             { "redirect", F_STR, false, 255 },
                                             { "active", F_BOOL, false, 0 },
                                             { "proof_required", F_BOOL, false, 0 },
                                             { 0 } };
    struct category c;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    struct cat_input in = {
        .code = api_str(r, "code"),
        .department = api_str(r, "department"),
        .name = api_str(r, "name"),
        .name_en = api_str(r, "name_en"),
        .keywords = api_str(r, "keywords"),
        .redirect = api_str(r, "redirect"),
        .priority = api_str(r, "priority"),
        .first_response_days = int_or_absent(r, "first_response_days"),
        .sla_days = int_or_absent(r, "sla_days"),
        .working_days = tristate(r, "working_days"),
        .active = tristate(r, "active"),
        .proof_given = tristate(r, "proof_required") >= 0,
        .proof_required = tristate(r, "proof_required") == 1,
    };
    if (core_category_write(r->st, r->params[0], &in, &c, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, r->params[0] ? 200 : 201, cat_json(&c));
}

static int inst_json(void *ctx, int64_t id, const char *code, const char *name, const char *kind)
{
    json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "code", code,
                                         "name", name, "kind", kind));
    return 0;
}

void h_institutions(struct api_req *r)
{
    json_t *arr = json_array();
    store_institution_each(r->st, inst_json, arr);
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

struct district_ctx {
    struct store *st;
    json_t *arr;
};

/* population: report/population.h (an admin's figure, else the reference one; null: none) */
static int district_json(void *ctx, int64_t id, const char *name, const char *province)
{
    struct district_ctx *c = ctx;
    int64_t pop = report_population(c->st, id, province, name, NULL);
    json_array_append_new(c->arr, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "name",
                                            name, "province", province, "population",
                                            pop > 0 ? json_integer(pop) : json_null()));
    return 0;
}

void h_districts(struct api_req *r)
{
    json_t *arr = json_array();
    struct district_ctx dc = { r->st, arr };
    store_district_each(r->st, district_json, &dc);
    http_set_header(r->resp, "Cache-Control", "public, max-age=300");
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

static int nb_json(void *ctx, int64_t id, const char *name)
{
    char full[MODEL_PLACE_LEN];
    place_neighbourhood(name, PLACE_FULL, full, sizeof(full));
    json_array_append_new(ctx, json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", full));
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
    api_reply(r, 200,
              json_pack("{s:I, s:s, s:o}", "district_id", (json_int_t)id, "district", name, "items",
                        arr));
}

/* Adds a district, or names an existing one; "population" (0: back to the reference figure)
 * sets its inhabitants for the report's per 10,000 (report/population.h). */
void h_district_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "name", F_STR, true, 100 },
                                             { "population", F_INT, false, REPORT_POPULATION_MAX },
                                             { 0 } };
    char province[16];
    int64_t id;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    if (core_district_add(r->st, api_str(r, "name"), &id, province, &ed) != ERR_OK ||
        (api_has(r, "population") &&
         report_population_set(r->st, id, api_int(r, "population"), &ed) != ERR_OK)) {
        api_error_ed(r, &ed);
        return;
    }
    char name[128] = "";
    store_district_name(r->st, id, name, sizeof(name));
    int64_t pop = report_population(r->st, id, province, name, NULL);
    api_reply(r, 201,
              json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "name", api_str(r, "name"),
                        "province", province, "population",
                        pop > 0 ? json_integer(pop) : json_null()));
}

void h_neighbourhood_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "name", F_STR, true, 100 }, { 0 } };
    int64_t did, id;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &did) || !api_check_fields(r, spec))
        return;
    if (core_neighbourhood_add(r->st, did, api_str(r, "name"), &id, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 201,
              json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "name", api_str(r, "name"),
                        "district_id", (json_int_t)did));
}
