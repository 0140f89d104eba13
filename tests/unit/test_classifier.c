/* The routing classifier: features (incl. the request clause), training, save/load round
 * trip, prediction and bad input. Accuracy on real text is measured by tests/routing/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "nlp/classifier.h"
#include "nlp/turkish.h"

struct feats {
    char list[512][64];
    int n;
};

static void keep(void *ctx, const char *f)
{
    struct feats *fs = ctx;
    if (fs->n < 512)
        snprintf(fs->list[fs->n++], 64, "%s", f);
}

static bool has(const struct feats *fs, const char *f)
{
    for (int i = 0; i < fs->n; i++)
        if (strcmp(fs->list[i], f) == 0)
            return true;
    return false;
}

static void test_features(void **state)
{
    struct feats *fs = calloc(1, sizeof(*fs));
    (void)state;
    assert_int_equal(
        cls_features("Çöp kamyonları geçiyor ve asfalt çöktü, lütfen yamayın", keep, fs), 0);
    assert_true(has(fs, "w:cop"));   /* folded stem */
    assert_true(has(fs, "c:^co"));   /* character n-gram with boundary */
    assert_true(has(fs, "r:lutfe")); /* the request clause (stems) … */
    assert_true(has(fs, "r:yamay"));
    assert_false(has(fs, "r:cop")); /* … and not the scenery */
    assert_false(has(fs, "r:kamyon"));
    memset(fs, 0, sizeof(*fs));
    /* a clause that says "değil" is scenery the caller rules out */
    assert_int_equal(cls_features("Park bakımı değil, kaçak yapı yıkılsın", keep, fs), 0);
    assert_true(has(fs, "n:park"));
    assert_false(has(fs, "w:park"));
    assert_true(has(fs, "w:kacak"));
    memset(fs, 0, sizeof(*fs));
    assert_int_equal(cls_features("COP TOPLANMADI", keep, fs), 0);
    assert_true(has(fs, "w:cop")); /* same feature without Turkish letters, in capitals */
    assert_int_equal(cls_features("bad \xc3\x28 utf8", keep, fs), -1);
    free(fs);
}

static const struct cls_example train_set[] = {
    { "sokakta çukur var", "YOL" },         { "yolda büyük çukur oluştu", "YOL" },
    { "asfalt bozuk çukurlar var", "YOL" }, { "cukur kapatilsin", "YOL" },
    { "çöpler alınmadı", "COP" },           { "çöp toplanmadı kokuyor", "COP" },
    { "konteyner taşıyor çöp", "COP" },     { "cop kamyonu gelmedi", "COP" },
    { "otobüs gelmedi", "OTOBUS" },         { "otobüs çok gecikti", "OTOBUS" },
    { "30 numaralı otobüs geç", "OTOBUS" }, { "otobus seferi iptal", "OTOBUS" },
};

static void test_train_predict_roundtrip(void **state)
{
    char err[256], path[] = "/tmp/alo153-cls-XXXXXX";
    struct cls_suggestion s[3], s2[3];
    (void)state;
    struct cls_model *m = cls_train(train_set, sizeof(train_set) / sizeof(train_set[0]),
                                    &(struct cls_train_opts){ .min_df = 1 }, err, sizeof(err));
    assert_non_null(m);
    assert_int_equal(cls_num_labels(m), 3);
    assert_int_equal(cls_num_examples(m), 12);
    assert_int_equal(cls_predict(m, "ÇUKUR var sokakta", s, 3), 3);
    assert_string_equal(s[0].label, "YOL");
    assert_true(s[0].p > s[1].p && s[1].p >= s[2].p);
    assert_true(s[0].p + s[1].p + s[2].p < 1.0 + 1e-9);
    assert_int_equal(cls_predict(m, "cöp alinmadi", s, 1), 1);
    assert_string_equal(s[0].label, "COP");
    assert_int_equal(cls_predict(m, "otobus gelmiyo", s, 2), 2);
    assert_string_equal(s[0].label, "OTOBUS");
    assert_int_equal(cls_predict(m, "   ...  ", s, 3), 0);  /* no words */
    assert_int_equal(cls_predict(m, "\xff\xfe", s, 3), -1); /* invalid UTF-8 */

    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_true(cls_save(m, path));
    struct cls_model *m2 = cls_load(path, err, sizeof(err));
    assert_non_null(m2);
    assert_int_equal(cls_num_features(m2), cls_num_features(m));
    assert_int_equal(cls_num_labels(m2), 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(cls_label(m2, i), cls_label(m, i));
    assert_int_equal(cls_num_examples(m2), 12);
    assert_int_equal(cls_created(m2), cls_created(m));
    assert_int_equal(cls_predict(m, "yolda çukur", s, 3), 3);
    assert_int_equal(cls_predict(m2, "yolda çukur", s2, 3), 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(s[i].label, s2[i].label);
        assert_true(s[i].p - s2[i].p < 1e-6 && s2[i].p - s[i].p < 1e-6);
    }
    cls_free(m2);

    /* a truncated or foreign file is refused with a message */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 40), 0);
    fclose(f);
    assert_null(cls_load(path, err, sizeof(err)));
    assert_non_null(strstr(err, "truncated"));
    f = fopen(path, "wb");
    fputs("not a model", f);
    fclose(f);
    err[0] = '\0';
    assert_null(cls_load(path, err, sizeof(err)));
    assert_true(strlen(err) > 0); /* with a message */
    unlink(path);
    err[0] = '\0';
    assert_null(cls_load(path, err, sizeof(err)));
    assert_true(strlen(err) > 0);
    cls_free(m);
}

static void test_train_refuses_bad_sets(void **state)
{
    char err[256];
    (void)state;
    const struct cls_example one_label[] = { { "a b c", "X" }, { "d e f", "X" } };
    assert_null(cls_train(one_label, 2, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "labels"));
    assert_null(cls_train(one_label, 1, NULL, err, sizeof(err)));
    const struct cls_example bad[] = { { "iyi", "X" }, { "\xc0\xaf", "Y" } };
    assert_null(cls_train(bad, 2, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "UTF-8"));
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
        cmocka_unit_test(test_features),
        cmocka_unit_test(test_train_predict_roundtrip),
        cmocka_unit_test(test_train_refuses_bad_sets),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
