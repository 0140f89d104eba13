/* SQLite backend: the application rollups (store.h, "application rollups") and the report's
 * reads of application rows. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/timeutil.h"
#include "util/banned.h"

static int64_t month_of_day(int64_t day)
{
    struct civil_date c = time_civil_from_days(day);
    return (int64_t)c.year * 12 + c.month - 1;
}

static int step_done(struct store *st, sqlite3_stmt *s)
{
    return s ? db_exec_stmt(st, s) : ERR_STORE;
}

int sqlite_rollup_app_add(struct store *st, const struct app_rollup *r, int sign)
{
    static const char sql_apps[] =
        "INSERT INTO app_rollup(grain, bucket, department_id, category_id, channel, kind, n, "
        "open, resolved, in_deadline, returned, transferred, reopened) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT(grain, bucket, department_id, "
        "category_id, channel, kind) DO UPDATE SET n = n + excluded.n, open = open + "
        "excluded.open, resolved = resolved + excluded.resolved, in_deadline = in_deadline + "
        "excluded.in_deadline, returned = returned + excluded.returned, transferred = "
        "transferred + excluded.transferred, reopened = reopened + excluded.reopened";
    static const char sql_place[] =
        "INSERT INTO app_rollup_place(grain, bucket, department_id, district_id, "
        "neighbourhood_id, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(grain, bucket, "
        "department_id, district_id, neighbourhood_id) DO UPDATE SET n = n + excluded.n";
    static const char sql_res[] =
        "INSERT INTO app_rollup_restime(grain, bucket, department_id, bin, n) VALUES (?1, ?2, "
        "?3, ?4, ?5) ON CONFLICT(grain, bucket, department_id, bin) DO UPDATE SET n = n + "
        "excluded.n";
    int rc = ERR_OK;
    for (int g = APP_GRAIN_DAY; g <= APP_GRAIN_MONTH && rc == ERR_OK; g++) {
        int64_t bucket = g == APP_GRAIN_DAY ? r->bucket : month_of_day(r->bucket);
        sqlite3_stmt *s = db_stmt(st, sql_apps);
        if (s) {
            sqlite3_bind_int(s, 1, g);
            sqlite3_bind_int64(s, 2, bucket);
            sqlite3_bind_int64(s, 3, r->department_id);
            sqlite3_bind_int64(s, 4, r->category_id);
            sqlite3_bind_text(s, 5, r->channel, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 6, r->kind, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 7, sign * r->n);
            sqlite3_bind_int64(s, 8, sign * r->open);
            sqlite3_bind_int64(s, 9, sign * r->resolved);
            sqlite3_bind_int64(s, 10, sign * r->in_deadline);
            sqlite3_bind_int64(s, 11, sign * r->returned);
            sqlite3_bind_int64(s, 12, sign * r->transferred);
            sqlite3_bind_int64(s, 13, sign * r->reopened);
        }
        if ((rc = step_done(st, s)) != ERR_OK)
            break;
        if ((s = db_stmt(st, sql_place))) {
            sqlite3_bind_int(s, 1, g);
            sqlite3_bind_int64(s, 2, bucket);
            sqlite3_bind_int64(s, 3, r->department_id);
            sqlite3_bind_int64(s, 4, r->district_id);
            sqlite3_bind_int64(s, 5, r->neighbourhood_id);
            sqlite3_bind_int64(s, 6, sign * r->n);
        }
        if ((rc = step_done(st, s)) != ERR_OK || r->res_bin < 0)
            continue;
        if ((s = db_stmt(st, sql_res))) {
            sqlite3_bind_int(s, 1, g);
            sqlite3_bind_int64(s, 2, bucket);
            sqlite3_bind_int64(s, 3, r->department_id);
            sqlite3_bind_int(s, 4, r->res_bin);
            sqlite3_bind_int64(s, 5, sign * r->n);
        }
        rc = step_done(st, s);
    }
    return rc;
}

int sqlite_rollup_app_each(struct store *st, enum rollup_table t, enum rollup_grain grain,
                           int64_t from, int64_t to,
                           int (*fn)(void *ctx, const struct app_rollup *row), void *ctx)
{
    static const char sql_apps[] =
        "SELECT bucket, department_id, category_id, channel, kind, n, open, resolved, "
        "in_deadline, returned, transferred, reopened FROM app_rollup WHERE grain = ?1 AND "
        "bucket BETWEEN ?2 AND ?3 AND n <> 0";
    static const char sql_place[] =
        "SELECT bucket, department_id, district_id, neighbourhood_id, n FROM app_rollup_place "
        "WHERE grain = ?1 AND bucket BETWEEN ?2 AND ?3 AND n <> 0";
    static const char sql_res[] =
        "SELECT bucket, department_id, bin, n FROM app_rollup_restime WHERE grain = ?1 AND "
        "bucket BETWEEN ?2 AND ?3 AND n <> 0";
    sqlite3_stmt *s = db_stmt(st, t == ROLLUP_APPS     ? sql_apps
                                  : t == ROLLUP_PLACES ? sql_place
                                                       : sql_res);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int(s, 1, (int)grain);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        struct app_rollup r;
        memset(&r, 0, sizeof(r));
        r.grain = (int)grain;
        r.bucket = sqlite3_column_int64(s, 0);
        r.department_id = sqlite3_column_int64(s, 1);
        if (t == ROLLUP_APPS) {
            r.category_id = sqlite3_column_int64(s, 2);
            db_col_copy(s, 3, r.channel, sizeof(r.channel));
            db_col_copy(s, 4, r.kind, sizeof(r.kind));
            r.n = sqlite3_column_int64(s, 5);
            r.open = sqlite3_column_int64(s, 6);
            r.resolved = sqlite3_column_int64(s, 7);
            r.in_deadline = sqlite3_column_int64(s, 8);
            r.returned = sqlite3_column_int64(s, 9);
            r.transferred = sqlite3_column_int64(s, 10);
            r.reopened = sqlite3_column_int64(s, 11);
        } else if (t == ROLLUP_PLACES) {
            r.district_id = sqlite3_column_int64(s, 2);
            r.neighbourhood_id = sqlite3_column_int64(s, 3);
            r.n = sqlite3_column_int64(s, 4);
        } else {
            r.res_bin = sqlite3_column_int(s, 2);
            r.n = sqlite3_column_int64(s, 3);
        }
        if (fn(ctx, &r)) {
            sr = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
}

int sqlite_rollup_app_clear(struct store *st)
{
    static const char *const sql[] = { "DELETE FROM app_rollup", "DELETE FROM app_rollup_place",
                                       "DELETE FROM app_rollup_restime",
                                       "DELETE FROM settings WHERE key = 'rollup.apps'" };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        int rc = step_done(st, db_stmt(st, sql[i]));
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* "return,transfer" → the bit set of those actions */
static unsigned actions_of(const char *list)
{
    unsigned m = 0;
    char word[32];
    while (list && *list) {
        size_t n = strcspn(list, ",");
        if (n < sizeof(word)) {
            memcpy(word, list, n);
            word[n] = 0;
            int a = lifecycle_action_parse(word);
            if (a >= 0)
                m |= 1u << a;
        }
        list += n + (list[n] == ',');
    }
    return m;
}

