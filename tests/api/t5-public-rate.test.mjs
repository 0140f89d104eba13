// t5 (rate): the web form allows --public-rate submissions per address per hour; the next is 429.
// Its own file and server, since it exhausts the quota. The clock is pinned with ALO153_NOW so
// the test cannot straddle an hour boundary.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, countApps } from '../lib/server.mjs';

describe('t5 public rate limit', { timeout: 60000 }, () => {
    let srv, admin, anon;
    before(async () => {
        const now = new Date();
        now.setUTCMinutes(30, 0, 0);
        srv = await startServer({ rate: 5, env: { ALO153_NOW: now.toISOString().replace(/\.\d+Z$/, 'Z') } });
        admin = await login(srv.url, 'admin');
        anon = client(srv.url);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const pub = (body) => anon.post('/api/v1/public/applications', body);

    it('refused forms (no consent, honeypot, bad phone) do not use up the quota', async () => {
        assertError(await pub({ text: 'Rızasız başvuru', consent: false, phone: '05301110000' }), 400, 'consent_required');
        assertError(await pub({ text: 'Bot başvurusu', consent: true, phone: '05301110000', website: 'x' }), 400);
        assertError(await pub({ text: 'Hatalı telefon', consent: true, phone: '999' }), 400, undefined, 'phone');
    });

    it('5 submissions from 127.0.0.1 are accepted, the 6th within the hour is 429 and stores nothing', async () => {
        const tracks = [];
        for (let i = 1; i <= 5; i++) {
            const r = await pub({ text: `Web formundan başvuru numarası ${i}`, consent: true, phone: `0530111000${i}` });
            assert.equal(r.status, 201, `submission ${i}: ${JSON.stringify(r.body)}`);
            tracks.push(r.body.tracking);
        }
        assert.equal(new Set(tracks).size, 5);
        const before = await countApps(admin);
        const r6 = await pub({ text: 'Altıncı başvuru reddedilmeli', consent: true, phone: '05301110006' });
        assertError(r6, 429, 'rate_limited');
        const r7 = await pub({ text: 'Yedinci başvuru da reddedilmeli', consent: true, email: 'yedi@example.com' });
        assertError(r7, 429, 'rate_limited');
        assert.equal(await countApps(admin), before, 'a rate-limited submission stores nothing');
    });

    it('the limit applies only to the public form: tracking and staff registration still work', async () => {
        const agent = await login(srv.url, 'agent');
        const a = await agent.post('/api/v1/applications', { channel: 'web', text: 'Çağrı merkezinden kayıt' });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        const t = await anon.get(`/api/v1/public/applications/${a.body.tracking}?code=${a.body.access_code}`);
        assert.equal(t.status, 200, JSON.stringify(t.body));
    });
});
