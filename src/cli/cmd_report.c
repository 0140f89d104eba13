/* alo153 report: the centre's report of a period (docs/REPORTS.md) as text with the Turkish
 * paragraph, JSON, CSV of one table or XLSX, on stdout or into a file. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/rollup.h"
#include "report/render.h"
#include "report/summary.h"
#include "report/tr_format.h"
#include "store/store.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

enum fmt { F_TEXT, F_JSON, F_CSV, F_XLSX };

static void report_usage(FILE *f)
{
    fprintf(f, "usage: alo153 report [--db DB] --from YYYY-MM-DD --to YYYY-MM-DD\n"
               "                     [--format text|json|csv|xlsx] [--lang tr|en] [--out FILE]\n"
               "                     [--table NAME]\n"
               "       alo153 report [--db DB] --rebuild\n"
               "The report of a period (at most 366 days; days of Europe/Istanbul, both\n"
               "inclusive): text opens with a paragraph in the style of a press release\n"
               "(Turkish numbers: 1 milyon 59 bin 219 çağrı, %%93,96), then the key figures and\n"
               "every table. The tables are listed in docs/REPORTS.md.\n"
               "  --format  text (default), json, csv (one table: --table is required) or xlsx\n"
               "            (every table, one sheet each; --table for one)\n"
               "  --lang    tr (default) or en\n"
               "  --out     write to FILE instead of stdout (xlsx needs it on a terminal)\n"
               "  --rebuild recompute the report's rollups from the applications first (after\n"
               "            a restore or an import); alone, only that\n"
               "DB is a SQLite file or a postgresql:// URL (default $ALO153_DB or alo153.db).\n");
}

/* Copy the file at path to f. 0 or -1. */
static int copy_file(const char *path, FILE *f)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return -1;
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, f) != n) {
            rc = -1;
            break;
        }
    if (ferror(in))
        rc = -1;
    fclose(in);
    return rc;
}

/* Write the chosen output to f (text, csv) or to the file xlsx_path (xlsx). */
static int write_output(FILE *f, const char *xlsx_path, const struct report_summary *s,
                        enum fmt fmt, enum tr_lang lang, const char *table, struct err_detail *ed)
{
    switch (fmt) {
    case F_TEXT: return report_write_text(f, s, lang);
    case F_CSV: {
        const struct rs_table *t = NULL;
        for (size_t i = 0; i < s->ntables; i++)
            if (strcmp(s->tables[i].name, table) == 0)
                t = &s->tables[i];
        if (!t)
            return err_set(ed, ERR_NOT_FOUND, "table", "no table called '%s'", table);
        return report_write_csv(f, t, lang);
    }
    case F_XLSX: return report_write_xlsx(xlsx_path, s, lang, table, ed);
    case F_JSON: {
        json_t *j = api_report_summary_json(s, NULL, lang == TR_LANG_EN ? "en" : "tr");
        int rc = j && json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 &&
                         fputc('\n', f) != EOF
                     ? ERR_OK
                     : err_set(ed, ERR_IO, NULL, "cannot write the JSON");
        json_decref(j);
        return rc;
    }
    }
    return ERR_INTERNAL;
}

/* Long on purpose: options, then the summary, then one output written to a temporary file
 * next to --out and renamed over it only when complete. */
