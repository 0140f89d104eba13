#include "core/kvkk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/citizen.h"
#include "core/policy.h"
#include "nlp/turkish.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define KVKK_LIST_MAX 500
#define KVKK_REASON_MAX 500
#define RETENTION_BATCH 200

static void kvkk_app_release(struct kvkk_app *a)
{
    app_release(&a->app);
    for (size_t i = 0; i < a->nevents; i++)
        app_event_release(&a->events[i]);
    free(a->events);
    for (size_t i = 0; a->contents && i < a->nfiles; i++)
        free(a->contents[i].data);
    free(a->contents);
    free(a->files);
    for (size_t i = 0; i < a->nmessages; i++)
        outbox_msg_release(&a->messages[i]);
    free(a->messages);
    for (size_t i = 0; i < a->nratings; i++)
        satisfaction_release(&a->ratings[i]);
    free(a->ratings);
}

void kvkk_dossier_release(struct kvkk_dossier *d)
{
    if (!d)
        return;
    citizen_release(&d->citizen);
    for (size_t i = 0; i < d->napps; i++)
        kvkk_app_release(&d->apps[i]);
    free(d->apps);
    for (size_t i = 0; i < d->ncontacts; i++)
        contact_release(&d->contacts[i]);
    free(d->contacts);
    free(d->views);
    memset(d, 0, sizeof(*d));
}

/* Everything about one application: history, files, messages, ratings. */
static int gather_app(struct store *st, struct kvkk_app *a)
{
    int rc = store_event_list(st, a->app.id, false, &a->events, &a->nevents);
    if (rc == ERR_OK)
        rc = store_attachment_list(st, a->app.id, &a->files, &a->nfiles);
    if (rc == ERR_OK)
        rc = store_outbox_list(st, NULL, a->app.id, 0, KVKK_LIST_MAX, &a->messages, &a->nmessages);
    if (rc == ERR_OK)
        rc = store_satisfaction_by_app(st, a->app.id, &a->ratings, &a->nratings);
    return rc;
}

/* The files' contents, when asked and within the cap (the setting, else the default). */
static int gather_files(struct store *st, struct kvkk_dossier *d, bool with_files)
{
    char v[32] = "";
    int64_t cap = KVKK_EXPORT_FILES_MAX;
    if (store_setting_get(st, KVKK_EXPORT_FILES_KEY, v, sizeof(v)) == ERR_OK && *v)
        parse_i64(v, 0, INT64_MAX, &cap);
    d->files_cap = cap;
    for (size_t i = 0; i < d->napps; i++)
        for (size_t j = 0; j < d->apps[i].nfiles; j++)
            d->files_bytes += d->apps[i].files[j].size;
    d->files_omitted = d->files_bytes > cap;
    if (!with_files || d->files_omitted)
        return ERR_OK;
    for (size_t i = 0; i < d->napps; i++) {
        struct kvkk_app *a = &d->apps[i];
        if (!a->nfiles)
            continue;
        a->contents = xcalloc(a->nfiles, sizeof(*a->contents));
        for (size_t j = 0; j < a->nfiles; j++) {
            struct attachment meta;
            int rc = store_attachment_get(st, a->app.id, a->files[j].id, &meta,
                                          &a->contents[j].data, &a->contents[j].len);
            if (rc == ERR_NOT_FOUND) /* erased meanwhile */
                continue;
            if (rc != ERR_OK)
                return rc;
        }
    }
    return ERR_OK;
}

