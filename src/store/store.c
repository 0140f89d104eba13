/* Dispatch: store.h's functions call the backend chosen when the connection was opened,
 * and the per-thread connection pool of a multi-threaded server. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static const struct store_ops *const backends[] = {
    &store_sqlite_ops,
    &store_pg_ops,
};

static const struct store_ops *backend_for(const char *db)
{
    for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
        if (backends[i]->accepts(db))
            return backends[i];
    return NULL;
}

bool store_is_url(const char *db)
{
    return db && strstr(db, "://") != NULL;
}

static int open_with(const char *db, bool migrate, struct store **out, struct err_detail *ed)
{
    *out = NULL;
    if (!db || !*db)
        return err_set(ed, ERR_INVALID, "db", "no database given");
    const struct store_ops *ops = backend_for(db);
    if (!ops)
        return err_set(ed, ERR_UNSUPPORTED, "db", "no backend in this build for the database %.*s",
                       40, db);
    int rc = ops->open(db, migrate, out, ed);
    if (rc == ERR_OK)
        (*out)->ops = ops;
    return rc;
}

int store_open(const char *db, struct store **out, struct err_detail *ed)
{
    return open_with(db, true, out, ed);
}

int store_open_existing(const char *db, struct store **out, struct err_detail *ed)
{
    return open_with(db, false, out, ed);
}

void store_close(struct store *st)
{
    if (st) {
        store_rollup_free(st);
        st->ops->close(st);
    }
}

const char *store_backend_name(const struct store *st)
{
    return st->ops->name;
}

/* ---- the per-thread pool ---- */

struct store_pool {
    char *db;
    pthread_key_t key;    /* this thread's connection */
    pthread_mutex_t lock; /* guards conns */
    struct store **conns; /* every connection handed out, closed by _free() */
    int n, max;
};

int store_pool_new(const char *db, int max, struct store_pool **out)
{
    struct store_pool *p = xcalloc(1, sizeof(*p));
    *out = NULL;
    if (pthread_key_create(&p->key, NULL) != 0) {
        free(p);
        return ERR_STORE;
    }
    p->db = xstrdup(db);
    p->max = max > 0 ? max : 1;
    p->conns = xcalloc((size_t)p->max, sizeof(*p->conns));
    pthread_mutex_init(&p->lock, NULL);
    *out = p;
    return ERR_OK;
}

int store_pool_get(struct store_pool *p, struct store **out, struct err_detail *ed)
{
    struct store *st = pthread_getspecific(p->key);
    if (st) {
        *out = st;
        return ERR_OK;
    }
    *out = NULL;
    int rc = store_open_existing(p->db, &st, ed);
    if (rc != ERR_OK)
        return rc;
    pthread_mutex_lock(&p->lock);
    if (p->n >= p->max) {
        pthread_mutex_unlock(&p->lock);
        store_close(st);
        return err_set(ed, ERR_STORE, NULL, "more than %d threads want a connection", p->max);
    }
    p->conns[p->n++] = st;
    pthread_mutex_unlock(&p->lock);
    pthread_setspecific(p->key, st);
    *out = st;
    return ERR_OK;
}

void store_pool_free(struct store_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        store_close(p->conns[i]);
    pthread_key_delete(p->key);
    pthread_mutex_destroy(&p->lock);
    free(p->conns);
    free(p->db);
    free(p);
}

/* ---- every other call goes to the connection's backend ---- */

/* A mutation made outside a transaction is its own transaction (store.h), run through
 * store_begin/commit so that a backend's group commit also takes it. */
#define AUTO_TX(st, call)                                                                          \
    do {                                                                                           \
        if ((st)->ops->tx_depth(st) > 0)                                                           \
            return (call);                                                                         \
        int rc_ = store_begin(st);                                                                 \
        if (rc_ != ERR_OK)                                                                         \
            return rc_;                                                                            \
        if ((rc_ = (call)) != ERR_OK) {                                                            \
            store_rollback(st);                                                                    \
            return rc_;                                                                            \
        }                                                                                          \
        return store_commit(st);                                                                   \
    } while (0)

int store_schema_version(struct store *st)
{
    return st->ops->schema_version(st);
}

int store_check(struct store *st, bool full, struct err_detail *ed)
{
    return st->ops->check(st, full, ed);
}

