/* SQLite backend: users, sessions, API tokens, citizens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/tccrypt.h"
#include "util/banned.h"

#define USER_FIELDS                                                                                \
    "u.id, u.username, u.full_name, u.role, u.department_id, d.code, u.disabled, u.created_at, "   \
    "u.password_hash "
#define USER_FROM "FROM users u LEFT JOIN departments d ON d.id = u.department_id "
#define USER_COLS USER_FIELDS USER_FROM

static void user_row(sqlite3_stmt *s, void *rec)
{
    struct user *u = rec;
    char role[16];
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, u->username, sizeof(u->username));
    db_col_copy(s, 2, u->full_name, sizeof(u->full_name));
    db_col_copy(s, 3, role, sizeof(role));
    int r = role_parse(role);
    u->role = r < 0 ? ROLE_AGENT : (enum role)r;
    u->department_id = sqlite3_column_int64(s, 4);
    db_col_copy(s, 5, u->department_code, sizeof(u->department_code));
    u->disabled = sqlite3_column_int(s, 6) != 0;
    u->created_at = sqlite3_column_int64(s, 7);
}

/* One user row of s; hash (unless NULL) gets column 8, times (unless NULL) columns 9 and 10
 * (a session's, sqlite_session_user). */
static int user_one(struct store *st, sqlite3_stmt *s, struct user *out, char *hash, size_t hashlen,
                    struct session_times *times)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        user_row(s, out);
        if (hash)
            db_col_copy(s, 8, hash, hashlen);
        if (times) {
            times->expires_at = sqlite3_column_int64(s, 9);
            times->max_until = sqlite3_column_int64(s, 10);
        }
        sqlite3_reset(s);
        return ERR_OK;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(st, rc);
}

int sqlite_user_create(struct store *st, struct user *u, const char *password_hash,
                       struct err_detail *ed)
{
    static const char sql[] =
        "INSERT INTO users(username, full_name, role, department_id, password_hash, disabled, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, u->username);
    db_bind_text(s, 2, u->full_name);
    db_bind_text(s, 3, role_name(u->role));
    db_bind_id(s, 4, u->department_id);
    db_bind_text(s, 5, password_hash);
    sqlite3_bind_int(s, 6, u->disabled);
    sqlite3_bind_int64(s, 7, u->created_at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_CONFLICT)
        return err_set(ed, ERR_CONFLICT, "username", "user %s already exists", u->username);
    if (rc == ERR_OK)
        u->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

int sqlite_user_get(struct store *st, int64_t id, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE u.id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    return user_one(st, s, out, NULL, 0, NULL);
}

int sqlite_user_by_name(struct store *st, const char *username, struct user *out, char *hash,
                        size_t hashlen)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE u.username = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, username);
    return user_one(st, s, out, hash, hashlen, NULL);
}

static int user_changed(struct store *st, sqlite3_stmt *s)
{
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int sqlite_user_set_password(struct store *st, int64_t id, const char *password_hash)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
    static const char sql_kill[] = "DELETE FROM sessions WHERE user_id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    db_bind_text(s, 2, password_hash);
    int rc = user_changed(st, s);
    if (rc == ERR_OK && (s = db_stmt(st, sql_kill)) != NULL) {
        sqlite3_bind_int64(s, 1, id);
        rc = db_exec_stmt(st, s);
    }
    return rc;
}

