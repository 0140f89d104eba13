// t60: answers to WhatsApp citizens go out by the WhatsApp Business Cloud API (issue 15). A
// local node HTTP server stands in for graph.facebook.com: POST /v19.0/{phone-number-id}/messages
// with "Authorization: Bearer" and {"messaging_product":"whatsapp","to","type":"text",
// "text":{"body"}}, answering {"messages":[{"id":"wamid.N"}]}. A signed webhook text message
// (the signature flow of t50) creates an application whose registration reply arrives at the
// stand-in in that format, in Turkish; the wamid is stored. An outage (503s, then the server
// down) is retried with backoff and the message is delivered once; a 4xx is not retried (dead).
// A WhatsApp application answered after the 24-hour window falls back to SMS. The citizen's
// language: staff set it (PUT /citizens/:id/lang, lang on create), the public API takes `lang`;
// messages go in that language. Time is pinned (ALO153_NOW); the sender runs every 100 ms.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, client, assertError, waitFor } from '../lib/server.mjs';

const NOW = '2026-06-01T06:00:00Z';
const NOW_S = Date.parse(NOW) / 1000;
const SECRET = 'test-app-secret-60';
const VERIFY = 'dogrulama-60';
const TOKEN = 'EAAG-test-token-60';
const PHONE_ID = '106540352242922';
const sign = (body) => 'sha256=' + crypto.createHmac('sha256', SECRET).update(body).digest('hex');
const put = (c, p, body) => c.raw(p, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** graph.facebook.com's stand-in: records requests; `fail` answers the next N with a status */
function graph() {
    const g = { requests: [], byKey: new Map(), fail: [], port: 0, sockets: new Set(), n: 0 };
    g.server = http.createServer((q, s) => {
        let b = '';
        q.setEncoding('utf8');
        q.on('data', (d) => { b += d; });
        q.on('end', () => {
            let body = null;
            try { body = JSON.parse(b); } catch { /* kept as null */ }
            g.requests.push({ method: q.method, url: q.url, auth: q.headers.authorization, type: q.headers['content-type'], body });
            const status = g.fail.length ? g.fail.shift() : 200;
            if (status !== 200) {
                s.writeHead(status, { 'content-type': 'application/json' });
                s.end(JSON.stringify({ error: { message: status === 400 ? '(#131026) Message undeliverable' : 'Service temporarily unavailable', code: status === 400 ? 131026 : 2 } }));
                return;
            }
            const key = body && body.biz_opaque_callback_data;
            g.byKey.set(key, (g.byKey.get(key) || 0) + 1);
            const id = `wamid.TEST${++g.n}`;
            s.writeHead(200, { 'content-type': 'application/json' });
            s.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] }));
        });
    });
    g.server.on('connection', (c) => { g.sockets.add(c); c.on('close', () => g.sockets.delete(c)); });
    g.start = () => new Promise((resolve) => g.server.listen(g.port, '127.0.0.1', () => { g.port = g.server.address().port; resolve(g); }));
    g.stop = () => new Promise((resolve) => { g.server.close(() => resolve()); for (const c of g.sockets) c.destroy(); });
    return g;
}

