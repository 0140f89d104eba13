/* The KPI rollups (store.h "KPI rollups"), backend-independent: a call's or a contact's
 * contribution to its buckets, kept exact as it changes (old contribution out, new one in, in
 * the caller's transaction), and the rebuild from the rows. The backends only add to rows and
 * read them (store_int.h). */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/str.h"
#include "util/xmalloc.h"
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

/* ---- rollup rows kept in memory during an all-or-nothing transaction ----
 * Inside store_begin_all every rollup addition is summed per row key here and written once at
 * the outermost commit (store_rollup_flush), instead of one statement per addition: a day
 * batch of simulate moves each answered call from the no-agent row to its agent's in three
 * spans, then changes it there two or three times, and most of a day's calls share their day
 * and month rows. The sums are exact (every counter is additive; max_wait is the max of the
 * additions', recounted from the calls at the flush when an addition asked for a recount), a
 * row taken to offered 0 (or n 0) is deleted as the addition-by-addition path deletes it, and
 * a read of a rollup in the transaction writes the sums first. A rollback drops them. */
enum pend_kind { PEND_CALL = 1, PEND_CONTACT, PEND_APP };

struct pend_key { /* zero-filled before use: compared and hashed as bytes */
    int64_t start, a, b, c, d;
    int32_t kind, span, bin, pad;
    char s1[CONTACT_LINE_LEN], s2[CONTACT_LINE_LEN];
};

struct pend {
    struct pend_key k;
    int64_t v[9];
    bool recount, neg;
};

struct rollup_pending {
    struct pend *e;
    size_t n, cap;
    uint32_t *slot; /* open addressing: index + 1 into e, 0 = empty */
    size_t nslot;
};

