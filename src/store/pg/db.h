#ifndef ALO_STORE_PG_DB_H
#define ALO_STORE_PG_DB_H
/* Internals shared by the PostgreSQL backend's files; nothing outside store/pg includes this. */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store_int.h"

#define PG_STMT_CACHE 128
#define PG_MAX_ARGS 40

/* A PostgreSQL connection: struct store (the ops) first, so PG() may convert. */
struct pg_store {
    struct store base;
    PGconn *conn;
    int in_tx;                        /* nesting depth of store_begin() */
    bool rollups_locked;              /* this transaction holds the KPI rollups' lock */
    const char *cache[PG_STMT_CACHE]; /* statements prepared on this connection, by address;
                                       * cache[i] is the server-side statement "a<i>" */
    char *conninfo;                   /* what conn was opened with (for draw_conn) */
    PGconn *draw_conn;                /* tracking numbers are drawn here (pg_tracking_draw) */
};

#define PG(st) ((struct pg_store *)(st))

/* The next tracking number of year (apps.c): ERR_CONFLICT when the year's numbers are
 * exhausted, ERR_UNAVAILABLE when the server cannot be reached. */
int pg_tracking_draw(struct store *st, int year, int64_t *seq);

/* Keys of transaction-scoped advisory locks (decimal text, for SQL): the KPI rollups ("r153"). */
#define PG_LOCK_ROLLUPS "1915827507"

/* Parameters of one statement, sent as text (a blob as binary); NULL values stay NULL. */
struct pg_args {
    int n;
    const char *v[PG_MAX_ARGS];
    int len[PG_MAX_ARGS];
    int fmt[PG_MAX_ARGS];
    char num[PG_MAX_ARGS][32];
};

void pa_int(struct pg_args *a, int64_t v);
void pa_id(struct pg_args *a, int64_t v);       /* 0 → NULL */
void pa_text(struct pg_args *a, const char *s); /* NULL → NULL */
void pa_double(struct pg_args *a, double v);
void pa_null(struct pg_args *a);
void pa_blob(struct pg_args *a, const void *data, size_t len);

/* Run the static SQL string sql (prepared once per connection, keyed by its address) with
 * args a (may be NULL). Returns the result (caller PQclear()s) or NULL with *rc set:
 * ERR_CONFLICT for a constraint violation (SQLSTATE class 23), a serialization failure or a
 * deadlock (40001, 40P01), ERR_STORE for anything else, a lost connection included. */
PGresult *pg_run(struct store *st, const char *sql, const struct pg_args *a, int *rc);
/* The same for SQL built at run time (not prepared). */
PGresult *pg_run_dyn(struct store *st, const char *sql, const struct pg_args *a, int *rc);
/* Run a statement and drop its result; ERR_OK or as pg_run. *changed (may be NULL) receives
 * the number of rows it changed. */
int pg_exec(struct store *st, const char *sql, const struct pg_args *a, int64_t *changed);
/* Run a one-row SELECT/RETURNING; ERR_NOT_FOUND when no row. On ERR_OK *res holds the result. */
int pg_one(struct store *st, const char *sql, const struct pg_args *a, PGresult **res);

/* Column helpers (row r, column c): 0 / "" / NULL for SQL NULL. */
int64_t pg_int(const PGresult *res, int r, int c);
double pg_double(const PGresult *res, int r, int c);
bool pg_null(const PGresult *res, int r, int c);
void pg_copy(const PGresult *res, int r, int c, char *out, size_t outlen);
char *pg_dup(const PGresult *res, int r, int c);       /* malloc'd or NULL */
const char *pg_str(const PGresult *res, int r, int c); /* borrowed; "" for NULL */

/* The text of an application as a tsvector literal and a search as a tsquery literal
 * (fts.c). Both malloc'd (caller frees); NULL on invalid UTF-8. The query literal is "" when
 * the search has no words. */
char *pg_fts_document(const char *text, const char *address);
char *pg_fts_query(const char *q);
/* The same with each word of 4 bytes or more also as a prefix of whole words,
 * ('kes' | 'kesinti':*), as SQLite's fts_turkish_query_prefix (the knowledge base's search). */
