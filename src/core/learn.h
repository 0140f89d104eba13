#ifndef ALO_CORE_LEARN_H
#define ALO_CORE_LEARN_H
/*
 * Learning from corrections (issue 13): when people correct the routing — a department
 * returns an application, someone transfers or re-routes it, or a call-taker files it under
 * another category than the classifier suggested — the citizen's words, the suggested
 * category, the category before and after, who and when are recorded as a training example
 * (store_correction_add), in the transaction of the change itself. alo153 train learns from
 * the last correction of each application that names a final category.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/routing.h"
#include "model/lifecycle.h"
#include "model/model.h"
#include "store/store.h"

/* Is this action a correction worth recording? prior is the bit set (1 << enum app_action)
 * of the actions the application saw before; prev_category and category are its category
 * ids before and after (0 = none). A return and a transfer always are; a route is when it
 * comes after an earlier route, transfer or return, or changes a category already set. */
bool learn_is_correction(enum app_action action, unsigned prior, int64_t prev_category,
                         int64_t category);

/* Inside the caller's transaction, after action changed a (prev_category: a's category id
 * before): record the correction when learn_is_correction says so. ERR_OK or the store's. */
int learn_on_act(struct store *st, const struct user *actor, const struct app *a,
                 enum app_action action, unsigned prior, int64_t prev_category, int64_t now);

/* Inside the caller's transaction, at creation: a person filed a under a category other than
 * the classifier's top suggestion (rr may be NULL: nothing to record). */
int learn_on_create(struct store *st, const struct user *actor, const struct app *a,
                    const struct routing_result *rr, int64_t now);

/* ---- the promotion gate (alo153 train --gate) ----
 * A candidate model is promoted (MODELS/current repointed) only when it is not worse than
 * the current one on a frozen test file: department top-1 over all lines and over the lines
 * of style "decoy". The figures go beside the model file in NAME.gate ("key value" lines), so
 * GET /api/v1/routing/models can list them. */
struct learn_gate {
    char verdict[16];  /* "promoted" | "rejected" | "" (trained without a gate) */
    char reason[256];  /* why, in English */
    char file[256];    /* the gate file */
    long n, decoys_n;  /* lines evaluated, of them decoys */
    double top1;       /* the candidate's department top-1 (fraction) */
    double decoys;     /* … on the decoys (fraction; 0 when none) */
    char against[128]; /* the model it was measured against ("" when none was current) */
    double against_top1, against_decoys;
    long examples, corrections; /* training lines, of them corrections */
    char at[32];                /* RFC 3339 UTC */
};

/* Decide: does the candidate (g->top1, g->decoys) pass against g->against_* with tolerance
 * tol (fraction; 0 = must not be worse at all)? A gate with no current model passes. Sets
 * g->verdict and g->reason. */
bool learn_gate_decide(struct learn_gate *g, double tol);
/* Write g to path (atomically: path.tmp then rename) / read it back. 0 or -1. */
int learn_gate_write(const char *path, const struct learn_gate *g);
int learn_gate_read(const char *path, struct learn_gate *g);

struct learn_model {
    char name[128]; /* file name: route-<time>.model or rejected-<time>.model */
    bool current;   /* MODELS/current names it */
    long long size; /* bytes */
    bool has_gate;  /* NAME.gate was read into gate */
    struct learn_gate gate;
};
/* The models folder the server uses (set by serve; default modelfile_dir(NULL)). */
void learn_set_models_dir(const char *dir);
const char *learn_models_dir(void);
/* The model files of dir, newest first, at most max; *out malloc'd (caller frees). 0, or -1
 * when dir cannot be read (then *n is 0). */
int learn_models_list(const char *dir, size_t max, struct learn_model **out, size_t *n);

#endif
