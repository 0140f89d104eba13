// t20: database trouble answers 503 with Retry-After, keeps nothing half-written, and the
// server recovers by itself (issue 9).
//   PostgreSQL (make api-pg): the test closes the database to new connections and terminates
//   the server's backends (ALTER DATABASE … ALLOW_CONNECTIONS false; pg_terminate_backend), so
//   every connection of alo153 is lost and cannot come back; then opens it again, and the same
//   process serves again without a restart.
//   SQLite (make api): another process holds the write lock past the busy timeout (10 s): the
//   write gets 503 with Retry-After, and succeeds once the lock is released.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { startServer, login, client, waitFor, isPg, sqlite, PG_URL_BASE } from '../lib/server.mjs';

function psqlAdmin(sql) {
    return execFileSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${PG_URL_BASE}/postgres`, '-c', sql],
        { encoding: 'utf8' }).trim();
}

function assertUnavailable(r, what) {
    const show = `${what}: ${r.status} ${JSON.stringify(r.body)}`;
    assert.equal(r.status, 503, show);
    assert.match(r.headers.get('retry-after') || '', /^\d+$/, `${show}: no Retry-After`);
}

describe('t20 database unavailable', { timeout: 120000 }, () => {
    let srv, agent;

    before(async () => {
        srv = await startServer({ demoSize: 5 });
        agent = await login(srv.url, 'agent');
    });
    after(async () => {
        if (srv) { await srv.stop(); srv.cleanup(); }
    });

    it('PostgreSQL lost: 503 + Retry-After, nothing half-written, back without a restart',
        { skip: PG_URL_BASE ? false : 'runs on PostgreSQL only (make api-pg): it stops the database under the server' }, async () => {
            assert.ok(isPg(srv.db));
            const name = srv.db.slice(srv.db.lastIndexOf('/') + 1);
            const before = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Kesintiden önce: çöp toplanmadı' });
            assert.equal(before.status, 201, JSON.stringify(before.body));
            const health0 = await client(srv.url).get('/healthz');
            assert.equal(health0.status, 200);
            assert.equal(health0.body.database, 'ok');

            psqlAdmin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
            try {
                const killed = psqlAdmin(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}'`);
                assert.ok(Number(killed) >= 1, `terminated ${killed} backends`);
                // every thread's connection is gone: each request meets a dead or refused one
                for (let i = 0; i < 6; i++) {
                    assertUnavailable(await agent.post('/api/v1/applications', { channel: 'desk', text: `Kesinti sırasında ${i}: su borusu patladı` }), `create ${i}`);
                    assertUnavailable(await agent.get(`/api/v1/applications/${before.body.id}`), `get ${i}`);
                    assertUnavailable(await agent.post(`/api/v1/applications/${before.body.id}/note`, { note: `kesinti notu ${i}` }), `note ${i}`);
                    const h = await client(srv.url).get('/healthz');
                    assertUnavailable(h, `healthz ${i}`);
                    assert.equal(h.body.status, 'degraded');
                    assert.equal(h.body.database, 'unavailable');
                }
            } finally {
                psqlAdmin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
            }

            // the same process reconnects by itself
            await waitFor(async () => (await client(srv.url).get('/healthz')).status === 200, { what: 'healthz 200 again', tries: 100, delayMs: 50 });
            const afterDown = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Kesintiden sonra: park lambası yanmıyor' });
            assert.equal(afterDown.status, 201, JSON.stringify(afterDown.body));
            assert.notEqual(afterDown.body.tracking, before.body.tracking);
            const got = await agent.get(`/api/v1/applications/${before.body.id}`);
            assert.equal(got.status, 200, JSON.stringify(got.body));
            // nothing of the refused requests was written
            assert.equal(sqlite(srv.db, "SELECT count(*) FROM applications WHERE text LIKE 'Kesinti sırasında%'"), '0');
            assert.equal(sqlite(srv.db, "SELECT count(*) FROM events WHERE note LIKE 'kesinti notu%'"), '0');
            assert.equal(srv.proc.exitCode, null, 'the server kept running');
        });

    it('SQLite locked past the busy timeout: 503 + Retry-After, then success once released',
        { skip: PG_URL_BASE ? 'runs on SQLite only (make api)' : false }, async () => {
            // another process takes the write lock and keeps it until its stdin ends
            const holder = spawn('sqlite3', [srv.db], { stdio: ['pipe', 'pipe', 'inherit'] });
            try {
                holder.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
                await new Promise((resolve, reject) => {
                    holder.stdout.on('data', (d) => { if (String(d).includes('locked')) resolve(); });
                    holder.on('exit', () => reject(new Error('sqlite3 exited')));
                });
                const r = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Kilit sırasında: yol çöktü' });
                assertUnavailable(r, 'create while locked');
            } finally {
                holder.stdin.end('ROLLBACK;\n');
                await new Promise((resolve) => holder.on('close', resolve));
            }
            assert.equal(sqlite(srv.db, "SELECT count(*) FROM applications WHERE text LIKE 'Kilit sırasında%'"), '0');
            const ok = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Kilitten sonra: yol çöktü' });
            assert.equal(ok.status, 201, JSON.stringify(ok.body));
            assert.equal((await client(srv.url).get('/healthz')).body.database, 'ok');
        });
});
