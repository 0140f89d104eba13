/* Conformance: KVKK (issue 12) — the view log's reader, anonymisation, retention candidates,
 * ratings by application, and T.C. numbers sealed at rest (util/tccrypt.h), on each backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "model/lifecycle.h"
#include "util/str.h"
#include "util/tccrypt.h"

#define T0 1700000000
#define DAY 86400

static int64_t citizen(struct store *st, const char *name, const char *phone, const char *tc)
{
    struct citizen c = { .name = (char *)name, .created_at = T0 };
    str_copy(c.phone, sizeof(c.phone), phone);
    str_copy(c.tc, sizeof(c.tc), tc);
    assert_int_equal(store_citizen_create(st, &c), ERR_OK);
    return c.id;
}

/* An application of citizen_id in status s, closed at `closed` (0 = not closed). */
static int64_t app_of(struct store *st, int64_t citizen_id, enum app_status s, int64_t closed,
                      const char *text)
{
    struct app a;
    conf_app(st, 0, 0, text, T0, &a);
    a.citizen_id = citizen_id;
    a.status = s;
    a.closed_at = closed;
    a.updated_at = closed ? closed : T0;
    free(a.address);
    a.address = strdup("Gül Sokak 5");
    assert_int_equal(store_app_update(st, &a), ERR_OK);
    int64_t id = a.id;
    app_release(&a);
    return id;
}

