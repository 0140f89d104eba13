#ifndef ALO_CORE_OUTBOX_H
#define ALO_CORE_OUTBOX_H
/*
 * The outbox (issue 15; docs/MESSAGES.md): every message to a citizen is a row written in the
 * transaction of the event that causes it, then sent by the background sender with retries
 * and exponential backoff; after the last try it is dead (visible to admins, who may resend
 * it). Each row carries an idempotency key ("alo153-" + 32 hex digits) given to the gateway
 * (SMS: the Idempotency-Key header and {key}; e-mail: the Message-ID), so a row sent again
 * after a crash between the gateway's acceptance and the commit of "sent" is recognisable.
 *
 * Other modules (the CİMER / e-mail / WhatsApp intake) call core_outbox_enqueue inside their
 * own transaction; applications' events call core_outbox_on_app.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/message.h"
#include "model/model.h"
#include "notify/transport.h"
#include "store/store.h"
#include "util/err.h"

/* The channels a message may go by. */
#define OUTBOX_SMS "sms"
#define OUTBOX_EMAIL "email"
#define OUTBOX_WHATSAPP "whatsapp" /* WhatsApp Business Cloud API (serve --whatsapp-config) */

/* Purposes with a built-in template (Turkish and English, SMS and e-mail). */
#define OUTBOX_REGISTERED "registered"     /* tracking number, access code, tracking link */
#define OUTBOX_ANSWERED "answered"         /* the department's public response */
#define OUTBOX_OUT_OF_SCOPE "out_of_scope" /* where to turn */
#define OUTBOX_SURVEY "survey"             /* after closure: the survey link (non-transactional) */

struct outbox_request {
    const char *channel;   /* sms, email, whatsapp */
    const char *recipient; /* phone number or e-mail address */
    const char *purpose;   /* registered, answered, …, or the caller's own word */
    const char *lang;      /* tr (NULL) or en */
    const char *subject;   /* e-mail subject (NULL: "") */
    const char *body;      /* the text, already filled in */
    bool transactional;    /* false: only to citizens who consented (consent_marketing) */
    int64_t app_id;        /* 0 = none */
    int64_t citizen_id;    /* 0 = none (a non-transactional message then is not sent) */
    int64_t now;           /* 0 = time_now() */
};

/* Queue one message (inside the caller's transaction when one is open, else its own). *id
 * is the new row (0 when a non-transactional message was skipped for want of consent; may be
 * NULL). ERR_INVALID (field) for an unknown channel, an empty recipient or body, an e-mail
 * address without '@' or a body over 10000 bytes. */
int core_outbox_enqueue(struct store *st, const struct outbox_request *rq, int64_t *id,
                        struct err_detail *ed);

/* Queue the messages an application's event causes, inside the caller's transaction: purpose
 * OUTBOX_REGISTERED (after creation), OUTBOX_ANSWERED (respond), OUTBOX_OUT_OF_SCOPE,
 * OUTBOX_SURVEY (close: with a new survey token). One message per channel the citizen can be
 * reached by (e-mail address, phone number); none for an anonymous application. The texts are
 * in the citizen's language (citizens.lang). The phone message of an application that came by
 * WhatsApp goes by WhatsApp while the transport is on (core_outbox_whatsapp_enable) and the
 * 24-hour customer service window is open (counted from the application's creation, the
 * citizen's last message we know of); otherwise by SMS. */
int core_outbox_on_app(struct store *st, const struct app *a, const char *purpose, int64_t now);

/* Turn the WhatsApp channel of core_outbox_on_app on (serve with --whatsapp-config) or off
 * (the default: WhatsApp citizens get SMS). Process-wide; call before threads start. */
void core_outbox_whatsapp_enable(bool on);
/* WhatsApp's customer service window: free-form text only within 24 h of the citizen's last
 * message (later only pre-approved templates, which alo153 does not send). */
#define OUTBOX_WA_WINDOW_S (24 * 3600)
/* Which channel core_outbox_on_app uses for the phone of application a at now: OUTBOX_WHATSAPP
 * or OUTBOX_SMS. Pure but for the process-wide switch. */
const char *core_outbox_phone_channel(const struct app *a, int64_t now);

/* The text of a template: the stored one of (purpose, channel, lang) or the built-in one,
 * with {name} placeholders of vars (name, value pairs) filled. *subject and *body malloc'd.
 * ERR_NOT_FOUND when neither exists. */
int core_outbox_render(struct store *st, const char *purpose, const char *channel, const char *lang,
                       const char *const *vars, size_t nvars, char **subject, char **body);
/* The built-in template (borrowed strings), NULL when none. */
bool core_outbox_builtin(const char *purpose, const char *channel, const char *lang,
                         const char **subject, const char **body);
/* The purposes, channels and languages templates exist for (NULL-terminated). */
extern const char *const core_outbox_purposes[];
extern const char *const core_outbox_channels[];

/* Save an admin's template (validated: known purpose, channel, lang; body 1..2000 bytes of
 * UTF-8 text; subject ≤ 200 and one line). */
int core_outbox_template_save(struct store *st, const struct msg_template *t,
                              struct err_detail *ed);

/* The delay before try number attempts+1 after attempts failed ones: base_ms × 2^(attempts-1),
 * at most cap_ms. Pure. */
int64_t core_outbox_backoff_ms(int attempts, int64_t base_ms, int64_t cap_ms);

/* How the sender sends one message (the cli wires notify/transport.h behind it). On
 * NOTIFY_OK the transport may put the gateway's id of the message in ref (WhatsApp: wamid;
 * stored as outbox.provider_ref), else the error text in err. */
struct outbox_transport {
    enum notify_result (*send)(void *ctx, const struct outbox_msg *m, char *ref, size_t reflen,
                               char *err, size_t errlen);
    void *ctx;
};

struct outbox_sender {
    int max_attempts; /* tries before dead (default 20) */
    int64_t base_ms;  /* first retry delay (default 2000) */
    int64_t cap_ms;   /* longest delay (default 300000) */
    int64_t lease_s;  /* a claim lasts this long (default 60): a sender killed mid-send has its
                       * messages sent again after it, with the same keys */
    int batch;        /* messages per claim (default 32) */
    bool one_by_one;  /* record each outcome in its own transaction (the sender before the batch
                       * commit; kept for bench/outbox.sh's before/after) */
};

/* Claim a batch of due messages (cfg->batch), send them one by one, then record every outcome
 * in one transaction (cfg->one_by_one: each in its own): sent; failed (pending again after the
 * backoff, or dead after max_attempts; NOTIFY_FAIL is dead at once); unconfigured (pending
 * again in a minute, the try not counted). A crash before that commit leaves the batch
 * claimed: after the lease its messages are sent again with the same keys (the gateway sees
 * a repeat, docs/MESSAGES.md). now_ms is the wall clock in milliseconds. *sent (may be NULL)
 * counts the messages sent. stop (may be NULL) is polled between messages. */
int core_outbox_send_due(struct store *st, const struct outbox_transport *t,
                         const struct outbox_sender *cfg, int64_t now_ms, int *sent,
                         bool (*stop)(void *ctx), void *stop_ctx, struct err_detail *ed);

/* An admin sends a dead message again (same key). ERR_NOT_FOUND, ERR_CONFLICT "not_dead". */
int core_outbox_resend(struct store *st, int64_t id, struct err_detail *ed);

/* Set a citizen's consent to non-transactional messages. */
int core_outbox_consent_set(struct store *st, int64_t citizen_id, bool marketing,
                            struct err_detail *ed);

#endif
