/* Report tables (src/report): rows in first-met order, counts per column, sums; and the
 * classifier evaluation's counts, confusion matrix and by-style table on a tiny model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nlp/turkish.h"
#include "report/report.h"

static void test_table(void **state)
{
    (void)state;
    static const char *const cols[] = { "n", "correct" };
    struct report_table t;
    report_table_init(&t, "department", 2, cols);
    const char *keys[] = { "FEN", "CEVRE", "FEN", "", "ZABITA", "FEN", "CEVRE", "A", "B", "C" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        struct report_row *r = report_table_row(&t, keys[i]);
        r->v[0]++;
        r->v[1] += i % 2;
    }
    assert_int_equal(t.nrows, 7);
    assert_string_equal(t.rows[0].key, "FEN");
    assert_string_equal(t.rows[1].key, "CEVRE");
    assert_string_equal(t.rows[2].key, "");
    assert_string_equal(t.rows[6].key, "C");
    assert_int_equal(t.rows[0].v[0], 3);
    assert_int_equal(t.rows[0].v[1], 1); /* i = 0, 2, 5 */
    assert_int_equal(report_table_sum(&t, 0), 10);
    assert_int_equal(report_table_sum(&t, 1), 5);
    assert_int_equal(report_table_sum(&t, 3), 0); /* not a column */
    report_table_release(&t);
    assert_int_equal(t.nrows, 0);
    assert_string_equal(t.cols[1], "correct");
}

static const char *dept_of(const char *label)
{
    if (strcmp(label, "YOL") == 0 || strcmp(label, "FEN") == 0)
        return "FEN";
    if (strcmp(label, "COP") == 0)
        return "CEVRE";
    return NULL;
}

static bool is_category(const char *label)
{
    return strcmp(label, "YOL") == 0 || strcmp(label, "COP") == 0;
}

static void count_miss(void *ctx, size_t i, const struct cls_suggestion *top)
{
    (void)i, (void)top;
    ++*(int *)ctx;
}

static void test_eval(void **state)
{
    (void)state;
    static const struct cls_example train[] = {
        { "sokakta çukur var", "YOL" },      { "yolda büyük çukur oluştu", "YOL" },
        { "asfalt bozuk çukur", "YOL" },     { "çöpler alınmadı", "COP" },
        { "çöp toplanmadı kokuyor", "COP" }, { "konteyner çöp taşıyor", "COP" },
    };
    static const struct cls_example test[] = {
        { "çukur var yolda", "YOL" }, /* right */
        { "asfalt çukur", "FEN" },    /* right, labelled by department */
        { "çöp alınmadı", "YOL" },    /* wrong: CEVRE predicted for FEN */
        { "çöp kokuyor", "COP" },     /* right */
        { "ne olursa", "NOPE" },      /* unknown label: skipped */
    };
    static const char *const style[] = { "clean", "clean", "sms", NULL, "sms" };
    static const char *const depts[] = { "FEN", "CEVRE" };
    char err[256];
    int misses = 0;
    struct cls_model *m =
        cls_train(train, 6, &(struct cls_train_opts){ .min_df = 1 }, err, sizeof(err));
    assert_non_null(m);
    struct report_eval_input in = { .m = m,
                                    .ex = test,
                                    .style = style,
                                    .n = 5,
                                    .departments = depts,
                                    .ndepartments = 2,
                                    .department_of = dept_of,
                                    .is_category = is_category,
                                    .on_miss = count_miss,
                                    .ctx = &misses };
    struct report_eval *e = NULL;
    assert_int_equal(report_eval(&in, &e, NULL), ERR_OK);
    assert_int_equal(e->n, 4);
    assert_int_equal(e->skipped, 1);
    assert_int_equal(e->top1, 3);
    assert_int_equal(e->top3, 4);
    assert_int_equal(e->cat_n, 3);
    assert_int_equal(e->cat1, 2);
    assert_int_equal(misses, 1);
    /* rows true, columns predicted: FEN→FEN 2, FEN→CEVRE 1, CEVRE→CEVRE 1 */
    assert_int_equal(e->confusion[0], 2);
    assert_int_equal(e->confusion[1], 1);
    assert_int_equal(e->confusion[2], 0);
    assert_int_equal(e->confusion[3], 1);
    /* FEN: p 1, r 2/3 → 0.8; CEVRE: p 1/2, r 1 → 2/3 */
    assert_true(e->macro_f1 > (0.8 + 2.0 / 3) / 2 - 1e-9 &&
                e->macro_f1 < (0.8 + 2.0 / 3) / 2 + 1e-9);
    assert_int_equal(e->by_style.nrows, 2);
    assert_string_equal(e->by_style.rows[0].key, "clean");
    assert_int_equal(e->by_style.rows[0].v[0], 2);
    assert_int_equal(e->by_style.rows[0].v[1], 2);
    assert_int_equal(e->by_style.rows[1].v[0], 1); /* the skipped sms example is not counted */
    assert_int_equal(e->by_style.rows[1].v[1], 0);
    report_eval_free(e);

    in.n = 0;
    assert_int_equal(report_eval(&in, &e, NULL), ERR_INVALID);
    assert_null(e);
    cls_free(m);
    nlp_thread_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_eval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
