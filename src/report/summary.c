/* The centre's report for a period (summary.h), computed from the application rollups
 * (store.h, "application rollups"), the call and contact KPIs (kpi.h) and a few bounded reads
 * of rows (overdue now, recurring suggestions, comebacks). docs/REPORTS.md, "How it is
 * computed", describes the choices. */
#include "report/summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "model/place.h"
#include "report/population.h"
#include "report/report.h"
#include "report/satisfaction.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define MAX_DAYS 366
#define TOP_CATEGORIES 20
#define TOP_NEIGHBOURHOODS 50
#define TOP_RISING 10
#define TOP_SUGGESTIONS 10
#define TOP_COMEBACKS 20
#define SUGGESTION_TEXTS 500  /* the newest öneri texts of the period that are grouped */
#define SUGGESTION_GROUPS 300 /* at most this many groups are kept while grouping */
#define SUGGESTION_JACCARD 0.5
#define COMEBACK_ROWS 5000 /* the newest complaints of the period looked at for comebacks */

/* ---- small maps: id → accumulator ---- */

enum { A_N, A_OPEN, A_RESOLVED, A_IN_DEADLINE, A_RETURNED, A_TRANSFERRED, A_REOPENED, A_X, A__N };

struct acc {
    int64_t id;
    char key[MODEL_CODE_LEN];
    int64_t v[A__N];
    int64_t *hist; /* ROLLUP_RES_BINS counts, departments only */
};

struct accs {
    struct acc *v;
    size_t n, cap;
    size_t *slot; /* open addressing by id: index + 1, 0 = empty */
    size_t nslot;
};

static void accs_free(struct accs *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i].hist);
    free(a->v);
    free(a->slot);
    memset(a, 0, sizeof(*a));
}

static struct acc *accs_push(struct accs *a)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
    }
    struct acc *x = &a->v[a->n++];
    memset(x, 0, sizeof(*x));
    return x;
}

static size_t hash_id(int64_t id, size_t mask)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & mask;
}

static struct acc *accs_id(struct accs *a, int64_t id)
{
    if ((a->n + 1) * 2 > a->nslot) {
        size_t ns = a->nslot ? a->nslot * 2 : 64;
        free(a->slot);
        a->slot = xcalloc(ns, sizeof(*a->slot));
        a->nslot = ns;
        for (size_t i = 0; i < a->n; i++) {
            size_t h = hash_id(a->v[i].id, ns - 1);
            while (a->slot[h])
                h = (h + 1) & (ns - 1);
            a->slot[h] = i + 1;
        }
    }
    size_t h = hash_id(id, a->nslot - 1);
    while (a->slot[h]) {
        if (a->v[a->slot[h] - 1].id == id)
            return &a->v[a->slot[h] - 1];
        h = (h + 1) & (a->nslot - 1);
    }
    struct acc *x = accs_push(a);
    x->id = id;
    a->slot[h] = a->n;
    return x;
}

/* by text key (a few channels and kinds: a linear search) */
static struct acc *accs_key(struct accs *a, const char *key)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].key, key) == 0)
            return &a->v[i];
    struct acc *x = accs_push(a);
    str_copy(x->key, sizeof(x->key), key);
    return x;
}

static void acc_add(struct acc *x, const struct app_rollup *r)
{
    x->v[A_N] += r->n;
    x->v[A_OPEN] += r->open;
    x->v[A_RESOLVED] += r->resolved;
    x->v[A_IN_DEADLINE] += r->in_deadline;
    x->v[A_RETURNED] += r->returned;
    x->v[A_TRANSFERRED] += r->transferred;
    x->v[A_REOPENED] += r->reopened;
}

static int cmp_acc_n_desc(const void *pa, const void *pb)
{
    const struct acc *a = pa, *b = pb;
    if (a->v[A_N] != b->v[A_N])
        return a->v[A_N] < b->v[A_N] ? 1 : -1;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return strcmp(a->key, b->key);
}

static void accs_sort(struct accs *a)
{
    if (a->n) /* qsort(NULL, 0, …) is undefined */
        qsort(a->v, a->n, sizeof(*a->v), cmp_acc_n_desc);
    free(a->slot); /* the order changed: no more lookups */
    a->slot = NULL;
    a->nslot = 0;
}

/* ---- the histogram ---- */

double report_hist_quantile(const int64_t *bins, size_t nbins, double q)
{
    int64_t total = 0;
    for (size_t i = 0; i < nbins; i++)
        total += bins[i];
    if (total <= 0)
        return NAN;
    /* nearest rank: the smallest value with at least q of the observations at or below it */
    int64_t rank = (int64_t)ceil(q * (double)total);
    if (rank < 1)
        rank = 1;
    int64_t cum = 0;
    for (size_t i = 0; i < nbins; i++) {
        cum += bins[i];
        if (cum >= rank)
            return (double)i;
    }
    return (double)(nbins - 1);
}

/* ---- reference data ---- */

struct refs {
    struct department *dep;
    size_t ndep;
    struct category *cat;
    size_t ncat;
    const struct dept_reach *scope;
    struct {
        int64_t id;
        char code[MODEL_CODE_LEN];
        char name[MODEL_NAME_LEN];
    } inst[64];
    size_t ninst;
};

static const struct department *ref_dep(const struct refs *r, int64_t id)
{
    for (size_t i = 0; i < r->ndep; i++)
        if (r->dep[i].id == id)
            return &r->dep[i];
    return NULL;
}

static const struct category *ref_cat(const struct refs *r, int64_t id)
{
    for (size_t i = 0; i < r->ncat; i++)
        if (r->cat[i].id == id)
            return &r->cat[i];
    return NULL;
}

/* Is department id within the scope (one of its subtrees)? Unrouted (0) is only in the
 * whole. */
static bool ref_in_scope(const struct refs *r, int64_t id)
{
    return report_reach_has(r->scope, r->dep, r->ndep, id);
}

static int inst_one(void *ctx, int64_t id, const char *code, const char *name, const char *kind)
{
    struct refs *r = ctx;
    (void)kind;
    if (r->ninst < sizeof(r->inst) / sizeof(r->inst[0])) {
        r->inst[r->ninst].id = id;
        str_copy(r->inst[r->ninst].code, sizeof(r->inst[0].code), code);
        str_copy(r->inst[r->ninst].name, sizeof(r->inst[0].name), name);
        r->ninst++;
    }
    return 0;
}

