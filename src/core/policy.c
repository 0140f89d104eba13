#include "core/policy.h"

#include <stddef.h>
#include <stdlib.h>

#include "util/banned.h"

/* The policy table: for each operation, the role_policy flag that grants it everywhere, and
 * whether a role that belongs to a department gets its subtree instead. */
static const struct policy_rule {
    size_t grants_all; /* offsetof a bool in struct role_policy */
    bool subtree;      /* in_department roles get their own subtree */
} rules[POL__COUNT] = {
    [POL_APP_READ] = { offsetof(struct role_policy, all_departments), true },
    [POL_APP_WORK] = { offsetof(struct role_policy, all_departments), true },
    [POL_REGISTER] = { offsetof(struct role_policy, front_office), false },
    [POL_PERSONAL] = { offsetof(struct role_policy, personal_data), false },
    [POL_OVERSEE] = { offsetof(struct role_policy, oversight), false },
    [POL_ADMINISTER] = { offsetof(struct role_policy, administers), false },
    [POL_CONTACT] = { offsetof(struct role_policy, front_office), false },
    [POL_CONTACT_ALL] = { offsetof(struct role_policy, oversight), false },
    [POL_KB_EDIT] = { offsetof(struct role_policy, editor), false },
    [POL_TELEPHONY] = { offsetof(struct role_policy, telephony), false },
    [POL_PRIVACY] = { offsetof(struct role_policy, privacy), false },
};

enum policy_scope policy_scope(enum role r, enum policy_op op)
{
    if ((unsigned)op >= POL__COUNT || (unsigned)r >= ROLE__COUNT)
        return POL_NONE;
    const struct role_policy *p = role_policy(r);
    if (*(const bool *)((const char *)p + rules[op].grants_all))
        return POL_ALL;
    return rules[op].subtree && p->in_department ? POL_SUBTREE : POL_NONE;
}

/* Does one of u's department grants (issue 12) reach department_id for op? Any grant lets its
 * holder read; only one "with act" lets them work. Other operations are never granted. */
static bool granted(struct store *st, const struct user *u, enum policy_op op,
                    int64_t department_id)
{
    struct grant *g = NULL;
    size_t n = 0;
    bool ok = false;
    if ((op != POL_APP_READ && op != POL_APP_WORK) || store_grant_list(st, u->id, &g, &n) != ERR_OK)
        return false;
    for (size_t i = 0; i < n && !ok; i++)
        ok = (op == POL_APP_READ || g[i].act) &&
             store_department_within(st, department_id, g[i].department_id);
    free(g);
    return ok;
}

bool policy_allows(struct store *st, const struct user *u, enum policy_op op, int64_t department_id)
{
    if (!u)
        return false;
    switch (policy_scope(u->role, op)) {
    case POL_ALL: return true;
    case POL_SUBTREE:
        if (!department_id)
            return false;
        if (u->department_id && store_department_within(st, department_id, u->department_id))
            return true;
        return granted(st, u, op, department_id);
    case POL_NONE: break;
    }
    return false;
}

int64_t policy_list_grants(const struct user *u, enum policy_op op)
{
    return op == POL_APP_READ && policy_scope(u->role, op) == POL_SUBTREE ? u->id : 0;
}

bool policy_may_hold_grants(enum role r)
{
    return policy_scope(r, POL_APP_READ) == POL_SUBTREE;
}

int64_t policy_list_scope(const struct user *u, enum policy_op op)
{
    switch (policy_scope(u->role, op)) {
    case POL_ALL: return 0;
    case POL_SUBTREE: return u->department_id ? u->department_id : -1;
    case POL_NONE: break;
    }
    return -1;
}
