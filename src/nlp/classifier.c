#include "nlp/classifier.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nlp/turkish.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

#define CLS_MAGIC "ALO153RM"
#define CLS_VERSION 3u /* 3: + temperature and threshold; 2 is still read */
#define MAX_TOKENS 300
#define TOK_MAX 48
#define LANES 16 /* rows of the weight matrix are padded to this many labels (vectorised sums) */

struct cls_model {
    uint32_t nlabels;
    uint32_t nfeatures;
    char (*labels)[CLS_LABEL_MAX];
    uint64_t *keys;  /* sorted feature hashes */
    int8_t *w;       /* nfeatures × stride (nlabels rounded up to LANES, zero padding),
                      * quantised: weight = scale[f] × w */
    uint32_t stride; /* bytes per feature row of w */
    float *scale;    /* per feature row */
    float *bias;     /* nlabels */
    uint32_t *slots; /* open-addressing index over keys: slot → feature + 1, 0 empty */
    uint64_t mask;   /* slots has mask + 1 entries */
    uint64_t examples;
    int64_t created;
    uint32_t features; /* CLS_F_* the model was trained with (file header word 3) */
    float temperature; /* softmax temperature; 0 = uncalibrated (normalised sigmoids) */
    float threshold;   /* abstention threshold chosen on the dev split; 0 = none */
};

/* ---------------------------------------------------------------- features */

struct token {
    char word[TOK_MAX]; /* folded */
    char stem[TOK_MAX]; /* folded stem */
    size_t start, end;
};

struct tokens {
    size_t n;
    struct token t[MAX_TOKENS];
};

static int collect(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                   size_t start, size_t end)
{
    struct tokens *ts = ctx;
    if (ts->n >= MAX_TOKENS)
        return 1;
    struct token *t = &ts->t[ts->n++];
    if (wlen >= TOK_MAX)
        wlen = TOK_MAX - 1;
    if (slen >= TOK_MAX)
        slen = TOK_MAX - 1;
    memcpy(t->word, word, wlen);
    t->word[wlen] = '\0';
    memcpy(t->stem, stem, slen);
    t->stem[slen] = '\0';
    t->start = start;
    t->end = end;
    return 0;
}

static bool ends_with(const char *w, const char *suffix)
{
    size_t a = strlen(w), b = strlen(suffix);
    return a >= b && strcmp(w + a - b, suffix) == 0;
}

static bool in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(*list, w) == 0)
            return true;
    return false;
}

/* How strongly a folded word marks a request ("yapılsın", "lütfen", "gelmiyor"). */
static int request_weight(const char *w)
{
    static const char *const strong[] = {
        "lutfen",    "rica",      "ricamdir",  "talep",      "talebim",    "istiyorum",
        "istiyoruz", "istiyoz",   "isterim",   "isteriz",    "bekliyorum", "bekliyoruz",
        "acil",      "gerekiyor", "lazim",     "yapin",      "bakin",      "gelin",
        "edin",      "gonderin",  "ilgilenin", "kaldirin",   "duzeltin",   "temizleyin",
        "toplayin",  "yamayin",   "onarin",    "degistirin", "takin",      "koyun",
        "yapar",     "yapabilir", "yardim",    "arz",        "gereginin",  NULL
    };
    static const char *const weak_suffix[] = { "madi",  "medi",  "miyor",  "muyor",  "miyo", "muyo",
                                               "mamis", "memis", "amiyor", "emiyor", NULL };
    static const char *const strong_suffix[] = { "ilsin",  "ulsun",  "elsin", "alsin", "insin",
                                                 "sinlar", "sinler", "siniz", "sunuz", "yiniz",
                                                 "yin",    "meli",   "mali",  NULL };
    size_t n = strlen(w);
    if (in_list(w, strong))
        return 3;
    for (int i = 0; strong_suffix[i]; i++)
        if (n > strlen(strong_suffix[i]) + 2 && ends_with(w, strong_suffix[i]))
            return 2;
    for (int i = 0; weak_suffix[i]; i++)
        if (n > strlen(weak_suffix[i]) + 1 && ends_with(w, weak_suffix[i]))
            return 1;
    if (strcmp(w, "yok") == 0 || strcmp(w, "bozuk") == 0 || strcmp(w, "olmuyor") == 0)
        return 1;
    return 0;
}