void store_write_stats(struct store *st, struct store_write_stats *out)
{
    memset(out, 0, sizeof(*out));
    st->ops->write_stats(st, out);
}

int store_backup(struct store *st, const char *dest,
                 void (*progress)(void *ctx, int done, int total), void *ctx, struct err_detail *ed)
{
    return st->ops->backup(st, dest, progress, ctx, ed);
}

int store_begin(struct store *st)
{
    if (st->all_open) {
        st->all_nested++;
        return ERR_OK;
    }
    if (st->ops->tx_depth(st) == 0)
        st->retryable = false;
    return st->ops->begin(st);
}

int store_begin_all(struct store *st)
{
    if (st->all_open)
        return store_begin(st);
    int rc = store_begin(st);
    if (rc == ERR_OK) {
        st->all_open = true;
        st->all_failed = false;
        st->all_nested = 0;
    }
    return rc;
}

int store_commit(struct store *st)
{
    if (st->all_open && st->all_nested > 0) {
        st->all_nested--;
        return ERR_OK;
    }
    if (st->all_open) {
        int rc = st->all_failed ? ERR_INTERNAL : store_rollup_flush(st);
        st->all_open = false;
        if (rc != ERR_OK) { /* a part failed and could not be undone alone */
            store_rollup_drop(st);
            st->ops->rollback(st);
            st->kpi_known = false;
            return rc;
        }
    }
    int rc = st->ops->commit(st);
    if (st->ops->tx_depth(st) == 0)
        st->kpi_known = false;
    return rc;
}

bool store_may_retry(struct store *st)
{
    /* inside an enclosing transaction only its owner may run it again */
    return st->retryable && st->ops->tx_depth(st) == 0;
}

void store_rollback(struct store *st)
{
    if (st->all_open && st->all_nested > 0) {
        st->all_nested--;
        st->all_failed = true;
        return;
    }
    st->all_open = false;
    store_rollup_drop(st);
    st->ops->rollback(st);
    st->kpi_known = false; /* the part undone may have written a threshold */
}

int store_setting_get(struct store *st, const char *key, char *out, size_t outlen)
{
    return st->ops->setting_get(st, key, out, outlen);
}

int store_setting_set(struct store *st, const char *key, const char *value)
{
    st->kpi_known = false; /* maybe a KPI threshold */
    AUTO_TX(st, st->ops->setting_set(st, key, value));
}

int store_institution_upsert(struct store *st, const char *code, const char *name, const char *kind,
                             int64_t *id)
{
    AUTO_TX(st, st->ops->institution_upsert(st, code, name, kind, id));
}

int store_institution_id(struct store *st, const char *code, int64_t *id)
{
    return st->ops->institution_id(st, code, id);
}

int store_institution_each(struct store *st,
                           int (*fn)(void *ctx, int64_t id, const char *code, const char *name,
                                     const char *kind),
                           void *ctx)
{
    return st->ops->institution_each(st, fn, ctx);
}

int store_department_upsert(struct store *st, struct department *d, struct err_detail *ed)
{
    AUTO_TX(st, st->ops->department_upsert(st, d, ed));
}

int store_department_get(struct store *st, int64_t id, struct department *out)
{
    return st->ops->department_get(st, id, out);
}

int store_department_by_code(struct store *st, const char *code, struct department *out)
{
    return st->ops->department_by_code(st, code, out);
}

int store_department_list(struct store *st, struct department **out, size_t *n)
{
    return st->ops->department_list(st, out, n);
}

bool store_department_within(struct store *st, int64_t dept_id, int64_t ancestor_id)
{
    return st->ops->department_within(st, dept_id, ancestor_id);
}

int store_category_upsert(struct store *st, struct category *c, struct err_detail *ed)
{
    AUTO_TX(st, st->ops->category_upsert(st, c, ed));
}

int store_category_get(struct store *st, int64_t id, struct category *out)
{
    return st->ops->category_get(st, id, out);
}

int store_category_by_code(struct store *st, const char *code, struct category *out)
{
    return st->ops->category_by_code(st, code, out);
}

int store_category_list(struct store *st, const char *q, struct category **out, size_t *n)
{
    return st->ops->category_list(st, q, out, n);
}