char *pg_fts_query_prefix(const char *q);

/* The backend's store_ops members (store.h documents each by its store_ name). */
void pg_close(struct store *st);
int pg_schema_version(struct store *st);
int pg_begin(struct store *st);
int pg_commit(struct store *st);
void pg_rollback(struct store *st);
int pg_setting_get(struct store *st, const char *key, char *out, size_t outlen);
int pg_setting_set(struct store *st, const char *key, const char *value);
int pg_institution_upsert(struct store *st, const char *code, const char *name, const char *kind,
                          int64_t *id);
int pg_institution_id(struct store *st, const char *code, int64_t *id);
int pg_institution_each(struct store *st,
                        int (*fn)(void *ctx, int64_t id, const char *code, const char *name,
                                  const char *kind),
                        void *ctx);
int pg_department_upsert(struct store *st, struct department *d, struct err_detail *ed);
int pg_department_get(struct store *st, int64_t id, struct department *out);
int pg_department_by_code(struct store *st, const char *code, struct department *out);
int pg_department_list(struct store *st, struct department **out, size_t *n);
bool pg_department_within(struct store *st, int64_t dept_id, int64_t ancestor_id);
int pg_category_upsert(struct store *st, struct category *c, struct err_detail *ed);
int pg_category_get(struct store *st, int64_t id, struct category *out);
int pg_category_by_code(struct store *st, const char *code, struct category *out);
int pg_category_list(struct store *st, const char *q, struct category **out, size_t *n);
int pg_district_upsert(struct store *st, const char *province, const char *name, int64_t *id);
int pg_neighbourhood_upsert(struct store *st, int64_t district_id, const char *name, int64_t *id);
int pg_district_each(struct store *st,
                     int (*fn)(void *ctx, int64_t id, const char *name, const char *province),
                     void *ctx);
int pg_neighbourhood_each(struct store *st, int64_t district_id,
                          int (*fn)(void *ctx, int64_t id, const char *name), void *ctx);
int pg_district_name(struct store *st, int64_t id, char *out, size_t outlen);
int pg_neighbourhood_name(struct store *st, int64_t id, int64_t *district_id, char *out,
                          size_t outlen);
int pg_holiday_set(struct store *st, const char *date, const char *name, bool half_day);
int pg_holiday_delete(struct store *st, const char *date);
int pg_holiday_each(struct store *st,
                    int (*fn)(void *ctx, const char *date, const char *name, bool half_day),
                    void *ctx);
int pg_user_create(struct store *st, struct user *u, const char *password_hash,
                   struct err_detail *ed);
int pg_user_get(struct store *st, int64_t id, struct user *out);
int pg_user_by_name(struct store *st, const char *username, struct user *out, char *hash,
                    size_t hashlen);
int pg_user_set_password(struct store *st, int64_t id, const char *password_hash);
int pg_user_set_disabled(struct store *st, int64_t id, bool disabled);
int pg_user_update(struct store *st, const struct user *u);
int pg_user_list(struct store *st, struct user **out, size_t *n);
int pg_session_create(struct store *st, const char *token_hash, int64_t user_id, int64_t expires_at,
                      int64_t max_until);
int pg_session_touch(struct store *st, const char *token_hash, int64_t now, int64_t idle_until);
int pg_session_user(struct store *st, const char *token_hash, int64_t now, struct user *out,
                    struct session_times *times);
