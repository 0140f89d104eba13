// t2: the application lifecycle (every action, every illegal transition) and role isolation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, listAllIds, countApps } from '../lib/server.mjs';

// The server's clock is pinned (ALO153_NOW): Tuesday 5 January 2027, 10:00 Istanbul (UTC+3).
// Working-day deadlines end at 23:59:59 Istanbul = 20:59:59Z; calendar days are n × 24 h.
// FEN_YOL_CUKUR allows 2 / 10 working days (first response / resolution), ZAB_SEYYAR 1 / 3
// calendar days, CEV_COP_TOPLAMA 1 / 2 calendar days (src/core/reference.c).
const T0 = '2027-01-05T07:00:00Z';
const DAY = 86400 * 1000;
const plus = (at, days) => new Date(Date.parse(at) + days * DAY).toISOString().replace(/\.000Z$/, 'Z');
const FEN_FIRST_DUE = '2027-01-07T20:59:59Z'; // Wed 6, Thu 7
const FEN_DUE = '2027-01-19T20:59:59Z'; // 6, 7, 8, 11, 12, 13, 14, 15, 18, 19 January
const clock = (a) => ({
    forwarded_at: a.forwarded_at, first_response_due: a.first_response_due,
    resolution_due: a.resolution_due, first_response_at: a.first_response_at,
});

