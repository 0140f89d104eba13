#ifndef ALO_HTTP_HTTP_H
#define ALO_HTTP_HTTP_H
/*
 * The only code that knows libmicrohttpd. It reads a whole request (within the limits),
 * hands it to one dispatch function, sends what that function put in the response, and
 * logs one line per request. It knows no route: which path is what, and the body cap of each,
 * the application decides through the admit and dispatch callbacks; http_serve_file answers
 * with a file from a folder the application names.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct http_server;
struct http_conn; /* opaque per-request state */

/* TLS and what to believe of a reverse proxy in front (docs/DEPLOYMENT.md). */
struct http_security {
    /* PEM files; both set = HTTPS only on this listener (TLS 1.2 or newer), reloadable with
     * http_server_reload_tls. At most one TLS listener per process. */
    const char *tls_cert, *tls_key;
    /* "CIDR[,CIDR…]": peers whose Forwarded / X-Forwarded-For / X-Forwarded-Proto are believed
     * (http/proxy.h); NULL or "" = nobody's */
    const char *trusted_proxies;
    bool force_secure; /* every request counts as HTTPS (TLS ends before a proxy that says not) */
};

struct http_limits {
    size_t body_max;  /* bytes of a body unless the admit function says otherwise (413 above) */
    size_t url_max;   /* bytes of the request target (414 above) */
    unsigned threads; /* libmicrohttpd's threads: reading requests, sending answers */
    /* Threads that run the dispatch function (0: it runs on libmicrohttpd's threads). A
     * libmicrohttpd thread serves many connections in turn, so a request that waits (for a
     * durable commit, a slow report) would hold up every other connection of its thread, and
     * a group commit could gather at most `threads` requests; handed to a handler, the
     * request's connection waits suspended while its thread goes on. */
    unsigned handlers;
    unsigned conn_timeout;    /* seconds an idle connection is kept (every byte resets it) */
    unsigned max_conns;       /* connections in all (0 = 1000) */
    unsigned max_per_address; /* connections from one client address (0 = no cap) */
    /* Absolute deadlines that a trickle of bytes cannot push back (slow-connection attacks):
     * a request's headers must be in within request_timeout seconds of the connection's start
     * or of the previous answer; its body within request_timeout more plus one second per
     * min_rate bytes (of Content-Length, else of the cap). A connection past its deadline is
     * closed. 0 = off. */
    unsigned request_timeout;
    size_t min_rate; /* bytes per second (0 = 1024) */
    /* Event streams open at once (http_stream_open; 0 = 256). A stream is not held to
     * request_timeout or min_rate (it is an answer being sent) and holds no worker thread. */
    unsigned max_streams;
    const struct http_security *security; /* NULL = plain HTTP, no trusted proxy */
};

struct http_request {
    const char *method; /* "GET", "POST", … */
    const char *path;   /* decoded path, without the query string */
    const char *body;   /* NUL-terminated copy of the body ("" when none) */
    size_t body_len;
    bool body_too_big; /* the body passed its limit and was dropped */
    char remote[64];   /* client address, for rate limits and logs: the peer's own, or the one
                        * a trusted proxy forwarded (canonical text, IPv4-mapped as IPv4) */
    char peer[64];     /* the address of the connection's other end */
    bool secure;       /* over HTTPS: TLS here, a trusted proxy's https, or force_secure.
                        * Cookies get Secure; the answer carries Strict-Transport-Security. */
    bool quick; /* (set by admit) answer on libmicrohttpd's thread, not a handler's: a request
                 * that never waits (health, static files) saves two thread switches */
    /* (set by admit, optional) what admission found out, handed to dispatch: a malloc'd block
     * the server frees with free() when the request ends */
    void *admitted;
    struct http_conn *conn;
};

struct http_header {
    const char *name;
    char *value; /* owned */
};

struct http_stream; /* a response whose body is produced over time (server-sent events) */

struct http_response {
    int status;
    const char *content_type; /* static string */
    struct strbuf body;
    void *raw; /* alternative to body: owned bytes (attachments) */
    size_t raw_len;
    struct http_header headers[6];
    int nheaders;
    struct http_stream *stream; /* set by http_stream_open: the body comes from the stream */
};

