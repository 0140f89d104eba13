#include "workers/workers.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "util/xmalloc.h"
#include "util/banned.h"

struct workers_job {
    struct workers *w;
    char name[WORKERS_NAME_MAX];
    workers_fn fn;
    void *ctx;          /* borrowed */
    unsigned period_ms; /* 0 = at start and when woken only */
    pthread_t thread;
    pthread_cond_t cond; /* signalled on wake and stop; waits on w->lock */
    bool thread_made;    /* thread was created (and must be joined) */
    bool joined;
    bool wake;               /* guarded by w->lock: run again as soon as possible */
    bool running;            /* guarded by w->lock: inside fn */
    bool ended;              /* guarded by w->lock: the thread has left its loop, store closed */
    uint64_t runs, failures; /* guarded by w->lock */
    struct store *st;        /* the job thread's own connection, or NULL */
};

struct workers {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a run finished or a job ended (for stop and wait_runs) */
    char *db;               /* NULL: jobs have no store */
    struct workers_job **jobs;
    size_t n;
    bool started, stopping; /* guarded by lock */
};

/* CLOCK_MONOTONIC now plus ms, for pthread_cond_timedwait on a monotonic condition. */
static struct timespec mono_after(uint64_t ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(ms / 1000);
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static bool mono_reached(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static void mono_cond_init(pthread_cond_t *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
}

static struct workers_job *find(struct workers *w, const char *name)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->jobs[i]->name, name) == 0)
            return w->jobs[i];
    return NULL;
}

struct workers *workers_new(const char *db)
{
    struct workers *w = xcalloc(1, sizeof(*w));
    pthread_mutex_init(&w->lock, NULL);
    mono_cond_init(&w->changed);
    w->db = db ? xstrdup(db) : NULL;
    return w;
}

int workers_add(struct workers *w, const char *name, workers_fn fn, void *ctx, unsigned period_ms)
{
    if (!name || !*name || strlen(name) >= WORKERS_NAME_MAX || !fn || w->started)
        return ERR_INVALID;
    if (find(w, name))
        return ERR_CONFLICT;
    struct workers_job *j = xcalloc(1, sizeof(*j));
    j->w = w;
    memcpy(j->name, name, strlen(name) + 1);
    j->fn = fn;
    j->ctx = ctx;
    j->period_ms = period_ms;
    mono_cond_init(&j->cond);
    w->jobs = xrealloc(w->jobs, (w->n + 1) * sizeof(*w->jobs));
    w->jobs[w->n++] = j;
    return ERR_OK;
}

/* One run outside the lock; its failure is logged here, the counters are the caller's. */
static int run_once(struct workers_job *j)
{
    struct err_detail ed = { 0 };
    int rc = j->fn(j, j->ctx, &ed);
    if (rc != ERR_OK)
        log_error("msg=\"background job failed; retried at its next period\" job=%s err=%s "
                  "detail=\"%s\"",
                  j->name, err_name(rc), ed.message);
    return rc;
}

/* The job thread: run at start, then at each period or wake, until stop. */
static void *job_main(void *arg)
{
    struct workers_job *j = arg;
    struct workers *w = j->w;
    struct timespec due = mono_after(0);
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        bool due_now = j->period_ms ? mono_reached(&due) : j->runs == 0;
        if (!due_now && !j->wake) {
            if (j->period_ms)
                pthread_cond_timedwait(&j->cond, &w->lock, &due);
            else
                pthread_cond_wait(&j->cond, &w->lock);
            continue; /* re-check stop, wake and the clock */
        }
        j->wake = false;
        j->running = true;
        pthread_mutex_unlock(&w->lock);
        int rc = run_once(j);
        due = mono_after(j->period_ms);
        pthread_mutex_lock(&w->lock);
        j->running = false;
        j->runs++;
        j->failures += rc != ERR_OK;
        pthread_cond_broadcast(&w->changed);
    }
    pthread_mutex_unlock(&w->lock);
    store_close(j->st);
    j->st = NULL;
    pthread_mutex_lock(&w->lock);
    j->ended = true;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void join_ended(struct workers *w, bool all)
{
    for (size_t i = 0; i < w->n; i++) {
        struct workers_job *j = w->jobs[i];
        pthread_mutex_lock(&w->lock);
        bool go = j->thread_made && !j->joined && (all || j->ended);
        pthread_mutex_unlock(&w->lock);
        if (go) {
            pthread_join(j->thread, NULL);
            j->joined = true;
        }
    }
}

