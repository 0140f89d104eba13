/* SQLite backend: applications, their history, links and attachments. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "store/sqlite/db.h"
#include "store/sqlite/fts_turkish.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define APP_COLS APP_SEL "FROM applications a " APP_JOINS
#define APP_SEL                                                                                    \
    "a.id, a.tracking, a.access_code, a.kind, a.channel, a.priority, a.status, a.category_id, "    \
    "a.department_id, c.code, d.code, a.text, a.district_id, a.neighbourhood_id, a.address, "      \
    "a.lat, a.lon, a.citizen_id, a.created_by, a.created_at, a.updated_at, a.forwarded_at, "       \
    "a.first_response_due, a.resolution_due, a.first_response_at, a.responded_at, "                \
    "a.closed_at, a.hold_since, a.held_seconds, a.public_response, a.duplicate_of, a.redirect, "   \
    "dn.name, nb.name "
/* the reference names of a row of applications a */
#define APP_JOINS                                                                                  \
    "LEFT JOIN categories c ON c.id = a.category_id "                                              \
    "LEFT JOIN departments d ON d.id = a.department_id "                                           \
    "LEFT JOIN districts dn ON dn.id = a.district_id "                                             \
    "LEFT JOIN neighbourhoods nb ON nb.id = a.neighbourhood_id "

static void app_row(sqlite3_stmt *s, void *out)
{
    struct app *a = out;
    char status[24];
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, a->tracking, sizeof(a->tracking));
    db_col_copy(s, 2, a->access_code, sizeof(a->access_code));
    db_col_copy(s, 3, a->kind, sizeof(a->kind));
    db_col_copy(s, 4, a->channel, sizeof(a->channel));
    db_col_copy(s, 5, a->priority, sizeof(a->priority));
    db_col_copy(s, 6, status, sizeof(status));
    int st = lifecycle_status_parse(status);
    a->status = st < 0 ? ST_NEW : (enum app_status)st;
    a->category_id = sqlite3_column_int64(s, 7);
    a->department_id = sqlite3_column_int64(s, 8);
    db_col_copy(s, 9, a->category_code, sizeof(a->category_code));
    db_col_copy(s, 10, a->department_code, sizeof(a->department_code));
    a->text = db_col_dup(s, 11);
    a->district_id = sqlite3_column_int64(s, 12);
    a->neighbourhood_id = sqlite3_column_int64(s, 13);
    a->address = db_col_dup(s, 14);
    a->has_geo = sqlite3_column_type(s, 15) != SQLITE_NULL;
    a->lat = sqlite3_column_double(s, 15);
    a->lon = sqlite3_column_double(s, 16);
    a->citizen_id = sqlite3_column_int64(s, 17);
    a->created_by = sqlite3_column_int64(s, 18);
    a->created_at = sqlite3_column_int64(s, 19);
    a->updated_at = sqlite3_column_int64(s, 20);
    a->forwarded_at = sqlite3_column_int64(s, 21);
    a->first_response_due = sqlite3_column_int64(s, 22);
    a->resolution_due = sqlite3_column_int64(s, 23);
    a->first_response_at = sqlite3_column_int64(s, 24);
    a->responded_at = sqlite3_column_int64(s, 25);
    a->closed_at = sqlite3_column_int64(s, 26);
    a->hold_since = sqlite3_column_int64(s, 27);
    a->held_seconds = sqlite3_column_int64(s, 28);
    a->public_response = db_col_dup(s, 29);
    a->duplicate_of = sqlite3_column_int64(s, 30);
    a->redirect = db_col_dup(s, 31);
    db_col_copy(s, 32, a->district_name, sizeof(a->district_name));
    db_col_copy(s, 33, a->neighbourhood_name, sizeof(a->neighbourhood_name));
}

/* Bind the mutable columns shared by INSERT and UPDATE at ?2.. ?25. */
static void app_bind(sqlite3_stmt *s, const struct app *a)
{
    db_bind_text(s, 2, a->kind);
    db_bind_text(s, 3, a->channel);
    db_bind_text(s, 4, a->priority);
    db_bind_text(s, 5, lifecycle_status_name(a->status));
    db_bind_id(s, 6, a->category_id);
    db_bind_id(s, 7, a->department_id);
    db_bind_text(s, 8, a->text ? a->text : "");
    db_bind_id(s, 9, a->district_id);
    db_bind_id(s, 10, a->neighbourhood_id);
    db_bind_text(s, 11, a->address);
    if (a->has_geo) {
        sqlite3_bind_double(s, 12, a->lat);
        sqlite3_bind_double(s, 13, a->lon);
    }
    db_bind_id(s, 14, a->citizen_id);
    db_bind_id(s, 15, a->updated_at);
    db_bind_id(s, 16, a->forwarded_at);
    db_bind_id(s, 17, a->first_response_due);
    db_bind_id(s, 18, a->resolution_due);
    db_bind_id(s, 19, a->first_response_at);
    db_bind_id(s, 20, a->responded_at);
    db_bind_id(s, 21, a->closed_at);
    db_bind_id(s, 22, a->hold_since);
    sqlite3_bind_int64(s, 23, a->held_seconds);
    db_bind_text(s, 24, a->public_response);
    db_bind_id(s, 25, a->duplicate_of);
    db_bind_text(s, 26, a->redirect);
}

