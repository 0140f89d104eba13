#ifndef ALO_STORE_SQLITE_DB_H
#define ALO_STORE_SQLITE_DB_H
/* Internals shared by the SQLite backend's files; nothing outside store/sqlite includes this. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store_int.h"

#define DB_STMT_CACHE 256
#define DB_DYN_CACHE 16

/* One SQLite connection and its prepared statements. */
struct sq_conn {
    sqlite3 *db;
    struct {
        const char *sql; /* key: the address of a static SQL string */
        sqlite3_stmt *stmt;
    } cache[DB_STMT_CACHE];
    struct {
        char *sql; /* key: an owned copy of SQL built at run time (db_stmt_dyn) */
        sqlite3_stmt *stmt;
    } dyn[DB_DYN_CACHE];
    unsigned dyn_next; /* the slot db_stmt_dyn fills next (round robin) */
};

struct sq_group;

/* A store connection: struct store (the ops) first, so SQ() may convert. Reads outside a
 * transaction use its own connection; inside one, every statement goes to the group's shared
 * writer connection (group commit, db.c), so cur points at the connection in use. */
struct sq_store {
    struct store base;
    struct sq_conn own;
    struct sq_conn *cur;    /* &own, or the group writer's during a transaction */
    struct sq_group *group; /* NULL: no group commit (in-memory databases) */
    int in_tx;              /* nesting depth of store_begin() */
    bool holds_lock;        /* (no group) holds the process's write mutex */
    bool gc_sp;             /* (group) runs in savepoint g (joined an open batch) */
    bool gc_done;           /* (group) the batch holding this transaction ended */
    pthread_cond_t gc_cv;   /* (group) signalled when gc_done is set */
    int gc_rc;              /* ... with this result */
    bool damaged;           /* (no group) a damaged page was met: no more writes */
};

#define SQ(st) ((struct sq_store *)(st))

/* The backend's store_ops members (store.h documents each by its store_ name). */
void sqlite_close(struct store *st);
int sqlite_tx_depth(struct store *st);
int sqlite_schema_version(struct store *st);
int sqlite_check(struct store *st, bool full, struct err_detail *ed);
void sqlite_write_stats(struct store *st, struct store_write_stats *out);
int sqlite_backup(struct store *st, const char *dest,
                  void (*progress)(void *ctx, int done, int total), void *ctx,
                  struct err_detail *ed);
int sqlite_begin(struct store *st);
int sqlite_commit(struct store *st);
void sqlite_rollback(struct store *st);
int sqlite_setting_get(struct store *st, const char *key, char *out, size_t outlen);
int sqlite_setting_set(struct store *st, const char *key, const char *value);
int sqlite_institution_upsert(struct store *st, const char *code, const char *name,
                              const char *kind, int64_t *id);
int sqlite_institution_id(struct store *st, const char *code, int64_t *id);
int sqlite_institution_each(struct store *st,
                            int (*fn)(void *ctx, int64_t id, const char *code, const char *name,
                                      const char *kind),
                            void *ctx);
int sqlite_department_upsert(struct store *st, struct department *d, struct err_detail *ed);
int sqlite_department_get(struct store *st, int64_t id, struct department *out);
int sqlite_department_by_code(struct store *st, const char *code, struct department *out);
int sqlite_department_list(struct store *st, struct department **out, size_t *n);
bool sqlite_department_within(struct store *st, int64_t dept_id, int64_t ancestor_id);
int sqlite_category_upsert(struct store *st, struct category *c, struct err_detail *ed);
int sqlite_category_get(struct store *st, int64_t id, struct category *out);
int sqlite_category_by_code(struct store *st, const char *code, struct category *out);
int sqlite_category_list(struct store *st, const char *q, struct category **out, size_t *n);
int sqlite_district_upsert(struct store *st, const char *province, const char *name, int64_t *id);
int sqlite_neighbourhood_upsert(struct store *st, int64_t district_id, const char *name,
                                int64_t *id);
int sqlite_district_each(struct store *st,
                         int (*fn)(void *ctx, int64_t id, const char *name, const char *province),
                         void *ctx);
int sqlite_neighbourhood_each(struct store *st, int64_t district_id,
                              int (*fn)(void *ctx, int64_t id, const char *name), void *ctx);
