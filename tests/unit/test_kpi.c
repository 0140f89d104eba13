/* KPIs on a small hand-computed day (report/kpi.h, docs/CONTACT_CENTRE.md): a short abandon,
 * an abandon at exactly the short threshold, a call answered at exactly the service-level
 * threshold and one a second later, a call offered before midnight and answered after it, a
 * call offered in one 15-minute bucket and answered in the next, a transfer, a call still
 * waiting. The same day through the rollups of a SQLite store, in buckets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "report/kpi.h"
#include "store/store.h"
#include "util/timeutil.h"

/* 2026-03-10 00:00 in Istanbul */
#define D0 (time_days_from_civil(2026, 3, 10) * 86400 - TIME_ISTANBUL_OFFSET)
#define AT(h, m, s) (D0 + (h)*3600 + (m)*60 + (s))
#define NOW AT(11, 0, 0)

static const struct kpi_params P = { .sl_s = 20, .short_s = 5 };

/* The day's calls; agent ids 1 (ayse) and 2 (can). *closed: contact closes (wrap-up end). */
static int day(struct call *c, int64_t *closed)
{
    int n = 0;
    /* A: answered at exactly 20 s (within the service level), talk 120 s, wrap-up 30 s */
    c[n] = (struct call){ .agent_id = 2,
                          .offered_at = AT(9, 0, 0),
                          .answered_at = AT(9, 0, 20),
                          .ended_at = AT(9, 2, 20) };
    closed[n++] = AT(9, 2, 50);
    /* B: abandoned after 4 s: a short abandon */
    c[n] = (struct call){ .offered_at = AT(9, 5, 0),
                          .abandoned_at = AT(9, 5, 4),
                          .ended_at = AT(9, 5, 4) };
    closed[n++] = 0;
    /* C: abandoned after exactly 5 s: not short (short is under 5 s) */
    c[n] = (struct call){ .offered_at = AT(9, 10, 0),
                          .abandoned_at = AT(9, 10, 5),
                          .ended_at = AT(9, 10, 5) };
    closed[n++] = 0;
    /* D: offered 09:14:50, answered 09:15:11 (21 s: outside; the next bucket), talk 60 s */
    c[n] = (struct call){ .agent_id = 2,
                          .offered_at = AT(9, 14, 50),
                          .answered_at = AT(9, 15, 11),
                          .ended_at = AT(9, 16, 11) };
    closed[n++] = 0;
    /* E: offered 23:59:50, answered 00:00:05 the next day (15 s), talk 100 s, wrap-up 20 s */
    c[n] = (struct call){ .agent_id = 2,
                          .offered_at = AT(23, 59, 50),
                          .answered_at = AT(24, 0, 5),
                          .ended_at = AT(24, 1, 45) };
    closed[n++] = AT(24, 2, 5);
    /* F: answered by ayse after 10 s, transferred after 60 s, ended 200 s after the answer;
     * its contact closed when the call ended (no wrap-up) */
    c[n] = (struct call){ .agent_id = 1,
                          .offered_at = AT(10, 0, 0),
                          .answered_at = AT(10, 0, 10),
                          .transferred_at = AT(10, 1, 10),
                          .ended_at = AT(10, 3, 30) };
    closed[n++] = AT(10, 3, 30);
    /* G: still waiting at 11:00 (offered 10:30) */
    c[n] = (struct call){ .offered_at = AT(10, 30, 0) };
    closed[n++] = 0;
    for (int i = 0; i < n; i++) {
        snprintf(c[i].ref, sizeof(c[i].ref), "K%d", i);
        snprintf(c[i].queue, sizeof(c[i].queue), "genel");
        snprintf(c[i].line, sizeof(c[i].line), "153");
        c[i].contact_closed_at = closed[i];
    }
    return n;
}

/* The day's totals by hand: offered 7, answered 4 (A D E F), abandoned 2 (B C), short 1 (B),
 * waiting 1 (G); within 20 s: A (20) E (15) F (10) = 3; base 4 + 2 - 1 = 5; ASA (20 + 21 +
 * 15 + 10) / 4 = 16.5; AHT (150 + 60 + 120 + 200) / 4 = 132.5; longest wait 21 (D). */