int sqlite_app_create(struct store *st, struct app *a, struct err_detail *ed)
{
    static const char sql_seq[] =
        "INSERT INTO tracking_seq(year, last) VALUES (?1, 1) ON CONFLICT(year) "
        "DO UPDATE SET last = last + 1 RETURNING last";
    static const char sql[] =
        "INSERT INTO applications(access_code, kind, channel, priority, status, category_id, "
        "department_id, text, district_id, neighbourhood_id, address, lat, lon, citizen_id, "
        "updated_at, forwarded_at, first_response_due, resolution_due, first_response_at, "
        "responded_at, closed_at, hold_since, held_seconds, public_response, duplicate_of, "
        "redirect, tracking, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, "
        "?27, ?28, ?29)";
    int year = time_civil_from_days(time_istanbul_day(a->created_at)).year;
    sqlite3_stmt *s = db_stmt(st, sql_seq);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int(s, 1, year);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_err(st, rc);
    }
    int64_t seq = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (!tracking_format(year, seq, a->tracking))
        return err_set(ed, ERR_CONFLICT, NULL, "tracking numbers for %d are exhausted", year);
    if (!(s = db_stmt(st, sql)))
        return ERR_STORE;
    db_bind_text(s, 1, a->access_code);
    app_bind(s, a);
    db_bind_text(s, 27, a->tracking);
    db_bind_id(s, 28, a->created_by);
    sqlite3_bind_int64(s, 29, a->created_at);
    rc = db_exec_stmt(st, s);
    if (rc == ERR_CONFLICT)
        return err_set(ed, ERR_UNPROCESSABLE, NULL,
                       "a referenced category, district, citizen or user does not exist");
    if (rc == ERR_OK)
        a->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

int sqlite_app_update(struct store *st, const struct app *a)
{
    /* text and address apart, and only when they changed: naming them in an UPDATE fires the
     * full-text index's trigger (applications_au), which re-stems the text, on every
     * lifecycle action otherwise */
    static const char sql[] =
        "UPDATE applications SET kind = ?2, channel = ?3, priority = ?4, status = ?5, "
        "category_id = ?6, department_id = ?7, district_id = ?9, "
        "neighbourhood_id = ?10, lat = ?12, lon = ?13, citizen_id = ?14, "
        "updated_at = ?15, forwarded_at = ?16, first_response_due = ?17, resolution_due = ?18, "
        "first_response_at = ?19, responded_at = ?20, closed_at = ?21, hold_since = ?22, "
        "held_seconds = ?23, public_response = ?24, duplicate_of = ?25, redirect = ?26 "
        "WHERE id = ?1";
    /* asked first: an UPDATE of applications that can fire the trigger plans two passes and an
     * ephemeral table even when its WHERE then matches nothing (a third of an update's cost) */
    static const char sql_changed[] =
        "SELECT 1 FROM applications WHERE id = ?1 AND (text IS NOT ?2 OR address IS NOT ?3)";
    static const char sql_text[] = "UPDATE applications SET text = ?2, address = ?3 "
                                   "WHERE id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, a->id);
    app_bind(s, a);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        return ERR_NOT_FOUND;
    if (rc != ERR_OK || !(s = db_stmt(st, sql_changed)))
        return rc != ERR_OK ? rc : ERR_STORE;
    sqlite3_bind_int64(s, 1, a->id);
    db_bind_text(s, 2, a->text ? a->text : "");
    db_bind_text(s, 3, a->address);
    rc = db_step_row(st, s);
    sqlite3_reset(s);
    if (rc != ERR_OK || !(s = db_stmt(st, sql_text)))
        return rc == ERR_NOT_FOUND ? ERR_OK : rc != ERR_OK ? rc : ERR_STORE;
    sqlite3_bind_int64(s, 1, a->id);
    db_bind_text(s, 2, a->text ? a->text : "");
    db_bind_text(s, 3, a->address);
    return db_exec_stmt(st, s);
}

int sqlite_app_get(struct store *st, int64_t id, struct app *out)
{
    static const char sql[] = "SELECT " APP_COLS "WHERE a.id = ?1";
    return db_get_one(st, sql, id, NULL, app_row, out);
}

int sqlite_app_by_tracking(struct store *st, const char *tracking, struct app *out)
{
    static const char sql[] = "SELECT " APP_COLS "WHERE a.tracking = ?1";
    return db_get_one(st, sql, 0, tracking, app_row, out);
}

/* Build the WHERE clause of a list/count query into sb and bind its values afterwards.
 * Values are collected in order; placeholders are numbered from 1. */
