// t66: the KVKK leftovers (issue 12). The access-right export carries the files themselves
// (JSON: base64 with name, type, size and SHA-256; the HTML page lists size and SHA-256 and
// says the files are in the JSON), bounded by a cap with a clear note. Retention also erases
// people who only made contacts, and the numbers and notes of old contacts and calls of no kept
// person, with every statistic unchanged (report, stats and KPI totals before = after). The
// T.C. key is rotated (alo153 kvkk rotate-key): every number re-sealed and re-hashed under the
// new key in batches; an interrupted run is finished by running it again; serve refuses a key
// that does not match the stored numbers and finds citizens by T.C. with the new one. On
// PostgreSQL runs also: alo153 migrate refuses to copy sealed numbers the target's key cannot
// open, and with the same key the copy is served and searched by T.C.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, sqlite, cli, addToken, client, BIN, REPO, PG_URL_BASE } from '../lib/server.mjs';

const NOW0 = '2024-05-10T09:00:00Z';
const NOW2 = '2026-07-01T09:00:00Z'; // retention 2 years: before 2024-07-01
const CUTOFF = Date.parse('2024-07-01T09:00:00Z') / 1000;
const PHOTO = fs.readFileSync(path.join(REPO, 'tests/unit/fixtures/photo/gps.jpg'));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const RANGE = 'from=2023-07-01&to=2024-06-01';

