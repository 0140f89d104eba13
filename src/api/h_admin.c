/* Administration: the holiday calendar and users. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/auth.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/banned.h"

static int holiday_json(void *ctx, const char *date, const char *name, bool half_day)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:b}", "date", date, "name", name,
                                         "half_day", half_day));
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
    int64_t day;
    if (!api_check_fields(r, spec))
        return;
    const char *date = api_str(r, "date"), *name = api_str(r, "name");
    if (!time_parse_date(date, &day)) {
        api_fail(r, ERR_INVALID, NULL, "date", "date must be YYYY-MM-DD");
        return;
    }
    if (!*name || !nlp_utf8_valid(name, strlen(name))) {
        api_fail(r, ERR_INVALID, NULL, "name", "name must be non-empty UTF-8 text");
        return;
    }
    bool half = json_is_true(json_object_get(r->body, "half_day"));
    if (store_holiday_set(r->st, date, name, half) != ERR_OK ||
        core_calendar_reload(r->st) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "could not store the holiday");
        return;
    }
    api_reply(r, 201, json_pack("{s:s, s:s, s:b}", "date", date, "name", name, "half_day", half));
}

void h_holiday_delete(struct api_req *r)
{
    int64_t day;
    if (!time_parse_date(r->params[0], &day)) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such holiday");
        return;
    }
    int rc = store_holiday_delete(r->st, r->params[0]);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "no such holiday");
        return;
    }
    core_calendar_reload(r->st);
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

/* Roles that work inside one department need one; the others must not have one. */
static bool check_role_department(struct api_req *r, struct user *u, const char *dept_code)
{
    struct department d;
    bool needs = role_policy(u->role)->in_department;
    if (dept_code && *dept_code) {
        if (store_department_by_code(r->st, dept_code, &d) != ERR_OK) {
            api_fail(r, ERR_UNPROCESSABLE, NULL, "department", "unknown department %s", dept_code);
            return false;
        }
        u->department_id = d.id;
    }
    if (needs && !u->department_id) {
        api_fail(r, ERR_INVALID, "missing_field", "department", "staff and managers need a department");
        return false;
    }
    if (!needs && u->department_id) {
        api_fail(r, ERR_INVALID, NULL, "department",
                  "only staff and managers belong to a department");
        return false;
    }
    return true;
}

static bool valid_username(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 63)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return false;
    return true;
}

