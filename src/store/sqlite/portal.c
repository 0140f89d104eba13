/* SQLite: the citizen's phone — idempotency keys of public creates and citizens' consents. */
#include <sqlite3.h>

#include "store/sqlite/db.h"
#include "util/banned.h"

int sqlite_public_key_claim(struct store *st, const char *key, int64_t at, int64_t *app_id)
{
    static const char ins[] = "INSERT INTO public_keys(key, application_id, created_at) "
                              "VALUES (?1, 0, ?2) ON CONFLICT(key) DO NOTHING";
    static const char sel[] = "SELECT application_id FROM public_keys WHERE key = ?1";
    *app_id = 0;
    sqlite3_stmt *s = db_stmt(st, ins);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, key);
    sqlite3_bind_int64(s, 2, at);
    int rc = db_exec_stmt(st, s);
    if (rc != ERR_OK)
        return rc;
    if (sqlite3_changes(sqlite3_db_handle(s)) > 0)
        return ERR_OK;
    if (!(s = db_stmt(st, sel)))
        return ERR_STORE;
    db_bind_text(s, 1, key);
    if ((rc = db_step_row(st, s)) != ERR_OK)
        return rc;
    *app_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return ERR_CONFLICT;
}

int sqlite_public_key_set(struct store *st, const char *key, int64_t app_id)
{
    static const char upd[] = "UPDATE public_keys SET application_id = ?2 WHERE key = ?1";
    static const char del[] = "DELETE FROM public_keys WHERE key = ?1";
    sqlite3_stmt *s = db_stmt(st, app_id ? upd : del);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, key);
    if (app_id)
        sqlite3_bind_int64(s, 2, app_id);
    return db_exec_stmt(st, s);
}

int sqlite_consent_set(struct store *st, int64_t citizen_id, const char *kind, bool given,
                       int64_t at, const char *source)
{
    static const char sql[] =
        "INSERT INTO citizen_consents(citizen_id, kind, given, at, source) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(citizen_id, kind) DO UPDATE SET "
        "given = excluded.given, at = excluded.at, source = excluded.source";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, citizen_id);
    db_bind_text(s, 2, kind);
    sqlite3_bind_int(s, 3, given ? 1 : 0);
    sqlite3_bind_int64(s, 4, at);
    db_bind_text(s, 5, source ? source : "");
    return db_exec_stmt(st, s);
}

int sqlite_consent_get(struct store *st, int64_t citizen_id, const char *kind, bool *given,
                       int64_t *at)
{
    static const char sql[] =
        "SELECT given, at FROM citizen_consents WHERE citizen_id = ?1 AND kind = ?2";
    *given = false;
    *at = 0;
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, citizen_id);
    db_bind_text(s, 2, kind);
    int rc = db_step_row(st, s);
    if (rc != ERR_OK)
        return rc;
    *given = sqlite3_column_int(s, 0) != 0;
    *at = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    return ERR_OK;
}
