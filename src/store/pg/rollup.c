/* PostgreSQL backend: the KPI rollup tables, as store/sqlite/rollup.c. */
#include <stdint.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/banned.h"

#define CALL_WAIT                                                                                  \
    "CASE WHEN answered_at IS NOT NULL THEN answered_at - offered_at "                             \
    "WHEN abandoned_at IS NOT NULL THEN abandoned_at - offered_at "                                \
    "WHEN ended_at IS NOT NULL THEN ended_at - offered_at END"

static void key_args(struct pg_args *a, int span, const struct call_rollup *d)
{
    pa_int(a, span);
    pa_int(a, d->start);
    pa_text(a, d->queue);
    pa_text(a, d->line);
    pa_int(a, d->agent_id);
}

/* The KPI rollup rows are shared by every call of a quarter hour, queue and line, and a batch of
 * telephony events updates many of them in whatever order its calls come: two batches would
 * deadlock (40P01). A transaction that changes rollups therefore first takes one
 * transaction-scoped advisory lock, so rollup writers queue as they do on SQLite (the writes
 * are a few upserts each); a single statement outside a transaction needs none. */
static int rollups_lock(struct store *st)
{
    static const char sql[] = "SELECT pg_advisory_xact_lock(" PG_LOCK_ROLLUPS ")";
    if (PG(st)->in_tx == 0 || PG(st)->rollups_locked)
        return ERR_OK;
    struct pg_args a = { .n = 0 };
    int rc = pg_exec(st, sql, &a, NULL);
    if (rc == ERR_OK)
        PG(st)->rollups_locked = true;
    return rc;
}

int pg_call_rollup_add(struct store *st, int span, const struct call_rollup *d, bool recount_max)
{
    int lrc = rollups_lock(st);
    if (lrc != ERR_OK)
        return lrc;
    static const char sql[] =
        "INSERT INTO call_rollup AS r (span, start, queue, line, agent_id, offered, answered, "
        "abandoned, short_abandoned, answered_in_sl, wait_sum, handle_sum, handled, max_wait) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT(span, start, queue, line, agent_id) DO UPDATE SET "
        "offered = r.offered + excluded.offered, answered = r.answered + excluded.answered, "
        "abandoned = r.abandoned + excluded.abandoned, "
        "short_abandoned = r.short_abandoned + excluded.short_abandoned, "
        "answered_in_sl = r.answered_in_sl + excluded.answered_in_sl, "
        "wait_sum = r.wait_sum + excluded.wait_sum, "
        "handle_sum = r.handle_sum + excluded.handle_sum, handled = r.handled + excluded.handled, "
        "max_wait = greatest(r.max_wait, excluded.max_wait)";
    static const char sql_max[] =
        "UPDATE call_rollup SET max_wait = (SELECT coalesce(max(" CALL_WAIT "), 0) FROM calls "
        "WHERE offered_at >= $2::bigint AND offered_at < $6::bigint "
        "AND queue = $3 AND line = $4 AND coalesce(agent_id, 0) = $5::bigint) "
        "WHERE span = $1 AND start = $2 AND queue = $3 AND line = $4 AND agent_id = $5";
    static const char sql_gone[] =
        "DELETE FROM call_rollup WHERE span = $1 AND start = $2 AND queue = $3 AND line = $4 "
        "AND agent_id = $5 AND offered <= 0";
    struct pg_args a = { .n = 0 };
    key_args(&a, span, d);
    pa_int(&a, d->offered);
    pa_int(&a, d->answered);
    pa_int(&a, d->abandoned);
    pa_int(&a, d->short_abandoned);
    pa_int(&a, d->answered_in_sl);
    pa_int(&a, d->wait_sum);
    pa_int(&a, d->handle_sum);
    pa_int(&a, d->handled);
    pa_int(&a, d->max_wait);
    int rc = pg_exec(st, sql, &a, NULL);
    struct pg_args k = { .n = 0 }, km = { .n = 0 };
    key_args(&k, span, d);
    key_args(&km, span, d);
    pa_int(&km, store_rollup_bucket_end(span, d->start));
    if (rc == ERR_OK && recount_max)
        rc = pg_exec(st, sql_max, &km, NULL);
    if (rc == ERR_OK && (d->offered < 0 || recount_max))
        rc = pg_exec(st, sql_gone, &k, NULL);
    return rc;
}