int store_district_upsert(struct store *st, const char *province, const char *name, int64_t *id)
{
    AUTO_TX(st, st->ops->district_upsert(st, province, name, id));
}

int store_neighbourhood_upsert(struct store *st, int64_t district_id, const char *name, int64_t *id)
{
    AUTO_TX(st, st->ops->neighbourhood_upsert(st, district_id, name, id));
}

int store_district_each(struct store *st,
                        int (*fn)(void *ctx, int64_t id, const char *name, const char *province),
                        void *ctx)
{
    return st->ops->district_each(st, fn, ctx);
}

int store_neighbourhood_each(struct store *st, int64_t district_id,
                             int (*fn)(void *ctx, int64_t id, const char *name), void *ctx)
{
    return st->ops->neighbourhood_each(st, district_id, fn, ctx);
}

int store_district_name(struct store *st, int64_t id, char *out, size_t outlen)
{
    return st->ops->district_name(st, id, out, outlen);
}

int store_neighbourhood_name(struct store *st, int64_t id, int64_t *district_id, char *out,
                             size_t outlen)
{
    return st->ops->neighbourhood_name(st, id, district_id, out, outlen);
}

int store_holiday_set(struct store *st, const char *date, const char *name, bool half_day)
{
    AUTO_TX(st, st->ops->holiday_set(st, date, name, half_day));
}

int store_holiday_delete(struct store *st, const char *date)
{
    AUTO_TX(st, st->ops->holiday_delete(st, date));
}

int store_holiday_each(struct store *st,
                       int (*fn)(void *ctx, const char *date, const char *name, bool half_day),
                       void *ctx)
{
    return st->ops->holiday_each(st, fn, ctx);
}

int store_user_create(struct store *st, struct user *u, const char *password_hash,
                      struct err_detail *ed)
{
    AUTO_TX(st, st->ops->user_create(st, u, password_hash, ed));
}

int store_user_get(struct store *st, int64_t id, struct user *out)
{
    return st->ops->user_get(st, id, out);
}

int store_user_by_name(struct store *st, const char *username, struct user *out, char *hash,
                       size_t hashlen)
{
    return st->ops->user_by_name(st, username, out, hash, hashlen);
}

int store_user_set_password(struct store *st, int64_t id, const char *password_hash)
{
    AUTO_TX(st, st->ops->user_set_password(st, id, password_hash));
}

int store_user_set_disabled(struct store *st, int64_t id, bool disabled)
{
    AUTO_TX(st, st->ops->user_set_disabled(st, id, disabled));
}

int store_user_update(struct store *st, const struct user *u)
{
    AUTO_TX(st, st->ops->user_update(st, u));
}

int store_user_list(struct store *st, struct user **out, size_t *n)
{
    return st->ops->user_list(st, out, n);
}

int store_session_create(struct store *st, const char *token_hash, int64_t user_id,
                         int64_t expires_at, int64_t max_until)
{
    AUTO_TX(st, st->ops->session_create(st, token_hash, user_id, expires_at, max_until));
}

int store_session_touch(struct store *st, const char *token_hash, int64_t now, int64_t idle_until)
{
    /* no transaction of its own: one read, and at most one single-row UPDATE */
    return st->ops->session_touch(st, token_hash, now, idle_until);
}

int store_session_user(struct store *st, const char *token_hash, int64_t now, struct user *out,
                       struct session_times *times)
{
    return st->ops->session_user(st, token_hash, now, out, times);
}

bool store_session_slides(const struct session_times *t, int64_t idle_until)
{
    int64_t to = idle_until < t->max_until ? idle_until : t->max_until;
    return t->max_until > 0 && to > t->expires_at + STORE_SESSION_TOUCH_STEP;
}

int store_session_purge(struct store *st, int64_t now)
{
    AUTO_TX(st, st->ops->session_purge(st, now));
}

int store_session_delete(struct store *st, const char *token_hash)
{
    AUTO_TX(st, st->ops->session_delete(st, token_hash));
}

int store_token_create(struct store *st, struct api_token *t, const char *token_hash)
{
    AUTO_TX(st, st->ops->token_create(st, t, token_hash));
}

int store_token_user(struct store *st, const char *token_hash, int64_t now, struct user *out)
{
    return st->ops->token_user(st, token_hash, now, out);
}