int pg_session_delete(struct store *st, const char *token_hash);
int pg_session_purge(struct store *st, int64_t now);
int pg_token_create(struct store *st, struct api_token *t, const char *token_hash);
int pg_token_user(struct store *st, const char *token_hash, int64_t now, struct user *out);
int pg_token_by_hash(struct store *st, const char *token_hash, struct api_token *out);
int pg_token_get(struct store *st, int64_t id, struct api_token *out);
int pg_token_list(struct store *st, struct api_token **out, size_t *n);
int pg_token_revoke(struct store *st, int64_t id, int64_t at);
int pg_token_used(struct store *st, int64_t id, int64_t at);
int pg_grant_set(struct store *st, const struct grant *g);
int pg_grant_delete(struct store *st, int64_t user_id, int64_t department_id);
int pg_grant_list(struct store *st, int64_t user_id, struct grant **out, size_t *n);
int pg_audit_add(struct store *st, const struct audit_entry *e);
int pg_audit_list(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                  size_t *n, int64_t *next);
int pg_citizen_create(struct store *st, struct citizen *c);
int pg_citizen_get(struct store *st, int64_t id, struct citizen *out);
int pg_citizen_by_phone(struct store *st, const char *phone, struct citizen **out, size_t *n);
int pg_citizen_view_log(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                        const char *purpose);
int pg_citizen_view_log_alone(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                              const char *purpose);
int pg_app_create(struct store *st, struct app *a, struct err_detail *ed);
int pg_app_update(struct store *st, const struct app *a);
int pg_app_get(struct store *st, int64_t id, struct app *out);
int pg_app_by_tracking(struct store *st, const char *tracking, struct app *out);
int pg_app_list(struct store *st, const struct app_filter *f, struct app **out, size_t *n,
                int64_t *next, int64_t *next_due);
int pg_app_count(struct store *st, const struct app_filter *f, int64_t *count);
int pg_app_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                       const struct dept_reach *reach,
                       int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);
int pg_app_open_candidates(struct store *st, int64_t category_id, int64_t district_id,
                           int64_t since, int limit, struct app **out, size_t *n);
int pg_app_training_each(struct store *st,
                         int (*fn)(void *ctx, const char *text, const char *category), void *ctx);
int pg_app_suggestion_each(struct store *st, int64_t from, int64_t to,
                           int (*fn)(void *ctx, const char *suggested, const char *final),
                           void *ctx);
int pg_correction_add(struct store *st, struct correction *c);
int pg_correction_each(struct store *st, int64_t app_id, int limit,
                       int (*fn)(void *ctx, const struct correction *c), void *ctx);
int pg_correction_training_each(struct store *st,
                                int (*fn)(void *ctx, const char *text, const char *category),
                                void *ctx);
int pg_app_set_suggestion(struct store *st, int64_t app_id, const char *category,
                          double probability, bool urgent, const char *urgent_words);
int pg_event_add(struct store *st, struct app_event *e);
int pg_event_list(struct store *st, int64_t app_id, bool public_only, struct app_event **out,
                  size_t *n);
int pg_link_add(struct store *st, int64_t app_id, int64_t other_id, const char *kind);
int pg_link_each(struct store *st, int64_t app_id,
                 int (*fn)(void *ctx, int64_t other_id, const char *tracking, const char *kind),
                 void *ctx);
int pg_attachment_add(struct store *st, struct attachment *at, const void *data, size_t len);
int pg_idem_claim(struct store *st, int64_t user_id, const char *key, int64_t now,
                  int64_t stale_before, int *state, int *status, char **body);
int pg_idem_finish(struct store *st, int64_t user_id, const char *key, int status,
                   const char *body);
int pg_attachment_list(struct store *st, int64_t app_id, struct attachment **out, size_t *n);
int pg_attachment_get(struct store *st, int64_t app_id, int64_t id, struct attachment *meta,
                      void **data, size_t *len);
int pg_contact_create(struct store *st, struct contact *c);
int pg_contact_get(struct store *st, int64_t id, struct contact *out);
int pg_contact_by_call(struct store *st, int64_t call_id, struct contact *out);
int pg_contact_close(struct store *st, const struct contact *c);
int pg_contact_list(struct store *st, const struct contact_filter *f, struct contact **out,
                    size_t *n, int64_t *next);
int pg_contact_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                           int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);
int pg_call_event_add(struct store *st, const struct call_event *e, bool *added);
int pg_call_events(struct store *st, const char *ref, struct call_event **out, size_t *n);
int pg_call_get(struct store *st, const char *ref, struct call *out);
int pg_call_save(struct store *st, struct call *c);
int pg_call_each(struct store *st, int64_t from, int64_t to,
                 int (*fn)(void *ctx, const struct call *c), void *ctx);
