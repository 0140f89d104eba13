#ifndef ALO_MODEL_LIMITS_H
#define ALO_MODEL_LIMITS_H
/*
 * Every run-time limit of `alo153 serve`, with its default, in one place. serve starts from
 * limits_default and applies its options (docs: `alo153 serve --help`); the http and api
 * layers get their settings from the result. Limits fixed at build time are where the
 * buffers they protect are: the record field sizes in model/model.h and the input limits of
 * core/app.h (CORE_TEXT_MAX, CORE_ADDRESS_MAX, CORE_NOTE_MAX, CORE_ATTACH_MAX).
 */
#include <stddef.h>

struct limits {
    /* the HTTP server (http/http.h) */
    size_t body_max;          /* bytes of a JSON or form request body; 413 above (1 MiB) */
    size_t upload_max;        /* bytes of one uploaded file; 413 above (10 MiB) */
    size_t url_max;           /* bytes of a request's URL (4096) */
    unsigned threads;         /* HTTP threads: reading requests, sending answers (4; at most 64) */
    unsigned handlers;        /* threads that run requests (32; 0 = the HTTP threads do;
                               * at most 64): http/http.h says why */
    unsigned idle_timeout;    /* seconds a kept-alive connection may idle (30) */
    unsigned max_conns;       /* open connections in all (1000) */
    unsigned max_per_address; /* open connections from one client address; 0 = no cap (200) */
    unsigned request_timeout; /* seconds for a request's headers, and for its body beyond
                               * one second per min_rate bytes; 0 = off (30) */
    size_t min_rate;          /* slowest body transfer accepted, bytes per second (8192) */
    unsigned max_streams;     /* live event streams (GET /api/v1/live) open at once (256) */
    /* the API (api/api.h) */
    int session_hours;              /* a login session's lifetime (12) */
    int public_rate_per_hour;       /* web-form submissions per client address per hour (20) */
    int login_failures_per_hour;    /* failed logins per client address and hour before every
                                     * login from it is refused; far above an office's typos,
                                     * the per-account backoff does the work (1000) */
    int tracking_failures_per_hour; /* wrong public tracking lookups per address (60) */
};

extern const struct limits limits_default;

#endif
