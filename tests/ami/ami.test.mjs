// `alo153 ami` against AMI transcripts (tests/ami/*.txt, Asterisk 18+ field names) replayed by
// tests/ami/replay.mjs: a normal hour, a reconnect mid-stream, duplicated events, abandons
// before an answer, transfers, junk in the stream, a refused login. Each case runs
// `alo153 ami --once` (or --exit-after 2) on a fresh database and checks the result through
// the API (GET /api/v1/kpi/live, /api/v1/contacts) and the tables, against numbers worked out
// by hand from the call tables of gen.py. Time is pinned (ALO153_NOW): the transcripts are
// 2026-03-10 08:00-09:00 UTC, "now" is 10:00 UTC.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, login, cli, sqlite, BIN } from '../lib/server.mjs';
import { startReplay, parseTranscript, messageCount } from './replay.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NOW = '2026-03-10T10:00:00Z';
const T = 1773129600; // 2026-03-10T08:00:00Z, the transcripts' hour
const near = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

/** A fresh database with the three agents of the transcripts, a secret file and the agent map. */
async function setup() {
    const srv = await startServer({ demoSize: 0, env: { ALO153_NOW: NOW } });
    for (const u of ['ayse', 'mehmet', 'zeynep'])
        await cli(['user', 'add', u, '--role', 'agent', '--db', srv.db, '--password-stdin'], { input: 'parola-123456\n' });
    // the transcripts' queues are the centre's (an unknown queue is refused)
    await cli(['kpi', '--db', srv.db, '--queues', 'alo153,alo153-en']);
    srv.secretFile = path.join(srv.dir, 'ami.secret');
    fs.writeFileSync(srv.secretFile, 'gizli\n', { mode: 0o600 });
    srv.mapFile = path.join(srv.dir, 'agents.map');
    fs.copyFileSync(path.join(HERE, 'agents.map'), srv.mapFile);
    return srv;
}

