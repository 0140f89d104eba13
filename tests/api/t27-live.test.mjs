// t27: the live stream GET /api/v1/live (server-sent events), read with a raw HTTP client.
// A screen pop arrives after the exchange posts "answered"; a reconnect with Last-Event-ID gets
// the pop it missed and not the one it saw; supervisors get today's figures, a department its
// new applications; no session is 401, a bad cursor 400, the exchange's token 403; past the cap
// 503 with Retry-After, and a closed stream frees its slot; a pop written by a second serve
// process on the same database arrives too; log-out ends the stream; SIGTERM
// ends open streams at once. Time is pinned (ALO153_NOW); waits are guards, never answers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, login, client, addToken, waitFor } from '../lib/server.mjs';

const NOW = '2026-03-10T09:00:00Z';
const T0 = Date.parse(NOW) / 1000;
const at = (s) => new Date((T0 + s) * 1000).toISOString().replace('.000', '');
const GUARD_MS = 15000; /* a guard against a hang, never the test's answer */

/**
 * Open GET /api/v1/live as `c` (its cookie or bearer); resolves once the headers are in with
 * {status, headers, body (for errors), next(type), events, close(), ended}. next(type) resolves
 * with the next event of that type not taken yet ({id, event, data}).
 */
function openLive(c, { lastEventId, query = '' } = {}) {
    return new Promise((resolve, reject) => {
        const u = new URL(c.url + '/api/v1/live' + query);
        const headers = { accept: 'text/event-stream' };
        if (c.cookie) headers.cookie = c.cookie;
        if (c.bearer) headers.authorization = `Bearer ${c.bearer}`;
        if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
        const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers, agent: false });
        req.on('error', reject);
        req.on('response', (res) => {
            const s = { status: res.statusCode, headers: res.headers, events: [], comments: 0, taken: new Set(), waiters: [], raw: '' };
            let buf = '';
            let endResolve;
            s.ended = new Promise((r) => { endResolve = r; });
            const wake = () => {
                for (const w of s.waiters.slice()) {
                    const i = s.events.findIndex((e, k) => !s.taken.has(k) && e.event === w.type);
                    if (i >= 0) {
                        s.taken.add(i);
                        s.waiters.splice(s.waiters.indexOf(w), 1);
                        clearTimeout(w.timer);
                        w.resolve(s.events[i]);
                    }
                }
            };
            res.setEncoding('utf8');
            res.on('data', (chunk) => {
                s.raw += chunk;
                if (res.statusCode !== 200) return;
                buf += chunk;
                let k;
                while ((k = buf.indexOf('\n\n')) >= 0) {
                    const block = buf.slice(0, k);
                    buf = buf.slice(k + 2);
                    const ev = { id: undefined, event: 'message', data: '' };
                    let any = false;
                    for (const line of block.split('\n')) {
                        if (line.startsWith(':')) { s.comments++; continue; }
                        const m = line.match(/^([a-z]+): ?(.*)$/);
                        if (!m) continue;
                        if (m[1] === 'id') ev.id = m[2];
                        else if (m[1] === 'event') ev.event = m[2];
                        else if (m[1] === 'data') { ev.data = JSON.parse(m[2]); any = true; }
                    }
                    if (any) s.events.push(ev);
                }
                wake();
            });
            res.on('end', () => endResolve('end'));
            res.on('close', () => endResolve('close'));
            s.next = (type) => new Promise((res2, rej2) => {
                const w = { type, resolve: res2 };
                w.timer = setTimeout(() => rej2(new Error(`no ${type} event within the guard; got ${JSON.stringify(s.events.map((e) => e.event))}`)), GUARD_MS);
                s.waiters.push(w);
                wake();
            });
            s.close = () => { req.destroy(); };
            s.body = async () => {
                await s.ended;
                try { return JSON.parse(s.raw); } catch { return s.raw; }
            };
            resolve(s);
        });
        req.end();
    });
}

