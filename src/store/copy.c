/* store_copy and store_compare (store.h): the tables both backends share, copied and
 * compared through the backends' generic table walker and inserter (store_int.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"
#include "util/banned.h"

#define COLS(...)                                                                                  \
    (const char *const[]){ __VA_ARGS__ },                                                          \
        (int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

/* Every table, parents before children (foreign keys hold row by row while inserting; a
 * department's parent and an application's duplicate_of have a smaller id). A table added by
 * a migration must be added here, with the same columns on both backends. */
/* clang-format off */
static const struct store_table copy_tables[] = {
    { "settings", COLS("key", "value"), 1, false },
    { "institutions", COLS("id", "code", "name", "kind"), 1, true },
    { "departments", COLS("id", "code", "parent_id", "institution_id", "name_tr", "name_en",
                          "active"), 1, true },
    { "categories", COLS("id", "code", "department_id", "name_tr", "name_en", "keywords",
                         "folded", "first_response_days", "sla_days", "working_days",
                         "priority", "redirect", "active", "proof_required"), 1, true },
    { "districts", COLS("id", "province", "name", "folded"), 1, true },
    { "neighbourhoods", COLS("id", "district_id", "name"), 1, true },
    { "holidays", COLS("day", "name", "half_day"), 1, false },
    { "users", COLS("id", "username", "full_name", "role", "department_id", "password_hash",
                    "disabled", "created_at"), 1, true },
    { "sessions", COLS("token_hash", "user_id", "expires_at", "max_until"), 1, false },
    { "api_tokens", COLS("id", "token_hash", "name", "user_id", "created_at", "expires_at",
                         "revoked_at", "last_used_at"), 1, true },
    { "citizens", COLS("id", "name", "phone", "email", "tc", "address", "created_at",
                       "consent_marketing", "anonymised_at", "tc_hash", "lang", "tc_key"), 1, true },
    { "citizen_views", COLS("id", "citizen_id", "user_id", "at", "purpose"), 1, true },
    { "tracking_seq", COLS("year", "last"), 1, false },
    { "applications", COLS("id", "tracking", "access_code", "kind", "channel", "priority",
                           "status", "category_id", "department_id", "text", "district_id",
                           "neighbourhood_id", "address", "lat", "lon", "citizen_id",
                           "created_by", "created_at", "updated_at", "forwarded_at",
                           "first_response_due", "resolution_due", "first_response_at",
                           "responded_at", "closed_at", "hold_since", "held_seconds",
                           "public_response", "duplicate_of", "redirect"), 1, true },
    { "events", COLS("id", "app_id", "at", "user_id", "action", "from_status", "to_status",
                     "note", "public"), 1, true },
    { "links", COLS("app_id", "other_id", "kind"), 2, false },
    { "blobs", COLS("hash", "size", "data"), 1, false },
    { "attachments", COLS("id", "app_id", "hash", "mime", "filename", "created_at", "stage",
                          "width", "height", "taken_at", "lat", "lon", "geo_source"), 1, true },
    { "idempotency_keys", COLS("user_id", "key", "state", "status", "body", "created_at"), 2,
      false },
    { "suggestions", COLS("app_id", "category", "probability", "urgent", "urgent_words"), 1,
      false },
    { "calls", COLS("id", "ref", "line", "queue", "caller", "agent_id", "offered_at",
                    "answered_at", "abandoned_at", "transferred_at", "ended_at", "last_event_at"), 1,
      true },
    { "call_events", COLS("ref", "type", "at", "agent_id", "line", "queue", "caller", "reason"),
      3, false },
    { "kb_articles", COLS("id", "title", "body", "keywords", "category", "active", "created_at",
                          "updated_at", "districts", "phones", "valid_from", "valid_until"), 1,
      true },
    { "contacts", COLS("id", "channel", "direction", "district_id", "caller", "citizen_id",
                       "user_id", "call_id", "started_at", "answered_at", "ended_at", "outcome",
                       "reason", "category", "institution", "kb_article_id", "application_id",
                       "note"), 1, true },
    { "agent_states", COLS("user_id", "state", "reason", "since"), 1, false },
    { "agent_state_log", COLS("id", "user_id", "state", "reason", "at"), 1, true },
    { "agent_events", COLS("id", "user_id", "kind", "contact_id", "at"), 1, true },
    { "call_rollup", COLS("span", "start", "queue", "line", "agent_id", "offered", "answered",
                          "abandoned", "short_abandoned", "answered_in_sl", "wait_sum",
                          "handle_sum", "handled", "max_wait"), 5, false },
    { "cimer_apps", COLS("app_id", "cimer_no", "filed_at", "promise_due", "legal_due",
                         "imported_at", "answered_at", "institution_id", "note"), 1, false },
    { "intake_messages", COLS("channel", "message_id", "app_id", "contact_id", "flagged",
                              "received_at"), 2, false },
    { "contact_rollup", COLS("span", "start", "channel", "outcome", "n"), 4, false },
    { "public_keys", COLS("key", "application_id", "created_at"), 1, false },
    { "citizen_consents", COLS("citizen_id", "kind", "given", "at", "source"), 2, false },
    { "app_rollup", COLS("grain", "bucket", "department_id", "category_id", "channel", "kind",
                         "n", "open", "resolved", "in_deadline", "returned", "transferred",
                         "reopened"), 6, false },
    { "app_rollup_place", COLS("grain", "bucket", "department_id", "district_id",
                               "neighbourhood_id", "n"), 5, false },
    { "app_rollup_restime", COLS("grain", "bucket", "department_id", "bin", "n"), 4, false },
    { "category_attributes", COLS("id", "category_id", "code", "pos", "datatype", "required",
                                  "description_tr", "description_en", "choices"), 1, true },
    { "open311_keys", COLS("id", "name", "key_hash", "created_at"), 1, true },
    { "open311_requests", COLS("app_id", "token", "key_id", "media_url", "attributes",
                               "device_id", "account_id"), 1, false },
    /* issue 15: outgoing messages and satisfaction */
    { "outbox", COLS("id", "idem_key", "channel", "recipient", "subject", "body", "purpose",
                     "lang", "transactional", "app_id", "citizen_id", "state", "attempts",
                     "next_at", "claimed_until", "created_at", "sent_at", "last_error",
                     "segments", "provider_ref"), 1, true },
    { "message_templates", COLS("purpose", "channel", "lang", "subject", "body", "updated_at"),
      3, false },
    { "survey_tokens", COLS("nonce", "app_id", "created_at", "expires_at", "used_at"), 1, false },
    { "satisfaction", COLS("id", "app_id", "contact_id", "call_ref", "rating", "comment",
                           "source", "department_id", "category_id", "channel", "agent_id", "at"),
      1, true },
    /* issue 13: routing corrections (training examples) */
    { "corrections", COLS("id", "app_id", "action", "suggested", "previous", "final",
                          "user_id", "at"), 1, true },
    /* issue 12: rights and the audit log */
    { "user_grants", COLS("user_id", "department_id", "act", "created_at"), 2, false },
    { "audit_log", COLS("id", "at", "actor_id", "actor", "kind", "object", "address", "before",
                        "after"), 1, true },
};
/* clang-format on */

