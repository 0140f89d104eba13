/* Conformance: settings, institutions, departments, categories, geography, holidays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void test_settings(void **state)
{
    struct store *st = FX(state)->st;
    char v[64];
    assert_int_equal(store_setting_get(st, "province", v, sizeof(v)), ERR_NOT_FOUND);
    assert_int_equal(store_setting_set(st, "province", "38"), ERR_OK);
    assert_int_equal(store_setting_get(st, "province", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "38");
    assert_int_equal(store_setting_set(st, "province", "Kayseri ışık"), ERR_OK); /* overwrite */
    assert_int_equal(store_setting_get(st, "province", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "Kayseri ışık");
    char small[4];
    assert_int_equal(store_setting_get(st, "province", small, sizeof(small)), ERR_OK);
    assert_string_equal(small, "Kay"); /* NUL-terminated within outlen */
}

struct inst_row {
    int64_t id[8];
    char code[8][16];
    char kind[8][16];
    int n;
};

static int inst_cb(void *ctx, int64_t id, const char *code, const char *name, const char *kind)
{
    struct inst_row *r = ctx;
    (void)name;
    if (r->n == 8)
        return 1;
    r->id[r->n] = id;
    snprintf(r->code[r->n], 16, "%s", code);
    snprintf(r->kind[r->n++], 16, "%s", kind);
    return 0;
}

static int stop_first(void *ctx, int64_t id, const char *code, const char *name, const char *kind)
{
    (void)id, (void)code, (void)name, (void)kind;
    ++*(int *)ctx;
    return 7;
}

static void test_institutions(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a = 0, b = 0, a2 = 0, got = 0;
    assert_int_equal(store_institution_upsert(st, "METRO", "Büyükşehir", "metropolitan", &a),
                     ERR_OK);
    assert_int_equal(store_institution_upsert(st, "WATER", "KASKİ", "affiliate", &b), ERR_OK);
    assert_true(a > 0 && b > 0 && a != b);
    /* upsert by code: same id, new values */
    assert_int_equal(store_institution_upsert(st, "METRO", "Kayseri BB", "district", &a2), ERR_OK);
    assert_int_equal(a2, a);
    assert_int_equal(store_institution_id(st, "WATER", &got), ERR_OK);
    assert_int_equal(got, b);
    assert_int_equal(store_institution_id(st, "NOPE", &got), ERR_NOT_FOUND);
    struct inst_row r = { .n = 0 };
    assert_int_equal(store_institution_each(st, inst_cb, &r), ERR_OK);
    assert_int_equal(r.n, 2); /* in order of creation (SQLite: by id) */
    assert_string_equal(r.code[0], "METRO");
    assert_string_equal(r.kind[0], "district");
    assert_string_equal(r.code[1], "WATER");
    int calls = 0;
    assert_int_equal(store_institution_each(st, stop_first, &calls), 7); /* fn's value back */
    assert_int_equal(calls, 1);
}

