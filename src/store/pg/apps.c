/* PostgreSQL backend: applications, their history, links and attachments. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define APP_COLS                                                                                   \
    "a.id, a.tracking, a.access_code, a.kind, a.channel, a.priority, a.status, a.category_id, "    \
    "a.department_id, c.code, d.code, a.text, a.district_id, a.neighbourhood_id, a.address, "      \
    "a.lat, a.lon, a.citizen_id, a.created_by, a.created_at, a.updated_at, a.forwarded_at, "       \
    "a.first_response_due, a.resolution_due, a.first_response_at, a.responded_at, "                \
    "a.closed_at, a.hold_since, a.held_seconds, a.public_response, a.duplicate_of, a.redirect, "   \
    "dn.name, nb.name "                                                                            \
    "FROM applications a LEFT JOIN categories c ON c.id = a.category_id "                          \
    "LEFT JOIN departments d ON d.id = a.department_id "                                           \
    "LEFT JOIN districts dn ON dn.id = a.district_id "                                             \
    "LEFT JOIN neighbourhoods nb ON nb.id = a.neighbourhood_id "

static void app_row(const PGresult *res, int r, struct app *a)
{
    memset(a, 0, sizeof(*a));
    a->id = pg_int(res, r, 0);
    pg_copy(res, r, 1, a->tracking, sizeof(a->tracking));
    pg_copy(res, r, 2, a->access_code, sizeof(a->access_code));
    pg_copy(res, r, 3, a->kind, sizeof(a->kind));
    pg_copy(res, r, 4, a->channel, sizeof(a->channel));
    pg_copy(res, r, 5, a->priority, sizeof(a->priority));
    int st = lifecycle_status_parse(pg_str(res, r, 6));
    a->status = st < 0 ? ST_NEW : (enum app_status)st;
    a->category_id = pg_int(res, r, 7);
    a->department_id = pg_int(res, r, 8);
    pg_copy(res, r, 9, a->category_code, sizeof(a->category_code));
    pg_copy(res, r, 10, a->department_code, sizeof(a->department_code));
    a->text = pg_dup(res, r, 11);
    a->district_id = pg_int(res, r, 12);
    a->neighbourhood_id = pg_int(res, r, 13);
    a->address = pg_dup(res, r, 14);
    a->has_geo = !pg_null(res, r, 15);
    a->lat = pg_double(res, r, 15);
    a->lon = pg_double(res, r, 16);
    a->citizen_id = pg_int(res, r, 17);
    a->created_by = pg_int(res, r, 18);
    a->created_at = pg_int(res, r, 19);
    a->updated_at = pg_int(res, r, 20);
    a->forwarded_at = pg_int(res, r, 21);
    a->first_response_due = pg_int(res, r, 22);
    a->resolution_due = pg_int(res, r, 23);
    a->first_response_at = pg_int(res, r, 24);
    a->responded_at = pg_int(res, r, 25);
    a->closed_at = pg_int(res, r, 26);
    a->hold_since = pg_int(res, r, 27);
    a->held_seconds = pg_int(res, r, 28);
    a->public_response = pg_dup(res, r, 29);
    a->duplicate_of = pg_int(res, r, 30);
    a->redirect = pg_dup(res, r, 31);
    pg_copy(res, r, 32, a->district_name, sizeof(a->district_name));
    pg_copy(res, r, 33, a->neighbourhood_name, sizeof(a->neighbourhood_name));
}

/* The mutable columns shared by INSERT and UPDATE as $2..$27 ($27: the search vector). */
static void app_args(struct pg_args *p, const struct app *a, const char *fts)
{
    pa_text(p, a->kind);
    pa_text(p, a->channel);
    pa_text(p, a->priority);
    pa_text(p, lifecycle_status_name(a->status));
    pa_id(p, a->category_id);
    pa_id(p, a->department_id);
    pa_text(p, a->text ? a->text : "");
    pa_id(p, a->district_id);
    pa_id(p, a->neighbourhood_id);
    pa_text(p, a->address);
    if (a->has_geo) {
        pa_double(p, a->lat);
        pa_double(p, a->lon);
    } else {
        pa_null(p);
        pa_null(p);
    }
    pa_id(p, a->citizen_id);
    pa_id(p, a->updated_at);
    pa_id(p, a->forwarded_at);
    pa_id(p, a->first_response_due);
    pa_id(p, a->resolution_due);
    pa_id(p, a->first_response_at);
    pa_id(p, a->responded_at);
    pa_id(p, a->closed_at);
    pa_id(p, a->hold_since);
    pa_int(p, a->held_seconds);
    pa_text(p, a->public_response);
    pa_id(p, a->duplicate_of);
    pa_text(p, a->redirect);
    if (fts)
        pa_text(p, fts);
}

