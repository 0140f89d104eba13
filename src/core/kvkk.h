#ifndef ALO_CORE_KVKK_H
#define ALO_CORE_KVKK_H
/*
 * KVKK (the Turkish personal-data law; issue 12, docs/KVKK.md): the person's right of access
 * (everything held about a citizen, gathered for an export that is itself logged as a view),
 * erasure on request (anonymisation that keeps every statistic), and the retention policy
 * (personal data of applications closed more than retention.years ago anonymised nightly).
 * Who may do it is the policy's POL_PRIVACY (admin and the data-protection officer, "dpo").
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/contact.h"
#include "model/message.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"
#include "util/tccrypt.h"

/* The text that replaces a person's free text (application texts, answers, notes). */
#define KVKK_PLACEHOLDER MODEL_ANON_TEXT
/* The setting that turns the retention policy on: whole years, 0 or absent = off. */
#define KVKK_RETENTION_KEY "retention.years"
#define KVKK_RETENTION_MAX_YEARS 50

/* A file's content in the export. */
struct kvkk_file {
    void *data; /* malloc'd, NULL when not loaded */
    size_t len;
};
/* The files' contents go into the export up to this many bytes in all per citizen (the setting
 * below changes it); above, the export lists them without contents and says so. */
#define KVKK_EXPORT_FILES_MAX (20 * 1024 * 1024)
#define KVKK_EXPORT_FILES_KEY "kvkk.export_files_max_bytes"

/* One application of the person with everything about it. */
struct kvkk_app {
    struct app app;
    struct app_event *events; /* history, oldest first */
    size_t nevents;
    struct attachment *files; /* metadata */
    size_t nfiles;
    struct kvkk_file *contents;  /* per file (same index) its content; NULL when left out */
    struct outbox_msg *messages; /* messages sent (or to be sent) about it */
    size_t nmessages;
    struct satisfaction *ratings; /* survey answers */
    size_t nratings;
};

/* Everything held about a citizen (the right of access, KVKK art. 11). */
struct kvkk_dossier {
    int64_t made_at;
    struct citizen citizen;
    bool consent_marketing;
    struct kvkk_app *apps; /* newest first (at most 500) */
    size_t napps;
    struct contact *contacts; /* newest first (at most 500) */
    size_t ncontacts;
    struct view_log_row *views; /* who viewed the record, newest first (at most 500) */
    size_t nviews;
    int64_t files_bytes; /* the size of all the person's files */
    int64_t files_cap;   /* the cap that applied */
    bool files_omitted;  /* files_bytes > files_cap: no contents loaded */
};
void kvkk_dossier_release(struct kvkk_dossier *d);

/* Gather everything held about citizen_id for who (POL_PRIVACY), with the files' contents when
 * with_files and they fit the cap (KVKK_EXPORT_FILES_MAX), logging the export as a view
 * first (purpose "KVKK export"): when the log cannot be written nothing is gathered
 * (ERR_UNAVAILABLE "view_log_unavailable", as core_citizen_view). ERR_FORBIDDEN without the
 * right, ERR_NOT_FOUND for no such citizen. *out is the caller's (kvkk_dossier_release). */
int core_kvkk_export(struct store *st, const struct user *who, int64_t citizen_id, bool with_files,
                     struct kvkk_dossier *out, struct err_detail *ed);

/* Erase citizen_id's personal data on request (store_citizen_anonymise), recording reason
 * (1..500 bytes of UTF-8, required) in each application's history. Refused with ERR_CONFLICT
 * "open_applications" while one of their applications is still open, unless force.
 * who NULL is the system (retention). *out what was erased (may be NULL). */
int core_kvkk_anonymise(struct store *st, const struct user *who, int64_t citizen_id,
                        const char *reason, bool force, struct anon_counts *out,
                        struct err_detail *ed);

/* What a retention run did (or, dry, would do). */
struct kvkk_retention {
    int years;      /* the policy applied (0 = off: nothing done) */
    int64_t before; /* applications closed before this were due */
    int64_t citizens, apps, files;
    int64_t contacts, calls; /* of no kept person: their numbers (and notes) erased */
};
/* The retention setting (0 when off or absent). */
int core_kvkk_retention_years(struct store *st);
/* Anonymise the citizens whose applications are all final and closed more than years before
 * now and who made no contact since (and people of contacts only, recorded before then), each
 * in its own transaction; then erase the numbers and notes of the older contacts and calls of
 * no kept person (store_retention_contacts). years 0 = off; < 0 = the setting; dry_run only
 * counts. ERR_INVALID for years above KVKK_RETENTION_MAX_YEARS. */
int core_kvkk_retention_run(struct store *st, int years, int64_t now, bool dry_run,
                            struct kvkk_retention *out, struct err_detail *ed);
/* Set the retention policy (0 = off). ERR_INVALID outside 0..KVKK_RETENTION_MAX_YEARS. */
int core_kvkk_retention_set(struct store *st, int years, struct err_detail *ed);

/* Key rotation (alo153 kvkk rotate-key): every sealed T.C. number opened with old_key and
 * sealed again, with a new keyed hash, under new_key, in transactions of `batch` rows. A
 * number already under new_key (by its recorded key id, or because it opens with it) is
 * skipped, so an interrupted run is finished by running it again. progress (may be NULL) is
 * told after each batch: done of total sealed numbers. ERR_INVALID "undecryptable" (nothing
 * more written) when a number opens with neither key; the numbers of earlier batches stay
 * under the new key. */
struct kvkk_rotation {
    int64_t total, rotated, skipped;
};
int core_kvkk_rotate_key(struct store *st, const struct tccrypt_key *old_key,
                         const struct tccrypt_key *new_key, int batch,
                         void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx,
                         struct kvkk_rotation *out, struct err_detail *ed);
/* Record the key id of the process's key on the sealed numbers that have none yet (sealed
 * before ids were kept) and open with it; *foreign then: how many sealed numbers are still
 * not under the process's key (a wrong key file, or a rotation not finished). */
int core_kvkk_key_check(struct store *st, int64_t *foreign, struct err_detail *ed);

#endif
