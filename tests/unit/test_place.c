/* model/place.h: a neighbourhood's name in full ("… Mahallesi") and abbreviated ("… Mah."). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/place.h"
#include "util/banned.h"

static const char *full(const char *raw, char *out, size_t len)
{
    place_neighbourhood(raw, PLACE_FULL, out, len);
    return out;
}

static const char *abbr(const char *raw, char *out, size_t len)
{
    place_neighbourhood(raw, PLACE_SHORT, out, len);
    return out;
}

static void test_forms(void **state)
{
    (void)state;
    char b[64];
    /* as the geography data spells them */
    assert_string_equal(full("Akin Mah", b, sizeof(b)), "Akin Mahallesi");
    assert_string_equal(abbr("Akin Mah", b, sizeof(b)), "Akin Mah.");
    assert_string_equal(full("Gömürgen Yeni Mah", b, sizeof(b)), "Gömürgen Yeni Mahallesi");
    /* already full or abbreviated, with a trailing space */
    assert_string_equal(full("Akin Mah.", b, sizeof(b)), "Akin Mahallesi");
    assert_string_equal(abbr("Akin Mahallesi", b, sizeof(b)), "Akin Mah.");
    assert_string_equal(full("Akin Mahallesi ", b, sizeof(b)), "Akin Mahallesi");
    assert_string_equal(full("AKIN MAH", b, sizeof(b)), "AKIN Mahallesi");
    /* a name with no such ending (an admin's), or "Mah" inside a word, stays as it is */
    assert_string_equal(full("Yeni Yerleşim", b, sizeof(b)), "Yeni Yerleşim");
    assert_string_equal(full("Mahmutbey", b, sizeof(b)), "Mahmutbey");
    assert_string_equal(full("Sarımah", b, sizeof(b)), "Sarımah");
    assert_string_equal(full("Mah", b, sizeof(b)), "Mah");
    assert_string_equal(full("", b, sizeof(b)), "");
    assert_string_equal(full(NULL, b, sizeof(b)), "");
}

static void test_small_buffer(void **state)
{
    (void)state;
    char b[8];
    /* never past the buffer; the name itself before the ending */
    full("Akin Mah", b, sizeof(b));
    assert_true(strlen(b) < sizeof(b));
    assert_string_equal(b, "Akin");
    char one[1] = { 'x' };
    full("Akin Mah", one, sizeof(one));
    assert_int_equal(one[0], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_small_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
