/*
 * PostgreSQL backend: connection, schema migrations, prepared statements, transactions,
 * error mapping, settings, and the operations table.
 *
 * Connection: the database argument is a libpq URL (postgresql://… or postgres://…); the
 * password comes from libpq's usual places (PGPASSWORD, ~/.pgpass, PGPASSFILE, PGSERVICE, or
 * a passfile= parameter of the URL), never from alo153's command line.
 */
#include "store/pg/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/tracking.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

extern const char *const pg_migrations[];
extern const size_t pg_migrations_len;

/* Key of the advisory lock that serialises migrations across processes ("a153"). */
#define PG_MIGRATE_LOCK 0x61313533

/* ---- parameters ---- */

static void pa_set(struct pg_args *a, const char *v, int len, int fmt)
{
    if (a->n >= PG_MAX_ARGS) {
        log_error("msg=\"too many statement parameters\"");
        return;
    }
    a->v[a->n] = v;
    a->len[a->n] = len;
    a->fmt[a->n] = fmt;
    a->n++;
}

void pa_int(struct pg_args *a, int64_t v)
{
    if (a->n >= PG_MAX_ARGS)
        return;
    snprintf(a->num[a->n], sizeof(a->num[0]), "%lld", (long long)v);
    pa_set(a, a->num[a->n], 0, 0);
}

void pa_id(struct pg_args *a, int64_t v)
{
    if (v)
        pa_int(a, v);
    else
        pa_null(a);
}

void pa_text(struct pg_args *a, const char *s)
{
    pa_set(a, s, 0, 0);
}

void pa_double(struct pg_args *a, double v)
{
    if (a->n >= PG_MAX_ARGS)
        return;
    snprintf(a->num[a->n], sizeof(a->num[0]), "%.17g", v);
    pa_set(a, a->num[a->n], 0, 0);
}

void pa_null(struct pg_args *a)
{
    pa_set(a, NULL, 0, 0);
}

void pa_blob(struct pg_args *a, const void *data, size_t len)
{
    pa_set(a, len ? data : "", (int)len, 1);
}

/* ---- running statements ---- */

/* Does SQLSTATE state say "the database is unavailable for now, try again later"? Connection
 * exceptions (class 08), insufficient resources (class 53: disk full, out of memory, too many
 * connections), an operator intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03
 * cannot connect now) and a lock not obtained within lock_timeout (55P03). */
static bool pg_state_unavailable(const char *state)
{
    return strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
           strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
           strcmp(state, "57P03") == 0 || strcmp(state, "55P03") == 0 ||
           strcmp(state, "58030") == 0; /* io_error: the server's disk failed a write */
}

/* SQLSTATE → err_code: constraint violations (class 23: unique 23505, foreign key 23503,
 * check, not null) are conflicts as on SQLite; so are serialization failures and deadlocks
 * (40001, 40P01), which the backend does not retry itself: the transaction is already aborted
 * and only the caller can run it again. A lost connection and the states of
 * pg_state_unavailable are ERR_UNAVAILABLE (503 with Retry-After; the connection is reset
 * before its next transaction). Everything else is a store failure. */
static int pg_map(struct store *st, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state && strncmp(state, "23", 2) == 0)
        return ERR_CONFLICT;
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)) {
        log_info("msg=\"transaction conflict\" sqlstate=%s", state);
        st->retryable = true;
        return ERR_CONFLICT;
    }
    if (PQstatus(PG(st)->conn) != CONNECTION_OK || (state && pg_state_unavailable(state))) {
        log_error("msg=\"postgresql unavailable\" sqlstate=%s err=\"%s\"", state ? state : "-",
                  res ? PQresultErrorMessage(res) : PQerrorMessage(PG(st)->conn));
        return ERR_UNAVAILABLE;
    }
    log_error("msg=\"postgresql error\" sqlstate=%s err=\"%s\"", state ? state : "-",
              res ? PQresultErrorMessage(res) : PQerrorMessage(PG(st)->conn));
    return ERR_STORE;
}

/* A connection that broke (server restart, network) is reset between transactions; its
 * prepared statements are gone with it. Inside a transaction the caller gets
 * ERR_UNAVAILABLE and the transaction is lost (rolled back whole by the server). While the
 * server stays away every call tries once to reconnect, and fails at once with
 * ERR_UNAVAILABLE. */
