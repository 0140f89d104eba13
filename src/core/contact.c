#include "core/contact.h"

#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/validate.h"
#include "nlp/turkish.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static bool given(const char *s)
{
    return s && *s;
}

int contact_outcome_check(const struct contact *c, struct err_detail *ed)
{
    bool note = c->note && *c->note;
    if (c->outcome == OUTCOME_NONE)
        return err_set_named(ed, ERR_INVALID, "missing_field", "outcome",
                             "Sonuç gerekli (instant_info, application, followup, not_relevant, "
                             "transferred_out) / an outcome is required");
    if (c->reason[0] && c->outcome != OUTCOME_NOT_RELEVANT)
        return err_set(ed, ERR_INVALID, "reason",
                       "Gerekçe yalnız not_relevant sonucunda verilir / a reason belongs to "
                       "not_relevant only");
    if (c->application_id && c->outcome != OUTCOME_APPLICATION && c->outcome != OUTCOME_FOLLOWUP)
        return err_set(ed, ERR_INVALID, "application_id",
                       "Başvuru yalnız application veya followup sonucunda bağlanır / an "
                       "application belongs to the application and followup outcomes");
    switch (c->outcome) {
    case OUTCOME_INSTANT_INFO:
        if (!c->kb_article_id && !note)
            return err_set_named(ed, ERR_INVALID, "missing_field", "kb_article_id",
                                 "Anlık bilgilendirme için kullanılan bilgi bankası maddesi ya "
                                 "da bir not gerekli / give the article used or a note");
        break;
    case OUTCOME_APPLICATION:
    case OUTCOME_FOLLOWUP:
        if (!c->application_id)
            return err_set_named(ed, ERR_INVALID, "missing_field", "application_id",
                                 "Bağlanacak başvuru gerekli / give the application");
        break;
    case OUTCOME_NOT_RELEVANT:
        if (!contact_reason_valid(c->reason))
            return err_set_named(ed, ERR_INVALID, c->reason[0] ? "invalid_field" : "missing_field",
                                 "reason",
                                 "Gerekçe şunlardan biri olmalı: wrong_number, silent, prank, "
                                 "abusive");
        break;
    case OUTCOME_TRANSFERRED_OUT:
        if (!c->institution[0] && !note)
            return err_set_named(ed, ERR_INVALID, "missing_field", "institution",
                                 "Aktarılan kurum ya da bir not gerekli / give the institution "
                                 "or a note");
        break;
    default: return err_set(ed, ERR_INVALID, "outcome", "unknown outcome");
    }
    return ERR_OK;
}

/* Copy the outcome fields of in into c and check them (shape only). */
static int read_outcome(const struct contact_input *in, struct contact *c, struct err_detail *ed)
{
    int o = in->outcome ? contact_outcome_parse(in->outcome) : 0;
    if (o < 0)
        return err_set(ed, ERR_INVALID, "outcome",
                       "Sonuç şunlardan biri olmalı: instant_info, application, followup, "
                       "not_relevant, transferred_out");
    c->outcome = (enum contact_outcome)o;
    if ((in->reason && !str_copy(c->reason, sizeof(c->reason), in->reason)) ||
        (in->category && !str_copy(c->category, sizeof(c->category), in->category)) ||
        (in->institution && !str_copy(c->institution, sizeof(c->institution), in->institution)))
        return err_set(ed, ERR_INVALID, in->reason ? "reason" : "category", "too long");
    if (given(in->note)) {
        if (strlen(in->note) > CONTACT_NOTE_MAX || !nlp_utf8_valid(in->note, strlen(in->note)))
            return err_set(ed, ERR_INVALID, "note", "not valid UTF-8 or over %d bytes",
                           CONTACT_NOTE_MAX);
        free(c->note);
        c->note = xstrdup(in->note);
    }
    if (in->kb_article_id)
        c->kb_article_id = in->kb_article_id;
    if (in->application_id)
        c->application_id = in->application_id;
    if (in->citizen_id)
        c->citizen_id = in->citizen_id;
    return c->outcome ? contact_outcome_check(c, ed) : ERR_OK;
}

/* The references of c exist, and an application outcome's application was registered during
 * the contact (else it is a follow-up). */
