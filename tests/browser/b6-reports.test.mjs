// The Reports page (/raporlar, issue 11) in Debian's Chromium against the real server on a demo
// database with its clock pinned (ALO153_NOW for the server, page.clock for the browser): the
// headline cards say what GET /api/v1/reports/summary says for the period, the charts and the
// map draw, a table downloads as a real XLSX file, a department manager sees no call figures,
// and the printed page has no navigation. The states demo data cannot show (survey answers, a
// previous year, an empty period) are in b6-reports-states.test.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setup, apiClient, OUT, PASSWORD } from './harness.mjs';

const NOW = '2026-03-15T09:00:00Z'; // the demo's 180 days: mid-September 2025 to now
const THIS_YEAR = { from: '2026-01-01', to: '2026-03-15' };
const PERIOD = { from: '2025-10-01', to: '2026-03-15' }; // a custom period with demo data in it
// how long a step may wait (a bound, not a measurement: the page loads Chart.js and Leaflet, and
// the shared test machine can be slow)
const WAIT = 30000;

// the page's formatting (web/js/pages/reports.js), in Turkish
const int = (v) => (v === null ? '—' : new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 0 }).format(v));
const pct = (v) => (v === null ? '—' : new Intl.NumberFormat('tr-TR', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v));
const days = (v) => (v === null ? '—' : new Intl.NumberFormat('tr-TR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v));

/** The cards the page must show for a summary: data-k → the value's text. */
function expectedCards(s) {
    const a = s.applications;
    const out = {
        applications: int(a.total),
        in_deadline: pct(a.in_deadline_share),
        resolution_wd: `${days(a.resolution_wd.median)} / ${days(a.resolution_wd.p90)}`,
        overdue_now: int(a.overdue_now),
        satisfaction: s.satisfaction ? pct(s.satisfaction.satisfied_share) : 'Henüz anket yanıtı yok',
    };
    if (s.calls) Object.assign(out, { calls_answered: int(s.calls.answered), answer_rate: pct(s.calls.answer_rate) });
    if (s.contacts) {
        const o = s.contacts.by_outcome;
        out.instant_info = `${int(o.instant_info)} / ${int(o.application + o.followup)}`;
    }
    return out;
}

/** A full-page screenshot with the charts drawn: the viewport is made as tall as the page first
 *  (a fullPage capture resizes it, and Chart.js clears its canvases to redraw them). */
async function shot(page, name) {
    const vp = page.viewportSize();
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: vp.width, height: Math.min(h, 16000) });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `${OUT}/${name}.png`, timeout: 60000 });
    await page.setViewportSize(vp);
}

async function cardTexts(page) {
    return page.locator('.kpi').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.k, e.querySelector('.kpi-n').textContent.trim()])));
}

