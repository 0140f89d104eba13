// t64: a department grant widens every read of a department's data, not only the lists (issue 12,
// "Rights"; core/policy.h policy_reach). A manager of FEN with a read grant on SU sees FEN + SU in
// the dashboard statistics (today, month, open, overdue and the period figures), the report
// summary, the report's CSV export and the field list — never ZABITA — and the numbers add up:
// FEN+SU is FEN's plus SU's (disjoint subtrees). Revoking the grant gives back exactly what FEN
// alone saw; FEN's staff (session or token, no grant) see what they saw before. Creating,
// renaming, moving and deactivating a department each write an audit row (before → after); a
// refused edit writes none.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, addToken, assertError, DEMO_PASSWORD } from '../lib/server.mjs';

const NOW = '2026-03-10T09:00:00Z'; /* a Tuesday; Istanbul day 2026-03-10 */
const DAY = 'from=2026-03-10&to=2026-03-10';
const REPORT = '/api/v1/reports/summary?from=2026-03-01&to=2026-03-31';
const EXPORT = '/api/v1/reports/export?from=2026-03-01&to=2026-03-31&format=csv&table=by_department';

/* the CSV of the export (';' separated, CRLF, a BOM): rows after the header */
function csvRows(bytes) {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    return text.split('\r\n').filter((l) => l).slice(1).map((l) => l.split(';').map((f) => f.replace(/^"|"$/g, '')));
}

