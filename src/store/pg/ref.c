/* PostgreSQL backend: institutions, departments, categories, geography, holidays.
 * Text ordering uses COLLATE "C" (bytes), as SQLite's default BINARY collation does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "store/pg/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* Run a statement whose first column is a RETURNING id into *id (may be NULL). */
static int pg_returning_id(struct store *st, const char *sql, const struct pg_args *a, int64_t *id)
{
    PGresult *res;
    int rc = pg_one(st, sql, a, &res);
    if (rc == ERR_OK) {
        if (id)
            *id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

int pg_institution_upsert(struct store *st, const char *code, const char *name, const char *kind,
                          int64_t *id)
{
    static const char sql[] =
        "INSERT INTO institutions(code, name, kind) VALUES ($1, $2, $3) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind "
        "RETURNING id";
    struct pg_args a = { .n = 0 };
    pa_text(&a, code);
    pa_text(&a, name);
    pa_text(&a, kind);
    return pg_returning_id(st, sql, &a, id);
}

int pg_institution_id(struct store *st, const char *code, int64_t *id)
{
    static const char sql[] = "SELECT id FROM institutions WHERE code = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, code);
    return pg_returning_id(st, sql, &a, id);
}

int pg_institution_each(struct store *st,
                        int (*fn)(void *ctx, int64_t id, const char *code, const char *name,
                                  const char *kind),
                        void *ctx)
{
    static const char sql[] = "SELECT id, code, name, kind FROM institutions ORDER BY id";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    for (int i = 0; res && i < PQntuples(res); i++) {
        int r = fn(ctx, pg_int(res, i, 0), pg_str(res, i, 1), pg_str(res, i, 2), pg_str(res, i, 3));
        if (r) {
            rc = r;
            break;
        }
    }
    PQclear(res);
    return rc;
}

#define DEPT_COLS                                                                                  \
    "d.id, d.code, d.parent_id, d.institution_id, i.code, d.name_tr, d.name_en, d.active "         \
    "FROM departments d JOIN institutions i ON i.id = d.institution_id "

static void dept_row(const PGresult *res, int r, struct department *d)
{
    memset(d, 0, sizeof(*d));
    d->id = pg_int(res, r, 0);
    pg_copy(res, r, 1, d->code, sizeof(d->code));
    d->parent_id = pg_int(res, r, 2);
    d->institution_id = pg_int(res, r, 3);
    pg_copy(res, r, 4, d->institution_code, sizeof(d->institution_code));
    pg_copy(res, r, 5, d->name_tr, sizeof(d->name_tr));
    pg_copy(res, r, 6, d->name_en, sizeof(d->name_en));
    d->active = pg_int(res, r, 7) != 0;
}

int pg_department_upsert(struct store *st, struct department *d, struct err_detail *ed)
{
    static const char sql[] =
        "INSERT INTO departments(code, parent_id, institution_id, name_tr, name_en, active) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(code) DO UPDATE SET "
        "parent_id = excluded.parent_id, institution_id = excluded.institution_id, "
        "name_tr = excluded.name_tr, name_en = excluded.name_en, active = excluded.active "
        "RETURNING id";
    struct pg_args a = { .n = 0 };
    pa_text(&a, d->code);
    pa_id(&a, d->parent_id);
    pa_id(&a, d->institution_id);
    pa_text(&a, d->name_tr);
    pa_text(&a, d->name_en);
    pa_int(&a, d->active);
    int rc = pg_returning_id(st, sql, &a, &d->id);
    if (rc == ERR_CONFLICT || rc == ERR_NOT_FOUND)
        rc = err_set(ed, ERR_UNPROCESSABLE, "parent", "unknown parent department or institution");
    return rc;
}

static int dept_one(struct store *st, const char *sql, const struct pg_args *a,
                    struct department *out)
{
    PGresult *res;
    int rc = pg_one(st, sql, a, &res);
    if (rc == ERR_OK) {
        dept_row(res, 0, out);
        PQclear(res);
    }
    return rc;
}

int pg_department_get(struct store *st, int64_t id, struct department *out)
{
    static const char sql[] = "SELECT " DEPT_COLS "WHERE d.id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    return dept_one(st, sql, &a, out);
}

int pg_department_by_code(struct store *st, const char *code, struct department *out)
{
    static const char sql[] = "SELECT " DEPT_COLS "WHERE d.code = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, code);
    return dept_one(st, sql, &a, out);
}

int pg_department_list(struct store *st, struct department **out, size_t *n)
{
    static const char sql[] = "SELECT " DEPT_COLS "ORDER BY d.institution_id, d.code COLLATE \"C\"";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct department *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        dept_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

bool pg_department_within(struct store *st, int64_t dept_id, int64_t ancestor_id)
{
    static const char sql[] =
        "WITH RECURSIVE up(id) AS (SELECT $1::bigint UNION ALL "
        "SELECT d.parent_id FROM departments d JOIN up ON d.id = up.id "
        "WHERE d.parent_id IS NOT NULL) SELECT 1 FROM up WHERE id = $2 LIMIT 1";
    if (!dept_id || !ancestor_id)
        return false;
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_int(&a, dept_id);
    pa_int(&a, ancestor_id);
    bool r = pg_one(st, sql, &a, &res) == ERR_OK;
    PQclear(res);
    return r;
}

#define CAT_COLS                                                                                   \
    "c.id, c.code, c.department_id, d.code, c.name_tr, c.name_en, c.keywords, "                    \
    "c.first_response_days, c.sla_days, c.working_days, c.priority, c.redirect, c.active, "        \
    "c.folded, c.proof_required FROM categories c JOIN departments d ON d.id = c.department_id "

static void cat_row(const PGresult *res, int r, struct category *c)
{
    memset(c, 0, sizeof(*c));
    c->id = pg_int(res, r, 0);
    pg_copy(res, r, 1, c->code, sizeof(c->code));
    c->department_id = pg_int(res, r, 2);
    pg_copy(res, r, 3, c->department_code, sizeof(c->department_code));
    pg_copy(res, r, 4, c->name_tr, sizeof(c->name_tr));
    pg_copy(res, r, 5, c->name_en, sizeof(c->name_en));
    pg_copy(res, r, 6, c->keywords, sizeof(c->keywords));
    c->first_response_days = (int)pg_int(res, r, 7);
    c->sla_days = (int)pg_int(res, r, 8);
    c->working_days = pg_int(res, r, 9) != 0;
    pg_copy(res, r, 10, c->priority, sizeof(c->priority));
    pg_copy(res, r, 11, c->redirect, sizeof(c->redirect));
    c->active = pg_int(res, r, 12) != 0;
    c->proof_required = pg_int(res, r, 14) != 0;
}

int pg_category_upsert(struct store *st, struct category *c, struct err_detail *ed)
{
    static const char sql[] =
        "INSERT INTO categories(code, department_id, name_tr, name_en, keywords, folded, "
        "first_response_days, sla_days, working_days, priority, redirect, active, proof_required) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT(code) DO UPDATE "
        "SET department_id = excluded.department_id, name_tr = excluded.name_tr, "
        "name_en = excluded.name_en, keywords = excluded.keywords, folded = excluded.folded, "
        "first_response_days = excluded.first_response_days, sla_days = excluded.sla_days, "
        "working_days = excluded.working_days, priority = excluded.priority, "
        "redirect = excluded.redirect, active = excluded.active, "
        "proof_required = excluded.proof_required RETURNING id";
    char all[1024];
    snprintf(all, sizeof(all), "%s %s %s %s", c->code, c->name_tr, c->name_en, c->keywords);
    for (char *p = all; *p; p++)
        if (*p == '_')
            *p = ' ';
    char *folded = nlp_fold(all, strlen(all), NULL);
    struct pg_args a = { .n = 0 };
    int rc = ERR_STORE;
    if (!folded)
        goto out;
    pa_text(&a, c->code);
    pa_id(&a, c->department_id);
    pa_text(&a, c->name_tr);
    pa_text(&a, c->name_en);
    pa_text(&a, c->keywords);
    pa_text(&a, folded);
    pa_int(&a, c->first_response_days);
    pa_int(&a, c->sla_days);
    pa_int(&a, c->working_days);
    pa_text(&a, c->priority);
    pa_text(&a, c->redirect);
    pa_int(&a, c->active);
    pa_int(&a, c->proof_required);
    rc = pg_returning_id(st, sql, &a, &c->id);
    if (rc == ERR_CONFLICT || rc == ERR_NOT_FOUND)
        rc = err_set(ed, ERR_UNPROCESSABLE, "department", "unknown department or bad values");
out:
    free(folded);
    return rc;
}

static int cat_one(struct store *st, const char *sql, const struct pg_args *a, struct category *out)
{
    PGresult *res;
    int rc = pg_one(st, sql, a, &res);
    if (rc == ERR_OK) {
        cat_row(res, 0, out);
        PQclear(res);
    }
    return rc;
}

int pg_category_get(struct store *st, int64_t id, struct category *out)
{
    static const char sql[] = "SELECT " CAT_COLS "WHERE c.id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    return cat_one(st, sql, &a, out);
}

int pg_category_by_code(struct store *st, const char *code, struct category *out)
{
    static const char sql[] = "SELECT " CAT_COLS "WHERE c.code = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, code);
    return cat_one(st, sql, &a, out);
}

/* Does every space-separated word of q start some word of hay? Both are folded text. */
static bool words_match(const char *hay, const char *q)
{
    const char *w = q;
    while (*w) {
        while (*w == ' ')
            w++;
        if (!*w)
            break;
        size_t wl = strcspn(w, " ");
        bool found = false;
        for (const char *h = hay; *h && !found; h++) {
            bool start = h == hay || h[-1] == ' ' || h[-1] == '/' || h[-1] == '(' || h[-1] == '-';
            if (start && strncmp(h, w, wl) == 0)
                found = true;
        }
        if (!found)
            return false;
        w += wl;
    }
    return true;
}

/* The filter runs here rather than in SQL, exactly as on SQLite (the list is a few hundred
 * rows), so both backends match the same categories. */
int pg_category_list(struct store *st, const char *q, struct category **out, size_t *n)
{
    static const char sql[] =
        "SELECT " CAT_COLS "ORDER BY d.code COLLATE \"C\", c.code COLLATE \"C\"";
    char *fq = q && *q ? nlp_fold(q, strlen(q), NULL) : NULL;
    int rc = ERR_STORE;
    PGresult *res = NULL;
    if (q && *q && !fq)
        goto out;
    for (char *p = fq; p && *p; p++)
        if (*p == '_' || *p == ',')
            *p = ' ';
    if (!(res = pg_run(st, sql, NULL, &rc)))
        goto out;
    size_t len = 0, rows = (size_t)PQntuples(res);
    struct category *v = xmalloc((rows ? rows : 1) * sizeof(*v));
    for (size_t i = 0; i < rows; i++) {
        if (fq && !words_match(pg_str(res, (int)i, 13), fq))
            continue;
        cat_row(res, (int)i, &v[len++]);
    }
    *out = v;
    *n = len;
out:
    PQclear(res);
    free(fq);
    return rc;
}

int pg_district_upsert(struct store *st, const char *province, const char *name, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO districts(province, name, folded) VALUES ($1, $2, $3) "
        "ON CONFLICT(province, name) DO UPDATE SET folded = excluded.folded RETURNING id";
    char *folded = nlp_fold(name, strlen(name), NULL);
    struct pg_args a = { .n = 0 };
    int rc = ERR_STORE;
    if (!folded)
        goto out;
    pa_text(&a, province);
    pa_text(&a, name);
    pa_text(&a, folded);
    rc = pg_returning_id(st, sql, &a, id);
out:
    free(folded);
    return rc;
}

int pg_neighbourhood_upsert(struct store *st, int64_t district_id, const char *name, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO neighbourhoods(district_id, name) VALUES ($1, $2) "
        "ON CONFLICT(district_id, name) DO UPDATE SET name = excluded.name RETURNING id";
    struct pg_args a = { .n = 0 };
    pa_int(&a, district_id);
    pa_text(&a, name);
    return pg_returning_id(st, sql, &a, id);
}

int pg_district_each(struct store *st,
                     int (*fn)(void *ctx, int64_t id, const char *name, const char *province),
                     void *ctx)
{
    /* SQLite's NOCASE folds ASCII letters only, then compares bytes */
    static const char sql[] =
        "SELECT id, name, province FROM districts WHERE province = "
        "(SELECT value FROM settings WHERE key = 'province') ORDER BY "
        "translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') "
        "COLLATE \"C\", id";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    for (int i = 0; res && i < PQntuples(res); i++) {
        int r = fn(ctx, pg_int(res, i, 0), pg_str(res, i, 1), pg_str(res, i, 2));
        if (r) {
            rc = r;
            break;
        }
    }
    PQclear(res);
    return rc;
}

int pg_neighbourhood_each(struct store *st, int64_t district_id,
                          int (*fn)(void *ctx, int64_t id, const char *name), void *ctx)
{
    static const char sql[] = "SELECT id, name FROM neighbourhoods WHERE district_id = $1 "
                              "ORDER BY name COLLATE \"C\"";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, district_id);
    PGresult *res = pg_run(st, sql, &a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++) {
        int r = fn(ctx, pg_int(res, i, 0), pg_str(res, i, 1));
        if (r) {
            rc = r;
            break;
        }
    }
    PQclear(res);
    return rc;
}

int pg_district_name(struct store *st, int64_t id, char *out, size_t outlen)
{
    static const char sql[] = "SELECT name FROM districts WHERE id = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        pg_copy(res, 0, 0, out, outlen);
        PQclear(res);
    }
    return rc;
}

int pg_neighbourhood_name(struct store *st, int64_t id, int64_t *district_id, char *out,
                          size_t outlen)
{
    static const char sql[] = "SELECT name, district_id FROM neighbourhoods WHERE id = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        pg_copy(res, 0, 0, out, outlen);
        if (district_id)
            *district_id = pg_int(res, 0, 1);
        PQclear(res);
    }
    return rc;
}

