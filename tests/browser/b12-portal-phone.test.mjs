// b12: the citizen's phone at 390×844 (issue 16, issue 14 items 5, 8, 13; docs/PORTAL.md).
// A citizen reports with a photo (resized in the page: the stored JPEG is at most 1600 px) and
// the device's location, then tracks it and finds it under "Başvurularım"; an empty submit shows
// every error at once by its field; a draft survives a reload, a submit made offline survives
// another reload and is sent once when the network returns; the manifest and the service worker
// are there. axe (WCAG 2.1 A/AA) on each new state.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, apiClient, REPO } from './harness.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const HERE = { latitude: 38.7225, longitude: 35.4875 }; // Kayseri, Cumhuriyet Meydanı
const AXE = path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js');

async function audit(page, name) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
    const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${name}`);
}

/** Width and height of a baseline or progressive JPEG (its SOF marker). */
function jpegSize(buf) {
    for (let i = 2; i < buf.length - 9;) {
        if (buf[i] !== 0xff) { i++; continue; }
        const m = buf[i + 1];
        if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
        i += 2 + buf.readUInt16BE(i + 2);
    }
    return null;
}

describe('b12 the citizen portal on a phone', { timeout: 150000 }, () => {
    let env, admin;
    before(async () => {
        env = await setup();
        admin = await apiClient(env.url).login('admin');
    });
    after(async () => { if (env) await env.teardown(); });

    const appsWith = async (word) => (await admin.get(`/api/v1/applications?q=${encodeURIComponent(word)}&limit=50`)).body.items.length;

    it('reports with a photo and the device location, then tracks it and finds it under Başvurularım', async () => {
        const { page } = await env.newPage({ ...PHONE, permissions: ['geolocation'], geolocation: HERE });
        await page.goto(`${env.url}/basvuru`);
        await page.getByRole('heading', { name: 'Beyaz Masa talep formu' }).waitFor();
        await page.getByLabel('Başvuru metni').fill('Tramvay durağının önündeki kaldırımda büyük bir çukur var, yayalar düşüyor.');
        await page.getByLabel('Telefon').fill('0532 412 77 90');
        // a 2400×1800 phone photo, made in the page (no files in the repository)
        const big = await page.evaluate(() => {
            const c = document.createElement('canvas');
            c.width = 2400; c.height = 1800;
            const g = c.getContext('2d');
            g.fillStyle = '#777'; g.fillRect(0, 0, 2400, 1800);
            g.fillStyle = '#222'; g.beginPath(); g.ellipse(1200, 900, 600, 300, 0, 0, 7); g.fill();
            return c.toDataURL('image/jpeg', 0.95).split(',')[1];
        });
        await page.locator('#pf-photos').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(big, 'base64') });
        await page.locator('#pf-photo-list img').waitFor();
        await page.getByRole('button', { name: 'Konumumu kullan' }).click();
        await page.getByText('Konumunuz eklendi').waitFor();
        // no jargon about map tiles for the citizen
        assert.ok(!(await page.content()).includes('altlığı'), 'no "harita altlığı" shown');
        await audit(page, 'form with a photo and a location');
        await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();
        const tracking = (await page.locator('#pf-tracking').innerText()).trim();
        const code = (await page.locator('#pf-code').innerText()).trim();
        assert.match(tracking, /^\d{4}-\d{6}$/);
        await page.locator('#pf-photos-sent').waitFor();
        await audit(page, 'sent');
        await env.shot(page, 'b12-sent');

        const a = (await admin.get(`/api/v1/applications/by-tracking/${tracking}`)).body;
        assert.ok(Math.abs(a.lat - HERE.latitude) < 1e-5 && Math.abs(a.lon - HERE.longitude) < 1e-5, `pin ${a.lat},${a.lon}`);
        assert.equal(a.channel, 'web');
        assert.equal(a.attachments.length, 1, JSON.stringify(a.attachments));
        assert.equal(a.attachments[0].mime, 'image/jpeg');
        const anon = await fetch(`${env.url}/api/v1/applications/${a.id}/attachments/${a.attachments[0].id}`);
        assert.equal(anon.status, 401, 'a photo is not public');
        const adminPhoto = await (async () => {
            const r = await fetch(`${env.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'alo153demo' }) });
            const cookie = r.headers.get('set-cookie').split(';')[0];
            return Buffer.from(await (await fetch(`${env.url}/api/v1/applications/${a.id}/attachments/${a.attachments[0].id}`, { headers: { cookie } })).arrayBuffer());
        })();
        const size = jpegSize(adminPhoto);
        assert.deepEqual(size, { width: 1600, height: 1200 }, 'resized in the browser to 1600 px on the longest side');
        assert.ok(adminPhoto.length < Buffer.from(big, 'base64').length, 'and smaller than what the camera gave');

        await page.getByRole('button', { name: 'Başvurumu takip et' }).click();
        await page.locator('#tr-result').waitFor();
        assert.match(await page.locator('#tr-result').innerText(), /Yeni/);
        // Başvurularım: kept on this device, opens the tracking view without typing the code
        await page.getByRole('link', { name: 'Başvurularım' }).click();
        await page.locator('#pm-list').waitFor();
        assert.match(await page.locator('#pm-list').innerText(), new RegExp(tracking));
        assert.match(await page.locator('#pm-list').innerText(), new RegExp(code));
        await audit(page, 'my applications');
        await page.locator('#pm-list a.mine-open').first().click();
        await page.locator('#tr-result').waitFor();
        assert.equal(new URL(page.url()).pathname, `/takip/${tracking}`);
        env.assertClean(page);
    });

    it('an empty submit shows every error at once, each by its field, and sends nothing', async () => {
        const { page } = await env.newPage(PHONE);
        const posts = [];
        page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/public/applications')) posts.push(r.url()); });
        await page.goto(`${env.url}/basvuru`);
        await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();
        await page.locator('#pf-errors').waitFor();
        assert.equal(await page.locator('#pf-errors li').count(), 3);
        for (const f of ['text', 'phone', 'email']) {
            const err = page.locator(`#pf-${f}-err`);
            assert.ok(await err.isVisible(), `${f} error shown`);
            assert.equal(await page.locator(`#pf-${f}`).getAttribute('aria-invalid'), 'true');
            assert.match(await page.locator(`#pf-${f}`).getAttribute('aria-describedby'), new RegExp(`pf-${f}-err`));
        }
        assert.match(await page.locator('#pf-text-err').innerText(), /birkaç cümleyle/);
        assert.match(await page.locator('#pf-phone-err').innerText(), /telefon numaranızı ya da e-posta/);
        assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'pf-errors', 'focus on the list of errors');
        assert.equal(posts.length, 0, 'nothing sent');
        // a bad phone is named, the contact error on e-mail goes away
        await page.getByLabel('Telefon').fill('123');
        await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();
        await page.locator('#pf-phone-err').getByText('0532 123 45 67').waitFor();
        assert.equal(await page.locator('#pf-email-err').count(), 0);
        await audit(page, 'all errors');
        await env.shot(page, 'b12-errors');
        // no consent is asked for applying; the information notice is linked in full
        assert.equal(await page.locator('#pf-consent').count(), 0);
        assert.equal(await page.locator('#pf-consent_marketing').isChecked(), false);
        await page.getByRole('link', { name: 'Aydınlatma metninin tamamı' }).click();
        await page.getByRole('heading', { name: /aydınlatma metni/ }).waitFor();
        await page.locator('#pn-text p').first().waitFor();
        assert.match(await page.locator('#pn-text').innerText(), /6698/);
        env.assertClean(page);
    });

    it('a draft survives a reload; offline, the submit waits on the device and is sent once when back online', async () => {
        const { context, page } = await env.newPage(PHONE);
        const TEXT = 'Fevzi Çakmak parkındaki çeşme iki gündür akıyor, su israf oluyor.';
        await page.goto(`${env.url}/basvuru`);
        await page.evaluate(() => navigator.serviceWorker.ready);
        await page.getByLabel('Başvuru metni').fill(TEXT);
        await page.locator('#pf-email').fill('cesme@example.com');
        await page.reload();
        await page.locator('#pf-restored').waitFor();
        assert.equal(await page.getByLabel('Başvuru metni').inputValue(), TEXT);
        assert.equal(await page.locator('#pf-email').inputValue(), 'cesme@example.com');
        assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker controls the page');
        await audit(page, 'draft restored');

        await context.setOffline(true);
        await page.getByRole('button', { name: 'Başvuruyu gönder' }).click();
        await page.locator('#pf-queued').waitFor();
        await audit(page, 'queued');
        // the page itself comes from the service worker while offline; the submit still waits
        await page.reload();
        await page.locator('#pf-queued').waitFor();
        assert.equal(await appsWith('çeşme'), 0, 'not sent while offline');
        await env.shot(page, 'b12-queued');

        await context.setOffline(false); // the browser fires "online": the outbox goes
        await page.locator('#pf-tracking').waitFor();
        const tracking = (await page.locator('#pf-tracking').innerText()).trim();
        assert.equal(await page.evaluate(() => localStorage.getItem('alo153.portal.outbox')), '[]', 'nothing left to send');
        // another "online" changes nothing: sent once
        await page.evaluate(() => window.dispatchEvent(new Event('online')));
        await page.goto(`${env.url}/basvurularim`);
        await page.locator('#pm-list').waitFor();
        assert.equal(await page.locator('#pm-list li').count(), 1);
        assert.equal(await appsWith('çeşme'), 1, 'stored once');
        const a = (await admin.get(`/api/v1/applications/by-tracking/${tracking}`)).body;
        assert.equal(a.text, TEXT);
        assert.equal(await page.evaluate(() => localStorage.getItem('alo153.portal.draft')), null, 'the draft is gone once sent');
        env.assertClean(page);
    });

    it('is an installable web app: manifest, icons, service worker with the whole site as scope', async () => {
        const { page } = await env.newPage(PHONE);
        await page.goto(`${env.url}/takip`);
        const href = await page.locator('link[rel="manifest"]').getAttribute('href');
        assert.equal(href, '/manifest.webmanifest');
        const m = await fetch(`${env.url}${href}`);
        assert.equal(m.headers.get('content-type'), 'application/manifest+json');
        const man = await m.json();
        assert.equal(man.name, 'ALO 153 Başvuru');
        assert.equal(man.lang, 'tr');
        assert.equal(man.display, 'standalone');
        for (const icon of man.icons.filter((i) => i.type === 'image/png')) {
            const r = await fetch(`${env.url}${icon.src}`);
            assert.equal(r.status, 200, icon.src);
            assert.equal(r.headers.get('content-type'), 'image/png');
            const b = Buffer.from(await r.arrayBuffer());
            assert.equal(`${b.readUInt32BE(16)}x${b.readUInt32BE(20)}`, icon.sizes, `${icon.src} is ${icon.sizes}`);
        }
        const sw = await fetch(`${env.url}/sw.js`);
        assert.equal(sw.headers.get('service-worker-allowed'), '/');
        assert.match(sw.headers.get('content-type'), /^text\/javascript/);
        const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
        assert.equal(scope, `${env.url}/`);
        // the service worker never answers the API from its cache
        assert.ok(!(await (await fetch(`${env.url}/sw.js`)).text()).match(/SHELL = \[[^\]]*\/api\//), 'no API path in the shell');
        env.assertClean(page);
    });
});
