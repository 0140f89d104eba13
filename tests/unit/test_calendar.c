#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "util/timeutil.h"
#include "util/banned.h"

/* UTC instant of an RFC 3339 string; fails the test when malformed. */
static int64_t at(const char *s)
{
    int64_t t = 0;
    if (!time_parse(s, &t))
        fail_msg("bad time literal %s", s);
    return t;
}

static int64_t day_of(const char *date)
{
    int64_t d = 0;
    if (!time_parse_date(date, &d))
        fail_msg("bad date literal %s", date);
    return d;
}

/* Compare instants and print both in RFC 3339 on mismatch. */
static void expect_instant(int64_t got, const char *want)
{
    int64_t w = at(want);
    if (got != w) {
        char g[TIME_RFC3339_LEN], e[TIME_RFC3339_LEN];
        time_format(got, g);
        time_format(w, e);
        fail_msg("deadline %s, want %s", g, e);
    }
}

static int setup_defaults(void **state)
{
    struct calendar *cal = calendar_new();
    calendar_add_defaults(cal);
    *state = cal;
    return 0;
}

static int setup_empty(void **state)
{
    *state = calendar_new();
    return 0;
}

static int teardown(void **state)
{
    calendar_free(*state);
    return 0;
}

static void test_weekends(void **state)
{
    const struct calendar *cal = *state;
    /* 2026-02-02 is a Monday. */
    assert_true(calendar_is_working_day(cal, day_of("2026-02-02")));
    assert_true(calendar_is_working_day(cal, day_of("2026-02-06")));
    assert_false(calendar_is_working_day(cal, day_of("2026-02-07")));
    assert_false(calendar_is_working_day(cal, day_of("2026-02-08")));

    /* Thursday 09:00 Istanbul + 2 working days: Friday, then Monday. */
    expect_instant(calendar_deadline(cal, at("2026-02-05T09:00:00+03:00"), 2, true),
                   "2026-02-09T23:59:59+03:00");
    /* Friday + 1 → Monday. */
    expect_instant(calendar_deadline(cal, at("2026-02-06T16:00:00+03:00"), 1, true),
                   "2026-02-09T23:59:59+03:00");
    /* Saturday + 1 → Monday (the first working day after Saturday). */
    expect_instant(calendar_deadline(cal, at("2026-02-07T11:00:00+03:00"), 1, true),
                   "2026-02-09T23:59:59+03:00");
    /* Monday + 10 → two weeks later. */
    expect_instant(calendar_deadline(cal, at("2026-02-02T08:00:00+03:00"), 10, true),
                   "2026-02-16T23:59:59+03:00");
}

static void test_ramazan_2026(void **state)
{
    const struct calendar *cal = *state;
    /* Friday 13 March 2026, 13:00 Istanbul; 5 working days: Mon 16, Tue 17, Wed 18,
     * Thu 19 (arife, half day: counts), [Fri 20–Sun 22 bayram], Mon 23. */
    int64_t start = at("2026-03-13T13:00:00+03:00");
    assert_int_equal(start, at("2026-03-13T10:00:00Z"));
    int64_t dl = calendar_deadline(cal, start, 5, true);
    expect_instant(dl, "2026-03-23T23:59:59+03:00");
    expect_instant(dl, "2026-03-23T20:59:59Z");
    assert_int_equal(dl, INT64_C(1774299599));

    assert_false(calendar_is_working_day(cal, day_of("2026-03-20")));
    assert_false(calendar_is_working_day(cal, day_of("2026-03-21")));
    assert_false(calendar_is_working_day(cal, day_of("2026-03-22")));
    assert_true(calendar_is_working_day(cal, day_of("2026-03-19")));
    assert_true(calendar_is_working_day(cal, day_of("2026-03-23")));
}

static void test_calendar_days(void **state)
{
    const struct calendar *cal = *state;
    int64_t start = at("2026-03-13T13:00:00+03:00");
    /* Calendar days ignore weekends and holidays: exactly n × 24 h. */
    assert_int_equal(calendar_deadline(cal, start, 5, false), start + 5 * 86400);
    expect_instant(calendar_deadline(cal, start, 7, false), "2026-03-20T13:00:00+03:00");
    assert_int_equal(calendar_deadline(cal, start, 0, false), start);
    assert_int_equal(calendar_deadline(cal, start, 30, false), start + 30 * INT64_C(86400));
}