static bool pg_alive(struct store *st)
{
    if (PQstatus(PG(st)->conn) == CONNECTION_OK)
        return true;
    if (PG(st)->in_tx > 0)
        return false;
    PQreset(PG(st)->conn);
    memset(PG(st)->cache, 0, sizeof(PG(st)->cache));
    if (PQstatus(PG(st)->conn) != CONNECTION_OK) {
        log_error("msg=\"postgresql connection lost\" err=\"%s\"", PQerrorMessage(PG(st)->conn));
        return false;
    }
    log_info("msg=\"postgresql reconnected\"");
    return true;
}

/* Did a statement outside a transaction fail because the server had ended this connection
 * while it sat idle (a restart, pg_terminate_backend; libpq learns it only when it next
 * sends)? Then nothing of the statement ran, and it is sent once more on a new connection:
 * with many threads, each holding its own connection, most of them meet a dead one only on
 * the first request after the server is back, and that request should not fail for it. A
 * transaction's statements are never sent again (its work is lost: ERR_UNAVAILABLE); outside
 * one, statements are reads, BEGIN, or the idempotent session touch. */
static bool pg_lost_idle(struct store *st, int rc)
{
    return rc == ERR_UNAVAILABLE && PG(st)->in_tx == 0 && PQstatus(PG(st)->conn) == CONNECTION_BAD;
}

static PGresult *pg_check(struct store *st, PGresult *res, int *rc)
{
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
        *rc = ERR_OK;
        return res;
    }
    *rc = pg_map(st, res);
    PQclear(res);
    return NULL;
}

/* The server-side name of sql's prepared statement, preparing it on first use; NULL on
 * error (*rc set). */
static const char *pg_prepared(struct store *st, const char *sql, char *name, size_t namelen,
                               int *rc)
{
    size_t h = ((uintptr_t)sql >> 3) % PG_STMT_CACHE;
    for (size_t i = 0; i < PG_STMT_CACHE; i++) {
        size_t k = (h + i) % PG_STMT_CACHE;
        snprintf(name, namelen, "a%zu", k);
        if (PG(st)->cache[k] == sql)
            return name;
        if (!PG(st)->cache[k]) {
            PGresult *res = pg_check(st, PQprepare(PG(st)->conn, name, sql, 0, NULL), rc);
            if (!res) {
                log_error("msg=\"prepare failed\" sql=\"%.80s\"", sql);
                return NULL;
            }
            PQclear(res);
            PG(st)->cache[k] = sql;
            return name;
        }
    }
    log_error("msg=\"statement cache full\"");
    *rc = ERR_STORE;
    return NULL;
}

PGresult *pg_run(struct store *st, const char *sql, const struct pg_args *a, int *rc)
{
    static const struct pg_args none = { .n = 0 };
    char name[16];
    if (!a)
        a = &none;
    for (int attempt = 0;; attempt++) {
        if (!pg_alive(st)) {
            *rc = ERR_UNAVAILABLE;
            return NULL;
        }
        PGresult *res = NULL;
        if (pg_prepared(st, sql, name, sizeof(name), rc))
            res =
                pg_check(st, PQexecPrepared(PG(st)->conn, name, a->n, a->v, a->len, a->fmt, 0), rc);
        if (res || attempt > 0 || !pg_lost_idle(st, *rc))
            return res;
    }
}

PGresult *pg_run_dyn(struct store *st, const char *sql, const struct pg_args *a, int *rc)
{
    for (int attempt = 0;; attempt++) {
        if (!pg_alive(st)) {
            *rc = ERR_UNAVAILABLE;
            return NULL;
        }
        PGresult *res =
            pg_check(st, PQexecParams(PG(st)->conn, sql, a->n, NULL, a->v, a->len, a->fmt, 0), rc);
        if (res || attempt > 0 || !pg_lost_idle(st, *rc))
            return res;
    }
}

int pg_exec(struct store *st, const char *sql, const struct pg_args *a, int64_t *changed)
{
    int rc;
    PGresult *res = pg_run(st, sql, a, &rc);
    if (res) {
        if (changed)
            *changed = strtoll(PQcmdTuples(res), NULL, 10);
        PQclear(res);
    }
    return rc;
}

