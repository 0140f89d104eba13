// t32: a damaged SQLite file is not served as healthy (issue 12, finding 5). The attack
// wrote random bytes over 10 pages: serve started, /healthz said ok, reads gave 500 and
// creates gave 201 into the damaged file. Now serve checks the file at start (quick_check)
// and refuses it; and a damaged page met while serving makes /healthz say "damaged" (503)
// and refuses every write from then on, while reads of sound pages go on.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { startServer, login, client, sqlite, PG_URL_BASE } from '../lib/server.mjs';

const skip = PG_URL_BASE ? 'SQLite only: PostgreSQL checks its own pages' : false;

/** Overwrite the given pages (1-based) of the SQLite file db with random bytes. */
function damage(db, pages) {
    const fd = fs.openSync(db, 'r+');
    try {
        const head = Buffer.alloc(18);
        fs.readSync(fd, head, 0, 18, 0);
        let size = head.readUInt16BE(16);
        if (size === 1) size = 65536;
        for (const p of pages)
            fs.writeSync(fd, crypto.randomBytes(size), 0, size, (p - 1) * size);
    } finally {
        fs.closeSync(fd);
    }
}

/** The pages of table `name` and its indexes (SQLite's dbstat). */
function pagesOf(db, name) {
    const out = sqlite(db, `SELECT pageno FROM dbstat WHERE name = '${name}' OR name IN `
        + `(SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = '${name}')`);
    return out.split('\n').filter(Boolean).map(Number);
}

describe('t32 damaged database', { skip, timeout: 120000 }, () => {
    const servers = [];
    after(async () => {
        for (const s of servers) {
            if (s.proc.exitCode === null && s.proc.signalCode === null) await s.stop();
            s.cleanup();
        }
    });

    it('serve refuses to start on a file with damaged pages', async () => {
        const srv = await startServer({ demoSize: 20 });
        servers.push(srv);
        const agent = await login(srv.url, 'agent');
        const made = await agent.post('/api/v1/applications', { channel: 'desk', text: 'Sokak lambası yanmıyor' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        await srv.stop();
        const pages = pagesOf(srv.db, 'applications');
        assert.ok(pages.length >= 3, `applications has pages ${pages}`);
        damage(srv.db, pages.slice(0, 10));
        await assert.rejects(srv.restart(), (e) => {
            assert.match(e.message, /exited \(code 1/);
            assert.match(e.message, /damaged/);
            assert.match(e.message, /restore it from a backup/);
            return true;
        });
    });

    it('a damaged page met while serving: health 503 "damaged", writes refused, sound reads go on', async () => {
        const srv = await startServer({ demoSize: 20 });
        servers.push(srv);
        const agent = await login(srv.url, 'agent');
        const h0 = await client(srv.url).get('/healthz');
        assert.equal(h0.status, 200);
        assert.equal(h0.body.database, 'ok');
        // nothing of this process has read the applications yet: their pages come from the file
        damage(srv.db, pagesOf(srv.db, 'applications'));
        const list = await agent.get('/api/v1/applications');
        assert.equal(list.status, 500, JSON.stringify(list.body));
        const h = await client(srv.url).get('/healthz');
        assert.equal(h.status, 503, JSON.stringify(h.body));
        assert.equal(h.body.status, 'degraded');
        assert.equal(h.body.database, 'damaged');
        assert.match(h.headers.get('retry-after') || '', /^\d+$/);
        // a write that touches no damaged page is refused all the same: the file is damaged
        const cat = await agent.get('/api/v1/categories');
        assert.equal(cat.status, 200, 'reads of sound pages still work');
        const w = await agent.post('/api/v1/citizens', { name: 'Ayşe Yılmaz', phone: '05321234567' });
        assert.equal(w.status, 503, JSON.stringify(w.body));
        assert.match(srv.stderr(), /database damaged: writes are refused/);
    });
});