/* The tracking number is drawn apart, committed at once (pg_tracking_draw, db.c): unique
 * across every process on the database; a creation that fails after the draw leaves a gap. */
int pg_app_create(struct store *st, struct app *a, struct err_detail *ed)
{
    static const char sql[] =
        "INSERT INTO applications(access_code, kind, channel, priority, status, category_id, "
        "department_id, text, district_id, neighbourhood_id, address, lat, lon, citizen_id, "
        "updated_at, forwarded_at, first_response_due, resolution_due, first_response_at, "
        "responded_at, closed_at, hold_since, held_seconds, public_response, duplicate_of, "
        "redirect, fts, tracking, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, "
        "$26, $27::tsvector, $28, $29, $30) RETURNING id";
    int year = time_civil_from_days(time_istanbul_day(a->created_at)).year;
    struct pg_args p = { .n = 0 };
    PGresult *res = NULL;
    char *fts = pg_fts_document(a->text ? a->text : "", a->address);
    int rc;
    if (!fts) {
        rc = err_set(ed, ERR_INVALID, "text", "the text is not valid UTF-8");
        goto out;
    }
    int64_t seq = 0;
    rc = pg_tracking_draw(st, year, &seq);
    if (rc != ERR_OK && rc != ERR_CONFLICT)
        goto out;
    if (rc == ERR_CONFLICT || !tracking_format(year, seq, a->tracking)) {
        rc = err_set(ed, ERR_CONFLICT, NULL, "tracking numbers for %d are exhausted", year);
        goto out;
    }
    pa_text(&p, a->access_code);
    app_args(&p, a, fts);
    pa_text(&p, a->tracking);
    pa_id(&p, a->created_by);
    pa_int(&p, a->created_at);
    rc = pg_one(st, sql, &p, &res);
    if (rc == ERR_CONFLICT)
        rc = err_set(ed, ERR_UNPROCESSABLE, NULL,
                     "a referenced category, district, citizen or user does not exist");
    else if (rc == ERR_OK)
        a->id = pg_int(res, 0, 0);
out:
    PQclear(res);
    free(fts);
    return rc;
}

int pg_app_update(struct store *st, const struct app *a)
{
    /* text and address apart, and only when they changed: the full-text document is built in
     * C (pg_fts_document, the Turkish stemmer) and was rebuilt on every lifecycle action,
     * 15 % of a simulated year's client instructions. The first statement leaves text and
     * address as they are, so RETURNING reads the stored ones and says whether they differ. */
    static const char sql[] =
        "UPDATE applications SET kind = $2, channel = $3, priority = $4, status = $5, "
        "category_id = $6, department_id = $7, district_id = $9, "
        "neighbourhood_id = $10, lat = $12, lon = $13, citizen_id = $14, "
        "updated_at = $15, forwarded_at = $16, first_response_due = $17, resolution_due = $18, "
        "first_response_at = $19, responded_at = $20, closed_at = $21, hold_since = $22, "
        "held_seconds = $23, public_response = $24, duplicate_of = $25, redirect = $26 "
        "WHERE id = $1 RETURNING (text IS DISTINCT FROM $8::text OR "
        "address IS DISTINCT FROM $11::text)";
    static const char sql_text[] =
        "UPDATE applications SET text = $2, address = $3, fts = $4::tsvector WHERE id = $1";
    struct pg_args p = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&p, a->id);
    app_args(&p, a, NULL);
    int rc = pg_one(st, sql, &p, &res);
    if (rc != ERR_OK)
        return rc; /* ERR_NOT_FOUND when no row has the id */
    bool text_changed = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!text_changed)
        return ERR_OK;
    char *fts = pg_fts_document(a->text ? a->text : "", a->address);
    if (!fts)
        return ERR_INVALID;
    struct pg_args t = { .n = 0 };
    pa_int(&t, a->id);
    pa_text(&t, a->text ? a->text : "");
    pa_text(&t, a->address);
    pa_text(&t, fts);
    rc = pg_exec(st, sql_text, &t, NULL);
    free(fts);
    return rc;
}

