// Helpers for the API and fault tests: start a real `alo153 serve` on a temporary database and a
// free port, and talk to it as a logged-in user.
//
//   const srv = await startServer();               // init --demo --demo-size 60, then serve
//   const admin = await login(srv.url, 'admin');   // keeps the session cookie
//   const r = await admin.post('/api/v1/applications', { channel: 'phone_153', text: '…' });
//   r.status, r.headers, r.body                    // body: parsed JSON, or text
//   await srv.stop();                              // SIGTERM, waits, asserts exit code 0
//
// Every child process is killed if the test process exits first, and a server a failed test
// left running does not keep the test process alive. `await srv.exited` ({code, signal})
// resolves once the server has exited and its stderr is complete (srv.stderr()).
//
// Waiting without deciding anything by the clock:
//   const n = await waitFor(async () => (await admin.get('/x')).body.count === 3, { tries: 50, what: 'count 3' });
//     calls the async predicate up to `tries` times (default 50) with a short pause between
//     (`delayMs`, default 20); resolves with the first truthy value; otherwise rejects with `what`
//     and the last value or error. A predicate that throws counts as "not yet".
//   const mark = srv.logMark();                       // lines of stderr seen so far
//   await admin.get('/api/v1/me');
//   const line = await waitForLog(srv, /method=GET path=\/api\/v1\/me status=200/, { since: mark });
//     resolves with the first stderr line (after line number `since`, default 0 = all of them)
//     matching the regex. Rejects if the server exits without printing one, or after `timeoutMs`
//     (default 15000; a guard against hangs, never a test's answer). The server logs one line per
//     request, `ts=… level=info method=GET path=/api/v1/me status=200 duration_ms=0.12`, and on
//     SIGTERM `msg="shutting down" signal=15` then `msg="stopped"`.
//   const up = rawRequest(srv.url, uploadHead(srv.url, cookie, appId, 'x.png', len));
//     an HTTP/1.1 request on a raw socket (the test decides when each byte goes out; fetch would
//     also normalise ".."): {sock, connected, continued, response, closed}, see below.
//
// Node 18 (Debian 12's nodejs) has no Headers.prototype.getSetCookie; this module adds one (and
// exports setCookies(headers)), so `r.headers.getSetCookie()` works on Node 18 and 20 alike.
import assert from 'node:assert/strict';
import { spawn, execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.ALO153_BIN
    ? path.resolve(process.env.ALO153_BIN)
    : path.join(REPO, 'build', 'alo153');
export const DEMO_PASSWORD = 'alo153demo';

/**
 * Split a combined Set-Cookie value ("a=1; Path=/, b=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
 * into its cookies: a comma starts a new cookie only when a NAME= follows it.
 */
function splitSetCookie(value) {
    if (!value) return [];
    return value.split(/,(?=\s*[^;=,\s]+=)/).map((v) => v.trim()).filter(Boolean);
}

/** Every Set-Cookie header of a fetch Headers object, one string each (Node 18 and 20). */
export function setCookies(headers) {
    if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
    return splitSetCookie(headers.get('set-cookie'));
}

// Node < 19.7 (Debian 12 ships 18.19/18.20): fetch's Headers lacks getSetCookie().
if (typeof Headers !== 'undefined' && typeof Headers.prototype.getSetCookie !== 'function') {
    Object.defineProperty(Headers.prototype, 'getSetCookie', {
        configurable: true,
        writable: true,
        value: function getSetCookie() { return splitSetCookie(this.get('set-cookie')); },
    });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A thenable for `promise` that keeps the event loop alive while anyone is waiting on it. */
function keepsAlive(promise) {
    const hold = () => {
        const t = setInterval(() => {}, 1 << 30);
        promise.finally(() => clearInterval(t));
    };
    return {
        then(onOk, onErr) { hold(); return promise.then(onOk, onErr); },
        catch(onErr) { hold(); return promise.catch(onErr); },
        finally(fn) { hold(); return promise.finally(fn); },
    };
}

/**
 * Poll the async predicate `fn` up to `tries` times, `delayMs` apart; resolve with its first
 * truthy value. Throws (with `what` and the last value or error) when no try succeeded.
 */
export async function waitFor(fn, { tries = 50, what = 'condition', delayMs = 20 } = {}) {
    let last;
    let lastErr;
    for (let i = 0; i < tries; i++) {
        if (i > 0) await sleep(delayMs);
        try {
            last = await fn(i);
            lastErr = undefined;
            if (last) return last;
        } catch (e) {
            lastErr = e;
        }
    }
    const why = lastErr ? `last error: ${lastErr.stack || lastErr}` : `last value: ${JSON.stringify(last)}`;
    throw new Error(`waitFor: ${what} did not happen in ${tries} tries; ${why}`);
}

/**
 * Resolve with the first line of the server's stderr (after line number `since`, from
 * srv.logMark()) that matches `regex`. Rejects if the server exits without printing one, or
 * after `timeoutMs` (a guard against a hang).
 */
export function waitForLog(srv, regex, { since = 0, timeoutMs = 15000 } = {}) {
    const log = srv.log;
    const proc = srv.proc;
    return new Promise((resolve, reject) => {
        let timer;
        let off;
        const done = (fn, v) => {
            clearTimeout(timer);
            if (off) off();
            proc.removeListener('close', onClose);
            fn(v);
        };
        const test = (line, n) => {
            regex.lastIndex = 0; // a /g or /y regex keeps state between calls
            if (n > since && regex.test(line)) {
                done(resolve, line);
                return true;
            }
            return false;
        };
        const onClose = () => {
            // the last bytes of stderr are in by now ('close' follows the end of stdio)
            log.flush();
            if (!log.lines.some((line, i) => test(line, log.count - log.lines.length + i + 1))) {
                done(reject, new Error(`waitForLog: server exited without a line matching ${regex}; stderr:\n${srv.stderr().slice(-4000)}`));
            }
        };
        const first = log.count - log.lines.length + 1;
        for (let i = 0; i < log.lines.length; i++) {
            if (test(log.lines[i], first + i)) return;
        }
        if (proc.exitCode !== null || proc.signalCode !== null) {
            if (proc.stderr.readableEnded || proc.stderr.destroyed) {
                onClose();
                return;
            }
        }
        off = log.onLine(test);
        proc.once('close', onClose);
        timer = setTimeout(() => done(reject, new Error(`waitForLog: no line matching ${regex} within ${timeoutMs} ms; stderr:\n${srv.stderr().slice(-4000)}`)), timeoutMs);
    });
}

const children = new Set();
process.on('exit', () => {
    for (const c of children) {
        try { c.kill('SIGKILL'); } catch { /* already gone */ }
    }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => process.exit(130));
}

/** Run `alo153 ARGS…` to completion (cwd = repo root); resolves with stdout, rejects on failure.
 * At most timeoutMs (30 s; training on the whole corpus under ASan or on a busy machine: more). */
export function cli(args, { env = {}, input, timeoutMs = 30000 } = {}) {
    return new Promise((resolve, reject) => {
        const child = execFile(BIN, args, { cwd: REPO, env: { ...process.env, ...env }, timeout: timeoutMs },
            (err, stdout, stderr) => {
                if (err) {
                    err.message += `\nalo153 ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`;
                    reject(err);
                } else {
                    resolve(stdout);
                }
            });
        if (input !== undefined) child.stdin.end(input);
    });
}

/** Spawn `alo153 serve` on an existing database; resolves once it prints its address. */
function spawnServe(db, { env = {}, rate = 5, extraArgs = [] } = {}) {
    const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--public-rate', String(rate), ...extraArgs], {
        cwd: REPO,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(proc);
    proc.on('exit', () => children.delete(proc));
    // Resolves on 'close' (after 'exit' and the end of stdout/stderr), so srv.stderr() is complete.
    const exitedP = new Promise((resolve) => {
        proc.on('close', (code, signal) => resolve({ code, signal }));
    });
    // A server left running by a failed test must not keep the test file's process alive (it
    // used to hang there for good): the child and its pipes do not hold the event loop, and
    // whoever awaits `exited` holds it until the server is gone.
    const exited = keepsAlive(exitedP);
    proc.unref();
    proc.stdout.unref();
    proc.stderr.unref();
    let stderr = '';
    // stderr split into lines for waitForLog: the last 5000 lines, `count` lines in all
    const log = { lines: [], count: 0, partial: '', listeners: new Set() };
    const addLine = (line) => {
        log.count++;
        log.lines.push(line);
        if (log.lines.length > 5000) log.lines.shift();
        for (const fn of [...log.listeners]) fn(line, log.count);
    };
    log.onLine = (fn) => {
        log.listeners.add(fn);
        return () => log.listeners.delete(fn);
    };
    log.flush = () => {
        if (log.partial) {
            const rest = log.partial;
            log.partial = '';
            addLine(rest);
        }
    };
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.length > 200000) stderr = stderr.slice(-100000);
        if (process.env.ALO153_TEST_VERBOSE) process.stderr.write(d);
        const parts = (log.partial + d).split('\n');
        log.partial = parts.pop();
        for (const line of parts) addLine(line);
    });
    proc.stderr.on('end', () => log.flush());
    const ready = new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`alo153 serve did not start within 15 s; stderr:\n${stderr}`)), 15000);
        proc.stdout.setEncoding('utf8');
        proc.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/alo153 listening on (http:\/\/127\.0\.0\.1:(\d+)\/)/);
            if (m) {
                clearTimeout(timer);
                resolve(m[1].replace(/\/$/, ''));
            }
        });
        proc.on('exit', (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`alo153 serve exited (code ${code}, signal ${signal}) before listening; stderr:\n${stderr}`));
        });
    });
    return ready.then((url) => ({ url, proc, exited, stderr: () => stderr, log }));
}

