#ifndef ALO_MODEL_TRACKING_H
#define ALO_MODEL_TRACKING_H
/*
 * Public identity of an application: tracking number "YYYY-NNNNNN" (year of creation in
 * Istanbul time, then a per-year sequence from 1) and the size of its secret access code.
 * Making and checking access codes is core/tracking.h. Pure functions, no I/O.
 */
#include <stdbool.h>
#include <stdint.h>

#define TRACKING_LEN 12   /* "2026-000123" + NUL */
#define ACCESS_CODE_LEN 9 /* 8 characters + NUL */

/* Format; seq must be 1..999999. Returns false when out of range. */
bool tracking_format(int year, int64_t seq, char out[TRACKING_LEN]);
/* Parse exactly "YYYY-NNNNNN" (year 2000..2999, seq >= 1). */
bool tracking_parse(const char *s, int *year, int64_t *seq);

#endif
