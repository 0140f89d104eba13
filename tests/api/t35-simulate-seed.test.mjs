// t33: `alo153 simulate`, the seed and bad arguments (issue 11): the same seed gives the same
// year and another seed another with the same totals (Kahramanmaraş's 148,910 answered calls,
// scaled); a bad profile or scale, a year not over, a profile too big for the tracking numbers
// and a database that does not exist are refused and change nothing.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SMALL, run, freshDb, tmpDir, cleanup, figures, digest } from '../lib/sim.mjs';

const KM_SCALE = SMALL ? '5000' : '100';
const KM_ANSWERED = SMALL ? 30 : 1489; // round(148,910 / N)

describe('t33 simulate seed and arguments', () => {
    after(cleanup);

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
