// t29: GET /api/v1/reports/summary (issue 11, docs/REPORTS.md) — exact figures on a small data
// set made through the API with a pinned clock (one application in February, seven on
// 10 March 2026), role rules (supervisors and admins see the whole centre, a manager their
// department's subtree without call figures, other roles 403), bad input 400, satisfaction
// null until surveys exist, month and day grains of the rollups.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, DEMO_PASSWORD } from '../lib/server.mjs';

const T = { feb: '2026-02-20T09:00:00Z', now: '2026-03-10T09:00:00Z' }; /* Friday; Tuesday */
const Q = '/api/v1/reports/summary';

/** table name → {key → values} */
function tables(body) {
    return Object.fromEntries(body.tables.map((t) => [t.name, Object.fromEntries(t.rows.map((r) => [r.key, r.values]))]));
}

describe('t29 reports', { timeout: 120000 }, () => {
    let srv;
    const A = {};
    let c = {};

    async function at(t, users) {
        if (srv.proc.exitCode === null) await srv.stop();
        await srv.restart({ env: { ALO153_NOW: t } });
        c = {};
        for (const u of users) c[u] = await login(srv.url, u);
    }

    async function make(name, body) {
        const r = await c.agent.post('/api/v1/applications', { text: `Rapor başvurusu ${name}`, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        A[name] = r.body;
    }

    async function act(name, action, body = {}) {
        const r = await c.supervisor.post(`/api/v1/applications/${A[name].id}/${action}`, body);
        assert.equal(r.status, 200, `${action} ${name}: ${JSON.stringify(r.body)}`);
        A[name] = r.body;
    }

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: T.feb } });
        const admin = await login(srv.url, 'admin');
        const r = await admin.post('/api/v1/users', { username: 'yol.mudur', role: 'manager', department: 'FEN_YOL', password: DEMO_PASSWORD });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        await at(T.feb, ['agent', 'supervisor']);
        await make('f1', { category: 'FEN_YOL_CUKUR', channel: 'phone_153', kind: 'complaint', route: true }); /* overdue by 10 March */
        await at(T.now, ['agent', 'supervisor', 'admin', 'desk', 'fen', 'fen.mudur', 'yol.mudur']);
        await make('a1', { category: 'FEN_YOL_CUKUR', channel: 'phone_153', route: true });
        await act('a1', 'accept');
        await act('a1', 'respond', { response: 'Çukur kapatıldı.' });            /* resolved the same day */
        await make('a2', { category: 'FEN_YOL_CUKUR', channel: 'desk', kind: 'complaint', route: true });
        await make('a3', { category: 'ZAB_SEYYAR', channel: 'web', route: true });
        await act('a3', 'return', { note: 'Bizim işimiz değil' });               /* returned: no department */
        await make('a4', { category: 'ZAB_SEYYAR', channel: 'phone_153', route: true });
        await act('a4', 'transfer', { department: 'FEN_YOL', note: 'Yol biriminin işi' });
        await make('a5', { category: 'PARK_BAKIM', channel: 'web', kind: 'suggestion', text: 'Parka yeni bank konulsun lütfen' });
        await make('a6', { category: 'PARK_BAKIM', channel: 'web', kind: 'suggestion', text: 'Parka yeni bank konulsun lütfen!' });
        await make('a7', { category: 'FEN_YOL_CUKUR', channel: 'desk', kind: 'complaint', route: true });
        await act('a7', 'accept');
        await act('a7', 'respond', { response: 'Onarıldı.' });
        await act('a7', 'close');
        await act('a7', 'reopen', { note: 'Çukur yeniden açıldı' });              /* reopened after an answer */
        const where = Object.fromEntries(Object.entries(A).map(([k, a]) => [k, `${a.status} ${a.department}`]));
        assert.deepEqual(where, {
            f1: 'forwarded FEN', a1: 'resolved FEN', a2: 'forwarded FEN', a3: 'new null', a4: 'forwarded FEN_YOL',
            a5: 'new PARK', a6: 'new PARK', a7: 'forwarded FEN',
        }, 'the fixture is what this test counts on');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('gives a supervisor the whole centre: totals, deadlines, resolution time, no survey yet', async () => {
        const r = await c.supervisor.get(`${Q}?from=2026-02-01&to=2026-03-31`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body.period, { from: '2026-02-01', to: '2026-03-31' });
        assert.deepEqual(r.body.scope, { department: null });
        assert.deepEqual(r.body.applications, {
            total: 8, resolved: 1, resolved_in_deadline: 1, in_deadline_share: 1, open_now: 7, overdue_now: 1,
            returned: 1, transferred: 1, reopened: 1, resolution_wd: { median: 0, p90: 0 },
        });
        assert.equal(r.body.satisfaction, null);
        assert.equal(r.body.previous, null);
        assert.equal(r.body.calls.offered, 0);
        assert.equal(r.body.calls.answer_rate, null);
        assert.equal(r.body.contacts.total, 0);
        const t = tables(r.body);
        assert.deepEqual(r.body.tables.map((x) => x.name), [
            'by_month', 'contacts_by_outcome', 'contacts_by_channel', 'by_channel', 'by_kind', 'by_department',
            'by_category', 'by_district', 'by_neighbourhood', 'by_institution', 'sla_by_department',
            'rising_categories', 'rising_neighbourhoods', 'recurring_suggestions', 'comebacks',
        ]);
        assert.deepEqual(t.by_month, { '2026-02': [0, 0, null, 0, 1], '2026-03': [0, 0, null, 0, 7] });
        assert.deepEqual(t.by_channel, { phone_153: [3], desk: [2], web: [3] });
        assert.deepEqual(t.by_kind, { request: [3], complaint: [3], suggestion: [2] });
        assert.deepEqual(t.by_department, {
            FEN: [4, 1, 1, 1, 0, 0], PARK: [2, 0, null, 0, null, null], '': [1, 0, null, 0, null, null],
            FEN_YOL: [1, 0, null, 0, null, null],
        });
        assert.deepEqual(t.by_category, { FEN_YOL_CUKUR: [4, 1, 1], ZAB_SEYYAR: [2, 0, null], PARK_BAKIM: [2, 0, null] });
        assert.deepEqual(t.sla_by_department, { FEN: [1, 1, 1] });
        assert.deepEqual(t.by_institution, { '': [1], METRO: [7] });
        assert.deepEqual(t.rising_categories, { FEN_YOL_CUKUR: [3, 1, 2], ZAB_SEYYAR: [2, 0, null], PARK_BAKIM: [2, 0, null] });
        assert.deepEqual(t.recurring_suggestions, { 'Parka yeni bank konulsun lütfen!': [2] });
        assert.deepEqual(t.comebacks, { FEN_YOL_CUKUR: [1, 0, 1] });
        const dep = r.body.tables.find((x) => x.name === 'by_department');
        assert.deepEqual(dep.columns.map((x) => [x.key, x.type]), [
            ['applications', 'int'], ['resolved', 'int'], ['in_deadline_share', 'pct'], ['overdue_now', 'int'],
            ['median_wd', 'days'], ['p90_wd', 'days'],
        ]);
        assert.equal(dep.title, 'Birimlere göre');
        assert.equal(dep.rows.find((x) => x.key === '').label, 'Yönlendirilmemiş');
        assert.equal(r.body.tables[0].rows[1].label, 'Mart 2026');
    });

    it('answers in English when asked', async () => {
        const r = await c.admin.get(`${Q}?from=2026-02-01&to=2026-03-31&lang=en`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.tables[0].title, 'By month');
        assert.equal(r.body.tables[0].rows[1].label, 'March 2026');
        assert.equal(r.body.tables[0].columns[0].title, 'Calls offered');
        assert.equal(r.body.applications.total, 8);
    });

    it('reads a part of a month from the day rows', async () => {
        const r = await c.supervisor.get(`${Q}?from=2026-03-10&to=2026-03-10`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const a = r.body.applications;
        assert.deepEqual([a.total, a.open_now, a.overdue_now, a.returned, a.transferred, a.reopened], [7, 6, 0, 1, 1, 1]);
        const r2 = await c.supervisor.get(`${Q}?from=2026-02-01&to=2026-03-09`);
        assert.equal(r2.body.applications.total, 1);
        assert.equal(r2.body.applications.overdue_now, 1);
    });

    it('gives a manager their department subtree only, without call figures', async () => {
        const fen = await c['fen.mudur'].get(`${Q}?from=2026-02-01&to=2026-03-31`);
        assert.equal(fen.status, 200, JSON.stringify(fen.body));
        assert.deepEqual(fen.body.scope, { department: 'FEN' });
        assert.equal(fen.body.calls, null);
        assert.equal(fen.body.contacts, null);
        assert.equal(fen.body.applications.total, 5); /* FEN's four and FEN_YOL's one */
        assert.equal(fen.body.applications.transferred, 1);
        assert.equal(fen.body.applications.returned, 0);
        assert.ok(!fen.body.tables.some((x) => x.name.startsWith('contacts_')));
        assert.deepEqual(Object.keys(tables(fen.body).by_department).sort(), ['FEN', 'FEN_YOL']);
        const yol = await c['yol.mudur'].get(`${Q}?from=2026-02-01&to=2026-03-31`);
        assert.equal(yol.status, 200);
        assert.deepEqual(yol.body.applications, {
            total: 1, resolved: 0, resolved_in_deadline: 0, in_deadline_share: null, open_now: 1, overdue_now: 0,
            returned: 0, transferred: 1, reopened: 0, resolution_wd: { median: null, p90: null },
        });
        assert.deepEqual(tables(yol.body).by_category, { ZAB_SEYYAR: [1, 0, null] });
    });

    it('refuses other roles', async () => {
        for (const u of ['agent', 'desk', 'fen']) assertError(await c[u].get(`${Q}?from=2026-02-01&to=2026-03-31`), 403);
    });

    it('rejects bad dates and languages with 400', async () => {
        const bad = [
            ['from=2026-02-30&to=2026-03-31', 'from'], ['from=2026-02-01', 'to'], ['to=2026-03-01', 'from'],
            ['from=2026-03-02&to=2026-03-01', 'to'], ['from=2025-01-01&to=2026-01-02', 'to'],
            ['from=01.02.2026&to=2026-03-01', 'from'], ['from=2026-02-01&to=2026-03-01&lang=de', 'lang'],
        ];
        for (const [q, field] of bad) assertError(await c.supervisor.get(`${Q}?${q}`), 400, 'invalid_field', field);
        /* 366 days is the longest period */
        assert.equal((await c.supervisor.get(`${Q}?from=2024-01-01&to=2024-12-31`)).status, 200);
    });
});
