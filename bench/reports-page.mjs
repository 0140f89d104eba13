// The Reports page's first paint with data (issue 11: "< 1 s"): the time from starting to load
// /raporlar in Debian's Chromium to the headline cards being on screen, measured in the page
// (performance.now() at the first animation frame with .kpi elements, counted from the start
// of the navigation), plus GET /api/v1/reports/summary alone.
//
//   node bench/reports-page.mjs [--demo-size N] [--db FILE] [--runs N] [--from D --to D] [--now RFC3339]
//
// Without --db: a temporary database made by `alo153 init --demo --demo-size N` (default
// 3000, the demo's default). With --db: that database is served as it is (a copy is not made;
// the page only reads). Every run opens a fresh page in one logged-in browser context: the
// first run has a cold HTTP cache (vendor scripts, page modules), the rest a warm one, as a
// supervisor coming back. The period defaults to the year of the server's clock so far.
// Prints one JSON line; timings decide nothing.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.env.ALO153_BIN ? path.resolve(process.env.ALO153_BIN) : path.join(REPO, 'build', 'alo153');
const CHROMIUM = process.env.ALO153_CHROMIUM || '/usr/bin/chromium';
const { chromium } = await import(process.env.ALO153_PLAYWRIGHT || 'playwright-core');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', 10));
const demoSize = Number(opt('demo-size', 3000));
const now = opt('now', null);
const env = now ? { ...process.env, ALO153_NOW: now } : process.env;

let dir = null;
let db = opt('db', null);
const tInit = Date.now();
if (!db) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-bench-reports-'));
    db = path.join(dir, 'bench.db');
    execFileSync(BIN, ['init', '--db', db, '--demo', '--demo-size', String(demoSize)], { env, stdio: 'ignore' });
}
const initMs = dir ? Date.now() - tInit : null;

const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', path.join(REPO, 'web')], {
    env, stdio: ["ignore", "pipe", "ignore"],
});
const base = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/alo153 listening on (http:\/\/127\.0\.0\.1:\d+)\//);
        if (m) resolve(m[1]);
    });
    proc.on('exit', (c) => reject(new Error(`alo153 serve exited (${c})`)));
});

// CPU time (user + system, ms) of a process and all its descendants, from /proc: on a shared
// machine the wall-clock times grow with the load, the CPU a request or a page costs does not
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
function cpuMs(rootPid) {
    const procs = new Map(); // pid -> [ppid, ticks]
    for (const d of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
            const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
            const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
            procs.set(Number(d), [Number(f[1]), Number(f[11]) + Number(f[12])]);
        } catch { /* gone */ }
    }
    let sum = 0;
    const want = new Set([rootPid]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const [pid, [ppid]] of procs) if (want.has(ppid) && !want.has(pid)) { want.add(pid); grew = true; }
    }
    for (const pid of want) if (procs.has(pid)) sum += procs.get(pid)[1];
    return sum * TICK_MS;
}

const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? Math.round((s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2) : null;
};

let browser;
try {
    // the period: the server's year so far unless given
    const today = new Date((now ? Date.parse(now) : Date.now()) + 3 * 3600 * 1000).toISOString().slice(0, 10);
    const from = opt('from', `${today.slice(0, 4)}-01-01`);
    const to = opt('to', today);

    // the endpoint alone, with the supervisor's session
    const login = await fetch(`${base}/api/v1/session`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'alo153demo' }),
    });
    const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
    const apiMs = [];
    let summary = null;
    const apiCpu0 = cpuMs(proc.pid);
    for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const r = await fetch(`${base}/api/v1/reports/summary?from=${from}&to=${to}`, { headers: { cookie } });
        summary = await r.json();
        if (!r.ok) throw new Error(`summary: ${r.status} ${JSON.stringify(summary)}`);
        apiMs.push(performance.now() - t);
    }
    const apiCpuMs = (cpuMs(proc.pid) - apiCpu0) / runs;
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const context = await browser.newContext({ locale: 'tr-TR', timezoneId: 'Europe/Istanbul', viewport: { width: 1280, height: 800 } });
    const page0 = await context.newPage();
    await page0.goto(`${base}/personel`); // the staff login (web/: /giris is the citizens')
    await page0.getByLabel('Kullanıcı adı').fill('supervisor');
    await page0.getByLabel('Parola').fill('alo153demo');
    await page0.getByRole('button', { name: 'Giriş yap' }).click();
    await page0.waitForURL((u) => !u.pathname.startsWith('/personel'));
    await page0.close();

    const pageMs = [];
    const chartsMs = [];
    const cpu = [];
    for (let i = 0; i < runs; i++) {
        const c0 = cpuMs(process.pid); // this process, its Chromium and the server
        const page = await context.newPage();
        // a frame-by-frame watcher from the very start of the document: the time of the first
        // frame with the cards, and of the first with every chart drawn
        await page.addInitScript(() => {
            const tick = () => {
                if (!window.__cards && document.querySelector('.kpi')) window.__cards = performance.now();
                if (window.__cards && !window.__charts && window.Chart && document.querySelectorAll('.chart canvas').length
                    && [...document.querySelectorAll('.chart canvas')].every((c) => window.Chart.getChart(c))) window.__charts = performance.now();
                if (!window.__charts) requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        });
        await page.goto(`${base}/raporlar?from=${from}&to=${to}`);
        await page.waitForFunction(() => window.__cards, null, { timeout: 30000 }).catch(async (e) => {
            await page.screenshot({ path: '/tmp/reports-page-timeout.png' });
            throw e;
        });
        // every chart drawn, or (after 15 s) which ones were not: a chart left empty is
        // reported, not waited for forever
        await page.waitForFunction(() => window.__charts, null, { timeout: 15000 }).catch(() => {});
        const r = await page.evaluate(() => ({
            cards: window.__cards, charts: window.__charts || null,
            undrawn: [...document.querySelectorAll('.chart canvas')].filter((c) => !(window.Chart && window.Chart.getChart(c)))
                .map((c) => c.closest('.chart')?.querySelector('h3,h2,figcaption')?.textContent || c.id || '?'),
        }));
        if (r.undrawn.length) console.error(`run ${i}: charts not drawn: ${r.undrawn.join(', ')}`);
        pageMs.push(r.cards);
        chartsMs.push(r.charts);
        cpu.push(cpuMs(process.pid) - c0);
        await page.close();
    }
    const round = (xs) => xs.map((x) => Math.round(x));
    console.log(JSON.stringify({
        date: new Date().toISOString(), db: opt('db', null) ? db : `demo ${demoSize}`, init_ms: initMs, period: { from, to },
        applications: summary.applications.total, calls: summary.calls ? summary.calls.offered : null, tables: summary.tables.length,
        runs, load_1min: Number(load), cpus: os.cpus().length,
        summary_api_ms: { median: median(apiMs), all: round(apiMs) },
        summary_api_cpu_ms: Math.round(apiCpuMs),
        page_cpu_ms: { cold: Math.round(cpu[0]), warm_median: median(cpu.slice(1)) },
        cards_ms: { cold: Math.round(pageMs[0]), warm_median: median(pageMs.slice(1)), all: round(pageMs) },
        charts_ms: chartsMs.every((x) => x !== null)
            ? { cold: Math.round(chartsMs[0]), warm_median: median(chartsMs.slice(1)), all: round(chartsMs) }
            : { all: chartsMs.map((x) => (x === null ? null : Math.round(x))) },
    }));
} finally {
    if (browser) await browser.close();
    proc.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
