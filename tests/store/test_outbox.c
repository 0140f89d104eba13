/* Conformance: the outbox, message templates, survey tokens, satisfaction ratings and the
 * citizen's consent (issue 15), the same on both backends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "core/outbox.h"

static int64_t add(struct store *st, const char *key, const char *channel, int64_t app_id,
                   int64_t next_at)
{
    struct outbox_msg m = { .subject = "Konu",
                            .body = "Başvurunuz alındı: ğüşıöç",
                            .app_id = app_id,
                            .transactional = true,
                            .next_at = next_at,
                            .created_at = 1700000000,
                            .segments = 1 };
    snprintf(m.idem_key, sizeof(m.idem_key), "%s", key);
    snprintf(m.channel, sizeof(m.channel), "%s", channel);
    snprintf(m.recipient, sizeof(m.recipient), "+905321234567");
    snprintf(m.purpose, sizeof(m.purpose), "registered");
    assert_int_equal(store_outbox_add(st, &m), ERR_OK);
    assert_true(m.id > 0);
    return m.id;
}

static void release_all(struct outbox_msg *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        outbox_msg_release(&v[i]);
    free(v);
}

static int count_cb(void *ctx, const char *state, int64_t n)
{
    if (strcmp(state, "pending") == 0)
        ((int64_t *)ctx)[0] = n;
    else if (strcmp(state, "sending") == 0)
        ((int64_t *)ctx)[1] = n;
    else if (strcmp(state, "sent") == 0)
        ((int64_t *)ctx)[2] = n;
    else if (strcmp(state, "dead") == 0)
        ((int64_t *)ctx)[3] = n;
    return 0;
}

static void test_outbox(void **state)
{
    struct store *st = FX(state)->st;
    struct app a;
    int64_t app = conf_app(st, 0, 0, "Sokakta çukur var", 1700000000, &a);
    app_release(&a);
    int64_t m1 = add(st, "alo153-k1", "sms", app, 0);
    int64_t m2 = add(st, "alo153-k2", "email", app, 0);
    int64_t m3 = add(st, "alo153-k3", "sms", 0, 1700000500); /* due later */
    struct outbox_msg dup = { .body = "x", .next_at = 0, .created_at = 1 };
    snprintf(dup.idem_key, sizeof(dup.idem_key), "alo153-k1");
    snprintf(dup.channel, sizeof(dup.channel), "sms");
    snprintf(dup.recipient, sizeof(dup.recipient), "x");
    snprintf(dup.purpose, sizeof(dup.purpose), "p");
    assert_int_equal(store_outbox_add(st, &dup), ERR_CONFLICT);

    /* a claim takes the due rows, oldest first, and only those */
    struct outbox_msg *v;
    size_t n;
    assert_int_equal(store_outbox_claim(st, 1700000100, 30, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_true((v[0].id == m1 && v[1].id == m2) || (v[0].id == m2 && v[1].id == m1));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i].state, "sending");
        assert_int_equal(v[i].claimed_until, 1700000130);
        assert_string_equal(v[i].body, "Başvurunuz alındı: ğüşıöç");
        assert_int_equal(v[i].app_id, app);
        assert_true(v[i].transactional);
    }
    release_all(v, n);
    /* claimed rows are not claimed again while the claim lasts … */
    assert_int_equal(store_outbox_claim(st, 1700000120, 30, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(v);
    /* … and are after it ran out (a sender that died) */
    assert_int_equal(store_outbox_finish(st, m1, "sent", 1, 0, 1700000131, NULL), ERR_OK);
    assert_int_equal(store_outbox_claim(st, 1700000130, 30, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, m2);
    release_all(v, n);
    assert_int_equal(store_outbox_finish(st, m2, "dead", 8, 0, 0, "SMTP: refused"), ERR_OK);
    assert_int_equal(store_outbox_finish(st, 9999, "sent", 1, 0, 1, NULL), ERR_NOT_FOUND);

    struct outbox_msg g;
    assert_int_equal(store_outbox_get(st, m1, &g), ERR_OK);
    assert_string_equal(g.state, "sent");
    assert_int_equal(g.sent_at, 1700000131);
    assert_int_equal(g.attempts, 1);
    assert_string_equal(g.idem_key, "alo153-k1");
    outbox_msg_release(&g);
    assert_int_equal(store_outbox_get(st, m2, &g), ERR_OK);
    assert_string_equal(g.last_error, "SMTP: refused");
    outbox_msg_release(&g);
    assert_int_equal(store_outbox_get(st, 9999, &g), ERR_NOT_FOUND);

    /* lists: newest first, by state and application, keyset pages */
    assert_int_equal(store_outbox_list(st, NULL, 0, 0, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].id, m3);
    release_all(v, n);
    assert_int_equal(store_outbox_list(st, "dead", 0, 0, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, m2);
    release_all(v, n);
    assert_int_equal(store_outbox_list(st, "", app, 0, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    release_all(v, n);
    assert_int_equal(store_outbox_list(st, NULL, 0, m3, 1, &v, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, m2);
    release_all(v, n);
    int64_t counts[4] = { 0 };
    assert_int_equal(store_outbox_counts(st, count_cb, counts), ERR_OK);
    assert_int_equal(counts[0], 1);
    assert_int_equal(counts[2], 1);
    assert_int_equal(counts[3], 1);

    /* resend: only a dead one, back to pending with its key */
    assert_int_equal(store_outbox_resend(st, m1, 1700000200), ERR_CONFLICT);
    assert_int_equal(store_outbox_resend(st, 9999, 1700000200), ERR_NOT_FOUND);
    assert_int_equal(store_outbox_resend(st, m2, 1700000200), ERR_OK);
    assert_int_equal(store_outbox_get(st, m2, &g), ERR_OK);
    assert_string_equal(g.state, "pending");
    assert_int_equal(g.attempts, 0);
    assert_int_equal(g.next_at, 1700000200);
    assert_string_equal(g.idem_key, "alo153-k2");
    outbox_msg_release(&g);
    /* a row added in a rolled-back transaction is gone */
    assert_int_equal(store_begin(st), ERR_OK);
    add(st, "alo153-k4", "sms", app, 0);
    store_rollback(st);
    assert_int_equal(store_outbox_list(st, NULL, 0, 0, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 3);
    release_all(v, n);
}

static void test_templates_tokens(void **state)
{
    struct store *st = FX(state)->st;
    struct msg_template t = { .subject = "Konu {tracking}",
                              .body = "Gövde {code}",
                              .updated_at = 5 };
    snprintf(t.purpose, sizeof(t.purpose), "registered");
    snprintf(t.channel, sizeof(t.channel), "email");
    snprintf(t.lang, sizeof(t.lang), "tr");
    struct msg_template g;
    assert_int_equal(store_template_get(st, "registered", "email", "tr", &g), ERR_NOT_FOUND);
    assert_int_equal(store_template_set(st, &t), ERR_OK);
    t.body = "İkinci gövde";
    t.updated_at = 6;
    assert_int_equal(store_template_set(st, &t), ERR_OK);
    snprintf(t.lang, sizeof(t.lang), "en");
    t.body = "Body";
    assert_int_equal(store_template_set(st, &t), ERR_OK);
    assert_int_equal(store_template_get(st, "registered", "email", "tr", &g), ERR_OK);
    assert_string_equal(g.body, "İkinci gövde");
    assert_string_equal(g.subject, "Konu {tracking}");
    assert_int_equal(g.updated_at, 6);
    msg_template_release(&g);
    struct msg_template *v;
    size_t n;
    assert_int_equal(store_template_list(st, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].lang, "en");
    for (size_t i = 0; i < n; i++)
        msg_template_release(&v[i]);
    free(v);

    struct app a;
    int64_t app = conf_app(st, 0, 0, "Parkta kırık bank", 1700000000, &a);
    app_release(&a);
    int64_t got = 0, exp = 0;
    assert_int_equal(store_survey_token_add(st, "nonce-1", app, 1700000000, 1700086400), ERR_OK);
    assert_int_equal(store_survey_token_add(st, "nonce-1", app, 1700000000, 1700086400),
                     ERR_CONFLICT);
    assert_int_equal(store_survey_token_use(st, "nonce-x", 1700000100, &got, &exp), ERR_NOT_FOUND);
    assert_int_equal(store_survey_token_use(st, "nonce-1", 1700000100, &got, &exp), ERR_OK);
    assert_int_equal(got, app);
    assert_int_equal(exp, 1700086400);
    got = 0;
    assert_int_equal(store_survey_token_use(st, "nonce-1", 1700000200, &got, &exp), ERR_CONFLICT);
    assert_int_equal(got, app);
}

struct sat_seen {
    int n, sum;
    char sources[64];
};

static int sat_cb(void *ctx, const struct satisfaction *s)
{
    struct sat_seen *x = ctx;
    x->n++;
    x->sum += s->rating;
    strncat(x->sources, s->source, sizeof(x->sources) - strlen(x->sources) - 1);
    return 0;
}

static void test_satisfaction_consent(void **state)
{
    struct store *st = FX(state)->st;
    struct app a;
    int64_t app = conf_app(st, 0, 0, "Çöp toplanmadı", 1700000000, &a);
    app_release(&a);
    struct satisfaction s = {
        .app_id = app, .rating = 5, .comment = "Teşekkürler", .at = 1700000100
    };
    snprintf(s.source, sizeof(s.source), "web");
    snprintf(s.channel, sizeof(s.channel), "phone_153");
    assert_int_equal(store_satisfaction_add(st, &s), ERR_OK);
    assert_true(s.id > 0);
    struct satisfaction i = { .rating = 2, .at = 1700000200 };
    snprintf(i.source, sizeof(i.source), "ivr");
    snprintf(i.call_ref, sizeof(i.call_ref), "pbx-1");
    assert_int_equal(store_satisfaction_add(st, &i), ERR_OK);
    struct satisfaction bad = { .rating = 6, .at = 1 };
    snprintf(bad.source, sizeof(bad.source), "web");
    assert_true(store_satisfaction_add(st, &bad) < 0); /* CHECK (rating BETWEEN 1 AND 5) */
    struct sat_seen x = { 0 };
    assert_int_equal(store_satisfaction_each(st, 0, 0, sat_cb, &x), ERR_OK);
    assert_int_equal(x.n, 2);
    assert_int_equal(x.sum, 7);
    assert_string_equal(x.sources, "webivr");
    memset(&x, 0, sizeof(x));
    assert_int_equal(store_satisfaction_each(st, 1700000150, 1700000300, sat_cb, &x), ERR_OK);
    assert_int_equal(x.n, 1);
    assert_string_equal(x.sources, "ivr");

    struct citizen c = { .created_at = 1700000000 };
    snprintf(c.phone, sizeof(c.phone), "+905321234567");
    assert_int_equal(store_citizen_create(st, &c), ERR_OK);
    bool m = true;
    assert_int_equal(store_citizen_consent_get(st, c.id, &m), ERR_OK);
    assert_false(m); /* no consent until given */
    assert_int_equal(store_citizen_consent_set(st, c.id, true), ERR_OK);
    assert_int_equal(store_citizen_consent_get(st, c.id, &m), ERR_OK);
    assert_true(m);
    assert_int_equal(store_citizen_consent_set(st, 9999, true), ERR_NOT_FOUND);
    /* the citizen's language (issue 15): tr unless given, en kept, settable */
    struct citizen g = { 0 };
    assert_int_equal(store_citizen_get(st, c.id, &g), ERR_OK);
    assert_string_equal(g.lang, "tr");
    citizen_release(&g);
    struct citizen e = { .created_at = 1700000000 };
    snprintf(e.lang, sizeof(e.lang), "en");
    assert_int_equal(store_citizen_create(st, &e), ERR_OK);
    assert_int_equal(store_citizen_get(st, e.id, &g), ERR_OK);
    assert_string_equal(g.lang, "en");
    citizen_release(&g);
    assert_int_equal(store_citizen_lang_set(st, e.id, "tr"), ERR_OK);
    assert_int_equal(store_citizen_get(st, e.id, &g), ERR_OK);
    assert_string_equal(g.lang, "tr");
    citizen_release(&g);
    assert_int_equal(store_citizen_lang_set(st, 9999, "en"), ERR_NOT_FOUND);
    assert_int_equal(store_citizen_consent_get(st, 9999, &m), ERR_NOT_FOUND);
}

/* a transport whose answers the test scripts: one result per call, recorded keys */
static struct {
    enum notify_result script[16];
    int calls;
    char keys[16][MSG_KEY_LEN];
} fake;

static enum notify_result fake_send(void *ctx, const struct outbox_msg *m, char *ref, size_t rn,
                                    char *err, size_t n)
{
    (void)ctx;
    snprintf(ref, rn, "ref-%d", fake.calls);
    snprintf(fake.keys[fake.calls], sizeof(fake.keys[0]), "%s", m->idem_key);
    snprintf(err, n, "fake error %d", fake.calls);
    return fake.script[fake.calls++];
}

/* core_outbox_send_due over the store: retries with backoff, dead after the last try or at
 * once on a permanent refusal, unconfigured transports not counted as tries */
static void test_sender(void **state)
{
    struct store *st = FX(state)->st;
    int64_t t0 = 1700000000000; /* ms */
    struct outbox_transport t = { fake_send, NULL };
    struct outbox_sender cfg = {
        .max_attempts = 3, .base_ms = 1000, .cap_ms = 60000, .lease_s = 30, .batch = 10
    };
    struct err_detail ed = { 0 };
    int sent = -1;
    memset(&fake, 0, sizeof(fake));
    int64_t id = add(st, "alo153-s1", "sms", 0, 0);
    fake.script[0] = NOTIFY_RETRY;
    fake.script[1] = NOTIFY_RETRY;
    fake.script[2] = NOTIFY_RETRY;
    assert_int_equal(core_outbox_send_due(st, &t, &cfg, t0, &sent, NULL, NULL, &ed), ERR_OK);
    assert_int_equal(sent, 0);
    struct outbox_msg g;
    assert_int_equal(store_outbox_get(st, id, &g), ERR_OK);
    assert_string_equal(g.state, "pending");
    assert_int_equal(g.attempts, 1);
    assert_int_equal(g.next_at, 1700000001); /* + 1 s */
    assert_string_equal(g.last_error, "fake error 0");
    outbox_msg_release(&g);
    /* not due yet: nothing tried */
    assert_int_equal(core_outbox_send_due(st, &t, &cfg, t0 + 500, &sent, NULL, NULL, &ed), ERR_OK);
    assert_int_equal(fake.calls, 1);
    assert_int_equal(core_outbox_send_due(st, &t, &cfg, t0 + 1000, &sent, NULL, NULL, &ed), ERR_OK);
    assert_int_equal(store_outbox_get(st, id, &g), ERR_OK);
    assert_int_equal(g.attempts, 2);
    assert_int_equal(g.next_at, 1700000003); /* + 2 s */
    outbox_msg_release(&g);
    assert_int_equal(core_outbox_send_due(st, &t, &cfg, t0 + 3000, &sent, NULL, NULL, &ed), ERR_OK);
    assert_int_equal(store_outbox_get(st, id, &g), ERR_OK);
    assert_string_equal(g.state, "dead"); /* the third and last try */
    assert_int_equal(g.attempts, 3);
    outbox_msg_release(&g);
    assert_string_equal(fake.keys[2], "alo153-s1");

    /* a permanent refusal is dead at once; an unconfigured transport waits a minute, uncounted */
    int64_t p = add(st, "alo153-s2", "sms", 0, 0);
    int64_t u = add(st, "alo153-s3", "whatsapp", 0, 0);
    fake.script[3] = NOTIFY_FAIL;
    fake.script[4] = NOTIFY_UNCONFIGURED;
    assert_int_equal(core_outbox_send_due(st, &t, &cfg, t0 + 4000, &sent, NULL, NULL, &ed), ERR_OK);
    assert_int_equal(store_outbox_get(st, p, &g), ERR_OK);
    assert_string_equal(g.state, "dead");
    assert_int_equal(g.attempts, 1);
    outbox_msg_release(&g);
    assert_int_equal(store_outbox_get(st, u, &g), ERR_OK);
    assert_string_equal(g.state, "pending");
    assert_int_equal(g.attempts, 0);
    assert_int_equal(g.next_at, 1700000004 + 60);
    outbox_msg_release(&g);
    /* resent: the same key, sent */
    assert_int_equal(core_outbox_resend(st, p, &ed), ERR_OK);
    fake.script[5] = NOTIFY_OK;
    assert_int_equal(core_outbox_send_due(st, &t, &cfg, t0 + 5000, &sent, NULL, NULL, &ed), ERR_OK);
    assert_int_equal(sent, 1);
    assert_string_equal(fake.keys[5], "alo153-s2");
    assert_int_equal(store_outbox_get(st, p, &g), ERR_OK);
    assert_string_equal(g.state, "sent");
    assert_true(g.sent_at > 0);
    assert_string_equal(g.provider_ref, "ref-5"); /* the transport's id of the message */
    outbox_msg_release(&g);
    assert_int_equal(store_outbox_ref_set(st, p, "wamid.X"), ERR_OK);
    assert_int_equal(store_outbox_get(st, p, &g), ERR_OK);
    assert_string_equal(g.provider_ref, "wamid.X");
    outbox_msg_release(&g);
    assert_int_equal(store_outbox_ref_set(st, 99999, "x"), ERR_NOT_FOUND);
    /* a batch: every outcome recorded, each row once (one transaction) */
    int64_t b[5];
    for (int i = 0; i < 5; i++) {
        char k[32];
        snprintf(k, sizeof(k), "alo153-b%d", i);
        b[i] = add(st, k, "sms", 0, 0);
        fake.script[fake.calls + i] = i == 2 ? NOTIFY_RETRY : NOTIFY_OK;
    }
    cfg.batch = 5; /* the five (due since 0), not the waiting whatsapp row */
    assert_int_equal(core_outbox_send_due(st, &t, &cfg, t0 + 600000, &sent, NULL, NULL, &ed),
                     ERR_OK);
    assert_int_equal(sent, 4);
    int nsent = 0, npending = 0; /* the claim's order is the backend's: count */
    for (int i = 0; i < 5; i++) {
        assert_int_equal(store_outbox_get(st, b[i], &g), ERR_OK);
        nsent += strcmp(g.state, "sent") == 0;
        npending += strcmp(g.state, "pending") == 0;
        assert_int_equal(g.attempts, 1);
        outbox_msg_release(&g);
    }
    assert_int_equal(nsent, 4);
    assert_int_equal(npending, 1);
    assert_int_equal(store_outbox_get(st, p, &g), ERR_OK);
    outbox_msg_release(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_outbox),
        CONF_TEST(test_templates_tokens),
        CONF_TEST(test_satisfaction_consent),
        CONF_TEST(test_sender),
    };
    return cmocka_run_group_tests_name("store_outbox", tests, NULL, NULL);
}
