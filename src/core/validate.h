#ifndef ALO_CORE_VALIDATE_H
#define ALO_CORE_VALIDATE_H
/* Validation and normalisation of citizens' identifiers. Pure functions, no I/O. */
#include <stdbool.h>
#include <stddef.h>

#define VALIDATE_PHONE_LEN 14 /* "+90" + 10 digits + NUL */

/* Normalise a Turkish phone number typed in any common way ("0532 123 45 67",
 * "(0352) 222-33-44", "+90 532 1234567", "5321234567", "90 532 …") to "+90XXXXXXXXXX".
 * Only numbers whose 10 national digits start with 2, 3, 4, 5 or 8 are accepted.
 * Returns false (out untouched) when it is not a valid Turkish number. */
bool validate_phone(const char *in, char out[VALIDATE_PHONE_LEN]);

/* Mask a normalised phone for lists: "+90532*****67". out needs VALIDATE_PHONE_LEN bytes. */
void validate_phone_mask(const char *phone, char out[VALIDATE_PHONE_LEN]);

/* T.C. kimlik numarası: 11 digits, first not 0, 10th and 11th digits per the official checksum. */
bool validate_tc(const char *s);

/* Mask a TC number for lists: "123********" — neither check digit (out needs 12 bytes). */
void validate_tc_mask(const char *tc, char out[12]);

/* A practical e-mail check: one @, non-empty local part (max 64) of allowed characters,
 * a domain of dot-separated labels (letters, digits, hyphen; no leading/trailing hyphen)
 * with at least one dot, total length max 254. */
bool validate_email(const char *s);

#endif
