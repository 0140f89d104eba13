#ifndef ALO_UTIL_LIMITER_H
#define ALO_UTIL_LIMITER_H
/*
 * Counters by key in bounded memory, for rate limits and login backoff: a hash table over a
 * fixed pool of entries. Keys are compared whole, so two keys never share (or reset) a counter
 * however their hashes collide; when every entry is in use the least recently used one is
 * forgotten. Thread-safe (one mutex). Times are passed in, so callers choose the clock and
 * tests can step it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIMITER_KEY_MAX 160 /* bytes of a key, NUL included; longer keys are cut */

struct limiter;

/* A limiter of capacity entries (at least 16). */
struct limiter *limiter_new(size_t capacity);
void limiter_free(struct limiter *l);

/* Fixed windows: count one event for key in window (any number naming the period, e.g. the
 * hour); true and counted while fewer than limit were counted in that window, else false and
 * nothing counted. */
bool limiter_take(struct limiter *l, const char *key, int64_t window, int limit);
/* Undo one limiter_take of key in window (e.g. the login succeeded: it was not a failure). */
void limiter_give_back(struct limiter *l, const char *key, int64_t window);

/* Backoff after failures. A key's first `free_failures` failures cost nothing; each failure
 * after that makes the key wait base_ms, then twice that, … at most max_ms, counted from the
 * failure. A key with no failure for forget_ms starts again from nothing. */
struct limiter_backoff {
    int free_failures;
    int64_t base_ms, max_ms, forget_ms;
};
/* Milliseconds key must still wait at now_ms (0 = it may try now). */
int64_t limiter_wait(struct limiter *l, const char *key, int64_t now_ms);
/* Record a failure of key at now_ms; returns the wait it now has (0 = none yet). */
int64_t limiter_fail(struct limiter *l, const char *key, int64_t now_ms,
                     const struct limiter_backoff *b);
/* Forget key's failures (it succeeded). */
void limiter_clear(struct limiter *l, const char *key);
/* Milliseconds on a clock that only moves forward (CLOCK_MONOTONIC), for the backoff. */
int64_t limiter_clock_ms(void);
/* Entries in use (for tests: never above the capacity). */
size_t limiter_size(struct limiter *l);

#endif
