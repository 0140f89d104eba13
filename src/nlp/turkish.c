/*
 * Turkish text normalisation: strict UTF-8 validation, ICU Turkish lower-case, folding,
 * and the tokenizer that feeds FTS5 and the classifier (see turkish.h for the contract).
 *
 * Per word, nlp_tokenize() does:  lower ("tr") → fold = the match form of the word;
 * lower → canonicalise (canon_append: i/ı o/ö u/ü by vowel harmony, intervocalic g → ğ)
 * → Snowball Turkish stemmer → fold = the stem. Buffers are strbufs reused across the
 * words of one call, with stack chunks in the hot paths, so there is no malloc per word.
 */
#include "nlp/turkish.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "util/log.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* Inputs to ICU are int32_t-sized; stay well below so expansions cannot overflow. */
#define ICU_MAX_BYTES ((size_t)1 << 30)
/* Code points canon_append() handles; longer words (only possible past the byte limit
 * after odd case mappings) are not stemmed. */
#define CANON_MAX_CP 128

/* Code points used by name below. */
enum {
    CP_DOTLESS_I = 0x131,    /* ı */
    CP_C_CEDILLA = 0xE7,     /* ç */
    CP_G_BREVE = 0x11F,      /* ğ */
    CP_O_UMLAUT = 0xF6,      /* ö */
    CP_S_CEDILLA = 0x15F,    /* ş */
    CP_U_UMLAUT = 0xFC,      /* ü */
    CP_A_CIRCUMFLEX = 0xE2,  /* â */
    CP_I_CIRCUMFLEX = 0xEE,  /* î */
    CP_U_CIRCUMFLEX = 0xFB,  /* û */
    CP_COMBINING_DOT = 0x307 /* combining dot above, left by non-Turkish lower-casing of İ */
};

/* ---- per-thread state ------------------------------------------------------------------ */

/* The last text tokenized on this thread with given flags, and its words, replayed when the
 * same text comes again. A create tokenizes its text for the urgency rules (and the classifier)
 * before its transaction, and the full-text index tokenizes it again inside the transaction,
 * in the single writer's turn: there the replay saves about a tenth of the turn's work. */
#define MEMO_TEXT_MAX 16384 /* longer texts are not kept */
#define MEMO_KINDS 2        /* flags 0 and NLP_COLLOQUIAL */

struct memo_word {
    size_t word, wlen, stem, slen; /* word and stem: offsets in pool */
    size_t start, end;
};

struct memo {
    bool valid; /* text and its words are set */
    bool busy;  /* being replayed */
    struct strbuf text;
    struct strbuf pool;
    struct memo_word *w;
    size_t n, alloc;
};

struct nlp_tls {
    struct sb_stemmer *stemmer; /* Snowball "turkish", UTF-8; not thread-safe, hence per thread */
    UCaseMap *casemap;          /* ICU case map for locale "tr" */
    struct memo memo[MEMO_KINDS];
};

static _Thread_local struct nlp_tls *tls_cur;
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_free(void *p)
{
    struct nlp_tls *t = p;

    if (!t)
        return;
    if (tls_cur == t)
        tls_cur = NULL;
    if (t->stemmer)
        sb_stemmer_delete(t->stemmer);
    if (t->casemap)
        ucasemap_close(t->casemap);
    for (size_t i = 0; i < MEMO_KINDS; i++) {
        strbuf_release(&t->memo[i].text);
        strbuf_release(&t->memo[i].pool);
        free(t->memo[i].w);
    }
    free(t);
}

static void tls_make_key(void)
{
    if (pthread_key_create(&tls_key, tls_free) != 0) {
        log_error("msg=\"nlp: pthread_key_create failed\"");
        abort();
    }
}

/* The calling thread's state, created on first use. Aborts if the stemmer or ICU cannot be
 * set up: that is out of memory or a broken install, like xmalloc's out of memory. */
static struct nlp_tls *tls_get(void)
{
    UErrorCode st = U_ZERO_ERROR;
    struct nlp_tls *t = tls_cur;

