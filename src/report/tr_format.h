#ifndef ALO_REPORT_TR_FORMAT_H
#define ALO_REPORT_TR_FORMAT_H
/*
 * Numbers the Turkish way (and the English way) for the report's outputs (docs/REPORTS.md,
 * "Number formats"). Pure functions; every one writes into the caller's buffer buf of n bytes
 * (n > 0), always NUL-terminated, and returns buf. A buffer too small is cut on a character
 * boundary (64 bytes is enough for any int64_t in any form here).
 *
 *   tr_int      1059219 → "1.059.219"               (en: "1,059,219")
 *   tr_num      12.5, 1 → "12,5"; 1234.25, 2 → "1.234,25" (en: "12.5", "1,234.25")
 *   tr_pct      0.9396 → "%93,96"; 0.9 → "%90"; 0.925 → "%92,5" (en: "93.96%", "90%", "92.5%")
 *               rounded to two decimals, trailing zeros (and then the comma) dropped
 *   tr_words    1059219 → "1 milyon 59 bin 219"; 63836 → "63 bin 836"; below 10.000 the
 *               digits: 9876 → "9.876" (en: "1,059,219": English press text keeps digits)
 *   tr_approx   279412 → "279 bin"; 1059219 → "1,1 milyon" (en: "279 thousand", "1.1 million")
 *               below 1.000 exactly the number (the function says whether it rounded)
 *
 * Suffixes after numbers (Turkish): a suffix follows how the number is read aloud, so it
 * depends on the last spoken word: 92 → "doksan iki" → "%92'den"; 93,96 → "… doksan altı" →
 * "%93,96'ya"; 279 bin → "bine" (after a word no apostrophe). tr_last_word gives that word,
 * tr_suffix the suffix with vowel harmony (two- and four-way) and d/t after a voiceless
 * consonant, tr_add_suffix writes text + "'" + suffix (or text + suffix after a word).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tr_lang { TR_LANG_TR, TR_LANG_EN };

/* the Turkish cases the paragraph needs */
enum tr_case {
    TR_ACC, /* belirtme  -(y)I: 695'i, 6'yı, 219'u */
    TR_POSS, /* iyelik    -(s)I: "bunların 612 bin 695'i", "… 836'sı" (the paragraph's "of them") */
    TR_DAT, /* yönelme   -(y)A: %93,96'ya, 2024'e */
    TR_LOC, /* bulunma   -DA:   2025'te, %90'da */
    TR_ABL, /* ayrılma   -DAn:  %92'den, 4'ten */
    TR_GEN, /* ilgi      -(n)In: 2025'in, 6'nın */
    TR_INS, /* araç      -(y)lA: %90'la, 2'yle */
    TR_LIK  /* -lIk: 279 binlik, %90'lık, 5'lik */
};

/* "tr" → TR_LANG_TR, "en" → TR_LANG_EN, anything else (NULL too) → -1 */
int tr_lang_parse(const char *s);

char *tr_int(char *buf, size_t n, int64_t v, enum tr_lang lang);
/* decimals 0..6; NAN/inf → "" */
char *tr_num(char *buf, size_t n, double v, int decimals, enum tr_lang lang);
/* share: 0..1 (any value is accepted: 1.5 → %150); NAN → "" */
char *tr_pct(char *buf, size_t n, double share, enum tr_lang lang);
char *tr_words(char *buf, size_t n, int64_t v, enum tr_lang lang);
/* *rounded (may be NULL) is set to whether the text is not the exact number */
char *tr_approx(char *buf, size_t n, int64_t v, enum tr_lang lang, bool *rounded);

/* The last word of text read aloud in Turkish (static string): text may end in a number as
 * written here ("612 bin 695", "%93,96", "1.059.219", "12,5") or in a word ("279 bin").
 * NULL when text ends in neither. */
const char *tr_last_word(const char *text);
/* The suffix (static, without apostrophe) for a text whose last spoken word is word; NULL
 * when the word is not in the table of number words. */
const char *tr_suffix(const char *word, enum tr_case c);
/* buf = text + "'" + suffix after a digit or '%'-number, text + suffix after a word.
 * Unknown ending: text unchanged. */
char *tr_add_suffix(char *buf, size_t n, const char *text, enum tr_case c);

#endif
