/* SQLite backend: the KPI rollup tables (store_int.h; the logic is in store/rollup.c). */
#include <stdint.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/str.h"
#include "util/banned.h"

/* the wait of a call, as store_call_contribution counts it (NULL while it waits) */
#define CALL_WAIT                                                                                  \
    "CASE WHEN answered_at IS NOT NULL THEN answered_at - offered_at "                             \
    "WHEN abandoned_at IS NOT NULL THEN abandoned_at - offered_at "                                \
    "WHEN ended_at IS NOT NULL THEN ended_at - offered_at END"

static void bind_key(sqlite3_stmt *s, int span, const struct call_rollup *d)
{
    sqlite3_bind_int(s, 1, span);
    sqlite3_bind_int64(s, 2, d->start);
    sqlite3_bind_text(s, 3, d->queue, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, d->line, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, d->agent_id);
}

int sqlite_call_rollup_add(struct store *st, int span, const struct call_rollup *d,
                           bool recount_max)
{
    static const char sql[] =
        "INSERT INTO call_rollup(span, start, queue, line, agent_id, offered, answered, "
        "abandoned, short_abandoned, answered_in_sl, wait_sum, handle_sum, handled, max_wait) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
        "ON CONFLICT(span, start, queue, line, agent_id) DO UPDATE SET "
        "offered = offered + excluded.offered, answered = answered + excluded.answered, "
        "abandoned = abandoned + excluded.abandoned, "
        "short_abandoned = short_abandoned + excluded.short_abandoned, "
        "answered_in_sl = answered_in_sl + excluded.answered_in_sl, "
        "wait_sum = wait_sum + excluded.wait_sum, handle_sum = handle_sum + excluded.handle_sum, "
        "handled = handled + excluded.handled, max_wait = max(max_wait, excluded.max_wait)";
    static const char sql_max[] =
        "UPDATE call_rollup SET max_wait = (SELECT coalesce(max(" CALL_WAIT "), 0) FROM calls "
        "WHERE offered_at >= ?2 AND offered_at < ?6 AND queue = ?3 AND line = ?4 "
        "AND coalesce(agent_id, 0) = ?5) "
        "WHERE span = ?1 AND start = ?2 AND queue = ?3 AND line = ?4 AND agent_id = ?5";
    static const char sql_gone[] =
        "DELETE FROM call_rollup WHERE span = ?1 AND start = ?2 AND queue = ?3 AND line = ?4 "
        "AND agent_id = ?5 AND offered <= 0";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    bind_key(s, span, d);
    const int64_t v[] = { d->offered,         d->answered,       d->abandoned,
                          d->short_abandoned, d->answered_in_sl, d->wait_sum,
                          d->handle_sum,      d->handled,        d->max_wait };
    for (int i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++)
        sqlite3_bind_int64(s, 6 + i, v[i]);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && recount_max) {
        if (!(s = db_stmt(st, sql_max)))
            return ERR_STORE;
        bind_key(s, span, d);
        sqlite3_bind_int64(s, 6, store_rollup_bucket_end(span, d->start));
        rc = db_exec_stmt(st, s);
    }
    if (rc == ERR_OK && (d->offered < 0 || recount_max)) {
        if (!(s = db_stmt(st, sql_gone)))
            return ERR_STORE;
        bind_key(s, span, d);
        rc = db_exec_stmt(st, s);
    }
    return rc;
}

int sqlite_contact_rollup_add(struct store *st, int span, int64_t start, const char *channel,
                              const char *outcome, int64_t delta)
{
    static const char sql[] =
        "INSERT INTO contact_rollup(span, start, channel, outcome, n) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(span, start, channel, outcome) DO UPDATE SET n = n + excluded.n";
    static const char sql_gone[] = "DELETE FROM contact_rollup WHERE span = ?1 AND start = ?2 "
                                   "AND channel = ?3 AND outcome = ?4 AND n <= 0";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int(s, 1, span);
    sqlite3_bind_int64(s, 2, start);
    sqlite3_bind_text(s, 3, channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, delta);
    int rc = db_exec_stmt(st, s);
    if (rc != ERR_OK || delta >= 0)
        return rc;
    if (!(s = db_stmt(st, sql_gone)))
        return ERR_STORE;
    sqlite3_bind_int(s, 1, span);
    sqlite3_bind_int64(s, 2, start);
    sqlite3_bind_text(s, 3, channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, outcome, -1, SQLITE_STATIC);
    return db_exec_stmt(st, s);
}

