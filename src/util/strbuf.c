#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "util/banned.h"

static char strbuf_empty[1];

void strbuf_init(struct strbuf *sb, size_t cap)
{
    sb->buf = strbuf_empty;
    sb->len = 0;
    sb->alloc = 0;
    sb->cap = cap;
    sb->toobig = false;
}

void strbuf_release(struct strbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    strbuf_init(sb, sb->cap);
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->toobig = false;
    if (sb->alloc)
        sb->buf[0] = '\0';
}

static bool strbuf_grow(struct strbuf *sb, size_t extra)
{
    if (sb->toobig)
        return false;
    if (sb->cap && sb->len + extra > sb->cap) {
        sb->toobig = true;
        return false;
    }
    if (!sb->buf)
        strbuf_init(sb, 0);
    size_t need = sb->len + extra + 1;
    if (need <= sb->alloc)
        return true;
    size_t n = sb->alloc ? sb->alloc : 64;
    while (n < need)
        n *= 2;
    if (sb->alloc) {
        sb->buf = xrealloc(sb->buf, n);
    } else {
        sb->buf = xmalloc(n);
        sb->buf[0] = '\0';
    }
    sb->alloc = n;
    return true;
}

void strbuf_add_grow(struct strbuf *sb, const void *data, size_t len)
{
    if (!strbuf_grow(sb, len))
        return;
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(small)) {
        strbuf_add(sb, small, (size_t)n);
        return;
    }
    if (!strbuf_grow(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    char *r;
    if (len)
        *len = sb->len;
    if (sb->alloc)
        r = sb->buf;
    else
        r = xstrdup("");
    strbuf_init(sb, sb->cap);
    return r;
}