struct where {
    struct strbuf sql;
    int n;
    struct {
        int type; /* 0 int, 1 text */
        int64_t i;
        const char *t;
    } v[24];
    char reach[DEPT_REACH_MAX * 21 + 3]; /* a limited reach's roots, "[3,7]" (where_reach) */
    bool fts_only;                       /* the full-text condition is the only one (build_where) */
};

static void where_int(struct where *w, const char *clause, int64_t v)
{
    strbuf_addf(&w->sql, " AND %s ?%d", clause, w->n + 1);
    w->v[w->n].type = 0;
    w->v[w->n++].i = v;
}

static void where_text(struct where *w, const char *clause, const char *t)
{
    strbuf_addf(&w->sql, " AND %s ?%d", clause, w->n + 1);
    w->v[w->n].type = 1;
    w->v[w->n++].t = t;
}

/* The roots of a limited reach as a JSON array ("[3,7]") into b, for json_each. */
static void reach_json(const struct dept_reach *r, struct strbuf *b)
{
    strbuf_adds(b, "[");
    for (size_t i = 0; i < r->n && i < DEPT_REACH_MAX; i++)
        strbuf_addf(b, "%s%" PRId64, i ? "," : "", r->root[i]);
    strbuf_adds(b, "]");
}

/* Only the subtrees of a limited reach's roots (no root: nothing). */
static void where_reach(struct where *w, const struct dept_reach *r)
{
    struct strbuf b;
    strbuf_init(&b, 0);
    reach_json(r, &b);
    str_copy(w->reach, sizeof(w->reach), b.buf);
    strbuf_release(&b);
    strbuf_addf(&w->sql,
                " AND a.department_id IN (WITH RECURSIVE sub(id) AS (SELECT value FROM "
                "json_each(?%d) UNION SELECT d2.id FROM departments d2 JOIN sub ON d2.parent_id = "
                "sub.id) SELECT id FROM sub)",
                w->n + 1);
    w->v[w->n].type = 1;
    w->v[w->n++].t = w->reach;
}

/* Department dept_id and every unit below it. */
static void where_subtree(struct where *w, int64_t dept_id)
{
    strbuf_addf(&w->sql,
                " AND a.department_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM departments "
                "WHERE id = ?%d UNION ALL SELECT d2.id FROM departments d2 JOIN sub ON "
                "d2.parent_id = sub.id) SELECT id FROM sub)",
                w->n + 1);
    w->v[w->n].type = 0;
    w->v[w->n++].i = dept_id;
}

static int build_where(const struct app_filter *f, struct where *w, char **fts)
{
    *fts = NULL;
    strbuf_adds(&w->sql, " WHERE 1=1");
    if (f->statuses) {
        strbuf_adds(&w->sql, " AND a.status IN (");
        bool first = true;
        for (int st = 0; st < ST__COUNT; st++)
            if (f->statuses & (1u << st)) {
                strbuf_addf(&w->sql, "%s'%s'", first ? "" : ",", lifecycle_status_name(st));
                first = false;
            }
        strbuf_adds(&w->sql, ")");
    }
    if (f->department_id)
        where_subtree(w, f->department_id);
    if (f->reach.limited)
        where_reach(w, &f->reach);
    if (f->category_id)
        where_int(w, "a.category_id =", f->category_id);
    if (f->district_id)
        where_int(w, "a.district_id =", f->district_id);
    if (f->neighbourhood_id)
        where_int(w, "a.neighbourhood_id =", f->neighbourhood_id);
    if (f->citizen_id)
        where_int(w, "a.citizen_id =", f->citizen_id);
    if (f->channel[0])
        where_text(w, "a.channel =", f->channel);
    if (f->kind[0])
        where_text(w, "a.kind =", f->kind);
    if (f->priority[0])
        where_text(w, "a.priority =", f->priority);
    if (f->from)
        where_int(w, "a.created_at >=", f->from);
    if (f->to)
        where_int(w, "a.created_at <", f->to);
    if (f->overdue) {
        strbuf_adds(&w->sql,
                    " AND a.status IN ('forwarded','in_progress') AND a.hold_since IS NULL");
        where_int(w, "a.resolution_due <", f->now);
    }
    /* every condition above is text added to the WHERE: none was when it is still bare */
    bool bare = w->sql.len == strlen(" WHERE 1=1");
    if (f->q && *f->q) {
        if (fts_turkish_query(f->q, fts) != SQLITE_OK)
            return ERR_INVALID;
        /* the full-text index drives the query (fts_from): it hands its matches out in rowid
         * order, newest first, and stops at the page's end, where "a.id IN (SELECT rowid ...
         * MATCH)" collected every match into a temporary b-tree first, for the page and again
         * for its count */
        if (*fts)
            where_text(w, "applications_fts MATCH", *fts);
        w->fts_only = bare && *fts;
    }
    return ERR_OK;
}

