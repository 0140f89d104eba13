// t25: the smaller findings of issue 12 (8): a limit on wrong public tracking lookups, request
// logs that a %0a in the path cannot forge, and upload file names that are not UTF-8 or turn
// text around refused without a phantom file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, assertError, waitForLog, sqlite } from '../lib/server.mjs';

// a real 1×1 PNG (photos are parsed: a bare signature is no image)
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('issue 12, finding 8', () => {
    let srv, agent;
    before(async () => {
        srv = await startServer({ demoSize: 5, env: { ALO153_NOW: '2026-11-23T10:15:00Z' } });
        agent = await login(srv.url, 'agent');
    });
    after(async () => { await srv?.stop(); srv?.cleanup(); });

    it('wrong tracking lookups from one address are limited (60 an hour); right ones do not count', async () => {
        const anon = client(srv.url);
        const made = await anon.post('/api/v1/public/applications', { text: 'Parktaki salıncak kırık', consent: true, phone: '0530 111 22 33' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        const { tracking, access_code: code } = made.body;
        const look = (c) => anon.get(`/api/v1/public/applications/${tracking}?code=${c}`);
        for (let i = 0; i < 59; i++) assertError(await look('AAAAAAAA'), 404, 'not_found');
        /* right lookups in between are free */
        for (let i = 0; i < 3; i++) assert.equal((await look(code)).status, 200);
        assertError(await look('BBBBBBBB'), 404, 'not_found'); /* the 60th wrong one */
        const r = await look('CCCCCCCC');
        assertError(r, 429, 'too_many_lookups');
        assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
        assertError(await anon.get('/api/v1/public/applications/2026-000001?code=AAAAAAAA'), 429, 'too_many_lookups');
        /* staff lookups are not public lookups */
        assert.equal((await agent.get(`/api/v1/applications/by-tracking/${tracking}`)).status, 200);
    });

    it('a path cannot forge a log line', async () => {
        const mark = srv.logMark();
        const forged = 'ts=2026-11-23T10:15:00Z level=info method=DELETE path=/api/v1/users/1 status=204';
        const r = await agent.get(`/api/v1/nothing%0a${encodeURIComponent(forged)}%0d%22`);
        assertError(r, 404, 'not_found');
        const line = await waitForLog(srv, /path=\/api\/v1\/nothing\\x0ats=2026-11-23T10:15:00Z\\x20level=info\\x20method=DELETE.*\\x0d\\x22 status=404/, { since: mark });
        assert.ok(line);
        await agent.get('/api/v1/me');
        await waitForLog(srv, /method=GET path=\/api\/v1\/me status=200/, { since: mark });
        const lines = srv.log.lines.slice(-(srv.logMark() - mark));
        assert.ok(!lines.some((l) => l.startsWith('ts=2026-11-23T10:15:00Z level=info method=DELETE')), lines.join('\n'));
    });

    it('file names that are not UTF-8 or hold direction controls are refused, and count nothing', async () => {
        const app = await agent.post('/api/v1/applications', { channel: 'phone_153', text: 'Kaldırım taşları kırık' });
        assert.equal(app.status, 201);
        const up = (name) => agent.raw(`/api/v1/applications/${app.body.id}/attachments?filename=${name}`, { method: 'POST', body: PNG });
        const files = () => Number(sqlite(srv.db, `SELECT count(*) FROM attachments WHERE app_id = ${app.body.id}`));
        for (const name of ['%FF%FE.png', 'a%C3.png', 'fatura%E2%80%AEgnp.exe', 'x%E2%81%A7.png']) {
            assertError(await up(name), 400, 'invalid_field', 'filename');
        }
        assert.equal(files(), 0, 'no phantom file');
        const ok = await up('%C5%9Fik%C3%A2yet.png');
        assert.equal(ok.status, 201, JSON.stringify(ok.body));
        assert.equal(ok.body.filename, 'şikâyet.png');
        assert.equal(files(), 1);
    });
});