    if (t)
        return t;
    pthread_once(&tls_once, tls_make_key);
    t = xcalloc(1, sizeof(*t));
    t->stemmer = sb_stemmer_new("turkish", "UTF_8");
    t->casemap = ucasemap_open("tr", 0, &st);
    if (!t->stemmer || U_FAILURE(st)) {
        log_error("msg=\"nlp: cannot create the Turkish stemmer or case map\" icu=%s",
                  u_errorName(st));
        abort();
    }
    if (pthread_setspecific(tls_key, t) != 0) {
        log_error("msg=\"nlp: pthread_setspecific failed\"");
        abort();
    }
    tls_cur = t;
    return t;
}

void nlp_thread_cleanup(void)
{
    struct nlp_tls *t = tls_cur;

    if (!t)
        return;
    pthread_setspecific(tls_key, NULL);
    tls_free(t);
}

/* ---- UTF-8 ----------------------------------------------------------------------------- */

size_t nlp_utf8_char_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    size_t n;                      /* continuation bytes */

    if (c < 0x80)
        return c ? 1 : 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
    } else if (c == 0xE0) {
        n = 2;
        lo = 0xA0; /* no overlongs */
    } else if (c == 0xED) {
        n = 2;
        hi = 0x9F; /* no surrogates */
    } else if (c >= 0xE1 && c <= 0xEF) {
        n = 2;
    } else if (c == 0xF0) {
        n = 3;
        lo = 0x90; /* no overlongs */
    } else if (c >= 0xF1 && c <= 0xF3) {
        n = 3;
    } else if (c == 0xF4) {
        n = 3;
        hi = 0x8F; /* nothing past U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    if (avail <= n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k <= n; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    return n + 1;
}

bool nlp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        if (p[i] >= 0x80) {
            size_t n = nlp_utf8_char_len(p + i, len - i);
            if (!n)
                return false;
            i += n;
            continue;
        }
        if (!p[i])
            return false;
        i++;
        /* a run of ASCII, 8 bytes at a time: no high bit and no zero byte in the word */
        while (len - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ull) ||
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                break;
            i += 8;
        }
    }
    return true;
}

static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* ---- ICU helpers (slow paths) ------------------------------------------------------------ */