static void bind_where(sqlite3_stmt *s, const struct where *w)
{
    for (int i = 0; i < w->n; i++) {
        if (w->v[i].type == 1)
            sqlite3_bind_text(s, i + 1, w->v[i].t, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(s, i + 1, w->v[i].i);
    }
}

/* Rows without a deadline sort after every real one. The expression of the index
 * applications_due_order (migration 020): change both together, or sort=due reads and sorts
 * the whole table again. The keyset condition stays an OR: SQLite turns it into one range of
 * that index (a row value (expr, id) > (?, ?) it would not). */
#define DUE_EXPR "coalesce(a.resolution_due, 9223372036854775807)"

/* The FROM of a list (with the reference joins) or a count (without). With a full-text
 * condition (build_where's "applications_fts MATCH") the index is the first table: its rowid
 * is the application's id. */
static void list_from(struct strbuf *sql, const char *fts, bool joins)
{
    strbuf_adds(sql, fts && *fts ? "FROM applications_fts JOIN applications a ON a.id = "
                                   "applications_fts.rowid "
                                 : "FROM applications a ");
    if (joins)
        strbuf_adds(sql, APP_JOINS);
}

int sqlite_app_list(struct store *st, const struct app_filter *f, struct app **out, size_t *n,
                    int64_t *next, int64_t *next_due)
{
    struct where w = { .n = 0 };
    struct strbuf sql;
    char *fts = NULL;
    sqlite3_stmt *s = NULL;
    struct app *v = NULL;
    size_t len = 0;
    int limit = f->limit < 1 ? 50 : f->limit > 500 ? 500 : f->limit;
    int rc;
    strbuf_init(&w.sql, 0);
    strbuf_init(&sql, 0);
    if ((rc = build_where(f, &w, &fts)) != ERR_OK)
        goto out;
    /* newest first by the id the query is driven by: the index's rowid under a search (FTS5
     * walks its matches backwards and the LIMIT ends the walk), else the table's */
    const char *id = fts && *fts ? "applications_fts.rowid" : "a.id";
    if (f->by_due) {
        if (f->after) {
            strbuf_addf(&w.sql, " AND (" DUE_EXPR " > ?%d OR (" DUE_EXPR " = ?%d AND a.id > ?%d))",
                        w.n + 1, w.n + 1, w.n + 2);
            w.v[w.n].type = 0;
            w.v[w.n++].i = f->after_due;
            w.v[w.n].type = 0;
            w.v[w.n++].i = f->after;
        }
        strbuf_addf(&w.sql, " ORDER BY " DUE_EXPR ", a.id LIMIT %d", limit + 1);
    } else {
        if (f->after) {
            strbuf_addf(&w.sql, " AND %s < ?%d", id, w.n + 1);
            w.v[w.n].type = 0;
            w.v[w.n++].i = f->after;
        }
        strbuf_addf(&w.sql, " ORDER BY %s DESC LIMIT %d", id, limit + 1);
    }
    if (f->by_due && f->statuses) {
        /* a filtered deadline order (a department's inbox: the open statuses) is sorted, not
         * walked: sort only (deadline, id) and read the page's rows afterwards, instead of
         * sorting every open row whole */
        strbuf_adds(&sql, "SELECT " APP_SEL "FROM applications a " APP_JOINS
                          "WHERE a.id IN (SELECT a.id ");
        list_from(&sql, fts, false);
        strbuf_add(&sql, w.sql.buf, w.sql.len);
        strbuf_adds(&sql, ") ORDER BY " DUE_EXPR ", a.id");
    } else {
        strbuf_adds(&sql, "SELECT " APP_SEL);
        list_from(&sql, fts, true);
        strbuf_add(&sql, w.sql.buf, w.sql.len);
    }
    if (!(s = db_stmt_dyn(st, sql.buf))) {
        rc = db_err(st, SQLITE_ERROR);
        goto out;
    }
    bind_where(s, &w);
    v = xmalloc((size_t)(limit + 1) * sizeof(*v));
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW)
        app_row(s, &v[len++]);
    if (sr != SQLITE_DONE) {
        rc = db_err(st, sr);
        goto out;
    }
    *next = 0;
    if (next_due)
        *next_due = 0;
    if (len > (size_t)limit) {
        app_release(&v[--len]);
        *next = v[len - 1].id;
        if (next_due)
            *next_due = v[len - 1].resolution_due ? v[len - 1].resolution_due : INT64_MAX;
    }
    *out = v;
    *n = len;
    v = NULL;
    len = 0;
out:
    for (size_t i = 0; i < len; i++)
        app_release(&v[i]);
    free(v);
    if (s) { /* cached (db_stmt_dyn): reset, and let go of the bound texts freed below */
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    strbuf_release(&w.sql);
    strbuf_release(&sql);
    free(fts);
    return rc;
}

int sqlite_app_count(struct store *st, const struct app_filter *f, int64_t *count)
{
    struct where w = { .n = 0 };
    struct strbuf sql;
    char *fts = NULL;
    sqlite3_stmt *s = NULL;
    int rc;
    strbuf_init(&w.sql, 0);
    strbuf_init(&sql, 0);
    if ((rc = build_where(f, &w, &fts)) != ERR_OK)
        goto out;
    /* capped: count at most count_cap + 1 rows (the caller shows "1.000+") */
    strbuf_adds(&sql, f->count_cap > 0 ? "SELECT count(*) FROM (SELECT 1 " : "SELECT count(*) ");
    if (w.fts_only) {
        /* a search with no other condition (an oversight role's): the index has one row per
         * application (migration 001's triggers keep it so), so it is counted alone, without
         * reading each match's row — that join was 44 % of a search page */
        strbuf_adds(&sql, "FROM applications_fts WHERE applications_fts MATCH ?1");
    } else {
        list_from(&sql, fts, false);
        strbuf_add(&sql, w.sql.buf, w.sql.len);
    }
    if (f->count_cap > 0)
        strbuf_addf(&sql, " LIMIT %lld)", (long long)f->count_cap + 1);
    if (!(s = db_stmt_dyn(st, sql.buf))) {
        rc = db_err(st, SQLITE_ERROR);
        goto out;
    }
    bind_where(s, &w);
    int sr = sqlite3_step(s);
    if (sr != SQLITE_ROW) {
        rc = db_err(st, sr);
        goto out;
    }
    *count = sqlite3_column_int64(s, 0);
out:
    if (s) { /* cached (db_stmt_dyn): reset, and let go of the bound texts freed below */
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    strbuf_release(&w.sql);
    strbuf_release(&sql);
    free(fts);
    return rc;
}

int sqlite_event_add(struct store *st, struct app_event *e)
{
    static const char sql[] =
        "INSERT INTO events(app_id, at, user_id, action, from_status, to_status, note, public) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, e->app_id);
    sqlite3_bind_int64(s, 2, e->at);
    db_bind_id(s, 3, e->user_id);
    db_bind_text(s, 4, e->action);
    db_bind_text(s, 5, e->from_status >= 0 ? lifecycle_status_name(e->from_status) : NULL);
    db_bind_text(s, 6, e->to_status >= 0 ? lifecycle_status_name(e->to_status) : NULL);
    db_bind_text(s, 7, e->note);
    sqlite3_bind_int(s, 8, e->public);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        e->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

static void event_row(sqlite3_stmt *s, void *rec)
{
    struct app_event *e = rec;
    char from[24], to[24];
    e->id = sqlite3_column_int64(s, 0);
    e->app_id = sqlite3_column_int64(s, 1);
    e->at = sqlite3_column_int64(s, 2);
    e->user_id = sqlite3_column_int64(s, 3);
    db_col_copy(s, 4, e->user_name, sizeof(e->user_name));
    db_col_copy(s, 5, e->action, sizeof(e->action));
    db_col_copy(s, 6, from, sizeof(from));
    db_col_copy(s, 7, to, sizeof(to));
    e->from_status = lifecycle_status_parse(from);
    e->to_status = lifecycle_status_parse(to);
    e->note = db_col_dup(s, 8);
    e->public = sqlite3_column_int(s, 9) != 0;
}

static void event_release(void *rec)
{
    app_event_release(rec);
}

int sqlite_event_list(struct store *st, int64_t app_id, bool public_only, struct app_event **out,
                      size_t *n)
{
    static const char sql[] =
        "SELECT e.id, e.app_id, e.at, e.user_id, u.full_name, e.action, e.from_status, "
        "e.to_status, e.note, e.public FROM events e LEFT JOIN users u ON u.id = e.user_id "
        "WHERE e.app_id = ?1 AND (?2 = 0 OR e.public = 1) ORDER BY e.id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s) {
        sqlite3_bind_int64(s, 1, app_id);
        sqlite3_bind_int(s, 2, public_only);
    }
    return db_collect(st, s, sizeof(**out), event_row, NULL, NULL, event_release, (void **)out, n);
}

int sqlite_link_add(struct store *st, int64_t app_id, int64_t other_id, const char *kind)
{
    static const char sql[] = "INSERT INTO links(app_id, other_id, kind) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT(app_id, other_id) DO UPDATE SET kind = excluded.kind";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, app_id);
    sqlite3_bind_int64(s, 2, other_id);
    db_bind_text(s, 3, kind);
    return db_exec_stmt(st, s);
}

int sqlite_link_each(struct store *st, int64_t app_id,
                     int (*fn)(void *ctx, int64_t other_id, const char *tracking, const char *kind),
                     void *ctx)
{
    static const char sql[] =
        "SELECT l.other_id, a.tracking, l.kind FROM links l JOIN applications a "
        "ON a.id = l.other_id WHERE l.app_id = ?1 UNION "
        "SELECT l.app_id, a.tracking, l.kind FROM links l JOIN applications a "
        "ON a.id = l.app_id WHERE l.other_id = ?1 ORDER BY 1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, app_id);
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

int sqlite_attachment_add(struct store *st, struct attachment *at, const void *data, size_t len)
{
    static const char sql_blob[] =
        "INSERT INTO blobs(hash, size, data) VALUES (?1, ?2, ?3) ON CONFLICT(hash) DO NOTHING";
    static const char sql[] =
        "INSERT INTO attachments(app_id, hash, mime, filename, created_at, stage, width, height, "
        "taken_at, lat, lon, geo_source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12)";
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(at->hash, sizeof(at->hash), digest, sizeof(digest));
    at->size = (int64_t)len;
    sqlite3_stmt *s = db_stmt(st, sql_blob);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, at->hash);
    sqlite3_bind_int64(s, 2, (int64_t)len);
    sqlite3_bind_blob(s, 3, data, (int)len, SQLITE_STATIC);
    int rc = db_exec_stmt(st, s);
    if (rc != ERR_OK)
        return rc;
    if (!(s = db_stmt(st, sql)))
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, at->app_id);
    db_bind_text(s, 2, at->hash);
    db_bind_text(s, 3, at->mime);
    db_bind_text(s, 4, at->filename);
    sqlite3_bind_int64(s, 5, at->created_at);
    db_bind_text(s, 6, at->stage);
    sqlite3_bind_int(s, 7, at->width);
    sqlite3_bind_int(s, 8, at->height);
    if (at->taken_at)
        sqlite3_bind_int64(s, 9, at->taken_at);
    if (at->has_geo) {
        sqlite3_bind_double(s, 10, at->lat);
        sqlite3_bind_double(s, 11, at->lon);
    }
    db_bind_text(s, 12, at->has_geo ? at->geo_source : "");
    rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        at->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

static void attachment_row(sqlite3_stmt *s, void *rec)
{
    struct attachment *a = rec;
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(s, 0);
    a->app_id = sqlite3_column_int64(s, 1);
    db_col_copy(s, 2, a->hash, sizeof(a->hash));
    db_col_copy(s, 3, a->mime, sizeof(a->mime));
    db_col_copy(s, 4, a->filename, sizeof(a->filename));
    a->size = sqlite3_column_int64(s, 5);
    a->created_at = sqlite3_column_int64(s, 6);
    db_col_copy(s, 7, a->stage, sizeof(a->stage));
    a->width = sqlite3_column_int(s, 8);
    a->height = sqlite3_column_int(s, 9);
    a->taken_at = sqlite3_column_int64(s, 10);
    a->has_geo = sqlite3_column_type(s, 11) != SQLITE_NULL;
    a->lat = sqlite3_column_double(s, 11);
    a->lon = sqlite3_column_double(s, 12);
    db_col_copy(s, 13, a->geo_source, sizeof(a->geo_source));
}

int sqlite_attachment_list(struct store *st, int64_t app_id, struct attachment **out, size_t *n)
{
    static const char sql[] =
        "SELECT t.id, t.app_id, t.hash, t.mime, t.filename, b.size, t.created_at, t.stage, "
        "t.width, t.height, t.taken_at, t.lat, t.lon, t.geo_source "
        "FROM attachments t JOIN blobs b ON b.hash = t.hash WHERE t.app_id = ?1 ORDER BY t.id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s)
        sqlite3_bind_int64(s, 1, app_id);
    return db_collect(st, s, sizeof(**out), attachment_row, NULL, NULL, NULL, (void **)out, n);
}

int sqlite_attachment_get(struct store *st, int64_t app_id, int64_t id, struct attachment *meta,
                          void **data, size_t *len)
{
    static const char sql[] =
        "SELECT t.id, t.app_id, t.hash, t.mime, t.filename, b.size, t.created_at, t.stage, "
        "t.width, t.height, t.taken_at, t.lat, t.lon, t.geo_source, b.data "
        "FROM attachments t JOIN blobs b ON b.hash = t.hash WHERE t.app_id = ?1 AND t.id = ?2";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, app_id);
    sqlite3_bind_int64(s, 2, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(st, rc);
    }
    attachment_row(s, meta);
    size_t n = (size_t)sqlite3_column_bytes(s, 14);
    void *p = xmalloc(n);
    if (n)
        memcpy(p, sqlite3_column_blob(s, 14), n);
    sqlite3_reset(s);
    *data = p;
    *len = n;
    return ERR_OK;
}

