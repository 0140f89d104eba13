// t31: `alo153 simulate` (issue 11). A scaled year of a profile into a fresh database, then
// its totals read back from the rows must be the profile's at that scale EXACTLY: answered,
// abandoned (short ones apart), the contacts' outcomes, the applications by channel. The same
// seed gives the same year; a year that already has data is refused and left as it was; a
// year not over yet is refused. Time is pinned (ALO153_NOW). Counted with SQL on the
// database (sqlite3 / psql) until `alo153 report` exists on this branch.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, REPO, PG_URL_BASE, isPg, sqlite } from '../lib/server.mjs';

const NOW = '2026-03-01T00:00:00Z';
// 2025 in Istanbul (UTC+3): [2024-12-31T21:00Z, 2025-12-31T21:00Z)
const Y0 = Date.parse('2024-12-31T21:00:00Z') / 1000;
const Y1 = Date.parse('2025-12-31T21:00:00Z') / 1000;
// PostgreSQL (make api-pg) takes a round trip a statement: smaller years there
const PG = Boolean(PG_URL_BASE);
// what the scaling gives (docs/REPORTS.md, "Scaling"), worked out by hand
const SAMSUN = PG ? {
    scale: '1000', answered: 1059, abandoned: 68, short: 17, outcomes: { instant_info: 613, application: 446 },
    channels: { phone_153: 446, desk: 41, mobile_desk: 6, web: 29, whatsapp: 16, cimer: 13, mobile_app: 10 }, apps: 561,
} : {
    // round(1,059,219 / 50) = 21,184 answered; 612,695 and 446,524 apportioned to it:
    // 12,253.9 and 8,930.48 → 12,254 + 8,930; abandoned round(21,184 × 604 / 9,396) =
    // 1,362 (93.96 %); short abandons 1.5 % of the 22,546 others = 338; 560,524 / 50 = 11,210
    // applications: the 8,930 of the phone and the other channels
    scale: '50', answered: 21184, abandoned: 1362, short: 338, outcomes: { instant_info: 12254, application: 8930 },
    channels: { phone_153: 8930, desk: 824, mobile_desk: 126, web: 568, whatsapp: 316, cimer: 252, mobile_app: 194 }, apps: 11210,
};
// largest remainder of 1,083,178 / 38,302 / 23,860 / 35,790 / 11,930 over round(1,193,060 / N);
// abandoned at 95 % (an assumption): round(answered × 500 / 9,500)
const KAYSERI = PG ? {
    scale: '1000', answered: 1193, apps: 64, abandoned: 63,
    outcomes: { instant_info: 1083, application: 38, followup: 24, not_relevant: 36, transferred_out: 12 },
} : {
    scale: '100', answered: 11931, apps: 638, abandoned: 628,
    outcomes: { instant_info: 10832, application: 383, followup: 239, not_relevant: 358, transferred_out: 119 },
};
const KM_SCALE = PG ? '1000' : '100';
const KM_ANSWERED = PG ? 149 : 1489; // 148,910 / N
const dirs = [];
const dbs = [];

/** alo153 ARGS; resolves with {code, stdout, stderr} (never rejects on an exit code). */
function run(args) {
    return new Promise((resolve) => {
        execFile(BIN, args, { cwd: REPO, env: { ...process.env, ALO153_NOW: NOW }, timeout: 280000, maxBuffer: 1 << 24 },
            (err, stdout, stderr) => resolve({ code: err ? (err.code ?? -1) : 0, stdout, stderr }));
    });
}

/** A fresh database (PostgreSQL under make api-pg), initialised for province 55 (Samsun). */
async function freshDb() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-sim-'));
    dirs.push(dir);
    const db = PG_URL_BASE ? `${PG_URL_BASE}/${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`
        : path.join(dir, 's.db');
    dbs.push(db);
    const r = await run(['init', '--db', db, '--province', '55']);
    assert.equal(r.code, 0, r.stderr);
    return db;
}

/** The year's figures as rows say them. */
function figures(db) {
    const one = (sql) => sqlite(db, sql).split('|').map(Number);
    const [offered, answered, abandoned, short] = one(
        `SELECT COUNT(*), SUM(CASE WHEN answered_at > 0 THEN 1 ELSE 0 END),
                SUM(CASE WHEN abandoned_at > 0 AND abandoned_at - offered_at >= 5 THEN 1 ELSE 0 END),
                SUM(CASE WHEN abandoned_at > 0 AND abandoned_at - offered_at < 5 THEN 1 ELSE 0 END)
         FROM calls WHERE offered_at >= ${Y0} AND offered_at < ${Y1}`);
    const outcomes = {};
    for (const line of sqlite(db, `SELECT outcome, COUNT(*) FROM contacts WHERE started_at >= ${Y0} AND started_at < ${Y1} GROUP BY outcome`).split('\n')) {
        if (!line) continue;
        const [o, n] = line.split('|');
        outcomes[o] = Number(n);
    }
    const channels = {};
    for (const line of sqlite(db, `SELECT channel, COUNT(*) FROM applications WHERE created_at >= ${Y0} AND created_at < ${Y1} GROUP BY channel`).split('\n')) {
        if (!line) continue;
        const [c, n] = line.split('|');
        channels[c] = Number(n);
    }
    const [apps] = one(`SELECT COUNT(*) FROM applications`);
    const [outside] = one(`SELECT (SELECT COUNT(*) FROM calls WHERE offered_at < ${Y0} OR offered_at >= ${Y1}) +
                                  (SELECT COUNT(*) FROM applications WHERE created_at < ${Y0} OR created_at >= ${Y1}) +
                                  (SELECT COUNT(*) FROM contacts WHERE started_at < ${Y0} OR ended_at >= ${Y1} OR ended_at < started_at) +
                                  (SELECT COUNT(*) FROM events WHERE at >= ${Y1})`);
    return { offered, answered, abandoned, short, outcomes, channels, apps, outside };
}

