// Application lists that fit a screen (issue 14 item 11): the real total (not the page size),
// dense one-line rows whose whole row opens the application (and the keyboard can), a column
// for who registered it, a column choice kept per user across reloads, a notice when new
// applications arrive ("1 yeni başvuru — göster"), and filters folded away on a 390 px phone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, apiClient } from './harness.mjs';

const NOW = '2026-03-10T09:00:00Z';

describe('lists: total, rows, columns, new items, phone', { timeout: 180000 }, () => {
    let env, sup, agent;
    before(async () => {
        env = await setup({ demoSize: 80, env: { ALO153_NOW: NOW } });
        sup = await apiClient(env.url).login('supervisor');
        agent = await apiClient(env.url).login('agent');
    });
    after(async () => {
        if (env) await env.teardown();
    });
    const rows = (page) => page.locator('table.apps tbody tr');

    it('the total is the real count, rows are one line, the registering user is shown', async () => {
        const all = await sup.get('/api/v1/applications?limit=1');
        assert.ok(all.body.total > 50, `more than a page: ${all.body.total}`);
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/basvurular`);
        await page.locator('#list-total').filter({ hasText: new RegExp(`^${all.body.total}$`) }).waitFor();
        assert.equal(await rows(page).count(), 50, 'one page of rows');
        const heights = await rows(page).evaluateAll((trs) => trs.slice(0, 20).map((tr) => tr.getBoundingClientRect().height));
        assert.ok(Math.max(...heights) <= 40, `one-line rows: ${heights.join(', ')}`);
        assert.ok(await page.evaluate(() => document.querySelectorAll('table.apps tbody tr').length) >= 15);
        await env.shot(page, 'b11-list-1280');
        const visible = await page.evaluate(() => [...document.querySelectorAll('table.apps tbody tr')].filter((tr) => tr.getBoundingClientRect().bottom <= window.innerHeight).length);
        assert.ok(visible >= 12, `${visible} rows fit the first screen`);
        const byCol = page.locator('table.apps thead th', { hasText: 'Kaydeden' });
        await byCol.waitFor();
        const first = (await sup.get('/api/v1/applications?limit=1')).body.items[0];
        const want = first.registered_by ? first.registered_by.name : 'Web formu';
        assert.equal((await rows(page).first().locator('td[data-col="registered_by"]').innerText()).trim(), want);
        env.assertClean(page);
    });

    it('a click anywhere on a row opens it; so does Enter on its link', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/basvurular`);
        await rows(page).first().waitFor();
        const tracking = await rows(page).nth(2).getAttribute('data-tracking');
        await rows(page).nth(2).locator('td[data-col="summary"]').click();
        await page.waitForURL((u) => /^\/basvurular\/\d+$/.test(u.pathname));
        await page.locator('h1', { hasText: tracking }).waitFor();
        await page.goBack();
        await rows(page).first().waitFor();
        const link = rows(page).nth(1).locator('a.row-link');
        const t2 = await rows(page).nth(1).getAttribute('data-tracking');
        await link.focus();
        await page.keyboard.press('Enter');
        await page.locator('h1', { hasText: t2 }).waitFor();
        env.assertClean(page);
    });

    it('the column choice is kept for the user across a reload', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/basvurular`);
        await rows(page).first().waitFor();
        assert.equal(await page.locator('table.apps thead th', { hasText: 'Kaydeden' }).count(), 1);
        await page.getByRole('button', { name: 'Sütunlar' }).click();
        await page.getByRole('checkbox', { name: 'Kaydeden' }).uncheck();
        await page.getByRole('checkbox', { name: 'Kanal' }).check();
        assert.equal(await page.locator('table.apps thead th', { hasText: 'Kaydeden' }).count(), 0);
        await page.reload();
        await rows(page).first().waitFor();
        assert.equal(await page.locator('table.apps thead th', { hasText: 'Kaydeden' }).count(), 0, 'kept after a reload');
        assert.equal(await page.locator('table.apps thead th', { hasText: 'Kanal' }).count(), 1);
        const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('alo153.columns.')));
        assert.deepEqual(stored, ['alo153.columns.supervisor'], 'per user');
        env.assertClean(page);
    });

    it('new applications are announced, and shown on request', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/basvurular`);
        await rows(page).first().waitFor();
        const total = Number((await page.locator('#list-total').innerText()).replace(/\./g, ''));
        await page.locator('html[data-live="open"]').waitFor({ state: 'attached' });
        await page.evaluate(() => { window.__sameDocument = true; });
        const a = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Liste testi: çöp konteyneri taşıyor.' });
        assert.equal(a.status, 201);
        const notice = page.locator('.live-new');
        await notice.waitFor();
        assert.match(await notice.innerText(), /1 yeni başvuru/);
        await notice.getByRole('button', { name: 'Göster' }).click();
        await page.locator(`tr[data-tracking="${a.body.tracking}"]`).waitFor();
        await page.locator('#list-total').filter({ hasText: new RegExp(`^${total + 1}$`) }).waitFor();
        assert.equal(await page.locator('.live-new').count(), 0);
        assert.ok(await page.evaluate(() => window.__sameDocument), 'no reload');
        env.assertClean(page);
    });

    it('390 px: the filters are folded away and open on request; the rows still fit', async () => {
        const { page } = await env.newPage({ viewport: { width: 390, height: 844 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/basvurular`);
        await rows(page).first().waitFor();
        const toggle = page.getByRole('button', { name: /Filtreler/ });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.equal(await page.locator('#f-status').isVisible(), false, 'folded on a phone');
        const firstRowTop = await rows(page).first().evaluate((tr) => tr.getBoundingClientRect().top);
        assert.ok(firstRowTop < 844, `the first row is on the first screen (${firstRowTop})`);
        await env.shot(page, 'b11-list-390');
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        await page.locator('#f-status').waitFor();
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `horizontal scroll of ${over} px`);
        await env.shot(page, 'b11-list-390-filters');
        env.assertClean(page);
    });
});
