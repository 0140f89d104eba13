// t52: GET /readyz, the load balancer's question "may I send you requests?" (issue 12,
// operations). Ready: database ok, web files present, not draining; the routing model is
// reported, not required. On SIGTERM with --drain-seconds (ALO153_DRAIN_SECONDS) the process
// keeps serving but /readyz answers 503 "draining" while /healthz stays 200; a second SIGTERM
// stops it at once, cleanly. Missing web files make it not ready.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, client, waitForLog, REPO } from '../lib/server.mjs';

describe('t52 readiness', { timeout: 120000 }, () => {
    let srv, anon, web;
    before(async () => {
        srv = await startServer({ demoSize: 0 });
        web = path.join(srv.dir, 'web');
        fs.cpSync(path.join(REPO, 'web'), web, { recursive: true, dereference: true });
        await srv.stop();
        await srv.restart({ env: { ALO153_DRAIN_SECONDS: '60', ALO153_WEB: web } });
        anon = client(srv.url);
    });
    after(async () => {
        if (srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop();
        srv.cleanup();
    });

    it('is ready when the database and the web files are there (no model: reported)', async () => {
        const r = await anon.get('/readyz');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body, { status: 'ready', database: 'ok', web: 'ok', model: 'none', draining: false });
        assert.equal((await anon.get('/healthz')).status, 200);
    });

    it('is not ready when the web files are gone, and ready again when they are back', async () => {
        fs.renameSync(path.join(web, 'index.html'), path.join(web, 'index.off'));
        const r = await anon.get('/readyz');
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal(r.body.status, 'not_ready');
        assert.equal(r.body.web, 'missing');
        assert.ok(Number(r.headers.get('retry-after')) > 0);
        fs.renameSync(path.join(web, 'index.off'), path.join(web, 'index.html'));
        assert.equal((await anon.get('/readyz')).status, 200);
    });

    it('drains on SIGTERM: /readyz 503, still serving, a second SIGTERM stops it cleanly', async () => {
        const mark = srv.logMark();
        srv.proc.kill('SIGTERM');
        await waitForLog(srv, /draining/, { since: mark });
        const r = await anon.get('/readyz');
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal(r.body.status, 'not_ready');
        assert.equal(r.body.draining, true);
        assert.equal(r.body.database, 'ok');
        const h = await anon.get('/healthz');
        assert.equal(h.status, 200, 'still alive while draining');
        assert.equal((await anon.get('/api/v1/meta')).status, 200, 'still serving while draining');
        const t0 = Date.now();
        await srv.stop(); /* the second SIGTERM: exits 0 without waiting the 60 s */
        assert.ok(Date.now() - t0 < 30000, 'a second signal ends the drain');
    });
});
