// The satisfaction survey on a 360×740 phone (issue 15): the link from the closure message
// opens without a login, the citizen picks a rating and writes a comment, and the thanks
// appear; the same link again says it was already answered — also on a second phone that had
// the form open before the first one sent it; an altered link says it is not valid. No
// horizontal scrolling at 360 px, no request to another host, in Turkish and in English.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, PASSWORD } from './harness.mjs';

const NOW = '2026-05-06T09:00:00Z';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** a JSON client with a session cookie and every method (the harness's has GET and POST only) */
function client(base) {
    let cookie = null;
    return async (method, p, body) => {
        const headers = { accept: 'application/json' };
        if (cookie) headers.cookie = cookie;
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const sc = res.headers.get('set-cookie');
        const m = sc && sc.match(/alo153_session=([^;]+)/);
        if (m) cookie = `alo153_session=${m[1]}`;
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null };
    };
}

describe('b14 survey page', { timeout: 90000 }, () => {
    let env, token, tracking;
    before(async () => {
        env = await setup({ demoSize: 0, env: { ALO153_NOW: NOW } });
        const api = client(env.url);
        assert.equal((await api('POST', '/api/v1/session', { username: 'admin', password: PASSWORD })).status, 200);
        const c = await api('POST', '/api/v1/citizens', { name: 'Elif Kaya', phone: '05351112233' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        assert.equal((await api('PUT', `/api/v1/citizens/${c.body.id}/consent`, { marketing: true })).status, 200);
        const a = await api('POST', '/api/v1/applications', { channel: 'web', text: 'Parktaki salıncak zinciri kopmuş', category: 'FEN_YOL_CUKUR', citizen_id: c.body.id });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        tracking = a.body.tracking;
        for (const [action, body] of [['route', {}], ['accept', {}], ['respond', { response: 'Zincir değiştirildi.' }], ['close', {}]]) {
            const r = await api('POST', `/api/v1/applications/${a.body.id}/${action}`, body);
            assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
        }
        const sms = (await api('GET', `/api/v1/outbox?application=${a.body.id}&limit=10`)).body.items.find((m) => m.purpose === 'survey');
        token = sms.body.match(/\/anket\/([A-Za-z0-9._-]+)/)[1];
    });
    after(async () => { if (env) await env.teardown(); });

    it('rates with the link on a phone; the link used again, or altered, is refused with a clear message', async () => {
        const { page } = await env.newPage(PHONE);
        const { page: second } = await env.newPage(PHONE);
        await page.goto(`${env.url}/anket/${token}`);
        await page.getByRole('heading', { name: 'Memnuniyet anketi' }).waitFor();
        await second.goto(`${env.url}/anket/${token}`);
        await second.getByRole('heading', { name: 'Memnuniyet anketi' }).waitFor();
        assert.ok((await page.locator('form').innerText()).includes(tracking));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `no horizontal scrolling at 360 px (${width})`);
        /* sending without a rating says what is missing and sends nothing */
        await page.getByRole('button', { name: 'Gönder' }).click();
        await page.getByText('Lütfen 1 ile 5 arasında bir puan seçin.').waitFor();
        const star = page.getByRole('radio', { name: '4' });
        const box = await page.locator('label.survey-star').nth(3).boundingBox();
        assert.ok(box.width >= 44 && box.height >= 44, `a finger-sized target: ${JSON.stringify(box)}`);
        await star.check();
        await page.getByLabel('Görüşünüz').fill('Ekip çok hızlı geldi, teşekkürler.');
        await env.shot(page, 'b14-survey-form');
        await page.getByRole('button', { name: 'Gönder' }).click();
        await page.locator('[data-state="done"]').waitFor();
        assert.match(await page.locator('[data-state="done"]').innerText(), /Teşekkür ederiz/);

        /* the phone that had the form open sends too: refused, told it was answered */
        await second.getByRole('radio', { name: '1' }).check();
        await second.getByRole('button', { name: 'Gönder' }).click();
        await second.locator('[data-state="used"]').waitFor();
        assert.match(await second.locator('[data-state="used"]').innerText(), /daha önce yanıtlanmış/);

        /* the link opened again */
        await page.goto(`${env.url}/anket/${token}`);
        await page.locator('[data-state="used"]').waitFor();
        /* an altered link */
        const [, nonce, mac] = token.split('-');
        await page.goto(`${env.url}/anket/999-${nonce}-${mac}`);
        await page.locator('[data-state="invalid"]').waitFor();
        assert.match(await page.locator('[data-state="invalid"]').innerText(), /geçerli değil/);
        env.assertClean(page);
        env.assertClean(second);
    });

    it('speaks English when switched', async () => {
        const { page } = await env.newPage(PHONE);
        await page.goto(`${env.url}/anket/${token}`);
        await page.locator('[data-state="used"]').waitFor();
        await page.getByRole('button', { name: 'EN' }).click();
        await page.getByRole('heading', { name: 'Satisfaction survey' }).waitFor();
        assert.match(await page.locator('[data-state="used"]').innerText(), /already answered/);
        env.assertClean(page);
    });
});
