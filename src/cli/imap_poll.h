#ifndef ALO_CLI_IMAP_POLL_H
#define ALO_CLI_IMAP_POLL_H
/*
 * The IMAP poller of `alo153 serve` (issue 15; docs/INTAKE.md): every period, the messages of
 * the mailbox with a UID above the last one taken (setting "imap.last_uid") are fetched with
 * libcurl and taken in one by one (core/mail_intake.h). Configured by --imap-url / ALO153_IMAP_URL
 * (imap:// or imaps://host[:port]/MAILBOX) and a credentials file (--imap-credentials /
 * ALO153_IMAP_CREDENTIALS: one line "user:password"); ALO153_IMAP_INTERVAL seconds (60).
 * Several serve processes may poll one mailbox: a message is taken once (its id is the key of
 * intake_messages), and on PostgreSQL only the holder of an advisory lock polls at all.
 */
#include <stdbool.h>

#include "workers/workers.h"

struct imap_poll {
    char url[512];
    char user[256];
    char password[256];
    unsigned interval_ms;
};

/* Read the configuration from the environment. false when no URL is set (no poller);
 * false with a message on stderr (*bad set) when it is set but unusable. */
bool imap_poll_config(struct imap_poll *p, bool *bad);
/* One run of the job (workers_fn): ctx is the struct imap_poll. */
int imap_poll_run(struct workers_job *job, void *ctx, struct err_detail *ed);

#endif
