#!/usr/bin/env python3
"""Write the AMI transcripts of tests/ami/*.txt from the call tables below.

The messages are what Asterisk 18+ sends on the Manager Interface with timestampevents=yes
(field names and order from the AMI event documentation: QueueCallerJoin, AgentCalled,
AgentRingNoAnswer, AgentConnect, QueueCallerLeave, QueueCallerAbandon, AgentComplete,
BlindTransfer, AttendedTransfer, Hangup, QueueMemberAdded, QueueMemberPause), with the noise
a real stream carries (Newchannel, VarSet, BridgeEnter) that alo153 ignores. The day is
Tuesday 2026-03-10, 08:00-09:00 UTC (11:00-12:00 in Istanbul).

Lines of a transcript the replay server (replay.mjs) does not send:
  ## text        a comment
  #! lf          from here on, lines end in LF alone (not CRLF)
  #! long N      a junk line of N bytes (over the parser's 1024-byte line bound)
  #! bigmsg N    a message of N fields (over the parser's 96-field bound)
Everything else is sent as it stands, a blank line ending each message.

Run: python3 tests/ami/gen.py   (rewrites the .txt files next to it)
"""
import os

T = 1773129600  # 2026-03-10T08:00:00Z
HERE = os.path.dirname(os.path.abspath(__file__))

AGENTS = {  # alo153 user → (Interface, MemberName)
    'ayse': ('PJSIP/2001', 'ayse'),
    'mehmet': ('PJSIP/2002', 'Mehmet Kaya'),  # mapped by tests/ami/agents.map
    'zeynep': ('PJSIP/2003', 'zeynep'),
}

seq = [100]


def uid(t):
    seq[0] += 1
    return f'{T + t}.{seq[0]}'


def ts(t, frac=0):
    return f'{T + t}.{(frac * 7919 + 104729) % 1000000:06d}'


def msg(event, t, fields, priv='agent,all', frac=0):
    lines = [f'Event: {event}', f'Privilege: {priv}', f'Timestamp: {ts(t, frac)}']
    lines += [f'{k}: {v}' for k, v in fields]
    return '\n'.join(lines) + '\n'


def chan(c, prefix=''):
    """The channel fields of Asterisk's channel snapshot (ast_manager_build_channel_state_string)."""
    return [(prefix + k, v) for k, v in [
        ('Channel', c['name']), ('ChannelState', '6'), ('ChannelStateDesc', 'Up'),
        ('CallerIDNum', c['num']), ('CallerIDName', c.get('cname', '<unknown>')),
        ('ConnectedLineNum', c.get('cl', '<unknown>')), ('ConnectedLineName', '<unknown>'),
        ('Language', 'tr'), ('AccountCode', ''), ('Context', c['ctx']), ('Exten', c['exten']),
        ('Priority', '1'), ('Uniqueid', c['uid']), ('Linkedid', c['lid'])]]


def member(agent):
    iface, name = AGENTS[agent]
    return [('Queue', 'alo153'), ('Interface', iface), ('MemberName', name)]


def member_state(agent, paused, reason='', t=0):
    iface, name = AGENTS[agent]
    return [('Queue', 'alo153'), ('MemberName', name), ('Interface', iface),
            ('StateInterface', iface), ('Membership', 'dynamic'), ('Penalty', '0'),
            ('CallsTaken', '0'), ('LastCall', '0'), ('LastPause', str(T + t if paused else 0)),
            ('LoginTime', str(T)), ('InCall', '0'), ('Status', '1'), ('Paused', '1' if paused else '0'),
            ('PausedReason', reason), ('Ringinuse', '0'), ('Wrapuptime', '0')]


