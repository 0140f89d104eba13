/* Open311 GeoReport v2 at /open311 (issue 16; docs/OPEN311.md): discovery, services, service
 * definitions, POST and GET requests, tokens, in XML (required by the spec) and JSON, with the
 * spec's errors: a list of {code, description} in the requested format. Parsing here, the
 * rules in core/open311.c, the two formats in open311_doc.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "api/open311.h"
#include "model/place.h"
#include "core/open311.h"
#include "core/routing.h"
#include "nlp/turkish.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define O311_SPEC "http://wiki.open311.org/GeoReport_v2"
#define O311_CHANGESET "2026-12-05T00:00:00Z" /* when this endpoint's surface last changed */
#define O311_MAX_REQUESTS 1000                /* the spec's default and our maximum */
#define O311_WINDOW (90 * 86400)              /* the spec's default range: the last 90 days */
#define O311_MAX_FORMAT 16

/* The format a path asks for: the extension of its last segment (".json" → JSON, anything
 * else XML, the spec's required format). */
static enum o311_fmt path_fmt(const char *path)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) && strcmp(dot, ".json") == 0 ? O311_JSON : O311_XML;
}

static void reply_doc(struct api_req *r, int status, enum o311_fmt fmt, struct o311_doc *d)
{
    size_t len;
    char *s = o311_doc_finish(d, &len);
    r->resp->status = status;
    r->resp->content_type = o311_content_type(fmt);
    strbuf_add(&r->resp->body, s, len);
    free(s);
}

/* The spec's error: "a list of errors, each with a code (the HTTP status) and a
 * description", in the format the path asked for. The router calls it too (404, 405, 413,
 * 415, 503), so everything under /open311 answers in the spec's shape. */
void api_o311_error(struct api_req *r, int status, const char *code, const char *field,
                    const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    (void)code, (void)field;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!nlp_utf8_valid(msg, strlen(msg))) /* a path's bytes echoed: keep the XML well-formed */
        for (char *p = msg; *p; p++)
            if ((unsigned char)*p >= 0x80)
                *p = '?';
    enum o311_fmt f = path_fmt(r->http->path);
    struct o311_doc *d = o311_doc_new(f);
    if (status == 503)
        api_retry_after(r, API_RETRY_AFTER);
    o311_list(d, "errors");
    o311_obj(d, "error", false);
    o311_int(d, "code", status);
    o311_str(d, "description", msg);
    o311_end(d);
    o311_end(d);
    strbuf_reset(&r->resp->body);
    reply_doc(r, status, f, d);
}

/* An error of core's: its status through the one map, its message as the description. */
static void fail_ed(struct api_req *r, const struct err_detail *ed)
{
    api_o311_error(r, api_status_of(ed->code), NULL, NULL, "%s",
                   ed->message[0] ? ed->message : err_name(ed->code));
}

/* Split path segment seg ("services.xml") into its name (into name) and format; false (after
 * replying 404) when it has no known format or the name is too long. */
static bool segment(struct api_req *r, const char *seg, char *name, size_t namelen,
                    enum o311_fmt *fmt)
{
    const char *dot = strrchr(seg, '.');
    if (!dot || (strcmp(dot, ".xml") != 0 && strcmp(dot, ".json") != 0) ||
        (size_t)(dot - seg) >= namelen || dot == seg) {
        api_o311_error(r, 404, NULL, NULL, "not found: name the format, .xml or .json");
        return false;
    }
    memcpy(name, seg, (size_t)(dot - seg));
    name[dot - seg] = '\0';
    *fmt = strcmp(dot, ".json") == 0 ? O311_JSON : O311_XML;
    return true;
}

/* The jurisdiction this endpoint serves (setting open311.jurisdiction, else "alo153"). */
static void jurisdiction(struct api_req *r, char *out, size_t outlen)
{
    if (store_setting_get(r->st, "open311.jurisdiction", out, outlen) != ERR_OK || !*out)
        str_copy(out, outlen, "alo153");
}

/* jurisdiction_id, when given, must be ours: "This is only required if the endpoint serves
 * multiple jurisdictions" — ours serves one, so another is not found. */
static bool jurisdiction_ok(struct api_req *r, const char *given)
{
    char ours[128];
    if (!given)
        return true;
    jurisdiction(r, ours, sizeof(ours));
    if (strcmp(given, ours) == 0)
        return true;
    api_o311_error(r, 404, NULL, NULL, "jurisdiction_id not found: this endpoint serves %s", ours);
    return false;
}

