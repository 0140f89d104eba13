/* What a citizen can do without logging in: the Beyaz Masa web form and tracking. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/portal.h"
#include "core/routing.h"
#include "core/tracking.h"
#include "core/validate.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* Types and lengths only (a developer's mistake: 400); what a citizen can get wrong is
 * checked by portal_check, every field at once (422 with a list). */
static const struct api_field form_spec[] = {
    { "kind", F_STR, false, 16 },
    { "text", F_STR, false, CORE_TEXT_MAX * 2 },
    { "category", F_STR, false, 40 },
    { "district_id", F_INT, false, 0 },
    { "neighbourhood_id", F_INT, false, 0 },
    { "address", F_STR, false, CORE_ADDRESS_MAX * 2 },
    { "lat", F_NUM, false, 0 },
    { "lon", F_NUM, false, 0 },
    { "name", F_STR, false, 400 },
    { "phone", F_STR, false, 64 },
    { "email", F_STR, false, 254 },
    { "consent", F_BOOL, false, 0 }, /* older pages sent it; applying needs no consent */
    { "consent_marketing", F_BOOL, false, 0 },
    { "lang", F_STR, false, 2 }, /* the language of the messages to the citizen (tr, en) */
    { "idempotency_key", F_STR, false, 200 },
    { "website", F_STR, false, 200 }, /* honeypot: people never see it, bots fill it */
    { 0 }
};

/* The application of the checked form, registering c with it (strings borrowed from
 * r->body), with the classifier's suggestion in *rr when there is one. */
static void read_form(struct api_req *r, struct citizen *c, struct app_input *in,
                      struct routing_result *rr)
{
    *in = (struct app_input){
        .kind = api_str(r, "kind"),
        .channel = "web",
        .text = api_str(r, "text"),
        .category = api_str(r, "category"),
        .district_id = api_int(r, "district_id"),
        .neighbourhood_id = api_int(r, "neighbourhood_id"),
        .address = api_str(r, "address"),
        .new_citizen = c,
    };
    if (in->kind && !*in->kind)
        in->kind = NULL;
    if (in->category && !*in->category)
        in->category = NULL;
    if (in->address && !*in->address)
        in->address = NULL;
    if (api_has(r, "lat") && api_has(r, "lon")) {
        in->has_geo = true;
        in->lat = json_number_value(json_object_get(r->body, "lat"));
        in->lon = json_number_value(json_object_get(r->body, "lon"));
    }
    if (in->text && nlp_utf8_valid(in->text, strlen(in->text)) &&
        routing_classify(r->st, in->text, rr, NULL) == ERR_OK)
        in->routing = rr;
}

/* 422 with every refused field: {"error":{"code","message","field","fields":[{field,code}]}},
 * code and field those of the first, so older clients still show one. */
static void fail_fields(struct api_req *r, const struct portal_field_error *errs, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s}", "field", errs[i].field, "code", errs[i].code));
    json_t *e = json_pack("{s:s, s:s, s:s, s:o}", "code", "invalid_fields", "message",
                          "some fields need correcting: see fields", "field", errs[0].field,
                          "fields", list);
    api_reply(r, 422, json_pack("{s:o}", "error", e));
}

/* Refused submissions do not use up the address's quota of applications (a citizen may correct
 * the form as often as needed); they count against their own, larger limit so that a flood of
 * bad requests still stops: every submission takes one from it, an accepted one gives it back. */
#define PUBLIC_REFUSED_FACTOR 10