/** A valid T.C. identity number from 9 digits (the two check digits computed). */
function tcOf(nine) {
    const d = String(nine).split('').map(Number);
    const d10 = ((((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10) + 10) % 10;
    const d11 = (d.reduce((a, b) => a + b, 0) + d10) % 10;
    return d.join('') + d10 + d11;
}
const TC = [tcOf(123456780), tcOf(234567891), tcOf(345678912), tcOf(456789123)];

/** Run alo153 ARGS; resolves with {code, stdout, stderr} whatever the exit code. */
function run(args, env = {}) {
    return new Promise((resolve) => {
        execFile(BIN, args, { cwd: REPO, timeout: 60000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
            resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
        });
    });
}

describe('t66 KVKK: files in the export, retention of contacts, key rotation, migrate', { timeout: 120000 }, () => {
    let srv, keyDir, keyFile, env, agent, dpo, admin, tel;
    const who = {};

    before(async () => {
        keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t66-'));
        keyFile = path.join(keyDir, 'tc.key');
        env = { ALO153_NOW: NOW0, ALO153_TC_KEY_FILE: keyFile };
        srv = await startServer({ demoSize: 20, env });
        agent = await login(srv.url, 'agent');
        dpo = await login(srv.url, 'kvkk');
        admin = await login(srv.url, 'admin');
        tel = client(srv.url, { bearer: await addToken(srv.db, 'pbx-t66', 'telephony') });
        const person = async (name, phone, tc) => {
            const r = await agent.post('/api/v1/citizens', { name, phone, tc });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            return r.body.id;
        };
        // P: an open application with two files; Q: contacts only; R, S: more sealed numbers
        who.p = await person('Pınar Aksoy', '0533 201 11 11', TC[0]);
        who.q = await person('Hasan Kaya', '0533 202 22 22', TC[1]);
        who.r = await person('Rıza Tan', '0533 203 33 33', TC[2]);
        who.s = await person('Selin Er', '0533 204 44 44', TC[3]);
        let r = await agent.post('/api/v1/applications', {
            channel: 'desk', text: 'Sokağımızda çukur var', category: 'FEN_YOL_CUKUR', route: true, citizen_id: who.p,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        who.app = r.body.id;
        for (const [name, body, type] of [['foto.jpg', PHOTO, 'image/jpeg'], ['plan.png', PNG, 'image/png']]) {
            r = await agent.raw(`/api/v1/applications/${who.app}/attachments?filename=${name}`,
                { method: 'POST', headers: { 'content-type': type }, body });
            assert.equal(r.status, 201, JSON.stringify(r.body));
        }
        r = await agent.post('/api/v1/contacts', {
            channel: 'phone_153', caller: '05332022222', citizen_id: who.q, outcome: 'instant_info', note: 'Hasan Bey su kesintisini sordu',
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        who.qContact = r.body.id;
        r = await agent.post('/api/v1/contacts', {
            channel: 'phone_153', caller: '05551112233', outcome: 'instant_info', note: 'Veli Bey otobüs saatini sordu',
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        who.loose = r.body.id;
        const at = (s) => new Date(Date.parse(NOW0) + s * 1000).toISOString().replace('.000', '');
        const ev = (type, s) => ({ call_id: 't66-call', type, at: at(s), line: '153', queue: 'genel', caller: '05559998877' });
        r = await tel.post('/api/v1/telephony/events', { events: [ev('offered', -60), ev('abandoned', -30)] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
    });
    after(async () => {
        if (srv) { await srv.stop().catch(() => {}); srv.cleanup(); }
        fs.rmSync(keyDir, { recursive: true, force: true });
    });

    it('the JSON export carries each file (base64, type, size, SHA-256); the page lists size and SHA-256', async () => {
        const r = await dpo.get(`/api/v1/citizens/${who.p}/export?format=json`);
        assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
        const files = r.body.applications.find((a) => a.id === who.app).attachments;
        assert.equal(files.length, 2);
        for (const [name, bytes, type] of [['foto.jpg', PHOTO, 'image/jpeg'], ['plan.png', PNG, 'image/png']]) {
            const f = files.find((x) => x.filename === name);
            assert.ok(f, name);
            assert.equal(f.mime, type);
            assert.equal(f.size, bytes.length);
            assert.equal(f.sha256, createHash('sha256').update(bytes).digest('hex'));
            assert.ok(Buffer.from(f.content_base64, 'base64').equals(bytes), `${name}: the content round-trips`);
        }
        assert.deepEqual(r.body.files, { total_bytes: PHOTO.length + PNG.length, cap_bytes: 20 * 1024 * 1024, included: true });

        const h = await dpo.get(`/api/v1/citizens/${who.p}/export?format=html`);
        assert.equal(h.status, 200);
        for (const f of files) assert.ok(h.body.includes(f.sha256), `the page shows ${f.filename}'s SHA-256`);
        assert.match(h.body, /plan\.png — image\/png, 29 B/);
        assert.match(h.body, /JSON dışa aktarımında/);
        assert.ok(!h.body.includes(files[0].content_base64.slice(0, 40)), 'no file content in the page');
    });

    it('a citizen whose files exceed the cap gets the list without contents and a clear note', async () => {
        sqlite(srv.db, "INSERT INTO settings(key, value) VALUES ('kvkk.export_files_max_bytes', '1000')");
        try {
            const r = await dpo.get(`/api/v1/citizens/${who.p}/export`);
            assert.equal(r.status, 200);
            assert.equal(r.body.files.included, false);
            assert.equal(r.body.files.code, 'attachments_too_large');
            assert.equal(r.body.files.cap_bytes, 1000);
            assert.match(r.body.files.message, /larger in all than the export's cap/);
            const files = r.body.applications.find((a) => a.id === who.app).attachments;
            assert.equal(files.length, 2, 'still listed');
            for (const f of files) assert.equal(f.content_base64, null);
            const h = await dpo.get(`/api/v1/citizens/${who.p}/export?format=html`);
            assert.match(h.body, /dışa aktarım sınırını \(1000 B\) aştığı için/);
        } finally {
            sqlite(srv.db, "DELETE FROM settings WHERE key = 'kvkk.export_files_max_bytes'");
        }
    });

    it('rotates the T.C. key in batches, resumable; serve refuses the wrong key and finds by T.C. with the new one', async () => {
        await srv.stop();
        const newKey = path.join(keyDir, 'new.key');
        assert.match(await cli(['kvkk', 'new-key', newKey]), /created \(mode 0600\)/);
        assert.equal(fs.statSync(newKey).mode & 0o777, 0o600);
        assert.notEqual((await run(['kvkk', 'new-key', newKey])).code, 0, 'never overwrites a key');
        const bad = await run(['kvkk', 'rotate-key', '--db', srv.db, '--old-key-file', keyFile]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /give --old-key-file and --new-key-file/);
        const same = await run(['kvkk', 'rotate-key', '--db', srv.db, '--old-key-file', keyFile, '--new-key-file', keyFile]);
        assert.notEqual(same.code, 0);
        assert.match(same.stderr, /the same key/);

        const row = (id) => sqlite(srv.db, `SELECT tc || '|' || tc_hash || '|' || coalesce(tc_key, '') FROM citizens WHERE id = ${id}`).split('|');
        const sealed = Number(sqlite(srv.db, "SELECT count(*) FROM citizens WHERE tc LIKE 'v1:%'"));
        const [p0, r0, s0] = [row(who.p), row(who.r), row(who.s)];
        assert.equal(p0[2], r0[2], 'one key id for all');
        // an interrupted run: S holds a number no key opens, so the run stops there
        sqlite(srv.db, `UPDATE citizens SET tc = 'v1:${'A'.repeat(60)}' WHERE id = ${who.s}`);
        const args = ['kvkk', 'rotate-key', '--db', srv.db, '--old-key-file', keyFile, '--new-key-file', newKey, '--batch', '1'];
        const broken = await run(args);
        assert.equal(broken.code, 1);
        assert.match(broken.stderr, new RegExp(`citizen ${who.s} opens with neither key`));
        const [p1, r1] = [row(who.p), row(who.r)];
        assert.notEqual(p1[0], p0[0], 'P re-sealed');
        assert.notEqual(p1[1], p0[1], 'P re-hashed');
        assert.notEqual(p1[2], p0[2], 'P under the new key id');
        assert.equal(r1[2], p1[2]);
        // half done: serve refuses either key rather than show empty numbers
        await assert.rejects(srv.restart({ env: { ...env, ALO153_TC_KEY_FILE: newKey } }), /not sealed with the key .*rotation not finished/);
        await assert.rejects(srv.restart({ env }), /not sealed with the key/);
        // repaired, run again: what was done is skipped, the rest rotated
        sqlite(srv.db, `UPDATE citizens SET tc = '${s0[0]}' WHERE id = ${who.s}`);
        const again = await run(args);
        assert.equal(again.code, 0, again.stderr);
        const m = again.stdout.match(/^re-encrypted (\d+) T\.C\. numbers under key ([0-9a-f]{16}), (\d+) were under it already \((\d+) in all\)/);
        assert.ok(m, again.stdout);
        assert.equal(Number(m[4]), sealed);
        assert.ok(Number(m[3]) >= 2, 'P and R were not done twice');
        assert.equal(Number(m[1]) + Number(m[3]), sealed);
        assert.equal(m[2], p1[2]);
        assert.equal(Number(sqlite(srv.db, `SELECT count(*) FROM citizens WHERE tc LIKE 'v1:%' AND tc_key = '${m[2]}'`)), sealed);
        assert.equal(row(who.p)[0], p1[0], 'a finished row is not sealed again');
        assert.match((await run(args)).stdout, /^re-encrypted 0 T\.C\. numbers/);

        await assert.rejects(srv.restart({ env }), /not sealed with the key/);
        env.ALO153_TC_KEY_FILE = newKey; // from now on
        await srv.restart({ env });
        dpo = await login(srv.url, 'kvkk');
        agent = await login(srv.url, 'agent');
        for (const [id, tc] of [[who.p, TC[0]], [who.s, TC[3]]]) {
            const f = await dpo.get(`/api/v1/kvkk/citizens?tc=${tc}`);
            assert.equal(f.status, 200, JSON.stringify(f.body));
            assert.deepEqual(f.body.items.map((c) => c.id), [id]);
            assert.equal((await agent.get(`/api/v1/citizens/${id}`)).body.tc, tc);
        }
        // a citizen made now is sealed under the new key
        const n = await agent.post('/api/v1/citizens', { name: 'Yeni Kişi', tc: tcOf(567891234) });
        assert.equal(n.status, 201);
        assert.equal(row(n.body.id)[2], m[2]);
    });

    it('retention erases people of contacts only and old contacts and calls of no kept person; statistics equal', async () => {
        if (srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop(); // (stopped when the rotation failed)
        const env2 = { ...env, ALO153_NOW: NOW2 };
        await srv.restart({ env: env2 }); // retention off: the job does nothing
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        // R called again recently (at NOW2): a person in touch is kept whole
        const recent = await agent.post('/api/v1/contacts', { channel: 'phone_153', caller: '05332033333', citizen_id: who.r, outcome: 'instant_info', note: 'Tekrar aradı' });
        assert.equal(recent.status, 201, JSON.stringify(recent.body));
        const snapshot = async () => {
            const out = {};
            for (const p of [`/api/v1/reports/summary?${RANGE}`, '/api/v1/stats', `/api/v1/kpi/contacts?${RANGE}`, `/api/v1/kpi/calls?${RANGE}`]) {
                const r = await admin.get(p);
                assert.equal(r.status, 200, `${p}: ${JSON.stringify(r.body)}`);
                delete r.body.generated_at;
                out[p] = r.body;
            }
            return out;
        };
        const q = () => sqlite(srv.db, `SELECT name || '|' || coalesce(phone, '') FROM citizens WHERE id = ${who.q}`);
        const contact = (id) => sqlite(srv.db, `SELECT caller || '|' || coalesce(note, '') FROM contacts WHERE id = ${id}`);
        const call = () => sqlite(srv.db, "SELECT caller FROM calls WHERE ref = 't66-call'");
        const events = () => sqlite(srv.db, "SELECT count(*) FROM call_events WHERE ref = 't66-call' AND caller <> ''");
        const looseLeft = () => Number(sqlite(srv.db, `SELECT count(*) FROM contacts WHERE citizen_id IS NULL AND started_at < ${CUTOFF} AND caller <> ''`));
        const before = await snapshot();
        assert.equal(q(), 'Hasan Kaya|+905332022222');
        assert.ok(looseLeft() > 0);

        const dry = await cli(['retention', 'run', '--dry-run', '--years', '2', '--db', srv.db], { env: env2 });
        assert.match(dry, /^would anonymise \d+ citizens/);
        assert.equal(q(), 'Hasan Kaya|+905332022222', 'a dry run changes nothing');
        assert.equal(call(), '05559998877');

        const out = await cli(['retention', 'run', '--years', '2', '--db', srv.db], { env: env2 });
        assert.match(out, /^anonymised \d+ citizens/);
        assert.equal(q(), 'Anonim|', 'a person of contacts only is erased');
        assert.equal(contact(who.qContact), '|[KVKK: kişisel veriler silindi]');
        assert.equal(contact(who.loose), '|[KVKK: kişisel veriler silindi]', 'a contact without a person: number and note');
        assert.equal(call(), '', 'an abandoned call: the number');
        assert.equal(events(), '0', 'and its events');
        assert.equal(looseLeft(), 0);
        assert.match(dry, /would erase the numbers of [1-9]\d* contacts and [1-9]\d* calls of no kept person; nothing changed/);
        assert.match(out, /erased the numbers of [1-9]\d* contacts and [1-9]\d* calls of no kept person/);
        // the person with an open application, and the one who called again, are kept whole;
        // a person recorded before the cutoff with neither application nor contact since is not
        assert.equal(sqlite(srv.db, `SELECT name FROM citizens WHERE id = ${who.p}`), 'Pınar Aksoy');
        assert.equal(sqlite(srv.db, `SELECT name FROM citizens WHERE id = ${who.r}`), 'Rıza Tan');
        assert.equal(sqlite(srv.db, `SELECT name FROM citizens WHERE id = ${who.s}`), 'Anonim');
        assert.deepEqual(await snapshot(), before);
        assert.match(await cli(['retention', 'run', '--years', '2', '--db', srv.db], { env: env2 }),
            /^anonymised 0 citizens.*0 contacts and 0 calls/s);
    });

    it('migrate copies sealed numbers only to a target served with the same key', { skip: PG_URL_BASE ? false : 'needs PostgreSQL (make api-pg)' }, async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t66m-'));
        const file = path.join(dir, 'src.db');
        const url = `${PG_URL_BASE}/t66_${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`;
        const dbName = url.slice(url.lastIndexOf('/') + 1);
        const noEnv = { ALO153_TC_KEY_FILE: '', ALO153_NOW: NOW0 };
        let src, dst;
        try {
            await cli(['init', '--db', file, '--demo', '--demo-size', '0'], { env: noEnv });
            assert.ok(fs.existsSync(`${file}.tc-key`));
            src = await startServer({ db: file, env: noEnv });
            const a = await login(src.url, 'agent');
            const c = await a.post('/api/v1/citizens', { name: 'Göç Eden', tc: TC[2] });
            assert.equal(c.status, 201);
            await src.stop();
            src = null;
            const exists = () => execFileSync('psql', ['-X', '-A', '-t', '-d', `${PG_URL_BASE}/postgres`, '-c',
                `SELECT count(*) FROM pg_database WHERE datname = '${dbName}'`], { encoding: 'utf8' }).trim();
            const other = path.join(dir, 'other.key');
            await cli(['kvkk', 'new-key', other]);
            let r = await run(['migrate', '--from', file, '--to', url], { ALO153_TC_KEY_FILE: other });
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /1 of the source's 1 encrypted T\.C\. numbers do not open with the key/);
            assert.equal(exists(), '0', 'nothing copied: the target was not even created');
            r = await run(['migrate', '--from', file, '--to', url], { ALO153_TC_KEY_FILE: path.join(dir, 'missing.key') });
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /give that key file/);
            assert.equal(exists(), '0');
            r = await run(['migrate', '--from', file, '--to', url, '--tc-key-file', `${file}.tc-key`], { ALO153_TC_KEY_FILE: '' });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stderr, /1 encrypted T\.C\. numbers copied as they are: serve the target with the key/);
            dst = await startServer({ db: url, env: { ALO153_TC_KEY_FILE: other } }).catch((e) => e);
            assert.match(String(dst), /not sealed with the key/, 'the target refuses a different key');
            dst = await startServer({ db: url, env: { ALO153_TC_KEY_FILE: `${file}.tc-key` } });
            const d = await login(dst.url, 'kvkk');
            const f = await d.get(`/api/v1/kvkk/citizens?tc=${TC[2]}`);
            assert.equal(f.status, 200, JSON.stringify(f.body));
            assert.deepEqual(f.body.items.map((x) => x.name), ['Göç Eden']);
            const ag = await login(dst.url, 'agent');
            assert.equal((await ag.get(`/api/v1/citizens/${f.body.items[0].id}`)).body.tc, TC[2]);
        } finally {
            if (src) await src.stop().catch(() => {});
            if (dst && dst.stop) { await dst.stop().catch(() => {}); dst.cleanup(); }
            execFileSync('psql', ['-X', '-q', '-d', `${PG_URL_BASE}/postgres`, '-c', `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`]);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
