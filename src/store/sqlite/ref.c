/* SQLite backend: institutions, departments, categories, geography, holidays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "store/sqlite/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

int sqlite_institution_upsert(struct store *st, const char *code, const char *name,
                              const char *kind, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO institutions(code, name, kind) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind "
        "RETURNING id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, kind);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        if (id)
            *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    return rc;
}

int sqlite_institution_id(struct store *st, const char *code, int64_t *id)
{
    static const char sql[] = "SELECT id FROM institutions WHERE code = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, code);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    return rc;
}

int sqlite_institution_each(struct store *st,
                            int (*fn)(void *ctx, int64_t id, const char *code, const char *name,
                                      const char *kind),
                            void *ctx)
{
    static const char sql[] = "SELECT id, code, name, kind FROM institutions ORDER BY id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int r =
            fn(ctx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
               (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3));
        if (r) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_OK : db_err(st, rc);
}

#define DEPT_COLS                                                                                  \
    "d.id, d.code, d.parent_id, d.institution_id, i.code, d.name_tr, d.name_en, d.active "         \
    "FROM departments d JOIN institutions i ON i.id = d.institution_id "

static void dept_row(sqlite3_stmt *s, void *out)
{
    struct department *d = out;
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, d->code, sizeof(d->code));
    d->parent_id = sqlite3_column_int64(s, 2);
    d->institution_id = sqlite3_column_int64(s, 3);
    db_col_copy(s, 4, d->institution_code, sizeof(d->institution_code));
    db_col_copy(s, 5, d->name_tr, sizeof(d->name_tr));
    db_col_copy(s, 6, d->name_en, sizeof(d->name_en));
    d->active = sqlite3_column_int(s, 7) != 0;
}

int sqlite_department_upsert(struct store *st, struct department *d, struct err_detail *ed)
{
    static const char sql[] =
        "INSERT INTO departments(code, parent_id, institution_id, name_tr, name_en, active) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE SET "
        "parent_id = excluded.parent_id, institution_id = excluded.institution_id, "
        "name_tr = excluded.name_tr, name_en = excluded.name_en, active = excluded.active "
        "RETURNING id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, d->code);
    db_bind_id(s, 2, d->parent_id);
    db_bind_id(s, 3, d->institution_id);
    db_bind_text(s, 4, d->name_tr);
    db_bind_text(s, 5, d->name_en);
    sqlite3_bind_int(s, 6, d->active);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        d->id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    } else if (rc == ERR_CONFLICT || rc == ERR_NOT_FOUND) {
        rc = err_set(ed, ERR_UNPROCESSABLE, "parent", "unknown parent department or institution");
    }
    return rc;
}

int sqlite_department_get(struct store *st, int64_t id, struct department *out)
{
    static const char sql[] = "SELECT " DEPT_COLS "WHERE d.id = ?1";
    return db_get_one(st, sql, id, NULL, dept_row, out);
}

int sqlite_department_by_code(struct store *st, const char *code, struct department *out)
{
    static const char sql[] = "SELECT " DEPT_COLS "WHERE d.code = ?1";
    return db_get_one(st, sql, 0, code, dept_row, out);
}

int sqlite_department_list(struct store *st, struct department **out, size_t *n)
{
    static const char sql[] = "SELECT " DEPT_COLS "ORDER BY d.institution_id, d.code";
    return db_collect(st, db_stmt(st, sql), sizeof(**out), dept_row, NULL, NULL, NULL, (void **)out,
                      n);
}

bool sqlite_department_within(struct store *st, int64_t dept_id, int64_t ancestor_id)
{
    static const char sql[] =
        "WITH RECURSIVE up(id) AS (SELECT ?1 UNION ALL "
        "SELECT d.parent_id FROM departments d JOIN up ON d.id = up.id "
        "WHERE d.parent_id IS NOT NULL) SELECT 1 FROM up WHERE id = ?2 LIMIT 1";
    if (!dept_id || !ancestor_id)
        return false;
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return false;
    sqlite3_bind_int64(s, 1, dept_id);
    sqlite3_bind_int64(s, 2, ancestor_id);
    bool r = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    return r;
}

#define CAT_COLS                                                                                   \
    "c.id, c.code, c.department_id, d.code, c.name_tr, c.name_en, c.keywords, "                    \
    "c.first_response_days, c.sla_days, c.working_days, c.priority, c.redirect, c.active, "        \
    "c.folded, c.proof_required FROM categories c JOIN departments d ON d.id = c.department_id "

static void cat_row(sqlite3_stmt *s, void *out)
{
    struct category *c = out;
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, c->code, sizeof(c->code));
    c->department_id = sqlite3_column_int64(s, 2);
    db_col_copy(s, 3, c->department_code, sizeof(c->department_code));
    db_col_copy(s, 4, c->name_tr, sizeof(c->name_tr));
    db_col_copy(s, 5, c->name_en, sizeof(c->name_en));
    db_col_copy(s, 6, c->keywords, sizeof(c->keywords));
    c->first_response_days = sqlite3_column_int(s, 7);
    c->sla_days = sqlite3_column_int(s, 8);
    c->working_days = sqlite3_column_int(s, 9) != 0;
    db_col_copy(s, 10, c->priority, sizeof(c->priority));
    db_col_copy(s, 11, c->redirect, sizeof(c->redirect));
    c->active = sqlite3_column_int(s, 12) != 0;
    c->proof_required = sqlite3_column_int(s, 14) != 0;
}

int sqlite_category_upsert(struct store *st, struct category *c, struct err_detail *ed)
{
    static const char sql[] =
        "INSERT INTO categories(code, department_id, name_tr, name_en, keywords, folded, "
        "first_response_days, sla_days, working_days, priority, redirect, active, proof_required) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
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
    sqlite3_stmt *s = db_stmt(st, sql);
    int rc = ERR_STORE;
    if (!s || !folded)
        goto out;
    db_bind_text(s, 1, c->code);
    db_bind_id(s, 2, c->department_id);
    db_bind_text(s, 3, c->name_tr);
    db_bind_text(s, 4, c->name_en);
    db_bind_text(s, 5, c->keywords);
    db_bind_text(s, 6, folded);
    sqlite3_bind_int(s, 7, c->first_response_days);
    sqlite3_bind_int(s, 8, c->sla_days);
    sqlite3_bind_int(s, 9, c->working_days);
    db_bind_text(s, 10, c->priority);
    db_bind_text(s, 11, c->redirect);
    sqlite3_bind_int(s, 12, c->active);
    sqlite3_bind_int(s, 13, c->proof_required);
    rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        c->id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    } else if (rc == ERR_CONFLICT || rc == ERR_NOT_FOUND) {
        rc = err_set(ed, ERR_UNPROCESSABLE, "department", "unknown department or bad values");
    }
out:
    free(folded);
    return rc;
}

int sqlite_category_get(struct store *st, int64_t id, struct category *out)
{
    static const char sql[] = "SELECT " CAT_COLS "WHERE c.id = ?1";
    return db_get_one(st, sql, id, NULL, cat_row, out);
}

int sqlite_category_by_code(struct store *st, const char *code, struct category *out)
{
    static const char sql[] = "SELECT " CAT_COLS "WHERE c.code = ?1";
    return db_get_one(st, sql, 0, code, cat_row, out);
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

/* db_collect's filter: the row's folded text (column 13) holds every word of the query. */
static bool cat_matches(sqlite3_stmt *s, void *fq)
{
    return !fq || words_match((const char *)sqlite3_column_text(s, 13), fq);
}