void h_public_create(struct api_req *r)
{
    struct citizen c;
    struct app a;
    struct err_detail ed = { 0 };
    struct portal_field_error errs[PORTAL_MAX_ERRORS];
    int refused_max = r->api->cfg.public_rate_per_hour > INT_MAX / PUBLIC_REFUSED_FACTOR
                          ? INT_MAX
                          : r->api->cfg.public_rate_per_hour * PUBLIC_REFUSED_FACTOR;
    if (!api_rate_take(r, "form-refused", refused_max)) {
        api_retry_after(r, 3600 - time_now() % 3600);
        api_fail(r, ERR_RATE, NULL, NULL,
                 "too many refused submissions from this address; try later");
        return;
    }
    if (!api_check_fields(r, form_spec))
        return;
    const char *hp = api_str(r, "website");
    if (hp && *hp) {
        api_fail(r, ERR_INVALID, "rejected", NULL, "the form could not be accepted");
        return;
    }
    struct portal_form pf = {
        .kind = api_str(r, "kind"),
        .text = api_str(r, "text"),
        .category = api_str(r, "category"),
        .address = api_str(r, "address"),
        .name = api_str(r, "name"),
        .phone = api_str(r, "phone"),
        .email = api_str(r, "email"),
        .key = api_str(r, "idempotency_key"),
        .district_id = api_int(r, "district_id"),
        .neighbourhood_id = api_int(r, "neighbourhood_id"),
        .has_lat = api_has(r, "lat"),
        .has_lon = api_has(r, "lon"),
        .lat = json_number_value(json_object_get(r->body, "lat")),
        .lon = json_number_value(json_object_get(r->body, "lon")),
    };
    size_t n = portal_check(r->st, &pf, errs);
    if (n) {
        fail_fields(r, errs, n);
        return;
    }
    if (!api_read_citizen(r, CITIZEN_NEED_CONTACT, &c))
        return;
    free(c.address); /* the form's address is where the problem is, not where the citizen lives */
    c.address = NULL;
    if (!api_rate_take(r, "form", r->api->cfg.public_rate_per_hour)) {
        citizen_release(&c);
        api_fail(r, ERR_RATE, NULL, NULL, "too many submissions from this address; try later");
        return;
    }
    struct app_input in;
    struct routing_result rr;
    bool replayed = false;
    read_form(r, &c, &in, &rr);
    if (portal_create(r->st, &in, pf.key,
                      json_is_true(json_object_get(r->body, "consent_marketing")), &a, &replayed,
                      &ed) != ERR_OK) {
        api_rate_give_back(r, "form"); /* refused after all: not an application */
        citizen_release(&c);
        api_error_ed(r, &ed);
        return;
    }
    citizen_release(&c);
    api_rate_give_back(r, "form-refused");
    if (replayed) /* the same submission again: no new application, none counted */
        api_rate_give_back(r, "form");
    api_reply(r, replayed ? 200 : 201,
              json_pack("{s:s, s:s, s:s, s:o, s:b}", "tracking", a.tracking, "access_code",
                        a.access_code, "status", lifecycle_status_name(a.status), "created_at",
                        api_time(a.created_at), "replayed", replayed));
    app_release(&a);
}

/* POST /public/applications/:t/attachments?code=&filename= — the citizen's photo, right after
 * applying (portal_attach: code, time window, count, size; then the staff upload's checks). */
void h_public_attach(struct api_req *r)
{
    struct attachment at;
    struct err_detail ed = { 0 };
    if (!api_rate_take(r, "track-fail", r->api->cfg.tracking_failures_per_hour)) {
        api_retry_after(r, 3600 - time_now() % 3600);
        api_fail(r, ERR_RATE, "too_many_lookups", NULL,
                 "too many wrong tracking lookups from this address");
        return;
    }
    if (r->http->body_too_big) {
        api_rate_give_back(r, "track-fail");
        api_fail(r, ERR_TOO_BIG, "too_large", "file", "the photo is larger than the limit");
        return;
    }
    int rc = portal_attach(r->st, r->params[0], http_query(r->http, "code"), r->http->body,
                           r->http->body_len, http_query(r->http, "filename"),
                           http_header(r->http, "Content-Type"), time_now(), &at, &ed);
    if (rc != ERR_NOT_FOUND) /* only a wrong number or code counts as a failed lookup */
        api_rate_give_back(r, "track-fail");
    if (rc != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 201,
              json_pack("{s:s, s:s, s:I}", "filename", at.filename, "mime", at.mime, "size",
                        (json_int_t)at.size));
}

/* POST /public/classify {"text"} — the category the routing model suggests as the citizen
 * types: only a confident suggestion, only its code, name and department (no scores, no
 * urgency, nothing of anyone else). Limited per address and hour. */
