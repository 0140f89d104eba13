/* The AMI parser, the Login action and the event mapping (ami.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cti/ami.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/banned.h"

const char *ami_get(const struct ami_msg *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcasecmp(m->f[i].key, key) == 0)
            return m->f[i].value;
    return NULL;
}

/* ---- the parser ---- */

static void msg_reset(struct ami_parser *p)
{
    p->msg.n = 0;
    p->msg.used = 0;
    p->msg_bad = false;
}

void ami_parser_init(struct ami_parser *p, ami_msg_fn on_msg, ami_bad_fn on_bad, void *arg)
{
    memset(p, 0, sizeof(*p));
    p->on_msg = on_msg;
    p->on_bad = on_bad;
    p->arg = arg;
}

static void bad(struct ami_parser *p, const char *why, const char *line)
{
    p->malformed++;
    if (p->on_bad)
        p->on_bad(why, line, p->arg);
}

static bool key_ok(const char *k, size_t n)
{
    if (n == 0 || n > AMI_KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] <= 0x20 || (unsigned char)k[i] >= 0x7f)
            return false;
    return true;
}

/* One whole line (without its CR LF, NUL-terminated at len; may hold NULs of its own). */
static void line_done(struct ami_parser *p, char *line, size_t len)
{
    if (!p->greeted) {
        p->greeted = true;
        if (strncmp(line, "Asterisk Call Manager/", 22) == 0) {
            str_copy(p->banner, sizeof(p->banner), line);
            return;
        }
    }
    if (len == 0) { /* the end of a message */
        if (p->msg_bad)
            bad(p, "message over its bounds", "");
        else if (p->msg.n > 0) {
            p->messages++;
            p->on_msg(&p->msg, p->arg);
        }
        msg_reset(p);
        return;
    }
    char *colon = memchr(line, ':', len);
    if (!colon || memchr(line, '\0', len) || !key_ok(line, (size_t)(colon - line))) {
        bad(p, "not a 'Key: Value' line", line);
        return;
    }
    if (p->msg_bad)
        return;
    size_t klen = (size_t)(colon - line);
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t vlen = len - (size_t)(v - line);
    while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    struct ami_msg *m = &p->msg;
    if (m->n == AMI_FIELDS_MAX || m->used + klen + vlen + 2 > sizeof(m->buf)) {
        p->msg_bad = true;
        return;
    }
    char *k = m->buf + m->used;
    memcpy(k, line, klen);
    k[klen] = '\0';
    char *val = k + klen + 1;
    memcpy(val, v, vlen);
    val[vlen] = '\0';
    m->used += klen + vlen + 2;
    m->f[m->n].key = k;
    m->f[m->n].value = val;
    m->n++;
}

void ami_feed(struct ami_parser *p, const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = data[i];
        if (c != '\n') {
            if (p->len < AMI_LINE_MAX)
                p->line[p->len++] = c;
            else
                p->overlong = true;
            continue;
        }
        size_t len = p->len;
        if (len > 0 && p->line[len - 1] == '\r')
            len--;
        p->line[len] = '\0';
        p->len = 0;
        if (p->overlong) {
            p->overlong = false;
            p->greeted = true;
            bad(p, "line longer than 1024 bytes", "");
            continue;
        }
        line_done(p, p->line, len);
    }
}

/* ---- the Login action ---- */

static bool one_line(const char *s)
{
    return s && !strpbrk(s, "\r\n");
}

bool ami_login_action(char *out, size_t n, const char *user, const char *secret,
                      const char *action_id)
{
    if (!one_line(user) || !one_line(secret) || !one_line(action_id))
        return false;
    int w = snprintf(out, n,
                     "Action: Login\r\nActionID: %s\r\nUsername: %s\r\nSecret: %s\r\n"
                     "Events: call,agent\r\n\r\n",
                     action_id, user, secret);
    return w > 0 && (size_t)w < n;
}

/* ---- the agent map ---- */