static int check_refs(struct store *st, const struct contact *c, struct err_detail *ed)
{
    struct citizen cz;
    struct kb_article kb;
    struct app a;
    char name[MODEL_PLACE_LEN];
    if (c->citizen_id && store_citizen_get(st, c->citizen_id, &cz) != ERR_OK)
        return err_set(ed, ERR_UNPROCESSABLE, "citizen_id", "Böyle bir vatandaş yok");
    if (c->citizen_id)
        citizen_release(&cz);
    if (c->district_id && store_district_name(st, c->district_id, name, sizeof(name)) != ERR_OK)
        return err_set(ed, ERR_UNPROCESSABLE, "district_id", "Böyle bir ilçe yok");
    if (c->kb_article_id) {
        if (store_kb_get(st, c->kb_article_id, &kb) != ERR_OK)
            return err_set(ed, ERR_UNPROCESSABLE, "kb_article_id",
                           "Böyle bir bilgi bankası maddesi yok");
        kb_article_release(&kb);
    }
    if (c->application_id) {
        if (store_app_get(st, c->application_id, &a) != ERR_OK)
            return err_set(ed, ERR_UNPROCESSABLE, "application_id", "Böyle bir başvuru yok");
        bool during = a.created_at >= c->started_at;
        app_release(&a);
        if (c->outcome == OUTCOME_APPLICATION && !during)
            return err_set_named(ed, ERR_UNPROCESSABLE, "not_registered_here", "application_id",
                                 "Bu başvuru temastan önce kaydedilmiş: sonucu followup "
                                 "olmalı / registered before this contact: use followup");
    }
    return ERR_OK;
}

static int read_open(const struct user *u, const struct contact_input *in, int64_t now,
                     struct contact *c, struct err_detail *ed)
{
    memset(c, 0, sizeof(*c));
    if (!given(in->channel))
        return err_set_named(ed, ERR_INVALID, "missing_field", "channel", "Kanal gerekli");
    if (!contact_channel_valid(in->channel))
        return err_set(ed, ERR_INVALID, "channel", "Kanal şunlardan biri olmalı: %s",
                       contact_channel_list());
    str_copy(c->channel, sizeof(c->channel), in->channel);
    const char *dir = given(in->direction) ? in->direction : "inbound";
    if (strcmp(dir, "inbound") != 0 && strcmp(dir, "outbound") != 0)
        return err_set(ed, ERR_INVALID, "direction", "inbound ya da outbound olmalı");
    str_copy(c->direction, sizeof(c->direction), dir);
    if (given(in->caller) && !validate_phone(in->caller, c->caller))
        return err_set(ed, ERR_INVALID, "caller", "Geçerli bir telefon numarası değil");
    if (strcmp(c->channel, "mobile_desk") == 0 && !in->district_id)
        return err_set_named(ed, ERR_INVALID, "missing_field", "district_id",
                             "Mobil Beyaz Masa için aracın bulunduğu ilçe gerekli");
    c->district_id = in->district_id;
    c->user_id = u->id;
    c->started_at = now;
    c->answered_at = now;
    int rc = read_outcome(in, c, ed);
    if (rc == ERR_OK && c->outcome)
        c->ended_at = now;
    return rc;
}

int core_contact_open(struct store *st, const struct user *u, const struct contact_input *in,
                      struct contact *out, struct err_detail *ed)
{
    struct contact c;
    int rc;
    if (!policy_allows(st, u, POL_CONTACT, 0))
        return err_set(ed, ERR_FORBIDDEN, NULL, "Temas kaydı için yetkiniz yok");
    rc = read_open(u, in, in->at ? in->at : time_now(), &c, ed);
    if (rc == ERR_OK && (rc = store_begin(st)) == ERR_OK) {
        if ((rc = check_refs(st, &c, ed)) == ERR_OK &&
            (rc = store_contact_create(st, &c)) != ERR_OK)
            err_set(ed, rc, NULL, "could not store the contact");
        if (rc == ERR_OK)
            rc = store_commit(st);
        else
            store_rollback(st);
    }
    if (rc == ERR_OK)
        rc = store_contact_get(st, c.id, out);
    contact_release(&c);
    return rc;
}

static bool may_see(struct store *st, const struct user *u, const struct contact *c)
{
    return policy_allows(st, u, POL_CONTACT_ALL, 0) ||
           (policy_allows(st, u, POL_CONTACT, 0) && c->user_id == u->id);
}

