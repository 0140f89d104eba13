#ifndef ALO_UTIL_XMALLOC_H
#define ALO_UTIL_XMALLOC_H
/* Allocation that never returns NULL: out of memory aborts once, here (git, redis). */
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Copy of s (NUL-terminated). Caller frees. */
char *xstrdup(const char *s);
/* Copy of the first n bytes of s plus a NUL. Caller frees. */
char *xstrndup(const char *s, size_t n);

#endif