int sqlite_app_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                           const struct dept_reach *reach,
                           int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    /* ?3: 1 when the reach is limited, ?4 its roots (a JSON array); a root's subtree once
     * even when two roots overlap (UNION) */
#define SUB_SCOPE                                                                                  \
    "(?3 = 0 OR a.department_id IN (WITH RECURSIVE sub(id) AS (SELECT value FROM json_each(?4) "   \
    "UNION SELECT d2.id FROM departments d2 JOIN sub ON d2.parent_id = sub.id) SELECT id FROM "    \
    "sub))"
    static const char sql_status[] =
        "SELECT a.status, count(*) FROM applications a WHERE a.created_at >= ?1 AND "
        "a.created_at < ?2 AND " SUB_SCOPE " GROUP BY 1 ORDER BY 1";
    static const char sql_dept[] =
        "SELECT coalesce(d.code, ''), count(*) FROM applications a LEFT JOIN departments d ON "
        "d.id = a.department_id WHERE a.created_at >= ?1 AND a.created_at < ?2 AND " SUB_SCOPE
        " GROUP BY 1 ORDER BY 1";
    static const char sql_channel[] =
        "SELECT a.channel, count(*) FROM applications a WHERE a.created_at >= ?1 AND "
        "a.created_at < ?2 AND " SUB_SCOPE " GROUP BY 1 ORDER BY 1";
    /* the dashboard's period figures (GET /api/v1/stats?from=&to=); days are Istanbul days
     * (UTC+3) as day numbers since 1970-01-01 */