int sqlite_user_set_disabled(struct store *st, int64_t id, bool disabled)
{
    static const char sql[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
    static const char sql_kill[] = "DELETE FROM sessions WHERE user_id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, disabled);
    int rc = user_changed(st, s);
    if (rc == ERR_OK && disabled && (s = db_stmt(st, sql_kill)) != NULL) {
        sqlite3_bind_int64(s, 1, id);
        rc = db_exec_stmt(st, s);
    }
    return rc;
}

int sqlite_user_update(struct store *st, const struct user *u)
{
    static const char sql[] =
        "UPDATE users SET full_name = ?2, role = ?3, department_id = ?4, disabled = ?5 "
        "WHERE id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, u->id);
    db_bind_text(s, 2, u->full_name);
    db_bind_text(s, 3, role_name(u->role));
    db_bind_id(s, 4, u->department_id);
    sqlite3_bind_int(s, 5, u->disabled);
    return user_changed(st, s);
}

int sqlite_user_list(struct store *st, struct user **out, size_t *n)
{
    static const char sql[] = "SELECT " USER_COLS "ORDER BY u.username";
    return db_collect(st, db_stmt(st, sql), sizeof(**out), user_row, NULL, NULL, NULL, (void **)out,
                      n);
}

int sqlite_session_create(struct store *st, const char *token_hash, int64_t user_id,
                          int64_t expires_at, int64_t max_until)
{
    static const char sql[] =
        "INSERT INTO sessions(token_hash, user_id, expires_at, max_until) VALUES (?1, ?2, ?3, ?4)";
    static const char sql_gc[] = "DELETE FROM sessions WHERE expires_at < ?1";
    sqlite3_stmt *s = db_stmt(st, sql_gc);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, expires_at - 7 * 86400);
    db_exec_stmt(st, s);
    if (!(s = db_stmt(st, sql)))
        return ERR_STORE;
    db_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, expires_at);
    sqlite3_bind_int64(s, 4, max_until);
    return db_exec_stmt(st, s);
}

int sqlite_session_touch(struct store *st, const char *token_hash, int64_t now, int64_t idle_until)
{
    static const char sql_get[] =
        "SELECT expires_at, max_until FROM sessions WHERE token_hash = ?1 AND expires_at > ?2";
    static const char sql_set[] = "UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1";
    /* read first: an UPDATE would take the write lock even when it changes nothing */
    sqlite3_stmt *s = db_stmt(st, sql_get);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    int rc = db_step_row(st, s);
    if (rc == ERR_NOT_FOUND)
        return ERR_OK;
    if (rc != ERR_OK)
        return rc;
    struct session_times t = { sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1) };
    sqlite3_reset(s);
    if (!store_session_slides(&t, idle_until))
        return ERR_OK;
    int64_t to = idle_until < t.max_until ? idle_until : t.max_until;
    if (!(s = db_stmt(st, sql_set)))
        return ERR_STORE;
    db_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, to);
    return db_exec_stmt(st, s);
}

int sqlite_session_user(struct store *st, const char *token_hash, int64_t now, struct user *out,
                        struct session_times *times)
{
    static const char sql[] = "SELECT " USER_FIELDS ", se.expires_at, se.max_until " USER_FROM
                              "JOIN sessions se ON se.user_id = u.id "
                              "WHERE se.token_hash = ?1 AND se.expires_at > ?2 AND u.disabled = 0";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    return user_one(st, s, out, NULL, 0, times);
}

int sqlite_session_delete(struct store *st, const char *token_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, token_hash);
    return db_exec_stmt(st, s);
}

int sqlite_session_purge(struct store *st, int64_t now)
{
    sqlite3_stmt *s = db_stmt(st, "DELETE FROM sessions WHERE expires_at < ?1");
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, now);
    return db_exec_stmt(st, s);
}

int sqlite_token_user(struct store *st, const char *token_hash, int64_t now, struct user *out)
{
    static const char sql[] =
        "SELECT " USER_COLS "JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?1 AND "
        "u.disabled = 0 AND t.revoked_at = 0 AND (t.expires_at = 0 OR t.expires_at > ?2)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    return user_one(st, s, out, NULL, 0, NULL);
}

#define CIT_COLS                                                                                   \
    "id, name, phone, email, tc, address, created_at, anonymised_at, lang FROM citizens "

