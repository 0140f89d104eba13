// t26: contact-centre KPIs over a period (GET /api/v1/kpi/calls, /kpi/contacts). Calls are posted
// as the exchange sends them (/api/v1/telephony/events: out of order, a duplicate), then the
// figures are checked per bucket against numbers computed by hand here: a short abandon, a
// call answered at exactly 20 s and one at 21 s that crosses a 15-minute boundary, a call
// offered before midnight and answered after it, a transfer, a wrap-up ended by closing the
// contact. Bad input gets a clear 400; other roles 403. Time is pinned (ALO153_NOW).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, addToken, assertError } from '../lib/server.mjs';

const NOW = '2026-03-11T07:00:00Z'; /* 10:00 on 11 March in Istanbul */
const T_NOW = Date.parse(NOW) / 1000;
/* local Istanbul time on 10 March (day 0) or 11 March (day 1) → RFC 3339 UTC */
const L = (h, m, s, day = 0) => new Date(Date.UTC(2026, 2, 10 + day, h - 3, m, s)).toISOString().replace('.000', '');
const sec = (iso) => Date.parse(iso) / 1000;
const near = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);

describe('t26 KPIs over a period', { timeout: 120000 }, () => {
    let srv, sup, admin, agent, tel, articleId;
    const ev = (id, type, at, extra = {}) => ({ call_id: id, type, at, line: '153', queue: 'genel', caller: '05321234567', ...extra });
    async function post(list) {
        const r = await tel.post('/api/v1/telephony/events', { events: list });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.results;
    }
    const calls = (q) => sup.get(`/api/v1/kpi/calls?${q}`);
    let wrapA; /* A's wrap-up: from its end to the contact's close (at NOW) */

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        const q = await admin.patch('/api/v1/settings', { queues: 'genel, zabita' });
        assert.equal(q.status, 200, JSON.stringify(q.body));
        assert.deepEqual(q.body.queues, ['genel', 'zabita']);
        sup = await login(srv.url, 'supervisor');
        agent = await login(srv.url, 'agent');
        tel = client(srv.url, { bearer: await addToken(srv.db, 'pbx-kpi', 'telephony') });
        const a = await sup.post('/api/v1/kb/articles', { title: 'Su kesintisi', body: 'Planlı kesinti 14.00\'te biter.', keywords: 'su kesinti', category: 'SU_ARIZA' });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        articleId = a.body.id;

        /* A: answered at exactly 20 s, talk 120 s; its contact is closed at NOW (wrap-up) */
        const ra = await post([ev('A', 'offered', L(9, 0, 0)), ev('A', 'ringing', L(9, 0, 1), { agent: 'agent' }),
            ev('A', 'answered', L(9, 0, 20), { agent: 'agent' }), ev('A', 'ended', L(9, 2, 20))]);
        /* B: abandoned after 4 s: short */
        await post([ev('B', 'offered', L(9, 5, 0)), ev('B', 'abandoned', L(9, 5, 4))]);
        /* C: offered 09:14:50, answered 09:15:11 (21 s, in the next 15 minutes), talk 60 s */
        await post([ev('C', 'offered', L(9, 14, 50)), ev('C', 'answered', L(9, 15, 11), { agent: 'agent' }), ev('C', 'ended', L(9, 16, 11))]);
        /* D: answered after 10 s, transferred, ended 200 s after the answer */
        await post([ev('D', 'offered', L(9, 30, 0)), ev('D', 'answered', L(9, 30, 10), { agent: 'agent' }),
            ev('D', 'transferred', L(9, 31, 0)), ev('D', 'ended', L(9, 33, 30))]);
        /* E: line phone_alt, offered 23:59:50, answered 00:00:05 the next day (15 s), talk 100 s */
        await post([ev('E', 'offered', L(23, 59, 50), { line: 'phone_alt' }), ev('E', 'answered', L(0, 0, 5, 1), { agent: 'agent', line: 'phone_alt' }),
            ev('E', 'ended', L(0, 1, 45, 1), { line: 'phone_alt' })]);
        /* F: the exchange's events out of order, and one twice: ended, answered, offered, offered */
        await post([ev('F', 'ended', L(10, 1, 30))]);
        await post([ev('F', 'answered', L(10, 0, 30), { agent: 'agent' })]);
        const dup = await post([ev('F', 'offered', L(10, 0, 0)), ev('F', 'offered', L(10, 0, 0))]);
        assert.equal(dup[1].duplicate, true);
        /* G: queue zabita, abandoned after 8 s */
        await post([ev('G', 'offered', L(10, 20, 0), { queue: 'zabita' }), ev('G', 'abandoned', L(10, 20, 8), { queue: 'zabita' })]);
        /* H: 11 March, abandoned after 2 s */
        await post([ev('H', 'offered', L(8, 0, 0, 1)), ev('H', 'abandoned', L(8, 0, 2, 1))]);

        const close = await agent.post(`/api/v1/contacts/${ra[2].contact_id}/close`, { outcome: 'instant_info', kb_article_id: articleId });
        assert.equal(close.status, 200, JSON.stringify(close.body));
        wrapA = T_NOW - sec(L(9, 2, 20));
        /* a walk-in at the desk, closed at once (NOW: 11 March) */
        const walk = await sup.post('/api/v1/contacts', { channel: 'desk', outcome: 'not_relevant', reason: 'prank' });
        assert.equal(walk.status, 201, JSON.stringify(walk.body));
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('10 March by day: the totals computed by hand', async () => {
        const r = await calls('from=2026-03-10&to=2026-03-10&bucket=day');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const t = r.body.totals;
        /* offered A..G; answered A C D E F (waits 20 21 10 15 30); abandoned B (short) G */
        assert.equal(t.offered, 7);
        assert.equal(t.answered, 5);
        assert.equal(t.abandoned, 2);
        assert.equal(t.short_abandoned, 1);
        near(t.answer_rate, 5 / 6, 'answer rate: 5 / (5 + 2 - 1)');
        near(t.service_level, 3 / 6, 'service level: A (exactly 20 s) D E within 20 s');
        near(t.asa_s, (20 + 21 + 10 + 15 + 30) / 5, 'ASA');
        near(t.aht_s, (120 + wrapA + 60 + 200 + 100 + 60) / 5, 'AHT: talk + wrap-up');
        assert.equal(t.max_wait_s, 30);
        assert.deepEqual(r.body.params, { service_level_s: 20, short_abandon_s: 5 });
        assert.equal(r.body.buckets.length, 1);
        assert.equal(r.body.buckets[0].start, '2026-03-10T00:00:00+03:00');
        assert.equal(r.body.buckets[0].offered, 7);
        assert.equal(r.body.from, '2026-03-10T00:00:00+03:00');
        assert.equal(r.body.to, '2026-03-11T00:00:00+03:00');
    });

    it('by hour and by 15 minutes: every bucket present, calls in their offered bucket', async () => {
        const h = (await calls('from=2026-03-10&to=2026-03-10&bucket=1h')).body;
        assert.equal(h.buckets.length, 24);
        assert.equal(h.buckets[0].start, '2026-03-10T00:00:00+03:00');
        assert.equal(h.buckets[9].start, '2026-03-10T09:00:00+03:00');
        const b9 = h.buckets[9]; /* A B C D */
        assert.deepEqual([b9.offered, b9.answered, b9.abandoned, b9.short_abandoned, b9.max_wait_s], [4, 3, 1, 1, 21]);
        near(b9.service_level, 2 / 3, '09: A and D within 20 s of 3 counted');
        const b10 = h.buckets[10]; /* F G */
        assert.deepEqual([b10.offered, b10.answered, b10.abandoned, b10.short_abandoned, b10.max_wait_s], [2, 1, 1, 0, 30]);
        near(b10.answer_rate, 1 / 2, '10: F answered, G abandoned');
        assert.deepEqual([h.buckets[23].offered, h.buckets[23].answered], [1, 1], 'E offered before midnight');
        for (const [i, b] of h.buckets.entries())
            if (![9, 10, 23].includes(i)) assert.deepEqual([b.offered, b.answer_rate, b.asa_s], [0, 0, 0], `hour ${i} is empty`);

        const q = (await calls('from=2026-03-10&to=2026-03-10&bucket=15m')).body;
        assert.equal(q.buckets.length, 96);
        assert.equal(q.buckets[36].start, '2026-03-10T09:00:00+03:00');
        assert.equal(q.buckets[36].offered, 3, 'A B and C (offered 09:14:50, answered 09:15:11)');
        assert.equal(q.buckets[37].offered, 0);
        assert.equal(q.buckets[38].offered, 1, 'D');
        near(q.buckets[38].aht_s, 200, 'the transferred call: one call, its whole talk');
        assert.equal(q.buckets[95].start, '2026-03-10T23:45:00+03:00');
        assert.equal(q.buckets[95].offered, 1);

        const half = (await calls('from=2026-03-10&to=2026-03-10&bucket=30m')).body;
        assert.equal(half.buckets.length, 48);
        assert.equal(half.buckets[18].offered, 3);
    });

    it('two days, a month, years clipped to the period; filters by queue, line and agent', async () => {
        const d = (await calls('from=2026-03-10&to=2026-03-11&bucket=day')).body;
        assert.deepEqual(d.buckets.map((b) => [b.start, b.offered, b.short_abandoned]),
            [['2026-03-10T00:00:00+03:00', 7, 1], ['2026-03-11T00:00:00+03:00', 1, 1]]);
        const m = (await calls('from=2026-03-01&to=2026-03-31&bucket=month')).body;
        assert.equal(m.buckets.length, 1);
        assert.equal(m.totals.offered, 8);
        const y = (await calls('from=2025-12-15&to=2026-03-31&bucket=year')).body;
        assert.deepEqual(y.buckets.map((b) => [b.start, b.offered]),
            [['2025-12-15T00:00:00+03:00', 0], ['2026-01-01T00:00:00+03:00', 8]]);
        const mo = (await calls('from=2026-02-01&to=2026-04-30&bucket=month')).body;
        assert.deepEqual(mo.buckets.map((b) => b.offered), [0, 8, 0]);

        const z = (await calls('from=2026-03-10&to=2026-03-11&queue=zabita')).body.totals;
        assert.deepEqual([z.offered, z.abandoned, z.short_abandoned], [1, 1, 0]);
        const alt = (await calls('from=2026-03-10&to=2026-03-11&line=phone_alt')).body.totals;
        assert.deepEqual([alt.offered, alt.answered], [1, 1]);
        const ag = (await calls('from=2026-03-10&to=2026-03-11&agent=agent&bucket=month')).body.totals;
        assert.deepEqual([ag.offered, ag.answered, ag.abandoned], [5, 5, 0]);
        const none = (await calls('from=2026-03-10&to=2026-03-11&queue=yok')).body;
        assert.equal(none.totals.offered, 0);
        assert.equal(none.buckets.length, 2);
    });

    it('contacts by channel and outcome: instant information against the rest', async () => {
        const r = await sup.get('/api/v1/kpi/contacts?from=2026-03-10&to=2026-03-11&bucket=day');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const t = r.body.totals;
        /* A C D E F (A closed with an article), the walk-in on 11 March */
        assert.equal(t.total, 6);
        assert.equal(t.open, 4);
        assert.equal(t.by_outcome.instant_info, 1);
        assert.equal(t.by_outcome.not_relevant, 1);
        assert.equal(t.by_outcome.application, 0);
        assert.deepEqual(t.by_channel, { desk: 1, phone_153: 4, phone_alt: 1 });
        near(t.instant_info_share, 1 / 2, 'instant information of the closed contacts');
        assert.deepEqual(r.body.buckets.map((b) => [b.start, b.total]),
            [['2026-03-10T00:00:00+03:00', 5], ['2026-03-11T00:00:00+03:00', 1]]);
        const h = (await sup.get('/api/v1/kpi/contacts?from=2026-03-10&to=2026-03-10&bucket=1h')).body;
        assert.equal(h.buckets.length, 24);
        assert.equal(h.buckets[9].total, 3, 'A C D by their start');
        assert.equal(h.buckets[9].by_outcome.instant_info, 1);
    });

    it('bad input: 400 with the field named, and 403 for other roles', async () => {
        assertError(await calls('to=2026-03-10'), 400, 'invalid_field', 'from');
        assertError(await calls('from=2026-03-10'), 400, 'invalid_field', 'to');
        assertError(await calls('from=10.03.2026&to=2026-03-10'), 400, 'invalid_field', 'from');
        assertError(await calls('from=2026-02-30&to=2026-03-10'), 400, 'invalid_field', 'from');
        assertError(await calls('from=2026-03-11&to=2026-03-10'), 400, 'invalid_field', 'to');
        assertError(await calls('from=2026-03-10&to=2026-03-10&bucket=week'), 400, 'invalid_field', 'bucket');
        assertError(await calls('from=2026-01-01&to=2026-02-01&bucket=15m'), 400, 'too_many_buckets', 'bucket');
        assertError(await calls('from=2016-01-01&to=2026-12-31&bucket=day'), 400, 'too_many_buckets', 'bucket');
        assertError(await calls('from=2026-03-10&to=2026-03-10&agent=kimse'), 400, 'unknown_agent', 'agent');
        assertError(await sup.get('/api/v1/kpi/contacts?from=2026-03-10&to=2026-03-10&bucket=2h'), 400, 'invalid_field', 'bucket');
        const ok = await calls('from=2026-01-01&to=2026-01-31&bucket=15m');
        assert.equal(ok.body.buckets.length, 31 * 96, '15 minutes over 31 days is allowed');
        for (const c of [agent, tel])
            for (const p of ['/api/v1/kpi/calls?from=2026-03-10&to=2026-03-10', '/api/v1/kpi/contacts?from=2026-03-10&to=2026-03-10'])
                assertError(await c.get(p), 403);
        assert.equal((await admin.get('/api/v1/kpi/calls?from=2026-03-10&to=2026-03-10')).status, 200);
    });
});
