#include "notify/segments.h"

#include <stdint.h>
#include <string.h>

#include "util/banned.h"

/* The GSM 03.38 default alphabet (the 128 code points, as Unicode; 0x1B is the escape). */
/* clang-format off */
static const uint16_t gsm_basic[] = {
    '@', 0xA3, '$', 0xA5, 0xE8, 0xE9, 0xF9, 0xEC, 0xF2, 0xC7, '\n', 0xD8, 0xF8, '\r', 0xC5, 0xE5,
    0x394, '_', 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8, 0x3A3, 0x398, 0x39E, 0xC6, 0xE6, 0xDF,
    0xC9, ' ', '!', '"', '#', 0xA4, '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', 0xA1,
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R',
    'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 0xC4, 0xD6, 0xD1, 0xDC, 0xA7, 0xBF,
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r',
    's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0xE4, 0xF6, 0xF1, 0xFC, 0xE0,
};
/* the default extension table (escape + code) */
static const uint16_t gsm_ext[] = { '\f', '^', '{', '}', '\\', '[', '~', ']', '|', 0x20AC };
/* the Turkish national single shift table (23.038 A.2.1): the extension characters plus these */
static const uint16_t tr_shift[] = { 0x11E, 0x130, 0x15E, 0xE7, 0x11F, 0x131, 0x15F };
/* clang-format on */

static bool in(const uint16_t *t, size_t n, uint32_t c)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] == c)
            return true;
    return false;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Decode one UTF-8 character at *p (advancing it); an invalid byte decodes as U+FFFD. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int len = c < 0x80             ? 1
              : (c & 0xE0) == 0xC0 ? 2
              : (c & 0xF0) == 0xE0 ? 3
              : (c & 0xF8) == 0xF0 ? 4
                                   : 0;
    if (len == 0) {
        *p = s + 1;
        return 0xFFFD;
    }
    if (len > 1) {
        c &= 0x3Fu >> (len - 1);
        for (int i = 1; i < len; i++) {
            if ((s[i] & 0xC0) != 0x80) {
                *p = s + 1;
                return 0xFFFD;
            }
            c = c << 6 | (s[i] & 0x3F);
        }
    }
    *p = s + len;
    return c;
}

/* Units of c in coding k: 1 or 2, 0 when c cannot be written in it. */
static int cost(enum sms_coding k, uint32_t c)
{
    switch (k) {
    case SMS_GSM7: return in(gsm_basic, N(gsm_basic), c) ? 1 : in(gsm_ext, N(gsm_ext), c) ? 2 : 0;
    case SMS_GSM7_TR:
        return in(gsm_basic, N(gsm_basic), c)                               ? 1
               : in(gsm_ext, N(gsm_ext), c) || in(tr_shift, N(tr_shift), c) ? 2
                                                                            : 0;
    case SMS_UCS2: return c > 0xFFFF ? 2 : 1;
    }
    return 0;
}

/* Pack text in coding k: total units and parts of capacity multi (never splitting a two-unit
 * character); false when a character does not fit the coding. */
static bool pack(const char *text, enum sms_coding k, int single, int multi, struct sms_count *out)
{
    const unsigned char *p = (const unsigned char *)text;
    int units = 0, parts = 1, used = 0;
    while (*p) {
        int c = cost(k, next_cp(&p));
        if (!c)
            return false;
        units += c;
        if (used + c > multi) {
            parts++;
            used = 0;
        }
        used += c;
    }
    out->coding = k;
    out->units = units;
    out->segments = units == 0 ? 0 : units <= single ? 1 : parts;
    out->per_segment = units <= single ? single : multi;
    return true;
}

void sms_count(const char *text, bool turkish_shift, struct sms_count *out)
{
    memset(out, 0, sizeof(*out));
    if (pack(text, SMS_GSM7, 160, 153, out))
        return;
    if (turkish_shift && pack(text, SMS_GSM7_TR, 155, 149, out))
        return;
    pack(text, SMS_UCS2, 70, 67, out);
}

const char *sms_coding_name(enum sms_coding c)
{
    return c == SMS_GSM7 ? "gsm7" : c == SMS_GSM7_TR ? "gsm7-turkish" : "ucs2";
}
