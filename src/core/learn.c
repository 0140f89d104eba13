#include "core/learn.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nlp/modelfile.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "util/banned.h"

bool learn_is_correction(enum app_action action, unsigned prior, int64_t prev_category,
                         int64_t category)
{
    const unsigned routed = 1u << ACT_ROUTE | 1u << ACT_TRANSFER | 1u << ACT_RETURN;
    switch (action) {
    case ACT_RETURN:
    case ACT_TRANSFER: return true;
    case ACT_ROUTE: return (prior & routed) || (prev_category && prev_category != category);
    default: return false;
    }
}

/* The code of category id into out ("" when none or unknown). */
static void category_code(struct store *st, int64_t id, char *out, size_t len)
{
    struct category c;
    out[0] = '\0';
    if (id && store_category_get(st, id, &c) == ERR_OK)
        str_copy(out, len, c.code);
}

int learn_on_act(struct store *st, const struct user *actor, const struct app *a,
                 enum app_action action, unsigned prior, int64_t prev_category, int64_t now)
{
    if (!learn_is_correction(action, prior, prev_category, a->category_id))
        return ERR_OK;
    struct correction c = { .app_id = a->id, .user_id = actor ? actor->id : 0, .at = now };
    str_copy(c.action, sizeof(c.action), lifecycle_action_name(action));
    category_code(st, prev_category, c.previous, sizeof(c.previous));
    /* a return says the category was wrong, not which one is right */
    if (action != ACT_RETURN)
        category_code(st, a->category_id, c.final, sizeof(c.final));
    return store_correction_add(st, &c);
}

int learn_on_create(struct store *st, const struct user *actor, const struct app *a,
                    const struct routing_result *rr, int64_t now)
{
    if (!actor || !rr || !rr->n || !a->category_id)
        return ERR_OK;
    struct correction c = { .app_id = a->id, .user_id = actor->id, .at = now };
    category_code(st, a->category_id, c.final, sizeof(c.final));
    if (!c.final[0] || strcmp(c.final, rr->s[0].category) == 0)
        return ERR_OK;
    str_copy(c.action, sizeof(c.action), "category");
    str_copy(c.suggested, sizeof(c.suggested), rr->s[0].category);
    return store_correction_add(st, &c);
}

/* ---------------------------------------------------------------- the promotion gate */

bool learn_gate_decide(struct learn_gate *g, double tol)
{
    bool pass = true;
    if (!g->against[0]) {
        str_copy(g->reason, sizeof(g->reason), "no current model to compare with");
    } else if (g->top1 + tol < g->against_top1) {
        pass = false;
        snprintf(g->reason, sizeof(g->reason),
                 "department top-1 %.2f %% is below the current model's %.2f %%", 100 * g->top1,
                 100 * g->against_top1);
    } else if (g->decoys_n && g->decoys + tol < g->against_decoys) {
        pass = false;
        snprintf(g->reason, sizeof(g->reason),
                 "decoys %.2f %% are below the current model's %.2f %%", 100 * g->decoys,
                 100 * g->against_decoys);
    } else {
        snprintf(g->reason, sizeof(g->reason),
                 "not worse than the current model (department top-1 %.2f %% vs %.2f %%)",
                 100 * g->top1, 100 * g->against_top1);
    }
    str_copy(g->verdict, sizeof(g->verdict), pass ? "promoted" : "rejected");
    return pass;
}

int learn_gate_write(const char *path, const struct learn_gate *g)
{
    char tmp[4200];
    int w = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (w < 0 || (size_t)w >= sizeof(tmp))
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f,
            "verdict %s\nreason %s\nfile %s\nn %ld\ntop1 %.6f\ndecoys_n %ld\ndecoys %.6f\n"
            "against %s\nagainst_top1 %.6f\nagainst_decoys %.6f\nexamples %ld\n"
            "corrections %ld\nat %s\n",
            g->verdict, g->reason, g->file, g->n, g->top1, g->decoys_n, g->decoys, g->against,
            g->against_top1, g->against_decoys, g->examples, g->corrections, g->at);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