class Call:
    n = 0

    def __init__(self, t, caller):
        Call.n += 1
        self.t = t
        u = uid(t)
        self.c = {'name': f'PJSIP/ttnet-{Call.n:08x}', 'num': caller, 'ctx': 'alo153-queue',
                  'exten': '153', 'uid': u, 'lid': u}
        self.legs = {}

    def leg(self, agent, t):
        if agent not in self.legs:
            iface = AGENTS[agent][0]
            self.legs[agent] = {'name': f'{iface}-{Call.n:08x}', 'num': iface.split('/')[1],
                                'cl': self.c['num'], 'ctx': 'from-queue', 'exten': '153',
                                'uid': uid(t), 'lid': self.c['lid']}
        return self.legs[agent]

    def join(self):
        return [msg('Newchannel', self.t, chan(self.c), priv='call,all'),
                msg('VarSet', self.t, chan(self.c) + [('Variable', 'CHANNEL(language)'), ('Value', 'tr')],
                    priv='dialplan,all'),
                msg('QueueCallerJoin', self.t, chan(self.c) + [('Queue', 'alo153'), ('Position', '1'), ('Count', '1')])]

    def ring(self, agent, t):
        return [msg('AgentCalled', t, chan(self.c) + chan(self.leg(agent, t), 'Dest') + member(agent))]

    def no_answer(self, agent, t, ring_ms):
        return [msg('AgentRingNoAnswer', t, chan(self.c) + chan(self.leg(agent, t), 'Dest') + member(agent)
                    + [('RingTime', str(ring_ms))])]

    def connect(self, agent, t):
        hold = t - self.t
        return [msg('QueueCallerLeave', t, chan(self.c) + [('Queue', 'alo153'), ('Count', '0'), ('Position', '1')]),
                msg('AgentConnect', t, chan(self.c) + chan(self.leg(agent, t), 'Dest') + member(agent)
                    + [('HoldTime', str(hold)), ('RingTime', '3')], frac=1),
                msg('BridgeEnter', t, [('BridgeUniqueid', f'br-{self.c["uid"]}'), ('BridgeType', 'basic')]
                    + chan(self.c), priv='call,all')]

    def complete(self, agent, t, talk, reason='caller'):
        hold = t - talk - self.t
        out = [msg('AgentComplete', t, chan(self.c) + chan(self.leg(agent, t), 'Dest') + member(agent)
                   + [('HoldTime', str(hold)), ('TalkTime', str(talk)), ('Reason', reason)], frac=2)]
        if reason != 'transfer':
            out += self.hangup(t)
        return out

    def hangup(self, t):
        out = [msg('Hangup', t, chan(self.c) + [('Cause', '16'), ('Cause-txt', 'Normal Clearing')],
                   priv='call,all', frac=3)]
        for leg in self.legs.values():  # the agents' legs: not the caller's channel, ignored
            out.append(msg('Hangup', t, chan(leg) + [('Cause', '16'), ('Cause-txt', 'Normal Clearing')],
                           priv='call,all', frac=4))
        return out

    def abandon(self, t):
        return [msg('QueueCallerAbandon', t, chan(self.c) + [('Queue', 'alo153'), ('Position', '1'),
                                                             ('OriginalPosition', '1'), ('HoldTime', str(t - self.t))])] \
            + self.hangup(t)

    def answered(self, agent, wait, talk, rna=None):
        out = self.join()
        if rna:  # another agent rang first and did not answer
            other, after = rna
            out += self.ring(other, self.t + 1) + self.no_answer(other, self.t + after, (after - 1) * 1000)
        out += self.ring(agent, self.t + wait - 3) + self.connect(agent, self.t + wait)
        out += self.complete(agent, self.t + wait + talk, talk)
        return out

    def abandoned(self, wait, rung='ayse'):
        out = self.join()
        if wait > 2:
            out += self.ring(rung, self.t + 1)
        return out + self.abandon(self.t + wait)


def logins(t):
    return [msg('QueueMemberAdded', t, member_state(a, False)) for a in AGENTS]


def pause(agent, t, reason):
    return [msg('QueueMemberPause', t, member_state(agent, True, reason, t))]


def unpause(agent, t):
    return [msg('QueueMemberPause', t, member_state(agent, False))]


