#ifndef ALO_CLI_SERVE_JOBS_H
#define ALO_CLI_SERVE_JOBS_H
/*
 * The background jobs of `alo153 serve` (workers/workers.h), started and stopped with it:
 *   model-reload  every second: a repointed MODELS/current is loaded (nlp/modelfile.h) and
 *                 swapped into routing (core/routing.h) without a restart.
 * Later jobs (outbox sender, IMAP poller, scheduled training) register here too.
 */

struct serve_jobs;

/* Load the current model of the models folder (modelfile_dir(models)) at once, then start
 * the jobs, with connections to db. Call with SIGTERM/SIGINT already blocked (the job threads
 * inherit the mask). NULL with a message on stderr when a thread cannot be started. */
struct serve_jobs *serve_jobs_start(const char *db, const char *models);
/* Stop the jobs (a running one gets a few seconds to finish) and free (NULL is fine). */
void serve_jobs_stop(struct serve_jobs *j);

#endif
