// t33: HTTPS in serve (certificate files, reload on SIGHUP, TLS 1.2+), IPv6 listen addresses,
// and a reverse proxy in front: whose X-Forwarded-For / X-Forwarded-Proto are believed
// (issue 12, finding 6). Certificates are made here with the openssl CLI (scripts/setup.sh).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { BIN, REPO, cli, startServer, client, assertError, waitForLog } from '../lib/server.mjs';

const NOW = '2026-11-23T10:15:00Z';
let dir, db;

/** A throw-away self-signed certificate for 127.0.0.1 and its SHA-256 fingerprint ("AB:CD:…"). */
function makeCert(name) {
    const crt = path.join(dir, `${name}.crt`), key = path.join(dir, `${name}.key`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
        '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', `/CN=alo153-test-${name}`,
        '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', crt]).toString();
    return { crt, key, fp: out.trim().split('=')[1].toUpperCase() };
}

/** `alo153 serve ARGS` on db; resolves {url, proc, lines, waitLine(re, since), exited} once it
 *  prints its address, or rejects with its stderr if it exits first. */
function serve(args, env = {}) {
    const proc = spawn(BIN, ['serve', '--db', db, ...args], {
        cwd: REPO, env: { ...process.env, ALO153_MODELS: path.join(dir, 'no-models'), ALO153_NOW: NOW, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = [];
    const waiters = new Set();
    let partial = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => {
        const parts = (partial + d).split('\n');
        partial = parts.pop();
        for (const l of parts) {
            lines.push(l);
            for (const w of [...waiters]) w();
        }
    });
    const exited = new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
    const s = {
        proc, lines, exited,
        /** the first stderr line after line number `since` matching re (a guard of 15 s against hangs) */
        waitLine: (re, since = 0) => new Promise((resolve, reject) => {
            const check = () => {
                const i = lines.findIndex((l, n) => n >= since && re.test(l));
                if (i < 0) return false;
                waiters.delete(check);
                clearTimeout(t);
                resolve(lines[i]);
                return true;
            };
            const t = setTimeout(() => { waiters.delete(check); reject(new Error(`no line ${re}:\n${lines.join('\n')}`)); }, 15000);
            waiters.add(check);
            check();
        }),
        stop: async () => {
            proc.kill('SIGTERM');
            const r = await exited;
            assert.deepEqual(r, { code: 0, signal: null }, lines.join('\n'));
        },
    };
    return new Promise((resolve, reject) => {
        let out = '';
        proc.stdout.setEncoding('utf8');
        proc.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/alo153 listening on (https?:\/\/\S+?)\/\n/);
            if (m) resolve({ ...s, url: m[1] });
        });
        exited.then((r) => reject(Object.assign(new Error(`serve exited ${r.code}:\n${lines.join('\n')}`), r)));
    });
}

/** serve ARGS that must not start: its exit code and stderr. */
async function serveFails(args) {
    try {
        const s = await serve(args);
        await s.stop();
        assert.fail(`serve ${args.join(' ')} started`);
    } catch (e) {
        if (e.code === undefined) throw e;
        return { code: e.code, stderr: e.message };
    }
}

/** One HTTPS request on a new connection (or on agent's): status, headers, body, the server's
 *  certificate fingerprint, whether the socket was reused. */
function httpsRequest(url, p, { method = 'GET', body, agent = false, headers = {} } = {}) {
    return new Promise((resolve, reject) => {
        const req = https.request(url + p, {
            method, agent, rejectUnauthorized: false, minVersion: 'TLSv1.2',
            headers: body ? { 'content-type': 'application/json', ...headers } : headers,
        }, (res) => {
            const fp = res.socket.getPeerCertificate().fingerprint256;
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (d) => { data += d; });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data, fp, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.setTimeout(30000, () => req.destroy(new Error('timeout')));
        req.end(body ? JSON.stringify(body) : undefined);
    });
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-t33-'));
    db = path.join(dir, 't.db');
    await cli(['init', '--db', db, '--demo', '--demo-size', '5']);
});
after(() => { if (!process.env.ALO153_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true }); });

