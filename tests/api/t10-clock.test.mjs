// t10: the clock — deadlines through the API (weekends, shipped and admin-made holidays, the end
// of the shipped table), the clock restarting on transfer and reopen, the CİMER ceiling, overdue
// versus hold, and tracking numbers (Istanbul year, growing past 999,999, the 99,999,999 limit,
// two processes at once).
//
// Time is pinned with ALO153_NOW (read by time_now() on every call) and moved by restarting the
// server with another value; nothing here depends on the test machine's clock or on sleeping.
// Deadlines for working days end at 23:59:59 Istanbul (UTC+3) = 20:59:59Z; calendar days are
// exactly n × 24 h after the start (src/core/calendar.h). The API renders instants in UTC.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, sqlite, assertError, listAllIds } from '../lib/server.mjs';

const DAY = 86400 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const plus = (at, days) => iso(Date.parse(at) + days * DAY);

// The Turkish public holidays 2024–2027 (Resmi Tatiller), written from the rules, not copied from
// the code: fixed days, 28 Ekim afternoon (half), Ramazan (3 days) and Kurban (4 days) bayramı
// each with its arife (half). A day that is two holidays is listed once, fixed name first.
function officialHolidays() {
    const fixed = [
        ['01-01', 'Yılbaşı', false], ['04-23', 'Ulusal Egemenlik ve Çocuk Bayramı', false],
        ['05-01', 'Emek ve Dayanışma Günü', false], ['05-19', 'Atatürk\'ü Anma, Gençlik ve Spor Bayramı', false],
        ['07-15', 'Demokrasi ve Millî Birlik Günü', false], ['08-30', 'Zafer Bayramı', false],
        ['10-28', 'Cumhuriyet Bayramı arifesi', true], ['10-29', 'Cumhuriyet Bayramı', false],
    ];
    const religious = { 2024: ['2024-04-10', '2024-06-16'], 2025: ['2025-03-30', '2025-06-06'],
        2026: ['2026-03-20', '2026-05-27'], 2027: ['2027-03-09', '2027-05-16'] };
    const rows = new Map();
    const add = (date, name, half) => {
        const r = rows.get(date);
        if (r) rows.set(date, { date, name: `${r.name}; ${name}`, half_day: r.half_day && half });
        else rows.set(date, { date, name, half_day: half });
    };
    const shift = (date, d) => new Date(Date.parse(`${date}T00:00:00Z`) + d * DAY).toISOString().slice(0, 10);
    for (const [year, [ramazan, kurban]] of Object.entries(religious)) {
        for (const [md, name, half] of fixed) add(`${year}-${md}`, name, half);
        add(shift(ramazan, -1), 'Ramazan Bayramı arifesi', true);
        for (let d = 0; d < 3; d++) add(shift(ramazan, d), `Ramazan Bayramı ${d + 1}. gün`, false);
        add(shift(kurban, -1), 'Kurban Bayramı arifesi', true);
        for (let d = 0; d < 4; d++) add(shift(kurban, d), `Kurban Bayramı ${d + 1}. gün`, false);
    }
    return [...rows.values()].sort((a, b) => a.date.localeCompare(b.date));
}

// Test categories with known allowances (the demo's categories may change; these do not).
const CATEGORIES = [
    { code: 'TST_BIR', department: 'FEN', name: 'Test: 1 iş günü', first_response_days: 1, sla_days: 1, working_days: true },
    { code: 'TST_UC', department: 'FEN', name: 'Test: 3 iş günü', first_response_days: 1, sla_days: 3, working_days: true },
    { code: 'TST_TAKVIM', department: 'FEN', name: 'Test: 10 takvim günü', first_response_days: 2, sla_days: 10, working_days: false },
    { code: 'TST_ZAB', department: 'ZABITA', name: 'Test: zabıta 3 iş günü', first_response_days: 1, sla_days: 3, working_days: true },
    { code: 'TST_UZUN', department: 'IMAR', name: 'Test: 90 takvim günü', first_response_days: 30, sla_days: 90, working_days: false },
];

/**
 * A server on a fresh database (no demo applications) with the clock pinned at `now`, the test
 * categories, and logged-in clients. `moveTo(at)` restarts it with the clock at `at` and logs in
 * again (sessions are per server start here: the url changes and time jumps by days).
 */
