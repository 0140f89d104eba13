#include "model/contact.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static const char *const outcomes[OUTCOME__COUNT] = {
    "", "instant_info", "application", "followup", "not_relevant", "transferred_out",
};
static const char *const states[AGENT__COUNT] = {
    "logged_out", "ready", "paused", "on_call", "wrap_up",
};
static const char *const events[CEV__COUNT] = {
    "offered", "queued",      "ringing",      "answered",    "abandoned",   "transferred",
    "ended",   "agent_login", "agent_logout", "agent_pause", "agent_ready",
};
static const char *const channels[] = {
    "phone_153", "phone_alt", "desk",  "mobile_desk", "web", "mobile_app",
    "whatsapp",  "cimer",     "email", "open311",     NULL,
};
static const char *const reasons[] = { "wrong_number", "silent", "prank", "abusive", NULL };
static const char *const pauses[] = { "break", "training", "meeting", "after_call_work", NULL };

static int find(const char *const *names, int n, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; n < 0 ? names[i] != NULL : i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *contact_outcome_name(enum contact_outcome o)
{
    return (unsigned)o < OUTCOME__COUNT ? outcomes[o] : "?";
}

int contact_outcome_parse(const char *name)
{
    int i = find(outcomes, OUTCOME__COUNT, name);
    return i == OUTCOME_NONE ? -1 : i;
}

const char *agent_state_name(enum agent_state_kind s)
{
    return (unsigned)s < AGENT__COUNT ? states[s] : "?";
}

int agent_state_parse(const char *name)
{
    return find(states, AGENT__COUNT, name);
}

const char *call_event_name(enum call_event_type t)
{
    return (unsigned)t < CEV__COUNT ? events[t] : "?";
}

int call_event_parse(const char *name)
{
    return find(events, CEV__COUNT, name);
}

bool contact_channel_valid(const char *name)
{
    return find(channels, -1, name) >= 0;
}

bool contact_channel_is_phone(const char *name)
{
    return name && (strcmp(name, "phone_153") == 0 || strcmp(name, "phone_alt") == 0);
}

bool contact_reason_valid(const char *name)
{
    return find(reasons, -1, name) >= 0;
}

bool contact_pause_reason_valid(const char *name)
{
    return find(pauses, -1, name) >= 0;
}

const char *contact_channel_list(void)
{
    return "phone_153, phone_alt, desk, mobile_desk, web, mobile_app, whatsapp, cimer, email, "
           "open311";
}

void contact_release(struct contact *c)
{
    free(c->note);
    memset(c, 0, sizeof(*c));
}

void kb_article_release(struct kb_article *a)
{
    free(a->title);
    free(a->body);
    free(a->keywords);
    free(a->districts);
    free(a->phones);
    memset(a, 0, sizeof(*a));
}

static const char *const kb_states[KB__COUNT] = { "current", "upcoming", "expired", "archived",
                                                  "all" };

enum kb_state kb_article_state(const struct kb_article *a, int64_t now)
{
    if (!a->active)
        return KB_ARCHIVED;
    if (a->valid_until && a->valid_until <= now)
        return KB_EXPIRED;
    if (a->valid_from && a->valid_from > now)
        return KB_UPCOMING;
    return KB_CURRENT;
}

const char *kb_state_name(enum kb_state s)
{
    return (unsigned)s < KB__COUNT ? kb_states[s] : "?";
}

int kb_state_parse(const char *name)
{
    for (int i = 0; name && i < KB__COUNT; i++)
        if (strcmp(name, kb_states[i]) == 0)
            return i;
    return -1;
}

char *kb_districts_encode(const struct kb_article *a)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (size_t i = 0; i < a->ndistricts; i++)
        strbuf_addf(&sb, "%s%lld,", i ? "" : ",", (long long)a->districts[i]);
    return strbuf_detach(&sb, NULL);
}

void kb_districts_decode(struct kb_article *a, const char *s)
{
    free(a->districts);
    a->districts = NULL;
    a->ndistricts = 0;
    for (const char *p = s ? s : ""; *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) {
            p++;
            continue;
        }
        if (v > 0) {
            a->districts = xrealloc(a->districts, (a->ndistricts + 1) * sizeof(*a->districts));
            a->districts[a->ndistricts++] = v;
        }
        p = end;
    }
}

char *kb_phones_encode(const struct kb_article *a)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (size_t i = 0; i < a->nphones; i++)
        strbuf_addf(&sb, "%s\t%s\n", a->phones[i].name, a->phones[i].number);
    return strbuf_detach(&sb, NULL);
}

void kb_phones_decode(struct kb_article *a, const char *s)
{
    free(a->phones);
    a->phones = NULL;
    a->nphones = 0;
    for (const char *p = s ? s : ""; *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        if (tab) {
            struct kb_phone ph = { { 0 }, { 0 } };
            size_t nl_len = (size_t)(tab - p), num_len = (size_t)(end - tab - 1);
            if (nl_len < sizeof(ph.name) && num_len < sizeof(ph.number)) {
                memcpy(ph.name, p, nl_len);
                memcpy(ph.number, tab + 1, num_len);
                a->phones = xrealloc(a->phones, (a->nphones + 1) * sizeof(*a->phones));
                a->phones[a->nphones++] = ph;
            }
        }
        p = nl ? nl + 1 : end;
    }
}
