#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/proxy.h"
#include "http/tls.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* One open connection, for the deadline watchdog (libmicrohttpd's own timeout is an idle
 * timeout that every byte resets, so a client dripping a byte a second would never meet it). */
struct conn_track {
    struct conn_track *prev, *next;
    int fd;
    int64_t deadline_ms; /* CLOCK_MONOTONIC ms; 0 = none (an answer is being sent) */
    bool closing;        /* shut down by the watchdog */
    bool linger;         /* answered before its body: drain it a while after the answer */
    char remote[64];
};

/* A socket kept open after libmicrohttpd let go of it (a dup), so that a client still sending
 * the body of a request answered early reads that answer instead of a connection reset:
 * the watchdog reads and drops what arrives until the client closes or LINGER_MS pass
 * (nginx's lingering close). */
#define LINGER_MAX 256
#define LINGER_MS 5000
struct lingering {
    int fd;
    int64_t until_ms;
};

/* A response produced over time (http.h). Two references: the owner's and libmicrohttpd's
 * (dropped by stream_mhd_free when it destroys the response). The connection waits suspended
 * while nothing is queued; whoever clears `suspended` (under lock) resumes it, exactly once. */
#define STREAM_QUEUE_MAX (256 * 1024) /* bytes a client may leave unread before it is dropped */
#define STREAM_TIMEOUT_S 60           /* a stream that cannot send for this long is closed */
#define STREAMS_DEFAULT 256
struct http_stream {
    pthread_mutex_t lock;
    struct http_stream *prev, *next; /* the server's list (under streams_lock) */
    struct http_server *srv;         /* NULL once libmicrohttpd let go */
    struct MHD_Connection *mc;       /* NULL once libmicrohttpd let go */
    int fd;                          /* the connection's socket (valid while mc is) */
    char *buf;                       /* queued bytes: buf[off, len) */
    size_t off, len, cap;
    bool ended;     /* nothing more will be queued: end once the queue is sent */
    bool suspended; /* the connection waits for bytes */
    bool mhd_done;  /* libmicrohttpd destroyed the response */
    int refs;
};

struct http_server {
    struct MHD_Daemon *d;
    pthread_mutex_t streams_lock; /* guards the stream list and its count */
    struct http_stream streams;   /* sentinel of a circular list */
    unsigned nstreams;
    bool streams_closed;        /* stopping: no new stream */
    pthread_mutex_t track_lock; /* guards the track list and every deadline */
    pthread_cond_t track_wake;
    struct conn_track tracks; /* sentinel of a circular list */
    pthread_t watchdog;
    bool watchdog_started;
    bool stopping;
    atomic_bool quiesced;      /* accepts no new connection (http_server_quiesce, on_accept) */
    unsigned long slow_closed; /* connections closed past their deadline */
    struct lingering linger[LINGER_MAX];
    int nlinger;
    struct http_limits limits;
    http_admit_fn admit;
    http_dispatch_fn fn;
    void *ctx;
    unsigned port;
    atomic_int in_flight;
    struct proxy_list trusted; /* peers whose forwarding headers are believed */
    bool tls;                  /* this listener speaks TLS (tls.h holds the credentials) */
    bool force_secure;
    /* the handler pool (limits.handlers threads): requests whose body is in, waiting */
    pthread_mutex_t jobs_lock;
    pthread_cond_t jobs_idle; /* jobs_running fell to 0 */
    struct http_conn *jobs_head, *jobs_tail;
    unsigned jobs_running; /* queued or being handled */
    bool jobs_stop;
    struct handler *handlers;
    struct handler *idle; /* handlers waiting for a job, the latest idle on top */
    unsigned nhandlers;   /* started */
};

/* A handler thread. Idle ones wait on their own condition in a stack, and a new job wakes
 * the one idle most recently: under light load the same few threads (and their database
 * connections, with warm page and statement caches) take every request. */
struct handler {
    pthread_t thread;
    pthread_cond_t wake;
    struct handler *next_idle;
    bool is_idle; /* on the idle stack */
    struct http_server *srv;
};

struct http_conn {
    struct http_server *srv;
    size_t target_len; /* path plus query arguments, for the url_max limit */
    struct MHD_Connection *mc;
    struct strbuf body;
    bool too_big;
    bool answered; /* answered before the body (refused at admission, 414) */
    struct timespec start;
    char remote[64], peer[64]; /* http_request's, found once per request */
    bool secure;
    bool quick;     /* admit said: answer on libmicrohttpd's thread */
    void *admitted; /* admit's note for dispatch (http_request.admitted), owned */
    /* handed to the handler pool: */
    struct http_conn *job_next;
    const char *method, *url; /* libmicrohttpd's, valid until the request completes */
    bool handled;             /* the handler has answered: resp holds it */
    struct http_response resp;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void addr_text(const struct sockaddr *sa, char *out, size_t len)
{
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)len);
    else if (sa && sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        /* an IPv4 client of a dual-stack listener: its plain IPv4 form, one key per client */
        if (IN6_IS_ADDR_V4MAPPED(a))
            inet_ntop(AF_INET, a->s6_addr + 12, out, (socklen_t)len);
        else
            inet_ntop(AF_INET6, a, out, (socklen_t)len);
    }
}