int sqlite_category_list(struct store *st, const char *q, struct category **out, size_t *n)
{
    static const char sql_plain[] =
        "SELECT c.id, c.code, c.department_id, d.code, c.name_tr, c.name_en, c.keywords, "
        "c.first_response_days, c.sla_days, c.working_days, c.priority, c.redirect, c.active, "
        "c.folded, c.proof_required FROM categories c JOIN departments d ON d.id = c.department_id "
        "ORDER BY d.code, c.code";
    char *fq = q && *q ? nlp_fold(q, strlen(q), NULL) : NULL;
    *out = NULL;
    *n = 0;
    if (q && *q && !fq)
        return ERR_STORE;
    for (char *p = fq; p && *p; p++)
        if (*p == '_' || *p == ',')
            *p = ' ';
    int rc = db_collect(st, db_stmt(st, sql_plain), sizeof(**out), cat_row, cat_matches, fq, NULL,
                        (void **)out, n);
    free(fq);
    return rc;
}

int sqlite_district_upsert(struct store *st, const char *province, const char *name, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO districts(province, name, folded) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(province, name) DO UPDATE SET folded = excluded.folded RETURNING id";
    char *folded = nlp_fold(name, strlen(name), NULL);
    sqlite3_stmt *s = db_stmt(st, sql);
    int rc = ERR_STORE;
    if (!s || !folded)
        goto out;
    db_bind_text(s, 1, province);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, folded);
    rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
