/* SQLite backend: outgoing messages, message templates, survey tokens, satisfaction ratings
 * and the citizen's consent (issue 15; store.h documents each function). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/db.h"
#include "util/banned.h"

#define OUTBOX_COLS                                                                                \
    "id, idem_key, channel, recipient, subject, body, purpose, lang, transactional, app_id, "      \
    "citizen_id, state, attempts, next_at, claimed_until, created_at, sent_at, last_error, "       \
    "segments, provider_ref "

static void outbox_row(sqlite3_stmt *s, void *rec)
{
    struct outbox_msg *m = rec;
    memset(m, 0, sizeof(*m));
    m->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, m->idem_key, sizeof(m->idem_key));
    db_col_copy(s, 2, m->channel, sizeof(m->channel));
    db_col_copy(s, 3, m->recipient, sizeof(m->recipient));
    m->subject = db_col_dup(s, 4);
    m->body = db_col_dup(s, 5);
    db_col_copy(s, 6, m->purpose, sizeof(m->purpose));
    db_col_copy(s, 7, m->lang, sizeof(m->lang));
    m->transactional = sqlite3_column_int(s, 8) != 0;
    m->app_id = sqlite3_column_int64(s, 9);
    m->citizen_id = sqlite3_column_int64(s, 10);
    db_col_copy(s, 11, m->state, sizeof(m->state));
    m->attempts = sqlite3_column_int(s, 12);
    m->next_at = sqlite3_column_int64(s, 13);
    m->claimed_until = sqlite3_column_int64(s, 14);
    m->created_at = sqlite3_column_int64(s, 15);
    m->sent_at = sqlite3_column_int64(s, 16);
    db_col_copy(s, 17, m->last_error, sizeof(m->last_error));
    m->segments = sqlite3_column_int(s, 18);
    db_col_copy(s, 19, m->provider_ref, sizeof(m->provider_ref));
}

static void outbox_free(void *rec)
{
    outbox_msg_release(rec);
}

int sqlite_outbox_add(struct store *st, struct outbox_msg *m)
{
    static const char sql[] =
        "INSERT INTO outbox(idem_key, channel, recipient, subject, body, purpose, lang, "
        "transactional, app_id, citizen_id, state, attempts, next_at, created_at, segments) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, m->idem_key);
    db_bind_text(s, 2, m->channel);
    db_bind_text(s, 3, m->recipient);
    sqlite3_bind_text(s, 4, m->subject ? m->subject : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, m->body ? m->body : "", -1, SQLITE_STATIC);
    db_bind_text(s, 6, m->purpose);
    db_bind_text(s, 7, m->lang[0] ? m->lang : "tr");
    sqlite3_bind_int(s, 8, m->transactional);
    db_bind_id(s, 9, m->app_id);
    db_bind_id(s, 10, m->citizen_id);
    db_bind_text(s, 11, m->state[0] ? m->state : MSG_PENDING);
    sqlite3_bind_int(s, 12, m->attempts);
    sqlite3_bind_int64(s, 13, m->next_at);
    sqlite3_bind_int64(s, 14, m->created_at);
    sqlite3_bind_int(s, 15, m->segments);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        m->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

/* Inside a transaction every statement runs on the one writer connection, so the select and
 * the update of one claim are not interleaved with another sender's (another process waits
 * for SQLite's write lock). */
int sqlite_outbox_claim(struct store *st, int64_t now, int64_t lease_s, int limit,
                        struct outbox_msg **out, size_t *n)
{
    static const char sql[] =
        "UPDATE outbox SET state = 'sending', claimed_until = ?1 + ?2 WHERE id IN ("
        "SELECT id FROM outbox WHERE (state = 'pending' AND next_at <= ?1) "
        "OR (state = 'sending' AND claimed_until <= ?1) ORDER BY next_at, id LIMIT ?3) "
        "RETURNING " OUTBOX_COLS;
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s) {
        sqlite3_bind_int64(s, 1, now);
        sqlite3_bind_int64(s, 2, lease_s);
        sqlite3_bind_int(s, 3, limit < 1 ? 1 : limit > 500 ? 500 : limit);
    }
    return db_collect(st, s, sizeof(struct outbox_msg), outbox_row, NULL, NULL, outbox_free,
                      (void **)out, n);
}

