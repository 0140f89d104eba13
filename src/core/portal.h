#ifndef ALO_CORE_PORTAL_H
#define ALO_CORE_PORTAL_H
/*
 * The citizen's phone (issue 16, issue 14 items 5 and 8): the public web form's checks (every
 * field at once), its create with an idempotency key (a submit queued offline and sent again
 * gives the same application), the consent to non-transactional messages, and the citizen's
 * own photo upload shortly after creating, authorised by the access code.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "store/store.h"
#include "util/err.h"

#define PORTAL_MAX_ERRORS 16
#define PORTAL_KEY_MIN 16 /* idempotency key: 16..64 of [A-Za-z0-9_-] */
#define PORTAL_KEY_MAX 64
#define PORTAL_PHOTO_WINDOW (2 * 3600) /* seconds after creating in which photos may be added */
#define PORTAL_PHOTOS_MAX 3            /* photos a citizen may add to their own application */
#define PORTAL_PHOTO_BYTES (4 << 20)   /* one photo, after the browser's resize (≈ 0.3 MB) */
#define PORTAL_NOTICE_MAX 20000        /* bytes of the admin's information notice */
#define PORTAL_CONSENT_MARKETING "marketing" /* store_consent_* kind the outbox reads */

/* One refused field: field is the form's field name, code one of "required", "too_short",
 * "too_long", "invalid", "unknown", "contact_required", "both_or_neither", "out_of_range"
 * (static strings). */
struct portal_field_error {
    const char *field;
    const char *code;
};

/* The form as the citizen sent it (strings borrowed; NULL or "" = not given). */
struct portal_form {
    const char *kind, *text, *category, *address, *name, *phone, *email, *key;
    int64_t district_id, neighbourhood_id;
    bool has_lat, has_lon;
    double lat, lon;
};

/* Check every field of f at once (reference data from st); the refused ones go to errs (at
 * most PORTAL_MAX_ERRORS, in form order). Returns how many. */
size_t portal_check(struct store *st, const struct portal_form *f,
                    struct portal_field_error errs[PORTAL_MAX_ERRORS]);

/* Is key a well-formed idempotency key (PORTAL_KEY_MIN..MAX of [A-Za-z0-9_-])? */
bool portal_key_ok(const char *key);

/* Create the application of in (core_app_create, actor NULL) once per key (NULL = no key):
 * a key seen before gives the application made for it (*replayed = true, nothing new is
 * stored); a key whose create is still running is ERR_CONFLICT named "in_progress". With
 * consent_marketing the new citizen's consent (kind PORTAL_CONSENT_MARKETING, source "web")
 * is recorded. *out: caller releases. */
int portal_create(struct store *st, const struct app_input *in, const char *key,
                  bool consent_marketing, struct app *out, bool *replayed, struct err_detail *ed);

/* The citizen adds a photo to their own application: tracking (as typed) and its access code
 * must match (ERR_NOT_FOUND otherwise, the same for every mismatch), within
 * PORTAL_PHOTO_WINDOW of its creation (ERR_FORBIDDEN "upload_closed") and with fewer than
 * PORTAL_PHOTOS_MAX files (ERR_CONFLICT "too_many_files"); then core_app_attach's checks apply
 * (type sniffed, size, filename). now: the current time. */
int portal_attach(struct store *st, const char *tracking, const char *code, const void *data,
                  size_t len, const char *filename, const char *declared, int64_t now,
                  struct attachment *out, struct err_detail *ed);

#endif
