/* Conformance: KVKK (issue 12) — the view log's reader, anonymisation, retention candidates,
 * ratings by application, and T.C. numbers sealed at rest (util/tccrypt.h), on each backend. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "core/kvkk.h"
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

/* Views logged from many connections at once, outside transactions, while other connections
 * commit and roll back transactions (on SQLite the views join those batches, sqlite/db.c):
 * every view answered ERR_OK is there exactly once, and the transactions keep their own
 * outcome. */
#define VIEW_THREADS 6
#define VIEWS_EACH 50
#define TX_THREADS 3
#define TX_EACH 30

struct view_job {
    const struct conf_db *db;
    int id;
    int64_t citizen, user;
    int failures;
};

static void *view_thread(void *arg)
{
    struct view_job *j = arg;
    struct store *st = NULL;
    if (store_open_existing(j->db->name, &st, NULL) != ERR_OK) {
        j->failures = 1000;
        return NULL;
    }
    for (int i = 0; i < VIEWS_EACH; i++)
        if (store_citizen_view_log(st, j->citizen, j->user, T0 + j->id * 1000 + i, "record view") !=
            ERR_OK)
            j->failures++;
    store_close(st);
    return NULL;
}

static void *tx_thread(void *arg)
{
    struct view_job *j = arg;
    struct store *st = NULL;
    if (store_open_existing(j->db->name, &st, NULL) != ERR_OK) {
        j->failures = 1000;
        return NULL;
    }
    for (int i = 0; i < TX_EACH; i++) {
        char key[32];
        snprintf(key, sizeof(key), "v%d.%d", j->id, i);
        if (store_begin(st) != ERR_OK || store_setting_set(st, key, "kept") != ERR_OK) {
            j->failures++;
            store_rollback(st);
        } else if (i % 4 == 1) {
            store_rollback(st);
        } else if (store_commit(st) != ERR_OK) {
            j->failures++;
        }
    }
    store_close(st);
    return NULL;
}

