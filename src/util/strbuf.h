#ifndef ALO_UTIL_STRBUF_H
#define ALO_UTIL_STRBUF_H
/*
 * A growable string with a size cap (curl's dynbuf) and a sticky overflow flag
 * checked once at the end (SQLite's sqlite3_str). buf is never NULL and always
 * NUL-terminated once initialised.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

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
/* The appends: inline when the bytes fit in what is allocated (a JSON page makes thousands of
 * small appends), else strbuf_add_grow. */
void strbuf_add_grow(struct strbuf *sb, const void *data, size_t len);
/* Whether len more bytes (and the NUL) fit without growing and within cap. */
static inline bool strbuf_fits(const struct strbuf *sb, size_t len)
{
    return len < sb->alloc - sb->len && !sb->toobig && (!sb->cap || sb->len + len <= sb->cap);
}
static inline void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
    if (!strbuf_fits(sb, len)) {
        strbuf_add_grow(sb, data, len);
        return;
    }
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}
static inline void strbuf_adds(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}
static inline void strbuf_addch(struct strbuf *sb, char c)
{
    if (!strbuf_fits(sb, 1)) {
        strbuf_add_grow(sb, &c, 1);
        return;
    }
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the buffer over: caller frees the result; sb is re-initialised empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