int learn_gate_read(const char *path, struct learn_gate *g)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    memset(g, 0, sizeof(*g));
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *v = strchr(line, ' ');
        if (!v)
            continue;
        *v++ = '\0';
        if (!strcmp(line, "verdict"))
            str_copy(g->verdict, sizeof(g->verdict), v);
        else if (!strcmp(line, "reason"))
            str_copy(g->reason, sizeof(g->reason), v);
        else if (!strcmp(line, "file"))
            str_copy(g->file, sizeof(g->file), v);
        else if (!strcmp(line, "against"))
            str_copy(g->against, sizeof(g->against), v);
        else if (!strcmp(line, "at"))
            str_copy(g->at, sizeof(g->at), v);
        else if (!strcmp(line, "n"))
            g->n = strtol(v, NULL, 10);
        else if (!strcmp(line, "decoys_n"))
            g->decoys_n = strtol(v, NULL, 10);
        else if (!strcmp(line, "examples"))
            g->examples = strtol(v, NULL, 10);
        else if (!strcmp(line, "corrections"))
            g->corrections = strtol(v, NULL, 10);
        else if (!strcmp(line, "top1"))
            g->top1 = strtod(v, NULL);
        else if (!strcmp(line, "decoys"))
            g->decoys = strtod(v, NULL);
        else if (!strcmp(line, "against_top1"))
            g->against_top1 = strtod(v, NULL);
        else if (!strcmp(line, "against_decoys"))
            g->against_decoys = strtod(v, NULL);
    }
    fclose(f);
    return 0;
}

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static char models_dir[1024]; /* guarded by dir_lock; "" = modelfile_dir(NULL) */

void learn_set_models_dir(const char *dir)
{
    pthread_mutex_lock(&dir_lock);
    str_copy(models_dir, sizeof(models_dir), dir ? dir : "");
    pthread_mutex_unlock(&dir_lock);
}

const char *learn_models_dir(void)
{
    /* set once at start, before any request */
    return models_dir[0] ? models_dir : modelfile_dir(NULL);
}

static bool model_name(const char *n)
{
    size_t l = strlen(n);
    return l > 6 && strcmp(n + l - 6, ".model") == 0 &&
           (strncmp(n, "route-", 6) == 0 || strncmp(n, "rejected-", 9) == 0);
}

/* Newest first: by the time in the name (after route- or rejected-), then the name. */
static int by_time_desc(const void *a, const void *b)
{
    const char *x = ((const struct learn_model *)a)->name,
               *y = ((const struct learn_model *)b)->name;
    const char *tx = strchr(x, '-') + 1, *ty = strchr(y, '-') + 1;
    int c = strcmp(ty, tx);
    return c ? c : strcmp(y, x);
}

int learn_models_list(const char *dir, size_t max, struct learn_model **out, size_t *n)
{
    char cur[4096] = "", path[4200];
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    if (modelfile_current_path(dir, cur, sizeof(cur)) == 0) {
        const char *slash = strrchr(cur, '/');
        memmove(cur, slash ? slash + 1 : cur, strlen(slash ? slash + 1 : cur) + 1);
    }
    struct learn_model *v = NULL;
    size_t len = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat sb;
        if (!model_name(e->d_name) || strlen(e->d_name) >= sizeof(v->name))
            continue;
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof(*v));
        }
        struct learn_model *m = &v[len++];
        memset(m, 0, sizeof(*m));
        str_copy(m->name, sizeof(m->name), e->d_name);
        m->current = strcmp(cur, e->d_name) == 0;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        m->size = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
        snprintf(path, sizeof(path), "%s/%s.gate", dir, e->d_name);
        m->has_gate = learn_gate_read(path, &m->gate) == 0;
    }
    closedir(d);
    if (len)
        qsort(v, len, sizeof(*v), by_time_desc);
    *out = v;
    *n = len < max ? len : max;
    return 0;
}