int store_token_by_hash(struct store *st, const char *token_hash, struct api_token *out)
{
    return st->ops->token_by_hash(st, token_hash, out);
}

int store_token_get(struct store *st, int64_t id, struct api_token *out)
{
    return st->ops->token_get(st, id, out);
}

int store_token_list(struct store *st, struct api_token **out, size_t *n)
{
    return st->ops->token_list(st, out, n);
}

int store_token_revoke(struct store *st, int64_t id, int64_t at)
{
    AUTO_TX(st, st->ops->token_revoke(st, id, at));
}

int store_token_used(struct store *st, int64_t id, int64_t at)
{
    AUTO_TX(st, st->ops->token_used(st, id, at));
}

int store_grant_set(struct store *st, const struct grant *g)
{
    AUTO_TX(st, st->ops->grant_set(st, g));
}

int store_grant_delete(struct store *st, int64_t user_id, int64_t department_id)
{
    AUTO_TX(st, st->ops->grant_delete(st, user_id, department_id));
}

int store_grant_list(struct store *st, int64_t user_id, struct grant **out, size_t *n)
{
    return st->ops->grant_list(st, user_id, out, n);
}

void audit_entry_release(struct audit_entry *e)
{
    if (!e)
        return;
    free(e->before);
    free(e->after);
    e->before = e->after = NULL;
}

int store_audit_add(struct store *st, const struct audit_entry *e)
{
    AUTO_TX(st, st->ops->audit_add(st, e));
}

int store_audit_list(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                     size_t *n, int64_t *next)
{
    *out = NULL;
    *n = 0;
    *next = 0;
    if (f->limit < 1 || f->limit > 500)
        return ERR_INVALID;
    return st->ops->audit_list(st, f, out, n, next);
}

int store_citizen_create(struct store *st, struct citizen *c)
{
    AUTO_TX(st, st->ops->citizen_create(st, c));
}

int store_citizen_get(struct store *st, int64_t id, struct citizen *out)
{
    return st->ops->citizen_get(st, id, out);
}

int store_citizen_by_phone(struct store *st, const char *phone, struct citizen **out, size_t *n)
{
    return st->ops->citizen_by_phone(st, phone, out, n);
}

int store_citizen_view_log(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                           const char *purpose)
{
    /* a read's view log is most of what reads write: outside a transaction the backend
     * commits it its own cheapest durable way (no turn of its own on SQLite) */
    if (st->ops->tx_depth(st) == 0)
        return st->ops->citizen_view_log_alone(st, citizen_id, user_id, at, purpose);
    AUTO_TX(st, st->ops->citizen_view_log(st, citizen_id, user_id, at, purpose));
}

int store_app_create(struct store *st, struct app *a, struct err_detail *ed)
{
    AUTO_TX(st, st->ops->app_create(st, a, ed));
}

int store_app_update(struct store *st, const struct app *a)
{
    AUTO_TX(st, st->ops->app_update(st, a));
}

int store_app_get(struct store *st, int64_t id, struct app *out)
{
    return st->ops->app_get(st, id, out);
}

int store_app_by_tracking(struct store *st, const char *tracking, struct app *out)
{
    return st->ops->app_by_tracking(st, tracking, out);
}

int store_app_list(struct store *st, const struct app_filter *f, struct app **out, size_t *n,
                   int64_t *next, int64_t *next_due)
{
    return st->ops->app_list(st, f, out, n, next, next_due);
}

int store_app_count(struct store *st, const struct app_filter *f, int64_t *count)
{
    return st->ops->app_count(st, f, count);
}

int store_app_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                          const struct dept_reach *reach,
                          int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    static const struct dept_reach all = { .limited = false };
    return st->ops->app_group_count(st, dim, from, to, reach ? reach : &all, fn, ctx);
}

int store_app_open_candidates(struct store *st, int64_t category_id, int64_t district_id,
                              int64_t since, int limit, struct app **out, size_t *n)
{
    return st->ops->app_open_candidates(st, category_id, district_id, since, limit, out, n);
}

int store_app_training_each(struct store *st,
                            int (*fn)(void *ctx, const char *text, const char *category), void *ctx)
{
    return st->ops->app_training_each(st, fn, ctx);
}

