/* The AMI connection loop (ami_client.h). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/contact.h"
#include "cti/ami_client.h"
#include "model/role.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define CONNECT_TIMEOUT_MS 10000
#define STORE_TRIES 5

enum conn_state { WAIT_LOGIN, LOGGED_IN, REFUSED };

struct conn {
    struct store *st;
    const struct ami_client_opts *o;
    struct ami_stats *stats;
    struct user as; /* who posts the events: the telephony role */
    char action_id[32];
    enum conn_state state;
};

static bool stopping(const struct ami_client_opts *o)
{
    return o->stop && *o->stop;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait ms, waking every 100 ms to see whether to stop. */
static void pause_ms(const struct ami_client_opts *o, int ms)
{
    int64_t until = mono_ms() + ms;
    while (!stopping(o) && mono_ms() < until) {
        int64_t left = until - mono_ms();
        poll(NULL, 0, left < 100 ? (int)left : 100);
    }
}

static const char *nz(const char *s)
{
    return s[0] ? s : NULL;
}

/* Record e through core; a busy or failed store is tried again a few times. */
static void record(struct conn *c, const char *event, struct ami_event *e)
{
    struct call_event_input in = { .call_id = nz(e->call_id),
                                   .type = e->type,
                                   .agent = nz(e->agent),
                                   .line = nz(e->line),
                                   .queue = nz(e->queue),
                                   .caller = nz(e->caller),
                                   .reason = nz(e->reason),
                                   .at = e->at };
    struct call_event_result res;
    struct err_detail ed = { 0 };
    int rc = ERR_STORE;
    for (int i = 0, wait = 200; i < STORE_TRIES && !stopping(c->o); i++, wait *= 2) {
        rc = core_call_event(c->st, &c->as, &in, time_now(), &res, &ed);
        if (rc == ERR_UNPROCESSABLE && strcmp(e->type, "ringing") == 0 && in.agent) {
            /* ringing an agent alo153 does not know: the call still rang */
            log_warn("msg=\"unknown agent\" event=%s call=%s agent=\"%s\"", event, e->call_id,
                     e->agent);
            in.agent = NULL;
            rc = core_call_event(c->st, &c->as, &in, time_now(), &res, &ed);
        }
        if (rc != ERR_STORE && rc != ERR_UNAVAILABLE)
            break;
        log_warn("msg=\"store busy, trying again\" event=%s error=\"%s\"", event, ed.message);
        pause_ms(c->o, wait);
    }
    if (rc != ERR_OK) {
        c->stats->refused++;
        log_warn("msg=\"event refused\" event=%s type=%s call=%s agent=\"%s\" error=%s "
                 "detail=\"%s\"",
                 event, e->type, e->call_id, e->agent, err_name(rc), ed.message);
    } else if (res.duplicate) {
        c->stats->duplicates++;
        log_debug("msg=\"duplicate event\" event=%s type=%s call=%s", event, e->type, e->call_id);
    } else {
        c->stats->recorded++;
        log_debug("msg=\"event\" event=%s type=%s call=%s agent=%s", event, e->type, e->call_id,
                  e->agent);
    }
}

static void on_event(struct conn *c, const struct ami_msg *m)
{
    struct ami_event e;
    const char *why, *event = ami_get(m, "Event");
    switch (ami_map(m, c->o->map, time_now(), &e, &why)) {
    case AMI_IGNORED: c->stats->ignored++; return;
    case AMI_UNUSABLE:
        c->stats->refused++;
        log_warn("msg=\"event skipped\" event=%s why=\"%s\"", event, why);
        return;
    case AMI_MAPPED: break;
    }
    if (e.needs_known_call) {
        struct call k;
        int rc = store_call_get(c->st, e.call_id, &k);
        if (rc == ERR_NOT_FOUND) { /* not a queue call of ours (internal, outbound) */
            c->stats->ignored++;
            return;
        }
    }
    record(c, event, &e);
}

static void on_msg(const struct ami_msg *m, void *arg)
{
    struct conn *c = arg;
    const char *resp = ami_get(m, "Response"), *id = ami_get(m, "ActionID");
    c->stats->messages++;
    if (c->state == WAIT_LOGIN) {
        if (!resp || !id || strcmp(id, c->action_id) != 0)
            return; /* nothing is ours before the login's answer */
        if (strcmp(resp, "Success") == 0) {
            c->state = LOGGED_IN;
            c->stats->logins++;
            log_info("msg=\"logged in\" host=%s port=%d user=%s", c->o->host, c->o->port,
                     c->o->user);
        } else {
            const char *why = ami_get(m, "Message");
            c->state = REFUSED;
            log_error("msg=\"login refused\" host=%s port=%d user=%s response=%s message=\"%s\"",
                      c->o->host, c->o->port, c->o->user, resp, why ? why : "");
        }
        return;
    }
    if (ami_get(m, "Event"))
        on_event(c, m);
}

static void on_bad(const char *why, const char *line, void *arg)
{
    struct conn *c = arg;
    char shown[81];
    c->stats->malformed++;
    str_copy(shown, sizeof(shown), line);
    for (char *p = shown; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '"')
            *p = '?';
    log_warn("msg=\"malformed AMI input skipped\" why=\"%s\" line=\"%s\"", why, shown);
}

/* A connected TCP socket to host:port, or -1 (logged). */
static int dial(const struct ami_client_opts *o)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai = NULL;
    char port[16];
    snprintf(port, sizeof(port), "%d", o->port);
    int rc = getaddrinfo(o->host, port, &hints, &ai);
    if (rc != 0) {
        log_warn("msg=\"cannot resolve\" host=%s error=\"%s\"", o->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            err = 0;
        else if (errno == EINPROGRESS) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            socklen_t len = sizeof(err);
            err = ETIMEDOUT;
            if (poll(&p, 1, CONNECT_TIMEOUT_MS) == 1)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        } else
            err = errno;
        if (err) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        log_warn("msg=\"cannot connect\" host=%s port=%d error=\"%s\"", o->host, o->port,
                 strerror(err ? err : ECONNREFUSED));
    return fd;
}

static bool send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        if (poll(&p, 1, CONNECT_TIMEOUT_MS) != 1)
            return false;
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno != EINTR && errno != EAGAIN)
            return false;
        if (w > 0) {
            s += w;
            n -= (size_t)w;
        }
    }
    return true;
}

