#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/tracking.h"
#include "model/tracking.h"
#include "util/banned.h"

#define ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

static void test_format(void **state)
{
    (void)state;
    char out[TRACKING_LEN];
    assert_true(tracking_format(2026, 123, out));
    assert_string_equal(out, "2026-000123");
    assert_true(tracking_format(2026, 1, out));
    assert_string_equal(out, "2026-000001");
    assert_true(tracking_format(2024, 999999, out));
    assert_string_equal(out, "2024-999999");
    assert_true(tracking_format(2000, 42, out));
    assert_string_equal(out, "2000-000042");
    /* İstanbul registers about 11 million a year: the number grows past six digits */
    assert_true(tracking_format(2026, 1000000, out));
    assert_string_equal(out, "2026-1000000");
    assert_true(tracking_format(2026, 11000000, out));
    assert_string_equal(out, "2026-11000000");
    assert_true(tracking_format(2026, TRACKING_SEQ_MAX, out));
    assert_string_equal(out, "2026-99999999");

    memcpy(out, "untouched", 10);
    assert_false(tracking_format(2026, 0, out));
    assert_false(tracking_format(2026, -1, out));
    assert_false(tracking_format(2026, TRACKING_SEQ_MAX + 1, out));
    assert_false(tracking_format(2026, INT64_MAX, out));
    assert_false(tracking_format(1999, 1, out));
    assert_false(tracking_format(3000, 1, out));
    assert_string_equal(out, "untouched");
}

static void test_round_trip(void **state)
{
    (void)state;
    static const int64_t seqs[] = { 1,       2,       9,        10,       99,      100,
                                    12345,   100000,  654321,   999998,   999999,  1000000,
                                    1000001, 9999999, 10000000, 12345678, 99999999 };
    static const int years[] = { 2000, 2024, 2026, 2027, 2999 };
    for (size_t y = 0; y < sizeof(years) / sizeof(years[0]); y++) {
        for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
            char out[TRACKING_LEN];
            int year = 0;
            int64_t seq = 0;
            assert_true(tracking_format(years[y], seqs[i], out));
            assert_int_equal(strlen(out), seqs[i] > 9999999 ? 13 : seqs[i] > 999999 ? 12 : 11);
            if (!tracking_parse(out, &year, &seq))
                fail_msg("tracking_parse(\"%s\") failed", out);
            assert_int_equal(year, years[y]);
            assert_int_equal(seq, seqs[i]);
        }
    }
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "2026-12345",     /* 5 digits */
        "2026-0000000",   /* 7 digits, zero */
        "2026-0123456",   /* 7 digits with a leading zero: not the canonical spelling */
        "2026-00123456",  /* 8 likewise */
        "2026-123456789", /* 9 digits */
        "26-000001",      /* 2-digit year */
        "2026-00000a",    /* letter */
        "2026-000000",    /* sequence 0 */
        "",
        "2026",
        "2026-",
        "2026_000001",
        "2026 000001",
        "2026/000001",
        "1999-000001", /* year out of range */
        "3000-000001",
        "-026-000001",
        "2026--00001",
        "2026-+00001",
        "2026-00001 ",
        " 2026-000001",
        "2026-000001 ",
        "2026-000001\n",
        "2O26-000001", /* letter O */
        "abcd-efghij",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int year = -7;
        int64_t seq = -7;
        if (tracking_parse(cases[i], &year, &seq))
            fail_msg("tracking_parse(\"%s\") accepted", cases[i]);
        assert_int_equal(year, -7); /* outputs untouched on failure */
        assert_int_equal(seq, -7);
    }
    int year;
    int64_t seq;
    assert_false(tracking_parse(NULL, &year, &seq));
}

