/* Open311 GeoReport v2's rules (core/open311.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/citizen.h"
#include "core/open311.h"
#include "nlp/turkish.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

const char *const o311_datatypes[] = { "string",          "number",         "datetime", "text",
                                       "singlevaluelist", "multivaluelist", NULL };

#define O311_CHOICES_MAX 50

static bool name_ok(const char *s, size_t max, bool lower_only)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  (!lower_only && ((c >= 'A' && c <= 'Z') || c == '.' || c == '-'));
        if (!ok)
            return false;
    }
    return true;
}

int core_o311_key_new(struct store *st, const char *name, char key[O311_KEY_LEN],
                      struct err_detail *ed)
{
    char hash[AUTH_TOKEN_LEN];
    int64_t id;
    if (!name_ok(name, 60, false))
        return err_set(ed, ERR_INVALID, "name",
                       "the client's name is 1..60 letters, digits, '.', '-' or '_'");
    auth_new_token(key);
    auth_token_hash(key, hash);
    int rc = store_o311_key_add(st, name, hash, time_now(), &id);
    if (rc == ERR_CONFLICT)
        return err_set(ed, rc, "name", "an Open311 key named %s exists", name);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not store the key");
    return ERR_OK;
}

int core_o311_key_check(struct store *st, const char *key, int64_t *key_id, struct err_detail *ed)
{
    char hash[AUTH_TOKEN_LEN], name[64];
    if (!key || !*key || strlen(key) != O311_KEY_LEN - 1)
        return err_set_named(ed, ERR_FORBIDDEN, "invalid_api_key", "api_key",
                             "api_key is missing or not valid");
    auth_token_hash(key, hash);
    int rc = store_o311_key_find(st, hash, key_id, name, sizeof(name));
    if (rc == ERR_NOT_FOUND)
        return err_set_named(ed, ERR_FORBIDDEN, "invalid_api_key", "api_key",
                             "api_key is not valid");
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not check the key");
    return ERR_OK;
}

/* Does line-list choices ('key<TAB>name' lines) have key? */
static bool choice_has(const char *choices, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = choices; *p;) {
        const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p);
        if (tab && tab < nl && (size_t)(tab - p) == kl && strncmp(p, key, kl) == 0)
            return true;
        p = *nl ? nl + 1 : nl;
    }
    return false;
}

/* Are choices 1..O311_CHOICES_MAX well-formed lines 'key<TAB>name' with unique keys? */
static bool choices_ok(const char *choices)
{
    int n = 0;
    for (const char *p = choices; *p;) {
        const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p);
        if (!tab || tab > nl || tab == p || tab + 1 == nl || ++n > O311_CHOICES_MAX)
            return false;
        if (memchr(tab + 1, '\t', (size_t)(nl - tab - 1)))
            return false;
        char key[O311_CODE_LEN];
        if ((size_t)(tab - p) >= sizeof(key))
            return false;
        memcpy(key, p, (size_t)(tab - p));
        key[tab - p] = '\0';
        if (choice_has(nl, key)) /* a later line repeats the key */
            return false;
        p = *nl ? nl + 1 : nl;
    }
    return n > 0;
}

static bool is_list(const char *datatype)
{
    return strcmp(datatype, "singlevaluelist") == 0 || strcmp(datatype, "multivaluelist") == 0;
}

int core_o311_attrs_set(struct store *st, const char *category_code, struct o311_attr *a, size_t n,
                        struct err_detail *ed)
{
    struct category cat;
    if (n > O311_MAX_ATTRS)
        return err_set(ed, ERR_INVALID, "attributes", "at most %d attributes per category",
                       O311_MAX_ATTRS);
    for (size_t i = 0; i < n; i++) {
        char f[48];
        snprintf(f, sizeof(f), "attributes[%zu]", i);
        if (!name_ok(a[i].code, O311_CODE_LEN - 1, true))
            return err_set(ed, ERR_INVALID, f, "%s.code is 1..63 of a-z, 0-9 and _", f);
        for (size_t j = 0; j < i; j++)
            if (strcmp(a[j].code, a[i].code) == 0)
                return err_set(ed, ERR_INVALID, f, "%s.code %s is given twice", f, a[i].code);
        if (!core_word_in(o311_datatypes, a[i].datatype))
            return err_set(ed, ERR_INVALID, f,
                           "%s.datatype is one of string, number, datetime, text, "
                           "singlevaluelist, multivaluelist",
                           f);
        if (!a[i].description_tr[0] ||
            !nlp_utf8_valid(a[i].description_tr, strlen(a[i].description_tr)) ||
            !nlp_utf8_valid(a[i].description_en, strlen(a[i].description_en)))
            return err_set(ed, ERR_INVALID, f, "%s needs a question (description, UTF-8)", f);
        if (is_list(a[i].datatype) ? !choices_ok(a[i].choices) : a[i].choices[0] != '\0')
            return err_set(ed, ERR_INVALID, f,
                           "%s: the list types need 1..%d values with unique keys, the others "
                           "none",
                           f, O311_CHOICES_MAX);
        if (!nlp_utf8_valid(a[i].choices, strlen(a[i].choices)))
            return err_set(ed, ERR_INVALID, f, "%s.values are not UTF-8", f);
        a[i].pos = (int)i + 1;
    }
    int rc = store_category_by_code(st, category_code, &cat);
    if (rc == ERR_NOT_FOUND)
        return err_set(ed, rc, NULL, "no category %s", category_code);
    if (rc == ERR_OK)
        rc = store_o311_attr_replace(st, cat.id, a, n);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not save the attributes");
    return ERR_OK;
}

