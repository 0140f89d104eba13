/* Conformance: the KPI rollups (store.h "KPI rollups"). Calls change in random order (events
 * out of order move offered_at earlier, answer a call late, re-save the same state, change its
 * agent), contacts open and close; the rollups must always equal a full recount from the rows,
 * per 15-minute, day and month bucket, the longest wait included, and store_rollup_rebuild must
 * give the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "core/contact.h"

#define NCALLS 60
#define T0 1767214800 /* 2026-01-01 00:00 Istanbul */

static uint64_t rng = 88172645463325252ULL;
static int64_t pick(int64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % (uint64_t)n);
}

/* ---- the recount: every call's contribution, summed per bucket ---- */
struct recount {
    int span, sl_s, short_s;
    const struct rollup_filter *f;
    struct call_rollup b[4096];
    size_t n;
};

static int recount_call(void *ctx, const struct call *c)
{
    struct recount *x = ctx;
    struct call_rollup r;
    if (x->f->agent_id && c->agent_id != x->f->agent_id)
        return 0;
    if (x->f->queue && strcmp(c->queue, x->f->queue) != 0)
        return 0;
    store_call_contribution(c, x->span, x->sl_s, x->short_s, &r);
    size_t i = 0;
    while (i < x->n && x->b[i].start != r.start)
        i++;
    if (i == x->n) {
        assert_true(x->n < 4096);
        memset(&x->b[x->n++], 0, sizeof(r));
        x->b[i].start = r.start;
    }
    struct call_rollup *t = &x->b[i];
    t->offered += r.offered;
    t->answered += r.answered;
    t->abandoned += r.abandoned;
    t->short_abandoned += r.short_abandoned;
    t->answered_in_sl += r.answered_in_sl;
    t->wait_sum += r.wait_sum;
    t->handle_sum += r.handle_sum;
    t->handled += r.handled;
    if (r.max_wait > t->max_wait)
        t->max_wait = r.max_wait;
    return 0;
}

struct seen {
    struct recount *x;
    size_t rows;
};

static int check_row(void *ctx, const struct call_rollup *r)
{
    struct seen *s = ctx;
    size_t i = 0;
    while (i < s->x->n && s->x->b[i].start != r->start)
        i++;
    if (i == s->x->n)
        fail_msg("rollup bucket %lld has no calls", (long long)r->start);
    const struct call_rollup *t = &s->x->b[i];
    if (r->offered != t->offered || r->answered != t->answered || r->abandoned != t->abandoned ||
        r->short_abandoned != t->short_abandoned || r->answered_in_sl != t->answered_in_sl ||
        r->wait_sum != t->wait_sum || r->handle_sum != t->handle_sum || r->handled != t->handled ||
        r->max_wait != t->max_wait)
        fail_msg("bucket %lld: rollup %lld/%lld/%lld/%lld/%lld w%lld h%lld/%lld max%lld, "
                 "recount %lld/%lld/%lld/%lld/%lld w%lld h%lld/%lld max%lld",
                 (long long)r->start, (long long)r->offered, (long long)r->answered,
                 (long long)r->abandoned, (long long)r->short_abandoned,
                 (long long)r->answered_in_sl, (long long)r->wait_sum, (long long)r->handle_sum,
                 (long long)r->handled, (long long)r->max_wait, (long long)t->offered,
                 (long long)t->answered, (long long)t->abandoned, (long long)t->short_abandoned,
                 (long long)t->answered_in_sl, (long long)t->wait_sum, (long long)t->handle_sum,
                 (long long)t->handled, (long long)t->max_wait);
    s->rows++;
    return 0;
}

static void check_calls(struct store *st, const struct rollup_filter *f)
{
    static const int spans[] = { ROLLUP_15M, ROLLUP_DAY, ROLLUP_MONTH };
    for (int k = 0; k < 3; k++) {
        struct recount *x = calloc(1, sizeof(*x));
        x->span = spans[k];
        x->f = f;
        assert_int_equal(store_rollup_thresholds(st, &x->sl_s, &x->short_s), ERR_OK);
        assert_int_equal(store_call_each(st, 0, 0, recount_call, x), ERR_OK);
        struct seen s = { .x = x };
        assert_int_equal(store_call_rollup_each(st, spans[k], 0, 0, f, check_row, &s), ERR_OK);
        assert_int_equal(s.rows, x->n); /* and no bucket missing */
        free(x);
    }
}

/* ---- contacts: rollup totals per (bucket, channel, outcome) vs the listed contacts ---- */
struct ccount {
    int span;
    int64_t start[2048];
    char key[2048][64];
    int64_t n[2048];
    size_t len;
};

