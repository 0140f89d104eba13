// The outbox under load (issue 15; docs/PERFORMANCE.md "Outgoing messages"), against the local
// gateways of the tests (tests/lib/gateways.mjs: a node HTTP SMS operator, python3-aiosmtpd):
//   A. an operator outage: N applications registered while the SMS gateway is down (N SMS
//      pending, retried with backoff), then the gateway back: how long until every message is
//      accepted, messages per second while the backlog drains, and what is left (nothing).
//   B. steady load: R applications per second for S seconds (each an SMS and an e-mail): the
//      delivery delay from the 201 of the application to the gateway's receipt, p50/p99.
// usage: node bench/outbox.mjs [N=300] [R=10] [S=20]; env ALO153_BIN (default build/alo153),
// ALO153_TEST_PG_URL_BASE for PostgreSQL (as the API tests). Each mode of ALO153_BENCH_MODES
// (default "one_by_one,batch": the sender before and after the batch commit, one after the
// other in the same run, each on a fresh database) with ALO153_BENCH_SENDERS serve processes
// sending from the same database (default 1; 2 on PostgreSQL: SKIP LOCKED claims).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login } from '../tests/lib/server.mjs';
import { smsGateway, smtpSink } from '../tests/lib/gateways.mjs';

const [N, R, S] = [Number(process.argv[2] || 300), Number(process.argv[3] || 10), Number(process.argv[4] || 20)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };

async function run(mode, senders) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-bench-outbox-'));
    const gw = await smsGateway().start();
    const received = new Map(); // key → ms
    const orig = gw.server.listeners('request')[0];
    gw.server.removeAllListeners('request');
    gw.server.on('request', (q, s) => { received.set(q.headers['idempotency-key'], Date.now()); orig(q, s); });
    const smtp = await smtpSink(path.join(tmp, 'mail'));
    const srv = await startServer({
        demoSize: 0,
        env: { ...(mode === 'one_by_one' ? { ALO153_OUTBOX_ONE_BY_ONE: '1' } : {}), ALO153_SMTP_URL: smtp.url, ALO153_MAIL_FROM: 'alo153@belediye.test', ALO153_SMS_CONFIG: gw.configFile(tmp),
            ALO153_OUTBOX_PERIOD_MS: '100', ALO153_OUTBOX_BACKOFF_MS: '1000', ALO153_OUTBOX_CAP_MS: '5000', ALO153_OUTBOX_TRIES: '1000' },
    });
    const others = [];
    for (let i = 1; i < senders; i++) others.push(await startServer({ db: srv.db, env: srv.env }));
    const admin = await login(srv.url, 'admin');
    const agent = await login(srv.url, 'agent');
    let n = 0;
    async function register(email) {
        n++;
        const c = await agent.post('/api/v1/citizens', { name: `Yük ${n}`, phone: `0530${String(1000000 + n)}`, ...(email ? { email: `y${n}@example.com` } : {}) });
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokağımızdaki yolda büyük çukur oluştu', citizen_id: c.body.id });
        if (a.status !== 201) throw new Error(JSON.stringify(a.body));
        return { id: a.body.id, at: Date.now() };
    }
    const rowsOf = async (id) => (await admin.get(`/api/v1/outbox?application=${id}`)).body.items;

    /* A: the outage */
    await gw.stop();
    const tA = Date.now();
    const backlog = [];
    for (let i = 0; i < N; i++) backlog.push(await register(false));
    const queuedMs = Date.now() - tA;
    await sleep(3000); /* retries with backoff while the gateway is away */
    const keysA = new Set();
    for (const b of backlog) for (const m of await rowsOf(b.id)) keysA.add(m.key);
    const tries = (await admin.get('/api/v1/outbox?state=pending&limit=500')).body.items.reduce((s, m) => s + m.attempts, 0);
    const tBack = Date.now();
    await gw.start();
    while ([...keysA].some((k) => !gw.accepted.has(k))) await sleep(50);
    const drainMs = Math.max(...[...keysA].map((k) => received.get(k))) - tBack;
    const leftA = (await admin.get('/api/v1/outbox')).body.counts;

    /* B: steady load */
    const sent = [];
    const tB = Date.now();
    for (let i = 0; i < R * S; i++) {
        const due = tB + (i * 1000) / R;
        if (Date.now() < due) await sleep(due - Date.now());
        sent.push(await register(true));
    }
    const lateMs = Date.now() - tB - S * 1000;
    const smsDelay = [], mailDelay = [];
    const deadline = Date.now() + 60000;
    for (const b of sent) {
        let rows;
        while (Date.now() < deadline) {
            rows = await rowsOf(b.id);
            if (rows.length === 2 && rows.every((m) => m.state === 'sent')) break;
            await sleep(100);
        }
        for (const m of rows) {
            if (m.channel === 'sms') smsDelay.push(received.get(m.key) - b.at);
            else {
                const f = fs.readdirSync(path.join(tmp, 'mail')).find((x) => x.includes(m.key));
                mailDelay.push(fs.statSync(path.join(tmp, 'mail', f)).mtimeMs - b.at);
            }
        }
    }
    const left = (await admin.get('/api/v1/outbox')).body.counts;
    for (const o of others) { await o.stop(); o.cleanup(); }
    await srv.stop();
    srv.cleanup();
    smtp.stop();
    await gw.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    const r = (x) => Math.round(x);
    return {
        mode, senders,
        backend: process.env.ALO153_TEST_PG_URL_BASE ? 'postgresql' : 'sqlite',
        outage: { messages: keysA.size, queued_in_ms: queuedMs, failed_tries_during_outage: tries, drain_ms: drainMs,
            drain_msgs_per_s: +(keysA.size / (drainMs / 1000)).toFixed(1), gateway_dupes: gw.dupes, counts_after: leftA },
        steady: { apps_per_s: R, seconds: S, messages: smsDelay.length + mailDelay.length, load_generator_late_ms: lateMs,
            sms_delay_ms: { p50: r(pct(smsDelay, 50)), p99: r(pct(smsDelay, 99)), max: r(Math.max(...smsDelay)) },
            email_delay_ms: { p50: r(pct(mailDelay, 50)), p99: r(pct(mailDelay, 99)), max: r(Math.max(...mailDelay)) },
            counts_after: left },
    };
}

const modes = (process.env.ALO153_BENCH_MODES || 'one_by_one,batch').split(',');
const senders = Number(process.env.ALO153_BENCH_SENDERS || 1);
const results = [];
for (const m of modes) results.push(await run(m, senders));
console.log(JSON.stringify(results, null, 2));
process.exit(0);
