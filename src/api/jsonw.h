#ifndef ALO_API_JSONW_H
#define ALO_API_JSONW_H
/*
 * A JSON writer straight into a strbuf, for the hot list and search pages: the bytes
 * json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10)) (api_reply) makes of the same values,
 * without building a jansson tree first (building, dumping and freeing the tree was four
 * fifths of the CPU of a 50-row list). The caller writes the punctuation of containers
 * ('{', ',', ...) itself; jw_key writes "key": with its comma.
 */
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "util/strbuf.h"

/* A JSON string of s, escaped as jansson escapes it (", \, control characters; UTF-8 as is).
 * Returns false and writes nothing when s is not valid UTF-8 (jansson's json_string refuses
 * it: the caller leaves the member out, as json_object_set_new of NULL does). */
bool jw_str(struct strbuf *sb, const char *s);
/* ,"key": (no comma when *first; then clears *first). key is a plain ASCII name. */
void jw_key(struct strbuf *sb, bool *first, const char *key);
/* "key":string, or "key":null when s is NULL or empty; nothing when s is not UTF-8. */
void jw_str_or_null(struct strbuf *sb, bool *first, const char *key, const char *s);
/* "key":string, "" included; nothing when s is not UTF-8 (json_object_set_new of
 * json_string(s)). */
void jw_string(struct strbuf *sb, bool *first, const char *key, const char *s);
void jw_int(struct strbuf *sb, bool *first, const char *key, int64_t v);
/* v, or null when v is 0 (ids, counts that 0 means "none"). */
void jw_id(struct strbuf *sb, bool *first, const char *key, int64_t v);
void jw_bool(struct strbuf *sb, bool *first, const char *key, bool v);
void jw_null(struct strbuf *sb, bool *first, const char *key);
/* A real as jansson writes it with JSON_REAL_PRECISION(10): "%.10g", with ".0" added to a
 * whole number. */
void jw_real(struct strbuf *sb, bool *first, const char *key, double v);
/* RFC 3339 UTC (time_format), or null when t is 0 (api_time). */
void jw_time(struct strbuf *sb, bool *first, const char *key, int64_t t);
/* "key": and v as api_reply dumps it (a subtree still built with jansson); takes v's
 * reference. A NULL v leaves the member out, as json_object_set_new does. */
void jw_json(struct strbuf *sb, bool *first, const char *key, json_t *v);

#endif