static void test_view_log(void **state)
{
    struct store *st = FX(state)->st;
    int64_t c1 = citizen(st, "Bir", "+905321111111", NULL);
    int64_t c2 = citizen(st, "İki", "+905322222222", NULL);
    int64_t u1 = conf_user(st, "agent1", ROLE_AGENT, 0), u2 = conf_user(st, "dpo1", ROLE_DPO, 0);
    assert_int_equal(store_citizen_view_log(st, c1, u1, T0 + 1, "record view"), ERR_OK);
    assert_int_equal(store_citizen_view_log(st, c2, u1, T0 + 2, "record view"), ERR_OK);
    assert_int_equal(store_citizen_view_log(st, c1, u2, T0 + 3, "KVKK export"), ERR_OK);
    assert_int_equal(store_citizen_view_log(st, c1, u1, T0 + DAY, "phone lookup"), ERR_OK);

    struct view_log_row *v = NULL;
    size_t n = 0;
    int64_t next = 0;
    struct view_log_filter f = { .citizen_id = c1, .limit = 2 };
    assert_int_equal(store_view_log_list(st, &f, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].purpose, "phone lookup"); /* newest first */
    assert_string_equal(v[1].username, "dpo1");
    assert_int_equal(v[1].at, T0 + 3);
    assert_int_equal(next, v[1].id);
    free(v);
    f.after = next;
    assert_int_equal(store_view_log_list(st, &f, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].citizen_id, c1);
    assert_int_equal(v[0].user_id, u1);
    assert_int_equal(next, 0);
    free(v);
    struct view_log_filter byu = { .user_id = u1, .from = T0 + 2, .to = T0 + DAY, .limit = 50 };
    assert_int_equal(store_view_log_list(st, &byu, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].citizen_id, c2);
    free(v);
    struct view_log_filter all = { .limit = 0 }; /* 0 = the default page */
    assert_int_equal(store_view_log_list(st, &all, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 4);
    free(v);
}

static void test_anonymise(void **state)
{
    struct store *st = FX(state)->st;
    int64_t p = citizen(st, "Kemal Sunal", "+905331112233", "10000000146");
    int64_t other = citizen(st, "Başkası", "+905559998877", NULL);
    int64_t u = conf_user(st, "dpo1", ROLE_DPO, 0);
    int64_t a1 = app_of(st, p, ST_CLOSED, T0 + DAY, "Ben Kemal, çukur var");
    int64_t a2 = app_of(st, p, ST_FORWARDED, 0, "Kemal yine yazıyor");
    int64_t b = app_of(st, other, ST_NEW, 0, "Başkasının başvurusu");
    struct app_event e = { .app_id = a1,
                           .at = T0 + 5,
                           .user_id = u,
                           .from_status = -1,
                           .to_status = -1,
                           .note = "Kemal Bey aradı" };
    snprintf(e.action, sizeof(e.action), "note");
    assert_int_equal(store_event_add(st, &e), ERR_OK);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0kvkk";
    struct attachment t1 = { .app_id = a1, .created_at = T0 + 6 }, t2, t3;
    snprintf(t1.mime, sizeof(t1.mime), "image/png");
    snprintf(t1.filename, sizeof(t1.filename), "ev.png");
    t2 = t1;
    t3 = t1;
    t2.app_id = b; /* the same file on someone else's application: it stays */
    t3.app_id = a2;
    assert_int_equal(store_attachment_add(st, &t1, png, sizeof(png)), ERR_OK);
    assert_int_equal(store_attachment_add(st, &t2, png, sizeof(png)), ERR_OK);
    assert_int_equal(store_attachment_add(st, &t3, "eml", 3), ERR_OK);
    assert_int_equal(store_consent_set(st, p, "marketing", true, T0, "web"), ERR_OK);

    struct anon_counts c;
    assert_int_equal(store_citizen_anonymise(st, 9999, u, T0 + 9, "[x]", "r", &c), ERR_NOT_FOUND);
    assert_int_equal(store_citizen_anonymise(st, p, u, T0 + 10, "[silindi]", "talep 17", &c),
                     ERR_OK);
    assert_int_equal(c.apps, 2);
    assert_int_equal(c.files, 2);

    struct citizen g;
    assert_int_equal(store_citizen_get(st, p, &g), ERR_OK);
    assert_string_equal(g.name, "Anonim");
    assert_string_equal(g.phone, "");
    assert_string_equal(g.tc, "");
    assert_null(g.email);
    assert_null(g.address);
    assert_int_equal(g.anonymised_at, T0 + 10);
    citizen_release(&g);
    bool given = true;
    int64_t at = 0;
    assert_int_equal(store_consent_get(st, p, "marketing", &given, &at), ERR_NOT_FOUND);

    struct app a;
    assert_int_equal(store_app_get(st, a1, &a), ERR_OK);
    assert_string_equal(a.text, "[silindi]");
    assert_null(a.address);
    assert_int_equal(a.status, ST_CLOSED); /* statistics: status, dates, citizen stay */
    assert_int_equal(a.closed_at, T0 + DAY);
    assert_int_equal(a.citizen_id, p);
    app_release(&a);
    struct attachment *files = NULL;
    size_t n = 0;
    assert_int_equal(store_attachment_list(st, a1, &files, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(files);
    assert_int_equal(store_attachment_list(st, b, &files, &n), ERR_OK);
    assert_int_equal(n, 1);
    void *data = NULL;
    size_t len = 0;
    struct attachment meta;
    assert_int_equal(store_attachment_get(st, b, files[0].id, &meta, &data, &len), ERR_OK);
    assert_int_equal(len, sizeof(png));
    free(data);
    free(files);

    struct app_event *ev = NULL;
    assert_int_equal(store_event_list(st, a1, false, &ev, &n), ERR_OK);
    bool anon = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ev[i].action, "anonymise") == 0) {
            anon = true;
            assert_string_equal(ev[i].note, "talep 17");
            assert_int_equal(ev[i].user_id, u);
        } else {
            assert_true(!ev[i].note || !strstr(ev[i].note, "Kemal"));
        }
        app_event_release(&ev[i]);
    }
    free(ev);
    assert_true(anon);
    /* the other person is untouched */
    assert_int_equal(store_app_get(st, b, &a), ERR_OK);
    assert_string_equal(a.text, "Başkasının başvurusu");
    app_release(&a);
}

