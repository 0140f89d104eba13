/* Conformance: routing corrections, the training examples learnt from staff (issue 13). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util/str.h"

struct seen {
    int n;
    struct correction c[8];
    char text[8][64];
};

static int collect(void *ctx, const struct correction *c)
{
    struct seen *s = ctx;
    if (s->n < 8) {
        s->c[s->n] = *c;
        str_copy(s->text[s->n], sizeof(s->text[0]), c->text);
        s->n++;
    }
    return 0;
}

struct examples {
    int n;
    char text[8][64], cat[8][40];
};

static int example(void *ctx, const char *text, const char *category)
{
    struct examples *e = ctx;
    if (e->n < 8) {
        str_copy(e->text[e->n], sizeof(e->text[0]), text);
        str_copy(e->cat[e->n], sizeof(e->cat[0]), category);
        e->n++;
    }
    return 0;
}

static void add(struct store *st, int64_t app, const char *action, const char *prev,
                const char *final, int64_t user, int64_t at)
{
    struct correction c = { .app_id = app, .user_id = user, .at = at };
    str_copy(c.action, sizeof(c.action), action);
    str_copy(c.previous, sizeof(c.previous), prev);
    str_copy(c.final, sizeof(c.final), final);
    assert_int_equal(store_correction_add(st, &c), ERR_OK);
    assert_true(c.id > 0);
}

static void test_corrections(void **state)
{
    struct store *st = FX(state)->st;
    int64_t inst = conf_institution(st, "METRO");
    int64_t fen = conf_department(st, "FEN", 0, inst);
    int64_t cat = conf_category(st, "FEN_YOL", fen, "Yol", "yol");
    int64_t u = conf_user(st, "fen1", ROLE_STAFF, fen);
    struct app a, b, c;
    int64_t ida = conf_app(st, cat, fen, "yolda çukur var", 1700000000, &a);
    int64_t idb = conf_app(st, cat, fen, "park bankı kırık", 1700000000, &b);
    int64_t idc = conf_app(st, 0, 0, "çöp alınmadı", 1700000000, &c);
    app_release(&a);
    app_release(&b);
    app_release(&c);
    /* the stored suggestion wins over what the caller says */
    assert_int_equal(store_app_set_suggestion(st, ida, "FEN_YOL", 0.9, false, NULL), ERR_OK);

    add(st, ida, "return", "FEN_YOL", "", u, 1700000100);
    add(st, ida, "route", "FEN_YOL", "PARK_BAKIM", u, 1700000200);
    add(st, idb, "transfer", "FEN_YOL", "PARK_BAKIM", 0, 1700000300);
    add(st, idb, "return", "PARK_BAKIM", "", u, 1700000400);
    add(st, idc, "category", "", "CEV_COP", u, 1700000500);

    struct seen s = { 0 };
    assert_int_equal(store_correction_each(st, ida, 10, collect, &s), ERR_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.c[0].action, "route"); /* newest first */
    assert_string_equal(s.c[0].previous, "FEN_YOL");
    assert_string_equal(s.c[0].final, "PARK_BAKIM");
    assert_string_equal(s.c[0].suggested, "FEN_YOL");
    assert_int_equal(s.c[0].user_id, u);
    assert_int_equal(s.c[0].at, 1700000200);
    assert_string_equal(s.text[0], "yolda çukur var");
    assert_string_equal(s.c[1].action, "return");
    assert_string_equal(s.c[1].final, "");
    memset(&s, 0, sizeof(s));
    assert_int_equal(store_correction_each(st, 0, 3, collect, &s), ERR_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.c[0].app_id, idc);
    assert_string_equal(s.c[0].suggested, ""); /* no suggestion stored */
    assert_int_equal(s.c[2].user_id, 0);       /* none */

    /* training: the last correction of each application, when it names a final category */
    struct examples e = { 0 };
    assert_int_equal(store_correction_training_each(st, example, &e), ERR_OK);
    assert_int_equal(e.n, 2);
    assert_string_equal(e.text[0], "yolda çukur var");
    assert_string_equal(e.cat[0], "PARK_BAKIM");
    assert_string_equal(e.text[1], "çöp alınmadı");
    assert_string_equal(e.cat[1], "CEV_COP");

    /* only for real applications */
    struct correction bad = { .app_id = 99999, .at = 1, .text = "x" };
    str_copy(bad.action, sizeof(bad.action), "return");
    assert_true(store_correction_add(st, &bad) != ERR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_corrections),
    };
    return cmocka_run_group_tests_name("store_corrections", tests, NULL, NULL);
}
