#ifndef ALO_STORE_STORE_H
#define ALO_STORE_STORE_H
/*
 * Storage: the only way core, api and cli reach the database. All SQL lives in the backends
 * (store/sqlite/, and the others that store_int.h lists), chosen by the database argument.
 *
 * A struct store is one database connection: not thread-safe, use one per thread (a server
 * takes them from a struct store_pool).
 * Every function returns ERR_OK or a negative enum err_code, with detail in ed when given.
 * Mutations made outside store_begin()/store_commit() are each their own transaction;
 * core wraps multi-step changes (an application and its history event) in one.
 * Records returned through struct pointers are owned by the caller (free with *_release()).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/contact.h"
#include "model/open311.h"
#include "model/message.h"
#include "model/model.h"
#include "util/err.h"

struct store;

/* ---- connection and schema ---- */

/* The database argument db is a file path (SQLite) or a URL ("postgresql://…") naming a
 * backend; ERR_UNSUPPORTED when no backend of this build takes it. */
/* Open (creating if needed) the database and bring its schema up to date. */
int store_open(const char *db, struct store **out, struct err_detail *ed);
/* Open an existing database without migrating; ERR_NOT_FOUND when it does not exist,
 * ERR_CONFLICT when its schema is older than this program's (run `alo153 init`). */
int store_open_existing(const char *db, struct store **out, struct err_detail *ed);
void store_close(struct store *st);
/* Is db a URL (scheme://…) rather than a file path? */
bool store_is_url(const char *db);
/* "sqlite", "postgresql": the backend of the connection (static string). */
const char *store_backend_name(const struct store *st);
/* Schema version of the open database. */
int store_schema_version(struct store *st);
/* Is the database sound? With full, its structure is verified (SQLite: PRAGMA quick_check,
 * seconds for a large file: at start, not per request); without, only whether a damaged page
 * was met since the process opened it. ERR_STORE with the first problem in ed when damaged:
 * from then on every transaction of this process on it is refused (ERR_UNAVAILABLE), so
 * nothing more is written into a damaged file. ERR_UNAVAILABLE when it cannot be reached. */
int store_check(struct store *st, bool full, struct err_detail *ed);
/* Where the single writer's time went since the process opened the database (SQLite's group
 * commit, for /metrics): batches committed and what they carried, and the seconds the turn
 * was held, spent in COMMIT (its fsync included), and free while a transaction or a record
 * view was waiting for it (the hand-off between threads). held + handoff close to the wall
 * time means the writer is the limit. available is false where there is no such writer
 * (PostgreSQL, an in-memory database); every other field is then 0. */
struct store_write_stats {
    bool available;
    uint64_t commits;        /* batches committed (COMMIT statements run) */
    uint64_t failed_commits; /* of which failed: their transactions and views were failed */
    uint64_t transactions;   /* transactions released into the committed batches */
    uint64_t views;          /* record views inserted into them */
    double held_seconds;     /* the turn held: statements, savepoints, COMMITs */
    double commit_seconds;   /* in COMMIT */
    double handoff_seconds;  /* the turn free while someone waited for it */
};
void store_write_stats(struct store *st, struct store_write_stats *out);
/* Copy the whole database, as it is at the moment the copy starts, into dest, a file that must
 * not exist yet (the copy is written to dest.tmp, flushed and renamed, so dest is either whole
 * or absent). Other connections go on reading and writing meanwhile. progress(ctx, done,
 * total) is called with pages copied (may be NULL). SQLite only: ERR_UNSUPPORTED on
 * PostgreSQL, whose own tools (pg_dump, base backups) do it (docs/OPERATIONS.md). */
int store_backup(struct store *st, const char *dest,
                 void (*progress)(void *ctx, int done, int total), void *ctx,
                 struct err_detail *ed);

/* A transaction. Transactions nest (inner ones are savepoints: an inner rollback undoes only
 * its own part). After an error inside a transaction, roll back (the inner savepoint or the
 * whole) before making another call in it: PostgreSQL refuses any other.
 * Writers: on SQLite, store_begin() takes the database's write lock at once (writers queue,
 * and this process's queue commits in groups); on PostgreSQL writers run side by side and
 * queue on the rows they change (a lock timeout or deadlock fails the change, which is then
 * rolled back whole). */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st); /* safe to call when no transaction is open */
/* After a failed transaction: did it fail only because a concurrent one made it a deadlock
 * victim or a serialization failure (PostgreSQL; never on SQLite)? Then the caller may run the
 * whole transaction again from its store_begin(). False while an enclosing transaction is still
 * open (its owner decides). */
bool store_may_retry(struct store *st);
/* Begin an all-or-nothing transaction, for writers that end the whole transaction at any
 * error (a bulk load, a batch of call events): the store_begin()/store_commit() pairs nested
 * in it, and the functions that open their own, cost no savepoint each. A nested
 * store_rollback() therefore cannot undo its part alone: it marks the whole transaction failed
 * (the caller must then roll back; a store_commit() of it rolls back and returns ERR_INTERNAL).
 * Nested in another transaction it begins one savepoint for all it holds. */
int store_begin_all(struct store *st);

/* ---- connection pool of a multi-threaded server ---- */
struct store_pool;
/* A pool that opens existing databases (store_open_existing) for at most max threads. */
int store_pool_new(const char *db, int max, struct store_pool **out);
/* This thread's connection, opened on its first call and kept for the thread's life
 * (borrowed: the pool closes it). */
int store_pool_get(struct store_pool *p, struct store **out, struct err_detail *ed);
/* Close every connection handed out; no thread may still be using one. */
void store_pool_free(struct store_pool *p);

/* ---- moving a database to another backend (alo153 migrate) ---- */
/* Progress of store_copy / store_compare: rows of table seen so far; done on its last call
 * for the table. */
typedef void (*store_progress_fn)(void *ctx, const char *table, int64_t rows, bool done);
/* Copy every table of src into dst, table by table in dependency order, ids preserved (so
 * tracking numbers, links and history keep pointing right), the generated ids of dst then
 * continuing after the copied ones. dst must have this program's schema and hold no rows:
 * ERR_CONFLICT otherwise (nothing written). The copy is one transaction on dst: a failure
 * leaves dst as it was. progress (may be NULL) is called every 1000 rows and per table. */
