#ifndef ALO_CORE_REPEAT_H
#define ALO_CORE_REPEAT_H
/*
 * Repeats: is a new application the same problem as an open one? Same category and either
 * within REPEAT_RADIUS_M metres (when both have coordinates) or in the same neighbourhood
 * with similar words, created in the last REPEAT_DAYS days. The agent then links it as a
 * duplicate instead of creating work twice.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"

#define REPEAT_RADIUS_M 150.0
#define REPEAT_DAYS 14
#define REPEAT_MIN_SIMILARITY 0.2

struct repeat_query {
    int64_t category_id;
    int64_t district_id, neighbourhood_id;
    bool has_geo;
    double lat, lon;
    const char *text;   /* may be NULL */
    int64_t exclude_id; /* the application itself, when it already exists */
    int64_t now;
};

struct repeat_hit {
    struct app app;    /* owned: release with app_release() */
    double distance_m; /* < 0 when either side has no coordinates */
    double similarity; /* 0..1, word overlap of the two texts */
};

/* Great-circle distance in metres between two WGS84 points. */
double repeat_distance_m(double lat1, double lon1, double lat2, double lon2);
/* Word-overlap similarity (Jaccard of folded stems, short function words ignored), 0..1. */
double repeat_similarity(const char *a, const char *b);
/* Does candidate c repeat the query? Fills distance and similarity. */
bool repeat_matches(const struct repeat_query *q, const struct app *c, double *distance_m,
                    double *similarity);
/* Find open repeats of q in the store, best first (at most max). *out malloc'd array of
 * *n hits; free each hit's app, then the array, with repeat_hits_free(). */
int repeat_find(struct store *st, const struct repeat_query *q, size_t max, struct repeat_hit **out,
                size_t *n);
void repeat_hits_free(struct repeat_hit *hits, size_t n);

#endif