int pg_call_rollup_add(struct store *st, int span, const struct call_rollup *d, bool recount_max);
int pg_contact_rollup_add(struct store *st, int span, int64_t start, const char *channel,
                          const char *outcome, int64_t delta);
int pg_call_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                        const struct rollup_filter *f,
                        int (*fn)(void *ctx, const struct call_rollup *r), void *ctx);
int pg_contact_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                           int (*fn)(void *ctx, int64_t start, const char *channel,
                                     const char *outcome, int64_t n),
                           void *ctx);
int pg_rollup_reset(struct store *st, int64_t day_offset);
int pg_agent_state_set(struct store *st, const struct agent_state *s);
int pg_agent_state_get(struct store *st, int64_t user_id, struct agent_state *out);
int pg_agent_state_list(struct store *st, struct agent_state **out, size_t *n);
int pg_agent_event_add(struct store *st, struct agent_event *e);
int pg_agent_event_list(struct store *st, int64_t user_id, int64_t after, int limit,
                        struct agent_event **out, size_t *n);
int pg_kb_save(struct store *st, struct kb_article *a);
int pg_kb_get(struct store *st, int64_t id, struct kb_article *out);
int pg_kb_list(struct store *st, const struct kb_query *q, struct kb_article **out, size_t *n);
/* open311.c (issue 16) */
int pg_o311_key_add(struct store *st, const char *name, const char *key_hash, int64_t created_at,
                    int64_t *id);
int pg_o311_key_find(struct store *st, const char *key_hash, int64_t *id, char *name,
                     size_t namelen);
int pg_o311_request_add(struct store *st, const struct o311_request *r);
int pg_o311_request_get(struct store *st, int64_t app_id, const char *token,
                        struct o311_request *out);
int pg_o311_attr_list(struct store *st, int64_t category_id, struct o311_attr **out, size_t *n);
int pg_o311_attr_replace(struct store *st, int64_t category_id, const struct o311_attr *at,
                         size_t n);

int pg_table_each(struct store *st, const struct store_table *t,
                  int (*fn)(void *ctx, const struct store_cell *row), void *ctx);
int pg_table_insert(struct store *st, const struct store_table *t, const struct store_cell *row);
int pg_table_copied(struct store *st, const struct store_table *t);

/* rollup.c: the application rollups and the report's row reads */
int pg_rollup_app_add(struct store *st, const struct app_rollup *r, int sign);
int pg_rollup_app_each(struct store *st, enum rollup_table t, enum rollup_grain grain, int64_t from,
                       int64_t to, int (*fn)(void *ctx, const struct app_rollup *row), void *ctx);
int pg_rollup_app_clear(struct store *st);
int pg_app_report_each(struct store *st,
                       int (*fn)(void *ctx, const struct app *a, unsigned actions), void *ctx);
int pg_event_actions(struct store *st, int64_t app_id, unsigned *actions);
int pg_app_overdue_each(struct store *st, int64_t from, int64_t to, int64_t now,
                        int (*fn)(void *ctx, int64_t department_id, int64_t n), void *ctx);
int pg_app_text_each(struct store *st, const char *kind, int64_t from, int64_t to, int limit,
                     int (*fn)(void *ctx, int64_t id, int64_t department_id, const char *text),
                     void *ctx);
int pg_app_comeback_each(struct store *st, int64_t from, int64_t to, int limit,
                         int (*fn)(void *ctx, int64_t category_id, int64_t department_id),
                         void *ctx);

/* intake.c: CİMER rows and intake messages (issue 15; store.h) */
int pg_cimer_add(struct store *st, const struct cimer_rec *r);
int pg_cimer_get(struct store *st, int64_t app_id, struct cimer_rec *out);
int pg_cimer_by_no(struct store *st, const char *no, struct cimer_rec *out);
int pg_cimer_update(struct store *st, const struct cimer_rec *r);
int pg_cimer_list(struct store *st, bool open_only, int limit, struct cimer_rec **out, size_t *n);
int pg_intake_add(struct store *st, const char *channel, const char *message_id, int64_t app_id,
                  int64_t contact_id, bool flagged, int64_t at);
