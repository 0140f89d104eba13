/* report/tr_format: Turkish and English numbers, percentages, words-and-digits, and the
 * suffixes after numbers (vowel harmony by the last spoken word). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "report/tr_format.h"

#define TR TR_LANG_TR
#define EN TR_LANG_EN

static void test_int(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(tr_int(b, sizeof b, 1059219, TR), "1.059.219");
    assert_string_equal(tr_int(b, sizeof b, 1059219, EN), "1,059,219");
    assert_string_equal(tr_int(b, sizeof b, 0, TR), "0");
    assert_string_equal(tr_int(b, sizeof b, 999, TR), "999");
    assert_string_equal(tr_int(b, sizeof b, 1000, TR), "1.000");
    assert_string_equal(tr_int(b, sizeof b, 100000, TR), "100.000");
    assert_string_equal(tr_int(b, sizeof b, -279412, TR), "-279.412");
    assert_string_equal(tr_int(b, sizeof b, INT64_MIN, TR), "-9.223.372.036.854.775.808");
    assert_string_equal(tr_int(b, 6, 1059219, TR), "1.059"); /* cut, NUL-terminated */
}

static void test_num(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(tr_num(b, sizeof b, 12.5, 1, TR), "12,5");
    assert_string_equal(tr_num(b, sizeof b, 12.5, 1, EN), "12.5");
    assert_string_equal(tr_num(b, sizeof b, 1234.25, 2, TR), "1.234,25");
    assert_string_equal(tr_num(b, sizeof b, 1234.25, 2, EN), "1,234.25");
    assert_string_equal(tr_num(b, sizeof b, 3.0, 1, TR), "3,0"); /* fixed decimals */
    assert_string_equal(tr_num(b, sizeof b, -0.04, 1, TR), "0,0");
    assert_string_equal(tr_num(b, sizeof b, -2.25, 1, TR),
                        "-2,2"); /* an exact tie: printf's round-half-even */
    assert_string_equal(tr_num(b, sizeof b, 7, 0, TR), "7");
    assert_string_equal(tr_num(b, sizeof b, NAN, 1, TR), "");
}

static void test_pct(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(tr_pct(b, sizeof b, 0.9396, TR), "%93,96");
    assert_string_equal(tr_pct(b, sizeof b, 0.9396, EN), "93.96%");
    assert_string_equal(tr_pct(b, sizeof b, 0.90, TR), "%90");
    assert_string_equal(tr_pct(b, sizeof b, 0.92, TR), "%92");
    assert_string_equal(tr_pct(b, sizeof b, 0.925, TR), "%92,5");
    assert_string_equal(tr_pct(b, sizeof b, 0.92501, TR), "%92,5");
    assert_string_equal(tr_pct(b, sizeof b, 0.93956, TR), "%93,96");
    assert_string_equal(tr_pct(b, sizeof b, 0.0, TR), "%0");
    assert_string_equal(tr_pct(b, sizeof b, 1.0, TR), "%100");
    assert_string_equal(tr_pct(b, sizeof b, 12.5, TR), "%1.250");
    assert_string_equal(tr_pct(b, sizeof b, 0.00001, TR), "%0");
    assert_string_equal(tr_pct(b, sizeof b, -0.05, TR), "%-5");
    assert_string_equal(tr_pct(b, sizeof b, NAN, TR), "");
}

static void test_words(void **state)
{
    (void)state;
    char b[96];
    assert_string_equal(tr_words(b, sizeof b, 1059219, TR), "1 milyon 59 bin 219");
    assert_string_equal(tr_words(b, sizeof b, 1193060, TR), "1 milyon 193 bin 60");
    assert_string_equal(tr_words(b, sizeof b, 612695, TR), "612 bin 695");
    assert_string_equal(tr_words(b, sizeof b, 446524, TR), "446 bin 524");
    assert_string_equal(tr_words(b, sizeof b, 63836, TR), "63 bin 836");
    assert_string_equal(tr_words(b, sizeof b, 2000000, TR), "2 milyon");
    assert_string_equal(tr_words(b, sizeof b, 1000500, TR), "1 milyon 500");
    assert_string_equal(tr_words(b, sizeof b, 3000000001LL, TR), "3 milyar 1");
    assert_string_equal(tr_words(b, sizeof b, 10000, TR), "10 bin");
    assert_string_equal(tr_words(b, sizeof b, 9876, TR), "9.876");
    assert_string_equal(tr_words(b, sizeof b, 0, TR), "0");
    assert_string_equal(tr_words(b, sizeof b, -279412, TR), "-279 bin 412");
    assert_string_equal(tr_words(b, sizeof b, 1059219, EN), "1,059,219");
}

