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
#include <math.h>

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

/* Calibration: softmax is monotone and sums to one; the fitted temperature recovers the one that
 * made the data; ECE and the threshold choice on hand-made sets. */
static void test_calibration_math(void **state)
{
    (void)state;
    double z[4] = { 2.0, -1.0, 0.5, 0.5 }, p[4], q[4];
    cls_softmax(z, 4, 1.0, p);
    assert_true(p[0] > p[2] && p[2] > p[1]);
    assert_true(p[2] == p[3]);
    assert_true(fabs(p[0] + p[1] + p[2] + p[3] - 1.0) < 1e-12);
    cls_softmax(z, 4, 0.5, q); /* a lower temperature sharpens */
    assert_true(q[0] > p[0] && q[1] < p[1]);
    assert_true(fabs(q[0] + q[1] + q[2] + q[3] - 1.0) < 1e-12);
    double big[2] = { 1000, 999 }; /* no overflow */
    cls_softmax(big, 2, 0.1, p);
    assert_true(p[0] > 0.99 && p[0] <= 1.0 && p[1] >= 0);

    /* 400 rows of 3 labels whose gold labels follow softmax(z / 2): the fit finds ≈ 2 */
    enum { N = 400 };
    double *zz = malloc(N * 3 * sizeof(double));
    uint32_t gold[N];
    unsigned seed = 7;
    for (int i = 0; i < N; i++) {
        double pr[3];
        for (int l = 0; l < 3; l++) {
            seed = seed * 1103515245u + 12345u;
            zz[i * 3 + l] = ((seed >> 8) % 1000) / 100.0;
        }
        cls_softmax(zz + i * 3, 3, 2.0, pr);
        seed = seed * 1103515245u + 12345u;
        double u = ((seed >> 8) % 100000) / 100000.0;
        gold[i] = u < pr[0] ? 0 : u < pr[0] + pr[1] ? 1 : 2;
    }
    double t = cls_fit_temperature(zz, gold, N, 3);
    assert_true(t > 1.5 && t < 2.7);
    free(zz);

    /* ECE: perfectly calibrated bins give 0; overconfidence shows */
    double conf[4] = { 0.95, 0.95, 0.55, 0.55 };
    bool ok[4] = { true, true, true, false };
    struct cls_bin bins[10];
    double ece = cls_ece(conf, ok, 4, 10, bins);
    /* bin 0.9-1.0: conf .95, acc 1 → .05 × 2/4; bin 0.5-0.6: .55 vs .5 → .05 × 2/4 */
    assert_true(fabs(ece - 0.05) < 1e-9);
    assert_int_equal(bins[9].n, 2);
    assert_int_equal(bins[5].n, 2);
    assert_true(fabs(bins[5].accuracy - 0.5) < 1e-12);
    assert_true(cls_ece(conf, ok, 4, 10, NULL) == ece);
    /* the threshold: the lowest where ≥ target of the texts above it are right */
    assert_true(fabs(cls_choose_threshold(conf, ok, 4, 0.75) - 0.05) < 1e-9); /* 3 of 4 */
    assert_true(fabs(cls_choose_threshold(conf, ok, 4, 0.9) - 0.56) < 1e-9);  /* above .55 */
    bool none[4] = { false, false, false, false };
    assert_true(fabs(cls_choose_threshold(conf, none, 4, 0.9) - 0.95) < 1e-9);
}

/* Model files: version 3 keeps the calibration and the feature set; a version 2 file (made
 * here by cutting a version 3 one back) still loads, uncalibrated, with the normalised
 * sigmoids. */
static void test_model_file_versions(void **state)
{
    char err[256], path[] = "/tmp/alo153-clsv-XXXXXX";
    struct cls_suggestion s[3], s2[3];
    double z[3], p[3];
    (void)state;
    struct cls_model *m = cls_train(train_set, sizeof(train_set) / sizeof(train_set[0]),
                                    &(struct cls_train_opts){ .min_df = 1 }, err, sizeof(err));
    assert_non_null(m);
    assert_int_equal(cls_feature_set(m), CLS_F_DEFAULT);
    assert_true(cls_temperature(m) == 0 && cls_threshold(m) == 0);
    assert_int_equal(cls_predict(m, "yolda çukur", s, 3), 3);
    /* uncalibrated: the sigmoids of the decision values, normalised */
    assert_true(cls_logits(m, "yolda çukur", z) > 0);
    double sum = 0;
    for (int l = 0; l < 3; l++)
        sum += 1 / (1 + exp(-z[l]));
    size_t yol = strcmp(cls_label(m, 0), "YOL") == 0 ? 0 : 1;
    assert_string_equal(cls_label(m, yol), "YOL");
    assert_true(fabs(s[0].p - 1 / (1 + exp(-z[yol])) / sum) < 1e-9);

    cls_set_calibration(m, 0.5, 0.6);
    assert_true(cls_predict(m, "yolda çukur", s2, 3) == 3);
    cls_probabilities(m, z, p);
    assert_true(fabs(s2[0].p - p[yol]) < 1e-9);
    assert_true(s2[0].p > s[0].p); /* T < 1 sharpens */
    assert_true(fabs(s2[0].p + s2[1].p + s2[2].p - 1.0) < 1e-9);

    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_true(cls_save(m, path));
    struct cls_model *m3 = cls_load(path, err, sizeof(err));
    assert_non_null(m3);
    assert_true(fabs(cls_temperature(m3) - 0.5) < 1e-6);
    assert_true(fabs(cls_threshold(m3) - 0.6) < 1e-6);
    assert_int_equal(cls_feature_set(m3), CLS_F_DEFAULT);
    assert_int_equal(cls_predict(m3, "yolda çukur", s, 3), 3);
    assert_true(fabs(s[0].p - s2[0].p) < 1e-6);
    cls_free(m3);

    /* version 2: header word 0 = 2, word 3 = 0 (features), no calibration at the end */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    uint32_t v2[4];
    assert_int_equal(fseek(f, 8, SEEK_SET), 0);
    assert_int_equal(fread(v2, sizeof(v2), 1, f), 1);
    assert_int_equal(v2[0], 3);
    v2[0] = 2;
    v2[3] = 0;
    assert_int_equal(fseek(f, 8, SEEK_SET), 0);
    assert_int_equal(fwrite(v2, sizeof(v2), 1, f), 1);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_int_equal(ftruncate(fileno(f), size - 8), 0);
    fclose(f);
    struct cls_model *m2 = cls_load(path, err, sizeof(err));
    assert_non_null(m2);
    assert_true(cls_temperature(m2) == 0 && cls_threshold(m2) == 0);
    assert_int_equal(cls_feature_set(m2), 0);
    cls_free(m2);

    /* a version 3 file with a threshold out of range is refused */
    cls_set_calibration(m, 0.5, 0.6);
    assert_true(cls_save(m, path));
    f = fopen(path, "r+b");
    assert_non_null(f);
    float bad = 7.0f;
    assert_int_equal(fseek(f, -4, SEEK_END), 0);
    assert_int_equal(fwrite(&bad, sizeof(bad), 1, f), 1);
    fclose(f);
    assert_null(cls_load(path, err, sizeof(err)));
    assert_non_null(strstr(err, "calibration"));
    unlink(path);
    cls_free(m);
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
        cmocka_unit_test(test_calibration_math),
        cmocka_unit_test(test_model_file_versions),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
