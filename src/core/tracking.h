#ifndef ALO_CORE_TRACKING_H
#define ALO_CORE_TRACKING_H
/*
 * Public identity of an application: tracking number "YYYY-NNNNNN" (year of creation in
 * Istanbul time, then a per-year sequence from 1) and a short secret access code so that
 * a stranger cannot read someone else's application by guessing numbers.
 */
#include <stdbool.h>
#include <stdint.h>

#define TRACKING_LEN 12    /* "2026-000123" + NUL */
#define ACCESS_CODE_LEN 9  /* 8 characters + NUL */

/* Format; seq must be 1..999999. Returns false when out of range. */
bool tracking_format(int year, int64_t seq, char out[TRACKING_LEN]);
/* Parse exactly "YYYY-NNNNNN" (year 2000..2999, seq >= 1). */
bool tracking_parse(const char *s, int *year, int64_t *seq);
/* New random access code from an alphabet without look-alikes (no 0/O, 1/I/L): uses
 * libsodium's randombytes (sodium_init() must have been called). */
void tracking_new_access_code(char out[ACCESS_CODE_LEN]);
/* Constant-time comparison of a stored code with user input; input is upper-cased first
 * and surrounding spaces ignored. false when lengths differ. */
bool tracking_code_matches(const char *stored, const char *input);

#endif
