#include "core/outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/survey.h"
#include "notify/segments.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define BODY_MAX 10000
#define TEMPLATE_MAX 2000
#define SUBJECT_MAX 200

const char *const core_outbox_purposes[] = { OUTBOX_REGISTERED, OUTBOX_ANSWERED,
                                             OUTBOX_OUT_OF_SCOPE, OUTBOX_SURVEY, NULL };
const char *const core_outbox_channels[] = { OUTBOX_SMS, OUTBOX_EMAIL, OUTBOX_WHATSAPP, NULL };

/* The built-in templates: what an admin's edits start from. SMS texts stay within one or two
 * segments with the Turkish single shift table (docs/MESSAGES.md). */
struct builtin {
    const char *purpose, *channel, *lang, *subject, *body;
};
/* clang-format off */
static const struct builtin builtins[] = {
    { OUTBOX_REGISTERED, OUTBOX_SMS, "tr", "",
      "ALO 153: Başvurunuz alındı. Takip no: {tracking} Erişim kodu: {code} {link}" },
    { OUTBOX_REGISTERED, OUTBOX_SMS, "en", "",
      "ALO 153: Your application was received. Tracking no: {tracking} Access code: {code} {link}" },
    { OUTBOX_REGISTERED, OUTBOX_EMAIL, "tr", "ALO 153 başvurunuz alındı: {tracking}",
      "Sayın vatandaşımız,\n\nBaşvurunuz alınmıştır.\n\nTakip numarası: {tracking}\n"
      "Erişim kodu: {code}\n\nBaşvurunuzun durumunu buradan izleyebilirsiniz: {link}\n\n"
      "ALO 153 Çözüm Merkezi" },
    { OUTBOX_REGISTERED, OUTBOX_EMAIL, "en", "Your ALO 153 application was received: {tracking}",
      "Dear citizen,\n\nYour application was received.\n\nTracking number: {tracking}\n"
      "Access code: {code}\n\nFollow it here: {link}\n\nALO 153 Solution Centre" },
    { OUTBOX_ANSWERED, OUTBOX_SMS, "tr", "",
      "ALO 153: {tracking} numaralı başvurunuz cevaplandı: {response}" },
    { OUTBOX_ANSWERED, OUTBOX_SMS, "en", "",
      "ALO 153: Your application {tracking} was answered: {response}" },
    { OUTBOX_ANSWERED, OUTBOX_EMAIL, "tr", "ALO 153 başvurunuz cevaplandı: {tracking}",
      "Sayın vatandaşımız,\n\n{tracking} numaralı başvurunuza verilen cevap:\n\n{response}\n\n"
      "Ayrıntılar: {link}\n\nALO 153 Çözüm Merkezi" },
    { OUTBOX_ANSWERED, OUTBOX_EMAIL, "en", "Your ALO 153 application was answered: {tracking}",
      "Dear citizen,\n\nThe answer to your application {tracking}:\n\n{response}\n\n"
      "Details: {link}\n\nALO 153 Solution Centre" },
    { OUTBOX_OUT_OF_SCOPE, OUTBOX_SMS, "tr", "",
      "ALO 153: {tracking} numaralı başvurunuz belediyemizin görev alanı dışındadır. "
      "Lütfen başvurunuz: {institution}" },
    { OUTBOX_OUT_OF_SCOPE, OUTBOX_SMS, "en", "",
      "ALO 153: Your application {tracking} is outside the municipality's remit. "
      "Please contact: {institution}" },
    { OUTBOX_OUT_OF_SCOPE, OUTBOX_EMAIL, "tr", "ALO 153 başvurunuz hakkında: {tracking}",
      "Sayın vatandaşımız,\n\n{tracking} numaralı başvurunuz belediyemizin görev alanı "
      "dışındadır. Lütfen şu kuruma başvurunuz: {institution}\n\nALO 153 Çözüm Merkezi" },
    { OUTBOX_OUT_OF_SCOPE, OUTBOX_EMAIL, "en", "About your ALO 153 application: {tracking}",
      "Dear citizen,\n\nYour application {tracking} is outside the municipality's remit. "
      "Please contact: {institution}\n\nALO 153 Solution Centre" },
    { OUTBOX_SURVEY, OUTBOX_SMS, "tr", "",
      "ALO 153: {tracking} numaralı başvurunuz sonuçlandı. Memnuniyetinizi 1-5 puanlayın: "
      "{survey_link}" },
    { OUTBOX_SURVEY, OUTBOX_SMS, "en", "",
      "ALO 153: Your application {tracking} is closed. Rate us from 1 to 5: {survey_link}" },
    { OUTBOX_SURVEY, OUTBOX_EMAIL, "tr", "ALO 153 memnuniyet anketi: {tracking}",
      "Sayın vatandaşımız,\n\n{tracking} numaralı başvurunuz sonuçlandı. Hizmetimizden "
      "memnuniyetinizi 1-5 arası puanlar mısınız?\n\n{survey_link}\n\nALO 153 Çözüm Merkezi" },
    { OUTBOX_SURVEY, OUTBOX_EMAIL, "en", "ALO 153 satisfaction survey: {tracking}",
      "Dear citizen,\n\nYour application {tracking} is closed. Would you rate our service "
      "from 1 to 5?\n\n{survey_link}\n\nALO 153 Solution Centre" },
};
/* clang-format on */

