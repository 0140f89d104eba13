/* The AMI parser (bounds, junk, CRLF or LF, any split), the Login action, the agent map and
 * the mapping of Asterisk 18+ events to telephony events (src/cti/ami.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cti/ami.h"

#define T0 INT64_C(1773129600)

/* What the parser delivered: up to 8 messages (copied) and the junk it reported. */
static struct {
    struct ami_msg msgs[8];
    int n;
    int bad;
    char last_bad[64];
} got;

static void keep(const struct ami_msg *m, void *arg)
{
    (void)arg;
    if (got.n < 8) {
        struct ami_msg *c = &got.msgs[got.n++];
        memcpy(c, m, sizeof(*c)); /* rebase the pointers into the copy's buffer */
        for (size_t i = 0; i < m->n; i++) {
            c->f[i].key = c->buf + (m->f[i].key - m->buf);
            c->f[i].value = c->buf + (m->f[i].value - m->buf);
        }
    }
}

static void junk(const char *why, const char *line, void *arg)
{
    (void)arg;
    (void)line;
    got.bad++;
    snprintf(got.last_bad, sizeof(got.last_bad), "%.60s", why);
}

static struct ami_parser parser;

/* Parse text (its bytes fed `step` at a time; 0 = all at once) from a fresh parser. */
static void parse(const char *text, size_t step)
{
    memset(&got, 0, sizeof(got));
    ami_parser_init(&parser, keep, junk, NULL);
    size_t n = strlen(text);
    if (!step)
        step = n ? n : 1;
    for (size_t i = 0; i < n; i += step)
        ami_feed(&parser, text + i, n - i < step ? n - i : step);
}

static const char hello[] = "Asterisk Call Manager/5.0.2\r\n"
                            "Response: Success\r\nActionID: a1\r\nMessage: Authentication "
                            "accepted\r\n\r\n"
                            "Event: QueueCallerJoin\r\nPrivilege: agent,all\r\nTimestamp: "
                            "1773129660.104512\r\nCallerIDNum: 05321110001\r\nExten: 153\r\n"
                            "Uniqueid: 1773129660.17\r\nLinkedid: 1773129660.17\r\nQueue: "
                            "alo153\r\nPosition: 1\r\n\r\n";

static void test_parse_any_split(void **state)
{
    (void)state;
    for (size_t step = 0; step < 8; step++) {
        parse(hello, step);
        assert_string_equal(parser.banner, "Asterisk Call Manager/5.0.2");
        assert_int_equal(got.n, 2);
        assert_int_equal(got.bad, 0);
        assert_string_equal(ami_get(&got.msgs[0], "response"), "Success");
        assert_string_equal(ami_get(&got.msgs[0], "Message"), "Authentication accepted");
        assert_string_equal(ami_get(&got.msgs[1], "EVENT"), "QueueCallerJoin");
        assert_string_equal(ami_get(&got.msgs[1], "Linkedid"), "1773129660.17");
        assert_null(ami_get(&got.msgs[1], "Channel"));
    }
}

static void test_parse_lf_only_and_values(void **state)
{
    (void)state;
    parse("Asterisk Call Manager/5.0.2\nEvent: Hangup\nAccountCode: \nCause-txt:   Normal "
          "Clearing  \nUniqueid:1.2\n\n\n\nEvent: X\n",
          3);
    assert_int_equal(got.n, 1); /* the second message never ended */
    assert_string_equal(ami_get(&got.msgs[0], "AccountCode"), "");
    assert_string_equal(ami_get(&got.msgs[0], "Cause-txt"), "Normal Clearing");
    assert_string_equal(ami_get(&got.msgs[0], "Uniqueid"), "1.2");
    ami_feed(&parser, "\r\n", 2);
    assert_int_equal(got.n, 2);
    assert_int_equal(got.bad, 0);
}

