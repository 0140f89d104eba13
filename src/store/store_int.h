#ifndef ALO_STORE_STORE_INT_H
#define ALO_STORE_STORE_INT_H
/*
 * The backend contract behind store.h (as SQLite's btreeInt.h is behind btree.h): a backend
 * fills one struct store_ops and embeds struct store as the first member of its own
 * connection struct, so that store.c can dispatch every store_*() call through st->ops.
 *
 * Only store.c and the backends (store/sqlite/, store/pg/) and the conformance suite's fault
 * wrapper include this header. Every member has the meaning, errors and ownership that
 * store.h documents for the store_*() function of the same name.
 */
#include "store/store.h"

struct store_ops;

/* ---- the generic table copy of store_copy() (store.h) ----
 * A table as both backends have it: the same name and columns (every column but derived
 * ones: SQLite's applications_fts, PostgreSQL's applications.fts, which each backend writes
 * itself), walked in the order of its key columns. The list is in store.c. */
struct store_table {
    const char *name;
    const char *const *cols; /* ncols column names; the key columns come first */
    int ncols;
    int nkey;    /* the first nkey columns are the key the rows are walked by */
    bool has_id; /* column "id" is a generated id (identity / rowid) */
};

enum store_cell_kind { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT, CELL_BLOB };

/* One value of a copied row: text is NUL-terminated (len its length), a blob len bytes. */
struct store_cell {
    enum store_cell_kind kind;
    int64_t i;
    double r;
    const char *p;
    size_t len;
};

/* The head of every backend's connection. */
struct store {
    const struct store_ops *ops;
    /* The last failure was a serialization failure or a deadlock with a concurrent transaction
     * (PostgreSQL 40001/40P01; SQLite never sets it): running the transaction again may succeed.
     * Set by the backend, cleared by the outermost store_begin() (store_may_retry). */
    bool retryable;
    /* An all-or-nothing transaction (store_begin_all) is open: the begin/commit pairs nested in
     * it (all_nested deep) open no savepoint; a nested rollback sets all_failed. */
    bool all_open, all_failed;
    int all_nested;
    /* The KPI thresholds (store_rollup_thresholds) as read in the open transaction; forgotten
     * when it ends and when a setting is written. */
    bool kpi_known;
    int kpi_sl_s, kpi_short_s;
    /* The rollup additions of the open all-or-nothing transaction, summed per row and not yet
     * written (store/rollup.c; NULL until the first). */
    struct rollup_pending *pending;
};

