/* PostgreSQL backend: the application rollups (store.h, "application rollups") and the
 * report's reads of application rows, as store/sqlite/rollup.c. */
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/timeutil.h"
#include "util/banned.h"

static int64_t month_of_day(int64_t day)
{
    struct civil_date c = time_civil_from_days(day);
    return (int64_t)c.year * 12 + c.month - 1;
}

/* The stripe of a rollup row this connection writes (migration 020): its server process's
 * id, so concurrent writers mostly lock different rows; readers add the stripes up. */
#define STRIPE "(pg_backend_pid() % 16)"

int pg_rollup_app_add(struct store *st, const struct app_rollup *r, int sign)
{
    static const char sql_apps[] =
        "INSERT INTO app_rollup(grain, bucket, department_id, category_id, channel, kind, n, "
        "open, resolved, in_deadline, returned, transferred, reopened, stripe) VALUES ($1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, " STRIPE ") ON CONFLICT(grain, bucket, "
        "department_id, category_id, channel, kind, stripe) DO UPDATE SET n = app_rollup.n + "
        "excluded.n, open = "
        "app_rollup.open + excluded.open, resolved = app_rollup.resolved + excluded.resolved, "
        "in_deadline = app_rollup.in_deadline + excluded.in_deadline, returned = "
        "app_rollup.returned + excluded.returned, transferred = app_rollup.transferred + "
        "excluded.transferred, reopened = app_rollup.reopened + excluded.reopened";
    static const char sql_place[] =
        "INSERT INTO app_rollup_place(grain, bucket, department_id, district_id, "
        "neighbourhood_id, n, stripe) VALUES ($1, $2, $3, $4, $5, $6, " STRIPE ") ON "
        "CONFLICT(grain, bucket, department_id, district_id, neighbourhood_id, stripe) DO UPDATE "
        "SET n = app_rollup_place.n + excluded.n";
    static const char sql_res[] =
        "INSERT INTO app_rollup_restime(grain, bucket, department_id, bin, n, stripe) VALUES ($1, "
        "$2, $3, $4, $5, " STRIPE ") ON CONFLICT(grain, bucket, department_id, bin, stripe) DO "
        "UPDATE SET n = app_rollup_restime.n + excluded.n";
    int rc = ERR_OK;
    for (int g = APP_GRAIN_DAY; g <= APP_GRAIN_MONTH && rc == ERR_OK; g++) {
        int64_t bucket = g == APP_GRAIN_DAY ? r->bucket : month_of_day(r->bucket);
        struct pg_args a = { .n = 0 };
        pa_int(&a, g);
        pa_int(&a, bucket);
        pa_int(&a, r->department_id);
        pa_int(&a, r->category_id);
        pa_text(&a, r->channel);
        pa_text(&a, r->kind);
        pa_int(&a, sign * r->n);
        pa_int(&a, sign * r->open);
        pa_int(&a, sign * r->resolved);
        pa_int(&a, sign * r->in_deadline);
        pa_int(&a, sign * r->returned);
        pa_int(&a, sign * r->transferred);
        pa_int(&a, sign * r->reopened);
        if ((rc = pg_exec(st, sql_apps, &a, NULL)) != ERR_OK)
            break;
        a.n = 0;
        pa_int(&a, g);
        pa_int(&a, bucket);
        pa_int(&a, r->department_id);
        pa_int(&a, r->district_id);
        pa_int(&a, r->neighbourhood_id);
        pa_int(&a, sign * r->n);
        if ((rc = pg_exec(st, sql_place, &a, NULL)) != ERR_OK || r->res_bin < 0)
            continue;
        a.n = 0;
        pa_int(&a, g);
        pa_int(&a, bucket);
        pa_int(&a, r->department_id);
        pa_int(&a, r->res_bin);
        pa_int(&a, sign * r->n);
        rc = pg_exec(st, sql_res, &a, NULL);
    }
    return rc;
}

