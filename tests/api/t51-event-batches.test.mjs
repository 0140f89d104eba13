// t51: concurrent batches of telephony events that touch the same KPI rollup rows in opposite
// orders. On PostgreSQL two such transactions can deadlock (40P01) or fail serialization: the
// core runs the whole batch again instead of answering 409, so the exchange never loses calls.
// Every batch must be accepted and every call counted once. (On SQLite writers queue; the test
// still checks the totals.) Time is pinned.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, addToken } from '../lib/server.mjs';

const NOW = '2026-03-11T07:00:00Z';
const BASE = Date.UTC(2026, 2, 10, 6, 0, 0); /* 09:00 Istanbul on 10 March */
const at = (s) => new Date(BASE + s * 1000).toISOString().replace('.000', '');

describe('t51 concurrent event batches', { timeout: 120000 }, () => {
    let srv, sup, tels;
    before(async () => {
        srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
        const admin = await login(srv.url, 'admin');
        const q = await admin.patch('/api/v1/settings', { queues: 'genel, zabita' });
        assert.equal(q.status, 200, JSON.stringify(q.body));
        sup = await login(srv.url, 'supervisor');
        const token = await addToken(srv.db, 'pbx-batches', 'telephony');
        tels = [0, 1, 2, 3].map(() => client(srv.url, { bearer: token }));
    });
    after(async () => { await srv?.stop(); });

    it('accepts every batch and counts every call once', async () => {
        const BATCHES = 8, CALLS = 40;
        /* each batch: CALLS calls spread over 2 queues × 2 lines × 4 quarter hours (the same
         * rollup rows for every batch), visited forwards in even batches, backwards in odd ones */
        const batches = [];
        for (let b = 0; b < BATCHES; b++) {
            const evs = [];
            for (let i = 0; i < CALLS; i++) {
                const k = b % 2 ? CALLS - 1 - i : i;
                const id = `b${b}-c${k}`, t0 = (k % 4) * 900 + b;
                const base = { call_id: id, queue: k % 2 ? 'genel' : 'zabita', line: k % 3 ? '153' : 'phone_alt', caller: '05321234567' };
                evs.push({ ...base, type: 'offered', at: at(t0) });
                if (k % 5) {
                    evs.push({ ...base, type: 'answered', at: at(t0 + 10), agent: 'agent' });
                    evs.push({ ...base, type: 'ended', at: at(t0 + 70) });
                } else evs.push({ ...base, type: 'abandoned', at: at(t0 + 3) });
            }
            batches.push(evs);
        }
        for (let round = 0; round < BATCHES; round += tels.length) {
            const rs = await Promise.all(tels.map((t, j) => t.post('/api/v1/telephony/events', { events: batches[round + j] })));
            for (const r of rs) assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
        }
        const r = await sup.get(`/api/v1/kpi/calls?from=2026-03-10&to=2026-03-10`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const tot = r.body.totals;
        const offered = tot.offered, answered = tot.answered, abandoned = tot.abandoned;
        assert.equal(offered, BATCHES * CALLS, JSON.stringify(tot));
        assert.equal(answered, BATCHES * CALLS * 4 / 5, JSON.stringify(tot));
        assert.equal(abandoned, BATCHES * CALLS / 5, JSON.stringify(tot));
    });
});
