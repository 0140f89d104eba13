/*
 * Turkish full-text search on PostgreSQL with the folding and stemming of SQLite's FTS5
 * tokenizer "turkish" (store/sqlite/fts_turkish.c), both built on nlp_tokenize():
 *
 *   document   each word's folded stem, plus the whole folded word when it differs,
 *              written as a tsvector literal into applications.fts (GIN-indexed)
 *   query      each word (the case ending after an apostrophe dropped: "Kayseri'de" is
 *              "Kayseri") folded and stemmed again, as SQLite's tokenizer does with the
 *              quoted words of the FTS5 query; the stems ANDed in a tsquery literal
 *
 * The literals are cast (::tsvector, ::tsquery) rather than parsed by to_tsvector(), so that
 * PostgreSQL's own parser and dictionaries never see the words: what is indexed and searched
 * is exactly what nlp_tokenize() produced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "store/pg/db.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* PostgreSQL refuses lexemes of 2 KiB or more; nlp_tokenize() stems only short words, and a
 * longer "word" is no search term anyone types. */
#define FTS_LEXEME_MAX 2000

/* Append s[0..len) as a quoted lexeme ('…', with ' and \ escaped). */
static void fts_lexeme(struct strbuf *sb, const char *s, size_t len)
{
    if (sb->len)
        strbuf_addch(sb, ' ');
    strbuf_addch(sb, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            strbuf_addch(sb, '\\');
        strbuf_addch(sb, s[i]);
    }
    strbuf_addch(sb, '\'');
}

static int doc_word(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                    size_t start, size_t end)
{
    struct strbuf *sb = ctx;
    (void)start, (void)end;
    if (slen && slen < FTS_LEXEME_MAX)
        fts_lexeme(sb, stem, slen);
    if (wlen && wlen < FTS_LEXEME_MAX && (wlen != slen || memcmp(word, stem, wlen) != 0))
        fts_lexeme(sb, word, wlen);
    return 0;
}

char *pg_fts_document(const char *text, const char *address)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    const char *parts[2] = { text, address };
    for (int i = 0; i < 2; i++) {
        if (parts[i] && nlp_tokenize(parts[i], strlen(parts[i]), doc_word, &sb) < 0) {
            strbuf_release(&sb);
            return NULL;
        }
    }
    if (sb.toobig) {
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb, NULL);
}

struct fts_query {
    struct strbuf sb;
    const char *text; /* the search as typed */
    size_t prev_end;  /* byte offset where the previous word ended; SIZE_MAX before the first */
    bool prefix;      /* long words also as prefixes (pg_fts_query_prefix) */
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

/* The stems of a folded query word, as FTS5 gets them by tokenizing the quoted word again. */
static int query_stem(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                      size_t start, size_t end)
{
    struct strbuf *sb = ctx;
    (void)word, (void)wlen, (void)start, (void)end;
    if (slen && slen < FTS_LEXEME_MAX) {
        if (sb->len)
            strbuf_adds(sb, " &");
        fts_lexeme(sb, stem, slen);
    }
    return 0;
}

static int query_word(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                      size_t start, size_t end)
{
    struct fts_query *q = ctx;
    (void)stem, (void)slen;
    bool suffix = fts_after_apostrophe(q, start);
    q->prev_end = end;
    if (suffix)
        return 0;
    if (q->prefix && wlen >= 4 && wlen < FTS_LEXEME_MAX) {
        /* ( stem | word:* ): the word's own stems, or any whole word it begins */
        struct strbuf alt;
        strbuf_init(&alt, 0);
        if (nlp_tokenize(word, wlen, query_stem, &alt) < 0) {
            strbuf_release(&alt);
            return -1;
        }
        if (q->sb.len)
            strbuf_adds(&q->sb, " &");
        strbuf_adds(&q->sb, " (");
        if (alt.len)
            strbuf_addf(&q->sb, "(%s) |", alt.buf);
        strbuf_release(&alt);
        struct strbuf lex;
        strbuf_init(&lex, 0);
        fts_lexeme(&lex, word, wlen);
        strbuf_addf(&q->sb, " %s:* )", lex.buf);
        strbuf_release(&lex);
        return 0;
    }
    return nlp_tokenize(word, wlen, query_stem, &q->sb) < 0 ? -1 : 0;
}

static char *fts_query_build(const char *text, bool prefix)
{
    struct fts_query q = { .text = text, .prev_end = SIZE_MAX, .prefix = prefix };
    strbuf_init(&q.sb, 4096);
    if (nlp_tokenize(text, strlen(text), query_word, &q) != 0 || q.sb.toobig) {
        strbuf_release(&q.sb);
        return NULL;
    }
    return strbuf_detach(&q.sb, NULL);
}

char *pg_fts_query(const char *text)
{
    return fts_query_build(text, false);
}

char *pg_fts_query_prefix(const char *text)
{
    return fts_query_build(text, true);
}
