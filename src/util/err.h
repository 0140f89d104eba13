#ifndef ALO_UTIL_ERR_H
#define ALO_UTIL_ERR_H
/*
 * One error vocabulary for the whole program: 0 is success, negative is failure.
 * The api layer maps each code to one HTTP status and one JSON error code
 * (api_status_of and api_error_ed in api/router.c); the CLI prints the message.
 */
#include <stdarg.h>
#include <stdbool.h>

enum err_code {
    ERR_OK = 0,
    ERR_INVALID = -1,        /* bad input: a field is missing, malformed or out of range */
    ERR_NOT_FOUND = -2,      /* no such object (or not visible to the caller) */
    ERR_CONFLICT = -3,       /* illegal state change or uniqueness violation */
    ERR_TOO_BIG = -4,        /* a body or upload over its limit */
    ERR_FORBIDDEN = -5,      /* authenticated but not allowed */
    ERR_UNAUTH = -6,         /* not authenticated */
    ERR_STORE = -7,          /* the database failed */
    ERR_IO = -8,             /* a file or socket failed */
    ERR_UNSUPPORTED = -9,    /* media type or method not supported */
    ERR_RATE = -10,          /* too many requests */
    ERR_INTERNAL = -11,      /* a bug: should not happen */
    ERR_UNPROCESSABLE = -12, /* well-formed but semantically refused (unknown category, …) */
    ERR_UNAVAILABLE = -13,   /* a dependency is down for now: try again later */
    ERR_METHOD = -14,        /* the method is not allowed on this resource */
};

/* Error detail carried from where it is known up to the API (git's strbuf *err). */
struct err_detail {
    int code;          /* one of enum err_code */
    char field[64];    /* the offending input field, "" when none */
    char message[512]; /* human readable, English; the UI translates by code+field */
    char name[32];     /* a more specific error name than err_name(code) ("missing_field"),
                        * "" for err_name(code) */
    char reason[32];   /* why, when code and field alone do not say it ("not_on_hold"); the
                        * UI translates by it; "" when none */
    bool has_allowed;  /* an illegal transition: allowed holds what the status allows */
    unsigned allowed;  /* bit (1 << enum app_action) per action legal in the current status */
};

/* Record an error in ed (may be NULL; name and allowed cleared) and return code, so callers
 * can `return err_set(...)`. */
int err_set(struct err_detail *ed, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* err_set with a specific error name (see struct err_detail.name; NULL = none). */
int err_set_named(struct err_detail *ed, int code, const char *name, const char *field,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with a va_list, for wrappers. */
int err_vset(struct err_detail *ed, int code, const char *name, const char *field, const char *fmt,
             va_list ap) __attribute__((format(printf, 5, 0)));
/* Add a reason (see struct err_detail.reason) to the error already in ed (may be NULL);
 * returns ed->code (or ERR_INVALID when ed is NULL), so callers can return it. */
int err_reason(struct err_detail *ed, const char *reason);
/* Stable lower-case name of a code, e.g. "not_found". */
const char *err_name(int code);

#endif
