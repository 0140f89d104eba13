/* alo153 kvkk (KVKK, issue 12; core/kvkk.h, docs/KVKK.md): the T.C. number key's chores —
 * make a new key file, and rotate the key (every sealed number re-encrypted under the new key,
 * resumable). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "core/kvkk.h"
#include "store/store.h"
#include "util/parse.h"
#include "util/tccrypt.h"
#include "util/banned.h"

static void kvkk_usage(FILE *f)
{
    fprintf(f,
            "usage: alo153 kvkk new-key FILE\n"
            "       alo153 kvkk rotate-key --db FILE|URL --old-key-file FILE --new-key-file FILE\n"
            "                              [--batch N]\n"
            "new-key     write a new random T.C. number key to FILE (mode 0600; never\n"
            "            overwrites)\n"
            "rotate-key  re-encrypt every encrypted T.C. number and recompute its search hash\n"
            "            under the new key, in transactions of N rows (500). Stop every\n"
            "            alo153 serve of the database first. A number already under the new\n"
            "            key is skipped: when interrupted, run it again. Then serve with\n"
            "            --tc-key-file set to the new key (docs/KVKK.md).\n");
}

/* core's progress callback: the bar of progress.h */
static void bar_show(void *ctx, int64_t done, int64_t total)
{
    cli_progress_show(ctx, done, total);
}

static int rotate_key(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "old-key-file", required_argument, NULL, 'o' },
                                          { "new-key-file", required_argument, NULL, 'n' },
                                          { "batch", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *old_path = NULL, *new_path = NULL;
    int64_t batch = 500;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'o': old_path = optarg; break;
        case 'n': new_path = optarg; break;
        case 'b':
            if (!parse_i64(optarg, 1, 100000, &batch)) {
                fprintf(stderr, "alo153 kvkk rotate-key: --batch must be 1..100000\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': kvkk_usage(stdout); return 0;
        default: kvkk_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc || !old_path || !new_path) {
        fprintf(stderr, "alo153 kvkk rotate-key: give --old-key-file and --new-key-file (keys "
                        "are read only from files)\n");
        return EXIT_USAGE;
    }
    struct tccrypt_key old_key, new_key;
    char err[512];
    if (!tccrypt_key_read(old_path, &old_key, err, sizeof(err)) ||
        !tccrypt_key_read(new_path, &new_key, err, sizeof(err))) {
        fprintf(stderr, "alo153 kvkk rotate-key: %s\n", err);
        tccrypt_key_forget(&old_key);
        return 1;
    }
    db = cli_db_path(db);
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    int rc = 1;
    if (store_open_existing(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 kvkk rotate-key: %s\n", ed.message);
        goto out;
    }
    struct cli_progress b;
    cli_progress_init(&b, "rotate-key", true);
    struct kvkk_rotation res;
    if (core_kvkk_rotate_key(st, &old_key, &new_key, (int)batch, bar_show, &b, &res, &ed) !=
        ERR_OK) {
        if (b.tty && b.last >= 0 && b.last < 100)
            fputc('\n', stderr);
        fprintf(stderr,
                "alo153 kvkk rotate-key: %s (numbers done so far stay under the new key; "
                "run it again when fixed)\n",
                ed.message);
        goto out;
    }
    printf("re-encrypted %lld T.C. numbers under key %s, %lld were under it already (%lld in "
           "all); serve with --tc-key-file %s now\n",
           (long long)res.rotated, new_key.id, (long long)res.skipped, (long long)res.total,
           new_path);
    rc = 0;
out:
    store_close(st);
    tccrypt_key_forget(&old_key);
    tccrypt_key_forget(&new_key);
    return rc;
}

int cmd_kvkk(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        kvkk_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "rotate-key") == 0)
        return rotate_key(argc, argv);
    if (strcmp(argv[1], "new-key") == 0) {
        char err[512];
        if (argc != 3 || cli_is_help(argv[2])) {
            kvkk_usage(argc == 3 ? stdout : stderr);
            return argc == 3 ? 0 : EXIT_USAGE;
        }
        if (!tccrypt_key_create(argv[2], err, sizeof(err))) {
            fprintf(stderr, "alo153 kvkk new-key: %s\n", err);
            return 1;
        }
        printf("T.C. number key %s created (mode 0600): back it up apart from the database\n",
               argv[2]);
        return 0;
    }
    kvkk_usage(stderr);
    return EXIT_USAGE;
}
