/* alo153 migrate: move a database to another backend (SQLite → PostgreSQL, or any to any)
 * through store_copy, and check the copy with store_compare. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/tc_key.h"
#include "store/store.h"
#include "util/banned.h"

static void migrate_usage(FILE *f)
{
    fprintf(f, "usage: alo153 migrate --from DB --to DB [--verify] [--tc-key-file FILE]\n"
               "       alo153 migrate --from DB --to DB --verify-only\n"
               "Copy every table of the database --from (a SQLite file or a postgresql:// URL)\n"
               "into --to, a new database (created when missing) that must hold no rows; ids are\n"
               "kept, so tracking numbers, links and history keep pointing right. Stop the alo153\n"
               "processes on --from first: what they write during the copy is not copied.\n"
               "  --verify       then compare row counts and a checksum of every table\n"
               "  --verify-only  compare only (no copy)\n"
               "  --tc-key-file FILE  the T.C. number key the target will be served with; the\n"
               "                 source's encrypted numbers must open with it (default:\n"
               "                 ALO153_TC_KEY_FILE, else the key next to a SQLite source)\n"
               "PostgreSQL passwords come from PGPASSWORD, ~/.pgpass or PGPASSFILE, never from\n"
               "the command line.\n");
}

/* One progress line per table on stderr, rewritten in place on a terminal. */
static void progress(void *ctx, const char *table, int64_t rows, bool done)
{
    bool tty = *(bool *)ctx;
    if (!done && !tty)
        return;
    fprintf(stderr, "%smigrate: %-15s %10" PRId64 " rows%s", tty ? "\r" : "", table, rows,
            done ? (tty ? " done\n" : "\n") : "");
    fflush(stderr);
}

static void report(void *ctx, const char *table, int64_t rows_a, int64_t rows_b, uint64_t sum_a,
                   uint64_t sum_b)
{
    (void)ctx;
    bool same = rows_a == rows_b && sum_a == sum_b;
    printf("%-15s %10" PRId64 " %10" PRId64 "  %016" PRIx64 " %016" PRIx64 "  %s\n", table, rows_a,
           rows_b, sum_a, sum_b, same ? "ok" : "DIFFERS");
}

/* Compare from and to; prints a table; 0 when they match. */
static int verify(struct store *from, struct store *to)
{
    struct err_detail ed = { 0 };
    printf("%-15s %10s %10s  %-16s %-16s\n", "table", "from", "to", "checksum from", "checksum to");
    if (store_compare(from, to, report, NULL, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 migrate: verify failed: %s\n", ed.message);
        return 1;
    }
    printf("verify: every table matches\n");
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
                                          { "to", required_argument, NULL, 't' },
                                          { "verify", no_argument, NULL, 'v' },
                                          { "verify-only", no_argument, NULL, 'V' },
                                          { "tc-key-file", required_argument, NULL, 'k' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *from_db = NULL, *to_db = NULL, *key = NULL;
    bool check = false, only = false, tty = isatty(STDERR_FILENO);
    struct store *from = NULL, *to = NULL;
    struct err_detail ed = { 0 };
    int c, rc = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': from_db = optarg; break;
        case 't': to_db = optarg; break;
        case 'v': check = true; break;
        case 'V': only = check = true; break;
        case 'k': key = optarg; break;
        case 'h': migrate_usage(stdout); return 0;
        default: migrate_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc || !from_db || !to_db || strcmp(from_db, to_db) == 0) {
        fprintf(stderr, "alo153 migrate: give --from and --to, two different databases\n");
        migrate_usage(stderr);
        return EXIT_USAGE;
    }
    if (store_open_existing(from_db, &from, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 migrate: --from: %s\n", ed.message);
        goto out;
    }
    /* before the target is created: copied sealed numbers must be readable there */
    if (!only && !cli_tc_key_check_copy(from, from_db, key, "alo153 migrate"))
        goto out;
    if ((only ? store_open_existing(to_db, &to, &ed) : store_open(to_db, &to, &ed)) != ERR_OK) {
        fprintf(stderr, "alo153 migrate: --to: %s\n", ed.message);
        goto out;
    }
    if (!only) {
        fprintf(stderr, "migrate: %s (%s) → %s (%s)\n", store_backend_name(from),
                store_is_url(from_db) ? "URL" : from_db, store_backend_name(to),
                store_is_url(to_db) ? "URL" : to_db);
        if (store_copy(from, to, progress, &tty, &ed) != ERR_OK) {
            fprintf(stderr, "alo153 migrate: %s\n", ed.message);
            goto out;
        }
        fprintf(stderr, "migrate: done\n");
    }
    rc = check ? verify(from, to) : 0;
out:
    store_close(to);
    store_close(from);
    return rc;
}
