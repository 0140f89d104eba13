#include "core/routing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/classifier.h"
#include "util/str.h"
#include "util/banned.h"

static pthread_rwlock_t model_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct cls_model *model; /* guarded by model_lock */
static char model_name[128];    /* guarded by model_lock */

void routing_set_model(struct cls_model *m, const char *name)
{
    pthread_rwlock_wrlock(&model_lock);
    struct cls_model *old = model;
    model = m;
    snprintf(model_name, sizeof(model_name), "%.127s", m && name ? name : "");
    pthread_rwlock_unlock(&model_lock);
    cls_free(old); /* no reader holds it: they predict under the read lock */
}

void routing_shutdown(void)
{
    routing_set_model(NULL, NULL);
}

bool routing_available(void)
{
    pthread_rwlock_rdlock(&model_lock);
    bool ok = model != NULL;
    pthread_rwlock_unlock(&model_lock);
    return ok;
}

bool routing_model_name(char *out, size_t outlen)
{
    pthread_rwlock_rdlock(&model_lock);
    bool ok = model != NULL;
    str_copy(out, outlen, ok ? model_name : "");
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
    pthread_rwlock_rdlock(&model_lock);
    if (!model) {
        pthread_rwlock_unlock(&model_lock);
        return err_set(ed, ERR_UNSUPPORTED, NULL, "no routing model is loaded; run alo153 train");
    }
    int k = cls_predict(model, text, top, ROUTING_TOP);
    if (cls_threshold(model) > 0) /* chosen on the dev split when the model was calibrated */
        out->threshold = cls_threshold(model);
    str_copy(out->model, sizeof(out->model), model_name);
    pthread_rwlock_unlock(&model_lock);
    if (k < 0)
        return err_set(ed, ERR_INVALID, "text", "text is not valid UTF-8");
    char set[32];
    if (store_setting_get(st, "routing.threshold", set, sizeof(set)) == ERR_OK) {
        char *end;
        double v = strtod(set, &end);
        if (end != set && *end == '\0' && v > 0 && v <= 1)
            out->threshold = v; /* the municipality's own choice wins */
    }
    for (int i = 0; i < k; i++) {
        struct routing_suggestion *s = &out->s[out->n];
        struct category c;
        struct department d;
        if (store_category_by_code(st, top[i].label, &c) != ERR_OK || !c.active)
            continue; /* a category removed since training */
        str_copy(s->category, sizeof(s->category), c.code);
        str_copy(s->category_name, sizeof(s->category_name), c.name_tr);
        str_copy(s->department, sizeof(s->department), c.department_code);
        if (store_department_get(st, c.department_id, &d) == ERR_OK)
            str_copy(s->department_name, sizeof(s->department_name), d.name_tr);
        s->p = top[i].p;
        if (out->n == 0 && c.redirect[0])
            str_copy(out->redirect, sizeof(out->redirect), c.redirect);
        out->n++;
    }
    out->confident = out->n > 0 && out->s[0].p >= out->threshold;
    return ERR_OK;
}
