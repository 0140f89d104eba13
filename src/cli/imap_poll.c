#include "cli/imap_poll.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mail_intake.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

#define IMAP_MESSAGE_MAX (25u << 20) /* a larger message is fetched no further */
#define IMAP_BATCH 200               /* messages per run at most */

bool imap_poll_config(struct imap_poll *p, bool *bad)
{
    memset(p, 0, sizeof(*p));
    *bad = false;
    const char *url = getenv("ALO153_IMAP_URL");
    if (!url || !*url)
        return false;
    if ((strncmp(url, "imap://", 7) != 0 && strncmp(url, "imaps://", 8) != 0) ||
        !str_copy(p->url, sizeof(p->url), url)) {
        fprintf(stderr, "alo153 serve: --imap-url must be imap:// or imaps://host/MAILBOX\n");
        *bad = true;
        return false;
    }
    size_t n = strlen(p->url);
    while (n && p->url[n - 1] == '/')
        p->url[--n] = '\0';
    const char *cred = getenv("ALO153_IMAP_CREDENTIALS");
    if (cred && *cred) {
        FILE *f = fopen(cred, "r");
        char line[600] = "";
        if (!f || !fgets(line, sizeof(line), f) || !strchr(line, ':')) {
            fprintf(stderr, "alo153 serve: cannot read \"user:password\" from %s\n", cred);
            if (f)
                fclose(f);
            *bad = true;
            return false;
        }
        fclose(f);
        line[strcspn(line, "\r\n")] = '\0';
        char *colon = strchr(line, ':');
        *colon = '\0';
        str_copy(p->user, sizeof(p->user), line);
        str_copy(p->password, sizeof(p->password), colon + 1);
        memset(line, 0, sizeof(line));
    }
    const char *iv = getenv("ALO153_IMAP_INTERVAL");
    long s = iv ? strtol(iv, NULL, 10) : 60;
    p->interval_ms = (unsigned)(s >= 1 && s <= 86400 ? s : 60) * 1000u;
    return true;
}

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
    struct strbuf *sb = ctx;
    if (sb->len + size * n > IMAP_MESSAGE_MAX)
        return 0;
    strbuf_add(sb, data, size * n);
    return size * n;
}

/* One IMAP request: url, an optional custom command; the response body into out. */
static int imap_request(const struct imap_poll *p, const char *url, const char *command,
                        struct strbuf *out, struct err_detail *ed)
{
    CURL *c = curl_easy_init();
    if (!c)
        return err_set(ed, ERR_INTERNAL, NULL, "curl_easy_init failed");
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (p->user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, p->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, p->password);
    }
    if (command)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK)
        return err_set(ed, ERR_UNAVAILABLE, "imap", "IMAP: %s",
                       errbuf[0] ? errbuf : curl_easy_strerror(rc));
    return ERR_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

/* The mailbox's UIDVALIDITY (STATUS "box" (UIDVALIDITY)); 0 when the URL names no mailbox or
 * the server does not say. The mailbox is the URL's path, %XX-decoded. */
static unsigned long long imap_uidvalidity(const struct imap_poll *p, struct err_detail *ed,
                                           int *rc)
{
    const char *s = strstr(p->url, "://");
    char box[256], cmd[300];
    size_t n = 0;
    *rc = ERR_OK;
    s = s ? strchr(s + 3, '/') : NULL;
    if (!s || !s[1])
        return 0;
    for (s++; *s && *s != ';' && *s != '?' && *s != '/' && n + 1 < sizeof(box); s++) {
        unsigned v;
        if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1) {
            box[n++] = (char)v;
            s += 2;
        } else {
            box[n++] = *s;
        }
        if (box[n - 1] == '"' || box[n - 1] == '\\' || box[n - 1] == '\r' || box[n - 1] == '\n')
            return 0; /* not worth quoting: no check */
    }
    box[n] = '\0';
    snprintf(cmd, sizeof(cmd), "STATUS \"%s\" (UIDVALIDITY)", box);
    struct strbuf sb;
    strbuf_init(&sb, 0);
    if ((*rc = imap_request(p, p->url, cmd, &sb, ed)) != ERR_OK) {
        strbuf_release(&sb);
        return 0;
    }
    const char *u = sb.buf ? strstr(sb.buf, "UIDVALIDITY ") : NULL;
    unsigned long long v = u ? strtoull(u + 12, NULL, 10) : 0;
    strbuf_release(&sb);
    return v;
}