/* ---- walking a day range over the two grains ---- */

static int64_t month_of_day(int64_t day)
{
    struct civil_date c = time_civil_from_days(day);
    return (int64_t)c.year * 12 + c.month - 1;
}

static int64_t month_first_day(int64_t m)
{
    return time_days_from_civil((int)(m / 12), (int)(m % 12) + 1, 1);
}

/* Rows of table t for the days [fd, td]: whole months from the month rows, the rest from the
 * day rows. Each row's bucket is left as stored (r->grain says which). */
static int range_each(struct store *st, enum rollup_table t, int64_t fd, int64_t td,
                      int (*fn)(void *ctx, const struct app_rollup *row), void *ctx)
{
    if (td < fd)
        return ERR_OK;
    int64_t m1 = month_of_day(fd), m2 = month_of_day(td);
    int64_t first_whole = month_first_day(m1) == fd ? m1 : m1 + 1;
    int64_t last_whole = month_first_day(m2 + 1) - 1 == td ? m2 : m2 - 1;
    int rc;
    if (first_whole > last_whole) /* no whole month: days only */
        return store_rollup_app_each(st, t, APP_GRAIN_DAY, fd, td, fn, ctx);
    if ((rc = store_rollup_app_each(st, t, APP_GRAIN_MONTH, first_whole, last_whole, fn, ctx)) !=
        ERR_OK)
        return rc;
    if (fd < month_first_day(first_whole) &&
        (rc = store_rollup_app_each(st, t, APP_GRAIN_DAY, fd, month_first_day(first_whole) - 1, fn,
                                    ctx)) != ERR_OK)
        return rc;
    if (td >= month_first_day(last_whole + 1))
        rc = store_rollup_app_each(st, t, APP_GRAIN_DAY, month_first_day(last_whole + 1), td, fn,
                                   ctx);
    return rc;
}

static int64_t row_month(const struct app_rollup *r)
{
    return r->grain == APP_GRAIN_MONTH ? r->bucket : month_of_day(r->bucket);
}

/* ---- tables ---- */

static struct rs_table *table_add(struct report_summary *s, const char *name, const char *tr,
                                  const char *en, struct rs_col key, size_t ncols,
                                  const struct rs_col *cols)
{
    s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof(*s->tables));
    struct rs_table *t = &s->tables[s->ntables++];
    memset(t, 0, sizeof(*t));
    t->name = name;
    t->title_tr = tr;
    t->title_en = en;
    t->keycol = key;
    t->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        t->cols[i] = cols[i];
    return t;
}

static struct rs_row *row_add(struct rs_table *t, const char *key, const char *label)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
    }
    struct rs_row *r = &t->rows[t->nrows++];
    r->key = xstrdup(key ? key : "");
    r->label = label ? xstrdup(label) : NULL;
    for (size_t i = 0; i < RS_MAXCOLS; i++)
        r->v[i] = NAN;
    return r;
}

static double share(int64_t a, int64_t b)
{
    return b > 0 ? (double)a / (double)b : NAN;
}

static void id_key(int64_t id, char *out, size_t len)
{
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_addf(&b, "%lld", (long long)id);
    str_copy(out, len, b.buf);
    strbuf_release(&b);
}

/* clang-format off */
static const struct { const char *key, *tr, *en; } kind_names[] = {
    { "request", "Talep", "Request" },
    { "complaint", "Şikâyet", "Complaint" },
    { "suggestion", "Öneri", "Suggestion" },
    { "tip", "İhbar", "Tip-off" },
    { "information", "Bilgi edinme", "Information request" },
    { "thanks", "Teşekkür", "Thanks" },
};
static const struct { const char *key, *tr; } channel_names[] = {
    { "phone_153", "ALO 153" }, { "phone_alt", "Diğer telefon hatları" },
    { "desk", "Beyaz Masa" }, { "mobile_desk", "Mobil Beyaz Masa" }, { "web", "İnternet" },
    { "mobile_app", "Mobil uygulama" }, { "whatsapp", "WhatsApp" }, { "cimer", "CİMER" },
    { "email", "E-posta" }, { "open311", "Open311" },
};
static const char *const outcome_tr[OUTCOME__COUNT] = {
    "Açık", "Anlık bilgilendirme", "Başvuru", "Mevcut başvuru takibi", "İlgisiz",
    "Başka kuruma aktarılan",
};
static const char *const month_tr[12] = {
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
    "Kasım", "Aralık",
};
/* clang-format on */

static const char *kind_label(const char *key)
{
    for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
        if (strcmp(kind_names[i].key, key) == 0)
            return kind_names[i].tr;
    return NULL;
}

static const char *channel_label(const char *key)
{
    for (size_t i = 0; i < sizeof(channel_names) / sizeof(channel_names[0]); i++)
        if (strcmp(channel_names[i].key, key) == 0)
            return channel_names[i].tr;
    return NULL;
}

#define COL(k, t, e, ty) ((struct rs_col){ (k), (t), (e), (ty) })

/* ---- the computation ---- */

struct calc {
    struct store *st;
    struct report_summary *s;
    struct refs *ref;
    int64_t fd, td;    /* the period's days */
    struct accs month; /* by month number: applications */
    struct accs dep, cat, inst, chan, kind, dist, nbh, comeback;
    int64_t hist[ROLLUP_RES_BINS];
    int64_t count; /* for the previous year and the rising counts */
};

static int apps_row(void *ctx, const struct app_rollup *r)
{
    struct calc *c = ctx;
    if (!ref_in_scope(c->ref, r->department_id))
        return 0;
    struct rs_apps *a = &c->s->apps;
    a->total += r->n;
    a->resolved += r->resolved;
    a->resolved_in_deadline += r->in_deadline;
    a->open_now += r->open;
    a->returned += r->returned;
    a->transferred += r->transferred;
    a->reopened += r->reopened;
    accs_id(&c->month, row_month(r))->v[A_N] += r->n;
    acc_add(accs_id(&c->dep, r->department_id), r);
    acc_add(accs_id(&c->cat, r->category_id), r);
    const struct department *d = ref_dep(c->ref, r->department_id);
    acc_add(accs_id(&c->inst, d ? d->institution_id : 0), r);
    acc_add(accs_key(&c->chan, r->channel), r);
    acc_add(accs_key(&c->kind, r->kind), r);
    if (strcmp(r->kind, "complaint") == 0 && r->reopened && r->category_id)
        accs_id(&c->comeback, r->category_id)->v[A_REOPENED] += r->reopened;
    return 0;
}

