/* PostgreSQL backend: the contact centre (contacts, calls and their events, agents' states and
 * console events, the knowledge base), as store/sqlite/contacts.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define CONTACT_COLS                                                                               \
    "c.id, c.channel, c.direction, c.district_id, c.caller, c.citizen_id, c.user_id, c.call_id, "  \
    "c.started_at, c.answered_at, c.ended_at, c.outcome, c.reason, c.category, c.institution, "    \
    "c.kb_article_id, c.application_id, c.note, k.ref, k.offered_at, k.ended_at "                  \
    "FROM contacts c LEFT JOIN calls k ON k.id = c.call_id "

static void contact_row(const PGresult *res, int r, struct contact *c)
{
    memset(c, 0, sizeof(*c));
    c->id = pg_int(res, r, 0);
    pg_copy(res, r, 1, c->channel, sizeof(c->channel));
    pg_copy(res, r, 2, c->direction, sizeof(c->direction));
    c->district_id = pg_int(res, r, 3);
    pg_copy(res, r, 4, c->caller, sizeof(c->caller));
    c->citizen_id = pg_int(res, r, 5);
    c->user_id = pg_int(res, r, 6);
    c->call_id = pg_int(res, r, 7);
    c->started_at = pg_int(res, r, 8);
    c->answered_at = pg_int(res, r, 9);
    c->ended_at = pg_int(res, r, 10);
    int o = contact_outcome_parse(pg_str(res, r, 11));
    c->outcome = o < 0 ? OUTCOME_NONE : (enum contact_outcome)o;
    pg_copy(res, r, 12, c->reason, sizeof(c->reason));
    pg_copy(res, r, 13, c->category, sizeof(c->category));
    pg_copy(res, r, 14, c->institution, sizeof(c->institution));
    c->kb_article_id = pg_int(res, r, 15);
    c->application_id = pg_int(res, r, 16);
    c->note = pg_dup(res, r, 17);
    pg_copy(res, r, 18, c->call_ref, sizeof(c->call_ref));
    c->call_offered_at = pg_int(res, r, 19);
    c->call_ended_at = pg_int(res, r, 20);
}

int pg_contact_create(struct store *st, struct contact *c)
{
    static const char sql[] =
        "INSERT INTO contacts(channel, direction, district_id, caller, citizen_id, user_id, "
        "call_id, started_at, answered_at, ended_at, outcome, reason, category, institution, "
        "kb_article_id, application_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        "$11, $12, $13, $14, $15, $16, $17) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_text(&a, c->channel);
    pa_text(&a, c->direction[0] ? c->direction : "inbound");
    pa_id(&a, c->district_id);
    pa_text(&a, c->caller);
    pa_id(&a, c->citizen_id);
    pa_id(&a, c->user_id);
    pa_id(&a, c->call_id);
    pa_int(&a, c->started_at);
    pa_id(&a, c->answered_at);
    pa_id(&a, c->outcome ? c->ended_at : 0);
    pa_text(&a, c->outcome ? contact_outcome_name(c->outcome) : NULL);
    pa_text(&a, c->reason);
    pa_text(&a, c->category);
    pa_text(&a, c->institution);
    pa_id(&a, c->kb_article_id);
    pa_id(&a, c->application_id);
    pa_text(&a, c->note);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        c->id = pg_int(res, 0, 0);
    PQclear(res);
    return rc;
}

static int contact_one(struct store *st, const char *sql, int64_t id, struct contact *out)
{
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        contact_row(res, 0, out);
    PQclear(res);
    return rc;
}

int pg_contact_get(struct store *st, int64_t id, struct contact *out)
{
    static const char sql[] = "SELECT " CONTACT_COLS "WHERE c.id = $1";
    return contact_one(st, sql, id, out);
}

int pg_contact_by_call(struct store *st, int64_t call_id, struct contact *out)
{
    static const char sql[] = "SELECT " CONTACT_COLS "WHERE c.call_id = $1";
    return contact_one(st, sql, call_id, out);
}

int pg_contact_close(struct store *st, const struct contact *c)
{
    static const char sql[] =
        "UPDATE contacts SET outcome = $2, reason = $3, category = $4, institution = $5, "
        "kb_article_id = $6, application_id = $7, note = $8, ended_at = $9, "
        "citizen_id = coalesce($10, citizen_id) WHERE id = $1 AND outcome IS NULL";
    static const char sql_exists[] = "SELECT 1 FROM contacts WHERE id = $1";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, c->id);
    pa_text(&a, contact_outcome_name(c->outcome));
    pa_text(&a, c->reason);
    pa_text(&a, c->category);
    pa_text(&a, c->institution);
    pa_id(&a, c->kb_article_id);
    pa_id(&a, c->application_id);
    pa_text(&a, c->note);
    pa_int(&a, c->ended_at);
    pa_id(&a, c->citizen_id);
    int rc = pg_exec(st, sql, &a, &changed);
    if (rc != ERR_OK || changed > 0)
        return rc;
    struct pg_args b = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&b, c->id);
    rc = pg_one(st, sql_exists, &b, &res);
    PQclear(res);
    return rc == ERR_OK ? ERR_CONFLICT : rc;
}

static void arg_clause(struct strbuf *sql, struct pg_args *a, const char *clause)
{
    strbuf_addf(sql, " AND %s $%d", clause, a->n);
}

int pg_contact_list(struct store *st, const struct contact_filter *f, struct contact **out,
                    size_t *n, int64_t *next)
{
    struct pg_args a = { .n = 0 };
    struct strbuf sql;
    int limit = f->limit < 1 ? 50 : f->limit > 500 ? 500 : f->limit;
    int rc;
    strbuf_init(&sql, 0);
    strbuf_adds(&sql, "SELECT " CONTACT_COLS "WHERE true");
    const struct {
        int64_t v;
        const char *clause;
    } ints[] = { { f->user_id, "c.user_id =" },
                 { f->citizen_id, "c.citizen_id =" },
                 { f->application_id, "c.application_id =" },
                 { f->from, "c.started_at >=" },
                 { f->to, "c.started_at <" },
                 { f->after, "c.id <" } };
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
        if (ints[i].v) {
            pa_int(&a, ints[i].v);
            arg_clause(&sql, &a, ints[i].clause);
        }
    if (f->channel[0]) {
        pa_text(&a, f->channel);
        arg_clause(&sql, &a, "c.channel =");
    }
    if (f->outcome == OUTCOME_NONE)
        strbuf_adds(&sql, " AND c.outcome IS NULL");
    else if (f->outcome > 0) {
        pa_text(&a, contact_outcome_name((enum contact_outcome)f->outcome));
        arg_clause(&sql, &a, "c.outcome =");
    }
    strbuf_addf(&sql, " ORDER BY c.id DESC LIMIT %d", limit + 1);
    PGresult *res = pg_run_dyn(st, sql.buf, &a, &rc);
    strbuf_release(&sql);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct contact *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        contact_row(res, (int)i, &v[i]);
    PQclear(res);
    *next = 0;
    if (len > (size_t)limit) {
        contact_release(&v[--len]);
        *next = v[len - 1].id;
    }
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_contact_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                           int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    static const char sql_outcome[] =
        "SELECT coalesce(outcome, ''), count(*) FROM contacts WHERE started_at >= $1 "
        "AND started_at < $2 GROUP BY 1 ORDER BY 1";
    static const char sql_channel[] =
        "SELECT channel, count(*) FROM contacts WHERE started_at >= $1 AND started_at < $2 "
        "GROUP BY 1 ORDER BY 1";
    if (strcmp(dim, "channel") != 0 && strcmp(dim, "outcome") != 0)
        return ERR_INVALID;
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, from);
    pa_int(&a, to ? to : INT64_MAX);
    PGresult *res = pg_run(st, strcmp(dim, "channel") == 0 ? sql_channel : sql_outcome, &a, &rc);
    if (!res)
        return rc;
    for (int i = 0; i < PQntuples(res); i++)
        if (fn(ctx, pg_str(res, i, 0), pg_int(res, i, 1)) != 0)
            break;
    PQclear(res);
    return ERR_OK;
}

/* ---- calls ---- */