/* Inside a transaction the row is read FOR UPDATE: core reads an application, decides and
 * writes it back, and another process doing the same must wait instead of overwriting. */
static int app_one(struct store *st, const char *sql, const char *sql_locked,
                   const struct pg_args *a, struct app *out)
{
    PGresult *res;
    int rc = pg_one(st, PG(st)->in_tx ? sql_locked : sql, a, &res);
    if (rc == ERR_OK) {
        app_row(res, 0, out);
        PQclear(res);
    }
    return rc;
}

int pg_app_get(struct store *st, int64_t id, struct app *out)
{
    static const char sql[] = "SELECT " APP_COLS "WHERE a.id = $1";
    static const char sql_locked[] = "SELECT " APP_COLS "WHERE a.id = $1 FOR UPDATE OF a";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    return app_one(st, sql, sql_locked, &a, out);
}

int pg_app_by_tracking(struct store *st, const char *tracking, struct app *out)
{
    static const char sql[] = "SELECT " APP_COLS "WHERE a.tracking = $1";
    static const char sql_locked[] = "SELECT " APP_COLS "WHERE a.tracking = $1 FOR UPDATE OF a";
    struct pg_args a = { .n = 0 };
    pa_text(&a, tracking);
    return app_one(st, sql, sql_locked, &a, out);
}

/* A list/count query's WHERE clause with its parameters numbered from $1. */
struct where {
    struct strbuf sql;
    struct pg_args a;
    char reach[DEPT_REACH_MAX * 21 + 3]; /* a limited reach's roots, "{3,7}" (where_reach) */
};

/* The roots of a limited reach as an array literal ("{3,7}") into out (len bytes), for
 * = ANY($n::bigint[]). */
static void reach_array(const struct dept_reach *r, char *out, size_t len)
{
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_adds(&b, "{");
    for (size_t i = 0; i < r->n && i < DEPT_REACH_MAX; i++)
        strbuf_addf(&b, "%s%" PRId64, i ? "," : "", r->root[i]);
    strbuf_adds(&b, "}");
    str_copy(out, len, b.buf);
    strbuf_release(&b);
}

/* Only the subtrees of a limited reach's roots (no root: nothing). */
static void where_reach(struct where *w, const struct dept_reach *r)
{
    reach_array(r, w->reach, sizeof(w->reach));
    pa_text(&w->a, w->reach);
    strbuf_addf(&w->sql,
                " AND a.department_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM departments "
                "WHERE id = ANY($%d::bigint[]) UNION SELECT d2.id FROM departments d2 JOIN sub ON "
                "d2.parent_id = sub.id) SELECT id FROM sub)",
                w->a.n);
}

static void where_int(struct where *w, const char *clause, int64_t v)
{
    pa_int(&w->a, v);
    strbuf_addf(&w->sql, " AND %s $%d", clause, w->a.n);
}

static void where_text(struct where *w, const char *clause, const char *t)
{
    pa_text(&w->a, t);
    strbuf_addf(&w->sql, " AND %s $%d", clause, w->a.n);
}

/* Department dept_id and every unit below it. */
static void where_subtree(struct where *w, int64_t dept_id)
{
    pa_int(&w->a, dept_id);
    strbuf_addf(&w->sql,
                " AND a.department_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM departments "
                "WHERE id = $%d UNION ALL SELECT d2.id FROM departments d2 JOIN sub ON "
                "d2.parent_id = sub.id) SELECT id FROM sub)",
                w->a.n);
}

