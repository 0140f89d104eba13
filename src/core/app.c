#include "core/app.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/rollup.h"
#include "core/learn.h"
#include "core/lifecycle.h"
#include "core/photo.h"
#include "core/outbox.h"
#include "core/policy.h"
#include "core/tracking.h"
#include "nlp/turkish.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/str.h"
#include "util/banned.h"

const char *const core_kinds[] = { "request",     "complaint", "suggestion", "tip",
                                   "information", "thanks",    NULL };
const char *const core_channels[] = { "phone_153", "phone_alt",  "desk",     "mobile_desk",
                                      "web",       "mobile_app", "whatsapp", "cimer",
                                      "email",     "open311",    NULL };
const char *const core_priorities[] = { "low", "normal", "high", "urgent", NULL };

/* The holiday calendar is shared by every thread; admins may change it while serving, through
 * this process or another one on the same database: every change writes a new value of the
 * setting CAL_VERSION_KEY, and a deadline about to be computed reloads the calendar when the
 * stored value is not the one it was loaded at (one settings read per clock start). */
#define CAL_VERSION_KEY "holidays.version"
static pthread_mutex_t cal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct calendar *cal_current;
static bool cal_from_store;  /* loaded by core_calendar_reload (else the shipped defaults) */
static char cal_version[64]; /* CAL_VERSION_KEY when it was loaded ("" = none stored) */

bool core_word_in(const char *const *list, const char *w)
{
    if (!w)
        return false;
    for (; *list; list++)
        if (strcmp(*list, w) == 0)
            return true;
    return false;
}

static int holiday_into_calendar(void *ctx, const char *date, const char *name, bool half_day)
{
    int64_t day;
    (void)name;
    if (time_parse_date(date, &day))
        calendar_add(ctx, day, half_day);
    return 0;
}

/* Add every stored holiday to cal. */
static int calendar_load(struct store *st, struct calendar *cal)
{
    return store_holiday_each(st, holiday_into_calendar, cal);
}

int core_calendar_reload(struct store *st)
{
    char v[sizeof(cal_version)] = "";
    /* the version first: a change racing with the load is seen (and loaded) next time */
    if (store_setting_get(st, CAL_VERSION_KEY, v, sizeof(v)) != ERR_OK)
        v[0] = '\0';
    struct calendar *cal = calendar_new();
    int rc = calendar_load(st, cal);
    if (rc != ERR_OK) {
        calendar_free(cal);
        return rc;
    }
    pthread_mutex_lock(&cal_lock);
    struct calendar *old = cal_current;
    cal_current = cal;
    cal_from_store = true;
    str_copy(cal_version, sizeof(cal_version), v);
    pthread_mutex_unlock(&cal_lock);
    calendar_free(old);
    return ERR_OK;
}

int core_holidays_changed(struct store *st)
{
    static unsigned seq;
    struct timespec ts;
    char v[sizeof(cal_version)];
    clock_gettime(CLOCK_REALTIME, &ts);
    pthread_mutex_lock(&cal_lock);
    unsigned n = ++seq;
    pthread_mutex_unlock(&cal_lock);
    snprintf(v, sizeof(v), "%lld.%09ld.%ld.%u", (long long)ts.tv_sec, ts.tv_nsec, (long)getpid(),
             n);
    int rc = store_setting_set(st, CAL_VERSION_KEY, v);
    if (rc == ERR_OK)
        rc = core_calendar_reload(st);
    return rc;
}

/* Reload the calendar when another process (or thread) changed the holidays since it was
 * loaded; a calendar never loaded from the store (tools, tests) keeps the shipped defaults. */
static void calendar_fresh(struct store *st)
{
    char v[sizeof(cal_version)] = "";
    pthread_mutex_lock(&cal_lock);
    bool from_store = cal_from_store;
    pthread_mutex_unlock(&cal_lock);
    if (!from_store || !st)
        return;
    if (store_setting_get(st, CAL_VERSION_KEY, v, sizeof(v)) != ERR_OK)
        v[0] = '\0';
    pthread_mutex_lock(&cal_lock);
    bool same = strcmp(v, cal_version) == 0;
    pthread_mutex_unlock(&cal_lock);
    if (!same)
        (void)core_calendar_reload(st); /* on failure: the calendar loaded before */
}

static int64_t deadline(int64_t start, int n, bool working)
{
    pthread_mutex_lock(&cal_lock);
    if (!cal_current) {
        cal_current = calendar_new();
        calendar_add_defaults(cal_current);
    }
    int64_t due = calendar_deadline(cal_current, start, n, working);
    pthread_mutex_unlock(&cal_lock);
    return due;
}

int core_working_days_between(int64_t from, int64_t to)
{
    pthread_mutex_lock(&cal_lock);
    if (!cal_current) {
        cal_current = calendar_new();
        calendar_add_defaults(cal_current);
    }
    int n = calendar_working_days_between(cal_current, from, to);
    pthread_mutex_unlock(&cal_lock);
    return n;
}

/* Channel ceiling: CİMER applications must be concluded within 30 days by law 3071; the
 * municipality may promise less (setting "ceiling.cimer", days). */