bool core_outbox_builtin(const char *purpose, const char *channel, const char *lang,
                         const char **subject, const char **body)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (strcmp(builtins[i].purpose, purpose) == 0 &&
            strcmp(builtins[i].channel, channel) == 0 && strcmp(builtins[i].lang, lang) == 0) {
            *subject = builtins[i].subject;
            *body = builtins[i].body;
            return true;
        }
    return false;
}

static bool in_list(const char *const *l, const char *w)
{
    for (; w && *l; l++)
        if (strcmp(*l, w) == 0)
            return true;
    return false;
}

static bool lang_ok(const char *l)
{
    return l && (strcmp(l, "tr") == 0 || strcmp(l, "en") == 0);
}

int core_outbox_enqueue(struct store *st, const struct outbox_request *rq, int64_t *id,
                        struct err_detail *ed)
{
    if (id)
        *id = 0;
    if (!in_list(core_outbox_channels, rq->channel))
        return err_set(ed, ERR_INVALID, "channel", "channel must be sms, email or whatsapp");
    if (!rq->recipient || !*rq->recipient || strlen(rq->recipient) >= MSG_ADDR_LEN ||
        strpbrk(rq->recipient, "\r\n"))
        return err_set(ed, ERR_INVALID, "recipient", "a recipient is required");
    if (strcmp(rq->channel, OUTBOX_EMAIL) == 0 && !strchr(rq->recipient, '@'))
        return err_set(ed, ERR_INVALID, "recipient", "not an e-mail address");
    if (!rq->body || !*rq->body || strlen(rq->body) > BODY_MAX)
        return err_set(ed, ERR_INVALID, "body", "the text must be 1..%d bytes", BODY_MAX);
    if (!rq->purpose || !*rq->purpose || strlen(rq->purpose) >= MSG_WORD_LEN)
        return err_set(ed, ERR_INVALID, "purpose", "a purpose is required");
    if (rq->lang && !lang_ok(rq->lang))
        return err_set(ed, ERR_INVALID, "lang", "lang must be tr or en");
    if (!rq->transactional) {
        bool consent = false;
        if (!rq->citizen_id || store_citizen_consent_get(st, rq->citizen_id, &consent) != ERR_OK ||
            !consent)
            return ERR_OK; /* İYS-style: no consent, no non-transactional message */
    }
    struct outbox_msg m = { 0 };
    unsigned char raw[16];
    char hex[33];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(m.idem_key, sizeof(m.idem_key), "alo153-%s", hex);
    str_copy(m.channel, sizeof(m.channel), rq->channel);
    str_copy(m.recipient, sizeof(m.recipient), rq->recipient);
    m.subject = (char *)(rq->subject ? rq->subject : "");
    m.body = (char *)rq->body;
    str_copy(m.purpose, sizeof(m.purpose), rq->purpose);
    str_copy(m.lang, sizeof(m.lang), rq->lang ? rq->lang : "tr");
    m.transactional = rq->transactional;
    m.app_id = rq->app_id;
    m.citizen_id = rq->citizen_id;
    str_copy(m.state, sizeof(m.state), MSG_PENDING);
    m.created_at = rq->now ? rq->now : time_now();
    m.next_at = 0; /* due at once: the sender's clock is the wall clock (docs/MESSAGES.md) */
    if (strcmp(rq->channel, OUTBOX_SMS) == 0) {
        struct sms_count c;
        sms_count(rq->body, true, &c);
        m.segments = c.segments;
    }
    int rc = store_outbox_add(st, &m);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not queue the message");
    if (id)
        *id = m.id;
    return ERR_OK;
}