/**
 * Create a temporary database (optionally with demo data) and serve it.
 * Options: demo (true), demoSize (60), env ({} extra environment for init and serve),
 * rate (--public-rate, 5), db (serve this existing database instead of creating one).
 * Returns {url, db, dir, proc, stop(), kill9(), restart(), stderr(), logMark(), cleanup()}.
 */
export async function startServer({ demo = true, demoSize = 60, env = {}, rate = 5, db } = {}) {
    let dir;
    let ownDb = false;
    if (!db) {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-test-'));
        // on PostgreSQL (make api-pg): a fresh database per server, which `init` creates
        db = PG_URL_BASE ? `${PG_URL_BASE}/${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`
            : path.join(dir, 't.db');
        ownDb = true;
        const args = ['init', '--db', db];
        if (demo) args.push('--demo', '--demo-size', String(demoSize));
        await cli(args, { env });
    } else if (isPg(db)) {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-test-'));
    } else {
        dir = path.dirname(db);
    }
    // No routing model unless the test asks for one (ALO153_MODELS in env): a ./models folder
    // left in the repository by `alo153 train` must not change what these tests see.
    env = { ALO153_MODELS: path.join(dir, 'no-models'), ...env };
    const srv = { db, dir, env, rate };
    const attach = (s) => {
        srv.url = s.url;
        srv.proc = s.proc;
        srv.exited = s.exited;
        srv.stderr = s.stderr;
        srv.log = s.log;
    };
    /** How many stderr lines the current server process has printed (for waitForLog's `since`). */
    srv.logMark = () => srv.log.count;
    attach(await spawnServe(db, { env, rate }));

    /** SIGTERM, wait for exit, assert a clean exit (code 0). */
    srv.stop = async () => {
        if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) {
            const r = await srv.exited;
            assert.fail(`alo153 serve had already exited (code ${r.code}, signal ${r.signal}); stderr:\n${srv.stderr().slice(-4000)}`);
        }
        srv.proc.kill('SIGTERM');
        const timer = setTimeout(() => srv.proc.kill('SIGKILL'), 20000);
        const { code, signal } = await srv.exited;
        clearTimeout(timer);
        assert.equal(signal, null, `alo153 serve died by ${signal}; stderr:\n${srv.stderr().slice(-4000)}`);
        assert.equal(code, 0, `alo153 serve exit code; stderr:\n${srv.stderr().slice(-4000)}`);
    };
    /** SIGKILL, wait until the process is gone. */
    srv.kill9 = async () => {
        srv.proc.kill('SIGKILL');
        return srv.exited;
    };
    /** Serve the same database again (after stop or kill9); updates url/proc. `env` overrides. */
    srv.restart = async (opts = {}) => {
        attach(await spawnServe(db, { env: { ...env, ...(opts.env || {}) }, rate }));
        return srv;
    };
    /** Remove the temporary directory (only when the server is not running). */
    srv.cleanup = () => {
        if (process.env.ALO153_KEEP_TMP) return;
        fs.rmSync(dir, { recursive: true, force: true });
        if (ownDb && isPg(db)) {
            const name = db.slice(db.lastIndexOf('/') + 1);
            psql(`${PG_URL_BASE}/postgres`, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        }
    };
    return srv;
}

