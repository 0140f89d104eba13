// t45: a real Open311 client against the running server (issue 16): the npm package open311
// 0.0.12 (codeforamerica/node-open311, the Code for America client of GeoReport v2), unchanged.
// Its two XML parsing dependencies cannot be installed any more (sparkxml is a git:// URL that
// GitHub no longer serves; xml2json 0.2.4 is a native module that does not build on current
// Node), so package.json's overrides replace them with the small stand-ins in
// tests/lib/open311-shims (same functions, same output shapes); everything else — the URLs it
// builds, the form it posts, the query strings, the status handling — is the client's own.
// Time is pinned (ALO153_NOW).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, cli, REPO, TRACKING_RE } from '../lib/server.mjs';

const require = createRequire(`${REPO}/package.json`);
const Open311 = require('open311');
const NOW = '2026-03-10T09:00:00Z';

/* the client's callbacks as promises: resolves with the data, rejects with [err, message] */
const call = (fn, ...args) => new Promise((resolve, reject) =>
    fn(...args, (err, data) => (err ? reject(Object.assign(new Error(String(data)), { code: err })) : resolve(data))));

describe('t45 Open311 client (npm open311 0.0.12)', { timeout: 60000 }, () => {
    let srv, key, json, xml;
    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW, ALO153_THREADS: '4' } });
        key = (await cli(['token', 'add', 'node-open311', '--open311', '--db', srv.db])).trim();
        json = new Open311({ endpoint: `${srv.url}/open311/v2/`, format: 'json', apiKey: key });
        xml = new Open311({ endpoint: `${srv.url}/open311/v2/`, format: 'xml', apiKey: key });
    });
    after(async () => { if (srv) await srv.stop(); });

    it('serviceDiscovery (XML and JSON) finds the GeoReport v2 production endpoint and uses it', async () => {
        for (const f of ['xml', 'json']) {
            const c = new Open311({ discovery: `${srv.url}/open311/discovery.${f}`, apiKey: key });
            const d = await call(c.serviceDiscovery.bind(c), { cache: true });
            assert.equal(c.endpoint, `${srv.url}/open311/v2/`, JSON.stringify(d));
            const services = await call(c.serviceList.bind(c));
            assert.ok(services.some((s) => s.service_code === 'FEN_YOL_CUKUR'));
        }
    });

    it('serviceList and serviceDefinition in both formats', async () => {
        const [sj, sx] = [await call(json.serviceList.bind(json)), await call(xml.serviceList.bind(xml))];
        assert.ok(sj.length >= 50);
        assert.deepEqual(sx.map((s) => s.service_code), sj.map((s) => s.service_code));
        const bus = sx.find((s) => s.service_code === 'ULA_OTOBUS_SURUCU');
        assert.equal(bus.metadata, 'true');
        assert.equal(bus.service_name, 'Otobüs şoförü şikâyeti');
        const dj = await call(json.serviceDefinition.bind(json), 'ULA_OTOBUS_SURUCU');
        assert.equal(dj.attributes[0].code, 'plate');
        const dx = await call(xml.serviceDefinition.bind(xml), 'ULA_OTOBUS_SURUCU');
        assert.equal(dx.attributes[0].code, 'plate');
        assert.deepEqual(dx.attributes[1].values.map((v) => v.key), dj.attributes[1].values.map((v) => v.key));
        await assert.rejects(call(json.serviceDefinition.bind(json), 'NOPE'));
    });

    let id, token;
    it('submitRequest with attributes (JSON), then serviceRequest and token find it', async () => {
        const r = await call(json.submitRequest.bind(json), {
            service_code: 'ULA_OTOBUS_SURUCU', lat: 38.7205, long: 35.4826, description: 'Şoför durakta durmadı',
            email: 'yolcu@example.com', attributes: { plate: '38 ABC 153', issue: 'skipped_stop' },
        });
        assert.equal(r.length, 1);
        ({ service_request_id: id, token } = r[0]);
        assert.match(id, TRACKING_RE);
        assert.match(r[0].service_notice, /iş günü/);
        const got = await call(json.serviceRequests.bind(json), id);
        assert.equal(got[0].service_request_id, id);
        assert.equal(got[0].status, 'open');
        assert.ok(got[0].requested_datetime instanceof Date);
        assert.equal(got[0].requested_datetime.toISOString(), '2026-03-10T09:00:00.000Z');
        assert.match(got[0].description, /Plaka|plakası: 38 ABC 153/);
        assert.ok(!JSON.stringify(got).includes('yolcu@example.com'));
        const t = await call(json.token.bind(json), token);
        assert.equal(t[0].service_request_id, id);
        const tx = await call(xml.token.bind(xml), token);
        assert.equal(tx[0].service_request_id, id);
    });

    it('submitRequest in XML (read with xml2json), and the lists by status and by ids', async () => {
        const r = await call(xml.submitRequest.bind(xml), { service_code: 'FEN_YOL_CUKUR', address_string: 'Talas Cd. 12', description: 'Yolda çukur' });
        const id2 = r[0].service_request_id;
        assert.match(id2, TRACKING_RE);
        const open = await call(xml.serviceRequests.bind(xml), { status: 'open' });
        assert.deepEqual(open.map((q) => q.service_request_id).sort(), [id, id2].sort());
        const both = await call(json.serviceRequests.bind(json), [id, id2]);
        assert.deepEqual(both.map((q) => q.service_request_id), [id, id2]);
        const one = await call(xml.serviceRequests.bind(xml), id2);
        assert.equal(one[0].address, 'Talas Cd. 12');
        const closed = await call(json.serviceRequests.bind(json), { status: 'closed' });
        assert.deepEqual(closed, []);
    });

    it('the client sees the spec\'s errors: a bad key is refused (403), a missing attribute (400)', async () => {
        const bad = new Open311({ endpoint: `${srv.url}/open311/v2/`, format: 'json', apiKey: 'x'.repeat(64) });
        await assert.rejects(call(bad.submitRequest.bind(bad), { service_code: 'FEN_YOL_CUKUR', lat: 1, long: 1 }),
            (e) => e.code === 403 && /api_key/.test(e.message));
        await assert.rejects(call(json.submitRequest.bind(json), { service_code: 'ULA_OTOBUS_SURUCU', lat: 1, long: 1 }),
            (e) => e.code === 400 && /attribute\[plate\]/.test(e.message));
    });
});
