#ifndef ALO_NOTIFY_TRANSPORT_H
#define ALO_NOTIFY_TRANSPORT_H
/*
 * The transports of outgoing messages (docs/MESSAGES.md), over libcurl: e-mail by SMTP (with
 * STARTTLS when the server offers it; smtps:// for implicit TLS) and SMS by an operator's
 * HTTP API (URL, method, form or JSON body template, credentials, success pattern), WhatsApp by
 * the WhatsApp Business Cloud API (POST {base}/{phone-number-id}/messages, a bearer token).
 *
 * This is a layer of its own (src/notify: util, model, notify) because it does network I/O
 * with libcurl, which no other layer links against directly; core's outbox calls it through
 * the function-pointer table struct notify_transport, so core's rules are tested without a
 * network and the cli wires the real transports.
 *
 * Every send is given the message's idempotency key: the SMS body template may carry it
 * ({key}) and it is sent as the Idempotency-Key header; e-mail uses it in the Message-ID, so
 * a resend after a crash is recognisable by the receiving side.
 */
#include <stdbool.h>
#include <stddef.h>

enum notify_result {
    NOTIFY_OK = 0,           /* accepted by the gateway */
    NOTIFY_RETRY = 1,        /* temporary: connection refused, timeout, 5xx, 4xx SMTP */
    NOTIFY_FAIL = 2,         /* permanent: the gateway refuses this message (HTTP 4xx, 5xx SMTP) */
    NOTIFY_UNCONFIGURED = 3, /* no transport for the channel: wait, nothing attempted */
};

struct notify_smtp {
    char url[256];  /* smtp://host:port or smtps://host:port; "" = no e-mail */
    char from[256]; /* the envelope and From: address */
    char user[128]; /* "" = no authentication */
    char password[128];
    long timeout_ms; /* whole transfer; 0 = 10000 */
};

struct notify_sms {
    char url[512];     /* "" = no SMS; may carry placeholders (URL-encoded) */
    char method[8];    /* POST (default) or GET */
    char format[8];    /* "form" (application/x-www-form-urlencoded) or "json" */
    char body[1024];   /* template: {to} {text} {key} {user} {password} {sender} */
    char success[128]; /* the response body must contain this ("" = any 2xx) */
    char user[128], password[128], sender[32];
    long timeout_ms;
};

struct notify_whatsapp {
    char base[256];    /* "" = no WhatsApp; e.g. https://graph.facebook.com/v19.0 */
    char phone_id[64]; /* the business phone number's id (digits) */
    char token[1024];  /* the access token (from token_file) */
    long timeout_ms;   /* 0 = 10000 */
};

struct notify_config {
    struct notify_smtp smtp;
    struct notify_sms sms;
    struct notify_whatsapp whatsapp;
};

/* Read "user:password" (first line) from file into user/password. false with err set when the
 * file cannot be read or has no colon. */
bool notify_read_credentials(const char *file, char *user, size_t ulen, char *password, size_t plen,
                             char *err, size_t errlen);
/* Read an SMS gateway config file ("key = value" lines: url, method, format, body, success,
 * sender, credentials = FILE, timeout_ms; # comments). false with err set (line number). */
bool notify_sms_config_load(const char *file, struct notify_sms *out, char *err, size_t errlen);

/* Read a WhatsApp config file ("key = value": base_url, phone_number_id, token_file,
 * timeout_ms; # comments). false with err set (line number, or what is missing). */
bool notify_whatsapp_config_load(const char *file, struct notify_whatsapp *out, char *err,
                                 size_t errlen);
/* The Cloud API's request body for a text message to phone to (a leading '+' dropped) with the
 * idempotency key as biz_opaque_callback_data (returned in the status webhooks, so a message
 * sent twice after an unknown outcome is recognisable). Caller frees. */
char *notify_whatsapp_body(const char *to, const char *text, const char *key);
/* The message id of a Cloud API answer ({"messages":[{"id":"wamid.…"}]}) into id. false when
 * the answer has none (or it does not fit). */
bool notify_whatsapp_parse(const char *resp, char *id, size_t idlen);
/* How an HTTP answer of the Cloud API is taken: 2xx with a message id OK; 408, 429 and 5xx
 * (and 2xx without an id) RETRY; another 4xx FAIL (a bad number, outside the 24-hour window,
 * a refused token: sending the same again does not help). */
enum notify_result notify_whatsapp_classify(long http_code, bool has_id);

/* One-time libcurl set-up; call before threads start. */
void notify_global_init(void);

/* Send one e-mail. message_id without angle brackets ("KEY@alo153"); subject and body UTF-8. */
enum notify_result notify_smtp_send(const struct notify_smtp *c, const char *to,
                                    const char *subject, const char *body, const char *message_id,
                                    char *err, size_t errlen);
/* Send one SMS to phone to with idempotency key. */
enum notify_result notify_sms_send(const struct notify_sms *c, const char *to, const char *text,
                                   const char *key, char *err, size_t errlen);

/* Send one WhatsApp text message; on NOTIFY_OK ref gets the wamid. */
enum notify_result notify_whatsapp_send(const struct notify_whatsapp *c, const char *to,
                                        const char *text, const char *key, char *ref, size_t reflen,
                                        char *err, size_t errlen);

/* Fill template tpl: {name} of vars (name, value pairs, nvars of them) replaced by the value,
 * escaped by esc: 'u' URL-encoding, 'j' JSON string content, 0 as is. Caller frees. */
char *notify_fill(const char *tpl, const char *const *vars, size_t nvars, char esc);

#endif