#define RESOLVED_AT "coalesce(a.responded_at, a.closed_at)"
    static const char sql_day[] =
        "SELECT (a.created_at + 10800) / 86400, count(*) FROM applications a WHERE a.created_at "
        ">= ?1 AND a.created_at < ?2 AND " SUB_SCOPE " GROUP BY 1 ORDER BY 1";
    static const char sql_resolved_day[] =
        "SELECT (" RESOLVED_AT " + 10800) / 86400, count(*) FROM applications a WHERE a.status "
        "IN ('resolved', 'closed') AND " RESOLVED_AT " >= ?1 AND " RESOLVED_AT
        " < ?2 AND " SUB_SCOPE " GROUP BY 1 ORDER BY 1";
    static const char sql_created_by[] =
        "SELECT coalesce(u.username, ''), count(*) FROM applications a LEFT JOIN users u ON u.id "
        "= a.created_by WHERE a.created_at >= ?1 AND a.created_at < ?2 AND " SUB_SCOPE
        " GROUP BY 1 ORDER BY 1";
    static const char sql_closed_by[] =
        "SELECT coalesce(u.username, ''), count(*) FROM events e JOIN applications a ON a.id = "
        "e.app_id LEFT JOIN users u ON u.id = e.user_id WHERE e.to_status = 'closed' AND e.at >= "
        "?1 AND e.at < ?2 AND " SUB_SCOPE " GROUP BY 1 ORDER BY 1";
    static const char sql_resolved_dept[] =
        "SELECT coalesce(d.code, ''), count(*) FROM applications a LEFT JOIN departments d ON "
        "d.id = a.department_id WHERE a.status IN ('resolved', 'closed') AND " RESOLVED_AT
        " >= ?1 AND " RESOLVED_AT " < ?2 AND " SUB_SCOPE " GROUP BY 1 ORDER BY 1";
    static const char sql_ontime_dept[] =
        "SELECT coalesce(d.code, ''), count(*) FROM applications a LEFT JOIN departments d ON "
        "d.id = a.department_id WHERE a.status IN ('resolved', 'closed') AND " RESOLVED_AT
        " >= ?1 AND " RESOLVED_AT " < ?2 AND (a.resolution_due IS NULL OR " RESOLVED_AT
        " <= a.resolution_due) AND " SUB_SCOPE " GROUP BY 1 ORDER BY 1";