int pg_one(struct store *st, const char *sql, const struct pg_args *a, PGresult **res)
{
    int rc;
    *res = pg_run(st, sql, a, &rc);
    if (!*res)
        return rc;
    if (PQntuples(*res) < 1) {
        PQclear(*res);
        *res = NULL;
        return ERR_NOT_FOUND;
    }
    return ERR_OK;
}

/* Plain SQL without parameters (transactions, migrations); ERR_OK or mapped. */
static int pg_simple(struct store *st, const char *sql)
{
    int rc;
    PGresult *res = pg_check(st, PQexec(PG(st)->conn, sql), &rc);
    PQclear(res);
    return rc;
}

/* ---- columns ---- */

int64_t pg_int(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? 0 : strtoll(PQgetvalue(res, r, c), NULL, 10);
}

double pg_double(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? 0 : strtod(PQgetvalue(res, r, c), NULL);
}

bool pg_null(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) != 0;
}

const char *pg_str(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c);
}

void pg_copy(const PGresult *res, int r, int c, char *out, size_t outlen)
{
    str_copy(out, outlen, pg_str(res, r, c));
}

char *pg_dup(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? NULL : xstrdup(PQgetvalue(res, r, c));
}

/* ---- connection and schema ---- */

static void pg_notice(void *arg, const char *msg)
{
    (void)arg;
    log_debug("msg=\"postgresql notice\" text=\"%.200s\"", msg);
}

int pg_schema_version(struct store *st)
{
    static const char sql[] = "SELECT CASE WHEN to_regclass('alo153_schema') IS NULL THEN 0 "
                              "ELSE (SELECT coalesce(max(version), 0) FROM alo153_schema) END";
    int rc;
    int v = -1;
    /* not prepared: the statement's plan must not outlive the table's creation */
    PGresult *res = pg_check(st, PQexec(PG(st)->conn, sql), &rc);
    if (res && PQntuples(res) == 1)
        v = (int)pg_int(res, 0, 0);
    PQclear(res);
    return v;
}

/* Bring the schema up to date in one transaction that holds an advisory lock, so that of
 * several processes starting at once one migrates and the others then find it done. */
static int pg_migrate(struct store *st, struct err_detail *ed)
{
    char sql[96];
    int rc = pg_simple(st, "BEGIN");
    if (rc != ERR_OK)
        return err_set(ed, ERR_STORE, NULL, "cannot begin the migration");
    snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%d)", PG_MIGRATE_LOCK);
    if ((rc = pg_simple(st, sql)) != ERR_OK ||
        (rc = pg_simple(st,
                        "CREATE TABLE IF NOT EXISTS alo153_schema (version integer NOT NULL)")) !=
            ERR_OK) {
        rc = err_set(ed, ERR_STORE, NULL, "cannot lock the database for migration");
        goto out;
    }
    int v = pg_schema_version(st);
    if (v < 0) {
        rc = err_set(ed, ERR_STORE, NULL, "cannot read schema version");
        goto out;
    }
    if ((size_t)v > pg_migrations_len) {
        rc = err_set(ed, ERR_CONFLICT, NULL, "database schema %d is newer than this program (%zu)",
                     v, pg_migrations_len);
        goto out;
    }
    for (size_t i = (size_t)v; i < pg_migrations_len; i++) {
        snprintf(sql, sizeof(sql),
                 "DELETE FROM alo153_schema; INSERT INTO alo153_schema VALUES (%zu)", i + 1);
        if (pg_simple(st, pg_migrations[i]) != ERR_OK || pg_simple(st, sql) != ERR_OK) {
            rc = err_set(ed, ERR_STORE, NULL, "migration %zu failed", i + 1);
            goto out;
        }
        log_info("msg=\"schema migrated\" backend=postgresql version=%zu", i + 1);
    }
    if ((rc = pg_simple(st, "COMMIT")) != ERR_OK)
        rc = err_set(ed, ERR_STORE, NULL, "migration commit failed");
out:
    if (rc != ERR_OK)
        pg_simple(st, "ROLLBACK");
    return rc;
}

