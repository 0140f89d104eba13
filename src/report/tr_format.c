/* Turkish (and English) numbers for the report's outputs: see tr_format.h. */
#include "report/tr_format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/str.h"
#include "util/banned.h"

int tr_lang_parse(const char *s)
{
    if (s && strcmp(s, "tr") == 0)
        return TR_LANG_TR;
    if (s && strcmp(s, "en") == 0)
        return TR_LANG_EN;
    return -1;
}

/* digits (ASCII, no sign) grouped by three with sep into out (n bytes) */
static void group_digits(char *out, size_t n, const char *digits, char sep)
{
    size_t len = strlen(digits), o = 0;
    for (size_t i = 0; i < len && o + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            out[o++] = sep;
            if (o + 1 >= n)
                break;
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* A number printed by "%.*f" (C locale: '-', digits, '.', digits) to the language's form:
 * grouped integer part, decimal comma in Turkish; trim drops trailing zeros of the decimals. */
static char *localise(char *buf, size_t n, const char *plain, bool trim, enum tr_lang lang)
{
    char ipart[64], fpart[32] = "", grouped[96], out[128];
    bool neg = plain[0] == '-';
    const char *p = neg ? plain + 1 : plain;
    const char *dot = strchr(p, '.');
    size_t il = dot ? (size_t)(dot - p) : strlen(p);
    if (il >= sizeof ipart)
        il = sizeof ipart - 1;
    memcpy(ipart, p, il);
    ipart[il] = '\0';
    if (dot) {
        str_copy(fpart, sizeof fpart, dot + 1);
        if (trim) {
            size_t fl = strlen(fpart);
            while (fl > 0 && fpart[fl - 1] == '0')
                fpart[--fl] = '\0';
        }
    }
    /* "-0" or "-0,0" after rounding is plain zero */
    bool zero = strspn(ipart, "0") == strlen(ipart) && strspn(fpart, "0") == strlen(fpart);
    group_digits(grouped, sizeof grouped, ipart, lang == TR_LANG_TR ? '.' : ',');
    size_t o = 0;
    if (neg && !zero)
        out[o++] = '-';
    str_copy(out + o, sizeof out - o, grouped);
    if (fpart[0]) {
        o = strlen(out);
        out[o++] = lang == TR_LANG_TR ? ',' : '.';
        str_copy(out + o, sizeof out - o, fpart);
    }
    str_copy(buf, n, out);
    return buf;
}

char *tr_int(char *buf, size_t n, int64_t v, enum tr_lang lang)
{
    char plain[32];
    snprintf(plain, sizeof plain, "%lld", (long long)v);
    return localise(buf, n, plain, false, lang);
}

char *tr_num(char *buf, size_t n, double v, int decimals, enum tr_lang lang)
{
    char plain[400];
    if (!isfinite(v)) {
        buf[0] = '\0';
        return buf;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (fabs(v) >= 1e18) {
        buf[0] = '\0'; /* not a figure of this centre */
        return buf;
    }
    snprintf(plain, sizeof plain, "%.*f", decimals, v);
    return localise(buf, n, plain, false, lang);
}

char *tr_pct(char *buf, size_t n, double share, enum tr_lang lang)
{
    char plain[400], num[128], out[140];
    if (!isfinite(share) || fabs(share) >= 1e15) {
        buf[0] = '\0';
        return buf;
    }
    snprintf(plain, sizeof plain, "%.2f", share * 100.0);
    localise(num, sizeof num, plain, true, lang);
    if (lang == TR_LANG_TR) {
        out[0] = '%';
        str_copy(out + 1, sizeof out - 1, num);
    } else {
        size_t l = strlen(num);
        memcpy(out, num, l);
        out[l] = '%';
        out[l + 1] = '\0';
    }
    str_copy(buf, n, out);
    return buf;
}

/* clang-format off */
static const char *const units_tr[] = { "", "bin", "milyon", "milyar", "trilyon", "katrilyon",
                                        "kentilyon" };
/* clang-format on */

char *tr_words(char *buf, size_t n, int64_t v, enum tr_lang lang)
{
    if (lang != TR_LANG_TR || (v > -10000 && v < 10000))
        return tr_int(buf, n, v, lang);
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    unsigned groups[7];
    int ng = 0;
    while (u > 0) {
        groups[ng++] = (unsigned)(u % 1000);
        u /= 1000;
    }
    char out[160];
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    out[o] = '\0';
    for (int g = ng - 1; g >= 0; g--) {
        if (groups[g] == 0)
            continue;
        int w = snprintf(out + o, sizeof out - o, "%s%u%s%s", o > (v < 0 ? 1u : 0u) ? " " : "",
                         groups[g], g > 0 ? " " : "", units_tr[g]);
        if (w < 0 || (size_t)w >= sizeof out - o)
            break;
        o += (size_t)w;
    }
    str_copy(buf, n, out);
    return buf;
}

char *tr_approx(char *buf, size_t n, int64_t v, enum tr_lang lang, bool *rounded)
{
    double a = fabs((double)v);
    const char *sign = v < 0 ? "-" : "";
    char num[64], out[128];
    if (rounded)
        *rounded = false;
    if (a < 1000) {
        return tr_int(buf, n, v, lang);
    }
    double scaled;
    const char *unit;
    int dec;
    if (a < 999500) { /* rounds to at most 999 bin */
        scaled = round(a / 1000.0);
        unit = lang == TR_LANG_TR ? "bin" : "thousand";
        dec = 0;
        if (rounded)
            *rounded = scaled * 1000.0 != a;
    } else if (a < 999950000.0) {
        scaled = round(a / 100000.0) / 10.0;
        unit = lang == TR_LANG_TR ? "milyon" : "million";
        dec = 1;
        if (rounded)
            *rounded = round(scaled * 10.0) * 100000.0 != a;
    } else {
        scaled = round(a / 100000000.0) / 10.0;
        unit = lang == TR_LANG_TR ? "milyar" : "billion";
        dec = 1;
        if (rounded)
            *rounded = round(scaled * 10.0) * 100000000.0 != a;
    }
    char plain[64];
    snprintf(plain, sizeof plain, "%.*f", dec, scaled);
    localise(num, sizeof num, plain, true, lang);
    snprintf(out, sizeof out, "%s%s %s", sign, num, unit);
    str_copy(buf, n, out);
    return buf;
}

/* ---- suffixes ---- */

/* A number word as the suffix sees it: its last vowel for four-way harmony (0 ı, 1 i, 2 u,
 * 3 ü: a→ı, e→i, o→u, ö→ü; 0 and 2 are back vowels), whether it ends in a vowel, and whether
 * it ends in a voiceless consonant (ç f h k p s ş t: d → t). */
struct tr_word {
    const char *w;
    unsigned char v4, ends_vowel, voiceless;
};

/* clang-format off */
static const struct tr_word words[] = {
    { "sıfır", 0, 0, 0 }, { "bir", 1, 0, 0 },    { "iki", 1, 1, 0 },    { "üç", 3, 0, 1 },
    { "dört", 3, 0, 1 },  { "beş", 1, 0, 1 },    { "altı", 0, 1, 0 },   { "yedi", 1, 1, 0 },
    { "sekiz", 1, 0, 0 }, { "dokuz", 2, 0, 0 },  { "on", 2, 0, 0 },     { "yirmi", 1, 1, 0 },
    { "otuz", 2, 0, 0 },  { "kırk", 0, 0, 1 },   { "elli", 1, 1, 0 },   { "altmış", 0, 0, 1 },
    { "yetmiş", 1, 0, 1 },{ "seksen", 1, 0, 0 }, { "doksan", 0, 0, 0 }, { "yüz", 3, 0, 0 },
    { "bin", 1, 0, 0 },   { "milyon", 2, 0, 0 }, { "milyar", 0, 0, 0 }, { "trilyon", 2, 0, 0 },
    { "katrilyon", 2, 0, 0 }, { "kentilyon", 2, 0, 0 },
};
static const char *const ones[] = { NULL, "bir", "iki", "üç", "dört", "beş", "altı", "yedi",
                                    "sekiz", "dokuz" };
static const char *const tens[] = { NULL, "on", "yirmi", "otuz", "kırk", "elli", "altmış",
                                    "yetmiş", "seksen", "doksan" };
/* by case: [four-way vowel][ends in a vowel] or [back/front][voiceless] */
static const char *const acc[4][2] = { { "ı", "yı" }, { "i", "yi" }, { "u", "yu" }, { "ü", "yü" } };
static const char *const poss[4][2] = { { "ı", "sı" }, { "i", "si" }, { "u", "su" },
                                        { "ü", "sü" } };
static const char *const gen[4][2] = { { "ın", "nın" }, { "in", "nin" }, { "un", "nun" },
                                       { "ün", "nün" } };
static const char *const lik[4] = { "lık", "lik", "luk", "lük" };
static const char *const dat[2][2] = { { "a", "ya" }, { "e", "ye" } };     /* [front][vowel] */
static const char *const ins[2][2] = { { "la", "yla" }, { "le", "yle" } }; /* [front][vowel] */
static const char *const loc[2][2] = { { "da", "ta" }, { "de", "te" } };   /* [front][voiceless] */
static const char *const abl[2][2] = { { "dan", "tan" }, { "den", "ten" } };
/* clang-format on */

/* the last word of the integer v read aloud */
static const char *int_last_word(unsigned long long v)
{
    if (v == 0)
        return "sıfır";
    if (v % 10)
        return ones[v % 10];
    if ((v / 10) % 10)
        return tens[(v / 10) % 10];
    if ((v / 100) % 10)
        return "yüz";
    for (int g = 1; g < 7; g++) {
        v /= 1000;
        if (v % 1000)
            return units_tr[g];
    }
    return "sıfır";
}

static const struct tr_word *find_word(const char *w, size_t len)
{
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].w) == len && memcmp(words[i].w, w, len) == 0)
            return &words[i];
    return NULL;
}

