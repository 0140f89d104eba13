/* The lifecycle of DESIGN.md as an independent expectation: the WHOLE status × action matrix
 * (allowed or not, and the status it leads to), the whole role × action matrix, the allowed-action
 * lists of every status, final statuses and the name tables. The tables below are written out
 * from DESIGN.md ("Application lifecycle"), docs/ARCHITECTURE.md ("Actions beyond the drawing")
 * and the README's role list, cell by cell, never derived from src/core/lifecycle.c or
 * src/model/. The rest of the role table is tests/unit/test_role.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/lifecycle.h"
#include "model/lifecycle.h"
#include "model/role.h"

/* Names as the API spells them, in the enum order the tables below use. */
static const char *const status_names[] = {
    "new", "forwarded", "in_progress", "resolved", "closed", "out_of_scope", "duplicate",
};
static const char *const action_names[] = {
    "route",  "accept",       "return",    "transfer", "respond", "reject-answer", "close",
    "reopen", "out-of-scope", "duplicate", "note",     "hold",    "resume",
};
static const char *const role_names[] = {
    "agent", "desk", "staff", "manager", "supervisor", "admin", "telephony", "dpo",
};
#define NSTATUS (sizeof(status_names) / sizeof(status_names[0]))
#define NACTION (sizeof(action_names) / sizeof(action_names[0]))
#define NROLE (sizeof(role_names) / sizeof(role_names[0]))
_Static_assert(NSTATUS == ST__COUNT, "a status was added: extend the expectation tables");
_Static_assert(NACTION == ACT__COUNT, "an action was added: extend the expectation tables");
_Static_assert(NROLE == ROLE__COUNT, "a role was added: extend the expectation tables");

/* expect[status][action]: the status name after the action, or NULL when it is a 409.
 *   new ──route──▶ forwarded ──accept──▶ in_progress ──respond──▶ resolved ──close──▶ closed
 *   forwarded ──return──▶ new;  forwarded/in_progress ──transfer──▶ forwarded
 *   resolved ──reject-answer──▶ in_progress;  closed ──reopen──▶ forwarded
 *   new ──out-of-scope──▶ out_of_scope;  new ──duplicate──▶ duplicate
 *   note keeps any status; hold and resume keep in_progress (and only in_progress). */
#define NO NULL
static const char *const expect[7][13] = {
    /*               route        accept         return  transfer     respond     reject-answer
       close     reopen       out-of-scope    duplicate    note            hold           resume */
    /* new */ { "forwarded", NO, NO, NO, NO, NO, NO, NO, "out_of_scope", "duplicate", "new", NO,
                NO },
    /* forwarded */
    { NO, "in_progress", "new", "forwarded", NO, NO, NO, NO, NO, NO, "forwarded", NO, NO },
    /* in_prog. */
    { NO, NO, NO, "forwarded", "resolved", NO, NO, NO, NO, NO, "in_progress", "in_progress",
      "in_progress" },
    /* resolved */ { NO, NO, NO, NO, NO, "in_progress", "closed", NO, NO, NO, "resolved", NO, NO },
    /* closed */ { NO, NO, NO, NO, NO, NO, NO, "forwarded", NO, NO, "closed", NO, NO },
    /* out_of_sc */ { NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, "out_of_scope", NO, NO },
    /* duplicate */ { NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, "duplicate", NO, NO },
};
#undef NO

/* may[role][action]: the front office (agent, desk) registers, routes, relays and concludes
 * answers, marks out-of-scope and duplicates, transfers and notes; departments (staff, manager)
 * accept, return, transfer, respond, hold, resume and note; supervisors and admins do all. */