static bool is_conjunction(const char *w)
{
    static const char *const conj[] = { "ve",     "ama",    "fakat", "ancak", "cunku",   "lakin",
                                        "yalniz", "ayrica", "sonra", "oysa",  "halbuki", NULL };
    return in_list(w, conj);
}

/* Mark the clause that carries the request: the highest request weight, later clauses win
 * ties. Words of a clause that says "değil" ("park bakımı değil, …") are marked negated. */
static void request_clause(const char *text, const struct tokens *ts, bool *in_req, bool *negated)
{
    size_t clause_start = 0, best_start = 0, best_end = ts->n;
    int score = 0, best = 0;
    for (size_t i = 0; i <= ts->n; i++) {
        bool boundary = i == ts->n;
        if (!boundary && i > 0) {
            for (size_t p = ts->t[i - 1].end; p < ts->t[i].start; p++)
                if (strchr(".!?;,\n:", text[p]))
                    boundary = true;
            if (is_conjunction(ts->t[i].word))
                boundary = true;
        }
        if (boundary) {
            if (i > clause_start && score >= best && score > 0) {
                best = score;
                best_start = clause_start;
                best_end = i;
            }
            bool neg = false;
            for (size_t j = clause_start; j < i; j++)
                neg |= strncmp(ts->t[j].word, "degil", 5) == 0;
            for (size_t j = clause_start; j < i; j++)
                negated[j] = neg;
            clause_start = i;
            score = 0;
        }
        if (i < ts->n)
            score += request_weight(ts->t[i].word);
    }
    for (size_t i = 0; i < ts->n; i++)
        in_req[i] = best > 0 && i >= best_start && i < best_end;
}

static int features_of(const char *text, uint32_t flags, void (*fn)(void *ctx, const char *feature),
                       void *ctx)
{
    struct tokens *ts = xmalloc(sizeof(*ts));
    bool in_req[MAX_TOKENS], negated[MAX_TOKENS];
    char f[2 * TOK_MAX + 8];
    size_t nmin = flags & CLS_F_CHAR25 ? 2 : 3, nmax = flags & CLS_F_CHAR25 ? 5 : 4;
    ts->n = 0;
    if (nlp_tokenize_ex(text, strlen(text), flags & CLS_F_COLLOQUIAL ? NLP_COLLOQUIAL : 0, collect,
                        ts) < 0) {
        free(ts);
        return -1;
    }
    request_clause(text, ts, in_req, negated);
    for (size_t i = 0; i < ts->n; i++) {
        const struct token *t = &ts->t[i];
        if (negated[i] && !in_req[i]) {
            /* scenery that the caller says is not the matter: its own features only */
            snprintf(f, sizeof(f), "n:%s", t->stem);
            fn(ctx, f);
            continue;
        }
        snprintf(f, sizeof(f), "w:%s", t->stem);
        fn(ctx, f);
        if (in_req[i]) {
            snprintf(f, sizeof(f), "r:%s", t->stem);
            fn(ctx, f);
        }
        if (i + 1 < ts->n) {
            snprintf(f, sizeof(f), "b:%s_%s", t->stem, ts->t[i + 1].stem);
            fn(ctx, f);
        }
        /* character n-grams of the folded word with boundary marks */
        char padded[TOK_MAX + 2];
        size_t wl = strlen(t->word);
        if (wl < 2)
            continue;
        padded[0] = '^';
        memcpy(padded + 1, t->word, wl);
        padded[wl + 1] = '$';
        size_t pl = wl + 2;
        for (size_t n = nmin; n <= nmax; n++)
            for (size_t s = 0; s + n <= pl; s++) {
                f[0] = 'c';
                f[1] = ':';
                memcpy(f + 2, padded + s, n);
                f[n + 2] = '\0';
                fn(ctx, f);
            }
    }
    free(ts);
    return 0;
}