const char *tr_last_word(const char *text)
{
    if (!text)
        return NULL;
    size_t end = strlen(text);
    while (end > 0 && text[end - 1] == ' ')
        end--;
    if (end == 0)
        return NULL;
    unsigned char last = (unsigned char)text[end - 1];
    if (last >= '0' && last <= '9') {
        size_t start = end;
        while (start > 0 && (strchr("0123456789.,", text[start - 1])))
            start--;
        /* the token text[start..end): integer part with '.' groups, then ',' decimals */
        unsigned long long ip = 0, fp = 0;
        bool in_frac = false, frac_digits = false;
        int idigits = 0;
        for (size_t i = start; i < end; i++) {
            char ch = text[i];
            if (ch == ',') {
                in_frac = true;
                fp = 0;
                frac_digits = false;
            } else if (ch >= '0' && ch <= '9') {
                if (in_frac) {
                    frac_digits = true;
                    if (fp < 100000000000000000ULL)
                        fp = fp * 10 + (unsigned)(ch - '0');
                } else if (idigits < 19) {
                    ip = ip * 10 + (unsigned)(ch - '0');
                    idigits++;
                }
            }
        }
        if (in_frac && frac_digits)
            return int_last_word(fp); /* "virgül doksan altı"; ",00" → "sıfır" */
        return int_last_word(ip);
    }
    size_t start = end;
    while (start > 0 && text[start - 1] != ' ')
        start--;
    const struct tr_word *w = find_word(text + start, end - start);
    return w ? w->w : NULL;
}

