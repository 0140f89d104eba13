// Issue 14 item 4 in Debian's Chromium: no lost work. The call-taker's half-typed application
// is a draft in the browser (per user), back after a reload and after logging in again, with a
// notice and a discard button; Alt+N and "Yeni başvuru" ask before throwing it away; when the
// session ends mid-call a login dialog opens over the page and the typed form stays.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup } from './harness.mjs';

const TEXT = 'Gevher Nesibe Mahallesi çeşmesi üç gündür akıyor, su boşa gidiyor.';

describe('no lost work (issue 14 item 4)', { timeout: 180000 }, () => {
    let env;
    before(async () => { env = await setup({ env: { ALO153_NOW: '2027-01-05T07:00:00Z' } }); });
    after(async () => { if (env) await env.teardown(); });

    async function typeApplication(page) {
        await page.locator('#ct-phone').fill('0532 111 22 33');
        await page.locator('#app-text').fill(TEXT);
        await page.locator('#app-address').fill('Çeşme sokağı no 4').catch(() => {}); // the address field, when shown
    }

    it('a reload and a new login bring the draft back, with a notice; "Taslağı sil" empties it', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await typeApplication(page);
        await page.reload();
        const notice = page.locator('#draft-restored');
        await notice.waitFor();
        assert.match(await notice.innerText(), /Taslak geri yüklendi/);
        assert.equal(await page.locator('#app-text').inputValue(), TEXT);
        assert.equal(await page.locator('#ct-phone').inputValue(), '0532 111 22 33');

        // log out and in again: still there
        await page.getByRole('button', { name: 'Çıkış' }).click();
        await page.waitForURL((u) => u.pathname === '/personel');
        await env.login(page, 'agent');
        await page.locator('#draft-restored').waitFor();
        assert.equal(await page.locator('#app-text').inputValue(), TEXT);

        // another user on the same browser does not get it
        await page.getByRole('button', { name: 'Çıkış' }).click();
        await page.waitForURL((u) => u.pathname === '/personel');
        await env.login(page, 'desk');
        await page.locator('#app-text').waitFor();
        assert.equal(await page.locator('#draft-restored').count(), 0);
        assert.equal(await page.locator('#app-text').inputValue(), '');
        await page.getByRole('button', { name: 'Çıkış' }).click();
        await page.waitForURL((u) => u.pathname === '/personel');

        await env.login(page, 'agent');
        await page.locator('#draft-restored').waitFor();
        await page.getByRole('button', { name: 'Taslağı sil' }).click();
        assert.equal(await page.locator('#app-text').inputValue(), '');
        await page.reload();
        await page.locator('#app-text').waitFor();
        assert.equal(await page.locator('#draft-restored').count(), 0, 'a discarded draft stays gone');
        assert.equal(await page.locator('#app-text').inputValue(), '');
        env.assertClean(page);
    });

    it('Alt+N and "Yeni başvuru" ask before discarding a half-typed application', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await typeApplication(page);
        const asked = [];
        page.on('dialog', (d) => { asked.push(d.message()); (asked.length === 1 ? d.dismiss() : d.accept()); });
        await page.keyboard.press('Alt+n');
        await page.waitForFunction(() => true);
        assert.equal(asked.length, 1, 'Alt+N asked');
        assert.match(asked[0], /Yazılmakta olan başvuru silinecek/);
        assert.equal(await page.locator('#app-text').inputValue(), TEXT, 'dismissed: the text stays');
        await page.getByRole('button', { name: 'Yeni başvuru' }).click();
        await page.waitForFunction(() => document.querySelector('#app-text') && document.querySelector('#app-text').value === '');
        assert.equal(asked.length, 2);
        // nothing typed: no question
        await page.keyboard.press('Alt+n');
        assert.equal(asked.length, 2, 'an empty form is not asked about');
        env.assertClean(page);
    });

    it('a session that ends mid-call: a login dialog over the page, and the typed form stays', async () => {
        const { page, context } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await typeApplication(page);
        await context.clearCookies(); // the session is gone (expired, or the server restarted without it)
        await page.getByRole('button', { name: 'Yalnızca kaydet' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        assert.match(await dialog.innerText(), /Oturumunuzun süresi doldu/);
        assert.equal(new URL(page.url()).pathname, '/cagri', 'still on the call-taker screen');
        assert.equal(await page.locator('#login-username').inputValue(), 'agent', 'the username is filled in');
        await page.locator('#login-password').fill('alo153demo');
        await page.locator('#relogin').getByRole('button', { name: 'Giriş yap' }).click();
        await dialog.waitFor({ state: 'detached' });
        assert.equal(await page.locator('#app-text').inputValue(), TEXT, 'the typed text survived');
        assert.equal(await page.locator('#ct-phone').inputValue(), '0532 111 22 33');
        env.assertClean(page);
    });
});
