/* Unit tests for nlp/turkish: UTF-8 validation, Turkish lower-case, fold, tokenizer, stems. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nlp/turkish.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static void check_lower(const char *in, const char *want)
{
    size_t n = 0;
    char *got = nlp_lower(in, strlen(in), &n);

    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(n, strlen(want));
    free(got);
}

static void check_fold(const char *in, const char *want)
{
    size_t n = 0;
    char *got = nlp_fold(in, strlen(in), &n);

    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(n, strlen(want));
    free(got);
}

/* Every token of a text as "word/stem@start-end " appended to a strbuf. */
static int collect(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                   size_t start, size_t end)
{
    struct strbuf *sb = ctx;

    strbuf_add(sb, word, wlen);
    strbuf_addch(sb, '/');
    strbuf_add(sb, stem, slen);
    strbuf_addf(sb, "@%zu-%zu ", start, end);
    return 0;
}

static void check_tokens(const char *in, const char *want)
{
    struct strbuf sb = STRBUF_INIT;

    strbuf_init(&sb, 0);
    assert_int_equal(nlp_tokenize(in, strlen(in), collect, &sb), 0);
    assert_string_equal(sb.buf, want);
    strbuf_release(&sb);
}

struct one_word {
    int count;      /* words seen */
    char word[256]; /* folded word of the last one */
    char stem[256]; /* folded stem of the last one */
};

static int keep_last(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                     size_t start, size_t end)
{
    struct one_word *w = ctx;

    (void)start;
    (void)end;
    w->count++;
    snprintf(w->word, sizeof(w->word), "%.*s", (int)wlen, word);
    snprintf(w->stem, sizeof(w->stem), "%.*s", (int)slen, stem);
    return 0;
}

/* The folded stem of a one-word text. */
static void check_stem(const char *in, const char *want)
{
    struct one_word w = { 0 };

    assert_int_equal(nlp_tokenize(in, strlen(in), keep_last, &w), 0);
    assert_int_equal(w.count, 1);
    if (strcmp(w.stem, want) != 0)
        print_error("stem of \"%s\": got \"%s\", want \"%s\"\n", in, w.stem, want);
    assert_string_equal(w.stem, want);
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(nlp_utf8_valid("", 0));
    assert_true(nlp_utf8_valid("abc", 3));
    assert_true(nlp_utf8_valid("İstanbul çöp ışık", strlen("İstanbul çöp ışık")));
    assert_true(nlp_utf8_valid("\xE2\x82\xAC", 3));     /* € */
    assert_true(nlp_utf8_valid("\xF0\x9F\x98\x80", 4)); /* 😀 */
    assert_true(nlp_utf8_valid("\xF4\x8F\xBF\xBF", 4)); /* U+10FFFF */
    assert_true(nlp_utf8_valid("\xED\x9F\xBF", 3));     /* U+D7FF, just below surrogates */

    assert_false(nlp_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(nlp_utf8_valid("\xC1\xBF", 2));         /* overlong */
    assert_false(nlp_utf8_valid("\xE0\x80\xAF", 3));     /* overlong, 3 bytes */
    assert_false(nlp_utf8_valid("\xF0\x80\x80\xAF", 4)); /* overlong, 4 bytes */
    assert_false(nlp_utf8_valid("\x80", 1));             /* lone continuation */
    assert_false(nlp_utf8_valid("a\xBF"
                                "b",
                                3));             /* lone continuation inside */
    assert_false(nlp_utf8_valid("\xC3", 1));     /* truncated */
    assert_false(nlp_utf8_valid("\xE2\x82", 2)); /* truncated */
    assert_false(nlp_utf8_valid("\xC3"
                                "a",
                                2));                     /* bad continuation */
    assert_false(nlp_utf8_valid("\xED\xA0\x80", 3));     /* surrogate U+D800 */
    assert_false(nlp_utf8_valid("\xED\xBF\xBF", 3));     /* surrogate U+DFFF */
    assert_false(nlp_utf8_valid("\xF4\x90\x80\x80", 4)); /* U+110000 */
    assert_false(nlp_utf8_valid("\xF5\x80\x80\x80", 4)); /* F5 lead */
    assert_false(nlp_utf8_valid("\xFF", 1));
    assert_false(nlp_utf8_valid("a\0b", 3)); /* NUL */
}

static void test_invalid_rejected(void **state)
{
    static const char *bad[] = { "\xC0\xAF", "\x80", "ab\xE2\x82", "\xED\xA0\x80" };
    struct one_word w = { 0 };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t n = 99;
        assert_null(nlp_lower(bad[i], strlen(bad[i]), &n));
        assert_null(nlp_fold(bad[i], strlen(bad[i]), &n));
        assert_int_equal(nlp_tokenize(bad[i], strlen(bad[i]), keep_last, &w), -1);
    }
    /* Invalid bytes after good words: nothing is emitted before the error. */
    assert_int_equal(nlp_tokenize("çukur var \xC3", strlen("çukur var \xC3"), keep_last, &w), -1);
    assert_int_equal(w.count, 0);
}