const char *tr_suffix(const char *word, enum tr_case c)
{
    const struct tr_word *w = word ? find_word(word, strlen(word)) : NULL;
    if (!w)
        return NULL;
    int front = w->v4 == 1 || w->v4 == 3;
    switch (c) {
    case TR_ACC: return acc[w->v4][w->ends_vowel];
    case TR_POSS: return poss[w->v4][w->ends_vowel];
    case TR_GEN: return gen[w->v4][w->ends_vowel];
    case TR_LIK: return lik[w->v4];
    case TR_DAT: return dat[front][w->ends_vowel];
    case TR_INS: return ins[front][w->ends_vowel];
    case TR_LOC: return loc[front][w->voiceless];
    case TR_ABL: return abl[front][w->voiceless];
    }
    return NULL;
}

char *tr_add_suffix(char *buf, size_t n, const char *text, enum tr_case c)
{
    const char *suf = tr_suffix(tr_last_word(text), c);
    char out[256];
    if (!suf) {
        str_copy(buf, n, text);
        return buf;
    }
    size_t end = strlen(text);
    while (end > 0 && text[end - 1] == ' ')
        end--;
    bool digit = text[end - 1] >= '0' && text[end - 1] <= '9';
    snprintf(out, sizeof out, "%.*s%s%s", (int)end, text, digit ? "'" : "", suf);
    str_copy(buf, n, out);
    return buf;
}