int store_copy(struct store *src, struct store *dst, store_progress_fn progress, void *ctx,
               struct err_detail *ed);
/* Compare a and b table by table: row count and an order-independent checksum of the rows'
 * typed values. report(ctx, table, rows_a, rows_b, sum_a, sum_b) once per table (may be
 * NULL). ERR_OK when every table matches, ERR_CONFLICT (ed names the first table) when not. */
int store_compare(struct store *a, struct store *b,
                  void (*report)(void *ctx, const char *table, int64_t rows_a, int64_t rows_b,
                                 uint64_t sum_a, uint64_t sum_b),
                  void *ctx, struct err_detail *ed);

/* ---- settings (key → text) ---- */
/* Copy the value into out (NUL-terminated); ERR_NOT_FOUND when unset. */
int store_setting_get(struct store *st, const char *key, char *out, size_t outlen);
int store_setting_set(struct store *st, const char *key, const char *value);

/* ---- institutions, departments, categories ---- */
int store_institution_upsert(struct store *st, const char *code, const char *name, const char *kind,
                             int64_t *id);
/* Look up an institution's id by code; ERR_NOT_FOUND when unknown. */
int store_institution_id(struct store *st, const char *code, int64_t *id);
/* List institutions: calls fn once per row; a non-zero return stops the walk. */
int store_institution_each(struct store *st,
                           int (*fn)(void *ctx, int64_t id, const char *code, const char *name,
                                     const char *kind),
                           void *ctx);

/* Insert, or update by code. d->id is set. */
int store_department_upsert(struct store *st, struct department *d, struct err_detail *ed);
int store_department_get(struct store *st, int64_t id, struct department *out);
int store_department_by_code(struct store *st, const char *code, struct department *out);
/* All departments ordered by institution then code; *out is malloc'd (caller frees), *n rows. */
int store_department_list(struct store *st, struct department **out, size_t *n);
/* Is dept_id equal to or below ancestor_id in the department tree? */
bool store_department_within(struct store *st, int64_t dept_id, int64_t ancestor_id);

int store_category_upsert(struct store *st, struct category *c, struct err_detail *ed);
int store_category_get(struct store *st, int64_t id, struct category *out);
int store_category_by_code(struct store *st, const char *code, struct category *out);
/* Ordered by department then code; q (may be NULL) filters by Turkish folded match on
 * code, names and keywords. *out is malloc'd (caller frees). */
int store_category_list(struct store *st, const char *q, struct category **out, size_t *n);

/* ---- geography ---- */
int store_district_upsert(struct store *st, const char *province, const char *name, int64_t *id);
int store_neighbourhood_upsert(struct store *st, int64_t district_id, const char *name,
                               int64_t *id);
/* fn(ctx, id, name, province) per district of the configured province, by name. */
int store_district_each(struct store *st,
                        int (*fn)(void *ctx, int64_t id, const char *name, const char *province),
                        void *ctx);
int store_neighbourhood_each(struct store *st, int64_t district_id,
                             int (*fn)(void *ctx, int64_t id, const char *name), void *ctx);
/* Name of a district / neighbourhood into out; ERR_NOT_FOUND when no such id. For a
 * neighbourhood, *district_id receives its district (may be NULL). */
int store_district_name(struct store *st, int64_t id, char *out, size_t outlen);
int store_neighbourhood_name(struct store *st, int64_t id, int64_t *district_id, char *out,
                             size_t outlen);

/* ---- holidays ---- */
int store_holiday_set(struct store *st, const char *date, const char *name, bool half_day);
int store_holiday_delete(struct store *st, const char *date);
int store_holiday_each(struct store *st,
                       int (*fn)(void *ctx, const char *date, const char *name, bool half_day),
                       void *ctx);

/* ---- users, sessions, API tokens ---- */
/* Create a user; ERR_CONFLICT when the username is taken. u->id is set. */
int store_user_create(struct store *st, struct user *u, const char *password_hash,
                      struct err_detail *ed);
int store_user_get(struct store *st, int64_t id, struct user *out);
/* The user and their password hash (copied into hash, hashlen bytes). */
int store_user_by_name(struct store *st, const char *username, struct user *out, char *hash,
                       size_t hashlen);
int store_user_set_password(struct store *st, int64_t id, const char *password_hash);
int store_user_set_disabled(struct store *st, int64_t id, bool disabled);
int store_user_update(struct store *st, const struct user *u);
int store_user_list(struct store *st, struct user **out, size_t *n);

/* A session that lives until expires_at unless store_session_touch moves that, and never
 * beyond max_until (0 = no later than expires_at). */
int store_session_create(struct store *st, const char *token_hash, int64_t user_id,
                         int64_t expires_at, int64_t max_until);
/* Activity on a live session (expires_at > now): its expiry moves to idle_until, capped at its
 * max_until. Writes only when that moves it by more than STORE_SESSION_TOUCH_STEP seconds, so
 * a busy console does not write on every request. A session that is gone or expired, or one
 * without max_until, is left alone (ERR_OK). */
int store_session_touch(struct store *st, const char *token_hash, int64_t now, int64_t idle_until);
#define STORE_SESSION_TOUCH_STEP 60
/* A live session's expiry, as store_session_user found it. */
struct session_times {
    int64_t expires_at, max_until; /* max_until 0: the session never slides */
};
/* The user behind a live session (expired or disabled → ERR_NOT_FOUND); times, unless NULL,
 * gets the session's expiry, so that the caller touches it only when store_session_slides
 * says the touch would write (one statement per request instead of two). */
int store_session_user(struct store *st, const char *token_hash, int64_t now, struct user *out,
                       struct session_times *times);
/* Would store_session_touch(…, idle_until) move a session whose expiry is t? */
bool store_session_slides(const struct session_times *t, int64_t idle_until);
int store_session_delete(struct store *st, const char *token_hash);
/* Delete the sessions that expired before now (serve's session-purge job), so the table does
 * not grow with every login for good. */