/* Give mc's connection a deadline `after_ms` from now (0 = none). */
static void track_deadline(struct http_server *srv, struct MHD_Connection *mc, int64_t after_ms)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct conn_track *t = ci ? ci->socket_context : NULL;
    if (!t || !srv->limits.request_timeout)
        return;
    pthread_mutex_lock(&srv->track_lock);
    t->deadline_ms = after_ms ? now_ms() + after_ms : 0;
    pthread_mutex_unlock(&srv->track_lock);
}

/* Accept policy: once quiesced, a new connection is closed at once, unread and unanswered.
 * Not MHD_quiesce_daemon(): with epoll and a thread pool it races with the worker threads,
 * which take the same listening socket out of their epoll sets, and the loser aborts the
 * whole process ("Failed to remove listen FD from epoll set", an open libmicrohttpd defect;
 * t40 met it in the clean-clone CI on 2026-12-06, on a server stopped right after a request). */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    struct http_server *srv = cls;
    (void)addr;
    (void)addrlen;
    return atomic_load(&srv->quiesced) ? MHD_NO : MHD_YES;
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *srv = cls;
    struct conn_track *t = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        t = xcalloc(1, sizeof(*t));
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
        t->fd = ci ? ci->connect_fd : -1;
        ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        addr_text(ci ? ci->client_addr : NULL, t->remote, sizeof(t->remote));
        pthread_mutex_lock(&srv->track_lock);
        if (srv->limits.request_timeout)
            t->deadline_ms = now_ms() + (int64_t)srv->limits.request_timeout * 1000;
        t->next = &srv->tracks;
        t->prev = srv->tracks.prev;
        t->prev->next = t;
        srv->tracks.prev = t;
        pthread_mutex_unlock(&srv->track_lock);
        *socket_context = t;
    } else if (t) {
        /* libmicrohttpd closes the socket only after this returns, so the watchdog, which
         * shuts sockets down under the same lock, never touches a closed (reused) descriptor */
        pthread_mutex_lock(&srv->track_lock);
        t->prev->next = t->next;
        t->next->prev = t->prev;
        if (t->linger && !t->closing && t->fd >= 0 && srv->watchdog_started &&
            srv->nlinger < LINGER_MAX) {
            int fd = fcntl(t->fd, F_DUPFD_CLOEXEC, 0);
            if (fd >= 0) {
                fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
                shutdown(fd, SHUT_WR); /* the answer is out: end it with a FIN, not a reset */
                srv->linger[srv->nlinger].fd = fd;
                srv->linger[srv->nlinger].until_ms = now_ms() + LINGER_MS;
                srv->nlinger++;
            }
        }
        pthread_mutex_unlock(&srv->track_lock);
        free(t);
        *socket_context = NULL;
    }
}

/* Close connections past their deadline: shutdown() makes libmicrohttpd see the end of the
 * stream and close the connection itself, with its usual clean-up. */
static void *watchdog_main(void *arg)
{
    struct http_server *srv = arg;
    pthread_mutex_lock(&srv->track_lock);
    while (!srv->stopping) {
        int64_t now = now_ms();
        for (struct conn_track *t = srv->tracks.next; t != &srv->tracks; t = t->next) {
            if (t->closing || !t->deadline_ms || now < t->deadline_ms || t->fd < 0)
                continue;
            t->closing = true;
            srv->slow_closed++;
            shutdown(t->fd, SHUT_RDWR);
            log_warn("msg=\"closing a connection past its deadline\" remote=%s "
                     "request_timeout_s=%u closed_so_far=%lu",
                     t->remote, srv->limits.request_timeout, srv->slow_closed);
        }
        for (int i = 0; i < srv->nlinger;) {
            static char sink[16384];
            ssize_t n;
            while ((n = recv(srv->linger[i].fd, sink, sizeof(sink), 0)) > 0)
                ;
            bool open =
                n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && now < srv->linger[i].until_ms;
            if (open) {
                i++;
                continue;
            }
            close(srv->linger[i].fd);
            srv->linger[i] = srv->linger[--srv->nlinger];
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->track_wake, &srv->track_lock, &ts);
    }
    for (int i = 0; i < srv->nlinger; i++)
        close(srv->linger[i].fd);
    srv->nlinger = 0;
    pthread_mutex_unlock(&srv->track_lock);
    return NULL;
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

const char *http_query(struct http_request *req, const char *name)
{
    /* no connection: a request made in-process (tests/fuzz/fuzz_api.c) has none */
    return req->conn ? MHD_lookup_connection_value(req->conn->mc, MHD_GET_ARGUMENT_KIND, name)
                     : NULL;
}

const char *http_header(struct http_request *req, const char *name)
{
    return req->conn ? MHD_lookup_connection_value(req->conn->mc, MHD_HEADER_KIND, name) : NULL;
}

const char *http_cookie(struct http_request *req, const char *name)
{
    return req->conn ? MHD_lookup_connection_value(req->conn->mc, MHD_COOKIE_KIND, name) : NULL;
}

void http_set_header(struct http_response *resp, const char *name, const char *value)
{
    if (resp->nheaders >= (int)(sizeof(resp->headers) / sizeof(resp->headers[0])))
        return;
    resp->headers[resp->nheaders].name = name;
    resp->headers[resp->nheaders].value = xstrdup(value);
    resp->nheaders++;
}

static const struct {
    const char *ext;
    const char *type;
} mime_types[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".mjs", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".json", "application/json" },
    { ".webmanifest", "application/manifest+json" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".jpg", "image/jpeg" },
    { ".ico", "image/x-icon" },
    { ".woff2", "font/woff2" },
    { ".map", "application/json" },
    { ".txt", "text/plain; charset=utf-8" },
};