/* ---- reference data of one request, read once ---- */
struct refs {
    struct category *cats;
    size_t ncats;
    struct department *depts;
    size_t ndepts;
};

static int refs_load(struct api_req *r, struct refs *x)
{
    memset(x, 0, sizeof(*x));
    int rc = store_category_list(r->st, NULL, &x->cats, &x->ncats);
    if (rc == ERR_OK)
        rc = store_department_list(r->st, &x->depts, &x->ndepts);
    return rc;
}

static void refs_free(struct refs *x)
{
    free(x->cats);
    free(x->depts);
}

static const struct category *ref_cat(const struct refs *x, int64_t id)
{
    for (size_t i = 0; i < x->ncats; i++)
        if (x->cats[i].id == id)
            return &x->cats[i];
    return NULL;
}

static const struct department *ref_dept(const struct refs *x, int64_t id)
{
    for (size_t i = 0; i < x->ndepts; i++)
        if (x->depts[i].id == id)
            return &x->depts[i];
    return NULL;
}

/* Is the category a service: active, and the municipality's own (not redirected elsewhere)? */
static bool is_service(const struct refs *x, const struct category *c)
{
    const struct department *d = ref_dept(x, c->department_id);
    return c->active && !c->redirect[0] && d && strcmp(d->code, "DIS") != 0;
}

/* The spec's service_notice: what the municipality promises, from the category's deadline. */
static void deadline_text(const struct category *c, char *out, size_t outlen)
{
    snprintf(out, outlen, "Başvurular %d %s içinde sonuçlandırılır.", c->sla_days,
             c->working_days ? "iş günü" : "gün");
}

/* ---- discovery ---- */

static void discovery(struct api_req *r, enum o311_fmt fmt)
{
    static const char *const formats[] = { "text/xml", "application/json" };
    const char *host = http_header(r->http, "Host");
    char url[512];
    snprintf(url, sizeof(url), "%s://%s/open311/v2/",
             http_header(r->http, "X-Forwarded-Proto") ? "https" : "http",
             host ? host : "localhost");
    struct o311_doc *d = o311_doc_new(fmt);
    o311_obj(d, "discovery", false);
    o311_str(d, "changeset", O311_CHANGESET);
    o311_str(d, "contact", "ALO 153 / Beyaz Masa");
    o311_str(d, "key_service",
             "API keys: the municipality's administrator (alo153 token add "
             "NAME --open311)");
    o311_list(d, "endpoints");
    o311_obj(d, "endpoint", false);
    o311_str(d, "specification", O311_SPEC);
    o311_str(d, "url", url);
    o311_str(d, "changeset", O311_CHANGESET);
    o311_str(d, "type", "production");
    o311_list(d, "formats");
    for (size_t i = 0; i < 2; i++)
        o311_item_str(d, "format", formats[i]);
    reply_doc(r, 200, fmt, d);
}

/* ---- services ---- */

static void services(struct api_req *r, enum o311_fmt fmt)
{
    struct refs x;
    if (refs_load(r, &x) != ERR_OK) {
        refs_free(&x);
        api_o311_error(r, 503, NULL, NULL, "the database is not available");
        return;
    }
    struct o311_doc *d = o311_doc_new(fmt);
    o311_list(d, "services");
    for (size_t i = 0; i < x.ncats; i++) {
        const struct category *c = &x.cats[i];
        struct o311_attr *attrs = NULL;
        size_t nattrs = 0;
        if (!is_service(&x, c))
            continue;
        store_o311_attr_list(r->st, c->id, &attrs, &nattrs);
        free(attrs);
        o311_obj(d, "service", false);
        o311_str(d, "service_code", c->code);
        o311_str(d, "service_name", c->name_tr);
        o311_str(d, "description", c->name_en);
        o311_bool(d, "metadata", nattrs > 0);
        o311_str(d, "type", "realtime");
        o311_str(d, "keywords", c->keywords);
        o311_str(d, "group", ref_dept(&x, c->department_id)->name_tr);
        o311_end(d);
    }
    refs_free(&x);
    reply_doc(r, 200, fmt, d);
}

