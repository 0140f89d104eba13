#include "core/repeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define SIM_MAX_WORDS 128

double repeat_distance_m(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371008.8, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * atan2(sqrt(a), sqrt(1 - a));
}

struct stem_set {
    size_t n;
    char s[SIM_MAX_WORDS][32];
};

/* Function words that carry no topic ("ve", "bir", "bu", …). */
static bool is_stopword(const char *w)
{
    static const char *const stop[] = { "ve",  "bir",  "bu",   "su",  "o",   "da",   "de",
                                        "ile", "icin", "cok",  "var", "yok", "mi",   "mu",
                                        "ne",  "ki",   "gibi", "ama", "en",  "daha", "her",
                                        "ben", "biz",  "siz",  NULL };
    for (int i = 0; stop[i]; i++)
        if (strcmp(stop[i], w) == 0)
            return true;
    return strlen(w) < 2;
}

static int add_stem(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                    size_t start, size_t end)
{
    struct stem_set *set = ctx;
    char buf[32];
    (void)start, (void)end;
    /* the word as written, folded: the stemmer cuts some function words ("ile", "için") */
    if (wlen < sizeof(buf)) {
        memcpy(buf, word, wlen);
        buf[wlen] = '\0';
        if (is_stopword(buf))
            return 0;
    }
    if (slen >= sizeof(buf))
        slen = sizeof(buf) - 1;
    memcpy(buf, stem, slen);
    buf[slen] = '\0';
    if (is_stopword(buf))
        return 0;
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->s[i], buf) == 0)
            return 0;
    if (set->n < SIM_MAX_WORDS)
        memcpy(set->s[set->n++], buf, slen + 1);
    return 0;
}

double repeat_similarity(const char *a, const char *b)
{
    struct stem_set *sa = xcalloc(1, sizeof(*sa)), *sb = xcalloc(1, sizeof(*sb));
    double sim = 0;
    if (a && b && nlp_tokenize(a, strlen(a), add_stem, sa) == 0 &&
        nlp_tokenize(b, strlen(b), add_stem, sb) == 0 && sa->n && sb->n) {
        size_t common = 0;
        for (size_t i = 0; i < sa->n; i++)
            for (size_t j = 0; j < sb->n; j++)
                if (strcmp(sa->s[i], sb->s[j]) == 0) {
                    common++;
                    break;
                }
        sim = (double)common / (double)(sa->n + sb->n - common);
    }
    free(sa);
    free(sb);
    return sim;
}

bool repeat_matches(const struct repeat_query *q, const struct app *c, double *distance_m,
                    double *similarity)
{
    *distance_m = -1;
    *similarity = 0;
    if (c->id == q->exclude_id || c->category_id != q->category_id)
        return false;
    if (c->status != ST_NEW && c->status != ST_FORWARDED && c->status != ST_IN_PROGRESS)
        return false;
    if (c->created_at < q->now - REPEAT_DAYS * 86400)
        return false;
    if (q->has_geo && c->has_geo) {
        *distance_m = repeat_distance_m(q->lat, q->lon, c->lat, c->lon);
        if (q->text && c->text)
            *similarity = repeat_similarity(q->text, c->text);
        return *distance_m <= REPEAT_RADIUS_M;
    }
    if (!q->neighbourhood_id || c->neighbourhood_id != q->neighbourhood_id)
        return false;
    if (!q->text || !*q->text)
        return true; /* same category, same neighbourhood: worth showing */
    *similarity = repeat_similarity(q->text, c->text);
    return *similarity >= REPEAT_MIN_SIMILARITY;
}

static int hit_cmp(const void *x, const void *y)
{
    const struct repeat_hit *a = x, *b = y;
    /* nearer first when both have a distance; else more similar first */
    if (a->distance_m >= 0 && b->distance_m >= 0 && a->distance_m != b->distance_m)
        return a->distance_m < b->distance_m ? -1 : 1;
    if (a->similarity != b->similarity)
        return a->similarity > b->similarity ? -1 : 1;
    return a->app.id > b->app.id ? -1 : 1;
}

int repeat_find(struct store *st, const struct repeat_query *q, size_t max, struct repeat_hit **out,
                size_t *n)
{
    struct app *cands = NULL;
    size_t nc = 0, k = 0;
    *out = NULL;
    *n = 0;
    if (!q->category_id)
        return ERR_OK;
    int rc = store_app_open_candidates(st, q->category_id, q->has_geo ? 0 : q->district_id,
                                       q->now - REPEAT_DAYS * 86400, 200, &cands, &nc);
    if (rc != ERR_OK)
        return rc;
    struct repeat_hit *hits = xcalloc(nc ? nc : 1, sizeof(*hits));
    for (size_t i = 0; i < nc; i++) {
        double d, s;
        if (repeat_matches(q, &cands[i], &d, &s)) {
            hits[k].app = cands[i];
            hits[k].distance_m = d;
            hits[k].similarity = s;
            k++;
        } else {
            app_release(&cands[i]);
        }
    }
    free(cands);
    qsort(hits, k, sizeof(*hits), hit_cmp);
    while (k > max)
        app_release(&hits[--k].app);
    *out = hits;
    *n = k;
    return ERR_OK;
}

void repeat_hits_free(struct repeat_hit *hits, size_t n)
{
    for (size_t i = 0; i < n; i++)
        app_release(&hits[i].app);
    free(hits);
}