int sqlite_district_name(struct store *st, int64_t id, char *out, size_t outlen);
int sqlite_neighbourhood_name(struct store *st, int64_t id, int64_t *district_id, char *out,
                              size_t outlen);
int sqlite_holiday_set(struct store *st, const char *date, const char *name, bool half_day);
int sqlite_holiday_delete(struct store *st, const char *date);
int sqlite_holiday_each(struct store *st,
                        int (*fn)(void *ctx, const char *date, const char *name, bool half_day),
                        void *ctx);
int sqlite_user_create(struct store *st, struct user *u, const char *password_hash,
                       struct err_detail *ed);
int sqlite_user_get(struct store *st, int64_t id, struct user *out);
int sqlite_user_by_name(struct store *st, const char *username, struct user *out, char *hash,
                        size_t hashlen);
int sqlite_user_set_password(struct store *st, int64_t id, const char *password_hash);
int sqlite_user_set_disabled(struct store *st, int64_t id, bool disabled);
int sqlite_user_update(struct store *st, const struct user *u);
int sqlite_user_list(struct store *st, struct user **out, size_t *n);
int sqlite_session_create(struct store *st, const char *token_hash, int64_t user_id,
                          int64_t expires_at, int64_t max_until);
int sqlite_session_touch(struct store *st, const char *token_hash, int64_t now, int64_t idle_until);
int sqlite_session_user(struct store *st, const char *token_hash, int64_t now, struct user *out,
                        struct session_times *times);
int sqlite_session_delete(struct store *st, const char *token_hash);
int sqlite_session_purge(struct store *st, int64_t now);
int sqlite_token_create(struct store *st, struct api_token *t, const char *token_hash);
int sqlite_token_user(struct store *st, const char *token_hash, int64_t now, struct user *out);
int sqlite_token_by_hash(struct store *st, const char *token_hash, struct api_token *out);
int sqlite_token_get(struct store *st, int64_t id, struct api_token *out);
int sqlite_token_list(struct store *st, struct api_token **out, size_t *n);
int sqlite_token_revoke(struct store *st, int64_t id, int64_t at);
int sqlite_token_used(struct store *st, int64_t id, int64_t at);
int sqlite_grant_set(struct store *st, const struct grant *g);
int sqlite_grant_delete(struct store *st, int64_t user_id, int64_t department_id);
int sqlite_grant_list(struct store *st, int64_t user_id, struct grant **out, size_t *n);
int sqlite_audit_add(struct store *st, const struct audit_entry *e);
int sqlite_audit_list(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                      size_t *n, int64_t *next);
int sqlite_citizen_create(struct store *st, struct citizen *c);
int sqlite_citizen_get(struct store *st, int64_t id, struct citizen *out);
int sqlite_citizen_by_phone(struct store *st, const char *phone, struct citizen **out, size_t *n);
int sqlite_citizen_view_log(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                            const char *purpose);
int sqlite_citizen_view_log_alone(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                                  const char *purpose);
int sqlite_app_create(struct store *st, struct app *a, struct err_detail *ed);
int sqlite_app_update(struct store *st, const struct app *a);
int sqlite_app_get(struct store *st, int64_t id, struct app *out);
int sqlite_app_by_tracking(struct store *st, const char *tracking, struct app *out);
int sqlite_app_list(struct store *st, const struct app_filter *f, struct app **out, size_t *n,
                    int64_t *next, int64_t *next_due);
int sqlite_app_count(struct store *st, const struct app_filter *f, int64_t *count);
int sqlite_app_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                           const struct dept_reach *reach,
                           int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);
int sqlite_app_open_candidates(struct store *st, int64_t category_id, int64_t district_id,
                               int64_t since, int limit, struct app **out, size_t *n);
int sqlite_app_training_each(struct store *st,
                             int (*fn)(void *ctx, const char *text, const char *category),
                             void *ctx);
int sqlite_app_suggestion_each(struct store *st, int64_t from, int64_t to,
                               int (*fn)(void *ctx, const char *suggested, const char *final),
                               void *ctx);
int sqlite_correction_add(struct store *st, struct correction *c);
int sqlite_correction_each(struct store *st, int64_t app_id, int limit,
                           int (*fn)(void *ctx, const struct correction *c), void *ctx);
int sqlite_correction_training_each(struct store *st,
                                    int (*fn)(void *ctx, const char *text, const char *category),
                                    void *ctx);
