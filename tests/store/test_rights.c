/* Conformance: API tokens (expiry, revocation, last use), department grants (and the lists they
 * widen) and the audit log (issue 12). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void test_tokens(void **state)
{
    struct store *st = FX(state)->st;
    int64_t u = conf_user(st, "token.santral", ROLE_TELEPHONY, 0);
    struct api_token t = { .user_id = u, .created_at = 1000, .expires_at = 2000 }, g;
    struct user who;
    snprintf(t.name, sizeof(t.name), "santral");
    assert_int_equal(store_token_create(st, &t, "hash-1"), ERR_OK);
    assert_true(t.id > 0);
    assert_int_equal(store_token_by_hash(st, "hash-1", &g), ERR_OK);
    assert_int_equal(g.id, t.id);
    assert_string_equal(g.name, "santral");
    assert_string_equal(g.username, "token.santral");
    assert_int_equal(g.expires_at, 2000);
    assert_int_equal(g.revoked_at, 0);
    assert_int_equal(g.last_used_at, 0);
    /* live until its expiry, not at it */
    assert_int_equal(store_token_user(st, "hash-1", 1999, &who), ERR_OK);
    assert_int_equal(who.id, u);
    assert_int_equal(store_token_user(st, "hash-1", 2000, &who), ERR_NOT_FOUND);
    assert_int_equal(store_token_used(st, t.id, 1500), ERR_OK);
    assert_int_equal(store_token_get(st, t.id, &g), ERR_OK);
    assert_int_equal(g.last_used_at, 1500);
    /* a second token without expiry; the list is by name */
    struct api_token t2 = { .user_id = u, .created_at = 1000 };
    snprintf(t2.name, sizeof(t2.name), "abone");
    assert_int_equal(store_token_create(st, &t2, "hash-2"), ERR_OK);
    struct api_token dup = t2;
    assert_int_equal(store_token_create(st, &dup, "hash-3"), ERR_CONFLICT); /* the name */
    struct api_token *v = NULL;
    size_t n = 0;
    assert_int_equal(store_token_list(st, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].name, "abone");
    assert_string_equal(v[1].name, "santral");
    free(v);
    assert_int_equal(store_token_user(st, "hash-2", 1LL << 40, &who), ERR_OK);
    assert_int_equal(store_token_revoke(st, t2.id, 1600), ERR_OK);
    assert_int_equal(store_token_revoke(st, t2.id, 1700), ERR_NOT_FOUND); /* once */
    assert_int_equal(store_token_revoke(st, 99999, 1700), ERR_NOT_FOUND);
    assert_int_equal(store_token_user(st, "hash-2", 1601, &who), ERR_NOT_FOUND);
    assert_int_equal(store_token_get(st, t2.id, &g), ERR_OK);
    assert_int_equal(g.revoked_at, 1600);
    assert_int_equal(store_token_by_hash(st, "nope", &g), ERR_NOT_FOUND);
}

