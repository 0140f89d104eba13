// t67: requests run on handler threads (serve --handlers, http/http.h): a request that waits
// (a long-poll here; a durable commit or a slow report in real use) does not hold up the other
// connections of the HTTP thread that read it. The server runs with one HTTP thread, so
// without the handlers every connection would queue behind the waiting one.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, countApps } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('t67 handler threads', { timeout: 60000 }, () => {
    let srv, agent, admin;
    before(async () => {
        srv = await startServer({ env: { ALO153_THREADS: '1', ALO153_HANDLERS: '4' } });
        [agent, admin] = await Promise.all([login(srv.url, 'agent'), login(srv.url, 'admin')]);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('a long-poll that waits does not hold up other requests on the one HTTP thread', async () => {
        const cursor = (await agent.get('/api/v1/agents/me/events?wait=0')).body.next;
        const order = [];
        const poll = agent.get(`/api/v1/agents/me/events?after=${cursor}&wait=4`)
            .then((r) => { order.push('poll'); return r; });
        await sleep(500); /* the poll is in and waiting (nothing will happen for 4 s) */
        const me = await admin.get('/api/v1/me');
        order.push('me');
        const list = await admin.get('/api/v1/applications?limit=5');
        order.push('list');
        assert.equal(me.status, 200);
        assert.equal(list.status, 200);
        const got = await poll;
        assert.equal(got.status, 200);
        assert.equal(got.body.items.length, 0, 'no event: it waited its 4 s');
        assert.deepEqual(order, ['me', 'list', 'poll'], 'answered while the poll waited');
    });

    it('creates from many connections at once: every one answered and stored once', async () => {
        const before = await countApps(admin);
        const rs = await Promise.all(Array.from({ length: 24 }, (_, i) =>
            agent.post('/api/v1/applications', { channel: 'phone_153', text: `Aynı anda gelen başvuru ${i}` })));
        for (const r of rs) assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(new Set(rs.map((r) => r.body.id)).size, 24);
        assert.equal(await countApps(admin), before + 24);
    });
});