def write(name, head, msgs):
    with open(os.path.join(HERE, name), 'w') as f:
        f.write(head)
        f.write('\n'.join(msgs) + '\n')


def interleave(*timed):
    """Messages of several calls in time order (stable for equal times)."""
    out = []
    for block in timed:
        out += block
    return [m for _, _, m in sorted(((int(m.split('Timestamp: ')[1].split('.')[0]), i, m)
                                     for i, m in enumerate(out)))]


def hour():
    """20 calls: 17 answered, 3 abandoned (one after 3 s, a short abandon)."""
    table = [  # (offset s, caller, agent or None, wait s, talk s, ring-no-answer)
        (60, '05321110001', 'ayse', 8, 120, None),
        (180, '05321110002', 'mehmet', 12, 200, None),
        (300, '05321110003', 'zeynep', 5, 90, None),
        (420, '05321110004', None, 45, 0, None),
        (600, '05321110005', 'ayse', 15, 180, None),
        (700, '05321110006', 'mehmet', 25, 150, ('zeynep', 20)),
        (900, '05321110007', 'zeynep', 10, 60, None),
        (1100, '05321110008', None, 3, 0, None),
        (1200, '05321110009', 'ayse', 20, 240, None),
        (1500, '05321110010', 'mehmet', 30, 120, None),
        (1700, '05321110011', 'ayse', 6, 100, None),
        (1900, '05321110012', 'mehmet', 18, 90, None),
        (2100, '05321110013', None, 62, 0, None),
        (2300, '05321110014', 'ayse', 9, 300, None),
        (2600, '05321110015', 'mehmet', 40, 110, None),
        (2800, '05321110016', 'zeynep', 7, 80, None),
        (3000, '05321110017', 'ayse', 11, 95, None),
        (3100, '05321110018', 'zeynep', 20, 70, None),
        (3300, '05321110019', 'mehmet', 14, 60, None),
        (3400, '05321110020', 'ayse', 4, 120, None),
    ]
    blocks = [logins(0)]
    for t, caller, agent, wait, talk, rna in table:
        c = Call(t, caller)
        blocks.append(c.answered(agent, wait, talk, rna) if agent else c.abandoned(wait))
    blocks += [pause('zeynep', 1800, 'mola'), unpause('zeynep', 2700), pause('mehmet', 3500, 'Toplantı')]
    write('hour.txt', '## A normal hour on queue alo153: 20 calls, 3 agents (gen.py)\n\n', interleave(*blocks))


def abandon():
    """One call rings ayse (no answer), then zeynep, and hangs up after 32 s; one after 2 s."""
    c = Call(600, '05321110101')
    m = c.join() + c.ring('ayse', 601) + c.no_answer('ayse', 616, 15000) + c.ring('zeynep', 617) + c.abandon(632)
    d = Call(900, '05321110102')
    write('abandon.txt', '## Abandoned before an answer (gen.py)\n\n', m + d.abandoned(2))