bool http_serve_file(struct http_request *req, const char *root, const char *p,
                     const char *cache_control, struct http_response *resp)
{
    char path[1024];
    struct stat sb;
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))
        return false;
    if (strstr(p, "..") || strchr(p, '\\'))
        return false;
    int n = snprintf(path, sizeof(path), "%s%s", root, p);
    if (n < 0 || (size_t)n >= sizeof(path) - 16)
        return false;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t l = strlen(path);
        snprintf(path + l, sizeof(path) - l, "%sindex.html", path[l - 1] == '/' ? "" : "/");
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (64 << 20)) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    void *data = xmalloc((size_t)sb.st_size);
    ssize_t got = read(fd, data, (size_t)sb.st_size);
    close(fd);
    if (got != sb.st_size) {
        free(data);
        return false;
    }
    const char *type = "application/octet-stream";
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
        if (strcmp(dot, mime_types[i].ext) == 0)
            type = mime_types[i].type;
    resp->status = 200;
    resp->content_type = type;
    resp->raw = data;
    resp->raw_len = (size_t)sb.st_size;
    if (cache_control)
        http_set_header(resp, "Cache-Control", cache_control);
    return true;
}

/* ---- streams ---- */

/* With s->lock held: the connection to resume after unlocking (NULL = none). */
static struct MHD_Connection *stream_wake(struct http_stream *s)
{
    if (!s->suspended || !s->mc)
        return NULL;
    s->suspended = false;
    return s->mc;
}

static void stream_unref(struct http_stream *s)
{
    pthread_mutex_lock(&s->lock);
    bool last = --s->refs == 0;
    pthread_mutex_unlock(&s->lock);
    if (!last)
        return;
    pthread_mutex_destroy(&s->lock);
    free(s->buf);
    free(s);
}

/* libmicrohttpd's content reader: queued bytes, else the end, else suspend until a push. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct http_stream *s = cls;
    (void)pos;
    pthread_mutex_lock(&s->lock);
    if (s->len > s->off) {
        size_t n = s->len - s->off < max ? s->len - s->off : max;
        memcpy(buf, s->buf + s->off, n);
        s->off += n;
        if (s->off == s->len)
            s->off = s->len = 0;
        pthread_mutex_unlock(&s->lock);
        return (ssize_t)n;
    }
    if (s->ended) {
        pthread_mutex_unlock(&s->lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    /* under the lock, so a push sees `suspended` only once the connection is suspended */
    s->suspended = true;
    MHD_suspend_connection(s->mc);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

/* libmicrohttpd destroyed the response: the client is gone or the stream was sent. */
static void stream_mhd_free(void *cls)
{
    struct http_stream *s = cls;
    struct http_server *srv = s->srv;
    pthread_mutex_lock(&srv->streams_lock);
    s->prev->next = s->next;
    s->next->prev = s->prev;
    unsigned open = --srv->nstreams;
    pthread_mutex_unlock(&srv->streams_lock);
    pthread_mutex_lock(&s->lock);
    s->mhd_done = true;
    s->suspended = false;
    s->mc = NULL;
    s->srv = NULL;
    pthread_mutex_unlock(&s->lock);
    log_info("msg=\"stream closed\" streams_open=%u", open);
    stream_unref(s);
}

struct http_stream *http_stream_open(struct http_request *req, struct http_response *resp,
                                     const char *content_type)
{
    struct http_server *srv = req->conn->srv;
    unsigned max = srv->limits.max_streams ? srv->limits.max_streams : STREAMS_DEFAULT;
    pthread_mutex_lock(&srv->streams_lock);
    if (srv->nstreams >= max || srv->streams_closed) {
        pthread_mutex_unlock(&srv->streams_lock);
        return NULL;
    }
    struct http_stream *s = xcalloc(1, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
    s->srv = srv;
    s->mc = req->conn->mc;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(s->mc, MHD_CONNECTION_INFO_CONNECTION_FD);
    s->fd = ci ? ci->connect_fd : -1;
    s->refs = 2;
    s->next = &srv->streams;
    s->prev = srv->streams.prev;
    s->prev->next = s;
    srv->streams.prev = s;
    srv->nstreams++;
    pthread_mutex_unlock(&srv->streams_lock);
    /* a dead peer is noticed when a write fails; a peer that stops reading, after this long */
    MHD_set_connection_option(s->mc, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)STREAM_TIMEOUT_S);
    resp->status = 200;
    resp->content_type = content_type;
    resp->stream = s;
    http_set_header(resp, "Cache-Control", "no-store");
    http_set_header(resp, "X-Accel-Buffering", "no"); /* a proxy in front must not buffer it */
    return s;
}