void ami_agent_map_free(struct ami_agent_map *m)
{
    free(m->e);
    m->e = NULL;
    m->n = 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

bool ami_agent_map_load(const char *path, struct ami_agent_map *m, const char **why, int *line_no)
{
    memset(m, 0, sizeof(*m));
    *line_no = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        *why = "cannot open the file";
        return false;
    }
    char buf[512];
    size_t cap = 0;
    bool ok = true;
    while (ok && fgets(buf, sizeof(buf), f)) {
        ++*line_no;
        if (!strchr(buf, '\n') && !feof(f)) {
            *why = "line too long";
            ok = false;
            break;
        }
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(buf);
        if (!*s)
            continue;
        char *sp = s + strlen(s);
        while (sp > s && sp[-1] != ' ' && sp[-1] != '\t')
            sp--;
        if (sp == s) {
            *why = "expected 'MEMBER USERNAME'";
            ok = false;
            break;
        }
        sp[-1] = '\0';
        const char *member = trim(s), *user = sp;
        if (m->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            void *ne = realloc(m->e, ncap * sizeof(*m->e));
            if (!ne) {
                *why = "out of memory";
                ok = false;
                break;
            }
            m->e = ne;
            cap = ncap;
        }
        if (!str_copy(m->e[m->n].member, sizeof(m->e[0].member), member) ||
            !str_copy(m->e[m->n].user, sizeof(m->e[0].user), user)) {
            *why = "member or user name too long";
            ok = false;
            break;
        }
        m->n++;
    }
    if (ok && ferror(f)) {
        *why = "read error";
        ok = false;
    }
    fclose(f);
    if (!ok)
        ami_agent_map_free(m);
    return ok;
}

/* The alo153 user of the member named by Interface / MemberName ("" when neither). */
static void agent_of(const struct ami_msg *m, const struct ami_agent_map *map, char *out, size_t n)
{
    const char *iface = ami_get(m, "Interface"), *name = ami_get(m, "MemberName");
    out[0] = '\0';
    for (size_t i = 0; map && i < map->n; i++)
        if (iface && strcmp(map->e[i].member, iface) == 0) {
            str_copy(out, n, map->e[i].user);
            return;
        }
    for (size_t i = 0; map && i < map->n; i++)
        if (name && strcmp(map->e[i].member, name) == 0) {
            str_copy(out, n, map->e[i].user);
            return;
        }
    if (name && *name)
        str_copy(out, n, name);
}

/* ---- the mapping ---- */

/* "1773133200.123456" → 1773133200; false when malformed. */
static bool parse_timestamp(const char *s, int64_t *out)
{
    char whole[24];
    const char *dot = strchr(s, '.');
    size_t n = dot ? (size_t)(dot - s) : strlen(s);
    if (n == 0 || n >= sizeof(whole))
        return false;
    memcpy(whole, s, n);
    whole[n] = '\0';
    if (dot)
        for (const char *d = dot + 1; *d; d++)
            if (!isdigit((unsigned char)*d))
                return false;
    return parse_i64(whole, 1, INT64_C(253402300799), out);
}

/* A queue member's pause reason as one of ours (core: break training meeting
 * after_call_work); anything else is a break. */
static const char *pause_reason(const char *r)
{
    /* clang-format off */
    static const struct { const char *ami, *ours; } map[] = {
        { "break", "break" },       { "mola", "break" },        { "lunch", "break" },
        { "training", "training" }, { "egitim", "training" },   { "eğitim", "training" },
        { "meeting", "meeting" },   { "toplanti", "meeting" },  { "toplantı", "meeting" },
        { "after_call_work", "after_call_work" }, { "acw", "after_call_work" },
        { "wrapup", "after_call_work" },
    };
    /* clang-format on */
    for (size_t i = 0; r && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(r, map[i].ami) == 0)
            return map[i].ours;
    return "break";
}

enum kind {
    K_QUEUED,
    K_RINGING,
    K_ANSWERED,
    K_ABANDONED,
    K_ENDED,
    K_BLIND,
    K_ATTENDED,
    K_HANGUP,
    K_PAUSE,
    K_ADDED,
    K_REMOVED
};

/* clang-format off */
static const struct { const char *event; enum kind kind; const char *type; } events[] = {
    { "QueueCallerJoin",    K_QUEUED,    "queued" },
    { "AgentCalled",        K_RINGING,   "ringing" },
    { "AgentRingNoAnswer",  K_RINGING,   "ringing" },
    { "AgentConnect",       K_ANSWERED,  "answered" },
    { "QueueCallerAbandon", K_ABANDONED, "abandoned" },
    { "AgentComplete",      K_ENDED,     "ended" },
    { "BlindTransfer",      K_BLIND,     "transferred" },
    { "AttendedTransfer",   K_ATTENDED,  "transferred" },
    { "Hangup",             K_HANGUP,    "ended" },
    { "QueueMemberPause",   K_PAUSE,     "agent_pause" },
    { "QueueMemberAdded",   K_ADDED,     "agent_login" },
    { "QueueMemberRemoved", K_REMOVED,   "agent_logout" },
};
/* clang-format on */