/* UTF-8 → UTF-16 in a malloc'd buffer (caller frees *out). 0 or -1. */
static int to_utf16(const char *s, size_t len, UChar **out, int32_t *out_len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;

    *out = NULL;
    u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return -1;
    *out = xmalloc(((size_t)n + 1) * sizeof(UChar));
    st = U_ZERO_ERROR;
    u_strFromUTF8(*out, n + 1, out_len, s, (int32_t)len, &st);
    if (U_FAILURE(st)) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* Append UTF-16 s[0..len) to out as UTF-8. 0 or -1. */
static int append_utf8(struct strbuf *out, const UChar *s, int32_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    char small[256];
    char *heap = NULL;
    int32_t n = 0;
    int rc = 0;

    u_strToUTF8(small, (int32_t)sizeof(small), &n, s, len, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        heap = xmalloc((size_t)n + 1);
        st = U_ZERO_ERROR;
        u_strToUTF8(heap, n + 1, &n, s, len, &st);
    }
    if (U_FAILURE(st)) {
        rc = -1;
        goto out;
    }
    strbuf_add(out, heap ? heap : small, (size_t)n);
out:
    free(heap);
    return rc;
}

/* Normalise src with norm into a malloc'd buffer (caller frees *out). 0 or -1. */
static int normalize(const UNormalizer2 *norm, const UChar *src, int32_t len, UChar **out,
                     int32_t *out_len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t cap = len + 16;

    *out = xmalloc((size_t)cap * sizeof(UChar));
    *out_len = unorm2_normalize(norm, src, len, *out, cap, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        cap = *out_len + 1;
        *out = xrealloc(*out, (size_t)cap * sizeof(UChar));
        st = U_ZERO_ERROR;
        *out_len = unorm2_normalize(norm, src, len, *out, cap, &st);
    }
    if (U_FAILURE(st)) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* Append the NFC form of valid UTF-8 s[0..len) to out. 0 or -1. */
static int nfc_append(struct strbuf *out, const char *s, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    UChar *u16 = NULL, *norm = NULL;
    int32_t n16 = 0, nn = 0;
    int rc = -1;

    if (U_FAILURE(st) || len >= ICU_MAX_BYTES)
        goto out;
    if (to_utf16(s, len, &u16, &n16) < 0 || normalize(nfc, u16, n16, &norm, &nn) < 0)
        goto out;
    rc = append_utf8(out, norm, nn);
out:
    free(u16);
    free(norm);
    return rc;
}

/* ---- lower ------------------------------------------------------------------------------- */

/* Append the Turkish lower-case of valid UTF-8 s[0..len) to out. 0 or -1 (too long, ICU). */
static int lower_append(struct strbuf *out, const char *s, size_t len, const UCaseMap *cm)
{
    UErrorCode st = U_ZERO_ERROR;
    char small[256];
    char *heap = NULL;
    int32_t n;
    int rc = 0;

    if (is_ascii(s, len)) {
        /* Same as ICU "tr" on ASCII: I → ı, other capitals → small. */
        size_t k = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (k + 2 > sizeof(small)) {
                strbuf_add(out, small, k);
                k = 0;
            }
            if (c == 'I') {
                small[k++] = (char)0xC4; /* ı */
                small[k++] = (char)0xB1;
            } else {
                small[k++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            }
        }
        strbuf_add(out, small, k);
        return 0;
    }
    if (len >= ICU_MAX_BYTES)
        return -1;
    n = ucasemap_utf8ToLower(cm, small, (int32_t)sizeof(small), s, (int32_t)len, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        heap = xmalloc((size_t)n + 1);
        st = U_ZERO_ERROR;
        n = ucasemap_utf8ToLower(cm, heap, n + 1, s, (int32_t)len, &st);
    }
    if (U_FAILURE(st)) {
        rc = -1;
        goto out;
    }
    strbuf_add(out, heap ? heap : small, (size_t)n);
out:
    free(heap);
    return rc;
}

char *nlp_lower(const char *s, size_t len, size_t *out_len)
{
    struct strbuf sb = STRBUF_INIT;

    if (len && !nlp_utf8_valid(s, len))
        return NULL;
    strbuf_init(&sb, 0);
    if (lower_append(&sb, s, len, tls_get()->casemap) < 0) {
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb, out_len);
}

/* ---- fold -------------------------------------------------------------------------------- */

/* The general fold of lower-cased s: NFD, ı → i, drop gc=Mn, NFC. 0 or -1. */
static int fold_slow_append(struct strbuf *out, const char *s, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    UChar *u16 = NULL, *dec = NULL, *comp = NULL;
    int32_t n16 = 0, nd = 0, nc = 0, k = 0;
    int rc = -1;

    if (U_FAILURE(st) || len >= ICU_MAX_BYTES)
        goto out;
    if (to_utf16(s, len, &u16, &n16) < 0 || normalize(nfd, u16, n16, &dec, &nd) < 0)
        goto out;
    for (int32_t i = 0; i < nd;) {
        UChar32 c;
        int32_t at = i;
        U16_NEXT(dec, i, nd, c);
        if (c == CP_DOTLESS_I) {
            dec[k++] = 'i';
        } else if (u_charType(c) != U_NON_SPACING_MARK) {
            while (at < i)
                dec[k++] = dec[at++];
        }
    }
    if (normalize(nfc, dec, k, &comp, &nc) < 0)
        goto out;
    rc = append_utf8(out, comp, nc);
out:
    free(u16);
    free(dec);
    free(comp);
    return rc;
}

/* Fold of one code point for the common letters, or -1 when the slow path is needed;
 * -2 means "drop". Must agree with fold_slow_append(). */
static int fold_cp(UChar32 c)
{
    switch (c) {
    case CP_DOTLESS_I:
    case CP_I_CIRCUMFLEX: return 'i';
    case CP_C_CEDILLA: return 'c';
    case CP_G_BREVE: return 'g';
    case CP_O_UMLAUT: return 'o';
    case CP_S_CEDILLA: return 's';
    case CP_U_UMLAUT:
    case CP_U_CIRCUMFLEX: return 'u';
    case CP_A_CIRCUMFLEX: return 'a';
    case CP_COMBINING_DOT: return -2;
    default: return -1;
    }
}

/* Append the fold of lower-cased valid UTF-8 s[0..len) to out. 0 or -1. */
static int fold_append(struct strbuf *out, const char *s, size_t len)
{
    char small[256];
    size_t k = 0, i = 0;
    size_t mark = out->len;

    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        UChar32 c;
        int f;

        if (k == sizeof(small)) {
            strbuf_add(out, small, k);
            k = 0;
        }
        if (b < 0x80) {
            small[k++] = (char)b;
            i++;
            continue;
        }
        U8_NEXT_UNSAFE(s, i, c);
        f = fold_cp(c);
        if (f == -1) {
            /* Something the table does not know: redo the whole string the general way. */
            out->len = mark;
            if (out->alloc)
                out->buf[mark] = '\0';
            return fold_slow_append(out, s, len);
        }
        if (f >= 0)
            small[k++] = (char)f;
    }
    strbuf_add(out, small, k);
    return 0;
}

char *nlp_fold(const char *s, size_t len, size_t *out_len)
{
    struct strbuf low = STRBUF_INIT, out = STRBUF_INIT;
    char *res = NULL;

    if (len && !nlp_utf8_valid(s, len))
        return NULL;
    strbuf_init(&low, 0);
    strbuf_init(&out, 0);
    if (lower_append(&low, s, len, tls_get()->casemap) < 0)
        goto out;
    if (fold_append(&out, low.buf, low.len) < 0)
        goto out;
    res = strbuf_detach(&out, out_len);
out:
    strbuf_release(&low);
    strbuf_release(&out);
    return res;
}

/* ---- colloquial spelling ------------------------------------------------------------------ */

static bool sfx(const char *w, size_t n, const char *suffix, size_t *stem_len)
{
    size_t k = strlen(suffix);
    if (n < k || memcmp(w + n - k, suffix, k) != 0)
        return false;
    *stem_len = n - k;
    return true;
}

/* Back vowel (a ı o u) at the end of w[0..n)? 1 back, 0 front, -1 no vowel. */
static int last_vowel_back(const char *w, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        unsigned char c = (unsigned char)w[i];
        if (c == 'a' || c == 'o' || c == 'u')
            return 1;
        if (c == 'e' || c == 'i')
            return 0;
        if (c == 0xb1 && i > 0 && (unsigned char)w[i - 1] == 0xc4) /* ı */
            return 1;
        if ((c == 0xb6 || c == 0xbc) && i > 0 && (unsigned char)w[i - 1] == 0xc3) /* ö ü */
            return 0;
    }
    return -1;
}

