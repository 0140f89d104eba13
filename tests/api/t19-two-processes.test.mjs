// t19: two `alo153 serve` processes on one database (issue 9). What one process writes the
// other reads, acts on and finds; applications created concurrently through both get
// distinct tracking numbers. Runs on SQLite (make api: two processes on one file) and on
// PostgreSQL (make api-pg: two processes on one database of the test cluster).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, TRACKING_RE } from '../lib/server.mjs';

describe('t19 two serve processes on one database', { timeout: 120000 }, () => {
    let a, b;

    before(async () => {
        a = await startServer({ demoSize: 10 });
        b = await startServer({ db: a.db, env: a.env });
    });
    after(async () => {
        if (b) { await b.stop(); b.cleanup(); }
        if (a) { await a.stop(); a.cleanup(); }
    });

    it('the two processes are distinct and serve the same database', async () => {
        assert.notEqual(a.url, b.url);
        assert.notEqual(a.proc.pid, b.proc.pid);
    });

    it('an application created through one is read, acted on and found through the other', async () => {
        const agentA = await login(a.url, 'agent');
        const agentB = await login(b.url, 'agent');
        const word = `zeytinyağlıtest${Date.now() % 100000}`;
        const r = await agentA.post('/api/v1/applications', {
            channel: 'phone_153', text: `Parkta ${word} kokusu var, bankların boyası döküldü`,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const id = r.body.id;

        const got = await agentB.get(`/api/v1/applications/${id}`);
        assert.equal(got.status, 200, JSON.stringify(got.body));
        assert.equal(got.body.tracking, r.body.tracking);
        const byTracking = await agentB.get(`/api/v1/applications/by-tracking/${r.body.tracking}`);
        assert.equal(byTracking.status, 200, JSON.stringify(byTracking.body));
        assert.equal(byTracking.body.id, id);

        // an action through B, seen in the history through A
        const noted = await agentB.post(`/api/v1/applications/${id}/note`, { note: 'B sürecinden not' });
        assert.equal(noted.status, 200, JSON.stringify(noted.body));
        const back = await agentA.get(`/api/v1/applications/${id}`);
        assert.equal(back.status, 200);
        const history = JSON.stringify(back.body.history);
        assert.match(history, /B sürecinden not/);

        // full-text search through B finds what A wrote (folded and stemmed)
        const found = await agentB.get(`/api/v1/applications?limit=50&q=${encodeURIComponent(word)}`);
        assert.equal(found.status, 200, JSON.stringify(found.body));
        assert.deepEqual(found.body.items.map((x) => x.id), [id]);
    });

    it('applications created concurrently through both get distinct tracking numbers', async () => {
        const agentA = await login(a.url, 'agent');
        const agentB = await login(b.url, 'agent');
        const N = 50;
        const make = (c, i, who) => c.post('/api/v1/applications', {
            channel: 'desk', text: `Eşzamanlı başvuru ${who} ${i}: kaldırımda çukur var`,
        });
        const all = await Promise.all([
            ...Array.from({ length: N }, (_, i) => make(agentA, i, 'A')),
            ...Array.from({ length: N }, (_, i) => make(agentB, i, 'B')),
        ]);
        for (const r of all) assert.equal(r.status, 201, JSON.stringify(r.body));
        const tracking = all.map((r) => r.body.tracking);
        for (const t of tracking) assert.match(t, TRACKING_RE);
        assert.equal(new Set(tracking).size, 2 * N, 'a tracking number was handed out twice');
        assert.equal(new Set(all.map((r) => r.body.id)).size, 2 * N, 'an id was handed out twice');
        // each is readable through the other process
        const r = await agentA.get(`/api/v1/applications/by-tracking/${all[2 * N - 1].body.tracking}`);
        assert.equal(r.status, 200);
        const s = await agentB.get(`/api/v1/applications/by-tracking/${all[0].body.tracking}`);
        assert.equal(s.status, 200);
    });
});
