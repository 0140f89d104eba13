/* GET /api/v1/reports/export: the report's tables as a CSV of one table or an XLSX workbook
 * (docs/REPORTS.md, "Exports"). Same roles and scope as the summary (api_report_reach):
 * supervisors and admins the whole centre, a manager their department's subtree and their
 * grants', others 403. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api_int.h"
#include "report/render.h"
#include "report/summary.h"
#include "report/tr_format.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The bytes of the file at path (malloc'd, *len), NULL when it cannot be read. */
static void *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f)
        return NULL;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size <= 0 || sb.st_size > (256 << 20)) {
        fclose(f);
        return NULL;
    }
    char *buf = malloc((size_t)sb.st_size);
    if (buf && fread(buf, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)sb.st_size;
    return buf;
}

/* CSV of t into r's reply (raw bytes). */
static int export_csv(struct api_req *r, const struct rs_table *t, enum tr_lang lang)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return ERR_INTERNAL;
    int rc = report_write_csv(f, t, lang);
    if (fclose(f) != 0 && rc == ERR_OK)
        rc = ERR_IO;
    if (rc != ERR_OK) {
        free(buf);
        return rc;
    }
    r->resp->raw = buf;
    r->resp->raw_len = len;
    r->resp->content_type = "text/csv; charset=utf-8";
    return ERR_OK;
}

/* XLSX of s (or its table only) into r's reply: libxlsxwriter 1.1.4 writes files only, so a
 * temporary file is written, read back and removed. */
static int export_xlsx(struct api_req *r, const struct report_summary *s, enum tr_lang lang,
                       const char *only, struct err_detail *ed)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/alo153-export-XXXXXX.xlsx", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 5);
    if (fd < 0)
        return err_set(ed, ERR_IO, NULL, "cannot create a temporary file: %s", strerror(errno));
    close(fd);
    int rc = report_write_xlsx(path, s, lang, only, ed);
    if (rc == ERR_OK) {
        size_t len = 0;
        void *buf = slurp(path, &len);
        if (!buf) {
            rc = err_set(ed, ERR_IO, NULL, "cannot read the workbook back");
        } else {
            r->resp->raw = buf;
            r->resp->raw_len = len;
            r->resp->content_type = XLSX_TYPE;
        }
    }
    unlink(path);
    return rc;
}

/* Long on purpose: the query's checks, the summary, then one of two outputs with its headers. */
void h_report_export(struct api_req *r)
{
    struct report_summary_params p = { .at = time_now(), .kpi = { .sl_s = 20, .short_s = 5 } };
    if (!api_report_reach(r, &p.scope))
        return;
    const char *from = http_query(r->http, "from"), *to = http_query(r->http, "to");
    const char *format = http_query(r->http, "format"), *table = http_query(r->http, "table");
    const char *lang_s = http_query(r->http, "lang");
    if (table && !*table)
        table = NULL;
    int lang = lang_s && *lang_s ? tr_lang_parse(lang_s) : TR_LANG_TR;
    if (lang < 0) {
        api_fail(r, ERR_INVALID, "invalid_field", "lang", "lang is tr or en");
        return;
    }
    bool csv = format && strcmp(format, "csv") == 0;
    if (!format || (!csv && strcmp(format, "xlsx") != 0)) {
        api_fail(r, ERR_INVALID, "invalid_field", "format", "format is csv or xlsx");
        return;
    }
    if (csv && !table) {
        api_fail(r, ERR_INVALID, "missing_field", "table", "a CSV is one table: give table");
        return;
    }
    if (!from || !to || !str_copy(p.from, sizeof p.from, from) ||
        !str_copy(p.to, sizeof p.to, to)) {
        api_fail(r, ERR_INVALID, "invalid_field",
                 !from || strlen(from) >= sizeof p.from ? "from" : "to",
                 "from and to are days: YYYY-MM-DD");
        return;
    }
    struct report_summary *s = NULL;
    struct err_detail ed = { 0 };
    int rc = report_summary(r->st, &p, &s, &ed);
    if (rc != ERR_OK) {
        if (rc == ERR_INVALID && !ed.name[0])
            str_copy(ed.name, sizeof ed.name, "invalid_field");
        api_error_ed(r, &ed);
        return;
    }
    const struct rs_table *t = NULL;
    if (table) {
        for (size_t i = 0; i < s->ntables; i++)
            if (strcmp(s->tables[i].name, table) == 0)
                t = &s->tables[i];
        if (!t) {
            report_summary_free(s);
            api_fail(r, ERR_INVALID, "unknown_table", "table", "no table called '%.64s'", table);
            return;
        }
    }
    rc = csv ? export_csv(r, t, (enum tr_lang)lang)
             : export_xlsx(r, s, (enum tr_lang)lang, table, &ed);
    if (rc != ERR_OK) {
        report_summary_free(s);
        if (!ed.message[0])
            err_set(&ed, rc, NULL, "could not write the export");
        api_error_ed(r, &ed);
        return;
    }
    char disp[200];
    snprintf(disp, sizeof disp, "attachment; filename=\"alo153-%s-%s_%s%s%s.%s\"",
             lang == TR_LANG_TR ? "rapor" : "report", s->p.from, s->p.to, t ? "-" : "",
             t ? t->name : "", csv ? "csv" : "xlsx");
    http_set_header(r->resp, "Content-Disposition", disp);
    http_set_header(r->resp, "Cache-Control", "no-store");
    r->resp->status = 200;
    report_summary_free(s);
}
