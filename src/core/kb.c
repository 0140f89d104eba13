#include "core/kb.h"

#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "nlp/turkish.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* Replace *dst with a copy of src when given; ERR_INVALID naming field when too long or not
 * UTF-8, or (required) empty. */
static int take_text(char **dst, const char *src, size_t max, bool required, const char *field,
                     struct err_detail *ed)
{
    if (src) {
        if (strlen(src) > max || !nlp_utf8_valid(src, strlen(src)))
            return err_set(ed, ERR_INVALID, field, "%s: en çok %zu bayt geçerli UTF-8 metin", field,
                           max);
        free(*dst);
        *dst = xstrdup(src);
    }
    if (required && (!*dst || !**dst))
        return err_set_named(ed, ERR_INVALID, "missing_field", field, "%s gerekli", field);
    return ERR_OK;
}

static int kb_read(struct store *st, const struct kb_input *in, struct kb_article *a,
                   struct err_detail *ed)
{
    int rc;
    if ((rc = take_text(&a->title, in->title, KB_TITLE_MAX, true, "title", ed)) != ERR_OK ||
        (rc = take_text(&a->body, in->body, KB_BODY_MAX, true, "body", ed)) != ERR_OK ||
        (rc = take_text(&a->keywords, in->keywords, KB_KEYWORDS_MAX, false, "keywords", ed)) !=
            ERR_OK)
        return rc;
    if (in->category) {
        struct category c;
        if (*in->category && store_category_by_code(st, in->category, &c) != ERR_OK)
            return err_set(ed, ERR_UNPROCESSABLE, "category", "Böyle bir konu yok: %.40s",
                           in->category);
        str_copy(a->category, sizeof(a->category), in->category);
    }
    if (in->active >= 0)
        a->active = in->active != 0;
    return ERR_OK;
}

int core_kb_save(struct store *st, const struct user *u, int64_t id, const struct kb_input *in,
                 struct kb_article *out, struct err_detail *ed)
{
    struct kb_article a = { .active = true };
    if (!policy_allows(st, u, POL_KB_EDIT, 0))
        return err_set(ed, ERR_FORBIDDEN, NULL, "Bilgi bankasını yalnız editörler yazar");
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not begin");
    if (id && (rc = store_kb_get(st, id, &a)) != ERR_OK)
        err_set(ed, rc, NULL, "Böyle bir madde yok / no such article");
    if (rc == ERR_OK && (rc = kb_read(st, in, &a, ed)) == ERR_OK) {
        a.updated_at = time_now();
        if (!id)
            a.created_at = a.updated_at;
        if ((rc = store_kb_save(st, &a)) != ERR_OK)
            err_set(ed, rc, NULL, "could not store the article");
    }
    if (rc == ERR_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc == ERR_OK)
        rc = store_kb_get(st, a.id, out);
    kb_article_release(&a);
    return rc;
}