/* The value of the dbname keyword that conninfo resolves to; malloc'd or NULL. */
static char *pg_dbname_of(const char *conninfo)
{
    char *errmsg = NULL;
    char *name = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "dbname") == 0 && o->val && *o->val)
            name = xstrdup(o->val);
    PQconninfoFree(opts);
    PQfreemem(errmsg);
    return name;
}

/* Create the database that conninfo names, connecting to the "postgres" database of the same
 * server as the same user (who needs CREATEDB). */
static int pg_create_database(const char *conninfo, struct err_detail *ed)
{
    const char *keys[] = { "dbname", "dbname", NULL };
    const char *vals[] = { conninfo, "postgres", NULL };
    char *name = pg_dbname_of(conninfo);
    PGconn *c = NULL;
    char *ident = NULL;
    char *sql = NULL;
    int rc = ERR_STORE;
    if (!name)
        return err_set(ed, ERR_INVALID, "db", "the database URL names no database");
    /* the first dbname is expanded as the connection string, the second overrides its name */
    c = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c) != CONNECTION_OK) {
        rc = err_set(ed, ERR_IO, "db", "cannot connect to create database %s: %s", name,
                     PQerrorMessage(c));
        goto out;
    }
    ident = PQescapeIdentifier(c, name, strlen(name));
    if (!ident)
        goto out;
    size_t sqllen = strlen(ident) + 32;
    sql = xmalloc(sqllen);
    snprintf(sql, sqllen, "CREATE DATABASE %s", ident);
    PGresult *res = PQexec(c, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (PQresultStatus(res) == PGRES_COMMAND_OK || (state && strcmp(state, "42P04") == 0))
        rc = ERR_OK; /* created, or another process created it first */
    else
        rc = err_set(ed, ERR_STORE, "db", "cannot create database %s: %s", name,
                     PQresultErrorMessage(res));
    PQclear(res);
    if (rc == ERR_OK)
        log_info("msg=\"database created\" backend=postgresql name=\"%s\"", name);
out:
    free(sql);
    PQfreemem(ident);
    PQfinish(c);
    free(name);
    return rc;
}

/* Does the failed connection c say that its database does not exist? libpq gives no SQLSTATE
 * for a failed connection, so this reads the server's message (sent in English before the
 * session's locale applies). */
static bool pg_no_database(PGconn *c)
{
    const char *m = PQerrorMessage(c);
    return strstr(m, "does not exist") && strstr(m, "database");
}

void pg_close(struct store *st)
{
    if (!st)
        return;
    PQfinish(PG(st)->conn);
    PQfinish(PG(st)->draw_conn);
    free(PG(st)->conninfo);
    free(PG(st));
}

/* ---- tracking numbers ----
 *
 * The year's counter row (tracking_seq) is incremented on a second connection of this store,
 * in a statement that commits at once, not in the creating transaction: there the row stayed
 * locked until that transaction's commit, and every creation of every process queued on it
 * (bench/pg.sh: 866 and 787 creates/s at 32 connections, 4 handlers, against 1,306 and 1,192
 * with the number drawn apart). A creation that then fails or rolls back leaves a gap, which
 * the numbering allows; a number is never drawn twice. That connection does not wait for its
 * commit to be flushed (synchronous_commit off): a creation that uses the number commits
 * later on the main connection and waits for its own flush, which covers every earlier
 * record of the WAL, the draw's included, so no application can outlive the draw of its
 * number in a crash. Exhausted years (99,999,999 numbers) draw nothing and change nothing. */