static const char *first_of(const struct ami_msg *m, const char *a, const char *b)
{
    const char *v = ami_get(m, a);
    return v && *v ? v : ami_get(m, b);
}

static void copy_field(char *dst, size_t n, const char *src)
{
    if (src && strcmp(src, "<unknown>") != 0)
        str_copy(dst, n, src);
}

enum ami_map_result ami_map(const struct ami_msg *m, const struct ami_agent_map *map,
                            int64_t received_at, struct ami_event *out, const char **why)
{
    const char *ev = ami_get(m, "Event");
    size_t k = 0;
    memset(out, 0, sizeof(*out));
    *why = "";
    if (!ev)
        return AMI_IGNORED;
    while (k < sizeof(events) / sizeof(events[0]) && strcmp(events[k].event, ev) != 0)
        k++;
    if (k == sizeof(events) / sizeof(events[0]))
        return AMI_IGNORED;
    enum kind kind = events[k].kind;
    str_copy(out->type, sizeof(out->type), events[k].type);
    const char *ts = ami_get(m, "Timestamp");
    out->at = received_at;
    if (ts && !parse_timestamp(ts, &out->at)) {
        *why = "bad Timestamp";
        return AMI_UNUSABLE;
    }
    if (kind >= K_PAUSE) { /* an agent's event: who, and for a pause whether on or off */
        agent_of(m, map, out->agent, sizeof(out->agent));
        if (!out->agent[0]) {
            *why = "no MemberName";
            return AMI_UNUSABLE;
        }
        if (kind == K_PAUSE) {
            const char *paused = ami_get(m, "Paused");
            if (!paused || (strcmp(paused, "1") != 0 && strcmp(paused, "0") != 0)) {
                *why = "Paused is not 0 or 1";
                return AMI_UNUSABLE;
            }
            if (strcmp(paused, "0") == 0)
                str_copy(out->type, sizeof(out->type), "agent_ready");
            else
                str_copy(out->reason, sizeof(out->reason),
                         pause_reason(first_of(m, "PausedReason", "Reason")));
        }
        return AMI_MAPPED;
    }
    const char *id;
    switch (kind) {
    case K_BLIND:
    case K_ATTENDED:
        if (!ami_get(m, "Result") || strcmp(ami_get(m, "Result"), "Success") != 0)
            return AMI_IGNORED; /* a failed transfer leaves the call where it was */
        id = kind == K_BLIND ? first_of(m, "TransfereeLinkedid", "TransfererLinkedid")
                             : first_of(m, "OrigTransfererLinkedid", "TransfereeLinkedid");
        out->needs_known_call = true;
        break;
    case K_HANGUP: {
        const char *uid = ami_get(m, "Uniqueid");
        id = ami_get(m, "Linkedid");
        if (!uid || !id || strcmp(uid, id) != 0)
            return AMI_IGNORED; /* an agent's or a transfer target's leg, not the caller's */
        out->needs_known_call = true;
        break;
    }
    default: id = first_of(m, "Linkedid", "Uniqueid");
    }
    if (!id || !*id) {
        *why = "no Linkedid";
        return AMI_UNUSABLE;
    }
    if (!str_copy(out->call_id, sizeof(out->call_id), id)) {
        *why = "Linkedid too long";
        return AMI_UNUSABLE;
    }
    if (kind == K_QUEUED || kind == K_ABANDONED) {
        copy_field(out->caller, sizeof(out->caller), ami_get(m, "CallerIDNum"));
        copy_field(out->line, sizeof(out->line), ami_get(m, "Exten"));
    }
    copy_field(out->queue, sizeof(out->queue), ami_get(m, "Queue"));
    if (kind == K_RINGING || kind == K_ANSWERED || kind == K_ENDED) {
        agent_of(m, map, out->agent, sizeof(out->agent));
        if (kind == K_ANSWERED && !out->agent[0]) {
            *why = "no MemberName";
            return AMI_UNUSABLE;
        }
    }
    return AMI_MAPPED;
}
