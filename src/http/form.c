/* application/x-www-form-urlencoded parsing (see form.h). Written here rather than with
 * libmicrohttpd's post processor: that one decodes while the body streams in and passes an
 * invalid escape or invalid UTF-8 through silently, while the API wants the whole body, a 400
 * for such input and a plain list it can hand to a handler. */
#include "http/form.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "util/banned.h"

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t more;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return false;
        }
        if (n - i <= more || s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= more; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += more + 1;
    }
    return true;
}

/* Decode len bytes at s ('+' → space, %XX → byte) into a new string in *out. Returns ERR_OK,
 * or ERR_INVALID with the reason in *why (and *out NULL). */
static int decode(const char *s, size_t len, char **out, const char **why)
{
    char *d = xmalloc(len + 1);
    size_t n = 0;
    *why = NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int h = i + 2 < len ? hex_value((unsigned char)s[i + 1]) : -1;
            int l = h >= 0 ? hex_value((unsigned char)s[i + 2]) : -1;
            if (h < 0 || l < 0) {
                *why = "an invalid %-escape";
                break;
            }
            c = (unsigned char)(h * 16 + l);
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (c == '\0') {
            *why = "a NUL character"; /* it would cut the C string short */
            break;
        }
        d[n++] = (char)c;
    }
    d[n] = '\0';
    if (!*why && !utf8_valid((const unsigned char *)d, n))
        *why = "text that is not UTF-8";
    if (*why) {
        free(d);
        d = NULL;
    }
    *out = d;
    return *why ? ERR_INVALID : ERR_OK;
}

int form_parse(const char *body, size_t len, struct form *f, struct err_detail *ed)
{
    int rc = ERR_OK;
    const char *p = body, *end = body + len;
    char *name = NULL, *value = NULL;
    const char *why = NULL;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop == p) { /* an empty pair */
            p = stop + 1;
            continue;
        }
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        const char *name_end = eq ? eq : stop;
        if (decode(p, (size_t)(name_end - p), &name, &why) != ERR_OK) {
            rc = err_set(ed, ERR_INVALID, "", "a form field name contains %s", why);
            goto out;
        }
        if (decode(eq ? eq + 1 : stop, eq ? (size_t)(stop - eq - 1) : 0, &value, &why) != ERR_OK) {
            rc = err_set(ed, ERR_INVALID, name, "form field %.60s contains %s", name, why);
            goto out;
        }
        if (f->n >= FORM_MAX_FIELDS) {
            rc = err_set(ed, ERR_INVALID, "", "a form may have at most %d fields", FORM_MAX_FIELDS);
            goto out;
        }
        if (f->n == f->alloc) {
            f->alloc = f->alloc ? f->alloc * 2 : 8;
            f->fields = xrealloc(f->fields, f->alloc * sizeof(*f->fields));
        }
        f->fields[f->n].name = name;
        f->fields[f->n].value = value;
        f->n++;
        name = value = NULL;
        p = stop + 1;
    }
out:
    free(name);
    free(value);
    if (rc != ERR_OK)
        form_release(f);
    return rc;
}

const char *form_get(const struct form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return f->fields[i].value;
    return NULL;
}

size_t form_count(const struct form *f, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        n += strcmp(f->fields[i].name, name) == 0;
    return n;
}

void form_release(struct form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->fields[i].name);
        free(f->fields[i].value);
    }
    free(f->fields);
    f->fields = NULL;
    f->n = f->alloc = 0;
}
