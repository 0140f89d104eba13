/* alo153 backup / restore: a consistent copy of a SQLite database while it is being served
 * (store_backup: the online backup API inside one read snapshot), with a SHA-256 checksum
 * beside it (FILE.sha256, the format sha256sum -c reads), and its way back: restore checks
 * the checksum and the copy (schema, quick_check) before it replaces anything, and keeps the
 * database it replaces. PostgreSQL is backed up with its own tools (docs/OPERATIONS.md). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "store/store.h"
#include "util/str.h"
#include "util/banned.h"

#define SHA_HEX (crypto_hash_sha256_BYTES * 2 + 1)

/* The SHA-256 of the file at path as hex; false when it cannot be read. */
static bool file_sha256(const char *path, char hex[SHA_HEX])
{
    crypto_hash_sha256_state h;
    unsigned char buf[1 << 16], sum[crypto_hash_sha256_BYTES];
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    crypto_hash_sha256_init(&h);
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        crypto_hash_sha256_update(&h, buf, n);
    bool ok = !ferror(f);
    fclose(f);
    crypto_hash_sha256_final(&h, sum);
    sodium_bin2hex(hex, SHA_HEX, sum, sizeof(sum));
    return ok;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* the store's progress callback: the bar of progress.h */
static void bar_show(void *ctx, int done, int total)
{
    cli_progress_show(ctx, done, total);
}

static void backup_usage(FILE *f)
{
    fprintf(f, "usage: alo153 backup --db FILE --to FILE\n"
               "Copy the SQLite database --db, as it is when the copy starts, into --to (a new\n"
               "file), while alo153 serve goes on working, and write its SHA-256 to --to.sha256.\n"
               "PostgreSQL: use pg_dump or base backups (docs/OPERATIONS.md).\n");
}

int cmd_backup(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "to", required_argument, NULL, 't' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *to = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 't': to = optarg; break;
        case 'h': backup_usage(stdout); return 0;
        default: backup_usage(stderr); return 2;
        }
    }
    db = cli_db_path(db);
    if (!db || !to || optind < argc) {
        backup_usage(stderr);
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct store *st = NULL;
    struct err_detail ed = { 0 };
    struct cli_progress b;
    cli_progress_init(&b, "backup", false);
    char hex[SHA_HEX], sumfile[4096];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (store_open_existing(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 backup: %s\n", ed.message);
        return 1;
    }
    int rc = store_backup(st, to, bar_show, &b, &ed);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "alo153 backup: %s\n", ed.message);
        return rc == ERR_CONFLICT || rc == ERR_INVALID ? 2 : 1;
    }
    FILE *f = NULL;
    if (snprintf(sumfile, sizeof(sumfile), "%s.sha256", to) >= (int)sizeof(sumfile) ||
        !file_sha256(to, hex) || !(f = fopen(sumfile, "w")) ||
        fprintf(f, "%s  %s\n", hex, base_name(to)) < 0 || fclose(f) != 0) {
        fprintf(stderr,
                "alo153 backup: the copy is in %s, but its checksum could not be "
                "written to %s.sha256\n",
                to, to);
        return 1;
    }
    struct stat sb;
    stat(to, &sb);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("backup %s: %lld bytes in %.1f s, sha256 %s (%s)\n", to, (long long)sb.st_size,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, hex, sumfile);
    return 0;
}

/* Copy the file from into to (created, must not exist), flushed to disk. */
static bool copy_file(const char *from, const char *to)
{
    char buf[1 << 16];
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
    bool ok = in >= 0 && out >= 0;
    ssize_t n;
    while (ok && (n = read(in, buf, sizeof(buf))) != 0) {
        if (n < 0 || write(out, buf, (size_t)n) != n)
            ok = false;
    }
    ok = ok && fsync(out) == 0;
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0)
        ok = false;
    return ok;
}

static void restore_usage(FILE *f)
{
    fprintf(f, "usage: alo153 restore --from BACKUP --db FILE [--force]\n"
               "Check the backup (its checksum in BACKUP.sha256, its schema, quick_check) and\n"
               "make it the database FILE. FILE must not exist, or --force: the database it\n"
               "replaces is kept as FILE.before-restore-TIME. Stop alo153 serve on FILE first.\n");
}

