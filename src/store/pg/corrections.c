/* PostgreSQL: routing corrections (as src/store/sqlite/corrections.c). */
#include <libpq-fe.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/str.h"
#include "util/banned.h"

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int pg_correction_add(struct store *st, struct correction *c)
{
    static const char sql[] = "INSERT INTO corrections(app_id, action, suggested, previous, final, "
                              "user_id, at) VALUES ($1, $2, coalesce((SELECT category FROM "
                              "suggestions WHERE app_id = $1), $3), $4, $5, $6, $7) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_int(&a, c->app_id);
    pa_text(&a, c->action);
    pa_text(&a, nz(c->suggested));
    pa_text(&a, nz(c->previous));
    pa_text(&a, nz(c->final));
    pa_id(&a, c->user_id);
    pa_int(&a, c->at);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        c->id = pg_int(res, 0, 0);
        PQclear(res);
    }
    return rc;
}

int pg_correction_each(struct store *st, int64_t app_id, int limit,
                       int (*fn)(void *ctx, const struct correction *c), void *ctx)
{
    static const char sql[] =
        "SELECT c.id, c.app_id, c.action, a.text, c.suggested, c.previous, c.final, c.user_id, "
        "c.at FROM corrections c JOIN applications a ON a.id = c.app_id "
        "WHERE $1::bigint = 0 OR c.app_id = $1::bigint ORDER BY c.id DESC LIMIT $2";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, app_id);
    pa_int(&a, limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++) {
        struct correction c = { .id = pg_int(res, i, 0),
                                .app_id = pg_int(res, i, 1),
                                .text = pg_str(res, i, 3),
                                .user_id = pg_int(res, i, 7),
                                .at = pg_int(res, i, 8) };
        str_copy(c.action, sizeof(c.action), pg_str(res, i, 2));
        str_copy(c.suggested, sizeof(c.suggested), pg_str(res, i, 4));
        str_copy(c.previous, sizeof(c.previous), pg_str(res, i, 5));
        str_copy(c.final, sizeof(c.final), pg_str(res, i, 6));
        if (fn(ctx, &c))
            break;
    }
    PQclear(res);
    return rc;
}

int pg_correction_training_each(struct store *st,
                                int (*fn)(void *ctx, const char *text, const char *category),
                                void *ctx)
{
    static const char sql[] =
        "SELECT a.text, c.final FROM corrections c JOIN (SELECT max(id) AS id FROM corrections "
        "GROUP BY app_id) l ON l.id = c.id JOIN applications a ON a.id = c.app_id "
        "WHERE c.final IS NOT NULL ORDER BY c.id";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    for (int i = 0; res && i < PQntuples(res); i++)
        if (fn(ctx, pg_str(res, i, 0), pg_str(res, i, 1)))
            break;
    PQclear(res);
    return rc;
}
