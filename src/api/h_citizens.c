/* Citizens: register, find by phone, read with their applications (KVKK: views are logged). */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/validate.h"
#include "nlp/turkish.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

bool api_read_citizen(struct api_req *r, struct citizen *c)
{
    static const char *const texts[] = { "name", "address", NULL };
    const char *phone = api_str(r, "phone"), *email = api_str(r, "email"), *tc = api_str(r, "tc");
    memset(c, 0, sizeof(*c));
    if (phone && *phone && !validate_phone(phone, c->phone)) {
        api_fail(r, ERR_INVALID, NULL, "phone", "not a valid Turkish phone number");
        return false;
    }
    if (email && *email && !validate_email(email)) {
        api_fail(r, ERR_INVALID, NULL, "email", "not a valid e-mail address");
        return false;
    }
    if (tc && *tc) {
        if (!validate_tc(tc)) {
            api_fail(r, ERR_INVALID, NULL, "tc", "not a valid T.C. identity number");
            return false;
        }
        memcpy(c->tc, tc, 12);
    }
    for (int i = 0; texts[i]; i++) {
        const char *v = api_str(r, texts[i]);
        if (v && !nlp_utf8_valid(v, strlen(v))) {
            api_fail(r, ERR_INVALID, NULL, texts[i], "not valid UTF-8");
            return false;
        }
    }
    const char *name = api_str(r, "name"), *address = api_str(r, "address");
    c->name = name && *name ? xstrdup(name) : NULL;
    c->email = email && *email ? xstrdup(email) : NULL;
    c->address = address && *address ? xstrdup(address) : NULL;
    return true;
}

void h_citizen_create(struct api_req *r)
{
    static const struct api_field spec[] = {
        { "name", F_STR, false, 200 }, { "phone", F_STR, false, 64 },
        { "email", F_STR, false, 254 }, { "tc", F_STR, false, 11 },
        { "address", F_STR, false, 500 }, { 0 }
    };
    struct citizen c;
    if (!api_check_fields(r, spec) || !api_read_citizen(r, &c))
        return;
    if (!c.phone[0] && !c.email && !c.name) {
        api_fail(r, ERR_INVALID, "missing_field", "phone", "give at least a phone, an e-mail or a name");
    } else {
        c.created_at = time_now();
        if (store_citizen_create(r->st, &c) != ERR_OK)
            api_fail(r, ERR_STORE, NULL, NULL, "could not store the citizen");
        else
            api_reply(r, 201, api_citizen_json(r, &c, false));
    }
    citizen_release(&c);
}

bool api_log_citizen_view(struct api_req *r, int64_t citizen_id, const char *purpose, bool reply)
{
    if (store_citizen_view_log(r->st, citizen_id, r->user.id, time_now(), purpose) == ERR_OK)
        return true;
    log_warn("msg=\"citizen view not logged; record withheld\" citizen=%lld user=%lld purpose=\"%s\"",
             (long long)citizen_id, (long long)r->user.id, purpose);
    if (reply) {
        http_set_header(r->resp, "Retry-After", "5");
        api_fail(r, ERR_UNAVAILABLE, "view_log_unavailable", NULL,
                  "Vatandaş kaydının görüntülenmesi kayda alınamadı (KVKK); kayıt gösterilmiyor, "
                  "lütfen birkaç saniye sonra tekrar deneyin. / The view of this citizen's record "
                  "could not be logged, so it is not shown; try again in a few seconds.");
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
