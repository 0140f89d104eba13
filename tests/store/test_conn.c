/* Conformance: connection, schema, transactions and savepoints, concurrency, error mapping,
 * the per-thread pool. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static int64_t count_apps(struct store *st)
{
    struct app_filter f = { .limit = 1 };
    int64_t n = -1;
    assert_int_equal(store_app_count(st, &f, &n), ERR_OK);
    return n;
}

static void test_open_migrate(void **state)
{
    struct conf_fx *fx = *state;
    assert_true(store_schema_version(fx->st) > 0);
    assert_string_equal(store_backend_name(fx->st), conf_is_url() ? "postgresql" : "sqlite");
    int v = store_schema_version(fx->st);
    store_close(fx->st);
    /* opening again migrates nothing and keeps the data */
    fx->st = conf_open(&fx->db);
    assert_int_equal(store_schema_version(fx->st), v);
    /* open_existing takes a database with this program's schema */
    struct store *ex = NULL;
    assert_int_equal(store_open_existing(fx->db.name, &ex, NULL), ERR_OK);
    assert_non_null(ex);
    assert_int_equal(store_schema_version(ex), v);
    store_close(ex);
}

static void test_open_errors(void **state)
{
    struct conf_fx *fx = *state;
    struct store *st = (struct store *)1;
    struct err_detail ed = { 0 };
    assert_true(store_is_url("postgresql://u@h/db"));
    assert_false(store_is_url("/tmp/x.db"));
    assert_int_equal(store_open("nosuchscheme://x/y", &st, &ed), ERR_UNSUPPORTED);
    assert_null(st);
    assert_int_equal(store_open("", &st, NULL), ERR_INVALID);
    if (!conf_is_url()) {
        char missing[600];
        snprintf(missing, sizeof(missing), "%s.missing", fx->db.name);
        assert_int_equal(store_open_existing(missing, &st, &ed), ERR_NOT_FOUND);
        assert_null(st);
        assert_int_equal(access(missing, F_OK), -1); /* and not created */
    }
    /* an older schema: ERR_CONFLICT */
    store_close(fx->st);
    fx->st = NULL;
    if (!conf_db_make_old(&fx->db)) {
        fx->st = conf_open(&fx->db);
        skip();
    }
    assert_int_equal(store_open_existing(fx->db.name, &st, &ed), ERR_CONFLICT);
    assert_null(st);
}

static void test_tx_commit_rollback(void **state)
{
    struct store *st = FX(state)->st;
    char v[32];
    store_rollback(st); /* no transaction: harmless */
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "a", "1"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "a", "2"), ERR_OK);
    assert_int_equal(store_setting_set(st, "b", "2"), ERR_OK);
    store_rollback(st);
    assert_int_equal(store_setting_get(st, "a", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "1");
    assert_int_equal(store_setting_get(st, "b", v, sizeof(v)), ERR_NOT_FOUND);
    store_rollback(st); /* again: harmless */
    store_rollback(st);
    /* still usable after stray rollbacks */
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "c", "3"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_setting_get(st, "c", v, sizeof(v)), ERR_OK);
}

