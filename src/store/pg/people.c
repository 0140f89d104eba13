/* PostgreSQL backend: users, sessions, API tokens, citizens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/tccrypt.h"
#include "util/banned.h"

#define USER_FIELDS                                                                                \
    "u.id, u.username, u.full_name, u.role, u.department_id, d.code, u.disabled, u.created_at, "   \
    "u.password_hash "
#define USER_FROM "FROM users u LEFT JOIN departments d ON d.id = u.department_id "
#define USER_COLS USER_FIELDS USER_FROM

static void user_row(const PGresult *res, int i, struct user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = pg_int(res, i, 0);
    pg_copy(res, i, 1, u->username, sizeof(u->username));
    pg_copy(res, i, 2, u->full_name, sizeof(u->full_name));
    int r = role_parse(pg_str(res, i, 3));
    u->role = r < 0 ? ROLE_AGENT : (enum role)r;
    u->department_id = pg_int(res, i, 4);
    pg_copy(res, i, 5, u->department_code, sizeof(u->department_code));
    u->disabled = pg_int(res, i, 6) != 0;
    u->created_at = pg_int(res, i, 7);
}

/* One user row of sql; hash (unless NULL) gets column 8, times (unless NULL) columns 9 and
 * 10 (a session's, pg_session_user). */
static int user_one(struct store *st, const char *sql, const struct pg_args *a, struct user *out,
                    char *hash, size_t hashlen, struct session_times *times)
{
    PGresult *res;
    int rc = pg_one(st, sql, a, &res);
    if (rc == ERR_OK) {
        user_row(res, 0, out);
        if (hash)
            pg_copy(res, 0, 8, hash, hashlen);
        if (times) {
            times->expires_at = pg_int(res, 0, 9);
            times->max_until = pg_int(res, 0, 10);
        }
        PQclear(res);
    }
    return rc;
}

int pg_user_create(struct store *st, struct user *u, const char *password_hash,
                   struct err_detail *ed)
{
    static const char sql[] =
        "INSERT INTO users(username, full_name, role, department_id, password_hash, disabled, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, u->username);
    pa_text(&a, u->full_name);
    pa_text(&a, role_name(u->role));
    pa_id(&a, u->department_id);
    pa_text(&a, password_hash);
    pa_int(&a, u->disabled);
    pa_int(&a, u->created_at);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_CONFLICT)
        return err_set(ed, ERR_CONFLICT, "username", "user %s already exists", u->username);
    if (rc == ERR_OK) {
        u->id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

int pg_user_get(struct store *st, int64_t id, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE u.id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    return user_one(st, sql, &a, out, NULL, 0, NULL);
}

int pg_user_by_name(struct store *st, const char *username, struct user *out, char *hash,
                    size_t hashlen)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE u.username = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, username);
    return user_one(st, sql, &a, out, hash, hashlen, NULL);
}

