#ifndef ALO_CORE_KB_H
#define ALO_CORE_KB_H
/*
 * The knowledge base (bilgi bankası): articles call-takers answer from. Writing needs the
 * editor right (supervisors and admins); reading and searching is for every user.
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/contact.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

#define KB_TITLE_MAX 200
#define KB_BODY_MAX 20000
#define KB_KEYWORDS_MAX 1000

/* An article's fields as given (NULL = not given; for an update, keep the stored value). */
struct kb_input {
    const char *title, *body, *keywords, *category;
    int active; /* -1 = not given */
};

/* Create (id 0) or update article id as u. ERR_FORBIDDEN without the editor right,
 * ERR_INVALID for a missing title or body (on create), too long or non-UTF-8 text,
 * ERR_UNPROCESSABLE for an unknown category, ERR_NOT_FOUND for no such article.
 * *out the stored article (caller releases). */
int core_kb_save(struct store *st, const struct user *u, int64_t id, const struct kb_input *in,
                 struct kb_article *out, struct err_detail *ed);

#endif
