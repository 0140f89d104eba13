// t12: GET /api/v1/stats — today and this month (Istanbul days) by status, department and channel,
// open and overdue; everything for the front office and oversight, the department's subtree for
// staff and managers. A known set of applications is made on an empty database with a pinned clock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, addToken, assertError, DEMO_PASSWORD } from '../lib/server.mjs';

/* NOW is Tuesday 2026-03-10, 12:00 in Istanbul (UTC+3) */
const T = {
    prev: '2026-02-20T09:00:00Z',   /* last month */
    febLast: '2026-02-28T20:59:59Z', /* 23:59:59 on 28 February in Istanbul: still last month */
    marFirst: '2026-02-28T21:00:00Z', /* 00:00 on 1 March in Istanbul: this month */
    yestLast: '2026-03-09T20:59:59Z', /* 23:59:59 on 9 March in Istanbul: this month, not today */
    todayFirst: '2026-03-09T21:00:00Z', /* 00:00 on 10 March in Istanbul: today */
    now: '2026-03-10T09:00:00Z',
    april: '2026-04-01T06:00:00Z',
};

describe('t12 stats', { timeout: 90000 }, () => {
    let srv;
    const A = {};
    let c = {};   /* logged-in clients of the current server run */

    /** (Re)start the server at time t and log the needed users in again (sessions are per clock). */
    async function at(t, users = ['agent']) {
        if (srv.proc.exitCode === null) await srv.stop();
        await srv.restart({ env: { ALO153_NOW: t } });
        c = {};
        for (const u of users) c[u] = await login(srv.url, u);
    }

    async function make(name, { category, channel, route, text }) {
        const body = { channel, text: text || `İstatistik başvurusu ${name}` };
        if (category) body.category = category;
        if (route) body.route = true;
        const r = await c.agent.post('/api/v1/applications', body);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        A[name] = r.body;
        return r.body;
    }

    async function act(user, name, action, body = {}) {
        const r = await c[user].post(`/api/v1/applications/${A[name].id}/${action}`, body);
        assert.equal(r.status, 200, `${user} ${action} ${name}: ${JSON.stringify(r.body)}`);
        A[name] = r.body;
        return r.body;
    }

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: T.prev } });
        const admin = await login(srv.url, 'admin');
        for (const [username, role, department] of [['yol', 'staff', 'FEN_YOL'], ['yol.mudur', 'manager', 'FEN_YOL']]) {
            const r = await admin.post('/api/v1/users', { username, role, department, password: DEMO_PASSWORD });
            assert.equal(r.status, 201, JSON.stringify(r.body));
        }
        await at(T.prev);
        await make('p1', { category: 'FEN_KAR', channel: 'phone_153', route: true });          /* FEN, overdue */
        await make('p2', { category: 'FEN_KAR', channel: 'desk', route: true });               /* → FEN_YOL, overdue */
        await act('agent', 'p2', 'transfer', { department: 'FEN_YOL' });
        await make('p3', { category: 'ZAB_SEYYAR', channel: 'web', route: true });             /* ZABITA, on hold */
        await make('p4', { category: 'CEV_COP_TOPLAMA', channel: 'phone_153', route: true });  /* CEVRE, closed */
        await at(T.febLast);
        await make('m1', { category: 'ZAB_SEYYAR', channel: 'phone_153' });                    /* ZABITA, new */
        await at(T.marFirst);
        await make('m2', { category: 'FEN_KAR', channel: 'email', route: true });             /* FEN, overdue */
        await make('m3', { channel: 'phone_153' });                                           /* unrouted */
        await at(T.yestLast);
        await make('d1', { category: 'CEV_COP_TOPLAMA', channel: 'phone_153' });              /* CEVRE, out of scope */
        await act('agent', 'd1', 'out-of-scope', { institution: 'Doğalgaz dağıtım şirketi (187)' });
        await make('d2', { category: 'FEN_YOL_CUKUR', channel: 'desk' });                     /* FEN_YOL */
        await act('agent', 'd2', 'route', { department: 'FEN_YOL' });
        await at(T.todayFirst);
        await make('t1', { category: 'FEN_KAR', channel: 'phone_153', route: true });         /* FEN */
        await make('t2', { category: 'ZAB_SEYYAR', channel: 'desk', route: true });           /* ZABITA */
        await at(T.now, ['admin', 'supervisor', 'agent', 'desk', 'fen', 'fen.mudur', 'yol', 'yol.mudur', 'zabita', 'cevre']);
        await make('t3', { category: 'FEN_YOL_CUKUR', channel: 'web', route: true });         /* FEN, resolved */
        await act('fen', 't3', 'accept');
        await act('fen', 't3', 'respond', { response: 'Yol onarıldı.' });
        await make('t4', { channel: 'mobile_desk' });                                         /* unrouted, duplicate */
        await act('desk', 't4', 'duplicate', { duplicate_of: A.t1.id });
        await make('t5', { category: 'CEV_COP_TOPLAMA', channel: 'phone_153', route: true }); /* returned: unrouted, new */
        await act('cevre', 't5', 'return', { note: 'Bizim birimin işi değil' });
        await make('t6', { category: 'ZAB_SEYYAR', channel: 'whatsapp', route: true });      /* ZABITA → FEN */
        await act('zabita', 't6', 'transfer', { department: 'FEN', note: 'Fen İşlerinin işi' });
        /* last month's work, done now */
        await act('yol', 'p2', 'accept');
        await act('zabita', 'p3', 'accept');
        await act('zabita', 'p3', 'hold', { note: 'Vatandaştan adres bekleniyor' });
        await act('cevre', 'p4', 'accept');
        await act('cevre', 'p4', 'respond', { response: 'Çöpler alındı.' });
        await act('agent', 'p4', 'close');
        const where = Object.fromEntries(Object.entries(A).map(([k, a]) => [k, `${a.status} ${a.department}`]));
        assert.deepEqual(where, {
            p1: 'forwarded FEN', p2: 'in_progress FEN_YOL', p3: 'in_progress ZABITA', p4: 'closed CEVRE',
            m1: 'new ZABITA', m2: 'forwarded FEN', m3: 'new null', d1: 'out_of_scope CEVRE', d2: 'forwarded FEN_YOL',
            t1: 'forwarded FEN', t2: 'forwarded ZABITA', t3: 'resolved FEN', t4: 'duplicate null', t5: 'new null', t6: 'forwarded FEN',
        }, 'the fixture is what this test counts on');
        assert.equal(A.p3.on_hold, true);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const ALL = {
        today: {
            by_status: { duplicate: 1, forwarded: 3, new: 1, resolved: 1 },
            by_department: { '': 2, FEN: 3, ZABITA: 1 },
            by_channel: { desk: 1, mobile_desk: 1, phone_153: 2, web: 1, whatsapp: 1 },
            total: 6, from: '2026-03-09T21:00:00Z',
        },
        month: {
            by_status: { duplicate: 1, forwarded: 5, new: 2, out_of_scope: 1, resolved: 1 },
            by_department: { '': 3, CEVRE: 1, FEN: 4, FEN_YOL: 1, ZABITA: 1 },
            by_channel: { desk: 2, email: 1, mobile_desk: 1, phone_153: 4, web: 1, whatsapp: 1 },
            total: 10, from: '2026-02-28T21:00:00Z',
        },
        open: 11, overdue: 3, at: T.now,
    };
    const FEN = {
        today: { by_status: { forwarded: 2, resolved: 1 }, by_department: { FEN: 3 }, by_channel: { phone_153: 1, web: 1, whatsapp: 1 }, total: 3, from: '2026-03-09T21:00:00Z' },
        month: {
            by_status: { forwarded: 4, resolved: 1 }, by_department: { FEN: 4, FEN_YOL: 1 },
            by_channel: { desk: 1, email: 1, phone_153: 1, web: 1, whatsapp: 1 }, total: 5, from: '2026-02-28T21:00:00Z',
        },
        open: 6, overdue: 3, at: T.now,
    };
    const YOL = {
        today: { by_status: {}, by_department: {}, by_channel: {}, total: 0, from: '2026-03-09T21:00:00Z' },
        month: { by_status: { forwarded: 1 }, by_department: { FEN_YOL: 1 }, by_channel: { desk: 1 }, total: 1, from: '2026-02-28T21:00:00Z' },
        open: 2, overdue: 1, at: T.now,
    };
    const ZABITA = {
        today: { by_status: { forwarded: 1 }, by_department: { ZABITA: 1 }, by_channel: { desk: 1 }, total: 1, from: '2026-03-09T21:00:00Z' },
        month: { by_status: { forwarded: 1 }, by_department: { ZABITA: 1 }, by_channel: { desk: 1 }, total: 1, from: '2026-02-28T21:00:00Z' },
        open: 3, overdue: 0, at: T.now,
    };
    const CEVRE = {
        today: { by_status: {}, by_department: {}, by_channel: {}, total: 0, from: '2026-03-09T21:00:00Z' },
        month: { by_status: { out_of_scope: 1 }, by_department: { CEVRE: 1 }, by_channel: { phone_153: 1 }, total: 1, from: '2026-02-28T21:00:00Z' },
        open: 0, overdue: 0, at: T.now,
    };

    const stats = async (cl, who) => {
        const r = await cl.get('/api/v1/stats');
        assert.equal(r.status, 200, `${who}: ${JSON.stringify(r.body)}`);
        return r.body;
    };

    it('admin, supervisor, agent and desk get the exact counts over every department (Istanbul days and months)', async () => {
        for (const u of ['admin', 'supervisor', 'agent', 'desk']) assert.deepEqual(await stats(c[u], u), ALL, u);
    });

    it('a bearer token of an integration with a front-office role also counts everything', async () => {
        const tok = client(srv.url, { bearer: await addToken(srv.db, 'santral', 'agent') });
        assert.deepEqual(await stats(tok, 'token agent'), ALL);
    });

    it('staff and the manager of FEN count FEN and its sub-units only', async () => {
        assert.deepEqual(await stats(c.fen, 'fen'), FEN, 'staff');
        assert.deepEqual(await stats(c['fen.mudur'], 'fen.mudur'), FEN, 'manager');
    });

    it('staff and the manager of the sub-unit FEN_YOL count FEN_YOL only, not the parent', async () => {
        assert.deepEqual(await stats(c.yol, 'yol'), YOL, 'staff');
        assert.deepEqual(await stats(c['yol.mudur'], 'yol.mudur'), YOL, 'manager');
    });

    it('ZABITA and CEVRE count their own: an on-hold application is not overdue, a returned one is no longer theirs', async () => {
        assert.deepEqual(await stats(c.zabita, 'zabita'), ZABITA);
        assert.deepEqual(await stats(c.cevre, 'cevre'), CEVRE);
        const mgr = client(srv.url, { bearer: await addToken(srv.db, 'zabita-mudur', 'manager', 'ZABITA') });
        assert.deepEqual(await stats(mgr, 'token manager ZABITA'), ZABITA);
    });

    it('the open and overdue counts agree with the scoped list filters', async () => {
        for (const u of ['admin', 'fen.mudur', 'yol', 'zabita', 'cevre']) {
            const s = await stats(c[u], u);
            const open = await c[u].get('/api/v1/applications?status=new,forwarded,in_progress&limit=500');
            const overdue = await c[u].get('/api/v1/applications?overdue=true&limit=500');
            assert.equal(open.body.items.length, s.open, u);
            assert.equal(overdue.body.items.length, s.overdue, u);
        }
        assert.deepEqual((await c.admin.get('/api/v1/applications?overdue=true')).body.items.map((a) => a.tracking).sort(),
            [A.p1, A.p2, A.m2].map((a) => a.tracking).sort());
    });

    it('anonymous callers get 401', async () => {
        assertError(await client(srv.url).get('/api/v1/stats'), 401, 'unauthorized');
    });

    it('a new month starts from zero; what is still open is now overdue (except on hold)', async () => {
        await at(T.april, ['admin', 'fen.mudur', 'zabita']);
        const empty = { by_status: {}, by_department: {}, by_channel: {}, total: 0 };
        const s = await stats(c.admin, 'admin');
        assert.deepEqual(s, {
            today: { ...empty, from: '2026-03-31T21:00:00Z' }, month: { ...empty, from: '2026-03-31T21:00:00Z' },
            open: 11, overdue: 7, at: T.april,
        });
        const f = await stats(c['fen.mudur'], 'fen.mudur');
        assert.equal(f.open, 6);
        assert.equal(f.overdue, 6);
        const z = await stats(c.zabita, 'zabita');
        assert.equal(z.open, 3);
        assert.equal(z.overdue, 1, 't2 is overdue; p3 is on hold and m1 has no deadline');
        assert.equal(z.month.total, 0);
    });
});