static void cc_add(struct ccount *c, int64_t start, const char *channel, const char *outcome,
                   int64_t n)
{
    char key[64];
    snprintf(key, sizeof(key), "%s/%s", channel, outcome);
    size_t i = 0;
    while (i < c->len && !(c->start[i] == start && strcmp(c->key[i], key) == 0))
        i++;
    if (i == c->len) {
        assert_true(c->len < 2048);
        c->start[i] = start;
        snprintf(c->key[i], sizeof(c->key[i]), "%s", key);
        c->n[c->len++] = 0;
    }
    c->n[i] += n;
}

static int cc_row(void *ctx, int64_t start, const char *channel, const char *outcome, int64_t n)
{
    cc_add(ctx, start, channel, outcome, n);
    return 0;
}

static void check_contacts(struct store *st)
{
    static const int spans[] = { ROLLUP_15M, ROLLUP_DAY, ROLLUP_MONTH };
    for (int k = 0; k < 3; k++) {
        struct ccount *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
        struct contact_filter f = { .outcome = -1, .limit = 500 };
        for (;;) {
            struct contact *v = NULL;
            size_t n = 0;
            int64_t next = 0;
            assert_int_equal(store_contact_list(st, &f, &v, &n, &next), ERR_OK);
            for (size_t i = 0; i < n; i++) {
                cc_add(a, store_rollup_bucket(spans[k], v[i].started_at), v[i].channel,
                       v[i].outcome ? contact_outcome_name(v[i].outcome) : "", 1);
                contact_release(&v[i]);
            }
            free(v);
            if (!next)
                break;
            f.after = next;
        }
        assert_int_equal(store_contact_rollup_each(st, spans[k], 0, 0, cc_row, b), ERR_OK);
        assert_int_equal(a->len, b->len);
        for (size_t i = 0; i < a->len; i++) {
            size_t j = 0;
            while (j < b->len && !(b->start[j] == a->start[i] && !strcmp(b->key[j], a->key[i])))
                j++;
            assert_true(j < b->len);
            assert_int_equal(a->n[i], b->n[j]);
        }
        free(a);
        free(b);
    }
}

static void check_all(struct store *st, const int64_t *agents)
{
    struct rollup_filter any = { 0 }, q = { .queue = "genel" }, ag = { .agent_id = agents[1] };
    check_calls(st, &any);
    check_calls(st, &q);
    check_calls(st, &ag);
    check_contacts(st);
}

