#include "core/routing.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "nlp/classifier.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static pthread_rwlock_t model_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cls_model *model;      /* guarded by model_lock */
static char model_name[128];         /* guarded by model_lock */
static char models_dir[1024];
static struct timespec current_mtime;
static time_t last_check;

const char *routing_models_dir(const char *given)
{
    if (given && *given)
        return given;
    const char *e = getenv("ALO153_MODELS");
    return e && *e ? e : "models";
}

int routing_set_current(const char *dir, const char *model_path)
{
    char cur[1100], tmp[1100];
    const char *base = strrchr(model_path, '/');
    base = base ? base + 1 : model_path;
    snprintf(cur, sizeof(cur), "%s/current", dir);
    snprintf(tmp, sizeof(tmp), "%s/current.tmp", dir);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int ok = fprintf(f, "%s\n", base) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, cur) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

int routing_current_path(const char *dir, char *out, size_t outlen)
{
    char cur[1100], name[256];
    snprintf(cur, sizeof(cur), "%s/current", dir);
    FILE *f = fopen(cur, "r");
    if (!f)
        return -1;
    bool ok = fgets(name, sizeof(name), f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    name[strcspn(name, "\r\n")] = '\0';
    if (!name[0] || strchr(name, '/'))
        return -1;
    snprintf(out, outlen, "%s/%s", dir, name);
    return 0;
}

void routing_init(const char *dir)
{
    snprintf(models_dir, sizeof(models_dir), "%s", routing_models_dir(dir));
    last_check = 0;
    memset(&current_mtime, 0, sizeof(current_mtime));
}

void routing_shutdown(void)
{
    pthread_rwlock_wrlock(&model_lock);
    cls_free(model);
    model = NULL;
    model_name[0] = '\0';
    pthread_rwlock_unlock(&model_lock);
}

/* At most once a second: has MODELS/current changed? Then load the model it names. */
static void maybe_reload(void)
{
    char cur[1100], path[1400], err[256];
    struct stat sb;
    time_t now = time(NULL);
    if (!models_dir[0])
        return;
    pthread_mutex_lock(&check_lock);
    if (now == last_check) {
        pthread_mutex_unlock(&check_lock);
        return;
    }
    last_check = now;
    snprintf(cur, sizeof(cur), "%s/current", models_dir);
    if (stat(cur, &sb) != 0 || (sb.st_mtim.tv_sec == current_mtime.tv_sec &&
                                sb.st_mtim.tv_nsec == current_mtime.tv_nsec)) {
        pthread_mutex_unlock(&check_lock);
        return;
    }
    current_mtime = sb.st_mtim;
    struct cls_model *m = NULL;
    if (routing_current_path(models_dir, path, sizeof(path)) == 0)
        m = cls_load(path, err, sizeof(err));
    if (!m) {
        log_error("msg=\"routing model not loaded\" dir=%s err=\"%s\"", models_dir,
                  err[0] ? err : "no current model");
        pthread_mutex_unlock(&check_lock);
        return;
    }
    pthread_rwlock_wrlock(&model_lock);
    struct cls_model *old = model;
    model = m;
    const char *base = strrchr(path, '/');
    snprintf(model_name, sizeof(model_name), "%.127s", base ? base + 1 : path);
    pthread_rwlock_unlock(&model_lock);
    cls_free(old);
    log_info("msg=\"routing model loaded\" model=%s labels=%zu features=%zu examples=%zu",
             model_name, cls_num_labels(m), cls_num_features(m), cls_num_examples(m));
    pthread_mutex_unlock(&check_lock);
}

bool routing_available(void)
{
    maybe_reload();
    pthread_rwlock_rdlock(&model_lock);
    bool ok = model != NULL;
    pthread_rwlock_unlock(&model_lock);
    return ok;
}

int routing_classify(struct store *st, const char *text, struct routing_result *out,
                     struct err_detail *ed)
{
    struct cls_suggestion top[ROUTING_TOP];
    memset(out, 0, sizeof(*out));
    out->threshold = ROUTING_THRESHOLD;
    if (!nlp_urgency(text, &out->urgency))
        return err_set(ed, ERR_INVALID, "text", "text is not valid UTF-8");
    maybe_reload();
    pthread_rwlock_rdlock(&model_lock);
    if (!model) {
        pthread_rwlock_unlock(&model_lock);
        return err_set(ed, ERR_UNSUPPORTED, NULL,
                       "no routing model is loaded; run alo153 train");
    }
    int k = cls_predict(model, text, top, ROUTING_TOP);
    snprintf(out->model, sizeof(out->model), "%s", model_name);
    pthread_rwlock_unlock(&model_lock);
    if (k < 0)
        return err_set(ed, ERR_INVALID, "text", "text is not valid UTF-8");
    for (int i = 0; i < k; i++) {
        struct routing_suggestion *s = &out->s[out->n];
        struct category c;
        struct department d;
        if (store_category_by_code(st, top[i].label, &c) != ERR_OK || !c.active)
            continue; /* a category removed since training */
        snprintf(s->category, sizeof(s->category), "%s", c.code);
        snprintf(s->category_name, sizeof(s->category_name), "%s", c.name_tr);
        snprintf(s->department, sizeof(s->department), "%s", c.department_code);
        if (store_department_get(st, c.department_id, &d) == ERR_OK)
            snprintf(s->department_name, sizeof(s->department_name), "%s", d.name_tr);
        s->p = top[i].p;
        if (out->n == 0 && c.redirect[0])
            snprintf(out->redirect, sizeof(out->redirect), "%s", c.redirect);
        out->n++;
    }
    out->confident = out->n > 0 && out->s[0].p >= out->threshold;
    return ERR_OK;
}