int cls_features(const char *text, void (*fn)(void *ctx, const char *feature), void *ctx)
{
    return features_of(text, CLS_F_DEFAULT, fn, ctx);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* A growable list of feature hashes for one text. */
struct hashes {
    uint64_t *v;
    size_t n, cap;
};

static void add_hash(void *ctx, const char *feature)
{
    struct hashes *h = ctx;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = xrealloc(h->v, h->cap * sizeof(uint64_t));
    }
    h->v[h->n++] = fnv1a(feature);
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sort and deduplicate (features are binary). */
static void hashes_unique(struct hashes *h)
{
    if (!h->n)
        return;
    qsort(h->v, h->n, sizeof(uint64_t), u64_cmp);
    size_t k = 1;
    for (size_t i = 1; i < h->n; i++)
        if (h->v[i] != h->v[k - 1])
            h->v[k++] = h->v[i];
    h->n = k;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

/* Pad the rows of m->w (nfeatures × nlabels, as in the file) to m->stride labels. */
static void pad_rows(struct cls_model *m)
{
    m->stride = (m->nlabels + LANES - 1) / LANES * LANES;
    int8_t *wp = xcalloc((size_t)m->nfeatures * m->stride + 1, 1);
    for (size_t f = 0; f < m->nfeatures; f++)
        memcpy(wp + f * m->stride, m->w + f * m->nlabels, m->nlabels);
    free(m->w);
    m->w = wp;
}

/* Build the lookup table over m->keys (sorted, unique). */
static void index_build(struct cls_model *m)
{
    uint64_t size = 1024;
    while (size < 2ull * m->nfeatures)
        size <<= 1;
    free(m->slots);
    m->slots = xcalloc(size, sizeof(uint32_t));
    m->mask = size - 1;
    for (uint32_t i = 0; i < m->nfeatures; i++) {
        uint64_t s = mix(m->keys[i]) & m->mask;
        while (m->slots[s])
            s = (s + 1) & m->mask;
        m->slots[s] = i + 1;
    }
}

static long find_key(const struct cls_model *m, uint64_t key)
{
    if (m->slots) {
        for (uint64_t s = mix(key) & m->mask;; s = (s + 1) & m->mask) {
            uint32_t v = m->slots[s];
            if (!v)
                return -1;
            if (m->keys[v - 1] == key)
                return (long)v - 1;
        }
    }
    size_t lo = 0, hi = m->nfeatures;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->nfeatures && m->keys[lo] == key ? (long)lo : -1;
}

/* ---------------------------------------------------------------- training */

static void quiet(const char *s)
{
    (void)s;
}

/* Shared state of the one-vs-rest training threads. */
struct ovr {
    struct feature_node **x;
    const double *y; /* label index per example */
    size_t n;
    uint32_t nfeatures;
    size_t nlabels;
    double c;
    int solver;
    atomic_size_t next; /* next label to train */
    atomic_int failed;
    float *wf; /* (nfeatures + 1) × nlabels; the last row is the bias */
};

static void *ovr_worker(void *arg)
{
    struct ovr *job = arg;
    double *yk = xmalloc(job->n * sizeof(double));
    for (;;) {
        size_t k = atomic_fetch_add(&job->next, 1);
        if (k >= job->nlabels)
            break;
        for (size_t i = 0; i < job->n; i++)
            yk[i] = (size_t)job->y[i] == k ? 1.0 : -1.0;
        struct problem prob = {
            .l = (int)job->n, .n = (int)job->nfeatures + 1, .y = yk, .x = job->x, .bias = -1
        };
        struct parameter param = { .solver_type = job->solver, .eps = 0.1, .C = job->c };
        if (check_parameter(&prob, &param)) {
            atomic_store(&job->failed, 1);
            break;
        }
        struct model *lm = train(&prob, &param);
        if (!lm) {
            atomic_store(&job->failed, 1);
            break;
        }
        /* the binary model's weights favour its first label */
        int lab[2] = { 1, -1 };
        get_labels(lm, lab);
        double sign = lab[0] == 1 ? 1.0 : -1.0;
        for (uint32_t f = 0; f <= job->nfeatures; f++)
            job->wf[(size_t)f * job->nlabels + k] =
                (float)(sign * get_decfun_coef(lm, (int)f + 1, 0));
        free_and_destroy_model(&lm);
    }
    free(yk);
    return NULL;
}

/* int8 weights with one scale per feature: a quarter of the size, same ranking. */
static void quantise(struct cls_model *m, const float *wf)
{
    size_t nl = m->nlabels;
    m->w = xmalloc((size_t)m->nfeatures * nl + 1);
    m->scale = xmalloc(((size_t)m->nfeatures + 1) * sizeof(float));
    m->bias = xmalloc(nl * sizeof(float));
    for (uint32_t f = 0; f < m->nfeatures; f++) {
        const float *row = wf + (size_t)f * nl;
        float mx = 0;
        for (size_t l = 0; l < nl; l++)
            mx = fabsf(row[l]) > mx ? fabsf(row[l]) : mx;
        float sc = mx > 0 ? mx / 127.0f : 1.0f;
        m->scale[f] = sc;
        for (size_t l = 0; l < nl; l++)
            m->w[(size_t)f * nl + l] = (int8_t)lrintf(row[l] / sc);
    }
    for (size_t l = 0; l < nl; l++)
        m->bias[l] = wf[(size_t)m->nfeatures * nl + l];
}

/* Long on purpose: the training steps (vocabulary, features, LIBLINEAR problem, the solver, copying
 * the weights out) share the same arrays and one cleanup path. */
struct cls_model *cls_train(const struct cls_example *ex, size_t n,
                            const struct cls_train_opts *opts, char *err, size_t errlen)
{
    struct cls_model *m = NULL;
    struct hashes *docs = xcalloc(n ? n : 1, sizeof(*docs));
    struct hashes all = { 0 };
    double *y = xmalloc((n ? n : 1) * sizeof(double));
    struct feature_node **x = xcalloc(n ? n : 1, sizeof(*x));
    double c = opts && opts->c > 0 ? opts->c : 8.0;
    int min_df = opts && opts->min_df > 0 ? opts->min_df : 2;
    uint32_t flags = opts && opts->features ? opts->features & CLS_F_ALL : CLS_F_DEFAULT;
    size_t nlabels = 0, cap = 16;
    char(*labels)[CLS_LABEL_MAX] = xmalloc(cap * sizeof(*labels));

    if (n < 2) {
        snprintf(err, errlen, "need at least two examples");
        goto out;
    }
    /* labels in order of first appearance */
    for (size_t i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < nlabels; k++)
            if (strcmp(labels[k], ex[i].label) == 0)
                break;
        if (k == nlabels) {
            if (nlabels == cap)
                labels = xrealloc(labels, (cap *= 2) * sizeof(*labels));
            memset(labels[nlabels], 0, CLS_LABEL_MAX); /* written to the model file whole */
            str_copy(labels[nlabels++], CLS_LABEL_MAX, ex[i].label);
        }
        y[i] = (double)k;
        if (features_of(ex[i].text, flags, add_hash, &docs[i]) < 0) {
            snprintf(err, errlen, "example %zu is not valid UTF-8", i + 1);
            goto out;
        }
        hashes_unique(&docs[i]);
        for (size_t j = 0; j < docs[i].n; j++)
            add_hash(&all, ""), all.v[all.n - 1] = docs[i].v[j];
    }
    if (nlabels < 2) {
        snprintf(err, errlen, "need at least two different labels");
        goto out;
    }
    /* vocabulary: hashes seen in at least min_df examples */
    qsort(all.v, all.n, sizeof(uint64_t), u64_cmp);
    m = xcalloc(1, sizeof(*m));
    m->keys = xmalloc((all.n ? all.n : 1) * sizeof(uint64_t));
    for (size_t i = 0; i < all.n;) {
        size_t j = i;
        while (j < all.n && all.v[j] == all.v[i])
            j++;
        if ((int)(j - i) >= min_df)
            m->keys[m->nfeatures++] = all.v[i];
        i = j;
    }
    /* LIBLINEAR problem: binary features scaled to unit length, plus a bias */
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        x[i] = xmalloc((docs[i].n + 2) * sizeof(struct feature_node));
        for (size_t j = 0; j < docs[i].n; j++) {
            long idx = find_key(m, docs[i].v[j]);
            if (idx >= 0)
                x[i][k++].index = (int)idx + 1;
        }
        double v = k ? 1.0 / sqrt((double)k) : 0;
        for (size_t j = 0; j < k; j++)
            x[i][j].value = v;
        x[i][k].index = (int)m->nfeatures + 1; /* bias term */
        x[i][k].value = 1.0;
        x[i][k + 1].index = -1;
    }
    /* one-vs-rest, one binary LIBLINEAR problem per label, on every core */
    struct ovr job = {
        .x = x,
        .y = y,
        .n = n,
        .nfeatures = m->nfeatures,
        .nlabels = nlabels,
        .c = c,
        .solver = flags & CLS_F_SVM ? L2R_L2LOSS_SVC_DUAL : L2R_LR_DUAL,
    };
    atomic_init(&job.next, 0);
    atomic_init(&job.failed, 0);
    job.wf = xcalloc(((size_t)m->nfeatures + 1) * nlabels, sizeof(float));
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int nthreads = ncpu < 1 ? 1 : ncpu > 16 ? 16 : (int)ncpu;
    pthread_t th[16];
    set_print_string_function(quiet);
    for (int t = 0; t < nthreads; t++)
        if (pthread_create(&th[t], NULL, ovr_worker, &job) != 0)
            nthreads = t;
    if (nthreads == 0)
        ovr_worker(&job);
    for (int t = 0; t < nthreads; t++)
        pthread_join(th[t], NULL);
    if (atomic_load(&job.failed)) {
        snprintf(err, errlen, "liblinear failed to train");
        free(job.wf);
        goto fail;
    }
    m->nlabels = (uint32_t)nlabels;
    m->labels = labels;
    labels = NULL;
    quantise(m, job.wf);
    free(job.wf);
    m->examples = n;
    m->features = flags;
    m->created = (int64_t)time(NULL);
    index_build(m);
    pad_rows(m);
    goto out;
fail:
    cls_free(m);
    m = NULL;
out:
    for (size_t i = 0; i < n; i++) {
        free(docs[i].v);
        free(x[i]);
    }
    free(docs);
    free(x);
    free(y);
    free(all.v);
    free(labels);
    return m;
}