static void citizen_row(sqlite3_stmt *s, void *out)
{
    struct citizen *c = out;
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(s, 0);
    c->name = db_col_dup(s, 1);
    db_col_copy(s, 2, c->phone, sizeof(c->phone));
    c->email = db_col_dup(s, 3);
    char tc[TCCRYPT_SEALED_LEN];
    db_col_copy(s, 4, tc, sizeof(tc));
    if (tccrypt_is_sealed(tc))
        tccrypt_open(tc, c->tc, sizeof(c->tc)); /* "" without the right key */
    else
        str_copy(c->tc, sizeof(c->tc), tc);
    c->address = db_col_dup(s, 5);
    c->created_at = sqlite3_column_int64(s, 6);
    c->anonymised_at = sqlite3_column_int64(s, 7);
    db_col_copy(s, 8, c->lang, sizeof(c->lang));
}

int sqlite_citizen_create(struct store *st, struct citizen *c)
{
    static const char sql[] =
        "INSERT INTO citizens(name, phone, email, tc, address, created_at, tc_hash, lang, tc_key) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    char sealed[TCCRYPT_SEALED_LEN], hash[TCCRYPT_HASH_LEN];
    bool seal = c->tc[0] && tccrypt_seal(c->tc, sealed) && tccrypt_hash(c->tc, hash);
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, c->name);
    db_bind_text(s, 2, c->phone[0] ? c->phone : NULL);
    db_bind_text(s, 3, c->email);
    db_bind_text(s, 4, seal ? sealed : c->tc[0] ? c->tc : NULL);
    db_bind_text(s, 7, seal ? hash : NULL);
    db_bind_text(s, 5, c->address);
    sqlite3_bind_int64(s, 6, c->created_at);
    db_bind_text(s, 8, c->lang[0] ? c->lang : "tr");
    db_bind_text(s, 9, seal ? tccrypt_key_id() : NULL);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        c->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

int sqlite_citizen_get(struct store *st, int64_t id, struct citizen *out)
{
    static const char sql[] = "SELECT " CIT_COLS "WHERE id = ?1";
    return db_get_one(st, sql, id, NULL, citizen_row, out);
}

static void citizen_release_rec(void *rec)
{
    citizen_release(rec);
}

int sqlite_citizen_by_phone(struct store *st, const char *phone, struct citizen **out, size_t *n)
{
    static const char sql[] = "SELECT " CIT_COLS "WHERE phone = ?1 ORDER BY id DESC LIMIT 50";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s)
        db_bind_text(s, 1, phone);
    return db_collect(st, s, sizeof(**out), citizen_row, NULL, NULL, citizen_release_rec,
                      (void **)out, n);
}

int sqlite_citizen_view_log(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                            const char *purpose)
{
    static const char sql[] =
        "INSERT INTO citizen_views(citizen_id, user_id, at, purpose) VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, citizen_id);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, at);
    db_bind_text(s, 4, purpose);
    return db_exec_stmt(st, s);
}

int sqlite_citizen_by_tc(struct store *st, const char *tc, struct citizen **out, size_t *n)
{
    static const char by_hash[] = "SELECT " CIT_COLS "WHERE tc_hash = ?1 ORDER BY id DESC LIMIT 50";
    static const char by_plain[] = "SELECT " CIT_COLS "WHERE tc = ?1 ORDER BY id DESC LIMIT 50";
    char hash[TCCRYPT_HASH_LEN];
    bool keyed = tccrypt_hash(tc, hash);
    sqlite3_stmt *s = db_stmt(st, keyed ? by_hash : by_plain);
    if (s)
        db_bind_text(s, 1, keyed ? hash : tc);
    return db_collect(st, s, sizeof(**out), citizen_row, NULL, NULL, citizen_release_rec,
                      (void **)out, n);
}

