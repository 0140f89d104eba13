/* bench/report_bench.c — the year report's speed (issue 11, docs/PERFORMANCE.md).
 *
 *   bash bench/report.sh [APPS] [CALLS]      (builds this against build/liballo153.a)
 *   report_bench fill DB PROVINCE APPS CALLS   fill an `alo153 init`ed database with a year
 *                                             (2025) of applications through core (creation,
 *                                             routing, accept, respond, close, some returns,
 *                                             transfers, reopenings; so the rollups are kept
 *                                             as in production) and CALLS raw calls
 *   report_bench time DB RUNS                  time report_summary for 2025, whole centre and
 *                                             one department, RUNS times each; and the
 *                                             rollup rebuild once
 *
 * Deterministic (own generator). Prints one line per figure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "core/rollup.h"
#include "report/summary.h"
#include "store/store.h"
#include "util/log.h"
#include "util/timeutil.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* this process's CPU time: on a shared machine the comparable figure */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct places {
    int64_t d[64], nb[64][128];
    int nd, nnb[64];
};

static int nb_one(void *ctx, int64_t id, const char *name)
{
    int *x = ctx;
    struct places *p = *(struct places **)(x + 2);
    (void)name;
    if (p->nnb[x[0]] < 128)
        p->nb[x[0]][p->nnb[x[0]]++] = id;
    return 0;
}

static int d_one(void *ctx, int64_t id, const char *name, const char *province)
{
    struct places *p = ctx;
    (void)name;
    (void)province;
    if (p->nd < 64)
        p->d[p->nd++] = id;
    return 0;
}

static const char *const channels[] = {
    "phone_153", "phone_153",  "phone_153", "phone_153", "desk",
    "web",       "mobile_app", "whatsapp",  "cimer",     "email"
};
static const char *const kinds[] = { "request",     "request",   "request",    "request",
                                     "complaint",   "complaint", "suggestion", "tip",
                                     "information", "thanks" };
static const char *const suggestions[] = {
    "Parka daha fazla bank konulmasını öneriyorum",
    "Otobüs seferleri akşam saatlerinde artırılsın",
    "Mahallemize bisiklet yolu yapılmasını öneriyorum",
    "Sokak hayvanları için barınak kapasitesi artırılsın",
    "Çocuk oyun parkına gölgelik yapılsın",
};

