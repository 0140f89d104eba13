#ifndef ALO_NLP_TURKISH_H
#define ALO_NLP_TURKISH_H
/*
 * Turkish text normalisation: the one routine shared by search (the FTS5 tokenizer),
 * the classifier, the repeat finder and everything else that reads Turkish.
 *
 *   lower  ICU's Turkish lower-case: "İSTANBUL" → "istanbul", "ILAÇLAMA" → "ılaçlama".
 *   fold   lower, then ı→i ç→c ğ→g ö→o ş→s ü→u (and â→a î→i û→u, other accents dropped),
 *          so "ILAÇLAMA", "ilaclama" and "İlaçlama" all become "ilaclama". Matching is done
 *          on this form; the properly cased text is kept for display.
 *   stem   Snowball's Turkish stemmer applied to the lower-cased word, then folded:
 *          "Çukurları" → "cukur", "cukurlar" → "cukur". Before stemming, the letters that
 *          folding merges anyway are re-chosen by Turkish phonology, so that "cukurlari",
 *          "çukurları" and "ÇUKURLARI" (ı from I) give the stemmer the same input: each of
 *          i/ı, o/ö, u/ü takes the backness of the nearest following a/e in the word, else the
 *          nearest preceding one, else the front form; a g between two vowels becomes ğ
 *          (Turkish has no native intervocalic g). This loses nothing that matching keeps
 *          (the stem is folded afterwards) and makes ASCII-typed and capital-I text stem like
 *          properly written text. A stem left without a vowel ("bına" → "p") is replaced by the
 *          whole word. Words over NLP_STEM_MAX_BYTES bytes are not stemmed (stem = word).
 *
 * All functions are thread-safe (the stemmer and ICU case map are per thread, created on
 * first use and freed when the thread exits, or earlier by nlp_thread_cleanup()). Input must
 * be valid UTF-8; functions return NULL / an error for invalid UTF-8 rather than guessing.
 */
#include <stdbool.h>
#include <stddef.h>

/* Longest word (in bytes of the original text) that nlp_tokenize() stems. */
#define NLP_STEM_MAX_BYTES 64

/* Is s[0..len) valid UTF-8 (no overlongs, no surrogates, no NUL bytes)? */
bool nlp_utf8_valid(const char *s, size_t len);
/* Bytes of the one well-formed UTF-8 character at p (avail bytes readable), the same rules as
 * nlp_utf8_valid; 0 when it is not one (or is NUL). */
size_t nlp_utf8_char_len(const unsigned char *p, size_t avail);

/* Turkish lower-case of s[0..len). Returns a malloc'd NUL-terminated string (caller frees),
 * its length in *out_len when non-NULL; NULL when s is not valid UTF-8 (or is 1 GiB or more,
 * past what ICU takes). */
char *nlp_lower(const char *s, size_t len, size_t *out_len);

/* Folded form of s[0..len) as described above: Turkish lower-case, ı→i, then every other
 * letter decomposed (canonical NFD), its non-spacing marks (gc=Mn) dropped and the rest
 * recomposed (NFC); so ç→c, ü→u, â→a, é→e, and "i̇" (i + U+0307) → "i". Digits, other
 * scripts and punctuation are kept. Caller frees; NULL on invalid UTF-8 (or 1 GiB or more). */
char *nlp_fold(const char *s, size_t len, size_t *out_len);

/* Called once per word of the text, in order. word is the folded word, stem its folded stem
 * (both borrowed, valid only during the call, not NUL-terminated); start/end are the
 * word's byte offsets in the original text. A non-zero return stops the walk and is
 * returned by nlp_tokenize. */
typedef int (*nlp_token_fn)(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                            size_t start, size_t end);

/* Split s[0..len) into words (letters and digits; apostrophes split "Kayseri'de" into
 * "kayseri" + "de"), and call fn for each. A word is a maximal run of code points that are
 * letters or decimal digits (ICU u_isalnum), plus any combining marks that follow one.
 * Returns 0, fn's non-zero value, or -1 on invalid UTF-8 (checked before fn is first called)
 * or on a word of 1 GiB or more. */
int nlp_tokenize(const char *s, size_t len, nlp_token_fn fn, void *ctx);

/* nlp_tokenize() with options: NLP_COLLOQUIAL rewrites each lower-cased word by
 * nlp_colloquial() before folding and stemming (the classifier uses it; search does not, so
 * its index keeps the words as written). */
#define NLP_COLLOQUIAL 1u
int nlp_tokenize_ex(const char *s, size_t len, unsigned flags, nlp_token_fn fn, void *ctx);

/* The written form of a colloquially spelt, lower-cased word w[0..n), into out (NUL-terminated):
 * the present continuous without its r ("gelmiyo" → "gelmiyor", "yapıyolar" → "yapıyorlar"),
 * the spoken future ("yapcam"/"yapıcam" → "yapacağım", "gelcek" → "gelecek", "gelcez" →
 * "geleceğiz"), and a few words ("bi" → "bir", "diil" → "değil", "burda" → "burada").
 * Returns the new length, or 0 when the word is already written form (or out is too small). */
size_t nlp_colloquial(const char *w, size_t n, char *out, size_t outlen);

/* Free the calling thread's stemmer and case map now instead of at thread exit (the main
 * thread's are never freed otherwise, as exit() runs no thread destructors). Safe to call any
 * time; the next nlp_ call on the thread creates them again. */
void nlp_thread_cleanup(void);

#endif
