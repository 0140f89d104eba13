// t17: KVKK, fail closed — a citizen's record is never shown when its view cannot be logged
// (issue 12, finding 3). Another process holds SQLite's write lock (`sqlite3 DB` inside
// BEGIN IMMEDIATE), so the server cannot write the citizen_views row: every path that shows a
// citizen (record, phone lookup, application by id and by tracking number) must answer 503 with
// Retry-After and a Turkish-first message, and show neither the phone nor the TC number.
// The server meets SQLite's busy timeout (10 s) before it gives up; the requests run at once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, login, sqlite, isPg } from '../lib/server.mjs';

/**
 * Hold the database's write lock from another process until release() is called. On
 * PostgreSQL (make api-pg) there is no database-wide write lock: psql holds an EXCLUSIVE lock
 * on citizen_views instead, which blocks the view-log insert until the server's lock_timeout
 * (10 s, like SQLite's busy timeout).
 */
function holdWriteLock(db) {
    const pg = isPg(db);
    const p = pg
        ? spawn('psql', ['-X', '-A', '-t', '-d', db], { stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    const held = new Promise((resolve, reject) => {
        p.stdout.on('data', (d) => {
            out += d;
            if (out.includes('lock-held')) resolve();
        });
        p.on('exit', (code) => reject(new Error(`sqlite3 exited (${code}) before holding the lock: ${err}`)));
    });
    p.stdin.write(pg ? "BEGIN; LOCK TABLE citizen_views IN EXCLUSIVE MODE; SELECT 'lock-held';\n"
        : "PRAGMA busy_timeout=10000; BEGIN IMMEDIATE; SELECT 'lock-held';\n");
    const gone = new Promise((resolve) => p.on('close', resolve));
    return {
        held,
        release: async () => {
            if (p.exitCode === null) p.stdin.end(pg ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
            await gone;
        },
        kill: () => { try { p.kill('SIGKILL'); } catch { /* gone */ } },
    };
}

describe('t17 citizen view log fails closed', { timeout: 90000 }, () => {
    let srv, agent, citizen, app, lock;
    const TC = '10000000146';

    before(async () => {
        srv = await startServer({ demoSize: 10 });
        agent = await login(srv.url, 'agent');
        let r = await agent.post('/api/v1/citizens', { name: 'Fatma Yıldız', phone: '0532 765 43 21', tc: TC });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        citizen = r.body;
        r = await agent.post('/api/v1/applications', {
            channel: 'phone_153', text: 'Sokağımızdaki çukur kapatılmadı', citizen_id: citizen.id,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        app = r.body;
        // the setup is sound: without a lock each path shows the record and logs the view
        r = await agent.get(`/api/v1/citizens/${citizen.id}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.tc, TC);
        assert.equal(r.body.phone, '+905327654321');
    });
    after(async () => {
        if (lock) lock.kill();
        if (srv) { await srv.stop(); srv.cleanup(); }
    });

    const views = () => Number(sqlite(srv.db, `SELECT count(*) FROM citizen_views WHERE citizen_id = ${citizen.id}`));

    it('answers 503 with Retry-After and shows nothing while the view log cannot be written', async () => {
        const before = views();
        lock = holdWriteLock(srv.db);
        await lock.held;
        let rs;
        try {
            rs = await Promise.all([
                agent.get(`/api/v1/citizens/${citizen.id}`),
                agent.get('/api/v1/citizens?phone=05327654321'),
                agent.get(`/api/v1/applications/${app.id}`),
                agent.get(`/api/v1/applications/by-tracking/${app.tracking}`),
            ]);
        } finally {
            await lock.release();
            lock = null;
        }
        for (const r of rs) {
            const show = `${r.status} ${r.bytes.toString('utf8')}`;
            assert.equal(r.status, 503, show);
            assert.equal(r.body.error.code, 'view_log_unavailable', show);
            assert.match(r.body.error.message, /^Vatandaş kaydının görüntülenmesi/, show);
            assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After: ${r.headers.get('retry-after')}`);
            const text = r.bytes.toString('utf8');
            assert.ok(!text.includes(TC), `TC number shown: ${show}`);
            assert.ok(!text.includes('7654321'), `phone shown: ${show}`);
            assert.ok(!text.includes('Fatma'), `name shown: ${show}`);
        }
        assert.equal(views(), before, 'no view was logged, and none was shown');
    });

    it('shows the record and logs the view again once the lock is gone', async () => {
        const before = views();
        const r = await agent.get(`/api/v1/applications/${app.id}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.citizen.tc, TC);
        assert.equal(views(), before + 1);
    });
});
