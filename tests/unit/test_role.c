/* The role table of src/model/role.c against an independent expectation, written out from
 * DESIGN.md, docs/ARCHITECTURE.md ("Who sees what", "Personal data") and the README, cell by
 * cell: which roles see every department, see personal data, register (front office), oversee,
 * administer, and belong to a department. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/role.h"

struct expect {
    const char *name;
    bool all_departments, personal_data, front_office, oversight, administers, in_department;
    bool editor, telephony, privacy;
};

static const struct expect expect[] = {
    /* name          all    personal front  oversee admin  in_dept */
    { "agent", true, true, true, false, false, false, false, false, false },
    { "desk", true, true, true, false, false, false, false, false, false },
    { "staff", false, false, false, false, false, true, false, false, false },
    { "manager", false, false, false, false, false, true, false, false, false },
    { "supervisor", true, true, true, true, false, false, true, false, false },
    { "admin", true, true, true, true, true, false, true, false, true },
    /* the exchange's token: call and agent events and nothing else (issue 10) */
    { "telephony", false, false, false, false, false, false, false, true, false },
    /* the data-protection officer: KVKK exports, anonymisation and the view log only */
    { "dpo", false, false, false, false, false, false, false, false, true },
};
_Static_assert(sizeof(expect) / sizeof(expect[0]) == ROLE__COUNT,
               "a role was added: extend the expectation table");

#define CELL(field)                                                                                \
    do {                                                                                           \
        if (p->field != e->field)                                                                  \
            fail_msg("%s: " #field " is %d, expected %d", e->name, p->field, e->field);            \
    } while (0)

static void test_whole_policy_table(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE__COUNT; r++) {
        const struct role_policy *p = role_policy((enum role)r);
        const struct expect *e = &expect[r];
        assert_string_equal(p->name, e->name);
        assert_string_equal(role_name((enum role)r), e->name);
        assert_int_equal(role_parse(e->name), r);
        CELL(all_departments);
        CELL(personal_data);
        CELL(front_office);
        CELL(oversight);
        CELL(administers);
        CELL(in_department);
        CELL(editor);
        CELL(telephony);
        CELL(privacy);
        assert_int_equal(role_sees_all_departments((enum role)r), e->all_departments);
    }
}

static void test_out_of_range(void **state)
{
    (void)state;
    const enum role bad[] = { ROLE__COUNT, (enum role) - 1, (enum role)99 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct role_policy *p = role_policy(bad[i]);
        assert_non_null(p);
        assert_string_equal(p->name, "?");
        assert_string_equal(role_name(bad[i]), "?");
        assert_false(p->all_departments || p->personal_data || p->front_office || p->oversight ||
                     p->administers || p->in_department);
        assert_false(role_sees_all_departments(bad[i]));
    }
    assert_int_equal(role_parse("king"), -1);
    assert_int_equal(role_parse("Admin"), -1);
    assert_int_equal(role_parse("admin "), -1);
    assert_int_equal(role_parse(""), -1);
    assert_int_equal(role_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_policy_table),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
