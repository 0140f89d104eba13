/* SQLite backend: Open311 GeoReport v2's keys, request records and category attributes
 * (store.h "Open311"; migration 009_open311.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/banned.h"

int sqlite_o311_key_add(struct store *st, const char *name, const char *key_hash,
                        int64_t created_at, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO open311_keys(name, key_hash, created_at) VALUES (?1, ?2, ?3)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, key_hash);
    sqlite3_bind_int64(s, 3, created_at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && id)
        *id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

int sqlite_o311_key_find(struct store *st, const char *key_hash, int64_t *id, char *name,
                         size_t namelen)
{
    static const char sql[] = "SELECT id, name FROM open311_keys WHERE key_hash = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, key_hash);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        *id = sqlite3_column_int64(s, 0);
        db_col_copy(s, 1, name, namelen);
        sqlite3_reset(s);
    }
    return rc;
}

int sqlite_o311_request_add(struct store *st, const struct o311_request *r)
{
    static const char sql[] =
        "INSERT INTO open311_requests(app_id, token, key_id, media_url, attributes, device_id, "
        "account_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, r->app_id);
    db_bind_text(s, 2, r->token);
    sqlite3_bind_int64(s, 3, r->key_id);
    db_bind_text(s, 4, r->media_url);
    db_bind_text(s, 5, r->attributes);
    db_bind_text(s, 6, r->device_id);
    db_bind_text(s, 7, r->account_id);
    return db_exec_stmt(st, s);
}

static void request_row(sqlite3_stmt *s, void *out)
{
    struct o311_request *r = out;
    memset(r, 0, sizeof(*r));
    r->app_id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, r->token, sizeof(r->token));
    r->key_id = sqlite3_column_int64(s, 2);
    db_col_copy(s, 3, r->media_url, sizeof(r->media_url));
    db_col_copy(s, 4, r->attributes, sizeof(r->attributes));
    db_col_copy(s, 5, r->device_id, sizeof(r->device_id));
    db_col_copy(s, 6, r->account_id, sizeof(r->account_id));
}

int sqlite_o311_request_get(struct store *st, int64_t app_id, const char *token,
                            struct o311_request *out)
{
    static const char by_app[] =
        "SELECT app_id, token, key_id, media_url, attributes, device_id, account_id "
        "FROM open311_requests WHERE app_id = ?1";
    static const char by_token[] =
        "SELECT app_id, token, key_id, media_url, attributes, device_id, account_id "
        "FROM open311_requests WHERE token = ?1";
    if (app_id)
        return db_get_one(st, by_app, app_id, NULL, request_row, out);
    return db_get_one(st, by_token, 0, token ? token : "", request_row, out);
}

static void attr_row(sqlite3_stmt *s, void *out)
{
    struct o311_attr *a = out;
    a->id = sqlite3_column_int64(s, 0);
    a->category_id = sqlite3_column_int64(s, 1);
    db_col_copy(s, 2, a->code, sizeof(a->code));
    a->pos = sqlite3_column_int(s, 3);
    db_col_copy(s, 4, a->datatype, sizeof(a->datatype));
    a->required = sqlite3_column_int(s, 5) != 0;
    db_col_copy(s, 6, a->description_tr, sizeof(a->description_tr));
    db_col_copy(s, 7, a->description_en, sizeof(a->description_en));
    db_col_copy(s, 8, a->choices, sizeof(a->choices));
}

int sqlite_o311_attr_list(struct store *st, int64_t category_id, struct o311_attr **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, category_id, code, pos, datatype, required, description_tr, description_en, "
        "choices FROM category_attributes WHERE category_id = ?1 ORDER BY pos, id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s)
        sqlite3_bind_int64(s, 1, category_id);
    return db_collect(st, s, sizeof(**out), attr_row, NULL, NULL, NULL, (void **)out, n);
}

int sqlite_o311_attr_replace(struct store *st, int64_t category_id, const struct o311_attr *a,
                             size_t n)
{
    static const char del[] = "DELETE FROM category_attributes WHERE category_id = ?1";
    static const char ins[] =
        "INSERT INTO category_attributes(category_id, code, pos, datatype, required, "
        "description_tr, description_en, choices) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *s = db_stmt(st, del);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, category_id);
    int rc = db_exec_stmt(st, s);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        if (!(s = db_stmt(st, ins)))
            return ERR_STORE;
        sqlite3_bind_int64(s, 1, category_id);
        db_bind_text(s, 2, a[i].code);
        sqlite3_bind_int(s, 3, a[i].pos);
        db_bind_text(s, 4, a[i].datatype);
        sqlite3_bind_int(s, 5, a[i].required ? 1 : 0);
        db_bind_text(s, 6, a[i].description_tr);
        db_bind_text(s, 7, a[i].description_en);
        db_bind_text(s, 8, a[i].choices);
        rc = db_exec_stmt(st, s);
    }
    return rc;
}