/** A digest of everything the simulation decided: times, agents, categories, districts. */
function digest(db) {
    return sqlite(db, `SELECT (SELECT SUM(offered_at) + SUM(COALESCE(answered_at, 0)) + SUM(COALESCE(ended_at, 0)) FROM calls),
                              (SELECT SUM(agent_id) FROM calls),
                              (SELECT SUM(created_at) + SUM(COALESCE(category_id, 0)) + SUM(COALESCE(district_id, 0)) + SUM(COALESCE(closed_at, 0)) FROM applications),
                              (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM call_events)`);
}

describe('t31 simulate', { timeout: 600000 }, () => {
    after(() => {
        if (process.env.ALO153_KEEP_TMP) return;
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
        for (const db of dbs) {
            if (isPg(db)) {
                const name = db.slice(db.lastIndexOf('/') + 1);
                sqlite(`${PG_URL_BASE}/postgres`, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
            }
        }
    });

    it(`samsun-2025 at 1/${SAMSUN.scale}: the published figures at that scale, exactly; a second run is refused`, { timeout: 600000 }, async () => {
        const db = await freshDb();
        const S = SAMSUN;
        const r = await run(['simulate', '--db', db, '--profile', 'samsun-2025', '--scale', S.scale]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
        assert.match(r.stdout, new RegExp(`calls answered +${S.answered} +answer rate 9[34]\\.\\d\\d %`));
        assert.match(r.stdout, /simulated 365 days: \d+ rows written in [\d.]+ s: \d+ rows\/s/);
        const f = figures(db);
        assert.equal(f.answered, S.answered);
        assert.equal(f.abandoned, S.abandoned);
        assert.equal(f.short, S.short);
        assert.equal(f.offered, S.answered + S.abandoned + S.short);
        if (!PG) assert.equal((100 * f.answered / (f.answered + f.abandoned)).toFixed(2), '93.96');
        assert.deepEqual(f.outcomes, S.outcomes);
        assert.deepEqual(f.channels, S.channels);
        assert.equal(f.apps, S.apps);
        assert.equal(f.outside, 0, 'nothing outside 2025: calls, contacts (opened and closed), applications, their history');
        // every phone application is linked from the contact of its call, forwarded at once
        const [linked, forwarded] = sqlite(db, `SELECT (SELECT COUNT(DISTINCT application_id) FROM contacts WHERE outcome = 'application'),
            (SELECT COUNT(*) FROM events WHERE action = 'route')`).split('|').map(Number);
        assert.equal(linked, S.outcomes.application);
        assert.ok(forwarded >= S.apps, `every application routed (${forwarded} route events)`);
        // lifecycles: most answered, some still open at the year's end, some late, some reopened
        const st = Object.fromEntries(sqlite(db, `SELECT status, COUNT(*) FROM applications GROUP BY status`).split('\n').map((l) => l.split('|')).map(([k, v]) => [k, Number(v)]));
        assert.ok(st.closed > S.apps * 0.7, JSON.stringify(st));
        assert.ok(st.in_progress > 0 && st.resolved > 0 && st.forwarded > 0, JSON.stringify(st));
        const [late, reopened, transferred] = sqlite(db, `SELECT
            (SELECT COUNT(*) FROM applications WHERE responded_at > resolution_due),
            (SELECT COUNT(*) FROM events WHERE action = 'reopen'),
            (SELECT COUNT(*) FROM events WHERE action = 'transfer')`).split('|').map(Number);
        assert.ok(late > S.apps * 0.05 && late < S.apps * 0.3, `late answers: ${late}`);
        assert.ok(reopened > 0 && transferred > 0, `reopened ${reopened}, transferred ${transferred}`);
        // seasons: snow in January, mosquito spraying in summer
        const cat = (code, m0, m1) => Number(sqlite(db, `SELECT COUNT(*) FROM applications a JOIN categories c ON c.id = a.category_id
            WHERE c.code = '${code}' AND a.created_at >= ${Date.parse(m0) / 1000} AND a.created_at < ${Date.parse(m1) / 1000}`));
        if (!PG) {
            assert.ok(cat('FEN_KAR', '2025-01-01', '2025-02-01') > 5 * (cat('FEN_KAR', '2025-06-01', '2025-07-01') + 1));
            assert.ok(cat('CEV_ILACLAMA', '2025-07-01', '2025-08-01') > 5 * (cat('CEV_ILACLAMA', '2025-01-01', '2025-02-01') + 1));
        }

        // the year has data now: refused, nothing added
        const before = digest(db);
        const again = await run(['simulate', '--db', db, '--profile', 'samsun-2025', '--scale', S.scale]);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /already has calls of 2025/);
        assert.equal(digest(db), before);
    });

    it(`kayseri-2025 at 1/${KAYSERI.scale}: 1,193,060 answered and 63,836 applications scaled exactly`, { timeout: 600000 }, async () => {
        const db = await freshDb();
        const K = KAYSERI;
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
    });

    it('the same seed gives the same year, another seed another; bad arguments change nothing', { timeout: 600000 }, async () => {
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
        // a database without reference data: told to run init
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-sim-'));
        dirs.push(dir);
        const r = await run(['simulate', '--db', path.join(dir, 'none.db'), '--profile', 'samsun-2025', '--scale', '100']);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /alo153 simulate: /);
    });
});
