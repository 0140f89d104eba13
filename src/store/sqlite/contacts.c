/* SQLite backend: the contact centre (contacts, calls and their events, agents' states and
 * console events, the knowledge base). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "store/sqlite/db.h"
#include "store/sqlite/fts_turkish.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define CONTACT_COLS                                                                               \
    "c.id, c.channel, c.direction, c.district_id, c.caller, c.citizen_id, c.user_id, c.call_id, "  \
    "c.started_at, c.answered_at, c.ended_at, c.outcome, c.reason, c.category, c.institution, "    \
    "c.kb_article_id, c.application_id, c.note, k.ref, k.offered_at, k.ended_at "                  \
    "FROM contacts c LEFT JOIN calls k ON k.id = c.call_id "

static void contact_row(sqlite3_stmt *s, void *rec)
{
    struct contact *c = rec;
    char outcome[MODEL_WORD_LEN];
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, c->channel, sizeof(c->channel));
    db_col_copy(s, 2, c->direction, sizeof(c->direction));
    c->district_id = sqlite3_column_int64(s, 3);
    db_col_copy(s, 4, c->caller, sizeof(c->caller));
    c->citizen_id = sqlite3_column_int64(s, 5);
    c->user_id = sqlite3_column_int64(s, 6);
    c->call_id = sqlite3_column_int64(s, 7);
    c->started_at = sqlite3_column_int64(s, 8);
    c->answered_at = sqlite3_column_int64(s, 9);
    c->ended_at = sqlite3_column_int64(s, 10);
    db_col_copy(s, 11, outcome, sizeof(outcome));
    int o = contact_outcome_parse(outcome);
    c->outcome = o < 0 ? OUTCOME_NONE : (enum contact_outcome)o;
    db_col_copy(s, 12, c->reason, sizeof(c->reason));
    db_col_copy(s, 13, c->category, sizeof(c->category));
    db_col_copy(s, 14, c->institution, sizeof(c->institution));
    c->kb_article_id = sqlite3_column_int64(s, 15);
    c->application_id = sqlite3_column_int64(s, 16);
    c->note = db_col_dup(s, 17);
    db_col_copy(s, 18, c->call_ref, sizeof(c->call_ref));
    c->call_offered_at = sqlite3_column_int64(s, 19);
    c->call_ended_at = sqlite3_column_int64(s, 20);
}

static void contact_free(void *rec)
{
    contact_release(rec);
}

static void bind_time(sqlite3_stmt *s, int i, int64_t t)
{
    if (t)
        sqlite3_bind_int64(s, i, t);
    else
        sqlite3_bind_null(s, i);
}

int sqlite_contact_create(struct store *st, struct contact *c)
{
    static const char sql[] =
        "INSERT INTO contacts(channel, direction, district_id, caller, citizen_id, user_id, "
        "call_id, started_at, answered_at, ended_at, outcome, reason, category, institution, "
        "kb_article_id, application_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?14, ?15, ?16, ?17)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, c->channel);
    db_bind_text(s, 2, c->direction[0] ? c->direction : "inbound");
    db_bind_id(s, 3, c->district_id);
    db_bind_text(s, 4, c->caller);
    db_bind_id(s, 5, c->citizen_id);
    db_bind_id(s, 6, c->user_id);
    db_bind_id(s, 7, c->call_id);
    sqlite3_bind_int64(s, 8, c->started_at);
    bind_time(s, 9, c->answered_at);
    bind_time(s, 10, c->outcome ? c->ended_at : 0);
    if (c->outcome)
        db_bind_text(s, 11, contact_outcome_name(c->outcome));
    db_bind_text(s, 12, c->reason);
    db_bind_text(s, 13, c->category);
    db_bind_text(s, 14, c->institution);
    db_bind_id(s, 15, c->kb_article_id);
    db_bind_id(s, 16, c->application_id);
    db_bind_text(s, 17, c->note);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        c->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

int sqlite_contact_get(struct store *st, int64_t id, struct contact *out)
{
    static const char sql[] = "SELECT " CONTACT_COLS "WHERE c.id = ?1";
    return db_get_one(st, sql, id, NULL, contact_row, out);
}

int sqlite_contact_by_call(struct store *st, int64_t call_id, struct contact *out)
{
    static const char sql[] = "SELECT " CONTACT_COLS "WHERE c.call_id = ?1";
    return db_get_one(st, sql, call_id, NULL, contact_row, out);
}

int sqlite_contact_close(struct store *st, const struct contact *c)
{
    static const char sql[] =
        "UPDATE contacts SET outcome = ?2, reason = ?3, category = ?4, institution = ?5, "
        "kb_article_id = ?6, application_id = ?7, note = ?8, ended_at = ?9, "
        "citizen_id = coalesce(?10, citizen_id) WHERE id = ?1 AND outcome IS NULL";
    static const char sql_exists[] = "SELECT 1 FROM contacts WHERE id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, c->id);
    db_bind_text(s, 2, contact_outcome_name(c->outcome));
    db_bind_text(s, 3, c->reason);
    db_bind_text(s, 4, c->category);
    db_bind_text(s, 5, c->institution);
    db_bind_id(s, 6, c->kb_article_id);
    db_bind_id(s, 7, c->application_id);
    db_bind_text(s, 8, c->note);
    sqlite3_bind_int64(s, 9, c->ended_at);
    db_bind_id(s, 10, c->citizen_id);
    int rc = db_exec_stmt(st, s);
    if (rc != ERR_OK || sqlite3_changes(SQ(st)->cur->db) > 0)
        return rc;
    if (!(s = db_stmt(st, sql_exists)))
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, c->id);
    rc = db_step_row(st, s);
    sqlite3_reset(s);
    return rc == ERR_OK ? ERR_CONFLICT : rc;
}

struct qbuild {
    struct strbuf sql;
    int n;
    struct {
        bool text;
        int64_t i;
        const char *t;
    } v[16];
};

static void q_int(struct qbuild *q, const char *clause, int64_t v)
{
    strbuf_addf(&q->sql, " AND %s ?%d", clause, q->n + 1);
    q->v[q->n].text = false;
    q->v[q->n++].i = v;
}

static void q_text(struct qbuild *q, const char *clause, const char *t)
{
    strbuf_addf(&q->sql, " AND %s ?%d", clause, q->n + 1);
    q->v[q->n].text = true;
    q->v[q->n++].t = t;
}

static sqlite3_stmt *q_prepare(struct store *st, const struct qbuild *q)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(SQ(st)->cur->db, q->sql.buf, -1, &s, NULL) != SQLITE_OK)
        return NULL;
    for (int i = 0; i < q->n; i++) {
        if (q->v[i].text)
            sqlite3_bind_text(s, i + 1, q->v[i].t, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(s, i + 1, q->v[i].i);
    }
    return s;
}

int sqlite_contact_list(struct store *st, const struct contact_filter *f, struct contact **out,
                        size_t *n, int64_t *next)
{
    struct qbuild q = { .n = 0 };
    int limit = f->limit < 1 ? 50 : f->limit > 500 ? 500 : f->limit;
    void *v = NULL;
    size_t len = 0;
    strbuf_init(&q.sql, 0);
    strbuf_adds(&q.sql, "SELECT " CONTACT_COLS "WHERE 1=1");
    if (f->user_id)
        q_int(&q, "c.user_id =", f->user_id);
    if (f->citizen_id)
        q_int(&q, "c.citizen_id =", f->citizen_id);
    if (f->application_id)
        q_int(&q, "c.application_id =", f->application_id);
    if (f->channel[0])
        q_text(&q, "c.channel =", f->channel);
    if (f->outcome == OUTCOME_NONE)
        strbuf_adds(&q.sql, " AND c.outcome IS NULL");
    else if (f->outcome > 0)
        q_text(&q, "c.outcome =", contact_outcome_name((enum contact_outcome)f->outcome));
    if (f->from)
        q_int(&q, "c.started_at >=", f->from);
    if (f->to)
        q_int(&q, "c.started_at <", f->to);
    if (f->after)
        q_int(&q, "c.id <", f->after);
    strbuf_addf(&q.sql, " ORDER BY c.id DESC LIMIT %d", limit + 1);
    sqlite3_stmt *s = q_prepare(st, &q);
    int rc =
        db_collect(st, s, sizeof(struct contact), contact_row, NULL, NULL, contact_free, &v, &len);
    sqlite3_finalize(s);
    strbuf_release(&q.sql);
    if (rc != ERR_OK)
        return rc;
    struct contact *cs = v;
    *next = 0;
    if (len > (size_t)limit) {
        contact_release(&cs[--len]);
        *next = cs[len - 1].id;
    }
    *out = cs;
    *n = len;
    return ERR_OK;
}

int sqlite_contact_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                               int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    static const char sql_outcome[] =
        "SELECT coalesce(outcome, ''), count(*) FROM contacts WHERE started_at >= ?1 "
        "AND started_at < ?2 GROUP BY 1 ORDER BY 1";
    static const char sql_channel[] =
        "SELECT channel, count(*) FROM contacts WHERE started_at >= ?1 AND started_at < ?2 "
        "GROUP BY 1 ORDER BY 1";
    const char *sql = strcmp(dim, "channel") == 0 ? sql_channel : sql_outcome;
    if (strcmp(dim, "channel") != 0 && strcmp(dim, "outcome") != 0)
        return ERR_INVALID;
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to ? to : INT64_MAX);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1)) != 0) {
            sqlite3_reset(s);
            return ERR_OK;
        }
    }
    sqlite3_reset(s);
    return sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
}

/* ---- calls ---- */

