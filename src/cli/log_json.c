/* JSON log lines (log_json.h): the k=v text of util/log.h read back into pairs, encoded by
 * jansson. */
#include "cli/log_json.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

/* A value as a JSON number when all of it is one ("-12", "3.50"), else a string. */
static json_t *value_of(const char *v, size_t n)
{
    char buf[64];
    size_t i = v[0] == '-' ? 1 : 0, digits = 0, dots = 0;
    for (size_t k = i; k < n; k++) {
        if (v[k] >= '0' && v[k] <= '9')
            digits++;
        else if (v[k] == '.' && digits && !dots)
            dots++;
        else
            return json_stringn(v, n);
    }
    if (!digits || n >= sizeof(buf) || v[n - 1] == '.' || (v[i] == '0' && n > i + 1 && !dots))
        return json_stringn(v, n);
    memcpy(buf, v, n);
    buf[n] = 0;
    return dots ? json_real(strtod(buf, NULL)) : json_integer(strtoll(buf, NULL, 10));
}

/* Read `key=value key="quoted \"value\""…` into o; false (o partly filled) when s is not that. */
static bool read_pairs(const char *s, json_t *o)
{
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        const char *k = s;
        while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')
            s++;
        if (s == k || *s != '=')
            return false;
        size_t klen = (size_t)(s - k);
        char key[64];
        if (klen >= sizeof(key))
            return false;
        memcpy(key, k, klen);
        key[klen] = 0;
        s++;
        json_t *v;
        if (*s == '"') {
            size_t cap = strlen(s), n = 0;
            char *out = malloc(cap + 1);
            if (!out)
                return false;
            for (s++; *s && *s != '"'; s++)
                out[n++] = (*s == '\\' && (s[1] == '"' || s[1] == '\\')) ? *++s : *s;
            if (*s != '"') {
                free(out);
                return false;
            }
            s++;
            v = json_stringn(out, n);
            free(out);
        } else {
            const char *b = s;
            while (*s && *s != ' ')
                s++;
            v = value_of(b, (size_t)(s - b));
        }
        if (!v) /* not UTF-8 (a client's bytes): keep the pair, with the text replaced */
            v = json_string("(not UTF-8)");
        json_object_set_new(o, key, v);
    }
    return true;
}

char *log_json_line(const char *ts, const char *level, const char *kv)
{
    json_t *o = json_pack("{s:s, s:s}", "ts", ts, "level", level);
    if (!o)
        return NULL;
    json_t *pairs = json_object();
    if (pairs && read_pairs(kv, pairs)) {
        json_object_update(o, pairs);
    } else {
        json_t *m = json_string(kv);
        json_object_set_new(o, "msg", m ? m : json_string("(not UTF-8)"));
    }
    json_decref(pairs);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(o);
    return text;
}

void log_json_sink(const char *ts, const char *level, const char *kv)
{
    char *text = log_json_line(ts, level, kv);
    if (text) {
        fprintf(stderr, "%s\n", text); /* one call per line: threads never interleave */
        free(text);
    }
}