void h_o311_service_def(struct api_req *r)
{
    char code[MODEL_CODE_LEN];
    enum o311_fmt fmt;
    struct refs x;
    if (!segment(r, r->params[0], code, sizeof(code), &fmt) ||
        !jurisdiction_ok(r, http_query(r->http, "jurisdiction_id")))
        return;
    if (refs_load(r, &x) != ERR_OK) {
        refs_free(&x);
        api_o311_error(r, 503, NULL, NULL, "the database is not available");
        return;
    }
    const struct category *c = NULL;
    for (size_t i = 0; i < x.ncats && !c; i++)
        if (strcmp(x.cats[i].code, code) == 0 && is_service(&x, &x.cats[i]))
            c = &x.cats[i];
    if (!c) {
        refs_free(&x);
        api_o311_error(r, 404, NULL, NULL, "service_code %s not found", code);
        return;
    }
    struct o311_attr *attrs = NULL;
    size_t n = 0;
    store_o311_attr_list(r->st, c->id, &attrs, &n);
    struct o311_doc *d = o311_doc_new(fmt);
    o311_obj(d, "service_definition", false);
    o311_str(d, "service_code", c->code);
    o311_list(d, "attributes");
    for (size_t i = 0; i < n; i++) {
        o311_obj(d, "attribute", false);
        o311_bool(d, "variable", true);
        o311_str(d, "code", attrs[i].code);
        o311_str(d, "datatype", attrs[i].datatype);
        o311_bool(d, "required", attrs[i].required);
        o311_str(d, "datatype_description",
                 attrs[i].description_en[0] ? attrs[i].description_en : NULL);
        o311_int(d, "order", attrs[i].pos);
        o311_str(d, "description", attrs[i].description_tr);
        if (attrs[i].choices[0]) {
            o311_list(d, "values");
            for (const char *p = attrs[i].choices; *p;) {
                const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
                char key[O311_CODE_LEN], name[O311_TEXT_LEN];
                if (!nl)
                    nl = p + strlen(p);
                if (tab && tab < nl) {
                    snprintf(key, sizeof(key), "%.*s", (int)(tab - p), p);
                    snprintf(name, sizeof(name), "%.*s", (int)(nl - tab - 1), tab + 1);
                    o311_obj(d, "value", false);
                    o311_str(d, "key", key);
                    o311_str(d, "name", name);
                    o311_end(d);
                }
                p = *nl ? nl + 1 : nl;
            }
            o311_end(d);
        }
        o311_end(d);
    }
    free(attrs);
    refs_free(&x);
    reply_doc(r, 200, fmt, d);
}

/* ---- service requests ---- */

static bool is_open(enum app_status s)
{
    return s == ST_NEW || s == ST_FORWARDED || s == ST_IN_PROGRESS;
}

/* One application as the spec's request: no names, phones or e-mails; the description and
 * address only of requests that came in through Open311 (the others were told to a person,
 * not published: their place is given as neighbourhood and district). */
static void request_item(struct api_req *r, struct o311_doc *d, const struct refs *x,
                         const struct app *a)
{
    const struct category *c = ref_cat(x, a->category_id);
    const struct department *dep = ref_dept(x, a->department_id ? a->department_id
                                               : c              ? c->department_id
                                                                : 0);
    char t[TIME_RFC3339_LEN], notice[128], place[2 * MODEL_PLACE_LEN + 4];
    struct o311_request rec;
    bool ours = strcmp(a->channel, "open311") == 0;
    bool has_rec = ours && store_o311_request_get(r->st, a->id, NULL, &rec) == ERR_OK;
    o311_obj(d, "request", false);
    o311_str(d, "service_request_id", a->tracking);
    o311_str(d, "status", is_open(a->status) ? "open" : "closed");
    o311_str(d, "status_notes", a->public_response);
    o311_str(d, "service_name", c ? c->name_tr : NULL);
    o311_str(d, "service_code", c ? c->code : NULL);
    o311_str(d, "description", ours ? a->text : NULL);
    o311_str(d, "agency_responsible", dep ? dep->name_tr : NULL);
    if (c)
        deadline_text(c, notice, sizeof(notice));
    o311_str(d, "service_notice", c ? notice : NULL);
    time_format(a->created_at, t);
    o311_str(d, "requested_datetime", t);
    time_format(a->updated_at, t);
    o311_str(d, "updated_datetime", t);
    if (a->resolution_due)
        time_format(a->resolution_due, t);
    o311_str(d, "expected_datetime", a->resolution_due ? t : NULL);
    place[0] = '\0';
    if (ours && a->address)
        str_copy(place, sizeof(place), a->address);
    else if (a->neighbourhood_name[0] || a->district_name[0]) {
        char nb[MODEL_PLACE_LEN];
        place_neighbourhood(a->neighbourhood_name, PLACE_FULL, nb, sizeof(nb));
        snprintf(place, sizeof(place), "%s%s%s", nb,
                 a->neighbourhood_name[0] && a->district_name[0] ? ", " : "", a->district_name);
    }
    o311_str(d, "address", place[0] ? place : NULL);
    if (a->neighbourhood_id)
        o311_int(d, "address_id", a->neighbourhood_id);
    else
        o311_str(d, "address_id", NULL);
    o311_str(d, "zipcode", NULL);
    if (a->has_geo) {
        o311_num(d, "lat", a->lat);
        o311_num(d, "long", a->lon);
    } else {
        o311_str(d, "lat", NULL);
        o311_str(d, "long", NULL);
    }
    o311_str(d, "media_url", has_rec && rec.media_url[0] ? rec.media_url : NULL);
    o311_end(d);
}

