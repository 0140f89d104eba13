// t55: API tokens are listable, expiring and revocable (issue 12, "Rights"). `alo153 token add
// --expires` and POST /tokens give a token with an end; GET /tokens and `alo153 token list` show
// each with its state, expiry ("never" when none) and last use, never the secret; an expired
// token (the clock pinned past its end with ALO153_NOW) and a revoked one get 401 with their own
// codes, while the others keep working.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, cli, addToken } from '../lib/server.mjs';

const T0 = '2027-04-01T07:00:00Z';
const LATER = '2027-05-15T07:00:00Z'; // 44 days on: past 30d, before 2027-06-01

describe('t55 API tokens', { timeout: 60000 }, () => {
    let srv, admin, short, long, forever, created;
    const env = { ALO153_NOW: T0 };

    before(async () => {
        srv = await startServer({ demoSize: 5, env });
        short = await cliToken(['token', 'add', 'kisa', '--role', 'supervisor', '--expires', '30d']);
        long = await cliToken(['token', 'add', 'uzun', '--role', 'supervisor', '--expires', '2027-06-01']);
        forever = await addToken(srv.db, 'sonsuz', 'supervisor');
        admin = await login(srv.url, 'admin');
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function cliToken(args) {
        const out = await cli([...args, '--db', srv.db], { env });
        return out.trim().split('\n').pop().trim();
    }
    const bearer = (t) => client(srv.url, { bearer: t });

    it('the list shows each token with its expiry and last use, never the secret', async () => {
        assert.equal((await bearer(short).get('/api/v1/me')).status, 200);
        const r = await admin.get('/api/v1/tokens');
        assert.equal(r.status, 200);
        const by = Object.fromEntries(r.body.items.map((t) => [t.name, t]));
        assert.equal(by.kisa.expires_at, '2027-05-01T07:00:00Z');
        assert.equal(by.uzun.expires_at, '2027-05-31T21:00:00Z'); // the start of 1 June in Istanbul
        assert.equal(by.sonsuz.expires_at, null);
        assert.equal(by.kisa.last_used_at, T0);
        assert.equal(by.uzun.last_used_at, null);
        assert.deepEqual([by.kisa.state, by.kisa.role, by.kisa.user], ['active', 'supervisor', 'token.kisa']);
        assert.ok(!JSON.stringify(r.body).includes(short), 'no secret in the list');
        const out = await cli(['token', 'list', '--db', srv.db], { env });
        assert.match(out, /kisa\s+active\s+2027-05-01T07:00:00Z/);
        assert.match(out, /sonsuz\s+active\s+never/);
    });

    it('POST /tokens returns the secret once; bad input is refused and creates nothing', async () => {
        const t = await admin.post('/api/v1/tokens', { name: 'cimer-api', role: 'desk', expires: '90d' });
        assert.equal(t.status, 201, JSON.stringify(t.body));
        assert.equal(t.body.expires_at, '2027-06-30T07:00:00Z');
        assert.equal(t.body.token.length, 64);
        created = t.body;
        assert.equal((await bearer(t.body.token).get('/api/v1/me')).body.role, 'desk');
        const n = (await admin.get('/api/v1/tokens')).body.items.length;
        for (const bad of [{ name: 'cimer-api', role: 'desk' }, { name: 'x y', role: 'desk' }, { name: 'abc', role: 'root' },
            { name: 'abc', role: 'desk', expires: '2020-01-01' }, { name: 'abc', role: 'desk', expires: 'soon' },
            { name: 'abc', role: 'staff', department: 'NOPE' }]) {
            const r = await admin.post('/api/v1/tokens', bad);
            assert.ok([400, 409, 422].includes(r.status), `${JSON.stringify(bad)}: ${r.status}`);
        }
        assert.equal((await admin.get('/api/v1/tokens')).body.items.length, n);
        assert.equal((await bearer(short).get('/api/v1/tokens')).status, 403, 'a supervisor token is no admin');
    });

    it('a revoked token gets 401 token_revoked; the others keep working', async () => {
        assert.equal((await admin.del(`/api/v1/tokens/${created.id}`)).status, 204);
        const r = await bearer(created.token).get('/api/v1/me');
        assert.equal(r.status, 401);
        assert.equal(r.body.error.code, 'token_revoked');
        assert.equal((await admin.del(`/api/v1/tokens/${created.id}`)).status, 409);
        const out = await cli(['token', 'revoke', 'uzun', '--db', srv.db], { env });
        assert.match(out, /revoked/);
        assert.equal((await bearer(long).get('/api/v1/me')).body.error.code, 'token_revoked');
        assert.equal((await bearer(short).get('/api/v1/me')).status, 200);
        const unknown = await bearer('0'.repeat(64)).get('/api/v1/me');
        assert.equal(unknown.body.error.code, 'unauthorized'); // an unknown token is told nothing more
    });

    it('past its expiry a token gets 401 token_expired; one without an expiry works on', async () => {
        await srv.stop();
        await srv.restart({ env: { ALO153_NOW: LATER } });
        const r = await bearer(short).get('/api/v1/me');
        assert.equal(r.status, 401);
        assert.equal(r.body.error.code, 'token_expired');
        assert.equal((await bearer(forever).get('/api/v1/me')).status, 200);
        const a = await login(srv.url, 'admin');
        const by = Object.fromEntries((await a.get('/api/v1/tokens')).body.items.map((t) => [t.name, t]));
        assert.deepEqual([by.kisa.state, by.uzun.state, by.sonsuz.state], ['expired', 'revoked', 'active']);
        assert.equal(by.sonsuz.last_used_at, LATER);
    });
});
