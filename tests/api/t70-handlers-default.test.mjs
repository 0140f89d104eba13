// t70: how many handler threads serve runs when none are asked for (issue 9). On SQLite many
// (32): their writes wait on the group commit together and make big batches. On PostgreSQL
// few (4): each is a connection and a server process, and at 32 the creates queued on the
// year's tracking row (308 creates/s against 634/s with 4, docs/PERFORMANCE.md). An explicit
// ALO153_HANDLERS (or --handlers, or the config file, which sets the same variable) wins on
// both. The figure is read from serve's "serving" log line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, waitForLog, PG_URL_BASE } from '../lib/server.mjs';

async function handlersOf(env) {
    const srv = await startServer({ demoSize: 5, env: { ALO153_LOG: 'info', ...env } });
    try {
        const line = await waitForLog(srv, /msg="serving".* handlers=\d+/);
        return Number(line.match(/ handlers=(\d+)/)[1]);
    } finally {
        await srv.stop();
        srv.cleanup();
    }
}

describe('t70 handler threads by default', { timeout: 60000 }, () => {
    it(`runs ${PG_URL_BASE ? 4 : 32} handlers on ${PG_URL_BASE ? 'PostgreSQL' : 'SQLite'} when none are asked for`, async () => {
        assert.equal(await handlersOf({ ALO153_HANDLERS: '' }), PG_URL_BASE ? 4 : 32);
    });

    it('runs as many as ALO153_HANDLERS says, on either backend', async () => {
        assert.equal(await handlersOf({ ALO153_HANDLERS: '6' }), 6);
    });
});
