/* Unit tests for the reference municipality tables (src/core/reference.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/reference.h"

#include "util/banned.h"

#define CATEGORIES_TXT "data/reference/categories.txt"
#define MAX_FILE_CATS 512
#define CODE_MAX 64

static const char *const top_level[] = {
    "FEN", "ULASIM",  "CEVRE",    "PARK",      "ZABITA", "SOSYAL", "SAGLIK",
    "SU",  "ITFAIYE", "MEZARLIK", "VETERINER", "KULTUR", "IMAR",   "DIS",
};
#define TOP_LEVEL_LEN (sizeof(top_level) / sizeof(top_level[0]))

static bool is_top_level(const char *code)
{
    for (size_t i = 0; i < TOP_LEVEL_LEN; i++)
        if (strcmp(top_level[i], code) == 0)
            return true;
    return false;
}

static bool code_is_well_formed(const char *code)
{
    if (!code || !*code)
        return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static void test_department_codes_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < ref_departments_len; i++) {
        assert_true(code_is_well_formed(ref_departments[i].code));
        for (size_t j = i + 1; j < ref_departments_len; j++)
            assert_string_not_equal(ref_departments[i].code, ref_departments[j].code);
    }
}

static void test_category_codes_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < ref_categories_len; i++) {
        assert_true(code_is_well_formed(ref_categories[i].code));
        for (size_t j = i + 1; j < ref_categories_len; j++)
            assert_string_not_equal(ref_categories[i].code, ref_categories[j].code);
        /* a category code is never also a department code */
        assert_null(ref_department_find(ref_categories[i].code));
    }
}

static void test_departments_fields(void **state)
{
    (void)state;
    size_t top = 0;
    for (size_t i = 0; i < ref_departments_len; i++) {
        const struct ref_department *d = &ref_departments[i];
        assert_non_null(d->name_tr);
        assert_non_null(d->name_en);
        assert_true(strlen(d->name_tr) > 0);
        assert_true(strlen(d->name_en) > 0);
        assert_non_null(d->institution);
        assert_true(strcmp(d->institution, "METRO") == 0 || strcmp(d->institution, "WATER") == 0 ||
                    strcmp(d->institution, "EXT") == 0);
        if (d->parent == NULL) {
            assert_true(is_top_level(d->code));
            top++;
        }
    }
    assert_int_equal(top, TOP_LEVEL_LEN);
    for (size_t i = 0; i < TOP_LEVEL_LEN; i++) {
        const struct ref_department *d = ref_department_find(top_level[i]);
        assert_non_null(d);
        assert_null(d->parent);
    }
    assert_string_equal(ref_department_find("DIS")->institution, "EXT");
    assert_string_equal(ref_department_find("SU")->institution, "WATER");
    assert_string_equal(ref_department_find("FEN")->institution, "METRO");
}

static void test_parents_exist(void **state)
{
    (void)state;
    for (size_t i = 0; i < ref_departments_len; i++) {
        const struct ref_department *d = &ref_departments[i];
        if (d->parent == NULL)
            continue;
        const struct ref_department *p = ref_department_find(d->parent);
        assert_non_null(p);
        assert_null(p->parent); /* two levels: daire başkanlığı > şube müdürlüğü */
        assert_string_not_equal(p->code, "DIS");
        assert_string_equal(p->institution, d->institution);
    }
}

static void test_categories_departments(void **state)
{
    (void)state;
    assert_true(ref_categories_len >= 60);
    for (size_t i = 0; i < ref_categories_len; i++) {
        const struct ref_category *c = &ref_categories[i];
        const struct ref_department *d = ref_department_find(c->department);
        assert_non_null(d);
        assert_null(d->parent);
        assert_true(is_top_level(c->department));
    }
    for (size_t t = 0; t < TOP_LEVEL_LEN; t++) {
        size_t n = 0;
        for (size_t i = 0; i < ref_categories_len; i++)
            if (strcmp(ref_categories[i].department, top_level[t]) == 0)
                n++;
        if (n < 2)
            fail_msg("department %s has %zu categories", top_level[t], n);
    }
}