int pg_rollup_app_each(struct store *st, enum rollup_table t, enum rollup_grain grain, int64_t from,
                       int64_t to, int (*fn)(void *ctx, const struct app_rollup *row), void *ctx)
{
    /* the stripes of each key added up (STRIPE above) */
    static const char sql_apps[] =
        "SELECT bucket, department_id, category_id, channel, kind, sum(n), sum(open), "
        "sum(resolved), sum(in_deadline), sum(returned), sum(transferred), sum(reopened) FROM "
        "app_rollup WHERE grain = $1 AND bucket BETWEEN $2 AND $3 GROUP BY bucket, "
        "department_id, category_id, channel, kind HAVING sum(n) <> 0";
    static const char sql_place[] =
        "SELECT bucket, department_id, district_id, neighbourhood_id, sum(n) FROM "
        "app_rollup_place WHERE grain = $1 AND bucket BETWEEN $2 AND $3 GROUP BY bucket, "
        "department_id, district_id, neighbourhood_id HAVING sum(n) <> 0";
    static const char sql_res[] =
        "SELECT bucket, department_id, bin, sum(n) FROM app_rollup_restime WHERE grain = $1 AND "
        "bucket BETWEEN $2 AND $3 GROUP BY bucket, department_id, bin HAVING sum(n) <> 0";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, (int64_t)grain);
    pa_int(&a, from);
    pa_int(&a, to);
    PGresult *res = pg_run(st,
                           t == ROLLUP_APPS     ? sql_apps
                           : t == ROLLUP_PLACES ? sql_place
                                                : sql_res,
                           &a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++) {
        struct app_rollup r;
        memset(&r, 0, sizeof(r));
        r.grain = (int)grain;
        r.bucket = pg_int(res, i, 0);
        r.department_id = pg_int(res, i, 1);
        if (t == ROLLUP_APPS) {
            r.category_id = pg_int(res, i, 2);
            pg_copy(res, i, 3, r.channel, sizeof(r.channel));
            pg_copy(res, i, 4, r.kind, sizeof(r.kind));
            r.n = pg_int(res, i, 5);
            r.open = pg_int(res, i, 6);
            r.resolved = pg_int(res, i, 7);
            r.in_deadline = pg_int(res, i, 8);
            r.returned = pg_int(res, i, 9);
            r.transferred = pg_int(res, i, 10);
            r.reopened = pg_int(res, i, 11);
        } else if (t == ROLLUP_PLACES) {
            r.district_id = pg_int(res, i, 2);
            r.neighbourhood_id = pg_int(res, i, 3);
            r.n = pg_int(res, i, 4);
        } else {
            r.res_bin = (int)pg_int(res, i, 2);
            r.n = pg_int(res, i, 3);
        }
        if (fn(ctx, &r))
            break;
    }
    PQclear(res);
    return rc;
}

int pg_rollup_app_clear(struct store *st)
{
    static const char *const sql[] = { "DELETE FROM app_rollup", "DELETE FROM app_rollup_place",
                                       "DELETE FROM app_rollup_restime",
                                       "DELETE FROM settings WHERE key = 'rollup.apps'" };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        int rc = pg_exec(st, sql[i], NULL, NULL);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* "return,transfer" → the bit set of those actions */
static unsigned actions_of(const char *list)
{
    unsigned m = 0;
    char word[32];
    while (list && *list) {
        size_t n = strcspn(list, ",");
        if (n < sizeof(word)) {
            memcpy(word, list, n);
            word[n] = 0;
            int a = lifecycle_action_parse(word);
            if (a >= 0)
                m |= 1u << a;
        }
        list += n + (list[n] == ',');
    }
    return m;
}

int pg_app_report_each(struct store *st,
                       int (*fn)(void *ctx, const struct app *a, unsigned actions), void *ctx)
{
    static const char sql[] =
        "SELECT a.id, a.kind, a.channel, a.status, a.category_id, a.department_id, "
        "a.district_id, a.neighbourhood_id, a.created_at, a.forwarded_at, a.resolution_due, "
        "a.responded_at, a.closed_at, a.hold_since, (SELECT string_agg(DISTINCT e.action, ',') "
        "FROM events e WHERE e.app_id = a.id) FROM applications a ORDER BY a.id";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    for (int i = 0; res && i < PQntuples(res); i++) {
        struct app a;
        memset(&a, 0, sizeof(a));
        a.id = pg_int(res, i, 0);
        pg_copy(res, i, 1, a.kind, sizeof(a.kind));
        pg_copy(res, i, 2, a.channel, sizeof(a.channel));
        int stt = lifecycle_status_parse(pg_str(res, i, 3));
        a.status = stt < 0 ? ST_NEW : (enum app_status)stt;
        a.category_id = pg_int(res, i, 4);
        a.department_id = pg_int(res, i, 5);
        a.district_id = pg_int(res, i, 6);
        a.neighbourhood_id = pg_int(res, i, 7);
        a.created_at = pg_int(res, i, 8);
        a.forwarded_at = pg_int(res, i, 9);
        a.resolution_due = pg_int(res, i, 10);
        a.responded_at = pg_int(res, i, 11);
        a.closed_at = pg_int(res, i, 12);
        a.hold_since = pg_int(res, i, 13);
        if ((rc = fn(ctx, &a, actions_of(pg_str(res, i, 14)))) != 0)
            break;
    }
    PQclear(res);
    return rc;
}

int pg_event_actions(struct store *st, int64_t app_id, unsigned *actions)
{
    /* no DISTINCT: OR-ing a repeated action changes nothing, and DISTINCT costs SQLite an
     * ephemeral table on every call (about 40 k instructions per lifecycle action) */
    static const char sql[] = "SELECT action FROM events WHERE app_id = $1";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, app_id);
    PGresult *res = pg_run(st, sql, &a, &rc);
    *actions = 0;
    for (int i = 0; res && i < PQntuples(res); i++)
        *actions |= actions_of(pg_str(res, i, 0));
    PQclear(res);
    return rc;
}

