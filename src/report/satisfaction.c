/* Citizen satisfaction: the report's one reader of survey answers (see satisfaction.h). The
 * answers are the satisfaction rows the surveys store (store_satisfaction_each: web survey and
 * IVR digit, each row carrying its department, category, channel and agent); they are summed
 * here by the dimension asked for. A rating of 4 or 5 counts as satisfied. */
#include "report/satisfaction.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define SAT_SATISFIED_MIN 4 /* the survey's top two answers of 1..5 */
#define SAT_KEY_LEN 64

struct sat_acc {
    char key[SAT_KEY_LEN];
    int64_t answers, satisfied;
};

struct sat_walk {
    enum sat_dim dim;
    const struct dept_reach *reach;
    struct department *dep; /* the department tree, read once when the reach is limited */
    size_t ndep;
    struct sat_acc *acc;
    size_t n, cap;
    int rc;
};

/* Is department id within the walk's reach? Unrouted (0) only in the whole. */
static bool in_scope(const struct sat_walk *w, int64_t id)
{
    return report_reach_has(w->reach, w->dep, w->ndep, id);
}

static void key_of(enum sat_dim dim, const struct satisfaction *s, char key[SAT_KEY_LEN])
{
    struct civil_date cd;
    switch (dim) {
    case SAT_TOTAL: key[0] = 0; break;
    case SAT_MONTH:
        cd = time_civil_from_days(time_istanbul_day(s->at));
        snprintf(key, SAT_KEY_LEN, "%04d-%02d", cd.year, cd.month);
        break;
    case SAT_DEPARTMENT: snprintf(key, SAT_KEY_LEN, "%" PRId64, s->department_id); break;
    case SAT_CATEGORY: snprintf(key, SAT_KEY_LEN, "%" PRId64, s->category_id); break;
    case SAT_CHANNEL: str_copy(key, SAT_KEY_LEN, s->channel); break;
    case SAT_AGENT: snprintf(key, SAT_KEY_LEN, "%" PRId64, s->agent_id); break;
    case SAT__COUNT: key[0] = 0; break;
    }
}

static int add_row(void *ctx, const struct satisfaction *s)
{
    struct sat_walk *w = ctx;
    if (s->rating < 1 || s->rating > 5 || !in_scope(w, s->department_id))
        return 0;
    /* a dimension the row does not have (no agent: a web-form application) is left out */
    if ((w->dim == SAT_DEPARTMENT && !s->department_id) ||
        (w->dim == SAT_CATEGORY && !s->category_id) || (w->dim == SAT_AGENT && !s->agent_id) ||
        (w->dim == SAT_CHANNEL && !s->channel[0]))
        return 0;
    char key[SAT_KEY_LEN];
    key_of(w->dim, s, key);
    size_t i = 0;
    while (i < w->n && strcmp(w->acc[i].key, key) != 0)
        i++;
    if (i == w->n) {
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 32;
            struct sat_acc *a = realloc(w->acc, cap * sizeof(*a));
            if (!a) {
                w->rc = ERR_INTERNAL;
                return 1;
            }
            w->acc = a;
            w->cap = cap;
        }
        memset(&w->acc[i], 0, sizeof(w->acc[i]));
        str_copy(w->acc[i].key, SAT_KEY_LEN, key);
        w->n++;
    }
    w->acc[i].answers++;
    w->acc[i].satisfied += s->rating >= SAT_SATISFIED_MIN;
    return 0;
}

int report_satisfaction_each(struct store *st, int64_t from_ts, int64_t to_ts,
                             const struct dept_reach *reach, enum sat_dim dim,
                             int (*fn)(void *ctx, const struct sat_group *g), void *ctx)
{
    if (dim < SAT_TOTAL || dim >= SAT__COUNT)
        return ERR_INVALID;
    struct sat_walk w = { .dim = dim, .reach = reach };
    int rc = reach && reach->limited ? store_department_list(st, &w.dep, &w.ndep) : ERR_OK;
    if (rc == ERR_OK)
        rc = store_satisfaction_each(st, from_ts, to_ts, add_row, &w);
    if (rc == ERR_OK)
        rc = w.rc;
    for (size_t i = 0; rc == ERR_OK && i < w.n; i++) {
        struct sat_group g = { w.acc[i].key, w.acc[i].answers, w.acc[i].satisfied };
        if (fn(ctx, &g))
            break;
    }
    free(w.acc);
    free(w.dep);
    return rc;
}
