/* Conformance: users, sessions, API tokens, citizens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void test_users(void **state)
{
    struct store *st = FX(state)->st;
    int64_t m = conf_institution(st, "METRO");
    int64_t fen = conf_department(st, "FEN", 0, m);
    struct err_detail ed = { 0 };
    struct user u = { .role = ROLE_STAFF, .department_id = fen, .created_at = 1700000000 };
    snprintf(u.username, sizeof(u.username), "zeynep");
    snprintf(u.full_name, sizeof(u.full_name), "Zeynep Çağlar");
    assert_int_equal(store_user_create(st, &u, "argon-hash-1", &ed), ERR_OK);
    assert_true(u.id > 0);
    int64_t id = u.id;
    struct user dup = u;
    dup.id = 0;
    assert_int_equal(store_user_create(st, &dup, "x", &ed), ERR_CONFLICT);
    assert_int_equal(ed.code, ERR_CONFLICT);
    int64_t admin = conf_user(st, "admin", ROLE_ADMIN, 0);
    conf_user(st, "bora", ROLE_AGENT, 0);

    struct user g;
    char hash[128];
    assert_int_equal(store_user_get(st, id, &g), ERR_OK);
    assert_string_equal(g.username, "zeynep");
    assert_string_equal(g.full_name, "Zeynep Çağlar");
    assert_int_equal(g.role, ROLE_STAFF);
    assert_int_equal(g.department_id, fen);
    assert_string_equal(g.department_code, "FEN");
    assert_false(g.disabled);
    assert_int_equal(g.created_at, 1700000000);
    assert_int_equal(store_user_get(st, 9999, &g), ERR_NOT_FOUND);
    assert_int_equal(store_user_by_name(st, "zeynep", &g, hash, sizeof(hash)), ERR_OK);
    assert_int_equal(g.id, id);
    assert_string_equal(hash, "argon-hash-1");
    assert_int_equal(store_user_by_name(st, "admin", &g, NULL, 0), ERR_OK);
    assert_int_equal(g.department_id, 0);
    assert_string_equal(g.department_code, "");
    assert_int_equal(store_user_by_name(st, "Zeynep", &g, hash, sizeof(hash)), ERR_NOT_FOUND);
    assert_int_equal(store_user_by_name(st, "nobody", &g, hash, sizeof(hash)), ERR_NOT_FOUND);

    assert_int_equal(store_user_set_password(st, id, "argon-hash-2"), ERR_OK);
    assert_int_equal(store_user_by_name(st, "zeynep", &g, hash, sizeof(hash)), ERR_OK);
    assert_string_equal(hash, "argon-hash-2");
    assert_int_equal(store_user_set_password(st, 9999, "x"), ERR_NOT_FOUND);
    assert_int_equal(store_user_set_disabled(st, id, true), ERR_OK);
    assert_int_equal(store_user_get(st, id, &g), ERR_OK);
    assert_true(g.disabled);
    assert_int_equal(store_user_set_disabled(st, id, false), ERR_OK);
    assert_int_equal(store_user_get(st, id, &g), ERR_OK);
    assert_false(g.disabled);
    assert_int_equal(store_user_set_disabled(st, 9999, true), ERR_NOT_FOUND);

    /* update writes full name, role, department and disabled (not the username) */
    g.role = ROLE_MANAGER;
    g.department_id = 0;
    g.disabled = true;
    snprintf(g.full_name, sizeof(g.full_name), "Zeynep Ç. Kaya");
    snprintf(g.username, sizeof(g.username), "renamed");
    assert_int_equal(store_user_update(st, &g), ERR_OK);
    assert_int_equal(store_user_get(st, id, &g), ERR_OK);
    assert_int_equal(g.role, ROLE_MANAGER);
    assert_int_equal(g.department_id, 0);
    assert_true(g.disabled);
    assert_string_equal(g.full_name, "Zeynep Ç. Kaya");
    assert_string_equal(g.username, "zeynep");
    g.id = 9999;
    assert_int_equal(store_user_update(st, &g), ERR_NOT_FOUND);

    /* list by username */
    struct user *v = NULL;
    size_t n = 0;
    assert_int_equal(store_user_list(st, &v, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].username, "admin");
    assert_int_equal(v[0].id, admin);
    assert_string_equal(v[1].username, "bora");
    assert_string_equal(v[2].username, "zeynep");
    free(v);
}

