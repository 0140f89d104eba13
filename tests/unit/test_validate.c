#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/validate.h"
#include "util/banned.h"

/* ---- phone ---------------------------------------------------------------------------- */

static void check_phone(const char *in, const char *want)
{
    char out[VALIDATE_PHONE_LEN] = "untouched";
    bool ok = validate_phone(in, out);
    if (!ok)
        print_error("validate_phone(\"%s\") rejected, want \"%s\"\n", in, want);
    assert_true(ok);
    assert_string_equal(out, want);
}

static void check_phone_rejected(const char *in)
{
    char out[VALIDATE_PHONE_LEN] = "untouched";
    bool ok = validate_phone(in, out);
    if (ok)
        print_error("validate_phone(\"%s\") accepted as \"%s\"\n", in, out);
    assert_false(ok);
    assert_string_equal(out, "untouched");
}

static void test_phone_accepted(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "0532 123 45 67", "+905321234567" },       { "05321234567", "+905321234567" },
        { "5321234567", "+905321234567" },           { "532 123 4567", "+905321234567" },
        { "+90 532 1234567", "+905321234567" },      { "+905321234567", "+905321234567" },
        { "90 532 123 45 67", "+905321234567" },     { "905321234567", "+905321234567" },
        { "0090 532 123 45 67", "+905321234567" },   { "00905321234567", "+905321234567" },
        { "(0352) 222-33-44", "+903522223344" },     { "(352) 222 33 44", "+903522223344" },
        { "0352.222.33.44", "+903522223344" },       { "0-352-222-33-44", "+903522223344" },
        { "  0212 444 01 53  ", "+902124440153" },   { "+90 (212) 455 30 00", "+902124553000" },
        { "+90 (0532) 123 45 67", "+905321234567" }, { "0 (532) 123 45 67", "+905321234567" },
        { "0850 222 01 53", "+908502220153" },       { "0312 555 66 77", "+903125556677" },
        { "0462 123 45 67", "+904621234567" },       { "\t0532\t1234567", "+905321234567" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_phone(cases[i].in, cases[i].want);
}

static void test_phone_rejected(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "",
        "   ",
        "+",
        "153",
        "444 0 153",
        "0532 123 45 6",       /* 9 national digits */
        "0532 123 45 678",     /* 11 national digits */
        "53212345678",         /* 11 national digits, no trunk 0 */
        "+90 532 123 45 678",  /* 11 national digits after +90 */
        "0090 532 123 45 678", /* … after 0090 */
        "90 532 123 45 6789",  /* 12 after 90 */
        "532123456",           /* 9 digits */
        "053212345678",        /* 12 digits, not starting with 90 */
        "0532 ABC 45 67",      /* letters */
        "0532l234567",         /* lower-case L for 1 */
        "0532 123 45 67 dahili 12",
        "0612 345 67 89", /* national number starting with 6 */
        "0712 345 67 89", /* … 7 */
        "0912 345 67 89", /* … 9 */
        "0112 345 67 89", /* … 1 */
        "0012 345 67 89",
        "+44 20 7946 0958", /* not Turkey */
        "+1 532 123 4567",
        "532+1234567", /* plus in the middle */
        "++905321234567",
        "+0090 532 123 45 67",
        "0532_123_45_67",
        "0532,1234567",
        "05321234567#",
        "+90 532 123 45 67 89 01 23",
        "１２３", /* full-width digits are not ASCII digits */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_phone_rejected(cases[i]);
}

static void test_phone_long_input(void **state)
{
    (void)state;
    char in[200];
    memset(in, ' ', sizeof(in) - 1);
    in[sizeof(in) - 1] = '\0';
    memcpy(in + 150, "05321234567", 11);
    check_phone_rejected(in);
}

static void test_phone_mask(void **state)
{
    (void)state;
    char out[VALIDATE_PHONE_LEN];
    validate_phone_mask("+905321234567", out);
    assert_string_equal(out, "+90532*****67");
    validate_phone_mask("+903522223344", out);
    assert_string_equal(out, "+90352*****44");
    /* Not normalised: nothing leaks. */
    validate_phone_mask("05321234567", out);
    assert_string_equal(out, "*************");
    validate_phone_mask("", out);
    assert_string_equal(out, "*************");
    validate_phone_mask("+9053212345678", out);
    assert_string_equal(out, "*************");
}

/* ---- TC kimlik ------------------------------------------------------------------------ */

/* Build a valid TC number from its first nine digits with the official checksum. */
static void make_tc(const char *first9, char out[12])
{
    int d[11];
    for (int i = 0; i < 9; i++)
        d[i] = first9[i] - '0';
    int odd = d[0] + d[2] + d[4] + d[6] + d[8];
    int even = d[1] + d[3] + d[5] + d[7];
    d[9] = ((odd * 7 - even) % 10 + 10) % 10;
    int sum = 0;
    for (int i = 0; i < 10; i++)
        sum += d[i];
    d[10] = sum % 10;
    for (int i = 0; i < 11; i++)
        out[i] = (char)('0' + d[i]);
    out[11] = '\0';
}

static void test_tc_valid(void **state)
{
    (void)state;
    assert_true(validate_tc("10000000146")); /* the widely published test number */

    static const char *const prefixes[] = {
        "123456789", "987654321", "384756102", "555555555", "100000001",
        "900000009", "246813579", "111111111", "199999999", "808080808",
    };
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        char tc[12];
        make_tc(prefixes[i], tc);
        if (!validate_tc(tc))
            print_error("validate_tc(\"%s\") rejected\n", tc);
        assert_true(validate_tc(tc));
    }
    /* The classic example: 7·25 − 20 = 155 → 5; 45 + 5 = 50 → 0. */
    assert_true(validate_tc("12345678950"));
    /* 7·odd − even negative: odd = 1, even = 36 → −29, which must give 1, not −9. */
    char tc[12];
    make_tc("190909090", tc);
    assert_string_equal(tc, "19090909018");
    assert_true(validate_tc("19090909018"));
    assert_false(validate_tc("19090909098"));
}

