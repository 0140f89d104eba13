#include "core/calendar.h"

#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/*
 * The holiday set is a sorted array of day numbers: a few dozen entries per year, looked up
 * by binary search. Deadlines walk day by day, which is cheap for allowances of weeks.
 */
struct calendar_day {
    int64_t day;   /* Istanbul day number */
    bool half_day; /* arife: a working day that ends at noon */
};

struct calendar {
    struct calendar_day *days; /* sorted by day, no duplicates */
    size_t len;                /* entries used */
    size_t alloc;              /* entries allocated */
};

/*
 * Fixed holidays plus Ramazan (3 days) and Kurban (4 days) bayramı with their arife.
 * Sorted by date, one entry per date: where two holidays fall on the same day (19 May 2027
 * is both Atatürk'ü Anma and the 4th day of Kurban Bayramı) the names are joined.
 */
const struct calendar_holiday calendar_default_holidays[] = {
    { "2024-01-01", "Yılbaşı", "New Year's Day", false },
    { "2024-04-09", "Ramazan Bayramı arifesi", "Eve of Eid al-Fitr (half day)", true },
    { "2024-04-10", "Ramazan Bayramı 1. gün", "Eid al-Fitr, day 1", false },
    { "2024-04-11", "Ramazan Bayramı 2. gün", "Eid al-Fitr, day 2", false },
    { "2024-04-12", "Ramazan Bayramı 3. gün", "Eid al-Fitr, day 3", false },
    { "2024-04-23", "Ulusal Egemenlik ve Çocuk Bayramı", "National Sovereignty and Children's Day",
      false },
    { "2024-05-01", "Emek ve Dayanışma Günü", "Labour and Solidarity Day", false },
    { "2024-05-19", "Atatürk'ü Anma, Gençlik ve Spor Bayramı",
      "Commemoration of Atatürk, Youth and Sports Day", false },
    { "2024-06-15", "Kurban Bayramı arifesi", "Eve of Eid al-Adha (half day)", true },
    { "2024-06-16", "Kurban Bayramı 1. gün", "Eid al-Adha, day 1", false },
    { "2024-06-17", "Kurban Bayramı 2. gün", "Eid al-Adha, day 2", false },
    { "2024-06-18", "Kurban Bayramı 3. gün", "Eid al-Adha, day 3", false },
    { "2024-06-19", "Kurban Bayramı 4. gün", "Eid al-Adha, day 4", false },
    { "2024-07-15", "Demokrasi ve Millî Birlik Günü", "Democracy and National Unity Day", false },
    { "2024-08-30", "Zafer Bayramı", "Victory Day", false },
    { "2024-10-28", "Cumhuriyet Bayramı arifesi", "Eve of Republic Day (half day)", true },
    { "2024-10-29", "Cumhuriyet Bayramı", "Republic Day", false },

    { "2025-01-01", "Yılbaşı", "New Year's Day", false },
    { "2025-03-29", "Ramazan Bayramı arifesi", "Eve of Eid al-Fitr (half day)", true },
    { "2025-03-30", "Ramazan Bayramı 1. gün", "Eid al-Fitr, day 1", false },
    { "2025-03-31", "Ramazan Bayramı 2. gün", "Eid al-Fitr, day 2", false },
    { "2025-04-01", "Ramazan Bayramı 3. gün", "Eid al-Fitr, day 3", false },
    { "2025-04-23", "Ulusal Egemenlik ve Çocuk Bayramı", "National Sovereignty and Children's Day",
      false },
    { "2025-05-01", "Emek ve Dayanışma Günü", "Labour and Solidarity Day", false },
    { "2025-05-19", "Atatürk'ü Anma, Gençlik ve Spor Bayramı",
      "Commemoration of Atatürk, Youth and Sports Day", false },
    { "2025-06-05", "Kurban Bayramı arifesi", "Eve of Eid al-Adha (half day)", true },
    { "2025-06-06", "Kurban Bayramı 1. gün", "Eid al-Adha, day 1", false },
    { "2025-06-07", "Kurban Bayramı 2. gün", "Eid al-Adha, day 2", false },
    { "2025-06-08", "Kurban Bayramı 3. gün", "Eid al-Adha, day 3", false },
    { "2025-06-09", "Kurban Bayramı 4. gün", "Eid al-Adha, day 4", false },
    { "2025-07-15", "Demokrasi ve Millî Birlik Günü", "Democracy and National Unity Day", false },
    { "2025-08-30", "Zafer Bayramı", "Victory Day", false },
    { "2025-10-28", "Cumhuriyet Bayramı arifesi", "Eve of Republic Day (half day)", true },
    { "2025-10-29", "Cumhuriyet Bayramı", "Republic Day", false },

    { "2026-01-01", "Yılbaşı", "New Year's Day", false },
    { "2026-03-19", "Ramazan Bayramı arifesi", "Eve of Eid al-Fitr (half day)", true },
    { "2026-03-20", "Ramazan Bayramı 1. gün", "Eid al-Fitr, day 1", false },
    { "2026-03-21", "Ramazan Bayramı 2. gün", "Eid al-Fitr, day 2", false },
    { "2026-03-22", "Ramazan Bayramı 3. gün", "Eid al-Fitr, day 3", false },
    { "2026-04-23", "Ulusal Egemenlik ve Çocuk Bayramı", "National Sovereignty and Children's Day",
      false },
    { "2026-05-01", "Emek ve Dayanışma Günü", "Labour and Solidarity Day", false },
    { "2026-05-19", "Atatürk'ü Anma, Gençlik ve Spor Bayramı",
      "Commemoration of Atatürk, Youth and Sports Day", false },
    { "2026-05-26", "Kurban Bayramı arifesi", "Eve of Eid al-Adha (half day)", true },
    { "2026-05-27", "Kurban Bayramı 1. gün", "Eid al-Adha, day 1", false },
    { "2026-05-28", "Kurban Bayramı 2. gün", "Eid al-Adha, day 2", false },
    { "2026-05-29", "Kurban Bayramı 3. gün", "Eid al-Adha, day 3", false },
    { "2026-05-30", "Kurban Bayramı 4. gün", "Eid al-Adha, day 4", false },
    { "2026-07-15", "Demokrasi ve Millî Birlik Günü", "Democracy and National Unity Day", false },
    { "2026-08-30", "Zafer Bayramı", "Victory Day", false },
    { "2026-10-28", "Cumhuriyet Bayramı arifesi", "Eve of Republic Day (half day)", true },
    { "2026-10-29", "Cumhuriyet Bayramı", "Republic Day", false },

    { "2027-01-01", "Yılbaşı", "New Year's Day", false },
    { "2027-03-08", "Ramazan Bayramı arifesi", "Eve of Eid al-Fitr (half day)", true },
    { "2027-03-09", "Ramazan Bayramı 1. gün", "Eid al-Fitr, day 1", false },
    { "2027-03-10", "Ramazan Bayramı 2. gün", "Eid al-Fitr, day 2", false },
    { "2027-03-11", "Ramazan Bayramı 3. gün", "Eid al-Fitr, day 3", false },
    { "2027-04-23", "Ulusal Egemenlik ve Çocuk Bayramı", "National Sovereignty and Children's Day",
      false },
    { "2027-05-01", "Emek ve Dayanışma Günü", "Labour and Solidarity Day", false },
    { "2027-05-15", "Kurban Bayramı arifesi", "Eve of Eid al-Adha (half day)", true },
    { "2027-05-16", "Kurban Bayramı 1. gün", "Eid al-Adha, day 1", false },
    { "2027-05-17", "Kurban Bayramı 2. gün", "Eid al-Adha, day 2", false },
    { "2027-05-18", "Kurban Bayramı 3. gün", "Eid al-Adha, day 3", false },
    { "2027-05-19", "Atatürk'ü Anma, Gençlik ve Spor Bayramı; Kurban Bayramı 4. gün",
      "Commemoration of Atatürk, Youth and Sports Day; Eid al-Adha, day 4", false },
    { "2027-07-15", "Demokrasi ve Millî Birlik Günü", "Democracy and National Unity Day", false },
    { "2027-08-30", "Zafer Bayramı", "Victory Day", false },
    { "2027-10-28", "Cumhuriyet Bayramı arifesi", "Eve of Republic Day (half day)", true },
    { "2027-10-29", "Cumhuriyet Bayramı", "Republic Day", false },
};
const size_t calendar_default_holidays_len =
    sizeof(calendar_default_holidays) / sizeof(calendar_default_holidays[0]);