int store_session_purge(struct store *st, int64_t now);
/* An API token (issue 12): times are 0 for never / none. */
struct api_token {
    int64_t id, user_id;
    char name[64];
    char username[64]; /* its user's (read only) */
    int64_t created_at, expires_at, revoked_at, last_used_at;
};
/* Store token t (name, user_id, created_at, expires_at) with the hash of its secret; t->id is
 * set. ERR_CONFLICT when the name is taken. */
int store_token_create(struct store *st, struct api_token *t, const char *token_hash);
/* The user behind a token that is not revoked and not expired at now (ERR_NOT_FOUND also for
 * a disabled user). */
int store_token_user(struct store *st, const char *token_hash, int64_t now, struct user *out);
/* The token with this hash, whatever its state (ERR_NOT_FOUND when unknown). */
int store_token_by_hash(struct store *st, const char *token_hash, struct api_token *out);
int store_token_get(struct store *st, int64_t id, struct api_token *out);
/* Every token by name; *out malloc'd (caller frees). */
int store_token_list(struct store *st, struct api_token **out, size_t *n);
/* Revoke token id at at (ERR_NOT_FOUND when unknown or already revoked). */
int store_token_revoke(struct store *st, int64_t id, int64_t at);
/* Remember that token id was used at at. */
int store_token_used(struct store *st, int64_t id, int64_t at);

/* ---- department grants (issue 12): a staff member or manager may also read (act false) or
 * read and act on (act true) another department's subtree (core/policy.h decides) ---- */
struct grant {
    int64_t user_id, department_id;
    char department_code[MODEL_CODE_LEN]; /* read only */
    bool act;
    int64_t created_at;
};
/* Insert or replace the grant of (g->user_id, g->department_id). */
int store_grant_set(struct store *st, const struct grant *g);
/* ERR_NOT_FOUND when there was none. */
int store_grant_delete(struct store *st, int64_t user_id, int64_t department_id);
/* The grants of user_id by department code; *out malloc'd (caller frees), *n may be 0. */
int store_grant_list(struct store *st, int64_t user_id, struct grant **out, size_t *n);

/* ---- the audit log (issue 12; written by core/audit.h only) ---- */
struct audit_entry {
    int64_t id, at, actor_id; /* actor_id 0: the command line, or nobody (a failed login) */
    char actor[64];           /* the actor's name then (or the name tried) */
    char kind[24];            /* login, login_failed, logout, user, password, grant, setting,
                               * category, holiday, template, token, department */
    char object[128];         /* what changed: a username, a setting key, a date, ... */
    char address[64];         /* the client's address ("" from the command line) */
    char *before, *after;     /* JSON of the record before and after ("" = none); malloc'd in
                               * a list, borrowed when adding */
};
void audit_entry_release(struct audit_entry *e);
int store_audit_add(struct store *st, const struct audit_entry *e);
struct audit_filter {
    int64_t from, to;  /* at in [from, to); 0 = open */
    const char *actor; /* NULL or "" = any */
    const char *kind;  /* NULL or "" = any */
    int64_t after;     /* keyset cursor: only ids below this; 0 = start */
    int limit;         /* 1..500 */
};
/* Newest first; *out malloc'd (release each, then free); *next the cursor of the next page
 * (0 when none). */
int store_audit_list(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                     size_t *n, int64_t *next);

/* ---- citizens ---- */
int store_citizen_create(struct store *st, struct citizen *c);
int store_citizen_get(struct store *st, int64_t id, struct citizen *out);
/* Citizens with this normalised phone, newest first; *out malloc'd array, release each. */
int store_citizen_by_phone(struct store *st, const char *phone, struct citizen **out, size_t *n);
/* KVKK: record that user viewed the citizen's record. */
int store_citizen_view_log(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                           const char *purpose);

/* ---- applications ---- */
/* Insert a new application: assigns a->id and the tracking number (per-year sequence, in the
 * caller's transaction), stores everything else as given. */
int store_app_create(struct store *st, struct app *a, struct err_detail *ed);
/* Write back every mutable field of a (by a->id). */
int store_app_update(struct store *st, const struct app *a);
int store_app_get(struct store *st, int64_t id, struct app *out);
int store_app_by_tracking(struct store *st, const char *tracking, struct app *out);

/* Which departments' data a read covers: decided once per request by core/policy.h
 * (policy_reach) and taken as is by the store's lists and counts and by the reports. The zero
 * value is "every department" (and the applications of none); limited: only the subtrees of
 * root[0..n) (no root: nothing at all). Roots never lie within one another (policy_reach keeps
 * the outermost), so the subtrees are disjoint and a count over them is the sum of their own. */
#define DEPT_REACH_MAX 64
struct dept_reach {
    bool limited;
    size_t n;
    int64_t root[DEPT_REACH_MAX];
};

struct app_filter {
    unsigned statuses;       /* bit (1 << enum app_status) per wanted status; 0 = any */
    int64_t department_id;   /* 0 = any; else this department and the ones below it */
    struct dept_reach reach; /* limited: only these subtrees (policy_reach: role isolation) */
    int64_t category_id, district_id, neighbourhood_id, citizen_id;               /* 0 = any */
    char channel[MODEL_WORD_LEN], kind[MODEL_WORD_LEN], priority[MODEL_WORD_LEN]; /* "" = any */
    int64_t from, to; /* created_at in [from, to); 0 = open */
    bool overdue;     /* open and past resolution_due at `now` */
    int64_t now;
    const char *q;     /* words to full-text search in text and address; NULL = none */
    bool by_due;       /* oldest resolution deadline first (none last), then id */
    int64_t after;     /* keyset cursor: newest first: only ids below this;
                        * by_due: after (after_due, after) in that order; 0 = start */
    int64_t after_due; /* by_due cursor: the deadline of the last row seen */
    int limit;         /* 1..500 */
    int64_t count_cap; /* store_app_count: count at most count_cap + 1 rows; 0 = exact */
};
/* Newest first, or by deadline. *out is a malloc'd array of n apps (release each, then
 * free); *next (and *next_due for by_due, may be NULL otherwise) is the cursor of the
 * following page, *next = 0 when there is none. */
int store_app_list(struct store *st, const struct app_filter *f, struct app **out, size_t *n,
                   int64_t *next, int64_t *next_due);
