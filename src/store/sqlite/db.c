/* SQLite backend: connection, schema migrations, statement cache, transactions, settings. */
#include "store/sqlite/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite/fts_turkish.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

extern const char *const store_migrations[];
extern const size_t store_migrations_len;

/* The prepared statement of the static string sql on connection c (its address is the key). */
static sqlite3_stmt *conn_stmt(struct sq_conn *c, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % DB_STMT_CACHE;
    for (size_t i = 0; i < DB_STMT_CACHE; i++) {
        size_t k = (h + i) % DB_STMT_CACHE;
        if (c->cache[k].sql == sql) {
            sqlite3_reset(c->cache[k].stmt);
            sqlite3_clear_bindings(c->cache[k].stmt);
            return c->cache[k].stmt;
        }
        if (!c->cache[k].sql) {
            sqlite3_stmt *s = NULL;
            if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
                SQLITE_OK) {
                log_error("msg=\"prepare failed\" err=\"%s\" sql=\"%.80s\"", sqlite3_errmsg(c->db),
                          sql);
                return NULL;
            }
            c->cache[k].sql = sql;
            c->cache[k].stmt = s;
            return s;
        }
    }
    log_error("msg=\"statement cache full\"");
    return NULL;
}

sqlite3_stmt *db_stmt(struct store *st, const char *sql)
{
    return conn_stmt(SQ(st)->cur, sql);
}

sqlite3_stmt *db_stmt_dyn(struct store *st, const char *sql)
{
    struct sq_conn *c = SQ(st)->cur;
    for (size_t i = 0; i < DB_DYN_CACHE; i++)
        if (c->dyn[i].sql && strcmp(c->dyn[i].sql, sql) == 0) {
            sqlite3_reset(c->dyn[i].stmt);
            sqlite3_clear_bindings(c->dyn[i].stmt);
            return c->dyn[i].stmt;
        }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        log_error("msg=\"prepare failed\" err=\"%s\" sql=\"%.80s\"", sqlite3_errmsg(c->db), sql);
        return NULL;
    }
    unsigned k = c->dyn_next++ % DB_DYN_CACHE;
    sqlite3_finalize(c->dyn[k].stmt);
    free(c->dyn[k].sql);
    c->dyn[k].sql = xstrdup(sql);
    c->dyn[k].stmt = s;
    return s;
}

/* The err_code of a failed SQLite result code rc (extended or primary): the database is
 * busy or locked past the busy timeout, the disk is full, or the disk failed a read, write or
 * sync (SQLITE_IOERR_*: SQLite rolled the transaction back) → ERR_UNAVAILABLE (503 with
 * Retry-After: nothing of the transaction was kept, the same request may succeed later;
 * tests/fault/diskfull.mjs); anything else → ERR_STORE. */
static int sq_code(int rc)
{
    int base = rc & 0xff;
    return base == SQLITE_BUSY || base == SQLITE_LOCKED || base == SQLITE_FULL ||
                   base == SQLITE_IOERR
               ? ERR_UNAVAILABLE
               : ERR_STORE;
}

static void sq_mark_damaged(struct store *st);

int db_err(struct store *st, int rc)
{
    int base = rc & 0xff;
    if (base == SQLITE_CONSTRAINT)
        return ERR_CONFLICT;
    if (base == SQLITE_OK || base == SQLITE_DONE || base == SQLITE_ROW)
        return ERR_OK;
    log_error("msg=\"sqlite error\" rc=%d err=\"%s\"", rc, sqlite3_errmsg(SQ(st)->cur->db));
    if (base == SQLITE_CORRUPT || base == SQLITE_NOTADB)
        sq_mark_damaged(st);
    return sq_code(rc);
}

int db_exec_stmt(struct store *st, sqlite3_stmt *s)
{
    if (!s)
        return ERR_STORE;
    int rc = sqlite3_step(s);
    int r = rc == SQLITE_DONE || rc == SQLITE_ROW ? ERR_OK : db_err(st, rc);
    sqlite3_reset(s);
    return r;
}

int db_step_row(struct store *st, sqlite3_stmt *s)
{
    if (!s)
        return ERR_STORE;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return ERR_OK;
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(st, rc);
}

int db_get_one(struct store *st, const char *sql, int64_t id, const char *text,
               void (*row)(sqlite3_stmt *s, void *out), void *out)
{
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    if (text)
        db_bind_text(s, 1, text);
    else
        sqlite3_bind_int64(s, 1, id);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK) {
        row(s, out);
        sqlite3_reset(s);
    }
    return rc;
}

void db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

void db_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

void db_col_copy(sqlite3_stmt *s, int i, char *out, size_t outlen)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    str_copy(out, outlen, t ? t : "");
}

char *db_col_dup(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? xstrdup(t) : NULL;
}

static int db_exec(struct store *st, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(SQ(st)->cur->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("msg=\"exec failed\" err=\"%s\"", msg ? msg : "?");
        sqlite3_free(msg);
        return sq_code(rc);
    }
    return ERR_OK;
}

