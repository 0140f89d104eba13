#include "core/cimer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/calendar.h"
#include "core/citizen.h"
#include "core/routing.h"
#include "nlp/turkish.h"
#include "util/strbuf.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

struct cimer_item *cimer_batch_add(struct cimer_batch *b, int line)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
    }
    struct cimer_item *it = &b->v[b->n++];
    memset(it, 0, sizeof(*it));
    it->line = line;
    return it;
}

void cimer_batch_free(struct cimer_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct cimer_item *it = &b->v[i];
        char **f[] = { &it->cimer_no, &it->filed, &it->kind, &it->text,   &it->name,
                       &it->phone,    &it->email, &it->tc,   &it->address };
        for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
            free(*f[k]);
    }
    free(b->v);
    memset(b, 0, sizeof(*b));
}

/* ---- CSV ---- */

/* The columns an import may have, and where each goes in an item. */
static char **item_field(struct cimer_item *it, const char *col)
{
    static const char *const names[] = { "cimer_no", "filed_at", "kind", "text",    "name",
                                         "phone",    "email",    "tc",   "address", NULL };
    char **fields[] = { &it->cimer_no, &it->filed, &it->kind, &it->text,   &it->name,
                        &it->phone,    &it->email, &it->tc,   &it->address };
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], col) == 0)
            return fields[i];
    return NULL;
}

struct csv {
    const char *p, *end;
    char sep;
    int line; /* the line the cursor is on */
};