static void reply_requests(struct api_req *r, enum o311_fmt fmt, struct app *apps, size_t n)
{
    struct refs x;
    if (refs_load(r, &x) != ERR_OK) {
        refs_free(&x);
        api_o311_error(r, 503, NULL, NULL, "the database is not available");
        return;
    }
    struct o311_doc *d = o311_doc_new(fmt);
    o311_list(d, "service_requests");
    for (size_t i = 0; i < n; i++)
        request_item(r, d, &x, &apps[i]);
    refs_free(&x);
    reply_doc(r, 200, fmt, d);
}

static void apps_free(struct app *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        app_release(&v[i]);
    free(v);
}

/* The next comma-separated item of *p (spaces around it trimmed) into out; false at the end
 * or when an item does not fit (*bad set). */
static bool next_item(const char **p, char *out, size_t outlen, bool *bad)
{
    const char *s = *p;
    if (!*s)
        return false;
    const char *e = strchr(s, ',');
    if (!e)
        e = s + strlen(s);
    *p = *e ? e + 1 : e;
    if (*e && !e[1]) /* "open," : a trailing empty item */
        *bad = true;
    while (s < e && *s == ' ')
        s++;
    const char *f = e;
    while (f > s && f[-1] == ' ')
        f--;
    if ((size_t)(f - s) >= outlen || f == s) {
        *bad = true;
        return false;
    }
    memcpy(out, s, (size_t)(f - s));
    out[f - s] = '\0';
    return true;
}

/* GET requests by service_request_id: "comma delimited. This overrides all other arguments". */
static void requests_by_ids(struct api_req *r, enum o311_fmt fmt, const char *ids)
{
    char item[64], tr[TRACKING_LEN];
    bool bad = false;
    size_t n = 0, cap = 8;
    struct app *v = xmalloc(cap * sizeof(*v));
    int year;
    int64_t seq;
    for (const char *p = ids; next_item(&p, item, sizeof(item), &bad);) {
        if (!tracking_normalise(item, tr) || !tracking_parse(tr, &year, &seq)) {
            bad = true;
            break;
        }
        if (n == O311_MAX_REQUESTS)
            break;
        if (n == cap)
            v = xrealloc(v, (cap *= 2) * sizeof(*v));
        if (store_app_by_tracking(r->st, tr, &v[n]) == ERR_OK)
            n++;
    }
    if (bad || !*ids) {
        apps_free(v, n);
        api_o311_error(r, 400, NULL, NULL,
                       "service_request_id must be service request ids (YYYY-NNNNNN), comma "
                       "delimited");
        return;
    }
    reply_requests(r, fmt, v, n);
    apps_free(v, n);
}

