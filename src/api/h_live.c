/* GET /api/v1/live: one server-sent-events stream per console. The handler checks the caller,
 * finds the cursors and opens the stream (src/http); from then on one hub thread per process
 * feeds every stream: screen pops (agent_events rows, `id:` = the row id, so Last-Event-ID
 * resumes without loss), today's figures for supervisors, new applications in the user's
 * department scope, and a heartbeat comment. The hub re-reads the database every tick, so pops
 * and applications written by another serve process arrive too (docs/CONTACT_CENTRE.md). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "core/auth.h"
#include "core/policy.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define LIVE_TICK_MS 250    /* pops: re-read the database this often */
#define LIVE_APPS_MS 1000   /* new applications */
#define LIVE_KPI_MS 3000    /* the supervisors' figures */
#define LIVE_AUTH_MS 5000   /* is the session still valid (log-out ends the stream) */
#define LIVE_BEAT_MS 15000  /* a comment after this long without a byte (proxies, dead peers) */
#define LIVE_RETRY_MS 3000  /* the browser's reconnect delay (`retry:`) */
#define LIVE_POPS_MAX 50    /* pops per read */
#define LIVE_APPS_MAX 50    /* applications per read */
#define LIVE_RETRY_AFTER 10 /* seconds, on 503 for too many streams */
#define LIVE_PER_USER_MAX 8 /* open streams of one user (tabs, screens): 429 above */

#define SESSION_COOKIE "alo153_session"

/* One open stream and what it gets. */
struct live_client {
    struct live_client *next;
    struct http_stream *s;
    struct user user;
    char auth[AUTH_TOKEN_LEN]; /* hash of the session cookie or bearer token */
    bool bearer;
    bool pops, kpi, apps;
    int64_t pop_after;                 /* agent_events: ids above this are not sent yet */
    int64_t app_after;                 /* applications: ids above this are new */
    int64_t beat_at, auth_at, apps_at; /* monotonic ms */
    bool fresh;                        /* not fed yet: gets the figures at once */
};

struct live_hub {
    struct api *api;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct live_client *incoming; /* opened by h_live, not yet taken by the thread */
    bool started, stopping, woken;
    pthread_t thread;
    struct live_user { /* open streams per user, under lock: one user cannot take every slot */
        int64_t id;
        int n;
    } * users;
    size_t nusers, users_alloc;
};

/* Count one more stream of user; false when they have LIVE_PER_USER_MAX open already. */
static bool live_user_take(struct live_hub *h, int64_t user)
{
    bool ok = true;
    pthread_mutex_lock(&h->lock);
    size_t i = 0;
    while (i < h->nusers && h->users[i].id != user)
        i++;
    if (i == h->nusers) {
        if (h->nusers == h->users_alloc) {
            h->users_alloc = h->users_alloc ? 2 * h->users_alloc : 16;
            h->users = xrealloc(h->users, h->users_alloc * sizeof(*h->users));
        }
        h->users[h->nusers++] = (struct live_user){ user, 0 };
    }
    if (h->users[i].n >= LIVE_PER_USER_MAX)
        ok = false;
    else
        h->users[i].n++;
    pthread_mutex_unlock(&h->lock);
    return ok;
}

static void live_user_give_back(struct live_hub *h, int64_t user)
{
    pthread_mutex_lock(&h->lock);
    for (size_t i = 0; i < h->nusers; i++)
        if (h->users[i].id == user) {
            if (--h->users[i].n <= 0)
                h->users[i] = h->users[--h->nusers];
            break;
        }
    pthread_mutex_unlock(&h->lock);
}

