/* The pure rules of outgoing messages (issue 15): SMS segment counting (GSM 03.38 7-bit, the
 * Turkish single shift table, UCS-2; two-unit characters never split), the retry backoff and
 * the template filling of the SMS gateway's body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <cmocka.h>

#include "core/outbox.h"
#include "notify/segments.h"
#include "notify/transport.h"
#include "util/str.h"
#include "util/banned.h"

/* n copies of the UTF-8 string s (caller frees) */
static char *rep(const char *s, int n)
{
    size_t l = strlen(s);
    char *p = malloc(l * (size_t)n + 1);
    for (int i = 0; i < n; i++)
        memcpy(p + l * (size_t)i, s, l);
    p[l * (size_t)n] = 0;
    return p;
}

static void count(const char *s, bool tr, enum sms_coding coding, int units, int segments)
{
    struct sms_count c;
    sms_count(s, tr, &c);
    assert_int_equal(c.coding, coding);
    assert_int_equal(c.units, units);
    assert_int_equal(c.segments, segments);
}

static void count_rep(const char *s, int n, bool tr, enum sms_coding coding, int units,
                      int segments)
{
    char *p = rep(s, n);
    count(p, tr, coding, units, segments);
    free(p);
}

static void test_gsm7(void **state)
{
    (void)state;
    count("", true, SMS_GSM7, 0, 0);
    count_rep("a", 160, true, SMS_GSM7, 160, 1);
    count_rep("a", 161, true, SMS_GSM7, 161, 2); /* 153 per part */
    count_rep("a", 306, true, SMS_GSM7, 306, 2);
    count_rep("a", 307, true, SMS_GSM7, 307, 3);
    /* Ç Ö Ü ö ü are in the default alphabet; { and € are escaped (two septets) */
    count("ÇÖÜöü", true, SMS_GSM7, 5, 1);
    count("{€}", true, SMS_GSM7, 6, 1);
    count_rep("{", 80, true, SMS_GSM7, 160, 1);
    count_rep("{", 81, true, SMS_GSM7, 162, 2);
}

static void test_turkish_shift(void **state)
{
    (void)state;
    /* ş ğ ı İ ç: the Turkish single shift table, two septets; 155 alone, 149 per part */
    count("ş", true, SMS_GSM7_TR, 2, 1);
    count("İstanbul'da çığ", true, SMS_GSM7_TR, 19, 1);
    count_rep("ş", 77, true, SMS_GSM7_TR, 154, 1);
    count_rep("ş", 78, true, SMS_GSM7_TR, 156, 2);
    count_rep("ş", 150, true, SMS_GSM7_TR, 300, 3); /* 74 + 74 + 2: a pair is never split */
    /* 148 + ş + 148 = 298 septets: 2 parts if a pair could be split, 3 as it cannot */
    char *a = rep("a", 148), buf[400];
    size_t al = strlen(a);
    memcpy(buf, a, al);
    memcpy(buf + al, "ş", 2);
    memcpy(buf + al + 2, a, al + 1);
    count(buf, true, SMS_GSM7_TR, 298, 3);
    free(a);
    /* the GSM extension characters are in the Turkish table too */
    count("ş{", true, SMS_GSM7_TR, 4, 1);
    /* without the shift table the same text is UCS-2: 70 alone, 67 per part */
    count("ş", false, SMS_UCS2, 1, 1);
    count_rep("ç", 70, false, SMS_UCS2, 70, 1);
    count_rep("ç", 71, false, SMS_UCS2, 71, 2);
    count_rep("ç", 134, false, SMS_UCS2, 134, 2);
    count_rep("ç", 135, false, SMS_UCS2, 135, 3);
}