int pg_contact_rollup_add(struct store *st, int span, int64_t start, const char *channel,
                          const char *outcome, int64_t delta)
{
    int lrc = rollups_lock(st);
    if (lrc != ERR_OK)
        return lrc;
    static const char sql[] =
        "INSERT INTO contact_rollup AS r (span, start, channel, outcome, n) "
        "VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT(span, start, channel, outcome) DO UPDATE SET n = r.n + excluded.n";
    static const char sql_gone[] = "DELETE FROM contact_rollup WHERE span = $1 AND start = $2 "
                                   "AND channel = $3 AND outcome = $4 AND n <= 0";
    struct pg_args a = { .n = 0 };
    pa_int(&a, span);
    pa_int(&a, start);
    pa_text(&a, channel);
    pa_text(&a, outcome);
    pa_int(&a, delta);
    int rc = pg_exec(st, sql, &a, NULL);
    if (rc != ERR_OK || delta >= 0)
        return rc;
    a.n = 4;
    return pg_exec(st, sql_gone, &a, NULL);
}

int pg_call_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                        const struct rollup_filter *f,
                        int (*fn)(void *ctx, const struct call_rollup *r), void *ctx)
{
    static const char sql[] =
        "SELECT start, sum(offered), sum(answered), sum(abandoned), sum(short_abandoned), "
        "sum(answered_in_sl), sum(wait_sum), sum(handle_sum), sum(handled), max(max_wait) "
        "FROM call_rollup WHERE span = $1 AND start >= $2 AND start < $3 "
        "AND ($4::text IS NULL OR queue = $4) AND ($5::text IS NULL OR line = $5) "
        "AND ($6::bigint = 0 OR agent_id = $6) GROUP BY start ORDER BY start";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, span);
    pa_int(&a, from);
    pa_int(&a, to);
    pa_text(&a, f->queue && f->queue[0] ? f->queue : NULL);
    pa_text(&a, f->line && f->line[0] ? f->line : NULL);
    pa_int(&a, f->agent_id);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    for (int i = 0; i < PQntuples(res); i++) {
        struct call_rollup r;
        memset(&r, 0, sizeof(r));
        r.start = pg_int(res, i, 0);
        int64_t *v[] = { &r.offered,         &r.answered,       &r.abandoned,
                         &r.short_abandoned, &r.answered_in_sl, &r.wait_sum,
                         &r.handle_sum,      &r.handled,        &r.max_wait };
        for (int j = 0; j < (int)(sizeof(v) / sizeof(v[0])); j++)
            *v[j] = pg_int(res, i, 1 + j);
        if (fn(ctx, &r) != 0)
            break;
    }
    PQclear(res);
    return ERR_OK;
}

int pg_contact_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                           int (*fn)(void *ctx, int64_t start, const char *channel,
                                     const char *outcome, int64_t n),
                           void *ctx)
{
    static const char sql[] =
        "SELECT start, channel, outcome, n FROM contact_rollup WHERE span = $1 AND start >= $2 "
        "AND start < $3 ORDER BY start, channel, outcome";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, span);
    pa_int(&a, from);
    pa_int(&a, to);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    for (int i = 0; i < PQntuples(res); i++)
        if (fn(ctx, pg_int(res, i, 0), pg_str(res, i, 1), pg_str(res, i, 2), pg_int(res, i, 3)) !=
            0)
            break;
    PQclear(res);
    return ERR_OK;
}

int pg_rollup_reset(struct store *st, int64_t day_offset)
{
    static const char sql_calls[] = "DELETE FROM call_rollup";
    static const char sql_contacts[] = "DELETE FROM contact_rollup";
    static const char sql_15m[] =
        "INSERT INTO contact_rollup(span, start, channel, outcome, n) "
        "SELECT 900, started_at - (started_at % 900), channel, coalesce(outcome, ''), count(*) "
        "FROM contacts GROUP BY 2, 3, 4";
    static const char sql_day[] =
        "INSERT INTO contact_rollup(span, start, channel, outcome, n) "
        "SELECT 86400, ((started_at + $1::bigint) / 86400) * 86400 - $1::bigint, channel, "
        "coalesce(outcome, ''), count(*) FROM contacts GROUP BY 2, 3, 4";
    static const char sql_month[] =
        "INSERT INTO contact_rollup(span, start, channel, outcome, n) "
        "SELECT 2592000, extract(epoch FROM date_trunc('month', to_timestamp(started_at + "
        "$1::bigint) AT TIME ZONE 'UTC'))::bigint - $1::bigint, channel, coalesce(outcome, ''), "
        "count(*) FROM contacts GROUP BY 2, 3, 4";
    struct pg_args none = { .n = 0 }, a = { .n = 0 };
    pa_int(&a, day_offset);
    int rc = pg_exec(st, sql_calls, &none, NULL);
    if (rc == ERR_OK)
        rc = pg_exec(st, sql_contacts, &none, NULL);
    if (rc == ERR_OK)
        rc = pg_exec(st, sql_15m, &none, NULL);
    if (rc == ERR_OK)
        rc = pg_exec(st, sql_day, &a, NULL);
    if (rc == ERR_OK)
        rc = pg_exec(st, sql_month, &a, NULL);
    return rc;
}
