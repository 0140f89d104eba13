/* The knowledge base over HTTP: search and read for every user, write for editors. */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/kb.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static json_t *kb_json(const struct kb_article *a)
{
    json_t *districts = json_array(), *phones = json_array();
    for (size_t i = 0; i < a->ndistricts; i++)
        json_array_append_new(districts, json_integer((json_int_t)a->districts[i]));
    for (size_t i = 0; i < a->nphones; i++)
        json_array_append_new(phones, json_pack("{s:s, s:s}", "name", a->phones[i].name, "number",
                                                a->phones[i].number));
    return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:b, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
                     "id", (json_int_t)a->id, "title", a->title ? a->title : "", "body",
                     a->body ? a->body : "", "keywords", a->keywords, "category",
                     a->category[0] ? a->category : NULL, "active", a->active, "state",
                     kb_state_name(kb_article_state(a, time_now())), "districts", districts,
                     "phones", phones, "valid_from", api_time(a->valid_from), "valid_until",
                     api_time(a->valid_until), "created_at", api_time(a->created_at), "updated_at",
                     api_time(a->updated_at), "uses", (json_int_t)a->uses);
}

/* GET /kb/articles?q=&district=&category=&state=current|upcoming|expired|archived|all&all=1
 * &limit= — agents get current articles only (state defaults to current). */
void h_kb_list(struct api_req *r)
{
    const char *q = http_query(r->http, "q"), *lim = http_query(r->http, "limit");
    const char *all = http_query(r->http, "all"), *state = http_query(r->http, "state");
    const char *cat = http_query(r->http, "category");
    struct kb_query kq = { .q = q, .category = cat, .state = KB_CURRENT, .now = time_now() };
    int64_t limit = 50;
    struct kb_article *as = NULL;
    struct err_detail ed = { 0 };
    size_t n = 0;
    if (lim && !parse_i64(lim, 1, 200, &limit)) {
        api_fail(r, ERR_INVALID, NULL, "limit", "limit must be 1..200");
        return;
    }
    kq.limit = (int)limit;
    if (q && strlen(q) > 200) {
        api_fail(r, ERR_INVALID, "too_long", "q", "Arama en çok 200 bayt olabilir");
        return;
    }
    if (cat && strlen(cat) >= MODEL_CODE_LEN) {
        api_fail(r, ERR_INVALID, "too_long", "category", "category is too long");
        return;
    }
    if (!api_query_id(r, "district", &kq.district))
        return;
    if (state && *state) {
        int s = kb_state_parse(state);
        if (s < 0) {
            api_fail(r, ERR_INVALID, NULL, "state",
                     "state must be current, upcoming, expired, archived or all");
            return;
        }
        kq.state = (enum kb_state)s;
    } else if (all && strcmp(all, "1") == 0) {
        kq.state = KB_ANY;
    }
    if (core_kb_list(r->st, &r->user, &kq, &as, &n, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
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
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id))
        return;
    if (core_kb_get(r->st, &r->user, id, &a, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, kb_json(&a));
    kb_article_release(&a);
}

/* The list fields the field checker does not know: districts (array of ids) and phones
 * (array of {name, number}), read into in; false with 400 sent when malformed. *ids and *ph
 * are malloc'd (caller frees; NULL when absent); the phones' strings are r->body's. */
static bool read_lists(struct api_req *r, struct kb_input *in, int64_t **ids,
                       struct kb_phone_input **ph)
{
    json_t *d = json_object_get(r->body, "districts"), *p = json_object_get(r->body, "phones");
    size_t i;
    json_t *v;
    if (d && !json_is_null(d)) {
        if (!json_is_array(d) || json_array_size(d) > KB_DISTRICTS_MAX) {
            api_fail(r, ERR_INVALID, json_is_array(d) ? "too_many" : "invalid_type", "districts",
                     "districts must be an array of at most %d district ids", KB_DISTRICTS_MAX);
            return false;
        }
        *ids = xcalloc(json_array_size(d) + 1, sizeof(**ids));
        json_array_foreach(d, i, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                api_fail(r, ERR_INVALID, "invalid_type", "districts",
                         "districts must hold positive integer ids");
                return false;
            }
            (*ids)[i] = json_integer_value(v);
        }
        in->districts_given = true;
        in->districts = *ids;
        in->ndistricts = json_array_size(d);
    }
    if (p && !json_is_null(p)) {
        if (!json_is_array(p) || json_array_size(p) > KB_PHONES_MAX) {
            api_fail(r, ERR_INVALID, json_is_array(p) ? "too_many" : "invalid_type", "phones",
                     "phones must be an array of at most %d {name, number} objects", KB_PHONES_MAX);
            return false;
        }
        *ph = xcalloc(json_array_size(p) + 1, sizeof(**ph));
        json_array_foreach(p, i, v)
        {
            json_t *nm = json_object_get(v, "name"), *no = json_object_get(v, "number");
            if (!json_is_object(v) || json_object_size(v) != 2 || !json_is_string(nm) ||
                !json_is_string(no)) {
                api_fail(r, ERR_INVALID, "invalid_type", "phones",
                         "phone %zu must be an object {name, number} of two strings", i + 1);
                return false;
            }
            (*ph)[i] = (struct kb_phone_input){ json_string_value(nm), json_string_value(no) };
        }
        in->phones_given = true;
        in->phones = *ph;
        in->nphones = json_array_size(p);
    }
    return true;
}