/* Run an UPDATE of one user; ERR_NOT_FOUND when it changed no row. */
static int user_changed(struct store *st, const char *sql, const struct pg_args *a)
{
    int64_t changed = 0;
    int rc = pg_exec(st, sql, a, &changed);
    if (rc == ERR_OK && changed == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

static int user_kill_sessions(struct store *st, int64_t id)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    return pg_exec(st, sql, &a, NULL);
}

int pg_user_set_password(struct store *st, int64_t id, const char *password_hash)
{
    static const char sql[] = "UPDATE users SET password_hash = $2 WHERE id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    pa_text(&a, password_hash);
    int rc = user_changed(st, sql, &a);
    if (rc == ERR_OK)
        rc = user_kill_sessions(st, id);
    return rc;
}

int pg_user_set_disabled(struct store *st, int64_t id, bool disabled)
{
    static const char sql[] = "UPDATE users SET disabled = $2 WHERE id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    pa_int(&a, disabled);
    int rc = user_changed(st, sql, &a);
    if (rc == ERR_OK && disabled)
        rc = user_kill_sessions(st, id);
    return rc;
}

int pg_user_update(struct store *st, const struct user *u)
{
    static const char sql[] =
        "UPDATE users SET full_name = $2, role = $3, department_id = $4, disabled = $5 "
        "WHERE id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, u->id);
    pa_text(&a, u->full_name);
    pa_text(&a, role_name(u->role));
    pa_id(&a, u->department_id);
    pa_int(&a, u->disabled);
    return user_changed(st, sql, &a);
}

int pg_user_list(struct store *st, struct user **out, size_t *n)
{
    static const char sql[] = "SELECT " USER_COLS "ORDER BY u.username COLLATE \"C\"";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct user *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        user_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_session_create(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at,
                      int64_t max_until)
{
    static const char sql[] =
        "INSERT INTO sessions(token_hash, user_id, expires_at, max_until) VALUES ($1, $2, $3, $4)";
    static const char sql_gc[] = "DELETE FROM sessions WHERE expires_at < $1";
    struct pg_args g = { .n = 0 }, a = { .n = 0 };
    pa_int(&g, expires_at - 7 * 86400);
    int rc = pg_exec(st, sql_gc, &g, NULL);
    if (rc != ERR_OK)
        return rc; /* unlike SQLite, a failed statement ends the transaction on PostgreSQL */
    pa_text(&a, token_hash);
    pa_int(&a, user_id);
    pa_int(&a, expires_at);
    pa_int(&a, max_until);
    return pg_exec(st, sql, &a, NULL);
}

int pg_session_touch(struct store *st, const char *token_hash, int64_t now, int64_t idle_until)
{
    /* one statement; the row lock is taken only when the expiry really moves */
    static const char sql[] =
        "UPDATE sessions SET expires_at = LEAST($3::bigint, max_until) WHERE token_hash = $1 "
        "AND expires_at > $2 AND max_until > 0 AND LEAST($3::bigint, max_until) > expires_at + "
        "$4";
    struct pg_args a = { .n = 0 };
    pa_text(&a, token_hash);
    pa_int(&a, now);
    pa_int(&a, idle_until);
    pa_int(&a, STORE_SESSION_TOUCH_STEP);
    return pg_exec(st, sql, &a, NULL);
}

int pg_session_user(struct store *st, const char *token_hash, int64_t now, struct user *out,
                    struct session_times *times)
{
    static const char sql[] = "SELECT " USER_FIELDS ", se.expires_at, se.max_until " USER_FROM
                              "JOIN sessions se ON se.user_id = u.id "
                              "WHERE se.token_hash = $1 AND se.expires_at > $2 AND u.disabled = 0";
    struct pg_args a = { .n = 0 };
    pa_text(&a, token_hash);
    pa_int(&a, now);
    return user_one(st, sql, &a, out, NULL, 0, times);
}

int pg_session_delete(struct store *st, const char *token_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, token_hash);
    return pg_exec(st, sql, &a, NULL);
}

int pg_session_purge(struct store *st, int64_t now)
{
    struct pg_args a = { .n = 0 };
    pa_int(&a, now);
    return pg_exec(st, "DELETE FROM sessions WHERE expires_at < $1", &a, NULL);
}

#define CIT_COLS                                                                                   \
    "id, name, phone, email, tc, address, created_at, anonymised_at, lang FROM citizens "

static void citizen_row(const PGresult *res, int i, struct citizen *c)
{
    memset(c, 0, sizeof(*c));
    c->id = pg_int(res, i, 0);
    c->name = pg_dup(res, i, 1);
    pg_copy(res, i, 2, c->phone, sizeof(c->phone));
    c->email = pg_dup(res, i, 3);
    const char *tc = pg_str(res, i, 4);
    if (tccrypt_is_sealed(tc))
        tccrypt_open(tc, c->tc, sizeof(c->tc)); /* "" without the right key */
    else
        str_copy(c->tc, sizeof(c->tc), tc);
    c->address = pg_dup(res, i, 5);
    c->created_at = pg_int(res, i, 6);
    c->anonymised_at = pg_int(res, i, 7);
    pg_copy(res, i, 8, c->lang, sizeof(c->lang));
}

int pg_token_user(struct store *st, const char *token_hash, int64_t now, struct user *out)
{
    static const char sql[] =
        "SELECT " USER_COLS "JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND "
        "u.disabled = 0 AND t.revoked_at = 0 AND (t.expires_at = 0 OR t.expires_at > $2)";
    struct pg_args a = { .n = 0 };
    pa_text(&a, token_hash);
    pa_int(&a, now);
    return user_one(st, sql, &a, out, NULL, 0, NULL);
}

int pg_citizen_create(struct store *st, struct citizen *c)
{
    static const char sql[] =
        "INSERT INTO citizens(name, phone, email, tc, address, created_at, tc_hash, lang, tc_key) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    char sealed[TCCRYPT_SEALED_LEN], hash[TCCRYPT_HASH_LEN];
    bool seal = c->tc[0] && tccrypt_seal(c->tc, sealed) && tccrypt_hash(c->tc, hash);
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, c->name);
    pa_text(&a, c->phone[0] ? c->phone : NULL);
    pa_text(&a, c->email);
    pa_text(&a, seal ? sealed : c->tc[0] ? c->tc : NULL);
    pa_text(&a, c->address);
    pa_int(&a, c->created_at);
    pa_text(&a, seal ? hash : NULL);
    pa_text(&a, c->lang[0] ? c->lang : "tr");
    pa_text(&a, seal ? tccrypt_key_id() : NULL);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        c->id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

int pg_citizen_get(struct store *st, int64_t id, struct citizen *out)
{
    static const char sql[] = "SELECT " CIT_COLS "WHERE id = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        citizen_row(res, 0, out);
        PQclear(res);
    }
    return rc;
}

