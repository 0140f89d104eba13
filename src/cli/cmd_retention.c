/* alo153 retention (KVKK, issue 12; core/kvkk.h, docs/KVKK.md): apply the retention policy
 * now, or show or set it. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/tc_key.h"
#include "core/kvkk.h"
#include "store/store.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/banned.h"

static void retention_usage(FILE *f)
{
    fprintf(f, "usage: alo153 retention run [--dry-run] [--years N] --db FILE|URL\n"
               "       alo153 retention set --years N --db FILE|URL\n"
               "       alo153 retention show --db FILE|URL\n"
               "Anonymise the personal data of citizens whose applications were all closed more\n"
               "than N years ago and who made no contact since (people of contacts only too),\n"
               "and erase the numbers and notes of older contacts and calls of no kept person\n"
               "(the setting retention.years; 0 = off). Statistics stay the same. serve does\n"
               "this every night by itself.\n"
               "  --dry-run          count only, change nothing\n"
               "  --years N          this run's N instead of the setting (run), or the new\n"
               "                     setting (set)\n"
               "  --tc-key-file FILE the T.C. number key (as serve)\n");
}

int cmd_retention(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' }, { "years", required_argument, NULL, 'y' },
        { "dry-run", no_argument, NULL, 'n' },  { "tc-key-file", required_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },     { NULL, 0, NULL, 0 }
    };
    const char *db = NULL, *key = NULL;
    int64_t years = -1;
    bool dry = false;
    int c;
    if (argc < 2 || cli_is_help(argv[1])) {
        retention_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *verb = argv[1];
    if (strcmp(verb, "run") != 0 && strcmp(verb, "set") != 0 && strcmp(verb, "show") != 0) {
        retention_usage(stderr);
        return EXIT_USAGE;
    }
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'k': key = optarg; break;
        case 'n': dry = true; break;
        case 'y':
            if (!parse_i64(optarg, 0, KVKK_RETENTION_MAX_YEARS, &years)) {
                fprintf(stderr, "alo153 retention: --years must be 0..%d\n",
                        KVKK_RETENTION_MAX_YEARS);
                return EXIT_USAGE;
            }
            break;
        case 'h': retention_usage(stdout); return 0;
        default: retention_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alo153 retention: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (strcmp(verb, "set") == 0 && years < 0) {
        fprintf(stderr, "alo153 retention set: give --years N (0 = off)\n");
        return EXIT_USAGE;
    }
    db = cli_db_path(db);
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    if (store_open_existing(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 retention: %s\n", ed.message);
        return 1;
    }
    int rc = 0;
    if (strcmp(verb, "show") == 0) {
        printf("retention.years %d%s\n", core_kvkk_retention_years(st),
               core_kvkk_retention_years(st) ? "" : " (off)");
    } else if (strcmp(verb, "set") == 0) {
        if (core_kvkk_retention_set(st, (int)years, &ed) != ERR_OK) {
            fprintf(stderr, "alo153 retention: %s\n", ed.message);
            rc = 1;
        } else {
            printf("retention.years %d%s\n", (int)years, years ? "" : " (off)");
        }
    } else {
        struct kvkk_retention res;
        if (!cli_tc_key_setup(st, db, key, "alo153 retention")) {
            rc = 1;
        } else if (core_kvkk_retention_run(st, (int)years, time_now(), dry, &res, &ed) != ERR_OK) {
            fprintf(stderr, "alo153 retention: %s\n", ed.message);
            rc = 1;
        } else if (res.years == 0) {
            printf("retention is off (alo153 retention set --years N)\n");
        } else {
            char before[TIME_RFC3339_LEN];
            time_format(res.before, before);
            printf("%s%lld citizens, %lld applications closed before %s (%d years); %s%lld "
                   "contacts and %lld calls of no kept person%s\n",
                   dry ? "would anonymise " : "anonymised ", (long long)res.citizens,
                   (long long)res.apps, before, res.years,
                   dry ? "would erase the numbers of " : "erased the numbers of ",
                   (long long)res.contacts, (long long)res.calls, dry ? "; nothing changed" : "");
        }
    }
    store_close(st);
    return rc;
}
