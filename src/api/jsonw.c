/* A JSON writer into a strbuf, byte for byte what jansson's compact dump writes. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "api/jsonw.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/banned.h"

/* s (len bytes) as a JSON string, checked as UTF-8 in the same pass (jansson refuses a string
 * that is not): false, and sb back to its length at mark, when it is not. */
static bool str_escaped(struct strbuf *sb, size_t mark, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;
    strbuf_addch(sb, '"');
    while (p < end) {
        unsigned char c = *p;
        if (c >= 0x80) {
            size_t n = nlp_utf8_char_len(p, (size_t)(end - p));
            if (!n)
                goto bad;
            p += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            p++;
            continue;
        }
        if (!c)
            goto bad;
        strbuf_add(sb, run, (size_t)(p - run));
        run = ++p;
        switch (c) {
        case '"': strbuf_add(sb, "\\\"", 2); break;
        case '\\': strbuf_add(sb, "\\\\", 2); break;
        case '\b': strbuf_add(sb, "\\b", 2); break;
        case '\f': strbuf_add(sb, "\\f", 2); break;
        case '\n': strbuf_add(sb, "\\n", 2); break;
        case '\r': strbuf_add(sb, "\\r", 2); break;
        case '\t': strbuf_add(sb, "\\t", 2); break;
        default: strbuf_addf(sb, "\\u%04X", c); break;
        }
    }
    strbuf_add(sb, run, (size_t)(end - run));
    strbuf_addch(sb, '"');
    return true;
bad:
    if (sb->len > mark) {
        sb->len = mark;
        sb->buf[mark] = '\0';
    }
    return false;
}

bool jw_str(struct strbuf *sb, const char *s)
{
    return str_escaped(sb, sb->len, s, strlen(s));
}

void jw_key(struct strbuf *sb, bool *first, const char *key)
{
    /* ,"key": in one append (a list page writes about 1,700 keys) */
    char buf[64];
    size_t n = strlen(key), at = *first ? 0 : 1;
    if (n > sizeof(buf) - 4) {
        if (!*first)
            strbuf_addch(sb, ',');
        strbuf_addch(sb, '"');
        strbuf_add(sb, key, n);
        strbuf_add(sb, "\":", 2);
    } else {
        buf[0] = ',';
        buf[at] = '"';
        memcpy(buf + at + 1, key, n);
        memcpy(buf + at + 1 + n, "\":", 2);
        strbuf_add(sb, buf, at + n + 3);
    }
    *first = false;
}

void jw_str_or_null(struct strbuf *sb, bool *first, const char *key, const char *s)
{
    if (!s || !*s)
        jw_null(sb, first, key);
    else
        jw_string(sb, first, key, s);
}

void jw_string(struct strbuf *sb, bool *first, const char *key, const char *s)
{
    size_t mark = sb->len;
    bool was_first = *first;
    jw_key(sb, first, key);
    if (!str_escaped(sb, mark, s, strlen(s)))
        *first = was_first; /* jansson leaves the member out */
}

void jw_int(struct strbuf *sb, bool *first, const char *key, int64_t v)
{
    char buf[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *p = buf + sizeof(buf);
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
        n++;
    } while (u);
    if (v < 0) {
        *--p = '-';
        n++;
    }
    jw_key(sb, first, key);
    strbuf_add(sb, p, (size_t)n);
}

void jw_id(struct strbuf *sb, bool *first, const char *key, int64_t v)
{
    if (v)
        jw_int(sb, first, key, v);
    else
        jw_null(sb, first, key);
}

void jw_bool(struct strbuf *sb, bool *first, const char *key, bool v)
{
    jw_key(sb, first, key);
    strbuf_adds(sb, v ? "true" : "false");
}

void jw_null(struct strbuf *sb, bool *first, const char *key)
{
    jw_key(sb, first, key);
    strbuf_adds(sb, "null");
}

void jw_real(struct strbuf *sb, bool *first, const char *key, double v)
{
    char buf[64];
    if (!isfinite(v)) /* json_real refuses these: the member is left out */
        return;
    int n = snprintf(buf, sizeof(buf), "%.10g", v);
    if (n < 0 || (size_t)n >= sizeof(buf) - 3)
        return;
    /* jansson: a locale's decimal comma becomes '.', and a whole number gets ".0" */
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    if (!strchr(buf, '.') && !strchr(buf, 'e'))
        memcpy(buf + n, ".0", 3);
    /* and an exponent loses its '+' and leading zeros: 1e+20 → 1e20, 1e-05 → 1e-5 */
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start)
            memmove(start, end, strlen(end) + 1);
    }
    jw_key(sb, first, key);
    strbuf_adds(sb, buf);
}

/* Two digits of v (0..99) at p. */
static void two(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

void jw_time(struct strbuf *sb, bool *first, const char *key, int64_t t)
{
    /* "YYYY-MM-DDTHH:MM:SSZ" by hand: time_format's snprintf was a quarter of a list page's
     * CPU (eight times a row); the same text (unit test test_jsonw) */
    char buf[TIME_RFC3339_LEN + 2];
    if (!t) {
        jw_null(sb, first, key);
        return;
    }
    int64_t days = t / 86400, secs = t % 86400;
    struct civil_date c = time_civil_from_days(days);
    if (t < 0 || c.year > 9999) {
        buf[0] = '"';
        time_format(t, buf + 1);
    } else {
        memcpy(buf, "\"0000-00-00T00:00:00Z", TIME_RFC3339_LEN);
        two(buf + 1, c.year / 100);
        two(buf + 3, c.year % 100);
        two(buf + 6, c.month);
        two(buf + 9, c.day);
        two(buf + 12, (int)(secs / 3600));
        two(buf + 15, (int)(secs / 60 % 60));
        two(buf + 18, (int)(secs % 60));
    }
    buf[TIME_RFC3339_LEN] = '"';
    buf[TIME_RFC3339_LEN + 1] = '\0';
    jw_key(sb, first, key);
    strbuf_add(sb, buf, TIME_RFC3339_LEN + 1);
}

void jw_json(struct strbuf *sb, bool *first, const char *key, json_t *v)
{
    if (!v)
        return;
    char *t = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY);
    json_decref(v);
    if (!t)
        return;
    jw_key(sb, first, key);
    strbuf_adds(sb, t);
    free(t);
}