int core_contact_get(struct store *st, const struct user *u, int64_t id, struct contact *out,
                     struct err_detail *ed)
{
    int rc = store_contact_get(st, id, out);
    if (rc == ERR_OK && !may_see(st, u, out)) {
        contact_release(out);
        rc = ERR_NOT_FOUND;
    }
    return rc == ERR_OK ? rc : err_set(ed, rc, NULL, "Böyle bir temas yok / no such contact");
}

int core_contact_close(struct store *st, const struct user *u, int64_t id,
                       const struct contact_input *in, struct contact *out, struct err_detail *ed)
{
    struct contact c;
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not begin");
    if ((rc = core_contact_get(st, u, id, &c, ed)) != ERR_OK) {
        store_rollback(st);
        return rc;
    }
    if (c.outcome != OUTCOME_NONE) {
        rc = err_set_named(ed, ERR_CONFLICT, "already_closed", "outcome",
                           "Bu temas zaten '%s' sonucuyla kapatıldı; bir temasın tek sonucu olur",
                           contact_outcome_name(c.outcome));
    } else if (!given(in->outcome)) {
        rc = err_set_named(ed, ERR_INVALID, "missing_field", "outcome", "Sonuç gerekli");
    } else if ((rc = read_outcome(in, &c, ed)) == ERR_OK &&
               (rc = check_refs(st, &c, ed)) == ERR_OK) {
        c.ended_at = in->at ? in->at : time_now();
        if (c.ended_at < c.started_at)
            c.ended_at = c.started_at;
        rc = store_contact_close(st, &c);
        if (rc == ERR_CONFLICT)
            err_set_named(ed, rc, "already_closed", "outcome", "Bu temas zaten kapatıldı");
        else if (rc != ERR_OK)
            err_set(ed, rc, NULL, "could not close the contact");
    }
    if (rc == ERR_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc == ERR_OK) { /* what was written, with the call read with it: no second read */
        *out = c;
        memset(&c, 0, sizeof(c));
    }
    contact_release(&c);
    return rc;
}

/* ---- calls from the exchange ---- */

static void first_text(char *dst, size_t n, const char *src)
{
    if (!dst[0] && src[0])
        str_copy(dst, n, src);
}

/* What every fold ends with: an answered call was not abandoned, whatever came late; an
 * abandoned one without an end ended when it was abandoned; nothing ends before its answer. */
static void call_settle(struct call *c)
{
    if (c->answered_at)
        c->abandoned_at = 0;
    else if (c->abandoned_at && !c->ended_at)
        c->ended_at = c->abandoned_at;
    if (c->ended_at && c->answered_at && c->ended_at < c->answered_at)
        c->ended_at = c->answered_at;
}

void call_fold(const struct call_event *ev, size_t n, struct call *c)
{
    int64_t id = c->id;
    char ref[CONTACT_REF_LEN];
    str_copy(ref, sizeof(ref), c->ref);
    memset(c, 0, sizeof(*c));
    c->id = id;
    str_copy(c->ref, sizeof(c->ref), ref);
    int64_t rang_at = 0;
    for (size_t i = 0; i < n; i++) {
        const struct call_event *e = &ev[i];
        if (!c->offered_at || e->at < c->offered_at)
            c->offered_at = e->at;
        if (e->at > c->last_event_at)
            c->last_event_at = e->at;
        first_text(c->line, sizeof(c->line), e->line);
        first_text(c->queue, sizeof(c->queue), e->queue);
        first_text(c->caller, sizeof(c->caller), e->caller);
        switch (e->type) {
        case CEV_ANSWERED:
            if (!c->answered_at || e->at < c->answered_at) {
                c->answered_at = e->at;
                if (e->agent_id)
                    c->agent_id = e->agent_id;
            }
            break;
        case CEV_RINGING:
            if (e->agent_id && e->at >= rang_at && !c->answered_at) {
                rang_at = e->at;
                c->agent_id = e->agent_id;
            }
            break;
        case CEV_ABANDONED:
            if (!c->abandoned_at || e->at < c->abandoned_at)
                c->abandoned_at = e->at;
            break;
        case CEV_TRANSFERRED:
            if (!c->transferred_at || e->at < c->transferred_at)
                c->transferred_at = e->at;
            break;
        case CEV_ENDED:
            if (e->at > c->ended_at)
                c->ended_at = e->at;
            break;
        default: break;
        }
    }
    call_settle(c);
}