describe('TLS', () => {
    let a, b, cur, srv;
    before(async () => {
        a = makeCert('a');
        b = makeCert('b');
        cur = { crt: path.join(dir, 'cur.crt'), key: path.join(dir, 'cur.key') };
        fs.copyFileSync(a.crt, cur.crt);
        fs.copyFileSync(a.key, cur.key);
        srv = await serve(['--listen', '127.0.0.1:0', '--tls-cert', cur.crt, '--tls-key', cur.key]);
    });
    after(async () => { await srv?.stop(); });

    test('a missing, unreadable or mismatched certificate or key stops serve at the start', async () => {
        const garbage = path.join(dir, 'garbage.crt');
        fs.writeFileSync(garbage, 'not a certificate\n');
        let r = await serveFails(['--listen', '127.0.0.1:0', '--tls-cert', path.join(dir, 'none.crt'), '--tls-key', a.key]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /cannot read the TLS certificate .*none\.crt: No such file/);
        r = await serveFails(['--listen', '127.0.0.1:0', '--tls-cert', garbage, '--tls-key', a.key]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /garbage\.crt holds no PEM certificate/);
        r = await serveFails(['--listen', '127.0.0.1:0', '--tls-cert', a.crt, '--tls-key', b.key]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /does not belong to the certificate/);
        r = await serveFails(['--listen', '127.0.0.1:0', '--tls-cert', a.crt]);
        assert.equal(r.code, 2, 'a certificate without a key is a usage error');
    });

    test('HTTPS answers with the certificate, HSTS and a Secure session cookie', async () => {
        assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        const h = await httpsRequest(srv.url, '/healthz');
        assert.equal(h.status, 200);
        assert.equal(h.fp, a.fp);
        assert.equal(h.headers['strict-transport-security'], 'max-age=31536000');
        const r = await httpsRequest(srv.url, '/api/v1/session', { method: 'POST', body: { username: 'agent', password: 'alo153demo' } });
        assert.equal(r.status, 200, r.body);
        const cookie = r.headers['set-cookie'].find((c) => c.startsWith('alo153_session='));
        assert.match(cookie, /; Secure(;|$)/);
        assert.match(cookie, /HttpOnly/);
    });

    test('plain HTTP to the TLS port gets no answer', async () => {
        const r = await new Promise((resolve) => {
            const req = http.get(srv.url.replace('https:', 'http:') + '/healthz', (res) => resolve(res.statusCode));
            req.on('error', (e) => resolve(`error ${e.code || e.message}`));
            req.setTimeout(30000, () => req.destroy(new Error('timeout')));
        });
        assert.match(String(r), /^error /);
    });

    test('TLS 1.1 is refused', async () => {
        await assert.rejects(new Promise((resolve, reject) => {
            const req = https.get(srv.url + '/healthz', { agent: false, rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, resolve);
            req.on('error', reject);
        }));
    });

    test('SIGHUP loads the new certificate for new connections; open ones and the server go on', async () => {
        const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
        const first = await httpsRequest(srv.url, '/healthz', { agent });
        assert.equal(first.fp, a.fp);
        fs.copyFileSync(b.crt, cur.crt);
        fs.copyFileSync(b.key, cur.key);
        const mark = srv.lines.length;
        srv.proc.kill('SIGHUP');
        await srv.waitLine(/msg="SIGHUP: TLS certificate reloaded"/, mark);
        const fresh = await httpsRequest(srv.url, '/healthz');
        assert.equal(fresh.status, 200);
        assert.equal(fresh.fp, b.fp, 'a new connection sees the new certificate');
        const again = await httpsRequest(srv.url, '/healthz', { agent });
        assert.equal(again.status, 200);
        assert.ok(again.reused, 'the connection opened before the reload is still open');
        assert.equal(again.fp, a.fp);
        agent.destroy();
        assert.equal(srv.proc.exitCode, null);
    });

    test('a bad certificate at SIGHUP keeps the one in use and says so', async () => {
        fs.writeFileSync(cur.crt, 'broken\n');
        const mark = srv.lines.length;
        srv.proc.kill('SIGHUP');
        const line = await srv.waitLine(/SIGHUP: the TLS certificate was not reloaded/, mark);
        assert.match(line, /level=error/);
        assert.match(line, /cur\.crt holds no PEM certificate/);
        const r = await httpsRequest(srv.url, '/healthz');
        assert.equal(r.status, 200);
        assert.equal(r.fp, b.fp);
        /* a key of another certificate is refused as well */
        fs.copyFileSync(a.crt, cur.crt);
        const mark2 = srv.lines.length;
        srv.proc.kill('SIGHUP');
        await srv.waitLine(/not reloaded.*does not belong to the certificate/, mark2);
        assert.equal((await httpsRequest(srv.url, '/healthz')).fp, b.fp);
    });
});

describe('IPv6', () => {
    const hasV6 = Object.values(os.networkInterfaces()).flat().some((i) => i && i.internal && i.address === '::1');
    test('serve on [::1] answers /healthz and logs the address in full', { skip: hasV6 ? false : 'this machine has no IPv6 loopback (::1)' }, async () => {
        const s = await serve(['--listen', '[::1]:0']);
        try {
            assert.match(s.url, /^http:\/\/\[::1\]:\d+$/);
            const r = await fetch(s.url + '/healthz');
            assert.equal(r.status, 200);
            await s.waitLine(/path=\/healthz status=200 .*remote=::1$/);
        } finally {
            await s.stop();
        }
    });
    test('an IPv6 listen address needs brackets', async () => {
        const r = await serveFails(['--listen', '::1:8153']);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /\[::1\]:8153/);
    });
});