static void test_normalise(void **state)
{
    (void)state;
    static const char *const ok[][2] = {
        { "2026-003001", "2026-003001" },   { "2026003001", "2026-003001" },
        { "2026 003 001", "2026-003001" },  { " 2026-003001 ", "2026-003001" },
        { "2026 - 003001", "2026-003001" }, { "20261234567", "2026-1234567" },
        { "2026-1234567", "2026-1234567" }, { "2026-0001234567", "2026-1234567" },
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char out[TRACKING_LEN] = "";
        if (!tracking_normalise(ok[i][0], out))
            fail_msg("tracking_normalise(\"%s\") refused", ok[i][0]);
        assert_string_equal(out, ok[i][1]);
    }
    static const char *const bad[] = { "",
                                       "2026",
                                       "202600300",
                                       "2026-00300",
                                       "2026-000000",
                                       "2026--003001",
                                       "2026-003-001",
                                       "20260030O1",
                                       "1999003001",
                                       "2026-123456789" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char out[TRACKING_LEN];
        if (tracking_normalise(bad[i], out))
            fail_msg("tracking_normalise(\"%s\") accepted", bad[i]);
    }
    char out[TRACKING_LEN];
    assert_false(tracking_normalise(NULL, out));
}

static void test_access_code_shape(void **state)
{
    (void)state;
    for (int i = 0; i < 1000; i++) {
        char code[ACCESS_CODE_LEN];
        memset(code, 'x', sizeof(code));
        tracking_new_access_code(code);
        assert_int_equal(strlen(code), ACCESS_CODE_LEN - 1);
        for (int j = 0; j < ACCESS_CODE_LEN - 1; j++) {
            if (!strchr(ALPHABET, code[j]))
                fail_msg("code %s has '%c' outside the alphabet", code, code[j]);
        }
        /* No look-alikes. */
        assert_null(strpbrk(code, "01OIL"));
    }
}

static void test_access_code_random(void **state)
{
    (void)state;
    enum { N = 200 };
    static char codes[N][ACCESS_CODE_LEN];
    int seen[256] = { 0 };
    for (int i = 0; i < N; i++) {
        tracking_new_access_code(codes[i]);
        for (int j = 0; j < ACCESS_CODE_LEN - 1; j++)
            seen[(unsigned char)codes[i][j]]++;
    }
    /* 31^8 ≈ 8.5·10^11 codes: 200 draws never collide in practice. */
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (strcmp(codes[i], codes[j]) == 0)
                fail_msg("codes %d and %d are both %s", i, j, codes[i]);
    /* 1600 symbols over 31 letters: each appears (expected ≈ 52 times each). */
    for (const char *a = ALPHABET; *a; a++)
        if (seen[(unsigned char)*a] == 0)
            fail_msg("symbol %c never drawn", *a);
}

static void test_code_matches(void **state)
{
    (void)state;
    char code[ACCESS_CODE_LEN];
    tracking_new_access_code(code);
    assert_true(tracking_code_matches(code, code));

    assert_true(tracking_code_matches("K7M2PQ9X", "K7M2PQ9X"));
    assert_true(tracking_code_matches("K7M2PQ9X", "k7m2pq9x"));
    assert_true(tracking_code_matches("K7M2PQ9X", "K7m2Pq9x"));
    assert_true(tracking_code_matches("K7M2PQ9X", "  k7m2pq9x  "));
    assert_true(tracking_code_matches("K7M2PQ9X", "\tK7M2PQ9X\r\n"));
    assert_true(tracking_code_matches("ABCDEFGH", "abcdefgh"));
    /* Turkish dotless/dotted i are not ASCII letters: no accidental match. */
    assert_false(tracking_code_matches("ABCDEFGH", "abcdefgı"));

    assert_false(tracking_code_matches("K7M2PQ9X", "K7M2PQ9Y"));
    assert_false(tracking_code_matches("K7M2PQ9X", "Y7M2PQ9X"));
    assert_false(tracking_code_matches("K7M2PQ9X", "K7M2PQ9"));   /* shorter */
    assert_false(tracking_code_matches("K7M2PQ9X", "K7M2PQ9XX")); /* longer */
    assert_false(tracking_code_matches("K7M2PQ9X", "K7M2 PQ9X")); /* inner space */
    assert_false(tracking_code_matches("K7M2PQ9X", ""));
    assert_false(tracking_code_matches("K7M2PQ9X", "        "));
    assert_false(tracking_code_matches("", ""));
    assert_false(tracking_code_matches("K7M2PQ9X", NULL));
    assert_false(tracking_code_matches(NULL, "K7M2PQ9X"));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_access_code_shape),
        cmocka_unit_test(test_access_code_random),
        cmocka_unit_test(test_code_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