static void test_view_log_concurrent(void **state)
{
    struct conf_fx *fx = *state;
    struct store *st = fx->st;
    int64_t c = citizen(st, "Çok Bakılan", "+905323333333", NULL);
    int64_t u = conf_user(st, "agent1", ROLE_AGENT, 0);
    struct view_job jobs[VIEW_THREADS + TX_THREADS];
    pthread_t t[VIEW_THREADS + TX_THREADS];
    for (int i = 0; i < VIEW_THREADS + TX_THREADS; i++) {
        jobs[i] = (struct view_job){ .db = &fx->db, .id = i, .citizen = c, .user = u };
        assert_int_equal(
            pthread_create(&t[i], NULL, i < VIEW_THREADS ? view_thread : tx_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < VIEW_THREADS + TX_THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < VIEW_THREADS + TX_THREADS; i++)
        assert_int_equal(jobs[i].failures, 0);

    static bool seen[VIEW_THREADS][VIEWS_EACH];
    memset(seen, 0, sizeof(seen));
    struct view_log_filter f = { .citizen_id = c, .limit = 500 };
    int total = 0;
    do {
        struct view_log_row *v = NULL;
        size_t n = 0;
        int64_t next = 0;
        assert_int_equal(store_view_log_list(st, &f, &v, &n, &next), ERR_OK);
        for (size_t k = 0; k < n; k++) {
            int64_t rel = v[k].at - T0;
            int who = (int)(rel / 1000), i = (int)(rel % 1000);
            assert_true(who >= 0 && who < VIEW_THREADS && i < VIEWS_EACH);
            assert_false(seen[who][i]); /* once only */
            seen[who][i] = true;
            assert_int_equal(v[k].user_id, u);
        }
        total += (int)n;
        free(v);
        f.after = next;
    } while (f.after);
    assert_int_equal(total, VIEW_THREADS * VIEWS_EACH);
    for (int i = VIEW_THREADS; i < VIEW_THREADS + TX_THREADS; i++)
        for (int k = 0; k < TX_EACH; k++) {
            char key[32], v[16] = "";
            snprintf(key, sizeof(key), "v%d.%d", i, k);
            assert_int_equal(store_setting_get(st, key, v, sizeof(v)),
                             k % 4 == 1 ? ERR_NOT_FOUND : ERR_OK);
        }
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
    int64_t none = citizen(st, "Başvurusuz", "+905320000004", NULL);
    int64_t oos = citizen(st, "Yetki dışı", "+905320000005", NULL);
    int64_t called = citizen(st, "Yine aradı", "+905320000006", NULL);
    app_of(st, old, ST_CLOSED, T0 + DAY, "eski");
    app_of(st, old, ST_CLOSED, T0 + 2 * DAY, "eski 2");
    app_of(st, open, ST_CLOSED, T0 + DAY, "kapandı");
    app_of(st, open, ST_IN_PROGRESS, 0, "açık");
    app_of(st, recent, ST_CLOSED, T0 + 100 * DAY, "yeni");
    app_of(st, oos, ST_OUT_OF_SCOPE, T0 + DAY, "yetki dışı");
    app_of(st, called, ST_CLOSED, T0 + DAY, "kapandı, sonra yine aradı");
    /* a contact after the cutoff keeps a person (with or without applications) */
    struct contact k = { .citizen_id = called, .started_at = T0 + 60 * DAY };
    str_copy(k.channel, sizeof(k.channel), "phone_153");
    assert_int_equal(store_contact_create(st, &k), ERR_OK);
    int64_t *ids = NULL;
    size_t n = 0;
    /* the person without applications, recorded before the cutoff, is due too */
    assert_int_equal(store_retention_candidates(st, T0 + 50 * DAY, 0, 10, &ids, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], old);
    assert_int_equal(ids[1], none);
    assert_int_equal(ids[2], oos);
    free(ids);
    /* ...but not when recorded after it */
    assert_int_equal(store_retention_candidates(st, T0 - DAY, 0, 10, &ids, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(ids);
    /* keyset and limit */
    assert_int_equal(store_retention_candidates(st, T0 + 50 * DAY, none, 1, &ids, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], oos);
    free(ids);
    struct anon_counts c;
    assert_int_equal(store_citizen_anonymise(st, old, 0, T0, "[x]", "retention", &c), ERR_OK);
    assert_int_equal(store_retention_candidates(st, T0 + 50 * DAY, 0, 10, &ids, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], none);
    assert_int_equal(ids[1], oos);
    free(ids);
}

/* Old contacts and calls of no kept person lose their numbers and notes; a kept person's stay. */
static void test_retention_contacts(void **state)
{
    struct store *st = FX(state)->st;
    int64_t kept = citizen(st, "Kalan", "+905320000020", NULL);
    int64_t gone = citizen(st, "Giden", "+905320000021", NULL);
    struct anon_counts ac;
    assert_int_equal(store_citizen_anonymise(st, gone, 0, T0, "[x]", "retention", &ac), ERR_OK);
    struct call calls[3] = { { .offered_at = T0, .abandoned_at = T0 + 5 },
                             { .offered_at = T0, .answered_at = T0 + 5 },
                             { .offered_at = T0 + 90 * DAY, .abandoned_at = T0 + 90 * DAY + 5 } };
    for (int i = 0; i < 3; i++) {
        snprintf(calls[i].ref, sizeof(calls[i].ref), "r%d", i);
        str_copy(calls[i].caller, sizeof(calls[i].caller), "05321110000");
        assert_int_equal(store_call_save(st, &calls[i]), ERR_OK);
        struct call_event e = { .type = CEV_OFFERED, .at = calls[i].offered_at };
        str_copy(e.ref, sizeof(e.ref), calls[i].ref);
        str_copy(e.caller, sizeof(e.caller), "05321110000");
        bool added = false;
        assert_int_equal(store_call_event_add(st, &e, &added), ERR_OK);
    }
    /* loose: no person; mine: the kept person's, on call 1; late: after the cutoff */
    struct contact loose = { .started_at = T0, .note = "Veli Bey sordu" };
    struct contact mine = {
        .started_at = T0, .citizen_id = kept, .call_id = calls[1].id, .note = "Kalan Hanım"
    };
    struct contact late = { .started_at = T0 + 90 * DAY, .note = "sonra" };
    struct contact *all[] = { &loose, &mine, &late };
    for (int i = 0; i < 3; i++) {
        str_copy(all[i]->channel, sizeof(all[i]->channel), "phone_153");
        str_copy(all[i]->caller, sizeof(all[i]->caller), "+905321110000");
        assert_int_equal(store_contact_create(st, all[i]), ERR_OK);
    }
    int64_t nc = -1, nk = -1;
    assert_int_equal(store_retention_contacts(st, T0 + 50 * DAY, "[x]", true, &nc, &nk), ERR_OK);
    assert_int_equal(nc, 1);
    assert_int_equal(nk, 1);
    struct contact g;
    assert_int_equal(store_contact_get(st, loose.id, &g), ERR_OK);
    assert_string_equal(g.caller, "+905321110000"); /* dry: nothing changed */
    contact_release(&g);
    assert_int_equal(store_retention_contacts(st, T0 + 50 * DAY, "[x]", false, &nc, &nk), ERR_OK);
    assert_int_equal(nc, 1);
    assert_int_equal(nk, 1);
    assert_int_equal(store_contact_get(st, loose.id, &g), ERR_OK);
    assert_string_equal(g.caller, "");
    assert_string_equal(g.note, "[x]");
    contact_release(&g);
    for (int i = 0; i < 2; i++) {
        struct contact *same = i ? &mine : &late;
        assert_int_equal(store_contact_get(st, same->id, &g), ERR_OK);
        assert_string_equal(g.caller, "+905321110000");
        contact_release(&g);
    }
    const char *want[3] = { "", "05321110000", "05321110000" };
    for (int i = 0; i < 3; i++) {
        struct call k;
        struct call_event *ev = NULL;
        size_t n = 0;
        assert_int_equal(store_call_get(st, calls[i].ref, &k), ERR_OK);
        assert_string_equal(k.caller, want[i]);
        assert_int_equal(store_call_events(st, calls[i].ref, &ev, &n), ERR_OK);
        assert_int_equal(n, 1);
        assert_string_equal(ev[0].caller, want[i]);
        free(ev);
    }
    /* a second run finds nothing */
    assert_int_equal(store_retention_contacts(st, T0 + 50 * DAY, "[x]", false, &nc, &nk), ERR_OK);
    assert_int_equal(nc + nk, 0);
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

/* Key ids per row, pages of sealed numbers, compare-and-set writes, and a rotation that is
 * finished by running it again. */
static void test_tc_rotate(void **state)
{
    struct store *st = FX(state)->st;
    static const unsigned char k1[TCCRYPT_KEY_BYTES] = { 1 }, k2[TCCRYPT_KEY_BYTES] = { 2 };
    struct tccrypt_key old_key, new_key;
    char id1[TCCRYPT_ID_LEN], out[16];
    tccrypt_key_set(k2);
    new_key = (struct tccrypt_key){ 0 };
    str_copy(id1, sizeof(id1), tccrypt_key_id());
    tccrypt_key_set(k1);
    assert_string_not_equal(id1, tccrypt_key_id());
    int64_t a = citizen(st, "A", "+905320000030", "10000000146");
    int64_t b = citizen(st, "B", "+905320000031", "10000000078");
    int64_t foreign = -1;
    assert_int_equal(store_tc_foreign(st, tccrypt_key_id(), &foreign), ERR_OK);
    assert_int_equal(foreign, 0);
    assert_int_equal(store_tc_foreign(st, id1, &foreign), ERR_OK);
    assert_int_equal(foreign, 2);
    struct tc_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(store_tc_page(st, 0, 10, &rows, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, a);
    assert_string_equal(rows[0].key_id, tccrypt_key_id());
    /* compare-and-set: a stale old value writes nothing */
    assert_int_equal(store_tc_put(st, a, "v1:stale", rows[0].tc, "h", "x"), ERR_CONFLICT);
    free(rows);
    /* the old and the new key as objects (what rotate-key reads from the files) */
    char dir[] = "/tmp/alo153-tcrot-XXXXXX", p1[256], p2[256], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(p1, sizeof(p1), "%s/old", dir);
    snprintf(p2, sizeof(p2), "%s/new", dir);
    FILE *f = fopen(p1, "w");
    fprintf(f, "01%062d\n", 0);
    fclose(f);
    chmod(p1, 0600);
    f = fopen(p2, "w");
    fprintf(f, "02%062d\n", 0);
    fclose(f);
    chmod(p2, 0600);
    assert_true(tccrypt_key_read(p1, &old_key, err, sizeof(err)));
    assert_true(tccrypt_key_read(p2, &new_key, err, sizeof(err)));
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    assert_string_equal(old_key.id, tccrypt_key_id()); /* the file holds k1 */
    assert_string_equal(new_key.id, id1);
    struct kvkk_rotation res;
    struct err_detail ed = { 0 };
    /* interrupted: B's number opens with neither key, A is done already */
    char b_tc[TCCRYPT_SEALED_LEN];
    assert_int_equal(store_tc_page(st, a, 1, &rows, &n), ERR_OK);
    str_copy(b_tc, sizeof(b_tc), rows[0].tc);
    assert_int_equal(store_tc_put(st, b, b_tc,
                                  "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "h",
                                  rows[0].key_id),
                     ERR_OK);
    free(rows);
    assert_int_equal(core_kvkk_rotate_key(st, &old_key, &new_key, 1, NULL, NULL, &res, &ed),
                     ERR_INVALID);
    assert_string_equal(ed.name, "undecryptable");
    assert_int_equal(res.rotated, 1);
    assert_int_equal(store_tc_foreign(st, id1, &foreign), ERR_OK);
    assert_int_equal(foreign, 1);
    /* repaired and run again: A skipped, B rotated; then nothing is left to do */
    assert_int_equal(store_tc_page(st, a, 1, &rows, &n), ERR_OK);
    assert_int_equal(store_tc_put(st, b, rows[0].tc, b_tc, "h", rows[0].key_id), ERR_OK);
    free(rows);
    assert_int_equal(core_kvkk_rotate_key(st, &old_key, &new_key, 1, NULL, NULL, &res, &ed),
                     ERR_OK);
    assert_int_equal(res.total, 2);
    assert_int_equal(res.rotated, 1);
    assert_int_equal(res.skipped, 1);
    assert_int_equal(store_tc_foreign(st, id1, &foreign), ERR_OK);
    assert_int_equal(foreign, 0);
    /* served with the new key: found by the new hash, read whole */
    tccrypt_key_set(k2);
    struct citizen *v = NULL;
    size_t k = 0;
    assert_int_equal(store_citizen_by_tc(st, "10000000078", &v, &k), ERR_OK);
    assert_int_equal(k, 1);
    assert_int_equal(v[0].id, b);
    assert_string_equal(v[0].tc, "10000000078");
    citizen_release(&v[0]);
    free(v);
    assert_true(tccrypt_open_with(&new_key, b_tc, out, sizeof(out)) == false);
    tccrypt_key_forget(&old_key);
    tccrypt_key_forget(&new_key);
    tccrypt_key_set(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_view_log),
        CONF_TEST(test_view_log_concurrent),
        CONF_TEST(test_anonymise),
        CONF_TEST(test_retention_candidates),
        CONF_TEST(test_satisfaction_by_app),
        CONF_TEST(test_tc_sealed),
        CONF_TEST(test_retention_contacts),
        CONF_TEST(test_tc_rotate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
