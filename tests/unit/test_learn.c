/* core/learn.h: which actions are corrections, and the promotion gate's decision and file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/learn.h"
#include "util/str.h"
#include "util/banned.h"

static void test_is_correction(void **state)
{
    (void)state;
    const unsigned none = 0, routed = 1u << ACT_ROUTE, returned = 1u << ACT_RETURN;
    assert_true(learn_is_correction(ACT_RETURN, routed, 5, 5));
    assert_true(learn_is_correction(ACT_TRANSFER, routed, 5, 5)); /* department only */
    assert_true(learn_is_correction(ACT_TRANSFER, none, 5, 6));
    /* a first route of an application without a category is no correction */
    assert_false(learn_is_correction(ACT_ROUTE, none, 0, 6));
    /* … nor one into the category it already has */
    assert_false(learn_is_correction(ACT_ROUTE, none, 6, 6));
    assert_true(learn_is_correction(ACT_ROUTE, none, 5, 6));     /* another category */
    assert_true(learn_is_correction(ACT_ROUTE, returned, 6, 6)); /* again, after a return */
    assert_true(learn_is_correction(ACT_ROUTE, routed, 0, 6));   /* again, after a route */
    for (int a = 0; a < ACT__COUNT; a++)
        if (a != ACT_RETURN && a != ACT_TRANSFER && a != ACT_ROUTE)
            assert_false(learn_is_correction((enum app_action)a, routed | returned, 5, 6));
}

static void test_gate_decide(void **state)
{
    (void)state;
    struct learn_gate g = { .top1 = 0.90, .decoys = 0.80, .decoys_n = 10 };
    assert_true(learn_gate_decide(&g, 0)); /* nothing to compare with */
    assert_string_equal(g.verdict, "promoted");
    str_copy(g.against, sizeof(g.against), "route-1.model");
    g.against_top1 = 0.90;
    g.against_decoys = 0.80;
    assert_true(learn_gate_decide(&g, 0)); /* equal is not worse */
    g.against_top1 = 0.91;
    assert_false(learn_gate_decide(&g, 0));
    assert_string_equal(g.verdict, "rejected");
    assert_non_null(strstr(g.reason, "department top-1 90.00 %"));
    assert_true(learn_gate_decide(&g, 0.02)); /* within the tolerance */
    g.against_top1 = 0.85;
    g.against_decoys = 0.81;
    assert_false(learn_gate_decide(&g, 0)); /* better overall, worse on decoys */
    assert_non_null(strstr(g.reason, "decoys"));
    g.decoys_n = 0; /* no decoys in the file: only the overall figure counts */
    assert_true(learn_gate_decide(&g, 0));
}

static void test_gate_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/alo153-learn-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/route-20260101T000000Z.model.gate", dir);
    struct learn_gate g;
    memset(&g, 0, sizeof(g)); /* padding too: compared byte for byte below */
    g.n = 48;
    g.decoys_n = 16;
    g.top1 = 0.5;
    g.decoys = 0.25;
    g.against_top1 = 0.75;
    g.against_decoys = 0.125;
    g.examples = 160;
    g.corrections = 2;
    str_copy(g.file, sizeof(g.file), "gate.tsv");
    str_copy(g.against, sizeof(g.against), "route-0.model");
    str_copy(g.at, sizeof(g.at), "2026-01-01T00:00:00Z");
    assert_false(learn_gate_decide(&g, 0));
    assert_int_equal(learn_gate_write(path, &g), 0);
    struct learn_gate r;
    assert_int_equal(learn_gate_read(path, &r), 0);
    assert_memory_equal(&r, &g, sizeof(g)); /* every field, reason included */
    /* the listing: newest first, the current one marked, the gate read */
    char m[160];
    snprintf(m, sizeof(m), "%s/route-20260101T000000Z.model", dir);
    fclose(fopen(m, "w"));
    snprintf(m, sizeof(m), "%s/rejected-20260102T000000Z.model", dir);
    fclose(fopen(m, "w"));
    snprintf(m, sizeof(m), "%s/notes.txt", dir);
    fclose(fopen(m, "w"));
    snprintf(m, sizeof(m), "%s/current", dir);
    FILE *f = fopen(m, "w");
    fputs("route-20260101T000000Z.model\n", f);
    fclose(f);
    struct learn_model *v;
    size_t n;
    assert_int_equal(learn_models_list(dir, 10, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].name, "rejected-20260102T000000Z.model");
    assert_false(v[0].current);
    assert_false(v[0].has_gate);
    assert_string_equal(v[1].name, "route-20260101T000000Z.model");
    assert_true(v[1].current);
    assert_true(v[1].has_gate);
    assert_string_equal(v[1].gate.verdict, "rejected");
    free(v);
    assert_int_equal(learn_models_list("/nonexistent-alo153", 10, &v, &n), -1);
    assert_int_equal(n, 0);
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_correction),
        cmocka_unit_test(test_gate_decide),
        cmocka_unit_test(test_gate_file),
    };
    return cmocka_run_group_tests_name("learn", tests, NULL, NULL);
}
