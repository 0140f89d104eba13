#ifndef ALO_REPORT_REPORT_H
#define ALO_REPORT_REPORT_H
/*
 * Reports as data: aggregates read through the store and returned as plain structs, which
 * the API renders to JSON, the CLI to text, and later reports to CSV and Excel. Every
 * breakdown is a struct report_table: rows of a dimension key (a status, a department code,
 * a channel) with one or more named counts. No rules of core are needed (scoping by
 * department is the caller's filter, the open statuses come from model/), so report sits on
 * store.h, nlp, model and util only.
 * Results are owned by the caller: free with the matching *_free() (NULL is fine).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlp/classifier.h"
#include "store/store.h"
#include "util/err.h"

#define REPORT_COLS 4 /* most value columns a table has */

struct report_row {
    char *key;              /* the dimension's value ("" e.g. for unrouted) */
    int64_t v[REPORT_COLS]; /* counts, in the order of the table's cols */
};

struct report_table {
    const char *dimension;         /* "status", "department", "channel", … (static) */
    size_t ncols;                  /* value columns used, 1..REPORT_COLS */
    const char *cols[REPORT_COLS]; /* their names, e.g. "n", "correct" (static) */
    size_t nrows, cap;
    struct report_row *rows; /* in the order first met (the store's order) */
};

/* An empty table of dimension with ncols columns named by cols (all static strings). */
void report_table_init(struct report_table *t, const char *dimension, size_t ncols,
                       const char *const *cols);
/* The row of key, added with zero counts when new (borrowed: valid until the next add). */
struct report_row *report_table_row(struct report_table *t, const char *key);
/* The sum of column col over all rows. */
int64_t report_table_sum(const struct report_table *t, size_t col);
/* Free the rows (the table is left empty, its columns kept). */
void report_table_release(struct report_table *t);

/* ---- application counts (GET /api/v1/stats) ---- */

/* Applications created in [from, to) (to 0 = open), counted by status, department and
 * channel; one column "n". */
struct report_period {
    int64_t from, to;
    int64_t total; /* all applications of the period */
    struct report_table by_status, by_department, by_channel;
};

struct report_stats {
    int64_t at;                 /* the "now" the report was made for */
    struct report_period today; /* since 00:00 in Istanbul */
    struct report_period month; /* since the 1st of the month, 00:00 in Istanbul */
    int64_t open;               /* new, forwarded or in progress (any creation date) */
    int64_t overdue;            /* open and past their resolution deadline at `at` */
};

/* Counts for one period within reach (store.h; NULL = every department). ERR_STORE (detail in
 * ed) when the store fails; out is then released. */
int report_period_counts(struct store *st, int64_t from, int64_t to, const struct dept_reach *reach,
                         struct report_period *out, struct err_detail *ed);
void report_period_release(struct report_period *p);
/* The supervisor-view statistics at now within reach (as above). *out is the caller's
 * (report_stats_free); NULL with ERR_STORE when the store fails. */
int report_stats(struct store *st, int64_t now, const struct dept_reach *reach,
                 struct report_stats **out, struct err_detail *ed);
/* Is department id (0: unrouted, only in an unlimited reach) within reach? dep[0..ndep) is the
 * department tree (store_department_list), walked up from id at most 64 levels. */
bool report_reach_has(const struct dept_reach *reach, const struct department *dep, size_t ndep,
                      int64_t id);
void report_stats_free(struct report_stats *s);

/* ---- routing quality (GET /api/v1/routing/quality) ---- */

/* Applications created in [from, to) with a routing suggestion, against their final
 * category (and its department). by_department has the columns "n" (routed, by the final
 * category's department) and "correct" (the suggestion's department was that one). */
struct report_quality {
    int64_t from, to;
    int64_t with_suggestion;    /* applications that got a suggestion */
    int64_t routed;             /* … of them now with a final category */
    int64_t category_correct;   /* … whose suggested category is the final one */
    int64_t department_correct; /* … whose suggested category's department is */
    struct report_table by_department;
    /* issue 13: by week (Monday, Istanbul, "YYYY-MM-DD"; at most the last
     * REPORT_QUALITY_WEEKS weeks before to), columns "n", "correct" (department),
     * "category_correct" */
    struct report_table by_week;
};
#define REPORT_QUALITY_WEEKS 26

/* Build it; *out the caller's (report_quality_free). ERR_STORE when the store fails. */
int report_routing_quality(struct store *st, int64_t from, int64_t to, struct report_quality **out,
                           struct err_detail *ed);
void report_quality_free(struct report_quality *q);

/* ---- classifier evaluation on labelled text (alo153 eval) ---- */

struct report_eval_input {
    const struct cls_model *m;
    const struct cls_example *ex; /* n labelled texts (a category or department code) */
    const char *const *style;     /* n optional styles (NULL entries, or NULL: none) */
    size_t n;
    const char *const *departments; /* the confusion matrix's departments, in order */
    size_t ndepartments;
    const char *(*department_of)(const char *label); /* a label's department; NULL: unknown */
    bool (*is_category)(const char *label);          /* is the label a category code? */
    /* optional: called for each example whose top-1 department is wrong */
    void (*on_miss)(void *ctx, size_t i, const struct cls_suggestion *top);
    void *ctx;
};

struct report_eval {
    size_t n;           /* examples evaluated */
    size_t skipped;     /* unknown label or no words */
    size_t top1, top3;  /* department right in the first / first three */
    size_t cat_n, cat1; /* examples labelled by category; category right */
    double macro_f1;    /* over the departments present in the file */
    size_t ndepartments;
    const char *const *departments; /* borrowed from the input */
    size_t *confusion;              /* ndepartments² counts, row: true, column: predicted */
    struct report_table by_style;   /* columns "n", "top1", "top3" */
};

/* Evaluate in->m on the examples; *out the caller's (report_eval_free). ERR_INVALID when no
 * example could be used. */
int report_eval(const struct report_eval_input *in, struct report_eval **out,
                struct err_detail *ed);
void report_eval_free(struct report_eval *e);

#endif