int core_kvkk_export(struct store *st, const struct user *who, int64_t citizen_id, bool with_files,
                     struct kvkk_dossier *out, struct err_detail *ed)
{
    memset(out, 0, sizeof(*out));
    if (!who || policy_scope(who->role, POL_PRIVACY) != POL_ALL)
        return err_set(ed, ERR_FORBIDDEN, NULL, "only the data-protection officer or an admin");
    int rc = store_citizen_get(st, citizen_id, &out->citizen);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "no such citizen");
    /* the export is a view of the record: logged first, or nothing is gathered (fail closed) */
    if ((rc = core_citizen_view(st, who, citizen_id, "KVKK export", ed)) != ERR_OK) {
        kvkk_dossier_release(out);
        return rc;
    }
    out->made_at = time_now();
    struct app_filter f = { .citizen_id = citizen_id, .limit = KVKK_LIST_MAX };
    struct app *apps = NULL;
    size_t n = 0;
    int64_t next = 0;
    if ((rc = store_app_list(st, &f, &apps, &n, &next, NULL)) != ERR_OK)
        goto fail;
    out->apps = xcalloc(n ? n : 1, sizeof(*out->apps));
    for (size_t i = 0; i < n; i++)
        out->apps[i].app = apps[i]; /* moved */
    out->napps = n;
    free(apps);
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = gather_app(st, &out->apps[i]);
    if (rc != ERR_OK)
        goto fail;
    if ((rc = gather_files(st, out, with_files)) != ERR_OK)
        goto fail;
    struct contact_filter cf = { .citizen_id = citizen_id, .outcome = -1, .limit = KVKK_LIST_MAX };
    if ((rc = store_contact_list(st, &cf, &out->contacts, &out->ncontacts, &next)) != ERR_OK)
        goto fail;
    struct view_log_filter vf = { .citizen_id = citizen_id, .limit = KVKK_LIST_MAX };
    if ((rc = store_view_log_list(st, &vf, &out->views, &out->nviews, &next)) != ERR_OK)
        goto fail;
    if ((rc = store_citizen_consent_get(st, citizen_id, &out->consent_marketing)) != ERR_OK)
        goto fail;
    return ERR_OK;
fail:
    kvkk_dossier_release(out);
    return err_set(ed, rc, NULL, "could not gather the citizen's data");
}

static bool app_open(const struct app *a)
{
    return a->status != ST_CLOSED && a->status != ST_OUT_OF_SCOPE && a->status != ST_DUPLICATE;
}

/* Does citizen_id have an open application? Its tracking number into tracking. */
static int has_open_app(struct store *st, int64_t citizen_id, char *tracking, size_t len,
                        bool *open)
{
    struct app_filter f = { .citizen_id = citizen_id, .limit = 500 };
    int64_t next = 0;
    *open = false;
    do {
        struct app *apps = NULL;
        size_t n = 0;
        f.after = next;
        int rc = store_app_list(st, &f, &apps, &n, &next, NULL);
        if (rc != ERR_OK)
            return rc;
        for (size_t i = 0; i < n; i++) {
            if (!*open && app_open(&apps[i])) {
                *open = true;
                memcpy(tracking, apps[i].tracking, len < TRACKING_LEN ? len : TRACKING_LEN);
                tracking[len - 1] = '\0';
            }
            app_release(&apps[i]);
        }
        free(apps);
    } while (next && !*open);
    return ERR_OK;
}

int core_kvkk_anonymise(struct store *st, const struct user *who, int64_t citizen_id,
                        const char *reason, bool force, struct anon_counts *out,
                        struct err_detail *ed)
{
    struct anon_counts counts;
    struct citizen c;
    char tracking[TRACKING_LEN] = "";
    bool open = false;
    if (who && policy_scope(who->role, POL_PRIVACY) != POL_ALL)
        return err_set(ed, ERR_FORBIDDEN, NULL, "only the data-protection officer or an admin");
    if (!reason || !*reason)
        return err_set_named(ed, ERR_INVALID, "missing_field", "reason",
                             "give the reason for the erasure (the request, its date)");
    if (strlen(reason) > KVKK_REASON_MAX || !nlp_utf8_valid(reason, strlen(reason)))
        return err_set(ed, ERR_INVALID, "reason", "at most 500 bytes of UTF-8");
    int rc = store_citizen_get(st, citizen_id, &c);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "no such citizen");
    citizen_release(&c);
    if ((rc = has_open_app(st, citizen_id, tracking, sizeof(tracking), &open)) != ERR_OK)
        return err_set(ed, rc, NULL, "could not read the citizen's applications");
    if (open && !force)
        return err_set_named(ed, ERR_CONFLICT, "open_applications", NULL,
                             "Vatandaşın açık başvurusu var (%s); kişisel veriler başvuru "
                             "kapanmadan silinemez. Yine de silmek için \"force\": true "
                             "gönderin. / The citizen has an open application (%s); give "
                             "\"force\": true to erase anyway.",
                             tracking, tracking);
    rc = store_citizen_anonymise(st, citizen_id, who ? who->id : 0, time_now(), KVKK_PLACEHOLDER,
                                 reason, &counts);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not anonymise the citizen");
    if (who) /* a retention run logs its totals instead of a line per person */
        log_info("msg=\"citizen anonymised (KVKK)\" citizen=%lld user=%lld apps=%lld files=%lld",
                 (long long)citizen_id, (long long)who->id, (long long)counts.apps,
                 (long long)counts.files);
    if (out)
        *out = counts;
    return ERR_OK;
}