bool call_fold_next(struct call *c, const struct call_event *e)
{
    /* Stored is the fold's result, not its running state: a call abandoned and not answered has
     * ended_at = abandoned_at whether an end event said so or not, and an answer that comes
     * after decides between them (the fold keeps a real end, drops the derived one). */
    if (!c->last_event_at || e->at <= c->last_event_at ||
        (e->type == CEV_ANSWERED && !c->answered_at && c->abandoned_at))
        return false;
    c->last_event_at = e->at;
    if (!c->offered_at) /* e is the latest: the earliest stays the earliest */
        c->offered_at = e->at;
    first_text(c->line, sizeof(c->line), e->line);
    first_text(c->queue, sizeof(c->queue), e->queue);
    first_text(c->caller, sizeof(c->caller), e->caller);
    switch (e->type) {
    case CEV_ANSWERED:
        if (!c->answered_at) {
            c->answered_at = e->at;
            if (e->agent_id)
                c->agent_id = e->agent_id;
        }
        break;
    case CEV_RINGING:
        if (e->agent_id && !c->answered_at)
            c->agent_id = e->agent_id;
        break;
    case CEV_ABANDONED:
        if (!c->abandoned_at)
            c->abandoned_at = e->at;
        break;
    case CEV_TRANSFERRED:
        if (!c->transferred_at)
            c->transferred_at = e->at;
        break;
    case CEV_ENDED:
        if (e->at > c->ended_at)
            c->ended_at = e->at;
        break;
    default: break;
    }
    call_settle(c);
    return true;
}

static bool queue_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

int core_queues_parse(const char *in, char out[CORE_QUEUES_LEN], struct err_detail *ed)
{
    size_t len = 0, n = 0;
    out[0] = '\0';
    for (const char *p = in ? in : ""; *p;) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        const char *w = p;
        while (*p && *p != ',' && *p != ' ' && *p != '\t')
            p++;
        size_t wl = (size_t)(p - w);
        if (!wl)
            continue;
        for (size_t i = 0; i < wl; i++)
            if (!queue_char(w[i]))
                return err_set(ed, ERR_INVALID, "queues",
                               "a queue name is made of letters, digits, '_', '.' and '-'");
        if (wl > 31)
            return err_set(ed, ERR_INVALID, "queues", "a queue name has at most 31 characters");
        char name[32];
        memcpy(name, w, wl);
        name[wl] = '\0';
        /* drop a repeat: compare with each name already written */
        bool dup = false;
        for (const char *q = out; *q;) {
            size_t ql = strcspn(q, ",");
            dup = dup || (ql == wl && memcmp(q, name, wl) == 0);
            q += ql + (q[ql] == ',');
        }
        if (dup)
            continue;
        if (++n > CORE_QUEUES_MAX || len + wl + 2 > CORE_QUEUES_LEN)
            return err_set(ed, ERR_INVALID, "queues", "at most %d queues", CORE_QUEUES_MAX);
        if (len)
            out[len++] = ',';
        memcpy(out + len, name, wl + 1);
        len += wl;
    }
    if (!n)
        return err_set_named(ed, ERR_INVALID, "missing_field", "queues", "name at least one queue");
    return ERR_OK;
}

void core_queues_get(struct store *st, char out[CORE_QUEUES_LEN])
{
    if (store_setting_get(st, "queues", out, CORE_QUEUES_LEN) != ERR_OK || !*out)
        str_copy(out, CORE_QUEUES_LEN, "genel");
}

bool core_queue_known(struct store *st, const char *name)
{
    char list[CORE_QUEUES_LEN];
    size_t nl = strlen(name);
    core_queues_get(st, list);
    for (const char *q = list; *q;) {
        size_t ql = strcspn(q, ",");
        if (ql == nl && memcmp(q, name, nl) == 0)
            return true;
        q += ql + (q[ql] == ',');
    }
    return false;
}

