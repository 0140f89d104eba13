// t46: the outbox (issue 15). A citizen's messages are rows written with the event that causes
// them (registration: tracking number, access code, link), sent by serve's background sender
// to a real SMTP server (python3-aiosmtpd) and a real local HTTP server standing in for the
// SMS operator. An outage of the operator mid-run: retries with backoff, then every message
// delivered exactly once per idempotency key. kill -9 of serve while a message is in flight:
// after the restart every message is delivered, none accepted twice. A permanent refusal is
// dead at once, shown to admins, and resent by them. Admins edit the Turkish/English templates
// (SMS segments reported). Time is pinned for the records (ALO153_NOW); the sender's retry
// clock is the wall clock, shortened by ALO153_OUTBOX_* (cli/serve_outbox.h).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, login, assertError, waitFor, isPg } from '../lib/server.mjs';
import { smsGateway, smtpSink } from '../lib/gateways.mjs';

const NOW = '2026-04-14T08:00:00Z';
const put = (c, p, body) => c.raw(p, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('t46 outbox', { timeout: 120000 }, () => {
    let srv, admin, agent, gw, smtp, tmp, phoneNo = 0;
    const byApp = async (id) => (await admin.get(`/api/v1/outbox?application=${id}`)).body.items;
    async function citizen(extra = {}) {
        phoneNo++;
        const r = await agent.post('/api/v1/citizens', { name: `Vatandaş ${phoneNo}`, phone: `0532${String(1000000 + phoneNo)}`, ...extra });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
    }
    async function application(c) {
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokağımızdaki yolda büyük çukur oluştu', citizen_id: c.id });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
    }
    const allSent = async (ids) => {
        const rows = (await Promise.all(ids.map(byApp))).flat();
        return rows.length && rows.every((m) => m.state === 'sent') ? rows : false;
    };

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t46-'));
        gw = await smsGateway().start();
        smtp = await smtpSink(path.join(tmp, 'mail'));
        srv = await startServer({
            demoSize: 0,
            env: {
                ALO153_NOW: NOW, ALO153_SMTP_URL: smtp.url, ALO153_MAIL_FROM: 'alo153@belediye.test',
                ALO153_SMS_CONFIG: gw.configFile(tmp), ALO153_OUTBOX_PERIOD_MS: '50', ALO153_OUTBOX_BACKOFF_MS: '100',
                ALO153_OUTBOX_CAP_MS: '400', ALO153_OUTBOX_TRIES: '200', ALO153_OUTBOX_LEASE_S: '1',
            },
        });
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
    });
    after(async () => {
        if (srv) { await srv.stop(); srv.cleanup(); }
        if (smtp) smtp.stop();
        if (gw) await gw.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('registration: an SMS and an e-mail with the tracking number and access code, queued with the application', async () => {
        const c = await citizen({ email: 'ayse@example.com' });
        const a = await application(c);
        const rows = await waitFor(() => allSent([a.id]), { tries: 200, delayMs: 50, what: 'registration sent' });
        assert.deepEqual(rows.map((m) => m.channel).sort(), ['email', 'sms']);
        for (const m of rows) {
            assert.equal(m.purpose, 'registered');
            assert.equal(m.transactional, true);
            assert.match(m.key, /^alo153-[0-9a-f]{32}$/);
            assert.ok(m.body.includes(a.tracking) && m.body.includes(a.access_code), m.body);
            assert.ok(m.body.includes(`/takip/${a.tracking}`), m.body);
        }
        const sms = rows.find((m) => m.channel === 'sms');
        assert.equal(sms.recipient, c.phone);
        assert.equal(sms.segments, 1);
        assert.deepEqual(gw.accepted.get(sms.key), { to: c.phone, text: sms.body, ref: sms.key, sender: 'ALO153' });
        const mail = rows.find((m) => m.channel === 'email');
        const got = smtp.messages().filter((x) => x.messageId === `${mail.key}@alo153`);
        assert.equal(got.length, 1, 'one e-mail with the Message-ID of the row');
        assert.equal(got[0].to, 'ayse@example.com');
        assert.match(got[0].subject, new RegExp(`başvurunuz alındı: ${a.tracking}`));
        assert.ok(got[0].body.includes(`Erişim kodu: ${a.access_code}`), got[0].body);
        /* an anonymous application sends nothing */
        const anon = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Parkta kırık bank var, tamir edilsin' });
        assert.equal(anon.status, 201);
        assert.deepEqual(await byApp(anon.body.id), []);
    });

    it('an operator outage mid-run: retries with backoff, nothing lost, each key accepted once', async () => {
        await gw.stop();
        const apps = [];
        for (let i = 0; i < 4; i++) apps.push(await application(await citizen()));
        const ids = apps.map((a) => a.id);
        const retried = await waitFor(async () => {
            const rows = (await Promise.all(ids.map(byApp))).flat();
            return rows.length === 4 && rows.every((m) => m.state !== 'sent' && m.attempts >= 3) && rows;
        }, { tries: 300, delayMs: 50, what: 'three failed tries each' });
        for (const m of retried) {
            assert.notEqual(m.state, 'dead');
            assert.match(m.last_error, /SMS gateway/);
        }
        const counts = (await admin.get('/api/v1/outbox')).body.counts;
        assert.ok((counts.pending || 0) + (counts.sending || 0) >= 4, JSON.stringify(counts));
        await gw.start(); /* the same port again */
        const rows = await waitFor(() => allSent(ids), { tries: 300, delayMs: 50, what: 'all sent after the outage' });
        for (const m of rows) {
            assert.ok(gw.accepted.has(m.key), `gateway has ${m.key}`);
            assert.equal(gw.accepted.get(m.key).text, m.body);
        }
        for (const a of apps) assert.equal(rows.filter((m) => m.application_id === a.id).length, 1);
        assert.equal(gw.dupes, 0, 'no key sent twice without a crash');
    });

    it('a permanent refusal is dead at once; admins see it and resend it with the same key', async () => {
        const c = await citizen();
        gw.refuse.add(c.phone);
        const a = await application(c);
        const [dead] = await waitFor(async () => { const r = await byApp(a.id); return r[0]?.state === 'dead' && r; },
            { tries: 200, delayMs: 50, what: 'dead letter' });
        assert.equal(dead.attempts, 1);
        assert.match(dead.last_error, /HTTP 400/);
        const list = await admin.get('/api/v1/outbox?state=dead');
        assert.equal(list.status, 200);
        assert.ok(list.body.items.some((m) => m.id === dead.id));
        assertError(await agent.get('/api/v1/outbox'), 403);
        assertError(await agent.post(`/api/v1/outbox/${dead.id}/resend`, {}), 403);
        assertError(await admin.get('/api/v1/outbox?state=lost'), 400, undefined, 'state');
        assertError(await admin.post('/api/v1/outbox/999999/resend', {}), 404);
        const sent = (await admin.get('/api/v1/outbox?state=sent')).body.items[0];
        assertError(await admin.post(`/api/v1/outbox/${sent.id}/resend`, {}), 409, 'not_dead');
        gw.refuse.delete(c.phone);
        const r = await admin.post(`/api/v1/outbox/${dead.id}/resend`, {});
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.attempts, 0);
        const [m] = await waitFor(async () => { const x = await byApp(a.id); return x[0]?.state === 'sent' && x; },
            { tries: 200, delayMs: 50, what: 'resent' });
        assert.equal(m.key, dead.key);
        assert.equal(gw.accepted.get(m.key).to, c.phone);
    });

    it('templates: Turkish and English, SMS segments reported, an admin edit used by the next message; bad input changes nothing', async () => {
        const t = await admin.get('/api/v1/message-templates');
        assert.equal(t.status, 200);
        const find = (p, ch, l) => t.body.items.find((x) => x.purpose === p && x.channel === ch && x.lang === l);
        for (const p of ['registered', 'answered', 'out_of_scope', 'survey'])
            for (const ch of ['sms', 'email']) for (const l of ['tr', 'en']) assert.ok(find(p, ch, l), `${p} ${ch} ${l}`);
        assert.equal(find('registered', 'sms', 'tr').sms.coding, 'gsm7-turkish');
        assert.equal(find('registered', 'sms', 'en').sms.coding, 'gsm7');
        assertError(await put(agent, '/api/v1/message-templates/registered/sms/tr', { body: 'x' }), 403);
        assertError(await put(admin, '/api/v1/message-templates/kayit/sms/tr', { body: 'x' }), 400, undefined, 'purpose');
        assertError(await put(admin, '/api/v1/message-templates/registered/fax/tr', { body: 'x' }), 400, undefined, 'channel');
        assertError(await put(admin, '/api/v1/message-templates/registered/sms/de', { body: 'x' }), 400, undefined, 'lang');
        assertError(await put(admin, '/api/v1/message-templates/registered/sms/tr', { body: '' }), 400, undefined, 'body');
        assertError(await put(admin, '/api/v1/message-templates/registered/email/tr', { subject: 'a\nBcc: x@y', body: 'b' }), 400, undefined, 'subject');
        assert.equal((await admin.get('/api/v1/message-templates')).body.items.filter((x) => x.custom).length, 0, 'nothing stored');
        const body = 'Çağrı merkezi: {tracking} kaydınız alındı; kod {code}. İyi günler dileriz, şükran.';
        const r = await put(admin, '/api/v1/message-templates/registered/sms/tr', { body });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.custom, true);
        assert.equal(r.body.sms.coding, 'gsm7-turkish');
        const a = await application(await citizen());
        const [m] = await waitFor(() => allSent([a.id]), { tries: 200, delayMs: 50, what: 'edited template sent' });
        assert.equal(m.body, body.replace('{tracking}', a.tracking).replace('{code}', a.access_code));
        assert.equal(gw.accepted.get(m.key).text, m.body);
    });

    it('kill -9 of serve with a message in flight: after the restart every message delivered, none accepted twice', async () => {
        gw.holdMs = 1500; /* the operator takes its time: serve dies waiting for the answer */
        const apps = [];
        for (let i = 0; i < 3; i++) apps.push(await application(await citizen()));
        const ids = apps.map((a) => a.id);
        const keys = new Set((await Promise.all(ids.map(byApp))).flat().map((m) => m.key));
        assert.equal(keys.size, 3);
        await waitFor(() => [...keys].some((k) => gw.accepted.has(k)), { tries: 200, delayMs: 25, what: 'a message in flight' });
        await srv.kill9();
        gw.holdMs = 0;
        await srv.restart();
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        const rows = await waitFor(() => allSent(ids), { tries: 300, delayMs: 50, what: 'all sent after the restart' });
        assert.deepEqual(new Set(rows.map((m) => m.key)), keys, 'the same rows, the same keys');
        for (const k of keys) assert.ok(gw.accepted.has(k), `delivered ${k}`);
        assert.ok(gw.dupes >= 1, 'the in-flight message was sent again with its key and recognised');
        assert.equal(gw.requests.filter((q) => keys.has(q.key)).length, 3 + gw.dupes);
    });

    it('two serve processes on one database: each message sent by one of them, once', async () => {
        /* the lease long enough that a slow send is never taken over (that is the crash path) */
        await srv.stop();
        await srv.restart({ env: { ALO153_OUTBOX_LEASE_S: '60' } });
        const other = await startServer({ db: srv.db, env: { ...srv.env, ALO153_OUTBOX_LEASE_S: '60' } });
        try {
            admin = await login(srv.url, 'admin');
            agent = await login(srv.url, 'agent');
            const agent2 = await login(other.url, 'agent');
            const before = gw.dupes;
            const ids = [];
            for (let i = 0; i < 12; i++) {
                const who = i % 2 ? agent2 : agent;
                phoneNo++;
                const c = await who.post('/api/v1/citizens', { name: `İki süreç ${i}`, phone: `0532${String(1000000 + phoneNo)}` });
                const a = await who.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokağımızdaki yolda büyük çukur oluştu', citizen_id: c.body.id });
                assert.equal(a.status, 201, JSON.stringify(a.body));
                ids.push(a.body.id);
            }
            const rows = await waitFor(() => allSent(ids), { tries: 300, delayMs: 50, what: 'all sent by two processes' });
            assert.equal(rows.length, 12);
            for (const m of rows) assert.equal(gw.requests.filter((q) => q.key === m.key).length, 1, `${m.key} sent once (${isPg(srv.db) ? 'SKIP LOCKED' : 'SQLite write lock'})`);
            assert.equal(gw.dupes, before);
        } finally {
            await other.stop(); /* its database is srv's: no cleanup here */
        }
    });
});
