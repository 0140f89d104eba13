/* The contact centre over HTTP: contacts, the exchange's events, agents' states, the screen
 * pop (long-poll). Parse → one core call → render. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "core/agent.h"
#include "core/contact.h"
#include "core/policy.h"
#include "core/validate.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define EVENTS_MAX 500    /* exchange events in one request */
#define POLL_WAIT_MAX 8   /* seconds a screen-pop long-poll may wait (under serve's 10 s grace) */
#define POLL_SLICE_MS 250 /* re-read the database this often (pops from other processes) */

/* Wakes the long-polls of this process when a pop was queued here. */
static pthread_mutex_t pop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pop_cond = PTHREAD_COND_INITIALIZER;
static unsigned pop_waiters;

static json_t *id_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

static json_t *contact_json(struct api_req *r, const struct contact *c)
{
    char phone[VALIDATE_PHONE_LEN];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "channel", json_string(c->channel));
    json_object_set_new(o, "direction", json_string(c->direction));
    json_object_set_new(o, "district_id", id_or_null(c->district_id));
    if (c->caller[0] && !api_role_sees_personal(&r->user))
        validate_phone_mask(c->caller, phone);
    json_object_set_new(o, "caller",
                        c->caller[0]
                            ? json_string(api_role_sees_personal(&r->user) ? c->caller : phone)
                            : json_null());
    json_object_set_new(o, "citizen_id", id_or_null(c->citizen_id));
    json_object_set_new(o, "user_id", id_or_null(c->user_id));
    json_object_set_new(o, "call_id", c->call_ref[0] ? json_string(c->call_ref) : json_null());
    json_object_set_new(o, "started_at", api_time(c->started_at));
    json_object_set_new(o, "answered_at", api_time(c->answered_at));
    json_object_set_new(o, "ended_at", api_time(c->ended_at));
    json_object_set_new(o, "wait_s",
                        c->call_offered_at && c->answered_at
                            ? json_integer(c->answered_at - c->call_offered_at)
                            : json_null());
    json_object_set_new(o, "outcome",
                        c->outcome ? json_string(contact_outcome_name(c->outcome)) : json_null());
    json_object_set_new(o, "reason", c->reason[0] ? json_string(c->reason) : json_null());
    json_object_set_new(o, "category", c->category[0] ? json_string(c->category) : json_null());
    json_object_set_new(o, "institution",
                        c->institution[0] ? json_string(c->institution) : json_null());
    json_object_set_new(o, "kb_article_id", id_or_null(c->kb_article_id));
    json_object_set_new(o, "application_id", id_or_null(c->application_id));
    json_object_set_new(o, "note", c->note ? json_string(c->note) : json_null());
    return o;
}

static const struct api_field contact_spec[] = { { "channel", F_STR, false, 16 },
                                                 { "direction", F_STR, false, 16 },
                                                 { "caller", F_STR, false, 64 },
                                                 { "outcome", F_STR, false, 16 },
                                                 { "reason", F_STR, false, 16 },
                                                 { "category", F_STR, false, 39 },
                                                 { "institution", F_STR, false, 39 },
                                                 { "note", F_STR, false, CONTACT_NOTE_MAX },
                                                 { "citizen_id", F_INT, false, 0 },
                                                 { "district_id", F_INT, false, 0 },
                                                 { "kb_article_id", F_INT, false, 0 },
                                                 { "application_id", F_INT, false, 0 },
                                                 { 0 } };

static void read_contact_input(struct api_req *r, struct contact_input *in)
{
    *in = (struct contact_input){ .channel = api_str(r, "channel"),
                                  .direction = api_str(r, "direction"),
                                  .caller = api_str(r, "caller"),
                                  .outcome = api_str(r, "outcome"),
                                  .reason = api_str(r, "reason"),
                                  .category = api_str(r, "category"),
                                  .institution = api_str(r, "institution"),
                                  .note = api_str(r, "note"),
                                  .citizen_id = api_int(r, "citizen_id"),
                                  .district_id = api_int(r, "district_id"),
                                  .kb_article_id = api_int(r, "kb_article_id"),
                                  .application_id = api_int(r, "application_id") };
}

