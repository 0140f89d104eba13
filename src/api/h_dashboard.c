/* The supervisor dashboard's figures for a period (issue 14 item 10): GET /api/v1/stats with
 * from=YYYY-MM-DD&to=YYYY-MM-DD (Istanbul days, both included) adds "period": the counts by
 * status, department and channel, a trend of every day (registered, resolved), the on-time
 * share by department and the figures per user (registered, closed, calls answered). */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define PERIOD_MAX_DAYS 366

/* A "YYYY-MM-DD" of day number d into out (11 bytes). */
static void day_text(int64_t d, char out[11])
{
    struct civil_date c = time_civil_from_days(d);
    char buf[16];
    buf[0] = (char)('0' + c.year / 1000 % 10);
    buf[1] = (char)('0' + c.year / 100 % 10);
    buf[2] = (char)('0' + c.year / 10 % 10);
    buf[3] = (char)('0' + c.year % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + c.month / 10);
    buf[6] = (char)('0' + c.month % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + c.day / 10);
    buf[9] = (char)('0' + c.day % 10);
    buf[10] = 0;
    str_copy(out, 11, buf);
}

/* group_count callbacks: into a JSON object key → count */
static int into_object(void *ctx, const char *key, int64_t n)
{
    json_object_set_new(ctx, key, json_integer(n));
    return 0;
}

struct day_walk {
    int64_t first, ndays;
    int64_t *v; /* ndays counts */
};

static int into_days(void *ctx, const char *key, int64_t n)
{
    struct day_walk *w = ctx;
    int64_t d = strtoll(key, NULL, 10) - w->first;
    if (d >= 0 && d < w->ndays)
        w->v[d] += n;
    return 0;
}

static int64_t obj_int(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Read from and to; false when it replied 400. */
static bool read_period(struct api_req *r, int64_t *first, int64_t *last)
{
    const char *from = http_query(r->http, "from"), *to = http_query(r->http, "to");
    if (!from || !*from || !time_parse_date(from, first)) {
        api_fail(r, ERR_INVALID, "invalid_field", "from", "from must be a date YYYY-MM-DD");
        return false;
    }
    if (!to || !*to || !time_parse_date(to, last)) {
        api_fail(r, ERR_INVALID, "invalid_field", "to", "to must be a date YYYY-MM-DD");
        return false;
    }
    if (*last < *first) {
        api_fail(r, ERR_INVALID, "invalid_field", "to", "to is before from");
        return false;
    }
    if (*last - *first + 1 > PERIOD_MAX_DAYS) {
        api_fail(r, ERR_INVALID, "invalid_field", "to", "a period is at most %d days",
                 PERIOD_MAX_DAYS);
        return false;
    }
    return true;
}

static int sum_answered(void *ctx, const struct call_rollup *row)
{
    *(int64_t *)ctx += row->answered;
    return 0;
}

/* The users of by_created and by_closed, with their names and (the whole centre) calls
 * answered. */
static json_t *agents_json(struct api_req *r, json_t *by_created, json_t *by_closed,
                           int64_t from_ts, int64_t to_ts, const struct dept_reach *reach)
{
    json_t *names = json_object(), *arr = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(by_created, k, v) json_object_set(names, k, json_true());
    json_object_foreach(by_closed, k, v) json_object_set(names, k, json_true());
    json_object_foreach(names, k, v)
    {
        if (!*k)
            continue; /* the public web form: no user */
        struct user u;
        memset(&u, 0, sizeof(u));
        bool known = store_user_by_name(r->st, k, &u, NULL, 0) == ERR_OK;
        json_t *o = json_pack("{s:s, s:s, s:I, s:I}", "username", k, "name",
                              known && u.full_name[0] ? u.full_name : k, "registered",
                              (json_int_t)obj_int(by_created, k), "closed",
                              (json_int_t)obj_int(by_closed, k));
        if (!reach->limited && known) {
            struct rollup_filter f = { .agent_id = u.id };
            int64_t answered = 0;
            if (store_call_rollup_each(r->st, ROLLUP_DAY, from_ts, to_ts, &f, sum_answered,
                                       &answered) == ERR_OK)
                json_object_set_new(o, "calls_answered", json_integer(answered));
        }
        json_array_append_new(arr, o);
    }
    json_decref(names);
    return arr;
}

bool api_stats_period(struct api_req *r, const struct dept_reach *reach, json_t *out)
{
    int64_t first, last;
    if (!http_query(r->http, "from") && !http_query(r->http, "to"))
        return true; /* the plain supervisor view: today and this month */
    if (!read_period(r, &first, &last))
        return false;
    int64_t ndays = last - first + 1;
    int64_t from_ts = first * 86400 - TIME_ISTANBUL_OFFSET;
    int64_t to_ts = (last + 1) * 86400 - TIME_ISTANBUL_OFFSET;
    static const char *const objs[] = { "status",           "department", "channel",
                                        "created_by",       "closed_by",  "resolved_department",
                                        "ontime_department" };
    json_t *o[7];
    int64_t *reg = calloc((size_t)ndays, sizeof(int64_t));
    int64_t *res = calloc((size_t)ndays, sizeof(int64_t));
    struct day_walk wreg = { first, ndays, reg }, wres = { first, ndays, res };
    bool ok = reg && res;
    for (size_t i = 0; i < 7; i++)
        o[i] = json_object();
    for (size_t i = 0; ok && i < 7; i++)
        ok = store_app_group_count(r->st, objs[i], from_ts, to_ts, reach, into_object, o[i]) ==
             ERR_OK;
    ok = ok &&
         store_app_group_count(r->st, "day", from_ts, to_ts, reach, into_days, &wreg) == ERR_OK &&
         store_app_group_count(r->st, "resolved_day", from_ts, to_ts, reach, into_days, &wres) ==
             ERR_OK;
    if (!ok) {
        for (size_t i = 0; i < 7; i++)
            json_decref(o[i]);
        free(reg);
        free(res);
        api_fail(r, ERR_STORE, NULL, NULL, "counting the period failed");
        return false;
    }
    int64_t total = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o[0], k, v) total += json_integer_value(v);
    json_t *trend = json_array();
    for (int64_t d = 0; d < ndays; d++) {
        char date[11];
        day_text(first + d, date);
        json_array_append_new(trend, json_pack("{s:s, s:I, s:I}", "date", date, "registered",
                                               (json_int_t)reg[d], "resolved", (json_int_t)res[d]));
    }
    json_t *on_time = json_object();
    json_object_foreach(o[5], k, v)
    {
        int64_t n = json_integer_value(v), in = obj_int(o[6], k);
        json_object_set_new(on_time, k,
                            json_pack("{s:I, s:I, s:o}", "resolved", (json_int_t)n, "in_deadline",
                                      (json_int_t)in, "share",
                                      n ? json_real((double)in / (double)n) : json_null()));
    }
    json_t *agents = agents_json(r, o[3], o[4], from_ts, to_ts, reach);
    char df[11], dl[11];
    day_text(first, df);
    day_text(last, dl);
    json_object_set_new(out, "period",
                        json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "from", df,
                                  "to", dl, "days", (json_int_t)ndays, "total", (json_int_t)total,
                                  "by_status", o[0], "by_department", o[1], "by_channel", o[2],
                                  "trend", trend, "on_time", on_time, "agents", agents));
    for (size_t i = 3; i < 7; i++)
        json_decref(o[i]);
    free(reg);
    free(res);
    return true;
}