/* clang-format off */
static const struct seed {
    const char *category, *code, *datatype, *tr, *en, *choices;
    bool required;
} seeds[] = {
    { "ULA_OTOBUS_SURUCU", "plate", "string", "Otobüsün plakası", "The bus's number plate",
      "", true },
    { "ULA_OTOBUS_SURUCU", "issue", "singlevaluelist", "Ne oldu?", "What happened?",
      "rude\tKaba davranış\nspeeding\tHızlı / tehlikeli sürüş\nskipped_stop\tDurakta durmadı\n"
      "phone\tSürüşte telefonla konuştu", false },
    { "MEZ_BAKIM", "block", "string", "Mezar adası / bloğu", "Grave block", "", false },
    { "MEZ_DEFIN", "block", "string", "Mezar adası / bloğu", "Grave block", "", false },
};
/* clang-format on */

int core_o311_seed(struct store *st, struct err_detail *ed)
{
    size_t nseeds = sizeof(seeds) / sizeof(seeds[0]);
    for (size_t i = 0; i < nseeds;) {
        struct category cat;
        struct o311_attr *old = NULL, a[O311_MAX_ATTRS];
        size_t nold = 0, n = 0, j = i;
        int rc;
        memset(a, 0, sizeof(a));
        for (; j < nseeds && strcmp(seeds[j].category, seeds[i].category) == 0; j++, n++) {
            str_copy(a[n].code, sizeof(a[n].code), seeds[j].code);
            str_copy(a[n].datatype, sizeof(a[n].datatype), seeds[j].datatype);
            str_copy(a[n].description_tr, sizeof(a[n].description_tr), seeds[j].tr);
            str_copy(a[n].description_en, sizeof(a[n].description_en), seeds[j].en);
            str_copy(a[n].choices, sizeof(a[n].choices), seeds[j].choices);
            a[n].required = seeds[j].required;
        }
        rc = store_category_by_code(st, seeds[i].category, &cat);
        i = j;
        if (rc == ERR_NOT_FOUND)
            continue;
        if (rc == ERR_OK)
            rc = store_o311_attr_list(st, cat.id, &old, &nold);
        free(old);
        if (rc == ERR_OK && nold == 0)
            rc = core_o311_attrs_set(st, cat.code, a, n, ed);
        if (rc != ERR_OK)
            return ed && ed->code ? rc : err_set(ed, rc, NULL, "could not seed the attributes");
    }
    return ERR_OK;
}

/* The attribute of the answer's code; NULL when the category has none such. */
static const struct o311_attr *attr_find(const struct o311_attr *a, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].code, code) == 0)
            return &a[i];
    return NULL;
}

/* The name of choice key in choices (into out). */
static void choice_name(const char *choices, const char *key, char *out, size_t outlen)
{
    size_t kl = strlen(key);
    str_copy(out, outlen, key);
    for (const char *p = choices; *p;) {
        const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p);
        if (tab && tab < nl && (size_t)(tab - p) == kl && strncmp(p, key, kl) == 0) {
            size_t m = (size_t)(nl - tab - 1);
            if (m >= outlen)
                m = outlen - 1;
            memcpy(out, tab + 1, m);
            out[m] = '\0';
            return;
        }
        p = *nl ? nl + 1 : nl;
    }
}

/* Check the answers against the attributes; write 'code<TAB>value' lines into rec and the
 * readable "question: answer" lines into text. */
