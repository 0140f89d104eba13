/* The contact centre's pure rules: one consistent outcome per contact, exchange events folded
 * in any order, agent transitions, and the KPI definitions on small hand-computed days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/agent.h"
#include "core/contact.h"
#include "report/kpi.h"

static void test_outcome_rules(void **state)
{
    (void)state;
    struct err_detail ed = { 0 };
    struct contact c = { .outcome = OUTCOME_NONE };
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "outcome");
    c.outcome = OUTCOME_INSTANT_INFO;
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "kb_article_id");
    c.kb_article_id = 3;
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_OK);
    c.kb_article_id = 0;
    c.note = "bilgi verildi";
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_OK);
    c.application_id = 5; /* an application belongs to application / followup only */
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "application_id");
    c.outcome = OUTCOME_APPLICATION;
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_OK);
    c.application_id = 0;
    c.outcome = OUTCOME_FOLLOWUP;
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    c.outcome = OUTCOME_NOT_RELEVANT;
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "reason");
    snprintf(c.reason, sizeof(c.reason), "bored");
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    snprintf(c.reason, sizeof(c.reason), "abusive");
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_OK);
    c.outcome = OUTCOME_TRANSFERRED_OUT; /* a reason belongs to not_relevant only */
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    c.reason[0] = '\0';
    c.note = NULL;
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_INVALID);
    snprintf(c.institution, sizeof(c.institution), "AYEDAS");
    assert_int_equal(contact_outcome_check(&c, &ed), ERR_OK);
}

static struct call_event ev(enum call_event_type t, int64_t at, int64_t agent)
{
    struct call_event e = { .type = t, .at = at, .agent_id = agent };
    return e;
}

static void test_call_fold(void **state)
{
    (void)state;
    /* out of order, with a duplicate; the answer decides the agent */
    struct call_event a[] = { ev(CEV_ANSWERED, 130, 7), ev(CEV_RINGING, 110, 9),
                              ev(CEV_OFFERED, 100, 0),  ev(CEV_ENDED, 400, 0),
                              ev(CEV_ANSWERED, 130, 7), ev(CEV_ABANDONED, 500, 0) };
    struct call c = { .id = 4 };
    snprintf(c.ref, sizeof(c.ref), "x");
    call_fold(a, 6, &c);
    assert_int_equal(c.id, 4);
    assert_string_equal(c.ref, "x");
    assert_int_equal(c.offered_at, 100);
    assert_int_equal(c.answered_at, 130);
    assert_int_equal(c.agent_id, 7);
    assert_int_equal(c.ended_at, 400);
    assert_int_equal(c.abandoned_at, 0); /* answered calls are never abandoned */
    /* never answered: abandoned, ended when it was abandoned, the last agent it rang */
    struct call_event b[] = { ev(CEV_QUEUED, 200, 0), ev(CEV_RINGING, 205, 3),
                              ev(CEV_RINGING, 215, 5), ev(CEV_ABANDONED, 230, 0) };
    call_fold(b, 4, &c);
    assert_int_equal(c.offered_at, 200);
    assert_int_equal(c.answered_at, 0);
    assert_int_equal(c.abandoned_at, 230);
    assert_int_equal(c.ended_at, 230);
    assert_int_equal(c.agent_id, 5);
}

/* ---- the incremental fold (call_fold_next) against the full fold ---- */

static uint64_t fold_rng = 0x9E3779B97F4A7C15ULL;
static int fpick(int n)
{
    fold_rng ^= fold_rng << 13;
    fold_rng ^= fold_rng >> 7;
    fold_rng ^= fold_rng << 17;
    return (int)(fold_rng % (uint64_t)n);
}

static bool seen_before(const struct call_event *ev, int n, const struct call_event *e)
{
    for (int j = 0; j < n; j++)
        if (ev[j].type == e->type && ev[j].at == e->at)
            return true;
    return false;
}

/* the store's order of a call's events: by time, then by type name (store_call_events) */
static int by_store_order(const void *pa, const void *pb)
{
    const struct call_event *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return strcmp(call_event_name(a->type), call_event_name(b->type));
}