/* Count matching rows (for dashboards); limit/after ignored. */
int store_app_count(struct store *st, const struct app_filter *f, int64_t *count);

/* Count applications created in [from, to) (0 = open bound), grouped by dim: "status",
 * "department" (its code; "" when unrouted) or "channel"; within reach (NULL or not limited:
 * every department). fn(ctx, key, count) once per group. The dashboard's dims (keys of a day
 * are Istanbul day numbers since 1970-01-01, in decimal):
 *   "day"                 created in [from, to), by the day of creation
 *   "resolved_day"        resolved or closed with its answer (else closing) time in [from, to),
 *                         by that day
 *   "created_by"          created in [from, to), by the creator's username ("" = web form)
 *   "closed_by"           closings (events to "closed") in [from, to), by the user's username
 *   "resolved_department" resolved or closed, answered (else closed) in [from, to) as
 *                         "resolved_day", by department code (one definition, issue 14)
 *   "ontime_department"   … of those, answered (else closed) by their resolution deadline
 * ERR_INVALID for another dim. */
int store_app_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                          const struct dept_reach *reach,
                          int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);

/* Open applications (new, forwarded, in_progress) of a category created since `since`,
 * in the district (0 = any) or with coordinates; newest first, at most limit. For the
 * repeat finder. *out malloc'd, release each. */
int store_app_open_candidates(struct store *st, int64_t category_id, int64_t district_id,
                              int64_t since, int limit, struct app **out, size_t *n);

/* Closed applications with a category, for training: fn(ctx, text, category_code) each. */
int store_app_training_each(struct store *st,
                            int (*fn)(void *ctx, const char *text, const char *category),
                            void *ctx);

/* Routing quality: applications created in [from, to) that carry a routing suggestion;
 * fn(ctx, suggested_category, final_category) once each ("" when not routed yet). */
int store_app_suggestion_each(struct store *st, int64_t from, int64_t to,
                              int (*fn)(void *ctx, const char *suggested, const char *final),
                              void *ctx);
/* Record the suggestion made for an application at creation. */
int store_app_set_suggestion(struct store *st, int64_t app_id, const char *category,
                             double probability, bool urgent, const char *urgent_words);

/* Routing corrections (issue 13): one row per return, transfer, re-route or category change
 * by staff of an application; the training examples of alo153 train. */
struct correction {
    int64_t id, app_id, user_id, at; /* user_id 0: none */
    char action[16];                 /* return | transfer | route | category */
    const char *text;   /* listing only: the application's words (borrowed; never copied into the
                         * table, so anonymising the application anonymises its corrections) */
    char suggested[40]; /* the classifier's category at creation ("" none); on add, the
                         * application's stored suggestion wins over what is given */
    char previous[40];  /* category before the action ("" none) */
    char final[40];     /* category after ("" for a return: not known yet) */
};
/* Record one (c->id set). */
int store_correction_add(struct store *st, struct correction *c);
/* Corrections newest first, of one application (app_id > 0) or all (0), at most limit;
 * fn(ctx, c) each, c and its text valid during the call only. */
int store_correction_each(struct store *st, int64_t app_id, int limit,
                          int (*fn)(void *ctx, const struct correction *c), void *ctx);
/* Training examples: the last correction with a final category of each application,
 * fn(ctx, text, final_category) once per application. */
int store_correction_training_each(struct store *st,
                                   int (*fn)(void *ctx, const char *text, const char *category),
                                   void *ctx);

int store_event_add(struct store *st, struct app_event *e);
/* History of an application, oldest first; public_only hides internal notes. */
int store_event_list(struct store *st, int64_t app_id, bool public_only, struct app_event **out,
                     size_t *n);

int store_link_add(struct store *st, int64_t app_id, int64_t other_id, const char *kind);
int store_link_each(struct store *st, int64_t app_id,
                    int (*fn)(void *ctx, int64_t other_id, const char *tracking, const char *kind),
                    void *ctx);

/* Store content once by its hash (blob table) and attach it to an application. */
int store_attachment_add(struct store *st, struct attachment *at, const void *data, size_t len);
int store_attachment_list(struct store *st, int64_t app_id, struct attachment **out, size_t *n);
/* Content of an attachment of app_id: *data malloc'd (caller frees). */
/* Idempotency keys of a user's actions (issue 16: the field phone re-sends an action whose
 * answer it lost). Claim key for user_id at now: *state 0 = claimed (do the action, then
 * store_idem_finish), 1 = done before (*status and *body, malloc'd, caller frees: the answer
 * to repeat), 2 = a request with this key is still running. A claim still pending from before
 * stale_before (a crashed request) is taken over. */
int store_idem_claim(struct store *st, int64_t user_id, const char *key, int64_t now,
                     int64_t stale_before, int *state, int *status, char **body);
/* Record the answer of a claimed key (body NULL: drop the claim, the action may be retried). */
int store_idem_finish(struct store *st, int64_t user_id, const char *key, int status,
                      const char *body);
int store_attachment_get(struct store *st, int64_t app_id, int64_t id, struct attachment *meta,
                         void **data, size_t *len);

/* ---- the contact centre (model/contact.h) ---- */
/* Insert a contact (open when c->outcome is OUTCOME_NONE); c->id is set. */
int store_contact_create(struct store *st, struct contact *c);
/* ERR_NOT_FOUND when there is no such contact. *out: release with contact_release. */
int store_contact_get(struct store *st, int64_t id, struct contact *out);
/* The contact of a call (by calls.id); ERR_NOT_FOUND when it has none. */
int store_contact_by_call(struct store *st, int64_t call_id, struct contact *out);
/* Close an open contact: writes outcome, reason, category, institution, kb_article_id,
 * application_id, note and ended_at of c (by c->id), and citizen_id when c gives one. ERR_CONFLICT
 * when it is already closed, ERR_NOT_FOUND when there is no such contact. */
int store_contact_close(struct store *st, const struct contact *c);
/* Newest first; *out malloc'd array of n (release each, then free); *next the cursor of the
 * following page (0 = none). */
int store_contact_list(struct store *st, const struct contact_filter *f, struct contact **out,
                       size_t *n, int64_t *next);
/* Contacts started in [from, to) (0 = open bound) grouped by dim "outcome" ("" for open ones)
 * or "channel": fn(ctx, key, count) once per group. */