static int64_t channel_ceiling(struct store *st, const struct app *a)
{
    char key[48], val[32];
    int64_t days = 0;
    snprintf(key, sizeof(key), "ceiling.%s", a->channel);
    if (store_setting_get(st, key, val, sizeof(val)) == ERR_OK) {
        char *end;
        long v = strtol(val, &end, 10);
        if (*end == '\0' && v > 0)
            days = v;
    }
    if (strcmp(a->channel, "cimer") == 0 && (days <= 0 || days > 30))
        days = 30;
    return days > 0 ? a->created_at + days * 86400 : 0;
}

/* Start (or restart) the deadline clock at `now` with the category's allowances. */
static void start_clock(struct store *st, struct app *a, const struct category *c, int64_t now)
{
    a->forwarded_at = now;
    calendar_fresh(st);
    a->first_response_due = deadline(now, c->first_response_days, c->working_days);
    a->resolution_due = deadline(now, c->sla_days, c->working_days);
    int64_t ceiling = channel_ceiling(st, a);
    if (ceiling && a->resolution_due > ceiling)
        a->resolution_due = ceiling;
    if (ceiling && a->first_response_due > ceiling)
        a->first_response_due = ceiling;
    a->first_response_at = 0;
    a->hold_since = 0;
}

static void stop_clock(struct app *a)
{
    a->forwarded_at = 0;
    a->first_response_due = 0;
    a->resolution_due = 0;
    a->hold_since = 0;
}

bool core_app_overdue(const struct app *a, int64_t now)
{
    return (a->status == ST_FORWARDED || a->status == ST_IN_PROGRESS) && !a->hold_since &&
           a->resolution_due && a->resolution_due < now;
}

bool core_app_visible(struct store *st, const struct user *actor, const struct app *a)
{
    return policy_allows(st, actor, POL_APP_READ, a->department_id);
}

/* Check free text: present (when required), valid UTF-8, within max bytes. */
static int check_text(const char *s, const char *field, size_t min, size_t max, bool required,
                      struct err_detail *ed)
{
    if (!s || !*s) {
        if (required)
            return err_set(ed, ERR_INVALID, field, "%s is required", field);
        return ERR_OK;
    }
    size_t n = strlen(s);
    if (!nlp_utf8_valid(s, n))
        return err_set(ed, ERR_INVALID, field, "%s is not valid UTF-8", field);
    if (n > max)
        return err_set(ed, ERR_INVALID, field, "%s is longer than %zu bytes", field, max);
    size_t visible = 0;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            visible++;
    if (visible < min)
        return err_set(ed, ERR_INVALID, field, "%s is too short", field);
    return ERR_OK;
}

static int add_event(struct store *st, const struct app *a, const struct user *actor,
                     const char *action, int from, int to, const char *note, bool public,
                     int64_t at)
{
    struct app_event e = { 0 };
    e.app_id = a->id;
    e.at = at;
    e.user_id = actor ? actor->id : 0;
    str_copy(e.action, sizeof(e.action), action);
    e.from_status = from;
    e.to_status = to;
    e.note = (char *)note; /* borrowed for the insert only */
    e.public = public;
    return store_event_add(st, &e);
}

static int resolve_category(struct store *st, const char *code, struct category *c,
                            struct err_detail *ed)
{
    int rc = store_category_by_code(st, code, c);
    if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !c->active))
        return err_set(ed, ERR_UNPROCESSABLE, "category", "unknown category %s", code);
    return rc;
}

static bool priority_above(const char *a, const char *b)
{
    int ia = 0, ib = 0;
    for (int i = 0; core_priorities[i]; i++) {
        if (strcmp(core_priorities[i], a) == 0)
            ia = i;
        if (strcmp(core_priorities[i], b) == 0)
            ib = i;
    }
    return ia > ib;
}

