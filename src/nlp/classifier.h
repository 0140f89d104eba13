#ifndef ALO_NLP_CLASSIFIER_H
#define ALO_NLP_CLASSIFIER_H
/*
 * The routing classifier: L2-regularised logistic regression (LIBLINEAR, one-vs-rest) over
 * features of the Turkish normalisation in turkish.h — folded word stems, stem bigrams,
 * character 3–5-grams of the folded words (they survive typos and missing Turkish letters),
 * and the stems of the request clause again under their own names, so that what the caller
 * asks to be done weighs more than the scenery around it.
 *
 * The trained weights are copied out of LIBLINEAR into a compact file of our own
 * (int8 weights with a scale per feature, sorted feature hashes), which predicts without
 * LIBLINEAR and loads quickly. A model is immutable once made (and calibrated) and may be
 * shared by threads.
 *
 * Calibration (file version 3): probabilities are softmax(z / T) of the decision values z,
 * with the temperature T fitted on a dev split (minimum negative log-likelihood), and the
 * model carries the abstention threshold chosen on that split. Version 2 files (no
 * calibration) are still read; their probabilities are the one-vs-rest sigmoids normalised
 * to sum to one, and their threshold is 0 (none: the caller's default applies).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLS_LABEL_MAX 40

struct cls_model;

struct cls_example {
    const char *text;  /* borrowed */
    const char *label; /* borrowed: a category code */
};

/* Feature and solver choices (a model records its own; 0 in a version 2 file = none of these). */
#define CLS_F_COLLOQUIAL 1u /* words rewritten by nlp_colloquial() first ("gelmiyo") */
#define CLS_F_CHAR25 2u     /* character 2–5-grams instead of 3–4-grams */
#define CLS_F_SVM 4u        /* train L2-loss linear SVMs instead of logistic regression */
#define CLS_F_ALL 7u
#define CLS_F_DEFAULT CLS_F_COLLOQUIAL
#define CLS_F_GIVEN 0x80000000u /* in cls_train_opts.features: use exactly the bits given */

struct cls_train_opts {
    double c;          /* LIBLINEAR's C; 0 = default (8) */
    int min_df;        /* keep features seen in at least this many examples; 0 = default (2) */
    unsigned features; /* CLS_F_GIVEN | CLS_F_* bits; 0 = CLS_F_DEFAULT */
};

struct cls_suggestion {
    char label[CLS_LABEL_MAX];
    double p; /* probability, 0..1; the top-k of all labels sum to ≤ 1 */
};

/* Train on n examples. Returns NULL with a message in err on failure (e.g. one label only). */
struct cls_model *cls_train(const struct cls_example *ex, size_t n,
                            const struct cls_train_opts *opts, char *err, size_t errlen);
/* Write to path atomically (path.tmp then rename). false with errno set on failure. */
bool cls_save(const struct cls_model *m, const char *path);
/* Load a model file; NULL with a message in err when missing or malformed. */
struct cls_model *cls_load(const char *path, char *err, size_t errlen);
void cls_free(struct cls_model *m);

/* The k most probable labels for text, best first; returns how many were written (≤ k),
 * 0 for text without words, -1 for invalid UTF-8. Thread-safe. */
int cls_predict(const struct cls_model *m, const char *text, struct cls_suggestion *top, int k);

/* The decision value of each label (cls_num_labels() entries, in cls_label() order) into z;
 * returns the number of known features found (0: none, z untouched) or -1 for invalid UTF-8. */
int cls_logits(const struct cls_model *m, const char *text, double *z);
/* The model's probabilities for the decision values z (as cls_predict) into p (nlabels). */
void cls_probabilities(const struct cls_model *m, const double *z, double *p);
/* p = softmax(z / t) over n values (t > 0): monotone in z, sums to one. */
void cls_softmax(const double *z, size_t n, double t, double *p);

/* Calibration on a dev split. z holds n rows of nlabels decision values, gold the index of the
 * right label per row. Returns the temperature with the least mean negative log-likelihood. */
double cls_fit_temperature(const double *z, const uint32_t *gold, size_t n, size_t nlabels);
struct cls_bin {
    size_t n;          /* texts whose top probability falls in the bin */
    double confidence; /* their mean top probability */
    double accuracy;   /* the share of them that is right */
};
/* Expected calibration error of top probabilities conf[i] (right or not: correct[i]) over
 * `bins` equal-width bins; the bins into out when not NULL (bins entries). */
double cls_ece(const double *conf, const bool *correct, size_t n, int bins, struct cls_bin *out);
/* The smallest threshold of 0.05, 0.06, … 0.95 at which the texts with conf ≥ threshold are
 * right at least `target` of the time (0.95 when none is). */
double cls_choose_threshold(const double *conf, const bool *correct, size_t n, double target);
/* Store the temperature (0 = uncalibrated) and the abstention threshold (0 = none). */
void cls_set_calibration(struct cls_model *m, double temperature, double threshold);
double cls_temperature(const struct cls_model *m);   /* 0 for an uncalibrated model */
double cls_threshold(const struct cls_model *m);     /* 0 when the model has none */
unsigned cls_feature_set(const struct cls_model *m); /* CLS_F_* it was trained with */

/* Introspection for reports and the CLI. */
size_t cls_num_labels(const struct cls_model *m);
const char *cls_label(const struct cls_model *m, size_t i);
size_t cls_num_features(const struct cls_model *m);
size_t cls_num_examples(const struct cls_model *m); /* examples it was trained on */
int64_t cls_created(const struct cls_model *m);     /* Unix time of training */

/* Feature extraction (CLS_F_DEFAULT), exposed for tests: calls fn with each feature's name
 * (borrowed, NUL-terminated, e.g. "w:cukur", "r:yama", "c:^cu"). Returns -1 on invalid UTF-8. */
int cls_features(const char *text, void (*fn)(void *ctx, const char *feature), void *ctx);

#endif
