/* report/render: the paragraph (Turkish and English, with and without the previous year,
 * department scope, satisfaction), the text report, CSV bytes and an XLSX read back by
 * tests/unit/xlsx_check.py (openpyxl). Summaries are filled by hand: no database. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/render.h"

/* Samsun 2025 (the press release) with Kayseri's 63.836 applications */
static void samsun(struct report_summary *s)
{
    memset(s, 0, sizeof *s);
    strcpy(s->p.from, "2025-01-01");
    strcpy(s->p.to, "2025-12-31");
    s->has_calls = true;
    s->calls.offered = 1127300;
    s->calls.answered = 1059219;
    s->calls.answer_rate = 0.9396;
    s->calls.service_level = 0.8;
    s->calls.asa_s = 12.5;
    s->calls.aht_s = 180.25;
    s->contacts.total = 1100000;
    s->contacts.by_outcome[OUTCOME_INSTANT_INFO] = 612695;
    s->contacts.by_outcome[OUTCOME_APPLICATION] = 400000;
    s->contacts.by_outcome[OUTCOME_FOLLOWUP] = 46524;
    s->apps.total = 63836;
    s->apps.resolved = 60000;
    s->apps.resolved_in_deadline = 54000;
    s->apps.resolution_median_wd = 3.0;
    s->apps.resolution_p90_wd = NAN;
    s->survey.satisfied_share = NAN;
}

static void with_previous(struct report_summary *s)
{
    s->has_previous = true;
    strcpy(s->previous.from, "2024-01-01");
    strcpy(s->previous.to, "2024-12-31");
    s->previous.calls.answered = 780000;
    s->previous.calls.answer_rate = 0.92;
    s->previous.applications = 50100;
}

static void test_paragraph_tr_no_previous(void **state)
{
    (void)state;
    struct report_summary s;
    samsun(&s);
    char *p = report_paragraph(&s, TR_LANG_TR);
    assert_string_equal(p, "2025'te 1 milyon 59 bin 219 çağrı %93,96 başarı oranıyla karşılandı; "
                           "bunların 612 bin 695'i anlık bilgilendirmeyle sonuçlandı, 446 bin "
                           "524'ü ilgili birimlere yönlendirildi. Aynı dönemde 63 bin 836 kayıtlı "
                           "başvuru alındı; sonuçlanan 60 bin başvurunun %90'ı süresi içinde "
                           "cevaplandı.");
    free(p);
}

static void test_paragraph_tr_previous(void **state)
{
    (void)state;
    struct report_summary s;
    samsun(&s);
    with_previous(&s);
    s.survey.answers = 1200;
    s.survey.satisfied_share = 0.9;
    s.apps.open_now = 1500;
    s.apps.overdue_now = 306;
    char *p = report_paragraph(&s, TR_LANG_TR);
    assert_non_null(strstr(p, "2025'te 1 milyon 59 bin 219 çağrı %93,96 başarı oranıyla "
                              "karşılandı; "));
    assert_non_null(strstr(p, " Bugün açık olan 1.500 başvurunun 306'sı süresi geçmiş durumda."));
    assert_non_null(strstr(p, " Vatandaş memnuniyeti %90 oldu."));
    assert_non_null(strstr(p, " 2024 yılına kıyasla çağrı sayısında yaklaşık 279 binlik artış "
                              "oldu, başarı oranı %92'den %93,96'ya yükseldi."));
    free(p);
    /* a fall, an exact change and an unchanged rate */
    s.previous.calls.answered = 1060219;
    s.previous.calls.answer_rate = 0.93961;
    p = report_paragraph(&s, TR_LANG_TR);
    assert_non_null(strstr(p, "çağrı sayısında 1 binlik azalış oldu, başarı oranı %93,96'da "
                              "kaldı."));
    free(p);
}