static int validate_input(struct store *st, const struct app_input *in, struct category *cat,
                          bool *has_cat, struct err_detail *ed)
{
    int rc;
    char name[8];
    *has_cat = false;
    if (in->kind && !core_word_in(core_kinds, in->kind))
        return err_set(ed, ERR_INVALID, "kind", "unknown kind %s", in->kind);
    if (!in->channel || !core_word_in(core_channels, in->channel))
        return err_set(ed, ERR_INVALID, "channel", "unknown or missing channel");
    if (in->priority && !core_word_in(core_priorities, in->priority))
        return err_set(ed, ERR_INVALID, "priority", "priority must be low, normal, high or urgent");
    if ((rc = check_text(in->text, "text", 3, CORE_TEXT_MAX, true, ed)) != ERR_OK)
        return rc;
    if ((rc = check_text(in->address, "address", 0, CORE_ADDRESS_MAX, false, ed)) != ERR_OK)
        return rc;
    if (in->has_geo && (!isfinite(in->lat) || fabs(in->lat) > 90))
        return err_set(ed, ERR_INVALID, "lat", "coordinates out of range");
    if (in->has_geo && (!isfinite(in->lon) || fabs(in->lon) > 180))
        return err_set(ed, ERR_INVALID, "lon", "coordinates out of range");
    if (in->district_id && store_district_name(st, in->district_id, name, sizeof(name)) != ERR_OK)
        return err_set(ed, ERR_UNPROCESSABLE, "district_id", "unknown district %lld",
                       (long long)in->district_id);
    if (in->neighbourhood_id) {
        int64_t d = 0;
        if (store_neighbourhood_name(st, in->neighbourhood_id, &d, name, sizeof(name)) != ERR_OK)
            return err_set(ed, ERR_UNPROCESSABLE, "neighbourhood_id", "unknown neighbourhood %lld",
                           (long long)in->neighbourhood_id);
        if (in->district_id && d != in->district_id)
            return err_set(ed, ERR_UNPROCESSABLE, "neighbourhood_id",
                           "neighbourhood %lld is not in district %lld",
                           (long long)in->neighbourhood_id, (long long)in->district_id);
    }
    if (in->category) {
        if ((rc = resolve_category(st, in->category, cat, ed)) != ERR_OK)
            return rc;
        *has_cat = true;
    }
    if (in->route && !*has_cat)
        return err_set(ed, ERR_INVALID, "category", "routing needs a category");
    if (in->citizen_id) {
        struct citizen c;
        rc = store_citizen_get(st, in->citizen_id, &c);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_UNPROCESSABLE, "citizen_id", "unknown citizen");
        if (rc != ERR_OK)
            return rc;
        citizen_release(&c);
    }
    return ERR_OK;
}

/* Long on purpose: the creation sequence (validate, classify, citizen, insert, history, suggestion,
 * routing) is one transaction whose steps read best in order. */
int core_app_create(struct store *st, const struct user *actor, const struct app_input *in,
                    struct app *out, struct err_detail *ed)
{
    struct category cat;
    struct app a = { 0 };
    bool has_cat;
    int64_t now = in->created_at ? in->created_at : time_now();
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = validate_input(st, in, &cat, &has_cat, ed)) != ERR_OK)
        goto out;
    const struct routing_result *rr = in->routing;
    bool auto_route = false;
    if (!has_cat && rr && rr->confident && strcmp(rr->s[0].department, "DIS") != 0 &&
        store_category_by_code(st, rr->s[0].category, &cat) == ERR_OK && cat.active) {
        has_cat = true;
        auto_route = true;
    }
    tracking_new_access_code(a.access_code);
    str_copy(a.kind, sizeof(a.kind), in->kind ? in->kind : "request");
    str_copy(a.channel, sizeof(a.channel), in->channel);
    snprintf(a.priority, sizeof(a.priority), "%s",
             in->priority ? in->priority
             : has_cat    ? cat.priority
                          : "normal");
    if (rr && rr->urgency.urgent)
        snprintf(a.priority, sizeof(a.priority), "urgent");
    a.status = ST_NEW;
    a.text = xstrdup(in->text);
    a.address = in->address && *in->address ? xstrdup(in->address) : NULL;
    a.district_id = in->district_id;
    a.neighbourhood_id = in->neighbourhood_id;
    if (!a.district_id && a.neighbourhood_id)
        store_neighbourhood_name(st, a.neighbourhood_id, &a.district_id, (char[8]){ 0 }, 8);
    a.has_geo = in->has_geo;
    a.lat = in->lat;
    a.lon = in->lon;
    a.citizen_id = in->citizen_id;
    if (in->new_citizen) {
        in->new_citizen->created_at = now;
        if ((rc = store_citizen_create(st, in->new_citizen)) != ERR_OK)
            goto out;
        a.citizen_id = in->new_citizen->id;
    }
    a.created_by = actor ? actor->id : 0;
    a.created_at = a.updated_at = now;
    if (has_cat) {
        a.category_id = cat.id;
        a.department_id = cat.department_id;
    }
    bool routed = in->route || auto_route;
    if (routed) { /* inserted as routed at once: the history still says created, then routed */
        a.status = ST_FORWARDED;
        start_clock(st, &a, &cat, now);
    }
    if ((rc = store_app_create(st, &a, ed)) != ERR_OK)
        goto out;
    if ((rc = add_event(st, &a, actor, "create", -1, ST_NEW, NULL, true, now)) != ERR_OK)
        goto out;
    if (rr && rr->n &&
        (rc = store_app_set_suggestion(st, a.id, rr->s[0].category, rr->s[0].p, rr->urgency.urgent,
                                       rr->urgency.words)) != ERR_OK)
        goto out;
    if ((rc = learn_on_create(st, actor, &a, rr, now)) != ERR_OK) /* issue 13 */
        goto out;
    if (rr && rr->urgency.urgent) {
        char note[256];
        snprintf(note, sizeof(note), "acil: %s", rr->urgency.words);
        if ((rc = add_event(st, &a, NULL, "urgent", -1, -1, note, false, now)) != ERR_OK)
            goto out;
    }
    if (routed && (rc = add_event(st, &a, actor, "route", ST_NEW, ST_FORWARDED, cat.department_code,
                                  true, now)) != ERR_OK)
        goto out;
    struct app_rollup contrib;
    core_rollup_of(&a, 0, &contrib);
    if ((rc = core_rollup_change(st, NULL, &contrib)) != ERR_OK)
        goto out;
    /* issue 15: the citizen's message, for live events only (demo and simulation pass times) */
    if (!in->created_at && (rc = core_outbox_on_app(st, &a, OUTBOX_REGISTERED, now)) != ERR_OK)
        goto out;
    if ((rc = store_commit(st)) != ERR_OK)
        goto out;
    rc = store_app_get(st, a.id, out);
