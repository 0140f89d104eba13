/* KVKK (issue 12; core/kvkk.h, docs/KVKK.md): a citizen's data exported as JSON or a printable
 * Turkish HTML page, erasure on request, the view log, and the data-protection officer's
 * citizen search. Every route is ACC_PRIVACY (admin and dpo). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/api_int.h"
#include "core/kvkk.h"
#include "core/validate.h"
#include "model/lifecycle.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* ---- JSON: everything, unmasked (it is the person's own data) ---- */

static json_t *citizen_json(const struct kvkk_dossier *d)
{
    const struct citizen *c = &d->citizen;
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)c->id,
                     "name", str_or_null(c->name), "phone", str_or_null(c->phone), "email",
                     str_or_null(c->email), "tc", str_or_null(c->tc), "address",
                     str_or_null(c->address), "created_at", api_time(c->created_at),
                     "anonymised_at", api_time(c->anonymised_at), "consent_marketing",
                     d->consent_marketing);
}

/* File i's content as base64 (standard alphabet, padded), null when it was left out. */
static json_t *file_b64(const struct kvkk_app *k, size_t i)
{
    if (!k->contents || !k->contents[i].data)
        return json_null();
    size_t n = sodium_base64_encoded_len(k->contents[i].len, sodium_base64_VARIANT_ORIGINAL);
    char *b = xmalloc(n);
    sodium_bin2base64(b, n, k->contents[i].data, k->contents[i].len,
                      sodium_base64_VARIANT_ORIGINAL);
    json_t *v = json_string(b);
    free(b);
    return v ? v : json_null();
}

static json_t *app_json(const struct kvkk_app *k)
{
    const struct app *a = &k->app;
    json_t *events = json_array(), *files = json_array(), *msgs = json_array(),
           *ratings = json_array();
    for (size_t i = 0; i < k->nevents; i++) {
        const struct app_event *e = &k->events[i];
        json_array_append_new(
            events,
            json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:b}", "at", api_time(e->at), "action",
                      e->action, "user", str_or_null(e->user_name), "from",
                      e->from_status >= 0
                          ? json_string(lifecycle_status_name((enum app_status)e->from_status))
                          : json_null(),
                      "to",
                      e->to_status >= 0
                          ? json_string(lifecycle_status_name((enum app_status)e->to_status))
                          : json_null(),
                      "note", str_or_null(e->note), "public", e->public));
    }
    for (size_t i = 0; i < k->nfiles; i++)
        json_array_append_new(
            files,
            json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:o}", "id", (json_int_t)k->files[i].id,
                      "filename", k->files[i].filename, "mime", k->files[i].mime, "size",
                      (json_int_t)k->files[i].size, "sha256", k->files[i].hash, "created_at",
                      api_time(k->files[i].created_at), "content_base64", file_b64(k, i)));
    for (size_t i = 0; i < k->nmessages; i++) {
        const struct outbox_msg *m = &k->messages[i];
        json_array_append_new(msgs,
                              json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o}", "channel",
                                        m->channel, "recipient", m->recipient, "subject",
                                        str_or_null(m->subject), "body", str_or_null(m->body),
                                        "purpose", m->purpose, "state", m->state, "created_at",
                                        api_time(m->created_at), "sent_at", api_time(m->sent_at)));
    }
    for (size_t i = 0; i < k->nratings; i++)
        json_array_append_new(ratings,
                              json_pack("{s:i, s:o, s:s, s:o}", "rating", k->ratings[i].rating,
                                        "comment", str_or_null(k->ratings[i].comment), "source",
                                        k->ratings[i].source, "at", api_time(k->ratings[i].at)));
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
        (json_int_t)a->id, "tracking", a->tracking, "kind", a->kind, "channel", a->channel,
        "status", lifecycle_status_name(a->status), "category", str_or_null(a->category_code),
        "department", str_or_null(a->department_code), "district", str_or_null(a->district_name),
        "neighbourhood", str_or_null(a->neighbourhood_name), "text", str_or_null(a->text),
        "address", str_or_null(a->address), "public_response", str_or_null(a->public_response),
        "created_at", api_time(a->created_at), "closed_at", api_time(a->closed_at));
    json_object_set_new(o, "history", events);
    json_object_set_new(o, "attachments", files);
    json_object_set_new(o, "messages", msgs);
    json_object_set_new(o, "survey_answers", ratings);
    return o;
}