static int place_row(void *ctx, const struct app_rollup *r)
{
    struct calc *c = ctx;
    if (!ref_in_scope(c->ref, r->department_id))
        return 0;
    accs_id(&c->dist, r->district_id)->v[A_N] += r->n;
    accs_id(&c->nbh, r->neighbourhood_id)->v[A_N] += r->n;
    return 0;
}

static int res_row(void *ctx, const struct app_rollup *r)
{
    struct calc *c = ctx;
    if (!ref_in_scope(c->ref, r->department_id) || r->res_bin < 0 || r->res_bin >= ROLLUP_RES_BINS)
        return 0;
    c->hist[r->res_bin] += r->n;
    struct acc *x = accs_id(&c->dep, r->department_id);
    if (!x->hist)
        x->hist = xcalloc(ROLLUP_RES_BINS, sizeof(*x->hist));
    x->hist[r->res_bin] += r->n;
    return 0;
}

static int overdue_row(void *ctx, int64_t department_id, int64_t n)
{
    struct calc *c = ctx;
    if (!ref_in_scope(c->ref, department_id))
        return 0;
    c->s->apps.overdue_now += n;
    accs_id(&c->dep, department_id)->v[A_X] += n;
    return 0;
}

static int count_row(void *ctx, const struct app_rollup *r)
{
    struct calc *c = ctx;
    if (ref_in_scope(c->ref, r->department_id))
        c->count += r->n;
    return 0;
}

static int64_t day_start(int64_t day)
{
    return day * 86400 - TIME_ISTANBUL_OFFSET;
}

static void day_text(int64_t day, char out[RS_DATE_LEN])
{
    struct civil_date d = time_civil_from_days(day);
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_addf(&b, "%04d-%02d-%02d", d.year, d.month, d.day);
    str_copy(out, RS_DATE_LEN, b.buf);
    strbuf_release(&b);
}

/* the same date one year earlier (29 February → 28 February) */
static int64_t year_earlier(int64_t day)
{
    struct civil_date d = time_civil_from_days(day);
    if (d.month == 2 && d.day == 29)
        d.day = 28;
    return time_days_from_civil(d.year - 1, d.month, d.day);
}

static void calls_sum(struct kpi_calls *t, const struct kpi_calls *k)
{
    t->offered += k->offered;
    t->answered += k->answered;
    t->abandoned += k->abandoned;
    t->short_abandoned += k->short_abandoned;
    t->waiting += k->waiting;
    t->answered_in_sl += k->answered_in_sl;
    t->wait_sum_s += k->wait_sum_s;
    t->handle_sum_s += k->handle_sum_s;
    t->handled += k->handled;
    if (k->max_wait_s > t->max_wait_s)
        t->max_wait_s = k->max_wait_s;
    if (k->longest_waiting_s > t->longest_waiting_s)
        t->longest_waiting_s = k->longest_waiting_s;
}

static void contacts_sum(struct kpi_contacts *t, const struct kpi_contacts *k)
{
    t->total += k->total;
    t->open += k->open;
    for (int o = 0; o < OUTCOME__COUNT; o++)
        t->by_outcome[o] += k->by_outcome[o];
    for (int i = 0; i < k->nchannels; i++) {
        int j = 0;
        while (j < t->nchannels && strcmp(t->by_channel[j].channel, k->by_channel[i].channel))
            j++;
        if (j == t->nchannels) {
            if (t->nchannels == (int)(sizeof(t->by_channel) / sizeof(t->by_channel[0])))
                continue;
            str_copy(t->by_channel[j].channel, sizeof(t->by_channel[j].channel),
                     k->by_channel[i].channel);
            t->by_channel[j].n = 0;
            t->nchannels++;
        }
        t->by_channel[j].n += k->by_channel[i].n;
    }
    int64_t closed = t->total - t->open;
    t->instant_info_share =
        closed > 0 ? (double)t->by_outcome[OUTCOME_INSTANT_INFO] / (double)closed : 0;
}

/* Calls and contacts month by month (the by_month table) and in total. */
static int calls_and_contacts(struct calc *c, struct rs_table *bym)
{
    struct report_summary *s = c->s;
    int64_t m1 = month_of_day(c->fd), m2 = month_of_day(c->td);
    int rc = ERR_OK;
    for (int64_t m = m1; m <= m2 && rc == ERR_OK; m++) {
        int64_t a = month_first_day(m), b = month_first_day(m + 1) - 1;
        if (a < c->fd)
            a = c->fd;
        if (b > c->td)
            b = c->td;
        struct kpi_calls k;
        struct kpi_contacts ct;
        if ((rc = report_kpi_calls(c->st, day_start(a), day_start(b + 1), s->p.at, &s->p.kpi,
                                   &k)) != ERR_OK ||
            (rc = report_kpi_contacts(c->st, day_start(a), day_start(b + 1), &ct)) != ERR_OK)
            break;
        calls_sum(&s->calls, &k);
        contacts_sum(&s->contacts, &ct);
        for (size_t i = 0; i < bym->nrows; i++) {
            struct rs_row *r = &bym->rows[i];
            if ((int64_t)r->v[4] == m) { /* the month number, replaced below */
                r->v[0] = (double)k.offered;
                r->v[1] = (double)k.answered;
                r->v[2] = k.answered + k.abandoned - k.short_abandoned > 0 ? k.answer_rate : NAN;
                r->v[3] = (double)ct.by_outcome[OUTCOME_INSTANT_INFO];
            }
        }
    }
    kpi_calls_finish(&s->calls);
    return rc;
}

/* ---- recurring suggestions: stem sets, greedy grouping by Jaccard similarity ---- */

struct stems {
    char **v;
    size_t n, cap;
};

static int stem_one(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                    size_t start, size_t end)
{
    struct stems *s = ctx;
    (void)word;
    (void)wlen;
    (void)start;
    (void)end;
    if (slen < 3 || s->n >= 64)
        return 0;
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->v[i]) == slen && memcmp(s->v[i], stem, slen) == 0)
            return 0;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = xstrndup(stem, slen);
    return 0;
}