out:
    if (rc != ERR_OK) {
        store_rollback(st);
        if (ed && ed->code == ERR_OK)
            err_set(ed, rc, NULL, "could not store the application");
    }
    app_release(&a);
    return rc;
}

/* Fill in what each action needs and apply it to a (status already checked).
 * Long on purpose: one case per lifecycle action, side by side, so that what each action writes
 * (deadlines, holds, answers, links) reads as one table.
 */
static int apply_action(struct store *st, const struct user *actor, struct app *a,
                        enum app_action action, const struct act_input *in, int64_t now,
                        const char **event_note, struct err_detail *ed)
{
    struct category cat;
    struct department dept;
    int rc;

    *event_note = in->note;
    switch (action) {
    case ACT_ROUTE:
    case ACT_TRANSFER:
        if (in->category) {
            if ((rc = resolve_category(st, in->category, &cat, ed)) != ERR_OK)
                return rc;
        } else if (action == ACT_ROUTE && a->category_id) {
            if ((rc = store_category_get(st, a->category_id, &cat)) != ERR_OK)
                return rc;
        } else if (action == ACT_TRANSFER && in->department) {
            if (a->category_id && (rc = store_category_get(st, a->category_id, &cat)) != ERR_OK)
                return rc;
            if (!a->category_id)
                return err_set(ed, ERR_INVALID, "category", "transfer needs a category");
        } else {
            return err_set(ed, ERR_INVALID, "category",
                           action == ACT_ROUTE ? "routing needs a category"
                                               : "transfer needs a category or a department");
        }
        a->category_id = cat.id;
        a->department_id = cat.department_id;
        if (in->department) {
            rc = store_department_by_code(st, in->department, &dept);
            if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !dept.active))
                return err_set(ed, ERR_UNPROCESSABLE, "department", "unknown department %s",
                               in->department);
            if (rc != ERR_OK)
                return rc;
            a->department_id = dept.id;
        }
        if (action == ACT_TRANSFER && policy_scope(actor->role, POL_APP_WORK) != POL_ALL &&
            a->department_id == actor->department_id) {
            err_set(ed, ERR_INVALID, "department", "the application is already here");
            return err_reason(ed, "same_department");
        }
        if (priority_above(cat.priority, a->priority))
            str_copy(a->priority, sizeof(a->priority), cat.priority);
        start_clock(st, a, &cat, now);
        break;
    case ACT_ACCEPT:
        if (!a->first_response_at)
            a->first_response_at = now;
        break;
    case ACT_RETURN:
        if (!in->note || !*in->note)
            return err_set(ed, ERR_INVALID, "note", "a return needs a reason");
        a->department_id = 0;
        stop_clock(a);
        break;
    case ACT_RESPOND:
        if ((rc = check_text(in->response, "response", 3, CORE_NOTE_MAX, true, ed)) != ERR_OK)
            return rc;
        free(a->public_response);
        a->public_response = xstrdup(in->response);
        a->responded_at = now;
        if (!a->first_response_at)
            a->first_response_at = now;
        if (a->hold_since) {
            a->held_seconds += now - a->hold_since;
            a->hold_since = 0;
        }
        *event_note = in->response;
        break;
    case ACT_REJECT_ANSWER:
    case ACT_REOPEN:
    case ACT_NOTE:
    case ACT_HOLD:
        if (!in->note || !*in->note)
            return err_set(ed, ERR_INVALID, "note", "this action needs a note");
        if (action == ACT_REOPEN) {
            if (!a->category_id) {
                err_set(ed, ERR_CONFLICT, "category", "no category to reopen into");
                return err_reason(ed, "no_category");
            }
            if ((rc = store_category_get(st, a->category_id, &cat)) != ERR_OK)
                return rc;
            a->closed_at = 0;
            start_clock(st, a, &cat, now);
        }
        if (action == ACT_HOLD) {
            if (a->hold_since) {
                err_set(ed, ERR_CONFLICT, NULL, "already waiting on the citizen");
                return err_reason(ed, "already_on_hold");
            }
            a->hold_since = now;
        }
        break;
    case ACT_RESUME: {
        if (!a->hold_since) {
            err_set(ed, ERR_CONFLICT, NULL, "not waiting on the citizen");
            return err_reason(ed, "not_on_hold");
        }
        int64_t paused = now - a->hold_since;
        a->held_seconds += paused;
        a->hold_since = 0;
        /* the clock did not run while paused: push the deadlines by the pause */
        if (a->resolution_due)
            a->resolution_due += paused;
        if (a->first_response_due && !a->first_response_at)
            a->first_response_due += paused;
        break;
    }
    case ACT_CLOSE: a->closed_at = now; break;
    case ACT_OUT_OF_SCOPE: {
        const char *to = in->institution;
        if ((!to || !*to) && in->category) {
            if ((rc = resolve_category(st, in->category, &cat, ed)) != ERR_OK)
                return rc;
            a->category_id = cat.id;
            a->department_id = cat.department_id;
            to = cat.redirect;
        }
        if ((!to || !*to) && a->category_id &&
            store_category_get(st, a->category_id, &cat) == ERR_OK)
            to = cat.redirect;
        if (!to || !*to)
            return err_set(ed, ERR_INVALID, "institution",
                           "name the institution the citizen should turn to");
        if ((rc = check_text(to, "institution", 2, 500, true, ed)) != ERR_OK)
            return rc;
        free(a->redirect);
        a->redirect = xstrdup(to);
        a->closed_at = now;
        stop_clock(a);
        *event_note = a->redirect;
        break;
    }
    case ACT_DUPLICATE: {
        struct app orig;
        if (in->duplicate_of <= 0)
            return err_set(ed, ERR_INVALID, "duplicate_of", "name the application this repeats");
        if (in->duplicate_of == a->id)
            return err_set(ed, ERR_INVALID, "duplicate_of", "an application cannot repeat itself");
        rc = store_app_get(st, in->duplicate_of, &orig);
        if (rc == ERR_NOT_FOUND)
            return err_set(ed, ERR_UNPROCESSABLE, "duplicate_of", "no such application");
        if (rc != ERR_OK)
            return rc;
        bool dup = orig.status == ST_DUPLICATE;
        app_release(&orig);
        if (dup)
            return err_set(ed, ERR_UNPROCESSABLE, "duplicate_of",
                           "link to the original, not to another duplicate");
        a->duplicate_of = in->duplicate_of;
        a->closed_at = now;
        stop_clock(a);
        if ((rc = store_link_add(st, a->id, in->duplicate_of, "duplicate")) != ERR_OK)
            return rc;
        break;
    }
    case ACT__COUNT: return err_set(ed, ERR_INVALID, "action", "unknown action");
    }
    if (in->note && (rc = check_text(in->note, "note", 0, CORE_NOTE_MAX, false, ed)) != ERR_OK)
        return rc;
    return ERR_OK;
}

