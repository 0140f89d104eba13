/* The questions of a category that Open311's service definitions publish (issue 16): read by
 * anyone (the citizen portal asks them too), replaced whole by an admin. In /api/v1's JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/open311.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/banned.h"

static json_t *attrs_json(const char *code, const struct o311_attr *a, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o =
            json_pack("{s:s, s:s, s:b, s:i, s:s, s:s}", "code", a[i].code, "datatype",
                      a[i].datatype, "required", a[i].required, "order", a[i].pos, "description",
                      a[i].description_tr, "description_en", a[i].description_en);
        json_t *vals = json_array();
        for (const char *p = a[i].choices; *p;) {
            const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
            if (!nl)
                nl = p + strlen(p);
            if (tab && tab < nl)
                json_array_append_new(vals, json_pack("{s:s%, s:s%}", "key", p, (size_t)(tab - p),
                                                      "name", tab + 1, (size_t)(nl - tab - 1)));
            p = *nl ? nl + 1 : nl;
        }
        json_object_set_new(o, "values", vals);
        json_array_append_new(list, o);
    }
    return json_pack("{s:s, s:o}", "category", code, "attributes", list);
}

void h_o311_attrs_get(struct api_req *r)
{
    struct category c;
    struct o311_attr *a = NULL;
    size_t n = 0;
    int rc = store_category_by_code(r->st, r->params[0], &c);
    if (rc == ERR_NOT_FOUND) {
        api_fail(r, ERR_NOT_FOUND, NULL, NULL, "no category %s", r->params[0]);
        return;
    }
    if (rc != ERR_OK || (rc = store_o311_attr_list(r->st, c.id, &a, &n)) != ERR_OK) {
        api_fail(r, ERR_UNAVAILABLE, NULL, NULL, "the database is not available");
        return;
    }
    api_reply(r, 200, attrs_json(c.code, a, n));
    free(a);
}

/* One attribute of the body into *out; replies 400 and returns false when malformed. */
static bool read_attr(struct api_req *r, size_t i, json_t *o, struct o311_attr *out)
{
    char field[48];
    const char *key;
    json_t *v;
    snprintf(field, sizeof(field), "attributes[%zu]", i);
    memset(out, 0, sizeof(*out));
    if (!json_is_object(o)) {
        api_fail(r, ERR_INVALID, "invalid_type", field, "%s must be an object", field);
        return false;
    }
    json_object_foreach(o, key, v)
    {
        static const char *const known[] = {
            "code", "datatype", "required", "description", "description_en", "values", "order", NULL
        };
        if (!core_word_in(known, key)) {
            api_fail(r, ERR_INVALID, "unknown_field", field, "%s: unknown field %s", field, key);
            return false;
        }
    }
    const struct {
        const char *name;
        char *dst;
        size_t len;
        bool required;
    } s[] = {
        { "code", out->code, sizeof(out->code), true },
        { "datatype", out->datatype, sizeof(out->datatype), true },
        { "description", out->description_tr, sizeof(out->description_tr), true },
        { "description_en", out->description_en, sizeof(out->description_en), false },
    };
    for (size_t k = 0; k < sizeof(s) / sizeof(s[0]); k++) {
        v = json_object_get(o, s[k].name);
        if (!v && !s[k].required)
            continue;
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
            api_fail(r, ERR_INVALID, v ? "invalid_type" : "missing_field", field,
                     "%s.%s must be a string", field, s[k].name);
            return false;
        }
        if (!str_copy(s[k].dst, s[k].len, json_string_value(v))) {
            api_fail(r, ERR_INVALID, "too_long", field, "%s.%s is too long", field, s[k].name);
            return false;
        }
    }
    v = json_object_get(o, "required");
    if (v && !json_is_boolean(v)) {
        api_fail(r, ERR_INVALID, "invalid_type", field, "%s.required must be true or false", field);
        return false;
    }
    out->required = json_is_true(v);
    v = json_object_get(o, "values");
    if (v) {
        struct strbuf sb = STRBUF_INIT;
        size_t k;
        json_t *e;
        bool ok = json_is_array(v);
        strbuf_init(&sb, sizeof(out->choices) - 1);
        json_array_foreach(ok ? v : NULL, k, e)
        {
            const char *vk = json_string_value(json_object_get(e, "key"));
            const char *vn = json_string_value(json_object_get(e, "name"));
            if (!vk || !vn || strpbrk(vk, "\t\n") || strpbrk(vn, "\t\n") || !*vk || !*vn) {
                ok = false;
                break;
            }
            strbuf_addf(&sb, "%s%s\t%s", k ? "\n" : "", vk, vn);
        }
        if (!ok || sb.toobig) {
            strbuf_release(&sb);
            api_fail(r, ERR_INVALID, "invalid_field", field,
                     "%s.values must be a list of {key, name} strings (without tabs or line "
                     "breaks), within %zu bytes",
                     field, sizeof(out->choices) - 1);
            return false;
        }
        str_copy(out->choices, sizeof(out->choices), sb.buf ? sb.buf : "");
        strbuf_release(&sb);
    }
    return true;
}

void h_o311_attrs_put(struct api_req *r)
{
    struct err_detail ed = { 0 };
    json_t *list = json_object_get(r->body, "attributes");
    const char *key;
    json_t *v;
    json_object_foreach(r->body, key, v)
    {
        if (strcmp(key, "attributes") != 0) {
            api_fail(r, ERR_INVALID, "unknown_field", key, "unknown field %s", key);
            return;
        }
    }
    if (!json_is_array(list)) {
        api_fail(r, ERR_INVALID, list ? "invalid_type" : "missing_field", "attributes",
                 "attributes must be a list");
        return;
    }
    size_t n = json_array_size(list);
    if (n > O311_MAX_ATTRS) {
        api_fail(r, ERR_INVALID, "too_many", "attributes", "at most %d attributes", O311_MAX_ATTRS);
        return;
    }
    struct o311_attr *a = calloc(n ? n : 1, sizeof(*a));
    if (!a) {
        api_fail(r, ERR_UNAVAILABLE, NULL, NULL, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!read_attr(r, i, json_array_get(list, i), &a[i])) {
            free(a);
            return;
        }
    if (core_o311_attrs_set(r->st, r->params[0], a, n, &ed) != ERR_OK) {
        free(a);
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200, attrs_json(r->params[0], a, n));
    free(a);
}
