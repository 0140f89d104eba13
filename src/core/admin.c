#include "core/admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/audit.h"
#include "core/contact.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static bool valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > CORE_CODE_MAX)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* A name when given: non-empty valid UTF-8. */
static int check_name(const char *v, const char *field, struct err_detail *ed)
{
    if (v && (!*v || !nlp_utf8_valid(v, strlen(v))))
        return err_set(ed, ERR_INVALID, field, "%s must be non-empty UTF-8 text", field);
    return ERR_OK;
}

/* Commit when rc is ERR_OK, else roll back; a failure without detail is named by what. */
static int finish(struct store *st, int rc, const char *what, struct err_detail *ed)
{
    if (rc == ERR_OK)
        rc = store_commit(st);
    if (rc != ERR_OK) {
        store_rollback(st);
        if (ed && ed->code == ERR_OK)
            err_set(ed, rc, NULL, "could not store the %s", what);
    }
    return rc;
}

/* Check the input and find (update) or start (create) the department in *d. */
static int dept_start(struct store *st, const char *code, const struct dept_input *in,
                      struct department *d, struct err_detail *ed)
{
    int rc;
    memset(d, 0, sizeof(*d));
    if ((rc = check_name(in->name, "name", ed)) != ERR_OK ||
        (rc = check_name(in->name_en, "name_en", ed)) != ERR_OK)
        return rc;
    if (code) {
        if (in->code)
            return err_set(ed, ERR_INVALID, "code", "a department's code cannot change");
        rc = store_department_by_code(st, code, d);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_NOT_FOUND, NULL, "no such department");
        return rc;
    }
    if (!in->code || !valid_code(in->code))
        return err_set(ed, ERR_INVALID, "code", "code must be 2-39 of A-Z, 0-9 and _");
    if (!in->name)
        return err_set_named(ed, ERR_INVALID, "missing_field", "name", "name is required");
    rc = store_department_by_code(st, in->code, d);
    if (rc == ERR_OK)
        return err_set(ed, ERR_CONFLICT, "code", "department %s already exists", in->code);
    if (rc != ERR_NOT_FOUND)
        return rc;
    memset(d, 0, sizeof(*d));
    str_copy(d->code, sizeof(d->code), in->code);
    d->active = true;
    return ERR_OK;
}

/* Place d in the tree: institution, then parent (whose institution wins). */
static int dept_place(struct store *st, bool create, const struct dept_input *in,
                      struct department *d, struct err_detail *ed)
{
    struct department parent;
    int rc;
    if (in->institution) {
        rc = store_institution_id(st, in->institution, &d->institution_id);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_UNPROCESSABLE, "institution", "unknown institution");
        if (rc != ERR_OK)
            return rc;
    }
    if (in->parent) {
        rc = store_department_by_code(st, in->parent, &parent);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_UNPROCESSABLE, "parent", "unknown parent department");
        if (rc != ERR_OK)
            return rc;
        /* no cycles: the new parent must not be the department or one of its units */
        if (!create && store_department_within(st, parent.id, d->id))
            return err_set(ed, ERR_UNPROCESSABLE, "parent", "a department cannot be below itself");
        d->parent_id = parent.id;
        d->institution_id = parent.institution_id;
    }
    /* a new department with neither belongs to the metropolitan municipality */
    if (!d->institution_id &&
        (rc = store_institution_id(st, "METRO", &d->institution_id)) != ERR_OK)
        return err_set(ed, ERR_UNPROCESSABLE, "institution", "name the department's institution");
    return ERR_OK;
}

/* A department as a flat JSON object for the audit log into sb (released by the caller); its
 * parent by code ("" at the top). */
static const char *dept_json(struct strbuf *sb, struct store *st, const struct department *d)
{
    struct department p;
    bool has_parent = d->parent_id && store_department_get(st, d->parent_id, &p) == ERR_OK;
    audit_json_begin(sb);
    audit_json_str(sb, "code", d->code);
    audit_json_str(sb, "parent", has_parent ? p.code : "");
    audit_json_str(sb, "institution", d->institution_code);
    audit_json_str(sb, "name", d->name_tr);
    audit_json_str(sb, "name_en", d->name_en);
    audit_json_bool(sb, "active", d->active);
    return audit_json_end(sb);
}

