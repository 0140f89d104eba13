#ifndef ALO_REPORT_POPULATION_H
#define ALO_REPORT_POPULATION_H
/*
 * Inhabitants per district, for the report's "applications per 10,000 inhabitants"
 * (by_district.per_10k, issue 11).
 *
 * Two sources, the first that has a figure wins:
 *   1. an administrator's figure for the district (POST /api/v1/districts with "population";
 *      kept in settings under "population.district.<id>");
 *   2. the reference figures compiled in (population.c) for the districts of the reference
 *      provinces — Kayseri (38), Samsun (55), Kahramanmaraş (46) and İstanbul (34): plausible
 *      figures in the style of TÜİK's address-based population registry (ADNKS, about 2023,
 *      rounded to hundreds), NOT official statistics: an administrator should enter the
 *      published figures.
 * A district with neither has no population: its per_10k is NAN (null, "—"), never 0.
 */
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

#define REPORT_POPULATION_MAX 30000000 /* more than any Turkish district (or province) */

/* The compiled-in reference figure of district `name` (as the geography data spells it) of
 * province plate code `province` ("38"); 0 when there is none. */
int64_t report_population_reference(const char *province, const char *name);

/* The population of district id (its name and province as stored): the administrator's
 * figure, else the reference one; 0 when neither exists. *admin (may be NULL) tells whether
 * the administrator's figure was used. */
int64_t report_population(struct store *st, int64_t district_id, const char *province,
                          const char *name, bool *admin);

/* Set the administrator's figure of district id (1..REPORT_POPULATION_MAX), or with
 * population 0 remove it (the reference figure applies again). ERR_INVALID (named
 * "population") when out of range, ERR_NOT_FOUND when there is no such district; nothing is
 * changed then. Its own transaction. */
int report_population_set(struct store *st, int64_t district_id, int64_t population,
                          struct err_detail *ed);

#endif