describe('t60 WhatsApp sending', { timeout: 60000 }, () => {
    let srv, anon, admin, agent, sup, dir, g;
    const outbox = async (id) => (await admin.get(`/api/v1/outbox?application=${id}`)).body.items;
    const hook = (id, body, from, ts = String(NOW_S - 600)) => {
        const raw = Buffer.from(JSON.stringify({
            object: 'whatsapp_business_account',
            entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_ID }, contacts: [{ profile: { name: 'Mehmet Kaya' }, wa_id: from }], messages: [{ from, id, timestamp: ts, type: 'text', text: { body } }] } }] }],
        }));
        return anon.raw('/hooks/whatsapp', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) }, body: raw });
    };
    const sentRow = async (appId, purpose = 'registered') => waitFor(async () => {
        const rows = (await outbox(appId)).filter((m) => m.purpose === purpose && m.state !== 'pending' && m.state !== 'sending');
        return rows.length ? rows[0] : null;
    }, { tries: 200, delayMs: 50, what: `the ${purpose} message of ${appId} sent or dead` });

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t60-'));
        g = await graph().start();
        const secrets = path.join(dir, 'whatsapp.secrets');
        fs.writeFileSync(secrets, `verify_token=${VERIFY}\napp_secret=${SECRET}\n`, { mode: 0o600 });
        fs.writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
        const conf = path.join(dir, 'whatsapp.conf');
        fs.writeFileSync(conf, `# the stand-in for graph.facebook.com\nbase_url = http://127.0.0.1:${g.port}/v19.0\nphone_number_id = ${PHONE_ID}\ntoken_file = ${path.join(dir, 'token')}\ntimeout_ms = 3000\n`);
        srv = await startServer({
            demoSize: 0,
            env: { ALO153_NOW: NOW, ALO153_WHATSAPP_SECRETS: secrets, ALO153_WHATSAPP_CONFIG: conf, ALO153_OUTBOX_PERIOD_MS: '100', ALO153_OUTBOX_BACKOFF_MS: '200', ALO153_OUTBOX_CAP_MS: '400' },
        });
        anon = client(srv.url);
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        sup = await login(srv.url, 'supervisor');
    });
    after(async () => {
        if (srv) { await srv.stop(); srv.cleanup(); }
        if (g) await g.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a webhook message creates an application; its registration reply arrives by the Cloud API', async () => {
        const r = await hook('wamid.in1', 'Mahallemizdeki sokak lambası yanmıyor, akşamları çok karanlık.', '905321110001');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.messages[0].result, 'application');
        const app = (await admin.get(`/api/v1/applications/by-tracking/${r.body.messages[0].tracking}`)).body;
        const row = await sentRow(app.id);
        assert.equal(row.channel, 'whatsapp');
        assert.equal(row.state, 'sent', row.last_error);
        assert.equal(row.recipient, '+905321110001');
        assert.equal(g.requests.length, 1);
        const q = g.requests[0];
        assert.equal(q.method, 'POST');
        assert.equal(q.url, `/v19.0/${PHONE_ID}/messages`);
        assert.equal(q.auth, `Bearer ${TOKEN}`);
        assert.match(q.type, /^application\/json/);
        assert.equal(q.body.messaging_product, 'whatsapp');
        assert.equal(q.body.to, '905321110001');
        assert.equal(q.body.type, 'text');
        assert.equal(q.body.biz_opaque_callback_data, row.key, 'the idempotency key travels with the message');
        assert.ok(q.body.text.body.startsWith('ALO 153: Başvurunuz alındı.'), q.body.text.body);
        assert.ok(q.body.text.body.includes(app.tracking) && q.body.text.body.includes(app.access_code), q.body.text.body);
        assert.equal(row.provider_ref, 'wamid.TEST1', 'the returned message id is stored');
        assert.equal((await outbox(app.id)).length, 1, 'no SMS besides');
    });

    it('an outage (503s, then the server gone) is retried and the message delivered once; a 4xx is dead at once', async () => {
        g.fail.push(503, 503);
        const r = await hook('wamid.in2', 'Parktaki salıncak kırık, çocuklar için tehlikeli.', '905321110002');
        const app = (await admin.get(`/api/v1/applications/by-tracking/${r.body.messages[0].tracking}`)).body;
        await waitFor(async () => g.fail.length === 0, { tries: 200, delayMs: 50, what: 'two 503s answered' });
        await g.stop(); /* connections refused: retried with backoff */
        const before = g.requests.length;
        const mid = await waitFor(async () => { const m = (await outbox(app.id))[0]; return m.attempts >= 3 && m.state === 'pending' ? m : null; }, { tries: 200, delayMs: 50, what: 'a third failed try' });
        assert.match(mid.last_error, /WhatsApp/);
        await g.start();
        const row = await sentRow(app.id);
        assert.equal(row.state, 'sent');
        assert.ok(row.attempts >= 4, `attempts ${row.attempts}`);
        assert.equal(g.byKey.get(row.key), 1, 'accepted once');
        assert.equal(g.requests.length - before, 1, 'one request after the return');

        g.fail.push(400);
        const bad = await hook('wamid.in3', 'Çöp konteyneri taşıyor, koku yapıyor.', '905321110003');
        const badApp = (await admin.get(`/api/v1/applications/by-tracking/${bad.body.messages[0].tracking}`)).body;
        const dead = await sentRow(badApp.id);
        assert.equal(dead.state, 'dead');
        assert.equal(dead.attempts, 1, 'a 4xx is not retried');
        assert.match(dead.last_error, /HTTP 400/);
    });

    it('after the 24-hour window the answer goes by SMS; the citizen language picks the template', async () => {
        const old = await hook('wamid.in4', 'Kaldırım taşları yerinden çıkmış.', '905321110004', String(NOW_S - 2 * 86400));
        const app = (await admin.get(`/api/v1/applications/by-tracking/${old.body.messages[0].tracking}`)).body;
        for (const [who, action, body] of [[agent, 'route', { category: 'FEN_YOL_CUKUR' }], [sup, 'accept', {}], [sup, 'respond', { response: 'Kaldırım onarıldı.' }]]) {
            const x = await who.post(`/api/v1/applications/${app.id}/${action}`, body);
            assert.equal(x.status, 200, `${action}: ${JSON.stringify(x.body)}`);
        }
        const answered = (await outbox(app.id)).filter((m) => m.purpose === 'answered');
        assert.equal(answered.length, 1);
        assert.equal(answered[0].channel, 'sms', 'outside the window: SMS');

        /* staff: lang on create, then changed; bad values refused and nothing changed */
        const c = await agent.post('/api/v1/citizens', { name: 'John Smith', phone: '05321110005', lang: 'en' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        assert.equal(c.body.lang, 'en');
        assertError(await agent.post('/api/v1/citizens', { name: 'X', phone: '05321110006', lang: 'de' }), 400, undefined, 'lang');
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'The street light is broken', citizen_id: c.body.id });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        const en = (await outbox(a.body.id))[0];
        assert.equal(en.lang, 'en');
        assert.ok(en.body.startsWith('ALO 153: Your application was received.'), en.body);
        assertError(await put(agent, `/api/v1/citizens/${c.body.id}/lang`, { lang: 'fr' }), 400, undefined, 'lang');
        assert.equal((await agent.get(`/api/v1/citizens/${c.body.id}`)).body.lang, 'en');
        assertError(await put(agent, '/api/v1/citizens/999999/lang', { lang: 'tr' }), 404);
        const set = await put(agent, `/api/v1/citizens/${c.body.id}/lang`, { lang: 'tr' });
        assert.equal(set.status, 200, JSON.stringify(set.body));
        assert.equal((await agent.get(`/api/v1/citizens/${c.body.id}`)).body.lang, 'tr');

        /* the public API: the portal's language */
        const p = await anon.post('/api/v1/public/applications', { text: 'The pavement in front of our house is broken', email: 'john@example.com', lang: 'en' });
        assert.equal(p.status, 201, JSON.stringify(p.body));
        const pub = (await admin.get(`/api/v1/applications/by-tracking/${p.body.tracking}`)).body;
        const mail = (await outbox(pub.id))[0];
        assert.equal(mail.channel, 'email');
        assert.equal(mail.lang, 'en');
        assert.ok(mail.subject.startsWith('Your ALO 153 application was received'), mail.subject);
        assertError(await anon.post('/api/v1/public/applications', { text: 'Sokak lambası yanmıyor artık', email: 'a@example.com', lang: 'xx' }), 400, undefined, 'lang');
    });
});