/* Read one field into sb; *eol set when it ended its record. false on a malformed quote. */
static bool csv_field(struct csv *c, struct strbuf *sb, bool *eol, bool *eof)
{
    strbuf_reset(sb);
    *eol = *eof = false;
    if (c->p < c->end && *c->p == '"') {
        c->p++;
        for (;;) {
            if (c->p >= c->end)
                return false; /* unterminated quote */
            if (*c->p == '"') {
                if (c->p + 1 < c->end && c->p[1] == '"') {
                    strbuf_addch(sb, '"');
                    c->p += 2;
                    continue;
                }
                c->p++;
                break;
            }
            if (*c->p == '\n')
                c->line++;
            strbuf_addch(sb, *c->p++);
        }
        if (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r')
            return false; /* text after the closing quote */
    } else {
        while (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
            if (*c->p == '"')
                return false; /* a quote inside an unquoted field */
            strbuf_addch(sb, *c->p++);
        }
    }
    if (c->p >= c->end) {
        *eol = *eof = true;
    } else if (*c->p == c->sep) {
        c->p++;
    } else {
        if (*c->p == '\r')
            c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        *eol = true;
        *eof = c->p >= c->end;
    }
    return true;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t k = strspn(s, " \t");
    if (k)
        memmove(s, s + k, n - k + 1);
}

#define CSV_COLS 16

/* Long on purpose: the header, then the records, each field checked where it is read. */
int core_cimer_parse_csv(const char *data, size_t len, struct cimer_batch *out, int *bad_line,
                         struct err_detail *ed)
{
    struct csv c = { data, data + len, ',', 1 };
    struct strbuf sb;
    char *cols[CSV_COLS] = { 0 };
    int ncols = 0, rc = ERR_OK;
    bool eol, eof;

    memset(out, 0, sizeof(*out));
    *bad_line = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.p += 3;
    if (!nlp_utf8_valid(c.p, (size_t)(c.end - c.p))) {
        *bad_line = 1;
        return err_set(ed, ERR_INVALID, "file", "the file is not valid UTF-8 text");
    }
    size_t hl;
    const char *nl = memchr(c.p, '\n', (size_t)(c.end - c.p));
    hl = nl ? (size_t)(nl - c.p) : (size_t)(c.end - c.p);
    if (memchr(c.p, ';', hl) && !memchr(c.p, ',', hl))
        c.sep = ';';
    strbuf_init(&sb, 0); /* a field is bounded by the file (the upload limit) */
    /* the header */
    do {
        if (!csv_field(&c, &sb, &eol, &eof)) {
            rc = err_set(ed, ERR_INVALID, "file", "line 1: malformed header");
            *bad_line = 1;
            goto out;
        }
        if (ncols == CSV_COLS) {
            rc = err_set(ed, ERR_INVALID, "file", "line 1: too many columns");
            *bad_line = 1;
            goto out;
        }
        char *name = xstrdup(sb.buf ? sb.buf : "");
        trim(name);
        cols[ncols++] = name;
        struct cimer_item probe = { 0 };
        if (!item_field(&probe, name)) {
            rc = err_set(ed, ERR_INVALID, "file", "line 1: unknown column \"%.60s\"", name);
            *bad_line = 1;
            goto out;
        }
        for (int i = 0; i < ncols - 1; i++)
            if (strcmp(cols[i], name) == 0) {
                rc = err_set(ed, ERR_INVALID, "file", "line 1: column %s twice", name);
                *bad_line = 1;
                goto out;
            }
    } while (!eol);
    static const char *const required[] = { "cimer_no", "filed_at", "text" };
    for (size_t k = 0; k < 3; k++) {
        bool found = false;
        for (int i = 0; i < ncols; i++)
            found |= strcmp(cols[i], required[k]) == 0;
        if (!found) {
            rc = err_set(ed, ERR_INVALID, "file", "line 1: the header needs a %s column",
                         required[k]);
            *bad_line = 1;
            goto out;
        }
    }
    /* the records */
    while (c.p < c.end) {
        int start = c.line;
        if (*c.p == '\n' || *c.p == '\r') { /* an empty line */
            csv_field(&c, &sb, &eol, &eof);
            continue;
        }
        if (out->n == CIMER_IMPORT_MAX) {
            rc = err_set(ed, ERR_INVALID, "file", "line %d: more than %d applications in one file",
                         start, CIMER_IMPORT_MAX);
            *bad_line = start;
            goto out;
        }
        struct cimer_item *it = cimer_batch_add(out, start);
        int col = 0;
        do {
            if (!csv_field(&c, &sb, &eol, &eof)) {
                rc = err_set(ed, ERR_INVALID, "file", "line %d: malformed quotes", start);
                *bad_line = start;
                goto out;
            }
            if (col >= ncols) {
                rc = err_set(ed, ERR_INVALID, "file", "line %d: %d columns, the header has %d",
                             start, col + 1, ncols);
                *bad_line = start;
                goto out;
            }
            char **f = item_field(it, cols[col]);
            *f = xstrdup(sb.buf ? sb.buf : "");
            trim(*f);
            col++;
        } while (!eol);
        if (col != ncols) {
            rc = err_set(ed, ERR_INVALID, "file", "line %d: %d columns, the header has %d", start,
                         col, ncols);
            *bad_line = start;
            goto out;
        }
    }
    if (out->n == 0) {
        rc = err_set(ed, ERR_INVALID, "file", "the file holds no applications");
        *bad_line = c.line;
    }
out:
    for (int i = 0; i < ncols; i++)
        free(cols[i]);
    strbuf_release(&sb);
    if (rc != ERR_OK)
        cimer_batch_free(out);
    return rc;
}

/* ---- deadlines ---- */

static int holiday_into(void *ctx, const char *date, const char *name, bool half_day)
{
    int64_t day;
    (void)name;
    if (time_parse_date(date, &day))
        calendar_add(ctx, day, half_day);
    return 0;
}

static int promise_days(struct store *st)
{
    char v[32];
    long days = 15;
    if (store_setting_get(st, "ceiling.cimer", v, sizeof(v)) == ERR_OK) {
        char *end;
        long d = strtol(v, &end, 10);
        if (*end == '\0' && d > 0)
            days = d;
    }
    return days > CIMER_LEGAL_DAYS ? CIMER_LEGAL_DAYS : (int)days;
}

/* The end (23:59:59 Istanbul) of the n-th day after filed's day, moved past weekends and
 * holidays to the next working day. */
static int64_t due_after(const struct calendar *cal, int64_t filed, int n)
{
    int64_t day = time_istanbul_day(filed) + n;
    for (int guard = 0; guard < 30 && !calendar_is_working_day(cal, day); guard++)
        day++;
    return (day + 1) * 86400 - TIME_ISTANBUL_OFFSET - 1;
}

void core_cimer_dues(struct store *st, int64_t filed_at, int64_t *promise_due, int64_t *legal_due)
{
    struct calendar *cal = calendar_new();
    if (store_holiday_each(st, holiday_into, cal) != ERR_OK)
        calendar_add_defaults(cal);
    *promise_due = due_after(cal, filed_at, promise_days(st));
    *legal_due = due_after(cal, filed_at, CIMER_LEGAL_DAYS);
    calendar_free(cal);
}

int core_cimer_days_left(int64_t due, int64_t now)
{
    return (int)(time_istanbul_day(due) - time_istanbul_day(now));
}

/* ---- import ---- */

bool core_cimer_allowed(const struct user *actor)
{
    return actor && role_policy(actor->role)->front_office;
}

static bool no_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= CIMER_NO_LEN)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              *s == '-' || *s == '/' || *s == '.'))
            return false;
    return true;
}

