#ifndef ALO_CORE_ROLLUP_H
#define ALO_CORE_ROLLUP_H
/*
 * The application rollups' rules (store.h, "application rollups"; docs/REPORTS.md, "How it is
 * computed"): what one application contributes, and the rebuild from the rows. Core's
 * create and lifecycle functions (app.c) apply the contribution in the transaction of the
 * change: the old one removed, the new one added.
 *
 * An application contributes, on its Istanbul creation day: n = 1 under its department,
 * category, channel, kind, district and neighbourhood (0 = none); open (new, forwarded, in
 * progress); resolved (resolved or closed), in_deadline (resolved by its resolution deadline,
 * or with no deadline) and the working days from creation to the answer (the response, else
 * the closing) as the histogram bin; returned, transferred and reopened when its history
 * holds that action at least once.
 */
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

/* The contribution of a with the actions (bit 1 << enum app_action) of its history. Pure but
 * for the holiday calendar (core_calendar_reload). */
void core_rollup_of(const struct app *a, unsigned actions, struct app_rollup *out);
/* Inside the caller's transaction: replace the contribution old by new (either may be NULL);
 * nothing is written when they are the same. */
int core_rollup_change(struct store *st, const struct app_rollup *old,
                       const struct app_rollup *neu);
/* Recompute every application rollup from the rows, in one transaction (alo153 report
 * --rebuild). *napps (may be NULL) receives the applications counted. */
int core_rollup_rebuild_apps(struct store *st, int64_t *napps, struct err_detail *ed);

#endif
