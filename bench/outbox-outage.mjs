// A real SMS operator outage under steady load (issue 15; docs/PERFORMANCE.md "A 10-minute SMS
// outage"): R applications per second (each citizen with a phone number only: one SMS each) for
// PRE seconds with the gateway up, OUTAGE seconds with it down (connections refused), POST
// seconds with it back; then wait until the outbox has nothing pending. The sender runs with
// serve's production timing (backoff 2 s doubling to a 5-minute cap, 20 tries) unless the
// environment says otherwise. Prints: messages created, delivered (distinct keys at the
// gateway), duplicates the gateway saw, dead, pending left, the time from the gateway's return
// to the last delivery, and the delivery delay of the messages created during the outage.
// usage: node bench/outbox-outage.mjs [R=2] [PRE=60] [OUTAGE=600] [POST=60]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login } from '../tests/lib/server.mjs';
import { smsGateway } from '../tests/lib/gateways.mjs';

const [R, PRE, OUTAGE, POST] = [2, 60, 600, 60].map((d, i) => Number(process.argv[2 + i] || d));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const log = (...a) => console.error(new Date().toISOString(), ...a);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-bench-outage-'));
const gw = await smsGateway().start();
const received = new Map(); // key → ms of first receipt
const orig = gw.server.listeners('request')[0];
gw.server.removeAllListeners('request');
gw.server.on('request', (q, s) => { const k = q.headers['idempotency-key']; if (!received.has(k)) received.set(k, Date.now()); orig(q, s); });
const srv = await startServer({ demoSize: 0, env: { ALO153_SMS_CONFIG: gw.configFile(tmp) } });
const admin = await login(srv.url, 'admin');
const agent = await login(srv.url, 'agent');
let n = 0, refusedApi = 0;
const apps = [];
async function register() {
    n++;
    const c = await agent.post('/api/v1/citizens', { name: `Kesinti ${n}`, phone: `0531${String(1000000 + n)}` });
    const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokağımızdaki yolda büyük çukur oluştu', citizen_id: c.body.id });
    if (a.status !== 201) { refusedApi++; return; }
    apps.push({ id: a.body.id, at: Date.now() });
}
const t0 = Date.now();
let tDown = 0, tUp = 0;
const total = R * (PRE + OUTAGE + POST);
for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / R;
    if (Date.now() < due) await sleep(due - Date.now());
    if (!tDown && Date.now() - t0 >= PRE * 1000) { await gw.stop(); tDown = Date.now(); log('gateway down'); }
    if (tDown && !tUp && Date.now() - tDown >= OUTAGE * 1000) { await gw.start(); tUp = Date.now(); log('gateway up'); }
    await register();
    if (i % (R * 60) === 0) log(`applications ${apps.length}`, JSON.stringify((await admin.get('/api/v1/outbox?limit=1')).body.counts));
}
if (!tUp) { await gw.start(); tUp = Date.now(); }
const loadEnd = Date.now();
let counts;
for (;;) { /* until nothing is pending (or 15 minutes) */
    counts = (await admin.get('/api/v1/outbox?limit=1')).body.counts;
    if (!counts.pending && !counts.sending) break;
    if (Date.now() - loadEnd > 900000) break;
    await sleep(1000);
}
const tEnd = Date.now();
const rows = []; /* every message, through the pages */
for (let after = 0; ;) {
    const r = (await admin.get(`/api/v1/outbox?limit=500${after ? `&after=${after}` : ''}`)).body;
    rows.push(...r.items);
    if (!r.next) break;
    after = r.next;
}
const at = new Map(apps.map((a) => [a.id, a.at]));
const outageRows = rows.filter((m) => at.get(m.application_id) >= tDown && at.get(m.application_id) < tUp);
const delay = outageRows.filter((m) => received.has(m.key)).map((m) => received.get(m.key) - at.get(m.application_id));
const delivered = rows.filter((m) => gw.accepted.has(m.key)).length;
const lastAfterUp = Math.max(0, ...[...received.values()].filter((t) => t >= tUp));
await srv.stop();
srv.cleanup();
await gw.stop();
fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify({
    backend: process.env.ALO153_TEST_PG_URL_BASE ? 'postgresql' : 'sqlite',
    apps_per_s: R, pre_s: PRE, outage_s: OUTAGE, post_s: POST,
    applications: apps.length, api_refused: refusedApi,
    messages_created: rows.length, created_during_outage: outageRows.length,
    delivered, gateway_requests: gw.requests.length, gateway_duplicates: gw.dupes,
    dead: counts.dead || 0, pending_left: (counts.pending || 0) + (counts.sending || 0),
    lost: rows.length - delivered - (counts.dead || 0),
    drain_s_after_gateway_back: +((lastAfterUp - tUp) / 1000).toFixed(1),
    wait_after_load_s: +((tEnd - loadEnd) / 1000).toFixed(1),
    outage_messages_delay_s: delay.length ? { p50: +(pct(delay, 50) / 1000).toFixed(1), p99: +(pct(delay, 99) / 1000).toFixed(1), max: +(Math.max(...delay) / 1000).toFixed(1) } : null,
}, null, 2));
process.exit(0);
