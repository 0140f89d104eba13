/* JSON renderings of the domain records, shared by every handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "api/jsonw.h"
#include "core/app.h"
#include "core/lifecycle.h"
#include "core/policy.h"
#include "core/validate.h"
#include "model/place.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/banned.h"

json_t *api_time(int64_t t)
{
    if (!t)
        return json_null();
    char buf[TIME_RFC3339_LEN];
    time_format(t, buf);
    return json_string(buf);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

bool api_role_sees_personal(const struct user *u)
{
    return policy_scope(u->role, POL_PERSONAL) == POL_ALL;
}

json_t *api_app_json(struct api_req *r, const struct app *a, bool full)
{
    int64_t now = time_now();
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "tracking", json_string(a->tracking));
    json_object_set_new(o, "kind", json_string(a->kind));
    json_object_set_new(o, "channel", json_string(a->channel));
    json_object_set_new(o, "priority", json_string(a->priority));
    json_object_set_new(o, "status", json_string(lifecycle_status_name(a->status)));
    json_object_set_new(o, "category", str_or_null(a->category_code));
    json_object_set_new(o, "department", str_or_null(a->department_code));
    json_object_set_new(o, "text", json_string(a->text ? a->text : ""));
    json_object_set_new(o, "district_id",
                        a->district_id ? json_integer(a->district_id) : json_null());
    json_object_set_new(o, "district",
                        a->district_name[0] ? json_string(a->district_name) : json_null());
    json_object_set_new(o, "neighbourhood_id",
                        a->neighbourhood_id ? json_integer(a->neighbourhood_id) : json_null());
    char nb[MODEL_PLACE_LEN];
    place_neighbourhood(a->neighbourhood_name, PLACE_FULL, nb, sizeof(nb));
    json_object_set_new(o, "neighbourhood", nb[0] ? json_string(nb) : json_null());
    json_object_set_new(o, "address", str_or_null(a->address));
    json_object_set_new(o, "lat", a->has_geo ? json_real(a->lat) : json_null());
    json_object_set_new(o, "lon", a->has_geo ? json_real(a->lon) : json_null());
    json_object_set_new(o, "citizen_id", a->citizen_id ? json_integer(a->citizen_id) : json_null());
    json_object_set_new(o, "created_at", api_time(a->created_at));
    json_object_set_new(o, "updated_at", api_time(a->updated_at));
    json_object_set_new(o, "forwarded_at", api_time(a->forwarded_at));
    json_object_set_new(o, "first_response_due", api_time(a->first_response_due));
    json_object_set_new(o, "resolution_due", api_time(a->resolution_due));
    json_object_set_new(o, "first_response_at", api_time(a->first_response_at));
    json_object_set_new(o, "responded_at", api_time(a->responded_at));
    json_object_set_new(o, "closed_at", api_time(a->closed_at));
    json_object_set_new(o, "on_hold", json_boolean(a->hold_since != 0));
    json_object_set_new(o, "overdue", json_boolean(core_app_overdue(a, now)));
    json_object_set_new(o, "public_response", str_or_null(a->public_response));
    json_object_set_new(o, "duplicate_of",
                        a->duplicate_of ? json_integer(a->duplicate_of) : json_null());
    json_object_set_new(o, "redirect", str_or_null(a->redirect));
    /* the front office reads the code to a citizen who lost it, from the application itself;
     * lists (hundreds of rows on a call-taker's screen) never carry it */
    if (full && r->authed && api_role_sees_personal(&r->user))
        json_object_set_new(o, "access_code", json_string(a->access_code));
    if (full) {
        json_t *acts =
            r->authed && policy_allows(r->st, &r->user, POL_APP_WORK, a->department_id)
                ? api_actions_json(lifecycle_actions_for(a->status, a->hold_since != 0,
                                                         a->category_id != 0, r->user.role),
                                   NULL)
                : json_array();
        json_object_set_new(o, "allowed_actions", acts);
    }
    return o;
}