int pg_call_event_add(struct store *st, const struct call_event *e, bool *added)
{
    static const char sql[] =
        "INSERT INTO call_events(ref, type, at, agent_id, line, queue, caller, reason) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT(ref, type, at) DO NOTHING";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_text(&a, e->ref);
    pa_text(&a, call_event_name(e->type));
    pa_int(&a, e->at);
    pa_id(&a, e->agent_id);
    pa_text(&a, e->line);
    pa_text(&a, e->queue);
    pa_text(&a, e->caller);
    pa_text(&a, e->reason);
    int rc = pg_exec(st, sql, &a, &changed);
    *added = rc == ERR_OK && changed > 0;
    return rc;
}

int pg_call_events(struct store *st, const char *ref, struct call_event **out, size_t *n)
{
    static const char sql[] =
        "SELECT ref, type, at, agent_id, line, queue, caller, reason FROM call_events "
        "WHERE ref = $1 ORDER BY at, type";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_text(&a, ref);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct call_event *v = xcalloc(len ? len : 1, sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        int r = (int)i, t = call_event_parse(pg_str(res, r, 1));
        pg_copy(res, r, 0, v[i].ref, sizeof(v[i].ref));
        v[i].type = t < 0 ? CEV_OFFERED : (enum call_event_type)t;
        v[i].at = pg_int(res, r, 2);
        v[i].agent_id = pg_int(res, r, 3);
        pg_copy(res, r, 4, v[i].line, sizeof(v[i].line));
        pg_copy(res, r, 5, v[i].queue, sizeof(v[i].queue));
        pg_copy(res, r, 6, v[i].caller, sizeof(v[i].caller));
        pg_copy(res, r, 7, v[i].reason, sizeof(v[i].reason));
    }
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

#define CALL_COLS                                                                                  \
    "id, ref, line, queue, caller, agent_id, offered_at, answered_at, abandoned_at, "              \
    "transferred_at, ended_at, (SELECT x.ended_at FROM contacts x WHERE x.call_id = calls.id), "   \
    "last_event_at FROM calls "

static void call_row(const PGresult *res, int r, struct call *c)
{
    memset(c, 0, sizeof(*c));
    c->id = pg_int(res, r, 0);
    pg_copy(res, r, 1, c->ref, sizeof(c->ref));
    pg_copy(res, r, 2, c->line, sizeof(c->line));
    pg_copy(res, r, 3, c->queue, sizeof(c->queue));
    pg_copy(res, r, 4, c->caller, sizeof(c->caller));
    c->agent_id = pg_int(res, r, 5);
    c->offered_at = pg_int(res, r, 6);
    c->answered_at = pg_int(res, r, 7);
    c->abandoned_at = pg_int(res, r, 8);
    c->transferred_at = pg_int(res, r, 9);
    c->ended_at = pg_int(res, r, 10);
    c->contact_closed_at = pg_int(res, r, 11);
    c->last_event_at = pg_int(res, r, 12);
}

int pg_call_get(struct store *st, const char *ref, struct call *out)
{
    static const char sql[] = "SELECT " CALL_COLS "WHERE ref = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_text(&a, ref);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        call_row(res, 0, out);
    PQclear(res);
    return rc;
}

int pg_call_save(struct store *st, struct call *c)
{
    static const char sql_ins[] =
        "INSERT INTO calls(line, queue, caller, agent_id, offered_at, answered_at, abandoned_at, "
        "transferred_at, ended_at, ref, last_event_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10, $11) RETURNING id";
    static const char sql_upd[] =
        "UPDATE calls SET line = $1, queue = $2, caller = $3, agent_id = $4, offered_at = $5, "
        "answered_at = $6, abandoned_at = $7, transferred_at = $8, ended_at = $9, "
        "last_event_at = $11 WHERE id = $10 RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_text(&a, c->line);
    pa_text(&a, c->queue);
    pa_text(&a, c->caller);
    pa_id(&a, c->agent_id);
    pa_int(&a, c->offered_at);
    pa_id(&a, c->answered_at);
    pa_id(&a, c->abandoned_at);
    pa_id(&a, c->transferred_at);
    pa_id(&a, c->ended_at);
    if (c->id)
        pa_int(&a, c->id);
    else
        pa_text(&a, c->ref);
    pa_id(&a, c->last_event_at);
    int rc = pg_one(st, c->id ? sql_upd : sql_ins, &a, &res);
    if (rc == ERR_OK)
        c->id = pg_int(res, 0, 0);
    PQclear(res);
    return rc;
}

int pg_call_each(struct store *st, int64_t from, int64_t to,
                 int (*fn)(void *ctx, const struct call *c), void *ctx)
{
    static const char sql[] =
        "SELECT " CALL_COLS "WHERE offered_at >= $1 AND offered_at < $2 ORDER BY offered_at, id";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, from);
    pa_int(&a, to ? to : INT64_MAX);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    for (int i = 0; i < PQntuples(res); i++) {
        struct call c;
        call_row(res, i, &c);
        if (fn(ctx, &c) != 0)
            break;
    }
    PQclear(res);
    return ERR_OK;
}