int store_contact_group_count(struct store *st, const char *dim, int64_t from, int64_t to,
                              int (*fn)(void *ctx, const char *key, int64_t n), void *ctx);

/* Record an exchange event; *added is false when the same (ref, type, at) was recorded before
 * (nothing is written then). */
int store_call_event_add(struct store *st, const struct call_event *e, bool *added);
/* Every event of call ref, by time; *out malloc'd array (caller frees). */
int store_call_events(struct store *st, const char *ref, struct call_event **out, size_t *n);
/* The call with the exchange's id ref; ERR_NOT_FOUND when none. */
int store_call_get(struct store *st, const char *ref, struct call *out);
/* Insert the call (c->id 0; c->id is set) or write back every field (by c->id; c->ref must name
 * the same call: ERR_INVALID otherwise), keeping the KPI rollups (below). */
int store_call_save(struct store *st, struct call *c);
/* store_call_save of a stored call (c->id = old->id), where old is the row as store_call_get
 * read it in the caller's open transaction: the rollups move from old without reading it
 * again. ERR_INVALID when the ids differ or no transaction is open. */
int store_call_update(struct store *st, const struct call *old, struct call *c);
/* Calls offered in [from, to) (0 = open bound), by offered_at: fn(ctx, call) once each; a
 * non-zero return stops the walk. */
int store_call_each(struct store *st, int64_t from, int64_t to,
                    int (*fn)(void *ctx, const struct call *c), void *ctx);

/* Set an agent's stored state (ready, paused, logged_out) and log the change. */
int store_agent_state_set(struct store *st, const struct agent_state *s);
/* ERR_NOT_FOUND when the agent never set a state. */
int store_agent_state_get(struct store *st, int64_t user_id, struct agent_state *out);
/* Every agent with a stored state, by username; *out malloc'd (caller frees). */
int store_agent_state_list(struct store *st, struct agent_state **out, size_t *n);
/* Queue an event for an agent's console; e->id is set (increasing). */
int store_agent_event_add(struct store *st, struct agent_event *e);
/* The agent's events with id > after, oldest first, at most limit; *out malloc'd. */
int store_agent_event_list(struct store *st, int64_t user_id, int64_t after, int limit,
                           struct agent_event **out, size_t *n);

/* Insert (a->id 0; a->id is set) or update (by a->id; ERR_NOT_FOUND when none) an article. */
int store_kb_save(struct store *st, struct kb_article *a);
/* ERR_NOT_FOUND when none; *out: release with kb_article_release. */
int store_kb_get(struct store *st, int64_t id, struct kb_article *out);
/* What store_kb_list returns. */
struct kb_query {
    const char *q;        /* Turkish full-text search; NULL or "" = every article */
    const char *category; /* NULL or "" = any */
    int64_t district;     /* > 0: that district's articles first, then province-wide ones,
                           * then the rest */
    enum kb_state state;  /* KB_CURRENT: active and valid at now; KB_ANY: every article */
    int64_t now;          /* the moment the validity is judged at */
    int limit;            /* 1..200 */
};
/* Articles matching q (ERR_INVALID for search text that is not UTF-8), ordered by district
 * (when given), then best match (when searching), then newest first. *out malloc'd array
 * (release each, then free). */
int store_kb_list(struct store *st, const struct kb_query *q, struct kb_article **out, size_t *n);

/* ---- KPI rollups (docs/CONTACT_CENTRE.md "KPIs over a period") ----
 * The additive counts of the calls (by the bucket of offered_at, queue, line and agent) and
 * contacts (by the bucket of started_at, channel and outcome) in buckets of span
 * ROLLUP_15M (UTC-aligned, so Istanbul-aligned too), ROLLUP_DAY (Istanbul days) and
 * ROLLUP_MONTH (Istanbul calendar months). They are
 * kept by store_call_save, store_contact_create and store_contact_close in the same
 * transaction as the change: a call's old contribution is taken out and its new one added;
 * the longest wait of a bucket, which cannot be subtracted, is recounted from its calls when
 * the call that held it changes. The thresholds are the settings "kpi_sl_s" (20) and
 * "kpi_short_s" (5): after changing them, run store_rollup_rebuild. */
#define ROLLUP_15M 900
#define ROLLUP_DAY 86400
#define ROLLUP_MONTH 2592000 /* a code, not a length: an Istanbul calendar month */

struct call_rollup {
    int64_t start;                /* the bucket's first second */
    char queue[CONTACT_LINE_LEN]; /* key (rows from store_call_rollup_each: "" = summed) */
    char line[CONTACT_LINE_LEN];  /* key */
    int64_t agent_id;             /* key (0 = no agent) */
    int64_t offered, answered, abandoned, short_abandoned, answered_in_sl;
    int64_t wait_sum, handle_sum, handled;
    int64_t max_wait; /* of the answered and abandoned calls */
};

struct rollup_filter {
    const char *queue; /* NULL or "" = any */
    const char *line;  /* NULL or "" = any */
    int64_t agent_id;  /* 0 = any */
};

/* The start of the bucket of span (ROLLUP_15M, ROLLUP_DAY, ROLLUP_MONTH) holding time t, and
 * the end (excluded) of the bucket of span starting at start. Pure. */
int64_t store_rollup_bucket(int span, int64_t t);
int64_t store_rollup_bucket_end(int span, int64_t start);
/* The thresholds the rollups are counted with (settings kpi_sl_s, kpi_short_s; 20 and 5). */
int store_rollup_thresholds(struct store *st, int *sl_s, int *short_s);
/* Call c's contribution to its bucket (span's start, its keys and counts). Pure. The wait is
 * answered_at (or abandoned_at, or ended_at when it ended unanswered) - offered_at; a call
 * neither answered nor ended counts as offered only; the handle time (talk + wrap-up) counts
 * once the answered call ended. */
void store_call_contribution(const struct call *c, int span, int sl_s, int short_s,
                             struct call_rollup *out);
/* Rows of span with start in [from, to) matching f, summed per start (max_wait the max), by
 * start: fn(ctx, row) once per bucket that has calls; a non-zero return stops the walk. */
