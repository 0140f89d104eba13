#ifndef ALO_REPORT_KPI_H
#define ALO_REPORT_KPI_H
/*
 * Contact-centre KPIs as structs (the api renders JSON). Definitions (docs/CONTACT_CENTRE.md):
 *   offered          calls offered in the period (by their first event's time)
 *   answered         calls an agent answered
 *   abandoned        calls that ended unanswered, short ones included
 *   short_abandoned  abandoned within short_s seconds (5 by default): not counted against
 *                    the answer rate or the service level, as call centres do
 *   waiting          calls neither answered nor ended yet (in the queue now)
 *   answer_rate      answered / (answered + abandoned - short_abandoned)
 *   service_level    answered within sl_s seconds (20; "within" includes exactly sl_s) /
 *                    (answered + abandoned - short_abandoned): abandoned calls count against it
 *   asa_s            mean wait of the answered calls (answered_at - offered_at)
 *   aht_s            mean handle time of the answered and ended calls: talk (ended - answered)
 *                    plus wrap-up (the contact's close - the call's end, when closed after it)
 *   max_wait_s       the longest wait of an answered or abandoned call; longest_waiting_s that
 *                    of the calls waiting now
 * Rates are 0 when their denominator is 0.
 */
#include <stdint.h>

#include "model/contact.h"
#include "store/store.h"

struct kpi_params {
    int sl_s;    /* service-level threshold, seconds (20) */
    int short_s; /* short-abandon threshold, seconds (5) */
};

struct kpi_calls {
    int64_t offered, answered, abandoned, short_abandoned, waiting, answered_in_sl;
    int64_t wait_sum_s, max_wait_s, longest_waiting_s, handle_sum_s, handled;
    double answer_rate, service_level, asa_s, aht_s;
};

struct kpi_contacts {
    int64_t total, open;
    int64_t by_outcome[OUTCOME__COUNT]; /* [OUTCOME_NONE] = open */
    struct {
        char channel[MODEL_WORD_LEN];
        int64_t n;
    } by_channel[16];
    int nchannels;
    double instant_info_share; /* instant_info / closed contacts */
};

/* Count call c into k (at time now, for the ones still waiting). Pure. */
void kpi_call_add(struct kpi_calls *k, const struct call *c, int64_t now,
                  const struct kpi_params *p);
/* Compute the rates and means of k from its counts. Pure. */
void kpi_calls_finish(struct kpi_calls *k);
/* Add the counts of a (not finished) into k; max_wait_s the max. Pure. */
void kpi_calls_merge(struct kpi_calls *k, const struct kpi_calls *a);
/* Calls offered in [from, to) into *out (finished). Read from the rollups (store.h) when p
 * has the thresholds they were counted with, the parts of [from, to) that are not whole
 * 15-minute buckets from the calls; everything from the calls otherwise. longest_waiting_s
 * looks at the calls offered in the day before now. */
int report_kpi_calls(struct store *st, int64_t from, int64_t to, int64_t now,
                     const struct kpi_params *p, struct kpi_calls *out);
/* Contacts started in [from, to) by outcome and channel into *out (from the rollups when
 * from and to are whole 15-minute buckets). */
int report_kpi_contacts(struct store *st, int64_t from, int64_t to, struct kpi_contacts *out);

/* ---- KPIs over a period, in buckets (GET /api/v1/kpi/calls, /kpi/contacts) ---- */
enum kpi_bucket { KPI_15M, KPI_30M, KPI_1H, KPI_DAY, KPI_MONTH, KPI_YEAR };
#define KPI_MAX_BUCKETS 3000 /* 15 minutes over 31 days is 2976 */

/* "15m", "30m", "1h", "day", "month", "year" → enum kpi_bucket; -1 when unknown. */
int kpi_bucket_parse(const char *s);
/* The start of the bucket after the one starting at t (Istanbul's calendar for day, month,
 * year). Pure. */
int64_t kpi_bucket_next(enum kpi_bucket b, int64_t t);
/* The start of the bucket holding t. Pure. */
int64_t kpi_bucket_floor(enum kpi_bucket b, int64_t t);
/* How many buckets of b cover [from, to) (from aligned to b), at most limit + 1. Pure. */
int kpi_bucket_count(enum kpi_bucket b, int64_t from, int64_t to, int limit);

struct kpi_call_series {
    size_t n;
    int64_t *start;          /* n bucket starts (malloc'd) */
    struct kpi_calls *calls; /* n buckets (malloc'd), finished */
    struct kpi_calls total;  /* finished */
};
struct kpi_contact_series {
    size_t n;
    int64_t *start;
    struct kpi_contacts *contacts;
    struct kpi_contacts total;
};
/* Calls offered in [from, to) (Istanbul days: from and to are midnights) in buckets of b,
 * every bucket present (zeros when empty), matching f (may be NULL), from the rollups with
 * their thresholds (*p receives them). ERR_INVALID when not aligned or over KPI_MAX_BUCKETS.
 * Free with kpi_call_series_release. */
int report_kpi_call_series(struct store *st, int64_t from, int64_t to, enum kpi_bucket b,
                           const struct rollup_filter *f, struct kpi_params *p,
                           struct kpi_call_series *out);
void kpi_call_series_release(struct kpi_call_series *s);
/* Contacts started in [from, to) in buckets of b, as report_kpi_call_series. */
int report_kpi_contact_series(struct store *st, int64_t from, int64_t to, enum kpi_bucket b,
                              struct kpi_contact_series *out);
void kpi_contact_series_release(struct kpi_contact_series *s);

#endif
