#ifndef ALO_REPORT_SATISFACTION_H
#define ALO_REPORT_SATISFACTION_H
/*
 * Citizen satisfaction for the report (issue 11): THE one place where the report reads survey
 * answers from the store: the ratings the surveys store (issue 15: the web survey after
 * closure and the IVR digit, store_satisfaction_each), summed by a dimension. With no rating in
 * the period the report says "no survey answers": satisfaction null in JSON, "—" in text,
 * never 0.
 */
#include <stdint.h>

#include "store/store.h"

enum sat_dim {
    SAT_TOTAL,      /* one group, key "" */
    SAT_MONTH,      /* key "YYYY-MM" of the answered application's creation */
    SAT_DEPARTMENT, /* key: department id (decimal), its current department */
    SAT_CATEGORY,   /* key: category id */
    SAT_CHANNEL,    /* key: channel name ("phone_153") */
    SAT_AGENT,      /* key: user id of the agent who registered it */
    SAT__COUNT
};

struct sat_group {
    const char *key;   /* borrowed for the call */
    int64_t answers;   /* survey responses */
    int64_t satisfied; /* … of them satisfied (the survey's top two answers) */
};

/* fn(ctx, group) for each group of dim with at least one answer, for the ratings given in
 * [from_ts, to_ts) (SAT_MONTH: the month of the rating) on applications within reach (NULL or
 * not limited: all, ratings of calls without an application included); fn returns non-zero to
 * stop. ERR_OK (and no call) when there are no survey answers; ERR_STORE when the store
 * fails. */
int report_satisfaction_each(struct store *st, int64_t from_ts, int64_t to_ts,
                             const struct dept_reach *reach, enum sat_dim dim,
                             int (*fn)(void *ctx, const struct sat_group *g), void *ctx);

#endif
