// The live stream under load: N open streams (default 150), then the screen-pop latency (POST
// "answered" → `screen_pop` read on the stream) in this process and through a second serve
// process on the same database, the latency of an ordinary request while the streams are
// open, and the server's threads and memory. Usage:
//   ALO153_BIN=build/alo153 node bench/live.mjs [STREAMS] [CALLS]
import http from 'node:http';
import fs from 'node:fs';
import { startServer, login, client, addToken } from '../tests/lib/server.mjs';

const STREAMS = Number(process.argv[2] || 150);
const CALLS = Number(process.argv[3] || 20);

function open(c) {
    return new Promise((resolve, reject) => {
        const u = new URL(c.url + '/api/v1/live');
        const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, headers: { cookie: c.cookie }, agent: false });
        req.on('error', reject);
        req.on('response', (res) => {
            if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
            const s = { req, waiters: [], buf: '' };
            res.setEncoding('utf8');
            res.on('data', (d) => {
                s.buf += d;
                let k;
                while ((k = s.buf.indexOf('\n\n')) >= 0) {
                    const block = s.buf.slice(0, k);
                    s.buf = s.buf.slice(k + 2);
                    if (block.includes('event: screen_pop')) for (const w of s.waiters.splice(0)) w(performance.now());
                }
            });
            resolve(s);
        });
        req.end();
    });
}

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const fmt = (xs) => `median ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

const streams = [];
const srv = await startServer({ demoSize: 0, env: { ALO153_MAX_PER_ADDRESS: '0' } });
const other = await startServer({ db: srv.db, env: srv.env });
try {
    const agent = await login(srv.url, 'agent');
    const token = await addToken(srv.db, 'pbx-bench', 'telephony');
    const tels = [client(srv.url, { bearer: token }), client(other.url, { bearer: token })];
    for (let i = 0; i < STREAMS; i++) streams.push(await open(agent));
    const watched = streams[STREAMS - 1];
    const status = () => fs.readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8');
    const field = (name) => status().match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))[1];
    let n = 0;
    for (const [name, tel] of [['same process', tels[0]], ['other process', tels[1]]]) {
        const lat = [];
        for (let i = 0; i < CALLS; i++) {
            const id = `BENCH-${n++}`;
            const got = new Promise((r) => watched.waiters.push(r));
            const t0 = performance.now();
            const at = new Date(Date.now() - 30000).toISOString();
            const r = await tel.post('/api/v1/telephony/events', { events: [{ call_id: id, type: 'answered', at, agent: 'agent', caller: '05321112233' }] });
            if (r.status !== 200) throw new Error(JSON.stringify(r.body));
            lat.push((await got) - t0);
        }
        console.log(`screen pop, ${name}, ${STREAMS} streams open: ${fmt(lat)} (${CALLS} calls)`);
    }
    const req = [];
    for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        if ((await agent.get('/api/v1/me')).status !== 200) throw new Error('me');
        req.push(performance.now() - t0);
    }
    console.log(`GET /api/v1/me with ${STREAMS} streams open: ${fmt(req)}`);
    console.log(`server: ${field('Threads')} threads, VmRSS ${field('VmRSS')} kB`);
} finally {
    await other.stop();
    const t0 = performance.now();
    await srv.stop();
    console.log(`SIGTERM to exit with ${streams.length} streams open: ${(performance.now() - t0).toFixed(0)} ms`);
    for (const s of streams) s.req.destroy();
    srv.cleanup();
}
