#ifndef ALO_UTIL_LOG_H
#define ALO_UTIL_LOG_H
/* One-line structured logs on stderr: `ts=… level=… msg=… key=value …`. Thread-safe. */

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Messages below level are dropped; set from ALO153_LOG (debug|info|warn|error). */
void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Where finished lines go: by default stderr as `ts=… level=… k=v …`. A sink gets the time,
 * the level's name and the message's own `k=v …` text (values with spaces are "quoted", with
 * \" inside); it runs on the logging thread and must write the line at once (cli/log_json.c:
 * JSON lines). NULL restores the default. */
typedef void (*log_sink_fn)(const char *ts, const char *level, const char *kv);
void log_set_sink(log_sink_fn sink);

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