static void test_start_on_holiday(void **state)
{
    const struct calendar *cal = *state;
    /* Started on the first day of Ramazan Bayramı 2026 (a Friday). */
    int64_t start = at("2026-03-20T10:00:00+03:00");
    expect_instant(calendar_deadline(cal, start, 1, true), "2026-03-23T23:59:59+03:00");
    expect_instant(calendar_deadline(cal, start, 2, true), "2026-03-24T23:59:59+03:00");
    /* n = 0 on a holiday: end of the next working day. */
    expect_instant(calendar_deadline(cal, start, 0, true), "2026-03-23T23:59:59+03:00");
    /* 29 October 2026 (Thursday, Cumhuriyet Bayramı) + 1 → Friday 30th. */
    expect_instant(calendar_deadline(cal, at("2026-10-29T12:00:00+03:00"), 1, true),
                   "2026-10-30T23:59:59+03:00");
    /* 1 January 2027 is a Friday: + 1 → Monday 4th. */
    expect_instant(calendar_deadline(cal, at("2027-01-01T00:00:00+03:00"), 1, true),
                   "2027-01-04T23:59:59+03:00");
}

static void test_zero_days(void **state)
{
    const struct calendar *cal = *state;
    /* n = 0 on a working day: the end of that same day. */
    expect_instant(calendar_deadline(cal, at("2026-02-04T09:00:00+03:00"), 0, true),
                   "2026-02-04T23:59:59+03:00");
    /* On Saturday: the end of Monday. */
    expect_instant(calendar_deadline(cal, at("2026-02-07T09:00:00+03:00"), 0, true),
                   "2026-02-09T23:59:59+03:00");
    /* Istanbul, not UTC, decides the day: 22:30 UTC Thursday is already Friday 01:30. */
    expect_instant(calendar_deadline(cal, at("2026-02-05T22:30:00Z"), 0, true),
                   "2026-02-06T23:59:59+03:00");
    /* … and 23:30 UTC Friday is 02:30 Saturday: next working day is Monday. */
    expect_instant(calendar_deadline(cal, at("2026-02-06T23:30:00Z"), 0, true),
                   "2026-02-09T23:59:59+03:00");
    /* The very last second of an Istanbul day is still that day. */
    expect_instant(calendar_deadline(cal, at("2026-02-04T20:59:59Z"), 0, true),
                   "2026-02-04T23:59:59+03:00");
    expect_instant(calendar_deadline(cal, at("2026-02-04T21:00:00Z"), 0, true),
                   "2026-02-05T23:59:59+03:00");
    /* Negative n is treated as 0. */
    expect_instant(calendar_deadline(cal, at("2026-02-04T09:00:00+03:00"), -3, true),
                   "2026-02-04T23:59:59+03:00");
}

static void test_kurban_2027(void **state)
{
    const struct calendar *cal = *state;
    /* Kurban Bayramı 2027: arife Sat 15 May, bayram Sun 16 – Wed 19 May (19 May also
     * Atatürk'ü Anma). Friday 14 May + 1 working day → Thursday 20 May. */
    expect_instant(calendar_deadline(cal, at("2027-05-14T10:00:00+03:00"), 1, true),
                   "2027-05-20T23:59:59+03:00");
    expect_instant(calendar_deadline(cal, at("2027-05-14T10:00:00+03:00"), 2, true),
                   "2027-05-21T23:59:59+03:00");
    expect_instant(calendar_deadline(cal, at("2027-05-17T10:00:00+03:00"), 0, true),
                   "2027-05-20T23:59:59+03:00");
    for (int d = 16; d <= 19; d++) {
        char date[32];
        snprintf(date, sizeof(date), "2027-05-%02d", d);
        assert_false(calendar_is_working_day(cal, day_of(date)));
    }
    assert_true(calendar_is_working_day(cal, day_of("2027-05-20")));
    /* Kurban 2024 (arife Sat 15, bayram Sun 16 – Wed 19 June): Friday 14 June + 1 → Thu 20. */
    expect_instant(calendar_deadline(cal, at("2024-06-14T10:00:00+03:00"), 1, true),
                   "2024-06-20T23:59:59+03:00");
}