static void test_departments(void **state)
{
    struct store *st = FX(state)->st;
    int64_t m = conf_institution(st, "METRO"), w = conf_institution(st, "WATER");
    int64_t fen = conf_department(st, "FEN", 0, m);
    int64_t yol = conf_department(st, "FEN_YOL", fen, m);
    int64_t asf = conf_department(st, "FEN_YOL_ASF", yol, m);
    int64_t cev = conf_department(st, "CEV", 0, m);
    int64_t su = conf_department(st, "ASU", 0, w);
    struct department d;
    assert_int_equal(store_department_get(st, yol, &d), ERR_OK);
    assert_string_equal(d.code, "FEN_YOL");
    assert_int_equal(d.parent_id, fen);
    assert_int_equal(d.institution_id, m);
    assert_string_equal(d.institution_code, "METRO");
    assert_string_equal(d.name_tr, "FEN_YOL Müdürlüğü");
    assert_true(d.active);
    assert_int_equal(store_department_get(st, 9999, &d), ERR_NOT_FOUND);
    assert_int_equal(store_department_by_code(st, "CEV", &d), ERR_OK);
    assert_int_equal(d.id, cev);
    assert_int_equal(d.parent_id, 0);
    assert_int_equal(store_department_by_code(st, "NOPE", &d), ERR_NOT_FOUND);
    /* upsert by code updates in place */
    struct department up = { .institution_id = m, .parent_id = fen, .active = false };
    snprintf(up.code, sizeof(up.code), "CEV");
    snprintf(up.name_tr, sizeof(up.name_tr), "Çevre Koruma");
    assert_int_equal(store_department_upsert(st, &up, NULL), ERR_OK);
    assert_int_equal(up.id, cev);
    assert_int_equal(store_department_get(st, cev, &d), ERR_OK);
    assert_string_equal(d.name_tr, "Çevre Koruma");
    assert_int_equal(d.parent_id, fen);
    assert_false(d.active);
    /* unknown parent: refused (SQLite backend: ERR_UNPROCESSABLE) */
    struct department bad = { .institution_id = m, .parent_id = 9999 };
    snprintf(bad.code, sizeof(bad.code), "BAD");
    assert_true(store_department_upsert(st, &bad, NULL) < 0);
    assert_int_equal(store_department_by_code(st, "BAD", &d), ERR_NOT_FOUND);
    /* list: by institution then code */
    struct department *v = NULL;
    size_t n = 0;
    assert_int_equal(store_department_list(st, &v, &n), ERR_OK);
    assert_int_equal(n, 5);
    const char *want[] = { "CEV", "FEN", "FEN_YOL", "FEN_YOL_ASF", "ASU" };
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i].code, want[i]);
    assert_int_equal(v[4].id, su);
    free(v);
    /* within: equal or below, across several levels; not above, not siblings */
    assert_true(store_department_within(st, fen, fen));
    assert_true(store_department_within(st, yol, fen));
    assert_true(store_department_within(st, asf, fen));
    assert_true(store_department_within(st, asf, yol));
    assert_true(store_department_within(st, cev, fen)); /* moved under FEN above */
    assert_false(store_department_within(st, fen, yol));
    assert_false(store_department_within(st, su, fen));
    assert_false(store_department_within(st, asf, su));
    assert_false(store_department_within(st, 0, fen));
    assert_false(store_department_within(st, fen, 0));
    assert_false(store_department_within(st, 9999, fen));
}

static void cat_codes(struct store *st, const char *q, char *out, size_t outlen)
{
    struct category *v = NULL;
    size_t n = 99;
    assert_int_equal(store_category_list(st, q, &v, &n), ERR_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), outlen - strlen(out), "%s%s", i ? " " : "", v[i].code);
    free(v);
}