static bool is_ascii_consonant(unsigned char c)
{
    return c >= 'a' && c <= 'z' && !strchr("aeiou", c);
}

static size_t put(char *out, size_t outlen, const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen + blen + 1 > outlen)
        return 0;
    memcpy(out, a, alen);
    memcpy(out + alen, b, blen + 1);
    return alen + blen;
}

size_t nlp_colloquial(const char *w, size_t n, char *out, size_t outlen)
{
    /* whole words */
    /* clang-format off */
    static const char *const words[][2] = {
        { "bi", "bir" },           { "diil", "değil" },       { "diyil", "değil" },
        { "burda", "burada" },     { "orda", "orada" },       { "şurda", "şurada" },
        { "surda", "şurada" },     { "nerde", "nerede" },     { "herkez", "herkes" },
        { "yanlız", "yalnız" },    { "yanliz", "yalnız" },    { "şöle", "şöyle" },
        { "sole", "şöyle" },       { "böle", "böyle" },       { "bole", "böyle" },
        { "nası", "nasıl" },       { "nasi", "nasıl" },       { "tmm", "tamam" },
        { "lütfn", "lütfen" },     { "lutfn", "lütfen" },     { "lüften", "lütfen" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i][0]) == n && memcmp(w, words[i][0], n) == 0)
            return put(out, outlen, "", 0, words[i][1]);
    size_t st;
    /* present continuous without its r: gelmiyo → gelmiyor, yapıyolar → yapıyorlar */
    /* clang-format off */
    static const char *const yo[][2] = {
        { "yo", "yor" },     { "yom", "yorum" },   { "yon", "yorsun" },    { "yoz", "yoruz" },
        { "yolar", "yorlar" }, { "yoler", "yorlar" }, { "yonuz", "yorsunuz" }, { "yodu", "yordu" },
        { "yosun", "yorsun" }, { "yodum", "yordum" }, { "yomuş", "yormuş" }, { "yomus", "yormuş" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(yo) / sizeof(yo[0]); i++)
        if (sfx(w, n, yo[i][0], &st) && st >= 3) {
            unsigned char a = (unsigned char)w[st - 1], b = st >= 2 ? (unsigned char)w[st - 2] : 0;
            bool high =
                a == 'i' || a == 'u' || (b == 0xc4 && a == 0xb1) || (b == 0xc3 && a == 0xbc);
            if (high)
                return put(out, outlen, w, st, yo[i][1]);
        }
    /* spoken future: yapcam / yapıcam → yapacağım, gelcek → gelecek, gelcez → geleceğiz */
    /* clang-format off */
    static const char *const fut[][3] = {
        { "cam", "acağım", "eceğim" }, { "cem", "acağım", "eceğim" },
        { "caz", "acağız", "eceğiz" }, { "cez", "acağız", "eceğiz" },
        { "cak", "acak", "ecek" },     { "cek", "acak", "ecek" },
        { "can", "acaksın", "eceksin" }, { "cen", "acaksın", "eceksin" },
        { "caklar", "acaklar", "ecekler" }, { "cekler", "acaklar", "ecekler" },
    };
    static const char *const not_future[] = { "ancak", "gercek", "gerçek", "bacak", "kucak",
                                              "sucuk", "cicek", "böcek", "bocek", NULL };
    /* clang-format on */
    for (size_t i = 0; not_future[i]; i++)
        if (strlen(not_future[i]) == n && memcmp(w, not_future[i], n) == 0)
            return 0;
    for (size_t i = 0; i < sizeof(fut) / sizeof(fut[0]); i++) {
        if (!sfx(w, n, fut[i][0], &st) || st < 2)
            continue;
        size_t x = st;
        /* yapıcam, gidicem: drop the high vowel the speaker put in */
        if (x >= 4 && (w[x - 1] == 'i' || w[x - 1] == 'u') &&
            is_ascii_consonant((unsigned char)w[x - 2]))
            x--;
        else if (x >= 5 &&
                 (((unsigned char)w[x - 2] == 0xc4 && (unsigned char)w[x - 1] == 0xb1) ||
                  ((unsigned char)w[x - 2] == 0xc3 && (unsigned char)w[x - 1] == 0xbc)) &&
                 is_ascii_consonant((unsigned char)w[x - 3]))
            x -= 2;
        if (!is_ascii_consonant((unsigned char)w[x - 1]) || x < 2)
            continue;
        int back = last_vowel_back(w, x);
        if (back < 0)
            continue;
        return put(out, outlen, w, x, back ? fut[i][1] : fut[i][2]);
    }
    return 0;
}