describe('t2 lifecycle', { timeout: 60000 }, () => {
    let srv, admin, agent, desk, fen, fenMudur, zabita, cevre, supervisor;

    before(async () => {
        srv = await startServer({ env: { ALO153_NOW: T0 } });
        [admin, agent, desk, fen, fenMudur, zabita, cevre, supervisor] = await Promise.all(
            ['admin', 'agent', 'desk', 'fen', 'fen.mudur', 'zabita', 'cevre', 'supervisor'].map((u) => login(srv.url, u)));
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function create(body = {}, who = agent) {
        const r = await who.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokağımızdaki yolda büyük çukur oluştu', ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
    }
    async function act(who, id, action, body) {
        return who.post(`/api/v1/applications/${id}/${action}`, body);
    }
    async function ok(who, id, action, body) {
        const r = await act(who, id, action, body);
        assert.equal(r.status, 200, `${action}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
    }
    const lastEvent = (a) => a.history[a.history.length - 1];
    function assertEvent(a, action, from, to, note) {
        const e = lastEvent(a);
        assert.equal(e.action, action, JSON.stringify(a.history));
        assert.equal(e.from, from, `${action} from: ${JSON.stringify(e)}`);
        assert.equal(e.to, to, `${action} to: ${JSON.stringify(e)}`);
        if (note !== undefined) assert.equal(e.note, note, JSON.stringify(e));
        assert.ok(e.at && !Number.isNaN(Date.parse(e.at)), JSON.stringify(e));
    }

    it('full path new → forwarded → in_progress → resolved → closed → (reopen) forwarded', async () => {
        const a0 = await create({ category: 'FEN_YOL_CUKUR' });
        assert.equal(a0.status, 'new');
        const a1 = await ok(agent, a0.id, 'route');
        assert.equal(a1.status, 'forwarded');
        assert.equal(a1.department, 'FEN');
        assert.deepEqual(clock(a1), { forwarded_at: T0, first_response_due: FEN_FIRST_DUE, resolution_due: FEN_DUE, first_response_at: null });
        assertEvent(a1, 'route', 'new', 'forwarded');
        assert.equal(a1.history.length, 2);
        assert.ok(a1.allowed_actions.includes('transfer'));
        assert.ok(!a1.allowed_actions.includes('accept'), 'agents cannot accept: ' + a1.allowed_actions);

        const seenByFen = await fen.get(`/api/v1/applications/${a0.id}`);
        assert.equal(seenByFen.status, 200);
        for (const x of ['accept', 'return', 'transfer', 'note']) assert.ok(seenByFen.body.allowed_actions.includes(x), `${x} in ${seenByFen.body.allowed_actions}`);
        for (const x of ['route', 'close', 'duplicate']) assert.ok(!seenByFen.body.allowed_actions.includes(x), `${x} not in ${seenByFen.body.allowed_actions}`);

        const a2 = await ok(fen, a0.id, 'accept');
        assert.equal(a2.status, 'in_progress');
        assert.equal(a2.first_response_at, T0, 'accept records the first response');
        assertEvent(a2, 'accept', 'forwarded', 'in_progress');

        const a3 = await ok(fen, a0.id, 'respond', { response: 'Ekiplerimiz çukuru asfaltla kapattı.' });
        assert.equal(a3.status, 'resolved');
        assert.equal(a3.public_response, 'Ekiplerimiz çukuru asfaltla kapattı.');
        assert.equal(a3.responded_at, T0);
        assertEvent(a3, 'respond', 'in_progress', 'resolved', 'Ekiplerimiz çukuru asfaltla kapattı.');

        const a4 = await ok(agent, a0.id, 'close');
        assert.equal(a4.status, 'closed');
        assert.equal(a4.closed_at, T0);
        assertEvent(a4, 'close', 'resolved', 'closed');

        const a5 = await ok(agent, a0.id, 'reopen', { note: 'Vatandaş çukurun yeniden açıldığını bildirdi' });
        assert.equal(a5.status, 'forwarded');
        assert.equal(a5.closed_at, null);
        // the clock restarts (at the same pinned instant here; t2 'moving clock' below and
        // t10 check it from a later moment): a new first response is awaited
        assert.deepEqual(clock(a5), { forwarded_at: T0, first_response_due: FEN_FIRST_DUE, resolution_due: FEN_DUE, first_response_at: null });
        assert.equal(a5.department, 'FEN');
        assertEvent(a5, 'reopen', 'closed', 'forwarded', 'Vatandaş çukurun yeniden açıldığını bildirdi');
        assert.deepEqual(a5.history.map((e) => e.action), ['create', 'route', 'accept', 'respond', 'close', 'reopen']);
        for (const e of a5.history) assert.ok('user' in e && 'public' in e, JSON.stringify(e));
    });

    it('route takes a category when the application has none', async () => {
        const a = await create({ text: 'Park içindeki ağaç devrilmek üzere' });
        assertError(await act(agent, a.id, 'route', {}), 400, undefined, 'category');
        assertError(await act(agent, a.id, 'route', { category: 'NOPE_NOPE' }), 422, undefined, 'category');
        const r = await ok(agent, a.id, 'route', { category: 'PARK_AGAC_TEHLIKE' });
        assert.equal(r.status, 'forwarded');
        assert.equal(r.category, 'PARK_AGAC_TEHLIKE');
        assert.equal(r.department, 'PARK');
    });

    it('reject-answer takes resolved back to in_progress and needs a note', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        await ok(fen, a.id, 'accept');
        await ok(fen, a.id, 'respond', { response: 'Yapıldı.' });
        assertError(await act(agent, a.id, 'reject-answer', {}), 400, undefined, 'note');
        const r = await ok(agent, a.id, 'reject-answer', { note: 'Vatandaş cevabı yetersiz buldu' });
        assert.equal(r.status, 'in_progress');
        assertEvent(r, 'reject-answer', 'resolved', 'in_progress', 'Vatandaş cevabı yetersiz buldu');
    });

    it('respond needs a response', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        await ok(fen, a.id, 'accept');
        assertError(await act(fen, a.id, 'respond', {}), 400, undefined, 'response');
        assertError(await act(fen, a.id, 'respond', { response: '' }), 400, undefined, 'response');
        assert.equal((await fen.get(`/api/v1/applications/${a.id}`)).body.status, 'in_progress');
    });

    it('return sends forwarded back to new, clears department and deadline, needs a note', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        assertError(await act(fen, a.id, 'return', {}), 400, undefined, 'note');
        const r = await ok(fen, a.id, 'return', { note: 'Bu konu bizim birimimize ait değil' });
        assert.equal(r.status, 'new');
        assert.equal(r.department, null);
        assert.equal(r.resolution_due, null);
        assert.equal(r.forwarded_at, null);
        assertEvent(r, 'return', 'forwarded', 'new', 'Bu konu bizim birimimize ait değil');
        assertError(await fen.get(`/api/v1/applications/${a.id}`), 404);
        const again = await agent.get(`/api/v1/applications/${a.id}`);
        assert.equal(again.body.status, 'new');
    });

    it('transfer to a category of another department moves it there', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        const before = a.history === undefined ? 2 : a.history.length;
        const r = await ok(fen, a.id, 'transfer', { category: 'ZAB_SEYYAR', note: 'Seyyar satıcı şikayeti' });
        assert.equal(r.status, 'forwarded');
        assert.equal(r.category, 'ZAB_SEYYAR');
        assert.equal(r.department, 'ZABITA');
        // the clock restarts with ZAB_SEYYAR's allowances (1 / 3 calendar days)
        assert.deepEqual(clock(r), { forwarded_at: T0, first_response_due: plus(T0, 1), resolution_due: plus(T0, 3), first_response_at: null });
        assertEvent(r, 'transfer', 'forwarded', 'forwarded');
        assert.equal(r.history.length, before + 1);
        assertError(await fen.get(`/api/v1/applications/${a.id}`), 404);
        const z = await zabita.get(`/api/v1/applications/${a.id}`);
        assert.equal(z.status, 200);
        assert.equal(z.body.department, 'ZABITA');
    });

    it('transfer from in_progress goes back to forwarded in the new department', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        await ok(fen, a.id, 'accept');
        const r = await ok(fen, a.id, 'transfer', { category: 'CEV_COP_TOPLAMA' });
        assert.equal(r.status, 'forwarded');
        assert.equal(r.department, 'CEVRE');
        assertEvent(r, 'transfer', 'in_progress', 'forwarded');
        // a new department, a new clock: CEV_COP_TOPLAMA's 1 / 2 calendar days, first response awaited again
        assert.deepEqual(clock(r), { forwarded_at: T0, first_response_due: plus(T0, 1), resolution_due: plus(T0, 2), first_response_at: null });
        assert.equal((await cevre.get(`/api/v1/applications/${a.id}`)).status, 200);
    });

    it('transfer to a department keeps the category; bad transfers are refused', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        assertError(await act(admin, a.id, 'transfer', {}), 400, undefined, 'category');
        assertError(await act(admin, a.id, 'transfer', { department: 'NOPE' }), 422, undefined, 'department');
        assertError(await act(admin, a.id, 'transfer', { category: 'NOPE_NOPE' }), 422, undefined, 'category');
        assertError(await act(fen, a.id, 'transfer', { department: 'FEN' }), 400, undefined, 'department');
        const r = await ok(admin, a.id, 'transfer', { department: 'FEN_YOL' });
        assert.equal(r.department, 'FEN_YOL');
        assert.equal(r.category, 'FEN_YOL_CUKUR');
        assert.deepEqual(clock(r), { forwarded_at: T0, first_response_due: FEN_FIRST_DUE, resolution_due: FEN_DUE, first_response_at: null });
        assert.equal((await fen.get(`/api/v1/applications/${a.id}`)).status, 200, 'FEN staff see the FEN_YOL branch');
        const n = await create({});
        assertError(await act(agent, n.id, 'transfer', { department: 'FEN' }), 409, 'invalid_transition');
    });

    it('CİMER applications are due within the municipality\'s promise (15 days by default; law 3071 allows 30)', async () => {
        const c = await admin.post('/api/v1/categories', { code: 'IMAR_UZUN_TEST', department: 'IMAR', name: 'Uzun süreli test konusu', sla_days: 90, working_days: false });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        assert.equal(c.body.first_response_days, 1, JSON.stringify(c.body));
        assert.equal((await admin.get('/api/v1/settings')).body.cimer_ceiling_days, 15);
        const cimer = await create({ channel: 'cimer', text: 'CİMER üzerinden gelen imar başvurusu', category: 'IMAR_UZUN_TEST', route: true });
        assert.equal(cimer.created_at, T0);
        assert.equal(cimer.resolution_due, plus(T0, 15), 'capped at created_at + 15 × 24 h');
        assert.equal(cimer.first_response_due, plus(T0, 1), 'the category\'s 1 day is below the cap');
        const phone = await create({ channel: 'phone_153', text: 'Telefonla gelen imar başvurusu', category: 'IMAR_UZUN_TEST', route: true });
        assert.equal(phone.resolution_due, plus(T0, 90), 'other channels keep the category\'s 90 calendar days');
    });

    it('hold and resume flip on_hold; refused holds and resumes change nothing', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        assertError(await act(fen, a.id, 'hold', { note: 'Vatandaştan adres bekleniyor' }), 409, 'invalid_transition');
        const acc = await ok(fen, a.id, 'accept');
        assert.equal(acc.resolution_due, FEN_DUE);
        assertError(await act(fen, a.id, 'resume', {}), 409, 'conflict');
        assertError(await act(fen, a.id, 'hold', {}), 400, undefined, 'note');
        const h = await ok(fen, a.id, 'hold', { note: 'Vatandaştan adres bekleniyor' });
        assert.equal(h.status, 'in_progress');
        assert.equal(h.on_hold, true);
        assert.equal(h.overdue, false);
        assert.equal(lastEvent(h).action, 'hold');
        assert.equal(lastEvent(h).note, 'Vatandaştan adres bekleniyor');
        assertError(await act(fen, a.id, 'hold', { note: 'yine' }), 409, 'conflict');
        assertError(await act(agent, a.id, 'resume', {}), 403, 'forbidden');
        const still = await fen.get(`/api/v1/applications/${a.id}`);
        assert.equal(still.body.on_hold, true, 'the refused resume changed nothing');
        assert.deepEqual(still.body.history.map((e) => e.action), ['create', 'route', 'accept', 'hold']);
        // resumed at the same pinned instant: a pause of 0 s moves nothing (the moving-clock
        // describe below checks a real pause)
        const r = await ok(fen, a.id, 'resume', {});
        assert.equal(r.on_hold, false);
        assert.equal(r.status, 'in_progress');
        assert.equal(lastEvent(r).action, 'resume');
        assert.equal(r.resolution_due, FEN_DUE);
        assertError(await act(fen, a.id, 'resume', {}), 409, 'conflict');
    });

    it('out-of-scope with a DIS category uses the category redirect', async () => {
        const cats = await agent.get('/api/v1/categories?department=DIS');
        const elek = cats.body.items.find((c) => c.code === 'DIS_ELEKTRIK');
        assert.ok(elek && elek.redirect, JSON.stringify(cats.body));
        const a = await create({ text: 'Mahallemizde elektrik kesintisi var' });
        const r = await ok(agent, a.id, 'out-of-scope', { category: 'DIS_ELEKTRIK' });
        assert.equal(r.status, 'out_of_scope');
        assert.equal(r.redirect, elek.redirect);
        assert.equal(r.category, 'DIS_ELEKTRIK');
        assert.ok(r.closed_at);
        assertEvent(r, 'out-of-scope', 'new', 'out_of_scope', elek.redirect);
        assertError(await act(agent, a.id, 'route', { category: 'FEN_YOL_CUKUR' }), 409, 'invalid_transition');
    });

    it('out-of-scope with an institution uses it; without anything it is 400', async () => {
        const a = await create({ text: 'Okul servisi hakkında şikayet' });
        assertError(await act(agent, a.id, 'out-of-scope', {}), 400, undefined, 'institution');
        const r = await ok(agent, a.id, 'out-of-scope', { institution: 'İl Milli Eğitim Müdürlüğü' });
        assert.equal(r.redirect, 'İl Milli Eğitim Müdürlüğü');
        assert.equal(r.status, 'out_of_scope');
        const b = await create({ category: 'DIS_DOGALGAZ', text: 'Doğalgaz kokusu geliyor' });
        const r2 = await ok(agent, b.id, 'out-of-scope', {});
        assert.match(r2.redirect, /187|[Dd]oğalgaz/);
        const f = await create({ category: 'FEN_YOL_CUKUR', route: true });
        assertError(await act(agent, f.id, 'out-of-scope', { institution: 'KCETAŞ' }), 409, 'invalid_transition');
    });

    it('duplicate links to the original and sets duplicate_of', async () => {
        const orig = await create({ text: 'Cumhuriyet Caddesi üzerinde çukur' });
        const dup = await create({ text: 'Cumhuriyet Caddesi çukuru tekrar' });
        assertError(await act(agent, dup.id, 'duplicate', {}), 400, undefined, 'duplicate_of');
        assertError(await act(agent, dup.id, 'duplicate', { duplicate_of: dup.id }), 400, undefined, 'duplicate_of');
        assertError(await act(agent, dup.id, 'duplicate', { duplicate_of: 99999999 }), 422, undefined, 'duplicate_of');
        assertError(await act(agent, dup.id, 'duplicate', { duplicate_of: 'x' }), 400, 'invalid_field', 'duplicate_of');
        assertError(await act(agent, dup.id, 'duplicate', { duplicate_of: true }), 400, 'invalid_type', 'duplicate_of');
        assertError(await act(agent, dup.id, 'duplicate', { duplicate_of: '2000-999999' }), 422, undefined, 'duplicate_of');
        const r = await ok(agent, dup.id, 'duplicate', { duplicate_of: orig.id });
        assert.equal(r.status, 'duplicate');
        assert.equal(r.duplicate_of, orig.id);
        assert.ok(r.links.some((l) => l.id === orig.id && l.kind === 'duplicate' && l.tracking === orig.tracking), JSON.stringify(r.links));
        assertEvent(r, 'duplicate', 'new', 'duplicate');
        const third = await create({ text: 'Üçüncü kez aynı çukur' });
        assertError(await act(agent, third.id, 'duplicate', { duplicate_of: dup.id }), 422, undefined, 'duplicate_of');
        /* the tracking number read off the screen works as well as the id */
        const byTracking = await ok(agent, third.id, 'duplicate', { duplicate_of: orig.tracking });
        assert.equal(byTracking.duplicate_of, orig.id);
    });

    it('note adds a history event without changing the status', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR', route: true });
        assertError(await act(agent, a.id, 'note', {}), 400, undefined, 'note');
        const r = await ok(agent, a.id, 'note', { note: 'Vatandaş tekrar aradı' });
        assert.equal(r.status, 'forwarded');
        assertEvent(r, 'note', null, null, 'Vatandaş tekrar aradı');
        const r2 = await ok(fen, a.id, 'note', { note: 'Ekip yönlendirildi' });
        assert.equal(r2.history.length, r.history.length + 1);
        assert.equal(lastEvent(r2).note, 'Ekip yönlendirildi');
    });

    it('illegal transitions are 409 invalid_transition with the allowed actions', async () => {
        const a = await create({ category: 'FEN_YOL_CUKUR' });
        let r = await act(admin, a.id, 'accept', {});
        assertError(r, 409, 'invalid_transition');
        assert.deepEqual([...r.body.error.allowed].sort(), ['duplicate', 'note', 'out-of-scope', 'route']);
        for (const x of ['respond', 'close', 'reopen', 'reject-answer', 'return', 'resume', 'hold']) {
            const body = { note: 'deneme notu', response: 'deneme cevabı' };
            const rr = await act(admin, a.id, x, x === 'respond' ? { response: body.response } : { note: body.note });
            assertError(rr, 409, 'invalid_transition');
            assert.ok(Array.isArray(rr.body.error.allowed), JSON.stringify(rr.body));
        }
        await ok(admin, a.id, 'route');
        await ok(admin, a.id, 'accept');
        r = await act(admin, a.id, 'close', {});
        assertError(r, 409, 'invalid_transition');
        assert.deepEqual([...r.body.error.allowed].sort(), ['hold', 'note', 'respond', 'resume', 'transfer']);
        await ok(admin, a.id, 'respond', { response: 'Tamamlandı' });
        await ok(admin, a.id, 'close');
        r = await act(admin, a.id, 'respond', { response: 'Yine' });
        assertError(r, 409, 'invalid_transition');
        assert.deepEqual([...r.body.error.allowed].sort(), ['note', 'reopen']);
        const got = await admin.get(`/api/v1/applications/${a.id}`);
        assert.equal(got.body.status, 'closed', 'refused actions changed nothing');
        assert.deepEqual(got.body.history.map((e) => e.action), ['create', 'route', 'accept', 'respond', 'close']);
    });

    it('unknown actions are 404; unknown fields 400; unknown applications 404', async () => {
        const a = await create({});
        assertError(await act(agent, a.id, 'explode', {}), 404, 'not_found');
        assertError(await act(agent, a.id, 'ROUTE', {}), 404, 'not_found');
        assertError(await act(agent, a.id, 'note', { note: 'x', colour: 'red' }), 400, 'unknown_field', 'colour');
        assertError(await act(agent, a.id, 'note', { note: 5 }), 400, 'invalid_type', 'note');
        assertError(await act(agent, 99999999, 'note', { note: 'kimse yok' }), 404, 'not_found');
        assertError(await act(agent, 'abc', 'note', { note: 'kimse yok' }), 404, 'not_found');
        assertError(await client(srv.url).post(`/api/v1/applications/${a.id}/note`, { note: 'anonim' }), 401);
    });

    it('role isolation: FEN staff see and act on FEN only, ZABITA staff on ZABITA only', async () => {
        const f = await create({ category: 'FEN_YOL_CUKUR', route: true, text: 'Fen işleri için yol çukuru' });
        const z = await create({ category: 'ZAB_SEYYAR', route: true, text: 'Zabıta için seyyar satıcı' });
        const unrouted = await create({ text: 'Henüz birimi olmayan başvuru' });

        assert.equal((await fen.get(`/api/v1/applications/${f.id}`)).status, 200);
        assert.equal((await fen.get(`/api/v1/applications/by-tracking/${f.tracking}`)).status, 200);
        assertError(await fen.get(`/api/v1/applications/${z.id}`), 404, 'not_found');
        assertError(await fen.get(`/api/v1/applications/by-tracking/${z.tracking}`), 404, 'not_found');
        assertError(await act(fen, z.id, 'accept', {}), 404, 'not_found');
        assertError(await act(fen, z.id, 'note', { note: 'başka birim' }), 404, 'not_found');
        assertError(await fen.get(`/api/v1/applications/${unrouted.id}`), 404);
        assertError(await zabita.get(`/api/v1/applications/${f.id}`), 404, 'not_found');
        assertError(await zabita.get(`/api/v1/applications/by-tracking/${f.tracking}`), 404, 'not_found');
        assertError(await act(zabita, f.id, 'accept', {}), 404, 'not_found');
        assertError(await cevre.get(`/api/v1/applications/${f.id}`), 404);
        assert.equal((await zabita.get(`/api/v1/applications/${z.id}`)).status, 200);
        assert.equal((await fenMudur.get(`/api/v1/applications/${f.id}`)).status, 200);
        assertError(await fenMudur.get(`/api/v1/applications/${z.id}`), 404);

        const stillForwarded = await admin.get(`/api/v1/applications/${z.id}`);
        assert.equal(stillForwarded.body.status, 'forwarded', 'the refused accept changed nothing');

        const acc = await ok(fen, f.id, 'accept');
        assert.equal(acc.status, 'in_progress');
        const za = await ok(zabita, z.id, 'accept');
        assert.equal(za.status, 'in_progress');

        const isFen = (d) => d === 'FEN' || (typeof d === 'string' && d.startsWith('FEN_'));
        const isZab = (d) => d === 'ZABITA' || (typeof d === 'string' && d.startsWith('ZABITA_'));
        const fenList = await fen.get('/api/v1/applications?limit=500');
        assert.equal(fenList.status, 200);
        for (const a of fenList.body.items) assert.ok(isFen(a.department), `fen sees ${a.id} of ${a.department}`);
        assert.ok(fenList.body.items.some((a) => a.id === f.id));
        assert.ok(!fenList.body.items.some((a) => a.id === z.id || a.id === unrouted.id));
        const zabList = await zabita.get('/api/v1/applications?limit=500');
        for (const a of zabList.body.items) assert.ok(isZab(a.department), `zabita sees ${a.id} of ${a.department}`);
        assert.ok(zabList.body.items.some((a) => a.id === z.id));
        assert.ok(!zabList.body.items.some((a) => a.id === f.id));
        const fenAsked = await fen.get('/api/v1/applications?limit=500&department=ZABITA');
        assert.equal(fenAsked.status, 200);
        for (const a of fenAsked.body.items) assert.ok(isFen(a.department), `department=ZABITA as fen leaked ${a.id} of ${a.department}`);
        assert.equal(fenAsked.body.items.length, 0);
        const fenSearch = await fen.get('/api/v1/applications?limit=500&q=seyyar');
        for (const a of fenSearch.body.items) assert.ok(isFen(a.department), `q as fen leaked ${a.id} of ${a.department}`);

        // every FEN application the admin can see, and nothing else, when paging as fen
        const adminFen = await listAllIds(admin, 'department=FEN');
        const fenAll = await listAllIds(fen);
        assert.deepEqual(fenAll, adminFen);
        const fenPaged = [];
        let after = null;
        for (let i = 0; i < 200; i++) {
            const p = await fen.get(`/api/v1/applications?limit=7${after ? `&after=${after}` : ''}`);
            fenPaged.push(...p.body.items.map((a) => a.id));
            if (p.body.next === null) break;
            after = p.body.next;
        }
        assert.deepEqual(fenPaged, fenAll);
    });

    it('staff cannot link their application to one of another department (no existence or tracking leak)', async () => {
        const f = await create({ category: 'FEN_YOL_CUKUR', route: true, text: 'Fen için bağlantı denemesi' });
        const z = await create({ category: 'ZAB_SEYYAR', route: true, text: 'Zabıta için gizli kalmalı' });
        const r = await fen.post(`/api/v1/applications/${f.id}/links`, { other_id: z.id });
        const missing = await fen.post(`/api/v1/applications/${f.id}/links`, { other_id: 99999999 });
        assertError(missing, 422, undefined, 'other_id');
        // an application fen may not see must look exactly like one that does not exist
        assertError(r, 422, undefined, 'other_id');
        assert.ok(!JSON.stringify(r.body).includes(z.tracking), JSON.stringify(r.body));
        const after = await admin.get(`/api/v1/applications/${f.id}`);
        assert.deepEqual(after.body.links, [], 'nothing was linked');
        assertError(await zabita.post(`/api/v1/applications/${f.id}/links`, { other_id: z.id }), 404, 'not_found');
    });

    it('staff cannot create applications; agents cannot accept; staff cannot route or close', async () => {
        const before = await countApps(admin);
        assertError(await fen.post('/api/v1/applications', { channel: 'desk', text: 'Personel başvurusu' }), 403, 'forbidden');
        assertError(await fenMudur.post('/api/v1/applications', { channel: 'desk', text: 'Müdür başvurusu' }), 403, 'forbidden');
        assert.equal(await countApps(admin), before);
        const a = await create({ category: 'FEN_YOL_CUKUR' });
        assertError(await act(fen, a.id, 'route', {}), 403, 'forbidden');
        await ok(desk, a.id, 'route');
        assertError(await act(agent, a.id, 'accept', {}), 403, 'forbidden');
        assertError(await act(desk, a.id, 'accept', {}), 403, 'forbidden');
        assert.equal((await agent.get(`/api/v1/applications/${a.id}`)).body.status, 'forwarded');
        await ok(fen, a.id, 'accept');
        assertError(await act(agent, a.id, 'respond', { response: 'Ajan cevabı' }), 403, 'forbidden');
        await ok(fen, a.id, 'respond', { response: 'Birim cevabı' });
        assertError(await act(fen, a.id, 'close', {}), 403, 'forbidden');
        await ok(supervisor, a.id, 'close');
    });
});

describe('t2 the deadline clock with a moving clock', { timeout: 60000 }, () => {
    // Pinned at T0, then moved to T1 by restarting the server with another ALO153_NOW.
    const T1 = '2027-01-25T07:00:00Z'; // Monday 25 January, 10:00 Istanbul: past FEN_DUE
    let srv, agent, fen, admin, held, plain, closed;
    const logins = async () => {
        [agent, fen, admin] = await Promise.all(['agent', 'fen', 'admin'].map((u) => login(srv.url, u)));
    };
    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: T0 } });
        await logins();
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function ok(who, id, action, body = {}) {
        const r = await who.post(`/api/v1/applications/${id}/${action}`, body);
        assert.equal(r.status, 200, `${action}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
    }
    async function routed(text) {
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text, category: 'FEN_YOL_CUKUR', route: true });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.resolution_due, FEN_DUE);
        return r.body;
    }

    it('at T0: one held, one not, one closed — none overdue', async () => {
        held = await routed('Adres bilgisi beklenen çukur başvurusu');
        plain = await routed('Bekletilmeyen çukur başvurusu');
        closed = await routed('Kapatılıp yeniden açılacak başvuru');
        for (const a of [held, plain, closed]) await ok(fen, a.id, 'accept');
        await ok(fen, held.id, 'hold', { note: 'Vatandaştan adres bekleniyor' });
        await ok(fen, closed.id, 'respond', { response: 'Çukur kapatıldı.' });
        await ok(agent, closed.id, 'close');
        const od = await admin.get('/api/v1/applications?overdue=true');
        assert.deepEqual(od.body.items, []);
    });

    it('past the deadline, the application on hold is not overdue and the other one is', async () => {
        await srv.stop();
        await srv.restart({ env: { ALO153_NOW: T1 } });
        await logins();
        const h = (await admin.get(`/api/v1/applications/${held.id}`)).body;
        const p = (await admin.get(`/api/v1/applications/${plain.id}`)).body;
        assert.equal(h.resolution_due, FEN_DUE);
        assert.equal(p.resolution_due, FEN_DUE);
        assert.equal(h.on_hold, true);
        assert.equal(h.overdue, false, 'on hold and past its deadline: not overdue');
        assert.equal(p.overdue, true, 'past its deadline and not on hold: overdue');
        const od = await admin.get('/api/v1/applications?overdue=true');
        assert.deepEqual(od.body.items.map((a) => a.id), [plain.id]);
    });

    it('resume pushes the resolution deadline later by exactly the pause (20 days)', async () => {
        const r = await ok(fen, held.id, 'resume');
        assert.equal(r.on_hold, false);
        assert.equal(r.resolution_due, plus(FEN_DUE, 20));
        assert.equal(r.first_response_due, FEN_FIRST_DUE, 'accepted before the hold: unchanged');
        assert.equal(r.overdue, false);
    });

    it('reopen restarts the clock from the reopen moment', async () => {
        const r = await ok(agent, closed.id, 'reopen', { note: 'Çukur yeniden açıldı' });
        assert.equal(r.status, 'forwarded');
        // from Monday 25 January: first response Tue 26, Wed 27; resolution 26, 27, 28, 29,
        // 1, 2, 3, 4, 5, 8 February
        assert.deepEqual(clock(r), { forwarded_at: T1, first_response_due: '2027-01-27T20:59:59Z', resolution_due: '2027-02-08T20:59:59Z', first_response_at: null });
        assert.equal(r.overdue, false);
        const od = await admin.get('/api/v1/applications?overdue=true');
        assert.deepEqual(od.body.items.map((a) => a.id), [plain.id]);
    });
});
