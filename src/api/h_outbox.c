/* Outgoing messages over HTTP (issue 15; docs/MESSAGES.md): the admins' outbox (list, resend),
 * the message templates (read, edit), the citizen's survey (no login, a signed single-use
 * token), the IVR rating (a telephony "survey" event), satisfaction figures and consent. */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/outbox.h"
#include "core/survey.h"
#include "notify/segments.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

static json_t *msg_json(const struct outbox_msg *m)
{
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:i, s:o, s:o, "
        "s:o, s:s, s:i, s:s}",
        "id", (json_int_t)m->id, "key", m->idem_key, "channel", m->channel, "recipient",
        m->recipient, "subject", m->subject ? m->subject : "", "body", m->body ? m->body : "",
        "purpose", m->purpose, "lang", m->lang, "transactional", m->transactional, "application_id",
        m->app_id ? json_integer((json_int_t)m->app_id) : json_null(), "state", m->state,
        "attempts", m->attempts, "next_at",
        m->state[0] == 'p' && m->next_at ? api_time(m->next_at) : json_null(), "created_at",
        api_time(m->created_at), "sent_at", api_time(m->sent_at), "last_error", m->last_error,
        "segments", m->segments, "provider_ref", m->provider_ref);
}

static int count_state(void *ctx, const char *state, int64_t n)
{
    json_object_set_new(ctx, state, json_integer((json_int_t)n));
    return 0;
}

/* GET /outbox?state=&application=&after=&limit= — newest first, with the count per state. */
void h_outbox_list(struct api_req *r)
{
    const char *state = http_query(r->http, "state"), *lim = http_query(r->http, "limit");
    int64_t app = 0, after = 0, limit = 50;
    static const char *const states[] = { "", MSG_PENDING, MSG_SENDING, MSG_SENT, MSG_DEAD, NULL };
    bool ok = false;
    for (size_t i = 0; states[i]; i++)
        ok |= strcmp(states[i], state ? state : "") == 0;
    if (!ok) {
        api_fail(r, ERR_INVALID, NULL, "state", "state must be pending, sending, sent or dead");
        return;
    }
    if (lim && !parse_i64(lim, 1, 500, &limit)) {
        api_fail(r, ERR_INVALID, NULL, "limit", "limit must be 1..500");
        return;
    }
    if (!api_query_id(r, "application", &app) || !api_query_id(r, "after", &after))
        return;
    struct outbox_msg *v = NULL;
    size_t n = 0;
    int rc = store_outbox_list(r->st, state, app, after, (int)limit, &v, &n);
    json_t *counts = json_object();
    if (rc == ERR_OK)
        rc = store_outbox_counts(r->st, count_state, counts);
    if (rc != ERR_OK) {
        for (size_t i = 0; i < n; i++)
            outbox_msg_release(&v[i]);
        free(v);
        json_decref(counts);
        api_fail(r, rc, NULL, NULL, "could not list the outbox");
        return;
    }
    json_t *items = json_array();
    int64_t next = n == (size_t)limit ? v[n - 1].id : 0;
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(items, msg_json(&v[i]));
        outbox_msg_release(&v[i]);
    }
    free(v);
    api_reply(r, 200,
              json_pack("{s:o, s:o, s:o}", "items", items, "counts", counts, "next",
                        next ? json_integer((json_int_t)next) : json_null()));
}

/* POST /outbox/:id/resend — a dead message back to pending (same idempotency key). */
void h_outbox_resend(struct api_req *r)
{
    int64_t id;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id))
        return;
    if (core_outbox_resend(r->st, id, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    struct outbox_msg m;
    if (store_outbox_get(r->st, id, &m) != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "could not read the message");
        return;
    }
    api_reply(r, 200, msg_json(&m));
    outbox_msg_release(&m);
}

