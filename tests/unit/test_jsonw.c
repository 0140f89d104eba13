/* api/jsonw.h and api_app_write: a list row written straight as text is byte for byte what
 * api_reply's json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(10)) makes of api_app_json's tree
 * (the list and search pages use the first; every other handler the second). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_int.h"
#include "api/jsonw.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

/* Both renderings of a, compared as strings. */
static void same(const struct app *a)
{
    struct api_req r;
    struct strbuf sb;
    memset(&r, 0, sizeof(r));
    strbuf_init(&sb, 0);
    int64_t now = time_now();
    json_t *o = api_app_json(&r, a, false);
    char *want = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    api_app_write(&sb, a, now);
    strbuf_addch(&sb, '}');
    assert_non_null(want);
    assert_string_equal(sb.buf, want);
    free(want);
    strbuf_release(&sb);
}

static void base(struct app *a)
{
    memset(a, 0, sizeof(*a));
    a->id = 42;
    str_copy(a->tracking, sizeof(a->tracking), "2026-000042");
    str_copy(a->kind, sizeof(a->kind), "complaint");
    str_copy(a->channel, sizeof(a->channel), "phone_153");
    str_copy(a->priority, sizeof(a->priority), "normal");
    a->status = ST_FORWARDED;
}

static void test_app_rows(void **state)
{
    (void)state;
    struct app a;
    base(&a); /* every optional member empty: nulls */
    same(&a);
    base(&a); /* every member set; strings with what must be escaped, and Turkish */
    str_copy(a.category_code, sizeof(a.category_code), "FEN_YOL_CUKUR");
    str_copy(a.department_code, sizeof(a.department_code), "FEN");
    a.text = "Sokakta \"büyük\" çukur var\\ \n\r\t\b\f\x01\x1f\x7f / İĞÜŞÖÇığüşöç €😀";
    a.address = "Cumhuriyet Mah. 5/3 \"A\" blok";
    a.public_response = "Ekip yönlendirildi.\nTeşekkürler";
    a.redirect = "Karayolları 6. Bölge";
    a.district_id = 7;
    str_copy(a.district_name, sizeof(a.district_name), "Melikgazi");
    a.neighbourhood_id = 99;
    str_copy(a.neighbourhood_name, sizeof(a.neighbourhood_name), "Anbar Mah");
    a.has_geo = true;
    a.lat = 38.7225;
    a.lon = 35.4875;
    a.citizen_id = 5;
    a.created_by = 3;
    a.created_at = 1767225600;
    a.updated_at = 1767225601;
    a.forwarded_at = 1767225602;
    a.first_response_due = 1767225603;
    a.resolution_due = 1767225604; /* long past: overdue */
    a.first_response_at = 1767225605;
    a.responded_at = 1767225606;
    a.closed_at = 1767225607;
    a.hold_since = 1767225608;
    a.duplicate_of = 41;
    same(&a);
    a.hold_since = 0; /* overdue true */
    same(&a);
    /* reals jansson writes specially: whole numbers get ".0", exponents lose '+' and zeros */
    const double reals[][2] = { { 38, -35 },
                                { 0, 0 },
                                { 1e-5, -1e-7 },
                                { 1e20, 123456789.123 },
                                { 41.0082376, 28.9783589 },
                                { -0.5, 1.0 / 3 } };
    for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
        a.lat = reals[i][0];
        a.lon = reals[i][1];
        same(&a);
    }
    /* times written by hand: the epoch's edges, a leap day, the last four-digit year */
    const int64_t times[] = { 1, -1, 59, 951782400, 1709164799, 253402300799, 253402300800 };
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        a.created_at = times[i];
        a.closed_at = times[i] + 3661;
        same(&a);
    }
    /* a text that is not UTF-8: jansson refuses the string and the member is left out */
    a.text = "bozuk \xC3\x28 metin";
    a.address = "\xFF";
    same(&a);
    /* empty strings are null, like str_or_null */
    a.text = "";
    a.address = "";
    a.public_response = "";
    same(&a);
}

static void test_members(void **state)
{
    (void)state;
    struct strbuf sb;
    bool first = true;
    strbuf_init(&sb, 0);
    strbuf_addch(&sb, '{');
    jw_int(&sb, &first, "a", INT64_MIN);
    jw_int(&sb, &first, "b", INT64_MAX);
    jw_int(&sb, &first, "c", 0);
    jw_id(&sb, &first, "d", 0);
    jw_bool(&sb, &first, "e", true);
    jw_time(&sb, &first, "f", 0);
    jw_time(&sb, &first, "g", 1767225600);
    jw_str_or_null(&sb, &first, "h", NULL);
    jw_string(&sb, &first, "i", "");         /* "" stays "", not null */
    jw_string(&sb, &first, "j", "bad \xff"); /* not UTF-8: left out, comma too */
    jw_string(&sb, &first, "k", "Ç\"\n");
    strbuf_addch(&sb, '}');
    assert_string_equal(sb.buf, "{\"a\":-9223372036854775808,\"b\":9223372036854775807,\"c\":0,"
                                "\"d\":null,\"e\":true,\"f\":null,\"g\":\"2026-01-01T00:00:00Z\","
                                "\"h\":null,\"i\":\"\",\"k\":\"Ç\\\"\\n\"}");
    /* a first member left out leaves the next one first: no leading comma */
    strbuf_reset(&sb);
    first = true;
    strbuf_addch(&sb, '{');
    jw_string(&sb, &first, "x", "\xc3");
    jw_int(&sb, &first, "y", 1);
    strbuf_addch(&sb, '}');
    assert_string_equal(sb.buf, "{\"y\":1}");
    strbuf_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_app_rows),
        cmocka_unit_test(test_members),
    };
    return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
