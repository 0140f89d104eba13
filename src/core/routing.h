#ifndef ALO_CORE_ROUTING_H
#define ALO_CORE_ROUTING_H
/*
 * Routing: which category (and through it which department) an application belongs to,
 * as suggested by the classifier (nlp/classifier.h), plus the urgency flags
 * (nlp/urgency.h), with the model in use set by routing_set_model(). Routing does no file
 * I/O: the models folder is nlp/modelfile.h's, and `alo153 serve` checks it from a
 * background job (cli/serve_jobs.c) that swaps a new model in without a restart.
 * Thread-safe.
 */
#include <stdbool.h>
#include <stddef.h>

#include "nlp/urgency.h"
#include "store/store.h"
#include "util/err.h"

#define ROUTING_TOP 3
/* Below the threshold the top suggestion is not confident and nothing auto-routes. It is the
 * setting "routing.threshold" when set (0 < t <= 1), else the one the model was calibrated with
 * (`alo153 train`, chosen on the dev split), else this default (uncalibrated models). */
#define ROUTING_THRESHOLD 0.40

struct routing_suggestion {
    char category[40];
    char department[40];
    char category_name[160];
    char department_name[160];
    double p;
};

struct routing_result {
    int n; /* suggestions filled (0 when no words) */
    struct routing_suggestion s[ROUTING_TOP];
    bool confident; /* s[0].p >= threshold */
    double threshold;
    struct urgency urgency;
    char redirect[256]; /* top suggestion is not the municipality's: where to turn */
    char model[128];    /* file name of the model used */
};

struct cls_model;

/* Classify with m from now on (takes ownership; NULL: no model); name is its file name,
 * reported with each result. The previous model is freed once no classification uses it. */
void routing_set_model(struct cls_model *m, const char *name);
/* Release the model in use (at shutdown). */
void routing_shutdown(void);
/* Is a model in use? */
bool routing_available(void);
/* The file name of the model in use into out (outlen bytes; "" when none). false when none. */
bool routing_model_name(char *out, size_t outlen);

/* Classify text. ERR_UNSUPPORTED when no model is available (urgency is still filled);
 * ERR_INVALID for invalid UTF-8. Category and department names come from the store. */
int routing_classify(struct store *st, const char *text, struct routing_result *out,
                     struct err_detail *ed);

#endif