int sqlite_schema_version(struct store *st)
{
    sqlite3_stmt *s = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(SQ(st)->cur->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int db_migrate(struct store *st, struct err_detail *ed)
{
    int v = sqlite_schema_version(st);
    if (v < 0)
        return err_set(ed, ERR_STORE, NULL, "cannot read schema version");
    if ((size_t)v > store_migrations_len)
        return err_set(ed, ERR_CONFLICT, NULL,
                       "database schema %d is newer than this program (%zu)", v,
                       store_migrations_len);
    for (size_t i = (size_t)v; i < store_migrations_len; i++) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%zu", i + 1);
        if (db_exec(st, "BEGIN IMMEDIATE") != ERR_OK)
            return err_set(ed, ERR_STORE, NULL, "cannot lock database for migration");
        if (db_exec(st, store_migrations[i]) != ERR_OK || db_exec(st, pragma) != ERR_OK) {
            db_exec(st, "ROLLBACK");
            return err_set(ed, ERR_STORE, NULL, "migration %zu failed", i + 1);
        }
        if (db_exec(st, "COMMIT") != ERR_OK)
            return err_set(ed, ERR_STORE, NULL, "migration %zu commit failed", i + 1);
        log_info("msg=\"schema migrated\" version=%zu", i + 1);
    }
    return ERR_OK;
}

static void conn_close(struct sq_conn *c)
{
    for (size_t i = 0; i < DB_STMT_CACHE; i++)
        sqlite3_finalize(c->cache[i].stmt);
    for (size_t i = 0; i < DB_DYN_CACHE; i++) {
        sqlite3_finalize(c->dyn[i].stmt);
        free(c->dyn[i].sql);
    }
    sqlite3_close(c->db);
    memset(c, 0, sizeof(*c));
}

/* SQLite's process-wide settings, made once before the first connection. Debian builds
 * SQLite without lookaside memory, so every small allocation of every statement goes through
 * sqlite3_malloc; with memory statistics on (the default) each of those takes one global
 * mutex, and 32 handler threads queued on it (perf: 13 % of a create's time was in
 * sqlite3Malloc and its futex wakes). Nothing here reads those statistics. When a test opened
 * a connection before this ran, sqlite3_config refuses (SQLITE_MISUSE) and nothing changes. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int db_open(const char *path, bool create, struct store **out, struct err_detail *ed)
{
    pthread_once(&sqlite_once, sqlite_configure);
    struct sq_store *sq = xcalloc(1, sizeof(*sq));
    pthread_cond_init(&sq->gc_cv, NULL);
    struct store *st = &sq->base;
    st->ops = &store_sqlite_ops;
    sq->cur = &sq->own;
    int rc = ERR_OK;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &SQ(st)->cur->db, flags, NULL) != SQLITE_OK) {
        rc = err_set(ed, ERR_IO, "db", "cannot open database %s: %s", path,
                     SQ(st)->cur->db ? sqlite3_errmsg(SQ(st)->cur->db) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(SQ(st)->cur->db, 10000);
    sqlite3_extended_result_codes(SQ(st)->cur->db, 1);
    if (fts_turkish_register(SQ(st)->cur->db) != SQLITE_OK) {
        rc = err_set(ed, ERR_STORE, NULL, "cannot register the Turkish tokenizer");
        goto out;
    }
    /* WAL: readers never block the one writer; FULL: a commit survives a power cut, so an
     * application answered 201 is never lost. */
    if ((rc = db_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                          "PRAGMA cache_size=-32768;")) != ERR_OK) {
        /* say which: another process holds the file (busy) is not "not a database" */
        int why = sqlite3_errcode(SQ(st)->cur->db) & 0xff;
        rc = why == SQLITE_BUSY || why == SQLITE_LOCKED
                 ? err_set(ed, ERR_UNAVAILABLE, "db",
                           "database %s is locked by another process; try again", path)
             : why == SQLITE_NOTADB || why == SQLITE_CORRUPT
                 ? err_set(ed, ERR_STORE, "db", "%s is not a database or is damaged: %s", path,
                           sqlite3_errmsg(SQ(st)->cur->db))
                 : err_set(ed, ERR_STORE, "db", "cannot configure database %s: %s", path,
                           sqlite3_errmsg(SQ(st)->cur->db));
        goto out;
    }
out:
    if (rc != ERR_OK) {
        conn_close(&sq->own);
        pthread_cond_destroy(&sq->gc_cv);
        free(sq);
        st = NULL;
    }
    *out = st;
    return rc;
}

static int sq_open_migrated(const char *path, struct store **out, struct err_detail *ed)
{
    int rc = db_open(path, true, out, ed);
    if (rc == ERR_OK && (rc = db_migrate(*out, ed)) != ERR_OK) {
        sqlite_close(*out);
        *out = NULL;
    }
    return rc;
}

