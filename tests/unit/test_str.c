/* util/str: str_copy fits, cuts, and never splits a UTF-8 character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/str.h"
#include "util/strbuf.h"

static void test_fits(void **state)
{
    (void)state;
    char b[8];
    assert_true(str_copy(b, sizeof(b), "abc"));
    assert_string_equal(b, "abc");
    assert_true(str_copy(b, sizeof(b), "1234567")); /* exactly fills with the NUL */
    assert_string_equal(b, "1234567");
    assert_true(str_copy(b, sizeof(b), NULL));
    assert_string_equal(b, "");
}

/* The cap holds on the inline path too (room allocated past the cap), and an overflow is
 * sticky: nothing is appended after it, not even what would fit. */
static void test_strbuf_cap(void **state)
{
    (void)state;
    struct strbuf sb;
    strbuf_init(&sb, 10);
    strbuf_add(&sb, "abcdef", 6); /* allocates 64 bytes */
    assert_int_equal(sb.len, 6);
    assert_false(sb.toobig);
    strbuf_adds(&sb, "ghijk"); /* 11 > 10 */
    assert_true(sb.toobig);
    assert_string_equal(sb.buf, "abcdef");
    strbuf_addch(&sb, 'g');
    strbuf_add(&sb, "h", 1);
    assert_string_equal(sb.buf, "abcdef");
    strbuf_reset(&sb);
    strbuf_adds(&sb, "0123456789"); /* exactly the cap */
    assert_false(sb.toobig);
    assert_int_equal(sb.len, 10);
    strbuf_release(&sb);

    strbuf_init(&sb, 0); /* no cap: grows */
    for (int i = 0; i < 1000; i++)
        strbuf_addch(&sb, (char)('a' + i % 26));
    assert_int_equal(sb.len, 1000);
    assert_int_equal(sb.buf[999], 'a' + 999 % 26);
    assert_int_equal(sb.buf[1000], '\0');
    strbuf_release(&sb);
}

static void test_cut_ascii(void **state)
{
    (void)state;
    char b[8];
    assert_false(str_copy(b, sizeof(b), "12345678"));
    assert_string_equal(b, "1234567");
    assert_false(str_copy(b, 1, "x"));
    assert_string_equal(b, "");
}

static void test_cut_utf8(void **state)
{
    (void)state;
    char b[6];
    /* "çöğüş": 2 bytes each; 5 bytes of room hold "çö" and half of "ğ" → cut to "çö" */
    assert_false(str_copy(b, sizeof(b), "çöğüş"));
    assert_string_equal(b, "çö");
    char c[5];
    /* "aİb": İ is 2 bytes; 4 bytes of room hold "aİb" exactly */
    assert_true(str_copy(c, sizeof(c), "aİb"));
    assert_string_equal(c, "aİb");
    /* a 3-byte character (€) cut in its middle goes whole */
    char d[4];
    assert_false(str_copy(d, sizeof(d), "a€b"));
    assert_string_equal(d, "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fits),
        cmocka_unit_test(test_cut_ascii),
        cmocka_unit_test(test_cut_utf8),
        cmocka_unit_test(test_strbuf_cap),
    };
    return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