int store_app_suggestion_each(struct store *st, int64_t from, int64_t to,
                              int (*fn)(void *ctx, const char *suggested, const char *final),
                              void *ctx)
{
    return st->ops->app_suggestion_each(st, from, to, fn, ctx);
}

int store_app_set_suggestion(struct store *st, int64_t app_id, const char *category,
                             double probability, bool urgent, const char *urgent_words)
{
    AUTO_TX(st,
            st->ops->app_set_suggestion(st, app_id, category, probability, urgent, urgent_words));
}

int store_correction_add(struct store *st, struct correction *c)
{
    AUTO_TX(st, st->ops->correction_add(st, c));
}

int store_correction_each(struct store *st, int64_t app_id, int limit,
                          int (*fn)(void *ctx, const struct correction *c), void *ctx)
{
    return st->ops->correction_each(st, app_id, limit, fn, ctx);
}

int store_correction_training_each(struct store *st,
                                   int (*fn)(void *ctx, const char *text, const char *category),
                                   void *ctx)
{
    return st->ops->correction_training_each(st, fn, ctx);
}

int store_event_add(struct store *st, struct app_event *e)
{
    AUTO_TX(st, st->ops->event_add(st, e));
}

int store_event_list(struct store *st, int64_t app_id, bool public_only, struct app_event **out,
                     size_t *n)
{
    return st->ops->event_list(st, app_id, public_only, out, n);
}

int store_link_add(struct store *st, int64_t app_id, int64_t other_id, const char *kind)
{
    AUTO_TX(st, st->ops->link_add(st, app_id, other_id, kind));
}

int store_link_each(struct store *st, int64_t app_id,
                    int (*fn)(void *ctx, int64_t other_id, const char *tracking, const char *kind),
                    void *ctx)
{
    return st->ops->link_each(st, app_id, fn, ctx);
}

int store_attachment_add(struct store *st, struct attachment *at, const void *data, size_t len)
{
    AUTO_TX(st, st->ops->attachment_add(st, at, data, len));
}

int store_attachment_list(struct store *st, int64_t app_id, struct attachment **out, size_t *n)
{
    return st->ops->attachment_list(st, app_id, out, n);
}

int store_attachment_get(struct store *st, int64_t app_id, int64_t id, struct attachment *meta,
                         void **data, size_t *len)
{
    return st->ops->attachment_get(st, app_id, id, meta, data, len);
}

int store_idem_claim(struct store *st, int64_t user_id, const char *key, int64_t now,
                     int64_t stale_before, int *state, int *status, char **body)
{
    *state = 0;
    *status = 0;
    *body = NULL;
    return st->ops->idem_claim(st, user_id, key, now, stale_before, state, status, body);
}

int store_idem_finish(struct store *st, int64_t user_id, const char *key, int status,
                      const char *body)
{
    return st->ops->idem_finish(st, user_id, key, status, body);
}

/* ---- the contact centre ---- */

int store_contact_create(struct store *st, struct contact *c)
{
    AUTO_TX(st, rollup_contact_create(st, c));
}

int store_contact_get(struct store *st, int64_t id, struct contact *out)
{
    return st->ops->contact_get(st, id, out);
}

int store_contact_by_call(struct store *st, int64_t call_id, struct contact *out)
{
    return st->ops->contact_by_call(st, call_id, out);
}

int store_contact_close(struct store *st, const struct contact *c)
{
    AUTO_TX(st, rollup_contact_close(st, c));
}

int store_contact_list(struct store *st, const struct contact_filter *f, struct contact **out,
                       size_t *n, int64_t *next)
{
    return st->ops->contact_list(st, f, out, n, next);
}

int store_contact_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                              int (*fn)(void *ctx, const char *key, int64_t n), void *ctx)
{
    return st->ops->contact_group_count(st, dim, from, to, fn, ctx);
}

int store_call_event_add(struct store *st, const struct call_event *e, bool *added)
{
    AUTO_TX(st, st->ops->call_event_add(st, e, added));
}

int store_call_events(struct store *st, const char *ref, struct call_event **out, size_t *n)
{
    return st->ops->call_events(st, ref, out, n);
}

int store_call_get(struct store *st, const char *ref, struct call *out)
{
    return st->ops->call_get(st, ref, out);
}

int store_call_save(struct store *st, struct call *c)
{
    AUTO_TX(st, rollup_call_save(st, c));
}

