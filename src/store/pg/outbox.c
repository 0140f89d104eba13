/* PostgreSQL backend: outgoing messages, message templates, survey tokens, satisfaction
 * ratings and the citizen's consent (issue 15; store.h documents each function). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/db.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define OUTBOX_COLS                                                                                \
    "id, idem_key, channel, recipient, subject, body, purpose, lang, transactional, app_id, "      \
    "citizen_id, state, attempts, next_at, claimed_until, created_at, sent_at, last_error, "       \
    "segments, provider_ref "

static void outbox_row(const PGresult *res, int r, struct outbox_msg *m)
{
    memset(m, 0, sizeof(*m));
    m->id = pg_int(res, r, 0);
    pg_copy(res, r, 1, m->idem_key, sizeof(m->idem_key));
    pg_copy(res, r, 2, m->channel, sizeof(m->channel));
    pg_copy(res, r, 3, m->recipient, sizeof(m->recipient));
    m->subject = pg_dup(res, r, 4);
    m->body = pg_dup(res, r, 5);
    pg_copy(res, r, 6, m->purpose, sizeof(m->purpose));
    pg_copy(res, r, 7, m->lang, sizeof(m->lang));
    m->transactional = pg_int(res, r, 8) != 0;
    m->app_id = pg_int(res, r, 9);
    m->citizen_id = pg_int(res, r, 10);
    pg_copy(res, r, 11, m->state, sizeof(m->state));
    m->attempts = (int)pg_int(res, r, 12);
    m->next_at = pg_int(res, r, 13);
    m->claimed_until = pg_int(res, r, 14);
    m->created_at = pg_int(res, r, 15);
    m->sent_at = pg_int(res, r, 16);
    pg_copy(res, r, 17, m->last_error, sizeof(m->last_error));
    m->segments = (int)pg_int(res, r, 18);
    pg_copy(res, r, 19, m->provider_ref, sizeof(m->provider_ref));
}

static int outbox_rows(PGresult *res, struct outbox_msg **out, size_t *n)
{
    size_t len = (size_t)PQntuples(res);
    struct outbox_msg *v = xcalloc(len ? len : 1, sizeof(*v));
    for (size_t i = 0; i < len; i++)
        outbox_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_outbox_add(struct store *st, struct outbox_msg *m)
{
    static const char sql[] =
        "INSERT INTO outbox(idem_key, channel, recipient, subject, body, purpose, lang, "
        "transactional, app_id, citizen_id, state, attempts, next_at, created_at, segments) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_text(&a, m->idem_key);
    pa_text(&a, m->channel);
    pa_text(&a, m->recipient);
    pa_text(&a, m->subject ? m->subject : "");
    pa_text(&a, m->body ? m->body : "");
    pa_text(&a, m->purpose);
    pa_text(&a, m->lang[0] ? m->lang : "tr");
    pa_int(&a, m->transactional);
    pa_id(&a, m->app_id);
    pa_id(&a, m->citizen_id);
    pa_text(&a, m->state[0] ? m->state : MSG_PENDING);
    pa_int(&a, m->attempts);
    pa_int(&a, m->next_at);
    pa_int(&a, m->created_at);
    pa_int(&a, m->segments);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        m->id = pg_int(res, 0, 0);
    PQclear(res);
    return rc;
}

/* Rows another sender has locked are skipped, not waited for: two serve processes claim
 * disjoint sets. */
int pg_outbox_claim(struct store *st, int64_t now, int64_t lease_s, int limit,
                    struct outbox_msg **out, size_t *n)
{
    static const char sql[] =
        "UPDATE outbox SET state = 'sending', claimed_until = $1::bigint + $2::bigint "
        "WHERE id IN (SELECT id FROM outbox WHERE (state = 'pending' AND next_at <= $1) "
        "OR (state = 'sending' AND claimed_until <= $1) ORDER BY next_at, id LIMIT $3 "
        "FOR UPDATE SKIP LOCKED) RETURNING " OUTBOX_COLS;
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, now);
    pa_int(&a, lease_s);
    pa_int(&a, limit < 1 ? 1 : limit > 500 ? 500 : limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    return outbox_rows(res, out, n);
}

int pg_outbox_finish(struct store *st, int64_t id, const char *state, int attempts, int64_t next_at,
                     int64_t sent_at, const char *error)
{
    static const char sql[] =
        "UPDATE outbox SET state = $2, attempts = $3, next_at = $4, sent_at = $5, "
        "last_error = $6, claimed_until = 0 WHERE id = $1";
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, id);
    pa_text(&a, state);
    pa_int(&a, attempts);
    pa_int(&a, next_at);
    pa_id(&a, sent_at);
    pa_text(&a, error ? error : "");
    int rc = pg_exec(st, sql, &a, &changed);
    return rc == ERR_OK && changed == 0 ? ERR_NOT_FOUND : rc;
}

