// t14: uploads in flight. SIGTERM while an attachment upload is provably half-sent: the server
// must finish that request (201), exit 0, and keep the file; a connection opened after the
// SIGTERM is closed unanswered. Two identical uploads at once: one blob, two attachments, no 500.
//
// "Provably in flight" without timing: the upload is sent with `Expect: 100-continue`, so the
// server's "100 Continue" proves it has read the headers and started the request; then half the
// body goes out, SIGTERM, the server's own `msg="shutting down"` log line, then the other half.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { startServer, login, sqlite, waitForLog, rawRequest, uploadHead } from '../lib/server.mjs';

/** CRC-32 (zlib.crc32 is Node ≥ 20.15 only). */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
function crc32(buf) {
    let c = 0xffffffff;
    for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
}
/** A valid size×size RGB PNG of deterministic noise (seeded), about 3·size² bytes. */
function makePng(size, seed) {
    const raw = Buffer.alloc(size * (1 + 3 * size));
    let x = seed >>> 0;
    for (let i = 0; i < raw.length; i++) {
        if (i % (1 + 3 * size) === 0) { raw[i] = 0; continue; } // filter byte: none
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        raw[i] = x >>> 24;
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(size, 0);
    ihdr.writeUInt32BE(size, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // colour type RGB
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        pngChunk('IHDR', ihdr),
        pngChunk('IDAT', zlib.deflateSync(raw, { level: 0 })),
        pngChunk('IEND', Buffer.alloc(0)),
    ]);
}
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

describe('t14 uploads in flight', { timeout: 60000 }, () => {
    let srv, agent, appId;
    const png = makePng(96, 153); // ~27 KiB

    before(async () => {
        srv = await startServer({ demo: true, demoSize: 0 });
        agent = await login(srv.url, 'agent');
        const r = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Kapanış sırasında yüklenen fotoğraf' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        appId = r.body.id;
    });
    after(async () => {
        if (srv && srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop();
        srv?.cleanup();
    });

    it('two identical uploads at once: one blob, two attachments, both 201', async () => {
        const twin = makePng(64, 7);
        const app = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Aynı fotoğraf iki kez' });
        assert.equal(app.status, 201);
        const agent2 = await login(srv.url, 'agent');
        const a = rawRequest(srv.url, uploadHead(srv.url, agent.cookie, app.body.id, 'bir.png', twin.length));
        const b = rawRequest(srv.url, uploadHead(srv.url, agent2.cookie, app.body.id, 'iki.png', twin.length));
        await Promise.all([a.continued, b.continued]); // both requests are open in the server
        a.sock.write(twin.subarray(0, twin.length - 1));
        b.sock.write(twin.subarray(0, twin.length - 1));
        a.sock.write(twin.subarray(twin.length - 1)); // the last byte of each, back to back
        b.sock.write(twin.subarray(twin.length - 1));
        const [ra, rb] = await Promise.all([a.response, b.response]);
        assert.equal(ra.status, 201, JSON.stringify(ra.body));
        assert.equal(rb.status, 201, JSON.stringify(rb.body));
        assert.equal(ra.body.sha256, sha256(twin));
        assert.equal(rb.body.sha256, sha256(twin));
        assert.notEqual(ra.body.id, rb.body.id, 'each upload is its own attachment');
        assert.deepEqual([ra.body.filename, rb.body.filename], ['bir.png', 'iki.png']);

        assert.equal(sqlite(srv.db, `SELECT count(*) FROM blobs WHERE hash = '${sha256(twin)}'`), '1', 'the bytes are stored once');
        assert.equal(sqlite(srv.db, `SELECT size FROM blobs WHERE hash = '${sha256(twin)}'`), String(twin.length));
        assert.equal(sqlite(srv.db, `SELECT count(*) FROM attachments WHERE app_id = ${app.body.id} AND hash = '${sha256(twin)}'`), '2');
        const full = await agent.get(`/api/v1/applications/${app.body.id}`);
        assert.deepEqual(full.body.attachments.map((x) => [x.id, x.filename, x.size]).sort((x, y) => x[0] - y[0]),
            [[ra.body.id, 'bir.png', twin.length], [rb.body.id, 'iki.png', twin.length]].sort((x, y) => x[0] - y[0]));
        for (const id of [ra.body.id, rb.body.id]) {
            const f = await agent.get(`/api/v1/applications/${app.body.id}/attachments/${id}`);
            assert.ok(f.bytes.equals(twin), `attachment ${id} reads back whole`);
        }
        assert.doesNotMatch(srv.stderr(), /status=500/);
    });

    it('finishes the half-sent upload (201), never answers a new connection, exits 0, keeps the file', async () => {
        const half = Math.floor(png.length / 2);
        const up = rawRequest(srv.url, uploadHead(srv.url, agent.cookie, appId, 'x.png', png.length));
        await up.continued;                    // the server has started this request
        up.sock.write(png.subarray(0, half));

        const mark = srv.logMark();
        srv.proc.kill('SIGTERM');
        await waitForLog(srv, /msg="shutting down" signal=15/, { since: mark });

        // a connection opened now: the kernel still completes the handshake (the listening
        // socket stays open while the server drains), but the server closes it unread
        const late = rawRequest(srv.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        await late.connected;

        up.sock.write(png.subarray(half));
        const r = await up.response;
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.filename, 'x.png');
        assert.equal(r.body.mime, 'image/png');
        assert.equal(r.body.size, png.length);
        assert.equal(r.body.sha256, sha256(png));

        const exit = await srv.exited;
        assert.deepEqual(exit, { code: 0, signal: null }, srv.stderr().slice(-3000));
        assert.match(srv.stderr(), /msg="stopped"/);
        const lateEnd = await late.closed;
        assert.equal(lateEnd.bytes.length, 0, `the late connection got an answer: ${lateEnd.bytes.toString()}`);
        // closed at once by the server (reset when the request had arrived before the close)
        assert.ok(lateEnd.error === 'ECONNRESET' || lateEnd.error === null, `the late connection ended: ${lateEnd.error}`);
        assert.doesNotMatch(srv.stderr(), /path=\/healthz/, 'the late request was never handled');

        await srv.restart();
        const again = await login(srv.url, 'agent');
        const app = await again.get(`/api/v1/applications/${appId}`);
        assert.equal(app.status, 200);
        assert.equal(app.body.attachments.length, 1, JSON.stringify(app.body.attachments));
        const att = app.body.attachments[0];
        assert.deepEqual({ id: att.id, filename: att.filename, size: att.size, sha256: att.sha256 },
            { id: r.body.id, filename: 'x.png', size: png.length, sha256: sha256(png) });
        const file = await again.get(`/api/v1/applications/${appId}/attachments/${att.id}`);
        assert.equal(file.status, 200);
        assert.equal(file.headers.get('content-type'), 'image/png');
        assert.ok(file.bytes.equals(png), 'the stored file is the uploaded bytes');
        assert.ok(app.body.history.some((e) => e.action === 'attach' && e.note === 'x.png'), JSON.stringify(app.body.history));
    });
});