static void stems_free(struct stems *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static double jaccard(const struct stems *a, const struct stems *b)
{
    size_t both = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (strcmp(a->v[i], b->v[j]) == 0) {
                both++;
                break;
            }
    size_t any = a->n + b->n - both;
    return any ? (double)both / (double)any : 0;
}

struct group {
    struct stems stems; /* the first text's */
    char *text;         /* the first (newest) text, the group's representative */
    int64_t n;
};

struct groups {
    struct calc *c;
    struct group *v;
    size_t n;
};

static int suggestion_one(void *ctx, int64_t id, int64_t department_id, const char *text)
{
    struct groups *g = ctx;
    (void)id;
    /* an anonymised text (KVKK) says nothing: it joins no group */
    if (!ref_in_scope(g->c->ref, department_id) || !text || strcmp(text, MODEL_ANON_TEXT) == 0)
        return 0;
    struct stems st = { 0 };
    if (nlp_tokenize(text, strlen(text), stem_one, &st) != 0 || st.n == 0) {
        stems_free(&st);
        return 0;
    }
    size_t best = g->n;
    double best_j = SUGGESTION_JACCARD;
    for (size_t i = 0; i < g->n; i++) {
        double j = jaccard(&st, &g->v[i].stems);
        if (j >= best_j) {
            best_j = j;
            best = i;
        }
    }
    if (best < g->n) {
        g->v[best].n++;
        stems_free(&st);
    } else if (g->n < SUGGESTION_GROUPS) {
        g->v[g->n].stems = st;
        g->v[g->n].text = xstrdup(text);
        g->v[g->n].n = 1;
        g->n++;
    } else {
        stems_free(&st);
    }
    return 0;
}

static int cmp_group(const void *pa, const void *pb)
{
    const struct group *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n < b->n ? 1 : -1;
    return strcmp(a->text, b->text);
}

static int recurring_suggestions(struct calc *c, struct rs_table *t)
{
    struct groups g = { .c = c, .v = xcalloc(SUGGESTION_GROUPS, sizeof(struct group)), .n = 0 };
    int rc = store_app_text_each(c->st, "suggestion", c->s->from_ts, c->s->to_ts, SUGGESTION_TEXTS,
                                 suggestion_one, &g);
    if (g.n)
        qsort(g.v, g.n, sizeof(*g.v), cmp_group);
    for (size_t i = 0, shown = 0; i < g.n; i++) {
        if (rc == ERR_OK && g.v[i].n >= 2 && shown < TOP_SUGGESTIONS) {
            char key[121];
            str_copy(key, sizeof(key), g.v[i].text); /* whole UTF-8 characters */
            row_add(t, key, NULL)->v[0] = (double)g.v[i].n;
            shown++;
        }
        stems_free(&g.v[i].stems);
        free(g.v[i].text);
    }
    free(g.v);
    return rc;
}

static int comeback_one(void *ctx, int64_t category_id, int64_t department_id)
{
    struct calc *c = ctx;
    if (ref_in_scope(c->ref, department_id))
        accs_id(&c->comeback, category_id)->v[A_RETURNED]++; /* "filed again" */
    return 0;
}

static int cmp_comeback(const void *pa, const void *pb)
{
    const struct acc *a = pa, *b = pb;
    int64_t x = a->v[A_REOPENED] + a->v[A_RETURNED], y = b->v[A_REOPENED] + b->v[A_RETURNED];
    if (x != y)
        return x < y ? 1 : -1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* "District / Neighbourhood" of a neighbourhood id into out ("" when unknown) */
static void place_label(struct store *st, int64_t id, char *out, size_t len)
{
    char dn[MODEL_PLACE_LEN] = "", nn[MODEL_PLACE_LEN] = "";
    int64_t did = 0;
    out[0] = 0;
    if (store_neighbourhood_name(st, id, &did, nn, sizeof(nn)) != ERR_OK)
        return;
    store_district_name(st, did, dn, sizeof(dn));
    char full[MODEL_PLACE_LEN];
    place_neighbourhood(nn, PLACE_FULL, full, sizeof(full));
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_addf(&b, "%s / %s", dn, full);
    str_copy(out, len, b.buf);
    strbuf_release(&b);
}

/* ---- rising: the last month of the period against the month before ---- */

struct rise {
    int64_t id;
    int64_t now, before;
};

static int cmp_rise(const void *pa, const void *pb)
{
    const struct rise *a = pa, *b = pb;
    int64_t x = a->now - a->before, y = b->now - b->before;
    if (x != y)
        return x < y ? 1 : -1;
    return a->id < b->id ? -1 : a->id > b->id;
}

struct rise_ctx {
    struct calc *c;
    bool place;    /* by neighbourhood, else by category */
    bool before;   /* counting the previous month */
    struct accs a; /* id → v[0] now, v[1] before */
};

static int rise_row(void *ctx, const struct app_rollup *r)
{
    struct rise_ctx *x = ctx;
    if (!ref_in_scope(x->c->ref, r->department_id))
        return 0;
    int64_t id = x->place ? r->neighbourhood_id : r->category_id;
    if (!id)
        return 0;
    accs_id(&x->a, id)->v[x->before ? 1 : 0] += r->n;
    return 0;
}

static int rising(struct calc *c, bool place, struct rs_table *t)
{
    struct rise_ctx x = { .c = c, .place = place };
    int64_t m = month_of_day(c->td);
    int64_t a = month_first_day(m);
    enum rollup_table tab = place ? ROLLUP_PLACES : ROLLUP_APPS;
    int rc = range_each(c->st, tab, a, c->td, rise_row, &x);
    x.before = true;
    if (rc == ERR_OK)
        rc = range_each(c->st, tab, month_first_day(m - 1), a - 1, rise_row, &x);
    struct rise *v = xcalloc(x.a.n + 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < x.a.n; i++)
        if (x.a.v[i].v[0] > x.a.v[i].v[1])
            v[n++] = (struct rise){ x.a.v[i].id, x.a.v[i].v[0], x.a.v[i].v[1] };
    if (n)
        qsort(v, n, sizeof(*v), cmp_rise);
    for (size_t i = 0; rc == ERR_OK && i < n && i < TOP_RISING; i++) {
        char key[24], label[2 * MODEL_PLACE_LEN + 4] = "";
        id_key(v[i].id, key, sizeof(key));
        if (place) {
            place_label(c->st, v[i].id, label, sizeof(label));
        } else {
            const struct category *cat = ref_cat(c->ref, v[i].id);
            if (cat) {
                str_copy(key, sizeof(key), cat->code);
                str_copy(label, sizeof(label), cat->name_tr);
            }
        }
        struct rs_row *r = row_add(t, key, *label ? label : NULL);
        r->v[0] = (double)v[i].now;
        r->v[1] = (double)v[i].before;
        r->v[2] = v[i].before ? (double)(v[i].now - v[i].before) / (double)v[i].before : NAN;
    }
    free(v);
    accs_free(&x.a);
    return rc;
}

/* ---- the tables of docs/REPORTS.md ---- */

static const struct rs_col C_APPS = { "applications", "Başvuru", "Applications", RS_INT };

static void dep_label(const struct refs *ref, int64_t id, char *key, size_t klen,
                      const char **label)
{
    const struct department *d = ref_dep(ref, id);
    str_copy(key, klen, d ? d->code : "");
    *label = d ? d->name_tr : (id ? NULL : "Yönlendirilmemiş");
}

static void tables_apps(struct calc *c)
{
    struct report_summary *s = c->s;
    char key[MODEL_CODE_LEN];
    const char *label;

    struct rs_table *t =
        table_add(s, "by_channel", "Kanallara göre başvurular", "Applications by channel",
                  COL("channel", "Kanal", "Channel", RS_TEXT), 1, &C_APPS);
    accs_sort(&c->chan);
    for (size_t i = 0; i < c->chan.n; i++)
        row_add(t, c->chan.v[i].key, channel_label(c->chan.v[i].key))->v[0] =
            (double)c->chan.v[i].v[A_N];

    t = table_add(s, "by_kind", "Başvuru türüne göre", "Applications by kind",
                  COL("kind", "Tür", "Kind", RS_TEXT), 1, &C_APPS);
    accs_sort(&c->kind);
    for (size_t i = 0; i < c->kind.n; i++)
        row_add(t, c->kind.v[i].key, kind_label(c->kind.v[i].key))->v[0] =
            (double)c->kind.v[i].v[A_N];

    const struct rs_col dcols[] = {
        C_APPS,
        COL("resolved", "Sonuçlanan", "Resolved", RS_INT),
        COL("in_deadline_share", "Süresinde sonuçlanan", "Resolved in time", RS_PCT),
        COL("overdue_now", "Süresi geçmiş (şu an)", "Overdue now", RS_INT),
        COL("median_wd", "Medyan süre (iş günü)", "Median time (working days)", RS_DAYS),
        COL("p90_wd", "%90 süre (iş günü)", "90th percentile (working days)", RS_DAYS),
    };
    t = table_add(s, "by_department", "Birimlere göre", "By department",
                  COL("department", "Birim", "Department", RS_TEXT), 6, dcols);
    accs_sort(&c->dep);
    for (size_t i = 0; i < c->dep.n; i++) {
        const struct acc *x = &c->dep.v[i];
        if (!x->v[A_N] && !x->v[A_X])
            continue;
        dep_label(c->ref, x->id, key, sizeof(key), &label);
        struct rs_row *r = row_add(t, key, label);
        r->v[0] = (double)x->v[A_N];
        r->v[1] = (double)x->v[A_RESOLVED];
        r->v[2] = share(x->v[A_IN_DEADLINE], x->v[A_RESOLVED]);
        r->v[3] = (double)x->v[A_X];
        r->v[4] = x->hist ? report_hist_quantile(x->hist, ROLLUP_RES_BINS, 0.5) : NAN;
        r->v[5] = x->hist ? report_hist_quantile(x->hist, ROLLUP_RES_BINS, 0.9) : NAN;
    }

    const struct rs_col ccols[] = {
        C_APPS,
        COL("resolved", "Sonuçlanan", "Resolved", RS_INT),
        COL("in_deadline_share", "Süresinde sonuçlanan", "Resolved in time", RS_PCT),
    };
    t = table_add(s, "by_category", "Konulara göre (ilk 20)", "By category (top 20)",
                  COL("category", "Konu", "Category", RS_TEXT), 3, ccols);
    accs_sort(&c->cat);
    for (size_t i = 0; i < c->cat.n && t->nrows < TOP_CATEGORIES; i++) {
        const struct acc *x = &c->cat.v[i];
        const struct category *cat = ref_cat(c->ref, x->id);
        struct rs_row *r = row_add(t, cat ? cat->code : "",
                                   cat     ? cat->name_tr
                                   : x->id ? NULL
                                           : "Konusu belirlenmemiş");
        r->v[0] = (double)x->v[A_N];
        r->v[1] = (double)x->v[A_RESOLVED];
        r->v[2] = share(x->v[A_IN_DEADLINE], x->v[A_RESOLVED]);
    }

    /* per 10,000 inhabitants: report/population.h (an admin's figure, else the reference) */
    const struct rs_col pcols[] = {
        C_APPS,
        COL("population", "Nüfus", "Population", RS_INT),
        COL("per_10k", "10 bin kişi başına", "Per 10,000 inhabitants", RS_NUM),
    };
    char province[16] = "";
    store_setting_get(c->st, "province", province, sizeof(province));
    t = table_add(s, "by_district", "İlçelere göre", "By district",
                  COL("district", "İlçe", "District", RS_TEXT), 3, pcols);
    accs_sort(&c->dist);
    for (size_t i = 0; i < c->dist.n; i++) {
        const struct acc *x = &c->dist.v[i];
        char name[MODEL_PLACE_LEN] = "", k[24];
        id_key(x->id, k, sizeof(k));
        if (!x->id)
            str_copy(name, sizeof(name), "Belirtilmemiş");
        else
            store_district_name(c->st, x->id, name, sizeof(name));
        struct rs_row *r = row_add(t, x->id ? k : "", *name ? name : NULL);
        int64_t pop = x->id ? report_population(c->st, x->id, province, name, NULL) : 0;
        r->v[0] = (double)x->v[A_N];
        r->v[1] = pop > 0 ? (double)pop : NAN;
        r->v[2] = pop > 0 ? round((double)x->v[A_N] * 10000.0 / (double)pop * 100.0) / 100.0 : NAN;
    }

    t = table_add(s, "by_neighbourhood", "Mahallelere göre (ilk 50)", "By neighbourhood (top 50)",
                  COL("neighbourhood", "Mahalle", "Neighbourhood", RS_TEXT), 1, &C_APPS);
    accs_sort(&c->nbh);
    for (size_t i = 0; i < c->nbh.n && t->nrows < TOP_NEIGHBOURHOODS; i++) {
        const struct acc *x = &c->nbh.v[i];
        if (!x->id)
            continue;
        char k[24], pl[2 * MODEL_PLACE_LEN + 4];
        id_key(x->id, k, sizeof(k));
        place_label(c->st, x->id, pl, sizeof(pl));
        row_add(t, k, *pl ? pl : NULL)->v[0] = (double)x->v[A_N];
    }

    t = table_add(s, "by_institution", "Kurumlara göre", "By institution",
                  COL("institution", "Kurum", "Institution", RS_TEXT), 1, &C_APPS);
    accs_sort(&c->inst);
    for (size_t i = 0; i < c->inst.n; i++) {
        const struct acc *x = &c->inst.v[i];
        const char *code = "", *name = x->id ? NULL : "Yönlendirilmemiş";
        for (size_t j = 0; j < c->ref->ninst; j++)
            if (c->ref->inst[j].id == x->id) {
                code = c->ref->inst[j].code;
                name = c->ref->inst[j].name;
            }
        row_add(t, code, name)->v[0] = (double)x->v[A_N];
    }

    const struct rs_col scols[] = {
        COL("resolved", "Sonuçlanan", "Resolved", RS_INT),
        COL("in_deadline", "Süresinde sonuçlanan", "Resolved in time", RS_INT),
        COL("in_deadline_share", "Süresinde oranı", "Share in time", RS_PCT),
    };
    t = table_add(s, "sla_by_department", "Birimlere göre süre uyumu",
                  "Deadlines met by department", COL("department", "Birim", "Department", RS_TEXT),
                  3, scols);
    for (size_t i = 0; i < c->dep.n; i++) { /* still sorted by applications */
        const struct acc *x = &c->dep.v[i];
        if (!x->v[A_RESOLVED])
            continue;
        dep_label(c->ref, x->id, key, sizeof(key), &label);
        struct rs_row *r = row_add(t, key, label);
        r->v[0] = (double)x->v[A_RESOLVED];
        r->v[1] = (double)x->v[A_IN_DEADLINE];
        r->v[2] = share(x->v[A_IN_DEADLINE], x->v[A_RESOLVED]);
    }
}

static int trends(struct calc *c)
{
    struct report_summary *s = c->s;
    const struct rs_col rcols[] = {
        COL("this_month", "Son ay", "Last month", RS_INT),
        COL("previous_month", "Önceki ay", "Month before", RS_INT),
        COL("change", "Değişim", "Change", RS_PCT),
    };
    int rc =
        rising(c, false,
               table_add(s, "rising_categories", "En hızlı artan konular", "Fastest rising topics",
                         COL("category", "Konu", "Category", RS_TEXT), 3, rcols));
    if (rc == ERR_OK)
        rc = rising(c, true,
                    table_add(s, "rising_neighbourhoods", "En hızlı artan mahalleler",
                              "Fastest rising neighbourhoods",
                              COL("neighbourhood", "Mahalle", "Neighbourhood", RS_TEXT), 3, rcols));
    struct rs_table *t =
        table_add(s, "recurring_suggestions", "Tekrarlanan öneriler", "Recurring suggestions",
                  COL("text", "Öneri", "Suggestion", RS_TEXT), 1, &C_APPS);
    if (rc == ERR_OK)
        rc = recurring_suggestions(c, t);
    if (rc == ERR_OK)
        rc = store_app_comeback_each(c->st, s->from_ts, s->to_ts, COMEBACK_ROWS, comeback_one, c);
    const struct rs_col kcols[] = {
        COL("reopened", "Yeniden açılan", "Reopened", RS_INT),
        COL("filed_again", "30 gün içinde yeniden", "Filed again within 30 days", RS_INT),
        COL("comebacks", "Toplam", "Total", RS_INT),
    };
    t = table_add(s, "comebacks", "Kapandıktan sonra geri gelen şikâyetler",
                  "Complaints that came back after closure",
                  COL("category", "Konu", "Category", RS_TEXT), 3, kcols);
    free(c->comeback.slot);
    c->comeback.slot = NULL;
    c->comeback.nslot = 0;
    if (c->comeback.n)
        qsort(c->comeback.v, c->comeback.n, sizeof(*c->comeback.v), cmp_comeback);
    for (size_t i = 0; i < c->comeback.n && t->nrows < TOP_COMEBACKS; i++) {
        const struct acc *x = &c->comeback.v[i];
        const struct category *cat = ref_cat(c->ref, x->id);
        struct rs_row *r = row_add(t, cat ? cat->code : "", cat ? cat->name_tr : NULL);
        r->v[0] = (double)x->v[A_REOPENED];
        r->v[1] = (double)x->v[A_RETURNED];
        r->v[2] = (double)(x->v[A_REOPENED] + x->v[A_RETURNED]);
    }
    return rc;
}

/* ---- satisfaction: read only through report_satisfaction_each (report/satisfaction.h) ---- */
struct sat_ctx {
    struct calc *c;
    struct rs_table *t; /* NULL: the total into s->survey */
    enum sat_dim dim;
};

static int sat_row(void *ctx, const struct sat_group *g)
{
    struct sat_ctx *x = ctx;
    struct report_summary *s = x->c->s;
    if (!x->t) {
        s->survey.answers += g->answers;
        s->survey.satisfied_share_n += g->satisfied;
        s->survey.satisfied_share = share(s->survey.satisfied_share_n, s->survey.answers);
        return 0;
    }
    char key[MODEL_CODE_LEN];
    const char *label = NULL;
    int64_t id = strtoll(g->key, NULL, 10);
    str_copy(key, sizeof(key), g->key);
    if (x->dim == SAT_DEPARTMENT) {
        dep_label(x->c->ref, id, key, sizeof(key), &label);
    } else if (x->dim == SAT_CATEGORY) {
        const struct category *cat = ref_cat(x->c->ref, id);
        str_copy(key, sizeof(key), cat ? cat->code : g->key);
        label = cat ? cat->name_tr : NULL;
    } else if (x->dim == SAT_CHANNEL) {
        label = channel_label(g->key);
    }
    struct rs_row *r = row_add(x->t, key, label);
    r->v[0] = (double)g->answers;
    r->v[1] = share(g->satisfied, g->answers);
    return 0;
}

static int satisfaction(struct calc *c)
{
    struct report_summary *s = c->s;
    struct sat_ctx x = { c, NULL, SAT_TOTAL };
    int rc =
        report_satisfaction_each(c->st, s->from_ts, s->to_ts, &s->p.scope, SAT_TOTAL, sat_row, &x);
    if (rc != ERR_OK || s->survey.answers == 0)
        return rc; /* no survey answers: satisfaction stays "none" (NAN), never 0 */
    const struct {
        enum sat_dim dim;
        const char *name, *tr, *en;
        struct rs_col key;
    } dims[] = {
        { SAT_MONTH, "satisfaction_by_month", "Aylara göre memnuniyet", "Satisfaction by month",
          COL("month", "Ay", "Month", RS_TEXT) },
        { SAT_DEPARTMENT, "satisfaction_by_department", "Birimlere göre memnuniyet",
          "Satisfaction by department", COL("department", "Birim", "Department", RS_TEXT) },
        { SAT_CATEGORY, "satisfaction_by_category", "Konulara göre memnuniyet",
          "Satisfaction by category", COL("category", "Konu", "Category", RS_TEXT) },
        { SAT_CHANNEL, "satisfaction_by_channel", "Kanallara göre memnuniyet",
          "Satisfaction by channel", COL("channel", "Kanal", "Channel", RS_TEXT) },
        { SAT_AGENT, "satisfaction_by_agent", "Temsilcilere göre memnuniyet",
          "Satisfaction by agent", COL("agent", "Temsilci", "Agent", RS_TEXT) },
    };
    const struct rs_col cols[] = {
        COL("answers", "Anket yanıtı", "Survey answers", RS_INT),
        COL("satisfied_share", "Memnuniyet", "Satisfaction", RS_PCT),
    };
    for (size_t i = 0; i < sizeof(dims) / sizeof(dims[0]) && rc == ERR_OK; i++) {
        x.dim = dims[i].dim;
        x.t = table_add(s, dims[i].name, dims[i].tr, dims[i].en, dims[i].key, 2, cols);
        rc = report_satisfaction_each(c->st, s->from_ts, s->to_ts, &s->p.scope, x.dim, sat_row, &x);
    }
    return rc;
}

static int previous_year(struct calc *c)
{
    struct report_summary *s = c->s;
    int64_t pf = year_earlier(c->fd), pt = year_earlier(c->td);
    day_text(pf, s->previous.from);
    day_text(pt, s->previous.to);
    c->count = 0;
    int rc = range_each(c->st, ROLLUP_APPS, pf, pt, count_row, c);
    if (rc != ERR_OK)
        return rc;
    s->previous.applications = c->count;
    if (!s->has_calls) {
        s->has_previous = c->count > 0;
        return ERR_OK;
    }
    struct kpi_contacts ct;
    if ((rc = report_kpi_calls(c->st, day_start(pf), day_start(pt + 1), s->p.at, &s->p.kpi,
                               &s->previous.calls)) != ERR_OK ||
        (rc = report_kpi_contacts(c->st, day_start(pf), day_start(pt + 1), &ct)) != ERR_OK)
        return rc;
    s->previous.instant_info = ct.by_outcome[OUTCOME_INSTANT_INFO];
    s->previous.forwarded = ct.by_outcome[OUTCOME_APPLICATION] + ct.by_outcome[OUTCOME_FOLLOWUP];
    s->has_previous = c->count > 0 || s->previous.calls.offered > 0;
    return ERR_OK;
}

int report_summary(struct store *st, const struct report_summary_params *p,
                   struct report_summary **out, struct err_detail *ed)
{
    struct refs ref = { .scope = NULL };
    struct calc c = { .st = st, .ref = &ref };
    int64_t fd, td;
    int rc;

    *out = NULL;
    if (!time_parse_date(p->from, &fd))
        return err_set(ed, ERR_INVALID, "from", "from must be a date YYYY-MM-DD");
    if (!time_parse_date(p->to, &td))
        return err_set(ed, ERR_INVALID, "to", "to must be a date YYYY-MM-DD");
    if (td < fd)
        return err_set(ed, ERR_INVALID, "to", "to is before from");
    if (td - fd + 1 > MAX_DAYS)
        return err_set(ed, ERR_INVALID, "to", "a report covers at most %d days", MAX_DAYS);

    char stale[16];
    if (store_setting_get(st, "rollup.apps", stale, sizeof(stale)) == ERR_OK &&
        strcmp(stale, "stale") == 0)
        return err_set_named(ed, ERR_CONFLICT, "rollups_stale", NULL,
                             "the report's rollups predate this database's applications: run "
                             "alo153 report --rebuild");

    struct report_summary *s = xcalloc(1, sizeof(*s));
    s->p = *p;
    ref.scope = &s->p.scope;
    s->from_ts = day_start(fd);
    s->to_ts = day_start(td + 1);
    s->apps.resolution_median_wd = s->apps.resolution_p90_wd = NAN;
    s->survey.answers = s->survey.satisfied_share_n = 0;
    s->survey.satisfied_share = NAN; /* until satisfaction() finds survey answers */
    c.s = s;
    c.fd = fd;
    c.td = td;

    if ((rc = store_department_list(st, &ref.dep, &ref.ndep)) != ERR_OK ||
        (rc = store_category_list(st, NULL, &ref.cat, &ref.ncat)) != ERR_OK ||
        (rc = store_institution_each(st, inst_one, &ref)) != ERR_OK)
        goto out;

    /* by_month first: its rows, one per month of the period, are filled as we go */
    const struct rs_col mcols[] = {
        COL("calls_offered", "Gelen çağrı", "Calls offered", RS_INT),
        COL("calls_answered", "Cevaplanan çağrı", "Calls answered", RS_INT),
        COL("answer_rate", "Cevaplama oranı", "Answer rate", RS_PCT),
        COL("instant_info", "Anlık bilgilendirme", "Instant information", RS_INT),
        C_APPS,
    };
    struct rs_table *bym = table_add(s, "by_month", "Aylara göre", "By month",
                                     COL("month", "Ay", "Month", RS_TEXT), 5, mcols);
    for (int64_t m = month_of_day(fd); m <= month_of_day(td); m++) {
        char k[16], label[32];
        struct strbuf b;
        strbuf_init(&b, 0);
        strbuf_addf(&b, "%04d-%02d", (int)(m / 12), (int)(m % 12) + 1);
        str_copy(k, sizeof(k), b.buf);
        strbuf_reset(&b);
        strbuf_addf(&b, "%s %d", month_tr[m % 12], (int)(m / 12));
        str_copy(label, sizeof(label), b.buf);
        strbuf_release(&b);
        struct rs_row *r = row_add(bym, k, label);
        r->v[4] = (double)m; /* the month number until the applications replace it */
    }

    if ((rc = range_each(st, ROLLUP_APPS, fd, td, apps_row, &c)) != ERR_OK ||
        (rc = range_each(st, ROLLUP_PLACES, fd, td, place_row, &c)) != ERR_OK ||
        (rc = range_each(st, ROLLUP_RESTIME, fd, td, res_row, &c)) != ERR_OK ||
        (rc = store_app_overdue_each(st, s->from_ts, s->to_ts, p->at, overdue_row, &c)) != ERR_OK)
        goto out;
    s->apps.resolution_median_wd = report_hist_quantile(c.hist, ROLLUP_RES_BINS, 0.5);
    s->apps.resolution_p90_wd = report_hist_quantile(c.hist, ROLLUP_RES_BINS, 0.9);

    s->has_calls = !p->scope.limited;
    if (s->has_calls && (rc = calls_and_contacts(&c, bym)) != ERR_OK)
        goto out;
    for (size_t i = 0; i < bym->nrows; i++) {
        struct rs_row *r = &bym->rows[i];
        struct acc *x = accs_id(&c.month, (int64_t)r->v[4]);
        r->v[4] = (double)x->v[A_N];
    }

    if (s->has_calls) {
        struct rs_table *t =
            table_add(s, "contacts_by_outcome", "Temasların sonucu", "Contacts by outcome",
                      COL("outcome", "Sonuç", "Outcome", RS_TEXT), 1,
                      (const struct rs_col[]){ COL("contacts", "Temas", "Contacts", RS_INT) });
        for (int o = 1; o <= OUTCOME__COUNT; o++) { /* the open ones last */
            int oo = o % OUTCOME__COUNT;
            row_add(t, oo ? contact_outcome_name(oo) : "open", outcome_tr[oo])->v[0] =
                (double)s->contacts.by_outcome[oo];
        }
        t = table_add(s, "contacts_by_channel", "Kanallara göre temaslar", "Contacts by channel",
                      COL("channel", "Kanal", "Channel", RS_TEXT), 1,
                      (const struct rs_col[]){ COL("contacts", "Temas", "Contacts", RS_INT) });
        for (int i = 0; i < s->contacts.nchannels; i++)
            row_add(t, s->contacts.by_channel[i].channel,
                    channel_label(s->contacts.by_channel[i].channel))
                ->v[0] = (double)s->contacts.by_channel[i].n;
    }

    tables_apps(&c);
    if ((rc = trends(&c)) != ERR_OK || (rc = satisfaction(&c)) != ERR_OK ||
        (rc = previous_year(&c)) != ERR_OK)
        goto out;
out:
    free(ref.dep);
    free(ref.cat);
    accs_free(&c.month);
    accs_free(&c.dep);
    accs_free(&c.cat);
    accs_free(&c.inst);
    accs_free(&c.chan);
    accs_free(&c.kind);
    accs_free(&c.dist);
    accs_free(&c.nbh);
    accs_free(&c.comeback);
    if (rc != ERR_OK) {
        report_summary_free(s);
        return err_set(ed, ERR_STORE, NULL, "could not read the report's figures");
    }
    *out = s;
    return ERR_OK;
}

void report_summary_free(struct report_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntables; i++) {
        struct rs_table *t = &s->tables[i];
        for (size_t j = 0; j < t->nrows; j++) {
            free(t->rows[j].key);
            free(t->rows[j].label);
        }
        free(t->rows);
    }
    free(s->tables);
    free(s);
}

/* clang-format off */
static const struct { const char *tr, *en; } label_en[] = {
    { "Talep", "Request" }, { "Şikâyet", "Complaint" }, { "Öneri", "Suggestion" },
    { "İhbar", "Tip-off" }, { "Bilgi edinme", "Information request" }, { "Teşekkür", "Thanks" },
    { "Diğer telefon hatları", "Other phone lines" }, { "Mobil Beyaz Masa", "Mobile Beyaz Masa" },
    { "İnternet", "Web" }, { "Mobil uygulama", "Mobile app" }, { "E-posta", "E-mail" },
    { "Açık", "Open" }, { "Anlık bilgilendirme", "Instant information" },
    { "Başvuru", "Application" }, { "Mevcut başvuru takibi", "Follow-up of an application" },
    { "İlgisiz", "Not relevant" }, { "Başka kuruma aktarılan", "Transferred to another institution" },
    { "Yönlendirilmemiş", "Not routed" }, { "Belirtilmemiş", "Not given" },
    { "Konusu belirlenmemiş", "No category" },
};
static const char *const month_en[12] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
};
/* clang-format on */

void rs_row_label(const struct rs_table *t, const struct rs_row *r, const char *lang, char *out,
                  size_t len)
{
    str_copy(out, len, r->label);
    if (!lang || strcmp(lang, "en") != 0 || !r->label)
        return;
    int y, m;
    if (strcmp(t->name, "by_month") == 0 && r->key && strlen(r->key) == 7 &&
        sscanf(r->key, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12) {
        struct strbuf b;
        strbuf_init(&b, 0);
        strbuf_addf(&b, "%s %d", month_en[m - 1], y);
        str_copy(out, len, b.buf);
        strbuf_release(&b);
        return;
    }
    for (size_t i = 0; i < sizeof(label_en) / sizeof(label_en[0]); i++)
        if (strcmp(label_en[i].tr, r->label) == 0) {
            str_copy(out, len, label_en[i].en);
            return;
        }
}

const struct rs_table *report_summary_table(const struct report_summary *s, const char *name)
{
    for (size_t i = 0; s && name && i < s->ntables; i++)
        if (strcmp(s->tables[i].name, name) == 0)
            return &s->tables[i];
    return NULL;
}