/* ---- stem -------------------------------------------------------------------------------- */

static bool is_tr_vowel(UChar32 c)
{
    switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case CP_DOTLESS_I:
    case CP_O_UMLAUT:
    case CP_U_UMLAUT: return true;
    default: return false;
    }
}

/* Back and front forms of the vowels whose backness folding erases, else 0. */
static UChar32 vowel_form(UChar32 c, bool back)
{
    switch (c) {
    case 'i':
    case CP_DOTLESS_I: return back ? CP_DOTLESS_I : 'i';
    case 'o':
    case CP_O_UMLAUT: return back ? 'o' : CP_O_UMLAUT;
    case 'u':
    case CP_U_UMLAUT: return back ? 'u' : CP_U_UMLAUT;
    default: return 0;
    }
}

/*
 * Append to out the stemmer input for the lower-cased word s[0..len): see turkish.h. The
 * letters changed here are all merged by folding, so two spellings with the same fold get
 * the same stemmer input unless they differ in a/e or consonants other than g/ğ.
 * Returns false (out unchanged) when the word has too many code points to handle.
 */
static bool canon_append(struct strbuf *out, const char *s, size_t len)
{
    UChar32 cp[CANON_MAX_CP];
    signed char next_ae[CANON_MAX_CP]; /* backness of the nearest following a/e: 1, 0, -1 none */
    char enc[CANON_MAX_CP * U8_MAX_LENGTH];
    size_t n = 0, i = 0, o = 0;
    int prev_ae = -1, cur = -1;

    while (i < len) {
        UChar32 c;
        if (n == CANON_MAX_CP)
            return false;
        U8_NEXT_UNSAFE(s, i, c);
        if (c == CP_COMBINING_DOT)
            continue;
        if (c == CP_A_CIRCUMFLEX)
            c = 'a';
        else if (c == CP_I_CIRCUMFLEX)
            c = 'i';
        else if (c == CP_U_CIRCUMFLEX)
            c = 'u';
        cp[n++] = c;
    }
    for (size_t k = n; k-- > 0;) {
        next_ae[k] = (signed char)cur;
        if (cp[k] == 'a')
            cur = 1;
        else if (cp[k] == 'e')
            cur = 0;
    }
    for (size_t k = 0; k < n; k++) {
        UChar32 c = cp[k];
        if (vowel_form(c, false)) {
            int back = next_ae[k] >= 0 ? next_ae[k] : prev_ae >= 0 ? prev_ae : 0;
            cp[k] = vowel_form(c, back);
        } else if (c == 'a') {
            prev_ae = 1;
        } else if (c == 'e') {
            prev_ae = 0;
        }
    }
    for (size_t k = 0; k < n; k++) {
        UChar32 c = cp[k];
        if (c == 'g' && k > 0 && k + 1 < n && is_tr_vowel(cp[k - 1]) && is_tr_vowel(cp[k + 1]))
            c = CP_G_BREVE;
        U8_APPEND_UNSAFE(enc, o, c);
    }
    strbuf_add(out, enc, o);
    return true;
}