static json_t *dossier_json(const struct kvkk_dossier *d)
{
    json_t *apps = json_array(), *contacts = json_array(), *views = json_array();
    for (size_t i = 0; i < d->napps; i++)
        json_array_append_new(apps, app_json(&d->apps[i]));
    for (size_t i = 0; i < d->ncontacts; i++) {
        const struct contact *c = &d->contacts[i];
        json_array_append_new(
            contacts, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)c->id,
                                "channel", c->channel, "caller", str_or_null(c->caller),
                                "started_at", api_time(c->started_at), "outcome",
                                str_or_null(contact_outcome_name(c->outcome)), "category",
                                str_or_null(c->category), "note", str_or_null(c->note)));
    }
    for (size_t i = 0; i < d->nviews; i++)
        json_array_append_new(views,
                              json_pack("{s:o, s:s, s:s}", "at", api_time(d->views[i].at), "user",
                                        d->views[i].username, "purpose", d->views[i].purpose));
    json_t *o =
        json_pack("{s:o, s:o, s:o, s:o, s:o}", "exported_at", api_time(d->made_at), "citizen",
                  citizen_json(d), "applications", apps, "contacts", contacts, "views", views);
    json_t *files = json_pack("{s:I, s:I, s:b}", "total_bytes", (json_int_t)d->files_bytes,
                              "cap_bytes", (json_int_t)d->files_cap, "included", !d->files_omitted);
    if (d->files_omitted) {
        json_object_set_new(files, "code", json_string("attachments_too_large"));
        json_object_set_new(files, "message",
                            json_string("the files are larger in all than the export's cap: "
                                        "they are listed without contents; hand them over "
                                        "apart (GET …/applications/{id}/attachments/{id})"));
    }
    json_object_set_new(o, "files", files);
    return o;
}

/* ---- HTML: a readable, printable Turkish page ---- */

static void esc(struct strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': strbuf_adds(b, "&lt;"); break;
        case '>': strbuf_adds(b, "&gt;"); break;
        case '&': strbuf_adds(b, "&amp;"); break;
        case '"': strbuf_adds(b, "&quot;"); break;
        case '\'': strbuf_adds(b, "&#39;"); break;
        default: strbuf_addch(b, *s);
        }
    }
}

/* t as Istanbul local time "05.12.2026 18:15", or "—". */
static void when(struct strbuf *b, int64_t t)
{
    if (!t) {
        strbuf_adds(b, "—");
        return;
    }
    time_t lt = (time_t)(t + 3 * 3600);
    struct tm tm;
    char out[32];
    gmtime_r(&lt, &tm);
    strftime(out, sizeof(out), "%d.%m.%Y %H:%M", &tm);
    strbuf_adds(b, out);
}

/* n bytes the Turkish way: "850 B", "12,4 KB", "3,1 MB". */
static void tr_bytes(int64_t n, char *out, size_t len)
{
    if (n < 1024) {
        snprintf(out, len, "%lld B", (long long)n);
        return;
    }
    double v = n < 1024 * 1024 ? n / 1024.0 : n / (1024.0 * 1024.0);
    snprintf(out, len, "%.1f %s", v, n < 1024 * 1024 ? "KB" : "MB");
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';
}

static void row(struct strbuf *b, const char *label, const char *value)
{
    strbuf_adds(b, "<tr><th>");
    esc(b, label);
    strbuf_adds(b, "</th><td>");
    esc(b, value && *value ? value : "—");
    strbuf_adds(b, "</td></tr>\n");
}

static const char *status_tr(enum app_status s)
{
    /* clang-format off */
    static const char *const names[ST__COUNT] = {
        [ST_NEW] = "Yeni", [ST_FORWARDED] = "Birime iletildi", [ST_IN_PROGRESS] = "İşlemde",
        [ST_RESOLVED] = "Cevaplandı", [ST_CLOSED] = "Kapandı", [ST_OUT_OF_SCOPE] = "Yetki dışı",
        [ST_DUPLICATE] = "Mükerrer",
    };
    /* clang-format on */
    return (unsigned)s < ST__COUNT ? names[s] : "?";
}

