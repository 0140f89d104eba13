#ifndef ALO_REPORT_SUMMARY_H
#define ALO_REPORT_SUMMARY_H
/*
 * The centre's report for a period (issue 11): the figures a municipality publishes (calls
 * answered and the answer rate, instant information against forwarded, applications by every
 * dimension, deadlines, satisfaction) and the trends, as one struct that every output is
 * made from: JSON (api, GET /api/v1/reports/summary), text with the Turkish paragraph, CSV and
 * XLSX (report/render.h, alo153 report). The contract of its JSON is docs/REPORTS.md.
 *
 * Every breakdown is an rs_table: a key column (text) and up to RS_MAXCOLS typed value
 * columns, with Turkish and English titles and headers, so the outputs need no knowledge of
 * any one table. A value that does not exist (no survey answers, no resolved application to
 * take a median of) is NAN, never 0: outputs show it as empty / "—".
 *
 * Ownership: report_summary() allocates *out; free it with report_summary_free().
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/kpi.h"
#include "store/store.h"
#include "util/err.h"

#define RS_MAXCOLS 8
#define RS_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

enum rs_type {
    RS_INT,  /* a count: 1.059.219 */
    RS_PCT,  /* a share 0..1: %93,96 */
    RS_NUM,  /* a decimal (seconds, a mean): 12,5 */
    RS_DAYS, /* working days, one decimal: 3,5 */
    RS_TEXT  /* only for the key column */
};

struct rs_col {
    const char *key; /* snake_case, the JSON name (static) */
    const char *tr;  /* Turkish header (static) */
    const char *en;  /* English header (static) */
    enum rs_type type;
};

struct rs_row {
    char *key;            /* owned: machine key ("2025-01", a department code, a channel) */
    char *label;          /* owned, may be NULL: the human name (department name, "Ocak") */
    double v[RS_MAXCOLS]; /* the values, NAN when they do not exist */
};

struct rs_table {
    const char *name;     /* "by_month", … (static, the list is in docs/REPORTS.md) */
    const char *title_tr; /* sheet / section title (static) */
    const char *title_en;
    struct rs_col keycol; /* the key column's header (type RS_TEXT) */
    size_t ncols;         /* value columns used, 1..RS_MAXCOLS */
    struct rs_col cols[RS_MAXCOLS];
    size_t nrows, cap;
    struct rs_row *rows;
};

/* Application figures of the period (created in it), within the scope. */
struct rs_apps {
    int64_t total;                /* created in the period */
    int64_t resolved;             /* … of them answered (responded) or closed */
    int64_t resolved_in_deadline; /* … of those, by their resolution deadline */
    int64_t open_now;             /* … of them still open at `at` */
    int64_t overdue_now;          /* … of them open and past their deadline at `at` */
    int64_t returned;             /* … returned to the centre at least once */
    int64_t transferred;          /* … transferred between departments at least once */
    int64_t reopened;             /* … reopened after an answer */
    double resolution_median_wd;  /* working days from creation to answer, NAN when none */
    double resolution_p90_wd;
};

struct report_summary_params {
    char from[RS_DATE_LEN];  /* first day, Europe/Istanbul, inclusive */
    char to[RS_DATE_LEN];    /* last day, inclusive */
    int64_t at;              /* "now" (overdue_now, open_now; the clock of the process) */
    struct dept_reach scope; /* not limited: the whole centre; else only the subtrees of its
                              * roots (core/policy.h policy_report_reach) */
    struct kpi_params kpi;   /* service-level and short-abandon thresholds */
};

struct report_summary {
    struct report_summary_params p;
    int64_t from_ts, to_ts; /* [from_ts, to_ts) in UTC */
    /* calls and contacts are the centre's: filled only when the scope is not limited */
    bool has_calls;
    struct kpi_calls calls;
    struct kpi_contacts contacts;
    struct rs_apps apps;
    /* satisfaction (report/satisfaction.h): answers == 0 while there are no survey answers */
    struct {
        int64_t answers;
        int64_t satisfied_share_n; /* answers that were satisfied */
        double satisfied_share;    /* NAN when answers == 0 */
    } survey;
    /* the same dates one year earlier, when it has any call or application */
    bool has_previous;
    struct {
        char from[RS_DATE_LEN], to[RS_DATE_LEN];
        struct kpi_calls calls;
        int64_t applications;
        int64_t instant_info;
        int64_t forwarded; /* contacts closed as application or followup */
    } previous;
    /* the tables, in the order of docs/REPORTS.md */
    size_t ntables;
    struct rs_table *tables;
};

/* Build the report of p->from..p->to. ERR_INVALID (detail in ed) for a bad or reversed date
 * or a period over 366 days; ERR_CONFLICT named "rollups_stale" when the database was upgraded
 * with applications and its rollups not rebuilt yet (core_rollup_rebuild_apps); ERR_STORE when
 * the store fails. */
int report_summary(struct store *st, const struct report_summary_params *p,
                   struct report_summary **out, struct err_detail *ed);
void report_summary_free(struct report_summary *s);
/* The nearest-rank quantile q (0..1) of a histogram of whole working days (bins[i] values of
 * i days): the smallest i with at least q of the values at or below it; NAN when empty. */
double report_hist_quantile(const int64_t *bins, size_t nbins, double q);
/* The label of row r of table t in lang ("tr" or "en") into out: the English of the fixed
 * vocabulary (months, kinds, channels, outcomes, "not routed") in "en", else r->label; ""
 * when the row has none. */
void rs_row_label(const struct rs_table *t, const struct rs_row *r, const char *lang, char *out,
                  size_t len);
/* The table called name, NULL when there is none (borrowed from s). */
const struct rs_table *report_summary_table(const struct report_summary *s, const char *name);

#endif
