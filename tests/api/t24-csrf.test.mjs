// t24: cross-site requests (issue 12, finding 7). A state-changing request that rides on the
// session cookie must come from our own pages (Origin / Sec-Fetch-Site), whatever SameSite does
// in the browser at hand; bodies must be of the declared kind, and an upload's declared type
// must be what its bytes are.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, addToken, sqlite } from '../lib/server.mjs';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('CSRF and declared body types', () => {
    let srv, agent, fen, app;
    const events = (id) => Number(sqlite(srv.db, `SELECT count(*) FROM events WHERE app_id = ${id}`));

    before(async () => {
        srv = await startServer({ demoSize: 5, env: { ALO153_NOW: '2026-11-23T10:15:00Z' } });
        agent = await login(srv.url, 'agent');
        fen = await login(srv.url, 'fen');
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokakta büyük bir çukur var', category: 'FEN_YOL_CUKUR', route: true });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        app = r.body;
        assert.equal(app.status, 'forwarded');
    });
    after(async () => { await srv?.stop(); srv?.cleanup(); });

    it('a cross-site form post to accept is refused, and nothing changes', async () => {
        const n = events(app.id);
        const { host } = new URL(srv.url);
        const form = (headers) => fen.raw(`/api/v1/applications/${app.id}/accept`, {
            method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: '',
        });
        /* what a browser sends for a form on another site */
        assertError(await form({ origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }), 403, 'cross_site');
        assertError(await form({ origin: 'http://evil.example' }), 403, 'cross_site');
        assertError(await form({ 'sec-fetch-site': 'same-site' }), 403, 'cross_site');
        assertError(await form({ origin: 'null' }), 403, 'cross_site');
        assertError(await form({ origin: `http://${host}.evil.example` }), 403, 'cross_site');
        /* without Origin (an old browser): the empty form body is not an empty JSON object */
        assertError(await form({}), 415, 'unsupported_media_type');
        const get = await fen.get(`/api/v1/applications/${app.id}`);
        assert.equal(get.body.status, 'forwarded');
        assert.equal(events(app.id), n, 'no event was written');
        /* a DELETE of the session from another site does not log anyone out */
        assertError(await fen.raw('/api/v1/session', { method: 'DELETE', headers: { origin: 'http://evil.example' } }), 403, 'cross_site');
        assert.equal((await fen.get('/api/v1/me')).status, 200);
        /* a cross-site login (login CSRF) is refused too */
        assertError(await client(srv.url).raw('/api/v1/session', {
            method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
            body: JSON.stringify({ username: 'fen', password: 'alo153demo' }),
        }), 403, 'cross_site');
        /* our own pages: same Origin, or Sec-Fetch-Site same-origin */
        const ok = await fen.raw(`/api/v1/applications/${app.id}/accept`, {
            method: 'POST', headers: { 'content-type': 'application/json', origin: srv.url, 'sec-fetch-site': 'same-origin' }, body: '{}',
        });
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.equal(ok.body.status, 'in_progress');
        const note = await fen.raw(`/api/v1/applications/${app.id}/note`, {
            method: 'POST', headers: { 'content-type': 'application/json', origin: srv.url }, body: JSON.stringify({ note: 'Ekip yolda' }),
        });
        assert.equal(note.status, 200, JSON.stringify(note.body));
        /* reads are not state changes */
        assert.equal((await fen.raw(`/api/v1/applications/${app.id}`, { headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } })).status, 200);
    });

    it('bearer tokens are not cookies: no Origin check', async () => {
        const token = await addToken(srv.db, 'entegrasyon', 'agent');
        const bot = client(srv.url, { bearer: token });
        const r = await bot.raw(`/api/v1/applications/${app.id}/note`, {
            method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://partner.example' }, body: JSON.stringify({ note: 'Entegrasyon notu' }),
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
    });

    it('an upload must be of the type it declares', async () => {
        const up = (body, type, name = 'a.pdf') => agent.raw(`/api/v1/applications/${app.id}/attachments?filename=${name}`, {
            method: 'POST', headers: type ? { 'content-type': type } : {}, body,
        });
        const files = () => Number(sqlite(srv.db, `SELECT count(*) FROM attachments WHERE app_id = ${app.id}`));
        assertError(await up(PDF, 'text/plain'), 415, 'unsupported_media_type', 'file');
        assertError(await up(PDF, 'text/plain; charset=utf-8'), 415, 'unsupported_media_type', 'file');
        assertError(await up(PDF, 'multipart/form-data; boundary=x'), 415, 'unsupported_media_type', 'file');
        assertError(await up(PDF, 'image/png'), 415, 'unsupported_media_type', 'file');
        assert.equal(files(), 0);
        const ok = await up(PDF, 'application/pdf');
        assert.equal(ok.status, 201, JSON.stringify(ok.body));
        assert.equal(ok.body.mime, 'application/pdf');
        assert.equal((await up(PDF, 'application/octet-stream', 'b.pdf')).status, 201);
        assert.equal((await up(PDF, undefined, 'c.pdf')).status, 201);
        assert.equal(files(), 3);
    });
});