bool http_stream_push(struct http_stream *s, const char *data, size_t len)
{
    pthread_mutex_lock(&s->lock);
    if (s->ended || s->mhd_done) {
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    bool ok = s->len - s->off + len <= STREAM_QUEUE_MAX;
    if (!ok) {
        s->ended = true; /* the client does not read: end it (it resumes by its cursor) */
        log_warn("msg=\"stream dropped: the client does not read\" queued=%zu", s->len - s->off);
    } else {
        if (s->off) {
            memmove(s->buf, s->buf + s->off, s->len - s->off);
            s->len -= s->off;
            s->off = 0;
        }
        if (s->len + len > s->cap) {
            s->cap = (s->len + len) * 2;
            s->buf = xrealloc(s->buf, s->cap);
        }
        memcpy(s->buf + s->len, data, len);
        s->len += len;
    }
    struct MHD_Connection *mc = stream_wake(s);
    pthread_mutex_unlock(&s->lock);
    if (mc)
        MHD_resume_connection(mc);
    return ok;
}

bool http_stream_ended(struct http_stream *s)
{
    pthread_mutex_lock(&s->lock);
    struct MHD_Connection *mc = NULL;
    if (!s->ended && s->suspended && s->mc && s->fd >= 0) {
        /* libmicrohttpd does not watch a suspended connection: see whether the client left
         * (end of stream or an error; bytes of a next request are left where they are) */
        char c;
        ssize_t n = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            s->ended = true;
            mc = stream_wake(s); /* libmicrohttpd then closes it */
        }
    }
    bool ended = s->ended || s->mhd_done;
    pthread_mutex_unlock(&s->lock);
    if (mc)
        MHD_resume_connection(mc);
    return ended;
}

void http_stream_release(struct http_stream *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->ended = true;
    struct MHD_Connection *mc = stream_wake(s);
    pthread_mutex_unlock(&s->lock);
    if (mc)
        MHD_resume_connection(mc);
    stream_unref(s);
}

/* End every stream (shutdown): each sends what is queued, then ends; none is left suspended,
 * as libmicrohttpd cannot stop with suspended connections. */
static void streams_end_all(struct http_server *srv)
{
    pthread_mutex_lock(&srv->streams_lock);
    srv->streams_closed = true;
    size_t n = 0;
    struct MHD_Connection **mcs = xcalloc(srv->nstreams + 1, sizeof(*mcs));
    for (struct http_stream *s = srv->streams.next; s != &srv->streams; s = s->next) {
        pthread_mutex_lock(&s->lock);
        s->ended = true;
        struct MHD_Connection *mc = stream_wake(s);
        pthread_mutex_unlock(&s->lock);
        if (mc)
            mcs[n++] = mc;
    }
    pthread_mutex_unlock(&srv->streams_lock);
    for (size_t i = 0; i < n; i++)
        MHD_resume_connection(mcs[i]);
    free(mcs);
}

static void response_release(struct http_response *resp)
{
    strbuf_release(&resp->body);
    free(resp->raw);
    for (int i = 0; i < resp->nheaders; i++)
        free(resp->headers[i].value);
}

static enum MHD_Result send_response(struct MHD_Connection *mc, struct http_response *resp,
                                     bool secure)
{
    struct MHD_Response *r;
    if (resp->stream) {
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, resp->stream,
                                              stream_mhd_free);
        if (!r)
            stream_mhd_free(resp->stream);
        resp->stream = NULL;
    } else if (resp->raw) {
        r = MHD_create_response_from_buffer(resp->raw_len, resp->raw, MHD_RESPMEM_MUST_FREE);
        resp->raw = NULL;
    } else {
        size_t len;
        char *b = strbuf_detach(&resp->body, &len);
        r = MHD_create_response_from_buffer(len, b, MHD_RESPMEM_MUST_FREE);
    }
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type",
                            resp->content_type ? resp->content_type : "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    if (secure) /* browsers take it only over HTTPS, and then never use plain HTTP here */
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    for (int i = 0; i < resp->nheaders; i++)
        MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
    enum MHD_Result ret = MHD_queue_response(mc, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result add_arg_len(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    size_t *len = cls;
    (void)kind;
    *len += strlen(key) + (value ? strlen(value) : 0) + 2; /* "?k=v" / "&k=v" */
    return MHD_YES;
}

static void log_path(const char *url, char *out, size_t outlen);

struct header_join {
    const char *name;
    struct strbuf *sb;
};

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct header_join *j = cls;
    (void)kind;
    if (strcasecmp(key, j->name) != 0)
        return MHD_YES;
    if (j->sb->len)
        strbuf_adds(j->sb, ", ");
    strbuf_adds(j->sb, value ? value : "");
    return MHD_YES;
}

