#ifndef ALO_UTIL_STRBUF_H
#define ALO_UTIL_STRBUF_H
/*
 * A growable string with a size cap (curl's dynbuf) and a sticky overflow flag
 * checked once at the end (SQLite's sqlite3_str). buf is never NULL and always
 * NUL-terminated once initialised.
 */
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *buf;    /* NUL-terminated contents, owned */
    size_t len;   /* bytes used, without the NUL */
    size_t alloc; /* bytes allocated */
    size_t cap;   /* hard limit on len; 0 = unlimited */
    bool toobig;  /* set once an append would pass cap; later appends are dropped */
};

#define STRBUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0, false                                                                       \
    }

/* cap is a LIMIT, not an initial size: once len would pass cap, toobig is set and that append
 * and every later one are dropped (check toobig). Pass 0 for no limit; the buffer grows on
 * its own, there is no size to reserve. */
void strbuf_init(struct strbuf *sb, size_t cap);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the buffer over: caller frees the result; sb is re-initialised empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