static bool draw_connect(struct pg_store *pg)
{
    if (pg->draw_conn && PQstatus(pg->draw_conn) == CONNECTION_OK)
        return true;
    PQfinish(pg->draw_conn);
    pg->draw_conn = PQconnectdb(pg->conninfo);
    PGresult *res = NULL;
    if (PQstatus(pg->draw_conn) == CONNECTION_OK) {
        PQsetNoticeProcessor(pg->draw_conn, pg_notice, NULL);
        res = PQexec(pg->draw_conn, "SET synchronous_commit = off; SET lock_timeout = '10s'");
    }
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        log_error("msg=\"postgresql: cannot open the tracking number connection\" err=\"%s\"",
                  PQerrorMessage(pg->draw_conn));
        PQclear(res);
        PQfinish(pg->draw_conn);
        pg->draw_conn = NULL;
        return false;
    }
    PQclear(res);
    res = PQprepare(pg->draw_conn, "draw",
                    "INSERT INTO tracking_seq(year, last) VALUES ($1::integer, 1) "
                    "ON CONFLICT(year) DO UPDATE SET last = tracking_seq.last + 1 "
                    "WHERE tracking_seq.last < $2::bigint RETURNING last",
                    2, NULL);
    bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) {
        log_error("msg=\"postgresql: cannot prepare the tracking number draw\" err=\"%s\"",
                  PQerrorMessage(pg->draw_conn));
        PQfinish(pg->draw_conn);
        pg->draw_conn = NULL;
    }
    return ok;
}

int pg_tracking_draw(struct store *st, int year, int64_t *seq)
{
    struct pg_store *pg = PG(st);
    char y[16], max[24];
    snprintf(y, sizeof(y), "%d", year);
    snprintf(max, sizeof(max), "%lld", (long long)TRACKING_SEQ_MAX);
    const char *v[2] = { y, max };
    for (int attempt = 0; attempt < 2; attempt++) { /* once more on a connection found dead */
        if (!draw_connect(pg))
            return ERR_UNAVAILABLE;
        PGresult *res = PQexecPrepared(pg->draw_conn, "draw", 2, v, NULL, NULL, 0);
        if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
            int rc = ERR_CONFLICT; /* no row: the year's numbers are exhausted */
            if (PQntuples(res) == 1) {
                *seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
                rc = ERR_OK;
            }
            PQclear(res);
            return rc;
        }
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        bool dead = PQstatus(pg->draw_conn) != CONNECTION_OK;
        log_error("msg=\"postgresql: tracking number not drawn\" sqlstate=%s err=\"%s\"",
                  state ? state : "-",
                  res ? PQresultErrorMessage(res) : PQerrorMessage(pg->draw_conn));
        int rc = dead || (state && pg_state_unavailable(state)) ? ERR_UNAVAILABLE : ERR_STORE;
        PQclear(res);
        if (!dead)
            return rc;
        PQfinish(pg->draw_conn);
        pg->draw_conn = NULL;
    }
    return ERR_UNAVAILABLE;
}

static int pg_connect(const char *db, bool migrate, struct store **out, struct err_detail *ed)
{
    struct pg_store *pg = xcalloc(1, sizeof(*pg));
    struct store *st = &pg->base;
    int rc = ERR_OK;
    st->ops = &store_pg_ops;
    pg->conninfo = xstrdup(db);
    pg->conn = PQconnectdb(db);
    if (PQstatus(pg->conn) != CONNECTION_OK && migrate && pg_no_database(pg->conn)) {
        if ((rc = pg_create_database(db, ed)) != ERR_OK)
            goto out;
        PQfinish(pg->conn);
        pg->conn = PQconnectdb(db);
    }
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        bool missing = pg_no_database(pg->conn);
        char msg[256];
        str_copy(msg, sizeof(msg), PQerrorMessage(pg->conn));
        msg[strcspn(msg, "\n")] = 0;
        rc = err_set(ed, missing ? ERR_NOT_FOUND : ERR_IO, "db",
                     "cannot connect to the PostgreSQL database: %s%s", msg,
                     missing ? " (run alo153 init)" : "");
        goto out;
    }
    PQsetNoticeProcessor(pg->conn, pg_notice, NULL);
    /* UTF-8 text both ways; UTC so that nothing depends on the server's time zone; a lock
     * held elsewhere is waited for at most 10 s, like SQLite's busy timeout, then the
     * statement fails (ERR_UNAVAILABLE, 503) instead of hanging the request */
    if (PQsetClientEncoding(pg->conn, "UTF8") != 0 ||
        pg_simple(st, "SET TIME ZONE 'UTC'; SET lock_timeout = '10s'") != ERR_OK) {
        rc = err_set(ed, ERR_STORE, "db", "cannot configure the PostgreSQL session");
        goto out;
    }
    if (migrate) {
        rc = pg_migrate(st, ed);
    } else if (pg_schema_version(st) != (int)pg_migrations_len) {
        rc = err_set(ed, ERR_CONFLICT, "db",
                     "database has schema %d, this program needs %zu (run alo153 init)",
                     pg_schema_version(st), pg_migrations_len);
    }
