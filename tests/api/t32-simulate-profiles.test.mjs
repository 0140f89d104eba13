// t32: `alo153 simulate`, the other profiles (issue 11): Kayseri's 1,193,060 answered calls
// and 63,836 applications scaled exactly, with every outcome of a contact; the same seed gives
// the same year and another seed another with the same totals (Kahramanmaraş's 148,910
// answered); a bad profile or scale, a year not over, a profile too big for the tracking
// numbers and a database without reference data are refused and change nothing.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SMALL, run, freshDb, tmpDir, cleanup, figures, digest } from '../lib/sim.mjs';

// largest remainder of 1,083,178 / 38,302 / 23,860 / 35,790 / 11,930 over round(1,193,060 / N);
// abandoned at 95 % (an assumption): round(answered × 500 / 9,500)
const K = SMALL ? {
    scale: '5000', answered: 239, apps: 13, abandoned: 13,
    outcomes: { instant_info: 217, application: 8, followup: 5, not_relevant: 7, transferred_out: 2 },
} : {
    scale: '100', answered: 11931, apps: 638, abandoned: 628,
    outcomes: { instant_info: 10832, application: 383, followup: 239, not_relevant: 358, transferred_out: 119 },
};
const KM_SCALE = SMALL ? '5000' : '100';
const KM_ANSWERED = SMALL ? 30 : 1489; // round(148,910 / N)

describe('t32 simulate profiles', () => {
    after(cleanup);

    it(`kayseri-2025 at 1/${K.scale}: 1,193,060 answered and 63,836 applications scaled exactly`, async () => {
        const db = await freshDb();
        const r = await run(['simulate', '--db', db, '--profile', 'kayseri-2025', '--scale', K.scale]);
        assert.equal(r.code, 0, r.stderr);
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

    it('the same seed gives the same year, another seed another; bad arguments change nothing', async () => {
        const a = await freshDb(), b = await freshDb(), c = await freshDb();
        for (const [db, seed] of [[a, '7'], [b, '7'], [c, '8']]) {
            const r = await run(['simulate', '--db', db, '--profile', 'kahramanmaras-2025', '--scale', KM_SCALE, '--seed', seed]);
            assert.equal(r.code, 0, r.stderr);
        }
        assert.equal(digest(a), digest(b));
        assert.notEqual(digest(a), digest(c));
        assert.deepEqual(figures(a), figures(c), 'the totals do not depend on the seed');
        assert.equal(figures(a).answered, KM_ANSWERED);

        const base = digest(c);
        for (const [args, re] of [
            [['--profile', 'ankara-2025'], /--profile must be one of: samsun-2025 kayseri-2025 kahramanmaras-2025 istanbul/],
            [['--profile', 'samsun-2025', '--scale', '0'], /--scale must be/],
            [['--profile', 'samsun-2025', '--year', '2026'], /the year 2026 is not over yet/],
            [['--profile', 'istanbul'], /do not fit the tracking numbers .* use --scale 5 or more/],
        ]) {
            const r = await run(['simulate', '--db', c, ...args]);
            assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
            assert.match(r.stderr, re);
        }
        assert.equal(digest(c), base);
        // a database that does not exist: told so, not created
        const r = await run(['simulate', '--db', path.join(tmpDir(), 'none.db'), '--profile', 'samsun-2025', '--scale', '100']);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /alo153 simulate: /);
    });
});
