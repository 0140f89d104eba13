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
 * (float32, sorted feature hashes), which predicts without LIBLINEAR and loads quickly.
 * A model is immutable once made and may be shared by threads.
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

struct cls_train_opts {
    double c;   /* LIBLINEAR's C; 0 = default (8) */
    int min_df; /* keep features seen in at least this many examples; 0 = default (2) */
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

/* Introspection for reports and the CLI. */
size_t cls_num_labels(const struct cls_model *m);
const char *cls_label(const struct cls_model *m, size_t i);
size_t cls_num_features(const struct cls_model *m);
size_t cls_num_examples(const struct cls_model *m); /* examples it was trained on */
int64_t cls_created(const struct cls_model *m);     /* Unix time of training */

/* Feature extraction, exposed for tests: calls fn with each feature's name (borrowed,
 * NUL-terminated, e.g. "w:cukur", "r:yama", "c:^cu"). Returns -1 on invalid UTF-8. */
int cls_features(const char *text, void (*fn)(void *ctx, const char *feature), void *ctx);

#endif