describe('the Reports page', { timeout: 280000 }, () => {
    let env;
    let sup;

    before(async () => {
        env = await setup({ demoSize: 400, env: { ALO153_NOW: NOW } });
        sup = await apiClient(env.url).login('supervisor');
    });
    after(async () => {
        if (env) await env.teardown();
    });

    /** The session cookie of a user, from the API (the login form is used once, in test 1). */
    async function session(user) {
        const r = await fetch(`${env.url}/api/v1/session`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }),
        });
        assert.equal(r.status, 200, `login ${user}`);
        const m = (r.headers.get('set-cookie') || '').match(/alo153_session=([^;]+)/);
        return { name: 'alo153_session', value: m[1], url: env.url };
    }

    async function open(user, viewport = { width: 1280, height: 800 }, { query = '', form = false } = {}) {
        const { page, context } = await env.newPage({ viewport, acceptDownloads: true });
        page.setDefaultTimeout(WAIT);
        await page.clock.setFixedTime(new Date(NOW)); // "this year so far" is the server's year
        if (form) await env.login(page, user);
        else await context.addCookies([await session(user)]);
        await page.goto(`${env.url}/raporlar${query}`);
        return { page, context };
    }

    it('1. a supervisor sees the figures of the API for this year, charts and the map', async () => {
        const api = await sup.get(`/api/v1/reports/summary?from=${THIS_YEAR.from}&to=${THIS_YEAR.to}`);
        assert.equal(api.status, 200, JSON.stringify(api.body));
        assert.ok(api.body.applications.total > 0, 'the demo has applications this year');
        const { page } = await open('supervisor', undefined, { form: true });
        // the nav links the page, and the default period is this year so far
        assert.equal(await page.locator('.mainnav a[href="/raporlar"]').getAttribute('aria-current'), 'page');
        await page.locator('.kpi').first().waitFor();
        assert.equal(await page.locator('#rep-preset').inputValue(), 'year');
        assert.match(await page.locator('#rep-for').innerText(), /1 Ocak 2026 – 15 Mart 2026/);
        assert.deepEqual(await cardTexts(page), expectedCards(api.body));
        // the survey state is words, never a 0
        if (api.body.satisfaction === null) assert.equal((await cardTexts(page)).satisfaction, 'Henüz anket yanıtı yok');

        // charts draw (a canvas with pixels) and the map has a circle per district
        await page.locator('#ch-month').waitFor();
        await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.getElementById('ch-month')));
        const drawn = await page.locator('#ch-dept').evaluate((c) => c.width > 0 && window.Chart.getChart(c).data.datasets[0].data.length);
        assert.equal(drawn, api.body.tables.find((x) => x.name === 'by_department').rows.length);
        await page.locator('.report-mapbox.leaflet-container').waitFor();
        const circles = await page.locator('.report-mapbox path.leaflet-interactive').count();
        assert.equal(circles, api.body.tables.find((x) => x.name === 'by_district').rows.length, 'one circle per district (all of Kayseri has centres)');
        assert.match(await page.locator('.report-map').innerText(), /Melikgazi/);

        // every table is rendered with its Turkish title and two downloads
        for (const tb of api.body.tables) {
            const sec = page.locator(`section[data-table="${tb.name}"]`);
            assert.equal(await sec.locator('h2').innerText(), tb.title);
            assert.equal(await sec.getByRole('link', { name: 'CSV indir' }).count(), 1);
            assert.equal(await sec.getByRole('link', { name: 'Excel indir' }).count(), 1);
        }
        await shot(page, 'b6-reports-1280');
        env.assertClean(page);
    });

    it('2. a custom period shows that period, and "Excel indir" downloads a real XLSX file', async () => {
        const api = await sup.get(`/api/v1/reports/summary?from=${PERIOD.from}&to=${PERIOD.to}`);
        assert.equal(api.status, 200, JSON.stringify(api.body));
        const { page } = await open('supervisor');
        await page.locator('.kpi').first().waitFor();
        await page.locator('#rep-preset').selectOption('custom');
        await page.locator('#rep-from').fill(PERIOD.from);
        await page.locator('#rep-to').fill(PERIOD.to);
        await page.getByRole('button', { name: 'Göster', exact: true }).click();
        await page.waitForFunction(() => document.querySelector('.reports').getAttribute('aria-busy') === 'false'
            && /1 Ekim 2025/.test(document.getElementById('rep-for').textContent));
        assert.deepEqual(await cardTexts(page), expectedCards(api.body));
        assert.equal(new URL(page.url()).search, `?from=${PERIOD.from}&to=${PERIOD.to}`, 'the period is in the address');

        const sec = page.locator('section[data-table="by_department"]');
        const [download] = await Promise.all([page.waitForEvent('download'), sec.getByRole('link', { name: 'Excel indir' }).click()]);
        assert.match(download.suggestedFilename(), /\.xlsx$/);
        const file = await download.path();
        const bytes = fs.readFileSync(file);
        assert.ok(bytes.length > 0, 'the file is not empty');
        assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
        env.assertClean(page);
    });

    it('3. a department manager sees the department without call figures', async () => {
        const mgr = await apiClient(env.url).login('fen.mudur');
        const api = await mgr.get(`/api/v1/reports/summary?from=${THIS_YEAR.from}&to=${THIS_YEAR.to}`);
        assert.equal(api.status, 200, JSON.stringify(api.body));
        assert.equal(api.body.calls, null);
        const { page } = await open('fen.mudur');
        await page.locator('.kpi').first().waitFor();
        const cards = await cardTexts(page);
        assert.deepEqual(cards, expectedCards(api.body));
        for (const k of ['calls_answered', 'answer_rate', 'instant_info']) assert.ok(!(k in cards), `no ${k} card`);
        assert.equal(await page.locator('#ch-outcome').count(), 0, 'no contacts chart');
        assert.equal(await page.locator('.mainnav a[href="/raporlar"]').count(), 1);
        env.assertClean(page);
    });

    it('4. an agent has no Reports page', async () => {
        const { page } = await open('agent');
        await page.getByText('Bu sayfayı görme yetkiniz yok.').waitFor();
        assert.equal(await page.locator('.mainnav a[href="/raporlar"]').count(), 0);
    });

    it('5. on a phone and in print: readable, no navigation or buttons in print', async () => {
        const { page } = await open('supervisor', { width: 390, height: 844 });
        await page.locator('.kpi').first().waitFor();
        await page.locator('.report-mapbox.leaflet-container').waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px)`);
        await shot(page, 'b6-reports-390');

        const p2 = (await open('supervisor')).page;
        await p2.locator('.kpi').first().waitFor();
        await p2.locator('.report-mapbox.leaflet-container').waitFor();
        await p2.emulateMedia({ media: 'print' });
        assert.equal(await p2.locator('.topbar').isVisible(), false, 'no nav in print');
        assert.equal(await p2.locator('.report-controls').isVisible(), false, 'no period picker in print');
        assert.equal(await p2.getByRole('link', { name: 'Excel indir' }).first().isVisible(), false, 'no download buttons in print');
        assert.equal(await p2.locator('.dl-all').isVisible(), false);
        assert.ok(await p2.locator('#rep-for').isVisible(), 'the title with the period and the municipality prints');
        assert.match(await p2.locator('#rep-for').innerText(), /Büyükşehir Belediyesi.*1 Ocak 2026 – 15 Mart 2026/s);
        await p2.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
        await shot(p2, 'b6-reports-print');
        const pdf = await p2.pdf({ format: 'A4' });
        assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
    });
});