static void test_arife_half_day(void **state)
{
    const struct calendar *cal = *state;
    /* Arife of Ramazan Bayramı 2026 is Thursday 19 March: a working day. */
    expect_instant(calendar_deadline(cal, at("2026-03-18T10:00:00+03:00"), 1, true),
                   "2026-03-19T23:59:59+03:00");
    expect_instant(calendar_deadline(cal, at("2026-03-19T10:00:00+03:00"), 0, true),
                   "2026-03-19T23:59:59+03:00");
    /* 28 October 2026 (Wednesday afternoon off) counts; 29 October does not. */
    assert_true(calendar_is_working_day(cal, day_of("2026-10-28")));
    assert_false(calendar_is_working_day(cal, day_of("2026-10-29")));
    expect_instant(calendar_deadline(cal, at("2026-10-27T10:00:00+03:00"), 2, true),
                   "2026-10-30T23:59:59+03:00");
    /* Kurban arife 2026 is Tuesday 26 May. */
    assert_true(calendar_is_working_day(cal, day_of("2026-05-26")));
    assert_false(calendar_is_working_day(cal, day_of("2026-05-27")));
}

static void test_add(void **state)
{
    struct calendar *cal = *state; /* empty */
    int64_t wed = day_of("2026-02-04");
    assert_true(calendar_is_working_day(cal, wed));
    calendar_add(cal, wed, false);
    assert_false(calendar_is_working_day(cal, wed));
    calendar_add(cal, wed, false); /* twice: still one holiday */
    assert_false(calendar_is_working_day(cal, wed));
    calendar_add(cal, wed, true); /* redefined as a half day: the latest wins */
    assert_true(calendar_is_working_day(cal, wed));
    calendar_add(cal, wed, false);
    assert_false(calendar_is_working_day(cal, wed));
    /* A half day on a weekend does not make it a working day. */
    calendar_add(cal, day_of("2026-02-07"), true);
    assert_false(calendar_is_working_day(cal, day_of("2026-02-07")));

    /* Many insertions out of order (forces growth and memmove). */
    for (int64_t d = day_of("2030-12-31"); d >= day_of("2030-01-01"); d--)
        calendar_add(cal, d, false);
    for (int64_t d = day_of("2030-01-01"); d <= day_of("2030-12-31"); d++)
        assert_false(calendar_is_working_day(cal, d));
    assert_true(calendar_is_working_day(cal, day_of("2031-01-01")));
    /* A year of holidays: the deadline jumps past them. */
    expect_instant(calendar_deadline(cal, at("2029-12-31T10:00:00+03:00"), 1, true),
                   "2031-01-01T23:59:59+03:00");
}

static void test_empty_calendar(void **state)
{
    const struct calendar *cal = *state;
    /* Without holidays the bayram days are ordinary weekdays. */
    expect_instant(calendar_deadline(cal, at("2026-03-13T13:00:00+03:00"), 5, true),
                   "2026-03-20T23:59:59+03:00");
    assert_int_equal(calendar_working_days_between(cal, at("2026-03-13T13:00:00+03:00"),
                                                   at("2026-03-23T10:00:00+03:00")),
                     6);
}