static void html_app(struct strbuf *b, const struct kvkk_app *k)
{
    const struct app *a = &k->app;
    strbuf_adds(b, "<section class=\"app\"><h3>Başvuru ");
    esc(b, a->tracking);
    strbuf_adds(b, "</h3><table>\n");
    row(b, "Durum", status_tr(a->status));
    row(b, "Tür", a->kind);
    row(b, "Kanal", a->channel);
    row(b, "Konu", a->category_code);
    row(b, "Birim", a->department_code);
    row(b, "İlçe", a->district_name);
    row(b, "Mahalle", a->neighbourhood_name);
    row(b, "Metin", a->text);
    row(b, "Adres", a->address);
    row(b, "Cevap", a->public_response);
    strbuf_adds(b, "<tr><th>Başvuru tarihi</th><td>");
    when(b, a->created_at);
    strbuf_adds(b, "</td></tr><tr><th>Kapanış</th><td>");
    when(b, a->closed_at);
    strbuf_adds(b, "</td></tr></table>\n<h4>Geçmiş</h4><ul>\n");
    for (size_t i = 0; i < k->nevents; i++) {
        strbuf_adds(b, "<li>");
        when(b, k->events[i].at);
        strbuf_adds(b, " — ");
        esc(b, k->events[i].action);
        if (k->events[i].note && *k->events[i].note) {
            strbuf_adds(b, ": ");
            esc(b, k->events[i].note);
        }
        strbuf_adds(b, "</li>\n");
    }
    strbuf_adds(b, "</ul>\n");
    if (k->nfiles) {
        strbuf_adds(b, "<h4>Ekler</h4><ul>\n");
        for (size_t i = 0; i < k->nfiles; i++) {
            char size[32];
            strbuf_adds(b, "<li>");
            esc(b, k->files[i].filename);
            strbuf_adds(b, " — ");
            esc(b, k->files[i].mime);
            strbuf_adds(b, ", ");
            tr_bytes(k->files[i].size, size, sizeof(size));
            esc(b, size);
            strbuf_adds(b, " — SHA-256 <code>");
            esc(b, k->files[i].hash);
            strbuf_adds(b, "</code></li>\n");
        }
        strbuf_adds(b, "</ul>\n");
    }
    if (k->nmessages) {
        strbuf_adds(b, "<h4>Gönderilen mesajlar</h4><ul>\n");
        for (size_t i = 0; i < k->nmessages; i++) {
            strbuf_adds(b, "<li>");
            when(b, k->messages[i].created_at);
            strbuf_adds(b, " — ");
            esc(b, k->messages[i].channel);
            strbuf_adds(b, " → ");
            esc(b, k->messages[i].recipient);
            strbuf_adds(b, ": ");
            esc(b, k->messages[i].body);
            strbuf_adds(b, "</li>\n");
        }
        strbuf_adds(b, "</ul>\n");
    }
    if (k->nratings) {
        strbuf_adds(b, "<h4>Memnuniyet anketi</h4><ul>\n");
        for (size_t i = 0; i < k->nratings; i++) {
            strbuf_addf(b, "<li>%d / 5 ", k->ratings[i].rating);
            esc(b, k->ratings[i].comment);
            strbuf_adds(b, "</li>\n");
        }
        strbuf_adds(b, "</ul>\n");
    }
    strbuf_adds(b, "</section>\n");
}

