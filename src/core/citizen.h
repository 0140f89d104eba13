#ifndef ALO_CORE_CITIZEN_H
#define ALO_CORE_CITIZEN_H
/*
 * Citizens: the rules for their records (valid phone, e-mail and T.C. number, enough to
 * reach them) and KVKK's rule that every view of a record is logged before it is shown.
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

struct citizen_input {
    const char *name, *phone, *email, *tc, *address; /* NULL or "" = not given */
    const char *lang; /* messages to the citizen: "tr" or "en" (NULL or "" = tr; issue 15) */
};

/* What a record must hold to be accepted. */
enum citizen_need {
    CITIZEN_NEED_NOTHING, /* any (even empty) record */
    CITIZEN_NEED_ANY,     /* a phone, an e-mail or a name (the front office) */
    CITIZEN_NEED_CONTACT, /* a phone or an e-mail, to answer (the public web form) */
};

/* Validate and normalise in into *out (caller releases with citizen_release, also on
 * error). ERR_INVALID naming the bad field, or "missing_field" "phone" when need is not met. */
int core_citizen_read(const struct citizen_input *in, enum citizen_need need, struct citizen *out,
                      struct err_detail *ed);
/* Register a citizen (CITIZEN_NEED_ANY); *out is the stored record (caller releases). */
int core_citizen_create(struct store *st, const struct citizen_input *in, struct citizen *out,
                        struct err_detail *ed);
/* KVKK: log that viewer views citizen_id's record (purpose: "record view", …). When the log
 * cannot be written the record must not be shown: ERR_UNAVAILABLE named
 * "view_log_unavailable". */
int core_citizen_view(struct store *st, const struct user *viewer, int64_t citizen_id,
                      const char *purpose, struct err_detail *ed);

#endif