static void test_rollup_random(void **state)
{
    struct store *st = FX(state)->st;
    int64_t agents[3] = { 0, conf_user(st, "ayse", ROLE_AGENT, 0),
                          conf_user(st, "can", ROLE_AGENT, 0) };
    static const char *const queues[] = { "genel", "zabita", "su" };
    struct call calls[NCALLS];
    int64_t contact_of[NCALLS] = { 0 };
    bool closed[NCALLS] = { false };
    memset(calls, 0, sizeof(calls));
    for (int step = 0; step < 900; step++) {
        /* steps 60k..60k+39 in one all-or-nothing transaction: their rollup additions are
         * summed in memory and written at its commit, or at a read inside it (check_all) */
        if (step % 60 == 0)
            assert_int_equal(store_begin_all(st), ERR_OK);
        int i = (int)pick(NCALLS);
        struct call *c = &calls[i];
        if (!c->id) { /* its first event: offered somewhere in three days, near midnights too */
            snprintf(c->ref, sizeof(c->ref), "R%d", i);
            c->offered_at =
                T0 - 2 * 86400 + pick(4) * 86400 + (pick(2) ? 86400 - 30 + pick(60) : pick(86400));
            snprintf(c->queue, sizeof(c->queue), "%s", queues[pick(3)]);
            snprintf(c->line, sizeof(c->line), "%s", pick(4) ? "153" : "phone_alt");
        } else {
            switch (pick(7)) {
            case 0: /* an earlier event arrived late: offered earlier (maybe across a bucket) */
                c->offered_at -= pick(40);
                break;
            case 1: /* answered (or answered earlier than we knew) */
                c->answered_at = c->offered_at + pick(45);
                c->abandoned_at = 0;
                c->agent_id = agents[1 + pick(2)];
                break;
            case 2: /* abandoned, when not answered */
                if (!c->answered_at)
                    c->abandoned_at = c->ended_at = c->offered_at + pick(12);
                break;
            case 3: /* ended */
                c->ended_at = (c->answered_at ? c->answered_at : c->offered_at) + pick(300);
                break;
            case 4: /* transferred: the call keeps its first agent */
                if (c->answered_at)
                    c->transferred_at = c->answered_at + pick(60);
                break;
            case 5: /* the queue was known only later */
                snprintf(c->queue, sizeof(c->queue), "%s", queues[pick(3)]);
                break;
            default: /* a duplicate: the same state again */ break;
            }
        }
        assert_int_equal(store_call_save(st, c), ERR_OK);
        if (c->answered_at && !contact_of[i] && pick(2)) {
            struct contact k = { .user_id = c->agent_id,
                                 .call_id = c->id,
                                 .started_at = c->offered_at,
                                 .answered_at = c->answered_at };
            snprintf(k.channel, sizeof(k.channel), "phone_153");
            assert_int_equal(store_contact_create(st, &k), ERR_OK);
            contact_of[i] = k.id;
        } else if (contact_of[i] && !closed[i] && c->ended_at && pick(2)) {
            struct contact k = { .id = contact_of[i],
                                 .outcome = pick(2) ? OUTCOME_INSTANT_INFO : OUTCOME_APPLICATION,
                                 .ended_at = c->ended_at + pick(90) };
            assert_int_equal(store_contact_close(st, &k), ERR_OK);
            closed[i] = true;
        }
        if (step % 10 == 0) { /* a walk-in: a contact without a call, closed at once or later */
            struct contact k = { .started_at = T0 + pick(3 * 86400) };
            snprintf(k.channel, sizeof(k.channel), "desk");
            if (pick(2)) {
                k.outcome = OUTCOME_INSTANT_INFO;
                k.ended_at = k.started_at + 60;
            }
            assert_int_equal(store_contact_create(st, &k), ERR_OK);
            if (!k.outcome && pick(2)) {
                struct contact cl = { .id = k.id,
                                      .outcome = OUTCOME_NOT_RELEVANT,
                                      .ended_at = k.started_at + 30 };
                assert_int_equal(store_contact_close(st, &cl), ERR_OK);
            }
        }
        if (step % 150 == 0)
            check_all(st, agents);
        if (step % 60 == 39)
            assert_int_equal(store_commit(st), ERR_OK);
    }
    check_all(st, agents);

    /* a rebuild gives the same; other thresholds (after a rebuild) are counted with */
    assert_int_equal(store_rollup_rebuild(st), ERR_OK);
    check_all(st, agents);
    assert_int_equal(store_setting_set(st, "kpi_sl_s", "10"), ERR_OK);
    assert_int_equal(store_setting_set(st, "kpi_short_s", "3"), ERR_OK);
    int sl = 0, sh = 0;
    assert_int_equal(store_rollup_thresholds(st, &sl, &sh), ERR_OK);
    assert_int_equal(sl, 10);
    assert_int_equal(sh, 3);
    assert_int_equal(store_rollup_rebuild(st), ERR_OK);
    check_all(st, agents);
}

/* A change that fails inside a transaction is rolled back with its rollup. */
static void test_rollup_rollback(void **state)
{
    struct store *st = FX(state)->st;
    struct call c = { .offered_at = T0 + 100, .answered_at = T0 + 130 };
    snprintf(c.ref, sizeof(c.ref), "RB1");
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_call_save(st, &c), ERR_OK);
    store_rollback(st);
    struct rollup_filter any = { 0 };
    check_calls(st, &any);
    c.id = 0; /* the rolled-back insert gave it an id that no longer exists */
    assert_int_equal(store_call_save(st, &c), ERR_OK);
    /* a 30 s wait answered: not within 20 s */
    struct recount *x = calloc(1, sizeof(*x));
    x->span = ROLLUP_DAY;
    x->f = &any;
    x->sl_s = 20;
    x->short_s = 5;
    assert_int_equal(store_call_each(st, 0, 0, recount_call, x), ERR_OK);
    assert_int_equal(x->n, 1);
    assert_int_equal(x->b[0].answered_in_sl, 0);
    assert_int_equal(x->b[0].max_wait, 30);
    assert_int_equal(x->b[0].start, T0);
    free(x);
    check_calls(st, &any);
}

/* Exchange events through core_call_event, mostly in order (the incremental fold) and some
 * late, duplicated or out of order (the refold), some batches all-or-nothing
 * (store_begin_all): every call equals call_fold of its stored events, and the rollups equal a
 * recount and a rebuild. */