struct store_ops {
    const char *name; /* "sqlite", "postgresql" */
    /* Does this backend take the database argument db (a path, a URL)? */
    bool (*accepts)(const char *db);
    /* Open a connection: migrate = create if missing and bring the schema up to date;
     * otherwise the database must exist with this program's schema (store.h). */
    int (*open)(const char *db, bool migrate, struct store **out, struct err_detail *ed);
    void (*close)(struct store *st);
    /* Nesting depth of store_begin() on st (0: no transaction open). */
    int (*tx_depth)(struct store *st);
    int (*schema_version)(struct store *st);
    /* Is the database sound? full: verify its structure (SQLite's quick_check) and remember a
     * damaged one; otherwise only say whether damage was seen (store.h store_check). */
    int (*check)(struct store *st, bool full, struct err_detail *ed);
    /* The group commit's figures (store.h store_write_stats); out is zeroed by the caller. */
    void (*write_stats)(struct store *st, struct store_write_stats *out);
    /* A consistent copy of the whole database into the new file dest (store.h store_backup). */
    int (*backup)(struct store *st, const char *dest,
                  void (*progress)(void *ctx, int done, int total), void *ctx,
                  struct err_detail *ed);
    int (*begin)(struct store *st);
    int (*commit)(struct store *st);
    void (*rollback)(struct store *st);
    int (*setting_get)(struct store *st, const char *key, char *out, size_t outlen);
    int (*setting_set)(struct store *st, const char *key, const char *value);
    int (*institution_upsert)(struct store *st, const char *code, const char *name,
                              const char *kind, int64_t *id);
    int (*institution_id)(struct store *st, const char *code, int64_t *id);
    int (*institution_each)(struct store *st,
                            int (*fn)(void *ctx, int64_t id, const char *code, const char *name,
                                      const char *kind),
                            void *ctx);
    int (*department_upsert)(struct store *st, struct department *d, struct err_detail *ed);
    int (*department_get)(struct store *st, int64_t id, struct department *out);
    int (*department_by_code)(struct store *st, const char *code, struct department *out);
    int (*department_list)(struct store *st, struct department **out, size_t *n);
    bool (*department_within)(struct store *st, int64_t dept_id, int64_t ancestor_id);
    int (*category_upsert)(struct store *st, struct category *c, struct err_detail *ed);
    int (*category_get)(struct store *st, int64_t id, struct category *out);
    int (*category_by_code)(struct store *st, const char *code, struct category *out);
    int (*category_list)(struct store *st, const char *q, struct category **out, size_t *n);
    int (*district_upsert)(struct store *st, const char *province, const char *name, int64_t *id);
    int (*neighbourhood_upsert)(struct store *st, int64_t district_id, const char *name,
                                int64_t *id);
    int (*district_each)(struct store *st,
                         int (*fn)(void *ctx, int64_t id, const char *name, const char *province),
                         void *ctx);
    int (*neighbourhood_each)(struct store *st, int64_t district_id,
                              int (*fn)(void *ctx, int64_t id, const char *name), void *ctx);
    int (*district_name)(struct store *st, int64_t id, char *out, size_t outlen);
    int (*neighbourhood_name)(struct store *st, int64_t id, int64_t *district_id, char *out,
                              size_t outlen);
    int (*holiday_set)(struct store *st, const char *date, const char *name, bool half_day);
    int (*holiday_delete)(struct store *st, const char *date);
    int (*holiday_each)(struct store *st,
                        int (*fn)(void *ctx, const char *date, const char *name, bool half_day),
                        void *ctx);
    int (*user_create)(struct store *st, struct user *u, const char *password_hash,
                       struct err_detail *ed);
    int (*user_get)(struct store *st, int64_t id, struct user *out);
    int (*user_by_name)(struct store *st, const char *username, struct user *out, char *hash,
                        size_t hashlen);
    int (*user_set_password)(struct store *st, int64_t id, const char *password_hash);
    int (*user_set_disabled)(struct store *st, int64_t id, bool disabled);
    int (*user_update)(struct store *st, const struct user *u);
    int (*user_list)(struct store *st, struct user **out, size_t *n);
    int (*session_create)(struct store *st, const char *token_hash, int64_t user_id,
                          int64_t expires_at, int64_t max_until);
    int (*session_touch)(struct store *st, const char *token_hash, int64_t now, int64_t idle_until);
    int (*session_user)(struct store *st, const char *token_hash, int64_t now, struct user *out,
                        struct session_times *times);
    int (*session_delete)(struct store *st, const char *token_hash);
    int (*session_purge)(struct store *st, int64_t now);
    int (*token_create)(struct store *st, struct api_token *t, const char *token_hash);
    int (*token_user)(struct store *st, const char *token_hash, int64_t now, struct user *out);
    int (*token_by_hash)(struct store *st, const char *token_hash, struct api_token *out);
    int (*token_get)(struct store *st, int64_t id, struct api_token *out);
    int (*token_list)(struct store *st, struct api_token **out, size_t *n);
    int (*token_revoke)(struct store *st, int64_t id, int64_t at);
    int (*token_used)(struct store *st, int64_t id, int64_t at);
    int (*grant_set)(struct store *st, const struct grant *g);
    int (*grant_delete)(struct store *st, int64_t user_id, int64_t department_id);
    int (*grant_list)(struct store *st, int64_t user_id, struct grant **out, size_t *n);
    int (*audit_add)(struct store *st, const struct audit_entry *e);
    int (*audit_list)(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                      size_t *n, int64_t *next);
    int (*citizen_create)(struct store *st, struct citizen *c);
    int (*citizen_get)(struct store *st, int64_t id, struct citizen *out);
    int (*citizen_by_phone)(struct store *st, const char *phone, struct citizen **out, size_t *n);
    int (*citizen_view_log)(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                            const char *purpose);
    /* The same outside any transaction: durable when it returns ERR_OK. A backend may join
     * it to other work's commit (SQLite: the next group-commit batch, sqlite/db.c). */
    int (*citizen_view_log_alone)(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                                  const char *purpose);
    int (*app_create)(struct store *st, struct app *a, struct err_detail *ed);
    int (*app_update)(struct store *st, const struct app *a);
    int (*app_get)(struct store *st, int64_t id, struct app *out);
    int (*app_by_tracking)(struct store *st, const char *tracking, struct app *out);
    int (*app_list)(struct store *st, const struct app_filter *f, struct app **out, size_t *n,
                    int64_t *next, int64_t *next_due);
    int (*app_count)(struct store *st, const struct app_filter *f, int64_t *count);
    int (*app_group_count)(struct store *st, const char *dim, int64_t from, int64_t to,
                           const struct dept_reach *reach,
                           int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);
    int (*app_open_candidates)(struct store *st, int64_t category_id, int64_t district_id,
                               int64_t since, int limit, struct app **out, size_t *n);
    int (*app_training_each)(struct store *st,
                             int (*fn)(void *ctx, const char *text, const char *category),
                             void *ctx);
    int (*app_suggestion_each)(struct store *st, int64_t from, int64_t to,
                               int (*fn)(void *ctx, const char *suggested, const char *final),
                               void *ctx);
    int (*app_set_suggestion)(struct store *st, int64_t app_id, const char *category,
                              double probability, bool urgent, const char *urgent_words);
    int (*correction_add)(struct store *st, struct correction *c); /* issue 13 */
    int (*correction_each)(struct store *st, int64_t app_id, int limit,
                           int (*fn)(void *ctx, const struct correction *c), void *ctx);
    int (*correction_training_each)(struct store *st,
                                    int (*fn)(void *ctx, const char *text, const char *category),
                                    void *ctx);
    int (*event_add)(struct store *st, struct app_event *e);
    int (*event_list)(struct store *st, int64_t app_id, bool public_only, struct app_event **out,
                      size_t *n);
    int (*link_add)(struct store *st, int64_t app_id, int64_t other_id, const char *kind);
    int (*link_each)(struct store *st, int64_t app_id,
                     int (*fn)(void *ctx, int64_t other_id, const char *tracking, const char *kind),
                     void *ctx);
    int (*attachment_add)(struct store *st, struct attachment *at, const void *data, size_t len);
    int (*attachment_list)(struct store *st, int64_t app_id, struct attachment **out, size_t *n);
    int (*attachment_get)(struct store *st, int64_t app_id, int64_t id, struct attachment *meta,
                          void **data, size_t *len);
    int (*idem_claim)(struct store *st, int64_t user_id, const char *key, int64_t now,
                      int64_t stale_before, int *state, int *status, char **body);
    int (*idem_finish)(struct store *st, int64_t user_id, const char *key, int status,
                       const char *body);
    /* store_copy(): every row of table t in key order, fn(ctx, row) with t->ncols cells
     * (borrowed until fn returns); a non-zero return of fn stops the walk (returned as is). */
    int (*table_each)(struct store *st, const struct store_table *t,
                      int (*fn)(void *ctx, const struct store_cell *row), void *ctx);
    /* Insert one row of t as given, generated ids included (derived columns are written by
     * the backend). */
    int (*table_insert)(struct store *st, const struct store_table *t,
                        const struct store_cell *row);
    /* After rows were inserted with their ids: make t's next generated id follow the
     * largest (PostgreSQL's identity sequences; nothing to do on SQLite). */
    int (*table_copied)(struct store *st, const struct store_table *t);
    int (*contact_create)(struct store *st, struct contact *c);
    int (*contact_get)(struct store *st, int64_t id, struct contact *out);
    int (*contact_by_call)(struct store *st, int64_t call_id, struct contact *out);
    int (*contact_close)(struct store *st, const struct contact *c);
    int (*contact_list)(struct store *st, const struct contact_filter *f, struct contact **out,
                        size_t *n, int64_t *next);
    int (*contact_group_count)(struct store *st, const char *dim, int64_t from, int64_t to,
                               int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);
    int (*call_event_add)(struct store *st, const struct call_event *e, bool *added);
    int (*call_events)(struct store *st, const char *ref, struct call_event **out, size_t *n);
    int (*call_get)(struct store *st, const char *ref, struct call *out);
    int (*call_save)(struct store *st, struct call *c);
    int (*call_each)(struct store *st, int64_t from, int64_t to,
                     int (*fn)(void *ctx, const struct call *c), void *ctx);
    int (*agent_state_set)(struct store *st, const struct agent_state *s);
    int (*agent_state_get)(struct store *st, int64_t user_id, struct agent_state *out);
    int (*agent_state_list)(struct store *st, struct agent_state **out, size_t *n);
    int (*agent_event_add)(struct store *st, struct agent_event *e);
    int (*agent_event_list)(struct store *st, int64_t user_id, int64_t after, int limit,
                            struct agent_event **out, size_t *n);
    int (*kb_save)(struct store *st, struct kb_article *a);
    int (*kb_get)(struct store *st, int64_t id, struct kb_article *out);
    int (*kb_list)(struct store *st, const struct kb_query *q, struct kb_article **out, size_t *n);
    /* ---- the KPI rollups (store.h; kept by store/rollup.c) ----
     * Add d's counts (signed) to the call_rollup row of (span, d->start, d->queue, d->line,
     * d->agent_id), creating it; max_wait becomes max(max_wait, d->max_wait), recounted from
     * the calls of the bucket and keys when recount_max; a row left with offered 0 is
     * deleted (looked for when d->offered < 0 or recount_max). */
    int (*call_rollup_add)(struct store *st, int span, const struct call_rollup *d,
                           bool recount_max);
    /* Add delta to the contact_rollup row (span, start, channel, outcome); a row left with 0
     * is deleted. */
    int (*contact_rollup_add)(struct store *st, int span, int64_t start, const char *channel,
                              const char *outcome, int64_t delta);
    int (*call_rollup_each)(struct store *st, int span, int64_t from, int64_t to,
                            const struct rollup_filter *f,
                            int (*fn)(void *ctx, const struct call_rollup *r), void *ctx);
    int (*contact_rollup_each)(struct store *st, int span, int64_t from, int64_t to,
                               int (*fn)(void *ctx, int64_t start, const char *channel,
                                         const char *outcome, int64_t n),
                               void *ctx);
    /* Empty both rollup tables and recount contact_rollup from the contacts (buckets of
     * ROLLUP_15M; ROLLUP_DAY and ROLLUP_MONTH with days starting at day_offset seconds before
     * UTC midnight); store_rollup_rebuild then adds the calls one by one. */
    int (*rollup_reset)(struct store *st, int64_t day_offset);
    /* application rollups (issue 11) */
    int (*rollup_app_add)(struct store *st, const struct app_rollup *r, int sign);
    int (*rollup_app_each)(struct store *st, enum rollup_table t, enum rollup_grain grain,
                           int64_t from, int64_t to,
                           int (*fn)(void *ctx, const struct app_rollup *row), void *ctx);
    int (*rollup_app_clear)(struct store *st);
    int (*app_report_each)(struct store *st,
                           int (*fn)(void *ctx, const struct app *a, unsigned actions), void *ctx);
    int (*event_actions)(struct store *st, int64_t app_id, unsigned *actions);
    int (*app_overdue_each)(struct store *st, int64_t from, int64_t to, int64_t now,
                            int (*fn)(void *ctx, int64_t department_id, int64_t n), void *ctx);
    int (*app_text_each)(struct store *st, const char *kind, int64_t from, int64_t to, int limit,
                         int (*fn)(void *ctx, int64_t id, int64_t department_id, const char *text),
                         void *ctx);
    int (*app_comeback_each)(struct store *st, int64_t from, int64_t to, int limit,
                             int (*fn)(void *ctx, int64_t category_id, int64_t department_id),
                             void *ctx);
    /* CİMER and the intake messages (issue 15) */
    int (*cimer_add)(struct store *st, const struct cimer_rec *r);
    int (*cimer_get)(struct store *st, int64_t app_id, struct cimer_rec *out);
    int (*cimer_by_no)(struct store *st, const char *no, struct cimer_rec *out);
    int (*cimer_update)(struct store *st, const struct cimer_rec *r);
    int (*cimer_list)(struct store *st, bool open_only, int limit, struct cimer_rec **out,
                      size_t *n);
    int (*intake_add)(struct store *st, const char *channel, const char *message_id, int64_t app_id,
                      int64_t contact_id, bool flagged, int64_t at);
    int (*intake_get)(struct store *st, const char *channel, const char *message_id,
                      int64_t *app_id);
    int (*poll_lock)(struct store *st, const char *name, bool *mine);
    /* Open311 (issue 16) */
    int (*o311_key_add)(struct store *st, const char *name, const char *key_hash,
                        int64_t created_at, int64_t *id);
    int (*o311_key_find)(struct store *st, const char *key_hash, int64_t *id, char *name,
                         size_t namelen);
    int (*o311_request_add)(struct store *st, const struct o311_request *r);
    int (*o311_request_get)(struct store *st, int64_t app_id, const char *token,
                            struct o311_request *out);
    int (*o311_attr_list)(struct store *st, int64_t category_id, struct o311_attr **out, size_t *n);
    int (*o311_attr_replace)(struct store *st, int64_t category_id, const struct o311_attr *a,
                             size_t n);
    /* the citizen's phone (issue 16): idempotency keys and consents (store.h) */
    int (*public_key_claim)(struct store *st, const char *key, int64_t at, int64_t *app_id);
    int (*public_key_set)(struct store *st, const char *key, int64_t app_id);
    int (*consent_set)(struct store *st, int64_t citizen_id, const char *kind, bool given,
                       int64_t at, const char *source);
    int (*consent_get)(struct store *st, int64_t citizen_id, const char *kind, bool *given,
                       int64_t *at);
    /* outgoing messages and satisfaction (issue 15) */
    int (*outbox_add)(struct store *st, struct outbox_msg *m);
    int (*outbox_claim)(struct store *st, int64_t now, int64_t lease_s, int limit,
                        struct outbox_msg **out, size_t *n);
    int (*outbox_finish)(struct store *st, int64_t id, const char *state, int attempts,
                         int64_t next_at, int64_t sent_at, const char *error);
    int (*outbox_get)(struct store *st, int64_t id, struct outbox_msg *out);
    int (*outbox_list)(struct store *st, const char *state, int64_t app_id, int64_t after,
                       int limit, struct outbox_msg **out, size_t *n);
    int (*outbox_counts)(struct store *st, int (*fn)(void *ctx, const char *state, int64_t n),
                         void *ctx);
    int (*outbox_resend)(struct store *st, int64_t id, int64_t now);
    int (*template_get)(struct store *st, const char *purpose, const char *channel,
                        const char *lang, struct msg_template *out);
    int (*template_set)(struct store *st, const struct msg_template *t);
    int (*template_list)(struct store *st, struct msg_template **out, size_t *n);
    int (*survey_token_add)(struct store *st, const char *nonce, int64_t app_id, int64_t created_at,
                            int64_t expires_at);
    int (*survey_token_use)(struct store *st, const char *nonce, int64_t now, int64_t *app_id,
                            int64_t *expires_at);
    int (*satisfaction_add)(struct store *st, struct satisfaction *s);
    int (*satisfaction_each)(struct store *st, int64_t from, int64_t to,
                             int (*fn)(void *ctx, const struct satisfaction *s), void *ctx);
    int (*citizen_consent_get)(struct store *st, int64_t citizen_id, bool *marketing);
    int (*citizen_consent_set)(struct store *st, int64_t citizen_id, bool marketing);
    /* KVKK (issue 12; store.h) */
    int (*view_log_list)(struct store *st, const struct view_log_filter *f,
                         struct view_log_row **out, size_t *n, int64_t *next);
    int (*citizen_anonymise)(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                             const char *placeholder, const char *note, struct anon_counts *c);
    int (*retention_candidates)(struct store *st, int64_t before, int64_t after, int limit,
                                int64_t **ids, size_t *n);
    int (*satisfaction_by_app)(struct store *st, int64_t app_id, struct satisfaction **out,
                               size_t *n);
    int (*citizen_by_tc)(struct store *st, const char *tc, struct citizen **out, size_t *n);
    int (*tc_counts)(struct store *st, int64_t *plain, int64_t *sealed);
    int (*tc_seal_all)(struct store *st, int64_t *n);
    int (*tc_page)(struct store *st, int64_t after, int limit, struct tc_row **out, size_t *n);
    int (*tc_put)(struct store *st, int64_t id, const char *old_tc, const char *tc,
                  const char *hash, const char *key_id);
    int (*tc_foreign)(struct store *st, const char *key_id, int64_t *n);
    int (*retention_contacts)(struct store *st, int64_t before, const char *placeholder, bool dry,
                              int64_t *contacts, int64_t *calls);
    int (*citizen_lang_set)(struct store *st, int64_t citizen_id, const char *lang);
    int (*outbox_ref_set)(struct store *st, int64_t id, const char *ref);
};

/* store/rollup.c, for store.c: the mutations that keep the rollups (as the store.h functions
 * of the same name without the rollup_ prefix, inside the caller's transaction). */
int rollup_call_save(struct store *st, struct call *c);
int rollup_call_update(struct store *st, const struct call *old, struct call *c);
int rollup_contact_create(struct store *st, struct contact *c);
int rollup_contact_close(struct store *st, const struct contact *c);
int rollup_app_add(struct store *st, const struct app_rollup *r, int sign);
/* Write the rollup additions summed in an all-or-nothing transaction (before its commit and
 * before a read of a rollup in it), drop them (its rollback), free them (the connection's
 * close). */
int store_rollup_flush(struct store *st);
void store_rollup_drop(struct store *st);
void store_rollup_free(struct store *st);

/* The backends this program was built with. */
extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

#endif