int core_kvkk_retention_years(struct store *st)
{
    char v[16] = "";
    if (store_setting_get(st, KVKK_RETENTION_KEY, v, sizeof(v)) != ERR_OK)
        return 0;
    int64_t y = 0;
    return parse_i64(v, 0, KVKK_RETENTION_MAX_YEARS, &y) ? (int)y : 0;
}

int core_kvkk_retention_set(struct store *st, int years, struct err_detail *ed)
{
    char v[16];
    if (years < 0 || years > KVKK_RETENTION_MAX_YEARS)
        return err_set(ed, ERR_INVALID, "years", "give whole years, 0 (off) to %d",
                       KVKK_RETENTION_MAX_YEARS);
    snprintf(v, sizeof(v), "%d", years);
    int rc = store_setting_set(st, KVKK_RETENTION_KEY, v);
    return rc == ERR_OK ? ERR_OK : err_set(ed, rc, NULL, "could not store the setting");
}

/* now minus whole calendar years (UTC; 29 February goes to 1 March). */
static int64_t years_before(int64_t now, int years)
{
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    tm.tm_year -= years;
    return (int64_t)timegm(&tm);
}

int core_kvkk_retention_run(struct store *st, int years, int64_t now, bool dry_run,
                            struct kvkk_retention *out, struct err_detail *ed)
{
    memset(out, 0, sizeof(*out));
    if (years < 0)
        years = core_kvkk_retention_years(st);
    if (years > KVKK_RETENTION_MAX_YEARS)
        return err_set(ed, ERR_INVALID, "years", "at most %d years", KVKK_RETENTION_MAX_YEARS);
    out->years = years;
    if (years == 0)
        return ERR_OK;
    out->before = years_before(now, years);
    int64_t after = 0;
    for (;;) {
        int64_t *ids = NULL;
        size_t n = 0;
        int rc = store_retention_candidates(st, out->before, after, RETENTION_BATCH, &ids, &n);
        if (rc != ERR_OK)
            return err_set(ed, rc, NULL, "could not find the citizens due");
        for (size_t i = 0; i < n; i++) {
            struct anon_counts c = { 0 };
            after = ids[i];
            if (!dry_run) {
                char reason[80];
                snprintf(reason, sizeof(reason), "Saklama süresi doldu (%d yıl)", years);
                rc = core_kvkk_anonymise(st, NULL, ids[i], reason, false, &c, ed);
                if (rc != ERR_OK) {
                    free(ids);
                    return rc;
                }
            } else {
                struct app_filter f = { .citizen_id = ids[i], .limit = 1 };
                int64_t count = 0;
                if (store_app_count(st, &f, &count) == ERR_OK)
                    c.apps = count;
            }
            out->citizens++;
            out->apps += c.apps;
            out->files += c.files;
        }
        free(ids);
        if (n < RETENTION_BATCH)
            break;
    }
    int rc = store_retention_contacts(st, out->before, KVKK_PLACEHOLDER, dry_run, &out->contacts,
                                      &out->calls);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not erase the numbers of old contacts and calls");
    if (!dry_run && (out->contacts || out->calls))
        log_info("msg=\"retention: contacts and calls of no kept person erased\" contacts=%lld "
                 "calls=%lld",
                 (long long)out->contacts, (long long)out->calls);
    return ERR_OK;
}

/* One row of a rotation: *put true when it must be written (sealed, hash filled). */
static int rotate_row(const struct tc_row *r, const struct tccrypt_key *old_key,
                      const struct tccrypt_key *new_key, char sealed[TCCRYPT_SEALED_LEN],
                      char hash[TCCRYPT_HASH_LEN], bool *put)
{
    char tc[16];
    *put = false;
    if (strcmp(r->key_id, new_key->id) == 0)
        return ERR_OK;
    if (tccrypt_open_with(new_key, r->tc, tc, sizeof(tc))) {
        /* sealed by the new key before ids were recorded: record it, keep the number */
        *put = tccrypt_hash_with(new_key, tc, hash);
        str_copy(sealed, TCCRYPT_SEALED_LEN, r->tc);
    } else if (tccrypt_open_with(old_key, r->tc, tc, sizeof(tc))) {
        *put = tccrypt_seal_with(new_key, tc, sealed) && tccrypt_hash_with(new_key, tc, hash);
    } else {
        return ERR_INVALID;
    }
    sodium_memzero(tc, sizeof(tc));
    return *put ? ERR_OK : ERR_INVALID;
}

