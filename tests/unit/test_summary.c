/* The report's resolution time (report/summary.h): median and 90th percentile in working days
 * from the per-day histogram of the rollups (nearest rank), NAN when nothing was resolved; and
 * the English labels of the fixed vocabulary. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "report/summary.h"

static void test_quantile(void **state)
{
    (void)state;
    int64_t h[ROLLUP_RES_BINS] = { 0 };
    assert_true(isnan(report_hist_quantile(h, ROLLUP_RES_BINS, 0.5)));
    h[3] = 1; /* one value: every quantile is it */
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.5) == 3);
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.9) == 3);
    /* 0,0,1,1,1,2,5,5,8,12 → median (rank 5) 1, p90 (rank 9) 8 */
    memset(h, 0, sizeof(h));
    h[0] = 2;
    h[1] = 3;
    h[2] = 1;
    h[5] = 2;
    h[8] = 1;
    h[12] = 1;
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.5) == 1);
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.9) == 8);
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 1.0) == 12);
    /* an even count: rank ceil(0.5 × 4) = 2, the lower middle value */
    memset(h, 0, sizeof(h));
    h[2] = 2;
    h[6] = 2;
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.5) == 2);
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.9) == 6);
    /* the last bin holds everything longer */
    memset(h, 0, sizeof(h));
    h[ROLLUP_RES_BINS - 1] = 5;
    h[0] = 5;
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.9) == ROLLUP_RES_BINS - 1);
    assert_true(report_hist_quantile(h, ROLLUP_RES_BINS, 0.5) == 0);
}

static void test_labels(void **state)
{
    (void)state;
    struct rs_table t = { .name = "by_month" };
    struct rs_row r = { .key = "2025-02", .label = "Şubat 2025" };
    char out[64];
    rs_row_label(&t, &r, "en", out, sizeof(out));
    assert_string_equal(out, "February 2025");
    rs_row_label(&t, &r, "tr", out, sizeof(out));
    assert_string_equal(out, "Şubat 2025");
    t.name = "by_kind";
    r.key = "complaint";
    r.label = "Şikâyet";
    rs_row_label(&t, &r, "en", out, sizeof(out));
    assert_string_equal(out, "Complaint");
    r.label = "Fen İşleri Dairesi Başkanlığı"; /* a name: as it is */
    rs_row_label(&t, &r, "en", out, sizeof(out));
    assert_string_equal(out, "Fen İşleri Dairesi Başkanlığı");
    r.label = NULL;
    rs_row_label(&t, &r, "en", out, sizeof(out));
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
