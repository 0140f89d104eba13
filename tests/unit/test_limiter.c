/* util/limiter: counters by whole key (colliding keys never reset each other), bounded memory
 * (the least recently used entry goes), and the login backoff: free failures, then doubling
 * waits up to a cap, forgotten after a quiet spell, cleared by a success. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "util/limiter.h"

static void test_window_limit(void **state)
{
    (void)state;
    struct limiter *l = limiter_new(64);
    for (int i = 0; i < 3; i++)
        assert_true(limiter_take(l, "form|10.0.0.1", 7, 3));
    assert_false(limiter_take(l, "form|10.0.0.1", 7, 3));
    assert_true(limiter_take(l, "form|10.0.0.2", 7, 3)); /* another key has its own count */
    limiter_give_back(l, "form|10.0.0.1", 7);
    assert_true(limiter_take(l, "form|10.0.0.1", 7, 3));
    assert_false(limiter_take(l, "form|10.0.0.1", 7, 3));
    assert_true(limiter_take(l, "form|10.0.0.1", 8, 3)); /* the next window starts at 0 */
    limiter_free(l);
}

/* 1000 keys in a table of 2048 entries (4096 buckets: dozens of them shared), taken in turn:
 * each is refused after exactly its own limit. The old 256-slot cache reset a slot whenever
 * another key hashed there, so two alternating addresses were never refused. */
static void test_alternating_keys_never_reset(void **state)
{
    (void)state;
    struct limiter *l = limiter_new(2048);
    char k[32];
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 1000; i++) {
            snprintf(k, sizeof(k), "login|10.%d.%d.1", i / 250, i % 250);
            assert_true(limiter_take(l, k, 1, 3));
        }
    for (int i = 0; i < 1000; i++) {
        snprintf(k, sizeof(k), "login|10.%d.%d.1", i / 250, i % 250);
        assert_false(limiter_take(l, k, 1, 3));
    }
    assert_int_equal(limiter_size(l), 1000);
    limiter_free(l);
}

static void test_bounded_lru(void **state)
{
    (void)state;
    struct limiter *l = limiter_new(16);
    char k[32];
    assert_true(limiter_take(l, "keep", 1, 1));
    for (int i = 0; i < 1000; i++) {
        snprintf(k, sizeof(k), "k%d", i);
        limiter_take(l, k, 1, 5);
        assert_false(limiter_take(l, "keep", 1, 1)); /* used each time: never the oldest */
        assert_true(limiter_size(l) <= 16);
    }
    assert_int_equal(limiter_size(l), 16);
    limiter_free(l);
}

static void test_backoff(void **state)
{
    (void)state;
    const struct limiter_backoff b = {
        .free_failures = 3, .base_ms = 1000, .max_ms = 8000, .forget_ms = 3600000
    };
    struct limiter *l = limiter_new(64);
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 0);
    assert_int_equal(limiter_wait(l, "agent|10.0.0.1", t), 0);
    assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 1000);
    assert_int_equal(limiter_wait(l, "agent|10.0.0.1", t + 400), 600);
    assert_int_equal(limiter_wait(l, "agent|10.0.0.1", t + 1000), 0); /* the wait is over */
    assert_int_equal(limiter_wait(l, "other|10.0.0.1", t), 0);        /* pairs are separate */
    t += 1000;
    assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 2000);
    t += 2000;
    assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 4000);
    t += 4000;
    assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 8000);
    t += 8000;
    for (int i = 0; i < 100; i++)
        assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 8000); /* the cap */
    /* an hour without failures: a fresh start */
    t += 3600000 + 8000;
    assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 0);
    /* a success clears it */
    for (int i = 0; i < 5; i++)
        limiter_fail(l, "agent|10.0.0.1", t, &b);
    assert_true(limiter_wait(l, "agent|10.0.0.1", t) > 0);
    limiter_clear(l, "agent|10.0.0.1");
    assert_int_equal(limiter_wait(l, "agent|10.0.0.1", t), 0);
    assert_int_equal(limiter_fail(l, "agent|10.0.0.1", t, &b), 0);
    limiter_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_limit),
        cmocka_unit_test(test_alternating_keys_never_reset),
        cmocka_unit_test(test_bounded_lru),
        cmocka_unit_test(test_backoff),
    };
    return cmocka_run_group_tests_name("limiter", tests, NULL, NULL);
}
