/* The citizen's phone: the public form's checks, its idempotent create, consents and the
 * citizen's own photo upload (portal.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/portal.h"
#include "core/tracking.h"
#include "core/validate.h"
#include "model/tracking.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/banned.h"

static void add(struct portal_field_error *errs, size_t *n, const char *field, const char *code)
{
    if (*n < PORTAL_MAX_ERRORS)
        errs[(*n)++] = (struct portal_field_error){ field, code };
}

/* Free text: NULL when fine, else the code ("required" only when required). */
static const char *text_code(const char *s, size_t min, size_t max, bool required)
{
    if (!s || !*s)
        return required ? "required" : NULL;
    size_t n = strlen(s), visible = 0;
    if (!nlp_utf8_valid(s, n))
        return "invalid";
    if (n > max)
        return "too_long";
    for (const char *p = s; *p; p++)
        visible += *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r';
    if (visible == 0)
        return required ? "required" : NULL;
    return visible < min ? "too_short" : NULL;
}

static bool given(const char *s)
{
    return s && *s;
}

bool portal_key_ok(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n < PORTAL_KEY_MIN || n > PORTAL_KEY_MAX)
        return false;
    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

size_t portal_check(struct store *st, const struct portal_form *f,
                    struct portal_field_error errs[PORTAL_MAX_ERRORS])
{
    size_t n = 0;
    const char *c;
    char name[8];
    if (given(f->kind) && !core_word_in(core_kinds, f->kind))
        add(errs, &n, "kind", "invalid");
    if ((c = text_code(f->text, 3, CORE_TEXT_MAX, true)))
        add(errs, &n, "text", c);
    if (given(f->category)) {
        struct category cat;
        if (store_category_by_code(st, f->category, &cat) != ERR_OK || !cat.active)
            add(errs, &n, "category", "unknown");
    }
    if (f->district_id && (f->district_id < 0 ||
                           store_district_name(st, f->district_id, name, sizeof(name)) != ERR_OK))
        add(errs, &n, "district_id", "unknown");
    if (f->neighbourhood_id) {
        int64_t d = 0;
        if (f->neighbourhood_id < 0 ||
            store_neighbourhood_name(st, f->neighbourhood_id, &d, name, sizeof(name)) != ERR_OK ||
            (f->district_id && d != f->district_id))
            add(errs, &n, "neighbourhood_id", "unknown");
    }
    if ((c = text_code(f->address, 0, CORE_ADDRESS_MAX, false)))
        add(errs, &n, "address", c);
    if (f->has_lat != f->has_lon)
        add(errs, &n, f->has_lat ? "lon" : "lat", "both_or_neither");
    if (f->has_lat && f->has_lon) {
        if (!isfinite(f->lat) || fabs(f->lat) > 90)
            add(errs, &n, "lat", "out_of_range");
        if (!isfinite(f->lon) || fabs(f->lon) > 180)
            add(errs, &n, "lon", "out_of_range");
    }
    if ((c = text_code(f->name, 0, 200, false)))
        add(errs, &n, "name", c);
    char phone[VALIDATE_PHONE_LEN];
    bool bad_phone = given(f->phone) && !validate_phone(f->phone, phone);
    bool bad_email = given(f->email) && !validate_email(f->email);
    if (bad_phone)
        add(errs, &n, "phone", "invalid");
    if (bad_email)
        add(errs, &n, "email", "invalid");
    if (!given(f->phone) && !given(f->email)) {
        add(errs, &n, "phone", "contact_required");
        add(errs, &n, "email", "contact_required");
    }
    if (f->key && !portal_key_ok(f->key))
        add(errs, &n, "idempotency_key", "invalid");
    return n;
}

int portal_create(struct store *st, const struct app_input *in, const char *key,
                  bool consent_marketing, struct app *out, bool *replayed, struct err_detail *ed)
{
    int64_t made = 0;
    int rc;
    *replayed = false;
    memset(out, 0, sizeof(*out));
    if (key) {
        rc = store_public_key_claim(st, key, in->created_at ? in->created_at : time_now(), &made);
        if (rc == ERR_CONFLICT && made) {
            if ((rc = store_app_get(st, made, out)) != ERR_OK)
                return err_set(ed, rc, NULL, "could not read the application");
            *replayed = true;
            return ERR_OK;
        }
        if (rc == ERR_CONFLICT)
            return err_set_named(ed, ERR_CONFLICT, "in_progress", "idempotency_key",
                                 "this submission is being registered; try again shortly");
        if (rc != ERR_OK)
            return err_set(ed, rc, NULL, "database busy");
    }
    if ((rc = core_app_create(st, NULL, in, out, ed)) != ERR_OK) {
        if (key)
            store_public_key_set(st, key, 0); /* the key may be tried again */
        return rc;
    }
    if (key && (rc = store_public_key_set(st, key, out->id)) != ERR_OK) {
        /* the application is stored: the citizen gets it; a resend may make a second one */
        (void)rc;
    }
    if (consent_marketing && out->citizen_id) {
        /* the history row (who, when, how) and the flag the outbox reads (core/outbox.h) */
        (void)store_consent_set(st, out->citizen_id, PORTAL_CONSENT_MARKETING, true,
                                out->created_at, "web");
        (void)store_citizen_consent_set(st, out->citizen_id, true);
    }
    return ERR_OK;
}

int portal_attach(struct store *st, const char *tracking, const char *code, const void *data,
                  size_t len, const char *filename, const char *declared, int64_t now,
                  struct attachment *out, struct err_detail *ed)
{
    char tr[TRACKING_LEN];
    struct app a;
    struct attachment *list = NULL;
    size_t n = 0;
    int year;
    int64_t seq;
    memset(out, 0, sizeof(*out));
    if (!tracking || !tracking_normalise(tracking, tr) || !tracking_parse(tr, &year, &seq) ||
        !code || store_app_by_tracking(st, tr, &a) != ERR_OK)
        return err_set(ed, ERR_NOT_FOUND, NULL, "no application with this number and code");
    if (!tracking_code_matches(a.access_code, code)) {
        app_release(&a);
        return err_set(ed, ERR_NOT_FOUND, NULL, "no application with this number and code");
    }
    int64_t id = a.id, created = a.created_at;
    app_release(&a);
    if (now - created > PORTAL_PHOTO_WINDOW || now < created - 300)
        return err_set_named(ed, ERR_FORBIDDEN, "upload_closed", "file",
                             "photos can be added within %d minutes of applying",
                             PORTAL_PHOTO_WINDOW / 60);
    int rc = store_attachment_list(st, id, &list, &n);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not read the attachments");
    free(list);
    if (n >= PORTAL_PHOTOS_MAX)
        return err_set_named(ed, ERR_CONFLICT, "too_many_files", "file",
                             "at most %d photos per application", PORTAL_PHOTOS_MAX);
    if (len > PORTAL_PHOTO_BYTES)
        return err_set_named(ed, ERR_TOO_BIG, "too_large", "file",
                             "the photo is larger than %d bytes", PORTAL_PHOTO_BYTES);
    /* actor NULL: the citizen, authorised above by the access code */
    return core_app_attach(st, NULL, id, data, len, filename, declared, out, ed);
}