/* Every field named name, joined by ", " as RFC 9110 allows (NULL when there is none;
 * borrowed from sb). */
static const char *header_all(struct MHD_Connection *mc, const char *name, struct strbuf *sb)
{
    struct header_join j = { name, sb };
    strbuf_init(sb, 16384);
    MHD_get_connection_values(mc, MHD_HEADER_KIND, join_header, &j);
    if (!MHD_lookup_connection_value(mc, MHD_HEADER_KIND, name))
        return NULL;
    return sb->buf ? sb->buf : "";
}

/* The request's client: the peer, or whom a trusted proxy names (http/proxy.h); and whether
 * it came over HTTPS. Once per request, before anything uses the address. */
static void client_find(struct http_conn *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c->mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    addr_text(ci ? ci->client_addr : NULL, c->peer, sizeof(c->peer));
    str_copy(c->remote, sizeof(c->remote), c->peer);
    c->secure = c->srv->tls || c->srv->force_secure;
    if (!c->srv->trusted.n || !proxy_list_contains(&c->srv->trusted, c->peer))
        return; /* nobody else's forwarding headers are even read */
    struct strbuf fwd, xff, xproto;
    struct proxy_result r;
    const char *fwd_s = header_all(c->mc, "Forwarded", &fwd);
    const char *xff_s = header_all(c->mc, "X-Forwarded-For", &xff);
    proxy_client(&c->srv->trusted, c->peer, fwd_s, xff_s,
                 header_all(c->mc, "X-Forwarded-Proto", &xproto), &r);
    if (r.source == PROXY_MALFORMED) {
        char f[200], x[200];
        log_path(fwd_s ? fwd_s : "-", f, sizeof(f));
        log_path(xff_s ? xff_s : "-", x, sizeof(x));
        log_warn("msg=\"unreadable forwarding header from a trusted proxy; using its own "
                 "address\" peer=%s forwarded=%s x_forwarded_for=%s",
                 c->peer, f, x);
    }
    strbuf_release(&fwd);
    strbuf_release(&xff);
    strbuf_release(&xproto);
    str_copy(c->remote, sizeof(c->remote), r.client);
    c->secure = c->secure || r.https;
}

/* Method, path, client address and connection of a request (body left empty). */
static void request_fill(struct http_request *req, struct http_conn *c, const char *method,
                         const char *url)
{
    req->method = method;
    req->path = url;
    req->body = "";
    req->conn = c;
    str_copy(req->remote, sizeof(req->remote), c->remote);
    str_copy(req->peer, sizeof(req->peer), c->peer);
    req->secure = c->secure;
    req->admitted = c->admitted;
}

/* url for a log line: at most 256 bytes, control characters, '"' and '\\' as \xNN, so a
 * decoded %0a in a path cannot start a forged line (nor a space a forged field: as \x20). */
static void log_path(const char *url, char *out, size_t outlen)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i = 0;
    for (; url[i] && i < 256 && o + 5 < outlen; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c < 0x21 || c == 0x7f || c == '"' || c == '\\') {
            out[o++] = '\\', out[o++] = 'x', out[o++] = hex[c >> 4], out[o++] = hex[c & 15];
        } else {
            out[o++] = (char)c;
        }
    }
    if (url[i] && o + 4 < outlen) /* cut: say so */
        out[o++] = '.', out[o++] = '.', out[o++] = '.';
    out[o] = '\0';
}

/* Answer before the body was read (MHD then closes the connection if a body was coming). */
static enum MHD_Result answer_early(struct http_conn *c, const char *method, const char *url,
                                    struct http_response *resp)
{
    int status = resp->status;
    c->answered = true;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c->mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct conn_track *t = ci ? ci->socket_context : NULL;
    if (t) {
        pthread_mutex_lock(&c->srv->track_lock);
        t->linger = true;
        pthread_mutex_unlock(&c->srv->track_lock);
    }
    enum MHD_Result r = send_response(c->mc, resp, c->secure);
    response_release(resp);
    char path[1100];
    log_path(url, path, sizeof(path));
    log_info("method=%s path=%s status=%d duration_ms=%.2f body=unread remote=%s", method, path,
             status, elapsed_ms(&c->start), c->remote);
    return r;
}

/* Queue resp (released here) on c's connection and log the request. */
static enum MHD_Result answer(struct http_conn *c, const char *method, const char *url,
                              struct http_response *resp)
{
    int status = resp->status;
    enum MHD_Result ret = send_response(c->mc, resp, c->secure);
    response_release(resp);
    char path[1100];
    log_path(url, path, sizeof(path));
    log_info("method=%s path=%s status=%d duration_ms=%.2f remote=%s", method, path, status,
             elapsed_ms(&c->start), c->remote);
    return ret;
}

