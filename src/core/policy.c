#include "core/policy.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

bool policy_may_hold_grants(enum role r)
{
    return policy_scope(r, POL_APP_READ) == POL_SUBTREE;
}

/* Add root to r unless a root already covers it; drop the roots it covers. */
static int reach_add(struct store *st, struct dept_reach *r, int64_t root)
{
    for (size_t i = 0; i < r->n; i++)
        if (store_department_within(st, root, r->root[i]))
            return ERR_OK;
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (!store_department_within(st, r->root[i], root))
            r->root[k++] = r->root[i];
    r->n = k;
    if (r->n == DEPT_REACH_MAX)
        return ERR_TOO_BIG;
    r->root[r->n++] = root;
    return ERR_OK;
}

int policy_reach(struct store *st, const struct user *u, enum policy_op op, struct dept_reach *out)
{
    memset(out, 0, sizeof(*out));
    if (u && policy_scope(u->role, op) == POL_ALL)
        return ERR_OK;
    out->limited = true;
    if (!u || policy_scope(u->role, op) != POL_SUBTREE)
        return ERR_OK;
    int rc = u->department_id ? reach_add(st, out, u->department_id) : ERR_OK;
    if (rc != ERR_OK || (op != POL_APP_READ && op != POL_APP_WORK))
        return rc;
    struct grant *g = NULL;
    size_t n = 0;
    if ((rc = store_grant_list(st, u->id, &g, &n)) != ERR_OK) {
        out->n = 0; /* fail closed */
        return rc;
    }
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        if (op == POL_APP_READ || g[i].act)
            rc = reach_add(st, out, g[i].department_id);
    free(g);
    if (rc != ERR_OK)
        out->n = 0;
    return rc;
}

int policy_report_reach(struct store *st, const struct user *u, struct dept_reach *out)
{
    memset(out, 0, sizeof(*out));
    out->limited = true;
    if (!u)
        return ERR_FORBIDDEN;
    if (policy_scope(u->role, POL_OVERSEE) == POL_ALL) {
        out->limited = false;
        return ERR_OK;
    }
    if (u->role != ROLE_MANAGER)
        return ERR_FORBIDDEN;
    int rc = policy_reach(st, u, POL_APP_READ, out);
    return rc == ERR_OK && (!out->limited || out->n == 0) ? ERR_FORBIDDEN : rc;
}

bool policy_reach_has(struct store *st, const struct dept_reach *r, int64_t department_id)
{
    if (!r->limited)
        return true;
    for (size_t i = 0; department_id && i < r->n; i++)
        if (store_department_within(st, department_id, r->root[i]))
            return true;
    return false;
}
