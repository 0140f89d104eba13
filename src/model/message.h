#ifndef ALO_MODEL_MESSAGE_H
#define ALO_MODEL_MESSAGE_H
/*
 * Outgoing messages (issue 15; docs/MESSAGES.md): the records of the outbox, the message
 * templates and the satisfaction ratings. Plain data; the rules are in core/outbox.h and
 * core/survey.h, the transports in notify/.
 */
#include <stdbool.h>
#include <stdint.h>

#define MSG_WORD_LEN 24   /* channel, purpose, state, lang, source */
#define MSG_KEY_LEN 48    /* idempotency key: "alo153-" + 32 hex digits */
#define MSG_ADDR_LEN 256  /* a phone number or an e-mail address */
#define MSG_ERROR_LEN 256 /* the last transport error */

/* Outbox states: pending (waiting for next_at), sending (claimed until claimed_until; a
 * crashed sender's claim runs out and the row is sent again with the same key), sent, dead
 * (after the last try; an admin may resend), skipped (opt-out or no address). */
#define MSG_PENDING "pending"
#define MSG_SENDING "sending"
#define MSG_SENT "sent"
#define MSG_DEAD "dead"

struct outbox_msg {
    int64_t id;
    char idem_key[MSG_KEY_LEN];
    char channel[MSG_WORD_LEN]; /* sms, email, whatsapp */
    char recipient[MSG_ADDR_LEN];
    char *subject;              /* owned ("" for SMS) */
    char *body;                 /* owned */
    char purpose[MSG_WORD_LEN]; /* registered, answered, out_of_scope, survey, … */
    char lang[8];               /* tr, en */
    bool transactional;         /* false: needs the citizen's consent_marketing */
    int64_t app_id, citizen_id; /* 0 = none */
    char state[MSG_WORD_LEN];
    int attempts;
    int64_t next_at, claimed_until, created_at, sent_at; /* sent_at 0 = not sent */
    char last_error[MSG_ERROR_LEN];
    int segments;           /* SMS segments (0 for e-mail) */
    char provider_ref[128]; /* the id the transport returned (WhatsApp: wamid), "" = none */
};

/* Free the owned strings (the struct itself is the caller's). */
void outbox_msg_release(struct outbox_msg *m);

struct msg_template {
    char purpose[MSG_WORD_LEN];
    char channel[MSG_WORD_LEN];
    char lang[8];
    char *subject; /* owned */
    char *body;    /* owned */
    int64_t updated_at;
};
void msg_template_release(struct msg_template *t);

/* One satisfaction rating: from the web survey (source "web") or the IVR ("ivr"), with the
 * application's department, category and channel and the agent at the time it was given. */
struct satisfaction {
    int64_t id;
    int64_t app_id, contact_id; /* 0 = none */
    char call_ref[64];
    int rating;    /* 1..5 */
    char *comment; /* owned, may be NULL */
    char source[MSG_WORD_LEN];
    int64_t department_id, category_id, agent_id; /* 0 = none */
    char channel[MSG_WORD_LEN];
    int64_t at;
};
void satisfaction_release(struct satisfaction *s);

#endif
