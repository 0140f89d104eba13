#include "core/open311.h"
#include "core/setup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/reference.h"
#include "nlp/turkish.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

struct district_ctx {
    struct store *st;
    int rc;
    struct err_detail *ed;
};

/* "Kocasinan" → "KOCASINAN" (folded, ASCII upper, non-letters as _). */
static void code_from_name(const char *name, char *out, size_t outlen)
{
    char *f = nlp_fold(name, strlen(name), NULL);
    size_t j = 0;
    for (const char *p = f ? f : ""; *p && j + 1 < outlen; p++)
        out[j++] = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
    out[j] = '\0';
    free(f);
}

/* Each district municipality gets an institution and a Beyaz Masa unit to hand local matters to. */
static int add_district_municipality(void *ctx, int64_t id, const char *name, const char *province)
{
    struct district_ctx *c = ctx;
    char code[28], icode[48], iname[200];
    struct department d = { 0 };
    (void)id, (void)province;
    code_from_name(name, code, sizeof(code));
    snprintf(icode, sizeof(icode), "ILCE_%s", code);
    snprintf(iname, sizeof(iname), "%s Belediyesi", name);
    if ((c->rc = store_institution_upsert(c->st, icode, iname, "district", &d.institution_id)) !=
        ERR_OK)
        return 1;
    snprintf(d.code, sizeof(d.code), "BM_%s", code);
    snprintf(d.name_tr, sizeof(d.name_tr), "%s Belediyesi Beyaz Masa", name);
    snprintf(d.name_en, sizeof(d.name_en), "%s Municipality Citizen Desk", name);
    d.active = true;
    if ((c->rc = store_department_upsert(c->st, &d, c->ed)) != ERR_OK)
        return 1;
    return 0;
}

/* Long on purpose: the reference data goes in as one sequence (institutions, departments,
 * categories, holidays, settings) inside one transaction. */
int setup_reference(struct store *st, const char *province, const char *province_name,
                    struct err_detail *ed)
{
    int64_t metro, water, ext;
    char name[200];
    int rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    snprintf(name, sizeof(name), "%s Büyükşehir Belediyesi", province_name);
    if ((rc = store_setting_set(st, "province", province)) != ERR_OK ||
        (rc = store_setting_set(st, "province_name", province_name)) != ERR_OK ||
        (rc = store_setting_set(st, "municipality", name)) != ERR_OK)
        goto out;
    /* the municipality's own promise for CİMER (the law allows 30 days) */
    char v[16];
    if (store_setting_get(st, "ceiling.cimer", v, sizeof(v)) == ERR_NOT_FOUND &&
        (rc = store_setting_set(st, "ceiling.cimer", "15")) != ERR_OK)
        goto out;
    if ((rc = store_institution_upsert(st, "METRO", name, "metropolitan", &metro)) != ERR_OK)
        goto out;
    snprintf(name, sizeof(name), "%s Su ve Kanalizasyon İdaresi", province_name);
    if ((rc = store_institution_upsert(st, "WATER", name, "affiliate", &water)) != ERR_OK ||
        (rc = store_institution_upsert(st, "EXT", "Diğer kurumlar (yetki dışı)", "external",
                                       &ext)) != ERR_OK)
        goto out;
    /* parents first: the table lists each top-level department before its units */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < ref_departments_len; i++) {
            const struct ref_department *r = &ref_departments[i];
            struct department d = { 0 }, parent;
            if ((pass == 0) != (r->parent == NULL))
                continue;
            str_copy(d.code, sizeof(d.code), r->code);
            str_copy(d.name_tr, sizeof(d.name_tr), r->name_tr);
            str_copy(d.name_en, sizeof(d.name_en), r->name_en);
            d.active = true;
            d.institution_id = strcmp(r->institution, "WATER") == 0 ? water
                               : strcmp(r->institution, "EXT") == 0 ? ext
                                                                    : metro;
            if (r->parent) {
                if ((rc = store_department_by_code(st, r->parent, &parent)) != ERR_OK)
                    goto out;
                d.parent_id = parent.id;
            }
            if ((rc = store_department_upsert(st, &d, ed)) != ERR_OK)
                goto out;
        }
    }
    for (size_t i = 0; i < ref_categories_len; i++) {
        const struct ref_category *r = &ref_categories[i];
        struct category c = { 0 }, old;
        struct department d;
        if (store_category_by_code(st, r->code, &old) == ERR_OK)
            continue; /* the admin may have edited it: never overwrite */
        if ((rc = store_department_by_code(st, r->department, &d)) != ERR_OK)
            goto out;
        str_copy(c.code, sizeof(c.code), r->code);
        c.department_id = d.id;
        str_copy(c.name_tr, sizeof(c.name_tr), r->name_tr);
        str_copy(c.name_en, sizeof(c.name_en), r->name_en);
        str_copy(c.keywords, sizeof(c.keywords), r->keywords ? r->keywords : "");
        c.first_response_days = r->first_response_days;
        c.sla_days = r->sla_days;
        c.working_days = r->working_days;
        str_copy(c.priority, sizeof(c.priority), r->priority);
        str_copy(c.redirect, sizeof(c.redirect), r->redirect ? r->redirect : "");
        c.active = true;
        if ((rc = store_category_upsert(st, &c, ed)) != ERR_OK)
            goto out;
    }
    if ((rc = core_o311_seed(st, ed)) != ERR_OK) /* Open311 attributes (issue 16) */
        goto out;
    for (size_t i = 0; i < calendar_default_holidays_len; i++) {
        const struct calendar_holiday *h = &calendar_default_holidays[i];
        if ((rc = store_holiday_set(st, h->date, h->name_tr, h->half_day)) != ERR_OK)
            goto out;
    }
    struct district_ctx dc = { st, ERR_OK, ed };
    store_district_each(st, add_district_municipality, &dc);
    if ((rc = dc.rc) != ERR_OK)
        goto out;
    rc = store_commit(st);
out:
    if (rc != ERR_OK) {
        store_rollback(st);
        if (ed && ed->code == ERR_OK)
            err_set(ed, rc, NULL, "could not set up the reference data");
    }
    return rc;
}
