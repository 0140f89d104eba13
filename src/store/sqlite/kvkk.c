/* SQLite backend: KVKK (issue 12) — the view log's reader, anonymisation, retention. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* the view log, one statement per leading filter so each walks its own index */
#define VIEW_SQL(lead)                                                                             \
    "SELECT v.id, v.citizen_id, v.user_id, v.at, coalesce(u.username, ''), v.purpose "             \
    "FROM citizen_views v LEFT JOIN users u ON u.id = v.user_id WHERE " lead                       \
    " AND (?1 = 0 OR v.citizen_id = ?1) AND (?2 = 0 OR v.user_id = ?2) "                           \
    "AND (?3 = 0 OR v.at >= ?3) AND (?4 = 0 OR v.at < ?4) AND (?5 = 0 OR v.id < ?5) "              \
    "ORDER BY v.id DESC LIMIT ?6"

static void view_row(sqlite3_stmt *s, void *out)
{
    struct view_log_row *v = out;
    memset(v, 0, sizeof(*v));
    v->id = sqlite3_column_int64(s, 0);
    v->citizen_id = sqlite3_column_int64(s, 1);
    v->user_id = sqlite3_column_int64(s, 2);
    v->at = sqlite3_column_int64(s, 3);
    db_col_copy(s, 4, v->username, sizeof(v->username));
    db_col_copy(s, 5, v->purpose, sizeof(v->purpose));
}

int sqlite_view_log_list(struct store *st, const struct view_log_filter *f,
                         struct view_log_row **out, size_t *n, int64_t *next)
{
    static const char by_citizen[] = VIEW_SQL("v.citizen_id = ?1");
    static const char by_user[] = VIEW_SQL("v.user_id = ?2");
    static const char all[] = VIEW_SQL("1 = 1");
    int limit = f->limit < 1 ? 50 : f->limit > 500 ? 500 : f->limit;
    void *v = NULL;
    size_t len = 0;
    sqlite3_stmt *s = db_stmt(st, f->citizen_id ? by_citizen : f->user_id ? by_user : all);
    if (s) {
        sqlite3_bind_int64(s, 1, f->citizen_id);
        sqlite3_bind_int64(s, 2, f->user_id);
        sqlite3_bind_int64(s, 3, f->from);
        sqlite3_bind_int64(s, 4, f->to);
        sqlite3_bind_int64(s, 5, f->after);
        sqlite3_bind_int(s, 6, limit + 1);
    }
    int rc = db_collect(st, s, sizeof(struct view_log_row), view_row, NULL, NULL, NULL, &v, &len);
    if (rc != ERR_OK)
        return rc;
    struct view_log_row *rows = v;
    *next = 0;
    if (len > (size_t)limit) {
        len--;
        *next = rows[len - 1].id;
    }
    *out = rows;
    *n = len;
    return ERR_OK;
}

/* One statement of the erasure, bound with ?1 citizen, ?2 user, ?3 at, ?4 placeholder, ?5 note
 * (each statement uses the ones it names); *changed the rows it changed (may be NULL). */
static int anon_step(struct store *st, const char *sql, int64_t citizen_id, int64_t user_id,
                     int64_t at, const char *placeholder, const char *note, int64_t *changed)
{
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    int np = sqlite3_bind_parameter_count(s);
    sqlite3_bind_int64(s, 1, citizen_id);
    if (np >= 2)
        db_bind_id(s, 2, user_id);
    if (np >= 3)
        sqlite3_bind_int64(s, 3, at);
    if (np >= 4)
        db_bind_text(s, 4, placeholder);
    if (np >= 5)
        db_bind_text(s, 5, note);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && changed)
        *changed = sqlite3_changes(SQ(st)->cur->db);
    return rc;
}

#define OF_APPS "(SELECT id FROM applications WHERE citizen_id = ?1)"

/* The person's files: their attachments go, and each file (blob) no other attachment uses. */
static int anon_files(struct store *st, int64_t citizen_id, int64_t *files)
{
    static const char pick[] = "SELECT DISTINCT hash FROM attachments WHERE app_id IN " OF_APPS;
    static const char drop_att[] = "DELETE FROM attachments WHERE app_id IN " OF_APPS;
    static const char drop_blob[] =
        "DELETE FROM blobs WHERE hash = ?1 AND NOT EXISTS (SELECT 1 FROM attachments a "
        "WHERE a.hash = ?1)";
    char(*hashes)[72] = NULL;
    size_t n = 0, cap = 0;
    int rc;
    sqlite3_stmt *s = db_stmt(st, pick);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, citizen_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            hashes = xrealloc(hashes, cap * sizeof(*hashes));
        }
        db_col_copy(s, 0, hashes[n++], sizeof(hashes[0]));
    }
    sqlite3_reset(s);
    rc = rc == SQLITE_DONE ? ERR_OK : db_err(st, rc);
    if (rc == ERR_OK)
        rc = anon_step(st, drop_att, citizen_id, 0, 0, NULL, NULL, files);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        sqlite3_stmt *d = db_stmt(st, drop_blob);
        if (!d) {
            rc = ERR_STORE;
            break;
        }
        db_bind_text(d, 1, hashes[i]);
        rc = db_exec_stmt(st, d);
    }
    free(hashes);
    return rc;
}

