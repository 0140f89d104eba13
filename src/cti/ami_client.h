#ifndef ALO_CTI_AMI_CLIENT_H
#define ALO_CTI_AMI_CLIENT_H
/*
 * The AMI connection: connect to Asterisk, log in, read events, map them (ami.h) and record
 * each through core_call_event (core/contact.h, the function behind POST
 * /api/v1/telephony/events) as the exchange's user. Reconnects with exponential backoff
 * (backoff_min_ms doubling up to backoff_max_ms, back to the minimum after a login); an event
 * replayed after a reconnect has the same (call, type, time) key and is recorded once.
 */
#include <signal.h>
#include <stdint.h>

#include "cti/ami.h"
#include "store/store.h"

struct ami_client_opts {
    const char *host;
    int port;
    const char *user, *secret;
    const struct ami_agent_map *map; /* may be NULL */
    int exit_after;                  /* stop after this many connection attempts (0 = never) */
    int backoff_min_ms, backoff_max_ms;
    int login_timeout_ms;              /* Asterisk must answer the Login within this */
    const volatile sig_atomic_t *stop; /* set (by a signal) to stop; may be NULL */
};

struct ami_stats {
    unsigned long attempts, logins;
    unsigned long messages, malformed; /* messages read, lines and messages skipped */
    unsigned long recorded, duplicates, ignored, refused;
};

/* Run until opts->stop is set, or until exit_after attempts have ended. Returns 0, or 1 when
 * Asterisk refused the login (a wrong user or secret does not mend itself) or the last
 * attempt could not log in. The store st is the caller's. */
int ami_client_run(struct store *st, const struct ami_client_opts *opts, struct ami_stats *stats);

#endif
