// The web console end to end in Debian's Chromium: a call-taker registers and routes an
// application, the FEN clerk accepts and answers it, the citizen tracks it on a phone, and a
// ZABITA clerk cannot see it. The tests share one server and run in order; each one can still
// fail on its own, because a test whose predecessor failed sets up what it needs via the API.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, apiClient } from './harness.mjs';

const PHONE = '0532 555 12 34';
const CITIZEN = 'Fatma Yıldırım';
const TEXT = 'Talas yolu üzerinde büyük bir çukur var, araçların lastikleri patlıyor.';
const NOTE = 'Ekip keşfe gönderildi; asfalt yama programına alındı.';
const RESPONSE = 'Bildirdiğiniz çukur ekiplerimizce 24 saat içinde asfaltla kapatılmıştır. Duyarlılığınız için teşekkür ederiz.';

describe('web console', { timeout: 120000 }, () => {
    let env;
    let agentApi;
    const st = {}; // tracking, code, id of the application the call-taker registered

    before(async () => {
        env = await setup({ train: true });
        agentApi = await apiClient(env.url).login('agent');
    });
    after(async () => {
        if (env) await env.teardown();
    });

    /** The application of test 1, made through the API if that test did not get that far. */
    async function ensureApp() {
        if (st.id) return;
        const d = (await agentApi.get('/api/v1/districts')).body.items.find((x) => x.name === 'Melikgazi');
        const nb = (await agentApi.get(`/api/v1/districts/${d.id}/neighbourhoods`)).body.items[0];
        const r = await agentApi.post('/api/v1/applications', {
            channel: 'phone_153', text: TEXT, category: 'FEN_YOL_CUKUR', route: true, district_id: d.id, neighbourhood_id: nb.id,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        Object.assign(st, { id: r.body.id, tracking: r.body.tracking, code: r.body.access_code });
    }

    it('1. a call-taker looks up the caller, registers and routes an application, and reads the tracking number', async () => {
        // the caller is already known, with one earlier application
        const c = await agentApi.post('/api/v1/citizens', { name: CITIZEN, phone: PHONE });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        const prior = await agentApi.post('/api/v1/applications', { channel: 'phone_153', text: 'Sokak lambası yanmıyor.', citizen_id: c.body.id });
        assert.equal(prior.status, 201, JSON.stringify(prior.body));

        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        assert.equal(new URL(page.url()).pathname, '/cagri', 'an agent lands on the call-taker screen');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ct-phone');

        // keyboard only: type the number, Enter looks it up
        await page.keyboard.type(PHONE);
        await page.keyboard.press('Enter');
        const card = page.locator('.citizen-card.selected');
        await card.waitFor();
        assert.match(await card.innerText(), new RegExp(CITIZEN));
        assert.match(await card.innerText(), new RegExp(prior.body.tracking), 'the card lists the earlier application');
        // with one match the citizen is chosen and the cursor waits in the text field
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'app-text');
        await page.keyboard.type(TEXT);

        // type-ahead category search in Turkish
        await page.locator('#app-category').fill('çukur');
        const option = page.getByRole('option', { name: /Yol çukuru/ });
        await option.waitFor();
        await option.click();
        await page.locator('#app-category-chosen').waitFor();
        assert.match(await page.locator('#app-category-chosen').innerText(), /Fen İşleri/);

        // district → neighbourhood from the real geography
        await page.locator('#app-district_id').selectOption({ label: 'Melikgazi' });
        await page.waitForFunction(() => document.querySelectorAll('#app-neighbourhood_id option').length > 1);
        await page.locator('#app-neighbourhood_id').selectOption({ index: 1 });
        await page.locator('#app-address').fill('Talas Bulvarı, 12 numara önü');

        // the map works with no tile server configured, without any request to another host
        await page.getByRole('button', { name: 'Haritada işaretle' }).click();
        await page.locator('.map.leaflet-container').waitFor();
        const box = await page.locator('.map').boundingBox();
        await page.locator('.map').click({ position: { x: box.width / 2 + 20, y: box.height / 2 - 10 } });
        await page.waitForFunction(() => document.getElementById('app-lat') && document.getElementById('app-lat').value !== '');
        const picked = { lat: Number(await page.locator('#app-lat').inputValue()), lon: Number(await page.locator('#app-lon').inputValue()) };
        // the map opens on Kayseri: the point clicked beside its centre lies in the province
        assert.ok(picked.lat > 37.5 && picked.lat < 39.8 && picked.lon > 34.5 && picked.lon < 37, `picked ${JSON.stringify(picked)}`);

        await page.getByRole('button', { name: 'Kaydet ve birime yönlendir' }).click();
        const tracking = (await page.locator('#saved-tracking').innerText()).trim();
        const code = (await page.locator('#saved-code').innerText()).trim();
        assert.match(tracking, /^\d{4}-\d{6}$/);
        assert.match(code, /^[A-Z0-9]{6,12}$/);
        assert.match(await page.locator('.saved').innerText(), /Fen İşleri/);
        const size = await page.locator('#saved-tracking').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
        assert.ok(size >= 28, `the tracking number is large enough to read out (font-size ${size}px)`);
        await env.shot(page, 'calltaker-saved');

        // what the screen said is what the server stored
        const a = await agentApi.get(`/api/v1/applications/by-tracking/${tracking}`);
        assert.equal(a.status, 200, JSON.stringify(a.body));
        assert.equal(a.body.status, 'forwarded');
        assert.equal(a.body.department, 'FEN');
        assert.equal(a.body.category, 'FEN_YOL_CUKUR');
        assert.equal(a.body.citizen_id, c.body.id);
        assert.equal(a.body.access_code, code);
        assert.equal(a.body.text, TEXT);
        assert.equal(a.body.district, 'Melikgazi');
        assert.equal(a.body.address, 'Talas Bulvarı, 12 numara önü');
        // the point picked on the map is the point stored
        assert.ok(Math.abs(a.body.lat - picked.lat) < 1e-6 && Math.abs(a.body.lon - picked.lon) < 1e-6,
            `stored ${a.body.lat},${a.body.lon}; picked ${picked.lat},${picked.lon}`);
        Object.assign(st, { id: a.body.id, tracking, code });

        // Alt+N starts the next call: empty form, cursor in the phone field
        await page.keyboard.press('Alt+n');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ct-phone');
        assert.equal(await page.locator('#app-text').inputValue(), '');
        assert.equal(await page.locator('.citizen-card').count(), 0);
        await env.shot(page, 'b1-1-calltaker-next');
        env.assertClean(page);
    });

    it('the routing suggestion pre-selects the category and similar open applications show before saving', async () => {
        await ensureApp();
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await page.locator('#app-text').fill('Melikgazide yolda derin bir çukur oluşmuş, asfalt bozuk.');
        const panel = page.locator('.panel-suggest');
        await panel.waitFor();
        assert.match(await panel.innerText(), /Yol çukuru/);
        assert.match(await panel.innerText(), /Güven: %\d+/);
        // a confident suggestion pre-selects the category
        await page.locator('#app-category-chosen').waitFor();
        assert.match(await page.locator('#app-category-chosen').innerText(), /Yol çukuru/);
        assert.match(await page.locator('#app-category').inputValue(), /Yol çukuru/);

        await page.locator('#app-district_id').selectOption({ label: 'Melikgazi' });
        await page.waitForFunction(() => document.querySelectorAll('#app-neighbourhood_id option').length > 1);
        await page.locator('#app-neighbourhood_id').selectOption({ index: 1 });
        const sim = page.locator('.panel-similar');
        await sim.getByText(st.tracking).waitFor();
        await env.shot(page, 'b1-suggestion-similar');
        env.assertClean(page);
    });

    it('2. the FEN clerk sees it in the inbox, accepts it and answers the citizen', async () => {
        await ensureApp();
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'fen');
        assert.equal(new URL(page.url()).pathname, '/birim', 'department staff land on their inbox');
        const row = page.locator(`tr[data-tracking="${st.tracking}"]`);
        await row.waitFor();
        // oldest deadline first
        const dues = await page.locator('tr[data-tracking]').evaluateAll((rows) => rows.map((r) => r.dataset.due).filter(Boolean).map(Date.parse));
        assert.deepEqual(dues, [...dues].sort((x, y) => x - y), 'the inbox is sorted by deadline');

        await row.getByRole('link', { name: st.tracking }).click();
        await page.waitForURL(`**/basvurular/${st.id}`);
        await page.locator('#detail-status').getByText('Birime iletildi').waitFor();
        assert.match(await page.locator('.app-text').innerText(), /çukur/);

        await page.getByRole('button', { name: 'Kabul et (üstlen)' }).click();
        await page.locator('#detail-status').getByText('İşlemde').waitFor();

        // an internal note, clearly marked as not for the citizen
        await page.getByRole('button', { name: 'İç not ekle' }).click();
        await page.locator('#act-note').fill(NOTE);
        await page.locator('.action-form').getByRole('button', { name: 'İç not ekle' }).click();
        const noteItem = page.locator('.tl-internal', { hasText: NOTE });
        await noteItem.waitFor();
        assert.match(await noteItem.innerText(), /vatandaş görmez/);

        // the public answer
        await page.getByRole('button', { name: 'Vatandaşa cevap ver' }).click();
        await page.getByLabel('Vatandaşa gidecek cevap').fill(RESPONSE);
        await page.locator('.action-form').getByRole('button', { name: 'Vatandaşa cevap ver' }).click();
        await page.locator('#detail-status').getByText('Cevaplandı').waitFor();
        assert.equal((await page.locator('#detail-response').innerText()).trim(), RESPONSE);
        await page.locator('.tl-public', { hasText: RESPONSE }).waitFor();
        await env.shot(page, 'b1-2-fen-responded');

        const a = await agentApi.get(`/api/v1/applications/${st.id}`);
        assert.equal(a.body.status, 'resolved');
        assert.equal(a.body.public_response, RESPONSE);
        env.assertClean(page);
    });

    it('3. the citizen tracks it on a phone with number + code; a wrong code shows nothing', async () => {
        await ensureApp();
        const cur = await agentApi.get(`/api/v1/applications/${st.id}`);
        if (cur.body.status !== 'resolved') {
            // test 2 did not get there: answer through the API so this test checks the portal only
            const fen = await apiClient(env.url).login('fen');
            if (cur.body.status === 'forwarded') await fen.post(`/api/v1/applications/${st.id}/accept`);
            const r = await fen.post(`/api/v1/applications/${st.id}/respond`, { response: RESPONSE });
            assert.equal(r.status, 200, JSON.stringify(r.body));
        }
        const { page } = await env.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
        await page.goto(`${env.url}/takip`);
        await page.getByLabel('Takip numarası').fill(st.tracking);
        await page.getByLabel('Erişim kodu').fill('WRONG123');
        await page.getByRole('button', { name: 'Sorgula' }).click();
        await page.locator('#tr-notfound').waitFor();
        assert.match(await page.locator('#tr-notfound').innerText(), /bulunamadı/);
        assert.equal(await page.locator('#tr-result').count(), 0);
        const body1 = await page.locator('body').innerText();
        for (const secret of [RESPONSE, 'Yol çukuru', 'Cevaplandı', NOTE]) assert.ok(!body1.includes(secret), `a wrong code revealed "${secret}"`);

        await page.getByLabel('Erişim kodu').fill(st.code);
        await page.getByRole('button', { name: 'Sorgula' }).click();
        await page.locator('#tr-result').waitFor();
        assert.equal(await page.locator('#tr-notfound').count(), 0);
        assert.match(await page.locator('#tr-result').innerText(), /Cevaplandı/);
        assert.equal((await page.locator('#tr-answer').innerText()).trim(), RESPONSE);
        // the status timeline: one line per public step (create, route, accept, respond), as the public API gives
        const pubTl = (await apiClient(env.url).get(`/api/v1/public/applications/${st.tracking}?code=${st.code}`)).body.timeline;
        assert.deepEqual(pubTl.map((e) => e.action), ['create', 'route', 'accept', 'respond']);
        assert.equal(await page.locator('.timeline li').count(), pubTl.length, 'the status timeline is shown');
        const body2 = await page.locator('body').innerText();
        assert.ok(!body2.includes(NOTE), 'the internal note is not shown to the citizen');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the page fits a 360 px screen (overflows by ${overflow}px)`);
        await env.shot(page, 'portal-phone');
        env.assertClean(page);
    });

    it('5. a ZABITA clerk cannot see the FEN application', async () => {
        await ensureApp();
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'zabita');
        assert.equal(new URL(page.url()).pathname, '/birim');
        await page.locator('.results-head').waitFor();
        await page.locator('#f-status').selectOption(''); // every status, not only the open ones
        await page.waitForFunction(() => document.querySelector('section[aria-busy="false"]'));
        assert.equal(await page.locator(`tr[data-tracking="${st.tracking}"]`).count(), 0, 'not in the ZABITA inbox');

        await page.goto(`${env.url}/basvurular/${st.id}`);
        await page.locator('#detail-notfound').waitFor();
        assert.match(await page.locator('#detail-notfound').innerText(), /bulunamadı/);
        const body = await page.locator('main').innerText();
        assert.ok(!body.includes(st.tracking) && !body.includes('çukur'), 'nothing of the application is shown');
        await env.shot(page, 'b1-5-zabita-notfound');
        env.assertClean(page);
    });
});
