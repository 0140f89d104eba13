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
/* Calls offered in [from, to) into *out (finished). */
int report_kpi_calls(struct store *st, int64_t from, int64_t to, int64_t now,
                     const struct kpi_params *p, struct kpi_calls *out);
/* Contacts started in [from, to) by outcome and channel into *out. */
int report_kpi_contacts(struct store *st, int64_t from, int64_t to, struct kpi_contacts *out);

#endif
