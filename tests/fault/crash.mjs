// Crash test: 4 clients create applications as fast as the server answers; after ~3 s the server
// is killed with SIGKILL mid-stream. On restart every application that was answered 201 must be
// there with its text intact (the answer is sent only after commit), and the database must pass
// PRAGMA integrity_check. Repeated for CRASH_ROUNDS rounds (default 2) on the same database.
// Then the same load is stopped with SIGTERM instead, while a slow upload is in flight: the
// server must finish that request (201), exit 0, and keep everything it acknowledged.
//
//   ALO153_BIN=build/alo153 node tests/fault/crash.mjs
import assert from 'node:assert/strict';
import { startServer, login, client, sqlite } from '../lib/server.mjs';

const ROUNDS = Number(process.env.CRASH_ROUNDS || 2);
const LOAD_MS = Number(process.env.CRASH_LOAD_MS || 3000);
const CLIENTS = 4;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One client's loop: create until `stop` is set or the server goes away. */
async function writer(url, cookie, k, round, state, acked) {
    const c = client(url, { cookie });
    let i = 0, failures = 0;
    while (!state.stop) {
        i++;
        const routed = i % 3 === 0;
        const text = `Çöken sunucu testi tur ${round} istemci ${k} sıra ${i} — ığüşöç İĞÜŞÖÇ ${Math.random().toString(36).slice(2)}`;
        const body = routed
            ? { channel: 'phone_153', text, category: 'FEN_YOL_CUKUR', route: true }
            : { channel: 'desk', text };
        try {
            const r = await c.post('/api/v1/applications', body);
            if (r.status === 201) {
                acked.push({ tracking: r.body.tracking, id: r.body.id, text, status: routed ? 'forwarded' : 'new', round });
            } else if (!state.killed) {
                throw new Error(`unexpected ${r.status} before the kill: ${JSON.stringify(r.body)}`);
            }
        } catch (e) {
            if (!state.killed) {
                failures++;
                if (failures > 3) throw e;
            } else {
                return; // connection refused / reset after the kill: stop this writer
            }
        }
    }
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** Writers + a slow upload; SIGTERM mid-stream. Resolves {code, signal, upload, appId, size}. */
async function sigtermRound(srv, acked) {
    const agent = await login(srv.url, 'agent');
    const app = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Kapanış sırasında yüklenen dosya' });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    acked.push({ tracking: app.body.tracking, id: app.body.id, text: 'Kapanış sırasında yüklenen dosya', status: 'new', round: 'sigterm' });
    const state = { stop: false, killed: false };
    const roundAcked = [];
    const writers = [];
    for (let k = 0; k < CLIENTS; k++) writers.push(writer(srv.url, agent.cookie, k, 'sigterm', state, roundAcked));
    // a 10-piece upload that takes about a second to arrive
    let piece = 0;
    const size = PNG.length + 10 * 4096;
    const body = new ReadableStream({
        async pull(c) {
            if (piece === 0) { piece++; c.enqueue(PNG); return; }
            await sleep(100);
            if (piece++ > 10) { c.close(); return; }
            c.enqueue(Buffer.alloc(4096, 7));
        },
    });
    const upload = agent.raw(`/api/v1/applications/${app.body.id}/attachments?filename=kapanis.png`, {
        method: 'POST', headers: { 'content-type': 'image/png' }, body, duplex: 'half',
    }).then((r) => r.status, (e) => `error ${e.cause?.code || e.message}`);
    await sleep(LOAD_MS / 2);
    state.killed = true;
    srv.proc.kill('SIGTERM');
    const timer = setTimeout(() => srv.proc.kill('SIGKILL'), 20000);
    const exit = await srv.exited;
    clearTimeout(timer);
    state.stop = true;
    await Promise.all(writers);
    acked.push(...roundAcked);
    console.log(`sigterm round: ${roundAcked.length} acknowledged before the server stopped`);
    return { code: exit.code, signal: exit.signal, upload: await upload, appId: app.body.id, size };
}

async function main() {
    const srv = await startServer({ demo: true, demoSize: 10 });
    const acked = [];
    let problems = 0;
    try {
        for (let round = 1; round <= ROUNDS; round++) {
            const agent = await login(srv.url, 'agent');
            const state = { stop: false, killed: false };
            const roundAcked = [];
            const writers = [];
            for (let k = 0; k < CLIENTS; k++) writers.push(writer(srv.url, agent.cookie, k, round, state, roundAcked));
            await sleep(LOAD_MS);
            state.killed = true;        // from now on errors are expected
            await srv.kill9();          // mid-stream: the writers are still sending
            state.stop = true;
            await Promise.all(writers);
            acked.push(...roundAcked);
            console.log(`round ${round}: ${roundAcked.length} acknowledged before kill -9`);
            assert.ok(roundAcked.length > 0, 'the server acknowledged nothing before the kill');

            const check = sqlite(srv.db, 'PRAGMA integrity_check');
            if (check !== 'ok') {
                console.error(`round ${round}: integrity_check after kill -9: ${check}`);
                problems++;
            }
            await srv.restart();
        }

        // graceful stop under load: SIGTERM while writers run and a slow upload is in flight
        const graceful = await sigtermRound(srv, acked);
        await srv.restart();

        // every acknowledged application, from every round, is there with its text intact
        const admin = await login(srv.url, 'admin');
        let found = 0;
        const missing = [];
        const seen = new Set();
        for (const a of acked) {
            assert.ok(!seen.has(a.tracking), `tracking ${a.tracking} was handed out twice`);
            seen.add(a.tracking);
            const r = await admin.get(`/api/v1/applications/by-tracking/${a.tracking}`);
            if (r.status !== 200) {
                console.error(`missing after restart: ${a.tracking} (round ${a.round}): ${r.status} ${JSON.stringify(r.body)}`);
                problems++;
                missing.push(a);
                continue;
            }
            if (r.body.text !== a.text || r.body.id !== a.id || r.body.status !== a.status) {
                console.error(`changed after restart: ${a.tracking}: ${JSON.stringify({ text: r.body.text, id: r.body.id, status: r.body.status })} != ${JSON.stringify(a)}`);
                problems++;
                missing.push(a);
                continue;
            }
            found++;
        }
        if (graceful.code !== 0 || graceful.signal !== null) {
            console.error(`sigterm: the server exited with code ${graceful.code}, signal ${graceful.signal}`);
            problems++;
        }
        if (graceful.upload !== 201) {
            console.error(`sigterm: the upload in flight got ${graceful.upload}, not 201`);
            problems++;
        } else {
            const att = await admin.get(`/api/v1/applications/${graceful.appId}`);
            if (!att.body.attachments || att.body.attachments.length !== 1 || att.body.attachments[0].size !== graceful.size) {
                console.error(`sigterm: the acknowledged upload is not stored whole: ${JSON.stringify(att.body.attachments)}`);
                problems++;
            }
        }
        // the restarted server still takes writes and hands out a fresh tracking number
        const agent = await login(srv.url, 'agent');
        const after = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Yeniden başlatmadan sonra başvuru' });
        assert.equal(after.status, 201, JSON.stringify(after.body));
        assert.ok(!seen.has(after.body.tracking), `tracking ${after.body.tracking} reused after restart`);
        const health = await client(srv.url).get('/healthz');
        assert.equal(health.status, 200);

        await srv.stop();
        const check = sqlite(srv.db, 'PRAGMA integrity_check');
        if (check !== 'ok') {
            console.error(`integrity_check after restart: ${check}`);
            problems++;
        }
        const fk = sqlite(srv.db, 'PRAGMA foreign_key_check');
        if (fk !== '') {
            console.error(`foreign_key_check: ${fk}`);
            problems++;
        }
        const crashAcked = acked.filter((a) => a.round !== 'sigterm');
        const crashFound = crashAcked.length - missing.filter((a) => a.round !== 'sigterm').length;
        const termAcked = acked.length - crashAcked.length;
        const termFound = termAcked - missing.filter((a) => a.round === 'sigterm').length;
        console.log(`crash: ${crashAcked.length} acknowledged, ${crashFound} found after kill -9 (${ROUNDS} rounds, ${CLIENTS} clients); integrity_check ${check}`);
        console.log(`sigterm: ${termAcked} acknowledged, ${termFound} found after SIGTERM; exit code ${graceful.code}; in-flight upload ${graceful.upload}`);
        if (problems || found !== acked.length) {
            console.error(`crash: FAILED (${problems} problems); database kept in ${srv.dir}`);
            process.exitCode = 1;
        } else {
            srv.cleanup();
        }
    } catch (e) {
        console.error(`crash: FAILED: ${e.stack || e}`);
        if (srv.stderr) console.error(srv.stderr().slice(-3000));
        try { await srv.kill9(); } catch { /* gone */ }
        process.exitCode = 1;
    }
}

await main();
