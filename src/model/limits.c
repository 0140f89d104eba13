/* The defaults of model/limits.h. */
#include "model/limits.h"

#include "util/banned.h"

const struct limits limits_default = {
    .body_max = 1 << 20,
    .upload_max = 10 << 20,
    .url_max = 4096,
    .threads = 4,
    .handlers = 32,
    .idle_timeout = 30,
    .max_conns = 1000,
    .max_per_address = 200,
    .request_timeout = 30,
    .min_rate = 8192,
    .max_streams = 256,
    .session_hours = 12,
    .public_rate_per_hour = 20,
    .login_failures_per_hour = 1000,
    .tracking_failures_per_hour = 60,
};
