#ifndef ALO_CORE_POLICY_H
#define ALO_CORE_POLICY_H
/*
 * The one access policy: who may do what to which department's data. Each operation names
 * the role_policy flag (model/role.h) that grants it across every department; for the
 * department-bound operations, roles that belong to a department (staff, managers) get
 * their own department and the units below it. Handlers and core ask here instead of
 * writing their own role checks.
 *
 * Department grants (issue 12, Request Tracker's rights per queue): on top of their role, a
 * staff member or manager may hold grants on other departments (store_grant_set): every grant
 * lets them read that department's subtree (POL_APP_READ), a grant "with act" also lets them
 * work there (POL_APP_WORK). Nothing else is ever granted.
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "store/store.h"

enum policy_op {
    POL_APP_READ,    /* see, list and search applications (and their statistics) */
    POL_APP_WORK,    /* act on, attach to and link applications (the action's own role rule
                      * is core/lifecycle.h) */
    POL_REGISTER,    /* register citizens and applications (the front office) */
    POL_PERSONAL,    /* see whole phone and T.C. numbers and access codes */
    POL_OVERSEE,     /* read settings, users and routing quality */
    POL_ADMINISTER,  /* write settings, users and reference data */
    POL_CONTACT,     /* open, close and read their own contacts, set their agent state (front
                      * office) */
    POL_CONTACT_ALL, /* see every contact and every agent's state (oversight) */
    POL_KB_EDIT,     /* write knowledge-base articles (editor) */
    POL_TELEPHONY,   /* post the telephone exchange's events */
    POL_PRIVACY,     /* KVKK: export and anonymise a citizen's data, read the view log */
    POL__COUNT
};

enum policy_scope {
    POL_NONE,    /* not at all */
    POL_SUBTREE, /* only the user's department and the units below it */
    POL_ALL,     /* every department */
};

/* How far role r may do op (POL_NONE for values out of range). */
enum policy_scope policy_scope(enum role r, enum policy_op op);
/* May u do op to data of department_id (0: data of no department, which only POL_ALL
 * reaches)? st answers the department tree; u NULL (the public) may do nothing. */
bool policy_allows(struct store *st, const struct user *u, enum policy_op op,
                   int64_t department_id);
/* The departments whose data u may read (POL_APP_READ) or work on (POL_APP_WORK) for every
 * list, count, statistic and report (the one decision; store.h struct dept_reach): not limited
 * for a role that reaches every department; else the subtrees of u's own department and of
 * each department granted to u (any grant for reading, one "with act" for working), the
 * outermost roots only (a grant inside the own subtree adds nothing), possibly none. Other
 * operations reach nothing but for a role with them everywhere. ERR_OK, or the store's error
 * (the caller fails closed); ERR_TOO_BIG past DEPT_REACH_MAX disjoint subtrees. */
int policy_reach(struct store *st, const struct user *u, enum policy_op op, struct dept_reach *out);
/* The reach of u's reports and their exports (GET /reports/…): the whole centre for the
 * oversight roles, a manager's policy_reach for reading, ERR_FORBIDDEN for everyone else (a
 * manager of no department and no grant included). */
int policy_report_reach(struct store *st, const struct user *u, struct dept_reach *out);
/* Is department_id (0: no department) within r? */
bool policy_reach_has(struct store *st, const struct dept_reach *r, int64_t department_id);
/* May a user of role r hold department grants (the roles bound to one department)? */
bool policy_may_hold_grants(enum role r);

#endif