/* End c's stream (if open), free c and give its user's slot back; the hub's lock not held. */
static void live_client_free(struct live_hub *h, struct live_client *c)
{
    if (c->s)
        http_stream_release(c->s);
    live_user_give_back(h, c->user.id);
    free(c);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Queue one event: `id:` when id >= 0, `event:`, and data as one compact JSON line (steals
 * data). false when the stream has ended. */
static bool live_send(struct live_client *c, int64_t id, const char *event, json_t *data)
{
    struct strbuf b;
    char *text = json_dumps(data, JSON_COMPACT);
    json_decref(data);
    strbuf_init(&b, 0);
    if (id >= 0)
        strbuf_addf(&b, "id: %lld\n", (long long)id);
    strbuf_addf(&b, "event: %s\ndata: %s\n\n", event, text ? text : "{}");
    free(text);
    bool ok = http_stream_push(c->s, b.buf, b.len);
    strbuf_release(&b);
    c->beat_at = mono_ms() + LIVE_BEAT_MS;
    return ok;
}

/* A request-like context for the renderers, on the hub's connection, as c's user. */
static struct api_req live_req(struct api *api, struct store *st, const struct live_client *c)
{
    struct api_req r = { 0 };
    r.api = api;
    r.st = st;
    r.user = c->user;
    r.authed = true;
    return r;
}

/* The newest screen-pop id of user (0 when none): the cursor of a stream opened without one. */
static int live_last_pop(struct store *st, int64_t user_id, int64_t *last)
{
    int rc;
    size_t n;
    *last = 0;
    do {
        struct agent_event *ev = NULL;
        n = 0;
        if ((rc = store_agent_event_list(st, user_id, *last, 500, &ev, &n)) != ERR_OK)
            return rc;
        if (n)
            *last = ev[n - 1].id;
        free(ev);
    } while (n == 500);
    return ERR_OK;
}

/* The newest application id u may read (0 when none): later ones are new. */
static int live_last_app(struct store *st, const struct user *u, int64_t *last)
{
    struct app_filter f = { .limit = 1 };
    struct app *as = NULL;
    size_t n = 0;
    int64_t next;
    *last = 0;
    int rc = policy_reach(st, u, POL_APP_READ, &f.reach);
    if (rc == ERR_OK)
        rc = store_app_list(st, &f, &as, &n, &next, NULL);
    if (rc != ERR_OK)
        return rc;
    if (n)
        *last = as[0].id;
    for (size_t i = 0; i < n; i++)
        app_release(&as[i]);
    free(as);
    return ERR_OK;
}

/* Is c's session (or token) still valid? Refreshes c->user. false only when it is gone (a
 * database that is down for now keeps the stream). */
static bool live_still_authed(struct store *st, struct live_client *c)
{
    struct user u;
    int rc = c->bearer ? store_token_user(st, c->auth, time_now(), &u)
                       : store_session_user(st, c->auth, time_now(), &u, NULL);
    if (rc == ERR_OK && !u.disabled) {
        c->user = u;
        return true;
    }
    return rc == ERR_UNAVAILABLE;
}

static void live_feed_pops(struct api *api, struct store *st, struct live_client *c)
{
    struct agent_event *ev = NULL;
    size_t n = 0;
    if (store_agent_event_list(st, c->user.id, c->pop_after, LIVE_POPS_MAX, &ev, &n) != ERR_OK)
        return; /* the next tick tries again */
    struct api_req r = live_req(api, st, c);
    for (size_t i = 0; i < n; i++) {
        if (!live_send(c, ev[i].id, "screen_pop", api_pop_json(&r, &ev[i])))
            break;
        c->pop_after = ev[i].id;
    }
    free(ev);
}

static void live_feed_apps(struct api *api, struct store *st, struct live_client *c)
{
    /* the reach on every tick: a grant given or taken back counts from the next one */
    struct app_filter f = { .limit = LIVE_APPS_MAX };
    struct app *as = NULL;
    size_t n = 0;
    int64_t next;
    if (policy_reach(st, &c->user, POL_APP_READ, &f.reach) != ERR_OK ||
        store_app_list(st, &f, &as, &n, &next, NULL) != ERR_OK)
        return; /* the next tick tries again */
    struct api_req r = live_req(api, st, c);
    int64_t newest = c->app_after;
    for (size_t i = n; i-- > 0;) { /* newest first: send the oldest new one first */
        if (as[i].id > c->app_after) {
            json_t *a = api_app_json(&r, &as[i], false);
            json_t *o = json_object();
            static const char *const keep[] = { "id",       "tracking", "status",     "kind",
                                                "category", "channel",  "department", "created_at",
                                                "district", "priority" };
            for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
                if (json_object_get(a, keep[k]))
                    json_object_set(o, keep[k], json_object_get(a, keep[k]));
            json_decref(a);
            live_send(c, -1, "application", o);
            if (as[i].id > newest)
                newest = as[i].id;
        }
    }
    c->app_after = newest;
    for (size_t i = 0; i < n; i++)
        app_release(&as[i]);
    free(as);
}

/* One pass over the clients; kpi is the figures to send this pass (NULL = none due). */
static void live_feed(struct live_hub *h, struct store *st, struct live_client **list,
                      const json_t *kpi, int64_t now)
{
    for (struct live_client **pc = list; *pc;) {
        struct live_client *c = *pc;
        bool gone = http_stream_ended(c->s);
        if (!gone && now >= c->auth_at) {
            c->auth_at = now + LIVE_AUTH_MS;
            if (!live_still_authed(st, c)) {
                live_send(c, -1, "end", json_pack("{s:s}", "reason", "session_ended"));
                gone = true;
            }
        }
        if (gone) {
            *pc = c->next;
            live_client_free(h, c);
            continue;
        }
        if (c->pops)
            live_feed_pops(h->api, st, c);
        if (c->apps && now >= c->apps_at) {
            c->apps_at = now + LIVE_APPS_MS;
            live_feed_apps(h->api, st, c);
        }
        if (c->kpi && kpi)
            live_send(c, -1, "kpi", json_deep_copy(kpi));
        c->fresh = false;
        if (now >= c->beat_at) {
            http_stream_push(c->s, ": ping\n\n", 8);
            c->beat_at = now + LIVE_BEAT_MS;
        }
        pc = &c->next;
    }
}

static void *live_main(void *arg)
{
    struct live_hub *h = arg;
    struct live_client *list = NULL;
    struct store *st = NULL;
    struct err_detail ed = { 0 };
    int64_t kpi_at = 0;
    pthread_mutex_lock(&h->lock);
    while (!h->stopping) {
        while (h->incoming) {
            struct live_client *c = h->incoming;
            h->incoming = c->next;
            c->next = list;
            list = c;
        }
        h->woken = false;
        pthread_mutex_unlock(&h->lock);
        if (st || store_pool_get(h->api->pool, &st, &ed) == ERR_OK) {
            int64_t now = mono_ms();
            bool want = false, fresh = false;
            for (struct live_client *c = list; c; c = c->next) {
                want |= c->kpi;
                fresh |= c->kpi && c->fresh;
            }
            json_t *kpi = NULL;
            if (want && (now >= kpi_at || fresh)) {
                struct live_client none = { 0 };
                struct api_req r = live_req(h->api, st, &none);
                if (api_kpi_live_json(&r, &kpi) != ERR_OK)
                    kpi = NULL;
                kpi_at = now + LIVE_KPI_MS;
            }
            live_feed(h, st, &list, kpi, now);
            json_decref(kpi);
            store_rollback(st);
        }
        pthread_mutex_lock(&h->lock);
        if (h->stopping || h->woken || h->incoming)
            continue;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += LIVE_TICK_MS * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&h->wake, &h->lock, &ts);
    }
    pthread_mutex_unlock(&h->lock);
    while (list) {
        struct live_client *c = list;
        list = c->next;
        live_client_free(h, c);
    }
    return NULL;
}

