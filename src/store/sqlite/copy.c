/* SQLite backend: the generic table walker and inserter of store_copy (store_int.h). The SQL
 * is built from the table descriptions of store/copy.c (fixed names, never input). */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* "a, b, c" of t's columns (the first n) into sb. */
static void col_list(struct strbuf *sb, const struct store_table *t, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_adds(sb, sep);
        strbuf_adds(sb, t->cols[i]);
    }
}

/* The cell of column i of s's current row (borrowed until the next step). */
static void read_cell(sqlite3_stmt *s, int i, struct store_cell *c)
{
    memset(c, 0, sizeof(*c));
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL: c->kind = CELL_NULL; break;
    case SQLITE_INTEGER:
        c->kind = CELL_INT;
        c->i = sqlite3_column_int64(s, i);
        break;
    case SQLITE_FLOAT:
        c->kind = CELL_REAL;
        c->r = sqlite3_column_double(s, i);
        break;
    case SQLITE_BLOB:
        c->kind = CELL_BLOB;
        c->p = sqlite3_column_blob(s, i);
        c->len = (size_t)sqlite3_column_bytes(s, i);
        break;
    default:
        c->kind = CELL_TEXT;
        c->p = (const char *)sqlite3_column_text(s, i);
        c->len = (size_t)sqlite3_column_bytes(s, i);
        break;
    }
}

int sqlite_table_each(struct store *st, const struct store_table *t,
                      int (*fn)(void *ctx, const struct store_cell *row), void *ctx)
{
    struct strbuf sql = STRBUF_INIT;
    struct store_cell *row = calloc((size_t)t->ncols, sizeof(*row));
    sqlite3_stmt *s = NULL;
    int rc = ERR_STORE;
    strbuf_adds(&sql, "SELECT ");
    col_list(&sql, t, t->ncols, ", ");
    strbuf_addf(&sql, " FROM %s ORDER BY ", t->name);
    col_list(&sql, t, t->nkey, ", ");
    if (!row || sqlite3_prepare_v2(SQ(st)->cur->db, sql.buf, -1, &s, NULL) != SQLITE_OK)
        goto out;
    int step;
    rc = ERR_OK;
    while (rc == ERR_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < t->ncols; i++)
            read_cell(s, i, &row[i]);
        rc = fn(ctx, row);
    }
    if (rc == ERR_OK && step != SQLITE_DONE)
        rc = db_err(st, step);
out:
    sqlite3_finalize(s);
    free(row);
    strbuf_release(&sql);
    return rc;
}

int sqlite_table_insert(struct store *st, const struct store_table *t, const struct store_cell *row)
{
    struct strbuf sql = STRBUF_INIT;
    sqlite3_stmt *s = NULL;
    int rc = ERR_STORE;
    strbuf_addf(&sql, "INSERT INTO %s (", t->name);
    col_list(&sql, t, t->ncols, ", ");
    strbuf_adds(&sql, ") VALUES (");
    for (int i = 0; i < t->ncols; i++)
        strbuf_adds(&sql, i ? ", ?" : "?");
    strbuf_adds(&sql, ")");
    if (sqlite3_prepare_v2(SQ(st)->cur->db, sql.buf, -1, &s, NULL) != SQLITE_OK)
        goto out;
    for (int i = 0; i < t->ncols; i++) {
        const struct store_cell *c = &row[i];
        switch (c->kind) {
        case CELL_NULL: sqlite3_bind_null(s, i + 1); break;
        case CELL_INT: sqlite3_bind_int64(s, i + 1, c->i); break;
        case CELL_REAL: sqlite3_bind_double(s, i + 1, c->r); break;
        case CELL_TEXT: sqlite3_bind_text(s, i + 1, c->p, (int)c->len, SQLITE_TRANSIENT); break;
        case CELL_BLOB: sqlite3_bind_blob(s, i + 1, c->p, (int)c->len, SQLITE_TRANSIENT); break;
        }
    }
    int step = sqlite3_step(s);
    rc = step == SQLITE_DONE ? ERR_OK : db_err(st, step);
out:
    sqlite3_finalize(s);
    strbuf_release(&sql);
    return rc;
}

int sqlite_table_copied(struct store *st, const struct store_table *t)
{
    (void)st;
    (void)t; /* an INTEGER PRIMARY KEY continues after the largest rowid by itself */
    return ERR_OK;
}
