// t54: a holiday added or deleted through one `alo153 serve` process changes the deadlines the
// other computes at once, without a restart (each process caches the calendar; a version
// setting written with every holiday change is checked per deadline). Runs on SQLite (two
// processes on one file) and on PostgreSQL (make api-pg). Time is pinned (ALO153_NOW).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from '../lib/server.mjs';

// Thursday 31 December 2026, 12:00 Istanbul; Friday 1 January 2027 is a holiday, so one working
// day from now ends on Monday 4 January.
const T0 = '2026-12-31T09:00:00Z';

describe('t54 holidays seen by another serve process', { timeout: 60000 }, () => {
    let a, b, adminA, agentB;
    const createB = async () => {
        const r = await agentB.post('/api/v1/applications', { channel: 'phone_153', text: 'Tatil deneme başvurusu', category: 'TST_BIR1', route: true });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.resolution_due;
    };
    before(async () => {
        a = await startServer({ demoSize: 0, env: { ALO153_NOW: T0 } });
        b = await startServer({ db: a.db, env: a.env });
        adminA = await login(a.url, 'admin');
        agentB = await login(b.url, 'agent');
        const c = await adminA.post('/api/v1/categories', { code: 'TST_BIR1', department: 'FEN', name: 'Test: 1 iş günü', first_response_days: 1, sla_days: 1, working_days: true });
        assert.equal(c.status, 201, JSON.stringify(c.body));
    });
    after(async () => {
        if (b) { await b.stop(); b.cleanup(); }
        if (a) { await a.stop(); a.cleanup(); }
    });

    it('a holiday added through A moves the next deadline B computes; deleting it moves it back', async () => {
        assert.equal(await createB(), '2027-01-04T20:59:59Z', 'before: Monday 4 January');
        const add = await adminA.post('/api/v1/holidays', { date: '2027-01-04', name: 'Olağanüstü tatil' });
        assert.equal(add.status, 201, JSON.stringify(add.body));
        assert.equal(await createB(), '2027-01-05T20:59:59Z', 'B sees the new holiday: Tuesday 5');
        const del = await adminA.del('/api/v1/holidays/2027-01-04');
        assert.equal(del.status, 204, JSON.stringify(del.body));
        assert.equal(await createB(), '2027-01-04T20:59:59Z', 'B sees it deleted');
        /* a shipped holiday deleted through A: 1 January is a working day for B too */
        assert.equal((await adminA.del('/api/v1/holidays/2027-01-01')).status, 204);
        assert.equal(await createB(), '2027-01-01T20:59:59Z');
    });
});