static void test_categories_fields(void **state)
{
    (void)state;
    for (size_t i = 0; i < ref_categories_len; i++) {
        const struct ref_category *c = &ref_categories[i];
        assert_non_null(c->name_tr);
        assert_non_null(c->name_en);
        assert_non_null(c->keywords);
        assert_true(strlen(c->name_tr) > 0);
        assert_true(strlen(c->name_en) > 0);
        assert_true(strlen(c->keywords) > 0);
        assert_true(c->first_response_days >= 0);
        assert_true(c->sla_days >= c->first_response_days);
        assert_true(c->sla_days >= 1);
        assert_non_null(c->priority);
        assert_true(strcmp(c->priority, "low") == 0 || strcmp(c->priority, "normal") == 0 ||
                    strcmp(c->priority, "high") == 0 || strcmp(c->priority, "urgent") == 0);
        bool dis = strcmp(c->department, "DIS") == 0;
        if (dis) {
            assert_non_null(c->redirect);
            assert_true(strlen(c->redirect) > 0);
        } else {
            assert_null(c->redirect);
        }
    }
}

static void test_dangerous_categories_are_urgent(void **state)
{
    (void)state;
    assert_string_equal(ref_category_find("PARK_AGAC_TEHLIKE")->priority, "urgent");
    assert_string_equal(ref_category_find("ITF_KURTARMA")->priority, "urgent");
    assert_string_equal(ref_category_find("IMAR_RISKLI")->priority, "urgent");
    assert_string_equal(ref_category_find("VET_YARALI")->priority, "high");
}

/* Reads the codes of data/reference/categories.txt; returns how many. */
static size_t read_file_codes(char codes[][CODE_MAX], char depts[][CODE_MAX], size_t max)
{
    FILE *f = fopen(CATEGORIES_TXT, "r");
    if (!f)
        fail_msg("cannot open %s (run from the repository root)", CATEGORIES_TXT);
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r' || line[0] == '\0')
            continue;
        char *tab1 = strchr(line, '\t');
        assert_non_null(tab1);
        char *tab2 = strchr(tab1 + 1, '\t');
        assert_non_null(tab2);
        size_t clen = (size_t)(tab1 - line);
        size_t dlen = (size_t)(tab2 - (tab1 + 1));
        assert_true(clen > 0 && clen < CODE_MAX);
        assert_true(dlen > 0 && dlen < CODE_MAX);
        assert_true(n < max);
        memcpy(codes[n], line, clen);
        codes[n][clen] = '\0';
        memcpy(depts[n], tab1 + 1, dlen);
        depts[n][dlen] = '\0';
        n++;
    }
    fclose(f);
    return n;
}

static void test_matches_categories_txt(void **state)
{
    (void)state;
    static char codes[MAX_FILE_CATS][CODE_MAX];
    static char depts[MAX_FILE_CATS][CODE_MAX];
    size_t n = read_file_codes(codes, depts, MAX_FILE_CATS);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const struct ref_category *c = ref_category_find(codes[i]);
        if (!c)
            fail_msg("%s from %s is not in ref_categories", codes[i], CATEGORIES_TXT);
        assert_string_equal(c->department, depts[i]);
    }
    for (size_t i = 0; i < ref_categories_len; i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = strcmp(ref_categories[i].code, codes[j]) == 0;
        if (!found)
            fail_msg("%s is not in %s", ref_categories[i].code, CATEGORIES_TXT);
    }
    assert_int_equal(n, ref_categories_len);
}

static void test_find(void **state)
{
    (void)state;
    const struct ref_category *c = ref_category_find("FEN_YOL_CUKUR");
    assert_non_null(c);
    assert_string_equal(c->code, "FEN_YOL_CUKUR");
    assert_string_equal(c->department, "FEN");
    assert_ptr_equal(ref_category_find(ref_categories[ref_categories_len - 1].code),
                     &ref_categories[ref_categories_len - 1]);
    assert_null(ref_category_find("NO_SUCH_CATEGORY"));
    assert_null(ref_category_find(""));
    assert_null(ref_category_find("fen_yol_cukur"));
    assert_null(ref_category_find(NULL));

    const struct ref_department *d = ref_department_find("ZABITA");
    assert_non_null(d);
    assert_string_equal(d->code, "ZABITA");
    assert_string_equal(d->name_tr, "Zabıta Dairesi Başkanlığı");
    d = ref_department_find("FEN_YOL");
    assert_non_null(d);
    assert_string_equal(d->parent, "FEN");
    assert_null(ref_department_find("NOPE"));
    assert_null(ref_department_find(""));
    assert_null(ref_department_find(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_department_codes_unique),
        cmocka_unit_test(test_category_codes_unique),
        cmocka_unit_test(test_departments_fields),
        cmocka_unit_test(test_parents_exist),
        cmocka_unit_test(test_categories_departments),
        cmocka_unit_test(test_categories_fields),
        cmocka_unit_test(test_dangerous_categories_are_urgent),
        cmocka_unit_test(test_matches_categories_txt),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