static void test_grants(void **state)
{
    struct store *st = FX(state)->st;
    int64_t m = conf_institution(st, "METRO");
    int64_t fen = conf_department(st, "FEN", 0, m);
    int64_t su = conf_department(st, "SU", 0, m);
    int64_t su_ariza = conf_department(st, "SU_ARIZA", su, m);
    int64_t zab = conf_department(st, "ZABITA", 0, m);
    int64_t mudur = conf_user(st, "fen.mudur", ROLE_MANAGER, fen);
    int64_t cat = conf_category(st, "SU_X", su_ariza, "Su", "su");
    int64_t a_fen = conf_app(st, 0, fen, "yol", 1767225600, NULL);
    int64_t a_su = conf_app(st, cat, su_ariza, "boru", 1767225601, NULL);
    int64_t a_zab = conf_app(st, 0, zab, "seyyar", 1767225602, NULL);

    struct grant g = { .user_id = mudur, .department_id = su, .act = false, .created_at = 5 };
    assert_int_equal(store_grant_set(st, &g), ERR_OK);
    g.act = true; /* set again: changes act, keeps one row */
    assert_int_equal(store_grant_set(st, &g), ERR_OK);
    struct grant *v = NULL;
    size_t n = 0;
    assert_int_equal(store_grant_list(st, mudur, &v, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].department_code, "SU");
    assert_true(v[0].act);
    free(v);

    /* a list in the reach of FEN and SU (policy_reach's roots): their subtrees, not ZABITA */
    struct app_filter f = { .reach = { .limited = true, .n = 2, .root = { fen, su } },
                            .limit = 50 };
    struct app *apps = NULL;
    int64_t next = 0, count = 0;
    assert_int_equal(store_app_list(st, &f, &apps, &n, &next, NULL), ERR_OK);
    assert_int_equal(n, 2);
    bool seen_fen = false, seen_su = false;
    for (size_t i = 0; i < n; i++) {
        seen_fen |= apps[i].id == a_fen;
        seen_su |= apps[i].id == a_su;
        assert_int_not_equal(apps[i].id, a_zab);
        app_release(&apps[i]);
    }
    free(apps);
    assert_true(seen_fen && seen_su);
    assert_int_equal(store_app_count(st, &f, &count), ERR_OK);
    assert_int_equal(count, 2);
    f.reach.n = 1; /* without SU: FEN only */
    assert_int_equal(store_app_count(st, &f, &count), ERR_OK);
    assert_int_equal(count, 1);

    assert_int_equal(store_grant_delete(st, mudur, su), ERR_OK);
    assert_int_equal(store_grant_delete(st, mudur, su), ERR_NOT_FOUND);
    assert_int_equal(store_grant_list(st, mudur, &v, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(v);
    f.reach.n = 0; /* a reach of nothing */
    assert_int_equal(store_app_count(st, &f, &count), ERR_OK);
    assert_int_equal(count, 0);
}

static void test_audit(void **state)
{
    struct store *st = FX(state)->st;
    const char *kinds[] = { "login", "user", "setting", "login", "grant" };
    for (int i = 0; i < 5; i++) {
        struct audit_entry e = { .at = 1000 + i * 10, .actor_id = i == 3 ? 0 : 7 };
        snprintf(e.actor, sizeof(e.actor), "%s", i == 3 ? "mallory" : "admin");
        snprintf(e.kind, sizeof(e.kind), "%s", kinds[i]);
        snprintf(e.object, sizeof(e.object), "obj%d", i);
        snprintf(e.address, sizeof(e.address), "127.0.0.1");
        e.before = i == 2 ? "{\"value\":\"15\"}" : "";
        e.after = i == 2 ? "{\"value\":\"12\"}" : "";
        assert_int_equal(store_audit_add(st, &e), ERR_OK);
    }
    struct audit_filter f = { .limit = 2 };
    struct audit_entry *v = NULL;
    size_t n = 0;
    int64_t next = 0;
    assert_int_equal(store_audit_list(st, &f, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].kind, "grant"); /* newest first */
    assert_string_equal(v[1].actor, "mallory");
    assert_int_equal(next, v[1].id);
    for (size_t i = 0; i < n; i++)
        audit_entry_release(&v[i]);
    free(v);
    f.after = next;
    f.limit = 10;
    assert_int_equal(store_audit_list(st, &f, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(next, 0);
    assert_string_equal(v[0].kind, "setting");
    assert_string_equal(v[0].before, "{\"value\":\"15\"}");
    assert_string_equal(v[0].after, "{\"value\":\"12\"}");
    assert_string_equal(v[0].address, "127.0.0.1");
    assert_int_equal(v[0].at, 1020);
    for (size_t i = 0; i < n; i++)
        audit_entry_release(&v[i]);
    free(v);
    struct audit_filter k = { .kind = "login", .actor = "admin", .limit = 10 };
    assert_int_equal(store_audit_list(st, &k, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].object, "obj0");
    audit_entry_release(&v[0]);
    free(v);
    struct audit_filter t = { .from = 1010, .to = 1030, .limit = 10 };
    assert_int_equal(store_audit_list(st, &t, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        audit_entry_release(&v[i]);
    free(v);
    struct audit_filter bad = { .limit = 0 };
    assert_int_equal(store_audit_list(st, &bad, &v, &n, &next), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_tokens),
        CONF_TEST(test_grants),
        CONF_TEST(test_audit),
    };
    return cmocka_run_group_tests_name("store_rights", tests, NULL, NULL);
}
