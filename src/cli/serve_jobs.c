#include "cli/serve_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/imap_poll.h"
#include "cli/serve_outbox.h"
#include "core/learn.h"
#include "core/kvkk.h"
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
#define RETENTION_MS (15u * 60u * 1000u)     /* KVKK retention: looked at this often */

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

/* retention (KVKK, issue 12; core/kvkk.h): once a night (the first look after 02:00 Istanbul
 * time each day), the personal data of applications closed more than retention.years ago
 * is anonymised. One process of several on PostgreSQL does it (advisory lock), and the day
 * it ran is remembered in the database, so a restart does not run it twice. */
static int retention_job(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    (void)ctx;
    struct store *st;
    struct kvkk_retention res;
    char day[16], last[16] = "";
    bool mine = false;
    int64_t now = time_now(), local = now + 3 * 3600;
    int rc = workers_store(job, &st, ed);
    if (rc != ERR_OK || core_kvkk_retention_years(st) == 0 || local % 86400 < 2 * 3600)
        return rc;
    snprintf(day, sizeof(day), "%lld", (long long)(local / 86400));
    if (store_setting_get(st, "retention.last_day", last, sizeof(last)) == ERR_OK &&
        strcmp(last, day) == 0)
        return ERR_OK;
    if ((rc = store_poll_lock(st, "retention", &mine)) != ERR_OK || !mine)
        return rc;
    if ((rc = core_kvkk_retention_run(st, -1, now, false, &res, ed)) != ERR_OK)
        return rc;
    log_info("msg=\"retention run (KVKK)\" years=%d citizens=%lld applications=%lld", res.years,
             (long long)res.citizens, (long long)res.apps);
    return store_setting_set(st, "retention.last_day", day);
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
        workers_add(j->w, "retention", retention_job, NULL, RETENTION_MS) != ERR_OK ||
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