int store_call_update(struct store *st, const struct call *old, struct call *c)
{
    if (st->ops->tx_depth(st) <= 0 || !c->id || c->id != old->id)
        return ERR_INVALID;
    return rollup_call_update(st, old, c);
}

int store_call_each(struct store *st, int64_t from, int64_t to,
                    int (*fn)(void *ctx, const struct call *c), void *ctx)
{
    return st->ops->call_each(st, from, to, fn, ctx);
}

int store_agent_state_set(struct store *st, const struct agent_state *s)
{
    AUTO_TX(st, st->ops->agent_state_set(st, s));
}

int store_agent_state_get(struct store *st, int64_t user_id, struct agent_state *out)
{
    return st->ops->agent_state_get(st, user_id, out);
}

int store_agent_state_list(struct store *st, struct agent_state **out, size_t *n)
{
    return st->ops->agent_state_list(st, out, n);
}

int store_agent_event_add(struct store *st, struct agent_event *e)
{
    AUTO_TX(st, st->ops->agent_event_add(st, e));
}

int store_agent_event_list(struct store *st, int64_t user_id, int64_t after, int limit,
                           struct agent_event **out, size_t *n)
{
    return st->ops->agent_event_list(st, user_id, after, limit, out, n);
}

int store_kb_save(struct store *st, struct kb_article *a)
{
    AUTO_TX(st, st->ops->kb_save(st, a));
}

int store_kb_get(struct store *st, int64_t id, struct kb_article *out)
{
    return st->ops->kb_get(st, id, out);
}

int store_kb_list(struct store *st, const struct kb_query *q, struct kb_article **out, size_t *n)
{
    return st->ops->kb_list(st, q, out, n);
}

/* ---- application rollups ---- */

int store_rollup_app_add(struct store *st, const struct app_rollup *r, int sign)
{
    AUTO_TX(st, rollup_app_add(st, r, sign));
}

int store_rollup_app_each(struct store *st, enum rollup_table t, enum rollup_grain grain,
                          int64_t from, int64_t to,
                          int (*fn)(void *ctx, const struct app_rollup *row), void *ctx)
{
    int rc = store_rollup_flush(st);
    if (rc != ERR_OK)
        return rc;
    return st->ops->rollup_app_each(st, t, grain, from, to, fn, ctx);
}

int store_rollup_app_clear(struct store *st)
{
    int rc = store_rollup_flush(st);
    if (rc != ERR_OK)
        return rc;
    AUTO_TX(st, st->ops->rollup_app_clear(st));
}

int store_app_report_each(struct store *st,
                          int (*fn)(void *ctx, const struct app *a, unsigned actions), void *ctx)
{
    return st->ops->app_report_each(st, fn, ctx);
}

int store_event_actions(struct store *st, int64_t app_id, unsigned *actions)
{
    return st->ops->event_actions(st, app_id, actions);
}

int store_app_overdue_each(struct store *st, int64_t from, int64_t to, int64_t now,
                           int (*fn)(void *ctx, int64_t department_id, int64_t n), void *ctx)
{
    return st->ops->app_overdue_each(st, from, to, now, fn, ctx);
}

int store_app_text_each(struct store *st, const char *kind, int64_t from, int64_t to, int limit,
                        int (*fn)(void *ctx, int64_t id, int64_t department_id, const char *text),
                        void *ctx)
{
    return st->ops->app_text_each(st, kind, from, to, limit, fn, ctx);
}

int store_app_comeback_each(struct store *st, int64_t from, int64_t to, int limit,
                            int (*fn)(void *ctx, int64_t category_id, int64_t department_id),
                            void *ctx)
{
    return st->ops->app_comeback_each(st, from, to, limit, fn, ctx);
}

int store_cimer_add(struct store *st, const struct cimer_rec *r)
{
    AUTO_TX(st, st->ops->cimer_add(st, r));
}

int store_cimer_get(struct store *st, int64_t app_id, struct cimer_rec *out)
{
    return st->ops->cimer_get(st, app_id, out);
}

int store_cimer_by_no(struct store *st, const char *no, struct cimer_rec *out)
{
    return st->ops->cimer_by_no(st, no, out);
}

int store_cimer_update(struct store *st, const struct cimer_rec *r)
{
    AUTO_TX(st, st->ops->cimer_update(st, r));
}

