/* GET /metrics: Prometheus text format for an admin session, or for the addresses of
 * serve --metrics-allow (a Prometheus server has no session): requests and latency by route
 * (api/metrics.c), the applications open (in all and by status) and overdue now, the outbox
 * by state and its depth, the database's size, SQLite's single writer (where its time goes:
 * store_write_stats), the routing model in use and its file name,
 * the process's start. Checked by t37 (the numbers) and by Debian's `promtool check metrics`
 * in t65 (the format and the naming rules). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api_int.h"
#include "api/metrics.h"
#include "core/routing.h"
#include "model/lifecycle.h"
#include "model/message.h"
#include "report/report.h"
#include "util/strbuf.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

static int64_t file_size(const char *path, const char *ext)
{
    char p[4200];
    struct stat sb;
    snprintf(p, sizeof(p), "%s%s", path, ext);
    return stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* The outbox's states: the four of model/message.h always (0 when none), others as met. */
struct outbox_tally {
    const char *name[12];
    char other[8][MSG_WORD_LEN];
    int64_t n[12];
    size_t count;
};

static int tally_state(void *ctx, const char *state, int64_t n)
{
    struct outbox_tally *t = ctx;
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->name[i], state) == 0) {
            t->n[i] += n;
            return 0;
        }
    if (t->count < 12 && t->count - 4 < 8) {
        char *o = t->other[t->count - 4];
        str_copy(o, MSG_WORD_LEN, state);
        t->name[t->count] = o;
        t->n[t->count++] = n;
    }
    return 0;
}

/* The applications open in all, by open status, and overdue; false when the store failed. */
static bool applications(struct api_req *r, struct strbuf *b)
{
    static const enum app_status open[] = { ST_NEW, ST_FORWARDED, ST_IN_PROGRESS };
    int64_t by[3];
    for (size_t i = 0; i < 3; i++) {
        struct app_filter f = { .statuses = 1u << open[i] };
        if (store_app_count(r->st, &f, &by[i]) != ERR_OK)
            return false;
    }
    struct report_stats *s = NULL;
    struct err_detail ed = { 0 };
    if (report_stats(r->st, time_now(), NULL, &s, &ed) != ERR_OK)
        return false;
    strbuf_addf(b,
                "# HELP alo153_applications_open Applications new, forwarded or in "
                "progress.\n# TYPE alo153_applications_open gauge\n"
                "alo153_applications_open %lld\n"
                "# HELP alo153_applications_overdue Open applications past their "
                "resolution deadline.\n# TYPE alo153_applications_overdue gauge\n"
                "alo153_applications_overdue %lld\n"
                "# HELP alo153_applications_open_by_status Open applications by their "
                "status.\n# TYPE alo153_applications_open_by_status gauge\n",
                (long long)s->open, (long long)s->overdue);
    report_stats_free(s);
    for (size_t i = 0; i < 3; i++)
        strbuf_addf(b, "alo153_applications_open_by_status{status=\"%s\"} %lld\n",
                    lifecycle_status_name(open[i]), (long long)by[i]);
    return true;
}

/* The outbox by state and its depth (pending or sending); false when the store failed. */
static bool outbox(struct api_req *r, struct strbuf *b)
{
    struct outbox_tally t = { .name = { MSG_PENDING, MSG_SENDING, MSG_SENT, MSG_DEAD },
                              .count = 4 };
    if (store_outbox_counts(r->st, tally_state, &t) != ERR_OK)
        return false;
    strbuf_adds(b, "# HELP alo153_outbox_messages Outgoing messages (SMS, e-mail, WhatsApp) by "
                   "state.\n# TYPE alo153_outbox_messages gauge\n");
    for (size_t i = 0; i < t.count; i++) {
        strbuf_adds(b, "alo153_outbox_messages{state=\"");
        api_metrics_label(b, t.name[i]);
        strbuf_addf(b, "\"} %lld\n", (long long)t.n[i]);
    }
    strbuf_addf(b,
                "# HELP alo153_outbox_depth Outgoing messages not yet sent (pending or "
                "sending).\n# TYPE alo153_outbox_depth gauge\nalo153_outbox_depth %lld\n",
                (long long)(t.n[0] + t.n[1]));
    return true;
}