static json_t *template_json(struct store *st, const char *purpose, const char *channel,
                             const char *lang)
{
    struct msg_template t = { 0 };
    const char *s = "", *b = "";
    bool custom = store_template_get(st, purpose, channel, lang, &t) == ERR_OK;
    if (custom) {
        s = t.subject ? t.subject : "";
        b = t.body ? t.body : "";
    } else if (!core_outbox_builtin(purpose, channel, lang, &s, &b)) {
        return NULL;
    }
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "purpose", purpose, "channel",
                          channel, "lang", lang, "subject", s, "body", b, "custom", custom,
                          "updated_at", api_time(custom ? t.updated_at : 0));
    if (strcmp(channel, OUTBOX_SMS) == 0) {
        /* the template's own length: placeholders are filled in when sent */
        struct sms_count c;
        sms_count(b, true, &c);
        json_object_set_new(v, "sms",
                            json_pack("{s:s, s:i, s:i, s:i}", "coding", sms_coding_name(c.coding),
                                      "units", c.units, "segments", c.segments, "per_segment",
                                      c.per_segment));
    }
    msg_template_release(&t);
    return v;
}

/* GET /message-templates — every purpose × channel × language, stored or built in. */
void h_templates(struct api_req *r)
{
    static const char *const langs[] = { "tr", "en" };
    json_t *items = json_array();
    for (size_t p = 0; core_outbox_purposes[p]; p++)
        for (size_t c = 0; core_outbox_channels[c]; c++)
            for (size_t l = 0; l < 2; l++) {
                json_t *t = template_json(r->st, core_outbox_purposes[p], core_outbox_channels[c],
                                          langs[l]);
                if (t)
                    json_array_append_new(items, t);
            }
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

/* PUT /message-templates/:purpose/:channel/:lang {"subject"?, "body"} */
void h_template_put(struct api_req *r)
{
    static const struct api_field spec[] = { { "subject", F_STR, false, 200 },
                                             { "body", F_STR, true, 2000 },
                                             { 0 } };
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    struct msg_template t = { .subject = (char *)api_str(r, "subject"),
                              .body = (char *)api_str(r, "body"),
                              .updated_at = time_now() };
    if (!str_copy(t.purpose, sizeof(t.purpose), r->params[0]) ||
        !str_copy(t.channel, sizeof(t.channel), r->params[1]) ||
        !str_copy(t.lang, sizeof(t.lang), r->params[2])) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no such template");
        return;
    }
    if (core_outbox_template_save(r->st, &t, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, template_json(r->st, t.purpose, t.channel, t.lang));
}

/* GET /public/surveys/:token — what the survey page shows (no login). */
void h_survey_get(struct api_req *r)
{
    struct survey_view v;
    struct err_detail ed = { 0 };
    if (core_survey_view(r->st, r->params[0], time_now(), &v, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200,
              json_pack("{s:s, s:s?, s:b}", "tracking", v.tracking, "category",
                        v.category[0] ? v.category : NULL, "used", v.used));
}

/* POST /public/surveys/:token {"rating": 1..5, "comment"?, "tracking"?} */
void h_survey_post(struct api_req *r)
{
    static const struct api_field spec[] = { { "rating", F_INT, true, 5 },
                                             { "comment", F_STR, false, CORE_SURVEY_COMMENT_MAX },
                                             { "tracking", F_STR, false, 20 },
                                             { 0 } };
    struct err_detail ed = { 0 };
    bool reopened = false;
    if (!api_check_fields(r, spec))
        return;
    if (!api_rate_take(r, "survey", 60))
        return;
    if (core_survey_submit(r->st, r->params[0], (int)api_int(r, "rating"), api_str(r, "comment"),
                           api_str(r, "tracking"), time_now(), &reopened, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    (void)reopened; /* not told to the citizen: an internal matter */
    api_reply(r, 201, json_pack("{s:b}", "ok", true));
}

/* A telephony event {"type":"survey", "call_id", "digit", "tracking"?} (h_telephony_events
 * hands it here). */
bool api_survey_event(struct api_req *r)
{
    json_t *type = json_object_get(r->body, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "survey") != 0)
        return false;
    static const struct api_field spec[] = {
        { "type", F_STR, true, 10 }, { "call_id", F_STR, false, 120 },
        { "digit", F_STR, true, 1 }, { "tracking", F_STR, false, 20 },
        { "at", F_STR, false, 40 },  { 0 }
    };
    if (!api_check_fields(r, spec))
        return true;
    int64_t at = time_now();
    const char *ats = api_str(r, "at");
    if (ats && !time_parse(ats, &at)) {
        api_fail(r, ERR_INVALID, NULL, "at", "at must be an RFC 3339 time");
        return true;
    }
    struct satisfaction s;
    struct err_detail ed = { 0 };
    if (core_survey_ivr(r->st, api_str(r, "call_id"), api_str(r, "tracking"), api_str(r, "digit"),
                        at, &s, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return true;
    }
    api_reply(r, 200,
              json_pack("{s:s, s:I, s:i, s:o, s:o}", "type", "survey", "id", (json_int_t)s.id,
                        "rating", s.rating, "application_id",
                        s.app_id ? json_integer((json_int_t)s.app_id) : json_null(), "contact_id",
                        s.contact_id ? json_integer((json_int_t)s.contact_id) : json_null()));
    return true;
}

static int sat_row(void *ctx, int64_t id, const char *key, int64_t n, int64_t sum, int64_t sat)
{
    json_array_append_new(
        ctx, json_pack("{s:o, s:s, s:I, s:f, s:I, s:f}", "id",
                       id ? json_integer((json_int_t)id) : json_null(), "key", key, "ratings",
                       (json_int_t)n, "average", n ? (double)sum / (double)n : 0.0, "satisfied",
                       (json_int_t)sat, "satisfaction", n ? 100.0 * (double)sat / (double)n : 0.0));
    return 0;
}

/* GET /satisfaction?from=&to=&by=department|category|channel|agent|source|day */
void h_satisfaction(struct api_req *r)
{
    int64_t from, to;
    const char *by = http_query(r->http, "by");
    if (!api_query_time(r, "from", false, &from) || !api_query_time(r, "to", true, &to))
        return;
    json_t *items = json_array();
    int rc = core_satisfaction_group(r->st, by ? by : "", from, to, sat_row, items);
    if (rc != ERR_OK) {
        json_decref(items);
        api_fail(r, rc, NULL, rc == ERR_INVALID ? "by" : NULL,
                 rc == ERR_INVALID ? "by must be department, category, channel, agent, source "
                                     "or day"
                                   : "could not read the ratings");
        return;
    }
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

/* PUT /citizens/:id/lang {"lang": "tr"|"en"} — the language of the messages to the citizen. */
void h_citizen_lang(struct api_req *r)
{
    static const struct api_field spec[] = { { "lang", F_STR, true, 2 }, { 0 } };
    int64_t id;
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    const char *l = api_str(r, "lang");
    if (strcmp(l, "tr") != 0 && strcmp(l, "en") != 0) {
        api_fail(r, ERR_INVALID, NULL, "lang", "lang must be tr or en");
        return;
    }
    int rc = store_citizen_lang_set(r->st, id, l);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL,
                 rc == ERR_NOT_FOUND ? "no such citizen" : "could not store the language");
        return;
    }
    api_reply(r, 200, json_pack("{s:I, s:s}", "citizen_id", (json_int_t)id, "lang", l));
}

/* PUT /citizens/:id/consent {"marketing": true|false} */
void h_citizen_consent(struct api_req *r)
{
    static const struct api_field spec[] = { { "marketing", F_BOOL, true, 0 }, { 0 } };
    int64_t id;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    bool m = json_is_true(json_object_get(r->body, "marketing"));
    if (core_outbox_consent_set(r->st, id, m, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, json_pack("{s:I, s:b}", "citizen_id", (json_int_t)id, "marketing", m));
}
