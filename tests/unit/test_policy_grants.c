/* The department-grant rule of the access policy (issue 12, core/policy.h) against a real
 * (temporary SQLite) store: a grant lets a staff member or manager read another department's
 * subtree, only a grant "with act" lets them work there, nothing else is ever granted, and only
 * the roles bound to a department hold grants. Also the expiry forms of API tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/admin.h"
#include "core/policy.h"
#include "core/rights.h"
#include "core/users.h"
#include "store/store.h"

struct fixture {
    char path[64];
    struct store *st;
    int64_t fen, su, su_sub, zabita;
    struct user mudur, agent;
};

static int64_t dept(struct store *st, const char *code, const char *parent)
{
    struct dept_input in = { .code = code, .parent = parent, .name = code, .active = -1 };
    struct dept_result out;
    struct err_detail ed = { 0 };
    int rc = core_department_write(st, NULL, &in, &out, &ed);
    if (rc != ERR_OK)
        fprintf(stderr, "department %s: %s\n", code, ed.message);
    return rc == ERR_OK ? out.d.id : 0;
}

static int user(struct store *st, const char *name, const char *role, const char *department,
                struct user *out)
{
    struct user_input in = { .username = name,
                             .role = role,
                             .department = department,
                             .password_hash = "!",
                             .disabled = -1 };
    struct err_detail ed = { 0 };
    int rc = core_user_create(st, &in, out, &ed);
    if (rc != ERR_OK)
        fprintf(stderr, "user %s: %s\n", name, ed.message);
    return rc;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct err_detail ed = { 0 };
    int64_t metro;
    snprintf(f->path, sizeof(f->path), "/tmp/alo153-grants-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(f->path);
    if (store_open(f->path, &f->st, &ed) != ERR_OK ||
        store_institution_upsert(f->st, "METRO", "Büyükşehir", "metropolitan", &metro) != ERR_OK)
        return -1;
    f->fen = dept(f->st, "FEN", NULL);
    f->su = dept(f->st, "SU", NULL);
    f->su_sub = dept(f->st, "SU_ARIZA", "SU");
    f->zabita = dept(f->st, "ZABITA", NULL);
    if (!f->fen || !f->su || !f->su_sub || !f->zabita ||
        user(f->st, "fen.mudur", "manager", "FEN", &f->mudur) != ERR_OK ||
        user(f->st, "agent", "agent", NULL, &f->agent) != ERR_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[80];
    store_close(f->st);
    for (const char *sfx = ""; sfx; sfx = *sfx ? (sfx[1] == 'w' ? "-shm" : NULL) : "-wal") {
        snprintf(p, sizeof(p), "%s%s", f->path, sfx);
        unlink(p);
    }
    free(f);
    return 0;
}

static void test_read_grant(void **state)
{
    struct fixture *f = *state;
    const struct user *u = &f->mudur;
    struct err_detail ed = { 0 };
    assert_true(policy_allows(f->st, u, POL_APP_READ, f->fen));
    assert_false(policy_allows(f->st, u, POL_APP_READ, f->su));
    assert_int_equal(core_grant_set(f->st, u->id, "SU", false, NULL, &ed), ERR_OK);
    /* read: SU and the units below it, nothing else */
    assert_true(policy_allows(f->st, u, POL_APP_READ, f->su));
    assert_true(policy_allows(f->st, u, POL_APP_READ, f->su_sub));
    assert_false(policy_allows(f->st, u, POL_APP_READ, f->zabita));
    assert_false(policy_allows(f->st, u, POL_APP_READ, 0)); /* unrouted: only POL_ALL roles */
    /* no work without act; the own department is still worked */
    assert_false(policy_allows(f->st, u, POL_APP_WORK, f->su));
    assert_false(policy_allows(f->st, u, POL_APP_WORK, f->su_sub));
    assert_true(policy_allows(f->st, u, POL_APP_WORK, f->fen));
    /* nothing but reading and working is ever granted */
    assert_false(policy_allows(f->st, u, POL_PERSONAL, f->su));
    assert_false(policy_allows(f->st, u, POL_ADMINISTER, f->su));
    assert_false(policy_allows(f->st, u, POL_OVERSEE, f->su));
    /* lists: widened by the user's grants for reading only */
    struct dept_reach r;
    assert_int_equal(policy_reach(f->st, u, POL_APP_READ, &r), ERR_OK);
    assert_true(r.limited);
    assert_int_equal(r.n, 2);
    assert_int_equal(policy_reach(f->st, u, POL_APP_WORK, &r), ERR_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.root[0], f->fen);
    assert_int_equal(policy_reach(f->st, &f->agent, POL_APP_READ, &r), ERR_OK);
    assert_false(r.limited); /* sees all anyway */
}

