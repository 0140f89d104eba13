// t42: the citizen's phone on the server (docs/PORTAL.md) — every field error of the public
// form at once (issue 14 item 5), the idempotency key of a submit queued offline (sent twice,
// stored once), the marketing consent, the citizen's own photo upload (code, window, count,
// size, type), the public classifier (a category, never scores or anyone's data) and the
// information notice an admin edits.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, client, assertError, countApps, sqlite, cli, REPO } from '../lib/server.mjs';

const NOW = '2026-03-02T09:00:00Z';
// a 16×12 JPEG made by Chromium's canvas (as the portal's resize makes them)
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAMABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAUG/8QAIBAAAAUEAwEAAAAAAAAAAAAAAQIEERIAAxMUBQZRMf/EABQBAQAAAAAAAAAAAAAAAAAAAAb/xAAdEQAABQUAAAAAAAAAAAAAAAAABBETFCEjUoGx/9oADAMBAAIRAxEAPwDK9t5pTw+rrEsmyzlkARZm+MIe06lzSnmNrZJZLihHGAg7v9cR8q0pSJlUdlPZvReOQgGZ/HomSJkstZPZsyaWMgFdvWoPLKQWGruW15QMIpqY85bx0naj/9k=', 'base64');

describe('t42 public create, idempotency, photos, classify, notice', { timeout: 90000 }, () => {
    let srv, admin, anon, tmp;
    const key = (n) => `t42-device-key-${String(n).padStart(6, '0')}`;

    before(async () => {
        // a small model from a slice of the corpus (the whole one takes a minute on a busy machine)
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t42-'));
        const lines = fs.readdirSync(path.join(REPO, 'data/corpus')).flatMap((f) => fs.readFileSync(path.join(REPO, 'data/corpus', f), 'utf8').split('\n'));
        const pick = (cat) => lines.filter((l) => l.split('\t')[1] === cat).slice(0, 30);
        fs.mkdirSync(path.join(tmp, 'corpus'));
        fs.writeFileSync(path.join(tmp, 'corpus', 'small.tsv'), ['CEV_COP_TOPLAMA', 'FEN_YOL_CUKUR', 'PARK_BAKIM', 'ZAB_ISGAL'].flatMap(pick).join('\n') + '\n');
        const models = path.join(tmp, 'models');
        await cli(['train', '--no-db', '--corpus', path.join(tmp, 'corpus'), '--models', models], { env: { ALO153_NOW: '2026-01-01T00:00:00Z' } });
        srv = await startServer({ demoSize: 0, rate: 1000, env: { ALO153_NOW: NOW, ALO153_MODELS: models } });
        admin = await login(srv.url, 'admin');
        anon = client(srv.url);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

    const pub = (body) => anon.post('/api/v1/public/applications', body);
    const fieldsOf = (r) => r.body.error.fields.map((f) => `${f.field}:${f.code}`);

    it('an empty submit lists every missing field at once (422), stores nothing', async () => {
        const apps = await countApps(admin);
        const r = await pub({});
        assertError(r, 422, 'invalid_fields', 'text');
        assert.deepEqual(fieldsOf(r), ['text:required', 'phone:contact_required', 'email:contact_required']);
        assert.equal(await countApps(admin), apps);
    });

    it('every bad field is named with its own code in one answer', async () => {
        const apps = await countApps(admin);
        const r = await pub({
            kind: 'poem', text: 'ab', category: 'NOPE', district_id: 99999, neighbourhood_id: 99999,
            lat: 123, name: 'x'.repeat(201), phone: '12345', email: 'bozuk@', idempotency_key: 'kısa',
        });
        assert.equal(r.status, 422, JSON.stringify(r.body));
        assert.deepEqual(fieldsOf(r), ['kind:invalid', 'text:too_short', 'category:unknown', 'district_id:unknown',
            'neighbourhood_id:unknown', 'lon:both_or_neither', 'name:too_long', 'phone:invalid', 'email:invalid',
            'idempotency_key:invalid']);
        const r2 = await pub({ text: 'Koordinat dışarıda kalan başvuru', email: 'a@example.com', lat: 91, lon: -181 });
        assert.deepEqual(fieldsOf(r2), ['lat:out_of_range', 'lon:out_of_range']);
        assert.equal(await countApps(admin), apps);
    });

    it('no consent is asked for applying; the marketing consent is stored with the citizen', async () => {
        const r = await pub({ text: 'Parkın aydınlatması yanmıyor', phone: '0530 222 33 44', consent_marketing: true });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const g = await admin.get(`/api/v1/applications/by-tracking/${r.body.tracking}`);
        const cid = Number(g.body.citizen.id);
        assert.equal(sqlite(srv.db, `SELECT given FROM citizen_consents WHERE citizen_id = ${cid} AND kind = 'marketing'`), '1');
        const r2 = await pub({ text: 'Kaldırım taşları kırık', phone: '0530 222 33 45' });
        assert.equal(r2.status, 201, JSON.stringify(r2.body));
        const g2 = await admin.get(`/api/v1/applications/by-tracking/${r2.body.tracking}`);
        assert.equal(sqlite(srv.db, `SELECT count(*) FROM citizen_consents WHERE citizen_id = ${Number(g2.body.citizen.id)}`), '0');
    });

    it('the same idempotency key gives the same application, stored once; another key a new one', async () => {
        const apps = await countApps(admin);
        const body = { text: 'Sokak lambası üç gündür yanmıyor', phone: '05302223346', idempotency_key: key(1) };
        const a = await pub(body);
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.equal(a.body.replayed, false);
        const b = await pub(body);
        assert.equal(b.status, 200, JSON.stringify(b.body));
        assert.equal(b.body.replayed, true);
        assert.equal(b.body.tracking, a.body.tracking);
        assert.equal(b.body.access_code, a.body.access_code);
        // a resend with other words still is the first submission (the key decides)
        const c = await pub({ ...body, text: 'Sokak lambası yanmıyor (tekrar)' });
        assert.equal(c.body.tracking, a.body.tracking);
        assert.equal(await countApps(admin), apps + 1);
        const d = await pub({ ...body, idempotency_key: key(2) });
        assert.equal(d.status, 201);
        assert.notEqual(d.body.tracking, a.body.tracking);
        assert.equal(await countApps(admin), apps + 2);
        // a refused submit does not use up its key: corrected, it is stored
        const e = await pub({ text: 'x', phone: '05302223346', idempotency_key: key(3) });
        assert.equal(e.status, 422);
        const f = await pub({ text: 'Düzeltilmiş başvuru metni', phone: '05302223346', idempotency_key: key(3) });
        assert.equal(f.status, 201, JSON.stringify(f.body));
    });

    it('the citizen adds photos with the access code: type, count and size limits', async () => {
        const made = await pub({ text: 'Yolda büyük bir çukur var', phone: '05302223347' });
        const t = made.body.tracking, code = made.body.access_code;
        const up = (q, body, ct = 'image/jpeg') => anon.raw(`/api/v1/public/applications/${t}/attachments?${q}`, { method: 'POST', headers: { 'content-type': ct }, body });
        assertError(await up('code=WRONGCODE&filename=a.jpg', JPEG), 404, 'not_found');
        assertError(await up('filename=a.jpg', JPEG), 404, 'not_found');
        assertError(await up(`code=${code}&filename=a.txt`, Buffer.from('bir metin, fotoğraf değil'), 'application/octet-stream'), 415, 'unsupported_media_type');
        const ok = await up(`code=${code}&filename=foto.jpg`, JPEG);
        assert.equal(ok.status, 201, JSON.stringify(ok.body));
        assert.equal(ok.body.mime, 'image/jpeg');
        // typed without the hyphen, lower-case code: the same application
        const ok2 = await anon.raw(`/api/v1/public/applications/${t.replace('-', '')}/attachments?code=${code.toLowerCase()}&filename=b.jpg`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: JPEG });
        assert.equal(ok2.status, 201, JSON.stringify(ok2.body));
        assert.equal((await up(`code=${code}&filename=c.jpg`, JPEG)).status, 201);
        assertError(await up(`code=${code}&filename=d.jpg`, JPEG), 409, 'too_many_files', 'file');
        const g = await admin.get(`/api/v1/applications/by-tracking/${t}`);
        assert.equal(g.body.attachments.length, 3, JSON.stringify(g.body.attachments));
        // larger than the photo limit: 413 before the body is read
        const other = await pub({ text: 'Parkta kırık bank var', phone: '05302223348' });
        const big = Buffer.alloc((4 << 20) + 1, 0xff);
        assertError(await anon.raw(`/api/v1/public/applications/${other.body.tracking}/attachments?code=${other.body.access_code}`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: big }), 413, 'too_large', 'file');
    });

    it('photos are taken only shortly after applying (2 hours)', async () => {
        const made = await pub({ text: 'Çöp konteyneri taşıyor', phone: '05302223349' });
        await srv.stop();
        await srv.restart({ env: { ALO153_NOW: '2026-03-02T11:30:00Z' } });
        const r = await client(srv.url).raw(`/api/v1/public/applications/${made.body.tracking}/attachments?code=${made.body.access_code}&filename=x.jpg`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: JPEG });
        assertError(r, 403, 'upload_closed', 'file');
        await srv.stop();
        await srv.restart({ env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        anon = client(srv.url);
    });

    it('public classify: a confident category with its department, nothing else', async () => {
        const r = await anon.post('/api/v1/public/classify', { text: 'Sokağımızdaki çöpler bir haftadır toplanmadı, konteyner taşıyor' });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(Object.keys(r.body).sort(), ['category', 'category_name', 'department', 'department_name']);
        assert.match(r.body.category, /^CEV_/);
        assert.equal(r.headers.get('cache-control'), 'no-store');
        const n = await anon.post('/api/v1/public/classify', { text: 'qqq zzz' });
        assert.equal(n.status, 200);
        assert.deepEqual(n.body, { category: null });
        assertError(await anon.post('/api/v1/public/classify', {}), 400, 'missing_field', 'text');
    });

    it('the information notice: built-in until an admin writes one', async () => {
        assert.deepEqual((await anon.get('/api/v1/public/notice')).body, { text: null });
        const text = 'Belediyemiz kişisel verilerinizi 6698 sayılı Kanun uyarınca işler.';
        const p = await admin.patch('/api/v1/settings', { privacy_notice: text });
        assert.equal(p.status, 200, JSON.stringify(p.body));
        assert.deepEqual((await anon.get('/api/v1/public/notice')).body, { text });
        assertError(await anon.patch('/api/v1/settings', { privacy_notice: 'x' }), 401, 'unauthorized');
    });
});