int pg_app_overdue_each(struct store *st, int64_t from, int64_t to, int64_t now,
                        int (*fn)(void *ctx, int64_t department_id, int64_t n), void *ctx)
{
    static const char sql[] =
        "SELECT coalesce(department_id, 0), count(*) FROM applications WHERE status IN "
        "('forwarded', 'in_progress') AND hold_since IS NULL AND resolution_due < $3 AND "
        "created_at >= $1 AND created_at < $2 GROUP BY 1";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, from);
    pa_int(&a, to);
    pa_int(&a, now);
    PGresult *res = pg_run(st, sql, &a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++)
        if (fn(ctx, pg_int(res, i, 0), pg_int(res, i, 1)))
            break;
    PQclear(res);
    return rc;
}

int pg_app_text_each(struct store *st, const char *kind, int64_t from, int64_t to, int limit,
                     int (*fn)(void *ctx, int64_t id, int64_t department_id, const char *text),
                     void *ctx)
{
    static const char sql[] =
        "SELECT id, coalesce(department_id, 0), text FROM applications WHERE kind = $1 AND "
        "created_at >= $2 AND created_at < $3 ORDER BY created_at DESC, id DESC LIMIT $4";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_text(&a, kind);
    pa_int(&a, from);
    pa_int(&a, to);
    pa_int(&a, limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++)
        if (fn(ctx, pg_int(res, i, 0), pg_int(res, i, 1), pg_str(res, i, 2)))
            break;
    PQclear(res);
    return rc;
}

int pg_app_comeback_each(struct store *st, int64_t from, int64_t to, int limit,
                         int (*fn)(void *ctx, int64_t category_id, int64_t department_id),
                         void *ctx)
{
    static const char sql[] =
        "SELECT a.category_id, coalesce(a.department_id, 0) FROM (SELECT id, citizen_id, "
        "category_id, department_id, created_at FROM applications WHERE kind = 'complaint' AND "
        "created_at >= $1 AND created_at < $2 AND citizen_id IS NOT NULL AND category_id IS NOT "
        "NULL ORDER BY created_at DESC LIMIT $3) a WHERE EXISTS (SELECT 1 FROM applications b "
        "WHERE b.citizen_id = a.citizen_id AND b.id <> a.id AND b.kind = 'complaint' AND "
        "b.category_id = a.category_id AND b.closed_at <= a.created_at AND b.closed_at >= "
        "a.created_at - 2592000)";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, from);
    pa_int(&a, to);
    pa_int(&a, limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    for (int i = 0; res && i < PQntuples(res); i++)
        if (fn(ctx, pg_int(res, i, 0), pg_int(res, i, 1)))
            break;
    PQclear(res);
    return rc;
}
