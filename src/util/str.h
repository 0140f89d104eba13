#ifndef ALO_UTIL_STR_H
#define ALO_UTIL_STR_H
/* Copying strings into fixed buffers without silent damage. */
#include <stdbool.h>
#include <stddef.h>

/* Copy src (NULL counts as "") into dst of n bytes (n > 0), always NUL-terminated. Returns
 * true when all of src fitted; false when it was cut, in which case dst holds the longest
 * prefix that fits and ends on a whole UTF-8 character (a Turkish letter is never split into
 * an invalid byte sequence). Callers that must not lose text check the result. */
bool str_copy(char *dst, size_t n, const char *src);

#endif