int sqlite_call_event_add(struct store *st, const struct call_event *e, bool *added)
{
    static const char sql[] =
        "INSERT INTO call_events(ref, type, at, agent_id, line, queue, caller, reason) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(ref, type, at) DO NOTHING";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, e->ref);
    db_bind_text(s, 2, call_event_name(e->type));
    sqlite3_bind_int64(s, 3, e->at);
    db_bind_id(s, 4, e->agent_id);
    sqlite3_bind_text(s, 5, e->line, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, e->queue, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, e->caller, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, e->reason, -1, SQLITE_STATIC);
    int rc = db_exec_stmt(st, s);
    *added = rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) > 0;
    return rc;
}

static void event_row(sqlite3_stmt *s, void *rec)
{
    struct call_event *e = rec;
    char type[MODEL_WORD_LEN];
    memset(e, 0, sizeof(*e));
    db_col_copy(s, 0, e->ref, sizeof(e->ref));
    db_col_copy(s, 1, type, sizeof(type));
    int t = call_event_parse(type);
    e->type = t < 0 ? CEV_OFFERED : (enum call_event_type)t;
    e->at = sqlite3_column_int64(s, 2);
    e->agent_id = sqlite3_column_int64(s, 3);
    db_col_copy(s, 4, e->line, sizeof(e->line));
    db_col_copy(s, 5, e->queue, sizeof(e->queue));
    db_col_copy(s, 6, e->caller, sizeof(e->caller));
    db_col_copy(s, 7, e->reason, sizeof(e->reason));
}