/* SQLite's single writer (store_write_stats): with rate(), held + handoff seconds per second
 * near 1 say the writer is the limit; commit seconds per commit is the fsync's latency. */
static void writer(struct api_req *r, struct strbuf *b)
{
    struct store_write_stats w;
    store_write_stats(r->st, &w);
    if (!w.available)
        return;
    static const char *const name[] = { "commits", "failed_commits", "transactions", "views" };
    static const char *const help[] = {
        "Batches the SQLite writer committed (one COMMIT and one fsync each).",
        "Of those, batches whose COMMIT failed (their transactions and views failed with it).",
        "Transactions committed in batches.",
        "Record views (KVKK) committed in batches.",
    };
    const uint64_t n[] = { w.commits, w.failed_commits, w.transactions, w.views };
    for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
        strbuf_addf(b,
                    "# HELP alo153_db_writer_%s_total %s\n# TYPE alo153_db_writer_%s_total "
                    "counter\nalo153_db_writer_%s_total %llu\n",
                    name[i], help[i], name[i], name[i], (unsigned long long)n[i]);
    static const char *const sname[] = { "held", "commit", "handoff" };
    static const char *const shelp[] = {
        "Time the writer's turn was held (statements, savepoints and COMMITs).",
        "Time spent in COMMIT, its fsync included.",
        "Time the writer's turn stood free while a transaction or a view waited for it.",
    };
    const double s[] = { w.held_seconds, w.commit_seconds, w.handoff_seconds };
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        strbuf_addf(b,
                    "# HELP alo153_db_writer_%s_seconds_total %s\n"
                    "# TYPE alo153_db_writer_%s_seconds_total counter\n"
                    "alo153_db_writer_%s_seconds_total %.6f\n",
                    sname[i], shelp[i], sname[i], sname[i], s[i]);
}

void h_metrics(struct api_req *r)
{
    bool admin = r->authed && r->user.role == ROLE_ADMIN;
    if (!admin && !proxy_list_contains(&r->api->metrics_allow, r->http->remote)) {
        if (!r->authed)
            api_fail(r, ERR_UNAUTH, "unauthorized", NULL,
                     "log in as an admin, or scrape from an address of serve --metrics-allow");
        else
            api_fail(r, ERR_FORBIDDEN, "forbidden", NULL, "metrics are for admins");
        return;
    }
    struct strbuf b;
    strbuf_init(&b, 8u << 20); /* a cap, not a size: every route × 16 lines fits well below */
    api_metrics_render(r->api->metrics, &b);
    bool store_ok = applications(r, &b);
    store_ok = outbox(r, &b) && store_ok;
    if (!store_is_url(r->api->db_path))
        strbuf_addf(
            &b,
            "# HELP alo153_database_size_bytes The SQLite file with its WAL.\n"
            "# TYPE alo153_database_size_bytes gauge\nalo153_database_size_bytes %lld\n",
            (long long)(file_size(r->api->db_path, "") + file_size(r->api->db_path, "-wal")));
    writer(r, &b);
    char model[128];
    bool loaded = routing_model_name(model, sizeof(model));
    strbuf_addf(&b,
                "# HELP alo153_metrics_store_ok Whether every database count of this scrape "
                "succeeded (0: some families are missing).\n"
                "# TYPE alo153_metrics_store_ok gauge\nalo153_metrics_store_ok %d\n"
                "# HELP alo153_routing_model_loaded Whether a routing model is serving.\n"
                "# TYPE alo153_routing_model_loaded gauge\nalo153_routing_model_loaded %d\n"
                "# HELP alo153_routing_model_info The routing model in use: its file name "
                "(alo153 train names it by its time).\n"
                "# TYPE alo153_routing_model_info gauge\n",
                store_ok ? 1 : 0, loaded ? 1 : 0);
    if (loaded) {
        strbuf_adds(&b, "alo153_routing_model_info{model=\"");
        api_metrics_label(&b, model);
        strbuf_adds(&b, "\"} 1\n");
    }
    strbuf_addf(&b,
                "# HELP alo153_start_time_seconds When this process started (Unix time).\n"
                "# TYPE alo153_start_time_seconds gauge\nalo153_start_time_seconds %lld\n",
                (long long)r->api->started);
    r->resp->status = 200;
    r->resp->raw = strbuf_detach(&b, &r->resp->raw_len);
    r->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