/** Run `alo153 ami` against a replay of file; resolves {code, stderr, stats, replay}. */
async function runAmi(srv, file, { exitAfter, dropAt, resumeAt, secretFile, args = [] } = {}) {
    const replay = await startReplay({ file: path.join(HERE, file), user: 'alo153', secret: 'gizli', dropAt, resumeAt });
    const argv = ['ami', '--db', srv.db, '--host', '127.0.0.1', '--port', String(replay.port), '--user', 'alo153',
        '--secret-file', secretFile || srv.secretFile, '--agent-map', srv.mapFile,
        ...(exitAfter ? ['--exit-after', String(exitAfter)] : ['--once']), ...args];
    const r = await new Promise((resolve) => {
        const child = execFile(BIN, argv, { env: { ...process.env, ALO153_NOW: NOW }, timeout: 60000 },
            (err, stdout, stderr) => resolve({ code: child.exitCode, signal: child.signalCode, stderr }));
    });
    await replay.close();
    const last = r.stderr.split('\n').filter((l) => l.includes('msg="stopped"')).pop() || '';
    r.stats = Object.fromEntries([...last.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
    r.replay = replay;
    return r;
}

const one = (db, sql) => sqlite(db, sql).trim();

it('a normal hour: 20 calls, 17 answered by 3 agents, 3 abandoned (1 short), pauses', async () => {
    const srv = await setup();
    try {
        const r = await runAmi(srv, 'hour.txt');
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.replay.logins.length, 1);
        assert.deepEqual(r.replay.logins[0], { username: 'alo153', secret: 'gizli', actionId: 'alo153-login-1', events: 'call,agent', ok: true });
        assert.equal(r.stats.refused, 0, r.stderr);
        assert.equal(r.stats.malformed, 0);
        const sup = await login(srv.url, 'supervisor');
        const k = await sup.get('/api/v1/kpi/live');
        assert.equal(k.status, 200, JSON.stringify(k.body));
        const c = k.body.calls;
        assert.equal(c.offered, 20);
        assert.equal(c.answered, 17);
        assert.equal(c.abandoned, 3);
        assert.equal(c.short_abandoned, 1);
        assert.equal(c.waiting, 0);
        near(c.answer_rate, 17 / 19, 'answer rate: 17 / (17 + 3 - 1)');
        near(c.service_level, 14 / 19, 'service level: 14 answered within 20 s');
        near(c.asa_s, 254 / 17, 'ASA: the 17 waits add up to 254 s');
        assert.equal(c.max_wait_s, 62, 'the longest wait: the abandon after 62 s');
        assert.equal(k.body.contacts.total, 17, 'one phone contact per answered call');
        assert.equal(k.body.contacts.open, 17);
        assert.equal(k.body.contacts.by_channel.phone_153, 17);
        const list = await sup.get('/api/v1/contacts?limit=500');
        assert.equal(list.status, 200);
        assert.equal(list.body.items.length, 17);
        assert.equal(one(srv.db, 'SELECT u.username, count(*) FROM contacts c JOIN users u ON u.id = c.user_id GROUP BY u.username ORDER BY u.username'),
            'ayse|7\nmehmet|6\nzeynep|4', 'who answered: "Mehmet Kaya" mapped to mehmet by the agent map');
        assert.equal(one(srv.db, 'SELECT count(*) FROM call_events'), '88');
        /* the call with a ring-no-answer: zeynep rang first, mehmet answered after 25 s */
        assert.equal(one(srv.db, `SELECT u.username FROM calls k JOIN users u ON u.id = k.agent_id WHERE k.caller = '05321110006'`), 'mehmet');
        assert.equal(one(srv.db, `SELECT answered_at - offered_at FROM calls WHERE caller = '05321110006'`), '25');
        assert.equal(one(srv.db, `SELECT ended_at - answered_at FROM calls WHERE caller = '05321110006'`), '150');
        /* the agents' own states (logins, zeynep's break and back, mehmet's meeting) */
        assert.equal(one(srv.db, "SELECT u.username || ' ' || s.state || ' ' || s.reason || ' ' || (s.since - " + T + ") FROM agent_states s JOIN users u ON u.id = s.user_id WHERE u.username IN ('ayse', 'mehmet', 'zeynep') ORDER BY u.username"),
            'ayse ready  0\nmehmet paused meeting 3500\nzeynep ready  2700');
        assert.equal(one(srv.db, "SELECT count(*) FROM agent_state_log l JOIN users u ON u.id = l.user_id WHERE u.username = 'zeynep' AND l.state = 'paused' AND l.reason = 'break'"), '1');
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});

it('a reconnect mid-stream replays an overlap that is not counted twice', async () => {
    const srv = await setup();
    try {
        const total = messageCount(parseTranscript(fs.readFileSync(path.join(HERE, 'hour.txt'), 'utf8')));
        assert.equal(total, 200);
        /* the first connection drops inside message 120; the second starts again at 80 */
        const r = await runAmi(srv, 'hour.txt', { exitAfter: 2, dropAt: 120, resumeAt: 80 });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.replay.logins.length, 2, 'logged in again');
        assert.deepEqual(r.replay.logins.map((l) => l.actionId), ['alo153-login-1', 'alo153-login-2']);
        assert.equal(r.stats.attempts, 2);
        assert.equal(r.stats.logins, 2);
        assert.ok(r.stats.duplicates > 17, `the overlap came back as duplicates: ${r.stats.duplicates}`);
        assert.equal(r.stats.recorded, 88, 'every event recorded once');
        assert.match(r.stderr, /msg="reconnecting" in_ms=500/);
        const sup = await login(srv.url, 'supervisor');
        const c = (await sup.get('/api/v1/kpi/live')).body.calls;
        assert.deepEqual([c.offered, c.answered, c.abandoned, c.short_abandoned, c.waiting], [20, 17, 3, 1, 0]);
        near(c.asa_s, 254 / 17, 'ASA as without the reconnect');
        assert.equal(one(srv.db, 'SELECT count(*) FROM call_events'), '88');
        assert.equal(one(srv.db, 'SELECT count(*) FROM contacts'), '17');
        assert.equal(one(srv.db, 'SELECT count(*) FROM agent_events'), '17', 'one screen pop per answered call');
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});

it('duplicated events change nothing', async () => {
    const srv = await setup();
    try {
        const r = await runAmi(srv, 'duplicates.txt');
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stats.recorded, 9, r.stderr);
        assert.equal(r.stats.duplicates, 15, r.stderr);
        const sup = await login(srv.url, 'supervisor');
        const k = (await sup.get('/api/v1/kpi/live')).body;
        assert.deepEqual([k.calls.offered, k.calls.answered, k.calls.abandoned], [2, 2, 0]);
        assert.equal(k.contacts.total, 2);
        assert.equal(one(srv.db, 'SELECT count(*) FROM agent_events'), '2');
        /* ayse's pause came once per queue (alo153, alo153-en) with one Timestamp */
        assert.equal(one(srv.db, "SELECT count(*) || ' ' || max(l.reason) FROM agent_state_log l JOIN users u ON u.id = l.user_id WHERE u.username = 'ayse' AND l.state = 'paused'"), '1 training');
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});

it('abandoned before an answer: no contact; the last agent rung; a short abandon apart', async () => {
    const srv = await setup();
    try {
        const r = await runAmi(srv, 'abandon.txt');
        assert.equal(r.code, 0, r.stderr);
        const sup = await login(srv.url, 'supervisor');
        const k = (await sup.get('/api/v1/kpi/live')).body;
        assert.deepEqual([k.calls.offered, k.calls.answered, k.calls.abandoned, k.calls.short_abandoned], [2, 0, 2, 1]);
        assert.equal(k.calls.max_wait_s, 32);
        assert.equal(k.contacts.total, 0);
        assert.equal(one(srv.db, `SELECT u.username || ' ' || (k.abandoned_at - k.offered_at) || ' ' || (k.ended_at - k.offered_at) FROM calls k JOIN users u ON u.id = k.agent_id WHERE k.caller = '05321110101'`), 'zeynep 32 32');
        assert.equal(one(srv.db, `SELECT count(*) FROM calls WHERE answered_at IS NULL AND abandoned_at IS NOT NULL`), '2');
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});

it('transfers: blind and attended count, a failed one does not; other calls stay out', async () => {
    const srv = await setup();
    try {
        const r = await runAmi(srv, 'transfer.txt');
        assert.equal(r.code, 0, r.stderr);
        assert.equal(one(srv.db, 'SELECT count(*) FROM calls'), '3', 'the consultation call is not a 153 call');
        assert.equal(one(srv.db, `SELECT caller || ' ' || (transferred_at - ${T}) || ' ' || (ended_at - ${T}) FROM calls WHERE transferred_at IS NOT NULL ORDER BY caller`),
            '05321110201 700 820\n05321110202 990 1100');
        assert.equal(one(srv.db, `SELECT CASE WHEN transferred_at IS NULL THEN 'none' ELSE 'yes' END || ' ' || (ended_at - ${T}) FROM calls WHERE caller = '05321110203'`), 'none 1300');
        const sup = await login(srv.url, 'supervisor');
        const k = (await sup.get('/api/v1/kpi/live')).body;
        assert.deepEqual([k.calls.offered, k.calls.answered], [3, 3]);
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});

it('junk in the stream is logged and skipped; the calls around it are whole', async () => {
    const srv = await setup();
    try {
        const r = await runAmi(srv, 'malformed.txt');
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stats.malformed, 4, r.stderr);
        assert.match(r.stderr, /level=warn msg="malformed AMI input skipped" why="not a 'Key: Value' line" line="bu satır bozuk"/);
        assert.match(r.stderr, /why="line longer than 1024 bytes"/);
        assert.match(r.stderr, /why="message over its bounds"/);
        assert.equal(r.stats.refused, 0, r.stderr);
        const sup = await login(srv.url, 'supervisor');
        const k = (await sup.get('/api/v1/kpi/live')).body;
        assert.deepEqual([k.calls.offered, k.calls.answered, k.calls.abandoned], [2, 2, 0]);
        assert.equal(one(srv.db, `SELECT count(*) FROM calls WHERE ended_at IS NOT NULL`), '2', 'LF-only lines after the junk are read too');
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});

it('a wrong secret: the login is refused, the command fails, nothing is recorded', async () => {
    const srv = await setup();
    try {
        const bad = path.join(srv.dir, 'wrong.secret');
        fs.writeFileSync(bad, 'yanlis\n');
        const r = await runAmi(srv, 'hour.txt', { secretFile: bad, exitAfter: 5 });
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /level=error msg="login refused" .* message="Authentication failed"/);
        assert.equal(r.replay.logins.length, 1, 'a refused login is not retried');
        assert.equal(one(srv.db, 'SELECT count(*) FROM call_events'), '0');
        /* the secret never goes on the command line */
        const u = await new Promise((resolve) => {
            const child = execFile(BIN, ['ami', '--db', srv.db, '--user', 'alo153', 'gizli'], () => resolve(child.exitCode));
        });
        assert.equal(u, 2);
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});

it('no Asterisk: waits 0.5 s, then twice as long each time up to --backoff-max, and --exit-after ends it', async () => {
    const srv = await setup();
    try {
        /* a port nobody listens on: one taken from the kernel and given back */
        const port = await new Promise((resolve) => {
            const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
        });
        const r = await new Promise((resolve) => {
            const child = execFile(BIN, ['ami', '--db', srv.db, '--port', String(port), '--user', 'alo153', '--secret-file', srv.secretFile,
                '--exit-after', '5', '--backoff-max', '2'], { env: { ...process.env, ALO153_NOW: NOW }, timeout: 60000 },
            (err, stdout, stderr) => resolve({ code: child.exitCode, stderr }));
        });
        assert.equal(r.code, 1, 'never logged in');
        assert.deepEqual([...r.stderr.matchAll(/msg="reconnecting" in_ms=(\d+)/g)].map((m) => Number(m[1])), [500, 1000, 2000, 2000]);
        assert.equal((r.stderr.match(/msg="cannot connect"/g) || []).length, 5);
        await srv.stop();
    } finally {
        srv.cleanup();
    }
});