static void test_tx_savepoints(void **state)
{
    struct store *st = FX(state)->st;
    char v[32];
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "outer", "1"), ERR_OK);
    assert_int_equal(store_begin(st), ERR_OK); /* a savepoint */
    assert_int_equal(store_setting_set(st, "inner", "1"), ERR_OK);
    assert_int_equal(store_setting_set(st, "outer", "changed"), ERR_OK);
    store_rollback(st); /* undoes only the inner part */
    assert_int_equal(store_setting_get(st, "outer", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "1");
    assert_int_equal(store_setting_get(st, "inner", v, sizeof(v)), ERR_NOT_FOUND);
    assert_int_equal(store_begin(st), ERR_OK); /* a second savepoint, committed */
    assert_int_equal(store_begin(st), ERR_OK); /* three deep */
    assert_int_equal(store_setting_set(st, "deep", "1"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "kept", "1"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK); /* the outer one */
    assert_true(store_commit(st) < 0);          /* nothing left open */
    struct store *other = conf_open(&FX(state)->db);
    assert_int_equal(store_setting_get(other, "outer", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "1");
    assert_int_equal(store_setting_get(other, "deep", v, sizeof(v)), ERR_OK);
    assert_int_equal(store_setting_get(other, "kept", v, sizeof(v)), ERR_OK);
    assert_int_equal(store_setting_get(other, "inner", v, sizeof(v)), ERR_NOT_FOUND);
    store_close(other);
    /* an outer rollback undoes committed savepoints too */
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "gone", "1"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    store_rollback(st);
    assert_int_equal(store_setting_get(st, "gone", v, sizeof(v)), ERR_NOT_FOUND);
}

/* A commit with no transaction open is a caller's bug, not a success. (SQLite backend:
 * ERR_INTERNAL; store.h does not say which error.) */
static void test_commit_without_begin(void **state)
{
    struct store *st = FX(state)->st;
    assert_true(store_commit(st) < 0);
}

static void test_error_mapping(void **state)
{
    struct store *st = FX(state)->st;
    struct err_detail ed = { 0 };
    struct user u = { .role = ROLE_AGENT, .created_at = 1 };
    char buf[16];
    snprintf(u.username, sizeof(u.username), "ayse");
    assert_int_equal(store_user_create(st, &u, "h", NULL), ERR_OK);
    int64_t uid = u.id;
    u.id = 0;
    assert_int_equal(store_user_create(st, &u, "h", &ed), ERR_CONFLICT); /* unique */
    assert_int_equal(ed.code, ERR_CONFLICT);
    struct api_token t1 = { .user_id = uid }, t2 = { .user_id = uid };
    snprintf(t1.name, sizeof(t1.name), "t");
    snprintf(t2.name, sizeof(t2.name), "t2");
    assert_int_equal(store_token_create(st, &t1, "same"), ERR_OK);
    assert_int_equal(store_token_create(st, &t2, "same"), ERR_CONFLICT);
    struct app a;
    assert_int_equal(store_app_get(st, 999, &a), ERR_NOT_FOUND);
    assert_int_equal(store_app_by_tracking(st, "2026-999999", &a), ERR_NOT_FOUND);
    assert_int_equal(store_setting_get(st, "nope", buf, sizeof(buf)), ERR_NOT_FOUND);
    struct user g;
    assert_int_equal(store_user_get(st, 999, &g), ERR_NOT_FOUND);
    /* an error inside a transaction: rolling back its savepoint (store.h) leaves the
     * transaction usable with the work done before it */
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "x", "1"), ERR_OK);
    u.id = 0;
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_user_create(st, &u, "h", NULL), ERR_CONFLICT);
    store_rollback(st);
    assert_int_equal(store_setting_set(st, "y", "1"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_setting_get(st, "x", buf, sizeof(buf)), ERR_OK);
    assert_int_equal(store_setting_get(st, "y", buf, sizeof(buf)), ERR_OK);
}

/* ---- concurrency: two connections, two threads ---- */

struct writer {
    const struct conf_db *db;
    pthread_mutex_t *m;
    pthread_cond_t *c;
    int *phase; /* 0 start, 1 first writer inside its transaction, 2 second started */
    int rc_begin, rc_commit;
};

