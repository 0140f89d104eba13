// t4: citizens — register, validate and normalise, find by phone, read with applications, KVKK.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, sqlite } from '../lib/server.mjs';

describe('t4 citizens', { timeout: 60000 }, () => {
    let srv, admin, agent, desk, fen, fenMudur;
    let ayse;

    before(async () => {
        srv = await startServer();
        [admin, agent, desk, fen, fenMudur] = await Promise.all(['admin', 'agent', 'desk', 'fen', 'fen.mudur'].map((u) => login(srv.url, u)));
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const citizenCount = () => Number(sqlite(srv.db, 'SELECT count(*) FROM citizens'));

    it('POST /api/v1/citizens normalises the phone to +90…', async () => {
        const r = await agent.post('/api/v1/citizens', {
            name: 'Ayşe Öztürk', phone: '0532 123 45 67', email: 'ayse@example.com', tc: '10000000146', address: 'Talas, Kayseri',
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.phone, '+905321234567');
        assert.equal(r.body.name, 'Ayşe Öztürk');
        assert.equal(r.body.email, 'ayse@example.com');
        assert.equal(r.body.tc, '10000000146');
        assert.equal(r.body.address, 'Talas, Kayseri');
        assert.equal(typeof r.body.id, 'number');
        assert.ok(r.body.created_at);
        ayse = r.body;
    });

    it('accepts the usual ways of writing a Turkish mobile number', async () => {
        for (const p of ['05321234568', '5321234568', '+90 532 123 45 68', '0090 532 123 4568', '(0532) 123-45-68', '+90 (0532) 123 45 68', '905321234568']) {
            const r = await desk.post('/api/v1/citizens', { phone: p });
            assert.equal(r.status, 201, `${p}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.phone, '+905321234568', p);
        }
    });

    it('bad phone, T.C. number or e-mail is 400 with the field, and stores nothing', async () => {
        const before = citizenCount();
        const bad = [
            [{ name: 'X', phone: '123' }, 'phone'],
            [{ name: 'X', phone: '0532 123 45 6a' }, 'phone'],
            [{ name: 'X', phone: '+1 202 555 0100' }, 'phone'],
            [{ name: 'X', phone: '05321234567890' }, 'phone'],
            [{ name: 'X', tc: '12345678901' }, 'tc'],
            [{ name: 'X', tc: '00000000146' }, 'tc'],
            [{ name: 'X', tc: '1000000014' }, 'tc'],
            [{ name: 'X', tc: '1000000014a' }, 'tc'],
            [{ name: 'X', email: 'not-an-email' }, 'email'],
            [{ name: 'X', email: 'a@b' }, 'email'],
            [{ name: 'X', email: 'two@@example.com' }, 'email'],
        ];
        for (const [body, field] of bad) {
            assertError(await agent.post('/api/v1/citizens', body), 400, 'invalid_field', field);
        }
        assertError(await agent.post('/api/v1/citizens', { address: 'Sadece adres' }), 400, 'missing_field');
        assertError(await agent.post('/api/v1/citizens', {}), 400, 'missing_field');
        assertError(await agent.post('/api/v1/citizens', { name: 'X', tc: 10000000146 }), 400, 'invalid_type', 'tc');
        assertError(await agent.post('/api/v1/citizens', { name: 'X', nickname: 'y' }), 400, 'unknown_field', 'nickname');
        assert.equal(citizenCount(), before);
    });

    it('GET /api/v1/citizens?phone= finds the citizen (any spelling) with their applications', async () => {
        const app = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Çöpler iki gündür alınmadı', citizen_id: ayse.id, category: 'CEV_COP_TOPLAMA' });
        assert.equal(app.status, 201, JSON.stringify(app.body));
        for (const q of ['05321234567', '+905321234567', '0532 123 45 67', '5321234567']) {
            const r = await agent.get(`/api/v1/citizens?phone=${encodeURIComponent(q)}`);
            assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.items.length, 1, `${q}: ${JSON.stringify(r.body)}`);
            const c = r.body.items[0];
            assert.equal(c.id, ayse.id);
            assert.equal(c.phone, '+905321234567');
            assert.equal(c.name, 'Ayşe Öztürk');
            assert.ok(Array.isArray(c.applications));
            assert.deepEqual(c.applications.map((a) => a.id), [app.body.id]);
            assert.equal(c.applications[0].tracking, app.body.tracking);
        }
        const none = await agent.get('/api/v1/citizens?phone=05559998877');
        assert.equal(none.status, 200);
        assert.deepEqual(none.body.items, []);
    });

    it('every citizen with the same phone is found, newest applications first', async () => {
        const second = await desk.post('/api/v1/citizens', { name: 'Ayşe Ö. (eşi)', phone: '05321234567' });
        assert.equal(second.status, 201);
        const a1 = await desk.post('/api/v1/applications', { channel: 'desk', text: 'Birinci başvuru metni', citizen_id: second.body.id });
        const a2 = await desk.post('/api/v1/applications', { channel: 'desk', text: 'İkinci başvuru metni', citizen_id: second.body.id });
        const r = await agent.get('/api/v1/citizens?phone=05321234567');
        assert.equal(r.status, 200);
        const ids = r.body.items.map((c) => c.id).sort();
        assert.deepEqual(ids, [ayse.id, second.body.id].sort());
        const s = r.body.items.find((c) => c.id === second.body.id);
        assert.deepEqual(s.applications.map((a) => a.id), [a2.body.id, a1.body.id]);
    });

    it('GET /api/v1/citizens?phone= needs a valid phone', async () => {
        assertError(await agent.get('/api/v1/citizens'), 400, 'invalid_field', 'phone');
        assertError(await agent.get('/api/v1/citizens?phone=abc'), 400, 'invalid_field', 'phone');
        assertError(await agent.get('/api/v1/citizens?phone=123'), 400, 'invalid_field', 'phone');
    });

    it('GET /api/v1/citizens/{id} returns the record and applications; views are logged', async () => {
        const views = () => Number(sqlite(srv.db, `SELECT count(*) FROM citizen_views WHERE citizen_id = ${ayse.id}`));
        /* who looked, and why: the last row of the KVKK log */
        const lastView = () => sqlite(srv.db, `SELECT u.username || '|' || v.purpose FROM citizen_views v JOIN users u ON u.id = v.user_id WHERE v.citizen_id = ${ayse.id} ORDER BY v.id DESC LIMIT 1`);
        const v0 = views();
        const r = await admin.get(`/api/v1/citizens/${ayse.id}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.id, ayse.id);
        assert.equal(r.body.phone, '+905321234567');
        assert.equal(r.body.tc, '10000000146');
        assert.equal(r.body.applications.length, 1);
        assert.equal(r.body.applications[0].text, 'Çöpler iki gündür alınmadı');
        assertError(await agent.get('/api/v1/citizens/99999999'), 404, 'not_found');
        assertError(await agent.get('/api/v1/citizens/abc'), 404, 'not_found');
        assert.equal(views(), v0 + 1, 'the record view is logged (KVKK)');
        assert.equal(lastView(), 'admin|record view');
        await agent.get('/api/v1/citizens?phone=05321234567');
        assert.equal(views(), v0 + 2, 'the phone lookup is logged (KVKK)');
        assert.equal(lastView(), 'agent|phone lookup');
        /* reading an application shows its citizen: that is a view too */
        const app = await agent.get(`/api/v1/applications/${r.body.applications[0].id}`);
        assert.equal(app.body.citizen.id, ayse.id);
        assert.equal(views(), v0 + 3, 'the application view with the citizen is logged (KVKK)');
        assert.equal(lastView(), 'agent|application view');
    });

    it('department staff cannot use the citizen registry; anonymous callers get 401', async () => {
        assertError(await fen.post('/api/v1/citizens', { name: 'Personel' }), 403, 'forbidden');
        assertError(await fen.get('/api/v1/citizens?phone=05321234567'), 403, 'forbidden');
        assertError(await fen.get(`/api/v1/citizens/${ayse.id}`), 403, 'forbidden');
        assertError(await fenMudur.post('/api/v1/citizens', { name: 'Müdür' }), 403, 'forbidden');
        assertError(await fenMudur.get('/api/v1/citizens?phone=05321234567'), 403, 'forbidden');
        assertError(await fenMudur.get(`/api/v1/citizens/${ayse.id}`), 403, 'forbidden');
        const anon = client(srv.url);
        const before = citizenCount();
        assertError(await anon.post('/api/v1/citizens', { name: 'Anonim' }), 401, 'unauthorized');
        assertError(await anon.get('/api/v1/citizens?phone=05321234567'), 401, 'unauthorized');
        assertError(await anon.get(`/api/v1/citizens/${ayse.id}`), 401, 'unauthorized');
        assert.equal(citizenCount(), before, 'nothing was stored');
    });

    it('KVKK: department staff and managers see the citizen on an application with phone and T.C. masked', async () => {
        const app = await agent.post('/api/v1/applications', {
            channel: 'phone_153', text: 'Yolda çukur var, lütfen bakın', citizen_id: ayse.id, category: 'FEN_YOL_CUKUR', route: true,
        });
        assert.equal(app.status, 201);
        const asAgent = await agent.get(`/api/v1/applications/${app.body.id}`);
        assert.equal(asAgent.body.citizen.phone, '+905321234567');
        assert.equal(asAgent.body.citizen.tc, '10000000146');
        for (const [who, c] of [['staff', fen], ['manager', fenMudur]]) {
            const r = await c.get(`/api/v1/applications/${app.body.id}`);
            assert.equal(r.status, 200, `${who}: ${JSON.stringify(r.body)}`);
            assert.ok(r.body.citizen, 'the citizen is shown');
            assert.equal(r.body.citizen.name, 'Ayşe Öztürk');
            /* the first digits (operator) and the last two stay, the rest is starred */
            assert.equal(r.body.citizen.phone, '+90532*****67', who);
            assert.equal(r.body.citizen.tc, '100********', who);
            const dump = JSON.stringify(r.body);
            assert.ok(!dump.includes('5321234567'), `whole phone leaked to ${who}: ${dump}`);
            assert.ok(!dump.includes('10000000146'), `whole T.C. leaked to ${who}: ${dump}`);
            assert.equal(r.body.access_code, undefined, `${who}: departments do not need the citizen's access code`);
        }
    });

    it('a citizen can be linked to a new application by id', async () => {
        const c = await desk.post('/api/v1/citizens', { name: 'Kemal Aydın', email: 'kemal@example.org' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        assert.equal(c.body.phone, null);
        const a = await desk.post('/api/v1/applications', { channel: 'email', text: 'E-posta ile gelen öneri', kind: 'suggestion', citizen_id: c.body.id });
        assert.equal(a.status, 201);
        const got = await desk.get(`/api/v1/citizens/${c.body.id}`);
        assert.deepEqual(got.body.applications.map((x) => x.id), [a.body.id]);
        const filtered = await desk.get(`/api/v1/applications?citizen=${c.body.id}`);
        assert.equal(filtered.status, 200);
        assert.equal(filtered.body.next, null);
        assert.deepEqual(filtered.body.items.map((x) => x.id), [a.body.id]);
    });
});