static void test_ucs2(void **state)
{
    (void)state;
    count("Привет", true, SMS_UCS2, 6, 1);
    count_rep("\xF0\x9F\x98\x80", 35, true, SMS_UCS2, 70, 1); /* a surrogate pair each */
    count_rep("\xF0\x9F\x98\x80", 36, true, SMS_UCS2, 72, 2);
    /* 33 pairs fill 66 of a part's 67 units: the 34th goes to the next part */
    count_rep("\xF0\x9F\x98\x80", 67, true, SMS_UCS2, 134, 3);
    assert_string_equal(sms_coding_name(SMS_GSM7_TR), "gsm7-turkish");
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(core_outbox_backoff_ms(0, 2000, 3600000), 0);
    assert_int_equal(core_outbox_backoff_ms(1, 2000, 3600000), 2000);
    assert_int_equal(core_outbox_backoff_ms(2, 2000, 3600000), 4000);
    assert_int_equal(core_outbox_backoff_ms(3, 2000, 3600000), 8000);
    assert_int_equal(core_outbox_backoff_ms(11, 2000, 3600000), 2048000);
    assert_int_equal(core_outbox_backoff_ms(12, 2000, 3600000), 3600000);
    assert_int_equal(core_outbox_backoff_ms(100, 2000, 3600000), 3600000);
    /* serve's defaults (2 s, 5 min cap): tries at 2, 6, …, 510 s, then every 300 s */
    int64_t at = 0;
    for (int a = 1; a <= 8; a++)
        at += core_outbox_backoff_ms(a, 2000, 300000);
    assert_int_equal(at, 510000);
    assert_int_equal(core_outbox_backoff_ms(9, 2000, 300000), 300000);
}

static void test_fill(void **state)
{
    (void)state;
    const char *vars[] = { "to",  "+905321234567", "text", "Çukur \"kapatıldı\" & 100%",
                           "key", "alo153-1" };
    char *u = notify_fill("to={to}&msg={text}&k={key}&x={nope}", vars, 3, 'u');
    assert_string_equal(u, "to=%2B905321234567&msg=%C3%87ukur%20%22kapat%C4%B1ld%C4%B1%22%20%26"
                           "%20100%25&k=alo153-1&x={nope}");
    free(u);
    char *j = notify_fill("{\"to\":\"{to}\",\"text\":\"{text}\"}", vars, 3, 'j');
    assert_string_equal(j,
                        "{\"to\":\"+905321234567\",\"text\":\"Çukur \\\"kapatıldı\\\" & 100%\"}");
    free(j);
    const char *nl[] = { "text", "a\nb" };
    j = notify_fill("{text}", nl, 1, 'j');
    assert_string_equal(j, "a\\u000ab");
    free(j);
}

/* The WhatsApp Business Cloud API: the request body, the answer's message id, how an HTTP
 * status is taken, the config file, and which channel a WhatsApp citizen's message goes by. */
