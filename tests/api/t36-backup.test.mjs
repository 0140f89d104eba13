// t36: alo153 backup / restore (issue 12): a backup taken while applications are being
// created is one consistent moment (every application in it has its creation event; the
// count lies between the counts before and after), carries a SHA-256 that sha256sum accepts,
// never overwrites; restore refuses a damaged backup and an existing database without
// --force, keeps the database it replaces (with its WAL), and the restored file serves.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { startServer, login, countApps, sqlite, BIN, PG_URL_BASE } from '../lib/server.mjs';

const skip = PG_URL_BASE ? 'SQLite only: PostgreSQL is backed up with pg_dump (docs/OPERATIONS.md)' : false;

function run(args) {
    return new Promise((resolve) => {
        execFile(BIN, args, { timeout: 60000 }, (err, stdout, stderr) =>
            resolve({ code: err ? err.code : 0, stdout, stderr }));
    });
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('t36 backup and restore', { skip, timeout: 180000 }, () => {
    const servers = [];
    after(async () => {
        for (const s of servers) {
            if (s.proc.exitCode === null && s.proc.signalCode === null) await s.stop();
            s.cleanup();
        }
    });

    it('a backup under writes is one moment; restore checks it and keeps what it replaces', async () => {
        const srv = await startServer({ demoSize: 20 });
        servers.push(srv);
        const agent = await login(srv.url, 'agent');
        const before = await countApps(agent);
        const dir = srv.dir, bak = path.join(dir, 'yedek.db');

        // 60 applications created while the backup runs
        let made = 0;
        const writes = (async () => {
            for (let i = 0; i < 60; i++) {
                const r = await agent.post('/api/v1/applications', { channel: 'desk', text: `Yedek sırasında başvuru ${i}: kaldırım bozuk` });
                assert.equal(r.status, 201, JSON.stringify(r.body));
                made++;
            }
        })();
        const b = await run(['backup', '--db', srv.db, '--to', bak]);
        await writes;
        assert.equal(b.code, 0, b.stderr);
        assert.match(b.stdout, /sha256 [0-9a-f]{64}/);
        const afterCount = await countApps(agent);
        assert.equal(afterCount, before + made);

        // the checksum file in sha256sum's format, and right
        const line = fs.readFileSync(`${bak}.sha256`, 'utf8');
        assert.equal(line, `${sha256(bak)}  yedek.db\n`);
        // one moment: between before and after, and no application without its creation event
        const n = Number(sqlite(bak, 'SELECT count(*) FROM applications'));
        assert.ok(n >= before && n <= afterCount, `${before} <= ${n} <= ${afterCount}`);
        assert.equal(sqlite(bak, "SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.app_id = a.id AND e.action = 'create')"), '0');
        assert.equal(sqlite(bak, 'PRAGMA journal_mode'), 'delete', 'a plain file: no -wal needed beside it');

        // never overwrites
        const again = await run(['backup', '--db', srv.db, '--to', bak]);
        assert.equal(again.code, 2);
        assert.match(again.stderr, /exists already/);

        // a damaged copy of the backup is refused, nothing is created
        const bad = path.join(dir, 'bozuk.db'), target = path.join(dir, 'geri.db');
        fs.copyFileSync(bak, bad);
        fs.writeFileSync(`${bad}.sha256`, line.replace('yedek.db', 'bozuk.db'));
        const fd = fs.openSync(bad, 'r+');
        fs.writeSync(fd, Buffer.from('X'), 0, 1, Math.floor(fs.statSync(bad).size / 2));
        fs.closeSync(fd);
        const refused = await run(['restore', '--from', bad, '--db', target]);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /does not match its checksum/);
        assert.ok(!fs.existsSync(target), 'nothing was created');

        // restore into a new file, and it serves what the backup holds
        const ok = await run(['restore', '--from', bak, '--db', target]);
        assert.equal(ok.code, 0, ok.stderr);
        const restored = await startServer({ db: target });
        servers.push(restored);
        assert.equal(await countApps(await login(restored.url, 'agent')), n);
        await restored.stop();

        // an existing database: refused without --force; with it, kept beside (WAL included)
        const exists = await run(['restore', '--from', bak, '--db', target]);
        assert.equal(exists.code, 2);
        assert.match(exists.stderr, /give --force/);
        const forced = await run(['restore', '--from', bak, '--db', target, '--force']);
        assert.equal(forced.code, 0, forced.stderr);
        const kept = fs.readdirSync(dir).filter((f) => f.startsWith('geri.db.before-restore-') && !/-(wal|shm)$/.test(f));
        assert.equal(kept.length, 1, fs.readdirSync(dir).join(' '));
        assert.equal(sqlite(path.join(dir, kept[0]), 'SELECT count(*) FROM applications'), String(n));
    });
});
