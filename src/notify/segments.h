#ifndef ALO_NOTIFY_SEGMENTS_H
#define ALO_NOTIFY_SEGMENTS_H
/*
 * SMS segment counting (3GPP TS 23.038 / 23.040). A text is sent in one of three codings:
 *   GSM7        the GSM default alphabet; characters of its extension table ({ } [ ] ~ \ | ^ €
 *               and form feed) take two septets (escape + code). 160 septets in one message,
 *               153 per part of a concatenated one (the 6-octet concatenation header).
 *   GSM7_TR     the default alphabet with the Turkish national single shift table (ğ Ğ ı İ
 *               ş Ş ç € beside the usual extension characters, each two septets); the 3-octet
 *               national-language header leaves 155 septets alone, 149 per concatenated part.
 *   UCS2        UTF-16: 70 code units alone, 67 per part; a character outside the BMP is two.
 * A two-unit character (escape pair, surrogate pair) is never split across parts.
 * Pure functions.
 */
#include <stdbool.h>
#include <stddef.h>

enum sms_coding { SMS_GSM7, SMS_GSM7_TR, SMS_UCS2 };

struct sms_count {
    enum sms_coding coding;
    int units;       /* septets (GSM7, GSM7_TR) or UTF-16 code units (UCS2) */
    int segments;    /* 1.. ; 0 for the empty text */
    int per_segment; /* the capacity of one part in the chosen coding (160, 153, …) */
};

/* Count text (UTF-8; an invalid byte counts as one UCS-2 unit). turkish_shift: may the
 * Turkish single shift table be used (the gateway/operator supports it); when false, a text
 * with ğ ş ı İ ç goes as UCS-2. */
void sms_count(const char *text, bool turkish_shift, struct sms_count *out);
/* "gsm7", "gsm7-turkish", "ucs2". */
const char *sms_coding_name(enum sms_coding c);

#endif