/* *fts receives the tsquery text (malloc'd, freed by the caller), bound as a parameter. */
static int build_where(const struct app_filter *f, struct where *w, char **fts)
{
    *fts = NULL;
    strbuf_adds(&w->sql, " WHERE 1=1");
    if (f->statuses) {
        strbuf_adds(&w->sql, " AND a.status IN (");
        bool first = true;
        for (int st = 0; st < ST__COUNT; st++)
            if (f->statuses & (1u << st)) {
                /* the names are the program's own constants, not input */
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
    if (f->q && *f->q) {
        if (!(*fts = pg_fts_query(f->q)))
            return ERR_INVALID;
        if (**fts) {
            pa_text(&w->a, *fts);
            strbuf_addf(&w->sql, " AND a.fts @@ $%d::tsquery", w->a.n);
        }
    }
    return ERR_OK;
}

/* Rows without a deadline sort after every real one. The expression of the index
 * applications_due_order (migration 018): change both together. */
#define DUE_EXPR "coalesce(a.resolution_due, 9223372036854775807)"

int pg_app_list(struct store *st, const struct app_filter *f, struct app **out, size_t *n,
                int64_t *next, int64_t *next_due)
{
    struct where w = { .a = { .n = 0 } };
    char *fts = NULL;
    PGresult *res = NULL;
    struct app *v = NULL;
    size_t len = 0;
    int limit = f->limit < 1 ? 50 : f->limit > 500 ? 500 : f->limit;
    int rc;
    strbuf_init(&w.sql, 0);
    strbuf_adds(&w.sql, "SELECT " APP_COLS);
    if ((rc = build_where(f, &w, &fts)) != ERR_OK)
        goto out;
    if (f->by_due) {
        if (f->after) {
            pa_int(&w.a, f->after_due);
            pa_int(&w.a, f->after);
            /* a row comparison: one range of applications_due_order (018), where the OR of
             * the SQLite backend would make PostgreSQL filter the index from its start */
            strbuf_addf(&w.sql, " AND (" DUE_EXPR ", a.id) > ($%d, $%d)", w.a.n - 1, w.a.n);
        }
        strbuf_addf(&w.sql, " ORDER BY " DUE_EXPR ", a.id LIMIT %d", limit + 1);
    } else {
        if (f->after)
            where_int(&w, "a.id <", f->after);
        strbuf_addf(&w.sql, " ORDER BY a.id DESC LIMIT %d", limit + 1);
    }
    if (!(res = pg_run_dyn(st, w.sql.buf, &w.a, &rc)))
        goto out;
    size_t rows = (size_t)PQntuples(res);
    v = xmalloc((rows ? rows : 1) * sizeof(*v));
    for (; len < rows; len++)
        app_row(res, (int)len, &v[len]);
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
    PQclear(res);
    strbuf_release(&w.sql);
    free(fts);
    return rc;
}

int pg_app_count(struct store *st, const struct app_filter *f, int64_t *count)
{
    struct where w = { .a = { .n = 0 } };
    char *fts = NULL;
    PGresult *res = NULL;
    int rc;
    strbuf_init(&w.sql, 0);
    /* capped: count at most count_cap + 1 rows (the caller shows "1.000+") */
    strbuf_adds(&w.sql, f->count_cap > 0 ? "SELECT count(*) FROM (SELECT 1 FROM applications a"
                                         : "SELECT count(*) FROM applications a");
    if ((rc = build_where(f, &w, &fts)) != ERR_OK)
        goto out;
    if (f->count_cap > 0)
        strbuf_addf(&w.sql, " LIMIT %lld) c", (long long)f->count_cap + 1);
    if (!(res = pg_run_dyn(st, w.sql.buf, &w.a, &rc)))
        goto out;
    *count = pg_int(res, 0, 0);
out:
    PQclear(res);
    strbuf_release(&w.sql);
    free(fts);
    return rc;
}

int pg_event_add(struct store *st, struct app_event *e)
{
    static const char sql[] =
        "INSERT INTO events(app_id, at, user_id, action, from_status, to_status, note, public) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_int(&a, e->app_id);
    pa_int(&a, e->at);
    pa_id(&a, e->user_id);
    pa_text(&a, e->action);
    pa_text(&a, e->from_status >= 0 ? lifecycle_status_name(e->from_status) : NULL);
    pa_text(&a, e->to_status >= 0 ? lifecycle_status_name(e->to_status) : NULL);
    pa_text(&a, e->note);
    pa_int(&a, e->public);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        e->id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

int pg_event_list(struct store *st, int64_t app_id, bool public_only, struct app_event **out,
                  size_t *n)
{
    static const char sql[] =
        "SELECT e.id, e.app_id, e.at, e.user_id, u.full_name, e.action, e.from_status, "
        "e.to_status, e.note, e.public FROM events e LEFT JOIN users u ON u.id = e.user_id "
        "WHERE e.app_id = $1 AND ($2 = 0 OR e.public = 1) ORDER BY e.id";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, app_id);
    pa_int(&a, public_only);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct app_event *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        struct app_event *e = &v[i];
        int r = (int)i;
        memset(e, 0, sizeof(*e));
        e->id = pg_int(res, r, 0);
        e->app_id = pg_int(res, r, 1);
        e->at = pg_int(res, r, 2);
        e->user_id = pg_int(res, r, 3);
        pg_copy(res, r, 4, e->user_name, sizeof(e->user_name));
        pg_copy(res, r, 5, e->action, sizeof(e->action));
        e->from_status = lifecycle_status_parse(pg_str(res, r, 6));
        e->to_status = lifecycle_status_parse(pg_str(res, r, 7));
        e->note = pg_dup(res, r, 8);
        e->public = pg_int(res, r, 9) != 0;
    }
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_link_add(struct store *st, int64_t app_id, int64_t other_id, const char *kind)
{
    static const char sql[] = "INSERT INTO links(app_id, other_id, kind) VALUES ($1, $2, $3) "
                              "ON CONFLICT(app_id, other_id) DO UPDATE SET kind = excluded.kind";
    struct pg_args a = { .n = 0 };
    pa_int(&a, app_id);
    pa_int(&a, other_id);
    pa_text(&a, kind);
    return pg_exec(st, sql, &a, NULL);
}

int pg_link_each(struct store *st, int64_t app_id,
                 int (*fn)(void *ctx, int64_t other_id, const char *tracking, const char *kind),
                 void *ctx)
{
    static const char sql[] =
        "SELECT l.other_id, a.tracking, l.kind FROM links l JOIN applications a "
        "ON a.id = l.other_id WHERE l.app_id = $1 UNION "
        "SELECT l.app_id, a.tracking, l.kind FROM links l JOIN applications a "
        "ON a.id = l.app_id WHERE l.other_id = $1 ORDER BY 1";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, app_id);
    PGresult *res = pg_run(st, sql, &a, &rc);
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

int pg_attachment_add(struct store *st, struct attachment *at, const void *data, size_t len)
{
    static const char sql_blob[] =
        "INSERT INTO blobs(hash, size, data) VALUES ($1, $2, $3) ON CONFLICT(hash) DO NOTHING";
    static const char sql[] =
        "INSERT INTO attachments(app_id, hash, mime, filename, created_at, stage, width, height, "
        "taken_at, lat, lon, geo_source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12) "
        "RETURNING id";
    unsigned char digest[crypto_hash_sha256_BYTES];
    struct pg_args b = { .n = 0 }, a = { .n = 0 };
    PGresult *res;
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(at->hash, sizeof(at->hash), digest, sizeof(digest));
    at->size = (int64_t)len;
    pa_text(&b, at->hash);
    pa_int(&b, (int64_t)len);
    pa_blob(&b, data, len);
    int rc = pg_exec(st, sql_blob, &b, NULL);
    if (rc != ERR_OK)
        return rc;
    pa_int(&a, at->app_id);
    pa_text(&a, at->hash);
    pa_text(&a, at->mime);
    pa_text(&a, at->filename);
    pa_int(&a, at->created_at);
    pa_text(&a, at->stage);
    pa_int(&a, at->width);
    pa_int(&a, at->height);
    pa_id(&a, at->taken_at);
    if (at->has_geo) {
        pa_double(&a, at->lat);
        pa_double(&a, at->lon);
    } else {
        pa_null(&a);
        pa_null(&a);
    }
    pa_text(&a, at->has_geo ? at->geo_source : "");
    rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        at->id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

static void attachment_row(const PGresult *res, int r, struct attachment *a)
{
    memset(a, 0, sizeof(*a));
    a->id = pg_int(res, r, 0);
    a->app_id = pg_int(res, r, 1);
    pg_copy(res, r, 2, a->hash, sizeof(a->hash));
    pg_copy(res, r, 3, a->mime, sizeof(a->mime));
    pg_copy(res, r, 4, a->filename, sizeof(a->filename));
    a->size = pg_int(res, r, 5);
    a->created_at = pg_int(res, r, 6);
    pg_copy(res, r, 7, a->stage, sizeof(a->stage));
    a->width = (int)pg_int(res, r, 8);
    a->height = (int)pg_int(res, r, 9);
    a->taken_at = pg_int(res, r, 10);
    a->has_geo = !PQgetisnull(res, r, 11);
    a->lat = pg_double(res, r, 11);
    a->lon = pg_double(res, r, 12);
    pg_copy(res, r, 13, a->geo_source, sizeof(a->geo_source));
}

int pg_attachment_list(struct store *st, int64_t app_id, struct attachment **out, size_t *n)
{
    static const char sql[] =
        "SELECT t.id, t.app_id, t.hash, t.mime, t.filename, b.size, t.created_at, t.stage, "
        "t.width, t.height, t.taken_at, t.lat, t.lon, t.geo_source "
        "FROM attachments t JOIN blobs b ON b.hash = t.hash WHERE t.app_id = $1 ORDER BY t.id";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, app_id);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct attachment *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        attachment_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_attachment_get(struct store *st, int64_t app_id, int64_t id, struct attachment *meta,
                      void **data, size_t *len)
{
    static const char sql[] =
        "SELECT t.id, t.app_id, t.hash, t.mime, t.filename, b.size, t.created_at, t.stage, "
        "t.width, t.height, t.taken_at, t.lat, t.lon, t.geo_source, b.data "
        "FROM attachments t JOIN blobs b ON b.hash = t.hash WHERE t.app_id = $1 AND t.id = $2";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_int(&a, app_id);
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc != ERR_OK)
        return rc;
    attachment_row(res, 0, meta);
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 14), &n);
    PQclear(res);
    if (!raw)
        return ERR_STORE;
    void *p = xmalloc(n ? n : 1);
    if (n)
        memcpy(p, raw, n);
    PQfreemem(raw);
    *data = p;
    *len = n;
    return ERR_OK;
}

