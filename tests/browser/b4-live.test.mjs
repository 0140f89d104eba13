// The live stream in Debian's Chromium: the call-taker screen opens the caller's card by itself
// when the exchange posts "answered" for that agent (and keeps the text being typed); a
// department inbox announces its new applications; the wallboard's figures change without a reload as calls come in, and it says so when the stream
// is cut. Time is pinned on the server (ALO153_NOW); waits are Playwright's guards, never answers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setup, apiClient, BIN } from './harness.mjs';

const NOW = '2026-03-10T09:00:00Z';
const T0 = Date.parse(NOW) / 1000;
const at = (s) => new Date((T0 + s) * 1000).toISOString().replace('.000', '');
const PHONE = '05324443322';
const CITIZEN = 'Zeynep Aydın';

function telephonyToken(db) {
    return new Promise((resolve, reject) => {
        execFile(BIN, ['token', 'add', 'pbx-b4', '--role', 'telephony', '--db', db], (err, stdout, stderr) => {
            if (err) reject(new Error(`token add: ${err.message}\n${stderr}`));
            else resolve(stdout.trim().split('\n').pop().trim());
        });
    });
}

describe('live: screen pop and wallboard', { timeout: 120000 }, () => {
    let env, token;
    const exchange = async (events) => {
        const r = await fetch(`${env.url}/api/v1/telephony/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ events }),
        });
        const body = await r.json();
        assert.equal(r.status, 200, JSON.stringify(body));
        return body;
    };
    const call = (id, type, s, extra = {}) => ({ call_id: id, type, at: at(s), line: '153', queue: 'genel', caller: PHONE, ...extra });

    before(async () => {
        env = await setup({ demoSize: 0, env: { ALO153_NOW: NOW } });
        token = await telephonyToken(env.server.db);
    });
    after(async () => {
        if (env) await env.teardown();
    });

    it('the caller\'s card opens by itself when a call of this agent is answered, and typed work stays', async () => {
        const api = await apiClient(env.url).login('agent');
        const c = await api.post('/api/v1/citizens', { name: CITIZEN, phone: PHONE, tc: '10000000146' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        const prior = await api.post('/api/v1/applications', { channel: 'phone_153', text: 'Parktaki salıncak kırık, çocuklar için tehlikeli.', citizen_id: c.body.id });
        assert.equal(prior.status, 201, JSON.stringify(prior.body));

        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'agent');
        assert.equal(new URL(page.url()).pathname, '/cagri');
        await page.locator('p[data-live="open"]').waitFor();
        await page.evaluate(() => { window.__sameDocument = true; });
        const typed = 'Arayan, sokaktaki lambaların yanmadığını söylüyor';
        await page.locator('#app-text').fill(typed);
        assert.equal(await page.locator('.call-pop').count(), 0, 'no pop before the call');

        const r = await exchange([call('B4-1', 'offered', -120), call('B4-1', 'ringing', -118, { agent: 'agent' }), call('B4-1', 'answered', -110, { agent: 'agent' })]);
        const contactId = r.results[2].contact_id;
        const pop = page.locator('.call-pop');
        await pop.waitFor();
        assert.match(await pop.innerText(), /Çağrı geldi/);
        assert.match(await pop.innerText(), new RegExp(`${CITIZEN} arıyor`));
        assert.equal(await pop.getAttribute('data-contact'), String(contactId), 'the phone contact is the current one');
        const card = page.locator('.citizen-card.selected');
        await card.waitFor();
        assert.equal(await card.locator('.citizen-name').innerText(), CITIZEN);
        const contactLine = await card.locator('.citizen-contact').innerText();
        assert.ok(!contactLine.includes('10000000146'), `T.C. masked: ${contactLine}`);
        assert.match(contactLine, /\*/);
        assert.match(await card.innerText(), new RegExp(prior.body.tracking), 'the open application is on the card');
        assert.match(await page.locator('#ct-phone').inputValue(), /5324443322$/, 'the caller\'s number is in the lookup field');
        assert.equal(await page.locator('#app-text').inputValue(), typed, 'the text being typed is kept');
        assert.ok(await page.evaluate(() => window.__sameDocument), 'no reload');
        await env.shot(page, 'b4-screen-pop');

        /* the popped contact is the current one: the application saved now closes it */
        await page.getByRole('button', { name: 'Yalnızca kaydet' }).click();
        const tracking = await page.locator('#saved-tracking').innerText();
        await pop.getByRole('button', { name: 'Temas kaydını bu başvuruyla kapat' }).click();
        await pop.getByText('Temas kaydı kapatıldı.').waitFor();
        const contact = (await api.get(`/api/v1/contacts/${contactId}`)).body;
        assert.equal(contact.outcome, 'application');
        const app = (await api.get(`/api/v1/applications/by-tracking/${tracking}`)).body;
        assert.equal(contact.application_id, app.id, 'closed with the application saved during the call');
        env.assertClean(page);
    });

    it('the department inbox announces a new application of its own and lists it on refresh', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'fen');
        assert.equal(new URL(page.url()).pathname, '/birim');
        await page.locator('.results-head').waitFor();
        await page.evaluate(() => { window.__sameDocument = true; });
        // an application posted before the stream opened would not be "new"
        await page.locator('html[data-live="open"]').waitFor({ state: 'attached' });
        const api = await apiClient(env.url).login('agent');
        const d = (await api.get('/api/v1/districts')).body.items[0];
        const a = await api.post('/api/v1/applications', {
            channel: 'phone_153', text: 'Mahallemizdeki yolda derin bir çukur oluştu.', category: 'FEN_YOL_CUKUR', route: true, district_id: d.id,
        });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        const notice = page.locator('.live-new');
        await notice.waitFor();
        assert.match(await notice.innerText(), new RegExp(a.body.tracking));
        await notice.getByRole('button', { name: 'Göster' }).click();
        await page.locator(`tr[data-tracking="${a.body.tracking}"]`).waitFor();
        assert.equal(await page.locator('.live-new').count(), 0);
        assert.ok(await page.evaluate(() => window.__sameDocument), 'no reload');
        env.assertClean(page);
    });

    it('the wallboard\'s figures change without a reload, and it shows when the stream is cut', async () => {
        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/duvar`);
        await page.locator('h1', { hasText: 'Kent Yönetim Merkezi — ALO 153' }).waitFor();
        await page.locator('#wb-offered').waitFor();
        await page.evaluate(() => { window.__sameDocument = true; });
        const offered = Number(await page.locator('#wb-offered').innerText());
        const waiting = Number(await page.locator('#wb-waiting').innerText());
        assert.ok(Number.isInteger(offered) && Number.isInteger(waiting), `figures: ${offered} ${waiting}`);

        await exchange([call('B4-2', 'offered', -40), call('B4-3', 'offered', -30, { caller: '05325556677' })]);
        await page.waitForFunction((n) => document.querySelector('#wb-offered').textContent === String(n), offered + 2);
        assert.equal(Number(await page.locator('#wb-waiting').innerText()), waiting + 2);
        assert.match(await page.locator('#wb-longest').innerText(), /\d+ sn/);
        assert.equal(await page.locator('#wb-alert').count(), 0, 'connected: no warning');
        assert.ok(await page.evaluate(() => window.__sameDocument), 'updated without a reload');
        await env.shot(page, 'b4-wallboard');
        env.assertClean(page);

        /* the stream is cut (the server stops): the wallboard says so instead of showing stale figures */
        await env.server.stop();
        await page.locator('#wb-alert', { hasText: 'BAĞLANTI KESİLDİ' }).waitFor();
        await env.shot(page, 'b4-wallboard-disconnected');
    });
});