int pg_citizen_by_phone(struct store *st, const char *phone, struct citizen **out, size_t *n)
{
    static const char sql[] = "SELECT " CIT_COLS "WHERE phone = $1 ORDER BY id DESC LIMIT 50";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_text(&a, phone);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct citizen *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        citizen_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_citizen_view_log(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                        const char *purpose)
{
    static const char sql[] =
        "INSERT INTO citizen_views(citizen_id, user_id, at, purpose) VALUES ($1, $2, $3, $4)";
    struct pg_args a = { .n = 0 };
    pa_int(&a, citizen_id);
    pa_int(&a, user_id);
    pa_int(&a, at);
    pa_text(&a, purpose);
    return pg_exec(st, sql, &a, NULL);
}

int pg_citizen_view_log_alone(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                              const char *purpose)
{
    int rc = pg_begin(st);
    if (rc != ERR_OK)
        return rc;
    if ((rc = pg_citizen_view_log(st, citizen_id, user_id, at, purpose)) != ERR_OK) {
        pg_rollback(st);
        return rc;
    }
    return pg_commit(st);
}

int pg_citizen_by_tc(struct store *st, const char *tc, struct citizen **out, size_t *n)
{
    static const char by_hash[] = "SELECT " CIT_COLS "WHERE tc_hash = $1 ORDER BY id DESC LIMIT 50";
    static const char by_plain[] = "SELECT " CIT_COLS "WHERE tc = $1 ORDER BY id DESC LIMIT 50";
    char hash[TCCRYPT_HASH_LEN];
    bool keyed = tccrypt_hash(tc, hash);
    struct pg_args a = { .n = 0 };
    int rc;
    pa_text(&a, keyed ? hash : tc);
    PGresult *res = pg_run(st, keyed ? by_hash : by_plain, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct citizen *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        citizen_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_tc_counts(struct store *st, int64_t *plain, int64_t *sealed)
{
    static const char sql[] = "SELECT count(*) FILTER (WHERE tc NOT LIKE 'v1:%'), "
                              "count(*) FILTER (WHERE tc LIKE 'v1:%') FROM citizens "
                              "WHERE tc IS NOT NULL AND tc <> ''";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        *plain = pg_int(res, 0, 0);
        *sealed = pg_int(res, 0, 1);
        PQclear(res);
    }
    return rc;
}

int pg_tc_seal_all(struct store *st, int64_t *n)
{
    static const char pick[] = "SELECT id, tc FROM citizens WHERE tc IS NOT NULL AND tc <> '' "
                               "AND tc NOT LIKE 'v1:%' AND id > $1 ORDER BY id LIMIT 500";
    static const char put[] =
        "UPDATE citizens SET tc = $2, tc_hash = $3, tc_key = $4 WHERE id = $1";
    int64_t after = 0;
    *n = 0;
    if (!tccrypt_have_key())
        return ERR_INVALID;
    for (;;) {
        struct pg_args a = { .n = 0 };
        int rc;
        pa_int(&a, after);
        PGresult *res = pg_run(st, pick, &a, &rc);
        if (!res)
            return rc;
        int k = PQntuples(res);
        for (int i = 0; i < k; i++) {
            char sealed[TCCRYPT_SEALED_LEN], hash[TCCRYPT_HASH_LEN], tc[12];
            struct pg_args u = { .n = 0 };
            pg_copy(res, i, 1, tc, sizeof(tc));
            after = pg_int(res, i, 0);
            if (!tccrypt_seal(tc, sealed) || !tccrypt_hash(tc, hash)) {
                PQclear(res);
                return ERR_INVALID;
            }
            pa_int(&u, after);
            pa_text(&u, sealed);
            pa_text(&u, hash);
            pa_text(&u, tccrypt_key_id());
            if ((rc = pg_exec(st, put, &u, NULL)) != ERR_OK) {
                PQclear(res);
                return rc;
            }
            (*n)++;
        }
        PQclear(res);
        if (k == 0)
            return ERR_OK;
    }
}

int pg_tc_page(struct store *st, int64_t after, int limit, struct tc_row **out, size_t *n)
{
    static const char sql[] = "SELECT id, tc, coalesce(tc_key, '') FROM citizens "
                              "WHERE tc LIKE 'v1:%' AND id > $1 ORDER BY id LIMIT $2";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, after);
    pa_int(&a, limit < 1 ? 1 : limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct tc_row *v = xcalloc(len ? len : 1, sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        v[i].id = pg_int(res, (int)i, 0);
        pg_copy(res, (int)i, 1, v[i].tc, sizeof(v[i].tc));
        pg_copy(res, (int)i, 2, v[i].key_id, sizeof(v[i].key_id));
    }
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_tc_put(struct store *st, int64_t id, const char *old_tc, const char *tc, const char *hash,
              const char *key_id)
{
    static const char sql[] =
        "UPDATE citizens SET tc = $3, tc_hash = $4, tc_key = $5 WHERE id = $1 AND tc = $2";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, id);
    pa_text(&a, old_tc);
    pa_text(&a, tc);
    pa_text(&a, hash);
    pa_text(&a, key_id);
    int rc = pg_exec(st, sql, &a, &changed);
    if (rc == ERR_OK && changed == 0)
        return ERR_CONFLICT; /* changed meanwhile (anonymised, or rotated by another run) */
    return rc;
}

int pg_tc_foreign(struct store *st, const char *key_id, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM citizens WHERE tc LIKE 'v1:%' AND "
                              "tc_key IS DISTINCT FROM $1";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, key_id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        *n = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}