void h_contact_create(struct api_req *r)
{
    struct contact_input in;
    struct contact c = { 0 };
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, contact_spec))
        return;
    read_contact_input(r, &in);
    if (core_contact_open(r->st, &r->user, &in, &c, &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        api_reply(r, 201, contact_json(r, &c));
    contact_release(&c);
}

void h_contact_close(struct api_req *r)
{
    static const struct api_field spec[] = { { "outcome", F_STR, true, 16 },
                                             { "reason", F_STR, false, 16 },
                                             { "category", F_STR, false, 39 },
                                             { "institution", F_STR, false, 39 },
                                             { "note", F_STR, false, CONTACT_NOTE_MAX },
                                             { "citizen_id", F_INT, false, 0 },
                                             { "kb_article_id", F_INT, false, 0 },
                                             { "application_id", F_INT, false, 0 },
                                             { 0 } };
    int64_t id;
    struct contact_input in;
    struct contact c = { 0 };
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    read_contact_input(r, &in);
    if (core_contact_close(r->st, &r->user, id, &in, &c, &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        api_reply(r, 200, contact_json(r, &c));
    contact_release(&c);
}

void h_contact_get(struct api_req *r)
{
    int64_t id;
    struct contact c = { 0 };
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id))
        return;
    if (core_contact_get(r->st, &r->user, id, &c, &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        api_reply(r, 200, contact_json(r, &c));
    contact_release(&c);
}

/* Query filters of GET /contacts; false with 400 sent on a bad one. Callers without
 * oversight see their own contacts, or a citizen's (the caller's card). */
static bool contact_filter_read(struct api_req *r, struct contact_filter *f)
{
    const char *ch = http_query(r->http, "channel"), *out = http_query(r->http, "outcome");
    const char *lim = http_query(r->http, "limit"), *after = http_query(r->http, "after");
    int64_t v;
    memset(f, 0, sizeof(*f));
    f->outcome = -1;
    f->limit = 50;
    if (!api_query_id(r, "citizen_id", &f->citizen_id) ||
        !api_query_id(r, "application_id", &f->application_id) ||
        !api_query_id(r, "user_id", &f->user_id) || !api_query_time(r, "from", false, &f->from) ||
        !api_query_time(r, "to", true, &f->to))
        return false;
    if (ch && *ch && !contact_channel_valid(ch)) {
        api_fail(r, ERR_INVALID, NULL, "channel", "channel: one of %s", contact_channel_list());
        return false;
    }
    if (ch)
        str_copy(f->channel, sizeof(f->channel), ch);
    if (out && *out) {
        f->outcome = strcmp(out, "open") == 0 ? OUTCOME_NONE : contact_outcome_parse(out);
        if (f->outcome < 0) {
            api_fail(r, ERR_INVALID, NULL, "outcome", "outcome: open or an outcome's name");
            return false;
        }
    }
    if ((lim && !parse_i64(lim, 1, 500, &v)) ||
        (after && !parse_i64(after, 1, INT64_MAX, &f->after))) {
        api_fail(r, ERR_INVALID, NULL, lim && !parse_i64(lim, 1, 500, &v) ? "limit" : "after",
                 "limit must be 1..500 and after a positive id");
        return false;
    }
    if (lim)
        f->limit = (int)v;
    if (!policy_allows(r->st, &r->user, POL_CONTACT_ALL, 0) && !f->citizen_id)
        f->user_id = r->user.id;
    return true;
}

void h_contact_list(struct api_req *r)
{
    struct contact_filter f;
    struct contact *cs = NULL;
    size_t n = 0;
    int64_t next = 0;
    if (!contact_filter_read(r, &f))
        return;
    int rc = store_contact_list(r->st, &f, &cs, &n, &next);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "could not list contacts");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(items, contact_json(r, &cs[i]));
        contact_release(&cs[i]);
    }
    free(cs);
    api_reply(r, 200, json_pack("{s:o, s:o}", "items", items, "next", id_or_null(next)));
}

/* ---- the exchange ---- */

/* Read event object v into in (strings borrowed from v); false with 400 sent. */
static bool event_read(struct api_req *r, json_t *v, size_t i, struct call_event_input *in)
{
    static const char *const names[] = { "call_id", "type",   "agent",  "line",
                                         "queue",   "caller", "reason", "at" };
    const char **dst[] = { &in->call_id, &in->type,   &in->agent,  &in->line,
                           &in->queue,   &in->caller, &in->reason, NULL };
    const char *key;
    json_t *x;
    memset(in, 0, sizeof(*in));
    if (!json_is_object(v)) {
        api_fail(r, ERR_INVALID, NULL, "events", "event %zu is not an object", i);
        return false;
    }
    json_object_foreach(v, key, x)
    {
        size_t k = 0;
        while (k < 8 && strcmp(names[k], key) != 0)
            k++;
        if (k == 8) {
            api_fail(r, ERR_INVALID, "unknown_field", key, "event %zu: unknown field %s", i, key);
            return false;
        }
        if (json_is_null(x))
            continue;
        if (!json_is_string(x) || json_string_length(x) > 200 ||
            strlen(json_string_value(x)) != json_string_length(x)) {
            api_fail(r, ERR_INVALID, "invalid_type", key, "event %zu: %s must be a short string", i,
                     key);
            return false;
        }
        if (dst[k])
            *dst[k] = json_string_value(x);
        else if (!time_parse(json_string_value(x), &in->at)) {
            api_fail(r, ERR_INVALID, NULL, "at", "event %zu: at must be an RFC 3339 time", i);
            return false;
        }
    }
    return true;
}

static json_t *event_result_json(const struct call_event_input *in,
                                 const struct call_event_result *res)
{
    const struct call *k = &res->call;
    const char *state = !k->id            ? NULL
                        : k->abandoned_at ? "abandoned"
                        : k->ended_at     ? "ended"
                        : k->answered_at  ? "answered"
                                          : "waiting";
    return json_pack("{s:s?, s:s, s:b, s:s?, s:o}", "call_id", in->call_id, "type", in->type,
                     "duplicate", res->duplicate, "state", state, "contact_id",
                     id_or_null(res->contact_id));
}

void h_telephony_events(struct api_req *r)
{
    if (api_survey_event(r)) /* issue 15: an IVR rating (h_outbox.c) */
        return;
    json_t *list = json_object_get(r->body, "events");
    size_t n = list ? json_array_size(list) : 1;
    struct err_detail ed = { 0 };
    if (list && (!json_is_array(list) || json_object_size(r->body) != 1 || n == 0)) {
        api_fail(r, ERR_INVALID, NULL, "events",
                 "give one event object or {\"events\": [one or more events]}");
        return;
    }
    if (n > EVENTS_MAX) {
        api_fail(r, ERR_INVALID, "too_many", "events", "at most %d events per request", EVENTS_MAX);
        return;
    }
    struct call_event_input *in = calloc(n, sizeof(*in));
    struct call_event_result *res = calloc(n, sizeof(*res));
    size_t failed = 0;
    bool ok = in && res;
    for (size_t i = 0; ok && i < n; i++)
        ok = event_read(r, list ? json_array_get(list, i) : r->body, i, &in[i]);
    if (ok && core_call_events(r->st, &r->user, in, n, time_now(), res, &failed, &ed) != ERR_OK) {
        if (list && strlen(ed.message) + 16 < sizeof(ed.message)) {
            char msg[sizeof(ed.message)];
            str_copy(msg, sizeof(msg), ed.message);
            snprintf(ed.message, sizeof(ed.message), "event %zu: %.480s", failed, msg);
        }
        api_error_ed(r, &ed);
        ok = false;
    }
    if (ok) {
        bool popped = false;
        json_t *items = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(items, event_result_json(&in[i], &res[i]));
            popped |= res[i].popped_to != 0;
        }
        if (popped) {
            pthread_mutex_lock(&pop_lock);
            pthread_cond_broadcast(&pop_cond);
            pthread_mutex_unlock(&pop_lock);
            live_wake(r->api);
        }
        api_reply(r, 200,
                  list ? json_pack("{s:o}", "results", items)
                       : json_incref(json_array_get(items, 0)));
        if (!list)
            json_decref(items);
    }
    free(in);
    free(res);
}

