// t0 (continued): failed logins are rate-limited per address; settings are the admin's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError } from '../lib/server.mjs';

let srv, admin, sup, agent;

before(async () => {
    srv = await startServer({ demoSize: 10, env: { ALO153_NOW: '2026-11-23T10:15:00Z' } });
    admin = await login(srv.url, 'admin');
    sup = await login(srv.url, 'supervisor');
    agent = await login(srv.url, 'agent');
});
after(async () => { await srv?.stop(); srv?.cleanup(); });

test('settings: supervisors read, admins change the CİMER promise within the law', async () => {
    const r = await sup.get('/api/v1/settings');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.cimer_ceiling_days, 15);
    assert.equal(r.body.province, '38');
    assertError(await sup.patch('/api/v1/settings', { cimer_ceiling_days: 10 }), 403, 'forbidden');
    assertError(await agent.get('/api/v1/settings'), 403, 'forbidden');
    assertError(await admin.patch('/api/v1/settings', { cimer_ceiling_days: 31 }), 400, 'invalid_field', 'cimer_ceiling_days');
    assertError(await admin.patch('/api/v1/settings', { cimer_ceiling_days: 0 }), 400, 'invalid_field', 'cimer_ceiling_days');
    assertError(await admin.patch('/api/v1/settings', { ceiling: 5 }), 400, 'unknown_field', 'ceiling');
    const ok = await admin.patch('/api/v1/settings', { cimer_ceiling_days: 10 });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.cimer_ceiling_days, 10);
    /* a CİMER application's deadline now stops at 10 days */
    const a = await agent.post('/api/v1/applications', { channel: 'cimer', text: 'Yeni park yapılmasını talep ediyoruz', category: 'PARK_YENI_PARK', route: true });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const days = (Date.parse(a.body.resolution_due) - Date.parse(a.body.created_at)) / 86400000;
    assert.ok(days <= 10 + 1e-9, `resolution due after ${days} days`);
});

test('failed logins from one address are limited; successful ones do not count', async () => {
    for (let i = 0; i < 5; i++) await login(srv.url, 'agent'); /* successes are free */
    const anon = client(srv.url);
    let limited = null;
    for (let i = 0; i < 40 && !limited; i++) {
        const r = await anon.post('/api/v1/session', { username: 'agent', password: 'wrong-password' });
        if (r.status === 429) limited = i;
        else assert.equal(r.status, 401);
    }
    assert.equal(limited, 30, 'the 31st failure within the hour is refused');
    /* now even the right password waits until the next hour */
    assertError(await anon.post('/api/v1/session', { username: 'agent', password: 'alo153demo' }), 429, 'rate_limited');
});
