/* PostgreSQL backend: API tokens, department grants and the audit log (issue 12). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define TOKEN_COLS                                                                                 \
    "t.id, t.user_id, t.name, u.username, t.created_at, t.expires_at, t.revoked_at, "              \
    "t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id "

static void token_row(const PGresult *res, int i, struct api_token *t)
{
    memset(t, 0, sizeof(*t));
    t->id = pg_int(res, i, 0);
    t->user_id = pg_int(res, i, 1);
    pg_copy(res, i, 2, t->name, sizeof(t->name));
    pg_copy(res, i, 3, t->username, sizeof(t->username));
    t->created_at = pg_int(res, i, 4);
    t->expires_at = pg_int(res, i, 5);
    t->revoked_at = pg_int(res, i, 6);
    t->last_used_at = pg_int(res, i, 7);
}

int pg_token_create(struct store *st, struct api_token *t, const char *token_hash)
{
    static const char sql[] = "INSERT INTO api_tokens(token_hash, name, user_id, created_at, "
                              "expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, token_hash);
    pa_text(&a, t->name);
    pa_int(&a, t->user_id);
    pa_int(&a, t->created_at);
    pa_int(&a, t->expires_at);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        t->id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

static int token_one(struct store *st, const char *sql, const struct pg_args *a,
                     struct api_token *out)
{
    PGresult *res;
    int rc = pg_one(st, sql, a, &res);
    if (rc == ERR_OK) {
        token_row(res, 0, out);
        PQclear(res);
    }
    return rc;
}

int pg_token_by_hash(struct store *st, const char *token_hash, struct api_token *out)
{
    static const char sql[] = "SELECT " TOKEN_COLS "WHERE t.token_hash = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, token_hash);
    return token_one(st, sql, &a, out);
}

int pg_token_get(struct store *st, int64_t id, struct api_token *out)
{
    static const char sql[] = "SELECT " TOKEN_COLS "WHERE t.id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    return token_one(st, sql, &a, out);
}

int pg_token_list(struct store *st, struct api_token **out, size_t *n)
{
    static const char sql[] = "SELECT " TOKEN_COLS "ORDER BY t.name COLLATE \"C\"";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct api_token *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        token_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_token_revoke(struct store *st, int64_t id, int64_t at)
{
    static const char sql[] =
        "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at = 0";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, id);
    pa_int(&a, at);
    int rc = pg_exec(st, sql, &a, &changed);
    return rc == ERR_OK && changed == 0 ? ERR_NOT_FOUND : rc;
}

int pg_token_used(struct store *st, int64_t id, int64_t at)
{
    static const char sql[] = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, id);
    pa_int(&a, at);
    return pg_exec(st, sql, &a, NULL);
}

int pg_grant_set(struct store *st, const struct grant *g)
{
    static const char sql[] =
        "INSERT INTO user_grants(user_id, department_id, act, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT(user_id, department_id) DO UPDATE SET act = excluded.act";
    struct pg_args a = { .n = 0 };
    pa_int(&a, g->user_id);
    pa_int(&a, g->department_id);
    pa_int(&a, g->act);
    pa_int(&a, g->created_at);
    return pg_exec(st, sql, &a, NULL);
}

int pg_grant_delete(struct store *st, int64_t user_id, int64_t department_id)
{
    static const char sql[] = "DELETE FROM user_grants WHERE user_id = $1 AND department_id = $2";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, user_id);
    pa_int(&a, department_id);
    int rc = pg_exec(st, sql, &a, &changed);
    return rc == ERR_OK && changed == 0 ? ERR_NOT_FOUND : rc;
}

int pg_grant_list(struct store *st, int64_t user_id, struct grant **out, size_t *n)
{
    static const char sql[] =
        "SELECT g.user_id, g.department_id, d.code, g.act, g.created_at FROM user_grants g "
        "JOIN departments d ON d.id = g.department_id WHERE g.user_id = $1 "
        "ORDER BY d.code COLLATE \"C\"";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, user_id);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct grant *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        memset(&v[i], 0, sizeof(v[i]));
        v[i].user_id = pg_int(res, (int)i, 0);
        v[i].department_id = pg_int(res, (int)i, 1);
        pg_copy(res, (int)i, 2, v[i].department_code, sizeof(v[i].department_code));
        v[i].act = pg_int(res, (int)i, 3) != 0;
        v[i].created_at = pg_int(res, (int)i, 4);
    }
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_audit_add(struct store *st, const struct audit_entry *e)
{
    static const char sql[] =
        "INSERT INTO audit_log(at, actor_id, actor, kind, object, address, before, after) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    struct pg_args a = { .n = 0 };
    pa_int(&a, e->at);
    pa_int(&a, e->actor_id);
    pa_text(&a, e->actor);
    pa_text(&a, e->kind);
    pa_text(&a, e->object);
    pa_text(&a, e->address);
    pa_text(&a, e->before ? e->before : "");
    pa_text(&a, e->after ? e->after : "");
    return pg_exec(st, sql, &a, NULL);
}

int pg_audit_list(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                  size_t *n, int64_t *next)
{
    static const char sql[] =
        "SELECT id, at, actor_id, actor, kind, object, address, before, after FROM audit_log "
        "WHERE ($1::bigint = 0 OR at >= $1) AND ($2::bigint = 0 OR at < $2) AND "
        "($3::text = '' OR actor = $3) AND ($4::text = '' OR kind = $4) AND "
        "($5::bigint = 0 OR id < $5) ORDER BY id DESC LIMIT $6";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, f->from);
    pa_int(&a, f->to);
    pa_text(&a, f->actor ? f->actor : "");
    pa_text(&a, f->kind ? f->kind : "");
    pa_int(&a, f->after);
    pa_int(&a, f->limit + 1);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct audit_entry *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        struct audit_entry *e = &v[i];
        memset(e, 0, sizeof(*e));
        e->id = pg_int(res, (int)i, 0);
        e->at = pg_int(res, (int)i, 1);
        e->actor_id = pg_int(res, (int)i, 2);
        pg_copy(res, (int)i, 3, e->actor, sizeof(e->actor));
        pg_copy(res, (int)i, 4, e->kind, sizeof(e->kind));
        pg_copy(res, (int)i, 5, e->object, sizeof(e->object));
        pg_copy(res, (int)i, 6, e->address, sizeof(e->address));
        e->before = pg_dup(res, (int)i, 7);
        e->after = pg_dup(res, (int)i, 8);
    }
    PQclear(res);
    if (len > (size_t)f->limit) {
        audit_entry_release(&v[--len]);
        *next = v[len - 1].id;
    }
    *out = v;
    *n = len;
    return ERR_OK;
}