/* ---- agents ---- */

static json_t *agent_json(const struct agent_state *a)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:o}", "user_id", (json_int_t)a->user_id,
                     "username", a->username, "full_name", a->full_name, "state",
                     agent_state_name(a->state), "reason", a->reason[0] ? a->reason : NULL, "since",
                     api_time(a->since));
}

static void reply_own_state(struct api_req *r, int status, struct agent_state *a)
{
    str_copy(a->username, sizeof(a->username), r->user.username);
    str_copy(a->full_name, sizeof(a->full_name), r->user.full_name);
    api_reply(r, status, agent_json(a));
}

void h_agent_state_get(struct api_req *r)
{
    struct agent_state a;
    int rc = core_agent_state(r->st, r->user.id, &a);
    if (rc != ERR_OK)
        api_fail(r, rc, NULL, NULL, "could not read the state");
    else
        reply_own_state(r, 200, &a);
}

void h_agent_state_set(struct api_req *r)
{
    static const struct api_field spec[] = { { "state", F_STR, true, 16 },
                                             { "reason", F_STR, false, 16 },
                                             { 0 } };
    struct agent_state a;
    struct err_detail ed = { 0 };
    if (!api_check_fields(r, spec))
        return;
    if (core_agent_set(r->st, &r->user, api_str(r, "state"), api_str(r, "reason"), time_now(), &a,
                       &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        reply_own_state(r, 200, &a);
}

void h_agents(struct api_req *r)
{
    struct agent_state *as = NULL;
    size_t n = 0;
    int rc = core_agent_list(r->st, &as, &n);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "could not list agents");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, agent_json(&as[i]));
    free(as);
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- screen pop ---- */

/* The caller's card: the citizen (T.C. masked), their applications (open ones first) and
 * their last contacts; NULL when the contact has no citizen or the view cannot be logged. */
static json_t *caller_card(struct api_req *r, const struct contact *c)
{
    struct citizen cz;
    char tc[12];
    if (!c->citizen_id || store_citizen_get(r->st, c->citizen_id, &cz) != ERR_OK)
        return json_null();
    if (!api_log_citizen_view(r, cz.id, "screen pop", false)) {
        citizen_release(&cz);
        return json_null();
    }
    json_t *card = api_citizen_json(r, &cz, false);
    if (cz.tc[0]) {
        validate_tc_mask(cz.tc, tc);
        json_object_set_new(card, "tc", json_string(tc));
    }
    citizen_release(&cz);
    json_t *apps = json_array();
    const unsigned open = (1u << ST_NEW) | (1u << ST_FORWARDED) | (1u << ST_IN_PROGRESS);
    for (int pass = 0; pass < 2; pass++) {
        struct app_filter f = { .citizen_id = c->citizen_id,
                                .statuses = pass ? ((1u << ST__COUNT) - 1) & ~open : open,
                                .limit = 20 };
        struct app *as = NULL;
        size_t n = 0;
        int64_t next;
        if (store_app_list(r->st, &f, &as, &n, &next, NULL) != ERR_OK)
            continue;
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(apps, api_app_json(r, &as[i], false));
            app_release(&as[i]);
        }
        free(as);
    }
    json_object_set_new(card, "applications", apps);
    struct contact_filter cf = { .citizen_id = c->citizen_id, .outcome = -1, .limit = 10 };
    struct contact *cs = NULL;
    size_t n = 0;
    int64_t next;
    json_t *contacts = json_array();
    if (store_contact_list(r->st, &cf, &cs, &n, &next) == ERR_OK) {
        for (size_t i = 0; i < n; i++) {
            if (cs[i].id != c->id)
                json_array_append_new(contacts, contact_json(r, &cs[i]));
            contact_release(&cs[i]);
        }
        free(cs);
    }
    json_object_set_new(card, "contacts", contacts);
    return card;
}