int sqlite_citizen_anonymise(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                             const char *placeholder, const char *note, struct anon_counts *c)
{
    /* clang-format off */
    static const char *const steps[] = {
        /* the record: the row stays (statistics count citizens), its personal data goes */
        "UPDATE citizens SET name = 'Anonim', phone = NULL, email = NULL, tc = NULL, "
        "tc_hash = NULL, tc_key = NULL, address = NULL, consent_marketing = 0, anonymised_at = ?3 WHERE id = ?1",
        "DELETE FROM citizen_consents WHERE citizen_id = ?1",
        /* the history keeps who did what when; notes may quote the person */
        "UPDATE events SET note = NULL WHERE note IS NOT NULL AND app_id IN " OF_APPS,
        "INSERT INTO events(app_id, at, user_id, action, note, public) "
        "SELECT id, ?3, ?2, 'anonymise', ?5, 0 FROM applications WHERE citizen_id = ?1",
        /* the calls they made: the caller's number, and the contacts' notes */
        "UPDATE call_events SET caller = '' WHERE ref IN (SELECT l.ref FROM calls l JOIN contacts c "
        "ON c.call_id = l.id WHERE c.citizen_id = ?1)",
        "UPDATE calls SET caller = '' WHERE id IN (SELECT call_id FROM contacts "
        "WHERE citizen_id = ?1)",
        /* messages sent to them: the address and text (not yet sent ones are not sent) */
        "UPDATE outbox SET state = 'skipped', last_error = 'KVKK' WHERE state IN ('pending', "
        "'sending') AND (citizen_id = ?1 OR app_id IN " OF_APPS ")",
        "UPDATE outbox SET recipient = '', subject = '', body = ?4 WHERE citizen_id = ?1 "
        "OR app_id IN " OF_APPS,
        "UPDATE satisfaction SET comment = '' WHERE comment <> '' AND app_id IN " OF_APPS,
    };
    /* clang-format on */
    static const char apps[] =
        "UPDATE applications SET text = ?4, address = NULL, lat = NULL, lon = NULL, "
        "public_response = CASE WHEN public_response IS NULL THEN NULL ELSE ?4 END "
        "WHERE citizen_id = ?1";
    static const char contacts[] =
        "UPDATE contacts SET caller = '', note = CASE WHEN note IS NULL THEN NULL ELSE ?4 END "
        "WHERE citizen_id = ?1";
    static const char messages[] = "SELECT count(*) FROM outbox WHERE citizen_id = ?1 OR app_id IN "
                                   "(SELECT id FROM applications WHERE citizen_id = ?1)";
    int64_t changed = 0;
    memset(c, 0, sizeof(*c));
    int rc = anon_step(st, steps[0], citizen_id, user_id, at, placeholder, note, &changed);
    if (rc != ERR_OK)
        return rc;
    if (changed == 0)
        return ERR_NOT_FOUND;
    sqlite3_stmt *s = db_stmt(st, messages);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, citizen_id);
    if ((rc = db_step_row(st, s)) == ERR_OK)
        c->messages = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != ERR_OK)
        return rc;
    for (size_t i = 1; i < sizeof(steps) / sizeof(steps[0]) && rc == ERR_OK; i++)
        rc = anon_step(st, steps[i], citizen_id, user_id, at, placeholder, note, NULL);
    if (rc == ERR_OK)
        rc = anon_step(st, apps, citizen_id, user_id, at, placeholder, note, &c->apps);
    if (rc == ERR_OK)
        rc = anon_step(st, contacts, citizen_id, user_id, at, placeholder, note, &c->contacts);
    if (rc == ERR_OK)
        rc = anon_files(st, citizen_id, &c->files);
    return rc;
}

int sqlite_retention_candidates(struct store *st, int64_t before, int64_t after, int limit,
                                int64_t **ids, size_t *n)
{
    static const char sql[] =
        "SELECT c.id FROM citizens c WHERE c.anonymised_at IS NULL AND c.id > ?2 "
        "AND (c.created_at < ?1 OR EXISTS (SELECT 1 FROM applications a WHERE a.citizen_id = "
        "c.id)) "
        "AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.citizen_id = c.id AND "
        "(a.status NOT IN ('closed', 'out_of_scope', 'duplicate') "
        "OR coalesce(a.closed_at, a.updated_at) >= ?1)) "
        "AND NOT EXISTS (SELECT 1 FROM contacts k WHERE k.citizen_id = c.id AND k.started_at >= "
        "?1) "
        "ORDER BY c.id LIMIT ?3";
    sqlite3_stmt *s = db_stmt(st, sql);
    int rc;
    size_t len = 0, cap = 0;
    int64_t *v = NULL;
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, before);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit < 1 ? 1 : limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof(*v));
        }
        v[len++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return db_err(st, rc);
    }
    *ids = v ? v : xmalloc(sizeof(*v));
    *n = len;
    return ERR_OK;
}

