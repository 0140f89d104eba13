// Issue 13 in Debian's Chromium, on the call-taker's screen: a vague text makes the classifier
// abstain — "Emin değilim" with the top three, no category pre-filled, one chosen with a key
// (2) and saved under it; a text with two requests of two departments offers "İki ayrı talep
// görünüyor — ikiye böl?" and files two linked applications for the same citizen in one step.
// A tiny routing model (tests/lib/tiny-corpus.mjs) is trained into the server's models folder.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setup, apiClient, BIN, REPO } from './harness.mjs';
import { writeTinyCorpus } from '../lib/tiny-corpus.mjs';

describe('abstention and split on the call-taker screen (issue 13)', { timeout: 120000 }, () => {
    let env, api;

    before(async () => {
        env = await setup({ demoSize: 0, env: { ALO153_NOW: '2027-01-05T07:00:00Z' } });
        const open = env.newPage.bind(env);
        env.newPage = async (o) => { const p = await open(o); p.page.setDefaultTimeout(20000); return p; };
        const tiny = writeTinyCorpus(env.server.dir);
        execFileSync(BIN, ['train', '--no-db', '--corpus', tiny.corpus, '--models', path.join(env.server.dir, 'models')], { cwd: REPO });
        api = await apiClient(env.url).login('agent');
        // the server loads the model within a second
        for (let i = 0; i < 200 && (await api.post('/api/v1/classify', { text: 'yolda çukur var' })).status !== 200; i++) {
            await new Promise((r) => setTimeout(r, 50));
        }
    });
    after(async () => { if (env) await env.teardown(); });

    it('a vague text: "Emin değilim", the top three, nothing pre-filled, key 2 chooses', async () => {
        const text = 'Merhaba, bir şikayetim olacaktı';
        const cl = await api.post('/api/v1/classify', { text });
        assert.equal(cl.body.confident, false, JSON.stringify(cl.body));
        const second = cl.body.suggestions[1].category;
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await page.locator('#app-text').fill(text);
        const panel = page.locator('#abstain');
        await panel.waitFor();
        assert.equal((await page.locator('#abstain-h').innerText()).trim(), 'Emin değilim');
        assert.equal(await page.locator('.abstain-choice').count(), 3);
        assert.equal(await page.locator('#app-category-chosen').count(), 0, 'no category pre-filled');
        await panel.focus();
        await page.keyboard.press('2');
        await page.locator(`.abstain-choice[data-category="${second}"][aria-pressed="true"]`).waitFor();
        await page.locator('#app-category-chosen').waitFor();
        await page.getByRole('button', { name: 'Kaydet ve birime yönlendir' }).click();
        const tracking = (await page.locator('#saved-tracking').innerText()).trim();
        const a = await api.get(`/api/v1/applications/by-tracking/${tracking}`);
        assert.equal(a.body.category, second, JSON.stringify(a.body));
        env.assertClean(page);
        await page.context().close();
    });

    it('two requests in one text: offered, split into two linked applications in one step', async () => {
        const c = await api.post('/api/v1/citizens', { name: 'Deniz Aksoy', phone: '0532 555 10 20' });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        const { page } = await env.newPage({ viewport: { width: 1280, height: 900 } });
        await env.login(page, 'agent');
        await page.locator('#ct-phone').fill('0532 555 10 20');
        await page.keyboard.press('Enter');
        await page.locator('.citizen-card.selected').waitFor();
        await page.locator('#app-text').fill('Sokağımızdaki asfaltta derin bir çukur var, ayrıca parktaki salıncak kırık.');
        await page.locator('#split-offer').waitFor();
        assert.equal((await page.locator('#split-h').innerText()).trim(), 'İki ayrı talep görünüyor — ikiye böl?');
        await page.locator('#split-open').click();
        await page.locator('#split-create').click();
        await page.locator('.saved-two').waitFor();
        const trackings = (await page.locator('.saved-tracking').allInnerTexts()).map((x) => x.trim());
        assert.equal(trackings.length, 2);
        const apps = [];
        for (const tr of trackings) apps.push((await api.get(`/api/v1/applications/by-tracking/${tr}`)).body);
        assert.deepEqual(apps.map((a) => [a.text, a.category, a.status, a.citizen_id]), [
            ['Sokağımızdaki asfaltta derin bir çukur var', 'FEN_YOL_CUKUR', 'forwarded', c.body.id],
            ['parktaki salıncak kırık', 'PARK_BAKIM', 'forwarded', c.body.id],
        ]);
        const links = (await api.get(`/api/v1/applications/${apps[0].id}`)).body.links;
        assert.ok(links.some((l) => l.id === apps[1].id), JSON.stringify(links));
        env.assertClean(page);
        await page.context().close();
    });
});