describe('t64 department grants widen statistics, reports, exports and the field list', { timeout: 60000 }, () => {
    let srv, admin, agent, sup, mudur, suMudur, fen, fenToken;
    const A = {};

    async function make(name, category, text) {
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', category, text, route: true });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        A[name] = r.body;
    }

    /* what one client sees of every department-bound read */
    async function view(c) {
        const stats = await c.get(`/api/v1/stats?${DAY}`);
        assert.equal(stats.status, 200, JSON.stringify(stats.body));
        const jobs = await c.get('/api/v1/field/jobs');
        assert.equal(jobs.status, 200, JSON.stringify(jobs.body));
        return { stats: stats.body, jobs: jobs.body.items.map((a) => a.id).sort((x, y) => x - y) };
    }
    async function report(c) {
        const r = await c.get(REPORT);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const t = Object.fromEntries(r.body.tables.map((x) => [x.name, Object.fromEntries(x.rows.map((row) => [row.key, row.values]))]));
        return { apps: r.body.applications, by_department: t.by_department, body: r.body };
    }
    const grant = (body) => admin.post(`/api/v1/users/${mudur.user.id}/grants`, body);

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        const u = await admin.post('/api/v1/users', { username: 'su.mudur', role: 'manager', department: 'SU', password: DEMO_PASSWORD });
        assert.equal(u.status, 201, JSON.stringify(u.body));
        // one login at a time: the server admits only a few password checks at once (login_busy)
        const c = {};
        for (const n of ['agent', 'supervisor', 'fen.mudur', 'su.mudur', 'fen']) c[n] = await login(srv.url, n);
        ({ agent, supervisor: sup, 'fen.mudur': mudur, 'su.mudur': suMudur, fen } = c);
        fenToken = client(srv.url, { bearer: await addToken(srv.db, 'fen-staff', 'staff', 'FEN') });
        await make('f1', 'FEN_YOL_CUKUR', 'Sokağımızda derin bir çukur var');
        await make('f2', 'FEN_YOL_CUKUR', 'Asfalt çöktü, araçlar zarar görüyor');
        await make('s1', 'SU_ARIZA', 'Ana su borusu patladı, sokak su içinde');
        await make('s2', 'SU_ARIZA', 'İki gündür suyumuz akmıyor');
        await make('s3', 'SU_ARIZA', 'Sayaçtan su sızıyor');
        await make('z1', 'ZAB_SEYYAR', 'Kaldırımı seyyar satıcılar kapatıyor');
        for (const n of Object.keys(A)) assert.equal(A[n].status, 'forwarded', `${n}: ${A[n].status} ${A[n].department}`);
        for (const [action, body] of [['accept', {}], ['respond', { response: 'Boru onarıldı.' }]]) {
            const r = await sup.post(`/api/v1/applications/${A.s1.id}/${action}`, body);
            assert.equal(r.status, 200, JSON.stringify(r.body));
        }
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    let fenAlone, fenReport, suReport, staffBefore, tokenBefore;

    it('without a grant: the FEN manager sees FEN only, SU\'s manager SU only', async () => {
        fenAlone = await view(mudur);
        assert.equal(fenAlone.stats.today.total, 2);
        assert.deepEqual(fenAlone.stats.today.by_department, { FEN: 2 });
        assert.deepEqual(fenAlone.stats.period.by_department, { FEN: 2 });
        assert.equal(fenAlone.stats.open, 2);
        assert.deepEqual(fenAlone.jobs, [A.f1.id, A.f2.id]);
        fenReport = await report(mudur);
        suReport = await report(suMudur);
        assert.equal(fenReport.apps.total, 2);
        assert.equal(suReport.apps.total, 3);
        assert.equal(suReport.apps.resolved, 1);
        assert.deepEqual(Object.keys(fenReport.by_department), ['FEN']);
        assert.deepEqual(Object.keys(suReport.by_department), ['SU']);
        staffBefore = await view(fen);
        tokenBefore = await view(fenToken);
        assert.deepEqual(staffBefore.stats, fenAlone.stats, 'FEN\'s staff count what the manager does');
        assert.deepEqual(tokenBefore, staffBefore);
    });

    it('with a read grant on SU: statistics, report, export and field list cover FEN + SU, never ZABITA', async () => {
        assert.equal((await grant({ department: 'SU' })).status, 200);
        const v = await view(mudur);
        assert.equal(v.stats.today.total, 5);
        assert.deepEqual(v.stats.today.by_department, { FEN: 2, SU: 3 });
        assert.deepEqual(v.stats.month.by_department, { FEN: 2, SU: 3 });
        assert.deepEqual(v.stats.period.by_department, { FEN: 2, SU: 3 });
        assert.deepEqual(Object.keys(v.stats.period.on_time), ['SU']);
        assert.equal(v.stats.period.on_time.SU.resolved, 1);
        assert.equal(v.stats.open, 4, 'two of FEN and two of SU still open');
        assert.deepEqual(v.jobs, [A.f1.id, A.f2.id, A.s2.id, A.s3.id].sort((x, y) => x - y));
        assert.ok(!v.jobs.includes(A.z1.id));

        /* the report: FEN+SU is FEN's plus SU's, figure by figure */
        const both = await report(mudur);
        for (const k of ['total', 'resolved', 'resolved_in_deadline', 'open_now', 'overdue_now', 'returned', 'transferred', 'reopened']) {
            assert.equal(both.apps[k], fenReport.apps[k] + suReport.apps[k], k);
        }
        assert.deepEqual(both.by_department, { ...fenReport.by_department, ...suReport.by_department });
        assert.equal(both.body.calls, null, 'a department\'s report has no call figures');

        /* the CSV export is the same report */
        const csv = await mudur.get(EXPORT);
        assert.equal(csv.status, 200);
        const rows = csvRows(csv.bytes);
        assert.deepEqual(rows.map((r) => r[0]).sort(), ['FEN', 'SU']);
        assert.equal(rows.find((r) => r[0] === 'SU')[2], '3');
    });

    it('the grant is the manager\'s: FEN\'s staff (session and token) see what they saw before', async () => {
        assert.deepEqual(await view(fen), staffBefore);
        assert.deepEqual(await view(fenToken), tokenBefore);
        assertError(await fen.get(REPORT), 403, 'forbidden');
    });

    it('revoking the grant gives back exactly FEN\'s view', async () => {
        assert.equal((await admin.del(`/api/v1/users/${mudur.user.id}/grants/SU`)).status, 204);
        assert.deepEqual(await view(mudur), fenAlone);
        assert.deepEqual((await report(mudur)).body, fenReport.body);
        const rows = csvRows((await mudur.get(EXPORT)).bytes);
        assert.deepEqual(rows.map((r) => r[0]), ['FEN']);
    });

    it('department edits are audited: create, rename, move, deactivate; a refused edit writes nothing', async () => {
        const rows = async () => (await admin.get('/api/v1/audit?kind=department&limit=50')).body.items;
        assert.deepEqual(await rows(), []);
        const c = await admin.post('/api/v1/departments', { code: 'SU_SAYAC', name: 'Sayaç Birimi', parent: 'SU' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        assert.equal((await admin.patch('/api/v1/departments/SU_SAYAC', { name: 'Sayaç ve Abone' })).status, 200);
        assert.equal((await admin.patch('/api/v1/departments/SU_SAYAC', { parent: 'FEN' })).status, 200);
        assert.equal((await admin.patch('/api/v1/departments/SU_SAYAC', { active: false })).status, 200);
        assertError(await admin.patch('/api/v1/departments/SU_SAYAC', { parent: 'NOPE' }), 422, undefined, 'parent');
        assertError(await admin.patch('/api/v1/departments/FEN', { parent: 'SU_SAYAC' }), 422, undefined, 'parent');
        const v = (await rows()).reverse();
        assert.equal(v.length, 4, JSON.stringify(v));
        assert.ok(v.every((x) => x.object === 'SU_SAYAC' && x.actor === 'admin'));
        assert.equal(v[0].before, null);
        assert.deepEqual(v[0].after, { code: 'SU_SAYAC', parent: 'SU', institution: v[0].after.institution, name: 'Sayaç Birimi', name_en: 'Sayaç Birimi', active: true });
        assert.deepEqual([v[1].before.name, v[1].after.name], ['Sayaç Birimi', 'Sayaç ve Abone']);
        assert.deepEqual([v[2].before.parent, v[2].after.parent], ['SU', 'FEN']);
        assert.deepEqual([v[3].before.active, v[3].after.active], [true, false]);
        assert.equal(v[3].after.parent, 'FEN');
        /* only admins edit departments: a manager's try is refused and leaves no row */
        assert.equal((await mudur.patch('/api/v1/departments/SU_SAYAC', { active: true })).status, 403);
        assert.equal((await rows()).length, 4);
    });
});