out:
    free(folded);
    return rc;
}

int sqlite_neighbourhood_upsert(struct store *st, int64_t district_id, const char *name,
                                int64_t *id)
{
    static const char sql[] =
        "INSERT INTO neighbourhoods(district_id, name) VALUES (?1, ?2) "
        "ON CONFLICT(district_id, name) DO UPDATE SET name = excluded.name RETURNING id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, district_id);
    db_bind_text(s, 2, name);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    return rc;
}

int sqlite_district_each(struct store *st,
                         int (*fn)(void *ctx, int64_t id, const char *name, const char *province),
                         void *ctx)
{
    static const char sql[] =
        "SELECT id, name, province FROM districts WHERE province = "
        "(SELECT value FROM settings WHERE key = 'province') ORDER BY name COLLATE NOCASE";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int r = fn(ctx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                   (const char *)sqlite3_column_text(s, 2));
        if (r) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_OK : db_err(st, rc);
}

int sqlite_neighbourhood_each(struct store *st, int64_t district_id,
                              int (*fn)(void *ctx, int64_t id, const char *name), void *ctx)
{
    static const char sql[] =
        "SELECT id, name FROM neighbourhoods WHERE district_id = ?1 ORDER BY name";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, district_id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int r = fn(ctx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1));
        if (r) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_OK : db_err(st, rc);
}

int sqlite_district_name(struct store *st, int64_t id, char *out, size_t outlen)
{
    static const char sql[] = "SELECT name FROM districts WHERE id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        db_col_copy(s, 0, out, outlen);
        sqlite3_reset(s);
    }
    return rc;
}

int sqlite_neighbourhood_name(struct store *st, int64_t id, int64_t *district_id, char *out,
                              size_t outlen)
{
    static const char sql[] = "SELECT name, district_id FROM neighbourhoods WHERE id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        db_col_copy(s, 0, out, outlen);
        if (district_id)
            *district_id = sqlite3_column_int64(s, 1);
        sqlite3_reset(s);
    }
    return rc;
}

int sqlite_holiday_set(struct store *st, const char *date, const char *name, bool half_day)
{
    static const char sql[] =
        "INSERT INTO holidays(day, name, half_day) VALUES (?1, ?2, ?3) ON CONFLICT(day) "
        "DO UPDATE SET name = excluded.name, half_day = excluded.half_day";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, date);
    db_bind_text(s, 2, name);
    sqlite3_bind_int(s, 3, half_day);
    return db_exec_stmt(st, s);
}

int sqlite_holiday_delete(struct store *st, const char *date)
{
    static const char sql[] = "DELETE FROM holidays WHERE day = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, date);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int sqlite_holiday_each(struct store *st,
                        int (*fn)(void *ctx, const char *date, const char *name, bool half_day),
                        void *ctx)
{
    static const char sql[] = "SELECT day, name, half_day FROM holidays ORDER BY day";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int r = fn(ctx, (const char *)sqlite3_column_text(s, 0),
                   (const char *)sqlite3_column_text(s, 1), sqlite3_column_int(s, 2) != 0);
        if (r) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_OK : db_err(st, rc);
}