/* ---- agents ---- */

int pg_agent_state_set(struct store *st, const struct agent_state *s)
{
    static const char sql[] =
        "INSERT INTO agent_states(user_id, state, reason, since) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, "
        "since = excluded.since";
    static const char sql_log[] =
        "INSERT INTO agent_state_log(user_id, state, reason, at) VALUES ($1, $2, $3, $4)";
    struct pg_args a = { .n = 0 };
    pa_int(&a, s->user_id);
    pa_text(&a, agent_state_name(s->state));
    pa_text(&a, s->reason);
    pa_int(&a, s->since);
    int rc = pg_exec(st, sql, &a, NULL);
    return rc == ERR_OK ? pg_exec(st, sql_log, &a, NULL) : rc;
}

#define AGENT_COLS                                                                                 \
    "a.user_id, u.username, u.full_name, a.state, a.reason, a.since FROM agent_states a "          \
    "JOIN users u ON u.id = a.user_id "

static void agent_row(const PGresult *res, int r, struct agent_state *a)
{
    memset(a, 0, sizeof(*a));
    a->user_id = pg_int(res, r, 0);
    pg_copy(res, r, 1, a->username, sizeof(a->username));
    pg_copy(res, r, 2, a->full_name, sizeof(a->full_name));
    int k = agent_state_parse(pg_str(res, r, 3));
    a->state = k < 0 ? AGENT_LOGGED_OUT : (enum agent_state_kind)k;
    pg_copy(res, r, 4, a->reason, sizeof(a->reason));
    a->since = pg_int(res, r, 5);
}