int store_cimer_list(struct store *st, bool open_only, int limit, struct cimer_rec **out, size_t *n)
{
    return st->ops->cimer_list(st, open_only, limit, out, n);
}

int store_intake_add(struct store *st, const char *channel, const char *message_id, int64_t app_id,
                     int64_t contact_id, bool flagged, int64_t at)
{
    AUTO_TX(st, st->ops->intake_add(st, channel, message_id, app_id, contact_id, flagged, at));
}

int store_intake_get(struct store *st, const char *channel, const char *message_id, int64_t *app_id)
{
    return st->ops->intake_get(st, channel, message_id, app_id);
}

int store_poll_lock(struct store *st, const char *name, bool *mine)
{
    return st->ops->poll_lock(st, name, mine);
}

/* ---- Open311 (issue 16) ---- */

int store_o311_key_add(struct store *st, const char *name, const char *key_hash, int64_t created_at,
                       int64_t *id)
{
    AUTO_TX(st, st->ops->o311_key_add(st, name, key_hash, created_at, id));
}

int store_o311_key_find(struct store *st, const char *key_hash, int64_t *id, char *name,
                        size_t namelen)
{
    return st->ops->o311_key_find(st, key_hash, id, name, namelen);
}

int store_o311_request_add(struct store *st, const struct o311_request *r)
{
    AUTO_TX(st, st->ops->o311_request_add(st, r));
}

int store_o311_request_get(struct store *st, int64_t app_id, const char *token,
                           struct o311_request *out)
{
    return st->ops->o311_request_get(st, app_id, token, out);
}

int store_o311_attr_list(struct store *st, int64_t category_id, struct o311_attr **out, size_t *n)
{
    return st->ops->o311_attr_list(st, category_id, out, n);
}

int store_o311_attr_replace(struct store *st, int64_t category_id, const struct o311_attr *a,
                            size_t n)
{
    AUTO_TX(st, st->ops->o311_attr_replace(st, category_id, a, n));
}

/* ---- the citizen's phone (issue 16) ---- */

int store_public_key_claim(struct store *st, const char *key, int64_t at, int64_t *app_id)
{
    AUTO_TX(st, st->ops->public_key_claim(st, key, at, app_id));
}

int store_public_key_set(struct store *st, const char *key, int64_t app_id)
{
    AUTO_TX(st, st->ops->public_key_set(st, key, app_id));
}

int store_consent_set(struct store *st, int64_t citizen_id, const char *kind, bool given,
                      int64_t at, const char *source)
{
    AUTO_TX(st, st->ops->consent_set(st, citizen_id, kind, given, at, source));
}

int store_consent_get(struct store *st, int64_t citizen_id, const char *kind, bool *given,
                      int64_t *at)
{
    return st->ops->consent_get(st, citizen_id, kind, given, at);
}

/* ---- outgoing messages and satisfaction ---- */

int store_outbox_add(struct store *st, struct outbox_msg *m)
{
    AUTO_TX(st, st->ops->outbox_add(st, m));
}

int store_outbox_claim(struct store *st, int64_t now, int64_t lease_s, int limit,
                       struct outbox_msg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    AUTO_TX(st, st->ops->outbox_claim(st, now, lease_s, limit, out, n));
}

int store_outbox_finish(struct store *st, int64_t id, const char *state, int attempts,
                        int64_t next_at, int64_t sent_at, const char *error)
{
    AUTO_TX(st, st->ops->outbox_finish(st, id, state, attempts, next_at, sent_at, error));
}

int store_outbox_get(struct store *st, int64_t id, struct outbox_msg *out)
{
    return st->ops->outbox_get(st, id, out);
}

int store_outbox_list(struct store *st, const char *state, int64_t app_id, int64_t after, int limit,
                      struct outbox_msg **out, size_t *n)
{
    return st->ops->outbox_list(st, state, app_id, after, limit, out, n);
}

int store_outbox_counts(struct store *st, int (*fn)(void *ctx, const char *state, int64_t n),
                        void *ctx)
{
    return st->ops->outbox_counts(st, fn, ctx);
}

int store_outbox_resend(struct store *st, int64_t id, int64_t now)
{
    AUTO_TX(st, st->ops->outbox_resend(st, id, now));
}