void api_app_write(struct strbuf *sb, const struct app *a, int64_t now)
{
    bool first = true;
    char nb[MODEL_PLACE_LEN];
    strbuf_addch(sb, '{');
    jw_int(sb, &first, "id", a->id);
    /* json_string of a value that is not UTF-8 is NULL: api_app_json leaves the member out */
    static const char *const names[] = { "tracking", "kind", "channel", "priority" };
    const char *vals[] = { a->tracking, a->kind, a->channel, a->priority };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (nlp_utf8_valid(vals[i], strlen(vals[i]))) {
            jw_key(sb, &first, names[i]);
            jw_str(sb, vals[i]);
        }
    jw_key(sb, &first, "status");
    jw_str(sb, lifecycle_status_name(a->status));
    jw_str_or_null(sb, &first, "category", a->category_code);
    jw_str_or_null(sb, &first, "department", a->department_code);
    const char *text = a->text ? a->text : "";
    if (nlp_utf8_valid(text, strlen(text))) {
        jw_key(sb, &first, "text");
        jw_str(sb, text);
    }
    jw_id(sb, &first, "district_id", a->district_id);
    jw_str_or_null(sb, &first, "district", a->district_name);
    jw_id(sb, &first, "neighbourhood_id", a->neighbourhood_id);
    place_neighbourhood(a->neighbourhood_name, PLACE_FULL, nb, sizeof(nb));
    jw_str_or_null(sb, &first, "neighbourhood", nb);
    jw_str_or_null(sb, &first, "address", a->address);
    if (a->has_geo) {
        jw_real(sb, &first, "lat", a->lat);
        jw_real(sb, &first, "lon", a->lon);
    } else {
        jw_null(sb, &first, "lat");
        jw_null(sb, &first, "lon");
    }
    jw_id(sb, &first, "citizen_id", a->citizen_id);
    jw_time(sb, &first, "created_at", a->created_at);
    jw_time(sb, &first, "updated_at", a->updated_at);
    jw_time(sb, &first, "forwarded_at", a->forwarded_at);
    jw_time(sb, &first, "first_response_due", a->first_response_due);
    jw_time(sb, &first, "resolution_due", a->resolution_due);
    jw_time(sb, &first, "first_response_at", a->first_response_at);
    jw_time(sb, &first, "responded_at", a->responded_at);
    jw_time(sb, &first, "closed_at", a->closed_at);
    jw_bool(sb, &first, "on_hold", a->hold_since != 0);
    jw_bool(sb, &first, "overdue", core_app_overdue(a, now));
    jw_str_or_null(sb, &first, "public_response", a->public_response);
    jw_id(sb, &first, "duplicate_of", a->duplicate_of);
    jw_str_or_null(sb, &first, "redirect", a->redirect);
    /* the object stays open: the caller adds its own members and the '}' */
}

void api_app_write_full(struct strbuf *sb, struct api_req *r, const struct app *a)
{
    bool first = false;
    if (r->authed && api_role_sees_personal(&r->user) &&
        nlp_utf8_valid(a->access_code, strlen(a->access_code))) {
        jw_key(sb, &first, "access_code");
        jw_str(sb, a->access_code);
    }
    jw_json(sb, &first, "allowed_actions",
            r->authed && policy_allows(r->st, &r->user, POL_APP_WORK, a->department_id)
                ? api_actions_json(lifecycle_actions_for(a->status, a->hold_since != 0,
                                                         a->category_id != 0, r->user.role),
                                   NULL)
                : json_array());
}

json_t *api_actions_json(unsigned mask, const struct user *u)
{
    json_t *acts = json_array();
    for (int a = 0; a < ACT__COUNT; a++)
        if ((mask & (1u << a)) && (!u || lifecycle_role_may(u->role, (enum app_action)a)))
            json_array_append_new(acts, json_string(lifecycle_action_name((enum app_action)a)));
    return acts;
}

