#include "core/tracking.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "util/banned.h"

#define TRACKING_YEAR_MIN 2000
#define TRACKING_YEAR_MAX 2999
#define TRACKING_SEQ_MAX 999999
#define ACCESS_CODE_MAX 64 /* longest stored code tracking_code_matches() compares */

/* 31 symbols: digits 2–9 and capitals without I, L and O (read-aloud and handwriting safe). */
static const char access_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

bool tracking_format(int year, int64_t seq, char out[TRACKING_LEN])
{
    if (year < TRACKING_YEAR_MIN || year > TRACKING_YEAR_MAX || seq < 1 ||
        seq > TRACKING_SEQ_MAX)
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

void tracking_new_access_code(char out[ACCESS_CODE_LEN])
{
    for (int i = 0; i < ACCESS_CODE_LEN - 1; i++)
        out[i] = access_alphabet[randombytes_uniform(sizeof(access_alphabet) - 1)];
    out[ACCESS_CODE_LEN - 1] = '\0';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ASCII only on purpose: toupper() in a Turkish locale maps 'i' to 'İ'. */
static char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

bool tracking_code_matches(const char *stored, const char *input)
{
    char buf[ACCESS_CODE_MAX];

    if (!stored || !input)
        return false;
    size_t slen = strnlen(stored, ACCESS_CODE_MAX + 1);
    if (slen == 0 || slen > ACCESS_CODE_MAX)
        return false;
    while (is_blank(*input))
        input++;
    size_t ilen = strnlen(input, 4096);
    while (ilen > 0 && is_blank(input[ilen - 1]))
        ilen--;
    if (ilen != slen)
        return false;
    for (size_t i = 0; i < ilen; i++)
        buf[i] = ascii_upper(input[i]);
    bool same = sodium_memcmp(stored, buf, slen) == 0;
    sodium_memzero(buf, sizeof(buf));
    return same;
}
