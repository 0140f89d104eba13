#ifndef ALO_CORE_CIMER_H
#define ALO_CORE_CIMER_H
/*
 * CİMER (the Presidency's communication centre): applications imported by the CİMER unit,
 * their deadlines, the answer exported back and the "belongs to another institution" close.
 * The CİMER unit is the front office (desk, agent, supervisor, admin: role_policy()->front_office):
 * docs/INTAKE.md. An imported application is an ordinary application of channel "cimer"
 * (routed by the routing model like any other) plus its cimer_apps row (store.h).
 *
 * Deadlines, counted from the day the citizen filed in CİMER (Europe/Istanbul days): the
 * municipality's promise (setting "ceiling.cimer", 15 days by default) and the legal ceiling of
 * law 3071 (30 days); each ends at 23:59:59 of its day, and a day that is a weekend or a
 * holiday moves the end to the next working day (as a legal time limit does).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

#define CIMER_LEGAL_DAYS 30   /* law 3071 */
#define CIMER_IMPORT_MAX 5000 /* applications in one file */
#define CIMER_RED_DAYS 3      /* the queue shows fewer days left than this in red */

/* One application of an import (strings owned, freed by cimer_batch_free). */
struct cimer_item {
    int line; /* where it starts: the file's line (CSV) or the item's number (JSON) */
    char *cimer_no, *filed, *kind, *text, *name, *phone, *email, *tc, *address;
};

struct cimer_batch {
    struct cimer_item *v;
    size_t n, cap;
};

/* A new empty item at the end of b (zeroed, line set); strings are the caller's to fill with
 * malloc'd copies. */
struct cimer_item *cimer_batch_add(struct cimer_batch *b, int line);
void cimer_batch_free(struct cimer_batch *b);

/* Parse a CSV import (docs/INTAKE.md): a header line naming the columns (cimer_no, filed_at,
 * text required; kind, name, phone, email, tc, address optional; any order), separated by
 * ',' or ';' (the header decides), RFC 4180 quotes, a UTF-8 BOM allowed, empty lines
 * skipped. ERR_INVALID with *bad_line (1-based) and a message naming the line for the first
 * malformed row; nothing is kept then. */
int core_cimer_parse_csv(const char *data, size_t len, struct cimer_batch *out, int *bad_line,
                         struct err_detail *ed);

/* The two deadlines of an application filed in CİMER at filed_at. */
void core_cimer_dues(struct store *st, int64_t filed_at, int64_t *promise_due, int64_t *legal_due);
/* Whole Istanbul days from now's day to due's day (negative when past). */
int core_cimer_days_left(int64_t due, int64_t now);

struct cimer_import_result {
    size_t created, skipped; /* skipped: numbers imported before (the same application) */
    struct cimer_rec *rows;  /* one per item, in order (malloc'd; caller frees) */
    size_t n;
};

/* Import every item of b in one transaction: all are created (each an application of channel
 * cimer, classified and routed like any other, with its citizen and its cimer_apps row), or
 * none. A CİMER number imported before is skipped (idempotent: the row of the existing
 * application is returned) unless dup_is_error (the one-application form: ERR_CONFLICT
 * "cimer_exists"). A malformed item: ERR_INVALID (or ERR_UNPROCESSABLE) with *bad_line set
 * and nothing imported. ERR_FORBIDDEN when actor is not of the CİMER unit. */
int core_cimer_import(struct store *st, const struct user *actor, const struct cimer_batch *b,
                      bool dup_is_error, int64_t now, struct cimer_import_result *res,
                      int *bad_line, struct err_detail *ed);
void cimer_import_result_free(struct cimer_import_result *res);

/* May actor work on CİMER applications? */
bool core_cimer_allowed(const struct user *actor);

/* The queue (open only: not answered in CİMER, not sent elsewhere), by promise. *out
 * malloc'd (caller frees). */
int core_cimer_list(struct store *st, const struct user *actor, bool open_only,
                    struct cimer_rec **out, size_t *n, struct err_detail *ed);
int core_cimer_get(struct store *st, const struct user *actor, int64_t app_id,
                   struct cimer_rec *out, struct err_detail *ed);

/* The answer as the clerk pastes it into CİMER (malloc'd text, caller frees): ERR_CONFLICT
 * "no_answer" until the department's public answer exists. */
int core_cimer_answer_text(struct store *st, const struct user *actor, int64_t app_id, char **text,
                           struct err_detail *ed);
/* The answer was entered into CİMER at `at` (0 = now): recorded, and a resolved application
 * closed, in one transaction. ERR_CONFLICT "no_answer" without an answer, "already_answered"
 * the second time. *out the updated row. */
int core_cimer_answered(struct store *st, const struct user *actor, int64_t app_id, int64_t at,
                        struct cimer_rec *out, struct err_detail *ed);
/* "Belongs to another institution": institution (a code of GET /institutions) and note
 * (required) recorded, the application closed as out of scope naming the institution, in
 * one transaction. Only a new (unrouted) application: ERR_CONFLICT otherwise. */
int core_cimer_redirect(struct store *st, const struct user *actor, int64_t app_id,
                        const char *institution, const char *note, int64_t at,
                        struct cimer_rec *out, struct err_detail *ed);

#endif
