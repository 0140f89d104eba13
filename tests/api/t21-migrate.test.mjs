// t21: alo153 migrate moves a SQLite database to PostgreSQL (issue 9): every table with its
// ids, so applications, history, links, attachments, search and the demo passwords work on the
// copy, and tracking numbers continue without a duplicate; --verify compares row counts and
// checksums; a second migrate into the same database is refused. Runs under make api-pg (it
// needs a PostgreSQL server); skipped under make api.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, cli, BIN, REPO, sqlite, PG_URL_BASE } from '../lib/server.mjs';

/** Run alo153 ARGS; resolves with {code, stdout, stderr} whatever the exit code. */
function run(args) {
    return new Promise((resolve) => {
        execFile(BIN, args, { cwd: REPO, timeout: 120000 }, (err, stdout, stderr) => {
            resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
        });
    });
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('t21 migrate SQLite → PostgreSQL', { timeout: 180000, skip: PG_URL_BASE ? false : 'needs PostgreSQL (make api-pg)' }, () => {
    let dir, file, url, src, dst;
    const made = {};

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t21-'));
        file = path.join(dir, 'centre.db');
        url = `${PG_URL_BASE}/t21_${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`;
        await cli(['init', '--db', file, '--demo', '--demo-size', '40']);
        // a link and an attachment (a blob) on the SQLite side, so those tables are not empty
        src = await startServer({ db: file });
        const agent = await login(src.url, 'agent');
        const a = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Göçtaşı sokağında kanalizasyon taşıyor' });
        const b = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Göçtaşı sokağında koku var' });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        const link = await agent.post(`/api/v1/applications/${b.body.id}/links`, { other_id: a.body.id });
        assert.ok(link.status < 300, JSON.stringify(link.body));
        const up = await agent.raw(`/api/v1/applications/${a.body.id}/attachments?filename=foto.png`,
            { method: 'POST', headers: { 'content-type': 'image/png' }, body: PNG });
        assert.equal(up.status, 201, JSON.stringify(up.body));
        made.a = (await agent.get(`/api/v1/applications/${a.body.id}`)).body;
        made.b = (await agent.get(`/api/v1/applications/${b.body.id}`)).body;
        await src.stop();
        made.tracking = sqlite(file, 'SELECT tracking FROM applications').split('\n');
        made.count = made.tracking.length;
    });
    after(async () => {
        if (dst) await dst.stop();
        if (dst) dst.cleanup();
        if (dir && !process.env.ALO153_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
        if (url) {
            const name = url.slice(url.lastIndexOf('/') + 1);
            execFileSync('psql', ['-X', '-q', '-d', `${PG_URL_BASE}/postgres`, '-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
        }
    });

    it('copies every table with a progress line per table, and --verify passes', async () => {
        const r = await run(['migrate', '--from', file, '--to', url, '--verify']);
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        for (const t of ['settings', 'users', 'applications', 'events', 'links', 'blobs', 'attachments']) {
            assert.match(r.stderr, new RegExp(`migrate: ${t} +\\d+ rows`), r.stderr);
        }
        assert.match(r.stdout, /verify: every table matches/);
        assert.match(r.stdout, new RegExp(`applications +${made.count} +${made.count} `));
        assert.equal(sqlite(url, 'SELECT count(*) FROM applications'), String(made.count));
        assert.equal(sqlite(url, 'SELECT count(*) FROM links'), '1');
        assert.equal(sqlite(url, 'SELECT count(*) FROM blobs'), '1');
    });

    it('a second migrate into the same database is refused and changes nothing', async () => {
        const r = await run(['migrate', '--from', file, '--to', url]);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /not empty/);
        assert.equal(sqlite(url, 'SELECT count(*) FROM applications'), String(made.count));
        const v = await run(['migrate', '--from', file, '--to', url, '--verify-only']);
        assert.equal(v.code, 0, `${v.stdout}\n${v.stderr}`);
    });

    it('--verify-only finds a difference', async () => {
        const changed = sqlite(url, "UPDATE events SET note = 'değişti' WHERE id = (SELECT min(id) FROM events) RETURNING id");
        assert.ok(changed);
        const v = await run(['migrate', '--from', file, '--to', url, '--verify-only']);
        assert.equal(v.code, 1, v.stdout);
        assert.match(v.stdout, /events .*DIFFERS/);
        assert.match(v.stderr, /table events differs/);
    });

    it('a server on the copy: logins, applications, history, links, attachments, search; tracking continues', async () => {
        dst = await startServer({ db: url });
        const admin = await login(dst.url, 'admin'); // the demo password hash came along
        const agent = await login(dst.url, 'agent');
        const a = await agent.get(`/api/v1/applications/${made.a.id}`);
        assert.equal(a.status, 200, JSON.stringify(a.body));
        assert.equal(a.body.tracking, made.a.tracking);
        assert.deepEqual(a.body.history.map((e) => e.action), made.a.history.map((e) => e.action));
        const b = await agent.get(`/api/v1/applications/by-tracking/${made.b.tracking}`);
        assert.equal(b.status, 200);
        assert.deepEqual(b.body.links, made.b.links);
        const att = made.a.attachments[0];
        const file1 = await agent.get(`/api/v1/applications/${made.a.id}/attachments/${att.id}`);
        assert.equal(file1.status, 200);
        assert.deepEqual(file1.bytes, PNG);
        const found = await agent.get(`/api/v1/applications?limit=50&q=${encodeURIComponent('göçtaşı kanalizasyon')}`);
        assert.deepEqual(found.body.items.map((x) => x.id), [made.a.id]);
        // new rows continue after the copied ids and tracking numbers
        const n = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Taşımadan sonra ilk başvuru: su kesik' });
        assert.equal(n.status, 201, JSON.stringify(n.body));
        assert.ok(!made.tracking.includes(n.body.tracking), `tracking ${n.body.tracking} handed out twice`);
        assert.ok(n.body.id > Math.max(made.a.id, made.b.id));
        const note = await admin.post(`/api/v1/applications/${n.body.id}/note`, { note: 'yeni olay' });
        assert.equal(note.status, 200, JSON.stringify(note.body));
    });

    it('back to SQLite: rollups kept in stripes on PostgreSQL arrive as one row per key, --verify passes', async () => {
        // one key in two stripes, as two connections write it (PostgreSQL migration 020)
        sqlite(url, 'INSERT INTO app_rollup_restime(grain, bucket, department_id, bin, n, stripe) '
            + 'VALUES (0, 1, 0, 5, 2, 3), (0, 1, 0, 5, 3, 7)');
        const back = path.join(dir, 'back.db');
        const r = await run(['migrate', '--from', url, '--to', back, '--verify']);
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        assert.match(r.stdout, /verify: every table matches/);
        assert.equal(sqlite(back, 'SELECT n FROM app_rollup_restime WHERE grain = 0 AND bucket = 1 AND department_id = 0 AND bin = 5'), '5');
        // the rollups of the application created on PostgreSQL came along (its day, all stripes)
        assert.equal(sqlite(back, 'SELECT sum(n) FROM app_rollup WHERE grain = 0'),
            sqlite(url, 'SELECT sum(n) FROM app_rollup WHERE grain = 0'));
        assert.equal(sqlite(back, 'SELECT count(*) FROM applications'), String(made.count + 1));
    });
});
