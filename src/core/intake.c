#include "core/outbox.h"
#include "core/intake.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/validate.h"
#include "nlp/turkish.h"
#include "util/strbuf.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "util/banned.h"

bool core_intake_find_tracking(const char *s, char out[TRACKING_LEN])
{
    if (!s)
        return false;
    for (const char *p = s; *p; p++) {
        if (p > s && isdigit((unsigned char)p[-1]))
            continue;
        size_t k = 0;
        while (k < 4 && isdigit((unsigned char)p[k]))
            k++;
        if (k != 4 || p[4] != '-')
            continue;
        size_t d = 0;
        while (d < 9 && isdigit((unsigned char)p[5 + d]))
            d++;
        if (d < 6 || d > 8)
            continue;
        char cand[TRACKING_LEN];
        memcpy(cand, p, 5 + d);
        cand[5 + d] = '\0';
        int year;
        int64_t seq;
        if (tracking_normalise(cand, out) && tracking_parse(out, &year, &seq))
            return true;
    }
    return false;
}

static size_t word_count(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; s && *s; s++) {
        bool sp = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* The application's text: the subject (e-mail) and the words, the image noted. */
static char *app_text(const struct intake_msg *m)
{
    struct strbuf sb;
    strbuf_init(&sb, 0); /* cut to CORE_TEXT_MAX below, on a character boundary */
    if (m->subject && *m->subject)
        strbuf_addf(&sb, "%s\n\n", m->subject);
    if (m->text && *m->text)
        strbuf_adds(&sb, m->text);
    if (m->media)
        strbuf_addf(&sb, "%s[görsel: WhatsApp medya %s]", sb.len ? "\n" : "", m->media);
    if (m->flagged)
        strbuf_adds(&sb, "\n[kodlaması bozuk ileti: aslı ekte]");
    if (sb.len > CORE_TEXT_MAX - 16) { /* cut on a character boundary */
        size_t n = CORE_TEXT_MAX - 16;
        while (n && ((unsigned char)sb.buf[n] & 0xC0) == 0x80)
            n--;
        sb.buf[n] = '\0';
        sb.len = n;
    }
    while (sb.len < 3)
        strbuf_addch(&sb, '.');
    return strbuf_detach(&sb, NULL);
}

/* The sender as a citizen: the newest record with this phone, else a new one (e-mail senders
 * are registered anew: a mailbox address is no identity). */
static int sender(struct store *st, const struct intake_msg *m, int64_t *citizen_id)
{
    char phone[VALIDATE_PHONE_LEN] = "";
    *citizen_id = 0;
    if (m->phone && *m->phone) {
        char plus[32];
        str_copy(plus, sizeof(plus), m->phone[0] == '+' ? m->phone : "+");
        if (m->phone[0] != '+')
            strncat(plus, m->phone, sizeof(plus) - 2);
        if (!validate_phone(plus, phone) && !validate_phone(m->phone, phone))
            phone[0] = '\0';
    }
    if (phone[0]) {
        struct citizen *v = NULL;
        size_t n = 0;
        int rc = store_citizen_by_phone(st, phone, &v, &n);
        if (rc != ERR_OK)
            return rc;
        if (n)
            *citizen_id = v[0].id;
        for (size_t i = 0; i < n; i++)
            citizen_release(&v[i]);
        free(v);
        if (*citizen_id)
            return ERR_OK;
    }
    bool mail_ok = m->email && *m->email && validate_email(m->email);
    bool name_ok =
        m->from_name && *m->from_name && nlp_utf8_valid(m->from_name, strlen(m->from_name));
    if (!phone[0] && !mail_ok && !name_ok)
        return ERR_OK; /* anonymous */
    struct citizen c = { 0 };
    c.name = name_ok ? xstrdup(m->from_name) : NULL;
    str_copy(c.phone, sizeof(c.phone), phone);
    c.email = mail_ok ? xstrdup(m->email) : NULL;
    c.created_at = m->at;
    int rc = store_citizen_create(st, &c);
    *citizen_id = c.id;
    citizen_release(&c);
    return rc;
}

/* Long on purpose: one transaction in the order a clerk would do it. */
int core_intake_message(struct store *st, const struct intake_msg *m, struct intake_result *res,
                        struct err_detail *ed)
{
    int rc;
    char *text = NULL;
    int64_t prev = 0, citizen_id = 0;
    char tr[TRACKING_LEN];
    struct app a = { 0 };

    memset(res, 0, sizeof(*res));
    if (!m->channel || !m->message_id || !*m->message_id || strlen(m->message_id) > 512)
        return err_set(ed, ERR_INVALID, "id", "a message needs its id");
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    rc = store_intake_get(st, m->channel, m->message_id, &prev);
    if (rc == ERR_OK) { /* seen before: a replay changes nothing */
        res->duplicate = true;
        res->app_id = prev;
        store_rollback(st);
        return ERR_OK;
    }
    if (rc != ERR_NOT_FOUND)
        goto fail;
    text = app_text(m);
    struct contact c = { 0 };
    str_copy(c.channel, sizeof(c.channel), m->channel);
    str_copy(c.direction, sizeof(c.direction), "inbound");
    c.started_at = c.answered_at = m->at;
    bool threaded =
        (core_intake_find_tracking(m->subject, tr) || core_intake_find_tracking(m->text, tr)) &&
        store_app_by_tracking(st, tr, &a) == ERR_OK;
    if (threaded) {
        citizen_id = a.citizen_id;
        struct app_event e = { 0 };
        e.app_id = a.id;
        e.at = m->at;
        str_copy(e.action, sizeof(e.action), "message");
        e.from_status = e.to_status = -1;
        e.note = text;
        if ((rc = store_event_add(st, &e)) != ERR_OK)
            goto fail;
        c.outcome = OUTCOME_FOLLOWUP;
        c.application_id = a.id;
        c.ended_at = m->at;
        res->threaded = true;
    } else {
        if ((rc = sender(st, m, &citizen_id)) != ERR_OK)
            goto fail;
        bool request = word_count(m->text) + word_count(m->subject) >= CORE_INTAKE_MIN_WORDS ||
                       m->media || m->flagged || (m->routing && m->routing->confident);
        if (request) {
            struct app_input in = { 0 };
            in.channel = m->channel;
            in.text = text;
            in.citizen_id = citizen_id;
            in.routing = m->routing;
            in.created_at = m->at;
            if ((rc = core_app_create(st, NULL, &in, &a, ed)) != ERR_OK)
                goto fail;
            c.outcome = OUTCOME_APPLICATION;
            c.application_id = a.id;
            c.ended_at = m->at;
            /* the registration message (tracking number, access code, link) goes back in this
             * transaction to the sender's e-mail address or phone (core/outbox.h); WhatsApp
             * senders get it by SMS until a WhatsApp transport exists — docs/INTAKE.md */
            if ((rc = core_outbox_on_app(st, &a, OUTBOX_REGISTERED, m->at)) != ERR_OK)
                goto fail;
        }
        /* else an open contact: the desk answers it */
    }
    c.citizen_id = citizen_id;
    c.note = text;
    rc = store_contact_create(st, &c);
    c.note = NULL;
    if (rc != ERR_OK)
        goto fail;
    if (m->original && m->original_len && a.id) {
        struct attachment at = { 0 };
        at.app_id = a.id;
        str_copy(at.mime, sizeof(at.mime), "message/rfc822");
        str_copy(at.filename, sizeof(at.filename), "ileti.eml");
        at.created_at = m->at;
        if ((rc = store_attachment_add(st, &at, m->original, m->original_len)) != ERR_OK)
            goto fail;
    }
    if ((rc = store_intake_add(st, m->channel, m->message_id, a.id, c.id, m->flagged, m->at)) !=
        ERR_OK)
        goto fail;
    if ((rc = store_commit(st)) != ERR_OK)
        goto fail;
    res->app_id = a.id;
    res->contact_id = c.id;
    str_copy(res->tracking, sizeof(res->tracking), a.tracking);
    str_copy(res->access_code, sizeof(res->access_code), a.access_code);
    free(text);
    app_release(&a);
    return ERR_OK;
fail:
    store_rollback(st);
    free(text);
    app_release(&a);
    if (ed && ed->code == ERR_OK)
        err_set(ed, rc, NULL, "could not store the message");
    return rc;
}
