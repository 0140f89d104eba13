// The field team's phone at 390×844 (issue 16): a Fen İşleri worker opens /saha, sees the
// crew's jobs nearest first (the phone's position is emulated), takes the after photo in the
// page and answers a pothole whose category requires proof: the photo, the accept and the
// answer reach the server. Then a weak signal: a note whose answer is lost on the way, and one
// written offline, are each stored exactly once when the phone is back online (Idempotency-Key).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, apiClient, REPO } from './harness.mjs';

const HERE = { latitude: 38.7205, longitude: 35.4826 };

describe('b13 the field team\'s phone', { timeout: 120000 }, () => {
    let env, agent, admin, near, far;
    const mk = async (lat, lon, text) => {
        const r = await agent.post('/api/v1/applications', { channel: 'desk', text, category: 'FEN_YOL_CUKUR', route: true, lat, lon });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
    };
    const notes = async (id) => (await admin.get(`/api/v1/applications/${id}`)).body.history.filter((e) => e.action === 'note').map((e) => e.note);
    async function until(fn, what) {
        for (let i = 0; i < 200; i++) {
            if (await fn()) return;
            await new Promise((r) => setTimeout(r, 50));
        }
        assert.fail(`never: ${what}`);
    }

    before(async () => {
        env = await setup({ demoSize: 0 });
        agent = await apiClient(env.url).login('agent');
        admin = await apiClient(env.url).login('admin');
        far = await mk(38.80, 35.60, 'Uzak sokakta çukur');
        near = await mk(38.7207, 35.4829, 'Meydanın yanında derin çukur');
    });
    after(async () => { if (env) await env.teardown(); });

    it('a field worker answers a pothole with an after photo taken in the page', async () => {
        // the category needs proof (admin API, PATCH through fetch)
        const patch = await fetch(`${env.url}/api/v1/categories/FEN_YOL_CUKUR`, {
            method: 'PATCH', headers: { 'content-type': 'application/json', cookie: await cookieOf('admin') }, body: JSON.stringify({ proof_required: true }),
        });
        assert.equal(patch.status, 200);
        const { page } = await env.newPage({ viewport: { width: 390, height: 844 }, geolocation: HERE, permissions: ['geolocation'] });
        await env.login(page, 'fen');
        await page.goto(`${env.url}/saha`);
        const items = page.locator('.field-item');
        await items.first().waitFor();
        assert.equal(await items.first().getAttribute('data-id'), String(near.id), 'nearest first');
        assert.match(await items.first().innerText(), /\d+ m/);
        await items.first().click();
        await page.locator('#job-title').waitFor();
        await page.setInputFiles('#field-photo', path.join(REPO, 'tests/unit/fixtures/photo/gps.jpg'));
        await page.locator('.field-preview').waitFor();
        await page.fill('#field-response', 'Çukur asfaltla kapatıldı.');
        await page.click('button[data-act="respond"]');
        await until(async () => (await admin.get(`/api/v1/applications/${near.id}`)).body.status === 'resolved', 'the answer arrives');
        const a = (await admin.get(`/api/v1/applications/${near.id}`)).body;
        assert.equal(a.public_response, 'Çukur asfaltla kapatıldı.');
        const photos = a.attachments.filter((f) => f.stage === 'after');
        assert.equal(photos.length, 1);
        assert.equal(photos[0].mime, 'image/jpeg');
        assert.deepEqual([photos[0].lat, photos[0].lon, photos[0].geo_source], [HERE.latitude, HERE.longitude, 'device'], 'the canvas drops EXIF: the phone position goes along');
        assert.ok(photos[0].width > 0 && photos[0].width <= 1600);
        assert.deepEqual(a.history.filter((e) => ['accept', 'respond'].includes(e.action)).map((e) => e.action), ['accept', 'respond']);
        await page.locator('.field-status[data-pending="0"]').waitFor();
        env.assertClean(page);
    });

    it('a note whose answer was lost, and one written offline, are each stored once', async () => {
        const { context, page } = await env.newPage({ viewport: { width: 390, height: 844 }, geolocation: HERE, permissions: ['geolocation'] });
        await env.login(page, 'fen');
        await page.goto(`${env.url}/saha`);
        await page.locator(`.field-item[data-id="${far.id}"]`).click();
        await page.locator('#job-title').waitFor();
        // 1. the server does the note, but its answer never reaches the phone
        let cut = 0;
        await page.route(`**/api/v1/applications/${far.id}/note`, async (route) => {
            if (cut++ === 0) {
                await route.fetch();
                return route.abort('failed');
            }
            return route.continue();
        });
        await page.fill('#field-note', 'Ekip yolda, 20 dakikada oradayız.');
        await page.click('button[data-act="note"]');
        await until(async () => (await notes(far.id)).length === 1, 'the first note is stored');
        await page.locator('.field-status[data-pending="1"]').waitFor();
        // 2. offline: the second note waits on the phone
        await context.setOffline(true);
        await page.locator('.field-status[data-online="0"]').waitFor();
        await page.fill('#field-note', 'Malzeme bekleniyor.');
        await page.click('button[data-act="note"]');
        await page.locator('.field-status[data-pending="2"]').waitFor();
        assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('alo153.field.queue'))).length, 2);
        assert.deepEqual(await notes(far.id), ['Ekip yolda, 20 dakikada oradayız.']);
        // 3. back online: the queue goes, the lost one is answered from the server's memory
        await context.setOffline(false);
        await page.locator('.field-status[data-pending="0"]').waitFor();
        assert.deepEqual(await notes(far.id), ['Ekip yolda, 20 dakikada oradayız.', 'Malzeme bekleniyor.']);
        assert.equal(cut, 3, 'three requests for two notes: the lost one was sent again and answered from memory');
        // a reload sends nothing again
        await page.reload();
        await page.locator('.field-status[data-pending="0"]').waitFor();
        assert.equal((await notes(far.id)).length, 2);
        env.assertClean(page);
    });

    async function cookieOf(user) {
        const r = await fetch(`${env.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: 'alo153demo' }) });
        return (r.headers.get('set-cookie') || '').split(';')[0];
    }
});