#undef SUB_SCOPE
#undef RESOLVED_AT
    static const struct {
        const char *dim, *sql;
    } dims[] = {
        { "day", sql_day },
        { "resolved_day", sql_resolved_day },
        { "created_by", sql_created_by },
        { "closed_by", sql_closed_by },
        { "resolved_department", sql_resolved_dept },
        { "ontime_department", sql_ontime_dept },
    };
    const char *sql = strcmp(dim, "status") == 0       ? sql_status
                      : strcmp(dim, "department") == 0 ? sql_dept
                      : strcmp(dim, "channel") == 0    ? sql_channel
                                                       : NULL;
    for (size_t i = 0; !sql && i < sizeof(dims) / sizeof(dims[0]); i++)
        if (strcmp(dim, dims[i].dim) == 0)
            sql = dims[i].sql;
    if (!sql)
        return ERR_INVALID;
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to ? to : INT64_MAX);
    struct strbuf roots;
    strbuf_init(&roots, 0);
    reach_json(reach, &roots);
    sqlite3_bind_int(s, 3, reach->limited);
    sqlite3_bind_text(s, 4, roots.buf, -1, SQLITE_TRANSIENT);
    strbuf_release(&roots);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1)))
            break;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ERR_OK : db_err(st, rc);
}

int sqlite_app_open_candidates(struct store *st, int64_t category_id, int64_t district_id,
                               int64_t since, int limit, struct app **out, size_t *n)
{
    /* walks applications_category_open: the status test is its predicate word for word (021) */
    static const char sql[] =
        "SELECT " APP_COLS "WHERE a.category_id = ?1 AND a.created_at >= ?2 AND "
        "(a.status = 'new' OR a.status = 'forwarded' OR a.status = 'in_progress') AND "
        "(?3 = 0 OR a.district_id = ?3 OR a.lat IS NOT NULL) "
        "ORDER BY a.created_at DESC, a.id DESC LIMIT ?4";
    sqlite3_stmt *s = db_stmt(st, sql);
    size_t len = 0;
    struct app *v = xmalloc((size_t)(limit > 0 ? limit : 1) * sizeof(*v));
    int rc = SQLITE_ERROR;
    if (s) {
        sqlite3_bind_int64(s, 1, category_id);
        sqlite3_bind_int64(s, 2, since);
        sqlite3_bind_int64(s, 3, district_id);
        sqlite3_bind_int(s, 4, limit);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && len < (size_t)limit)
            app_row(s, &v[len++]);
        sqlite3_reset(s);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        for (size_t i = 0; i < len; i++)
            app_release(&v[i]);
        free(v);
        return s ? db_err(st, rc) : ERR_STORE;
    }
    *out = v;
    *n = len;
    return ERR_OK;
}