describe('t27 live stream', { timeout: 120000 }, () => {
    let srv, agent, sup, fen, tel, citizenId;
    const call = (id, type, s, extra = {}) => ({ call_id: id, type, at: at(s), line: '153', queue: 'genel', caller: '05329876543', ...extra });
    const answer = async (id, s, who = 'agent') => {
        const r = await tel.post('/api/v1/telephony/events', { events: [call(id, 'offered', s), call(id, 'answered', s + 7, { agent: who })] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.results[1].contact_id;
    };
    const streams = [];
    /* a stream, once a slot is free (closed streams are let go within a tick of the server's) */
    const live = (c, opts) => waitFor(async () => {
        const s = await openLive(c, opts);
        if (s.status === 200) { streams.push(s); return s; }
        await s.body();
        return false;
    }, { tries: 200, delayMs: 50, what: 'a free stream slot' });

    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW, ALO153_MAX_STREAMS: '4' } });
        agent = await login(srv.url, 'agent');
        sup = await login(srv.url, 'supervisor');
        fen = await login(srv.url, 'fen');
        tel = client(srv.url, { bearer: await addToken(srv.db, 'pbx-live', 'telephony') });
        const c = await agent.post('/api/v1/citizens', { name: 'Hüseyin Kaya', phone: '05329876543', tc: '10000000146' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        citizenId = c.body.id;
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', kind: 'complaint', text: 'Sokak lambası yanmıyor, gece çok karanlık', citizen_id: citizenId });
        assert.equal(a.status, 201, JSON.stringify(a.body));
    });
    after(async () => {
        for (const s of streams) s.close();
        if (srv) { await srv.stop(); srv.cleanup(); }
    });

    it('refuses a caller without a session (401), a bad cursor (400) and the exchange token (403)', async () => {
        const anon = await openLive(client(srv.url));
        assert.equal(anon.status, 401);
        assert.equal((await anon.body()).error.code, 'unauthorized');
        const bad = await openLive(agent, { lastEventId: 'dün' });
        assert.equal(bad.status, 400);
        assert.equal((await bad.body()).error.field, 'Last-Event-ID');
        const badq = await openLive(agent, { query: '?after=-3' });
        assert.equal(badq.status, 400);
        assert.equal((await badq.body()).error.field, 'after');
        const t = await openLive(tel);
        assert.equal(t.status, 403);
        await t.body();
    });

    let seenId, seenContact;
    it('pops the caller card on the agent console when the exchange says "answered"', async () => {
        const s = await live(agent);
        assert.equal(s.status, 200);
        assert.match(s.headers['content-type'], /^text\/event-stream/);
        assert.equal(s.headers['cache-control'], 'no-store');
        const hello = await s.next('hello');
        assert.equal(hello.data.screen_pop, true);
        assert.equal(hello.data.kpi, false, 'an agent gets no supervisor figures');
        assert.match(hello.id, /^\d+$/, 'hello carries the cursor, so a reconnect resumes even before any pop');
        const contactId = await answer('L1', -300);
        const pop = await s.next('screen_pop');
        assert.ok(Number(pop.id) > Number(hello.id), `pop id ${pop.id} after the cursor ${hello.id}`);
        assert.equal(pop.data.id, Number(pop.id));
        assert.equal(pop.data.kind, 'call_answered');
        assert.equal(pop.data.contact.id, contactId);
        assert.equal(pop.data.contact.call_id, 'L1');
        assert.equal(pop.data.caller.id, citizenId);
        assert.equal(pop.data.caller.name, 'Hüseyin Kaya');
        assert.notEqual(pop.data.caller.tc, '10000000146');
        assert.match(pop.data.caller.tc, /\*/, 'T.C. masked');
        assert.equal(pop.data.caller.applications.length, 1);
        assert.equal(pop.data.caller.applications[0].status, 'new', 'the open application is on the card');
        seenId = pop.id;
        seenContact = contactId;
        s.close();
    });

    it('a reconnect with Last-Event-ID gets the pop it missed, and not the one it saw', async () => {
        assert.ok(seenId, 'needs the previous test');
        /* the console is away (closed above) while the next call is answered */
        const missed = await answer('L2', -200);
        const s = await live(agent, { lastEventId: seenId });
        assert.equal(s.status, 200);
        const hello = await s.next('hello');
        assert.equal(hello.id, seenId, 'resumes from the cursor it was given');
        const pop = await s.next('screen_pop');
        assert.equal(pop.data.contact.id, missed, 'the missed pop comes first');
        assert.notEqual(pop.data.contact.id, seenContact, 'the pop already seen is not sent again');
        /* ?after= is the same cursor for clients that cannot set the header */
        const q = await live(agent, { query: `?after=${seenId}` });
        assert.equal((await q.next('screen_pop')).data.contact.id, missed);
        q.close();
        /* a fresh stream (no cursor) starts now: no old pops */
        const fresh = await live(agent);
        await fresh.next('hello');
        const third = await answer('L3', -100);
        assert.equal((await fresh.next('screen_pop')).data.contact.id, third, 'the first pop of a fresh stream is the new call');
        assert.equal((await s.next('screen_pop')).data.contact.id, third);
        s.close();
        fresh.close();
    });

    it('supervisors get today\'s figures, and they change as calls come in', async () => {
        const s = await live(sup);
        const hello = await s.next('hello');
        assert.equal(hello.data.kpi, true);
        const k1 = await s.next('kpi');
        assert.ok(k1.data.calls && k1.data.agents, JSON.stringify(k1.data));
        const offered = k1.data.calls.offered;
        const r = await tel.post('/api/v1/telephony/events', { events: [call('L4', 'offered', -30)] });
        assert.equal(r.status, 200);
        let k;
        do { k = await s.next('kpi'); } while (k.data.calls.offered === offered);
        assert.equal(k.data.calls.offered, offered + 1);
        assert.equal(k.data.calls.waiting, 1, 'L4 waits');
        assert.deepEqual(Object.keys(k.data).sort(), Object.keys((await sup.get('/api/v1/kpi/live')).body).sort(), 'the same figures as /kpi/live');
        s.close();
    });

    it('a department inbox gets its new applications, not the others\'', async () => {
        const s = await live(fen);
        const hello = await s.next('hello');
        assert.equal(hello.data.application, true);
        assert.equal(hello.data.screen_pop, false);
        const other = await agent.post('/api/v1/applications', { channel: 'phone_153', kind: 'complaint', text: 'Pazar yerinde izinsiz tezgah açılmış', category: 'ZAB_SEYYAR', route: true });
        assert.equal(other.status, 201, JSON.stringify(other.body));
        const mine = await agent.post('/api/v1/applications', { channel: 'phone_153', kind: 'complaint', text: 'Caddede büyük bir çukur var, araçlar zarar görüyor', category: 'FEN_YOL_CUKUR', route: true });
        assert.equal(mine.status, 201, JSON.stringify(mine.body));
        const ev = await s.next('application');
        assert.equal(ev.data.id, mine.body.id, 'the first application event is its own department\'s');
        assert.equal(ev.data.tracking, mine.body.tracking);
        assert.ok(ev.data.category);
        assert.ok(!s.events.some((e) => e.event === 'application' && e.data.id === other.body.id), 'another department\'s application is not sent');
        s.close();
    });

    it('a pop written by another serve process on the same database reaches the stream', async () => {
        const other = await startServer({ db: srv.db, env: srv.env });
        try {
            const tel2 = client(other.url, { bearer: tel.bearer });
            const s = await live(agent);
            await s.next('hello');
            const r = await tel2.post('/api/v1/telephony/events', { events: [call('L5', 'offered', -60), call('L5', 'answered', -55, { agent: 'agent' })] });
            assert.equal(r.status, 200, JSON.stringify(r.body));
            const pop = await s.next('screen_pop');
            assert.equal(pop.data.contact.id, r.body.results[1].contact_id, 'the other process\'s pop');
            s.close();
        } finally {
            await other.stop();
        }
    });

    it('caps the open streams: 503 with Retry-After beyond it, and a closed stream frees its slot', async () => {
        for (const x of streams) x.close();
        /* the server notices closed streams on their next write (at most a tick): wait for the slots */
        const open = [];
        await waitFor(async () => {
            const s = await openLive(agent);
            if (s.status !== 200) { await s.body(); return false; }
            open.push(s);
            streams.push(s);
            return open.length === 4;
        }, { tries: 200, delayMs: 50, what: '4 streams open' });
        const over = await openLive(sup);
        assert.equal(over.status, 503);
        assert.ok(Number(over.headers['retry-after']) >= 1, 'Retry-After');
        assert.equal((await over.body()).error.code, 'too_many_streams');
        /* other requests still work while the streams are at the cap */
        assert.equal((await agent.get('/api/v1/me')).status, 200);
        open[0].close();
        const again = await waitFor(async () => {
            const s = await openLive(sup);
            if (s.status === 200) { streams.push(s); return s; }
            await s.body();
            return false;
        }, { tries: 200, delayMs: 50, what: 'a slot freed by the closed stream' });
        assert.equal((await again.next('hello')).data.kpi, true);
        for (const x of open) x.close();
        again.close();
    });

    it('log-out ends the stream; SIGTERM ends the open streams so the server stops', async () => {
        const other = await login(srv.url, 'agent');
        const s = await waitFor(async () => {
            const x = await openLive(other);
            if (x.status === 200) { streams.push(x); return x; }
            await x.body();
            return false;
        }, { tries: 200, delayMs: 50, what: 'a stream slot' });
        await s.next('hello');
        assert.equal((await other.del('/api/v1/session')).status, 204);
        const end = await s.next('end');
        assert.equal(end.data.reason, 'session_ended');
        await s.ended;

        const last = await waitFor(async () => {
            const x = await openLive(sup);
            if (x.status === 200) { streams.push(x); return x; }
            await x.body();
            return false;
        }, { tries: 200, delayMs: 50, what: 'a stream slot' });
        await last.next('hello');
        const mark = srv.logMark();
        const stopped = srv.stop();
        assert.ok(['end', 'close'].includes(await last.ended), 'the server ended the stream');
        await stopped;
        const log = srv.stderr().split('\n').slice(mark).join('\n');
        assert.match(log, /msg="stream closed"/);
        srv = null;
    });
});
