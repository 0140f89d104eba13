// t40: console sessions slide with activity (issue 14 item 4). A session ends after
// --session-idle minutes without a request (default 30), each request moves that end on, and
// none lives past 12 hours after login. The clock is pinned (ALO153_NOW) and moved by
// restarting the server on the same database; the session cookie survives the restart.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, login, BIN } from '../lib/server.mjs';

const T0 = Date.parse('2027-01-05T07:00:00Z');
const at = (minutes) => new Date(T0 + minutes * 60000).toISOString().replace(/\.000Z$/, 'Z');

describe('t40 sessions slide with activity', { timeout: 60000 }, () => {
    let srv;
    before(async () => { srv = await startServer({ env: { ALO153_NOW: at(0) } }); });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    async function moveTo(minutes, env = {}) {
        await srv.stop();
        await srv.restart({ env: { ALO153_NOW: at(minutes), ...env } });
    }
    // the client keeps its cookie; the server's url (port) changes on restart
    const me = async (c) => (await fetch(`${srv.url}/api/v1/me`, { headers: { cookie: c.cookie } })).status;

    it('30 idle minutes end a session; each request moves the end on', async () => {
        const agent = await login(srv.url, 'agent');
        const r = await agent.get('/api/v1/me');
        assert.equal(r.status, 200);
        const login2 = await fetch(`${srv.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'desk', password: 'alo153demo' }) });
        const body = await login2.json();
        assert.equal(body.expires_at, at(30), 'the login answer gives the idle end, not 12 hours');
        await moveTo(20);
        assert.equal(await me(agent), 200, '20 minutes later: still on');
        await moveTo(45);
        assert.equal(await me(agent), 200, '45 minutes after login, 25 after the last request: still on (slid)');
        await moveTo(45 + 29);
        assert.equal(await me(agent), 200, '29 idle minutes: still on');
        await moveTo(45 + 29 + 31);
        assert.equal(await me(agent), 401, '31 idle minutes: ended');
        assert.equal(await me(agent), 401, 'and it stays ended');
    });

    it('a session never lives past 12 hours after login, however busy', async () => {
        await moveTo(1000, { ALO153_SESSION_IDLE_MINUTES: '600' });
        const agent = await login(srv.url, 'agent');
        for (const m of [1000 + 300, 1000 + 600, 1000 + 719]) {
            await moveTo(m, { ALO153_SESSION_IDLE_MINUTES: '600' });
            assert.equal(await me(agent), 200, `${m - 1000} minutes after login`);
        }
        await moveTo(1000 + 721, { ALO153_SESSION_IDLE_MINUTES: '600' });
        assert.equal(await me(agent), 401, '12 hours and a minute after login: ended');
    });

    it('--session-idle is a setting: a bad value stops serve with a clear message', () => {
        for (const v of ['0', '721', 'yarım']) {
            const r = spawnSync(BIN, ['serve', '--db', srv.db, '--listen', '127.0.0.1:0', '--session-idle', v], { encoding: 'utf8', timeout: 10000 });
            assert.equal(r.status, 2, `--session-idle ${v}: ${r.stderr}`);
            assert.match(r.stderr, /--session-idle must be 1\.\.720 minutes/);
        }
        const help = spawnSync(BIN, ['serve', '--help'], { encoding: 'utf8' });
        assert.match(help.stdout, /--session-idle MIN/);
    });
});

// issue 14 item 6: serve finds its web files wherever it is started from, or refuses to start
describe('t40 serve finds the web console or refuses', () => {
    const run = (args, cwd) => spawnSync(BIN, ['serve', '--db', '/nonexistent/none.db', '--listen', '127.0.0.1:0', ...args],
        { encoding: 'utf8', timeout: 10000, cwd });

    it('a --web folder without the console is refused with a clear message', () => {
        const r = run(['--web', '/tmp']);
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, /web console in '\/tmp' is incomplete: index\.html is missing/);
    });

    it('started from another folder, it finds web/ beside its binary (and only then opens the database)', () => {
        const r = run([], '/');
        assert.doesNotMatch(r.stderr, /web console/, r.stderr);
        assert.match(r.stderr, /none\.db/, 'it went on to the database');
    });

    it('--web none serves only the API', () => {
        const r = run(['--web', 'none'], '/');
        assert.doesNotMatch(r.stderr, /web console/, r.stderr);
    });
});