int sqlite_outbox_finish(struct store *st, int64_t id, const char *state, int attempts,
                         int64_t next_at, int64_t sent_at, const char *error)
{
    static const char sql[] =
        "UPDATE outbox SET state = ?2, attempts = ?3, next_at = ?4, sent_at = ?5, "
        "last_error = ?6, claimed_until = 0 WHERE id = ?1";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    db_bind_text(s, 2, state);
    sqlite3_bind_int(s, 3, attempts);
    sqlite3_bind_int64(s, 4, next_at);
    db_bind_id(s, 5, sent_at);
    sqlite3_bind_text(s, 6, error ? error : "", -1, SQLITE_STATIC);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int sqlite_outbox_get(struct store *st, int64_t id, struct outbox_msg *out)
{
    static const char sql[] = "SELECT " OUTBOX_COLS "FROM outbox WHERE id = ?1";
    return db_get_one(st, sql, id, NULL, outbox_row, out);
}

int sqlite_outbox_list(struct store *st, const char *state, int64_t app_id, int64_t after,
                       int limit, struct outbox_msg **out, size_t *n)
{
    static const char sql[] = "SELECT " OUTBOX_COLS "FROM outbox WHERE (?1 = '' OR state = ?1) "
                              "AND (?2 = 0 OR app_id = ?2) AND (?3 = 0 OR id < ?3) "
                              "ORDER BY id DESC LIMIT ?4";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (s) {
        sqlite3_bind_text(s, 1, state ? state : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, app_id);
        sqlite3_bind_int64(s, 3, after);
        sqlite3_bind_int(s, 4, limit < 1 ? 1 : limit > 500 ? 500 : limit);
    }
    return db_collect(st, s, sizeof(struct outbox_msg), outbox_row, NULL, NULL, outbox_free,
                      (void **)out, n);
}

int sqlite_outbox_counts(struct store *st, int (*fn)(void *ctx, const char *state, int64_t n),
                         void *ctx)
{
    sqlite3_stmt *s = db_stmt(st, "SELECT state, count(*) FROM outbox GROUP BY state ORDER BY 1");
    if (!s)
        return ERR_STORE;
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW)
        stop = fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1));
    sqlite3_reset(s);
    return stop || rc == SQLITE_DONE ? ERR_OK : db_err(st, rc);
}

int sqlite_outbox_resend(struct store *st, int64_t id, int64_t now)
{
    struct outbox_msg m;
    int rc = sqlite_outbox_get(st, id, &m);
    if (rc != ERR_OK)
        return rc;
    bool dead = strcmp(m.state, MSG_DEAD) == 0;
    outbox_msg_release(&m);
    if (!dead)
        return ERR_CONFLICT;
    return sqlite_outbox_finish(st, id, MSG_PENDING, 0, now, 0, "");
}

static void template_row(sqlite3_stmt *s, void *rec)
{
    struct msg_template *t = rec;
    memset(t, 0, sizeof(*t));
    db_col_copy(s, 0, t->purpose, sizeof(t->purpose));
    db_col_copy(s, 1, t->channel, sizeof(t->channel));
    db_col_copy(s, 2, t->lang, sizeof(t->lang));
    t->subject = db_col_dup(s, 3);
    t->body = db_col_dup(s, 4);
    t->updated_at = sqlite3_column_int64(s, 5);
}

static void template_free(void *rec)
{
    msg_template_release(rec);
}

#define TEMPLATE_COLS "purpose, channel, lang, subject, body, updated_at FROM message_templates "

int sqlite_template_get(struct store *st, const char *purpose, const char *channel,
                        const char *lang, struct msg_template *out)
{
    static const char sql[] =
        "SELECT " TEMPLATE_COLS "WHERE purpose = ?1 AND channel = ?2 AND lang = ?3";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, purpose);
    db_bind_text(s, 2, channel);
    db_bind_text(s, 3, lang);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK)
        template_row(s, out);
    sqlite3_reset(s);
    return rc;
}

int sqlite_template_set(struct store *st, const struct msg_template *t)
{
    static const char sql[] =
        "INSERT INTO message_templates(purpose, channel, lang, subject, body, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(purpose, channel, lang) DO UPDATE SET "
        "subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, t->purpose);
    db_bind_text(s, 2, t->channel);
    db_bind_text(s, 3, t->lang);
    sqlite3_bind_text(s, 4, t->subject ? t->subject : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, t->body ? t->body : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, t->updated_at);
    return db_exec_stmt(st, s);
}

int sqlite_template_list(struct store *st, struct msg_template **out, size_t *n)
{
    static const char sql[] = "SELECT " TEMPLATE_COLS "ORDER BY purpose, channel, lang";
    return db_collect(st, db_stmt(st, sql), sizeof(struct msg_template), template_row, NULL, NULL,
                      template_free, (void **)out, n);
}

int sqlite_survey_token_add(struct store *st, const char *nonce, int64_t app_id, int64_t created_at,
                            int64_t expires_at)
{
    static const char sql[] = "INSERT INTO survey_tokens(nonce, app_id, created_at, expires_at) "
                              "VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, nonce);
    sqlite3_bind_int64(s, 2, app_id);
    sqlite3_bind_int64(s, 3, created_at);
    sqlite3_bind_int64(s, 4, expires_at);
    return db_exec_stmt(st, s);
}

