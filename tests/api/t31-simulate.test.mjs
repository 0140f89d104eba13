// t31: `alo153 simulate --profile samsun-2025` (issue 11). A scaled year into a fresh database;
// its totals in `alo153 report` (and in the rows) must be the published figures at that scale EXACTLY:
// answered at 93.96 % (short abandons apart), instant information, applications forwarded
// from calls, and the other channels' applications; nothing outside 2025; realistic
// lifecycles and seasons. A second run on the same year is refused and changes nothing.
// Time is pinned (ALO153_NOW). t32: Kayseri; t33: the seed, bad arguments.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { sqlite } from '../lib/server.mjs';
import { SMALL, run, freshDb, cleanup, figures, statuses, digest, report, table } from '../lib/sim.mjs';

// what the scaling gives (docs/REPORTS.md, "Scaling"), worked out by hand
const S = SMALL ? {
    // round(1,059,219 / 5,000) = 212: 122.54 and 89.30 → 123 + 89; round(212 × 604 / 9,396) =
    // 14; round(226 × 1.5 %) = 3; 560,524 / 5,000 = 112, the 23 of the other channels
    // apportioned 8.31 / 1.27 / 5.73 / 3.19 / 2.54 / 1.96 → 8, 1, 6, 3, 3, 2
    scale: '5000', answered: 212, abandoned: 14, short: 3, outcomes: { instant_info: 123, application: 89 },
    channels: { phone_153: 89, desk: 8, mobile_desk: 1, web: 6, whatsapp: 3, cimer: 3, mobile_app: 2 }, apps: 112,
} : {
    // round(1,059,219 / 100) = 10,592 answered; 612,695 and 446,524 apportioned to it:
    // 6,126.95 and 4,465.24 → 6,127 + 4,465; abandoned round(10,592 × 604 / 9,396) = 681
    // (93.96 %); short abandons 1.5 % of the 11,273 others = 169; 560,524 / 100 = 5,605
    // applications: the 4,465 of the phone and 1 % of each other channel's
    scale: '100', answered: 10592, abandoned: 681, short: 169, outcomes: { instant_info: 6127, application: 4465 },
    channels: { phone_153: 4465, desk: 412, mobile_desk: 63, web: 284, whatsapp: 158, cimer: 126, mobile_app: 97 }, apps: 5605,
};

describe('t31 simulate samsun-2025', () => {
    after(cleanup);

    it(`samsun-2025 at 1/${S.scale}: the published figures at that scale, exactly; a second run is refused`, async () => {
        const db = await freshDb();
        const r = await run(['simulate', '--db', db, '--profile', 'samsun-2025', '--scale', S.scale]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
        assert.match(r.stdout, new RegExp(`calls answered +${S.answered} +answer rate 9[34]\\.\\d\\d %`));
        assert.match(r.stdout, /simulated 365 days: \d+ rows written in [\d.]+ s: \d+ rows\/s/);
        // the report computes them from the rows: the published figures, scaled
        const rep = await report(db);
        assert.equal(rep.calls.answered, S.answered);
        assert.equal(rep.calls.abandoned, S.abandoned + S.short, 'the report counts short abandons among the abandoned');
        assert.equal(rep.calls.short_abandoned, S.short);
        assert.equal(rep.calls.offered, S.answered + S.abandoned + S.short);
        assert.ok(Math.abs(rep.calls.answer_rate - S.answered / (S.answered + S.abandoned)) < 1e-9, `${rep.calls.answer_rate}`);
        if (!SMALL) assert.equal(rep.calls.answer_rate.toFixed(4), '0.9396');
        assert.deepEqual(rep.contacts.by_outcome, { followup: 0, not_relevant: 0, transferred_out: 0, open: 0, ...S.outcomes });
        assert.equal(rep.applications.total, S.apps);
        assert.deepEqual(table(rep, 'by_channel'), S.channels);
        assert.ok(rep.applications.returned > 0 && rep.applications.transferred > 0 && rep.applications.reopened > 0 &&
            rep.applications.overdue_now > 0, JSON.stringify(rep.applications));
        assert.ok(rep.applications.in_deadline_share > 0.6 && rep.applications.in_deadline_share < 0.95, JSON.stringify(rep.applications));
        if (!SMALL) {
            // the paragraph says it as the press release did
            const text = (await report(db, 'text')).replace(/\s+/g, ' ');
            assert.match(text, /2025'te 10 bin 592 çağrı %93,96 başarı oranıyla karşılandı; bunların 6\.127'si anlık bilgilendirmeyle sonuçlandı, 4\.465'i ilgili birimlere yönlendirildi\./);
        }

        const f = figures(db);
        assert.equal(f.answered, S.answered);
        assert.equal(f.abandoned, S.abandoned);
        assert.equal(f.short, S.short);
        assert.equal(f.offered, S.answered + S.abandoned + S.short);
        if (!SMALL) assert.equal((100 * f.answered / (f.answered + f.abandoned)).toFixed(2), '93.96');
        assert.deepEqual(f.outcomes, S.outcomes);
        assert.deepEqual(f.channels, S.channels);
        assert.equal(f.apps, S.apps);
        assert.equal(f.outside, 0, 'nothing outside 2025: calls, contacts (opened and closed), applications, their history');
        // every phone application is linked from the contact of its call, forwarded at once
        const [linked, forwarded] = sqlite(db, `SELECT (SELECT COUNT(DISTINCT application_id) FROM contacts WHERE outcome = 'application'),
            (SELECT COUNT(*) FROM events WHERE action = 'route')`).split('|').map(Number);
        assert.equal(linked, S.outcomes.application);
        assert.ok(forwarded >= S.apps, `every application routed (${forwarded} route events)`);
        // lifecycles: most closed, some still open at the year's end, some answered late
        const st = statuses(db);
        assert.ok(st.closed > S.apps * 0.7, JSON.stringify(st));
        assert.ok(st.resolved > 0 && (st.in_progress || 0) + (st.forwarded || 0) > 0, JSON.stringify(st));
        const [late, reopened, transferred] = sqlite(db, `SELECT
            (SELECT COUNT(*) FROM applications WHERE responded_at > resolution_due),
            (SELECT COUNT(*) FROM events WHERE action = 'reopen'),
            (SELECT COUNT(*) FROM events WHERE action = 'transfer')`).split('|').map(Number);
        assert.ok(late > S.apps * 0.05 && late < S.apps * 0.3, `late answers: ${late}`);
        if (!SMALL) {
            assert.ok(reopened > 0 && transferred > 0, `reopened ${reopened}, transferred ${transferred}`);
            // seasons: snow in January, mosquito spraying in summer
            const cat = (code, m0, m1) => Number(sqlite(db, `SELECT COUNT(*) FROM applications a JOIN categories c ON c.id = a.category_id
                WHERE c.code = '${code}' AND a.created_at >= ${Date.parse(m0) / 1000} AND a.created_at < ${Date.parse(m1) / 1000}`));
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
});
