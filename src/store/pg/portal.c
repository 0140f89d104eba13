/* PostgreSQL: the citizen's phone — idempotency keys of public creates and citizens'
 * consents (as src/store/sqlite/portal.c). */
#include <libpq-fe.h>

#include "store/pg/db.h"
#include "util/banned.h"

int pg_public_key_claim(struct store *st, const char *key, int64_t at, int64_t *app_id)
{
    static const char ins[] = "INSERT INTO public_keys(key, application_id, created_at) "
                              "VALUES ($1, 0, $2) ON CONFLICT(key) DO NOTHING";
    static const char sel[] = "SELECT application_id FROM public_keys WHERE key = $1";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    PGresult *res;
    *app_id = 0;
    pa_text(&a, key);
    pa_int(&a, at);
    int rc = pg_exec(st, ins, &a, &changed);
    if (rc != ERR_OK)
        return rc;
    if (changed > 0)
        return ERR_OK;
    struct pg_args b = { .n = 0 };
    pa_text(&b, key);
    if ((rc = pg_one(st, sel, &b, &res)) != ERR_OK)
        return rc;
    *app_id = pg_int(res, 0, 0);
    PQclear(res);
    return ERR_CONFLICT;
}

int pg_public_key_set(struct store *st, const char *key, int64_t app_id)
{
    static const char upd[] = "UPDATE public_keys SET application_id = $2 WHERE key = $1";
    static const char del[] = "DELETE FROM public_keys WHERE key = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, key);
    if (app_id)
        pa_int(&a, app_id);
    return pg_exec(st, app_id ? upd : del, &a, NULL);
}

int pg_consent_set(struct store *st, int64_t citizen_id, const char *kind, bool given, int64_t at,
                   const char *source)
{
    static const char sql[] =
        "INSERT INTO citizen_consents(citizen_id, kind, given, at, source) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT(citizen_id, kind) DO UPDATE SET "
        "given = excluded.given, at = excluded.at, source = excluded.source";
    struct pg_args a = { .n = 0 };
    pa_int(&a, citizen_id);
    pa_text(&a, kind);
    pa_int(&a, given ? 1 : 0);
    pa_int(&a, at);
    pa_text(&a, source ? source : "");
    return pg_exec(st, sql, &a, NULL);
}

int pg_consent_get(struct store *st, int64_t citizen_id, const char *kind, bool *given, int64_t *at)
{
    static const char sql[] =
        "SELECT given, at FROM citizen_consents WHERE citizen_id = $1 AND kind = $2";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    *given = false;
    *at = 0;
    pa_int(&a, citizen_id);
    pa_text(&a, kind);
    int rc = pg_one(st, sql, &a, &res);
    if (rc != ERR_OK)
        return rc;
    *given = pg_int(res, 0, 0) != 0;
    *at = pg_int(res, 0, 1);
    PQclear(res);
    return ERR_OK;
}