static void test_sessions_tokens(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a = conf_user(st, "ali", ROLE_AGENT, 0), b = conf_user(st, "bea", ROLE_DESK, 0);
    int64_t now = 1800000000;
    struct user u;
    assert_int_equal(store_session_create(st, "tok-a", a, now + 3600, 0), ERR_OK);
    assert_int_equal(store_session_create(st, "tok-b", b, now + 3600, 0), ERR_OK);
    assert_int_equal(store_session_create(st, "tok-a2", a, now + 60, 0), ERR_OK);
    assert_int_equal(store_session_create(st, "tok-a", b, now + 3600, 0), ERR_CONFLICT);
    assert_int_equal(store_session_user(st, "tok-a", now, &u, NULL), ERR_OK);
    assert_int_equal(u.id, a);
    assert_string_equal(u.username, "ali");
    assert_int_equal(store_session_user(st, "tok-a2", now + 59, &u, NULL), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-a2", now + 60, &u, NULL),
                     ERR_NOT_FOUND); /* expired */
    assert_int_equal(store_session_user(st, "nope", now, &u, NULL), ERR_NOT_FOUND);
    /* purging removes only what expired before the given time: tok-a2 (now + 60) goes at
     * now + 61, and stays gone even when asked about an earlier time */
    assert_int_equal(store_session_purge(st, now + 60), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-a2", now, &u, NULL), ERR_OK);
    assert_int_equal(store_session_purge(st, now + 61), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-a2", now, &u, NULL), ERR_NOT_FOUND);
    assert_int_equal(store_session_user(st, "tok-a", now, &u, NULL), ERR_OK);
    assert_int_equal(store_session_delete(st, "tok-a"), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-a", now, &u, NULL), ERR_NOT_FOUND);
    assert_int_equal(store_session_user(st, "tok-b", now, &u, NULL), ERR_OK);
    /* a disabled user's session and token stop working (SQLite also deletes the sessions) */
    struct api_token t = { .user_id = b, .created_at = now };
    snprintf(t.name, sizeof(t.name), "ci");
    assert_int_equal(store_token_create(st, &t, "th-b"), ERR_OK);
    assert_int_equal(store_token_user(st, "th-b", now, &u), ERR_OK);
    assert_int_equal(u.id, b);
    assert_int_equal(u.role, ROLE_DESK);
    assert_int_equal(store_token_user(st, "th-x", now, &u), ERR_NOT_FOUND);
    assert_int_equal(store_user_set_disabled(st, b, true), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-b", now, &u, NULL), ERR_NOT_FOUND);
    assert_int_equal(store_token_user(st, "th-b", now, &u), ERR_NOT_FOUND);
    assert_int_equal(store_user_set_disabled(st, b, false), ERR_OK);
    assert_int_equal(store_token_user(st, "th-b", now, &u), ERR_OK);
    /* a new password ends the user's sessions (the SQLite backend's behaviour, which
     * password changes in the API rely on) */
    assert_int_equal(store_session_create(st, "tok-a3", a, now + 3600, 0), ERR_OK);
    assert_int_equal(store_user_set_password(st, a, "new"), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-a3", now, &u, NULL), ERR_NOT_FOUND);
}

/* Sessions slide with activity (store_session_touch), up to their absolute limit. */
static void test_session_touch(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a = conf_user(st, "ali", ROLE_AGENT, 0);
    int64_t now = 1800000000;
    struct user u;
    /* idle limit 30 min, absolute limit 2 h */
    assert_int_equal(store_session_create(st, "tok-s", a, now + 1800, now + 7200), ERR_OK);
    assert_int_equal(store_session_touch(st, "tok-s", now + 1200, now + 1200 + 1800), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-s", now + 2900, &u, NULL), ERR_OK); /* slid */
    assert_int_equal(store_session_user(st, "tok-s", now + 3000, &u, NULL), ERR_NOT_FOUND);
    /* a touch within the step writes nothing: the expiry stays at now + 3000 */
    assert_int_equal(store_session_touch(st, "tok-s", now + 1230, now + 1230 + 1800), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-s", now + 3010, &u, NULL), ERR_NOT_FOUND);
    /* never past the absolute limit */
    assert_int_equal(store_session_touch(st, "tok-s", now + 2900, now + 2900 + 9000), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-s", now + 7199, &u, NULL), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-s", now + 7200, &u, NULL), ERR_NOT_FOUND);
    /* an expired session is not revived */
    assert_int_equal(store_session_touch(st, "tok-s", now + 7300, now + 9000), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-s", now + 7400, &u, NULL), ERR_NOT_FOUND);
    /* a session without an absolute limit keeps its expiry; an unknown one is no error */
    assert_int_equal(store_session_create(st, "tok-old", a, now + 600, 0), ERR_OK);
    assert_int_equal(store_session_touch(st, "tok-old", now + 300, now + 3000), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-old", now + 700, &u, NULL), ERR_NOT_FOUND);
    assert_int_equal(store_session_touch(st, "nope", now, now + 3000), ERR_OK);
    /* the expiry comes with the user, and store_session_slides says when a touch would write
     * (the API touches only then: one statement per request instead of two) */
    struct session_times t = { 0 };
    assert_int_equal(store_session_create(st, "tok-t", a, now + 1800, now + 7200), ERR_OK);
    assert_int_equal(store_session_user(st, "tok-t", now, &u, &t), ERR_OK);
    assert_int_equal(t.expires_at, now + 1800);
    assert_int_equal(t.max_until, now + 7200);
    assert_false(store_session_slides(&t, now + 1800 + STORE_SESSION_TOUCH_STEP));
    assert_true(store_session_slides(&t, now + 1800 + STORE_SESSION_TOUCH_STEP + 1));
    t.expires_at = now + 7200 - STORE_SESSION_TOUCH_STEP; /* near the absolute limit */
    assert_false(store_session_slides(&t, now + 9000));
    struct session_times fixed = { .expires_at = now + 600, .max_until = 0 };
    assert_false(store_session_slides(&fixed, now + 3000));
}

static void test_citizens(void **state)
{
    struct store *st = FX(state)->st;
    struct citizen c1 = { .name = "Ayşe Öztürk",
                          .email = "ayse@example.org",
                          .address = "Sahabiye Mah.",
                          .created_at = 1700000000 };
    snprintf(c1.phone, sizeof(c1.phone), "+905321234567");
    snprintf(c1.tc, sizeof(c1.tc), "10000000146");
    assert_int_equal(store_citizen_create(st, &c1), ERR_OK);
    assert_true(c1.id > 0);
    struct citizen c2 = { .created_at = 1700000100 };
    snprintf(c2.phone, sizeof(c2.phone), "+905321234567");
    assert_int_equal(store_citizen_create(st, &c2), ERR_OK);
    struct citizen c3 = { .name = "Başka", .created_at = 1700000200 };
    snprintf(c3.phone, sizeof(c3.phone), "+905551112233");
    assert_int_equal(store_citizen_create(st, &c3), ERR_OK);
    assert_true(c2.id != c1.id && c3.id != c2.id);

    struct citizen g;
    assert_int_equal(store_citizen_get(st, c1.id, &g), ERR_OK);
    assert_string_equal(g.name, "Ayşe Öztürk");
    assert_string_equal(g.phone, "+905321234567");
    assert_string_equal(g.email, "ayse@example.org");
    assert_string_equal(g.tc, "10000000146");
    assert_string_equal(g.address, "Sahabiye Mah.");
    assert_int_equal(g.created_at, 1700000000);
    citizen_release(&g);
    assert_int_equal(store_citizen_get(st, c2.id, &g), ERR_OK);
    assert_null(g.name); /* NULL stays NULL */
    assert_null(g.email);
    assert_string_equal(g.tc, "");
    citizen_release(&g);
    assert_int_equal(store_citizen_get(st, 9999, &g), ERR_NOT_FOUND);

    struct citizen *v = NULL;
    size_t n = 0;
    assert_int_equal(store_citizen_by_phone(st, "+905321234567", &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, c2.id); /* newest first */
    assert_int_equal(v[1].id, c1.id);
    for (size_t i = 0; i < n; i++)
        citizen_release(&v[i]);
    free(v);
    assert_int_equal(store_citizen_by_phone(st, "+900000000000", &v, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(v);

    int64_t u = conf_user(st, "kvkk", ROLE_SUPERVISOR, 0);
    assert_int_equal(store_citizen_view_log(st, c1.id, u, 1700000300, "application 5"), ERR_OK);
    assert_int_equal(store_citizen_view_log(st, c1.id, u, 1700000301, "search"), ERR_OK);
    /* the log refers to real rows (SQLite: foreign keys) */
    assert_true(store_citizen_view_log(st, 9999, u, 1700000302, "x") < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_users),
        CONF_TEST(test_sessions_tokens),
        CONF_TEST(test_session_touch),
        CONF_TEST(test_citizens),
    };
    return cmocka_run_group_tests_name("store_people", tests, NULL, NULL);
}
