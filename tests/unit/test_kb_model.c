/* The knowledge base's vocabulary (model/contact.c): an article's state at a moment (the
 * validity window is from <= now < until; archived wins), the state names, and the text forms
 * both backends store the districts and the other institutions' numbers in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/contact.h"

static void test_state(void **state)
{
    (void)state;
    struct kb_article a = { .active = true };
    assert_int_equal(kb_article_state(&a, 100), KB_CURRENT); /* open-ended both ways */
    a.valid_from = 100;
    a.valid_until = 200;
    assert_int_equal(kb_article_state(&a, 99), KB_UPCOMING);
    assert_int_equal(kb_article_state(&a, 100), KB_CURRENT); /* from its first second */
    assert_int_equal(kb_article_state(&a, 199), KB_CURRENT);
    assert_int_equal(kb_article_state(&a, 200), KB_EXPIRED); /* gone at valid_until */
    a.active = false;
    assert_int_equal(kb_article_state(&a, 150), KB_ARCHIVED);
    for (int s = 0; s < KB__COUNT; s++)
        assert_int_equal(kb_state_parse(kb_state_name((enum kb_state)s)), s);
    assert_int_equal(kb_state_parse("gecerli"), -1);
    assert_int_equal(kb_state_parse(NULL), -1);
}

static void test_districts_text(void **state)
{
    (void)state;
    int64_t ids[3] = { 3, 17, 240 };
    struct kb_article a = { .districts = ids, .ndistricts = 3 };
    char *s = kb_districts_encode(&a);
    assert_string_equal(s, ",3,17,240,");
    struct kb_article b = { 0 };
    kb_districts_decode(&b, s);
    free(s);
    assert_int_equal(b.ndistricts, 3);
    assert_int_equal(b.districts[2], 240);
    /* province-wide, and junk skipped */
    a.ndistricts = 0;
    s = kb_districts_encode(&a);
    assert_string_equal(s, "");
    free(s);
    kb_districts_decode(&b, ",x,-4,0,9,");
    assert_int_equal(b.ndistricts, 1);
    assert_int_equal(b.districts[0], 9);
    kb_districts_decode(&b, NULL);
    assert_int_equal(b.ndistricts, 0);
    kb_article_release(&b);
}

static void test_phones_text(void **state)
{
    (void)state;
    struct kb_phone ph[2] = { { "Elektrik arıza (AYEDAŞ)", "186" }, { "Doğalgaz acil", "187" } };
    struct kb_article a = { .phones = ph, .nphones = 2 };
    char *s = kb_phones_encode(&a);
    assert_string_equal(s, "Elektrik arıza (AYEDAŞ)\t186\nDoğalgaz acil\t187\n");
    struct kb_article b = { 0 };
    kb_phones_decode(&b, s);
    free(s);
    assert_int_equal(b.nphones, 2);
    assert_string_equal(b.phones[0].name, "Elektrik arıza (AYEDAŞ)");
    assert_string_equal(b.phones[1].number, "187");
    /* a line without a TAB or with a number too long to hold is left out; no final newline */
    kb_phones_decode(&b,
                     "bozuk satır\nPolis\t155\nUzun\t1234567890123456789012345678\nJandarma\t156");
    assert_int_equal(b.nphones, 2);
    assert_string_equal(b.phones[0].name, "Polis");
    assert_string_equal(b.phones[1].number, "156");
    kb_article_release(&b);
    assert_null(b.phones);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state),
        cmocka_unit_test(test_districts_text),
        cmocka_unit_test(test_phones_text),
    };
    return cmocka_run_group_tests_name("kb_model", tests, NULL, NULL);
}