static void assert_same_call(const struct call *a, const struct call *b)
{
    assert_int_equal(a->id, b->id);
    assert_string_equal(a->ref, b->ref);
    assert_string_equal(a->line, b->line);
    assert_string_equal(a->queue, b->queue);
    assert_string_equal(a->caller, b->caller);
    assert_int_equal(a->agent_id, b->agent_id);
    assert_int_equal(a->offered_at, b->offered_at);
    assert_int_equal(a->answered_at, b->answered_at);
    assert_int_equal(a->abandoned_at, b->abandoned_at);
    assert_int_equal(a->transferred_at, b->transferred_at);
    assert_int_equal(a->ended_at, b->ended_at);
    assert_int_equal(a->last_event_at, b->last_event_at);
}

/* Events arrive one by one, in order or shuffled, as core_call_event gets them: the call kept
 * by call_fold_next (or refolded when it declines) must always equal call_fold of every event
 * so far in the store's order; in-order arrivals must take the incremental path. */
static void test_call_fold_next(void **state)
{
    (void)state;
    static const enum call_event_type types[] = { CEV_OFFERED,  CEV_QUEUED,    CEV_RINGING,
                                                  CEV_ANSWERED, CEV_ABANDONED, CEV_TRANSFERRED,
                                                  CEV_ENDED };
    static const char *const texts[] = { "", "", "153", "phone_alt", "genel" };
    int incremental = 0, declined_in_order = 0;
    for (int round = 0; round < 4000; round++) {
        struct call_event ev[12], got[12];
        int n = 1 + fpick(10);
        bool in_order = round % 2 == 0;
        int64_t t = 1000;
        for (int i = 0; i < n; i++) { /* unique (type, at), as the store keeps them */
            struct call_event *e = &ev[i];
            memset(e, 0, sizeof(*e));
            do {
                e->type = types[fpick(7)];
                t += in_order ? 1 + fpick(30) : 0;
                e->at = in_order ? t : 1000 + fpick(12);
            } while (!in_order && seen_before(ev, i, e));
            e->agent_id = e->type == CEV_ANSWERED || e->type == CEV_RINGING ? 1 + fpick(4) : 0;
            snprintf(e->ref, sizeof(e->ref), "c%d", round);
            snprintf(e->line, sizeof(e->line), "%s", texts[fpick(5)]);
            snprintf(e->queue, sizeof(e->queue), "%s", texts[fpick(5)]);
            snprintf(e->caller, sizeof(e->caller), "%s", fpick(3) ? "" : "+905321112233");
        }
        struct call kept = { .id = 9 }, full = { .id = 9 };
        snprintf(kept.ref, sizeof(kept.ref), "c%d", round);
        snprintf(full.ref, sizeof(full.ref), "c%d", round);
        for (int i = 0; i < n; i++) {
            got[i] = ev[i];
            if (i == 0) {
                call_fold(&ev[0], 1, &kept); /* a new call: the fold of its one event */
            } else if (call_fold_next(&kept, &ev[i])) {
                incremental++;
            } else {
                struct call_event sorted[12];
                memcpy(sorted, got, sizeof(got[0]) * (size_t)(i + 1));
                qsort(sorted, (size_t)(i + 1), sizeof(sorted[0]), by_store_order);
                call_fold(sorted, (size_t)(i + 1), &kept);
                declined_in_order += in_order;
            }
            struct call_event sorted[12];
            memcpy(sorted, got, sizeof(got[0]) * (size_t)(i + 1));
            qsort(sorted, (size_t)(i + 1), sizeof(sorted[0]), by_store_order);
            call_fold(sorted, (size_t)(i + 1), &full);
            assert_same_call(&kept, &full);
        }
    }
    assert_true(incremental > 4000);
    /* in order, only an answer after an unanswered abandon refolds */
    assert_true(declined_in_order < incremental / 10);
    /* that case: abandoned, then answered later; the end the abandon implied goes away */
    struct call c = { .id = 1 };
    struct call_event a[] = { ev(CEV_OFFERED, 100, 0), ev(CEV_ABANDONED, 110, 0),
                              ev(CEV_ANSWERED, 120, 3) };
    call_fold(a, 2, &c);
    assert_int_equal(c.ended_at, 110);
    assert_int_equal(c.last_event_at, 110);
    assert_false(call_fold_next(&c, &a[2]));
    assert_int_equal(c.ended_at, 110); /* unchanged when declined */
    call_fold(a, 3, &c);
    assert_int_equal(c.ended_at, 0);
    /* not later than the last folded event, or nothing known: declined */
    struct call_event same = ev(CEV_ENDED, 120, 0);
    assert_false(call_fold_next(&c, &same));
    c.last_event_at = 0;
    struct call_event later = ev(CEV_ENDED, 500, 0);
    assert_false(call_fold_next(&c, &later));
}

