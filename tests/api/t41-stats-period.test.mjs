// t41: the supervisor dashboard's period (issue 14 item 10) and the list's total (item 11).
// GET /api/v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD adds "period": counts by status, department
// and channel, a trend of every Istanbul day (registered, resolved), the on-time share by
// department and per-user figures (registered, closed, calls answered); department staff see
// their subtree. GET /api/v1/applications carries on its first page the total of the filter,
// exact up to 1000, else total 1000 with total_capped. A known set of applications is made
// on an empty database with a pinned clock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError } from '../lib/server.mjs';

/* NOW is Tuesday 2026-03-10, 12:00 in Istanbul (UTC+3) */
const T = {
    before: '2026-03-03T20:59:59Z', /* 23:59:59 on 3 March in Istanbul: before the period */
    first: '2026-03-03T21:00:00Z', /* 00:00 on 4 March in Istanbul: the period's first second */
    yestLast: '2026-03-09T20:59:59Z', /* 23:59:59 on 9 March */
    todayFirst: '2026-03-09T21:00:00Z', /* 00:00 on 10 March */
    now: '2026-03-10T09:00:00Z',
};
const DAYS = ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'];

describe('t41 stats for a period, list totals', { timeout: 90000 }, () => {
    let srv;
    const A = {};
    let c = {};

    async function at(t, users = ['agent', 'desk']) {
        if (srv.proc.exitCode === null) await srv.stop();
        await srv.restart({ env: { ALO153_NOW: t } });
        c = {};
        for (const u of users) c[u] = await login(srv.url, u);
    }
    async function make(name, who, { category, channel = 'phone_153', route }) {
        const body = { channel, text: `Pano başvurusu ${name}` };
        if (category) body.category = category;
        if (route) body.route = true;
        const r = await c[who].post('/api/v1/applications', body);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        A[name] = r.body;
    }
    async function act(user, name, action, body = {}) {
        const r = await c[user].post(`/api/v1/applications/${A[name].id}/${action}`, body);
        assert.equal(r.status, 200, `${user} ${action} ${name}: ${JSON.stringify(r.body)}`);
        A[name] = r.body;
    }

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: T.before } });
        await at(T.before);
        await make('p0', 'agent', { category: 'FEN_KAR', route: true });            /* before the period: FEN */
        await at(T.first);
        await make('a1', 'agent', { category: 'FEN_KAR', route: true });            /* FEN, resolved late */
        await make('a2', 'desk', { category: 'ZAB_SEYYAR', channel: 'desk', route: true }); /* ZABITA, resolved late */
        await at(T.yestLast);
        await make('a3', 'agent', { channel: 'web' });                              /* unrouted */
        await at(T.todayFirst);
        await make('a4', 'agent', { category: 'FEN_YOL_CUKUR', route: true });     /* FEN, resolved at once */
        await at(T.now, ['agent', 'desk', 'fen', 'zabita', 'supervisor', 'admin']);
        for (const n of ['p0', 'a1', 'a4']) {
            await act('fen', n, 'accept');
            await act('fen', n, 'respond', { response: 'Yapıldı.' });
        }
        await act('zabita', 'a2', 'accept');
        await act('zabita', 'a2', 'respond', { response: 'Yapıldı.' });
        await act('agent', 'a1', 'close');
        await act('desk', 'p0', 'close');
        const late = (a) => Date.parse(a.responded_at || T.now) > Date.parse(a.resolution_due);
        assert.equal(A.a4.department, 'FEN');
        assert.ok(A.a1.resolution_due && late(A.a1), `a1 is answered after its deadline ${A.a1.resolution_due}`);
        assert.ok(A.a4.resolution_due && !late(A.a4), 'a4 is answered by its deadline');
        assert.ok(A.a2.resolution_due && late(A.a2), 'a2 is answered after its deadline');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const period = async (cl, q) => {
        const r = await cl.get(`/api/v1/stats?${q}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(r.body.today && r.body.month, 'the plain figures stay');
        return r.body.period;
    };

    it('the last 7 days over every department: counts, a trend of every day, on-time share, users', async () => {
        for (const u of ['supervisor', 'admin']) {
            const p = await period(c[u], 'from=2026-03-04&to=2026-03-10');
            assert.equal(p.from, '2026-03-04');
            assert.equal(p.to, '2026-03-10');
            assert.equal(p.days, 7);
            assert.equal(p.total, 4, 'p0 was made one second before the period');
            assert.deepEqual(p.by_status, { closed: 1, new: 1, resolved: 2 });
            assert.deepEqual(p.by_department, { '': 1, FEN: 2, ZABITA: 1 });
            assert.deepEqual(p.by_channel, { desk: 1, phone_153: 2, web: 1 });
            assert.deepEqual(p.trend.map((d) => d.date), DAYS, 'every day, the empty ones too');
            assert.deepEqual(p.trend.map((d) => d.registered), [2, 0, 0, 0, 0, 1, 1]);
            assert.deepEqual(p.trend.map((d) => d.resolved), [0, 0, 0, 0, 0, 0, 4], 'p0 is answered in the period');
            // resolved: answered (else closed) in the period, as the trend counts it (p0 too)
            assert.ok(Math.abs(p.on_time.FEN.share - 1 / 3) < 1e-9, `FEN share ${p.on_time.FEN.share}`);
            assert.deepEqual(p.on_time, {
                FEN: { resolved: 3, in_deadline: 1, share: p.on_time.FEN.share },
                ZABITA: { resolved: 1, in_deadline: 0, share: 0 },
            });
            assert.equal(Object.values(p.on_time).reduce((n, v) => n + v.resolved, 0),
                p.trend.reduce((n, d) => n + d.resolved, 0), 'one definition of resolved');
            const agents = Object.fromEntries(p.agents.map((x) => [x.username, x]));
            assert.deepEqual(Object.keys(agents).sort(), ['agent', 'desk']);
            assert.equal(agents.agent.registered, 3);
            assert.equal(agents.agent.closed, 1);
            assert.equal(agents.agent.calls_answered, 0);
            assert.equal(agents.desk.registered, 1);
            assert.equal(agents.desk.closed, 1, 'p0 was closed in the period though made before it');
            assert.ok(agents.agent.name && agents.agent.name !== '', 'a name to show');
        }
    });

    it('one day: the Istanbul day boundaries hold', async () => {
        const p = await period(c.supervisor, 'from=2026-03-09&to=2026-03-09');
        assert.equal(p.total, 1);
        assert.deepEqual(p.trend, [{ date: '2026-03-09', registered: 1, resolved: 0 }]);
        const q = await period(c.supervisor, 'from=2026-03-03&to=2026-03-03');
        assert.equal(q.total, 1, 'p0 at 23:59:59');
        assert.deepEqual(q.on_time, {}, 'p0 was made that day but answered a week later');
    });

    it('department staff see their subtree only, with no call figures', async () => {
        const p = await period(c.fen, 'from=2026-03-04&to=2026-03-10');
        assert.equal(p.total, 2);
        assert.deepEqual(p.by_department, { FEN: 2 });
        assert.deepEqual(Object.keys(p.on_time), ['FEN']);
        assert.deepEqual(p.trend.map((d) => d.resolved), [0, 0, 0, 0, 0, 0, 3]);
        assert.ok(p.agents.every((x) => x.calls_answered === undefined));
    });

    it('a bad period is refused with the field named', async () => {
        assertError(await c.supervisor.get('/api/v1/stats?from=2026-13-01&to=2026-03-10'), 400, 'invalid_field', 'from');
        assertError(await c.supervisor.get('/api/v1/stats?from=2026-03-04'), 400, 'invalid_field', 'to');
        assertError(await c.supervisor.get('/api/v1/stats?from=2026-03-10&to=2026-03-04'), 400, 'invalid_field', 'to');
        assertError(await c.supervisor.get('/api/v1/stats?from=2025-03-01&to=2026-03-10'), 400, 'invalid_field', 'to');
        assert.equal((await period(c.supervisor, 'from=2025-03-10&to=2026-03-10')).days, 366);
    });

    it('the list: the first page has the total of the filter, the next ones none', async () => {
        const r = await c.supervisor.get('/api/v1/applications?limit=2');
        assert.equal(r.status, 200);
        assert.equal(r.body.items.length, 2);
        assert.equal(r.body.total, 5);
        assert.equal(r.body.total_capped, false);
        const every = (await c.supervisor.get('/api/v1/applications?limit=50')).body.items;
        const by = Object.fromEntries(every.map((a) => [a.tracking, a.registered_by && a.registered_by.username]));
        assert.deepEqual([A.p0, A.a1, A.a2, A.a3, A.a4].map((a) => by[a.tracking]), ['agent', 'agent', 'desk', 'agent', 'agent'], 'who registered each');
        assert.ok(every.every((a) => a.registered_by.name), 'with a name to show');
        const r2 = await c.supervisor.get(`/api/v1/applications?limit=2&after=${r.body.next}`);
        assert.equal(r2.body.total, undefined);
        const res = await c.supervisor.get('/api/v1/applications?status=resolved&limit=1');
        assert.equal(res.body.total, 2);
        const fen = await c.fen.get('/api/v1/applications?limit=1');
        assert.equal(fen.body.total, 3, 'scoped like the items');
        const due = await c.fen.get('/api/v1/applications?limit=1&sort=due&status=resolved,closed');
        assert.equal(due.body.total, 3);
    });

    it('past the cap the total is capped ("1.000+"; ALO153_LIST_COUNT_CAP=3 here, 1000 by default)', async () => {
        await srv.stop();
        await srv.restart({ env: { ALO153_NOW: T.now, ALO153_LIST_COUNT_CAP: '3' } });
        const sup = await login(srv.url, 'supervisor');
        const all = await sup.get('/api/v1/applications?limit=1');
        assert.equal(all.status, 200);
        assert.deepEqual([all.body.total, all.body.total_capped], [3, true], 'five applications, counted up to 3');
        const three = await sup.get('/api/v1/applications?limit=1&status=new,resolved');
        assert.deepEqual([three.body.total, three.body.total_capped], [3, false], 'exactly the cap is exact');
        const two = await sup.get('/api/v1/applications?limit=1&status=resolved');
        assert.deepEqual([two.body.total, two.body.total_capped], [2, false]);
        const q = await sup.get('/api/v1/applications?limit=1&q=pano');
        assert.deepEqual([q.body.total, q.body.total_capped], [3, true], 'with a text search too');
    });
});