out:
    if (rc != ERR_OK) {
        pg_close(st);
        st = NULL;
    }
    *out = st;
    return rc;
}

/* ---- transactions ---- */

/* Transactions nest: the outermost is BEGIN (READ COMMITTED), inner ones are savepoints.
 * "Take the write lock now" has no single lock on PostgreSQL: writers serialise only where
 * they meet — the row locks of the rows they change, and the application rows that pg_app_get
 * reads FOR UPDATE inside a transaction (so a read-modify-write of one application by two
 * processes queues instead of losing an update). The year's tracking counter row is not held
 * by a transaction: numbers are drawn on a connection of their own (pg_tracking_draw). */
int pg_begin(struct store *st)
{
    char sql[32];
    int rc;
    if (PG(st)->in_tx == 0) {
        if (!pg_alive(st))
            return ERR_UNAVAILABLE;
        PG(st)->rollups_locked = false;
        rc = pg_simple(st, "BEGIN");
        if (pg_lost_idle(st, rc)) /* see pg_lost_idle */
            rc = pg_alive(st) ? pg_simple(st, "BEGIN") : ERR_UNAVAILABLE;
    } else {
        snprintf(sql, sizeof(sql), "SAVEPOINT s%d", PG(st)->in_tx);
        rc = pg_simple(st, sql);
    }
    if (rc != ERR_OK)
        return rc == ERR_UNAVAILABLE ? rc : ERR_STORE;
    PG(st)->in_tx++;
    return ERR_OK;
}

int pg_commit(struct store *st)
{
    char sql[32];
    int rc;
    if (PG(st)->in_tx <= 0)
        return ERR_INTERNAL;
    if (PG(st)->in_tx == 1) {
        /* COMMIT of an aborted transaction "succeeds" as a ROLLBACK: check the tag */
        PGresult *res = PQexec(PG(st)->conn, "COMMIT");
        bool ok =
            PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") == 0;
        rc = ok                                               ? ERR_OK
             : res && PQresultStatus(res) != PGRES_COMMAND_OK ? pg_map(st, res)
                                                              : ERR_STORE;
        PQclear(res);
        if (rc != ERR_OK) {
            pg_rollback(st);
            return rc;
        }
    } else {
        snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT s%d", PG(st)->in_tx - 1);
        if ((rc = pg_simple(st, sql)) != ERR_OK)
            return rc;
    }
    PG(st)->in_tx--;
    return ERR_OK;
}

void pg_rollback(struct store *st)
{
    char sql[80];
    if (PG(st)->in_tx > 1) {
        snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT s%d; RELEASE SAVEPOINT s%d",
                 PG(st)->in_tx - 1, PG(st)->in_tx - 1);
        PQclear(PQexec(PG(st)->conn, sql));
        PG(st)->in_tx--;
        return;
    }
    if (PQtransactionStatus(PG(st)->conn) != PQTRANS_IDLE)
        PQclear(PQexec(PG(st)->conn, "ROLLBACK"));
    PG(st)->in_tx = 0;
}

/* ---- settings ---- */

int pg_setting_get(struct store *st, const char *key, char *out, size_t outlen)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res;
    pa_text(&a, key);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK) {
        pg_copy(res, 0, 0, out, outlen);
        PQclear(res);
    }
    return rc;
}

int pg_setting_set(struct store *st, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings(key, value) VALUES ($1, $2) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    struct pg_args a = { .n = 0 };
    pa_text(&a, key);
    pa_text(&a, value);
    return pg_exec(st, sql, &a, NULL);
}

static bool pg_accepts(const char *db)
{
    return strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
}

/* PostgreSQL checks its own pages (data checksums, when the cluster was made with them): a
 * damaged page fails the query that reads it. Here: does the server answer at all. */
static int pg_check_db(struct store *st, bool full, struct err_detail *ed)
{
    (void)full;
    if (pg_simple(st, "SELECT 1") != ERR_OK)
        return err_set(ed, ERR_UNAVAILABLE, "db", "the database server does not answer");
    return ERR_OK;
}

