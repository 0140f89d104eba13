// t8: an application handed over to a district municipality's Beyaz Masa keeps its history,
// and leaves the metropolitan department's sight.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, assertError } from '../lib/server.mjs';

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
    assert.ok(inst.body.items.some((i) => i.kind === 'affiliate'));
    const deps = await sup.get('/api/v1/departments');
    const su = deps.body.items.find((d) => d.code === 'SU');
    assert.equal(su.institution, 'WATER'); /* the water utility is an affiliate */
    const bm = deps.body.items.find((d) => d.code === 'BM_TALAS');
    assert.equal(bm.institution, 'ILCE_TALAS');
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
    assert.ok(t.body.history.some((e) => e.action === 'note'), 'history kept');
    /* FEN no longer sees it; the centre still does */
    assertError(await fen.get(`/api/v1/applications/${c.body.id}`), 404, 'not_found');
    const s = await sup.get(`/api/v1/applications/${c.body.id}`);
    assert.equal(s.status, 200);
    assert.equal(s.body.history.length, t.body.history.length);
    /* an unknown department is refused and changes nothing */
    assertError(await sup.post(`/api/v1/applications/${c.body.id}/transfer`, { department: 'BM_NOWHERE' }), 422, 'unprocessable', 'department');
    const again = await sup.get(`/api/v1/applications/${c.body.id}`);
    assert.equal(again.body.history.length, s.body.history.length);
    assert.equal(again.body.department, 'BM_TALAS');
});