/* Run a (key text, count) query and call fn per row; fn's non-zero return stops the walk. */
static int pg_each_count(struct store *st, const char *sql, const struct pg_args *a,
                         int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    int rc;
    PGresult *res = pg_run(st, sql, a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++)
        if (fn(ctx, pg_str(res, i, 0), pg_int(res, i, 1)))
            break;
    PQclear(res);
    return rc;
}

/* $3: 1 when the reach is limited, $4 its roots (an array literal); a subtree once even when
 * two roots overlap (UNION) */
#define SCOPE_SUBTREE                                                                              \
    "($3 = 0 OR a.department_id IN (WITH RECURSIVE sub(id) AS (SELECT unnest($4::bigint[]) "       \
    "UNION SELECT d2.id FROM departments d2 JOIN sub ON d2.parent_id = sub.id) SELECT id FROM "    \
    "sub))"

int pg_app_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                       const struct dept_reach *reach,
                       int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    static const char sql_status[] =
        "SELECT a.status, count(*) FROM applications a WHERE a.created_at >= $1 AND "
        "a.created_at < $2 AND " SCOPE_SUBTREE " GROUP BY 1 ORDER BY a.status COLLATE \"C\"";
    static const char sql_dept[] =
        "SELECT coalesce(d.code, ''), count(*) FROM applications a LEFT JOIN departments d ON "
        "d.id = a.department_id WHERE a.created_at >= $1 AND a.created_at < $2 AND " SCOPE_SUBTREE
        " GROUP BY 1 ORDER BY coalesce(d.code, '') COLLATE \"C\"";
    static const char sql_channel[] =
        "SELECT a.channel, count(*) FROM applications a WHERE a.created_at >= $1 AND "
        "a.created_at < $2 AND " SCOPE_SUBTREE " GROUP BY 1 ORDER BY a.channel COLLATE \"C\"";
    /* the dashboard's period figures (GET /api/v1/stats?from=&to=); days are Istanbul days
     * (UTC+3) as day numbers since 1970-01-01 */