/* ---- lower / fold ------------------------------------------------------------------------- */

static void test_lower(void **state)
{
    (void)state;
    check_lower("İSTANBUL", "istanbul");
    check_lower("ILAÇLAMA", "ılaçlama");
    check_lower("IŞIK", "ışık");
    /* all-ASCII input takes a fast path that must agree with ICU's "tr": I is dotless ı */
    check_lower("ISIK", "ısık");
    check_lower("KAYSERI BINASI", "kayserı bınası");
    check_lower("Ii", "ıi");
    check_lower("ÇÖĞÜŞ", "çöğüş");
    check_lower("Kayseri'de ÇUKUR var!", "kayseri'de çukur var!");
    check_lower("I\xCC\x87", "i"); /* I + combining dot above is İ in Turkish */
    check_lower("", "");
    check_lower("ПРИВЕТ 123", "привет 123");

    /* A long input crosses the stack buffers on both paths. */
    char big[1200], want[1200];
    memset(big, 'A', 999);
    big[999] = '\0';
    memset(want, 'a', 999);
    want[999] = '\0';
    check_lower(big, want);
    for (size_t i = 0; i + 2 <= 1000; i += 2) {
        big[i] = (char)0xC3; /* Ç */
        big[i + 1] = (char)0x87;
        want[i] = (char)0xC3; /* ç */
        want[i + 1] = (char)0xA7;
    }
    big[1000] = want[1000] = '\0';
    check_lower(big, want);
}

static void test_fold(void **state)
{
    (void)state;
    check_fold("ILAÇLAMA", "ilaclama");
    check_fold("ilaclama", "ilaclama");
    check_fold("İlaçlama", "ilaclama");
    check_fold("ilaçlama", "ilaclama");
    check_fold("ÇUKUR", "cukur");
    check_fold("IŞIK", "isik");
    check_fold("ışık", "isik");
    check_fold("isik", "isik");
    check_fold("ÖĞÜŞ", "ogus");
    check_fold("Kâğıt", "kagit");
    check_fold("îmân ûmit", "iman umit");
    check_fold("i\xCC\x87stanbul", "istanbul"); /* i + combining dot above */
    check_fold("İSTANBUL", "istanbul");
    check_fold("Café Noël", "cafe noel"); /* slow path: other accents */
    check_fold("c\xCC\xA7op", "cop");     /* decomposed ç */
    check_fold("ışık café", "isik cafe"); /* mixed: Turkish + slow path */
    check_fold("Kayseri'de 34 çukur!", "kayseri'de 34 cukur!");
    check_fold("한국 東京", "한국 東京"); /* no marks: recomposed unchanged */
    check_fold("", "");
}

/* ---- tokenize ----------------------------------------------------------------------------- */

