/* Background jobs (src/workers): runs at start and on its period, wake, a failing job is
 * retried, stop waits for a running job (which sees the stop flag), the stop deadline, and a
 * job's own store connection. Waits are bounded waits on condition variables, never sleeps
 * whose length is the assertion. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "workers/workers.h"

#define LONG_MS 3600000u /* a period that never comes during a test */
#define WAIT_MS 5000u    /* generous bound for what should happen at once */

static int ok_job(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    (void)job, (void)ctx, (void)ed;
    return ERR_OK;
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_add_rejects(void **state)
{
    (void)state;
    struct workers *w = workers_new(NULL);
    assert_int_equal(workers_add(w, "a", ok_job, NULL, 10), ERR_OK);
    assert_int_equal(workers_add(w, "a", ok_job, NULL, 10), ERR_CONFLICT);
    assert_int_equal(workers_add(w, "", ok_job, NULL, 10), ERR_INVALID);
    assert_int_equal(workers_add(w, "b", NULL, NULL, 10), ERR_INVALID);
    assert_int_equal(workers_add(w, "0123456789012345678901234567890123", ok_job, NULL, 10),
                     ERR_INVALID);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    assert_int_equal(workers_add(w, "late", ok_job, NULL, 10), ERR_INVALID);
    assert_false(workers_wake(w, "nope"));
    assert_int_equal(workers_stop(w, WAIT_MS), 0);
    assert_false(workers_wake(w, "a"));
    workers_free(w);
}

static void test_runs_on_period(void **state)
{
    (void)state;
    struct workers *w = workers_new(NULL);
    uint64_t runs, fails;
    assert_int_equal(workers_add(w, "tick", ok_job, NULL, 10), ERR_OK);
    assert_int_equal(workers_add(w, "once", ok_job, NULL, 0), ERR_OK);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    assert_true(workers_wait_runs(w, "tick", 4, WAIT_MS));
    /* a run-once job ran at start and then waits for a wake */
    assert_true(workers_wait_runs(w, "once", 1, WAIT_MS));
    assert_false(workers_wait_runs(w, "once", 2, 50));
    assert_int_equal(workers_stop(w, WAIT_MS), 0);
    /* no new run after stop */
    assert_true(workers_stats(w, "tick", &runs, &fails));
    assert_false(workers_wait_runs(w, "tick", runs + 1, 50));
    assert_int_equal(fails, 0);
    workers_free(w);
}

static void test_wake(void **state)
{
    (void)state;
    struct workers *w = workers_new(NULL);
    assert_int_equal(workers_add(w, "slow", ok_job, NULL, LONG_MS), ERR_OK);
    assert_int_equal(workers_add(w, "once", ok_job, NULL, 0), ERR_OK);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    assert_true(workers_wait_runs(w, "slow", 1, WAIT_MS));
    assert_true(workers_wait_runs(w, "once", 1, WAIT_MS));
    assert_true(workers_wake(w, "slow"));
    assert_true(workers_wait_runs(w, "slow", 2, WAIT_MS));
    assert_true(workers_wake(w, "once"));
    assert_true(workers_wait_runs(w, "once", 2, WAIT_MS));
    workers_free(w); /* stops on its own */
}

struct flaky {
    int fail_first; /* this many runs fail */
    int calls;
};

static int flaky_job(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    (void)job;
    struct flaky *f = ctx;
    if (f->calls++ < f->fail_first)
        return err_set(ed, ERR_STORE, NULL, "test failure %d", f->calls);
    return ERR_OK;
}

static void test_failing_job_retried(void **state)
{
    (void)state;
    struct workers *w = workers_new(NULL);
    struct flaky f = { .fail_first = 2 };
    uint64_t runs, fails;
    assert_int_equal(workers_add(w, "flaky", flaky_job, &f, 10), ERR_OK);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    assert_true(workers_wait_runs(w, "flaky", 3, WAIT_MS));
    assert_int_equal(workers_stop(w, WAIT_MS), 0);
    assert_true(workers_stats(w, "flaky", &runs, &fails));
    assert_int_equal(fails, 2);
    assert_true(runs >= 3);
    assert_int_equal(f.calls, (int)runs);
    workers_free(w);
}

/* A long run: signals that it started, then polls the stop flag (polite) or waits for the
 * test to release it (stubborn). */
struct longrun {
    pthread_mutex_t m;
    pthread_cond_t c;
    bool started, saw_stop, release, finished;
    bool polite;
};

static int long_job(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    (void)ed;
    struct longrun *l = ctx;
    pthread_mutex_lock(&l->m);
    l->started = true;
    pthread_cond_broadcast(&l->c);
    pthread_mutex_unlock(&l->m);
    for (;;) {
        if (l->polite && workers_stopping(job))
            break;
        pthread_mutex_lock(&l->m);
        bool go = l->release;
        pthread_mutex_unlock(&l->m);
        if (go)
            break;
        usleep(1000); /* a unit of work, not an assertion */
    }
    pthread_mutex_lock(&l->m);
    l->saw_stop = workers_stopping(job);
    l->finished = true;
    pthread_mutex_unlock(&l->m);
    return ERR_OK;
}

static void wait_started(struct longrun *l)
{
    pthread_mutex_lock(&l->m);
    while (!l->started)
        pthread_cond_wait(&l->c, &l->m);
    pthread_mutex_unlock(&l->m);
}

static void test_stop_waits_for_running_job(void **state)
{
    (void)state;
    struct longrun l = { .m = PTHREAD_MUTEX_INITIALIZER,
                         .c = PTHREAD_COND_INITIALIZER,
                         .polite = true };
    struct workers *w = workers_new(NULL);
    assert_int_equal(workers_add(w, "long", long_job, &l, LONG_MS), ERR_OK);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    wait_started(&l);
    assert_int_equal(workers_stop(w, WAIT_MS), 0);
    /* stop returned only after the run ended, and the run was told to stop */
    assert_true(l.finished);
    assert_true(l.saw_stop);
    workers_free(w);
}

static void test_stop_deadline(void **state)
{
    (void)state;
    struct longrun l = { .m = PTHREAD_MUTEX_INITIALIZER,
                         .c = PTHREAD_COND_INITIALIZER,
                         .polite = false };
    struct workers *w = workers_new(NULL);
    struct timespec t0;
    assert_int_equal(workers_add(w, "stubborn", long_job, &l, LONG_MS), ERR_OK);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    wait_started(&l);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(workers_stop(w, 100), 1); /* still running at the deadline */
    double ms = elapsed_ms(&t0);
    assert_true(ms >= 90 && ms < WAIT_MS);
    pthread_mutex_lock(&l.m);
    assert_false(l.finished);
    l.release = true;
    pthread_mutex_unlock(&l.m);
    workers_free(w); /* waits for it */
    assert_true(l.finished);
}

static int store_job(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    struct store **seen = ctx;
    struct store *st = NULL;
    int rc = workers_store(job, &st, ed);
    if (rc == ERR_OK) {
        struct store *again = NULL;
        rc = workers_store(job, &again, ed);
        if (rc == ERR_OK && again != st)
            rc = err_set(ed, ERR_INTERNAL, NULL, "a second connection");
    }
    *seen = st;
    return rc;
}

static void test_store_per_job(void **state)
{
    (void)state;
    char dir[] = "/tmp/alo153-workers-XXXXXX", db[64];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/w.db", dir);
    struct store *st = NULL;
    assert_int_equal(store_open(db, &st, NULL), ERR_OK);
    store_close(st);

    struct store *seen_a = NULL, *seen_b = NULL, *seen_none = (struct store *)1;
    uint64_t runs, fails;
    struct workers *w = workers_new(db);
    assert_int_equal(workers_add(w, "a", store_job, &seen_a, 0), ERR_OK);
    assert_int_equal(workers_add(w, "b", store_job, &seen_b, 0), ERR_OK);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    assert_true(workers_wait_runs(w, "a", 1, WAIT_MS));
    assert_true(workers_wait_runs(w, "b", 1, WAIT_MS));
    assert_true(workers_stats(w, "a", &runs, &fails));
    assert_int_equal(fails, 0);
    assert_non_null(seen_a);
    assert_non_null(seen_b);
    assert_ptr_not_equal(seen_a, seen_b);
    workers_free(w);

    /* without a database a job gets ERR_UNSUPPORTED, counted as a failure */
    w = workers_new(NULL);
    assert_int_equal(workers_add(w, "none", store_job, &seen_none, 0), ERR_OK);
    assert_int_equal(workers_start(w, NULL), ERR_OK);
    assert_true(workers_wait_runs(w, "none", 1, WAIT_MS));
    assert_true(workers_stats(w, "none", &runs, &fails));
    assert_int_equal(fails, 1);
    assert_null(seen_none);
    workers_free(w);

    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_rejects),
        cmocka_unit_test(test_runs_on_period),
        cmocka_unit_test(test_wake),
        cmocka_unit_test(test_failing_job_retried),
        cmocka_unit_test(test_stop_waits_for_running_job),
        cmocka_unit_test(test_stop_deadline),
        cmocka_unit_test(test_store_per_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