static void test_paragraph_tr_period_and_scope(void **state)
{
    (void)state;
    struct report_summary s;
    samsun(&s);
    with_previous(&s);
    strcpy(s.p.from, "2025-01-01");
    strcpy(s.p.to, "2025-06-30");
    s.p.scope = (struct dept_reach){ .limited = true, .n = 1, .root = { 7 } };
    s.has_calls = false;
    char *p = report_paragraph(&s, TR_LANG_TR);
    /* a department speaks of applications only; the previous year by applications */
    assert_string_equal(p, "1 Ocak – 30 Haziran 2025 döneminde birime 63 bin 836 başvuru ulaştı; "
                           "sonuçlanan 60 bin başvurunun %90'ı süresi içinde cevaplandı. Geçen "
                           "yılın aynı dönemine kıyasla başvuru sayısı 50 bin 100'den 63 bin "
                           "836'ya yükseldi.");
    assert_null(strstr(p, "çağrı"));
    assert_null(strstr(p, "memnuniyet"));
    free(p);
    s.apps.total = 0;
    s.apps.resolved = 0;
    s.has_previous = false;
    p = report_paragraph(&s, TR_LANG_TR);
    assert_string_equal(p, "1 Ocak – 30 Haziran 2025 döneminde birime başvuru ulaşmadı.");
    free(p);
}

static void test_paragraph_en(void **state)
{
    (void)state;
    struct report_summary s;
    samsun(&s);
    with_previous(&s);
    char *p = report_paragraph(&s, TR_LANG_EN);
    assert_string_equal(p, "In 2025, 1,059,219 calls were answered with an answer rate of 93.96%; "
                           "612,695 of them were settled with instant information and 446,524 "
                           "were forwarded to the departments concerned. In the same period, "
                           "63,836 applications were registered; 90% of the 60,000 resolved were "
                           "answered within their deadline. Compared with 2024, answered calls "
                           "rose by about 279 thousand and the answer rate rose from 92% to "
                           "93.96%.");
    free(p);
}

/* a table of every kind of cell: labels, quoting, NAN, percent, days, a formula-like text */
static struct rs_table *dept_table(void)
{
    struct rs_table *t = calloc(1, sizeof *t);
    t->name = "by_department";
    t->title_tr = "Müdürlüklere göre başvurular";
    t->title_en = "Applications by department";
    t->keycol = (struct rs_col){ "department", "Birim", "Department", RS_TEXT };
    t->ncols = 4;
    t->cols[0] = (struct rs_col){ "applications", "Başvuru", "Applications", RS_INT };
    t->cols[1] = (struct rs_col){ "in_deadline_share", "Süresinde oran", "In deadline", RS_PCT };
    t->cols[2] = (struct rs_col){ "median_wd", "Medyan (iş günü)", "Median (wd)", RS_DAYS };
    t->cols[3] = (struct rs_col){ "asa", "Bekleme", "Wait", RS_NUM };
    t->nrows = t->cap = 3;
    t->rows = calloc(3, sizeof *t->rows);
    t->rows[0] = (struct rs_row){ strdup("FEN"),
                                  strdup("Fen İşleri; Yol \"Asfalt\""),
                                  { 12345, 0.9396, 3.5, 1234.25 } };
    t->rows[1] = (struct rs_row){ strdup("ZAB"), NULL, { 7, NAN, NAN, 0 } };
    t->rows[2] = (struct rs_row){ strdup("=1+1"), strdup("Çevre"), { 0, 1, 12.25, -2.5 } };
    return t;
}

static void free_table(struct rs_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        free(t->rows[r].key);
        free(t->rows[r].label);
    }
    free(t->rows);
    free(t);
}

static char *csv_of(const struct rs_table *t, enum tr_lang lang)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(report_write_csv(f, t, lang), 0);
    fclose(f);
    return buf;
}