static void *second_writer(void *arg)
{
    struct writer *w = arg;
    struct store *st = NULL;
    if (store_open_existing(w->db->name, &st, NULL) != ERR_OK)
        return NULL;
    pthread_mutex_lock(w->m);
    while (*w->phase < 1)
        pthread_cond_wait(w->c, w->m);
    *w->phase = 2;
    pthread_cond_broadcast(w->c);
    pthread_mutex_unlock(w->m);
    w->rc_begin = store_begin(st); /* SQLite: waits for the first writer */
    if (w->rc_begin == ERR_OK) {
        char v[16] = "";
        /* SQLite's begin takes the write lock, so the first writer has committed by now and
         * its value is there; PostgreSQL's writers run side by side (store.h) */
        if (strcmp(store_backend_name(st), "sqlite") == 0 &&
            (store_setting_get(st, "first", v, sizeof(v)) != ERR_OK || strcmp(v, "done") != 0))
            w->rc_begin = ERR_INTERNAL;
        store_setting_set(st, "second", "done");
        w->rc_commit = store_commit(st);
    }
    store_close(st);
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    struct conf_fx *fx = *state;
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    int phase = 0;
    struct writer w = {
        .db = &fx->db, .m = &m, .c = &c, .phase = &phase, .rc_begin = 1, .rc_commit = 1
    };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, second_writer, &w), 0);
    assert_int_equal(store_begin(fx->st), ERR_OK);
    assert_int_equal(store_setting_set(fx->st, "first", "working"), ERR_OK);
    pthread_mutex_lock(&m);
    phase = 1;
    pthread_cond_broadcast(&c);
    while (phase < 2)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    usleep(200 * 1000); /* give the second writer time to block in store_begin */
    assert_int_equal(store_setting_set(fx->st, "first", "done"), ERR_OK);
    assert_int_equal(store_commit(fx->st), ERR_OK);
    pthread_join(t, NULL);
    assert_int_equal(w.rc_begin, ERR_OK);
    assert_int_equal(w.rc_commit, ERR_OK);
    char v[16];
    assert_int_equal(store_setting_get(fx->st, "first", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "done");
    assert_int_equal(store_setting_get(fx->st, "second", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "done");
}

/* Many writers at once (a server's group commit on SQLite batches them): every committed
 * transaction lands, every rolled-back one leaves nothing, and each sees its own writes. */
#define MANY_THREADS 8
#define MANY_TX 40

struct many {
    const struct conf_db *db;
    int id;
    int committed, failures;
};

static void *many_writer(void *arg)
{
    struct many *m = arg;
    struct store *st = NULL;
    if (store_open_existing(m->db->name, &st, NULL) != ERR_OK) {
        m->failures++;
        return NULL;
    }
    for (int i = 0; i < MANY_TX; i++) {
        char key[32], v[32];
        bool keep = i % 5 != 3; /* every fifth transaction rolls back */
        snprintf(key, sizeof(key), "w%d.%d", m->id, i);
        if (store_begin(st) != ERR_OK ||
            store_setting_set(st, key, keep ? "kept" : "undone") != ERR_OK ||
            store_setting_get(st, key, v, sizeof(v)) != ERR_OK) {
            m->failures++;
            store_rollback(st);
            continue;
        }
        if (!keep) {
            store_rollback(st);
            continue;
        }
        if (store_commit(st) != ERR_OK)
            m->failures++;
        else
            m->committed++;
    }
    store_close(st);
    return NULL;
}

static void test_many_writers(void **state)
{
    struct conf_fx *fx = *state;
    struct many m[MANY_THREADS];
    pthread_t t[MANY_THREADS];
    for (int i = 0; i < MANY_THREADS; i++) {
        m[i] = (struct many){ .db = &fx->db, .id = i };
        assert_int_equal(pthread_create(&t[i], NULL, many_writer, &m[i]), 0);
    }
    for (int i = 0; i < MANY_THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < MANY_THREADS; i++) {
        assert_int_equal(m[i].failures, 0);
        assert_int_equal(m[i].committed, MANY_TX - MANY_TX / 5);
        for (int j = 0; j < MANY_TX; j++) {
            char key[32], v[32] = "";
            snprintf(key, sizeof(key), "w%d.%d", i, j);
            int rc = store_setting_get(fx->st, key, v, sizeof(v));
            if (j % 5 == 3) {
                assert_int_equal(rc, ERR_NOT_FOUND);
            } else {
                assert_int_equal(rc, ERR_OK);
                assert_string_equal(v, "kept");
            }
        }
    }
}

struct reader {
    const struct conf_db *db;
    int64_t seen_during, seen_after;
    pthread_barrier_t *b;
};

static void *reader_thread(void *arg)
{
    struct reader *r = arg;
    struct store *st = NULL;
    if (store_open_existing(r->db->name, &st, NULL) != ERR_OK) {
        pthread_barrier_wait(r->b);
        pthread_barrier_wait(r->b);
        return NULL;
    }
    pthread_barrier_wait(r->b); /* the writer has an uncommitted row */
    r->seen_during = count_apps(st);
    pthread_barrier_wait(r->b); /* the writer has committed */
    r->seen_after = count_apps(st);
    store_close(st);
    return NULL;
}

static void test_reader_sees_committed_only(void **state)
{
    struct conf_fx *fx = *state;
    pthread_barrier_t b;
    pthread_barrier_init(&b, NULL, 2);
    struct reader r = { .db = &fx->db, .seen_during = -1, .seen_after = -1, .b = &b };
    conf_app(fx->st, 0, 0, "önceden kaydedilmiş", 1767225600, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, reader_thread, &r), 0);
    assert_int_equal(store_begin(fx->st), ERR_OK);
    conf_app(fx->st, 0, 0, "henüz kaydedilmemiş", 1767225601, NULL);
    assert_int_equal(count_apps(fx->st), 2); /* the writer sees its own row */
    pthread_barrier_wait(&b);
    pthread_barrier_wait(&b); /* the reader has counted, and does not block the writer */
    assert_int_equal(store_commit(fx->st), ERR_OK);
    /* the reader counts after the second barrier: either after our commit or not; wait */
    pthread_join(t, NULL);
    pthread_barrier_destroy(&b);
    assert_int_equal(r.seen_during, 1);
    (void)r.seen_after;
    assert_int_equal(count_apps(fx->st), 2);
    struct store *other = conf_open(&fx->db);
    assert_int_equal(count_apps(other), 2);
    store_close(other);
}

