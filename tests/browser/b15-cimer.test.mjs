// The CİMER page in Chromium: a desk clerk imports a CİMER file through the page (the queue
// then shows each application's days left to the municipality's promise, red under 3), a
// malformed file is refused with its line number and nothing imported, and one application is
// entered through the form. Time is pinned (ALO153_NOW) so the days left are exact.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, apiClient } from './harness.mjs';

/* Monday 1 June 2026, 09:00 in Istanbul */
const NOW = '2026-06-01T06:00:00Z';
const CSV = [
    'cimer_no,filed_at,name,text',
    'B-1,2026-05-12,Ayşe Demir,Mahallemizdeki yol çukurlarla dolu',
    'B-2,2026-05-20,,Otobüs seferleri yetersiz',
    'B-3,2026-05-19,,Kaldırım yapılmasını talep ediyorum',
    'B-4,2026-05-29,Mehmet Kaya,Çöp konteyneri taşıyor',
    '',
].join('\n');

describe('CİMER page', { timeout: 90000 }, () => {
    let env, desk, page;
    before(async () => {
        env = await setup({ demoSize: 0, env: { ALO153_NOW: NOW } });
        desk = await apiClient(env.url).login('desk');
    });
    after(async () => { if (env) await env.teardown(); });

    const cells = (page) => page.$$eval('#cimer-queue tbody tr', (rows) => rows.map((r) => ({
        no: r.dataset.cimer,
        left: r.querySelector('.cimer-left').textContent.trim(),
        red: !!r.querySelector('.cimer-left [data-late="true"]') && getComputedStyle(r.querySelector('.cimer-left .badge')).backgroundColor,
    })));

    it('imports a file: the queue shows days left, red under 3; a malformed file is refused with its line', async () => {
        ({ page } = await env.newPage({ viewport: { width: 1280, height: 900 } }));
        await env.login(page, 'desk');
        await page.getByRole('link', { name: 'CİMER' }).click();
        await page.waitForURL((u) => u.pathname === '/cimer');
        await page.waitForSelector('#cimer-empty');
        await page.setInputFiles('#cimer-file', { name: 'bozuk.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV.replace('B-3,2026-05-19,,', 'B-3,2026-13-19,,')) });
        const err = await page.waitForSelector('#cimer-import-err');
        assert.match(await err.textContent(), /Dosyanın 4\. satırı hatalı; hiçbir başvuru aktarılmadı\./);
        assert.equal((await desk.get('/api/v1/cimer/applications?all=1')).body.items.length, 0, 'nothing imported');
        await page.setInputFiles('#cimer-file', { name: 'cimer.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
        await page.waitForSelector('#cimer-import-ok');
        assert.match(await page.textContent('#cimer-import-ok'), /4 başvuru aktarıldı, 0 başvuru daha önce aktarılmıştı\./);
        await page.waitForSelector('#cimer-queue');
        const rows = await cells(page);
        assert.deepEqual(rows.map((r) => [r.no, r.left]), [['B-1', '0 gün'], ['B-3', '2 gün'], ['B-2', '3 gün'], ['B-4', '14 gün']]);
        const red = 'rgb(166, 27, 27)';
        assert.deepEqual(rows.map((r) => r.red), [red, red, false, false], 'red under 3 days only');
        env.assertClean(page);
    });

    it('enters one application through the form; a number imported before is refused in Turkish', async () => {
        /* the same page, still on /cimer */
        await page.fill('#cimer-f-cimer_no', 'B-1');
        await page.fill('#cimer-f-filed_at', '2026-05-31');
        await page.fill('#cimer-f-text', 'Aynı numarayla ikinci başvuru');
        await page.click('form >> text=Kaydet');
        await page.waitForSelector('#cimer-f-cimer_no-err');
        assert.match(await page.textContent('#cimer-f-cimer_no-err'), /Bu CİMER numarası daha önce aktarılmış\./);
        await page.fill('#cimer-f-cimer_no', 'B-9');
        await page.fill('#cimer-f-name', 'Zeynep Ak');
        await page.click('form >> text=Kaydet');
        await page.waitForSelector('#cimer-one-ok');
        assert.match(await page.textContent('#cimer-one-ok'), /Başvuru kaydedildi: \d{4}-\d{6}/);
        await page.waitForSelector('tr[data-cimer="B-9"]');
        assert.equal(await page.textContent('tr[data-cimer="B-9"] .cimer-left'), '14 gün');
        const api = (await desk.get('/api/v1/cimer/applications')).body.items.find((x) => x.cimer_no === 'B-9');
        assert.equal(api.promise_due, '2026-06-15T20:59:59Z');
        env.assertClean(page);
    });
});