static void test_retention_candidates(void **state)
{
    struct store *st = FX(state)->st;
    int64_t old = citizen(st, "Eski", "+905320000001", NULL);
    int64_t open = citizen(st, "Açık", "+905320000002", NULL);
    int64_t recent = citizen(st, "Yeni", "+905320000003", NULL);
    citizen(st, "Başvurusuz", "+905320000004", NULL);
    int64_t oos = citizen(st, "Yetki dışı", "+905320000005", NULL);
    app_of(st, old, ST_CLOSED, T0 + DAY, "eski");
    app_of(st, old, ST_CLOSED, T0 + 2 * DAY, "eski 2");
    app_of(st, open, ST_CLOSED, T0 + DAY, "kapandı");
    app_of(st, open, ST_IN_PROGRESS, 0, "açık");
    app_of(st, recent, ST_CLOSED, T0 + 100 * DAY, "yeni");
    app_of(st, oos, ST_OUT_OF_SCOPE, T0 + DAY, "yetki dışı");
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(store_retention_candidates(st, T0 + 50 * DAY, 0, 10, &ids, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], old);
    assert_int_equal(ids[1], oos);
    free(ids);
    /* keyset and limit */
    assert_int_equal(store_retention_candidates(st, T0 + 50 * DAY, old, 1, &ids, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], oos);
    free(ids);
    struct anon_counts c;
    assert_int_equal(store_citizen_anonymise(st, old, 0, T0, "[x]", "retention", &c), ERR_OK);
    assert_int_equal(store_retention_candidates(st, T0 + 50 * DAY, 0, 10, &ids, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], oos);
    free(ids);
}

static void test_satisfaction_by_app(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a = conf_app(st, 0, 0, "x", T0, NULL), b = conf_app(st, 0, 0, "y", T0, NULL);
    struct satisfaction r = { .app_id = a, .rating = 4, .comment = "iyi", .at = T0 + 2 };
    snprintf(r.source, sizeof(r.source), "sms");
    assert_int_equal(store_satisfaction_add(st, &r), ERR_OK);
    r.id = 0;
    r.app_id = b;
    assert_int_equal(store_satisfaction_add(st, &r), ERR_OK);
    struct satisfaction *v = NULL;
    size_t n = 0;
    assert_int_equal(store_satisfaction_by_app(st, a, &v, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].rating, 4);
    assert_string_equal(v[0].comment, "iyi");
    satisfaction_release(&v[0]);
    free(v);
}

static void test_tc_sealed(void **state)
{
    struct store *st = FX(state)->st;
    static const unsigned char key[TCCRYPT_KEY_BYTES] = { 42 };
    int64_t plain = 0, sealed = 0, n = 0;
    tccrypt_key_set(NULL);
    int64_t before = citizen(st, "Önce", "+905320000010", "10000000078");
    assert_int_equal(store_tc_seal_all(st, &n), ERR_INVALID); /* no key */
    tccrypt_key_set(key);
    int64_t after = citizen(st, "Sonra", "+905320000011", "10000000146");
    assert_int_equal(store_tc_counts(st, &plain, &sealed), ERR_OK);
    assert_int_equal(plain, 1);
    assert_int_equal(sealed, 1);
    assert_int_equal(store_tc_seal_all(st, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_tc_counts(st, &plain, &sealed), ERR_OK);
    assert_int_equal(plain, 0);
    assert_int_equal(sealed, 2);
    struct citizen *v = NULL;
    size_t k = 0;
    assert_int_equal(store_citizen_by_tc(st, "10000000078", &v, &k), ERR_OK);
    assert_int_equal(k, 1);
    assert_int_equal(v[0].id, before);
    assert_string_equal(v[0].tc, "10000000078");
    citizen_release(&v[0]);
    free(v);
    struct citizen g;
    assert_int_equal(store_citizen_get(st, after, &g), ERR_OK);
    assert_string_equal(g.tc, "10000000146");
    citizen_release(&g);
    /* without the key a sealed number reads as unknown, never as its ciphertext */
    tccrypt_key_set(NULL);
    assert_int_equal(store_citizen_get(st, after, &g), ERR_OK);
    assert_string_equal(g.tc, "");
    citizen_release(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_view_log),
        CONF_TEST(test_anonymise),
        CONF_TEST(test_retention_candidates),
        CONF_TEST(test_satisfaction_by_app),
        CONF_TEST(test_tc_sealed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
