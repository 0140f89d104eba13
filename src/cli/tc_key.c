#include "cli/tc_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/kvkk.h"
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
    struct err_detail ed = { 0 };
    int64_t foreign = 0;
    if (sealed > 0 && core_kvkk_key_check(st, &foreign, &ed) != ERR_OK) {
        fprintf(stderr, "%s: %s\n", prog, ed.message);
        return false;
    }
    if (foreign > 0) {
        fprintf(stderr,
                "%s: %lld encrypted T.C. numbers were not sealed with the key %s (key id %s): "
                "a wrong key file, or a key rotation not finished (run alo153 kvkk rotate-key "
                "again; docs/KVKK.md)\n",
                prog, (long long)foreign, p ? p : "", tccrypt_key_id());
        return false;
    }
    return true;
}

bool cli_tc_key_check_copy(struct store *from, const char *from_db, const char *given,
                           const char *prog)
{
    char path[4096], err[512];
    int64_t plain = 0, sealed = 0, after = 0, unreadable = 0;
    if (store_tc_counts(from, &plain, &sealed) != ERR_OK) {
        fprintf(stderr, "%s: cannot count the stored T.C. numbers\n", prog);
        return false;
    }
    if (sealed == 0)
        return true;
    const char *p = cli_tc_key_path(from_db, given, path, sizeof(path));
    if (!p || access(p, F_OK) != 0) {
        fprintf(stderr,
                "%s: the source holds %lld encrypted T.C. numbers; they are copied as they "
                "are, so the target must be served with the key they were sealed with: give "
                "that key file (--tc-key-file FILE or ALO153_TC_KEY_FILE); nothing copied\n",
                prog, (long long)sealed);
        return false;
    }
    if (!tccrypt_key_load(p, err, sizeof(err))) {
        fprintf(stderr, "%s: %s; nothing copied\n", prog, err);
        return false;
    }
    for (;;) {
        struct tc_row *rows = NULL;
        size_t n = 0;
        if (store_tc_page(from, after, 500, &rows, &n) != ERR_OK) {
            fprintf(stderr, "%s: cannot read the stored T.C. numbers\n", prog);
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            char tc[16];
            if (strcmp(rows[i].key_id, tccrypt_key_id()) != 0 &&
                !tccrypt_open(rows[i].tc, tc, sizeof(tc)))
                unreadable++;
        }
        after = n ? rows[n - 1].id : after;
        free(rows);
        if (n == 0)
            break;
    }
    if (unreadable > 0) {
        fprintf(stderr,
                "%s: %lld of the source's %lld encrypted T.C. numbers do not open with the key "
                "%s (key id %s): the target would hold numbers it can never read. Give the key "
                "the source is served with (or rotate the source's key first: alo153 kvkk "
                "rotate-key); nothing copied\n",
                prog, (long long)unreadable, (long long)sealed, p, tccrypt_key_id());
        return false;
    }
    fprintf(stderr,
            "%s: %lld encrypted T.C. numbers copied as they are: serve the target with the key "
            "%s (key id %s)\n",
            prog, (long long)sealed, p, tccrypt_key_id());
    return true;
}