static void test_csv(void **state)
{
    (void)state;
    struct rs_table *t = dept_table();
    char *tr = csv_of(t, TR_LANG_TR);
    assert_string_equal(tr, "\xEF\xBB\xBF"
                            "Birim;Adı;Başvuru;Süresinde oran (%);Medyan (iş günü);Bekleme\r\n"
                            "FEN;\"Fen İşleri; Yol \"\"Asfalt\"\"\";12345;93,96;3,5;1234,25\r\n"
                            "ZAB;;7;;;0\r\n"
                            "\"'=1+1\";Çevre;0;100;12,25;-2,5\r\n");
    char *en = csv_of(t, TR_LANG_EN);
    assert_string_equal(en, "\xEF\xBB\xBF"
                            "Department;Name;Applications;In deadline (%);Median (wd);Wait\r\n"
                            "FEN;\"Fen İşleri; Yol \"\"Asfalt\"\"\";12345;93.96;3.5;1234.25\r\n"
                            "ZAB;;7;;;0\r\n"
                            "\"'=1+1\";Çevre;0;100;12.25;-2.5\r\n");
    free(tr);
    free(en);
    free_table(t);
}

static void test_text(void **state)
{
    (void)state;
    struct report_summary s;
    samsun(&s);
    struct rs_table *t = dept_table();
    s.ntables = 1;
    s.tables = t;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(report_write_text(f, &s, TR_LANG_TR), 0);
    fclose(f);
    if (getenv("SHOW"))
        fputs(buf, stderr);
    assert_non_null(strstr(buf, "ALO 153 raporu 2025-01-01 – 2025-12-31\n\n2025'te 1 milyon 59 bin "
                                "219 çağrı"));
    assert_non_null(strstr(buf, "\nBaşarı oranı"));
    assert_non_null(strstr(buf, "%93,96\n"));
    assert_non_null(strstr(buf, "\nMüdürlüklere göre başvurular\n----------------------------\n"));
    /* aligned: numbers right-aligned under their headers, NAN as a dash, labels padded by
     * characters (İ and ç are one column) */
    /* key figures: values right-aligned, a missing one as a dash */
    assert_non_null(strstr(buf, "\nKarşılanan çağrı                       1.059.219\n"));
    assert_non_null(strstr(buf, "\nBirim değiştiren                               0\n"));
    assert_non_null(strstr(buf, "\nMemnuniyet oranı                               —\n"));
    assert_non_null(strstr(
        buf,
        "\nBirim  Adı                       Başvuru  Süresinde oran  Medyan (iş günü)  Bekleme\n"));
    assert_non_null(strstr(buf, "\nFEN    Fen İşleri; Yol \"Asfalt\"   12.345          %93,96      "
                                "         3,5  1.234,2\n"));
    assert_non_null(strstr(
        buf,
        "\nZAB                                    7               —                 —      0,0\n"));
    free(buf);
    free_table(t);
}

static void test_xlsx(void **state)
{
    (void)state;
    struct report_summary s;
    samsun(&s);
    with_previous(&s);
    struct rs_table *t = dept_table();
    /* a second table of no rows whose title is too long for a sheet and has characters Excel
     * refuses, a third with the first one's title: names cut, cleaned and made unique */
    struct rs_table ts[3] = { *t, *t, *t };
    ts[1].name = "long";
    ts[1].title_tr = "Konu/alt konu: en çok başvurulan [ilk 20]";
    ts[1].nrows = 0;
    ts[2].name = "again";
    s.ntables = 3;
    s.tables = ts;
    char path[] = "/tmp/alo153-xlsx-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    struct err_detail ed = { 0 };
    assert_int_equal(report_write_xlsx(path, &s, TR_LANG_TR, NULL, &ed), 0);
    assert_int_equal(report_write_xlsx(path, &s, TR_LANG_TR, "nope", &ed), ERR_NOT_FOUND);
    char cmd[512];
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    snprintf(cmd, sizeof cmd, "%s tests/unit/xlsx_check.py %s all", py, path);
    assert_int_equal(system(cmd), 0);
    /* one table only: no summary sheet */
    assert_int_equal(report_write_xlsx(path, &s, TR_LANG_EN, "by_department", &ed), 0);
    snprintf(cmd, sizeof cmd, "%s tests/unit/xlsx_check.py %s one", py, path);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    free_table(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraph_tr_no_previous),
        cmocka_unit_test(test_paragraph_tr_previous),
        cmocka_unit_test(test_paragraph_tr_period_and_scope),
        cmocka_unit_test(test_paragraph_en),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_xlsx),
    };
    return cmocka_run_group_tests_name("report_render", tests, NULL, NULL);
}
