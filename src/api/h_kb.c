/* The knowledge base over HTTP: search and read for every user, write for editors. */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/kb.h"
#include "util/parse.h"
#include "util/banned.h"

static json_t *kb_json(const struct kb_article *a)
{
    return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:b, s:o, s:o, s:I}", "id", (json_int_t)a->id,
                     "title", a->title ? a->title : "", "body", a->body ? a->body : "", "keywords",
                     a->keywords, "category", a->category[0] ? a->category : NULL, "active",
                     a->active, "created_at", api_time(a->created_at), "updated_at",
                     api_time(a->updated_at), "uses", (json_int_t)a->uses);
}

void h_kb_list(struct api_req *r)
{
    const char *q = http_query(r->http, "q"), *lim = http_query(r->http, "limit");
    const char *all = http_query(r->http, "all");
    int64_t limit = 50;
    struct kb_article *as = NULL;
    size_t n = 0;
    if (lim && !parse_i64(lim, 1, 200, &limit)) {
        api_fail(r, ERR_INVALID, NULL, "limit", "limit must be 1..200");
        return;
    }
    if (q && strlen(q) > 200) {
        api_fail(r, ERR_INVALID, "too_long", "q", "Arama en çok 200 bayt olabilir");
        return;
    }
    /* inactive articles only for editors asking for them */
    bool active_only = !(all && strcmp(all, "1") == 0 && role_policy(r->user.role)->editor);
    int rc = store_kb_list(r->st, q, active_only, (int)limit, &as, &n);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, "q",
                 rc == ERR_INVALID ? "Arama metni geçerli UTF-8 değil"
                                   : "could not search the knowledge base");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(items, kb_json(&as[i]));
        kb_article_release(&as[i]);
    }
    free(as);
    api_reply(r, 200, json_pack("{s:o}", "items", items));
}

void h_kb_get(struct api_req *r)
{
    int64_t id;
    struct kb_article a;
    if (!api_param_id(r, 0, &id))
        return;
    int rc = store_kb_get(r->st, id, &a);
    if (rc == ERR_OK && !a.active && !role_policy(r->user.role)->editor) {
        kb_article_release(&a);
        rc = ERR_NOT_FOUND;
    }
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "Böyle bir madde yok / no such article");
        return;
    }
    api_reply(r, 200, kb_json(&a));
    kb_article_release(&a);
}

void h_kb_write(struct api_req *r)
{
    static const struct api_field spec[] = { { "title", F_STR, false, KB_TITLE_MAX },
                                             { "body", F_STR, false, KB_BODY_MAX },
                                             { "keywords", F_STR, false, KB_KEYWORDS_MAX },
                                             { "category", F_STR, false, 39 },
                                             { "active", F_BOOL, false, 0 },
                                             { 0 } };
    int64_t id = 0;
    struct kb_article a = { 0 };
    struct err_detail ed = { 0 };
    if (r->params[0] && !api_param_id(r, 0, &id))
        return;
    if (!api_check_fields(r, spec))
        return;
    json_t *act = json_object_get(r->body, "active");
    struct kb_input in = { .title = api_str(r, "title"),
                           .body = api_str(r, "body"),
                           .keywords = api_str(r, "keywords"),
                           .category = api_str(r, "category"),
                           .active = json_is_boolean(act) ? json_is_true(act) : -1 };
    if (core_kb_save(r->st, &r->user, id, &in, &a, &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        api_reply(r, id ? 200 : 201, kb_json(&a));
    kb_article_release(&a);
}
