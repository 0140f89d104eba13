#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/timeutil.h"
#include "util/banned.h"

static enum log_level log_min = LOG_INFO;
static const char *const log_names[] = { "debug", "info", "warn", "error" };
static log_sink_fn log_sink;

void log_set_level(enum log_level level)
{
    log_min = level;
}

void log_set_sink(log_sink_fn sink)
{
    log_sink = sink;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level < log_min)
        return;
    char ts[TIME_RFC3339_LEN], line[2048];
    time_format(time_now(), ts);
    int n = log_sink ? 0 : snprintf(line, sizeof(line), "ts=%s level=%s ", ts, log_names[level]);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof(line))
        vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (log_sink) {
        log_sink(ts, log_names[level], line);
        return;
    }
    /* one fputs per line: stdio locks the stream, so lines from threads never interleave */
    fprintf(stderr, "%s\n", line);
}
