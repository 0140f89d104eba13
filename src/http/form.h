#ifndef ALO_HTTP_FORM_H
#define ALO_HTTP_FORM_H
/*
 * application/x-www-form-urlencoded bodies (HTML forms, Open311 v2 POSTs) as a list of
 * name/value pairs in body order. Stricter than browsers: an invalid %-escape, a %00 or a
 * name or value that is not UTF-8 makes the whole body invalid (the API answers 400) instead
 * of being passed on half-decoded.
 */
#include <stddef.h>

#include "util/err.h"

#define FORM_MAX_FIELDS 1000 /* pairs in one body; more is ERR_INVALID */

struct form_field {
    char *name;  /* decoded, NUL-terminated, valid UTF-8 (owned by the form) */
    char *value; /* decoded, NUL-terminated, valid UTF-8, "" for "name" or "name=" */
};

struct form {
    struct form_field *fields; /* in body order; a repeated name appears once per pair */
    size_t n;
    size_t alloc;
};

#define FORM_INIT                                                                                  \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Parse len bytes of body into f (which must be empty: FORM_INIT or form_release'd). '+' is a
 * space, %XX a byte; empty pairs ("a=1&&b=2", a trailing '&') are skipped. Returns ERR_OK, or
 * ERR_INVALID with ed filled (field = the name when known) and f left empty. Release f with
 * form_release() either way. */
int form_parse(const char *body, size_t len, struct form *f, struct err_detail *ed);
/* The first value of name, or NULL when the form has no such name (borrowed from f). */
const char *form_get(const struct form *f, const char *name);
/* How many pairs carry name (a repeated key counts each time). */
size_t form_count(const struct form *f, const char *name);
/* Free every pair; f is empty (and reusable) afterwards. */
void form_release(struct form *f);

#endif