int sqlite_app_report_each(struct store *st,
                           int (*fn)(void *ctx, const struct app *a, unsigned actions), void *ctx)
{
    static const char sql[] =
        "SELECT a.id, a.kind, a.channel, a.status, a.category_id, a.department_id, "
        "a.district_id, a.neighbourhood_id, a.created_at, a.forwarded_at, a.resolution_due, "
        "a.responded_at, a.closed_at, a.hold_since, (SELECT group_concat(DISTINCT e.action) "
        "FROM events e WHERE e.app_id = a.id) FROM applications a ORDER BY a.id";
    sqlite3_stmt *s;
    /* not cached: fn writes through the cache on this connection while the walk runs */
    if (sqlite3_prepare_v2(SQ(st)->cur->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, SQLITE_ERROR);
    int sr, rc = ERR_OK;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        struct app a;
        char status[24];
        memset(&a, 0, sizeof(a));
        a.id = sqlite3_column_int64(s, 0);
        db_col_copy(s, 1, a.kind, sizeof(a.kind));
        db_col_copy(s, 2, a.channel, sizeof(a.channel));
        db_col_copy(s, 3, status, sizeof(status));
        int stt = lifecycle_status_parse(status);
        a.status = stt < 0 ? ST_NEW : (enum app_status)stt;
        a.category_id = sqlite3_column_int64(s, 4);
        a.department_id = sqlite3_column_int64(s, 5);
        a.district_id = sqlite3_column_int64(s, 6);
        a.neighbourhood_id = sqlite3_column_int64(s, 7);
        a.created_at = sqlite3_column_int64(s, 8);
        a.forwarded_at = sqlite3_column_int64(s, 9);
        a.resolution_due = sqlite3_column_int64(s, 10);
        a.responded_at = sqlite3_column_int64(s, 11);
        a.closed_at = sqlite3_column_int64(s, 12);
        a.hold_since = sqlite3_column_int64(s, 13);
        if ((rc = fn(ctx, &a, actions_of((const char *)sqlite3_column_text(s, 14)))) != 0)
            break;
    }
    if (rc == ERR_OK && sr != SQLITE_DONE)
        rc = db_err(st, sr);
    sqlite3_finalize(s);
    return rc;
}

