// The Reports page's map (issue 11) in Debian's Chromium against the real server on a demo
// database (Kayseri) with its clock pinned: one circle per district with applications, a legend
// whose classes hold every district's value, the table fallback (districts with applications,
// population and per 10,000 exactly as GET /api/v1/reports/summary says), the switch to
// "per 10,000 inhabitants", the neighbourhoods of a chosen district, and the table alone when
// Leaflet cannot load.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, apiClient, PASSWORD } from './harness.mjs';

const NOW = '2026-03-15T09:00:00Z';
const PERIOD = { from: '2025-10-01', to: '2026-03-15' };
const WAIT = 30000; // a bound for slow steps, not a measurement

const int = (v) => (v === null ? '—' : new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 0 }).format(v));
const num = (v) => (v === null ? '—' : new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 1 }).format(v));

describe('the Reports page map', { timeout: 200000 }, () => {
    let env;
    let sup;
    let summary;
    let shared; // one page for tests 1-3 (a page load costs seconds on the shared machine)

    before(async () => {
        env = await setup({ demoSize: 400, env: { ALO153_NOW: NOW } });
        sup = await apiClient(env.url).login('supervisor');
        const r = await sup.get(`/api/v1/reports/summary?from=${PERIOD.from}&to=${PERIOD.to}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        summary = r.body;
    });
    after(async () => {
        if (env) await env.teardown();
    });

    async function open({ blockLeaflet = false } = {}) {
        const { page, context } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        page.setDefaultTimeout(WAIT);
        await page.clock.setFixedTime(new Date(NOW));
        if (blockLeaflet) await context.route('**/vendor/leaflet.js', (route) => route.abort());
        const r = await fetch(`${env.url}/api/v1/session`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: PASSWORD }),
        });
        const m = (r.headers.get('set-cookie') || '').match(/alo153_session=([^;]+)/);
        await context.addCookies([{ name: 'alo153_session', value: m[1], url: env.url }]);
        await page.goto(`${env.url}/raporlar?from=${PERIOD.from}&to=${PERIOD.to}`);
        await page.locator('.report-map').waitFor();
        return page;
    }

    const districts = () => {
        const tb = summary.tables.find((x) => x.name === 'by_district');
        const col = (k) => tb.columns.findIndex((c) => c.key === k);
        return tb.rows.filter((r) => r.key !== '').map((r) => ({
            name: r.label, n: r.values[col('applications')], pop: r.values[col('population')], per: r.values[col('per_10k')],
        }));
    };

    it('1. circles, legend and the table fallback say what the summary says', async () => {
        const ds = districts();
        assert.ok(ds.length >= 5, 'the demo spreads applications over the districts');
        for (const d of ds) {
            assert.ok(d.pop > 0, `${d.name} has a reference population`);
            assert.equal(d.per, Math.round((d.n * 10000 / d.pop) * 100) / 100, `${d.name} per 10,000`);
        }
        const page = (shared = await open());
        await page.locator('.report-mapbox.leaflet-container').waitFor();
        await page.waitForFunction((n) => document.querySelectorAll('.report-mapbox path.leaflet-interactive').length === n, ds.length);
        // the table fallback: one row per district, in the summary's order, with the page's numbers
        const rows = await page.locator('.map-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
        assert.deepEqual(rows, ds.map((d) => [d.name, int(d.n), int(d.pop), num(d.per)]));
        // the legend: grey 0, then classes that hold the largest count
        const legend = await page.locator('.map-legend li').allInnerTexts();
        assert.equal(legend[0].trim(), '0');
        const max = Math.max(...ds.map((d) => d.n));
        const last = legend[legend.length - 1].trim().split('–').map((s) => Number(s.replace(/\./g, '')));
        assert.ok(last[0] <= max && last[1] === max, `the last class ${legend.at(-1)} ends at ${max}`);
        assert.equal(await page.locator('.map-legend').getAttribute('data-metric'), 'n');
        const top = await page.locator('.map-top li span:first-child').allInnerTexts();
        assert.deepEqual(top, [...ds].sort((a, b) => b.n - a.n).slice(0, 5).map((d) => d.name));
    });

    it('2. per 10,000 inhabitants: title, legend and ranking switch', async () => {
        const page = shared || (await open());
        await page.locator('.report-mapbox.leaflet-container').waitFor();
        await page.getByLabel('10 bin kişi başına').check();
        await page.locator('.map-legend[data-metric="per"]').waitFor();
        assert.match(await page.locator('#rep-map-h').innerText(), /10 bin kişi başına/);
        const top = await page.locator('.map-top li').allInnerTexts();
        const want = districts().sort((a, b) => b.per - a.per).slice(0, 5);
        assert.deepEqual(top.map((s) => s.replace(/\s+/g, ' ').trim()), want.map((d) => `${d.name} ${num(d.per)}`));
    });

    it('3. the neighbourhoods of a district, coloured, from by_neighbourhood', async () => {
        const nb = summary.tables.find((x) => x.name === 'by_neighbourhood');
        const first = nb.rows[0].label.split(' / ')[0];
        const page = shared || (await open());
        await page.locator('.map-nb select').selectOption(first);
        const want = nb.rows.filter((r) => r.label.startsWith(`${first} / `)).map((r) => [r.label.slice(first.length + 3), int(r.values[0])]);
        await page.waitForFunction((n) => document.querySelectorAll('.map-nb-table tbody tr').length === n, want.length);
        const rows = await page.locator('.map-nb-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
        assert.deepEqual(rows, want);
        // every row has a colour swatch, the largest the darkest class
        const colours = await page.locator('.map-nb-table .swatch').evaluateAll((ss) => ss.map((s) => s.style.background));
        assert.equal(colours.length, want.length);
        assert.ok(colours.every((c) => c && !/212, 212, 216/.test(c)), 'no neighbourhood with applications is grey');
    });

    it('4. without Leaflet the table is open and complete', async () => {
        const page = await open({ blockLeaflet: true });
        await page.locator('.map-table[open]').waitFor();
        assert.equal(await page.locator('.report-mapbox').count(), 0);
        assert.equal(await page.locator('.map-table tbody tr').count(), districts().length);
    });
});