static void test_tokenize_split(void **state)
{
    (void)state;
    /* "Kayseri'de çukur var!" → 4 words; ç is 2 bytes, so byte offsets are checked too. */
    check_tokens("Kayseri'de çukur var!", "kayseri/kayser@0-7 de/de@8-10 cukur/cukur@11-17 "
                                          "var/var@18-21 ");
    /* Typographic apostrophe, punctuation, digits, several spaces. */
    check_tokens("Ankara’da  2 ağaç,devrildi.", "ankara/ankar@0-6 da/da@9-11 2/2@13-14 "
                                                "agac/agac@15-21 devrildi/devril@22-30 ");
    check_tokens("", "");
    check_tokens(" ,.!? ’' ", "");
    /* Combining marks stay in the word (and are folded away). */
    check_tokens("i\xCC\x87stanbul x", "istanbul/istanbul@0-10 x/x@11-12 ");
}

static void test_tokenize_count(void **state)
{
    struct one_word w = { 0 };

    (void)state;
    assert_int_equal(
        nlp_tokenize("Kayseri'de çukur var!", strlen("Kayseri'de çukur var!"), keep_last, &w), 0);
    assert_int_equal(w.count, 4);
    assert_string_equal(w.word, "var");
}

static int stop_at_second(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                          size_t start, size_t end)
{
    int *n = ctx;

    (void)word;
    (void)wlen;
    (void)stem;
    (void)slen;
    (void)start;
    (void)end;
    return ++*n == 2 ? 42 : 0;
}

static void test_tokenize_stop(void **state)
{
    int n = 0;

    (void)state;
    assert_int_equal(nlp_tokenize("bir iki üç", strlen("bir iki üç"), stop_at_second, &n), 42);
    assert_int_equal(n, 2);
}

/* A callback that tokenizes another text for each word (as a search query's words are
 * stemmed again): the outer walk must go on with its own words. */
static int nested(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                  size_t start, size_t end)
{
    struct strbuf *sb = ctx;
    struct one_word inner = { 0 };

    assert_int_equal(nlp_tokenize(word, wlen, keep_last, &inner), 0);
    assert_int_equal(inner.count, 1);
    return collect(sb, word, wlen, stem, slen, start, end);
}

/* The same text twice (the second time replayed from the thread's last tokenization), other
 * texts in between, the colloquial kind alternating, a stop and a nested walk. */
static void test_tokenize_again(void **state)
{
    static const char a[] = "Kayseri'de çukur var!", b[] = "gelmiyo otobüs";
    static const char want_a[] = "kayseri/kayser@0-7 de/de@8-10 cukur/cukur@11-17 var/var@18-21 ";
    struct strbuf sb = STRBUF_INIT, col = STRBUF_INIT;
    int n = 0;

    (void)state;
    for (int round = 0; round < 3; round++) {
        check_tokens(a, want_a);
        strbuf_reset(&col);
        assert_int_equal(nlp_tokenize_ex(b, strlen(b), NLP_COLLOQUIAL, collect, &col), 0);
        assert_non_null(strstr(col.buf, "gelmiyor"));
        check_tokens(a, want_a);
        n = 0;
        assert_int_equal(nlp_tokenize(a, strlen(a), stop_at_second, &n), 42);
        assert_int_equal(n, 2);
        strbuf_reset(&sb);
        assert_int_equal(nlp_tokenize(a, strlen(a), nested, &sb), 0);
        assert_string_equal(sb.buf, want_a);
        check_tokens("bir iki", "bir/bir@0-3 iki/ik@4-7 ");
    }
    /* a text that differs only at its end is not taken for the last one */
    check_tokens("Kayseri'de çukur vaz!", "kayseri/kayser@0-7 de/de@8-10 cukur/cukur@11-17 "
                                          "vaz/vaz@18-21 ");
    assert_int_equal(nlp_tokenize("a\xff", 2, collect, &sb), -1);
    strbuf_release(&sb);
    strbuf_release(&col);
}

static void test_long_word_not_stemmed(void **state)
{
    char word[200];
    struct one_word w = { 0 };

    (void)state;
    /* 30 × "çu" = 90 bytes: over NLP_STEM_MAX_BYTES, so stem = folded word. */
    size_t k = 0;
    for (int i = 0; i < 30; i++) {
        memcpy(word + k, "çu", 3);
        k += 3;
    }
    memcpy(word + k, "lar", 4);
    assert_true(k > NLP_STEM_MAX_BYTES);
    assert_int_equal(nlp_tokenize(word, strlen(word), keep_last, &w), 0);
    assert_int_equal(w.count, 1);
    assert_int_equal(strlen(w.word), 30 * 2 + 3);
    assert_string_equal(w.word, w.stem);
    assert_int_equal(strncmp(w.word, "cucu", 4), 0);
}

