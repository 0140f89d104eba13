// /healthz under the slow-connection attack of issue 12's finding 1 (docs/PERFORMANCE.md,
// "Operations"): SLOW_CONNS (default 1000) connections drip one byte every 2 s (half into their
// headers, half into a body), spread over SLOW_ADDRS loopback addresses (default 5:
// 127.0.0.1..127.0.0.5, so the per-address cap of 200 lets all 1,000 in and they fill
// --max-connections 1000); a connection the server closes is opened again at once, as an
// attacker would. After a 15 s ramp, PROBES (default 300) GET /healthz, each on a new
// connection like a load balancer's, 20 ms apart, on the health listener (--health-listen),
// then API_PROBES (default 30, 2 s timeout each) on the API port; p50/p99/max and failures
// printed for both, with the load average.
//
//   ALO153_BIN=build/alo153 node bench/slowloris-healthz.mjs
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { startServer } from '../tests/lib/server.mjs';

const CONNS = Number(process.env.SLOW_CONNS || 1000);
const ADDRS = Number(process.env.SLOW_ADDRS || 5);
const PROBES = Number(process.env.PROBES || 300);
const API_PROBES = Number(process.env.API_PROBES || 30);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

async function freePort() {
    return new Promise((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
}

const stats = { open: 0, closedByServer: 0, refused: 0 };
let stopping = false;
function dripper(port, i) {
    if (stopping) return;
    const body = i % 2 === 1;
    const sock = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${1 + (i % ADDRS)}` });
    let timer = null, connected = false;
    sock.on('connect', () => {
        connected = true;
        stats.open++;
        sock.write(body
            ? 'POST /api/v1/public/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{'
            : 'GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nX-Drip: ');
        timer = setInterval(() => { if (!sock.destroyed) sock.write(body ? ' ' : 'a'); }, 2000);
    });
    sock.on('data', () => {});
    sock.on('error', () => {});
    sock.on('close', () => {
        clearInterval(timer);
        if (connected) { stats.open--; stats.closedByServer++; } else stats.refused++;
        if (!stopping) setTimeout(() => dripper(port, i), 100); // the attacker comes back
    });
}

function probe(port, timeout = 5000) {
    return new Promise((resolve) => {
        const t = process.hrtime.bigint();
        const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout }, (res) => {
            res.resume();
            res.on('end', () => resolve({ ok: res.statusCode === 200, ms: Number(process.hrtime.bigint() - t) / 1e6 }));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve({ ok: false, ms: Number(process.hrtime.bigint() - t) / 1e6 }));
    });
}

function summary(name, rs) {
    const ok = rs.filter((r) => r.ok).map((r) => r.ms).sort((a, b) => a - b);
    const q = (p) => (ok.length ? ok[Math.min(ok.length - 1, Math.ceil(p * ok.length) - 1)].toFixed(1) : '-');
    return `${name}: ${ok.length}/${rs.length} answered 200; p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${ok.length ? ok[ok.length - 1].toFixed(1) : '-'} ms`;
}

const hport = await freePort();
const srv = await startServer({ demoSize: 0, env: { ALO153_HEALTH_LISTEN: `127.0.0.1:${hport}` } });
const port = Number(new URL(srv.url).port);
console.log(`slowloris: ${CONNS} dripping connections from ${ADDRS} addresses; server defaults (max-connections 1000, max-per-address 200, request-timeout 30 s); health listener :${hport}; load ${load()}`);
for (let i = 0; i < CONNS; i++) dripper(port, i);
await sleep(15000);
console.log(`after the ramp: ${stats.open} attacker connections open, ${stats.closedByServer} closed by the server, ${stats.refused} refused; load ${load()}`);
const health = [], api = [];
for (let i = 0; i < PROBES; i++) {
    health.push(await probe(hport));
    await sleep(20);
}
for (let i = 0; i < API_PROBES; i++) api.push(await probe(port, 2000)); // 2 s: a load balancer's timeout
console.log(summary('GET /healthz on the health listener', health));
console.log(summary('GET /healthz on the API port', api));
console.log(`during the probes: ${stats.open} attacker connections open, ${stats.closedByServer} closed by the server, ${stats.refused} refused; load ${load()}`);
stopping = true;
await srv.kill9();
srv.cleanup();
process.exit(0);