/* "YYYY-MM-DD", RFC 3339, or the Turkish "DD.MM.YYYY"; not in the future. */
static bool filed_parse(const char *s, int64_t now, int64_t *out)
{
    int d, m, y;
    char tail;
    if (!s || !*s)
        return false;
    if (sscanf(s, "%2d.%2d.%4d%c", &d, &m, &y, &tail) == 3) {
        char iso[16];
        if (d < 1 || d > 31 || m < 1 || m > 12 || y < 2000 || y > 2100)
            return false;
        snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
        if (!time_parse(iso, out))
            return false;
    } else if (!time_parse(s, out)) {
        return false;
    }
    return *out <= now + 86400;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

/* Check one item (the meaning, before anything is written). */
static int item_check(const struct cimer_item *it, int64_t now, int64_t *filed,
                      struct err_detail *ed)
{
    if (!no_ok(it->cimer_no))
        return err_set(ed, ERR_INVALID, "cimer_no",
                       "line %d: cimer_no must be 1-31 letters, digits, '-', '/' or '.'", it->line);
    if (!filed_parse(it->filed, now, filed))
        return err_set(ed, ERR_INVALID, "filed_at",
                       "line %d: filed_at must be a date (YYYY-MM-DD, DD.MM.YYYY or RFC 3339), "
                       "not in the future",
                       it->line);
    if (!it->text || strlen(it->text) < 3)
        return err_set(ed, ERR_INVALID, "text", "line %d: text is required", it->line);
    if (nz(it->kind) && !core_word_in(core_kinds, it->kind))
        return err_set(ed, ERR_INVALID, "kind", "line %d: unknown kind %.40s", it->line, it->kind);
    return ERR_OK;
}

/* Prefix ed's message with the item's line when it does not name one yet. */
static int at_line(struct err_detail *ed, int rc, int line)
{
    if (ed && strncmp(ed->message, "line ", 5) != 0) {
        struct strbuf sb;
        strbuf_init(&sb, 0); /* str_copy cuts it to the message; a cap would empty it */
        strbuf_addf(&sb, "line %d: %s", line, ed->message);
        str_copy(ed->message, sizeof(ed->message), sb.buf);
        strbuf_release(&sb);
    }
    return rc;
}

/* Long on purpose: check everything, classify, then one transaction creating every item. */
int core_cimer_import(struct store *st, const struct user *actor, const struct cimer_batch *b,
                      bool dup_is_error, int64_t now, struct cimer_import_result *res,
                      int *bad_line, struct err_detail *ed)
{
    int rc = ERR_OK;
    int64_t *filed = NULL;
    struct routing_result *rr = NULL;
    bool *has_rr = NULL;

    memset(res, 0, sizeof(*res));
    *bad_line = 0;
    if (!core_cimer_allowed(actor))
        return err_set(ed, ERR_FORBIDDEN, NULL, "only the CİMER unit imports CİMER applications");
    if (b->n == 0)
        return err_set(ed, ERR_INVALID, "file", "no applications to import");
    if (b->n > CIMER_IMPORT_MAX)
        return err_set(ed, ERR_INVALID, "file", "more than %d applications", CIMER_IMPORT_MAX);
    filed = xmalloc(b->n * sizeof(*filed));
    for (size_t i = 0; i < b->n; i++) {
        if ((rc = item_check(&b->v[i], now, &filed[i], ed)) != ERR_OK) {
            *bad_line = b->v[i].line;
            goto out;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(b->v[k].cimer_no, b->v[i].cimer_no) == 0) {
                rc = err_set(ed, ERR_INVALID, "cimer_no", "line %d: cimer_no %s is on line %d too",
                             b->v[i].line, b->v[i].cimer_no, b->v[k].line);
                *bad_line = b->v[i].line;
                goto out;
            }
    }
    /* classify before the write transaction: CPU work never holds the database lock */
    rr = xmalloc(b->n * sizeof(*rr));
    has_rr = xmalloc(b->n * sizeof(*has_rr));
    for (size_t i = 0; i < b->n; i++)
        has_rr[i] =
            routing_available() && routing_classify(st, b->v[i].text, &rr[i], NULL) == ERR_OK;
    res->rows = xmalloc(b->n * sizeof(*res->rows));
    if ((rc = store_begin(st)) != ERR_OK) {
        rc = err_set(ed, rc, NULL, "database busy");
        goto out;
    }
    for (size_t i = 0; i < b->n; i++) {
        const struct cimer_item *it = &b->v[i];
        struct cimer_rec *row = &res->rows[res->n];
        rc = store_cimer_by_no(st, it->cimer_no, row);
        if (rc == ERR_OK) {
            if (dup_is_error) {
                rc = err_set_named(ed, ERR_CONFLICT, "cimer_exists", "cimer_no",
                                   "CİMER application %s was imported before as %s", it->cimer_no,
                                   row->tracking);
                *bad_line = it->line;
                goto rollback;
            }
            res->n++;
            res->skipped++;
            continue;
        }
        if (rc != ERR_NOT_FOUND)
            goto rollback;
        struct citizen cz = { 0 };
        struct citizen_input ci = { nz(it->name), nz(it->phone),   nz(it->email),
                                    nz(it->tc),   nz(it->address), NULL };
        bool has_citizen = ci.name || ci.phone || ci.email || ci.tc;
        if (has_citizen && (rc = core_citizen_read(&ci, CITIZEN_NEED_NOTHING, &cz, ed)) != ERR_OK) {
            citizen_release(&cz);
            *bad_line = it->line;
            rc = at_line(ed, rc, it->line);
            goto rollback;
        }
        struct app_input in = { 0 };
        in.kind = nz(it->kind);
        in.channel = "cimer";
        in.text = it->text;
        in.new_citizen = has_citizen ? &cz : NULL;
        in.routing = has_rr[i] ? &rr[i] : NULL;
        in.created_at = now;
        struct app a;
        rc = core_app_create(st, actor, &in, &a, ed);
        citizen_release(&cz);
        if (rc != ERR_OK) {
            *bad_line = it->line;
            rc = at_line(ed, rc, it->line);
            goto rollback;
        }
        memset(row, 0, sizeof(*row));
        row->app_id = a.id;
        app_release(&a);
        str_copy(row->cimer_no, sizeof(row->cimer_no), it->cimer_no);
        row->filed_at = filed[i];
        row->imported_at = now;
        core_cimer_dues(st, filed[i], &row->promise_due, &row->legal_due);
        if ((rc = store_cimer_add(st, row)) != ERR_OK ||
            (rc = store_cimer_get(st, row->app_id, row)) != ERR_OK) {
            err_set(ed, rc, "cimer_no", "line %d: could not record the CİMER number", it->line);
            *bad_line = it->line;
            goto rollback;
        }
        res->n++;
        res->created++;
    }
    if ((rc = store_commit(st)) != ERR_OK) {
        err_set(ed, rc, NULL, "could not store the import");
        goto rollback;
    }
    goto out;
rollback:
    store_rollback(st);
out:
    free(filed);
    free(rr);
    free(has_rr);
    if (rc != ERR_OK)
        cimer_import_result_free(res);
    return rc;
}

void cimer_import_result_free(struct cimer_import_result *res)
{
    free(res->rows);
    memset(res, 0, sizeof(*res));
}

/* ---- the queue and the answer ---- */

int core_cimer_list(struct store *st, const struct user *actor, bool open_only,
                    struct cimer_rec **out, size_t *n, struct err_detail *ed)
{
    *out = NULL;
    *n = 0;
    if (!core_cimer_allowed(actor))
        return err_set(ed, ERR_FORBIDDEN, NULL, "only the CİMER unit sees the CİMER queue");
    int rc = store_cimer_list(st, open_only, 1000, out, n);
    return rc == ERR_OK ? rc : err_set(ed, rc, NULL, "could not read the CİMER queue");
}

int core_cimer_get(struct store *st, const struct user *actor, int64_t app_id,
                   struct cimer_rec *out, struct err_detail *ed)
{
    if (!core_cimer_allowed(actor))
        return err_set(ed, ERR_FORBIDDEN, NULL, "only the CİMER unit sees CİMER applications");
    int rc = store_cimer_get(st, app_id, out);
    if (rc == ERR_NOT_FOUND)
        return err_set(ed, rc, NULL, "no such CİMER application");
    return rc == ERR_OK ? rc : err_set(ed, rc, NULL, "could not read the CİMER application");
}

static void tr_date(int64_t t, char out[16])
{
    int64_t day = time_istanbul_day(t);
    struct civil_date c = time_civil_from_days(day);
    snprintf(out, 16, "%02d.%02d.%04d", c.day, c.month, c.year);
}

int core_cimer_answer_text(struct store *st, const struct user *actor, int64_t app_id, char **text,
                           struct err_detail *ed)
{
    struct cimer_rec c;
    struct app a = { 0 };
    struct citizen cz = { 0 };
    int rc;
    *text = NULL;
    if ((rc = core_cimer_get(st, actor, app_id, &c, ed)) != ERR_OK)
        return rc;
    if ((rc = store_app_get(st, app_id, &a)) != ERR_OK)
        return err_set(ed, rc, NULL, "could not read the application");
    if (!a.public_response || !*a.public_response) {
        app_release(&a);
        return err_set_named(ed, ERR_CONFLICT, "no_answer", NULL,
                             "the department has not answered application %s yet", a.tracking);
    }
    char municipality[256] = "", filed[16], answered[16];
    store_setting_get(st, "municipality", municipality, sizeof(municipality));
    tr_date(c.filed_at, filed);
    tr_date(a.responded_at ? a.responded_at : a.updated_at, answered);
    struct strbuf sb;
    strbuf_init(&sb, 0); /* the answer is up to CORE_TEXT_MAX bytes */
    strbuf_addf(&sb, "CİMER Başvuru No: %s\n", c.cimer_no);
    strbuf_addf(&sb, "Başvuru Tarihi: %s\n", filed);
    strbuf_addf(&sb, "Belediye Takip No: %s\n", a.tracking);
    strbuf_addf(&sb, "Cevap Tarihi: %s\n\n", answered);
    if (a.citizen_id && store_citizen_get(st, a.citizen_id, &cz) == ERR_OK && cz.name && *cz.name)
        strbuf_addf(&sb, "Sayın %s,\n\n", cz.name);
    else
        strbuf_adds(&sb, "Sayın Başvuru Sahibi,\n\n");
    strbuf_adds(&sb, a.public_response);
    strbuf_adds(&sb, "\n\nBilgilerinize sunarız.\n");
    if (*municipality)
        strbuf_addf(&sb, "%s\n", municipality);
    citizen_release(&cz);
    app_release(&a);
    *text = strbuf_detach(&sb, NULL);
    return ERR_OK;
}

int core_cimer_answered(struct store *st, const struct user *actor, int64_t app_id, int64_t at,
                        struct cimer_rec *out, struct err_detail *ed)
{
    struct cimer_rec c;
    struct app a = { 0 };
    int rc;
    int64_t now = at ? at : time_now();
    if ((rc = core_cimer_get(st, actor, app_id, &c, ed)) != ERR_OK)
        return rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = store_cimer_get(st, app_id, &c)) != ERR_OK ||
        (rc = store_app_get(st, app_id, &a)) != ERR_OK) {
        err_set(ed, rc, NULL, "could not read the application");
        goto out;
    }
    if (c.answered_at) {
        rc = err_set_named(ed, ERR_CONFLICT, "already_answered", NULL,
                           "the answer was entered into CİMER before");
        goto out;
    }
    if (!a.public_response || !*a.public_response) {
        rc = err_set_named(ed, ERR_CONFLICT, "no_answer", NULL,
                           "the department has not answered application %s yet", a.tracking);
        goto out;
    }
    if (a.status == ST_RESOLVED) {
        struct act_input ai = { .note = "CİMER'e cevap girildi", .at = now };
        struct app closed;
        if ((rc = core_app_act(st, actor, app_id, ACT_CLOSE, &ai, &closed, ed)) != ERR_OK)
            goto out;
        app_release(&closed);
    }
    c.answered_at = now;
    if ((rc = store_cimer_update(st, &c)) != ERR_OK) {
        err_set(ed, rc, NULL, "could not record the answer");
        goto out;
    }
    if ((rc = store_commit(st)) != ERR_OK) {
        err_set(ed, rc, NULL, "could not record the answer");
        goto out;
    }
    rc = store_cimer_get(st, app_id, out);