int store_call_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                           const struct rollup_filter *f,
                           int (*fn)(void *ctx, const struct call_rollup *r), void *ctx);
/* Contacts of span's buckets with start in [from, to): fn(ctx, start, channel, outcome ("" =
 * open), n) per non-empty (start, channel, outcome), by start. */
int store_contact_rollup_each(struct store *st, int span, int64_t from, int64_t to,
                              int (*fn)(void *ctx, int64_t start, const char *channel,
                                        const char *outcome, int64_t n),
                              void *ctx);
/* Recompute every rollup from the calls and contacts (one transaction). */
int store_rollup_rebuild(struct store *st);

/* ---- application rollups (issue 11; docs/REPORTS.md "How it is computed") ----
 * Three tables of sums, each kept at two grains: per Istanbul day and per calendar month.
 *   ROLLUP_APPS     day|month × department × category × channel × kind: the counts below
 *   ROLLUP_PLACES   day|month × department × district × neighbourhood: applications
 *   ROLLUP_RESTIME  day|month × department × bin: resolved applications by working days
 *                   from creation to answer (bin = min(days, ROLLUP_RES_BINS - 1))
 * An application counts by its creation day. Core adds an application's contribution when
 * it is created and, when it changes, removes the old contribution and adds the new one in
 * the same transaction. Ids are 0 for "none" (unrouted, no category, no place). */
#define ROLLUP_RES_BINS 64
enum rollup_table { ROLLUP_APPS, ROLLUP_PLACES, ROLLUP_RESTIME };
enum rollup_grain { APP_GRAIN_DAY, APP_GRAIN_MONTH };

struct app_rollup {
    int grain; /* rows read: APP_GRAIN_DAY or APP_GRAIN_MONTH; ignored by store_rollup_app_add */
    int64_t bucket; /* a day number (time_days_from_civil), or a month: year * 12 + month - 1;
                     * store_rollup_app_add takes the creation day */
    int64_t department_id, category_id, district_id, neighbourhood_id;
    char channel[MODEL_WORD_LEN], kind[MODEL_WORD_LEN];
    int res_bin; /* ROLLUP_RESTIME rows; for add: -1 = not resolved */
    int64_t n, open, resolved, in_deadline, returned, transferred, reopened;
};
/* Add sign (+1 or -1) times r's counts to the day and month rows of the three tables (the
 * ROLLUP_RESTIME ones only when r->res_bin >= 0). */
int store_rollup_app_add(struct store *st, const struct app_rollup *r, int sign);
/* Rows of table t at grain with from <= bucket <= to, non-zero ones only: fn(ctx, row) once
 * each (the fields the table does not have are 0 / ""); a non-zero return stops the walk. */
int store_rollup_app_each(struct store *st, enum rollup_table t, enum rollup_grain grain,
                          int64_t from, int64_t to,
                          int (*fn)(void *ctx, const struct app_rollup *row), void *ctx);
/* Empty the three tables (for a rebuild, inside the caller's transaction). */
int store_rollup_app_clear(struct store *st);
/* Every application, by id, with what a rollup counts: the struct app's ids, kind, channel,
 * status and times (no text, address or names); actions is the set of lifecycle actions
 * (bit 1 << enum app_action) in its history. */
int store_app_report_each(struct store *st,
                          int (*fn)(void *ctx, const struct app *a, unsigned actions), void *ctx);
/* The set of lifecycle actions (bit 1 << enum app_action) in the history of application id. */
int store_event_actions(struct store *st, int64_t app_id, unsigned *actions);
/* Applications created in [from, to) open and past their resolution deadline at now (not on
 * hold), by department: fn(ctx, department_id, n) once per department (0 = unrouted). */
int store_app_overdue_each(struct store *st, int64_t from, int64_t to, int64_t now,
                           int (*fn)(void *ctx, int64_t department_id, int64_t n), void *ctx);
/* The texts of the applications of kind created in [from, to), newest first, at most limit:
 * fn(ctx, id, department_id, text). */
int store_app_text_each(struct store *st, const char *kind, int64_t from, int64_t to, int limit,
                        int (*fn)(void *ctx, int64_t id, int64_t department_id, const char *text),
                        void *ctx);
/* Complaints created in [from, to) by a citizen whose complaint of the same category was
 * closed in the 30 days before (at most limit rows looked at, newest first):
 * fn(ctx, category_id, department_id) once each. */
int store_app_comeback_each(struct store *st, int64_t from, int64_t to, int limit,
                            int (*fn)(void *ctx, int64_t category_id, int64_t department_id),
                            void *ctx);

/* ---- CİMER applications and intake messages (issue 15) ---- */
#define CIMER_NO_LEN 32     /* a CİMER application number + NUL */
#define CIMER_NOTE_LEN 1024 /* the clerk's note for "another institution" + NUL */
struct cimer_rec {
    int64_t app_id;
    char cimer_no[CIMER_NO_LEN];
    int64_t filed_at;    /* when the citizen applied in CİMER */
    int64_t promise_due; /* the municipality's promise (setting cimer.promise_days) */
    int64_t legal_due;   /* law 3071: 30 days */
    int64_t imported_at;
    int64_t answered_at;    /* answered in CİMER; 0 = not yet */
    int64_t institution_id; /* "belongs to another institution": where; 0 = none */
    char note[CIMER_NOTE_LEN];
    /* filled by reads from the application and the institution */
    char tracking[TRACKING_LEN];
    enum app_status status;
    char department_code[MODEL_CODE_LEN];
    char institution_code[MODEL_CODE_LEN];
};
/* Record application r->app_id as CİMER's r->cimer_no (answered_at, institution_id, note as
 * given). ERR_CONFLICT when the number or the application has a row already. */
int store_cimer_add(struct store *st, const struct cimer_rec *r);
/* The row of application app_id (or of CİMER number no); ERR_NOT_FOUND when none. */
int store_cimer_get(struct store *st, int64_t app_id, struct cimer_rec *out);
int store_cimer_by_no(struct store *st, const char *no, struct cimer_rec *out);
/* Write r's answered_at, institution_id and note; ERR_NOT_FOUND when there is no such row. */
int store_cimer_update(struct store *st, const struct cimer_rec *r);
/* The CİMER rows, open ones only (neither answered in CİMER nor sent to another institution)
 * when open_only, by promise_due then app_id, at most limit: *out malloc'd (caller frees). */