#define NTABLES (sizeof(copy_tables) / sizeof(copy_tables[0]))
#define PROGRESS_EVERY 1000

/* ---- the copy ---- */

struct copy_ctx {
    struct store *dst;
    const struct store_table *t;
    store_progress_fn progress;
    void *pctx;
    int64_t rows;
    int rc;
};

static int copy_row(void *vc, const struct store_cell *row)
{
    struct copy_ctx *c = vc;
    if ((c->rc = c->dst->ops->table_insert(c->dst, c->t, row)) != ERR_OK)
        return 1;
    if (++c->rows % PROGRESS_EVERY == 0 && c->progress)
        c->progress(c->pctx, c->t->name, c->rows, false);
    return 0;
}

static int any_row(void *ctx, const struct store_cell *row)
{
    (void)row;
    *(bool *)ctx = true;
    return 1;
}

/* ERR_OK when no table of st holds a row, ERR_CONFLICT (naming it) when one does. */
static int check_empty(struct store *st, struct err_detail *ed)
{
    for (size_t i = 0; i < NTABLES; i++) {
        bool found = false;
        int rc = st->ops->table_each(st, &copy_tables[i], any_row, &found);
        if (rc != ERR_OK && rc != 1)
            return err_set(ed, rc, NULL, "cannot read table %s of the target", copy_tables[i].name);
        if (found)
            return err_set(ed, ERR_CONFLICT, "to",
                           "the target database is not empty (table %s has rows): migrate "
                           "only into a new database",
                           copy_tables[i].name);
    }
    return ERR_OK;
}