static int app_newest_first(const void *pa, const void *pb)
{
    const struct app *a = pa, *b = pb;
    if (a->created_at != b->created_at)
        return a->created_at < b->created_at ? 1 : -1;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* Append up to O311_MAX_REQUESTS applications of f (with a category) to *v. */
static int collect(struct api_req *r, struct app_filter *f, struct app **v, size_t *n, size_t *cap)
{
    int64_t next = 0;
    f->after = 0;
    size_t got = 0;
    do {
        struct app *page = NULL;
        size_t pn = 0;
        f->limit = 500;
        int rc = store_app_list(r->st, f, &page, &pn, &next, NULL);
        if (rc != ERR_OK)
            return rc;
        for (size_t i = 0; i < pn; i++) {
            if (got == O311_MAX_REQUESTS || !page[i].category_id) {
                app_release(&page[i]);
                continue;
            }
            if (*n == *cap)
                *v = xrealloc(*v, (*cap *= 2) * sizeof(**v));
            (*v)[(*n)++] = page[i];
            got++;
        }
        free(page);
        f->after = next;
    } while (next && got < O311_MAX_REQUESTS);
    return ERR_OK;
}

static bool query_time(struct api_req *r, const char *name, int64_t *t)
{
    const char *v = http_query(r->http, name);
    *t = 0;
    if (!v)
        return true;
    /* "Timezone information … must be included": a date alone has none */
    if (!strchr(v, 'T') || !time_parse(v, t)) {
        api_o311_error(r, 400, NULL, NULL,
                       "%s must be a date and time with its zone (ISO 8601, e.g. "
                       "2026-11-05T08:15:30+03:00)",
                       name);
        return false;
    }
    return true;
}

static void requests_list(struct api_req *r, enum o311_fmt fmt)
{
    const char *ids = http_query(r->http, "service_request_id");
    const char *codes = http_query(r->http, "service_code");
    const char *status = http_query(r->http, "status");
    int64_t start, end, now = time_now();
    if (ids) {
        requests_by_ids(r, fmt, ids);
        return;
    }
    if (!query_time(r, "start_date", &start) || !query_time(r, "end_date", &end))
        return;
    /* "When not specified, the range defaults to most recent 90 days"; "may not span more
     * than 90 days" */
    if (!start && !end)
        end = now, start = now - O311_WINDOW;
    else if (!end)
        end = start + O311_WINDOW;
    else if (!start)
        start = end - O311_WINDOW;
    if (end < start) {
        api_o311_error(r, 400, NULL, NULL, "end_date is before start_date");
        return;
    }
    if (end - start > O311_WINDOW) {
        api_o311_error(r, 400, NULL, NULL, "start_date to end_date may not span more than 90 days");
        return;
    }
    struct app_filter f = { .from = start, .to = end + 1, .now = now };
    char item[MODEL_CODE_LEN];
    bool bad = false;
    if (status) {
        for (const char *p = status; next_item(&p, item, sizeof(item), &bad);) {
            if (!strcmp(item, "open"))
                f.statuses |= 1u << ST_NEW | 1u << ST_FORWARDED | 1u << ST_IN_PROGRESS;
            else if (!strcmp(item, "closed"))
                f.statuses |= 1u << ST_RESOLVED | 1u << ST_CLOSED | 1u << ST_OUT_OF_SCOPE |
                              1u << ST_DUPLICATE;
            else
                bad = true;
        }
        if (bad || !f.statuses) {
            api_o311_error(r, 400, NULL, NULL, "status must be open or closed (comma delimited)");
            return;
        }
    }
    int64_t cat_ids[64];
    size_t ncat = 0;
    if (codes) {
        for (const char *p = codes; next_item(&p, item, sizeof(item), &bad);) {
            struct category c;
            if (ncat == 64) {
                bad = true;
                break;
            }
            if (store_category_by_code(r->st, item, &c) != ERR_OK) {
                api_o311_error(r, 404, NULL, NULL, "service_code %s not found", item);
                return;
            }
            cat_ids[ncat++] = c.id;
        }
        if (bad || !ncat) {
            api_o311_error(r, 400, NULL, NULL,
                           "service_code must be service codes, comma delimited");
            return;
        }
    }
    size_t n = 0, cap = 64;
    struct app *v = xmalloc(cap * sizeof(*v));
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < (ncat ? ncat : 1); i++) {
        f.category_id = ncat ? cat_ids[i] : 0;
        rc = collect(r, &f, &v, &n, &cap);
    }
    if (rc != ERR_OK) {
        apps_free(v, n);
        api_o311_error(r, 503, NULL, NULL, "the database is not available");
        return;
    }
    if (ncat > 1)
        qsort(v, n, sizeof(*v), app_newest_first);
    size_t shown = n > O311_MAX_REQUESTS ? O311_MAX_REQUESTS : n;
    reply_requests(r, fmt, v, shown);
    apps_free(v, n);
}