/* ---- the handler pool ----
 *
 * on_request suspends a connection whose request is in and queues it; a handler thread runs
 * the dispatch function into c->resp and resumes the connection, and libmicrohttpd then calls
 * on_request again on its own thread, which queues the answer. While suspended, nothing but
 * the handler touches the connection (libmicrohttpd neither reads it nor times it out). */
static bool job_push(struct http_server *srv, struct http_conn *c)
{
    pthread_mutex_lock(&srv->jobs_lock);
    if (srv->jobs_stop) { /* stopping: the caller answers it itself */
        pthread_mutex_unlock(&srv->jobs_lock);
        return false;
    }
    MHD_suspend_connection(c->mc);
    c->job_next = NULL;
    if (srv->jobs_tail)
        srv->jobs_tail->job_next = c;
    else
        srv->jobs_head = c;
    srv->jobs_tail = c;
    srv->jobs_running++;
    struct handler *h = srv->idle;
    if (h) {
        srv->idle = h->next_idle;
        h->is_idle = false;
        pthread_cond_signal(&h->wake);
    }
    pthread_mutex_unlock(&srv->jobs_lock);
    return true;
}

static void *handler_main(void *arg)
{
    struct handler *self = arg;
    struct http_server *srv = self->srv;
    pthread_mutex_lock(&srv->jobs_lock);
    for (;;) {
        while (!srv->jobs_head && !srv->jobs_stop) {
            if (!self->is_idle) { /* (not again after a spurious wake-up) */
                self->is_idle = true;
                self->next_idle = srv->idle;
                srv->idle = self;
            }
            pthread_cond_wait(&self->wake, &srv->jobs_lock);
        }
        struct http_conn *c = srv->jobs_head;
        if (!c)
            break; /* stopping, and nothing left */
        if (!(srv->jobs_head = c->job_next))
            srv->jobs_tail = NULL;
        pthread_mutex_unlock(&srv->jobs_lock);

        struct http_request req = { 0 };
        request_fill(&req, c, c->method, c->url);
        req.body = c->body.buf ? c->body.buf : "";
        req.body_len = c->body.len;
        req.body_too_big = c->too_big;
        strbuf_init(&c->resp.body, 0);
        c->resp.status = 500;
        srv->fn(srv->ctx, &req, &c->resp);
        c->handled = true;
        struct MHD_Connection *mc = c->mc; /* c may be gone once resumed */

        pthread_mutex_lock(&srv->jobs_lock);
        if (--srv->jobs_running == 0)
            pthread_cond_broadcast(&srv->jobs_idle);
        MHD_resume_connection(mc);
    }
    pthread_mutex_unlock(&srv->jobs_lock);
    return NULL;
}

/* Start n handler threads (fewer when the system refuses: as many as started serve). */
static void handlers_start(struct http_server *srv, unsigned n)
{
    pthread_mutex_init(&srv->jobs_lock, NULL);
    pthread_cond_init(&srv->jobs_idle, NULL);
    srv->handlers = xcalloc(n ? n : 1, sizeof(*srv->handlers));
    for (; srv->nhandlers < n; srv->nhandlers++) {
        struct handler *h = &srv->handlers[srv->nhandlers];
        h->srv = srv;
        pthread_cond_init(&h->wake, NULL);
        if (pthread_create(&h->thread, NULL, handler_main, h) != 0) {
            pthread_cond_destroy(&h->wake);
            break;
        }
    }
    if (srv->nhandlers < n)
        log_warn("msg=\"fewer request handlers than asked\" asked=%u started=%u", n,
                 srv->nhandlers);
}

/* Wait until every queued request is handled (its connection resumed), then end the
 * threads: libmicrohttpd must not be stopped with a connection still suspended. */
static void handlers_stop(struct http_server *srv)
{
    pthread_mutex_lock(&srv->jobs_lock);
    while (srv->jobs_running > 0)
        pthread_cond_wait(&srv->jobs_idle, &srv->jobs_lock);
    srv->jobs_stop = true;
    for (unsigned i = 0; i < srv->nhandlers; i++)
        pthread_cond_signal(&srv->handlers[i].wake);
    pthread_mutex_unlock(&srv->jobs_lock);
    for (unsigned i = 0; i < srv->nhandlers; i++) {
        pthread_join(srv->handlers[i].thread, NULL);
        pthread_cond_destroy(&srv->handlers[i].wake);
    }
    free(srv->handlers);
    pthread_cond_destroy(&srv->jobs_idle);
    pthread_mutex_destroy(&srv->jobs_lock);
}