int workers_start(struct workers *w, struct err_detail *ed)
{
    pthread_mutex_lock(&w->lock);
    bool again = w->started;
    w->started = true;
    pthread_mutex_unlock(&w->lock);
    if (again)
        return err_set(ed, ERR_INVALID, NULL, "background jobs already started");
    for (size_t i = 0; i < w->n; i++) {
        struct workers_job *j = w->jobs[i];
        if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
            workers_stop(w, 0);
            join_ended(w, true);
            return err_set(ed, ERR_INTERNAL, NULL, "cannot start background job %s", j->name);
        }
        j->thread_made = true;
    }
    return ERR_OK;
}

bool workers_wake(struct workers *w, const char *name)
{
    pthread_mutex_lock(&w->lock);
    struct workers_job *j = find(w, name);
    bool ok = j && !w->stopping;
    if (ok) {
        j->wake = true;
        pthread_cond_signal(&j->cond);
    }
    pthread_mutex_unlock(&w->lock);
    return ok;
}

static int still_running(const struct workers *w)
{
    int left = 0;
    for (size_t i = 0; i < w->n; i++)
        left += w->jobs[i]->thread_made && !w->jobs[i]->ended;
    return left;
}

int workers_stop(struct workers *w, unsigned deadline_ms)
{
    struct timespec until = mono_after(deadline_ms);
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    for (size_t i = 0; i < w->n; i++)
        pthread_cond_signal(&w->jobs[i]->cond);
    int left;
    while ((left = still_running(w)) > 0 &&
           pthread_cond_timedwait(&w->changed, &w->lock, &until) != ETIMEDOUT)
        ;
    left = still_running(w);
    pthread_mutex_unlock(&w->lock);
    join_ended(w, false);
    return left;
}

void workers_free(struct workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    bool stop = !w->stopping;
    pthread_mutex_unlock(&w->lock);
    if (stop)
        workers_stop(w, 0);
    join_ended(w, true);
    for (size_t i = 0; i < w->n; i++) {
        pthread_cond_destroy(&w->jobs[i]->cond);
        free(w->jobs[i]);
    }
    free(w->jobs);
    free(w->db);
    pthread_cond_destroy(&w->changed);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

bool workers_wait_runs(struct workers *w, const char *name, uint64_t runs, unsigned timeout_ms)
{
    struct timespec until = mono_after(timeout_ms);
    pthread_mutex_lock(&w->lock);
    struct workers_job *j = find(w, name);
    while (j && j->runs < runs &&
           pthread_cond_timedwait(&w->changed, &w->lock, &until) != ETIMEDOUT)
        ;
    bool ok = j && j->runs >= runs;
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool workers_stats(struct workers *w, const char *name, uint64_t *runs, uint64_t *failures)
{
    pthread_mutex_lock(&w->lock);
    struct workers_job *j = find(w, name);
    if (j) {
        *runs = j->runs;
        *failures = j->failures;
    }
    pthread_mutex_unlock(&w->lock);
    return j != NULL;
}

bool workers_stopping(struct workers_job *job)
{
    pthread_mutex_lock(&job->w->lock);
    bool s = job->w->stopping;
    pthread_mutex_unlock(&job->w->lock);
    return s;
}

int workers_store(struct workers_job *job, struct store **out, struct err_detail *ed)
{
    *out = NULL;
    if (!job->w->db)
        return err_set(ed, ERR_UNSUPPORTED, NULL, "background job %s has no database", job->name);
    if (!job->st) {
        int rc = store_open_existing(job->w->db, &job->st, ed);
        if (rc != ERR_OK)
            return rc;
    }
    *out = job->st;
    return ERR_OK;
}

const char *workers_job_name(const struct workers_job *job)
{
    return job->name;
}