int store_template_get(struct store *st, const char *purpose, const char *channel, const char *lang,
                       struct msg_template *out)
{
    return st->ops->template_get(st, purpose, channel, lang, out);
}

int store_template_set(struct store *st, const struct msg_template *t)
{
    AUTO_TX(st, st->ops->template_set(st, t));
}

int store_template_list(struct store *st, struct msg_template **out, size_t *n)
{
    return st->ops->template_list(st, out, n);
}

int store_survey_token_add(struct store *st, const char *nonce, int64_t app_id, int64_t created_at,
                           int64_t expires_at)
{
    AUTO_TX(st, st->ops->survey_token_add(st, nonce, app_id, created_at, expires_at));
}

int store_survey_token_use(struct store *st, const char *nonce, int64_t now, int64_t *app_id,
                           int64_t *expires_at)
{
    AUTO_TX(st, st->ops->survey_token_use(st, nonce, now, app_id, expires_at));
}

int store_satisfaction_add(struct store *st, struct satisfaction *s)
{
    AUTO_TX(st, st->ops->satisfaction_add(st, s));
}

int store_satisfaction_each(struct store *st, int64_t from, int64_t to,
                            int (*fn)(void *ctx, const struct satisfaction *s), void *ctx)
{
    return st->ops->satisfaction_each(st, from, to, fn, ctx);
}

int store_citizen_consent_get(struct store *st, int64_t citizen_id, bool *marketing)
{
    return st->ops->citizen_consent_get(st, citizen_id, marketing);
}

int store_citizen_consent_set(struct store *st, int64_t citizen_id, bool marketing)
{
    AUTO_TX(st, st->ops->citizen_consent_set(st, citizen_id, marketing));
}

/* ---- KVKK (issue 12) ---- */
int store_view_log_list(struct store *st, const struct view_log_filter *f,
                        struct view_log_row **out, size_t *n, int64_t *next)
{
    return st->ops->view_log_list(st, f, out, n, next);
}

int store_citizen_anonymise(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                            const char *placeholder, const char *note, struct anon_counts *c)
{
    AUTO_TX(st, st->ops->citizen_anonymise(st, citizen_id, user_id, at, placeholder, note, c));
}

int store_retention_candidates(struct store *st, int64_t before, int64_t after, int limit,
                               int64_t **ids, size_t *n)
{
    return st->ops->retention_candidates(st, before, after, limit, ids, n);
}

int store_satisfaction_by_app(struct store *st, int64_t app_id, struct satisfaction **out,
                              size_t *n)
{
    return st->ops->satisfaction_by_app(st, app_id, out, n);
}

int store_citizen_by_tc(struct store *st, const char *tc, struct citizen **out, size_t *n)
{
    return st->ops->citizen_by_tc(st, tc, out, n);
}

int store_tc_counts(struct store *st, int64_t *plain, int64_t *sealed)
{
    return st->ops->tc_counts(st, plain, sealed);
}

int store_tc_seal_all(struct store *st, int64_t *n)
{
    AUTO_TX(st, st->ops->tc_seal_all(st, n));
}

int store_tc_page(struct store *st, int64_t after, int limit, struct tc_row **out, size_t *n)
{
    return st->ops->tc_page(st, after, limit, out, n);
}

int store_tc_put(struct store *st, int64_t id, const char *old_tc, const char *tc, const char *hash,
                 const char *key_id)
{
    AUTO_TX(st, st->ops->tc_put(st, id, old_tc, tc, hash, key_id));
}

int store_tc_foreign(struct store *st, const char *key_id, int64_t *n)
{
    return st->ops->tc_foreign(st, key_id, n);
}

int store_retention_contacts(struct store *st, int64_t before, const char *placeholder, bool dry,
                             int64_t *contacts, int64_t *calls)
{
    AUTO_TX(st, st->ops->retention_contacts(st, before, placeholder, dry, contacts, calls));
}

int store_citizen_lang_set(struct store *st, int64_t citizen_id, const char *lang)
{
    AUTO_TX(st, st->ops->citizen_lang_set(st, citizen_id, lang));
}

int store_outbox_ref_set(struct store *st, int64_t id, const char *ref)
{
    AUTO_TX(st, st->ops->outbox_ref_set(st, id, ref));
}
