#ifndef ALO_UTIL_TIMEUTIL_H
#define ALO_UTIL_TIMEUTIL_H
/*
 * Time as int64 Unix seconds, stored and sent as RFC 3339 UTC ("2026-11-23T19:36:30Z").
 * Civil-date helpers work on proleptic Gregorian dates without touching the C library's
 * time zone state (gmtime/localtime are banned: not thread-safe).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define TIME_RFC3339_LEN 21             /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define TIME_ISTANBUL_OFFSET (3 * 3600) /* Europe/Istanbul has been UTC+3 all year since 2016 */

struct civil_date {
    int year, month, day; /* 1-based month and day */
};

/* Current time; honours ALO153_NOW (RFC 3339) when set, for reproducible tests and demos. */
int64_t time_now(void);
/* Days since 1970-01-01 of a civil date, and back. */
int64_t time_days_from_civil(int y, int m, int d);
struct civil_date time_civil_from_days(int64_t days);
/* 0 = Monday … 6 = Sunday for a day number from time_days_from_civil(). */
int time_weekday(int64_t days);
/* Write t as RFC 3339 UTC into out (TIME_RFC3339_LEN bytes). */
void time_format(int64_t t, char out[TIME_RFC3339_LEN]);
/* Parse "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)". false when malformed.
 */
bool time_parse(const char *s, int64_t *out);
/* Parse exactly "YYYY-MM-DD" into a day number. false when malformed or not a real date. */
bool time_parse_date(const char *s, int64_t *days);
/* The Istanbul calendar day (days since epoch) that contains UTC instant t. */
int64_t time_istanbul_day(int64_t t);

#endif