int core_kvkk_rotate_key(struct store *st, const struct tccrypt_key *old_key,
                         const struct tccrypt_key *new_key, int batch,
                         void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx,
                         struct kvkk_rotation *out, struct err_detail *ed)
{
    int64_t plain = 0, after = 0;
    memset(out, 0, sizeof(*out));
    if (!old_key->have || !new_key->have)
        return err_set(ed, ERR_INVALID, NULL, "give the old and the new key");
    if (strcmp(old_key->id, new_key->id) == 0)
        return err_set(ed, ERR_INVALID, NULL, "the old and the new key are the same key");
    if (batch < 1)
        batch = 500;
    int rc = store_tc_counts(st, &plain, &out->total);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "cannot count the stored T.C. numbers");
    if (progress)
        progress(ctx, 0, out->total);
    for (;;) {
        struct tc_row *rows = NULL;
        size_t n = 0;
        if ((rc = store_tc_page(st, after, batch, &rows, &n)) != ERR_OK)
            return err_set(ed, rc, NULL, "cannot read the stored T.C. numbers");
        if (n == 0) {
            free(rows);
            return ERR_OK;
        }
        int64_t bad = 0, rotated = 0;
        if ((rc = store_begin(st)) != ERR_OK) {
            free(rows);
            return err_set(ed, rc, NULL, "cannot start a transaction");
        }
        for (size_t i = 0; i < n && rc == ERR_OK; i++) {
            char sealed[TCCRYPT_SEALED_LEN], hash[TCCRYPT_HASH_LEN];
            bool put = false;
            if ((rc = rotate_row(&rows[i], old_key, new_key, sealed, hash, &put)) != ERR_OK) {
                bad = rows[i].id;
                break;
            }
            if (!put) {
                out->skipped++;
                continue;
            }
            rc = store_tc_put(st, rows[i].id, rows[i].tc, sealed, hash, new_key->id);
            if (rc == ERR_CONFLICT) /* erased or rotated meanwhile: nothing of it to do */
                rc = ERR_OK;
            else if (rc == ERR_OK)
                rotated++;
        }
        after = rows[n - 1].id;
        free(rows);
        if (rc == ERR_OK)
            rc = store_commit(st);
        else
            store_rollback(st);
        if (bad)
            return err_set_named(ed, ERR_INVALID, "undecryptable", NULL,
                                 "the T.C. number of citizen %lld opens with neither key: is "
                                 "--old-key-file the key it was sealed with?",
                                 (long long)bad);
        if (rc != ERR_OK)
            return err_set(ed, rc, NULL, "could not write the re-encrypted T.C. numbers");
        out->rotated += rotated;
        if (progress)
            progress(ctx, out->rotated + out->skipped, out->total);
    }
}

int core_kvkk_key_check(struct store *st, int64_t *foreign, struct err_detail *ed)
{
    const char *id = tccrypt_key_id();
    int64_t after = 0;
    *foreign = 0;
    int rc = store_tc_foreign(st, id, foreign);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "cannot count the stored T.C. numbers");
    if (*foreign == 0 || !*id)
        return ERR_OK;
    /* adopt the numbers sealed before key ids were recorded that open with this key */
    for (;;) {
        struct tc_row *rows = NULL;
        size_t n = 0;
        if ((rc = store_tc_page(st, after, 500, &rows, &n)) != ERR_OK)
            return err_set(ed, rc, NULL, "cannot read the stored T.C. numbers");
        if (n == 0) {
            free(rows);
            break;
        }
        if ((rc = store_begin(st)) != ERR_OK) {
            free(rows);
            return err_set(ed, rc, NULL, "cannot start a transaction");
        }
        for (size_t i = 0; i < n && rc == ERR_OK; i++) {
            char tc[16], hash[TCCRYPT_HASH_LEN];
            if (rows[i].key_id[0] || !tccrypt_open(rows[i].tc, tc, sizeof(tc)))
                continue;
            if (tccrypt_hash(tc, hash)) {
                rc = store_tc_put(st, rows[i].id, rows[i].tc, rows[i].tc, hash, id);
                if (rc == ERR_CONFLICT)
                    rc = ERR_OK;
            }
            sodium_memzero(tc, sizeof(tc));
        }
        after = rows[n - 1].id;
        free(rows);
        if (rc == ERR_OK)
            rc = store_commit(st);
        else
            store_rollback(st);
        if (rc != ERR_OK)
            return err_set(ed, rc, NULL, "cannot record the key of the T.C. numbers");
    }
    rc = store_tc_foreign(st, id, foreign);
    return rc == ERR_OK ? ERR_OK : err_set(ed, rc, NULL, "cannot count the stored T.C. numbers");
}
