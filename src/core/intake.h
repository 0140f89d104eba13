#ifndef ALO_CORE_INTAKE_H
#define ALO_CORE_INTAKE_H
/*
 * Written channels (issue 15): one message from e-mail or WhatsApp becomes a contact, and an
 * application when it is a request, in one transaction, exactly once per message id
 * (intake_messages; a message seen again changes nothing). A message naming a tracking number
 * (YYYY-NNNNNN, in the subject or the text) of an existing application is threaded to it: a
 * history event "message" with the words and a follow-up contact, no new application.
 *
 * A request is a message of at least CORE_INTAKE_MIN_WORDS words, or one the routing model
 * classifies confidently; anything shorter ("merhaba", "teşekkürler") is an open contact for
 * the desk to answer. docs/INTAKE.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/routing.h"
#include "store/store.h"
#include "util/err.h"

#define CORE_INTAKE_MIN_WORDS 4

struct intake_msg {
    const char *channel;    /* "email" or "whatsapp" */
    const char *message_id; /* the channel's id (Message-ID, wamid); required */
    const char *from_name;  /* may be NULL */
    const char *phone;      /* WhatsApp: the sender's number (digits, country code first) */
    const char *email;      /* e-mail: the sender's address */
    const char *subject;    /* may be NULL */
    const char *text;       /* the words (valid UTF-8; may be empty for an image) */
    const char *media;      /* WhatsApp image: "media id" noted, not fetched; NULL = none */
    bool flagged;           /* kept although its encoding was broken */
    const void *original;   /* e-mail: the message as received (.eml), kept as an attachment */
    size_t original_len;
    const struct routing_result *routing; /* classified beforehand, may be NULL */
    int64_t at;                           /* when it arrived */
};

struct intake_result {
    bool duplicate;     /* seen before: nothing changed */
    bool threaded;      /* added to an existing application */
    int64_t app_id;     /* the application made or threaded to, 0 = none */
    int64_t contact_id; /* the contact made */
    char tracking[TRACKING_LEN];
    char access_code[ACCESS_CODE_LEN];
};

/* Take one message in (see above). ERR_INVALID for a missing id or channel. */
int core_intake_message(struct store *st, const struct intake_msg *m, struct intake_result *res,
                        struct err_detail *ed);
/* The first tracking number (YYYY-NNNNNN) in s into out; false when none. */
bool core_intake_find_tracking(const char *s, char out[TRACKING_LEN]);

#endif