/* ---- stems -------------------------------------------------------------------------------- */

static void test_stem_cukur(void **state)
{
    (void)state;
    check_stem("çukurlar", "cukur");
    check_stem("Çukuru", "cukur");
    check_stem("ÇUKUR", "cukur");
    check_stem("cukur", "cukur");
    check_stem("çukurları", "cukur");
    check_stem("ÇUKURLAR", "cukur");
    /* ASCII-typed: plain Snowball keeps "cukurlari" whole; the vowel harmony pass fixes it. */
    check_stem("cukurlari", "cukur");
    check_stem("ÇUKURLARI", "cukur");
}

static void test_stem_groups_agree(void **state)
{
    (void)state;
    /* Snowball: "ilaçlama" → "ilaçla", "ılaçlama" (from ILAÇLAMA) → "ılaçla". */
    check_stem("ilaçlama", "ilacla");
    check_stem("ILAÇLAMA", "ilacla");
    check_stem("ilaclama", "ilacla");
    check_stem("İlaçlama", "ilacla");
    /* Snowball leaves these whole. */
    check_stem("ışık", "isik");
    check_stem("IŞIK", "isik");
    check_stem("isik", "isik");
    /* Inflected forms typed without Turkish letters reach the same stems. */
    check_stem("ışıkları", "isik");
    check_stem("isiklari", "isik");
    check_stem("IŞIKLARI", "isik");
    check_stem("ağaçları", "agac");
    check_stem("agaclari", "agac");
    check_stem("evleri", "ev");
    check_stem("EVLERI", "ev"); /* capital I for İ: "evlerı" without the harmony pass */
    check_stem("sokağı", "sokak");
    check_stem("sokagi", "sokak"); /* intervocalic g read as ğ */
    check_stem("köpekler", "kopek");
    check_stem("kopekler", "kopek");
    check_stem("otobüsler", "otobus");
    check_stem("otobusler", "otobus");
    check_stem("çöpleri", "cop");
    check_stem("copleri", "cop");
}

static void test_stem_guards(void **state)
{
    (void)state;
    /* Snowball takes "bına" (BINA lower-cased) to "p"; a stem without a vowel is refused. */
    check_stem("BINA", "bina");
    check_stem("bina", "bina");
    check_stem("binalar", "bina");
    check_stem("2024", "2024");
    check_stem("ПРИВЕТ", "привет");
}

/* ---- threads ------------------------------------------------------------------------------ */

static void *thread_body(void *arg)
{
    struct one_word w;
    const char *text = "Sokaklarda büyük ÇUKURLAR var, ILAÇLAMA yapılmadı";
    long bad = 0;

    (void)arg;
    for (int i = 0; i < 300; i++) {
        memset(&w, 0, sizeof(w));
        if (nlp_tokenize(text, strlen(text), keep_last, &w) != 0 || w.count != 6 ||
            strcmp(w.stem, "yapilmadi") != 0)
            bad++;
    }
    return (void *)bad;
}

/* Each thread gets its own stemmer (freed by the key destructor at thread exit). */
static void test_threads(void **state)
{
    pthread_t th[4];

    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_body, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *ret = NULL;
        assert_int_equal(pthread_join(th[i], &ret), 0);
        assert_int_equal((long)ret, 0);
    }
}

static void test_cleanup_and_reuse(void **state)
{
    (void)state;
    check_stem("çukurlar", "cukur");
    nlp_thread_cleanup();
    nlp_thread_cleanup(); /* twice is harmless */
    check_stem("çukurlar", "cukur");
    check_fold("IŞIK", "isik");
}

/* Colloquial spellings: each rule of nlp_colloquial() has a case (fails without the rule), and
 * written-form words that look like them are left alone. */