static bool has_tr_vowel(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        UChar32 c;
        U8_NEXT_UNSAFE(s, i, c);
        if (is_tr_vowel(c))
            return true;
    }
    return false;
}

/* ---- tokenize ---------------------------------------------------------------------------- */

static bool is_word_start(UChar32 c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return u_isalnum(c);
}

static bool is_word_cont(UChar32 c)
{
    if (c < 0x80)
        return is_word_start(c);
    return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

/* Scratch buffers of one nlp_tokenize() call, reused for every word. */
struct tok_bufs {
    struct strbuf low;   /* lower-cased word */
    struct strbuf nfc;   /* its NFC form, when it had combining marks */
    struct strbuf canon; /* stemmer input */
    struct strbuf word;  /* folded word, handed to the callback */
    struct strbuf stem;  /* folded stem, handed to the callback */
};

static bool has_mark(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        UChar32 c;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        U8_NEXT_UNSAFE(s, i, c);
        if (U_GET_GC_MASK(c) & U_GC_M_MASK)
            return true;
    }
    return false;
}

/* Append to b->stem the folded stem of the lower-cased word in b->low. Returns 1 when done,
 * 0 when the word is not to be stemmed (too many code points, or the stem has no vowel
 * left), -1 on an ICU failure. */
static int stem_append(struct tok_bufs *b, struct nlp_tls *t)
{
    const char *low = b->low.buf;
    size_t low_len = b->low.len;
    const sb_symbol *st;
    int st_len;

    if (has_mark(low, low_len)) {
        if (nfc_append(&b->nfc, low, low_len) < 0)
            return -1;
        low = b->nfc.buf;
        low_len = b->nfc.len;
    }
    if (!canon_append(&b->canon, low, low_len))
        return 0;
    st = sb_stemmer_stem(t->stemmer, (const sb_symbol *)b->canon.buf, (int)b->canon.len);
    if (!st) {
        log_error("msg=\"nlp: out of memory in the stemmer\"");
        abort();
    }
    st_len = sb_stemmer_length(t->stemmer);
    if (!has_tr_vowel((const char *)st, (size_t)st_len))
        return 0;
    return fold_append(&b->stem, (const char *)st, (size_t)st_len) < 0 ? -1 : 1;
}

/* Fill b->word and b->stem for the word s[0..len). 0 or -1. */
static int analyse_word(struct tok_bufs *b, struct nlp_tls *t, const char *s, size_t len,
                        unsigned flags)
{
    int r = 0;
    char coll[NLP_STEM_MAX_BYTES * 2];

    strbuf_reset(&b->low);
    strbuf_reset(&b->nfc);
    strbuf_reset(&b->canon);
    strbuf_reset(&b->word);
    strbuf_reset(&b->stem);
    if (lower_append(&b->low, s, len, t->casemap) < 0)
        return -1;
    if ((flags & NLP_COLLOQUIAL) && b->low.len <= NLP_STEM_MAX_BYTES) {
        size_t m = nlp_colloquial(b->low.buf, b->low.len, coll, sizeof(coll));
        if (m) {
            strbuf_reset(&b->low);
            strbuf_add(&b->low, coll, m);
        }
    }
    if (fold_append(&b->word, b->low.buf, b->low.len) < 0)
        return -1;
    if (len <= NLP_STEM_MAX_BYTES)
        r = stem_append(b, t);
    if (r < 0)
        return -1;
    if (r == 0)
        strbuf_add(&b->stem, b->word.buf, b->word.len); /* stem = whole word */
    return 0;
}

