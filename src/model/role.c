#include "model/role.h"

#include <string.h>

#include "util/banned.h"

/* The one role table. */
/* a table laid out by hand */
/* clang-format off */
static const struct role_policy policies[ROLE__COUNT] = {
    /*                   name          all_depts personal front  oversight admin  in_dept editor telephony privacy */
    [ROLE_AGENT] =      { "agent",      true,     true,    true,  false,    false, false,  false, false, false },
    [ROLE_DESK] =       { "desk",       true,     true,    true,  false,    false, false,  false, false, false },
    [ROLE_STAFF] =      { "staff",      false,    false,   false, false,    false, true,   false, false, false },
    [ROLE_MANAGER] =    { "manager",    false,    false,   false, false,    false, true,   false, false, false },
    [ROLE_SUPERVISOR] = { "supervisor", true,     true,    true,  true,     false, false,  true,  false, false },
    [ROLE_ADMIN] =      { "admin",      true,     true,    true,  true,     true,  false,  true,  false, true },
    [ROLE_TELEPHONY] =  { "telephony",  false,    false,   false, false,    false, false,  false, true, false },
    [ROLE_DPO] =        { "dpo",        false,    false,   false, false,    false, false,  false, false, true },
};
/* clang-format on */

static const struct role_policy unknown = { "?",   false, false, false, false,
                                            false, false, false, false, false };

const struct role_policy *role_policy(enum role r)
{
    return (unsigned)r < ROLE__COUNT ? &policies[r] : &unknown;
}

const char *role_name(enum role r)
{
    return role_policy(r)->name;
}

int role_parse(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < ROLE__COUNT; i++)
        if (strcmp(policies[i].name, name) == 0)
            return i;
    return -1;
}

bool role_sees_all_departments(enum role r)
{
    return role_policy(r)->all_departments;
}
