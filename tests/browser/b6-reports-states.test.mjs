// The Reports page (/raporlar) in the states a demo database cannot show, with GET
// /api/v1/reports/summary answered from a fixture written to the contract (docs/REPORTS.md,
// tests/browser/reports-fixture.mjs) through Playwright's page.route: survey answers and a
// previous year to compare with (the change on the cards), long tables, Turkish and English
// number formats, axe, an empty period, and a reversed custom period refused on the page.
// The real server's figures are checked in b6-reports.test.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, OUT, REPO, PASSWORD } from './harness.mjs';
import { fixtureSummary } from './reports-fixture.mjs';

const NOW = '2026-03-15T09:00:00Z';
const WAIT = 30000; // how long a step may wait on a busy machine (a bound, not a measurement)

async function cardTexts(page) {
    return page.locator('.kpi').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.k, e.querySelector('.kpi-n').textContent.trim()])));
}

/** A full-page screenshot with the charts drawn (see b6-reports.test.mjs). */
async function shot(page, name) {
    const vp = page.viewportSize();
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: vp.width, height: Math.min(h, 16000) });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `${OUT}/${name}.png`, timeout: 60000 });
    await page.setViewportSize(vp);
}

describe('the Reports page, states from a fixture', { timeout: 240000 }, () => {
    let env;

    before(async () => {
        env = await setup({ env: { ALO153_NOW: NOW } });
    });
    after(async () => {
        if (env) await env.teardown();
    });

    async function session(user) {
        const r = await fetch(`${env.url}/api/v1/session`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }),
        });
        assert.equal(r.status, 200, `login ${user}`);
        const m = (r.headers.get('set-cookie') || '').match(/alo153_session=([^;]+)/);
        return { name: 'alo153_session', value: m[1], url: env.url };
    }

    async function withFixture(opts, query = '') {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        page.setDefaultTimeout(WAIT);
        await page.clock.setFixedTime(new Date(NOW));
        const asked = [];
        await page.route('**/api/v1/reports/summary?*', (route) => {
            const u = new URL(route.request().url());
            asked.push(u.search);
            const body = fixtureSummary({ from: u.searchParams.get('from'), to: u.searchParams.get('to'), ...opts });
            return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
        });
        await page.context().addCookies([await session('supervisor')]);
        await page.goto(`${env.url}/raporlar${query}`);
        return { page, asked };
    }

    it('1. survey answers and last year: a percentage, and the change against last year', async () => {
        const { page } = await withFixture({ satisfaction: { answers: 1234, satisfied_share: 0.8765 }, previous: true }, '?from=2025-01-01&to=2025-12-31');
        await page.locator('.kpi').first().waitFor();
        assert.equal(await page.locator('#rep-preset').inputValue(), 'lastYear', 'the address picks the preset');
        const cards = await cardTexts(page);
        assert.equal(cards.satisfaction, '%87,65');
        assert.equal(cards.calls_answered, '97.918');
        assert.equal(cards.answer_rate, '%93,96');
        const change = (k) => page.locator(`.kpi[data-k="${k}"] .kpi-change`).innerText();
        assert.equal(await change('calls_answered'), 'Geçen yıl 90.100 · ▲ %8,7');
        assert.equal(await change('answer_rate'), 'Geçen yıl %91,01 · ▲ 2,9 puan');
        assert.equal(await change('applications'), 'Geçen yıl 28.010 · ▲ %8,9');
        // a long table shows 20 rows, then all on request
        const nb = page.locator('section[data-table="by_neighbourhood"]');
        assert.equal(await nb.locator('tbody tr').count(), 20);
        await nb.getByRole('button', { name: 'Tüm satırları göster (45)' }).click();
        assert.equal(await nb.locator('tbody tr').count(), 45);
        // Turkish number formats in the tables: %, decimal comma, "—" for a value that does not exist
        const dept = page.locator('section[data-table="by_department"] tbody tr').first();
        assert.deepEqual(await dept.locator('td').allInnerTexts(), ['9.120', '8.820', '%97,00', '12', '2,0', '6,0']);
        assert.equal(await page.locator('section[data-table="by_district"] tbody tr').nth(5).locator('td').nth(1).innerText(), '—');
        await shot(page, 'b6-reports-states');

        // no serious or critical WCAG 2.1 A/AA violation on the full page (axe-core, as b3)
        await page.addScriptTag({ path: path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js') });
        const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
        const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), []);
        assert.ok(axe.passes.some((x) => x.id === 'color-contrast'), 'axe checked the contrast');

        // English mode: English labels, English number formats, the summary asked again in English
        await page.getByRole('button', { name: 'EN' }).click();
        await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
        await page.waitForFunction(() => document.querySelector('.kpi[data-k="calls_answered"] .kpi-n').textContent === '97,918');
        assert.match(await page.locator('.kpi[data-k="satisfaction"]').innerText(), /Citizen satisfaction/);
        env.assertClean(page);
    });

    it('2. an empty period says so; a reversed custom period is refused without asking the server', async () => {
        const { page, asked } = await withFixture({ empty: true });
        await page.locator('#rep-empty').waitFor();
        assert.equal(await page.locator('#rep-empty').innerText(), 'Bu dönemde çağrı, görüşme veya başvuru kaydı yok.');
        assert.equal(await page.locator('.kpi').count(), 0);
        const n = asked.length;
        await page.locator('#rep-preset').selectOption('custom');
        await page.locator('#rep-from').fill('2026-03-01');
        await page.locator('#rep-to').fill('2026-02-01');
        await page.getByRole('button', { name: 'Göster', exact: true }).click();
        assert.equal(await page.locator('#rep-period-err').innerText(), '⚠ Bitiş tarihi başlangıçtan önce olamaz.');
        assert.equal(asked.length, n, 'no request for a refused period');
        env.assertClean(page);
    });
});