int sqlite_app_training_each(struct store *st,
                             int (*fn)(void *ctx, const char *text, const char *category),
                             void *ctx)
{
    static const char sql[] =
        "SELECT a.text, c.code FROM applications a JOIN categories c ON c.id = a.category_id "
        "WHERE a.status = 'closed' ORDER BY a.id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(ctx, (const char *)sqlite3_column_text(s, 0),
               (const char *)sqlite3_column_text(s, 1)))
            break;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ERR_OK : db_err(st, rc);
}

int sqlite_app_suggestion_each(struct store *st, int64_t from, int64_t to,
                               int (*fn)(void *ctx, const char *suggested, const char *final),
                               void *ctx)
{
    static const char sql[] =
        "SELECT s.category, coalesce(c.code, '') FROM suggestions s JOIN applications a ON "
        "a.id = s.app_id LEFT JOIN categories c ON c.id = a.category_id "
        "WHERE a.created_at >= ?1 AND a.created_at < ?2 ORDER BY a.id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to ? to : INT64_MAX);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(ctx, (const char *)sqlite3_column_text(s, 0),
               (const char *)sqlite3_column_text(s, 1)))
            break;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ERR_OK : db_err(st, rc);
}

int sqlite_app_set_suggestion(struct store *st, int64_t app_id, const char *category,
                              double probability, bool urgent, const char *urgent_words)
{
    static const char sql[] =
        "INSERT INTO suggestions(app_id, category, probability, urgent, urgent_words) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(app_id) DO UPDATE SET category = "
        "excluded.category, probability = excluded.probability, urgent = excluded.urgent, "
        "urgent_words = excluded.urgent_words";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, app_id);
    db_bind_text(s, 2, category);
    sqlite3_bind_double(s, 3, probability);
    sqlite3_bind_int(s, 4, urgent);
    db_bind_text(s, 5, urgent_words && *urgent_words ? urgent_words : NULL);
    return db_exec_stmt(st, s);
}

static const char idem_claim_sql[] =
    "INSERT INTO idempotency_keys(user_id, key, state, created_at) VALUES (?1, ?2, 'pending', ?3) "
    "ON CONFLICT(user_id, key) DO UPDATE SET created_at = excluded.created_at "
    "WHERE idempotency_keys.state = 'pending' AND idempotency_keys.created_at < ?4";

int sqlite_idem_claim(struct store *st, int64_t user_id, const char *key, int64_t now,
                      int64_t stale_before, int *state, int *status, char **body)
{
    static const char sql_get[] =
        "SELECT state, status, body FROM idempotency_keys WHERE user_id = ?1 AND key = ?2";
    sqlite3_stmt *s = db_stmt(st, idem_claim_sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, user_id);
    db_bind_text(s, 2, key);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, stale_before);
    int rc = db_exec_stmt(st, s);
    if (rc != ERR_OK || sqlite3_changes(SQ(st)->cur->db) > 0)
        return rc;
    if (!(s = db_stmt(st, sql_get)))
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, user_id);
    db_bind_text(s, 2, key);
    if ((rc = db_step_row(st, s)) != ERR_OK)
        return rc;
    const char *stt = (const char *)sqlite3_column_text(s, 0);
    *state = stt && strcmp(stt, "done") == 0 ? 1 : 2;
    *status = sqlite3_column_int(s, 1);
    *body = *state == 1 ? db_col_dup(s, 2) : NULL;
    sqlite3_reset(s);
    return ERR_OK;
}

int sqlite_idem_finish(struct store *st, int64_t user_id, const char *key, int status,
                       const char *body)
{
    static const char sql_done[] = "UPDATE idempotency_keys SET state = 'done', status = ?3, "
                                   "body = ?4 WHERE user_id = ?1 AND key = ?2";
    static const char sql_drop[] = "DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2 "
                                   "AND state = 'pending'";
    sqlite3_stmt *s = db_stmt(st, body ? sql_done : sql_drop);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, user_id);
    db_bind_text(s, 2, key);
    if (body) {
        sqlite3_bind_int(s, 3, status);
        db_bind_text(s, 4, body);
    }
    return db_exec_stmt(st, s);
}
