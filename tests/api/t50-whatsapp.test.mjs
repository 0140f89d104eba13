// t50: the WhatsApp Business Cloud API webhook. The subscription handshake (hub.mode,
// hub.verify_token, hub.challenge); messages signed with X-Hub-Signature-256 (HMAC-SHA256 of the
// raw body with the app secret) become contacts and applications (recorded payloads in
// tests/intake/); an image's media id is noted, not fetched; unsigned, wrongly signed and
// replayed webhooks change nothing; a message naming a tracking number is threaded to it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, client, assertError, listAllIds, REPO } from '../lib/server.mjs';

const NOW = '2026-06-01T06:00:00Z';
const SECRET = 'test-app-secret-3f9a';
const VERIFY = 'dogrulama-jetonu-71';
const payload = (name) => fs.readFileSync(path.join(REPO, 'tests/intake', name));
const sign = (body, secret = SECRET) => 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');

describe('t50 WhatsApp webhook', { timeout: 60000 }, () => {
    let srv, anon, admin, dir;
    const post = (body, sig) => anon.raw('/hooks/whatsapp', {
        method: 'POST', headers: { 'content-type': 'application/json', ...(sig ? { 'x-hub-signature-256': sig } : {}) }, body,
    });
    const apps = () => listAllIds(admin, 'channel=whatsapp');
    const text = (id, body, from = '905321234567') => Buffer.from(JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', contacts: [{ profile: { name: 'Ayşe Yılmaz' }, wa_id: from }], messages: [{ from, id, timestamp: '1780290300', type: 'text', text: { body } }] } }] }],
    }));

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-wa-'));
        const secrets = path.join(dir, 'whatsapp.secrets');
        fs.writeFileSync(secrets, `verify_token=${VERIFY}\napp_secret=${SECRET}\n`, { mode: 0o600 });
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW, ALO153_WHATSAPP_SECRETS: secrets } });
        anon = client(srv.url);
        admin = await login(srv.url, 'admin');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } fs.rmSync(dir, { recursive: true, force: true }); });

    it('verify handshake: the challenge comes back only for the right token', async () => {
        const ok = await anon.get(`/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
        assert.equal(ok.status, 200);
        assert.equal(ok.body, '1158201444');
        assertError(await anon.get('/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=yanlis&hub.challenge=1158201444'), 403);
        assertError(await anon.get(`/hooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`), 403);
        assertError(await anon.get(`/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}`), 403);
    });

    it('unsigned or wrongly signed webhooks are refused and change nothing', async () => {
        const body = payload('whatsapp-text.json');
        assertError(await post(body), 401, 'bad_signature');
        assertError(await post(body, sign(body, 'another-secret')), 401, 'bad_signature');
        assertError(await post(body, sign(Buffer.concat([body, Buffer.from(' ')]))), 401, 'bad_signature');
        assertError(await post(body, 'sha1=' + crypto.createHmac('sha1', SECRET).update(body).digest('hex')), 401, 'bad_signature');
        assert.equal((await apps()).length, 0);
    });

    it('a text message becomes an application with its contact; the replay is recognised', async () => {
        const body = payload('whatsapp-text.json');
        const r = await post(body, sign(body));
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.messages.length, 1);
        assert.equal(r.body.messages[0].result, 'application');
        const ids = await apps();
        assert.equal(ids.length, 1);
        const a = (await admin.get(`/api/v1/applications/${ids[0]}`)).body;
        assert.equal(a.text, 'Sokağımızdaki çöp konteyneri üç gündür boşaltılmadı, koku yapıyor.');
        assert.equal(a.created_at, '2026-06-01T05:00:00Z', 'the message time');
        assert.equal(a.tracking, r.body.messages[0].tracking);
        const cz = await admin.get(`/api/v1/citizens/${a.citizen_id}`);
        assert.equal(cz.body.name, 'Ayşe Yılmaz');
        assert.equal(cz.body.phone, '+905321234567');
        const contacts = (await admin.get('/api/v1/contacts?channel=whatsapp')).body.items;
        assert.equal(contacts.length, 1);
        assert.equal(contacts[0].outcome, 'application');
        assert.equal(contacts[0].application_id, a.id);
        /* the same delivery again (WhatsApp retries): acknowledged, nothing new */
        const again = await post(body, sign(body));
        assert.equal(again.status, 200);
        assert.equal(again.body.messages[0].result, 'duplicate');
        assert.equal((await apps()).length, 1);
        assert.equal((await admin.get('/api/v1/contacts?channel=whatsapp')).body.items.length, 1);
    });

    it('an image: the media id is noted (not fetched); a greeting is a contact only; a tracking number threads', async () => {
        const img = payload('whatsapp-image.json');
        const r = await post(img, sign(img));
        assert.equal(r.body.messages[0].result, 'application', JSON.stringify(r.body));
        const a = (await admin.get(`/api/v1/applications/by-tracking/${r.body.messages[0].tracking}`)).body;
        assert.equal(a.text, 'Kaldırımdaki çukur\n[görsel: WhatsApp medya 1456758261917438]');
        const hi = text('wamid.merhaba1', 'Merhaba');
        const h = await post(hi, sign(hi));
        assert.equal(h.body.messages[0].result, 'contact');
        const first = (await admin.get(`/api/v1/applications/${(await apps())[0]}`)).body;
        const follow = text('wamid.takip1', `${first.tracking} numaralı başvurum ne durumda?`);
        const f = await post(follow, sign(follow));
        assert.equal(f.body.messages[0].result, 'threaded');
        assert.equal(f.body.messages[0].tracking, first.tracking);
        assert.equal((await apps()).length, 2, 'no new application for the follow-up');
        const hist = (await admin.get(`/api/v1/applications/${first.id}`)).body.history;
        assert.ok(hist.some((e) => e.action === 'message' && e.note.includes('numaralı başvurum ne durumda')), JSON.stringify(hist));
        const st = payload('whatsapp-status.json');
        const s = await post(st, sign(st));
        assert.equal(s.status, 200);
        assert.deepEqual(s.body.messages, [], 'delivery statuses are acknowledged, not taken');
        assertError(await post(Buffer.from('{"object":"x"}'), sign(Buffer.from('{"object":"x"}'))), 400, 'invalid_field', 'entry');
    });
});
