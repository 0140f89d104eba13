#include "notify/transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/str.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "util/banned.h"

void notify_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void set_err(char *err, size_t errlen, const char *what, const char *detail)
{
    if (!err || !errlen)
        return;
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_adds(&sb, what);
    if (detail && *detail) {
        strbuf_adds(&sb, ": ");
        strbuf_adds(&sb, detail);
    }
    str_copy(err, errlen, sb.buf);
    strbuf_release(&sb);
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = 0;
}

bool notify_read_credentials(const char *file, char *user, size_t ulen, char *password, size_t plen,
                             char *err, size_t errlen)
{
    FILE *f = fopen(file, "r");
    char line[512] = "";
    if (!f) {
        set_err(err, errlen, "cannot read the credentials file", file);
        return false;
    }
    bool ok = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    trim(line);
    char *colon = strchr(line, ':');
    if (!ok || !colon) {
        set_err(err, errlen, "the credentials file must hold user:password", file);
        return false;
    }
    *colon = 0;
    return str_copy(user, ulen, line) && str_copy(password, plen, colon + 1);
}

bool notify_sms_config_load(const char *file, struct notify_sms *out, char *err, size_t errlen)
{
    FILE *f = fopen(file, "r");
    char line[2048];
    int no = 0;
    if (!f) {
        set_err(err, errlen, "cannot read the SMS gateway file", file);
        return false;
    }
    memset(out, 0, sizeof(*out));
    str_copy(out->method, sizeof(out->method), "POST");
    str_copy(out->format, sizeof(out->format), "form");
    bool ok = true;
    while (ok && fgets(line, sizeof(line), f)) {
        no++;
        trim(line);
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *eq = strchr(p, '=');
        char where[64];
        snprintf(where, sizeof(where), "line %d", no);
        if (!eq) {
            set_err(err, errlen, "SMS gateway file: no '=' on", where);
            ok = false;
            break;
        }
        char *k = p, *v = eq + 1;
        *eq = 0;
        trim(k);
        while (*v == ' ' || *v == '\t')
            v++;
        if (strcmp(k, "url") == 0)
            ok = str_copy(out->url, sizeof(out->url), v);
        else if (strcmp(k, "method") == 0)
            ok = (strcmp(v, "GET") == 0 || strcmp(v, "POST") == 0) &&
                 str_copy(out->method, sizeof(out->method), v);
        else if (strcmp(k, "format") == 0)
            ok = (strcmp(v, "form") == 0 || strcmp(v, "json") == 0) &&
                 str_copy(out->format, sizeof(out->format), v);
        else if (strcmp(k, "body") == 0)
            ok = str_copy(out->body, sizeof(out->body), v);
        else if (strcmp(k, "success") == 0)
            ok = str_copy(out->success, sizeof(out->success), v);
        else if (strcmp(k, "sender") == 0)
            ok = str_copy(out->sender, sizeof(out->sender), v);
        else if (strcmp(k, "timeout_ms") == 0)
            ok = (out->timeout_ms = strtol(v, NULL, 10)) > 0;
        else if (strcmp(k, "credentials") == 0) {
            if (!notify_read_credentials(v, out->user, sizeof(out->user), out->password,
                                         sizeof(out->password), err, errlen)) {
                fclose(f);
                return false;
            }
        } else
            ok = false;
        if (!ok)
            set_err(err, errlen, "SMS gateway file: bad or unknown setting on", where);
    }
    fclose(f);
    if (ok && !out->url[0]) {
        set_err(err, errlen, "SMS gateway file: no url", file);
        ok = false;
    }
    return ok;
}

char *notify_fill(const char *tpl, const char *const *vars, size_t nvars, char esc)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (const char *p = tpl; *p;) {
        const char *val = NULL;
        size_t nl = 0;
        if (*p == '{') {
            for (size_t i = 0; i + 1 < nvars * 2; i += 2) {
                nl = strlen(vars[i]);
                if (strncmp(p + 1, vars[i], nl) == 0 && p[1 + nl] == '}') {
                    val = vars[i + 1] ? vars[i + 1] : "";
                    break;
                }
            }
        }
        if (!val) {
            strbuf_addch(&sb, *p++);
            continue;
        }
        p += nl + 2;
        for (const unsigned char *v = (const unsigned char *)val; *v; v++) {
            if (esc == 'u' && !((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
                                (*v >= '0' && *v <= '9') || strchr("-._~", *v)))
                strbuf_addf(&sb, "%%%02X", *v);
            else if (esc == 'j' && (*v == '"' || *v == '\\'))
                strbuf_addf(&sb, "\\%c", *v);
            else if (esc == 'j' && *v < 0x20)
                strbuf_addf(&sb, "\\u%04x", *v);
            else
                strbuf_addch(&sb, (char)*v);
        }
    }
    return strbuf_detach(&sb, NULL);
}