/** `alo153 token add NAME --role ROLE [--department CODE] --db DB`; resolves with the token. */
export async function addToken(db, name, role, department) {
    const args = ['token', 'add', name, '--role', role, '--db', db];
    if (department) args.push('--department', department);
    const out = await cli(args);
    const token = out.trim().split('\n').pop().trim();
    assert.ok(token.length >= 20, `token add printed ${JSON.stringify(out)}`);
    return token;
}

/** Set by scripts/pg-test.sh (make api-pg): servers get a fresh PostgreSQL database each. */
export const PG_URL_BASE = process.env.ALO153_TEST_PG_URL_BASE || '';
/** Is db a PostgreSQL URL rather than a SQLite file? */
export function isPg(db) {
    return /^postgres(ql)?:\/\//.test(db);
}

function psql(url, sql) {
    return execFileSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
        { encoding: 'utf8' }).trim();
}

/**
 * Run SQL on the server's database synchronously and return its trimmed stdout, one row a
 * line, columns joined by '|': `sqlite3 DB SQL`, or `psql` when db is a PostgreSQL URL (the
 * statements the tests use read the same on both).
 */
export function sqlite(db, sql) {
    if (isPg(db)) return psql(db, sql);
    return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}

async function parseResponse(res) {
    const buf = Buffer.from(await res.arrayBuffer());
    const ct = res.headers.get('content-type') || '';
    let body = buf.toString('utf8');
    if (ct.includes('json') && buf.length) {
        try {
            body = JSON.parse(body);
        } catch {
            /* leave it as text: the test will show it */
        }
    } else if (!buf.length) {
        body = null;
    }
    return { status: res.status, headers: res.headers, body, bytes: buf };
}

