#include "core/validate.h"

#include <string.h>

#include "model/model.h"
#include "util/banned.h"

_Static_assert(VALIDATE_PHONE_LEN == MODEL_PHONE_LEN, "a citizen record holds a normalised phone");

#define PHONE_MAX_DIGITS 16 /* more digits than any accepted form: reject early */
#define PHONE_MAX_INPUT 64  /* longer input is not a phone number */
#define EMAIL_MAX 254       /* RFC 5321 path limit minus the angle brackets */
#define EMAIL_LOCAL_MAX 64
#define EMAIL_LABEL_MAX 63

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_phone_separator(char c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

/*
 * Accepted shapes, after dropping separators:
 *   NNNNNNNNNN          10 national digits
 *   0NNNNNNNNNN         trunk prefix
 *   90NNNNNNNNNN        country code
 *   +90NNNNNNNNNN       international
 *   0090NNNNNNNNNN      international with the 00 exit code
 * and, after a country code, an optional trunk 0 ("+90 (0532) …" is commonly written).
 * A '+' is only allowed as the first non-blank character.
 */
bool validate_phone(const char *in, char out[VALIDATE_PHONE_LEN])
{
    char d[PHONE_MAX_DIGITS + 1];
    size_t n = 0;
    bool plus = false, seen = false;

    if (!in || strnlen(in, PHONE_MAX_INPUT + 1) > PHONE_MAX_INPUT)
        return false;
    for (const char *p = in; *p; p++) {
        if (is_digit(*p)) {
            if (n == PHONE_MAX_DIGITS)
                return false;
            d[n++] = *p;
            seen = true;
        } else if (*p == '+' && !seen && !plus) {
            plus = true;
            seen = true;
        } else if (is_phone_separator(*p)) {
            continue;
        } else {
            return false;
        }
    }
    d[n] = '\0';

    const char *nat = d;
    size_t len = n;
    bool cc = false; /* a country code was given */
    if (plus) {
        if (len < 2 || d[0] != '9' || d[1] != '0')
            return false;
        nat += 2;
        len -= 2;
        cc = true;
    } else if (len >= 4 && memcmp(d, "0090", 4) == 0) {
        nat += 4;
        len -= 4;
        cc = true;
    } else if ((len == 12 || len == 13) && d[0] == '9' && d[1] == '0') {
        nat += 2;
        len -= 2;
        cc = true;
    } else if (len == 11 && d[0] == '0') {
        nat += 1;
        len -= 1;
    }
    if (cc && len == 11 && nat[0] == '0') {
        nat += 1;
        len -= 1;
    }
    if (len != 10 || !strchr("23458", nat[0]))
        return false;

    memcpy(out, "+90", 3);
    memcpy(out + 3, nat, 10);
    out[13] = '\0';
    return true;
}

/* Keep a prefix and a suffix of s, star the middle; anything of an unexpected length is
 * fully starred so that a malformed value never leaks. */
static void mask_middle(const char *s, size_t want_len, size_t keep_head, size_t keep_tail,
                        char *out)
{
    size_t len = s ? strnlen(s, want_len + 1) : 0;
    for (size_t i = 0; i < want_len; i++) {
        if (len == want_len && (i < keep_head || i >= want_len - keep_tail))
            out[i] = s[i];
        else
            out[i] = '*';
    }
    out[want_len] = '\0';
}

void validate_phone_mask(const char *phone, char out[VALIDATE_PHONE_LEN])
{
    mask_middle(phone, VALIDATE_PHONE_LEN - 1, 6, 2, out);
}

bool validate_tc(const char *s)
{
    int d[11];

    if (!s || strnlen(s, 12) != 11)
        return false;
    for (int i = 0; i < 11; i++) {
        if (!is_digit(s[i]))
            return false;
        d[i] = s[i] - '0';
    }
    if (d[0] == 0)
        return false;
    int odd = d[0] + d[2] + d[4] + d[6] + d[8];
    int even = d[1] + d[3] + d[5] + d[7];
    int d10 = ((odd * 7 - even) % 10 + 10) % 10; /* C's % keeps the sign: make it 0..9 */
    if (d[9] != d10)
        return false;
    int sum = 0;
    for (int i = 0; i < 10; i++)
        sum += d[i];
    return d[10] == sum % 10;
}

void validate_tc_mask(const char *tc, char out[12])
{
    /* the last two digits are check digits of the first nine: shown, they would narrow the
     * six hidden ones a hundredfold */
    mask_middle(tc, 11, 3, 0, out);
}

static bool is_local_char(char c)
{
    return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

/* Dot-atom local part: allowed characters, dots only between non-empty runs. */
static bool valid_local(const char *s, size_t len)
{
    if (len == 0 || len > EMAIL_LOCAL_MAX || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.')
                return false;
        } else if (!is_local_char(s[i])) {
            return false;
        }
    }
    return true;
}

static bool valid_domain(const char *s, size_t len)
{
    size_t labels = 0, start = 0;
    bool tld_has_alpha = false;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.') {
            if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
                return false;
            continue;
        }
        size_t l = i - start;
        if (l == 0 || l > EMAIL_LABEL_MAX || s[start] == '-' || s[i - 1] == '-')
            return false;
        tld_has_alpha = false;
        for (size_t j = start; j < i; j++)
            tld_has_alpha |= is_alpha(s[j]);
        labels++;
        start = i + 1;
    }
    /* At least two labels, and the last one not purely numeric (no "a@1.2"). */
    return labels >= 2 && tld_has_alpha;
}

bool validate_email(const char *s)
{
    if (!s)
        return false;
    size_t len = strnlen(s, EMAIL_MAX + 1);
    if (len == 0 || len > EMAIL_MAX)
        return false;
    const char *at = memchr(s, '@', len);
    if (!at || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
        return false;
    size_t local_len = (size_t)(at - s);
    return valid_local(s, local_len) && valid_domain(at + 1, len - local_len - 1);
}