json_t *api_user_json(const struct user *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:o}", "id", (json_int_t)u->id, "username",
                     u->username, "full_name", u->full_name, "role", role_name(u->role),
                     "department", str_or_null(u->department_code), "disabled", u->disabled,
                     "created_at", api_time(u->created_at));
}

/* A value written by one of the *_write functions below, as a jansson tree (for handlers
 * that still build their answer as one): parsing what the writer made keeps one rendering. */
static json_t *parsed(struct strbuf *sb, json_t *fallback)
{
    json_t *v = sb->buf ? json_loadb(sb->buf, sb->len, 0, NULL) : NULL;
    strbuf_release(sb);
    if (!v)
        return fallback;
    json_decref(fallback);
    return v;
}

void api_citizen_write(struct strbuf *sb, struct api_req *r, const struct citizen *c, bool mask)
{
    char phone[VALIDATE_PHONE_LEN], tc[12];
    bool whole = !mask && api_role_sees_personal(&r->user), first = true;
    strbuf_addch(sb, '{');
    jw_int(sb, &first, "id", c->id);
    jw_str_or_null(sb, &first, "name", c->name);
    jw_string(sb, &first, "lang", strcmp(c->lang, "en") == 0 ? "en" : "tr");
    if (c->phone[0]) {
        if (!whole)
            validate_phone_mask(c->phone, phone);
        jw_string(sb, &first, "phone", whole ? c->phone : phone);
    } else {
        jw_null(sb, &first, "phone");
    }
    if (c->tc[0]) {
        if (!whole)
            validate_tc_mask(c->tc, tc);
        jw_string(sb, &first, "tc", whole ? c->tc : tc);
    } else {
        jw_null(sb, &first, "tc");
    }
    jw_str_or_null(sb, &first, "email", c->email);
    jw_str_or_null(sb, &first, "address", c->address);
    jw_time(sb, &first, "created_at", c->created_at);
    strbuf_addch(sb, '}');
}

json_t *api_citizen_json(struct api_req *r, const struct citizen *c, bool mask)
{
    struct strbuf sb = STRBUF_INIT;
    api_citizen_write(&sb, r, c, mask);
    return parsed(&sb, json_object());
}

void api_events_write(struct strbuf *sb, struct api_req *r, int64_t app_id, bool public_only)
{
    struct app_event *ev = NULL;
    size_t n = 0;
    strbuf_addch(sb, '[');
    if (store_event_list(r->st, app_id, public_only, &ev, &n) != ERR_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        bool first = true;
        strbuf_adds(sb, i ? ",{" : "{");
        jw_time(sb, &first, "at", ev[i].at);
        jw_string(sb, &first, "action", ev[i].action);
        if (ev[i].from_status >= 0)
            jw_string(sb, &first, "from", lifecycle_status_name(ev[i].from_status));
        else
            jw_null(sb, &first, "from");
        if (ev[i].to_status >= 0)
            jw_string(sb, &first, "to", lifecycle_status_name(ev[i].to_status));
        else
            jw_null(sb, &first, "to");
        if (public_only) {
            /* the citizen sees the answer and where to turn, never internal notes or names */
            bool show =
                strcmp(ev[i].action, "respond") == 0 || strcmp(ev[i].action, "out-of-scope") == 0;
            jw_str_or_null(sb, &first, "note", show ? ev[i].note : NULL);
        } else {
            jw_str_or_null(sb, &first, "user", ev[i].user_name);
            jw_str_or_null(sb, &first, "note", ev[i].note);
            jw_bool(sb, &first, "public", ev[i].public);
        }
        strbuf_addch(sb, '}');
        app_event_release(&ev[i]);
    }
    free(ev);
    strbuf_addch(sb, ']');
}

json_t *api_events_json(struct api_req *r, int64_t app_id, bool public_only)
{
    struct strbuf sb = STRBUF_INIT;
    api_events_write(&sb, r, app_id, public_only);
    return parsed(&sb, json_array());
}
