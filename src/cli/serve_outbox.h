#ifndef ALO_CLI_SERVE_OUTBOX_H
#define ALO_CLI_SERVE_OUTBOX_H
/*
 * The outbox sender of `alo153 serve` (issue 15; docs/MESSAGES.md): a background job that
 * sends the due outbox rows through the transports of notify/transport.h. Configured by
 * serve's --smtp-url, --mail-from, --smtp-credentials, --sms-config (and their ALO153_*
 * environment variables); timing by the environment (tests and benchmarks shorten it):
 *   ALO153_OUTBOX_PERIOD_MS  how often due messages are looked for (default 1000)
 *   ALO153_OUTBOX_BACKOFF_MS the first retry's delay, doubled each try (default 2000)
 *   ALO153_OUTBOX_CAP_MS     the longest delay (default 300000: five minutes)
 *   ALO153_OUTBOX_TRIES      tries before a message is dead (default 20: about an hour of
 *                            outage survived, docs/MESSAGES.md)
 *   ALO153_OUTBOX_LEASE_S    how long a claim lasts (default 60)
 *   ALO153_OUTBOX_BATCH      messages claimed, sent and recorded together (default 32)
 *   ALO153_OUTBOX_ONE_BY_ONE 1: each outcome in its own transaction (the old sender; bench)
 * WhatsApp: --whatsapp-config FILE (env ALO153_WHATSAPP_CONFIG; notify_whatsapp_config_load).
 */
#include <stdbool.h>

#include "notify/transport.h"
#include "workers/workers.h"

/* Parse serve's outgoing-message options into the static configuration (call before
 * serve_jobs_start): smtp_url, mail_from, credentials file (may be NULL), SMS config file (may
 * be NULL). false with a message on stderr. */
bool serve_outbox_configure(const char *smtp_url, const char *mail_from, const char *smtp_cred,
                            const char *sms_config);
/* Register the sender job with w (before workers_start). */
int serve_outbox_add(struct workers *w);

#endif