static void test_agent_transitions(void **state)
{
    (void)state;
    struct err_detail ed = { 0 };
    assert_int_equal(agent_transition_check(AGENT_LOGGED_OUT, AGENT_READY, &ed), ERR_OK);
    assert_int_equal(agent_transition_check(AGENT_LOGGED_OUT, AGENT_PAUSED, &ed), ERR_CONFLICT);
    assert_int_equal(agent_transition_check(AGENT_READY, AGENT_PAUSED, &ed), ERR_OK);
    assert_int_equal(agent_transition_check(AGENT_ON_CALL, AGENT_LOGGED_OUT, &ed), ERR_CONFLICT);
    assert_int_equal(agent_transition_check(AGENT_WRAP_UP, AGENT_LOGGED_OUT, &ed), ERR_OK);
    assert_int_equal(agent_transition_check(AGENT_READY, AGENT_ON_CALL, &ed), ERR_INVALID);
    assert_int_equal(agent_transition_check(AGENT_READY, AGENT_WRAP_UP, &ed), ERR_INVALID);
}

static struct call k(int64_t off, int64_t ans, int64_t aband, int64_t end, int64_t closed)
{
    struct call c = { .offered_at = off,
                      .answered_at = ans,
                      .abandoned_at = aband,
                      .ended_at = end,
                      .contact_closed_at = closed };
    return c;
}

static void test_kpi_day(void **state)
{
    (void)state;
    const struct kpi_params p = { .sl_s = 20, .short_s = 5 };
    /* answered at exactly 20 s (in), at 21 s (out), at 0 s; a short and a long abandon; one
     * still waiting; one answered and still talking */
    const struct call day[] = {
        k(1000, 1020, 0, 1100, 1130), /* wait 20, talk 80, wrap 30 */
        k(2000, 2021, 0, 2121, 0),    /* wait 21, talk 100, contact still open */
        k(3000, 3000, 0, 3060, 3050), /* wait 0, talk 60, closed before the end: no wrap */
        k(4000, 0, 4004, 4004, 0),    /* short abandon (4 s) */
        k(5000, 0, 5045, 5045, 0),    /* abandon after 45 s */
        k(6000, 0, 0, 0, 0),          /* waiting since 6000 */
        k(7000, 7010, 0, 0, 0),       /* on the phone */
    };
    struct kpi_calls c = { 0 };
    for (size_t i = 0; i < sizeof(day) / sizeof(day[0]); i++)
        kpi_call_add(&c, &day[i], 6100, &p);
    kpi_calls_finish(&c);
    assert_int_equal(c.offered, 7);
    assert_int_equal(c.answered, 4);
    assert_int_equal(c.abandoned, 2);
    assert_int_equal(c.short_abandoned, 1);
    assert_int_equal(c.waiting, 1);
    assert_int_equal(c.longest_waiting_s, 100);
    assert_int_equal(c.max_wait_s, 45);
    assert_int_equal(c.answered_in_sl, 3); /* 20 (exactly T), 0, 10 */
    assert_true(c.answer_rate == 4.0 / 5.0);
    assert_true(c.service_level == 3.0 / 5.0);
    assert_true(c.asa_s == (20.0 + 21 + 0 + 10) / 4);
    assert_true(c.aht_s == (110.0 + 100 + 60) / 3);
    struct kpi_calls none = { 0 };
    kpi_calls_finish(&none);
    assert_true(none.answer_rate == 0 && none.service_level == 0 && none.asa_s == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcome_rules),  cmocka_unit_test(test_call_fold),
        cmocka_unit_test(test_call_fold_next), cmocka_unit_test(test_agent_transitions),
        cmocka_unit_test(test_kpi_day),
    };
    return cmocka_run_group_tests_name("contact_rules", tests, NULL, NULL);
}
