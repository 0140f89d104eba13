/* The KPI rollups (store.h "KPI rollups"), backend-independent: a call's or a contact's
 * contribution to its buckets, kept exact as it changes (old contribution out, new one in, in
 * the caller's transaction), and the rebuild from the rows. The backends only add to rows and
 * read them (store_int.h). */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define SL_DEFAULT 20
#define SHORT_DEFAULT 5

static const int spans[] = { ROLLUP_15M, ROLLUP_DAY, ROLLUP_MONTH };
#define NSPANS (int)(sizeof(spans) / sizeof(spans[0]))

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t store_rollup_bucket(int span, int64_t t)
{
    if (span == ROLLUP_DAY) /* Istanbul's midnight: the offset lives in util/timeutil.h */
        return floor_div(t + TIME_ISTANBUL_OFFSET, 86400) * 86400 - TIME_ISTANBUL_OFFSET;
    if (span == ROLLUP_MONTH) {
        struct civil_date d = time_civil_from_days(time_istanbul_day(t));
        return time_days_from_civil(d.year, d.month, 1) * 86400 - TIME_ISTANBUL_OFFSET;
    }
    return floor_div(t, span) * span;
}

int64_t store_rollup_bucket_end(int span, int64_t start)
{
    if (span == ROLLUP_MONTH) /* the 1st of the month after: 32 days on is always in it */
        return store_rollup_bucket(ROLLUP_MONTH, start + 32 * 86400);
    return start + span;
}

static int setting_int(struct store *st, const char *key, int def, int lo, int hi)
{
    char v[32];
    if (st->ops->setting_get(st, key, v, sizeof(v)) != ERR_OK || !v[0])
        return def;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    return *end || n < lo || n > hi ? def : (int)n;
}

int store_rollup_thresholds(struct store *st, int *sl_s, int *short_s)
{
    if (st->kpi_known && st->ops->tx_depth(st) > 0) { /* read once a transaction */
        *sl_s = st->kpi_sl_s;
        *short_s = st->kpi_short_s;
        return ERR_OK;
    }
    *sl_s = setting_int(st, "kpi_sl_s", SL_DEFAULT, 1, 3600);
    *short_s = setting_int(st, "kpi_short_s", SHORT_DEFAULT, 0, 600);
    st->kpi_known = st->ops->tx_depth(st) > 0;
    st->kpi_sl_s = *sl_s;
    st->kpi_short_s = *short_s;
    return ERR_OK;
}

void store_call_contribution(const struct call *c, int span, int sl_s, int short_s,
                             struct call_rollup *out)
{
    memset(out, 0, sizeof(*out));
    out->start = store_rollup_bucket(span, c->offered_at);
    str_copy(out->queue, sizeof(out->queue), c->queue);
    str_copy(out->line, sizeof(out->line), c->line);
    out->agent_id = c->agent_id;
    out->offered = 1;
    if (c->answered_at) {
        int64_t wait = c->answered_at - c->offered_at;
        out->answered = 1;
        out->wait_sum = wait;
        out->answered_in_sl = wait <= sl_s;
        out->max_wait = wait;
        if (c->ended_at) {
            int64_t handle = c->ended_at - c->answered_at;
            if (c->contact_closed_at > c->ended_at)
                handle += c->contact_closed_at - c->ended_at;
            out->handle_sum = handle;
            out->handled = 1;
        }
    } else if (c->abandoned_at || c->ended_at) {
        int64_t wait = (c->abandoned_at ? c->abandoned_at : c->ended_at) - c->offered_at;
        out->abandoned = 1;
        out->short_abandoned = wait < short_s;
        out->max_wait = wait;
    }
}

static bool waited(const struct call_rollup *r)
{
    return r->answered || r->abandoned;
}

static bool same_key(const struct call_rollup *a, const struct call_rollup *b)
{
    return a->start == b->start && a->agent_id == b->agent_id && strcmp(a->queue, b->queue) == 0 &&
           strcmp(a->line, b->line) == 0;
}

/* Move a call's contribution from old (NULL: it had none) to now. When both fall in the same
 * bucket (the common case: an event that only changes the counters), the difference is added
 * in one statement instead of taking the old contribution out and putting the new one in. */
