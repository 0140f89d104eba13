// Crash test: CRASH_CLIENTS clients (default 4; 32 for a heavier run) create applications as fast as the server answers; once the server has
// acknowledged CRASH_KILL_AFTER of them (default 900, so each server process serves well over
// 800 creates) it is killed with SIGKILL mid-stream. On restart every application that was
// answered 201 must be there with its text intact (the answer is sent only after commit), and the
// database must pass PRAGMA integrity_check. Repeated for CRASH_ROUNDS rounds (default 2) on the
// same database. Any answer other than 201 fails the test at once; a connection error is
// tolerated only after the kill (or the SIGTERM) was sent.
//
// Then the same load is stopped with SIGTERM instead, once CRASH_TERM_AFTER creates (default 200)
// are acknowledged, while an upload is provably in flight: it is sent on a raw socket with
// `Expect: 100-continue` (the server's "100 Continue" shows it started the request), half the
// body goes out before the SIGTERM and the rest only after the server logged `shutting down`.
// The server must finish that request (201), exit 0, and keep everything it acknowledged.
// No step waits on the clock.
//
//   ALO153_BIN=build/alo153 node tests/fault/crash.mjs
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, login, client, sqlite, waitForLog, rawRequest, uploadHead } from '../lib/server.mjs';

const ROUNDS = Number(process.env.CRASH_ROUNDS || 2);
const KILL_AFTER = Number(process.env.CRASH_KILL_AFTER || 900);
const TERM_AFTER = Number(process.env.CRASH_TERM_AFTER || 200);
const CLIENTS = Number(process.env.CRASH_CLIENTS || 4);

/** One client's loop: create until `state.stop`. Rejects on any non-201 answer, and on a
 * connection error unless the kill/SIGTERM was already sent (then it just stops). */
async function writer(url, cookie, k, round, state) {
    const c = client(url, { cookie });
    for (let i = 1; !state.stop; i++) {
        const routed = i % 3 === 0;
        const text = `Çöken sunucu testi tur ${round} istemci ${k} sıra ${i} — ığüşöç İĞÜŞÖÇ ${crypto.randomBytes(4).toString('hex')}`;
        const body = routed
            ? { channel: 'phone_153', text, category: 'FEN_YOL_CUKUR', route: true }
            : { channel: 'desk', text };
        let r;
        try {
            r = await c.post('/api/v1/applications', body);
        } catch (e) {
            if (state.killed) return; // refused / reset / never answered: the server is going away
            throw new Error(`round ${round} writer ${k}: create ${i} failed before the kill: ${e.cause?.code || e.message}`);
        }
        if (r.status !== 201) {
            throw new Error(`round ${round} writer ${k}: create ${i} answered ${r.status}${state.killed ? ' (after the kill was sent)' : ''}: ${JSON.stringify(r.body)}`);
        }
        state.acked.push({ tracking: r.body.tracking, id: r.body.id, text, status: routed ? 'forwarded' : 'new', round });
        if (state.acked.length === state.target) state.onTarget();
    }
}

/** Start CLIENTS writers; `reached` resolves once `target` creates are acknowledged and
 * rejects if a writer fails first; `done` settles when every writer has stopped. */
function startLoad(url, cookie, round, target) {
    const state = { stop: false, killed: false, acked: [], target, onTarget: null };
    const reachedP = new Promise((resolve) => { state.onTarget = resolve; });
    const writers = [];
    for (let k = 0; k < CLIENTS; k++) writers.push(writer(url, cookie, k, round, state));
    const done = Promise.all(writers);
    done.catch(() => {}); // awaited below; a failure also rejects `reached`
    const reached = Promise.race([
        reachedP,
        done.then(() => { throw new Error(`round ${round}: the writers stopped before ${target} were acknowledged`); }),
    ]);
    return { state, reached, done };
}

const PNG = Buffer.concat([
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
    Buffer.alloc(40 * 1024, 7),
]);

/** Writers + an upload in flight; SIGTERM mid-stream. Resolves {code, signal, upload, appId}. */
async function sigtermRound(srv, acked) {
    const agent = await login(srv.url, 'agent');
    const text = 'Kapanış sırasında yüklenen dosya';
    const app = await agent.post('/api/v1/applications', { channel: 'desk', text });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    acked.push({ tracking: app.body.tracking, id: app.body.id, text, status: 'new', round: 'sigterm' });

    const up = rawRequest(srv.url, uploadHead(srv.url, agent.cookie, app.body.id, 'kapanis.png', PNG.length));
    await up.continued; // the server has started the upload request
    up.sock.write(PNG.subarray(0, PNG.length >> 1));

    const load = startLoad(srv.url, agent.cookie, 'sigterm', TERM_AFTER);
    await load.reached;
    load.state.killed = true; // from now on connection errors are expected
    const mark = srv.logMark();
    srv.proc.kill('SIGTERM');
    const guard = setTimeout(() => srv.proc.kill('SIGKILL'), 20000); // a hang must not hang the suite
    await waitForLog(srv, /msg="shutting down"/, { since: mark });
    up.sock.write(PNG.subarray(PNG.length >> 1)); // the rest of the upload, after the SIGTERM
    const upload = await up.response.catch((e) => ({ status: `no answer (${e.message})`, body: '' }));
    load.state.stop = true; // let the server drain
    const exit = await srv.exited;
    clearTimeout(guard);
    await load.done;
    acked.push(...load.state.acked);
    console.log(`sigterm round: ${load.state.acked.length} acknowledged before the server stopped`);
    return { code: exit.code, signal: exit.signal, upload, appId: app.body.id };
}

async function main() {
    const srv = await startServer({ demo: true, demoSize: 10 });
    const acked = [];
    let problems = 0;
    try {
        for (let round = 1; round <= ROUNDS; round++) {
            const agent = await login(srv.url, 'agent');
            const load = startLoad(srv.url, agent.cookie, round, KILL_AFTER);
            await load.reached;
            load.state.killed = true;   // from now on connection errors are expected
            await srv.kill9();          // mid-stream: the writers are still sending
            load.state.stop = true;
            await load.done;
            acked.push(...load.state.acked);
            console.log(`round ${round}: ${load.state.acked.length} acknowledged before kill -9`);

            const check = sqlite(srv.db, 'PRAGMA integrity_check');
            if (check !== 'ok') {
                console.error(`round ${round}: integrity_check after kill -9: ${check}`);
                problems++;
            }
            await srv.restart();
        }

        // graceful stop under load: SIGTERM while writers run and an upload is in flight
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
        if (graceful.upload.status !== 201) {
            console.error(`sigterm: the upload in flight got ${graceful.upload.status}, not 201: ${JSON.stringify(graceful.upload.body)}`);
            problems++;
        } else {
            const sha = crypto.createHash('sha256').update(PNG).digest('hex');
            const att = await admin.get(`/api/v1/applications/${graceful.appId}`);
            const files = att.body.attachments || [];
            if (files.length !== 1 || files[0].size !== PNG.length || files[0].sha256 !== sha) {
                console.error(`sigterm: the acknowledged upload is not stored whole: ${JSON.stringify(files)}`);
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
        console.log(`sigterm: ${termAcked} acknowledged, ${termFound} found after SIGTERM; exit code ${graceful.code}; in-flight upload ${graceful.upload.status}`);
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
