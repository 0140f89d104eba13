// t9: limits and bad input — every refusal is a clear 4xx and changes nothing; attachments.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, login, client, assertError, countApps, sqlite, rawRequest, REPO } from '../lib/server.mjs';

const MiB = 1024 * 1024;
// a real 1×1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

describe('t9 limits and bad input', { timeout: 60000 }, () => {
    let srv, admin, agent, fen, zabita;
    let fenApp, zabApp, plainApp;

    before(async () => {
        srv = await startServer();
        [admin, agent, fen, zabita] = await Promise.all(['admin', 'agent', 'fen', 'zabita'].map((u) => login(srv.url, u)));
        const mk = async (body) => {
            const r = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Ek dosya için başvuru', ...body });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            return r.body;
        };
        fenApp = await mk({ category: 'FEN_YOL_CUKUR', route: true });
        zabApp = await mk({ category: 'ZAB_SEYYAR', route: true });
        plainApp = await mk({});
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    /** Run fn, then check that no application, event, citizen, attachment or file was stored. */
    async function unchanged(fn) {
        const counts = () => sqlite(srv.db, ['applications', 'events', 'citizens', 'attachments', 'blobs']
            .map((t) => `SELECT '${t}', count(*) FROM ${t};`).join(' '));
        const apps = await countApps(admin);
        const before = counts();
        await fn();
        assert.equal(await countApps(admin), apps, 'no application was listed');
        assert.equal(counts(), before, 'nothing was stored (rows per table)');
    }
    const rawPost = (p, body, type = 'application/json', who = agent) =>
        who.raw(p, { method: 'POST', headers: { 'content-type': type }, body });
    const create = (body) => agent.post('/api/v1/applications', body);
    const ok = { channel: 'phone_153', text: 'Geçerli bir başvuru metni' };

    it('a body over 1 MiB → 413', async () => {
        await unchanged(async () => {
            const big = JSON.stringify({ ...ok, address: 'x'.repeat(MiB + 10) });
            assertError(await rawPost('/api/v1/applications', big), 413, 'too_large');
            const exact = JSON.stringify({ channel: 'phone_153', text: 'y' });
            const padded = exact.slice(0, -1) + ' '.repeat(MiB - exact.length) + '}';
            assert.equal(Buffer.byteLength(padded), MiB);
            assertError(await rawPost('/api/v1/applications', padded), 400, undefined, 'text'); // exactly 1 MiB is read
            const over = exact.slice(0, -1) + ' '.repeat(MiB - exact.length + 1) + '}';
            assertError(await rawPost('/api/v1/applications', over), 413, 'too_large');
        });
    });

    it('a chunked body over 1 MiB (no Content-Length) → 413', async () => {
        await unchanged(async () => {
            const chunk = Buffer.alloc(64 * 1024, 0x20);
            let sent = 0;
            const stream = new ReadableStream({
                start(c) { c.enqueue(Buffer.from('{"channel":"phone_153","text":"abc","address":"')); },
                pull(c) {
                    if (sent > MiB + 128 * 1024) { c.enqueue(Buffer.from('"}')); c.close(); return; }
                    c.enqueue(chunk);
                    sent += chunk.length;
                },
            });
            const r = await agent.raw('/api/v1/applications', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
            assertError(r, 413, 'too_large');
        });
    });

    it('a request target over 4096 bytes → 414 (http.h url_max)', async () => {
        const target = (n) => '/api/v1/meta?x=' + 'a'.repeat(n - '/api/v1/meta?x='.length);
        const fine = await agent.get(target(4000));
        assert.equal(fine.status, 200, 'a 4000-byte target is fine');
        assert.equal(fine.body.province, '38');
        for (const n of [4097, 6000, 30000]) {
            const r = await agent.get(target(n));
            assertError(r, 414, 'uri_too_long');
        }
        await unchanged(async () => {
            const r = await agent.raw(`/api/v1/applications?pad=${'p'.repeat(5000)}`, {
                method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ok),
            });
            assertError(r, 414, 'uri_too_long');
        });
    });

    /* fetch and curl normalise "..", so the request line goes out as written, on a raw socket */
    const rawGet = (target) => rawRequest(srv.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`).response;

    it('static files: ".." never leaves the web folder', async () => {
        const page = await rawGet('/index.html');
        assert.equal(page.status, 200, 'the console itself is served');
        assert.match(page.body, /<html/i);
        for (const t of ['/../README.md', '/vendor/../../README.md', '/..%2fREADME.md', '/%2e%2e/README.md',
            '/../src/main.c', '/./../Makefile']) {
            const r = await rawGet(t);
            assert.equal(r.status, 404, `${t}: ${JSON.stringify(r.body).slice(0, 200)}`);
            assert.doesNotMatch(JSON.stringify(r.body), /alo153|#include|\$\(CC\)/, `${t} leaked a file outside web/`);
            assert.equal(r.body.error.code, 'not_found', t);
        }
    });

    it('invalid JSON → 400 invalid_json', async () => {
        await unchanged(async () => {
            for (const b of ['{', '{"channel":"phone_153",}', 'not json', '{"text":"a" "b"}', '{"channel":"desk","text":"aaa"}garbage']) {
                assertError(await rawPost('/api/v1/applications', b), 400, 'invalid_json');
            }
        });
    });

    it('duplicate keys are refused', async () => {
        await unchanged(async () => {
            assertError(await rawPost('/api/v1/applications', '{"channel":"desk","text":"birinci metin","text":"ikinci metin"}'), 400, 'invalid_json');
        });
    });

    it('JSON that is not an object → 400', async () => {
        await unchanged(async () => {
            for (const b of ['[]', '[{"channel":"desk","text":"abc"}]', '"text"', '42', 'null', 'true']) {
                assertError(await rawPost('/api/v1/applications', b), 400, 'invalid_json');
            }
        });
    });

    it('a body that is not valid UTF-8 → 400 invalid_json', async () => {
        await unchanged(async () => {
            const bytes = Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
            assertError(await rawPost('/api/v1/applications', bytes), 400, 'invalid_json');
            const full = Buffer.concat([Buffer.from('{"channel":"desk","text":"Bozuk '), Buffer.from([0xc3, 0x28]), Buffer.from(' metin"}')]);
            assertError(await rawPost('/api/v1/applications', full), 400, 'invalid_json');
            const overlong = Buffer.concat([Buffer.from('{"channel":"desk","text":"abc'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
            assertError(await rawPost('/api/v1/applications', overlong), 400, 'invalid_json');
        });
    });

    it('an escaped NUL or lone surrogate in a string → 400 invalid_json', async () => {
        await unchanged(async () => {
            assertError(await rawPost('/api/v1/applications', '{"channel":"desk","text":"abc\\u0000def"}'), 400, 'invalid_json');
            assertError(await rawPost('/api/v1/applications', '{"channel":"desk","text":"abc\\ud800def"}'), 400, 'invalid_json');
        });
    });

    it('an unknown field → 400 unknown_field naming it', async () => {
        await unchanged(async () => {
            assertError(await create({ ...ok, colour: 'red' }), 400, 'unknown_field', 'colour');
            assertError(await create({ ...ok, status: 'closed' }), 400, 'unknown_field', 'status');
            assertError(await create({ ...ok, department: 'FEN' }), 400, 'unknown_field', 'department');
        });
    });

    it('a wrong type → 400 invalid_type naming the field', async () => {
        await unchanged(async () => {
            assertError(await create({ channel: 'phone_153', text: 5 }), 400, 'invalid_type', 'text');
            assertError(await create({ channel: 7, text: 'Geçerli metin' }), 400, 'invalid_type', 'channel');
            assertError(await create({ ...ok, district_id: '8' }), 400, 'invalid_type', 'district_id');
            assertError(await create({ ...ok, district_id: 8.5 }), 400, 'invalid_type', 'district_id');
            assertError(await create({ ...ok, lat: '38.7', lon: 35.5 }), 400, 'invalid_type', 'lat');
            assertError(await create({ ...ok, route: 'yes' }), 400, 'invalid_type', 'route');
            assertError(await create({ ...ok, text: ['a'] }), 400, 'invalid_type', 'text');
            assertError(await create({ ...ok, citizen_id: -1 }), 400, 'invalid_field', 'citizen_id');
        });
    });

    it('text over 8000 bytes → 400 too_long; 8000 bytes is fine', async () => {
        await unchanged(async () => {
            assertError(await create({ channel: 'phone_153', text: 'a'.repeat(8001) }), 400, 'too_long', 'text');
            // 4001 two-byte letters = 8002 bytes but only 4001 characters: the limit is bytes
            assertError(await create({ channel: 'phone_153', text: 'ş'.repeat(4001) }), 400, 'too_long', 'text');
            assertError(await create({ ...ok, address: 'a'.repeat(501) }), 400, 'too_long', 'address');
        });
        const r = await create({ channel: 'phone_153', text: 'ç'.repeat(4000) });
        assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 300));
        assert.equal(r.body.text, 'ç'.repeat(4000));
    });

    it('missing, empty or too short text → 400', async () => {
        await unchanged(async () => {
            assertError(await create({ channel: 'phone_153' }), 400, 'missing_field', 'text');
            assertError(await create({ channel: 'phone_153', text: '' }), 400, undefined, 'text');
            assertError(await create({ channel: 'phone_153', text: '     ' }), 400, undefined, 'text');
            assertError(await create({ channel: 'phone_153', text: 'ab' }), 400, undefined, 'text');
        });
    });

    it('missing or unknown channel → 400 field channel', async () => {
        await unchanged(async () => {
            assertError(await create({ text: 'Kanalsız başvuru' }), 400, 'missing_field', 'channel');
            assertError(await create({ text: 'Kanalsız başvuru', channel: null }), 400, 'missing_field', 'channel');
            assertError(await create({ text: 'Bilinmeyen kanal', channel: 'fax' }), 400, undefined, 'channel');
            assertError(await create({ text: 'Bilinmeyen kanal', channel: 'PHONE_153' }), 400, undefined, 'channel');
            assertError(await create({ text: 'Bilinmeyen kanal', channel: '' }), 400, undefined, 'channel');
        });
    });

    it('unknown category → 422 field category', async () => {
        await unchanged(async () => {
            assertError(await create({ ...ok, category: 'NOPE_NOPE' }), 422, undefined, 'category');
            assertError(await create({ ...ok, category: 'fen_yol_cukur' }), 422, undefined, 'category');
            assertError(await create({ ...ok, category: 'NOPE_NOPE', route: true }), 422, undefined, 'category');
        });
    });

    it('unknown district → 422; neighbourhood not in the district → 422', async () => {
        const ds = (await agent.get('/api/v1/districts')).body.items;
        const melikgazi = ds.find((d) => d.name === 'Melikgazi');
        const talas = ds.find((d) => d.name === 'Talas');
        const nbTalas = (await agent.get(`/api/v1/districts/${talas.id}/neighbourhoods`)).body.items[0];
        await unchanged(async () => {
            assertError(await create({ ...ok, district_id: 99999 }), 422, undefined, 'district_id');
            assertError(await create({ ...ok, neighbourhood_id: 9999999 }), 422, undefined, 'neighbourhood_id');
            assertError(await create({ ...ok, district_id: melikgazi.id, neighbourhood_id: nbTalas.id }), 422, undefined, 'neighbourhood_id');
        });
    });

    it('lat without lon (or the reverse) → 400; out-of-range coordinates → 400', async () => {
        await unchanged(async () => {
            assertError(await create({ ...ok, lat: 38.7 }), 400, undefined, 'lon');
            assertError(await create({ ...ok, lon: 35.5 }), 400, undefined, 'lat');
            assertError(await create({ ...ok, lat: 91, lon: 35.5 }), 400, 'invalid_field', 'lat');
            assertError(await create({ ...ok, lat: 38.7, lon: -181 }), 400, 'invalid_field', 'lon');
        });
    });

    it('a wrong Content-Type → 415', async () => {
        await unchanged(async () => {
            const body = JSON.stringify(ok);
            assertError(await rawPost('/api/v1/applications', body, 'text/plain'), 415, 'unsupported_media_type');
            assertError(await rawPost('/api/v1/applications', body, 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
            assertError(await rawPost('/api/v1/applications', body, 'multipart/form-data; boundary=x'), 415, 'unsupported_media_type');
            const none = await agent.raw('/api/v1/applications', { method: 'POST', body: Buffer.from(body) });
            assertError(none, 415, 'unsupported_media_type');
        });
        const withCharset = await rawPost('/api/v1/applications', JSON.stringify(ok), 'application/json; charset=utf-8');
        assert.equal(withCharset.status, 201, JSON.stringify(withCharset.body));
        assert.deepEqual([withCharset.body.channel, withCharset.body.text], [ok.channel, ok.text]);
    });

    it('an empty body is an empty object: missing channel → 400', async () => {
        await unchanged(async () => {
            assertError(await agent.raw('/api/v1/applications', { method: 'POST' }), 400, 'missing_field', 'channel');
        });
    });

    it('bad input on lifecycle actions changes nothing either', async () => {
        await unchanged(async () => {
            assertError(await rawPost(`/api/v1/applications/${plainApp.id}/note`, '{"note":'), 400, 'invalid_json');
            assertError(await rawPost(`/api/v1/applications/${plainApp.id}/note`, '{"note":"x"}', 'text/plain'), 415, 'unsupported_media_type');
            assertError(await agent.post(`/api/v1/applications/${plainApp.id}/note`, { note: 'n'.repeat(4001) }), 400, 'too_long', 'note');
            assertError(await agent.post(`/api/v1/applications/${plainApp.id}/route`, { category: 'NOPE_NOPE' }), 422, undefined, 'category');
        });
    });

    describe('attachments', () => {
        let first;
        const upload = (id, body, { filename = 'x.png', type = 'image/png', who = agent } = {}) =>
            who.raw(`/api/v1/applications/${id}/attachments?filename=${encodeURIComponent(filename)}`, {
                method: 'POST', headers: { 'content-type': type }, body,
            });

        it('a small PNG → 201 with its sha256', async () => {
            const r = await upload(fenApp.id, PNG);
            assert.equal(r.status, 201, JSON.stringify(r.body));
            assert.equal(r.body.sha256, sha256(PNG));
            assert.equal(r.body.size, PNG.length);
            assert.equal(r.body.mime, 'image/png');
            assert.equal(r.body.filename, 'x.png');
            assert.equal(typeof r.body.id, 'number');
            first = r.body;
            const a = await agent.get(`/api/v1/applications/${fenApp.id}`);
            assert.equal(a.body.attachments.length, 1);
            assert.deepEqual(
                { id: a.body.attachments[0].id, sha256: a.body.attachments[0].sha256, size: a.body.attachments[0].size, mime: a.body.attachments[0].mime },
                { id: first.id, sha256: first.sha256, size: PNG.length, mime: 'image/png' });
            assert.ok(a.body.history.some((e) => e.action === 'attach'), JSON.stringify(a.body.history));
        });

        it('GET …/attachments/{aid} returns the same bytes', async () => {
            const r = await agent.get(`/api/v1/applications/${fenApp.id}/attachments/${first.id}`);
            assert.equal(r.status, 200);
            assert.equal(r.headers.get('content-type'), 'image/png');
            assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
            assert.ok(r.bytes.equals(PNG), `got ${r.bytes.length} bytes`);
            const f = await fen.get(`/api/v1/applications/${fenApp.id}/attachments/${first.id}`);
            assert.equal(f.status, 200, 'FEN staff can read files of FEN applications');
            assert.ok(f.bytes.equals(PNG));
        });

        it('the same bytes on another application are stored once (same sha256)', async () => {
            const r = await upload(plainApp.id, PNG, { filename: 'ayni.png' });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            assert.equal(r.body.sha256, first.sha256);
            assert.notEqual(r.body.id, first.id);
            assert.equal(sqlite(srv.db, `SELECT count(*) FROM blobs WHERE hash = '${first.sha256}'`), '1');
            assert.equal(sqlite(srv.db, `SELECT count(*) FROM attachments WHERE hash = '${first.sha256}'`), '2');
            const g = await agent.get(`/api/v1/applications/${plainApp.id}/attachments/${r.body.id}`);
            assert.ok(g.bytes.equals(PNG));
        });

        it('the type comes from the bytes: a text file → 415, or 422 not_an_image when it claims to be a photo', async () => {
            await unchanged(async () => {
                const blobs = sqlite(srv.db, 'SELECT count(*) FROM blobs');
                assertError(await upload(fenApp.id, Buffer.from('merhaba dünya\n'), { filename: 'x.txt', type: 'text/plain' }), 415, 'unsupported_media_type', 'file');
                assertError(await upload(fenApp.id, Buffer.from('merhaba dünya\n'), { filename: 'x.png', type: 'image/png' }), 422, 'not_an_image', 'file');
                assertError(await upload(fenApp.id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), { filename: 'x.svg', type: 'image/svg+xml' }), 415, 'unsupported_media_type', 'file');
                assertError(await upload(fenApp.id, Buffer.alloc(0), { filename: 'x.bin', type: 'application/octet-stream' }), 415, 'unsupported_media_type', 'file');
                assertError(await upload(fenApp.id, Buffer.alloc(0)), 422, 'not_an_image', 'file');
                // a PNG signature cut short is not a PNG
                assertError(await upload(fenApp.id, PNG.subarray(0, 7)), 422, 'not_an_image', 'file');
                assert.equal(sqlite(srv.db, 'SELECT count(*) FROM blobs'), blobs);
            });
        });

        it('JPEG and PDF are accepted too', async () => {
            const jpeg = fs.readFileSync(path.join(REPO, 'tests/unit/fixtures/photo/noexif.jpg'));
            const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
            const j = await upload(plainApp.id, jpeg, { filename: 'foto.jpg', type: 'image/jpeg' });
            assert.equal(j.status, 201, JSON.stringify(j.body));
            assert.equal(j.body.mime, 'image/jpeg');
            const p = await upload(plainApp.id, pdf, { filename: 'dilekçe.pdf', type: 'application/pdf' });
            assert.equal(p.status, 201, JSON.stringify(p.body));
            assert.equal(p.body.mime, 'application/pdf');
            assert.equal(p.body.filename, 'dilekçe.pdf');
            const g = await agent.get(`/api/v1/applications/${plainApp.id}/attachments/${p.body.id}`);
            assert.equal(g.headers.get('content-type'), 'application/pdf');
            assert.ok(g.bytes.equals(pdf));
        });

        it('a file over 10 MiB → 413; exactly 10 MiB is accepted', async () => {
            const big = Buffer.alloc(10 * MiB + 1, 0);
            PNG.copy(big, 0); // a real header: the rest is padding after the image
            await unchanged(async () => {
                assertError(await upload(zabApp.id, big, { who: admin }), 413, 'too_large');
            });
            const exact = big.subarray(0, 10 * MiB);
            const r = await upload(zabApp.id, exact, { who: admin, filename: 'tam.png' });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            assert.equal(r.body.size, 10 * MiB);
            assert.equal(r.body.sha256, sha256(exact));
        });

        it('file names cannot carry paths', async () => {
            const r = await upload(plainApp.id, PNG, { filename: '../../etc/passwd.png' });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            assert.equal(r.body.filename, '.._.._etc_passwd.png', 'slashes become underscores');
            const r2 = await upload(plainApp.id, PNG, { filename: 'a\\b\u0001.png' });
            assert.equal(r2.status, 201);
            assert.equal(r2.body.filename, 'a_b_.png', 'backslashes and control characters become underscores');
            assert.equal(sqlite(srv.db, `SELECT filename FROM attachments WHERE id = ${Number(r.body.id)}`), '.._.._etc_passwd.png', 'stored as shown');
        });

        it('unknown attachments and other applications\' attachments are 404', async () => {
            assertError(await agent.get(`/api/v1/applications/${fenApp.id}/attachments/9999999`), 404, 'not_found');
            const other = await agent.get(`/api/v1/applications/${zabApp.id}/attachments/${first.id}`);
            assertError(other, 404, 'not_found');
            assert.ok(!other.bytes.includes(PNG.subarray(0, 8)), 'no bytes of the file');
            assertError(await agent.get(`/api/v1/applications/${fenApp.id}/attachments/abc`), 404, 'not_found');
            await unchanged(async () => assertError(await upload(9999999, PNG), 404, 'not_found'));
        });

        it('role isolation holds for files', async () => {
            await unchanged(async () => {
                assertError(await upload(fenApp.id, PNG, { who: zabita }), 404, 'not_found');
                const z = await zabita.get(`/api/v1/applications/${fenApp.id}/attachments/${first.id}`);
                assertError(z, 404, 'not_found');
                assert.ok(!z.bytes.includes(PNG.subarray(0, 8)), 'no bytes of the file');
                assertError(await upload(fenApp.id, PNG, { who: client(srv.url) }), 401, 'unauthorized');
                assertError(await client(srv.url).get(`/api/v1/applications/${fenApp.id}/attachments/${first.id}`), 401, 'unauthorized');
            });
            const r = await upload(fenApp.id, PNG, { who: fen, filename: 'saha.png' });
            assert.equal(r.status, 201, 'FEN staff may attach to FEN applications');
            const list = (await agent.get(`/api/v1/applications/${fenApp.id}`)).body.attachments;
            assert.deepEqual(list.map((x) => x.filename), ['x.png', 'saha.png']);
        });

        it('at most 20 files per application', async () => {
            const a = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Çok dosyalı başvuru' });
            for (let i = 0; i < 20; i++) {
                const r = await upload(a.body.id, PNG, { filename: `f${i}.png` });
                assert.equal(r.status, 201, `file ${i}: ${JSON.stringify(r.body)}`);
            }
            await unchanged(async () => assertError(await upload(a.body.id, PNG, { filename: 'f20.png' }), 409, 'conflict', 'file'));
            const files = (await agent.get(`/api/v1/applications/${a.body.id}`)).body.attachments;
            assert.deepEqual(files.map((x) => x.filename), Array.from({ length: 20 }, (_, i) => `f${i}.png`));
        });
    });
});
