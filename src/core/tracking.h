#ifndef ALO_CORE_TRACKING_H
#define ALO_CORE_TRACKING_H
/*
 * The secret access code that goes with a tracking number (model/tracking.h), so that a
 * stranger cannot read someone else's application by guessing numbers.
 */
#include <stdbool.h>

#include "model/tracking.h"

/* New random access code from an alphabet without look-alikes (no 0/O, 1/I/L): uses
 * libsodium's randombytes (sodium_init() must have been called). */
void tracking_new_access_code(char out[ACCESS_CODE_LEN]);
/* Constant-time comparison of a stored code with user input; input is upper-cased first
 * and surrounding spaces ignored. false when lengths differ. */
bool tracking_code_matches(const char *stored, const char *input);

#endif
