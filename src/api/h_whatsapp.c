/* The WhatsApp Business Cloud API webhook (issue 15; docs/INTAKE.md): GET verifies the
 * subscription (hub.mode, hub.verify_token, hub.challenge), POST carries messages signed with
 * X-Hub-Signature-256 = "sha256=" HMAC-SHA256(app secret, raw body). Text and image messages
 * become contacts/applications through core_intake_message, once per message id.
 * The secrets come from the file named by ALO153_WHATSAPP_SECRETS: lines "verify_token=…"
 * and "app_secret=…" (read on each request, so a rotation needs no restart). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/intake.h"
#include "core/routing.h"
#include "http/http.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

struct wa_secrets {
    char verify_token[256];
    char app_secret[256];
};

/* Read the secrets file; false when it is not configured or unreadable. */
static bool wa_secrets_load(struct wa_secrets *s)
{
    memset(s, 0, sizeof(*s));
    const char *path = getenv("ALO153_WHATSAPP_SECRETS");
    if (!path || !*path)
        return false;
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[600];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "verify_token=", 13) == 0)
            str_copy(s->verify_token, sizeof(s->verify_token), line + 13);
        else if (strncmp(line, "app_secret=", 11) == 0)
            str_copy(s->app_secret, sizeof(s->app_secret), line + 11);
    }
    fclose(f);
    return s->verify_token[0] || s->app_secret[0];
}

static bool same_secret(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}

void h_whatsapp_verify(struct api_req *r)
{
    struct wa_secrets s;
    const char *mode = http_query(r->http, "hub.mode");
    const char *token = http_query(r->http, "hub.verify_token");
    const char *challenge = http_query(r->http, "hub.challenge");
    bool ok = wa_secrets_load(&s) && s.verify_token[0] && mode && strcmp(mode, "subscribe") == 0 &&
              token && same_secret(token, s.verify_token) && challenge && *challenge &&
              strlen(challenge) < 256;
    sodium_memzero(&s, sizeof(s));
    if (!ok) {
        api_error(r, 403, "forbidden", "hub.verify_token", "verification failed");
        return;
    }
    r->resp->status = 200;
    r->resp->content_type = "text/plain; charset=utf-8";
    strbuf_adds(&r->resp->body, challenge);
}

/* Does header sig ("sha256=<64 hex>") sign body with secret? */
static bool signature_ok(const char *sig, const void *body, size_t len, const char *secret)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES], want[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    size_t bin_len = 0;
    if (!sig || strncmp(sig, "sha256=", 7) != 0 || strlen(sig + 7) != 2 * sizeof(want) || !*secret)
        return false;
    if (sodium_hex2bin(want, sizeof(want), sig + 7, 2 * sizeof(want), NULL, &bin_len, NULL) != 0 ||
        bin_len != sizeof(want))
        return false;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    return sodium_memcmp(mac, want, sizeof(mac)) == 0;
}

/* One message of a "messages" change: text or image (others are acknowledged, not taken). */
static json_t *take_message(struct api_req *r, json_t *msg, json_t *contacts)
{
    const char *id = json_string_value(json_object_get(msg, "id"));
    const char *from = json_string_value(json_object_get(msg, "from"));
    const char *type = json_string_value(json_object_get(msg, "type"));
    const char *ts = json_string_value(json_object_get(msg, "timestamp"));
    const char *text = NULL, *media = NULL, *name = NULL;
    if (!id || !from || !type)
        return json_pack("{s:s?, s:s}", "id", id, "result", "ignored");
    if (strcmp(type, "text") == 0) {
        text = json_string_value(json_object_get(json_object_get(msg, "text"), "body"));
    } else if (strcmp(type, "image") == 0) {
        json_t *img = json_object_get(msg, "image");
        media = json_string_value(json_object_get(img, "id"));
        text = json_string_value(json_object_get(img, "caption"));
    } else {
        return json_pack("{s:s, s:s}", "id", id, "result", "ignored");
    }
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c)
    {
        const char *wa = json_string_value(json_object_get(c, "wa_id"));
        if (wa && strcmp(wa, from) == 0)
            name = json_string_value(json_object_get(json_object_get(c, "profile"), "name"));
    }
    int64_t at = time_now();
    char *end = NULL;
    long long t = ts ? strtoll(ts, &end, 10) : 0;
    if (ts && end && *end == '\0' && t > 0 && t <= at + 300)
        at = t;
    struct routing_result rr;
    struct intake_msg m = { 0 };
    m.channel = "whatsapp";
    m.message_id = id;
    m.from_name = name;
    m.phone = from;
    m.text = text ? text : "";
    m.media = media;
    m.at = at;
    if (text && routing_available() && routing_classify(r->st, text, &rr, NULL) == ERR_OK)
        m.routing = &rr;
    struct intake_result res;
    struct err_detail ed = { 0 };
    if (core_intake_message(r->st, &m, &res, &ed) != ERR_OK) {
        log_warn("msg=\"whatsapp message not taken\" id=\"%.80s\" error=\"%s\"", id, ed.message);
        return NULL;
    }
    const char *result = res.duplicate  ? "duplicate"
                         : res.threaded ? "threaded"
                         : res.app_id   ? "application"
                                        : "contact";
    return json_pack("{s:s, s:s, s:s?}", "id", id, "result", result, "tracking",
                     res.tracking[0] ? res.tracking : NULL);
}

void h_whatsapp_event(struct api_req *r)
{
    struct wa_secrets s;
    bool configured = wa_secrets_load(&s) && s.app_secret[0];
    bool ok = configured && signature_ok(http_header(r->http, "X-Hub-Signature-256"), r->http->body,
                                         r->http->body_len, s.app_secret);
    sodium_memzero(&s, sizeof(s));
    if (!ok) {
        api_error(r, 401, "bad_signature", "X-Hub-Signature-256",
                  "the body is not signed with the app secret");
        return;
    }
    if (!json_is_array(json_object_get(r->body, "entry"))) {
        api_error(r, 400, "invalid_field", "entry", "not a WhatsApp webhook payload");
        return;
    }
    json_t *out = json_array();
    size_t i, j, k;
    json_t *entry, *change, *msg;
    bool failed = false;
    json_array_foreach(json_object_get(r->body, "entry"), i, entry)
    {
        json_array_foreach(json_object_get(entry, "changes"), j, change)
        {
            json_t *value = json_object_get(change, "value");
            json_t *contacts = json_object_get(value, "contacts");
            json_array_foreach(json_object_get(value, "messages"), k, msg)
            {
                json_t *one = take_message(r, msg, contacts);
                if (!one)
                    failed = true;
                else
                    json_array_append_new(out, one);
            }
        }
    }
    if (failed) { /* WhatsApp delivers again: the ones taken are recognised by their ids */
        json_decref(out);
        api_error(r, 503, "unavailable", NULL, "a message could not be stored; send it again");
        return;
    }
    api_reply(r, 200, json_pack("{s:o}", "messages", out));
}