void h_public_classify(struct api_req *r)
{
    static const struct api_field spec[] = { { "text", F_STR, true, CORE_TEXT_MAX }, { 0 } };
    struct routing_result rr;
    if (!api_check_fields(r, spec))
        return;
    if (!api_rate_take(r, "public-classify", r->api->cfg.public_rate_per_hour * 60)) {
        api_retry_after(r, 3600 - time_now() % 3600);
        api_fail(r, ERR_RATE, NULL, NULL, "too many suggestions asked from this address");
        return;
    }
    const char *text = api_str(r, "text");
    json_t *o = json_object();
    if (nlp_utf8_valid(text, strlen(text)) && routing_classify(r->st, text, &rr, NULL) == ERR_OK &&
        rr.n > 0 && rr.confident && !rr.redirect[0]) {
        json_object_set_new(o, "category", json_string(rr.s[0].category));
        json_object_set_new(o, "category_name", json_string(rr.s[0].category_name));
        json_object_set_new(o, "department", json_string(rr.s[0].department));
        json_object_set_new(o, "department_name", json_string(rr.s[0].department_name));
    } else {
        json_object_set_new(o, "category", json_null());
    }
    http_set_header(r->resp, "Cache-Control", "no-store");
    api_reply(r, 200, o);
}

/* GET /public/notice — the information notice (aydınlatma metni, KVKK art. 10): the admin's
 * text (setting "privacy_notice"), else null (the page shows its built-in text). */
void h_public_notice(struct api_req *r)
{
    char *text = xmalloc(PORTAL_NOTICE_MAX + 1);
    json_t *o = json_object();
    if (store_setting_get(r->st, "privacy_notice", text, PORTAL_NOTICE_MAX + 1) == ERR_OK && *text)
        json_object_set_new(o, "text", json_string(text));
    else
        json_object_set_new(o, "text", json_null());
    free(text);
    api_reply(r, 200, o);
}

void h_public_get(struct api_req *r)
{
    int year;
    int64_t seq;
    struct app a;
    struct category cat;
    const char *code = http_query(r->http, "code");
    /* wrong lookups per address and hour are limited (a right one gives its count back), so
     * access codes cannot be guessed at thousands a second */
    if (!api_rate_take(r, "track-fail", r->api->cfg.tracking_failures_per_hour)) {
        api_retry_after(r, 3600 - time_now() % 3600);
        api_fail(r, ERR_RATE, "too_many_lookups", NULL,
                 "too many wrong tracking lookups from this address");
        return;
    }
    /* one answer for every failure, so numbers cannot be probed */
    /* typed on a phone: with or without the hyphen and spaces (tracking_normalise) */
    char tr[TRACKING_LEN];
    if (!tracking_normalise(r->params[0], tr) || !tracking_parse(tr, &year, &seq) || !code ||
        store_app_by_tracking(r->st, tr, &a) != ERR_OK) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no application with this number and code");
        return;
    }
    if (!tracking_code_matches(a.access_code, code)) {
        app_release(&a);
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no application with this number and code");
        return;
    }
    api_rate_give_back(r, "track-fail");
    json_t *o = json_object();
    json_object_set_new(o, "tracking", json_string(a.tracking));
    json_object_set_new(o, "status", json_string(lifecycle_status_name(a.status)));
    json_object_set_new(o, "kind", json_string(a.kind));
    json_object_set_new(o, "created_at", api_time(a.created_at));
    json_object_set_new(o, "updated_at", api_time(a.updated_at));
    json_object_set_new(o, "resolution_due", api_time(a.resolution_due));
    if (a.category_id && store_category_get(r->st, a.category_id, &cat) == ERR_OK) {
        json_object_set_new(o, "category", json_string(cat.name_tr));
        json_object_set_new(o, "category_en", json_string(cat.name_en));
    } else {
        json_object_set_new(o, "category", json_null());
    }
    json_object_set_new(o, "public_response",
                        a.public_response ? json_string(a.public_response) : json_null());
    json_object_set_new(o, "redirect", a.redirect ? json_string(a.redirect) : json_null());
    json_object_set_new(o, "timeline", api_events_json(r, a.id, true));
    json_object_set_new(o, "photos", api_public_photos_json(r, a.id));
    app_release(&a);
    http_set_header(r->resp, "Cache-Control", "no-store");
    api_reply(r, 200, o);
}
