// t3: reference data (departments, categories, districts, neighbourhoods, institutions, holidays,
// meta) and the admin writes (departments, categories, districts, neighbourhoods, holidays, users).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError } from '../lib/server.mjs';

const TOP = ['FEN', 'ULASIM', 'CEVRE', 'PARK', 'ZABITA', 'SOSYAL', 'SAGLIK', 'SU', 'ITFAIYE', 'MEZARLIK', 'VETERINER', 'KULTUR', 'IMAR', 'DIS'];
const KAYSERI = ['Akkışla', 'Bünyan', 'Develi', 'Felahiye', 'Hacılar', 'İncesu', 'Kocasinan', 'Melikgazi', 'Özvatan',
    'Pınarbaşı', 'Sarıoğlan', 'Sarız', 'Talas', 'Tomarza', 'Yahyalı', 'Yeşilhisar'];

describe('t3 reference data', { timeout: 60000 }, () => {
    let srv, admin, agent, supervisor, fen, anon;
    let melikgaziId;

    before(async () => {
        srv = await startServer();
        [admin, agent, supervisor, fen] = await Promise.all(['admin', 'agent', 'supervisor', 'fen'].map((u) => login(srv.url, u)));
        anon = client(srv.url);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('GET /api/v1/departments: the 14 top-level departments and the district Beyaz Masa units', async () => {
        const r = await agent.get('/api/v1/departments');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const items = r.body.items;
        const top = items.filter((d) => d.parent === null).map((d) => d.code);
        assert.ok(top.length >= 14, `top-level: ${top}`);
        for (const code of TOP) assert.ok(top.includes(code), `${code} in ${top}`);
        const bm = items.filter((d) => d.code.startsWith('BM_'));
        assert.ok(bm.length >= 16, `BM units: ${bm.map((d) => d.code)}`);
        assert.ok(bm.some((d) => d.code === 'BM_MELIKGAZI'));
        const fenYol = items.find((d) => d.code === 'FEN_YOL');
        assert.ok(fenYol, 'FEN has branches');
        assert.equal(fenYol.parent, 'FEN');
        const fenDept = items.find((d) => d.code === 'FEN');
        for (const k of ['id', 'code', 'name', 'name_en', 'institution', 'active']) assert.ok(k in fenDept, k);
        assert.equal(fenDept.active, true);
        assert.equal(items.find((d) => d.code === 'DIS').institution, 'EXT');
        assert.equal(new Set(items.map((d) => d.code)).size, items.length, 'codes are unique');
    });

    it('departments need a login; categories and districts are public', async () => {
        assertError(await anon.get('/api/v1/departments'), 401);
        assertError(await anon.get('/api/v1/institutions'), 401);
        assertError(await anon.get('/api/v1/holidays'), 401);
        assert.equal((await anon.get('/api/v1/categories')).status, 200);
        assert.equal((await anon.get('/api/v1/districts')).status, 200);
        assert.equal((await anon.get('/api/v1/meta')).status, 200);
    });

    it('GET /api/v1/categories: 60+ with departments and deadlines; search folds Turkish letters', async () => {
        const r = await agent.get('/api/v1/categories');
        assert.equal(r.status, 200);
        const items = r.body.items;
        assert.ok(items.length >= 60, `${items.length} categories`);
        const cop = items.find((c) => c.code === 'CEV_COP_TOPLAMA');
        assert.ok(cop);
        assert.equal(cop.department, 'CEVRE');
        assert.ok(cop.sla_days >= 1 && cop.first_response_days <= cop.sla_days, JSON.stringify(cop));
        const depts = new Set(items.map((c) => c.department));
        for (const code of TOP) assert.ok(depts.has(code), `a category for ${code}`);
        assert.ok(items.find((c) => c.code === 'DIS_ELEKTRIK').redirect, 'DIS categories carry a redirect');
        for (const q of ['cop', 'çöp', 'ÇÖP', 'Çöp']) {
            const s = await agent.get(`/api/v1/categories?q=${encodeURIComponent(q)}`);
            assert.equal(s.status, 200, q);
            assert.ok(s.body.items.some((c) => c.code === 'CEV_COP_TOPLAMA'), `?q=${q}: ${s.body.items.map((c) => c.code)}`);
            assert.ok(s.body.items.length < items.length, `?q=${q} narrows the list`);
        }
        const fenOnly = await agent.get('/api/v1/categories?department=FEN');
        assert.ok(fenOnly.body.items.length > 0);
        for (const c of fenOnly.body.items) assert.equal(c.department, 'FEN');
        assertError(await agent.get(`/api/v1/categories?q=${'a'.repeat(101)}`), 400, undefined, 'q');
        assertError(await agent.get('/api/v1/categories?q=%FF%FE'), 400, undefined, 'q');
    });

    it('GET /api/v1/districts: the 16 districts of Kayseri', async () => {
        const r = await anon.get('/api/v1/districts');
        assert.equal(r.status, 200);
        const names = r.body.items.map((d) => d.name).sort();
        assert.equal(r.body.items.length, 16, JSON.stringify(names));
        assert.deepEqual(names, [...KAYSERI].sort());
        for (const d of r.body.items) assert.equal(d.province, '38');
        melikgaziId = r.body.items.find((d) => d.name === 'Melikgazi').id;
    });

    it('GET /api/v1/districts/{id}/neighbourhoods: Melikgazi has many; unknown district 404', async () => {
        const r = await anon.get(`/api/v1/districts/${melikgaziId}/neighbourhoods`);
        assert.equal(r.status, 200);
        assert.equal(r.body.district_id, melikgaziId);
        assert.equal(r.body.district, 'Melikgazi');
        assert.ok(r.body.items.length >= 30, `${r.body.items.length} neighbourhoods`);
        assert.equal(new Set(r.body.items.map((n) => n.id)).size, r.body.items.length);
        for (const n of r.body.items) assert.ok(n.id > 0 && n.name.length > 0, JSON.stringify(n));
        assertError(await anon.get('/api/v1/districts/99999/neighbourhoods'), 404);
        assertError(await anon.get('/api/v1/districts/abc/neighbourhoods'), 404);
    });

    it('GET /api/v1/institutions lists the municipality and the external bucket', async () => {
        const r = await agent.get('/api/v1/institutions');
        assert.equal(r.status, 200);
        const codes = r.body.items.map((i) => i.code);
        for (const c of ['METRO', 'WATER', 'EXT', 'ILCE_MELIKGAZI']) assert.ok(codes.includes(c), `${c} in ${codes}`);
        for (const i of r.body.items) for (const k of ['id', 'code', 'name', 'kind']) assert.ok(k in i, k);
    });

    it('GET /api/v1/holidays contains 2026-03-20 (Ramazan Bayramı)', async () => {
        const r = await agent.get('/api/v1/holidays');
        assert.equal(r.status, 200);
        const h = r.body.items.find((x) => x.date === '2026-03-20');
        assert.ok(h, JSON.stringify(r.body.items.map((x) => x.date)));
        assert.ok(h.name.length > 0);
        assert.equal(typeof h.half_day, 'boolean');
    });

    it('GET /api/v1/meta lists the vocabularies', async () => {
        const r = await anon.get('/api/v1/meta');
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.statuses, ['new', 'forwarded', 'in_progress', 'resolved', 'closed', 'out_of_scope', 'duplicate']);
        for (const a of ['route', 'accept', 'return', 'transfer', 'respond', 'reject-answer', 'close', 'reopen', 'out-of-scope', 'duplicate', 'note', 'hold', 'resume']) {
            assert.ok(r.body.actions.includes(a), a);
        }
        for (const c of ['phone_153', 'desk', 'mobile_desk', 'web', 'cimer', 'email', 'whatsapp']) assert.ok(r.body.channels.includes(c), c);
        assert.deepEqual(r.body.kinds, ['request', 'complaint', 'suggestion', 'tip', 'information', 'thanks']);
        assert.deepEqual(r.body.priorities, ['low', 'normal', 'high', 'urgent']);
        assert.deepEqual([...r.body.roles].sort(), ['admin', 'agent', 'desk', 'manager', 'staff', 'supervisor']);
        assert.equal(r.body.province, '38');
        assert.match(r.body.municipality, /Kayseri/);
    });

    it('non-admins get 403 on every admin write (and change nothing)', async () => {
        const writes = [
            ['POST', '/api/v1/departments', { code: 'X_DEPT', name: 'X' }],
            ['PATCH', '/api/v1/departments/FEN', { name: 'Değişti' }],
            ['POST', '/api/v1/categories', { code: 'X_CAT', department: 'FEN', name: 'X', sla_days: 3 }],
            ['PATCH', '/api/v1/categories/FEN_YOL_CUKUR', { sla_days: 99 }],
            ['POST', '/api/v1/districts', { name: 'Sahte İlçe' }],
            ['POST', `/api/v1/districts/${melikgaziId}/neighbourhoods`, { name: 'Sahte Mahalle' }],
            ['POST', '/api/v1/holidays', { date: '2030-01-02', name: 'Sahte tatil' }],
            ['DELETE', '/api/v1/holidays/2026-03-20'],
            ['POST', '/api/v1/users', { username: 'x.user', role: 'agent', password: 'abcdefgh12345' }],
            ['PATCH', '/api/v1/users/1', { disabled: true }],
        ];
        for (const who of [agent, supervisor, fen]) {
            for (const [method, p, body] of writes) {
                const r = method === 'DELETE' ? await who.del(p) : method === 'POST' ? await who.post(p, body) : await who.patch(p, body);
                assertError(r, 403, 'forbidden');
            }
        }
        for (const [method, p, body] of writes) {
            const r = method === 'DELETE' ? await anon.del(p) : method === 'POST' ? await anon.post(p, body) : await anon.patch(p, body);
            assertError(r, 401);
        }
        assertError(await agent.get('/api/v1/users'), 403, 'forbidden');
        assertError(await fen.get('/api/v1/users'), 403, 'forbidden');
        const d = await agent.get('/api/v1/departments');
        assert.ok(!d.body.items.some((x) => x.code === 'X_DEPT'));
        assert.notEqual(d.body.items.find((x) => x.code === 'FEN').name, 'Değişti');
        const c = await agent.get('/api/v1/categories');
        assert.ok(!c.body.items.some((x) => x.code === 'X_CAT'));
        assert.notEqual(c.body.items.find((x) => x.code === 'FEN_YOL_CUKUR').sla_days, 99);
        assert.ok((await agent.get('/api/v1/holidays')).body.items.some((h) => h.date === '2026-03-20'));
        assert.equal((await anon.get('/api/v1/districts')).body.items.length, 16);
        assert.equal((await login(srv.url, 'admin')).user.disabled, false);
    });

    it('POST/PATCH /api/v1/departments', async () => {
        let r = await admin.post('/api/v1/departments', { code: 'FEN_TEST', name: 'Test Şube Müdürlüğü', parent: 'FEN' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.code, 'FEN_TEST');
        assert.equal(r.body.parent, 'FEN');
        assert.equal(r.body.name, 'Test Şube Müdürlüğü');
        assert.equal(r.body.active, true);
        const list = await admin.get('/api/v1/departments');
        assert.ok(list.body.items.some((d) => d.code === 'FEN_TEST' && d.parent === 'FEN'));

        assertError(await admin.post('/api/v1/departments', { code: 'FEN_TEST', name: 'Yine' }), 409, undefined, 'code');
        assertError(await admin.post('/api/v1/departments', { code: 'küçük harf', name: 'X' }), 400, undefined, 'code');
        assertError(await admin.post('/api/v1/departments', { name: 'Kodsuz' }), 400, undefined, 'code');
        assertError(await admin.post('/api/v1/departments', { code: 'NO_NAME' }), 400, undefined, 'name');
        assertError(await admin.post('/api/v1/departments', { code: 'BAD_PARENT', name: 'X', parent: 'NOPE' }), 422, undefined, 'parent');
        assertError(await admin.post('/api/v1/departments', { code: 'BAD_INST', name: 'X', institution: 'NOPE' }), 422, undefined, 'institution');
        assertError(await admin.post('/api/v1/departments', { code: 'EMPTY_NAME', name: '' }), 400, undefined, 'name');
        assertError(await admin.post('/api/v1/departments', { code: 'X2', name: 'X', colour: 'red' }), 400, 'unknown_field', 'colour');

        r = await admin.patch('/api/v1/departments/FEN_TEST', { name: 'Yeni Ad', name_en: 'New Name' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.name, 'Yeni Ad');
        assert.equal(r.body.name_en, 'New Name');
        assert.equal(r.body.parent, 'FEN', 'PATCH keeps the parent');
        r = await admin.patch('/api/v1/departments/FEN_TEST', { active: false });
        assert.equal(r.status, 200);
        assert.equal(r.body.active, false);
        assertError(await admin.patch('/api/v1/departments/NOPE_NOPE', { name: 'X' }), 404);
        assertError(await admin.patch('/api/v1/departments/FEN_TEST', { code: 'OTHER' }), 400, undefined, 'code');
        assertError(await admin.patch('/api/v1/departments/FEN', { parent: 'FEN_YOL' }), 422, undefined, 'parent');
        assertError(await admin.patch('/api/v1/departments/FEN', { parent: 'FEN' }), 422, undefined, 'parent');
        const fen = (await admin.get('/api/v1/departments')).body.items.find((d) => d.code === 'FEN');
        assert.equal(fen.parent, null, 'the refused cycle changed nothing');
    });

    it('POST/PATCH /api/v1/categories, and the new category routes to its department', async () => {
        await admin.post('/api/v1/departments', { code: 'PARK_TEST', name: 'Park Test Birimi', parent: 'PARK' });
        let r = await admin.post('/api/v1/categories', {
            code: 'PARK_TEST_KONU', department: 'PARK_TEST', name: 'Test konusu', keywords: 'salıncak kırık', sla_days: 5, first_response_days: 2,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.code, 'PARK_TEST_KONU');
        assert.equal(r.body.department, 'PARK_TEST');
        assert.equal(r.body.sla_days, 5);
        assert.equal(r.body.first_response_days, 2);
        assert.equal(r.body.active, true);
        assert.ok((await anon.get('/api/v1/categories')).body.items.some((c) => c.code === 'PARK_TEST_KONU'));
        assert.ok((await anon.get('/api/v1/categories?q=salıncak')).body.items.some((c) => c.code === 'PARK_TEST_KONU'));

        const app = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Parktaki salıncak kırık', category: 'PARK_TEST_KONU', route: true });
        assert.equal(app.status, 201, JSON.stringify(app.body));
        assert.equal(app.body.department, 'PARK_TEST');
        assert.equal(app.body.status, 'forwarded');

        assertError(await admin.post('/api/v1/categories', { code: 'PARK_TEST_KONU', department: 'PARK', name: 'X', sla_days: 1 }), 409, undefined, 'code');
        assertError(await admin.post('/api/v1/categories', { code: 'NO_SLA', department: 'PARK', name: 'X' }), 400, undefined, 'sla_days');
        assertError(await admin.post('/api/v1/categories', { code: 'NO_DEPT', name: 'X', sla_days: 2 }), 400, undefined, 'department');
        assertError(await admin.post('/api/v1/categories', { code: 'BAD_DEPT', department: 'NOPE', name: 'X', sla_days: 2 }), 422, undefined, 'department');
        assertError(await admin.post('/api/v1/categories', { code: 'bad code', department: 'PARK', name: 'X', sla_days: 2 }), 400, undefined, 'code');
        assertError(await admin.post('/api/v1/categories', { code: 'BAD_PRIO', department: 'PARK', name: 'X', sla_days: 2, priority: 'asap' }), 400, undefined, 'priority');
        assertError(await admin.post('/api/v1/categories', { code: 'BAD_SLA', department: 'PARK', name: 'X', sla_days: 0 }), 400, undefined, 'sla_days');
        assertError(await admin.post('/api/v1/categories', { code: 'BAD_SLA2', department: 'PARK', name: 'X', sla_days: 'two' }), 400, 'invalid_type', 'sla_days');
        assertError(await admin.post('/api/v1/categories', { code: 'BAD_SLA3', department: 'PARK', name: 'X', sla_days: 9999 }), 400, undefined, 'sla_days');

        r = await admin.patch('/api/v1/categories/PARK_TEST_KONU', { sla_days: 7, priority: 'high' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.sla_days, 7);
        assert.equal(r.body.priority, 'high');
        assert.equal(r.body.department, 'PARK_TEST', 'PATCH keeps the department');
        assertError(await admin.patch('/api/v1/categories/PARK_TEST_KONU', { first_response_days: 30 }), 400, undefined, 'sla_days');
        assertError(await admin.patch('/api/v1/categories/NOPE_NOPE', { sla_days: 3 }), 404);
        assertError(await admin.patch('/api/v1/categories/PARK_TEST_KONU', { code: 'RENAMED' }), 400, undefined, 'code');
        r = await admin.patch('/api/v1/categories/PARK_TEST_KONU', { active: false });
        assert.equal(r.status, 200);
        assert.equal(r.body.active, false);
        const inactive = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Pasif konuya başvuru', category: 'PARK_TEST_KONU' });
        assertError(inactive, 422, undefined, 'category');
    });

    it('POST /api/v1/districts and /districts/{id}/neighbourhoods', async () => {
        let r = await admin.post('/api/v1/districts', { name: 'Test İlçesi' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.name, 'Test İlçesi');
        assert.equal(r.body.province, '38');
        const did = r.body.id;
        const ds = await anon.get('/api/v1/districts');
        assert.equal(ds.body.items.length, 17);
        assert.ok(ds.body.items.some((d) => d.id === did && d.name === 'Test İlçesi'));
        assertError(await admin.post('/api/v1/districts', {}), 400, 'missing_field', 'name');
        assertError(await admin.post('/api/v1/districts', { name: '' }), 400, undefined, 'name');

        r = await admin.post(`/api/v1/districts/${did}/neighbourhoods`, { name: 'Deneme Mahallesi' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.district_id, did);
        const nid = r.body.id;
        const ns = await anon.get(`/api/v1/districts/${did}/neighbourhoods`);
        assert.deepEqual(ns.body.items.map((n) => n.name), ['Deneme Mahallesi']);
        assertError(await admin.post('/api/v1/districts/99999/neighbourhoods', { name: 'Yok' }), 404);
        assertError(await admin.post(`/api/v1/districts/${did}/neighbourhoods`, { name: 5 }), 400, 'invalid_type', 'name');

        const app = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Yeni mahalleden başvuru', district_id: did, neighbourhood_id: nid });
        assert.equal(app.status, 201, JSON.stringify(app.body));
        assert.equal(app.body.district, 'Test İlçesi');
        assert.equal(app.body.neighbourhood, 'Deneme Mahallesi');
        assertError(await agent.post('/api/v1/applications', { channel: 'desk', text: 'Yanlış ilçe', district_id: melikgaziId, neighbourhood_id: nid }), 422, undefined, 'neighbourhood_id');
    });

    it('POST / DELETE /api/v1/holidays', async () => {
        let r = await admin.post('/api/v1/holidays', { date: '2030-06-15', name: 'Test Bayramı', half_day: true });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.deepEqual(r.body, { date: '2030-06-15', name: 'Test Bayramı', half_day: true });
        let list = await agent.get('/api/v1/holidays');
        assert.ok(list.body.items.some((h) => h.date === '2030-06-15' && h.half_day === true && h.name === 'Test Bayramı'));
        assertError(await admin.post('/api/v1/holidays', { date: '15.06.2030', name: 'X' }), 400, undefined, 'date');
        assertError(await admin.post('/api/v1/holidays', { date: '2030-02-30', name: 'X' }), 400, undefined, 'date');
        assertError(await admin.post('/api/v1/holidays', { date: '2030-06-16' }), 400, 'missing_field', 'name');
        assertError(await admin.post('/api/v1/holidays', { date: '2030-06-16', name: '' }), 400, undefined, 'name');
        r = await admin.del('/api/v1/holidays/2030-06-15');
        assert.equal(r.status, 204, JSON.stringify(r.body));
        list = await agent.get('/api/v1/holidays');
        assert.ok(!list.body.items.some((h) => h.date === '2030-06-15'));
        assertError(await admin.del('/api/v1/holidays/2030-06-15'), 404);
        assertError(await admin.del('/api/v1/holidays/not-a-date'), 404);
    });

    it('GET/POST/PATCH /api/v1/users', async () => {
        let r = await admin.get('/api/v1/users');
        assert.equal(r.status, 200);
        const names = r.body.items.map((u) => u.username);
        for (const u of ['admin', 'supervisor', 'agent', 'desk', 'fen', 'fen.mudur', 'zabita', 'cevre']) assert.ok(names.includes(u), u);
        for (const u of r.body.items) {
            assert.equal(u.password, undefined);
            assert.equal(u.password_hash, undefined);
        }
        assert.equal((await supervisor.get('/api/v1/users')).status, 200, 'supervisors may read the user list');

        r = await admin.post('/api/v1/users', { username: 'park.personel', full_name: 'Deniz Park', role: 'staff', department: 'PARK', password: 'gizli-parola-123' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.username, 'park.personel');
        assert.equal(r.body.role, 'staff');
        assert.equal(r.body.department, 'PARK');
        assert.equal(r.body.password, undefined);
        const uid = r.body.id;
        const park = await login(srv.url, 'park.personel', 'gizli-parola-123');
        assert.equal((await park.get('/api/v1/me')).body.department, 'PARK');

        assertError(await admin.post('/api/v1/users', { username: 'park.personel', role: 'agent', password: 'gizli-parola-123' }), 409);
        assertError(await admin.post('/api/v1/users', { username: 'no.dept', role: 'staff', password: 'gizli-parola-123' }), 400, undefined, 'department');
        assertError(await admin.post('/api/v1/users', { username: 'bad.dept', role: 'staff', department: 'NOPE', password: 'gizli-parola-123' }), 422, undefined, 'department');
        assertError(await admin.post('/api/v1/users', { username: 'bad.role', role: 'king', password: 'gizli-parola-123' }), 400, undefined, 'role');
        assertError(await admin.post('/api/v1/users', { username: 'Büyük Harf', role: 'agent', password: 'gizli-parola-123' }), 400, undefined, 'username');
        assertError(await admin.post('/api/v1/users', { username: 'short.pw', role: 'agent', password: 'x' }), 400, undefined, 'password');
        assertError(await admin.post('/api/v1/users', { username: 'no.pw', role: 'agent' }), 400, 'missing_field', 'password');
        const after = (await admin.get('/api/v1/users')).body.items.map((u) => u.username);
        for (const u of ['no.dept', 'bad.dept', 'bad.role', 'short.pw', 'no.pw']) assert.ok(!after.includes(u), u);

        r = await admin.patch(`/api/v1/users/${uid}`, { full_name: 'Deniz Park Yılmaz', role: 'manager' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.full_name, 'Deniz Park Yılmaz');
        assert.equal(r.body.role, 'manager');
        assert.equal(r.body.department, 'PARK');
        r = await admin.patch(`/api/v1/users/${uid}`, { password: 'yeni-parola-456' });
        assert.equal(r.status, 200);
        assertError(await client(srv.url).post('/api/v1/session', { username: 'park.personel', password: 'gizli-parola-123' }), 401, 'invalid_credentials');
        await login(srv.url, 'park.personel', 'yeni-parola-456');

        r = await admin.patch(`/api/v1/users/${uid}`, { disabled: true });
        assert.equal(r.status, 200);
        assert.equal(r.body.disabled, true);
        assertError(await client(srv.url).post('/api/v1/session', { username: 'park.personel', password: 'yeni-parola-456' }), 401, 'invalid_credentials');
        assertError(await park.get('/api/v1/me'), 401, 'unauthorized');

        r = await admin.patch(`/api/v1/users/${uid}`, { disabled: false });
        assert.equal(r.body.disabled, false);
        await login(srv.url, 'park.personel', 'yeni-parola-456');

        assertError(await admin.patch('/api/v1/users/99999', { full_name: 'Kimse' }), 404);
        assertError(await admin.patch(`/api/v1/users/${uid}`, { role: 'king' }), 400, undefined, 'role');
        assertError(await admin.patch(`/api/v1/users/${uid}`, { department: 'NOPE' }), 422, undefined, 'department');
        assertError(await admin.patch(`/api/v1/users/${uid}`, { username: 'rename' }), 400, 'unknown_field', 'username');
    });

    it('only staff and managers belong to a department: an agent with a department is 400', async () => {
        // h_admin.c: "Roles that work inside one department need one; the others must not have one."
        const r = await admin.post('/api/v1/users', { username: 'agent.fen', role: 'agent', department: 'FEN', password: 'gizli-parola-123' });
        assertError(r, 400, undefined, 'department');
        const users = (await admin.get('/api/v1/users')).body.items.map((u) => u.username);
        assert.ok(!users.includes('agent.fen'), 'nothing was stored');
    });
});
