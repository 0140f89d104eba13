#ifndef ALO_API_METRICS_H
#define ALO_API_METRICS_H
/*
 * Request counters for GET /metrics (Prometheus text format): per route of the route tables
 * (api_route_info's index; one more slot for everything else: the console's files, unknown
 * paths), answers by status class and a latency histogram. Lock-free (C11 atomics): every
 * worker thread records, the metrics handler reads.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct api_metrics;

/* Counters for nroutes routes (+ the "other" slot). Free with api_metrics_free. */
struct api_metrics *api_metrics_new(size_t nroutes);
void api_metrics_free(struct api_metrics *m);
/* One answer of route idx (nroutes or more = other) with HTTP status after us microseconds. */
void api_metrics_record(struct api_metrics *m, size_t idx, int status, uint64_t us);
/* Append the counters as Prometheus text to b: alo153_http_requests_total{method, route, code}
 * and alo153_http_request_duration_seconds{method, route} (histogram), routes named by
 * api_route_info. */
void api_metrics_render(const struct api_metrics *m, struct strbuf *b);
/* Append v as the inside of a label value: backslash, double quote and line feed escaped as
 * the text format asks (\\, \", \n); every other byte as it is. */
void api_metrics_label(struct strbuf *b, const char *v);

#endif