/* Long on purpose: libmicrohttpd calls this once per chunk; its phases (admission, reading the
 * body, dispatch) share the connection's state. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct http_conn *c = *con_cls;
    (void)version;

    if (!c) {
        /* the headers are in, none of the body is read yet */
        c = xcalloc(1, sizeof(*c));
        c->srv = srv;
        c->mc = mc;
        c->target_len = strlen(url);
        MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, add_arg_len, &c->target_len);
        clock_gettime(CLOCK_MONOTONIC, &c->start);
        atomic_fetch_add(&srv->in_flight, 1);
        *con_cls = c;
        client_find(c);
        struct http_response resp = { 0 };
        strbuf_init(&resp.body, 0);
        if (srv->limits.url_max && c->target_len > srv->limits.url_max) {
            resp.status = 414;
            resp.content_type = "application/json; charset=utf-8";
            strbuf_addf(&resp.body,
                        "{\"error\":{\"code\":\"uri_too_long\",\"message\":\"the request target is "
                        "longer than %zu bytes\"}}",
                        srv->limits.url_max);
            return answer_early(c, method, url, &resp);
        }
        size_t cap = srv->limits.body_max;
        if (srv->admit) {
            struct http_request req = { 0 };
            request_fill(&req, c, method, url);
            resp.status = 500;
            bool ok = srv->admit(srv->ctx, &req, &cap, &resp);
            c->admitted = req.admitted; /* freed when the request ends, refused or not */
            if (!ok)
                return answer_early(c, method, url, &resp);
            c->quick = req.quick;
        }
        response_release(&resp);
        strbuf_init(&c->body, cap);
        const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Content-Length");
        unsigned long long expect = cl ? strtoull(cl, NULL, 10) : cap;
        if (cl && expect > c->body.cap)
            c->too_big = true;
        /* the body's deadline: request_timeout plus a second per min_rate bytes */
        size_t rate = srv->limits.min_rate ? srv->limits.min_rate : 1024;
        if (expect > cap)
            expect = cap;
        track_deadline(srv, mc,
                       ((int64_t)srv->limits.request_timeout + (int64_t)(expect / rate)) * 1000);
        return MHD_YES;
    }
    if (c->answered) {
        *upload_size = 0; /* already answered: drop whatever still arrives */
        return MHD_YES;
    }
    if (*upload_size) {
        if (!c->too_big) {
            strbuf_add(&c->body, upload_data, *upload_size);
            if (c->body.toobig)
                c->too_big = true;
        }
        *upload_size = 0;
        return MHD_YES;
    }

    if (c->handled) /* resumed: the handler's answer */
        return answer(c, method, url, &c->resp);
    track_deadline(srv, mc, 0); /* the request is in; libmicrohttpd times the answer */
    c->method = method;
    c->url = url;
    if (srv->nhandlers && !c->quick && job_push(srv, c))
        return MHD_YES;
    struct http_request req = { 0 };
    struct http_response resp = { 0 };
    request_fill(&req, c, method, url);
    req.body = c->body.buf ? c->body.buf : "";
    req.body_len = c->body.len;
    req.body_too_big = c->too_big;
    strbuf_init(&resp.body, 0);
    resp.status = 500;
    srv->fn(srv->ctx, &req, &resp);
    return answer(c, method, url, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct http_conn *c = *con_cls;
    (void)toe;
    /* the next request on this connection has request_timeout to arrive */
    track_deadline(srv, mc, (int64_t)srv->limits.request_timeout * 1000);
    if (!c)
        return;
    strbuf_release(&c->body);
    free(c->admitted);
    free(c);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

static void on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
    (void)cls;
    log_error("msg=\"libmicrohttpd panic\" file=%s line=%u reason=\"%s\"", file, line,
              reason ? reason : "");
    abort();
}

