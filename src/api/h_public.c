/* What a citizen can do without logging in: the Beyaz Masa web form and tracking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/app.h"
#include "core/routing.h"
#include "core/tracking.h"
#include "core/validate.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static const struct api_field form_spec[] = {
    { "kind", F_STR, false, 16 },
    { "text", F_STR, true, CORE_TEXT_MAX },
    { "category", F_STR, false, 40 },
    { "district_id", F_INT, false, 0 },
    { "neighbourhood_id", F_INT, false, 0 },
    { "address", F_STR, false, CORE_ADDRESS_MAX },
    { "lat", F_NUM, false, 0 },
    { "lon", F_NUM, false, 0 },
    { "name", F_STR, false, 200 },
    { "phone", F_STR, false, 64 },
    { "email", F_STR, false, 254 },
    { "consent", F_BOOL, true, 0 },
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
    if (in->category && !*in->category)
        in->category = NULL;
    if (api_has(r, "lat") && api_has(r, "lon")) {
        in->has_geo = true;
        in->lat = json_number_value(json_object_get(r->body, "lat"));
        in->lon = json_number_value(json_object_get(r->body, "lon"));
    }
    if (in->text && nlp_utf8_valid(in->text, strlen(in->text)) &&
        routing_classify(r->st, in->text, rr, NULL) == ERR_OK)
        in->routing = rr;
}

void h_public_create(struct api_req *r)
{
    struct citizen c;
    struct app a;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, form_spec))
        return;
    const char *hp = api_str(r, "website");
    if (hp && *hp) {
        api_fail(r, ERR_INVALID, "rejected", NULL, "the form could not be accepted");
        return;
    }
    if (!json_is_true(json_object_get(r->body, "consent"))) {
        api_fail(r, ERR_INVALID, "consent_required", "consent",
                 "the KVKK consent (açık rıza) is needed to register an application");
        return;
    }
    if (!api_read_citizen(r, CITIZEN_NEED_CONTACT, &c))
        return;
    free(c.address); /* the form's address is where the problem is, not where the citizen lives */
    c.address = NULL;
    if (api_has(r, "lat") != api_has(r, "lon")) {
        citizen_release(&c);
        api_fail(r, ERR_INVALID, NULL, api_has(r, "lat") ? "lon" : "lat",
                 "give both lat and lon, or neither");
        return;
    }
    if (!api_rate_take(r, "form", r->api->cfg.public_rate_per_hour)) {
        citizen_release(&c);
        api_fail(r, ERR_RATE, NULL, NULL, "too many submissions from this address; try later");
        return;
    }
    struct app_input in;
    struct routing_result rr;
    read_form(r, &c, &in, &rr);
    if (core_app_create(r->st, NULL, &in, &a, &ed) != ERR_OK) {
        citizen_release(&c);
        api_error_ed(r, &ed);
        return;
    }
    citizen_release(&c);
    api_reply(r, 201,
              json_pack("{s:s, s:s, s:s, s:o}", "tracking", a.tracking, "access_code",
                        a.access_code, "status", lifecycle_status_name(a.status), "created_at",
                        api_time(a.created_at)));
    app_release(&a);
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
