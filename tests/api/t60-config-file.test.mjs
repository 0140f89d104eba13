// t60: the configuration file (issue 12, operations; cli/config.h, docs/OPERATIONS.md).
// `serve --config FILE` with nothing else on the command line serves the database, address and
// log format the file names; a flag beats the file and an environment variable beats the file;
// a bad value or an unknown key stops serve before it listens, with file:line and exit status 2;
// the other commands read the same file (user list finds the file's database).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, REPO, cli, login, client } from '../lib/server.mjs';

/** The environment without any ALO153_* setting (so only the file and flags count). */
function cleanEnv(extra = {}) {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ALO153_')) env[k] = v;
    return { ...env, ...extra };
}

/** Run `alo153 serve ARGS`; resolves {url, proc, stderr()} once it listens, or {code, stderr}
 * if it exits first. */
function serve(args, env) {
    return new Promise((resolve) => {
        const proc = spawn(BIN, ['serve', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '', err = '';
        proc.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
        proc.stdout.setEncoding('utf8').on('data', (d) => {
            out += d;
            const m = out.match(/alo153 listening on (http:\/\/127\.0\.0\.1:\d+)\//);
            if (m) resolve({ url: m[1], proc, stderr: () => err });
        });
        proc.on('close', (code) => resolve({ code, stderr: () => err, out }));
    });
}

async function stop(s) {
    const closed = new Promise((r) => s.proc.on('close', (code) => r(code)));
    s.proc.kill('SIGTERM');
    assert.equal(await closed, 0);
}

describe('t60 configuration file', { timeout: 60000 }, () => {
    let dir, db, conf;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-conf-'));
        db = path.join(dir, 'conf.db');
        await cli(['init', '--db', db, '--demo', '--demo-size', '5'], { env: { ALO153_CONFIG: 'none' } });
        conf = path.join(dir, 'alo153.conf');
        fs.writeFileSync(conf, [
            '# alo153 test configuration',
            '',
            `db = ${db}`,
            'listen = 127.0.0.1:0',
            '  threads = 2   ',
            'log-format = json',
            'web = none',
            `models = ${path.join(dir, 'no-models')}`,
            '',
        ].join('\n'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('serve starts from the file alone: its database, address and log format', async () => {
        const s = await serve(['--config', conf], cleanEnv());
        assert.ok(s.url, `serve did not start: ${s.code} ${s.stderr()}`);
        try {
            assert.equal((await client(s.url).get('/healthz')).status, 200);
            const admin = await login(s.url, 'admin'); // the demo users of the file's database
            assert.equal((await admin.get('/api/v1/me')).status, 200);
            const lines = s.stderr().trim().split('\n');
            assert.ok(lines.length > 0);
            for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), `not a JSON log line: ${l}`);
        } finally {
            await stop(s);
        }
    });

    it('a flag beats the file, the environment beats the file', async () => {
        const bad = path.join(dir, 'flags.conf');
        fs.writeFileSync(bad, `db = ${path.join(dir, 'no', 'such', 'dir.db')}\nlisten = 127.0.0.1:0\nlog-format = json\nweb = none\n`);
        const s = await serve(['--db', db], cleanEnv({ ALO153_CONFIG: bad, ALO153_LOG_FORMAT: 'text' }));
        assert.ok(s.url, `serve did not start (the flag --db must win): ${s.code} ${s.stderr()}`);
        try {
            const admin = await login(s.url, 'admin');
            assert.equal((await admin.get('/api/v1/me')).status, 200);
            assert.match(s.stderr(), /^ts=\S+ level=info /m, 'ALO153_LOG_FORMAT=text beats log-format = json');
        } finally {
            await stop(s);
        }
    });

    it('a bad value or an unknown key stops serve with file:line, exit status 2', async () => {
        const bad = path.join(dir, 'bad.conf');
        fs.writeFileSync(bad, `db = ${db}\nlisten = 127.0.0.1:0\nthreads = 0\n`);
        let r = await serve(['--config', bad], cleanEnv());
        assert.equal(r.url, undefined, 'serve must not start');
        assert.equal(r.code, 2);
        assert.match(r.stderr(), new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: 'threads' is not a number in range`));

        fs.writeFileSync(bad, `db = ${db}\nlisten = 127.0.0.1:0\n\nlistne = 127.0.0.1:0\n`);
        r = await serve([`--config=${bad}`], cleanEnv());
        assert.equal(r.code, 2);
        assert.match(r.stderr(), /bad\.conf:4: unknown key 'listne'/);

        r = await serve([], cleanEnv({ ALO153_CONFIG: path.join(dir, 'missing.conf') }));
        assert.equal(r.code, 1);
        assert.match(r.stderr(), /cannot read the configuration file .*missing\.conf/);
    });

    it('the other commands read it too (user list finds the file\'s database)', async () => {
        const out = await cli(['user', 'list', '--config', conf], { env: { ALO153_DB: '' } });
        assert.match(out, /\badmin\b/);
    });
});
