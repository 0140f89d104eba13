// make soak: a crash loop (issue 12, "Testing like SQLite and curl"). SOAK_CYCLES (default 100)
// times: 32 writers (SOAK_CLIENTS) create applications as fast as the server answers; after a
// number of acknowledged creates that changes from cycle to cycle (SOAK_MIN..SOAK_MAX, default
// 20..300, from a fixed seed) the server gets kill -9 mid-stream. With the server dead, the
// database file is checked: every create ever answered 201 is there once with its text, id and
// tracking number intact, PRAGMA quick_check says ok and foreign_key_check finds nothing. Then
// the server is started again on the same file, and the next cycle begins with a request that
// reads back one acknowledged application of the previous cycle. Any answer other than 201 before
// the kill fails the run. Prints one summary line (cycles, acknowledged, lost, time) for
// docs/TESTING.md. Not part of make test (a few minutes).
//
//   ALO153_BIN=build/alo153 node bench/soak.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { startServer, login, client } from '../tests/lib/server.mjs';

const CYCLES = Number(process.env.SOAK_CYCLES || 100);
const CLIENTS = Number(process.env.SOAK_CLIENTS || 32);
const MIN = Number(process.env.SOAK_MIN || 20), MAX = Number(process.env.SOAK_MAX || 300);

let seed = 153;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };

function rows(db) {
    const out = execFileSync('sqlite3', ['-json', db, "SELECT id, tracking, text FROM applications WHERE text LIKE 'Soak %'"],
        { encoding: 'utf8', maxBuffer: 1 << 28 });
    return out.trim() ? JSON.parse(out) : [];
}

function sql1(db, q) {
    return execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
}

async function cycle(srv, cookie, c, acked) {
    const target = MIN + Math.floor(rand() * (MAX - MIN + 1));
    const state = { stop: false, killed: false, n: 0 };
    let reached;
    const reachedP = new Promise((r) => { reached = r; });
    const writer = async (k) => {
        const cl = client(srv.url, { cookie });
        for (let i = 1; !state.stop; i++) {
            const text = `Soak ${c} ${k} ${i} — ığüşöç ${crypto.randomBytes(4).toString('hex')}`;
            let r;
            try {
                r = await cl.post('/api/v1/applications', { channel: 'desk', text });
            } catch (e) {
                if (state.killed) return;
                throw new Error(`cycle ${c} writer ${k}: create failed before the kill: ${e.cause?.code || e.message}`);
            }
            if (r.status !== 201) throw new Error(`cycle ${c} writer ${k}: ${r.status} ${JSON.stringify(r.body)}`);
            acked.set(r.body.id, { tracking: r.body.tracking, text, cycle: c });
            if (++state.n === target) reached();
        }
    };
    const done = Promise.all(Array.from({ length: CLIENTS }, (_, k) => writer(k)));
    done.catch(() => {});
    await Promise.race([reachedP, done.then(() => { throw new Error(`cycle ${c}: writers stopped early`); })]);
    state.killed = true;
    await srv.kill9();
    state.stop = true;
    await done;
    return state.n;
}

async function main() {
    const t0 = Date.now();
    const srv = await startServer({ demoSize: 0 });
    const acked = new Map();
    let lost = 0, changed = 0, total = 0;
    try {
        const agent = await login(srv.url, 'agent');
        let last = null;
        for (let c = 1; c <= CYCLES; c++) {
            if (last) { // the restarted server serves what the previous cycle acknowledged
                const r = await client(srv.url, { cookie: agent.cookie }).get(`/api/v1/applications/${last[0]}`);
                assert.equal(r.status, 200, `cycle ${c}: GET ${last[0]} after restart: ${JSON.stringify(r.body)}`);
                assert.equal(r.body.text, last[1].text);
            }
            total += await cycle(srv, agent.cookie, c, acked);
            const seen = new Map(rows(srv.db).map((r) => [r.id, r]));
            for (const [id, a] of acked) {
                const r = seen.get(id);
                if (!r) { lost++; console.error(`cycle ${c}: lost ${a.tracking} (cycle ${a.cycle})`); continue; }
                if (r.text !== a.text || r.tracking !== a.tracking) { changed++; console.error(`cycle ${c}: changed ${a.tracking}`); }
            }
            const qc = sql1(srv.db, 'PRAGMA quick_check');
            const fk = sql1(srv.db, 'PRAGMA foreign_key_check');
            assert.equal(qc, 'ok', `cycle ${c}: quick_check ${qc}`);
            assert.equal(fk, '', `cycle ${c}: foreign_key_check ${fk}`);
            assert.equal(lost + changed, 0, `cycle ${c}: ${lost} lost, ${changed} changed`);
            const keys = [...acked.keys()];
            last = [keys[keys.length - 1], acked.get(keys[keys.length - 1])];
            await srv.restart();
            if (c % 10 === 0) console.log(`soak: ${c} cycles, ${acked.size} acknowledged, 0 lost (${((Date.now() - t0) / 1000).toFixed(0)} s, load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
        }
        await srv.stop();
        const secs = ((Date.now() - t0) / 1000).toFixed(0);
        console.log(`soak: ${CYCLES} kill -9 cycles under ${CLIENTS} writers: ${acked.size} creates acknowledged, ${lost} lost, ${changed} changed, quick_check ok every cycle; ${secs} s`);
        srv.cleanup();
    } catch (e) {
        console.error(`soak: FAILED: ${e.stack || e}; database kept in ${srv.dir}`);
        try { await srv.kill9(); } catch { /* gone */ }
        process.exitCode = 1;
    }
}

await main();