struct live_hub *live_hub_new(struct api *api)
{
    struct live_hub *h = xcalloc(1, sizeof(*h));
    h->api = api;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->wake, NULL);
    return h;
}

void live_hub_free(struct live_hub *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->lock);
    h->stopping = true;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    if (h->started)
        pthread_join(h->thread, NULL);
    while (h->incoming) {
        struct live_client *c = h->incoming;
        h->incoming = c->next;
        live_client_free(h, c);
    }
    free(h->users);
    pthread_cond_destroy(&h->wake);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

void live_wake(struct api *api)
{
    struct live_hub *h = api->live;
    pthread_mutex_lock(&h->lock);
    h->woken = true;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
}

/* Hand c to the hub, starting its thread with the first stream. false when it cannot start. */
static bool live_hand_over(struct live_hub *h, struct live_client *c)
{
    pthread_mutex_lock(&h->lock);
    if (!h->started && !h->stopping) {
        if (pthread_create(&h->thread, NULL, live_main, h) != 0) {
            pthread_mutex_unlock(&h->lock);
            return false;
        }
        h->started = true;
    }
    c->next = h->incoming;
    h->incoming = c;
    h->woken = true;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    return true;
}

/* The cursor of a reconnect: the Last-Event-ID header (EventSource sends it by itself), else
 * ?after=; -1 when neither; false (400 sent) when one is not an event id. */
