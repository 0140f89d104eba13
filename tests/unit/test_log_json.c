/* JSON log lines (cli/log_json.h): the k=v text of util/log.h becomes one JSON object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/log_json.h"

static void check(const char *kv, const char *want)
{
    char *got = log_json_line("2026-03-11T07:00:00Z", "info", kv);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_request_line(void **state)
{
    (void)state;
    check("method=GET path=/api/v1/me status=200 duration_ms=1.25 remote=127.0.0.1",
          "{\"ts\":\"2026-03-11T07:00:00Z\",\"level\":\"info\",\"method\":\"GET\","
          "\"path\":\"/api/v1/me\",\"status\":200,\"duration_ms\":1.25,\"remote\":\"127.0.0.1\"}");
}

static void test_quoted(void **state)
{
    (void)state;
    check("msg=\"cannot open \\\"x.db\\\": busy\" sqlstate=40P01",
          "{\"ts\":\"2026-03-11T07:00:00Z\",\"level\":\"info\",\"msg\":\"cannot open \\\"x.db\\\": "
          "busy\",\"sqlstate\":\"40P01\"}");
}

static void test_not_numbers(void **state)
{
    (void)state;
    /* a leading zero (a phone, a code), a trailing dot, two dots, a sign alone: strings */
    check("a=0532 b=1. c=1.2.3 d=- e=-7 f=0 g=0.5",
          "{\"ts\":\"2026-03-11T07:00:00Z\",\"level\":\"info\",\"a\":\"0532\",\"b\":\"1.\","
          "\"c\":\"1.2.3\",\"d\":\"-\",\"e\":-7,\"f\":0,\"g\":0.5}");
}

static void test_free_text(void **state)
{
    (void)state;
    check("serving on http://127.0.0.1:8153",
          "{\"ts\":\"2026-03-11T07:00:00Z\",\"level\":\"info\",\"msg\":\"serving on "
          "http://127.0.0.1:8153\"}");
    check("msg=\"unterminated",
          "{\"ts\":\"2026-03-11T07:00:00Z\",\"level\":\"info\",\"msg\":\"msg=\\\"unterminated\"}");
}

static void test_not_utf8(void **state)
{
    (void)state;
    check("path=/\xff\xfe status=404",
          "{\"ts\":\"2026-03-11T07:00:00Z\",\"level\":\"info\",\"path\":\"(not UTF-8)\","
          "\"status\":404}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_line), cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_not_numbers),  cmocka_unit_test(test_free_text),
        cmocka_unit_test(test_not_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