#define RESOLVED_AT "coalesce(a.responded_at, a.closed_at)"
    static const char sql_day[] =
        "SELECT (a.created_at + 10800) / 86400, count(*) FROM applications a WHERE a.created_at "
        ">= $1 AND a.created_at < $2 AND " SCOPE_SUBTREE " GROUP BY 1 ORDER BY 1";
    static const char sql_resolved_day[] =
        "SELECT (" RESOLVED_AT " + 10800) / 86400, count(*) FROM applications a WHERE a.status "
        "IN ('resolved', 'closed') AND " RESOLVED_AT " >= $1 AND " RESOLVED_AT
        " < $2 AND " SCOPE_SUBTREE " GROUP BY 1 ORDER BY 1";
    static const char sql_created_by[] =
        "SELECT coalesce(u.username, ''), count(*) FROM applications a LEFT JOIN users u ON u.id "
        "= a.created_by WHERE a.created_at >= $1 AND a.created_at < $2 AND " SCOPE_SUBTREE
        " GROUP BY 1 ORDER BY coalesce(u.username, '') COLLATE \"C\"";
    static const char sql_closed_by[] =
        "SELECT coalesce(u.username, ''), count(*) FROM events e JOIN applications a ON a.id = "
        "e.app_id LEFT JOIN users u ON u.id = e.user_id WHERE e.to_status = 'closed' AND e.at >= "
        "$1 AND e.at < $2 AND " SCOPE_SUBTREE
        " GROUP BY 1 ORDER BY coalesce(u.username, '') COLLATE \"C\"";
    static const char sql_resolved_dept[] =
        "SELECT coalesce(d.code, ''), count(*) FROM applications a LEFT JOIN departments d ON "
        "d.id = a.department_id WHERE a.status IN ('resolved', 'closed') AND " RESOLVED_AT
        " >= $1 AND " RESOLVED_AT " < $2 AND " SCOPE_SUBTREE
        " GROUP BY 1 ORDER BY coalesce(d.code, '') COLLATE \"C\"";
    static const char sql_ontime_dept[] =
        "SELECT coalesce(d.code, ''), count(*) FROM applications a LEFT JOIN departments d ON "
        "d.id = a.department_id WHERE a.status IN ('resolved', 'closed') AND " RESOLVED_AT
        " >= $1 AND " RESOLVED_AT " < $2 AND (a.resolution_due IS NULL OR " RESOLVED_AT
        " <= a.resolution_due) AND " SCOPE_SUBTREE
        " GROUP BY 1 ORDER BY coalesce(d.code, '') COLLATE \"C\"";
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
    struct pg_args a = { .n = 0 };
    pa_int(&a, from);
    pa_int(&a, to ? to : INT64_MAX);
    char roots[DEPT_REACH_MAX * 21 + 3];
    reach_array(reach, roots, sizeof(roots));
    pa_int(&a, reach->limited);
    pa_text(&a, roots);
    return pg_each_count(st, sql, &a, fn, ctx);
}

