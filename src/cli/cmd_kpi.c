/* alo153 kpi: the KPI thresholds (service level, short abandon) and the rollups counted with
 * them (docs/CONTACT_CENTRE.md "Rollups"): changing a threshold recounts every rollup. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/contact.h"
#include "store/store.h"
#include "util/parse.h"
#include "util/banned.h"

static void kpi_usage(FILE *f)
{
    fprintf(f, "usage: alo153 kpi --db DB [--sl SECONDS] [--short SECONDS] [--rebuild]\n"
               "                 [--queues NAME,NAME...]\n"
               "Show the KPI thresholds and the exchange's queues; with --sl (service level,\n"
               "1-3600, default 20) or --short (short abandon, 0-600, default 5) change them. A\n"
               "change, or --rebuild, recounts the KPI rollups of every call and contact (one\n"
               "transaction). --queues sets the queues the exchange may name (default genel);\n"
               "events naming another queue are refused.\n");
}

int cmd_kpi(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "sl", required_argument, NULL, 's' },
                                          { "short", required_argument, NULL, 'a' },
                                          { "rebuild", no_argument, NULL, 'r' },
                                          { "queues", required_argument, NULL, 'q' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *sl = NULL, *sh = NULL, *queues = NULL;
    char qbuf[CORE_QUEUES_LEN];
    bool rebuild = false;
    int64_t v;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': sl = optarg; break;
        case 'a': sh = optarg; break;
        case 'r': rebuild = true; break;
        case 'q': queues = optarg; break;
        case 'h': kpi_usage(stdout); return 0;
        default: kpi_usage(stderr); return 2;
        }
    }
    if (!db) {
        kpi_usage(stderr);
        return 2;
    }
    if ((sl && !parse_i64(sl, 1, 3600, &v)) || (sh && !parse_i64(sh, 0, 600, &v))) {
        fprintf(stderr, "alo153 kpi: --sl must be 1-3600 and --short 0-600 seconds\n");
        return 2;
    }
    struct store *st = NULL;
    struct err_detail ed = { 0 };
    if (queues && core_queues_parse(queues, qbuf, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 kpi: --queues: %s\n", ed.message);
        return 2;
    }
    if (store_open_existing(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 kpi: %s\n", ed.message);
        return 1;
    }
    int rc = store_begin(st);
    if (rc == ERR_OK && sl)
        rc = store_setting_set(st, "kpi_sl_s", sl);
    if (rc == ERR_OK && sh)
        rc = store_setting_set(st, "kpi_short_s", sh);
    if (rc == ERR_OK && queues)
        rc = store_setting_set(st, "queues", qbuf);
    if (rc == ERR_OK && (sl || sh || rebuild))
        rc = store_rollup_rebuild(st); /* nested: the new thresholds and the recount together */
    if (rc == ERR_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    int sl_s = 0, short_s = 0;
    if (rc == ERR_OK)
        rc = store_rollup_thresholds(st, &sl_s, &short_s);
    if (rc == ERR_OK)
        core_queues_get(st, qbuf);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "alo153 kpi: failed (%s); nothing changed\n", err_name(rc));
        return 1;
    }
    printf("service level %d s, short abandon under %d s%s\nqueues %s\n", sl_s, short_s,
           sl || sh || rebuild ? "; rollups recounted" : "", qbuf);
    return 0;
}
