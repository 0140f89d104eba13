#ifndef ALO_CORE_APP_H
#define ALO_CORE_APP_H
/*
 * Applications: creation and every lifecycle action, each one transaction through the
 * store (the application row and its history event commit together or not at all).
 * Callers (api, cli, demo) pass already-parsed input; core validates meaning (known
 * category, neighbourhood within district, legal transition, caller's role and department).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "core/routing.h"
#include "store/store.h"
#include "util/err.h"

/* Input limits, enforced by core_app_create/core_app_act (the api also caps bodies). */
#define CORE_TEXT_MAX 8000 /* bytes of the citizen's words */
#define CORE_ADDRESS_MAX 500
#define CORE_NOTE_MAX 4000
#define CORE_ATTACH_MAX 20 /* files per application */

struct app_input {
    const char *kind;     /* request|complaint|suggestion|tip|information|thanks; NULL = request */
    const char *channel;  /* phone_153, desk, web, cimer, …; required */
    const char *priority; /* low|normal|high|urgent; NULL = the category's default or normal */
    const char *text;     /* required, 3..CORE_TEXT_MAX bytes of valid UTF-8 */
    const char *category; /* category code; NULL = not yet known (stays new) */
    int64_t district_id;  /* 0 = unknown */
    int64_t neighbourhood_id; /* 0 = unknown; must belong to district_id */
    const char *address;      /* free text, may be NULL */
    bool has_geo;
    double lat, lon;             /* WGS84, checked for range */
    int64_t citizen_id;          /* 0 = anonymous */
    struct citizen *new_citizen; /* or: register this citizen in the same transaction (id set) */
    const struct routing_result
        *routing;       /* the classifier's suggestion, computed beforehand (may be NULL):
                         * stored with the application; urgent words raise the priority to
                         * urgent; with no category given, a confident suggestion (not DIS)
                         * sets the category and forwards at once */
    bool route;         /* also forward it to the category's department at once */
    int64_t created_at; /* 0 = now (demo data passes past times) */
};

struct act_input {
    const char
        *note; /* reason / internal note; required by return, reject-answer, reopen, note, hold */
    const char *response;    /* respond: the public answer (required) */
    const char *category;    /* route / transfer: new category code */
    const char *department;  /* transfer: target department code (e.g. a district's Beyaz Masa) */
    const char *institution; /* out-of-scope: where to turn; default: the category's redirect */
    int64_t duplicate_of;    /* duplicate: the application this one repeats */
    const char *duplicate_of_tracking; /* or its tracking number (YYYY-NNNNNN); NULL = none */
    int64_t at;                        /* 0 = now */
};

/* The known kinds and channels (NULL-terminated lists, for validation and the UI). */
extern const char *const core_kinds[];
extern const char *const core_channels[];
extern const char *const core_priorities[];
bool core_word_in(const char *const *list, const char *w);

/* Load the holiday calendar from the store; call at start and after holidays change. */
int core_calendar_reload(struct store *st);
/* After the stored holidays changed: record it for every process (a new holidays.version
 * setting, checked before each deadline is computed) and reload this one's calendar. */
int core_holidays_changed(struct store *st);
/* Working days between two instants by the loaded calendar (calendar_working_days_between). */
int core_working_days_between(int64_t from, int64_t to);

/* Create an application (status new, or forwarded when in->route). actor is NULL for the
 * public web form. On success *out holds the stored application (caller releases). */
int core_app_create(struct store *st, const struct user *actor, const struct app_input *in,
                    struct app *out, struct err_detail *ed);

/* Apply a lifecycle action. ERR_NOT_FOUND when the application does not exist or is not
 * visible to actor; ERR_FORBIDDEN when the role may not do it; ERR_CONFLICT named
 * "invalid_transition" (with ed->allowed) when the transition is illegal; ERR_INVALID for bad
 * input. On success *out is the updated application (caller releases). */