static void test_rollup_call_events(void **state)
{
    struct store *st = FX(state)->st;
    int64_t agents[3] = { 0, conf_user(st, "ayse", ROLE_AGENT, 0),
                          conf_user(st, "can", ROLE_AGENT, 0) };
    static const char *const names[] = { "ayse", "can" };
    static const char *const types[] = { "offered", "queued",      "ringing",  "answered",
                                         "ended",   "transferred", "abandoned" };
    struct user tel = { .id = conf_user(st, "token.santral", ROLE_TELEPHONY, 0),
                        .role = ROLE_TELEPHONY };
    int64_t last[NCALLS] = { 0 };
    for (int step = 0; step < 700; step++) {
        bool batch = step % 50 == 0;
        if (batch)
            assert_int_equal(store_begin_all(st), ERR_OK);
        int i = (int)pick(NCALLS);
        char ref[16];
        snprintf(ref, sizeof(ref), "E%d", i);
        if (!last[i])
            last[i] = T0 - 86400 + pick(2 * 86400);
        int k = (int)pick(7);
        int64_t at = last[i] + 1 + pick(40); /* in order */
        if (pick(5) == 0)
            at = last[i] - pick(60); /* late, or a duplicate */
        if (at > last[i])
            last[i] = at;
        struct call_event_input in = { .call_id = ref,
                                       .type = types[k],
                                       .at = at,
                                       .line = pick(2) ? "153" : "",
                                       .queue = pick(3) ? "genel" : NULL,
                                       .caller = pick(2) ? "+905321112233" : NULL,
                                       .agent = k == 2 || k == 3 ? names[pick(2)] : NULL };
        struct call_event_result res;
        struct err_detail ed = { 0 };
        assert_int_equal(core_call_event(st, &tel, &in, T0 + 86400, &res, &ed), ERR_OK);
        if (batch)
            assert_int_equal(store_commit(st), ERR_OK);
        if (step % 100 == 0)
            check_all(st, agents);
    }
    for (int i = 0; i < NCALLS; i++) {
        char ref[16];
        snprintf(ref, sizeof(ref), "E%d", i);
        struct call got, want;
        struct call_event *ev = NULL;
        size_t n = 0;
        if (store_call_get(st, ref, &got) != ERR_OK)
            continue;
        want = got;
        assert_int_equal(store_call_events(st, ref, &ev, &n), ERR_OK);
        call_fold(ev, n, &want);
        free(ev);
        assert_string_equal(got.line, want.line);
        assert_string_equal(got.queue, want.queue);
        assert_string_equal(got.caller, want.caller);
        assert_int_equal(got.agent_id, want.agent_id);
        assert_int_equal(got.offered_at, want.offered_at);
        assert_int_equal(got.answered_at, want.answered_at);
        assert_int_equal(got.abandoned_at, want.abandoned_at);
        assert_int_equal(got.transferred_at, want.transferred_at);
        assert_int_equal(got.ended_at, want.ended_at);
        assert_int_equal(got.last_event_at, want.last_event_at);
    }
    check_all(st, agents);
    assert_int_equal(store_rollup_rebuild(st), ERR_OK);
    check_all(st, agents);
}

/* All or nothing: a part that fails inside store_begin_all takes the whole with it. */
static void test_begin_all(void **state)
{
    struct store *st = FX(state)->st;
    struct rollup_filter any = { 0 };
    struct call a = { .offered_at = T0 + 10 }, b = { .offered_at = T0 + 20 }, got;
    snprintf(a.ref, sizeof(a.ref), "ALL1");
    snprintf(b.ref, sizeof(b.ref), "ALL2");
    assert_int_equal(store_begin_all(st), ERR_OK);
    assert_int_equal(store_call_save(st, &a), ERR_OK);
    assert_int_equal(store_begin(st), ERR_OK); /* a part that succeeds */
    assert_int_equal(store_call_save(st, &b), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_begin(st), ERR_OK); /* a part that fails */
    store_rollback(st);
    assert_int_equal(store_commit(st), ERR_INTERNAL); /* a failed whole is never committed */
    assert_int_equal(store_call_get(st, "ALL1", &got), ERR_NOT_FOUND);
    assert_int_equal(store_call_get(st, "ALL2", &got), ERR_NOT_FOUND);
    check_calls(st, &any);
    /* without a failure it commits; and a new one starts clean */
    a.id = b.id = 0;
    assert_int_equal(store_begin_all(st), ERR_OK);
    assert_int_equal(store_call_save(st, &a), ERR_OK);
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_call_save(st, &b), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_call_get(st, "ALL2", &got), ERR_OK);
    check_calls(st, &any);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_rollup_random),
        CONF_TEST(test_rollup_rollback),
        CONF_TEST(test_rollup_call_events),
        CONF_TEST(test_begin_all),
    };
    return cmocka_run_group_tests_name("store_rollup", tests, NULL, NULL);
}
