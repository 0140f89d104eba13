/* SQLite: routing corrections, the training examples learnt from staff (issue 13). */
#include <sqlite3.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/str.h"
#include "util/banned.h"

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int sqlite_correction_add(struct store *st, struct correction *c)
{
    static const char sql[] = "INSERT INTO corrections(app_id, action, suggested, previous, final, "
                              "user_id, at) VALUES (?1, ?2, coalesce((SELECT category FROM "
                              "suggestions WHERE app_id = ?1), ?3), ?4, ?5, ?6, ?7)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, c->app_id);
    db_bind_text(s, 2, c->action);
    db_bind_text(s, 3, nz(c->suggested));
    db_bind_text(s, 4, nz(c->previous));
    db_bind_text(s, 5, nz(c->final));
    db_bind_id(s, 6, c->user_id);
    sqlite3_bind_int64(s, 7, c->at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        c->id = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
    return rc;
}

static const char *col(sqlite3_stmt *s, int i)
{
    const char *v = (const char *)sqlite3_column_text(s, i);
    return v ? v : "";
}

int sqlite_correction_each(struct store *st, int64_t app_id, int limit,
                           int (*fn)(void *ctx, const struct correction *c), void *ctx)
{
    static const char sql[] =
        "SELECT c.id, c.app_id, c.action, a.text, c.suggested, c.previous, c.final, c.user_id, "
        "c.at FROM corrections c JOIN applications a ON a.id = c.app_id "
        "WHERE ?1 = 0 OR c.app_id = ?1 ORDER BY c.id DESC LIMIT ?2";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, app_id);
    sqlite3_bind_int(s, 2, limit);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct correction c = { .id = sqlite3_column_int64(s, 0),
                                .app_id = sqlite3_column_int64(s, 1),
                                .text = col(s, 3),
                                .user_id = sqlite3_column_int64(s, 7),
                                .at = sqlite3_column_int64(s, 8) };
        str_copy(c.action, sizeof(c.action), col(s, 2));
        str_copy(c.suggested, sizeof(c.suggested), col(s, 4));
        str_copy(c.previous, sizeof(c.previous), col(s, 5));
        str_copy(c.final, sizeof(c.final), col(s, 6));
        if (fn(ctx, &c))
            break;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ERR_OK : db_err(st, rc);
}

int sqlite_correction_training_each(struct store *st,
                                    int (*fn)(void *ctx, const char *text, const char *category),
                                    void *ctx)
{
    /* the last correction of each application, when it names a final category (a return after
     * a transfer says that transfer was wrong, too) */
    static const char sql[] =
        "SELECT a.text, c.final FROM corrections c JOIN (SELECT max(id) AS id FROM corrections "
        "GROUP BY app_id) l ON l.id = c.id JOIN applications a ON a.id = c.app_id "
        "WHERE c.final IS NOT NULL ORDER BY c.id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (fn(ctx, col(s, 0), col(s, 1)))
            break;
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ERR_OK : db_err(st, rc);
}