json_t *api_pop_json(struct api_req *r, const struct agent_event *e)
{
    struct contact c = { 0 };
    json_t *o = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)e->id, "kind", e->kind, "at",
                          api_time(e->at));
    if (e->contact_id && store_contact_get(r->st, e->contact_id, &c) == ERR_OK) {
        json_object_set_new(o, "contact", contact_json(r, &c));
        json_object_set_new(o, "caller", caller_card(r, &c));
        contact_release(&c);
    }
    return o;
}

/* Wait up to ms for a pop of this process (or the slice, for other processes'). */
static void pop_wait(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)ms * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&pop_lock);
    pthread_cond_timedwait(&pop_cond, &pop_lock, &ts);
    pthread_mutex_unlock(&pop_lock);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Long-poll: events after the cursor, waiting up to ?wait= seconds for the first. A waiter
 * holds a worker thread, so at most half the server's threads wait at once; the others get
 * an immediate (possibly empty) answer. */
void h_agent_events(struct api_req *r)
{
    const char *after_s = http_query(r->http, "after"), *wait_s = http_query(r->http, "wait");
    int64_t after = 0, wait = POLL_WAIT_MAX;
    if ((after_s && !parse_i64(after_s, 0, INT64_MAX, &after)) ||
        (wait_s && !parse_i64(wait_s, 0, POLL_WAIT_MAX, &wait))) {
        api_fail(r, ERR_INVALID, NULL,
                 after_s && !parse_i64(after_s, 0, INT64_MAX, &after) ? "after" : "wait",
                 "after must be an event id, wait 0..%d seconds", POLL_WAIT_MAX);
        return;
    }
    unsigned cap = r->api->cfg.threads / 2;
    bool waiting = false;
    if (wait > 0) {
        pthread_mutex_lock(&pop_lock);
        if (pop_waiters < cap) {
            pop_waiters++;
            waiting = true;
        }
        pthread_mutex_unlock(&pop_lock);
    }
    int64_t deadline = mono_ms() + (waiting ? wait * 1000 : 0);
    struct agent_event *ev = NULL;
    size_t n = 0;
    int rc;
    while ((rc = store_agent_event_list(r->st, r->user.id, after, 20, &ev, &n)) == ERR_OK &&
           n == 0 && mono_ms() < deadline) {
        free(ev);
        ev = NULL;
        int64_t left = deadline - mono_ms();
        pop_wait(left < POLL_SLICE_MS ? (int)(left > 0 ? left : 1) : POLL_SLICE_MS);
    }
    if (waiting) {
        pthread_mutex_lock(&pop_lock);
        pop_waiters--;
        pthread_mutex_unlock(&pop_lock);
    }
    if (rc != ERR_OK) {
        free(ev);
        api_fail(r, rc, NULL, NULL, "could not read events");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(items, api_pop_json(r, &ev[i]));
        after = ev[i].id;
    }
    free(ev);
    api_reply(r, 200, json_pack("{s:o, s:I}", "items", items, "next", (json_int_t)after));
}