static void test_approx(void **state)
{
    (void)state;
    char b[64];
    bool r = false;
    assert_string_equal(tr_approx(b, sizeof b, 279412, TR, &r), "279 bin");
    assert_true(r);
    assert_string_equal(tr_approx(b, sizeof b, 279000, TR, &r), "279 bin");
    assert_false(r);
    assert_string_equal(tr_approx(b, sizeof b, 278600, TR, &r), "279 bin");
    assert_string_equal(tr_approx(b, sizeof b, -279412, TR, &r), "-279 bin");
    assert_string_equal(tr_approx(b, sizeof b, 999, TR, &r), "999");
    assert_false(r);
    assert_string_equal(tr_approx(b, sizeof b, 999600, TR, &r), "1 milyon");
    assert_string_equal(tr_approx(b, sizeof b, 1059219, TR, &r), "1,1 milyon");
    assert_true(r);
    assert_string_equal(tr_approx(b, sizeof b, 1059219, EN, &r), "1.1 million");
    assert_string_equal(tr_approx(b, sizeof b, 279412, EN, &r), "279 thousand");
    assert_string_equal(tr_approx(b, sizeof b, 2500000000LL, TR, &r), "2,5 milyar");
    assert_string_equal(tr_approx(b, sizeof b, 1500, TR, NULL), "2 bin");
}

static void test_last_word(void **state)
{
    (void)state;
    assert_string_equal(tr_last_word("92"), "iki");
    assert_string_equal(tr_last_word("%93,96"), "altı");
    assert_string_equal(tr_last_word("%90"), "doksan");
    assert_string_equal(tr_last_word("612 bin 695"), "beş");
    assert_string_equal(tr_last_word("1 milyon 59 bin 219"), "dokuz");
    assert_string_equal(tr_last_word("279 bin"), "bin");
    assert_string_equal(tr_last_word("1 milyon"), "milyon");
    assert_string_equal(tr_last_word("1.000"), "bin");
    assert_string_equal(tr_last_word("1.000.000"), "milyon");
    assert_string_equal(tr_last_word("2.000.000.000"), "milyar");
    assert_string_equal(tr_last_word("100"), "yüz");
    assert_string_equal(tr_last_word("2025"), "beş");
    assert_string_equal(tr_last_word("2024"), "dört");
    assert_string_equal(tr_last_word("2030"), "otuz");
    assert_string_equal(tr_last_word("0"), "sıfır");
    assert_string_equal(tr_last_word("12,05"), "beş");
    assert_string_equal(tr_last_word("12,50"), "elli");
    assert_string_equal(tr_last_word("12,00"), "sıfır");
    assert_string_equal(tr_last_word("1,1 milyon"), "milyon");
    assert_null(tr_last_word("çağrı"));
    assert_null(tr_last_word(""));
}

