// t5 (rate): the web form allows --public-rate submissions per address per hour; the next is 429.
// Its own file and server, since it exhausts the quota. The clock is pinned with ALO153_NOW (the
// middle of an hour) so the test cannot straddle an hour boundary.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, countApps, sqlite } from '../lib/server.mjs';

const NOW = '2026-11-23T10:30:00Z';

describe('t5 public rate limit', { timeout: 60000 }, () => {
    let srv, admin, anon;
    before(async () => {
        srv = await startServer({ rate: 5, env: { ALO153_NOW: NOW } });
        admin = await login(srv.url, 'admin');
        anon = client(srv.url);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    const pub = (body) => anon.post('/api/v1/public/applications', body);
    const citizens = () => Number(sqlite(srv.db, 'SELECT count(*) FROM citizens'));
    const tracks = [];

    it('refused forms (no text, honeypot, bad phone, half a coordinate) do not use up the quota: 5 good ones still pass', async () => {
        const apps = await countApps(admin);
        assertError(await pub({ text: '', phone: '05301110000' }), 422, 'invalid_fields', 'text');
        assertError(await pub({ text: 'Bot başvurusu', consent: true, phone: '05301110000', website: 'x' }), 400, 'rejected');
        assertError(await pub({ text: 'Hatalı telefon', consent: true, phone: '999' }), 422, 'invalid_fields', 'phone');
        assertError(await pub({ text: 'Yarım koordinat', consent: true, phone: '05301110000', lat: 38.7 }), 422, 'invalid_fields', 'lon');
        assert.equal(await countApps(admin), apps, 'the refused forms stored nothing');
        // four refusals, yet the whole quota of 5 is still there
        for (let i = 1; i <= 5; i++) {
            const r = await pub({ text: `Web formundan başvuru numarası ${i}`, consent: true, phone: `0530111000${i}` });
            assert.equal(r.status, 201, `submission ${i}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.created_at, NOW);
            tracks.push(r.body.tracking);
        }
        assert.equal(new Set(tracks).size, 5);
        assert.equal(await countApps(admin), apps + 5);
    });

    it('the 6th submission from 127.0.0.1 within the hour is 429 and stores nothing', async () => {
        assert.equal(tracks.length, 5, 'the quota was used up by the previous test');
        const apps = await countApps(admin), cits = citizens();
        const r6 = await pub({ text: 'Altıncı başvuru reddedilmeli', consent: true, phone: '05301110006' });
        assertError(r6, 429, 'rate_limited');
        const r7 = await pub({ text: 'Yedinci başvuru da reddedilmeli', consent: true, email: 'yedi@example.com' });
        assertError(r7, 429, 'rate_limited');
        assert.equal(await countApps(admin), apps, 'a rate-limited submission stores no application');
        assert.equal(citizens(), cits, 'a rate-limited submission stores no citizen');
        assert.equal(sqlite(srv.db, "SELECT count(*) FROM applications WHERE text LIKE '%reddedilmeli'"), '0');
    });

    it('the limit applies only to the public form: tracking and staff registration still work', async () => {
        const agent = await login(srv.url, 'agent');
        const a = await agent.post('/api/v1/applications', { channel: 'web', text: 'Çağrı merkezinden kayıt' });
        assert.equal(a.status, 201, JSON.stringify(a.body));
        assert.equal(a.body.text, 'Çağrı merkezinden kayıt');
        const t = await anon.get(`/api/v1/public/applications/${a.body.tracking}?code=${a.body.access_code}`);
        assert.equal(t.status, 200, JSON.stringify(t.body));
        assert.deepEqual([t.body.tracking, t.body.status], [a.body.tracking, 'new']);
        // and a citizen can still follow one sent through the form before the limit
        const first = await admin.get(`/api/v1/applications/by-tracking/${tracks[0]}`);
        const t1 = await anon.get(`/api/v1/public/applications/${tracks[0]}?code=${first.body.access_code}`);
        assert.equal(t1.status, 200, JSON.stringify(t1.body));
        assert.equal(t1.body.tracking, tracks[0]);
        // still limited afterwards
        assertError(await pub({ text: 'Hâlâ sınırda olmalı', consent: true, phone: '05301110008' }), 429, 'rate_limited');
    });
    it('a flood of refused forms is stopped by its own, larger limit (10 × the quota per hour): 429 with Retry-After', async () => {
        /* the refusals so far: 4 (first test) + 3 rate-limited; accepted ones gave theirs back */
        let sent = 7, r;
        do {
            r = await pub({ text: '', phone: '05301110000' });
            sent++;
        } while (r.status === 422 && sent < 100);
        assertError(r, 429, 'rate_limited');
        assert.equal(sent, 51, 'the 51st refused submission of the hour is the first stopped');
        assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
    });
});