int imap_poll_run(struct workers_job *job, void *ctx, struct err_detail *ed)
{
    struct imap_poll *p = ctx;
    struct store *st;
    int rc = workers_store(job, &st, ed);
    if (rc != ERR_OK)
        return rc;
    bool mine = false;
    if ((rc = store_poll_lock(st, "imap", &mine)) != ERR_OK)
        return err_set(ed, rc, NULL, "could not take the poller lock");
    if (!mine)
        return ERR_OK; /* another serve process polls this mailbox */
    char v[32] = "0";
    store_setting_get(st, "imap.last_uid", v, sizeof(v));
    unsigned long long last = strtoull(v, NULL, 10);
    /* UIDs mean something only under one UIDVALIDITY: when the mailbox was recreated, scan it
     * again from the start (Message-ID dedupe in core_mail_take: nothing is taken twice) */
    unsigned long long validity = imap_uidvalidity(p, ed, &rc);
    if (rc != ERR_OK)
        return rc;
    if (validity) {
        char stored[32] = "", now[32];
        store_setting_get(st, "imap.uidvalidity", stored, sizeof(stored));
        snprintf(now, sizeof(now), "%llu", validity);
        if (strcmp(stored, now) != 0) {
            if (*stored) {
                log_info("msg=\"IMAP UIDVALIDITY changed: the mailbox is scanned again\" "
                         "old=%s new=%s last_uid=%llu",
                         stored, now, last);
                last = 0;
                if ((rc = store_setting_set(st, "imap.last_uid", "0")) != ERR_OK)
                    return err_set(ed, rc, NULL, "could not record the last UID");
            }
            if ((rc = store_setting_set(st, "imap.uidvalidity", now)) != ERR_OK)
                return err_set(ed, rc, NULL, "could not record the UIDVALIDITY");
        }
    }
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "UID SEARCH UID %llu:*", last + 1);
    struct strbuf sb;
    strbuf_init(&sb, 0); /* collect() stops at IMAP_MESSAGE_MAX */
    if ((rc = imap_request(p, p->url, cmd, &sb, ed)) != ERR_OK) {
        strbuf_release(&sb);
        return rc;
    }
    /* "* SEARCH 4 5 6": n:* also answers the highest UID when none is above n */
    unsigned long long uids[IMAP_BATCH];
    size_t n = 0;
    const char *s = sb.buf ? strstr(sb.buf, "SEARCH") : NULL;
    for (s = s ? s + 6 : NULL; s && *s && n < IMAP_BATCH;) {
        char *end;
        unsigned long long u = strtoull(s, &end, 10);
        if (end == s)
            break;
        if (u > last)
            uids[n++] = u;
        s = end;
    }
    strbuf_release(&sb);
    qsort(uids, n, sizeof(uids[0]), cmp_u64);
    for (size_t i = 0; i < n && !workers_stopping(job); i++) {
        char url[600];
        struct intake_result res;
        snprintf(url, sizeof(url), "%s/;UID=%llu", p->url, uids[i]);
        strbuf_init(&sb, 0); /* no cap: collect() stops at IMAP_MESSAGE_MAX */
        rc = imap_request(p, url, NULL, &sb, ed);
        if (rc == ERR_OK)
            rc = core_mail_take(st, sb.buf ? sb.buf : "", sb.len, time_now(), &res, ed);
        strbuf_release(&sb);
        if (rc != ERR_OK)
            return rc; /* taken again from this UID at the next run */
        log_info("msg=\"e-mail taken\" uid=%llu result=%s tracking=%s", uids[i],
                 res.duplicate  ? "duplicate"
                 : res.threaded ? "threaded"
                 : res.app_id   ? "application"
                                : "contact",
                 res.tracking[0] ? res.tracking : "-");
        snprintf(v, sizeof(v), "%llu", uids[i]);
        if ((rc = store_setting_set(st, "imap.last_uid", v)) != ERR_OK)
            return err_set(ed, rc, NULL, "could not record the last UID");
    }
    return ERR_OK;
}
