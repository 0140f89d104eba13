// t32: `alo153 simulate --profile kayseri-2025` (issue 11): Kayseri's 1,193,060 answered calls
// and 63,836 applications scaled exactly, with every outcome of a contact (instant information,
// application, followup, not relevant, transferred out). t33: the seed and bad arguments.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { SMALL, run, freshDb, cleanup, figures, report } from '../lib/sim.mjs';

// largest remainder of 1,083,178 / 38,302 / 23,860 / 35,790 / 11,930 over round(1,193,060 / N);
// abandoned at 95 % (an assumption): round(answered × 500 / 9,500)
const K = SMALL ? {
    scale: '5000', answered: 239, apps: 13, abandoned: 13,
    outcomes: { instant_info: 217, application: 8, followup: 5, not_relevant: 7, transferred_out: 2 },
} : {
    scale: '100', answered: 11931, apps: 638, abandoned: 628,
    outcomes: { instant_info: 10832, application: 383, followup: 239, not_relevant: 358, transferred_out: 119 },
};

describe('t32 simulate kayseri-2025', () => {
    after(cleanup);

    it(`kayseri-2025 at 1/${K.scale}: 1,193,060 answered and 63,836 applications scaled exactly`, async () => {
        const db = await freshDb();
        const r = await run(['simulate', '--db', db, '--profile', 'kayseri-2025', '--scale', K.scale]);
        assert.equal(r.code, 0, r.stderr);
        const rep = await report(db);
        assert.equal(rep.calls.answered, K.answered);
        assert.equal(rep.calls.abandoned - rep.calls.short_abandoned, K.abandoned);
        assert.deepEqual(rep.contacts.by_outcome, { ...K.outcomes, open: 0 });
        assert.equal(rep.applications.total, K.apps);
        const f = figures(db);
        assert.equal(f.answered, K.answered);
        assert.equal(f.apps, K.apps);
        assert.equal(f.channels.phone_153, f.outcomes.application);
        const parts = Object.values(f.outcomes).reduce((a, b) => a + b, 0);
        assert.equal(parts, K.answered, 'every answered call has one closed contact');
        assert.deepEqual(f.outcomes, K.outcomes);
        assert.equal(f.abandoned, K.abandoned);
        assert.equal(f.outside, 0);
    });
});