int pg_outbox_get(struct store *st, int64_t id, struct outbox_msg *out)
{
    static const char sql[] = "SELECT " OUTBOX_COLS "FROM outbox WHERE id = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        outbox_row(res, 0, out);
    PQclear(res);
    return rc;
}

int pg_outbox_list(struct store *st, const char *state, int64_t app_id, int64_t after, int limit,
                   struct outbox_msg **out, size_t *n)
{
    static const char sql[] = "SELECT " OUTBOX_COLS "FROM outbox WHERE ($1 = '' OR state = $1) "
                              "AND ($2 = 0 OR app_id = $2) AND ($3 = 0 OR id < $3) "
                              "ORDER BY id DESC LIMIT $4";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_text(&a, state ? state : "");
    pa_int(&a, app_id);
    pa_int(&a, after);
    pa_int(&a, limit < 1 ? 1 : limit > 500 ? 500 : limit);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    return outbox_rows(res, out, n);
}

int pg_outbox_counts(struct store *st, int (*fn)(void *ctx, const char *state, int64_t n),
                     void *ctx)
{
    struct pg_args a = { .n = 0 };
    int rc;
    PGresult *res =
        pg_run(st, "SELECT state, count(*) FROM outbox GROUP BY state ORDER BY 1", &a, &rc);
    if (!res)
        return rc;
    for (int i = 0; i < PQntuples(res); i++)
        if (fn(ctx, pg_str(res, i, 0), pg_int(res, i, 1)))
            break;
    PQclear(res);
    return ERR_OK;
}

int pg_outbox_resend(struct store *st, int64_t id, int64_t now)
{
    static const char sql[] = "SELECT state FROM outbox WHERE id = $1 FOR UPDATE";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&a, id);
    int rc = pg_one(st, sql, &a, &res);
    if (rc != ERR_OK)
        return rc;
    bool dead = strcmp(pg_str(res, 0, 0), MSG_DEAD) == 0;
    PQclear(res);
    if (!dead)
        return ERR_CONFLICT;
    return pg_outbox_finish(st, id, MSG_PENDING, 0, now, 0, "");
}

#define TEMPLATE_COLS "purpose, channel, lang, subject, body, updated_at FROM message_templates "

static void template_row(const PGresult *res, int r, struct msg_template *t)
{
    memset(t, 0, sizeof(*t));
    pg_copy(res, r, 0, t->purpose, sizeof(t->purpose));
    pg_copy(res, r, 1, t->channel, sizeof(t->channel));
    pg_copy(res, r, 2, t->lang, sizeof(t->lang));
    t->subject = pg_dup(res, r, 3);
    t->body = pg_dup(res, r, 4);
    t->updated_at = pg_int(res, r, 5);
}

int pg_template_get(struct store *st, const char *purpose, const char *channel, const char *lang,
                    struct msg_template *out)
{
    static const char sql[] =
        "SELECT " TEMPLATE_COLS "WHERE purpose = $1 AND channel = $2 AND lang = $3";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_text(&a, purpose);
    pa_text(&a, channel);
    pa_text(&a, lang);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        template_row(res, 0, out);
    PQclear(res);
    return rc;
}

int pg_template_set(struct store *st, const struct msg_template *t)
{
    static const char sql[] =
        "INSERT INTO message_templates(purpose, channel, lang, subject, body, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (purpose, channel, lang) DO UPDATE SET "
        "subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at";
    struct pg_args a = { .n = 0 };
    pa_text(&a, t->purpose);
    pa_text(&a, t->channel);
    pa_text(&a, t->lang);
    pa_text(&a, t->subject ? t->subject : "");
    pa_text(&a, t->body ? t->body : "");
    pa_int(&a, t->updated_at);
    return pg_exec(st, sql, &a, NULL);
}

int pg_template_list(struct store *st, struct msg_template **out, size_t *n)
{
    static const char sql[] = "SELECT " TEMPLATE_COLS "ORDER BY purpose, channel, lang";
    struct pg_args a = { .n = 0 };
    int rc;
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    size_t len = (size_t)PQntuples(res);
    struct msg_template *v = xcalloc(len ? len : 1, sizeof(*v));
    for (size_t i = 0; i < len; i++)
        template_row(res, (int)i, &v[i]);
    PQclear(res);
    *out = v;
    *n = len;
    return ERR_OK;
}

int pg_survey_token_add(struct store *st, const char *nonce, int64_t app_id, int64_t created_at,
                        int64_t expires_at)
{
    static const char sql[] = "INSERT INTO survey_tokens(nonce, app_id, created_at, expires_at) "
                              "VALUES ($1, $2, $3, $4)";
    struct pg_args a = { .n = 0 };
    pa_text(&a, nonce);
    pa_int(&a, app_id);
    pa_int(&a, created_at);
    pa_int(&a, expires_at);
    return pg_exec(st, sql, &a, NULL);
}