static void test_parse_junk(void **state)
{
    (void)state;
    char long_line[3000];
    memset(long_line, 'x', sizeof(long_line) - 1);
    long_line[sizeof(long_line) - 1] = '\0';
    /* a line without a colon, an empty key, a key with a space: skipped; the message stays */
    parse("Asterisk Call Manager/5.0.2\r\nEvent: AgentConnect\r\nbu satır bozuk\r\n: "
          "değersiz\r\nMember Name: x\r\nQueue: alo153\r\n\r\n",
          0);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.bad, 3);
    assert_int_equal(parser.malformed, 3);
    assert_string_equal(got.last_bad, "not a 'Key: Value' line");
    assert_int_equal(got.msgs[0].n, 2);
    assert_string_equal(ami_get(&got.msgs[0], "Queue"), "alo153");
    /* an overlong line is skipped whole, the next message is read */
    parse("", 0);
    ami_feed(&parser, "Event: A\r\n", 10);
    ami_feed(&parser, long_line, strlen(long_line));
    const char *rest = "\r\nQueue: q\r\n\r\nEvent: B\r\n\r\n";
    ami_feed(&parser, rest, strlen(rest));
    assert_int_equal(got.bad, 1);
    assert_string_equal(got.last_bad, "line longer than 1024 bytes");
    assert_int_equal(got.n, 2);
    assert_string_equal(ami_get(&got.msgs[0], "Queue"), "q");
    assert_string_equal(ami_get(&got.msgs[1], "Event"), "B");
    /* a message of too many fields is dropped at its end, the next one is read */
    parse("", 0);
    for (int i = 0; i < AMI_FIELDS_MAX + 1; i++) {
        char f[32];
        snprintf(f, sizeof(f), "K%d: v\r\n", i);
        ami_feed(&parser, f, strlen(f));
    }
    ami_feed(&parser, "\r\nEvent: C\r\n\r\n", 14);
    assert_int_equal(got.n, 1);
    assert_string_equal(ami_get(&got.msgs[0], "Event"), "C");
    assert_int_equal(got.bad, 1);
    assert_string_equal(got.last_bad, "message over its bounds");
    /* NUL bytes in a line: junk, never a crash */
    parse("", 0);
    ami_feed(&parser, "Event: D\r\nKey\0: v\r\n\r\n", 21);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.bad, 1);
}

static void test_login_action(void **state)
{
    (void)state;
    char buf[256];
    assert_true(ami_login_action(buf, sizeof(buf), "alo153", "gizli", "l-1"));
    assert_string_equal(buf, "Action: Login\r\nActionID: l-1\r\nUsername: alo153\r\nSecret: "
                             "gizli\r\nEvents: call,agent\r\n\r\n");
    assert_false(ami_login_action(buf, sizeof(buf), "alo153", "gizli\r\nAction: Command", "l"));
    assert_false(ami_login_action(buf, 20, "alo153", "gizli", "l-1"));
}

/* The one message of text (without a banner: a proxy may not send one). */
static const struct ami_msg *msg_of(const char *text)
{
    parse(text, 0);
    assert_int_equal(got.n, 1);
    return &got.msgs[0];
}

