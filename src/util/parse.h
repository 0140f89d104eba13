#ifndef ALO_UTIL_PARSE_H
#define ALO_UTIL_PARSE_H
/* Number parsing that rejects junk, overflow and out-of-range values instead of guessing. */
#include <stdbool.h>
#include <stdint.h>

/* Whole string s as a base-10 integer within [min, max]. */
bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Whole string s as a finite double within [min, max]. */
bool parse_double(const char *s, double min, double max, double *out);

#endif
