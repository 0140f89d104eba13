#include "core/tracking.h"

#include <string.h>

#include <sodium.h>

#include "util/banned.h"

#define ACCESS_CODE_MAX 64 /* longest stored code tracking_code_matches() compares */

/* 31 symbols: digits 2–9 and capitals without I, L and O (read-aloud and handwriting safe). */
static const char access_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

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