struct calendar *calendar_new(void)
{
    return xcalloc(1, sizeof(struct calendar));
}

void calendar_free(struct calendar *cal)
{
    if (!cal)
        return;
    free(cal->days);
    free(cal);
}

/* Index of day in cal, or of the position where it would be inserted. */
static size_t calendar_find(const struct calendar *cal, int64_t day)
{
    size_t lo = 0, hi = cal->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Adding an existing day again replaces its half_day flag: the latest definition wins. */
void calendar_add(struct calendar *cal, int64_t day, bool half_day)
{
    size_t i = calendar_find(cal, day);
    if (i < cal->len && cal->days[i].day == day) {
        cal->days[i].half_day = half_day;
        return;
    }
    if (cal->len == cal->alloc) {
        cal->alloc = cal->alloc ? cal->alloc * 2 : 64;
        cal->days = xrealloc(cal->days, cal->alloc * sizeof(cal->days[0]));
    }
    memmove(&cal->days[i + 1], &cal->days[i], (cal->len - i) * sizeof(cal->days[0]));
    cal->days[i].day = day;
    cal->days[i].half_day = half_day;
    cal->len++;
}

void calendar_add_defaults(struct calendar *cal)
{
    for (size_t i = 0; i < calendar_default_holidays_len; i++) {
        int64_t day;
        /* The table is checked by tests/unit/test_calendar.c; a bad row is skipped. */
        if (time_parse_date(calendar_default_holidays[i].date, &day))
            calendar_add(cal, day, calendar_default_holidays[i].half_day);
    }
}

bool calendar_is_working_day(const struct calendar *cal, int64_t day)
{
    if (time_weekday(day) >= 5)
        return false;
    size_t i = calendar_find(cal, day);
    if (i < cal->len && cal->days[i].day == day)
        return cal->days[i].half_day;
    return true;
}

/* Last second of an Istanbul day, as a UTC instant. */
static int64_t istanbul_day_end(int64_t day)
{
    return (day + 1) * 86400 - TIME_ISTANBUL_OFFSET - 1;
}

int64_t calendar_deadline(const struct calendar *cal, int64_t start, int n, bool working_days)
{
    if (n < 0)
        n = 0;
    if (!working_days)
        return start + (int64_t)n * 86400;

    int64_t day = time_istanbul_day(start);
    if (n == 0) {
        while (!calendar_is_working_day(cal, day))
            day++;
        return istanbul_day_end(day);
    }
    for (int counted = 0; counted < n;) {
        day++;
        if (calendar_is_working_day(cal, day))
            counted++;
    }
    return istanbul_day_end(day);
}

int calendar_working_days_between(const struct calendar *cal, int64_t from, int64_t to)
{
    if (to <= from)
        return 0;
    int count = 0;
    int64_t last = time_istanbul_day(to);
    for (int64_t day = time_istanbul_day(from) + 1; day <= last; day++)
        count += calendar_is_working_day(cal, day);
    return count;
}
