// t69: what admission found out about the caller is reused by the handler only for a request
// without a body (issue 9: a get looked its session up twice, 5 % of its CPU). A request with a
// body is authenticated again once the body is in: a session that ended while the body came in
// does not create anything. A raw socket sends the head of a POST, the session is ended through
// another connection, then the body follows.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, rawRequest } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('t69 admission and the handler', { timeout: 60000 }, () => {
    let srv, admin;

    before(async () => {
        srv = await startServer({ demoSize: 10 });
        admin = await login(srv.url, 'admin');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const count = async (q) => {
        const r = await admin.get(`/api/v1/applications?q=${encodeURIComponent(q)}&limit=10`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.items.length;
    };

    for (const end of ['logout', 'disable']) {
        it(`a POST whose session ends (${end}) while its body comes in is refused 401 and stores nothing`, async () => {
            let user = 'agent';
            if (end === 'disable') {
                user = 'agent69';
                const r = await admin.post('/api/v1/users', { username: user, full_name: 'Ayşe Yılmaz', role: 'agent', password: 'uzun-bir-parola-69' });
                assert.equal(r.status, 201, JSON.stringify(r.body));
            }
            const c = await login(srv.url, user, end === 'disable' ? 'uzun-bir-parola-69' : undefined);
            const word = `kaybolmayan${end}`;
            const body = Buffer.from(JSON.stringify({ channel: 'phone_153', text: `Sokak lambası yanmıyor ${word}` }));
            const head = [
                'POST /api/v1/applications HTTP/1.1', `Host: ${new URL(srv.url).host}`,
                `Cookie: ${c.cookie}`, 'Content-Type: application/json',
                `Content-Length: ${body.length}`, 'Connection: close', '', '',
            ].join('\r\n');
            const raw = rawRequest(srv.url, head);
            await raw.connected;
            await sleep(300); // the head is admitted with the session still valid
            if (end === 'logout') {
                const r = await c.del('/api/v1/session');
                assert.ok(r.status === 204 || r.status === 200, `logout: ${r.status}`);
            } else {
                const users = await admin.get('/api/v1/users');
                assert.equal(users.status, 200);
                const u = (users.body.items || users.body).find((x) => x.username === user);
                const r = await admin.patch(`/api/v1/users/${u.id}`, { disabled: true });
                assert.equal(r.status, 200, JSON.stringify(r.body));
            }
            raw.sock.write(body);
            const res = await raw.response;
            assert.equal(res.status, 401, JSON.stringify(res.body));
            assert.equal(await count(word), 0);
        });
    }

    it('gets without a body are answered for a valid session, and 401 once it has ended', async () => {
        const c = await login(srv.url, 'agent');
        const list = await c.get('/api/v1/applications?limit=1');
        assert.equal(list.status, 200);
        const id = list.body.items[0].id;
        assert.equal((await c.get(`/api/v1/applications/${id}`)).status, 200);
        await c.del('/api/v1/session');
        assert.equal((await c.get(`/api/v1/applications/${id}`)).status, 401);
    });
});