/* Validate in into e; the agent (by username) must be a contact handler. */
static int read_event(struct store *st, const struct call_event_input *in, int64_t now,
                      struct call_event *e, struct err_detail *ed)
{
    memset(e, 0, sizeof(*e));
    int t = in->type ? call_event_parse(in->type) : -1;
    if (!given(in->type))
        return err_set_named(ed, ERR_INVALID, "missing_field", "type", "type is required");
    if (t < 0)
        return err_set(ed, ERR_INVALID, "type",
                       "unknown event type '%.40s' (offered, queued, ringing, answered, "
                       "abandoned, transferred, ended, agent_login, agent_logout, agent_pause, "
                       "agent_ready)",
                       in->type);
    e->type = (enum call_event_type)t;
    bool agent_event = e->type >= CEV_AGENT_LOGIN;
    if (!in->at)
        return err_set_named(ed, ERR_INVALID, "missing_field", "at", "at (RFC 3339) is required");
    if (in->at > now + CALL_FUTURE_TOLERANCE_S)
        return err_set(ed, ERR_INVALID, "at", "the event's time is in the future");
    e->at = in->at;
    if (!agent_event && !given(in->call_id))
        return err_set_named(ed, ERR_INVALID, "missing_field", "call_id", "call_id is required");
    if ((in->call_id && !str_copy(e->ref, sizeof(e->ref), in->call_id)) ||
        (in->line && !str_copy(e->line, sizeof(e->line), in->line)) ||
        (in->queue && !str_copy(e->queue, sizeof(e->queue), in->queue)) ||
        (in->caller && !str_copy(e->caller, sizeof(e->caller), in->caller)))
        return err_set(ed, ERR_INVALID, "call_id", "a field is too long");
    if (given(in->queue) && !core_queue_known(st, in->queue))
        return err_set_named(ed, ERR_UNPROCESSABLE, "unknown_queue", "queue",
                             "no queue named '%.32s' (an admin adds queues in the settings)",
                             in->queue);
    if (in->reason && !contact_pause_reason_valid(in->reason))
        return err_set(ed, ERR_INVALID, "reason",
                       "reason must be break, training, meeting or after_call_work");
    str_copy(e->reason, sizeof(e->reason), in->reason ? in->reason : "");
    if ((agent_event || e->type == CEV_ANSWERED) && !given(in->agent))
        return err_set_named(ed, ERR_INVALID, "missing_field", "agent",
                             "agent (the user name) is required for this event");
    if (given(in->agent)) {
        struct user a;
        if (store_user_by_name(st, in->agent, &a, NULL, 0) != ERR_OK || a.disabled ||
            policy_scope(a.role, POL_CONTACT) != POL_ALL)
            return err_set_named(ed, ERR_UNPROCESSABLE, "unknown_agent", "agent",
                                 "no call-taker named '%.64s'", in->agent);
        e->agent_id = a.id;
    }
    if (agent_event) /* idempotency key of an agent's event: the agent */
        str_copy(e->ref, sizeof(e->ref), in->agent);
    return ERR_OK;
}

static int agent_event_apply(struct store *st, const struct call_event *e)
{
    struct agent_state s = { .user_id = e->agent_id, .since = e->at };
    switch (e->type) {
    case CEV_AGENT_LOGIN:
    case CEV_AGENT_READY: s.state = AGENT_READY; break;
    case CEV_AGENT_LOGOUT: s.state = AGENT_LOGGED_OUT; break;
    default:
        s.state = AGENT_PAUSED;
        str_copy(s.reason, sizeof(s.reason), e->reason[0] ? e->reason : "break");
    }
    return store_agent_state_set(st, &s);
}

/* The call's contact, opened at its first answer, with the screen pop for the agent; is_new:
 * the call was inserted just now, so no contact names it yet. */
static int call_contact(struct store *st, const struct call *k, bool is_new,
                        struct call_event_result *res)
{
    struct contact c = { 0 };
    int rc = is_new ? ERR_NOT_FOUND : store_contact_by_call(st, k->id, &c);
    if (rc == ERR_OK) {
        res->contact_id = c.id;
        contact_release(&c);
        return ERR_OK;
    }
    if (rc != ERR_NOT_FOUND || !k->answered_at || !k->agent_id)
        return rc == ERR_NOT_FOUND ? ERR_OK : rc;
    str_copy(c.channel, sizeof(c.channel),
             strcmp(k->line, "phone_alt") == 0 ? "phone_alt" : "phone_153");
    str_copy(c.direction, sizeof(c.direction), "inbound");
    c.user_id = k->agent_id;
    c.call_id = k->id;
    c.started_at = k->offered_at;
    c.answered_at = k->answered_at;
    if (validate_phone(k->caller, c.caller)) {
        struct citizen *cs = NULL;
        size_t n = 0;
        if (store_citizen_by_phone(st, c.caller, &cs, &n) == ERR_OK && n > 0)
            c.citizen_id = cs[0].id;
        for (size_t i = 0; i < n; i++)
            citizen_release(&cs[i]);
        free(cs);
    }
    if ((rc = store_contact_create(st, &c)) != ERR_OK)
        return rc;
    struct agent_event pop = { .user_id = k->agent_id, .contact_id = c.id, .at = k->answered_at };
    str_copy(pop.kind, sizeof(pop.kind), "call_answered");
    if ((rc = store_agent_event_add(st, &pop)) == ERR_OK) {
        res->contact_id = c.id;
        res->popped_to = k->agent_id;
    }
    return rc;
}