static uint64_t pend_hash(const struct pend_key *k)
{
    const int64_t n[] = { k->start, k->a, k->b, k->c, k->d, k->kind, k->span, k->bin };
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
        h = (h ^ (uint64_t)n[i]) * 1099511628211ull;
    for (const char *s = k->s1; *s; s++) /* the strings up to their end (zero-filled after) */
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    for (const char *s = k->s2; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ^ (h >> 29);
}

static void pend_rehash(struct rollup_pending *p, size_t nslot)
{
    free(p->slot);
    p->slot = xcalloc(nslot, sizeof(*p->slot));
    p->nslot = nslot;
    for (size_t i = 0; i < p->n; i++) {
        size_t j = pend_hash(&p->e[i].k) & (nslot - 1);
        while (p->slot[j])
            j = (j + 1) & (nslot - 1);
        p->slot[j] = (uint32_t)(i + 1);
    }
}

/* The entry of key k, created zero when new. */
static struct pend *pend_get(struct store *st, const struct pend_key *k)
{
    struct rollup_pending *p = st->pending;
    if (!p)
        p = st->pending = xcalloc(1, sizeof(*p));
    if (2 * (p->n + 1) > p->nslot)
        pend_rehash(p, p->nslot ? 2 * p->nslot : 1024);
    size_t j = pend_hash(k) & (p->nslot - 1);
    for (; p->slot[j]; j = (j + 1) & (p->nslot - 1)) {
        struct pend *e = &p->e[p->slot[j] - 1];
        if (memcmp(&e->k, k, sizeof(*k)) == 0)
            return e;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        p->e = xrealloc(p->e, p->cap * sizeof(*p->e));
    }
    struct pend *e = &p->e[p->n];
    memset(e, 0, sizeof(*e));
    e->k = *k;
    p->slot[j] = (uint32_t)(++p->n);
    return e;
}

static bool pend_on(struct store *st)
{
    return st->all_open;
}

static int call_add(struct store *st, int span, const struct call_rollup *d, bool recount)
{
    if (!pend_on(st))
        return st->ops->call_rollup_add(st, span, d, recount);
    struct pend_key k;
    memset(&k, 0, sizeof(k));
    k.kind = PEND_CALL;
    k.span = span;
    k.start = d->start;
    k.a = d->agent_id;
    str_copy(k.s1, sizeof(k.s1), d->queue);
    str_copy(k.s2, sizeof(k.s2), d->line);
    struct pend *e = pend_get(st, &k);
    const int64_t v[] = { d->offered,        d->answered, d->abandoned,  d->short_abandoned,
                          d->answered_in_sl, d->wait_sum, d->handle_sum, d->handled };
    for (int i = 0; i < 8; i++)
        e->v[i] += v[i];
    if (d->max_wait > e->v[8])
        e->v[8] = d->max_wait;
    e->recount |= recount;
    e->neg |= d->offered < 0;
    return ERR_OK;
}

static int contact_add(struct store *st, int span, int64_t start, const char *channel,
                       const char *outcome, int64_t delta)
{
    if (!pend_on(st))
        return st->ops->contact_rollup_add(st, span, start, channel, outcome, delta);
    struct pend_key k;
    memset(&k, 0, sizeof(k));
    k.kind = PEND_CONTACT;
    k.span = span;
    k.start = start;
    str_copy(k.s1, sizeof(k.s1), channel);
    str_copy(k.s2, sizeof(k.s2), outcome);
    pend_get(st, &k)->v[0] += delta;
    return ERR_OK;
}

int rollup_app_add(struct store *st, const struct app_rollup *r, int sign)
{
    if (!pend_on(st))
        return st->ops->rollup_app_add(st, r, sign);
    struct pend_key k;
    memset(&k, 0, sizeof(k));
    k.kind = PEND_APP;
    k.start = r->bucket;
    k.a = r->department_id;
    k.b = r->category_id;
    k.c = r->district_id;
    k.d = r->neighbourhood_id;
    k.bin = r->res_bin;
    str_copy(k.s1, sizeof(k.s1), r->channel);
    str_copy(k.s2, sizeof(k.s2), r->kind);
    struct pend *e = pend_get(st, &k);
    const int64_t v[] = { r->n,        r->open,        r->resolved, r->in_deadline,
                          r->returned, r->transferred, r->reopened };
    for (int i = 0; i < 7; i++)
        e->v[i] += sign * v[i];
    return ERR_OK;
}

static int pend_write(struct store *st, const struct pend *e)
{
    const struct pend_key *k = &e->k;
    bool zero = true;
    for (int i = 0; i < 9; i++)
        zero = zero && e->v[i] == 0;
    if (k->kind == PEND_CONTACT) /* a row summed to no change: as it was (or deleted again) */
        return e->v[0] == 0
                   ? ERR_OK
                   : st->ops->contact_rollup_add(st, k->span, k->start, k->s1, k->s2, e->v[0]);
    if (k->kind == PEND_APP) { /* written even when zero: the rows an addition creates */
        struct app_rollup r;
        memset(&r, 0, sizeof(r));
        r.bucket = k->start;
        r.department_id = k->a;
        r.category_id = k->b;
        r.district_id = k->c;
        r.neighbourhood_id = k->d;
        r.res_bin = k->bin;
        str_copy(r.channel, sizeof(r.channel), k->s1);
        str_copy(r.kind, sizeof(r.kind), k->s2);
        r.n = e->v[0];
        r.open = e->v[1];
        r.resolved = e->v[2];
        r.in_deadline = e->v[3];
        r.returned = e->v[4];
        r.transferred = e->v[5];
        r.reopened = e->v[6];
        return st->ops->rollup_app_add(st, &r, 1);
    }
    if (zero && !e->recount)
        return ERR_OK;
    struct call_rollup d;
    memset(&d, 0, sizeof(d));
    d.start = k->start;
    d.agent_id = k->a;
    str_copy(d.queue, sizeof(d.queue), k->s1);
    str_copy(d.line, sizeof(d.line), k->s2);
    int64_t *v[] = { &d.offered,         &d.answered,       &d.abandoned,
                     &d.short_abandoned, &d.answered_in_sl, &d.wait_sum,
                     &d.handle_sum,      &d.handled,        &d.max_wait };
    for (int i = 0; i < 9; i++)
        *v[i] = e->v[i];
    /* a row some addition took to offered 0 is deleted there; the sum may be 0 */
    return st->ops->call_rollup_add(st, k->span, &d, e->recount || (e->neg && d.offered == 0));
}

void store_rollup_drop(struct store *st)
{
    if (st->pending) {
        st->pending->n = 0;
        if (st->pending->slot)
            memset(st->pending->slot, 0, st->pending->nslot * sizeof(*st->pending->slot));
    }
}

int store_rollup_flush(struct store *st)
{
    struct rollup_pending *p = st->pending;
    if (!p || !p->n)
        return ERR_OK;
    int rc = ERR_OK;
    for (size_t i = 0; i < p->n && rc == ERR_OK; i++)
        rc = pend_write(st, &p->e[i]);
    store_rollup_drop(st);
    return rc;
}

void store_rollup_free(struct store *st)
{
    if (st->pending) {
        free(st->pending->e);
        free(st->pending->slot);
        free(st->pending);
        st->pending = NULL;
    }
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
            int rc = call_add(st, spans[i], &b, false);
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
        int rc = call_add(st, spans[i], out, recount);
        if (rc == ERR_OK && !same)
            rc = call_add(st, spans[i], &b, false);
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
        int rc = contact_add(st, spans[i], store_rollup_bucket(spans[i], c->started_at), c->channel,
                             outcome, delta);
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
    int rc = store_rollup_flush(st);
    if (rc != ERR_OK)
        return rc;
    return st->ops->call_rollup_each(st, span, from, to ? to : INT64_MAX, f ? f : &any, fn, ctx);
}

int store_contact_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                              int (*fn)(void *ctx, int64_t start, const char *channel,
                                        const char *outcome, int64_t n),
                              void *ctx)
{
    if (span != ROLLUP_15M && span != ROLLUP_DAY && span != ROLLUP_MONTH)
        return ERR_INVALID;
    int rc = store_rollup_flush(st);
    if (rc != ERR_OK)
        return rc;
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
    if ((rc = store_rollup_flush(st)) == ERR_OK &&
        (rc = st->ops->rollup_reset(st, TIME_ISTANBUL_OFFSET)) == ERR_OK &&
        (rc = st->ops->call_each(st, 0, INT64_MAX, rebuild_call, &x)) == ERR_OK)
        rc = x.rc;
    if (rc == ERR_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}
