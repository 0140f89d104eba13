#ifndef ALO_CLI_LOG_JSON_H
#define ALO_CLI_LOG_JSON_H
/* Log lines as JSON (one object per line on stderr) for log collectors: ALO153_LOG_FORMAT=json.
 * `ts=… level=… method=GET path=/x status=200 duration_ms=1.5` becomes
 * {"ts":"…","level":"info","method":"GET","path":"/x","status":200,"duration_ms":1.5}:
 * integers and decimals are numbers, everything else a string; text that is not k=v pairs
 * goes whole into "msg". */
#include <stddef.h>

/* The util/log.h sink. */
void log_json_sink(const char *ts, const char *level, const char *kv);
/* The object for one line (exposed for tests): a malloc'd NUL-terminated JSON text, or NULL
 * when out of memory. */
char *log_json_line(const char *ts, const char *level, const char *kv);

#endif