static void test_map_call_events(void **state)
{
    (void)state;
    struct ami_event e;
    const char *why;
    const struct ami_msg *m = msg_of(strstr(hello, "Event: QueueCallerJoin"));
    assert_int_equal(ami_map(m, NULL, 5, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "queued");
    assert_string_equal(e.call_id, "1773129660.17");
    assert_int_equal(e.at, T0 + 60);
    assert_string_equal(e.caller, "05321110001");
    assert_string_equal(e.queue, "alo153");
    assert_string_equal(e.line, "153");
    assert_false(e.needs_known_call);
    /* no Timestamp (timestampevents=no): the time it was received */
    m = msg_of("Event: QueueCallerAbandon\r\nUniqueid: 9.1\r\nLinkedid: 9.1\r\nQueue: "
               "q\r\nCallerIDNum: <unknown>\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, T0 + 7, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "abandoned");
    assert_int_equal(e.at, T0 + 7);
    assert_string_equal(e.caller, "");
    m = msg_of("Event: QueueCallerAbandon\r\nTimestamp: soon\r\nLinkedid: 9.1\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, T0, &e, &why), AMI_UNUSABLE);
    assert_string_equal(why, "bad Timestamp");
    /* an answer names its agent; without MemberName it cannot be recorded */
    m = msg_of("Event: AgentConnect\r\nTimestamp: 1773129668.5\r\nUniqueid: 1.1\r\nLinkedid: "
               "1.1\r\nDestUniqueid: 1.2\r\nDestLinkedid: 1.1\r\nQueue: alo153\r\nInterface: "
               "PJSIP/2001\r\nMemberName: ayse\r\nHoldTime: 8\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 0, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "answered");
    assert_string_equal(e.agent, "ayse");
    assert_string_equal(e.call_id, "1.1");
    assert_int_equal(e.at, T0 + 68);
    m = msg_of("Event: AgentConnect\r\nLinkedid: 1.1\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_UNUSABLE);
    assert_string_equal(why, "no MemberName");
    m = msg_of("Event: AgentComplete\r\nUniqueid: 1.1\r\nReason: caller\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "ended");
    assert_string_equal(e.call_id, "1.1"); /* Uniqueid when there is no Linkedid */
    assert_string_equal(e.agent, "");      /* an end needs no agent */
    m = msg_of("Event: AgentRingNoAnswer\r\nLinkedid: 1.1\r\nMemberName: zeynep\r\nRingTime: "
               "15000\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "ringing");
    assert_string_equal(e.agent, "zeynep");
    m = msg_of("Event: QueueCallerJoin\r\nQueue: q\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_UNUSABLE);
    assert_string_equal(why, "no Linkedid");
    m = msg_of("Event: Newchannel\r\nUniqueid: 1.1\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_IGNORED);
    m = msg_of("Response: Success\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_IGNORED);
}

static void test_map_hangup_and_transfers(void **state)
{
    (void)state;
    struct ami_event e;
    const char *why;
    /* the caller's channel (Uniqueid = Linkedid) ends the call; an agent's leg does not */
    const struct ami_msg *m =
        msg_of("Event: Hangup\r\nTimestamp: 1773129788.1\r\nUniqueid: 1.1\r\nLinkedid: "
               "1.1\r\nCause: 16\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "ended");
    assert_true(e.needs_known_call);
    assert_int_equal(e.at, T0 + 188);
    m = msg_of("Event: Hangup\r\nUniqueid: 1.2\r\nLinkedid: 1.1\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_IGNORED);
    m = msg_of("Event: BlindTransfer\r\nResult: Fail\r\nTransfereeLinkedid: 1.1\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_IGNORED);
    m = msg_of("Event: BlindTransfer\r\nResult: Success\r\nTransfererUniqueid: "
               "1.2\r\nTransfererLinkedid: 1.1\r\nTransfereeUniqueid: 1.1\r\nTransfereeLinkedid: "
               "1.1\r\nExtension: 2105\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "transferred");
    assert_string_equal(e.call_id, "1.1");
    assert_true(e.needs_known_call);
    m = msg_of("Event: AttendedTransfer\r\nResult: Success\r\nOrigTransfererLinkedid: "
               "2.1\r\nSecondTransfererLinkedid: 3.1\r\nTransferTargetLinkedid: 3.1\r\n\r\n");
    assert_int_equal(ami_map(m, NULL, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.call_id, "2.1");
}

static void test_map_agents(void **state)
{
    (void)state;
    char path[] = "/tmp/alo153-ami-map-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "# member  user\nMehmet Kaya   mehmet\n\nPJSIP/2003 zeynep # desk 3\n";
    assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
    close(fd);
    struct ami_agent_map map;
    const char *why;
    int line;
    assert_true(ami_agent_map_load(path, &map, &why, &line));
    assert_int_equal(map.n, 2);
    struct ami_event e;
    const struct ami_msg *m = msg_of("Event: QueueMemberPause\r\nTimestamp: 1773133100.2\r\n"
                                     "MemberName: Mehmet Kaya\r\nInterface: PJSIP/2002\r\n"
                                     "Paused: 1\r\nPausedReason: Toplantı\r\n\r\n");
    assert_int_equal(ami_map(m, &map, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "agent_pause");
    assert_string_equal(e.agent, "mehmet");
    assert_string_equal(e.reason, "meeting");
    assert_string_equal(e.call_id, "");
    assert_int_equal(e.at, T0 + 3500);
    m = msg_of("Event: QueueMemberPause\r\nMemberName: Zeynep Ak\r\nInterface: "
               "PJSIP/2003\r\nPaused: 0\r\n\r\n");
    assert_int_equal(ami_map(m, &map, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "agent_ready");
    assert_string_equal(e.agent, "zeynep"); /* by Interface */
    m = msg_of("Event: QueueMemberPause\r\nMemberName: ayse\r\nPaused: 1\r\nPausedReason: "
               "sigara\r\n\r\n");
    assert_int_equal(ami_map(m, &map, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.agent, "ayse"); /* not in the map: MemberName */
    assert_string_equal(e.reason, "break");
    m = msg_of("Event: QueueMemberPause\r\nMemberName: ayse\r\nPaused: maybe\r\n\r\n");
    assert_int_equal(ami_map(m, &map, 1, &e, &why), AMI_UNUSABLE);
    m = msg_of("Event: QueueMemberAdded\r\nInterface: PJSIP/2009\r\n\r\n");
    assert_int_equal(ami_map(m, &map, 1, &e, &why), AMI_UNUSABLE);
    assert_string_equal(why, "no MemberName");
    m = msg_of("Event: QueueMemberRemoved\r\nMemberName: ayse\r\n\r\n");
    assert_int_equal(ami_map(m, &map, 1, &e, &why), AMI_MAPPED);
    assert_string_equal(e.type, "agent_logout");
    ami_agent_map_free(&map);
    /* a line with one word is an error that names the line */
    FILE *f = fopen(path, "w");
    fputs("PJSIP/2001 ayse\nyalniz\n", f);
    fclose(f);
    assert_false(ami_agent_map_load(path, &map, &why, &line));
    assert_int_equal(line, 2);
    assert_null(map.e);
    unlink(path);
    assert_false(ami_agent_map_load(path, &map, &why, &line));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_any_split), cmocka_unit_test(test_parse_lf_only_and_values),
        cmocka_unit_test(test_parse_junk),      cmocka_unit_test(test_login_action),
        cmocka_unit_test(test_map_call_events), cmocka_unit_test(test_map_hangup_and_transfers),
        cmocka_unit_test(test_map_agents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
