// t15: one client cannot take the server down with slow connections (issue 12, finding 1:
// 1,005 connections dripping a byte every ~2 s left 0 of 8 /healthz probes answered, as every
// byte reset the 30 s idle timeout and there was no per-address cap).
//
// The server runs with small limits (per address 20, 100 in all, requests due within 4 s) and a
// health listener (--health-listen). 60 connections from 127.0.0.1 drip a byte every 250 ms,
// half never finishing their headers, half a body. What must happen, as events:
//   - connections over the per-address cap are closed at once;
//   - while the drippers still hold their connections, GET /healthz on a fresh connection to the
//     health listener is answered 200 (all test traffic comes from 127.0.0.1, so a probe on the
//     API port competes with the attacker's own address; the health listener is the reserve
//     that API clients cannot use up — see README, "Connection limits");
//   - every dripping connection is closed by the server (socket 'close', never closed by us);
//   - afterwards the API port answers again.
// Waits are bounded guards, never the test's answer.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, waitFor, waitForLog } from '../lib/server.mjs';

const PER_ADDRESS = 20;
const ATTACKERS = 60;

/** A connection that drips one byte every 250 ms: in its headers, or (body) in a body. */
function dripper(port, { body }) {
    const d = { open: true, closedAt: null, answered: '', sock: null };
    d.closed = new Promise((resolve) => {
        const sock = net.connect(port, '127.0.0.1');
        d.sock = sock;
        let timer = null;
        sock.setEncoding('latin1');
        sock.on('connect', () => {
            sock.write(body
                ? 'POST /api/v1/public/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{'
                : 'GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nX-Drip: ');
            timer = setInterval(() => { if (!sock.destroyed) sock.write(body ? ' ' : 'a'); }, 250);
        });
        sock.on('data', (x) => { d.answered += x; });
        sock.on('error', () => { /* a reset is a close too */ });
        sock.on('close', () => {
            clearInterval(timer);
            d.open = false;
            resolve();
        });
    });
    return d;
}

/** GET path on a fresh connection (Connection: close); resolves with the status or null. */
function freshGet(port, path) {
    return new Promise((resolve) => {
        const sock = net.connect(port, '127.0.0.1');
        let got = '';
        const guard = setTimeout(() => sock.destroy(), 10000);
        sock.setEncoding('latin1');
        sock.on('connect', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        sock.on('data', (x) => { got += x; });
        sock.on('error', () => { /* refused or reset: no status */ });
        sock.on('close', () => {
            clearTimeout(guard);
            const m = got.match(/^HTTP\/1\.1 (\d{3})/);
            resolve(m ? Number(m[1]) : null);
        });
    });
}

describe('t15 slow connections', { timeout: 110000 }, () => {
    let srv, apiPort, healthPort;
    const drippers = [];

    before(async () => {
        srv = await startServer({
            demoSize: 10,
            env: {
                ALO153_MAX_PER_ADDRESS: String(PER_ADDRESS),
                ALO153_MAX_CONNECTIONS: '100', // above the attack: the per-address cap is what turns it away
                ALO153_REQUEST_TIMEOUT: '4',
                ALO153_HEALTH_LISTEN: '127.0.0.1:0',
            },
        });
        apiPort = Number(new URL(srv.url).port);
        const line = await waitForLog(srv, /msg="health listening" addr=127\.0\.0\.1 port=\d+/);
        healthPort = Number(line.match(/port=(\d+)/)[1]);
        assert.equal(await freshGet(healthPort, '/healthz'), 200);
        assert.equal(await freshGet(healthPort, '/api/v1/meta'), 404, 'the health port serves /healthz only');
    });
    after(async () => {
        for (const d of drippers) d.sock.destroy();
        if (srv) { await srv.stop(); srv.cleanup(); }
    });

    it('caps one address, keeps /healthz answered, and closes every dripping connection', async () => {
        const mark = srv.logMark();
        for (let i = 0; i < ATTACKERS; i++) drippers.push(dripper(apiPort, { body: i % 2 === 1 }));
        // the connections over the per-address cap are turned away at once
        await waitFor(() => drippers.filter((d) => !d.open).length >= ATTACKERS - PER_ADDRESS,
            { tries: 500, delayMs: 20, what: `${ATTACKERS - PER_ADDRESS} connections over the cap closed` });
        const holding = drippers.filter((d) => d.open).length;
        assert.ok(holding > 0 && holding <= PER_ADDRESS, `${holding} dripping connections held`);
        const since = srv.logMark() - mark;
        const recent = since > 0 ? srv.log.lines.slice(-since) : [];
        assert.equal(recent.filter((l) => /past its deadline/.test(l)).length, 0, 'the cap, not the deadline, closed those');

        // the attack is on: a fresh probe on the health listener is answered
        const status = await freshGet(healthPort, '/healthz');
        assert.equal(status, 200);
        assert.ok(drippers.some((d) => d.open), 'the probe was answered while drippers held their connections');

        // every dripping connection is closed by the server, none lives on
        let guard;
        await Promise.race([
            Promise.all(drippers.map((d) => d.closed)),
            new Promise((_, reject) => {
                guard = setTimeout(() => reject(new Error(
                    `${drippers.filter((d) => d.open).length} dripping connections still open`)), 60000);
            }),
        ]).finally(() => clearTimeout(guard));
        for (const d of drippers) assert.equal(d.answered, '', 'a dripper got an answer');
        await waitForLog(srv, /msg="closing a connection past its deadline" remote=127\.0\.0\.1/, { since: mark });

        // and the API port serves again
        assert.equal(await freshGet(apiPort, '/healthz'), 200);
    });
});