/* ---------------------------------------------------------------- prediction */

/* Called per feature during prediction: look it up and keep each known feature once. */
struct lookup {
    const struct cls_model *m;
    uint32_t *idx; /* found feature indices */
    size_t n, cap;
    uint32_t seen[2048]; /* small open-addressing set of indices + 1 */
    bool overflow;       /* more than the set holds: dedup by sorting instead */
};

static void lookup_feature(void *ctx, const char *feature)
{
    struct lookup *lk = ctx;
    long f = find_key(lk->m, fnv1a(feature));
    if (f < 0)
        return;
    uint32_t v = (uint32_t)f + 1;
    if (!lk->overflow) {
        uint32_t s = (uint32_t)(mix(v) & 2047);
        while (lk->seen[s] && lk->seen[s] != v)
            s = (s + 1) & 2047;
        if (lk->seen[s] == v)
            return;
        lk->seen[s] = v;
        if (lk->n >= 1024)
            lk->overflow = true;
    }
    if (lk->n == lk->cap) {
        lk->cap = lk->cap ? lk->cap * 2 : 256;
        lk->idx = xrealloc(lk->idx, lk->cap * sizeof(uint32_t));
    }
    lk->idx[lk->n++] = (uint32_t)f;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* acc[0..stride) += scale[f] × w[f] for the found features. The row length is a multiple of
 * LANES, so the loop vectorises without a remainder; on x86-64 it is compiled twice (AVX2 and
 * the SSE2 baseline, picked when the program loads). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default"), optimize("tree-loop-vectorize")))
#endif
static void
accumulate(const struct cls_model *m, const uint32_t *idx, size_t found, float *restrict acc)
{
    const size_t stride = m->stride;
    for (size_t i = 0; i < found; i++) {
        const int8_t *restrict row = m->w + (size_t)idx[i] * stride;
        const float sc = m->scale[idx[i]];
        for (size_t l = 0; l < stride; l++)
            acc[l] += sc * (float)row[l];
    }
}

/* The decision value of every label for text into z (nlabels entries); the number of known
 * features found (0: none, z untouched), or -1 for invalid UTF-8. */
int cls_logits(const struct cls_model *m, const char *text, double *z)
{
    struct lookup *lk = xcalloc(1, sizeof(*lk));
    lk->m = m;
    if (features_of(text, m->features, lookup_feature, lk) < 0) {
        free(lk->idx);
        free(lk);
        return -1;
    }
    if (lk->overflow) { /* very long text: exact dedup */
        qsort(lk->idx, lk->n, sizeof(uint32_t), u32_cmp);
        size_t u = lk->n ? 1 : 0;
        for (size_t i = 1; i < lk->n; i++)
            if (lk->idx[i] != lk->idx[u - 1])
                lk->idx[u++] = lk->idx[i];
        lk->n = u;
    }
    size_t found = lk->n;
    if (!found) {
        free(lk->idx);
        free(lk);
        return 0;
    }
    /* dec = bias + v·Σ w[f]: rows are contiguous per feature, so walk features outside */
    float *acc = xcalloc(m->stride, sizeof(float));
    accumulate(m, lk->idx, found, acc);
    double v = 1.0 / sqrt((double)found);
    for (uint32_t l = 0; l < m->nlabels; l++)
        z[l] = m->bias[l] + v * acc[l];
    free(acc);
    free(lk->idx);
    free(lk);
    return found > INT32_MAX ? INT32_MAX : (int)found;
}

void cls_softmax(const double *z, size_t n, double t, double *p)
{
    double mx = -INFINITY, sum = 0;
    for (size_t l = 0; l < n; l++)
        mx = z[l] > mx ? z[l] : mx;
    for (size_t l = 0; l < n; l++)
        sum += p[l] = exp((z[l] - mx) / t);
    for (size_t l = 0; l < n; l++)
        p[l] /= sum;
}

void cls_probabilities(const struct cls_model *m, const double *z, double *p)
{
    if (m->temperature > 0) {
        cls_softmax(z, m->nlabels, m->temperature, p);
        return;
    }
    /* uncalibrated (version 2 files): one-vs-rest sigmoids normalised to sum to one */
    double sum = 0;
    for (uint32_t l = 0; l < m->nlabels; l++)
        sum += p[l] = 1.0 / (1.0 + exp(-z[l]));
    for (uint32_t l = 0; l < m->nlabels; l++)
        p[l] /= sum;
}

int cls_predict(const struct cls_model *m, const char *text, struct cls_suggestion *top, int k)
{
    double *z = xmalloc(2 * (size_t)m->nlabels * sizeof(double)), *p = z + m->nlabels;
    int found = cls_logits(m, text, z);
    if (found <= 0) {
        free(z);
        return found;
    }
    cls_probabilities(m, z, p);
    /* keep the k best without sorting everything */
    int kk = k < (int)m->nlabels ? k : (int)m->nlabels, have = 0;
    for (uint32_t l = 0; l < m->nlabels; l++) {
        double pl = p[l];
        if (kk <= 0 || (have == kk && pl <= top[have - 1].p))
            continue;
        int j = have < kk ? have++ : have - 1;
        while (j > 0 && top[j - 1].p < pl) {
            top[j] = top[j - 1];
            j--;
        }
        top[j].p = pl;
        memcpy(top[j].label, m->labels[l], CLS_LABEL_MAX);
    }
    free(z);
    return have;
}

/* ---------------------------------------------------------------- calibration */

/* Mean negative log-likelihood of the gold labels under softmax(z / t). */
static double mean_nll(const double *z, const uint32_t *gold, size_t n, size_t nl, double t)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        const double *zi = z + i * nl;
        double mx = -INFINITY, sum = 0;
        for (size_t l = 0; l < nl; l++)
            mx = zi[l] > mx ? zi[l] : mx;
        for (size_t l = 0; l < nl; l++)
            sum += exp((zi[l] - mx) / t);
        s += log(sum) - (zi[gold[i]] - mx) / t;
    }
    return n ? s / (double)n : 0;
}

