// The knowledge base in Chromium: a call-taker searches it from the call screen (Alt+B, Turkish
// folding) and closes a contact as instant information with the article; a mobile-desk contact
// needs the bus's district; an editor creates an article with districts, validity and phones on
// a phone-sized screen, and a Turkish error explains a wrong date order. Every result is checked
// through the API as well as on the page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, apiClient, OUT, REPO } from './harness.mjs';

/* axe-core's WCAG 2 A/AA rules on the page as it is: no serious or critical violation */
async function axe(page, name) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js') });
    const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${name}`);
}

const DAY = 86400 * 1000;

describe('knowledge base in the console', { timeout: 150000 }, () => {
    let env, sup, agentApi, article, kocasinan;

    before(async () => {
        env = await setup();
        sup = await apiClient(env.url).login('supervisor');
        agentApi = await apiClient(env.url).login('agent');
        const d = (await sup.get('/api/v1/districts')).body.items;
        kocasinan = d.find((x) => x.name === 'Kocasinan').id;
        /* valid from yesterday to a week ahead of the real clock: current whatever the date */
        const r = await sup.post('/api/v1/kb/articles', {
            title: 'Kocasinan planlı SU KESİNTİSİ',
            body: 'Kocasinan Mimarsinan mahallesinde ana boru değişimi nedeniyle sular 18.00\'e kadar kesik olacak.',
            category: 'SU_ARIZA', districts: [kocasinan],
            valid_from: new Date(Date.now() - DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
            valid_until: new Date(Date.now() + 7 * DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
            phones: [{ name: 'KASKİ arıza', number: '185' }],
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        article = r.body;
    });
    after(async () => { if (env) await env.teardown(); });

    it('1. an agent finds the article with Alt+B and closes the contact as instant information', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'agent');
        assert.equal(new URL(page.url()).pathname, '/cagri');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ct-phone');
        await page.keyboard.press('Alt+KeyB');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'kb-q');
        /* folded and by word start: "kesinti" finds "KESİNTİSİ" */
        await page.keyboard.type('kocasinan kesinti');
        const hit = page.locator(`.kb-result[data-article="${article.id}"]`);
        await hit.waitFor();
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('Enter');
        const open = page.locator('.kb-open');
        await open.waitFor();
        assert.match(await open.innerText(), /ana boru değişimi/);
        assert.match(await open.locator('.kb-phones').innerText(), /KASKİ arıza\s+185/);
        assert.match(await open.innerText(), /Kocasinan/);
        assert.equal(await page.locator('#kb-close').innerText(), 'Anlık bilgi verildi — kapat');
        await env.shot(page, 'b5-kb-calltaker-1280');
        await axe(page, 'the call-taker screen with an article open');
        await page.click('#kb-close');
        const done = page.locator('#kb-done');
        await done.waitFor();
        const id = Number((await done.innerText()).match(/#(\d+)/)[1]);
        const c = await agentApi.get(`/api/v1/contacts/${id}`);
        assert.equal(c.status, 200, JSON.stringify(c.body));
        assert.equal(c.body.outcome, 'instant_info');
        assert.equal(c.body.kb_article_id, article.id);
        assert.equal(c.body.channel, 'phone_153');
        assert.equal(c.body.user_id, agentApi.user ? agentApi.user.id : c.body.user_id);
        assert.equal((await agentApi.get(`/api/v1/kb/articles/${article.id}`)).body.uses, 1);
        await env.shot(page, 'b5-kb-calltaker-closed-1280');
        await page.close();
    });

    it('2. a mobile-desk contact asks for the district where the bus stood', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'agent');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ct-phone');
        await page.keyboard.press('Alt+KeyB');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'kb-q');
        await page.keyboard.type('KASKİ');
        await page.locator(`.kb-result[data-article="${article.id}"]`).click();
        await page.selectOption('#kb-channel', 'mobile_desk');
        await page.click('#kb-close');
        const err = page.locator('#kb-bus-district-err');
        await err.waitFor();
        assert.match(await err.innerText(), /Çözüm otobüsünün bulunduğu ilçeyi seçin/);
        await page.selectOption('#kb-bus-district', String(kocasinan));
        await page.click('#kb-close');
        const done = page.locator('#kb-done');
        await done.waitFor();
        const id = Number((await done.innerText()).match(/#(\d+)/)[1]);
        const c = (await agentApi.get(`/api/v1/contacts/${id}`)).body;
        assert.deepEqual([c.channel, c.district_id, c.outcome, c.kb_article_id], ['mobile_desk', kocasinan, 'instant_info', article.id]);
        await page.close();
    });

    it('3. an editor creates an article on a phone-sized screen; a wrong date order is explained in Turkish', async () => {
        const { page } = await env.newPage({ viewport: { width: 390, height: 844 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/bilgi-bankasi`);
        await page.locator('table.kb-table').waitFor();
        await page.click('#kb-new');
        await page.fill('#kb-f-title', 'Talas Erciyes bulvarı yol çalışması');
        await page.fill('#kb-f-body', 'Talas Erciyes bulvarında asfalt serimi yapılıyor; araçlar Kiçiköy yolundan yönlendiriliyor.');
        await page.fill('#kb-f-keywords', 'asfalt trafik kapalı yol');
        const talas = (await sup.get('/api/v1/districts')).body.items.find((x) => x.name === 'Talas').id;
        await page.check(`input[name="kb-district"][value="${talas}"]`);
        await page.fill('#kb-f-valid_from', '2030-05-10');
        await page.fill('#kb-f-valid_until', '2030-05-01');
        await page.click('#kb-f-add-phone');
        await page.fill('#kb-f-phone-name-0', 'Emniyet trafik');
        await page.fill('#kb-f-phone-number-0', '155');
        await page.click('.kb-form button[type="submit"]');
        const err = page.locator('#kb-f-valid_until-err');
        await err.waitFor();
        assert.match(await err.innerText(), /Geçerlilik bitişi, başlangıcından sonra olmalı/);
        await env.shot(page, 'b5-kb-editor-error-390');
        await axe(page, 'the article form with an error');
        await err.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(OUT, 'b5-kb-editor-error-390-view.png') }); /* the screen as seen */
        /* a malformed number: the server's error, in Turkish, beside the numbers */
        await page.fill('#kb-f-valid_until', '2030-05-20');
        await page.fill('#kb-f-phone-number-0', 'yüz elli beş');
        await page.click('.kb-form button[type="submit"]');
        const perr = page.locator('#kb-f-phones-err');
        await perr.waitFor();
        assert.match(await perr.innerText(), /kurum adı olmalı; numara yalnız rakam/);
        await page.fill('#kb-f-phone-number-0', '155');
        await page.click('.kb-form button[type="submit"]');
        await page.locator('.banner-ok').waitFor();
        const made = (await sup.get(`/api/v1/kb/articles?state=upcoming&q=${encodeURIComponent('erciyes bulvarı')}`)).body.items;
        assert.equal(made.length, 1, JSON.stringify(made));
        assert.deepEqual(made[0].districts, [talas]);
        assert.deepEqual(made[0].phones, [{ name: 'Emniyet trafik', number: '155' }]);
        assert.equal(made[0].valid_from, '2030-05-09T21:00:00Z', 'a date is an Istanbul day');
        assert.equal(made[0].valid_until, '2030-05-20T21:00:00Z', 'valid until the end of that day');
        /* not valid yet: the agents do not see it, the editor's "upcoming" filter does */
        assert.equal((await agentApi.get(`/api/v1/kb/articles?q=${encodeURIComponent('erciyes bulvarı')}`)).body.items.length, 0);
        await page.selectOption('#kb-state', 'upcoming');
        await page.locator(`tr[data-article="${made[0].id}"]`).waitFor();
        await env.shot(page, 'b5-kb-editor-390');
        await axe(page, 'the knowledge-base list');
        await page.setViewportSize({ width: 1280, height: 800 });
        await env.shot(page, 'b5-kb-editor-1280');
        await page.close();
    });
});