async function pinnedServer(now) {
    const srv = await startServer({ demoSize: 0, env: { ALO153_NOW: now } });
    const ctx = { srv, now };
    ctx.login = async () => {
        [ctx.admin, ctx.agent, ctx.fen, ctx.zabita, ctx.supervisor] = await Promise.all(
            ['admin', 'agent', 'fen', 'zabita', 'supervisor'].map((u) => login(srv.url, u)));
    };
    ctx.moveTo = async (at) => {
        assert.ok(Date.parse(at) > Date.parse(ctx.now), `the clock only moves forward: ${ctx.now} → ${at}`);
        await srv.stop();
        await srv.restart({ env: { ALO153_NOW: at } });
        ctx.now = at;
        await ctx.login();
        const me = await ctx.admin.get('/api/v1/stats');
        assert.equal(me.body.at, at, 'the restarted server reads the new pinned clock');
    };
    ctx.create = async (body, who = ctx.agent) => {
        const r = await who.post('/api/v1/applications', { channel: 'phone_153', text: 'Saat ve süre deneme başvurusu', ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
    };
    ctx.act = async (who, id, action, body = {}) => {
        const r = await who.post(`/api/v1/applications/${id}/${action}`, body);
        assert.equal(r.status, 200, `${action}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
    };
    ctx.get = async (id) => {
        const r = await ctx.admin.get(`/api/v1/applications/${id}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
    };
    await ctx.login();
    for (const c of CATEGORIES) {
        const r = await ctx.admin.post('/api/v1/categories', c);
        assert.equal(r.status, 201, `${c.code}: ${JSON.stringify(r.body)}`);
    }
    ctx.close = async () => { await srv.stop(); srv.cleanup(); };
    return ctx;
}

/** The deadline fields of an application, for one deepEqual. */
const clock = (a) => ({
    created_at: a.created_at, forwarded_at: a.forwarded_at,
    first_response_due: a.first_response_due, resolution_due: a.resolution_due,
});

describe('t10 holidays and deadlines through the API', { timeout: 60000 }, () => {
    // Thursday 31 December 2026, 12:00 Istanbul. Friday 1 January 2027 is a holiday.
    const T0 = '2026-12-31T09:00:00Z';
    let c;
    before(async () => { c = await pinnedServer(T0); });
    after(async () => { if (c) await c.close(); });

    it('GET /api/v1/holidays is exactly the official 2024–2027 calendar (date, name, half day)', async () => {
        const r = await c.agent.get('/api/v1/holidays');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const want = officialHolidays();
        assert.equal(want.length, 67);
        const got = [...r.body.items].sort((a, b) => a.date.localeCompare(b.date));
        assert.deepEqual(got.map((h) => [h.date, h.half_day]), want.map((h) => [h.date, h.half_day]));
        assert.deepEqual(got, want);
    });

    it('created Thursday 31 Dec 2026 with 1 working day is due Monday 4 Jan 2027 23:59:59 Istanbul (1 Jan is a holiday)', async () => {
        const a = await c.create({ category: 'TST_BIR', route: true });
        assert.equal(a.status, 'forwarded');
        assert.deepEqual(clock(a), {
            created_at: T0, forwarded_at: T0,
            first_response_due: '2027-01-04T20:59:59Z', resolution_due: '2027-01-04T20:59:59Z',
        });
        const b = await c.create({ category: 'TST_UC', route: true });
        // 3 working days: Mon 4, Tue 5, Wed 6 January; the first response within 1: Mon 4
        assert.deepEqual(clock(b), {
            created_at: T0, forwarded_at: T0,
            first_response_due: '2027-01-04T20:59:59Z', resolution_due: '2027-01-06T20:59:59Z',
        });
        // calendar days ignore weekends and holidays: exactly n × 24 h from the start
        const d = await c.create({ category: 'TST_TAKVIM', route: true });
        assert.deepEqual(clock(d), {
            created_at: T0, forwarded_at: T0,
            first_response_due: '2027-01-02T09:00:00Z', resolution_due: '2027-01-10T09:00:00Z',
        });
        // routing later (not at creation) starts the clock from the routing, same result here
        const e = await c.create({ category: 'TST_BIR' });
        assert.equal(e.resolution_due, null);
        const routed = await c.act(c.agent, e.id, 'route');
        assert.equal(routed.resolution_due, '2027-01-04T20:59:59Z');
        assert.equal(routed.forwarded_at, T0);
    });

    it('an admin-added holiday moves the next deadline exactly; deleting it moves it back; both survive a restart', async () => {
        const before = await c.create({ category: 'TST_BIR', route: true });
        assert.equal(before.resolution_due, '2027-01-04T20:59:59Z');

        const add = await c.admin.post('/api/v1/holidays', { date: '2027-01-04', name: 'Olağanüstü tatil' });
        assert.equal(add.status, 201, JSON.stringify(add.body));
        assert.deepEqual(add.body, { date: '2027-01-04', name: 'Olağanüstü tatil', half_day: false });
        const a = await c.create({ category: 'TST_BIR', route: true });
        assert.equal(a.resolution_due, '2027-01-05T20:59:59Z', 'Mon 4 is now a holiday: Tue 5');
        const b = await c.create({ category: 'TST_UC', route: true });
        assert.equal(b.resolution_due, '2027-01-07T20:59:59Z', 'Tue 5, Wed 6, Thu 7');
        // a deadline already set is kept: holidays change the next clock start only
        assert.equal((await c.get(before.id)).resolution_due, '2027-01-04T20:59:59Z');

        // the holiday is in the database: a restarted server still knows it
        await c.srv.stop();
        await c.srv.restart();
        await c.login();
        const afterRestart = await c.create({ category: 'TST_BIR', route: true });
        assert.equal(afterRestart.resolution_due, '2027-01-05T20:59:59Z', 'the added holiday survives a restart');

        // redefined as a half day it is a working day again
        const half = await c.admin.post('/api/v1/holidays', { date: '2027-01-04', name: 'Yarım gün', half_day: true });
        assert.equal(half.status, 201, JSON.stringify(half.body));
        assert.equal((await c.create({ category: 'TST_BIR', route: true })).resolution_due, '2027-01-04T20:59:59Z');

        const del = await c.admin.del('/api/v1/holidays/2027-01-04');
        assert.equal(del.status, 204, JSON.stringify(del.body));
        assertError(await c.admin.del('/api/v1/holidays/2027-01-04'), 404);
        assert.equal((await c.create({ category: 'TST_BIR', route: true })).resolution_due, '2027-01-04T20:59:59Z');

        // deleting a shipped holiday makes 1 January a working day
        assert.equal((await c.admin.del('/api/v1/holidays/2027-01-01')).status, 204);
        assert.equal((await c.create({ category: 'TST_BIR', route: true })).resolution_due, '2027-01-01T20:59:59Z');
        await c.srv.stop();
        await c.srv.restart();
        await c.login();
        assert.equal((await c.create({ category: 'TST_BIR', route: true })).resolution_due, '2027-01-01T20:59:59Z',
            'the deletion survives a restart');
        const back = await c.admin.post('/api/v1/holidays', { date: '2027-01-01', name: 'Yılbaşı' });
        assert.equal(back.status, 201, JSON.stringify(back.body));
        assert.equal((await c.create({ category: 'TST_BIR', route: true })).resolution_due, '2027-01-04T20:59:59Z');
        assertError(await c.agent.post('/api/v1/holidays', { date: '2027-01-05', name: 'Yetkisiz' }), 403);
    });

    it('after the shipped table ends (2028) only weekends and admin-added holidays count', async () => {
        // Friday 28 April 2028; 1 May 2028 (Monday) is Labour Day in reality, but the shipped
        // table covers 2024–2027 only (src/core/calendar.h), so it is a working day until an
        // admin adds it.
        await c.moveTo('2028-04-28T09:00:00Z');
        const h = await c.agent.get('/api/v1/holidays');
        assert.ok(!h.body.items.some((x) => x.date.startsWith('2028')), 'no 2028 holidays are shipped');
        const a = await c.create({ category: 'TST_BIR', route: true });
        assert.equal(a.tracking, '2028-000001');
        assert.deepEqual(clock(a), {
            created_at: '2028-04-28T09:00:00Z', forwarded_at: '2028-04-28T09:00:00Z',
            first_response_due: '2028-05-01T20:59:59Z', resolution_due: '2028-05-01T20:59:59Z',
        });
        const b = await c.create({ category: 'TST_UC', route: true });
        assert.equal(b.resolution_due, '2028-05-03T20:59:59Z', 'Mon 1, Tue 2, Wed 3 May 2028');
        const add = await c.admin.post('/api/v1/holidays', { date: '2028-05-01', name: 'Emek ve Dayanışma Günü' });
        assert.equal(add.status, 201, JSON.stringify(add.body));
        assert.equal((await c.create({ category: 'TST_BIR', route: true })).resolution_due, '2028-05-02T20:59:59Z');
        assert.equal((await c.create({ category: 'TST_UC', route: true })).resolution_due, '2028-05-04T20:59:59Z');
    });
});

describe('t10 tracking numbers', { timeout: 60000 }, () => {
    let c, second;
    before(async () => { c = await pinnedServer('2026-12-31T20:59:59Z'); });
    after(async () => {
        if (second) await second.stop();
        if (c) await c.close();
    });

    it('the year is the Istanbul year: 20:59:59Z on 31 Dec 2026 is 2026, 21:00:00Z is 2027-000001', async () => {
        const last = await c.create({});
        assert.equal(last.tracking, '2026-000001');
        assert.equal(last.created_at, '2026-12-31T20:59:59Z');
        await c.moveTo('2026-12-31T21:00:00Z');
        const first = await c.create({});
        assert.equal(first.tracking, '2027-000001');
        assert.equal(first.created_at, '2026-12-31T21:00:00Z');
        assert.equal((await c.create({})).tracking, '2027-000002');
        await c.moveTo('2026-12-31T21:30:00Z');
        assert.equal((await c.create({})).tracking, '2027-000003');
        const found = await c.agent.get(`/api/v1/applications/by-tracking/${first.tracking}`);
        assert.equal(found.status, 200);
        assert.equal(found.body.id, first.id);
    });

    it('from= and to= dates are Istanbul days: 31 Dec holds the 20:59:59Z one, 1 Jan the three after', async () => {
        const day = async (d) => {
            const r = await c.agent.get(`/api/v1/applications?from=${d}&to=${d}&limit=100`);
            assert.equal(r.status, 200, JSON.stringify(r.body));
            return r.body.items.map((a) => a.tracking).sort();
        };
        assert.deepEqual(await day('2026-12-31'), ['2026-000001']);
        assert.deepEqual(await day('2027-01-01'), ['2027-000001', '2027-000002', '2027-000003']);
        assert.deepEqual(await day('2027-01-02'), []);
    });

    it('past 999,999 the number grows a digit (İstanbul: 11 million a year); past 99,999,999 it is 409 and changes nothing', async () => {
        sqlite(c.srv.db, 'UPDATE tracking_seq SET last = 999998 WHERE year = 2027');
        assert.equal((await c.create({ text: 'Altı hanenin sonuncusu' })).tracking, '2027-999999');
        assert.equal((await c.create({ text: 'Yedi haneli ilk numara' })).tracking, '2027-1000000');
        sqlite(c.srv.db, 'UPDATE tracking_seq SET last = 99999998 WHERE year = 2027');
        const last = await c.create({ text: 'Yılın son takip numarası' });
        assert.equal(last.tracking, '2027-99999999');
        const ids = await listAllIds(c.admin);
        const citizens = sqlite(c.srv.db, 'SELECT count(*) FROM citizens');
        const r = await c.agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Numara kalmadı' });
        assertError(r, 409, 'conflict');
        assert.match(r.body.error.message, /2027/);
        assert.deepEqual(await listAllIds(c.admin), ids, 'no application was stored');
        assert.equal(sqlite(c.srv.db, 'SELECT last FROM tracking_seq WHERE year = 2027'), '99999999');
        assert.equal(sqlite(c.srv.db, 'SELECT count(*) FROM citizens'), citizens);
        // one spelling per number: six digits zero-padded, or seven or eight without a leading zero
        assert.equal(sqlite(c.srv.db, "SELECT count(*) FROM applications WHERE NOT (substr(tracking, 5, 1) = '-' AND "
            + "(length(tracking) = 11 OR (length(tracking) IN (12, 13) AND substr(tracking, 6, 1) <> '0')))"), '0');
        // the seven-digit number is found like any other, also typed without the hyphen
        const seven = await c.agent.get('/api/v1/applications/by-tracking/20271000000');
        assert.equal(seven.status, 200, JSON.stringify(seven.body));
        assert.equal(seven.body.tracking, '2027-1000000');
        // again: still refused, still nothing stored
        assertError(await c.agent.post('/api/v1/applications', { channel: 'desk', text: 'Yine numara yok' }), 409, 'conflict');
        assert.deepEqual(await listAllIds(c.admin), ids);
        // another year is not affected
        await c.moveTo('2027-12-31T21:00:00Z');
        assert.equal((await c.create({})).tracking, '2028-000001');
    });

    it('two serve processes on one database hand out distinct, consecutive numbers', async () => {
        second = await startServer({ db: c.srv.db, env: { ...c.srv.env, ALO153_NOW: c.now } });
        const agent2 = await login(second.url, 'agent');
        const before = Number(sqlite(c.srv.db, 'SELECT last FROM tracking_seq WHERE year = 2028'));
        const N = 40;
        const made = await Promise.all(Array.from({ length: N }, (_, i) => (i % 2 ? agent2 : c.agent)
            .post('/api/v1/applications', { channel: 'phone_153', text: `Eşzamanlı başvuru ${i}`, category: 'TST_BIR', route: true })));
        for (const r of made) assert.equal(r.status, 201, JSON.stringify(r.body));
        const seqs = made.map((r) => {
            assert.match(r.body.tracking, /^2028-\d{6}$/);
            return Number(r.body.tracking.slice(5));
        }).sort((x, y) => x - y);
        assert.deepEqual(seqs, Array.from({ length: N }, (_, i) => before + 1 + i));
        assert.equal(sqlite(c.srv.db, 'SELECT last FROM tracking_seq WHERE year = 2028'), String(before + N));
        assert.equal(sqlite(c.srv.db, "SELECT count(DISTINCT tracking) FROM applications WHERE tracking LIKE '2028-%'"), String(before + N));
        await second.stop();
        second = null;
    });
});

describe('t10 the clock restarts on transfer and reopen', { timeout: 60000 }, () => {
    // Tuesday 5 January 2027, 10:00 Istanbul.
    const T0 = '2027-01-05T07:00:00Z';
    let c, moved, reopened;
    before(async () => { c = await pinnedServer(T0); });
    after(async () => { if (c) await c.close(); });

    it('routed at T0 with 3 working days: due Friday 8 January', async () => {
        moved = await c.create({ category: 'TST_UC', route: true });
        assert.deepEqual(clock(moved), {
            created_at: T0, forwarded_at: T0,
            first_response_due: '2027-01-06T20:59:59Z', resolution_due: '2027-01-08T20:59:59Z',
        });
        reopened = await c.create({ category: 'TST_UC', route: true });
        await c.act(c.fen, reopened.id, 'accept');
        await c.act(c.fen, reopened.id, 'respond', { response: 'Sorun giderildi.' });
        const closed = await c.act(c.agent, reopened.id, 'close');
        assert.equal(closed.status, 'closed');
        assert.equal(closed.first_response_at, T0);
    });

    it('transfer on Thursday 7 January restarts the clock from the transfer (due Tue 12)', async () => {
        const T1 = '2027-01-07T07:00:00Z';
        await c.moveTo(T1);
        const r = await c.act(c.fen, moved.id, 'transfer', { category: 'TST_ZAB', note: 'Zabıtanın konusu' });
        assert.equal(r.status, 'forwarded');
        assert.equal(r.department, 'ZABITA');
        // Fri 8, Mon 11, Tue 12; the first response within 1 working day: Fri 8
        assert.deepEqual(clock(r), {
            created_at: T0, forwarded_at: T1,
            first_response_due: '2027-01-08T20:59:59Z', resolution_due: '2027-01-12T20:59:59Z',
        });
        assert.equal(r.overdue, false);
        assert.deepEqual(clock(await c.get(moved.id)), clock(r), 'stored as returned');
    });

    it('reopen on Wednesday 13 January restarts the clock from the reopen (due Mon 18), not overdue', async () => {
        const T2 = '2027-01-13T07:00:00Z';
        await c.moveTo(T2);
        const stale = await c.get(reopened.id);
        assert.equal(stale.resolution_due, '2027-01-08T20:59:59Z');
        assert.equal(stale.overdue, false, 'closed applications are never overdue');
        const r = await c.act(c.agent, reopened.id, 'reopen', { note: 'Vatandaş sorunun sürdüğünü bildirdi' });
        assert.equal(r.status, 'forwarded');
        assert.equal(r.closed_at, null);
        assert.equal(r.first_response_at, null, 'a reopened application waits for a new first response');
        // Thu 14, Fri 15, Mon 18; first response Thu 14
        assert.deepEqual(clock(r), {
            created_at: T0, forwarded_at: T2,
            first_response_due: '2027-01-14T20:59:59Z', resolution_due: '2027-01-18T20:59:59Z',
        });
        assert.equal(r.overdue, false);
        const od = await c.admin.get('/api/v1/applications?overdue=true&limit=500');
        assert.ok(!od.body.items.some((a) => a.id === reopened.id), 'the reopened application is not overdue');
    });
});

describe('t10 CİMER ceiling', { timeout: 60000 }, () => {
    const T0 = '2027-01-05T07:00:00Z';
    let c;
    before(async () => { c = await pinnedServer(T0); });
    after(async () => { if (c) await c.close(); });

    it('the default promise is 15 days: a 90-day category routed from CİMER is due created_at + 15 × 24 h', async () => {
        const s = await c.admin.get('/api/v1/settings');
        assert.equal(s.status, 200, JSON.stringify(s.body));
        assert.equal(s.body.cimer_ceiling_days, 15);
        const cimer = await c.create({ channel: 'cimer', category: 'TST_UZUN', route: true });
        assert.deepEqual(clock(cimer), {
            created_at: T0, forwarded_at: T0,
            first_response_due: '2027-01-20T07:00:00Z', resolution_due: '2027-01-20T07:00:00Z',
        });
        // the same category by phone: 30 and 90 calendar days
        const phone = await c.create({ channel: 'phone_153', category: 'TST_UZUN', route: true });
        assert.deepEqual(clock(phone), {
            created_at: T0, forwarded_at: T0,
            first_response_due: '2027-02-04T07:00:00Z', resolution_due: '2027-04-05T07:00:00Z',
        });
        // a category due sooner than the ceiling keeps its own deadline
        const short = await c.create({ channel: 'cimer', category: 'TST_UC', route: true });
        assert.equal(short.resolution_due, '2027-01-08T20:59:59Z');
        assert.equal(short.first_response_due, '2027-01-06T20:59:59Z');
    });

    it('the ceiling counts from creation: a transfer 3 days later keeps created_at + 15 days', async () => {
        const a = await c.create({ channel: 'cimer', category: 'TST_UC', route: true });
        await c.moveTo('2027-01-08T07:00:00Z');
        const r = await c.act(c.admin, a.id, 'transfer', { category: 'TST_UZUN' });
        assert.equal(r.forwarded_at, '2027-01-08T07:00:00Z');
        assert.equal(r.resolution_due, '2027-01-20T07:00:00Z');
        assert.equal(r.first_response_due, '2027-01-20T07:00:00Z');
    });

    it('PATCH /api/v1/settings cimer_ceiling_days changes the promise for the next clock start', async () => {
        assertError(await c.admin.patch('/api/v1/settings', { cimer_ceiling_days: 0 }), 400, 'invalid_field', 'cimer_ceiling_days');
        assertError(await c.admin.patch('/api/v1/settings', { cimer_ceiling_days: 31 }), 400, undefined, 'cimer_ceiling_days');
        assertError(await c.agent.patch('/api/v1/settings', { cimer_ceiling_days: 5 }), 403);
        const p = await c.admin.patch('/api/v1/settings', { cimer_ceiling_days: 10 });
        assert.equal(p.status, 200, JSON.stringify(p.body));
        assert.equal(p.body.cimer_ceiling_days, 10);
        assert.equal((await c.admin.get('/api/v1/settings')).body.cimer_ceiling_days, 10);
        const a = await c.create({ channel: 'cimer', category: 'TST_UZUN', route: true });
        assert.equal(a.created_at, '2027-01-08T07:00:00Z');
        assert.equal(a.resolution_due, '2027-01-18T07:00:00Z');
        const p30 = await c.admin.patch('/api/v1/settings', { cimer_ceiling_days: 30 });
        assert.equal(p30.body.cimer_ceiling_days, 30);
        const b = await c.create({ channel: 'cimer', category: 'TST_UZUN', route: true });
        assert.equal(b.first_response_due, '2027-02-07T07:00:00Z', '30 days: the category\'s own 30');
        assert.equal(b.resolution_due, '2027-02-07T07:00:00Z', 'law 3071: never beyond 30 days');
    });
});

describe('t10 overdue versus hold', { timeout: 60000 }, () => {
    // Tuesday 5 January 2027, 10:00 Istanbul; 1 working day → due Wednesday 6, 23:59:59 Istanbul.
    const T0 = '2027-01-05T07:00:00Z';
    const DUE = '2027-01-06T20:59:59Z';
    let c, p, q;
    before(async () => { c = await pinnedServer(T0); });
    after(async () => { if (c) await c.close(); });

    const overdueList = async () => {
        const r = await c.admin.get('/api/v1/applications?overdue=true&limit=500');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.items.map((a) => a.id);
    };
    const statsOverdue = async () => {
        const r = await c.supervisor.get('/api/v1/stats');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.overdue;
    };

    it('two applications with the same deadline, one on hold: before the deadline neither is overdue', async () => {
        p = await c.create({ category: 'TST_BIR', route: true, text: 'Bekletilmeyen başvuru' });
        q = await c.create({ category: 'TST_BIR', route: true, text: 'Vatandaş bekleniyor' });
        await c.act(c.fen, p.id, 'accept');
        await c.act(c.fen, q.id, 'accept');
        const h = await c.act(c.fen, q.id, 'hold', { note: 'Vatandaştan adres bekleniyor' });
        assert.equal(h.on_hold, true);
        for (const a of [await c.get(p.id), await c.get(q.id)]) {
            assert.equal(a.resolution_due, DUE);
            assert.equal(a.overdue, false);
        }
        assert.deepEqual(await overdueList(), []);
        assert.equal(await statsOverdue(), 0);
    });

    it('past the deadline overdue=true lists exactly the one not on hold, and the flags agree', async () => {
        await c.moveTo('2027-01-07T07:00:00Z');
        assert.deepEqual(await overdueList(), [p.id]);
        const ap = await c.get(p.id), aq = await c.get(q.id);
        assert.equal(ap.overdue, true);
        assert.equal(aq.on_hold, true);
        assert.equal(aq.overdue, false, 'on hold is never overdue, even past its deadline');
        assert.equal(aq.resolution_due, DUE, 'the deadline does not move while on hold');
        assert.equal(await statsOverdue(), 1);
        const notOd = await c.admin.get('/api/v1/applications?overdue=false&limit=500');
        assert.deepEqual(notOd.body.items.map((a) => a.id).sort(), [p.id, q.id].sort(), 'overdue=false lists all');
    });

    it('resume pushes the resolution deadline later by exactly the pause (first response already given stays)', async () => {
        // paused from T0 to now: 2 days exactly
        const r = await c.act(c.fen, q.id, 'resume');
        assert.equal(r.on_hold, false);
        assert.equal(r.resolution_due, plus(DUE, 2), '2027-01-08T20:59:59Z');
        assert.equal(r.resolution_due, '2027-01-08T20:59:59Z');
        assert.equal(r.first_response_due, DUE, 'accepted before the hold: the first-response deadline stays');
        assert.equal(r.overdue, false);
        assert.deepEqual(await overdueList(), [p.id]);
        await c.moveTo('2027-01-09T07:00:00Z');
        assert.deepEqual(await overdueList(), [q.id, p.id], 'newest first; both past their deadlines now');
        assert.equal((await c.get(q.id)).overdue, true);
        assert.equal(await statsOverdue(), 2);
    });

    it('resume pushes by the pause to the second (12 hours), not by whole days', async () => {
        // Saturday 9 January: 1 working day → Monday 11. Accepting gives the first response, so
        // only the resolution deadline moves (hold needs in_progress, which accept reaches).
        const a = await c.create({ category: 'TST_BIR', route: true });
        assert.equal(a.resolution_due, '2027-01-11T20:59:59Z');
        const acc = await c.act(c.fen, a.id, 'accept');
        assert.equal(acc.first_response_at, '2027-01-09T07:00:00Z');
        await c.act(c.fen, a.id, 'hold', { note: 'Belge bekleniyor' });
        await c.moveTo('2027-01-09T19:00:00Z');
        const r = await c.act(c.fen, a.id, 'resume');
        assert.equal(r.resolution_due, '2027-01-12T08:59:59Z', 'pushed by 12 hours exactly');
        assert.equal(r.first_response_due, '2027-01-11T20:59:59Z');
    });
});