int sqlite_app_set_suggestion(struct store *st, int64_t app_id, const char *category,
                              double probability, bool urgent, const char *urgent_words);
int sqlite_event_add(struct store *st, struct app_event *e);
int sqlite_event_list(struct store *st, int64_t app_id, bool public_only, struct app_event **out,
                      size_t *n);
int sqlite_link_add(struct store *st, int64_t app_id, int64_t other_id, const char *kind);
int sqlite_link_each(struct store *st, int64_t app_id,
                     int (*fn)(void *ctx, int64_t other_id, const char *tracking, const char *kind),
                     void *ctx);
int sqlite_attachment_add(struct store *st, struct attachment *at, const void *data, size_t len);
int sqlite_idem_claim(struct store *st, int64_t user_id, const char *key, int64_t now,
                      int64_t stale_before, int *state, int *status, char **body);
int sqlite_idem_finish(struct store *st, int64_t user_id, const char *key, int status,
                       const char *body);
int sqlite_attachment_list(struct store *st, int64_t app_id, struct attachment **out, size_t *n);
int sqlite_attachment_get(struct store *st, int64_t app_id, int64_t id, struct attachment *meta,
                          void **data, size_t *len);
int sqlite_contact_create(struct store *st, struct contact *c);
int sqlite_contact_get(struct store *st, int64_t id, struct contact *out);
int sqlite_contact_by_call(struct store *st, int64_t call_id, struct contact *out);
int sqlite_contact_close(struct store *st, const struct contact *c);
int sqlite_contact_list(struct store *st, const struct contact_filter *f, struct contact **out,
                        size_t *n, int64_t *next);
int sqlite_contact_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                               int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);
int sqlite_call_event_add(struct store *st, const struct call_event *e, bool *added);
int sqlite_call_events(struct store *st, const char *ref, struct call_event **out, size_t *n);
int sqlite_call_get(struct store *st, const char *ref, struct call *out);
int sqlite_call_save(struct store *st, struct call *c);
int sqlite_call_each(struct store *st, int64_t from, int64_t to,
                     int (*fn)(void *ctx, const struct call *c), void *ctx);
int sqlite_call_rollup_add(struct store *st, int span, const struct call_rollup *d,
                           bool recount_max);
int sqlite_contact_rollup_add(struct store *st, int span, int64_t start, const char *channel,
                              const char *outcome, int64_t delta);
int sqlite_call_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                            const struct rollup_filter *f,
                            int (*fn)(void *ctx, const struct call_rollup *r), void *ctx);
int sqlite_contact_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                               int (*fn)(void *ctx, int64_t start, const char *channel,
                                         const char *outcome, int64_t n),
                               void *ctx);
int sqlite_rollup_reset(struct store *st, int64_t day_offset);
int sqlite_agent_state_set(struct store *st, const struct agent_state *s);
int sqlite_agent_state_get(struct store *st, int64_t user_id, struct agent_state *out);
int sqlite_agent_state_list(struct store *st, struct agent_state **out, size_t *n);
int sqlite_agent_event_add(struct store *st, struct agent_event *e);
int sqlite_agent_event_list(struct store *st, int64_t user_id, int64_t after, int limit,
                            struct agent_event **out, size_t *n);
int sqlite_kb_save(struct store *st, struct kb_article *a);
int sqlite_kb_get(struct store *st, int64_t id, struct kb_article *out);
int sqlite_kb_list(struct store *st, const struct kb_query *q, struct kb_article **out, size_t *n);
/* open311.c (issue 16) */
int sqlite_o311_key_add(struct store *st, const char *name, const char *key_hash,
                        int64_t created_at, int64_t *id);
int sqlite_o311_key_find(struct store *st, const char *key_hash, int64_t *id, char *name,
                         size_t namelen);
int sqlite_o311_request_add(struct store *st, const struct o311_request *r);
int sqlite_o311_request_get(struct store *st, int64_t app_id, const char *token,
                            struct o311_request *out);
int sqlite_o311_attr_list(struct store *st, int64_t category_id, struct o311_attr **out, size_t *n);
int sqlite_o311_attr_replace(struct store *st, int64_t category_id, const struct o311_attr *a,
                             size_t n);

/* A prepared statement for a static SQL string, cached per connection; reset and unbound.
 * NULL on error (logged). Borrowed: do not finalize. */
