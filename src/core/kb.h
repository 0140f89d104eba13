#ifndef ALO_CORE_KB_H
#define ALO_CORE_KB_H
/*
 * The knowledge base (bilgi bankası): articles call-takers answer from. Writing needs the
 * editor right (supervisors and admins); reading and searching is for every user, who sees
 * only current articles (active, and valid now); editors may list every state.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/contact.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

#define KB_TITLE_MAX 200
#define KB_BODY_MAX 20000
#define KB_KEYWORDS_MAX 1000
#define KB_DISTRICTS_MAX 64
#define KB_PHONES_MAX 20

/* One of another institution's numbers as given (both required). */
struct kb_phone_input {
    const char *name, *number;
};

/* An article's fields as given (NULL / false = not given; for an update, keep the stored
 * value). Validity times are RFC 3339, or a date YYYY-MM-DD meaning that day in Istanbul (from
 * its start; as valid_until, to its end); "" clears the bound (open-ended). */
struct kb_input {
    const char *title, *body, *keywords, *category;
    int active; /* -1 = not given */
    const char *valid_from, *valid_until;
    bool districts_given; /* districts: ids of districts (none = the whole province) */
    const int64_t *districts;
    size_t ndistricts;
    bool phones_given;
    const struct kb_phone_input *phones;
    size_t nphones;
};

/* Create (id 0) or update article id as u. ERR_FORBIDDEN without the editor right,
 * ERR_INVALID for a missing title or body (on create), too long or non-UTF-8 text, a bad
 * time, a malformed phone, too many districts or phones; ERR_UNPROCESSABLE for an unknown
 * category or district, or valid_until not after valid_from ("bad_period"); ERR_NOT_FOUND for
 * no such article. Archiving is an update with active 0. *out the stored article (caller
 * releases). */
int core_kb_save(struct store *st, const struct user *u, int64_t id, const struct kb_input *in,
                 struct kb_article *out, struct err_detail *ed);

/* Search or list (store_kb_list) as u at q->now: callers without the editor right may ask
 * only for current articles (ERR_FORBIDDEN otherwise); ERR_INVALID for search text that is
 * not UTF-8 or a limit out of 1..200. *out as store_kb_list. */
int core_kb_list(struct store *st, const struct user *u, const struct kb_query *q,
                 struct kb_article **out, size_t *n, struct err_detail *ed);

/* One article; archived ones only for editors (ERR_NOT_FOUND otherwise). */
int core_kb_get(struct store *st, const struct user *u, int64_t id, struct kb_article *out,
                struct err_detail *ed);

#endif