out:
    if (rc != ERR_OK)
        store_rollback(st);
    app_release(&a);
    return rc;
}

struct inst_find {
    const char *code;
    int64_t id;
    char name[256];
};

static int inst_match(void *ctx, int64_t id, const char *code, const char *name, const char *kind)
{
    struct inst_find *f = ctx;
    (void)kind;
    if (strcmp(code, f->code) != 0)
        return 0;
    f->id = id;
    str_copy(f->name, sizeof(f->name), name);
    return 1;
}

int core_cimer_redirect(struct store *st, const struct user *actor, int64_t app_id,
                        const char *institution, const char *note, int64_t at,
                        struct cimer_rec *out, struct err_detail *ed)
{
    struct cimer_rec c;
    int rc;
    int64_t now = at ? at : time_now();
    if ((rc = core_cimer_get(st, actor, app_id, &c, ed)) != ERR_OK)
        return rc;
    if (!institution || !*institution)
        return err_set(ed, ERR_INVALID, "institution", "name the institution it belongs to");
    if (!note || strlen(note) < 3 || strlen(note) >= CIMER_NOTE_LEN ||
        !nlp_utf8_valid(note, strlen(note)))
        return err_set(ed, ERR_INVALID, "note", "a note of 3 to %d bytes is required",
                       CIMER_NOTE_LEN - 1);
    struct inst_find f = { institution, 0, "" };
    if ((rc = store_institution_each(st, inst_match, &f)) < 0)
        return err_set(ed, rc, NULL, "could not read the institutions");
    if (!f.id)
        return err_set(ed, ERR_UNPROCESSABLE, "institution", "unknown institution %.40s",
                       institution);
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    char to[CIMER_NOTE_LEN + 300];
    snprintf(to, sizeof(to), "%s: %s", f.name, note);
    struct act_input ai = { .institution = to, .at = now };
    struct app a;
    if ((rc = core_app_act(st, actor, app_id, ACT_OUT_OF_SCOPE, &ai, &a, ed)) != ERR_OK)
        goto out;
    app_release(&a);
    c.institution_id = f.id;
    str_copy(c.note, sizeof(c.note), note);
    if ((rc = store_cimer_update(st, &c)) != ERR_OK || (rc = store_commit(st)) != ERR_OK) {
        err_set(ed, rc, NULL, "could not record the redirect");
        goto out;
    }
    rc = store_cimer_get(st, app_id, out);
out:
    if (rc != ERR_OK)
        store_rollback(st);
    return rc;
}
