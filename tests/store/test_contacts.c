/* Conformance: the contact centre (contacts, calls and their events, agents, knowledge base). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static int64_t contact(struct store *st, const char *channel, int64_t user, int64_t at)
{
    struct contact c = { .user_id = user, .started_at = at };
    snprintf(c.channel, sizeof(c.channel), "%s", channel);
    assert_int_equal(store_contact_create(st, &c), ERR_OK);
    assert_true(c.id > 0);
    return c.id;
}

static void test_contacts(void **state)
{
    struct store *st = FX(state)->st;
    int64_t ayse = conf_user(st, "ayse", ROLE_AGENT, 0), can = conf_user(st, "can", ROLE_DESK, 0);
    int64_t a = contact(st, "phone_153", ayse, 1700000000);
    int64_t b = contact(st, "desk", can, 1700000100);
    int64_t c = contact(st, "desk", can, 1700000200);
    struct contact g;
    assert_int_equal(store_contact_get(st, a, &g), ERR_OK);
    assert_string_equal(g.channel, "phone_153");
    assert_string_equal(g.direction, "inbound");
    assert_int_equal(g.outcome, OUTCOME_NONE);
    assert_int_equal(g.ended_at, 0);
    contact_release(&g);
    assert_int_equal(store_contact_get(st, 9999, &g), ERR_NOT_FOUND);

    /* closing: once; a second close is a conflict and changes nothing */
    struct contact cl = { .id = b, .outcome = OUTCOME_NOT_RELEVANT, .ended_at = 1700000150 };
    snprintf(cl.reason, sizeof(cl.reason), "prank");
    assert_int_equal(store_contact_close(st, &cl), ERR_OK);
    struct contact again = { .id = b, .outcome = OUTCOME_INSTANT_INFO, .ended_at = 1700000160 };
    assert_int_equal(store_contact_close(st, &again), ERR_CONFLICT);
    again.id = 9999;
    assert_int_equal(store_contact_close(st, &again), ERR_NOT_FOUND);
    assert_int_equal(store_contact_get(st, b, &g), ERR_OK);
    assert_int_equal(g.outcome, OUTCOME_NOT_RELEVANT);
    assert_string_equal(g.reason, "prank");
    assert_int_equal(g.ended_at, 1700000150);
    contact_release(&g);

    /* lists: newest first, filters, keyset paging */
    struct contact_filter f = { .outcome = -1, .limit = 2 };
    struct contact *v = NULL;
    size_t n = 0;
    int64_t next = 0;
    assert_int_equal(store_contact_list(st, &f, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, c);
    assert_int_equal(v[1].id, b);
    assert_int_equal(next, b);
    for (size_t i = 0; i < n; i++)
        contact_release(&v[i]);
    free(v);
    f.after = next;
    assert_int_equal(store_contact_list(st, &f, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, a);
    assert_int_equal(next, 0);
    contact_release(&v[0]);
    free(v);
    struct contact_filter open = { .outcome = OUTCOME_NONE, .user_id = can, .limit = 10 };
    assert_int_equal(store_contact_list(st, &open, &v, &n, &next), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, c);
    contact_release(&v[0]);
    free(v);
}

static int count_key(void *ctx, const char *key, int64_t n)
{
    char *out = ctx;
    size_t len = strlen(out);
    snprintf(out + len, 200 - len, "%s=%lld;", key, (long long)n);
    return 0;
}

static void test_contact_counts(void **state)
{
    struct store *st = FX(state)->st;
    int64_t u = conf_user(st, "ayse", ROLE_AGENT, 0);
    contact(st, "phone_153", u, 1000);
    int64_t b = contact(st, "desk", u, 2000);
    contact(st, "desk", u, 9000); /* outside [1000, 5000) */
    struct contact cl = { .id = b, .outcome = OUTCOME_INSTANT_INFO, .ended_at = 2100 };
    assert_int_equal(store_contact_close(st, &cl), ERR_OK);
    char got[200] = "";
    assert_int_equal(store_contact_group_count(st, "outcome", 1000, 5000, count_key, got), ERR_OK);
    assert_string_equal(got, "=1;instant_info=1;");
    got[0] = '\0';
    assert_int_equal(store_contact_group_count(st, "channel", 1000, 5000, count_key, got), ERR_OK);
    assert_string_equal(got, "desk=1;phone_153=1;");
    assert_int_equal(store_contact_group_count(st, "nonsense", 0, 0, count_key, got), ERR_INVALID);
}

static int sum_calls(void *ctx, const struct call *c)
{
    int64_t *sum = ctx;
    *sum += c->answered_at ? 1000 : 1;
    return 0;
}

static void test_calls(void **state)
{
    struct store *st = FX(state)->st;
    int64_t u = conf_user(st, "ayse", ROLE_AGENT, 0);
    struct call_event e = { .type = CEV_OFFERED, .at = 100 };
    snprintf(e.ref, sizeof(e.ref), "pbx-1");
    snprintf(e.caller, sizeof(e.caller), "05321234567");
    bool added = false;
    assert_int_equal(store_call_event_add(st, &e, &added), ERR_OK);
    assert_true(added);
    assert_int_equal(store_call_event_add(st, &e, &added), ERR_OK);
    assert_false(added); /* the same (ref, type, at): nothing written */
    e.type = CEV_ANSWERED;
    e.at = 110;
    e.agent_id = u;
    assert_int_equal(store_call_event_add(st, &e, &added), ERR_OK);
    assert_true(added);
    struct call_event *ev = NULL;
    size_t n = 0;
    assert_int_equal(store_call_events(st, "pbx-1", &ev, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].type, CEV_OFFERED);
    assert_int_equal(ev[1].type, CEV_ANSWERED);
    assert_int_equal(ev[1].agent_id, u);
    assert_string_equal(ev[0].caller, "05321234567");
    free(ev);

    struct call k = { .offered_at = 100, .answered_at = 110, .agent_id = u };
    snprintf(k.ref, sizeof(k.ref), "pbx-1");
    assert_int_equal(store_call_save(st, &k), ERR_OK);
    assert_true(k.id > 0);
    k.ended_at = 200;
    assert_int_equal(store_call_save(st, &k), ERR_OK);
    struct call g;
    assert_int_equal(store_call_get(st, "pbx-1", &g), ERR_OK);
    assert_int_equal(g.id, k.id);
    assert_int_equal(g.ended_at, 200);
    assert_int_equal(g.contact_closed_at, 0);
    assert_int_equal(store_call_get(st, "pbx-2", &g), ERR_NOT_FOUND);
    struct call k2 = { .offered_at = 150, .abandoned_at = 160 };
    snprintf(k2.ref, sizeof(k2.ref), "pbx-2");
    assert_int_equal(store_call_save(st, &k2), ERR_OK);
    struct call dup = k2;
    dup.id = 0;
    assert_int_equal(store_call_save(st, &dup), ERR_CONFLICT); /* one call per exchange id */

    /* a call's contact, and its close time read back with the call */
    struct contact c = { .user_id = u, .call_id = k.id, .started_at = 100, .answered_at = 110 };
    snprintf(c.channel, sizeof(c.channel), "phone_153");
    assert_int_equal(store_contact_create(st, &c), ERR_OK);
    struct contact byc;
    assert_int_equal(store_contact_by_call(st, k.id, &byc), ERR_OK);
    assert_int_equal(byc.id, c.id);
    assert_string_equal(byc.call_ref, "pbx-1");
    assert_int_equal(byc.call_offered_at, 100);
    assert_int_equal(byc.call_ended_at, 200);
    contact_release(&byc);
    assert_int_equal(store_contact_by_call(st, k2.id, &byc), ERR_NOT_FOUND);
    struct contact cl = { .id = c.id, .outcome = OUTCOME_INSTANT_INFO, .ended_at = 230 };
    assert_int_equal(store_contact_close(st, &cl), ERR_OK);
    assert_int_equal(store_call_get(st, "pbx-1", &g), ERR_OK);
    assert_int_equal(g.contact_closed_at, 230);

    int64_t sum = 0;
    assert_int_equal(store_call_each(st, 100, 151, sum_calls, &sum), ERR_OK);
    assert_int_equal(sum, 1001);
    sum = 0;
    assert_int_equal(store_call_each(st, 120, 0, sum_calls, &sum), ERR_OK);
    assert_int_equal(sum, 1);
}

static void test_agents(void **state)
{
    struct store *st = FX(state)->st;
    int64_t u = conf_user(st, "zeynep", ROLE_AGENT, 0), v = conf_user(st, "ali", ROLE_DESK, 0);
    struct agent_state s = { .user_id = u, .state = AGENT_PAUSED, .since = 50 };
    snprintf(s.reason, sizeof(s.reason), "training");
    struct agent_state g;
    assert_int_equal(store_agent_state_get(st, u, &g), ERR_NOT_FOUND);
    assert_int_equal(store_agent_state_set(st, &s), ERR_OK);
    s.state = AGENT_READY;
    s.reason[0] = '\0';
    s.since = 60;
    assert_int_equal(store_agent_state_set(st, &s), ERR_OK);
    assert_int_equal(store_agent_state_get(st, u, &g), ERR_OK);
    assert_int_equal(g.state, AGENT_READY);
    assert_string_equal(g.reason, "");
    assert_int_equal(g.since, 60);
    assert_string_equal(g.username, "zeynep");
    struct agent_state w = { .user_id = v, .state = AGENT_LOGGED_OUT, .since = 70 };
    assert_int_equal(store_agent_state_set(st, &w), ERR_OK);
    struct agent_state *all = NULL;
    size_t n = 0;
    assert_int_equal(store_agent_state_list(st, &all, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].username, "ali"); /* by username */
    free(all);

    struct agent_event e1 = { .user_id = u, .at = 80 }, e2 = { .user_id = u, .at = 90 };
    snprintf(e1.kind, sizeof(e1.kind), "call_answered");
    snprintf(e2.kind, sizeof(e2.kind), "call_answered");
    assert_int_equal(store_agent_event_add(st, &e1), ERR_OK);
    assert_int_equal(store_agent_event_add(st, &e2), ERR_OK);
    assert_true(e2.id > e1.id);
    struct agent_event *ev = NULL;
    assert_int_equal(store_agent_event_list(st, u, 0, 10, &ev, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].id, e1.id);
    free(ev);
    assert_int_equal(store_agent_event_list(st, u, e1.id, 10, &ev, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].at, 90);
    free(ev);
    assert_int_equal(store_agent_event_list(st, v, 0, 10, &ev, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(ev);
}

static int64_t article(struct store *st, const char *title, const char *body, bool active)
{
    struct kb_article a = { .title = (char *)title,
                            .body = (char *)body,
                            .active = active,
                            .created_at = 10,
                            .updated_at = 10 };
    assert_int_equal(store_kb_save(st, &a), ERR_OK);
    assert_true(a.id > 0);
    return a.id;
}

static size_t kb_count(struct store *st, const char *q, bool active_only, int64_t *first)
{
    struct kb_article *v = NULL;
    size_t n = 0;
    struct kb_query kq = { .q = q, .state = active_only ? KB_CURRENT : KB_ANY, .limit = 50 };
    assert_int_equal(store_kb_list(st, &kq, &v, &n), ERR_OK);
    *first = n ? v[0].id : 0;
    for (size_t i = 0; i < n; i++)
        kb_article_release(&v[i]);
    free(v);
    return n;
}

static void test_kb(void **state)
{
    struct store *st = FX(state)->st;
    int64_t first;
    int64_t su = article(st, "Planlı SU KESİNTİSİ", "Melikgazi'de çalışma var", true);
    int64_t bus = article(st, "Otobüs seferleri", "Bayram tarifesi", true);
    int64_t old = article(st, "Eski çöp takvimi", "Kaldırıldı", false);
    assert_int_equal(kb_count(st, "su kesintisi", true, &first), 1);
    assert_int_equal(first, su);
    assert_int_equal(kb_count(st, "melikgazi", true, &first), 1);
    assert_int_equal(kb_count(st, "OTOBUS", true, &first), 1);
    assert_int_equal(first, bus);
    assert_int_equal(kb_count(st, "cop", true, &first), 0);
    assert_int_equal(kb_count(st, "cop", false, &first), 1);
    assert_int_equal(kb_count(st, NULL, true, &first), 2);
    assert_int_equal(first, bus); /* newest first without a search */
    struct kb_article *v = NULL;
    size_t n = 0;
    struct kb_query bad = { .q = "\xff\xfe", .limit = 10 };
    assert_int_equal(store_kb_list(st, &bad, &v, &n), ERR_INVALID);

    struct kb_article g;
    assert_int_equal(store_kb_get(st, bus, &g), ERR_OK);
    free(g.title);
    g.title = strdup("Otobüs ve tramvay seferleri");
    g.updated_at = 20;
    assert_int_equal(store_kb_save(st, &g), ERR_OK);
    kb_article_release(&g);
    assert_int_equal(kb_count(st, "tramvay", true, &first), 1);
    assert_int_equal(store_kb_get(st, bus, &g), ERR_OK);
    assert_int_equal(g.updated_at, 20);
    assert_int_equal(g.created_at, 10);
    assert_int_equal(g.uses, 0);
    kb_article_release(&g);
    struct kb_article none = { .id = 9999, .title = "x", .body = "y" };
    assert_int_equal(store_kb_save(st, &none), ERR_NOT_FOUND);

    /* uses: the contacts answered with the article */
    int64_t u = conf_user(st, "ayse", ROLE_AGENT, 0);
    struct contact c = { .user_id = u,
                         .started_at = 5,
                         .outcome = OUTCOME_INSTANT_INFO,
                         .ended_at = 6,
                         .kb_article_id = su };
    snprintf(c.channel, sizeof(c.channel), "phone_153");
    assert_int_equal(store_contact_create(st, &c), ERR_OK);
    assert_int_equal(store_kb_get(st, su, &g), ERR_OK);
    assert_int_equal(g.uses, 1);
    kb_article_release(&g);
    (void)old;
}

/* The ids of the articles store_kb_list gives for kq, in order, as "3,1,2" (at most 15). */
static const char *kb_ids(struct store *st, struct kb_query kq, char *buf, size_t len)
{
    struct kb_article *v = NULL;
    size_t n = 0, off = 0;
    kq.limit = kq.limit ? kq.limit : 50;
    assert_int_equal(store_kb_list(st, &kq, &v, &n), ERR_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i < 15)
            off += (size_t)snprintf(buf + off, len - off, i ? ",%lld" : "%lld", (long long)v[i].id);
        kb_article_release(&v[i]);
    }
    free(v);
    return buf;
}

/* districts, phones, the validity window and the filters: both backends alike */
static void test_kb_fields(void **state)
{
    struct store *st = FX(state)->st;
    char buf[256], want[256];
    int64_t melikgazi, talas;
    assert_int_equal(store_district_upsert(st, "38", "Melikgazi", &melikgazi), ERR_OK);
    assert_int_equal(store_district_upsert(st, "38", "Talas", &talas), ERR_OK);
    const int64_t day = 86400, now = 1000 * day;

    /* a water cut in Melikgazi for two days, from tomorrow */
    struct kb_article cut = { .title = strdup("Planlı su kesintisi"),
                              .body = strdup("Ana hat çalışması nedeniyle su kesintileri"),
                              .active = true,
                              .created_at = 10,
                              .updated_at = 10,
                              .valid_from = now + day,
                              .valid_until = now + 3 * day };
    cut.districts = malloc(sizeof(int64_t));
    cut.districts[0] = melikgazi;
    cut.ndistricts = 1;
    assert_int_equal(store_kb_save(st, &cut), ERR_OK);
    /* the province-wide numbers of other institutions, current */
    struct kb_article nums = { .title = strdup("Diğer kurumların numaraları"),
                               .body = strdup("Elektrik arızası, doğalgaz ve acil"),
                               .active = true,
                               .created_at = 11,
                               .updated_at = 11 };
    struct kb_phone ph[2] = { { "Elektrik arıza (AYEDAŞ)", "186" }, { "Doğalgaz acil", "187" } };
    nums.phones = malloc(sizeof(ph));
    memcpy(nums.phones, ph, sizeof(ph));
    nums.nphones = 2;
    assert_int_equal(store_kb_save(st, &nums), ERR_OK);
    /* road works in Talas, over */
    struct kb_article road = { .title = strdup("Yol çalışması"),
                               .body = strdup("Talas bulvarı kapalı"),
                               .keywords = strdup("asfalt"),
                               .active = true,
                               .created_at = 12,
                               .updated_at = 12,
                               .valid_until = now - day };
    road.districts = malloc(2 * sizeof(int64_t));
    road.districts[0] = talas;
    road.districts[1] = melikgazi;
    road.ndistricts = 2;
    memcpy(road.category, "YOL", 4);
    assert_int_equal(store_kb_save(st, &road), ERR_OK);

    /* read back whole */
    struct kb_article g;
    assert_int_equal(store_kb_get(st, nums.id, &g), ERR_OK);
    assert_int_equal(g.nphones, 2);
    assert_string_equal(g.phones[0].name, "Elektrik arıza (AYEDAŞ)");
    assert_string_equal(g.phones[1].number, "187");
    assert_int_equal(g.ndistricts, 0);
    assert_int_equal(g.valid_from, 0);
    assert_int_equal(g.valid_until, 0);
    kb_article_release(&g);
    assert_int_equal(store_kb_get(st, road.id, &g), ERR_OK);
    assert_int_equal(g.ndistricts, 2);
    assert_int_equal(g.districts[0], talas);
    assert_int_equal(g.districts[1], melikgazi);
    assert_int_equal(g.valid_until, now - day);
    assert_string_equal(g.category, "YOL");
    kb_article_release(&g);

    /* states at now: only the numbers are current; the cut is upcoming, the road expired */
    snprintf(want, sizeof(want), "%lld", (long long)nums.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_CURRENT, .now = now }, buf, sizeof(buf)), want);
    snprintf(want, sizeof(want), "%lld", (long long)cut.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_UPCOMING, .now = now }, buf, sizeof(buf)), want);
    snprintf(want, sizeof(want), "%lld", (long long)road.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_EXPIRED, .now = now }, buf, sizeof(buf)), want);
    /* the bounds: valid from its first second, gone at valid_until */
    snprintf(want, sizeof(want), "%lld,%lld", (long long)cut.id, (long long)nums.id);
    assert_string_equal(
        kb_ids(st,
               (struct kb_query){ .state = KB_CURRENT, .now = now + day, .district = melikgazi },
               buf, sizeof(buf)),
        want); /* the district's article before the province-wide one */
    snprintf(want, sizeof(want), "%lld", (long long)nums.id);
    assert_string_equal(kb_ids(st, (struct kb_query){ .state = KB_CURRENT, .now = now + 3 * day },
                               buf, sizeof(buf)),
                        want);
    /* district ordering over every state: Talas's first, then province-wide, then others */
    snprintf(want, sizeof(want), "%lld,%lld,%lld", (long long)road.id, (long long)nums.id,
             (long long)cut.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_ANY, .district = talas }, buf, sizeof(buf)),
        want);
    /* the category filter, and the phones are searchable (name and number) */
    snprintf(want, sizeof(want), "%lld", (long long)road.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_ANY, .category = "YOL" }, buf, sizeof(buf)),
        want);
    snprintf(want, sizeof(want), "%lld", (long long)nums.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_ANY, .q = "186" }, buf, sizeof(buf)), want);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_ANY, .q = "AYEDAS" }, buf, sizeof(buf)), want);
    /* Turkish folding and stemming: "kesinti" finds "kesintileri", capitals fold */
    snprintf(want, sizeof(want), "%lld", (long long)cut.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_ANY, .q = "SU KESİNTİSİ" }, buf, sizeof(buf)),
        want);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_ANY, .q = "kesinti" }, buf, sizeof(buf)), want);

    /* clearing the lists and the window; archiving */
    cut.ndistricts = 0;
    cut.valid_from = cut.valid_until = 0;
    cut.active = false;
    assert_int_equal(store_kb_save(st, &cut), ERR_OK);
    assert_int_equal(store_kb_get(st, cut.id, &g), ERR_OK);
    assert_int_equal(g.ndistricts, 0);
    assert_int_equal(g.valid_from, 0);
    assert_false(g.active);
    kb_article_release(&g);
    snprintf(want, sizeof(want), "%lld", (long long)cut.id);
    assert_string_equal(
        kb_ids(st, (struct kb_query){ .state = KB_ARCHIVED, .now = now }, buf, sizeof(buf)), want);
    kb_article_release(&cut);
    kb_article_release(&nums);
    kb_article_release(&road);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_contacts), CONF_TEST(test_contact_counts),
        CONF_TEST(test_calls),    CONF_TEST(test_agents),
        CONF_TEST(test_kb),       CONF_TEST(test_kb_fields),
    };
    return cmocka_run_group_tests_name("store_contacts", tests, NULL, NULL);
}
