/* application/x-www-form-urlencoded parsing (src/http/form.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/form.h"
#include "util/banned.h"

/* Parse s (strlen bytes); assert success and n pairs. */
static void parse_ok(const char *s, struct form *f, size_t n)
{
    struct err_detail ed = { 0 };
    int rc = form_parse(s, strlen(s), f, &ed);
    if (rc != ERR_OK)
        print_error("form_parse(\"%s\") failed: %s\n", s, ed.message);
    assert_int_equal(rc, ERR_OK);
    if (f->n != n)
        print_error("form_parse(\"%s\"): %zu pairs, want %zu\n", s, f->n, n);
    assert_int_equal(f->n, n);
}

static void pair_is(const struct form *f, size_t i, const char *name, const char *value)
{
    assert_string_equal(f->fields[i].name, name);
    assert_string_equal(f->fields[i].value, value);
}

/* Parse len bytes of s; assert ERR_INVALID, an empty form and a message mentioning `about`. */
static void parse_bad(const char *s, size_t len, const char *about, const char *field)
{
    struct form f = FORM_INIT;
    struct err_detail ed = { 0 };
    int rc = form_parse(s, len, &f, &ed);
    if (rc != ERR_INVALID)
        print_error("form_parse(\"%.*s\") = %d, want ERR_INVALID\n", (int)len, s, rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_int_equal(ed.code, ERR_INVALID);
    assert_int_equal(f.n, 0);
    assert_null(f.fields);
    if (!strstr(ed.message, about))
        print_error("message \"%s\" does not mention \"%s\"\n", ed.message, about);
    assert_non_null(strstr(ed.message, about));
    assert_string_equal(ed.field, field);
}

static void test_plain_pairs(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    parse_ok("service_code=001&lat=37.76&long=-122.41", &f, 3);
    pair_is(&f, 0, "service_code", "001");
    pair_is(&f, 1, "lat", "37.76");
    pair_is(&f, 2, "long", "-122.41");
    assert_string_equal(form_get(&f, "lat"), "37.76");
    assert_null(form_get(&f, "address_string"));
    form_release(&f);
    assert_int_equal(f.n, 0);
    parse_ok("", &f, 0);
    form_release(&f);
}

static void test_escapes_and_plus(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    /* "Çukur var, acil!" and a '+' that is really a plus (%2B); names are decoded too */
    parse_ok("description=%C3%87ukur+var%2C+acil%21&a%2Bb=1%2B1%3D2&x%3Dy=%26", &f, 3);
    pair_is(&f, 0, "description", "Çukur var, acil!");
    pair_is(&f, 1, "a+b", "1+1=2");
    pair_is(&f, 2, "x=y", "&");
    form_release(&f);
    /* lower-case hex, and raw (unescaped) UTF-8 as browsers may send it */
    parse_ok("t=%c4%b1%C4%B0&u=ığüşöç", &f, 2);
    pair_is(&f, 0, "t", "ıİ");
    pair_is(&f, 1, "u", "ığüşöç");
    form_release(&f);
}

static void test_repeated_and_empty(void **state)
{
    (void)state;
    struct form f = FORM_INIT;
    parse_ok("media=a&media=b&&flag&empty=&media=c&", &f, 5);
    assert_int_equal(form_count(&f, "media"), 3);
    assert_string_equal(form_get(&f, "media"), "a"); /* the first one */
    pair_is(&f, 1, "media", "b");
    pair_is(&f, 2, "flag", "");
    pair_is(&f, 3, "empty", "");
    pair_is(&f, 4, "media", "c");
    form_release(&f);
    parse_ok("&&&", &f, 0);
    form_release(&f);
    parse_ok("=v", &f, 1); /* an empty name is a name all the same */
    pair_is(&f, 0, "", "v");
    form_release(&f);
    /* only len bytes count: what follows is not part of the body */
    struct err_detail ed = { 0 };
    assert_int_equal(form_parse("a=1&b=2", 3, &f, &ed), ERR_OK);
    assert_int_equal(f.n, 1);
    pair_is(&f, 0, "a", "1");
    form_release(&f);
}

static void test_invalid_escapes(void **state)
{
    (void)state;
    static const char *bad[] = { "a=%", "a=%4", "a=%G1", "a=%1G", "a=100%", "a=%%41", "a=% 1" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        parse_bad(bad[i], strlen(bad[i]), "%-escape", "a");
    parse_bad("b%zz=1", 6, "%-escape", ""); /* in a name: no field to name */
    parse_bad("a=1&b=%00", 9, "NUL", "b");  /* would cut the C string short */
    parse_bad("a=x\0y", 5, "NUL", "a");     /* a raw NUL byte is invalid too */
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *bad[] = {
        "a=%FF",          "a=%C3",       /* not a lead byte; truncated sequence */
        "a=%C3%28",                      /* bad continuation */
        "a=%C0%AF",       "a=%E0%80%AF", /* overlong '/' */
        "a=%ED%A0%80",                   /* a UTF-16 surrogate */
        "a=%F4%90%80%80",                /* above U+10FFFF */
        "a=\xc3",                        /* raw, not escaped */
        "a=%E2%82",                      /* truncated three-byte sequence */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        parse_bad(bad[i], strlen(bad[i]), "not UTF-8", "a");
    parse_bad("%FF=1", 5, "not UTF-8", "");
    /* the edges that are valid */
    struct form f = FORM_INIT;
    parse_ok("a=%F4%8F%BF%BF&b=%EF%BF%BD&c=%C2%80&d=%7F", &f, 4);
    form_release(&f);
}

static void test_too_many_fields(void **state)
{
    (void)state;
    char body[FORM_MAX_FIELDS * 4 + 8];
    size_t n = 0;
    for (int i = 0; i < FORM_MAX_FIELDS; i++) {
        memcpy(body + n, "a=1&", 4);
        n += 4;
    }
    struct form f = FORM_INIT;
    struct err_detail ed = { 0 };
    assert_int_equal(form_parse(body, n, &f, &ed), ERR_OK);
    assert_int_equal(f.n, FORM_MAX_FIELDS);
    form_release(&f);
    memcpy(body + n, "b=2", 3);
    parse_bad(body, n + 3, "at most", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_pairs),        cmocka_unit_test(test_escapes_and_plus),
        cmocka_unit_test(test_repeated_and_empty), cmocka_unit_test(test_invalid_escapes),
        cmocka_unit_test(test_invalid_utf8),       cmocka_unit_test(test_too_many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
