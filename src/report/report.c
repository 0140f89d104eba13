#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/lifecycle.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

/* ---------------------------------------------------------------- tables */

void report_table_init(struct report_table *t, const char *dimension, size_t ncols,
                       const char *const *cols)
{
    memset(t, 0, sizeof(*t));
    t->dimension = dimension;
    t->ncols = ncols < REPORT_COLS ? ncols : REPORT_COLS;
    for (size_t i = 0; i < t->ncols; i++)
        t->cols[i] = cols[i];
}

struct report_row *report_table_row(struct report_table *t, const char *key)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
    }
    struct report_row *r = &t->rows[t->nrows++];
    memset(r, 0, sizeof(*r));
    r->key = xstrdup(key);
    return r;
}

int64_t report_table_sum(const struct report_table *t, size_t col)
{
    int64_t sum = 0;
    for (size_t i = 0; col < t->ncols && i < t->nrows; i++)
        sum += t->rows[i].v[col];
    return sum;
}

void report_table_release(struct report_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        free(t->rows[i].key);
    free(t->rows);
    t->rows = NULL;
    t->nrows = t->cap = 0;
}

/* ---------------------------------------------------------------- statistics */

static const char *const count_cols[] = { "n" };

static int count_into(void *ctx, const char *key, int64_t n)
{
    report_table_row(ctx, key)->v[0] += n;
    return 0;
}

int report_period_counts(struct store *st, int64_t from, int64_t to, const struct dept_reach *reach,
                         struct report_period *out, struct err_detail *ed)
{
    memset(out, 0, sizeof(*out));
    out->from = from;
    out->to = to;
    report_table_init(&out->by_status, "status", 1, count_cols);
    report_table_init(&out->by_department, "department", 1, count_cols);
    report_table_init(&out->by_channel, "channel", 1, count_cols);
    struct report_table *tables[] = { &out->by_status, &out->by_department, &out->by_channel };
    for (size_t i = 0; i < 3; i++) {
        int rc =
            store_app_group_count(st, tables[i]->dimension, from, to, reach, count_into, tables[i]);
        if (rc != ERR_OK) {
            report_period_release(out);
            return err_set(ed, ERR_STORE, NULL, "counting by %s failed", tables[i]->dimension);
        }
    }
    out->total = report_table_sum(&out->by_status, 0);
    return ERR_OK;
}

void report_period_release(struct report_period *p)
{
    report_table_release(&p->by_status);
    report_table_release(&p->by_department);
    report_table_release(&p->by_channel);
}

