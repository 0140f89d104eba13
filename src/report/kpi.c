#include "report/kpi.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static void rollup_to_kpi(const struct call_rollup *r, struct kpi_calls *k)
{
    memset(k, 0, sizeof(*k));
    k->offered = r->offered;
    k->answered = r->answered;
    k->abandoned = r->abandoned;
    k->short_abandoned = r->short_abandoned;
    k->waiting = r->offered - r->answered - r->abandoned;
    k->answered_in_sl = r->answered_in_sl;
    k->wait_sum_s = r->wait_sum;
    k->handle_sum_s = r->handle_sum;
    k->handled = r->handled;
    k->max_wait_s = r->max_wait;
}

void kpi_call_add(struct kpi_calls *k, const struct call *c, int64_t now,
                  const struct kpi_params *p)
{
    struct call_rollup r; /* one definition of a call's counts: the rollups' */
    store_call_contribution(c, ROLLUP_15M, p->sl_s, p->short_s, &r);
    struct kpi_calls one;
    rollup_to_kpi(&r, &one);
    if (one.waiting && now - c->offered_at > one.longest_waiting_s)
        one.longest_waiting_s = now - c->offered_at;
    kpi_calls_merge(k, &one);
}

void kpi_calls_merge(struct kpi_calls *k, const struct kpi_calls *a)
{
    k->offered += a->offered;
    k->answered += a->answered;
    k->abandoned += a->abandoned;
    k->short_abandoned += a->short_abandoned;
    k->waiting += a->waiting;
    k->answered_in_sl += a->answered_in_sl;
    k->wait_sum_s += a->wait_sum_s;
    k->handle_sum_s += a->handle_sum_s;
    k->handled += a->handled;
    if (a->max_wait_s > k->max_wait_s)
        k->max_wait_s = a->max_wait_s;
    if (a->longest_waiting_s > k->longest_waiting_s)
        k->longest_waiting_s = a->longest_waiting_s;
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

static int64_t align_up(int64_t t, int64_t span)
{
    int64_t f = store_rollup_bucket((int)span, t);
    return f == t ? t : f + span;
}

static bool day_aligned(int64_t t)
{
    return store_rollup_bucket(ROLLUP_DAY, t) == t;
}

static int64_t month_up(int64_t t)
{
    int64_t f = store_rollup_bucket(ROLLUP_MONTH, t);
    return f == t ? t : store_rollup_bucket_end(ROLLUP_MONTH, f);
}

/* The rollups of [from, to) (Istanbul midnights), by start: the day rows, or with months the
 * month rows of the whole months in it and the day rows of the rest. */
static int calls_days(struct store *st, int64_t from, int64_t to, bool months,
                      const struct rollup_filter *f,
                      int (*fn)(void *ctx, const struct call_rollup *r), void *ctx)
{
    int64_t m1 = month_up(from), m2 = store_rollup_bucket(ROLLUP_MONTH, to);
    if (!months || m1 >= m2)
        return store_call_rollup_each(st, ROLLUP_DAY, from, to, f, fn, ctx);
    int rc = from < m1 ? store_call_rollup_each(st, ROLLUP_DAY, from, m1, f, fn, ctx) : ERR_OK;
    if (rc == ERR_OK)
        rc = store_call_rollup_each(st, ROLLUP_MONTH, m1, m2, f, fn, ctx);
    if (rc == ERR_OK && m2 < to)
        rc = store_call_rollup_each(st, ROLLUP_DAY, m2, to, f, fn, ctx);
    return rc;
}

static int contacts_days(struct store *st, int64_t from, int64_t to, bool months,
                         int (*fn)(void *ctx, int64_t start, const char *channel,
                                   const char *outcome, int64_t n),
                         void *ctx)
{
    int64_t m1 = month_up(from), m2 = store_rollup_bucket(ROLLUP_MONTH, to);
    if (!months || m1 >= m2)
        return store_contact_rollup_each(st, ROLLUP_DAY, from, to, fn, ctx);
    int rc = from < m1 ? store_contact_rollup_each(st, ROLLUP_DAY, from, m1, fn, ctx) : ERR_OK;
    if (rc == ERR_OK)
        rc = store_contact_rollup_each(st, ROLLUP_MONTH, m1, m2, fn, ctx);
    if (rc == ERR_OK && m2 < to)
        rc = store_contact_rollup_each(st, ROLLUP_DAY, m2, to, fn, ctx);
    return rc;
}

static int scan(struct store *st, int64_t from, int64_t to, struct calls_ctx *x)
{
    return from < to ? store_call_each(st, from, to, call_one, x) : ERR_OK;
}

static int rollup_one(void *ctx, const struct call_rollup *r)
{
    struct kpi_calls one;
    rollup_to_kpi(r, &one);
    kpi_calls_merge(ctx, &one);
    return 0;
}

static int waiting_one(void *ctx, const struct call *c)
{
    struct calls_ctx *x = ctx;
    if (!c->answered_at && !c->abandoned_at && !c->ended_at &&
        x->now - c->offered_at > x->k->longest_waiting_s)
        x->k->longest_waiting_s = x->now - c->offered_at;
    return 0;
}

int report_kpi_calls(struct store *st, int64_t from, int64_t to, int64_t now,
                     const struct kpi_params *p, struct kpi_calls *out)
{
    struct calls_ctx x = { .k = out, .now = now, .p = p };
    int sl_s, short_s, rc;
    int64_t hi = to ? to : INT64_MAX - ROLLUP_DAY;
    memset(out, 0, sizeof(*out));
    store_rollup_thresholds(st, &sl_s, &short_s);
    int64_t a = align_up(from, ROLLUP_15M), b = store_rollup_bucket(ROLLUP_15M, hi);
    if (sl_s != p->sl_s || short_s != p->short_s || a >= b) {
        rc = scan(st, from, hi, &x); /* other thresholds, or under a bucket: count the calls */
    } else {
        rc = scan(st, from, a, &x);
        if (rc == ERR_OK && day_aligned(a) && day_aligned(b))
            rc = calls_days(st, a, b, true, NULL, rollup_one, out);
        else if (rc == ERR_OK)
            rc = store_call_rollup_each(st, ROLLUP_15M, a, b, NULL, rollup_one, out);
        if (rc == ERR_OK)
            rc = scan(st, b, hi, &x);
        if (rc == ERR_OK && out->waiting > 0) {
            int64_t lo = from > now - ROLLUP_DAY ? from : now - ROLLUP_DAY;
            int64_t up = hi < now + 1 ? hi : now + 1;
            if (lo < up)
                rc = store_call_each(st, lo, up, waiting_one, &x);
        }
    }
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

static void channel_add(struct kpi_contacts *k, const char *key, int64_t n)
{
    for (int i = 0; i < k->nchannels; i++)
        if (strcmp(k->by_channel[i].channel, key) == 0) {
            k->by_channel[i].n += n;
            return;
        }
    if (k->nchannels < (int)(sizeof(k->by_channel) / sizeof(k->by_channel[0]))) {
        str_copy(k->by_channel[k->nchannels].channel, sizeof(k->by_channel[0].channel), key);
        k->by_channel[k->nchannels++].n = n;
    }
}

static int by_channel(void *ctx, const char *key, int64_t n)
{
    channel_add(ctx, key, n);
    return 0;
}

static void contacts_add(struct kpi_contacts *k, const char *channel, const char *outcome,
                         int64_t n)
{
    by_outcome(k, outcome, n);
    channel_add(k, channel, n);
}

static void contacts_finish(struct kpi_contacts *k)
{
    k->open = k->by_outcome[OUTCOME_NONE];
    int64_t closed = k->total - k->open;
    k->instant_info_share =
        closed > 0 ? (double)k->by_outcome[OUTCOME_INSTANT_INFO] / (double)closed : 0;
}

static int contact_rollup_one(void *ctx, int64_t start, const char *channel, const char *outcome,
                              int64_t n)
{
    (void)start;
    contacts_add(ctx, channel, outcome, n);
    return 0;
}

int report_kpi_contacts(struct store *st, int64_t from, int64_t to, struct kpi_contacts *out)
{
    int rc;
    memset(out, 0, sizeof(*out));
    if (to && from < to && store_rollup_bucket(ROLLUP_15M, from) == from &&
        store_rollup_bucket(ROLLUP_15M, to) == to) {
        rc = day_aligned(from) && day_aligned(to)
                 ? contacts_days(st, from, to, true, contact_rollup_one, out)
                 : store_contact_rollup_each(st, ROLLUP_15M, from, to, contact_rollup_one, out);
    } else {
        rc = store_contact_group_count(st, "outcome", from, to, by_outcome, out);
        if (rc == ERR_OK)
            rc = store_contact_group_count(st, "channel", from, to, by_channel, out);
    }
    contacts_finish(out);
    return rc;
}

/* ---- series ---- */

/* clang-format off */
static const char *const bucket_names[] = {
    [KPI_15M] = "15m", [KPI_30M] = "30m", [KPI_1H] = "1h",
    [KPI_DAY] = "day", [KPI_MONTH] = "month", [KPI_YEAR] = "year",
};
/* clang-format on */

int kpi_bucket_parse(const char *s)
{
    for (int i = 0; s && i < (int)(sizeof(bucket_names) / sizeof(bucket_names[0])); i++)
        if (strcmp(s, bucket_names[i]) == 0)
            return i;
    return -1;
}

static int64_t fixed_span(enum kpi_bucket b)
{
    return b == KPI_15M ? 900 : b == KPI_30M ? 1800 : b == KPI_1H ? 3600 : 86400;
}

int64_t kpi_bucket_floor(enum kpi_bucket b, int64_t t)
{
    if (b == KPI_DAY || b == KPI_MONTH || b == KPI_YEAR) {
        struct civil_date d = time_civil_from_days(time_istanbul_day(t));
        int64_t day = b == KPI_DAY     ? time_istanbul_day(t)
                      : b == KPI_MONTH ? time_days_from_civil(d.year, d.month, 1)
                                       : time_days_from_civil(d.year, 1, 1);
        return day * 86400 - TIME_ISTANBUL_OFFSET;
    }
    /* 15 minutes, 30 minutes and an hour divide Istanbul's whole-hour offset: UTC-aligned */
    int64_t span = fixed_span(b), q = t / span;
    return (t % span != 0 && t < 0 ? q - 1 : q) * span;
}

int64_t kpi_bucket_next(enum kpi_bucket b, int64_t t)
{
    if (b == KPI_MONTH || b == KPI_YEAR) {
        struct civil_date d = time_civil_from_days(time_istanbul_day(t));
        int64_t day = b == KPI_YEAR   ? time_days_from_civil(d.year + 1, 1, 1)
                      : d.month == 12 ? time_days_from_civil(d.year + 1, 1, 1)
                                      : time_days_from_civil(d.year, d.month + 1, 1);
        return day * 86400 - TIME_ISTANBUL_OFFSET;
    }
    return kpi_bucket_floor(b, t) + fixed_span(b);
}

int kpi_bucket_count(enum kpi_bucket b, int64_t from, int64_t to, int limit)
{
    int n = 0;
    for (int64_t t = from; t < to && n <= limit; t = kpi_bucket_next(b, t))
        n++;
    return n;
}

/* The bucket starts of [from, to): the first is from, the others b's boundaries. */
static int series_starts(int64_t from, int64_t to, enum kpi_bucket b, int64_t **out, size_t *n)
{
    if (from >= to || !day_aligned(from) || !day_aligned(to))
        return ERR_INVALID;
    int c = kpi_bucket_count(b, from, to, KPI_MAX_BUCKETS);
    if (c > KPI_MAX_BUCKETS)
        return ERR_INVALID;
    int64_t *v = xmalloc((size_t)c * sizeof(*v));
    int i = 0;
    for (int64_t t = from; t < to; t = kpi_bucket_next(b, t))
        v[i++] = t;
    *out = v;
    *n = (size_t)c;
    return ERR_OK;
}

/* The bucket of t in starts[0..n) (sorted), searching from *i on (rows come by start). */
static size_t bucket_of(const int64_t *starts, size_t n, size_t *i, int64_t t)
{
    while (*i + 1 < n && starts[*i + 1] <= t)
        (*i)++;
    return *i;
}

struct series_ctx {
    struct kpi_call_series *cs;
    struct kpi_contact_series *ks;
    size_t i;
};

static int series_call(void *ctx, const struct call_rollup *r)
{
    struct series_ctx *x = ctx;
    struct kpi_calls one;
    rollup_to_kpi(r, &one);
    size_t i = bucket_of(x->cs->start, x->cs->n, &x->i, r->start);
    kpi_calls_merge(&x->cs->calls[i], &one);
    kpi_calls_merge(&x->cs->total, &one);
    return 0;
}

int report_kpi_call_series(struct store *st, int64_t from, int64_t to, enum kpi_bucket b,
                           const struct rollup_filter *f, struct kpi_params *p,
                           struct kpi_call_series *out)
{
    memset(out, 0, sizeof(*out));
    store_rollup_thresholds(st, &p->sl_s, &p->short_s);
    int rc = series_starts(from, to, b, &out->start, &out->n);
    if (rc != ERR_OK)
        return rc;
    out->calls = xcalloc(out->n, sizeof(*out->calls));
    struct series_ctx x = { .cs = out };
    rc = b <= KPI_1H ? store_call_rollup_each(st, ROLLUP_15M, from, to, f, series_call, &x)
                     : calls_days(st, from, to, b >= KPI_MONTH, f, series_call, &x);
    for (size_t i = 0; i < out->n; i++)
        kpi_calls_finish(&out->calls[i]);
    kpi_calls_finish(&out->total);
    if (rc != ERR_OK)
        kpi_call_series_release(out);
    return rc;
}

void kpi_call_series_release(struct kpi_call_series *s)
{
    free(s->start);
    free(s->calls);
    s->start = NULL;
    s->calls = NULL;
    s->n = 0;
}

static int series_contact(void *ctx, int64_t start, const char *channel, const char *outcome,
                          int64_t n)
{
    struct series_ctx *x = ctx;
    size_t i = bucket_of(x->ks->start, x->ks->n, &x->i, start);
    contacts_add(&x->ks->contacts[i], channel, outcome, n);
    contacts_add(&x->ks->total, channel, outcome, n);
    return 0;
}

int report_kpi_contact_series(struct store *st, int64_t from, int64_t to, enum kpi_bucket b,
                              struct kpi_contact_series *out)
{
    memset(out, 0, sizeof(*out));
    int rc = series_starts(from, to, b, &out->start, &out->n);
    if (rc != ERR_OK)
        return rc;
    out->contacts = xcalloc(out->n, sizeof(*out->contacts));
    struct series_ctx x = { .ks = out };
    rc = b <= KPI_1H ? store_contact_rollup_each(st, ROLLUP_15M, from, to, series_contact, &x)
                     : contacts_days(st, from, to, b >= KPI_MONTH, series_contact, &x);
    for (size_t i = 0; i < out->n; i++)
        contacts_finish(&out->contacts[i]);
    contacts_finish(&out->total);
    if (rc != ERR_OK)
        kpi_contact_series_release(out);
    return rc;
}

void kpi_contact_series_release(struct kpi_contact_series *s)
{
    free(s->start);
    free(s->contacts);
    s->start = NULL;
    s->contacts = NULL;
    s->n = 0;
}