int sqlite_call_events(struct store *st, const char *ref, struct call_event **out, size_t *n)
{
    static const char sql[] =
        "SELECT ref, type, at, agent_id, line, queue, caller, reason FROM call_events "
        "WHERE ref = ?1 ORDER BY at, type";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s)
        db_bind_text(s, 1, ref);
    return db_collect(st, s, sizeof(struct call_event), event_row, NULL, NULL, NULL, (void **)out,
                      n);
}

#define CALL_COLS                                                                                  \
    "id, ref, line, queue, caller, agent_id, offered_at, answered_at, abandoned_at, "              \
    "transferred_at, ended_at, (SELECT x.ended_at FROM contacts x WHERE x.call_id = calls.id), "   \
    "last_event_at FROM calls "

static void call_row(sqlite3_stmt *s, void *rec)
{
    struct call *c = rec;
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, c->ref, sizeof(c->ref));
    db_col_copy(s, 2, c->line, sizeof(c->line));
    db_col_copy(s, 3, c->queue, sizeof(c->queue));
    db_col_copy(s, 4, c->caller, sizeof(c->caller));
    c->agent_id = sqlite3_column_int64(s, 5);
    c->offered_at = sqlite3_column_int64(s, 6);
    c->answered_at = sqlite3_column_int64(s, 7);
    c->abandoned_at = sqlite3_column_int64(s, 8);
    c->transferred_at = sqlite3_column_int64(s, 9);
    c->ended_at = sqlite3_column_int64(s, 10);
    c->contact_closed_at = sqlite3_column_int64(s, 11);
    c->last_event_at = sqlite3_column_int64(s, 12);
}