int core_department_write(struct store *st, const char *code, const struct dept_input *in,
                          struct dept_result *out, struct err_detail *ed)
{
    struct department *d = &out->d, parent;
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
    int rc;
    memset(out, 0, sizeof(*out));
    strbuf_init(&before, 0);
    strbuf_init(&after, 0);
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = dept_start(st, code, in, d, ed)) != ERR_OK)
        goto out;
    if (code)
        dept_json(&before, st, d);
    if ((rc = dept_place(st, code == NULL, in, d, ed)) != ERR_OK)
        goto out;
    if ((in->name && !str_copy(d->name_tr, sizeof(d->name_tr), in->name)) ||
        (in->name_en && !str_copy(d->name_en, sizeof(d->name_en), in->name_en))) {
        rc = err_set(ed, ERR_INVALID, in->name_en ? "name_en" : "name", "name too long");
        goto out;
    }
    if (!in->name_en && !code)
        str_copy(d->name_en, sizeof(d->name_en), d->name_tr);
    if (in->active >= 0)
        d->active = in->active != 0;
    if ((rc = store_department_upsert(st, d, ed)) != ERR_OK ||
        (rc = store_department_get(st, d->id, d)) != ERR_OK)
        goto out;
    if (d->parent_id && (rc = store_department_get(st, d->parent_id, &parent)) == ERR_OK)
        str_copy(out->parent_code, sizeof(out->parent_code), parent.code);
    /* who created, renamed, moved or deactivated it, in the same transaction */
    if (rc == ERR_OK)
        rc = core_audit(st, "department", d->code, before.buf, dept_json(&after, st, d));
out:
    strbuf_release(&before);
    strbuf_release(&after);
    return finish(st, rc, "department", ed);
}

/* Check the input and find (update) or start (create) the category in *c. */
static int cat_start(struct store *st, const char *code, const struct cat_input *in,
                     struct category *c, struct err_detail *ed)
{
    int rc;
    memset(c, 0, sizeof(*c));
    if ((rc = check_name(in->name, "name", ed)) != ERR_OK ||
        (rc = check_name(in->name_en, "name_en", ed)) != ERR_OK ||
        (rc = check_name(in->keywords, "keywords", ed)) != ERR_OK ||
        (rc = check_name(in->redirect, "redirect", ed)) != ERR_OK)
        return rc;
    if (code) {
        if (in->code)
            return err_set(ed, ERR_INVALID, "code", "a category's code cannot change");
        rc = store_category_by_code(st, code, c);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_NOT_FOUND, NULL, "no such category");
        return rc;
    }
    if (!in->code || !valid_code(in->code))
        return err_set(ed, ERR_INVALID, "code", "code must be 2-39 of A-Z, 0-9 and _");
    if (!in->department)
        return err_set_named(ed, ERR_INVALID, "missing_field", "department",
                             "department is required");
    if (!in->name)
        return err_set_named(ed, ERR_INVALID, "missing_field", "name", "name is required");
    if (in->sla_days < 0)
        return err_set_named(ed, ERR_INVALID, "missing_field", "sla_days", "sla_days is required");
    rc = store_category_by_code(st, in->code, c);
    if (rc == ERR_OK)
        return err_set(ed, ERR_CONFLICT, "code", "category %s already exists", in->code);
    if (rc != ERR_NOT_FOUND)
        return rc;
    memset(c, 0, sizeof(*c));
    str_copy(c->code, sizeof(c->code), in->code);
    snprintf(c->priority, sizeof(c->priority), "normal");
    c->working_days = true;
    c->first_response_days = 1;
    c->active = true;
    return ERR_OK;
}

/* Apply the given fields of in to c and check the result. */
static int cat_apply(struct store *st, bool create, const struct cat_input *in, struct category *c,
                     struct err_detail *ed)
{
    struct department d;
    int rc;
    if (in->department) {
        rc = store_department_by_code(st, in->department, &d);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_UNPROCESSABLE, "department", "unknown department");
        if (rc != ERR_OK)
            return rc;
        c->department_id = d.id;
    }
    if (in->name && !str_copy(c->name_tr, sizeof(c->name_tr), in->name))
        return err_set(ed, ERR_INVALID, "name", "name too long");
    if (in->name_en && !str_copy(c->name_en, sizeof(c->name_en), in->name_en))
        return err_set(ed, ERR_INVALID, "name_en", "name_en too long");
    if (!in->name_en && create)
        str_copy(c->name_en, sizeof(c->name_en), c->name_tr);
    if (in->keywords && !str_copy(c->keywords, sizeof(c->keywords), in->keywords))
        return err_set(ed, ERR_INVALID, "keywords", "keywords too long");
    if (in->redirect && !str_copy(c->redirect, sizeof(c->redirect), in->redirect))
        return err_set(ed, ERR_INVALID, "redirect", "redirect too long");
    if (in->first_response_days >= 0)
        c->first_response_days = in->first_response_days;
    if (in->sla_days >= 0)
        c->sla_days = in->sla_days;
    if (in->working_days >= 0)
        c->working_days = in->working_days != 0;
    if (in->active >= 0)
        c->active = in->active != 0;
    if (in->proof_given)
        c->proof_required = in->proof_required;
    if (in->priority) {
        if (!core_word_in(core_priorities, in->priority))
            return err_set(ed, ERR_INVALID, "priority",
                           "priority must be low, normal, high or urgent");
        str_copy(c->priority, sizeof(c->priority), in->priority);
    }
    if (c->sla_days < 1 || c->first_response_days > c->sla_days)
        return err_set(ed, ERR_INVALID, "sla_days",
                       "sla_days must be at least 1 and not below first_response_days");
    return ERR_OK;
}

