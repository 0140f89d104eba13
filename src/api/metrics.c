#include "api/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "api/api.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* Upper bounds of the latency buckets, seconds (the +Inf bucket is the count). */
static const double le_s[] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10
};
#define NLE (sizeof(le_s) / sizeof(le_s[0]))

struct met_route {
    atomic_uint_fast64_t by_class[6]; /* [1] 1xx … [5] 5xx; [0] anything else */
    atomic_uint_fast64_t bucket[NLE]; /* answers within le_s[i] (not cumulative here) */
    atomic_uint_fast64_t count, sum_us;
};

struct api_metrics {
    size_t n; /* routes + the other slot */
    struct met_route *r;
};

struct api_metrics *api_metrics_new(size_t nroutes)
{
    struct api_metrics *m = xcalloc(1, sizeof(*m));
    m->n = nroutes + 1;
    m->r = xcalloc(m->n, sizeof(*m->r));
    return m;
}

void api_metrics_free(struct api_metrics *m)
{
    if (!m)
        return;
    free(m->r);
    free(m);
}

void api_metrics_record(struct api_metrics *m, size_t idx, int status, uint64_t us)
{
    if (!m)
        return;
    struct met_route *r = &m->r[idx < m->n - 1 ? idx : m->n - 1];
    int cls = status >= 100 && status < 600 ? status / 100 : 0;
    atomic_fetch_add(&r->by_class[cls], 1);
    size_t i = 0;
    while (i < NLE && (double)us / 1e6 > le_s[i])
        i++;
    if (i < NLE)
        atomic_fetch_add(&r->bucket[i], 1);
    atomic_fetch_add(&r->count, 1);
    atomic_fetch_add(&r->sum_us, us);
}

/* The labels of slot i: method and route pattern ("other" for the last slot). */
static void labels(size_t i, size_t n, const char **method, const char **route,
                   struct api_route_info *ri)
{
    if (i + 1 < n && api_route_info(i, ri)) {
        *method = ri->method;
        *route = ri->pattern[0] ? ri->pattern : "/";
    } else {
        *method = "";
        *route = "other";
    }
}

void api_metrics_render(const struct api_metrics *m, struct strbuf *b)
{
    static const char *const cls[] = { "other", "1xx", "2xx", "3xx", "4xx", "5xx" };
    struct api_route_info ri;
    const char *method, *route;
    strbuf_adds(b, "# HELP alo153_http_requests_total Requests answered, by route and status "
                   "class.\n# TYPE alo153_http_requests_total counter\n");
    for (size_t i = 0; i < m->n; i++) {
        labels(i, m->n, &method, &route, &ri);
        for (size_t c = 0; c < 6; c++) {
            uint64_t v = atomic_load(&m->r[i].by_class[c]);
            if (v)
                strbuf_addf(b,
                            "alo153_http_requests_total{method=\"%s\",route=\"%s\",code=\"%s\"} "
                            "%llu\n",
                            method, route, cls[c], (unsigned long long)v);
        }
    }
    strbuf_adds(b, "# HELP alo153_http_request_duration_seconds Time from the request's "
                   "headers to its answer.\n# TYPE alo153_http_request_duration_seconds "
                   "histogram\n");
    for (size_t i = 0; i < m->n; i++) {
        uint64_t count = atomic_load(&m->r[i].count), cum = 0;
        if (!count)
            continue;
        labels(i, m->n, &method, &route, &ri);
        for (size_t k = 0; k < NLE; k++) {
            cum += atomic_load(&m->r[i].bucket[k]);
            strbuf_addf(b,
                        "alo153_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                        "le=\"%g\"} %llu\n",
                        method, route, le_s[k], (unsigned long long)cum);
        }
        strbuf_addf(b,
                    "alo153_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                    "le=\"+Inf\"} %llu\n"
                    "alo153_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
                    "alo153_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} "
                    "%llu\n",
                    method, route, (unsigned long long)count, method, route,
                    (double)atomic_load(&m->r[i].sum_us) / 1e6, method, route,
                    (unsigned long long)count);
    }
}

void api_metrics_label(struct strbuf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            strbuf_addch(b, '\\');
        if (*v == '\n')
            strbuf_adds(b, "\\n");
        else
            strbuf_addch(b, *v);
    }
}