int core_outbox_render(struct store *st, const char *purpose, const char *channel, const char *lang,
                       const char *const *vars, size_t nvars, char **subject, char **body)
{
    struct msg_template t = { 0 };
    const char *s, *b;
    *subject = *body = NULL;
    int rc = store_template_get(st, purpose, channel, lang, &t);
    if (rc == ERR_OK) {
        s = t.subject ? t.subject : "";
        b = t.body ? t.body : "";
    } else if (rc == ERR_NOT_FOUND && core_outbox_builtin(purpose, channel, lang, &s, &b)) {
        rc = ERR_OK;
    } else {
        return rc;
    }
    *subject = notify_fill(s, vars, nvars, 0);
    *body = notify_fill(b, vars, nvars, 0);
    msg_template_release(&t);
    return ERR_OK;
}

/* The municipality's public address, for the links (setting public_url). */
static void public_url(struct store *st, char *out, size_t n)
{
    if (store_setting_get(st, "public_url", out, n) != ERR_OK || !*out)
        str_copy(out, n, "http://localhost:8153");
    size_t l = strlen(out);
    if (l && out[l - 1] == '/')
        out[l - 1] = 0;
}

static bool whatsapp_on;

void core_outbox_whatsapp_enable(bool on)
{
    whatsapp_on = on;
}

const char *core_outbox_phone_channel(const struct app *a, int64_t now)
{
    if (whatsapp_on && strcmp(a->channel, OUTBOX_WHATSAPP) == 0 && now >= a->created_at &&
        now - a->created_at < OUTBOX_WA_WINDOW_S)
        return OUTBOX_WHATSAPP;
    return OUTBOX_SMS;
}

int core_outbox_on_app(struct store *st, const struct app *a, const char *purpose, int64_t now)
{
    if (!a->citizen_id)
        return ERR_OK;
    struct citizen c = { 0 };
    int rc = store_citizen_get(st, a->citizen_id, &c);
    if (rc != ERR_OK)
        return rc == ERR_NOT_FOUND ? ERR_OK : rc;
    char base[256], link[512], survey[512] = "", token[CORE_SURVEY_TOKEN_LEN] = "";
    public_url(st, base, sizeof(base));
    snprintf(link, sizeof(link), "%s/takip/%s", base, a->tracking);
    bool transactional = strcmp(purpose, OUTBOX_SURVEY) != 0;
    if (!transactional) {
        bool consent = false;
        if ((rc = store_citizen_consent_get(st, c.id, &consent)) != ERR_OK || !consent)
            goto out; /* no consent: no token, no message */
        if ((rc = core_survey_token_new(st, a->id, now, token, sizeof(token))) != ERR_OK)
            goto out;
        snprintf(survey, sizeof(survey), "%s/anket/%s", base, token);
    }
    const char *vars[] = { "tracking",    a->tracking,
                           "code",        a->access_code,
                           "link",        link,
                           "response",    a->public_response ? a->public_response : "",
                           "institution", a->redirect ? a->redirect : "",
                           "survey_link", survey };
    size_t nv = sizeof(vars) / sizeof(vars[0]) / 2;
    const char *lang = strcmp(c.lang, "en") == 0 ? "en" : "tr";
    const char *to[2][2] = { { OUTBOX_EMAIL, c.email && strchr(c.email, '@') ? c.email : NULL },
                             { core_outbox_phone_channel(a, now), c.phone[0] ? c.phone : NULL } };
    for (int i = 0; i < 2 && rc == ERR_OK; i++) {
        if (!to[i][1])
            continue;
        char *subject = NULL, *body = NULL;
        /* WhatsApp carries the SMS text (an admin edits one text for both) */
        const char *tpl = strcmp(to[i][0], OUTBOX_WHATSAPP) == 0 ? OUTBOX_SMS : to[i][0];
        if ((rc = core_outbox_render(st, purpose, tpl, lang, vars, nv, &subject, &body)) ==
            ERR_OK) {
            struct outbox_request rq = { .channel = to[i][0],
                                         .recipient = to[i][1],
                                         .purpose = purpose,
                                         .lang = lang,
                                         .subject = subject,
                                         .body = body,
                                         .transactional = transactional,
                                         .app_id = a->id,
                                         .citizen_id = c.id,
                                         .now = now };
            rc = core_outbox_enqueue(st, &rq, NULL, NULL);
        } else if (rc == ERR_NOT_FOUND) {
            rc = ERR_OK; /* no template for this purpose and channel: nothing to send */
        }
        free(subject);
        free(body);
    }
out:
    citizen_release(&c);
    return rc;
}

