#include "model/tracking.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

#define TRACKING_YEAR_MIN 2000
#define TRACKING_YEAR_MAX 2999

bool tracking_format(int year, int64_t seq, char out[TRACKING_LEN])
{
    if (year < TRACKING_YEAR_MIN || year > TRACKING_YEAR_MAX || seq < 1 || seq > TRACKING_SEQ_MAX)
        return false;
    snprintf(out, TRACKING_LEN, "%04d-%06lld", year, (long long)seq);
    return true;
}

static bool parse_digits(const char *s, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool tracking_parse(const char *s, int *year, int64_t *seq)
{
    int64_t y, n;
    size_t len = s ? strnlen(s, TRACKING_LEN) : 0;
    int digits = (int)len - 5;
    if (len >= TRACKING_LEN || digits < 6 || s[4] != '-' || !parse_digits(s, 4, &y) ||
        !parse_digits(s + 5, digits, &n))
        return false;
    if (digits > 6 && s[5] == '0') /* one spelling per number: no padding beyond six */
        return false;
    if (y < TRACKING_YEAR_MIN || y > TRACKING_YEAR_MAX || n < 1 || n > TRACKING_SEQ_MAX)
        return false;
    *year = (int)y;
    *seq = n;
    return true;
}

bool tracking_normalise(const char *in, char out[TRACKING_LEN])
{
    char d[TRACKING_LEN + 4]; /* a few padding zeros more than the longest */
    size_t n = 0;
    bool hyphen = false;
    for (const char *p = in; p && *p; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if (*p == '-' && n == 4 && !hyphen) {
            hyphen = true;
            continue;
        }
        if (*p < '0' || *p > '9' || n + 1 >= sizeof(d))
            return false;
        d[n++] = *p;
    }
    if (n < 10)
        return false;
    /* "YYYY" + the sequence, re-spelt the canonical way */
    int64_t y = 0, seq = 0;
    if (!parse_digits(d, 4, &y) || !parse_digits(d + 4, (int)n - 4, &seq))
        return false;
    return tracking_format((int)y, seq, out);
}