/* One connection: log in and read until the end of the stream. The state it ended in. */
static enum conn_state session(struct conn *c, int fd)
{
    static struct ami_parser parser; /* big (a message buffer): not on the stack */
    char login[1024], buf[4096];
    snprintf(c->action_id, sizeof(c->action_id), "alo153-login-%lu", c->stats->attempts);
    c->state = WAIT_LOGIN;
    ami_parser_init(&parser, on_msg, on_bad, c);
    if (!ami_login_action(login, sizeof(login), c->o->user, c->o->secret, c->action_id) ||
        !send_all(fd, login, strlen(login))) {
        log_warn("msg=\"cannot send the login\" host=%s port=%d", c->o->host, c->o->port);
        return WAIT_LOGIN;
    }
    int64_t login_deadline = mono_ms() + c->o->login_timeout_ms;
    while (!stopping(c->o) && c->state != REFUSED) {
        if (c->state == WAIT_LOGIN && mono_ms() > login_deadline) {
            log_warn("msg=\"no answer to the login\" host=%s port=%d", c->o->host, c->o->port);
            break;
        }
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int pr = poll(&p, 1, 100);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr <= 0)
            continue;
        ssize_t r = recv(fd, buf, sizeof(buf), 0);
        if (r == 0) {
            log_info("msg=\"connection closed by Asterisk\" host=%s port=%d", c->o->host,
                     c->o->port);
            break;
        }
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            log_warn("msg=\"connection lost\" host=%s port=%d error=\"%s\"", c->o->host, c->o->port,
                     strerror(errno));
            break;
        }
        ami_feed(&parser, buf, (size_t)r);
    }
    if (c->state == LOGGED_IN && stopping(c->o))
        send_all(fd, "Action: Logoff\r\n\r\n", 18);
    return c->state;
}

int ami_client_run(struct store *st, const struct ami_client_opts *o, struct ami_stats *stats)
{
    struct conn c = { .st = st, .o = o, .stats = stats };
    c.as.role = ROLE_TELEPHONY;
    str_copy(c.as.username, sizeof(c.as.username), "ami");
    memset(stats, 0, sizeof(*stats));
    int backoff = o->backoff_min_ms;
    enum conn_state last = WAIT_LOGIN;
    while (!stopping(o)) {
        stats->attempts++;
        log_info("msg=\"connecting\" host=%s port=%d attempt=%lu", o->host, o->port,
                 stats->attempts);
        int fd = dial(o);
        last = WAIT_LOGIN;
        if (fd >= 0) {
            last = session(&c, fd);
            close(fd);
        }
        log_info("msg=\"connection ended\" attempt=%lu recorded=%lu duplicates=%lu ignored=%lu "
                 "refused=%lu malformed=%lu",
                 stats->attempts, stats->recorded, stats->duplicates, stats->ignored,
                 stats->refused, stats->malformed);
        if (last == REFUSED)
            return 1;
        if (last == LOGGED_IN)
            backoff = o->backoff_min_ms;
        if (o->exit_after && stats->attempts >= (unsigned long)o->exit_after)
            break;
        if (stopping(o))
            break;
        log_info("msg=\"reconnecting\" in_ms=%d", backoff);
        pause_ms(o, backoff);
        backoff = backoff > o->backoff_max_ms / 2 ? o->backoff_max_ms : backoff * 2;
    }
    return stopping(o) || last == LOGGED_IN ? 0 : 1;
}
