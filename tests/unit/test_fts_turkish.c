/* Unit tests for store/sqlite/fts_turkish: the FTS5 "turkish" tokenizer on an in-memory db. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "nlp/turkish.h"
#include "store/sqlite/fts_turkish.h"
#include "util/strbuf.h"
#include "util/banned.h"

static const char *docs[] = {
    "Sokakta büyük ÇUKURLAR var",          /* rowid 1 */
    "ILAÇLAMA yapılmadı",                  /* rowid 2 */
    "Parkta IŞIK yanmıyor",                /* rowid 3 */
    "çöp toplanmadı",                      /* rowid 4 */
    "Kayseri'de cukur ve ilaclama sorunu", /* rowid 5: typed without Turkish letters */
    "Mahallede copler birikti",            /* rowid 6: çöpler, ASCII-typed */
    "Kayseri merkezde su yok",             /* rowid 7: Kayseri without a suffix */
    "hâlâ bekliyoruz",                     /* rowid 8: circumflex letters */
    "İSTİNAT duvarı",                      /* rowid 9: dotted capital İ */
    "isik yanmiyor",                       /* rowid 10: ışık, ASCII-typed */
    "kaldırım kırık",                      /* rowid 11 */
    "kaldır şunu",                         /* rowid 12: a different word, a prefix of 11 */
};

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK)
        print_error("%s: %s\n", sql, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

static int setup(void **state)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return -1;
    if (fts_turkish_register(db) != SQLITE_OK)
        goto fail;
    if (sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='turkish')", NULL, NULL,
                     NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?1, ?2)", -1, &st, NULL))
        goto fail;
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 2, docs[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    *state = db;
    return 0;
fail:
    fprintf(stderr, "setup: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return -1;
}

static int teardown(void **state)
{
    sqlite3_close(*state);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    nlp_thread_cleanup();
    return 0;
}

/* The rowids matching q, in order, as "1,3" ("" for none; "error" when the query fails). */
static void check_match(sqlite3 *db, const char *q, const char *want)
{
    struct strbuf sb = STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc;

    strbuf_init(&sb, 0);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        strbuf_addf(&sb, "%s%lld", sb.len ? "," : "", (long long)sqlite3_column_int64(st, 0));
    if (rc != SQLITE_DONE) {
        strbuf_reset(&sb);
        strbuf_adds(&sb, "error");
    }
    sqlite3_finalize(st);
    if (strcmp(sb.buf, want) != 0)
        print_error("MATCH '%s': got [%s], want [%s]\n", q, sb.buf, want);
    assert_string_equal(sb.buf, want);
    strbuf_release(&sb);
}

static void test_cukur(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "çukur", "1,5");
    check_match(db, "ÇUKUR", "1,5");
    check_match(db, "cukur", "1,5");
    check_match(db, "çukurlar", "1,5");
    check_match(db, "Çukuru", "1,5");
    check_match(db, "cukurlari", "1,5");
}

static void test_ilaclama(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "ilaçlama", "2,5");
    check_match(db, "ilaclama", "2,5");
    check_match(db, "ILAÇLAMA", "2,5");
    check_match(db, "İlaçlama", "2,5");
}

static void test_isik(void **state)
{
    sqlite3 *db = *state;

    /* ı and i are one letter, both ways: "ışık" finds "isik" and "isik" finds "IŞIK" */
    check_match(db, "ışık", "3,10");
    check_match(db, "isik", "3,10");
    check_match(db, "IŞIK", "3,10");
    check_match(db, "ISIK", "3,10");
    check_match(db, "İŞİK", "3,10");
    check_match(db, "yanmıyor", "3,10");
}

/* "Kayseri'de" is two tokens, "kayseri" and "de": the proper noun matches on its own. */
static void test_apostrophe(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "kayseri", "5,7");
    check_match(db, "KAYSERİ", "5,7");
    check_match(db, "\"Kayseri’de\"", "5"); /* U+2019 splits like ' */
    check_match(db, "\"kayseri de\"", "5"); /* the same two tokens as "Kayseri'de" */
    check_match(db, "de", "5");
}