static void check_coll(const char *in, const char *want)
{
    char out[128];
    size_t n = nlp_colloquial(in, strlen(in), out, sizeof(out));
    if (!want) {
        if (n != 0)
            fail_msg("\"%s\" should stay, got \"%s\"", in, out);
        return;
    }
    if (n == 0 || strcmp(out, want) != 0)
        fail_msg("\"%s\": want \"%s\", got \"%s\"", in, want, n ? out : "(unchanged)");
    assert_int_equal(n, strlen(want));
}

static void test_colloquial(void **state)
{
    (void)state;
    /* present continuous without its r, with and without Turkish letters, and person endings */
    check_coll("gelmiyo", "gelmiyor");
    check_coll("yapıyo", "yapıyor");
    check_coll("yapiyo", "yapiyor");
    check_coll("söylüyo", "söylüyor");
    check_coll("oturuyo", "oturuyor");
    check_coll("gidiyom", "gidiyorum");
    check_coll("yapıyolar", "yapıyorlar");
    check_coll("bekliyoz", "bekliyoruz");
    check_coll("biliyonuz", "biliyorsunuz");
    /* the spoken future */
    check_coll("yapcam", "yapacağım");
    check_coll("yapıcam", "yapacağım");
    check_coll("gidicem", "gideceğim");
    check_coll("gelcek", "gelecek");
    check_coll("gelcez", "geleceğiz");
    check_coll("olcak", "olacak");
    check_coll("soracaktım", NULL); /* already written form */
    /* words */
    check_coll("bi", "bir");
    check_coll("diil", "değil");
    check_coll("burda", "burada");
    check_coll("nerde", "nerede");
    check_coll("herkez", "herkes");
    /* look-alikes that are written form */
    check_coll("ancak", NULL);
    check_coll("gercek", NULL);
    check_coll("radyo", NULL);
    check_coll("sıcak", NULL);
    check_coll("gelecek", NULL);
    check_coll("yapıyor", NULL);
    check_coll("cam", NULL);
    char small[4];
    assert_int_equal(nlp_colloquial("gelmiyo", 7, small, sizeof(small)), 0); /* no room */
}

/* The tokenizer applies the rules only when asked (search keeps words as written). */
struct one_stem {
    char stem[64];
    char word[64];
};

static int first_token(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                       size_t start, size_t end)
{
    struct one_stem *o = ctx;
    (void)start;
    (void)end;
    snprintf(o->word, sizeof(o->word), "%.*s", (int)wlen, word);
    snprintf(o->stem, sizeof(o->stem), "%.*s", (int)slen, stem);
    return 1;
}

static void test_tokenize_colloquial(void **state)
{
    struct one_stem a = { 0 }, b = { 0 }, c = { 0 };
    (void)state;
    assert_int_equal(nlp_tokenize_ex("GELMİYO", 8, NLP_COLLOQUIAL, first_token, &a), 1);
    assert_string_equal(a.word, "gelmiyor");
    assert_int_equal(nlp_tokenize_ex("gelmiyor", 8, 0, first_token, &b), 1);
    assert_string_equal(a.stem, b.stem); /* same stem as the written form */
    assert_int_equal(nlp_tokenize("gelmiyo", 7, first_token, &c), 1);
    assert_string_equal(c.word, "gelmiyo"); /* plain tokenizing is unchanged */
}

static int group_teardown(void **state)
{
    (void)state;
    nlp_thread_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_invalid_rejected),
        cmocka_unit_test(test_lower),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_tokenize_split),
        cmocka_unit_test(test_tokenize_count),
        cmocka_unit_test(test_tokenize_stop),
        cmocka_unit_test(test_tokenize_again),
        cmocka_unit_test(test_long_word_not_stemmed),
        cmocka_unit_test(test_stem_cukur),
        cmocka_unit_test(test_stem_groups_agree),
        cmocka_unit_test(test_stem_guards),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_cleanup_and_reuse),
        cmocka_unit_test(test_colloquial),
        cmocka_unit_test(test_tokenize_colloquial),
    };

    return cmocka_run_group_tests(tests, NULL, group_teardown);
}
