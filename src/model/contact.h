#ifndef ALO_MODEL_CONTACT_H
#define ALO_MODEL_CONTACT_H
/*
 * The contact centre's vocabulary and records: contacts (one interaction on one channel),
 * calls and their events from the telephone exchange, agents' states, the screen-pop events
 * an agent's console collects, and knowledge-base articles. Names are the API's and the
 * database's words; pure tables, no I/O, no rules (those are core/contact.h, core/agent.h,
 * core/kb.h). Times are Unix seconds UTC, 0 = not set; ids > 0, 0 = none.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define CONTACT_REF_LEN 64  /* the exchange's call id */
#define CONTACT_LINE_LEN 32 /* line, queue, caller number as the exchange sends them */

/* A contact's outcome: exactly one once the contact is closed. */
enum contact_outcome {
    OUTCOME_NONE,            /* still open */
    OUTCOME_INSTANT_INFO,    /* answered on the spot (anlık bilgilendirme) */
    OUTCOME_APPLICATION,     /* an application registered during the contact */
    OUTCOME_FOLLOWUP,        /* about an application that already existed */
    OUTCOME_NOT_RELEVANT,    /* wrong number, silent, prank, abusive */
    OUTCOME_TRANSFERRED_OUT, /* handed to another institution's line */
    OUTCOME__COUNT
};

/* Agent states: the first three are set by the agent (or the exchange), the last two follow
 * from the agent's calls (derived on reading, never stored). */
enum agent_state_kind {
    AGENT_LOGGED_OUT,
    AGENT_READY,
    AGENT_PAUSED,
    AGENT_ON_CALL, /* a call of theirs is answered and not ended */
    AGENT_WRAP_UP, /* the call ended, its contact is not closed yet */
    AGENT__COUNT
};

/* Call event types from the exchange; the AGENT_* ones change an agent's state. */
enum call_event_type {
    CEV_OFFERED,
    CEV_QUEUED,
    CEV_RINGING,
    CEV_ANSWERED,
    CEV_ABANDONED,
    CEV_TRANSFERRED,
    CEV_ENDED,
    CEV_AGENT_LOGIN,
    CEV_AGENT_LOGOUT,
    CEV_AGENT_PAUSE,
    CEV_AGENT_READY,
    CEV__COUNT
};

struct contact {
    int64_t id;
    char channel[MODEL_WORD_LEN];   /* contact_channel_valid() */
    char direction[MODEL_WORD_LEN]; /* "inbound" or "outbound" */
    int64_t district_id;            /* mobile_desk: where the bus stood; else 0 */
    char caller[MODEL_PHONE_LEN];   /* normalised phone, "" when unknown */
    int64_t citizen_id;
    int64_t user_id;                           /* the agent or clerk who handles it */
    int64_t call_id;                           /* a phone contact's call, else 0 */
    int64_t started_at, answered_at, ended_at; /* ended_at: when it was closed */
    enum contact_outcome outcome;
    char reason[MODEL_WORD_LEN];      /* not_relevant: contact_reason_valid() */
    char category[MODEL_CODE_LEN];    /* what it was about (a category code), "" */
    char institution[MODEL_CODE_LEN]; /* transferred_out: to whom, "" */
    int64_t kb_article_id, application_id;
    char *note; /* owned, may be NULL */
    /* filled by reads from the call (0 / "" for other contacts) */
    char call_ref[CONTACT_REF_LEN];
    int64_t call_offered_at, call_ended_at;
};

struct contact_filter {
    int64_t user_id, citizen_id, application_id; /* 0 = any */
    char channel[MODEL_WORD_LEN];                /* "" = any */
    int outcome;      /* -1 = any; OUTCOME_NONE = open ones; else that outcome */
    int64_t from, to; /* started_at in [from, to); 0 = open bound */
    int64_t after;    /* keyset: ids below this (newest first); 0 = start */
    int limit;        /* 1..500 */
};

struct call {
    int64_t id;
    char ref[CONTACT_REF_LEN]; /* the exchange's call id */
    char line[CONTACT_LINE_LEN], queue[CONTACT_LINE_LEN], caller[CONTACT_LINE_LEN];
    int64_t agent_id; /* the agent it reached (0 = none yet) */
    int64_t offered_at, answered_at, abandoned_at, transferred_at, ended_at;
    int64_t contact_closed_at; /* filled by reads: when its contact was closed (end of wrap-up) */
    int64_t last_event_at;     /* the latest event folded into it (0 = not known: refold) */
};

