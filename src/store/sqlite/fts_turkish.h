#ifndef ALO_STORE_SQLITE_FTS_TURKISH_H
#define ALO_STORE_SQLITE_FTS_TURKISH_H
/*
 * The FTS5 tokenizer "turkish", built on nlp_tokenize(): documents are indexed with each
 * word's folded stem plus, colocated, the folded whole word; queries use the folded stem,
 * and prefix queries ("cop*") the folded whole word. So "çukur" finds "ÇUKURLAR",
 * "cukur", "Çukuru"; "ilaçlama" finds "ILAÇLAMA" and "ilaclama"; "ışık" finds "IŞIK", "isik".
 */
#include <sqlite3.h>

/* Register the tokenizer on db (call once per connection). Returns SQLITE_OK or an error code
 * (SQLITE_ERROR when the SQLite build has no FTS5). The tokenizer takes no options
 * (tokenize='turkish x' fails), and text that is not valid UTF-8 makes the insert or query
 * fail with SQLITE_ERROR rather than being indexed by guesswork. */
int fts_turkish_register(sqlite3 *db);

/* A search as typed, made an FTS5 query for a "turkish" index: each word quoted (the tokenizer
 * folds and stems it again), and a case ending after an apostrophe dropped ("Kayseri'de" is
 * "Kayseri"; ' and U+2019). *out is malloc'd (caller frees), NULL when q holds no word.
 * Returns SQLITE_OK, or SQLITE_MISUSE for text that is not valid UTF-8 or is too long. */
int fts_turkish_query(const char *q, char **out);
/* The same, each word of FTS_PREFIX_MIN bytes or more also as a prefix of whole words:
 * ("kesinti" OR "kesinti"*), since the stemmer takes "kesinti" to "kes" but "kesintileri" to
 * "kesinti" (the knowledge base's search, where a reader types the start of a word). */
#define FTS_PREFIX_MIN 4
int fts_turkish_query_prefix(const char *q, char **out);

#endif
