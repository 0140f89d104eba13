// t22: the contact centre. Exchange events for calls → the agent's screen pop (long-poll) →
// contacts closed with exactly one outcome (instant information with an article, an
// application registered from the call, a follow-up, not relevant); abandoned calls counted;
// agents' states; live KPIs that add up against the rows made here; access by role; bad input
// gets a clear 400/409/422 and changes nothing. Time is pinned (ALO153_NOW).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, addToken, assertError } from '../lib/server.mjs';

const NOW = '2026-03-10T09:00:00Z';
const T0 = Date.parse(NOW) / 1000;
/* rates are sent with 10 significant digits */
const near = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
const at = (s) => new Date((T0 + s) * 1000).toISOString().replace('.000', '');
const put = (c, p, body) => c.raw(p, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('t22 contact centre', { timeout: 120000 }, () => {
    let srv, admin, sup, agent, desk, tel, citizenId, articleId;
    const call = (id, type, s, extra = {}) => ({ call_id: id, type, at: at(s), line: '153', queue: 'genel', caller: '05321234567', ...extra });
    const events = (list) => tel.post('/api/v1/telephony/events', { events: list });
    /** answer a call: offered at s, answered by `who` after wait seconds; returns the result of answered */
    async function answered(id, s, wait, who = 'agent') {
        const r = await events([call(id, 'offered', s), call(id, 'ringing', s + 1, { agent: who }), call(id, 'answered', s + wait, { agent: who })]);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.results[2];
    }

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW, ALO153_THREADS: '8' } });
        admin = await login(srv.url, 'admin');
        sup = await login(srv.url, 'supervisor');
        agent = await login(srv.url, 'agent');
        desk = await login(srv.url, 'desk');
        tel = client(srv.url, { bearer: await addToken(srv.db, 'pbx-cc', 'telephony') });
        const c = await agent.post('/api/v1/citizens', { name: 'Ayşe Öztürk', phone: '05321234567', tc: '10000000146' });
        assert.equal(c.status, 201);
        citizenId = c.body.id;
        const a = await sup.post('/api/v1/kb/articles', {
            title: 'Planlı su kesintileri', body: 'Melikgazi ilçesinde planlı SU KESİNTİSİ saat 14.00\'te sona erecek.',
            keywords: 'su arıza kesinti', category: 'SU_ARIZA',
        });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        articleId = a.body.id;
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('knowledge base: editors write, everyone searches in Turkish, others get 403', async () => {
        assertError(await agent.post('/api/v1/kb/articles', { title: 'x', body: 'y' }), 403);
        assertError(await tel.post('/api/v1/kb/articles', { title: 'x', body: 'y' }), 403);
        assertError(await sup.post('/api/v1/kb/articles', { body: 'başlıksız' }), 400, 'missing_field', 'title');
        assertError(await sup.post('/api/v1/kb/articles', { title: 'x', body: 'y', category: 'YOK_BOYLE' }), 422, undefined, 'category');
        /* (init --demo adds its own articles: the searches are told apart by their words) */
        for (const q of ['su kesintisi melikgazi', 'KESİNTİLERİ MELİKGAZİ', 'kesinti melikgazi']) {
            const r = await agent.get(`/api/v1/kb/articles?q=${encodeURIComponent(q)}`);
            assert.equal(r.status, 200);
            assert.deepEqual(r.body.items.map((x) => x.id), [articleId], q);
        }
        assert.equal((await agent.get('/api/v1/kb/articles?q=vapur')).body.items.length, 0);
        const off = await sup.patch(`/api/v1/kb/articles/${articleId + 1000}`, { active: false });
        assertError(off, 404);
        const hidden = await sup.post('/api/v1/kb/articles', { title: 'Eski tarife', body: 'Kaldırılan vapur seferleri' });
        assert.equal((await agent.get('/api/v1/kb/articles?q=vapur')).body.items.length, 1);
        assert.equal((await sup.patch(`/api/v1/kb/articles/${hidden.body.id}`, { active: false })).body.active, false);
        assert.equal((await agent.get('/api/v1/kb/articles?q=vapur')).body.items.length, 0, 'inactive articles are not offered');
        assertError(await agent.get(`/api/v1/kb/articles/${hidden.body.id}`), 404);
    });

    it('a call answered pops the caller card on the agent console; the contact closes once', async () => {
        assert.equal((await put(agent, '/api/v1/agents/me/state', { state: 'ready' })).body.state, 'ready');
        const cursor = (await agent.get('/api/v1/agents/me/events?wait=0')).body.next;
        /* the long-poll is waiting before the exchange says "answered" */
        const poll = agent.get(`/api/v1/agents/me/events?after=${cursor}&wait=8`);
        const res = await answered('C1', -600, 10);
        assert.equal(res.state, 'answered');
        assert.ok(res.contact_id > 0);
        const got = await poll;
        assert.equal(got.status, 200);
        assert.equal(got.body.items.length, 1, JSON.stringify(got.body));
        const pop = got.body.items[0];
        assert.equal(pop.kind, 'call_answered');
        assert.equal(pop.contact.id, res.contact_id);
        assert.equal(pop.contact.call_id, 'C1');
        assert.equal(pop.contact.wait_s, 10);
        assert.equal(pop.caller.name, 'Ayşe Öztürk');
        assert.equal(pop.caller.id, citizenId);
        assert.notEqual(pop.caller.tc, '10000000146', 'T.C. masked on the screen pop');
        assert.match(pop.caller.tc, /\*/);
        assert.ok(Array.isArray(pop.caller.applications) && Array.isArray(pop.caller.contacts));
        /* the next poll starts after it: nothing new, answered at once with wait=0 */
        assert.equal((await agent.get(`/api/v1/agents/me/events?after=${got.body.next}&wait=0`)).body.items.length, 0);

        assert.equal((await agent.get('/api/v1/agents/me/state')).body.state, 'on_call');
        assert.equal((await events([call('C1', 'ended', -300)])).status, 200);
        assert.equal((await agent.get('/api/v1/agents/me/state')).body.state, 'wrap_up');
        /* instant information needs the article or a note: 400 and the contact stays open */
        assertError(await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'instant_info' }), 400, 'missing_field', 'kb_article_id');
        assertError(await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'instant_info', kb_article_id: 99999 }), 422, undefined, 'kb_article_id');
        assertError(await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'instant_info', kb_article_id: articleId, reason: 'prank' }), 400, undefined, 'reason');
        assert.equal((await agent.get(`/api/v1/contacts/${res.contact_id}`)).body.outcome, null);
        const closed = await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'instant_info', kb_article_id: articleId });
        assert.equal(closed.status, 200, JSON.stringify(closed.body));
        assert.equal(closed.body.outcome, 'instant_info');
        assert.equal(closed.body.kb_article_id, articleId);
        assert.equal(closed.body.citizen_id, citizenId, 'the caller was recognised by the phone number');
        const again = await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'not_relevant', reason: 'prank' });
        assertError(again, 409, 'already_closed');
        assert.equal((await agent.get(`/api/v1/contacts/${res.contact_id}`)).body.outcome, 'instant_info', 'the first outcome stays');
        assert.equal((await agent.get('/api/v1/agents/me/state')).body.state, 'ready');
        assert.equal((await agent.get(`/api/v1/kb/articles/${articleId}`)).body.uses, 1);
    });

    it('exchange events are idempotent, order-tolerant, and refused clearly when wrong', async () => {
        const before = (await sup.get('/api/v1/contacts?limit=500')).body.items.length;
        const dup = await events([call('C1', 'answered', -590, { agent: 'agent' })]);
        assert.equal(dup.body.results[0].duplicate, true);
        /* out of order: answered arrives before offered; one contact all the same */
        const r = await events([call('C2', 'answered', -500 + 20, { agent: 'agent' }), call('C2', 'offered', -500)]);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.results[1].state, 'answered');
        const c2 = await agent.get(`/api/v1/contacts/${r.body.results[0].contact_id}`);
        assert.equal(c2.body.wait_s, 20, 'wait counted from the earliest event');
        assert.equal((await sup.get('/api/v1/contacts?limit=500')).body.items.length, before + 1);
        /* a single event object works too */
        const one = await tel.post('/api/v1/telephony/events', call('C2', 'ended', -400));
        assert.equal(one.status, 200);
        assert.equal(one.body.state, 'ended');
        assert.equal((await agent.get('/api/v1/agents/me/state')).body.state, 'wrap_up');
        const silent = await agent.post(`/api/v1/contacts/${c2.body.id}/close`, { outcome: 'not_relevant', reason: 'silent' });
        assert.equal(silent.status, 200, JSON.stringify(silent.body));

        assertError(await tel.post('/api/v1/telephony/events', call('X1', 'exploded', -10)), 400, undefined, 'type');
        assertError(await tel.post('/api/v1/telephony/events', { type: 'offered', at: at(-10) }), 400, 'missing_field', 'call_id');
        assertError(await tel.post('/api/v1/telephony/events', call('X1', 'offered', 3600)), 400, undefined, 'at');
        assertError(await tel.post('/api/v1/telephony/events', call('X1', 'offered', -10, { at: 'dün' })), 400, undefined, 'at');
        assertError(await tel.post('/api/v1/telephony/events', { events: Array.from({ length: 501 }, (_, i) => call(`Y${i}`, 'offered', -10)) }), 400, 'too_many');
        /* a bad event in a batch: 422 and nothing of the batch is kept */
        const bad = await events([call('X2', 'offered', -100), call('X2', 'answered', -90, { agent: 'nobody' })]);
        assertError(bad, 422, 'unknown_agent', 'agent');
        assert.match(bad.body.error.message, /^event 1: /);
        const redo = await events([call('X2', 'offered', -100)]);
        assert.equal(redo.body.results[0].duplicate, false, 'the first event of the refused batch was not kept');
        /* queues are reference data: a queue the centre does not have is 422, nothing kept
         * (yesterday's call: today's figures below stay as they are) */
        const wrongQueue = await events([call('Q1', 'offered', -86400, { queue: 'zabıta' })]);
        assertError(wrongQueue, 422, 'unknown_queue', 'queue');
        assert.deepEqual((await admin.get('/api/v1/settings')).body.queues, ['genel'], 'the default');
        assertError(await admin.patch('/api/v1/settings', { queues: 'genel, zabıta' }), 400, undefined, 'queues');
        assertError(await admin.patch('/api/v1/settings', { queues: ' , ' }), 400, 'missing_field', 'queues');
        assertError(await sup.patch('/api/v1/settings', { queues: 'genel,zabita' }), 403);
        const set = await admin.patch('/api/v1/settings', { queues: 'genel zabita, genel' });
        assert.equal(set.status, 200, JSON.stringify(set.body));
        assert.deepEqual(set.body.queues, ['genel', 'zabita'], 'spaces or commas, repeats dropped');
        const okQueue = await events([call('Q1', 'offered', -86400, { queue: 'zabita' })]);
        assert.equal(okQueue.body.results[0].duplicate, false, 'the refused event was not kept');
        /* only the exchange's token posts events */
        assertError(await agent.post('/api/v1/telephony/events', call('X3', 'offered', -10)), 403);
        assertError(await sup.post('/api/v1/telephony/events', call('X3', 'offered', -10)), 403);
        assertError(await tel.get('/api/v1/contacts'), 403);
        assertError(await tel.get('/api/v1/kpi/live'), 403);
    });

    it('application, follow-up and not-relevant outcomes; desk and mobile desk contacts', async () => {
        const res = await answered('C3', -250, 20);
        const app = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokağımızda su borusu patladı', citizen_id: citizenId });
        assert.equal(app.status, 201);
        assertError(await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'application' }), 400, 'missing_field', 'application_id');
        assertError(await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'application', application_id: 999999 }), 422);
        const ok = await agent.post(`/api/v1/contacts/${res.contact_id}/close`, { outcome: 'application', application_id: app.body.id });
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.equal(ok.body.application_id, app.body.id);
        const byApp = await agent.get(`/api/v1/contacts?application_id=${app.body.id}&citizen_id=${citizenId}`);
        assert.deepEqual(byApp.body.items.map((c) => c.id), [res.contact_id]);

        const res2 = await answered('C4', -200, 40);
        await events([call('C4', 'ended', -100)]);
        const fu = await agent.post(`/api/v1/contacts/${res2.contact_id}/close`, { outcome: 'followup', application_id: app.body.id, note: 'Vatandaş durumu sordu' });
        assert.equal(fu.status, 200, JSON.stringify(fu.body));

        const walk = await desk.post('/api/v1/contacts', { channel: 'desk', outcome: 'not_relevant', reason: 'prank' });
        assert.equal(walk.status, 201, JSON.stringify(walk.body));
        assert.equal(walk.body.outcome, 'not_relevant');
        assertError(await desk.post('/api/v1/contacts', { channel: 'desk', outcome: 'not_relevant' }), 400, 'missing_field', 'reason');
        assertError(await desk.post('/api/v1/contacts', { channel: 'desk', outcome: 'not_relevant', reason: 'bored' }), 400, undefined, 'reason');
        assertError(await desk.post('/api/v1/contacts', { channel: 'fax' }), 400, undefined, 'channel');
        assertError(await desk.post('/api/v1/contacts', { channel: 'desk', outcome: 'maybe' }), 400, undefined, 'outcome');
        assertError(await desk.post('/api/v1/contacts', { channel: 'mobile_desk', outcome: 'instant_info', note: 'bilgi verildi' }), 400, 'missing_field', 'district_id');
        const district = (await admin.get('/api/v1/districts')).body.items[0].id;
        assertError(await desk.post('/api/v1/contacts', { channel: 'mobile_desk', district_id: 999999, outcome: 'instant_info', note: 'x' }), 422, undefined, 'district_id');
        const bus = await desk.post('/api/v1/contacts', { channel: 'mobile_desk', district_id: district, outcome: 'instant_info', note: 'Çözüm otobüsünde bilgi verildi' });
        assert.equal(bus.status, 201, JSON.stringify(bus.body));
        assert.equal(bus.body.district_id, district);
        /* an open walk-in, closed later */
        const open = await desk.post('/api/v1/contacts', { channel: 'desk', citizen_id: citizenId });
        assert.equal(open.status, 201);
        assert.equal(open.body.outcome, null);
        assert.equal((await desk.post(`/api/v1/contacts/${open.body.id}/close`, { outcome: 'transferred_out', institution: 'AYEDAS' })).status, 200);

        /* who sees which contacts */
        assertError(await desk.get(`/api/v1/contacts/${res.contact_id}`), 404);
        assert.ok((await desk.get('/api/v1/contacts')).body.items.every((c) => c.user_id === walk.body.user_id));
        assert.ok((await sup.get(`/api/v1/contacts/${res.contact_id}`)).status === 200);
        assertError(await client(srv.url).get('/api/v1/contacts'), 401);
        const fen = await login(srv.url, 'fen');
        assertError(await fen.get('/api/v1/contacts'), 403);
        assertError(await fen.get('/api/v1/agents/me/events?wait=0'), 403);
    });

    it('abandoned calls are counted; short abandons apart; KPIs add up against the rows', async () => {
        await events([call('C5', 'offered', -150), call('C5', 'abandoned', -150 + 30)]);
        const short = await events([call('C6', 'offered', -120), call('C6', 'abandoned', -120 + 3)]);
        assert.equal(short.body.results[1].state, 'abandoned');
        await events([call('C7', 'offered', -30)]); /* still waiting */
        const k = await sup.get('/api/v1/kpi/live');
        assert.equal(k.status, 200, JSON.stringify(k.body));
        const calls = k.body.calls;
        /* C1..C4 answered (waits 10, 20, 20, 40), X2 offered only... */
        assert.equal(calls.answered, 4);
        assert.equal(calls.abandoned, 2);
        assert.equal(calls.short_abandoned, 1);
        assert.equal(calls.waiting, 2, 'C7 and X2 are still in the queue');
        assert.equal(calls.offered, calls.answered + calls.abandoned + calls.waiting);
        near(calls.answer_rate, 4 / 5, 'answer rate');
        near(calls.service_level, 3 / 5, 'service level: answered within 20 s, exactly 20 included');
        assert.equal(calls.asa_s, (10 + 20 + 20 + 40) / 4);
        assert.equal(calls.max_wait_s, 40);
        assert.equal(calls.longest_waiting_s, 100);
        const all = (await sup.get('/api/v1/contacts?limit=500')).body.items;
        const byOutcome = {};
        for (const c of all) byOutcome[c.outcome ?? 'open'] = (byOutcome[c.outcome ?? 'open'] || 0) + 1;
        assert.equal(k.body.contacts.total, all.length);
        for (const o of ['instant_info', 'application', 'followup', 'not_relevant', 'transferred_out'])
            assert.equal(k.body.contacts.by_outcome[o], byOutcome[o] || 0, o);
        const closed = all.length - (byOutcome.open || 0);
        near(k.body.contacts.instant_info_share, byOutcome.instant_info / closed, 'instant information share');
        assert.equal(k.body.contacts.by_channel.mobile_desk, 1);
        assertError(await agent.get('/api/v1/kpi/live'), 403);
    });

    it('agent states: the rules, and the supervisor sees who is in which state since when', async () => {
        assertError(await put(agent, '/api/v1/agents/me/state', { state: 'paused' }), 400, 'missing_field', 'reason');
        assertError(await put(agent, '/api/v1/agents/me/state', { state: 'on_call' }), 400, 'derived_state');
        assertError(await put(agent, '/api/v1/agents/me/state', { state: 'asleep' }), 400, undefined, 'state');
        const p = await put(agent, '/api/v1/agents/me/state', { state: 'paused', reason: 'training' });
        assert.equal(p.status, 200);
        assert.equal(p.body.reason, 'training');
        assert.equal((await put(desk, '/api/v1/agents/me/state', { state: 'logged_out' })).status, 200);
        assertError(await put(desk, '/api/v1/agents/me/state', { state: 'paused', reason: 'break' }), 409, 'not_logged_in');
        const list = await sup.get('/api/v1/agents');
        assert.equal(list.status, 200);
        const by = Object.fromEntries(list.body.items.map((a) => [a.username, a]));
        assert.equal(by.agent.state, 'paused');
        assert.equal(by.agent.since, NOW.replace('Z', 'Z'));
        assert.equal(by.desk.state, 'logged_out');
        /* the exchange may log an agent in */
        assert.equal((await events([{ type: 'agent_login', agent: 'desk', at: at(-5) }])).status, 200);
        assert.equal((await desk.get('/api/v1/agents/me/state')).body.state, 'ready');
        const k = await sup.get('/api/v1/kpi/live');
        assert.equal(k.body.agents.paused, 1);
        assert.equal(k.body.agents.ready, 1);
        assertError(await agent.get('/api/v1/agents'), 403);
    });
});