void h_user_create(struct api_req *r)
{
    static const struct api_field spec[] = {
        { "username", F_STR, true, 63 },  { "full_name", F_STR, false, 127 },
        { "role", F_STR, true, 16 },      { "department", F_STR, false, 39 },
        { "password", F_STR, true, AUTH_PASSWORD_MAX }, { 0 }
    };
    struct user u = { 0 };
    char hash[AUTH_HASH_LEN];
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    if (!valid_username(api_str(r, "username"))) {
        api_fail(r, ERR_INVALID, NULL, "username", "use 2-63 of a-z, 0-9, '.', '_' and '-'");
        return;
    }
    int role = role_parse(api_str(r, "role"));
    if (role < 0) {
        api_fail(r, ERR_INVALID, NULL, "role", "unknown role");
        return;
    }
    snprintf(u.username, sizeof(u.username), "%s", api_str(r, "username"));
    const char *fn = api_str(r, "full_name");
    if (fn && !nlp_utf8_valid(fn, strlen(fn))) {
        api_fail(r, ERR_INVALID, NULL, "full_name", "not valid UTF-8");
        return;
    }
    snprintf(u.full_name, sizeof(u.full_name), "%s", fn ? fn : "");
    u.role = (enum role)role;
    u.created_at = time_now();
    if (!check_role_department(r, &u, api_str(r, "department")))
        return;
    if (!auth_hash_password(api_str(r, "password"), hash)) {
        api_fail(r, ERR_INVALID, NULL, "password", "the password needs %d to %d characters",
                  AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
        return;
    }
    if (store_user_create(r->st, &u, hash, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    store_user_get(r->st, u.id, &u);
    api_reply(r, 201, api_user_json(&u));
}

void h_user_update(struct api_req *r)
{
    static const struct api_field spec[] = {
        { "full_name", F_STR, false, 127 }, { "role", F_STR, false, 16 },
        { "department", F_STR, false, 39 }, { "disabled", F_BOOL, false, 0 },
        { "password", F_STR, false, AUTH_PASSWORD_MAX }, { 0 }
    };
    int64_t id;
    struct user u;
    char hash[AUTH_HASH_LEN];
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    if (store_user_get(r->st, id, &u) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such user");
        return;
    }
    if (api_str(r, "role")) {
        int role = role_parse(api_str(r, "role"));
        if (role < 0) {
            api_fail(r, ERR_INVALID, NULL, "role", "unknown role");
            return;
        }
        u.role = (enum role)role;
    }
    if (api_str(r, "full_name"))
        snprintf(u.full_name, sizeof(u.full_name), "%s", api_str(r, "full_name"));
    if (api_has(r, "disabled"))
        u.disabled = json_is_true(json_object_get(r->body, "disabled"));
    if (!check_role_department(r, &u, api_str(r, "department")))
        return;
    const char *pw = api_str(r, "password");
    if (pw && !auth_hash_password(pw, hash)) {
        api_fail(r, ERR_INVALID, NULL, "password", "the password needs %d to %d characters",
                  AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
        return;
    }
    if (store_begin(r->st) != ERR_OK || store_user_update(r->st, &u) != ERR_OK ||
        (pw && store_user_set_password(r->st, u.id, hash) != ERR_OK) ||
        store_user_set_disabled(r->st, u.id, u.disabled) != ERR_OK ||
        store_commit(r->st) != ERR_OK) {
        store_rollback(r->st);
        api_fail(r, ERR_STORE, NULL, NULL, "could not update the user");
        return;
    }
    store_user_get(r->st, u.id, &u);
    api_reply(r, 200, api_user_json(&u));
}

static json_t *settings_json(struct api_req *r)
{
    char ceiling[16] = "30", name[200] = "", province[16] = "";
    store_setting_get(r->st, "ceiling.cimer", ceiling, sizeof(ceiling));
    store_setting_get(r->st, "municipality", name, sizeof(name));
    store_setting_get(r->st, "province", province, sizeof(province));
    return json_pack("{s:i, s:s, s:s}", "cimer_ceiling_days", (int)strtol(ceiling, NULL, 10),
                     "municipality", name, "province", province);
}

void h_settings(struct api_req *r)
{
    api_reply(r, 200, settings_json(r));
}

void h_settings_update(struct api_req *r)
{
    static const struct api_field spec[] = { { "cimer_ceiling_days", F_INT, false, 30 },
                                             { "municipality", F_STR, false, 199 },
                                             { 0 } };
    char buf[16];
    if (!api_check_fields(r, spec))
        return;
    /* law 3071: CİMER applications are concluded within 30 days; a municipality may promise less */
    if (api_has(r, "cimer_ceiling_days") && api_int(r, "cimer_ceiling_days") < 1) {
        api_fail(r, ERR_INVALID, NULL, "cimer_ceiling_days", "between 1 and 30 days");
        return;
    }
    const char *name = api_str(r, "municipality");
    if (name && (!*name || !nlp_utf8_valid(name, strlen(name)))) {
        api_fail(r, ERR_INVALID, NULL, "municipality", "a non-empty name");
        return;
    }
    snprintf(buf, sizeof(buf), "%lld", (long long)api_int(r, "cimer_ceiling_days"));
    if (store_begin(r->st) != ERR_OK ||
        (api_has(r, "cimer_ceiling_days") && store_setting_set(r->st, "ceiling.cimer", buf) != ERR_OK) ||
        (name && store_setting_set(r->st, "municipality", name) != ERR_OK) ||
        store_commit(r->st) != ERR_OK) {
        store_rollback(r->st);
        api_fail(r, ERR_STORE, NULL, NULL, "could not store the settings");
        return;
    }
    api_reply(r, 200, settings_json(r));
}