/* The id of the application with this tracking number (duplicate_of as the agent reads it). */
static int resolve_tracking(struct store *st, const char *tracking, int64_t *id,
                            struct err_detail *ed)
{
    int year;
    int64_t seq;
    struct app orig;
    char tr[TRACKING_LEN];
    if (!tracking_normalise(tracking, tr) || !tracking_parse(tr, &year, &seq))
        return err_set(ed, ERR_INVALID, "duplicate_of",
                       "duplicate_of must be an id or a tracking number (YYYY-NNNNNN)");
    if (store_app_by_tracking(st, tr, &orig) != ERR_OK)
        return err_set(ed, ERR_UNPROCESSABLE, "duplicate_of", "no such application");
    *id = orig.id;
    app_release(&orig);
    return ERR_OK;
}

/* Which actions are shown on the citizen's public timeline. */
static bool action_is_public(enum app_action a)
{
    switch (a) {
    case ACT_ROUTE:
    case ACT_ACCEPT:
    case ACT_TRANSFER:
    case ACT_RESPOND:
    case ACT_REJECT_ANSWER:
    case ACT_CLOSE:
    case ACT_REOPEN:
    case ACT_OUT_OF_SCOPE:
    case ACT_DUPLICATE: return true;
    default: return false;
    }
}

/* The message an action sends the citizen (core/outbox.h), in the action's transaction. */
static int outbox_after(struct store *st, const struct app *a, enum app_action action, int64_t now)
{
    switch (action) {
    case ACT_RESPOND: return core_outbox_on_app(st, a, OUTBOX_ANSWERED, now);
    case ACT_OUT_OF_SCOPE: return core_outbox_on_app(st, a, OUTBOX_OUT_OF_SCOPE, now);
    case ACT_CLOSE: return core_outbox_on_app(st, a, OUTBOX_SURVEY, now);
    default: return ERR_OK;
    }
}

