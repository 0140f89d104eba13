// t18: mounts and the route table (issue 8, step 5). Every path belongs to one mount: /healthz,
// the JSON API under /api/v1, prefixes reserved for later APIs (/api, /open311, /hooks) and the
// web console at the root. A reserved prefix answers 404 in the API's error format, never the
// console's index.html, while the console's own deep links still load it. A route's body kind
// decides its Content-Type (415 otherwise) and its cap is its own (413 from the headers).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, login, client, assertError, rawRequest, countApps, BIN, REPO } from '../lib/server.mjs';

/** Send `head` (request line and headers, no body); the server's answer once it closes. */
async function headOnly(url, lines) {
    const { host } = new URL(url);
    const head = [lines[0], `Host: ${host}`, ...lines.slice(1), '', ''].join('\r\n');
    return rawRequest(url, head).response;
}

describe('t18 mounts, body kinds and caps', { timeout: 120000 }, () => {
    let srv, agent, anon;

    before(async () => {
        srv = await startServer({ demoSize: 10 });
        agent = await login(srv.url, 'agent');
        anon = client(srv.url);
    });
    after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

    it('a path under an unmounted prefix gets the API 404, not the console', async () => {
        /* /open311 is mounted since issue 16: its unknown paths get the spec's errors (t44) */
        for (const p of ['/open311/v2/services', '/open311']) {
            const r = await anon.get(p);
            assert.equal(r.status, 404, p);
            assert.match(r.body, /^<\?xml[^]*<errors><error><code>404<\/code>/, p);
        }
        for (const p of ['/hooks/sms', '/hooks', '/api', '/api/v2/applications', '/api/v1']) {
            const r = await anon.get(p);
            assertError(r, 404, 'not_found');
            assert.match(r.headers.get('content-type'), /^application\/json/, p);
            assert.doesNotMatch(JSON.stringify(r.body), /<html/i, `${p} got the console`);
        }
        /* a webhook post is refused from its headers: no body is read for an unmounted prefix */
        const r = await headOnly(srv.url, ['POST /hooks/sms HTTP/1.1',
            'Content-Type: application/x-www-form-urlencoded', `Content-Length: ${1 << 20}`]);
        assert.equal(r.status, 404, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'not_found');
    });

    it("the console's deep links still load index.html; its files are served, unknown files 404", async () => {
        for (const p of ['/', '/takip', '/takip/2026-000001', '/basvurular/5', '/yonetim/kullanicilar',
            '/openness', '/hooksy', '/apix']) {
            const r = await anon.get(p);
            assert.equal(r.status, 200, p);
            assert.match(r.headers.get('content-type'), /^text\/html/, p);
            assert.match(r.body, /<html/i, p);
        }
        const js = await anon.get('/js/router.js');
        assert.equal(js.status, 200);
        assert.match(js.headers.get('content-type'), /^text\/javascript/);
        assert.equal(js.headers.get('cache-control'), 'no-cache');
        assertError(await anon.get('/js/nothing-here.js'), 404, 'not_found');
        /* /healthz is its own mount, with or without a trailing slash */
        for (const p of ['/healthz', '/healthz/']) {
            const r = await anon.get(p);
            assert.equal(r.status, 200, p);
            assert.equal(r.body.status, 'ok', p);
        }
    });

    it('HEAD and unknown methods behave as before', async () => {
        const head = await anon.raw('/index.html', { method: 'HEAD' });
        assert.equal(head.status, 200);
        assert.match(head.headers.get('content-type'), /^text\/html/);
        assert.equal(head.bytes.length, 0, 'HEAD has no body');
        /* API routes are method-exact: HEAD is not GET */
        assert.equal((await agent.raw('/api/v1/me', { method: 'HEAD' })).status, 405);
        assert.equal((await anon.raw('/healthz', { method: 'HEAD' })).status, 405);
        assertError(await agent.raw('/api/v1/me', { method: 'BREW' }), 405, 'method_not_allowed');
        assertError(await anon.raw('/healthz', { method: 'BREW' }), 405, 'method_not_allowed');
        /* the console answers GET and HEAD only; a deep link is for GET */
        assertError(await anon.raw('/index.html', { method: 'BREW' }), 404, 'not_found');
        assertError(await anon.raw('/', { method: 'DELETE' }), 404, 'not_found');
        assert.equal((await anon.raw('/takip', { method: 'HEAD' })).status, 404);
    });

    it('a form body sent to a JSON route gets 415 and creates nothing', async () => {
        const before = await countApps(agent);
        for (const ct of ['application/x-www-form-urlencoded', 'text/plain', 'application/jsonx']) {
            const r = await agent.raw('/api/v1/applications', {
                method: 'POST', headers: { 'content-type': ct }, body: 'channel=phone_153&text=Sokak+lambas%C4%B1+yanm%C4%B1yor',
            });
            assertError(r, 415, 'unsupported_media_type');
            assert.match(r.body.error.message, /application\/json/, ct);
        }
        assert.equal(await countApps(agent), before);
        /* media types are case-insensitive, and parameters are allowed */
        const r = await agent.raw('/api/v1/applications', {
            method: 'POST', headers: { 'content-type': 'Application/JSON; charset=UTF-8' },
            body: JSON.stringify({ channel: 'phone_153', text: 'Sokak lambası yanmıyor' }),
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
    });

    it('a route with its own cap refuses a larger body from the headers (413), under it the body is read', async () => {
        const routes = execFileSync(BIN, ['routes'], { cwd: REPO, encoding: 'utf8' });
        const line = routes.split('\n').find((l) => l.startsWith('POST\t/api/v1/session\t'));
        assert.equal(line, 'POST\t/api/v1/session\tpublic\tjson\t16384');
        /* only the head goes out: the answer must come without the body (and its default cap is
         * 1 MiB, so 20 000 bytes pass anywhere else) */
        const r = await headOnly(srv.url, ['POST /api/v1/session HTTP/1.1',
            'Content-Type: application/json', 'Content-Length: 20000']);
        assert.equal(r.status, 413, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'too_large');
        assert.match(r.body.error.message, /16384 bytes/);
        const app = JSON.stringify({ channel: 'phone_153', text: 'Parkın aydınlatması çalışmıyor' });
        const other = await agent.raw('/api/v1/applications', {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: app + ' '.repeat(20000 - app.length),
        });
        assert.equal(other.status, 201, `a route without its own cap takes the default: ${JSON.stringify(other.body)}`);
        /* at the cap the body is read and the handler answers */
        const pad = ' '.repeat(16384 - JSON.stringify({ username: 'agent', password: 'x' }).length);
        const at = await anon.raw('/api/v1/session', {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'agent', password: 'x' }) + pad,
        });
        assertError(at, 401, 'invalid_credentials');
    });
});