static void test_whatsapp(void **state)
{
    (void)state;
    char *b = notify_whatsapp_body("+905321234567", "Takip no: 2026-000001\n\"tamam\"", "alo153-k");
    assert_string_equal(b, "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                           "\"to\":\"905321234567\",\"type\":\"text\",\"text\":{\"preview_url\":"
                           "false,\"body\":\"Takip no: 2026-000001\\u000a\\\"tamam\\\"\"},"
                           "\"biz_opaque_callback_data\":\"alo153-k\"}");
    free(b);
    char id[64];
    /* the Cloud API's answer (developers.facebook.com, "Send messages") */
    assert_true(notify_whatsapp_parse(
        "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"905321234567\","
        "\"wa_id\":\"905321234567\"}],\"messages\":[{\"id\":\"wamid."
        "HBgLMTY1MDUwNzY1MjAVAgARGBI5QTND\"}]}",
        id, sizeof(id)));
    assert_string_equal(id, "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTND");
    assert_true(notify_whatsapp_parse(
        "{ \"messages\" : [ { \"message_status\" : \"accepted\", \"id\" : \"wamid.A\\/B\" } ] }",
        id, sizeof(id)));
    assert_string_equal(id, "wamid.A/B");
    assert_false(
        notify_whatsapp_parse("{\"error\":{\"message\":\"x\",\"code\":131047}}", id, sizeof(id)));
    assert_false(notify_whatsapp_parse("{\"messages\":[]}", id, sizeof(id)));
    assert_false(notify_whatsapp_parse("{\"messages\":[{\"id\":\"\"}]}", id, sizeof(id)));
    assert_false(notify_whatsapp_parse("{\"messages\":[{\"id\":\"wamid.x", id, sizeof(id)));
    assert_false(notify_whatsapp_parse(NULL, id, sizeof(id)));
    char small[4];
    assert_false(
        notify_whatsapp_parse("{\"messages\":[{\"id\":\"wamid.long\"}]}", small, sizeof(small)));
    assert_int_equal(notify_whatsapp_classify(200, true), NOTIFY_OK);
    assert_int_equal(notify_whatsapp_classify(200, false), NOTIFY_RETRY);
    assert_int_equal(notify_whatsapp_classify(400, false), NOTIFY_FAIL);
    assert_int_equal(notify_whatsapp_classify(401, false), NOTIFY_FAIL);
    assert_int_equal(notify_whatsapp_classify(408, false), NOTIFY_RETRY);
    assert_int_equal(notify_whatsapp_classify(429, false), NOTIFY_RETRY);
    assert_int_equal(notify_whatsapp_classify(500, false), NOTIFY_RETRY);
    assert_int_equal(notify_whatsapp_classify(503, false), NOTIFY_RETRY);

    char dir[] = "/tmp/alo153-wa-XXXXXX", f[64], tf[64], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(f, sizeof(f), "%.40s/wa.conf", dir);
    snprintf(tf, sizeof(tf), "%.40s/token", dir);
    FILE *o = fopen(tf, "w");
    fputs("EAAGtoken123\n", o);
    fclose(o);
    o = fopen(f, "w");
    fprintf(o,
            "# test\nbase_url = http://127.0.0.1:1/v19.0\nphone_number_id = 1234567\n"
            "token_file = %s\n",
            tf);
    fclose(o);
    struct notify_whatsapp w;
    assert_true(notify_whatsapp_config_load(f, &w, err, sizeof(err)));
    assert_string_equal(w.base, "http://127.0.0.1:1/v19.0");
    assert_string_equal(w.phone_id, "1234567");
    assert_string_equal(w.token, "EAAGtoken123");
    o = fopen(f, "w");
    fputs("base_url = http://x\nphone_number_id = 12a\ntoken_file = /nonexistent\n", o);
    fclose(o);
    assert_false(notify_whatsapp_config_load(f, &w, err, sizeof(err)));
    assert_non_null(strstr(err, "line 2"));
    o = fopen(f, "w");
    fputs("base_url = http://x\nphone_number_id = 12\n", o);
    fclose(o);
    assert_false(notify_whatsapp_config_load(f, &w, err, sizeof(err)));
    assert_non_null(strstr(err, "token_file"));
    unlink(f);
    unlink(tf);
    rmdir(dir);

    struct app a = { .created_at = 1000 };
    str_copy(a.channel, sizeof(a.channel), "whatsapp");
    assert_string_equal(core_outbox_phone_channel(&a, 1000), "sms"); /* transport off */
    core_outbox_whatsapp_enable(true);
    assert_string_equal(core_outbox_phone_channel(&a, 1000), "whatsapp");
    assert_string_equal(core_outbox_phone_channel(&a, 1000 + 24 * 3600 - 1), "whatsapp");
    assert_string_equal(core_outbox_phone_channel(&a, 1000 + 24 * 3600), "sms"); /* window shut */
    str_copy(a.channel, sizeof(a.channel), "web");
    assert_string_equal(core_outbox_phone_channel(&a, 1000), "sms");
    core_outbox_whatsapp_enable(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsm7), cmocka_unit_test(test_turkish_shift),
        cmocka_unit_test(test_ucs2), cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_fill), cmocka_unit_test(test_whatsapp),
    };
    return cmocka_run_group_tests_name("outbox_rules", tests, NULL, NULL);
}