static char *dossier_html(const struct kvkk_dossier *d, size_t *len)
{
    struct strbuf b;
    const struct citizen *c = &d->citizen;
    strbuf_init(&b, 8192);
    strbuf_adds(&b, "<!doctype html>\n<html lang=\"tr\"><head><meta charset=\"utf-8\">"
                    "<title>Kişisel veriler — KVKK bilgi talebi</title><style>"
                    "body{font-family:sans-serif;max-width:50em;margin:2em auto;color:#111}"
                    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;"
                    "padding:.3em;text-align:left;vertical-align:top}th{width:12em}"
                    "section{page-break-inside:avoid;margin-bottom:1.5em}"
                    "@media print{body{margin:0}}</style></head><body>\n"
                    "<h1>Kişisel verileriniz</h1>\n<p>6698 sayılı Kişisel Verilerin Korunması "
                    "Kanunu'nun 11. maddesi uyarınca belediyemizin çözüm merkezinde (ALO 153, "
                    "Beyaz Masa) hakkınızda tutulan bütün veriler aşağıdadır. Hazırlanma: ");
    when(&b, d->made_at);
    strbuf_adds(&b, "</p>\n<h2>Kimlik ve iletişim bilgileri</h2><table>\n");
    row(&b, "Ad soyad", c->name);
    row(&b, "Telefon", c->phone);
    row(&b, "E-posta", c->email);
    row(&b, "T.C. kimlik no", c->tc);
    row(&b, "Adres", c->address);
    row(&b, "Bilgilendirme izni", d->consent_marketing ? "Verildi" : "Verilmedi");
    strbuf_adds(&b, "<tr><th>Kayıt tarihi</th><td>");
    when(&b, c->created_at);
    strbuf_adds(&b, "</td></tr>\n");
    if (c->anonymised_at) {
        strbuf_adds(&b, "<tr><th>Anonimleştirildi</th><td>");
        when(&b, c->anonymised_at);
        strbuf_adds(&b, "</td></tr>\n");
    }
    strbuf_adds(&b, "</table>\n");
    if (d->files_bytes > 0) {
        char total[32], cap[32];
        tr_bytes(d->files_bytes, total, sizeof(total));
        tr_bytes(d->files_cap, cap, sizeof(cap));
        strbuf_adds(&b, "<p class=\"files\">Başvurularınızın ekleri (toplam ");
        esc(&b, total);
        if (d->files_omitted) {
            strbuf_adds(&b, ") dışa aktarım sınırını (");
            esc(&b, cap);
            strbuf_adds(&b, ") aştığı için içerikleriyle birlikte ayrıca teslim edilir; aşağıda "
                            "adları, boyutları ve SHA-256 özetleri listelenmiştir.</p>\n");
        } else {
            strbuf_adds(&b, ") aşağıda adları, boyutları ve SHA-256 özetleriyle listelenmiştir; "
                            "dosyaların kendileri JSON dışa aktarımında (format=json) yer "
                            "alır.</p>\n");
        }
    }
    strbuf_addf(&b, "<h2>Başvurular (%zu)</h2>\n", d->napps);
    for (size_t i = 0; i < d->napps; i++)
        html_app(&b, &d->apps[i]);
    strbuf_addf(&b, "<h2>Temaslar (%zu)</h2><ul>\n", d->ncontacts);
    for (size_t i = 0; i < d->ncontacts; i++) {
        strbuf_adds(&b, "<li>");
        when(&b, d->contacts[i].started_at);
        strbuf_adds(&b, " — ");
        esc(&b, d->contacts[i].channel);
        strbuf_adds(&b, " ");
        esc(&b, contact_outcome_name(d->contacts[i].outcome));
        strbuf_adds(&b, "</li>\n");
    }
    strbuf_addf(&b, "</ul>\n<h2>Kaydınızı görüntüleyenler (%zu)</h2><ul>\n", d->nviews);
    for (size_t i = 0; i < d->nviews; i++) {
        strbuf_adds(&b, "<li>");
        when(&b, d->views[i].at);
        strbuf_adds(&b, " — ");
        esc(&b, d->views[i].username);
        strbuf_adds(&b, " (");
        esc(&b, d->views[i].purpose);
        strbuf_adds(&b, ")</li>\n");
    }
    strbuf_adds(&b, "</ul>\n</body></html>\n");
    return strbuf_detach(&b, len);
}

