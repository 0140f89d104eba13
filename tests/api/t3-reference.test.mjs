// t3: reference data (departments, categories, districts, neighbourhoods, institutions, holidays,
// meta) and the admin writes (departments, categories, districts, neighbourhoods, holidays, users).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, sqlite } from '../lib/server.mjs';

const TOP = ['FEN', 'ULASIM', 'CEVRE', 'PARK', 'ZABITA', 'SOSYAL', 'SAGLIK', 'SU', 'ITFAIYE', 'MEZARLIK', 'VETERINER', 'KULTUR', 'IMAR', 'DIS'];
const KAYSERI = ['Akkışla', 'Bünyan', 'Develi', 'Felahiye', 'Hacılar', 'İncesu', 'Kocasinan', 'Melikgazi', 'Özvatan',
    'Pınarbaşı', 'Sarıoğlan', 'Sarız', 'Talas', 'Tomarza', 'Yahyalı', 'Yeşilhisar'];
/** 'Pınarbaşı' → 'PINARBASI': the district part of the BM_ and ILCE_ codes. */
const asciiUpper = (s) => s.replace(/[ıİ]/g, 'i').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
const BM = KAYSERI.map((d) => `BM_${asciiUpper(d)}`);

describe('t3 reference data', { timeout: 60000 }, () => {
    let srv, admin, agent, supervisor, fen, anon;
    let melikgaziId, melikgaziNbCount;

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
        // exactly the 14 departments and one Beyaz Masa unit per district, nothing else at the top
        assert.deepEqual([...top].sort(), [...TOP, ...BM].sort());
        const bm = items.filter((d) => d.code.startsWith('BM_'));
        assert.deepEqual(bm.map((d) => d.code).sort(), [...BM].sort());
        for (const d of bm) assert.equal(d.institution, `ILCE_${d.code.slice(3)}`, JSON.stringify(d));
        const fenYol = items.find((d) => d.code === 'FEN_YOL');
        assert.ok(fenYol, 'FEN has branches');
        assert.equal(fenYol.parent, 'FEN');
        const fenDept = items.find((d) => d.code === 'FEN');
        assert.equal(typeof fenDept.id, 'number');
        assert.deepEqual({ ...fenDept, id: 0 }, {
            id: 0, code: 'FEN', parent: null, institution: 'METRO', name: 'Fen İşleri Dairesi Başkanlığı',
            name_en: 'Department of Public Works', active: true,
        });
        assert.equal(items.find((d) => d.code === 'SU').institution, 'WATER');
        assert.equal(items.find((d) => d.code === 'DIS').institution, 'EXT');
        assert.equal(new Set(items.map((d) => d.code)).size, items.length, 'codes are unique');
    });

    it('departments need a login; categories and districts are public', async () => {
        assertError(await anon.get('/api/v1/departments'), 401);
        assertError(await anon.get('/api/v1/institutions'), 401);
        assertError(await anon.get('/api/v1/holidays'), 401);
        for (const r of [await anon.get('/api/v1/departments'), await anon.get('/api/v1/institutions'), await anon.get('/api/v1/holidays')]) {
            assert.deepEqual(Object.keys(r.body), ['error'], 'a 401 shows nothing of the list');
        }
        const cats = await anon.get('/api/v1/categories');
        assert.equal(cats.status, 200);
        assert.deepEqual(cats.body, (await agent.get('/api/v1/categories')).body, 'the same list as for staff');
        const dists = await anon.get('/api/v1/districts');
        assert.equal(dists.status, 200);
        assert.equal(dists.body.items.length, 16);
        const meta = await anon.get('/api/v1/meta');
        assert.equal(meta.status, 200);
        assert.equal(meta.body.province, '38');
    });

    it('GET /api/v1/categories: 60+ with departments and deadlines; search folds Turkish letters', async () => {
        const r = await agent.get('/api/v1/categories');
        assert.equal(r.status, 200);
        const items = r.body.items;
        assert.ok(items.length >= 60, `${items.length} categories`);
        const cop = items.find((c) => c.code === 'CEV_COP_TOPLAMA');
        assert.ok(cop, 'CEV_COP_TOPLAMA is listed');
        // the row of src/core/reference.c: 1 day for a first response, 2 calendar days to resolve
        assert.deepEqual({ ...cop, id: 0 }, {
            id: 0, code: 'CEV_COP_TOPLAMA', department: 'CEVRE', name: 'Çöp toplanmaması', name_en: 'Garbage not collected',
            keywords: 'çöp çöpler atık toplanmadı alınmadı konteyner taşıyor kokuyor çöp kamyonu gelmedi',
            first_response_days: 1, sla_days: 2, working_days: false, priority: 'normal', redirect: null, active: true,
            proof_required: false,
        });
        const cukur = items.find((c) => c.code === 'FEN_YOL_CUKUR');
        assert.deepEqual([cukur.department, cukur.first_response_days, cukur.sla_days, cukur.working_days, cukur.priority],
            ['FEN', 2, 10, true, 'normal']);
        const depts = new Set(items.map((c) => c.department));
        for (const code of TOP) assert.ok(depts.has(code), `a category for ${code}`);
        assert.equal(items.find((c) => c.code === 'DIS_ELEKTRIK').redirect,
            "Elektrik dağıtım şirketi — Kayseri'de Kayseri ve Civarı Elektrik T.A.Ş. (KCETAŞ), arıza hattı 186");
        for (const c of items) {
            if (c.department === 'DIS') assert.ok(typeof c.redirect === 'string' && c.redirect.length > 10, `${c.code} carries a redirect`);
            else assert.equal(c.redirect, null, `${c.code} has no redirect`);
        }
        for (const q of ['cop', 'çöp', 'ÇÖP', 'Çöp']) {
            const s = await agent.get(`/api/v1/categories?q=${encodeURIComponent(q)}`);
            assert.equal(s.status, 200, q);
            assert.ok(s.body.items.some((c) => c.code === 'CEV_COP_TOPLAMA'), `?q=${q}: ${s.body.items.map((c) => c.code)}`);
            assert.ok(s.body.items.length < items.length, `?q=${q} narrows the list`);
        }
        const fenOnly = await agent.get('/api/v1/categories?department=FEN');
        assert.deepEqual(fenOnly.body.items.map((c) => c.code).sort(),
            items.filter((c) => c.department === 'FEN').map((c) => c.code).sort(), '?department=FEN is exactly the FEN categories');
        assert.ok(fenOnly.body.items.length >= 2 && fenOnly.body.items.length < items.length);
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
        // only Melikgazi's: no id of another district's list appears here
        const talas = (await anon.get('/api/v1/districts')).body.items.find((d) => d.name === 'Talas');
        const talasIds = new Set((await anon.get(`/api/v1/districts/${talas.id}/neighbourhoods`)).body.items.map((n) => n.id));
        assert.ok(talasIds.size > 0);
        assert.deepEqual(r.body.items.filter((n) => talasIds.has(n.id)), []);
        melikgaziNbCount = r.body.items.length;
        assertError(await anon.get('/api/v1/districts/99999/neighbourhoods'), 404);
        assertError(await anon.get('/api/v1/districts/abc/neighbourhoods'), 404);
    });

    it('GET /api/v1/institutions lists the municipality and the external bucket', async () => {
        const r = await agent.get('/api/v1/institutions');
        assert.equal(r.status, 200);
        const byCode = Object.fromEntries(r.body.items.map((i) => [i.code, i]));
        assert.deepEqual(Object.keys(byCode).sort(), ['METRO', 'WATER', 'EXT', ...KAYSERI.map((d) => `ILCE_${asciiUpper(d)}`)].sort());
        assert.deepEqual([byCode.METRO.kind, byCode.METRO.name], ['metropolitan', 'Kayseri Büyükşehir Belediyesi']);
        assert.deepEqual([byCode.WATER.kind, byCode.WATER.name], ['affiliate', 'Kayseri Su ve Kanalizasyon İdaresi']);
        assert.equal(byCode.EXT.kind, 'external');
        for (const d of KAYSERI) {
            const i = byCode[`ILCE_${asciiUpper(d)}`];
            assert.deepEqual([i.kind, i.name], ['district', `${d} Belediyesi`]);
        }
        for (const i of r.body.items) assert.equal(typeof i.id, 'number');
    });

    it('GET /api/v1/holidays contains 2026-03-20 (Ramazan Bayramı)', async () => {
        const r = await agent.get('/api/v1/holidays');
        assert.equal(r.status, 200);
        const h = r.body.items.find((x) => x.date === '2026-03-20');
        assert.deepEqual(h, { date: '2026-03-20', name: 'Ramazan Bayramı 1. gün', half_day: false });
        // the eve is a half day
        assert.deepEqual(r.body.items.find((x) => x.date === '2026-03-19'), { date: '2026-03-19', name: 'Ramazan Bayramı arifesi', half_day: true });
        const dates = r.body.items.map((x) => x.date);
        assert.deepEqual(dates, [...dates].sort(), 'in date order');
        assert.equal(new Set(dates).size, dates.length, 'one row per date');
    });

    it('GET /api/v1/meta lists the vocabularies', async () => {
        const r = await anon.get('/api/v1/meta');
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.statuses, ['new', 'forwarded', 'in_progress', 'resolved', 'closed', 'out_of_scope', 'duplicate']);
        assert.deepEqual(r.body.actions, ['route', 'accept', 'return', 'transfer', 'respond', 'reject-answer', 'close', 'reopen', 'out-of-scope', 'duplicate', 'note', 'hold', 'resume']);
        assert.deepEqual(r.body.channels, ['phone_153', 'phone_alt', 'desk', 'mobile_desk', 'web', 'mobile_app', 'whatsapp', 'cimer', 'email', 'open311']);
        assert.deepEqual(r.body.kinds, ['request', 'complaint', 'suggestion', 'tip', 'information', 'thanks']);
        assert.deepEqual(r.body.priorities, ['low', 'normal', 'high', 'urgent']);
        assert.deepEqual([...r.body.roles].sort(), ['admin', 'agent', 'desk', 'dpo', 'manager', 'staff', 'supervisor', 'telephony']);
        assert.equal(r.body.province, '38');
        assert.equal(r.body.municipality, 'Kayseri Büyükşehir Belediyesi');
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
        const snapshot = async () => ({
            departments: (await admin.get('/api/v1/departments')).body,
            categories: (await admin.get('/api/v1/categories')).body,
            districts: (await admin.get('/api/v1/districts')).body,
            neighbourhoods: (await admin.get(`/api/v1/districts/${melikgaziId}/neighbourhoods`)).body,
            holidays: (await admin.get('/api/v1/holidays')).body,
            users: (await admin.get('/api/v1/users')).body,
        });
        const before = await snapshot();
        assert.equal(before.neighbourhoods.items.length, melikgaziNbCount);
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
        // every list is exactly as it was (no X_DEPT, FEN's name, FEN_YOL_CUKUR's 10 days, the holiday, user 1 enabled …)
        assert.deepEqual(await snapshot(), before);
        assert.equal(before.users.items.find((u) => u.id === 1).disabled, false);
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
        assert.deepEqual(list.body.items.find((d) => d.code === 'FEN_TEST'), r.body, 'the list shows what was stored');
        const depCount = list.body.items.length;

        assertError(await admin.post('/api/v1/departments', { code: 'FEN_TEST', name: 'Yine' }), 409, undefined, 'code');
        assertError(await admin.post('/api/v1/departments', { code: 'küçük harf', name: 'X' }), 400, undefined, 'code');
        assertError(await admin.post('/api/v1/departments', { name: 'Kodsuz' }), 400, undefined, 'code');
        assertError(await admin.post('/api/v1/departments', { code: 'NO_NAME' }), 400, undefined, 'name');
        assertError(await admin.post('/api/v1/departments', { code: 'BAD_PARENT', name: 'X', parent: 'NOPE' }), 422, undefined, 'parent');
        assertError(await admin.post('/api/v1/departments', { code: 'BAD_INST', name: 'X', institution: 'NOPE' }), 422, undefined, 'institution');
        assertError(await admin.post('/api/v1/departments', { code: 'EMPTY_NAME', name: '' }), 400, undefined, 'name');
        assertError(await admin.post('/api/v1/departments', { code: 'X2', name: 'X', colour: 'red' }), 400, 'unknown_field', 'colour');
        const afterRefused = (await admin.get('/api/v1/departments')).body.items;
        assert.equal(afterRefused.length, depCount, 'refused departments are not stored');
        assert.equal(afterRefused.find((d) => d.code === 'FEN_TEST').name, 'Test Şube Müdürlüğü', 'the 409 left the first one alone');

        r = await admin.patch('/api/v1/departments/FEN_TEST', { name: 'Yeni Ad', name_en: 'New Name' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.name, 'Yeni Ad');
        assert.equal(r.body.name_en, 'New Name');
        assert.equal(r.body.parent, 'FEN', 'PATCH keeps the parent');
        r = await admin.patch('/api/v1/departments/FEN_TEST', { active: false });
        assert.equal(r.status, 200);
        assert.equal(r.body.active, false);
        const stored = (await admin.get('/api/v1/departments')).body.items.find((d) => d.code === 'FEN_TEST');
        assert.deepEqual([stored.name, stored.name_en, stored.parent, stored.active], ['Yeni Ad', 'New Name', 'FEN', false], 'the PATCHes were stored');
        const beforeRefused = (await admin.get('/api/v1/departments')).body;
        assertError(await admin.patch('/api/v1/departments/NOPE_NOPE', { name: 'X' }), 404, 'not_found');
        assertError(await admin.patch('/api/v1/departments/FEN_TEST', { code: 'OTHER' }), 400, undefined, 'code');
        assertError(await admin.patch('/api/v1/departments/FEN', { parent: 'FEN_YOL' }), 422, undefined, 'parent');
        assertError(await admin.patch('/api/v1/departments/FEN', { parent: 'FEN' }), 422, undefined, 'parent');
        // the refused PATCHes (a rename, two cycles) changed nothing
        assert.deepEqual((await admin.get('/api/v1/departments')).body, beforeRefused);
        assert.equal(beforeRefused.items.find((d) => d.code === 'FEN').parent, null);
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
        assert.deepEqual((await anon.get('/api/v1/categories')).body.items.find((c) => c.code === 'PARK_TEST_KONU'), r.body);
        assert.ok((await anon.get('/api/v1/categories?q=salıncak')).body.items.some((c) => c.code === 'PARK_TEST_KONU'), 'found by its keywords');
        const catCount = (await anon.get('/api/v1/categories')).body.items.length;

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
        const cats = (await anon.get('/api/v1/categories')).body.items;
        assert.equal(cats.length, catCount, 'refused categories are not stored');
        assert.equal(cats.find((c) => c.code === 'PARK_TEST_KONU').department, 'PARK_TEST', 'the 409 left the first one alone');

        r = await admin.patch('/api/v1/categories/PARK_TEST_KONU', { sla_days: 7, priority: 'high' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.sla_days, 7);
        assert.equal(r.body.priority, 'high');
        assert.equal(r.body.department, 'PARK_TEST', 'PATCH keeps the department');
        const patched = r.body;
        assert.deepEqual((await anon.get('/api/v1/categories')).body.items.find((c) => c.code === 'PARK_TEST_KONU'), patched, 'the PATCH was stored');
        assertError(await admin.patch('/api/v1/categories/PARK_TEST_KONU', { first_response_days: 30 }), 400, undefined, 'sla_days');
        assertError(await admin.patch('/api/v1/categories/NOPE_NOPE', { sla_days: 3 }), 404, 'not_found');
        assertError(await admin.patch('/api/v1/categories/PARK_TEST_KONU', { code: 'RENAMED' }), 400, undefined, 'code');
        assert.deepEqual((await anon.get('/api/v1/categories')).body.items.find((c) => c.code === 'PARK_TEST_KONU'), patched,
            'the refused PATCHes changed nothing (first response still 2 days)');
        r = await admin.patch('/api/v1/categories/PARK_TEST_KONU', { active: false });
        assert.equal(r.status, 200);
        assert.equal(r.body.active, false);
        const inactive = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Pasif konuya başvuru', category: 'PARK_TEST_KONU' });
        assertError(inactive, 422, undefined, 'category');
        assert.equal(sqlite(srv.db, "SELECT count(*) FROM applications WHERE text = 'Pasif konuya başvuru'"), '0', 'nothing stored');
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
        assert.deepEqual((await anon.get('/api/v1/districts')).body, ds.body, 'refused districts are not stored');

        r = await admin.post(`/api/v1/districts/${did}/neighbourhoods`, { name: 'Deneme Mahallesi' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.district_id, did);
        const nid = r.body.id;
        const ns = await anon.get(`/api/v1/districts/${did}/neighbourhoods`);
        assert.deepEqual(ns.body.items.map((n) => n.name), ['Deneme Mahallesi']);
        assertError(await admin.post('/api/v1/districts/99999/neighbourhoods', { name: 'Yok' }), 404, 'not_found');
        assertError(await admin.post(`/api/v1/districts/${did}/neighbourhoods`, { name: 5 }), 400, 'invalid_type', 'name');
        assert.deepEqual((await anon.get(`/api/v1/districts/${did}/neighbourhoods`)).body, ns.body, 'refused neighbourhoods are not stored');
        assert.equal(sqlite(srv.db, "SELECT count(*) FROM neighbourhoods WHERE name = 'Yok'"), '0');

        const app = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Yeni mahalleden başvuru', district_id: did, neighbourhood_id: nid });
        assert.equal(app.status, 201, JSON.stringify(app.body));
        assert.equal(app.body.district, 'Test İlçesi');
        assert.equal(app.body.neighbourhood, 'Deneme Mahallesi');
        assert.deepEqual([app.body.district_id, app.body.neighbourhood_id], [did, nid]);
        assertError(await agent.post('/api/v1/applications', { channel: 'desk', text: 'Yanlış ilçe', district_id: melikgaziId, neighbourhood_id: nid }), 422, undefined, 'neighbourhood_id');
        assert.equal(sqlite(srv.db, "SELECT count(*) FROM applications WHERE text = 'Yanlış ilçe'"), '0', 'nothing stored');
    });

    it('POST / DELETE /api/v1/holidays', async () => {
        let r = await admin.post('/api/v1/holidays', { date: '2030-06-15', name: 'Test Bayramı', half_day: true });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.deepEqual(r.body, { date: '2030-06-15', name: 'Test Bayramı', half_day: true });
        // a second day of the same year and month, which the DELETE below must leave alone
        assert.equal((await admin.post('/api/v1/holidays', { date: '2030-06-17', name: 'Komşu Gün' })).status, 201);
        let list = await agent.get('/api/v1/holidays');
        assert.deepEqual(list.body.items.find((h) => h.date === '2030-06-15'), { date: '2030-06-15', name: 'Test Bayramı', half_day: true });
        assert.deepEqual(list.body.items.find((h) => h.date === '2030-06-17'), { date: '2030-06-17', name: 'Komşu Gün', half_day: false });
        const withTest = list.body;
        assertError(await admin.post('/api/v1/holidays', { date: '15.06.2030', name: 'X' }), 400, undefined, 'date');
        assertError(await admin.post('/api/v1/holidays', { date: '2030-02-30', name: 'X' }), 400, undefined, 'date');
        assertError(await admin.post('/api/v1/holidays', { date: '2030-06-16' }), 400, 'missing_field', 'name');
        assertError(await admin.post('/api/v1/holidays', { date: '2030-06-16', name: '' }), 400, undefined, 'name');
        assert.deepEqual((await agent.get('/api/v1/holidays')).body, withTest, 'refused holidays are not stored');
        r = await admin.del('/api/v1/holidays/2030-06-15');
        assert.equal(r.status, 204, JSON.stringify(r.body));
        list = await agent.get('/api/v1/holidays');
        assert.deepEqual(list.body.items, withTest.items.filter((h) => h.date !== '2030-06-15'), 'only that day was removed');
        assertError(await admin.del('/api/v1/holidays/2030-06-15'), 404, 'not_found');
        assertError(await admin.del('/api/v1/holidays/not-a-date'), 404);
        assert.deepEqual((await agent.get('/api/v1/holidays')).body, list.body);
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
        const me = (await park.get('/api/v1/me')).body;
        assert.deepEqual([me.username, me.role, me.department, me.full_name], ['park.personel', 'staff', 'PARK', 'Deniz Park']);

        assertError(await admin.post('/api/v1/users', { username: 'park.personel', role: 'agent', password: 'gizli-parola-123' }), 409);
        const parkRow = (await admin.get('/api/v1/users')).body.items.find((u) => u.username === 'park.personel');
        assert.deepEqual([parkRow.role, parkRow.department], ['staff', 'PARK'], 'the 409 left the first one alone');
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

        const usersBefore = (await admin.get('/api/v1/users')).body;
        assertError(await admin.patch('/api/v1/users/99999', { full_name: 'Kimse' }), 404, 'not_found');
        assertError(await admin.patch(`/api/v1/users/${uid}`, { role: 'king' }), 400, undefined, 'role');
        assertError(await admin.patch(`/api/v1/users/${uid}`, { department: 'NOPE' }), 422, undefined, 'department');
        assertError(await admin.patch(`/api/v1/users/${uid}`, { username: 'rename' }), 400, 'unknown_field', 'username');
        assertError(await admin.patch(`/api/v1/users/${uid}`, { full_name: 'Yarım Değişiklik', role: 'king' }), 400, undefined, 'role');
        assert.deepEqual((await admin.get('/api/v1/users')).body, usersBefore, 'the refused PATCHes changed nothing');
        assert.deepEqual(usersBefore.items.find((u) => u.id === uid),
            { ...usersBefore.items.find((u) => u.id === uid), full_name: 'Deniz Park Yılmaz', role: 'manager', department: 'PARK', disabled: false });
    });

    it('a clerk can become a call-taker or supervisor and back; the last admin cannot step down', async () => {
        let r = await admin.post('/api/v1/users', { username: 'rol.degisen', role: 'staff', department: 'FEN', password: 'gizli-parola-123' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const id = r.body.id;
        r = await admin.patch(`/api/v1/users/${id}`, { role: 'agent' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual([r.body.role, r.body.department], ['agent', null], 'the department went with the role');
        assertError(await admin.patch(`/api/v1/users/${id}`, { role: 'supervisor', department: 'FEN' }), 400, undefined, 'department');
        r = await admin.patch(`/api/v1/users/${id}`, { role: 'manager', department: 'PARK' });
        assert.deepEqual([r.status, r.body.role, r.body.department], [200, 'manager', 'PARK']);
        r = await admin.patch(`/api/v1/users/${id}`, { role: 'supervisor' });
        assert.deepEqual([r.status, r.body.role, r.body.department], [200, 'supervisor', null]);

        // the admins of this server: the demo's, and one more made here
        const admins = () => admin.get('/api/v1/users').then((x) => x.body.items.filter((u) => u.role === 'admin' && !u.disabled));
        const before = await admins();
        r = await admin.post('/api/v1/users', { username: 'ikinci.yonetici', role: 'admin', password: 'gizli-parola-123' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const second = r.body.id;
        // every admin but one steps down: allowed while another enabled admin remains
        for (const u of before) {
            r = await admin.patch(`/api/v1/users/${u.id}`, { role: 'supervisor' });
            assert.equal(r.status, 200, JSON.stringify(r.body));
        }
        const admin2 = await login(srv.url, 'ikinci.yonetici', 'gizli-parola-123');
        assertError(await admin2.patch(`/api/v1/users/${second}`, { role: 'supervisor' }), 409, 'last_admin', 'role');
        assertError(await admin2.patch(`/api/v1/users/${second}`, { disabled: true }), 409, 'last_admin', 'role');
        assert.deepEqual((await admins()).map((u) => u.id), [second], 'still one admin');
        for (const u of before) {
            r = await admin2.patch(`/api/v1/users/${u.id}`, { role: 'admin' });
            assert.equal(r.status, 200, JSON.stringify(r.body));
        }
        r = await admin2.patch(`/api/v1/users/${second}`, { disabled: true });
        assert.equal(r.status, 200, 'with the others back, the second one may go');
    });

    it('only staff and managers belong to a department: an agent with a department is 400', async () => {
        // h_admin.c: "Roles that work inside one department need one; the others must not have one."
        const r = await admin.post('/api/v1/users', { username: 'agent.fen', role: 'agent', department: 'FEN', password: 'gizli-parola-123' });
        assertError(r, 400, undefined, 'department');
        const users = (await admin.get('/api/v1/users')).body.items.map((u) => u.username);
        assert.ok(!users.includes('agent.fen'), 'nothing was stored');
    });
});