int core_app_act(struct store *st, const struct user *actor, int64_t id, enum app_action action,
                 const struct act_input *in, struct app *out, struct err_detail *ed);

/* Attach a file (data, len bytes; filename as the client named it, may be NULL) to
 * application id, with its history event, in one transaction. The type is sniffed from the
 * first bytes: JPEG, PNG, WebP or PDF, else ERR_UNSUPPORTED named "unsupported_media_type";
 * declared is the client's Content-Type (NULL = none): any but application/octet-stream must
 * be the sniffed type, else the same error. A file name that is not valid UTF-8 or holds
 * bidirectional controls is ERR_INVALID (field "filename"), refused before anything is
 * stored. ERR_NOT_FOUND when actor may not see the application; ERR_CONFLICT when it already
 * has CORE_ATTACH_MAX files (counted inside the transaction). *out is the stored attachment.
 * actor NULL: the citizen's own photo, authorised by the caller (portal_attach only). */
int core_app_attach(struct store *st, const struct user *actor, int64_t id, const void *data,
                    size_t len, const char *filename, const char *declared, struct attachment *out,
                    struct err_detail *ed);

/* What the field phone says about a photo it sends (issue 16). */
struct attach_opts {
    const char *stage; /* NULL/"", "before" or "after" (else ERR_INVALID, field "stage") */
    bool has_geo;      /* the device's own position, kept when the photo has no EXIF GPS */
    double lat, lon;
};

/* core_app_attach with opts (may be NULL). Photos (JPEG, PNG, WebP) are checked with
 * core/photo: HEIC/HEIF is ERR_UNSUPPORTED named "heic_not_supported"; a file whose name
 * (.jpg .jpeg .png .webp .gif .heic) or declared type says image but whose bytes are no image
 * is ERR_UNPROCESSABLE "not_an_image"; an image whose header cannot be read "invalid_image";
 * more than PHOTO_MAX_SIDE a side or PHOTO_MAX_PIXELS "image_too_large". The pixel size, the
 * EXIF capture time and GPS position are stored with it (GPS from EXIF first, else the
 * device's position with geo_source "device"); the bytes are kept as sent (staff see the
 * original, core_app_public_photo strips them). */
int core_app_attach_photo(struct store *st, const struct user *actor, int64_t id, const void *data,
                          size_t len, const char *filename, const char *declared,
                          const struct attach_opts *opts, struct attachment *out,
                          struct err_detail *ed);

/* The copy of photo aid of application app_id that people outside the municipality see (the
 * citizen's tracking page, Open311): metadata stripped (photo_strip). Only photos are public:
 * documents (PDF) and unknown ids are ERR_NOT_FOUND. *data malloc'd (caller frees), *mime
 * static. The caller has checked that the asker may see the application. */
int core_app_public_photo(struct store *st, int64_t app_id, int64_t aid, void **data, size_t *len,
                          const char **mime);

/* Whether application a may be answered (respond, close) as far as proof goes: ERR_OK, or
 * ERR_UNPROCESSABLE named "proof_required" when its category requires an "after" photo and
 * none is attached. Inside the caller's transaction. */
int core_app_check_proof(struct store *st, const struct app *a, struct err_detail *ed);

/* Link application id to other_id ("related"), with a history event carrying note (may be
 * NULL), in one transaction. ERR_INVALID for a link to itself, ERR_NOT_FOUND when actor may
 * not see id, ERR_UNPROCESSABLE when other_id does not exist or actor may not see it. On
 * success *out is the application id (caller releases). */
int core_app_link(struct store *st, const struct user *actor, int64_t id, int64_t other_id,
                  const char *note, struct app *out, struct err_detail *ed);

/* May actor see this application? Staff and managers only see their department's subtree. */
bool core_app_visible(struct store *st, const struct user *actor, const struct app *a);

/* Is the application past its resolution deadline at `now` (open, not on hold)? */
bool core_app_overdue(const struct app *a, int64_t now);

#endif
