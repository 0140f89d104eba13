#ifndef ALO_MODEL_ROLE_H
#define ALO_MODEL_ROLE_H
/*
 * Users' roles and the one table of what each role is. Every other list of roles (the API's
 * access classes, who sees personal data, who belongs to a department, the CLI's usage text)
 * is derived from this table; which lifecycle action a role may take is a rule of
 * core/lifecycle.h. Pure tables, no I/O.
 */
#include <stdbool.h>

enum role {
    ROLE_AGENT,      /* call-taker (çağrı karşılama) */
    ROLE_DESK,       /* Beyaz Masa clerk */
    ROLE_STAFF,      /* department clerk */
    ROLE_MANAGER,    /* department manager */
    ROLE_SUPERVISOR, /* centre supervisor: sees everything */
    ROLE_ADMIN,      /* administrator */
    ROLE_TELEPHONY,  /* the telephone exchange's token: posts call and agent events */
    ROLE_DPO,        /* data-protection officer (KVKK): exports, anonymises, reads the view log */
    ROLE__COUNT
};

struct role_policy {
    const char *name;     /* as in the API and the database: "supervisor" */
    bool all_departments; /* sees every department's applications (else only its own) */
    bool personal_data;   /* sees whole phone and T.C. numbers and access codes */
    bool front_office;    /* registers citizens and applications (the API's "front") */
    bool oversight;       /* reads settings, users and routing quality */
    bool administers;     /* writes settings, users and reference data */
    bool in_department;   /* belongs to exactly one department (the others to none) */
    bool editor;          /* writes knowledge-base articles */
    bool telephony;       /* posts the telephone exchange's call and agent events */
    bool privacy;         /* KVKK: exports and anonymises a citizen's data, reads the view log */
};

/* The row of role r; an all-false row named "?" for a value out of range. Never NULL. */
const struct role_policy *role_policy(enum role r);
/* role_policy(r)->name. */
const char *role_name(enum role r);
/* The role named name, or -1 for an unknown name or NULL. */
int role_parse(const char *name);
/* role_policy(r)->all_departments: agent, desk, supervisor and admin see every department
 * (they register and relay for all); staff and managers only their own and the units below. */
bool role_sees_all_departments(enum role r);

#endif