static bool valid_utf8_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 1
                : (*p & 0xE0) == 0xC0 ? 2
                : (*p & 0xF0) == 0xE0 ? 3
                : (*p & 0xF8) == 0xF0 ? 4
                                      : 0;
        if (!n || (*p < 0x20 && *p != '\n' && *p != '\t'))
            return false;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

int core_outbox_template_save(struct store *st, const struct msg_template *t, struct err_detail *ed)
{
    if (!in_list(core_outbox_purposes, t->purpose))
        return err_set(ed, ERR_INVALID, "purpose", "unknown purpose");
    if (!in_list(core_outbox_channels, t->channel) || strcmp(t->channel, OUTBOX_WHATSAPP) == 0)
        return err_set(ed, ERR_INVALID, "channel", "channel must be sms or email");
    if (!lang_ok(t->lang))
        return err_set(ed, ERR_INVALID, "lang", "lang must be tr or en");
    if (!t->body || !*t->body || strlen(t->body) > TEMPLATE_MAX || !valid_utf8_text(t->body))
        return err_set(ed, ERR_INVALID, "body", "the text must be 1..%d bytes of text",
                       TEMPLATE_MAX);
    if (t->subject && (strlen(t->subject) > SUBJECT_MAX || strpbrk(t->subject, "\r\n") ||
                       !valid_utf8_text(t->subject)))
        return err_set(ed, ERR_INVALID, "subject",
                       "the subject must be one line of at most %d "
                       "bytes",
                       SUBJECT_MAX);
    /* the change and its audit row (core/audit.h) in one transaction */
    struct msg_template was = { 0 };
    struct strbuf before, after;
    char object[64];
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    strbuf_init(&before, 0);
    if (store_template_get(st, t->purpose, t->channel, t->lang, &was) == ERR_OK) {
        audit_json_begin(&before);
        audit_json_str(&before, "subject", was.subject);
        audit_json_str(&before, "body", was.body);
        audit_json_end(&before);
    }
    msg_template_release(&was);
    audit_json_begin(&after);
    audit_json_str(&after, "subject", t->subject);
    audit_json_str(&after, "body", t->body);
    audit_json_end(&after);
    snprintf(object, sizeof(object), "%s/%s/%s", t->purpose, t->channel, t->lang);
    if ((rc = store_template_set(st, t)) == ERR_OK &&
        (rc = core_audit(st, "template", object, before.buf, after.buf)) == ERR_OK)
        rc = store_commit(st);
    if (rc != ERR_OK)
        store_rollback(st);
    strbuf_release(&before);
    strbuf_release(&after);
    return rc == ERR_OK ? ERR_OK : err_set(ed, rc, NULL, "could not save the template");
}

int64_t core_outbox_backoff_ms(int attempts, int64_t base_ms, int64_t cap_ms)
{
    if (attempts < 1)
        return 0;
    int64_t d = base_ms;
    for (int i = 1; i < attempts && d < cap_ms; i++)
        d *= 2;
    return d < cap_ms ? d : cap_ms;
}

/* The outcome of one try, recorded after the batch. */
struct outcome {
    int64_t id;
    const char *state;
    int attempts;
    int64_t next_at, sent_at;
    char err[MSG_ERROR_LEN];
    char ref[128];
};

static int record(struct store *st, const struct outcome *o)
{
    int rc = store_outbox_finish(st, o->id, o->state, o->attempts, o->next_at, o->sent_at, o->err);
    if (rc == ERR_OK && o->ref[0])
        rc = store_outbox_ref_set(st, o->id, o->ref);
    return rc;
}

