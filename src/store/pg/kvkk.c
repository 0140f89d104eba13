/* PostgreSQL backend: KVKK (issue 12) — the view log's reader, anonymisation, retention. */
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define VIEW_SQL(lead)                                                                             \
    "SELECT v.id, v.citizen_id, v.user_id, v.at, coalesce(u.username, ''), v.purpose "             \
    "FROM citizen_views v LEFT JOIN users u ON u.id = v.user_id WHERE " lead                       \
    " AND ($1::bigint = 0 OR v.citizen_id = $1) AND ($2::bigint = 0 OR v.user_id = $2) "           \
    "AND ($3::bigint = 0 OR v.at >= $3) AND ($4::bigint = 0 OR v.at < $4) "                        \
    "AND ($5::bigint = 0 OR v.id < $5) ORDER BY v.id DESC LIMIT $6"

int pg_view_log_list(struct store *st, const struct view_log_filter *f, struct view_log_row **out,
                     size_t *n, int64_t *next)
{
    static const char by_citizen[] = VIEW_SQL("v.citizen_id = $1");
    static const char by_user[] = VIEW_SQL("v.user_id = $2");
    static const char all[] = VIEW_SQL("true");
    int limit = f->limit < 1 ? 50 : f->limit > 500 ? 500 : f->limit;
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, f->citizen_id);
    pa_int(&a, f->user_id);
    pa_int(&a, f->from);
    pa_int(&a, f->to);
    pa_int(&a, f->after);
    pa_int(&a, limit + 1);
    PGresult *res = pg_run(st, f->citizen_id ? by_citizen : f->user_id ? by_user : all, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct view_log_row *v = xcalloc(len ? len : 1, sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        v[i].id = pg_int(res, (int)i, 0);
        v[i].citizen_id = pg_int(res, (int)i, 1);
        v[i].user_id = pg_int(res, (int)i, 2);
        v[i].at = pg_int(res, (int)i, 3);
        pg_copy(res, (int)i, 4, v[i].username, sizeof(v[i].username));
        pg_copy(res, (int)i, 5, v[i].purpose, sizeof(v[i].purpose));
    }
    PQclear(res);
    *next = 0;
    if (len > (size_t)limit) {
        len--;
        *next = v[len - 1].id;
    }
    *out = v;
    *n = len;
    return ERR_OK;
}

#define OF_APPS "(SELECT id FROM applications WHERE citizen_id = $1)"

/* Run sql with the citizen ($1) and, when text is given, $2 = text; *changed its row count. */
static int run1(struct store *st, const char *sql, int64_t citizen_id, const char *text,
                int64_t *changed)
{
    struct pg_args a = { .n = 0 };
    pa_int(&a, citizen_id);
    if (text)
        pa_text(&a, text);
    return pg_exec(st, sql, &a, changed);
}

int pg_citizen_anonymise(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                         const char *placeholder, const char *note, struct anon_counts *c)
{
    /* clang-format off */
    static const char *const plain[] = {
        "DELETE FROM citizen_consents WHERE citizen_id = $1",
        "UPDATE events SET note = NULL WHERE note IS NOT NULL AND app_id IN " OF_APPS,
        "UPDATE call_events SET caller = '' WHERE ref IN (SELECT l.ref FROM calls l JOIN contacts c "
        "ON c.call_id = l.id WHERE c.citizen_id = $1)",
        "UPDATE calls SET caller = '' WHERE id IN (SELECT call_id FROM contacts "
        "WHERE citizen_id = $1)",
        "UPDATE outbox SET state = 'skipped', last_error = 'KVKK' WHERE state IN ('pending', "
        "'sending') AND (citizen_id = $1 OR app_id IN " OF_APPS ")",
        "UPDATE satisfaction SET comment = '' WHERE comment <> '' AND app_id IN " OF_APPS,
    };
    /* clang-format on */
    static const char person[] =
        "UPDATE citizens SET name = 'Anonim', phone = NULL, email = NULL, tc = NULL, "
        "tc_hash = NULL, tc_key = NULL, address = NULL, consent_marketing = 0, anonymised_at = $2 "
        "WHERE id = $1";
    static const char history[] =
        "INSERT INTO events(app_id, at, user_id, action, note, public) "
        "SELECT id, $2, $3, 'anonymise', $4, 0 FROM applications WHERE citizen_id = $1";
    static const char messages[] =
        "UPDATE outbox SET recipient = '', subject = '', body = $2 WHERE citizen_id = $1 "
        "OR app_id IN " OF_APPS;
    static const char apps[] =
        "UPDATE applications SET text = $2, address = NULL, lat = NULL, lon = NULL, "
        "fts = ''::tsvector, "
        "public_response = CASE WHEN public_response IS NULL THEN NULL ELSE $2 END "
        "WHERE citizen_id = $1";
    static const char contacts[] =
        "UPDATE contacts SET caller = '', note = CASE WHEN note IS NULL THEN NULL ELSE $2 END "
        "WHERE citizen_id = $1";
    static const char files[] =
        "DELETE FROM attachments WHERE app_id IN " OF_APPS " RETURNING hash";
    static const char blob[] = "DELETE FROM blobs WHERE hash = $1 AND NOT EXISTS "
                               "(SELECT 1 FROM attachments a WHERE a.hash = $1)";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    int rc;
    memset(c, 0, sizeof(*c));
    pa_int(&a, citizen_id);
    pa_int(&a, at);
    if ((rc = pg_exec(st, person, &a, &changed)) != ERR_OK)
        return rc;
    if (changed == 0)
        return ERR_NOT_FOUND;
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]) && rc == ERR_OK; i++)
        rc = run1(st, plain[i], citizen_id, NULL, NULL);
    if (rc != ERR_OK)
        return rc;
    a.n = 0;
    pa_int(&a, citizen_id);
    pa_int(&a, at);
    pa_id(&a, user_id);
    pa_text(&a, note);
    if ((rc = pg_exec(st, history, &a, NULL)) != ERR_OK ||
        (rc = run1(st, messages, citizen_id, placeholder, &c->messages)) != ERR_OK ||
        (rc = run1(st, apps, citizen_id, placeholder, &c->apps)) != ERR_OK ||
        (rc = run1(st, contacts, citizen_id, placeholder, &c->contacts)) != ERR_OK)
        return rc;
    a.n = 0;
    pa_int(&a, citizen_id);
    PGresult *res = pg_run(st, files, &a, &rc);
    if (!res)
        return rc;
    c->files = PQntuples(res);
    for (int i = 0; i < PQntuples(res) && rc == ERR_OK; i++) {
        struct pg_args b = { .n = 0 };
        pa_text(&b, pg_str(res, i, 0));
        rc = pg_exec(st, blob, &b, NULL);
    }
    PQclear(res);
    return rc;
}