static void test_tc_invalid(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "10000000147",                                 /* wrong 11th digit */
        "10000000156",                                 /* wrong 10th digit */
        "12345678951",  "12345678960",  "02345678950", /* leading 0 */
        "00000000000",  "1000000014",                  /* 10 digits */
        "100000001460",                                /* 12 digits */
        "1000000014a",                                 /* letter */
        "A0000000146",  "1000000 0146", " 10000000146", "10000000146 ", "", "-1000000014",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (validate_tc(cases[i]))
            print_error("validate_tc(\"%s\") accepted\n", cases[i]);
        assert_false(validate_tc(cases[i]));
    }
    assert_false(validate_tc(NULL));

    /* Every single-digit change to a valid number breaks a checksum. */
    char tc[12];
    make_tc("384756102", tc);
    for (int pos = 1; pos < 11; pos++) {
        char bad[12];
        memcpy(bad, tc, sizeof(bad));
        bad[pos] = (char)('0' + (bad[pos] - '0' + 1) % 10);
        assert_false(validate_tc(bad));
    }
}

static void test_tc_mask(void **state)
{
    (void)state;
    char out[12];
    validate_tc_mask("12345678950", out);
    assert_string_equal(out, "123********");
    validate_tc_mask("10000000146", out);
    assert_string_equal(out, "100********");
    validate_tc_mask("123", out);
    assert_string_equal(out, "***********");
    validate_tc_mask("123456789012", out);
    assert_string_equal(out, "***********");
}

/* ---- e-mail --------------------------------------------------------------------------- */

static void test_email_valid(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "ali@example.com",
        "ayse.yilmaz@belediye.bel.tr",
        "beyazmasa@kayseri.bel.tr",
        "first.last+tag@sub.example.org",
        "a@b.co",
        "user_name-1@mail-server.example.com",
        "x!#$%&'*+/=?^`{|}~-@example.com",
        "123@456.com.tr",
        "a@xn--belediye-9ob.tr",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (!validate_email(cases[i]))
            print_error("validate_email(\"%s\") rejected\n", cases[i]);
        assert_true(validate_email(cases[i]));
    }
}

static void test_email_invalid(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "",
        "ali.example.com",  /* no @ */
        "ali@@example.com", /* two @ */
        "ali@x@example.com",
        "@example.com",     /* empty local */
        "ali@",             /* empty domain */
        "ali@localhost",    /* no dot in domain */
        "ali@-example.com", /* leading hyphen label */
        "ali@example-.com", /* trailing hyphen label */
        "ali@sub.-example.com",
        "ali@example..com", /* empty label */
        "ali@.example.com",
        "ali@example.com.",
        "ali veli@example.com", /* space */
        " ali@example.com",
        "ali@example.com ",
        "ali@exa mple.com",
        ".ali@example.com", /* dots in local */
        "ali.@example.com",
        "ali..veli@example.com",
        "ali@exam_ple.com", /* underscore in domain */
        "ayşe@example.com", /* non-ASCII */
        "ali@örnek.com",
        "ali@1.2.3.4",         /* numeric TLD */
        "\"ali\"@example.com", /* quoted local parts are not accepted */
        "ali(comment)@example.com",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (validate_email(cases[i]))
            print_error("validate_email(\"%s\") accepted\n", cases[i]);
        assert_false(validate_email(cases[i]));
    }
    assert_false(validate_email(NULL));
}

/* Build local@label.label…com of exactly total characters (labels ≤ 63). */
static void make_long_email(char *out, size_t total, size_t local_len)
{
    size_t n = 0;
    memset(out, 'a', local_len);
    n = local_len;
    out[n++] = '@';
    while (total - n - 4 > 63) { /* room before ".com" needs another label */
        size_t room = total - n - 4;
        size_t l = room - 2 < 63 ? room - 2 : 63; /* leave at least "b." after this one */
        memset(out + n, 'b', l);
        n += l;
        out[n++] = '.';
    }
    size_t last = total - n - 4;
    memset(out + n, 'c', last);
    n += last;
    memcpy(out + n, ".com", 4);
    n += 4;
    out[n] = '\0';
}

static void test_email_lengths(void **state)
{
    (void)state;
    char buf[400];

    make_long_email(buf, 254, 10);
    assert_int_equal(strlen(buf), 254);
    assert_true(validate_email(buf));

    make_long_email(buf, 255, 10);
    assert_int_equal(strlen(buf), 255);
    assert_false(validate_email(buf));

    make_long_email(buf, 300, 10);
    assert_false(validate_email(buf));

    make_long_email(buf, 100, 64); /* local part at its limit */
    assert_true(validate_email(buf));
    make_long_email(buf, 100, 65);
    assert_false(validate_email(buf));

    /* A 64-character domain label is too long; 63 is fine. */
    memcpy(buf, "a@", 2);
    memset(buf + 2, 'd', 64);
    memcpy(buf + 66, ".com", 5);
    assert_false(validate_email(buf));
    memcpy(buf + 65, ".com", 5);
    assert_true(validate_email(buf));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_accepted),   cmocka_unit_test(test_phone_rejected),
        cmocka_unit_test(test_phone_long_input), cmocka_unit_test(test_phone_mask),
        cmocka_unit_test(test_tc_valid),         cmocka_unit_test(test_tc_invalid),
        cmocka_unit_test(test_tc_mask),          cmocka_unit_test(test_email_valid),
        cmocka_unit_test(test_email_invalid),    cmocka_unit_test(test_email_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