static int copy_table(struct store *src, struct copy_ctx *c, struct err_detail *ed)
{
    c->rows = 0;
    c->rc = ERR_OK;
    int rc = src->ops->table_each(src, c->t, copy_row, c);
    if (rc == 1)
        return err_set(ed, c->rc, NULL, "cannot insert row %" PRId64 " of table %s", c->rows + 1,
                       c->t->name);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "cannot read table %s of the source", c->t->name);
    if (c->t->has_id && (rc = c->dst->ops->table_copied(c->dst, c->t)) != ERR_OK)
        return err_set(ed, rc, NULL, "cannot advance the ids of table %s", c->t->name);
    if (c->progress)
        c->progress(c->pctx, c->t->name, c->rows, true);
    return ERR_OK;
}

int store_copy(struct store *src, struct store *dst, store_progress_fn progress, void *ctx,
               struct err_detail *ed)
{
    struct copy_ctx c = { .dst = dst, .progress = progress, .pctx = ctx };
    int rc = check_empty(dst, ed);
    if (rc != ERR_OK)
        return rc;
    if ((rc = store_begin(dst)) != ERR_OK)
        return err_set(ed, rc, NULL, "cannot begin a transaction on the target");
    for (size_t i = 0; i < NTABLES && rc == ERR_OK; i++) {
        c.t = &copy_tables[i];
        rc = copy_table(src, &c, ed);
    }
    if (rc != ERR_OK) {
        store_rollback(dst);
        return rc;
    }
    if ((rc = store_commit(dst)) != ERR_OK)
        return err_set(ed, rc, NULL, "the copy could not be committed");
    return ERR_OK;
}

/* ---- the comparison ---- */

struct sum_ctx {
    int ncols;
    int64_t rows;
    uint64_t sum;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* A row's hash over its cells' kinds and values (numbers in a fixed text form); the rows'
 * hashes are added, so that the order the backends return rows in does not matter. */
static int sum_row(void *vc, const struct store_cell *row)
{
    struct sum_ctx *c = vc;
    uint64_t h = 0xcbf29ce484222325ULL;
    char num[40];
    for (int i = 0; i < c->ncols; i++) {
        const struct store_cell *x = &row[i];
        unsigned char kind = (unsigned char)x->kind;
        h = fnv(h, &kind, 1);
        switch (x->kind) {
        case CELL_NULL: break;
        case CELL_INT: h = fnv(h, num, (size_t)snprintf(num, sizeof(num), "%" PRId64, x->i)); break;
        case CELL_REAL: h = fnv(h, num, (size_t)snprintf(num, sizeof(num), "%.17g", x->r)); break;
        case CELL_TEXT:
        case CELL_BLOB:
            h = fnv(h, &x->len, sizeof(x->len));
            h = fnv(h, x->p, x->len);
            break;
        }
    }
    c->sum += h;
    c->rows++;
    return 0;
}

static int table_sum(struct store *st, const struct store_table *t, struct sum_ctx *out)
{
    *out = (struct sum_ctx){ .ncols = t->ncols };
    return st->ops->table_each(st, t, sum_row, out);
}

int store_compare(struct store *a, struct store *b,
                  void (*report)(void *ctx, const char *table, int64_t rows_a, int64_t rows_b,
                                 uint64_t sum_a, uint64_t sum_b),
                  void *ctx, struct err_detail *ed)
{
    int rc = ERR_OK;
    for (size_t i = 0; i < NTABLES; i++) {
        const struct store_table *t = &copy_tables[i];
        struct sum_ctx sa, sb;
        int r;
        if ((r = table_sum(a, t, &sa)) != ERR_OK || (r = table_sum(b, t, &sb)) != ERR_OK)
            return err_set(ed, r, NULL, "cannot read table %s", t->name);
        if (report)
            report(ctx, t->name, sa.rows, sb.rows, sa.sum, sb.sum);
        if (rc == ERR_OK && (sa.rows != sb.rows || sa.sum != sb.sum))
            rc = err_set(ed, ERR_CONFLICT, NULL,
                         "table %s differs: %" PRId64 " rows against %" PRId64 "%s", t->name,
                         sa.rows, sb.rows, sa.rows == sb.rows ? ", different contents" : "");
    }
    return rc;
}
