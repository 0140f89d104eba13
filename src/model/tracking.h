#ifndef ALO_MODEL_TRACKING_H
#define ALO_MODEL_TRACKING_H
/*
 * Public identity of an application: tracking number "YYYY-NNNNNN" (year of creation in
 * Istanbul time, then a per-year sequence from 1, six digits zero-padded, growing to seven
 * and eight beyond 999,999: İstanbul registers about 11 million a year) and the size of its
 * secret access code.
 * Making and checking access codes is core/tracking.h. Pure functions, no I/O.
 */
#include <stdbool.h>
#include <stdint.h>

#define TRACKING_LEN 14   /* "2026-12345678" + NUL: the longest */
#define ACCESS_CODE_LEN 9 /* 8 characters + NUL */

#define TRACKING_SEQ_MAX 99999999

/* Format; seq must be 1..TRACKING_SEQ_MAX. Returns false when out of range. */
bool tracking_format(int year, int64_t seq, char out[TRACKING_LEN]);
/* Parse exactly the canonical form tracking_format writes: "YYYY-" and six digits, or seven or
 * eight without a leading zero (year 2000..2999, seq >= 1). */
bool tracking_parse(const char *s, int *year, int64_t *seq);
/* A number as people type it, to its canonical form: spaces, and the hyphen, are optional
 * ("2026003001", "2026 003 001" and "2026-003001" are the same; a phone's numeric keypad has no
 * hyphen). False when it is not a tracking number. */
bool tracking_normalise(const char *in, char out[TRACKING_LEN]);

#endif
