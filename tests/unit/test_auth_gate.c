/* The password gate (core/auth.h): at most `width` checks at once, `queue` callers waiting,
 * the rest turned away at once, so a burst of logins cannot take every HTTP worker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/auth.h"

static void test_width_and_refusal(void **state)
{
    (void)state;
    auth_gate_configure(2, 0); /* queue 0 → the default 4 × width; no waiting with wait 0 */
    assert_true(auth_gate_enter(0));
    assert_true(auth_gate_enter(0));
    assert_false(auth_gate_enter(0));  /* both turns taken: turned away at once */
    assert_false(auth_gate_enter(50)); /* and after a short wait nobody gave one back */
    auth_gate_leave();
    assert_true(auth_gate_enter(0)); /* a turn given back is a turn to take */
    auth_gate_leave();
    auth_gate_leave();
    assert_true(auth_gate_enter(0));
    assert_true(auth_gate_enter(0));
    auth_gate_leave();
    auth_gate_leave();
}

static void test_gated_check(void **state)
{
    (void)state;
    char hash[AUTH_HASH_LEN];
    auth_gate_configure(1, 1);
    assert_true(auth_hash_password("doğru-parola-1", hash));
    assert_int_equal(auth_verify_password_gated(hash, "doğru-parola-1", 0), AUTH_CHECK_OK);
    assert_int_equal(auth_verify_password_gated(hash, "yanlış-parola", 0), AUTH_CHECK_WRONG);
    assert_true(auth_gate_enter(0)); /* someone else is checking */
    assert_int_equal(auth_verify_password_gated(hash, "doğru-parola-1", 0), AUTH_CHECK_BUSY);
    auth_gate_leave();
    assert_int_equal(auth_verify_password_gated(hash, "doğru-parola-1", 0), AUTH_CHECK_OK);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width_and_refusal),
        cmocka_unit_test(test_gated_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