static void sat_row(sqlite3_stmt *s, void *out)
{
    struct satisfaction *r = out;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    r->app_id = sqlite3_column_int64(s, 1);
    r->contact_id = sqlite3_column_int64(s, 2);
    db_col_copy(s, 3, r->call_ref, sizeof(r->call_ref));
    r->rating = sqlite3_column_int(s, 4);
    r->comment = db_col_dup(s, 5);
    db_col_copy(s, 6, r->source, sizeof(r->source));
    r->department_id = sqlite3_column_int64(s, 7);
    r->category_id = sqlite3_column_int64(s, 8);
    db_col_copy(s, 9, r->channel, sizeof(r->channel));
    r->agent_id = sqlite3_column_int64(s, 10);
    r->at = sqlite3_column_int64(s, 11);
}

static void sat_free(void *rec)
{
    satisfaction_release(rec);
}

int sqlite_satisfaction_by_app(struct store *st, int64_t app_id, struct satisfaction **out,
                               size_t *n)
{
    static const char sql[] =
        "SELECT id, app_id, contact_id, call_ref, rating, comment, source, department_id, "
        "category_id, channel, agent_id, at FROM satisfaction WHERE app_id = ?1 ORDER BY at, id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s)
        sqlite3_bind_int64(s, 1, app_id);
    return db_collect(st, s, sizeof(**out), sat_row, NULL, NULL, sat_free, (void **)out, n);
}

/* retention of contacts and calls without a kept person (store.h), ?1 before, ?2 placeholder */
#define RC_CONTACTS                                                                                \
    "FROM contacts WHERE started_at < ?1 AND (caller <> '' OR (note IS NOT NULL AND note <> ?2)) " \
    "AND (citizen_id IS NULL OR citizen_id IN (SELECT id FROM citizens WHERE anonymised_at IS "    \
    "NOT NULL))"
#define RC_KEPT_CALLS                                                                              \
    "(SELECT k.call_id FROM contacts k JOIN citizens z ON z.id = k.citizen_id WHERE k.call_id IS " \
    "NOT NULL AND z.anonymised_at IS NULL)"
#define RC_CALLS "FROM calls WHERE offered_at < ?1 AND caller <> '' AND id NOT IN " RC_KEPT_CALLS

/* Run sql with ?1 before and (when it has one) ?2 placeholder. A SELECT count(*) leaves its
 * count in *n; a change leaves the number of rows it changed (n may be NULL then). */
static int rc_run(struct store *st, const char *sql, int64_t before, const char *placeholder,
                  int64_t *n)
{
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, before);
    if (sqlite3_bind_parameter_count(s) >= 2)
        db_bind_text(s, 2, placeholder);
    int rc;
    if (sqlite3_stmt_readonly(s)) {
        if ((rc = db_step_row(st, s)) == ERR_OK)
            *n = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    } else if ((rc = db_exec_stmt(st, s)) == ERR_OK && n) {
        *n = sqlite3_changes(SQ(st)->cur->db);
    }
    return rc;
}

int sqlite_retention_contacts(struct store *st, int64_t before, const char *placeholder, bool dry,
                              int64_t *contacts, int64_t *calls)
{
    static const char count_contacts[] = "SELECT count(*) " RC_CONTACTS;
    static const char count_calls[] = "SELECT count(*) " RC_CALLS;
    static const char erase_events[] =
        "UPDATE call_events SET caller = '' WHERE caller <> '' AND ref IN (SELECT ref " RC_CALLS
        ")";
    static const char erase_calls[] =
        "UPDATE calls SET caller = '' WHERE id IN (SELECT id " RC_CALLS ")";
    static const char erase_contacts[] =
        "UPDATE contacts SET caller = '', note = CASE WHEN note IS NULL THEN NULL ELSE ?2 END "
        "WHERE id IN (SELECT id " RC_CONTACTS ")";
    *contacts = *calls = 0;
    if (dry) {
        int rc = rc_run(st, count_contacts, before, placeholder, contacts);
        return rc == ERR_OK ? rc_run(st, count_calls, before, placeholder, calls) : rc;
    }
    /* the events first: they are found through the calls' numbers still there */
    int rc = rc_run(st, erase_events, before, placeholder, NULL);
    if (rc == ERR_OK)
        rc = rc_run(st, erase_calls, before, placeholder, calls);
    if (rc == ERR_OK)
        rc = rc_run(st, erase_contacts, before, placeholder, contacts);
    return rc;
}
