/* Urgency rules: danger to life or safety is flagged with the words that triggered it;
 * everyday complaints are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nlp/turkish.h"
#include "nlp/urgency.h"

/* The rule that fires and exactly the words that triggered it, as the citizen wrote them. */
static void expect_urgent(const char *text, const char *rule, const char *words)
{
    struct urgency u;
    assert_non_null(rule);
    assert_non_null(words);
    memset(&u, 0x55, sizeof(u));
    assert_true(nlp_urgency(text, &u));
    if (!u.urgent)
        fail_msg("not urgent: %s", text);
    if (strcmp(u.rule, rule) != 0)
        fail_msg("%s: rule %s, expected %s", text, u.rule, rule);
    if (strcmp(u.words, words) != 0)
        fail_msg("%s: words '%s', expected '%s'", text, u.words, words);
}

static void expect_calm(const char *text)
{
    struct urgency u;
    memset(&u, 0x55, sizeof(u));
    assert_true(nlp_urgency(text, &u));
    if (u.urgent)
        fail_msg("urgent (%s: %s) but should not be: %s", u.rule, u.words, text);
    assert_string_equal(u.rule, "");
    assert_string_equal(u.words, "");
}

static void test_gas(void **state)
{
    (void)state;
    expect_urgent("Apartmanın girişinde yoğun gaz kokusu var", "gas_smell", "gaz, kokusu");
    expect_urgent("GAZ KOKUYOR MERDİVENLERDE", "gas_smell", "GAZ, KOKUYOR");
    expect_urgent("dogalgaz kokuyo bodrumda", "gas_smell", "dogalgaz, kokuyo");
    expect_urgent("tüpten gaz sızıntısı olabilir", "gas_smell", "tüpten, sızıntısı");
}

static void test_collapse_and_manhole(void **state)
{
    (void)state;
    expect_urgent("Bahçe duvarı yıkılmak üzere, çocuklar oynuyor", "collapse", "duvarı, yıkılmak");
    expect_urgent("istinat duvari coktu yola", "collapse", "istinat, coktu");
    expect_urgent("Okul yolunda rögar kapağı açık, çocuk düşecek", "open_manhole", "rögar, kapağı");
    expect_urgent("logarin kapagi calinmis", "open_manhole", "logarin, kapagi");
}

static void test_people_animals_wires_water(void **state)
{
    (void)state;
    expect_urgent("Durakta yaşlı bir adam bayıldı", "injured_person", "bayıldı, yaşlı");
    expect_urgent("yolda yaralı bir köpek var kanlar içinde", "injured_animal", "yaralı, köpek");
    expect_urgent("Elektrik kablosu kopmuş yerde duruyor", "live_wire", "Elektrik, kopmuş");
    expect_urgent("bodrum katı su bastı", "flooding", "bodrum, bastı");
    expect_urgent("Evin çatısında alevler var", "fire", "alevler, Evin");
    expect_urgent("asansörde mahsur kaldık", "trapped", "mahsur, asansörde");
}

static void test_everyday_is_calm(void **state)
{
    (void)state;
    expect_calm("Sokağımızdaki çöpler üç gündür alınmadı");
    expect_calm("30 numaralı otobüs çok geç geliyor");
    expect_calm("Parktaki banklar boyanmalı");
    expect_calm("Kayseri Kart vizesi nereden yapılır");
    expect_calm("Baca dumanı yüzünden çamaşır asamıyoruz"); /* pollution, not a fire */
    expect_calm("Yangın güvenliği raporu için başvuru yapmak istiyorum");
    expect_calm("evde çok eski eşyalar var alınabilir mi"); /* "çok" is not "çöktü" */
    expect_calm("sokak lambası gündüz de yanıyor");
    expect_calm("");
}

static void test_invalid_utf8(void **state)
{
    struct urgency u;
    (void)state;
    memset(&u, 0x55, sizeof(u));
    assert_false(nlp_urgency("gaz \xff kokusu", &u));
    assert_false(u.urgent); /* out cleared */
    assert_string_equal(u.rule, "");
    assert_string_equal(u.words, "");
}

static int teardown(void **state)
{
    (void)state;
    nlp_thread_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gas),
        cmocka_unit_test(test_collapse_and_manhole),
        cmocka_unit_test(test_people_animals_wires_water),
        cmocka_unit_test(test_everyday_is_calm),
        cmocka_unit_test(test_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