int sqlite_event_actions(struct store *st, int64_t app_id, unsigned *actions)
{
    /* no DISTINCT: OR-ing a repeated action changes nothing, and DISTINCT costs SQLite an
     * ephemeral table on every call (about 40 k instructions per lifecycle action) */
    static const char sql[] = "SELECT action FROM events WHERE app_id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, app_id);
    *actions = 0;
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW)
        *actions |= actions_of((const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
}

int sqlite_app_overdue_each(struct store *st, int64_t from, int64_t to, int64_t now,
                            int (*fn)(void *ctx, int64_t department_id, int64_t n), void *ctx)
{
    /* index-only, through the partial index of the open applications */
    static const char sql[] =
        "SELECT coalesce(department_id, 0), count(*) FROM applications INDEXED BY "
        "applications_open_due WHERE status IN ('forwarded', 'in_progress') AND hold_since IS "
        "NULL AND created_at >= ?1 AND created_at < ?2 AND resolution_due < ?3 GROUP BY 1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int64(s, 3, now);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1))) {
            sr = SQLITE_DONE;
            break;
        }
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
}

int sqlite_app_text_each(struct store *st, const char *kind, int64_t from, int64_t to, int limit,
                         int (*fn)(void *ctx, int64_t id, int64_t department_id, const char *text),
                         void *ctx)
{
    static const char sql[] =
        "SELECT id, coalesce(department_id, 0), text FROM applications INDEXED BY "
        "applications_kind_created WHERE kind = ?1 AND created_at >= ?2 AND created_at < ?3 "
        "ORDER BY created_at DESC, id DESC LIMIT ?4";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    sqlite3_bind_int(s, 4, limit);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
               (const char *)sqlite3_column_text(s, 2))) {
            sr = SQLITE_DONE;
            break;
        }
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
}

int sqlite_app_comeback_each(struct store *st, int64_t from, int64_t to, int limit,
                             int (*fn)(void *ctx, int64_t category_id, int64_t department_id),
                             void *ctx)
{
    static const char sql[] =
        "SELECT a.category_id, coalesce(a.department_id, 0) FROM (SELECT id, citizen_id, "
        "category_id, department_id, created_at FROM applications INDEXED BY "
        "applications_kind_created WHERE kind = 'complaint' AND created_at >= ?1 AND "
        "created_at < ?2 AND citizen_id IS NOT NULL AND category_id IS NOT NULL ORDER BY "
        "created_at DESC LIMIT ?3) a WHERE EXISTS (SELECT 1 FROM applications b INDEXED BY "
        "applications_complaint_citizen WHERE "
        "b.citizen_id = a.citizen_id AND b.id <> a.id AND b.kind = 'complaint' AND "
        "b.category_id = a.category_id AND b.closed_at <= a.created_at AND b.closed_at >= "
        "a.created_at - 2592000)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int(s, 3, limit);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1))) {
            sr = SQLITE_DONE;
            break;
        }
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
}