static void test_working_days_between(void **state)
{
    const struct calendar *cal = *state;
    int64_t fri = at("2026-03-13T13:00:00+03:00");
    /* After Friday 13th up to Monday 23rd: 16, 17, 18, 19 (arife), 23. */
    assert_int_equal(calendar_working_days_between(cal, fri, at("2026-03-23T10:00:00+03:00")), 5);
    assert_int_equal(calendar_working_days_between(cal, fri, at("2026-03-22T23:00:00+03:00")), 4);
    /* Same day, weekend only, and reversed ranges. */
    assert_int_equal(calendar_working_days_between(cal, fri, at("2026-03-13T23:59:59+03:00")), 0);
    assert_int_equal(calendar_working_days_between(cal, fri, at("2026-03-15T12:00:00+03:00")), 0);
    assert_int_equal(calendar_working_days_between(cal, fri, fri), 0);
    assert_int_equal(calendar_working_days_between(cal, fri, fri - 86400 * 10), 0);
    /* A plain week: Monday to next Monday = 5. */
    assert_int_equal(calendar_working_days_between(cal, at("2026-02-02T09:00:00+03:00"),
                                                   at("2026-02-09T09:00:00+03:00")),
                     5);
    /* Consistent with calendar_deadline: the deadline is n working days after the start. */
    for (int n = 1; n <= 40; n++) {
        int64_t dl = calendar_deadline(cal, fri, n, true);
        assert_int_equal(calendar_working_days_between(cal, fri, dl), n);
    }
    /* Whole of 2026: 261 weekdays minus the weekday full holidays
     * (1 Jan Thu, 20 Mar Fri, 23 Apr Thu, 1 May Fri, 19 May Tue, 27–29 May Wed–Fri,
     * 15 Jul Wed, 29 Oct Thu; 30 Aug, 21–22 Mar and 30 May fall on weekends) = 261 − 10. */
    assert_int_equal(calendar_working_days_between(cal, at("2025-12-31T12:00:00+03:00"),
                                                   at("2026-12-31T12:00:00+03:00")),
                     251);
}

static void test_default_table(void **state)
{
    (void)state;
    assert_int_equal(calendar_default_holidays_len, 67); /* 4 × 17, 19 May 2027 shared */
    int64_t prev = INT64_MIN;
    int per_year[4] = { 0 };
    for (size_t i = 0; i < calendar_default_holidays_len; i++) {
        const struct calendar_holiday *h = &calendar_default_holidays[i];
        int64_t d;
        if (!time_parse_date(h->date, &d))
            fail_msg("row %zu: date \"%s\" does not parse", i, h->date);
        /* Strictly increasing: sorted and no duplicates. */
        if (d <= prev)
            fail_msg("row %zu: %s is duplicated or out of order", i, h->date);
        prev = d;
        struct civil_date c = time_civil_from_days(d);
        assert_in_range(c.year, 2024, 2027);
        per_year[c.year - 2024]++;
        assert_non_null(h->name_tr);
        assert_non_null(h->name_en);
        assert_true(strlen(h->name_tr) > 0);
        assert_true(strlen(h->name_en) > 0);
        /* Exactly the arife rows are half days, and they say so in both languages. */
        bool arife = strstr(h->name_tr, "arifesi") != NULL;
        assert_int_equal(arife, h->half_day);
        assert_int_equal(strstr(h->name_en, "(half day)") != NULL, h->half_day);
    }
    for (int y = 0; y < 4; y++)
        assert_in_range(per_year[y], 16, 17);

    /* The rows the brief names, spot-checked. */
    static const struct {
        const char *date, *name_tr;
    } spot[] = {
        { "2024-04-09", "Ramazan Bayramı arifesi" },
        { "2025-03-30", "Ramazan Bayramı 1. gün" },
        { "2025-04-01", "Ramazan Bayramı 3. gün" },
        { "2026-03-20", "Ramazan Bayramı 1. gün" },
        { "2027-03-08", "Ramazan Bayramı arifesi" },
        { "2024-06-19", "Kurban Bayramı 4. gün" },
        { "2025-06-05", "Kurban Bayramı arifesi" },
        { "2026-05-30", "Kurban Bayramı 4. gün" },
        { "2027-05-16", "Kurban Bayramı 1. gün" },
        { "2026-07-15", "Demokrasi ve Millî Birlik Günü" },
        { "2026-10-28", "Cumhuriyet Bayramı arifesi" },
        { "2027-01-01", "Yılbaşı" },
    };
    for (size_t s = 0; s < sizeof(spot) / sizeof(spot[0]); s++) {
        bool found = false;
        for (size_t i = 0; i < calendar_default_holidays_len; i++)
            if (strcmp(calendar_default_holidays[i].date, spot[s].date) == 0) {
                assert_string_equal(calendar_default_holidays[i].name_tr, spot[s].name_tr);
                found = true;
            }
        if (!found)
            fail_msg("%s missing", spot[s].date);
    }
}

