// The supervisor's call KPIs for a period (issue 10): the dashboard's panel shows what
// GET /api/v1/kpi/calls and /kpi/contacts compute, by bucket and by agent. Server time is pinned
// (ALO153_NOW); the calls come from the exchange's event API with a telephony token.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setup, apiClient, BIN } from './harness.mjs';

const NOW = '2026-03-10T09:00:00Z'; // 12:00 in Istanbul
const T0 = Date.parse(NOW) / 1000;
const at = (s) => new Date((T0 + s) * 1000).toISOString().replace('.000', '');

function telephonyToken(db) {
    return new Promise((resolve, reject) => {
        execFile(BIN, ['token', 'add', 'pbx-b7', '--role', 'telephony', '--db', db], (err, stdout, stderr) => {
            if (err) reject(new Error(`token add: ${err.message}\n${stderr}`));
            else resolve(stdout.trim().split('\n').pop().trim());
        });
    });
}

describe('dashboard: call KPIs for a period', { timeout: 120000 }, () => {
    let env;
    before(async () => {
        env = await setup({ demoSize: 0, env: { ALO153_NOW: NOW } });
        const token = await telephonyToken(env.server.db);
        const ev = (id, type, s, extra = {}) => ({ call_id: id, type, at: at(s), line: '153', queue: 'genel', caller: '05321112233', ...extra });
        // 11:00–11:30 Istanbul: one answered after 10 s (talk 120 s), one abandoned after 30 s,
        // one short abandon (2 s): answer rate 1 / (1 + 2 - 1) = %50
        const events = [
            { type: 'agent_login', agent: 'agent', at: at(-4000) }, // the agent filter lists agents with a state
            ev('b7-a', 'offered', -3600), ev('b7-a', 'answered', -3590, { agent: 'agent' }), ev('b7-a', 'ended', -3470),
            ev('b7-b', 'offered', -3000), ev('b7-b', 'abandoned', -2970),
            ev('b7-c', 'offered', -2000), ev('b7-c', 'abandoned', -1998),
        ];
        const r = await fetch(`${env.url}/api/v1/telephony/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ events }),
        });
        assert.equal(r.status, 200, await r.text());
    });
    after(async () => {
        if (env) await env.teardown();
    });

    it('totals and hourly rows as the API computes them; by day; one agent', async () => {
        const sup = await apiClient(env.url).login('supervisor');
        const api = await sup.get('/api/v1/kpi/calls?from=2026-03-10&to=2026-03-10&bucket=1h');
        assert.equal(api.status, 200, JSON.stringify(api.body));
        assert.deepEqual([api.body.totals.offered, api.body.totals.answered, api.body.totals.abandoned, api.body.totals.short_abandoned],
            [3, 1, 2, 1]);

        const { page } = await env.newPage({ viewport: { width: 1280, height: 800 } });
        await env.login(page, 'supervisor');
        await page.goto(`${env.url}/pano`);
        await page.locator('#kpi-from').fill('2026-03-10');
        await page.locator('#kpi-to').fill('2026-03-10');
        await page.locator('#kpi-bucket').selectOption('1h');
        await page.getByRole('button', { name: 'Göster' }).click();
        const val = (k) => page.locator(`#kpi-totals dd[data-k="${k}"]`);
        await assert.doesNotReject(val('offered').filter({ hasText: /^3$/ }).waitFor());
        assert.equal(await val('answered').textContent(), '1');
        assert.equal(await val('abandoned').textContent(), '2');
        assert.equal(await val('short_abandoned').textContent(), '1');
        assert.equal(await val('answer_rate').textContent(), '%50');
        const row = page.locator('#kpi-buckets tbody tr', { has: page.locator('th', { hasText: '2026-03-10 11:00' }) });
        assert.equal(await row.locator('td').first().textContent(), '3');
        assert.equal(await page.locator('#kpi-buckets tbody tr').count(), 24, 'a day in hours, empty hours included');

        await page.locator('#kpi-bucket').selectOption('day');
        await page.getByRole('button', { name: 'Göster' }).click();
        await page.locator('#kpi-buckets tbody tr').first().locator('th', { hasText: /^2026-03-10$/ }).waitFor();
        assert.equal(await page.locator('#kpi-buckets tbody tr').count(), 1);

        await page.locator('#kpi-agent').selectOption('agent');
        await page.getByRole('button', { name: 'Göster' }).click();
        await val('offered').filter({ hasText: /^1$/ }).waitFor();
        assert.equal(await val('answer_rate').textContent(), '%100');
        await env.shot(page, 'b7-kpi');

        // a reversed period is refused before asking the server
        await page.locator('#kpi-from').fill('2026-03-11');
        await page.getByRole('button', { name: 'Göster' }).click();
        await page.getByText('Bitiş tarihi başlangıçtan önce olamaz.').waitFor();
    });
});
