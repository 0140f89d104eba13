#ifndef ALO_CORE_REFERENCE_H
#define ALO_CORE_REFERENCE_H
/*
 * The reference metropolitan municipality that `alo153 init` creates: departments (a tree
 * of daire başkanlıkları and şube müdürlükleri), categories with their deadlines, and the
 * outside institutions that DIS (not the municipality's) applications are redirected to.
 * Static tables; the database is seeded from them and is the source of truth afterwards.
 */
#include <stdbool.h>
#include <stddef.h>

struct ref_department {
    const char *code;        /* "FEN", or a sub-unit "FEN_YOL" */
    const char *parent;      /* parent department code, NULL for a top-level department */
    const char *institution; /* "METRO" (the metropolitan municipality) or "WATER" (affiliate) or
                                "EXT" (DIS) */
    const char *name_tr;     /* "Fen İşleri Dairesi Başkanlığı" */
    const char *name_en;     /* "Department of Public Works" */
};

struct ref_category {
    const char *code;       /* stable, e.g. "FEN_YOL_CUKUR"; also the classifier's label */
    const char *department; /* code of the responsible department (one of the 14 top-level) */
    const char *name_tr;    /* "Yol çukuru / bozuk asfalt" */
    const char *name_en;    /* "Pothole / broken asphalt" */
    const char *keywords; /* space-separated Turkish search words for type-ahead ("çukur asfalt yol
                             bozuk") */
    int first_response_days; /* allowance for the first response */
    int sla_days;            /* allowance for the resolution */
    bool working_days;       /* true: the allowances count working days; false: calendar days */
    const char *priority;    /* default priority: "low" "normal" "high" "urgent" */
    const char *redirect; /* DIS only: the institution to turn to, e.g. "Elektrik dağıtım şirketi
                             (186)"; NULL otherwise */
};

extern const struct ref_department ref_departments[];
extern const size_t ref_departments_len;
extern const struct ref_category ref_categories[];
extern const size_t ref_categories_len;

/* Lookup by code; NULL when unknown. */
const struct ref_category *ref_category_find(const char *code);
const struct ref_department *ref_department_find(const char *code);

#endif