int sqlite_call_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                            const struct rollup_filter *f,
                            int (*fn)(void *ctx, const struct call_rollup *r), void *ctx)
{
    static const char sql[] =
        "SELECT start, sum(offered), sum(answered), sum(abandoned), sum(short_abandoned), "
        "sum(answered_in_sl), sum(wait_sum), sum(handle_sum), sum(handled), max(max_wait) "
        "FROM call_rollup WHERE span = ?1 AND start >= ?2 AND start < ?3 "
        "AND (?4 IS NULL OR queue = ?4) AND (?5 IS NULL OR line = ?5) "
        "AND (?6 = 0 OR agent_id = ?6) GROUP BY start ORDER BY start";
    /* its own statement: fn may run other queries on this connection */
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(SQ(st)->cur->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, SQLITE_ERROR);
    sqlite3_bind_int(s, 1, span);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    if (f->queue && f->queue[0])
        sqlite3_bind_text(s, 4, f->queue, -1, SQLITE_STATIC);
    if (f->line && f->line[0])
        sqlite3_bind_text(s, 5, f->line, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, f->agent_id);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        struct call_rollup r;
        memset(&r, 0, sizeof(r));
        r.start = sqlite3_column_int64(s, 0);
        int64_t *v[] = { &r.offered,         &r.answered,       &r.abandoned,
                         &r.short_abandoned, &r.answered_in_sl, &r.wait_sum,
                         &r.handle_sum,      &r.handled,        &r.max_wait };
        for (int i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++)
            *v[i] = sqlite3_column_int64(s, 1 + i);
        if (fn(ctx, &r) != 0) {
            sr = SQLITE_DONE;
            break;
        }
    }
    int rc = sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
    sqlite3_finalize(s);
    return rc;
}

int sqlite_contact_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                               int (*fn)(void *ctx, int64_t start, const char *channel,
                                         const char *outcome, int64_t n),
                               void *ctx)
{
    static const char sql[] =
        "SELECT start, channel, outcome, n FROM contact_rollup WHERE span = ?1 AND start >= ?2 "
        "AND start < ?3 ORDER BY start, channel, outcome";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(SQ(st)->cur->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, SQLITE_ERROR);
    sqlite3_bind_int(s, 1, span);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(ctx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
               (const char *)sqlite3_column_text(s, 2), sqlite3_column_int64(s, 3)) != 0) {
            sr = SQLITE_DONE;
            break;
        }
    }
    int rc = sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
    sqlite3_finalize(s);
    return rc;
}

int sqlite_rollup_reset(struct store *st, int64_t day_offset)
{
    static const char *const sql[] = {
        "DELETE FROM call_rollup",
        "DELETE FROM contact_rollup",
        "INSERT INTO contact_rollup(span, start, channel, outcome, n) "
        "SELECT 900, started_at - (started_at % 900), channel, coalesce(outcome, ''), count(*) "
        "FROM contacts GROUP BY 2, 3, 4",
        "INSERT INTO contact_rollup(span, start, channel, outcome, n) "
        "SELECT 86400, ((started_at + ?1) / 86400) * 86400 - ?1, channel, coalesce(outcome, ''), "
        "count(*) FROM contacts GROUP BY 2, 3, 4",
        "INSERT INTO contact_rollup(span, start, channel, outcome, n) "
        "SELECT 2592000, CAST(strftime('%s', started_at + ?1, 'unixepoch', 'start of month') "
        "AS INTEGER) - ?1, channel, coalesce(outcome, ''), count(*) FROM contacts "
        "GROUP BY 2, 3, 4",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *s = db_stmt(st, sql[i]);
        if (!s)
            return ERR_STORE;
        if (i >= 3)
            sqlite3_bind_int64(s, 1, day_offset);
        int rc = db_exec_stmt(st, s);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}