struct http_server *http_server_start(const char *addr, unsigned port,
                                      const struct http_limits *limits, http_admit_fn admit,
                                      http_dispatch_fn fn, void *ctx, char *err, size_t errlen)
{
    union {
        struct sockaddr sa;
        struct sockaddr_in v4;
        struct sockaddr_in6 v6;
    } sa = { 0 };
    unsigned family_flags = 0;
    char a6[INET6_ADDRSTRLEN + 2];
    size_t alen = strlen(addr);
    /* "[::1]" as well as "::1" */
    bool bracketed = alen > 2 && addr[0] == '[' && addr[alen - 1] == ']' && alen - 2 < sizeof(a6);
    if (bracketed) {
        memcpy(a6, addr + 1, alen - 2);
        a6[alen - 2] = '\0';
    }
    if (!bracketed && inet_pton(AF_INET, addr, &sa.v4.sin_addr) == 1) {
        sa.v4.sin_family = AF_INET;
        sa.v4.sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, bracketed ? a6 : addr, &sa.v6.sin6_addr) == 1) {
        sa.v6.sin6_family = AF_INET6;
        sa.v6.sin6_port = htons((uint16_t)port);
        /* the unspecified address: IPv4 clients too where the system allows (IPV6_V6ONLY off) */
        family_flags =
            IN6_IS_ADDR_UNSPECIFIED(&sa.v6.sin6_addr) ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
    } else {
        snprintf(err, errlen, "bad listen address %s (use an IPv4 or IPv6 address)", addr);
        return NULL;
    }
    const struct http_security *sec = limits->security;
    struct proxy_list trusted;
    char perr[160];
    if (!proxy_list_parse(sec ? sec->trusted_proxies : NULL, &trusted, perr, sizeof(perr))) {
        snprintf(err, errlen, "trusted proxies: %s", perr);
        return NULL;
    }
    bool tls = sec && ((sec->tls_cert && *sec->tls_cert) || (sec->tls_key && *sec->tls_key));
    if (tls && !(sec->tls_cert && *sec->tls_cert && sec->tls_key && *sec->tls_key)) {
        snprintf(err, errlen, "TLS needs both a certificate and a key file");
        return NULL;
    }
    if (tls && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
        snprintf(err, errlen, "this libmicrohttpd was built without TLS");
        return NULL;
    }
    if (tls && !tls_start(sec->tls_cert, sec->tls_key, err, errlen))
        return NULL;
    /* clang-format off */
    struct MHD_OptionItem tls_opts[] = {
        { tls ? MHD_OPTION_HTTPS_CERT_CALLBACK : MHD_OPTION_END, 0, (void *)tls_retrieve_cert },
        { MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES },
        { MHD_OPTION_END, 0, NULL },
    };
    /* clang-format on */
    struct http_server *srv = xcalloc(1, sizeof(*srv));
    srv->trusted = trusted;
    srv->tls = tls;
    srv->force_secure = sec && sec->force_secure;
    srv->limits = *limits;
    srv->admit = admit;
    srv->fn = fn;
    srv->ctx = ctx;
    atomic_init(&srv->in_flight, 0);
    pthread_mutex_init(&srv->track_lock, NULL);
    pthread_cond_init(&srv->track_wake, NULL);
    srv->tracks.next = srv->tracks.prev = &srv->tracks;
    pthread_mutex_init(&srv->streams_lock, NULL);
    srv->streams.next = srv->streams.prev = &srv->streams;
    MHD_set_panic_func(on_panic, NULL);
    /* the connection's memory pool (request headers, read buffer): libmicrohttpd clears all
     * of it between two requests of a keep-alive connection, so its size is paid on every
     * request — 64 KiB cost a get 14 % more instructions than 16 KiB (bench/read-cost.sh);
     * 32 KiB is libmicrohttpd's own default and leaves over 16 KiB for headers */
    enum { HTTP_CONN_POOL = 32 * 1024 };
    handlers_start(srv, limits->handlers);
    srv->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC |
            MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | family_flags | (tls ? MHD_USE_TLS : 0),
        0, on_accept, srv, on_request, srv, MHD_OPTION_SOCK_ADDR, &sa.sa, MHD_OPTION_ARRAY,
        tls_opts, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(limits->threads ? limits->threads : 4),
        MHD_OPTION_CONNECTION_TIMEOUT, limits->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        HTTP_CONN_POOL, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(limits->max_conns ? limits->max_conns : 1000),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)limits->max_per_address,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
    if (!srv->d) {
        snprintf(err, errlen, "cannot listen on %s:%u: %s", addr, port, strerror(errno));
        handlers_stop(srv);
        goto fail;
    }
    if (limits->request_timeout) {
        if (pthread_create(&srv->watchdog, NULL, watchdog_main, srv) != 0) {
            snprintf(err, errlen, "cannot start the connection watchdog");
            MHD_stop_daemon(srv->d);
            handlers_stop(srv);
            goto fail;
        }
        srv->watchdog_started = true;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : port;
    return srv;
fail:
    if (tls)
        tls_stop();
    pthread_mutex_destroy(&srv->streams_lock);
    pthread_cond_destroy(&srv->track_wake);
    pthread_mutex_destroy(&srv->track_lock);
    free(srv);
    return NULL;
}

unsigned http_server_port(const struct http_server *srv)
{
    return srv->port;
}

bool http_server_tls(const struct http_server *srv)
{
    return srv->tls;
}

bool http_server_reload_tls(struct http_server *srv, char *err, size_t errlen)
{
    if (!srv->tls) {
        snprintf(err, errlen, "TLS is off");
        return false;
    }
    return tls_reload(err, errlen);
}

void http_server_quiesce(struct http_server *srv)
{
    if (srv)
        atomic_store(&srv->quiesced, true);
}

void http_server_stop(struct http_server *srv, int grace_ms)
{
    if (!srv)
        return;
    http_server_quiesce(srv);
    streams_end_all(srv); /* they would hold the grace to its end */
    for (int waited = 0; waited < grace_ms && atomic_load(&srv->in_flight) > 0; waited += 10) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    streams_end_all(srv); /* one a request in flight opened meanwhile */
    handlers_stop(srv);   /* no connection may stay suspended for MHD_stop_daemon */
    MHD_stop_daemon(srv->d);
    if (srv->watchdog_started) {
        pthread_mutex_lock(&srv->track_lock);
        srv->stopping = true;
        pthread_cond_signal(&srv->track_wake);
        pthread_mutex_unlock(&srv->track_lock);
        pthread_join(srv->watchdog, NULL);
    }
    if (srv->tls)
        tls_stop(); /* libmicrohttpd has let go of every session */
    pthread_cond_destroy(&srv->track_wake);
    pthread_mutex_destroy(&srv->track_lock);
    pthread_mutex_destroy(&srv->streams_lock);
    free(srv);
}