static const char may[8][13] = {
    /*              route accept return transfer respond reject close reopen oos dup note hold
       resume */
    /* agent */ { 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0 },
    /* desk */ { 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0 },
    /* staff */ { 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1 },
    /* manager */ { 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1 },
    /* supervisor */ { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
    /* admin */ { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
    /* telephony: the exchange's token takes no action on applications */
    /* telephony */ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    /* the data-protection officer (KVKK): exports and erases, takes no action */
    /* dpo */ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

static void test_names_match_the_api(void **state)
{
    (void)state;
    for (size_t s = 0; s < NSTATUS; s++) {
        assert_string_equal(lifecycle_status_name((enum app_status)s), status_names[s]);
        assert_int_equal(lifecycle_status_parse(status_names[s]), (int)s);
    }
    for (size_t a = 0; a < NACTION; a++) {
        assert_string_equal(lifecycle_action_name((enum app_action)a), action_names[a]);
        assert_int_equal(lifecycle_action_parse(action_names[a]), (int)a);
    }
    for (size_t r = 0; r < NROLE; r++) {
        assert_string_equal(role_name((enum role)r), role_names[r]);
        assert_int_equal(role_parse(role_names[r]), (int)r);
    }
}

/* Every one of the 7 × 13 cells: allowed or 409, and the resulting status. */
static void test_whole_transition_table(void **state)
{
    (void)state;
    int allowed = 0, cells = 0;
    for (size_t s = 0; s < NSTATUS; s++)
        for (size_t a = 0; a < NACTION; a++) {
            int got = lifecycle_next((enum app_status)s, (enum app_action)a);
            const char *want = expect[s][a];
            int want_st = want ? lifecycle_status_parse(want) : -1;
            if (want && want_st < 0)
                fail_msg("bad expectation %s", want);
            if (got != want_st)
                fail_msg("%s --%s--> expected %s, got %s", status_names[s], action_names[a],
                         want ? want : "409 (illegal)",
                         got < 0 ? "409 (illegal)" : lifecycle_status_name((enum app_status)got));
            cells++;
            allowed += want != NULL;
        }
    assert_int_equal(cells, 7 * 13);
    /* 13 drawn transitions and status-keeping actions + 7 notes */
    assert_int_equal(allowed, 20);
}

/* Out-of-range inputs are illegal, never an out-of-bounds read. */
static void test_out_of_range(void **state)
{
    (void)state;
    assert_int_equal(lifecycle_next(ST__COUNT, ACT_ROUTE), -1);
    assert_int_equal(lifecycle_next(ST_NEW, ACT__COUNT), -1);
    assert_int_equal(lifecycle_next((enum app_status) - 1, ACT_NOTE), -1);
    assert_int_equal(lifecycle_next(ST_NEW, (enum app_action) - 1), -1);
    assert_false(lifecycle_role_may(ROLE__COUNT, ACT_NOTE));
    assert_false(lifecycle_role_may(ROLE_ADMIN, ACT__COUNT));
    assert_false(lifecycle_role_may((enum role) - 1, ACT_NOTE));
    assert_string_equal(lifecycle_status_name(ST__COUNT), "?");
    assert_string_equal(lifecycle_action_name(ACT__COUNT), "?");
    assert_string_equal(role_name(ROLE__COUNT), "?");
}

/* The list in a 409's "allowed", for every status, built from the expectation table. */
static void test_allowed_lists(void **state)
{
    char buf[256], want[256];
    (void)state;
    for (size_t s = 0; s < NSTATUS; s++) {
        want[0] = '\0';
        for (size_t a = 0; a < NACTION; a++)
            if (expect[s][a]) {
                if (want[0])
                    strcat(want, ",");
                strcat(want, action_names[a]);
            }
        memset(buf, 'x', sizeof(buf));
        lifecycle_allowed((enum app_status)s, buf, sizeof(buf));
        if (strcmp(buf, want) != 0)
            fail_msg("allowed in %s: expected \"%s\", got \"%s\"", status_names[s], want, buf);
    }
    /* spelled out once, as a 409 shows them */
    lifecycle_allowed(ST_NEW, buf, sizeof(buf));
    assert_string_equal(buf, "route,out-of-scope,duplicate,note");
    lifecycle_allowed(ST_IN_PROGRESS, buf, sizeof(buf));
    assert_string_equal(buf, "transfer,respond,note,hold,resume");
    lifecycle_allowed(ST_DUPLICATE, buf, sizeof(buf));
    assert_string_equal(buf, "note");
    /* truncation keeps whole names */
    lifecycle_allowed(ST_IN_PROGRESS, buf, 10);
    assert_string_equal(buf, "transfer");
    lifecycle_allowed(ST_IN_PROGRESS, buf, 8);
    assert_string_equal(buf, "");
    buf[0] = 'x';
    lifecycle_allowed(ST_NEW, buf, 0); /* nothing written */
    assert_int_equal(buf[0], 'x');
}

/* Every one of the 6 × 13 role cells. */
static void test_whole_role_table(void **state)
{
    (void)state;
    for (size_t r = 0; r < NROLE; r++)
        for (size_t a = 0; a < NACTION; a++) {
            bool got = lifecycle_role_may((enum role)r, (enum app_action)a);
            if (got != (may[r][a] != 0))
                fail_msg("a %s %s %s", role_names[r], may[r][a] ? "should be able to" : "must not",
                         action_names[a]);
        }
}

static void test_final_and_visibility(void **state)
{
    (void)state;
    static const bool final[] = { false, false, false, false, true, true, true };
    _Static_assert(sizeof(final) / sizeof(final[0]) == ST__COUNT, "one per status");
    for (size_t s = 0; s < NSTATUS; s++)
        if (lifecycle_is_final((enum app_status)s) != final[s])
            fail_msg("%s should %sbe final", status_names[s], final[s] ? "" : "not ");
    /* a final status has nothing to do but notes (and closed may be reopened) */
    for (size_t s = 0; s < NSTATUS; s++) {
        if (!final[s])
            continue;
        for (size_t a = 0; a < NACTION; a++) {
            int to = lifecycle_next((enum app_status)s, (enum app_action)a);
            if (to >= 0 && a != ACT_NOTE && !(s == ST_CLOSED && a == ACT_REOPEN))
                fail_msg("final %s allows %s", status_names[s], action_names[a]);
        }
    }
    /* staff and managers see their department only; everyone else sees all */
    static const bool sees_all[] = { true, true, false, false, true, true, false, false };
    _Static_assert(sizeof(sees_all) / sizeof(sees_all[0]) == ROLE__COUNT, "one per role");
    for (size_t r = 0; r < NROLE; r++)
        if (role_sees_all_departments((enum role)r) != sees_all[r])
            fail_msg("%s should %ssee all departments", role_names[r], sees_all[r] ? "" : "not ");
}

static void test_parse_rejects(void **state)
{
    (void)state;
    assert_int_equal(lifecycle_status_parse("closed "), -1);
    assert_int_equal(lifecycle_status_parse("Closed"), -1);
    assert_int_equal(lifecycle_status_parse("in-progress"), -1);
    assert_int_equal(lifecycle_status_parse(""), -1);
    assert_int_equal(lifecycle_status_parse(NULL), -1);
    assert_int_equal(lifecycle_action_parse("reject_answer"), -1);
    assert_int_equal(lifecycle_action_parse("out_of_scope"), -1);
    assert_int_equal(lifecycle_action_parse("ROUTE"), -1);
    assert_int_equal(lifecycle_action_parse(NULL), -1);
    assert_int_equal(role_parse("king"), -1);
    assert_int_equal(role_parse("Admin"), -1);
    assert_int_equal(role_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_match_the_api), cmocka_unit_test(test_whole_transition_table),
        cmocka_unit_test(test_out_of_range),        cmocka_unit_test(test_allowed_lists),
        cmocka_unit_test(test_whole_role_table),    cmocka_unit_test(test_final_and_visibility),
        cmocka_unit_test(test_parse_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
