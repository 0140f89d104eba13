#ifndef ALO_REPORT_RENDER_H
#define ALO_REPORT_RENDER_H
/*
 * The report's outputs other than JSON (docs/REPORTS.md, "Outputs"): the generated paragraph
 * in the style of the municipalities' press releases, text (paragraph, key figures, aligned
 * tables), CSV of one table and XLSX (libxlsxwriter) of all tables or one. Numbers are written
 * by report/tr_format.h; a value that does not exist (NAN) is "—" in text and an empty cell in
 * CSV and XLSX.
 */
#include <stdio.h>

#include "report/summary.h"
#include "report/tr_format.h"
#include "util/err.h"

/* The paragraph (one line, no newline). Turkish: "2025'te 1 milyon 59 bin 219 çağrı %93,96
 * başarı oranıyla karşılandı; bunların 612 bin 695'i anlık bilgilendirmeyle sonuçlandı, …".
 * Calls only for the whole centre, satisfaction only when there are answers, the change
 * against the previous year only when there is one. Caller frees the result. */
char *report_paragraph(const struct report_summary *s, enum tr_lang lang);

/* Paragraph (wrapped at 100 columns), key figures, then every table with aligned columns.
 * ERR_OK or ERR_IO. */
int report_write_text(FILE *f, const struct report_summary *s, enum tr_lang lang);

/* One table as CSV: UTF-8 with BOM, ';'-separated, CRLF, RFC 4180 quoting; Turkish: decimal
 * comma; a key column, a name column when any row has a label, then the value columns; shares
 * as percent points ("93,96", header "… (%)"); text that a spreadsheet would take for a
 * formula (=, +, -, @ first) gets a leading apostrophe. ERR_OK or ERR_IO. */
int report_write_csv(FILE *f, const struct rs_table *t, enum tr_lang lang);

/* An XLSX workbook at path: an "Özet" (Summary) sheet with the paragraph and key figures, then
 * one sheet per table (titled in lang, at most 31 characters); with only_table non-NULL just
 * that table's sheet (ERR_NOT_FOUND, detail in ed, when s has no such table). ERR_IO when the
 * file cannot be written. */
int report_write_xlsx(const char *path, const struct report_summary *s, enum tr_lang lang,
                      const char *only_table, struct err_detail *ed);

#endif
