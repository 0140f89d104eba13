#ifndef ALO_CORE_CONTACT_H
#define ALO_CORE_CONTACT_H
/*
 * Contacts and calls: the rules of the contact centre. Every contact ends with exactly one
 * outcome (instant information with the article used or a note; an application registered
 * during the contact; a follow-up on an existing one; not relevant with a reason; transferred
 * to another institution); closing twice is a conflict. Calls come from the exchange as
 * events, idempotent by (call id, type, time) and folded in any order into one call; the
 * first "answered" opens the agent's contact and queues the screen pop.
 * Each change is one function and one transaction; errors come back in ed (field and name).
 * Returned records are the caller's (contact_release).
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/contact.h"
#include "model/model.h"
#include "store/store.h"
#include "util/err.h"

#define CONTACT_NOTE_MAX 4000
/* How far ahead of our clock an exchange's event time may be (clocks drift). */
#define CALL_FUTURE_TOLERANCE_S 300

/* What a person gives for a contact (NULL / 0 = not given). */
struct contact_input {
    const char *channel, *direction, *caller, *outcome, *reason, *category, *institution, *note;
    int64_t citizen_id, district_id, kb_article_id, application_id;
    int64_t at; /* 0 = now: when the contact opens (open) or ends (close); simulate passes the
                 * simulated time */
};

/* Open a contact handled by u (POST /contacts); with an outcome it is recorded closed at
 * once. ERR_INVALID (field named) for a bad or missing value, ERR_UNPROCESSABLE for a
 * citizen, district, article or application that does not exist, ERR_FORBIDDEN when u does
 * not handle contacts. */
int core_contact_open(struct store *st, const struct user *u, const struct contact_input *in,
                      struct contact *out, struct err_detail *ed);
/* Close contact id with exactly one outcome. ERR_NOT_FOUND when u may not see it,
 * ERR_CONFLICT "already_closed" when it has an outcome, else as core_contact_open. */
int core_contact_close(struct store *st, const struct user *u, int64_t id,
                       const struct contact_input *in, struct contact *out, struct err_detail *ed);
/* Read contact id as u may (their own, or every one for oversight); ERR_NOT_FOUND else. */
int core_contact_get(struct store *st, const struct user *u, int64_t id, struct contact *out,
                     struct err_detail *ed);
/* Does the closed contact c carry a consistent outcome (the pure part of the rules, without
 * the database)? ERR_OK or ERR_INVALID naming the field. */
int contact_outcome_check(const struct contact *c, struct err_detail *ed);

/* One event from the exchange, as posted (strings NULL when absent). */
struct call_event_input {
    const char *call_id, *type, *agent, *line, *queue, *caller, *reason;
    int64_t at; /* 0 = not given */
};

struct call_event_result {
    bool duplicate;     /* the same event was recorded before: nothing changed */
    struct call call;   /* the call after the event (agent events: zeroed) */
    int64_t contact_id; /* the call's contact when it has one */
    int64_t popped_to;  /* user id a screen pop was queued for by this event, 0 = none */
};

/* Record an exchange event posted by u (POL_TELEPHONY) at our time now. ERR_INVALID for a
 * missing or bad field (unknown type, no call_id, time missing or beyond the tolerance in the
 * future), ERR_UNPROCESSABLE "unknown_agent" for an agent who is no front-office user. */
/* Queues are reference data: the setting "queues", names separated by commas ("genel" when
 * unset). An exchange event naming another queue is refused (422 unknown_queue), so a
 * misconfigured exchange is noticed at once instead of filling KPIs under a typo. */
#define CORE_QUEUES_MAX 32
#define CORE_QUEUES_LEN 1024 /* the setting's text, NUL included */
/* Normalise a list typed by a person ("genel, zabita  su") into "genel,zabita,su": names of
 * 1-31 of a-z A-Z 0-9 '_' '.' '-', duplicates dropped, 1..CORE_QUEUES_MAX of them. */
int core_queues_parse(const char *in, char out[CORE_QUEUES_LEN], struct err_detail *ed);
/* The queues now (the setting or "genel") into out. */
void core_queues_get(struct store *st, char out[CORE_QUEUES_LEN]);
/* Is name one of them? */
bool core_queue_known(struct store *st, const char *name);
int core_call_event(struct store *st, const struct user *u, const struct call_event_input *in,
                    int64_t now, struct call_event_result *res, struct err_detail *ed);
/* The events in[0..n) in one transaction: all recorded, or (on the first error, whose index
 * goes to *failed) none. res[0..n) as core_call_event's. */
int core_call_events(struct store *st, const struct user *u, const struct call_event_input *in,
                     size_t n, int64_t now, struct call_event_result *res, size_t *failed,
                     struct err_detail *ed);
/* Fold the events of one call (any order, duplicates allowed) into c (ref and id kept):
 * offered at the earliest event, answered at the first answer (agent: who answered, else the
 * last one it rang), abandoned only when never answered, ended at the last end. Pure. */
void call_fold(const struct call_event *ev, size_t n, struct call *c);
/* Fold one more event e into c, a call_fold result whose last_event_at is set, when e is later
 * than every event folded into it: then c becomes what call_fold of all of them gives, and
 * true. False (c unchanged) when it cannot be done from c alone: e not later, last_event_at
 * unknown (0), or an answer after an unanswered abandon. Pure. */
bool call_fold_next(struct call *c, const struct call_event *e);

#endif