int pg_app_open_candidates(struct store *st, int64_t category_id, int64_t district_id,
                           int64_t since, int limit, struct app **out, size_t *n)
{
    static const char sql[] =
        "SELECT " APP_COLS "WHERE a.category_id = $1 AND a.created_at >= $2 AND "
        "a.status IN ('new', 'forwarded', 'in_progress') AND "
        "($3 = 0 OR a.district_id = $3 OR a.lat IS NOT NULL) "
        "ORDER BY a.created_at DESC, a.id DESC LIMIT $4"; /* walks applications_category_open */
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, category_id);
    pa_int(&a, since);
    pa_int(&a, district_id);
    pa_int(&a, limit > 0 ? limit : 0);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct app *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        app_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_app_training_each(struct store *st,
                         int (*fn)(void *ctx, const char *text, const char *category), void *ctx)
{
    static const char sql[] =
        "SELECT a.text, c.code FROM applications a JOIN categories c ON c.id = a.category_id "
        "WHERE a.status = 'closed' ORDER BY a.id";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    for (int i = 0; res && i < PQntuples(res); i++)
        if (fn(ctx, pg_str(res, i, 0), pg_str(res, i, 1)))
            break;
    PQclear(res);
    return rc;
}

int pg_app_suggestion_each(struct store *st, int64_t from, int64_t to,
                           int (*fn)(void *ctx, const char *suggested, const char *final),
                           void *ctx)
{
    static const char sql[] =
        "SELECT s.category, coalesce(c.code, '') FROM suggestions s JOIN applications a ON "
        "a.id = s.app_id LEFT JOIN categories c ON c.id = a.category_id "
        "WHERE a.created_at >= $1 AND a.created_at < $2 ORDER BY a.id";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, from);
    pa_int(&a, to ? to : INT64_MAX);
    PGresult *res = pg_run(st, sql, &a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++)
        if (fn(ctx, pg_str(res, i, 0), pg_str(res, i, 1)))
            break;
    PQclear(res);
    return rc;
}

