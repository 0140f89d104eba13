/* The lifecycle table of DESIGN.md: every drawn transition, a sample of forbidden ones,
 * role permissions and the name tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/lifecycle.h"

struct edge {
    enum app_status from;
    enum app_action action;
    enum app_status to;
};

/* Every transition the design draws, and the status-keeping actions. */
static const struct edge allowed[] = {
    { ST_NEW, ACT_ROUTE, ST_FORWARDED },
    { ST_NEW, ACT_OUT_OF_SCOPE, ST_OUT_OF_SCOPE },
    { ST_NEW, ACT_DUPLICATE, ST_DUPLICATE },
    { ST_FORWARDED, ACT_ACCEPT, ST_IN_PROGRESS },
    { ST_FORWARDED, ACT_RETURN, ST_NEW },
    { ST_FORWARDED, ACT_TRANSFER, ST_FORWARDED },
    { ST_IN_PROGRESS, ACT_TRANSFER, ST_FORWARDED },
    { ST_IN_PROGRESS, ACT_RESPOND, ST_RESOLVED },
    { ST_IN_PROGRESS, ACT_HOLD, ST_IN_PROGRESS },
    { ST_IN_PROGRESS, ACT_RESUME, ST_IN_PROGRESS },
    { ST_RESOLVED, ACT_REJECT_ANSWER, ST_IN_PROGRESS },
    { ST_RESOLVED, ACT_CLOSE, ST_CLOSED },
    { ST_CLOSED, ACT_REOPEN, ST_FORWARDED },
};

static bool is_allowed(enum app_status s, enum app_action a)
{
    if (a == ACT_NOTE)
        return true;
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (allowed[i].from == s && allowed[i].action == a)
            return true;
    return false;
}

static void test_allowed_transitions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        int to = lifecycle_next(allowed[i].from, allowed[i].action);
        if (to != (int)allowed[i].to)
            fail_msg("%s --%s--> expected %s, got %d", lifecycle_status_name(allowed[i].from),
                     lifecycle_action_name(allowed[i].action),
                     lifecycle_status_name(allowed[i].to), to);
    }
}

/* The whole matrix: anything not drawn is illegal. */
static void test_everything_else_forbidden(void **state)
{
    (void)state;
    for (int s = 0; s < ST__COUNT; s++)
        for (int a = 0; a < ACT__COUNT; a++) {
            int to = lifecycle_next((enum app_status)s, (enum app_action)a);
            bool ok = is_allowed((enum app_status)s, (enum app_action)a);
            if (ok != (to >= 0))
                fail_msg("%s --%s--> %s but got %d", lifecycle_status_name(s),
                         lifecycle_action_name(a), ok ? "allowed" : "forbidden", to);
        }
}

static void test_forbidden_samples(void **state)
{
    (void)state;
    assert_int_equal(lifecycle_next(ST_NEW, ACT_ACCEPT), -1);
    assert_int_equal(lifecycle_next(ST_NEW, ACT_RESPOND), -1);
    assert_int_equal(lifecycle_next(ST_FORWARDED, ACT_RESPOND), -1);
    assert_int_equal(lifecycle_next(ST_FORWARDED, ACT_CLOSE), -1);
    assert_int_equal(lifecycle_next(ST_IN_PROGRESS, ACT_RETURN), -1);
    assert_int_equal(lifecycle_next(ST_RESOLVED, ACT_ACCEPT), -1);
    assert_int_equal(lifecycle_next(ST_CLOSED, ACT_CLOSE), -1);
    assert_int_equal(lifecycle_next(ST_CLOSED, ACT_RESPOND), -1);
    assert_int_equal(lifecycle_next(ST_OUT_OF_SCOPE, ACT_ROUTE), -1);
    assert_int_equal(lifecycle_next(ST_DUPLICATE, ACT_REOPEN), -1);
    assert_int_equal(lifecycle_next(ST_NEW, ACT_HOLD), -1);
    assert_int_equal(lifecycle_next(ST_RESOLVED, ACT_HOLD), -1);
    assert_int_equal(lifecycle_next(ST__COUNT, ACT_ROUTE), -1);
    assert_int_equal(lifecycle_next(ST_NEW, ACT__COUNT), -1);
}

static void test_allowed_list(void **state)
{
    char buf[256];
    (void)state;
    lifecycle_allowed(ST_NEW, buf, sizeof(buf));
    assert_string_equal(buf, "route,out-of-scope,duplicate,note");
    lifecycle_allowed(ST_RESOLVED, buf, sizeof(buf));
    assert_string_equal(buf, "reject-answer,close,note");
    lifecycle_allowed(ST_DUPLICATE, buf, sizeof(buf));
    assert_string_equal(buf, "note");
    lifecycle_allowed(ST_IN_PROGRESS, buf, 10); /* truncation keeps whole names */
    assert_string_equal(buf, "transfer");
}

static void test_roles(void **state)
{
    (void)state;
    assert_true(lifecycle_role_may(ROLE_AGENT, ACT_ROUTE));
    assert_false(lifecycle_role_may(ROLE_AGENT, ACT_ACCEPT));
    assert_false(lifecycle_role_may(ROLE_AGENT, ACT_RESPOND));
    assert_true(lifecycle_role_may(ROLE_STAFF, ACT_ACCEPT));
    assert_true(lifecycle_role_may(ROLE_STAFF, ACT_RETURN));
    assert_true(lifecycle_role_may(ROLE_STAFF, ACT_RESPOND));
    assert_false(lifecycle_role_may(ROLE_STAFF, ACT_ROUTE));
    assert_false(lifecycle_role_may(ROLE_STAFF, ACT_CLOSE));
    assert_false(lifecycle_role_may(ROLE_MANAGER, ACT_OUT_OF_SCOPE));
    for (int a = 0; a < ACT__COUNT; a++) {
        assert_true(lifecycle_role_may(ROLE_SUPERVISOR, (enum app_action)a));
        assert_true(lifecycle_role_may(ROLE_ADMIN, (enum app_action)a));
    }
    assert_false(lifecycle_role_may(ROLE__COUNT, ACT_NOTE));
    assert_true(role_sees_all_departments(ROLE_SUPERVISOR));
    assert_false(role_sees_all_departments(ROLE_STAFF));
    assert_false(role_sees_all_departments(ROLE_MANAGER));
}

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int s = 0; s < ST__COUNT; s++)
        assert_int_equal(lifecycle_status_parse(lifecycle_status_name(s)), s);
    for (int a = 0; a < ACT__COUNT; a++)
        assert_int_equal(lifecycle_action_parse(lifecycle_action_name(a)), a);
    for (int r = 0; r < ROLE__COUNT; r++)
        assert_int_equal(role_parse(role_name(r)), r);
    assert_int_equal(lifecycle_status_parse("closed "), -1);
    assert_int_equal(lifecycle_action_parse("reject_answer"), -1);
    assert_int_equal(role_parse(NULL), -1);
    assert_string_equal(lifecycle_action_name(ACT_OUT_OF_SCOPE), "out-of-scope");
    assert_true(lifecycle_is_final(ST_CLOSED));
    assert_true(lifecycle_is_final(ST_DUPLICATE));
    assert_false(lifecycle_is_final(ST_RESOLVED));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed_transitions),
        cmocka_unit_test(test_everything_else_forbidden),
        cmocka_unit_test(test_forbidden_samples),
        cmocka_unit_test(test_allowed_list),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
