#include "model/lifecycle.h"

#include <string.h>

#include "util/banned.h"

static const char *const status_names[ST__COUNT] = {
    [ST_NEW] = "new",
    [ST_FORWARDED] = "forwarded",
    [ST_IN_PROGRESS] = "in_progress",
    [ST_RESOLVED] = "resolved",
    [ST_CLOSED] = "closed",
    [ST_OUT_OF_SCOPE] = "out_of_scope",
    [ST_DUPLICATE] = "duplicate",
};

static const char *const action_names[ACT__COUNT] = {
    [ACT_ROUTE] = "route",         [ACT_ACCEPT] = "accept",   [ACT_RETURN] = "return",
    [ACT_TRANSFER] = "transfer",   [ACT_RESPOND] = "respond", [ACT_REJECT_ANSWER] = "reject-answer",
    [ACT_CLOSE] = "close",         [ACT_REOPEN] = "reopen",   [ACT_OUT_OF_SCOPE] = "out-of-scope",
    [ACT_DUPLICATE] = "duplicate", [ACT_NOTE] = "note",       [ACT_HOLD] = "hold",
    [ACT_RESUME] = "resume",
};

static int name_find(const char *const *names, int n, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *lifecycle_status_name(enum app_status s)
{
    return (unsigned)s < ST__COUNT ? status_names[s] : "?";
}

int lifecycle_status_parse(const char *name)
{
    return name_find(status_names, ST__COUNT, name);
}

const char *lifecycle_action_name(enum app_action a)
{
    return (unsigned)a < ACT__COUNT ? action_names[a] : "?";
}

int lifecycle_action_parse(const char *name)
{
    return name_find(action_names, ACT__COUNT, name);
}
