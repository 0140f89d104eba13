// Rights in the console (issue 12): a staff member changes their own password from the header
// ("Parolamı değiştir": a wrong current password is refused with a clear Turkish message, then
// the change works and the new password logs in); the admin opens "Denetim kaydı", sees that
// change and filters the log by kind. No request to another host, no page error.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup } from './harness.mjs';

const NOW = '2027-03-02T08:00:00Z';

describe('b15 admin rights', { timeout: 90000 }, () => {
    let env;
    before(async () => { env = await setup({ demoSize: 0, env: { ALO153_NOW: NOW } }); });
    after(async () => { if (env) await env.teardown(); });

    it('changes one\'s own password from the header', async () => {
        const { page } = await env.newPage();
        await env.login(page, 'fen');
        await page.getByRole('button', { name: 'Parolamı değiştir' }).click();
        const dialog = page.getByRole('dialog', { name: 'Parolamı değiştir' });
        await dialog.waitFor();
        assert.match(await dialog.innerText(), /Şu anki parola[\s\S]*Yeni parola[\s\S]*Yeni parola \(tekrar\)/);
        await dialog.locator('#pw-current').fill('yanlis-parola');
        await dialog.locator('#pw-next').fill('fen-yeni-parola');
        await dialog.locator('#pw-again').fill('fen-yeni-parola');
        await dialog.getByRole('button', { name: 'Kaydet' }).click();
        await dialog.getByText('Şu anki parolanız hatalı.').waitFor();
        await dialog.locator('#pw-current').fill('alo153demo');
        await dialog.getByRole('button', { name: 'Kaydet' }).click();
        await dialog.getByText('Parolanız değişti.', { exact: false }).waitFor();
        await dialog.getByRole('button', { name: 'Kapat' }).click();
        await env.shot(page, 'b15-password');
        env.assertClean(page);
        const { page: again } = await env.newPage();
        await env.login(again, 'fen', 'fen-yeni-parola');
    });

    it('the admin reads the audit log and filters it', async () => {
        const { page } = await env.newPage();
        await env.login(page, 'admin');
        await page.goto(`${env.url}/yonetim/denetim`);
        await page.getByRole('heading', { name: 'Denetim kaydı' }).waitFor();
        const table = page.locator('table.audit');
        await table.waitFor();
        assert.ok((await table.innerText()).includes('Parola değişti'), 'the password change is listed');
        await page.locator('#au-kind').selectOption('password_change');
        await page.getByRole('button', { name: 'Filtrele' }).click();
        await page.waitForFunction(() => {
            const rows = [...document.querySelectorAll('table.audit tbody tr')];
            return rows.length > 0 && rows.every((r) => r.innerText.includes('Parola değişti'));
        });
        const rows = await page.locator('table.audit tbody tr').count();
        assert.equal(rows, 1, 'one password change, nothing else');
        await env.shot(page, 'b15-audit');
        env.assertClean(page);
    });
});
