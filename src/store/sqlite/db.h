#ifndef ALO_STORE_SQLITE_DB_H
#define ALO_STORE_SQLITE_DB_H
/* Internals shared by the SQLite backend's files; nothing outside store/sqlite includes this. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define DB_STMT_CACHE 128

struct store {
    sqlite3 *db;
    int in_tx;                          /* nesting depth of store_begin() */
    bool holds_lock;                    /* holds the process's write mutex (outermost tx) */
    struct {
        const char *sql;                /* key: the address of a static SQL string */
        sqlite3_stmt *stmt;
    } cache[DB_STMT_CACHE];
};

/* A prepared statement for a static SQL string, cached per connection; reset and unbound.
 * NULL on error (logged). Borrowed: do not finalize. */
sqlite3_stmt *db_stmt(struct store *st, const char *sql);
/* Step a statement expected to finish (INSERT/UPDATE/DELETE); maps SQLite errors. */
int db_exec_stmt(struct store *st, sqlite3_stmt *s);
/* Step a statement expected to return one row and leave it on that row (reset it after
 * reading); ERR_NOT_FOUND when it returns none. */
int db_step_row(struct store *st, sqlite3_stmt *s);
/* Run a one-row SELECT keyed by ?1 — text when text is non-NULL, else the id — and decode
 * the row with row(s, out). ERR_NOT_FOUND when there is none. */
int db_get_one(struct store *st, const char *sql, int64_t id, const char *text,
               void (*row)(sqlite3_stmt *s, void *out), void *out);
/* Map the last SQLite error of st to an err_code (constraint → ERR_CONFLICT). */
int db_err(struct store *st, int rc);
/* Bind helpers: NULL / 0 map to SQL NULL. */
void db_bind_text(sqlite3_stmt *s, int i, const char *v);
void db_bind_id(sqlite3_stmt *s, int i, int64_t v);
/* Column helpers: copy text into a fixed buffer ("" for NULL); malloc'd copy or NULL. */
void db_col_copy(sqlite3_stmt *s, int i, char *out, size_t outlen);
char *db_col_dup(sqlite3_stmt *s, int i);

#endif