void h_o311_get(struct api_req *r)
{
    char name[32];
    enum o311_fmt fmt;
    if (!segment(r, r->params[0], name, sizeof(name), &fmt) ||
        !jurisdiction_ok(r, http_query(r->http, "jurisdiction_id")))
        return;
    if (!strcmp(name, "discovery"))
        discovery(r, fmt);
    else if (!strcmp(name, "services"))
        services(r, fmt);
    else if (!strcmp(name, "requests"))
        requests_list(r, fmt);
    else
        api_o311_error(r, 404, NULL, NULL, "not found: %s", name);
}

/* Discovery also at /open311/discovery.{fmt}, where clients look for it first. */
void h_o311_discovery(struct api_req *r)
{
    char name[32];
    enum o311_fmt fmt;
    if (!segment(r, r->params[0], name, sizeof(name), &fmt))
        return;
    if (strcmp(name, "discovery") != 0) {
        api_o311_error(r, 404, NULL, NULL, "not found: GeoReport v2 is under /open311/v2/");
        return;
    }
    discovery(r, fmt);
}

void h_o311_request(struct api_req *r)
{
    char id[64], tr[TRACKING_LEN];
    enum o311_fmt fmt;
    struct app a;
    int year;
    int64_t seq;
    if (!segment(r, r->params[0], id, sizeof(id), &fmt) ||
        !jurisdiction_ok(r, http_query(r->http, "jurisdiction_id")))
        return;
    if (!tracking_normalise(id, tr) || !tracking_parse(tr, &year, &seq) ||
        store_app_by_tracking(r->st, tr, &a) != ERR_OK) {
        api_o311_error(r, 404, NULL, NULL, "service_request_id %s not found", id);
        return;
    }
    reply_requests(r, fmt, &a, 1);
    app_release(&a);
}

void h_o311_token(struct api_req *r)
{
    char tok[64];
    enum o311_fmt fmt;
    struct o311_request rec;
    struct app a;
    if (!segment(r, r->params[0], tok, sizeof(tok), &fmt) ||
        !jurisdiction_ok(r, http_query(r->http, "jurisdiction_id")))
        return;
    if (strlen(tok) != O311_TOKEN_LEN - 1 ||
        store_o311_request_get(r->st, 0, tok, &rec) != ERR_OK ||
        store_app_get(r->st, rec.app_id, &a) != ERR_OK) {
        api_o311_error(r, 404, NULL, NULL, "token %s not found", tok);
        return;
    }
    struct o311_doc *d = o311_doc_new(fmt);
    o311_list(d, "service_requests");
    o311_obj(d, "request", false);
    o311_str(d, "service_request_id", a.tracking);
    o311_str(d, "token", rec.token);
    app_release(&a);
    reply_doc(r, 200, fmt, d);
}

/* ---- POST requests ---- */

/* The form's names this POST takes (the spec's), each at most once; attribute[…] apart. */
static const char *const post_fields[] = {
    "api_key",    "jurisdiction_id", "service_code", "lat",        "long",       "address_string",
    "address_id", "email",           "device_id",    "account_id", "first_name", "last_name",
    "phone",      "description",     "media_url",    NULL,
};

/* attribute[code] or attribute[code][] → code (into out); false when name is neither. */
static bool attribute_code(const char *name, char *out, size_t outlen)
{
    if (strncmp(name, "attribute[", 10) != 0)
        return false;
    const char *s = name + 10, *e = strchr(s, ']');
    if (!e || e == s || (strcmp(e, "]") != 0 && strcmp(e, "][]") != 0) || (size_t)(e - s) >= outlen)
        return false;
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    return true;
}

