/* SQLite backend: CİMER rows and intake messages (issue 15; store.h). */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/str.h"
#include "util/banned.h"

#define CIMER_COLS                                                                                 \
    "x.app_id, x.cimer_no, x.filed_at, x.promise_due, x.legal_due, x.imported_at, "                \
    "x.answered_at, x.institution_id, x.note, a.tracking, a.status, d.code, i.code "               \
    "FROM cimer_apps x JOIN applications a ON a.id = x.app_id "                                    \
    "LEFT JOIN departments d ON d.id = a.department_id "                                           \
    "LEFT JOIN institutions i ON i.id = x.institution_id "

static void cimer_row(sqlite3_stmt *s, void *out)
{
    struct cimer_rec *r = out;
    memset(r, 0, sizeof(*r));
    r->app_id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, r->cimer_no, sizeof(r->cimer_no));
    r->filed_at = sqlite3_column_int64(s, 2);
    r->promise_due = sqlite3_column_int64(s, 3);
    r->legal_due = sqlite3_column_int64(s, 4);
    r->imported_at = sqlite3_column_int64(s, 5);
    r->answered_at = sqlite3_column_int64(s, 6);
    r->institution_id = sqlite3_column_int64(s, 7);
    db_col_copy(s, 8, r->note, sizeof(r->note));
    db_col_copy(s, 9, r->tracking, sizeof(r->tracking));
    int status = lifecycle_status_parse((const char *)sqlite3_column_text(s, 10));
    r->status = status < 0 ? ST_NEW : (enum app_status)status;
    db_col_copy(s, 11, r->department_code, sizeof(r->department_code));
    db_col_copy(s, 12, r->institution_code, sizeof(r->institution_code));
}

int sqlite_cimer_add(struct store *st, const struct cimer_rec *r)
{
    static const char sql[] =
        "INSERT INTO cimer_apps(app_id, cimer_no, filed_at, promise_due, legal_due, imported_at, "
        "answered_at, institution_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, r->app_id);
    db_bind_text(s, 2, r->cimer_no);
    sqlite3_bind_int64(s, 3, r->filed_at);
    sqlite3_bind_int64(s, 4, r->promise_due);
    sqlite3_bind_int64(s, 5, r->legal_due);
    sqlite3_bind_int64(s, 6, r->imported_at);
    db_bind_id(s, 7, r->answered_at);
    db_bind_id(s, 8, r->institution_id);
    db_bind_text(s, 9, r->note[0] ? r->note : NULL);
    return db_exec_stmt(st, s);
}

int sqlite_cimer_get(struct store *st, int64_t app_id, struct cimer_rec *out)
{
    static const char sql[] = "SELECT " CIMER_COLS "WHERE x.app_id = ?1";
    return db_get_one(st, sql, app_id, NULL, cimer_row, out);
}

int sqlite_cimer_by_no(struct store *st, const char *no, struct cimer_rec *out)
{
    static const char sql[] = "SELECT " CIMER_COLS "WHERE x.cimer_no = ?1";
    return db_get_one(st, sql, 0, no, cimer_row, out);
}

int sqlite_cimer_update(struct store *st, const struct cimer_rec *r)
{
    static const char sql[] = "UPDATE cimer_apps SET answered_at = ?2, institution_id = ?3, "
                              "note = ?4 WHERE app_id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, r->app_id);
    db_bind_id(s, 2, r->answered_at);
    db_bind_id(s, 3, r->institution_id);
    db_bind_text(s, 4, r->note[0] ? r->note : NULL);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

int sqlite_cimer_list(struct store *st, bool open_only, int limit, struct cimer_rec **out,
                      size_t *n)
{
    static const char sql[] =
        "SELECT " CIMER_COLS "WHERE (?1 = 0 OR (x.answered_at IS NULL AND x.institution_id IS "
        "NULL)) ORDER BY x.promise_due, x.app_id LIMIT ?2";
    sqlite3_stmt *s = db_stmt(st, sql);
    *out = NULL;
    *n = 0;
    if (s) {
        sqlite3_bind_int(s, 1, open_only ? 1 : 0);
        sqlite3_bind_int(s, 2, limit > 0 ? limit : 1000);
    }
    return db_collect(st, s, sizeof(struct cimer_rec), cimer_row, NULL, NULL, NULL, (void **)out,
                      n);
}

int sqlite_intake_add(struct store *st, const char *channel, const char *message_id, int64_t app_id,
                      int64_t contact_id, bool flagged, int64_t at)
{
    static const char sql[] = "INSERT INTO intake_messages(channel, message_id, app_id, "
                              "contact_id, flagged, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, channel);
    db_bind_text(s, 2, message_id);
    db_bind_id(s, 3, app_id);
    db_bind_id(s, 4, contact_id);
    sqlite3_bind_int(s, 5, flagged ? 1 : 0);
    sqlite3_bind_int64(s, 6, at);
    return db_exec_stmt(st, s);
}

int sqlite_intake_get(struct store *st, const char *channel, const char *message_id,
                      int64_t *app_id)
{
    static const char sql[] =
        "SELECT app_id FROM intake_messages WHERE channel = ?1 AND message_id = ?2";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, channel);
    db_bind_text(s, 2, message_id);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK)
        *app_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc;
}

int sqlite_poll_lock(struct store *st, const char *name, bool *mine)
{
    (void)st, (void)name;
    *mine = true;
    return ERR_OK;
}
