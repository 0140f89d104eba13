#include "cli/serve_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/outbox.h"
#include "util/log.h"
#include "util/str.h"
#include "util/banned.h"

static struct notify_config cfg;
static struct outbox_sender sender;
static unsigned period_ms = 1000;

static long env_num(const char *name, long dflt, long min, long max)
{
    const char *v = getenv(name);
    char *end;
    long n = v && *v ? strtol(v, &end, 10) : dflt;
    if (v && *v && (*end || n < min || n > max)) {
        fprintf(stderr, "alo153 serve: %s must be %ld..%ld; using %ld\n", name, min, max, dflt);
        n = dflt;
    }
    return n;
}

bool serve_outbox_configure(const char *smtp_url, const char *mail_from, const char *smtp_cred,
                            const char *sms_config)
{
    char err[256] = "";
    memset(&cfg, 0, sizeof(cfg));
    if (smtp_url && *smtp_url) {
        if (strncmp(smtp_url, "smtp://", 7) != 0 && strncmp(smtp_url, "smtps://", 8) != 0) {
            fprintf(stderr, "alo153 serve: --smtp-url must be smtp://host:port or smtps://…\n");
            return false;
        }
        if (!mail_from || !strchr(mail_from, '@')) {
            fprintf(stderr, "alo153 serve: --smtp-url needs --mail-from ADDRESS\n");
            return false;
        }
        if (!str_copy(cfg.smtp.url, sizeof(cfg.smtp.url), smtp_url) ||
            !str_copy(cfg.smtp.from, sizeof(cfg.smtp.from), mail_from)) {
            fprintf(stderr, "alo153 serve: --smtp-url or --mail-from is too long\n");
            return false;
        }
        if (smtp_cred && *smtp_cred &&
            !notify_read_credentials(smtp_cred, cfg.smtp.user, sizeof(cfg.smtp.user),
                                     cfg.smtp.password, sizeof(cfg.smtp.password), err,
                                     sizeof(err))) {
            fprintf(stderr, "alo153 serve: --smtp-credentials: %s\n", err);
            return false;
        }
    }
    if (sms_config && *sms_config &&
        !notify_sms_config_load(sms_config, &cfg.sms, err, sizeof(err))) {
        fprintf(stderr, "alo153 serve: --sms-config: %s\n", err);
        return false;
    }
    const char *wa = getenv("ALO153_WHATSAPP_CONFIG");
    if (wa && *wa && !notify_whatsapp_config_load(wa, &cfg.whatsapp, err, sizeof(err))) {
        fprintf(stderr, "alo153 serve: --whatsapp-config: %s\n", err);
        return false;
    }
    core_outbox_whatsapp_enable(cfg.whatsapp.base[0] != 0);
    period_ms = (unsigned)env_num("ALO153_OUTBOX_PERIOD_MS", 1000, 10, 3600000);
    sender.base_ms = env_num("ALO153_OUTBOX_BACKOFF_MS", 2000, 1, 86400000);
    sender.cap_ms = env_num("ALO153_OUTBOX_CAP_MS", 300000, 1, 86400000);
    sender.max_attempts = (int)env_num("ALO153_OUTBOX_TRIES", 20, 1, 1000);
    sender.lease_s = env_num("ALO153_OUTBOX_LEASE_S", 60, 1, 86400);
    sender.batch = (int)env_num("ALO153_OUTBOX_BATCH", 32, 1, 500);
    sender.one_by_one = env_num("ALO153_OUTBOX_ONE_BY_ONE", 0, 0, 1) == 1;
    notify_global_init();
    return true;
}

static enum notify_result send_one(void *ctx, const struct outbox_msg *m, char *ref, size_t reflen,
                                   char *err, size_t errlen)
{
    const struct notify_config *c = ctx;
    if (strcmp(m->channel, OUTBOX_EMAIL) == 0) {
        char mid[MSG_KEY_LEN + 16];
        snprintf(mid, sizeof(mid), "%s@alo153", m->idem_key);
        return notify_smtp_send(&c->smtp, m->recipient, m->subject ? m->subject : "",
                                m->body ? m->body : "", mid, err, errlen);
    }
    if (strcmp(m->channel, OUTBOX_SMS) == 0)
        return notify_sms_send(&c->sms, m->recipient, m->body ? m->body : "", m->idem_key, err,
                               errlen);
    if (strcmp(m->channel, OUTBOX_WHATSAPP) == 0)
        return notify_whatsapp_send(&c->whatsapp, m->recipient, m->body ? m->body : "", m->idem_key,
                                    ref, reflen, err, errlen);
    str_copy(err, errlen, "no transport for this channel");
    return NOTIFY_UNCONFIGURED;
}

static bool job_stopping(void *ctx)
{
    return workers_stopping(ctx);
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* outbox-sender: send what is due, batch after batch, until nothing is due or stop. */
static int outbox_send(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    (void)ctx;
    struct store *st;
    int rc = workers_store(job, &st, ed);
    struct outbox_transport t = { send_one, &cfg };
    int sent = 1;
    while (rc == ERR_OK && sent > 0 && !workers_stopping(job)) {
        rc = core_outbox_send_due(st, &t, &sender, wall_ms(), &sent, job_stopping, job, ed);
        if (sent > 0)
            log_info("msg=\"outbox sent\" n=%d", sent);
    }
    return rc;
}

int serve_outbox_add(struct workers *w)
{
    return workers_add(w, "outbox-sender", outbox_send, NULL, period_ms);
}