static int answers_check(const struct o311_input *in, const struct o311_attr *attrs, size_t n,
                         struct o311_request *rec, struct strbuf *text, struct err_detail *ed)
{
    struct strbuf lines = STRBUF_INIT;
    int rc = ERR_OK;
    strbuf_init(&lines, sizeof(rec->attributes) - 1);
    for (size_t i = 0; i < in->nanswers && rc == ERR_OK; i++) {
        const struct o311_answer *ans = &in->answers[i];
        const struct o311_attr *at = attr_find(attrs, n, ans->code);
        char field[96], shown[O311_TEXT_LEN];
        double d;
        int64_t t;
        snprintf(field, sizeof(field), "attribute[%.60s]", ans->code);
        if (!at) {
            rc = err_set(ed, ERR_INVALID, field, "%s: service %s has no such attribute", field,
                         in->service_code);
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->answers[j].code, ans->code) == 0 &&
                strcmp(at->datatype, "multivaluelist") != 0)
                rc = err_set(ed, ERR_INVALID, field, "%s is given more than once", field);
        if (rc != ERR_OK)
            break;
        size_t len = strlen(ans->value);
        const char *dt = at->datatype;
        bool ok = true;
        if (strchr(ans->value, '\t') || (strcmp(dt, "text") != 0 && strchr(ans->value, '\n')))
            ok = false;
        else if (!strcmp(dt, "number"))
            ok = parse_double(ans->value, -1e15, 1e15, &d);
        else if (!strcmp(dt, "datetime"))
            ok = time_parse(ans->value, &t);
        else if (!strcmp(dt, "string"))
            ok = len <= O311_STRING_MAX;
        else if (!strcmp(dt, "text"))
            ok = len <= O311_DESC_MAX;
        else
            ok = choice_has(at->choices, ans->value);
        if (!ok) {
            rc = err_set(ed, ERR_INVALID, field, "%s is not a valid %s", field, dt);
            break;
        }
        if (len == 0)
            continue; /* an empty answer is no answer (a required one is then missing) */
        strbuf_addf(&lines, "%s\t%s\n", ans->code, ans->value);
        if (is_list(dt))
            choice_name(at->choices, ans->value, shown, sizeof(shown));
        else
            str_copy(shown, sizeof(shown), ans->value);
        strbuf_addf(text, "\n%s: %s", at->description_tr, shown);
    }
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        if (!attrs[i].required)
            continue;
        bool given = false;
        for (size_t j = 0; j < in->nanswers && !given; j++)
            given = strcmp(in->answers[j].code, attrs[i].code) == 0 && in->answers[j].value[0];
        if (!given) {
            char field[96];
            snprintf(field, sizeof(field), "attribute[%s]", attrs[i].code);
            rc = err_set(ed, ERR_INVALID, field, "%s is required for service %s", field,
                         in->service_code);
        }
    }
    if (rc == ERR_OK && lines.toobig)
        rc = err_set(ed, ERR_INVALID, "attribute", "the answers are too long");
    if (rc == ERR_OK)
        str_copy(rec->attributes, sizeof(rec->attributes), lines.buf ? lines.buf : "");
    strbuf_release(&lines);
    return rc;
}

/* Is s a plain http(s) URL of printable ASCII without spaces? */
static bool url_ok(const char *s)
{
    if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
        return false;
    if (strlen(s) >= O311_URL_LEN)
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
            return false;
    return s[strlen(s) - 1] != '/' || strchr(s + 8, '/') != NULL;
}

/* The optional short fields of in: UTF-8, within their lengths. */
static int fields_check(const struct o311_input *in, struct err_detail *ed)
{
    const struct {
        const char *name, *v;
        size_t max;
    } f[] = {
        { "description", in->description, O311_DESC_MAX },
        { "address_string", in->address_string, CORE_ADDRESS_MAX },
        { "first_name", in->first_name, O311_NAME_MAX },
        { "last_name", in->last_name, O311_NAME_MAX },
        { "device_id", in->device_id, O311_ID_LEN - 1 },
        { "account_id", in->account_id, O311_ID_LEN - 1 },
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        if (!f[i].v)
            continue;
        if (strlen(f[i].v) > f[i].max)
            return err_set(ed, ERR_INVALID, f[i].name, "%s is longer than %zu bytes", f[i].name,
                           f[i].max);
        if (!nlp_utf8_valid(f[i].v, strlen(f[i].v)))
            return err_set(ed, ERR_INVALID, f[i].name, "%s is not UTF-8", f[i].name);
    }
    if (in->media_url && *in->media_url && !url_ok(in->media_url))
        return err_set(ed, ERR_INVALID, "media_url", "media_url must be an http(s) URL");
    return ERR_OK;
}