static void test_categories(void **state)
{
    struct store *st = FX(state)->st;
    int64_t m = conf_institution(st, "METRO");
    int64_t fen = conf_department(st, "FEN", 0, m);
    int64_t cev = conf_department(st, "CEV", 0, m);
    int64_t c1 = conf_category(st, "COP", cev, "Çöp toplama", "çöp konteyner atık");
    conf_category(st, "CEV_KOKU", cev, "Koku şikâyeti", "koku");
    conf_category(st, "FEN_YOL_CUKUR", fen, "Yol çukuru / bozuk asfalt", "çukur asfalt yol");
    conf_category(st, "FEN_KOPRU", fen, "Köprü bakımı", "köprü");
    conf_category(st, "ACOP", fen, "Ekçöp", ""); /* "çöp" only inside a word */
    struct category c;
    assert_int_equal(store_category_get(st, c1, &c), ERR_OK);
    assert_string_equal(c.code, "COP");
    assert_int_equal(c.department_id, cev);
    assert_string_equal(c.department_code, "CEV");
    assert_string_equal(c.name_tr, "Çöp toplama");
    assert_string_equal(c.keywords, "çöp konteyner atık");
    assert_int_equal(c.first_response_days, 2);
    assert_int_equal(c.sla_days, 10);
    assert_true(c.working_days);
    assert_string_equal(c.priority, "normal");
    assert_string_equal(c.redirect, "");
    assert_true(c.active);
    assert_int_equal(store_category_get(st, 9999, &c), ERR_NOT_FOUND);
    assert_int_equal(store_category_by_code(st, "NOPE", &c), ERR_NOT_FOUND);
    /* upsert by code */
    struct category u = c;
    u.id = 0;
    u.sla_days = 3;
    u.working_days = false;
    u.active = false;
    snprintf(u.redirect, sizeof(u.redirect), "Elektrik dağıtım (186)");
    snprintf(u.priority, sizeof(u.priority), "high");
    assert_int_equal(store_category_upsert(st, &u, NULL), ERR_OK);
    assert_int_equal(u.id, c1);
    assert_int_equal(store_category_by_code(st, "COP", &c), ERR_OK);
    assert_int_equal(c.sla_days, 3);
    assert_false(c.working_days);
    assert_false(c.active);
    assert_string_equal(c.priority, "high");
    assert_string_equal(c.redirect, "Elektrik dağıtım (186)");
    /* unknown department: refused */
    struct category bad = u;
    bad.department_id = 9999;
    snprintf(bad.code, sizeof(bad.code), "BAD");
    assert_true(store_category_upsert(st, &bad, NULL) < 0);
    /* list ordered by department code then code; inactive ones listed too */
    char got[512];
    cat_codes(st, NULL, got, sizeof(got));
    assert_string_equal(got, "CEV_KOKU COP ACOP FEN_KOPRU FEN_YOL_CUKUR");
    cat_codes(st, "", got, sizeof(got));
    assert_string_equal(got, "CEV_KOKU COP ACOP FEN_KOPRU FEN_YOL_CUKUR");
    /* Turkish folded prefix match on code, names and keywords */
    cat_codes(st, "çöp", got, sizeof(got));
    assert_string_equal(got, "COP");
    cat_codes(st, "COP", got, sizeof(got));
    assert_string_equal(got, "COP");
    cat_codes(st, "ÇÖP TOP", got, sizeof(got)); /* every word must match */
    assert_string_equal(got, "COP");
    cat_codes(st, "çöp koku", got, sizeof(got));
    assert_string_equal(got, "");
    cat_codes(st, "cukur", got, sizeof(got)); /* ASCII typing finds "çukur" */
    assert_string_equal(got, "FEN_YOL_CUKUR");
    cat_codes(st, "asfalt", got, sizeof(got)); /* after a "/" in the name */
    assert_string_equal(got, "FEN_YOL_CUKUR");
    cat_codes(st, "kopru", got, sizeof(got));
    assert_string_equal(got, "FEN_KOPRU");
    cat_codes(st, "pothole", got, sizeof(got));
    assert_string_equal(got, "");
    cat_codes(st, "yol", got, sizeof(got)); /* a code part */
    assert_string_equal(got, "FEN_YOL_CUKUR");
    cat_codes(st, "şikayet", got, sizeof(got)); /* â folds to a */
    assert_string_equal(got, "CEV_KOKU");
}

struct names {
    char s[8][48];
    int64_t id[8];
    int n;
};

static int dist_cb(void *ctx, int64_t id, const char *name, const char *province)
{
    struct names *r = ctx;
    if (r->n < 8) {
        r->id[r->n] = id;
        snprintf(r->s[r->n++], 48, "%s/%s", name, province);
    }
    return 0;
}

static int nb_cb(void *ctx, int64_t id, const char *name)
{
    struct names *r = ctx;
    if (r->n < 8) {
        r->id[r->n] = id;
        snprintf(r->s[r->n++], 48, "%s", name);
    }
    return 0;
}