int sqlite_tc_counts(struct store *st, int64_t *plain, int64_t *sealed)
{
    static const char sql[] = "SELECT count(*) FILTER (WHERE tc NOT LIKE 'v1:%'), "
                              "count(*) FILTER (WHERE tc LIKE 'v1:%') FROM citizens "
                              "WHERE tc IS NOT NULL AND tc <> ''";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        *plain = sqlite3_column_int64(s, 0);
        *sealed = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc;
}

int sqlite_tc_seal_all(struct store *st, int64_t *n)
{
    static const char pick[] = "SELECT id, tc FROM citizens WHERE tc IS NOT NULL AND tc <> '' "
                               "AND tc NOT LIKE 'v1:%' AND id > ?1 ORDER BY id LIMIT 500";
    static const char put[] =
        "UPDATE citizens SET tc = ?2, tc_hash = ?3, tc_key = ?4 WHERE id = ?1";
    int64_t after = 0;
    *n = 0;
    if (!tccrypt_have_key())
        return ERR_INVALID;
    for (;;) {
        int64_t ids[500];
        char tcs[500][12];
        int k = 0, rc;
        sqlite3_stmt *s = db_stmt(st, pick);
        if (!s)
            return ERR_STORE;
        sqlite3_bind_int64(s, 1, after);
        while (k < 500 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            ids[k] = sqlite3_column_int64(s, 0);
            db_col_copy(s, 1, tcs[k], sizeof(tcs[k]));
            k++;
        }
        sqlite3_reset(s);
        if (k == 0)
            return ERR_OK;
        for (int i = 0; i < k; i++) {
            char sealed[TCCRYPT_SEALED_LEN], hash[TCCRYPT_HASH_LEN];
            if (!tccrypt_seal(tcs[i], sealed) || !tccrypt_hash(tcs[i], hash))
                return ERR_INVALID;
            sqlite3_stmt *u = db_stmt(st, put);
            if (!u)
                return ERR_STORE;
            sqlite3_bind_int64(u, 1, ids[i]);
            db_bind_text(u, 2, sealed);
            db_bind_text(u, 3, hash);
            db_bind_text(u, 4, tccrypt_key_id());
            if ((rc = db_exec_stmt(st, u)) != ERR_OK)
                return rc;
            (*n)++;
        }
        after = ids[k - 1];
    }
}

static void tc_row_read(sqlite3_stmt *s, void *out)
{
    struct tc_row *r = out;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, r->tc, sizeof(r->tc));
    db_col_copy(s, 2, r->key_id, sizeof(r->key_id));
}

int sqlite_tc_page(struct store *st, int64_t after, int limit, struct tc_row **out, size_t *n)
{
    static const char sql[] = "SELECT id, tc, coalesce(tc_key, '') FROM citizens "
                              "WHERE tc LIKE 'v1:%' AND id > ?1 ORDER BY id LIMIT ?2";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s) {
        sqlite3_bind_int64(s, 1, after);
        sqlite3_bind_int(s, 2, limit < 1 ? 1 : limit);
    }
    return db_collect(st, s, sizeof(**out), tc_row_read, NULL, NULL, NULL, (void **)out, n);
}

int sqlite_tc_put(struct store *st, int64_t id, const char *old_tc, const char *tc,
                  const char *hash, const char *key_id)
{
    static const char sql[] =
        "UPDATE citizens SET tc = ?3, tc_hash = ?4, tc_key = ?5 WHERE id = ?1 AND tc = ?2";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    db_bind_text(s, 2, old_tc);
    db_bind_text(s, 3, tc);
    db_bind_text(s, 4, hash);
    db_bind_text(s, 5, key_id);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        return ERR_CONFLICT; /* changed meanwhile (anonymised, or rotated by another run) */
    return rc;
}

int sqlite_tc_foreign(struct store *st, const char *key_id, int64_t *n)
{
    static const char sql[] =
        "SELECT count(*) FROM citizens WHERE tc LIKE 'v1:%' AND tc_key IS NOT ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, key_id);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc;
}
