/* The profiles of `alo153 simulate` and their exact scaling (src/cli/sim_profiles.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/sim_profiles.h"
#include "util/banned.h"

static int64_t sum(const int64_t *v, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void test_apportion(void **state)
{
    (void)state;
    int64_t out[4];
    /* 10 over 1:1:1 → 3.33 each: the lowest index takes the remainder's one */
    sim_apportion(10, (double[]){ 1, 1, 1 }, 3, out);
    assert_int_equal(out[0], 4);
    assert_int_equal(out[1], 3);
    assert_int_equal(out[2], 3);
    /* the largest remainder wins: 7 over 0.15/0.45/0.40 = 1.05/3.15/2.8 → 1, 3, 3 */
    sim_apportion(7, (double[]){ 15, 45, 40 }, 3, out);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 3);
    assert_int_equal(out[2], 3);
    /* zero weights get nothing; the total is kept */
    sim_apportion(5, (double[]){ 0, 2, 0, 3 }, 4, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 2);
    assert_int_equal(out[2], 0);
    assert_int_equal(out[3], 3);
    /* many cells: always the exact total */
    double w[8760];
    int64_t cells[8760];
    for (int i = 0; i < 8760; i++)
        w[i] = 1.0 + (i * 7919 % 97) / 13.0;
    for (int64_t total = 0; total < 200000; total += 12347) {
        sim_apportion(total, w, 8760, cells);
        assert_int_equal(sum(cells, 8760), total);
    }
}

static void test_round(void **state)
{
    (void)state;
    assert_int_equal(sim_div_round(1059219, 50), 21184); /* 21184.38 */
    assert_int_equal(sim_div_round(63836, 50), 1277);    /* 1276.72 */
    assert_int_equal(sim_div_round(25, 50), 1);          /* 0.5: halves up */
    assert_int_equal(sim_div_round(24, 50), 0);
    assert_int_equal(sim_div_round(148910, 1), 148910);
}

static void test_profiles(void **state)
{
    (void)state;
    for (int i = 0; sim_profile_names[i]; i++) {
        const struct sim_profile *p = sim_profile_find(sim_profile_names[i]);
        assert_non_null(p);
        assert_true(sim_profile_valid(p));
    }
    assert_null(sim_profile_find("samsun"));
    assert_null(sim_profile_find(NULL));
    const struct sim_profile *s = sim_profile_find("samsun-2025");
    assert_int_equal(s->answered, 1059219);
    assert_int_equal(s->part[SIM_INSTANT], 612695);
    assert_int_equal(s->part[SIM_PHONE_APP], 446524);
    assert_int_equal(s->answer_rate_bp, 9396);
    assert_int_equal(sim_profile_find("kayseri-2025")->answered, 1193060);
    assert_int_equal(sim_profile_find("kayseri-2025")->applications, 63836);
    assert_int_equal(sim_profile_find("kahramanmaras-2025")->answered, 148910);
}

static void test_scale(void **state)
{
    (void)state;
    int64_t t[SIM__COUNT], apps;
    const struct sim_profile *s = sim_profile_find("samsun-2025");
    sim_profile_scale(s, 1, t, &apps);
    assert_int_equal(t[SIM_INSTANT], 612695);
    assert_int_equal(t[SIM_PHONE_APP], 446524);
    assert_int_equal(t[SIM_ABANDONED], 68089); /* 1,059,219 × 604 / 9,396 = 68,088.6 */
    assert_int_equal(apps, 560524);
    sim_profile_scale(s, 50, t, &apps);
    assert_int_equal(t[SIM_INSTANT] + t[SIM_PHONE_APP], 21184);
    assert_int_equal(t[SIM_INSTANT], 12254);
    assert_int_equal(t[SIM_ABANDONED], 1362);
    assert_int_equal(t[SIM_SHORT_ABANDONED], 338);
    assert_int_equal(apps, 11210);
    assert_int_equal(t[SIM_PHONE_APP] +
                         sum(&t[SIM_FIRST_APP_CHANNEL], SIM__COUNT - SIM_FIRST_APP_CHANNEL),
                     apps);
    const struct sim_profile *k = sim_profile_find("kayseri-2025");
    for (int64_t n = 1; n <= 1000; n = n * 3 + 1) {
        sim_profile_scale(k, n, t, &apps);
        assert_int_equal(sum(t, SIM_ANSWERED_PARTS), sim_div_round(1193060, n));
        assert_int_equal(apps, sim_div_round(63836, n));
        assert_int_equal(t[SIM_PHONE_APP] +
                             sum(&t[SIM_FIRST_APP_CHANNEL], SIM__COUNT - SIM_FIRST_APP_CHANNEL),
                         apps);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apportion),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