int pg_holiday_set(struct store *st, const char *date, const char *name, bool half_day)
{
    static const char sql[] =
        "INSERT INTO holidays(day, name, half_day) VALUES ($1, $2, $3) ON CONFLICT(day) "
        "DO UPDATE SET name = excluded.name, half_day = excluded.half_day";
    struct pg_args a = { .n = 0 };
    pa_text(&a, date);
    pa_text(&a, name);
    pa_int(&a, half_day);
    return pg_exec(st, sql, &a, NULL);
}

int pg_holiday_delete(struct store *st, const char *date)
{
    static const char sql[] = "DELETE FROM holidays WHERE day = $1";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_text(&a, date);
    int rc = pg_exec(st, sql, &a, &changed);
    if (rc == ERR_OK && changed == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int pg_holiday_each(struct store *st,
                    int (*fn)(void *ctx, const char *date, const char *name, bool half_day),
                    void *ctx)
{
    static const char sql[] = "SELECT day, name, half_day FROM holidays ORDER BY day COLLATE \"C\"";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    for (int i = 0; res && i < PQntuples(res); i++) {
        int r = fn(ctx, pg_str(res, i, 0), pg_str(res, i, 1), pg_int(res, i, 2) != 0);
        if (r) {
            rc = r;
            break;
        }
    }
    PQclear(res);
    return rc;
}