/*
 * An independent statement of the Turkish public holidays (Resmi Tatiller, law 2429) for
 * 2024–2027, built from the rules rather than copied from src/core/calendar.c:
 *   fixed:   1 Ocak, 23 Nisan, 1 Mayıs, 19 Mayıs, 15 Temmuz, 30 Ağustos, 29 Ekim
 *            (+ the afternoon of 28 Ekim, a half day);
 *   moving:  Ramazan Bayramı (3 days) and Kurban Bayramı (4 days), each with its arife
 *            (the day before, a half day), on the dates the Diyanet calendar announces.
 * Where two holidays fall on one day the row names both (fixed holiday first, joined by
 * "; ") and it is a full holiday.
 */
static const struct {
    int year;
    const char *ramazan1; /* first day of Ramazan Bayramı */
    const char *kurban1;  /* first day of Kurban Bayramı */
} religious[] = {
    { 2024, "2024-04-10", "2024-06-16" },
    { 2025, "2025-03-30", "2025-06-06" },
    { 2026, "2026-03-20", "2026-05-27" },
    { 2027, "2027-03-09", "2027-05-16" },
};

static const struct {
    int month, day;
    const char *tr, *en;
    bool half;
} fixed_holidays[] = {
    { 1, 1, "Yılbaşı", "New Year's Day", false },
    { 4, 23, "Ulusal Egemenlik ve Çocuk Bayramı", "National Sovereignty and Children's Day",
      false },
    { 5, 1, "Emek ve Dayanışma Günü", "Labour and Solidarity Day", false },
    { 5, 19, "Atatürk'ü Anma, Gençlik ve Spor Bayramı",
      "Commemoration of Atatürk, Youth and Sports Day", false },
    { 7, 15, "Demokrasi ve Millî Birlik Günü", "Democracy and National Unity Day", false },
    { 8, 30, "Zafer Bayramı", "Victory Day", false },
    { 10, 28, "Cumhuriyet Bayramı arifesi", "Eve of Republic Day (half day)", true },
    { 10, 29, "Cumhuriyet Bayramı", "Republic Day", false },
};

struct expected_holiday {
    int64_t day;
    char tr[200], en[200];
    bool half;
};

#define EXPECTED_MAX 100

static size_t expect_add(struct expected_holiday *rows, size_t n, int64_t day, const char *tr,
                         const char *en, bool half)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].day == day) {
            size_t lt = strlen(rows[i].tr), le = strlen(rows[i].en);
            snprintf(rows[i].tr + lt, sizeof(rows[i].tr) - lt, "; %s", tr);
            snprintf(rows[i].en + le, sizeof(rows[i].en) - le, "; %s", en);
            rows[i].half = rows[i].half && half;
            return n;
        }
    assert_true(n < EXPECTED_MAX);
    rows[n].day = day;
    snprintf(rows[n].tr, sizeof(rows[n].tr), "%s", tr);
    snprintf(rows[n].en, sizeof(rows[n].en), "%s", en);
    rows[n].half = half;
    return n + 1;
}

