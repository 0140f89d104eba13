/* Conformance: the citizen's phone — idempotency keys of public creates, citizens' consents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void test_public_keys(void **state)
{
    struct store *st = FX(state)->st;
    int64_t app = -1;
    /* a new key is claimed once; the second claim sees it in flight (0), then its app */
    assert_int_equal(store_public_key_claim(st, "k-0123456789abcdef", 1700000000, &app), ERR_OK);
    assert_int_equal(app, 0);
    assert_int_equal(store_public_key_claim(st, "k-0123456789abcdef", 1700000001, &app),
                     ERR_CONFLICT);
    assert_int_equal(app, 0);
    assert_int_equal(store_public_key_set(st, "k-0123456789abcdef", 42), ERR_OK);
    assert_int_equal(store_public_key_claim(st, "k-0123456789abcdef", 1700000002, &app),
                     ERR_CONFLICT);
    assert_int_equal(app, 42);
    /* keys are exact: another spelling is another key */
    assert_int_equal(store_public_key_claim(st, "K-0123456789ABCDEF", 1700000003, &app), ERR_OK);
    assert_int_equal(app, 0);
    /* set 0 frees a key (the create failed): it can be claimed again */
    assert_int_equal(store_public_key_set(st, "K-0123456789ABCDEF", 0), ERR_OK);
    assert_int_equal(store_public_key_claim(st, "K-0123456789ABCDEF", 1700000004, &app), ERR_OK);
    assert_int_equal(app, 0);
}

static void test_consents(void **state)
{
    struct store *st = FX(state)->st;
    struct citizen c = { .name = "Elif Kaya", .created_at = 1700000000 };
    snprintf(c.phone, sizeof(c.phone), "+905321112233");
    assert_int_equal(store_citizen_create(st, &c), ERR_OK);
    bool given = true;
    int64_t at = -1;
    assert_int_equal(store_consent_get(st, c.id, "marketing", &given, &at), ERR_NOT_FOUND);
    assert_false(given);
    assert_int_equal(store_consent_set(st, c.id, "marketing", true, 1700000100, "web"), ERR_OK);
    assert_int_equal(store_consent_get(st, c.id, "marketing", &given, &at), ERR_OK);
    assert_true(given);
    assert_int_equal(at, 1700000100);
    /* the last answer counts */
    assert_int_equal(store_consent_set(st, c.id, "marketing", false, 1700000200, "web"), ERR_OK);
    assert_int_equal(store_consent_get(st, c.id, "marketing", &given, &at), ERR_OK);
    assert_false(given);
    assert_int_equal(at, 1700000200);
    /* another kind is another answer */
    assert_int_equal(store_consent_get(st, c.id, "survey", &given, &at), ERR_NOT_FOUND);
    /* only for real citizens */
    assert_true(store_consent_set(st, 99999, "marketing", true, 1700000300, "web") < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_public_keys),
        CONF_TEST(test_consents),
    };
    return cmocka_run_group_tests_name("store_portal", tests, NULL, NULL);
}
