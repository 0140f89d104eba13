#ifndef ALO_TESTS_STORE_FAULT_STORE_H
#define ALO_TESTS_STORE_FAULT_STORE_H
/*
 * A store backend that forwards every call to another connection and can make the n-th call
 * fail (SQLite's own tests fail the n-th malloc or I/O the same way). Counted calls are every
 * store_*() call on the connection except store_close, store_rollback (which cannot fail) and
 * store_schema_version. A failed call does not reach the inner connection, with one
 * exception: a failed outermost store_commit rolls the inner transaction back, as a real
 * failed COMMIT does; a failed inner commit (a savepoint release) leaves the savepoint open
 * for the caller's store_rollback, as the SQLite backend does.
 */
#include <stdbool.h>

#include "store/store.h"

/* Wrap inner (owned: store_close on the wrapper closes it). Never NULL. */
struct store *fault_store_wrap(struct store *inner);
/* Make the n-th counted call from now on fail with err (ERR_STORE, ERR_IO); boolean calls
 * (store_department_within) fail as false. n = 0: never fail. Resets the counters. */
void fault_store_fail_at(struct store *st, long n, int err);
/* Counted calls since the last fault_store_fail_at. */
long fault_store_calls(const struct store *st);
/* Has the planned failure happened? */
bool fault_store_fired(const struct store *st);
/* Did an outermost store_commit succeed before the planned failure happened? */
bool fault_store_committed_before_fault(const struct store *st);
/* The wrapped connection (borrowed). */
struct store *fault_store_inner(struct store *st);

#endif