static int sq_open_existing(const char *path, struct store **out, struct err_detail *ed)
{
    struct stat sb;
    *out = NULL;
    if (stat(path, &sb) != 0)
        return err_set(ed, ERR_NOT_FOUND, "db", "database %s does not exist (run alo153 init)",
                       path);
    int rc = db_open(path, false, out, ed);
    if (rc != ERR_OK)
        return rc;
    if ((size_t)sqlite_schema_version(*out) != store_migrations_len) {
        rc = err_set(ed, ERR_CONFLICT, "db",
                     "database %s has schema %d, this program needs %zu (run alo153 init)", path,
                     sqlite_schema_version(*out), store_migrations_len);
        sqlite_close(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- group commit ----
 *
 * Every connection of this process to the same database file belongs to one group, which
 * owns one extra connection, the writer. A transaction (the outermost store_begin) waits for
 * its turn on the writer, opens a savepoint there and runs every statement on it; its commit
 * releases the savepoint into the open batch. When no other transaction is waiting for its
 * turn (or the batch is full), the transaction whose turn it is commits the whole batch with
 * one durable COMMIT (synchronous=FULL: one fsync for all); otherwise it hands the turn on and
 * waits for the batch to be committed. Every transaction is answered only after the COMMIT
 * holding it returned: a failed COMMIT fails all of them, and one transaction's rollback
 * undoes only its own savepoint. Under one writer this is what SQLite's single-writer lock
 * allows anyway, with one fsync per batch instead of one per change.
 *
 * Other processes (the CLI next to a server, or another serve) have their own group and meet
 * SQLite's busy timeout on BEGIN IMMEDIATE. */
#define SQ_BATCH_MAX 64
#define SQ_WRITER_BUSY_MS 3000

struct sq_group {
    struct sq_group *next; /* in the process's list of groups */
    char *path;            /* realpath() of the database file */
    int refs;              /* connections using the group */
    pthread_mutex_t mu;
    pthread_cond_t turn_cv;  /* the writer became free */
    struct sq_store *writer; /* its own connection is the writer's */
    bool busy;               /* a transaction has the turn */
    int waiting;             /* transactions waiting for the turn */
    bool batch_open;         /* BEGIN IMMEDIATE issued, COMMIT not yet */
    int batch_n;
    struct sq_store *batch[SQ_BATCH_MAX]; /* transactions released into the open batch */
    uint64_t begin_failures;              /* BEGIN IMMEDIATE failures (another process's lock) */
    /* record views waiting for a batch (sqlite_citizen_view_log_alone), and those inserted
     * into the open one: answered by batch_end with its result */
    struct sq_view **views, **vbatch;
    int views_n, views_cap, vbatch_n, vbatch_cap;
    atomic_bool damaged; /* a connection met a damaged page: no more writes into the file */
    /* the writer's timeline (store_write_stats), under mu: when the turn was last taken and
     * freed, whether anyone waited for it then, and the sums */
    uint64_t taken_ns, freed_ns;
    bool freed_wanted;
    struct store_write_stats stats;
    uint64_t held_ns, commit_ns, handoff_ns;
};

static pthread_mutex_t groups_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sq_group *groups;

static uint64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The turn is taken (g->mu held): the time it stayed free while wanted was a hand-off. */
static void turn_taken(struct sq_group *g)
{
    g->busy = true;
    g->taken_ns = mono_ns();
    if (g->freed_wanted)
        g->handoff_ns += g->taken_ns - g->freed_ns;
}

/* The turn is given up (g->mu held): held since turn_taken; whoever waits now will take it. */
static void turn_given(struct sq_group *g)
{
    g->busy = false;
    g->freed_ns = mono_ns();
    g->held_ns += g->freed_ns - g->taken_ns;
    g->freed_wanted = g->waiting > 0 || g->views_n > 0;
}

/* A record view waiting for its batch (on the viewer's stack until done). */
struct sq_view {
    int64_t citizen_id, user_id, at;
    const char *purpose;
    bool done;         /* its batch ended ... */
    int rc;            /* ... with this result */
    pthread_cond_t cv; /* signalled when done, or when it may commit a batch itself */
};

/* Join (creating) the group of the database file path; NULL for in-memory databases. */
static struct sq_group *group_join(const char *path, struct err_detail *ed, int *rc)
{
    char real[PATH_MAX];
    *rc = ERR_OK;
    if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0 || !realpath(path, real))
        return NULL;
    pthread_mutex_lock(&groups_mu);
    struct sq_group *g = groups;
    while (g && strcmp(g->path, real) != 0)
        g = g->next;
    if (!g) {
        struct store *w = NULL;
        if ((*rc = db_open(real, false, &w, ed)) != ERR_OK) {
            pthread_mutex_unlock(&groups_mu);
            return NULL;
        }
        g = xcalloc(1, sizeof(*g));
        g->path = xstrdup(real);
        g->writer = SQ(w);
        /* a server's writes wait at most this long for another process's lock (an import,
         * another serve): then the request gets a quick 503 with Retry-After, and the ones
         * queued behind it fail with it, instead of each holding a worker for 10 s */
        sqlite3_busy_timeout(SQ(w)->own.db, SQ_WRITER_BUSY_MS);
        pthread_mutex_init(&g->mu, NULL);
        pthread_cond_init(&g->turn_cv, NULL);
        g->next = groups;
        groups = g;
    }
    g->refs++;
    pthread_mutex_unlock(&groups_mu);
    return g;
}

/* ---- damage ----
 *
 * A damaged page met by any connection (SQLITE_CORRUPT, SQLITE_NOTADB) marks the file damaged
 * for the whole process (its group; or the connection itself without one): health then says
 * so, and no transaction begins any more, so nothing is written into a damaged file. The
 * flag stays until the process restarts on a restored file, whose quick_check at start must
 * pass (serve). */
static void sq_mark_damaged(struct store *st)
{
    bool was;
    if (SQ(st)->group)
        was = atomic_exchange(&SQ(st)->group->damaged, true);
    else {
        was = SQ(st)->damaged;
        SQ(st)->damaged = true;
    }
    if (!was)
        log_error("msg=\"database damaged: writes are refused from now on\"");
}

static bool sq_is_damaged(struct store *st)
{
    return SQ(st)->group ? atomic_load(&SQ(st)->group->damaged) : SQ(st)->damaged;
}

void sqlite_write_stats(struct store *st, struct store_write_stats *out)
{
    struct sq_group *g = SQ(st)->group;
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    *out = g->stats;
    out->available = true;
    out->held_seconds = (double)g->held_ns / 1e9;
    out->commit_seconds = (double)g->commit_ns / 1e9;
    out->handoff_seconds = (double)g->handoff_ns / 1e9;
    pthread_mutex_unlock(&g->mu);
}

int sqlite_check(struct store *st, bool full, struct err_detail *ed)
{
    if (sq_is_damaged(st))
        return err_set(ed, ERR_STORE, "db",
                       "the database file is damaged; restore it from a backup");
    if (!full)
        return ERR_OK;
    /* quick_check(1): the b-trees and their pages, the first problem only (not the slower
     * comparison of every index with its table that integrity_check adds) */
    sqlite3_stmt *s = NULL;
    char first[200] = "";
    int rc = sqlite3_prepare_v2(SQ(st)->cur->db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(s, 0);
        if (!r || strcmp(r, "ok") != 0) {
            str_copy(first, sizeof(first), r ? r : "?");
            sq_mark_damaged(st);
        }
        rc = ERR_OK;
    } else {
        rc = db_err(st, rc); /* marks a damaged file as such */
    }
    sqlite3_finalize(s);
    if (sq_is_damaged(st))
        return err_set(ed, ERR_STORE, "db", "the database file is damaged: %s",
                       *first ? first : "a page cannot be read");
    if (rc != ERR_OK)
        return err_set(ed, rc, "db", "the database cannot be checked now; try again");
    return ERR_OK;
}

/* ---- backup ----
 *
 * SQLite's online backup API, run inside a read transaction of this connection: in WAL mode
 * that transaction pins one snapshot, so every page comes from the same moment while other
 * connections and processes keep writing (they append to the WAL; the backup never restarts).
 * The copy goes to dest.tmp, is checked (quick_check), flushed to disk and renamed. */
#define SQ_BACKUP_STEP 1024 /* pages per step: progress every few MiB */

int sqlite_backup(struct store *st, const char *dest,
                  void (*progress)(void *ctx, int done, int total), void *ctx,
                  struct err_detail *ed)
{
    char tmp[PATH_MAX];
    struct stat sb;
    sqlite3 *out = NULL;
    sqlite3_backup *b = NULL;
    int rc = ERR_OK, src = SQLITE_OK;
    bool began = false;
    if (SQ(st)->in_tx)
        return err_set(ed, ERR_CONFLICT, NULL, "a backup cannot run inside a transaction");
    if (stat(dest, &sb) == 0)
        return err_set(ed, ERR_CONFLICT, "to", "%s exists already; a backup never overwrites",
                       dest);
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= (int)sizeof(tmp))
        return err_set(ed, ERR_INVALID, "to", "the file name is too long");
    unlink(tmp);
    if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = err_set(ed, ERR_IO, "to", "cannot create %s: %s", tmp,
                     out ? sqlite3_errmsg(out) : "out of memory");
        goto out;
    }
    /* the snapshot: a read transaction that has read something */
    if (db_exec(st, "BEGIN; SELECT count(*) FROM sqlite_schema;") != ERR_OK) {
        rc = err_set(ed, ERR_UNAVAILABLE, NULL, "cannot read the database now; try again");
        goto out;
    }
    began = true;
    if (!(b = sqlite3_backup_init(out, "main", SQ(st)->cur->db, "main"))) {
        rc = err_set(ed, ERR_STORE, NULL, "cannot start the backup: %s", sqlite3_errmsg(out));
        goto out;
    }
    do {
        src = sqlite3_backup_step(b, SQ_BACKUP_STEP);
        if (progress)
            progress(ctx, sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b),
                     sqlite3_backup_pagecount(b));
    } while (src == SQLITE_OK || src == SQLITE_BUSY || src == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (src != SQLITE_DONE) {
        rc = err_set(ed, (src & 0xff) == SQLITE_FULL ? ERR_UNAVAILABLE : ERR_IO, "to",
                     "the backup failed: %s", sqlite3_errstr(src));
        goto out;
    }
    /* the copy is its own database now: a rollback journal (no -wal beside it), checked */
    sqlite3_stmt *s = NULL;
    if (sqlite3_exec(out, "PRAGMA journal_mode=DELETE;", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(out, "PRAGMA quick_check(1)", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        sqlite3_finalize(s);
        rc = err_set(ed, ERR_IO, "to", "the copy does not pass quick_check");
        goto out;
    }
    sqlite3_finalize(s);
out:
    if (began)
        db_exec(st, "COMMIT");
    if (out && sqlite3_close(out) != SQLITE_OK && rc == ERR_OK)
        rc = err_set(ed, ERR_IO, "to", "cannot close %s", tmp);
    if (rc == ERR_OK) {
        int fd = open(tmp, O_RDONLY);
        bool synced = fd >= 0 && fsync(fd) == 0;
        if (fd >= 0)
            close(fd);
        if (!synced || rename(tmp, dest) != 0)
            rc = err_set(ed, ERR_IO, "to", "cannot write %s", dest);
    }
    if (rc != ERR_OK)
        unlink(tmp);
    return rc;
}

static void group_leave(struct sq_group *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&groups_mu);
    if (--g->refs == 0) {
        struct sq_group **pp = &groups;
        while (*pp != g)
            pp = &(*pp)->next;
        *pp = g->next;
        conn_close(&g->writer->own);
        free(g->writer);
        pthread_mutex_destroy(&g->mu);
        pthread_cond_destroy(&g->turn_cv);
        free(g->views);
        free(g->vbatch);
        free(g->path);
        free(g);
    }
    pthread_mutex_unlock(&groups_mu);
}

/* Run one statement without results, sql a string literal: BEGIN, SAVEPOINT, RELEASE and
 * COMMIT run for every transaction and every batch, and sqlite3_exec would parse them anew
 * each time (a third of a record view's instructions); prepared once per connection. */
static int conn_exec(struct sq_conn *c, const char *sql)
{
    sqlite3_stmt *s = conn_stmt(c, sql);
    int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
    if (s)
        sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        log_error("msg=\"exec failed\" sql=\"%s\" err=\"%s\"", sql, sqlite3_errmsg(c->db));
        return sq_code(rc);
    }
    return ERR_OK;
}