static void check_day(const struct kpi_calls *k, bool longest)
{
    assert_int_equal(k->offered, 7);
    assert_int_equal(k->answered, 4);
    assert_int_equal(k->abandoned, 2);
    assert_int_equal(k->short_abandoned, 1);
    assert_int_equal(k->waiting, 1);
    assert_int_equal(k->answered_in_sl, 3);
    assert_true(k->answer_rate > 0.8 - 1e-9 && k->answer_rate < 0.8 + 1e-9);
    assert_true(k->service_level > 0.6 - 1e-9 && k->service_level < 0.6 + 1e-9);
    assert_true(k->asa_s > 16.5 - 1e-9 && k->asa_s < 16.5 + 1e-9);
    assert_true(k->aht_s > 132.5 - 1e-9 && k->aht_s < 132.5 + 1e-9);
    assert_int_equal(k->max_wait_s, 21);
    if (longest)
        assert_int_equal(k->longest_waiting_s, 1800);
}

static void test_day_pure(void **state)
{
    (void)state;
    struct call c[8];
    int64_t closed[8];
    int n = day(c, closed);
    struct kpi_calls k = { 0 };
    for (int i = 0; i < n; i++)
        kpi_call_add(&k, &c[i], NOW, &P);
    kpi_calls_finish(&k);
    check_day(&k, true);

    /* the service level's edge: 20 s is within, with T = 19 A is out */
    struct kpi_params p19 = { .sl_s = 19, .short_s = 5 };
    struct kpi_calls k19 = { 0 };
    for (int i = 0; i < n; i++)
        kpi_call_add(&k19, &c[i], NOW, &p19);
    assert_int_equal(k19.answered_in_sl, 2);
    /* the short abandon's edge: with 6 s, C (5 s) is short too */
    struct kpi_params s6 = { .sl_s = 20, .short_s = 6 };
    struct kpi_calls k6 = { 0 };
    for (int i = 0; i < n; i++)
        kpi_call_add(&k6, &c[i], NOW, &s6);
    assert_int_equal(k6.short_abandoned, 2);
    kpi_calls_finish(&k6);
    assert_true(k6.answer_rate > 1 - 1e-9); /* 4 / (4 + 2 - 2) */
}