double cls_fit_temperature(const double *z, const uint32_t *gold, size_t n, size_t nlabels)
{
    /* golden-section search on log t over [0.005, 50]: the NLL is unimodal in t */
    double a = log(0.005), b = log(50.0), g = (sqrt(5.0) - 1) / 2;
    double c = b - g * (b - a), d = a + g * (b - a);
    double fc = mean_nll(z, gold, n, nlabels, exp(c)), fd = mean_nll(z, gold, n, nlabels, exp(d));
    for (int it = 0; it < 60; it++) {
        if (fc < fd) {
            b = d, d = c, fd = fc;
            c = b - g * (b - a);
            fc = mean_nll(z, gold, n, nlabels, exp(c));
        } else {
            a = c, c = d, fc = fd;
            d = a + g * (b - a);
            fd = mean_nll(z, gold, n, nlabels, exp(d));
        }
    }
    return exp((a + b) / 2);
}

double cls_ece(const double *conf, const bool *correct, size_t n, int bins, struct cls_bin *out)
{
    double ece = 0;
    for (int b = 0; b < bins; b++) {
        double lo = (double)b / bins, hi = (double)(b + 1) / bins, sc = 0;
        size_t cnt = 0, ok = 0;
        for (size_t i = 0; i < n; i++)
            if (conf[i] >= lo && (conf[i] < hi || (b == bins - 1 && conf[i] <= hi))) {
                cnt++;
                ok += correct[i];
                sc += conf[i];
            }
        if (out) {
            out[b].n = cnt;
            out[b].confidence = cnt ? sc / (double)cnt : 0;
            out[b].accuracy = cnt ? (double)ok / (double)cnt : 0;
        }
        if (cnt)
            ece += (double)cnt / (double)n * fabs(sc / (double)cnt - (double)ok / (double)cnt);
    }
    return ece;
}

