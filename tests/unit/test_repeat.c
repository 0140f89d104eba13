/* The repeat finder: distance, text similarity and the matching rule (the store search
 * around it is exercised by the API tests). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/repeat.h"
#include "nlp/turkish.h"
#include "util/xmalloc.h"

#define NOW 1795000000 /* 2026-11-18 */

static struct app make_app(int64_t id, int64_t cat, int64_t nb, const char *text)
{
    struct app a = { 0 };
    a.id = id;
    a.category_id = cat;
    a.neighbourhood_id = nb;
    a.district_id = 1;
    a.status = ST_FORWARDED;
    a.created_at = NOW - 86400;
    a.text = xstrdup(text);
    return a;
}

static void test_distance(void **state)
{
    (void)state;
    /* Kayseri Cumhuriyet Meydanı to a point ~111 m north */
    double d = repeat_distance_m(38.7205, 35.4826, 38.7215, 35.4826);
    assert_true(fabs(d - 111.2) < 1.0);
    assert_true(repeat_distance_m(38.72, 35.48, 38.72, 35.48) < 1e-6);
    /* Kayseri to Ankara is about 260 km as the crow flies */
    d = repeat_distance_m(38.7205, 35.4826, 39.9208, 32.8541);
    assert_true(d > 255000 && d < 270000);
}

static void test_similarity(void **state)
{
    (void)state;
    double s = repeat_similarity("Sokakta büyük çukur var", "SOKAKTA BÜYÜK ÇUKURLAR VAR");
    assert_true(s > 0.99);
    s = repeat_similarity("Mevlana mahallesinde çöpler alınmadı", "cöpler alınmadı mevlana mh");
    assert_true(s >= 0.5);
    s = repeat_similarity("otobüs gecikti", "parkta ağaç devrildi");
    assert_true(s < 0.01);
    assert_true(repeat_similarity("", "çukur") == 0);
}

/* Function words carry no topic: adding one to a text leaves its similarity to the bare text at
 * exactly 1, and two texts of function words only are not similar at all. */
static void test_stopwords(void **state)
{
    (void)state;
    static const char *const words[] = { "ve",   "bir", "bu",  "şu",   "o",   "da",  "de",  "ile",
                                         "için", "çok", "var", "yok",  "mi",  "mu",  "ne",  "ki",
                                         "gibi", "ama", "en",  "daha", "her", "ben", "biz", "siz" };
    char text[64];
    int bad = 0;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        snprintf(text, sizeof(text), "çukur %s", words[i]);
        double s = repeat_similarity(text, "çukur");
        if (s != 1.0) {
            print_error("\"%s\" counts as a topic word: similarity %.3f\n", words[i], s);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    assert_true(repeat_similarity("ve bir bu", "ve bir bu") == 0);
    /* a content word is not a stop word */
    assert_true(repeat_similarity("çukur kaldırım", "çukur") == 0.5);
}

static void test_matching_rule(void **state)
{
    (void)state;
    struct repeat_query q = { .category_id = 7,
                              .district_id = 1,
                              .neighbourhood_id = 42,
                              .text = "Sokağın ortasında derin bir çukur var",
                              .now = NOW };
    double d, s;
    struct app same = make_app(1, 7, 42, "sokagin ortasinda cukur var araclar zarar goruyor");
    struct app other_nb = make_app(2, 7, 43, "Sokağın ortasında derin bir çukur var");
    struct app other_cat = make_app(3, 8, 42, "Sokağın ortasında derin bir çukur var");
    struct app unrelated = make_app(4, 7, 42, "kaldırım taşları sökülmüş");
    struct app old = make_app(5, 7, 42, "Sokağın ortasında derin bir çukur var");
    struct app closed = make_app(6, 7, 42, "Sokağın ortasında derin bir çukur var");
    old.created_at = NOW - (REPEAT_DAYS + 1) * 86400;
    closed.status = ST_CLOSED;
    assert_true(repeat_matches(&q, &same, &d, &s));
    assert_true(s >= REPEAT_MIN_SIMILARITY);
    assert_false(repeat_matches(&q, &other_nb, &d, &s));
    assert_false(repeat_matches(&q, &other_cat, &d, &s));
    assert_false(repeat_matches(&q, &unrelated, &d, &s));
    assert_false(repeat_matches(&q, &old, &d, &s));
    assert_false(repeat_matches(&q, &closed, &d, &s));
    q.exclude_id = 1;
    assert_false(repeat_matches(&q, &same, &d, &s)); /* never itself */

    /* with coordinates on both sides, distance decides: 100 m yes, 300 m no */
    struct repeat_query g = { .category_id = 7,
                              .has_geo = true,
                              .lat = 38.7205,
                              .lon = 35.4826,
                              .text = "çukur",
                              .now = NOW };
    struct app near = make_app(7, 7, 99, "tamamen farklı kelimeler");
    struct app far = make_app(8, 7, 42, "çukur");
    near.has_geo = far.has_geo = true;
    near.lat = 38.7214, near.lon = 35.4826; /* ~100 m */
    far.lat = 38.7232, far.lon = 35.4826;   /* ~300 m */
    assert_true(repeat_matches(&g, &near, &d, &s));
    assert_true(d > 90 && d < 110);
    assert_false(repeat_matches(&g, &far, &d, &s));
    app_release(&same), app_release(&other_nb), app_release(&other_cat);
    app_release(&unrelated), app_release(&old), app_release(&closed);
    app_release(&near), app_release(&far);
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
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_matching_rule),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
