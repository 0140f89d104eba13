#ifndef ALO_CORE_ROUTING_H
#define ALO_CORE_ROUTING_H
/*
 * Routing: which category (and through it which department) an application belongs to,
 * as suggested by the classifier (nlp/classifier.h), plus the urgency flags
 * (nlp/urgency.h). The current model lives in a folder (default "models"): MODELS/current
 * names the model file; `alo153 train` writes a new file and repoints current, and a
 * serving process notices (checked at most once a second) and swaps models without a
 * restart. Thread-safe.
 */
#include <stdbool.h>
#include <stddef.h>

#include "nlp/urgency.h"
#include "store/store.h"
#include "util/err.h"

#define ROUTING_TOP 3
#define ROUTING_THRESHOLD 0.40   /* below this top-1 probability the application stays new */

struct routing_suggestion {
    char category[40];
    char department[40];
    char category_name[160];
    char department_name[160];
    double p;
};

struct routing_result {
    int n;                                      /* suggestions filled (0 when no words) */
    struct routing_suggestion s[ROUTING_TOP];
    bool confident;                             /* s[0].p >= threshold */
    double threshold;
    struct urgency urgency;
    char redirect[256];                         /* top suggestion is not the municipality's: where to turn */
    char model[128];                            /* file name of the model used */
};

/* The models folder: given, else $ALO153_MODELS, else "models". */
const char *routing_models_dir(const char *given);
/* Point dir/current at model_path (atomically). 0 on success, -1 with errno. */
int routing_set_current(const char *dir, const char *model_path);
/* The path of the current model into out. 0 on success, -1 when there is none. */
int routing_current_path(const char *dir, char *out, size_t outlen);

/* Serve from this models folder (call once at start; loads lazily). */
void routing_init(const char *dir);
/* Release the loaded model (at shutdown). */
void routing_shutdown(void);
/* Is a model loaded or loadable now? */
bool routing_available(void);

/* Classify text. ERR_UNSUPPORTED when no model is available (urgency is still filled);
 * ERR_INVALID for invalid UTF-8. Category and department names come from the store. */
int routing_classify(struct store *st, const char *text, struct routing_result *out,
                     struct err_detail *ed);

#endif
