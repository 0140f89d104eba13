// t47: the satisfaction survey (issue 15). Closing an application queues, in the same
// transaction, an invitation with a signed single-use link /anket/TOKEN — only for a citizen
// who consented to non-transactional messages (İYS-style). The token rates 1–5 once, is
// refused when used twice, altered or sent with another application's tracking number; a
// rating ≤ 2 reopens the application for a supervisor's look. An IVR rating arrives as a
// telephony "survey" event with the digit. Satisfaction per department/channel/agent for the
// reports. Time is pinned (ALO153_NOW); no gateway is configured: the rows stay queued.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, addToken, assertError } from '../lib/server.mjs';

const NOW = '2026-05-06T09:00:00Z';
const put = (c, p, body) => c.raw(p, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('t47 survey', { timeout: 60000 }, () => {
    let srv, admin, agent, sup, tel, anon, n = 0;
    const outbox = async (id) => (await admin.get(`/api/v1/outbox?application=${id}`)).body.items;
    async function closedApp({ consent = true } = {}) {
        n++;
        const c = await agent.post('/api/v1/citizens', { name: `Anket ${n}`, phone: `0533${String(2000000 + n)}`, email: `v${n}@example.com` });
        assert.equal(c.status, 201);
        if (consent) assert.equal((await put(agent, `/api/v1/citizens/${c.body.id}/consent`, { marketing: true })).status, 200);
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokağımızdaki yolda büyük çukur oluştu', category: 'FEN_YOL_CUKUR', citizen_id: c.body.id });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        const id = a.body.id;
        for (const [who, action, body] of [[agent, 'route', {}], [sup, 'accept', {}], [sup, 'respond', { response: 'Çukur asfaltla kapatıldı.' }], [agent, 'close', {}]]) {
            const r = await who.post(`/api/v1/applications/${id}/${action}`, body);
            assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
        }
        return a.body;
    }
    async function token(app) {
        const rows = (await outbox(app.id)).filter((m) => m.purpose === 'survey');
        assert.equal(rows.length, 2, 'an SMS and an e-mail invitation');
        assert.equal(rows[0].transactional, false);
        const m = rows[0].body.match(/\/anket\/([A-Za-z0-9._-]+)/);
        assert.ok(m, rows[0].body);
        assert.ok(rows[1].body.includes(m[1]), 'one token for both');
        return m[1];
    }
    const survey = (tok, body) => anon.post(`/api/v1/public/surveys/${tok}`, body);

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        agent = await login(srv.url, 'agent');
        sup = await login(srv.url, 'supervisor');
        tel = client(srv.url, { bearer: await addToken(srv.db, 'pbx-survey', 'telephony') });
        anon = client(srv.url);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('closing queues the invitation with the answer before it; no consent, no invitation', async () => {
        const a = await closedApp();
        const rows = await outbox(a.id);
        assert.deepEqual(rows.map((m) => m.purpose).sort(), ['answered', 'answered', 'registered', 'registered', 'survey', 'survey']);
        const answered = rows.find((m) => m.purpose === 'answered' && m.channel === 'sms');
        assert.ok(answered.body.includes('Çukur asfaltla kapatıldı.'), answered.body);
        await token(a);
        const b = await closedApp({ consent: false });
        assert.deepEqual((await outbox(b.id)).filter((m) => m.purpose === 'survey'), []);
        assertError(await put(anon, '/api/v1/citizens/1/consent', { marketing: true }), 401);
        assertError(await put(agent, '/api/v1/citizens/999999/consent', { marketing: true }), 404);
        assertError(await put(agent, '/api/v1/citizens/1/consent', { marketing: 'evet' }), 400);
    });

    it('a token rates once; used twice, altered, or for another application it is refused with a clear code', async () => {
        const a = await closedApp();
        const b = await closedApp();
        const ta = await token(a);
        const v = await anon.get(`/api/v1/public/surveys/${ta}`);
        assert.equal(v.status, 200, JSON.stringify(v.body));
        assert.equal(v.body.tracking, a.tracking);
        assert.equal(v.body.used, false);
        assertError(await survey(ta, { rating: 5, tracking: b.tracking }), 409, 'token_other_application');
        assertError(await survey(ta, { rating: 0 }), 400, undefined, 'rating');
        assertError(await survey(ta, { rating: 6 }), 400, undefined, 'rating');
        assertError(await survey(ta, { rating: 4, comment: 'x'.repeat(2001) }), 400, undefined, 'comment');
        assert.equal((await anon.get(`/api/v1/public/surveys/${ta}`)).body.used, false, 'refusals changed nothing');
        const [id, nonce, mac] = ta.split('-');
        assertError(await anon.get(`/api/v1/public/surveys/${b.id}-${nonce}-${mac}`), 404, 'token_invalid');
        assertError(await survey(`${b.id}-${nonce}-${mac}`, { rating: 5 }), 404, 'token_invalid');
        assertError(await survey(`${id}-${nonce}-${'0'.repeat(32)}`, { rating: 5 }), 404, 'token_invalid');
        assertError(await survey('kötü-bir-anahtar', { rating: 5 }), 404, 'token_invalid');
        const r = await survey(ta, { rating: 5, comment: 'Çok hızlı çözüldü, teşekkürler.', tracking: a.tracking });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assertError(await survey(ta, { rating: 1 }), 409, 'token_used');
        assert.equal((await anon.get(`/api/v1/public/surveys/${ta}`)).body.used, true);
        const app = await sup.get(`/api/v1/applications/${a.id}`);
        assert.equal(app.body.status, 'closed', 'a good rating leaves it closed');
    });

    it('a low rating reopens the application for a supervisor', async () => {
        const a = await closedApp();
        const r = await survey(await token(a), { rating: 1, comment: 'Çukur hâlâ orada.' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const app = (await sup.get(`/api/v1/applications/${a.id}`)).body;
        assert.equal(app.status, 'forwarded');
        const last = app.history[app.history.length - 1];
        assert.equal(last.action, 'reopen');
        assert.match(last.note, /düşük memnuniyet puanı: 1/);
    });

    it('an IVR rating arrives as a telephony survey event tied to the call and the application', async () => {
        const a = await closedApp({ consent: false });
        const ev = (type, s, extra = {}) => ({ call_id: 'ivr-1', type, at: new Date(Date.parse(NOW) + s * 1000).toISOString(), line: '153', queue: 'genel', caller: '05339998877', ...extra });
        const r0 = await tel.post('/api/v1/telephony/events', { events: [ev('offered', 0), ev('ringing', 1, { agent: 'agent' }), ev('answered', 5, { agent: 'agent' }), ev('ended', 95)] });
        assert.equal(r0.status, 200, JSON.stringify(r0.body));
        assertError(await tel.post('/api/v1/telephony/events', { type: 'survey', call_id: 'ivr-1', digit: '7' }), 400, undefined, 'digit');
        assertError(await tel.post('/api/v1/telephony/events', { type: 'survey', call_id: 'yok-boyle', digit: '4' }), 404);
        assertError(await agent.post('/api/v1/telephony/events', { type: 'survey', call_id: 'ivr-1', digit: '4' }), 403);
        const r = await tel.post('/api/v1/telephony/events', { type: 'survey', call_id: 'ivr-1', digit: '4', tracking: a.tracking });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.rating, 4);
        assert.equal(r.body.application_id, a.id);
    });

    it('satisfaction per department, channel and source for the reports', async () => {
        assertError(await agent.get('/api/v1/satisfaction'), 403);
        assertError(await sup.get('/api/v1/satisfaction?by=renk'), 400, undefined, 'by');
        const all = await sup.get('/api/v1/satisfaction');
        assert.equal(all.status, 200);
        assert.equal(all.body.items.length, 1);
        const t = all.body.items[0];
        assert.equal(t.ratings, 3); /* 5 (web), 1 (web), 4 (ivr) */
        assert.equal(t.satisfied, 2);
        assert.ok(Math.abs(t.satisfaction - 200 / 3) < 1e-6, String(t.satisfaction)); /* 10 significant digits */
        assert.ok(Math.abs(t.average - 10 / 3) < 1e-6, String(t.average));
        const src = Object.fromEntries((await sup.get('/api/v1/satisfaction?by=source')).body.items.map((x) => [x.key, x.ratings]));
        assert.deepEqual(src, { web: 2, ivr: 1 });
        const dep = (await sup.get('/api/v1/satisfaction?by=department')).body.items;
        assert.equal(dep.length, 1);
        assert.equal(dep[0].ratings, 3);
        const ch = (await sup.get('/api/v1/satisfaction?by=channel')).body.items;
        assert.deepEqual(ch.map((x) => x.key), ['phone_153']);
        const out = await sup.get('/api/v1/satisfaction?from=2026-06-01');
        assert.deepEqual(out.body.items, []);
    });

    it('the report of the period carries the same satisfaction (issue 11), and none outside it', async () => {
        const r = await sup.get('/api/v1/reports/summary?from=2026-05-01&to=2026-05-31');
        assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
        assert.equal(r.body.satisfaction.answers, 3); /* 5 (web), 1 (web), 4 (ivr) */
        assert.ok(Math.abs(r.body.satisfaction.satisfied_share - 2 / 3) < 1e-6, JSON.stringify(r.body.satisfaction));
        /* a manager's report counts the ratings of their department's applications (all FEN) */
        const mgr = await login(srv.url, 'fen.mudur');
        const m = await mgr.get('/api/v1/reports/summary?from=2026-05-01&to=2026-05-31');
        assert.equal(m.status, 200, JSON.stringify(m.body).slice(0, 300));
        assert.equal(m.body.satisfaction.answers, 3, JSON.stringify(m.body.satisfaction));
        const june = await sup.get('/api/v1/reports/summary?from=2026-06-01&to=2026-06-30');
        assert.equal(june.status, 200);
        assert.equal(june.body.satisfaction, null, 'no answers: null, never 0');
    });
});