static void test_circumflex(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "hala", "8");
    check_match(db, "hâlâ", "8");
    check_match(db, "HÂLÂ", "8");
    check_match(db, "hal", "8"); /* the stem of hâlâ is hal */
}

static void test_dotted_capital(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "İSTİNAT", "9");
    check_match(db, "istinat", "9");
    check_match(db, "ISTINAT", "9");
    check_match(db, "İstinat", "9");
    check_match(db, "duvari", "9");
    check_match(db, "DUVARI", "9");
}

static void test_cop(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "cop", "4,6");
    check_match(db, "çöp", "4,6");
    check_match(db, "çöpler", "4,6");
}

static void test_prefix(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "cop*", "4,6");
    check_match(db, "çöp*", "4,6");
    check_match(db, "ilacl*", "2,5");
    check_match(db, "ILAÇL*", "2,5");
    check_match(db, "yapılm*", "2");
    check_match(db, "çukurl*", "1"); /* the whole word "cukurlar" exists only in row 1 */
    /* a prefix query matches whole words; without * a word matches by stem only */
    check_match(db, "kaldır*", "11,12");
    check_match(db, "kaldir*", "11,12");
    check_match(db, "KALDIRI*", "11");
    check_match(db, "kaldır", "12");      /* stem "kal": not the word "kaldırım" */
    check_match(db, "kaldırım", "11,12"); /* stem "kaldir" is also the whole word "kaldır" */
    check_match(db, "kald", "");
}

static void test_phrase_and_boolean(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "\"büyük çukurlar\"", "1");
    check_match(db, "\"buyuk cukur\"", "1");
    check_match(db, "çukur AND ilaçlama", "5");
    check_match(db, "\"Kayseri'de\"", "5"); /* one string, two tokens: a phrase */
}

static void test_nothing(void **state)
{
    sqlite3 *db = *state;

    check_match(db, "ağaç", "");
    check_match(db, "otobüs", "");
    check_match(db, "zabıta*", "");
}

/* highlight() uses FTS5_TOKENIZE_AUX and the byte offsets of the original text. */
static void test_highlight_offsets(void **state)
{
    sqlite3 *db = *state;
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT highlight(t, 0, '[', ']') FROM t "
                                        "WHERE t MATCH ?1 ORDER BY rowid",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, "cukur", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "Sokakta büyük [ÇUKURLAR] var");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "Kayseri'de [cukur] ve ilaclama sorunu");
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void test_update_delete(void **state)
{
    sqlite3 *db = *state;

    exec_ok(db, "UPDATE t SET body = 'Çukur kapatıldı' WHERE rowid = 1");
    check_match(db, "çukurlar", "1,5");
    check_match(db, "kapatıldı", "1");
    exec_ok(db, "DELETE FROM t WHERE rowid = 5");
    check_match(db, "cukur", "1");
    exec_ok(db, "INSERT INTO t(t) VALUES('integrity-check')");
}

static void test_invalid_utf8(void **state)
{
    sqlite3 *db = *state;
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES (?1)", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, "k\xC0\xAF", 3, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
    sqlite3_finalize(st);
    check_match(db, "cop", "4,6"); /* the table is intact */
}

static void test_options_rejected(void **state)
{
    sqlite3 *db = *state;

    assert_int_not_equal(sqlite3_exec(db,
                                      "CREATE VIRTUAL TABLE t2 USING "
                                      "fts5(body, tokenize='turkish extra')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cukur, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ilaclama, setup, teardown),
        cmocka_unit_test_setup_teardown(test_isik, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apostrophe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_circumflex, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotted_capital, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_and_boolean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_highlight_offsets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_rejected, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, group_teardown);
}