struct call_event {
    char ref[CONTACT_REF_LEN]; /* "" for agent events */
    enum call_event_type type;
    int64_t at;
    int64_t agent_id;
    char line[CONTACT_LINE_LEN], queue[CONTACT_LINE_LEN], caller[CONTACT_LINE_LEN];
    char reason[MODEL_WORD_LEN]; /* agent_pause */
};

struct agent_state {
    int64_t user_id;
    char username[64];   /* filled by reads */
    char full_name[128]; /* filled by reads */
    enum agent_state_kind state;
    char reason[MODEL_WORD_LEN]; /* paused: contact_pause_reason_valid() */
    int64_t since;
};

/* Something an agent's console is told (screen pop). */
struct agent_event {
    int64_t id;
    int64_t user_id;
    char kind[MODEL_WORD_LEN]; /* "call_answered" */
    int64_t contact_id;
    int64_t at;
};

/* Another institution's number an article gives (AYEDAŞ 186, doğalgaz 187, 112 …). */
#define KB_PHONE_NAME_LEN 81   /* up to 80 bytes */
#define KB_PHONE_NUMBER_LEN 25 /* up to 24 bytes: digits, spaces, + - ( ) */
struct kb_phone {
    char name[KB_PHONE_NAME_LEN];
    char number[KB_PHONE_NUMBER_LEN];
};

/* Where an article stands at a moment: archived (soft-deleted), not yet valid, past its
 * valid-until, or current (what agents see). KB_ANY is only a filter: every article. */
enum kb_state { KB_CURRENT, KB_UPCOMING, KB_EXPIRED, KB_ARCHIVED, KB_ANY, KB__COUNT };

struct kb_article {
    int64_t id;
    char *title, *body, *keywords; /* owned; keywords may be NULL */
    char category[MODEL_CODE_LEN]; /* a category code, "" */
    bool active;                   /* false = archived */
    int64_t created_at, updated_at;
    int64_t valid_from, valid_until; /* 0 = open-ended; valid while from <= now < until */
    int64_t *districts;              /* owned; ndistricts 0 = the whole province */
    size_t ndistricts;
    struct kb_phone *phones; /* owned */
    size_t nphones;
    int64_t uses; /* filled by reads: contacts closed as instant information with it */
};

/* Names ↔ values; the *_name functions return static strings ("?" out of range), the
 * *_parse functions -1 for an unknown name or NULL. */
const char *contact_outcome_name(enum contact_outcome o); /* OUTCOME_NONE: "" */
int contact_outcome_parse(const char *name);              /* never OUTCOME_NONE */
const char *agent_state_name(enum agent_state_kind s);
int agent_state_parse(const char *name);
const char *call_event_name(enum call_event_type t);
int call_event_parse(const char *name);
bool contact_channel_valid(const char *name);
/* phone_153 and phone_alt: contacts that belong to a call. */
bool contact_channel_is_phone(const char *name);
bool contact_reason_valid(const char *name);       /* wrong_number silent prank abusive */
bool contact_pause_reason_valid(const char *name); /* break training meeting after_call_work */
/* The channel's names, for error messages: "phone_153, phone_alt, …" (static). */
const char *contact_channel_list(void);

void contact_release(struct contact *c);
void kb_article_release(struct kb_article *a);
/* a's state at now (see enum kb_state; never KB_ANY). */
enum kb_state kb_article_state(const struct kb_article *a, int64_t now);
const char *kb_state_name(enum kb_state s); /* "current" "upcoming" "expired" "archived" "all" */
int kb_state_parse(const char *name);       /* -1 for unknown or NULL */
/* The stored forms of the lists (both backends keep them as text): districts as ",3,17,"
 * ("" = province-wide), phones as "name<TAB>number" lines. The encoders return malloc'd text
 * (caller frees); the decoders replace a's list, skipping malformed parts. */
char *kb_districts_encode(const struct kb_article *a);
void kb_districts_decode(struct kb_article *a, const char *s);
char *kb_phones_encode(const struct kb_article *a);
void kb_phones_decode(struct kb_article *a, const char *s);

#endif
