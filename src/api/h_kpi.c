/* Contact-centre KPIs over HTTP: live (today so far), and any period in buckets (calls by
 * queue, agent and line; contacts by channel and outcome). Definitions: report/kpi.h and
 * docs/CONTACT_CENTRE.md. Parse → one report call → render. */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/agent.h"
#include "report/kpi.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

static json_t *calls_json(const struct kpi_calls *k)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:I, s:I}", "offered",
                     (json_int_t)k->offered, "answered", (json_int_t)k->answered, "abandoned",
                     (json_int_t)k->abandoned, "short_abandoned", (json_int_t)k->short_abandoned,
                     "waiting", (json_int_t)k->waiting, "answer_rate", k->answer_rate,
                     "service_level", k->service_level, "asa_s", k->asa_s, "aht_s", k->aht_s,
                     "max_wait_s", (json_int_t)k->max_wait_s, "longest_waiting_s",
                     (json_int_t)k->longest_waiting_s);
}

static json_t *contacts_json(const struct kpi_contacts *k)
{
    json_t *outcomes = json_object(), *channels = json_object();
    for (int o = 1; o < OUTCOME__COUNT; o++)
        json_object_set_new(outcomes, contact_outcome_name((enum contact_outcome)o),
                            json_integer(k->by_outcome[o]));
    for (int i = 0; i < k->nchannels; i++)
        json_object_set_new(channels, k->by_channel[i].channel, json_integer(k->by_channel[i].n));
    return json_pack("{s:I, s:I, s:o, s:o, s:f}", "total", (json_int_t)k->total, "open",
                     (json_int_t)k->open, "by_outcome", outcomes, "by_channel", channels,
                     "instant_info_share", k->instant_info_share);
}

/* Today's figures of GET /kpi/live (also the live stream's `kpi` events, h_live.c) into *out
 * (a new object); the store's error otherwise. */
int api_kpi_live_json(struct api_req *r, json_t **out)
{
    struct kpi_params p;
    int64_t now = time_now();
    int64_t from = time_istanbul_day(now) * 86400 - TIME_ISTANBUL_OFFSET;
    struct kpi_calls calls;
    struct kpi_contacts contacts;
    struct agent_state *as = NULL;
    size_t n = 0;
    store_rollup_thresholds(r->st, &p.sl_s, &p.short_s);
    int rc = report_kpi_calls(r->st, from, now + 1, now, &p, &calls);
    if (rc == ERR_OK)
        rc = report_kpi_contacts(r->st, from, now + 1, &contacts);
    if (rc == ERR_OK)
        rc = core_agent_list(r->st, &as, &n);
    if (rc != ERR_OK)
        return rc;
    int64_t by_state[AGENT__COUNT] = { 0 };
    for (size_t i = 0; i < n; i++)
        by_state[as[i].state]++;
    free(as);
    json_t *agents = json_object();
    for (int s = 0; s < AGENT__COUNT; s++)
        json_object_set_new(agents, agent_state_name((enum agent_state_kind)s),
                            json_integer(by_state[s]));
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:i, s:i}}", "from", api_time(from), "at",
                     api_time(now), "calls", calls_json(&calls), "agents", agents, "contacts",
                     contacts_json(&contacts), "params", "service_level_s", p.sl_s,
                     "short_abandon_s", p.short_s);
    return ERR_OK;
}

void h_kpi_live(struct api_req *r)
{
    json_t *o = NULL;
    int rc = api_kpi_live_json(r, &o);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "could not compute the figures");
        return;
    }
    api_reply(r, 200, o);
}

/* ---- any period, in buckets ---- */

/* A bucket's start in Istanbul time: "2026-03-01T00:15:00+03:00". */
static json_t *local_time(int64_t t)
{
    int64_t l = t + TIME_ISTANBUL_OFFSET, secs = ((l % 86400) + 86400) % 86400;
    struct civil_date d = time_civil_from_days((l - secs) / 86400);
    char v[32];
    snprintf(v, sizeof(v), "%04d-%02d-%02dT%02d:%02d:00+%02d:00", d.year, d.month, d.day,
             (int)(secs / 3600), (int)(secs % 3600 / 60), TIME_ISTANBUL_OFFSET / 3600);
    return json_string(v);
}