int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },    { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },    { "format", required_argument, NULL, 'F' },
        { "lang", required_argument, NULL, 'l' },  { "out", required_argument, NULL, 'o' },
        { "table", required_argument, NULL, 'T' }, { "rebuild", no_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 }
    };
    const char *db = NULL, *from = NULL, *to = NULL, *format = "text", *lang_s = "tr";
    const char *out = NULL, *table = NULL;
    bool rebuild = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'F': format = optarg; break;
        case 'l': lang_s = optarg; break;
        case 'o': out = optarg; break;
        case 'T': table = optarg; break;
        case 'R': rebuild = true; break;
        case 'h': report_usage(stdout); return 0;
        default: report_usage(stderr); return EXIT_USAGE;
        }
    }
    enum fmt fmt;
    if (strcmp(format, "text") == 0)
        fmt = F_TEXT;
    else if (strcmp(format, "json") == 0)
        fmt = F_JSON;
    else if (strcmp(format, "csv") == 0)
        fmt = F_CSV;
    else if (strcmp(format, "xlsx") == 0)
        fmt = F_XLSX;
    else {
        fprintf(stderr, "alo153 report: --format is text, json, csv or xlsx, not '%s'\n", format);
        return EXIT_USAGE;
    }
    int lang = tr_lang_parse(lang_s);
    if (lang < 0) {
        fprintf(stderr, "alo153 report: --lang is tr or en, not '%s'\n", lang_s);
        return EXIT_USAGE;
    }
    bool only_rebuild = rebuild && !from && !to;
    if (optind < argc || (!only_rebuild && (!from || !to))) {
        fprintf(stderr, "alo153 report: give --from and --to (YYYY-MM-DD)\n");
        report_usage(stderr);
        return EXIT_USAGE;
    }
    if (fmt == F_CSV && !table) {
        fprintf(stderr, "alo153 report: csv is one table: give --table NAME (docs/REPORTS.md)\n");
        return EXIT_USAGE;
    }
    if (table && (fmt == F_TEXT || fmt == F_JSON)) {
        fprintf(stderr, "alo153 report: --table goes with --format csv or xlsx\n");
        return EXIT_USAGE;
    }
    if (fmt == F_XLSX && !out && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "alo153 report: xlsx is binary: give --out FILE.xlsx\n");
        return EXIT_USAGE;
    }
    struct report_summary_params p = { .at = time_now(), .kpi = { .sl_s = 20, .short_s = 5 } };
    if (!str_copy(p.from, sizeof p.from, from) || !str_copy(p.to, sizeof p.to, to)) {
        fprintf(stderr, "alo153 report: --from and --to are days: YYYY-MM-DD\n");
        return EXIT_USAGE;
    }
    struct store *st = NULL;
    struct report_summary *s = NULL;
    struct err_detail ed = { 0 };
    char tmp[4096] = "";
    FILE *f = NULL;
    int rc = 1;
    if (store_open_existing(cli_db_path(db), &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 report: %s\n", ed.message);
        goto done;
    }
    if (rebuild) {
        int64_t napps = 0;
        if (core_rollup_rebuild_apps(st, &napps, &ed) != ERR_OK) {
            fprintf(stderr, "alo153 report: --rebuild: %s\n", ed.message);
            goto done;
        }
        fprintf(stderr, "report: rollups rebuilt from %" PRId64 " applications\n", napps);
        if (only_rebuild) {
            rc = 0;
            goto done;
        }
    }
    int erc = report_summary(st, &p, &s, &ed);
    if (erc != ERR_OK) {
        fprintf(stderr, "alo153 report: %s\n", ed.message);
        rc = erc == ERR_INVALID ? EXIT_USAGE : 1;
        goto done;
    }
    /* the output goes to a temporary file first: --out, or stdout for xlsx */
    if (out) {
        if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out, (long)getpid()) >= (int)sizeof tmp) {
            fprintf(stderr, "alo153 report: --out: path too long\n");
            goto done;
        }
    } else if (fmt == F_XLSX) {
        const char *dir = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/alo153-report-%ld.xlsx", dir && *dir ? dir : "/tmp",
                 (long)getpid());
    }
    if (fmt != F_XLSX) {
        f = tmp[0] ? fopen(tmp, "w") : stdout;
        if (!f) {
            fprintf(stderr, "alo153 report: %s: %s\n", out, strerror(errno));
            tmp[0] = '\0';
            goto done;
        }
    }
    erc = write_output(f, tmp, s, fmt, (enum tr_lang)lang, table, &ed);
    if (f == stdout) {
        if (fflush(stdout) != 0 && erc == ERR_OK)
            erc = err_set(&ed, ERR_IO, NULL, "stdout: %s", strerror(errno));
    } else if (f && fclose(f) != 0 && erc == ERR_OK) {
        erc = err_set(&ed, ERR_IO, NULL, "%s: %s", out, strerror(errno));
    }
    f = NULL;
    if (erc != ERR_OK) {
        fprintf(stderr, "alo153 report: %s\n", ed.message);
        rc = erc == ERR_NOT_FOUND ? EXIT_USAGE : 1;
        goto done;
    }
    if (out) {
        if (rename(tmp, out) != 0) {
            fprintf(stderr, "alo153 report: %s: %s\n", out, strerror(errno));
            goto done;
        }
        tmp[0] = '\0';
    } else if (fmt == F_XLSX && (copy_file(tmp, stdout) != 0 || fflush(stdout) != 0)) {
        fprintf(stderr, "alo153 report: cannot write the xlsx to stdout\n");
        goto done;
    }
    rc = 0;
done:
    if (tmp[0])
        unlink(tmp);
    report_summary_free(s);
    store_close(st);
    return rc;
}
