#ifndef ALO_WORKERS_WORKERS_H
#define ALO_WORKERS_WORKERS_H
/*
 * Background jobs of `alo153 serve`: the model reload today; the notification outbox, the
 * IMAP poller and scheduled training later. A job is a named function with a context, run
 * every period_ms (and at start), or only at start and when woken (period_ms 0).
 *
 * One thread per job: jobs are few (a handful), each may block on its own I/O (SMTP, IMAP)
 * without delaying the others, and a thread waits on its own condition variable for the
 * next period, a wake or the stop. Each job thread has its own store connection, opened on
 * its first workers_store() call and closed when the job ends — never one of the HTTP
 * threads' connections.
 *
 * A run returns ERR_OK or a negative enum err_code; a failure is logged (job name, code,
 * message) and the job runs again at its next period. workers_stop() lets no new run start,
 * raises the stop flag a long run polls with workers_stopping(), and waits for running jobs
 * up to a deadline.
 */
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

#define WORKERS_NAME_MAX 32

struct workers;
struct workers_job; /* one registered job; the run function gets it to poll stop / get a store */

/* One run of a job: ERR_OK, or a negative enum err_code with detail in ed (logged). */
typedef int (*workers_fn)(struct workers_job *job, void *ctx, struct err_detail *ed);

/* A set of jobs whose store connections open db (NULL: jobs have no store). Caller frees
 * with workers_free(). */
struct workers *workers_new(const char *db);
/* Register a job before workers_start(): name (unique, < WORKERS_NAME_MAX bytes), fn, ctx
 * (borrowed until the job ends), period_ms (0 = run at start and when woken only).
 * ERR_INVALID for a bad name or after start, ERR_CONFLICT for a name already taken. */
int workers_add(struct workers *w, const char *name, workers_fn fn, void *ctx, unsigned period_ms);
/* Start one thread per job; each job runs at once. ERR_INTERNAL when a thread cannot be
 * made (the jobs already started are stopped again). */
int workers_start(struct workers *w, struct err_detail *ed);
/* Run the named job as soon as possible (at once when idle, right after the current run
 * otherwise; wakes while a run is pending coalesce). false when no such job or stopping. */
bool workers_wake(struct workers *w, const char *name);
/* Stop: no new run starts, running jobs see workers_stopping() true; wait up to deadline_ms
 * for them to end. Returns how many jobs are still running (0: all ended, stores closed). */
int workers_stop(struct workers *w, unsigned deadline_ms);
/* Free the set (NULL is fine). Stops first if needed and waits for every job to end, however
 * long: after a non-zero workers_stop() a caller about to exit may skip this instead. */
void workers_free(struct workers *w);

/* Wait up to timeout_ms until the named job has finished at least runs runs (successful or
 * not). false on timeout or unknown name. For a caller that must see a woken run done. */
bool workers_wait_runs(struct workers *w, const char *name, uint64_t runs, unsigned timeout_ms);
/* Runs and failed runs of the named job so far; false when no such job. */
bool workers_stats(struct workers *w, const char *name, uint64_t *runs, uint64_t *failures);

/* ---- for the run function ---- */
/* Has stop been asked? A long run polls this and returns early. */
bool workers_stopping(struct workers_job *job);
/* The job's own store connection (borrowed; closed when the job ends). ERR_UNSUPPORTED when
 * the set has no database, else store_open_existing()'s errors; retried on the next call. */
int workers_store(struct workers_job *job, struct store **out, struct err_detail *ed);
/* The job's name (borrowed). */
const char *workers_job_name(const struct workers_job *job);

#endif