int sqlite_call_get(struct store *st, const char *ref, struct call *out)
{
    static const char sql[] = "SELECT " CALL_COLS "WHERE ref = ?1";
    return db_get_one(st, sql, 0, ref, call_row, out);
}

int sqlite_call_save(struct store *st, struct call *c)
{
    static const char sql_ins[] =
        "INSERT INTO calls(line, queue, caller, agent_id, offered_at, answered_at, abandoned_at, "
        "transferred_at, ended_at, ref, last_event_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11)";
    static const char sql_upd[] =
        "UPDATE calls SET line = ?1, queue = ?2, caller = ?3, agent_id = ?4, offered_at = ?5, "
        "answered_at = ?6, abandoned_at = ?7, transferred_at = ?8, ended_at = ?9, "
        "last_event_at = ?11 WHERE id = ?10";
    sqlite3_stmt *s = db_stmt(st, c->id ? sql_upd : sql_ins);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_text(s, 1, c->line, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, c->queue, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c->caller, -1, SQLITE_STATIC);
    db_bind_id(s, 4, c->agent_id);
    sqlite3_bind_int64(s, 5, c->offered_at);
    bind_time(s, 6, c->answered_at);
    bind_time(s, 7, c->abandoned_at);
    bind_time(s, 8, c->transferred_at);
    bind_time(s, 9, c->ended_at);
    if (c->id)
        sqlite3_bind_int64(s, 10, c->id);
    else
        db_bind_text(s, 10, c->ref);
    bind_time(s, 11, c->last_event_at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && !c->id)
        c->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    else if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int sqlite_call_each(struct store *st, int64_t from, int64_t to,
                     int (*fn)(void *ctx, const struct call *c), void *ctx)
{
    static const char sql[] =
        "SELECT " CALL_COLS "WHERE offered_at >= ?1 AND offered_at < ?2 ORDER BY offered_at, id";
    /* its own statement: fn may run other queries on this connection */
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(SQ(st)->cur->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, SQLITE_ERROR);
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to ? to : INT64_MAX);
    int sr;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        struct call c;
        call_row(s, &c);
        if (fn(ctx, &c) != 0) {
            sr = SQLITE_DONE;
            break;
        }
    }
    int rc = sr == SQLITE_DONE ? ERR_OK : db_err(st, sr);
    sqlite3_finalize(s);
    return rc;
}

/* ---- agents ---- */

int sqlite_agent_state_set(struct store *st, const struct agent_state *a)
{
    static const char sql[] =
        "INSERT INTO agent_states(user_id, state, reason, since) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, "
        "since = excluded.since";
    static const char sql_log[] =
        "INSERT INTO agent_state_log(user_id, state, reason, at) VALUES (?1, ?2, ?3, ?4)";
    const char *const sqls[2] = { sql, sql_log };
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *s = db_stmt(st, sqls[i]);
        if (!s)
            return ERR_STORE;
        sqlite3_bind_int64(s, 1, a->user_id);
        db_bind_text(s, 2, agent_state_name(a->state));
        sqlite3_bind_text(s, 3, a->reason, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, a->since);
        int rc = db_exec_stmt(st, s);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

#define AGENT_COLS                                                                                 \
    "a.user_id, u.username, u.full_name, a.state, a.reason, a.since FROM agent_states a "          \
    "JOIN users u ON u.id = a.user_id "

static void agent_row(sqlite3_stmt *s, void *rec)
{
    struct agent_state *a = rec;
    char state[MODEL_WORD_LEN];
    memset(a, 0, sizeof(*a));
    a->user_id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, a->username, sizeof(a->username));
    db_col_copy(s, 2, a->full_name, sizeof(a->full_name));
    db_col_copy(s, 3, state, sizeof(state));
    int k = agent_state_parse(state);
    a->state = k < 0 ? AGENT_LOGGED_OUT : (enum agent_state_kind)k;
    db_col_copy(s, 4, a->reason, sizeof(a->reason));
    a->since = sqlite3_column_int64(s, 5);
}

int sqlite_agent_state_get(struct store *st, int64_t user_id, struct agent_state *out)
{
    static const char sql[] = "SELECT " AGENT_COLS "WHERE a.user_id = ?1";
    return db_get_one(st, sql, user_id, NULL, agent_row, out);
}