int pg_agent_state_get(struct store *st, int64_t user_id, struct agent_state *out)
{
    static const char sql[] = "SELECT " AGENT_COLS "WHERE a.user_id = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&a, user_id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        agent_row(res, 0, out);
    PQclear(res);
    return rc;
}

int pg_agent_state_list(struct store *st, struct agent_state **out, size_t *n)
{
    static const char sql[] = "SELECT " AGENT_COLS "ORDER BY u.username";
    int rc;
    PGresult *res = pg_run(st, sql, NULL, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct agent_state *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        agent_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_agent_event_add(struct store *st, struct agent_event *e)
{
    static const char sql[] = "INSERT INTO agent_events(user_id, kind, contact_id, at) "
                              "VALUES ($1, $2, $3, $4) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&a, e->user_id);
    pa_text(&a, e->kind);
    pa_id(&a, e->contact_id);
    pa_int(&a, e->at);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        e->id = pg_int(res, 0, 0);
    PQclear(res);
    return rc;
}

int pg_agent_event_list(struct store *st, int64_t user_id, int64_t after, int limit,
                        struct agent_event **out, size_t *n)
{
    static const char sql[] = "SELECT id, user_id, kind, contact_id, at FROM agent_events "
                              "WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, user_id);
    pa_int(&a, after);
    pa_int(&a, limit < 1 ? 1 : limit > 500 ? 500 : limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct agent_event *v = xcalloc(len ? len : 1, sizeof(*v));
    for (size_t i = 0; i < len; i++) {
        v[i].id = pg_int(res, (int)i, 0);
        v[i].user_id = pg_int(res, (int)i, 1);
        pg_copy(res, (int)i, 2, v[i].kind, sizeof(v[i].kind));
        v[i].contact_id = pg_int(res, (int)i, 3);
        v[i].at = pg_int(res, (int)i, 4);
    }
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

/* ---- knowledge base ---- */

#define KB_COLS                                                                                    \
    "a.id, a.title, a.body, a.keywords, a.category, a.active, a.created_at, a.updated_at, "        \
    "(SELECT count(*) FROM contacts c WHERE c.kb_article_id = a.id "                               \
    "AND c.outcome = 'instant_info'), a.districts, a.phones, a.valid_from, a.valid_until "

static void kb_row(const PGresult *res, int r, struct kb_article *a)
{
    memset(a, 0, sizeof(*a));
    a->id = pg_int(res, r, 0);
    a->title = pg_dup(res, r, 1);
    a->body = pg_dup(res, r, 2);
    a->keywords = pg_dup(res, r, 3);
    pg_copy(res, r, 4, a->category, sizeof(a->category));
    a->active = strcmp(pg_str(res, r, 5), "t") == 0;
    a->created_at = pg_int(res, r, 6);
    a->updated_at = pg_int(res, r, 7);
    a->uses = pg_int(res, r, 8);
    kb_districts_decode(a, pg_str(res, r, 9));
    kb_phones_decode(a, pg_str(res, r, 10));
    a->valid_from = pg_int(res, r, 11); /* NULL reads as 0: open-ended */
    a->valid_until = pg_int(res, r, 12);
}

int pg_kb_save(struct store *st, struct kb_article *a)
{
    static const char sql_ins[] =
        "INSERT INTO kb_articles(title, body, keywords, category, active, updated_at, fts, "
        "districts, phones, valid_from, valid_until, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7::tsvector, $8, $9, $10, $11, $12) RETURNING id";
    static const char sql_upd[] =
        "UPDATE kb_articles SET title = $1, body = $2, keywords = $3, category = $4, active = $5, "
        "updated_at = $6, fts = $7::tsvector, districts = $8, phones = $9, valid_from = $10, "
        "valid_until = $11 WHERE id = $12 RETURNING id";
    char *districts = kb_districts_encode(a), *phones = kb_phones_encode(a);
    struct strbuf text;
    strbuf_init(&text, 0);
    strbuf_addf(&text, "%s\n%s\n%s", a->title ? a->title : "", a->body ? a->body : "", phones);
    char *fts = pg_fts_document(text.buf, a->keywords);
    strbuf_release(&text);
    if (!fts) {
        free(districts);
        free(phones);
        return ERR_INVALID;
    }
    struct pg_args p = { .n = 0 };
    PGresult *res = NULL;
    pa_text(&p, a->title);
    pa_text(&p, a->body);
    pa_text(&p, a->keywords);
    pa_text(&p, a->category);
    pa_text(&p, a->active ? "true" : "false");
    pa_int(&p, a->updated_at);
    pa_text(&p, fts);
    pa_text(&p, districts);
    pa_text(&p, phones);
    pa_id(&p, a->valid_from); /* 0 → NULL */
    pa_id(&p, a->valid_until);
    pa_int(&p, a->id ? a->id : a->created_at);
    int rc = pg_one(st, a->id ? sql_upd : sql_ins, &p, &res);
    if (rc == ERR_OK)
        a->id = pg_int(res, 0, 0);
    PQclear(res);
    free(fts);
    free(districts);
    free(phones);
    return rc;
}

int pg_kb_get(struct store *st, int64_t id, struct kb_article *out)
{
    static const char sql[] = "SELECT " KB_COLS "FROM kb_articles a WHERE a.id = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        kb_row(res, 0, out);
    PQclear(res);
    return rc;
}

int pg_kb_list(struct store *st, const struct kb_query *kq, struct kb_article **out, size_t *n)
{
    struct pg_args a = { .n = 0 };
    struct strbuf sql;
    char *tsq = NULL, *dist = NULL;
    int rc, limit = kq->limit < 1 ? 1 : kq->limit > 200 ? 200 : kq->limit, qarg = 0;
    if (kq->q && *kq->q && !(tsq = pg_fts_query_prefix(kq->q)))
        return ERR_INVALID;
    strbuf_init(&sql, 0);
    strbuf_adds(&sql, "SELECT " KB_COLS "FROM kb_articles a WHERE true");
    if (tsq && *tsq) {
        pa_text(&a, tsq);
        qarg = a.n;
        strbuf_addf(&sql, " AND a.fts @@ $%d::tsquery", qarg);
    }
    if (kq->state != KB_ANY && kq->state != KB_ARCHIVED)
        pa_int(&a, kq->now);
    switch (kq->state) {
    case KB_CURRENT:
        strbuf_addf(&sql,
                    " AND a.active AND (a.valid_from IS NULL OR a.valid_from <= $%d)"
                    " AND (a.valid_until IS NULL OR a.valid_until > $%d)",
                    a.n, a.n);
        break;
    case KB_UPCOMING:
        strbuf_addf(&sql,
                    " AND a.active AND a.valid_from > $%d"
                    " AND (a.valid_until IS NULL OR a.valid_until > $%d)",
                    a.n, a.n);
        break;
    case KB_EXPIRED: strbuf_addf(&sql, " AND a.active AND a.valid_until <= $%d", a.n); break;
    case KB_ARCHIVED: strbuf_adds(&sql, " AND NOT a.active"); break;
    default: break;
    }
    if (kq->category && *kq->category) {
        pa_text(&a, kq->category);
        strbuf_addf(&sql, " AND a.category = $%d", a.n);
    }
    strbuf_adds(&sql, " ORDER BY ");
    if (kq->district > 0) {
        struct kb_article one = { .districts = (int64_t[]){ kq->district }, .ndistricts = 1 };
        dist = kb_districts_encode(&one); /* pa_text keeps the pointer: freed after the query */
        pa_text(&a, dist);
        strbuf_addf(&sql,
                    "CASE WHEN strpos(a.districts, $%d) > 0 THEN 0 "
                    "WHEN a.districts = '' THEN 1 ELSE 2 END, ",
                    a.n);
    }
    if (qarg)
        strbuf_addf(&sql, "ts_rank(a.fts, $%d::tsquery) DESC, ", qarg);
    strbuf_addf(&sql, "a.id DESC LIMIT %d", limit);
    PGresult *res = pg_run_dyn(st, sql.buf, &a, &rc);
    strbuf_release(&sql);
    free(tsq);
    free(dist);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct kb_article *v = xmalloc((len ? len : 1) * sizeof(*v));
    for (size_t i = 0; i < len; i++)
        kb_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}
