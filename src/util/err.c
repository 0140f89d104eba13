#include "util/err.h"

#include <stdio.h>
#include <string.h>
#include "util/str.h"
#include "util/banned.h"

int err_vset(struct err_detail *ed, int code, const char *name, const char *field, const char *fmt,
             va_list ap)
{
    if (!ed)
        return code;
    ed->code = code;
    str_copy(ed->field, sizeof(ed->field), field ? field : "");
    str_copy(ed->name, sizeof(ed->name), name ? name : "");
    ed->reason[0] = '\0';
    ed->has_allowed = false;
    ed->allowed = 0;
    vsnprintf(ed->message, sizeof(ed->message), fmt, ap);
    return code;
}

int err_reason(struct err_detail *ed, const char *reason)
{
    if (!ed)
        return ERR_INVALID;
    str_copy(ed->reason, sizeof(ed->reason), reason ? reason : "");
    return ed->code;
}

int err_set(struct err_detail *ed, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(ed, code, NULL, field, fmt, ap);
    va_end(ap);
    return code;
}

int err_set_named(struct err_detail *ed, int code, const char *name, const char *field,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(ed, code, name, field, fmt, ap);
    va_end(ap);
    return code;
}

const char *err_name(int code)
{
    switch (code) {
    case ERR_OK: return "ok";
    case ERR_INVALID: return "invalid_field";
    case ERR_NOT_FOUND: return "not_found";
    case ERR_CONFLICT: return "conflict";
    case ERR_TOO_BIG: return "too_large";
    case ERR_FORBIDDEN: return "forbidden";
    case ERR_UNAUTH: return "unauthorized";
    case ERR_STORE: return "store_error";
    case ERR_IO: return "io_error";
    case ERR_UNSUPPORTED: return "unsupported";
    case ERR_RATE: return "rate_limited";
    case ERR_INTERNAL: return "internal";
    case ERR_UNPROCESSABLE: return "unprocessable";
    case ERR_UNAVAILABLE: return "unavailable";
    case ERR_METHOD: return "method_not_allowed";
    }
    return "unknown";
}
