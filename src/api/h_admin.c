/* Administration: the holiday calendar and users. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/admin.h"
#include "core/auth.h"
#include "core/contact.h"
#include "core/users.h"
#include "util/banned.h"

static int holiday_json(void *ctx, const char *date, const char *name, bool half_day)
{
    json_array_append_new(
        ctx, json_pack("{s:s, s:s, s:b}", "date", date, "name", name, "half_day", half_day));
    return 0;
}

void h_holidays(struct api_req *r)
{
    json_t *arr = json_array();
    store_holiday_each(r->st, holiday_json, arr);
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

void h_holiday_set(struct api_req *r)
{
    static const struct api_field spec[] = { { "date", F_STR, true, 10 },
                                             { "name", F_STR, true, 200 },
                                             { "half_day", F_BOOL, false, 0 },
                                             { 0 } };
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    const char *date = api_str(r, "date"), *name = api_str(r, "name");
    bool half = json_is_true(json_object_get(r->body, "half_day"));
    if (core_holiday_set(r->st, date, name, half, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 201, json_pack("{s:s, s:s, s:b}", "date", date, "name", name, "half_day", half));
}

void h_holiday_delete(struct api_req *r)
{
    struct err_detail ed = { 0 };
    if (core_holiday_delete(r->st, r->params[0], &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    r->resp->status = 204;
}

void h_users(struct api_req *r)
{
    struct user *u = NULL;
    size_t n = 0;
    if (store_user_list(r->st, &u, &n) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "listing failed");
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, api_user_json(&u[i]));
    free(u);
    api_reply(r, 200, json_pack("{s:o}", "items", arr));
}

/* The user fields of the body (borrowed from it). */
static struct user_input read_user(struct api_req *r)
{
    return (struct user_input){
        .username = api_str(r, "username"),
        .full_name = api_str(r, "full_name"),
        .role = api_str(r, "role"),
        .department = api_str(r, "department"),
        .password = api_str(r, "password"),
        .disabled =
            api_has(r, "disabled") ? json_is_true(json_object_get(r->body, "disabled")) : -1,
    };
}

void h_user_create(struct api_req *r)
{
    static const struct api_field spec[] = { { "username", F_STR, true, 63 },
                                             { "full_name", F_STR, false, 127 },
                                             { "role", F_STR, true, 16 },
                                             { "department", F_STR, false, 39 },
                                             { "password", F_STR, true, AUTH_PASSWORD_MAX },
                                             { 0 } };
    struct user u;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    struct user_input in = read_user(r);
    if (core_user_create(r->st, &in, &u, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 201, api_user_json(&u));
}

void h_user_update(struct api_req *r)
{
    static const struct api_field spec[] = { { "full_name", F_STR, false, 127 },
                                             { "role", F_STR, false, 16 },
                                             { "department", F_STR, false, 39 },
                                             { "disabled", F_BOOL, false, 0 },
                                             { "password", F_STR, false, AUTH_PASSWORD_MAX },
                                             { 0 } };
    int64_t id;
    struct user u;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    struct user_input in = read_user(r);
    if (core_user_update(r->st, id, &in, &u, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, api_user_json(&u));
}

static json_t *settings_json(struct api_req *r)
{
    char ceiling[16] = "30", name[200] = "", province[16] = "", queues[CORE_QUEUES_LEN];
    store_setting_get(r->st, "ceiling.cimer", ceiling, sizeof(ceiling));
    store_setting_get(r->st, "municipality", name, sizeof(name));
    store_setting_get(r->st, "province", province, sizeof(province));
    core_queues_get(r->st, queues);
    json_t *qs = json_array();
    for (char *save = NULL, *q = strtok_r(queues, ",", &save); q; q = strtok_r(NULL, ",", &save))
        json_array_append_new(qs, json_string(q));
    return json_pack("{s:i, s:s, s:s, s:o}", "cimer_ceiling_days", (int)strtol(ceiling, NULL, 10),
                     "municipality", name, "province", province, "queues", qs);
}

void h_settings(struct api_req *r)
{
    api_reply(r, 200, settings_json(r));
}

void h_settings_update(struct api_req *r)
{
    static const struct api_field spec[] = { { "cimer_ceiling_days", F_INT, false, 30 },
                                             { "municipality", F_STR, false, 199 },
                                             { "queues", F_STR, false, CORE_QUEUES_LEN - 1 },
                                             /* the portal's information notice (h_public.c) */
                                             { "privacy_notice", F_STR, false, 20000 },
                                             { 0 } };
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    int days = api_has(r, "cimer_ceiling_days") ? (int)api_int(r, "cimer_ceiling_days") : -1;
    if (core_settings_update(r->st, days, api_str(r, "municipality"), api_str(r, "queues"), &ed) !=
        ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    const char *notice = api_str(r, "privacy_notice");
    if (notice && core_setting_set(r->st, "privacy_notice", notice) != ERR_OK) {
        api_fail(r, ERR_UNAVAILABLE, NULL, NULL, "the notice could not be saved");
        return;
    }
    api_reply(r, 200, settings_json(r));
}