/* Fold the newly added event e into the call: applied to the stored call alone when it is later
 * than every event folded before (call_fold_next; the first event of a new call is its own
 * fold), else every event read back and folded again (out of order, or a call stored before
 * last_event_at was kept). The old row goes to store_call_update, so nothing is read twice. */
static int call_apply(struct store *st, const struct call_event *e, struct call_event_result *res)
{
    struct call_event *ev = NULL;
    size_t n = 0;
    struct call *k = &res->call, old;
    int rc = store_call_get(st, e->ref, &old);
    bool is_new = rc == ERR_NOT_FOUND;
    if (is_new) { /* its first event: events and call are stored together */
        memset(k, 0, sizeof(*k));
        str_copy(k->ref, sizeof(k->ref), e->ref);
        call_fold(e, 1, k);
        rc = store_call_save(st, k);
    } else if (rc == ERR_OK) {
        *k = old;
        if (!call_fold_next(k, e) && (rc = store_call_events(st, e->ref, &ev, &n)) == ERR_OK) {
            call_fold(ev, n, k);
            free(ev);
        }
        if (rc == ERR_OK)
            rc = store_call_update(st, &old, k);
    }
    return rc == ERR_OK ? call_contact(st, k, is_new, res) : rc;
}

/* How often a batch that lost a deadlock or a serialization race (PostgreSQL) is run again
 * before its 409 goes back to the exchange. */
#define CALL_EVENT_TRIES 5

static int call_event_once(struct store *st, const struct user *u,
                           const struct call_event_input *in, int64_t now,
                           struct call_event_result *res, struct err_detail *ed)
{
    struct call_event e;
    bool added = false;
    memset(res, 0, sizeof(*res));
    if (!policy_allows(st, u, POL_TELEPHONY, 0))
        return err_set(ed, ERR_FORBIDDEN, NULL, "only the telephone exchange posts call events");
    int rc = read_event(st, in, now, &e, ed);
    if (rc != ERR_OK)
        return rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "could not begin");
    if ((rc = store_call_event_add(st, &e, &added)) == ERR_OK && added)
        rc = e.type >= CEV_AGENT_LOGIN ? agent_event_apply(st, &e) : call_apply(st, &e, res);
    if (rc == ERR_OK && !added && e.type < CEV_AGENT_LOGIN) {
        res->duplicate = true;
        if ((rc = store_call_get(st, e.ref, &res->call)) == ERR_OK)
            rc = call_contact(st, &res->call, false, res);
    }
    res->duplicate = !added;
    if (rc == ERR_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    return rc == ERR_OK ? rc : err_set(ed, rc, NULL, "could not record the event");
}

int core_call_event(struct store *st, const struct user *u, const struct call_event_input *in,
                    int64_t now, struct call_event_result *res, struct err_detail *ed)
{
    int rc = call_event_once(st, u, in, now, res, ed);
    for (int t = 1; t < CALL_EVENT_TRIES && rc == ERR_CONFLICT && store_may_retry(st); t++)
        rc = call_event_once(st, u, in, now, res, ed);
    return rc;
}

static int call_events_once(struct store *st, const struct user *u,
                            const struct call_event_input *in, size_t n, int64_t now,
                            struct call_event_result *res, size_t *failed, struct err_detail *ed)
{
    *failed = 0;
    int rc = store_begin_all(st); /* all or none: no savepoint per event */
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not begin");
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = call_event_once(st, u, &in[i], now, &res[i], ed);
        *failed = i;
    }
    if (rc == ERR_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    return rc;
}

int core_call_events(struct store *st, const struct user *u, const struct call_event_input *in,
                     size_t n, int64_t now, struct call_event_result *res, size_t *failed,
                     struct err_detail *ed)
{
    int rc = call_events_once(st, u, in, n, now, res, failed, ed);
    for (int t = 1; t < CALL_EVENT_TRIES && rc == ERR_CONFLICT && store_may_retry(st); t++)
        rc = call_events_once(st, u, in, n, now, res, failed, ed);
    return rc;
}