int store_cimer_list(struct store *st, bool open_only, int limit, struct cimer_rec **out,
                     size_t *n);
/* Remember message message_id of channel ("email", "whatsapp") taken in at `at`, with the
 * application and contact it made (0 = none) and whether it was flagged (broken encoding).
 * ERR_CONFLICT when it was seen before (nothing changes). */
int store_intake_add(struct store *st, const char *channel, const char *message_id, int64_t app_id,
                     int64_t contact_id, bool flagged, int64_t at);
/* Was message_id of channel taken in? ERR_OK with *app_id (0 = none), else ERR_NOT_FOUND. */
int store_intake_get(struct store *st, const char *channel, const char *message_id,
                     int64_t *app_id);

/* Is this connection the one poller of name ("imap") among every process on the database?
 * PostgreSQL: a session advisory lock, tried (never waited for) and kept while the connection
 * lives; SQLite: always (its one writer and intake_messages' key keep a message taken once). */
int store_poll_lock(struct store *st, const char *name, bool *mine);
/* ---- Open311 GeoReport v2 (issue 16; model/open311.h, docs/OPEN311.md) ---- */
/* Add a client's API key (its hash); *id is set. ERR_CONFLICT when the name is taken. */
int store_o311_key_add(struct store *st, const char *name, const char *key_hash, int64_t created_at,
                       int64_t *id);
/* The key with this hash: its id and name (into name, namelen bytes); ERR_NOT_FOUND when none. */
int store_o311_key_find(struct store *st, const char *key_hash, int64_t *id, char *name,
                        size_t namelen);
/* Record what an Open311 POST brought beside application r->app_id. */
int store_o311_request_add(struct store *st, const struct o311_request *r);
/* The Open311 record of application app_id, or (app_id 0) the one with this token;
 * ERR_NOT_FOUND when none. */
int store_o311_request_get(struct store *st, int64_t app_id, const char *token,
                           struct o311_request *out);
/* A category's attributes by pos; *out malloc'd (caller frees), *n of them (0: none). */
int store_o311_attr_list(struct store *st, int64_t category_id, struct o311_attr **out, size_t *n);
/* Replace every attribute of category_id by the n of a (n may be 0: remove them all). */
int store_o311_attr_replace(struct store *st, int64_t category_id, const struct o311_attr *a,
                            size_t n);
/* ---- the citizen's phone (issue 16, issue 14 item 8) ---- */
/* Claim the idempotency key a device sent with a public create. ERR_OK: the key is new and now
 * held (*app_id = 0): make the application, then store_public_key_set. ERR_CONFLICT: the key
 * was claimed before; *app_id is its application (0 = still being made, or the make failed). */
int store_public_key_claim(struct store *st, const char *key, int64_t at, int64_t *app_id);
/* The application made for a claimed key; app_id 0 frees the key (the create failed). */
int store_public_key_set(struct store *st, const char *key, int64_t app_id);
/* Record a citizen's consent of kind ("marketing": non-transactional messages such as surveys
 * and announcements), given or withdrawn at at, from source ("web", …). One row per kind: the
 * last answer counts. */
int store_consent_set(struct store *st, int64_t citizen_id, const char *kind, bool given,
                      int64_t at, const char *source);
/* The last answer of citizen_id for kind; ERR_NOT_FOUND when never asked (= not given). */
int store_consent_get(struct store *st, int64_t citizen_id, const char *kind, bool *given,
                      int64_t *at);
/* ---- outgoing messages and satisfaction (issue 15; docs/MESSAGES.md) ---- */
/* Insert a message (m->id set); m->idem_key must be unique (ERR_CONFLICT otherwise). Call it
 * inside the transaction of the event that causes the message. */
int store_outbox_add(struct store *st, struct outbox_msg *m);
/* Claim at most limit messages due at now: pending ones with next_at <= now and sending ones
 * whose claim ran out (claimed_until <= now: a sender died), oldest first; each becomes
 * sending with claimed_until = now + lease_s. Two senders (threads or processes, either
 * backend) never claim one row at once (PostgreSQL: FOR UPDATE SKIP LOCKED). *out malloc'd
 * (release each, then free). */
int store_outbox_claim(struct store *st, int64_t now, int64_t lease_s, int limit,
                       struct outbox_msg **out, size_t *n);
/* Record a claimed message's outcome: state (sent, pending, dead), attempts, next_at,
 * sent_at (0 = none) and the error text (NULL = ""). ERR_NOT_FOUND when no such row. */
int store_outbox_finish(struct store *st, int64_t id, const char *state, int attempts,
                        int64_t next_at, int64_t sent_at, const char *error);
/* ERR_NOT_FOUND when none; release with outbox_msg_release. */
int store_outbox_get(struct store *st, int64_t id, struct outbox_msg *out);
/* Messages newest first, state (NULL/"" = any) and app_id (0 = any), id < after (0 = from
 * the newest), at most limit (1..500). *out malloc'd (release each, then free). */
int store_outbox_list(struct store *st, const char *state, int64_t app_id, int64_t after, int limit,
                      struct outbox_msg **out, size_t *n);
/* How many messages are in each state: fn(ctx, state, n) once per non-empty state. */
int store_outbox_counts(struct store *st, int (*fn)(void *ctx, const char *state, int64_t n),
                        void *ctx);
/* A dead message back to pending, due at now, attempts 0 (same idempotency key).
 * ERR_NOT_FOUND when none, ERR_CONFLICT when it is not dead. */
int store_outbox_resend(struct store *st, int64_t id, int64_t now);
/* The template of (purpose, channel, lang); ERR_NOT_FOUND when none. Release with
 * msg_template_release. */
int store_template_get(struct store *st, const char *purpose, const char *channel, const char *lang,
                       struct msg_template *out);
/* Insert or replace the template of (t->purpose, t->channel, t->lang). */
int store_template_set(struct store *st, const struct msg_template *t);
/* Every stored template by purpose, channel, lang; *out malloc'd (release each, then free). */
int store_template_list(struct store *st, struct msg_template **out, size_t *n);
/* Remember a survey token's nonce for app_id (single use). ERR_CONFLICT for a known nonce. */
int store_survey_token_add(struct store *st, const char *nonce, int64_t app_id, int64_t created_at,
                           int64_t expires_at);
