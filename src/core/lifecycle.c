#include "core/lifecycle.h"

#include <stdio.h>

#include "util/banned.h"

#define X -1
/* next[status][action]: the status after the action, X when illegal. */
/* a table laid out by hand */
/* clang-format off */
static const signed char next_status[ST__COUNT][ACT__COUNT] = {
    /*                route          accept          return   transfer      respond      reject-answer   close      reopen        out-of-scope     duplicate     note  hold  resume */
    [ST_NEW] =       { ST_FORWARDED, X,              X,       X,            X,           X,              X,         X,            ST_OUT_OF_SCOPE, ST_DUPLICATE, ST_NEW, X, X },
    [ST_FORWARDED] = { X,            ST_IN_PROGRESS, ST_NEW,  ST_FORWARDED, X,           X,              X,         X,            X,               X,            ST_FORWARDED, X, X },
    [ST_IN_PROGRESS] = { X,          X,              X,       ST_FORWARDED, ST_RESOLVED, X,              X,         X,            X,               X,            ST_IN_PROGRESS, ST_IN_PROGRESS, ST_IN_PROGRESS },
    [ST_RESOLVED] =  { X,            X,              X,       X,            X,           ST_IN_PROGRESS, ST_CLOSED, X,            X,               X,            ST_RESOLVED, X, X },
    [ST_CLOSED] =    { X,            X,              X,       X,            X,           X,              X,         ST_FORWARDED, X,               X,            ST_CLOSED, X, X },
    [ST_OUT_OF_SCOPE] = { X,         X,              X,       X,            X,           X,              X,         X,            X,               X,            ST_OUT_OF_SCOPE, X, X },
    [ST_DUPLICATE] = { X,            X,              X,       X,            X,           X,              X,         X,            X,               X,            ST_DUPLICATE, X, X },
};
/* clang-format on */
#undef X

#define R(r) (1u << (r))
#define FRONT (R(ROLE_AGENT) | R(ROLE_DESK))
#define DEPT (R(ROLE_STAFF) | R(ROLE_MANAGER))
#define TOP (R(ROLE_SUPERVISOR) | R(ROLE_ADMIN))
/* Who may do what. The front office registers, routes and relays answers; departments work. */
/* a table laid out by hand */
/* clang-format off */
static const unsigned action_roles[ACT__COUNT] = {
    [ACT_ROUTE] = FRONT | TOP,
    [ACT_ACCEPT] = DEPT | TOP,
    [ACT_RETURN] = DEPT | TOP,
    [ACT_TRANSFER] = DEPT | TOP | FRONT,
    [ACT_RESPOND] = DEPT | TOP,
    [ACT_REJECT_ANSWER] = FRONT | TOP,
    [ACT_CLOSE] = FRONT | TOP,
    [ACT_REOPEN] = FRONT | TOP,
    [ACT_OUT_OF_SCOPE] = FRONT | TOP,
    [ACT_DUPLICATE] = FRONT | TOP,
    [ACT_NOTE] = FRONT | DEPT | TOP,
    [ACT_HOLD] = DEPT | TOP,
    [ACT_RESUME] = DEPT | TOP,
};
/* clang-format on */

int lifecycle_next(enum app_status s, enum app_action a)
{
    if ((unsigned)s >= ST__COUNT || (unsigned)a >= ACT__COUNT)
        return -1;
    return next_status[s][a];
}

bool lifecycle_role_may(enum role r, enum app_action a)
{
    if ((unsigned)r >= ROLE__COUNT || (unsigned)a >= ACT__COUNT)
        return false;
    return (action_roles[a] & R(r)) != 0;
}

unsigned lifecycle_allowed_mask(enum app_status s)
{
    unsigned m = 0;
    for (int a = 0; a < ACT__COUNT; a++)
        if (lifecycle_next(s, (enum app_action)a) >= 0)
            m |= 1u << a;
    return m;
}

unsigned lifecycle_actions_for(enum app_status s, bool on_hold, bool has_category, enum role r)
{
    unsigned m = 0;
    for (int a = 0; a < ACT__COUNT; a++)
        if (lifecycle_next(s, (enum app_action)a) >= 0 && lifecycle_role_may(r, (enum app_action)a))
            m |= 1u << a;
    m &= ~(1u << (on_hold ? ACT_HOLD : ACT_RESUME));
    if (!has_category)
        m &= ~(1u << ACT_REOPEN);
    return m;
}

void lifecycle_allowed(enum app_status s, char *out, size_t outlen)
{
    size_t used = 0;
    if (!outlen)
        return;
    out[0] = '\0';
    for (int a = 0; a < ACT__COUNT; a++) {
        if (lifecycle_next(s, (enum app_action)a) < 0)
            continue;
        int n = snprintf(out + used, outlen - used, "%s%s", used ? "," : "",
                         lifecycle_action_name((enum app_action)a));
        if (n < 0 || (size_t)n >= outlen - used) {
            out[used] = '\0'; /* drop the partly written name */
            break;
        }
        used += (size_t)n;
    }
}

bool lifecycle_is_final(enum app_status s)
{
    return s == ST_CLOSED || s == ST_OUT_OF_SCOPE || s == ST_DUPLICATE;
}