sqlite3_stmt *db_stmt(struct store *st, const char *sql);
/* The same for SQL built at run time (the list and search pages: their WHERE depends on the
 * filters given), cached by its text in a few slots per connection (parsing and planning was
 * a seventh of a list page's CPU). NULL on error (logged). Borrowed: reset it after use, do
 * not finalize. */
sqlite3_stmt *db_stmt_dyn(struct store *st, const char *sql);
/* Step a statement expected to finish (INSERT/UPDATE/DELETE); maps SQLite errors. */
int db_exec_stmt(struct store *st, sqlite3_stmt *s);
/* Step a statement expected to return one row and leave it on that row (reset it after
 * reading); ERR_NOT_FOUND when it returns none. */
int db_step_row(struct store *st, sqlite3_stmt *s);
/* Run a one-row SELECT keyed by ?1 — text when text is non-NULL, else the id — and decode
 * the row with row(s, out). ERR_NOT_FOUND when there is none. */
int db_get_one(struct store *st, const char *sql, int64_t id, const char *text,
               void (*row)(sqlite3_stmt *s, void *out), void *out);
/* Walk the rows of s (bound, borrowed from db_stmt(); reset here), decoding each into a growing
 * array of elem-byte records with row(s, rec). keep (may be NULL) skips the rows for which it
 * returns false, before decoding. On success *out is malloc'd (caller releases each record, then
 * frees) with *n records; on error the records decoded so far are released with release (may be
 * NULL) and nothing is returned. s NULL (a failed prepare) gives ERR_STORE. */
int db_collect(struct store *st, sqlite3_stmt *s, size_t elem,
               void (*row)(sqlite3_stmt *s, void *rec), bool (*keep)(sqlite3_stmt *s, void *ctx),
               void *ctx, void (*release)(void *rec), void **out, size_t *n);
/* Map the last SQLite error of st to an err_code (constraint → ERR_CONFLICT). */
int db_err(struct store *st, int rc);
/* Bind helpers: NULL / 0 map to SQL NULL. */
void db_bind_text(sqlite3_stmt *s, int i, const char *v);
void db_bind_id(sqlite3_stmt *s, int i, int64_t v);
/* Column helpers: copy text into a fixed buffer ("" for NULL); malloc'd copy or NULL. */
void db_col_copy(sqlite3_stmt *s, int i, char *out, size_t outlen);
char *db_col_dup(sqlite3_stmt *s, int i);

int sqlite_table_each(struct store *st, const struct store_table *t,
                      int (*fn)(void *ctx, const struct store_cell *row), void *ctx);
int sqlite_table_insert(struct store *st, const struct store_table *t,
                        const struct store_cell *row);
int sqlite_table_copied(struct store *st, const struct store_table *t);

/* rollup.c: the application rollups and the report's row reads */
int sqlite_rollup_app_add(struct store *st, const struct app_rollup *r, int sign);
int sqlite_rollup_app_each(struct store *st, enum rollup_table t, enum rollup_grain grain,
                           int64_t from, int64_t to,
                           int (*fn)(void *ctx, const struct app_rollup *row), void *ctx);
int sqlite_rollup_app_clear(struct store *st);
int sqlite_app_report_each(struct store *st,
                           int (*fn)(void *ctx, const struct app *a, unsigned actions), void *ctx);
int sqlite_event_actions(struct store *st, int64_t app_id, unsigned *actions);
int sqlite_app_overdue_each(struct store *st, int64_t from, int64_t to, int64_t now,
                            int (*fn)(void *ctx, int64_t department_id, int64_t n), void *ctx);
int sqlite_app_text_each(struct store *st, const char *kind, int64_t from, int64_t to, int limit,
                         int (*fn)(void *ctx, int64_t id, int64_t department_id, const char *text),
                         void *ctx);
int sqlite_app_comeback_each(struct store *st, int64_t from, int64_t to, int limit,
                             int (*fn)(void *ctx, int64_t category_id, int64_t department_id),
                             void *ctx);

/* intake.c: CİMER rows and intake messages (issue 15; store.h) */
int sqlite_cimer_add(struct store *st, const struct cimer_rec *r);
int sqlite_cimer_get(struct store *st, int64_t app_id, struct cimer_rec *out);
int sqlite_cimer_by_no(struct store *st, const char *no, struct cimer_rec *out);
int sqlite_cimer_update(struct store *st, const struct cimer_rec *r);
int sqlite_cimer_list(struct store *st, bool open_only, int limit, struct cimer_rec **out,
                      size_t *n);