/* from, to (inclusive Istanbul dates) and bucket of the query into [*from, *to) and *b. */
static bool period(struct api_req *r, int64_t *from, int64_t *to, enum kpi_bucket *b)
{
    const char *f = http_query(r->http, "from"), *t = http_query(r->http, "to");
    const char *bk = http_query(r->http, "bucket");
    int64_t d0, d1;
    if (!f || !time_parse_date(f, &d0)) {
        api_error(r, 400, "invalid_field", "from", "from must be a date (YYYY-MM-DD)");
        return false;
    }
    if (!t || !time_parse_date(t, &d1)) {
        api_error(r, 400, "invalid_field", "to", "to must be a date (YYYY-MM-DD)");
        return false;
    }
    if (d1 < d0) {
        api_error(r, 400, "invalid_field", "to", "to must not be before from");
        return false;
    }
    int k = kpi_bucket_parse(bk && *bk ? bk : "day");
    if (k < 0) {
        api_error(r, 400, "invalid_field", "bucket",
                  "bucket must be one of 15m, 30m, 1h, day, month, year");
        return false;
    }
    *b = (enum kpi_bucket)k;
    *from = d0 * 86400 - TIME_ISTANBUL_OFFSET;
    *to = (d1 + 1) * 86400 - TIME_ISTANBUL_OFFSET;
    if (kpi_bucket_count(*b, *from, *to, KPI_MAX_BUCKETS) > KPI_MAX_BUCKETS) {
        api_error(r, 400, "too_many_buckets", "bucket",
                  "more than %d buckets: choose a shorter period or a larger bucket",
                  KPI_MAX_BUCKETS);
        return false;
    }
    return true;
}

static json_t *period_json(int64_t from, int64_t to, enum kpi_bucket b)
{
    static const char *const names[] = { "15m", "30m", "1h", "day", "month", "year" };
    return json_pack("{s:o, s:o, s:s}", "from", local_time(from), "to", local_time(to), "bucket",
                     names[b]);
}

void h_kpi_calls(struct api_req *r)
{
    int64_t from, to;
    enum kpi_bucket b;
    if (!period(r, &from, &to, &b))
        return;
    struct rollup_filter f = { .queue = http_query(r->http, "queue"),
                               .line = http_query(r->http, "line") };
    const char *agent = http_query(r->http, "agent");
    if (agent && *agent) {
        struct user u;
        if (store_user_by_name(r->st, agent, &u, NULL, 0) != ERR_OK) {
            api_error(r, 400, "unknown_agent", "agent", "no user named '%.64s'", agent);
            return;
        }
        f.agent_id = u.id;
    }
    struct kpi_params p;
    struct kpi_call_series s;
    int rc = report_kpi_call_series(r->st, from, to, b, &f, &p, &s);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "could not compute the figures");
        return;
    }
    json_t *buckets = json_array();
    for (size_t i = 0; i < s.n; i++) {
        json_t *o = calls_json(&s.calls[i]);
        json_object_set_new(o, "start", local_time(s.start[i]));
        json_array_append_new(buckets, o);
    }
    json_t *out = period_json(from, to, b);
    json_object_set_new(
        out, "params",
        json_pack("{s:i, s:i}", "service_level_s", p.sl_s, "short_abandon_s", p.short_s));
    json_object_set_new(out, "totals", calls_json(&s.total));
    json_object_set_new(out, "buckets", buckets);
    kpi_call_series_release(&s);
    api_reply(r, 200, out);
}

void h_kpi_contacts(struct api_req *r)
{
    int64_t from, to;
    enum kpi_bucket b;
    if (!period(r, &from, &to, &b))
        return;
    struct kpi_contact_series s;
    int rc = report_kpi_contact_series(r->st, from, to, b, &s);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "could not compute the figures");
        return;
    }
    json_t *buckets = json_array();
    for (size_t i = 0; i < s.n; i++) {
        json_t *o = contacts_json(&s.contacts[i]);
        json_object_set_new(o, "start", local_time(s.start[i]));
        json_array_append_new(buckets, o);
    }
    json_t *out = period_json(from, to, b);
    json_object_set_new(out, "totals", contacts_json(&s.total));
    json_object_set_new(out, "buckets", buckets);
    kpi_contact_series_release(&s);
    api_reply(r, 200, out);
}