/* Use a token: *app_id its application, *expires_at its end; marks it used at now. ERR_NOT_FOUND
 * when unknown, ERR_CONFLICT when used before (nothing written; *app_id still set). */
int store_survey_token_use(struct store *st, const char *nonce, int64_t now, int64_t *app_id,
                           int64_t *expires_at);
/* Insert a rating (s->id set). */
int store_satisfaction_add(struct store *st, struct satisfaction *s);
/* Ratings given in [from, to) (0 = open bound), by time: fn(ctx, row) once each (row
 * borrowed); a non-zero return stops the walk. For the reports (per period, department,
 * category, channel, agent: every row carries them). */
int store_satisfaction_each(struct store *st, int64_t from, int64_t to,
                            int (*fn)(void *ctx, const struct satisfaction *s), void *ctx);
/* The citizen's consent to non-transactional messages (citizens.consent_marketing).
 * ERR_NOT_FOUND when no such citizen. */
int store_citizen_consent_get(struct store *st, int64_t citizen_id, bool *marketing);
int store_citizen_consent_set(struct store *st, int64_t citizen_id, bool marketing);
/* The language of messages to a citizen (citizens.lang: "tr" or "en"). ERR_NOT_FOUND when no
 * such citizen. */
int store_citizen_lang_set(struct store *st, int64_t citizen_id, const char *lang);
/* The id the transport returned for a sent message (WhatsApp: the wamid). ERR_NOT_FOUND. */
int store_outbox_ref_set(struct store *st, int64_t id, const char *ref);

/* ---- KVKK (issue 12; core/kvkk.h, docs/KVKK.md) ---- */
/* Which rows of the view log (citizen_views) to read: 0 = any; at in [from, to). */
struct view_log_filter {
    int64_t citizen_id, user_id, from, to;
    int64_t after; /* keyset: ids below this (newest first); 0 = start */
    int limit;     /* 1..500 */
};
struct view_log_row {
    int64_t id, citizen_id, user_id, at;
    char username[64];
    char purpose[64];
};
/* The view log, newest first; *out malloc'd (caller frees), *next the id to pass as after for
 * the next page (0 = no more). */
int store_view_log_list(struct store *st, const struct view_log_filter *f,
                        struct view_log_row **out, size_t *n, int64_t *next);
/* What store_citizen_anonymise erased. */
struct anon_counts {
    int64_t apps, contacts, messages, files;
};
/* Erase citizen_id's personal data, in the caller's transaction: the record becomes "Anonim"
 * (no phone, e-mail, T.C. number, address, consents; anonymised_at = at); their applications'
 * texts, addresses, positions, public answers and history notes become placeholder, their
 * attachments (and files no other attachment uses) are deleted, their contacts' and calls'
 * numbers and notes, their messages' addresses and texts and their ratings' comments are
 * emptied; every application gets a history event "anonymise" by user_id (0 = the system)
 * with note. Categories, departments, places, dates, statuses and channels stay, so every
 * statistic stays the same. ERR_NOT_FOUND when no such citizen. */
int store_citizen_anonymise(struct store *st, int64_t citizen_id, int64_t user_id, int64_t at,
                            const char *placeholder, const char *note, struct anon_counts *c);
/* Retention: citizens not yet anonymised whose applications are all final (closed, out of
 * scope, duplicate) and closed before `before`, and who made no contact since; with no
 * application at all, those recorded before `before` (people of contacts only); ids above
 * after, ascending, at most limit. *ids malloc'd (caller frees). */
int store_retention_candidates(struct store *st, int64_t before, int64_t after, int limit,
                               int64_t **ids, size_t *n);
/* The ratings of application app_id, by time; *out malloc'd (release each, then free). */
int store_satisfaction_by_app(struct store *st, int64_t app_id, struct satisfaction **out,
                              size_t *n);
/* Citizens with this T.C. number (found by its keyed hash when a key is loaded, util/tccrypt.h,
 * else by the plain number), newest first; *out malloc'd array, release each. */
int store_citizen_by_tc(struct store *st, const char *tc, struct citizen **out, size_t *n);
/* T.C. numbers at rest: how many are stored plain and how many sealed. */
int store_tc_counts(struct store *st, int64_t *plain, int64_t *sealed);
/* Seal every plain T.C. number with the loaded key (and store its hash); *n how many. The
 * caller holds no transaction: one is opened here. ERR_INVALID without a key. */
int store_tc_seal_all(struct store *st, int64_t *n);
/* A sealed T.C. number as stored, with the id of the key that sealed it ("" = not recorded:
 * sealed before keys had ids). */
struct tc_row {
    int64_t id;
    char tc[96];     /* TCCRYPT_SEALED_LEN */
    char key_id[17]; /* TCCRYPT_ID_LEN */
};
/* The sealed numbers of citizens with id above after, ascending, at most limit; *out malloc'd
 * (caller frees). */
int store_tc_page(struct store *st, int64_t after, int limit, struct tc_row **out, size_t *n);
/* Replace citizen id's sealed number old_tc by tc with its keyed hash and key id (key
 * rotation); ERR_CONFLICT when the stored number is no longer old_tc (nothing written). */
int store_tc_put(struct store *st, int64_t id, const char *old_tc, const char *tc, const char *hash,
                 const char *key_id);
/* How many sealed numbers were not recorded as sealed by the key key_id. */
int store_tc_foreign(struct store *st, const char *key_id, int64_t *n);
/* Retention of contacts and calls that name no kept person (in the caller's transaction): the
 * numbers (caller) of contacts started and of calls offered before `before`, and those
 * contacts' notes (replaced by placeholder), when the contact names no citizen or an
 * anonymised one, and the call no contact of a citizen still kept; the calls' events too.
 * dry only counts. *contacts and *calls: how many were (or would be) changed. */
int store_retention_contacts(struct store *st, int64_t before, const char *placeholder, bool dry,
                             int64_t *contacts, int64_t *calls);

#endif
