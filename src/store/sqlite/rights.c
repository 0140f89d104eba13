/* SQLite backend: API tokens, department grants and the audit log (issue 12). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define TOKEN_COLS                                                                                 \
    "t.id, t.user_id, t.name, u.username, t.created_at, t.expires_at, t.revoked_at, "              \
    "t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id "

static void token_row(sqlite3_stmt *s, void *rec)
{
    struct api_token *t = rec;
    memset(t, 0, sizeof(*t));
    t->id = sqlite3_column_int64(s, 0);
    t->user_id = sqlite3_column_int64(s, 1);
    db_col_copy(s, 2, t->name, sizeof(t->name));
    db_col_copy(s, 3, t->username, sizeof(t->username));
    t->created_at = sqlite3_column_int64(s, 4);
    t->expires_at = sqlite3_column_int64(s, 5);
    t->revoked_at = sqlite3_column_int64(s, 6);
    t->last_used_at = sqlite3_column_int64(s, 7);
}

int sqlite_token_create(struct store *st, struct api_token *t, const char *token_hash)
{
    static const char sql[] = "INSERT INTO api_tokens(token_hash, name, user_id, created_at, "
                              "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, token_hash);
    db_bind_text(s, 2, t->name);
    sqlite3_bind_int64(s, 3, t->user_id);
    sqlite3_bind_int64(s, 4, t->created_at);
    sqlite3_bind_int64(s, 5, t->expires_at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        t->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

int sqlite_token_by_hash(struct store *st, const char *token_hash, struct api_token *out)
{
    static const char sql[] = "SELECT " TOKEN_COLS "WHERE t.token_hash = ?1";
    return db_get_one(st, sql, 0, token_hash, token_row, out);
}

int sqlite_token_get(struct store *st, int64_t id, struct api_token *out)
{
    static const char sql[] = "SELECT " TOKEN_COLS "WHERE t.id = ?1";
    return db_get_one(st, sql, id, NULL, token_row, out);
}

int sqlite_token_list(struct store *st, struct api_token **out, size_t *n)
{
    static const char sql[] = "SELECT " TOKEN_COLS "ORDER BY t.name";
    return db_collect(st, db_stmt(st, sql), sizeof(**out), token_row, NULL, NULL, NULL,
                      (void **)out, n);
}

static int exec_changed(struct store *st, sqlite3_stmt *s)
{
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int sqlite_token_revoke(struct store *st, int64_t id, int64_t at)
{
    static const char sql[] =
        "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, at);
    return exec_changed(st, s);
}

int sqlite_token_used(struct store *st, int64_t id, int64_t at)
{
    static const char sql[] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, at);
    return db_exec_stmt(st, s);
}

int sqlite_grant_set(struct store *st, const struct grant *g)
{
    static const char sql[] =
        "INSERT INTO user_grants(user_id, department_id, act, created_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(user_id, department_id) DO UPDATE SET act = excluded.act";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, g->user_id);
    sqlite3_bind_int64(s, 2, g->department_id);
    sqlite3_bind_int(s, 3, g->act);
    sqlite3_bind_int64(s, 4, g->created_at);
    return db_exec_stmt(st, s);
}

int sqlite_grant_delete(struct store *st, int64_t user_id, int64_t department_id)
{
    static const char sql[] = "DELETE FROM user_grants WHERE user_id = ?1 AND department_id = ?2";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, user_id);
    sqlite3_bind_int64(s, 2, department_id);
    return exec_changed(st, s);
}

static void grant_row(sqlite3_stmt *s, void *rec)
{
    struct grant *g = rec;
    memset(g, 0, sizeof(*g));
    g->user_id = sqlite3_column_int64(s, 0);
    g->department_id = sqlite3_column_int64(s, 1);
    db_col_copy(s, 2, g->department_code, sizeof(g->department_code));
    g->act = sqlite3_column_int(s, 3) != 0;
    g->created_at = sqlite3_column_int64(s, 4);
}

int sqlite_grant_list(struct store *st, int64_t user_id, struct grant **out, size_t *n)
{
    static const char sql[] =
        "SELECT g.user_id, g.department_id, d.code, g.act, g.created_at FROM user_grants g "
        "JOIN departments d ON d.id = g.department_id WHERE g.user_id = ?1 ORDER BY d.code";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s)
        sqlite3_bind_int64(s, 1, user_id);
    return db_collect(st, s, sizeof(**out), grant_row, NULL, NULL, NULL, (void **)out, n);
}

int sqlite_audit_add(struct store *st, const struct audit_entry *e)
{
    static const char sql[] =
        "INSERT INTO audit_log(at, actor_id, actor, kind, object, address, before, after) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, e->at);
    sqlite3_bind_int64(s, 2, e->actor_id);
    sqlite3_bind_text(s, 3, e->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, e->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, e->object, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, e->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, e->before ? e->before : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, e->after ? e->after : "", -1, SQLITE_STATIC);
    return db_exec_stmt(st, s);
}

static void audit_row(sqlite3_stmt *s, void *rec)
{
    struct audit_entry *e = rec;
    memset(e, 0, sizeof(*e));
    e->id = sqlite3_column_int64(s, 0);
    e->at = sqlite3_column_int64(s, 1);
    e->actor_id = sqlite3_column_int64(s, 2);
    db_col_copy(s, 3, e->actor, sizeof(e->actor));
    db_col_copy(s, 4, e->kind, sizeof(e->kind));
    db_col_copy(s, 5, e->object, sizeof(e->object));
    db_col_copy(s, 6, e->address, sizeof(e->address));
    e->before = db_col_dup(s, 7);
    e->after = db_col_dup(s, 8);
}

static void audit_release_rec(void *rec)
{
    audit_entry_release(rec);
}

int sqlite_audit_list(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                      size_t *n, int64_t *next)
{
    /* one static statement: the absent filters match everything */
    static const char sql[] =
        "SELECT id, at, actor_id, actor, kind, object, address, before, after FROM audit_log "
        "WHERE (?1 = 0 OR at >= ?1) AND (?2 = 0 OR at < ?2) AND (?3 = '' OR actor = ?3) AND "
        "(?4 = '' OR kind = ?4) AND (?5 = 0 OR id < ?5) ORDER BY id DESC LIMIT ?6";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s) {
        sqlite3_bind_int64(s, 1, f->from);
        sqlite3_bind_int64(s, 2, f->to);
        sqlite3_bind_text(s, 3, f->actor ? f->actor : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, f->kind ? f->kind : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, f->after);
        sqlite3_bind_int(s, 6, f->limit + 1);
    }
    int rc =
        db_collect(st, s, sizeof(**out), audit_row, NULL, NULL, audit_release_rec, (void **)out, n);
    if (rc == ERR_OK && *n > (size_t)f->limit) {
        audit_entry_release(&(*out)[--*n]);
        *next = (*out)[*n - 1].id;
    }
    return rc;
}