int cmd_restore(int argc, char **argv)
{
    static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
                                          { "db", required_argument, NULL, 'd' },
                                          { "force", no_argument, NULL, 'F' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *from = NULL, *db = NULL;
    bool force = false;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'f': from = optarg; break;
        case 'd': db = optarg; break;
        case 'F': force = true; break;
        case 'h': restore_usage(stdout); return 0;
        default: restore_usage(stderr); return 2;
        }
    }
    db = cli_db_path(db);
    if (!from || !db || optind < argc) {
        restore_usage(stderr);
        return 2;
    }
    if (store_is_url(db)) {
        fprintf(stderr, "alo153 restore: PostgreSQL is restored with its own tools "
                        "(pg_restore; docs/OPERATIONS.md)\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct stat sb;
    if (stat(db, &sb) == 0 && !force) {
        fprintf(stderr, "alo153 restore: %s exists; give --force to replace it (it is kept)\n", db);
        return 2;
    }
    /* 1. the checksum, when the backup has one */
    char sumfile[4096], want[SHA_HEX + 8] = "", hex[SHA_HEX], tmp[4096], kept[4150];
    if (snprintf(sumfile, sizeof(sumfile), "%s.sha256", from) >= (int)sizeof(sumfile) ||
        snprintf(tmp, sizeof(tmp), "%s.restore-tmp", db) >= (int)sizeof(tmp)) {
        fprintf(stderr, "alo153 restore: file name too long\n");
        return 2;
    }
    FILE *f = fopen(sumfile, "r");
    if (f) {
        bool read_ok = fgets(want, sizeof(want), f) != NULL;
        fclose(f);
        want[read_ok ? strspn(want, "0123456789abcdef") : 0] = '\0';
        if (strlen(want) != SHA_HEX - 1) {
            fprintf(stderr, "alo153 restore: %s is not a checksum file\n", sumfile);
            return 1;
        }
        if (!file_sha256(from, hex)) {
            fprintf(stderr, "alo153 restore: cannot read %s: %s\n", from, strerror(errno));
            return 1;
        }
        if (strcmp(hex, want) != 0) {
            fprintf(stderr,
                    "alo153 restore: %s does not match its checksum (%s): the backup is "
                    "damaged; nothing was changed\n",
                    from, sumfile);
            return 1;
        }
    } else {
        fprintf(stderr,
                "alo153 restore: no %s; the copy is checked by its schema and "
                "quick_check only\n",
                sumfile);
    }
    /* 2. a working copy next to the target, opened and checked like a database to serve */
    unlink(tmp);
    if (!copy_file(from, tmp)) {
        fprintf(stderr, "alo153 restore: cannot copy %s to %s: %s\n", from, tmp, strerror(errno));
        unlink(tmp);
        return 1;
    }
    struct store *st = NULL;
    struct err_detail ed = { 0 };
    int rc = store_open_existing(tmp, &st, &ed);
    if (rc == ERR_OK)
        rc = store_check(st, true, &ed);
    if (st)
        store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "alo153 restore: %s cannot be restored: %s; nothing was changed\n", from,
                ed.message);
        unlink(tmp);
        return 1;
    }
    /* 3. keep what is replaced, with its WAL (committed changes may still be only there),
     * then put the copy in place (a rename: whole or not at all) */
    kept[0] = '\0';
    if (stat(db, &sb) == 0)
        snprintf(kept, sizeof(kept), "%s.before-restore-%lld", db, (long long)time(NULL));
    static const char *const exts[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        char a[4200], b[4300];
        snprintf(a, sizeof(a), "%s%s", db, exts[i]);
        snprintf(b, sizeof(b), "%s%s", kept, exts[i]);
        if (stat(a, &sb) != 0)
            continue;
        if (!*kept || rename(a, b) != 0) {
            fprintf(stderr, "alo153 restore: cannot move %s aside: %s\n", a, strerror(errno));
            unlink(tmp);
            return 1;
        }
    }
    if (rename(tmp, db) != 0) {
        fprintf(stderr, "alo153 restore: cannot rename %s to %s: %s\n", tmp, db, strerror(errno));
        return 1;
    }
    printf("restored %s from %s%s%s\n", db, from, *kept ? "; the replaced database is " : "", kept);
    return 0;
}
