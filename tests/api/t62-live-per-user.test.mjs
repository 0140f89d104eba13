// t53: one user cannot hold every live stream (GET /api/v1/live, server-sent events): the 9th
// open stream of a user is 429 too_many_live_streams with Retry-After, while another user still
// gets one; closing a stream gives the user's slot back. Time is pinned (ALO153_NOW); waits are
// guards, never answers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, login, waitFor } from '../lib/server.mjs';

const NOW = '2026-06-01T09:00:00Z';
const PER_USER = 8; /* LIVE_PER_USER_MAX in src/api/h_live.c */

/* Open GET /api/v1/live as client c: {status, headers, body() (errors), close()}. */
function openLive(c) {
    return new Promise((resolve, reject) => {
        const u = new URL(c.url + '/api/v1/live');
        const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, headers: { accept: 'text/event-stream', cookie: c.cookie }, agent: false });
        req.on('error', reject);
        req.on('response', (res) => {
            let raw = '';
            const ended = new Promise((r) => { res.on('end', r); res.on('close', r); });
            res.setEncoding('utf8');
            res.on('data', (chunk) => { raw += chunk; });
            resolve({
                status: res.statusCode, headers: res.headers, close: () => req.destroy(),
                body: async () => { await ended; try { return JSON.parse(raw); } catch { return raw; } },
            });
        });
        req.end();
    });
}

describe('t53 live streams per user', { timeout: 30000 }, () => {
    let srv, agent, sup;
    const open = [];
    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW, ALO153_MAX_STREAMS: '20' } });
        agent = await login(srv.url, 'agent');
        sup = await login(srv.url, 'supervisor');
    });
    after(async () => {
        for (const s of open) s.close();
        if (srv) { await srv.stop(); srv.cleanup(); }
    });

    it(`the ${PER_USER + 1}th stream of one user is 429 too_many_live_streams; another user still gets one`, async () => {
        for (let i = 0; i < PER_USER; i++) {
            const s = await openLive(agent);
            assert.equal(s.status, 200, `stream ${i + 1}: ${s.status}`);
            open.push(s);
        }
        const over = await openLive(agent);
        assert.equal(over.status, 429);
        assert.ok(Number(over.headers['retry-after']) >= 1, 'Retry-After');
        assert.equal((await over.body()).error.code, 'too_many_live_streams');
        /* the same user in another session counts too: the cap is per user, not per session */
        const again = await login(srv.url, 'agent');
        const over2 = await openLive(again);
        assert.equal(over2.status, 429);
        await over2.body();
        const other = await openLive(sup);
        assert.equal(other.status, 200, 'another user is not affected');
        open.push(other);
    });

    it('closing a stream gives the user a slot back', async () => {
        open[0].close();
        /* the server notices a closed stream on its next write (a tick): wait for the slot */
        const s = await waitFor(async () => {
            const x = await openLive(agent);
            if (x.status === 200) return x;
            assert.equal(x.status, 429);
            await x.body();
            return false;
        }, { tries: 200, delayMs: 50, what: 'the slot given back' });
        open.push(s);
        const over = await openLive(agent);
        assert.equal(over.status, 429, 'still at the cap with the new one');
        await over.body();
    });
});