describe('behind a reverse proxy', () => {
    const wrong = (c, xff) => c.raw('/api/v1/session', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
        body: JSON.stringify({ username: 'agent', password: 'wrong-password' }),
    });
    const right = (c, xff, extra = {}) => c.raw('/api/v1/session', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': xff, ...extra },
        body: JSON.stringify({ username: 'agent', password: 'alo153demo' }),
    });
    /* 6 failures for agent from `from` start a 1 s wait; the right password from `limited` is
     * then refused. The wait runs on the real clock: should a slow run let it pass, start over. */
    async function backoff(c, from, limited) {
        for (let attempt = 0; attempt < 3; attempt++) {
            for (let i = 0; i < 6; i++) assertError(await wrong(c, from), 401, 'invalid_credentials');
            const r = await right(c, limited);
            if (r.status === 200) continue;
            assertError(r, 429, 'login_wait');
            return true;
        }
        return false;
    }

    test('from a trusted proxy, X-Forwarded-For is the client: each address has its own backoff', async () => {
        const srv = await startServer({ demoSize: 5, env: { ALO153_NOW: NOW, ALO153_TRUSTED_PROXIES: '127.0.0.1/32' } });
        try {
            const c = client(srv.url);
            const mark = srv.logMark();
            assert.ok(await backoff(c, '203.0.113.1, 198.51.100.1', '198.51.100.1'), 'the same forwarded address is limited');
            /* another forwarded address logs in at once, though it comes from the same peer */
            const other = client(srv.url);
            const r = await right(other, '198.51.100.2');
            assert.equal(r.status, 200, JSON.stringify(r.body));
            await waitForLog(srv, /method=POST path=\/api\/v1\/session status=429 .*remote=198\.51\.100\.1$/, { since: mark });
            /* X-Forwarded-Proto: https from the proxy makes the cookie Secure and adds HSTS */
            const sec = await right(client(srv.url), '198.51.100.3', { 'x-forwarded-proto': 'https' });
            assert.equal(sec.status, 200);
            assert.match(sec.headers.getSetCookie().find((x) => x.startsWith('alo153_session=')), /; Secure/);
            assert.equal(sec.headers.get('strict-transport-security'), 'max-age=31536000');
            const plain = await right(client(srv.url), '198.51.100.4', { 'x-forwarded-proto': 'http' });
            assert.doesNotMatch(plain.headers.getSetCookie().join('\n'), /Secure/);
            assert.equal(plain.headers.get('strict-transport-security'), null);
            /* a malformed header from the proxy: its own address, a warning, no 400 */
            const m2 = srv.logMark();
            const bad = await client(srv.url).raw('/healthz', { headers: { 'x-forwarded-for': 'not an address' } });
            assert.equal(bad.status, 200);
            await waitForLog(srv, /level=warn msg="unreadable forwarding header from a trusted proxy.*peer=127\.0\.0\.1/, { since: m2 });
            await waitForLog(srv, /path=\/healthz status=200 .*remote=127\.0\.0\.1$/, { since: m2 });
        } finally {
            await srv.stop();
            srv.cleanup();
        }
    });

    test('from anyone else the forwarding headers are ignored', async () => {
        const srv = await startServer({ demoSize: 5, env: { ALO153_NOW: NOW } });
        try {
            const c = client(srv.url);
            const mark = srv.logMark();
            /* failures "from" one address limit another: both are 127.0.0.1 */
            assert.ok(await backoff(c, '198.51.100.1', '198.51.100.2'), 'the limit applies to the peer');
            await waitForLog(srv, /method=POST path=\/api\/v1\/session status=429 .*remote=127\.0\.0\.1$/, { since: mark });
            const r = await client(srv.url).raw('/healthz', { headers: { 'x-forwarded-proto': 'https', forwarded: 'for=198.51.100.9;proto=https' } });
            assert.equal(r.status, 200);
            assert.equal(r.headers.get('strict-transport-security'), null);
        } finally {
            await srv.stop();
            srv.cleanup();
        }
    });

    test('--secure-cookies makes every cookie Secure', async () => {
        const srv = await startServer({ demoSize: 5, env: { ALO153_NOW: NOW, ALO153_SECURE_COOKIES: '1' } });
        try {
            const r = await right(client(srv.url), '198.51.100.5');
            assert.equal(r.status, 200);
            assert.match(r.headers.getSetCookie().find((x) => x.startsWith('alo153_session=')), /; Secure/);
            const out = await client(srv.url).del('/api/v1/session');
            assert.match(out.headers.getSetCookie().join('\n'), /Max-Age=0; Secure/);
        } finally {
            await srv.stop();
            srv.cleanup();
        }
    });

    test('a malformed --trusted-proxy stops serve', async () => {
        const r = await serveFails(['--listen', '127.0.0.1:0', '--trusted-proxy', '10.0.0.0/8,10.0.0.0/33']);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /trusted proxies: not an IPv4 or IPv6 address or CIDR: '10\.0\.0\.0\/33'/);
    });
});
