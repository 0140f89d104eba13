/* Citizen satisfaction: the report's one reader of survey answers (see satisfaction.h). */
#include "report/satisfaction.h"

#include "util/banned.h"

int report_satisfaction_each(struct store *st, int64_t from_ts, int64_t to_ts,
                             int64_t scope_department, enum sat_dim dim,
                             int (*fn)(void *ctx, const struct sat_group *g), void *ctx)
{
    /* No survey responses are stored yet (the closing-the-loop work adds them): no group.
     * Replace this body with the store's survey sum by dim; nothing else in the report
     * changes. */
    (void)st, (void)from_ts, (void)to_ts, (void)scope_department, (void)fn, (void)ctx;
    if (dim < SAT_TOTAL || dim >= SAT__COUNT)
        return ERR_INVALID;
    return ERR_OK;
}
