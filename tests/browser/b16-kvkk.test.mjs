// The KVKK page in Chromium (issue 12): the data-protection officer (demo user kvkk) lands on
// /kvkk, finds a citizen by phone (and by T.C. number), opens the printable export page, asks to
// anonymise: an open application is refused in Turkish, then with "erase even with an open
// application" and the confirmation the record is anonymised and the view log shows the export.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, apiClient } from './harness.mjs';

const NOW = '2026-06-01T06:00:00Z';
const TC = '10000000146';

describe('KVKK page', { timeout: 90000 }, () => {
    let env, agent, citizen;
    before(async () => {
        env = await setup({ demoSize: 0, env: { ALO153_NOW: NOW } });
        agent = await apiClient(env.url).login('agent');
        let r = await agent.post('/api/v1/citizens', { name: 'Nazlı Güneş', phone: '0532 444 55 66', tc: TC });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        citizen = r.body;
        r = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Nazlı Güneş: sokak lambası yanmıyor', citizen_id: citizen.id });
        assert.equal(r.status, 201, JSON.stringify(r.body));
    });
    after(async () => { if (env) await env.teardown(); });

    it('finds a citizen, exports the printable page, anonymises after the confirmation', async () => {
        const { context, page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'kvkk');
        await page.waitForURL((u) => u.pathname === '/kvkk');
        await page.getByRole('heading', { name: 'KVKK: kişisel veriler' }).waitFor();
        // the dpo's menu has the KVKK page only: no application lists
        assert.equal(await page.locator('nav.mainnav a[href="/basvurular"]').count(), 0);

        await page.getByLabel('Telefon ya da T.C. kimlik no').fill(TC);
        await page.getByRole('button', { name: 'Ara' }).click();
        const row = page.locator(`.kvkk-citizen[data-id="${citizen.id}"]`);
        await row.waitFor();
        assert.match(await row.textContent(), /Nazlı Güneş/);
        assert.ok(!(await row.textContent()).includes(TC), 'the number is masked in the list');

        const [popup] = await Promise.all([context.waitForEvent('page'), row.locator('.kvkk-export-html').click()]);
        await popup.waitForLoadState();
        assert.match(await popup.textContent('h1'), /Kişisel verileriniz/);
        assert.ok((await popup.content()).includes(TC), 'the export shows the whole number');
        await popup.close();

        await row.getByRole('button', { name: 'Anonimleştir' }).click();
        await row.getByLabel('Gerekçe').fill('KVKK başvurusu 2026/3');
        await row.getByRole('button', { name: 'Evet, kalıcı olarak sil' }).click();
        const refused = row.locator('.banner-error');
        await refused.waitFor();
        assert.match(await refused.textContent(), /açık başvurusu var/);
        await row.getByLabel('Açık başvurusu olsa da sil').check();
        await row.getByRole('button', { name: 'Evet, kalıcı olarak sil' }).click();
        await page.locator('.banner-info').waitFor();
        assert.match(await page.textContent('.banner-info'), /anonimleştirildi: 1 başvuru/);
        await page.locator(`.kvkk-citizen[data-id="${citizen.id}"] >> text=Anonimleştirildi`).waitFor();
        // the view log of the citizen lists the export by kvkk
        await page.locator('.kvkk-log tbody tr >> text=KVKK dışa aktarma').first().waitFor();
        const after = await agent.get(`/api/v1/citizens/${citizen.id}`);
        assert.equal(after.body.name, 'Anonim');
        assert.equal(after.body.phone, null);
        env.assertClean(page);
    });
});