int sqlite_survey_token_use(struct store *st, const char *nonce, int64_t now, int64_t *app_id,
                            int64_t *expires_at)
{
    static const char sel[] =
        "SELECT app_id, expires_at, used_at IS NOT NULL FROM survey_tokens WHERE nonce = ?1";
    static const char upd[] = "UPDATE survey_tokens SET used_at = ?2 WHERE nonce = ?1";
    sqlite3_stmt *s = db_stmt(st, sel);
    if (!s)
        return ERR_STORE;
    db_bind_text(s, 1, nonce);
    int rc = db_step_row(st, s);
    if (rc != ERR_OK)
        return rc;
    *app_id = sqlite3_column_int64(s, 0);
    *expires_at = sqlite3_column_int64(s, 1);
    bool used = sqlite3_column_int(s, 2) != 0;
    sqlite3_reset(s);
    if (used)
        return ERR_CONFLICT;
    if (!(s = db_stmt(st, upd)))
        return ERR_STORE;
    db_bind_text(s, 1, nonce);
    sqlite3_bind_int64(s, 2, now);
    return db_exec_stmt(st, s);
}

int sqlite_satisfaction_add(struct store *st, struct satisfaction *r)
{
    static const char sql[] =
        "INSERT INTO satisfaction(app_id, contact_id, call_ref, rating, comment, source, "
        "department_id, category_id, channel, agent_id, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    db_bind_id(s, 1, r->app_id);
    db_bind_id(s, 2, r->contact_id);
    db_bind_text(s, 3, r->call_ref);
    sqlite3_bind_int(s, 4, r->rating);
    sqlite3_bind_text(s, 5, r->comment ? r->comment : "", -1, SQLITE_STATIC);
    db_bind_text(s, 6, r->source);
    db_bind_id(s, 7, r->department_id);
    db_bind_id(s, 8, r->category_id);
    db_bind_text(s, 9, r->channel);
    db_bind_id(s, 10, r->agent_id);
    sqlite3_bind_int64(s, 11, r->at);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK)
        r->id = sqlite3_last_insert_rowid(SQ(st)->cur->db);
    return rc;
}

int sqlite_satisfaction_each(struct store *st, int64_t from, int64_t to,
                             int (*fn)(void *ctx, const struct satisfaction *s), void *ctx)
{
    static const char sql[] =
        "SELECT id, app_id, contact_id, call_ref, rating, comment, source, department_id, "
        "category_id, channel, agent_id, at FROM satisfaction "
        "WHERE (?1 = 0 OR at >= ?1) AND (?2 = 0 OR at < ?2) ORDER BY at, id";
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct satisfaction r = { 0 };
        r.id = sqlite3_column_int64(s, 0);
        r.app_id = sqlite3_column_int64(s, 1);
        r.contact_id = sqlite3_column_int64(s, 2);
        db_col_copy(s, 3, r.call_ref, sizeof(r.call_ref));
        r.rating = sqlite3_column_int(s, 4);
        r.comment = (char *)sqlite3_column_text(s, 5);
        db_col_copy(s, 6, r.source, sizeof(r.source));
        r.department_id = sqlite3_column_int64(s, 7);
        r.category_id = sqlite3_column_int64(s, 8);
        db_col_copy(s, 9, r.channel, sizeof(r.channel));
        r.agent_id = sqlite3_column_int64(s, 10);
        r.at = sqlite3_column_int64(s, 11);
        stop = fn(ctx, &r);
    }
    sqlite3_reset(s);
    return stop || rc == SQLITE_DONE ? ERR_OK : db_err(st, rc);
}

int sqlite_citizen_consent_get(struct store *st, int64_t citizen_id, bool *marketing)
{
    sqlite3_stmt *s = db_stmt(st, "SELECT consent_marketing FROM citizens WHERE id = ?1");
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, citizen_id);
    int rc = db_step_row(st, s);
    if (rc == ERR_OK)
        *marketing = sqlite3_column_int(s, 0) != 0;
    sqlite3_reset(s);
    return rc;
}

int sqlite_citizen_consent_set(struct store *st, int64_t citizen_id, bool marketing)
{
    sqlite3_stmt *s = db_stmt(st, "UPDATE citizens SET consent_marketing = ?2 WHERE id = ?1");
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, citizen_id);
    sqlite3_bind_int(s, 2, marketing);
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

/* one text column of one row: ERR_NOT_FOUND when no row has the id */
static int set_text(struct store *st, const char *sql, int64_t id, const char *v)
{
    sqlite3_stmt *s = db_stmt(st, sql);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    db_bind_text(s, 2, v ? v : "");
    int rc = db_exec_stmt(st, s);
    if (rc == ERR_OK && sqlite3_changes(SQ(st)->cur->db) == 0)
        rc = ERR_NOT_FOUND;
    return rc;
}

int sqlite_citizen_lang_set(struct store *st, int64_t citizen_id, const char *lang)
{
    return set_text(st, "UPDATE citizens SET lang = ?2 WHERE id = ?1", citizen_id, lang);
}

int sqlite_outbox_ref_set(struct store *st, int64_t id, const char *ref)
{
    return set_text(st, "UPDATE outbox SET provider_ref = ?2 WHERE id = ?1", id, ref);
}
