// t44: Open311 GeoReport v2 at /open311/v2 (issue 16), checked against the spec's text
// (http://wiki.open311.org/GeoReport_v2; the quotes below are from it): discovery, services,
// service definitions with attributes, POST requests (form-encoded, api_key), GET requests
// with its filters and defaults, requests/{id}, tokens/{id}; XML (required) and JSON; the
// spec's errors; no personal data in GET answers; bad input on every parameter changes
// nothing. Time is pinned (ALO153_NOW).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, cli, sqlite, TRACKING_RE } from '../lib/server.mjs';

const NOW = '2026-03-10T09:00:00Z';
const T0 = Date.parse(NOW) / 1000;
const DAY = 86400;

/* the texts of every <name>…</name> (or <name/>) of an XML document, entities decoded */
function tags(xml, name) {
    const re = new RegExp(`<${name}>([^<]*)</${name}>|<${name}/>`, 'g');
    return [...xml.matchAll(re)].map((m) => (m[1] ?? '')
        .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
        .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(+d)).replace(/&amp;/g, '&'));
}
const XML_DECL = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n?</;

describe('t44 Open311 GeoReport v2', { timeout: 120000 }, () => {
    let srv, o311, key, key2, admin, agent, fen;
    /* POST requests.{fmt} form-encoded (URLSearchParams; the pairs in order) */
    const post = (fields, fmt = 'json', extra = {}) => o311.raw(`/open311/v2/requests.${fmt}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra },
        body: new URLSearchParams(fields).toString(),
    });
    const good = (more = []) => [['api_key', key], ['service_code', 'FEN_YOL_CUKUR'], ['lat', '38.7205'], ['long', '35.4826'],
        ['description', 'Cumhuriyet Meydanı yanında derin bir çukur var'], ...more];
    const requestsCount = () => Number(sqlite(srv.db, 'SELECT count(*) FROM open311_requests'));
    const appsCount = () => Number(sqlite(srv.db, 'SELECT count(*) FROM applications'));

    /* "a list of errors, each with a code and a description" in the requested format */
    function assertO311Error(r, status, fmt = 'json') {
        const show = `${r.status} ${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`;
        assert.equal(r.status, status, show);
        if (fmt === 'json') {
            assert.match(r.headers.get('content-type'), /^application\/json/, show);
            assert.ok(Array.isArray(r.body) && r.body.length >= 1, show);
            assert.equal(r.body[0].code, status, show);
            assert.equal(typeof r.body[0].description, 'string', show);
            assert.ok(r.body[0].description.length > 3, show);
        } else {
            assert.match(r.headers.get('content-type'), /^text\/xml/, show);
            assert.match(r.body, XML_DECL, show);
            assert.match(r.body, /<errors><error><code>\d+<\/code><description>[^<]+<\/description><\/error><\/errors>/, show);
            assert.deepEqual(tags(r.body, 'code'), [String(status)], show);
        }
    }

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW, ALO153_OPEN311_RATE: '100', ALO153_THREADS: '4' } });
        key = (await cli(['token', 'add', 'fixmystreet-test', '--open311', '--db', srv.db])).trim();
        key2 = (await cli(['token', 'add', 'rate-test', '--open311', '--db', srv.db])).trim();
        assert.match(key, /^[0-9a-f]{64}$/);
        o311 = client(srv.url);
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        fen = await login(srv.url, 'fen');
    });
    after(async () => { if (srv) await srv.stop(); });

    it('token add --open311: a key per client name, shown once; a second one of that name is refused', async () => {
        await assert.rejects(cli(['token', 'add', 'fixmystreet-test', '--open311', '--db', srv.db]), /exists/);
        await assert.rejects(cli(['token', 'add', 'bad name!', '--open311', '--db', srv.db]), /name/);
        /* only the hash is kept */
        assert.equal(sqlite(srv.db, `SELECT count(*) FROM open311_keys WHERE key_hash = '${key}'`), '0');
        /* an Open311 key is no bearer token of /api/v1 */
        assert.equal((await client(srv.url, { bearer: key }).get('/api/v1/me')).status, 401);
    });

    it('discovery: "XML is a required format"; the root is preceded by the XML declaration with encoding UTF-8', async () => {
        for (const p of ['/open311/v2/discovery.xml', '/open311/discovery.xml']) {
            const r = await o311.get(p);
            assert.equal(r.status, 200, p);
            assert.match(r.headers.get('content-type'), /^text\/xml; charset=utf-8/i);
            assert.match(r.body, XML_DECL);
            assert.match(r.body, /<discovery>.*<endpoints><endpoint>.*<\/endpoint><\/endpoints><\/discovery>\n?$/s);
            assert.deepEqual(tags(r.body, 'specification'), ['http://wiki.open311.org/GeoReport_v2']);
            assert.deepEqual(tags(r.body, 'format'), ['text/xml', 'application/json']);
        }
        const j = await o311.get('/open311/v2/discovery.json');
        assert.match(j.headers.get('content-type'), /^application\/json/);
        assert.equal(j.body.endpoints[0].type, 'production');
        assert.ok(j.body.endpoints[0].url.endsWith('/open311/v2/'), j.body.endpoints[0].url);
        assert.deepEqual(j.body.endpoints[0].formats, ['text/xml', 'application/json']);
    });

    it('GET services: active categories with their group (department), keywords, metadata and type', async () => {
        const j = await o311.get('/open311/v2/services.json');
        assert.equal(j.status, 200);
        assert.ok(j.body.length >= 50, `${j.body.length} services`);
        const bus = j.body.find((s) => s.service_code === 'ULA_OTOBUS_SURUCU');
        assert.equal(bus.service_name, 'Otobüs şoförü şikâyeti');
        assert.equal(bus.metadata, true, 'it has attributes: "metadata: true if there are additional client-side questions"');
        assert.equal(bus.type, 'realtime');
        assert.match(bus.group, /Ulaşım/);
        assert.equal(typeof bus.keywords, 'string');
        const pothole = j.body.find((s) => s.service_code === 'FEN_YOL_CUKUR');
        assert.equal(pothole.metadata, false);
        /* categories of other institutions (DIS, redirects) are no service of the municipality */
        assert.ok(!j.body.some((s) => /^DIS/.test(s.service_code)), 'no DIS service');
        const x = await o311.get('/open311/v2/services.xml');
        assert.match(x.body, XML_DECL);
        assert.match(x.body, /^[^]*<services><service><service_code>/);
        assert.deepEqual(tags(x.body, 'service_code'), j.body.map((s) => s.service_code), 'the same services in both formats');
        assert.equal(tags(x.body, 'metadata')[j.body.indexOf(bus)], 'true');
    });

    it('GET service definition: attributes with variable, code, datatype, required, order, description and values', async () => {
        const j = await o311.get('/open311/v2/services/ULA_OTOBUS_SURUCU.json');
        assert.equal(j.status, 200, JSON.stringify(j.body));
        assert.equal(j.body.service_code, 'ULA_OTOBUS_SURUCU');
        const [plate, issue] = j.body.attributes;
        assert.deepEqual({ ...plate, datatype_description: undefined }, { variable: true, code: 'plate', datatype: 'string', required: true, order: 1, description: 'Otobüsün plakası', datatype_description: undefined });
        assert.equal(issue.datatype, 'singlevaluelist');
        assert.equal(issue.order, 2);
        assert.deepEqual(issue.values[0], { key: 'rude', name: 'Kaba davranış' });
        const x = await o311.get('/open311/v2/services/ULA_OTOBUS_SURUCU.xml');
        assert.match(x.body, XML_DECL);
        assert.match(x.body, /<service_definition><service_code>ULA_OTOBUS_SURUCU<\/service_code><attributes><attribute><variable>true<\/variable><code>plate<\/code>/);
        assert.deepEqual(tags(x.body, 'key'), issue.values.map((v) => v.key));
        /* the grave block of a cemetery request */
        const g = await o311.get('/open311/v2/services/MEZ_BAKIM.json');
        assert.equal(g.body.attributes[0].code, 'block');
        /* 404: unknown service, in the format asked for */
        assertO311Error(await o311.get('/open311/v2/services/NOPE.json'), 404, 'json');
        assertO311Error(await o311.get('/open311/v2/services/NOPE.xml'), 404, 'xml');
    });

    it('admins edit a category\'s questions; bad ones are refused and change nothing; others may not', async () => {
        const path = '/api/v1/categories/PARK_AGAC_BUDAMA/attributes';
        const put = (c, body) => c.raw(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const attrs = [
            { code: 'tree_count', datatype: 'number', required: true, description: 'Kaç ağaç?', description_en: 'How many trees?' },
            { code: 'kind', datatype: 'multivaluelist', description: 'Ne tür?', values: [{ key: 'pine', name: 'Çam' }, { key: 'plane', name: 'Çınar' }] },
        ];
        assert.equal((await put(agent, { attributes: attrs })).status, 403);
        const r = await put(admin, { attributes: attrs });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const bad = [
            [{ attributes: [{ ...attrs[0], datatype: 'colour' }] }, 'attributes[0]'],
            [{ attributes: [{ ...attrs[0], code: 'Tree Count' }] }, 'attributes[0]'],
            [{ attributes: [attrs[0], { ...attrs[0] }] }, 'attributes[1]'],
            [{ attributes: [{ ...attrs[1], values: [] }] }, 'attributes[0]'],
            [{ attributes: [{ ...attrs[0], values: [{ key: 'a', name: 'b' }] }] }, 'attributes[0]'],
            [{ attributes: [{ ...attrs[0], description: '' }] }, 'attributes[0]'],
            [{ attributes: [{ ...attrs[0], extra: 1 }] }, 'attributes[0]'],
            [{ attributes: 'x' }, 'attributes'],
            [{ attrs: [] }, 'attrs'],
        ];
        for (const [body, field] of bad) {
            const b = await put(admin, body);
            assert.equal(b.status, 400, JSON.stringify(body) + ' ' + JSON.stringify(b.body));
            assert.equal(b.body.error.field, field, JSON.stringify(b.body));
        }
        assert.equal((await put(admin, { attributes: [] })).status, 200, 'all removed');
        assert.equal((await o311.get('/open311/v2/services/PARK_AGAC_BUDAMA.json')).body.attributes.length, 0);
        assert.equal((await put(admin, { attributes: attrs })).status, 200);
        const def = await o311.get('/open311/v2/services/PARK_AGAC_BUDAMA.json');
        assert.deepEqual(def.body.attributes.map((a) => [a.code, a.datatype, a.required, a.order]), [['tree_count', 'number', true, 1], ['kind', 'multivaluelist', false, 2]]);
        assert.equal((await o311.get(path)).body.attributes.length, 2);
        assert.equal((await put(admin, { attributes: attrs }).then((x) => x.status)), 200);
        assert.equal((await client(srv.url).raw('/api/v1/categories/NOPE/attributes', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
    });

    let created;
    it('POST requests: form-encoded with api_key → service_request_id (and a token), service_notice; channel open311', async () => {
        const r = await post(good([['email', 'ayse@example.com'], ['phone', '05321234567'], ['first_name', 'Ayşe'], ['last_name', 'Öztürk'],
            ['device_id', 'dev-1'], ['account_id', 'acc-7'], ['media_url', 'https://img.example.com/pothole.jpg'], ['address_string', 'Cumhuriyet Meydanı 1']]));
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(Array.isArray(r.body) && r.body.length === 1);
        created = r.body[0];
        assert.match(created.service_request_id, TRACKING_RE);
        assert.match(created.token, /^[0-9a-f]{32}$/);
        assert.match(created.service_notice, /gün/);
        assert.equal(created.account_id, 'acc-7');
        const a = await admin.get(`/api/v1/applications/by-tracking/${created.service_request_id}`);
        assert.equal(a.status, 200);
        assert.equal(a.body.channel, 'open311', 'every Open311 request becomes channel open311');
        assert.equal(a.body.category, 'FEN_YOL_CUKUR');
        assert.ok(a.body.citizen, 'the contact fields register the citizen');
        /* XML: <service_requests><request>… */
        const x = await post(good([['address_id', sqlite(srv.db, "SELECT min(id) FROM neighbourhoods")]]), 'xml');
        assert.equal(x.status, 200, x.body);
        assert.match(x.body, XML_DECL);
        assert.match(x.body, /<service_requests><request><service_request_id>\d{4}-\d{6}<\/service_request_id>/);
        /* attributes: the bus complaint with its plate, answers stored and shown to staff */
        const b = await post([['api_key', key], ['service_code', 'ULA_OTOBUS_SURUCU'], ['address_string', 'Talas durağı'],
            ['attribute[plate]', '38 ABC 153'], ['attribute[issue]', 'rude'], ['description', 'Şoför yolcuya bağırdı']]);
        assert.equal(b.status, 200, JSON.stringify(b.body));
        const ba = await admin.get(`/api/v1/applications/by-tracking/${b.body[0].service_request_id}`);
        assert.match(ba.body.text, /Otobüsün plakası: 38 ABC 153/);
        assert.match(ba.body.text, /Ne oldu\?: Kaba davranış/);
        /* multivaluelist: attribute[code][]= repeated */
        const m = await post([['api_key', key], ['service_code', 'PARK_AGAC_BUDAMA'], ['lat', '38.7'], ['long', '35.5'],
            ['attribute[tree_count]', '3'], ['attribute[kind][]', 'pine'], ['attribute[kind][]', 'plane']]);
        assert.equal(m.status, 200, JSON.stringify(m.body));
    });

    it('tokens/{id}: the service_request_id of a token; an unknown token is 404', async () => {
        const r = await o311.get(`/open311/v2/tokens/${created.token}.json`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body, [{ service_request_id: created.service_request_id, token: created.token }]);
        const x = await o311.get(`/open311/v2/tokens/${created.token}.xml`);
        assert.deepEqual(tags(x.body, 'service_request_id'), [created.service_request_id]);
        assertO311Error(await o311.get(`/open311/v2/tokens/${'0'.repeat(32)}.json`), 404);
        assertO311Error(await o311.get('/open311/v2/tokens/x.xml'), 404, 'xml');
    });

    it('GET requests/{id}: status, service, agency_responsible (department), dates, place, media_url; never names, phones or e-mails', async () => {
        const r = await o311.get(`/open311/v2/requests/${created.service_request_id}.json`);
        assert.equal(r.status, 200);
        const q = r.body[0];
        assert.equal(q.service_request_id, created.service_request_id);
        assert.equal(q.status, 'open');
        assert.equal(q.service_code, 'FEN_YOL_CUKUR');
        assert.match(q.agency_responsible, /Fen İşleri/);
        assert.equal(q.requested_datetime, '2026-03-10T09:00:00Z', 'ISO 8601 with the zone');
        assert.equal(q.lat, 38.7205);
        assert.equal(q.long, 35.4826);
        assert.equal(q.address, 'Cumhuriyet Meydanı 1');
        assert.equal(q.media_url, 'https://img.example.com/pothole.jpg', 'stored, not fetched');
        assert.equal(q.status_notes, null);
        for (const pii of ['ayse@example.com', '5321234567', 'Ayşe', 'Öztürk', 'acc-7', 'dev-1'])
            assert.ok(!JSON.stringify(r.body).includes(pii), `${pii} in ${JSON.stringify(r.body)}`);
        const x = await o311.get(`/open311/v2/requests/${created.service_request_id}.xml`);
        assert.match(x.body, XML_DECL);
        assert.deepEqual(tags(x.body, 'status'), ['open']);
        assert.deepEqual(tags(x.body, 'lat'), ['38.7205']);
        assert.ok(!x.body.includes('ayse@example.com'));
        assertO311Error(await o311.get('/open311/v2/requests/2026-999999.json'), 404);
        assertO311Error(await o311.get('/open311/v2/requests/nonsense.xml'), 404, 'xml');
    });

    it('status closed once the department answered; status_notes is the public response, never an internal note', async () => {
        const id = (await admin.get(`/api/v1/applications/by-tracking/${created.service_request_id}`)).body.id;
        const step = async (who, action, body = {}) => {
            const r = await who.post(`/api/v1/applications/${id}/${action}`, body);
            assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
        };
        await step(agent, 'route');
        await step(fen, 'note', { note: 'İÇ NOT: ekip yarın gidecek' });
        await step(fen, 'accept');
        const mid = await o311.get(`/open311/v2/requests/${created.service_request_id}.json`);
        assert.equal(mid.body[0].status, 'open');
        assert.ok(mid.body[0].expected_datetime, 'the deadline once forwarded');
        await step(fen, 'respond', { response: 'Çukur asfaltla kapatıldı.' });
        const r = await o311.get(`/open311/v2/requests/${created.service_request_id}.json`);
        assert.equal(r.body[0].status, 'closed');
        assert.equal(r.body[0].status_notes, 'Çukur asfaltla kapatıldı.');
        assert.ok(!JSON.stringify(r.body).includes('İÇ NOT'));
    });

    it('GET requests: "the range defaults to most recent 90 days", filters by service_code, status, ids; at most 1000', async () => {
        const all = await o311.get('/open311/v2/requests.json');
        assert.equal(all.status, 200);
        const ids = all.body.map((q) => q.service_request_id);
        assert.ok(ids.includes(created.service_request_id));
        /* an application of 100 days ago is outside the default window, inside an explicit one */
        const old = (await post(good())).body[0].service_request_id;
        sqlite(srv.db, `UPDATE applications SET created_at = ${T0 - 100 * DAY} WHERE tracking = '${old}'`);
        assert.ok(!(await o311.get('/open311/v2/requests.json')).body.some((q) => q.service_request_id === old));
        const win = await o311.get('/open311/v2/requests.json?start_date=2025-11-25T00:00:00Z&end_date=2026-02-20T00:00:00%2B03:00');
        assert.deepEqual(win.body.map((q) => q.service_request_id), [old]);
        /* only start_date: the 90 days from it */
        const from = await o311.get('/open311/v2/requests.json?start_date=2025-11-29T00:00:00Z');
        assert.deepEqual(from.body.map((q) => q.service_request_id), [old]);
        /* status, comma delimited */
        const closed = await o311.get('/open311/v2/requests.json?status=closed');
        assert.deepEqual(closed.body.map((q) => q.service_request_id), [created.service_request_id]);
        const open = await o311.get('/open311/v2/requests.json?status=open');
        assert.equal(open.body.length, ids.length - 1 + 0);
        assert.equal((await o311.get('/open311/v2/requests.json?status=open,closed')).body.length, ids.length);
        /* service_code, comma delimited */
        const bus = await o311.get('/open311/v2/requests.json?service_code=ULA_OTOBUS_SURUCU,PARK_AGAC_BUDAMA');
        assert.deepEqual(bus.body.map((q) => q.service_code).sort(), ['PARK_AGAC_BUDAMA', 'ULA_OTOBUS_SURUCU']);
        /* service_request_id "overrides all other arguments" */
        const two = await o311.get(`/open311/v2/requests.xml?service_request_id=${created.service_request_id},${old}&status=open`);
        assert.deepEqual(tags(two.body, 'service_request_id'), [created.service_request_id, old]);
        /* newest first, never more than 1000 */
        const times = all.body.map((q) => q.requested_datetime);
        assert.deepEqual([...times].sort().reverse(), times);
    });

    it('bad input on every parameter of GET requests: 400/404 in the format asked for', async () => {
        const cases = [
            ['start_date=yesterday', 400], ['end_date=2026-13-01T00:00:00Z', 400], ['start_date=2026-03-01', 400],
            ['start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z', 400],
            ['start_date=2025-01-01T00:00:00Z&end_date=2026-03-01T00:00:00Z', 400],
            ['status=pending', 400], ['status=open,', 400], ['status=', 400],
            ['service_code=NOPE', 404], ['service_code=,', 400],
            ['service_request_id=abc', 400], ['service_request_id=', 400],
            ['jurisdiction_id=istanbul.bel.tr', 404],
        ];
        for (const [q, status] of cases) {
            assertO311Error(await o311.get(`/open311/v2/requests.json?${q}`), status, 'json');
            assertO311Error(await o311.get(`/open311/v2/requests.xml?${q}`), status, 'xml');
        }
    });

    it('bad input on every parameter of POST requests: 400/403/404, and nothing is stored', async () => {
        const before = [requestsCount(), appsCount()];
        const without = (name) => good().filter(([k]) => k !== name);
        const replace = (name, v) => good().map(([k, x]) => [k, k === name ? v : x]);
        const cases = [
            [without('api_key'), 403], [replace('api_key', 'x'.repeat(64)), 403], [replace('api_key', ''), 403],
            [[...good(), ['api_key', key]], 403],
            [without('service_code'), 400], [replace('service_code', 'NOPE'), 404], [replace('service_code', 'DIS_ELEKTRIK'), 404],
            [[...good(), ['service_code', 'FEN_YOL_CUKUR']], 400],
            [without('long'), 400], [replace('lat', '91'), 400], [replace('long', 'east'), 400], [replace('lat', ''), 400],
            [without('lat').filter(([k]) => k !== 'long'), 400],
            [[...good(), ['address_id', 'abc']], 400], [[...good(), ['address_id', '99999999']], 400],
            [[...good(), ['address_string', 'x'.repeat(501)]], 400],
            [replace('description', 'ç'.repeat(2001)), 400], [replace('description', 'a\uFFFEb'.replace('\uFFFE', '\u0000')), 400],
            [[...good(), ['email', 'not-an-email']], 400], [[...good(), ['phone', '12']], 400],
            [[...good(), ['first_name', 'x'.repeat(101)]], 400], [[...good(), ['last_name', 'y'.repeat(101)]], 400],
            [[...good(), ['device_id', 'd'.repeat(200)]], 400], [[...good(), ['account_id', 'a'.repeat(200)]], 400],
            [[...good(), ['media_url', 'ftp://example.com/x.jpg']], 400], [[...good(), ['media_url', 'https://a b']], 400],
            [[...good(), ['jurisdiction_id', 'other']], 404],
            [[...good(), ['colour', 'red']], 400], [[...good(), ['attribute[x]', '1']], 400], [[...good(), ['attribute[]', '1']], 400],
            /* the bus complaint: plate required, issue from the list */
            [[['api_key', key], ['service_code', 'ULA_OTOBUS_SURUCU'], ['address_string', 'Talas']], 400],
            [[['api_key', key], ['service_code', 'ULA_OTOBUS_SURUCU'], ['address_string', 'Talas'], ['attribute[plate]', '']], 400],
            [[['api_key', key], ['service_code', 'ULA_OTOBUS_SURUCU'], ['address_string', 'Talas'], ['attribute[plate]', '38 A 1'], ['attribute[issue]', 'bogus']], 400],
            [[['api_key', key], ['service_code', 'ULA_OTOBUS_SURUCU'], ['address_string', 'Talas'], ['attribute[plate]', '38 A 1'], ['attribute[plate]', '38 B 2']], 400],
            [[['api_key', key], ['service_code', 'PARK_AGAC_BUDAMA'], ['lat', '1'], ['long', '1'], ['attribute[tree_count]', 'many']], 400],
            [[['api_key', key], ['service_code', 'PARK_AGAC_BUDAMA'], ['lat', '1'], ['long', '1'], ['attribute[tree_count]', '2'], ['attribute[kind][]', 'oak']], 400],
        ];
        for (const [fields, status] of cases) {
            for (const fmt of ['json', 'xml']) {
                const r = await post(fields, fmt);
                assertO311Error(r, status, fmt);
            }
        }
        /* not a form: 415, in the spec's error shape */
        const j = await o311.raw('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key":"x"}' });
        assertO311Error(j, 415);
        /* a malformed form */
        const bad = await o311.raw('/open311/v2/requests.xml', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'api_key=%zz' });
        assertO311Error(bad, 400, 'xml');
        assertO311Error(await o311.raw('/open311/v2/services.json', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }), 405);
        assert.deepEqual([requestsCount(), appsCount()], before, 'bad input stored nothing');
    });

    it('per-key rate limit: 429 past the hour\'s allowance, for that key only', async () => {
        let status = 0, n = 0;
        while (n < 150) {
            const r = await post([['api_key', key2]]);
            n++;
            if (r.status !== 400) {
                status = r.status;
                assertO311Error(r, 429);
                assert.ok(Number(r.headers.get('retry-after')) > 0);
                break;
            }
        }
        assert.equal(status, 429);
        assert.equal(n, 101, 'the 101st request of the hour (ALO153_OPEN311_RATE=100)');
        assert.equal((await post(good())).status, 200, 'another key is not limited');
    });

    it('no 5xx and no redirect, whatever the path: the spec\'s errors', async () => {
        const paths = ['/open311/v2/', '/open311/v2', '/open311', '/open311/v2/services.html', '/open311/v2/services',
            '/open311/v2/nothing.json', '/open311/v2/requests/.json', '/open311/v2/services/%C3%28.xml',
            '/open311/v2/requests/' + 'x'.repeat(300) + '.json', '/open311/services.json',
            '/open311/v2/requests.json?start_date=' + 'z'.repeat(1000)];
        for (const p of paths) {
            const r = await o311.raw(p, { redirect: 'manual' });
            assert.ok(r.status >= 400 && r.status < 500, `${p}: ${r.status}`);
            const code = Array.isArray(r.body) ? r.body[0].code : Number(tags(String(r.body), 'code')[0]);
            assert.equal(code, r.status, `${p}: ${JSON.stringify(r.body)}`);
        }
        assertO311Error(await o311.raw('/open311/v2/discovery.json', { method: 'DELETE' }), 405);
    });
});