/* Every waiter has a condition of its own, signalled only when there is something for it:
 * its batch ended, or it may commit one. One condition for all (broadcast at each batch's
 * end) woke every thread waiting in the group, most of them to sleep again: at 32
 * connections a get cost 5 context switches and 8 futex calls (perf stat), and on this
 * machine's hypervisor a switch is dear. */

/* A view's batch ended with rc (g->mu held). */
static void view_done(struct sq_view *v, int rc)
{
    v->rc = rc;
    v->done = true;
    pthread_cond_signal(&v->cv);
}

/* When no transaction holds or waits for the turn, the oldest view waiting commits the next
 * batch itself: wake it (g->mu held). */
static void views_kick(struct sq_group *g)
{
    if (!g->busy && !g->batch_open && g->waiting == 0 && g->views_n > 0)
        pthread_cond_signal(&g->views[0]->cv);
}

/* End the open batch with rc for each of its transactions (g->mu held). */
static void batch_end(struct sq_group *g, int rc)
{
    for (int i = 0; i < g->batch_n; i++) {
        g->batch[i]->gc_rc = rc;
        g->batch[i]->gc_done = true;
        pthread_cond_signal(&g->batch[i]->gc_cv);
    }
    g->batch_n = 0;
    for (int i = 0; i < g->vbatch_n; i++)
        view_done(g->vbatch[i], rc);
    g->vbatch_n = 0;
    g->batch_open = false;
}

/* Insert the views waiting into the open batch, in a savepoint of their own: a failed
 * insert fails them (their records are not shown) and leaves the batch as it was. Called by
 * the turn's holder just before it commits (g->mu not held). */