static bool live_cursor(struct api_req *r, int64_t *after)
{
    const char *h = http_header(r->http, "Last-Event-ID"), *q = http_query(r->http, "after");
    const char *v = h && *h ? h : q;
    *after = -1;
    if (!v)
        return true;
    if (!parse_i64(v, 0, INT64_MAX, after)) {
        api_fail(r, ERR_INVALID, NULL, h && *h ? "Last-Event-ID" : "after",
                 "the cursor must be an event id (a whole number, 0 or more)");
        return false;
    }
    return true;
}

void h_live(struct api_req *r)
{
    const struct role_policy *rp = role_policy(r->user.role);
    int64_t after;
    if (rp->telephony) {
        api_fail(r, ERR_FORBIDDEN, NULL, NULL, "the live stream is for the consoles of staff");
        return;
    }
    if (!live_cursor(r, &after))
        return;
    if (!live_user_take(r->api->live, r->user.id)) {
        api_retry_after(r, LIVE_RETRY_AFTER);
        api_fail(r, ERR_RATE, "too_many_live_streams", NULL,
                 "this user has %d live streams open already; close one (another tab or "
                 "screen) first",
                 LIVE_PER_USER_MAX);
        return;
    }
    struct live_client *c = xcalloc(1, sizeof(*c));
    c->user = r->user;
    c->pops = rp->front_office;
    c->kpi = rp->oversight;
    /* department inboxes (staff of a department), and the supervisors */
    c->apps = rp->oversight ||
              (policy_scope(r->user.role, POL_APP_READ) == POL_SUBTREE && r->user.department_id);
    const char *authz = http_header(r->http, "Authorization");
    c->bearer = authz && strncmp(authz, "Bearer ", 7) == 0;
    auth_token_hash(c->bearer ? authz + 7 : http_cookie(r->http, SESSION_COOKIE), c->auth);
    int rc = ERR_OK;
    if (c->pops && after < 0)
        rc = live_last_pop(r->st, r->user.id, &after);
    if (rc == ERR_OK && c->apps)
        rc = live_last_app(r->st, &c->user, &c->app_after);
    if (rc != ERR_OK) {
        live_client_free(r->api->live, c);
        api_fail(r, rc, NULL, NULL, "could not read the cursors");
        return;
    }
    c->pop_after = after < 0 ? 0 : after;
    c->fresh = true;
    int64_t now = mono_ms();
    c->auth_at = now + LIVE_AUTH_MS;
    c->apps_at = now + LIVE_APPS_MS;
    if (!(c->s = http_stream_open(r->http, r->resp, "text/event-stream; charset=utf-8"))) {
        live_client_free(r->api->live, c);
        api_retry_after(r, LIVE_RETRY_AFTER);
        api_fail(r, ERR_UNAVAILABLE, "too_many_streams", NULL,
                 "too many live streams are open on this server; try again later "
                 "(the long-poll GET /api/v1/agents/me/events still works)");
        return;
    }
    char head[64];
    int n = snprintf(head, sizeof(head), "retry: %d\n\n", LIVE_RETRY_MS);
    http_stream_push(c->s, head, (size_t)n);
    live_send(c, c->pop_after, "hello",
              json_pack("{s:I, s:s, s:b, s:b, s:b}", "user_id", (json_int_t)r->user.id, "role",
                        role_name(r->user.role), "screen_pop", c->pops, "kpi", c->kpi,
                        "application", c->apps));
    if (!live_hand_over(r->api->live, c)) {
        live_client_free(r->api->live, c);
        log_error("msg=\"cannot start the live hub thread\"");
    }
}