int pg_retention_candidates(struct store *st, int64_t before, int64_t after, int limit,
                            int64_t **ids, size_t *n)
{
    static const char sql[] =
        "SELECT c.id FROM citizens c WHERE c.anonymised_at IS NULL AND c.id > $2 "
        "AND (c.created_at < $1 OR EXISTS (SELECT 1 FROM applications a WHERE a.citizen_id = "
        "c.id)) "
        "AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.citizen_id = c.id AND "
        "(a.status NOT IN ('closed', 'out_of_scope', 'duplicate') "
        "OR coalesce(a.closed_at, a.updated_at) >= $1)) "
        "AND NOT EXISTS (SELECT 1 FROM contacts k WHERE k.citizen_id = c.id AND k.started_at >= "
        "$1) "
        "ORDER BY c.id LIMIT $3";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, before);
    pa_int(&a, after);
    pa_int(&a, limit < 1 ? 1 : limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    int64_t *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        v[i] = pg_int(res, (int)i, 0);
    PQclear(res);
    *ids = v;
    *n = len;
    return ERR_OK;
}

int pg_satisfaction_by_app(struct store *st, int64_t app_id, struct satisfaction **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, app_id, contact_id, call_ref, rating, comment, source, department_id, "
        "category_id, channel, agent_id, at FROM satisfaction WHERE app_id = $1 ORDER BY at, id";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, app_id);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct satisfaction *v = xcalloc(len ? len : 1, sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        struct satisfaction *r = &v[i];
        int k = (int)i;
        r->id = pg_int(res, k, 0);
        r->app_id = pg_int(res, k, 1);
        r->contact_id = pg_int(res, k, 2);
        pg_copy(res, k, 3, r->call_ref, sizeof(r->call_ref));
        r->rating = (int)pg_int(res, k, 4);
        r->comment = pg_dup(res, k, 5);
        pg_copy(res, k, 6, r->source, sizeof(r->source));
        r->department_id = pg_int(res, k, 7);
        r->category_id = pg_int(res, k, 8);
        pg_copy(res, k, 9, r->channel, sizeof(r->channel));
        r->agent_id = pg_int(res, k, 10);
        r->at = pg_int(res, k, 11);
    }
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

/* retention of contacts and calls without a kept person (store.h), $1 before, $2 placeholder */
#define RC_CONTACTS                                                                                \
    "FROM contacts WHERE started_at < $1 AND (caller <> '' OR (note IS NOT NULL AND note <> $2)) " \
    "AND (citizen_id IS NULL OR citizen_id IN (SELECT id FROM citizens WHERE anonymised_at IS "    \
    "NOT NULL))"
#define RC_KEPT_CALLS                                                                              \
    "(SELECT k.call_id FROM contacts k JOIN citizens z ON z.id = k.citizen_id WHERE k.call_id IS " \
    "NOT NULL AND z.anonymised_at IS NULL)"
#define RC_CALLS "FROM calls WHERE offered_at < $1 AND caller <> '' AND id NOT IN " RC_KEPT_CALLS

int pg_retention_contacts(struct store *st, int64_t before, const char *placeholder, bool dry,
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
        "UPDATE contacts SET caller = '', note = CASE WHEN note IS NULL THEN NULL ELSE $2 END "
        "WHERE id IN (SELECT id " RC_CONTACTS ")";
    struct pg_args a = { .n = 0 }, b = { .n = 0 };
    PGresult *res;
    int rc;
    *contacts = *calls = 0;
    pa_int(&a, before);
    pa_text(&a, placeholder);
    pa_int(&b, before);
    if (dry) {
        if ((rc = pg_one(st, count_contacts, &a, &res)) != ERR_OK)
            return rc;
        *contacts = pg_int(res, 0, 0);
        PQclear(res);
        if ((rc = pg_one(st, count_calls, &b, &res)) != ERR_OK)
            return rc;
        *calls = pg_int(res, 0, 0);
        PQclear(res);
        return ERR_OK;
    }
    /* the events first: they are found through the calls' numbers still there */
    if ((rc = pg_exec(st, erase_events, &b, NULL)) != ERR_OK ||
        (rc = pg_exec(st, erase_calls, &b, calls)) != ERR_OK)
        return rc;
    return pg_exec(st, erase_contacts, &a, contacts);
}