int core_app_act(struct store *st, const struct user *actor, int64_t id, enum app_action action,
                 const struct act_input *in, struct app *out, struct err_detail *ed)
{
    struct app a = { 0 };
    const char *note = NULL;
    int64_t now = in->at ? in->at : time_now();
    int rc;

    memset(out, 0, sizeof(*out));
    if ((unsigned)action >= ACT__COUNT)
        return err_set(ed, ERR_NOT_FOUND, "action", "unknown action");
    struct act_input resolved;
    if (in->duplicate_of_tracking) {
        resolved = *in;
        if ((rc = resolve_tracking(st, in->duplicate_of_tracking, &resolved.duplicate_of, ed)) !=
            ERR_OK)
            return rc;
        in = &resolved;
    }
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    rc = store_app_get(st, id, &a);
    if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !core_app_visible(st, actor, &a))) {
        rc = err_set(ed, ERR_NOT_FOUND, NULL, "no such application");
        goto out;
    }
    if (rc != ERR_OK)
        goto out;
    /* a department grant may let the actor read here but not act (core/policy.h) */
    if (!policy_allows(st, actor, POL_APP_WORK, a.department_id)) {
        rc = err_set_named(ed, ERR_FORBIDDEN, "read_only", NULL,
                           "you may read this department's applications but not act on them");
        goto out;
    }
    if (!lifecycle_role_may(actor->role, action)) {
        rc = err_set(ed, ERR_FORBIDDEN, NULL, "a %s may not %s an application",
                     role_name(actor->role), lifecycle_action_name(action));
        goto out;
    }
    /* the ids whose codes and names the read joined in (out reuses them when unchanged) */
    const int64_t named[4] = { a.category_id, a.department_id, a.district_id, a.neighbourhood_id };
    int from = (int)a.status;
    int to = lifecycle_next(a.status, action);
    if (to < 0) {
        rc = err_set_named(ed, ERR_CONFLICT, "invalid_transition", "status",
                           "cannot %s an application that is %s", lifecycle_action_name(action),
                           lifecycle_status_name(a.status));
        if (ed) {
            ed->has_allowed = true;
            ed->allowed = lifecycle_allowed_mask(a.status);
        }
        goto out;
    }
    unsigned actions;
    struct app_rollup before, after;
    if ((action == ACT_RESPOND || action == ACT_CLOSE) &&
        (rc = core_app_check_proof(st, &a, ed)) != ERR_OK)
        goto out;
    if ((rc = store_event_actions(st, a.id, &actions)) != ERR_OK)
        goto out;
    core_rollup_of(&a, actions, &before);
    int64_t prev_category = a.category_id;
    if ((rc = apply_action(st, actor, &a, action, in, now, &note, ed)) != ERR_OK)
        goto out;
    if ((rc = learn_on_act(st, actor, &a, action, actions, prev_category, now)) != ERR_OK)
        goto out; /* issue 13: a correction is a training example */
    a.status = (enum app_status)to;
    a.updated_at = now;
    if ((rc = store_app_update(st, &a)) != ERR_OK)
        goto out;
    bool changed = from != to || action == ACT_TRANSFER;
    if ((rc = add_event(st, &a, actor, lifecycle_action_name(action), changed ? from : -1,
                        changed ? to : -1, note, action_is_public(action), now)) != ERR_OK)
        goto out;
    core_rollup_of(&a, actions | 1u << action, &after);
    if ((rc = core_rollup_change(st, &before, &after)) != ERR_OK)
        goto out;
    if (!in->at && (rc = outbox_after(st, &a, action, now)) != ERR_OK) /* issue 15, live only */
        goto out;
    if ((rc = store_commit(st)) != ERR_OK)
        goto out;
    if (a.category_id == named[0] && a.department_id == named[1] && a.district_id == named[2] &&
        a.neighbourhood_id == named[3]) {
        *out = a; /* what was written, with the names read with it: no second read */
        memset(&a, 0, sizeof(a));
    } else {
        rc = store_app_get(st, a.id, out);
    }
out:
    if (rc != ERR_OK)
        store_rollback(st);
    app_release(&a);
    return rc;
}

/* The type of an upload, decided by its first bytes, never by what the client claims. */
static const char *sniff(const unsigned char *p, size_t n)
{
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return "image/jpeg";
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return "image/webp";
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
        return "application/pdf";
    return NULL;
}

/* Load application id inside the open transaction when actor may see it; else ERR_NOT_FOUND
 * (an application the caller may not see answers like one that does not exist). */
static int load_visible(struct store *st, const struct user *actor, int64_t id, struct app *a,
                        bool work, struct err_detail *ed)
{
    int rc = store_app_get(st, id, a);
    if (rc == ERR_OK && !core_app_visible(st, actor, a)) {
        app_release(a);
        rc = ERR_NOT_FOUND;
    }
    /* a read-only department grant (core/policy.h) */
    if (rc == ERR_OK && work && !policy_allows(st, actor, POL_APP_WORK, a->department_id)) {
        app_release(a);
        return err_set_named(ed, ERR_FORBIDDEN, "read_only", NULL,
                             "you may read this department's applications but not act on them");
    }
    if (rc == ERR_NOT_FOUND)
        return err_set(ed, ERR_NOT_FOUND, NULL, "no such application");
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not read the application");
    return ERR_OK;
}

/* Is a client's Content-Type for an upload compatible with what its bytes are? None (or
 * application/octet-stream: "some bytes") leaves the type to the bytes; any other must be it:
 * a text/plain form post starting with %PDF- is not an upload. */
static bool declared_type_matches(const char *declared, const char *type)
{
    if (!declared || !*declared)
        return true;
    size_t n = strcspn(declared, "; \t");
    if (n == 24 && strncasecmp(declared, "application/octet-stream", n) == 0)
        return true;
    return n == strlen(type) && strncasecmp(declared, type, n) == 0;
}