static void views_drain(struct sq_group *g)
{
    pthread_mutex_lock(&g->mu);
    int from = g->vbatch_n, n = g->views_n;
    if (n == 0) {
        pthread_mutex_unlock(&g->mu);
        return;
    }
    if (g->vbatch_n + n > g->vbatch_cap) {
        g->vbatch_cap = (g->vbatch_n + n) * 2;
        g->vbatch = xrealloc(g->vbatch, (size_t)g->vbatch_cap * sizeof(*g->vbatch));
    }
    memcpy(g->vbatch + from, g->views, (size_t)n * sizeof(*g->views));
    g->vbatch_n += n;
    g->views_n = 0;
    pthread_mutex_unlock(&g->mu);

    struct store *w = &g->writer->base;
    int rc = conn_exec(&g->writer->own, "SAVEPOINT v");
    for (int i = from; rc == ERR_OK && i < from + n; i++) {
        const struct sq_view *v = g->vbatch[i];
        rc = sqlite_citizen_view_log(w, v->citizen_id, v->user_id, v->at, v->purpose);
    }
    if (rc == ERR_OK)
        rc = conn_exec(&g->writer->own, "RELEASE v");
    if (rc != ERR_OK) {
        if (!sqlite3_get_autocommit(g->writer->own.db))
            sqlite3_exec(g->writer->own.db, "ROLLBACK TO v; RELEASE v", NULL, NULL, NULL);
        pthread_mutex_lock(&g->mu);
        for (int i = from; i < from + n; i++)
            view_done(g->vbatch[i], rc);
        g->vbatch_n = from;
        pthread_mutex_unlock(&g->mu);
    }
}

/* The turn became free (g->mu held), with no batch open: a view waiting may commit one. */
static void turn_freed(struct sq_group *g)
{
    turn_given(g);
    pthread_cond_signal(&g->turn_cv);
    views_kick(g);
}

/* The turn's holder commits the open batch (called without g->mu, returns holding it): the
 * views waiting join it first; every member is answered with the COMMIT's result. */
static void batch_commit(struct sq_group *g)
{
    struct sq_conn *w = &g->writer->own;
    views_drain(g);
    uint64_t t0 = mono_ns();
    int rc = conn_exec(w, "COMMIT");
    uint64_t t1 = mono_ns();
    if (rc != ERR_OK && !sqlite3_get_autocommit(w->db))
        conn_exec(w, "ROLLBACK");
    pthread_mutex_lock(&g->mu);
    g->commit_ns += t1 - t0;
    g->stats.commits++;
    if (rc != ERR_OK) {
        g->stats.failed_commits++;
    } else {
        g->stats.transactions += (uint64_t)g->batch_n;
        g->stats.views += (uint64_t)g->vbatch_n;
    }
    batch_end(g, rc);
    turn_freed(g);
}

/* The writer left its transaction (SQLite rolls back a whole transaction on some I/O errors
 * and a full disk): the open batch is lost, fail its transactions (g->mu held). */
static void batch_check_lost(struct sq_group *g)
{
    if (g->batch_open && sqlite3_get_autocommit(g->writer->own.db)) {
        log_error("msg=\"group commit: the open batch was rolled back\" n=%d", g->batch_n);
        batch_end(g, ERR_UNAVAILABLE);
    }
}

static int group_begin(struct store *st)
{
    struct sq_group *g = SQ(st)->group;
    struct sq_conn *w = &g->writer->own;
    pthread_mutex_lock(&g->mu);
    uint64_t failures = g->begin_failures;
    g->waiting++;
    while (g->busy)
        pthread_cond_wait(&g->turn_cv, &g->mu);
    g->waiting--;
    if (g->begin_failures != failures) {
        /* a BEGIN failed (after the busy timeout) while we queued: the same lock would make
         * us wait as long again, so fail now with it */
        pthread_cond_signal(&g->turn_cv);
        views_kick(g); /* a view waiting may commit one */
        pthread_mutex_unlock(&g->mu);
        return ERR_UNAVAILABLE;
    }
    turn_taken(g);
    batch_check_lost(g);
    bool open = g->batch_open;
    pthread_mutex_unlock(&g->mu);
    int rc = open ? ERR_OK : conn_exec(w, "BEGIN IMMEDIATE");
    if (rc != ERR_OK) {
        pthread_mutex_lock(&g->mu);
        g->begin_failures++;
        pthread_mutex_unlock(&g->mu);
    } else if (open && (rc = conn_exec(w, "SAVEPOINT g")) != ERR_OK) {
        /* joining a batch: the savepoint lets this transaction roll back alone */
    }
    /* the transaction that opens a batch needs no savepoint: until it hands the turn on, the
     * batch holds its work only, and a rollback of the whole is a rollback of it (an open
     * savepoint over a long batch would copy every page it touches a second time) */
    SQ(st)->gc_sp = open;
    pthread_mutex_lock(&g->mu);
    if (rc == ERR_OK) {
        g->batch_open = true;
        SQ(st)->cur = w;
    } else {
        turn_freed(g);
    }
    pthread_mutex_unlock(&g->mu);
    return rc;
}

/* The transaction whose turn it is has ended (released into the batch when member is true,
 * else rolled back): hand the turn on, or commit the batch. Returns the batch's result for
 * a member, ERR_OK otherwise. */
static int group_end_turn(struct store *st, bool member)
{
    struct sq_group *g = SQ(st)->group;
    SQ(st)->cur = &SQ(st)->own;
    pthread_mutex_lock(&g->mu);
    batch_check_lost(g);
    if (member) {
        SQ(st)->gc_done = false;
        if (g->batch_open)
            g->batch[g->batch_n++] = SQ(st);
        else { /* lost with the batch just ended */
            SQ(st)->gc_done = true;
            SQ(st)->gc_rc = ERR_UNAVAILABLE;
        }
    }
    if (g->batch_open && g->waiting > 0 && g->batch_n < SQ_BATCH_MAX) {
        turn_given(g); /* the next transaction joins this batch */
        pthread_cond_signal(&g->turn_cv);
    } else if (g->batch_open) {
        pthread_mutex_unlock(&g->mu); /* commit outside the mutex; the turn stays ours */
        batch_commit(g);
    } else {
        turn_freed(g);
    }
    while (member && !SQ(st)->gc_done)
        pthread_cond_wait(&SQ(st)->gc_cv, &g->mu);
    int rc = member ? SQ(st)->gc_rc : ERR_OK;
    pthread_mutex_unlock(&g->mu);
    return rc;
}

