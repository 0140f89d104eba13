#include "cli/tc_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"
#include "util/str.h"
#include "util/tccrypt.h"
#include "util/banned.h"

const char *cli_tc_key_path(const char *db, const char *given, char *buf, size_t len)
{
    const char *env = getenv("ALO153_TC_KEY_FILE");
    const char *p = given && *given ? given : env && *env ? env : NULL;
    if (p)
        return str_copy(buf, len, p) ? buf : NULL;
    if (!db || store_is_url(db))
        return NULL;
    if (!str_copy(buf, len, db))
        return NULL;
    size_t n = 0;
    while (buf[n])
        n++;
    return str_copy(buf + n, len - n, ".tc-key") ? buf : NULL;
}

bool cli_tc_key_create(const char *db, const char *given, const char *prog)
{
    char path[4096], err[512];
    if (!cli_tc_key_path(db, given, path, sizeof(path)) || access(path, F_OK) == 0)
        return true;
    if (!tccrypt_key_create(path, err, sizeof(err))) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return false;
    }
    printf("T.C. number key %s created (mode 0600): back it up apart from the database; without "
           "it the T.C. numbers cannot be read\n",
           path);
    return true;
}

bool cli_tc_key_setup(struct store *st, const char *db, const char *given, const char *prog)
{
    char path[4096], err[512];
    int64_t plain = 0, sealed = 0, n = 0;
    const char *p = cli_tc_key_path(db, given, path, sizeof(path));
    const char *env = getenv("ALO153_TC_KEY_FILE");
    bool named = (given && *given) || (env && *env);
    if (p && (named || access(p, F_OK) == 0) && !tccrypt_key_load(p, err, sizeof(err))) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return false;
    }
    if (store_tc_counts(st, &plain, &sealed) != ERR_OK) {
        fprintf(stderr, "%s: cannot count the stored T.C. numbers\n", prog);
        return false;
    }
    if (!tccrypt_have_key()) {
        if (sealed > 0) {
            fprintf(stderr,
                    "%s: the database holds %lld encrypted T.C. numbers but no key was given; "
                    "give --tc-key-file FILE (or ALO153_TC_KEY_FILE) with the key made by "
                    "alo153 init (docs/KVKK.md)\n",
                    prog, (long long)sealed);
            return false;
        }
        return true;
    }
    if (plain > 0) {
        if (store_tc_seal_all(st, &n) != ERR_OK) {
            fprintf(stderr, "%s: could not encrypt the stored T.C. numbers\n", prog);
            return false;
        }
        fprintf(stderr, "%s: %lld T.C. numbers encrypted with the key\n", prog, (long long)n);
    }
    return true;
}
