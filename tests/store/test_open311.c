/* Conformance: Open311 GeoReport v2's keys, request records and category attributes (issue 16),
 * the same on every backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util/str.h"

static void test_keys(void **state)
{
    struct store *st = FX(state)->st;
    int64_t id = 0, id2 = 0, got = 0;
    char name[64];
    assert_int_equal(store_o311_key_add(st, "fixmystreet", "hash-a", 1000, &id), ERR_OK);
    assert_true(id > 0);
    assert_int_equal(store_o311_key_add(st, "fixmystreet", "hash-b", 1001, &id2), ERR_CONFLICT);
    assert_int_equal(store_o311_key_add(st, "other", "hash-a", 1001, &id2), ERR_CONFLICT);
    assert_int_equal(store_o311_key_add(st, "seeclickfix", "hash-b", 1002, &id2), ERR_OK);
    assert_true(id2 != id);
    assert_int_equal(store_o311_key_find(st, "hash-a", &got, name, sizeof(name)), ERR_OK);
    assert_int_equal(got, id);
    assert_string_equal(name, "fixmystreet");
    assert_int_equal(store_o311_key_find(st, "hash-c", &got, name, sizeof(name)), ERR_NOT_FOUND);
}

static void test_requests(void **state)
{
    struct store *st = FX(state)->st;
    int64_t key = 0;
    struct app a;
    struct o311_request r = { 0 }, got;
    int64_t inst = conf_institution(st, "METRO");
    int64_t dept = conf_department(st, "FEN", 0, inst);
    int64_t cat = conf_category(st, "FEN_YOL_CUKUR", dept, "Yolda çukur", "çukur");
    int64_t app = conf_app(st, cat, dept, "Derin bir çukur", 1767225600, &a);
    app_release(&a);
    assert_int_equal(store_o311_key_add(st, "app", "h", 1, &key), ERR_OK);
    r.app_id = app;
    r.key_id = key;
    str_copy(r.token, sizeof(r.token), "0123456789abcdef0123456789abcdef");
    str_copy(r.media_url, sizeof(r.media_url), "https://img.example.com/ç.jpg");
    str_copy(r.attributes, sizeof(r.attributes), "plate\t38 ABC 153\nissue\trude\n");
    str_copy(r.account_id, sizeof(r.account_id), "acc-1");
    assert_int_equal(store_o311_request_add(st, &r), ERR_OK);
    assert_int_equal(store_o311_request_add(st, &r), ERR_CONFLICT); /* one record per application */
    assert_int_equal(store_o311_request_get(st, app, NULL, &got), ERR_OK);
    assert_int_equal(got.key_id, key);
    assert_string_equal(got.token, r.token);
    assert_string_equal(got.media_url, r.media_url);
    assert_string_equal(got.attributes, r.attributes);
    assert_string_equal(got.account_id, "acc-1");
    assert_string_equal(got.device_id, "");
    memset(&got, 0, sizeof(got));
    assert_int_equal(store_o311_request_get(st, 0, r.token, &got), ERR_OK);
    assert_int_equal(got.app_id, app);
    assert_int_equal(store_o311_request_get(st, 0, "ffffffffffffffffffffffffffffffff", &got),
                     ERR_NOT_FOUND);
    assert_int_equal(store_o311_request_get(st, app + 1, NULL, &got), ERR_NOT_FOUND);
}

static void test_attributes(void **state)
{
    struct store *st = FX(state)->st;
    int64_t inst = conf_institution(st, "METRO");
    int64_t dept = conf_department(st, "ULASIM", 0, inst);
    int64_t cat = conf_category(st, "ULA_OTOBUS_SURUCU", dept, "Otobüs şoförü", "otobüs");
    struct o311_attr a[2], *got = NULL;
    size_t n = 9;
    memset(a, 0, sizeof(a));
    assert_int_equal(store_o311_attr_list(st, cat, &got, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(got);
    str_copy(a[0].code, sizeof(a[0].code), "plate");
    str_copy(a[0].datatype, sizeof(a[0].datatype), "string");
    str_copy(a[0].description_tr, sizeof(a[0].description_tr), "Otobüsün plakası");
    a[0].required = true;
    a[0].pos = 2;
    str_copy(a[1].code, sizeof(a[1].code), "issue");
    str_copy(a[1].datatype, sizeof(a[1].datatype), "singlevaluelist");
    str_copy(a[1].description_tr, sizeof(a[1].description_tr), "Ne oldu?");
    str_copy(a[1].description_en, sizeof(a[1].description_en), "What happened?");
    str_copy(a[1].choices, sizeof(a[1].choices), "rude\tKaba\nspeeding\tHızlı");
    a[1].pos = 1;
    assert_int_equal(store_o311_attr_replace(st, cat, a, 2), ERR_OK);
    assert_int_equal(store_o311_attr_list(st, cat, &got, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(got[0].code, "issue"); /* by pos */
    assert_string_equal(got[0].choices, "rude\tKaba\nspeeding\tHızlı");
    assert_string_equal(got[0].description_en, "What happened?");
    assert_false(got[0].required);
    assert_string_equal(got[1].code, "plate");
    assert_true(got[1].required);
    assert_int_equal(got[1].category_id, cat);
    free(got);
    /* a repeated code is refused whole: the old list stays */
    str_copy(a[1].code, sizeof(a[1].code), "plate");
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_not_equal(store_o311_attr_replace(st, cat, a, 2), ERR_OK);
    store_rollback(st);
    assert_int_equal(store_o311_attr_list(st, cat, &got, &n), ERR_OK);
    assert_int_equal(n, 2);
    free(got);
    /* a datatype the schema does not know is refused */
    str_copy(a[0].datatype, sizeof(a[0].datatype), "colour");
    assert_int_not_equal(store_o311_attr_replace(st, cat, a, 1), ERR_OK);
    assert_int_equal(store_o311_attr_replace(st, cat, NULL, 0), ERR_OK);
    assert_int_equal(store_o311_attr_list(st, cat, &got, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_keys),
        CONF_TEST(test_requests),
        CONF_TEST(test_attributes),
    };
    return cmocka_run_group_tests_name("store_open311", tests, NULL, NULL);
}
