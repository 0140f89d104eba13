#include "model/tracking.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

#define TRACKING_YEAR_MIN 2000
#define TRACKING_YEAR_MAX 2999
#define TRACKING_SEQ_MAX 999999

bool tracking_format(int year, int64_t seq, char out[TRACKING_LEN])
{
    if (year < TRACKING_YEAR_MIN || year > TRACKING_YEAR_MAX || seq < 1 || seq > TRACKING_SEQ_MAX)
        return false;
    snprintf(out, TRACKING_LEN, "%04d-%06d", year, (int)seq);
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
    if (!s || strnlen(s, TRACKING_LEN) != TRACKING_LEN - 1 || s[4] != '-' ||
        !parse_digits(s, 4, &y) || !parse_digits(s + 5, 6, &n))
        return false;
    if (y < TRACKING_YEAR_MIN || y > TRACKING_YEAR_MAX || n < 1)
        return false;
    *year = (int)y;
    *seq = n;
    return true;
}