static void test_buckets(void **state)
{
    (void)state;
    assert_int_equal(kpi_bucket_parse("15m"), KPI_15M);
    assert_int_equal(kpi_bucket_parse("month"), KPI_MONTH);
    assert_int_equal(kpi_bucket_parse("week"), -1);
    assert_int_equal(kpi_bucket_parse(NULL), -1);
    /* Istanbul's midnight, not UTC's: 23:59:50 on the 10th is still the 10th */
    assert_int_equal(kpi_bucket_floor(KPI_DAY, AT(23, 59, 50)), D0);
    assert_int_equal(kpi_bucket_floor(KPI_DAY, AT(24, 0, 5)), D0 + 86400);
    assert_int_equal(kpi_bucket_floor(KPI_15M, AT(9, 14, 59)), AT(9, 0, 0));
    /* the rollups' day is Istanbul's too: 02:30 is 23:30 UTC the day before */
    assert_int_equal(store_rollup_bucket(ROLLUP_DAY, AT(2, 30, 0)), D0);
    assert_int_equal(store_rollup_bucket(ROLLUP_DAY, D0 - 1), D0 - 86400);
    assert_int_equal(store_rollup_bucket(ROLLUP_15M, AT(9, 14, 59)), AT(9, 0, 0));
    assert_int_equal(kpi_bucket_floor(KPI_1H, AT(9, 59, 59)), AT(9, 0, 0));
    assert_int_equal(kpi_bucket_floor(KPI_MONTH, AT(12, 0, 0)),
                     time_days_from_civil(2026, 3, 1) * 86400 - TIME_ISTANBUL_OFFSET);
    int64_t dec = time_days_from_civil(2026, 12, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    assert_int_equal(kpi_bucket_next(KPI_MONTH, dec),
                     time_days_from_civil(2027, 1, 1) * 86400 - TIME_ISTANBUL_OFFSET);
    int64_t y0 = time_days_from_civil(2026, 1, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    int64_t y1 = time_days_from_civil(2027, 1, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    assert_int_equal(kpi_bucket_count(KPI_MONTH, y0, y1, KPI_MAX_BUCKETS), 12);
    assert_int_equal(kpi_bucket_count(KPI_DAY, y0, y1, KPI_MAX_BUCKETS), 365);
    assert_int_equal(kpi_bucket_count(KPI_15M, y0, y0 + 31 * 86400, KPI_MAX_BUCKETS), 2976);
    assert_int_equal(kpi_bucket_count(KPI_15M, y0, y0 + 32 * 86400, KPI_MAX_BUCKETS),
                     KPI_MAX_BUCKETS + 1);
}

/* ---- the same day through a store's rollups ---- */

static struct store *open_day(char *path, size_t len)
{
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    snprintf(path, len, "/tmp/alo153-kpi-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    assert_int_equal(store_open(path, &st, &ed), ERR_OK);
    static const char *const names[] = { "ayse", "can" };
    for (int i = 0; i < 2; i++) {
        struct user u = { .role = ROLE_AGENT, .created_at = D0 };
        snprintf(u.username, sizeof(u.username), "%s", names[i]);
        assert_int_equal(store_user_create(st, &u, "!", NULL), ERR_OK);
        assert_int_equal(u.id, i + 1);
    }
    struct call c[8];
    int64_t closed[8];
    int n = day(c, closed);
    for (int i = 0; i < n; i++) {
        c[i].contact_closed_at = 0;
        /* as the exchange sends it: offered first, then the rest */
        struct call first = { .offered_at = c[i].offered_at };
        memcpy(first.ref, c[i].ref, sizeof(first.ref));
        memcpy(first.queue, c[i].queue, sizeof(first.queue));
        memcpy(first.line, c[i].line, sizeof(first.line));
        assert_int_equal(store_call_save(st, &first), ERR_OK);
        c[i].id = first.id;
        assert_int_equal(store_call_save(st, &c[i]), ERR_OK);
        if (c[i].answered_at) {
            struct contact k = { .user_id = c[i].agent_id,
                                 .call_id = c[i].id,
                                 .started_at = c[i].offered_at,
                                 .answered_at = c[i].answered_at };
            snprintf(k.channel, sizeof(k.channel), "phone_153");
            assert_int_equal(store_contact_create(st, &k), ERR_OK);
            if (closed[i]) {
                struct contact cl = { .id = k.id,
                                      .outcome = OUTCOME_INSTANT_INFO,
                                      .ended_at = closed[i] };
                assert_int_equal(store_contact_close(st, &cl), ERR_OK);
            }
        }
    }
    return st;
}

static void close_day(struct store *st, const char *path)
{
    char p[80];
    store_close(st);
    for (const char *sfx = ""; sfx; sfx = *sfx ? (sfx[1] == 'w' ? "-shm" : NULL) : "-wal") {
        snprintf(p, sizeof(p), "%s%s", path, sfx);
        unlink(p);
    }
}

static void test_day_rollups(void **state)
{
    (void)state;
    char path[64];
    struct store *st = open_day(path, sizeof(path));
    struct kpi_calls k;
    /* the old signature, now over the rollups: the same numbers */
    assert_int_equal(report_kpi_calls(st, D0, D0 + 86400, NOW, &P, &k), ERR_OK);
    check_day(&k, true);
    /* today so far (not whole buckets at its end): the same */
    assert_int_equal(report_kpi_calls(st, D0, NOW + 1, NOW, &P, &k), ERR_OK);
    assert_int_equal(k.offered, 6); /* E is offered at 23:59:50 */
    assert_int_equal(k.longest_waiting_s, 1800);
    /* other thresholds than the rollups': counted from the calls */
    struct kpi_params p19 = { .sl_s = 19, .short_s = 5 };
    assert_int_equal(report_kpi_calls(st, D0, D0 + 86400, NOW, &p19, &k), ERR_OK);
    assert_int_equal(k.answered_in_sl, 2);

    /* by hour: 24 buckets, A B C D at 09, F G at 10, E at 23; the rest zeros */
    struct kpi_params p;
    struct kpi_call_series s;
    assert_int_equal(report_kpi_call_series(st, D0, D0 + 86400, KPI_1H, NULL, &p, &s), ERR_OK);
    assert_int_equal(p.sl_s, 20);
    assert_int_equal(p.short_s, 5);
    assert_int_equal(s.n, 24);
    check_day(&s.total, false);
    assert_int_equal(s.start[9], AT(9, 0, 0));
    assert_int_equal(s.calls[9].offered, 4);
    assert_int_equal(s.calls[9].answered, 2);
    assert_int_equal(s.calls[9].abandoned, 2);
    assert_int_equal(s.calls[9].short_abandoned, 1);
    assert_int_equal(s.calls[9].answered_in_sl, 1);
    assert_int_equal(s.calls[9].max_wait_s, 21);
    assert_true(s.calls[9].service_level > 1.0 / 3 - 1e-9 &&
                s.calls[9].service_level < 1.0 / 3 + 1e-9);
    assert_int_equal(s.calls[10].offered, 2);
    assert_int_equal(s.calls[10].waiting, 1);
    assert_true(s.calls[10].aht_s > 200 - 1e-9 && s.calls[10].aht_s < 200 + 1e-9);
    assert_int_equal(s.calls[23].offered, 1);
    assert_true(s.calls[23].aht_s > 120 - 1e-9 && s.calls[23].aht_s < 120 + 1e-9);
    for (int h = 0; h < 24; h++)
        if (h != 9 && h != 10 && h != 23)
            assert_int_equal(s.calls[h].offered, 0);
    kpi_call_series_release(&s);

    /* by 15 minutes: D (09:14:50, answered 09:15:11) is in the 09:00 bucket */
    assert_int_equal(report_kpi_call_series(st, D0, D0 + 86400, KPI_15M, NULL, &p, &s), ERR_OK);
    assert_int_equal(s.n, 96);
    assert_int_equal(s.calls[36].offered, 4);
    assert_int_equal(s.calls[37].offered, 0);
    assert_int_equal(s.calls[95].offered, 1);
    kpi_call_series_release(&s);

    /* by day over two days: all seven on the 10th (E is offered before midnight) */
    assert_int_equal(report_kpi_call_series(st, D0, D0 + 2 * 86400, KPI_DAY, NULL, &p, &s), ERR_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.calls[0].offered, 7);
    assert_int_equal(s.calls[1].offered, 0);
    kpi_call_series_release(&s);

    /* by agent: the transferred call F stays ayse's (the first to answer) */
    struct rollup_filter ayse = { .agent_id = 1 }, can = { .agent_id = 2 };
    assert_int_equal(report_kpi_call_series(st, D0, D0 + 86400, KPI_DAY, &ayse, &p, &s), ERR_OK);
    assert_int_equal(s.total.offered, 1);
    assert_int_equal(s.total.answered, 1);
    assert_int_equal(s.total.handle_sum_s, 200);
    kpi_call_series_release(&s);
    assert_int_equal(report_kpi_call_series(st, D0, D0 + 86400, KPI_DAY, &can, &p, &s), ERR_OK);
    assert_int_equal(s.total.answered, 3);
    assert_int_equal(s.total.handle_sum_s, 330);
    kpi_call_series_release(&s);

    /* contacts: A E F closed as instant information, D open */
    struct kpi_contact_series cs;
    assert_int_equal(report_kpi_contact_series(st, D0, D0 + 86400, KPI_1H, &cs), ERR_OK);
    assert_int_equal(cs.total.total, 4);
    assert_int_equal(cs.total.open, 1);
    assert_int_equal(cs.total.by_outcome[OUTCOME_INSTANT_INFO], 3);
    assert_int_equal(cs.contacts[9].total, 2);
    assert_int_equal(cs.contacts[23].by_outcome[OUTCOME_INSTANT_INFO], 1);
    kpi_contact_series_release(&cs);

    /* not whole days, or too many buckets: refused */
    assert_int_equal(report_kpi_call_series(st, D0 + 60, D0 + 86400, KPI_1H, NULL, &p, &s),
                     ERR_INVALID);
    assert_int_equal(report_kpi_call_series(st, D0, D0 + 40 * 86400, KPI_15M, NULL, &p, &s),
                     ERR_INVALID);
    close_day(st, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_pure),
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_day_rollups),
    };
    return cmocka_run_group_tests_name("kpi", tests, NULL, NULL);
}
