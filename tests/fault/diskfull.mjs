// Disk-full and I/O-error test (`make fault`): the server runs with tests/fault/iofail.so
// preloaded, which fails every write/pwrite/fsync on the database files with ENOSPC or EIO while
// a control file says so (what a full or failing disk does to SQLite's own I/O). For each error:
//   - creates made while the disk "fails" get 503 with Retry-After and a clear error (never a
//     500, never a 201), from 8 writers at once (group commit: a whole batch fails together);
//   - reads keep working; /healthz answers;
//   - once the disk is back the same server takes writes again, without a restart.
// Then kill -9 and restart: every application acknowledged (201) is there with its text intact,
// none of the refused ones left anything behind (no row, no history, no search entry), and
// integrity_check and foreign_key_check pass. No step waits on the clock.
//
//   ALO153_BIN=build/alo153 ALO153_IOFAIL_SO=build/tests/fault/iofail.so node tests/fault/diskfull.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, login, client, sqlite } from '../lib/server.mjs';

const SO = path.resolve(process.env.ALO153_IOFAIL_SO || 'build/tests/fault/iofail.so');
const WRITERS = 8, PER_WRITER = 6;

async function creates(agent, tag, n = WRITERS * PER_WRITER) {
    const out = [];
    await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = w; i < n; i += WRITERS) {
            const text = `Disk testi ${tag} ${i} — çöp konteyneri taştı, ığüşöç`;
            const r = await agent.post('/api/v1/applications', { channel: 'desk', text });
            out.push({ text, r });
        }
    }));
    return out;
}

async function main() {
    assert.ok(fs.existsSync(SO), `${SO} is missing (make fault builds it)`);
    const ctl = path.join(fs.mkdtempSync('/tmp/alo153-iofail-'), 'ctl');
    fs.writeFileSync(ctl, '');
    const srv = await startServer({ demoSize: 5, env: { LD_PRELOAD: SO, ALO153_IOFAIL_CTL: ctl } });
    const acked = [];
    const refused = [];
    try {
        const agent = await login(srv.url, 'agent');
        for (const mode of ['enospc', 'eio', 'fsync']) {
            for (const { text, r } of await creates(agent, `${mode}-before`)) {
                assert.equal(r.status, 201, JSON.stringify(r.body));
                acked.push({ text, id: r.body.id, tracking: r.body.tracking });
            }
            fs.writeFileSync(ctl, mode); // the disk is full / failing from now on
            let n503 = 0;
            for (const { text, r } of await creates(agent, `${mode}-during`)) {
                const show = `${mode}: ${r.status} ${JSON.stringify(r.body)}`;
                assert.equal(r.status, 503, show);
                assert.equal(r.body.error.code, 'unavailable', show);
                assert.match(r.body.error.message, /could not store|disk|database/i, show);
                assert.ok(Number(r.headers.get('retry-after')) > 0, `${show}: no Retry-After`);
                refused.push(text);
                n503++;
            }
            const read = await agent.get(`/api/v1/applications/${acked[0].id}`);
            assert.equal(read.status, 200, `${mode}: a read while the disk fails: ${JSON.stringify(read.body)}`);
            assert.equal((await client(srv.url).get('/healthz')).status, 200);
            fs.writeFileSync(ctl, ''); // space is back
            let n201 = 0;
            for (const { text, r } of await creates(agent, `${mode}-after`)) {
                assert.equal(r.status, 201, `${mode}: after the disk came back: ${r.status} ${JSON.stringify(r.body)}`);
                acked.push({ text, id: r.body.id, tracking: r.body.tracking });
                n201++;
            }
            console.log(`diskfull ${mode}: ${n503} creates refused with 503 + Retry-After while failing, ${n201} accepted after`);
        }
        await srv.kill9();
        await srv.restart({ env: { LD_PRELOAD: '' } });
        const admin = await login(srv.url, 'admin');
        for (const a of acked) {
            const r = await admin.get(`/api/v1/applications/${a.id}`);
            assert.equal(r.status, 200, `acknowledged ${a.tracking} missing after restart: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.text, a.text);
            assert.equal(r.body.tracking, a.tracking);
        }
        await srv.stop();
        const left = sqlite(srv.db, "SELECT count(*) FROM applications WHERE text LIKE 'Disk testi %-during %'");
        assert.equal(left, '0', 'a refused create left a row behind');
        const all = sqlite(srv.db, "SELECT count(*) FROM applications WHERE text LIKE 'Disk testi %'");
        assert.equal(Number(all), acked.length, 'the acknowledged creates are there exactly once');
        assert.equal(sqlite(srv.db, 'PRAGMA integrity_check'), 'ok');
        assert.equal(sqlite(srv.db, 'PRAGMA foreign_key_check'), '');
        console.log(`diskfull: ${acked.length} acknowledged, all present after kill -9; ${refused.length} refused, none left a row; integrity_check ok`);
        srv.cleanup();
        fs.rmSync(path.dirname(ctl), { recursive: true, force: true });
    } catch (e) {
        console.error(`diskfull: FAILED: ${e.stack || e}`);
        if (srv.stderr) console.error(srv.stderr().slice(-3000));
        try { await srv.kill9(); } catch { /* gone */ }
        process.exitCode = 1;
    }
}

await main();
