// t1: creating, reading and listing applications (filters, keyset pagination, links).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, sqlite, assertError, listAllIds, countApps, TRACKING_RE } from '../lib/server.mjs';

// The server's clock is pinned (ALO153_NOW) so every time it reports can be checked exactly.
// 22:00 UTC on 31 December 2026 is 01:00 on 1 January 2027 in Istanbul (UTC+3): the UTC and
// the Istanbul years differ, and 1 January is a public holiday.
const NOW = '2026-12-31T22:00:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86400 * 1000;

describe('t1 applications', { timeout: 60000 }, () => {
    let srv, admin, agent, desk;
    let melikgazi, talas, nbMelikgazi, nbTalas;
    const made = {};

    before(async () => {
        // 70 demo applications: at this clock the demo's random stream leaves 3 of them overdue
        // (the overdue test below needs some; 60 left none once the taxonomy grew to 113)
        srv = await startServer({ demoSize: 70, env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        desk = await login(srv.url, 'desk');
        const d = await agent.get('/api/v1/districts');
        melikgazi = d.body.items.find((x) => x.name === 'Melikgazi');
        talas = d.body.items.find((x) => x.name === 'Talas');
        assert.ok(melikgazi && talas, JSON.stringify(d.body));
        nbMelikgazi = (await agent.get(`/api/v1/districts/${melikgazi.id}/neighbourhoods`)).body.items;
        nbTalas = (await agent.get(`/api/v1/districts/${talas.id}/neighbourhoods`)).body.items;
        assert.ok(nbMelikgazi.length > 0 && nbTalas.length > 0);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('POST /api/v1/applications with channel and text → 201, tracking (Istanbul year), access code, Location', async () => {
        const text = 'Evimin önündeki sokak lambası üç gündür yanmıyor';
        // the next number of 2027 (the demo data may have a few from the last hours of 2026 UTC)
        const last2027 = Number(sqlite(srv.db, 'SELECT coalesce(max(last), 0) FROM tracking_seq WHERE year = 2027'));
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const a = r.body;
        assert.match(a.tracking, TRACKING_RE);
        assert.equal(a.tracking, `2027-${String(last2027 + 1).padStart(6, '0')}`, 'the Istanbul year (2027), not the UTC year (2026)');
        assert.equal(typeof a.access_code, 'string');
        assert.equal(a.access_code.length, 8, a.access_code);
        assert.equal(a.status, 'new');
        assert.equal(a.channel, 'phone_153');
        assert.equal(a.kind, 'request');
        assert.equal(a.priority, 'normal');
        assert.equal(a.text, text);
        assert.equal(a.category, null);
        assert.equal(a.department, null);
        assert.equal(a.resolution_due, null);
        assert.equal(a.forwarded_at, null);
        assert.equal(typeof a.id, 'number');
        assert.equal(a.created_at, NOW);
        assert.equal(a.updated_at, NOW);
        assert.equal(r.headers.get('location'), `/api/v1/applications/${a.id}`);
        made.plain = a;
    });

    it('tracking numbers are consecutive and access codes differ', async () => {
        const first = Number(made.plain.tracking.slice(5));
        const codes = new Set();
        for (let i = 0; i < 5; i++) {
            const r = await desk.post('/api/v1/applications', { channel: 'desk', text: `Beyaz masa başvurusu ${i}` });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            assert.equal(r.body.tracking, `2027-${String(first + 1 + i).padStart(6, '0')}`);
            codes.add(r.body.access_code);
        }
        assert.equal(codes.size, 5);
    });

    it('creates with every optional field and echoes them', async () => {
        const cit = await agent.post('/api/v1/citizens', { name: 'Fatma Yıldız', phone: '0532 111 22 33' });
        assert.equal(cit.status, 201, JSON.stringify(cit.body));
        const nb = nbMelikgazi[0];
        const body = {
            channel: 'whatsapp', text: 'Sokağımızda derin bir çukur var, araçlar zarar görüyor',
            kind: 'complaint', priority: 'high', category: 'FEN_YOL_CUKUR',
            district_id: melikgazi.id, neighbourhood_id: nb.id, address: 'Atatürk Cd. No: 5',
            lat: 38.7225, lon: 35.4875, citizen_id: cit.body.id,
        };
        const r = await agent.post('/api/v1/applications', body);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const a = r.body;
        assert.equal(a.status, 'new');
        assert.equal(a.kind, 'complaint');
        assert.equal(a.priority, 'high');
        assert.equal(a.category, 'FEN_YOL_CUKUR');
        assert.equal(a.department, 'FEN');
        assert.equal(a.district_id, melikgazi.id);
        assert.equal(a.district, 'Melikgazi');
        assert.equal(a.neighbourhood_id, nb.id);
        assert.equal(a.neighbourhood, nb.name);
        assert.equal(a.address, body.address);
        assert.ok(Math.abs(a.lat - body.lat) < 1e-6, String(a.lat));
        assert.ok(Math.abs(a.lon - body.lon) < 1e-6, String(a.lon));
        assert.equal(a.citizen_id, cit.body.id);
        assert.equal(a.resolution_due, null, 'not routed yet: no deadline');
        made.full = a;
        made.citizen = cit.body;
    });

    it('route:true with a category forwards at once and sets the deadlines', async () => {
        const cats = await agent.get('/api/v1/categories');
        const cat = cats.body.items.find((x) => x.code === 'FEN_YOL_CUKUR');
        assert.deepEqual([cat.first_response_days, cat.sla_days, cat.working_days], [2, 10, true], JSON.stringify(cat));
        const r = await agent.post('/api/v1/applications', {
            channel: 'phone_153', text: 'Caddede asfalt çukuru var', category: 'FEN_YOL_CUKUR', route: true,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const a = r.body;
        assert.equal(a.status, 'forwarded');
        assert.equal(a.department, 'FEN');
        assert.equal(a.forwarded_at, NOW);
        // started on Friday 1 January 2027 (Istanbul; a holiday): 2 working days → Tue 5,
        // 10 working days → Fri 15 January, each at 23:59:59 Istanbul
        assert.equal(a.first_response_due, '2027-01-05T20:59:59Z');
        assert.equal(a.resolution_due, '2027-01-15T20:59:59Z');
        assert.equal(a.overdue, false);
        const g = await agent.get(`/api/v1/applications/${a.id}`);
        assert.deepEqual(g.body.history.map((e) => [e.action, e.from, e.to]), [['create', null, 'new'], ['route', 'new', 'forwarded']]);
        made.routed = a;
    });

    it('route:true without a category is 400 field category and stores nothing', async () => {
        const before = await countApps(admin);
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Yönlendirilecek ama konu yok', route: true });
        assertError(r, 400, undefined, 'category');
        assert.equal(await countApps(admin), before);
    });

    it('a neighbourhood alone fills in its district', async () => {
        const nb = nbTalas[0];
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Mahallede su kesintisi var', neighbourhood_id: nb.id });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.neighbourhood_id, nb.id);
        assert.equal(r.body.district_id, talas.id);
        assert.equal(r.body.district, 'Talas');
    });

    it('an unknown citizen_id is 422 field citizen_id', async () => {
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Vatandaş yok', citizen_id: 99999999 });
        assertError(r, 422, undefined, 'citizen_id');
    });

    it('unknown kind / priority are 400 with field', async () => {
        assertError(await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Test metni', kind: 'wish' }), 400, undefined, 'kind');
        assertError(await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Test metni', priority: 'asap' }), 400, undefined, 'priority');
    });

    it('GET /api/v1/applications/{id} returns the full record with history, links, attachments, allowed actions', async () => {
        const r = await agent.get(`/api/v1/applications/${made.full.id}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const a = r.body;
        assert.equal(a.id, made.full.id);
        assert.equal(a.tracking, made.full.tracking);
        assert.equal(a.text, made.full.text);
        assert.ok(Array.isArray(a.history) && a.history.length === 1, JSON.stringify(a.history));
        assert.equal(a.history[0].action, 'create');
        assert.equal(a.history[0].from, null);
        assert.equal(a.history[0].to, 'new');
        assert.ok(a.history[0].at);
        assert.deepEqual(a.links, []);
        assert.deepEqual(a.attachments, []);
        assert.ok(Array.isArray(a.allowed_actions));
        for (const act of ['route', 'out-of-scope', 'duplicate', 'note']) assert.ok(a.allowed_actions.includes(act), `${act} in ${a.allowed_actions}`);
        for (const act of ['accept', 'respond', 'close', 'hold']) assert.ok(!a.allowed_actions.includes(act), `${act} not in ${a.allowed_actions}`);
        assert.equal(a.citizen.id, made.citizen.id);
        assert.equal(a.citizen.phone, '+905321112233');
        assert.equal(a.access_code, made.full.access_code);
    });

    it('GET /api/v1/applications/by-tracking/{YYYY-NNNNNN} finds the same application', async () => {
        const r = await agent.get(`/api/v1/applications/by-tracking/${made.full.tracking}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.id, made.full.id);
        assert.ok(Array.isArray(r.body.history));
        assert.ok(Array.isArray(r.body.allowed_actions));
    });

    it('unknown or malformed ids and tracking numbers are 404', async () => {
        assertError(await agent.get('/api/v1/applications/99999999'), 404, 'not_found');
        assertError(await agent.get('/api/v1/applications/0'), 404, 'not_found');
        assertError(await agent.get('/api/v1/applications/abc'), 404, 'not_found');
        assertError(await agent.get('/api/v1/applications/by-tracking/1999-999999'), 404, 'not_found');
        assertError(await agent.get('/api/v1/applications/by-tracking/not-a-number'), 404, 'not_found');
        assertError(await agent.get('/api/v1/applications/by-tracking/2025-12'), 404, 'not_found');
    });

    it('reading applications needs a login', async () => {
        const anon = client(srv.url);
        assertError(await anon.get('/api/v1/applications'), 401);
        assertError(await anon.get(`/api/v1/applications/${made.full.id}`), 401);
        assertError(await anon.get(`/api/v1/applications/by-tracking/${made.full.tracking}`), 401);
        assertError(await anon.post('/api/v1/applications', { channel: 'phone_153', text: 'anonim deneme' }), 401);
    });

    it('GET /api/v1/applications lists newest first with {items, next}', async () => {
        const r = await agent.get('/api/v1/applications');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(Array.isArray(r.body.items));
        assert.ok('next' in r.body);
        assert.ok(r.body.items.length <= 50 && r.body.items.length > 0);
        const ids = r.body.items.map((a) => a.id);
        assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
        assert.equal(ids[0], Math.max(...ids));
        const one = r.body.items[0];
        for (const k of ['id', 'tracking', 'status', 'channel', 'kind', 'priority', 'text', 'created_at']) assert.ok(k in one, k);
    });

    it('keyset pagination with limit=7 walks every application once, in order', async () => {
        const all = await listAllIds(agent);
        assert.ok(all.length > 60, `demo 60 + created: ${all.length}`);
        const walked = [];
        let after = null, pages = 0;
        for (;;) {
            const r = await agent.get(`/api/v1/applications?limit=7${after ? `&after=${after}` : ''}`);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            assert.ok(r.body.items.length <= 7);
            pages++;
            walked.push(...r.body.items.map((a) => a.id));
            if (r.body.next === null) break;
            assert.equal(r.body.items.length, 7, 'only the last page may be short');
            assert.equal(typeof r.body.next, 'number');
            after = r.body.next;
            assert.ok(pages < 100, 'pagination must end');
        }
        assert.equal(new Set(walked).size, walked.length, 'no duplicates');
        assert.deepEqual(walked, all, 'same set and order as one big page');
        assert.deepEqual(walked, [...walked].sort((x, y) => y - x), 'newest id first');
        assert.ok(pages >= Math.ceil(all.length / 7) && pages <= Math.ceil(all.length / 7) + 1, `${pages} pages for ${all.length}`);
    });

    it('limit=N returns at most N and next resumes strictly after the last id', async () => {
        const p1 = await agent.get('/api/v1/applications?limit=3');
        assert.equal(p1.body.items.length, 3);
        assert.ok(p1.body.next !== null);
        const p2 = await agent.get(`/api/v1/applications?limit=3&after=${p1.body.next}`);
        assert.ok(p2.body.items.every((a) => a.id < p1.body.items[2].id), JSON.stringify(p2.body.items.map((a) => a.id)));
    });

    it('filters: status, department, category, district, neighbourhood, channel, kind, priority', async () => {
        const check = async (q, pred, mustInclude) => {
            const r = await agent.get(`/api/v1/applications?limit=500&${q}`);
            assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
            for (const a of r.body.items) assert.ok(pred(a), `${q}: ${JSON.stringify(a)}`);
            if (mustInclude) assert.ok(r.body.items.some((a) => a.id === mustInclude), `${q} includes ${mustInclude}`);
            return r.body.items;
        };
        await check('status=new', (a) => a.status === 'new', made.full.id);
        await check('status=forwarded', (a) => a.status === 'forwarded', made.routed.id);
        await check('department=FEN', (a) => a.department === 'FEN' || a.department.startsWith('FEN_'), made.full.id);
        const zab = await check('department=ZABITA', (a) => a.department === 'ZABITA' || a.department.startsWith('ZAB'));
        assert.ok(!zab.some((a) => a.id === made.full.id));
        await check('category=FEN_YOL_CUKUR', (a) => a.category === 'FEN_YOL_CUKUR', made.full.id);
        await check(`district=${melikgazi.id}`, (a) => a.district_id === melikgazi.id, made.full.id);
        await check(`neighbourhood=${nbMelikgazi[0].id}`, (a) => a.neighbourhood_id === nbMelikgazi[0].id, made.full.id);
        await check('channel=whatsapp', (a) => a.channel === 'whatsapp', made.full.id);
        await check('kind=complaint', (a) => a.kind === 'complaint', made.full.id);
        await check('priority=high', (a) => a.priority === 'high', made.full.id);
        await check('status=new&channel=whatsapp&priority=high&district=' + melikgazi.id, (a) => a.status === 'new' && a.channel === 'whatsapp', made.full.id);
        const none = await check('channel=open311&kind=thanks&priority=urgent&category=FEN_YOL_CUKUR', () => true);
        assert.ok(!none.some((a) => a.id === made.full.id));
    });

    it('filters: from / to bound created_at, overdue=true only lists overdue ones', async () => {
        const all = (await agent.get('/api/v1/applications?limit=500')).body.items;
        // a plain date is an Istanbul (UTC+3) day: 'tomorrow' must be tomorrow there
        const tomorrow = new Date(NOW_MS + 3 * 3600000 + DAY).toISOString().slice(0, 10);
        assert.equal(tomorrow, '2027-01-02');
        const future = await agent.get(`/api/v1/applications?from=${tomorrow}`);
        assert.equal(future.status, 200, JSON.stringify(future.body));
        assert.deepEqual(future.body.items, []);
        const lastYear = new Date(NOW_MS - 366 * DAY).toISOString().slice(0, 10);
        const old = await agent.get(`/api/v1/applications?limit=500&to=${lastYear}`);
        assert.equal(old.status, 200);
        assert.deepEqual(old.body.items, [], 'demo data is within the past 180 days');
        const mid = new Date(NOW_MS - 30 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
        const recent = await agent.get(`/api/v1/applications?limit=500&from=${mid}`);
        assert.equal(recent.status, 200, JSON.stringify(recent.body));
        for (const a of recent.body.items) assert.ok(Date.parse(a.created_at) >= Date.parse(mid), `${a.created_at} >= ${mid}`);
        assert.ok(recent.body.items.some((a) => a.id === made.full.id));
        const older = await agent.get(`/api/v1/applications?limit=500&to=${mid}`);
        for (const a of older.body.items) assert.ok(Date.parse(a.created_at) <= Date.parse(mid), `${a.created_at} <= ${mid}`);
        assert.equal(recent.body.items.length + older.body.items.length, all.length, 'from/to split the set');
        // overdue, worked out here from the pinned clock (not from the server's own flag):
        // open (forwarded or in progress), not on hold, and past resolution_due
        const isOverdue = (a) => ['forwarded', 'in_progress'].includes(a.status) && !a.on_hold &&
            a.resolution_due !== null && Date.parse(a.resolution_due) < NOW_MS;
        const expected = all.filter(isOverdue).map((a) => a.id);
        assert.ok(expected.length > 0, 'the demo data has overdue applications');
        assert.ok(all.some((a) => ['forwarded', 'in_progress'].includes(a.status) && !isOverdue(a)), 'and open ones that are not');
        for (const a of all) assert.equal(a.overdue, isOverdue(a), `overdue flag of ${JSON.stringify(a)}`);
        const od = await agent.get('/api/v1/applications?limit=500&overdue=true');
        assert.equal(od.status, 200, JSON.stringify(od.body));
        assert.deepEqual(od.body.items.map((a) => a.id), expected);
        // overdue=false is no filter at all (src/api/h_apps.c): the whole list
        const notOd = await agent.get('/api/v1/applications?limit=500&overdue=false');
        assert.equal(notOd.status, 200, JSON.stringify(notOd.body));
        assert.deepEqual(notOd.body.items.map((a) => a.id), all.map((a) => a.id));
    });

    it('a date-only to= includes that whole day (from=D&to=D lists the applications of day D)', async () => {
        const all = (await agent.get('/api/v1/applications?limit=500')).body.items;
        // an application created between 03:00 and 21:00 UTC has the same date in UTC and in Istanbul
        const pick = all.find((a) => { const h = Number(a.created_at.slice(11, 13)); return h >= 3 && h < 21; });
        assert.ok(pick, 'a demo application created between 03:00 and 21:00 UTC');
        const day = pick.created_at.slice(0, 10);
        const r = await agent.get(`/api/v1/applications?limit=500&from=${day}&to=${day}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(r.body.items.some((a) => a.id === pick.id),
            `from=${day}&to=${day} should list ${pick.tracking} created ${pick.created_at}; got ${JSON.stringify(r.body.items.map((a) => a.created_at))}`);
        for (const a of r.body.items) assert.ok(Math.abs(Date.parse(a.created_at) - Date.parse(`${day}T12:00:00Z`)) <= 15 * 3600 * 1000, `${a.created_at} is on ${day}`);
        const toOnly = await agent.get(`/api/v1/applications?limit=500&to=${day}`);
        assert.ok(toOnly.body.items.some((a) => a.id === pick.id), `to=${day} should include ${pick.created_at}`);
    });

    it('bad filter values are 400 with the field named', async () => {
        const bad = [
            ['status=lost', 'status'], ['department=NOPE', 'department'], ['category=NOPE_X', 'category'],
            ['district=abc', 'district'], ['district=-1', 'district'], ['neighbourhood=x1', 'neighbourhood'],
            ['channel=fax', 'channel'], ['kind=wish', 'kind'], ['priority=asap', 'priority'],
            ['from=yesterday', 'from'], ['to=2025-13-45', 'to'], ['overdue=maybe', 'overdue'],
            ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=ten', 'limit'], ['after=abc', 'after'],
            ['after=-5', 'after'], [`q=${'a'.repeat(201)}`, 'q'],
        ];
        for (const [q, field] of bad) {
            const r = await agent.get(`/api/v1/applications?${q}`);
            assertError(r, 400, undefined, field);
        }
    });

    it('POST /api/v1/applications/{id}/links relates two applications', async () => {
        const r = await agent.post(`/api/v1/applications/${made.full.id}/links`, { other_id: made.routed.id, note: 'aynı sokak' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(r.body.links.some((l) => l.id === made.routed.id && l.tracking === made.routed.tracking && l.kind === 'related'), JSON.stringify(r.body.links));
        assert.ok(r.body.history.some((e) => e.action === 'link'), JSON.stringify(r.body.history));
        assertError(await agent.post(`/api/v1/applications/${made.full.id}/links`, { other_id: made.full.id }), 400, undefined, 'other_id');
        assertError(await agent.post(`/api/v1/applications/${made.full.id}/links`, { other_id: 99999999 }), 422, undefined, 'other_id');
        assertError(await agent.post(`/api/v1/applications/${made.full.id}/links`, {}), 400, 'missing_field', 'other_id');
        assertError(await agent.post('/api/v1/applications/99999999/links', { other_id: made.full.id }), 404);
    });
});

describe('t1 inbox order and status lists', { timeout: 60000 }, () => {
    let srv, agent, sup;
    before(async () => {
        srv = await startServer({ demoSize: 80, env: { ALO153_NOW: NOW } });
        agent = await login(srv.url, 'agent');
        sup = await login(srv.url, 'supervisor');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('status accepts a list; sort=due walks every open application oldest deadline first', async () => {
        const both = await sup.get('/api/v1/applications?status=forwarded,in_progress&limit=500');
        assert.equal(both.status, 200, JSON.stringify(both.body));
        const f = await sup.get('/api/v1/applications?status=forwarded&limit=500');
        const p = await sup.get('/api/v1/applications?status=in_progress&limit=500');
        assert.equal(both.body.items.length, f.body.items.length + p.body.items.length);
        assert.ok(both.body.items.every((a) => a.status === 'forwarded' || a.status === 'in_progress'));
        assertError(await sup.get('/api/v1/applications?status=forwarded,nope'), 400, 'invalid_field', 'status');

        const seen = [];
        let after = '';
        for (let guard = 0; guard < 100; guard++) {
            const r = await sup.get(`/api/v1/applications?status=forwarded,in_progress,new&sort=due&limit=7${after ? '&after=' + after : ''}`);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            seen.push(...r.body.items);
            if (r.body.next === null) break;
            assert.equal(typeof r.body.next, 'string');
            after = encodeURIComponent(r.body.next);
        }
        const ids = seen.map((a) => a.id);
        assert.equal(new Set(ids).size, ids.length, 'no duplicates across pages');
        const all = await sup.get('/api/v1/applications?status=forwarded,in_progress,new&limit=500');
        assert.equal(ids.length, all.body.items.length, 'no gaps');
        const due = seen.map((a) => (a.resolution_due ? Date.parse(a.resolution_due) : Infinity));
        for (let i = 1; i < due.length; i++) assert.ok(due[i - 1] <= due[i], `order at ${i}: ${seen[i - 1].resolution_due} > ${seen[i].resolution_due}`);
        assert.ok(due.some((d) => d === Infinity) ? due[due.length - 1] === Infinity : true, 'no deadline sorts last');
        assertError(await sup.get('/api/v1/applications?sort=due&after=12'), 400, 'invalid_field', 'after');
        assertError(await sup.get('/api/v1/applications?sort=oldest'), 400, 'invalid_field', 'sort');
    });
});
