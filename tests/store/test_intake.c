/* Conformance: CİMER rows and intake messages (issue 15), on both backends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static int64_t new_app(struct store *st, const char *channel, int64_t at)
{
    struct app a = { .status = ST_NEW, .created_at = at, .updated_at = at };
    snprintf(a.access_code, sizeof(a.access_code), "K7M2P9QX");
    snprintf(a.kind, sizeof(a.kind), "request");
    snprintf(a.channel, sizeof(a.channel), "%s", channel);
    snprintf(a.priority, sizeof(a.priority), "normal");
    a.text = (char *)"CİMER üzerinden gelen başvuru";
    assert_int_equal(store_app_create(st, &a, NULL), ERR_OK);
    return a.id;
}

static void test_cimer_rows(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a1 = new_app(st, "cimer", 1780000000), a2 = new_app(st, "cimer", 1780000100);
    struct cimer_rec r = { .app_id = a1,
                           .filed_at = 1779000000,
                           .promise_due = 1781000000,
                           .legal_due = 1782000000,
                           .imported_at = 1780000000 };
    snprintf(r.cimer_no, sizeof(r.cimer_no), "2026-0001");
    assert_int_equal(store_cimer_add(st, &r), ERR_OK);
    /* the number and the application are unique */
    struct cimer_rec dup = r;
    dup.app_id = a2;
    assert_int_equal(store_cimer_add(st, &dup), ERR_CONFLICT);
    snprintf(dup.cimer_no, sizeof(dup.cimer_no), "2026-0002");
    dup.app_id = a1;
    assert_int_equal(store_cimer_add(st, &dup), ERR_CONFLICT);
    dup.app_id = a2;
    dup.promise_due = 1780500000; /* earlier: first in the queue */
    assert_int_equal(store_cimer_add(st, &dup), ERR_OK);

    struct cimer_rec got;
    assert_int_equal(store_cimer_by_no(st, "2026-0001", &got), ERR_OK);
    assert_int_equal(got.app_id, a1);
    assert_int_equal(got.legal_due, 1782000000);
    assert_int_equal(got.answered_at, 0);
    assert_int_equal(got.status, ST_NEW);
    assert_int_equal(strlen(got.tracking) > 0, 1);
    assert_int_equal(store_cimer_by_no(st, "yok", &got), ERR_NOT_FOUND);
    assert_int_equal(store_cimer_get(st, 999999, &got), ERR_NOT_FOUND);

    struct cimer_rec *v;
    size_t n;
    assert_int_equal(store_cimer_list(st, true, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].app_id, a2);
    free(v);

    /* answered in CİMER: no longer open */
    int64_t ext = 0;
    assert_int_equal(store_institution_upsert(st, "EXT_T", "Başka kurum", "external", &ext),
                     ERR_OK);
    got.answered_at = 1780600000;
    assert_int_equal(store_cimer_get(st, a1, &got), ERR_OK);
    got.answered_at = 1780600000;
    assert_int_equal(store_cimer_update(st, &got), ERR_OK);
    assert_int_equal(store_cimer_get(st, a2, &got), ERR_OK);
    got.institution_id = ext;
    snprintf(got.note, sizeof(got.note), "İlçe belediyesinin konusu");
    assert_int_equal(store_cimer_update(st, &got), ERR_OK);
    assert_int_equal(store_cimer_list(st, true, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(v);
    assert_int_equal(store_cimer_list(st, false, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].app_id, a2);
    assert_string_equal(v[0].institution_code, "EXT_T");
    assert_string_equal(v[0].note, "İlçe belediyesinin konusu");
    assert_int_equal(v[1].answered_at, 1780600000);
    free(v);
    got.app_id = 999999;
    assert_int_equal(store_cimer_update(st, &got), ERR_NOT_FOUND);
}

static void test_intake_messages(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a = new_app(st, "whatsapp", 1780000000), id = -1;
    assert_int_equal(store_intake_get(st, "whatsapp", "wamid.1", &id), ERR_NOT_FOUND);
    assert_int_equal(store_intake_add(st, "whatsapp", "wamid.1", a, 0, false, 1780000000), ERR_OK);
    assert_int_equal(store_intake_add(st, "whatsapp", "wamid.1", 0, 0, false, 1780000001),
                     ERR_CONFLICT);
    /* the same id on another channel is another message */
    assert_int_equal(store_intake_add(st, "email", "wamid.1", 0, 0, true, 1780000002), ERR_OK);
    assert_int_equal(store_intake_get(st, "whatsapp", "wamid.1", &id), ERR_OK);
    assert_int_equal(id, a);
    assert_int_equal(store_intake_get(st, "email", "wamid.1", &id), ERR_OK);
    assert_int_equal(id, 0);
    assert_true(store_intake_add(st, "sms", "x", 0, 0, false, 1) < 0); /* unknown channel */
    bool mine = false;
    assert_int_equal(store_poll_lock(st, "imap", &mine), ERR_OK);
    assert_true(mine);
    /* another connection (another serve process) does not get it on PostgreSQL */
    struct store *other = conf_open(&FX(state)->db);
    assert_int_equal(store_poll_lock(other, "imap", &mine), ERR_OK);
    assert_int_equal(mine, !conf_is_url());
    store_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_cimer_rows),
        CONF_TEST(test_intake_messages),
    };
    return cmocka_run_group_tests_name("store_intake", tests, NULL, NULL);
}
