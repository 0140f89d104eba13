// t43: photos and the field team (issue 16). The type comes from the bytes and the pixel size
// from the header: a non-image renamed .jpg, a damaged photo, a HEIC and a huge one are refused
// with a clear code and store nothing; EXIF capture time and GPS are stored with the photo (or
// the phone's own position when the photo has none); the public copy has no metadata while
// staff get the original; categories flagged proof_required need an "after" photo before an
// answer; GET /field/jobs sorts a crew's open work nearest first; a POST re-sent with the same
// Idempotency-Key is done once. Fixtures: tests/unit/fixtures/photo (gen.sh). Time is pinned.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, login, assertError, sqlite, REPO } from '../lib/server.mjs';

const NOW = '2026-03-16T08:00:00Z';
const FIX = path.join(REPO, 'tests/unit/fixtures/photo');
const fx = (name) => fs.readFileSync(path.join(FIX, name));
const has = (buf, s) => buf.includes(Buffer.from(s, 'utf8'));

describe('t43 photos and the field team', { timeout: 60000 }, () => {
    let srv, admin, agent, fen, zabita, app;
    const upload = (who, id, body, { filename = 'foto.jpg', type, query = '' } = {}) =>
        who.raw(`/api/v1/applications/${id}/attachments?filename=${encodeURIComponent(filename)}${query}`, {
            method: 'POST', headers: type ? { 'content-type': type } : {}, body,
        });
    const files = () => Number(sqlite(srv.db, 'SELECT count(*) FROM attachments'));
    const blobs = () => Number(sqlite(srv.db, 'SELECT count(*) FROM blobs'));
    const mk = async (body = {}) => {
        const r = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Sokakta derin bir çukur var', category: 'FEN_YOL_CUKUR', route: true, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
    };

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        // one after another: four argon2 logins at once can meet login_busy on a loaded machine
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        fen = await login(srv.url, 'fen');
        zabita = await login(srv.url, 'zabita');
        app = await mk();
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('a photo with GPS EXIF: capture time and place stored; staff get the original', async () => {
        const jpg = fx('gps.jpg');
        const r = await upload(fen, app.id, jpg, { type: 'image/jpeg', query: '&stage=before&lat=1&lon=2' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.mime, 'image/jpeg');
        assert.equal(r.body.stage, 'before');
        assert.equal(r.body.width, 64);
        assert.equal(r.body.height, 48);
        assert.equal(r.body.taken_at, '2026-03-14T06:26:53Z'); // 09:26:53 in Turkey
        assert.ok(Math.abs(r.body.lat - 38.7205) < 1e-4 && Math.abs(r.body.lon - 35.4826) < 1e-4, JSON.stringify(r.body));
        assert.equal(r.body.geo_source, 'exif', 'EXIF wins over the phone position');
        const full = await fen.get(`/api/v1/applications/${app.id}`);
        const a = full.body.attachments.find((x) => x.id === r.body.id);
        assert.deepEqual([a.stage, a.taken_at, a.geo_source, a.width], ['before', '2026-03-14T06:26:53Z', 'exif', 64]);
        const orig = await fen.get(`/api/v1/applications/${app.id}/attachments/${r.body.id}`);
        assert.ok(orig.bytes.equals(jpg), 'staff get the bytes as sent');
    });

    it('a photo without EXIF: no time; the position the phone sent, marked as such', async () => {
        const bare = await upload(fen, app.id, fx('noexif.jpg'), { filename: 'yerinde.jpg' });
        assert.equal(bare.status, 201, JSON.stringify(bare.body));
        assert.deepEqual([bare.body.taken_at, bare.body.lat, bare.body.lon, bare.body.geo_source, bare.body.stage], [null, null, null, null, '']);
        const dev = await upload(fen, app.id, fx('noexif.jpg'), { filename: 'cihaz.jpg', query: '&lat=38.73&lon=35.49' });
        assert.equal(dev.status, 201, JSON.stringify(dev.body));
        assert.deepEqual([dev.body.lat, dev.body.lon, dev.body.geo_source], [38.73, 35.49, 'device']);
        const png = await upload(fen, app.id, fx('gps.png'), { filename: 'ekran.png', type: 'image/png' });
        assert.equal(png.status, 201, JSON.stringify(png.body));
        assert.deepEqual([png.body.width, png.body.taken_at, png.body.lat], [6, '2025-12-31T20:59:59Z', 41]);
    });

    it('refused and nothing stored: renamed non-images, damaged, HEIC, huge, bad stage or position', async () => {
        const before = [files(), blobs()];
        assertError(await upload(fen, app.id, fx('text.jpg')), 422, 'not_an_image', 'file');
        assertError(await upload(fen, app.id, fx('text.jpg'), { filename: 'notlar.txt', type: 'image/jpeg' }), 422, 'not_an_image', 'file');
        assertError(await upload(fen, app.id, fx('pdf.jpg')), 422, 'not_an_image', 'file');
        assertError(await upload(fen, app.id, fx('cut.jpg')), 422, 'invalid_image', 'file');
        assertError(await upload(fen, app.id, fx('photo.heic'), { filename: 'IMG_0001.HEIC' }), 415, 'heic_not_supported', 'file');
        const big = await upload(fen, app.id, fx('huge.jpg'));
        assertError(big, 422, 'image_too_large', 'file');
        assert.match(big.body.error.message, /13000x48 pixels/);
        assertError(await upload(fen, app.id, fx('huge.png'), { filename: 'dev.png' }), 422, 'image_too_large', 'file');
        // larger than the upload limit (10 MiB): refused from the headers
        const huge = Buffer.concat([fx('noexif.jpg'), Buffer.alloc(11 * 1024 * 1024)]);
        assertError(await upload(fen, app.id, huge), 413, 'too_large', 'file');
        assertError(await upload(fen, app.id, fx('noexif.jpg'), { query: '&stage=during' }), 400, undefined, 'stage');
        assertError(await upload(fen, app.id, fx('noexif.jpg'), { query: '&lat=91&lon=10' }), 400, undefined, 'lat');
        assertError(await upload(fen, app.id, fx('noexif.jpg'), { query: '&lat=38.7' }), 400, undefined, 'lat');
        const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
        assertError(await upload(fen, app.id, pdf, { filename: 'rapor.pdf', query: '&stage=after' }), 400, undefined, 'stage');
        assert.deepEqual([files(), blobs()], before);
    });

    it('the public copy has no metadata; documents stay inside', async () => {
        const a = await mk();
        const up = await upload(fen, a.id, fx('gps.jpg'), { query: '&stage=after' });
        assert.equal(up.status, 201, JSON.stringify(up.body));
        const doc = await upload(fen, a.id, Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'tutanak.pdf' });
        assert.equal(doc.status, 201, JSON.stringify(doc.body));
        const pub = await fen.get(`/api/v1/public/applications/${a.tracking}?code=${a.access_code}`);
        assert.equal(pub.status, 200, JSON.stringify(pub.body));
        assert.deepEqual(pub.body.photos, [{ id: up.body.id, mime: 'image/jpeg', stage: 'after', width: 64, height: 48 }]);
        const p = await fen.get(`/api/v1/public/applications/${a.tracking}/photos/${up.body.id}?code=${a.access_code}`);
        assert.equal(p.status, 200);
        assert.equal(p.headers.get('content-type'), 'image/jpeg');
        const orig = fx('gps.jpg');
        for (const s of ['TestPhone', 'Saha-1', 'Ayşe Saha', 'gizli yorum', '2026:03:14']) {
            assert.ok(has(orig, s), `the fixture has ${s}`);
            assert.ok(!has(p.bytes, s), `the public copy has no ${s}`);
        }
        assert.ok(p.bytes.length < orig.length && p.bytes[0] === 0xff && p.bytes[1] === 0xd8);
        assert.ok(p.bytes.subarray(-600).equals(orig.subarray(-600)), 'the picture itself is unchanged');
        assertError(await fen.get(`/api/v1/public/applications/${a.tracking}/photos/${up.body.id}?code=WRONG123`), 404);
        assertError(await fen.get(`/api/v1/public/applications/${a.tracking}/photos/${doc.body.id}?code=${a.access_code}`), 404);
        assertError(await fen.get(`/api/v1/public/applications/${a.tracking}/photos/${up.body.id - 1000}?code=${a.access_code}`), 404);
    });

    it('proof_required: respond and close need an after photo', async () => {
        const flag = await admin.patch('/api/v1/categories/FEN_YOL_CUKUR', { proof_required: true });
        assert.equal(flag.status, 200, JSON.stringify(flag.body));
        assert.equal(flag.body.proof_required, true);
        const cats = await agent.get('/api/v1/categories?department=FEN');
        assert.equal(cats.body.items.find((c) => c.code === 'FEN_YOL_CUKUR').proof_required, true);
        assertError(await fen.patch('/api/v1/categories/FEN_YOL_CUKUR', { proof_required: false }), 403);
        const a = await mk();
        assert.equal((await fen.post(`/api/v1/applications/${a.id}/accept`, {})).status, 200);
        const respond = () => fen.post(`/api/v1/applications/${a.id}/respond`, { response: 'Çukur asfaltla kapatıldı.' });
        assertError(await respond(), 422, 'proof_required', 'file');
        assert.equal((await upload(fen, a.id, fx('noexif.jpg'), { query: '&stage=before' })).status, 201);
        assertError(await respond(), 422, 'proof_required', 'file');
        assert.equal(sqlite(srv.db, `SELECT status FROM applications WHERE id = ${a.id}`), 'in_progress');
        assert.equal((await upload(fen, a.id, fx('gps.jpg'), { query: '&stage=after' })).status, 201);
        const ok = await respond();
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.equal(ok.body.status, 'resolved');
        // another category is not affected; the flag can be taken off again
        const z = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Seyyar satıcı', category: 'ZAB_SEYYAR', route: true });
        await zabita.post(`/api/v1/applications/${z.body.id}/accept`, {});
        assert.equal((await zabita.post(`/api/v1/applications/${z.body.id}/respond`, { response: 'Gereği yapıldı.' })).status, 200);
        const off = await admin.patch('/api/v1/categories/FEN_YOL_CUKUR', { proof_required: false });
        assert.equal(off.body.proof_required, false);
        const b = await mk();
        await fen.post(`/api/v1/applications/${b.id}/accept`, {});
        assert.equal((await fen.post(`/api/v1/applications/${b.id}/respond`, { response: 'Tamamlandı.' })).status, 200);
    });

    it('GET /field/jobs: the crew\'s open work, nearest first', async () => {
        const far = await mk({ lat: 38.80, lon: 35.60 });
        const near = await mk({ lat: 38.7210, lon: 35.4830 });
        const mid = await mk({ lat: 38.75, lon: 35.50 });
        await fen.post(`/api/v1/applications/${mid.id}/accept`, {});
        const r = await fen.get('/api/v1/field/jobs?near=38.7205,35.4826');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const ids = r.body.items.map((x) => x.id);
        assert.deepEqual(ids.slice(0, 3), [near.id, mid.id, far.id]);
        assert.ok(r.body.items[0].distance_m < 100 && r.body.items[2].distance_m > 10000, JSON.stringify(r.body.items.slice(0, 3).map((x) => x.distance_m)));
        assert.ok(r.body.items.every((x) => ['forwarded', 'in_progress'].includes(x.status) && x.department === 'FEN'));
        assert.ok(r.body.items.slice(3).every((x) => x.distance_m === null), 'jobs without a place come last');
        const z = await zabita.get('/api/v1/field/jobs?near=38.7205,35.4826');
        assert.ok(!z.body.items.some((x) => x.id === near.id), 'another department does not see FEN work');
        assertError(await fen.get('/api/v1/field/jobs?near=abc'), 400, undefined, 'near');
        assertError(await fen.get('/api/v1/field/jobs?near=95,10'), 400, undefined, 'near');
    });

    it('an action re-sent with the same Idempotency-Key is done once', async () => {
        const a = await mk();
        const send = (key, note = 'Ekip yola çıktı') => fen.raw(`/api/v1/applications/${a.id}/note`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ note }),
        });
        const notes = () => Number(sqlite(srv.db, `SELECT count(*) FROM events WHERE app_id = ${a.id} AND action = 'note'`));
        const first = await send('saha-1-abc');
        assert.equal(first.status, 200, JSON.stringify(first.body));
        const again = await send('saha-1-abc');
        assert.equal(again.status, 200);
        assert.equal(again.headers.get('idempotency-replayed'), 'true');
        assert.deepEqual(again.body, first.body);
        assert.equal(notes(), 1);
        assert.equal((await send('saha-2-abc', 'İkinci not')).status, 200);
        assert.equal(notes(), 2);
        // the same key of another user is theirs
        const other = await admin.raw(`/api/v1/applications/${a.id}/note`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'saha-1-abc' }, body: JSON.stringify({ note: 'Yönetici notu' }),
        });
        assert.equal(other.status, 200);
        assert.equal(notes(), 3);
        // a refused action is remembered as refused; a photo upload is keyed the same way
        const bad = await send('saha-3', '');
        assert.equal(bad.status, 400);
        assert.equal((await send('saha-3', 'şimdi dolu')).status, 400);
        assert.equal(notes(), 3);
        const up = (key) => fen.raw(`/api/v1/applications/${a.id}/attachments?filename=son.jpg&stage=after`, { method: 'POST', headers: { 'idempotency-key': key }, body: fx('noexif.jpg') });
        const u1 = await up('foto-1');
        const u2 = await up('foto-1');
        assert.equal(u1.status, 201);
        assert.deepEqual(u2.body, u1.body);
        assert.equal(sqlite(srv.db, `SELECT count(*) FROM attachments WHERE app_id = ${a.id}`), '1');
        assertError(await send('bad key with spaces'), 400, undefined, 'Idempotency-Key');
        assertError(await send('x'.repeat(65)), 400, undefined, 'Idempotency-Key');
    });
});
