/* PostgreSQL backend: Open311 GeoReport v2's keys, request records and category attributes
 * (store.h "Open311"; migration pg/migrations/008_open311.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

int pg_o311_key_add(struct store *st, const char *name, const char *key_hash, int64_t created_at,
                    int64_t *id)
{
    static const char sql[] = "INSERT INTO open311_keys(name, key_hash, created_at) "
                              "VALUES ($1, $2, $3) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, name);
    pa_text(&a, key_hash);
    pa_int(&a, created_at);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        if (id)
            *id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

int pg_o311_key_find(struct store *st, const char *key_hash, int64_t *id, char *name,
                     size_t namelen)
{
    static const char sql[] = "SELECT id, name FROM open311_keys WHERE key_hash = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, key_hash);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        *id = pg_int(res, 0, 0);
        pg_copy(res, 0, 1, name, namelen);
        PQclear(res);
    }
    return rc;
}

int pg_o311_request_add(struct store *st, const struct o311_request *r)
{
    static const char sql[] =
        "INSERT INTO open311_requests(app_id, token, key_id, media_url, attributes, device_id, "
        "account_id) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    struct pg_args a = { .n = 0 };
    pa_int(&a, r->app_id);
    pa_text(&a, r->token);
    pa_int(&a, r->key_id);
    pa_text(&a, r->media_url);
    pa_text(&a, r->attributes);
    pa_text(&a, r->device_id);
    pa_text(&a, r->account_id);
    return pg_exec(st, sql, &a, NULL);
}

int pg_o311_request_get(struct store *st, int64_t app_id, const char *token,
                        struct o311_request *out)
{
    static const char by_app[] =
        "SELECT app_id, token, key_id, media_url, attributes, device_id, account_id "
        "FROM open311_requests WHERE app_id = $1";
    static const char by_token[] =
        "SELECT app_id, token, key_id, media_url, attributes, device_id, account_id "
        "FROM open311_requests WHERE token = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    if (app_id)
        pa_int(&a, app_id);
    else
        pa_text(&a, token ? token : "");
    int rc = pg_one(st, app_id ? by_app : by_token, &a, &res);
    if (rc != ERR_OK)
        return rc;
    memset(out, 0, sizeof(*out));
    out->app_id = pg_int(res, 0, 0);
    pg_copy(res, 0, 1, out->token, sizeof(out->token));
    out->key_id = pg_int(res, 0, 2);
    pg_copy(res, 0, 3, out->media_url, sizeof(out->media_url));
    pg_copy(res, 0, 4, out->attributes, sizeof(out->attributes));
    pg_copy(res, 0, 5, out->device_id, sizeof(out->device_id));
    pg_copy(res, 0, 6, out->account_id, sizeof(out->account_id));
    PQclear(res);
    return ERR_OK;
}

int pg_o311_attr_list(struct store *st, int64_t category_id, struct o311_attr **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, category_id, code, pos, datatype, required, description_tr, description_en, "
        "choices FROM category_attributes WHERE category_id = $1 ORDER BY pos, id";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, category_id);
    *out = NULL;
    *n = 0;
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t rows = (size_t)PQntuples(res);
    struct o311_attr *v = xcalloc(rows ? rows : 1, sizeof(*v));
    for (size_t i = 0; i < rows; i++) {
        int r = (int)i;
        v[i].id = pg_int(res, r, 0);
        v[i].category_id = pg_int(res, r, 1);
        pg_copy(res, r, 2, v[i].code, sizeof(v[i].code));
        v[i].pos = (int)pg_int(res, r, 3);
        pg_copy(res, r, 4, v[i].datatype, sizeof(v[i].datatype));
        v[i].required = pg_int(res, r, 5) != 0;
        pg_copy(res, r, 6, v[i].description_tr, sizeof(v[i].description_tr));
        pg_copy(res, r, 7, v[i].description_en, sizeof(v[i].description_en));
        pg_copy(res, r, 8, v[i].choices, sizeof(v[i].choices));
    }
    PQclear(res);
    *out = v;
    *n = rows;
    return ERR_OK;
}

int pg_o311_attr_replace(struct store *st, int64_t category_id, const struct o311_attr *at,
                         size_t n)
{
    static const char del[] = "DELETE FROM category_attributes WHERE category_id = $1";
    static const char ins[] =
        "INSERT INTO category_attributes(category_id, code, pos, datatype, required, "
        "description_tr, description_en, choices) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    struct pg_args a = { .n = 0 };
    pa_int(&a, category_id);
    int rc = pg_exec(st, del, &a, NULL);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        struct pg_args b = { .n = 0 };
        pa_int(&b, category_id);
        pa_text(&b, at[i].code);
        pa_int(&b, at[i].pos);
        pa_text(&b, at[i].datatype);
        pa_int(&b, at[i].required ? 1 : 0);
        pa_text(&b, at[i].description_tr);
        pa_text(&b, at[i].description_en);
        pa_text(&b, at[i].choices);
        rc = pg_exec(st, ins, &b, NULL);
    }
    return rc;
}