void h_kvkk_export(struct api_req *r)
{
    int64_t id;
    struct kvkk_dossier d;
    struct err_detail ed = { 0 };
    const char *format = http_query(r->http, "format");
    if (!format || !*format)
        format = "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "html") != 0) {
        api_fail(r, ERR_INVALID, NULL, "format", "format is json or html");
        return;
    }
    if (!api_param_id(r, 0, &id))
        return;
    /* the files' contents only where they go: the JSON (the page lists them) */
    if (core_kvkk_export(r->st, &r->user, id, strcmp(format, "json") == 0, &d, &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    http_set_header(r->resp, "Cache-Control", "no-store");
    if (strcmp(format, "html") == 0) {
        size_t len = 0;
        r->resp->raw = dossier_html(&d, &len);
        r->resp->raw_len = len;
        r->resp->content_type = "text/html; charset=utf-8";
        r->resp->status = 200;
    } else {
        api_reply(r, 200, dossier_json(&d));
    }
    kvkk_dossier_release(&d);
}

void h_kvkk_anonymise(struct api_req *r)
{
    static const struct api_field spec[] = { { "reason", F_STR, true, 500 },
                                             { "force", F_BOOL, false, 0 },
                                             { 0 } };
    int64_t id;
    struct anon_counts c;
    struct err_detail ed = { 0 };
    if (!api_param_id(r, 0, &id) || !api_check_fields(r, spec))
        return;
    json_t *force = json_object_get(r->body, "force");
    if (core_kvkk_anonymise(r->st, &r->user, id, api_str(r, "reason"), json_is_true(force), &c,
                            &ed) != ERR_OK) {
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200,
              json_pack("{s:I, s:b, s:I, s:I, s:I, s:I}", "id", (json_int_t)id, "anonymised", 1,
                        "applications", (json_int_t)c.apps, "contacts", (json_int_t)c.contacts,
                        "messages", (json_int_t)c.messages, "files", (json_int_t)c.files));
}

void h_view_log(struct api_req *r)
{
    struct view_log_filter f = { .limit = 50 };
    struct view_log_row *rows = NULL;
    size_t n = 0;
    int64_t next = 0, limit = 0;
    const char *lim = http_query(r->http, "limit");
    if (!api_query_id(r, "citizen", &f.citizen_id) || !api_query_id(r, "user", &f.user_id) ||
        !api_query_id(r, "after", &f.after) || !api_query_time(r, "from", false, &f.from) ||
        !api_query_time(r, "to", true, &f.to))
        return;
    if (lim && (!api_query_id(r, "limit", &limit) || limit > 500)) {
        if (limit > 500)
            api_fail(r, ERR_INVALID, NULL, "limit", "limit is 1..500");
        return;
    }
    if (limit)
        f.limit = (int)limit;
    int rc = store_view_log_list(r->st, &f, &rows, &n, &next);
    if (rc != ERR_OK) {
        api_fail(r, rc, NULL, NULL, "could not read the view log");
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:I, s:I, s:s, s:o, s:s}", "id", (json_int_t)rows[i].id,
                             "citizen_id", (json_int_t)rows[i].citizen_id, "user_id",
                             (json_int_t)rows[i].user_id, "user", rows[i].username, "at",
                             api_time(rows[i].at), "purpose", rows[i].purpose));
    free(rows);
    api_reply(
        r, 200,
        json_pack("{s:o, s:o}", "items", items, "next", next ? json_integer(next) : json_null()));
}

/* The data-protection officer's search: by ?phone= or ?tc=; each record found is logged as a
 * view (purpose "KVKK search") before any is shown, and shown masked (the export shows it
 * whole). */
void h_kvkk_find(struct api_req *r)
{
    char phone[VALIDATE_PHONE_LEN];
    const char *qp = http_query(r->http, "phone"), *qt = http_query(r->http, "tc");
    struct citizen *cs = NULL;
    size_t n = 0;
    int rc;
    if (qt && *qt) {
        if (!validate_tc(qt)) {
            api_fail(r, ERR_INVALID, NULL, "tc", "not a valid T.C. identity number");
            return;
        }
        rc = store_citizen_by_tc(r->st, qt, &cs, &n);
    } else if (qp && validate_phone(qp, phone)) {
        rc = store_citizen_by_phone(r->st, phone, &cs, &n);
    } else {
        api_fail(r, ERR_INVALID, NULL, "phone", "give ?phone= or ?tc=");
        return;
    }
    if (rc != ERR_OK) {
        api_fail(r, ERR_STORE, NULL, NULL, "lookup failed");
        return;
    }
    bool logged = true;
    for (size_t i = 0; i < n && logged; i++)
        logged = api_log_citizen_view(r, cs[i].id, "KVKK search", true);
    json_t *arr = logged ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (arr) {
            json_t *o = api_citizen_json(r, &cs[i], true);
            json_object_set_new(o, "anonymised_at", api_time(cs[i].anonymised_at));
            json_array_append_new(arr, o);
        }
        citizen_release(&cs[i]);
    }
    free(cs);
    if (arr)
        api_reply(r, 200, json_pack("{s:o}", "items", arr));
}
