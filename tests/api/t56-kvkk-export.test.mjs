// t56: KVKK right of access (issue 12). The data-protection officer ("dpo", demo user kvkk)
// and admin export everything held about a citizen as JSON and as a printable Turkish HTML
// page; each export is logged as a view first and, when that log cannot be written, nothing is
// shown (fail closed, as t17). The view log is readable by dpo and admin only, keyset paged.
// T.C. numbers are stored sealed ("v1:…") with the key file and found by their keyed hash;
// without the key the server refuses to start.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, login, sqlite, isPg, assertError } from '../lib/server.mjs';

const TC = '10000000146';
const NOW = '2026-03-02T09:00:00Z';

/* Hold the database's write lock (SQLite) or citizen_views (PostgreSQL) from another process. */
function holdWriteLock(db) {
    const pg = isPg(db);
    const p = pg
        ? spawn('psql', ['-X', '-A', '-t', '-d', db], { stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const held = new Promise((resolve, reject) => {
        p.stdout.on('data', (d) => { out += d; if (out.includes('lock-held')) resolve(); });
        p.on('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
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

describe('t56 KVKK export, view log, T.C. numbers at rest', { timeout: 60000 }, () => {
    let srv, keyDir, agent, dpo, admin, citizen, app, lock;

    before(async () => {
        keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t56-'));
        const env = { ALO153_NOW: NOW, ALO153_TC_KEY_FILE: path.join(keyDir, 'tc.key') };
        srv = await startServer({ demoSize: 5, env });
        agent = await login(srv.url, 'agent');
        dpo = await login(srv.url, 'kvkk');
        admin = await login(srv.url, 'admin');
        let r = await agent.post('/api/v1/citizens', {
            name: 'Fatma <Yıldız>', phone: '0532 765 43 21', tc: TC, email: 'fatma@example.org',
            address: 'Gül Sokak No 5',
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        citizen = r.body;
        r = await agent.post('/api/v1/applications', {
            channel: 'phone_153', text: 'Sokağımızdaki çukur kapatılmadı, ben Fatma', citizen_id: citizen.id,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        app = r.body;
    });
    after(async () => {
        if (lock) lock.kill();
        if (srv) { await srv.stop().catch(() => {}); srv.cleanup(); }
        fs.rmSync(keyDir, { recursive: true, force: true });
    });

    const views = () => Number(sqlite(srv.db, `SELECT count(*) FROM citizen_views WHERE citizen_id = ${citizen.id}`));

    it('exports everything as JSON for the dpo, whole, and logs the export as a view', async () => {
        const before = views();
        const r = await dpo.get(`/api/v1/citizens/${citizen.id}/export?format=json`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(views(), before + 1);
        const d = r.body;
        assert.equal(d.citizen.tc, TC);
        assert.equal(d.citizen.phone, '+905327654321');
        assert.equal(d.citizen.email, 'fatma@example.org');
        assert.equal(d.citizen.name, 'Fatma <Yıldız>');
        assert.equal(d.applications.length, 1);
        assert.equal(d.applications[0].tracking, app.tracking);
        assert.match(d.applications[0].text, /çukur/);
        assert.ok(d.applications[0].history.some((e) => e.action === 'create'), JSON.stringify(d.applications[0].history));
        assert.ok(d.views.some((v) => v.purpose === 'KVKK export' && v.user === 'kvkk'), JSON.stringify(d.views));
        assert.equal(d.exported_at, NOW);
    });

    it('exports a printable Turkish HTML page with the text escaped', async () => {
        const r = await admin.get(`/api/v1/citizens/${citizen.id}/export?format=html`);
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
        assert.match(r.body, /<html lang="tr">/);
        assert.match(r.body, /Kişisel verileriniz/);
        assert.match(r.body, /Fatma &lt;Yıldız&gt;/);
        assert.ok(!r.body.includes('<Yıldız>'));
        assert.ok(r.body.includes(TC));
        assert.ok(r.body.includes(app.tracking));
        assert.match(r.body, /@media print/);
    });

    it('refuses other roles, an unknown format and an unknown citizen', async () => {
        for (const c of [agent, await login(srv.url, 'supervisor')]) {
            assertError(await c.get(`/api/v1/citizens/${citizen.id}/export`), 403);
            assertError(await c.get(`/api/v1/view-log`), 403);
        }
        assertError(await dpo.get(`/api/v1/citizens/${citizen.id}/export?format=pdf`), 400, 'invalid_field', 'format');
        assertError(await dpo.get('/api/v1/citizens/999999/export'), 404);
    });

    it('the dpo sees no applications otherwise', async () => {
        const r = await dpo.get('/api/v1/applications');
        assert.ok(r.status === 403 || (r.status === 200 && r.body.items.length === 0), JSON.stringify(r.body));
        assertError(await dpo.get(`/api/v1/citizens/${citizen.id}`), 403);
    });

    it('reads the view log by citizen and user, newest first, keyset paged', async () => {
        await agent.get(`/api/v1/citizens/${citizen.id}`);
        let r = await dpo.get(`/api/v1/view-log?citizen=${citizen.id}&limit=1`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.items.length, 1);
        assert.equal(r.body.items[0].user, 'agent');
        assert.equal(r.body.items[0].purpose, 'record view');
        assert.ok(r.body.next);
        const seen = [r.body.items[0].id];
        while (r.body.next) {
            r = await dpo.get(`/api/v1/view-log?citizen=${citizen.id}&limit=1&after=${r.body.next}`);
            assert.equal(r.status, 200);
            seen.push(...r.body.items.map((v) => v.id));
        }
        assert.equal(seen.length, views());
        assert.deepEqual([...seen].sort((a, b) => b - a), seen);
        r = await admin.get(`/api/v1/view-log?user=${dpo.user.id}`);
        assert.ok(r.body.items.length >= 1 && r.body.items.every((v) => v.user === 'kvkk'));
        r = await admin.get(`/api/v1/view-log?citizen=${citizen.id}&from=2026-03-03`);
        assert.equal(r.body.items.length, 0);
        assertError(await dpo.get('/api/v1/view-log?citizen=abc'), 400);
    });

    it('stores the T.C. number sealed with a keyed hash and finds it by the number', async () => {
        const row = sqlite(srv.db, `SELECT tc || '|' || tc_hash FROM citizens WHERE id = ${citizen.id}`);
        const [tc, hash] = row.split('|');
        assert.match(tc, /^v1:/);
        assert.ok(!row.includes(TC));
        assert.match(hash, /^[0-9a-f]{64}$/);
        const r = await dpo.get(`/api/v1/kvkk/citizens?tc=${TC}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body.items.map((c) => c.id), [citizen.id]);
        assert.notEqual(r.body.items[0].tc, TC); // masked in the search, whole in the export
        const p = await dpo.get('/api/v1/kvkk/citizens?phone=05327654321');
        assert.deepEqual(p.body.items.map((c) => c.id), [citizen.id]);
        // the record still shows the number whole to the front office
        assert.equal((await agent.get(`/api/v1/citizens/${citizen.id}`)).body.tc, TC);
    });

    it('shows nothing when the export cannot be logged (fail closed)', async () => {
        const before = views();
        lock = holdWriteLock(srv.db);
        await lock.held;
        let r;
        try {
            r = await dpo.get(`/api/v1/citizens/${citizen.id}/export?format=json`);
        } finally {
            await lock.release();
            lock = null;
        }
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'view_log_unavailable');
        assert.ok(!JSON.stringify(r.body).includes(TC));
        assert.equal(views(), before);
    });

    it('refuses to start without the key once T.C. numbers are sealed', async () => {
        await srv.stop();
        await assert.rejects(srv.restart({ env: { ALO153_TC_KEY_FILE: '' } }), /encrypted T\.C\. numbers/);
        await srv.restart();
    });
});
