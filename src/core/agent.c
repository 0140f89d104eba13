#include "core/agent.h"

#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "util/str.h"
#include "util/banned.h"

/* On a call or wrapping up, from the agent's newest open phone contact. */
static void derive(struct store *st, struct agent_state *s)
{
    struct contact_filter f = { .user_id = s->user_id, .outcome = OUTCOME_NONE, .limit = 5 };
    struct contact *cs = NULL;
    size_t n = 0;
    int64_t next;
    if (store_contact_list(st, &f, &cs, &n, &next) != ERR_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        if (cs[i].call_id && s->state != AGENT_ON_CALL) {
            bool on = !cs[i].call_ended_at;
            if (on || s->state != AGENT_WRAP_UP) {
                s->state = on ? AGENT_ON_CALL : AGENT_WRAP_UP;
                s->reason[0] = '\0';
                s->since = on ? cs[i].answered_at : cs[i].call_ended_at;
            }
        }
        contact_release(&cs[i]);
    }
    free(cs);
}

int core_agent_state(struct store *st, int64_t user_id, struct agent_state *out)
{
    int rc = store_agent_state_get(st, user_id, out);
    if (rc == ERR_NOT_FOUND) {
        memset(out, 0, sizeof(*out));
        out->user_id = user_id;
        out->state = AGENT_LOGGED_OUT;
        rc = ERR_OK;
    }
    if (rc == ERR_OK)
        derive(st, out);
    return rc;
}

int agent_transition_check(enum agent_state_kind from, enum agent_state_kind to,
                           struct err_detail *ed)
{
    if (to == AGENT_ON_CALL || to == AGENT_WRAP_UP)
        return err_set_named(ed, ERR_INVALID, "derived_state", "state",
                             "'%s' çağrılardan çıkar, elle seçilmez / follows from the calls",
                             agent_state_name(to));
    if (from == AGENT_LOGGED_OUT && to == AGENT_PAUSED)
        return err_set_named(ed, ERR_CONFLICT, "not_logged_in", "state",
                             "Oturum kapalıyken mola verilemez; önce 'ready' seçin");
    if (from == AGENT_ON_CALL && to == AGENT_LOGGED_OUT)
        return err_set_named(ed, ERR_CONFLICT, "on_call", "state",
                             "Görüşme sürerken oturum kapatılamaz");
    return ERR_OK;
}

int core_agent_set(struct store *st, const struct user *u, const char *state, const char *reason,
                   int64_t now, struct agent_state *out, struct err_detail *ed)
{
    struct agent_state cur, s = { .user_id = u->id, .since = now };
    if (!policy_allows(st, u, POL_CONTACT, 0))
        return err_set(ed, ERR_FORBIDDEN, NULL, "Yalnız çağrı karşılama ve masa görevlileri");
    int k = state ? agent_state_parse(state) : -1;
    if (!state || !*state)
        return err_set_named(ed, ERR_INVALID, "missing_field", "state",
                             "state gerekli: ready, paused, logged_out");
    if (k < 0)
        return err_set(ed, ERR_INVALID, "state", "state şunlardan biri: ready, paused, logged_out");
    s.state = (enum agent_state_kind)k;
    if (s.state == AGENT_PAUSED && !contact_pause_reason_valid(reason))
        return err_set_named(ed, ERR_INVALID, reason ? "invalid_field" : "missing_field", "reason",
                             "Mola gerekçesi: break, training, meeting, after_call_work");
    if (s.state != AGENT_PAUSED && reason)
        return err_set(ed, ERR_INVALID, "reason", "Gerekçe yalnız 'paused' için verilir");
    if (reason)
        str_copy(s.reason, sizeof(s.reason), reason);
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not begin");
    if ((rc = core_agent_state(st, u->id, &cur)) == ERR_OK &&
        (rc = agent_transition_check(cur.state, s.state, ed)) == ERR_OK &&
        (rc = store_agent_state_set(st, &s)) != ERR_OK)
        err_set(ed, rc, NULL, "could not store the state");
    if (rc == ERR_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    return rc == ERR_OK ? core_agent_state(st, u->id, out) : rc;
}

int core_agent_list(struct store *st, struct agent_state **out, size_t *n)
{
    int rc = store_agent_state_list(st, out, n);
    for (size_t i = 0; rc == ERR_OK && i < *n; i++)
        derive(st, &(*out)[i]);
    return rc;
}