/**
 * A small HTTP client for one identity. `auth` is {cookie} or {bearer} or nothing.
 * get/post/patch/del take a path and an optional JSON body; raw(path, init) passes init to fetch
 * as is (custom method, headers, bodies). All resolve with {status, headers, body, bytes}.
 */
export function client(url, auth = {}) {
    const c = { url, cookie: auth.cookie || null, bearer: auth.bearer || null };
    c.raw = async (p, init = {}) => {
        const headers = new Headers(init.headers || {});
        if (c.cookie && !headers.has('cookie')) headers.set('cookie', c.cookie);
        if (c.bearer && !headers.has('authorization')) headers.set('authorization', `Bearer ${c.bearer}`);
        const res = await fetch(url + p, { ...init, headers, signal: init.signal || AbortSignal.timeout(30000) });
        for (const sc of setCookies(res.headers)) {
            const m = sc.match(/^alo153_session=([^;]*)/);
            if (m) c.cookie = m[1] ? `alo153_session=${m[1]}` : null;
        }
        return parseResponse(res);
    };
    const json = (method) => (p, body) => c.raw(p, body === undefined ? { method } : {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    c.get = (p) => c.raw(p, { method: 'GET' });
    c.post = json('POST');
    c.patch = json('PATCH');
    c.del = (p) => c.raw(p, { method: 'DELETE' });
    return c;
}

/** Log in with POST /api/v1/session; returns a client that keeps the session cookie. */
export async function login(url, username, password = DEMO_PASSWORD) {
    const c = client(url);
    let r = await c.post('/api/v1/session', { username, password });
    // the server admits a few password checks at once and answers the rest 503 login_busy
    // with Retry-After: a client waits and tries again (two test files at once on a busy
    // machine meet it; the gate itself is tested in t0-limits-login)
    for (let i = 0; i < 30 && r.status === 503 && r.body?.error?.code === 'login_busy'; i++) {
        await new Promise((res) => setTimeout(res, 200 + 100 * i));
        r = await c.post('/api/v1/session', { username, password });
    }
    assert.equal(r.status, 200, `login ${username}: ${JSON.stringify(r.body)}`);
    assert.ok(c.cookie, `login ${username} set no alo153_session cookie`);
    c.user = r.body.user;
    return c;
}

/** Every application id the client can list (walks all pages). */
export async function listAllIds(c, query = '') {
    const ids = [];
    let after = '';
    for (let guard = 0; guard < 1000; guard++) {
        const r = await c.get(`/api/v1/applications?limit=500${query ? '&' + query : ''}${after ? '&after=' + after : ''}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        ids.push(...r.body.items.map((a) => a.id));
        if (r.body.next === null) return ids;
        after = r.body.next;
    }
    throw new Error('pagination did not end');
}

/** How many applications exist (as seen by an admin/agent client). */
export async function countApps(c) {
    return (await listAllIds(c)).length;
}

/** Assert an error reply: status, error.code (optional) and error.field (optional). */
export function assertError(r, status, code, field) {
    const show = `${r.status} ${JSON.stringify(r.body)}`;
    assert.equal(r.status, status, show);
    assert.equal(typeof r.body, 'object', show);
    assert.ok(r.body && r.body.error, `no error object: ${show}`);
    assert.equal(typeof r.body.error.message, 'string', show);
    if (code !== undefined) assert.equal(r.body.error.code, code, show);
    if (field !== undefined) assert.equal(r.body.error.field, field, show);
}

export const TRACKING_RE = /^\d{4}-\d{6}$/;

/**
 * An HTTP/1.1 request on a raw socket, so the test decides when each byte goes out.
 * Returns {sock, connected, continued, response, closed}: `continued` resolves on a
 * "100 Continue"; `response` with {status, headers, body} once the server closes the
 * connection (the request says Connection: close); `closed` with {bytes, error} in every case.
 */
export function rawRequest(url, head) {
    const { hostname, port } = new URL(url);
    const sock = net.connect({ host: hostname, port: Number(port) });
    let buf = Buffer.alloc(0);
    let onContinue;
    const continued = new Promise((resolve) => { onContinue = resolve; });
    const connected = new Promise((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', reject);
    });
    connected.catch(() => {});
    const closed = new Promise((resolve) => {
        let error = null;
        sock.on('error', (e) => { error = e.code || e.message; });
        sock.on('close', () => resolve({ bytes: buf, error }));
    });
    sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        const m = /^HTTP\/1\.1 100 [^\r\n]*\r\n\r\n/.exec(buf.toString('latin1'));
        if (m) {
            buf = buf.subarray(m[0].length);
            onContinue();
        }
    });
    const response = closed.then(({ bytes, error }) => {
        const text = bytes.toString('utf8');
        const end = text.indexOf('\r\n\r\n');
        if (!bytes.length || end < 0) throw new Error(`no HTTP response (socket error ${error}; ${bytes.length} bytes)`);
        const lines = text.slice(0, end).split('\r\n');
        const status = Number(lines[0].split(' ')[1]);
        const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        let body = text.slice(end + 4);
        if ((headers['content-type'] || '').includes('json')) body = JSON.parse(body);
        return { status, headers, body };
    });
    response.catch(() => {});
    sock.write(head);
    return { sock, connected, continued, response, closed };
}

/** The request line and headers of an attachment upload that waits for "100 Continue". */
export function uploadHead(url, cookie, appId, filename, length) {
    const { host } = new URL(url);
    return `POST /api/v1/applications/${appId}/attachments?filename=${filename} HTTP/1.1\r\n` +
        `Host: ${host}\r\nCookie: ${cookie}\r\nContent-Type: image/png\r\n` +
        `Content-Length: ${length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`;
}
