// t0: health, log in / out, who am I, bearer tokens, unknown routes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, addToken, assertError, listAllIds, setCookies, sqlite, DEMO_PASSWORD } from '../lib/server.mjs';

const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
/* the server's clock for this file (sessions are valid for 12 h of it) */
const NOW = Date.parse('2026-05-04T09:00:00Z');

const DEMO_USERS = [
    ['admin', 'admin', null],
    ['supervisor', 'supervisor', null],
    ['agent', 'agent', null],
    ['desk', 'desk', null],
    ['fen', 'staff', 'FEN'],
    ['fen.mudur', 'manager', 'FEN'],
    ['zabita', 'staff', 'ZABITA'],
    ['cevre', 'staff', 'CEVRE'],
];

describe('t0 auth', { timeout: 60000 }, () => {
    let srv;
    before(async () => { srv = await startServer({ env: { ALO153_NOW: rfc3339(NOW) } }); });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('GET /healthz is ok without logging in', async () => {
        const r = await client(srv.url).get('/healthz');
        assert.equal(r.status, 200);
        assert.equal(r.body.status, 'ok');
        assert.match(r.headers.get('content-type'), /application\/json/);
    });

    it('POST /api/v1/session logs in and sets an HttpOnly SameSite=Strict cookie', async () => {
        const c = client(srv.url);
        const r = await c.post('/api/v1/session', { username: 'admin', password: DEMO_PASSWORD });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const cookies = setCookies(r.headers);
        assert.equal(cookies.length, 1, JSON.stringify(cookies));
        const sc = cookies[0];
        assert.match(sc, /^alo153_session=[^;]{20,};/);
        assert.match(sc, /;\s*HttpOnly/i);
        assert.match(sc, /;\s*SameSite=Strict/i);
        assert.match(sc, /;\s*Path=\//);
        assert.equal(r.body.user.username, 'admin');
        assert.equal(r.body.user.role, 'admin');
        assert.equal(r.body.user.password, undefined);
        assert.equal(r.body.user.password_hash, undefined);
        // sessions slide with activity (issue 14): the answer names the idle end (30 min); the
        // cookie lives as long as the absolute limit (12 h); t40-session-idle covers both
        assert.equal(r.body.expires_at, rfc3339(NOW + 30 * 60 * 1000), 'without activity the session ends in 30 min of the server clock');
        assert.match(sc, /;\s*Max-Age=43200(;|$)/);
        assert.doesNotMatch(sc, /;\s*Secure/i, 'no Secure flag unless serving behind TLS');
        const me = await c.get('/api/v1/me');
        assert.equal(me.status, 200, JSON.stringify(me.body));
        assert.equal(me.body.username, 'admin');
    });

    it('every demo user logs in and GET /api/v1/me returns the user with role and department', async () => {
        for (const [username, role, dept] of DEMO_USERS) {
            const c = await login(srv.url, username);
            const me = await c.get('/api/v1/me');
            assert.equal(me.status, 200, `${username}: ${JSON.stringify(me.body)}`);
            assert.equal(me.body.username, username);
            assert.equal(me.body.role, role, username);
            assert.equal(me.body.department, dept, username);
            assert.equal(me.body.disabled, false, username);
            assert.equal(typeof me.body.id, 'number');
        }
    });

    it('a wrong password is 401 invalid_credentials and sets no cookie', async () => {
        const c = client(srv.url);
        const r = await c.post('/api/v1/session', { username: 'admin', password: 'wrong-password' });
        assertError(r, 401, 'invalid_credentials');
        assert.equal(setCookies(r.headers).length, 0);
        assert.equal(c.cookie, null);
    });

    it('an unknown user gets the same 401 invalid_credentials', async () => {
        const r = await client(srv.url).post('/api/v1/session', { username: 'nobody', password: DEMO_PASSWORD });
        assertError(r, 401, 'invalid_credentials');
    });

    it('a login without password or with wrong types is 400', async () => {
        const c = client(srv.url);
        assertError(await c.post('/api/v1/session', { username: 'admin' }), 400, 'missing_field', 'password');
        assertError(await c.post('/api/v1/session', { password: DEMO_PASSWORD }), 400, 'missing_field', 'username');
        assertError(await c.post('/api/v1/session', { username: 'admin', password: 5 }), 400, 'invalid_type', 'password');
        assertError(await c.post('/api/v1/session', { username: 'admin', password: DEMO_PASSWORD, otp: '1' }), 400, 'unknown_field', 'otp');
    });

    it('GET /api/v1/me without a session is 401', async () => {
        assertError(await client(srv.url).get('/api/v1/me'), 401, 'unauthorized');
    });

    it('a forged session cookie is 401', async () => {
        const c = client(srv.url, { cookie: 'alo153_session=' + 'A'.repeat(43) });
        assertError(await c.get('/api/v1/me'), 401, 'unauthorized');
        assertError(await c.get('/api/v1/applications'), 401, 'unauthorized');
        const c2 = client(srv.url, { cookie: 'alo153_session=garbage' });
        assertError(await c2.get('/api/v1/me'), 401, 'unauthorized');
        /* a real session's token with one character changed */
        const real = await login(srv.url, 'agent');
        const tok = real.cookie.split('=')[1];
        const flipped = tok.slice(0, -1) + (tok.endsWith('A') ? 'B' : 'A');
        assertError(await client(srv.url, { cookie: `alo153_session=${flipped}` }).get('/api/v1/me'), 401, 'unauthorized');
        assert.equal((await real.get('/api/v1/me')).status, 200);
    });

    it('DELETE /api/v1/session logs out: 204, then /me is 401 even with the old cookie', async () => {
        const c = await login(srv.url, 'agent');
        const oldCookie = c.cookie;
        assert.equal((await c.get('/api/v1/me')).status, 200);
        const r = await c.del('/api/v1/session');
        assert.equal(r.status, 204);
        const sc = setCookies(r.headers).join('\n');
        assert.match(sc, /alo153_session=;/);
        assert.match(sc, /Max-Age=0/);
        assertError(await c.get('/api/v1/me'), 401, 'unauthorized');
        const replay = client(srv.url, { cookie: oldCookie });
        assertError(await replay.get('/api/v1/me'), 401, 'unauthorized');
    });

    it('logging out one session leaves another session of the same user working', async () => {
        const a = await login(srv.url, 'desk');
        const b = await login(srv.url, 'desk');
        assert.notEqual(a.cookie, b.cookie);
        assert.equal((await a.del('/api/v1/session')).status, 204);
        assertError(await a.get('/api/v1/me'), 401, 'unauthorized');
        const me = await b.get('/api/v1/me');
        assert.equal(me.status, 200);
        assert.equal(me.body.username, 'desk');
    });

    it('a bearer token from `alo153 token add` authenticates API calls', async () => {
        const token = await addToken(srv.db, 'santral', 'agent');
        const c = client(srv.url, { bearer: token });
        const me = await c.get('/api/v1/me');
        assert.equal(me.status, 200, JSON.stringify(me.body));
        assert.equal(me.body.role, 'agent');
        assert.match(me.body.username, /santral/);
        const created = await c.post('/api/v1/applications', { channel: 'phone_153', text: 'Santralden gelen test başvurusu' });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const got = await c.get(`/api/v1/applications/${created.body.id}`);
        assert.equal(got.status, 200);
        assert.equal(got.body.history[0].user, me.body.full_name || me.body.username, JSON.stringify(got.body.history));
        const list = await c.get('/api/v1/applications?limit=1');
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.items.map((a) => a.id), [created.body.id], 'the newest application is the token\'s');
        /* and it sets no cookie: a token is not a session */
        assert.equal(setCookies(list.headers).length, 0);
        assert.equal(sqlite(srv.db, `SELECT u.username FROM applications a JOIN users u ON u.id = a.created_by WHERE a.id = ${created.body.id}`), 'token.santral');
    });

    it('a bearer token with a department acts as that department', async () => {
        const token = await addToken(srv.db, 'fen-entegrasyon', 'staff', 'FEN');
        const c = client(srv.url, { bearer: token });
        const me = await c.get('/api/v1/me');
        assert.equal(me.status, 200, JSON.stringify(me.body));
        assert.equal(me.body.role, 'staff');
        assert.equal(me.body.department, 'FEN');
        /* it sees exactly what the FEN clerk sees, and another department's application is 404 */
        const fen = await login(srv.url, 'fen');
        const mine = (await listAllIds(c)).sort((a, b) => a - b);
        assert.ok(mine.length > 0, 'the demo has FEN applications');
        assert.deepEqual(mine, (await listAllIds(fen)).sort((a, b) => a - b));
        const other = Number(sqlite(srv.db, "SELECT a.id FROM applications a JOIN departments d ON d.id = a.department_id WHERE d.code = 'ZABITA' LIMIT 1"));
        assert.ok(other > 0, 'the demo has a ZABITA application');
        assertError(await c.get(`/api/v1/applications/${other}`), 404, 'not_found');
        assertError(await c.post('/api/v1/citizens', { name: 'Personel' }), 403, 'forbidden');
    });

    it('a wrong bearer token is 401 and does not fall back to anything', async () => {
        const c = client(srv.url, { bearer: 'not-a-real-token-0123456789abcdef' });
        assertError(await c.get('/api/v1/me'), 401, 'unauthorized');
        assertError(await c.get('/api/v1/applications'), 401, 'unauthorized');
        /* not even to a valid session cookie sent along with it */
        const admin = await login(srv.url, 'admin');
        const both = client(srv.url, { cookie: admin.cookie, bearer: 'not-a-real-token-0123456789abcdef' });
        assertError(await both.get('/api/v1/me'), 401, 'unauthorized');
        assertError(await both.get('/api/v1/users'), 401, 'unauthorized');
        assert.equal((await admin.get('/api/v1/me')).status, 200);
    });

    it('a token user cannot log in with a password', async () => {
        const r = await client(srv.url).post('/api/v1/session', { username: 'token.santral', password: DEMO_PASSWORD });
        assertError(r, 401, 'invalid_credentials');
    });

    it('unknown API paths are 404 not_found, wrong methods 405', async () => {
        const c = await login(srv.url, 'admin');
        assertError(await c.get('/api/v1/nothing-here'), 404, 'not_found');
        assertError(await c.get('/api/v2/applications'), 404, 'not_found');
        assertError(await c.raw('/api/v1/session', { method: 'PUT' }), 405, 'method_not_allowed');
        assertError(await c.raw('/api/v1/me', { method: 'POST' }), 405, 'method_not_allowed');
    });

    it('responses carry nosniff', async () => {
        const r = await client(srv.url).get('/healthz');
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    });

    it('a session expires after its lifetime (12 h): the cookie then gets 401', async () => {
        const t0 = Date.parse('2026-05-04T09:00:00Z');
        // idle time as long as the lifetime, so this checks the absolute limit alone (sessions
        // also end after 30 idle minutes by default: t40-session-idle)
        const s2 = await startServer({ demoSize: 0, env: { ALO153_NOW: rfc3339(t0), ALO153_SESSION_IDLE_MINUTES: '720' } });
        try {
            const c = await login(s2.url, 'agent');
            const r = await client(s2.url).post('/api/v1/session', { username: 'desk', password: DEMO_PASSWORD });
            assert.equal(r.body.expires_at, rfc3339(t0 + 12 * 3600 * 1000));
            assert.match(setCookies(r.headers)[0], /Max-Age=43200/);
            assert.equal((await c.get('/api/v1/me')).body.username, 'agent');
            await s2.stop();
            await s2.restart({ env: { ALO153_NOW: rfc3339(t0 + 11 * 3600 * 1000) } });
            const still = await client(s2.url, { cookie: c.cookie }).get('/api/v1/me');
            assert.equal(still.status, 200, 'still valid after 11 h');
            assert.equal(still.body.username, 'agent');
            await s2.stop();
            await s2.restart({ env: { ALO153_NOW: rfc3339(t0 + 13 * 3600 * 1000) } });
            assertError(await client(s2.url, { cookie: c.cookie }).get('/api/v1/me'), 401, 'unauthorized');
        } finally {
            await s2.stop();
            s2.cleanup();
        }
    });
});