double cls_choose_threshold(const double *conf, const bool *correct, size_t n, double target)
{
    for (int t = 5; t <= 95; t++) {
        size_t cnt = 0, ok = 0;
        for (size_t i = 0; i < n; i++)
            if (conf[i] >= t / 100.0) {
                cnt++;
                ok += correct[i];
            }
        if (cnt && (double)ok >= target * (double)cnt)
            return t / 100.0;
    }
    return 0.95;
}

void cls_set_calibration(struct cls_model *m, double temperature, double threshold)
{
    m->temperature = temperature > 0 ? (float)temperature : 0;
    m->threshold = threshold > 0 && threshold < 1 ? (float)threshold : 0;
}

double cls_temperature(const struct cls_model *m)
{
    return m->temperature;
}

double cls_threshold(const struct cls_model *m)
{
    return m->threshold;
}

unsigned cls_feature_set(const struct cls_model *m)
{
    return m->features;
}

/* ---------------------------------------------------------------- files */

/* The weight rows without their padding, as the file keeps them. */
static bool write_rows(const struct cls_model *m, FILE *f)
{
    for (size_t r = 0; r < m->nfeatures; r++)
        if (fwrite(m->w + r * m->stride, 1, m->nlabels, f) != m->nlabels)
            return false;
    return true;
}

