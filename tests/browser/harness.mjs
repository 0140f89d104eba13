// Helpers for the browser tests: a real `alo153 serve` on a temporary demo database serving
// web/, Debian's Chromium driven by playwright-core, screenshots under test-output/browser/,
// and a guard that fails a test when the page asks any host other than its own origin.
//
//   const env = await setup();                    // server + browser
//   const { page } = await env.newPage({ viewport: { width: 360, height: 740 } });
//   await env.login(page, 'agent');
//   await env.shot(page, 'name');                 // test-output/browser/name.png
//   await env.teardown();
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// playwright-core from the repository's node_modules, unless ALO153_PLAYWRIGHT names another
// install (a folder holding node_modules/playwright-core, or the module file itself): on Node 18
// (Debian 12's nodejs) `make browser` uses playwright-core 1.61, the last release for Node 18.
const PLAYWRIGHT = process.env.ALO153_PLAYWRIGHT
    ? pathToFileURL(fs.statSync(process.env.ALO153_PLAYWRIGHT).isDirectory()
        ? path.join(process.env.ALO153_PLAYWRIGHT, 'node_modules', 'playwright-core', 'index.mjs')
        : process.env.ALO153_PLAYWRIGHT).href
    : 'playwright-core';
const { chromium } = await import(PLAYWRIGHT);

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.ALO153_BIN ? path.resolve(process.env.ALO153_BIN) : path.join(REPO, 'build', 'alo153');
export const WEB = path.join(REPO, 'web');
export const OUT = path.join(REPO, 'test-output', 'browser');
export const PASSWORD = 'alo153demo';
export const CHROMIUM = process.env.ALO153_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Every Set-Cookie header of a fetch response (Node 18's fetch has no getSetCookie()). */
function setCookies(headers) {
    if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
    const v = headers.get('set-cookie');
    return v ? v.split(/,(?=\s*[^;=,\s]+=)/).map((c) => c.trim()) : [];
}

const children = new Set();
process.on('exit', () => {
    for (const c of children) {
        try { c.kill('SIGKILL'); } catch { /* gone */ }
    }
});

function run(args, env = {}) {
    return new Promise((resolve, reject) => {
        execFile(BIN, args, { cwd: REPO, timeout: 60000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
            if (err) reject(new Error(`alo153 ${args.join(' ')} failed: ${err.message}\n${stderr}`));
            else resolve(stdout);
        });
    });
}

/** init --demo on a temporary database (train: also a routing model), then serve it on a free
 *  port with --web web/. env: more environment for both (e.g. ALO153_NOW pins the clock). */
export async function startServer({ demoSize = 40, rate = 50, train = false, env = {} } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-browser-'));
    const db = path.join(dir, 't.db');
    const models = path.join(dir, 'models'); // never the repository's models/ folder
    fs.mkdirSync(models);
    await run(['init', '--db', db, '--demo', '--demo-size', String(demoSize)], env);
    // the routing model behind POST /api/v1/classify (a couple of seconds)
    if (train) await run(['train', '--db', db, '--models', models], env);
    const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', WEB, '--public-rate', String(rate),
        '--models', models], {
        cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
    });
    children.add(proc);
    let stderr = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-50000); });
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => { children.delete(proc); resolve({ code, signal }); }));
    const url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`alo153 serve did not start; stderr:\n${stderr}`)), 15000);
        proc.stdout.setEncoding('utf8');
        proc.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/alo153 listening on (http:\/\/127\.0\.0\.1:\d+)\//);
            if (m) { clearTimeout(timer); resolve(m[1]); }
        });
        proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`alo153 serve exited (${code}); stderr:\n${stderr}`)); });
    });
    return {
        url, db, dir,
        stderr: () => stderr,
        async stop() {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
            const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
            const r = await exited;
            clearTimeout(timer);
            if (!process.env.ALO153_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
            return r;
        },
    };
}

/** A tiny JSON client with its own session cookie, for setting up and checking through the API. */
export function apiClient(base) {
    let cookie = null;
    const call = async (method, p, body) => {
        const headers = { accept: 'application/json' };
        if (cookie) headers.cookie = cookie;
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        for (const sc of setCookies(res.headers)) {
            const m = sc.match(/^alo153_session=([^;]*)/);
            if (m) cookie = m[1] ? `alo153_session=${m[1]}` : null;
        }
        const text = await res.text();
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { json = text; }
        return { status: res.status, body: json };
    };
    return {
        get: (p) => call('GET', p),
        post: (p, b) => call('POST', p, b === undefined ? {} : b),
        async login(username, password = PASSWORD) {
            const r = await call('POST', '/api/v1/session', { username, password });
            assert.equal(r.status, 200, `API login ${username}: ${JSON.stringify(r.body)}`);
            return this;
        },
    };
}

/** Server + browser for one test file. */
export async function setup(opts = {}) {
    fs.mkdirSync(OUT, { recursive: true });
    const server = await startServer(opts);
    // chromium.launch gives every browser a fresh temporary profile (user-data dir)
    let browser;
    try {
        browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    } catch (e) {
        await server.stop();
        throw e;
    }
    const contexts = [];
    const env = {
        server,
        url: server.url,
        browser,
        /** A fresh context (own cookies) and page. Records requests to other hosts and page errors. */
        async newPage(ctxOpts = {}) {
            const context = await browser.newContext({ locale: 'tr-TR', timezoneId: 'Europe/Istanbul', ...ctxOpts });
            contexts.push(context);
            const page = await context.newPage();
            page.setDefaultTimeout(8000);
            page.foreign = [];
            page.errors = [];
            const origin = new URL(server.url).origin;
            await context.route('**/*', (route) => {
                const u = route.request().url();
                if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
                page.foreign.push(u);
                return route.abort();
            });
            page.on('pageerror', (e) => page.errors.push(String(e && e.stack ? e.stack : e)));
            return { context, page };
        },
        async login(page, username, password = PASSWORD) {
            await page.goto(`${server.url}/personel`);
            await page.getByLabel('Kullanıcı adı').fill(username);
            await page.getByLabel('Parola').fill(password);
            await page.getByRole('button', { name: 'Giriş yap' }).click();
            await page.waitForURL((u) => !u.pathname.startsWith('/personel'));
        },
        async shot(page, name) {
            const file = path.join(OUT, `${name}.png`);
            await page.screenshot({ path: file, fullPage: true });
            return file;
        },
        /** The page made no request to another host and threw no uncaught error. */
        assertClean(page) {
            assert.deepEqual(page.foreign, [], `requests to other hosts: ${page.foreign.join(', ')}`);
            assert.deepEqual(page.errors, [], `uncaught page errors:\n${page.errors.join('\n')}`);
        },
        async teardown() {
            for (const c of contexts) await c.close().catch(() => {});
            await browser.close().catch(() => {});
            const r = await server.stop();
            assert.equal(r.signal, null, `server died by ${r.signal}\n${server.stderr().slice(-3000)}`);
            assert.equal(r.code, 0, `server exit code\n${server.stderr().slice(-3000)}`);
        },
    };
    return env;
}
