#include "model/contact.h"

#include <stdlib.h>
#include <string.h>

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
    memset(a, 0, sizeof(*a));
}
