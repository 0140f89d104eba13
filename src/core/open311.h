#ifndef ALO_CORE_OPEN311_H
#define ALO_CORE_OPEN311_H
/*
 * The rules of Open311 GeoReport v2 (issue 16; docs/OPEN311.md): client API keys, the extra
 * questions of a category (attributes) and their answers, and the creation of an application
 * from an Open311 POST (channel open311) with its record, in one transaction. The api's
 * open311*.c parse and render; this holds what is allowed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "model/open311.h"
#include "store/store.h"
#include "util/err.h"

#define O311_KEY_LEN 65       /* a key as printed: 64 hex digits + NUL */
#define O311_DESC_MAX 4000    /* the spec's description: "limited to 4,000 characters" */
#define O311_STRING_MAX 500   /* an answer of datatype string */
#define O311_NAME_MAX 100     /* first_name, last_name */
#define O311_RATE_DEFAULT 600 /* POSTs per key and clock hour unless serve says otherwise */

/* The datatypes of the spec, NULL-terminated. */
extern const char *const o311_datatypes[];

/* Make a new key for client name (1..60 bytes of letters, digits, '.', '-', '_'): only its
 * hash is stored; the key is written into key (shown once). ERR_CONFLICT when the name is
 * taken, ERR_INVALID for a bad name. */
int core_o311_key_new(struct store *st, const char *name, char key[O311_KEY_LEN],
                      struct err_detail *ed);
/* The id of the client whose key this is; ERR_FORBIDDEN when none (or key is NULL/empty). */
int core_o311_key_check(struct store *st, const char *key, int64_t *key_id, struct err_detail *ed);

/* Replace the attributes of category code by the n of a (admin): codes unique, 1..63 bytes of
 * [a-z0-9_], a known datatype, a Turkish question, list types with 1..50 'key<TAB>name'
 * choice lines (others none), at most O311_MAX_ATTRS; pos is set from the order given.
 * ERR_NOT_FOUND for an unknown category, ERR_INVALID (field "attributes[i].x") otherwise. */
int core_o311_attrs_set(struct store *st, const char *category_code, struct o311_attr *a, size_t n,
                        struct err_detail *ed);
/* Give the example categories of init their questions when they have none: the bus's plate
 * (ULA_OTOBUS_SURUCU) and the grave block (MEZ_BAKIM, MEZ_DEFIN). Inside the caller's
 * transaction. */
int core_o311_seed(struct store *st, struct err_detail *ed);

/* One attribute[code] (or attribute[code][]) pair of a POST, borrowed. */
struct o311_answer {
    const char *code;
    const char *value;
};

struct o311_input {
    const char *service_code; /* required: an active category's code */
    const char *description;  /* may be NULL: then the category's name is the text */
    bool has_geo;
    double lat, lon;
    const char *address_string; /* may be NULL */
    int64_t address_id;         /* a neighbourhood id (0 = none) */
    const char *email, *phone, *first_name, *last_name, *device_id, *account_id;
    const char *media_url; /* stored, never fetched: http(s) URL or NULL */
    const struct o311_answer *answers;
    size_t nanswers;
    const struct routing_result *routing; /* the classifier's suggestion (may be NULL) */
    int64_t key_id;
};

/* Create the application of an Open311 POST (channel open311, kind request) and its record:
 * one of location (lat+long), address_string or address_id is needed; the answers are
 * checked against the category's attributes (required ones present, numbers, times and list
 * keys valid, no unknown codes) and written into the record and, readable, under the
 * description. ERR_NOT_FOUND for an unknown service_code, ERR_INVALID naming the field
 * otherwise. *out is the application (caller releases) and *rec its record. */
int core_o311_create(struct store *st, const struct o311_input *in, struct app *out,
                     struct o311_request *rec, struct err_detail *ed);

#endif