static void test_geography(void **state)
{
    struct store *st = FX(state)->st;
    int64_t kocasinan = 0, melikgazi = 0, again = 0, other = 0, n1 = 0, n2 = 0, n3 = 0, x = 0;
    assert_int_equal(store_setting_set(st, "province", "38"), ERR_OK);
    assert_int_equal(store_district_upsert(st, "38", "Melikgazi", &melikgazi), ERR_OK);
    assert_int_equal(store_district_upsert(st, "38", "Kocasinan", &kocasinan), ERR_OK);
    assert_int_equal(store_district_upsert(st, "06", "Çankaya", &other), ERR_OK);
    assert_int_equal(store_district_upsert(st, "38", "Melikgazi", &again), ERR_OK);
    assert_int_equal(again, melikgazi); /* by (province, name) */
    assert_true(kocasinan != melikgazi && other != kocasinan);
    assert_int_equal(store_neighbourhood_upsert(st, melikgazi, "Yıldırım Beyazıt", &n1), ERR_OK);
    assert_int_equal(store_neighbourhood_upsert(st, melikgazi, "Anbar", &n2), ERR_OK);
    assert_int_equal(store_neighbourhood_upsert(st, kocasinan, "Anbar", &n3), ERR_OK);
    assert_true(n3 != n2); /* same name, other district */
    assert_int_equal(store_neighbourhood_upsert(st, melikgazi, "Anbar", &x), ERR_OK);
    assert_int_equal(x, n2);
    /* districts of the configured province only, by name */
    struct names r = { .n = 0 };
    assert_int_equal(store_district_each(st, dist_cb, &r), ERR_OK);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.s[0], "Kocasinan/38");
    assert_string_equal(r.s[1], "Melikgazi/38");
    memset(&r, 0, sizeof(r));
    assert_int_equal(store_neighbourhood_each(st, melikgazi, nb_cb, &r), ERR_OK);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.s[0], "Anbar");
    assert_string_equal(r.s[1], "Yıldırım Beyazıt");
    assert_int_equal(r.id[1], n1);
    memset(&r, 0, sizeof(r));
    assert_int_equal(store_neighbourhood_each(st, 9999, nb_cb, &r), ERR_OK);
    assert_int_equal(r.n, 0);
    char name[64];
    int64_t d = 0;
    assert_int_equal(store_district_name(st, kocasinan, name, sizeof(name)), ERR_OK);
    assert_string_equal(name, "Kocasinan");
    assert_int_equal(store_district_name(st, 9999, name, sizeof(name)), ERR_NOT_FOUND);
    assert_int_equal(store_neighbourhood_name(st, n1, &d, name, sizeof(name)), ERR_OK);
    assert_string_equal(name, "Yıldırım Beyazıt");
    assert_int_equal(d, melikgazi);
    assert_int_equal(store_neighbourhood_name(st, n3, NULL, name, sizeof(name)), ERR_OK);
    assert_int_equal(store_neighbourhood_name(st, 9999, &d, name, sizeof(name)), ERR_NOT_FOUND);
}

struct hols {
    char s[8][64];
    int n;
};

static int hol_cb(void *ctx, const char *date, const char *name, bool half)
{
    struct hols *h = ctx;
    if (h->n < 8)
        snprintf(h->s[h->n++], 64, "%s %s%s", date, name, half ? " (half)" : "");
    return 0;
}

static void test_holidays(void **state)
{
    struct store *st = FX(state)->st;
    assert_int_equal(store_holiday_set(st, "2026-04-23", "Ulusal Egemenlik", false), ERR_OK);
    assert_int_equal(store_holiday_set(st, "2026-01-01", "Yılbaşı", false), ERR_OK);
    assert_int_equal(store_holiday_set(st, "2026-03-19", "Arife", true), ERR_OK);
    assert_int_equal(store_holiday_set(st, "2026-01-01", "Yeni yıl", false), ERR_OK); /* replace */
    struct hols h = { .n = 0 };
    assert_int_equal(store_holiday_each(st, hol_cb, &h), ERR_OK);
    assert_int_equal(h.n, 3); /* by date */
    assert_string_equal(h.s[0], "2026-01-01 Yeni yıl");
    assert_string_equal(h.s[1], "2026-03-19 Arife (half)");
    assert_string_equal(h.s[2], "2026-04-23 Ulusal Egemenlik");
    assert_int_equal(store_holiday_delete(st, "2026-03-19"), ERR_OK);
    assert_int_equal(store_holiday_delete(st, "2026-03-19"), ERR_NOT_FOUND);
    memset(&h, 0, sizeof(h));
    assert_int_equal(store_holiday_each(st, hol_cb, &h), ERR_OK);
    assert_int_equal(h.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_settings),   CONF_TEST(test_institutions), CONF_TEST(test_departments),
        CONF_TEST(test_categories), CONF_TEST(test_geography),    CONF_TEST(test_holidays),
    };
    return cmocka_run_group_tests_name("store_ref", tests, NULL, NULL);
}