int sqlite_agent_state_list(struct store *st, struct agent_state **out, size_t *n)
{
    static const char sql[] = "SELECT " AGENT_COLS "ORDER BY u.username";
    return db_collect(st, db_stmt(st, sql), sizeof(struct agent_state), agent_row, NULL, NULL, NULL,
                      (void **)out, n);
}

int sqlite_agent_event_add(struct store *st, struct agent_event *e)
{
    static const char sql[] =
        "INSERT INTO agent_events(user_id, kind, contact_id, at) VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, e->user_id);
    db_bind_text(s, 2, e->kind);
    db_bind_id(s, 3, e->contact_id);
    sqlite3_bind_int64(s, 4, e->at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        e->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

static void agent_event_row(sqlite3_stmt *s, void *rec)
{
    struct agent_event *e = rec;
    memset(e, 0, sizeof(*e));
    e->id = sqlite3_column_int64(s, 0);
    e->user_id = sqlite3_column_int64(s, 1);
    db_col_copy(s, 2, e->kind, sizeof(e->kind));
    e->contact_id = sqlite3_column_int64(s, 3);
    e->at = sqlite3_column_int64(s, 4);
}

int sqlite_agent_event_list(struct store *st, int64_t user_id, int64_t after, int limit,
                            struct agent_event **out, size_t *n)
{
    static const char sql[] = "SELECT id, user_id, kind, contact_id, at FROM agent_events "
                              "WHERE user_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s) {
        sqlite3_bind_int64(s, 1, user_id);
        sqlite3_bind_int64(s, 2, after);
        sqlite3_bind_int(s, 3, limit < 1 ? 1 : limit > 500 ? 500 : limit);
    }
    return db_collect(st, s, sizeof(struct agent_event), agent_event_row, NULL, NULL, NULL,
                      (void **)out, n);
}

/* ---- knowledge base ---- */

#define KB_COLS                                                                                    \
    "a.id, a.title, a.body, a.keywords, a.category, a.active, a.created_at, a.updated_at, "        \
    "(SELECT count(*) FROM contacts c WHERE c.kb_article_id = a.id "                               \
    "AND c.outcome = 'instant_info'), a.districts, a.phones, a.valid_from, a.valid_until "

static void kb_row(sqlite3_stmt *s, void *rec)
{
    struct kb_article *a = rec;
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(s, 0);
    a->title = db_col_dup(s, 1);
    a->body = db_col_dup(s, 2);
    a->keywords = db_col_dup(s, 3);
    db_col_copy(s, 4, a->category, sizeof(a->category));
    a->active = sqlite3_column_int(s, 5) != 0;
    a->created_at = sqlite3_column_int64(s, 6);
    a->updated_at = sqlite3_column_int64(s, 7);
    a->uses = sqlite3_column_int64(s, 8);
    kb_districts_decode(a, (const char *)sqlite3_column_text(s, 9));
    kb_phones_decode(a, (const char *)sqlite3_column_text(s, 10));
    a->valid_from = sqlite3_column_int64(s, 11); /* NULL reads as 0: open-ended */
    a->valid_until = sqlite3_column_int64(s, 12);
}

static void kb_free(void *rec)
{
    kb_article_release(rec);
}

static void bind_time_or_null(sqlite3_stmt *s, int i, int64_t t)
{
    if (t)
        sqlite3_bind_int64(s, i, t);
    else
        sqlite3_bind_null(s, i);
}

int sqlite_kb_save(struct store *st, struct kb_article *a)
{
    static const char sql_ins[] =
        "INSERT INTO kb_articles(title, body, keywords, category, active, updated_at, districts, "
        "phones, valid_from, valid_until, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    static const char sql_upd[] =
        "UPDATE kb_articles SET title = ?1, body = ?2, keywords = ?3, category = ?4, active = ?5, "
        "updated_at = ?6, districts = ?7, phones = ?8, valid_from = ?9, valid_until = ?10 "
        "WHERE id = ?11";
    sqlite3_stmt *s = db_stmt(st, a->id ? sql_upd : sql_ins);
    if (!s)
        return ERR_STORE;
    char *districts = kb_districts_encode(a), *phones = kb_phones_encode(a);
    db_bind_text(s, 1, a->title);
    db_bind_text(s, 2, a->body);
    db_bind_text(s, 3, a->keywords);
    sqlite3_bind_text(s, 4, a->category, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, a->active);
    sqlite3_bind_int64(s, 6, a->updated_at);
    sqlite3_bind_text(s, 7, districts, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, phones, -1, SQLITE_STATIC);
    bind_time_or_null(s, 9, a->valid_from);
    bind_time_or_null(s, 10, a->valid_until);
    sqlite3_bind_int64(s, 11, a->id ? a->id : a->created_at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && !a->id)
        a->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    else if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    free(districts);
    free(phones);
    return rc;
}

int sqlite_kb_get(struct store *st, int64_t id, struct kb_article *out)
{
    static const char sql[] = "SELECT " KB_COLS "FROM kb_articles a WHERE a.id = ?1";
    return db_get_one(st, sql, id, NULL, kb_row, out);
}

/* The SQL condition of a state filter (:now is the moment). */
static const char *kb_state_sql(enum kb_state state)
{
    switch (state) {
    case KB_CURRENT:
        return " AND a.active = 1 AND (a.valid_from IS NULL OR a.valid_from <= :now)"
               " AND (a.valid_until IS NULL OR a.valid_until > :now)";
    case KB_UPCOMING:
        return " AND a.active = 1 AND a.valid_from > :now"
               " AND (a.valid_until IS NULL OR a.valid_until > :now)";
    case KB_EXPIRED: return " AND a.active = 1 AND a.valid_until <= :now";
    case KB_ARCHIVED: return " AND a.active = 0";
    default: return "";
    }
}

int sqlite_kb_list(struct store *st, const struct kb_query *kq, struct kb_article **out, size_t *n)
{
    char *fq = NULL; /* the FTS5 query; NULL = no words, list them all */
    char dist[32];
    struct strbuf sql;
    sqlite3_stmt *s = NULL;
    int rc = ERR_OK, limit = kq->limit < 1 ? 1 : kq->limit > 200 ? 200 : kq->limit;
    bool cat = kq->category && *kq->category;
    strbuf_init(&sql, 0);
    if (kq->q && *kq->q && fts_turkish_query_prefix(kq->q, &fq) != SQLITE_OK) {
        rc = ERR_INVALID;
        goto out;
    }
    strbuf_adds(&sql, "SELECT " KB_COLS "FROM kb_articles a");
    if (fq)
        strbuf_adds(&sql, " JOIN kb_fts f ON f.rowid = a.id WHERE kb_fts MATCH :fq");
    else
        strbuf_adds(&sql, " WHERE 1=1");
    strbuf_adds(&sql, kb_state_sql(kq->state));
    if (cat)
        strbuf_adds(&sql, " AND a.category = :cat");
    strbuf_adds(&sql, " ORDER BY ");
    if (kq->district > 0)
        strbuf_adds(&sql, "CASE WHEN instr(a.districts, :dist) > 0 THEN 0 "
                          "WHEN a.districts = '' THEN 1 ELSE 2 END, ");
    strbuf_addf(&sql, "%s LIMIT %d", fq ? "f.rank, a.id DESC" : "a.id DESC", limit);
    if (sqlite3_prepare_v2(SQ(st)->cur->db, sql.buf, -1, &s, NULL) != SQLITE_OK) {
        rc = db_err(st, SQLITE_ERROR);
        goto out;
    }
    int i;
    if ((i = sqlite3_bind_parameter_index(s, ":fq")) > 0)
        sqlite3_bind_text(s, i, fq, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(s, ":now")) > 0)
        sqlite3_bind_int64(s, i, kq->now);
    if ((i = sqlite3_bind_parameter_index(s, ":cat")) > 0)
        sqlite3_bind_text(s, i, kq->category, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(s, ":dist")) > 0) {
        struct kb_article one = { .districts = (int64_t[]){ kq->district }, .ndistricts = 1 };
        char *enc = kb_districts_encode(&one);
        str_copy(dist, sizeof(dist), enc);
        free(enc);
        sqlite3_bind_text(s, i, dist, -1, SQLITE_STATIC);
    }
    rc = db_collect(st, s, sizeof(struct kb_article), kb_row, NULL, NULL, kb_free, (void **)out, n);
out:
    sqlite3_finalize(s);
    strbuf_release(&sql);
    free(fq);
    return rc;
}