/* The application's dispatch function: fill resp from req. ctx is http_server_start's ctx. */
typedef void (*http_dispatch_fn)(void *ctx, struct http_request *req, struct http_response *resp);

/* The application's admission function, called once per request as soon as its headers are in
 * and before any of its body is read (req->body is "" then; headers, cookies and the query are
 * there). Return true to read the body, up to *body_max bytes (preset to limits.body_max; a
 * larger Content-Length, or more bytes, reach dispatch as body_too_big). Return false with resp
 * filled (e.g. 401, 403, 404, 405, 413) to answer at once: the body is never read and the
 * connection is closed after the answer. */
typedef bool (*http_admit_fn)(void *ctx, struct http_request *req, size_t *body_max,
                              struct http_response *resp);

/* Start serving on addr:port (addr an IPv4 or IPv6 address, e.g. "127.0.0.1", "::1", "[::1]";
 * "::" listens on IPv6 and, where the system allows, IPv4 too; port 0 = any free one). admit may be
 * NULL (every body is read up to limits.body_max). fn and admit get ctx. Returns NULL with a
 * message in err (errlen bytes) on failure. */
struct http_server *http_server_start(const char *addr, unsigned port,
                                      const struct http_limits *limits, http_admit_fn admit,
                                      http_dispatch_fn fn, void *ctx, char *err, size_t errlen);
/* The port actually bound. */
unsigned http_server_port(const struct http_server *srv);
/* Does srv speak TLS? */
bool http_server_tls(const struct http_server *srv);
/* Read srv's certificate and key files again: new connections get them, open ones keep theirs.
 * false with a message in err when they are unusable (the old ones stay) or TLS is off. */
bool http_server_reload_tls(struct http_server *srv, char *err, size_t errlen);
/* Stop accepting, wait up to grace_ms for requests in flight to finish, then stop. */
void http_server_stop(struct http_server *srv, int grace_ms);
/* Accept no new connection from now on (those open are served on): one that comes is closed
 * at once, unread. http_server_stop does it too. serve calls it before it says it is shutting
 * down, so that a client who reads that and connects is never answered. */
void http_server_quiesce(struct http_server *srv);

/* Request accessors (borrowed strings, valid during dispatch; NULL when absent). */
const char *http_query(struct http_request *req, const char *name);
const char *http_header(struct http_request *req, const char *name);
const char *http_cookie(struct http_request *req, const char *name);

/* Response helpers. */
void http_set_header(struct http_response *resp, const char *name, const char *value);
/* Answer a GET or HEAD with the file root + path (a folder: its index.html), typed by its
 * extension, with the Cache-Control header cache_control (NULL = none). false, resp untouched,
 * for another method, a path containing ".." or '\\', or no regular file of 64 MiB at most
 * there. The file's bytes are owned by resp. */
bool http_serve_file(struct http_request *req, const char *root, const char *path,
                     const char *cache_control, struct http_response *resp);

/* ---- streams (server-sent events) ----
 * A stream's bytes are queued by any thread and sent as the client reads them; the connection
 * waits suspended (no worker thread) while nothing is queued. Streams end when their owner
 * releases them, when the client goes away, when a client does not read (more than 256 KiB
 * queued) and at http_server_stop, which ends every stream at once so that stopping does not
 * wait for them. */

/* Answer req with a stream: resp becomes 200 with Content-Type content_type (static string),
 * Cache-Control: no-store, and the body the stream's bytes. Returns the stream, owned by the
 * caller (one reference: http_stream_release), or NULL, resp untouched, when the server's
 * max_streams streams are open (the caller answers 503). */
struct http_stream *http_stream_open(struct http_request *req, struct http_response *resp,
                                     const char *content_type);
/* Queue len bytes. false (nothing queued) once the stream has ended. Any thread. */
bool http_stream_push(struct http_stream *s, const char *data, size_t len);
/* Has the stream ended (client gone, server stopping, too much unread)? A client that closed
 * its side while nothing was being sent is noticed here, so the owner should ask now and then
 * (the live hub does every tick). */
bool http_stream_ended(struct http_stream *s);
/* End the stream after its queued bytes are sent, and drop the caller's reference. */
void http_stream_release(struct http_stream *s);

#endif
