#ifndef ALO_CORE_CALENDAR_H
#define ALO_CORE_CALENDAR_H
/*
 * Working-day calendar and deadline arithmetic. Days are Europe/Istanbul calendar days
 * (day numbers as from time_days_from_civil()); instants are UTC Unix seconds.
 * A working day is Monday–Friday and not a full public holiday. Half days (arife, the
 * afternoon of 28 October) count as working days.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calendar; /* opaque: a set of holidays */

/* Shipped Turkish public holidays 2024–2027, fixed and moving (Ramazan and Kurban
 * bayramı with their arife half days). The database's holiday table is seeded from this. */
struct calendar_holiday {
    const char *date;    /* "YYYY-MM-DD" */
    const char *name_tr; /* e.g. "Ramazan Bayramı 1. gün" */
    const char *name_en; /* e.g. "Eid al-Fitr, day 1" */
    bool half_day;       /* arife: afternoon off only */
};
extern const struct calendar_holiday calendar_default_holidays[];
extern const size_t calendar_default_holidays_len;

/* Empty calendar (weekends only). Caller frees with calendar_free(). Never NULL. */
struct calendar *calendar_new(void);
void calendar_free(struct calendar *cal);
/* Add a holiday on day (days since epoch). Adding the same day twice keeps one. */
void calendar_add(struct calendar *cal, int64_t day, bool half_day);
/* Load calendar_default_holidays into cal. */
void calendar_add_defaults(struct calendar *cal);
/* Is this Istanbul day a working day? */
bool calendar_is_working_day(const struct calendar *cal, int64_t day);

/* Deadline for something started at UTC instant start with an allowance of n days:
 *  - calendar days: start + n × 24 h;
 *  - working days: the end (23:59:59 Istanbul) of the n-th working day after start's day
 *    (n = 0 means the end of start's own day, or of the next working day if start is not one).
 * n must be >= 0. */
int64_t calendar_deadline(const struct calendar *cal, int64_t start, int n, bool working_days);

/* Working days between two instants' Istanbul days, counting days after from up to and including to
 * (0 when to <= from). Used for reports. */
int calendar_working_days_between(const struct calendar *cal, int64_t from, int64_t to);

#endif