static size_t expected_holidays(struct expected_holiday *rows)
{
    size_t n = 0;
    char tr[64], en[64];
    for (size_t y = 0; y < sizeof(religious) / sizeof(religious[0]); y++) {
        for (size_t f = 0; f < sizeof(fixed_holidays) / sizeof(fixed_holidays[0]); f++)
            n = expect_add(rows, n,
                           time_days_from_civil(religious[y].year, fixed_holidays[f].month,
                                                fixed_holidays[f].day),
                           fixed_holidays[f].tr, fixed_holidays[f].en, fixed_holidays[f].half);
        int64_t r1 = day_of(religious[y].ramazan1), k1 = day_of(religious[y].kurban1);
        n = expect_add(rows, n, r1 - 1, "Ramazan Bayramı arifesi", "Eve of Eid al-Fitr (half day)",
                       true);
        for (int d = 0; d < 3; d++) {
            snprintf(tr, sizeof(tr), "Ramazan Bayramı %d. gün", d + 1);
            snprintf(en, sizeof(en), "Eid al-Fitr, day %d", d + 1);
            n = expect_add(rows, n, r1 + d, tr, en, false);
        }
        n = expect_add(rows, n, k1 - 1, "Kurban Bayramı arifesi", "Eve of Eid al-Adha (half day)",
                       true);
        for (int d = 0; d < 4; d++) {
            snprintf(tr, sizeof(tr), "Kurban Bayramı %d. gün", d + 1);
            snprintf(en, sizeof(en), "Eid al-Adha, day %d", d + 1);
            n = expect_add(rows, n, k1 + d, tr, en, false);
        }
    }
    /* sort by day (insertion sort: a few dozen rows) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && rows[j - 1].day > rows[j].day; j--) {
            struct expected_holiday t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    return n;
}

/* Every row of the shipped table, exactly: date, both names, half-day flag; nothing more. */
static void test_default_table_every_row(void **state)
{
    (void)state;
    static struct expected_holiday want[EXPECTED_MAX];
    size_t n = expected_holidays(want);
    assert_int_equal(n, 67); /* 4 × 17, minus 19 May 2027 counted once */
    size_t shipped = calendar_default_holidays_len;
    for (size_t i = 0; i < n || i < shipped; i++) {
        char wd[16] = "(none)";
        if (i < n) {
            struct civil_date c = time_civil_from_days(want[i].day);
            snprintf(wd, sizeof(wd), "%04d-%02d-%02d", c.year, c.month, c.day);
        }
        if (i >= shipped)
            fail_msg("row %zu: shipped table ends; want %s %s", i, wd, want[i].tr);
        const struct calendar_holiday *h = &calendar_default_holidays[i];
        if (i >= n)
            fail_msg("row %zu: unexpected extra holiday %s %s", i, h->date, h->name_tr);
        if (strcmp(h->date, wd) != 0)
            fail_msg("row %zu: shipped %s (%s), want %s (%s)", i, h->date, h->name_tr, wd,
                     want[i].tr);
        if (strcmp(h->name_tr, want[i].tr) != 0)
            fail_msg("row %zu (%s): name_tr \"%s\", want \"%s\"", i, wd, h->name_tr, want[i].tr);
        if (strcmp(h->name_en, want[i].en) != 0)
            fail_msg("row %zu (%s): name_en \"%s\", want \"%s\"", i, wd, h->name_en, want[i].en);
        if (h->half_day != want[i].half)
            fail_msg("row %zu (%s): half_day %d, want %d", i, wd, h->half_day, want[i].half);
    }
}

/* calendar_add_defaults() loads every row: each full holiday is a day off, each half day
 * (on a weekday) is a working day; and the ordinary weekdays around them stay working days. */
static void test_defaults_loaded(void **state)
{
    const struct calendar *cal = *state;
    static struct expected_holiday want[EXPECTED_MAX];
    size_t n = expected_holidays(want);
    int64_t first = day_of("2024-01-01"), last = day_of("2027-12-31");
    size_t k = 0;
    for (int64_t d = first; d <= last; d++) {
        bool weekend = time_weekday(d) >= 5;
        bool want_working = !weekend;
        if (k < n && want[k].day == d) {
            want_working = !weekend && want[k].half;
            k++;
        }
        if (calendar_is_working_day(cal, d) != want_working) {
            struct civil_date c = time_civil_from_days(d);
            fail_msg("%04d-%02d-%02d: working day %d, want %d", c.year, c.month, c.day,
                     !want_working, want_working);
        }
    }
    assert_int_equal(k, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_weekends, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_weekends, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_ramazan_2026, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_calendar_days, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_start_on_holiday, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_zero_days, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_kurban_2027, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_arife_half_day, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_add, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_empty_calendar, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_working_days_between, setup_defaults, teardown),
        cmocka_unit_test(test_default_table),
        cmocka_unit_test(test_default_table_every_row),
        cmocka_unit_test_setup_teardown(test_defaults_loaded, setup_defaults, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