/* A validity bound of the body: absent = keep, null or "" = clear, else the text. */
static const char *time_field(struct api_req *r, const char *name)
{
    json_t *v = json_object_get(r->body, name);
    return !v ? NULL : json_is_null(v) ? "" : json_string_value(v);
}

void h_kb_write(struct api_req *r)
{
    static const struct api_field spec[] = { { "title", F_STR, false, KB_TITLE_MAX },
                                             { "body", F_STR, false, KB_BODY_MAX },
                                             { "keywords", F_STR, false, KB_KEYWORDS_MAX },
                                             { "category", F_STR, false, 39 },
                                             { "active", F_BOOL, false, 0 },
                                             { "valid_from", F_STR, false, 40 },
                                             { "valid_until", F_STR, false, 40 },
                                             { 0 } };
    int64_t id = 0, *ids = NULL;
    struct kb_phone_input *ph = NULL;
    struct kb_article a = { 0 };
    struct err_detail ed = { 0 };
    struct kb_input in = { .active = -1 };
    if (r->params[0] && !api_param_id(r, 0, &id))
        return;
    if (!read_lists(r, &in, &ids, &ph))
        goto out;
    /* the lists are read: the other fields go through the field checker, on a copy of the
     * body without the lists (r->body itself stays whole: in.phones points into it) */
    json_t *keep = json_deep_copy(r->body), *saved = r->body;
    json_object_del(keep, "districts");
    json_object_del(keep, "phones");
    r->body = keep;
    bool ok = api_check_fields(r, spec);
    r->body = saved;
    json_decref(keep);
    if (!ok)
        goto out;
    json_t *act = json_object_get(r->body, "active");
    in.title = api_str(r, "title");
    in.body = api_str(r, "body");
    in.keywords = api_str(r, "keywords");
    in.category = api_str(r, "category");
    in.active = json_is_boolean(act) ? json_is_true(act) : -1;
    in.valid_from = time_field(r, "valid_from");
    in.valid_until = time_field(r, "valid_until");
    if (core_kb_save(r->st, &r->user, id, &in, &a, &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        api_reply(r, id ? 200 : 201, kb_json(&a));
    kb_article_release(&a);
out:
    free(ids);
    free(ph);
}

/* DELETE /kb/articles/:id archives the article (soft: contacts keep pointing at it, editors
 * still list it with state=archived and may restore it with PATCH {"active": true}). */
void h_kb_delete(struct api_req *r)
{
    int64_t id;
    struct kb_article a = { 0 };
    struct err_detail ed = { 0 };
    struct kb_input in = { .active = 0 };
    if (!api_param_id(r, 0, &id))
        return;
    if (core_kb_save(r->st, &r->user, id, &in, &a, &ed) != ERR_OK)
        api_error_ed(r, &ed);
    else
        api_reply(r, 200, kb_json(&a));
    kb_article_release(&a);
}
