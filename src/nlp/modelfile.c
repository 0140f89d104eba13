#include "nlp/modelfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/str.h"
#include "util/banned.h"

const char *modelfile_dir(const char *given)
{
    if (given && *given)
        return given;
    const char *e = getenv("ALO153_MODELS");
    return e && *e ? e : "models";
}

/* dir/leaf into out; false when it does not fit. */
static bool join(char *out, size_t outlen, const char *dir, const char *leaf)
{
    int n = snprintf(out, outlen, "%s/%s", dir, leaf);
    return n >= 0 && (size_t)n < outlen;
}

int modelfile_set_current(const char *dir, const char *model_path)
{
    char cur[1100], tmp[1100];
    const char *base = strrchr(model_path, '/');
    base = base ? base + 1 : model_path;
    if (!join(cur, sizeof(cur), dir, "current") || !join(tmp, sizeof(tmp), dir, "current.tmp")) {
        errno = ENAMETOOLONG;
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int ok = fprintf(f, "%s\n", base) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, cur) != 0) {
        int e = errno;
        remove(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

int modelfile_current_path(const char *dir, char *out, size_t outlen)
{
    char cur[1100], name[256];
    if (!join(cur, sizeof(cur), dir, "current"))
        return -1;
    FILE *f = fopen(cur, "r");
    if (!f)
        return -1;
    bool ok = fgets(name, sizeof(name), f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    name[strcspn(name, "\r\n")] = '\0';
    if (!name[0] || strchr(name, '/'))
        return -1;
    return join(out, outlen, dir, name) ? 0 : -1;
}

int modelfile_save_current(const struct cls_model *m, const char *dir, const char *name, char *path,
                           size_t pathlen)
{
    if (!join(path, pathlen, dir, name)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    if (!cls_save(m, path) || modelfile_set_current(dir, path) != 0)
        return -1;
    return 0;
}

bool modelfile_watch_init(struct modelfile_watch *w, const char *dir)
{
    memset(w, 0, sizeof(*w));
    size_t l = strlen(dir);
    if (l >= sizeof(w->dir))
        return false;
    memcpy(w->dir, dir, l + 1);
    return true;
}

int modelfile_watch_poll(struct modelfile_watch *w, struct cls_model **out, char *name,
                         size_t namelen, char *err, size_t errlen)
{
    char cur[1100], path[1400];
    struct stat sb;
    *out = NULL;
    if (!join(cur, sizeof(cur), w->dir, "current") || stat(cur, &sb) != 0 ||
        (sb.st_mtim.tv_sec == w->mtime.tv_sec && sb.st_mtim.tv_nsec == w->mtime.tv_nsec))
        return 0;
    w->mtime = sb.st_mtim;
    if (modelfile_current_path(w->dir, path, sizeof(path)) != 0) {
        snprintf(err, errlen, "no current model");
        return -1;
    }
    *out = cls_load(path, err, errlen);
    if (!*out)
        return -1;
    const char *base = strrchr(path, '/');
    str_copy(name, namelen, base ? base + 1 : path);
    return 1;
}
