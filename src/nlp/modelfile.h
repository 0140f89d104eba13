#ifndef ALO_NLP_MODELFILE_H
#define ALO_NLP_MODELFILE_H
/*
 * The models folder (default "models"): model files written by `alo153 train`, and
 * MODELS/current, one line naming the model in use. Both are replaced atomically (a .tmp
 * file, then rename), so a reader sees the old or the new, never half of either.
 * A struct modelfile_watch notices a repointed current (its modification time) and loads
 * the model it names; the server checks it from a background job (cli/serve_jobs.c) and
 * hands the model to core/routing.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "nlp/classifier.h"

/* The models folder: given, else $ALO153_MODELS, else "models" (borrowed). */
const char *modelfile_dir(const char *given);
/* Point dir/current at model_path's file name (atomically). 0 on success, -1 with errno. */
int modelfile_set_current(const char *dir, const char *model_path);
/* The path of the current model ("dir/name") into out. 0 on success, -1 when there is none
 * (no current file, an empty or a path-like name, or out too small). */
int modelfile_current_path(const char *dir, char *out, size_t outlen);
/* Create dir when missing, write m to dir/name atomically and point current at it; the
 * written path goes into path. 0 on success, -1 with errno. */
int modelfile_save_current(const struct cls_model *m, const char *dir, const char *name, char *path,
                           size_t pathlen);

struct modelfile_watch {
    char dir[1024];        /* the models folder */
    struct timespec mtime; /* of dir/current when last looked at; 0 = never */
};

/* Watch dir (copied; false when the name is too long). Nothing is loaded yet. */
bool modelfile_watch_init(struct modelfile_watch *w, const char *dir);
/* Has dir/current changed since the last call (or is this the first)? Then load the model it
 * names: 1 with *out (caller frees with cls_free()) and its file name in name; 0 when
 * unchanged or there is no current file; -1 when it changed but names no loadable model
 * (message in err; not tried again until current changes again). */
int modelfile_watch_poll(struct modelfile_watch *w, struct cls_model **out, char *name,
                         size_t namelen, char *err, size_t errlen);

#endif