static int fill(const char *db, int napps, int ncalls)
{
    struct store *st;
    struct err_detail ed = { 0 };
    if (store_open(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "open: %s\n", ed.message);
        return 1;
    }
    core_calendar_reload(st);
    struct category *cats;
    size_t ncats;
    store_category_list(st, NULL, &cats, &ncats);
    size_t nuse = 0;
    for (size_t i = 0; i < ncats; i++)
        if (cats[i].active && !cats[i].redirect[0] && strcmp(cats[i].department_code, "DIS"))
            cats[nuse++] = cats[i];
    static struct places pl;
    store_district_each(st, d_one, &pl);
    for (int i = 0; i < pl.nd; i++) {
        int ctx[4] = { i, 0, 0, 0 };
        struct places *pp = &pl;
        memcpy(ctx + 2, &pp, sizeof(pp));
        store_neighbourhood_each(st, pl.d[i], nb_one, ctx);
    }
    struct user sup;
    if (store_user_by_name(st, "bench", &sup, NULL, 0) != ERR_OK) {
        struct user u = { .role = ROLE_SUPERVISOR, .created_at = 1700000000 };
        memcpy(u.username, "bench", 6);
        store_user_create(st, &u, "x", NULL);
        store_user_by_name(st, "bench", &sup, NULL, 0);
    }
    int64_t citizens[2000];
    store_begin(st);
    for (int i = 0; i < 2000; i++) {
        struct citizen c = { .created_at = 1700000000 };
        store_citizen_create(st, &c);
        citizens[i] = c.id;
    }
    store_commit(st);
    int64_t y0 = time_days_from_civil(2025, 1, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    double t0 = now_s();
    int failed = 0;
    store_begin(st);
    for (int i = 0; i < napps; i++) {
        /* a skewed topic mix: the first categories are asked about far more */
        unsigned r = rnd(1000);
        size_t ci = (size_t)((double)nuse * pow((double)r / 1000.0, 2.0));
        const struct category *cat = &cats[ci < nuse ? ci : nuse - 1];
        int d = pl.nd ? (int)rnd((unsigned)pl.nd) : 0;
        const char *kind = kinds[rnd(10)];
        struct app_input in = {
            .channel = channels[rnd(10)],
            .kind = kind,
            .text = strcmp(kind, "suggestion") == 0 ? suggestions[rnd(5)]
                                                    : "Sokağımızdaki sorunla ilgilenilmesini rica "
                                                      "ediyorum",
            .category = cat->code,
            .district_id = pl.nd ? pl.d[d] : 0,
            .neighbourhood_id = pl.nd && pl.nnb[d] ? pl.nb[d][rnd((unsigned)pl.nnb[d])] : 0,
            .citizen_id = strcmp(kind, "complaint") == 0 && rnd(3) == 0 ? citizens[rnd(2000)] : 0,
            .route = rnd(20) != 0,
            .created_at = y0 + (int64_t)rnd(365) * 86400 + 6 * 3600 + (int64_t)rnd(12 * 3600),
        };
        struct app a;
        if (core_app_create(st, &sup, &in, &a, &ed) != ERR_OK) {
            failed++;
            continue;
        }
        int64_t id = a.id, at = a.created_at;
        enum app_status status = a.status;
        app_release(&a);
        if (status != ST_FORWARDED)
            goto next;
        /* what happens to it: most are answered, within days; some are returned, transferred,
         * closed and reopened */
        enum app_action plan[8];
        int np = 0;
        unsigned fate = rnd(100);
        if (fate < 4) {
            plan[np++] = ACT_RETURN;
        } else if (fate < 8) {
            plan[np++] = ACT_TRANSFER;
        } else if (fate < 93) {
            plan[np++] = ACT_ACCEPT;
            plan[np++] = ACT_RESPOND;
            if (fate < 70)
                plan[np++] = ACT_CLOSE;
            if (fate < 2 + 8 + 2)
                plan[np++] = ACT_REOPEN;
        }
        for (int k = 0; k < np; k++) {
            at += (int64_t)rnd(4 * 86400) + 600;
            struct act_input ai = { .note = "not",
                                    .response = "Ekiplerimiz sorunu giderdi.",
                                    .department = cat->department_code,
                                    .at = at };
            if (plan[k] == ACT_TRANSFER) {
                const struct category *to = &cats[rnd((unsigned)nuse)];
                ai.category = to->code;
                ai.department = to->department_code;
            }
            if (core_app_act(st, &sup, id, plan[k], &ai, &a, &ed) == ERR_OK)
                app_release(&a);
        }
    next:
        if (i % 20000 == 19999) {
            store_commit(st);
            store_begin(st);
            fprintf(stderr, "fill: %d applications, %.0f s\n", i + 1, now_s() - t0);
        }
    }
    store_commit(st);
    double t1 = now_s();
    printf("fill: %d applications through core in %.1f s (%.0f per second), %d refused\n", napps,
           t1 - t0, napps / (t1 - t0), failed);
    store_begin(st);
    for (int i = 0; i < ncalls; i++) {
        struct call c = { 0 };
        snprintf(c.ref, sizeof(c.ref), "bench-%d", i);
        c.offered_at = y0 + (int64_t)rnd(365) * 86400 + 6 * 3600 + (int64_t)rnd(14 * 3600);
        unsigned f = rnd(100);
        if (f < 94) {
            c.answered_at = c.offered_at + rnd(60);
            c.ended_at = c.answered_at + 60 + rnd(300);
        } else {
            c.abandoned_at = c.offered_at + rnd(120);
        }
        store_call_save(st, &c);
        if (i % 100000 == 99999) {
            store_commit(st);
            store_begin(st);
        }
    }
    store_commit(st);
    if (ncalls)
        printf("fill: %d calls (raw rows) in %.1f s\n", ncalls, now_s() - t1);
    free(cats);
    store_close(st);
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void timed(struct store *st, const char *what, int64_t scope, int runs)
{
    double t[32], c[32];
    struct report_summary_params p = { .from = "2025-01-01",
                                       .to = "2025-12-31",
                                       .at = time_days_from_civil(2026, 1, 15) * 86400,
                                       .scope_department = scope,
                                       .kpi = { .sl_s = 20, .short_s = 5 } };
    struct report_summary *s = NULL;
    struct err_detail ed = { 0 };
    if (runs > 32)
        runs = 32;
    for (int i = 0; i < runs; i++) {
        double a = now_s(), ac = cpu_s();
        if (report_summary(st, &p, &s, &ed) != ERR_OK) {
            fprintf(stderr, "report: %s\n", ed.message);
            return;
        }
        t[i] = now_s() - a;
        c[i] = cpu_s() - ac;
        if (i == runs - 1)
            printf("%s: applications %lld, resolved %lld, median %.0f wd, p90 %.0f wd, "
                   "calls offered %lld\n",
                   what, (long long)s->apps.total, (long long)s->apps.resolved,
                   s->apps.resolution_median_wd, s->apps.resolution_p90_wd,
                   (long long)s->calls.offered);
        report_summary_free(s);
    }
    qsort(t, (size_t)runs, sizeof(t[0]), cmp_d);
    printf("%s: report_summary 2025 in %.1f ms (median of %d; min %.1f, max %.1f)\n", what,
           t[runs / 2] * 1000, runs, t[0] * 1000, t[runs - 1] * 1000);
    qsort(c, (size_t)runs, sizeof(c[0]), cmp_d);
    printf("%s: report_summary 2025 CPU %.1f ms (median of %d; min %.1f, max %.1f)\n", what,
           c[runs / 2] * 1000, runs, c[0] * 1000, c[runs - 1] * 1000);
}

static int time_it(const char *db, int runs)
{
    struct store *st;
    struct err_detail ed = { 0 };
    if (store_open(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "open: %s\n", ed.message);
        return 1;
    }
    core_calendar_reload(st);
    timed(st, "whole centre", 0, runs);
    struct department d;
    if (store_department_by_code(st, "FEN", &d) == ERR_OK)
        timed(st, "manager of FEN", d.id, runs);
    struct kpi_calls k;
    struct kpi_params kp = { 20, 5 };
    int64_t f = time_days_from_civil(2025, 1, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    double a = now_s();
    report_kpi_calls(st, f, f + 365 * 86400, f + 400 * 86400, &kp, &k);
    printf("report_kpi_calls 2025 alone (one call): %.1f ms\n", (now_s() - a) * 1000);
    int64_t n = 0;
    a = now_s();
    if (!getenv("BENCH_NO_REBUILD") && core_rollup_rebuild_apps(st, &n, &ed) == ERR_OK)
        printf("core_rollup_rebuild_apps: %lld applications in %.1f s\n", (long long)n,
               now_s() - a);
    store_close(st);
    return 0;
}

int main(int argc, char **argv)
{
    log_set_level(LOG_ERROR + 1);
    if (argc == 6 && strcmp(argv[1], "fill") == 0)
        return fill(argv[2], atoi(argv[4]), atoi(argv[5]));
    if (argc == 4 && strcmp(argv[1], "time") == 0)
        return time_it(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: report_bench fill DB PROVINCE APPS CALLS | time DB RUNS\n");
    return 2;
}
