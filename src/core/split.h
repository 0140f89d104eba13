#ifndef ALO_CORE_SPLIT_H
#define ALO_CORE_SPLIT_H
/*
 * Two requests in one text (issue 13): "Sokağımızdaki çukur kapatılsın, ayrıca parktaki
 * bank kırık." The text is cut at sentence and clause ends (. ! ? ; , new line), before connectors
 * ("ayrıca", "bir de", "üstelik", the second "hem" of "hem … hem", …); each cut gives
 * two parts, each classified (core/routing.h). A split is found when both parts are
 * confident and in different departments; of several, the one whose weaker part is the most
 * probable wins. A part must read as a request (a word such as "yapılsın", "istiyoruz",
 * "yanmıyor", "bozuk", "lazım") and must not say that all is well ("… değil", "sorunumuz
 * yok", "memnunuz"). The parts are trimmed of the connector and the punctuation at the cut.
 */
#include <stdbool.h>
#include <stddef.h>

#include "core/routing.h"
#include "store/store.h"

#define SPLIT_MAX_CUTS 12 /* cut points tried, in text order */

struct split_part {
    size_t off, len;          /* the part's bytes in the text */
    struct routing_result rr; /* its classification */
};

struct split_result {
    bool found;
    struct split_part part[2];
};

/* Look for two requests in text. ERR_OK with out->found false when there is none (or no
 * model); ERR_INVALID for invalid UTF-8. */
int split_find(struct store *st, const char *text, struct split_result *out);

#endif