/* A record view outside a transaction (store_citizen_view_log): reads are most of a server's
 * requests and each must log its view durably before it shows the record (KVKK,
 * core/citizen.h). Rather than a turn of its own (a hand-off between threads per read), the
 * view waits in the group's list and whoever commits the next batch inserts it (views_drain);
 * when no transaction has the turn or waits for it, the viewer opens and commits a batch
 * itself, with every view waiting by then. Answered only after that COMMIT. */
int sqlite_citizen_view_log_alone(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                                  const char *purpose)
{
    struct sq_group *g = SQ(st)->group;
    int rc;
    if (!g || SQ(st)->in_tx > 0) { /* in-memory: an ordinary transaction */
        if ((rc = sqlite_begin(st)) != ERR_OK)
            return rc;
        if ((rc = sqlite_citizen_view_log(st, citizen_id, user_id, at, purpose)) != ERR_OK) {
            sqlite_rollback(st);
            return rc;
        }
        return sqlite_commit(st);
    }
    if (sq_is_damaged(st)) {
        log_error("msg=\"write refused: the database is damaged\"");
        return ERR_UNAVAILABLE;
    }
    struct sq_view v = {
        .citizen_id = citizen_id, .user_id = user_id, .at = at, .purpose = purpose
    };
    pthread_cond_init(&v.cv, NULL);
    pthread_mutex_lock(&g->mu);
    if (g->views_n == g->views_cap) {
        g->views_cap = g->views_cap ? g->views_cap * 2 : 16;
        g->views = xrealloc(g->views, (size_t)g->views_cap * sizeof(*g->views));
    }
    g->views[g->views_n++] = &v;
    while (!v.done) {
        if (g->busy || g->batch_open || g->waiting > 0) {
            /* a batch will take it; every path that leaves the writer free wakes us, and the
             * timeout is a safety net against a wake-up missed all the same */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 100 * 1000 * 1000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&v.cv, &g->mu, &until);
            continue;
        }
        turn_taken(g); /* commit a batch of views ourselves */
        pthread_mutex_unlock(&g->mu);
        rc = conn_exec(&g->writer->own, "BEGIN IMMEDIATE");
        if (rc != ERR_OK) { /* another process's lock: the views waiting fail with it */
            pthread_mutex_lock(&g->mu);
            g->begin_failures++;
            for (int i = 0; i < g->views_n; i++)
                view_done(g->views[i], rc);
            g->views_n = 0;
            turn_freed(g);
            continue;
        }
        pthread_mutex_lock(&g->mu);
        g->batch_open = true;
        pthread_mutex_unlock(&g->mu);
        batch_commit(g); /* returns holding g->mu */
    }
    pthread_mutex_unlock(&g->mu);
    pthread_cond_destroy(&v.cv);
    return v.rc;
}

void sqlite_close(struct store *st)
{
    if (!st)
        return;
    sqlite_rollback(st);
    conn_close(&SQ(st)->own);
    group_leave(SQ(st)->group);
    pthread_cond_destroy(&SQ(st)->gc_cv);
    free(SQ(st));
}

/* Without a group (in-memory databases): writers of this process queue on a mutex instead
 * of SQLite's busy handler, which sleeps in growing steps and gives a long tail. */
static pthread_mutex_t db_write_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_unlock(struct store *st)
{
    if (SQ(st)->holds_lock) {
        SQ(st)->holds_lock = false;
        pthread_mutex_unlock(&db_write_lock);
    }
}

/* Transactions nest: the outermost joins the group commit (or, without a group, is BEGIN
 * IMMEDIATE on the connection itself), inner ones are savepoints, so core's
 * one-transaction-per-change functions can also run inside a bigger batch (init --demo). */
int sqlite_begin(struct store *st)
{
    char sql[32];
    int rc;
    if (SQ(st)->in_tx == 0 && sq_is_damaged(st)) {
        log_error("msg=\"write refused: the database is damaged\"");
        return ERR_UNAVAILABLE;
    }
    if (SQ(st)->in_tx == 0 && SQ(st)->group) {
        if ((rc = group_begin(st)) != ERR_OK)
            return rc;
    } else if (SQ(st)->in_tx == 0) {
        pthread_mutex_lock(&db_write_lock);
        SQ(st)->holds_lock = true;
        if ((rc = conn_exec(SQ(st)->cur, "BEGIN IMMEDIATE")) != ERR_OK) {
            write_unlock(st);
            return rc;
        }
    } else {
        snprintf(sql, sizeof(sql), "SAVEPOINT s%d", SQ(st)->in_tx);
        if ((rc = db_exec(st, sql)) != ERR_OK)
            return rc;
    }
    SQ(st)->in_tx++;
    return ERR_OK;
}

int sqlite_commit(struct store *st)
{
    char sql[32];
    int rc;
    if (SQ(st)->in_tx <= 0)
        return ERR_INTERNAL;
    if (SQ(st)->in_tx == 1 && SQ(st)->group) {
        if (SQ(st)->gc_sp && (rc = conn_exec(SQ(st)->cur, "RELEASE g")) != ERR_OK) {
            sqlite_rollback(st);
            return rc;
        }
        SQ(st)->in_tx = 0;
        return group_end_turn(st, true);
    }
    if (SQ(st)->in_tx == 1) {
        rc = conn_exec(SQ(st)->cur, "COMMIT");
        if (rc != ERR_OK) {
            sqlite_rollback(st);
            return rc;
        }
        write_unlock(st);
    } else {
        snprintf(sql, sizeof(sql), "RELEASE s%d", SQ(st)->in_tx - 1);
        if ((rc = db_exec(st, sql)) != ERR_OK)
            return rc;
    }
    SQ(st)->in_tx--;
    return ERR_OK;
}

