#include "report/kpi.h"

#include <string.h>

#include "util/str.h"
#include "util/banned.h"

void kpi_call_add(struct kpi_calls *k, const struct call *c, int64_t now,
                  const struct kpi_params *p)
{
    k->offered++;
    if (c->answered_at) {
        int64_t wait = c->answered_at - c->offered_at;
        k->answered++;
        k->wait_sum_s += wait;
        if (wait <= p->sl_s)
            k->answered_in_sl++;
        if (wait > k->max_wait_s)
            k->max_wait_s = wait;
        if (c->ended_at) {
            int64_t handle = c->ended_at - c->answered_at;
            if (c->contact_closed_at > c->ended_at)
                handle += c->contact_closed_at - c->ended_at;
            k->handle_sum_s += handle;
            k->handled++;
        }
    } else if (c->abandoned_at || c->ended_at) {
        int64_t end = c->abandoned_at ? c->abandoned_at : c->ended_at;
        int64_t wait = end - c->offered_at;
        k->abandoned++;
        if (wait < p->short_s)
            k->short_abandoned++;
        if (wait > k->max_wait_s)
            k->max_wait_s = wait;
    } else {
        k->waiting++;
        if (now - c->offered_at > k->longest_waiting_s)
            k->longest_waiting_s = now - c->offered_at;
    }
}

void kpi_calls_finish(struct kpi_calls *k)
{
    int64_t base = k->answered + k->abandoned - k->short_abandoned;
    k->answer_rate = base > 0 ? (double)k->answered / (double)base : 0;
    k->service_level = base > 0 ? (double)k->answered_in_sl / (double)base : 0;
    k->asa_s = k->answered ? (double)k->wait_sum_s / (double)k->answered : 0;
    k->aht_s = k->handled ? (double)k->handle_sum_s / (double)k->handled : 0;
}

struct calls_ctx {
    struct kpi_calls *k;
    int64_t now;
    const struct kpi_params *p;
};

static int call_one(void *ctx, const struct call *c)
{
    struct calls_ctx *x = ctx;
    kpi_call_add(x->k, c, x->now, x->p);
    return 0;
}

int report_kpi_calls(struct store *st, int64_t from, int64_t to, int64_t now,
                     const struct kpi_params *p, struct kpi_calls *out)
{
    struct calls_ctx x = { .k = out, .now = now, .p = p };
    memset(out, 0, sizeof(*out));
    int rc = store_call_each(st, from, to, call_one, &x);
    kpi_calls_finish(out);
    return rc;
}

static int by_outcome(void *ctx, const char *key, int64_t n)
{
    struct kpi_contacts *k = ctx;
    int o = *key ? contact_outcome_parse(key) : OUTCOME_NONE;
    if (o >= 0)
        k->by_outcome[o] += n;
    k->total += n;
    return 0;
}

static int by_channel(void *ctx, const char *key, int64_t n)
{
    struct kpi_contacts *k = ctx;
    if (k->nchannels < (int)(sizeof(k->by_channel) / sizeof(k->by_channel[0]))) {
        str_copy(k->by_channel[k->nchannels].channel, sizeof(k->by_channel[0].channel), key);
        k->by_channel[k->nchannels++].n = n;
    }
    return 0;
}

int report_kpi_contacts(struct store *st, int64_t from, int64_t to, struct kpi_contacts *out)
{
    memset(out, 0, sizeof(*out));
    int rc = store_contact_group_count(st, "outcome", from, to, by_outcome, out);
    if (rc == ERR_OK)
        rc = store_contact_group_count(st, "channel", from, to, by_channel, out);
    out->open = out->by_outcome[OUTCOME_NONE];
    int64_t closed = out->total - out->open;
    out->instant_info_share =
        closed > 0 ? (double)out->by_outcome[OUTCOME_INSTANT_INFO] / (double)closed : 0;
    return rc;
}
