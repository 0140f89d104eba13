#ifndef ALO_MODEL_MODEL_H
#define ALO_MODEL_MODEL_H
/*
 * The domain's records as plain structs, shared by core, store and api (the vocabulary they
 * use: model/lifecycle.h, model/role.h, model/tracking.h). Strings in fixed
 * arrays are short identifiers; `char *` fields are owned by the struct and freed by its
 * *_release() function. Times are Unix seconds UTC, 0 meaning "not set"; ids are > 0, 0 = none.
 */
#include <stdbool.h>
#include <stdint.h>

#include "model/lifecycle.h"
#include "model/role.h"
#include "model/tracking.h"

#define MODEL_CODE_LEN 40   /* department / category / institution codes */
#define MODEL_NAME_LEN 160  /* department / category names (bytes with the NUL) */
#define MODEL_PLACE_LEN 128 /* district / neighbourhood names */
#define MODEL_WORD_LEN 16   /* kind, channel, priority */
#define MODEL_PHONE_LEN 14  /* a normalised phone "+90XXXXXXXXXX" + NUL (core/validate.h) */

struct user {
    int64_t id;
    char username[64];
    char full_name[128];
    enum role role;
    int64_t department_id; /* 0 when the role has no department */
    char department_code[MODEL_CODE_LEN];
    bool disabled;
    int64_t created_at;
};

struct department {
    int64_t id;
    char code[MODEL_CODE_LEN];
    int64_t parent_id; /* 0 for a top-level department of its institution */
    int64_t institution_id;
    char institution_code[MODEL_CODE_LEN];
    char name_tr[MODEL_NAME_LEN];
    char name_en[MODEL_NAME_LEN];
    bool active;
};

struct category {
    int64_t id;
    char code[MODEL_CODE_LEN];
    int64_t department_id;
    char department_code[MODEL_CODE_LEN];
    char name_tr[MODEL_NAME_LEN];
    char name_en[MODEL_NAME_LEN];
    char keywords[512];
    int first_response_days;
    int sla_days;
    bool working_days;
    char priority[MODEL_WORD_LEN];
    char redirect[256]; /* "" unless the category is redirected to another institution */
    bool active;
    bool proof_required; /* responding/closing needs an "after" photo */
};

/* KVKK: what replaces a person's free text when their data is erased (core/kvkk.h). */
#define MODEL_ANON_TEXT "[KVKK: kişisel veriler silindi]"

struct citizen {
    int64_t id;
    char *name;                  /* owned, may be NULL */
    char phone[MODEL_PHONE_LEN]; /* "" when unknown */
    char *email;                 /* owned, may be NULL */
    char tc[12];                 /* "" when unknown */
    char *address;               /* owned, may be NULL */
    int64_t created_at;
    int64_t anonymised_at; /* KVKK: when the personal data was erased; 0 = never */
    char lang[4];          /* messages to the citizen: "tr" or "en" ("" on create = tr; issue 15) */
};

struct app {
    int64_t id;
    char tracking[TRACKING_LEN];
    char access_code[ACCESS_CODE_LEN];
    char kind[MODEL_WORD_LEN];
    char channel[MODEL_WORD_LEN];
    char priority[MODEL_WORD_LEN];
    enum app_status status;
    int64_t category_id;                  /* 0 until known */
    int64_t department_id;                /* 0 until routed */
    char category_code[MODEL_CODE_LEN];   /* filled by reads */
    char department_code[MODEL_CODE_LEN]; /* filled by reads */
    char *text;                           /* owned: the citizen's words */
    int64_t district_id;
    int64_t neighbourhood_id;
    char district_name[MODEL_PLACE_LEN];      /* filled by reads ("" when none) */
    char neighbourhood_name[MODEL_PLACE_LEN]; /* filled by reads ("" when none) */
    char *address;                            /* owned, may be NULL */
    bool has_geo;
    double lat, lon;
    int64_t citizen_id;
    int64_t created_by; /* user id; 0 for the public web form */
    int64_t created_at, updated_at;
    int64_t forwarded_at; /* the deadline clock runs from here; 0 when stopped */
    int64_t first_response_due, resolution_due;
    int64_t first_response_at; /* first accept/respond by the department */
    int64_t responded_at, closed_at;
    int64_t hold_since;    /* > 0 while waiting on the citizen (clock paused) */
    int64_t held_seconds;  /* total paused time so far */
    char *public_response; /* owned, the answer relayed to the citizen */
    int64_t duplicate_of;
    char *redirect; /* owned: the institution named for out_of_scope */
};

struct app_event {
    int64_t id;
    int64_t app_id;
    int64_t at;
    int64_t user_id; /* 0 for the citizen / system */
    char user_name[64];
    char action[24];            /* "create", a lifecycle action name, "attach", "link" */
    int from_status, to_status; /* -1 when not a status change */
    char *note;                 /* owned, may be NULL */
    bool public;                /* shown on the citizen's timeline */
};

struct attachment {
    int64_t id;
    int64_t app_id;
    char hash[65]; /* sha256 hex of the content, which is stored once */
    char mime[64];
    char filename[128];
    int64_t size;
    int64_t created_at;
    char stage[8];      /* "", "before" or "after" (the work on site) */
    int width, height;  /* pixels of a photo, 0 for other files */
    int64_t taken_at;   /* capture time (EXIF), 0 when unknown */
    bool has_geo;       /* lat/lon below are set */
    double lat, lon;    /* where the photo was taken */
    char geo_source[8]; /* "exif" or "device" when has_geo */
};

void citizen_release(struct citizen *c);
void app_release(struct app *a);
void app_event_release(struct app_event *e);

#endif
