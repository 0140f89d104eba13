#ifndef ALO_MODEL_OPEN311_H
#define ALO_MODEL_OPEN311_H
/*
 * The records of Open311 GeoReport v2 (issue 16; docs/OPEN311.md): a category's extra
 * questions (the spec's service "attributes") and what an Open311 POST stored beside its
 * application. Plain fixed-size records, nothing owned.
 */
#include <stdbool.h>
#include <stdint.h>

#define O311_CODE_LEN 64      /* an attribute's code */
#define O311_TEXT_LEN 512     /* a question's text */
#define O311_CHOICES_LEN 2048 /* 'key<TAB>name' lines of a list attribute */
#define O311_URL_LEN 2048     /* media_url */
#define O311_ANSWERS_LEN 4096 /* 'code<TAB>value' lines */
#define O311_ID_LEN 128       /* device_id, account_id */
#define O311_TOKEN_LEN 33     /* 32 hex digits + NUL */
#define O311_MAX_ATTRS 20     /* attributes of one category */

/* One extra question of a category (category_attributes). */
struct o311_attr {
    int64_t id;
    int64_t category_id;
    char code[O311_CODE_LEN];
    int pos;           /* the spec's "order": 1, 2, … */
    char datatype[16]; /* string number datetime text singlevaluelist multivaluelist */
    bool required;
    char description_tr[O311_TEXT_LEN];
    char description_en[O311_TEXT_LEN];
    char choices[O311_CHOICES_LEN]; /* list types: 'key<TAB>name' lines; "" otherwise */
};

/* What an Open311 POST stored beside its application (open311_requests). */
struct o311_request {
    int64_t app_id;
    char token[O311_TOKEN_LEN];
    int64_t key_id;
    char media_url[O311_URL_LEN];
    char attributes[O311_ANSWERS_LEN]; /* 'code<TAB>value' lines */
    char device_id[O311_ID_LEN];
    char account_id[O311_ID_LEN];
};

#endif