int nlp_tokenize(const char *s, size_t len, nlp_token_fn fn, void *ctx)
{
    return nlp_tokenize_ex(s, len, 0, fn, ctx);
}

/* The words of s[0..len) straight to fn, without the memo. */
static int tokenize_direct(const char *s, size_t len, unsigned flags, nlp_token_fn fn, void *ctx)
{
    struct tok_bufs b;
    struct nlp_tls *t;
    size_t i = 0;
    int rc = 0;

    if (len == 0)
        return 0;
    if (!nlp_utf8_valid(s, len))
        return -1;
    t = tls_get();
    strbuf_init(&b.low, 0);
    strbuf_init(&b.nfc, 0);
    strbuf_init(&b.canon, 0);
    strbuf_init(&b.word, 0);
    strbuf_init(&b.stem, 0);

    while (i < len) {
        size_t start = i, end;
        UChar32 c;

        U8_NEXT_UNSAFE(s, i, c);
        if (!is_word_start(c))
            continue;
        end = i;
        while (end < len) {
            size_t j = end;
            U8_NEXT_UNSAFE(s, j, c);
            if (!is_word_cont(c))
                break;
            end = j;
        }
        i = end;
        if (analyse_word(&b, t, s + start, end - start, flags) < 0) {
            rc = -1;
            goto out;
        }
        rc = fn(ctx, b.word.buf, b.word.len, b.stem.buf, b.stem.len, start, end);
        if (rc)
            goto out;
    }
out:
    strbuf_release(&b.low);
    strbuf_release(&b.nfc);
    strbuf_release(&b.canon);
    strbuf_release(&b.word);
    strbuf_release(&b.stem);
    return rc;
}

/* nlp_token_fn that records one word in the memo ctx. */
static int memo_add(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                    size_t start, size_t end)
{
    struct memo *m = ctx;
    if (m->n == m->alloc) {
        m->alloc = m->alloc ? 2 * m->alloc : 32;
        m->w = xrealloc(m->w, m->alloc * sizeof(*m->w));
    }
    struct memo_word *w = &m->w[m->n++];
    w->word = m->pool.len;
    w->wlen = wlen;
    if (wlen)
        strbuf_add(&m->pool, word, wlen);
    w->stem = m->pool.len;
    w->slen = slen;
    if (slen)
        strbuf_add(&m->pool, stem, slen);
    w->start = start;
    w->end = end;
    return 0;
}

/* Every word of s[0..len) into m, with the text; -1 as tokenize_direct. */
static int memo_fill(struct memo *m, const char *s, size_t len, unsigned flags)
{
    m->valid = false;
    m->n = 0;
    strbuf_reset(&m->text);
    strbuf_reset(&m->pool);
    int rc = tokenize_direct(s, len, flags, memo_add, m);
    if (rc == 0) {
        strbuf_add(&m->text, s, len);
        m->valid = true;
    }
    return rc;
}

int nlp_tokenize_ex(const char *s, size_t len, unsigned flags, nlp_token_fn fn, void *ctx)
{
    if (len == 0)
        return 0;
    if (len > MEMO_TEXT_MAX || flags >= MEMO_KINDS)
        return tokenize_direct(s, len, flags, fn, ctx);
    struct memo *m = &tls_get()->memo[flags];
    if (m->busy) /* fn of a replay tokenizes again (a query's words): not from this memo */
        return tokenize_direct(s, len, flags, fn, ctx);
    if ((!m->valid || m->text.len != len || memcmp(m->text.buf, s, len) != 0) &&
        memo_fill(m, s, len, flags) < 0)
        return -1;
    int rc = 0;
    m->busy = true;
    for (size_t i = 0; i < m->n && !rc; i++) {
        const struct memo_word *w = &m->w[i];
        rc = fn(ctx, m->pool.buf + w->word, w->wlen, m->pool.buf + w->stem, w->slen, w->start,
                w->end);
    }
    m->busy = false;
    return rc;
}