int pg_poll_lock(struct store *st, const char *name, bool *mine);
int pg_intake_get(struct store *st, const char *channel, const char *message_id, int64_t *app_id);
/* portal.c: the citizen's phone (issue 16) */
int pg_public_key_claim(struct store *st, const char *key, int64_t at, int64_t *app_id);
int pg_public_key_set(struct store *st, const char *key, int64_t app_id);
int pg_consent_set(struct store *st, int64_t citizen_id, const char *kind, bool given, int64_t at,
                   const char *source);
int pg_consent_get(struct store *st, int64_t citizen_id, const char *kind, bool *given,
                   int64_t *at);
/* outbox.c: outgoing messages and satisfaction (issue 15) */
int pg_outbox_add(struct store *st, struct outbox_msg *m);
int pg_outbox_claim(struct store *st, int64_t now, int64_t lease_s, int limit,
                    struct outbox_msg **out, size_t *n);
int pg_outbox_finish(struct store *st, int64_t id, const char *state, int attempts, int64_t next_at,
                     int64_t sent_at, const char *error);
int pg_outbox_get(struct store *st, int64_t id, struct outbox_msg *out);
int pg_outbox_list(struct store *st, const char *state, int64_t app_id, int64_t after, int limit,
                   struct outbox_msg **out, size_t *n);
int pg_outbox_counts(struct store *st, int (*fn)(void *ctx, const char *state, int64_t n),
                     void *ctx);
int pg_outbox_resend(struct store *st, int64_t id, int64_t now);
int pg_template_get(struct store *st, const char *purpose, const char *channel, const char *lang,
                    struct msg_template *out);
int pg_template_set(struct store *st, const struct msg_template *t);
int pg_template_list(struct store *st, struct msg_template **out, size_t *n);
int pg_survey_token_add(struct store *st, const char *nonce, int64_t app_id, int64_t created_at,
                        int64_t expires_at);
int pg_survey_token_use(struct store *st, const char *nonce, int64_t now, int64_t *app_id,
                        int64_t *expires_at);
int pg_satisfaction_add(struct store *st, struct satisfaction *s);
int pg_satisfaction_each(struct store *st, int64_t from, int64_t to,
                         int (*fn)(void *ctx, const struct satisfaction *s), void *ctx);
int pg_citizen_consent_get(struct store *st, int64_t citizen_id, bool *marketing);
int pg_citizen_consent_set(struct store *st, int64_t citizen_id, bool marketing);
int pg_citizen_lang_set(struct store *st, int64_t citizen_id, const char *lang);
int pg_outbox_ref_set(struct store *st, int64_t id, const char *ref);

/* KVKK (issue 12): pg/kvkk.c, pg/people.c */
int pg_view_log_list(struct store *st, const struct view_log_filter *f, struct view_log_row **out,
                     size_t *n, int64_t *next);
int pg_citizen_anonymise(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                         const char *placeholder, const char *note, struct anon_counts *c);
int pg_retention_candidates(struct store *st, int64_t before, int64_t after, int limit,
                            int64_t **ids, size_t *n);
int pg_satisfaction_by_app(struct store *st, int64_t app_id, struct satisfaction **out, size_t *n);
int pg_citizen_by_tc(struct store *st, const char *tc, struct citizen **out, size_t *n);
int pg_tc_counts(struct store *st, int64_t *plain, int64_t *sealed);
int pg_tc_seal_all(struct store *st, int64_t *n);
int pg_tc_page(struct store *st, int64_t after, int limit, struct tc_row **out, size_t *n);
int pg_tc_put(struct store *st, int64_t id, const char *old_tc, const char *tc, const char *hash,
              const char *key_id);
int pg_tc_foreign(struct store *st, const char *key_id, int64_t *n);
int pg_retention_contacts(struct store *st, int64_t before, const char *placeholder, bool dry,
                          int64_t *contacts, int64_t *calls);

#endif
