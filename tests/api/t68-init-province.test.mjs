// t68: `alo153 init` on an existing database upgrades it for its own province. Without
// --province it keeps the province the database was made for (it used to fall back to 38 and
// add Kayseri's districts to an İstanbul centre); another --province is refused with a clear
// message and changes nothing. A SQLite file, under make api and make api-pg alike.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, REPO, sqlite } from '../lib/server.mjs';

function run(args) {
    return new Promise((resolve) => {
        execFile(BIN, ['--config', 'none', ...args], { cwd: REPO, timeout: 60000 }, (err, stdout, stderr) => {
            resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
        });
    });
}

describe('t68 init keeps the province of an existing database', { timeout: 120000 }, () => {
    let dir, db;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t68-'));
        db = path.join(dir, 'ist.db');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const state = () => sqlite(db, "SELECT value FROM settings WHERE key = 'province'; " +
        'SELECT count(*) FROM neighbourhoods; SELECT count(*) FROM districts;');

    it('made for İstanbul; upgraded without --province it stays İstanbul', async () => {
        const made = await run(['init', '--db', db, '--province', '34']);
        assert.equal(made.code, 0, made.stderr);
        assert.match(made.stdout, /İstanbul \(34\)/);
        const before = state();
        assert.match(before, /^34\n/);
        const again = await run(['init', '--db', db]);
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /İstanbul \(34\)/);
        assert.equal(state(), before, 'the same province, districts and neighbourhoods');
    });

    it('another --province is refused and changes nothing; the same one is fine', async () => {
        const before = state();
        const other = await run(['init', '--db', db, '--province', '38']);
        assert.equal(other.code, 2, other.stdout + other.stderr);
        assert.match(other.stderr, /İstanbul \(34\).*--province 38/);
        assert.equal(state(), before);
        const same = await run(['init', '--db', db, '--province', '34']);
        assert.equal(same.code, 0, same.stderr);
        assert.equal(state(), before);
    });
});
