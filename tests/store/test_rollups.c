/* The application rollups (store.h, "application rollups"; core/rollup.h): after random
 * lifecycle actions through core (create, route, accept, forward/transfer, return, respond,
 * reject the answer, close, reopen, recategorise, out of scope, hold/resume), the rollups kept
 * change by change equal a full recount from the rows (core_rollup_rebuild_apps), row for row
 * in the three tables at both grains; and reading them back after the rebuild gives the same
 * again. Runs on every backend of the conformance suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "core/app.h"
#include "core/rollup.h"
#include "core/setup.h"
#include "util/log.h"
#include "util/strbuf.h"

/* a small deterministic generator (the test must not depend on the C library's rand) */
static uint64_t rng = 0x2545F4914F6CDD1Dull;
static unsigned next_rand(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

struct lines {
    char **v;
    size_t n, cap;
};

static int line_add(void *ctx, const struct app_rollup *r)
{
    struct lines *l = ctx;
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_addf(
        &b, "%d %lld d%lld c%lld %s %s p%lld/%lld bin%d = %lld %lld %lld %lld %lld %lld %lld",
        r->grain, (long long)r->bucket, (long long)r->department_id, (long long)r->category_id,
        r->channel, r->kind, (long long)r->district_id, (long long)r->neighbourhood_id, r->res_bin,
        (long long)r->n, (long long)r->open, (long long)r->resolved, (long long)r->in_deadline,
        (long long)r->returned, (long long)r->transferred, (long long)r->reopened);
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = strbuf_detach(&b, NULL);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every non-zero rollup row, as sorted text lines */
static void snapshot(struct store *st, struct lines *l)
{
    memset(l, 0, sizeof(*l));
    for (int t = ROLLUP_APPS; t <= ROLLUP_RESTIME; t++)
        for (int g = APP_GRAIN_DAY; g <= APP_GRAIN_MONTH; g++)
            assert_int_equal(store_rollup_app_each(st, (enum rollup_table)t, (enum rollup_grain)g,
                                                   0, 1000000, line_add, l),
                             ERR_OK);
    if (l->n) /* qsort(NULL, 0, …) is undefined (UBSan) */
        qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static void assert_same(const struct lines *a, const struct lines *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0) {
            fprintf(stderr, "kept:    %s\nrecount: %s\n", a->v[i], b->v[i]);
            fail();
        }
    assert_int_equal(a->n, b->n);
}

/* sums over the day rows of ROLLUP_APPS */
struct sums {
    int64_t n, open, resolved, returned, transferred, reopened;
};

static int sum_row(void *ctx, const struct app_rollup *r)
{
    struct sums *s = ctx;
    s->n += r->n;
    s->open += r->open;
    s->resolved += r->resolved;
    s->returned += r->returned;
    s->transferred += r->transferred;
    s->reopened += r->reopened;
    return 0;
}

static const char *const categories[] = { "FEN_YOL_CUKUR", "ZAB_SEYYAR", "SU_KESINTI" };
static const char *const departments[] = { "CEVRE", "FEN_YOL", "ZABITA", "SU" };
static const char *const channels[] = { "phone_153", "desk", "web", "cimer" };
static const char *const kinds[] = { "request", "complaint", "suggestion" };
static const enum app_action actions[] = {
    ACT_ROUTE,    ACT_ROUTE,   ACT_ACCEPT,  ACT_ACCEPT,        ACT_ACCEPT,
    ACT_RESPOND,  ACT_RESPOND, ACT_RESPOND, ACT_CLOSE,         ACT_CLOSE,
    ACT_CLOSE,    ACT_REOPEN,  ACT_REOPEN,  ACT_RETURN,        ACT_TRANSFER,
    ACT_TRANSFER, ACT_HOLD,    ACT_RESUME,  ACT_REJECT_ANSWER, ACT_OUT_OF_SCOPE,
};
#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

#define NAPPS 40
#define NACTS 600

static void test_random_lifecycle(void **state)
{
    struct store *st = FX(state)->st;
    struct user sup;
    struct err_detail ed = { 0 };
    int64_t dist[2], nb[2][2], ids[NAPPS];
    int64_t t0 = 1767214800; /* 2026-01-01 00:00 Istanbul */

    log_set_level(LOG_ERROR + 1);
    assert_int_equal(store_district_upsert(st, "38", "Talas", &dist[0]), ERR_OK);
    assert_int_equal(store_district_upsert(st, "38", "Melikgazi", &dist[1]), ERR_OK);
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < 2; k++)
            assert_int_equal(
                store_neighbourhood_upsert(st, dist[d], k ? "Yeni Mah" : "Merkez Mah", &nb[d][k]),
                ERR_OK);
    assert_int_equal(setup_reference(st, "38", "Kayseri", NULL), ERR_OK);
    conf_user(st, "sup", ROLE_SUPERVISOR, 0);
    assert_int_equal(store_user_by_name(st, "sup", &sup, NULL, 0), ERR_OK);

    for (int i = 0; i < NAPPS; i++) {
        int d = (int)next_rand(2), k = (int)next_rand(2);
        struct app_input in = { .channel = channels[next_rand(4)],
                                .kind = kinds[next_rand(3)],
                                .text = "Talas yolunda derin çukur var",
                                .category = next_rand(4) ? categories[next_rand(3)] : NULL,
                                .district_id = next_rand(5) ? dist[d] : 0,
                                .route = next_rand(2),
                                /* three months, some on the last day of a month */
                                .created_at = t0 + (int64_t)next_rand(90) * 86400 +
                                              (int64_t)next_rand(86400) };
        in.neighbourhood_id = in.district_id ? nb[d][k] : 0;
        struct app a;
        if (!in.category)
            in.route = false;
        int rc = core_app_create(st, &sup, &in, &a, &ed);
        if (rc != ERR_OK)
            fprintf(stderr, "create: %s %s\n", ed.field, ed.message);
        assert_int_equal(rc, ERR_OK);
        ids[i] = a.id;
        app_release(&a);
    }
    int done = 0;
    for (int i = 0; i < NACTS; i++) {
        struct act_input in = { .note = "gerekçe",
                                .response = "Ekip yönlendirildi, onarıldı",
                                .category = categories[next_rand(3)],
                                .department = departments[next_rand(4)],
                                .institution = "TEDAŞ (186)",
                                .at = t0 + 95 * 86400 + (int64_t)i * 3600 };
        struct app a;
        if (core_app_act(st, &sup, ids[next_rand(NAPPS)], actions[next_rand(NACTIONS)], &in, &a,
                         &ed) == ERR_OK) {
            done++;
            app_release(&a);
        }
    }
    assert_true(done > 80);

    struct lines kept, recount, again;
    snapshot(st, &kept);
    int64_t napps = 0;
    assert_int_equal(core_rollup_rebuild_apps(st, &napps, &ed), ERR_OK);
    assert_int_equal(napps, NAPPS);
    snapshot(st, &recount);
    assert_same(&kept, &recount);
    /* a second rebuild changes nothing */
    assert_int_equal(core_rollup_rebuild_apps(st, NULL, &ed), ERR_OK);
    snapshot(st, &again);
    assert_same(&recount, &again);

    /* the counts the actions must have produced (else the comparison proves little) */
    struct sums s = { 0 };
    assert_int_equal(store_rollup_app_each(st, ROLLUP_APPS, APP_GRAIN_DAY, 0, 1000000, sum_row, &s),
                     ERR_OK);
    assert_int_equal(s.n, NAPPS);
    assert_true(s.open > 0 && s.resolved > 0);
    if (getenv("CONF_DEBUG"))
        fprintf(stderr,
                "done %d open %lld resolved %lld returned %lld transferred %lld reopened %lld\n",
                done, (long long)s.open, (long long)s.resolved, (long long)s.returned,
                (long long)s.transferred, (long long)s.reopened);
    assert_true(s.returned > 0 && s.transferred > 0 && s.reopened > 0);
    struct sums m = { 0 };
    assert_int_equal(
        store_rollup_app_each(st, ROLLUP_APPS, APP_GRAIN_MONTH, 0, 1000000, sum_row, &m), ERR_OK);
    assert_memory_equal(&s, &m, sizeof(s));
    lines_free(&kept);
    lines_free(&recount);
    lines_free(&again);
}

/* Adding and taking away the same contribution leaves no row behind (reads skip zero rows),
 * and a month row sums its days. */
static void test_add_remove(void **state)
{
    struct store *st = FX(state)->st;
    struct app_rollup r = { .bucket = 20454, /* 2026-01-01 */
                            .department_id = 3,
                            .category_id = 7,
                            .district_id = 2,
                            .neighbourhood_id = 5,
                            .channel = "web",
                            .kind = "complaint",
                            .res_bin = 4,
                            .n = 1,
                            .resolved = 1,
                            .in_deadline = 1 };
    struct lines l;
    assert_int_equal(store_rollup_app_add(st, &r, 1), ERR_OK);
    r.bucket = 20484; /* 2026-01-31 */
    assert_int_equal(store_rollup_app_add(st, &r, 1), ERR_OK);
    snapshot(st, &l);
    assert_int_equal(l.n, 2 * 3 + 3); /* 2 days × 3 tables + 1 month × 3 tables */
    lines_free(&l);
    struct sums m = { 0 };
    assert_int_equal(
        store_rollup_app_each(st, ROLLUP_APPS, APP_GRAIN_MONTH, 2026 * 12, 2026 * 12, sum_row, &m),
        ERR_OK);
    assert_int_equal(m.n, 2);
    assert_int_equal(m.resolved, 2);
    assert_int_equal(store_rollup_app_add(st, &r, -1), ERR_OK);
    r.bucket = 20454;
    assert_int_equal(store_rollup_app_add(st, &r, -1), ERR_OK);
    snapshot(st, &l);
    assert_int_equal(l.n, 0);
    lines_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_add_remove),
        CONF_TEST(test_random_lifecycle),
    };
    return cmocka_run_group_tests_name("rollups", tests, NULL, NULL);
}