int core_o311_create(struct store *st, const struct o311_input *in, struct app *out,
                     struct o311_request *rec, struct err_detail *ed)
{
    struct category cat;
    struct o311_attr *attrs = NULL;
    size_t nattrs = 0;
    struct citizen c = { 0 };
    struct strbuf text = STRBUF_INIT;
    char name[2 * O311_NAME_MAX + 2] = "", place[MODEL_PLACE_LEN];
    int64_t district_id = 0;
    int rc;
    memset(rec, 0, sizeof(*rec));
    if ((rc = fields_check(in, ed)) != ERR_OK)
        return rc;
    if (!in->service_code || !*in->service_code)
        return err_set(ed, ERR_INVALID, "service_code", "service_code is required");
    rc = store_category_by_code(st, in->service_code, &cat);
    /* the other institutions' categories (DIS, redirects) are no service of the municipality */
    if (rc == ERR_NOT_FOUND ||
        (rc == ERR_OK && (!cat.active || cat.redirect[0] || !strcmp(cat.department_code, "DIS"))))
        return err_set(ed, ERR_NOT_FOUND, "service_code", "service_code %s is not a service",
                       in->service_code);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not read the service");
    if (!in->has_geo && !(in->address_string && *in->address_string) && !in->address_id)
        return err_set(ed, ERR_INVALID, "lat",
                       "a location is required: lat and long, address_string or address_id");
    if (in->address_id) {
        rc = store_neighbourhood_name(st, in->address_id, &district_id, place, sizeof(place));
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_INVALID, "address_id", "address_id %lld is not known",
                           (long long)in->address_id);
        if (rc != ERR_OK)
            return err_set(ed, rc, NULL, "could not read the address");
    }
    if ((rc = store_o311_attr_list(st, cat.id, &attrs, &nattrs)) != ERR_OK) {
        err_set(ed, rc, NULL, "could not read the service's attributes");
        goto out;
    }
    strbuf_init(&text, CORE_TEXT_MAX);
    strbuf_adds(&text, in->description && *in->description ? in->description : cat.name_tr);
    if ((rc = answers_check(in, attrs, nattrs, rec, &text, ed)) != ERR_OK)
        goto out;
    if (text.toobig) { /* the cap dropped the answers (or all of it): never cut silently */
        rc = err_set_named(ed, ERR_INVALID, "too_long", "description",
                           "the description with the answers is longer than %d bytes",
                           CORE_TEXT_MAX);
        goto out;
    }
    if (text.len < 3) /* core's minimum: a two-letter description gets the service's name */
        strbuf_addf(&text, " (%s)", cat.name_tr);
    struct citizen_input ci = { .phone = in->phone, .email = in->email };
    if (in->first_name && *in->first_name)
        str_copy(name, sizeof(name), in->first_name);
    if (in->last_name && *in->last_name) {
        size_t l = strlen(name);
        snprintf(name + l, sizeof(name) - l, "%s%s", l ? " " : "", in->last_name);
    }
    ci.name = name;
    if ((rc = core_citizen_read(&ci, CITIZEN_NEED_NOTHING, &c, ed)) != ERR_OK)
        goto out;
    bool anyone = c.name || c.phone[0] || c.email;
    struct app_input ain = {
        .kind = "request",
        .channel = "open311",
        .text = text.buf,
        .category = cat.code,
        .district_id = district_id,
        .neighbourhood_id = in->address_id,
        .address = in->address_string && *in->address_string ? in->address_string : NULL,
        .has_geo = in->has_geo,
        .lat = in->lat,
        .lon = in->lon,
        .new_citizen = anyone ? &c : NULL,
        .routing = in->routing,
    };
    char tok[AUTH_TOKEN_LEN];
    auth_new_token(tok);
    str_copy(rec->token, sizeof(rec->token), tok);
    rec->key_id = in->key_id;
    str_copy(rec->media_url, sizeof(rec->media_url), in->media_url);
    str_copy(rec->device_id, sizeof(rec->device_id), in->device_id);
    str_copy(rec->account_id, sizeof(rec->account_id), in->account_id);
    if ((rc = store_begin(st)) != ERR_OK) {
        err_set(ed, rc, NULL, "database busy");
        goto out;
    }
    if ((rc = core_app_create(st, NULL, &ain, out, ed)) != ERR_OK) {
        store_rollback(st);
        goto out;
    }
    rec->app_id = out->id;
    if ((rc = store_o311_request_add(st, rec)) != ERR_OK || (rc = store_commit(st)) != ERR_OK) {
        store_rollback(st);
        app_release(out);
        err_set(ed, rc, NULL, "could not store the request");
        goto out;
    }
out:
    citizen_release(&c);
    strbuf_release(&text);
    free(attrs);
    return rc;
}
