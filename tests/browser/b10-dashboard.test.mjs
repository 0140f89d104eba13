// The supervisor dashboard as the supervisor's home (issue 14 item 10): it opens on the last 7
// days, a period picker (today, 7, 30 days, this month, custom) changes every figure, the tiles
// open the application list with the same filter and the same count, a period without
// applications shows an empty state (no one-slice doughnut), no chart label is blank, and a
// new application changes the figures without a reload (the live stream). Server time pinned.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, apiClient } from './harness.mjs';

const NOW = '2026-03-10T09:00:00Z'; // Tuesday 12:00 in Istanbul

describe('dashboard: periods, tiles, empty state, live', { timeout: 180000 }, () => {
    let env, sup;
    before(async () => {
        env = await setup({ demoSize: 80, env: { ALO153_NOW: NOW } });
        sup = await apiClient(env.url).login('supervisor');
        // one unrouted application today, so the department chart has a row without a department
        const agent = await apiClient(env.url).login('agent');
        const r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Pano testi: sokak lambası yanmıyor.' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
    });
    after(async () => {
        if (env) await env.teardown();
    });
    const stats = async (from, to) => {
        const r = await sup.get(`/api/v1/stats?from=${from}&to=${to}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
    };
    const tileN = (page, id) => page.locator(`#${id} .tile-n`).innerText();

    it('opens on the last 7 days; the picker changes the figures; trend, on-time share and people are shown', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        assert.equal(new URL(page.url()).pathname, '/pano');
        const picker = page.getByRole('group', { name: 'Dönem' });
        await picker.waitFor();
        assert.equal(await picker.getByRole('button', { name: 'Son 7 gün' }).getAttribute('aria-pressed'), 'true');
        const s7 = await stats('2026-03-04', '2026-03-10');
        await page.locator('#tile-period').filter({ hasText: String(s7.period.total) }).waitFor();
        assert.equal(await tileN(page, 'tile-period'), String(s7.period.total));
        // the trend has one point per day of the period, in its table
        await page.locator('#ch-trend').waitFor();
        assert.equal(await page.locator('#ch-trend-table tbody tr').count(), 7);
        await page.locator('#dash-ontime').waitFor();
        await page.locator('#dash-agents tbody tr').first().waitFor();
        await env.shot(page, 'b10-dashboard-7d');

        await picker.getByRole('button', { name: 'Son 30 gün' }).click();
        const s30 = await stats('2026-02-09', '2026-03-10');
        assert.ok(s30.period.total > s7.period.total, 'the fixture has older applications');
        await page.locator('#tile-period .tile-n').filter({ hasText: new RegExp(`^${s30.period.total}$`) }).waitFor();
        assert.equal(await page.locator('#ch-trend-table tbody tr').count(), 30);
        assert.equal(await picker.getByRole('button', { name: 'Son 30 gün' }).getAttribute('aria-pressed'), 'true');

        await picker.getByRole('button', { name: 'Bu ay' }).click();
        const sm = await stats('2026-03-01', '2026-03-10');
        await page.locator('#tile-period .tile-n').filter({ hasText: new RegExp(`^${sm.period.total}$`) }).waitFor();

        // no blank label anywhere in the chart tables; the unrouted row has a name
        const heads = await page.locator('.chart-card table th[scope="row"]').allTextContents();
        assert.ok(heads.length > 0);
        assert.deepEqual(heads.filter((h) => !h.trim()), [], 'no blank label');
        assert.ok(heads.includes('Yönlendirilmemiş'), `the unrouted row is named: ${heads.join(' | ')}`);
        env.assertClean(page);
    });

    it('a tile opens the application list with the same filter and the same count', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        const s = await stats('2026-03-04', '2026-03-10');
        await page.locator('#tile-open .tile-n').filter({ hasText: new RegExp(`^${s.open}$`) }).waitFor();
        await page.locator('#tile-open').click();
        await page.waitForURL((u) => u.pathname === '/basvurular');
        assert.equal(new URL(page.url()).searchParams.get('status'), 'new,forwarded,in_progress');
        await page.locator('#list-total').filter({ hasText: new RegExp(`^${s.open}$`) }).waitFor();

        await page.goBack();
        await page.locator('#tile-overdue').click();
        await page.waitForURL((u) => u.pathname === '/basvurular' && u.searchParams.get('overdue') === 'true');
        await page.locator('#list-total').filter({ hasText: new RegExp(`^${s.overdue}$`) }).waitFor();
        assert.equal(await page.locator('#f-overdue').isChecked(), true, 'the filter shows what is applied');

        await page.goBack();
        await page.locator('#tile-period').click();
        await page.waitForURL((u) => u.pathname === '/basvurular' && u.searchParams.get('from') === '2026-03-04');
        await page.locator('#list-total').filter({ hasText: new RegExp(`^${s.period.total}$`) }).waitFor();
        env.assertClean(page);
    });

    it('a period without applications shows an empty state, not a one-slice doughnut', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        const picker = page.getByRole('group', { name: 'Dönem' });
        await picker.getByRole('button', { name: 'Özel' }).click();
        await page.getByLabel('İlk gün').fill('2025-01-01');
        await page.getByLabel('Son gün').fill('2025-01-07');
        await page.getByRole('button', { name: 'Uygula' }).click();
        await page.locator('.dash-empty').waitFor();
        assert.match(await page.locator('.dash-empty').innerText(), /Bu dönemde başvuru yok/);
        assert.equal(await page.locator('#ch-status').count(), 0, 'no doughnut');
        assert.equal(await tileN(page, 'tile-period'), '0');
        await env.shot(page, 'b10-dashboard-empty');
        // a reversed period is refused in Turkish, the figures stay
        await page.getByLabel('İlk gün').fill('2025-02-01');
        await page.getByRole('button', { name: 'Uygula' }).click();
        await page.getByText('İlk gün son günden sonra olamaz.').waitFor();
        env.assertClean(page);
    });

    it('a new application changes the figures without a reload', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        const before7 = (await stats('2026-03-04', '2026-03-10')).period.total;
        await page.locator('#tile-period .tile-n').filter({ hasText: new RegExp(`^${before7}$`) }).waitFor();
        await page.locator('html[data-live="open"]').waitFor({ state: 'attached' });
        await page.evaluate(() => { window.__sameDocument = true; });
        const agent = await apiClient(env.url).login('agent');
        const r = await agent.post('/api/v1/applications', { channel: 'web', text: 'Canlı pano: parkta kırık bank var.' });
        assert.equal(r.status, 201);
        await page.locator('#tile-period .tile-n').filter({ hasText: new RegExp(`^${before7 + 1}$`) }).waitFor();
        assert.ok(await page.evaluate(() => window.__sameDocument), 'no reload');
        env.assertClean(page);
    });

    it('390 px: the dashboard fits the phone', async () => {
        const { page } = await env.newPage({ viewport: { width: 390, height: 844 } });
        await env.login(page, 'supervisor');
        await page.locator('#tile-period').waitFor();
        await page.locator('#ch-trend').waitFor();
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `horizontal scroll of ${over} px`);
        await env.shot(page, 'b10-dashboard-390');
        env.assertClean(page);
    });
});