/* A file name is shown to staff and in downloads: valid UTF-8, and no bidirectional controls
 * (U+200E/F, U+202A–E, U+2066–9, U+061C) that could show "gpj.exe" as "exe.jpg". */
static bool filename_ok(const char *name)
{
    if (!nlp_utf8_valid(name, strlen(name)))
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (p[0] == 0xE2 && p[1] == 0x80 &&
            (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE)))
            return false;
        if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
            return false;
        if (p[0] == 0xD8 && p[1] == 0x9C)
            return false;
    }
    return true;
}

/* The name ends like a photo's (what "renamed to .jpg" means). */
static bool photo_name(const char *name)
{
    static const char *const ext[] = { ".jpg",  ".jpeg", ".jpe",  ".png",
                                       ".webp", ".gif",  ".heic", ".heif" };
    size_t n = name ? strlen(name) : 0;
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        size_t k = strlen(ext[i]);
        if (n > k && strcasecmp(name + n - k, ext[i]) == 0)
            return true;
    }
    return false;
}

/* Check a file with core/photo and fill out's photo fields; ERR_OK for PDFs. */
static int check_photo(const void *data, size_t len, const char *type, const char *filename,
                       const char *declared, const struct attach_opts *opts, struct attachment *out,
                       struct err_detail *ed)
{
    struct photo_info pi;
    bool claims =
        photo_name(filename) || (declared && (strncasecmp(declared, "image/jp", 8) == 0 ||
                                              strncasecmp(declared, "image/png", 9) == 0 ||
                                              strncasecmp(declared, "image/webp", 10) == 0));
    if (!type || strcmp(type, "image/heic") == 0 || strcmp(type, "application/pdf") == 0) {
        if (type && strcmp(type, "image/heic") == 0)
            return err_set_named(ed, ERR_UNSUPPORTED, "heic_not_supported", "file",
                                 "HEIC/HEIF photos cannot be shown in browsers: send JPEG (on an "
                                 "iPhone: Settings, Camera, Formats, Most Compatible)");
        if (claims && (!type || photo_name(filename)))
            return err_set_named(ed, ERR_UNPROCESSABLE, "not_an_image", "file",
                                 "the file is named or declared as a photo but is not a JPEG, "
                                 "PNG or WebP image");
        return ERR_OK;
    }
    switch (photo_inspect(data, len, &pi)) {
    case PHOTO_OK: break;
    case PHOTO_TOO_LARGE:
        return err_set_named(ed, ERR_UNPROCESSABLE, "image_too_large", "file",
                             "the photo is %dx%d pixels: at most %d pixels a side and %ld "
                             "megapixels",
                             pi.width, pi.height, PHOTO_MAX_SIDE, PHOTO_MAX_PIXELS / 1000000);
    default:
        return err_set_named(ed, ERR_UNPROCESSABLE, "invalid_image", "file",
                             "the photo is damaged: its header cannot be read");
    }
    out->width = pi.width;
    out->height = pi.height;
    out->taken_at = pi.taken_at;
    if (pi.has_gps) {
        out->has_geo = true;
        out->lat = pi.lat;
        out->lon = pi.lon;
        str_copy(out->geo_source, sizeof(out->geo_source), "exif");
    } else if (opts && opts->has_geo) {
        out->has_geo = true;
        out->lat = opts->lat;
        out->lon = opts->lon;
        str_copy(out->geo_source, sizeof(out->geo_source), "device");
    }
    return ERR_OK;
}

int core_app_attach(struct store *st, const struct user *actor, int64_t id, const void *data,
                    size_t len, const char *filename, const char *declared, struct attachment *out,
                    struct err_detail *ed)
{
    return core_app_attach_photo(st, actor, id, data, len, filename, declared, NULL, out, ed);
}