void sqlite_rollback(struct store *st)
{
    char sql[64];
    if (SQ(st)->in_tx > 1) {
        snprintf(sql, sizeof(sql), "ROLLBACK TO s%d; RELEASE s%d", SQ(st)->in_tx - 1,
                 SQ(st)->in_tx - 1);
        sqlite3_exec(SQ(st)->cur->db, sql, NULL, NULL, NULL);
        SQ(st)->in_tx--;
        return;
    }
    if (SQ(st)->in_tx == 1 && SQ(st)->group) {
        /* undo only this transaction's savepoint, and the batch goes on; or, when this
         * transaction opened the batch (its work alone so far), the whole */
        struct sq_group *g = SQ(st)->group;
        if (SQ(st)->gc_sp && !sqlite3_get_autocommit(SQ(st)->cur->db)) {
            sqlite3_exec(SQ(st)->cur->db, "ROLLBACK TO g; RELEASE g", NULL, NULL, NULL);
        } else if (!SQ(st)->gc_sp) {
            if (!sqlite3_get_autocommit(SQ(st)->cur->db))
                sqlite3_exec(SQ(st)->cur->db, "ROLLBACK", NULL, NULL, NULL);
            pthread_mutex_lock(&g->mu);
            g->batch_open = false;
            pthread_mutex_unlock(&g->mu);
        }
        SQ(st)->in_tx = 0;
        group_end_turn(st, false);
        return;
    }
    if (SQ(st)->in_tx == 0 && SQ(st)->group)
        return;
    if (!sqlite3_get_autocommit(SQ(st)->cur->db))
        sqlite3_exec(SQ(st)->cur->db, "ROLLBACK", NULL, NULL, NULL);
    SQ(st)->in_tx = 0;
    write_unlock(st);
}

int sqlite_tx_depth(struct store *st)
{
    return SQ(st)->in_tx;
}

int sqlite_setting_get(struct store *st, const char *key, char *out, size_t outlen)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        db_col_copy(s, 0, out, outlen);
        sqlite3_reset(s);
        return ERR_OK;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(st, rc);
}

int sqlite_setting_set(struct store *st, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings(key, value) VALUES (?1, ?2) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, key);
    db_bind_text(s, 2, value);
    return db_exec_stmt(st, s);
}

int db_collect(struct store *st, sqlite3_stmt *s, size_t elem,
               void (*row)(sqlite3_stmt *s, void *rec), bool (*keep)(sqlite3_stmt *s, void *ctx),
               void *ctx, void (*release)(void *rec), void **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!s)
        return ERR_STORE;
    size_t cap = 8, len = 0;
    char *v = xmalloc(cap * elem);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (keep && !keep(s, ctx))
            continue;
        if (len == cap)
            v = xrealloc(v, (cap *= 2) * elem);
        memset(v + len * elem, 0, elem);
        row(s, v + len * elem);
        len++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; release && i < len; i++)
            release(v + i * elem);
        free(v);
        return db_err(st, rc);
    }
    *out = v;
    *n = len;
    return ERR_OK;
}

static int sq_open(const char *db, bool migrate, struct store **out, struct err_detail *ed)
{
    int rc = migrate ? sq_open_migrated(db, out, ed) : sq_open_existing(db, out, ed);
    if (rc == ERR_OK) {
        SQ(*out)->group = group_join(db, ed, &rc);
        if (rc != ERR_OK) {
            sqlite_close(*out);
            *out = NULL;
        }
    }
    return rc;
}