bool cls_save(const struct cls_model *m, const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return false;
    uint32_t hdr[4] = { CLS_VERSION, m->nlabels, m->nfeatures, m->features };
    bool ok = fwrite(CLS_MAGIC, 1, 8, f) == 8 && fwrite(hdr, sizeof(hdr), 1, f) == 1 &&
              fwrite(&m->examples, sizeof(m->examples), 1, f) == 1 &&
              fwrite(&m->created, sizeof(m->created), 1, f) == 1 &&
              fwrite(m->labels, CLS_LABEL_MAX, m->nlabels, f) == m->nlabels &&
              fwrite(m->keys, sizeof(uint64_t), m->nfeatures, f) == m->nfeatures &&
              write_rows(m, f) &&
              fwrite(m->scale, sizeof(float), m->nfeatures, f) == m->nfeatures &&
              fwrite(m->bias, sizeof(float), m->nlabels, f) == m->nlabels &&
              fwrite(&m->temperature, sizeof(float), 1, f) == 1 &&
              fwrite(&m->threshold, sizeof(float), 1, f) == 1;
    ok = fflush(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        errno = e;
        return false;
    }
    return true;
}

struct cls_model *cls_load(const char *path, char *err, size_t errlen)
{
    char magic[8];
    uint32_t hdr[4];
    struct cls_model *m = xcalloc(1, sizeof(*m));
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        goto fail;
    }
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, CLS_MAGIC, 8) != 0 ||
        fread(hdr, sizeof(hdr), 1, f) != 1 || (hdr[0] != 2 && hdr[0] != CLS_VERSION) ||
        hdr[1] < 2 || hdr[1] > 10000 || hdr[2] > 50000000u) {
        snprintf(err, errlen, "%s is not an alo153 routing model (version %u)", path, CLS_VERSION);
        goto fail;
    }
    m->nlabels = hdr[1];
    m->nfeatures = hdr[2];
    m->features = hdr[0] >= 3 ? hdr[3] : 0; /* version 2: the original features */
    if (m->features & ~(uint32_t)CLS_F_ALL) {
        snprintf(err, errlen, "%s uses features this program does not know", path);
        goto fail;
    }
    m->labels = xcalloc(m->nlabels, CLS_LABEL_MAX);
    m->keys = xmalloc(((size_t)m->nfeatures + 1) * sizeof(uint64_t));
    m->w = xmalloc((size_t)m->nfeatures * m->nlabels + 1);
    m->scale = xmalloc(((size_t)m->nfeatures + 1) * sizeof(float));
    m->bias = xmalloc(m->nlabels * sizeof(float));
    if (fread(&m->examples, sizeof(m->examples), 1, f) != 1 ||
        fread(&m->created, sizeof(m->created), 1, f) != 1 ||
        fread(m->labels, CLS_LABEL_MAX, m->nlabels, f) != m->nlabels ||
        fread(m->keys, sizeof(uint64_t), m->nfeatures, f) != m->nfeatures ||
        fread(m->w, 1, (size_t)m->nfeatures * m->nlabels, f) != (size_t)m->nfeatures * m->nlabels ||
        fread(m->scale, sizeof(float), m->nfeatures, f) != m->nfeatures ||
        fread(m->bias, sizeof(float), m->nlabels, f) != m->nlabels ||
        (hdr[0] >= 3 && (fread(&m->temperature, sizeof(float), 1, f) != 1 ||
                         fread(&m->threshold, sizeof(float), 1, f) != 1))) {
        snprintf(err, errlen, "%s is truncated", path);
        goto fail;
    }
    if (!(m->temperature >= 0 && m->temperature < 1e6) ||
        !(m->threshold >= 0 && m->threshold < 1)) {
        snprintf(err, errlen, "%s is corrupt (calibration)", path);
        goto fail;
    }
    for (uint32_t l = 0; l < m->nlabels; l++)
        m->labels[l][CLS_LABEL_MAX - 1] = '\0';
    for (uint32_t i = 1; i < m->nfeatures; i++)
        if (m->keys[i] <= m->keys[i - 1]) {
            snprintf(err, errlen, "%s is corrupt (unsorted features)", path);
            goto fail;
        }
    fclose(f);
    index_build(m);
    pad_rows(m);
    return m;
fail:
    if (f)
        fclose(f);
    cls_free(m);
    return NULL;
}

void cls_free(struct cls_model *m)
{
    if (!m)
        return;
    free(m->labels);
    free(m->keys);
    free(m->w);
    free(m->scale);
    free(m->bias);
    free(m->slots);
    free(m);
}

size_t cls_num_labels(const struct cls_model *m)
{
    return m->nlabels;
}

const char *cls_label(const struct cls_model *m, size_t i)
{
    return i < m->nlabels ? m->labels[i] : NULL;
}

size_t cls_num_features(const struct cls_model *m)
{
    return m->nfeatures;
}

size_t cls_num_examples(const struct cls_model *m)
{
    return (size_t)m->examples;
}

int64_t cls_created(const struct cls_model *m)
{
    return m->created;
}