/* A category as a flat JSON object for the audit log into sb (released by the caller). */
static const char *cat_json(struct strbuf *sb, const struct category *c)
{
    audit_json_begin(sb);
    audit_json_str(sb, "code", c->code);
    audit_json_str(sb, "department", c->department_code);
    audit_json_str(sb, "name", c->name_tr);
    audit_json_str(sb, "name_en", c->name_en);
    audit_json_str(sb, "keywords", c->keywords);
    audit_json_int(sb, "first_response_days", c->first_response_days);
    audit_json_int(sb, "sla_days", c->sla_days);
    audit_json_bool(sb, "working_days", c->working_days);
    audit_json_str(sb, "priority", c->priority);
    audit_json_str(sb, "redirect", c->redirect);
    audit_json_bool(sb, "active", c->active);
    audit_json_bool(sb, "proof_required", c->proof_required);
    return audit_json_end(sb);
}

int core_category_write(struct store *st, const char *code, const struct cat_input *in,
                        struct category *out, struct err_detail *ed)
{
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
    int rc;
    strbuf_init(&before, 0);
    strbuf_init(&after, 0);
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = cat_start(st, code, in, out, ed)) != ERR_OK)
        goto out;
    if (code)
        cat_json(&before, out);
    if ((rc = cat_apply(st, code == NULL, in, out, ed)) != ERR_OK ||
        (rc = store_category_upsert(st, out, ed)) != ERR_OK ||
        (rc = store_category_get(st, out->id, out)) != ERR_OK)
        goto out;
    rc = core_audit(st, "category", out->code, before.buf, cat_json(&after, out));
out:
    strbuf_release(&before);
    strbuf_release(&after);
    return finish(st, rc, "category", ed);
}

int core_district_add(struct store *st, const char *name, int64_t *id, char province[16],
                      struct err_detail *ed)
{
    int rc;
    if ((rc = check_name(name, "name", ed)) != ERR_OK)
        return rc;
    if (!name)
        return err_set_named(ed, ERR_INVALID, "missing_field", "name", "name is required");
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if (store_setting_get(st, "province", province, 16) != ERR_OK)
        rc = ERR_STORE; /* `alo153 init` sets it: without it the database is not set up */
    else
        rc = store_district_upsert(st, province, name, id);
    return finish(st, rc, "district", ed);
}

int core_neighbourhood_add(struct store *st, int64_t district_id, const char *name, int64_t *id,
                           struct err_detail *ed)
{
    char dname[128];
    int rc;
    if ((rc = check_name(name, "name", ed)) != ERR_OK)
        return rc;
    if (!name)
        return err_set_named(ed, ERR_INVALID, "missing_field", "name", "name is required");
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    rc = store_district_name(st, district_id, dname, sizeof(dname));
    if (rc == ERR_NOT_FOUND)
        rc = err_set(ed, ERR_NOT_FOUND, NULL, "no such district");
    if (rc == ERR_OK)
        rc = store_neighbourhood_upsert(st, district_id, name, id);
    return finish(st, rc, "neighbourhood", ed);
}

struct holiday_find {
    const char *date;
    struct strbuf *sb;
};

static int holiday_match(void *ctx, const char *date, const char *name, bool half_day)
{
    struct holiday_find *f = ctx;
    if (strcmp(date, f->date) != 0)
        return 0;
    audit_json_begin(f->sb);
    audit_json_str(f->sb, "name", name);
    audit_json_bool(f->sb, "half_day", half_day);
    audit_json_end(f->sb);
    return 1;
}

/* The holiday of date as a JSON object into sb ("" when there is none). */
static void holiday_json(struct store *st, const char *date, struct strbuf *sb)
{
    struct holiday_find f = { date, sb };
    strbuf_init(sb, 0);
    store_holiday_each(st, holiday_match, &f);
}