int pg_survey_token_use(struct store *st, const char *nonce, int64_t now, int64_t *app_id,
                        int64_t *expires_at)
{
    static const char sel[] = "SELECT app_id, expires_at, used_at IS NOT NULL FROM survey_tokens "
                              "WHERE nonce = $1 FOR UPDATE";
    static const char upd[] = "UPDATE survey_tokens SET used_at = $2 WHERE nonce = $1";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_text(&a, nonce);
    int rc = pg_one(st, sel, &a, &res);
    if (rc != ERR_OK)
        return rc;
    *app_id = pg_int(res, 0, 0);
    *expires_at = pg_int(res, 0, 1);
    bool used = strcmp(pg_str(res, 0, 2), "t") == 0;
    PQclear(res);
    if (used)
        return ERR_CONFLICT;
    struct pg_args b = { .n = 0 };
    pa_text(&b, nonce);
    pa_int(&b, now);
    return pg_exec(st, upd, &b, NULL);
}

int pg_satisfaction_add(struct store *st, struct satisfaction *r)
{
    static const char sql[] =
        "INSERT INTO satisfaction(app_id, contact_id, call_ref, rating, comment, source, "
        "department_id, category_id, channel, agent_id, at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_id(&a, r->app_id);
    pa_id(&a, r->contact_id);
    pa_text(&a, r->call_ref);
    pa_int(&a, r->rating);
    pa_text(&a, r->comment ? r->comment : "");
    pa_text(&a, r->source);
    pa_id(&a, r->department_id);
    pa_id(&a, r->category_id);
    pa_text(&a, r->channel);
    pa_id(&a, r->agent_id);
    pa_int(&a, r->at);
    int rc = pg_one(st, sql, &a, &res);
    if (rc == ERR_OK)
        r->id = pg_int(res, 0, 0);
    PQclear(res);
    return rc;
}

int pg_satisfaction_each(struct store *st, int64_t from, int64_t to,
                         int (*fn)(void *ctx, const struct satisfaction *s), void *ctx)
{
    static const char sql[] =
        "SELECT id, app_id, contact_id, call_ref, rating, comment, source, department_id, "
        "category_id, channel, agent_id, at FROM satisfaction "
        "WHERE ($1 = 0 OR at >= $1) AND ($2 = 0 OR at < $2) ORDER BY at, id";
    struct pg_args a = { .n = 0 };
    int rc;
    pa_int(&a, from);
    pa_int(&a, to);
    PGresult *res = pg_run(st, sql, &a, &rc);
    if (!res)
        return rc;
    for (int i = 0; i < PQntuples(res); i++) {
        struct satisfaction r = { 0 };
        r.id = pg_int(res, i, 0);
        r.app_id = pg_int(res, i, 1);
        r.contact_id = pg_int(res, i, 2);
        pg_copy(res, i, 3, r.call_ref, sizeof(r.call_ref));
        r.rating = (int)pg_int(res, i, 4);
        r.comment = (char *)pg_str(res, i, 5);
        pg_copy(res, i, 6, r.source, sizeof(r.source));
        r.department_id = pg_int(res, i, 7);
        r.category_id = pg_int(res, i, 8);
        pg_copy(res, i, 9, r.channel, sizeof(r.channel));
        r.agent_id = pg_int(res, i, 10);
        r.at = pg_int(res, i, 11);
        if (fn(ctx, &r))
            break;
    }
    PQclear(res);
    return ERR_OK;
}

int pg_citizen_consent_get(struct store *st, int64_t citizen_id, bool *marketing)
{
    struct pg_args a = { .n = 0 };
    PGresult *res = NULL;
    pa_int(&a, citizen_id);
    int rc = pg_one(st, "SELECT consent_marketing FROM citizens WHERE id = $1", &a, &res);
    if (rc == ERR_OK)
        *marketing = pg_int(res, 0, 0) != 0;
    PQclear(res);
    return rc;
}

int pg_citizen_consent_set(struct store *st, int64_t citizen_id, bool marketing)
{
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, citizen_id);
    pa_int(&a, marketing);
    int rc = pg_exec(st, "UPDATE citizens SET consent_marketing = $2 WHERE id = $1", &a, &changed);
    return rc == ERR_OK && changed == 0 ? ERR_NOT_FOUND : rc;
}

/* one text column of one row: ERR_NOT_FOUND when no row has the id */
static int set_text(struct store *st, const char *sql, int64_t id, const char *v)
{
    struct pg_args a = { .n = 0 };
    int64_t changed = 0;
    pa_int(&a, id);
    pa_text(&a, v ? v : "");
    int rc = pg_exec(st, sql, &a, &changed);
    return rc == ERR_OK && changed == 0 ? ERR_NOT_FOUND : rc;
}

int pg_citizen_lang_set(struct store *st, int64_t citizen_id, const char *lang)
{
    return set_text(st, "UPDATE citizens SET lang = $2 WHERE id = $1", citizen_id, lang);
}

int pg_outbox_ref_set(struct store *st, int64_t id, const char *ref)
{
    return set_text(st, "UPDATE outbox SET provider_ref = $2 WHERE id = $1", id, ref);
}
