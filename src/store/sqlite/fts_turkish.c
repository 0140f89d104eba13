/*
 * The FTS5 tokenizer "turkish" (see fts_turkish.h): a thin adapter from nlp_tokenize()'s
 * (folded word, folded stem, byte offsets) to FTS5's xToken callback.
 *
 *   document / aux   stem, plus the whole word colocated when it differs
 *   query            stem
 *   query + prefix   whole word ("cop*" must match the word "cop…", not a stem of it)
 */
#include "store/sqlite/fts_turkish.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "nlp/turkish.h"
#include "util/strbuf.h"
#include "util/banned.h"

typedef int (*fts_token_fn)(void *pCtx, int tflags, const char *pToken, int nToken, int iStart,
                            int iEnd);

/* The tokenizer instance; it has no options, so it only exists because FTS5 wants one. */
struct fts_turkish {
    int unused; /* keeps the struct non-empty */
};

/* One xTokenize() call, passed through nlp_tokenize() to tok_emit(). */
struct tok_call {
    void *pCtx;          /* FTS5's context for xToken */
    fts_token_fn xToken; /* FTS5's callback */
    bool prefix;         /* query with a trailing '*': emit the whole word */
    bool colocate;       /* document or aux: add the whole word beside the stem */
};

static int tok_create(void *pUnused, const char **azArg, int nArg, Fts5Tokenizer **ppOut)
{
    struct fts_turkish *t;

    (void)pUnused;
    (void)azArg;
    *ppOut = NULL;
    if (nArg > 0)
        return SQLITE_ERROR; /* tokenize='turkish' takes no options */
    t = sqlite3_malloc(sizeof(*t));
    if (!t)
        return SQLITE_NOMEM;
    t->unused = 0;
    *ppOut = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    sqlite3_free(p);
}

static int tok_emit(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                    size_t start, size_t end)
{
    struct tok_call *c = ctx;
    int rc;

    /* Offsets fit in int (the text came with an int length); folded lengths almost surely. */
    if (wlen > INT_MAX || slen > INT_MAX)
        return SQLITE_TOOBIG;
    if (c->prefix)
        return c->xToken(c->pCtx, 0, word, (int)wlen, (int)start, (int)end);
    rc = c->xToken(c->pCtx, 0, stem, (int)slen, (int)start, (int)end);
    if (rc == SQLITE_OK && c->colocate && (wlen != slen || memcmp(word, stem, wlen) != 0))
        rc = c->xToken(c->pCtx, FTS5_TOKEN_COLOCATED, word, (int)wlen, (int)start, (int)end);
    return rc;
}

static int tok_tokenize(Fts5Tokenizer *p, void *pCtx, int flags, const char *pText, int nText,
                        fts_token_fn xToken)
{
    struct tok_call c = { pCtx, xToken, false, false };
    int rc;

    (void)p;
    if (nText <= 0)
        return SQLITE_OK;
    if (flags & FTS5_TOKENIZE_QUERY)
        c.prefix = (flags & FTS5_TOKENIZE_PREFIX) != 0;
    else
        c.colocate = true; /* FTS5_TOKENIZE_DOCUMENT or FTS5_TOKENIZE_AUX */
    rc = nlp_tokenize(pText, (size_t)nText, tok_emit, &c);
    if (rc < 0)
        return SQLITE_ERROR; /* invalid UTF-8 */
    return rc;
}

/* The fts5_api of db, or NULL when FTS5 is missing. */
static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
        goto out;
    if (sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL) != SQLITE_OK)
        goto out;
    sqlite3_step(stmt);
out:
    sqlite3_finalize(stmt);
    return api;
}

int fts_turkish_register(sqlite3 *db)
{
    fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
    fts5_api *api = fts5_api_of(db);

    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    return api->xCreateTokenizer(api, "turkish", NULL, &tok, NULL);
}

/* ---- queries ---- */

struct fts_query {
    struct strbuf sb;
    const char *text; /* the search as typed */
    size_t prev_end;  /* byte offset where the previous word ended; SIZE_MAX before the first */
    bool prefix;      /* long words also as prefixes (fts_turkish_query_prefix) */
};

/* Does the word at start follow the previous word across one apostrophe (' or U+2019)? */
static bool fts_after_apostrophe(const struct fts_query *q, size_t start)
{
    if (q->prev_end == SIZE_MAX)
        return false;
    if (start == q->prev_end + 1 && q->text[q->prev_end] == '\'')
        return true;
    return start == q->prev_end + 3 && memcmp(q->text + q->prev_end, "\xE2\x80\x99", 3) == 0;
}

static int fts_word(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                    size_t start, size_t end)
{
    struct fts_query *q = ctx;
    (void)stem, (void)slen;
    /* "Kayseri'de": the case ending after the apostrophe is not a word of its own; searching
     * for it too would miss every "Kayseri" written without it */
    bool suffix = fts_after_apostrophe(q, start);
    q->prev_end = end;
    if (suffix)
        return 0;
    /* each word as a quoted FTS5 string: the tokenizer folds and stems it again */
    /* an explicit AND: FTS5 takes no implicit AND before a parenthesised group */
    if (q->sb.len)
        strbuf_adds(&q->sb, q->prefix ? " AND " : " ");
    bool pfx = q->prefix && wlen >= FTS_PREFIX_MIN;
    for (int i = 0; i < (pfx ? 2 : 1); i++) {
        strbuf_adds(&q->sb, i ? " OR \"" : pfx ? "(\"" : "\"");
        strbuf_add(&q->sb, word, wlen);
        strbuf_adds(&q->sb, i ? "\"*)" : "\"");
    }
    return 0;
}

static int fts_query_build(const char *q, bool prefix, char **out)
{
    struct fts_query fq = { .text = q, .prev_end = SIZE_MAX, .prefix = prefix };
    *out = NULL;
    strbuf_init(&fq.sb, 4096);
    if (nlp_tokenize(q, strlen(q), fts_word, &fq) < 0 || fq.sb.toobig) {
        strbuf_release(&fq.sb);
        return SQLITE_MISUSE;
    }
    if (fq.sb.len)
        *out = strbuf_detach(&fq.sb, NULL);
    strbuf_release(&fq.sb);
    return SQLITE_OK;
}

int fts_turkish_query(const char *q, char **out)
{
    return fts_query_build(q, false, out);
}

int fts_turkish_query_prefix(const char *q, char **out)
{
    return fts_query_build(q, true, out);
}