int core_app_attach_photo(struct store *st, const struct user *actor, int64_t id, const void *data,
                          size_t len, const char *filename, const char *declared,
                          const struct attach_opts *opts, struct attachment *out,
                          struct err_detail *ed)
{
    struct app a = { 0 };
    struct attachment *list = NULL;
    size_t n = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    const char *stage = opts && opts->stage ? opts->stage : "";
    if (*stage && strcmp(stage, "before") != 0 && strcmp(stage, "after") != 0)
        return err_set(ed, ERR_INVALID, "stage", "stage must be before or after");
    if (opts && opts->has_geo &&
        !(opts->lat >= -90 && opts->lat <= 90 && opts->lon >= -180 && opts->lon <= 180))
        return err_set(ed, ERR_INVALID, "lat", "lat must be -90..90 and lon -180..180");
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    /* actor NULL: the citizen's own photo, authorised by the access code (core/portal.c) */
    if ((rc = actor ? load_visible(st, actor, id, &a, true, ed) : store_app_get(st, id, &a)) !=
        ERR_OK) {
        if (!actor)
            err_set(ed, rc, NULL, "no such application");
        goto out;
    }
    const char *type = sniff(data, len);
    if (!type && photo_sniff(data, len))
        type = "image/heic";
    if ((rc = check_photo(data, len, type, filename, declared, opts, out, ed)) != ERR_OK)
        goto out;
    if (!type) {
        rc = err_set_named(ed, ERR_UNSUPPORTED, "unsupported_media_type", "file",
                           "only JPEG, PNG, WebP photos and PDF documents can be attached");
        goto out;
    }
    if (*stage && strncmp(type, "image/", 6) != 0) {
        rc = err_set(ed, ERR_INVALID, "stage", "only a photo can be a before or after photo");
        goto out;
    }
    if (!declared_type_matches(declared, type)) {
        rc = err_set_named(ed, ERR_UNSUPPORTED, "unsupported_media_type", "file",
                           "the file is %s, not the declared type", type);
        goto out;
    }
    if (filename && !filename_ok(filename)) {
        rc = err_set_named(ed, ERR_INVALID, "invalid_field", "filename",
                           "the file name must be UTF-8 text without direction controls");
        goto out;
    }
    str_copy(out->filename, sizeof(out->filename), filename && *filename ? filename : "file");
    for (char *p = out->filename; *p; p++)
        if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '_';
    str_copy(out->mime, sizeof(out->mime), type);
    str_copy(out->stage, sizeof(out->stage), stage);
    out->app_id = id;
    out->created_at = time_now();
    /* counted inside the write transaction, so concurrent uploads cannot pass the limit */
    if ((rc = store_attachment_list(st, id, &list, &n)) != ERR_OK)
        goto out;
    if (n >= CORE_ATTACH_MAX) {
        rc = err_set(ed, ERR_CONFLICT, "file", "at most %d files per application", CORE_ATTACH_MAX);
        goto out;
    }
    if ((rc = store_attachment_add(st, out, data, len)) != ERR_OK ||
        (rc = add_event(st, &a, actor, "attach", -1, -1, out->filename, false, out->created_at)) !=
            ERR_OK ||
        (rc = store_commit(st)) != ERR_OK)
        goto out;
out:
    if (rc != ERR_OK) {
        store_rollback(st);
        if (ed && ed->code == ERR_OK)
            err_set(ed, rc, NULL, "could not store the file");
    }
    free(list);
    app_release(&a);
    return rc;
}

int core_app_public_photo(struct store *st, int64_t app_id, int64_t aid, void **data, size_t *len,
                          const char **mime)
{
    struct attachment meta;
    void *raw = NULL;
    size_t n = 0;
    *data = NULL;
    *len = 0;
    int rc = store_attachment_get(st, app_id, aid, &meta, &raw, &n);
    if (rc != ERR_OK)
        return rc;
    const char *type = photo_sniff(raw, n);
    if (!type || strcmp(type, "image/heic") == 0 || strcmp(type, meta.mime) != 0) {
        free(raw);
        return ERR_NOT_FOUND;
    }
    rc = photo_strip(raw, n, data, len) == PHOTO_OK ? ERR_OK : ERR_NOT_FOUND;
    free(raw);
    *mime = type;
    return rc;
}

int core_app_check_proof(struct store *st, const struct app *a, struct err_detail *ed)
{
    struct category cat;
    struct attachment *list = NULL;
    size_t n = 0;
    if (!a->category_id || store_category_get(st, a->category_id, &cat) != ERR_OK ||
        !cat.proof_required)
        return ERR_OK;
    int rc = store_attachment_list(st, a->id, &list, &n);
    if (rc != ERR_OK)
        return rc;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(list[i].stage, "after") == 0 && strncmp(list[i].mime, "image/", 6) == 0;
    free(list);
    if (found)
        return ERR_OK;
    return err_set_named(ed, ERR_UNPROCESSABLE, "proof_required", "file",
                         "%s needs an after photo (stage after) before it is answered",
                         cat.name_en[0] ? cat.name_en : cat.code);
}

int core_app_link(struct store *st, const struct user *actor, int64_t id, int64_t other_id,
                  const char *note, struct app *out, struct err_detail *ed)
{
    struct app a = { 0 }, b = { 0 };
    int rc;

    memset(out, 0, sizeof(*out));
    if (other_id == id)
        return err_set(ed, ERR_INVALID, "other_id", "an application cannot link to itself");
    if ((rc = check_text(note, "note", 0, CORE_NOTE_MAX, false, ed)) != ERR_OK)
        return rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = load_visible(st, actor, id, &a, true, ed)) != ERR_OK)
        goto out;
    if ((rc = load_visible(st, actor, other_id, &b, false, ed)) != ERR_OK) {
        if (rc == ERR_NOT_FOUND)
            rc = err_set(ed, ERR_UNPROCESSABLE, "other_id", "no such application");
        goto out;
    }
    if ((rc = store_link_add(st, id, other_id, "related")) != ERR_OK ||
        (rc = add_event(st, &a, actor, "link", -1, -1, note, false, time_now())) != ERR_OK ||
        (rc = store_commit(st)) != ERR_OK)
        goto out;
    rc = store_app_get(st, id, out);
out:
    if (rc != ERR_OK) {
        store_rollback(st);
        if (ed && ed->code == ERR_OK)
            err_set(ed, rc, NULL, "could not link");
    }
    app_release(&a);
    app_release(&b);
    return rc;
}
