#ifndef ALO_CORE_ADMIN_H
#define ALO_CORE_ADMIN_H
/*
 * Reference data an administrator changes while serving: departments, categories,
 * districts and neighbourhoods, holidays and settings. Each change is one function that
 * validates and writes in one store transaction (checks and writes together, so two
 * concurrent creates of one code cannot both pass the check). Inputs are parsed text;
 * NULL means "not given" (on an update: unchanged).
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

#define CORE_CODE_MAX 39 /* department and category codes: 2..39 of A-Z, 0-9, _ */

struct dept_input {
    const char *code;        /* create: required; update: must be NULL (codes never change) */
    const char *parent;      /* parent department code */
    const char *institution; /* institution code; create default: the parent's, else METRO */
    const char *name;        /* create: required */
    const char *name_en;     /* create default: name */
    int active;              /* 1, 0, or -1 = not given */
};

struct dept_result {
    struct department d;
    char parent_code[MODEL_CODE_LEN]; /* "" for a top-level department */
};

/* Create (code NULL: in->code is the new code) or update department code. ERR_INVALID for
 * bad input (name "missing_field" when a required one is absent); ERR_CONFLICT when a
 * created code exists; ERR_NOT_FOUND when the updated one does not; ERR_UNPROCESSABLE for
 * an unknown institution or parent, or a parent below the department itself. */
int core_department_write(struct store *st, const char *code, const struct dept_input *in,
                          struct dept_result *out, struct err_detail *ed);

struct cat_input {
    const char *code;       /* create: required; update: must be NULL */
    const char *department; /* create: required */
    const char *name;       /* create: required */
    const char *name_en, *keywords, *redirect, *priority;
    int first_response_days;  /* -1 = not given (create: 1) */
    int sla_days;             /* -1 = not given; create: required */
    int working_days, active; /* 1, 0, or -1 = not given (create: true) */
    bool proof_given;         /* proof_required was given (else unchanged; create: false) */
    bool proof_required;      /* answering needs an "after" photo (issue 16) */
};

/* Create (code NULL) or update category code; errors as core_department_write. *out is the
 * stored category. */
int core_category_write(struct store *st, const char *code, const struct cat_input *in,
                        struct category *out, struct err_detail *ed);

/* Add a district of the configured province (or find it by name); *id, *province (the
 * plate code, 16 bytes) are set. */
int core_district_add(struct store *st, const char *name, int64_t *id, char province[16],
                      struct err_detail *ed);
/* Add a neighbourhood to district_id (ERR_NOT_FOUND when no such district). */
int core_neighbourhood_add(struct store *st, int64_t district_id, const char *name, int64_t *id,
                           struct err_detail *ed);

/* Set or replace the holiday on date (YYYY-MM-DD) and reload the running calendar. */
int core_holiday_set(struct store *st, const char *date, const char *name, bool half_day,
                     struct err_detail *ed);
/* Delete the holiday on date (ERR_NOT_FOUND when none) and reload the calendar. */
int core_holiday_delete(struct store *st, const char *date, struct err_detail *ed);

/* Change the settings given: cimer_ceiling_days (1..30, or -1 = unchanged), the
 * municipality's name and the exchange's queues (core_queues_parse; NULL = unchanged), in one
 * transaction. */
int core_settings_update(struct store *st, int cimer_ceiling_days, const char *municipality,
                         const char *queues, struct err_detail *ed);
/* Set one setting with its audit row (core/audit.h), in the caller's transaction (or one of its
 * own). */
int core_setting_set(struct store *st, const char *key, const char *value);

#endif