static int call_move(struct store *st, const struct call *old, const struct call *now)
{
    int sl_s, short_s;
    store_rollup_thresholds(st, &sl_s, &short_s);
    for (int i = 0; i < NSPANS; i++) {
        struct call_rollup a, b;
        store_call_contribution(now, spans[i], sl_s, short_s, &b);
        if (!old) {
            int rc = st->ops->call_rollup_add(st, spans[i], &b, false);
            if (rc != ERR_OK)
                return rc;
            continue;
        }
        store_call_contribution(old, spans[i], sl_s, short_s, &a);
        if (memcmp(&a, &b, sizeof(a)) == 0)
            continue;
        /* the old wait may have been the bucket's longest: recount when it went away */
        bool same = same_key(&a, &b);
        bool recount = waited(&a) && (!same || !waited(&b) || b.max_wait < a.max_wait);
        struct call_rollup *out = same ? &b : &a; /* same bucket: b becomes b - a */
        out->offered = b.offered * same - a.offered;
        out->answered = b.answered * same - a.answered;
        out->abandoned = b.abandoned * same - a.abandoned;
        out->short_abandoned = b.short_abandoned * same - a.short_abandoned;
        out->answered_in_sl = b.answered_in_sl * same - a.answered_in_sl;
        out->wait_sum = b.wait_sum * same - a.wait_sum;
        out->handle_sum = b.handle_sum * same - a.handle_sum;
        out->handled = b.handled * same - a.handled;
        if (!same)
            a.max_wait = 0;
        int rc = st->ops->call_rollup_add(st, spans[i], out, recount);
        if (rc == ERR_OK && !same)
            rc = st->ops->call_rollup_add(st, spans[i], &b, false);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

int rollup_call_save(struct store *st, struct call *c)
{
    struct call old;
    bool had = false;
    if (c->id) {
        int rc = c->ref[0] ? st->ops->call_get(st, c->ref, &old) : ERR_INVALID;
        if (rc != ERR_OK)
            return rc; /* an update needs its ref (the old row is found by it) */
        had = old.id == c->id;
        if (!had)
            return ERR_INVALID;
    }
    int rc = st->ops->call_save(st, c);
    if (rc != ERR_OK)
        return rc;
    struct call now = *c;
    now.contact_closed_at = had ? old.contact_closed_at : 0; /* its contact did not change */
    return call_move(st, had ? &old : NULL, &now);
}

int rollup_call_update(struct store *st, const struct call *old, struct call *c)
{
    int rc = st->ops->call_save(st, c);
    if (rc != ERR_OK)
        return rc;
    struct call now = *c;
    now.contact_closed_at = old->contact_closed_at; /* its contact did not change */
    return call_move(st, old, &now);
}

static int contact_count(struct store *st, const struct contact *c, const char *outcome,
                         int64_t delta)
{
    for (int i = 0; i < NSPANS; i++) {
        int rc = st->ops->contact_rollup_add(
            st, spans[i], store_rollup_bucket(spans[i], c->started_at), c->channel, outcome, delta);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* After contact id was created or closed: its call's wrap-up ended (closed_before: when it had
 * ended before, 0 = open or no contact). */
static int contact_call(struct store *st, const char *call_ref, int64_t closed_before)
{
    struct call now;
    if (!call_ref[0])
        return ERR_OK;
    int rc = st->ops->call_get(st, call_ref, &now);
    if (rc != ERR_OK)
        return rc;
    struct call old = now;
    old.contact_closed_at = closed_before;
    return call_move(st, &old, &now);
}

int rollup_contact_create(struct store *st, struct contact *c)
{
    int rc = st->ops->contact_create(st, c);
    if (rc != ERR_OK)
        return rc;
    rc = contact_count(st, c, c->outcome ? contact_outcome_name(c->outcome) : "", 1);
    if (rc != ERR_OK || !c->call_id || !c->outcome)
        return rc;
    struct contact g;
    if ((rc = st->ops->contact_get(st, c->id, &g)) != ERR_OK)
        return rc;
    rc = contact_call(st, g.call_ref, 0);
    contact_release(&g);
    return rc;
}

int rollup_contact_close(struct store *st, const struct contact *c)
{
    struct contact old;
    int rc = st->ops->contact_get(st, c->id, &old);
    if (rc != ERR_OK)
        return rc == ERR_NOT_FOUND ? st->ops->contact_close(st, c) : rc;
    if ((rc = st->ops->contact_close(st, c)) == ERR_OK) {
        rc = contact_count(st, &old, old.outcome ? contact_outcome_name(old.outcome) : "", -1);
        if (rc == ERR_OK)
            rc = contact_count(st, &old, contact_outcome_name(c->outcome), 1);
        if (rc == ERR_OK)
            rc = contact_call(st, old.call_ref, 0);
    }
    contact_release(&old);
    return rc;
}

int store_call_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                           const struct rollup_filter *f,
                           int (*fn)(void *ctx, const struct call_rollup *r), void *ctx)
{
    static const struct rollup_filter any = { 0 };
    if (span != ROLLUP_15M && span != ROLLUP_DAY && span != ROLLUP_MONTH)
        return ERR_INVALID;
    return st->ops->call_rollup_each(st, span, from, to ? to : INT64_MAX, f ? f : &any, fn, ctx);
}

int store_contact_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                              int (*fn)(void *ctx, int64_t start, const char *channel,
                                        const char *outcome, int64_t n),
                              void *ctx)
{
    if (span != ROLLUP_15M && span != ROLLUP_DAY && span != ROLLUP_MONTH)
        return ERR_INVALID;
    return st->ops->contact_rollup_each(st, span, from, to ? to : INT64_MAX, fn, ctx);
}

struct rebuild_ctx {
    int rc;
    struct store *st;
};

static int rebuild_call(void *ctx, const struct call *c)
{
    struct rebuild_ctx *x = ctx;
    x->rc = call_move(x->st, NULL, c);
    return x->rc != ERR_OK;
}

int store_rollup_rebuild(struct store *st)
{
    struct rebuild_ctx x = { .rc = ERR_OK, .st = st };
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return rc;
    if ((rc = st->ops->rollup_reset(st, TIME_ISTANBUL_OFFSET)) == ERR_OK &&
        (rc = st->ops->call_each(st, 0, INT64_MAX, rebuild_call, &x)) == ERR_OK)
        rc = x.rc;
    if (rc == ERR_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}