void h_o311_post(struct api_req *r)
{
    char name[32];
    enum o311_fmt fmt;
    struct err_detail ed = { 0 };
    const struct form *fm = &r->form;
    if (!segment(r, r->params[0], name, sizeof(name), &fmt))
        return;
    if (strcmp(name, "requests") != 0) {
        if (!strcmp(name, "services") || !strcmp(name, "discovery"))
            api_o311_error(r, 405, NULL, NULL, "POST is not allowed here");
        else
            api_o311_error(r, 404, NULL, NULL, "not found: %s", name);
        return;
    }
    /* "api_key: … required" — a bad key is 403 before anything else is looked at */
    int64_t key_id;
    if (form_count(fm, "api_key") > 1 ||
        core_o311_key_check(r->st, form_get(fm, "api_key"), &key_id, &ed) != ERR_OK) {
        if (ed.code == ERR_OK)
            err_set(&ed, ERR_FORBIDDEN, "api_key", "api_key is given more than once");
        fail_ed(r, &ed);
        return;
    }
    char rk[LIMITER_KEY_MAX];
    snprintf(rk, sizeof(rk), "open311|%lld", (long long)key_id);
    int limit =
        r->api->cfg.open311_rate_per_hour ? r->api->cfg.open311_rate_per_hour : O311_RATE_DEFAULT;
    if (!limiter_take(r->api->limits, rk, time_now() / 3600, limit)) {
        api_retry_after(r, 3600 - time_now() % 3600);
        api_o311_error(r, 429, NULL, NULL, "too many requests with this api_key this hour");
        return;
    }
    struct o311_answer answers[O311_MAX_ATTRS * 4];
    char codes[O311_MAX_ATTRS * 4][O311_CODE_LEN];
    size_t nans = 0;
    for (size_t i = 0; i < fm->n; i++) {
        const char *fname = fm->fields[i].name;
        if (attribute_code(fname, codes[nans < O311_MAX_ATTRS * 4 ? nans : 0], O311_CODE_LEN)) {
            if (nans == O311_MAX_ATTRS * 4) {
                api_o311_error(r, 400, NULL, NULL, "too many attribute values");
                return;
            }
            answers[nans].code = codes[nans];
            answers[nans].value = fm->fields[i].value;
            nans++;
            continue;
        }
        if (!core_word_in(post_fields, fname)) {
            api_o311_error(r, 400, NULL, NULL, "%.60s is not a parameter of POST requests", fname);
            return;
        }
        if (form_count(fm, fname) > 1) {
            api_o311_error(r, 400, NULL, NULL, "%s is given more than once", fname);
            return;
        }
    }
    if (!jurisdiction_ok(r, form_get(fm, "jurisdiction_id")))
        return;
    struct o311_input in = {
        .service_code = form_get(fm, "service_code"),
        .description = form_get(fm, "description"),
        .address_string = form_get(fm, "address_string"),
        .email = form_get(fm, "email"),
        .phone = form_get(fm, "phone"),
        .first_name = form_get(fm, "first_name"),
        .last_name = form_get(fm, "last_name"),
        .device_id = form_get(fm, "device_id"),
        .account_id = form_get(fm, "account_id"),
        .media_url = form_get(fm, "media_url"),
        .answers = answers,
        .nanswers = nans,
        .key_id = key_id,
    };
    const char *lat = form_get(fm, "lat"), *lon = form_get(fm, "long");
    const char *aid = form_get(fm, "address_id");
    if (!in.service_code || !*in.service_code) {
        api_o311_error(r, 400, NULL, NULL, "service_code is required");
        return;
    }
    if ((lat && *lat) != (lon && *lon)) {
        api_o311_error(r, 400, NULL, NULL, "give both lat and long, or neither");
        return;
    }
    if (lat && *lat) {
        if (!parse_double(lat, -90, 90, &in.lat) || !parse_double(lon, -180, 180, &in.lon)) {
            api_o311_error(r, 400, NULL, NULL,
                           "lat and long must be WGS84 decimal degrees (-90..90, -180..180)");
            return;
        }
        in.has_geo = true;
    }
    if (aid && *aid && !parse_i64(aid, 1, INT64_MAX, &in.address_id)) {
        api_o311_error(r, 400, NULL, NULL,
                       "address_id must be a neighbourhood id (see "
                       "/api/v1/districts/{id}/neighbourhoods)");
        return;
    }
    struct routing_result rr;
    const char *desc = in.description;
    if (desc && *desc && nlp_utf8_valid(desc, strlen(desc)) &&
        routing_classify(r->st, desc, &rr, NULL) == ERR_OK)
        in.routing = &rr;
    struct app a;
    struct o311_request rec;
    if (core_o311_create(r->st, &in, &a, &rec, &ed) != ERR_OK) {
        fail_ed(r, &ed);
        return;
    }
    struct category cat;
    char notice[128] = "";
    if (store_category_get(r->st, a.category_id, &cat) == ERR_OK)
        deadline_text(&cat, notice, sizeof(notice));
    struct o311_doc *d = o311_doc_new(fmt);
    o311_list(d, "service_requests");
    o311_obj(d, "request", false);
    o311_str(d, "service_request_id", a.tracking);
    o311_str(d, "token", rec.token);
    o311_str(d, "service_notice", notice);
    o311_str(d, "account_id", rec.account_id[0] ? rec.account_id : NULL);
    app_release(&a);
    reply_doc(r, 200, fmt, d);
}