/* ---- the pool ---- */

struct pooled {
    struct store_pool *p;
    struct store *first, *second;
    int rc;
};

static void *pool_thread(void *arg)
{
    struct pooled *x = arg;
    x->rc = store_pool_get(x->p, &x->first, NULL);
    if (x->rc == ERR_OK)
        x->rc = store_pool_get(x->p, &x->second, NULL);
    return NULL;
}

static void test_pool(void **state)
{
    struct conf_fx *fx = *state;
    struct store_pool *p = NULL;
    struct store *a = NULL, *b = NULL;
    assert_int_equal(store_pool_new(fx->db.name, 2, &p), ERR_OK);
    assert_int_equal(store_pool_get(p, &a, NULL), ERR_OK);
    assert_non_null(a);
    assert_int_equal(store_pool_get(p, &b, NULL), ERR_OK);
    assert_ptr_equal(a, b); /* the same connection on the same thread */
    assert_ptr_not_equal(a, fx->st);
    assert_int_equal(store_setting_set(a, "pool", "1"), ERR_OK);
    struct pooled x = { .p = p, .rc = 1 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, pool_thread, &x), 0);
    pthread_join(t, NULL);
    assert_int_equal(x.rc, ERR_OK);
    assert_ptr_equal(x.first, x.second);
    assert_ptr_not_equal(x.first, a); /* one connection per thread */
    char v[8];
    assert_int_equal(store_setting_get(x.first, "pool", v, sizeof(v)), ERR_OK);
    /* a third thread is over max = 2 */
    struct pooled y = { .p = p, .rc = 1 };
    assert_int_equal(pthread_create(&t, NULL, pool_thread, &y), 0);
    pthread_join(t, NULL);
    assert_int_equal(y.rc, ERR_STORE);
    store_pool_free(p);
    store_pool_free(NULL);
    /* a pool opens existing databases only */
    if (!conf_is_url()) {
        char missing[600];
        snprintf(missing, sizeof(missing), "%s.missing", fx->db.name);
        assert_int_equal(store_pool_new(missing, 1, &p), ERR_OK);
        assert_int_equal(store_pool_get(p, &a, NULL), ERR_NOT_FOUND);
        store_pool_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_open_migrate),
        CONF_TEST(test_open_errors),
        CONF_TEST(test_tx_commit_rollback),
        CONF_TEST(test_tx_savepoints),
        CONF_TEST(test_commit_without_begin),
        CONF_TEST(test_error_mapping),
        CONF_TEST(test_concurrent_writers),
        CONF_TEST(test_many_writers),
        CONF_TEST(test_reader_sees_committed_only),
        CONF_TEST(test_pool),
    };
    return cmocka_run_group_tests_name("store_conn", tests, NULL, NULL);
}
