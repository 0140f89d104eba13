#ifndef ALO_CTI_AMI_H
#define ALO_CTI_AMI_H
/*
 * The Asterisk Manager Interface (AMI) as data: the message parser, the Login action and the
 * mapping of Asterisk 18+ queue, transfer and hangup events to the telephony events of
 * core/contact.h (docs/CONTACT_CENTRE.md, "Asterisk (AMI)"). Pure: no sockets, no store.
 *
 * Wire format: lines "Key: Value" ended by CRLF (a bare LF is accepted too); an empty line
 * ends a message. A line is at most AMI_LINE_MAX bytes and a message at most AMI_MSG_MAX
 * bytes and AMI_FIELDS_MAX fields; a longer line, a line without "Key:" and a message over
 * its bounds are counted as malformed and skipped (the rest of the stream goes on).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AMI_LINE_MAX 1024
#define AMI_MSG_MAX 8192
#define AMI_FIELDS_MAX 96
#define AMI_KEY_MAX 64

struct ami_field {
    const char *key, *value; /* point into the message's buffer */
};

/* One message (a response or an event); valid until the callback returns. */
struct ami_msg {
    size_t n;
    struct ami_field f[AMI_FIELDS_MAX];
    size_t used;
    char buf[AMI_MSG_MAX];
};

/* The value of key (keys compare without case; the first one wins), NULL when absent. */
const char *ami_get(const struct ami_msg *m, const char *key);

typedef void (*ami_msg_fn)(const struct ami_msg *m, void *arg);
/* Told about each skipped line or message: what was wrong (static text). */
typedef void (*ami_bad_fn)(const char *why, const char *line, void *arg);

struct ami_parser {
    ami_msg_fn on_msg;
    ami_bad_fn on_bad; /* may be NULL */
    void *arg;
    char line[AMI_LINE_MAX + 1];
    size_t len;
    bool overlong; /* the current line passed AMI_LINE_MAX: skip to its end */
    bool msg_bad;  /* the current message passed its bounds: drop it at its end */
    bool greeted;  /* the first line (the banner) was seen */
    char banner[128];
    unsigned long messages, malformed;
    struct ami_msg msg;
};

/* Start a parser for one connection: the first line is the banner ("Asterisk Call
 * Manager/5.0.2"), kept in p->banner. */
void ami_parser_init(struct ami_parser *p, ami_msg_fn on_msg, ami_bad_fn on_bad, void *arg);
/* Feed n bytes (any split); on_msg is called for every complete message. */
void ami_feed(struct ami_parser *p, const char *data, size_t n);

/* The Login action (Username, Secret, ActionID, Events: call,agent) into out (CRLF, ended by
 * an empty line). false when it does not fit or a value holds CR or LF. */
bool ami_login_action(char *out, size_t n, const char *user, const char *secret,
                      const char *action_id);

/* How an AMI queue member becomes an alo153 user: lines "MEMBER USERNAME" (MEMBER is the
 * member's Interface, e.g. PJSIP/2001, or its MemberName); '#' starts a comment. A member
 * not in the map is the user whose name is its MemberName. Owned by the caller. */
struct ami_agent_map {
    size_t n;
    struct {
        char member[80];
        char user[64];
    } * e;
};
/* Read the map from path into m (m->e malloc'ed; ami_agent_map_free). false with why (a
 * static text) and *line_no on an unreadable file or a bad line. */
bool ami_agent_map_load(const char *path, struct ami_agent_map *m, const char **why, int *line_no);
void ami_agent_map_free(struct ami_agent_map *m);

/* A telephony event mapped from AMI (strings "" when absent). */
struct ami_event {
    char call_id[64];
    char type[16]; /* core/contact.h's names: queued, ringing, answered, … */
    char agent[64];
    char line[32], queue[32], caller[32];
    char reason[32];
    int64_t at;
    bool needs_known_call; /* Hangup and transfers: apply only to a call already known from
                            * the queue (an internal call or an outbound one is no 153 call) */
};

enum ami_map_result {
    AMI_IGNORED, /* not an event we map (or not for a queue call): nothing to do */
    AMI_MAPPED,  /* *out holds the event */
    AMI_UNUSABLE /* one of our events but a field is missing or bad: *why says which */
};

/* Map the event m to *out. The time is m's Timestamp (manager.conf timestampevents=yes,
 * seconds since 1970 with a fraction, cut to the second) when present, else received_at.
 * map may be NULL. See docs/CONTACT_CENTRE.md for the table. */
enum ami_map_result ami_map(const struct ami_msg *m, const struct ami_agent_map *map,
                            int64_t received_at, struct ami_event *out, const char **why);

#endif