static int pg_backup(struct store *st, const char *dest,
                     void (*progress)(void *ctx, int done, int total), void *ctx,
                     struct err_detail *ed)
{
    (void)st, (void)dest, (void)progress, (void)ctx;
    return err_set(ed, ERR_UNSUPPORTED, "db",
                   "PostgreSQL is backed up with its own tools: pg_dump, or base backups with "
                   "WAL archiving (docs/OPERATIONS.md)");
}

static int pg_tx_depth(struct store *st)
{
    return PG(st)->in_tx;
}

/* Every process commits on its own connections: PostgreSQL's own statistics
 * (pg_stat_database, pg_stat_wal) say where its writes go, not alo153 (store_write_stats). */
static void pg_write_stats(struct store *st, struct store_write_stats *out)
{
    (void)st;
    out->available = false;
}

const struct store_ops store_pg_ops = {
    .name = "postgresql",
    .accepts = pg_accepts,
    .open = pg_connect,
    .close = pg_close,
    .tx_depth = pg_tx_depth,
    .schema_version = pg_schema_version,
    .check = pg_check_db,
    .write_stats = pg_write_stats,
    .backup = pg_backup,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .setting_get = pg_setting_get,
    .setting_set = pg_setting_set,
    .institution_upsert = pg_institution_upsert,
    .institution_id = pg_institution_id,
    .institution_each = pg_institution_each,
    .department_upsert = pg_department_upsert,
    .department_get = pg_department_get,
    .department_by_code = pg_department_by_code,
    .department_list = pg_department_list,
    .department_within = pg_department_within,
    .category_upsert = pg_category_upsert,
    .category_get = pg_category_get,
    .category_by_code = pg_category_by_code,
    .category_list = pg_category_list,
    .district_upsert = pg_district_upsert,
    .neighbourhood_upsert = pg_neighbourhood_upsert,
    .district_each = pg_district_each,
    .neighbourhood_each = pg_neighbourhood_each,
    .district_name = pg_district_name,
    .neighbourhood_name = pg_neighbourhood_name,
    .holiday_set = pg_holiday_set,
    .holiday_delete = pg_holiday_delete,
    .holiday_each = pg_holiday_each,
    .user_create = pg_user_create,
    .user_get = pg_user_get,
    .user_by_name = pg_user_by_name,
    .user_set_password = pg_user_set_password,
    .user_set_disabled = pg_user_set_disabled,
    .user_update = pg_user_update,
    .user_list = pg_user_list,
    .session_create = pg_session_create,
    .session_touch = pg_session_touch,
    .session_user = pg_session_user,
    .session_delete = pg_session_delete,
    .session_purge = pg_session_purge,
    .token_create = pg_token_create,
    .token_user = pg_token_user,
    .token_by_hash = pg_token_by_hash,
    .token_get = pg_token_get,
    .token_list = pg_token_list,
    .token_revoke = pg_token_revoke,
    .token_used = pg_token_used,
    .grant_set = pg_grant_set,
    .grant_delete = pg_grant_delete,
    .grant_list = pg_grant_list,
    .audit_add = pg_audit_add,
    .audit_list = pg_audit_list,
    .citizen_create = pg_citizen_create,
    .citizen_get = pg_citizen_get,
    .citizen_by_phone = pg_citizen_by_phone,
    .citizen_view_log = pg_citizen_view_log,
    .citizen_view_log_alone = pg_citizen_view_log_alone,
    .app_create = pg_app_create,
    .app_update = pg_app_update,
    .app_get = pg_app_get,
    .app_by_tracking = pg_app_by_tracking,
    .app_list = pg_app_list,
    .app_count = pg_app_count,
    .app_group_count = pg_app_group_count,
    .app_open_candidates = pg_app_open_candidates,
    .app_training_each = pg_app_training_each,
    .app_suggestion_each = pg_app_suggestion_each,
    .app_set_suggestion = pg_app_set_suggestion,
    .correction_add = pg_correction_add,
    .correction_each = pg_correction_each,
    .correction_training_each = pg_correction_training_each,
    .event_add = pg_event_add,
    .event_list = pg_event_list,
    .link_add = pg_link_add,
    .link_each = pg_link_each,
    .attachment_add = pg_attachment_add,
    .attachment_list = pg_attachment_list,
    .attachment_get = pg_attachment_get,
    .idem_claim = pg_idem_claim,
    .idem_finish = pg_idem_finish,
    .table_each = pg_table_each,
    .table_insert = pg_table_insert,
    .table_copied = pg_table_copied,
    .contact_create = pg_contact_create,
    .contact_get = pg_contact_get,
    .contact_by_call = pg_contact_by_call,
    .contact_close = pg_contact_close,
    .contact_list = pg_contact_list,
    .contact_group_count = pg_contact_group_count,
    .call_event_add = pg_call_event_add,
    .call_events = pg_call_events,
    .call_get = pg_call_get,
    .call_save = pg_call_save,
    .call_each = pg_call_each,
    .agent_state_set = pg_agent_state_set,
    .agent_state_get = pg_agent_state_get,
    .agent_state_list = pg_agent_state_list,
    .agent_event_add = pg_agent_event_add,
    .agent_event_list = pg_agent_event_list,
    .kb_save = pg_kb_save,
    .kb_get = pg_kb_get,
    .kb_list = pg_kb_list,
    .call_rollup_add = pg_call_rollup_add,
    .contact_rollup_add = pg_contact_rollup_add,
    .call_rollup_each = pg_call_rollup_each,
    .contact_rollup_each = pg_contact_rollup_each,
    .rollup_reset = pg_rollup_reset,
    .rollup_app_add = pg_rollup_app_add,
    .rollup_app_each = pg_rollup_app_each,
    .rollup_app_clear = pg_rollup_app_clear,
    .app_report_each = pg_app_report_each,
    .event_actions = pg_event_actions,
    .app_overdue_each = pg_app_overdue_each,
    .app_text_each = pg_app_text_each,
    .app_comeback_each = pg_app_comeback_each,
    .cimer_add = pg_cimer_add,
    .cimer_get = pg_cimer_get,
    .cimer_by_no = pg_cimer_by_no,
    .cimer_update = pg_cimer_update,
    .cimer_list = pg_cimer_list,
    .intake_add = pg_intake_add,
    .intake_get = pg_intake_get,
    .poll_lock = pg_poll_lock,
    .o311_key_add = pg_o311_key_add,
    .o311_key_find = pg_o311_key_find,
    .o311_request_add = pg_o311_request_add,
    .o311_request_get = pg_o311_request_get,
    .o311_attr_list = pg_o311_attr_list,
    .o311_attr_replace = pg_o311_attr_replace,
    .public_key_claim = pg_public_key_claim,
    .public_key_set = pg_public_key_set,
    .consent_set = pg_consent_set,
    .consent_get = pg_consent_get,
    .outbox_add = pg_outbox_add,
    .outbox_claim = pg_outbox_claim,
    .outbox_finish = pg_outbox_finish,
    .outbox_get = pg_outbox_get,
    .outbox_list = pg_outbox_list,
    .outbox_counts = pg_outbox_counts,
    .outbox_resend = pg_outbox_resend,
    .template_get = pg_template_get,
    .template_set = pg_template_set,
    .template_list = pg_template_list,
    .survey_token_add = pg_survey_token_add,
    .survey_token_use = pg_survey_token_use,
    .satisfaction_add = pg_satisfaction_add,
    .satisfaction_each = pg_satisfaction_each,
    .citizen_consent_get = pg_citizen_consent_get,
    .citizen_consent_set = pg_citizen_consent_set,
    .view_log_list = pg_view_log_list,
    .citizen_anonymise = pg_citizen_anonymise,
    .retention_candidates = pg_retention_candidates,
    .satisfaction_by_app = pg_satisfaction_by_app,
    .citizen_by_tc = pg_citizen_by_tc,
    .tc_counts = pg_tc_counts,
    .tc_seal_all = pg_tc_seal_all,
    .tc_page = pg_tc_page,
    .tc_put = pg_tc_put,
    .tc_foreign = pg_tc_foreign,
    .retention_contacts = pg_retention_contacts,
    .citizen_lang_set = pg_citizen_lang_set,
    .outbox_ref_set = pg_outbox_ref_set,
};
