/* PostgreSQL backend: the generic table walker and inserter of store_copy (store_int.h). The
 * SQL is built from the table descriptions of store/copy.c (fixed names, never input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Type OIDs of the columns the schema uses (pg_type.h is a server header). */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_BOOL 16 /* boolean: copied as an integer 0/1, as SQLite holds it */
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701

static void col_list(struct strbuf *sb, const struct store_table *t, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_adds(sb, ", ");
        strbuf_adds(sb, t->cols[i]);
    }
}

/* The cell of row r, column i of res; a bytea is unescaped into *blob (caller PQfreemem()s). */
static void read_cell(const PGresult *res, int r, int i, struct store_cell *c, unsigned char **blob)
{
    memset(c, 0, sizeof(*c));
    if (PQgetisnull(res, r, i)) {
        c->kind = CELL_NULL;
        return;
    }
    const char *v = PQgetvalue(res, r, i);
    switch (PQftype(res, i)) {
    case OID_BOOL:
        c->kind = CELL_INT;
        c->i = v[0] == 't';
        break;
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
        c->kind = CELL_INT;
        c->i = strtoll(v, NULL, 10);
        break;
    case OID_FLOAT4:
    case OID_FLOAT8:
        c->kind = CELL_REAL;
        c->r = strtod(v, NULL);
        break;
    case OID_BYTEA:
        c->kind = CELL_BLOB;
        *blob = PQunescapeBytea((const unsigned char *)v, &c->len);
        c->p = (const char *)*blob;
        break;
    default:
        c->kind = CELL_TEXT;
        c->p = v;
        c->len = (size_t)PQgetlength(res, r, i);
        break;
    }
}

/* fn over the rows of one result; ERR_OK or fn's non-zero return. */
static int each_result_row(const PGresult *res, const struct store_table *t, struct store_cell *row,
                           unsigned char **blobs,
                           int (*fn)(void *ctx, const struct store_cell *row), void *ctx)
{
    int rc = ERR_OK;
    for (int r = 0; r < PQntuples(res) && rc == ERR_OK; r++) {
        for (int i = 0; i < t->ncols; i++)
            read_cell(res, r, i, &row[i], &blobs[i]);
        rc = fn(ctx, row);
        for (int i = 0; i < t->ncols; i++) {
            PQfreemem(blobs[i]);
            blobs[i] = NULL;
        }
    }
    return rc;
}

/* Rows are fetched in single-row mode, so that a large table is never held in memory whole;
 * when fn stops early the rest of the result is read and dropped. */
int pg_table_each(struct store *st, const struct store_table *t,
                  int (*fn)(void *ctx, const struct store_cell *row), void *ctx)
{
    struct strbuf sql = STRBUF_INIT;
    struct store_cell *row = calloc((size_t)t->ncols, sizeof(*row));
    unsigned char **blobs = calloc((size_t)t->ncols, sizeof(*blobs));
    PGconn *conn = PG(st)->conn;
    PGresult *res;
    int rc = ERR_OK, err = ERR_OK;
    strbuf_adds(&sql, "SELECT ");
    col_list(&sql, t, t->ncols);
    /* the application rollups are kept in stripes (migration 020): read one row per key */
    strbuf_addf(&sql, " FROM %s%s ORDER BY ", t->name,
                strncmp(t->name, "app_rollup", 10) == 0 ? "_total" : "");
    col_list(&sql, t, t->nkey);
    if (!row || !blobs || PQstatus(conn) != CONNECTION_OK || !PQsendQuery(conn, sql.buf) ||
        !PQsetSingleRowMode(conn)) {
        err = PQstatus(conn) == CONNECTION_OK ? ERR_STORE : ERR_UNAVAILABLE;
        goto out;
    }
    while ((res = PQgetResult(conn))) {
        ExecStatusType s = PQresultStatus(res);
        if (s == PGRES_SINGLE_TUPLE && rc == ERR_OK)
            rc = each_result_row(res, t, row, blobs, fn, ctx);
        else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK && err == ERR_OK)
            err = PQstatus(conn) == CONNECTION_OK ? ERR_STORE : ERR_UNAVAILABLE;
        PQclear(res);
    }
out:
    free(blobs);
    free(row);
    strbuf_release(&sql);
    return err != ERR_OK ? err : rc;
}

/* applications.fts and kb_articles.fts are derived: written here as pg_app_create (from text
 * and address) and pg_kb_save (from title, body, phones and keywords) write them. */
int pg_table_insert(struct store *st, const struct store_table *t, const struct store_cell *row)
{
    struct strbuf sql = STRBUF_INIT;
    struct pg_args a = { .n = 0 };
    char *fts = NULL;
    int rc = ERR_STORE;
    bool is_apps = strcmp(t->name, "applications") == 0,
         is_kb = strcmp(t->name, "kb_articles") == 0;
    bool derived = is_apps || is_kb;
    if (t->ncols + (derived ? 1 : 0) > PG_MAX_ARGS)
        goto out;
    strbuf_addf(&sql, "INSERT INTO %s (", t->name);
    col_list(&sql, t, t->ncols);
    strbuf_adds(&sql, derived ? ", fts) VALUES (" : ") VALUES (");
    for (int i = 0; i < t->ncols; i++) {
        const struct store_cell *c = &row[i];
        strbuf_addf(&sql, i ? ", $%d" : "$%d", i + 1);
        switch (c->kind) {
        case CELL_NULL: pa_null(&a); break;
        case CELL_INT: pa_int(&a, c->i); break;
        case CELL_REAL: pa_double(&a, c->r); break;
        case CELL_TEXT: pa_text(&a, c->p); break;
        case CELL_BLOB: pa_blob(&a, c->p, c->len); break;
        }
    }
    if (derived) {
        const char *text = "", *address = NULL, *title = "", *body = "", *phones = "";
        for (int i = 0; i < t->ncols; i++) {
            const char *col = t->cols[i];
            if (row[i].kind != CELL_TEXT)
                continue;
            if (strcmp(col, "text") == 0)
                text = row[i].p;
            else if (strcmp(col, is_kb ? "keywords" : "address") == 0)
                address = row[i].p;
            else if (strcmp(col, "title") == 0)
                title = row[i].p;
            else if (strcmp(col, "body") == 0)
                body = row[i].p;
            else if (strcmp(col, "phones") == 0)
                phones = row[i].p;
        }
        struct strbuf kb = STRBUF_INIT;
        if (is_kb) {
            strbuf_addf(&kb, "%s\n%s\n%s", title, body, phones);
            text = kb.buf;
        }
        fts = pg_fts_document(text, address);
        strbuf_release(&kb);
        if (!fts) {
            rc = ERR_INVALID;
            goto out;
        }
        pa_text(&a, fts);
        strbuf_addf(&sql, ", $%d::tsvector", t->ncols + 1);
    }
    strbuf_adds(&sql, ")");
    PGresult *res = pg_run_dyn(st, sql.buf, &a, &rc);
    PQclear(res);
out:
    free(fts);
    strbuf_release(&sql);
    return rc;
}

int pg_table_copied(struct store *st, const struct store_table *t)
{
    struct strbuf sql = STRBUF_INIT;
    struct pg_args none = { .n = 0 };
    int rc;
    strbuf_addf(&sql,
                "SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce(max(id), 0) + 1, "
                "false) FROM %s",
                t->name, t->name);
    PQclear(pg_run_dyn(st, sql.buf, &none, &rc));
    strbuf_release(&sql);
    return rc;
}
