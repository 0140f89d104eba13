/* GET /metrics: Prometheus text format for an admin session, or for the addresses of
 * serve --metrics-allow (a Prometheus server has no session): requests and latency by route
 * (api/metrics.c), the applications open and overdue now, the database's size, the routing
 * model, the process's start. Checked with promtool's rules in t37. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api_int.h"
#include "api/metrics.h"
#include "core/routing.h"
#include "report/report.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/banned.h"

static int64_t file_size(const char *path, const char *ext)
{
    char p[4200];
    struct stat sb;
    snprintf(p, sizeof(p), "%s%s", path, ext);
    return stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
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
    struct report_stats *s = NULL;
    struct err_detail ed = { 0 };
    int64_t now = time_now();
    if (report_stats(r->st, now, NULL, &s, &ed) == ERR_OK) {
        strbuf_addf(&b,
                    "# HELP alo153_applications_open Applications new, forwarded or in "
                    "progress.\n# TYPE alo153_applications_open gauge\n"
                    "alo153_applications_open %lld\n"
                    "# HELP alo153_applications_overdue Open applications past their "
                    "resolution deadline.\n# TYPE alo153_applications_overdue gauge\n"
                    "alo153_applications_overdue %lld\n",
                    (long long)s->open, (long long)s->overdue);
        report_stats_free(s);
    }
    if (!store_is_url(r->api->db_path))
        strbuf_addf(
            &b,
            "# HELP alo153_database_size_bytes The SQLite file with its WAL.\n"
            "# TYPE alo153_database_size_bytes gauge\nalo153_database_size_bytes %lld\n",
            (long long)(file_size(r->api->db_path, "") + file_size(r->api->db_path, "-wal")));
    strbuf_addf(&b,
                "# HELP alo153_routing_model_loaded Whether a routing model is serving.\n"
                "# TYPE alo153_routing_model_loaded gauge\nalo153_routing_model_loaded %d\n"
                "# HELP alo153_start_time_seconds When this process started (Unix time).\n"
                "# TYPE alo153_start_time_seconds gauge\nalo153_start_time_seconds %lld\n",
                routing_available() ? 1 : 0, (long long)r->api->started);
    r->resp->status = 200;
    r->resp->raw = strbuf_detach(&b, &r->resp->raw_len);
    r->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