/* Every outcome in one transaction (run again when PostgreSQL made it a deadlock victim). */
static int record_all(struct store *st, const struct outcome *o, size_t n)
{
    int rc = ERR_OK;
    for (int tries = 0; tries < 3; tries++) {
        rc = store_begin(st);
        for (size_t i = 0; rc == ERR_OK && i < n; i++)
            rc = record(st, &o[i]);
        if (rc == ERR_OK && (rc = store_commit(st)) == ERR_OK)
            return ERR_OK;
        store_rollback(st);
        if (!store_may_retry(st))
            break;
    }
    return rc;
}

int core_outbox_send_due(struct store *st, const struct outbox_transport *t,
                         const struct outbox_sender *cfg, int64_t now_ms, int *sent,
                         bool (*stop)(void *ctx), void *stop_ctx, struct err_detail *ed)
{
    struct outbox_msg *v = NULL;
    size_t n = 0, done = 0;
    int64_t now = now_ms / 1000;
    int max = cfg->max_attempts > 0 ? cfg->max_attempts : 20, nsent = 0;
    int64_t base = cfg->base_ms > 0 ? cfg->base_ms : 2000,
            cap = cfg->cap_ms > 0 ? cfg->cap_ms : 300000;
    if (sent)
        *sent = 0;
    int rc = store_outbox_claim(st, now, cfg->lease_s > 0 ? cfg->lease_s : 60,
                                cfg->batch > 0 ? cfg->batch : 32, &v, &n);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not claim the due messages");
    struct outcome *out = xcalloc(n ? n : 1, sizeof(*out));
    for (size_t i = 0; i < n && rc == ERR_OK && !(stop && stop(stop_ctx)); i++) {
        struct outbox_msg *m = &v[i];
        struct outcome *o = &out[done++];
        enum notify_result r = t->send(t->ctx, m, o->ref, sizeof(o->ref), o->err, sizeof(o->err));
        o->id = m->id;
        if (r == NOTIFY_OK) {
            o->state = MSG_SENT;
            o->attempts = m->attempts + 1;
            o->next_at = m->next_at;
            o->sent_at = time_now();
            o->err[0] = 0;
            nsent++;
        } else if (r == NOTIFY_UNCONFIGURED) {
            o->state = MSG_PENDING;
            o->attempts = m->attempts;
            o->next_at = now + 60;
            o->ref[0] = 0;
        } else {
            int a = m->attempts + 1;
            bool dead = r == NOTIFY_FAIL || a >= max;
            o->state = dead ? MSG_DEAD : MSG_PENDING; /* the delay counts from the claim */
            o->attempts = a;
            o->next_at =
                dead ? m->next_at : (now_ms + core_outbox_backoff_ms(a, base, cap) + 999) / 1000;
            o->ref[0] = 0;
        }
        if (cfg->one_by_one)
            rc = record(st, o);
    }
    /* rows not tried (stop, an error) stay claimed: the lease runs out and they are sent */
    if (!cfg->one_by_one && done)
        rc = record_all(st, out, done);
    for (size_t i = 0; i < n; i++)
        outbox_msg_release(&v[i]);
    free(v);
    free(out);
    if (rc == ERR_OK && sent)
        *sent = nsent;
    return rc == ERR_OK ? ERR_OK : err_set(ed, rc, NULL, "could not record a message's outcome");
}

int core_outbox_resend(struct store *st, int64_t id, struct err_detail *ed)
{
    int rc = store_outbox_resend(st, id, 0);
    if (rc == ERR_NOT_FOUND)
        return err_set(ed, rc, NULL, "no such message");
    if (rc == ERR_CONFLICT)
        return err_set_named(ed, rc, "not_dead", "state", "only a dead message can be resent");
    return rc == ERR_OK ? ERR_OK : err_set(ed, rc, NULL, "could not resend the message");
}

int core_outbox_consent_set(struct store *st, int64_t citizen_id, bool marketing,
                            struct err_detail *ed)
{
    int rc = store_citizen_consent_set(st, citizen_id, marketing);
    if (rc == ERR_OK) /* the history of consents (store_consent_*, kind "marketing") */
        (void)store_consent_set(st, citizen_id, "marketing", marketing, time_now(), "staff");
    if (rc == ERR_NOT_FOUND)
        return err_set(ed, rc, NULL, "no such citizen");
    return rc == ERR_OK ? ERR_OK : err_set(ed, rc, NULL, "could not store the consent");
}
