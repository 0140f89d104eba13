// t23: failed logins slow down per account and address (issue 12, finding 4). One address is
// often a whole call centre behind one NAT: a user guessing (or mistyping) one account must not
// lock out the others, and the right password works again once that pair's short wait is over.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, sqlite, waitFor } from '../lib/server.mjs';

let srv;

before(async () => {
    srv = await startServer({ demoSize: 5, env: { ALO153_NOW: '2026-11-23T10:15:00Z' } });
});
after(async () => { await srv?.stop(); srv?.cleanup(); });

const wrong = (c, username) => c.post('/api/v1/session', { username, password: 'wrong-password' });

test('a guessed account waits; the rest of the office logs in as usual', async () => {
    const anon = client(srv.url);
    const sessions = () => Number(sqlite(srv.db, 'SELECT count(*) FROM sessions'));
    /* 5 typos are free, the 6th failure starts a 1 s wait for agent from this address */
    for (let i = 0; i < 6; i++) assertError(await wrong(anon, 'agent'), 401, 'invalid_credentials');
    /* 34 more guesses within the wait are refused unread (the old limit: 30 an hour per address,
     * after which nobody behind this address could log in) */
    for (let i = 0; i < 34; i++) {
        const r = await wrong(anon, 'agent');
        assertError(r, 429, 'login_wait');
        assert.ok(Number(r.headers.get('retry-after')) >= 1, `Retry-After ${r.headers.get('retry-after')}`);
    }
    /* everyone else from the same address */
    for (const u of ['supervisor', 'admin', 'desk', 'fen']) await login(srv.url, u);
    /* an unknown name has its own count */
    assertError(await wrong(anon, 'nobody'), 401, 'invalid_credentials');
    /* agent's right password waits too (no session), but not for long */
    const before = sessions();
    const early = await anon.post('/api/v1/session', { username: 'agent', password: 'alo153demo' });
    assertError(early, 429, 'login_wait');
    assert.ok(Number(early.headers.get('retry-after')) <= 1, 'the first wait is 1 s');
    assert.equal(anon.cookie, null);
    assert.equal(sessions(), before);
    /* tries during the wait do not lengthen it: the right password is taken within seconds */
    const ok = await waitFor(async () => {
        const r = await anon.post('/api/v1/session', { username: 'agent', password: 'alo153demo' });
        if (r.status === 429) return false;
        return r;
    }, { tries: 60, delayMs: 100, what: 'agent logs in after the wait' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(anon.cookie);
    /* a success forgets the failures: 5 free typos again */
    const again = client(srv.url);
    for (let i = 0; i < 6; i++) assertError(await wrong(again, 'agent'), 401, 'invalid_credentials');
    assertError(await wrong(again, 'agent'), 429, 'login_wait');
});
