// The citizen's Beyaz Masa form on a phone: without a way to answer (phone or e-mail) the form
// refuses, the message stands next to the field and nothing typed is lost; with one the tracking
// number and access code appear (no consent is asked for applying: KVKK art. 5/2). Also: the honeypot stays out of sight, and the page switches to English.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, apiClient } from './harness.mjs';

const TEXT = 'Parktaki çocuk oyun grubunun salıncak zinciri kopmuş, çocuklar için tehlikeli.';
const NAME = 'Ayşe Kılıç';
const PHONE = '0533 444 55 66';

describe('citizen portal form', { timeout: 90000 }, () => {
    let env;
    before(async () => { env = await setup(); });
    after(async () => { if (env) await env.teardown(); });

    it('4. refuses a submission without contact details with a message next to the field, keeping what was typed', async () => {
        const { page } = await env.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
        const sent = [];
        page.on('request', (r) => { if (r.url().includes('/api/v1/public/applications') && r.method() === 'POST') sent.push(r.postDataJSON()); });
        await page.goto(`${env.url}/basvuru`);
        await page.getByRole('heading', { name: 'Beyaz Masa talep formu' }).waitFor();

        // the honeypot is in the form but out of sight and out of the tab order
        const hp = page.locator('#pf-website');
        assert.equal(await hp.count(), 1);
        const hb = await hp.boundingBox();
        assert.ok(!hb || hb.x + hb.width <= 0 || hb.width <= 1, `honeypot is off-screen: ${JSON.stringify(hb)}`);
        assert.equal(await hp.getAttribute('tabindex'), '-1');

        await page.getByLabel('Başvuru türü').selectOption('complaint');
        await page.getByLabel('Başvuru metni').fill(TEXT);
        await page.getByLabel('İlçe').selectOption({ label: 'Kocasinan' });
        await page.locator('#pf-address').fill('Mimar Sinan Parkı');
        await page.getByLabel('Ad soyad').fill(NAME);
        await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();

        const msg = page.locator('#pf-phone-err');
        await msg.waitFor();
        assert.match(await msg.innerText(), /telefon numaranızı ya da e-posta/);
        assert.ok(await msg.isVisible());
        // next to the field: same field, just below it
        const sameField = await page.evaluate(() => {
            const f = document.getElementById('pf-phone').closest('.field');
            return !!f && f.contains(document.getElementById('pf-phone-err'));
        });
        assert.ok(sameField, 'the message sits in the phone field');
        const phone = page.locator('#pf-phone');
        const cb = await phone.boundingBox();
        const mb = await msg.boundingBox();
        assert.ok(mb.y >= cb.y && mb.y - (cb.y + cb.height) < 120, `message right under the field (${JSON.stringify({ cb, mb })})`);
        assert.equal(await phone.getAttribute('aria-invalid'), 'true');
        assert.match(await phone.getAttribute('aria-describedby'), /pf-phone-err/);
        // checked in the page, before the server; nothing typed is lost
        assert.equal(sent.length, 0);
        assert.equal(await page.getByLabel('Başvuru metni').inputValue(), TEXT);
        assert.equal(await page.getByLabel('Ad soyad').inputValue(), NAME);
        assert.equal(await page.locator('#pf-kind').inputValue(), 'complaint');
        assert.equal(await page.locator('#pf-address').inputValue(), 'Mimar Sinan Parkı');
        const kocasinan = (await apiClient(env.url).get('/api/v1/districts')).body.items.find((d) => d.name === 'Kocasinan');
        assert.equal(await page.locator('#pf-district_id').inputValue(), String(kocasinan.id), 'the district chosen is still chosen');
        assert.equal(await page.locator('#pf-tracking').count(), 0, 'no tracking number without contact details');
        await env.shot(page, 'b2-4-portal-no-contact');

        // with a phone number, sending again works, with what was typed
        await page.getByLabel('Telefon').fill(PHONE);
        await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();
        const tracking = (await page.locator('#pf-tracking').innerText()).trim();
        const code = (await page.locator('#pf-code').innerText()).trim();
        assert.match(tracking, /^\d{4}-\d{6}$/);
        const admin = await apiClient(env.url).login('admin');
        const a = await admin.get(`/api/v1/applications/by-tracking/${tracking}`);
        assert.equal(a.status, 200);
        assert.equal(a.body.text, TEXT);
        assert.equal(a.body.kind, 'complaint');
        assert.equal(a.body.channel, 'web');
        assert.equal(a.body.status, 'new');
        assert.equal(a.body.access_code, code);
        assert.equal(a.body.district, 'Kocasinan');
        assert.equal(a.body.address, 'Mimar Sinan Parkı');
        assert.equal(a.body.citizen.name, NAME);
        assert.equal(a.body.citizen.phone, '+905334445566');
        assert.equal(sent.length, 1, 'one request');
        assert.equal(sent[0].text, TEXT);
        assert.match(sent[0].idempotency_key, /^pf-[0-9a-f]{32}$/);
        await env.shot(page, 'b2-4-portal-sent');

        // "track my application" opens the tracking page already filled in; the code stays out of the URL
        await page.getByRole('button', { name: 'Başvurumu takip et' }).click();
        await page.locator('#tr-result').waitFor();
        assert.match(await page.locator('#tr-result').innerText(), /Yeni/);
        assert.equal(new URL(page.url()).pathname, `/takip/${tracking}`);
        assert.ok(!page.url().includes(code), 'the access code is not put in the address bar');
        await env.shot(page, 'b2-4-portal-track');
        env.assertClean(page);
    });

    it('switches to English and back, and remembers the choice', async () => {
        const { page } = await env.newPage({ viewport: { width: 360, height: 740 } });
        await page.goto(`${env.url}/takip`);
        await page.getByRole('heading', { name: 'Başvuru takibi' }).waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'tr');
        await page.getByRole('button', { name: 'EN', exact: true }).click();
        await page.getByRole('heading', { name: 'Track an application' }).waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
        await page.reload();
        await page.getByRole('heading', { name: 'Track an application' }).waitFor();
        // a wrong code, in English
        await page.getByLabel('Tracking number').fill('2026-000001');
        await page.getByLabel('Access code').fill('NOPE');
        await page.getByRole('button', { name: 'Look up' }).click();
        await page.getByText('No application matches').waitFor();
        await env.shot(page, 'b2-lang-en');
        await page.getByRole('button', { name: 'TR', exact: true }).click();
        await page.getByRole('heading', { name: 'Başvuru takibi' }).waitFor();
        env.assertClean(page);
    });
});