/* ---- SMTP ---- */

struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ctx)
{
    struct upload *u = ctx;
    size_t n = size * nmemb < u->left ? size * nmemb : u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

static void add_b64(struct strbuf *sb, const unsigned char *s, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        strbuf_addch(sb, t[v >> 18 & 63]);
        strbuf_addch(sb, t[v >> 12 & 63]);
        strbuf_addch(sb, i + 1 < n ? t[v >> 6 & 63] : '=');
        strbuf_addch(sb, i + 2 < n ? t[v & 63] : '=');
    }
}

/* A header value without CR/LF (no header injection through a subject or an address). */
static bool header_safe(const char *s)
{
    return !strpbrk(s, "\r\n");
}

enum notify_result notify_smtp_send(const struct notify_smtp *c, const char *to,
                                    const char *subject, const char *body, const char *message_id,
                                    char *err, size_t errlen)
{
    if (!c->url[0] || !c->from[0]) {
        set_err(err, errlen, "no SMTP server configured (serve --smtp-url, --mail-from)", NULL);
        return NOTIFY_UNCONFIGURED;
    }
    if (!header_safe(to) || !header_safe(subject) || !header_safe(message_id) || !strchr(to, '@')) {
        set_err(err, errlen, "bad recipient or subject", NULL);
        return NOTIFY_FAIL;
    }
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    struct strbuf msg;
    strbuf_init(&msg, 0);
    strbuf_addf(&msg, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s>\r\nSubject: =?UTF-8?B?",
                date, c->from, to, message_id);
    add_b64(&msg, (const unsigned char *)subject, strlen(subject));
    strbuf_adds(&msg, "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
    size_t blen = strlen(body);
    for (size_t i = 0; i < blen; i += 57) { /* 76-character lines */
        add_b64(&msg, (const unsigned char *)body + i, blen - i < 57 ? blen - i : 57);
        strbuf_adds(&msg, "\r\n");
    }
    struct upload up = { msg.buf, msg.len };
    CURL *h = curl_easy_init();
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY); /* STARTTLS when offered */
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms > 0 ? c->timeout_ms : 10000L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    if (c->user[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    strbuf_release(&msg);
    if (rc == CURLE_OK)
        return NOTIFY_OK;
    set_err(err, errlen, "SMTP", cerr[0] ? cerr : curl_easy_strerror(rc));
    /* a 5xx reply to the recipient or the data is permanent; anything else is worth a retry */
    return code >= 500 && code < 600 ? NOTIFY_FAIL : NOTIFY_RETRY;
}

/* ---- SMS over HTTP ---- */

static size_t write_cb(char *p, size_t size, size_t nmemb, void *ctx)
{
    struct strbuf *sb = ctx;
    if (sb->len < 65536)
        strbuf_add(sb, p, size * nmemb);
    return size * nmemb;
}

/* One HTTP request of the SMS and WhatsApp transports: a POST of body (a GET when body is
 * NULL) with the headers hdr, the answer's first 64 KiB appended to resp, its status in *code
 * (0 when none came) and libcurl's message in cerr (CURL_ERROR_SIZE bytes). */
static CURLcode http_request(const char *url, struct curl_slist *hdr, const char *body,
                             long timeout_ms, struct strbuf *resp, long *code, char *cerr)
{
    CURL *h = curl_easy_init();
    if (!h)
        return CURLE_FAILED_INIT;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 10000L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    CURLcode rc = curl_easy_perform(h);
    *code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
    curl_easy_cleanup(h);
    return rc;
}

enum notify_result notify_sms_send(const struct notify_sms *c, const char *to, const char *text,
                                   const char *key, char *err, size_t errlen)
{
    if (!c->url[0]) {
        set_err(err, errlen, "no SMS gateway configured (serve --sms-config)", NULL);
        return NOTIFY_UNCONFIGURED;
    }
    const char *vars[] = { "to",   to,      "text",     text,        "key",    key,
                           "user", c->user, "password", c->password, "sender", c->sender };
    size_t nv = sizeof(vars) / sizeof(vars[0]) / 2;
    bool json = strcmp(c->format, "json") == 0, get = strcmp(c->method, "GET") == 0;
    char *url = notify_fill(c->url, vars, nv, 'u');
    char *body = c->body[0] ? notify_fill(c->body, vars, nv, json ? 'j' : 'u') : xstrdup("");
    struct strbuf resp, hk;
    strbuf_init(&resp, 0);
    strbuf_init(&hk, 0);
    strbuf_addf(&hk, "Idempotency-Key: %s", key);
    struct curl_slist *hdr = curl_slist_append(NULL, hk.buf);
    hdr = curl_slist_append(hdr, json ? "Content-Type: application/json; charset=utf-8"
                                      : "Content-Type: application/x-www-form-urlencoded");
    char cerr[CURL_ERROR_SIZE] = "";
    long code = 0;
    CURLcode rc = http_request(url, hdr, get ? NULL : body, c->timeout_ms, &resp, &code, cerr);
    curl_slist_free_all(hdr);
    free(url);
    free(body);
    strbuf_release(&hk);
    enum notify_result r;
    if (rc != CURLE_OK) {
        set_err(err, errlen, "SMS gateway", cerr[0] ? cerr : curl_easy_strerror(rc));
        r = NOTIFY_RETRY;
    } else if (code >= 200 && code < 300 &&
               (!c->success[0] || (resp.buf && strstr(resp.buf, c->success)))) {
        r = NOTIFY_OK;
    } else {
        char detail[160];
        snprintf(detail, sizeof(detail), "HTTP %ld %.100s", code, resp.buf ? resp.buf : "");
        set_err(err, errlen, "SMS gateway refused", detail);
        /* 429 and 5xx are the gateway's trouble: retry; another 4xx or a 2xx without the
         * success pattern is this message's: permanent */
        r = code == 429 || code >= 500 ? NOTIFY_RETRY : NOTIFY_FAIL;
    }
    strbuf_release(&resp);
    return r;
}

/* ---- WhatsApp Business Cloud API ---- */

bool notify_whatsapp_config_load(const char *file, struct notify_whatsapp *out, char *err,
                                 size_t errlen)
{
    FILE *f = fopen(file, "r");
    char line[2048], token_file[512] = "";
    int no = 0;
    if (!f) {
        set_err(err, errlen, "cannot read the WhatsApp config file", file);
        return false;
    }
    memset(out, 0, sizeof(*out));
    bool ok = true;
    while (ok && fgets(line, sizeof(line), f)) {
        no++;
        trim(line);
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *eq = strchr(p, '='), where[64];
        snprintf(where, sizeof(where), "line %d", no);
        if (!eq) {
            set_err(err, errlen, "WhatsApp config file: no '=' on", where);
            ok = false;
            break;
        }
        char *k = p, *v = eq + 1;
        *eq = 0;
        trim(k);
        while (*v == ' ' || *v == '\t')
            v++;
        if (strcmp(k, "base_url") == 0)
            ok = (strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0) &&
                 str_copy(out->base, sizeof(out->base), v);
        else if (strcmp(k, "phone_number_id") == 0)
            ok = *v && strspn(v, "0123456789") == strlen(v) &&
                 str_copy(out->phone_id, sizeof(out->phone_id), v);
        else if (strcmp(k, "token_file") == 0)
            ok = str_copy(token_file, sizeof(token_file), v);
        else if (strcmp(k, "timeout_ms") == 0)
            ok = (out->timeout_ms = strtol(v, NULL, 10)) > 0;
        else
            ok = false;
        if (!ok)
            set_err(err, errlen, "WhatsApp config file: bad or unknown setting on", where);
    }
    fclose(f);
    if (ok && (!out->base[0] || !out->phone_id[0] || !token_file[0])) {
        set_err(err, errlen,
                "WhatsApp config file: base_url, phone_number_id and token_file are needed", file);
        ok = false;
    }
    if (ok) {
        FILE *t = fopen(token_file, "r");
        if (!t || !fgets(out->token, sizeof(out->token), t)) {
            set_err(err, errlen, "cannot read the WhatsApp token file", token_file);
            ok = false;
        }
        if (t)
            fclose(t);
        trim(out->token);
        if (ok && (!out->token[0] || strpbrk(out->token, " \t\r\n"))) {
            set_err(err, errlen, "the WhatsApp token file must hold the token on its first line",
                    token_file);
            ok = false;
        }
    }
    if (!ok)
        memset(out, 0, sizeof(*out));
    return ok;
}

char *notify_whatsapp_body(const char *to, const char *text, const char *key)
{
    const char *vars[] = { "to", to[0] == '+' ? to + 1 : to, "text", text, "key", key };
    return notify_fill("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                       "\"to\":\"{to}\",\"type\":\"text\",\"text\":{\"preview_url\":false,"
                       "\"body\":\"{text}\"},\"biz_opaque_callback_data\":\"{key}\"}",
                       vars, 3, 'j');
}

/* p at a JSON string's opening quote: its content (escapes other than \" \\ \/ refused) into
 * out. The end past the closing quote, NULL when malformed or too long. */
static const char *json_str(const char *p, char *out, size_t n)
{
    size_t k = 0;
    if (*p++ != '"')
        return NULL;
    for (; *p && *p != '"'; p++) {
        char ch = *p;
        if (ch == '\\') {
            p++;
            if (*p != '"' && *p != '\\' && *p != '/')
                return NULL;
            ch = *p;
        }
        if ((unsigned char)ch < 0x20 || k + 1 >= n)
            return NULL;
        out[k++] = ch;
    }
    if (*p != '"')
        return NULL;
    out[k] = 0;
    return p + 1;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

bool notify_whatsapp_parse(const char *resp, char *id, size_t idlen)
{
    /* {"messaging_product":"whatsapp","contacts":[…],"messages":[{"id":"wamid.…", …}]}: the
     * first "id" member after the "messages" key */
    const char *p = resp ? strstr(resp, "\"messages\"") : NULL;
    if (!p)
        return false;
    p = skip_ws(p + 10);
    if (*p != ':')
        return false;
    p = skip_ws(p + 1);
    if (*p != '[')
        return false;
    p = skip_ws(p + 1);
    if (*p != '{')
        return false;
    for (p = skip_ws(p + 1); *p == '"';) {
        char name[32];
        p = json_str(p, name, sizeof(name));
        if (!p)
            return false;
        p = skip_ws(p);
        if (*p != ':')
            return false;
        p = skip_ws(p + 1);
        if (strcmp(name, "id") == 0)
            return *p == '"' && json_str(p, id, idlen) && id[0];
        if (*p != '"' || !(p = json_str(p, id, idlen))) /* other members: strings only */
            return false;
        p = skip_ws(p);
        if (*p != ',')
            return false;
        p = skip_ws(p + 1);
    }
    return false;
}

enum notify_result notify_whatsapp_classify(long code, bool has_id)
{
    if (code >= 200 && code < 300)
        return has_id ? NOTIFY_OK : NOTIFY_RETRY;
    if (code == 408 || code == 429 || code >= 500 || code == 0)
        return NOTIFY_RETRY;
    return NOTIFY_FAIL;
}

enum notify_result notify_whatsapp_send(const struct notify_whatsapp *c, const char *to,
                                        const char *text, const char *key, char *ref, size_t reflen,
                                        char *err, size_t errlen)
{
    if (ref && reflen)
        ref[0] = 0;
    if (!c->base[0]) {
        set_err(err, errlen, "no WhatsApp transport configured (serve --whatsapp-config)", NULL);
        return NOTIFY_UNCONFIGURED;
    }
    struct strbuf url, auth, hk, resp;
    strbuf_init(&url, 0);
    strbuf_init(&auth, 0);
    strbuf_init(&hk, 0);
    strbuf_init(&resp, 0);
    strbuf_addf(&url, "%s%s%s/messages", c->base, c->base[strlen(c->base) - 1] == '/' ? "" : "/",
                c->phone_id);
    strbuf_addf(&auth, "Authorization: Bearer %s", c->token);
    strbuf_addf(&hk, "Idempotency-Key: %s", key); /* ignored by Meta; kept for proxies/tests */
    char *body = notify_whatsapp_body(to, text, key);
    struct curl_slist *hdr = curl_slist_append(NULL, auth.buf);
    hdr = curl_slist_append(hdr, hk.buf);
    hdr = curl_slist_append(hdr, "Content-Type: application/json");
    char cerr[CURL_ERROR_SIZE] = "";
    long code = 0;
    CURLcode rc = http_request(url.buf, hdr, body, c->timeout_ms, &resp, &code, cerr);
    curl_slist_free_all(hdr);
    free(body);
    char id[128] = "";
    enum notify_result r;
    if (rc != CURLE_OK) {
        set_err(err, errlen, "WhatsApp", cerr[0] ? cerr : curl_easy_strerror(rc));
        r = NOTIFY_RETRY;
    } else {
        bool has = notify_whatsapp_parse(resp.buf, id, sizeof(id));
        r = notify_whatsapp_classify(code, has);
        if (r == NOTIFY_OK) {
            if (ref && reflen)
                str_copy(ref, reflen, id);
        } else {
            char detail[160];
            snprintf(detail, sizeof(detail), "HTTP %ld %.100s", code, resp.buf ? resp.buf : "");
            set_err(err, errlen, "WhatsApp refused", detail);
        }
    }
    strbuf_release(&url);
    strbuf_release(&auth);
    strbuf_release(&hk);
    strbuf_release(&resp);
    return r;
}