static void test_act_grant_and_revoke(void **state)
{
    struct fixture *f = *state;
    const struct user *u = &f->mudur;
    struct err_detail ed = { 0 };
    struct grant g;
    assert_int_equal(core_grant_set(f->st, u->id, "SU", true, &g, &ed), ERR_OK);
    assert_true(g.act);
    assert_true(policy_allows(f->st, u, POL_APP_WORK, f->su));
    assert_true(policy_allows(f->st, u, POL_APP_WORK, f->su_sub));
    assert_false(policy_allows(f->st, u, POL_APP_WORK, f->zabita));
    /* back to read only, then gone */
    assert_int_equal(core_grant_set(f->st, u->id, "SU", false, NULL, &ed), ERR_OK);
    assert_false(policy_allows(f->st, u, POL_APP_WORK, f->su));
    assert_true(policy_allows(f->st, u, POL_APP_READ, f->su));
    assert_int_equal(core_grant_revoke(f->st, u->id, "SU", &ed), ERR_OK);
    assert_false(policy_allows(f->st, u, POL_APP_READ, f->su));
    assert_int_equal(core_grant_revoke(f->st, u->id, "SU", &ed), ERR_NOT_FOUND);
}

static void test_refused_grants(void **state)
{
    struct fixture *f = *state;
    struct err_detail ed = { 0 };
    struct grant *v = NULL;
    size_t n = 9;
    assert_int_equal(core_grant_set(f->st, f->agent.id, "SU", false, NULL, &ed), ERR_INVALID);
    assert_string_equal(ed.name, "role_without_grants");
    memset(&ed, 0, sizeof(ed));
    assert_int_equal(core_grant_set(f->st, f->mudur.id, "FEN", false, NULL, &ed), ERR_INVALID);
    assert_string_equal(ed.name, "own_department");
    memset(&ed, 0, sizeof(ed));
    assert_int_equal(core_grant_set(f->st, f->mudur.id, "NOPE", false, NULL, &ed),
                     ERR_UNPROCESSABLE);
    assert_int_equal(core_grant_set(f->st, 999999, "SU", false, NULL, &ed), ERR_NOT_FOUND);
    assert_int_equal(store_grant_list(f->st, f->mudur.id, &v, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(v);
    assert_false(policy_may_hold_grants(ROLE_AGENT));
    assert_false(policy_may_hold_grants(ROLE_ADMIN));
    assert_true(policy_may_hold_grants(ROLE_STAFF));
    assert_true(policy_may_hold_grants(ROLE_MANAGER));
}

/* policy_reach: the one decision behind every list, count and report (issue 12). */
static void test_reach(void **state)
{
    struct fixture *f = *state;
    const struct user *u = &f->mudur;
    struct err_detail ed = { 0 };
    struct dept_reach r;
    assert_int_equal(policy_reach(f->st, &f->agent, POL_APP_READ, &r), ERR_OK);
    assert_false(r.limited); /* every department */
    assert_int_equal(policy_reach(f->st, u, POL_APP_READ, &r), ERR_OK);
    assert_true(r.limited);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.root[0], f->fen);
    /* a grant on a unit, then on its parent: the parent's subtree replaces the unit's */
    assert_int_equal(core_grant_set(f->st, u->id, "SU_ARIZA", false, NULL, &ed), ERR_OK);
    assert_int_equal(policy_reach(f->st, u, POL_APP_READ, &r), ERR_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.root[1], f->su_sub);
    assert_int_equal(core_grant_set(f->st, u->id, "SU", false, NULL, &ed), ERR_OK);
    assert_int_equal(policy_reach(f->st, u, POL_APP_READ, &r), ERR_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.root[0] + r.root[1], f->fen + f->su);
    assert_true(policy_reach_has(f->st, &r, f->su_sub));
    assert_false(policy_reach_has(f->st, &r, f->zabita));
    assert_false(policy_reach_has(f->st, &r, 0));
    /* working: only the grants with act */
    assert_int_equal(policy_reach(f->st, u, POL_APP_WORK, &r), ERR_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.root[0], f->fen);
    assert_int_equal(core_grant_set(f->st, u->id, "SU_ARIZA", true, NULL, &ed), ERR_OK);
    assert_int_equal(policy_reach(f->st, u, POL_APP_WORK, &r), ERR_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.root[1], f->su_sub);
    /* nothing else is granted */
    assert_int_equal(policy_reach(f->st, u, POL_PERSONAL, &r), ERR_OK);
    assert_true(r.limited);
    assert_int_equal(r.n, 0);
    /* reports: a manager's read reach, the whole centre for oversight, else 403 */
    assert_int_equal(policy_report_reach(f->st, u, &r), ERR_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(policy_report_reach(f->st, &f->agent, &r), ERR_FORBIDDEN);
    struct user sup = { .id = 77, .role = ROLE_SUPERVISOR };
    assert_int_equal(policy_report_reach(f->st, &sup, &r), ERR_OK);
    assert_false(r.limited);
    struct user lost = { .id = 78, .role = ROLE_MANAGER }; /* no department, no grant */
    assert_int_equal(policy_report_reach(f->st, &lost, &r), ERR_FORBIDDEN);
    assert_int_equal(policy_reach(f->st, &lost, POL_APP_READ, &r), ERR_OK);
    assert_true(r.limited);
    assert_int_equal(r.n, 0);
}

/* A user reaches at most DEPT_REACH_MAX separate subtrees: the grant past that is refused (and
 * nothing changes), so no list or count ever fails on a reach too large. */
static void test_grant_limit(void **state)
{
    struct fixture *f = *state;
    struct err_detail ed = { 0 };
    char code[16];
    for (int i = 0; i < DEPT_REACH_MAX; i++) {
        snprintf(code, sizeof(code), "B%02d", i);
        assert_true(dept(f->st, code, NULL) > 0);
        int rc = core_grant_set(f->st, f->mudur.id, code, false, NULL, &ed);
        /* the own department FEN is one root: 63 grants fit */
        assert_int_equal(rc, i < DEPT_REACH_MAX - 1 ? ERR_OK : ERR_INVALID);
    }
    assert_string_equal(ed.name, "too_many_grants");
    struct grant *v = NULL;
    size_t n = 0;
    assert_int_equal(store_grant_list(f->st, f->mudur.id, &v, &n), ERR_OK);
    assert_int_equal(n, DEPT_REACH_MAX - 1);
    free(v);
    struct dept_reach r;
    assert_int_equal(policy_reach(f->st, &f->mudur, POL_APP_READ, &r), ERR_OK);
    assert_int_equal(r.n, DEPT_REACH_MAX);
}

static void test_token_expiry(void **state)
{
    (void)state;
    int64_t now = 1800000000, t = -1;
    assert_true(core_token_parse_expiry(NULL, now, &t));
    assert_int_equal(t, 0);
    assert_true(core_token_parse_expiry("", now, &t));
    assert_int_equal(t, 0);
    assert_true(core_token_parse_expiry("90d", now, &t));
    assert_int_equal(t, now + 90 * 86400);
    /* a date: the start of that day in Istanbul (UTC+3) */
    assert_true(core_token_parse_expiry("2027-06-01", now, &t));
    assert_int_equal(t, 1811797200); /* 2027-05-31T21:00:00Z */
    assert_false(core_token_parse_expiry("0d", now, &t));
    assert_false(core_token_parse_expiry("x9d", now, &t));
    assert_false(core_token_parse_expiry("soon", now, &t));
    assert_false(core_token_parse_expiry("2020-01-01", now, &t)); /* not in the future */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_grant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_act_grant_and_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_grants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reach, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_limit, setup, teardown),
        cmocka_unit_test(test_token_expiry),
    };
    return cmocka_run_group_tests_name("policy_grants", tests, NULL, NULL);
}