def transfer():
    """A: ayse blind-transfers to 2105; B: zeynep attended-transfers to 2200; C: a failed one."""
    a = Call(600, '05321110201')
    m = a.join() + a.ring('ayse', 603) + a.connect('ayse', 606)
    leg = a.leg('ayse', 606)
    m.append(msg('BlindTransfer', 700, [('Result', 'Success')] + chan(leg, 'Transferer') + chan(a.c, 'Transferee')
                 + [('BridgeUniqueid', 'br-a'), ('BridgeType', 'basic'), ('BridgeTechnology', 'simple_bridge'),
                    ('BridgeCreator', '<unknown>'), ('BridgeName', '<unknown>'), ('BridgeNumChannels', '2'),
                    ('BridgeVideoSourceMode', 'none'), ('IsExternal', 'No'), ('Context', 'internal'),
                    ('Extension', '2105')], priv='call,all'))
    m += a.complete('ayse', 700, 94, reason='transfer')
    m += [msg('Hangup', 700, chan(leg) + [('Cause', '16'), ('Cause-txt', 'Normal Clearing')], priv='call,all')]
    a.legs = {}
    m += a.hangup(820)  # the caller, after talking to 2105
    b = Call(900, '05321110202')
    m += b.join() + b.ring('zeynep', 902) + b.connect('zeynep', 905)
    bleg = b.leg('zeynep', 905)
    cons_uid = uid(960)  # zeynep's consultation call to 2200: a call of its own
    cons = {'name': 'PJSIP/2003-000000aa', 'num': '2003', 'ctx': 'internal', 'exten': '2200',
            'uid': cons_uid, 'lid': cons_uid}
    target = {'name': 'PJSIP/2200-000000ab', 'num': '2200', 'ctx': 'internal', 'exten': '2200',
              'uid': uid(961), 'lid': cons_uid}
    m.append(msg('AttendedTransfer', 990, [('Result', 'Success')] + chan(bleg, 'OrigTransferer')
                 + [('OrigBridgeUniqueid', 'br-b'), ('OrigBridgeType', 'basic')]
                 + chan(cons, 'SecondTransferer') + [('SecondBridgeUniqueid', 'br-cons'),
                                                     ('SecondBridgeType', 'basic'), ('DestType', 'Link'),
                                                     ('LocalOneChannel', 'Local/2200@internal-0001;1'),
                                                     ('LocalTwoChannel', 'Local/2200@internal-0001;2')]
                 + chan(target, 'TransferTarget') + chan(b.c, 'Transferee') + [('IsExternal', 'No')],
                 priv='call,all'))
    m += b.complete('zeynep', 990, 85, reason='transfer')
    m += [msg('Hangup', 990, chan(cons) + [('Cause', '16'), ('Cause-txt', 'Normal Clearing')], priv='call,all')]
    b.legs = {}
    m += b.hangup(1100)
    c = Call(1200, '05321110203')
    m += c.join() + c.ring('mehmet', 1204) + c.connect('mehmet', 1207)
    m.append(msg('BlindTransfer', 1250, [('Result', 'Fail')] + chan(c.leg('mehmet', 1207), 'Transferer')
                 + chan(c.c, 'Transferee') + [('IsExternal', 'No'), ('Context', 'internal'), ('Extension', '9999')],
                 priv='call,all'))
    m += c.complete('mehmet', 1300, 93)
    write('transfer.txt', '## Transfers: a blind one, an attended one, a failed one (gen.py)\n\n', m)


def duplicates():
    """Two calls whose every event comes twice (AgentConnect three times), and a member in two
    queues whose pause comes once per queue with the same Timestamp."""
    out = []
    for t, caller, agent in [(600, '05321110301', 'ayse'), (700, '05321110302', 'zeynep')]:
        c = Call(t, caller)
        for m in c.answered(agent, 10, 50):
            out += [m, m] + ([m] if 'Event: AgentConnect' in m else [])
    p = pause('ayse', 800, 'training')[0]
    out += [p, p.replace('Queue: alo153', 'Queue: alo153-en')]
    write('duplicates.txt', '## Every event twice (gen.py)\n\n', out)


def malformed():
    """A call whose stream carries junk: a line without a colon, an empty key, an overlong line,
    a message of too many fields, LF-only line ends; then a clean call."""
    a = Call(600, '05321110401')
    m = a.join() + a.ring('ayse', 603)
    conn = a.connect('ayse', 606)
    conn[1] = conn[1].replace('HoldTime: 6\n', 'HoldTime: 6\nbu satır bozuk\n: değersiz\n')
    m += conn
    m.append('#! long 3000\n')
    m.append('#! bigmsg 200\n')
    m.append('#! lf\n')
    m += a.complete('ayse', 700, 94)
    b = Call(800, '05321110402')
    m += b.answered('zeynep', 9, 40)
    write('malformed.txt', '## Junk in the stream (gen.py)\n\n', m)


if __name__ == '__main__':
    hour()
    abandon()
    transfer()
    duplicates()
    malformed()