int pg_app_set_suggestion(struct store *st, int64_t app_id, const char *category,
                          double probability, bool urgent, const char *urgent_words)
{
    static const char sql[] =
        "INSERT INTO suggestions(app_id, category, probability, urgent, urgent_words) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT(app_id) DO UPDATE SET category = "
        "excluded.category, probability = excluded.probability, urgent = excluded.urgent, "
        "urgent_words = excluded.urgent_words";
    struct pg_args a = { .n = 0 };
    pa_int(&a, app_id);
    pa_text(&a, category);
    pa_double(&a, probability);
    pa_int(&a, urgent);
    pa_text(&a, urgent_words && *urgent_words ? urgent_words : NULL);
    return pg_exec(st, sql, &a, NULL);
}

int pg_idem_claim(struct store *st, int64_t user_id, const char *key, int64_t now,
                  int64_t stale_before, int *state, int *status, char **body)
{
    static const char sql[] =
        "INSERT INTO idempotency_keys(user_id, key, state, created_at) VALUES ($1, $2, 'pending', "
        "$3) ON CONFLICT(user_id, key) DO UPDATE SET created_at = excluded.created_at "
        "WHERE idempotency_keys.state = 'pending' AND idempotency_keys.created_at < $4";
    static const char sql_get[] =
        "SELECT state, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2";
    struct pg_args a = { .n = 0 }, g = { .n = 0 };
    int64_t changed = 0;
    PGresult *res;
    pa_int(&a, user_id);
    pa_text(&a, key);
    pa_int(&a, now);
    pa_int(&a, stale_before);
    int rc = pg_exec(st, sql, &a, &changed);
    if (rc != ERR_OK || changed > 0)
        return rc;
    pa_int(&g, user_id);
    pa_text(&g, key);
    if ((rc = pg_one(st, sql_get, &g, &res)) != ERR_OK)
        return rc;
    *state = strcmp(pg_str(res, 0, 0), "done") == 0 ? 1 : 2;
    *status = (int)pg_int(res, 0, 1);
    *body = *state == 1 ? xstrdup(pg_str(res, 0, 2)) : NULL;
    PQclear(res);
    return ERR_OK;
}

int pg_idem_finish(struct store *st, int64_t user_id, const char *key, int status, const char *body)
{
    static const char sql_done[] = "UPDATE idempotency_keys SET state = 'done', status = $3, "
                                   "body = $4 WHERE user_id = $1 AND key = $2";
    static const char sql_drop[] = "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 "
                                   "AND state = 'pending'";
    struct pg_args a = { .n = 0 };
    pa_int(&a, user_id);
    pa_text(&a, key);
    if (body) {
        pa_int(&a, status);
        pa_text(&a, body);
    }
    return pg_exec(st, body ? sql_done : sql_drop, &a, NULL);
}
