// t8: an application handed over to a district municipality's Beyaz Masa keeps its history,
// and leaves the metropolitan department's sight.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError, sqlite } from '../lib/server.mjs';

/** 'Pınarbaşı' → 'PINARBASI': the district part of the ILCE_ and BM_ codes. */
const asciiUpper = (s) => s.replace(/[ıİ]/g, 'i').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();

let srv, agent, fen, sup;

before(async () => {
    srv = await startServer({ demoSize: 20 });
    agent = await login(srv.url, 'agent');
    fen = await login(srv.url, 'fen');
    sup = await login(srv.url, 'supervisor');
});
after(async () => { await srv?.stop(); srv?.cleanup(); });

test('every district has a municipality and a Beyaz Masa unit', async () => {
    const inst = await sup.get('/api/v1/institutions');
    assert.equal(inst.status, 200);
    const kinds = inst.body.items.map((i) => i.kind);
    assert.equal(kinds.filter((k) => k === 'metropolitan').length, 1);
    assert.equal(kinds.filter((k) => k === 'district').length, 16);
    assert.deepEqual(inst.body.items.filter((i) => i.kind === 'affiliate').map((i) => i.code), ['WATER']);
    const deps = await sup.get('/api/v1/departments');
    assert.equal(deps.status, 200);
    const su = deps.body.items.find((d) => d.code === 'SU');
    assert.equal(su.institution, 'WATER'); /* the water utility is an affiliate */
    /* each of the 16 districts: its municipality (ILCE_X, "X Belediyesi") and its Beyaz Masa unit (BM_X) */
    const districts = (await sup.get('/api/v1/districts')).body.items;
    assert.equal(districts.length, 16);
    const instByCode = new Map(inst.body.items.map((i) => [i.code, i]));
    for (const d of districts) {
        const code = asciiUpper(d.name);
        const i = instByCode.get(`ILCE_${code}`);
        assert.ok(i, `a municipality for ${d.name}`);
        assert.deepEqual([i.kind, i.name], ['district', `${d.name} Belediyesi`]);
        const bm = deps.body.items.find((x) => x.code === `BM_${code}`);
        assert.ok(bm, `a Beyaz Masa unit for ${d.name}`);
        assert.equal(bm.institution, `ILCE_${code}`, `BM_${code} belongs to ${d.name}'s municipality`);
        assert.equal(bm.active, true);
    }
    assert.equal(deps.body.items.filter((x) => x.code.startsWith('BM_')).length, 16, 'no unit without a district');
    /* the metropolitan departments stay with the metropolitan municipality */
    for (const code of ['FEN', 'ZABITA', 'CEVRE']) assert.equal(deps.body.items.find((x) => x.code === code).institution, 'METRO');
});

test('FEN transfers a local-street matter to Talas municipality with its history', async () => {
    const c = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Talas Mevlana mahallesinde ara sokakta çöp alınmıyor', category: 'FEN_YOL_CUKUR', route: true });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal(c.body.department, 'FEN');
    await fen.post(`/api/v1/applications/${c.body.id}/note`, { note: 'Yerel sokak, ilçe belediyesinin sorumluluğunda.' });
    const t = await fen.post(`/api/v1/applications/${c.body.id}/transfer`, { department: 'BM_TALAS', note: 'İlçe belediyesine devredildi' });
    assert.equal(t.status, 200, JSON.stringify(t.body));
    assert.equal(t.body.department, 'BM_TALAS');
    assert.equal(t.body.status, 'forwarded');
    const last = t.body.history[t.body.history.length - 1];
    assert.equal(last.action, 'transfer');
    assert.equal(last.note, 'İlçe belediyesine devredildi');
    assert.deepEqual(t.body.history.map((e) => [e.action, e.from, e.to]), [
        ['create', null, 'new'], ['route', 'new', 'forwarded'], ['note', null, null], ['transfer', 'forwarded', 'forwarded'],
    ], 'the whole history is kept');
    assert.equal(t.body.history[2].note, 'Yerel sokak, ilçe belediyesinin sorumluluğunda.');
    assert.equal(sqlite(srv.db, `SELECT d.code FROM applications a JOIN departments d ON d.id = a.department_id WHERE a.id = ${Number(c.body.id)}`), 'BM_TALAS');
    /* FEN no longer sees it; the centre still does */
    assertError(await fen.get(`/api/v1/applications/${c.body.id}`), 404, 'not_found');
    assert.equal((await fen.get('/api/v1/applications?status=forwarded,in_progress&limit=500')).body.items.filter((x) => x.id === c.body.id).length, 0,
        'not in the FEN list either');
    const s = await sup.get(`/api/v1/applications/${c.body.id}`);
    assert.equal(s.status, 200);
    assert.deepEqual(s.body.history, t.body.history);
    /* an unknown department is refused and changes nothing */
    assertError(await sup.post(`/api/v1/applications/${c.body.id}/transfer`, { department: 'BM_NOWHERE' }), 422, 'unprocessable', 'department');
    const again = await sup.get(`/api/v1/applications/${c.body.id}`);
    assert.deepEqual(again.body.history, s.body.history);
    assert.equal(again.body.department, 'BM_TALAS');
    assert.equal(again.body.status, 'forwarded');
    assert.equal(again.body.updated_at, s.body.updated_at);
});