/* the suffix of each number word in each case, against Turkish spelling (TDK) */
static void test_suffix_table(void **state)
{
    (void)state;
    /* clang-format off */
    static const struct { const char *w, *acc, *dat, *loc, *abl, *gen, *ins, *lik; } t[] = {
        { "sıfır", "ı",  "a",  "da", "dan", "ın",  "la",  "lık" },
        { "bir",   "i",  "e",  "de", "den", "in",  "le",  "lik" },
        { "iki",   "yi", "ye", "de", "den", "nin", "yle", "lik" },
        { "üç",    "ü",  "e",  "te", "ten", "ün",  "le",  "lük" },
        { "dört",  "ü",  "e",  "te", "ten", "ün",  "le",  "lük" },
        { "beş",   "i",  "e",  "te", "ten", "in",  "le",  "lik" },
        { "altı",  "yı", "ya", "da", "dan", "nın", "yla", "lık" },
        { "yedi",  "yi", "ye", "de", "den", "nin", "yle", "lik" },
        { "sekiz", "i",  "e",  "de", "den", "in",  "le",  "lik" },
        { "dokuz", "u",  "a",  "da", "dan", "un",  "la",  "luk" },
        { "on",    "u",  "a",  "da", "dan", "un",  "la",  "luk" },
        { "yirmi", "yi", "ye", "de", "den", "nin", "yle", "lik" },
        { "otuz",  "u",  "a",  "da", "dan", "un",  "la",  "luk" },
        { "kırk",  "ı",  "a",  "ta", "tan", "ın",  "la",  "lık" },
        { "elli",  "yi", "ye", "de", "den", "nin", "yle", "lik" },
        { "altmış","ı",  "a",  "ta", "tan", "ın",  "la",  "lık" },
        { "yetmiş","i",  "e",  "te", "ten", "in",  "le",  "lik" },
        { "seksen","i",  "e",  "de", "den", "in",  "le",  "lik" },
        { "doksan","ı",  "a",  "da", "dan", "ın",  "la",  "lık" },
        { "yüz",   "ü",  "e",  "de", "den", "ün",  "le",  "lük" },
        { "bin",   "i",  "e",  "de", "den", "in",  "le",  "lik" },
        { "milyon","u",  "a",  "da", "dan", "un",  "la",  "luk" },
        { "milyar","ı",  "a",  "da", "dan", "ın",  "la",  "lık" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_string_equal(tr_suffix(t[i].w, TR_ACC), t[i].acc);
        assert_string_equal(tr_suffix(t[i].w, TR_DAT), t[i].dat);
        assert_string_equal(tr_suffix(t[i].w, TR_LOC), t[i].loc);
        assert_string_equal(tr_suffix(t[i].w, TR_ABL), t[i].abl);
        assert_string_equal(tr_suffix(t[i].w, TR_GEN), t[i].gen);
        assert_string_equal(tr_suffix(t[i].w, TR_INS), t[i].ins);
        assert_string_equal(tr_suffix(t[i].w, TR_LIK), t[i].lik);
        /* possessive = accusative after a consonant, s- instead of y- after a vowel */
        char poss[8];
        const char *a = t[i].acc;
        if (a[0] == 'y') {
            poss[0] = 's';
            strncpy(poss + 1, a + 1, sizeof poss - 1);
            poss[sizeof poss - 1] = '\0';
        } else {
            strncpy(poss, a, sizeof poss);
            poss[sizeof poss - 1] = '\0';
        }
        assert_string_equal(tr_suffix(t[i].w, TR_POSS), poss);
    }
    assert_null(tr_suffix("çağrı", TR_ACC));
    assert_null(tr_suffix(NULL, TR_ACC));
}

static void test_add_suffix(void **state)
{
    (void)state;
    char b[96];
    assert_string_equal(tr_add_suffix(b, sizeof b, "%92", TR_ABL), "%92'den");
    assert_string_equal(tr_add_suffix(b, sizeof b, "%93,96", TR_DAT), "%93,96'ya");
    assert_string_equal(tr_add_suffix(b, sizeof b, "612 bin 695", TR_ACC), "612 bin 695'i");
    assert_string_equal(tr_add_suffix(b, sizeof b, "446 bin 524", TR_ACC), "446 bin 524'ü");
    assert_string_equal(tr_add_suffix(b, sizeof b, "279 bin", TR_LIK), "279 binlik");
    assert_string_equal(tr_add_suffix(b, sizeof b, "1,1 milyon", TR_LIK), "1,1 milyonluk");
    assert_string_equal(tr_add_suffix(b, sizeof b, "2025", TR_LOC), "2025'te");
    assert_string_equal(tr_add_suffix(b, sizeof b, "2024", TR_DAT), "2024'e");
    assert_string_equal(tr_add_suffix(b, sizeof b, "2026", TR_LOC), "2026'da");
    assert_string_equal(tr_add_suffix(b, sizeof b, "2030", TR_LOC), "2030'da");
    assert_string_equal(tr_add_suffix(b, sizeof b, "2040", TR_LOC), "2040'ta");
    assert_string_equal(tr_add_suffix(b, sizeof b, "%90", TR_ACC), "%90'ı");
    assert_string_equal(tr_add_suffix(b, sizeof b, "%100", TR_DAT), "%100'e");
    assert_string_equal(tr_add_suffix(b, sizeof b, "%60", TR_ABL), "%60'tan");
    assert_string_equal(tr_add_suffix(b, sizeof b, "1.000", TR_ACC), "1.000'i");
    assert_string_equal(tr_add_suffix(b, sizeof b, "63 bin 836", TR_ACC), "63 bin 836'yı");
    assert_string_equal(tr_add_suffix(b, sizeof b, "63 bin 836", TR_POSS), "63 bin 836'sı");
    assert_string_equal(tr_add_suffix(b, sizeof b, "612 bin 695", TR_POSS), "612 bin 695'i");
    assert_string_equal(tr_add_suffix(b, sizeof b, "446 bin 524", TR_POSS), "446 bin 524'ü");
    assert_string_equal(tr_add_suffix(b, sizeof b, "300", TR_GEN), "300'ün");
    assert_string_equal(tr_add_suffix(b, sizeof b, "çağrı", TR_ACC), "çağrı"); /* unknown */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int),          cmocka_unit_test(test_num),
        cmocka_unit_test(test_pct),          cmocka_unit_test(test_words),
        cmocka_unit_test(test_approx),       cmocka_unit_test(test_last_word),
        cmocka_unit_test(test_suffix_table), cmocka_unit_test(test_add_suffix),
    };
    return cmocka_run_group_tests_name("tr_format", tests, NULL, NULL);
}