int report_stats(struct store *st, int64_t now, const struct dept_reach *reach,
                 struct report_stats **out, struct err_detail *ed)
{
    int64_t today = time_istanbul_day(now);
    struct civil_date cd = time_civil_from_days(today);
    int64_t day0 = today * 86400 - TIME_ISTANBUL_OFFSET;
    int64_t month0 = time_days_from_civil(cd.year, cd.month, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    struct app_filter f = { .overdue = true, .now = now };
    if (reach)
        f.reach = *reach;
    struct report_stats *s = xcalloc(1, sizeof(*s));
    int rc;
    *out = NULL;
    s->at = now;
    if ((rc = report_period_counts(st, day0, 0, reach, &s->today, ed)) != ERR_OK ||
        (rc = report_period_counts(st, month0, 0, reach, &s->month, ed)) != ERR_OK)
        goto out;
    if (store_app_count(st, &f, &s->overdue) != ERR_OK) {
        rc = err_set(ed, ERR_STORE, NULL, "counting overdue applications failed");
        goto out;
    }
    f.overdue = false;
    f.statuses = 1u << ST_NEW | 1u << ST_FORWARDED | 1u << ST_IN_PROGRESS;
    if (store_app_count(st, &f, &s->open) != ERR_OK) {
        rc = err_set(ed, ERR_STORE, NULL, "counting open applications failed");
        goto out;
    }
    *out = s;
    s = NULL;
out:
    report_stats_free(s);
    return rc;
}

bool report_reach_has(const struct dept_reach *reach, const struct department *dep, size_t ndep,
                      int64_t id)
{
    if (!reach || !reach->limited)
        return true;
    for (int depth = 0; id && depth < 64; depth++) {
        for (size_t i = 0; i < reach->n; i++)
            if (id == reach->root[i])
                return true;
        size_t k = 0;
        while (k < ndep && dep[k].id != id)
            k++;
        id = k < ndep ? dep[k].parent_id : 0;
    }
    return false;
}

void report_stats_free(struct report_stats *s)
{
    if (!s)
        return;
    report_period_release(&s->today);
    report_period_release(&s->month);
    free(s);
}

/* ---------------------------------------------------------------- routing quality */

struct quality_walk {
    struct report_quality *q;
    struct store *st;
};

/* The department code of a category code into buf; NULL when none or unknown. */
static const char *dept_of(struct store *st, const char *category, char *buf, size_t len)
{
    struct category c;
    if (!*category || store_category_by_code(st, category, &c) != ERR_OK)
        return NULL;
    str_copy(buf, len, c.department_code);
    return buf;
}

static int quality_row(void *ctx, const char *suggested, const char *final)
{
    struct quality_walk *w = ctx;
    struct report_quality *q = w->q;
    char a[64], b[64];
    q->with_suggestion++;
    if (!*final)
        return 0;
    q->routed++;
    const char *ds = dept_of(w->st, suggested, a, sizeof(a));
    const char *df = dept_of(w->st, final, b, sizeof(b));
    bool dept_ok = ds && df && strcmp(ds, df) == 0;
    q->category_correct += strcmp(suggested, final) == 0;
    q->department_correct += dept_ok;
    if (df) {
        struct report_row *r = report_table_row(&q->by_department, df);
        r->v[0]++;
        r->v[1] += dept_ok;
    }
    return 0;
}

/* ---- by week (issue 13) ---- */

struct week_walk {
    struct store *st;
    struct report_row *row;
};

static int week_row(void *ctx, const char *suggested, const char *final)
{
    struct week_walk *w = ctx;
    char a[64], b[64];
    if (!*final)
        return 0;
    const char *ds = dept_of(w->st, suggested, a, sizeof(a));
    const char *df = dept_of(w->st, final, b, sizeof(b));
    w->row->v[0]++;
    w->row->v[1] += ds && df && strcmp(ds, df) == 0;
    w->row->v[2] += strcmp(suggested, final) == 0;
    return 0;
}

/* The start (UTC instant) of the Istanbul week (from Monday) holding t. */
static int64_t week_start(int64_t t)
{
    int64_t day = time_istanbul_day(t);
    day -= ((day % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday */
    return day * 86400 - TIME_ISTANBUL_OFFSET;
}

static int quality_weeks(struct store *st, int64_t from, int64_t to, struct report_table *t)
{
    int64_t end = to ? to : time_now();
    int64_t w = week_start(end - (int64_t)(REPORT_QUALITY_WEEKS - 1) * 7 * 86400);
    if (w < week_start(from))
        w = week_start(from);
    for (; w < end; w += 7 * 86400) {
        char key[TIME_RFC3339_LEN];
        time_format(w + TIME_ISTANBUL_OFFSET, key);
        key[10] = '\0'; /* the Istanbul date of the Monday */
        struct week_walk ww = { .st = st, .row = report_table_row(t, key) };
        int64_t a = w < from ? from : w, b = w + 7 * 86400 > end ? end : w + 7 * 86400;
        if (store_app_suggestion_each(st, a, b, week_row, &ww) != ERR_OK)
            return ERR_STORE;
    }
    return ERR_OK;
}

int report_routing_quality(struct store *st, int64_t from, int64_t to, struct report_quality **out,
                           struct err_detail *ed)
{
    static const char *const cols[] = { "n", "correct" };
    struct report_quality *q = xcalloc(1, sizeof(*q));
    struct quality_walk w = { .q = q, .st = st };
    q->from = from;
    q->to = to;
    static const char *const wcols[] = { "n", "correct", "category_correct" };
    report_table_init(&q->by_department, "department", 2, cols);
    report_table_init(&q->by_week, "week", 3, wcols);
    *out = NULL;
    if (store_app_suggestion_each(st, from, to, quality_row, &w) != ERR_OK ||
        quality_weeks(st, from, to, &q->by_week) != ERR_OK) {
        report_quality_free(q);
        return err_set(ed, ERR_STORE, NULL, "report failed");
    }
    *out = q;
    return ERR_OK;
}

void report_quality_free(struct report_quality *q)
{
    if (!q)
        return;
    report_table_release(&q->by_department);
    report_table_release(&q->by_week);
    free(q);
}

/* ---------------------------------------------------------------- classifier evaluation */

static size_t dept_index(const struct report_eval_input *in, const char *code)
{
    for (size_t d = 0; code && d < in->ndepartments; d++)
        if (strcmp(in->departments[d], code) == 0)
            return d;
    return in->ndepartments;
}

/* Macro-F1 over the departments present (as the true label) in the confusion matrix. */
static double macro_f1(const size_t *conf, size_t nd)
{
    double sum = 0;
    size_t present = 0;
    for (size_t d = 0; d < nd; d++) {
        size_t tp = conf[d * nd + d], fp = 0, fn = 0;
        for (size_t o = 0; o < nd; o++)
            if (o != d) {
                fp += conf[o * nd + d];
                fn += conf[d * nd + o];
            }
        if (tp + fn == 0)
            continue; /* department absent from the file */
        double prec = tp + fp ? (double)tp / (double)(tp + fp) : 0;
        double rec = (double)tp / (double)(tp + fn);
        sum += prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
        present++;
    }
    return present ? sum / (double)present : 0;
}

int report_eval(const struct report_eval_input *in, struct report_eval **out, struct err_detail *ed)
{
    static const char *const cols[] = { "n", "top1", "top3" };
    size_t nd = in->ndepartments;
    struct report_eval *e = xcalloc(1, sizeof(*e));
    e->ndepartments = nd;
    e->departments = in->departments;
    e->confusion = xcalloc(nd * nd + 1, sizeof(size_t));
    report_table_init(&e->by_style, "style", 3, cols);
    *out = NULL;
    for (size_t i = 0; i < in->n; i++) {
        const char *gold = in->department_of(in->ex[i].label);
        struct cls_suggestion s[3];
        int k = gold ? cls_predict(in->m, in->ex[i].text, s, 3) : -1;
        if (k <= 0) {
            e->skipped++;
            continue;
        }
        const char *pred = in->department_of(s[0].label);
        bool hit1 = pred && strcmp(pred, gold) == 0, hit3 = false;
        for (int j = 0; j < k; j++) {
            const char *d = in->department_of(s[j].label);
            hit3 |= d && strcmp(d, gold) == 0;
        }
        e->n++;
        e->top1 += hit1;
        e->top3 += hit3;
        if (in->is_category(in->ex[i].label)) {
            e->cat_n++;
            e->cat1 += strcmp(s[0].label, in->ex[i].label) == 0;
        }
        size_t gi = dept_index(in, gold), pi = dept_index(in, pred);
        if (gi < nd && pi < nd)
            e->confusion[gi * nd + pi]++;
        if (in->style && in->style[i]) {
            struct report_row *r = report_table_row(&e->by_style, in->style[i]);
            r->v[0]++;
            r->v[1] += hit1;
            r->v[2] += hit3;
        }
        if (!hit1 && in->on_miss)
            in->on_miss(in->ctx, i, s);
    }
    if (!e->n) {
        report_eval_free(e);
        return err_set(ed, ERR_INVALID, NULL, "no usable examples");
    }
    e->macro_f1 = macro_f1(e->confusion, nd);
    *out = e;
    return ERR_OK;
}

void report_eval_free(struct report_eval *e)
{
    if (!e)
        return;
    free(e->confusion);
    report_table_release(&e->by_style);
    free(e);
}
