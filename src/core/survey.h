#ifndef ALO_CORE_SURVEY_H
#define ALO_CORE_SURVEY_H
/*
 * Satisfaction surveys (issue 15; docs/MESSAGES.md "Surveys"). After closure the citizen gets
 * a link /anket/TOKEN. TOKEN = APPID "-" NONCE "-" MAC: NONCE 16 random bytes in hex,
 * remembered in survey_tokens (single use), MAC the first 16 bytes (hex) of HMAC-SHA-256 of
 * "APPID-NONCE" under the setting survey_secret (made at first use). No dots: the console's
 * deep links are extension-less paths. A token whose MAC does not
 * match (altered, or moved to another application) is refused before the database is asked;
 * a used one is refused with its own code. A post-call IVR rating arrives as a telephony
 * event of type "survey" with the digit. Every rating is one row of satisfaction, with the
 * application's department, category and channel and the agent; a rating at or below the
 * setting survey_low (default 2) reopens a closed application for a supervisor's look when the
 * setting survey_reopen is "1" (default).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/message.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

#define CORE_SURVEY_TOKEN_LEN 96
#define CORE_SURVEY_COMMENT_MAX 2000
#define CORE_SURVEY_DAYS 30 /* a token is valid this long */

/* Make and remember a token for app_id (inside the caller's transaction). */
int core_survey_token_new(struct store *st, int64_t app_id, int64_t now, char *token, size_t len);

/* What the survey page shows before the rating. */
struct survey_view {
    int64_t app_id;
    char tracking[TRACKING_LEN];
    char category[128]; /* the category's Turkish name ("" when none) */
    bool used;
};
/* Check a token without using it. ERR_NOT_FOUND named "token_invalid" for a bad or unknown
 * token or one past its time; out->used tells a used one (ERR_OK). */
int core_survey_view(struct store *st, const char *token, int64_t now, struct survey_view *out,
                     struct err_detail *ed);

/* Rate with a token: rating 1..5, comment (may be NULL), tracking (may be NULL: when given it
 * must be the token's application, else ERR_CONFLICT "token_other_application"). One
 * transaction: the token used, the rating stored, a low rating's reopen. ERR_NOT_FOUND
 * "token_invalid", ERR_CONFLICT "token_used", ERR_INVALID for the rating or comment. *reopened
 * (may be NULL) tells whether the application was reopened. */
int core_survey_submit(struct store *st, const char *token, int rating, const char *comment,
                       const char *tracking, int64_t now, bool *reopened, struct err_detail *ed);

/* An IVR rating: digit '1'..'5' for the call with the exchange's id call_ref (its contact,
 * the contact's application and the answering agent), or for the application tracking when
 * given. ERR_INVALID for another digit, ERR_NOT_FOUND when neither the call nor the
 * application is known. */
int core_survey_ivr(struct store *st, const char *call_ref, const char *tracking, const char *digit,
                    int64_t now, struct satisfaction *out, struct err_detail *ed);

/* Satisfaction of the ratings given in [from, to): per group of dim ("department",
 * "category", "channel", "agent", "source", "day" (Istanbul YYYY-MM-DD) or "" for all):
 * fn(ctx, key id (department/category/agent id; 0 = none), key text, ratings, sum of ratings,
 * satisfied = ratings of 4 or 5). For the reports; satisfaction % = satisfied / ratings. */
int core_satisfaction_group(struct store *st, const char *dim, int64_t from, int64_t to,
                            int (*fn)(void *ctx, int64_t key_id, const char *key, int64_t n,
                                      int64_t sum, int64_t satisfied),
                            void *ctx);

#endif
