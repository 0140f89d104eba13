/* PostgreSQL backend: CİMER rows and intake messages (issue 15; store.h). */
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define CIMER_COLS                                                                                 \
    "x.app_id, x.cimer_no, x.filed_at, x.promise_due, x.legal_due, x.imported_at, "                \
    "x.answered_at, x.institution_id, x.note, a.tracking, a.status, d.code, i.code "               \
    "FROM cimer_apps x JOIN applications a ON a.id = x.app_id "                                    \
    "LEFT JOIN departments d ON d.id = a.department_id "                                           \
    "LEFT JOIN institutions i ON i.id = x.institution_id "

static void cimer_row(const PGresult *res, int i, struct cimer_rec *r)
{
    memset(r, 0, sizeof(*r));
    r->app_id = pg_int(res, i, 0);
    pg_copy(res, i, 1, r->cimer_no, sizeof(r->cimer_no));
    r->filed_at = pg_int(res, i, 2);
    r->promise_due = pg_int(res, i, 3);
    r->legal_due = pg_int(res, i, 4);
    r->imported_at = pg_int(res, i, 5);
    r->answered_at = pg_int(res, i, 6);
    r->institution_id = pg_int(res, i, 7);
    pg_copy(res, i, 8, r->note, sizeof(r->note));
    pg_copy(res, i, 9, r->tracking, sizeof(r->tracking));
    int status = lifecycle_status_parse(pg_str(res, i, 10));
    r->status = status < 0 ? ST_NEW : (enum app_status)status;
    pg_copy(res, i, 11, r->department_code, sizeof(r->department_code));
    pg_copy(res, i, 12, r->institution_code, sizeof(r->institution_code));
}

int pg_cimer_add(struct store *st, const struct cimer_rec *r)
{
    static const char sql[] =
        "INSERT INTO cimer_apps(app_id, cimer_no, filed_at, promise_due, legal_due, imported_at, "
        "answered_at, institution_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    struct pg_args a = { .n = 0 };
    pa_int(&a, r->app_id);
    pa_text(&a, r->cimer_no);
    pa_int(&a, r->filed_at);
    pa_int(&a, r->promise_due);
    pa_int(&a, r->legal_due);
    pa_int(&a, r->imported_at);
    pa_id(&a, r->answered_at);
    pa_id(&a, r->institution_id);
    pa_text(&a, r->note[0] ? r->note : NULL);
    return pg_exec(st, sql, &a, NULL);
}

static int cimer_one(struct store *st, const char *sql, struct pg_args *a, struct cimer_rec *out)
{
    PGresult *res;
    int rc = pg_one(st, sql, a, &res);
    if (rc != ERR_OK)
        return rc;
    cimer_row(res, 0, out);
    PQclear(res);
    return ERR_OK;
}

int pg_cimer_get(struct store *st, int64_t app_id, struct cimer_rec *out)
{
    static const char sql[] = "SELECT " CIMER_COLS "WHERE x.app_id = $1";
    struct pg_args a = { .n = 0 };
    pa_int(&a, app_id);
    return cimer_one(st, sql, &a, out);
}

int pg_cimer_by_no(struct store *st, const char *no, struct cimer_rec *out)
{
    static const char sql[] = "SELECT " CIMER_COLS "WHERE x.cimer_no = $1";
    struct pg_args a = { .n = 0 };
    pa_text(&a, no);
    return cimer_one(st, sql, &a, out);
}

int pg_cimer_update(struct store *st, const struct cimer_rec *r)
{
    static const char sql[] = "UPDATE cimer_apps SET answered_at = $2, institution_id = $3, "
                              "note = $4 WHERE app_id = $1";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, r->app_id);
    pa_id(&a, r->answered_at);
    pa_id(&a, r->institution_id);
    pa_text(&a, r->note[0] ? r->note : NULL);
    int rc = pg_exec(st, sql, &a, &changed);
    if (rc == ERR_OK && changed == 0)
        return ERR_NOT_FOUND;
    return rc;
}

int pg_cimer_list(struct store *st, bool open_only, int limit, struct cimer_rec **out, size_t *n)
{
    static const char sql[] =
        "SELECT " CIMER_COLS "WHERE ($1 = 0 OR (x.answered_at IS NULL AND x.institution_id IS "
        "NULL)) ORDER BY x.promise_due, x.app_id LIMIT $2";
    struct pg_args a = { .n = 0 };
    int rc;
    *out = NULL;
    *n = 0;
    pa_int(&a, open_only ? 1 : 0);
    pa_int(&a, limit > 0 ? limit : 1000);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    int rows = PQntuples(res);
    struct cimer_rec *v = xmalloc((rows ? (size_t)rows : 1) * sizeof(*v));
    for (int i = 0; i < rows; i++)
        cimer_row(res, i, &v[i]);
    PQclear(res);
    *out = v;
    *n = (size_t)rows;
    return ERR_OK;
}

int pg_intake_add(struct store *st, const char *channel, const char *message_id, int64_t app_id,
                  int64_t contact_id, bool flagged, int64_t at)
{
    static const char sql[] = "INSERT INTO intake_messages(channel, message_id, app_id, "
                              "contact_id, flagged, received_at) VALUES ($1, $2, $3, $4, $5, $6)";
    struct pg_args a = { .n = 0 };
    pa_text(&a, channel);
    pa_text(&a, message_id);
    pa_id(&a, app_id);
    pa_id(&a, contact_id);
    pa_int(&a, flagged ? 1 : 0);
    pa_int(&a, at);
    return pg_exec(st, sql, &a, NULL);
}

int pg_intake_get(struct store *st, const char *channel, const char *message_id, int64_t *app_id)
{
    static const char sql[] =
        "SELECT app_id FROM intake_messages WHERE channel = $1 AND message_id = $2";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, channel);
    pa_text(&a, message_id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc != ERR_OK)
        return rc;
    *app_id = pg_int(res, 0, 0);
    PQclear(res);
    return ERR_OK;
}

int pg_poll_lock(struct store *st, const char *name, bool *mine)
{
    static const char sql[] = "SELECT pg_try_advisory_lock(hashtext('alo153.poll.' || $1))";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, name);
    *mine = false;
    int rc = pg_one(st, sql, &a, &res);
    if (rc != ERR_OK)
        return rc;
    *mine = strcmp(pg_str(res, 0, 0), "t") == 0;
    PQclear(res);
    return ERR_OK;
}