int sqlite_intake_add(struct store *st, const char *channel, const char *message_id, int64_t app_id,
                      int64_t contact_id, bool flagged, int64_t at);
int sqlite_poll_lock(struct store *st, const char *name, bool *mine);
int sqlite_intake_get(struct store *st, const char *channel, const char *message_id,
                      int64_t *app_id);
/* portal.c: the citizen's phone (issue 16) */
int sqlite_public_key_claim(struct store *st, const char *key, int64_t at, int64_t *app_id);
int sqlite_public_key_set(struct store *st, const char *key, int64_t app_id);
int sqlite_consent_set(struct store *st, int64_t citizen_id, const char *kind, bool given,
                       int64_t at, const char *source);
int sqlite_consent_get(struct store *st, int64_t citizen_id, const char *kind, bool *given,
                       int64_t *at);
/* outbox.c: outgoing messages and satisfaction (issue 15) */
int sqlite_outbox_add(struct store *st, struct outbox_msg *m);
int sqlite_outbox_claim(struct store *st, int64_t now, int64_t lease_s, int limit,
                        struct outbox_msg **out, size_t *n);
int sqlite_outbox_finish(struct store *st, int64_t id, const char *state, int attempts,
                         int64_t next_at, int64_t sent_at, const char *error);
int sqlite_outbox_get(struct store *st, int64_t id, struct outbox_msg *out);
int sqlite_outbox_list(struct store *st, const char *state, int64_t app_id, int64_t after,
                       int limit, struct outbox_msg **out, size_t *n);
int sqlite_outbox_counts(struct store *st, int (*fn)(void *ctx, const char *state, int64_t n),
                         void *ctx);
int sqlite_outbox_resend(struct store *st, int64_t id, int64_t now);
int sqlite_template_get(struct store *st, const char *purpose, const char *channel,
                        const char *lang, struct msg_template *out);
int sqlite_template_set(struct store *st, const struct msg_template *t);
int sqlite_template_list(struct store *st, struct msg_template **out, size_t *n);
int sqlite_survey_token_add(struct store *st, const char *nonce, int64_t app_id, int64_t created_at,
                            int64_t expires_at);
int sqlite_survey_token_use(struct store *st, const char *nonce, int64_t now, int64_t *app_id,
                            int64_t *expires_at);
int sqlite_satisfaction_add(struct store *st, struct satisfaction *s);
int sqlite_satisfaction_each(struct store *st, int64_t from, int64_t to,
                             int (*fn)(void *ctx, const struct satisfaction *s), void *ctx);
int sqlite_citizen_consent_get(struct store *st, int64_t citizen_id, bool *marketing);
int sqlite_citizen_consent_set(struct store *st, int64_t citizen_id, bool marketing);
int sqlite_citizen_lang_set(struct store *st, int64_t citizen_id, const char *lang);
int sqlite_outbox_ref_set(struct store *st, int64_t id, const char *ref);

/* KVKK (issue 12): sqlite/kvkk.c, sqlite/people.c */
int sqlite_view_log_list(struct store *st, const struct view_log_filter *f,
                         struct view_log_row **out, size_t *n, int64_t *next);
int sqlite_citizen_anonymise(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                             const char *placeholder, const char *note, struct anon_counts *c);
int sqlite_retention_candidates(struct store *st, int64_t before, int64_t after, int limit,
                                int64_t **ids, size_t *n);
int sqlite_satisfaction_by_app(struct store *st, int64_t app_id, struct satisfaction **out,
                               size_t *n);
int sqlite_citizen_by_tc(struct store *st, const char *tc, struct citizen **out, size_t *n);
int sqlite_tc_counts(struct store *st, int64_t *plain, int64_t *sealed);
int sqlite_tc_seal_all(struct store *st, int64_t *n);
int sqlite_tc_page(struct store *st, int64_t after, int limit, struct tc_row **out, size_t *n);
int sqlite_tc_put(struct store *st, int64_t id, const char *old_tc, const char *tc,
                  const char *hash, const char *key_id);
int sqlite_tc_foreign(struct store *st, const char *key_id, int64_t *n);
int sqlite_retention_contacts(struct store *st, int64_t before, const char *placeholder, bool dry,
                              int64_t *contacts, int64_t *calls);

#endif
