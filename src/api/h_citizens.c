/* Citizens: register, find by phone, read with their applications (KVKK: views are logged). */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/citizen.h"
#include "core/validate.h"
#include "util/banned.h"

bool api_read_citizen(struct api_req *r, enum citizen_need need, struct citizen *c)
{
    struct err_detail ed = { 0 };
    struct citizen_input in = { .name = api_str(r, "name"),
                                .phone = api_str(r, "phone"),
                                .email = api_str(r, "email"),
                                .tc = api_str(r, "tc"),
                                .address = api_str(r, "address"),
                                .lang = api_str(r, "lang") };
    if (core_citizen_read(&in, need, c, &ed) == ERR_OK)
        return true;
    citizen_release(c);
    api_error_ed(r, &ed);
    return false;
}

void h_citizen_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "name", F_STR, false, 200 },
                                             { "phone", F_STR, false, 64 },
                                             { "email", F_STR, false, 254 },
                                             { "tc", F_STR, false, 11 },
                                             { "address", F_STR, false, 500 },
                                             { "lang", F_STR, false, 2 },
                                             { 0 } };
    struct citizen c;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    struct citizen_input in = { .name = api_str(r, "name"),
                                .phone = api_str(r, "phone"),
                                .email = api_str(r, "email"),
                                .tc = api_str(r, "tc"),
                                .address = api_str(r, "address"),
                                .lang = api_str(r, "lang") };
    if (core_citizen_create(r->st, &in, &c, &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        api_reply(r, 201, api_citizen_json(r, &c, false));
    citizen_release(&c);
}

bool api_log_citizen_view(struct api_req *r, int64_t citizen_id, const char *purpose, bool reply)
{
    struct err_detail ed = { 0 };
    if (core_citizen_view(r->st, &r->user, citizen_id, purpose, &ed) == ERR_OK)
        return true;
    if (reply) {
        http_set_header(r->resp, "Retry-After", "5");
        api_error_ed(r, &ed);
    }
    return false;
}

/* The citizen's applications, newest first (at most 100). */
static json_t *citizen_apps(struct api_req *r, int64_t citizen_id)
{
    struct app_filter f = { .citizen_id = citizen_id, .limit = 100 };
    struct app *apps = NULL;
    size_t n = 0;
    int64_t next;
    json_t *arr = json_array();
    if (store_app_list(r->st, &f, &apps, &n, &next, NULL) != ERR_OK)
        return arr;
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, api_app_json(r, &apps[i], false));
        app_release(&apps[i]);
    }
    free(apps);
    return arr;
}

void h_citizen_find(struct api_req *r)
{
    char phone[VALIDATE_PHONE_LEN];
    const char *q = http_query(r->http, "phone");
    struct citizen *cs = NULL;
    size_t n = 0;
    if (!q || !validate_phone(q, phone)) {
        api_fail(r, ERR_INVALID, NULL, "phone", "give ?phone= with a valid Turkish number");
        return;
    }
    if (store_citizen_by_phone(r->st, phone, &cs, &n) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "lookup failed");
        return;
    }
    /* every record is logged before any is shown: one failure shows none (KVKK, fail closed) */
    bool logged = true;
    for (size_t i = 0; i < n && logged; i++)
        logged = api_log_citizen_view(r, cs[i].id, "phone lookup", true);
    json_t *arr = logged ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (arr) {
            json_t *c = api_citizen_json(r, &cs[i], false);
            json_object_set_new(c, "applications", citizen_apps(r, cs[i].id));
            json_array_append_new(arr, c);
        }
        citizen_release(&cs[i]);
    }
    free(cs);
    if (arr)
        api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

void h_citizen_get(struct api_req *r)
{
    int64_t id;
    struct citizen c;
    if (!api_param_id(r, 0, &id))
        return;
    int rc = store_citizen_get(r->st, id, &c);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "no such citizen");
        return;
    }
    if (!api_log_citizen_view(r, id, "record view", true)) {
        citizen_release(&c);
        return;
    }
    json_t *o = api_citizen_json(r, &c, false);
    json_object_set_new(o, "applications", citizen_apps(r, id));
    citizen_release(&c);
    api_reply(r, 200, o);
}
