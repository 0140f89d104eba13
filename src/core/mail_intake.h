#ifndef ALO_CORE_MAIL_INTAKE_H
#define ALO_CORE_MAIL_INTAKE_H
/*
 * E-mail intake (issue 15): one message as received (RFC 5322 bytes) → a contact, and an
 * application when it is a request (core/intake.h), with the original kept as an .eml
 * attachment. MIME is parsed by GMime: RFC 2047 headers decoded, quoted-printable and base64
 * bodies decoded, the text/plain part (else the first text part) converted from its charset to
 * UTF-8 with iconv. A body that does not convert (an unknown charset, bytes invalid in it) is
 * kept with the bad bytes replaced by U+FFFD and the message flagged; it is never dropped.
 * docs/INTAKE.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/intake.h"
#include "store/store.h"
#include "util/err.h"

/* A parsed message; strings malloc'd UTF-8 (freed by mail_parsed_free). */
struct mail_parsed {
    char *message_id; /* Message-ID, else "sha256:<hex of the bytes>" */
    char *subject, *from_name, *from_addr, *text;
    bool flagged; /* something did not decode: kept as well as it could be */
};

/* Parse raw (len bytes). ERR_INVALID when it is no message at all (nothing parsed). */
int core_mail_parse(const void *raw, size_t len, struct mail_parsed *out, struct err_detail *ed);
void mail_parsed_free(struct mail_parsed *m);

/* Parse and take in one message arrived at `at` (core_intake_message; a message id seen
 * before changes nothing: res->duplicate). */
int core_mail_take(struct store *st, const void *raw, size_t len, int64_t at,
                   struct intake_result *res, struct err_detail *ed);

#endif