/* Everything that is not a URL is a file path for SQLite (":memory:" included). */
static bool sq_accepts(const char *db)
{
    return !store_is_url(db) || strncmp(db, "file:", 5) == 0;
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .accepts = sq_accepts,
    .open = sq_open,
    .close = sqlite_close,
    .tx_depth = sqlite_tx_depth,
    .schema_version = sqlite_schema_version,
    .check = sqlite_check,
    .write_stats = sqlite_write_stats,
    .backup = sqlite_backup,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .setting_get = sqlite_setting_get,
    .setting_set = sqlite_setting_set,
    .institution_upsert = sqlite_institution_upsert,
    .institution_id = sqlite_institution_id,
    .institution_each = sqlite_institution_each,
    .department_upsert = sqlite_department_upsert,
    .department_get = sqlite_department_get,
    .department_by_code = sqlite_department_by_code,
    .department_list = sqlite_department_list,
    .department_within = sqlite_department_within,
    .category_upsert = sqlite_category_upsert,
    .category_get = sqlite_category_get,
    .category_by_code = sqlite_category_by_code,
    .category_list = sqlite_category_list,
    .district_upsert = sqlite_district_upsert,
    .neighbourhood_upsert = sqlite_neighbourhood_upsert,
    .district_each = sqlite_district_each,
    .neighbourhood_each = sqlite_neighbourhood_each,
    .district_name = sqlite_district_name,
    .neighbourhood_name = sqlite_neighbourhood_name,
    .holiday_set = sqlite_holiday_set,
    .holiday_delete = sqlite_holiday_delete,
    .holiday_each = sqlite_holiday_each,
    .user_create = sqlite_user_create,
    .user_get = sqlite_user_get,
    .user_by_name = sqlite_user_by_name,
    .user_set_password = sqlite_user_set_password,
    .user_set_disabled = sqlite_user_set_disabled,
    .user_update = sqlite_user_update,
    .user_list = sqlite_user_list,
    .session_create = sqlite_session_create,
    .session_touch = sqlite_session_touch,
    .session_user = sqlite_session_user,
    .session_delete = sqlite_session_delete,
    .session_purge = sqlite_session_purge,
    .token_create = sqlite_token_create,
    .token_user = sqlite_token_user,
    .token_by_hash = sqlite_token_by_hash,
    .token_get = sqlite_token_get,
    .token_list = sqlite_token_list,
    .token_revoke = sqlite_token_revoke,
    .token_used = sqlite_token_used,
    .grant_set = sqlite_grant_set,
    .grant_delete = sqlite_grant_delete,
    .grant_list = sqlite_grant_list,
    .audit_add = sqlite_audit_add,
    .audit_list = sqlite_audit_list,
    .citizen_create = sqlite_citizen_create,
    .citizen_get = sqlite_citizen_get,
    .citizen_by_phone = sqlite_citizen_by_phone,
    .citizen_view_log = sqlite_citizen_view_log,
    .citizen_view_log_alone = sqlite_citizen_view_log_alone,
    .app_create = sqlite_app_create,
    .app_update = sqlite_app_update,
    .app_get = sqlite_app_get,
    .app_by_tracking = sqlite_app_by_tracking,
    .app_list = sqlite_app_list,
    .app_count = sqlite_app_count,
    .app_group_count = sqlite_app_group_count,
    .app_open_candidates = sqlite_app_open_candidates,
    .app_training_each = sqlite_app_training_each,
    .app_suggestion_each = sqlite_app_suggestion_each,
    .app_set_suggestion = sqlite_app_set_suggestion,
    .correction_add = sqlite_correction_add,
    .correction_each = sqlite_correction_each,
    .correction_training_each = sqlite_correction_training_each,
    .event_add = sqlite_event_add,
    .event_list = sqlite_event_list,
    .link_add = sqlite_link_add,
    .link_each = sqlite_link_each,
    .attachment_add = sqlite_attachment_add,
    .attachment_list = sqlite_attachment_list,
    .attachment_get = sqlite_attachment_get,
    .idem_claim = sqlite_idem_claim,
    .idem_finish = sqlite_idem_finish,
    .table_each = sqlite_table_each,
    .table_insert = sqlite_table_insert,
    .table_copied = sqlite_table_copied,
    .contact_create = sqlite_contact_create,
    .contact_get = sqlite_contact_get,
    .contact_by_call = sqlite_contact_by_call,
    .contact_close = sqlite_contact_close,
    .contact_list = sqlite_contact_list,
    .contact_group_count = sqlite_contact_group_count,
    .call_event_add = sqlite_call_event_add,
    .call_events = sqlite_call_events,
    .call_get = sqlite_call_get,
    .call_save = sqlite_call_save,
    .call_each = sqlite_call_each,
    .agent_state_set = sqlite_agent_state_set,
    .agent_state_get = sqlite_agent_state_get,
    .agent_state_list = sqlite_agent_state_list,
    .agent_event_add = sqlite_agent_event_add,
    .agent_event_list = sqlite_agent_event_list,
    .kb_save = sqlite_kb_save,
    .kb_get = sqlite_kb_get,
    .kb_list = sqlite_kb_list,
    .call_rollup_add = sqlite_call_rollup_add,
    .contact_rollup_add = sqlite_contact_rollup_add,
    .call_rollup_each = sqlite_call_rollup_each,
    .contact_rollup_each = sqlite_contact_rollup_each,
    .rollup_reset = sqlite_rollup_reset,
    .rollup_app_add = sqlite_rollup_app_add,
    .rollup_app_each = sqlite_rollup_app_each,
    .rollup_app_clear = sqlite_rollup_app_clear,
    .app_report_each = sqlite_app_report_each,
    .event_actions = sqlite_event_actions,
    .app_overdue_each = sqlite_app_overdue_each,
    .app_text_each = sqlite_app_text_each,
    .app_comeback_each = sqlite_app_comeback_each,
    .cimer_add = sqlite_cimer_add,
    .cimer_get = sqlite_cimer_get,
    .cimer_by_no = sqlite_cimer_by_no,
    .cimer_update = sqlite_cimer_update,
    .cimer_list = sqlite_cimer_list,
    .intake_add = sqlite_intake_add,
    .intake_get = sqlite_intake_get,
    .poll_lock = sqlite_poll_lock,
    .o311_key_add = sqlite_o311_key_add,
    .o311_key_find = sqlite_o311_key_find,
    .o311_request_add = sqlite_o311_request_add,
    .o311_request_get = sqlite_o311_request_get,
    .o311_attr_list = sqlite_o311_attr_list,
    .o311_attr_replace = sqlite_o311_attr_replace,
    .public_key_claim = sqlite_public_key_claim,
    .public_key_set = sqlite_public_key_set,
    .consent_set = sqlite_consent_set,
    .consent_get = sqlite_consent_get,
    .outbox_add = sqlite_outbox_add,
    .outbox_claim = sqlite_outbox_claim,
    .outbox_finish = sqlite_outbox_finish,
    .outbox_get = sqlite_outbox_get,
    .outbox_list = sqlite_outbox_list,
    .outbox_counts = sqlite_outbox_counts,
    .outbox_resend = sqlite_outbox_resend,
    .template_get = sqlite_template_get,
    .template_set = sqlite_template_set,
    .template_list = sqlite_template_list,
    .survey_token_add = sqlite_survey_token_add,
    .survey_token_use = sqlite_survey_token_use,
    .satisfaction_add = sqlite_satisfaction_add,
    .satisfaction_each = sqlite_satisfaction_each,
    .citizen_consent_get = sqlite_citizen_consent_get,
    .citizen_consent_set = sqlite_citizen_consent_set,
    .view_log_list = sqlite_view_log_list,
    .citizen_anonymise = sqlite_citizen_anonymise,
    .retention_candidates = sqlite_retention_candidates,
    .satisfaction_by_app = sqlite_satisfaction_by_app,
    .citizen_by_tc = sqlite_citizen_by_tc,
    .tc_counts = sqlite_tc_counts,
    .tc_seal_all = sqlite_tc_seal_all,
    .tc_page = sqlite_tc_page,
    .tc_put = sqlite_tc_put,
    .tc_foreign = sqlite_tc_foreign,
    .retention_contacts = sqlite_retention_contacts,
    .citizen_lang_set = sqlite_citizen_lang_set,
    .outbox_ref_set = sqlite_outbox_ref_set,
};
