/* rng: a small, fast, reproducible pseudo-random sequence (xorshift64, Marsaglia 2003) for the
 * demo data and the simulator, where the same seed must give the same rows. Not for secrets:
 * access codes, tokens and salts come from libsodium (randombytes). */
#ifndef ALO_UTIL_RNG_H
#define ALO_UTIL_RNG_H

#include <stdint.h>

/* The next number of the sequence held in *state, which must not be 0 (it would stay 0). */
uint64_t rng_next(uint64_t *state);

#endif
