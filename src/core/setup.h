#ifndef ALO_CORE_SETUP_H
#define ALO_CORE_SETUP_H
/* Seeding a database with the reference municipality (idempotent: safe to run again). */
#include "store/store.h"

/* Institutions, departments, categories, holidays and settings for the province (plate
 * code "38"; name "Kayseri"). District municipalities and their Beyaz Masa units are created
 * for every district already in the store, so import the geography first. One transaction. */
int setup_reference(struct store *st, const char *province, const char *province_name,
                    struct err_detail *ed);

#endif
