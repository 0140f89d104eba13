#include "cli/serve_jobs.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/imap_poll.h"
#include "cli/serve_outbox.h"
#include "core/learn.h"
#include "core/routing.h"
#include "nlp/modelfile.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "workers/workers.h"
#include "util/banned.h"

#define MODEL_RELOAD_MS 1000u                /* how soon a new model from alo153 train is serving */
#define STOP_DEADLINE_MS 5000u               /* how long shutdown waits for a running job */
#define SESSION_PURGE_MS (10u * 60u * 1000u) /* expired sessions deleted this often */

struct serve_jobs {
    struct workers *w;
    struct modelfile_watch models; /* the model-reload job's state (only its thread uses it) */
    struct imap_poll imap;         /* the IMAP poller's configuration (issue 15) */
};

/* model-reload: when MODELS/current changed, load the model it names and swap it in. A model
 * that does not load is logged and the one in use stays, until current changes again. */
static int model_reload(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    (void)job, (void)ed;
    struct modelfile_watch *mw = ctx;
    struct cls_model *m = NULL;
    char name[128], err[256] = "";
    int rc = modelfile_watch_poll(mw, &m, name, sizeof(name), err, sizeof(err));
    if (rc < 0)
        log_error("msg=\"routing model not loaded\" dir=%s err=\"%s\"", mw->dir, err);
    if (rc <= 0)
        return ERR_OK;
    log_info("msg=\"routing model loaded\" model=%s labels=%zu features=%zu examples=%zu", name,
             cls_num_labels(m), cls_num_features(m), cls_num_examples(m));
    routing_set_model(m, name);
    return ERR_OK;
}

/* session-purge: delete the sessions that have expired, so the table does not keep a row per
 * login for good (issue 12: sessions grew without bound). */
static int session_purge(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    (void)ctx;
    struct store *st;
    int rc = workers_store(job, &st, ed);
    if (rc == ERR_OK && (rc = store_session_purge(st, time_now())) != ERR_OK)
        err_set(ed, rc, NULL, "could not delete the expired sessions");
    return rc;
}

struct serve_jobs *serve_jobs_start(const char *db, const char *models)
{
    struct serve_jobs *j = xcalloc(1, sizeof(*j));
    struct err_detail ed = { 0 };
    const char *dir = modelfile_dir(models);
    if (!modelfile_watch_init(&j->models, dir)) {
        fprintf(stderr, "alo153 serve: the models folder name is too long\n");
        free(j);
        return NULL;
    }
    learn_set_models_dir(dir);            /* GET /api/v1/routing/models (issue 13) */
    model_reload(NULL, &j->models, NULL); /* the first model before the first request */
    if (!routing_available())
        log_warn("msg=\"no routing model; suggestions are off until alo153 train\" dir=%s", dir);
    j->w = workers_new(db);
    bool imap_bad = false, imap = imap_poll_config(&j->imap, &imap_bad);
    if (imap_bad ||
        (imap &&
         workers_add(j->w, "imap-poll", imap_poll_run, &j->imap, j->imap.interval_ms) != ERR_OK) ||
        workers_add(j->w, "model-reload", model_reload, &j->models, MODEL_RELOAD_MS) != ERR_OK ||
        workers_add(j->w, "session-purge", session_purge, NULL, SESSION_PURGE_MS) != ERR_OK ||
        serve_outbox_add(j->w) != ERR_OK || /* issue 15: cli/serve_outbox.c */
        workers_start(j->w, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 serve: %s\n", ed.message[0] ? ed.message : "background jobs");
        workers_free(j->w);
        free(j);
        return NULL;
    }
    return j;
}

void serve_jobs_stop(struct serve_jobs *j)
{
    if (!j)
        return;
    int left = workers_stop(j->w, STOP_DEADLINE_MS);
    if (left) {
        /* a job stuck past the deadline: leave it (and its context) to the process's exit */
        log_error("msg=\"background jobs still running at shutdown\" jobs=%d", left);
        return;
    }
    workers_free(j->w);
    free(j);
}