int core_holiday_set(struct store *st, const char *date, const char *name, bool half_day,
                     struct err_detail *ed)
{
    int64_t day;
    int rc;
    if (!date || !time_parse_date(date, &day))
        return err_set(ed, ERR_INVALID, "date", "date must be YYYY-MM-DD");
    if (!name || !*name || !nlp_utf8_valid(name, strlen(name)))
        return err_set(ed, ERR_INVALID, "name", "name must be non-empty UTF-8 text");
    struct strbuf before, after;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    holiday_json(st, date, &before);
    audit_json_begin(&after);
    audit_json_str(&after, "name", name);
    audit_json_bool(&after, "half_day", half_day);
    audit_json_end(&after);
    if ((rc = store_holiday_set(st, date, name, half_day)) == ERR_OK)
        rc = core_audit(st, "holiday", date, before.buf, after.buf);
    strbuf_release(&before);
    strbuf_release(&after);
    if ((rc = finish(st, rc, "holiday", ed)) != ERR_OK)
        return rc;
    if ((rc = core_holidays_changed(st)) != ERR_OK) /* other processes see it (version) */
        return err_set(ed, rc, NULL, "could not store the holiday");
    return ERR_OK;
}

int core_holiday_delete(struct store *st, const char *date, struct err_detail *ed)
{
    int64_t day;
    int rc;
    if (!date || !time_parse_date(date, &day))
        return err_set(ed, ERR_NOT_FOUND, NULL, "no such holiday");
    struct strbuf before;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    holiday_json(st, date, &before);
    if ((rc = store_holiday_delete(st, date)) == ERR_OK)
        rc = core_audit(st, "holiday", date, before.buf, "");
    strbuf_release(&before);
    if (rc == ERR_NOT_FOUND)
        err_set(ed, rc, NULL, "no such holiday");
    if ((rc = finish(st, rc, "holiday", ed)) != ERR_OK)
        return rc;
    core_holidays_changed(st);
    return ERR_OK;
}

int core_settings_update(struct store *st, int cimer_ceiling_days, const char *municipality,
                         const char *queues, struct err_detail *ed)
{
    char buf[16], q[CORE_QUEUES_LEN];
    int rc;
    if (queues && (rc = core_queues_parse(queues, q, ed)) != ERR_OK)
        return rc;
    /* law 3071: CİMER applications are concluded within 30 days; a municipality may promise less */
    if (cimer_ceiling_days != -1 && (cimer_ceiling_days < 1 || cimer_ceiling_days > 30))
        return err_set(ed, ERR_INVALID, "cimer_ceiling_days", "between 1 and 30 days");
    if (municipality && (!*municipality || !nlp_utf8_valid(municipality, strlen(municipality))))
        return err_set(ed, ERR_INVALID, "municipality", "a non-empty name");
    snprintf(buf, sizeof(buf), "%d", cimer_ceiling_days);
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if (cimer_ceiling_days != -1)
        rc = core_setting_set(st, "ceiling.cimer", buf);
    if (rc == ERR_OK && municipality)
        rc = core_setting_set(st, "municipality", municipality);
    if (rc == ERR_OK && queues)
        rc = core_setting_set(st, "queues", q);
    return finish(st, rc, "settings", ed);
}

int core_setting_set(struct store *st, const char *key, const char *value)
{
    enum { OLD_MAX = 32768 }; /* the longest setting: the portal's notice (20,000 bytes) */
    struct strbuf before, after;
    char *old = xmalloc(OLD_MAX);
    /* the value read, written and audited in one (nested: a savepoint) transaction */
    int rc = store_begin(st);
    if (rc != ERR_OK) {
        free(old);
        return rc;
    }
    strbuf_init(&before, 0);
    rc = store_setting_get(st, key, old, OLD_MAX);
    if (rc == ERR_OK) {
        audit_json_begin(&before);
        audit_json_str(&before, "value", old);
        audit_json_end(&before);
    }
    audit_json_begin(&after);
    audit_json_str(&after, "value", value);
    audit_json_end(&after);
    if ((rc == ERR_OK || rc == ERR_NOT_FOUND) &&
        (rc = store_setting_set(st, key, value)) == ERR_OK &&
        (rc = core_audit(st, "setting", key, before.buf, after.buf)) == ERR_OK)
        rc = store_commit(st);
    if (rc != ERR_OK)
        store_rollback(st);
    strbuf_release(&before);
    strbuf_release(&after);
    free(old);
    return rc;
}
